"""Decoding article files and sanitising their text (split from `annotations.text`, which re-exports it).

    decode(data: bytes) -> str                 # BOM-aware UTF-8/UTF-16, Latin-1/cp1252 fallback
    sanitise(text: str) -> str                 # CRLF/CR -> LF; drop NUL, C0/C1 except \\n \\t,
                                               # CSI/OSC/DCS escape sequences
"""

from __future__ import annotations

import codecs

import regex

__all__ = ["decode", "bom_encoding", "utf16_without_bom", "sanitise"]

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
