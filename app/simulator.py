"""The players the demo does not have: a loop that plays live rooms through the store.

It writes exactly as a live game server would (joins and leaves, chat on every
channel, dice, turns, snapshots), from its own process or thread, while a
dashboard may pause, finalize or clean up the same rooms under it. Every
refusal from the store is counted and the loop goes on.
"""

from __future__ import annotations

import itertools
import math
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from app.demo_content import (
    DM_USER_ID,
    ENCOUNTER_NAMES,
    FOES,
    HEROES,
    USERS,
    Combatant,
    chat_event,
    chat_message,
    initiative_order,
    numbered,
    roll,
    signed,
)
from app.demo_turns import Effect, decide_turn, hp_line, standing, stats
from store import (
    Conflict,
    InitiativeEntry,
    Interaction,
    LiveInteractionSummary,
    LiveStore,
    NotFound,
    StoreError,
    open_store,
)

SHORT_LIMIT_S = 20
"""A room with a turn time limit this short gets some of its turns left alone to time out."""
NEGLECT_CHANCE = 0.5
EXPIRE_EVERY_S = 1.0
DEFAULT_ROOMS = 3
"""Rooms simulate_main creates when it is not told how many and the store has none live."""
MAX_FIGHTERS = 9
"""A fight whose foes are all down gets a new wave while its order stays this small."""
WAVE_CHANCE = 0.6

ACTIONS: tuple[tuple[str, int], ...] = (
    ("chat", 30),
    ("dice", 20),
    ("turn", 12),
    ("presence", 10),
    ("snapshot", 3),
)
"""What a step does, with its relative weight."""


class Simulator:
    """Plays the live rooms of a store, one realistic action per step."""

    def __init__(
        self,
        store: LiveStore,
        *,
        rooms: int | None = None,
        rate: float = 5.0,
        rng: random.Random | None = None,
    ) -> None:
        if rooms is not None and (type(rooms) is not int or rooms < 1):
            raise ValueError(f"rooms: must be a positive number of rooms or None, got {rooms!r}")
        if not isinstance(rate, int | float) or not math.isfinite(rate) or rate <= 0:
            raise ValueError(f"rate: must be a positive number of actions per second, got {rate!r}")
        self.store = store
        self.rooms = rooms
        self.rate = float(rate)
        self.rng = rng or random.Random()
        self.actions = 0
        """Steps that went through, over every run."""
        self.errors = 0
        """Store refusals (Conflict, NotFound, busy database...) caught and skipped."""
        self.timeouts = 0
        """Turns this simulator recorded as timed out through expire_turn_timeouts."""
        self.last_error: str | None = None
        """The description of the last step that went through."""
        self._neglect: dict[int, tuple[tuple[int, int], bool]] = {}
        self._names: dict[str, str] = {}

    # -- rooms ---------------------------------------------------------------

    def ensure_rooms(self, n: int) -> list[int]:
        """Create and take live enough new rooms that at least n are live; their ids.

        The first room made in a store with no live rooms gets a 15-second
        turn limit, so the demo always has a room whose turns time out.
        """
        live = self.store.get_all_live_interactions()
        missing = n - len(live)
        if missing <= 0:
            return []
        for user_id, name in USERS.items():
            self.store.upsert_user(user_id, name)
        taken = len(self.store.list_interactions(with_snapshot=False))
        return [
            self._open_room(taken + index, short=not live and index == 0)
            for index in range(missing)
        ]

    def _open_room(self, number: int, *, short: bool) -> int:
        rng = self.rng
        name = ENCOUNTER_NAMES[number % len(ENCOUNTER_NAMES)]
        if number >= len(ENCOUNTER_NAMES):
            name = f"{name} ({number // len(ENCOUNTER_NAMES) + 1})"
        cast = _random_cast(rng)
        limit = 15 if short else rng.choice((60, 75, 90, 0))
        interaction = self.store.create_interaction(
            name=name,
            dm_user_id=DM_USER_ID,
            description="Started by the simulator.",
            initiative_order=initiative_order(rng, cast),
            turn_time_limit=limit,
        )
        state = {"map": name, "round": 1, "combatants": {c.entity_id: c.max_hp for c in cast}}
        self.store.initialize_for_live_play(interaction.id, f"sim-room-{interaction.id}", state)
        for user in [DM_USER_ID, *(c.user_id for c in cast if c.user_id)]:
            self.store.update_connected_participants(interaction.id, user, "join")
        return interaction.id

    def live_rooms(self) -> list[LiveInteractionSummary]:
        """The live rooms this simulator plays: all of them, or the first `rooms` by id."""
        live = self.store.get_all_live_interactions()
        return live if self.rooms is None else live[: self.rooms]

    # -- one step ------------------------------------------------------------

    def step(self) -> str:
        """Perform one random action on one live room; a one-line description of it.

        Raises StoreError when the store refuses (the room moved on under it);
        run() counts those and goes on.
        """
        rooms = self.live_rooms()
        if not rooms:
            return "no live rooms to play"
        interaction = self.store.get_interaction(self.rng.choice(rooms).id)
        if interaction.status != "live":
            return f"{interaction.name}: {interaction.status} now, left alone"
        kinds, weights = zip(*ACTIONS, strict=True)
        kind = self.rng.choices(kinds, weights)[0]
        if kind == "turn" and self._leaves_alone(interaction):
            kind = "chat"
        actions: dict[str, Callable[[Interaction], str]] = {
            "chat": self._chat,
            "dice": self._dice,
            "turn": self._turn,
            "presence": self._presence,
            "snapshot": self._snapshot,
        }
        return f"{interaction.name}: {actions[kind](interaction)}"

    def _leaves_alone(self, interaction: Interaction) -> bool:
        """Whether the running turn of a short-limit room is left to time out (decided once)."""
        limit = interaction.turn_time_limit
        if not 0 < limit <= SHORT_LIMIT_S:
            return False
        turn = (interaction.round_number, interaction.turn_number)
        seen = self._neglect.get(interaction.id)
        if seen is None or seen[0] != turn:
            seen = (turn, self.rng.random() < NEGLECT_CHANCE)
            self._neglect[interaction.id] = seen
        return seen[1]

    def _turn(self, interaction: Interaction) -> str:
        """The current combatant's turn: its blow, spell or word, then the next turn.

        Hit points and conditions are the store's: the plan reads them from
        the interaction, and its damage, healing and conditions are written
        through the store before the turn is recorded. A downed monster is
        never advanced here: the store passes over its turns. A fight with one
        side all down ends instead (a new wave of foes, or the next encounter).
        """
        entry = interaction.current_entry
        if entry is None:
            return self._chat(interaction)
        order = interaction.initiative_order
        fights = any(e.entity_type == "monster" for e in order)
        if fights and _one_side_down(order):
            return self._fight_over(interaction)
        where = f"round {interaction.round_number} turn {interaction.turn_number}"
        if self.rng.random() < 0.12 and not entry.is_down:
            self._advance(interaction, entry, "skipped", [])
            return f"{where}: {entry.name} skipped, no action"
        plan = decide_turn(self.rng, entry, order, social=not fights)
        for dice in plan.dice:
            self._log(interaction, "DICE_ROLL", dice, entry)
        for effect in plan.effects:
            self._apply(interaction, effect)
        self._advance(interaction, entry, "completed", plan.actions)
        return f"{where}: {entry.name} completed, {plan.summary}"

    def _advance(
        self, interaction: Interaction, entry: InitiativeEntry, status: str, actions: list[Any]
    ) -> None:
        self.store.advance_turn(
            interaction.id,
            status,
            actions,
            entry.user_id or interaction.dm_user_id,
            expected_turn=(interaction.round_number, interaction.turn_number),
        )

    def _apply(self, interaction: Interaction, effect: Effect) -> None:
        """One effect through the store; a hit point line crossed is said in system chat."""
        room, who = interaction.id, effect.entity_id
        if effect.kind == "hp":
            before = next(e for e in interaction.initiative_order if e.entity_id == who)
            after = self.store.adjust_hp(room, who, effect.amount, source_entity_id=effect.source)
            line = hp_line(before, after)
            if line is not None:
                self._log(interaction, "CHAT_MESSAGE", chat_event("system", line))
        elif effect.kind == "temp_hp":
            self.store.set_temp_hp(room, who, effect.amount)
        elif effect.kind == "add_condition":
            self.store.add_condition(room, who, effect.condition, rounds=effect.rounds)
        else:
            # NotFound: the game master took it off first, which is what the plan wanted anyway.
            with suppress(NotFound):
                self.store.remove_condition(room, who, effect.condition)

    def _fight_over(self, interaction: Interaction) -> str:
        """One side is all down: more foes join, or the room is finalized and another opens."""
        order = interaction.initiative_order
        party_won = bool(standing(order, "party"))
        if party_won and len(order) < MAX_FIGHTERS and self.rng.random() < WAVE_CHANCE:
            return self._new_wave(interaction)
        reason = "every foe is down" if party_won else "the party has fallen"
        previous = interaction.last_state_snapshot
        state = dict(previous) if isinstance(previous, dict) else {}
        state.update(combatants={e.entity_id: e.current_hp for e in order}, outcome=reason)
        self.store.finalize_live_interaction(interaction.id, state, reason.capitalize())
        short = 0 < interaction.turn_time_limit <= SHORT_LIMIT_S
        taken = len(self.store.list_interactions(with_snapshot=False))
        opened = self.store.get_interaction(self._open_room(taken, short=short))
        return f"finalized, {reason}; {opened.name} begins"

    def _new_wave(self, interaction: Interaction) -> str:
        """A few fresh foes of one kind join the fight, rolled into the order where they fall."""
        order = interaction.initiative_order
        kind = self.rng.choice(_MONSTERS)
        count = min(self.rng.randint(1, 3), MAX_FIGHTERS - len(order))
        taken = {e.entity_id for e in order}
        free = (n for n in itertools.count(1) if f"{kind.entity_id}-{n}" not in taken)
        wave = [numbered(kind, number) for number in itertools.islice(free, count)]
        for new in initiative_order(self.rng, wave):
            self.store.add_combatant(interaction.id, new)
        names = ", ".join(c.name for c in wave)
        self._log(
            interaction, "CHAT_MESSAGE", chat_event("system", f"Reinforcements arrive: {names}.")
        )
        return f"every foe is down; reinforcements: {names}"

    def _log(
        self,
        interaction: Interaction,
        kind: str,
        data: dict[str, Any],
        entry: InitiativeEntry | None = None,
    ) -> None:
        self.store.log_interaction_event(
            interaction.id,
            kind,
            data,
            _session(interaction),
            user_id=(entry.user_id or interaction.dm_user_id) if entry else None,
            entity_id=entry.entity_id if entry else None,
        )

    def _dice(self, interaction: Interaction) -> str:
        """A check or save between blows (attack and damage dice come with the turn that uses
        them, so no damage roll appears without its hit points)."""
        entry = interaction.current_entry
        actor = stats(entry) if entry else next(iter(HEROES.values()))
        label = self.rng.choice(("Perception", "Dexterity save", "Stealth", "Wisdom save"))
        notation = f"1d20{signed(actor.dexterity_modifier)}"
        result, _ = roll(self.rng, notation)
        data = {"notation": notation, "result": result, "label": label}
        self.store.log_interaction_event(
            interaction.id,
            "DICE_ROLL",
            data,
            _session(interaction),
            user_id=actor.user_id or interaction.dm_user_id,
            entity_id=entry.entity_id if entry else None,
        )
        return f"{actor.name} rolls {notation} for {label}: {result}"

    def _chat(self, interaction: Interaction) -> str:
        sender, data = chat_message(
            self.rng,
            self._speaker(interaction),
            dm=interaction.dm_user_id,
            users=_users(interaction),
            foe=self._foe_name(interaction),
            chat_enabled=interaction.chat_enabled,
            allow_private_chat=interaction.allow_private_chat,
        )
        channel = data["channel"]
        try:
            self.store.log_interaction_event(
                interaction.id, "CHAT_MESSAGE", data, _session(interaction), user_id=sender
            )
        except Conflict as error:
            if self.store.get_live_interaction_status(interaction.id).status != "live":
                raise  # the room moved on: not a chat setting, a real refusal
            return f"{channel} chat refused: {error}"
        who = self._name(sender) if sender else "system"
        return f"[{channel}] {who}: {data['content']}"

    def _presence(self, interaction: Interaction) -> str:
        connected = interaction.connected_participants
        absent = [u for u in _users(interaction) if u not in connected]
        present = [u for u in connected if u != interaction.dm_user_id]
        if absent and (len(present) <= 1 or self.rng.random() < 0.65):
            user, action = self.rng.choice(absent), "join"
        elif present:
            user, action = self.rng.choice(present), "leave"
        else:
            user, action = interaction.dm_user_id, "join"
        self.store.update_connected_participants(interaction.id, user, action)
        return f"{self._name(user)} {'left' if action == 'leave' else 'joined'}"

    def _snapshot(self, interaction: Interaction) -> str:
        previous = interaction.last_state_snapshot
        state = dict(previous) if isinstance(previous, dict) else {}
        entry = interaction.current_entry
        state.update(
            round=interaction.round_number,
            turn=interaction.turn_number,
            active=entry.name if entry else None,
            combatants={e.entity_id: e.current_hp for e in interaction.initiative_order},
            saved_by="simulator",
        )
        self.store.save_state_snapshot(interaction.id, state)
        return f"snapshot saved at round {interaction.round_number}"

    # -- helpers -------------------------------------------------------------

    def _foe_name(self, interaction: Interaction) -> str:
        order = interaction.initiative_order
        foes = [e.name for e in order if e.entity_type != "playerCharacter" and not e.is_down]
        return self.rng.choice(foes) if foes else "enemy"

    def _speaker(self, interaction: Interaction) -> str:
        players = [u for u in interaction.connected_participants if u != interaction.dm_user_id]
        return self.rng.choice(players or _users(interaction))

    def _name(self, user_id: str) -> str:
        if user_id not in self._names:
            self._names.update(self.store.display_names([user_id]))
        return self._names[user_id]

    # -- the loop ------------------------------------------------------------

    def run(self, duration: float | None = None, stop: threading.Event | None = None) -> int:
        """Act `rate` times a second until `duration` passes or `stop` is set; actions done.

        Also records overdue turns as timed out about once a second, so an
        unattended room keeps moving even without a dashboard.
        """
        interval = 1.0 / self.rate
        start = time.monotonic()
        deadline = math.inf if duration is None else start + duration
        next_expire = next_step = start
        done = 0
        while not (stop is not None and stop.is_set()) and time.monotonic() < deadline:
            if time.monotonic() >= next_expire:
                self._expire()
                next_expire = time.monotonic() + EXPIRE_EVERY_S
            done += self._safe_step()
            next_step = max(next_step + interval, time.monotonic() - interval)
            _wait(min(next_step, deadline) - time.monotonic(), stop)
        return done

    def _safe_step(self) -> bool:
        try:
            self.step()
        except StoreError as error:
            self.errors += 1
            self.last_error = str(error)
            return False
        self.actions += 1
        return True

    def _expire(self) -> None:
        try:
            self.timeouts += len(self.store.expire_turn_timeouts())
        except StoreError as error:
            self.errors += 1
            self.last_error = str(error)


def _wait(seconds: float, stop: threading.Event | None) -> None:
    if seconds <= 0:
        return
    if stop is None:
        time.sleep(seconds)
    else:
        stop.wait(seconds)


_FOES = [c for c in FOES.values() if c.side == "foes" and c.max_hp < 100]
"""The foes a simulated room is made of (not the lich: a fight would never end); a room of
npcs alone is a parley."""
_MONSTERS = [c for c in _FOES if c.entity_type == "monster"]
"""What a new wave is made of."""
SIDES = ("party", "foes")


def _random_cast(rng: random.Random) -> list[Combatant]:
    heroes = rng.sample(list(HEROES.values()), rng.randint(2, 3))
    kind = rng.choice(_FOES)
    count = rng.randint(1, 6 - len(heroes))
    return heroes + [numbered(kind, n + 1) for n in range(count)]


def _one_side_down(order: list[InitiativeEntry]) -> bool:
    """Whether the fight is over: both sides took part, and one has nobody standing."""
    return (
        any(stats(e).side == "party" for e in order)
        and any(stats(e).side == "foes" for e in order)
        and not all(standing(order, side) for side in SIDES)
    )


def _users(interaction: Interaction) -> list[str]:
    """The room's people: its DM and the players of its characters."""
    players = [e.user_id for e in interaction.initiative_order if e.user_id]
    return list(dict.fromkeys([interaction.dm_user_id, *players]))


def _session(interaction: Interaction) -> str:
    return interaction.live_room_id or "system"


# -- the command ---------------------------------------------------------------


def simulate_main(
    target: str | None, rooms: int | None, rate: float, duration: float | None
) -> int:
    """`liveroom simulate`: play the store's live rooms until the duration or a signal ends it.

    Exit code 0 when it ran, 1 when the store cannot be opened or set up,
    2 for arguments out of range.
    """
    problem = _argument_problem(rooms, rate, duration)
    if problem:
        print(f"liveroom simulate: {problem}", file=sys.stderr)
        return 2
    try:
        with open_store(target) as store:
            simulator = Simulator(store, rooms=rooms, rate=rate)
            wanted = rooms or (0 if store.get_all_live_interactions() else DEFAULT_ROOMS)
            created = simulator.ensure_rooms(wanted)
            started = time.monotonic()
            with _stop_on_signals() as stop:
                simulator.run(duration, stop)
            playing = len(simulator.live_rooms())
    except StoreError as error:
        print(f"liveroom simulate: {error}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    print(
        f"simulated {simulator.actions} actions on {playing} live rooms in {elapsed:.1f} s "
        f"({len(created)} created, {simulator.timeouts} turns timed out, "
        f"{simulator.errors} refused by the store)"
    )
    return 0


def _argument_problem(rooms: int | None, rate: float, duration: float | None) -> str | None:
    if rooms is not None and rooms < 1:
        return f"--rooms must be at least 1, got {rooms}"
    if not math.isfinite(rate) or rate <= 0:
        return f"--rate must be a positive number of actions per second, got {rate}"
    if duration is not None and (not math.isfinite(duration) or duration < 0):
        return f"--duration must be a non-negative number of seconds, got {duration}"
    return None


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event set by Ctrl-C or SIGTERM, so the loop ends between two writes."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop.set())
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
