"""The documents newsdesk stores, and the check every one of them passes when a database opens.

A span, topic, document-topics or done document that is the wrong shape (a span without
`topics`, `start: "zero"`, a topic `key: "seven"`, a colour that is not one) would otherwise
fail much later, in the middle of drawing a screen or writing an export, and a writer would then
compact the damaged file. `check_table` finds such a document on open so the store can refuse
the file, naming it and the record.

The check runs over every document at every open (100,000 spans and more), so the common case
is a handful of passes in C over the whole table (`map`, `chain`, list comparisons): the keys
and the value types of every document at once, then the offsets and the topic names. Only when one of
those fails does a per-document pass run, to name the first bad record and what is wrong with
it; that pass is also where the shapes older or hand-edited files may have (fields in another
order, optional fields left out) are accepted.
"""

from __future__ import annotations

import re
from itertools import chain
from operator import itemgetter, le
from typing import Any

__all__ = ["Damaged", "COLOUR", "check_table", "check_document", "is_doc_id"]

# A topic's colour: what both rich styles and Textual's Color.parse read the same way.
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")


class Damaged(Exception):
    """What is wrong with a stored document or file, to be reported as StoreCorrupt."""


# The field that names a document in each of newsdesk's tables (its natural key).
KEY_FIELD: dict[str, str] = {"spans": "id", "topics": "name", "doc_topics": "article_id", "articles": "article_id"}

_NONE = type(None)
# The layouts newsdesk itself writes (`to_dict` order) of the tables that grow with the data, and
# the types of their values: a table all in this form needs no per-document look.
_LAYOUTS: dict[str, tuple[tuple[str, ...], tuple[type, ...]]] = {
    "spans": (
        ("id", "article_id", "start", "end", "text", "topics", "note", "annotator", "created", "updated"),
        (str, str, int, int, str, list, str, str, str, str),
    ),
    "doc_topics": (("article_id", "topics", "annotator", "updated"), (str, list, str, str)),
    "articles": (("article_id", "done"), (str, bool)),
}


def is_doc_id(raw: object) -> bool:
    """Whether `raw` is a TinyDB document id as JSON keys hold them: "1", "2", ... (no "01")."""
    return isinstance(raw, str) and raw.isascii() and raw.isdigit() and raw[0] != "0"


def _ids_look_right(table: dict[str, Any]) -> bool:
    joined = "".join(table)
    return joined.isascii() and joined.isdigit() and all(table) and "0" not in set(map(itemgetter(0), table))


def _looks_right(name: str, table: dict[str, Any]) -> bool:
    """The fast path: True when every document of `table` is in newsdesk's own layout and valid.

    About 1.4 us a span (0.4x what parsing its JSON costs), all of it in C loops.
    """
    if not table:
        return True
    if not _ids_look_right(table):
        return False
    docs = list(table.values())
    if set(map(type, docs)) != {dict}:
        return False
    layout, types = _LAYOUTS[name]
    count = len(docs)
    # Every document's keys, then every value's type, in one flat list each: C comparisons.
    if list(chain.from_iterable(docs)) != list(layout) * count:
        return False
    if list(map(type, chain.from_iterable(map(dict.values, docs)))) != list(types) * count:
        return False
    if name == "spans":
        starts = list(map(itemgetter("start"), docs))
        if min(starts) < 0 or not all(map(le, starts, map(itemgetter("end"), docs))):
            return False
    if name in ("spans", "doc_topics"):
        if not set(map(type, chain.from_iterable(map(itemgetter("topics"), docs)))) <= {str}:
            return False
    return True


def check_table(name: str, table: dict[str, Any]) -> None:
    """Raise `Damaged` naming the first bad document of newsdesk's table `name`, if there is one."""
    if name in _LAYOUTS and _looks_right(name, table):
        return
    for raw_id, doc in table.items():
        check_document(name, raw_id, doc)


def _shown(value: object) -> str:
    text = repr(value)  # repr escapes control characters, so a damaged value cannot reach the terminal
    return text if len(text) <= 40 else text[:37] + "..."


_SPAN_LAYOUT, _SPAN_TYPES = _LAYOUTS["spans"]


def _span_looks_right(doc: dict[str, Any]) -> bool:
    return (
        tuple(doc) == _SPAN_LAYOUT
        and tuple(map(type, doc.values())) == _SPAN_TYPES
        and 0 <= doc["start"] <= doc["end"]
        and all(type(topic) is str for topic in doc["topics"])
    )


def check_document(name: str, raw_id: object, doc: object) -> None:
    """Raise `Damaged` saying what is wrong with document `raw_id` of table `name`, if anything."""
    if not is_doc_id(raw_id):
        raise Damaged(f"table {name!r} has a bad document id {_shown(raw_id)}")
    if name == "spans" and type(doc) is dict and _span_looks_right(doc):
        return  # the common case (every record of a journal is checked one by one)
    where = f"document {raw_id} of table {name!r}"
    if not isinstance(doc, dict):
        raise Damaged(f"{where} is not an object")
    key_field = KEY_FIELD.get(name)
    if key_field is None:
        return  # not one of newsdesk's tables: kept as it is
    key = doc.get(key_field)
    if type(key) is not str:
        raise Damaged(f"{where} has no {key_field!r}")
    where = f"{where} ({key_field} {_shown(key)})"

    def field(field_name: str, kinds: tuple[type, ...], what: str, *, required: bool = True) -> Any:
        if field_name not in doc:
            if required:
                raise Damaged(f"{where} has no {field_name!r}")
            return None
        value = doc[field_name]
        if type(value) not in kinds:
            raise Damaged(f"{where} has {field_name} {_shown(value)}, not {what}")
        return value

    def names(field_name: str, *, required: bool) -> None:
        values = field(field_name, (list,), "a list of names", required=required)
        for value in values or ():
            if type(value) is not str:
                raise Damaged(f"{where} has {_shown(value)} among its {field_name}, not a name")

    if name == "spans":
        field("article_id", (str,), "a text")
        start = field("start", (int,), "a whole number")
        end = field("end", (int,), "a whole number")
        if start < 0 or end < start:
            raise Damaged(f"{where} has offsets {start}..{end}, out of order")
        names("topics", required=True)
        for text_field in ("text", "note", "annotator", "created", "updated"):
            field(text_field, (str,), "a text")
    elif name == "topics":
        key_number = field("key", (int, _NONE), "1-9 or null", required=False)
        if key_number is not None and not 1 <= key_number <= 9:
            raise Damaged(f"{where} has key {key_number}, not 1-9 or null")
        colour = field("colour", (str, _NONE), "a colour like #4c78a8", required=False)
        if colour and not COLOUR.match(colour):
            raise Damaged(f"{where} has colour {_shown(colour)}, not a colour like #4c78a8")
        field("description", (str, _NONE), "a text", required=False)
    elif name == "doc_topics":
        names("topics", required=False)
        field("annotator", (str, _NONE), "a text", required=False)
        field("updated", (str, _NONE), "a text", required=False)
    elif name == "articles":
        field("done", (bool,), "true or false", required=False)
