"""What the players may see of a room, as plain data and Rich text: no Textual, no store calls.

Everything here decides what is shown and what is kept back: hidden combatants,
monsters' exact hit points, DM-only and private chat, the state snapshot and the
settings never reach a player. Player-typed text goes through widgets.text.literal,
so it is always shown as typed, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text

from store import RUNNING_STATUSES, InitiativeEntry, Interaction, LogEntry
from widgets.event_summaries import chat_sender
from widgets.health import HEALTH_STYLES, conditions_text, health_word, hp_bar
from widgets.text import append_literal, literal

GM_TURN = "the game master's turn"
"""Shown instead of a hidden combatant's name while it takes its turn."""
PLAYER_CHANNELS = ("party", "system")
"""The only chat channels players see here: never "dm" nor "private"."""
CHAT_LIMIT = 500
"""Characters of one chat message shown; a longer one ends with "…"."""
NAME_LIMIT = 40


@dataclass(frozen=True)
class OrderRow:
    """A visible combatant and whether it is taking its turn."""

    combatant: InitiativeEntry
    current: bool


def visible_order(interaction: Interaction) -> list[OrderRow]:
    """The initiative order without the combatants the game master hid."""
    current = current_index(interaction)
    rows = []
    for index, entry in enumerate(interaction.initiative_order):
        if not entry.hidden:
            rows.append(OrderRow(entry, index == current))
    return rows


def current_index(interaction: Interaction) -> int | None:
    """The index of the combatant whose turn runs, while one does (live or paused)."""
    if interaction.status not in RUNNING_STATUSES or interaction.current_entry is None:
        return None
    return interaction.current_initiative_index


def whose_turn(interaction: Interaction) -> str | None:
    """The name players see for the combatant whose turn it is (None: no turn running).

    A hidden combatant still takes its turn; players only learn that it is the
    game master's.
    """
    if current_index(interaction) is None:
        return None
    entry = interaction.current_entry
    assert entry is not None
    return GM_TURN if entry.hidden else entry.name


def remaining_ms(interaction: Interaction, now_ms: int) -> int | None:
    """Time left on the turn (frozen while paused); None when untimed or no turn runs."""
    if current_index(interaction) is None or interaction.turn_time_limit <= 0:
        return None
    if interaction.status == "paused":
        return interaction.paused_turn_remaining_ms
    if interaction.current_turn_timeout is None:
        return None
    return max(0, interaction.current_turn_timeout - now_ms)


# -- hit points and conditions --------------------------------------------


def health_text(seen: InitiativeEntry) -> Text:
    """A player character's hit points as numbers ("23/31 +5"), anyone else's as a word;
    empty when they are not tracked."""
    if seen.current_hp is None or seen.max_hp is None or seen.max_hp <= 0:
        return Text("", end="")
    if seen.entity_type == "playerCharacter":
        return hp_bar(seen.current_hp, seen.max_hp, seen.temp_hp, bar=False)
    word = health_word(seen.current_hp, seen.max_hp)
    return Text(word, style=HEALTH_STYLES[word], end="")


# -- chat -----------------------------------------------------------------


def chat_channel(entry: LogEntry) -> str | None:
    """The channel of a chat message players may read ("party" or "system"), else None."""
    if entry.event_type != "CHAT_MESSAGE" or not isinstance(entry.event_data, dict):
        return None
    channel = entry.event_data.get("channel")
    return channel if channel in PLAYER_CHANNELS else None


def player_chat(entries: Iterable[LogEntry]) -> list[LogEntry]:
    """Only the party and system messages of `entries`, in the same order."""
    return [entry for entry in entries if chat_channel(entry) is not None]


def chat_line(entry: LogEntry, names: Mapping[str, str]) -> Text:
    """ "Bree: I draw my bow." for the party, a system notice dimmed and italic."""
    data: dict[str, Any] = entry.event_data if isinstance(entry.event_data, dict) else {}
    system = chat_channel(entry) == "system"
    text = Text(end="")
    sender = chat_sender(entry.user_id, data, names)
    if sender is not None:
        append_literal(text, sender, "bold" if not system else "bold dim", limit=NAME_LIMIT)
        text.append(": ")
    append_literal(text, data.get("content", ""), "italic dim" if system else "", limit=CHAT_LIMIT)
    return text


# -- headings -------------------------------------------------------------


WAITING = {
    "idle": "Waiting for the game master to start the fight…",
    "paused": "Paused: the game master will be right back.",
    "completed": "The fight is over.",
    "cancelled": "This fight was called off.",
}
"""What the big screen says instead of the turn when no turn is being played."""


def waiting_message(interaction: Interaction) -> str | None:
    """What to say instead of whose turn it is (None: a turn is being played)."""
    if interaction.status == "live":
        return None if current_index(interaction) is not None else "Waiting for the first turn…"
    return WAITING.get(interaction.status, "Waiting…")


def connected_text(user_ids: Sequence[str], names: Mapping[str, str]) -> Text:
    """ "Connected: ● Bree Underhill  ● Tam Ashford", or "nobody"."""
    text = Text("Connected: ", style="bold", end="")
    if not user_ids:
        text.append("nobody", style="dim italic")
        return text
    for index, user_id in enumerate(dict.fromkeys(user_ids)):
        if index:
            text.append("  ")
        text.append("● ", style="green")
        append_literal(text, names.get(user_id, user_id), limit=NAME_LIMIT)
    return text


def title_text(interaction: Interaction) -> Text:
    """ "Goblin Ambush at Tallow Ford" with the round, as the title bar shows it."""
    text = literal(interaction.name, "bold", limit=80)
    if interaction.status in RUNNING_STATUSES and interaction.round_number:
        text.append(f"  ·  round {interaction.round_number}", style="dim")
    return text


def order_table(rows: Sequence[OrderRow], interaction: Interaction) -> Table:
    """The visible initiative order: ▶ on whose turn it is, initiative, name (● when its
    player is connected), health and conditions."""
    table = Table(
        box=None,
        expand=True,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="dim",
    )
    table.add_column(" ", width=1, no_wrap=True)
    table.add_column("Init", justify="right", width=4, no_wrap=True)
    table.add_column("Name", ratio=3, no_wrap=True, overflow="ellipsis")
    table.add_column("Health", width=8, no_wrap=True)
    table.add_column("Conditions", ratio=2, overflow="fold")
    connected = set(interaction.connected_participants)
    for row in rows:
        seen = row.combatant
        style = "bold" if row.current else ""
        name = literal(seen.name, style, limit=NAME_LIMIT)
        if seen.user_id is not None and seen.user_id in connected:
            name.append(" ●", style="green")
        roll = seen.initiative_roll
        table.add_row(
            Text("▶", style="bold green") if row.current else Text(" "),
            Text("—" if roll is None else str(roll), style=style or "dim"),
            name,
            health_text(seen),
            conditions_text(seen.conditions),
            style="on #1f3a4d" if row.current else None,
        )
    if not rows:
        table.add_row("", "", Text("nobody in the order yet", style="dim italic"), "", "")
    return table
