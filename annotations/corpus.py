"""Reading article files and folders into `Article`s.

CONTRACT (implemented by the text/corpus work):

    class ArticleRefused(Exception): path, reason; str() is one line naming the file and what to do
    read_article(path) -> Article              # raises ArticleRefused (empty, whitespace, binary, unreadable)
    parse_article(text: str, origin: str = "") -> Article   # text already decoded and sanitised
    seeds_dir() -> Path                        # the bundled seeds/ folder (works installed and from source)

    @dataclass(frozen=True) class LibraryEntry: id, title, source, published (date|None), place, path, size
    class Library:
        Library.open(folder: Path, cache_dir: Path | None = None) -> Library
        .folder, .entries: list[LibraryEntry] (sorted by file name), .refused: list[ArticleRefused]
        .get(article_id) -> LibraryEntry | None
        .load(article_id) -> Article           # reads the file (LRU-cached)
        .__len__, .__iter__
    Re-reading an unchanged folder uses a cache keyed by (path, size, mtime_ns) so it does not
    parse every file again.

Decisions taken here (the contract left them open):

* A library is the folder's ``*.txt``, ``*.md`` and ``*.text`` files plus those of its direct
  sub-folders (one level), skipping hidden names and ``__pycache__``; entries are sorted by
  their path relative to the folder. `Library.open` on something that is not a readable folder
  raises `ArticleRefused` naming it.
* A file whose text repeats an earlier file's (same id) is refused, naming the earlier file.
* `Library.load` returns the article as the file holds it *now*: if the file was edited since
  the library was opened its id differs from the one asked for (callers compare `article.id`).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

import regex

from .model import Article, article_id_for
from .text import bom_encoding, decode, sanitise, sentences, utf16_without_bom

__all__ = [
    "ArticleRefused",
    "read_article",
    "parse_article",
    "seeds_dir",
    "LibraryEntry",
    "Library",
    "MAX_BYTES",
    "ARTICLE_SUFFIXES",
    "default_cache_dir",
]

MAX_BYTES = 64 * 1024 * 1024
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".text"})
TITLE_MAX = 200
STANDFIRST_MAX = 300
DERIVED_TITLE_MAX = 90


def _one_line(value: object) -> str:
    """`value` as text with any control character escaped, so a message stays on one line."""
    return "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" for c in str(value))


class ArticleRefused(Exception):
    """A file newsdesk will not read as an article; str() is one line for people.

    `path` is the file, `reason` says what is wrong and what to do, e.g.
    ``"notes.txt: the file is empty; add some text or remove it from the folder"``.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{_one_line(self.path)}: {_one_line(self.reason)}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


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

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_WORDS = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+\d{4})?"
    r"|(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?)"
)
# `date 2026-02-01 Tokyo [Japan], February 1 (ANI):`, `TOKYO, Feb 1 (Reuters) -`,
# `LONDON (AP) —`, `NEW DELHI [India], Jan 5 (ANI):`. Without a `date` prefix the place must be
# in capitals or carry a [Country], so an ordinary sentence with a bracket is not taken.
_DATELINE = regex.compile(
    r"^[ \t]*(?:date[ \t]+(?P<iso>\d{4}-\d{2}-\d{2})[ \t]+)?"
    r"(?P<place>(?P<caps>\p{Lu}[\p{Lu}\p{M}.'’ -]{1,40}?)|\p{Lu}[\p{L}\p{M}.'’ -]{0,40}?)"
    r"(?:[ \t]*\[(?P<country>[^\[\]\n]{1,40})\])?"
    r"(?:[ \t]*,[ \t]*(?P<date>" + _DATE_WORDS + r"))?"
    r"[ \t]*\((?P<source>[^()\n]{1,40})\)[ \t]*(?P<sep>[:\-–—]|$)"
)
_HEADER = regex.compile(
    r"^[ \t]*(?P<key>published|date|updated|posted|source)[ \t]*:[ \t]*(?P<value>\S.{0,120}?)[ \t]*$",
    regex.IGNORECASE,
)
_TERMINAL = ".!?。！？…"
_MARKDOWN_HEADING = regex.compile(r"^#{1,6}[ \t]+")
_TRAILING_CLOSERS = "\"'”’»)]"
_ISO_DATE = regex.compile(r"\d{4}-\d{2}-\d{2}")
_DIGIT = regex.compile(r"\d")
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")


def _parse_date(words: str) -> date | None:
    """A date from `words` only if they give day, month and year: nothing is ever filled in."""
    from dateutil import parser  # imported when needed: it costs ~40 ms at start-up

    words = words.strip()
    if _ISO_DATE.fullmatch(words):
        try:
            return date.fromisoformat(words)
        except ValueError:
            return None
    if not words or _DIGIT.search(words) is None:
        return None
    try:
        first = parser.parse(words, default=datetime(2001, 1, 1), fuzzy=True)
        second = parser.parse(words, default=datetime(2004, 2, 2), fuzzy=True)
    except (ValueError, OverflowError, TypeError, parser.ParserError):
        return None
    if first.date() != second.date():
        return None  # something (day, month or year) came from the defaults, not the text
    return first.date()


def _place(match: regex.Match[str]) -> str:
    place = " ".join(match.group("place").split()).strip(" ,.-")
    if match.group("caps") and place.isupper():
        place = " ".join(word.capitalize() if len(word) > 2 else word for word in place.split())
    country = (match.group("country") or "").strip()
    return f"{place}, {country}" if country else place


def _dateline(line: str) -> regex.Match[str] | None:
    match = _DATELINE.match(line)
    if match is None:
        return None
    if not (match.group("iso") or match.group("caps") or match.group("country")):
        return None
    if match.group("sep") == "" and len(line.strip()) > match.end() + 1:
        return None
    return match


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
        and _dateline(line) is None
    )


def _derive_title(body: str, dateline_end: int) -> str:
    """The first sentence after any dateline, cut at a word boundary to DERIVED_TITLE_MAX."""
    rest = body[dateline_end:].lstrip(" \t:-–—")
    spans = sentences(rest[:400])  # enough for any first sentence worth a title
    if not spans:
        return ""
    first = " ".join(rest[spans[0][0] : spans[0][1]].split())
    if first.endswith(".") and not first.endswith(".."):
        first = first[:-1]
    if len(first) <= DERIVED_TITLE_MAX:
        return first
    cut = first[: DERIVED_TITLE_MAX - 1]
    space = cut.rfind(" ")
    if space > DERIVED_TITLE_MAX // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


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
    if len(candidates) >= 2 and _is_heading(_MARKDOWN_HEADING.sub("", lines[candidates[0]]), TITLE_MAX):
        title = " ".join(_MARKDOWN_HEADING.sub("", lines[candidates[0]]).split())
        taken.append(candidates[0])
        if len(candidates) >= 3 and _is_heading(lines[candidates[1]], STANDFIRST_MAX):
            standfirst = " ".join(lines[candidates[1]].split())
            taken.append(candidates[1])
    body = "\n".join(line for n, line in enumerate(lines) if n not in taken).strip()

    source = place = ""
    published: date | None = None
    for n in headers:
        header = _HEADER.match(lines[n])
        assert header is not None
        if header.group("key").lower() == "source":
            source = source or header.group("value")
        else:
            published = published or _parse_date(header.group("value"))

    # The lead: the body's first line that is not a header line; a dateline can open it.
    lead = 0
    for line in body.split("\n")[:8]:
        if line.strip() and _HEADER.match(line) is None:
            break
        lead += len(line) + 1
    lead = min(lead, len(body))
    first_line = body[lead:].split("\n", 1)[0]
    dateline = _dateline(first_line)
    dateline_end = lead
    if dateline is not None:
        dateline_end = lead + dateline.end()
        place = _place(dateline)
        source = dateline.group("source").strip() or source
        if published is None and dateline.group("iso"):
            published = _parse_date(dateline.group("iso"))
        if published is None and dateline.group("date"):
            published = _parse_date(dateline.group("date"))

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


def seeds_dir() -> Path:
    """The bundled seed library: ``seeds/`` beside the ``annotations`` package, from source or wheel."""
    return Path(__file__).resolve().parent.parent / "seeds"


# ---------------------------------------------------------------------------------------------
# Folders


@dataclass(frozen=True)
class LibraryEntry:
    """What the library list shows about one article, without holding its text."""

    id: str
    title: str
    source: str
    published: date | None
    place: str
    path: Path
    size: int

    def to_cache(self) -> dict[str, Any]:
        """The fields the library cache keeps (path and size come from the folder scan)."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "place": self.place,
        }

    @classmethod
    def from_cache(cls, data: dict[str, Any], path: Path, size: int) -> "LibraryEntry":
        """The inverse of `to_cache`; raises KeyError/TypeError/ValueError on a damaged record."""
        published = data.get("published")
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            source=str(data.get("source") or ""),
            published=date.fromisoformat(published) if published else None,
            place=str(data.get("place") or ""),
            path=path,
            size=size,
        )

    @classmethod
    def of(cls, article: Article, path: Path, size: int) -> "LibraryEntry":
        """The entry describing `article`, read from `path`."""
        return cls(article.id, article.title, article.source, article.published, article.place, path, size)


def _body_record(full: str, article: Article) -> dict[str, Any]:
    """Where `article.text` sits in the file's cleaned text, and the metadata a list entry lacks."""
    start = full.find(article.text)
    record: dict[str, Any] = {"standfirst": article.standfirst, "title_derived": article.title_derived}
    if start >= 0:
        record.update(start=start, end=start + len(article.text))
    return record


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/newsdesk``, or ``~/.cache/newsdesk``."""
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "newsdesk"


_CACHE_VERSION = 2  # 2: records keep where the body sits in the cleaned text
_LOADED_MAX = 32


def _article_files(folder: Path) -> list[tuple[str, os.DirEntry[str]]]:
    """(relative path, entry) for the folder's article files and its sub-folders' (one level)."""
    found: list[tuple[str, os.DirEntry[str]]] = []

    def scan(directory: Path, prefix: str, depth: int) -> None:
        try:
            with os.scandir(directory) as listing:
                items = list(listing)
        except OSError:
            return
        for item in items:
            if item.name.startswith(".") or item.name == "__pycache__":
                continue
            try:
                if item.is_dir():
                    if depth == 0:
                        scan(Path(item.path), f"{prefix}{item.name}/", depth + 1)
                    continue
            except OSError:
                continue
            if os.path.splitext(item.name)[1].lower() in ARTICLE_SUFFIXES:
                found.append((prefix + item.name, item))

    scan(folder, "", 0)
    found.sort(key=lambda pair: pair[0])
    return found


class Library:
    """The articles of one folder, as entries cheap to list, each loaded on demand.

    Open with `Library.open(folder)`. `entries` are sorted by path; files that could not be
    read are in `refused` (an `ArticleRefused` each) while the rest load.
    """

    def __init__(
        self, folder: Path, entries: list[LibraryEntry], refused: list[ArticleRefused]
    ) -> None:
        self.folder = folder
        self.entries = entries
        self.refused = refused
        self._by_id = {entry.id: entry for entry in entries}
        self._loaded: OrderedDict[tuple[str, int, int], Article] = OrderedDict()
        self._loaded_lock = threading.Lock()
        self._bodies: dict[str, dict[str, Any]] = {}

    @classmethod
    def open(cls, folder: Path | str, cache_dir: Path | None = None) -> "Library":
        """Scan `folder`, using the metadata cache so unchanged files are not read again.

        Raises `ArticleRefused` only if `folder` is not a folder that can be listed.
        """
        folder = Path(folder).expanduser()
        try:
            folder = folder.resolve()
        except OSError:
            pass
        if not folder.is_dir():
            raise ArticleRefused(folder, "is not a folder; choose a folder of .txt or .md articles")
        try:
            os.listdir(folder)
        except OSError as error:
            raise ArticleRefused(folder, f"cannot be listed ({error.strerror or error}); check its permissions") from None

        cache_file = (cache_dir or default_cache_dir()) / (
            "library-" + hashlib.sha256(str(folder).encode("utf-8", "surrogateescape")).hexdigest()[:24] + ".json"
        )
        old = _read_cache(cache_file)
        new: dict[str, Any] = {}
        entries: list[LibraryEntry] = []
        refused: list[ArticleRefused] = []
        first_of: dict[str, str] = {}
        bodies: dict[str, dict[str, Any]] = {}
        for relative, item in _article_files(folder):
            path = folder / relative
            try:
                info = item.stat()
            except OSError as error:
                refused.append(ArticleRefused(path, f"cannot be read ({error.strerror or error}); check its permissions"))
                continue
            record = old.get(relative)
            if not (
                isinstance(record, dict)
                and record.get("size") == info.st_size
                and record.get("mtime_ns") == info.st_mtime_ns
            ):
                record = {"size": info.st_size, "mtime_ns": info.st_mtime_ns}
                try:
                    full = _read_text(path)
                    article = _parse(full, path)
                    record["entry"] = LibraryEntry.of(article, path, info.st_size).to_cache()
                    record["body"] = _body_record(full, article)
                except ArticleRefused as refusal:
                    record["refused"] = refusal.reason
            new[relative] = record
            try:
                if "refused" in record:
                    refused.append(ArticleRefused(path, str(record["refused"])))
                    continue
                entry = LibraryEntry.from_cache(record["entry"], path, info.st_size)
            except (KeyError, TypeError, ValueError, AttributeError):
                new.pop(relative)  # a damaged cache record: forget it, read the file next time
                continue
            if entry.id in first_of:
                refused.append(
                    ArticleRefused(path, f"has the same text as {first_of[entry.id]}; remove one of the two")
                )
                continue
            first_of[entry.id] = relative
            entries.append(entry)
            body = record.get("body")
            if isinstance(body, dict):
                bodies[entry.id] = body
        if new != old:
            _write_cache(cache_file, folder, new)
        library = cls(folder, entries, refused)
        library._bodies = bodies
        return library

    def get(self, article_id: str) -> LibraryEntry | None:
        """The entry with this id, or None."""
        return self._by_id.get(article_id)

    def load(self, article_id: str) -> Article:
        """The article with this id, read from its file (the last few dozen are kept in memory).

        Raises `KeyError` for an id not in the library and `ArticleRefused` if the file has
        since become unreadable. If the file was edited, the article returned is what it holds
        now, with a new id.
        """
        entry = self._by_id[article_id]
        try:
            info = entry.path.stat()
        except OSError as error:
            raise ArticleRefused(entry.path, f"cannot be read any more ({error.strerror or error}); reopen the library") from None
        key = (str(entry.path), info.st_size, info.st_mtime_ns)
        with self._loaded_lock:  # the app's search worker loads articles while the UI does too
            article = self._loaded.get(key)
            if article is not None:
                self._loaded.move_to_end(key)
                return article
        article = self._read(entry)
        with self._loaded_lock:
            self._loaded[key] = article
            if len(self._loaded) > _LOADED_MAX:
                self._loaded.popitem(last=False)
        return article

    def _read(self, entry: LibraryEntry) -> Article:
        """Read an entry's file; when the cache knows where its body is, skip parsing metadata.

        The body's hash must still give the entry's id, so an edited file is parsed afresh.
        """
        body = self._bodies.get(entry.id)
        if body is None:
            return read_article(entry.path)
        full = _read_text(entry.path)
        try:
            text = full[body["start"]:body["end"]]
        except (KeyError, TypeError):
            return _parse(full, entry.path)
        if article_id_for(text) != entry.id:
            return _parse(full, entry.path)
        return Article(
            id=entry.id,
            title=entry.title,
            text=text,
            standfirst=str(body.get("standfirst") or ""),
            source=entry.source,
            published=entry.published,
            place=entry.place,
            origin=str(entry.path),
            title_derived=bool(body.get("title_derived")),
        )

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LibraryEntry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return f"Library({str(self.folder)!r}, {len(self.entries)} articles, {len(self.refused)} refused)"


def _read_cache(cache_file: Path) -> dict[str, Any]:
    """The cached records, or {} when the cache is missing, unreadable or damaged."""
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _write_cache(cache_file: Path, folder: Path, files: dict[str, Any]) -> None:
    """Replace the cache atomically (temp file + rename); any failure is ignored: it is a cache."""
    payload = {"version": _CACHE_VERSION, "folder": str(folder), "files": files}
    temporary = None
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".library-", suffix=".tmp", dir=cache_file.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        os.replace(temporary, cache_file)
        temporary = None
    except (OSError, ValueError, TypeError):
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
