"""Initiative arithmetic without the database: rolling, sorting, roll-offs, insert positions.

Pure functions over lists of InitiativeEntry, so the rules can be read (and
tested) in one place; the store's operations call them inside their write
transactions and log what they return. Every die comes from the caller's rng.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from store.models import InitiativeEntry


def sort_key(entry: InitiativeEntry) -> tuple[bool, int, int, int]:
    """Descending order of initiative: (rolled, roll, dexterity_modifier, tiebreaker).

    Entries not rolled yet sort after every rolled one; a missing tiebreaker
    counts below any rolled one.
    """
    rolled = entry.initiative_roll is not None
    tiebreaker = entry.tiebreaker if entry.tiebreaker is not None else -(2**63)
    return (rolled, entry.initiative_roll or 0, entry.dexterity_modifier, tiebreaker)


def sorted_position(order: list[InitiativeEntry], entry: InitiativeEntry) -> int:
    """Where `entry` goes in `order` by its initiative: after every entry that sorts at or
    above it, so an equal newcomer comes after those already there; unrolled: last."""
    if entry.initiative_roll is None:
        return len(order)
    key = sort_key(entry)
    for index, other in enumerate(order):
        if sort_key(other) < key:
            return index
    return len(order)


def tie_die(tied: int) -> int:
    """Faces of the roll-off die among `tied` entries: a d20, a d100 when more than 20 tie
    (and more faces past 100, so that every entry can get its own number)."""
    if tied <= 20:
        return 20
    if tied <= 100:
        return 100
    return 10 ** len(str(tied))


@dataclass
class Rolled:
    """What roll_initiative did: the new order, and each die for the log."""

    order: list[InitiativeEntry]
    rolls: dict[str, dict[str, int]] = field(default_factory=dict)
    """entity_id -> {"d20", "modifier", "total"} for each combatant rolled."""
    tiebreakers: dict[str, int] = field(default_factory=dict)
    """entity_id -> the roll-off value given now to a combatant that was still tied."""


def roll(order: list[InitiativeEntry], entity_ids: Iterable[str], rng: random.Random) -> Rolled:
    """Roll d20 + dexterity_modifier for `entity_ids`, then sort the whole order and break
    the ties that remain with roll-offs.

    The dice are rolled in the order's order, so a seeded rng replays a roll
    exactly. Sorting is stable: entries equal on every key (the unrolled ones)
    keep their relative places.
    """
    wanted = set(entity_ids)
    result = Rolled(order=[])
    rolled: list[InitiativeEntry] = []
    for entry in order:
        if entry.entity_id in wanted:
            d20 = rng.randint(1, 20)
            total = d20 + entry.dexterity_modifier
            result.rolls[entry.entity_id] = {
                "d20": d20,
                "modifier": entry.dexterity_modifier,
                "total": total,
            }
            entry = entry.model_copy(update={"initiative_roll": total, "tiebreaker": None})
        rolled.append(entry)
    result.order = break_ties(sorted(rolled, key=sort_key, reverse=True), rng, result.tiebreakers)
    return result


def break_ties(
    order: list[InitiativeEntry], rng: random.Random, given: dict[str, int]
) -> list[InitiativeEntry]:
    """`order` (sorted) with every rolled entry's (roll, dexterity, tiebreaker) distinct.

    Within each group equal on roll and dexterity, entries whose tiebreaker
    is missing or shared roll off; those still equal roll again, until each
    has its own number. A tiebreaker that already set an entry apart is kept.
    New values are recorded in `given`.
    """
    groups: dict[tuple[int, int], list[InitiativeEntry]] = {}
    for entry in order:
        if entry.initiative_roll is not None:
            groups.setdefault((entry.initiative_roll, entry.dexterity_modifier), []).append(entry)
    changed: dict[str, int] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        faces = tie_die(len(group))
        counts: dict[int | None, int] = {}
        for entry in group:
            counts[entry.tiebreaker] = counts.get(entry.tiebreaker, 0) + 1
        taken = {entry.tiebreaker for entry in group if counts[entry.tiebreaker] == 1}
        taken.discard(None)
        kept = _kept(group, counts)
        pending = [entry.entity_id for entry in group if entry.entity_id not in kept]
        while pending:
            drawn = {entity_id: rng.randint(1, faces) for entity_id in pending}
            values = list(drawn.values())
            still = []
            for entity_id, value in drawn.items():
                if value in taken or values.count(value) > 1:
                    still.append(entity_id)
                else:
                    changed[entity_id] = value
            taken.update(changed[entity_id] for entity_id in pending if entity_id not in still)
            pending = still
    if not changed:
        return order
    given.update(changed)
    updated = [
        entry.model_copy(update={"tiebreaker": changed[entry.entity_id]})
        if entry.entity_id in changed
        else entry
        for entry in order
    ]
    return sorted(updated, key=sort_key, reverse=True)


def _kept(group: list[InitiativeEntry], counts: dict[int | None, int]) -> set[str]:
    """The entries of a tied group whose tiebreaker already sets them apart."""
    return {
        entry.entity_id
        for entry in group
        if entry.tiebreaker is not None and counts[entry.tiebreaker] == 1
    }


def rolled_event(rolled: Rolled) -> dict[str, Any]:
    """The INITIATIVE_ROLLED event's data: each die, the roll-offs, the order it made."""
    return {
        "rolls": rolled.rolls,
        "tiebreakers": rolled.tiebreakers,
        "order": [entry.entity_id for entry in rolled.order],
    }


def unrolled(order: list[InitiativeEntry]) -> list[str]:
    """The entity ids of the entries not rolled yet."""
    return [entry.entity_id for entry in order if entry.initiative_roll is None]
