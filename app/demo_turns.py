"""What a demo combatant does on its turn: a blow, a spell, a potion, a shove, a word.

Shared by the seed and the simulator, so both fight by the same rules. Pure:
it reads the fight as the store keeps it (InitiativeEntry: hit points, armor
class, conditions) and returns a TurnPlan, the turn's TurnActions with the
store calls that make them so (Effects). The simulator writes them at once;
the seed writes them at the times it schedules.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from app.demo_content import BACK_UP, BLOODIED, DOWNED, Combatant, combatant_for, roll, signed
from store import InitiativeEntry, TurnAction

DEFAULT_AC = 12
"""What an attack must reach against a combatant whose armor class is not kept."""
CLERIC = "pc-oswin"
"""Brother Oswin heals (Cure Wounds) and blesses (Bless, held by concentration)."""
CURE_WOUNDS = "1d8+3"
BLESS_TARGETS = 3
WARDED = "pc-maelis"
"""Maelis wards herself with False Life: temporary hit points."""
FALSE_LIFE = "1d4+4"
POTION = "2d4+2"
SHOVERS = frozenset({"pc-thorin", "pc-grubnock", "bouncer"})
"""Those who sometimes shove a foe prone instead of striking it."""
FOCUS_CHANCE = 0.5
"""How often an attacker goes for the weakest foe standing ("it's bloodied, focus it!")."""
SKILLS = ("Persuasion", "Insight", "Deception", "Intimidation")
SWAYED = {"Persuasion": "charmed", "Intimidation": "frightened"}
"""The condition a successful social move puts on its target for a round."""


@dataclass(frozen=True)
class Effect:
    """One store call a turn makes besides recording it."""

    kind: Literal["hp", "temp_hp", "add_condition", "remove_condition"]
    entity_id: str
    amount: int = 0
    """hp: the delta (damage < 0, healing > 0); temp_hp: the temporary hit points."""
    source: str | None = None
    """hp: who dealt or healed it."""
    condition: str = ""
    rounds: int | None = None


@dataclass
class TurnPlan:
    """A turn decided: what is recorded, what is rolled, what changes, and in a few words."""

    actions: list[TurnAction] = field(default_factory=list)
    dice: list[dict[str, Any]] = field(default_factory=list)
    """DICE_ROLL event data, in the order rolled."""
    effects: list[Effect] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What happened, a few words each, for the simulator's one-line description."""

    @property
    def summary(self) -> str:
        return "; ".join(self.notes) or "no action"


def stats(entry: InitiativeEntry) -> Combatant:
    """The catalogue's stats for a combatant of the order."""
    return combatant_for(entry.entity_id, entry.entity_type, entry.name, entry.user_id)


def standing(order: Sequence[InitiativeEntry], side: str) -> list[InitiativeEntry]:
    """The combatants of `side` ("party" or "foes") still on their feet."""
    return [e for e in order if not e.is_down and stats(e).side == side]


def holds(entry: InitiativeEntry, condition: str) -> bool:
    return any(c.name.casefold() == condition for c in entry.conditions)


def hp_line(before: InitiativeEntry, after: InitiativeEntry) -> str | None:
    """What the table says when hit points cross a line: bloodied, down, back up."""
    old, new, most = before.current_hp, after.current_hp, after.max_hp
    if old is None or new is None or most is None:
        return None
    if old > 0 == new:
        return DOWNED.format(name=after.name)
    if old == 0 < new:
        return BACK_UP.format(name=after.name)
    if old > most // 2 >= new:
        return BLOODIED.format(name=after.name)
    return None


def decide_turn(
    rng: random.Random,
    actor: InitiativeEntry,
    order: Sequence[InitiativeEntry],
    *,
    social: bool = False,
) -> TurnPlan:
    """What `actor` does this turn, in a fight whose combatants are `order` as they are now.

    A player character at 0 rolls a death save and the paralyzed do nothing.
    Anyone else moves (stands up when prone; not at all when restrained), then
    helps (the cleric heals the worst hurt or blesses, Maelis wards herself,
    the badly hurt drink a potion), or strikes a foe still standing (often the weakest), or shoves
    it prone; in a parley, it tries a skill on someone across the table.
    """
    plan = TurnPlan()
    if actor.is_down:
        return _death_save(rng, actor, plan)
    if holds(actor, "paralyzed"):
        plan.actions.append(TurnAction(type="note", description="paralyzed: cannot act"))
        plan.notes.append("paralyzed, cannot act")
        return plan
    me = stats(actor)
    if not holds(actor, "restrained"):
        plan.actions.append(_move(rng, actor))
    if social:
        others = [e for e in order if stats(e).side != me.side]
        return _parley(rng, actor, rng.choice(others), plan) if others else plan
    if _support(rng, actor, order, plan):
        return plan
    targets = standing(order, "foes" if me.side == "party" else "party")
    if not targets:
        return _catch_breath(actor, plan)
    target = rng.choice(targets)
    if rng.random() < FOCUS_CHANCE:
        target = min(targets, key=lambda e: e.current_hp if e.current_hp is not None else 999)
    if actor.entity_id in SHOVERS and not holds(target, "prone") and rng.random() < 0.2:
        return _shove(rng, actor, target, plan)
    return _strike(rng, actor, target, order, plan)


def _move(rng: random.Random, actor: InitiativeEntry) -> TurnAction:
    if holds(actor, "prone"):
        return TurnAction(type="move", parameters={"feet": 15}, description="stands up")
    feet = rng.choice((5, 10, 15, 20, 25, 30))
    return TurnAction(type="move", parameters={"feet": feet}, description=f"moves {feet} ft")


def _death_save(rng: random.Random, actor: InitiativeEntry, plan: TurnPlan) -> TurnPlan:
    d20 = rng.randint(1, 20)
    outcome = "success" if d20 >= 10 else "failure"
    if d20 == 20:
        outcome = "natural 20, back up with 1 hit point"
        plan.effects.append(Effect("hp", actor.entity_id, 1, source=actor.entity_id))
    plan.dice.append({"notation": "1d20", "result": d20, "label": "death save"})
    plan.actions.append(
        TurnAction(
            type="note",
            parameters={"death_save": d20, "success": d20 >= 10},
            description=f"death save: {d20}, {outcome}",
        )
    )
    plan.notes.append(f"death save {d20}")
    return plan


def _support(
    rng: random.Random, actor: InitiativeEntry, order: Sequence[InitiativeEntry], plan: TurnPlan
) -> bool:
    """Heal, bless, ward or drink instead of attacking; whether the turn went to it."""
    me = stats(actor)
    allies = [e for e in order if stats(e).side == me.side and e.max_hp]
    if actor.entity_id == CLERIC:
        hurt = sorted(
            (e for e in allies if e.max_hp and (e.current_hp or 0) * 2 < e.max_hp),
            key=lambda e: (e.current_hp or 0) / (e.max_hp or 1),
        )
        if hurt and rng.random() < 0.75:
            _heal(rng, actor, hurt[0], plan, "cast", "Cure Wounds", CURE_WOUNDS)
            return True
        blessed = [e for e in order if holds(e, "blessed")]
        if not blessed and rng.random() < 0.35:
            _bless(rng, actor, [e for e in allies if not e.is_down], plan)
            return True
        if blessed and rng.random() < 0.15:
            # Bless lasts a minute: let it lapse now and then so it is seen to end.
            plan.effects += [
                Effect("remove_condition", e.entity_id, condition="blessed") for e in blessed
            ]
            plan.actions.append(TurnAction(type="note", description="lets Bless lapse"))
            plan.notes.append("Bless fades")
    if actor.entity_id == WARDED and actor.max_hp and not actor.temp_hp and rng.random() < 0.4:
        amount, _ = roll(rng, FALSE_LIFE)
        plan.dice.append({"notation": FALSE_LIFE, "result": amount, "label": "False Life"})
        plan.effects.append(Effect("temp_hp", actor.entity_id, amount))
        plan.actions.append(
            TurnAction(
                type="cast",
                target=actor.entity_id,
                spell_id="false-life",
                parameters={"temp_hp": amount},
                description=f"False Life: {amount} temporary hit points",
            )
        )
        plan.notes.append(f"False Life for {amount} temporary hit points")
        return True
    low = actor.current_hp is not None and actor.max_hp and actor.current_hp * 3 < actor.max_hp
    if low and me.entity_type == "playerCharacter" and rng.random() < 0.4:
        _heal(rng, actor, actor, plan, "useItem", "potion of healing", POTION)
        return True
    return False


def _heal(
    rng: random.Random,
    actor: InitiativeEntry,
    target: InitiativeEntry,
    plan: TurnPlan,
    kind: Literal["cast", "useItem"],
    what: str,
    notation: str,
) -> None:
    amount, _ = roll(rng, notation)
    slug = what.lower().replace(" ", "-")
    plan.dice.append({"notation": notation, "result": amount, "label": what})
    plan.effects.append(Effect("hp", target.entity_id, amount, source=actor.entity_id))
    plan.actions.append(
        TurnAction(
            type=kind,
            target=target.entity_id,
            spell_id=slug if kind == "cast" else None,
            item_id=slug if kind == "useItem" else None,
            parameters={"healing": amount},
            description=f"{what}: heals {target.name} for {amount}",
        )
    )
    plan.notes.append(f"{what} heals {target.name} for {amount}")


def _bless(
    rng: random.Random, actor: InitiativeEntry, allies: list[InitiativeEntry], plan: TurnPlan
) -> None:
    chosen = rng.sample(allies, min(BLESS_TARGETS, len(allies)))
    plan.effects += [Effect("add_condition", e.entity_id, condition="blessed") for e in chosen]
    names = ", ".join(e.name for e in chosen)
    plan.actions.append(
        TurnAction(
            type="cast",
            spell_id="bless",
            parameters={"targets": [e.entity_id for e in chosen]},
            description=f"Bless: {names}",
        )
    )
    plan.notes.append(f"Bless on {names}")


def _catch_breath(actor: InitiativeEntry, plan: TurnPlan) -> TurnPlan:
    plan.actions.append(TurnAction(type="interact", description="searches the fallen"))
    plan.notes.append("no foe standing: searches the fallen")
    return plan


def _shove(
    rng: random.Random, actor: InitiativeEntry, target: InitiativeEntry, plan: TurnPlan
) -> TurnPlan:
    me, them = stats(actor), stats(target)
    ours, _ = roll(rng, f"1d20{signed(me.attack_bonus - 2)}")
    theirs, _ = roll(rng, f"1d20{signed(them.dexterity_modifier)}")
    plan.dice.append(
        {"notation": f"1d20{signed(me.attack_bonus - 2)}", "result": ours, "label": "Athletics"}
    )
    won = ours >= theirs
    if won:
        plan.effects.append(Effect("add_condition", target.entity_id, condition="prone", rounds=1))
    outcome = "knocked prone" if won else "keeps their feet"
    plan.actions.append(
        TurnAction(
            type="attack",
            target=target.entity_id,
            action_id="shove",
            parameters={"athletics": ours, "contest": theirs, "success": won},
            description=f"shove: {target.name} {outcome}",
        )
    )
    plan.notes.append(f"shoves {target.name}: {outcome}")
    return plan


def _strike(
    rng: random.Random,
    actor: InitiativeEntry,
    target: InitiativeEntry,
    order: Sequence[InitiativeEntry],
    plan: TurnPlan,
) -> TurnPlan:
    """A weapon or spell attack: advantage on the prone (in melee) and the paralyzed,
    disadvantage when poisoned or restrained, +1d4
    when blessed; a hit deals damage and maybe its rider, and may break the cleric's Bless."""
    me = stats(actor)
    spell = me.weapon[:1].isupper()
    d20 = rng.randint(1, 20)
    edge = (holds(target, "prone") and not spell) + holds(target, "paralyzed")
    edge -= holds(actor, "poisoned") or holds(actor, "restrained")
    if edge:
        other = rng.randint(1, 20)
        d20 = max(d20, other) if edge > 0 else min(d20, other)
    notation, total = f"1d20{signed(me.attack_bonus)}", d20 + me.attack_bonus
    if holds(actor, "blessed"):
        notation, total = notation + "+1d4", total + rng.randint(1, 4)
    hit = d20 == 20 or (d20 != 1 and total >= (target.armor_class or DEFAULT_AC))
    plan.dice.append({"notation": notation, "result": total, "label": f"{me.weapon} attack"})
    damage = 0
    if hit:
        damage, _ = roll(rng, me.damage)
        if d20 == 20:
            damage += roll(rng, me.damage.split("+")[0])[0]
        plan.dice.append({"notation": me.damage, "result": damage, "label": f"{me.weapon} damage"})
    outcome = ("critical hit for" if d20 == 20 else "hit for") + f" {damage}" if hit else "missed"
    plan.actions.append(
        TurnAction(
            type="cast" if spell else "attack",
            target=target.entity_id,
            spell_id=me.weapon.lower().replace(" ", "-") if spell else None,
            parameters={"roll": total, "hit": hit, "damage": damage}
            | ({} if spell else {"weapon": me.weapon}),
            description=f"{me.weapon}: {outcome}",
        )
    )
    plan.notes.append(f"{me.weapon} on {target.name}, {outcome}")
    if hit and target.max_hp is not None:
        plan.effects.append(Effect("hp", target.entity_id, -damage, source=actor.entity_id))
    downs = target.current_hp is not None and damage >= target.current_hp + (target.temp_hp or 0)
    if hit and me.rider and not downs and rng.random() < 0.5:
        name, rounds = me.rider
        plan.effects.append(
            Effect("add_condition", target.entity_id, condition=name, rounds=rounds)
        )
        plan.notes.append(f"{target.name} {name}")
    if hit and target.entity_id == CLERIC:
        _concentration(rng, target, order, damage, downs, plan)
    return plan


def _concentration(
    rng: random.Random,
    cleric: InitiativeEntry,
    order: Sequence[InitiativeEntry],
    damage: int,
    downs: bool,
    plan: TurnPlan,
) -> None:
    """Hit while holding Bless: a Constitution save, and Bless ends on everyone when it fails."""
    blessed = [e for e in order if holds(e, "blessed")]
    if not blessed:
        return
    save = rng.randint(1, 20) + 2
    if downs or save < max(10, damage // 2):
        plan.effects += [
            Effect("remove_condition", e.entity_id, condition="blessed") for e in blessed
        ]
        plan.notes.append(f"{cleric.name} loses Bless")


def _parley(
    rng: random.Random, actor: InitiativeEntry, target: InitiativeEntry, plan: TurnPlan
) -> TurnPlan:
    """A social move instead of a blow: a skill check aimed at someone."""
    skill = rng.choice(SKILLS)
    bonus = max(actor.dexterity_modifier, 2)
    total, _ = roll(rng, f"1d20{signed(bonus)}")
    success = total >= 13
    plan.dice.append({"notation": f"1d20{signed(bonus)}", "result": total, "label": skill})
    swayed = SWAYED.get(skill) if success else None
    if swayed:
        plan.effects.append(Effect("add_condition", target.entity_id, condition=swayed, rounds=1))
    outcome = "success" if success else "failure"
    plan.actions.append(
        TurnAction(
            type="interact",
            target=target.entity_id,
            parameters={"skill": skill, "roll": total, "success": success},
            description=f"{skill} on {target.name}: {total}, {outcome}",
        )
    )
    plan.notes.append(f"{skill} on {target.name}, {'succeeded' if success else 'failed'}")
    if swayed:
        plan.notes.append(f"{target.name} {swayed}")
    return plan
