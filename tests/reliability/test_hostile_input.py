"""Random and hostile input thrown at every public store operation, in random sequences.

Each call either succeeds or raises InvalidInput, NotFound or Conflict: any
other exception (StoreUnavailable included: the database is fine) fails the
test, and so does a failed call that changed anything in the database, read
as a raw dump of every table through a separate sqlite3 connection.
"""

from __future__ import annotations

import inspect
import math
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from store import Conflict, InvalidInput, LiveStore, NotFound, open_store
from tests.conftest import START_MS, FakeClock
from tests.store.helpers import ORDER

pytestmark = pytest.mark.slow

EXAMPLES = 300
ROOMS = ("idle", "live", "paused", "completed", "cancelled", "bare")
NOT_ATTACKED = {"close", "export_tables", "import_tables"}
"""close, and the store-to-store copy (store/transfer.py): it takes another store's export."""
OPERATIONS = sorted(
    name
    for name, _ in inspect.getmembers(LiveStore, inspect.isfunction)
    if not name.startswith("_") and name not in NOT_ATTACKED
)
"""Every other public operation of the store: a new one fails the coverage test until added."""

# -- values ----------------------------------------------------------------

DEEP: Any = []
for _ in range(5_000):
    DEEP = [DEEP]

ODD_STRINGS = [
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\x1b[31mred\x1b[0m",
    "\x07\x08\x7f",
    "[bold]b[/bold]",
    "[@click=app.quit]q[/]",
    "[link=https://evil.example]x[/link]",
    "\u202eevil\u202c",
    "שלום עולם",
    "e\u0301\u0301\u0301",
    "🐉🧙\u200d♂️",
    "\u2028",
    "\ufeff",
    "None",
    "null",
    "0",
    "1",
    "'; DROP TABLE users; --",
    "%s%s%n",
    "../../etc/passwd",
]
texts = st.one_of(
    st.sampled_from(ODD_STRINGS),
    st.text(max_size=30),
    # Controls, format characters, combining marks and lone surrogates.
    st.text(st.characters(categories=["Cc", "Cf", "Cs", "Mn", "Zl", "Zp"]), min_size=1, max_size=6),
    st.builds(
        lambda char, count: char * count,
        st.sampled_from(["x", "é", "🐉", "\u0301", " "]),
        st.sampled_from([127, 128, 129, 199, 200, 201, 500, 501, 2000, 2001, 10_001, 70_000]),
    ),
)
names = st.one_of(
    st.sampled_from(["u-bree", "u-tam", "dm", "room-1", "NOTE", "CHAT_MESSAGE", "gob-1"]),
    texts,
)
integers = st.one_of(
    st.integers(-3, 12),
    st.sampled_from(
        [
            59,
            60,
            90,
            3599,
            3600,
            3601,
            2**31 - 1,
            2**31,
            2**53,
            2**53 + 1,
            2**63 - 1,
            2**63,
            2**64,
            -(2**63),
            -(2**63) - 1,
            10**30,
        ]
    ),
    st.integers(START_MS - 10**6, START_MS + 10**7),
    st.integers(),
)
json_values = st.recursive(
    st.none() | st.booleans() | integers | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
not_json = st.one_of(
    st.sampled_from(
        [
            math.nan,
            math.inf,
            DEEP,
            {1: "a"},
            {None: 1},
            {("t",): 1},
            {"x": {2: 3}},
            b"bytes",
            {"big": "x" * 70_000},
            Decimal("1.5"),
            1 + 2j,
            Ellipsis,
            ["x" * 9_000_000],
        ]
    ),
    st.sets(st.integers(), max_size=3),
    st.builds(object),
    st.binary(max_size=10),
)
hostile = st.one_of(
    st.none(),
    st.booleans(),
    integers,
    st.floats(),
    texts,
    st.binary(max_size=8),
    st.lists(json_values, max_size=3),
    st.tuples(integers, integers),
    not_json,
    st.dictionaries(texts, json_values, max_size=3),
)
ids = st.one_of(st.integers(1, len(ROOMS)), integers, st.sampled_from([True, "1", 1.0, None, [1]]))


def entry() -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {
            "entity_id": names,
            "entity_type": st.sampled_from(["playerCharacter", "npc", "monster", "pc"]),
            "name": names,
        },
        optional={
            "initiative_roll": integers | st.none(),
            "dexterity_modifier": integers,
            "tiebreaker": integers | st.none(),
            "user_id": names | st.none(),
            "max_hp": integers | st.none(),
            "current_hp": integers | st.none(),
            "temp_hp": integers | st.none(),
            "armor_class": integers | st.none(),
            "conditions": conditions() | hostile,
            "hidden": st.booleans() | hostile,
            "extra": hostile,
        },
    )


def conditions() -> st.SearchStrategy[Any]:
    """A combatant's conditions: names and durations, odd ones included."""
    one = st.fixed_dictionaries(
        {"name": names}, optional={"rounds_left": integers | st.none(), "extra": hostile}
    )
    return st.lists(st.one_of(one, hostile), max_size=3)


def action() -> st.SearchStrategy[Any]:
    """A turn action: a type (or a wrong one) and any of its fields."""
    return st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["move", "attack", "useItem", "cast", "interact", "end", "note", "dash"]
            )
        },
        optional={
            "entity_id": names | st.none(),
            "target": names | st.none(),
            "item_id": names,
            "spell_id": names,
            "action_id": names,
            "parameters": json_values | hostile,
            "description": texts | st.none(),
            "feet": integers,
        },
    )


def combatant_fields() -> st.SearchStrategy[dict[str, Any]]:
    """update_combatant's keyword arguments: known fields (and an unknown one), any values."""
    return st.dictionaries(
        st.sampled_from(
            [
                "name",
                "entity_type",
                "initiative_roll",
                "dexterity_modifier",
                "user_id",
                "max_hp",
                "current_hp",
                "temp_hp",
                "armor_class",
                "conditions",
                "hidden",
                "hp",
            ]
        ),
        st.one_of(names, integers, st.none(), st.booleans(), conditions(), hostile),
        max_size=3,
    )


def entries() -> st.SearchStrategy[Any]:
    one = entry()
    return st.one_of(st.just(ORDER), st.lists(st.one_of(one, one, hostile), max_size=4), hostile)


def operations() -> st.SearchStrategy[Any]:
    data = {
        "log_event": st.fixed_dictionaries(
            {"event_type": names, "session_id": names},
            optional={"event_data": json_values | hostile, "user_id": names, "entity_id": names},
        ),
        "save_snapshot": st.fixed_dictionaries(
            {"state_snapshot": json_values},
            optional={"connected_participants": st.lists(names, max_size=3) | hostile},
        ),
        "record_turn": st.fixed_dictionaries(
            {
                "entity_id": names,
                "entity_type": st.sampled_from(["npc", "monster", "dragon"]),
                "turn_number": integers,
                "round_number": integers,
                "start_time": integers,
                "status": st.sampled_from(["completed", "skipped", "timeout", "won"]),
            },
            optional={
                "actions": st.lists(action() | json_values, max_size=3) | hostile,
                "end_time": integers,
            },
        ),
        "update_participants": st.fixed_dictionaries(
            {"participants": st.lists(names, max_size=4) | hostile}
        ),
    }
    operation = st.one_of(
        *(st.fixed_dictionaries({"type": st.just(kind), "data": d}) for kind, d in data.items()),
        st.fixed_dictionaries({"type": hostile, "data": hostile}),
        hostile,
    )
    return st.one_of(st.lists(operation, max_size=6), hostile)


def chat() -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {
            "channel": st.sampled_from(["party", "dm", "private", "system", "shout"]),
            "content": texts,
        },
        optional={"recipients": st.lists(names, max_size=3) | hostile, "sender_name": texts},
    )


PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "interaction_id": ids,
    "status": st.sampled_from(
        ["idle", "live", "paused", "completed", "cancelled", "skipped", "timeout", "LIVE", ""]
    ),
    "action": st.sampled_from(["join", "leave", "JOIN", "kick"]),
    "entity_type": st.sampled_from(["playerCharacter", "npc", "monster", "pc"]),
    "event_data": st.one_of(chat(), json_values),
    "actions": st.lists(st.one_of(action(), action(), json_values), max_size=3),
    "rounds": integers | st.none(),
    "initiative_order": entries(),
    "entries": entries(),
    "entry": st.one_of(entry(), st.sampled_from(ORDER)),
    "entity_ids": st.lists(names, max_size=3) | st.none(),
    "except_ids": st.lists(ids, max_size=3),
    "operations": operations(),
    "expected_turn": st.tuples(st.integers(0, 4), st.integers(0, 4)),
    "event_types": st.lists(names, max_size=3),
    "user_ids": st.lists(names, max_size=3),
    "connected_participants": st.lists(names, max_size=3),
    **dict.fromkeys(
        ["state_snapshot", "initial_state", "final_state", "final_state_snapshot"], json_values
    ),
    **dict.fromkeys(["with_snapshot", "chat_enabled", "allow_private_chat"], st.booleans()),
    **dict.fromkeys(
        [
            "turn_time_limit",
            "turn_number",
            "round_number",
            "start_time",
            "end_time",
            "timeout_timestamp",
            "max_idle_ms",
            "position",
            "to_index",
            "delta",
            "temp_hp",
            "after_id",
            "before",
            "limit",
        ],
        integers,
    ),
}
"""Values of the right shape for each parameter name (text parameters get `names`)."""


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """One operation with each argument plausible, hostile, or (if it may be) left out."""
    operation = draw(st.sampled_from(OPERATIONS))
    arguments: dict[str, Any] = {}
    for parameter in list(inspect.signature(getattr(LiveStore, operation)).parameters.values())[1:]:
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            arguments.update(draw(combatant_fields()))
            continue
        optional = parameter.default is not inspect.Parameter.empty
        choice = draw(st.sampled_from(["plausible"] * 3 + ["hostile"] + ["omit"] * optional))
        if choice == "omit":
            continue
        plausible = PLAUSIBLE.get(parameter.name, names)
        arguments[parameter.name] = draw(plausible if choice == "plausible" else hostile)
    return operation, arguments


# -- the store under attack --------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one interaction in each status (ids 1-6, in ROOMS order), closed cleanly."""
    path = tmp_path_factory.mktemp("hostile") / "template.db"
    clock = FakeClock()
    with open_store(path, clock=clock) as store:
        made = {
            room: store.create_interaction(
                name=room,
                dm_user_id="dm",
                initiative_order=None if room == "bare" else ORDER,
                turn_time_limit=60,
            ).id
            for room in ROOMS
        }
        for room in ("live", "paused", "completed", "bare"):
            store.initialize_for_live_play(made[room], f"room-{room}", {"hp": 3})
            store.log_interaction_event(made[room], "NOTE", {"n": 1}, "room-1", user_id="u-bree")
        store.update_connected_participants(made["live"], "u-bree", "join")
        store.advance_turn(made["live"])
        store.pause_interaction(made["paused"])
        store.finalize_live_interaction(made["completed"], {}, "won")
        store.update_live_room_status(made["cancelled"], "cancelled")
        store.upsert_user("u-bree", "Bree")
    assert list(made.values()) == list(range(1, len(ROOMS) + 1))
    return path


class Witness:
    """A plain sqlite3 connection beside the store that sees whether a call changed anything.

    `mark()` takes a dump of every row of every table; `unchanged()` compares a
    fresh dump with it, skipping the dump when PRAGMA data_version shows that
    no other connection has committed since (then nothing can differ).
    """

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.mark()

    def mark(self) -> None:
        self.version = self._version()
        self.dump = self._dump()

    def unchanged(self) -> bool:
        return self._version() == self.version or self._dump() == self.dump

    def close(self) -> None:
        self.connection.close()

    def _version(self) -> int:
        return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def _dump(self) -> dict[str, list[tuple[Any, ...]]]:
        tables = self.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {
            name: self.connection.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
            for (name,) in tables.fetchall()
        }


class Arena:
    """One open store, put back to the template's content before each attack.

    Restoring is an SQLite backup of the template into the open file (~1 ms),
    where copying a file and opening a store would cost ~20 ms per example.
    """

    def __init__(self, template: Path, path: Path) -> None:
        shutil.copyfile(template, path)
        self.clock = FakeClock()
        self.store = open_store(path, clock=self.clock)
        self.witness = Witness(path)
        self.template = sqlite3.connect(template)

    def reset(self) -> LiveStore:
        self.template.backup(self.witness.connection)
        self.clock.now = START_MS
        self.witness.mark()
        return self.store

    def close(self) -> None:
        self.template.close()
        self.witness.close()
        self.store.close()


@pytest.fixture(scope="module")
def arena(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Arena]:
    with closing(Arena(template, tmp_path_factory.mktemp("arena") / "store.db")) as opened:
        yield opened


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=st.lists(calls(), min_size=1, max_size=5), pauses=st.lists(integers, min_size=5))
def test_every_operation_fails_cleanly_or_succeeds(
    arena: Arena, steps: list[tuple[str, dict[str, Any]]], pauses: list[int]
) -> None:
    store, witness = arena.reset(), arena.witness
    for (operation, arguments), pause in zip(steps, pauses, strict=False):
        arena.clock.advance(abs(pause) % 200_000)
        try:
            result = getattr(store, operation)(**arguments)
        except (InvalidInput, NotFound, Conflict):
            assert witness.unchanged(), f"a failed {operation} changed the database"
        else:
            _check_result(result)
            witness.mark()
    store.create_interaction(name="still works", dm_user_id="dm")


NASTY: list[Any] = [
    None,
    True,
    -1,
    2**64,
    math.nan,
    "",
    " \t",
    "\ud800",
    "a\x00b",
    "\x1b[2J",
    "x" * 70_000,
    DEEP,
    {1: 2},
    [object()],
    b"id",
    1.5,
]
"""Each replaces one argument (or one value nested inside one) of a valid call."""

BASE: dict[str, dict[str, Any]] = {
    "add_condition": {"interaction_id": 2, "entity_id": "gob-1", "name": "poisoned", "rounds": 2},
    "adjust_hp": {
        "interaction_id": 2,
        "entity_id": "gob-1",
        "delta": -3,
        "source_entity_id": "pc-bree",
    },
    "advance_turn": {
        "interaction_id": 2,
        "status": "skipped",
        "actions": [
            {
                "type": "attack",
                "entity_id": "pc-bree",
                "target": "gob-1",
                "item_id": "bow",
                "spell_id": "s",
                "action_id": "a",
                "parameters": {"roll": [17, 3]},
                "description": "shoots",
            }
        ],
        "user_id": "u-bree",
        "expected_turn": (1, 2),
    },
    "batch_state_operations": {
        "interaction_id": 2,
        "operations": [
            {
                "type": "log_event",
                "data": {
                    "event_type": "NOTE",
                    "event_data": {"a": [1]},
                    "session_id": "s",
                    "user_id": "u",
                    "entity_id": "e",
                },
            },
            {
                "type": "save_snapshot",
                "data": {"state_snapshot": {"hp": 1}, "connected_participants": ["u-bree"]},
            },
            {
                "type": "record_turn",
                "data": {
                    "entity_id": "gob-1",
                    "entity_type": "monster",
                    "turn_number": 7,
                    "round_number": 9,
                    "actions": [{"type": "move", "parameters": {"feet": 30}}],
                    "start_time": START_MS,
                    "status": "completed",
                },
            },
            {"type": "update_participants", "data": {"participants": ["u-bree", "u-tam"]}},
        ],
    },
    "add_combatant": {
        "interaction_id": 2,
        "entry": {
            "entity_id": "new",
            "entity_type": "npc",
            "name": "New",
            "initiative_roll": 9,
            "dexterity_modifier": 1,
            "user_id": "u-new",
            "tiebreaker": 3,
            "max_hp": 12,
            "current_hp": 5,
            "temp_hp": 3,
            "armor_class": 14,
            "conditions": [{"name": "blessed", "rounds_left": 3}],
            "hidden": False,
        },
        "position": 1,
    },
    "change_token": {},
    "cleanup_inactive_room": {
        "interaction_id": 2,
        "final_state_snapshot": {"a": 1},
        "reason": "idle",
    },
    "cleanup_inactive_rooms": {"max_idle_ms": 1000, "except_ids": [2]},
    "create_interaction": {
        "name": "n",
        "dm_user_id": "d",
        "description": "x",
        "campaign_id": "c",
        "initiative_order": ORDER[2:],
        "turn_time_limit": 30,
        "chat_enabled": True,
        "allow_private_chat": False,
    },
    "delay_turn": {"interaction_id": 2, "after_entity_id": "gob-1"},
    "display_names": {"user_ids": ["u-bree", "u-x"]},
    "expire_turn_timeouts": {},
    "finalize_live_interaction": {
        "interaction_id": 2,
        "final_state": {"a": 1},
        "completion_reason": "won",
    },
    "get_all_live_interactions": {},
    "get_interaction": {"interaction_id": 2, "with_snapshot": False},
    "get_interaction_live_state": {"interaction_id": 2},
    "get_interaction_logs": {
        "interaction_id": 2,
        "session_id": "room-1",
        "limit": 10,
        "before": 10**6,
        "event_types": ["NOTE"],
    },
    "get_live_interaction_status": {"interaction_id": 2},
    "get_logs_after": {"interaction_id": 2, "after_id": 0, "limit": 10},
    "get_turn_records": {"interaction_id": 2, "round_number": 1},
    "initialize_for_live_play": {
        "interaction_id": 1,
        "live_room_id": "r",
        "initial_state": {},
        "turn_time_limit": 30,
        "chat_enabled": True,
        "allow_private_chat": True,
    },
    "interaction_revisions": {},
    "list_interactions": {"status": "live", "with_snapshot": False, "ids": [2, 3]},
    "list_room_summaries": {"status": "live", "ids": [2, 3]},
    "checkpoint_state_snapshot": {"interaction_id": 2},
    "load_state_snapshot": {"interaction_id": 2},
    "log_interaction_event": {
        "interaction_id": 2,
        "event_type": "CHAT_MESSAGE",
        "event_data": {"channel": "private", "content": "hi", "recipients": ["u-bree"]},
        "session_id": "s",
        "user_id": "u",
        "entity_id": "e",
    },
    "move_combatant": {"interaction_id": 2, "entity_id": "gob-1", "to_index": 0},
    "pause_interaction": {"interaction_id": 2, "reason": "break"},
    "record_turn": {
        "interaction_id": 2,
        "entity_id": "gob-1",
        "entity_type": "monster",
        "turn_number": 7,
        "round_number": 9,
        "actions": [{"type": "cast", "spell_id": "fire-bolt", "parameters": {"a": 1}}],
        "start_time": START_MS,
        "status": "completed",
        "end_time": START_MS + 1,
        "user_id": "u",
    },
    "remove_combatant": {"interaction_id": 2, "entity_id": "gob-1"},
    "remove_condition": {"interaction_id": 2, "entity_id": "gob-1", "name": "prone"},
    "resume_interaction": {"interaction_id": 3, "live_room_id": "r"},
    "roll_initiative": {"interaction_id": 3, "entity_ids": ["gob-1", "pc-bree"]},
    "save_state_snapshot": {
        "interaction_id": 2,
        "state_snapshot": {"hp": [1]},
        "connected_participants": ["u-bree"],
    },
    "set_current_turn_timeout": {"interaction_id": 2, "timeout_timestamp": START_MS + 5},
    "set_initiative_order": {"interaction_id": 1, "entries": ORDER[1:]},
    "set_temp_hp": {"interaction_id": 2, "entity_id": "gob-1", "temp_hp": 4},
    "table_counts": {},
    "undo_turn": {"interaction_id": 2},
    "update_combatant": {
        "interaction_id": 2,
        "entity_id": "gob-1",
        "name": "Gob",
        "entity_type": "npc",
        "initiative_roll": 5,
        "dexterity_modifier": 1,
        "user_id": "u",
        "max_hp": 9,
        "current_hp": 4,
        "temp_hp": 2,
        "armor_class": 13,
        "conditions": [{"name": "prone", "rounds_left": 2}],
        "hidden": True,
    },
    "update_connected_participants": {
        "interaction_id": 2,
        "participant_id": "u-x",
        "action": "join",
    },
    "update_live_room_status": {
        "interaction_id": 2,
        "status": "paused",
        "live_room_id": "r",
        "connected_participants": ["u"],
    },
    "update_turn_settings": {
        "interaction_id": 2,
        "turn_time_limit": 30,
        "chat_enabled": False,
        "allow_private_chat": True,
    },
    "upsert_user": {"user_id": "u", "display_name": "n"},
}
"""A valid call of every operation (ids from the template), with every argument given."""


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths to every argument and to every value nested in a dict or list argument."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, nested in value.items():
            yield from _leaves(nested, (*path, key))
    elif isinstance(value, list):
        for index, nested in enumerate(value):
            yield from _leaves(nested, (*path, index))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replaced(value[head], rest, new)}
    return [_replaced(item, rest, new) if i == head else item for i, item in enumerate(value)]


def test_the_base_calls_cover_every_operation() -> None:
    assert sorted(BASE) == OPERATIONS


@pytest.mark.parametrize("operation", OPERATIONS)
def test_each_argument_replaced_by_something_nasty(arena: Arena, operation: str) -> None:
    store = arena.reset()
    for leaf in _leaves(BASE[operation]):
        for nasty in NASTY:
            try:
                getattr(store, operation)(**_replaced(BASE[operation], leaf, nasty))
            except (InvalidInput, NotFound, Conflict):
                assert arena.witness.unchanged(), f"failed, yet changed the database: {leaf}"
            else:
                store = arena.reset()  # fresh after a call that succeeded


def _check_result(result: object) -> None:
    """Results are plain data (pydantic models, lists, dicts, ints, text), never Peewee rows."""
    if isinstance(result, list):
        for item in result:
            _check_result(item)
    elif isinstance(result, dict):
        assert all(isinstance(k, str | int) and isinstance(v, str | int) for k, v in result.items())
    else:
        assert result is None or isinstance(result, BaseModel | int | str), type(result)
