"""A believable demo store: rooms in every status, a named cast and hours of history.

The history comes from the store's own turn engine, not from hand-written
rows. It runs on a second connection to the same database file, opened with
a SeedClock the seed moves by hand, so turn records and events carry past
timestamps and believable durations while every room ends at (or before) the
caller's "now". A store without a file (":memory:") is seeded through the
caller's own connection instead; its history then all happens "now".

Each room's story is decided before any of it is written (its steps are
timed so that the room ends where its plan says), so the script follows the
fight in a copy of the initiative order. It moves that copy with the store's
own rules (store.vitals for hit points and conditions, store.passing for the
end of a turn and the downed passed over), so the copy and the store agree
on whose turn it is and who is down.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from app.demo_content import (
    DM_USER_ID,
    IDLE_CAST,
    IDLE_NAME,
    PLANS,
    USERS,
    Combatant,
    RoomPlan,
    cast_of,
    chat_event,
    chat_message,
    initiative_order,
)
from app.demo_turns import Effect, TurnPlan, decide_turn, hp_line, standing
from store import (
    Condition,
    Conflict,
    InitiativeEntry,
    Interaction,
    LiveStore,
    TurnAction,
    open_store,
    passing,
    vitals,
)

Step = Callable[[LiveStore, "RoomRef"], object]
"""One write of a room's history; it learns the interaction's id from the RoomRef."""

SECOND = 1000
MINUTE = 60 * SECOND
CAMPAIGN = "campaign-ember"


class SeedClock:
    """Epoch milliseconds that move only when the seed moves them."""

    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@dataclass
class RoomRef:
    """Filled in when the room's first step creates the interaction."""

    id: int = 0


def seed_demo(store: LiveStore, *, seed: int = 7) -> list[int]:
    """Fill an empty store with the demo; returns every interaction id, ascending.

    Deterministic for a given seed and caller clock. A store that already has
    interactions is refused (Conflict), so a real campaign never gets demo rooms.
    """
    existing = store.list_interactions(with_snapshot=False)
    if existing:
        raise Conflict(f"the demo needs an empty store; {store.path} has {len(existing)} rooms")
    rng = random.Random(seed)
    idle = _create_idle_room(store, rng)
    scripts = [_RoomScript(plan, rng) for plan in PLANS]
    with _seeding_store(store, idle.created_at) as (seeding, clock):
        for user_id, name in USERS.items():
            seeding.upsert_user(user_id, name)
        for when, run in _timeline(scripts, idle.created_at):
            if clock is not None:
                clock.now = when
            run(seeding)
    return sorted([idle.id, *(script.room.id for script in scripts)])


def _create_idle_room(store: LiveStore, rng: random.Random) -> Interaction:
    """The idle room, written with the caller's clock: its created_at tells the seed "now"."""
    return store.create_interaction(
        name=IDLE_NAME,
        description="Ready when the party reaches the dome.",
        dm_user_id=DM_USER_ID,
        campaign_id=CAMPAIGN,
        initiative_order=initiative_order(rng, cast_of(IDLE_CAST)),
    )


@contextmanager
def _seeding_store(store: LiveStore, now: int) -> Iterator[tuple[LiveStore, SeedClock | None]]:
    """A connection on a clock the seed controls, or the caller's store when there is no file."""
    if store.path in ("", ":memory:"):
        yield store, None
        return
    clock = SeedClock(now)
    with open_store(store.path, clock=clock) as seeding:
        yield seeding, clock


def _timeline(
    scripts: list[_RoomScript], now: int
) -> Iterator[tuple[int, Callable[[LiveStore], object]]]:
    """Every room's steps merged in time order, each room shifted to end where its plan says."""
    merged: list[tuple[int, int, RoomRef, Step]] = []
    for script in scripts:
        steps = script.build()
        shift = now - script.plan.ends_before_now_s * SECOND - script.ends_at
        for at, step in steps:
            merged.append((min(now, shift + at), len(merged), script.room, step))
    merged.sort(key=lambda item: (item[0], item[1]))
    for at, _, room, step in merged:
        yield at, _bind(step, room)


def _bind(step: Step, room: RoomRef) -> Callable[[LiveStore], object]:
    return lambda store: step(store, room)


@dataclass
class _RoomScript:
    """One room's history as timed steps, decided before anything is written.

    Times are milliseconds from the room's creation; the timeline shifts them.
    The script plays the initiative order the same way the store's engine
    will, so it always knows whose turn it is.
    """

    plan: RoomPlan
    rng: random.Random
    room: RoomRef = field(default_factory=RoomRef)
    steps: list[tuple[int, Step]] = field(default_factory=list)
    t: int = 0
    turn_started: int = 0

    def __post_init__(self) -> None:
        self.cast = cast_of(self.plan.cast)
        self.order = initiative_order(self.rng, self.cast)
        self.by_id = {c.entity_id: c for c in self.cast}
        self.entries = [InitiativeEntry.model_validate(entry) for entry in self.order]
        """The fight as the store will have it once the steps so far are written."""
        self.index, self.round_number, self.turn_number = 0, 1, 1
        words = "".join(ch if ch.isalnum() else " " for ch in self.plan.name.lower()).split()
        self.session = "room-" + "-".join(word for word in words if word not in ("the", "s"))
        self.players = [c.user_id for c in self.cast if c.user_id]
        self.ends_at = 0
        """When the room's story ends: the running turn's start for a live room."""
        self.overdue = 0
        """Planned timeouts waiting for a player's turn (a monster's turn never times out)."""

    def at(self, when: int, step: Step) -> None:
        """Schedule a step at `when`, never before the previous one."""
        self.t = max(when, self.t)
        self.steps.append((self.t, step))

    def build(self) -> list[tuple[int, Step]]:
        self._open_room()
        turns = self.plan.turns
        timeouts = set(self.rng.sample(range(1, turns), min(self.plan.timeouts, turns - 1)))
        for number in range(turns):
            self.overdue += number in timeouts
            self._turn(last=number == turns - 1)
        for _ in range(turns):
            if not self._fighting_on():
                break
            self._turn(last=False)
        self._end()
        self.ends_at = self.turn_started if self.plan.ending == "live" else self.t
        return self.steps

    # -- the room's life ---------------------------------------------------

    def _open_room(self) -> None:
        self.at(0, _create(self.plan, self.order))
        self.at(self.rng.randint(2, 6) * MINUTE, _go_live(self.session, self._state(0)))
        self.turn_started = self.t
        for user in [DM_USER_ID, *self.players]:
            self.at(self.t + self.rng.randint(400, 900), _participant(user, "join"))
        opening = chat_event("party", self.plan.opening)
        self.at(self.t + 300, _log("CHAT_MESSAGE", opening, self.session, self.players[0]))

    def _turn(self, *, last: bool) -> None:
        """One turn of the combatant whose turn it is, then the store's advance (which passes
        over the downed monsters after it)."""
        entry = self.entries[self.index]
        actor = self.by_id[entry.entity_id]
        start, status = self.turn_started, self._status(actor)
        duration = self._duration(actor, status)
        actions: list[TurnAction] = []
        if status == "completed":
            plan = decide_turn(self.rng, entry, self.entries, social=self.plan.social)
            actions = [a.model_copy(update={"entity_id": entry.entity_id}) for a in plan.actions]
            self._play(actor, plan, start, duration)
        if self.rng.random() < 0.6:
            self._chat(actor, start + duration * 7 // 10)
        if self.plan.leaves and last:
            self.at(start + duration * 8 // 10, _participant(self.plan.leaves, "leave"))
        user = actor.user_id or DM_USER_ID
        self.at(start + duration, _advance(status, actions, user))
        self.turn_started = self.t
        after = passing.after_turn(self.entries, self.index, self.round_number, self.turn_number)
        self.entries, self.index = after.order, after.start.index
        self.turn_number = after.start.turn_number
        if after.start.round_number > self.round_number:
            self.round_number = after.start.round_number
            self.at(self.t + SECOND, _snapshot(self._state(self.round_number - 1)))

    def _fighting_on(self) -> bool:
        """A room the plan completes plays on until its foes are down (its reason says so)."""
        return self.plan.ending == "completed" and bool(standing(self.entries, "foes"))

    def _status(self, actor: Combatant) -> str:
        """A planned timeout falls on a player's turn; a few turns are passed."""
        if self.overdue and actor.user_id:
            self.overdue -= 1
            return "timeout"
        return "skipped" if self.rng.random() < 0.07 else "completed"

    def _duration(self, actor: Combatant, status: str) -> int:
        """How long the turn lasts: players think longer than monsters, within the limit."""
        limit = self.plan.turn_time_limit * SECOND
        if status == "timeout":
            return limit
        if status == "skipped":
            wanted = self.rng.randint(2, 6) * SECOND
        elif limit == 0:
            wanted = self.rng.randint(*((20, 90) if actor.user_id else (8, 30))) * SECOND
        else:
            share = self.rng.uniform(0.45, 0.9) if actor.user_id else self.rng.uniform(0.25, 0.6)
            wanted = int(limit * share)
        busy = self.t - self.turn_started + 2 * SECOND
        return max(wanted, busy) if limit == 0 else min(max(wanted, busy), limit - SECOND)

    def _play(self, actor: Combatant, plan: TurnPlan, start: int, duration: int) -> None:
        """The turn's dice in the log, then its damage, healing and conditions, each a step
        of its own and applied to the script's copy of the order."""
        for index, dice in enumerate(plan.dice):
            when = start + duration * (3 + index) // 10
            self.at(when, _log("DICE_ROLL", dice, self.session, actor.user_id, actor.entity_id))
        for effect in plan.effects:
            line = self._affect(effect, start + duration * 6 // 10)
            if line is not None:
                self._system(line, start + duration * 6 // 10)

    def _affect(self, effect: Effect, when: int) -> str | None:
        """Schedule one effect and apply it to the copy; the hit point line it crossed."""
        at = next(i for i, e in enumerate(self.entries) if e.entity_id == effect.entity_id)
        before = self.entries[at]
        if effect.kind == "hp":
            self.entries[at] = vitals.adjusted(before, effect.amount)
        elif effect.kind == "temp_hp":
            self.entries[at] = before.model_copy(update={"temp_hp": effect.amount})
        elif effect.kind == "add_condition":
            condition = Condition(effect.condition, effect.rounds)
            self.entries[at] = vitals.with_condition(before, condition)
        else:
            held = vitals.find_condition(before, effect.condition)
            if held is None:
                return None
            self.entries[at] = vitals.without_condition(before, held)
        self.at(when, _effect(effect))
        return hp_line(before, self.entries[at])

    def _chat(self, actor: Combatant, when: int) -> None:
        sender, data = chat_message(
            self.rng,
            actor.user_id or self.rng.choice(self.players),
            dm=DM_USER_ID,
            users=[DM_USER_ID, *self.players],
            foe=next(c.name for c in self.cast if c.side == "foes"),
            allow_private_chat=self.plan.allow_private_chat,
        )
        self.at(when, _log("CHAT_MESSAGE", data, self.session, sender))

    def _system(self, content: str, when: int) -> None:
        self.at(when, _log("CHAT_MESSAGE", chat_event("system", content), self.session))

    def _end(self) -> None:
        plan, later = self.plan, self.turn_started + self.rng.randint(5, 25) * SECOND
        reason = plan.reason or plan.ending
        if plan.ending == "paused":
            self.at(later, lambda store, room: store.pause_interaction(room.id, reason))
        elif plan.ending == "completed":
            # The fight is won: what lasts until removed (Bless) is taken off before the end.
            for entry in list(self.entries):
                for held in entry.conditions:
                    if held.rounds_left is None:
                        removal = Effect("remove_condition", entry.entity_id, condition=held.name)
                        self._affect(removal, later - SECOND)
            state = self._state(self.round_number)
            self.at(
                later, lambda store, room: store.finalize_live_interaction(room.id, state, reason)
            )
        elif plan.ending == "cancelled":
            self._system("Session called off: half the table is down with the flu.", later)
            self.at(
                later + SECOND,
                lambda store, room: store.update_live_room_status(room.id, "cancelled"),
            )

    def _state(self, round_number: int) -> dict[str, Any]:
        """The game state a live server would snapshot: map, round, hit points."""
        return {
            "map": self.plan.map,
            "round": round_number,
            "combatants": {
                e.entity_id: {
                    "name": e.name,
                    "hp": e.current_hp,
                    "max_hp": e.max_hp,
                    "side": self.by_id[e.entity_id].side,
                }
                for e in self.entries
            },
            "lighting": "dim" if "Crypt" in self.plan.name else "bright",
        }


# -- steps: each a small closure over its own arguments ----------------------


def _create(plan: RoomPlan, order: list[dict[str, Any]]) -> Step:
    def create(store: LiveStore, room: RoomRef) -> None:
        room.id = store.create_interaction(
            name=plan.name,
            description=plan.description,
            dm_user_id=DM_USER_ID,
            campaign_id=CAMPAIGN,
            initiative_order=order,
            turn_time_limit=plan.turn_time_limit,
            allow_private_chat=plan.allow_private_chat,
        ).id

    return create


def _go_live(session: str, state: dict[str, Any]) -> Step:
    return lambda store, room: store.initialize_for_live_play(room.id, session, state)


def _participant(user: str, action: str) -> Step:
    return lambda store, room: store.update_connected_participants(room.id, user, action)


def _advance(status: str, actions: list[TurnAction], user: str) -> Step:
    return lambda store, room: store.advance_turn(room.id, status, actions, user)


def _effect(effect: Effect) -> Step:
    """An Effect as the store call that makes it so."""
    who = effect.entity_id

    def affect(store: LiveStore, room: RoomRef) -> None:
        if effect.kind == "hp":
            store.adjust_hp(room.id, who, effect.amount, source_entity_id=effect.source)
        elif effect.kind == "temp_hp":
            store.set_temp_hp(room.id, who, effect.amount)
        elif effect.kind == "add_condition":
            store.add_condition(room.id, who, effect.condition, rounds=effect.rounds)
        else:
            store.remove_condition(room.id, who, effect.condition)

    return affect


def _snapshot(state: dict[str, Any]) -> Step:
    return lambda store, room: store.save_state_snapshot(room.id, state)


def _log(
    kind: str, data: Any, session: str, user: str | None = None, entity: str | None = None
) -> Step:
    return lambda store, room: store.log_interaction_event(
        room.id, kind, data, session, user_id=user, entity_id=entity
    )
