"""The store package loads its names on first use: its errors and clock come without pydantic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import store

ROOT = Path(__file__).resolve().parents[2]


def test_every_exported_name_is_there() -> None:
    for name in store.__all__:
        assert getattr(store, name) is not None, name
    assert set(store.__all__) <= set(dir(store))


def test_a_submodule_is_an_attribute_as_it_always_was() -> None:
    assert store.models.RoomSummary is store.RoomSummary


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        store.nothing_here  # noqa: B018 - the look-up is what is tested


def test_the_errors_and_the_clock_load_without_pydantic_or_peewee() -> None:
    code = (
        "import sys\n"
        "from store.errors import StoreError\n"
        "from store.clock import system_clock\n"
        "import store\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'pydantic', 'peewee'}))\n"
        "store.open_store\n"
        "print('pydantic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["[]", "True"], result.stderr
