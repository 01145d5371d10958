"""The footer: the screen's keys on one line, drawn by one widget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

__all__ = ["FooterKey", "SteadyFooter"]

SEPARATOR = "▕"
"""Drawn between the screen's keys and the command palette's key at the right."""
HELP_ACTION = "help"
"""The key that lists every key: always drawn, first, so whatever is left out is a key away."""
MAIN_ACTIONS = frozenset({"back", "pause", "resume", "advance", "go_live"})
"""The keys that take a room (or a screen) to its next step: left out only after every
other key, so an idle room at 80 columns still shows `g Go live`."""


@dataclass(frozen=True)
class FooterKey:
    """One key as the footer shows it."""

    key: str
    """The binding's key: clicking the footer presses it."""
    display: str
    """The key as shown ("^q", "⏎")."""
    description: str
    enabled: bool
    """False while the screen refuses the action: drawn dim, and a click only beeps."""
    tooltip: str
    action: str = ""
    """The binding's action: whether the key is kept longest (help, MAIN_ACTIONS)."""


@dataclass(frozen=True)
class _Span:
    """Where one key was drawn, for the pointer: cells start <= x < end."""

    start: int
    end: int
    key: FooterKey


class _Styles(NamedTuple):
    """The footer's component styles, looked up once per drawing (each lookup walks the DOM)."""

    key: Style
    description: Style
    separator: Style
    hover: Style

    @classmethod
    def of(cls, footer: Widget) -> _Styles:
        return cls(
            *(
                footer.get_component_rich_style(f"footer--{part}")
                for part in ("key", "description", "separator", "hover")
            )
        )


class SteadyFooter(Widget, can_focus=False):
    """The screen's keys and what they do, as one line of text.

    Textual's Footer mounts a widget per key (sixteen on the room screen),
    styles and lays out each, and re-mounts them all on every bindings
    signal: some 40 ms of the dashboard's first paint, and more each time a
    room opens. This draws the same keys in the same theme colours as one
    line, redrawn only when the keys change. A click presses the key under
    the pointer, hovering shows its tooltip. When the keys are wider than
    the screen, whole keys are left out (`_fitting`) and the palette's key
    stays on the right: a key cut at the edge left a stray letter or half a
    word before the separator. `? Help` comes first and stays (as F1 Help
    does in htop and ^G Help in nano): it lists every key left out. The
    keys that take the room to its next step go last.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--key",
        "footer--description",
        "footer--separator",
        "footer--hover",
    }
    DEFAULT_CSS = """
    SteadyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    SteadyFooter > .footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    SteadyFooter > .footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    SteadyFooter > .footer--separator {
        color: $foreground 20%;
    }
    SteadyFooter > .footer--hover {
        background: $block-hover-background;
    }
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__()
        self.compact = compact
        """Keys and descriptions without padding, for screens with many keys."""
        self.keys: tuple[FooterKey, ...] = ()
        """The screen's keys, left to right (the command palette's excluded)."""
        self.palette_key: FooterKey | None = None
        self._spans: list[_Span] = []
        self._hovered: FooterKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._read_keys()

    def _read_keys(self) -> None:
        """Take the screen's active keys; redraw only if what is shown changed."""
        keys: dict[str, FooterKey] = {}
        active = self.screen.active_bindings
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:  # one key per action
                keys[binding.action] = FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    enabled,
                    tooltip or binding.tooltip,
                    binding.action,
                )
        if HELP_ACTION in keys:
            keys = {HELP_ACTION: keys.pop(HELP_ACTION), **keys}
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = None
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            _, binding, enabled, tooltip = palette
            palette_key = FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                enabled,
                tooltip or binding.tooltip or binding.description,
            )
        shown = (tuple(keys.values()), palette_key)
        if shown != (self.keys, self.palette_key):
            self.keys, self.palette_key = shown
            self.refresh()

    # -- drawing -----------------------------------------------------------

    def render(self) -> Text:
        width = self.size.width
        styles = _Styles.of(self)
        self._spans = []
        right = self._palette_text(styles)
        room_for_keys = max(0, width - right.cell_len)
        gap = " " if self.compact else ""
        drawn = [(key, self._key_text(key, styles)) for key in self.keys]
        shown = _fitting(
            [(text.cell_len, _value(key)) for key, text in drawn], room_for_keys, len(gap)
        )
        line = Text(no_wrap=True, overflow="crop", end="")
        for index in shown:
            key, text = drawn[index]
            if line.cell_len:
                line.append(gap)
            self._add(line, text, key)
        line.truncate(room_for_keys, pad=True)
        if self.palette_key is not None and right.cell_len:
            start = line.cell_len + len(SEPARATOR)
            line.append_text(right)
            self._spans.append(_Span(start, line.cell_len, self.palette_key))
        return line

    def _palette_text(self, styles: _Styles) -> Text:
        key = self.palette_key
        if key is None:
            return Text()
        text = Text(SEPARATOR, style=styles.separator)
        text.append_text(self._key_text(key, styles))
        return text

    def _key_text(self, key: FooterKey, styles: _Styles) -> Text:
        """The key and its description in their colours: ' ^q Quit ', or '^q Quit' if compact."""
        key_style, description_style = styles.key, styles.description
        if key is self._hovered:
            key_style += styles.hover
            description_style += styles.hover
        if not key.description:
            shown_key, description = key.display, ""
        elif self.compact:
            shown_key, description = key.display, f" {key.description}"
        else:
            shown_key, description = f" {key.display} ", f"{key.description} "
        text = Text.assemble((shown_key, key_style), (description, description_style))
        if not key.enabled:
            text.stylize(Style(dim=True))
        return text

    def _add(self, line: Text, drawn: Text, key: FooterKey) -> None:
        start = line.cell_len
        line.append_text(drawn)
        self._spans.append(_Span(start, line.cell_len, key))

    # -- the pointer -------------------------------------------------------

    def key_at(self, x: int) -> FooterKey | None:
        """The key drawn at column `x`, if any (as of the last drawing)."""
        for span in self._spans:
            if span.start <= x < span.end:
                return span.key
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        event.stop()
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, key: FooterKey | None) -> None:
        if key is not self._hovered:
            self._hovered = key
            self.tooltip = None if key is None else key.tooltip or None
            self.refresh()


def _value(key: FooterKey) -> int:
    """How long a key is kept when the keys are wider than the screen: 0 a key the screen
    refuses (it only beeps), 1 most keys, 2 the next step (MAIN_ACTIONS), 3 help."""
    if key.action == HELP_ACTION:
        return 3
    if not key.enabled:
        return 0
    return 2 if key.action in MAIN_ACTIONS else 1


def _fitting(keys: list[tuple[int, int]], room: int, gap: int) -> list[int]:
    """Which keys to draw, by index in order, given each one's (cells, value).

    While they are wider than `room` (with `gap` cells between two keys), a
    key is left out: the lowest value first (see _value), the rightmost first
    among equals. The help key and the palette's key still offer every key
    left out.
    """
    kept = list(range(len(keys)))
    for index in sorted(reversed(kept), key=lambda index: keys[index][1]):
        if sum(keys[i][0] for i in kept) + gap * (len(kept) - 1) <= room:
            break
        kept.remove(index)
    return kept
