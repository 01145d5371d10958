"""Every key of the screen underneath, on one screen (`?`), dimmed where it is refused now."""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from app.room_keys import action_name

REFUSED = "dim"
"""A key the screen underneath refuses now: greyed, as in the footer, and marked in words."""


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from, then the application's.

    The screen's own keys are judged as its footer judges them
    (Screen.check_action): one it refuses now is dimmed and says why (a
    screen's `why_not(action)`, else "not now"); one it hides, because
    another action on the same key stands in, is left out.
    """

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", tooltip="Close the help."),
    ]

    def __init__(self, underneath: Screen) -> None:
        super().__init__()
        self._underneath = underneath

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Static("Keys", classes="dialog-title")
            yield Static(self._key_table())

    def _key_table(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(style="dim")
        screen = self._underneath
        sections = [
            (getattr(screen, "BINDING_GROUP_TITLE", "Screen"), screen.BINDINGS, True),
            *((title, bindings, False) for title, bindings in getattr(screen, "HELP_SECTIONS", ())),
            (
                "Everywhere",
                [
                    *self.app.BINDINGS,
                    Binding(
                        "ctrl+p", "command_palette", "Commands", tooltip="Search every command."
                    ),
                ],
                False,
            ),
        ]
        for title, bindings, judged in sections:
            table.add_row(Text(title, style="bold underline"), "", "")
            for binding in bindings:
                if not isinstance(binding, Binding):
                    continue
                state = screen.check_action(action_name(binding.action), ()) if judged else True
                if state is False:
                    continue
                keys, description = Text(self._keys(binding)), Text(binding.description)
                about = Text(binding.tooltip)
                if state is None:
                    keys.stylize(REFUSED)
                    description.stylize(REFUSED)
                    about = Text(self._not_now(binding), style="italic")
                table.add_row(keys, description, about)
            table.add_row("", "", "")
        return table

    def _not_now(self, binding: Binding) -> str:
        """Why the key is refused, in words: "not now: the room is paused; resume it first
        (p)." (or "not now" alone, from a screen that cannot say why)."""
        why_not = getattr(self._underneath, "why_not", None)
        reason = why_not(action_name(binding.action)) if why_not is not None else None
        return f"not now: {reason}" if reason else "not now"

    def _keys(self, binding: Binding) -> str:
        """The binding's keys as the footer shows them: "^q", "⏎", "esc, ?, q"."""
        return ", ".join(
            self.app.get_key_display(replace(binding, key=key.strip()))
            for key in binding.key.split(",")
        )

    def action_close(self) -> None:
        self.dismiss(None)
