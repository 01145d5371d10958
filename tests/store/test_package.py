"""The store package exports its public names (tests/store/test_concurrency.py checks that
importing it loads no UI)."""

from __future__ import annotations

import store


def test_every_exported_name_is_there() -> None:
    for name in store.__all__:
        assert getattr(store, name) is not None, name
    assert set(store.__all__) <= set(dir(store))
