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
CHAT_OFF = "Chat is off in this room: only system notices go through."


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
    """Pick a channel (and recipients for a private message), write, send.

    The form follows the room while it is open (show_room): the channels offered
    are those its chat settings allow now, the recipients those connected now.
    """

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
        self._channels = allowed_channels(interaction)
        """The channels offered now."""
        self._closed_channel: str | None = None
        """The channel the game master chose that the room's settings have since closed;
        it is chosen again if they open it again."""

    def compose(self) -> ComposeResult:
        channels = self._channels
        with Vertical(classes="dialog"):
            yield Static("Message the room", classes="dialog-title")
            chat_off = Static(CHAT_OFF, id="chat-off", classes="hint")
            chat_off.display = not self._interaction.chat_enabled
            yield chat_off
            yield from field_row(
                "Message",
                Input(
                    placeholder="message", id="content", max_length=MAX_CHAT_LENGTH, compact=True
                ),
            )
            yield from field_row(
                "Channel",
                # Blank only when the settings closed the channel chosen: then the game
                # master chooses again, rather than the text going to a wider audience.
                Select(
                    channels,
                    value=channels[0][1],
                    prompt="choose a channel",
                    id="channel",
                    compact=True,
                ),
            )
            yield SelectionList[str](id="recipients")
            yield Static("", id="recipients-error", classes="error field-error")
            yield from form_buttons("Send")

    def on_mount(self) -> None:
        recipients = self.query_one("#recipients", SelectionList)
        recipients.border_title = "Recipients"
        recipients.display = False
        self.show_settings(self._interaction)
        self.show_participants(self._participants)
        # FormScreen.on_mount runs after this one (Textual calls each class's handler).

    def show_room(self, interaction: Interaction, participants: Mapping[str, str]) -> None:
        """Follow the room: the channels its chat settings allow now, who is connected now.
        Before the form is mounted this is kept for on_mount: a Select changed before its
        own mount would check its first value against options that no longer hold it."""
        if not self.is_mounted:
            self._interaction, self._participants = interaction, dict(participants)
            return
        self.show_settings(interaction)
        self.show_participants(participants)

    def show_settings(self, interaction: Interaction) -> None:
        """Offer the channels the room's settings allow now. A chosen channel that closes
        leaves the choice blank, with the reason beside it, and comes back if it reopens;
        what was typed stays."""
        self._interaction = interaction
        self.query_one("#chat-off").display = not interaction.chat_enabled
        channels = allowed_channels(interaction)
        if channels == self._channels:
            return
        self._channels = channels
        select: Select[str] = self.query_one("#channel", Select)
        chosen = self._closed_channel if select.is_blank() else str(select.value)
        with select.prevent(Select.Changed):  # the value below is the one that counts
            select.set_options(channels)
            if chosen in {channel for _, channel in channels}:
                select.value = chosen
        self._closed_channel = None if chosen == select.value else chosen
        self.query_one("#recipients").display = select.value == "private"
        if self._closed_channel is not None:
            self.show_error("channel", self._closed_reason(), focus=False)
        elif "channel-error" in self._errors_shown:
            self._hide(self.query_one("#channel-error", Static))

    def _closed_reason(self) -> str:
        label = {channel: label for label, channel in CHANNELS}.get(self._closed_channel or "", "")
        what = "Private chat" if self._interaction.chat_enabled else "Chat"
        return f"{what} was turned off: choose where this goes ({label} is closed)."

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
        if event.value != Select.NULL:
            self._closed_channel = None  # chosen again: it is no longer waiting for its channel

    def collect(self) -> ChatDraft:
        content = self.query_one("#content", Input).value
        select = self.query_one("#channel", Select)
        recipients = tuple(self.query_one("#recipients", SelectionList).selected)
        if select.is_blank():
            closed = self._closed_channel is not None
            raise FieldError("channel", self._closed_reason() if closed else "Choose a channel.")
        channel = str(select.value)
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
