"""Reading one article file: decoding, cleaning, and the metadata written in its text.

* Bytes are decoded by `text.decode` (UTF-8 with or without BOM, UTF-16/32 with BOM, UTF-16
  without BOM recognised by its NULs, cp1252/Latin-1 as the fallback) and cleaned by
  `text.sanitise` (CRLF/CR to LF; NUL, C0/C1 controls and CSI/OSC/DCS escape sequences removed).
  This is the only place that can do it safely: Textual passes control characters to the
  terminal raw. Everything else (CJK, RTL, emoji, ``[Japan]``, ``[/]``) is kept exactly.
* Refused, with a one-line reason naming the file: missing, unreadable, a folder, a device or
  pipe, empty, white space only, binary (known magic numbers, or many NUL/control bytes),
  undecodable, or over 64 MB.
* Metadata: a short first line with no final full stop is the title (a ``#`` Markdown heading
  too); a following short line without one is the standfirst. A dateline such as
  ``date 2026-02-01 Tokyo [Japan], February 1 (ANI):`` gives the date, the place ("Tokyo,
  Japan") and the source ("ANI"); ``TOKYO, Feb 1 (Reuters) -`` and ``LONDON (AP) —`` give
  place and source. A date is never invented: python-dateutil's result is kept only when the
  text gives year, month and day. Without a title line, the first sentence after any dateline
  is the title, cut at a word boundary.

Split from `annotations.corpus` so that a library whose files are all in its cache opens
without loading `regex`, python-dateutil or the text rules.
"""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import regex

from .refusal import MAX_BYTES, ArticleRefused
from .model import Article, article_id_for
from .datelines import find_dateline, is_not_a_title, leading_date, parse_date, trailing_credit
from .text import bom_encoding, decode, sanitise, sentences, tokens, utf16_without_bom

__all__ = ["read_article", "parse_article"]

TITLE_MAX = 200
STANDFIRST_MAX = 300
DERIVED_TITLE_MAX = 90


# ---------------------------------------------------------------------------------------------
# One file

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/ODF document)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BZh", None),  # checked more closely below: "BZh" can start a line of text
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00asm", "a WebAssembly module"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O program"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O program"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O program"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


def _binary_kind(data: bytes) -> str | None:
    """What binary format `data` looks like, or None if it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if magic == b"BZh" and not regex.match(rb"BZh[1-9]1AY&SY", data):
                continue
            return kind
    if data.startswith(b"RIFF") and data[8:12] in (b"WAVE", b"AVI ", b"WEBP"):
        return "a media file (RIFF)"
    if data.startswith(b"MZ") and b"PE\x00\x00" in data[:1024]:
        return "a Windows program"
    if bom_encoding(data) is not None or utf16_without_bom(data) is not None:
        return None
    head = data[:8192]
    nuls = head.count(0)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    # A few stray NULs or control bytes are sanitised away; a real share of them means binary.
    if nuls > max(8, len(head) // 100) or controls > max(16, len(head) // 10):
        return "binary data (many NUL or control bytes)"
    return None


def _read_text(path: Path) -> str:
    """A file's decoded, sanitised text; `ArticleRefused` for anything that is not an article."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ArticleRefused(path, "no such file; check the name and the folder") from None
    except OSError as error:
        raise ArticleRefused(path, f"cannot be read ({error.strerror or error}); check its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise ArticleRefused(path, "is a folder, not a file; open it as a library or pick a file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise ArticleRefused(path, "is not a regular file (a device, pipe or socket); pick a text file")
    if info.st_size > MAX_BYTES:
        raise ArticleRefused(
            path, f"is {info.st_size / 1024 / 1024:.0f} MB, over the 64 MB limit; split it into smaller files"
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ArticleRefused(path, f"cannot be read ({error.strerror or error}); check its permissions") from None
    if len(data) > MAX_BYTES:
        raise ArticleRefused(path, "is over the 64 MB limit; split it into smaller files")
    if not data:
        raise ArticleRefused(path, "is empty; add some text or remove it from the folder")
    kind = _binary_kind(data)
    if kind is not None:
        raise ArticleRefused(path, f"looks like {kind}, not text; remove it or export it as plain text")
    try:
        text = sanitise(decode(data))
    except UnicodeDecodeError as error:
        raise ArticleRefused(
            path, f"is not valid {error.encoding} text though it says so; re-save it as UTF-8"
        ) from None
    if not text.strip():
        raise ArticleRefused(path, "contains only whitespace; add some text or remove it from the folder")
    return text


def read_article(path: Path | str) -> Article:
    """Read one article file: decode, sanitise and parse it.

    Raises `ArticleRefused` (never anything else) for a missing, unreadable, empty,
    whitespace-only, binary, undecodable or oversized (> 64 MB) file, or a folder.
    """
    path = Path(path)
    return _parse(_read_text(path), path)


def _parse(text: str, path: Path) -> Article:
    try:
        return parse_article(text, origin=str(path))
    except Exception as error:  # a bug here must cost one file, not the library
        raise ArticleRefused(path, f"could not be parsed ({type(error).__name__}: {error}); report this") from None


# ---------------------------------------------------------------------------------------------
# Metadata

_HEADER = regex.compile(
    r"^[ \t]*(?P<key>published|date|updated|posted|source)[ \t]*:[ \t]*(?P<value>\S.{0,120}?)[ \t]*$",
    regex.IGNORECASE,
)
# Sentence ends of many scripts: a paragraph ending in one is never a title or a standfirst.
_TERMINAL = ".!?。！？…।॥။؟۔"
_MARKDOWN_HEADING = regex.compile(r"^#{1,6}[ \t]+")
_TRAILING_CLOSERS = "\"'”’»)]」』"
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_LOOK_AHEAD = 6  # paragraphs searched for a dateline, and for a title past captions and call-outs


def _parse_date(words: str) -> date | None:
    return parse_date(words)


def _ends_like_sentence(line: str) -> bool:
    return line.rstrip(_TRAILING_CLOSERS).endswith(tuple(_TERMINAL))


def _is_heading(line: str, max_length: int) -> bool:
    """A short line with a word and no final full stop: a title or a standfirst."""
    line = line.strip()
    return (
        0 < len(line) <= max_length
        and _WORD_CHAR.search(line) is not None
        and not _ends_like_sentence(line)
        and _HEADER.match(line) is None
        and find_dateline(line) is None
        and not is_not_a_title(line)
    )


def _skippable(line: str) -> bool:
    """A caption, call-out, file name, URL, date or section label: what comes before a story's lead."""
    line = line.strip()
    return (
        is_not_a_title(line)
        or bool(_CAPTION.search(line[:200]))
        or (bool(_KICKER.match(line)) and len(line.split()) <= 4)
    )


def _derive_title(body: str, start: int) -> str:
    """The first sentence from `start` (after any dateline), cut at a word boundary to DERIVED_TITLE_MAX.

    Paragraphs that are captions, call-outs, file names or URLs are passed over, and a date or
    time opening the paragraph ("December 28, 2014:", "21 ม.ค.2561 เวลาประมาณ 12.00 น.") is left out.
    """
    rest = body[start:].lstrip(" \t:-–—")
    paragraphs = [line for line in rest.split("\n", 2 * _LOOK_AHEAD)[: 2 * _LOOK_AHEAD] if line.strip()]
    for k, paragraph in enumerate(paragraphs[:_LOOK_AHEAD]):
        following = paragraphs[k + 1] if k + 1 < len(paragraphs) else ""
        if not (is_not_a_title(paragraph) or _CAPTION.search(paragraph[:200]) or _CREDIT.match(following)):
            rest = rest[rest.find(paragraph) :]
            break
    found = leading_date(rest, separated=True)
    if found is not None and found[1] < len(rest.split("\n", 1)[0]):
        rest = rest[found[1] :].lstrip(" \t:-–—|")
    spans = sentences(rest[:400])  # enough for any first sentence worth a title
    if not spans:
        return ""
    first = " ".join(rest[spans[0][0] : spans[0][1]].split())
    if first.endswith((".", "。", "।", "။")) and not first.endswith(".."):
        first = first[:-1]
    if len(first) <= DERIVED_TITLE_MAX:
        return first
    # Cut at the last word boundary that fits (ICU's words: Thai and Japanese have no spaces).
    limit = DERIVED_TITLE_MAX - 1
    edges = [end for _, end in tokens(first[: limit + 40]) if DERIVED_TITLE_MAX // 3 < end <= limit]
    cut = first[: edges[-1]] if edges else first[:limit]
    return cut.rstrip(" ,;:-–—、，(（「\"'“‘") + "…"


# A photo caption opening a paragraph: "(File 2013/The Associated Press) ...", "1 of 4. ...".
_CAPTION = regex.compile(
    r"^\((?:File|Photo|AP Photo)[^)]{0,80}\)|^\d+ of \d+\.|\bGetty Images\b|^In this (?:image|photo|file photo)\b",
    regex.IGNORECASE,
)
_CREDIT = regex.compile(r"^[ \t]*(?:Credit|Photo|Image|Picture|Foto)s?[ \t]*:", regex.IGNORECASE)
_KICKER = regex.compile(r"^[\p{Lu}\p{N}/&' -]{3,40}$")  # GRANTS/DONATIONS, EXCLUSIVE: a section label


def parse_article(text: str, origin: str = "") -> Article:
    """An `Article` from decoded, sanitised text.

    A short first line (<= 200 characters, no final . ! ?, followed by more text) is the title;
    a short second line (<= 300, no final . ! ?, followed by more text) the standfirst. Both
    lines are taken out of the body; the body is the rest, stripped. A dateline opening the body
    (``TOKYO, Feb 1 (Reuters) -``, ``date 2026-02-01 Tokyo [Japan], February 1 (ANI):``) or a
    ``Published:``/``Date:``/``Source:`` header line among the first lines gives the place, the
    source and the date; a date is set only when the text gives day, month and year. With no
    title line the first sentence after the dateline becomes the title (``title_derived``).
    """
    lines = text.split("\n")
    content = [n for n, line in enumerate(lines) if line.strip()]
    headers = [n for n in content[:6] if _HEADER.match(lines[n])]
    candidates = [n for n in content if n not in headers]

    title = standfirst = ""
    taken: list[int] = []
    published: date | None = None
    # Image and file names, URLs, dates and call-outs before the title are passed over (a date
    # there is the article's date); they stay in the text.
    skipped = 0
    while skipped < min(3, len(candidates) - 1) and is_not_a_title(lines[candidates[skipped]]):
        found = leading_date(lines[candidates[skipped]])
        if found is not None and published is None:
            published = _parse_date(found[0])
        skipped += 1
    candidates = candidates[skipped:]
    if (
        len(candidates) >= 2
        and _KICKER.match(lines[candidates[0]].strip())
        and len(lines[candidates[0]].split()) <= 4
        and find_dateline(lines[candidates[1]]) is not None
    ):
        candidates = candidates[1:]  # a section label over a dateline: not the title
    if len(candidates) >= 2 and _is_heading(_MARKDOWN_HEADING.sub("", lines[candidates[0]]), TITLE_MAX):
        title = " ".join(_MARKDOWN_HEADING.sub("", lines[candidates[0]]).split())
        taken.append(candidates[0])
        if len(candidates) >= 3 and _is_heading(lines[candidates[1]], STANDFIRST_MAX):
            standfirst = " ".join(lines[candidates[1]].split())
            taken.append(candidates[1])
    body = "\n".join(line for n, line in enumerate(lines) if n not in taken).strip()

    source = place = ""
    for n in headers:
        header = _HEADER.match(lines[n])
        assert header is not None
        if header.group("key").lower() == "source":
            source = source or header.group("value")
        else:
            published = published or _parse_date(header.group("value"))

    # The lead: the body's first line that is not a header line. A dateline opens it, or one of
    # the next few paragraphs when captions or teasers come first.
    lead = 0
    for line in body.split("\n")[:8]:
        if line.strip() and _HEADER.match(line) is None:
            break
        lead += len(line) + 1
    lead = min(lead, len(body))
    dateline_end = lead
    offset, looked, junk_before = lead, 0, True
    for line in body[lead:].split("\n"):
        if looked >= _LOOK_AHEAD:
            break
        if line.strip():
            looked += 1
            # Past the lead and what cannot be a title, only a dateline naming its source counts.
            dateline = find_dateline(line, with_source=looked > 1 and not junk_before)
            junk_before = junk_before and _skippable(line)
            if dateline is not None:
                dateline_end = offset + dateline.end
                place = dateline.place
                source = dateline.source or source
                if published is None and dateline.date_words:
                    published = _parse_date(dateline.date_words)
                break
        offset += len(line) + 1
    first_line = body[lead:].split("\n", 1)[0]
    if published is None:
        found = leading_date(body[dateline_end:])
        if found is not None:
            published = _parse_date(found[0])
    credit = trailing_credit(first_line)
    if credit is not None:
        published = published or _parse_date(credit[0])
        source = source or credit[1]

    title_derived = False
    if not title:
        title = _derive_title(body, dateline_end) or Path(origin).stem or "Untitled"
        title_derived = True
    return Article(
        id=article_id_for(body),
        title=title,
        text=body,
        standfirst=standfirst,
        source=source,
        published=published,
        place=place,
        origin=origin,
        title_derived=title_derived,
    )
