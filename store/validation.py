"""Input validation at the store's boundary: one place, errors that name the field.

Every public operation turns its arguments into one of these models (or runs
one of the checks below) before it touches the database, so a call that fails
validation writes nothing.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, NotRequired, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    with_config,
)
from typing_extensions import TypedDict

from store import limits
from store.errors import InvalidInput
from store.models import ChatChannel, Condition, EntityType, InitiativeEntry, TurnStatus

ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


def _not_blank(value: str) -> str:
    """A blank id or name shows as nothing on screen: refuse it like an empty one."""
    if not value.strip():
        raise ValueError("must not be blank")
    return _no_nul(value)


def _no_nul(value: str) -> str:
    """PostgreSQL cannot store a NUL character; refused on both engines, so they agree."""
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


def no_bad_text(value: str) -> str:
    """Text the database can store: no NUL character and no lone surrogate."""
    _no_nul(value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate, not valid text") from None
    return value


Id = Annotated[
    str, Field(min_length=1, max_length=limits.MAX_ID_LENGTH), AfterValidator(_not_blank)
]
Name = Annotated[
    str, Field(min_length=1, max_length=limits.MAX_NAME_LENGTH), AfterValidator(_not_blank)
]
Timestamp = Annotated[int, Field(ge=0, le=limits.MAX_TIMESTAMP)]
Counter = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""Round and turn numbers: within PostgreSQL's INTEGER, so both engines take the same range."""


def parse(model: type[ModelT], data: Mapping[str, Any], *, where: str = "") -> ModelT:
    """Validate `data` into `model`, turning pydantic's error into InvalidInput.

    The message names the field ("turn_time_limit: ...") so a caller, or a game
    master reading a notification, knows what to fix.
    """
    return _validated(model.model_validate, data, where)


def parse_fields(shape: type[T], data: object, *, where: str = "") -> T:
    """parse for a TypedDict shape: checked into a plain dict, no model object built.

    The log-event paths use these: for a batch's hundreds of events, model
    objects would cost more than their checks.
    """
    return _validated(_adapter(shape).validate_python, data, where)


@cache
def _adapter(shape: type[T]) -> TypeAdapter[T]:
    """A TypedDict's validator, built on first use like the models' (defer_build).

    A TypeAdapter of a TypedDict is built at once and takes no config of its own.
    """
    return TypeAdapter(shape)


def _validated(validate: Callable[[dict[str, Any]], T], data: object, where: str) -> T:
    if not isinstance(data, dict):  # a dict skips the (slower) abstract-class check
        if not isinstance(data, Mapping):
            raise InvalidInput(f"{where or 'data'}: must be an object, got {type(data).__name__}")
        data = dict(data)
    try:
        return validate(data)
    except ValidationError as error:
        raise InvalidInput(describe_validation_error(error, where)) from None


def describe_validation_error(error: ValidationError, where: str = "") -> str:
    """The first problem of a pydantic error as "field: message"."""
    first = error.errors(include_url=False)[0]
    path = ".".join(str(part) for part in first["loc"])
    field = ".".join(part for part in (where, path) if part) or "input"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "missing":
        message = "is required"
    return f"{field}: {message}"


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = 60
_SHORT_REPR.maxlevel = 3


def shown(value: object) -> str:
    """`value` for an error message: a repr cut short, however long or deeply nested it is.

    A plain repr of a 5,000-deep list raises RecursionError, and one of a 70 KB
    string makes a 70 KB message (and notification).
    """
    return _SHORT_REPR.repr(value)


def check_interaction_id(value: object) -> int:
    """Interaction ids are ints, never coerced: "3" and True are InvalidInput."""
    if type(value) is not int:
        raise InvalidInput(f"interaction_id: must be an integer, got {type(value).__name__}")
    return value


DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1
"""SQLite's INTEGER range: a larger Python int would fail as an OverflowError in the driver."""


def check_list(value: object, field: str, what: str, max_items: int | None = None) -> list[Any]:
    """The items of a list argument: any iterable (a generator too) but a string or a mapping."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInput(f"{field}: must be a list of {what}")
    items = list(value)
    if max_items is not None and len(items) > max_items:
        raise InvalidInput(f"{field}: at most {max_items} {what}, got {len(items)}")
    return items


def check_interaction_ids(value: object, field: str = "ids") -> list[int]:
    """A list of interaction ids, each an int, duplicates dropped; ids too large for the
    database are dropped too: they cannot exist, so they are left out as unknown ids are."""
    checked: dict[int, None] = {}
    for index, item in enumerate(check_list(value, field, "interaction ids")):
        if type(item) is not int:
            raise InvalidInput(f"{field}[{index}]: must be an integer, got {type(item).__name__}")
        if DB_INT_MIN <= item <= DB_INT_MAX:
            checked[item] = None
    return list(checked)


def check_event_types(value: object) -> list[str] | None:
    """None (every event type), or at least one event type name."""
    if value is None:
        return None
    types = check_list(value, "event_types", "event type names")
    if not types:
        raise InvalidInput("event_types: must name at least one event type")
    return [check_text(name, "event_types[]", limits.MAX_ID_LENGTH) for name in types]


def check_user_ids(value: object, field: str, max_items: int | None = None) -> list[str]:
    """A list of user ids; duplicates collapse, order of first appearance kept."""
    users = check_list(value, field, "user ids", max_items)
    unique: dict[str, None] = {}
    for index, user in enumerate(users):
        unique[check_text(user, f"{field}[{index}]", limits.MAX_ID_LENGTH)] = None
    return list(unique)


def check_limit(value: object) -> int:
    """A page size: how many log entries one read returns at most."""
    return check_integer(value, "limit", 1, limits.MAX_LOG_PAGE)


def check_choice(value: object, field: str, choices: tuple[str, ...]) -> str:
    """One of a few names (a status, an action): exactly, never coerced."""
    if not isinstance(value, str) or value not in choices:
        raise InvalidInput(f"{field}: must be one of {', '.join(choices)}, got {shown(value)}")
    return value


def check_integer(
    value: object, field: str, minimum: int = DB_INT_MIN, maximum: int = DB_INT_MAX
) -> int:
    """A real int (not a bool) within bounds the database can compare against."""
    if type(value) is not int:
        raise InvalidInput(f"{field}: must be an integer, got {type(value).__name__}")
    if not minimum <= value <= maximum:
        raise InvalidInput(f"{field}: must be between {minimum} and {maximum}, got {value}")
    return value


def check_turn_time_limit(value: object, field: str = "turn_time_limit") -> int:
    """0 means untimed turns; otherwise 10..3600 seconds."""
    if type(value) is not int:
        raise InvalidInput(f"{field}: must be an integer number of seconds")
    if value != 0 and not limits.MIN_TURN_TIME_LIMIT <= value <= limits.MAX_TURN_TIME_LIMIT:
        raise InvalidInput(
            f"{field}: must be 0 (untimed) or between {limits.MIN_TURN_TIME_LIMIT} "
            f"and {limits.MAX_TURN_TIME_LIMIT} seconds, got {value}"
        )
    return value


def check_bool(value: object, field: str) -> bool:
    """Flags are real booleans: 1 and "yes" are refused rather than guessed at."""
    if type(value) is not bool:
        raise InvalidInput(f"{field}: must be true or false, got {type(value).__name__}")
    return value


def check_text(value: object, field: str, max_length: int) -> str:
    """A non-blank string of at most max_length characters."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidInput(f"{field}: must not be empty")
    if len(value) > max_length:
        raise InvalidInput(f"{field}: at most {max_length} characters, got {len(value)}")
    if "\x00" in value:
        raise InvalidInput(f"{field}: must not contain a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{field}: contains a lone surrogate, not valid text") from None
    return value


_JSON_ENCODER = json.JSONEncoder(allow_nan=False, ensure_ascii=False, separators=(",", ":"))


def _one_c_encoder() -> Callable[[Any], str]:
    """_JSON_ENCODER's output from one C encoder made once.

    JSONEncoder.encode makes a new C encoder on every call, about as much
    work as encoding a small event. Made without circular-reference markers:
    markers left by a failed call could refuse a later, valid value, and
    _check_json_keys refuses cycles before anything is encoded.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return _JSON_ENCODER.encode
    encoder = make(
        None,
        _JSON_ENCODER.default,
        json.encoder.encode_basestring,
        None,
        _JSON_ENCODER.key_separator,
        _JSON_ENCODER.item_separator,
        False,
        False,
        False,
    )
    return lambda value: "".join(encoder(value, 0))


_encode = _one_c_encoder()


def dump_json(value: Any) -> str:
    """JSON text of a value the store built itself from checked data: no checks again."""
    return _encode(value)


def encode_json(value: Any, field: str, max_bytes: int) -> str:
    """Serialize JSON data for storage, refusing what would not round-trip.

    NaN, infinities, non-string keys and non-JSON objects are refused, as is
    anything larger than max_bytes once encoded.
    """
    _check_json_keys(value, field)
    try:
        text = _encode(value)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"{field}: not JSON data ({error})") from None
    except RecursionError:
        raise InvalidInput(f"{field}: nested too deeply to be stored") from None
    if text.isascii():  # most data: one byte a character, nothing to re-encode
        size = len(text)
    else:
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:
            raise InvalidInput(f"{field}: contains a lone surrogate, not valid text") from None
    if size > max_bytes:
        raise InvalidInput(f"{field}: {size} bytes as JSON, at most {max_bytes} allowed")
    return text


_CONTAINERS = (dict, list, tuple)


def _check_json_keys(value: Any, field: str) -> None:
    """json.dumps would silently turn 1 or None keys into strings; refuse them instead.

    Also refuses NUL characters in strings and keys: PostgreSQL's JSONB cannot
    hold them, and both engines accept the same data. Scalars are checked
    where they are found rather than queued: this runs for every logged event.
    """
    pending = [value]
    seen = 0
    while pending:
        item = pending.pop()
        seen += 1
        if seen > 2_000_000:
            raise InvalidInput(f"{field}: too many values to store")
        if isinstance(item, dict):
            for key, nested in item.items():
                if not isinstance(key, str):
                    raise InvalidInput(f"{field}: object keys must be strings, got {shown(key)}")
                if "\x00" in key:
                    raise InvalidInput(f"{field}: keys must not contain a NUL character")
                if isinstance(nested, _CONTAINERS):
                    pending.append(nested)
                elif isinstance(nested, str) and "\x00" in nested:
                    raise InvalidInput(f"{field}: text must not contain a NUL character")
        elif isinstance(item, list | tuple):
            for nested in item:
                if isinstance(nested, _CONTAINERS):
                    pending.append(nested)
                elif isinstance(nested, str) and "\x00" in nested:
                    raise InvalidInput(f"{field}: text must not contain a NUL character")
        elif isinstance(item, str) and "\x00" in item:
            raise InvalidInput(f"{field}: text must not contain a NUL character")


def check_participants(value: object, field: str = "connected_participants") -> list[str]:
    """The players connected to a room: at most MAX_PARTICIPANTS user ids."""
    return check_user_ids(value, field, limits.MAX_PARTICIPANTS)


class StrictInput(BaseModel):
    """Base of input models: no coercion, no unknown keys; built on first use (defer_build)."""

    model_config = ConfigDict(strict=True, extra="forbid", defer_build=True)


class NewInteraction(StrictInput):
    name: Name
    dm_user_id: Id
    description: (
        Annotated[str, Field(max_length=limits.MAX_DESCRIPTION_LENGTH), AfterValidator(_no_nul)]
        | None
    ) = None
    campaign_id: Id | None = None
    initiative_order: list[InitiativeEntry] | None = None
    turn_time_limit: int = 90
    chat_enabled: bool = True
    allow_private_chat: bool = True

    @field_validator("turn_time_limit")
    @classmethod
    def _limit_in_range(cls, value: int) -> int:
        return _limit_or_value_error(value)


def _limit_or_value_error(value: int) -> int:
    try:
        return check_turn_time_limit(value)
    except InvalidInput as error:
        raise ValueError(str(error).split(": ", 1)[1]) from None


def check_initiative_order(value: object) -> list[InitiativeEntry]:
    """Entries as models (dicts are accepted), each entity listed once."""
    given = check_list(value, "initiative_order", "entries", limits.MAX_INITIATIVE_ENTRIES)
    entries: list[InitiativeEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(given):
        where = f"initiative_order[{index}]"
        entry = check_entry(raw, where)
        if entry.entity_id in seen:
            raise InvalidInput(f"{where}.entity_id: {entry.entity_id!r} is already in the order")
        seen.add(entry.entity_id)
        entries.append(entry)
    return entries


def check_entry(raw: object, where: str = "entry") -> InitiativeEntry:
    """One combatant as a model (a dict is accepted); errors name `where` and the field.

    Hit points hold together: current_hp and temp_hp need max_hp, current_hp
    is at most max_hp, and max_hp alone sets current_hp to it. Condition names
    are text of 1..40 characters, each once (compared without case).
    """
    entry = raw if isinstance(raw, InitiativeEntry) else parse(InitiativeEntry, raw, where=where)
    prefix = f"{where}." if where else ""
    # InitiativeEntry is also a result model, so blank text is refused here, at the boundary.
    check_text(entry.entity_id, f"{prefix}entity_id", limits.MAX_ID_LENGTH)
    check_text(entry.name, f"{prefix}name", limits.MAX_NAME_LENGTH)
    if entry.user_id is not None:
        check_text(entry.user_id, f"{prefix}user_id", limits.MAX_ID_LENGTH)
    check_conditions(entry.conditions, f"{prefix}conditions")
    if entry.max_hp is None:
        for name in ("current_hp", "temp_hp"):
            if getattr(entry, name) is not None:
                raise InvalidInput(f"{prefix}{name}: needs max_hp (hit points are not tracked)")
        return entry
    if entry.current_hp is None:
        return entry.model_copy(update={"current_hp": entry.max_hp})
    if entry.current_hp > entry.max_hp:
        raise InvalidInput(
            f"{prefix}current_hp: must not be above max_hp ({entry.max_hp}), got {entry.current_hp}"
        )
    return entry


def check_conditions(conditions: Sequence[Condition], field: str) -> None:
    """A combatant's conditions: names of real text, each once, at most MAX_CONDITIONS."""
    if len(conditions) > limits.MAX_CONDITIONS:
        raise InvalidInput(f"{field}: at most {limits.MAX_CONDITIONS}, got {len(conditions)}")
    seen: set[str] = set()
    for index, condition in enumerate(conditions):
        name = check_condition_name(condition.name, f"{field}[{index}].name")
        if name.casefold() in seen:
            raise InvalidInput(f"{field}[{index}].name: {name!r} is listed twice")
        seen.add(name.casefold())


def check_condition_name(value: object, field: str = "name") -> str:
    """A condition's name: 1..40 characters of text, not blank."""
    return check_text(value, field, limits.MAX_CONDITION_NAME_LENGTH)


@with_config(ConfigDict(strict=True, extra="forbid"))
class LogEventFields(TypedDict):
    """A log event as given: the data of log_interaction_event and of a batch's log_event."""

    event_type: Id
    event_data: NotRequired[Any]
    session_id: Id
    user_id: NotRequired[Id | None]
    entity_id: NotRequired[Id | None]


def _content_not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


@with_config(ConfigDict(strict=True, extra="allow"))
class ChatFields(TypedDict):
    """The event_data of a CHAT_MESSAGE; extra keys (sender names, ids) are kept."""

    channel: ChatChannel
    content: Annotated[
        str,
        Field(min_length=1, max_length=limits.MAX_CHAT_LENGTH),
        AfterValidator(_content_not_blank),
    ]
    recipients: NotRequired[list[Id] | None]


class TurnInput(StrictInput):
    entity_id: Id
    entity_type: EntityType
    turn_number: Counter
    round_number: Counter
    actions: list[Any] = Field(default_factory=list)
    start_time: Timestamp
    status: TurnStatus
    end_time: Timestamp | None = None
    user_id: Id | None = None


class SnapshotInput(StrictInput):
    state_snapshot: Any = None
    connected_participants: list[Any] | None = None


class ParticipantsInput(StrictInput):
    participants: list[Any]


def check_settings(
    turn_time_limit: object, chat_enabled: object, allow_private_chat: object
) -> dict[str, Any]:
    """The room settings that were given, validated; None means "keep the current one"."""
    settings: dict[str, Any] = {}
    if turn_time_limit is not None:
        settings["turn_time_limit"] = check_turn_time_limit(turn_time_limit)
    if chat_enabled is not None:
        settings["chat_enabled"] = check_bool(chat_enabled, "chat_enabled")
    if allow_private_chat is not None:
        settings["allow_private_chat"] = check_bool(allow_private_chat, "allow_private_chat")
    return settings
