"""Every key of the screen underneath, on one screen (`?`)."""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from, then the application's."""

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
        sections = [
            (getattr(self._underneath, "BINDING_GROUP_TITLE", "Screen"), self._underneath.BINDINGS),
            *(
                (title, bindings)
                for title, bindings in getattr(self._underneath, "HELP_SECTIONS", ())
            ),
            (
                "Everywhere",
                [
                    *self.app.BINDINGS,
                    Binding(
                        "ctrl+p", "command_palette", "Commands", tooltip="Search every command."
                    ),
                ],
            ),
        ]
        for title, bindings in sections:
            table.add_row(Text(title, style="bold underline"), "", "")
            for binding in bindings:
                if isinstance(binding, Binding):
                    table.add_row(self._keys(binding), binding.description, binding.tooltip)
            table.add_row("", "", "")
        return table

    def _keys(self, binding: Binding) -> str:
        """The binding's keys as the footer shows them: "^q", "⏎", "esc, ?, q"."""
        return ", ".join(
            self.app.get_key_display(replace(binding, key=key.strip()))
            for key in binding.key.split(",")
        )

    def action_close(self) -> None:
        self.dismiss(None)
