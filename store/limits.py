"""Size and range limits on what the store accepts, in one place."""

from __future__ import annotations

MAX_NAME_LENGTH = 200
MAX_ID_LENGTH = 128
MAX_DESCRIPTION_LENGTH = 10_000
MAX_REASON_LENGTH = 500
MAX_EVENT_DATA_BYTES = 64 * 1024
MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024
MAX_CHAT_LENGTH = 2000
MAX_PARTICIPANTS = 1000
MAX_INITIATIVE_ENTRIES = 500
MAX_LOG_PAGE = 1000
MAX_BATCH_OPERATIONS = 10_000
MAX_HIT_POINTS = 2**31 - 1
"""Hit points, armor class and condition rounds: within PostgreSQL's INTEGER, like turn numbers."""
MAX_CONDITION_NAME_LENGTH = 40
MAX_CONDITIONS = 50
"""Conditions one combatant holds at once: a game master's list, bounded so an order stays small."""
MAX_ACTION_DESCRIPTION_LENGTH = 500

MIN_TURN_TIME_LIMIT = 10
MAX_TURN_TIME_LIMIT = 3600
"""A turn_time_limit is 0 (untimed) or within these bounds, in seconds."""

MAX_TIMESTAMP = 2**53
"""Timestamps are epoch milliseconds; anything past 2**53 is not a real time."""
