"""A session as JSON lines (its events and turns), a CSV table of its turns, or a Markdown
recap for campaign notes.

Events are read a keyset page at a time (newest first, as the store serves
them) and each page is turned into text at once, so however long the log,
only the output text is held, never every event as a model.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from app.recap import Recap, log_pages, read_recap
from store import RUNNING_STATUSES, Interaction, InvalidInput, LiveStore, LogEntry, TurnRecord
from widgets.event_summaries import chat_sender

FORMATS = ("jsonl", "csv", "md")
CHAT_HIGHLIGHTS = 12
"""How many of the newest public chat messages the recap quotes."""

CSV_COLUMNS = (
    "round_number",
    "turn_number",
    "entity_id",
    "name",
    "entity_type",
    "user_id",
    "status",
    "reason",
    "start_time",
    "end_time",
    "duration_ms",
    "actions",
)
"""One row per turn, for a spreadsheet of who took how long doing what: the store's field
names, times in epoch milliseconds, `name` the combatant's, `actions` a JSON list."""


def export_session(store: LiveStore, interaction_id: int, fmt: str) -> str:
    """The session as text in `fmt`: "jsonl", "csv" or "md".

    jsonl holds every event (oldest first) and then every turn record, each
    tagged with its kind; csv is a table of the turns in play order (see
    CSV_COLUMNS); md is a recap a game master can paste into campaign notes.
    An unknown format is InvalidInput; an unknown id NotFound.
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"format: must be one of {', '.join(FORMATS)}, got {fmt!r}")
    interaction = store.get_interaction(interaction_id)
    writers: dict[str, Callable[[LiveStore, Interaction], str]] = {
        "jsonl": _jsonl,
        "csv": _csv,
        "md": _markdown,
    }
    return writers[fmt](store, interaction)


# -- reading -------------------------------------------------------------------


def _events_oldest_first(
    store: LiveStore, interaction_id: int, render: Callable[[list[LogEntry]], str]
) -> str:
    """Every event rendered oldest first, though the store pages newest first."""
    chunks = [render(page[::-1]) for page in log_pages(store, interaction_id)]
    return "".join(reversed(chunks))


# -- jsonl ---------------------------------------------------------------------


def _jsonl(store: LiveStore, interaction: Interaction) -> str:
    events = _events_oldest_first(store, interaction.id, lambda page: _json_lines("event", page))
    return events + _json_lines("turn", store.get_turn_records(interaction.id))


def _json_lines(kind: str, models: Sequence[BaseModel]) -> str:
    return "".join(
        json.dumps({"kind": kind, **model.model_dump()}, ensure_ascii=False) + "\n"
        for model in models
    )


# -- csv -----------------------------------------------------------------------


def _csv(store: LiveStore, interaction: Interaction) -> str:
    """The turn table: one row per turn record, in play order (oldest first)."""
    turns = store.get_turn_records(interaction.id)
    names = _combatant_names(store, interaction, turns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for turn in turns:
        row: dict[str, Any] = turn.model_dump(exclude={"actions"})
        row["name"] = names.get(turn.entity_id, turn.entity_id)
        actions = [action.model_dump(mode="json", exclude_none=True) for action in turn.actions]
        row["actions"] = json.dumps(actions, ensure_ascii=False)
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return buffer.getvalue()


def _combatant_names(
    store: LiveStore, interaction: Interaction, turns: Sequence[TurnRecord]
) -> dict[str, str]:
    """Each combatant's name by entity id: from the order, else (it has left the fight)
    from the event that removed it."""
    names = {entry.entity_id: entry.name for entry in interaction.initiative_order}
    if all(turn.entity_id in names for turn in turns):
        return names
    for page in log_pages(store, interaction.id, ["COMBATANT_REMOVED"]):
        for event in page:  # newest first: an older name never replaces a newer one
            entry = event.event_data.get("entry") if isinstance(event.event_data, dict) else None
            if isinstance(entry, dict) and isinstance(entry.get("entity_id"), str):
                names.setdefault(entry["entity_id"], str(entry.get("name", entry["entity_id"])))
    return names


# -- the Markdown recap --------------------------------------------------------


def _markdown(store: LiveStore, interaction: Interaction) -> str:
    turns = store.get_turn_records(interaction.id)
    chat = _chat_highlights(store, interaction.id)
    people = _people(store, interaction, turns, chat)
    entities = {entry.entity_id: entry.name for entry in interaction.initiative_order}
    sections = [
        _md_header(store, interaction, people),
        _md_participants(interaction, people),
        *_md_rounds(turns, entities, people),
        _md_chat(chat, people),
        _md_totals(interaction, turns, entities),
        _md_figures(read_recap(store, interaction)),
    ]
    return "\n".join(section for section in sections if section)


def _md_figures(recap: Recap) -> str:
    """The recap screen's figures as tables: turn time, damage and healing, conditions."""
    lines = [
        "## Figures",
        "",
        "| combatant | turns | average turn | longest turn | damage dealt | damage taken "
        "| healing done |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for who in recap.combatants:
        average = "—" if who.average_ms is None else duration(who.average_ms)
        longest = "—" if who.longest_ms is None else duration(who.longest_ms)
        lines.append(
            f"| {_md(who.name)} | {who.turns} | {average} | {longest} | {who.damage_dealt} "
            f"| {who.damage_taken} | {who.healing_done} |"
        )
    if recap.conditions:
        lines += ["", "Conditions applied:", ""]
        for applied in recap.conditions:
            lasting = (
                "until removed"
                if applied.rounds is None
                else f"{applied.rounds} round{'s' * (applied.rounds != 1)}"
            )
            lines.append(f"- {_md(applied.name)} on {_md(applied.target)}, {lasting}")
    return "\n".join(lines) + "\n"


def _chat_highlights(store: LiveStore, interaction_id: int) -> list[LogEntry]:
    """The newest public chat messages, oldest first; private ones stay private."""
    found: list[LogEntry] = []
    for page in log_pages(store, interaction_id, ["CHAT_MESSAGE"]):
        for entry in page:
            data = entry.event_data
            if isinstance(data, dict) and data.get("channel") != "private":
                found.append(entry)
            if len(found) == CHAT_HIGHLIGHTS:
                return found[::-1]
    return found[::-1]


def _people(
    store: LiveStore, interaction: Interaction, turns: list[TurnRecord], chat: list[LogEntry]
) -> dict[str, str]:
    """Display names of everyone who took part: the DM, players, whoever joined or spoke."""
    users = {interaction.dm_user_id}
    users.update(entry.user_id for entry in interaction.initiative_order if entry.user_id)
    users.update(turn.user_id for turn in turns if turn.user_id)
    users.update(entry.user_id for entry in chat if entry.user_id)
    for page in log_pages(store, interaction.id, ["PARTICIPANT_JOINED"]):
        users.update(entry.user_id for entry in page if entry.user_id)
    return store.display_names(sorted(users))


def _newest(store: LiveStore, interaction_id: int, *event_types: str) -> LogEntry | None:
    page = store.get_interaction_logs(interaction_id, limit=1, event_types=event_types)
    return page[0] if page else None


def _md_header(store: LiveStore, interaction: Interaction, people: dict[str, str]) -> str:
    lines = [f"# {_md(interaction.name)}", ""]
    if interaction.description:
        lines += [f"*{_md(interaction.description)}*", ""]
    lines.append(f"- **Status:** {interaction.status}{_status_note(store, interaction)}")
    lines.append(f"- **Created:** {_when(interaction.created_at)}")
    live = _newest(store, interaction.id, "INTERACTION_INITIALIZED")
    if live is not None:
        lines.append(f"- **Went live:** {_when(live.timestamp)}")
    ended = _newest(store, interaction.id, "INTERACTION_COMPLETED", "INTERACTION_CANCELLED")
    if ended is not None:
        lines.append(f"- **Ended:** {_when(ended.timestamp)}")
    elif interaction.last_activity is not None:
        lines.append(f"- **Last activity:** {_when(interaction.last_activity)}")
    lines.append(f"- **Dungeon master:** {_md(people.get(interaction.dm_user_id, '?'))}")
    if interaction.campaign_id:
        lines.append(f"- **Campaign:** {_md(interaction.campaign_id)}")
    return "\n".join(lines) + "\n"


def _status_note(store: LiveStore, interaction: Interaction) -> str:
    """Why the session stands where it does: the completion or pause reason."""
    if interaction.status == "completed":
        entry = _newest(store, interaction.id, "INTERACTION_COMPLETED")
        reason = _field(entry, "completion_reason")
    elif interaction.status == "paused":
        entry = _newest(store, interaction.id, "INTERACTION_PAUSED", "ROOM_CLEANUP")
        reason = _field(entry, "reason")
    else:
        return ""
    return f" ({_md(reason)})" if reason else ""


def _md_participants(interaction: Interaction, people: dict[str, str]) -> str:
    characters: dict[str, list[str]] = {}
    for entry in interaction.initiative_order:
        if entry.user_id:
            characters.setdefault(entry.user_id, []).append(entry.name)
    lines = ["## Participants", ""]
    for user_id, name in sorted(people.items(), key=lambda item: item[1].lower()):
        role = "dungeon master" if user_id == interaction.dm_user_id else "player"
        plays = characters.get(user_id)
        detail = f"plays {', '.join(_md(c) for c in plays)}" if plays else role
        lines.append(f"- **{_md(name)}**: {detail}")
    if interaction.initiative_order:
        lines += ["", "Initiative order:", ""]
        for number, entry in enumerate(interaction.initiative_order, 1):
            lines.append(
                f"{number}. {_md(entry.name)} ({entry.entity_type}, initiative "
                f"{entry.initiative_roll})"
            )
    return "\n".join(lines) + "\n"


def _md_rounds(
    turns: list[TurnRecord], entities: dict[str, str], people: dict[str, str]
) -> list[str]:
    sections: list[str] = []
    lines: list[str] = []
    current: int | None = None
    for turn in turns:
        if turn.round_number != current:
            if lines:
                sections.append("\n".join(lines) + "\n")
            current, lines = turn.round_number, [f"## Round {turn.round_number}", ""]
        lines.append(_md_turn(turn, entities, people))
    if lines:
        sections.append("\n".join(lines) + "\n")
    return sections


def _md_turn(turn: TurnRecord, entities: dict[str, str], people: dict[str, str]) -> str:
    name = _md(entities.get(turn.entity_id, turn.entity_id))
    played = turn.entity_type == "playerCharacter" and turn.user_id in people
    player = f" ({_md(people[turn.user_id or ''])})" if played else ""
    took = "" if turn.duration_ms is None else f" in {duration(turn.duration_ms)}"
    what = {"skipped": "skipped", "timeout": "timed out"}.get(turn.status, "completed")
    summary = "; ".join(summarize_action(action, entities) for action in turn.actions)
    return f"- Turn {turn.turn_number}: **{name}**{player} {what}{took}" + (
        f": {summary}" if summary else ""
    )


def _md_chat(chat: list[LogEntry], people: dict[str, str]) -> str:
    if not chat:
        return ""
    lines = ["## Chat highlights", ""]
    for entry in chat:
        data = entry.event_data
        sender = chat_sender(entry.user_id, data, people)
        time_of_day = datetime.fromtimestamp(entry.timestamp / 1000, UTC).strftime("%H:%M")
        content = _md(str(data.get("content", "")))
        signed = f"**{_md(sender)}:** " if sender else ""
        lines.append(f"- {time_of_day} [{data.get('channel')}] {signed}{content}")
    return "\n".join(lines) + "\n"


def _md_totals(interaction: Interaction, turns: list[TurnRecord], entities: dict[str, str]) -> str:
    timed = [t for t in turns if t.duration_ms is not None]
    counts = {status: sum(t.status == status for t in turns) for status in ("skipped", "timeout")}
    rounds = len({t.round_number for t in turns})
    lines = ["## Totals", "", f"- **Rounds:** {rounds}"]
    if interaction.status in RUNNING_STATUSES and interaction.round_number:
        lines[-1] += f" (round {interaction.round_number} in progress)"
    lines.append(
        f"- **Turns:** {len(turns)} ({len(turns) - sum(counts.values())} completed, "
        f"{counts['skipped']} skipped, {counts['timeout']} timed out)"
    )
    if timed:
        spans = [t.duration_ms or 0 for t in timed]
        longest = max(timed, key=lambda t: t.duration_ms or 0)
        lines.append(f"- **Average turn time:** {duration(sum(spans) // len(spans))}")
        lines.append(
            f"- **Longest turn:** {_md(entities.get(longest.entity_id, longest.entity_id))}, "
            f"{duration(max(spans))} (round {longest.round_number})"
        )
    lines.append(f"- **Timeouts:** {counts['timeout']}")
    return "\n".join(lines) + "\n"


# -- small formatters ----------------------------------------------------------


def duration(ms: int) -> str:
    """Milliseconds as a person reads a turn's length: "42s", "1m 12s", "1h 3m"."""
    seconds = max(0, ms // 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m"


def summarize_action(action: Any, entities: dict[str, str]) -> str:
    """One action of a turn record in words, its description after a dash; unknown shapes
    fall back to their JSON."""
    if isinstance(action, BaseModel):  # a TurnAction: its parameters read as its own fields
        fields = action.model_dump(exclude_none=True)
        parameters = fields.pop("parameters", None)
        fields.pop("entity_id", None)
        description = fields.pop("description", None)
        merged = {**(parameters if isinstance(parameters, dict) else {}), **fields}
        kind = fields.get("type")
        if kind == "note" and description:
            return _md(str(description))
        if kind == "cast" and description and "spell" not in merged:
            merged = {**merged, "type": "spell", "spell": description}
            merged.pop("spell_id", None)
            description = None
        said = summarize_action(merged, entities)
        return f"{said} — {_md(str(description))}" if description else said
    if not isinstance(action, dict):
        return _md(_plain(action))
    kind = str(action.get("type", "action"))
    target = action.get("target")
    whom = _md(_entity(target, entities)) if target is not None else ""
    if kind == "move" and "feet" in action:
        return f"moved {action['feet']} ft"
    if kind == "spell" and "spell" in action and not whom:
        return f"cast {_md(_plain(action['spell']))}"
    if kind in ("attack", "spell") and whom:
        verb = f"cast {_md(_plain(action['spell']))} at" if "spell" in action else "attacked"
        roll = f" (roll {action['roll']})" if "roll" in action else ""
        if "hit" not in action:
            return f"{verb} {whom}{roll}"
        outcome = f"hit for {action.get('damage', '?')}" if action["hit"] else "missed"
        return f"{verb} {whom}{roll}: {outcome}"
    if kind == "skill_check" and "skill" in action:
        against = f" on {whom}" if whom else ""
        success = action.get("success")
        verdict = ": success" if success is True else ": failure" if success is False else ""
        return f"{_md(str(action['skill']))} check{against} ({action.get('roll', '?')}){verdict}"
    rest = ", ".join(
        f"{key} {_entity(value, entities) if key == 'target' else _plain(value)}"
        for key, value in action.items()
        if key != "type"
    )
    return _md(f"{kind} {rest}".strip())


def _entity(value: Any, entities: dict[str, str]) -> str:
    """An entity id as its name; anything else as plain text."""
    return entities.get(value, value) if isinstance(value, str) else _plain(value)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _field(entry: LogEntry | None, key: str) -> str | None:
    data = entry.event_data if entry is not None else None
    value = data.get(key) if isinstance(data, dict) else None
    return str(value) if value is not None else None


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>#|"})


def _md(text: str) -> str:
    """Player text shown as written: Markdown characters escaped, one line."""
    return " ".join(text.split()).translate(_MD_SPECIAL)
