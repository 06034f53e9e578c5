"""The command palette's own providers: every action by name, every source by title."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from coding.models import source_pseudonym

from .messages import OpenSource


class BindingCommands(Provider):
    """Every action of the app and the current screen (each of our bindings, by its description), as
    palette commands.

    Not `Screen.active_bindings`: while a text field has focus, Textual drops the bindings of printable
    keys (H, Q, J ... would type into the field), so the palette lost every screen on the Search screen.
    The palette runs actions by name, so it walks the focused widget's ancestors itself (their
    `_bindings`, with keys as remapped) and asks each node's `check_action`."""

    def _commands(self) -> Iterable[tuple[str, str, object]]:
        from textual.actions import parse

        screen = self.screen
        nodes = list(screen.focused.ancestors_with_self) if screen.focused is not None else [screen, self.app]
        seen: set[str] = set()
        for node in nodes:
            for _key, binding in node._bindings:  # Textual's own widget keys have no id: left out
                if not binding.id or not binding.description or binding.id in seen:
                    continue
                _, action, params = parse(binding.action)
                if node.check_action(action, params) is False:
                    continue
                seen.add(binding.id)
                run = partial(self.app.run_action, binding.action, node)
                yield binding.description, f"key: {self.app.get_key_display(binding)}", run

    async def discover(self) -> Hits:
        for name, help_text, run in sorted(self._commands(), key=lambda c: c[0]):
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)


class SourceCommands(Provider):
    """Every source by its title: "Open source: interview_03" opens it in the reader; "Delete source: …",
    "Rename source: …" and "Replace source file: …" change it (`screens.source_actions`), from any screen."""

    def _commands(self) -> list[tuple[str, object]]:
        from .screens import source_actions as act

        app = self.app
        anonymize = app.store.anonymize  # S01 … then: titles are often file names with a person's name
        out = []
        for sid, title, position in app.store.db.execute("SELECT id, title, position FROM sources ORDER BY position"):
            name = source_pseudonym(position) if anonymize else title
            out += [(f"Open source: {name}", partial(app.post_message, OpenSource(sid))),
                    (f"Delete source: {name}", partial(act.delete_source, app, sid)),
                    (f"Rename source: {name}", partial(act.rename_source, app, sid)),
                    (f"Replace source file: {name}", partial(act.replace_source, app, sid))]
        return out

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run)
