"""A fight's headline figures: who took how long, who dealt and took how much, what lingered.

Computed from the turn records and the log's hit-point and condition events,
so the recap screen (`R`) and `liveroom export --format md` tell the same story.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from store import Interaction, LiveStore, LogEntry, TurnRecord

RECAP_EVENTS = ("HP_CHANGED", "CONDITION_ADDED")
"""The events the recap reads besides the turn records."""
PAGE = 1000


@dataclass
class CombatantFigures:
    """One combatant's share of the fight."""

    entity_id: str
    name: str
    turns: int = 0
    played_ms: list[int] = field(default_factory=list)
    """Each recorded turn's played time (pauses left out)."""
    damage_dealt: int = 0
    damage_taken: int = 0
    healing_done: int = 0
    healing_received: int = 0

    @property
    def average_ms(self) -> int | None:
        return sum(self.played_ms) // len(self.played_ms) if self.played_ms else None

    @property
    def longest_ms(self) -> int | None:
        return max(self.played_ms, default=None)


@dataclass(frozen=True)
class ConditionApplied:
    """A condition put on a combatant, and for how many rounds (None: until removed)."""

    name: str
    target: str
    rounds: int | None


@dataclass(frozen=True)
class Recap:
    """The fight in figures."""

    rounds: int
    turns: int
    skipped: int
    timed_out: int
    combatants: list[CombatantFigures]
    """In initiative order, then anyone who left the fight."""
    conditions: list[ConditionApplied]


def log_pages(
    store: LiveStore, interaction_id: int, event_types: Sequence[str] | None = None
) -> Iterator[list[LogEntry]]:
    """Pages of an interaction's events, newest first, following the store's keyset
    (`before=`): how the recap and the export read a whole log."""
    before: int | None = None
    while True:
        page = store.get_interaction_logs(
            interaction_id, limit=PAGE, before=before, event_types=event_types
        )
        if page:
            yield page
        if len(page) < PAGE:
            return
        before = page[-1].id


def read_recap(store: LiveStore, interaction: Interaction) -> Recap:
    """The recap of `interaction`, read from `store` (turn records and recap events)."""
    events = [entry for page in log_pages(store, interaction.id, RECAP_EVENTS) for entry in page]
    return build_recap(interaction, store.get_turn_records(interaction.id), reversed(events))


def build_recap(
    interaction: Interaction, turns: Sequence[TurnRecord], events: Iterable[LogEntry]
) -> Recap:
    """The recap from turn records and HP_CHANGED / CONDITION_ADDED events (oldest first)."""
    names = {entry.entity_id: entry.name for entry in interaction.initiative_order}
    figures: dict[str, CombatantFigures] = {
        entity_id: CombatantFigures(entity_id, name) for entity_id, name in names.items()
    }

    def of(entity_id: str) -> CombatantFigures:
        if entity_id not in figures:
            figures[entity_id] = CombatantFigures(entity_id, names.get(entity_id, entity_id))
        return figures[entity_id]

    for turn in turns:
        combatant = of(turn.entity_id)
        combatant.turns += 1
        if turn.duration_ms is not None and turn.status != "skipped":
            combatant.played_ms.append(turn.duration_ms)
    conditions = []
    for event in events:
        data = event.event_data if isinstance(event.event_data, dict) else {}
        target = data.get("entity_id")
        if not isinstance(target, str):
            continue
        if event.event_type == "HP_CHANGED":
            _count_hp(data, of(target), _source(data, of))
        elif event.event_type == "CONDITION_ADDED":
            name = data.get("name")
            rounds = data.get("rounds")
            if isinstance(name, str):
                conditions.append(
                    ConditionApplied(
                        name, of(target).name, rounds if isinstance(rounds, int) else None
                    )
                )
    return Recap(
        rounds=len({turn.round_number for turn in turns}),
        turns=len(turns),
        skipped=sum(turn.status == "skipped" for turn in turns),
        timed_out=sum(turn.status == "timeout" for turn in turns),
        combatants=list(figures.values()),
        conditions=conditions,
    )


def _source(data: dict[str, Any], of: Any) -> CombatantFigures | None:
    source = data.get("source_entity_id")
    return of(source) if isinstance(source, str) else None


def _count_hp(
    data: dict[str, Any], target: CombatantFigures, source: CombatantFigures | None
) -> None:
    delta = data.get("delta")
    if not isinstance(delta, int) or isinstance(delta, bool):
        return
    if delta < 0:
        target.damage_taken += -delta
        if source is not None:
            source.damage_dealt += -delta
    else:
        target.healing_received += delta
        if source is not None:
            source.healing_done += delta
