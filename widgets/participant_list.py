"""Who is connected to the room right now, by display name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from widgets.keyed_rows import same_cell
from widgets.text import append_literal, literal

__all__ = ["EMPTY_LABEL", "ParticipantList"]

EMPTY_LABEL = "nobody connected"
NAME_LIMIT = 40
ID_LIMIT = 40


class ParticipantList(OptionList):
    """Connected participants, one option per user id (the option id is the user id).

    Joins and leaves are applied as removals and appends rather than a
    rebuild, so the highlighted participant stays put while players come
    and go. Selecting one posts OptionList.OptionSelected with option.id set
    to the user id.
    """

    DEFAULT_CSS = """
    ParticipantList {
        height: auto;
        max-height: 100%;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        # markup=False as a second guard: prompts are Text already, never markup.
        super().__init__(name=name, id=id, classes=classes, disabled=disabled, markup=False)
        self._shown: list[str] = []
        self.add_option(self._placeholder())

    @property
    def user_ids(self) -> list[str]:
        """The user ids shown, in order (empty when nobody is connected)."""
        return list(self._shown)

    def show_participants(self, user_ids: Sequence[str], names: Mapping[str, str]) -> None:
        """Show `user_ids` in order with their display names from `names`."""
        wanted = list(dict.fromkeys(user_ids))
        prompts = {user_id: participant_prompt(user_id, names) for user_id in wanted}
        if not wanted:
            if self._shown or self.option_count == 0:
                self.set_options([self._placeholder()])
            self._shown = []
            return

        highlighted = self.highlighted_option
        keep_id = highlighted.id if highlighted is not None else None
        kept = [user_id for user_id in self._shown if user_id in prompts]
        if self._shown and kept == wanted[: len(kept)]:
            for user_id in self._shown:
                if user_id not in prompts:
                    self.remove_option(user_id)
            for user_id in kept:
                if not same_cell(self.get_option(user_id).prompt, prompts[user_id]):
                    self.replace_option_prompt(user_id, prompts[user_id])
            self.add_options(Option(prompts[u], id=u) for u in wanted[len(kept) :])
        else:
            self.set_options(Option(prompts[u], id=u) for u in wanted)
        # OptionList keeps the highlighted *index* when options above it go;
        # put the highlight back on the same participant.
        if keep_id is not None and keep_id in prompts:
            self.highlighted = self.get_option_index(keep_id)
        elif self.highlighted is None or self.highlighted >= len(wanted):
            self.highlighted = min(len(wanted) - 1, self.highlighted or 0)
        self._shown = wanted

    @staticmethod
    def _placeholder() -> Option:
        return Option(Text(EMPTY_LABEL, style="dim italic", end=""), disabled=True)


def participant_prompt(user_id: str, names: Mapping[str, str]) -> Text:
    """ "Bree  u-bree": the display name, then the id dimmed (the id alone when unnamed)."""
    name = names.get(user_id)
    if name is None or name == user_id:
        return literal(user_id, limit=ID_LIMIT)
    text = literal(name, limit=NAME_LIMIT)
    text.append("  ")
    append_literal(text, user_id, "dim", limit=ID_LIMIT)
    return text
