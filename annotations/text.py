"""Text rules shared by reading, the reader and the exporters.

Decoding and sanitising article files; grapheme clusters (UAX #29 via `regex`'s ``\\X``) so that no
offset ever falls inside a flag, a ZWJ emoji or a letter with its combining accent; words,
sentences and paragraphs as (start, end) code-point ranges, end exclusive.

CONTRACT (implemented by the text/corpus work):

    decode(data: bytes) -> str                 # BOM-aware UTF-8/UTF-16, Latin-1/cp1252 fallback
    sanitise(text: str) -> str                 # CRLF/CR -> LF; drop NUL, C0/C1 except \\n \\t,
                                               # CSI/OSC/DCS escape sequences
    is_boundary(text, i) -> bool               # i is a grapheme boundary (0 and len(text) are)
    snap_start(text, i) -> int                 # largest boundary <= i
    snap_end(text, i) -> int                   # smallest boundary >= i
    snap_span(text, start, end) -> tuple[int, int]   # (snap_start(start), snap_end(end)), start<=end
    next_grapheme(text, i) -> int              # boundary after i (len(text) at the end)
    prev_grapheme(text, i) -> int              # boundary before i (0 at the start)
    next_word(text, i) -> int                  # start of the next word after i (vim `w`)
    prev_word(text, i) -> int                  # start of the word before i (vim `b`)
    word_at(text, i) -> tuple[int, int]
    sentences(text) -> list[tuple[int, int]]   # trimmed of surrounding whitespace, in order
    paragraphs(text) -> list[tuple[int, int]]  # non-blank lines/blocks, trimmed
    sentence_at(text, i) -> tuple[int, int]    # the sentence containing (or nearest to) i
    paragraph_at(text, i) -> tuple[int, int]
    tokens(text) -> list[tuple[int, int]]      # word and punctuation tokens (for CoNLL/Prodigy)

All must be fast on a 1 MB text: the local functions (snap, next/prev) look only at a window
around i, never at the whole text.

Decisions taken here (the contract left them open):

* Offsets outside ``0..len(text)`` are clamped, never an error.
* Grapheme functions restart ``\\X`` at the nearest *safe point* at or before i: a position
  after a newline or control, or between a character of break class Other and one that cannot
  extend a cluster (UAX #29 rules GB4, GB5, GB999 decide those pairs on their own). The
  search looks back at most `WINDOW` code points; only a run longer than that with no safe
  point at all (a wall of flags or of stacked accents, not prose) can be split approximately.
* A *word* is a run of grapheme clusters that start with a letter, digit, mark or ``_``, with
  ``'``/``’`` allowed between letters ("don't", "Japan’s") and ``.``/``,`` between digits
  ("1,000", "3.5"). Each Han ideograph, kana or bopomofo character is a word on its own: there
  is no dictionary segmentation (Thai and other unspaced scripts give one word per run). Punctuation is skipped by `next_word` /
  `prev_word` (unlike vim, which stops on punctuation runs too).
* Tokens are the words above, dotted abbreviations ("U.S.", "e.g.") and every other
  non-space grapheme cluster (punctuation, emoji) on its own.
* Paragraphs are non-blank lines: a newline always ends a paragraph and a sentence.
"""

from __future__ import annotations

import codecs
from bisect import bisect_right
from typing import Iterator

import regex

__all__ = [
    "decode",
    "bom_encoding",
    "utf16_without_bom",
    "sanitise",
    "is_boundary",
    "snap_start",
    "snap_end",
    "snap_span",
    "next_grapheme",
    "prev_grapheme",
    "next_word",
    "prev_word",
    "word_at",
    "sentences",
    "paragraphs",
    "sentence_at",
    "paragraph_at",
    "tokens",
    "WINDOW",
]

#: How far back (in code points) the local functions look for a place to restart ``\X``.
WINDOW = 2048

# ---------------------------------------------------------------------------------------------
# Decoding


def _latin1_for_undefined(error: UnicodeError) -> tuple[str, int]:
    # cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined; Latin-1 maps them to C1 controls, which
    # `sanitise` then removes. Everything else in cp1252 is defined, so this never fails.
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("newsdesk-latin1", _latin1_for_undefined)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of `data`, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding.startswith("utf-32") and not _valid_utf32(data[len(bom) :], encoding):
                continue  # FF FE 00 00 is also a UTF-16 LE BOM followed by a NUL
            return encoding
    return None


def _valid_utf32(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `data` looks like mostly-ASCII UTF-16 with no BOM.

    Recognised by NULs in (nearly) every other byte: such a file would otherwise look binary.
    """
    sample = data[:8192]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) >= 0.9 * half and even.count(0) <= 0.1 * half:
        encoding = "utf-16-le"
    elif even.count(0) >= 0.9 * half and odd.count(0) <= 0.1 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


def decode(data: bytes) -> str:
    """Bytes of an article file as text.

    A BOM decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE; the BOM is dropped); UTF-16 without a BOM
    is recognised by its NUL bytes; then UTF-8 if the bytes are valid UTF-8, else cp1252
    with Latin-1 for the five bytes cp1252 leaves undefined (so this last step never fails).
    Raises `UnicodeDecodeError` only when a UTF-16/UTF-32 BOM promises text the bytes are not.
    A UTF-8 BOM with invalid bytes after it keeps its text, bad bytes becoming U+FFFD.
    """
    encoding = bom_encoding(data)
    if encoding == "utf-8":
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if encoding is not None:
        bom_length = 4 if encoding.startswith("utf-32") else 2
        return data[bom_length:].decode(encoding)
    encoding = utf16_without_bom(data)  # before UTF-8: ASCII in UTF-16 is valid UTF-8 too
    if encoding is not None:
        return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252", errors="newsdesk-latin1")


# ---------------------------------------------------------------------------------------------
# Sanitising

# Escape sequences, 7-bit (ESC ...) and 8-bit (C1) forms. Strings (OSC, DCS, SOS, PM, APC) run to
# BEL or ST; an unterminated one stops at the next ESC/C1 or newline, so a stray ESC ] cannot eat
# the rest of an article.
_STRING_END = r"(?:\x07|\x1b\\|\x9c)"
_ESCAPES = (
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x80-\x9f\n]*" + _STRING_END + "?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"  # other ESC sequences: ESC c, ESC ( B, ESC 7 ...
)
_CONTROLS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_SURROGATES = r"[\ud800-\udfff]"
_UNSAFE = regex.compile(_ESCAPES + "|" + _CONTROLS + "|" + _SURROGATES)
_HAS_UNSAFE = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _drop(match: regex.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def sanitise(text: str) -> str:
    """Text safe to show in a terminal and to store, with one newline convention.

    CRLF and lone CR become LF. Removed entirely: NUL and every C0 control except LF and TAB,
    DEL, the C1 controls U+0080-U+009F, and terminal escape sequences (CSI, OSC, DCS, SOS, PM,
    APC strings and two-byte ESC sequences, 7-bit or 8-bit). A lone surrogate (only possible in
    a `str` that did not come from `decode`) becomes U+FFFD so the text can be encoded. Every
    other character is kept exactly. Idempotent.
    """
    if _HAS_UNSAFE.search(text) is None:
        return text
    text = _UNSAFE.sub(_drop, text.replace("\r\n", "\n").replace("\r", "\n"))
    # Removing a control can bring a CR next to an LF only if a CR survived, and none does.
    return text


# ---------------------------------------------------------------------------------------------
# Grapheme clusters

_GRAPHEME = regex.compile(r"\X", regex.DOTALL)

# A pair of adjacent characters with a cluster boundary between them whatever comes before:
# after a control or LF (GB4), before one (GB5), or a break-class-Other character followed by one
# that cannot extend a cluster (GB999; Other is never Prepend, ZWJ, RI or Hangul). CR LF excluded.
_CTRL = r"\p{GCB=Control}\p{GCB=CR}\p{GCB=LF}"
_SAFE_PAIR = regex.compile(
    r"(?r)(?!\r\n)(?:[" + _CTRL + r"].|.[" + _CTRL + r"])"
    r"|\p{GCB=Other}[^\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]",
    regex.DOTALL,
)


def _clamp(text: str, i: int) -> int:
    return 0 if i < 0 else len(text) if i > len(text) else i


_RI = regex.compile(r"\p{RI}")
_NOT_RI_BACK = regex.compile(r"(?r)\P{RI}", regex.DOTALL)
_OTHER = regex.compile(r"\p{GCB=Other}")
_EXTENDING = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]")
_EXTENDING_RUN = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]+")
_LEFT_SAFE: dict[str, bool] = {}  # memo: does a boundary always follow this character?
_RIGHT_SAFE: dict[str, bool] = {}  # memo: can this character never extend a cluster?


def _left_safe(char: str) -> bool:
    safe = _LEFT_SAFE.get(char)
    if safe is None:
        safe = _LEFT_SAFE[char] = char != "\r" and _OTHER.match(char) is not None
    return safe


def _right_safe(char: str) -> bool:
    safe = _RIGHT_SAFE.get(char)
    if safe is None:
        safe = _RIGHT_SAFE[char] = _EXTENDING.match(char) is None
    return safe


def _restart(text: str, i: int) -> int:
    """A position <= i (0 <= i < len(text)) where a cluster certainly starts, at most WINDOW back."""
    if i == 0:
        return 0
    a, b = text[i - 1], text[i]
    if a == "\n" or (_left_safe(a) and _right_safe(b)):
        return i  # the common case, decided without a search
    lo = max(0, i - WINDOW)
    match = _SAFE_PAIR.search(text, lo, i + 1)
    if match:
        return match.start() + 1
    if _RI.match(text, lo):
        # A wall of flags: pairs count from the start of the run, which a C-speed search finds.
        before = _NOT_RI_BACK.search(text, 0, lo)
        run_start = before.end() if before else 0
        return lo + (lo - run_start) % 2
    return lo  # a wall of stacked marks: approximate, see the module docstring


def _flag_at(text: str, i: int) -> tuple[int, int]:
    """The cluster holding the regional indicator text[i]: indicators pair from their run's start."""
    before = _NOT_RI_BACK.search(text, 0, i)
    run_start = before.end() if before else 0
    start = i - (i - run_start) % 2
    if start == run_start and start > 0 and _restart(text, start) != start:
        return _cluster_from(text, _restart(text, start), i)  # a Prepend or similar before the run
    end = start + 2 if _RI.match(text, start + 1) else start + 1
    extend = _EXTENDING_RUN.match(text, end)
    return start, extend.end() if extend else end


def _cluster(text: str, i: int) -> tuple[int, int]:
    """(start, end) of the grapheme cluster holding text[i], 0 <= i < len(text)."""
    if _RI.match(text, i):
        return _flag_at(text, i)
    return _cluster_from(text, _restart(text, i), i)


def _cluster_from(text: str, pos: int, i: int) -> tuple[int, int]:
    # \X is run on a slice: given a position inside a run of regional indicators, `regex` looks
    # back over the whole run to count them, which would cost O(run) per call.
    reach = 64
    while True:
        hi = min(len(text), i + reach)
        for match in _GRAPHEME.finditer(text[pos:hi]):
            end = pos + match.end()
            if end > i:
                if end < hi or hi == len(text) or reach >= WINDOW:
                    return pos + match.start(), end
                break
        reach *= 8


def is_boundary(text: str, i: int) -> bool:
    """Whether offset i is a grapheme-cluster boundary (0 and len(text) always are)."""
    i = _clamp(text, i)
    if i == 0 or i == len(text):
        return True
    return _cluster(text, i)[0] == i


def snap_start(text: str, i: int) -> int:
    """The largest grapheme boundary <= i."""
    i = _clamp(text, i)
    return i if i == len(text) else _cluster(text, i)[0]


def snap_end(text: str, i: int) -> int:
    """The smallest grapheme boundary >= i."""
    i = _clamp(text, i)
    if i == len(text):
        return i
    start, end = _cluster(text, i)
    return i if start == i else end


def snap_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A range widened to grapheme boundaries; start and end are swapped if reversed."""
    if end < start:
        start, end = end, start
    return snap_start(text, start), snap_end(text, end)


def next_grapheme(text: str, i: int) -> int:
    """The first grapheme boundary after i (len(text) at the end)."""
    i = _clamp(text, i)
    return i if i == len(text) else _cluster(text, i)[1]


def prev_grapheme(text: str, i: int) -> int:
    """The last grapheme boundary before i (0 at the start)."""
    i = _clamp(text, i)
    return 0 if i == 0 else _cluster(text, i - 1)[0]


# ---------------------------------------------------------------------------------------------
# Words and tokens

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}"
_ALNUM = r"(?:(?=[\p{L}\p{N}\p{M}_])(?![" + _CJK + r"])\X)"
_DIGIT = r"(?:(?=\p{Nd})\X)"
# A CJK character with any marks that cluster onto it; \X already does that.
_CJK_WORD = r"(?:(?=[" + _CJK + r"])\X)"
_EXTENDS = r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]"
_LATIN_WORD = (
    _ALNUM + r"+(?:(?:(?<=\p{L}\p{M}*)['’](?=\p{L})|(?<=\p{Nd})[.,](?=\p{Nd}))" + _ALNUM + r"+)*"
)
# Scanners that always step a whole cluster at a time, so a match never starts inside one (a
# Prepend character such as U+0600 glues onto the letter after it).
_WORD_SCAN = regex.compile(r"(?P<w>" + _CJK_WORD + "|" + _LATIN_WORD + r")|\X", regex.DOTALL)
_TOKEN_SCAN = regex.compile(
    r"(?P<t>(?<![\p{L}\p{N}])(?:\p{L}\.){2,}(?![\p{L}\p{N}]|" + _EXTENDS + r")"  # U.S. e.g. a.m.
    r"|" + _CJK_WORD + "|" + _LATIN_WORD + r")|\X",
    regex.DOTALL,
)
_WORDISH = regex.compile(r"[\p{L}\p{N}\p{M}_]")
_WORDISH_BACK = regex.compile(r"(?r)[\p{L}\p{N}\p{M}_]")
_SPACE_BACK = regex.compile(r"(?r)\s")


def _words(text: str, pos: int, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The words starting at or after the cluster boundary `pos` (cut at `end`), in order."""
    end = len(text) if end is None else end
    while pos < end:
        # Long stretches without words are crossed in C, not one cluster at a time.
        found = _WORDISH.search(text, pos, end)
        if found is None:
            return
        pos = max(pos, snap_start(text, found.start()))
        misses = 0
        for match in _WORD_SCAN.finditer(text, pos, end):
            pos = match.end()
            if match.group("w") is not None:
                misses = 0
                yield match.span()
            else:
                misses += 1
                if misses > 32:
                    break
        else:
            return


def _word_restart(text: str, i: int) -> int:
    """A cluster boundary <= i that is not inside a word (a word never spans whitespace)."""
    lo = max(0, i - WINDOW)
    space = _SPACE_BACK.search(text, lo, i)
    pos = space.start() if space else lo
    return snap_start(text, pos)


def word_at(text: str, i: int) -> tuple[int, int]:
    """The word holding offset i; outside a word, the grapheme cluster at i.

    At the very end of the text the last cluster is used; an empty text gives (0, 0).
    """
    i = _clamp(text, i)
    if not text:
        return 0, 0
    if i == len(text):
        i -= 1
    for start, end in _words(text, _word_restart(text, i)):
        if start > i:
            break
        if end > i:
            return start, end
    start, end = _cluster(text, i)
    return start, end


def next_word(text: str, i: int) -> int:
    """The start of the first word that starts after i (vim ``w``); len(text) when none does."""
    i = _clamp(text, i)
    for start, _ in _words(text, _word_restart(text, i)):
        if start > i:
            return start
    return len(text)


def prev_word(text: str, i: int) -> int:
    """The start of the last word that starts before i (vim ``b``); 0 when none does."""
    i = _clamp(text, i)
    hi = i
    while hi > 0:
        # Look back a little first, widening up to WINDOW: the last word start in a window that
        # begins at a restart point (never inside a word) is the same as in any wider one, and
        # the previous word is nearly always within a few dozen characters.
        reach = 64
        while True:
            lo = _word_restart(text, max(0, hi - reach))
            best = None
            for start, _ in _words(text, lo, hi):  # a word cut at hi still starts right
                best = start
            if best is not None:
                return best
            if reach >= WINDOW or lo == 0:
                break
            reach *= 4
        # No word in the window: jump (in C) back to the last word character before it.
        found = _WORDISH_BACK.search(text, 0, lo)
        if found is None:
            return 0
        hi = next_grapheme(text, found.start())
    return 0


def tokens(text: str) -> list[tuple[int, int]]:
    """Word, number, abbreviation and punctuation tokens as ranges; whitespace is never a token.

    "don't", "Japan’s", "1,000", "3.5" and "U.S." are single tokens; every other non-space
    grapheme cluster (a comma, a quote, an emoji, a flag) is a token on its own.
    """
    return [
        match.span()
        for match in _TOKEN_SCAN.finditer(text)
        if match.group("t") is not None or not match.group().isspace()
    ]


# ---------------------------------------------------------------------------------------------
# Sentences and paragraphs

_CLOSERS = "\"'”’»)]}」』）】〕〉》›"
_OPENERS = "\"'“‘«([{「『（【〔〈《‹¿¡"
# A candidate sentence end: terminal punctuation and any closing quotes/brackets, then either
# whitespace (Latin punctuation) or nothing at all (CJK punctuation needs no space), or a newline.
_END = regex.compile(
    r"(?P<term>[.!?…‼⁇⁈⁉]+)(?P<close>[" + regex.escape(_CLOSERS) + r"]*)(?=[ \t\u00a0\u2000-\u200a\u3000]+(?P<next>[^\s]|$)|$)"
    r"|(?P<cjk>[。！？｡]+)[" + regex.escape(_CLOSERS) + r"]*"
    r"|\n",
    regex.MULTILINE,
)
_ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof sr jr st mt ft gen col lt sgt capt cpl maj adm gov sen rep rev hon
    pres supt insp det cmdr brig cdr fr sra srta mme mlle messrs
    jan feb mar apr jun jul aug sep sept oct nov dec tue tues thu thurs fri
    etc vs cf al approx ca dept est inc ltd co corp bros assn univ ave blvd rd""".split()
)
# Abbreviations that are also words ("no", "art") count only before a number: "No. 10".
_BEFORE_NUMBERS = frozenset("no nos vol vols p pp op para paras art sec ch pt fig tel".split())
_DOTTED = regex.compile(r"(?:\p{L}\.)*\p{L}")  # U.S, U.K, e.g, i.e, a.m (the final '.' excluded)


def _is_abbreviation(text: str, dot: int, lo: int, next_char: str | None) -> bool:
    """Whether the '.' at `dot` ends an abbreviation or an initial rather than a sentence."""
    start = dot
    floor = max(lo, dot - 40)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    word = text[start:dot].lstrip(_OPENERS)
    if not word:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper() and word != "I":
        return True  # an initial: "J. Smith"
    folded = word.casefold()
    if folded in _ABBREVIATIONS:
        return True
    if folded in _BEFORE_NUMBERS:
        return next_char is not None and next_char.isdigit()
    return "." in word and _DOTTED.fullmatch(word) is not None


def _plausible_start(next_char: str | None) -> bool:
    if next_char is None:
        return True
    if next_char in _OPENERS or next_char.isdigit():
        return True
    if next_char.isalpha():
        return not next_char.islower()  # upper case, or a script without case (CJK, Arabic)
    return not next_char.isalnum() and next_char not in ",;:)]}"


def _breaks(text: str, lo: int, hi: int) -> list[int]:
    """Sentence break offsets inside [lo, hi), in order."""
    out: list[int] = []
    for match in _END.finditer(text, lo, hi):
        if match.group() == "\n":
            out.append(match.start())
            out.append(match.end())
            continue
        if match.group("cjk"):
            out.append(match.end())
            continue
        term = match.group("term")
        nxt = match.group("next")
        if not _plausible_start(nxt or None):
            continue
        if term == "." and _is_abbreviation(text, match.start("term"), lo, nxt or None):
            continue
        out.append(match.end())
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) without surrounding whitespace, widened to cluster boundaries; None if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return snap_start(text, start), snap_end(text, end)


def _sentences_in(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    previous = lo
    for cut in _breaks(text, lo, hi) + [hi]:
        cut = snap_end(text, cut) if cut < hi else hi
        if cut <= previous:
            continue
        piece = _trim(text, previous, cut)
        if piece is not None:
            out.append(piece)
        previous = cut
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as trimmed (start, end) ranges, in order, never overlapping.

    A sentence ends at . ! ? … (and CJK 。！？) plus any closing quotes or brackets, when
    followed by whitespace and something that can start a sentence (not a lower-case letter),
    and always at a newline. A full stop after a common abbreviation (Mr. Dr. St. No. Jan. etc.),
    a dotted abbreviation (U.S. e.g. i.e.) or an initial ("J. Smith") does not end one; a
    decimal point ("3.5") never can, having no space after it.
    """
    return _sentences_in(text, 0, len(text))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Every non-blank line as a trimmed (start, end) range, in order."""
    out: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start <= length:
        newline = text.find("\n", start)
        end = length if newline < 0 else newline
        piece = _trim(text, start, end)
        if piece is not None:
            out.append(piece)
        start = end + 1
    return out


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, i) + 1
    hi = text.find("\n", i)
    return lo, len(text) if hi < 0 else hi


def _nearest(ranges: list[tuple[int, int]], i: int) -> tuple[int, int]:
    starts = [start for start, _ in ranges]
    k = bisect_right(starts, i) - 1
    candidates = [ranges[j] for j in (k, k + 1) if 0 <= j < len(ranges)]

    def distance(span: tuple[int, int]) -> int:
        start, end = span
        return 0 if start <= i < end else min(abs(i - start), abs(i - end))

    return min(candidates, key=distance)


_NON_SPACE = regex.compile(r"\S")
_NON_SPACE_BACK = regex.compile(r"(?r)\S")


def paragraph_at(text: str, i: int) -> tuple[int, int]:
    """The paragraph (non-blank line) holding offset i, or the nearest one; (i, i) if none."""
    i = _clamp(text, i)
    lo, hi = _line_bounds(text, i)
    piece = _trim(text, lo, hi)
    if piece is not None:
        return piece
    candidates: list[tuple[int, int]] = []
    before = _NON_SPACE_BACK.search(text, 0, lo)
    after = _NON_SPACE.search(text, hi)
    for found in (before, after):
        if found is not None:
            line = _trim(text, *_line_bounds(text, found.start()))
            if line is not None:
                candidates.append(line)
    return _nearest(candidates, i) if candidates else (i, i)


_EDGE = 64  # sentence breaks this close to a window's cut edge may lack context


def sentence_at(text: str, i: int) -> tuple[int, int]:
    """The sentence holding offset i, or the nearest one (in the nearest paragraph); (i, i) if none.

    Only a window of the paragraph around i is examined, so this is cheap on a long article.
    """
    i = _clamp(text, i)
    lo, hi = paragraph_at(text, i)
    if lo == hi:
        return i, i
    reach = WINDOW
    while True:
        a, b = max(lo, i - reach), min(hi, i + reach)
        if a > lo:
            a = snap_start(text, a)
        if b < hi:
            b = snap_end(text, b)
        found = [
            (start, end)
            for start, end in _sentences_in(text, a, b)
            if (a == lo or start >= a + _EDGE) and (b == hi or end <= b - _EDGE)
        ]
        if found and (a == lo or found[0][0] <= i) and (b == hi or i < found[-1][1]):
            return _nearest(found, i)
        if a == lo and b == hi:
            return lo, hi
        reach *= 4
