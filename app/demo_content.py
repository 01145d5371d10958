"""The demo's cast and lines: who plays, what they fight, what they roll and say.

Shared by the seed (history written in the past) and the simulator (live play
now), so both speak with the same voices. Pure data and dice: nothing here
touches the store.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from typing import Any, Literal

DM_USER_ID = "u-ana"
USERS: dict[str, str] = {
    DM_USER_ID: "Ana (DM)",
    "u-bree": "Bree",
    "u-cass": "Cass",
    "u-dara": "Dara",
    "u-eli": "Eli",
    "u-fenn": "Fenn",
    "u-gus": "Gus",
}
"""User ids and display names: the DM first, then the six players."""

Side = Literal["party", "foes"]
Ending = Literal["live", "paused", "completed", "cancelled"]
EntityType = Literal["playerCharacter", "npc", "monster"]


@dataclass(frozen=True)
class Combatant:
    """One entity that can stand in an initiative order, with enough stats to fight.

    Its hit points as they are now live in the store (InitiativeEntry.current_hp);
    max_hp and armor_class here are what it enters a fight with.
    """

    entity_id: str
    entity_type: EntityType
    name: str
    dexterity_modifier: int
    max_hp: int
    armor_class: int
    attack_bonus: int
    damage: str
    weapon: str
    side: Side = "foes"
    user_id: str | None = None
    rider: tuple[str, int] | None = None
    """A condition its hits can inflict, and for how many rounds: (poisoned, 2)."""


def _hero(
    entity_id: str,
    name: str,
    user: str,
    stats: tuple[int, int, int, int],
    damage: str,
    weapon: str,
) -> Combatant:
    dex, hp, ac, attack_bonus = stats
    return Combatant(
        entity_id, "playerCharacter", name, dex, hp, ac, attack_bonus, damage, weapon, "party", user
    )


HEROES: dict[str, Combatant] = {
    c.entity_id: c
    for c in (
        _hero("pc-thorin", "Thorin Ashbeard", "u-bree", (0, 38, 18, 6), "1d8+4", "warhammer"),
        _hero("pc-lyra", "Lyra Quickstep", "u-cass", (4, 27, 15, 7), "1d6+4", "rapier"),
        _hero("pc-maelis", "Maelis of the Veil", "u-dara", (2, 24, 12, 6), "2d10", "Fire Bolt"),
        _hero("pc-oswin", "Brother Oswin", "u-eli", (1, 31, 18, 5), "1d6+3", "mace"),
        _hero("pc-kestrel", "Kestrel Vane", "u-fenn", (3, 29, 15, 7), "1d8+3", "longbow"),
        _hero(
            "pc-grubnock", "Grubnock the Unlikely", "u-gus", (2, 26, 14, 5), "1d10+2", "greatclub"
        ),
    )
}
"""The player characters, each played by one of the players in USERS."""

_POISONED = ("poisoned", 2)
FOES: dict[str, Combatant] = {
    c.entity_id: c
    for c in (
        Combatant("goblin", "monster", "Goblin Skirmisher", 2, 7, 15, 4, "1d6+2", "scimitar"),
        Combatant("goblin-boss", "monster", "Goblin Boss", 2, 21, 17, 4, "2d6+2", "scimitar"),
        Combatant(
            "dire-wolf", "monster", "Dire Wolf", 2, 37, 14, 5, "2d6+3", "bite", rider=("prone", 1)
        ),
        Combatant(
            "lich",
            "monster",
            "Vaeloth the Lich",
            3,
            135,
            17,
            12,
            "3d6",
            "Paralyzing Touch",
            rider=("paralyzed", 1),
        ),
        Combatant("warden", "monster", "Skeletal Warden", 2, 13, 13, 4, "1d6+2", "shortsword"),
        Combatant("sahuagin", "monster", "Sahuagin Raider", 0, 22, 12, 3, "1d8+1", "spear"),
        Combatant(
            "guardian",
            "monster",
            "Drowned Guardian",
            -1,
            59,
            14,
            6,
            "2d8+4",
            "slam",
            rider=("restrained", 1),
        ),
        Combatant("ogre", "monster", "Siege Ogre", -1, 59, 11, 6, "2d8+4", "greatclub"),
        Combatant(
            "cultist", "npc", "Ember Cultist", 1, 9, 12, 3, "1d6+1", "dagger", rider=_POISONED
        ),
        Combatant("aldric", "npc", "Sir Aldric Vell", 1, 52, 18, 5, "1d8+3", "longsword"),
        Combatant("bouncer", "npc", "Hobb the Bouncer", 0, 22, 12, 4, "1d4+2", "fists"),
        Combatant("mirelle", "npc", "Captain Mirelle", 2, 40, 15, 6, "1d8+3", "saber", "party"),
        Combatant(
            "zafira",
            "npc",
            "Zafira the Brass Broker",
            1,
            18,
            13,
            3,
            "1d4+1",
            "hidden knife",
            rider=_POISONED,
        ),
    )
}
"""Monsters and NPCs; Captain Mirelle is the one NPC who fights for the party."""

ENCOUNTER_NAMES = (
    "Skirmish at the Old Mill",
    "Wolves on the Frostwind Pass",
    "The Cult Beneath Emberfall",
    "Raid on the Salt Barges",
    "Night Watch at Greyhollow",
    "Ruins of the Amber Spire",
)
"""Names for rooms the simulator creates when a store has no live rooms."""


@dataclass(frozen=True)
class RoomPlan:
    """What one demo room looks like when the seed is done."""

    name: str
    description: str
    ending: Ending
    turn_time_limit: int
    cast: tuple[str, ...]
    turns: int
    """Turns played before the ending; the one after them is left running (or paused).
    A room that ends completed plays on until its foes are down (passed-over turns are not
    counted: the store records them)."""
    ends_before_now_s: int
    """How long before the caller's "now" the room's last step happens."""
    map: str
    reason: str | None = None
    timeouts: int = 0
    allow_private_chat: bool = True
    social: bool = False
    """A parley: skill checks instead of blows."""
    leaves: str | None = None
    """A player who drops out of the room during the last turn."""
    opening: str = "Ready when you are."
    """The first player's first party message once everyone has joined."""


PLANS: tuple[RoomPlan, ...] = (
    RoomPlan(
        name="Tavern Brawl at the Gilded Tankard",
        description="A bar fight that got out of hand.",
        ending="cancelled",
        turn_time_limit=90,
        cast=("pc-grubnock", "pc-kestrel", "bouncer", "aldric"),
        turns=4,
        ends_before_now_s=5 * 3600,
        map="The Gilded Tankard",
    ),
    RoomPlan(
        name="The Drowned Crypt",
        description="Brine-flooded tombs under the harbour chapel.",
        ending="completed",
        turn_time_limit=90,
        cast=("pc-thorin", "pc-lyra", "pc-maelis", "pc-oswin", "guardian", "sahuagin-1"),
        turns=24,
        ends_before_now_s=100 * 60,
        map="Drowned Crypt, lower vault",
        reason="The Drowned Guardian fell; the party claims the Coral Crown",
        timeouts=1,
    ),
    RoomPlan(
        name="Siege of Emberfall Keep",
        description="Holding the gatehouse until dawn.",
        ending="paused",
        turn_time_limit=60,
        cast=("pc-thorin", "pc-oswin", "pc-kestrel", "mirelle", "ogre", "cultist-1"),
        turns=8,
        ends_before_now_s=9 * 60,
        map="Emberfall gatehouse",
        reason="Short rest: back in ten",
    ),
    RoomPlan(
        name="Parley at the Brass Bazaar",
        description="Haggling for the map, knives under the table.",
        ending="live",
        turn_time_limit=0,
        cast=("pc-lyra", "pc-maelis", "zafira", "mirelle"),
        turns=9,
        ends_before_now_s=45,
        map="The Brass Bazaar",
        social=True,
    ),
    RoomPlan(
        name="The Lich's Antechamber",
        description="Runes flare as the door seals behind the party.",
        ending="live",
        turn_time_limit=75,
        cast=("pc-maelis", "pc-oswin", "pc-grubnock", "lich", "warden-1"),
        turns=11,
        ends_before_now_s=20,
        map="Antechamber of Vaeloth",
        timeouts=1,
        allow_private_chat=False,
        leaves="u-gus",
        opening="Is that a [link=https://example.com]phylactery[/link]? [i]Just asking.[/i]",
    ),
    RoomPlan(
        name="Goblin Ambush at Tallow Ford",
        description="Goblins spring from the reeds mid-crossing.",
        ending="live",
        turn_time_limit=15,
        cast=("pc-thorin", "pc-lyra", "pc-kestrel", "goblin-1", "goblin-2", "goblin-boss"),
        turns=14,
        ends_before_now_s=3,
        map="Tallow Ford",
        timeouts=2,
        opening="[bold]not bold[/bold] - if this is bold, the console ate my brackets.",
    ),
)
"""The rooms with history, oldest first; the live ones end seconds before "now"."""

IDLE_NAME = "The Sunken Observatory"
IDLE_CAST = ("pc-lyra", "pc-kestrel", "pc-maelis", "dire-wolf-1", "dire-wolf-2")
"""The idle room: initiative rolled, waiting for the DM to go live."""


PARTY_LINES = (
    "I'll flank left, cover me!",
    "Anyone still have a healing potion?",
    "{foe} is bloodied, focus it!",
    "[bold]not bold[/bold] - does the console eat my brackets?",
    "Rolling with advantage thanks to the help action, right?",
    "Careful, the floor looks trapped.",
    "I'm at half HP, someone keep {foe} off me.",
    "[red]RED ALERT[/red] says the goblin banner. It is not red.",
    "Can I ready an action for when {foe} moves?",
)
DM_LINES = (
    "The torches gutter as something large moves behind {foe}.",
    "Roll a Dexterity save: the floor is giving way.",
    "{foe} snarls and eyes whoever hit it last.",
    "Reminder: difficult terrain costs double movement.",
)
PRIVATE_LINES = (
    "Psst - I'm palming the key while they're distracted.",
    "Don't tell the others, but I'm cursed.",
    "If this goes badly, I'm running. [i]No regrets.[/i]",
    "Can you heal me next turn without making it obvious?",
)
SYSTEM_LINES = (
    "Lair action: the ground shakes.",
    "A cold wind snuffs half the torches.",
    "Reinforcements can be heard approaching.",
)
BLOODIED = "{name} is bloodied."
DOWNED = "{name} drops to 0 hit points."
BACK_UP = "{name} is back on their feet."

_DICE = re.compile(r"^(\d+)d(\d+)([+-]\d+)?$")


def roll(rng: random.Random, notation: str) -> tuple[int, list[int]]:
    """Roll dice like "2d6+3": (total, the individual dice)."""
    match = _DICE.match(notation)
    if match is None:
        raise ValueError(f"notation: not dice like 1d20+5: {notation!r}")
    count, sides, bonus = int(match[1]), int(match[2]), int(match[3] or 0)
    dice = [rng.randint(1, sides) for _ in range(count)]
    return sum(dice) + bonus, dice


def signed(value: int) -> str:
    """A modifier as written on a character sheet: +3, -1, +0."""
    return f"{value:+d}"


def numbered(combatant: Combatant, number: int) -> Combatant:
    """A second (third...) copy of a combatant with its own id and name."""
    return replace(
        combatant,
        entity_id=f"{combatant.entity_id}-{number}",
        name=f"{combatant.name} {number}",
    )


def cast_of(ids: tuple[str, ...]) -> list[Combatant]:
    """Catalogue combatants by id; "goblin-2" is the second goblin."""
    cast = []
    for entity_id in ids:
        known = HEROES.get(entity_id) or FOES.get(entity_id)
        if known is None:
            base, number = entity_id.rsplit("-", 1)
            known = numbered(FOES[base], int(number))
        cast.append(known)
    return cast


def initiative_order(rng: random.Random, cast: list[Combatant]) -> list[dict[str, Any]]:
    """Roll initiative for the cast and sort it as a table would: roll, then Dexterity.

    Each entry enters at full hit points with its armor class: from then on the
    store keeps them.
    """
    entries = []
    for combatant in cast:
        total, _ = roll(rng, f"1d20{signed(combatant.dexterity_modifier)}")
        entries.append(
            {
                "entity_id": combatant.entity_id,
                "entity_type": combatant.entity_type,
                "name": combatant.name,
                "initiative_roll": total,
                "dexterity_modifier": combatant.dexterity_modifier,
                "user_id": combatant.user_id,
                "max_hp": combatant.max_hp,
                "current_hp": combatant.max_hp,
                "armor_class": combatant.armor_class,
            }
        )
    entries.sort(key=lambda e: (e["initiative_roll"], e["dexterity_modifier"]), reverse=True)
    return entries


def combatant_for(entity_id: str, entity_type: str, name: str, user_id: str | None) -> Combatant:
    """The catalogue's combatant for an initiative entry, or a plain one for strangers."""
    base = entity_id.rsplit("-", 1)[0] if entity_id[-1:].isdigit() else entity_id
    known = HEROES.get(entity_id) or FOES.get(entity_id) or FOES.get(base)
    if known is not None:
        return replace(known, entity_id=entity_id, name=name)
    if entity_type == "playerCharacter":
        return Combatant(
            entity_id, "playerCharacter", name, 0, 25, 14, 5, "1d8+3", "sword", "party", user_id
        )
    kind: EntityType = "npc" if entity_type == "npc" else "monster"
    return Combatant(entity_id, kind, name, 0, 20, 12, 4, "1d8+2", "claws", "foes", user_id)


def chat_line(rng: random.Random, lines: tuple[str, ...], **names: str) -> str:
    """A random line with {foe} or {name} filled in."""
    return rng.choice(lines).format(**names)


def _chat_channels(*, chat_enabled: bool, allow_private_chat: bool) -> list[str]:
    """The channels a room's settings allow, weighted: party chat the most common."""
    if not chat_enabled:
        return ["system"]
    return ["party", "party", "party", "dm", "system", *(["private"] * allow_private_chat)]


def chat_event(channel: str, content: str, recipients: list[str] | None = None) -> dict[str, Any]:
    """A CHAT_MESSAGE's event_data, the one shape the seed and the simulator write."""
    data: dict[str, Any] = {"channel": channel, "content": content}
    if recipients:
        data["recipients"] = recipients
    return data


def chat_message(
    rng: random.Random,
    speaker: str,
    *,
    dm: str,
    users: list[str],
    foe: str,
    chat_enabled: bool = True,
    allow_private_chat: bool = True,
) -> tuple[str | None, dict[str, Any]]:
    """A demo chat message the room's settings allow: who sends it, and its event_data.

    Party and private lines are the speaker's (a private one goes to another
    of `users`, the DM among them); the DM speaks on the dm channel, and
    nobody on system.
    """
    channel = rng.choice(
        _chat_channels(chat_enabled=chat_enabled, allow_private_chat=allow_private_chat)
    )
    if channel == "party":
        return speaker, chat_event(channel, chat_line(rng, PARTY_LINES, foe=foe))
    if channel == "dm":
        return dm, chat_event(channel, chat_line(rng, DM_LINES, foe=foe))
    if channel == "private":
        others = [user for user in users if user != speaker] or [dm]
        return speaker, chat_event(channel, chat_line(rng, PRIVATE_LINES), [rng.choice(others)])
    return None, chat_event("system", rng.choice(SYSTEM_LINES))
