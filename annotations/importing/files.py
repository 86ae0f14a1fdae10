"""Reading an import file into `IncomingArticle`s, in one pass, refusing bad input in one line.

The format is told from the content, record by record:

    newsdesk json    {"format": "newsdesk", "version": 1, "articles": [ARTICLE, ...]}
    newsdesk jsonl   one ARTICLE a line, each with "format": "newsdesk"
    Prodigy JSONL    one task a line ("text", "spans", "_input_hash"/"tokens")
    doccano JSONL    one example a line ("text", "label" or "entities")
    Label Studio     a JSON list of tasks ("data", "annotations", "predictions"), as its JSON
                     export and newsdesk's `--format label-studio` write, or JSON-MIN rows

A JSON list of records of any of these kinds is read item by item, and so is one record alone,
pretty-printed over many lines. Every field newsdesk reads is checked for its type and value
(`annotations.formats.checks`); the first fault refuses the whole file as
`ImportRefused`, whose text is `FILE:LINE: reason`. So are text that is not UTF-8, JSON that
does not parse, nesting too deep or a number too long for Python to read, and a lone surrogate
(an unpaired `\\ud800` escape) anywhere, which could not be stored or exported.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from newsdesk.annotations.formats import checks, doccano, label_studio, newsdesk, prodigy
from newsdesk.annotations.formats.record import IncomingArticle

__all__ = ["ImportRefused", "RecordFile", "read_records", "FORMAT_NAMES"]

FORMAT_NAMES = {"newsdesk": "newsdesk", "prodigy": "Prodigy", "doccano": "doccano", "label-studio": "Label Studio"}

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_KNOWN = 'use newsdesk JSON/JSONL, Prodigy JSONL, doccano JSONL or a Label Studio JSON export'


class ImportRefused(Exception):
    """A file that cannot be imported; `str()` is one line, `FILE:LINE: reason` (or `FILE: reason`)."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = " ".join(reason.split())
        self.where = f"line {line}" if line else ""
        super().__init__(f"{path}:{line}: {self.reason}" if line else f"{path}: {self.reason}")


def _record(obj: Any, line: int) -> IncomingArticle:
    """One record of any known format; ValueError names what is wrong with it."""
    if newsdesk.is_newsdesk(obj):
        return newsdesk.read_article(obj, line)
    if label_studio.is_label_studio(obj):
        return label_studio.read_task(obj, line)
    if prodigy.is_prodigy(obj):
        return prodigy.read_task(obj, line)
    if doccano.is_doccano(obj):
        return doccano.read_example(obj, line)
    if isinstance(obj, dict):
        raise ValueError(f'not a newsdesk, Prodigy, doccano or Label Studio record (expected "text" and spans): {_KNOWN}')
    raise ValueError(f"a record must be a JSON object, not {checks.kind(obj)}")


class _Reader:
    """The state of reading one file: its text, where lines start, and what was read."""

    def __init__(self, path: Path, content: str) -> None:
        self.path = path
        self.content = content
        self.surrogates = checks.MAY_HOLD_SURROGATE.search(content) is not None
        self._line_at = (0, 1)  # (offset, line number there): lines are counted forwards, once
        self.end = 0  # where the last list or object walked ends

    def line_of(self, pos: int) -> int:
        at, line = self._line_at
        if pos < at:
            at, line = 0, 1
        line += self.content.count("\n", at, pos)
        self._line_at = (pos, line)
        return line

    def refuse(self, line: int | None, reason: str) -> ImportRefused:
        return ImportRefused(self.path, line, reason)

    def decode(self, pos: int) -> tuple[Any, int]:
        """The JSON value starting at `pos` and where it ends; refuses what does not parse."""
        try:
            return _DECODER.raw_decode(self.content, pos)
        except json.JSONDecodeError as error:
            raise self.refuse(error.lineno, f"not JSON ({error.msg} at column {error.colno})") from None
        except RecursionError:
            raise self.refuse(self.line_of(pos), "JSON nested too deeply to be a record") from None
        except ValueError as error:  # a number with more digits than Python reads (4,300)
            raise self.refuse(self.line_of(pos), f"a number too long to read ({error})") from None

    def check(self, obj: Any, line: int, place: str) -> IncomingArticle:
        """`obj` read as a record, or the file refused at `line`."""
        prefix = f"{place}: " if place else ""
        if self.surrogates:
            where = checks.surrogate_in(obj)
            if where is not None:
                raise self.refuse(
                    line, f"{prefix}{where} holds a lone surrogate (an unpaired \\ud800-\\udfff escape), "
                    "which is not text: fix the program that wrote the file"
                )
        try:
            record = _record(obj, line)
        except ValueError as error:
            raise self.refuse(line, f"{prefix}{error}") from None
        except RecursionError:
            raise self.refuse(line, f"{prefix}nested too deeply to be a record") from None
        record.place = place
        return record

    def list_items(self, pos: int) -> Iterator[tuple[int, Any]]:
        """(offset, value) of each item of the JSON list starting at `pos` (its `[`)."""
        content = self.content
        pos = _WS.match(content, pos + 1).end()
        if content.startswith("]", pos):
            self.end = pos + 1
            return
        while True:
            start = pos
            value, pos = self.decode(pos)
            yield start, value
            pos = _WS.match(content, pos).end()
            if content.startswith(",", pos):
                pos = _WS.match(content, pos + 1).end()
                continue
            if content.startswith("]", pos):
                self.end = pos + 1
                return
            raise self.refuse(self.line_of(pos), "not JSON (expected ',' or ']' between the items of a list)")

    def object_members(self, pos: int) -> Iterator[tuple[str, int, Any]]:
        """(key, offset, value) of each member of the JSON object at `pos`; a list value under
        "articles" is not decoded (its items are read one by one by the caller)."""
        content = self.content
        pos = _WS.match(content, pos + 1).end()
        if content.startswith("}", pos):
            self.end = pos + 1
            return
        while True:
            key, pos = self.decode(pos)
            if not isinstance(key, str):
                raise self.refuse(self.line_of(pos), "not JSON (an object's keys are strings)")
            pos = _WS.match(content, pos).end()
            if not content.startswith(":", pos):
                raise self.refuse(self.line_of(pos), "not JSON (expected ':' after a key)")
            pos = _WS.match(content, pos + 1).end()
            if key == "articles" and content.startswith("[", pos):
                self.end = pos
                yield key, pos, None  # the caller walks the list, leaving self.end after it
                pos = self.end
            else:
                start = pos
                value, pos = self.decode(pos)
                yield key, start, value
            pos = _WS.match(content, pos).end()
            if content.startswith(",", pos):
                pos = _WS.match(content, pos + 1).end()
                continue
            if content.startswith("}", pos):
                self.end = pos + 1
                return
            raise self.refuse(self.line_of(pos), "not JSON (expected ',' or '}' between an object's members)")

    def rest_is_blank(self) -> None:
        tail = _WS.match(self.content, self.end).end()
        if tail < len(self.content):
            raise self.refuse(
                self.line_of(tail), "more JSON after the end of the file's first value: put one record on each line (JSONL)"
            )


_NOT_JSON = object()


def _first_line(content: str, start: int) -> Any:
    """The first line parsed as JSON, or `_NOT_JSON` (then the file is one value over many lines)."""
    end = content.find("\n", start)
    first = content[start : end if end != -1 else len(content)].strip()
    try:
        return json.loads(first)
    except (ValueError, RecursionError):
        return _NOT_JSON


class RecordFile:
    """The records of one import file, read as they are iterated: JSONL a line at a time (so a
    large file is never held whole), one JSON value (a list, newsdesk's container, one record
    over many lines) parsed whole. `format` names what was read once iteration has finished.
    Iterating raises `ImportRefused` at the first fault."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.kinds: Counter[str] = Counter()
        self.container = "jsonl"

    @property
    def format(self) -> str:
        """The detected format: "newsdesk jsonl", "prodigy", "doccano + prodigy", "empty"..."""
        if not self.kinds:
            return "empty"
        if self.container == "newsdesk json":
            return "newsdesk json"
        name = " + ".join(sorted(self.kinds))
        return f"newsdesk {self.container}" if name == "newsdesk" else name

    def _open(self):
        try:
            return open(self.path, "rb")
        except OSError as error:
            raise ImportRefused(self.path, None, f"cannot read the file: {error.strerror or error}") from None

    def __iter__(self) -> Iterator[IncomingArticle]:
        with self._open() as handle:
            try:
                head = handle.read(65536)
            except OSError as error:
                raise ImportRefused(self.path, None, f"cannot read the file: {error.strerror or error}") from None
            stripped = head.lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
            first = stripped[:1]
            whole = first == b"["
            if first == b"{":
                line = stripped.split(b"\n", 1)[0] if b"\n" in stripped else stripped + handle.readline()
                parsed = _first_line(line.decode("utf-8-sig", "replace"), 0)
                whole = parsed is _NOT_JSON or (newsdesk.is_newsdesk(parsed) and "articles" in parsed)
            handle.seek(0)
            if whole:
                yield from self._whole(handle)
            else:
                yield from self._lines(handle)

    def _whole(self, handle) -> Iterator[IncomingArticle]:
        try:
            data = handle.read()
        except OSError as error:
            raise ImportRefused(self.path, None, f"cannot read the file: {error.strerror or error}") from None
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportRefused(
                self.path, None, f"not UTF-8 text (byte {error.start}): export the file as UTF-8 JSON"
            ) from None
        del data
        reader = _Reader(self.path, content)
        start = _WS.match(content).end()
        if content[start] == "[":
            self.container = "json"
            for index, (pos, obj) in enumerate(reader.list_items(start), 1):
                if not isinstance(obj, dict):
                    raise reader.refuse(
                        reader.line_of(pos), f"item {index} of the JSON list is {checks.kind(obj)}, not a record: {_KNOWN}"
                    )
                yield self._seen(reader.check(obj, reader.line_of(pos), f"item {index}"))
            reader.rest_is_blank()
            return
        for record in _read_object(reader, start, self):
            yield self._seen(record)

    def _seen(self, record: IncomingArticle) -> IncomingArticle:
        self.kinds[record.format] += 1
        return record

    def _lines(self, handle) -> Iterator[IncomingArticle]:
        """JSONL: one record a line (blank lines allowed), read and checked a line at a time."""
        decode = _DECODER.decode
        reader = _Reader(self.path, "")
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            except UnicodeDecodeError as error:
                raise reader.refuse(
                    number, f"not UTF-8 text (byte {error.start} of the line): export the file as UTF-8 JSON"
                ) from None
            if not line:
                continue
            try:
                obj = decode(line)
            except json.JSONDecodeError as error:
                raise reader.refuse(number, f"not JSON ({error.msg} at column {error.colno})") from None
            except RecursionError:
                raise reader.refuse(number, "JSON nested too deeply to be a record") from None
            except ValueError as error:
                raise reader.refuse(number, f"a number too long to read ({error})") from None
            reader.surrogates = checks.MAY_HOLD_SURROGATE.search(line) is not None
            yield self._seen(reader.check(obj, number, ""))


def read_records(path: Path) -> tuple[str, list[IncomingArticle]]:
    """The detected format name and the records of `path`; raises `ImportRefused` on bad input."""
    source = RecordFile(path)
    records = list(source)
    return source.format, records


def _read_object(reader: _Reader, start: int, source: RecordFile) -> Iterator[IncomingArticle]:
    """A file holding one JSON object: newsdesk's json container, or one record over many lines."""
    members: dict[str, Any] = {}
    container = False
    for key, pos, value in reader.object_members(start):
        if value is None and key == "articles":
            if members.get("format") != newsdesk.FORMAT:
                value, reader.end = reader.decode(pos)  # not newsdesk's container: an ordinary member
                members[key] = value
                continue
            if members.get("version", newsdesk.VERSION) != newsdesk.VERSION:
                raise reader.refuse(None, f"newsdesk format version {members.get('version')!r} is not supported")
            container = True
            source.container = "newsdesk json"
            for index, (item_pos, obj) in enumerate(reader.list_items(pos), 1):
                if not isinstance(obj, dict):
                    raise reader.refuse(reader.line_of(item_pos), f"article {index}: must be an object, not {checks.kind(obj)}")
                obj.setdefault("format", newsdesk.FORMAT)
                yield reader.check(obj, reader.line_of(item_pos), f"article {index}")
            continue
        members[key] = value
    reader.rest_is_blank()
    if container and members.get("version", newsdesk.VERSION) != newsdesk.VERSION:
        raise reader.refuse(None, f"newsdesk format version {members.get('version')!r} is not supported")
    if container:
        return
    if members.get("format") == newsdesk.FORMAT and "articles" in members:
        raise reader.refuse(None, f'"articles" must be a list, not {checks.kind(members["articles"])}')
    if members.get("format") == newsdesk.FORMAT and "text" not in members and "version" in members:
        version = members["version"]
        if version != newsdesk.VERSION:
            raise reader.refuse(None, f"newsdesk format version {version!r} is not supported")
    source.container = "json"
    yield reader.check(members, reader.line_of(start), "")
