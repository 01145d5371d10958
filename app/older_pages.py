"""Reading the older pages of a room's log: the query, the names they bring, their layout.

One function, read_older_pages, for both places it runs: the gateway's
reader thread, and the history process (app.history_process) that takes
over once a game master reads back through a long log. Everything it takes
and returns pickles, and the module imports the store and the log's layout
but not Textual's app machinery, so the process starts quickly. The process
sends its pages packed (PackedPage): the dashboard unpacks a page only when
it is about to be shown.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store import StoreError
from widgets.event_layout import LayoutBasis, PageLayout, measure_page

if TYPE_CHECKING:
    from store import Interaction, LiveStore, LogEntry

__all__ = [
    "LOG_PAGE",
    "MeasuredPage",
    "OlderRead",
    "PackedPage",
    "measure_pages",
    "names_of",
    "read_older_pages",
    "wanted_names",
    "warm_up",
]

LOG_PAGE = 200


@dataclass(frozen=True)
class MeasuredPage:
    """A page of the log older than `before_id`, with its line counts."""

    before_id: int
    entries: list[LogEntry]
    """Newest first, as the store returns them."""
    has_older: bool
    layout: PageLayout
    """The entries' line counts against the basis the read was given (with `names`)."""

    @property
    def oldest_id(self) -> int | None:
        """Id of the page's oldest entry, the `before_id` of the page above (None: empty)."""
        return self.entries[-1].id if self.entries else None


@dataclass(frozen=True)
class PackedPage:
    """A MeasuredPage whose entries and layout are still pickled.

    Unpickled, a page is 200 entries of a few objects each: about a
    millisecond to make, and a thousand objects that every young collection
    walks while they live. The history process reads eight pages ahead; sent
    unpickled, they cost the dashboard one answer callback of 6-13 ms (longer
    with the collection it set off) that a frame could wait behind, and
    their objects made each young collection of the scroll 15-25 ms (bench
    figure 3). Packed, a page costs neither until it is unpacked, one at a
    time, as it is about to be shown.
    """

    before_id: int
    oldest_id: int | None
    has_older: bool
    content: bytes
    """The pickled (entries, layout) of the MeasuredPage."""

    @classmethod
    def pack(cls, page: MeasuredPage) -> PackedPage:
        content = pickle.dumps((page.entries, page.layout), protocol=pickle.HIGHEST_PROTOCOL)
        return cls(page.before_id, page.oldest_id, page.has_older, content)

    def unpack(self) -> MeasuredPage:
        """The page as it was measured (the content comes from our own process's pickle)."""
        entries, layout = pickle.loads(self.content)
        return MeasuredPage(self.before_id, entries, self.has_older, layout)


@dataclass(frozen=True)
class OlderRead:
    """What one read of older pages brought: the pages, nearest first, and new names."""

    pages: Sequence[MeasuredPage | PackedPage]
    names: dict[str, str]
    """Display names of users the pages mention that the caller did not know yet."""


def read_older_pages(
    store: LiveStore,
    interaction_id: int,
    before_id: int,
    pages: int,
    event_types: tuple[str, ...] | None,
    known_names: frozenset[str],
    basis: LayoutBasis,
    *,
    packed: bool = False,
) -> OlderRead:
    """Up to `pages` pages above `before_id` (of `event_types` only, unless None), and the
    names they bring: their line counts are taken with those names too, the names the log
    will have once the screen hands them over with the pages. `packed`: as PackedPages."""
    read = store.get_interaction_logs(
        interaction_id, limit=LOG_PAGE * pages, before=before_id, event_types=event_types
    )
    names = names_of(store, wanted_names(None, read) - known_names)
    if names:
        basis = LayoutBasis(basis.width, {**basis.names, **names}, basis.entities)
    measured = measure_pages(read, before_id, pages, basis)
    return OlderRead([PackedPage.pack(page) for page in measured] if packed else measured, names)


def measure_pages(
    read: Sequence[LogEntry], before_id: int, pages: int, basis: LayoutBasis
) -> list[MeasuredPage]:
    """`read`, the entries above `before_id` (newest first) asked for as `pages` pages, cut
    into pages and measured. A read that came back full cannot tell whether it took the
    last entry: its last page says there may be older ones (the next read finds out)."""
    measured = []
    for start in range(0, max(1, len(read)), LOG_PAGE):
        entries = list(read[start : start + LOG_PAGE])
        has_older = len(read) > start + LOG_PAGE or len(read) == LOG_PAGE * pages
        page = MeasuredPage(before_id, entries, has_older, measure_page(entries, basis))
        measured.append(page)
        if page.oldest_id is not None:
            before_id = page.oldest_id
    return measured


def warm_up(store: LiveStore) -> None:
    """Read and measure the newest page of the newest room, to be thrown away: the first
    read of a fresh process pays for the first use of the store's queries and models and
    of the log's wording (tens of milliseconds), which should not fall on a page waited for."""
    with suppress(StoreError):  # a room deleted meanwhile, say: only the warm-up is lost
        rooms = store.interaction_revisions()
        if rooms:
            newest_page = store.get_interaction_logs(max(rooms), limit=LOG_PAGE)
            measure_page(newest_page, LayoutBasis(80, {}, {}))


def names_of(store: LiveStore, users: set[str]) -> dict[str, str]:
    """Display names of `users` (no query when there are none)."""
    return store.display_names(sorted(users)) if users else {}


def wanted_names(interaction: Interaction | None, entries: Sequence[LogEntry]) -> set[str]:
    """Every user id the room shows a name for: senders, recipients, players, the DM."""
    wanted = {entry.user_id for entry in entries if entry.user_id}
    for entry in entries:
        data = entry.event_data
        if isinstance(data, dict) and isinstance(data.get("recipients"), list):
            wanted.update(r for r in data["recipients"] if isinstance(r, str) and r)
    if interaction is not None:
        wanted.update(interaction.connected_participants)
        wanted.update(e.user_id for e in interaction.initiative_order if e.user_id)
        wanted.add(interaction.dm_user_id)
    return wanted
