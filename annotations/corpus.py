"""Reading article files and folders into `Article`s.

A file is decoded (`text.decode`), cleaned of control characters and terminal escapes
(`text.sanitise`, the only safe place to do it: Textual passes them to the terminal raw), and
its metadata read from the text itself:

* a short first line with no final full stop is the **title**; a following short line with no
  final full stop is the **standfirst**;
* a **dateline** such as ``date 2026-02-01 Tokyo [Japan], February 1 (ANI):`` gives the date,
  the place ("Tokyo, Japan") and the source ("ANI"); ``TOKYO, Feb 1 (Reuters) -`` and
  ``LONDON (AP) —`` give place and source, and a date only when a year is written;
* ``Published:``/``Date:``/``Source:`` header lines at the top are read and taken out of the text.

A date is never invented: "February 1" without a year gives no date, and a date python-dateutil
could only complete from defaults is refused. An article without a title line is titled by its
first sentence (after any dateline), cut at a word boundary.

`Library` reads a folder (and its sub-folders) of ``.txt``/``.md``/``.text`` files. What it learnt
about each file is cached by (path, size, mtime) in the user cache dir, so opening an unchanged
library reads no article file at all. Files it cannot read are kept in `Library.refused`, each
with a one-line reason, while the rest load.

(Written by the lead while the text rules were being finished; extend it rather than replace it.)
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

import regex
from dateutil import parser as dateparser

from .model import Article, article_id_for
from .text import decode, sanitise, sentences

__all__ = [
    "ArticleRefused",
    "read_article",
    "parse_article",
    "seeds_dir",
    "LibraryEntry",
    "Library",
    "ARTICLE_SUFFIXES",
    "MAX_ARTICLE_BYTES",
]

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown"})
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
TITLE_MAX = 200
STANDFIRST_MAX = 300
DERIVED_TITLE_MAX = 90
CACHE_VERSION = 1

_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/ODF document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


class ArticleRefused(Exception):
    """A file that cannot be read as an article. `str()` is one line: the file, what is wrong, what to do."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def seeds_dir() -> Path:
    """The bundled seed library: beside the `annotations` package, from source and when installed."""
    return Path(__file__).resolve().parent.parent / "seeds"


# -- reading one file ------------------------------------------------------------------------
def _binary_reason(data: bytes) -> str | None:
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            return what
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None  # a BOM: UTF-16 text has NULs by design
    if not head:
        return None
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32 and byte != 27)
    if head.count(0) > len(head) // 100 + 2 or controls > len(head) // 10:
        return "binary data, not text"
    return None


def read_article(path: str | os.PathLike[str]) -> Article:
    """Read and parse one article file; raises `ArticleRefused` with a one-line reason."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ArticleRefused(path, "is a folder, not an article file; pass its files or use --library")
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleRefused(path, f"is {size // (1024 * 1024)} MB, more than newsdesk reads (64 MB); split it")
        data = path.read_bytes()
    except ArticleRefused:
        raise
    except FileNotFoundError:
        raise ArticleRefused(path, "no such file; check the path") from None
    except PermissionError:
        raise ArticleRefused(path, "cannot be read (permission denied); check its permissions") from None
    except OSError as error:
        raise ArticleRefused(path, f"cannot be read ({error.strerror or error}); check the file") from None
    if not data:
        raise ArticleRefused(path, "is empty; add the article's text or remove the file")
    what = _binary_reason(data)
    if what:
        raise ArticleRefused(path, f"is {what}, not an article; save articles as plain text (.txt)")
    text = sanitise(decode(data))
    if not text.strip():
        raise ArticleRefused(path, "holds only white space; add the article's text or remove the file")
    return parse_article(text, origin=str(path))


# -- metadata ----------------------------------------------------------------------------------
_DATELINE = regex.compile(
    r"""
    ^[ \t]*
    (?:date[ \t]+(?P<iso>\d{4}-\d{2}-\d{2})[ \t]+)?             # a scraper's `date 2026-02-01` marker
    (?P<place>\p{Lu}[\p{L}.'’\- ]{1,40}?)                        # Tokyo, NEW YORK, St. Louis
    (?:[ \t]*\[(?P<country>[^\]\n]{1,40})\])?                    # [Japan]
    (?:[ \t]*,[ \t]*(?P<when>
        \p{Lu}\p{Ll}{2,8}\.?[ \t]+\d{1,2}(?:,?[ \t]+\d{4})?      # February 1 / Feb. 1, 2026
      | \d{1,2}[ \t]+\p{Lu}\p{Ll}{2,8}\.?(?:[ \t]+\d{4})?        # 1 February 2026
      | \d{4}-\d{2}-\d{2}
    ))?
    [ \t]*\((?P<source>[\p{L}\d][\p{L}\d .&'’\-]{0,30})\)         # (ANI), (Reuters)
    [ \t]*(?:[:\-–—]|$)
    """,
    regex.VERBOSE,
)
_ISO_MARKER = regex.compile(r"^[ \t]*date[ \t]+(?P<iso>\d{4}-\d{2}-\d{2})\b")
_HEADER = regex.compile(
    r"^[ \t]*(?P<field>published|date|updated|source|by|place|location|dateline)[ \t]*:[ \t]*(?P<value>\S.{0,120})$",
    regex.IGNORECASE,
)
_YEAR = regex.compile(r"\b\d{4}\b")
_CLOSING = "\"'”’»)]"


def _certain_date(value: str) -> date | None:
    """A date only when the text gives year, month and day: never one filled in by defaults."""
    value = value.strip()
    if not _YEAR.search(value):
        return None
    try:
        first = dateparser.parse(value, default=datetime(1901, 1, 1), fuzzy=True)
        second = dateparser.parse(value, default=datetime(1902, 2, 2), fuzzy=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if first != second:
        return None  # some part (day, month or year) came from the defaults
    return first.date()


def _ends_sentence(line: str, enders: str = ".。．") -> bool:
    """Whether the line ends like body text: a full stop (Latin or CJK), before any closing quote."""
    return line.rstrip().rstrip(_CLOSING + "」』）").endswith(tuple(enders))


def _derived_title(body: str, skip: int) -> str:
    """The first sentence after `skip`, cut at a word boundary to DERIVED_TITLE_MAX characters."""
    rest = body[skip:].lstrip(" \t:—–-")
    found = sentences(rest[:4000])
    sentence = rest[found[0][0]:found[0][1]] if found else rest.strip()
    sentence = " ".join(sentence.split())
    if len(sentence) <= DERIVED_TITLE_MAX:
        return sentence.rstrip(".") if sentence.endswith(".") and not sentence.endswith("..") else sentence
    cut = sentence[: DERIVED_TITLE_MAX - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


def parse_article(text: str, origin: str = "") -> Article:
    """An `Article` from decoded, sanitised text: metadata read off the top, the body kept as is."""
    lines = text.split("\n")
    index = 0
    meta: dict[str, str] = {}
    published: date | None = None

    def next_content(i: int) -> int:
        while i < len(lines) and not lines[i].strip():
            i += 1
        return i

    # Header lines (`Published: 3 March 2025`) at the very top.
    index = next_content(0)
    while index < len(lines):
        match = _HEADER.match(lines[index])
        if not match:
            break
        field, value = match["field"].lower(), match["value"].strip()
        if field in ("published", "date", "updated", "dateline"):
            published = published or _certain_date(value)
        elif field == "source":
            meta.setdefault("source", value)
        elif field in ("place", "location"):
            meta.setdefault("place", value)
        index = next_content(index + 1)

    title = standfirst = ""
    first = index
    if first < len(lines):
        candidate = lines[first].strip()
        more = next_content(first + 1) < len(lines)
        if (
            more
            and len(candidate) <= TITLE_MAX
            and not _ends_sentence(candidate)
            and not _DATELINE.match(candidate)
            and not _ISO_MARKER.match(candidate)
        ):
            title = candidate
            index = next_content(first + 1)
            second = lines[index].strip() if index < len(lines) else ""
            if (
                second
                and next_content(index + 1) < len(lines)
                and len(second) <= STANDFIRST_MAX
                and not _ends_sentence(second, ".。．!?！？")
                and not _DATELINE.match(second)
            ):
                standfirst = second
                index = next_content(index + 1)

    body = "\n".join(lines[index:]).strip()

    source = meta.get("source", "")
    place = meta.get("place", "")
    dateline_end = 0
    match = _DATELINE.match(body)
    if match:
        dateline_end = match.end()
        source = source or match["source"].strip()
        place_name = " ".join(match["place"].split())
        if place_name.isupper():
            place_name = place_name.title()
        place = place or (f"{place_name}, {match['country'].strip()}" if match["country"] else place_name)
        if match["iso"]:
            published = published or _certain_date(match["iso"])
        if match["when"]:
            published = published or _certain_date(match["when"])
    else:
        marker = _ISO_MARKER.match(body)
        if marker:
            dateline_end = marker.end()
            published = published or _certain_date(marker["iso"])

    derived = not title
    if derived:
        title = _derived_title(body, dateline_end) if body else "(untitled)"
    return Article(
        id=article_id_for(body),
        title=title,
        text=body,
        standfirst=standfirst,
        source=source,
        published=published,
        place=place,
        origin=origin,
        title_derived=derived,
    )


# -- a folder of articles ------------------------------------------------------------------------
@dataclass(frozen=True)
class LibraryEntry:
    """What the library list needs of an article, without its text."""

    id: str
    title: str
    source: str
    published: date | None
    place: str
    path: Path
    size: int

    def to_cache(self, root: Path) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "place": self.place,
            "size": self.size,
        }

    @classmethod
    def from_cache(cls, data: dict, path: Path) -> "LibraryEntry":
        published = data.get("published")
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            source=str(data.get("source") or ""),
            published=date.fromisoformat(published) if published else None,
            place=str(data.get("place") or ""),
            path=path,
            size=int(data["size"]),
        )


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsdesk"


def _article_files(folder: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            found.append(Path(dirpath) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


class Library:
    """The articles of one folder: entries for listing, full articles loaded on demand."""

    LOADED = 32  # articles kept parsed in memory

    def __init__(self, folder: Path, entries: list[LibraryEntry], refused: list[ArticleRefused]) -> None:
        self.folder = folder
        self.entries = entries
        self.refused = refused
        self._by_id = {entry.id: entry for entry in entries}
        self._loaded: OrderedDict[str, Article] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: str | os.PathLike[str], cache_dir: Path | None = None) -> "Library":
        """Read every article file under `folder`, using the cache for files that did not change."""
        folder = Path(folder).expanduser().resolve()
        cache_path = (cache_dir or _cache_dir()) / f"library-{hashlib.sha1(str(folder).encode()).hexdigest()[:16]}.json"
        cached = cls._read_cache(cache_path, folder)
        fresh: dict[str, dict] = {}
        entries: list[LibraryEntry] = []
        refused: list[ArticleRefused] = []
        first_of: dict[str, Path] = {}
        for path in _article_files(folder):
            relative = path.relative_to(folder).as_posix()
            try:
                stat = path.stat()
            except OSError as error:
                refused.append(ArticleRefused(path, f"cannot be read ({error.strerror or error}); check the file"))
                continue
            record = cached.get(relative)
            if not (record and record.get("size") == stat.st_size and record.get("mtime_ns") == stat.st_mtime_ns):
                try:
                    article = read_article(path)
                    record = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                              "entry": LibraryEntry(article.id, article.title, article.source, article.published,
                                                    article.place, path, stat.st_size).to_cache(folder)}
                except ArticleRefused as problem:
                    record = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "refused": problem.reason}
            fresh[relative] = record
            if "refused" in record:
                refused.append(ArticleRefused(path, record["refused"]))
                continue
            entry = LibraryEntry.from_cache(record["entry"], path)
            if entry.id in first_of:
                refused.append(ArticleRefused(path, f"has the same text as {first_of[entry.id].name}; remove one of them"))
                continue
            first_of[entry.id] = path
            entries.append(entry)
        if fresh != cached:
            cls._write_cache(cache_path, folder, fresh)
        return cls(folder, entries, refused)

    @staticmethod
    def _read_cache(path: Path, folder: Path) -> dict[str, dict]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION and data.get("folder") == str(folder):
                files = data.get("files")
                if isinstance(files, dict):
                    return files
        except (OSError, ValueError, AttributeError):
            pass  # no cache, or a damaged one: it is only a cache
        return {}

    @staticmethod
    def _write_cache(path: Path, folder: Path, files: dict[str, dict]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".library-", dir=path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"version": CACHE_VERSION, "folder": str(folder), "files": files}, out)
            os.replace(temp, path)
        except OSError:
            pass  # an unwritable cache only costs speed next time

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LibraryEntry]:
        return iter(self.entries)

    def get(self, article_id: str) -> LibraryEntry | None:
        """The entry with this id, or None."""
        return self._by_id.get(article_id)

    def load(self, article_id: str) -> Article:
        """The whole article; raises KeyError for an unknown id, `ArticleRefused` if its file went bad."""
        with self._lock:
            article = self._loaded.get(article_id)
            if article is not None:
                self._loaded.move_to_end(article_id)
                return article
        entry = self._by_id[article_id]
        article = read_article(entry.path)
        if article.id != article_id:
            raise ArticleRefused(entry.path, "changed on disk since the library was read; restart newsdesk to read it again")
        with self._lock:
            self._loaded[article_id] = article
            while len(self._loaded) > self.LOADED:
                self._loaded.popitem(last=False)
        return article
