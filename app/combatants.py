"""New combatants from the add form: names numbered, ids unique within the fight."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from store import InitiativeEntry
from store.limits import MAX_ID_LENGTH

_NOT_ID = re.compile(r"[^a-z0-9]+")


def new_combatants(
    name: str,
    count: int,
    fields: dict[str, Any],
    existing: Sequence[InitiativeEntry],
) -> list[dict[str, Any]]:
    """`count` combatants called `name` (numbered "Goblin 1", "Goblin 2"... when more than
    one, going on after those the fight already has), each with `fields` and an entity id
    made from its name that no combatant of the fight has yet."""
    taken_ids = {entry.entity_id for entry in existing}
    names = [name] if count == 1 else _numbered(name, count, existing)
    made = []
    for each in names:
        entity_id = _free_id(_slug(each), taken_ids)
        taken_ids.add(entity_id)
        made.append({**fields, "entity_id": entity_id, "name": each})
    return made


def _numbered(name: str, count: int, existing: Sequence[InitiativeEntry]) -> list[str]:
    pattern = re.compile(rf"^{re.escape(name)} (\d+)$")
    used = [int(found.group(1)) for e in existing if (found := pattern.match(e.name))]
    first = max(used, default=0) + 1
    return [f"{name} {number}" for number in range(first, first + count)]


def _slug(name: str) -> str:
    slug = _NOT_ID.sub("-", name.casefold()).strip("-")
    return (slug or "combatant")[: MAX_ID_LENGTH - 8]


def _free_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
