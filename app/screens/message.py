"""Sending a message to the room (`m`) on one of its chat channels."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from app.screens.form import FieldError, FormScreen, field_row
from app.screens.settings import form_buttons
from store import Conflict, Interaction, StoreError
from store.limits import MAX_CHAT_LENGTH

CHANNELS = (
    ("Party", "party"),
    ("DM channel", "dm"),
    ("System notice", "system"),
    ("Private", "private"),
)
CHOSEN, NOT_CHOSEN = "✓ ", "  "
"""Marks before a recipient's name: chosen or not is told by more than colour."""


@dataclass(frozen=True)
class ChatDraft:
    """A message the game master wrote, ready for log_interaction_event."""

    channel: str
    content: str
    recipients: tuple[str, ...] = ()


def allowed_channels(interaction: Interaction) -> list[tuple[str, str]]:
    """The channels the room's chat settings let a message through on now."""
    return [
        (label, channel)
        for label, channel in CHANNELS
        if channel == "system"
        or (interaction.chat_enabled and (channel != "private" or interaction.allow_private_chat))
    ]


class MessageScreen(FormScreen[ChatDraft, Any]):
    """Pick a channel (and recipients for a private message), write, send."""

    def __init__(
        self,
        interaction: Interaction,
        participants: Mapping[str, str],
        save: Callable[[ChatDraft], Awaitable[Any]],
    ) -> None:
        """`participants`: who is connected, by user id, with their names (the game master
        left out); `save` sends the message."""
        super().__init__()
        self._interaction = interaction
        self._participants = dict(participants)
        self._save = save

    def compose(self) -> ComposeResult:
        channels = allowed_channels(self._interaction)
        with Vertical(classes="dialog"):
            yield Static("Message the room", classes="dialog-title")
            if not self._interaction.chat_enabled:
                yield Static(
                    "Chat is off in this room: only system notices go through.", classes="hint"
                )
            yield from field_row(
                "Message",
                Input(
                    placeholder="message", id="content", max_length=MAX_CHAT_LENGTH, compact=True
                ),
            )
            yield from field_row(
                "Channel",
                Select(
                    channels, value=channels[0][1], allow_blank=False, id="channel", compact=True
                ),
            )
            yield SelectionList[str](id="recipients")
            yield Static("", id="recipients-error", classes="error field-error")
            yield from form_buttons("Send")

    def on_mount(self) -> None:
        recipients = self.query_one("#recipients", SelectionList)
        recipients.border_title = "Recipients"
        recipients.display = False
        self.show_participants(self._participants)
        # FormScreen.on_mount runs after this one (Textual calls each class's handler).

    def show_participants(self, participants: Mapping[str, str]) -> None:
        """Follow who is connected: recipients who left go, those who joined come, and the
        choices made stay."""
        recipients: SelectionList[str] = self.query_one("#recipients", SelectionList)
        if dict(participants) == self._participants and recipients.option_count:
            return
        self._participants = dict(participants)
        chosen = set(recipients.selected) & participants.keys()
        recipients.clear_options()
        recipients.add_options(
            Selection(self._prompt(user, user in chosen), user, user in chosen)
            for user in participants
        )

    def _prompt(self, user: str, chosen: bool) -> Text:
        name = self._participants.get(user, user)
        return Text((CHOSEN if chosen else NOT_CHOSEN) + name)

    @on(SelectionList.SelectedChanged, "#recipients")
    def _mark_chosen(self) -> None:
        recipients: SelectionList[str] = self.query_one("#recipients", SelectionList)
        chosen = set(recipients.selected)
        for index in range(recipients.option_count):
            user = recipients.get_option_at_index(index).value
            recipients.replace_option_prompt_at_index(index, self._prompt(user, user in chosen))

    @on(Select.Changed, "#channel")
    def _channel_changed(self, event: Select.Changed) -> None:
        self.query_one("#recipients", SelectionList).display = event.value == "private"

    def collect(self) -> ChatDraft:
        content = self.query_one("#content", Input).value
        channel = str(self.query_one("#channel", Select).value)
        recipients = tuple(self.query_one("#recipients", SelectionList).selected)
        if not content.strip():
            raise FieldError("content", "Write something first.")
        if channel == "private" and not recipients:
            raise FieldError(
                "recipients",
                "Choose at least one recipient."
                if self._participants
                else "Nobody is connected to message privately.",
            )
        return ChatDraft(
            channel=channel,
            content=content,
            recipients=recipients if channel == "private" else (),
        )

    def field_for_error(self, error: StoreError) -> str | None:
        """Chat refused by the room's settings is the channel's fault."""
        if isinstance(error, Conflict) and "chat is disabled" in str(error):
            return "channel"
        return {"content": "content", "recipients": "recipients"}.get(str(error).split(":", 1)[0])

    async def save(self, value: ChatDraft) -> Any:
        return await self._save(value)
