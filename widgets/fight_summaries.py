"""Log lines for building and steering a fight: combatants, initiative, hit points,
conditions, delays and undos.

Each summary names combatants by the name the event carries, else by the names
the log has learned (`entities`), else by id; everything from the data is shown
literally.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text

from widgets.text import literal

__all__ = ["FIGHT_TAGS", "fight_summary"]

FIGHT_TAGS = {
    "COMBATANT_ADDED": "fight",
    "COMBATANT_REMOVED": "fight",
    "COMBATANT_UPDATED": "fight",
    "INITIATIVE_REORDERED": "init",
    "INITIATIVE_ROLLED": "init",
    "HP_CHANGED": "hp",
    "CONDITION_ADDED": "cond",
    "CONDITION_REMOVED": "cond",
    "CONDITION_ENDED": "cond",
}
"""Family words for the event column (TURN_DELAYED and TURN_UNDONE read as "turn")."""
NAME_LIMIT = 60
FIELD_WORDS = {
    "initiative_roll": "initiative",
    "dexterity_modifier": "dexterity",
    "entity_type": "type",
    "user_id": "player",
}


def fight_summary(kind: str, data: dict[str, Any], entities: Mapping[str, str]) -> Text | None:
    """The summary of a combatant, initiative, delay or undo event; None for other types."""
    describe = _SUMMARIES.get(kind)
    return None if describe is None else describe(data, entities)


def _name(entity_id: Any, entities: Mapping[str, str]) -> str:
    return entities.get(entity_id, str(entity_id)) if isinstance(entity_id, str) else "?"


def _entry_name(data: dict[str, Any], entities: Mapping[str, str]) -> str:
    entry = data.get("entry")
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        return str(entry["name"])
    return _name(data.get("entity_id"), entities)


def _line(*parts: tuple[str, str] | str) -> Text:
    """Literal parts, each with its style, joined into one line."""
    text = Text(end="")
    for part in parts:
        value, style = (part, "") if isinstance(part, str) else part
        text.append_text(literal(value, style, limit=NAME_LIMIT * 4))
    return text


def _added(data: dict[str, Any], entities: Mapping[str, str]) -> Text:
    entry = data.get("entry") if isinstance(data.get("entry"), dict) else {}
    roll = entry.get("initiative_roll")
    detail = "not rolled yet" if roll is None else f"initiative {roll}"
    return _line((_entry_name(data, entities), "bold"), f" joins the fight ({detail})")


def _removed(data: dict[str, Any], entities: Mapping[str, str]) -> Text:
    text = _line((_entry_name(data, entities), "bold"), " leaves the fight")
    if data.get("skipped_turn"):
        text.append("; their turn is skipped")
    return text


def _updated(data: dict[str, Any], entities: Mapping[str, str]) -> Text:
    changes = data.get("changes") if isinstance(data.get("changes"), dict) else {}
    previous = data.get("previous") if isinstance(data.get("previous"), dict) else {}
    who = _name(data.get("entity_id"), entities)
    if isinstance(changes.get("name"), str) and isinstance(previous.get("name"), str):
        who = str(previous["name"])
    described = ", ".join(
        f"{FIELD_WORDS.get(field, field)} {_shown(previous.get(field))} → {_shown(value)}"
        for field, value in changes.items()
    )
    return _line((who, "bold"), f": {described or 'no change'}")


def _reordered(data: dict[str, Any], entities: Mapping[str, str]) -> Text:
    place = data.get("to_index")
    where = f"place {place + 1}" if isinstance(place, int) else "a new place"
    return _line((_name(data.get("entity_id"), entities), "bold"), f" moved to {where}")


def _rolled(data: dict[str, Any], entities: Mapping[str, str]) -> Text:
    rolls = data.get("rolls") if isinstance(data.get("rolls"), dict) else {}
    parts = []
    for entity_id, roll in rolls.items():
        if isinstance(roll, dict):
            modifier = roll.get("modifier", 0)
            signed = (
                f"- {-modifier}" if isinstance(modifier, int) and modifier < 0 else f"+ {modifier}"
            )
            parts.append(
                f"{_name(entity_id, entities)} {roll.get('total')} (d20 {roll.get('d20')} {signed})"
            )
    text = _line("initiative rolled: ", ", ".join(parts) or "nobody needed a roll")
    if data.get("tiebreakers"):
        text.append(" · ties broken by a roll-off", style="dim")
    return text


def _delayed(data: dict[str, Any], entities: Mapping[str, str]) -> Text:
    who = data.get("entity_name") or _name(data.get("entity_id"), entities)
    after = _name(data.get("after_entity_id"), entities)
    return _line((str(who), "bold"), " delays, to act after ", (after, "bold"))


def _undone(data: dict[str, Any], entities: Mapping[str, str]) -> Text:
    who = data.get("entity_name") or _name(data.get("entity_id"), entities)
    return _line(
        "turn undone: ",
        (str(who), "bold"),
        f"'s turn again (round {data.get('round_number', '?')}, "
        f"turn {data.get('turn_number', '?')})",
    )


def _hp(data: dict[str, Any], entities: Mapping[str, str]) -> Text:
    """ "Goblin Boss takes 23 from Bree (7/30)", "Bree heals 5", "Bree: 5 temporary hp"."""
    who = _name(data.get("entity_id"), entities)
    delta = data.get("delta")
    source = data.get("source_entity_id")
    by = f" from {_name(source, entities)}" if isinstance(source, str) else ""
    now = f" ({data.get('current_hp')}/{data.get('max_hp')})"
    if not isinstance(delta, int) or delta == 0:
        return _line((who, "bold"), f": {data.get('temp_hp') or 0} temporary hp{now}")
    if delta < 0:
        down = ", down" if data.get("current_hp") == 0 else ""
        return _line((who, "bold"), f" takes {-delta}{by}{now}{down}")
    return _line((who, "bold"), f" heals {delta}{by}{now}")


def _condition(data: dict[str, Any], entities: Mapping[str, str], verb: str) -> Text:
    rounds = data.get("rounds")
    lasting = ""
    if verb == "is now" and isinstance(rounds, int):
        lasting = f" for {rounds} round{'s' * (rounds != 1)}"
    return _line(
        (_name(data.get("entity_id"), entities), "bold"),
        f" {verb} ",
        (str(data.get("name", "?")), "magenta"),
        lasting,
    )


def _shown(value: Any) -> str:
    return "—" if value is None else str(value)


_SUMMARIES = {
    "COMBATANT_ADDED": _added,
    "COMBATANT_REMOVED": _removed,
    "COMBATANT_UPDATED": _updated,
    "INITIATIVE_REORDERED": _reordered,
    "INITIATIVE_ROLLED": _rolled,
    "TURN_DELAYED": _delayed,
    "TURN_UNDONE": _undone,
    "HP_CHANGED": _hp,
    "CONDITION_ADDED": lambda data, entities: _condition(data, entities, "is now"),
    "CONDITION_REMOVED": lambda data, entities: _condition(data, entities, "is no longer"),
    "CONDITION_ENDED": lambda data, entities: _condition(data, entities, "is no longer"),
}
