"""What ending a turn does to the order: its bearer's conditions tick, and downed monsters
and npcs after it are passed over.

Pure functions over a list of InitiativeEntry and a position (index, round,
turn); the turn engine (store/turns.py) records and logs what they return.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store import vitals
from store.models import InitiativeEntry


@dataclass(frozen=True)
class PassOver:
    """A downed monster's or npc's turn, recorded as skipped with reason "down"."""

    entry: InitiativeEntry
    """As it was when passed over (before its conditions ticked)."""
    index: int
    round_number: int
    turn_number: int
    tick: vitals.Tick | None
    ends_round: bool


@dataclass
class Start:
    """Where the next turn starts once the downed are passed over, and who was."""

    index: int
    round_number: int
    turn_number: int
    passes: list[PassOver] = field(default_factory=list)


@dataclass
class AfterTurn:
    """The end of the turn at some index, and the start of the next one."""

    order: list[InitiativeEntry]
    """The order with every tick applied (the ending combatant's and the passed-over ones')."""
    tick: vitals.Tick | None
    """The ending combatant's conditions."""
    ends_round: bool
    start: Start

    @property
    def order_changed(self) -> bool:
        return self.tick is not None or any(p.tick is not None for p in self.start.passes)


def pass_over(
    order: list[InitiativeEntry], index: int, round_number: int, turn_number: int
) -> Start:
    """Start the turn at `index` (round, turn): downed monsters and npcs from there on are
    passed over, each turn a number, their conditions ticking as at any turn's end (in
    `order`, in place), until a combatant who acts. When every combatant is down, no one is.
    """
    start = Start(index, round_number, turn_number)
    if not order or all(entry.passed_over for entry in order):
        return start
    while order[start.index].passed_over:
        entry = order[start.index]
        order[start.index], tick = vitals.ticked(entry)
        ends_round = start.index + 1 == len(order)
        start.passes.append(
            PassOver(entry, start.index, start.round_number, start.turn_number, tick, ends_round)
        )
        if ends_round:
            start.index, start.round_number, start.turn_number = 0, start.round_number + 1, 1
        else:
            start.index, start.turn_number = start.index + 1, start.turn_number + 1
    return start


def after_turn(
    order: list[InitiativeEntry], index: int, round_number: int, turn_number: int
) -> AfterTurn:
    """The turn at `index` ends: its bearer's conditions tick, and the next turn starts after
    it (the first of the next round after the last), passing over the downed."""
    order = list(order)
    order[index], tick = vitals.ticked(order[index])
    ends_round = index + 1 == len(order)
    if ends_round:
        start = pass_over(order, 0, round_number + 1, 1)
    else:
        start = pass_over(order, index + 1, round_number, turn_number + 1)
    return AfterTurn(order, tick, ends_round, start)
