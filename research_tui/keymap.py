"""The studio's key map: every binding each screen declares, with its key as people type it.

The help screen, the docs check (docs/studio.md) and remapped keys (settings) all read it from here.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.keys import format_key


def binding_specs() -> list[tuple[str, str, str, str]]:
    """(screen, key, description, id) for every binding the studio declares."""
    from .app import StudioApp
    from .screens import dialogs, picker
    from .screens.codebook import CodebookScreen
    from .screens.help import HelpScreen
    from .screens.home import HomeScreen
    from .screens.importer import ImportDialog
    from .screens.quotes import QuotesScreen
    from .screens.reader import ReaderScreen
    from .screens.search import SearchScreen
    from .widgets.quote_list import QuoteList
    from .widgets.transcript import TranscriptView

    groups: list[tuple[str, list[type]]] = [
        ("app", [StudioApp]),
        ("home", [HomeScreen]),
        ("import", [ImportDialog]),
        ("reader", [TranscriptView, ReaderScreen]),
        ("codebook", [CodebookScreen]),
        ("quotes", [QuotesScreen, QuoteList]),
        ("search", [SearchScreen]),
        ("help", [HelpScreen]),
        ("pick list", [picker.PickList]),
        ("dialogs", [dialogs.ConfirmDialog, dialogs.TextDialog, dialogs.CodeForm]),
    ]
    for name, module, cls in (("journey", "journey", "JourneyScreen"), ("export", "export", "ExportDialog"),
                              ("agreement", "agreement", "AgreementScreen"), ("matrix", "matrix", "MatrixScreen"),
                              ("clusters", "clusters", "ClustersScreen"), ("answers", "answers", "AnswersScreen"),
                              ("personas", "personas", "PersonasScreen")):
        try:
            mod = __import__(f"research_tui.screens.{module}", fromlist=[cls])
            groups.append((name, [getattr(mod, cls)]))
        except ImportError:  # written by another engineer; absent until then
            continue
    rows: list[tuple[str, str, str, str]] = [("app", "ctrl+p", "Command palette", "app.palette")]
    seen: set[tuple[str, str]] = set()
    for screen, classes in groups:
        for cls in classes:
            for b in cls.__dict__.get("BINDINGS", []):
                if isinstance(b, tuple):
                    b = Binding(*b)
                if (screen, b.id or b.key) in seen:
                    continue
                seen.add((screen, b.id or b.key))
                rows.append((screen, b.key, b.description, b.id or ""))
    return rows


def key_label(keys: str) -> str:
    """A binding's key(s) as people type them: 'j,down' -> 'j, down', 'question_mark' -> '?'."""
    out = []
    for key in keys.split(","):
        *mods, base = key.strip().split("+")
        char = format_key(base) if len(base) > 1 else base
        if not (len(char) == 1 and char.isascii() and char.isprintable() and not char.isspace()):
            char = base
        out.append("+".join(mods + [char]))
    return ", ".join(out)


def all_bindings(keymap: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(screen, key, description) for every binding, with keys remapped by `keymap` (binding id -> key)."""
    keymap = keymap or {}
    return [(screen, key_label(keymap.get(ident, key)), description)
            for screen, key, description, ident in binding_specs()]
