"""Checking the fields of an imported record: every reader's one way to say a value is wrong.

Each helper returns the value in the form newsdesk keeps, or raises `ValueError` with a short
reason that names the field and what it holds ("span 2: \"start\" must be a whole number, not
a string"). The import turns that into one line, `FILE:LINE: reason`, and refuses the file.
A label is cleaned like every name newsdesk stores (escape sequences and controls removed,
whitespace folded); one that is empty after cleaning is refused rather than stored nameless.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from newsdesk.annotations.model import clean_label

__all__ = [
    "kind",
    "clean_name",
    "clean_note",
    "offset",
    "labelled_range",
    "optional_str",
    "optional_bool",
    "label",
    "labels",
    "mapping",
    "list_of",
    "MAY_HOLD_SURROGATE",
    "surrogate_in",
]

# A lone surrogate can only enter a parsed file through a JSON `\uD800`-style escape (UTF-8
# cannot encode one), so a file without such an escape needs no deeper look.
MAY_HOLD_SURROGATE = re.compile(r"\\u[dD][89abAB]|\\u[dD][c-fC-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def kind(value: Any) -> str:
    """What a JSON value is, as a person would say it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def offset(value: Any, field: str) -> int:
    """A character offset: a JSON integer (not true/false, not 1.5, not "3")."""
    if type(value) is not int:
        raise ValueError(f'"{field}" must be a whole number, not {kind(value)}')
    return value


def optional_str(obj: Mapping[str, Any], key: str, where: str = "") -> str:
    """`obj[key]` when it is a string, "" when it is missing or null; anything else is refused."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f'{where}"{key}" must be a string, not {kind(value)}')
    return value


def optional_bool(obj: Mapping[str, Any], key: str, where: str = "") -> bool | None:
    """`obj[key]` when it is true or false, None when missing or null; anything else is refused."""
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f'{where}"{key}" must be true or false, not {kind(value)}')


def clean_name(value: str) -> str:
    """`clean_label(value)`, answered without the regex when nothing would change."""
    if not value or (value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " "):
        return value
    return clean_label(value)


def clean_note(value: str) -> str:
    """`clean_label(value, keep_newlines=True)`, answered without the regex when nothing would change."""
    if not value or value.isprintable():
        return value
    return clean_label(value, keep_newlines=True)


def label(value: Any, where: str) -> str:
    """A topic name: a string that still names something once cleaned of controls and escapes."""
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a string, not {kind(value)}")
    if value and value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " ":
        return value  # nothing clean_label would change (the common case, checked at C speed)
    name = clean_label(value)
    if not name:
        raise ValueError(f"{where} is empty or only control characters: give every topic a name")
    return name


def labels(value: Any, where: str) -> tuple[str, ...]:
    """A list of topic names (each checked by `label`), in order, without repeats."""
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list of topic names, not {kind(value)}")
    names: dict[str, None] = {}
    for index, item in enumerate(value):
        names[label(item, f"{where} item {index}")] = None
    return tuple(names)


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    """A JSON object."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be an object, not {kind(value)}")
    return value


def labelled_range(raw: Any, where: str, start_key: str, end_key: str) -> tuple[int, int, str]:
    """(start, end, label) of a span object such as `{"start", "end", "label"}`; ValueError names `where`."""
    item = mapping(raw, where)
    try:
        start = offset(item.get(start_key), start_key)
        end = offset(item.get(end_key), end_key)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    return start, end, label(item.get("label"), f'{where} "label"')


def list_of(obj: Mapping[str, Any], key: str, where: str = "") -> list[Any]:
    """`obj[key]` as a list: [] when missing or null; anything else is refused."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f'{where}"{key}" must be a list, not {kind(value)}')
    return value


def surrogate_in(value: Any, path: str = "") -> str | None:
    """Where in a parsed JSON value a lone surrogate sits (e.g. `"spans" item 0 "note"`), or None."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return where or "a string"
        elif isinstance(item, Mapping):
            for key, child in item.items():
                if _SURROGATE.search(key):
                    return f"{where} key".strip()
                stack.append((child, f'{where} "{key}"'.strip()))
        elif isinstance(item, list):
            stack.extend((child, f"{where} item {i}".strip()) for i, child in enumerate(item))
    return None
