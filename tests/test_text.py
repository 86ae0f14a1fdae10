"""Stories about text: what an article file becomes, and where the cursor, words and sentences fall."""

from __future__ import annotations

import codecs

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.annotations import icu
from newsdesk.annotations.text import (
    WINDOW,
    decode,
    is_boundary,
    next_grapheme,
    next_word,
    paragraph_at,
    paragraphs,
    prev_grapheme,
    prev_word,
    sanitise,
    sentence_at,
    sentences,
    snap_end,
    snap_span,
    snap_start,
    tokens,
    word_at,
)

FLAG_JP = "\U0001F1EF\U0001F1F5"
FLAG_GB = "\U0001F1EC\U0001F1E7"
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
THUMB_DARK = "\U0001F44D\U0001F3FF"
E_ACUTE = "e\u0301"
HANGUL_JAMO = "\u1100\u1161\u11a8"  # one syllable written as three jamo

_X = regex.compile(r"\X", regex.DOTALL)


def true_boundaries(text: str) -> list[int]:
    """Every grapheme boundary, computed over the whole string (the reference)."""
    return [0] + [match.end() for match in _X.finditer(text)]


def texts_of(ranges: list[tuple[int, int]], text: str) -> list[str]:
    return [text[start:end] for start, end in ranges]


# --- sentences: the alignment engineer's first need ------------------------------------------


def test_sentences_split_after_full_stops_question_and_exclamation_marks() -> None:
    text = "Talks ended. Did they agree? Yes! The end."
    assert texts_of(sentences(text), text) == ["Talks ended.", "Did they agree?", "Yes!", "The end."]


def test_sentences_keep_abbreviations_initials_and_decimals_together() -> None:
    text = (
        "Mr. Smith met Dr. J. Smith at St. Paul's on Jan. 5 in the U.K. and the U.S. with 3.5 per cent. "
        "Fruit, e.g. apples, i.e. food, etc. were served. No. 10 said so. He said no. Then he left."
    )
    assert texts_of(sentences(text), text) == [
        "Mr. Smith met Dr. J. Smith at St. Paul's on Jan. 5 in the U.K. and the U.S. with 3.5 per cent.",
        "Fruit, e.g. apples, i.e. food, etc. were served.",
        "No. 10 said so.",
        "He said no.",
        "Then he left.",
    ]


def test_a_sentence_ends_after_its_closing_quote_or_bracket() -> None:
    text = 'He said "We agree." Then (briefly.) She left. “Done?” they asked.'
    assert texts_of(sentences(text), text) == [
        'He said "We agree."',
        "Then (briefly.)",
        "She left.",
        "“Done?” they asked.",
    ]


def test_a_newline_always_ends_a_sentence_and_blank_lines_give_nothing() -> None:
    text = "  A headline without a stop\n\nFirst line. Second\n   \nthird line  \n"
    assert texts_of(sentences(text), text) == ["A headline without a stop", "First line.", "Second", "third line"]


def test_cjk_sentences_end_at_ideographic_full_stops_without_spaces() -> None:
    text = "日本と英国は合意した。首相は「協力を深める」と述べた！本当か？"
    assert texts_of(sentences(text), text) == ["日本と英国は合意した。", "首相は「協力を深める」と述べた！", "本当か？"]


def test_sentences_of_the_seed_article_start_with_the_dateline_sentence() -> None:
    from newsdesk.annotations.corpus import read_article, seeds_dir

    article = read_article(seeds_dir() / "003_0356732c498918b7.txt")
    found = texts_of(sentences(article.text), article.text)
    assert found[0].startswith("date 2026-02-01 Tokyo [Japan], February 1 (ANI): Japan and the United Kingdom")
    assert found[0].endswith("reported The Japan Times.")
    assert found[-1] == "(ANI)"
    assert all(not piece.startswith(" ") and not piece.endswith(" ") for piece in found)


def test_sentence_at_finds_the_sentence_holding_an_offset_or_the_nearest() -> None:
    text = "One two. Three four.\n\n\nFive six."
    assert text[slice(*sentence_at(text, 3))] == "One two."
    assert text[slice(*sentence_at(text, 8))] in ("One two.", "Three four.")
    assert text[slice(*sentence_at(text, 12))] == "Three four."
    assert text[slice(*sentence_at(text, 21))] == "Three four."
    assert text[slice(*sentence_at(text, 23))] == "Five six."
    assert sentence_at("", 0) == (0, 0)
    assert sentence_at("   \n ", 2) == (2, 2)


def test_sentence_at_agrees_with_sentences_on_a_long_single_line() -> None:
    text = "Alpha beta gamma. Mr. Delta said so! " * 2000
    every = sentences(text)
    for i in range(0, len(text), 997):
        assert sentence_at(text, i) in every


def test_paragraphs_are_non_blank_lines_trimmed() -> None:
    text = "\n  First para.  \n\n\t\nSecond para.\nThird"
    assert texts_of(paragraphs(text), text) == ["First para.", "Second para.", "Third"]
    assert text[slice(*paragraph_at(text, 5))] == "First para."
    assert text[slice(*paragraph_at(text, 18))] in ("First para.", "Second para.")
    assert paragraph_at("", 0) == (0, 0)


# --- decoding and sanitising -----------------------------------------------------------------


def test_decode_reads_utf8_with_and_without_bom() -> None:
    assert decode("café 日本".encode()) == "café 日本"
    assert decode(codecs.BOM_UTF8 + "café".encode()) == "café"


def test_decode_reads_utf16_and_utf32_with_bom() -> None:
    text = "Tokyo 東京 🇯🇵"
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == text
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == text
    assert decode(codecs.BOM_UTF32_LE + text.encode("utf-32-le")) == text
    assert decode(codecs.BOM_UTF32_BE + text.encode("utf-32-be")) == text


def test_decode_recognises_utf16_without_a_bom() -> None:
    assert decode("Plain words here.".encode("utf-16-le")) == "Plain words here."
    assert decode("Plain words here.".encode("utf-16-be")) == "Plain words here."


def test_decode_falls_back_to_cp1252_then_latin1() -> None:
    assert decode("café – naïve “quoted” €5".encode("cp1252")) == "café – naïve “quoted” €5"
    assert decode(b"caf\xe9 \x81\x8d") == "café \x81\x8d"  # undefined in cp1252: Latin-1
    assert sanitise(decode(b"caf\xe9 \x81\x8d")) == "café "


def test_sanitise_normalises_newlines() -> None:
    assert sanitise("a\r\nb\rc\n\rd") == "a\nb\nc\n\nd"


def test_sanitise_removes_escape_sequences_and_controls_but_keeps_the_words() -> None:
    dirty = (
        "clear\x1b[2Jscreen "
        "title\x1b]0;pwned\x07set "
        "clip\x1b]52;c;cHduZWQ=\x07board "
        "link\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\done "
        "red\x9b31mtext\x9b0m "
        "osc8bit\x9d0;x\x9cend "
        "dcs\x1bPq#0;2;0;0;0\x1b\\gone "
        "nul\x00bell\x07del\x7fc1\x85 "
        "reset\x1bcok charset\x1b(Bok tab\tkept"
    )
    assert sanitise(dirty) == (
        "clearscreen titleset clipboard linkheredone redtext osc8bitend dcsgone "
        "nulbelldelc1 resetok charsetok tab\tkept"
    )


def test_sanitise_keeps_every_other_character_exactly() -> None:
    text = (
        "日本語 العربية עברית 한국어 " + FLAG_JP + FAMILY + THUMB_DARK + E_ACUTE + HANGUL_JAMO
        + " zero\u200bwidth \u200d [Japan] [bold]x[/] [@click=app.quit]q[/] [link='file:///etc/passwd']\n\tend"
    )
    assert sanitise(text) == text


def test_an_unterminated_osc_string_stops_at_the_end_of_its_line() -> None:
    assert sanitise("a\x1b]0;title\nnext line") == "a\nnext line"


def test_sanitise_replaces_lone_surrogates_so_text_can_be_stored() -> None:
    assert sanitise("a\ud800b") == "a\ufffdb"
    sanitise("a\ud800b").encode("utf-8")


_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DIRTY = st.text(
    alphabet=st.sampled_from(
        list("ab [];0123\\?P^_X]\x1b\x07\x9b\x9c\x9d\x90\x00\x7f\x85\r\n\t") + ["日", "🇯", "\u0301", "\ud800"]
    ),
    max_size=60,
)


@given(_DIRTY)
def test_sanitised_text_has_no_controls_and_sanitising_twice_changes_nothing(text: str) -> None:
    clean = sanitise(text)
    assert _CONTROL.search(clean) is None
    assert "\r" not in clean
    assert sanitise(clean) == clean


# --- graphemes -------------------------------------------------------------------------------


def test_the_cursor_never_lands_inside_a_flag_a_family_or_an_accent() -> None:
    text = "a" + FLAG_JP + FLAG_GB + FAMILY + THUMB_DARK + E_ACUTE + HANGUL_JAMO + "z"
    assert true_boundaries(text) == [0, 1, 3, 5, 10, 12, 14, 17, 18]
    walked = [0]
    while walked[-1] < len(text):
        walked.append(next_grapheme(text, walked[-1]))
    assert walked == true_boundaries(text)
    back = [len(text)]
    while back[-1] > 0:
        back.append(prev_grapheme(text, back[-1]))
    assert back == list(reversed(walked))
    assert snap_start(text, 2) == 1 and snap_end(text, 2) == 3
    assert snap_span(text, 7, 4) == (3, 10)
    assert not is_boundary(text, 4) and is_boundary(text, 5)


def test_flags_pair_from_the_start_of_their_run_even_far_from_it() -> None:
    text = "x" + FLAG_JP * (3 * WINDOW) + "y"
    for i in (2, WINDOW + 1, WINDOW + 2, 5 * WINDOW + 1, 5 * WINDOW + 2):
        assert snap_start(text, i) == (i if i % 2 == 1 else i - 1)
        assert is_boundary(text, i) == (i % 2 == 1)


def test_offsets_outside_the_text_are_clamped() -> None:
    text = "ab"
    assert snap_start(text, -5) == 0 and snap_end(text, 99) == 2
    assert next_grapheme(text, 2) == 2 and prev_grapheme(text, 0) == 0
    assert next_grapheme("", 0) == 0 and is_boundary("", 0)


def test_a_stray_carriage_return_before_a_newline_stays_one_cluster() -> None:
    text = "a\r\nb"
    assert not is_boundary(text, 2)
    assert next_grapheme(text, 1) == 3


_POOL = st.sampled_from(
    ["a", "b", "Z", " ", "\n", ".", "'", "1", E_ACUTE, "\u0301", "\u200d", "\U0001F3FF", "\U0001F1EF",
     "\U0001F1F5", FLAG_GB, FAMILY, THUMB_DARK, "日", "本", "。", "\u1100", "\u1161", "\u11a8", "한",
     "\u0915\u094d\u0937", "ا", "\r", "\t", "\u0600"]
)
_TEXTS = st.lists(_POOL, max_size=40).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, st.data())
def test_snapping_lands_on_the_nearest_true_boundaries(text: str, data: st.DataObject) -> None:
    bounds = true_boundaries(text)
    i = data.draw(st.integers(0, len(text)))
    below = max(b for b in bounds if b <= i)
    above = min(b for b in bounds if b >= i)
    assert snap_start(text, i) == below
    assert snap_end(text, i) == above
    assert is_boundary(text, i) == (i in bounds)
    assert snap_span(text, i, i) == (below, above)


@settings(max_examples=300)
@given(_TEXTS)
def test_stepping_walks_exactly_the_true_boundaries(text: str) -> None:
    bounds = true_boundaries(text)
    for k, b in enumerate(bounds[:-1]):
        assert next_grapheme(text, b) == bounds[k + 1]
        assert prev_grapheme(text, bounds[k + 1]) == b
    for i in range(len(text) + 1):
        assert next_grapheme(text, i) == min([b for b in bounds if b > i], default=len(text))
        assert prev_grapheme(text, i) == max([b for b in bounds if b < i], default=0)


def _check_ranges(text: str, ranges: list[tuple[int, int]]) -> None:
    bounds = set(true_boundaries(text))
    previous = 0
    for start, end in ranges:
        assert previous <= start < end <= len(text)
        assert start in bounds and end in bounds
        first = text[start:snap_end(text, start + 1)]
        last = text[snap_start(text, end - 1):end]
        assert not first.isspace() and not last.isspace()
        previous = end


@settings(max_examples=300)
@given(_TEXTS)
def test_sentences_paragraphs_and_tokens_are_ordered_trimmed_ranges_on_boundaries(text: str) -> None:
    _check_ranges(text, sentences(text))
    _check_ranges(text, paragraphs(text))
    _check_ranges(text, tokens(text))
    assert all("\n" not in text[s:e] for s, e in sentences(text) + paragraphs(text))


@settings(max_examples=200)
@given(_TEXTS, st.data())
def test_word_motions_move_on_boundaries_in_the_right_direction(text: str, data: st.DataObject) -> None:
    bounds = set(true_boundaries(text))
    i = data.draw(st.integers(0, len(text)))
    forward, backward = next_word(text, i), prev_word(text, i)
    assert forward in bounds and backward in bounds
    assert forward == len(text) or forward > i
    assert backward == 0 or backward < i
    start, end = word_at(text, i)
    assert start in bounds and end in bounds and start <= end


# --- words and tokens ------------------------------------------------------------------------

# ICU's dictionary makes 日本語 one word; without ICU (Python 3.10) each ideograph is one.
DICTIONARY_WORD = ["日本語"] if icu.available() else ["日", "本", "語"]


def test_tokens_keep_contractions_numbers_and_abbreviations_whole() -> None:
    text = "Don't pay 1,000 yen (3.5%) in the U.S. — Japan’s 🇯🇵 日本語!"
    assert texts_of(tokens(text), text) == [
        "Don't", "pay", "1,000", "yen", "(", "3.5", "%", ")", "in", "the", "U.S.", "—",
        "Japan’s", FLAG_JP, *DICTIONARY_WORD, "!",
    ]


def test_word_motions_step_like_vim_over_words_and_dictionary_words() -> None:
    text = "Mr. Starmer's visit, 日本語 é" + "\u0301"
    starts = []
    i = 0
    while (i := next_word(text, i)) < len(text):
        starts.append(text[slice(*word_at(text, i))])
    assert starts == ["Starmer's", "visit", *DICTIONARY_WORD, "é\u0301"]
    assert next_word(text, 0) == 4
    assert prev_word(text, 4) == 0
    assert prev_word(text, 6) == 4
    assert text[slice(*word_at(text, 7))] == "Starmer's"
    assert text[slice(*word_at(text, 3))] == " "  # not in a word: the cluster there


def test_the_local_functions_cost_the_same_on_a_megabyte(benchmark_free: None = None) -> None:
    # Not a timed assert: checks that a huge text gives the same answers as a small one.
    small = "Tokyo talks 🇯🇵 e\u0301 end. "
    big = small * 40_000
    for i in range(len(small)):
        j = i + len(small) * 20_000
        assert snap_start(big, j) - len(small) * 20_000 == snap_start(small, i)
        assert next_word(big, j) - len(small) * 20_000 == next_word(small + small, i)
