"""Figure 7: what an idle dashboard costs, as process CPU time over wall time.

The dashboard runs headless in this process with its real settings (poll
every 0.25 s, housekeeping on) on the million-event store; nothing writes.
It is measured on the rooms screen, then with the big room open, after a
short settle. The baseline is a bare Textual app measured the same way.
"""

from __future__ import annotations

import asyncio

from bench.context import Context
from bench.headless import bare_app, dashboard, open_room
from bench.measure import CpuMeter, median
from bench.report import Row, Target


async def _idle(seconds: float, settle: float) -> float:
    """CPU percent over `seconds`, after `settle` seconds for start-up work to pass."""
    await asyncio.sleep(settle)
    meter = CpuMeter()
    await asyncio.sleep(seconds)
    return meter.percent()


async def _dashboard_run(context: Context) -> tuple[float, float]:
    seconds = context.sizes.idle_seconds
    async with dashboard(context.big.path, context.sizes.terminal) as app:
        rooms = await _idle(seconds, context.sizes.settle_seconds)
        await open_room(app, context.big.big_room)
        room = await _idle(seconds, context.sizes.settle_seconds)
    return rooms, room


async def _bare_run(context: Context) -> float:
    async with bare_app(context.sizes.terminal):
        return await _idle(context.sizes.idle_seconds / 2, context.sizes.settle_seconds)


def measure(context: Context) -> list[Row]:
    bare = [asyncio.run(_bare_run(context)) for _ in range(context.runs)]
    runs = [asyncio.run(_dashboard_run(context)) for _ in range(context.runs)]
    rows = []
    for index, (screen, what) in enumerate(
        (
            ("rooms", f"idle CPU, rooms screen ({context.big.interactions:,} rooms)"),
            ("room", f"idle CPU, room of {context.big.big_room_events:,} events open"),
        )
    ):
        values = [run[index] for run in runs]
        rows.append(
            Row(
                key=f"7.idle_cpu.{screen}",
                figure=7,
                what=what,
                value=median(values),
                unit="%",
                target=Target("at_most", 2.0, "< 2% of a core"),
                baseline=median(bare),
                baseline_what="bare Textual app",
                runs=values,
                details={"seconds": context.sizes.idle_seconds, "baseline_runs": bare},
            )
        )
    return rows
