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
"""
