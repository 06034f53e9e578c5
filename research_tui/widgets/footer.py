"""The key bar at the foot of every studio screen: Textual's `Footer`, built once per change of keys.

Textual's footer mounts a widget per key again on every bindings signal, and one switch of screens sends
a dozen (focus moves, mounts, the keys' checks): 14 rebuilds of 8-15 keys, each styled, were half the
main thread's work of opening the quotes screen or the reader on a large study. This one rebuilds once
per refresh at most, and only when the keys it would show differ from those it shows.
"""

from __future__ import annotations

from textual.widgets import Footer


class StudioFooter(Footer):
    _rebuild_pending = False
    _shown: tuple | None = None

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    def _keys(self) -> tuple:
        """What the footer shows: every shown binding with its state, and the palette's key."""
        app = self.app
        return (self.compact, self.show_command_palette,
                tuple((binding.key, app.get_key_display(binding), binding.description, binding.action,
                       binding.show, enabled, tooltip, binding.group)
                      for _node, binding, enabled, tooltip in self.screen.active_bindings.values()))

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
