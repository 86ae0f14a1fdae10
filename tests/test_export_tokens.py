"""The token formats' one-pass cutting gives exactly the cuts of the plain definition, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations.formats.segments import _pieces_by_set, pieces, tokens
from newsdesk.annotations import text as textrules

PARTS = st.sampled_from(list("ab c.\n,日本語'’") + ["👨‍👩‍👧", "🇯🇵", "👍🏽", "e\u0301", " \u0301", "مرحبا", "U.S.", "1,000",
                                                 "  ", "\t", "\u00a0", "\r\n", "\u2028",
                                                 "\u0600", "\u200d", "\ufe0f", "\x1c", "a.m.", "don't", "ก\u0e33"])


@settings(max_examples=200, deadline=None)
@given(st.lists(PARTS, min_size=1, max_size=30).map("".join), st.lists(st.integers(-2, 80), max_size=6))
def test_one_pass_pieces_equal_the_cuts_by_definition(text, cuts):
    expected = _pieces_by_set(text, textrules.tokens(text), [c for c in cuts if 0 < c < len(text)])
    assert pieces(text, cuts) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(PARTS, min_size=1, max_size=30).map("".join))
def test_word_by_word_tokens_equal_the_tokens_of_the_whole_text(text):
    assert tokens(text) == textrules.tokens(text)
    assert tokens(text) == textrules.tokens(text)  # and again, from the memo
