"""A library: the article files of one folder, listed cheaply and loaded on demand.

* A library is the folder's ``*.txt``, ``*.md`` and ``*.text`` files plus those of its direct
  sub-folders (one level), skipping hidden names and ``__pycache__``; entries are sorted by
  their path relative to the folder. `Library.open` on something that is not a readable folder
  raises `ArticleRefused` naming it; files it cannot read are kept in `Library.refused`, each
  with a one-line reason, while the rest load.
* What was learnt about each file (its entry, or why it was refused, and where its body sits in
  the cleaned text) is cached by (path, size, mtime_ns) in the user cache dir. Opening an
  unchanged library reads no article file and loads none of the parsing code
  (`annotations.reading`); loading an article whose text still hashes to its id skips parsing.
* A file whose text repeats an earlier file's (same id) is refused, naming the earlier file.
* `Library.load` returns the article as the file holds it *now*: if the file was edited since
  the library was opened its id differs from the one asked for (callers compare `article.id`).

`read_article` and `parse_article` (the reading rules) live in `annotations.reading` and are
handed out here too, loaded on first use.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .model import Article, article_id_for
from .refusal import MAX_BYTES, ArticleRefused

if TYPE_CHECKING:  # pragma: no cover
    from .reading import parse_article, read_article

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

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".text"})
PAGE_SUFFIXES = frozenset({".html", ".htm"})  # saved web pages, read by `annotations.webpage`


def __getattr__(name: str) -> Any:
    """`read_article` and `parse_article` live in `annotations.reading`, loaded on first use.

    (`open_library` and `CombinedLibrary` are in `annotations.sources`, which builds on this
    module: import them from there, so the core has no import circle.)"""
    if name in ("read_article", "parse_article"):
        from . import reading

        return getattr(reading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")




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
    """The per-OS cache dir (`paths.cache_dir`): ``$XDG_CACHE_HOME/newsdesk`` or ``~/.cache/newsdesk`` on Linux."""
    from .paths import cache_dir

    return cache_dir()


_CACHE_VERSION = 3  # 2: records keep where the body sits in the cleaned text; 3: pages lose their title line
_LOADED_MAX = 32


def _describe(path: Path, size: int) -> dict[str, Any]:
    """What the cache keeps of a file it did not know: its entry and body, or why it was refused."""
    try:
        if path.suffix.lower() in PAGE_SUFFIXES:
            from .webpage import read_webpage  # trafilatura only when a page is new

            page = read_webpage(path)
            return {"entry": LibraryEntry.of(page, path, size).to_cache(), "body": {"page": True}}
        from . import reading  # only when a file must be parsed

        full = reading._read_text(path)
        article = reading._parse(full, path)
        return {"entry": LibraryEntry.of(article, path, size).to_cache(), "body": _body_record(full, article)}
    except ArticleRefused as refusal:
        return {"refused": refusal.reason}


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
            suffix = os.path.splitext(item.name)[1].lower()
            if suffix in ARTICLE_SUFFIXES or suffix in PAGE_SUFFIXES:
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
    def open(
        cls,
        folder: Path | str,
        cache_dir: Path | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> "Library":
        """Scan `folder`, using the metadata cache so unchanged files are not read again.

        `progress(done, total)` is told, every 200 files, how far the scan has got (parsing
        files the cache does not know is what takes time: about 0.2 ms each).
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
        files = _article_files(folder)
        for number, (relative, item) in enumerate(files):
            if progress is not None and number % 200 == 0:
                progress(number, len(files))
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
                record = {"size": info.st_size, "mtime_ns": info.st_mtime_ns, **_describe(path, info.st_size)}
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
        if progress is not None:
            progress(len(files), len(files))
        if new != old:
            _write_cache(cache_file, folder, new)
        library = cls(folder, entries, refused)
        library._bodies = bodies
        return library

    def reopen(self) -> "Library":
        """The same folder read again (after a file in it changed)."""
        return type(self).open(self.folder)

    @property
    def sources(self) -> tuple[Path, ...]:
        """The folders and files this library reads: here, its one folder."""
        return (self.folder,)

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
        if entry.path.suffix.lower() in PAGE_SUFFIXES:
            from .webpage import read_webpage

            return read_webpage(entry.path)
        from . import reading

        body = self._bodies.get(entry.id)
        if body is None:
            return reading.read_article(entry.path)
        full = reading._read_text(entry.path)
        try:
            text = full[body["start"]:body["end"]]
        except (KeyError, TypeError):
            return reading._parse(full, entry.path)
        if article_id_for(text) != entry.id:
            return reading._parse(full, entry.path)
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
