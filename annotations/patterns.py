"""Patterns: Prodigy-style `patterns.jsonl` files turned into suggested spans over the library.

One JSON object a line, each with a `label` (the topic) and one of:

* `"pattern": "rare earths"` -- an exact phrase (case as written; any run of whitespace in the
  text matches a space in the phrase);
* `"pattern": [{"lower": "rare"}, {"lower": "earths"}]` -- a token list, one attribute per token:
  `lower` (the token, case ignored), `text` or `orth` (exactly), `regex` (Python regex searched
  in the token's text, as spaCy's REGEX does; also written `{"text": {"regex": ...}}`), or `{}`
  for any token;
* `"regex": "Prime Minister \\w+"` -- a regular expression over the text.

Matches are whole words (a match never starts or ends inside a word; in scripts written without
spaces, such as Chinese or Japanese, any character boundary will do) and grapheme-safe (never
inside a user-perceived character). Reading a file checks every line first: a broken line or an
invalid regex raises `PatternError` naming the file and line, and nothing is used.

Speed: each article is case-folded once and a pattern only runs on articles holding its rarest
literal word (a plain substring test in C); token lists tokenise an article at most once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

import regex

from .model import Article, Span, Topic, clean_label, counted, new_span_id, now_iso
from .suggestions import Suggestion, fresh_suggestions
from .text import is_boundary

__all__ = [
    "PatternError",
    "Pattern",
    "read_patterns",
    "parse_pattern",
    "matches_in",
    "Matcher",
    "PatternRun",
    "run_patterns",
    "CONFIRM_ABOVE",
    "whole_words_at",
]

# A run that would store more suggestions than this asks before storing them.
CONFIRM_ABOVE = 100_000


class PatternError(ValueError):
    """A patterns file that cannot be used; `str()` is one line: file, line and what is wrong."""


# Scripts written without spaces between words: any character boundary is a word boundary there.
_NO_SPACE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_TOKENS = regex.compile(
    r"(?:\p{L}\.){2,}(?![\p{L}\p{N}])"  # U.S., e.g.
    r"|[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}]\p{M}*"
    r"|(?<=[\p{L}\p{N}])['’]\p{L}+"  # 's, n't: split off as spaCy does
    r"|[\p{L}\p{N}\p{M}_]+(?:[.,]\p{N}+)*"
    r"|\S\p{M}*",
)
# The words of a case-folded text, for the pre-filter: a set lookup per pattern and article.
_FOLDED_WORDS = re.compile(r"\w+")


def _wordish(char: str) -> bool:
    return (char.isalnum() or char == "_" or unicodedata.category(char)[0] == "M") and not _NO_SPACE.match(char)


def _inside_word(text: str, i: int) -> bool:
    """Whether offset i falls between two letters of one word (of a script that spaces its words)."""
    return 0 < i < len(text) and _wordish(text[i - 1]) and _wordish(text[i])


def whole_words_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a non-empty run of whole words: it cuts no word and no grapheme."""
    return (
        end > start
        and not _inside_word(text, start)
        and not _inside_word(text, end)
        and is_boundary(text, start)
        and is_boundary(text, end)
    )


# --- one pattern -------------------------------------------------------------------------------

_Token = tuple[str, int, int]  # text, start, end
_Predicate = Callable[[str], bool]


@dataclass(frozen=True)
class Pattern:
    """One line of a patterns file, compiled.

    `needles` are case-folded words every match contains: an article without one of them is
    not searched. `origin` says where the pattern came from (`patterns.jsonl:3`).
    """

    label: str
    origin: str
    shown: str
    needles: tuple[str, ...] = ()
    compiled: Any = None  # a compiled regex (phrases, regexes)
    predicates: tuple[_Predicate, ...] = ()  # token lists
    pattern_id: str = ""

    @property
    def is_tokens(self) -> bool:
        return bool(self.predicates)


def _literal(value: object, where: str, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise PatternError(f"{where}: {name!r} must be non-empty text, not {json.dumps(value)}")
    return value


def _compile(source: str, where: str, flags: int = 0) -> Any:
    try:
        return regex.compile(source, flags | regex.V0)
    except (regex.error, re.error, ValueError, OverflowError, RecursionError) as error:
        raise PatternError(f"{where}: invalid regex {source!r}: {error}") from None


def _needle(words: list[str]) -> tuple[str, ...]:
    """The longest case-folded word run of `words`: any article holding a match holds it as a word."""
    runs = [run for word in words for run in _FOLDED_WORDS.findall(word.casefold())]
    return (max(runs, key=len),) if runs else ()


def _literal_tokens(literals: list[tuple[str, bool]]) -> str:
    """A regex matching a run of literal tokens (text, case-insensitive?) as the tokeniser would split them."""
    parts: list[str] = []
    for number, (value, fold) in enumerate(literals):
        if number:
            before = literals[number - 1][0]
            joined = _wordish(before[-1]) and _wordish(value[0])
            parts.append(r"\s+" if joined else r"\s*")
        escaped = regex.escape(value)
        parts.append(f"(?i:{escaped})" if fold else escaped)
    return "".join(parts)


def _token_predicate(token: object, where: str) -> tuple[_Predicate, tuple[str, bool] | None]:
    """A test for one token dict, and the literal it requires with whether case is ignored (if any)."""
    if not isinstance(token, dict):
        raise PatternError(f"{where}: each token must be an object such as {{\"lower\": \"word\"}}, not {json.dumps(token)}")
    if not token:
        return (lambda text: True), None
    if len(token) != 1:
        raise PatternError(f"{where}: a token takes one attribute (lower, text, orth or regex), not {len(token)}")
    (raw_name, value), = token.items()
    name = str(raw_name).lower()
    if name in ("lower", "text", "orth") and isinstance(value, dict):
        inner = {str(k).lower(): v for k, v in value.items()}
        if set(inner) != {"regex"}:
            raise PatternError(f"{where}: {raw_name!r} takes text or {{\"regex\": ...}}, not {json.dumps(value)}")
        compiled = _compile(_literal(inner["regex"], where, "regex"), where, regex.IGNORECASE if name == "lower" else 0)
        return (lambda text: compiled.search(text) is not None), None
    if name == "regex":
        compiled = _compile(_literal(value, where, "regex"), where)
        return (lambda text: compiled.search(text) is not None), None
    if name == "lower":
        wanted = _literal(value, where, name).lower()
        return (lambda text: text.lower() == wanted), (wanted, True)
    if name in ("text", "orth"):
        wanted = _literal(value, where, name)
        return (lambda text: text == wanted), (wanted, False)
    raise PatternError(f"{where}: token attribute {raw_name!r} is not supported; use lower, text, orth or regex")


def parse_pattern(obj: object, where: str, origin: str | None = None) -> Pattern:
    """One decoded line of a patterns file as a `Pattern`; `PatternError` (one line, starting `where`) when it is not one."""
    origin = origin or where
    if not isinstance(obj, dict):
        raise PatternError(f"{where}: expected an object with \"label\" and \"pattern\" or \"regex\"")
    label = obj.get("label")
    if not isinstance(label, str) or not clean_label(label):
        raise PatternError(f"{where}: \"label\" must be a topic name, not {json.dumps(label)}")
    label = clean_label(label)
    pattern_id = str(obj.get("id") or "")
    has_pattern, has_regex = "pattern" in obj, "regex" in obj
    if has_pattern == has_regex:
        raise PatternError(f"{where}: give exactly one of \"pattern\" or \"regex\"")
    if has_regex:
        source = _literal(obj["regex"], where, "regex")
        compiled = _compile(source, where)
        if compiled.search("") is not None:
            raise PatternError(f"{where}: the regex {source!r} matches empty text; it would match everywhere")
        return Pattern(label, origin, f"/{source}/", (), compiled, (), pattern_id)
    pattern = obj["pattern"]
    if isinstance(pattern, str):
        phrase = clean_label(pattern)
        if not phrase:
            raise PatternError(f"{where}: the phrase is empty")
        words = phrase.split(" ")
        compiled = _compile(r"\s+".join(regex.escape(word) for word in words), where)
        return Pattern(label, origin, json.dumps(phrase, ensure_ascii=False), _needle(words), compiled, (), pattern_id)
    if isinstance(pattern, list):
        if not pattern:
            raise PatternError(f"{where}: the token list is empty")
        predicates: list[_Predicate] = []
        literals: list[tuple[str, bool] | None] = []
        for number, token in enumerate(pattern, 1):
            test, literal = _token_predicate(token, f"{where} token {number}")
            predicates.append(test)
            literals.append(literal)
        shown = " ".join(json.dumps(t, ensure_ascii=False) for t in pattern)
        needles = _needle([lit[0] for lit in literals if lit is not None])
        if all(lit is not None for lit in literals):
            # Only literal tokens: one regex does it, without tokenising the article.
            compiled = _compile(_literal_tokens([lit for lit in literals if lit is not None]), where)
            return Pattern(label, origin, shown, needles, compiled, (), pattern_id)
        return Pattern(label, origin, shown, needles, None, tuple(predicates), pattern_id)
    raise PatternError(f"{where}: \"pattern\" must be a phrase or a list of tokens, not {json.dumps(pattern)}")


def read_patterns(path: Path | str) -> list[Pattern]:
    """Every pattern of a `patterns.jsonl` file; `PatternError` naming the file and line of the first bad one.

    Blank lines are skipped. Nothing is returned unless every line is good.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PatternError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PatternError(f"{path}: not UTF-8 text (byte {error.start}); save the patterns as UTF-8 JSON lines") from None
    patterns: list[Pattern] = []
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError, ValueError) as error:
            message = getattr(error, "msg", "not JSON")
            raise PatternError(f"{where}: not JSON ({message}); each line must be one JSON object") from None
        patterns.append(parse_pattern(obj, where, f"{path.name}:{number}"))
    if not patterns:
        raise PatternError(f"{path}: holds no patterns; write one JSON object a line, e.g. {{\"label\": \"energy\", \"pattern\": \"solar power\"}}")
    return patterns


# --- matching --------------------------------------------------------------------------------


def _tokenise(text: str) -> list[_Token]:
    return [(m.group(), m.start(), m.end()) for m in _TOKENS.finditer(text)]


def _regex_matches(compiled: Any, text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    search = compiled.search
    while True:
        found = search(text, pos)
        if found is None:
            return
        start, end = found.span()
        if whole_words_at(text, start, end):
            yield start, end
            pos = end
        else:
            pos = start + 1
        if pos > len(text):
            return


def _token_matches(predicates: tuple[_Predicate, ...], tokens: list[_Token], text: str) -> Iterator[tuple[int, int]]:
    n = len(predicates)
    first = predicates[0]
    i, last = 0, len(tokens) - n
    while i <= last:
        if first(tokens[i][0]) and all(predicates[j](tokens[i + j][0]) for j in range(1, n)):
            start, end = tokens[i][1], tokens[i + n - 1][2]
            if whole_words_at(text, start, end):
                yield start, end
                i += n
                continue
        i += 1


class Matcher:
    """Patterns compiled for a run: an index from each pattern's pre-filter word to the patterns needing it.

    Per article the text is case-folded once and split into words once; only the patterns whose
    word is among them (a set intersection, in C) are searched, plus those with no such word
    (regexes, token lists of regexes).
    """

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.patterns = list(patterns)
        self._ascii: dict[str, list[int]] = {}
        self._other: dict[str, list[int]] = {}
        self._always: list[int] = []
        for number, pattern in enumerate(self.patterns):
            if not pattern.needles:
                self._always.append(number)
                continue
            needle = pattern.needles[0]
            (self._ascii if needle.isascii() else self._other).setdefault(needle, []).append(number)
        self._ascii_keys = frozenset(self._ascii)

    def candidates(self, text: str) -> list[int]:
        """The indexes (in file order) of the patterns that may match in `text`."""
        chosen = list(self._always)
        if self._ascii or self._other:
            folded = text.casefold()
            if self._ascii:
                for word in self._ascii_keys.intersection(_FOLDED_WORDS.findall(folded)):
                    chosen.extend(self._ascii[word])
            for needle, numbers in self._other.items():
                if needle in folded:
                    chosen.extend(numbers)
        chosen.sort()
        return chosen

    def matches(self, text: str) -> Iterator[tuple[Pattern, int, int]]:
        """Every whole-word match in `text`, pattern by pattern in file order, as (pattern, start, end)."""
        tokens: list[_Token] | None = None
        for number in self.candidates(text):
            pattern = self.patterns[number]
            if pattern.is_tokens:
                if tokens is None:
                    tokens = _tokenise(text)
                found = _token_matches(pattern.predicates, tokens, text)
            else:
                found = _regex_matches(pattern.compiled, text)
            for start, end in found:
                yield pattern, start, end


def matches_in(patterns: Iterable[Pattern] | Matcher, text: str) -> Iterator[tuple[Pattern, int, int]]:
    """Every whole-word match of every pattern in `text`, pattern by pattern, as (pattern, start, end)."""
    matcher = patterns if isinstance(patterns, Matcher) else Matcher(patterns)
    return matcher.matches(text)


# --- a run over the library ----------------------------------------------------------------


class _Store(Protocol):
    def spans_for(self, article_id: str) -> list[Span]: ...
    def suggestions_for(self, article_id: str) -> list[Suggestion]: ...
    def rejected_keys(self) -> set[str]: ...
    def topics(self) -> list[Topic]: ...


@dataclass
class PatternRun:
    """What running patterns over articles found, before anything is stored."""

    suggestions: list[Suggestion] = field(default_factory=list)
    matches: int = 0
    articles: int = 0
    searched: int = 0
    already: int = 0  # matches already tagged, already suggested or rejected before
    new_topics: list[str] = field(default_factory=list)
    by_pattern: Counter = field(default_factory=Counter)

    @property
    def needs_confirmation(self) -> bool:
        """More suggestions than `CONFIRM_ABOVE`: ask before storing them."""
        return len(self.suggestions) > CONFIRM_ABOVE

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{counted(len(self.suggestions), 'new suggestion')} in {counted(self.articles, 'article')} "
            f"({counted(self.matches, 'match')} over {counted(self.searched, 'article')}, "
            f"{self.already} already tagged, suggested or rejected)"
        ).replace("matchs", "matches")


def run_patterns(
    patterns: list[Pattern],
    articles: Iterable[Article],
    store: _Store,
    *,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PatternRun:
    """Match `patterns` over `articles` and return the new suggestions (nothing is stored here).

    Matches already tagged with the label, already suggested, or rejected before are counted
    in `already` and left out. `progress(done, total)` is told every 200 articles.
    """
    run = PatternRun()
    rejected = store.rejected_keys()
    known = {topic.name for topic in store.topics()}
    run.new_topics = list(dict.fromkeys(p.label for p in patterns if p.label not in known))
    stamp = now_iso()
    matcher = Matcher(patterns)
    for number, article in enumerate(articles, 1):
        run.searched = number
        text = article.text
        candidates: list[Suggestion] = []
        for pattern, start, end in matcher.matches(text):
            span = Span(new_span_id(), article.id, start, end, text[start:end], (pattern.label,), created=stamp, updated=stamp)
            candidates.append(Suggestion(span, "pattern", None, pattern.origin))
            run.by_pattern[pattern.origin] += 1
        if candidates:
            run.matches += len(candidates)
            fresh = fresh_suggestions(
                candidates, spans=store.spans_for(article.id), suggestions=store.suggestions_for(article.id), rejected=rejected
            )
            run.already += len(candidates) - len(fresh)
            if fresh:
                run.articles += 1
                run.suggestions.extend(fresh)
        if progress is not None and (number % 200 == 0):
            progress(number, total or number)
    if progress is not None:
        progress(run.searched, total or run.searched)
    return run
