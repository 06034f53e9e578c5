"""Messages that screens post up to the app (which decides which screen shows what)."""

from __future__ import annotations

from textual.message import Message


class OpenSource(Message):
    """Open a source in the reader, optionally selecting text[start:end] (and finding `find` there, so
    n and N go on to the next and previous match)."""

    def __init__(self, source_id: int, start: int | None = None, end: int | None = None, *,
                 find: str | None = None) -> None:
        self.source_id = source_id
        self.start = start
        self.end = end
        self.find = find
        super().__init__()


class ShowQuotes(Message):
    """Show the quotes of one code."""

    def __init__(self, code_id: int) -> None:
        self.code_id = code_id
        super().__init__()


class ShowAnswers(Message):
    """Show every answer to one survey question."""

    def __init__(self, question_id: int) -> None:
        self.question_id = question_id
        super().__init__()


class ShowParticipantQuotes(Message):
    """Show every quote of one participant (from the Personas screen)."""

    def __init__(self, participant_id: int) -> None:
        self.participant_id = participant_id
        super().__init__()


class StudyChanged(Message):
    """The study file changed outside the current screen (e.g. an import finished)."""
