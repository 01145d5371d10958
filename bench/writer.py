"""A separate writer process for figure 6: one log_interaction_event per event, at a steady rate.

    python -m bench.writer DB_PATH INTERACTION_ID RATE SECONDS TAG

Each event carries {"tag", "seq", "sent_at"} (sent_at: epoch seconds taken
just before the call), so the reader can tell when each one reached it and
whether any is missing. Prints one JSON line with what it did.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

EVENT_TYPE = "BENCH_LIVE"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.writer")
    parser.add_argument("db")
    parser.add_argument("interaction_id", type=int)
    parser.add_argument("rate", type=float)
    parser.add_argument("seconds", type=float)
    parser.add_argument("tag")
    arguments = parser.parse_args(argv)

    from store import StoreError, open_store

    count = int(arguments.rate * arguments.seconds)
    errors = 0
    behind_ms = 0.0
    with open_store(arguments.db) as store:
        session = store.get_interaction(arguments.interaction_id).live_room_id or "system"
        started = time.perf_counter()
        for seq in range(count):
            due = started + seq / arguments.rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            else:
                behind_ms = max(behind_ms, -wait * 1000)
            data = {"tag": arguments.tag, "seq": seq, "sent_at": time.time()}
            try:
                store.log_interaction_event(
                    arguments.interaction_id, EVENT_TYPE, data, session, user_id="u-player-00"
                )
            except StoreError as error:
                errors += 1
                print(f"writer: {error}", file=sys.stderr)
        elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "sent": count - errors,
                "errors": errors,
                "seconds": elapsed,
                "rate": (count - errors) / elapsed if elapsed else 0.0,
                "max_behind_ms": behind_ms,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
