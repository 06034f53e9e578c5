"""The transcript reader: read a source quote by quote and code the selection.

The `TranscriptView` owns the cursor and selection and announces changes; this screen applies,
removes and annotates codings through the Store, then re-reads the source.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, Static

from coding.answers import question_labels
from coding.codebook import add_code, find_code, get_code, list_codes, list_stages
from coding.codings import add_coding, list_codings, remove_coding, set_coding_memo, trim_span
from coding.models import UNATTRIBUTED, Coding, StudyError
from coding.queries import recent_code_ids, source_table
from coding.sources import set_source_memo
from coding.study import Store

from ..messages import ShowAnswers
from ..settings import Settings
from ..widgets.fit import Part, fitted
from ..widgets.footer import StudioFooter
from ..widgets.transcript import TranscriptView
from ..widgets.transcript_layout import Span, build_doc
from .base import StudioScreen, attempt, succeeds
from .dialogs import TextDialog
from .picker import CodePicker, Item, NewCode, PickList
from .reader_find import FindField, FindInTranscript
from .reader_media import RecordingKeys
from .reader_suggest import ReaderSuggestions
from .reader_turns import TurnCorrections

KEYS_HINT = """j/k sentence   ]/[ turn
shift+↓/↑ or v: extend
}/{ extend by a turn
h/l edge ± a word
o other edge  esc clear
/ find  n/N next/previous
? every key"""


class ReaderScreen(FindInTranscript, TurnCorrections, ReaderSuggestions, RecordingKeys, StudioScreen):
    """One source, its turns and coded spans, and the codings under the selection."""

    CSS_PATH = "reader.tcss"
    AUTO_FOCUS = "#transcript"
    BINDINGS = [
        Binding("c", "code", "Code", id="reader.code"),
        # the number key is the pin's position; the footer shows one entry for all nine
        *[Binding(str(i), f"pin({i})", "Apply pinned code", id=f"reader.pin{i}", show=i == 1,
                  key_display="1-9" if i == 1 else None) for i in range(1, 10)],
        Binding("x,delete", "uncode", "Uncode", id="reader.uncode"),
        Binding("m", "memo", "Memo", id="reader.memo"),
        Binding("M", "source_memo", "Source memo", id="reader.source_memo", show=False),
        Binding("u", "next_uncoded", "Next uncoded", id="reader.next_uncoded"),
        # find in the transcript (reader_find.py)
        Binding("slash", "find", "Find", id="reader.find", key_display="/"),
        Binding("n", "find_next(1)", "Next match", id="reader.find_next", show=False),
        Binding("N", "find_next(-1)", "Previous match", id="reader.find_prev", show=False),
        Binding("escape", "close_find", "Close find", id="reader.close_find", show=False),
        Binding("f", "filter_speaker", "Filter speaker", id="reader.filter_speaker", show=False),
        Binding("s", "pick_source", "Open source", id="reader.pick_source", show=False),
        Binding("a", "answers", "Everyone's answers to this question", id="reader.answers", show=False),
        # corrections of turns (reader_turns.py)
        Binding("t", "not_speech", "Not speech on/off", id="reader.not_speech", show=False),
        Binding("g", "give_turn", "Give turn to…", id="reader.give_turn", show=False),
        Binding("b", "split_turn", "Split turn here", id="reader.split_turn", show=False),
        # suggestions (reader_suggest.py)
        Binding("y", "accept_suggestion", "Accept suggestion", id="reader.accept_suggestion"),
        Binding("r", "reject_suggestion", "Reject suggestion", id="reader.reject_suggestion"),
        Binding("w", "next_suggestion", "Next suggestion", id="reader.next_suggestion", show=False),
        Binding("Y", "accept_all", "Accept every suggestion in the source", id="reader.accept_all", show=False),
        Binding("ctrl+r", "reject_all", "Reject every suggestion in the source", id="reader.reject_all", show=False),
        # the source's recording (reader_media.py)
        Binding("p", "play", "Play the recording from here (again: stop)", id="reader.play", show=False),
        Binding("L", "link_recording", "Link a recording to this source", id="reader.link_recording", show=False),
    ]

    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__(store)
        self.settings = settings
        self.source_id: int | None = None
        self.speaker: int | None = None          # speaker filter (participant id) or None
        self._pending: tuple[int, tuple[int, int] | None] | None = None
        self._codings: dict[int, Coding] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title")
        with Horizontal(id="reader-body"):
            with Vertical(id="reader-main"):
                yield TranscriptView(id="transcript")
                with Horizontal(id="find-bar"):
                    yield Label("Find ", id="find-label")
                    yield FindField(placeholder="words in this transcript · enter goes back to the text · "
                                                "n/N next/previous", id="find")
            with Vertical(id="reader-side"):
                yield Static(id="here")
                yield Static(id="suggested")
                yield Static(id="pins")
                yield Static(KEYS_HINT, id="keys-hint")
        yield StudioFooter()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    # -- loading ---------------------------------------------------------------------------------
    def show(self, source_id: int, span: tuple[int, int] | None = None, *, find: str | None = None) -> None:
        """Open a source (selecting `span` when given, finding `find` so n/N go on); loads now if shown,
        else when shown."""
        self._pending = (source_id, span)
        if find is not None:
            self.find_text = find.strip()
        if self.is_mounted and self.app.screen is self:
            self.reload()

    @property
    def wants_reload(self) -> bool:
        return self._pending is not None or self.source_id is None

    def load_study(self) -> None:
        if self._pending is not None:
            source_id, span = self._pending
            self._pending = None
            if source_id != self.source_id:
                self.speaker = None
            self._load(source_id, span=span, center=True)
        elif self.source_id is not None:
            self._load(self.source_id, span=self.view.selection, center=False)
        else:
            sources = self.store.sources()
            if sources:
                self._load(sources[0].id, span=None, center=True)
            else:
                self.query_one("#reader-title", Static).update("No sources yet: press H, then i to import")
        self._show_pins()

    def _load(self, source_id: int, *, span: tuple[int, int] | None, center: bool) -> None:
        store = self.store
        try:
            source = store.source(source_id)
        except StudyError as exc:
            if source_id == self.source_id:  # the source shown was deleted: show the first one instead
                self.source_id = None
                self.load_study()
                return
            self.notify(str(exc), severity="error")
            return
        codes = {c.id: c for c in list_codes(store)}
        codings = list_codings(store, source_id=source_id)
        self._codings = {c.id: c for c in codings}
        people = {p.id: p for p in store.participants()}
        doc = build_doc(source, store.utterances(source_id), people, codings, codes,
                        anonymize=store.anonymize, speaker=self.speaker, questions=question_labels(store))
        self.source_id = source_id
        self.view.load(doc, span=span if span and span[0] < span[1] else None,
                       at=span[0] if span else None, center=center)
        self.set_find(self.find_text)
        self.refresh_suggestions()

    # -- what the side panel and title show ------------------------------------------------------
    @on(TranscriptView.SelectionChanged)
    def _selection_changed(self, event: TranscriptView.SelectionChanged) -> None:
        doc = event.view.doc
        if doc is None or not doc.turns:
            return
        t = event.view.current_turn
        turn = doc.turns[t]
        who = f" · only {turn.label}" if self.speaker is not None else ""
        words = len(doc.text[event.start:event.end].split())
        words_found, count = self.match_label()
        self._title = [  # at 80 columns the turn and the find's "3/12" stay; the rest gives way first
            Part(doc.title, "bold", shrink=2, least=10), Part(f"  turn {t + 1}/{len(doc.turns)}"),
            Part(f" · {turn.label}{who}", drop=1, shrink=3, least=12),
            Part(" · not speech" if turn.not_speech else "", "italic"),
            Part(f"  · selection {words} word{'s' if words != 1 else ''}", "dim", drop=4),
            Part(" · select mode" if event.view.select_mode else "", "bold"),
            Part("  · find " if count else "", "bold"), Part(words_found, "bold", shrink=1, least=4),
            Part(f" {count}" if count else "", "bold"),
        ]
        self._show_title()
        spans = doc.spans_over(event.start, event.end)
        parts: list = [("Codings here\n", "bold")]
        if not spans:
            parts.append(("none: c codes the selection", "dim"))
        for span in spans:
            coding = self._codings.get(span.coding_id)
            quote = " ".join(doc.text[span.start:span.end].split())
            parts += [("■ ", span.colour), (span.name, "bold"), "\n",
                      (f"  “{quote[:60]}{'…' if len(quote) > 60 else ''}”\n", "dim")]
            if coding and coding.memo:
                parts.append((f"  memo: {coding.memo.splitlines()[0][:60]}\n", "italic"))
        self.query_one("#here", Static).update(Content.assemble(*parts), layout=False)
        self._show_suggestion()

    def _show_title(self) -> None:
        title = self.query_one("#reader-title", Static)
        width = title.content_size.width or self.app.size.width - 2  # before the first layout: less its padding
        title.update(fitted(getattr(self, "_title", []), width), layout=False)

    def on_resize(self) -> None:
        self._show_title()

    def _pinned_names(self) -> list[str]:
        """Pinned code names from the settings, else the journey stages in order."""
        return self.settings.pinned[:9] or [c.name for c in list_stages(self.store)][:9]

    def _show_pins(self) -> None:
        names = self._pinned_names()
        lines = [("Pinned codes\n", "bold")] + [f"{i} {name}\n" for i, name in enumerate(names, 1)]
        self.query_one("#pins", Static).update(Content.assemble(*lines))

    # -- coding ----------------------------------------------------------------------------------
    def _span(self) -> tuple[int, int] | None:
        view = self.view
        if self.source_id is None or view.doc is None or not view.doc.sentences:
            self.notify("Nothing to code here", severity="warning")
            return None
        start, end = trim_span(view.doc.text, *view.selection)
        if start >= end:
            self.notify("The selection is empty", severity="warning")
            return None
        return start, end

    def action_code(self) -> None:
        if self._span() is None:
            return
        picker = CodePicker(list_codes(self.store), recent=recent_code_ids(self.store))
        self.app.push_screen(picker, self._apply)

    def _apply(self, choice) -> None:
        if choice is None:
            return
        span = self._span()
        if span is None:
            return
        if isinstance(choice, NewCode):
            code = attempt(self, add_code, self.store, choice.name, choice.kind)
            if code is None:
                return
            choice = code.id
        coding = attempt(self, add_coding, self.store, self.source_id, span[0], span[1], choice)
        if coding is not None:
            self.notify(f"Coded as {get_code(self.store, choice).name}", timeout=2)
            self.reload()

    def action_pin(self, number: int) -> None:
        names = self._pinned_names()
        if number > len(names):
            self.notify(f"No code pinned to {number}: list code names in `pinned` in the settings file",
                        severity="warning")
            return
        code = attempt(self, find_code, self.store, names[number - 1])
        if code is not None:
            self._apply(code.id)

    def _with_coding(self, title: str, then) -> None:
        """Run `then(span)` on the coding under the selection, asking which when there are several."""
        doc = self.view.doc
        spans = doc.spans_over(*self.view.selection) if doc else []
        if not spans:
            self.notify("No coding under the selection", severity="warning")
            return
        if len(spans) == 1:
            then(spans[0])
            return
        items = [Item(s.name, s, "“" + " ".join(doc.text[s.start:s.end].split())[:50] + "”", s.colour)
                 for s in spans]
        self.app.push_screen(PickList(title, items), lambda span: span and then(span))

    def action_uncode(self) -> None:
        def remove(span: Span) -> None:
            if succeeds(self, remove_coding, self.store, span.coding_id):
                self.notify(f"Removed {span.name}", timeout=2)
                self.reload()

        self._with_coding("Remove which coding?", remove)

    def action_memo(self) -> None:
        def write(span: Span) -> None:
            coding = self._codings.get(span.coding_id)
            dialog = TextDialog(f"Memo on {span.name}", coding.memo if coding else "")
            self.app.push_screen(dialog, lambda text: self._save_memo(span, text))

        self._with_coding("Memo on which coding?", write)

    def _save_memo(self, span: Span, text: str | None) -> None:
        if text is not None and attempt(self, set_coding_memo, self.store, span.coding_id, text):
            self.notify("Memo saved", timeout=2)
            self.reload()

    def action_source_memo(self) -> None:
        if self.source_id is None:
            return
        source_id = self.source_id
        dialog = TextDialog(f"Memo on source '{self.view.doc.title}'", self.store.source_memo(source_id))

        def save(text: str | None) -> None:
            if text is not None and succeeds(self, set_source_memo, self.store, source_id, text):
                self.notify("Source memo saved", timeout=2)

        self.app.push_screen(dialog, save)

    # -- moving around ---------------------------------------------------------------------------
    def action_next_uncoded(self) -> None:
        doc = self.view.doc
        if not doc or not doc.turns:
            return
        here = self.view.current_turn
        n = len(doc.turns)
        for step in range(1, n + 1):
            t = (here + step) % n
            lo, hi = doc.turn_sentences[t]
            turn = doc.turns[t]  # a participant's words, or words nobody is credited with yet
            if (turn.role in ("participant", UNATTRIBUTED) and not turn.not_speech and hi > lo
                    and not doc.turn_is_coded(t)):
                if t <= here:
                    self.notify("Wrapped to the start", timeout=2)
                self.view.goto_turn(t)
                return
        self.notify("Every participant turn here is coded")

    def action_filter_speaker(self) -> None:
        if self.source_id is None:
            return
        speakers = self.store.speakers_of(self.source_id)
        ids = [None] + [p.id for p in speakers]
        self.speaker = ids[(ids.index(self.speaker) + 1) % len(ids)] if self.speaker in ids else None
        label = next((p.label(self.store.anonymize) for p in speakers if p.id == self.speaker), None)
        self.notify(f"Showing only {label}" if label else "Showing every speaker", timeout=2)
        self._load(self.source_id, span=self.view.selection, center=True)

    def action_answers(self) -> None:
        """From a survey answer: every respondent's answer to its question."""
        doc = self.view.doc
        if doc is None or not doc.turns:
            return
        turn = doc.turns[self.view.current_turn]
        row = self.store.db.execute("SELECT question_id FROM utterances WHERE id = ?", [turn.utterance_id]).fetchone()
        if not row or row[0] is None:
            self.notify("Not a survey answer: answers by question are for survey sources", severity="warning")
            return
        self.post_message(ShowAnswers(row[0]))

    def action_pick_source(self) -> None:
        items = [Item(s["label"], s["id"], f"{s['utterances']} turns · {round(100 * s['coded_share'])}% coded")
                 for s in source_table(self.store)]
        self.app.push_screen(PickList("Open which source?", items), lambda sid: sid and self.show(sid))
