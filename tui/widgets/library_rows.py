"""`ColumnRows`: the library list's rows over a corpus index's columns, built only when drawn.

A million `LibraryRow`s (and their entries) cost seconds and hundreds of MB before the first
paint. This sequence holds the corpus's columns instead: a row object exists only for the rows
on screen and for the articles that carry annotations (`overrides`). It also hands the list
its id map, its precomputed sort orders and, on the first filter keystroke, its haystacks, so
`LibraryList` never walks a million row objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Sequence

from .library_list import LibraryRow

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.annotations.corpus_file import Columns

__all__ = ["ColumnRows"]


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
