"""The reader's suggestions: codes suggested for uncoded text, with the emotion model's reading.

Computed in the studio's NLP process (`research_tui.nlp_process`; training the per-code models and the
first emotion reading of a large study take a minute of Python, which in a thread slowed every screen);
a worker waits for the answer, so the screen never does. The trained models are kept there while the
study is unchanged, so moving between sources only scores the new one. The side panel shows the suggestions on
the quote under the cursor: `y` accepts, `r` rejects (a choice when there are several), `g` goes to
the next one, `Y` / `X` accept or reject every suggestion in the source after a confirmation.
"""

from __future__ import annotations

from textual import work
from textual.content import Content
from textual.widgets import Static
from textual.worker import get_current_worker

from coding.codebook import list_codes
from coding.queries import study_version

from .base import attempt
from .dialogs import ConfirmDialog
from .picker import Item, PickList


class ReaderSuggestions:
    """Mixed into `ReaderScreen` (which has `store`, `source_id`, `view`, `_codings` and `reload`)."""

    _suggested: dict | None = None          # (start, end) -> QuoteSuggestion (a passage), for the shown source
    _suggested_source: int | None = None

    # -- computing -----------------------------------------------------------------------------------
    def refresh_suggestions(self) -> None:
        if self.source_id is None:
            return
        if self._suggested_source != self.source_id:
            self._suggested = None
        self._show_suggestion()
        self.compute_suggestions(self.store.path, self.source_id, study_version(self.store))

    def worker_failed(self, worker) -> None:
        super().worker_failed(worker)
        if worker.group == "suggestions":
            self.query_one("#suggested", Static).update(Content.assemble(
                ("Suggestions\n", "bold"), ("could not be computed (the message says why)", "dim")), layout=False)

    @work(thread=True, exclusive=True, group="suggestions", exit_on_error=False)
    def compute_suggestions(self, path, source_id: int, version: tuple) -> None:
        from ..nlp_process import shared, source_suggestions

        found = shared().call(source_suggestions, str(path), source_id, version, read_only=self.store.read_only)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._suggestions_ready, source_id, found)

    def _suggestions_ready(self, source_id: int, found) -> None:
        if source_id != self.source_id:
            return
        coded = [(c.char_start, c.char_end) for c in self._codings.values()]
        self._suggested = {(q.candidate.start, q.candidate.end): q for q in found
                           if not any(a < q.candidate.end and b > q.candidate.start for a, b in coded)}
        self._suggested_source = source_id
        self._show_suggestion()

    # -- showing -------------------------------------------------------------------------------------
    def _with_codes(self) -> list:
        return sorted((q for q in (self._suggested or {}).values() if q.codes), key=lambda q: q.candidate.start)

    def suggestion_here(self):
        """The suggestion on the candidate quote that overlaps the selection most, if any."""
        start, end = self.view.selection
        end = max(end, start + 1)
        best, most = None, 0
        for q in (self._suggested or {}).values():
            overlap = min(end, q.candidate.end) - max(start, q.candidate.start)
            if overlap > most:
                best, most = q, overlap
        return best

    def _show_suggestion(self) -> None:
        panel = self.query_one("#suggested", Static)
        if self._suggested is None:
            panel.update(Content.assemble(("Suggestions\n", "bold"), ("computing…", "dim")), layout=False)
            return
        q = self.suggestion_here()
        total = sum(len(x.codes) for x in self._with_codes())
        parts: list = [("Suggested here\n", "bold")]
        if q is None:
            parts.append(("none (coded, or not a participant's words)\n", "dim"))
        else:
            colours = {c.id: c.colour for c in list_codes(self.store)}
            for s in q.codes[:4]:  # the panel has eight lines: the four most confident
                parts += [("◇ ", colours.get(s.code_id, "")), (s.code, "bold"), f" {s.confidence:.2f}\n"]
            if not q.codes:
                parts.append(("no code\n", "dim"))
            feeling = q.emotion_code or q.prediction.emotion
            parts.append((f"feeling: {feeling} ({q.prediction.valence:+.1f})\n", "italic"))
            if q.codes:
                parts.append(("y accept · r reject\n", "dim"))
        parts.append((f"{total} in this source · w next", "dim"))
        panel.update(Content.assemble(*parts), layout=False)

    # -- deciding ------------------------------------------------------------------------------------
    def _choose(self, verb: str, then) -> None:
        q = self.suggestion_here()
        if q is None or not q.codes:
            self.notify("No suggestion here: w goes to the next one", severity="warning")
            return
        picks = [(q.candidate, s.code_id) for s in q.codes]
        if len(picks) == 1:
            then(picks)
            return
        items = [Item(f"All {len(picks)}", picks, ", ".join(s.code for s in q.codes))]
        items += [Item(s.code, [(q.candidate, s.code_id)], f"{s.confidence:.2f}") for s in q.codes]
        self.app.push_screen(PickList(f"{verb} which suggestion?", items), lambda chosen: chosen and then(chosen))

    def _decided(self, picks, verb: str, n: int | None) -> None:
        if n is None:
            return
        for cand, code_id in picks:
            q = (self._suggested or {}).get((cand.start, cand.end))
            if q is not None:
                from dataclasses import replace

                kept = tuple(s for s in q.codes if s.code_id != code_id)
                self._suggested[(cand.start, cand.end)] = replace(q, codes=kept)
        self.notify(f"{verb} {n} suggestion{'s' if n != 1 else ''}", timeout=2)
        self.reload()

    def action_accept_suggestion(self) -> None:
        from coding.nlp.decisions import accept

        self._choose("Accept", lambda picks: self._decided(picks, "Accepted", attempt(self, accept, self.store, picks)))

    def action_reject_suggestion(self) -> None:
        from coding.nlp.decisions import reject

        self._choose("Reject", lambda picks: self._decided(picks, "Rejected", attempt(self, reject, self.store, picks)))

    def _all(self, verb: str, done: str, fn) -> None:
        picks = [(q.candidate, s.code_id) for q in self._with_codes() for s in q.codes]
        if not picks:
            self.notify("No suggestions in this source", severity="warning")
            return
        quotes = len({c.id for c, _ in picks})
        question = ConfirmDialog(f"{verb} every suggestion here?",
                                 f"{verb} {len(picks)} suggestions on {quotes} quotes in this source. "
                                 "Undo reverses it in one step.", yes=verb)

        def answer(yes: bool | None) -> None:
            if yes:
                self._decided(picks, done, attempt(self, fn, self.store, picks))

        self.app.push_screen(question, answer)

    def action_accept_all(self) -> None:
        from coding.nlp.decisions import accept

        self._all("Accept", "Accepted", accept)

    def action_reject_all(self) -> None:
        from coding.nlp.decisions import reject

        self._all("Reject", "Rejected", reject)

    def action_next_suggestion(self) -> None:
        found = self._with_codes()
        if self._suggested is None:
            self.notify("Suggestions are still being computed", timeout=2)
            return
        if not found:
            self.notify("No suggestions in this source")
            return
        here = self.view.selection[1]
        after = [q for q in found if q.candidate.start >= here]
        if not after:
            self.notify("Wrapped to the start", timeout=2)
        q = (after or found)[0]
        self.view.select_span(q.candidate.start, q.candidate.end)
