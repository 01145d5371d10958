"""The title bar: the app's title and the screen's sub-title on one line, drawn by one widget."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

__all__ = ["TitleBar"]

ICON = "⭘"
ICON_WIDTH = 8
"""Cells of the icon's area at the left, as in Textual's Header."""
RIGHT_MARGIN = 10
"""Cells kept clear at the right (where Header keeps its clock), so titles centre alike."""
ICON_TOOLTIP = "Open the command palette"


class TitleBar(Widget, can_focus=False):
    """ "liveroom — Parley at the Brass Bazaar", centred, with ⭘ at the left for the palette.

    Textual's Header composes three widgets (icon, title, clock space) and
    styles and lays out each: 6-9 ms of the dashboard's first paint for one
    line of text. This draws the same line in the same colours as one
    widget: the title (the screen's, else the app's), then " — " and the
    sub-title, dim; clicking the icon opens the command palette, hovering it
    says so.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"title-bar--icon-hover"}
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar > .title-bar--icon-hover {
        background: $foreground 10%;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._icon_hovered = False

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._title_changed, init=False)
            self.watch(owner, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    @property
    def title_text(self) -> Text:
        """What the bar shows between the icon and the right margin, before centring."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        text = Text(title, end="")
        if sub_title:
            text.append(" — ", style="dim")
            text.append(sub_title, style="dim")
        return text

    def render(self) -> Text:
        width = self.size.width
        line = Text(no_wrap=True, overflow="crop", end="")
        icon_style = (
            self.get_component_rich_style("title-bar--icon-hover")
            if self._icon_hovered
            else Style.null()
        )
        line.append(f" {ICON}".ljust(ICON_WIDTH), style=icon_style)
        room = width - ICON_WIDTH - RIGHT_MARGIN
        if room > 0:  # narrower, the icon alone (Rich cannot cut a text to nothing)
            title = self.title_text
            if title.cell_len > room:
                title.truncate(room, overflow="ellipsis")
            line.append(" " * ((room - title.cell_len) // 2))
            line.append_text(title)
        line.truncate(width, pad=True)
        return line

    # -- the pointer -------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.x < ICON_WIDTH:
            event.stop()
            self.app.action_command_palette()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_icon(event.x < ICON_WIDTH)

    def on_leave(self, event: events.Leave) -> None:
        self._hover_icon(False)

    def _hover_icon(self, hovered: bool) -> None:
        if hovered != self._icon_hovered:
            self._icon_hovered = hovered
            self.tooltip = ICON_TOOLTIP if hovered else None
            self.refresh()
