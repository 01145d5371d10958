"""New combatants from the add form: numbered names, ids unique within the fight."""

from __future__ import annotations

from app.combatants import new_combatants
from store import InitiativeEntry

FIELDS = {"entity_type": "monster", "initiative_roll": None, "dexterity_modifier": 2}


def _entry(entity_id: str, name: str) -> InitiativeEntry:
    return InitiativeEntry(
        entity_id=entity_id,
        entity_type="monster",
        name=name,
        initiative_roll=10,
        dexterity_modifier=0,
    )


def test_one_combatant_keeps_its_name_and_gets_an_id_from_it() -> None:
    made = new_combatants("Ogre Chief", 1, FIELDS, [])
    assert made == [{**FIELDS, "entity_id": "ogre-chief", "name": "Ogre Chief"}]


def test_several_are_numbered_after_those_already_in_the_fight() -> None:
    existing = [_entry("goblin-1", "Goblin 1"), _entry("goblin-2", "Goblin 2")]
    made = new_combatants("Goblin", 3, FIELDS, existing)
    assert [m["name"] for m in made] == ["Goblin 3", "Goblin 4", "Goblin 5"]
    assert [m["entity_id"] for m in made] == ["goblin-3", "goblin-4", "goblin-5"]


def test_an_id_already_taken_gets_a_suffix() -> None:
    made = new_combatants("Bree", 1, FIELDS, [_entry("bree", "Bree the elder")])
    assert made[0]["entity_id"] == "bree-2"


def test_a_name_without_letters_or_digits_still_gets_an_id() -> None:
    made = new_combatants("???", 1, FIELDS, [_entry("combatant", "!!!")])
    assert made[0]["entity_id"] == "combatant-2"
