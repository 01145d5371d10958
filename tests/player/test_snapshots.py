"""Snapshots of the players' view at 80x24 and at a TV-like 160x45.

Each renders the seeded fight with a fixed clock; look at any changed SVG
(rsvg-convert FILE.svg -o /tmp/view.png) before accepting it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from store import LiveStore
from tests.player.conftest import SIZE, TV, PlayerFactory, settle
from tests.player.scene import Fight

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", [SIZE, TV], ids=["80x24", "160x45"])
@pytest.mark.parametrize("which", ["live", "paused", "completed"])
def test_players_view(
    snap_compare: SnapCompare,
    fight_store: tuple[LiveStore, Fight],
    player: PlayerFactory,
    which: str,
    size: tuple[int, int],
) -> None:
    _, fight = fight_store
    assert snap_compare(player(getattr(fight, which)), terminal_size=size, run_before=settle)
