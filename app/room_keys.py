"""Which room keys the room's status allows, and why a refused one is refused.

The footer dims what is refused, the command palette leaves it out, `?` help
dims it with the reason, and a refused key pressed anyway says why
(RoomActions.on_key, or when its turn comes if earlier keys' writes are
still queued).
"""

from __future__ import annotations

from store import RUNNING_STATUSES, Interaction

EDITABLE = ("idle", *RUNNING_STATUSES)
NEEDS_STATUS: dict[str, tuple[str, ...]] = {
    "pause": ("live",),
    "advance": ("live",),
    "skip": ("live",),
    "go_live": ("idle", "paused"),
    "finalize": RUNNING_STATUSES,
    "cleanup": RUNNING_STATUSES,
    "settings": EDITABLE,
    "toggle_chat": EDITABLE,
    "toggle_private": EDITABLE,
    "save_snapshot": EDITABLE,
    "message": EDITABLE,
    "add_combatant": EDITABLE,
    "edit_combatant": EDITABLE,
    "remove_combatant": EDITABLE,
    "move_combatant": EDITABLE,
    "roll_initiative": ("idle", "paused"),
    "delay": ("live",),
    "undo": RUNNING_STATUSES,
    "record_turn": ("live",),
    "damage": EDITABLE,
    "heal": EDITABLE,
    "conditions": EDITABLE,
    "toggle_hidden": EDITABLE,
}
"""Statuses in which each key may act; keys not listed act in every status."""

NEXT_STEP = {
    "idle": "go live first (g)",
    "paused": "resume it first (p)",
    "live": "pause it first (p)",
}


def action_name(action: str) -> str:
    """A binding's action without its arguments: "move_combatant(-1)" -> "move_combatant"."""
    return action.split("(", 1)[0]


def allowed(action: str, room: Interaction | None) -> bool:
    """Whether `action` may act on `room` now (unknown room: everything, until it is read)."""
    if room is None:
        return True
    if action == "go_live" and room.status == "paused":
        return room.live_room_id is None  # a closed room reopens through the go-live form
    return room.status in NEEDS_STATUS.get(action, (room.status,))


def refusal(action: str, description: str, room: Interaction) -> str:
    """Why `action` (the key's `description`) cannot act on `room` now, in a sentence."""
    return f"{description}: {reason(action, room)}"


def reason(action: str, room: Interaction) -> str:
    """Why `action` cannot act on `room` now: "the room is paused; resume it first (p)."."""
    status = room.status
    if status not in EDITABLE:
        return f"the session is {status} and can no longer change."
    if action == "go_live":
        if status == "live":
            return "the room is live already."
        return f"the room is paused in room {room.live_room_id}; p resumes it."
    if action in ("finalize", "cleanup"):
        return "the room is idle; go live first (g)."
    return f"the room is {status}; {NEXT_STEP[status]}."
