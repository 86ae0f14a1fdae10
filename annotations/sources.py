"""A library over several sources: folders and corpus files read as one (`--library a.jsonl --library pages/`).

`open_library` opens each source (a folder as `corpus.Library`, a file as
`corpus_file.CorpusFile`) and combines several into a `CombinedLibrary`. The combination works
on the sources' columns, so a million-article corpus plus a folder of feeds still opens without
building a million entry objects; an article whose text an earlier source holds is refused,
naming that source.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .corpus import ArticleRefused, Library, LibraryEntry
from .model import Article

__all__ = ["CombinedLibrary", "open_library", "columns_of"]

_LAST = "\U0010ffff"


def columns_of(part: Any) -> Any:
    """A source's `corpus_file.Columns`: its own for a corpus file, built from entries for a folder."""
    from .corpus_file import Columns, sort_orders

    own = getattr(part, "columns", None)
    if own is not None:
        return own()
    entries = list(part.entries)
    ids = [entry.id for entry in entries]
    titles = [entry.title for entry in entries]
    sources = [entry.source for entry in entries]
    published = array("i", (entry.published.toordinal() if entry.published else 0 for entry in entries))
    return Columns(
        ids, titles, sources, published, {article_id: i for i, article_id in enumerate(ids)},
        sort_orders(titles, sources, published, ids), entries.__getitem__,
    )


def _sort_key(key: str, titles: list[str], sources: list[str], published: array) -> Callable[[int], Any]:
    if key == "date":
        return lambda g: (-published[g] if published[g] else 1 << 40, g)
    column = titles if key == "title" else sources
    return lambda g: (column[g].casefold() or _LAST, g)


class _Orders(dict):
    """Sort orders of the combined rows, each merged from the sources' orders on first use."""

    def __init__(self, library: "CombinedLibrary") -> None:
        super().__init__()
        self._library = library

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key not in self and key in ("date", "title", "source"):
            self[key] = self._library._merged_order(key)
        return super().get(key, default)


class _Entries(Sequence[LibraryEntry]):
    def __init__(self, library: "CombinedLibrary") -> None:
        self._library = library

    def __len__(self) -> int:
        return len(self._library._ids)

    def __getitem__(self, position):  # type: ignore[override]
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        return self._library._entry(position)

    def __iter__(self) -> Iterator[LibraryEntry]:
        return (self._library._entry(i) for i in range(len(self)))


class CombinedLibrary:
    """Several libraries (folders, corpus files) read as one; the same interface as `Library`."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts
        self.folder = parts[0].folder
        self.refused: list[ArticleRefused] = [refusal for part in parts for refusal in part.refused]
        self._columns = [columns_of(part) for part in parts]
        # Row g of the combination is row kept[p][g - starts[p]] of part p (kept[p] None: all rows).
        self._starts: list[int] = []
        self._kept: list[array | None] = []
        first = self._columns[0]
        position: dict[str, int] = dict(first.position) if isinstance(first.position, dict) else dict(zip(first.ids, range(len(first.ids))))
        ids, titles, sources = list(first.ids), list(first.titles), list(first.sources)
        published = array("i", first.published)
        self._starts.append(0)
        self._kept.append(None)
        for part, columns in zip(parts[1:], self._columns[1:]):
            start = len(ids)
            self._starts.append(start)
            kept = array("i")
            dropped = False
            for local, article_id in enumerate(columns.ids):
                if article_id in position:
                    dropped = True
                    owner = self._owner_of(position[article_id])
                    self.refused.append(ArticleRefused(
                        columns.entry(local).path, f"has the same text as an article of {owner.folder}; it is shown once"
                    ))
                    continue
                position[article_id] = start + len(kept)
                kept.append(local)
            if dropped:
                ids.extend(columns.ids[i] for i in kept)
                titles.extend(columns.titles[i] for i in kept)
                sources.extend(columns.sources[i] for i in kept)
                published.extend(columns.published[i] for i in kept)
                self._kept.append(kept)
            else:
                ids.extend(columns.ids)
                titles.extend(columns.titles)
                sources.extend(columns.sources)
                published.extend(columns.published)
                self._kept.append(None)
        self._ids, self._titles, self._sources, self._published = ids, titles, sources, published
        self._position = position
        self._orders = _Orders(self)
        self.entries = _Entries(self)

    def _part_index(self, position: int) -> int:
        return bisect_right(self._starts, position) - 1

    def _owner_of(self, position: int) -> Any:
        return self.parts[self._part_index(position)]

    def _entry(self, position: int) -> LibraryEntry:
        p = self._part_index(position)
        local = position - self._starts[p]
        kept = self._kept[p]
        return self._columns[p].entry(local if kept is None else kept[local])

    def _merged_order(self, key: str) -> array:
        """The sources' orders merged: each small source's rows placed into the largest's by bisect."""
        sizes = [self._count(p) for p in range(len(self.parts))]
        big = max(range(len(self.parts)), key=sizes.__getitem__)
        keyof = _sort_key(key, self._titles, self._sources, self._published)
        merged = self._part_order(big, key)
        others = sorted((g for p in range(len(self.parts)) if p != big for g in self._part_order(p, key)), key=keyof)
        if not others:
            return array("i", merged)
        cuts = [bisect_left(merged, keyof(g), key=keyof) for g in others]
        result: list[int] = []
        previous = 0
        for cut, g in zip(cuts, others):
            result.extend(merged[previous:cut])
            result.append(g)
            previous = cut
        result.extend(merged[previous:])
        return array("i", result)

    def _count(self, p: int) -> int:
        end = self._starts[p + 1] if p + 1 < len(self._starts) else len(self._ids)
        return end - self._starts[p]

    def _part_order(self, p: int, key: str) -> list[int]:
        """Part `p`'s rows in `key` order, as combined positions."""
        start, kept = self._starts[p], self._kept[p]
        own = self._columns[p].orders.get(key)
        if own is not None and kept is None:
            return [start + local for local in own]
        keyof = _sort_key(key, self._titles, self._sources, self._published)
        return sorted(range(start, start + self._count(p)), key=keyof)

    # -- the Library interface -----------------------------------------------------------
    def columns(self) -> Any:
        """The combined rows as columns (`corpus_file.Columns`), for the library list."""
        from .corpus_file import Columns

        return Columns(self._ids, self._titles, self._sources, self._published, self._position, self._orders, self._entry)

    @property
    def sources(self) -> tuple[Path, ...]:
        """Every folder and file read, in the order given."""
        return tuple(source for part in self.parts for source in part.sources)

    def reopen(self) -> "CombinedLibrary":
        """Every source read again."""
        return type(self)([part.reopen() for part in self.parts])

    def get(self, article_id: str) -> LibraryEntry | None:
        """The entry with this id, or None."""
        position = self._position.get(article_id)
        return None if position is None else self._entry(position)

    def load(self, article_id: str) -> Article:
        """The article with this id, from the source holding it (`KeyError` when none does)."""
        return self._owner_of(self._position[article_id]).load(article_id)

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[LibraryEntry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return f"CombinedLibrary({len(self.parts)} sources, {len(self)} articles, {len(self.refused)} refused)"


def open_library(
    sources: "Sequence[Path | str] | Path | str",
    *,
    fields: "dict[str, str] | None" = None,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """A library over one or more folders and corpus files (`annotations.corpus_file`).

    One folder gives a `Library`, one corpus file a `CorpusFile`, several a `CombinedLibrary`.
    `fields` overrides which record field plays each role in corpus files. Raises
    `ArticleRefused` naming the first source that cannot be opened at all.
    """
    if isinstance(sources, (str, Path)):
        sources = [sources]
    parts: list[Any] = []
    for source in sources:
        path = Path(source).expanduser()
        if path.is_dir():
            parts.append(Library.open(path, cache_dir, progress=progress))
            continue
        from .corpus_file import CorpusFile, is_corpus_file

        if is_corpus_file(path) or path.is_file():
            parts.append(CorpusFile.open(path, fields=fields, cache_dir=cache_dir, progress=progress))
        elif not path.exists():
            raise ArticleRefused(path, "no such folder or file; give a folder of articles or a corpus file")
        else:
            raise ArticleRefused(path, "is neither a folder nor a corpus file (.jsonl, .json, .csv, .tsv, .parquet)")
    if not parts:
        raise ArticleRefused(".", "no library given; pass --library with a folder or a corpus file")
    return parts[0] if len(parts) == 1 else CombinedLibrary(parts)
