"""A read-only store on PostgreSQL: read-only transactions, nothing created, nothing written."""

from __future__ import annotations

import time
from typing import Any

import peewee as pw
import pytest

from store import StoreUnavailable, open_store
from tests.conftest import FakeClock
from tests.postgres.test_engine import rows
from tests.store.helpers import ORDER, ROOM


def test_an_empty_schema_is_no_store_and_stays_empty(
    postgres_url: str, postgres_admin: Any, postgres_schema: str
) -> None:
    with pytest.raises(StoreUnavailable, match="no liveroom store at postgresql://"):
        open_store(postgres_url, read_only=True)
    tables = rows(
        postgres_admin,
        postgres_schema,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
        postgres_schema,
    )
    assert tables == [(0,)]


def test_the_server_refuses_writes_on_its_connections(postgres_url: str, clock: FakeClock) -> None:
    with open_store(postgres_url, clock=clock) as writer:
        fight = writer.create_interaction(name="Kept", dm_user_id="dm", initiative_order=ORDER)
        writer.initialize_for_live_play(fight.id, ROOM, {})
    with open_store(postgres_url, clock=clock, read_only=True) as reader:
        assert reader.get_interaction(fight.id).status == "live"
        # Below the store's own refusal, the connection itself is read-only.
        with pytest.raises(pw.DatabaseError, match="read-only transaction"), reader._db.atomic():
            reader._db.execute_sql("UPDATE interactions SET name = 'changed'")
        assert reader.get_interaction(fight.id).name == "Kept"
        with pytest.raises(StoreUnavailable, match="the store is open read-only"):
            reader.advance_turn(fight.id)


def test_changes_are_noticed(postgres_url: str, clock: FakeClock) -> None:
    """LISTEN works in a read-only session: a read-only view still follows the store."""
    with open_store(postgres_url, clock=clock) as writer:
        fight = writer.create_interaction(name="Kept", dm_user_id="dm").id
        with open_store(postgres_url, clock=clock, read_only=True) as reader:
            first = reader.change_token()
            writer.log_interaction_event(fight, "NOTE", None, ROOM)
            for _ in range(50):
                if reader.change_token() != first:
                    break
                time.sleep(0.05)
            assert reader.change_token() != first
