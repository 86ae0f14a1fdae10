"""Side by side: which sentences of one report have counterparts in the other, and which don't.

The seeds are two reports of the UK-Japan summit in Tokyo: 000 (with a title and standfirst)
and 003 (ANI, with a dateline). The facts asserted here were checked by eye.
"""

from __future__ import annotations

import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations.align import (
    DEFAULT_THRESHOLD,
    Alignment,
    AlignmentIndex,
    Link,
    Sentence,
    align,
    format_report,
    terms,
)
from newsdesk.annotations.corpus import read_article, seeds_dir
from newsdesk.annotations.text import sentences


@pytest.fixture(scope="module")
def reports() -> tuple[str, str]:
    first, second = (read_article(seeds_dir() / name) for name in ("000_30f8a73632b9a83e.txt", "003_0356732c498918b7.txt"))
    return first.text, second.text


@pytest.fixture(scope="module")
def summit(reports: tuple[str, str]) -> Alignment:
    return align(*reports)


def _find(alignment: Alignment, side: str, words: str) -> Sentence:
    found = [s for s in alignment.sentences(side) if words in s.text]
    assert len(found) == 1, f"expected one sentence of {side} with {words!r}, found {len(found)}"
    return found[0]


def _best_text(alignment: Alignment, side: str, sentence: Sentence) -> str | None:
    link = alignment.best(side, sentence.index)
    if link is None:
        return None
    other = "b" if side == "a" else "a"
    return alignment.sentences(other)[link.other(side)].text


# -- the seeds ---------------------------------------------------------------------------------


def test_the_decades_quote_is_only_in_the_first_report(summit: Alignment) -> None:
    decades = _find(summit, "a", "stronger now than it has been in decades")
    assert summit.counterparts("a", decades.index) == []
    assert summit.best("a", decades.index) is None
    assert decades in summit.only_in("a")
    assert all(decades.index != link.a_index for link in summit.pairs())


def test_the_critical_minerals_sentences_of_both_reports_pair_with_each_other(summit: Alignment) -> None:
    for side in ("a", "b"):
        minerals = [s for s in summit.sentences(side) if "critical minerals" in s.text]
        assert len(minerals) == 2
        for sentence in minerals:
            assert "critical minerals" in (_best_text(summit, side, sentence) or "")
    paired = {
        (summit.sentences_a[link.a_index].text, summit.sentences_b[link.b_index].text) for link in summit.pairs()
    }
    assert sum("critical minerals" in a and "critical minerals" in b for a, b in paired) == 2


def test_starmers_invitation_pairs_with_the_meeting_of_the_two_prime_ministers(summit: Alignment) -> None:
    invitation = _find(summit, "a", "formally invite Japanese Prime Minister Sanae Takaichi")
    meeting = _find(summit, "b", "high-level meeting between British Prime Minister Keir Starmer")
    best = summit.best("a", invitation.index)
    assert best == summit.best("b", meeting.index)
    assert (best.a_index, best.b_index) == (invitation.index, meeting.index)
    assert best == summit.links[0]  # the strongest link between the two reports
    assert best in summit.pairs()


def test_economic_resilience_and_trade_pair_across_the_reports(summit: Alignment) -> None:
    resilience = _find(summit, "a", "multilateral trade initiatives")
    assert "economic resilience" in (_best_text(summit, "a", resilience) or "")
    assert "trade cooperation" in (_best_text(summit, "a", resilience) or "")


def test_what_only_one_report_says_is_found_in_that_report_only(summit: Alignment) -> None:
    only_a = [s.text for s in summit.only_in("a")]
    only_b = [s.text for s in summit.only_in("b")]
    for words in ("visit to Beijing", "stronger now than it has been in decades", "like-minded partners"):
        assert any(words in text for text in only_a), words
    for words in ("Middle East and Ukraine", "next-generation fighter aircraft", "two-plus-two meeting"):
        assert any(words in text for text in only_b), words
    for words in ("critical minerals", "Sanae Takaichi to visit"):
        assert not any(words in text for text in only_a), words


def test_every_sentence_is_paired_echoed_or_only_in_its_report(summit: Alignment) -> None:
    pairs = summit.pairs()
    assert len({link.a_index for link in pairs}) == len(pairs) == len({link.b_index for link in pairs})
    for side in ("a", "b"):
        paired = {link.index_on(side) for link in pairs}
        only = {s.index for s in summit.only_in(side)}
        assert not paired & only
        for s in summit.sentences(side):
            assert (s.index in only) == (summit.best(side, s.index) is None) or not terms(s.text)[0]


# -- the cursor's view ----------------------------------------------------------------------------


def test_counterparts_come_best_first_and_equals_jumps_to_the_first(summit: Alignment) -> None:
    for side in ("a", "b"):
        for s in summit.sentences(side):
            found = summit.counterparts(side, s.index, k=5)
            assert [link.score for link in found] == sorted((link.score for link in found), reverse=True)
            assert all(link.score >= summit.threshold for link in found)
            assert all(link.index_on(side) == s.index for link in found)
            assert summit.best(side, s.index) == (found[0] if found else None)
            assert summit.counterparts(side, s.index, k=1) == found[:1]


def test_counterparts_for_one_sentence_match_the_whole_alignment(reports: tuple[str, str]) -> None:
    index = AlignmentIndex(*reports)
    alignment = index.alignment()
    for side in ("a", "b"):
        for s in alignment.sentences(side):
            assert index.counterparts_for(side, s.index, k=3) == alignment.counterparts(side, s.index, k=3)
    with pytest.raises(IndexError):
        index.counterparts_for("a", len(alignment.sentences_a))
    with pytest.raises(ValueError):
        alignment.counterparts("c", 0)  # type: ignore[arg-type]


def test_scores_are_the_same_whichever_report_comes_first(reports: tuple[str, str]) -> None:
    forward = align(*reports)
    backward = align(reports[1], reports[0])
    there = {(link.a_index, link.b_index): link.score for link in forward.links}
    back = {(link.b_index, link.a_index): link.score for link in backward.links}
    assert there.keys() == back.keys()
    for key, score in there.items():
        assert back[key] == pytest.approx(score, abs=1e-12)
    assert [s.text for s in forward.only_in("a")] == [s.text for s in backward.only_in("b")]


def test_a_lower_threshold_links_more_and_leaves_fewer_alone(reports: tuple[str, str]) -> None:
    strict, loose = align(*reports, threshold=0.3), align(*reports, threshold=0.05)
    assert len(loose.links) > len(strict.links)
    assert len(loose.only_in("a")) < len(strict.only_in("a"))
    with pytest.raises(ValueError):
        align(*reports, threshold=0.0)


# -- words ------------------------------------------------------------------------------------


def test_plurals_possessives_and_participles_meet_their_stems() -> None:
    words, pairs = terms("Japan's critical minerals and supply chains; strengthening ties, agreed")
    other_words, other_pairs = terms("Japan’s critical mineral and supply chain; strengthen a tie, agree")
    assert words.keys() == other_words.keys()
    assert {"critical mineral", "supply chain"} <= pairs.keys() & other_pairs.keys()
    assert not {"the", "and", "s", "said"} & words.keys()


def test_japanese_sentences_align_by_character_pairs() -> None:
    text_a = "日本と英国は重要鉱物の供給網で協力する。東京で首脳会談が開かれた。"
    text_b = "英国と日本は重要鉱物の供給網で協力すると発表した。天気は晴れだった。"
    alignment = align(text_a, text_b)
    assert len(alignment.sentences_a) == len(alignment.sentences_b) == 2
    minerals = alignment.best("a", 0)
    assert minerals is not None and minerals.b_index == 0 and minerals.score > 0.3
    assert alignment.best("a", 1) is None


# -- edges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text_a", "text_b"),
    [("", ""), ("One sentence here.", ""), ("", "One sentence here."), ("— … !", "?"), ("   \n\n  ", "Hello.")],
)
def test_empty_texts_and_single_sentences_do_not_crash(text_a: str, text_b: str) -> None:
    alignment = align(text_a, text_b)
    assert alignment.links == ()
    assert alignment.pairs() == []
    json.dumps(alignment.to_dict())
    assert "Only in A" in format_report(alignment, text_a, text_b, title_a="a", title_b="b")


def test_identical_texts_align_every_sentence_to_itself(reports: tuple[str, str]) -> None:
    text = reports[0]
    alignment = align(text, text)
    assert alignment.only_in("a") == alignment.only_in("b") == []
    for s in alignment.sentences_a:
        best = alignment.best("a", s.index)
        assert best is not None and best.b_index == s.index and best.score == pytest.approx(1.0)
    assert [(link.a_index, link.b_index) for link in alignment.pairs()] == [(i, i) for i in range(len(alignment.sentences_a))]
    assert align("Hello world.", "Hello world.").links == (Link(0, 0, pytest.approx(1.0)),)


def test_sentence_ranges_can_be_passed_in(reports: tuple[str, str]) -> None:
    text_a, text_b = reports
    ranges_a = sentences(text_a)[:3]
    alignment = align(text_a, text_b, sentences_a=ranges_a, sentences_b=[(0, len(text_b))])
    assert [(s.start, s.end) for s in alignment.sentences_a] == ranges_a
    assert alignment.sentences_b[0].text == text_b
    with pytest.raises(ValueError, match="outside"):
        align(text_a, text_b, sentences_a=[(0, len(text_a) + 1)])


def test_echoes_are_found_even_when_every_word_is_common() -> None:
    # 600 sentences a side over 80 words: each word is in ~100 sentences of each article, far
    # past the proposing limit, so only the rarer word pairs can propose the echoes.
    rng = random.Random(3)
    vocabulary = [f"w{n}x" for n in range(80)]

    def sentence() -> str:
        return " ".join(rng.sample(vocabulary, 12)).capitalize() + "."

    text_a = [sentence() for _ in range(600)]
    echoes = {i: rng.randrange(600) for i in range(0, 600, 10)}
    text_b = [text_a[echoes[i]] if i in echoes else sentence() for i in range(600)]
    alignment = align(" ".join(text_a), " ".join(text_b))
    assert len(alignment.sentences_a) == len(alignment.sentences_b) == 600
    for b_index, a_index in echoes.items():
        best = alignment.best("b", b_index)
        assert best is not None and best.a_index == a_index and best.score == pytest.approx(1.0)


def test_align_runs_in_worker_threads_with_the_same_result(reports: tuple[str, str]) -> None:
    expected = align(*reports)
    barrier = threading.Barrier(4)

    def work(_: int) -> Alignment:
        barrier.wait()
        return align(*reports)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(4)))
    assert all(result.links == expected.links for result in results)


# -- the compare report -------------------------------------------------------------------------


def test_the_compare_report_lists_pairs_then_what_each_report_alone_says(reports: tuple[str, str], summit: Alignment) -> None:
    report = format_report(summit, *reports, title_a="Starmer invites Takaichi", title_b="ANI")
    assert report.index("Aligned pairs (") < report.index("Only in A (") < report.index("Only in B (")
    assert "A: Starmer invites Takaichi" in report
    best = summit.links[0]
    assert f"{best.score:.2f}  A{best.a_index} ~ B{best.b_index}" in report
    only_a = report[report.index("Only in A") : report.index("Only in B")]
    assert "decades" in only_a and "critical minerals" not in only_a


def test_the_json_report_carries_indexes_offsets_texts_and_scores(reports: tuple[str, str], summit: Alignment) -> None:
    data = json.loads(json.dumps(summit.to_dict()))
    assert data["threshold"] == DEFAULT_THRESHOLD and data["method"].startswith("tfidf-cosine")
    assert len(data["pairs"]) == len(summit.pairs())
    for pair in data["pairs"]:
        for side, text in (("a", reports[0]), ("b", reports[1])):
            sentence = pair[side]
            assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert DEFAULT_THRESHOLD <= pair["score"] <= 1
    assert [s["index"] for s in data["only_in_a"]] == [s.index for s in summit.only_in("a")]
    assert any("decades" in s["text"] for s in data["only_in_a"])
    assert data["only_in_b"] and data["sentences_a"] == len(summit.sentences_a)


def test_the_report_refuses_an_alignment_made_from_other_texts(reports: tuple[str, str], summit: Alignment) -> None:
    with pytest.raises(ValueError, match="align it again"):
        format_report(summit, reports[1], reports[0], title_a="a", title_b="b")


# -- any text ---------------------------------------------------------------------------------------

_WORDS = ["minister", "ministers", "supply", "chains", "chain", "Tokyo", "the", "of", "visit", "visited", "東京", "café", "2024", "x"]
_sentence = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=8).map(lambda ws: " ".join(ws) + ".")
_text = st.one_of(st.lists(_sentence, max_size=8).map(" ".join), st.text(max_size=200))


@settings(max_examples=150, deadline=None)
@given(text_a=_text, text_b=_text, threshold=st.floats(0.01, 1.0))
def test_any_texts_give_valid_links_and_sorted_counterparts(text_a: str, text_b: str, threshold: float) -> None:
    alignment = align(text_a, text_b, threshold=threshold)
    n_a, n_b = len(alignment.sentences_a), len(alignment.sentences_b)
    scores = [link.score for link in alignment.links]
    assert scores == sorted(scores, reverse=True)
    for link in alignment.links:
        assert 0 <= link.a_index < n_a and 0 <= link.b_index < n_b
        assert threshold <= link.score <= 1.0
    for side, n in (("a", n_a), ("b", n_b)):
        for i in range(n):
            found = alignment.counterparts(side, i, k=5)
            assert [link.score for link in found] == sorted((link.score for link in found), reverse=True)
        assert all(alignment.best(side, s.index) is None for s in alignment.only_in(side))
    pairs = alignment.pairs()
    assert len({link.a_index for link in pairs}) == len(pairs) == len({link.b_index for link in pairs})
    json.dumps(alignment.to_dict())
    format_report(alignment, text_a, text_b, title_a="a", title_b="b")
