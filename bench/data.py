"""The seeded data generator: every store the benchmarks read, built through the public API.

Bulk events go through batch_state_operations (the store's fast path), rooms
through create_interaction and initialize_for_live_play. Timestamps come from
a clock the generator moves by hand: the history spreads over the last two
hours and every status change happens at the real "now", so live turns are
running (not overdue) when the dashboard opens the store.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.sizes import Sizes
from store import LiveStore, open_store

HISTORY_MS = 2 * 60 * 60 * 1000
LIVE_TURN_LIMIT_S = 3600
"""Turn limit of the big store's live rooms: no turn expires while the bench runs."""

PLAYERS = [f"u-player-{number:02d}" for number in range(20)]
DM = "u-dm"
WORDS = (
    "goblin",
    "torch",
    "bridge",
    "arrow",
    "shield",
    "rune",
    "door",
    "lich",
    "potion",
    "ambush",
    "river",
    "cloak",
    "dragon",
    "coin",
    "map",
    "stairs",
    "trap",
    "altar",
)
EVENT_KINDS = ("DICE_ROLL", "CHAT_MESSAGE", "ACTION", "MOVE", "HP_CHANGED")
PAYLOAD_POOL = 4096
"""Distinct event payloads the bulk history is dealt from."""


class SeedClock:
    """Epoch milliseconds that move only when the generator (or a benchmark) moves them."""

    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


def wall_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class BigStore:
    """The million-event store: where it is and which rooms the figures use."""

    path: Path
    interactions: int
    events: int
    big_room: int
    big_room_events: int
    small_room: int
    small_room_events: int
    build_seconds: float


@dataclass(frozen=True)
class TimeoutStore:
    """Live rooms with timed turns, on a clock the benchmark moves."""

    path: Path
    rooms: int
    clock: SeedClock
    turn_limit_ms: int


def initiative_order(rng: random.Random, prefix: str) -> list[dict[str, Any]]:
    """Three to eight combatants, players first-come, sorted by roll as a caller would."""
    entries = []
    for number in range(rng.randint(3, 8)):
        player = number < 3
        entries.append(
            {
                "entity_id": f"{prefix}-e{number}",
                "entity_type": "playerCharacter" if player else rng.choice(("npc", "monster")),
                "name": f"{rng.choice(WORDS).title()} {number}",
                "initiative_roll": rng.randint(1, 25),
                "dexterity_modifier": rng.randint(-1, 5),
                "user_id": rng.choice(PLAYERS) if player else None,
            }
        )
    entries.sort(key=lambda entry: (-entry["initiative_roll"], -entry["dexterity_modifier"]))
    return entries


def event(rng: random.Random, session_id: str, order: list[dict[str, Any]]) -> dict[str, Any]:
    """One believable log event (about 100 bytes of JSON), as a batch operation."""
    kind, data, slot = payload(rng, len(order))
    return _operation(kind, data, order[slot], session_id)


def payload(rng: random.Random, actors: int = 8) -> tuple[str, dict[str, Any], int]:
    """(event_type, event_data, index of the acting combatant) of one random event."""
    kind = rng.choice(EVENT_KINDS)
    slot = rng.randrange(actors)
    data: dict[str, Any]
    if kind == "DICE_ROLL":
        data = {
            "notation": f"1d20+{rng.randint(0, 7)}",
            "result": rng.randint(1, 27),
            "reason": rng.choice(("attack", "save", "check")),
        }
    elif kind == "CHAT_MESSAGE":
        content = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
        data = {"channel": "party", "content": content, "sender_name": f"Player {slot}"}
    elif kind == "ACTION":
        data = {
            "action": rng.choice(("attack", "dash", "cast", "help")),
            "target": f"e{rng.randrange(actors)}",
            "damage": rng.randint(0, 20),
        }
    elif kind == "MOVE":
        data = {
            "from": [rng.randint(0, 30), rng.randint(0, 30)],
            "to": [rng.randint(0, 30), rng.randint(0, 30)],
        }
    else:
        data = {"entity_id": f"e{slot}", "delta": rng.randint(-15, 10)}
    return kind, data, slot


def _operation(
    kind: str, data: dict[str, Any], actor: dict[str, Any], session_id: str
) -> dict[str, Any]:
    return {
        "type": "log_event",
        "data": {
            "event_type": kind,
            "event_data": data,
            "session_id": session_id,
            "user_id": actor["user_id"] or DM,
            "entity_id": actor["entity_id"],
        },
    }


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` non-negative counts, roughly even, seeded."""
    if parts <= 0:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(weight * scale) for weight in weights]
    for index in range(total - sum(counts)):
        counts[index % parts] += 1
    return counts


@dataclass
class _Room:
    id: int
    session: str
    order: list[dict[str, Any]]
    status: str
    events: int


def build_big_store(directory: Path, sizes: Sizes, seed: int) -> BigStore:
    """`sizes.interactions` rooms in every status holding `sizes.events` events in all.

    Room 1 is the big room and room 2 the small one, both live; the other
    rooms share the remaining events. Batches of rooms are interleaved, so a
    room's events are spread through the table as a live server writes them.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    path = directory / "big.db"
    end = wall_ms()
    clock = SeedClock(end - HISTORY_MS)
    with open_store(path, clock=clock) as store:
        for user in PLAYERS:
            store.upsert_user(user, f"Player {user[-2:]}")
        store.upsert_user(DM, "The Game Master")
        rooms = _create_rooms(store, rng, sizes)
        _log_history(store, rng, rooms, sizes.batch_size, clock, end)
        clock.now = max(clock.now, wall_ms())
        for room in rooms:
            _set_status(store, room)
    counts = _count_events(path)
    return BigStore(
        path=path,
        interactions=len(rooms),
        events=sum(counts.values()),
        big_room=rooms[0].id,
        big_room_events=counts.get(rooms[0].id, 0),
        small_room=rooms[1].id,
        small_room_events=counts.get(rooms[1].id, 0),
        build_seconds=time.perf_counter() - started,
    )


def _create_rooms(store: LiveStore, rng: random.Random, sizes: Sizes) -> list[_Room]:
    others = sizes.interactions - 2
    spread = _split(
        rng, max(0, sizes.events - sizes.big_room_events - sizes.small_room_events), others
    )
    plan = [("live", sizes.big_room_events), ("live", sizes.small_room_events)]
    statuses = ("live", "paused", "idle", "completed", "cancelled")
    plan += [(rng.choices(statuses, weights=(20, 10, 45, 20, 5))[0], count) for count in spread]
    rooms = []
    for number, (status, count) in enumerate(plan):
        order = initiative_order(rng, f"r{number}")
        interaction = store.create_interaction(
            name=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} #{number}",
            dm_user_id=DM,
            campaign_id=f"campaign-{number % 7}",
            initiative_order=order,
            turn_time_limit=LIVE_TURN_LIMIT_S,
        )
        session = "system" if status == "idle" else f"room-{interaction.id}"
        rooms.append(_Room(interaction.id, session, order, status, count))
    return rooms


def _log_history(
    store: LiveStore,
    rng: random.Random,
    rooms: list[_Room],
    batch_size: int,
    clock: SeedClock,
    end: int,
) -> None:
    batches = [(room, size) for room in rooms for size in _chunks(room.events, batch_size)]
    rng.shuffle(batches)
    step = max(1, (end - clock.now) // max(1, len(batches)))
    # Drawing a fresh payload per event costs more than the store's insert; a seeded pool
    # of payloads, dealt out at random, keeps the build fast and the data varied.
    pool = [payload(rng) for _ in range(PAYLOAD_POOL)]
    for room, size in batches:
        count = len(room.order)
        operations = [
            _operation(kind, data, room.order[slot % count], room.session)
            for kind, data, slot in rng.choices(pool, k=size)
        ]
        store.batch_state_operations(room.id, operations)
        clock.now += step


def _chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


def _set_status(store: LiveStore, room: _Room) -> None:
    if room.status == "idle":
        return
    if room.status == "cancelled":
        store.update_live_room_status(room.id, "cancelled")
        return
    store.initialize_for_live_play(room.id, room.session, {"map": "cellar", "round": 1})
    if room.status == "paused":
        store.pause_interaction(room.id, reason="break")
    elif room.status == "completed":
        store.finalize_live_interaction(room.id, {"loot": ["12 gp"]}, "victory")


def _count_events(path: Path) -> dict[int, int]:
    """Events per interaction, read through a plain sqlite3 connection."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT interaction_id, count(*) FROM live_interaction_logs GROUP BY interaction_id"
        ).fetchall()
    finally:
        connection.close()
    return {interaction: count for interaction, count in rows}


def build_timeout_store(directory: Path, rooms: int, seed: int) -> TimeoutStore:
    """`rooms` live rooms with 10-second turns, started together on a hand-moved clock."""
    rng = random.Random(seed)
    path = directory / "timeouts.db"
    limit_s = 10
    clock = SeedClock(wall_ms())
    with open_store(path, clock=clock) as store:
        for number in range(rooms):
            interaction = store.create_interaction(
                name=f"Timed room {number}",
                dm_user_id=DM,
                initiative_order=initiative_order(rng, f"t{number}"),
                turn_time_limit=limit_s,
            )
            store.initialize_for_live_play(interaction.id, f"timed-{number}", {})
    return TimeoutStore(path=path, rooms=rooms, clock=clock, turn_limit_ms=limit_s * 1000)


def build_write_store(path: Path) -> tuple[LiveStore, int]:
    """A fresh store with one live room for the write-throughput figures (caller closes it)."""
    store = open_store(path)
    interaction = store.create_interaction(name="Write target", dm_user_id=DM)
    store.initialize_for_live_play(interaction.id, "room-write", {})
    return store, interaction.id
