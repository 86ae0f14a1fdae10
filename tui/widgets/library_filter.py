"""`LibraryFilter`: which library rows are shown, in which order — the list's state that is not drawing.

It holds the rows, their id map, haystacks and lazily built sort orders, the text filter (words
plus full-text `text_matches`) and the progress `RowFilter`, and keeps `visible`, the row indexes
shown in display order. The work per keystroke is a list comprehension over precomputed
lowercase haystacks; typing that narrows the query filters the previous result again.

Plain and Textual-free: `LibraryList` owns the cursor, marks and drawing and calls `refilter`.
"""

from __future__ import annotations

from bisect import insort
from typing import Sequence

from .library_rows import _SORT_FUNCTIONS, SORT_KEYS, LibraryRow, RowFilter, _haystack

__all__ = ["LibraryFilter"]


class _VisibleIds(Sequence[str]):
    """The shown rows' ids in display order, without copying a million of them (J/K asks often)."""

    def __init__(self, visible: list[int], ids: Sequence[str], index_by_id) -> None:
        self._visible, self._ids, self._index_by_id = visible, ids, index_by_id

    def __len__(self) -> int:
        return len(self._visible)

    def __getitem__(self, position):  # type: ignore[override]
        if isinstance(position, slice):
            return [self._ids[i] for i in self._visible[position]]
        return self._ids[self._visible[position]]

    def __contains__(self, article_id: object) -> bool:
        index = self._index_by_id.get(article_id)
        return index is not None and index in self._visible

    def index(self, article_id: str, *args: int) -> int:  # type: ignore[override]
        index = self._index_by_id.get(article_id)
        if index is None:
            raise ValueError(article_id)
        return self._visible.index(index, *args)


def _is_columns(rows: object) -> bool:
    """Rows given as a corpus's columns (`library_rows.ColumnRows`): ids, orders and haystacks
    come from them, and a row object is built only when one is drawn."""
    return hasattr(rows, "haystacks") and hasattr(rows, "index_by_id")


class LibraryFilter:
    """The library's rows with their sort order, text filter and progress filter applied.

    `visible` (row indexes, in order) is brought up to date by `refilter`; the setters only
    record what changed.
    """

    def __init__(self, sort_key: str = "date") -> None:
        if sort_key not in SORT_KEYS:
            raise ValueError(f"sort_key must be one of {', '.join(SORT_KEYS)}, not {sort_key!r}")
        self.sort_key = sort_key
        self.rows: Sequence[LibraryRow] = []
        self.index_by_id: dict[str, int] = {}
        self._haystacks: list[str] | None = []  # None until the first filter when rows are columns
        self.generation: list[int] = []  # bumped by update_row so cached strips go stale
        self._next_generation = 1
        self._orders: dict[str, list[int]] = {}  # sort key -> row indexes, built lazily
        self.visible: list[int] = []  # row indexes shown, in order (may be an _orders list)
        self.row_filter = RowFilter()
        self.done_count = 0
        self.query = ""
        self.words: tuple[str, ...] = ()
        self._text_matches: frozenset[str] | None = None
        self._word_cache: tuple[str, tuple[str, ...], list[int]] | None = None

    def set_sort_key(self, key: str) -> None:
        """Order by `key` (one of `SORT_KEYS`) from the next `refilter`."""
        if key not in SORT_KEYS:
            raise ValueError(f"sort_key must be one of {', '.join(SORT_KEYS)}, not {key!r}")
        self.sort_key = key
        self._word_cache = None

    def set_rows(self, rows: Sequence[LibraryRow]) -> None:
        """Replace every row (a sequence of `LibraryRow`s or a `ColumnRows`)."""
        if _is_columns(rows):  # a corpus index: no row objects until drawn
            self.rows = rows
            self.index_by_id = rows.index_by_id()  # type: ignore[attr-defined]
            self._haystacks = None
            self.done_count = sum(1 for row in rows.overrides.values() if row.done)  # type: ignore[attr-defined]
        else:
            self.rows = list(rows)
            self.index_by_id = {row.entry.id: index for index, row in enumerate(self.rows)}
            self._haystacks = [_haystack(row) for row in self.rows]
            self.done_count = sum(1 for row in self.rows if row.done)
        self.generation = [0] * len(self.rows)
        self._orders.clear()
        self._word_cache = None

    def update_row(self, row: LibraryRow) -> tuple[bool, bool]:
        """Replace the row with the same article id; returns (needs a refilter, moved in the order).

        Finding the row is O(1); it moves in the order if its sort key changed.
        Raises KeyError when no row has this id.
        """
        index = self.index_by_id[row.entry.id]
        old = self.rows[index]
        moved = False
        for key, order in self._orders.items():
            sort_function = _SORT_FUNCTIONS[key]
            if sort_function(old) != sort_function(row):
                order.remove(index)
                rows = self.rows
                rows[index] = row  # type: ignore[index]
                insort(order, index, key=lambda i: (sort_function(rows[i]), i))
                moved = moved or key == self.sort_key
        if moved:
            self._word_cache = None
        self.rows[index] = row  # type: ignore[index]
        self.done_count += int(row.done) - int(old.done)
        haystack = _haystack(row)
        haystacks = self._all_haystacks()
        changed_match = haystack != haystacks[index]
        haystacks[index] = haystack
        self.generation[index] = self._next_generation
        self._next_generation += 1
        if changed_match:
            self._word_cache = None
        needs_refilter = (
            (moved and self.visible is not self._orders.get(self.sort_key))
            or (changed_match and bool(self.words))
            or (self.row_filter.active and self.row_filter.matches(old) != self.row_filter.matches(row))
        )
        return needs_refilter, moved

    def set_query(self, query: str, text_matches: set[str] | None = None) -> None:
        """Keep rows whose title, source or topics contain every word of `query`
        (case-insensitive), plus rows whose id is in `text_matches`."""
        self.query = query
        self.words = tuple(query.casefold().split())
        self._text_matches = frozenset(text_matches) if text_matches else None
        if not self.words:
            self._word_cache = None  # the next query starts from all rows anyway

    def hidden_not_done(self) -> int:
        """How many articles not done the filters hide (O(rows))."""
        if len(self.visible) == len(self.rows):
            return 0
        rows = self.rows
        shown = sum(1 for index in self.visible if not rows[index].done)
        return (len(rows) - self.done_count) - shown

    def visible_ids(self) -> Sequence[str]:
        """The ids of the visible rows, in display order (a list; over a corpus's columns a view
        that copies nothing)."""
        rows = self.rows
        if _is_columns(rows):
            return _VisibleIds(self.visible, rows.ids(), self.index_by_id)  # type: ignore[attr-defined]
        return [rows[index].entry.id for index in self.visible]

    def get_row(self, article_id: str) -> LibraryRow | None:
        """The row with this article id, or None."""
        index = self.index_by_id.get(article_id)
        return None if index is None else self.rows[index]

    def refilter(self) -> list[int]:
        """Rebuild `visible` from sort, filters and text matches, and return it."""
        order = self._order(self.sort_key)
        if not self.words:
            visible = order
        else:
            visible = self._word_matches(order)
            extra = self._text_matches
            if extra:
                index_by_id = self.index_by_id
                wanted = {index_by_id[i] for i in extra if i in index_by_id}
                wanted.update(visible)
                if len(wanted) != len(visible):
                    visible = [index for index in order if index in wanted]
        row_filter = self.row_filter
        if row_filter.active:
            rows = self.rows
            if _is_columns(rows):  # rows without annotations are all alike: decide for them once
                overrides, plain = rows.overrides, row_filter.passes_unannotated()  # type: ignore[attr-defined]
                visible = [i for i in visible if (row_filter.matches(overrides[i]) if i in overrides else plain)]
            else:
                visible = [index for index in visible if row_filter.matches(rows[index])]
        self.visible = visible
        return visible

    def _order(self, key: str) -> list[int]:
        order = self._orders.get(key)
        if order is None:
            order = self.rows.order(key) if _is_columns(self.rows) else None  # type: ignore[attr-defined]
            if order is None:
                sort_function = _SORT_FUNCTIONS[key]
                keys = [sort_function(row) for row in self.rows]
                order = sorted(range(len(keys)), key=keys.__getitem__)
            self._orders[key] = order
        return order

    def _word_matches(self, order: list[int]) -> list[int]:
        """Indexes (in `order`) of rows containing every filter word.

        Typing usually narrows the query (each old word is part of a new one), so the previous
        result is filtered again instead of all rows.
        """
        words = self.words
        source = order
        cache = self._word_cache
        if cache is not None and cache[0] == self.sort_key:
            old_words = cache[1]
            if all(any(old in new for new in words) for old in old_words):
                if old_words == words:
                    return cache[2]
                source = cache[2]
        haystacks = self._all_haystacks()
        result = source
        for word in words:
            result = [index for index in result if word in haystacks[index]]
        self._word_cache = (self.sort_key, words, result)
        return result

    def _all_haystacks(self) -> list[str]:
        """What the filter searches, row by row (built on first use for a corpus's columns)."""
        if self._haystacks is None:
            self._haystacks = self.rows.haystacks()  # type: ignore[attr-defined]
        return self._haystacks
