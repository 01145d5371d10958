"""Older pages of the event log read ahead and handed to the log before they are wanted.

A page staged here goes in the moment the view nears the top, in the same
call that scrolled it there, so the frame that shows the top already has it
above. Asked for with a message instead (EventLog.OlderWanted), it would
come back a few hops through the message queues later: scrolling to the top
one page after another, a third of the pages came after the first frame and
were painted twice, a frame (1/60 s) apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.models import LogEntry
    from widgets.event_layout import PageLayout

__all__ = ["StagedPage", "StagedPages"]


@dataclass(frozen=True)
class StagedPage:
    """An older page: the entries just above the entry whose id is `before_id`."""

    before_id: int
    entries: Sequence[LogEntry]
    """Oldest first."""
    has_older: bool
    """Whether the store has entries older than these."""
    layout: PageLayout | None
    """The entries measured off the UI thread (see EventLog.prepend_older)."""

    @property
    def oldest_id(self) -> int | None:
        """The `before_id` of the page above this one (None for an empty page)."""
        return self.entries[0].id if self.entries else None


class StagedPages:
    """The staged pages that continue the log upwards from its oldest entry, as a chain.

    A page that no longer joins the chain (the log dropped its oldest
    entries) is let go the next time a page is staged, and never handed
    over: take() asks for the page above the oldest entry held.
    """

    def __init__(self) -> None:
        self._by_before: dict[int, StagedPage] = {}

    def stage(self, page: StagedPage, oldest_held: int | None) -> None:
        """Keep `page` (replacing the same page staged before) and let go of any page
        that no longer continues upwards from `oldest_held`."""
        self._by_before[page.before_id] = page
        self._keep_chain_from(oldest_held)

    def take(self, oldest_held: int) -> StagedPage | None:
        """The page just above `oldest_held`, handed over once (None if none is staged)."""
        return self._by_before.pop(oldest_held, None)

    def clear(self) -> None:
        """Let go of every page: the log they continued is gone (a reset) or cut."""
        self._by_before.clear()

    def _keep_chain_from(self, before_id: int | None) -> None:
        chain: dict[int, StagedPage] = {}
        while before_id is not None and (page := self._by_before.get(before_id)) is not None:
            chain[before_id] = page
            before_id = page.oldest_id
        self._by_before = chain
