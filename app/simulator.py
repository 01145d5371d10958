"""The players the demo does not have: a loop that plays live rooms through the store.

It writes exactly as a live game server would (joins and leaves, chat on every
channel, dice, turns, snapshots), from its own process or thread, while a
dashboard may pause, finalize or clean up the same rooms under it. Every
refusal from the store is counted and the loop goes on.
"""

from __future__ import annotations

import math
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from app.demo_content import (
    DM_USER_ID,
    ENCOUNTER_NAMES,
    FOES,
    HEROES,
    USERS,
    Combatant,
    attack,
    chat_message,
    combatant_for,
    initiative_order,
    movement,
    numbered,
    parley,
    roll,
    signed,
)
from store import (
    Conflict,
    InitiativeEntry,
    Interaction,
    LiveInteractionSummary,
    LiveStore,
    StoreError,
    open_store,
)

SHORT_LIMIT_S = 20
"""A room with a turn time limit this short gets some of its turns left alone to time out."""
NEGLECT_CHANCE = 0.5
EXPIRE_EVERY_S = 1.0
DEFAULT_ROOMS = 3
"""Rooms simulate_main creates when it is not told how many and the store has none live."""

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
        state = {"map": name, "round": 1, "combatants": {c.entity_id: c.hp for c in cast}}
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
        entry = interaction.current_entry
        if entry is None:
            return self._chat(interaction)
        actor = _combatant(entry)
        status, actions = "completed", [movement(self.rng)]
        target = self._opponent(interaction, actor)
        if self.rng.random() < 0.12 or target is None:
            status, actions = "skipped", []
        else:
            fights = any(e.entity_type == "monster" for e in interaction.initiative_order)
            actions.append((attack if fights else parley)(self.rng, actor, target).action)
        self.store.advance_turn(
            interaction.id,
            status,
            actions,
            entry.user_id or interaction.dm_user_id,
            expected_turn=(interaction.round_number, interaction.turn_number),
        )
        where = f"round {interaction.round_number} turn {interaction.turn_number}"
        return f"{where}: {entry.name} {status}, {_describe(actions, target)}"

    def _dice(self, interaction: Interaction) -> str:
        entry = interaction.current_entry
        actor = _combatant(entry) if entry else next(iter(HEROES.values()))
        label, notation = self.rng.choice(
            (
                (f"{actor.weapon} attack", f"1d20{signed(actor.attack_bonus)}"),
                (f"{actor.weapon} damage", actor.damage),
                ("Perception", f"1d20{signed(actor.dexterity_modifier)}"),
                ("Dexterity save", f"1d20{signed(actor.dexterity_modifier)}"),
            )
        )
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
            saved_by="simulator",
        )
        self.store.save_state_snapshot(interaction.id, state)
        return f"snapshot saved at round {interaction.round_number}"

    # -- helpers -------------------------------------------------------------

    def _opponent(self, interaction: Interaction, actor: Combatant) -> Combatant | None:
        others = [_combatant(e) for e in interaction.initiative_order]
        targets = [c for c in others if c.side != actor.side]
        return self.rng.choice(targets) if targets else None

    def _foe_name(self, interaction: Interaction) -> str:
        foes = [e.name for e in interaction.initiative_order if e.entity_type != "playerCharacter"]
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


def _random_cast(rng: random.Random) -> list[Combatant]:
    heroes = rng.sample(list(HEROES.values()), rng.randint(2, 3))
    foes = [c for c in FOES.values() if c.side == "foes" and c.hp < 100]
    kind = rng.choice(foes)
    count = rng.randint(1, 6 - len(heroes))
    return heroes + [numbered(kind, n + 1) for n in range(count)]


def _combatant(entry: InitiativeEntry) -> Combatant:
    return combatant_for(entry.entity_id, entry.entity_type, entry.name, entry.user_id)


def _users(interaction: Interaction) -> list[str]:
    """The room's people: its DM and the players of its characters."""
    players = [e.user_id for e in interaction.initiative_order if e.user_id]
    return list(dict.fromkeys([interaction.dm_user_id, *players]))


def _session(interaction: Interaction) -> str:
    return interaction.live_room_id or "system"


def _describe(actions: list[dict[str, Any]], target: Combatant | None) -> str:
    deed = next((a for a in actions if a.get("type") != "move"), None)
    if deed is None or target is None:
        return "no action"
    if deed["type"] == "skill_check":
        outcome = "succeeded" if deed["success"] else "failed"
        return f"{deed['skill']} on {target.name}, {outcome}"
    outcome = f"hit for {deed['damage']}" if deed["hit"] else "missed"
    return f"{deed['type']} on {target.name}, {outcome}"


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
