"""wrap_offsets: the event log's word wrap, which counts and renders must agree on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from widgets.line_wrap import wrap_offsets


def lines(text: str, width: int) -> list[str]:
    return [part.plain.rstrip() for part in Text(text).divide(wrap_offsets(text, width))]


def test_words_move_whole_to_the_next_line() -> None:
    assert lines("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]
    assert wrap_offsets("fits exactly", 12) == []
    assert lines("a  b", 1) == ["a", "b"]


def test_a_word_longer_than_a_line_is_folded_from_where_the_line_is() -> None:
    assert lines("ab " + "x" * 12, 5) == ["ab xx", "xxxxx", "xxxxx"]
    assert lines("x" * 12, 5) == ["xxxxx", "xxxxx", "xx"]


def test_wide_characters_count_two_cells() -> None:
    assert lines("日本語 日本語", 6) == ["日本語", "日本語"]
    assert lines("日本語日本語", 4) == ["日本", "語日", "本語"]
    assert lines("🔒 private → Ana", 10) == ["🔒 private", "→ Ana"]


WORDS = st.lists(
    st.sampled_from(["a", "bb", "hello", "wörld", "日本", "🔒", "x" * 30, " ", "  ", "-"]),
    min_size=1,
    max_size=40,
)


@given(words=WORDS, width=st.integers(min_value=1, max_value=60))
def test_every_line_fits_and_nothing_is_lost(words: list[str], width: int) -> None:
    text = " ".join(words)
    offsets = wrap_offsets(text, width)
    assert offsets == sorted(set(offsets))
    assert all(0 < offset < len(text) for offset in offsets)
    parts = Text(text).divide(offsets)
    assert "".join(part.plain for part in parts) == text
    for part in parts:
        shown = part.plain.rstrip()
        # Only a single character wider than the whole line may overflow it.
        assert cell_len(shown) <= width or len(shown) == 1
        assert shown or part is parts[0]  # no blank continuation lines
