"""The records of a corpus file: which field plays which role, and each format's reader.

* Fields are found by their common names (`FIELD_NAMES`), case-insensitively, per record (the
  records of one file may differ); overrides (``--field text=body``) win.
* A record is read by the rules of an article file: its text is sanitised, a record without text
  is refused with a reason, a huge or binary field is refused. Readers yield
  ``(line, record or ValueError, byte offset, byte length, clean)``; JSON, CSV and Parquet records
  have no offset of their own (0, 0); `clean` is true when the raw bytes show nothing to sanitise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from .refusal import ArticleRefused
from .model import article_id_for, clean_label

__all__ = [
    "CORPUS_SUFFIXES",
    "FIELD_NAMES",
    "MAX_FIELD_BYTES",
    "FieldError",
    "parse_field_overrides",
    "is_corpus_file",
    "read_records",
]

CORPUS_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet"})
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article"),
    "title": ("title", "headline"),
    "published": ("date", "published", "publish_date"),
    "source": ("source", "site", "outlet"),
    "url": ("url", "link"),
    "id": ("id",),
}
"""Each role an article field can play, and the record keys (any case) that fill it, first wins."""
ROLES = tuple(FIELD_NAMES)
MAX_FIELD_BYTES = 16 * 1024 * 1024
"""A record field (its text above all) larger than this is refused, not loaded."""
MAX_META_CHARS = 2000
class FieldError(ValueError):
    """A `--field` override that cannot be used; str() is one line for people."""


def is_corpus_file(path: Path) -> bool:
    """True when `path` names a corpus file by its suffix (it need not exist)."""
    return path.suffix.lower() in CORPUS_SUFFIXES


def parse_field_overrides(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["text=body", "title=headline"]`` as ``{"text": "body", ...}``; `FieldError` on a bad pair."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        role, sep, key = pair.partition("=")
        role, key = role.strip().lower(), key.strip()
        if role == "date":
            role = "published"
        if not sep or not key:
            raise FieldError(f"--field {pair!r} must look like ROLE=NAME, e.g. --field text=body")
        if role not in FIELD_NAMES:
            raise FieldError(f"--field {pair!r}: {role!r} is not one of {', '.join(ROLES)}")
        overrides[role] = key
    return overrides


# ---------------------------------------------------------------------------------------------
# One record


def _mapping_for(keys: Mapping[str, None], overrides: Mapping[str, str]) -> dict[str, str]:
    """Which record key plays each role, from the keys seen and the overrides."""
    lower = {}
    for key in keys:
        lower.setdefault(key.lower(), key)
    mapping: dict[str, str] = {}
    for role, names in FIELD_NAMES.items():
        if role in overrides:
            mapping[role] = overrides[role]
            continue
        for name in names:
            if name in lower:
                mapping[role] = lower[name]
                break
    return mapping


_MAPPINGS: dict[tuple[Any, ...], dict[str, str]] = {}


def mapping_of(record: Any, overrides: Mapping[str, str]) -> dict[str, str]:
    """The role mapping for this record's own keys (records of one file may differ), cached."""
    if not isinstance(record, dict):
        return {}
    key = (tuple(record), tuple(sorted(overrides.items())))
    mapping = _MAPPINGS.get(key)
    if mapping is None:
        if len(_MAPPINGS) > 4096:
            _MAPPINGS.clear()
        mapping = _MAPPINGS[key] = _mapping_for(dict.fromkeys(record), overrides)
    return mapping


# The characters `text.sanitise` changes (its own check, in `re`: 30x faster than `regex` here).
_MAYBE_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _binary(value: str) -> bool:
    """Many NUL or control characters: binary data, not text (a few strays are sanitised away)."""
    head = value[:8192]
    if _CONTROL.search(head) is None:
        return False
    return len(_CONTROL.findall(head)) > max(16, len(head) // 10)


def _field_text(value: Any, role: str, *, one_line: bool = False, clean: bool = False) -> str:
    """A record value as cleaned text (sanitised; folded onto one line for titles and sources);
    `ValueError` (the reason) when it cannot be article text."""
    if value is None:
        return ""
    if type(value) is not str:
        if isinstance(value, bytes):
            raise ValueError(f"the {role} field holds binary data; store text")
        if isinstance(value, (int, float)) and role != "text":
            value = str(value)
        elif isinstance(value, str):
            value = str(value)
        else:
            raise ValueError(f"the {role} field is {type(value).__name__}, not text")
    if len(value) > MAX_FIELD_BYTES:
        raise ValueError(f"the {role} field is {len(value) / 1024 / 1024:.0f} MB, over the 16 MB limit")
    if not clean and _MAYBE_UNSAFE.search(value) is not None:
        if _binary(value):
            raise ValueError(f"the {role} field looks like binary data (many control characters)")
        from .text import sanitise

        value = sanitise(value)
    # Sanitised text holds no escape or control but newline and tab, so this is `clean_label`.
    return " ".join(value.split()) if one_line else value


def _published(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    words = str(value).strip()
    if len(words) >= 10 and words[4] == "-" and words[7] == "-":
        try:
            return date.fromisoformat(words[:10])
        except ValueError:
            pass
    from .reading import _parse_date  # only for dates that are not ISO

    return _parse_date(words)


def _derived_title(text: str) -> str:
    """The first line of the text, cut at a word boundary to 90 characters (cheap: no sentence rules)."""
    first = " ".join(text.lstrip()[:300].split("\n", 1)[0].split())
    if len(first) <= 90:
        return first.rstrip(".") if first.endswith(".") and not first.endswith("..") else first
    cut = first[:89]
    space = cut.rfind(" ")
    if space > 30:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def _meta_value(value: Any) -> str:
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = str(value)
    text = clean_label(text)
    return text if len(text) <= MAX_META_CHARS else text[: MAX_META_CHARS - 1] + "…"


@dataclass(frozen=True)
class ParsedRecord:
    """What one record holds as an article: the cleaned text and what the list shows."""

    id: str
    title: str
    text: str
    source: str
    published: date | None
    title_derived: bool


def raw_json_is_clean(raw: bytes) -> bool:
    """True when a JSON text cannot decode to anything `text.sanitise` would change.

    JSON forbids raw control characters in strings, so they come only from escapes (``\\u``,
    ``\\r``, ``\\b``, ``\\f``); DEL and the C1 controls (UTF-8 ``\\xc2\\x80``-``\\x9f``) may stand
    raw. Checking the bytes for those is ~20x faster than scanning the decoded text.
    """
    return not (b"\\u" in raw or b"\\r" in raw or b"\\b" in raw or b"\\f" in raw or b"\xc2" in raw or b"\x7f" in raw)


def parse_record(record: Any, mapping: Mapping[str, str], *, clean: bool = False) -> "ParsedRecord":
    """The article a record holds; `ValueError` with a one-line reason when it holds none.

    `clean` says the record is known to hold nothing to sanitise (see `raw_json_is_clean`).
    """
    if not isinstance(record, dict):
        raise ValueError(f"the record is a JSON {type(record).__name__}, not an object")
    key = mapping.get("text")
    if key is not None and key not in record and key not in FIELD_NAMES["text"]:
        raise ValueError(f"the record has no {key!r} field for the text; check --field text=NAME")
    if key is None or key not in record:
        raise ValueError(
            "the record has no text field (looked for " + "/".join(FIELD_NAMES["text"]) + "); "
            "name it with --field text=NAME"
        )
    text = _field_text(record[key], "text", clean=clean).strip()
    if not text:
        raise ValueError(f"the text field {key!r} is empty; the record was skipped")
    title_key = mapping.get("title")
    title = _field_text(record.get(title_key), "title", one_line=True, clean=clean) if title_key else ""
    title_derived = not title
    if title_derived:
        title = _derived_title(text) or "Untitled"
    source_key = mapping.get("source")
    source = _field_text(record.get(source_key), "source", one_line=True, clean=clean) if source_key else ""
    date_key = mapping.get("published")
    published = _published(record.get(date_key)) if date_key else None
    return ParsedRecord(article_id_for(text), title[:300], text, source[:200], published, title_derived)


def record_meta(record: dict[str, Any], mapping: Mapping[str, str]) -> dict[str, str]:
    """The record's other fields (url, its own id, author...) as one-line text, for `Article.meta`."""
    used = {mapping[role] for role in ("text", "title", "source", "published") if role in mapping}
    return {clean_label(key)[:100]: _meta_value(value) for key, value in record.items() if key not in used and value is not None}


# ---------------------------------------------------------------------------------------------
# Reading the records of each format: (line, record or exception, offset, length, clean)


def _jsonl_records(path: Path, progress: Callable[[int], None]) -> Iterator[tuple[int, Any, int, int, bool]]:
    offset = 0
    with open(path, "rb") as handle:
        for line_number, line in enumerate(handle, 1):
            length = len(line)
            if line_number % 4096 == 0:
                progress(offset)
            stripped = line.strip()
            if stripped:
                if length > MAX_FIELD_BYTES * 2:
                    yield line_number, ValueError("the record is over the 32 MB limit"), offset, length, False
                else:
                    try:
                        record = json.loads(stripped)
                        yield line_number, record, offset, length, raw_json_is_clean(stripped)
                    except ValueError as error:
                        yield line_number, ValueError(f"not valid JSON ({_json_reason(error)})"), offset, length, False
            offset += length


def _json_reason(error: ValueError) -> str:
    return getattr(error, "msg", None) or str(error).split(":")[0]


MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024
"""JSON and CSV files are read whole; past this size they are refused (JSONL has no limit)."""


def _decoded(path: Path) -> str:
    from .text import decode

    size = path.stat().st_size
    if size > MAX_WHOLE_FILE_BYTES:
        raise ArticleRefused(
            path, f"is {size / 1024 / 1024:.0f} MB; JSON and CSV files are read whole, so past 512 MB "
            "convert it to JSONL (one record a line)"
        )
    with open(path, "rb") as handle:
        data = handle.read()
    return decode(data).lstrip("\ufeff")


def _json_records(path: Path, progress: Callable[[int], None]) -> Iterator[tuple[int, Any, int, int, bool]]:
    """A JSON list of records, or ``{"data": [...]}``; records' lines come from the text."""
    text = _decoded(path)
    decoder = json.JSONDecoder()
    position = len(text) - len(text.lstrip())
    if text.startswith("{", position):
        try:
            whole = json.loads(text)
        except ValueError as error:
            line = text.count("\n", 0, getattr(error, "pos", 0)) + 1
            yield line, ValueError(f"not valid JSON ({_json_reason(error)})"), 0, 0, False
            return
        data = whole.get("data") if isinstance(whole, dict) else None
        if not isinstance(data, list):
            yield 1, ValueError('a JSON object needs a "data" list of records (or give a JSON list)'), 0, 0, False
            return
        for number, record in enumerate(data, 1):
            yield number, record, 0, 0, False
        return
    if not text.startswith("[", position):
        yield 1, ValueError("a JSON corpus must be a list of records or {\"data\": [...]}"), 0, 0, False
        return
    position += 1
    line = 1 + text.count("\n", 0, position)
    counted_to = position
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            yield line, ValueError("the JSON list is not closed with ]"), 0, 0, False
            return
        if text[position] == "]":
            return
        line += text.count("\n", counted_to, position)
        counted_to = position
        try:
            record, end = decoder.raw_decode(text, position)
        except ValueError as error:
            at = getattr(error, "pos", position)
            yield line + text.count("\n", position, at), ValueError(f"not valid JSON ({_json_reason(error)}); the rest of the file was not read"), 0, 0, False
            return
        yield line, record, 0, 0, False
        position = end
        if line % 512 == 0:
            progress(end)


def _csv_records(path: Path, progress: Callable[[int], None], delimiter: str) -> Iterator[tuple[int, Any, int, int, bool]]:
    import csv
    import io

    csv.field_size_limit(MAX_FIELD_BYTES * 2)
    text = _decoded(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        yield 1, ValueError(f"not valid CSV ({error})"), 0, 0, False
        return
    header = [name.strip() for name in header]
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, ValueError(f"not valid CSV ({error}); the rest of the file was not read"), 0, 0, False
            return
        if row:
            if len(row) > len(header):
                yield start, ValueError(f"the row has {len(row)} fields but the header names {len(header)}"), 0, 0, False
            else:
                yield start, dict(zip(header, row)), 0, 0, False
        start = reader.line_num + 1


def _parquet_records(path: Path, progress: Callable[[int], None]) -> Iterator[tuple[int, Any, int, int, bool]]:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise ArticleRefused(path, "reading Parquet needs pyarrow; pip install 'newsdesk[parquet]'") from None
    try:
        source = parquet.ParquetFile(path)
    except Exception as error:
        raise ArticleRefused(path, f"is not a readable Parquet file ({type(error).__name__}); check the file") from None
    number = 0
    for batch in source.iter_batches(batch_size=4096):
        for record in batch.to_pylist():
            number += 1
            yield number, record, 0, 0, False
        progress(int(path.stat().st_size * number / max(1, source.metadata.num_rows)))


def read_records(path: Path, progress: Callable[[int], None]) -> Iterator[tuple[int, Any, int, int, bool]]:
    """Every record of a corpus file, by its suffix; `progress(bytes_read)` now and then."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_records(path, progress)
    if suffix == ".json":
        return _json_records(path, progress)
    if suffix in (".csv", ".tsv"):
        return _csv_records(path, progress, "\t" if suffix == ".tsv" else ",")
    return _parquet_records(path, progress)
