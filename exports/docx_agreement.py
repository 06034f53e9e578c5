"""The method section's paragraph and table on agreement between coders (`coding.agreement`)."""

from __future__ import annotations

from coding.agreement import coders, compute
from coding.models import StudyError

from .docx_kit import DocWriter


def _n(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}".replace("-0.00", "0.00")


def _p(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 100:.0f}%"


def add_agreement(w: DocWriter, store) -> bool:
    """Write it when two or more coders coded the same sources; False (nothing written) otherwise."""
    if len(coders(store)) < 2:
        return False
    try:
        result = compute(store)
    except StudyError:
        return False
    if not result.sources or result.overall is None:
        return False
    o = result.overall
    a, b = result.coders[:2]
    w.heading("Agreement between coders", 2)
    w.para(f"{a} and {b} both coded {len(result.sources)} of the sources ({', '.join(result.sources)}). "
           f"Their codings were compared on the {result.units} candidate quotes of those sources (the "
           "participants' sentences): a coder gave a code to a quote when one of their codings of it covers at "
           "least half of the quote, or lies inside it. Percent agreement is the share of quotes where both "
           "decided the same; Cohen's kappa and Krippendorff's alpha (nominal) correct it for chance. "
           f"Over all codes: {_p(o.percent)} agreement, kappa {_n(o.kappa)}, alpha {_n(o.alpha)}; the mean over "
           f"codes is kappa {_n(result.mean_kappa)}, alpha {_n(result.mean_alpha)}. "
           f"{len(result.disagreements)} quotes were coded differently"
           + (" and remain to be reconciled." if result.disagreements else "."))
    rows = [(c.name, c.scores.applied[a], c.scores.applied[b], _p(c.scores.percent), _n(c.scores.kappa),
             _n(c.scores.alpha)) for c in result.codes]
    w.table(("Code", a, b, "Agreement", "Kappa", "Alpha"), rows, widths=(1.9, 0.8, 0.8, 0.95, 0.75, 0.75))
    return True
