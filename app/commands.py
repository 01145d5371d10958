"""The command palette: every screen key, listed as "group: Verb"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen


def binding_commands(screen: Screen, groups: Mapping[str, str]) -> Iterable[SystemCommand]:
    """A palette entry for each of the screen's bindings whose action has a group and is
    allowed now (Screen.check_action).

    Built from the bindings themselves, so the footer, the help screen and the
    palette can never disagree about what a key is called.
    """
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding):
            continue
        group = groups.get(binding.action)
        if group is None or screen.check_action(binding.action.split("(", 1)[0], ()) is not True:
            continue
        yield SystemCommand(
            f"{group}: {binding.description}",
            binding.tooltip or binding.description,
            partial(screen.run_action, binding.action),
        )
