"""The behaviour every liveroom form shares: keys, errors beside fields, typed text kept."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from store import StoreError
from widgets.text import safe_text

V = TypeVar("V")
"""What a form collects from its fields."""
R = TypeVar("R")
"""What the form's save returns, and dismisses the form with."""

_STORE_PATH = re.compile(r"^(?:entry|initiative_order\[\d+\])\.")
"""Where the store says a combatant's field sits ("entry.user_id", "initiative_order[2].name"):
a form edits one combatant, so only the field's own name picks the form field."""


class FieldError(ValueError):
    """A value the form refuses before anything is written: shown beside `field`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def field_row(label: str, widget: Widget) -> ComposeResult:
    """A labelled field (the widget's id names it) and the place its error shows."""
    with Horizontal(classes="field"):
        yield Label(label, classes="field-label")
        yield widget
    yield Static("", id=f"{widget.id}-error", classes="error field-error")


class FormScreen(ModalScreen[R | None], Generic[V, R]):
    """A modal form.

    It opens on its first field; Enter submits it from any field (a button
    keeps its own Enter); Escape cancels. A value the form refuses
    (collect raises FieldError) or the store refuses (save raises a
    StoreError, whose message names the field: STORE_FIELDS maps it to the
    form's) is shown beside its field, and everything typed stays. An error
    clears as soon as its field holds a valid value again.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving."),
        Binding("enter", "submit", "Save", tooltip="Save the form.", priority=True),
        Binding("ctrl+s", "save", "Save", tooltip="Save from any field.", show=False),
    ]
    STORE_FIELDS: Mapping[str, str] = {}
    """The store's field names (as its errors start) and the form field each one is."""

    def collect(self) -> V:
        """The form's value, or FieldError for the first field that is wrong."""
        raise NotImplementedError

    async def save(self, value: V) -> R:
        """Write `value`; a StoreError keeps the form open with the error shown."""
        raise NotImplementedError

    def __init__(self) -> None:
        super().__init__()
        self._errors_shown: set[str] = set()
        """The ids of the error spots showing an error now."""

    def on_mount(self) -> None:
        self.focus_first_field()

    def focus_first_field(self) -> None:
        for widget in self.query("Input, Select, SelectionList, Checkbox").results(Widget):
            if widget.focusable and widget.display:
                widget.focus()
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter belongs to a focused button, to an open drop-down choosing its option and to
        a text area making a new line (ctrl+s saves from there)."""
        if action == "submit":
            choosing = any(select.expanded for select in self.query(Select))
            return not (choosing or isinstance(self.focused, Button | TextArea))
        return True

    def action_save(self) -> None:
        """ctrl+s saves from any field, a text area's included."""
        self._submit()

    def action_submit(self) -> None:
        self._submit()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self._submit()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="form-save", exit_on_error=False)
    async def _submit(self) -> None:
        self._clear_errors()
        try:
            value = self.collect()
        except FieldError as error:
            self.show_error(error.field, str(error))
            return
        try:
            result = await self.save(value)
        except StoreError as error:
            self.show_error(self.field_for_error(error), str(error))
            return
        self.dismiss(result)

    def show_error(self, field: str | None, message: str, *, focus: bool = True) -> None:
        """Show `message` beside `field` (or under the form when no field is to blame), and
        take the game master there unless `focus` is False (news that came while they type)."""
        spot = self._error_spot(field)
        spot.update(safe_text(message))
        spot.display = True
        self._errors_shown.add(spot.id or "")
        if focus and field is not None and spot.id != "form-error":
            target = self.query_one(f"#{field}")
            if target.focusable:
                target.focus()

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_changed(self, event: Input.Changed) -> None:
        """Clear the error of a field that now holds a valid value; while it is still
        wrong, say what is wrong with the value it holds now ("not 3", not "not 5")."""
        field = event.control.id
        if field is None:
            return
        spot = self._error_spot(field)
        if spot.id != f"{field}-error" or spot.id not in self._errors_shown:
            return
        try:
            self.collect()
        except FieldError as error:
            if error.field == field:
                spot.update(safe_text(str(error)))
                return
        self._hide(spot)

    def field_for_error(self, error: StoreError) -> str | None:
        """The form field a store error is about (its message starts with the store's name
        for it, see STORE_FIELDS, after any path to the combatant); None: the form as a whole."""
        name = str(error).split(":", 1)[0].strip()
        return self.STORE_FIELDS.get(_STORE_PATH.sub("", name, count=1))

    def _error_spot(self, field: str | None) -> Static:
        found = self.query(f"#{field}-error").results(Static) if field else iter(())
        spot = next(found, None)
        return spot if spot is not None else self.query_one("#form-error", Static)

    def _clear_errors(self) -> None:
        for spot in self.query(".error").results(Static):
            self._hide(spot)

    def _hide(self, spot: Static) -> None:
        spot.update("")
        if spot.has_class("field-error"):
            spot.display = False
        self._errors_shown.discard(spot.id or "")
