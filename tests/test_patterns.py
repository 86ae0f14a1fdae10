"""A patterns file turns into suggestions: whole words, whole graphemes, and one clear line for a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations import patterns as patterns_module
from newsdesk.annotations.model import Article, Span
from newsdesk.annotations.patterns import PatternError, matches_in, parse_pattern, read_patterns, run_patterns
from newsdesk.annotations.store import Store
from newsdesk.annotations.text import is_boundary

TEXT = (
    "Prime Minister Keir Starmer met Japanese officials in Tokyo. Rare earths and RARE EARTHS were "
    "discussed; Japan’s minister said rare-earths supply matters. Keir  Starmer left."
)


def found(obj: dict, text: str = TEXT) -> list[str]:
    return [text[s:e] for _, s, e in matches_in([parse_pattern(obj, "test")], text)]


def write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "patterns.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def test_a_phrase_matches_exactly_and_across_any_whitespace() -> None:
    assert found({"label": "people", "pattern": "Keir Starmer"}) == ["Keir Starmer", "Keir  Starmer"]
    assert found({"label": "people", "pattern": "keir starmer"}) == []


def test_a_phrase_matches_whole_words_only() -> None:
    assert found({"label": "places", "pattern": "Japan"}) == ["Japan"]  # not inside "Japanese"; "Japan’s" counts
    assert found({"label": "places", "pattern": "Tok"}) == []


def test_a_token_list_with_lower_ignores_case() -> None:
    assert found({"label": "minerals", "pattern": [{"lower": "rare"}, {"lower": "earths"}]}) == ["Rare earths", "RARE EARTHS"]


def test_token_lists_know_punctuation_tokens() -> None:
    pattern = {"label": "minerals", "pattern": [{"lower": "rare"}, {"orth": "-"}, {"lower": "earths"}]}
    assert found(pattern) == ["rare-earths"]


def test_a_token_regex_is_searched_in_each_token_as_spacy_does() -> None:
    pattern = {"label": "people", "pattern": [{"text": "Keir"}, {"text": {"regex": "^St"}}]}
    assert found(pattern) == ["Keir Starmer", "Keir  Starmer"]
    assert found({"label": "x", "pattern": [{"regex": "^Tok"}]}) == ["Tokyo"]


def test_a_plain_regex_is_matched_on_whole_words() -> None:
    assert found({"label": "people", "regex": r"Minister \w+"}) == ["Minister Keir"]
    assert found({"label": "people", "regex": r"Minister \w"}) == []
    assert found({"label": "x", "regex": "okyo"}) == []


def test_matches_are_grapheme_safe_and_work_without_spaces() -> None:
    decomposed = "cafe\u0301 and cafe here"
    assert found({"label": "x", "pattern": "cafe"}, decomposed) == ["cafe"]
    assert found({"label": "places", "pattern": "東京"}, "彼は東京都に行った。") == ["東京"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é\u0301\u200d👍🏽日本-")), max_size=40))
def test_no_match_ever_cuts_a_word_or_a_grapheme(text: str) -> None:
    for obj in ({"label": "x", "pattern": "a"}, {"label": "x", "regex": "b+"}, {"label": "x", "pattern": [{"lower": "a"}]}):
        for _, start, end in matches_in([parse_pattern(obj, "t")], text):
            assert is_boundary(text, start) and is_boundary(text, end)
            assert not (start > 0 and text[start - 1] in "abé" and text[start] in "abé")
            assert not (end < len(text) and text[end - 1] in "ab" and text[end] in "abé\u0301")


def test_a_broken_line_names_the_file_and_line_and_nothing_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, {"label": "a", "pattern": "x"}, '{"label": "b", "pattern": ', {"label": "c", "pattern": "y"})
    with pytest.raises(PatternError, match=r"patterns\.jsonl, line 2: not JSON"):
        read_patterns(path)


def test_an_invalid_regex_says_which_and_why(tmp_path: Path) -> None:
    path = write(tmp_path, {"label": "a", "pattern": "x"}, {"label": "b", "regex": "Prime (Minister"})
    with pytest.raises(PatternError) as error:
        read_patterns(path)
    assert "line 2" in str(error.value) and "'Prime (Minister'" in str(error.value) and "missing )" in str(error.value)


@pytest.mark.parametrize(
    "obj, says",
    [
        ({"pattern": "x"}, '"label" must be a topic name'),
        ({"label": "a"}, 'exactly one of "pattern" or "regex"'),
        ({"label": "a", "pattern": [{"pos": "NOUN"}]}, "'pos' is not supported"),
        ({"label": "a", "pattern": [{"lower": "a", "text": "a"}]}, "one attribute"),
        ({"label": "a", "pattern": []}, "empty"),
        ({"label": "a", "regex": "x*"}, "matches empty text"),
        ({"label": "a", "pattern": 5}, "a phrase or a list of tokens"),
    ],
)
def test_bad_patterns_are_one_clear_line(obj: dict, says: str) -> None:
    with pytest.raises(PatternError, match=None) as error:
        parse_pattern(obj, "p.jsonl, line 1")
    assert says in str(error.value) and "\n" not in str(error.value)


def test_a_run_skips_what_is_tagged_suggested_or_rejected_and_names_new_topics(tmp_path: Path) -> None:
    article = Article(id="a1", title="t", text=TEXT)
    patterns = [parse_pattern({"label": "people", "pattern": "Keir Starmer"}, "p:1"),
                parse_pattern({"label": "brand new", "pattern": "Tokyo"}, "p:2")]
    with Store(tmp_path / "db.json") as store:
        store.add_span(Span("s", "a1", 15, 27, TEXT[15:27], ("people",)))
        run = run_patterns(patterns, [article], store)
        assert run.new_topics == ["brand new"]
        assert [(s.text, s.topics, s.origin) for s in run.suggestions] == [
            ("Keir  Starmer", ("people",), "p:1"), ("Tokyo", ("brand new",), "p:2")]
        assert run.already == 1 and run.matches == 3
        store.add_suggestions(run.suggestions[:1])
        store.write_batch(put=[run.suggestions[1].rejected("me")])
        again = run_patterns(patterns, [article], store)
        assert again.suggestions == [] and again.already == 3


def test_a_huge_run_asks_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(patterns_module, "CONFIRM_ABOVE", 1)
    with Store(tmp_path / "db.json") as store:
        run = run_patterns([parse_pattern({"label": "people", "pattern": "Keir"}, "p:1")], [Article("a", "t", TEXT)], store)
    assert run.needs_confirmation
