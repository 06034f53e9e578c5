"""Answers by question: every respondent's answer to one survey question, to code a column top to bottom.

The answers are shown as one document in the transcript view (the reader's keys move and select), each
under its respondent; `c` codes the selection, one coding per answer it covers (one undoable change),
`x` removes a coding, `n` goes to the next answer not coded yet, `s` or `<`/`>` change the question,
`e` shows or hides empty-looking answers ("NA", "-"), enter opens the respondent in the reader.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from coding import answers as A
from coding.codebook import add_code, get_code, list_codes
from coding.codings import add_codings, list_codings, remove_coding, trim_span
from coding.models import StudyError
from coding.queries import recent_code_ids
from coding.study import Store

from ..messages import OpenSource
from ..widgets.answer_doc import AnswerDoc, build_answer_doc
from ..widgets.footer import StudioFooter
from ..widgets.transcript import TranscriptView
from ..widgets.transcript_layout import Span
from .base import StudioScreen, attempt, succeeds
from .picker import CodePicker, Item, NewCode, PickList

KEYS_HINT = """j/k sentence   ]/[ answer
} extend to the next answer
c code (each answer selected)
n next uncoded  x uncode
s or </> question
e empty answers  ⏎ open"""


class AnswersScreen(StudioScreen):
    """One survey question and everyone's answer to it."""

    CSS_PATH = "answers.tcss"
    AUTO_FOCUS = "#answers"
    BINDINGS = [
        Binding("c", "code", "Code", id="answers.code"),
        Binding("x,delete", "uncode", "Uncode", id="answers.uncode"),
        Binding("n", "next_uncoded", "Next uncoded answer", id="answers.next_uncoded"),
        Binding("s", "pick_question", "Question…", id="answers.pick_question"),
        Binding("greater_than_sign", "step(1)", "Next question", id="answers.next_question", key_display=">"),
        Binding("less_than_sign", "step(-1)", "Previous question", id="answers.prev_question",
                key_display="<", show=False),
        Binding("e", "toggle_empty", "Empty answers on/off", id="answers.empty", show=False),
        Binding("enter", "open", "Open respondent", id="answers.open", show=False),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.question_id: int | None = None
        self.show_empty = False
        self.answer_doc: AnswerDoc | None = None
        self._pending: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="answers-title", markup=False)
        with Horizontal(id="answers-body"):
            yield TranscriptView(id="answers")
            with Vertical(id="answers-side"):
                yield Static(id="answers-here")
                yield Static(KEYS_HINT, id="answers-keys")
        yield StudioFooter()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def show(self, question_id: int) -> None:
        """Open one question (now if shown, else when shown)."""
        self._pending = question_id
        if self.is_mounted and self.app.screen is self:
            self.reload()

    @property
    def wants_reload(self) -> bool:
        return self._pending is not None or self.question_id is None

    def load_study(self) -> None:
        ids = [q.id for q in A.questions(self.store)]
        keep = self.view.selection if self.answer_doc else None
        if self._pending is not None:  # another question: start at its first answer
            self.question_id, self._pending, keep = self._pending, None, None
        if self.question_id not in ids:
            self.question_id, keep = (ids[0] if ids else None), None
        if self.question_id is None:
            self.query_one("#answers-title", Static).update(
                "No survey questions in this study: import a survey CSV (H, then i)")
            return
        self._load(keep=keep)

    def _load(self, *, keep: tuple[int, int] | None = None) -> None:
        store = self.store
        question = next(q for q in A.questions(store) if q.id == self.question_id)
        found = A.answers(store, question, include_empty=self.show_empty)
        anonymize = store.anonymize
        labels = {p.id: p.label(anonymize) for p in store.participants()}
        sources = {a.source_id for a in found}
        codings = [c for c in list_codings(store) if c.source_id in sources]
        codes = {c.id: c for c in list_codes(store)}
        self.answer_doc = build_answer_doc(question.label(), found, labels, codings, codes)
        empty = (f" · {question.empty} empty-looking {'shown' if self.show_empty else 'hidden (e shows them)'}"
                 if question.empty else "")
        self.query_one("#answers-title", Static).update(
            f"{question.key} · {question.text}  ({len(found)} answers{empty})")
        self.view.load(self.answer_doc.doc, span=keep if keep and keep[0] < keep[1] else None,
                       at=keep[0] if keep else None, center=keep is None)

    # -- the side panel --------------------------------------------------------------------------
    @on(TranscriptView.SelectionChanged)
    def _selection_changed(self, event: TranscriptView.SelectionChanged) -> None:
        doc = event.view.doc
        if doc is None or not doc.turns:
            return
        turn = doc.turns[event.view.current_turn]
        parts: list = [(f"{turn.label}\n", "bold"), (f"answer {event.view.current_turn + 1} of "
                                                     f"{len(doc.turns)}\n\n", "dim"), ("Codings here\n", "bold")]
        spans = doc.spans_over(event.start, event.end)
        if not spans:
            parts.append(("none: c codes the selection", "dim"))
        for span in spans:
            parts += [("■ ", span.colour), (span.name, "bold"), "\n"]
        self.query_one("#answers-here", Static).update(Content.assemble(*parts), layout=False)

    # -- coding ----------------------------------------------------------------------------------
    def _pieces(self) -> list[tuple[int, int, int]]:
        if self.answer_doc is None or not self.answer_doc.doc.sentences:
            self.notify("Nothing to code here", severity="warning")
            return []
        pieces = []
        for sid, a, b in self.answer_doc.to_source(*self.view.selection):
            a, b = trim_span(self.store.source_text(sid), a, b)
            if a < b:
                pieces.append((sid, a, b))
        if not pieces:
            self.notify("The selection is empty", severity="warning")
        return pieces

    def action_code(self) -> None:
        if self._pieces():
            self.app.push_screen(CodePicker(list_codes(self.store), recent=recent_code_ids(self.store)), self._apply)

    def _apply(self, choice) -> None:
        pieces = self._pieces() if choice is not None else []
        if not pieces:
            return
        if isinstance(choice, NewCode):
            code = attempt(self, add_code, self.store, choice.name, choice.kind)
            if code is None:
                return
            choice = code.id
        name = get_code(self.store, choice).name
        n = len(pieces)
        added = attempt(self, add_codings, self.store, [(sid, a, b, choice) for sid, a, b in pieces],
                        summary=f"coded {n} answer{'s' if n != 1 else ''} as {name}")
        if added is not None:
            self.notify(f"Coded {added} answer{'s' if added != 1 else ''} as {name}" if added
                        else f"Already coded {name}", timeout=2)
            self.reload()

    def action_uncode(self) -> None:
        doc = self.view.doc
        spans = doc.spans_over(*self.view.selection) if doc else []
        if not spans:
            self.notify("No coding under the selection", severity="warning")
            return

        def remove(span: Span | None) -> None:
            if span is not None and succeeds(self, remove_coding, self.store, span.coding_id):
                self.notify(f"Removed {span.name}", timeout=2)
                self.reload()

        if len(spans) == 1:
            remove(spans[0])
        else:
            self.app.push_screen(PickList("Remove which coding?", [Item(s.name, s, colour=s.colour) for s in spans]),
                                 remove)

    # -- moving ----------------------------------------------------------------------------------
    def action_next_uncoded(self) -> None:
        doc = self.view.doc
        if not doc or not doc.turns:
            return
        here, n = self.view.current_turn, len(doc.turns)
        for step in range(1, n + 1):
            t = (here + step) % n
            lo, hi = doc.turn_sentences[t]
            if hi > lo and not doc.turn_is_coded(t):
                if t <= here:
                    self.notify("Wrapped to the first answer", timeout=2)
                self.view.goto_turn(t)
                return
        self.notify("Every answer to this question is coded")

    def action_pick_question(self) -> None:
        items = [Item(q.text, q.id, f"{q.key} · {q.answers} answers") for q in A.questions(self.store)]
        self.app.push_screen(PickList("Which question?", items), lambda qid: qid and self.show(qid))

    def action_step(self, delta: int) -> None:
        ids = [q.id for q in A.questions(self.store)]
        if self.question_id in ids and len(ids) > 1:
            self.show(ids[(ids.index(self.question_id) + delta) % len(ids)])

    def action_toggle_empty(self) -> None:
        self.show_empty = not self.show_empty
        if self.question_id is not None:
            self._load()

    def action_open(self) -> None:
        if self.answer_doc is None:
            return
        answer = self.answer_doc.answer_at(self.view.selection[0])
        if answer is None:
            return
        try:
            self.store.source(answer.source_id)
        except StudyError as exc:
            self.notify(str(exc), severity="error")
            return
        self.post_message(OpenSource(answer.source_id, answer.char_start, answer.char_end))
