"""The library list's rows: `LibraryRow`, the progress filter `RowFilter`, sort keys, haystacks,
and `ColumnRows`, the rows over a corpus index's columns, built only when drawn.

`LibraryRow` is one article as the list shows it. `RowFilter` and `PROGRESS_FILTERS` say which
rows pass by their progress; `SORT_KEYS` and `_SORT_FUNCTIONS` are the orders `o` cycles through;
`_haystack` is what the text filter searches in a row.

A million `LibraryRow`s (and their entries) cost seconds and hundreds of MB before the first
paint. `ColumnRows` holds the corpus's columns instead: a row object exists only for the rows
on screen and for the articles that carry annotations (`overrides`). It also hands the list
its id map, its precomputed sort orders and, on the first filter keystroke, its haystacks, so
`LibraryList` never walks a million row objects.

Nothing here imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.annotations.corpus import LibraryEntry
    from newsdesk.annotations.corpus_file import Columns

__all__ = ["ColumnRows", "LibraryRow", "RowFilter", "PROGRESS_FILTERS", "SORT_KEYS"]

SORT_KEYS: tuple[str, ...] = ("date", "title", "source", "progress")
"""The sort orders `o` cycles through, in order."""

# C0/C1 controls would reach the terminal raw (FIELD-NOTES): whitespace becomes a space, the rest
# U+FFFD. Titles should arrive clean from the corpus; this is the widget's own guard.
_CONTROL_TABLE = {c: "\ufffd" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_CONTROL_TABLE.update({0x09: " ", 0x0A: " ", 0x0D: " "})


@dataclass(frozen=True)
class LibraryRow:
    """One article as the library list shows it: its entry plus how far its annotation got."""

    entry: LibraryEntry
    spans: int = 0
    topics: tuple[str, ...] = ()
    """Topics used in the article's spans."""
    done: bool = False

    @property
    def id(self) -> str:
        """The article id (`entry.id`)."""
        return self.entry.id


@dataclass(frozen=True)
class RowFilter:
    """Which rows the library shows by their progress: done or not, with spans or without, by topic.

    None means "either". Applied after the text filter; cheap (a few attribute reads a row).
    """

    done: bool | None = None
    has_spans: bool | None = None
    topic: str | None = None

    @property
    def active(self) -> bool:
        """Whether it hides anything at all."""
        return self.done is not None or self.has_spans is not None or self.topic is not None

    def matches(self, row: LibraryRow) -> bool:
        """Whether `row` passes."""
        if self.done is not None and row.done != self.done:
            return False
        if self.has_spans is not None and (row.spans > 0) != self.has_spans:
            return False
        return self.topic is None or self.topic in row.topics

    def passes_unannotated(self) -> bool:
        """Whether an article with no spans, no topics and not done passes."""
        return self.done is not True and self.has_spans is not True and self.topic is None

    def describe(self) -> str:
        """`not done · topic energy`, or '' when inactive."""
        parts = []
        if self.done is not None:
            parts.append("done" if self.done else "not done")
        if self.has_spans is not None:
            parts.append("with spans" if self.has_spans else "without spans")
        if self.topic is not None:
            parts.append(f"topic {_clean(self.topic)}")
        return " · ".join(parts)


PROGRESS_FILTERS: tuple[tuple[bool | None, bool | None], ...] = (
    (None, None), (False, None), (True, None), (None, True), (None, False),
)
"""(done, has_spans) in the order `f` cycles: all, not done, done, with spans, without spans."""


def _clean(text: str) -> str:
    return text.translate(_CONTROL_TABLE)


# Sort keys, ascending, as plain ints/strings (they sort faster than tuples); `sorted` is stable,
# so ties keep the order `set_rows` was given.
_LAST = "\U0010ffff"  # sorts after any title or source


def _date_key(row: LibraryRow) -> int:
    published = row.entry.published
    return 1 << 40 if published is None else -published.toordinal()  # newest first, undated last


def _title_key(row: LibraryRow) -> str:
    return row.entry.title.casefold() or _LAST  # untitled last


def _source_key(row: LibraryRow) -> str:
    return row.entry.source.casefold() or _LAST  # articles without a source last


def _progress_key(row: LibraryRow) -> int:
    # Most annotated first: done, then more spans, then more topics.
    return -((int(row.done) << 50) + (min(row.spans, 1 << 30) << 16) + min(len(row.topics), 0xFFFF))


_SORT_FUNCTIONS: dict[str, Callable[[LibraryRow], object]] = {
    "date": _date_key,
    "title": _title_key,
    "source": _source_key,
    "progress": _progress_key,
}


def _haystack(row: LibraryRow) -> str:
    entry = row.entry
    if row.topics:
        return f"{entry.title}\n{entry.source}\n{chr(10).join(row.topics)}".casefold()
    return f"{entry.title}\n{entry.source}".casefold()



class ColumnRows(Sequence[LibraryRow]):
    """Rows of a library given as columns; `overrides` are the rows with annotations, by position."""

    def __init__(self, columns: "Columns", overrides: dict[int, LibraryRow] | None = None) -> None:
        self.columns = columns
        self.overrides = dict(overrides or {})

    def __len__(self) -> int:
        return len(self.columns.ids)

    def __getitem__(self, position):  # type: ignore[override]
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        row = self.overrides.get(position)
        if row is None:
            if position < 0:
                position += len(self)
            row = LibraryRow(self.columns.entry(position))
        return row

    def __setitem__(self, position: int, row: LibraryRow) -> None:
        self.overrides[position] = row

    def __iter__(self) -> Iterator[LibraryRow]:
        return (self[i] for i in range(len(self)))

    # -- what LibraryList asks for instead of walking the rows ---------------------------
    def ids(self) -> list[str]:
        """Every row's article id, in row order."""
        return self.columns.ids

    def index_by_id(self) -> dict[str, int]:
        """Article id -> row (the corpus's own map: nothing is built)."""
        return self.columns.position

    def order(self, key: str) -> list[int] | None:
        """A precomputed sort order (date, title, source), or None to sort the rows."""
        order = self.columns.orders.get(key)
        return None if order is None else order.tolist()

    def haystacks(self) -> list[str]:
        """What the filter searches in each row: title, source and (for annotated rows) topics."""
        titles, sources = self.columns.titles, self.columns.sources
        stacks = [f"{title}\n{source}".casefold() for title, source in zip(titles, sources)]
        for position, row in self.overrides.items():
            if row.topics:
                stacks[position] = f"{titles[position]}\n{sources[position]}\n{chr(10).join(row.topics)}".casefold()
        return stacks
