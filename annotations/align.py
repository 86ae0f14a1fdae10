"""Linked sentences: which sentences of one article have counterparts in another.

Two reports of the same event are compared sentence by sentence. Every sentence becomes a
TF-IDF vector (both articles' sentences together are the documents for IDF) over lightly
normalised words plus word pairs at a lower weight, and two sentences are linked by the cosine
of their vectors. A sentence whose best counterpart scores below the threshold is "only in"
its report: that is what a reader comparing coverage looks for first.

Pure Python and pure functions: `align` touches no global state, so the app can run it in a
worker thread. It never builds an n x m matrix: the sentences of each side are put in an
inverted index (term -> sentences) and only pairs sharing a term are scored, each exactly. A
term so common in both articles that it would pair thousands of sentences (the story's topic
words) still counts in every score but proposes no pairs on its own: two sentences sharing
nothing rarer are not counterparts. Each sentence keeps its best `TOP_K` counterparts a side.

    align(text_a, text_b) -> Alignment          everything, best k per sentence per side
    AlignmentIndex(text_a, text_b).counterparts_for("a", i)   one sentence, on demand
"""

from __future__ import annotations

import heapq
import math
import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Literal, Sequence

from newsdesk.annotations.text import sentences

__all__ = [
    "Sentence",
    "Link",
    "Alignment",
    "AlignmentIndex",
    "align",
    "format_report",
    "terms",
    "DEFAULT_THRESHOLD",
    "TOP_K",
    "METHOD",
]

Side = Literal["a", "b"]
Range = tuple[int, int]
Vector = dict[str, float]

#: Calibrated on the bundled seeds (two reports of the UK-Japan summit in Tokyo): sentences
#: telling the same fact score 0.13-0.30 across the two reports, while those only one report
#: has ("stronger now than it has been in decades", the Beijing visit) reach 0.11 at most, on
#: the names, places and occasion every sentence of both reports shares.
DEFAULT_THRESHOLD = 0.12
#: A term pairing more sentences than this (its sentences in A times its sentences in B) only
#: adds to scores and proposes no candidates: it keeps two 1 MB articles from costing n x m.
PROPOSING_PAIRS = 64 * 64
#: Counterparts kept per sentence per side (the reader marks three; `=` jumps to the first).
TOP_K = 5
#: The share of the score that comes from shared word pairs ("critical mineral", "supply chain",
#: "prime minister"); the rest comes from shared words.
BIGRAM_WEIGHT = 0.3
METHOD = (
    f"tfidf-cosine: {1 - BIGRAM_WEIGHT:.1f} x words + {BIGRAM_WEIGHT:.1f} x word pairs, stemmed,"
    " sentence IDF over both articles"
)


# -- the model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: its position in reading order and its code-point range."""

    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"index": self.index, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Link:
    """Sentence `a_index` of article A and sentence `b_index` of article B, with their cosine."""

    a_index: int
    b_index: int
    score: float

    def index_on(self, side: Side) -> int:
        """The sentence index this link has on `side`."""
        return self.a_index if side == "a" else self.b_index

    def other(self, side: Side) -> int:
        """The index on the side opposite `side`: where `=` jumps to."""
        return self.b_index if side == "a" else self.a_index


def _by_score(link: Link) -> tuple[float, int, int]:
    return (-link.score, link.a_index, link.b_index)


@dataclass(frozen=True)
class Alignment:
    """The links between two articles' sentences; immutable, so safe to share across threads.

    `links` holds, for every sentence of either side, its best `TOP_K` counterparts at or above
    `threshold`, best first (ties by position). Sentences without any word that counts (all
    stopwords, punctuation) have no counterparts and are never reported as "only in".
    """

    sentences_a: tuple[Sentence, ...]
    sentences_b: tuple[Sentence, ...]
    links: tuple[Link, ...]
    threshold: float
    method: str = METHOD
    #: indexes of sentences that carry at least one term (so can be compared at all)
    comparable_a: frozenset[int] = frozenset()
    comparable_b: frozenset[int] = frozenset()
    _by_a: dict[int, tuple[Link, ...]] = field(init=False, repr=False, compare=False)
    _by_b: dict[int, tuple[Link, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "links", tuple(sorted(self.links, key=_by_score)))
        by_a: dict[int, list[Link]] = {}
        by_b: dict[int, list[Link]] = {}
        for link in self.links:  # best first, so each list is too
            by_a.setdefault(link.a_index, []).append(link)
            by_b.setdefault(link.b_index, []).append(link)
        object.__setattr__(self, "_by_a", {i: tuple(v) for i, v in by_a.items()})
        object.__setattr__(self, "_by_b", {i: tuple(v) for i, v in by_b.items()})

    def sentences(self, side: Side) -> tuple[Sentence, ...]:
        """The sentences of `side` in reading order."""
        return self.sentences_a if _side(side) == "a" else self.sentences_b

    def counterparts(self, side: Side, index: int, k: int = 3) -> list[Link]:
        """The best `k` links of sentence `index` on `side`, best first, all >= threshold."""
        table = self._by_a if _side(side) == "a" else self._by_b
        return list(table.get(index, ())[: max(k, 0)])

    def best(self, side: Side, index: int) -> Link | None:
        """The single best counterpart of sentence `index` on `side`, or None."""
        found = self.counterparts(side, index, 1)
        return found[0] if found else None

    def only_in(self, side: Side) -> list[Sentence]:
        """Sentences of `side` with no counterpart at or above the threshold, in reading order."""
        side = _side(side)
        table = self._by_a if side == "a" else self._by_b
        comparable = self.comparable_a if side == "a" else self.comparable_b
        return [s for s in self.sentences(side) if s.index in comparable and s.index not in table]

    def pairs(self) -> list[Link]:
        """One-to-one aligned pairs for the compare report, in the reading order of A.

        Greedy by score: the best remaining link whose two sentences are both still free is
        taken. A sentence that resembles one already paired is in neither `pairs()` nor
        `only_in()`; its links are still in `counterparts`.
        """
        used_a: set[int] = set()
        used_b: set[int] = set()
        chosen: list[Link] = []
        for link in self.links:
            if link.a_index not in used_a and link.b_index not in used_b:
                used_a.add(link.a_index)
                used_b.add(link.b_index)
                chosen.append(link)
        chosen.sort(key=lambda link: (link.a_index, link.b_index))
        return chosen

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: pairs with both sentences and the score, the only-in lists, the method."""
        pairs = self.pairs()
        return {
            "method": self.method,
            "threshold": self.threshold,
            "sentences_a": len(self.sentences_a),
            "sentences_b": len(self.sentences_b),
            "pairs": [
                {
                    "score": round(link.score, 4),
                    "a": self.sentences_a[link.a_index].to_dict(),
                    "b": self.sentences_b[link.b_index].to_dict(),
                }
                for link in pairs
            ],
            "only_in_a": [s.to_dict() for s in self.only_in("a")],
            "only_in_b": [s.to_dict() for s in self.only_in("b")],
        }


def _side(side: str) -> Side:
    if side not in ("a", "b"):
        raise ValueError(f"side must be 'a' or 'b', not {side!r}")
    return side  # type: ignore[return-value]


# -- words -> terms -----------------------------------------------------------------------

# A word is a run of letters/digits, apostrophes inside it kept ("don't", "Starmer's").
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Scripts written without spaces between words: compared by character bigrams.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0e7f]+")

# Function words, and the adverbs and quantifiers news prose leans on ("further", "beyond",
# "including"): a list in the spirit of the common English ones, minus their content words.
# Not "us" and "won": in news they are mostly the US and a won vote.
_STOPWORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along alongside already
    also although always am amid amidst among amongst an and another any anyone anything are
    aren around as at away back be became because become becomes becoming been before being
    below beside besides between beyond both but by can cannot could couldn did didn do does
    doesn doing don done dont down due during each either else elsewhere enough especially etc
    even ever every everyone everything except few for from further furthermore had hadn has
    hasn have haven having he hence her here hers herself him himself his how however i if in
    including indeed instead into is isn it its itself just least less let many may me meanwhile
    might more moreover most mostly mr mrs ms much must my myself neither never nevertheless no
    none nor not nothing now of off often on once only onto or other others otherwise our ours
    ourselves out over own particularly per perhaps quite rather really said same say says
    several she should since so some such than that the their theirs them themselves then there
    thereby therefore these they this those though through throughout thus to together too
    toward towards under unless until up upon very via was wasn we well were weren what
    whatever when whenever where whereas whether which while who whom whose why will with
    within without would wouldn yet you your yours yourself yourselves
    """.split()
)


# Verbs of reporting say that someone spoke, not what about: two reports share them by habit.
_REPORTING = """
    according add added adding announce announced describe described describes describing echo
    echoed emphasise emphasised emphasising emphasize emphasized highlight highlighted
    highlighting note noted noting remark remarked report reported reportedly reporting stress
    stressed stressing tell told underline underlined underlining underscore underscored
    underscoring
    """.split()


def _undouble(stem: str) -> str:
    # "planned" -> "plann" -> "plan", but "called" -> "call", "passed" -> "pass"
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz" and stem[-1] not in "aeiou":
        return stem[:-1]
    return stem


def _stem_once(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes", "zes")) and len(word) > 4:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    if word.endswith("eed") and len(word) > 4:
        word = word[:-1]
    elif word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ed") and len(word) > 4:
        word = _undouble(word[:-2])
    elif word.endswith("ing") and len(word) > 5:
        word = _undouble(word[:-3])
    elif word.endswith("ily") and len(word) > 5:
        word = word[:-3] + "y"
    elif word.endswith("ly") and len(word) > 5 and word[-3] != "p":  # not "supply", "apply"
        word = word[:-2]
    return word


@lru_cache(maxsize=1 << 16)  # lru_cache is thread-safe; news vocabularies repeat a lot
def _stem(word: str) -> str:
    """A crude English suffix stripper: minerals -> mineral, strengthening -> strengthen."""
    if len(word) <= 3 or not word.isalpha() or not word.isascii():
        return word
    stem = _stem_once(_stem_once(word))  # twice: "reportedly" -> "reported" -> "report"
    if stem.endswith("e") and len(stem) > 3:  # "increase"/"increased" meet at "increas"
        stem = stem[:-1]
    return stem


_STOP_STEMS = frozenset(_stem(w) for w in _REPORTING)


def _words(text: str) -> list[str]:
    """Content words of `text`, normalised; unspaced scripts as character bigrams."""
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if "'" in word or "’" in word:
            word = word.replace("’", "'")
            word = (word[:-2] if word.endswith("'s") else word).replace("'", "")
        if word.isascii():
            words: Iterable[str] = (word,)
        else:
            for run in _UNSPACED.findall(word):
                out.extend(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
            words = [piece for piece in _UNSPACED.split(word) if piece]
        for w in words:
            if w in _STOPWORDS or (len(w) == 1 and not w.isdigit()):
                continue
            stem = _stem(w)
            if stem not in _STOP_STEMS:
                out.append(stem)
    return out


def terms(text: str) -> tuple[dict[str, float], dict[str, float]]:
    """The raw term counts of one sentence: its words, and its word pairs.

    Word pairs join neighbouring content words (stopwords skipped), so "supply of critical
    minerals" and "critical minerals supply chains" share "critical mineral".
    """
    words = _words(text)
    unigrams: dict[str, float] = {}
    for w in words:
        unigrams[w] = unigrams.get(w, 0.0) + 1.0
    bigrams: dict[str, float] = {}
    for first, second in zip(words, words[1:]):
        pair = first + " " + second
        bigrams[pair] = bigrams.get(pair, 0.0) + 1.0
    return unigrams, bigrams


# -- the index ------------------------------------------------------------------------------


def _make_sentences(text: str, ranges: Iterable[Range] | None) -> tuple[Sentence, ...]:
    if ranges is None:
        ranges = sentences(text)  # the reader's own rule, so cursor and links agree
    out = []
    for i, (start, end) in enumerate(ranges):
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"sentence {i} range {start}..{end} is outside a text of {len(text)} characters")
        out.append(Sentence(i, start, end, text[start:end]))
    return tuple(out)


@dataclass(frozen=True)
class _Side:
    """One article's sentences as unit vectors, with an inverted index over their proposing terms.

    `common[i]` is the part of sentence i's vector on the common (non-proposing) terms, and
    `common_norms[i]` its length: what bounds and then completes a candidate's score.
    """

    vectors: list[Vector]
    postings: dict[str, list[tuple[int, float]]]  # proposing terms only
    common: list[Vector]
    common_norms: list[float]


def _unit(counts: dict[str, float], idf: dict[str, float], scale: float) -> Vector:
    vec = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: scale * w / norm for t, w in vec.items()} if norm else {}


def _weigh(raw: list[tuple[dict[str, float], dict[str, float]]], idf: dict[str, float]) -> list[Vector]:
    """Unit vectors whose dot product is (1 - b) * word cosine + b * word-pair cosine.

    Words and word pairs are normalised apart and joined scaled by sqrt(1 - b) and sqrt(b): in
    one vector the rare pairs would mostly lengthen it, and so lower every score, rather than
    reward the sentences that share them.
    """
    vectors = []
    for unigrams, bigrams in raw:
        if bigrams:
            vec = _unit(unigrams, idf, math.sqrt(1.0 - BIGRAM_WEIGHT))
            vec.update(_unit(bigrams, idf, math.sqrt(BIGRAM_WEIGHT)))
        else:  # a one-word sentence: all its weight on the word, so it is still a unit vector
            vec = _unit(unigrams, idf, 1.0)
        vectors.append(vec)
    return vectors


def _index(vectors: list[Vector], common_terms: frozenset[str]) -> _Side:
    postings: dict[str, list[tuple[int, float]]] = {}
    common: list[Vector] = []
    for i, vec in enumerate(vectors):
        part: Vector = {}
        for term, weight in vec.items():
            if term in common_terms:
                part[term] = weight
            else:
                postings.setdefault(term, []).append((i, weight))
        common.append(part)
    norms = [math.sqrt(sum(w * w for w in part.values())) for part in common]
    return _Side(vectors, postings, common, norms)


def _document_frequencies(raw: list[tuple[dict[str, float], dict[str, float]]]) -> dict[str, int]:
    df: dict[str, int] = {}
    for unigrams, bigrams in raw:
        for t in (*unigrams, *bigrams):
            df[t] = df.get(t, 0) + 1
    return df


class AlignmentIndex:
    """Two articles ready to compare: vectors and inverted indexes for both sides.

    Built once (tokenising, weighing and indexing both texts: about 40% of a full alignment), then
    `counterparts_for` answers one sentence in milliseconds and `alignment()` answers all of
    them. Nothing is mutated after construction, so any thread may query it.
    """

    def __init__(
        self,
        text_a: str,
        text_b: str,
        *,
        sentences_a: Sequence[Range] | None = None,
        sentences_b: Sequence[Range] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        self.sentences_a = _make_sentences(text_a, sentences_a)
        self.sentences_b = _make_sentences(text_b, sentences_b)
        raw_a = [terms(s.text) for s in self.sentences_a]
        raw_b = [terms(s.text) for s in self.sentences_b]
        df_a, df_b = _document_frequencies(raw_a), _document_frequencies(raw_b)
        n = len(raw_a) + len(raw_b)
        # smoothed, as in most TF-IDF: a term in every sentence still weighs 1, not 0
        idf = {t: math.log((n + 1) / (df_a.get(t, 0) + df_b.get(t, 0) + 1)) + 1.0 for t in df_a.keys() | df_b.keys()}
        common = frozenset(t for t, d in df_a.items() if d * df_b.get(t, 0) > PROPOSING_PAIRS)
        self._a = _index(_weigh(raw_a, idf), common)
        self._b = _index(_weigh(raw_b, idf), common)

    def _scores(self, i: int, mine: _Side, other: _Side) -> list[tuple[float, int]]:
        """Sentences of `other` whose cosine with sentence `i` of `mine` reaches the threshold.

        Candidates are the sentences sharing a proposing term with it. A term so common in both
        articles that it would pair more than `PROPOSING_PAIRS` sentences (a topic word,
        "minister" in a long political story) only completes scores: it proposes no pairs.
        Texts of up to 64 sentences a side are therefore compared exhaustively.
        """
        acc: dict[int, float] = {}
        get = acc.get
        postings = other.postings
        for term, weight in mine.vectors[i].items():
            found = postings.get(term)
            if found:
                for j, w in found:
                    acc[j] = get(j, 0.0) + weight * w
        floor = self.threshold
        ours = mine.common[i]
        if not ours:
            return [(min(partial, 1.0), j) for j, partial in acc.items() if partial >= floor]
        # Cauchy-Schwarz: the common terms add at most the product of the two common parts' norms
        reach, norms, theirs = mine.common_norms[i], other.common_norms, other.common
        scored = []
        for j, partial in acc.items():
            if partial + reach * norms[j] >= floor:
                part = theirs[j]
                if len(part) < len(ours):
                    partial += sum(w * ours.get(t, 0.0) for t, w in part.items())
                else:
                    partial += sum(w * part.get(t, 0.0) for t, w in ours.items())
                if partial >= floor:
                    scored.append((min(partial, 1.0), j))
        return scored

    def counterparts_for(self, side: Side, index: int, k: int = 3) -> list[Link]:
        """The best `k` counterparts of one sentence, computed now: for the cursor, lazily."""
        side = _side(side)
        mine, other = (self._a, self._b) if side == "a" else (self._b, self._a)
        if not 0 <= index < len(mine.vectors):
            raise IndexError(f"no sentence {index} on side {side}")
        best = heapq.nsmallest(k, self._scores(index, mine, other), key=lambda sj: (-sj[0], sj[1]))
        if side == "a":
            return [Link(index, j, score) for score, j in best]
        return [Link(j, index, score) for score, j in best]

    def alignment(self, k: int = TOP_K) -> Alignment:
        """Every sentence's best `k` counterparts on both sides, as one immutable `Alignment`."""
        per_b: dict[int, list[tuple[float, int]]] = {}
        kept: set[tuple[int, int]] = set()
        links: list[Link] = []
        for i, vec in enumerate(self._a.vectors):
            if not vec:
                continue
            found = self._scores(i, self._a, self._b)
            for score, j in found:
                heap = per_b.setdefault(j, [])
                # keep the k best a-sentences for b; ties favour the earlier sentence
                item = (score, -i)
                if len(heap) < k:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
            for score, j in heapq.nsmallest(k, found, key=lambda sj: (-sj[0], sj[1])):
                kept.add((i, j))
                links.append(Link(i, j, score))
        for j, heap in per_b.items():
            for score, neg_i in heap:
                if (-neg_i, j) not in kept:
                    links.append(Link(-neg_i, j, score))
        return Alignment(
            sentences_a=self.sentences_a,
            sentences_b=self.sentences_b,
            links=tuple(links),
            threshold=self.threshold,
            comparable_a=frozenset(i for i, v in enumerate(self._a.vectors) if v),
            comparable_b=frozenset(j for j, v in enumerate(self._b.vectors) if v),
        )


def align(
    text_a: str,
    text_b: str,
    *,
    sentences_a: Sequence[Range] | None = None,
    sentences_b: Sequence[Range] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    k: int = TOP_K,
) -> Alignment:
    """Link the sentences of two articles by lexical similarity (TF-IDF cosine).

    `sentences_a`/`sentences_b` are (start, end) ranges into the texts, as the reader already
    has them; left out, `annotations.text.sentences` cuts them. Pure and thread-safe.
    """
    index = AlignmentIndex(text_a, text_b, sentences_a=sentences_a, sentences_b=sentences_b, threshold=threshold)
    return index.alignment(k)


# -- the compare report -----------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_report(alignment: Alignment, text_a: str, text_b: str, *, title_a: str, title_b: str, width: int = 100) -> str:
    """The `newsdesk compare` text: aligned pairs with scores, then what only A and only B say.

    `text_a`/`text_b` are the articles the alignment was made from; a sentence that no longer
    matches its text raises ValueError (an alignment formatted against the wrong article).
    """
    for label, text, sentences in (("A", text_a, alignment.sentences_a), ("B", text_b, alignment.sentences_b)):
        for s in sentences:
            if text[s.start : s.end] != s.text:
                raise ValueError(f"sentence {label}{s.index} does not match the text of article {label}: align it again")

    def wrap(text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(_one_line(text), width=width, initial_indent=first, subsequent_indent=rest) or [first.rstrip()]

    pairs = alignment.pairs()
    only_a, only_b = alignment.only_in("a"), alignment.only_in("b")
    lines = [
        f"A: {_one_line(title_a)} ({len(alignment.sentences_a)} sentences)",
        f"B: {_one_line(title_b)} ({len(alignment.sentences_b)} sentences)",
        f"Method: {alignment.method}; threshold {alignment.threshold:.2f}",
        "",
        f"Aligned pairs ({len(pairs)}), in the order of A:",
    ]
    for link in pairs:
        a, b = alignment.sentences_a[link.a_index], alignment.sentences_b[link.b_index]
        lines.append(f"  {link.score:.2f}  A{a.index} ~ B{b.index}")
        lines += wrap(a.text, "        A: ", "           ")
        lines += wrap(b.text, "        B: ", "           ")
    for label, only in (("A", only_a), ("B", only_b)):
        lines += ["", f"Only in {label} ({len(only)}):"]
        for s in only:
            lines += wrap(s.text, f"  {label}{s.index}: ", " " * (len(f"  {label}{s.index}: ")))
        if not only:
            lines.append("  (none)")
    paired_a = {link.a_index for link in pairs}
    paired_b = {link.b_index for link in pairs}
    echo_a = sum(1 for s in alignment.sentences_a if s.index not in paired_a and alignment.best("a", s.index))
    echo_b = sum(1 for s in alignment.sentences_b if s.index not in paired_b and alignment.best("b", s.index))
    if echo_a or echo_b:
        lines += ["", f"Also echoed (resemble a sentence already paired): {echo_a} in A, {echo_b} in B."]
    return "\n".join(lines) + "\n"
