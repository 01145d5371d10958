"""Turn history: every recorded turn, newest first, the current round on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from widgets.event_summaries import compact
from widgets.keyed_rows import Column, KeyedTable, ensure_columns, sync_rows
from widgets.text import EM_DASH, clip, format_duration, literal

if TYPE_CHECKING:
    from store.models import TurnRecord

__all__ = ["TurnHistory", "actions_summary"]

STATUS_STYLES = {"completed": "green", "skipped": "yellow", "timeout": "bold red"}
ACTIONS_WIDTH = 30


def actions_summary(actions: Sequence[Any]) -> str:
    """ "attack, move" from the actions' types (a note by its words), else a count.

    Turn records carry TurnActions; older or foreign shapes (dicts, strings)
    still read as a short hint rather than raw JSON.
    """
    if not actions:
        return EM_DASH
    labels: list[str] = []
    for action in actions:
        kind = getattr(action, "type", None)
        if isinstance(kind, str):
            note = getattr(action, "description", None)
            labels.append(note if kind == "note" and note else kind)
            continue
        if isinstance(action, dict):
            label = action.get("type") or action.get("name") or action.get("action")
            if isinstance(label, str) and label:
                labels.append(label)
                continue
        elif isinstance(action, str) and action:
            labels.append(action)
            continue
        labels = []
        break
    if labels:
        return ", ".join(labels)
    if len(actions) == 1:
        return clip(compact(actions[0]), 80)
    return f"{len(actions)} actions"


COLUMNS: list[Column] = [
    ("Round", "round", 5),
    ("Turn", "turn", 4),
    ("Entity", "entity", 14),
    ("Status", "status", 9),
    ("Duration", "duration", 8),
    ("Actions", "actions", ACTIONS_WIDTH),
]


class TurnHistory(KeyedTable):
    """Recorded turns keyed by record id, the newest on top, following new turns.

    The newest turn is the top row at any height: the current round's turns
    come first, newest first, then older rounds likewise. While the cursor
    is on the top row the table follows new turns (as the event log follows
    new events); a game master who moved it down to read an older turn keeps
    that turn under the cursor.
    """

    COLUMNS = COLUMNS
    FLEX = ("entity", "actions")

    DEFAULT_CSS = """
    TurnHistory {
        height: 1fr;
    }
    """

    def show_records(
        self,
        records: Sequence[TurnRecord],
        names: Mapping[str, str],
        current_round: int,
    ) -> None:
        """Show `records`: `current_round` first, then older rounds, each newest first.

        `names` maps entity ids to names (the initiative order's names); an
        entity no longer in the order shows its id.
        """
        ensure_columns(self, self.fitted_columns())
        ordered = sorted(
            records,
            key=lambda r: (r.round_number != current_round, -r.round_number, -r.turn_number, -r.id),
        )
        # sync_rows keeps the cursor on its row's key. New turns go in above it, so a
        # cursor left on the top row would be carried down a row per turn, and the
        # table scrolled after it, away from the current round: on the top row, stay.
        following = self.row_count == 0 or self.cursor_row <= 0
        sync_rows(self, [(str(r.id), self._cells(r, names, current_round)) for r in ordered])
        if following and self.row_count:
            self.move_cursor(row=0, animate=False)

    def _cells(
        self, record: TurnRecord, names: Mapping[str, str], current_round: int
    ) -> list[Text]:
        emphasis = "bold" if record.round_number == current_round else ""
        duration = record.duration_ms  # played time: the room's pauses left out
        return [
            Text(str(record.round_number), style=emphasis, justify="right", end=""),
            Text(str(record.turn_number), justify="right", end=""),
            literal(names.get(record.entity_id, record.entity_id), emphasis, limit=100),
            literal(record.status, STATUS_STYLES.get(record.status, "dim"), limit=12),
            Text(format_duration(duration), justify="right", end=""),
            literal(actions_summary(record.actions), "dim", limit=200),
        ]
