"""Forms keep each error beside its field and in step with it: the store's errors about a
combatant, an error re-read as the value changes, and the message form following the room."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from app.app import LiveroomApp
from app.screens.message import MessageScreen
from store import LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene


def _shown(static: Static) -> str:
    return str(static.render()) if static.display else ""


async def test_a_store_error_about_a_new_combatant_goes_beside_its_field(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    """The store names the field "entry.user_id": the form's field is the player id."""
    store, scene = scene_store
    before = store.get_interaction(scene.idle).initiative_order
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.idle)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        await pilot.press(*"Ogre")
        form.query_one("#player", Input).value = "p" * 200  # e.g. pasted by another tool
        await pilot.press("enter")
        await settle(pilot)
        assert form is pilot.app.screen, "the form stays open"
        error = _shown(form.query_one("#player-error", Static))
        assert "at most 128 characters" in error
        assert _shown(form.query_one("#form-error", Static)) == ""
        assert form.focused is form.query_one("#player", Input)
    assert store.get_interaction(scene.idle).initiative_order == before


async def test_a_field_error_follows_the_value_and_clears_when_it_is_valid(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("t")
        await settle(pilot)
        form = pilot.app.screen
        limit = form.query_one("#time-limit", Input)
        error = form.query_one("#time-limit-error", Static)
        limit.value = "5"
        await pilot.press("enter")
        await settle(pilot)
        assert _shown(error).endswith("not 5.")
        limit.value = "3"  # still wrong: the message is about 3 now
        await settle(pilot)
        assert _shown(error).endswith("not 3.")
        limit.value = "30"
        await settle(pilot)
        assert _shown(error) == ""


async def test_the_message_form_follows_the_rooms_chat_settings(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    """Chat turned off while the game master writes: the channels offered shrink, the
    chosen one is not swapped for a wider audience, the text stays; turned on again, the
    channel chosen comes back."""
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("m")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, MessageScreen)
        await pilot.press(*"ready?")
        channel = form.query_one("#channel", Select)
        assert channel.value == "party"

        store.update_turn_settings(scene.live, chat_enabled=False)  # another console
        await settle(pilot)  # the room screen under the form reads it
        assert [value for _, value in channel._options if value != Select.NULL] == ["system"]
        assert channel.is_blank()
        assert "Chat was turned off" in _shown(form.query_one("#channel-error", Static))
        assert form.query_one("#chat-off").display
        assert form.query_one("#content", Input).value == "ready?"
        assert form.focused is form.query_one("#content", Input), "typing goes on"
        await pilot.press("enter")  # nothing is sent while no channel is chosen
        await settle(pilot)
        assert pilot.app.screen is form
        assert store.get_interaction_logs(scene.live, limit=1)[0].event_type != "CHAT_MESSAGE"

        store.update_turn_settings(scene.live, chat_enabled=True)
        await settle(pilot)
        assert channel.value == "party"
        assert _shown(form.query_one("#channel-error", Static)) == ""
        assert not form.query_one("#chat-off").display
