"""How good are learned code suggestions? Leave-one-interview-out on the bundled demo study.

    python scripts/eval_suggestions.py [--study demo.rtui] [--min-confidence 0.5 0.7] [--readme] [--json]

For each interview: train the per-code models on every other source (the other interviews and the
focus group) as if the held-out interview were not coded yet, suggest codes for its candidate quotes,
and compare with the researcher's own codings of it (a candidate has a code when the researcher's
codings of it cover at least half of the candidate). Precision = suggested and coded / suggested;
recall = suggested and coded / coded; both summed over the held-out interviews, per kind of code.
Codes with too few codings to be learned count against recall. The second table scores the emotion
model alone (no learning): the study emotion code it points to, on every coded interview quote.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coding.nlp import emotion_cache  # noqa: E402
from coding.nlp.emotion_map import emotion_codes, suggest_emotion  # noqa: E402
from coding.nlp.segments import candidates  # noqa: E402
from coding.nlp.suggest import COVER, Suggester, coverage  # noqa: E402
from coding.store import Store  # noqa: E402

KINDS = ("stage", "need", "emotion", "touchpoint", "pain_point", "opportunity")


def open_demo(path: Path | None) -> Store:
    if path is not None:
        return Store.open(path)
    from research_tui.demo import DEMO_CODER, build_demo

    folder = Path(tempfile.mkdtemp())
    store = build_demo(folder / "demo.rtui")
    store.eval_coder = DEMO_CODER
    return store


def evaluate(store: Store, thresholds: list[float]) -> dict:
    coder = getattr(store, "eval_coder", None)
    codes = {c.id: c for c in store.codes()}
    cands = candidates(store)
    codings = store.codings()
    gold_codings = [c for c in codings if coder is None or c.coder == coder]
    gold_shares, _ = coverage(cands, gold_codings)
    interviews = [s for s in store.sources() if not s.title.startswith("focus")]
    tally = {t: {k: [0, 0, 0] for k in KINDS} for t in thresholds}   # tp, suggested, coded
    for held in interviews:
        rows = [i for i, c in enumerate(cands) if c.source_id == held.id]
        train = [c for c in codings if c.source_id != held.id]
        suggester = Suggester(store, cands=cands, codings=train, train_sources={c.source_id for c in train})
        for t in thresholds:
            found = {q.candidate.id: {s.code_id for s in q.codes}
                     for q in suggester.suggest(rows, min_confidence=t)}
            for i in rows:
                gold = {cid for cid, share in gold_shares[i].items() if share >= COVER}
                guessed = found.get(cands[i].id, set())
                for cid in gold | guessed:
                    kind = codes[cid].kind
                    if kind not in KINDS:
                        continue
                    tp, sug, cod = tally[t][kind]
                    tally[t][kind] = [tp + (cid in gold and cid in guessed), sug + (cid in guessed),
                                      cod + (cid in gold)]
    learned = {t: {k: _pr(*v) for k, v in per.items()} for t, per in tally.items()}
    # the emotion model alone, on every interview quote the researcher gave an emotion code
    mapping = emotion_codes(codes.values())
    predictions = emotion_cache.predictions(store, cands)
    emo = [0, 0, 0]
    for i, c in enumerate(cands):
        if c.source_id not in {s.id for s in interviews}:
            continue
        gold = {cid for cid, share in gold_shares[i].items() if share >= COVER and codes[cid].kind == "emotion"}
        if not gold:
            continue
        picked = suggest_emotion(predictions[i], mapping)
        emo[1] += picked is not None
        emo[2] += 1
        emo[0] += picked is not None and picked[0].code_id in gold
    signs = _valence_agreement(cands, predictions, gold_shares, codes)
    return {"study": store.name, "interviews": len(interviews), "candidates": len(cands),
            "learned": learned, "emotion_model": _pr(*emo), "valence_sign": signs}


def _valence_agreement(cands, predictions, gold_shares, codes) -> dict:
    """Does the model's valence have the sign of the researcher's emotion codes (non-neutral ones)?"""
    agree = total = 0
    for i, _c in enumerate(cands):
        values = [codes[cid].valence for cid, share in gold_shares[i].items()
                  if share >= COVER and codes[cid].kind == "emotion" and codes[cid].valence]
        if not values:
            continue
        total += 1
        agree += (sum(values) > 0) == (predictions[i].valence > 0)
    return {"quotes": total, "same_sign": round(agree / total, 3) if total else None}


def _pr(tp: int, suggested: int, coded: int) -> dict:
    return {"precision": round(tp / suggested, 3) if suggested else None,
            "recall": round(tp / coded, 3) if coded else None, "suggested": suggested, "coded": coded}


def readme(result: dict) -> str:
    lines = []
    for t, per in result["learned"].items():
        lines += [f"| kind (min confidence {t}) | precision | recall | suggested | coded by the researcher |",
                  "|---|---|---|---|---|"]
        for kind, v in per.items():
            p = "–" if v["precision"] is None else f"{v['precision']:.2f}"
            r = "–" if v["recall"] is None else f"{v['recall']:.2f}"
            lines.append(f"| {kind.replace('_', ' ')} | {p} | {r} | {v['suggested']} | {v['coded']} |")
        lines.append("")
    e = result["emotion_model"]
    lines.append(f"Emotion model alone (no learning), on the {e['coded']} interview quotes with an emotion code: "
                 f"it names a study emotion code for {e['suggested']}, the researcher's for "
                 f"{round(100 * (e['precision'] or 0))}% of those. Valence sign agrees with the researcher's "
                 f"emotion codes on {round(100 * (result['valence_sign']['same_sign'] or 0))}% of "
                 f"{result['valence_sign']['quotes']} quotes.")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--study", type=Path, help="a study to evaluate instead of the demo")
    p.add_argument("--min-confidence", type=float, nargs="+", default=[0.5, 0.7])
    p.add_argument("--readme", action="store_true")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    store = open_demo(args.study)
    result = evaluate(store, args.min_confidence)
    if args.json:
        print(json.dumps(result, indent=1))
    print(readme(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
