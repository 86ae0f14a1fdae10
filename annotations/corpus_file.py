"""A corpus file as a library: JSONL, JSON, CSV/TSV or Parquet, one article a record.

* Fields are found by their common names (`FIELD_NAMES`: ``text``/``content``/``body``/``article``,
  ``title``/``headline``, ...), matched case-insensitively; ``fields={"text": "body"}`` (the CLI's
  ``--field text=body``) overrides. Every other field is kept as the article's `meta` and exported.
* Article ids stay content hashes of the cleaned text, so spans keep their articles when the
  corpus is re-exported or reordered. The record's own ``id`` is kept in `meta`.
* Opening builds, once, an index in the user cache (each record's byte offset, length, line,
  id, title, source and date), keyed by the file's size, mtime, a fingerprint of its first and
  last MB and the field mapping. Later opens read only the index; an article's text is read on
  demand by offset. JSONL is indexed in place; JSON, CSV and Parquet records are copied once, as
  JSON lines, into a side file beside the index so they can be read by offset too.
* Records are read by the same rules as article files: text is decoded and sanitised, a record
  without text is skipped with a reason, a huge or binary field is refused, and every refusal is
  one line ``FILE:LINE: reason`` while the rest load.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from .corpus import ArticleRefused, LibraryEntry, default_cache_dir
from .corpus_records import (
    CORPUS_SUFFIXES,
    FIELD_NAMES,
    MAX_FIELD_BYTES,
    FieldError,
    mapping_of,
    record_meta,
    parse_record,
    is_corpus_file,
    parse_field_overrides,
    read_records,
)
from .model import Article

__all__ = [
    "CORPUS_SUFFIXES",
    "FIELD_NAMES",
    "MAX_FIELD_BYTES",
    "CorpusFile",
    "Columns",
    "sort_orders",
    "FieldError",
    "parse_field_overrides",
    "is_corpus_file",
]

_INDEX_VERSION = 3  # 2: the list's sort orders; 3: ids found by bisecting their sorted order
_MAGIC = b"NEWSDESK-CORPUS-INDEX\n"
_REFUSED_KEPT = 1000


def _fingerprint(path: Path, size: int) -> str:
    digest = hashlib.sha256(str(size).encode())
    with open(path, "rb") as handle:
        digest.update(handle.read(1 << 20))
        if size > 2 << 20:
            handle.seek(size - (1 << 20))
            digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:32]


# ---------------------------------------------------------------------------------------------
# The index


@dataclass
class _Index:
    ids: list[str]
    titles: list[str]
    sources: list[str]
    published: array  # proleptic ordinal, 0 for none
    offsets: array
    lengths: array
    lines: array
    derived: bytearray
    refused: list[tuple[int, str]]
    refused_total: int
    mapping: dict[str, str]
    orders: dict[str, array] = field(default_factory=dict)  # sort key -> positions, see `sort_orders`


_LAST = "\U0010ffff"  # sorts after any title or source


def sort_orders(titles: list[str], sources: list[str], published: array, ids: list[str]) -> dict[str, array]:
    """Positions in the library list's orders (`tui.widgets.library_list.SORT_KEYS` but progress).

    date: newest first, undated last; title and source: casefolded, blanks last; ties keep file
    order. Computed once when the index is built, so a million articles sort at no cost on open.
    """
    count = len(titles)
    orders: dict[str, array] = {}
    date_keys = [-ordinal if ordinal else 1 << 40 for ordinal in published]
    orders["date"] = array("i", sorted(range(count), key=date_keys.__getitem__))
    del date_keys
    orders["id"] = array("i", sorted(range(count), key=ids.__getitem__))  # for `IdPositions`
    for name, column in (("title", titles), ("source", sources)):
        keys = [value.casefold() or _LAST for value in column]
        orders[name] = array("i", sorted(range(count), key=keys.__getitem__))
    return orders


def _join(strings: list[str]) -> bytes:
    return "\x00".join(strings).encode("utf-8", "surrogatepass")


def _split(data: bytes, count: int) -> list[str]:
    if count == 0:
        return []
    return data.decode("utf-8", "surrogatepass").split("\x00")


def _write_index(path: Path, header: dict[str, Any], index: _Index) -> None:
    sections = [
        ("ids", _join(index.ids)),
        ("titles", _join(index.titles)),
        ("sources", _join(index.sources)),
        ("published", index.published.tobytes()),
        ("offsets", index.offsets.tobytes()),
        ("lengths", index.lengths.tobytes()),
        ("lines", index.lines.tobytes()),
        ("derived", bytes(index.derived)),
        *((f"order-{name}", order.tobytes()) for name, order in index.orders.items()),
    ]
    header = dict(
        header,
        count=len(index.ids),
        mapping=index.mapping,
        refused=index.refused[:_REFUSED_KEPT],
        refused_total=index.refused_total,
        sections=[[name, len(data)] for name, data in sections],
    )
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".index-", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC)
            out.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
            for _, data in sections:
                out.write(data)
        os.replace(temporary, path)
        temporary = None
    except OSError:
        pass  # it is a cache: the next open builds it again
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _read_index(path: Path, key: dict[str, Any]) -> _Index | None:
    try:
        with open(path, "rb") as handle:
            if handle.readline() != _MAGIC:
                return None
            header = json.loads(handle.readline())
            if not isinstance(header, dict) or any(header.get(k) != v for k, v in key.items()):
                return None
            data = {name: handle.read(size) for name, size in header["sections"]}
        count = int(header["count"])
        ids = _split(data["ids"], count)
        arrays = {}
        for name, code in (("published", "i"), ("offsets", "q"), ("lengths", "q"), ("lines", "i")):
            values = array(code)
            values.frombytes(data[name])
            arrays[name] = values
        titles, sources = _split(data["titles"], count), _split(data["sources"], count)
        derived = bytearray(data["derived"])
        orders = {}
        for name in ("date", "title", "source", "id"):
            orders[name] = array("i")
            orders[name].frombytes(data[f"order-{name}"])
        if not (len(ids) == len(titles) == len(sources) == len(derived) == count) or any(
            len(values) != count for values in (*arrays.values(), *orders.values())
        ):
            return None
        return _Index(
            ids, titles, sources, arrays["published"], arrays["offsets"], arrays["lengths"], arrays["lines"],
            derived, [(int(a), str(b)) for a, b in header["refused"]], int(header["refused_total"]),
            dict(header["mapping"]), orders,
        )
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def _build_index(
    path: Path, overrides: Mapping[str, str], side_file: Path | None, progress: Callable[[int], None]
) -> _Index:
    """Read every record once: what the list needs, where each record is, and why any was refused."""
    ids: list[str] = []
    titles: list[str] = []
    sources: list[str] = []
    published = array("i")
    offsets = array("q")
    lengths = array("q")
    lines = array("i")
    derived = bytearray()
    refused: list[tuple[int, str]] = []
    refused_total = 0
    mapping: dict[str, str] | None = None
    side = open(side_file, "wb") if side_file is not None else None
    side_offset = 0
    intern: dict[str, str] = {}

    def refuse(line: int, reason: str) -> None:
        nonlocal refused_total
        refused_total += 1
        if len(refused) < _REFUSED_KEPT:
            refused.append((line, reason))

    try:
        for line, record, offset, length, clean in read_records(path, progress):
            if isinstance(record, Exception):
                refuse(line, str(record))
                continue
            record_mapping = mapping_of(record, overrides)
            if mapping is None and "text" in record_mapping:
                mapping = record_mapping
            try:
                parsed = parse_record(record, record_mapping, clean=clean)
            except ValueError as error:
                refuse(line, str(error))
                continue
            except Exception as error:  # a bug here must cost one record, not the library
                refuse(line, f"could not be read ({type(error).__name__}: {error}); report this")
                continue
            if side is not None:
                data = json.dumps(record, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass") + b"\n"
                side.write(data)
                offset, length = side_offset, len(data)
                side_offset += length
            ids.append(parsed.id)
            titles.append(parsed.title)
            sources.append(intern.setdefault(parsed.source, parsed.source))
            published.append(parsed.published.toordinal() if parsed.published else 0)
            offsets.append(offset)
            lengths.append(length)
            lines.append(line)
            derived.append(1 if parsed.title_derived else 0)
    finally:
        if side is not None:
            side.close()
    if len(set(ids)) != len(ids):  # a record repeating an earlier one's text (a set costs far less than a dict)
        first_line: dict[str, int] = {}
        keep: list[int] = []
        for position, article_id in enumerate(ids):
            if article_id in first_line:
                refuse(lines[position], f"has the same text as line {first_line[article_id]}; the copy was skipped")
            else:
                first_line[article_id] = lines[position]
                keep.append(position)
        del first_line
        ids, titles, sources = [ids[i] for i in keep], [titles[i] for i in keep], [sources[i] for i in keep]
        published, offsets = array("i", (published[i] for i in keep)), array("q", (offsets[i] for i in keep))
        lengths, lines = array("q", (lengths[i] for i in keep)), array("i", (lines[i] for i in keep))
        derived = bytearray(derived[i] for i in keep)
        refused.sort()
    orders = sort_orders(titles, sources, published, ids)
    return _Index(ids, titles, sources, published, offsets, lengths, lines, derived, refused, refused_total, mapping or {}, orders)


# ---------------------------------------------------------------------------------------------
# The library


class IdPositions(Mapping[str, int]):
    """Article id -> row, found by bisecting the ids' sorted order (kept in the index).

    Building a dict of a million ids costs ~0.2 s at every open; a lookup here costs ~20 string
    comparisons, and nothing is built. Without a stored order it falls back to a dict.
    """

    def __init__(self, ids: list[str], order: array | None) -> None:
        self._ids = ids
        self._order = order
        self._dict = None if order is not None else {article_id: i for i, article_id in enumerate(ids)}

    def __getitem__(self, article_id: str) -> int:
        if self._dict is not None:
            return self._dict[article_id]
        ids, order = self._ids, self._order
        at = bisect_left(order, article_id, key=ids.__getitem__)
        if at < len(order) and ids[order[at]] == article_id:
            return order[at]
        raise KeyError(article_id)

    def __contains__(self, article_id: object) -> bool:
        try:
            self[article_id]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


@dataclass(frozen=True)
class Columns:
    """What the library list needs of every article, column by column.

    `position` maps an id to its row; `orders` holds precomputed sort orders (may be empty);
    `entry(i)` builds the `LibraryEntry` of row `i` when one is needed.
    """

    ids: list[str]
    titles: list[str]
    sources: list[str]
    published: array  # date ordinals, 0 for none
    position: Mapping[str, int]
    orders: dict[str, array]
    entry: Callable[[int], LibraryEntry]


class _Entries:
    """The library entries as a sequence built on access: a million need not exist at once."""

    def __init__(self, corpus: "CorpusFile") -> None:
        self._corpus = corpus

    def __len__(self) -> int:
        return len(self._corpus._index.ids)

    def __getitem__(self, position: int) -> LibraryEntry:
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        return self._corpus._entry(position)

    def __iter__(self) -> Iterator[LibraryEntry]:
        make = self._corpus._entry
        return (make(position) for position in range(len(self)))


class CorpusFile:
    """The articles of one corpus file, listed from its index and each read on demand.

    The same reading interface as `Library`: `entries`, `refused`, `get`, `load`, `reopen`.
    """

    def __init__(self, path: Path, index: _Index, side_file: Path | None, overrides: Mapping[str, str], cache_dir: Path | None) -> None:
        self.path = path
        self.folder = path  # what the title shows and what `reopen` reads
        self.sources = (path,)
        self._index = index
        self._side_file = side_file
        self._overrides = dict(overrides)
        self._cache_dir = cache_dir
        self._position = IdPositions(index.ids, index.orders.get("id"))
        self.entries = _Entries(self)
        self.refused = [ArticleRefused(f"{path}:{line}", reason) for line, reason in index.refused]
        if index.refused_total > len(index.refused):
            self.refused.append(
                ArticleRefused(path, f"{index.refused_total - len(index.refused):,} more records were refused; fix the file and reopen")
            )

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        fields: Mapping[str, str] | None = None,
        cache_dir: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> "CorpusFile":
        """Open a corpus file, building its index on first use (``progress(bytes_read, total)``).

        Raises `ArticleRefused` naming the file when it is missing, not a file, empty or of an
        unknown kind; broken records are listed in `refused` while the rest load.
        """
        path = Path(path).expanduser()
        try:
            path = path.resolve()
        except OSError:
            pass
        if not is_corpus_file(path):
            raise ArticleRefused(path, "is not a corpus file; use .jsonl, .json, .csv, .tsv or .parquet")
        try:
            info = path.stat()
        except FileNotFoundError:
            raise ArticleRefused(path, "no such file; check the name") from None
        except OSError as error:
            raise ArticleRefused(path, f"cannot be read ({error.strerror or error}); check its permissions") from None
        if not path.is_file():
            raise ArticleRefused(path, "is not a regular file; give a corpus file or a folder")
        if info.st_size == 0:
            raise ArticleRefused(path, "is empty; add records or choose another file")
        overrides = dict(fields or {})
        try:
            fingerprint = _fingerprint(path, info.st_size)
        except OSError as error:
            raise ArticleRefused(path, f"cannot be read ({error.strerror or error}); check its permissions") from None
        base = Path(cache_dir) if cache_dir else default_cache_dir()
        stem = "corpus-" + hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        index_file = base / f"{stem}.index"
        in_place = path.suffix.lower() in (".jsonl", ".ndjson")
        side_file = None if in_place else base / f"{stem}.records.jsonl"
        key = {
            "version": _INDEX_VERSION,
            "path": str(path),
            "size": info.st_size,
            "mtime_ns": info.st_mtime_ns,
            "fingerprint": fingerprint,
            "overrides": overrides,
        }
        index = _read_index(index_file, key)
        if index is not None and side_file is not None and not side_file.is_file():
            index = None
        if index is None:
            total = info.st_size

            def tell(done: int) -> None:
                if progress is not None:
                    progress(min(done, total), total)

            tell(0)
            if side_file is not None:
                base.mkdir(parents=True, exist_ok=True)
            try:
                index = _build_index(path, overrides, side_file, tell)
            except OSError as error:
                raise ArticleRefused(path, f"cannot be read ({error.strerror or error}); check its permissions") from None
            tell(total)
            _write_index(index_file, key, index)
        return cls(path, index, side_file, overrides, cache_dir)

    def reopen(self) -> "CorpusFile":
        """The same file opened again (after it changed)."""
        return type(self).open(self.path, fields=self._overrides, cache_dir=self._cache_dir)

    def _entry(self, position: int) -> LibraryEntry:
        index = self._index
        ordinal = index.published[position]
        return LibraryEntry(
            index.ids[position], index.titles[position], index.sources[position],
            date.fromordinal(ordinal) if ordinal else None, "", self.path, index.lengths[position],
        )

    def columns(self) -> "Columns":
        """The list's fields as columns (no entry objects), for a list of a million rows."""
        index = self._index
        return Columns(index.ids, index.titles, index.sources, index.published, self._position, index.orders, self._entry)

    def get(self, article_id: str) -> LibraryEntry | None:
        """The entry with this id, or None."""
        position = self._position.get(article_id)
        return None if position is None else self._entry(position)

    def line_of(self, article_id: str) -> int | None:
        """The line (or record number) the article starts on in the corpus file."""
        position = self._position.get(article_id)
        return None if position is None else self._index.lines[position]

    def load(self, article_id: str) -> Article:
        """The article with this id, read from its record by offset.

        Raises `KeyError` for an id not in the library, `ArticleRefused` when the record can no
        longer be read or no longer holds that text (the file changed: reopen the library).
        """
        position = self._position[article_id]
        index = self._index
        line = index.lines[position]
        where = f"{self.path}:{line}"
        source = self._side_file or self.path
        try:
            with open(source, "rb") as handle:
                handle.seek(index.offsets[position])
                data = handle.read(index.lengths[position])
            record = json.loads(data)
            mapping = mapping_of(record, self._overrides)
            parsed = parse_record(record, mapping)
        except (OSError, ValueError) as error:
            raise ArticleRefused(where, f"cannot be read any more ({error}); reopen the library") from None
        if parsed.id != article_id:
            raise ArticleRefused(where, "changed since the library was opened; reopen the library")
        return Article(
            id=parsed.id,
            title=parsed.title,
            text=parsed.text,
            source=parsed.source,
            published=parsed.published,
            origin=where,
            title_derived=parsed.title_derived,
            meta=record_meta(record, mapping),
        )

    def search_texts(self, words: list[str], cancelled: Callable[[], bool] = lambda: False) -> set[str] | None:
        """Ids of the articles whose text holds every (lowercase) word, reading the file once in order.

        A record whose raw bytes lack a word (and hold no escapes that could hide it) is passed
        over without parsing. Returns None when `cancelled()` turns true.
        """
        index = self._index
        encoded = [word.encode("utf-8") for word in words]
        found: set[str] = set()
        order = sorted(range(len(index.ids)), key=index.offsets.__getitem__)
        with open(self._side_file or self.path, "rb") as handle:
            for count, position in enumerate(order):
                if count % 2048 == 0 and cancelled():
                    return None
                handle.seek(index.offsets[position])
                raw = handle.read(index.lengths[position])
                lowered = raw.lower()
                if b"\\u" not in raw and not all(word in lowered for word in encoded):
                    continue
                try:
                    record = json.loads(raw)
                    text = parse_record(record, mapping_of(record, self._overrides)).text.lower()
                except ValueError:
                    continue
                if all(word in text for word in words):
                    found.add(index.ids[position])
        return found

    @property
    def mapping(self) -> dict[str, str]:
        """Which field of the first record played each role (text, title, published, source, url, id)."""
        return dict(self._index.mapping)

    def __len__(self) -> int:
        return len(self._index.ids)

    def __iter__(self) -> Iterator[LibraryEntry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return f"CorpusFile({str(self.path)!r}, {len(self)} articles, {len(self.refused)} refused)"
