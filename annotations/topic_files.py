"""A project's own topic set from a file (`newsdesk --topics FILE`, `NEWSDESK_TOPICS`).

Three shapes are read:

- TOML: ``[[topic]]`` (or ``[[topics]]``) tables, or ``topics = [...]`` of names or tables;
- JSON: a list of names or of objects, or ``{"topics": [...]}``;
- anything else: plain text, one label a line (Prodigy's ``--label`` file); blank lines and
  lines starting with ``#`` are skipped.

A table/object has ``name`` (or ``label``/``text``), and optionally ``key`` (1-9), ``colour``
(or ``color``, ``#rrggbb``) and ``description``. Every error is one line naming the file and
the line. `adopt_topic_set` then makes the store's topics that set: keys 1-9 go to its topics,
the default taxonomy is never mixed in, and no span or note is ever lost (a topic not in the
file that spans still carry stays, without a key).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .model import Topic
from .store import DEFAULT_TOPICS, Store
from .topics import TopicRefused, check_name, next_colour, parse_colour, parse_key, usage_by_topic

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["TopicFileError", "TopicSpec", "read_topic_file", "adopt_topic_set", "AdoptReport", "new_project_topics"]


class TopicFileError(Exception):
    """A topics file that cannot be used; one line naming the file, the line and what to do."""


@dataclass(frozen=True)
class TopicSpec:
    """One topic as the file gives it; fields the file leaves out are None."""

    name: str
    key: int | None = None
    colour: str | None = None
    description: str | None = None
    line: int = 0


@dataclass(frozen=True)
class AdoptReport:
    """What adopting a topic set changed."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept_unkeyed: tuple[str, ...] = ()
    """Topics not in the file that spans still carry: kept, without a key."""
    changed: bool = False

    def summary(self, path: Path) -> str:
        """One line for a person, or '' when nothing changed."""
        if not self.changed:
            return ""
        line = f"topics from {path.name}: {len(self.added)} added, {len(self.removed)} removed"
        if self.kept_unkeyed:
            line += f"; kept without a key because spans carry them: {', '.join(self.kept_unkeyed)}"
        return line


def read_topic_file(path: str | Path) -> list[TopicSpec]:
    """The topics listed in `path`, checked; `TopicFileError` (file and line) when it cannot be used."""
    path = Path(path).expanduser()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TopicFileError(f"{path}: no such topics file; give the path of a .toml, .json or .txt list of topics") from None
    except OSError as error:
        raise TopicFileError(f"{path}: cannot read the topics file ({error.strerror}); check the file") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TopicFileError(f"{path} line {line}: not UTF-8 text; save the topics file as UTF-8") from None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        entries = _toml_entries(path, text)
    elif suffix == ".json":
        entries = _json_entries(path, text)
    else:
        entries = _text_entries(text)
    specs = [_spec(path, raw, line) for raw, line in entries]
    if not specs:
        raise TopicFileError(f"{path}: lists no topics; put one topic name a line")
    _check_set(path, specs)
    return specs


def _text_entries(text: str) -> list[tuple[Any, int]]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            entries.append((stripped, number))
    return entries


def _line_of(text: str, name: object, after: int = 0) -> int:
    """The first line (after line `after`) that mentions `name`, or 0 when it cannot be found."""
    if not isinstance(name, str) or not name:
        return 0
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and name in line:
            return number
    return 0


def _toml_entries(path: Path, text: str) -> list[tuple[Any, int]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        if found:
            where = f" line {found.group(1)}"
        else:  # "at end of document"
            where = f" line {max(1, len(text.splitlines()))}"
        reason = str(error).split(" (at ")[0]
        raise TopicFileError(f"{path}{where}: not valid TOML ({reason}); fix the topics file") from None
    items = data.get("topic", data.get("topics"))
    if not isinstance(items, list):
        raise TopicFileError(f"{path} line 1: no topics; write [[topic]] tables with name = \"...\", or topics = [\"...\"]")
    entries = []
    last = 0
    for item in items:
        name = item.get("name", item.get("label")) if isinstance(item, dict) else item
        line = _line_of(text, name, last) or last
        last = line
        entries.append((item, line))
    return entries


def _json_entries(path: Path, text: str) -> list[tuple[Any, int]]:
    decoder = json.JSONDecoder()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TopicFileError(f"{path} line {error.lineno}: not valid JSON ({error.msg}); fix the topics file") from None
    if isinstance(data, dict) and isinstance(data.get("topics"), list):
        start = text.index("[", text.index('"topics"'))
    elif isinstance(data, list):
        start = text.index("[")
    else:
        raise TopicFileError(f"{path} line 1: expected a list of topics, e.g. [\"diplomacy\", \"energy\"]")
    # Walk the list with raw_decode so each entry knows its line.
    entries = []
    position = start + 1
    for _ in range(len(data if isinstance(data, list) else data["topics"])):
        while text[position] in " \t\r\n,":
            position += 1
        item, end = decoder.raw_decode(text, position)
        entries.append((item, text.count("\n", 0, position) + 1))
        position = end
    return entries


def _spec(path: Path, raw: Any, line: int) -> TopicSpec:
    where = f"{path} line {line}" if line else str(path)
    if isinstance(raw, str):
        fields: dict[str, Any] = {"name": raw}
    elif isinstance(raw, dict):
        fields = raw
    else:
        raise TopicFileError(f"{where}: a topic is a name or a table with a name, not {type(raw).__name__}")
    name = fields.get("name", fields.get("label", fields.get("text")))
    if not isinstance(name, str):
        raise TopicFileError(f"{where}: this topic has no name; give it name = \"...\"")
    unknown = set(fields) - {"name", "label", "text", "key", "colour", "color", "description"}
    if unknown:
        raise TopicFileError(f"{where}: unknown field {sorted(unknown)[0]!r}; use name, key, colour and description")
    try:
        clean = check_name(name)
        key = parse_key(fields["key"]) if fields.get("key") is not None else None
        colour_value = fields.get("colour", fields.get("color"))
        colour = parse_colour(str(colour_value)) if colour_value is not None else None
    except TopicRefused as refusal:
        raise TopicFileError(f"{where}: {refusal}") from None
    description = fields.get("description")
    if description is not None and not isinstance(description, str):
        raise TopicFileError(f"{where}: a description is text in quotes")
    return TopicSpec(clean, key, colour, " ".join(description.split()) if description else None, line)


def _check_set(path: Path, specs: list[TopicSpec]) -> None:
    names: dict[str, TopicSpec] = {}
    keys: dict[int, TopicSpec] = {}
    for spec in specs:
        where = f"{path} line {spec.line}" if spec.line else str(path)
        first = names.get(spec.name.casefold())
        if first is not None:
            also = f" (as on line {first.line})" if first.line else ""
            raise TopicFileError(f"{where}: '{spec.name}' is listed twice{also}; keep one")
        names[spec.name.casefold()] = spec
        if spec.key is not None:
            holder = keys.get(spec.key)
            if holder is not None:
                raise TopicFileError(f"{where}: key {spec.key} is already '{holder.name}''s; give each key once")
            keys[spec.key] = spec


def _keys_for(specs: list[TopicSpec], stored: dict[str, Topic]) -> dict[str, int | None]:
    """Keys 1-9 for the file's topics: the file's own; else kept as stored when the stored keys
    already belong to this set (a person re-keyed them); else in file order."""
    if any(spec.key is not None for spec in specs):
        given = {spec.name: spec.key for spec in specs if spec.key is not None}
        free = iter(k for k in range(1, 10) if k not in given.values())
        return {spec.name: given[spec.name] if spec.name in given else next(free, None) for spec in specs}
    names = {spec.name for spec in specs}
    keyed = {name for name, topic in stored.items() if topic.key is not None}
    wanted = {spec.name for spec in specs[:9]}
    if keyed and keyed <= names and len(keyed) == len(wanted) and all(name in stored for name in names):
        return {spec.name: stored[spec.name].key for spec in specs}
    return {spec.name: (index + 1 if index < 9 else None) for index, spec in enumerate(specs)}


def new_project_topics(specs: list[TopicSpec]) -> list[Topic]:
    """The topics a new database started from `specs` holds (keys, colours assigned as `adopt_topic_set` does)."""
    keys = _keys_for(specs, {})
    colours = [spec.colour for spec in specs if spec.colour]
    topics = []
    for spec in specs:
        colour = spec.colour or next_colour(colours)
        colours.append(colour)
        topics.append(Topic(spec.name, keys[spec.name], colour, spec.description or ""))
    return topics


def adopt_topic_set(store: Store, specs: list[TopicSpec]) -> AdoptReport:
    """Make the store's topics the file's set, in one write (none when it already is).

    Topics of the file get their keys (1-9) and keep what the file does not say (colour,
    description) from the store; new ones get distinct colours. Default-taxonomy topics and
    any other topic not in the file are removed when nothing carries them, else kept without
    a key. Spans are never touched.
    """
    stored = {topic.name: topic for topic in store.topics()}
    keys = _keys_for(specs, stored)
    in_file = {spec.name for spec in specs}
    used = usage_by_topic(store)
    default_names = {topic.name for topic in DEFAULT_TOPICS}
    puts: list[Topic] = []
    removed: list[str] = []
    kept: list[str] = []
    colours: list[str] = []
    for name, topic in stored.items():
        if name in in_file:
            continue
        if name in used or name not in default_names:
            if name in used and name in default_names:
                kept.append(name)
            if topic.key is not None:
                puts.append(replace(topic, key=None))
            colours.append(topic.colour)
        else:
            removed.append(name)
    for spec in specs:
        old = stored.get(spec.name)
        if spec.colour:
            colour = spec.colour
        elif old is not None:
            colour = old.colour
        else:
            colour = next_colour(colours + [s.colour for s in specs if s.colour])
        colours.append(colour)
        description = spec.description if spec.description is not None else (old.description if old else "")
        topic = Topic(spec.name, keys[spec.name], colour, description)
        if topic != old:
            puts.append(topic)
    added = tuple(spec.name for spec in specs if spec.name not in stored)
    changed = bool(puts or removed)
    if changed:
        store.write_batch(put=puts, delete_topics=removed)
    return AdoptReport(added, tuple(removed), tuple(kept), changed)
