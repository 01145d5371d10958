"""The fight's recap (`R`): turn times, damage, healing and conditions, drawn as bars."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from app.recap import Recap
from widgets.bar_chart import Bar, BarChart
from widgets.text import format_duration, literal

AMOUNT_CHARTS = (
    ("Damage dealt", "damage_dealt", "red"),
    ("Damage taken", "damage_taken", "yellow"),
    ("Healing done", "healing_done", "green"),
)
"""The hit-point charts: title, CombatantFigures attribute, bar colour."""


class RecapScreen(ModalScreen[None]):
    """What a game master would rather see than read, for a live or finished fight."""

    BINDINGS = [Binding("escape,R", "close", "Close", tooltip="Back to the room.")]

    def __init__(self, name: str, recap: Recap) -> None:
        super().__init__()
        self._room_name = name
        self._recap = recap

    def compose(self) -> ComposeResult:
        recap = self._recap
        timed = [c for c in recap.combatants if c.average_ms is not None]
        with VerticalScroll(classes="dialog wide"):
            yield Static(Text.assemble("Recap: ", literal(self._room_name)), classes="dialog-title")
            yield Static(headline(recap), classes="hint")
            yield BarChart(
                "Turn time (average; longest beside it)",
                [
                    Bar(
                        c.name,
                        c.average_ms or 0,
                        f"{format_duration(c.average_ms)} · {format_duration(c.longest_ms)}",
                    )
                    for c in timed
                ],
                style="cyan",
            )
            for title, figure, style in AMOUNT_CHARTS:
                yield BarChart(
                    title,
                    [
                        Bar(c.name, getattr(c, figure), str(getattr(c, figure)))
                        for c in recap.combatants
                        if getattr(c, figure)
                    ],
                    style=style,
                )
            yield Static(conditions_text(recap))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


def headline(recap: Recap) -> Text:
    """ "3 rounds · 14 turns · 2 skipped · 1 timed out" """
    return Text(
        f"{recap.rounds} round{'s' * (recap.rounds != 1)} · {recap.turns} turns · "
        f"{recap.skipped} skipped · {recap.timed_out} timed out"
    )


def conditions_text(recap: Recap) -> Text:
    """The conditions applied, in order, each on its target with its duration."""
    text = Text.assemble(("Conditions applied", "bold"), "\n")
    if not recap.conditions:
        text.append("none", style="dim")
        return text
    lines = []
    for applied in recap.conditions:
        line = literal(applied.name, "bold")
        line.append(" on ")
        line.append_text(literal(applied.target))
        rounds = applied.rounds
        line.append(
            "  until removed" if rounds is None else f"  {rounds} round{'s' * (rounds != 1)}",
            style="dim",
        )
        lines.append(line)
    text.append_text(Text("\n").join(lines))
    return text
