"""Hit points and conditions without the database: damage, healing, durations.

Pure functions from one InitiativeEntry to the next, so the rules read (and
are tested) in one place; store/health.py and the turn engine call them
inside their write transactions and log what they return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store.models import Condition, InitiativeEntry


def adjusted(entry: InitiativeEntry, delta: int) -> InitiativeEntry:
    """`entry` after `delta` hit points: damage (< 0) takes temp_hp first and stops at 0;
    healing (> 0) stops at max_hp and never adds temp_hp. Hit points must be tracked."""
    assert entry.max_hp is not None and entry.current_hp is not None
    current, temp = entry.current_hp, entry.temp_hp
    if delta < 0:
        damage = -delta
        if temp:
            absorbed = min(temp, damage)
            temp, damage = temp - absorbed, damage - absorbed
        current = max(0, current - damage)
    else:
        current = min(entry.max_hp, current + delta)
    return entry.model_copy(update={"current_hp": current, "temp_hp": temp})


def find_condition(entry: InitiativeEntry, name: str) -> int | None:
    """Where `entry` holds the condition `name` (compared without case), if it does."""
    wanted = name.casefold()
    for index, condition in enumerate(entry.conditions):
        if condition.name.casefold() == wanted:
            return index
    return None


def with_condition(entry: InitiativeEntry, condition: Condition) -> InitiativeEntry:
    """`entry` holding `condition`: one it already has (by name) takes the new name and
    duration in its place; a new one goes last."""
    conditions = list(entry.conditions)
    at = find_condition(entry, condition.name)
    if at is None:
        conditions.append(condition)
    else:
        conditions[at] = condition
    return entry.model_copy(update={"conditions": conditions})


def without_condition(entry: InitiativeEntry, at: int) -> InitiativeEntry:
    conditions = [c for index, c in enumerate(entry.conditions) if index != at]
    return entry.model_copy(update={"conditions": conditions})


@dataclass(frozen=True)
class Tick:
    """What the end of a turn did to its bearer's conditions."""

    entity_id: str
    before: tuple[Condition, ...]
    """All its conditions as they were, in order: what undo_turn puts back."""
    ended: tuple[Condition, ...]
    """Those whose last round it was: they are gone now."""


def ticked(entry: InitiativeEntry) -> tuple[InitiativeEntry, Tick | None]:
    """`entry` at the end of its turn: each condition with rounds left loses one, and those at
    0 end. None when it holds no condition with a duration (nothing changes)."""
    if all(c.rounds_left is None for c in entry.conditions):
        return entry, None
    kept = [
        c if c.rounds_left is None else c.model_copy(update={"rounds_left": c.rounds_left - 1})
        for c in entry.conditions
        if c.rounds_left != 1
    ]
    ended = tuple(c for c in entry.conditions if c.rounds_left == 1)
    return entry.model_copy(update={"conditions": kept}), Tick(
        entry.entity_id, tuple(entry.conditions), ended
    )


def restored(entry: InitiativeEntry, before: Sequence[Condition]) -> InitiativeEntry:
    """`entry` with the conditions a turn's end ticked put back as they were (undo_turn).

    `before` is the list as it was before the tick, in order (records older
    than that list hold only the conditions with rounds left). The result
    follows its order: one still held is kept, with its rounds back if it
    had any; one that ended then is held again in its place. One removed
    since stays removed (taking a turn back does not take back the game
    master's later removal), and one added since stays, after the others.
    """
    held = {c.name.casefold(): c for c in entry.conditions}
    conditions = []
    for condition in before:
        now = held.pop(condition.name.casefold(), None)
        if now is not None:
            if condition.rounds_left is not None:
                now = now.model_copy(update={"rounds_left": condition.rounds_left})
            conditions.append(now)
        elif condition.rounds_left == 1:
            conditions.append(condition)
    conditions.extend(c for c in entry.conditions if c.name.casefold() in held)
    return entry.model_copy(update={"conditions": conditions})
