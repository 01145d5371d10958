"""A footer that rebuilds its keys only when they change."""

from __future__ import annotations

from textual.widgets import Footer

__all__ = ["SteadyFooter"]


class SteadyFooter(Footer):
    """Textual's Footer, rebuilt only when the keys it shows changed.

    The stock Footer removes and re-mounts every key (16 on the room screen,
    each restyled twice: ~20 ms) on every bindings signal, and opening a room
    sends three of them (auto focus, the screen resuming, the focus settling)
    besides the one for the room's status, though the keys differ at most
    once; the rooms screen gets the same signals as it starts and as a room
    opens over it.
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._composed: tuple[object, ...] | None = None

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._shown_keys()
        if shown != self._composed:
            self._composed = shown
            await super().recompose()

    def _shown_keys(self) -> tuple[object, ...]:
        """Everything Footer.compose reads, so equal keys mean an identical footer.

        Hidden bindings are left out (moving the focus to a table brings its
        own, unshown, keys), except the command palette's, which the footer shows.
        """
        active = self.screen.active_bindings
        shown = tuple(
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return (
            shown,
            None if palette is None else palette[1:],
            self.show_command_palette,
            self.compact,
            self.combine_groups,
        )
