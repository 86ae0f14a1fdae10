"""`LibraryList`: the library as one line-API list that stays instant at 100,000 articles.

Why a `ScrollView` and not `OptionList`/`DataTable`: those measure every row before the first
paint (8.5 s and 13.3 s at 100k rows, see FIELD-NOTES). Here only the rows on screen are ever
rendered (`render_line`), each into a `Strip` kept in an `LRUCache`, as Toolong does; the rest of
the work per keystroke is a list comprehension over precomputed lowercase haystacks.

Line 0 of the widget is a fixed header (column names, sort arrow); rows start on line 1, so row
`i` of the visible list is drawn on screen line `i - scroll_y + 1`, and `virtual_size.height` is
the number of visible rows plus one.

Titles, sources, topics and the filter text are data: they become `Segment`s and are never
parsed as markup.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, ClassVar, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from . import bidi

if TYPE_CHECKING:  # the widget only reads id, title, source and published
    from newsdesk.annotations.corpus import LibraryEntry

__all__ = ["LibraryList", "LibraryRow", "RowFilter", "PROGRESS_FILTERS", "SORT_KEYS"]

SORT_KEYS: tuple[str, ...] = ("date", "title", "source", "progress")
"""The sort orders `o` cycles through, in order."""

# C0/C1 controls would reach the terminal raw (FIELD-NOTES): whitespace becomes a space, the rest
# U+FFFD. Titles should arrive clean from the corpus; this is the widget's own guard.
_CONTROL_TABLE = {c: "\ufffd" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_CONTROL_TABLE.update({0x09: " ", 0x0A: " ", 0x0D: " "})

_DATE_WIDTH = 10  # YYYY-MM-DD
_MARK_WIDTH = 2  # "● "


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


def _fit(text: str, width: int) -> str:
    """`text` padded or cut to exactly `width` cells; a cut ends in `…`."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, width - 1) + "…"


def _fit_visual(text: str, width: int) -> str:
    """`_fit` for a title that may be right-to-left: cut in reading order, then drawn in visual order.

    The cut keeps the title's start (the right of an Arabic or Hebrew title, its `…` on the left);
    the padding goes after reordering so it stays on the right of the column.
    """
    if width <= 0:
        return ""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return _fit(bidi.visual_text(text), width)


def _fit_right(text: str, width: int) -> str:
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return " " * (width - length) + text
    return set_cell_size(text, width - 1) + "…"


def _date_text(row: LibraryRow) -> str:
    published = row.entry.published
    if published is None:
        return "—"
    # isoformat() would add a time to a datetime; strftime pads years < 1000 differently by platform.
    return f"{published.year:04d}-{published.month:02d}-{published.day:02d}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _progress_text(row: LibraryRow, width: int) -> str:
    """`12 spans · 3 topics ✓`, shortened to `12 sp · 3 tp ✓` or less when the column is narrow."""
    tick = " ✓" if row.done else ""
    if width < 6 or (not row.spans and not row.topics):
        return tick.strip()
    forms = (
        f"{_plural(row.spans, 'span')} · {_plural(len(row.topics), 'topic')}{tick}",
        f"{row.spans} sp · {len(row.topics)} tp{tick}",
        f"{row.spans}·{len(row.topics)}{tick}",
    )
    for form in forms:
        if cell_len(form) <= width:
            return form
    return forms[-1]


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


@dataclass(frozen=True)
class _Layout:
    """Column widths for one widget width; gaps are folded into the following column's start."""

    width: int
    date: int
    source: int
    title: int
    progress: int

    @staticmethod
    @lru_cache(maxsize=32)
    def for_width(width: int) -> "_Layout":
        rest = width - _MARK_WIDTH
        if width >= 100:
            source, progress = min(24, width // 6), 22
        elif width >= 60:
            source, progress = max(8, width // 7), 16
        elif width >= 40:
            source, progress = 0, 2  # just the ✓
        else:
            source, progress = 0, 0
        date = _DATE_WIDTH if width >= 30 else 0
        used = sum(column + 2 for column in (date, source, progress) if column)
        title = max(0, rest - used)
        return _Layout(width, date, source, title, progress)


class LibraryList(ScrollView, can_focus=True):
    """The library: one row per article, sortable, filterable, markable, at any size.

    Feed it with `set_rows`; it posts `Highlighted`, `ArticleChosen`, `MarksChanged` and
    `SortChanged`. It never reads files or the database itself.
    """

    ALLOW_SELECT = False  # double-click opens; it must not select text

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("space", "toggle_mark", "Mark", id="library.mark"),
        Binding("o", "cycle_sort", "Sort", id="library.sort"),
        Binding("j,down", "cursor_down", "Next article", show=False, id="library.down"),
        Binding("k,up", "cursor_up", "Previous article", show=False, id="library.up"),
        Binding("g,home", "cursor_first", "First article", show=False, id="library.first"),
        Binding("G,end", "cursor_last", "Last article", show=False, id="library.last"),
        Binding("pageup", "cursor_page_up", "Page up", show=False, id="library.page_up"),
        Binding("pagedown", "cursor_page_down", "Page down", show=False, id="library.page_down"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "library-list--header",
        "library-list--cursor",
        "library-list--cursor-blurred",
        "library-list--meta",
        "library-list--mark",
        "library-list--done",
        "library-list--hint",
    }

    DEFAULT_CSS = """
    LibraryList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
        & > .library-list--header {
            text-style: bold;
            color: $text-muted;
            background: $panel;
        }
        & > .library-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .library-list--cursor-blurred {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .library-list--meta {
            color: $text-muted;
        }
        & > .library-list--mark {
            color: $accent;
            text-style: bold;
        }
        & > .library-list--done {
            color: $text-success;
            text-style: bold;
        }
        & > .library-list--hint {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    class Highlighted(Message):
        """The highlighted article changed (`entry` is None when the list shows nothing)."""

        def __init__(self, library_list: "LibraryList", entry: "LibraryEntry | None") -> None:
            super().__init__()
            self.list = library_list
            self.entry = entry

        @property
        def control(self) -> "LibraryList":
            return self.list

    class ArticleChosen(Message):
        """The user opened an article (enter, or a click on the highlighted row)."""

        def __init__(self, library_list: "LibraryList", entry: "LibraryEntry") -> None:
            super().__init__()
            self.list = library_list
            self.entry = entry

        @property
        def control(self) -> "LibraryList":
            return self.list

    class MarksChanged(Message):
        """The set of marked articles changed; `marked_ids` are in the order they were marked."""

        def __init__(self, library_list: "LibraryList", marked_ids: tuple[str, ...]) -> None:
            super().__init__()
            self.list = library_list
            self.marked_ids = marked_ids

        @property
        def ids(self) -> tuple[str, ...]:
            """Alias of `marked_ids`."""
            return self.marked_ids

        @property
        def control(self) -> "LibraryList":
            return self.list

    class SortChanged(Message):
        """The sort order changed to `key` (one of `SORT_KEYS`)."""

        def __init__(self, library_list: "LibraryList", key: str) -> None:
            super().__init__()
            self.list = library_list
            self.key = key

        @property
        def control(self) -> "LibraryList":
            return self.list

    def __init__(
        self,
        rows: Sequence[LibraryRow] = (),
        *,
        sort_key: str = "date",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if sort_key not in SORT_KEYS:
            raise ValueError(f"sort_key must be one of {', '.join(SORT_KEYS)}, not {sort_key!r}")
        self._sort_key = sort_key
        self._rows: list[LibraryRow] = []
        self._index_by_id: dict[str, int] = {}
        self._haystacks: list[str] | None = []  # None until the first filter when rows are columns
        self._generation: list[int] = []  # bumped by update_row so cached strips go stale
        self._next_generation = 1
        self._orders: dict[str, list[int]] = {}  # sort key -> row indexes, built lazily
        self._visible: list[int] = []  # row indexes shown, in order (may be an _orders list)
        self._cursor = -1  # position in _visible, -1 when empty
        self._wanted_id: str | None = None  # what the user last highlighted, restored as a filter widens
        self._posted_id: str | None = None  # what the last Highlighted message carried
        self._posted_once = False
        self._marks: dict[str, None] = {}
        self._row_filter = RowFilter()
        self._done_count = 0
        self._query = ""
        self._words: tuple[str, ...] = ()
        self._text_matches: frozenset[str] | None = None
        self._word_cache: tuple[str, tuple[str, ...], list[int]] | None = None
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._last_click_opened = False
        if rows:
            self.set_rows(rows)

    # ----------------------------------------------------------------------------- public API

    @property
    def sort_key(self) -> str:
        """The current order: "date" (newest first, undated last), "title", "source" or "progress"."""
        return self._sort_key

    @sort_key.setter
    def sort_key(self, key: str) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"sort_key must be one of {', '.join(SORT_KEYS)}, not {key!r}")
        if key == self._sort_key:
            return
        self._sort_key = key
        self._word_cache = None
        self._refilter()
        self.post_message(self.SortChanged(self, key))

    @property
    def visible_count(self) -> int:
        """How many rows pass the filter."""
        return len(self._visible)

    @property
    def total_count(self) -> int:
        """How many rows the list holds."""
        return len(self._rows)

    @property
    def marked(self) -> tuple[str, ...]:
        """Marked article ids in the order they were marked (filtered-out rows stay marked)."""
        return tuple(self._marks)

    @property
    def highlighted_entry(self) -> "LibraryEntry | None":
        """The entry under the cursor, or None when the list shows nothing."""
        if self._cursor < 0:
            return None
        return self._rows[self._visible[self._cursor]].entry

    @property
    def highlighted_row(self) -> LibraryRow | None:
        """The row under the cursor, or None."""
        if self._cursor < 0:
            return None
        return self._rows[self._visible[self._cursor]]

    @property
    def filter_text(self) -> str:
        """The filter text last given to `set_filter` (not `query`: that is DOMNode.query)."""
        return self._query

    @property
    def row_filter(self) -> RowFilter:
        """The progress filter (done / spans / topic) now applied."""
        return self._row_filter

    def set_row_filter(self, row_filter: RowFilter) -> None:
        """Show only rows passing `row_filter` (and the text filter)."""
        self._row_filter = row_filter
        self._line_cache.clear()
        self._refilter(keep=self._wanted_id or self._current_id())

    @property
    def done_count(self) -> int:
        """How many articles (of all rows, whatever the filter) are done."""
        return self._done_count

    def hidden_not_done(self) -> int:
        """How many articles not done the filters hide (O(rows); for J/K's message)."""
        if len(self._visible) == len(self._rows):
            return 0
        rows = self._rows
        shown = sum(1 for index in self._visible if not rows[index].done)
        return (len(rows) - self._done_count) - shown

    def visible_ids(self) -> Sequence[str]:
        """The ids of the rows passing the filter, in display order (a list; over a corpus's columns
        a view that copies nothing, for J/K at a million rows)."""
        rows = self._rows
        if _is_columns(rows):
            return _VisibleIds(self._visible, rows.ids(), self._index_by_id)  # type: ignore[return-value]
        return [rows[index].entry.id for index in self._visible]

    def get_row(self, article_id: str) -> LibraryRow | None:
        """The row with this article id, or None."""
        index = self._index_by_id.get(article_id)
        return None if index is None else self._rows[index]

    def set_rows(self, rows: Sequence[LibraryRow], *, keep: str | None = None) -> None:
        """Replace every row. `keep` is an article id to stay highlighted (else the current one).

        The filter and sort stay as they are; marks on articles that are gone are dropped.
        """
        wanted = keep or self._wanted_id or self._current_id()
        if _is_columns(rows):  # a corpus index: no row objects until drawn
            self._rows = rows
            self._index_by_id = rows.index_by_id()
            self._haystacks = None
            self._done_count = sum(1 for row in rows.overrides.values() if row.done)
        else:
            self._rows = list(rows)
            self._index_by_id = {row.entry.id: index for index, row in enumerate(self._rows)}
            self._haystacks = [_haystack(row) for row in self._rows]
            self._done_count = sum(1 for row in self._rows if row.done)
        self._generation = [0] * len(self._rows)
        self._orders.clear()
        self._word_cache = None
        self._line_cache.clear()
        if self._marks:
            kept = {mark: None for mark in self._marks if mark in self._index_by_id}
            if len(kept) != len(self._marks):
                self._marks = kept
                self.post_message(self.MarksChanged(self, self.marked))
        self._wanted_id = wanted
        self._refilter(keep=wanted)

    def update_row(self, row: LibraryRow) -> None:
        """Replace the row with the same article id (e.g. after its spans changed).

        Finding the row is O(1); it moves in the order if its sort key changed.
        Raises KeyError when no row has this id.
        """
        index = self._index_by_id[row.entry.id]
        old = self._rows[index]
        keep = self._current_id()
        moved = False
        for key, order in self._orders.items():
            sort_function = _SORT_FUNCTIONS[key]
            if sort_function(old) != sort_function(row):
                order.remove(index)
                rows = self._rows
                rows[index] = row
                insort(order, index, key=lambda i: (sort_function(rows[i]), i))
                moved = moved or key == self._sort_key
        if moved:
            self._word_cache = None
        self._rows[index] = row
        self._done_count += int(row.done) - int(old.done)
        haystack = _haystack(row)
        haystacks = self._all_haystacks()
        changed_match = haystack != haystacks[index]
        haystacks[index] = haystack
        self._generation[index] = self._next_generation
        self._next_generation += 1
        if changed_match:
            self._word_cache = None
        if (
            (moved and self._visible is not self._orders.get(self._sort_key))
            or (changed_match and self._words)
            or (self._row_filter.active and self._row_filter.matches(old) != self._row_filter.matches(row))
        ):
            self._refilter(keep=keep)
        else:
            if moved:
                self._place_cursor(keep)
            self.refresh()

    def set_filter(self, query: str, *, text_matches: set[str] | None = None) -> None:
        """Show only rows whose title, source or topics contain every word of `query`
        (case-insensitive), plus rows whose id is in `text_matches`."""
        self._query = query
        self._words = tuple(query.casefold().split())
        self._text_matches = frozenset(text_matches) if text_matches else None
        if not self._words:
            self._word_cache = None  # the next query starts from all rows anyway
        self._refilter(keep=self._wanted_id or self._current_id())

    def highlight(self, article_id: str) -> bool:
        """Move the cursor to this article; False (and no move) when it is not shown."""
        index = self._index_by_id.get(article_id)
        if index is None:
            return False
        try:
            position = self._visible.index(index)
        except ValueError:
            return False
        self._move_to(position)
        return True

    def toggle_mark(self, article_id: str) -> None:
        """Mark or unmark an article by id."""
        if article_id not in self._index_by_id:
            return
        if article_id in self._marks:
            del self._marks[article_id]
        else:
            self._marks[article_id] = None
        self.refresh()
        self.post_message(self.MarksChanged(self, self.marked))

    def clear_marks(self) -> None:
        """Unmark every article."""
        if self._marks:
            self._marks.clear()
            self.refresh()
            self.post_message(self.MarksChanged(self, ()))

    # ------------------------------------------------------------------------------- actions

    def action_cursor_down(self) -> None:
        self._move_to(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self._cursor - 1)

    def action_cursor_first(self) -> None:
        self._move_to(0)

    def action_cursor_last(self) -> None:
        self._move_to(len(self._visible) - 1)

    def action_cursor_page_down(self) -> None:
        self._move_to(self._cursor + self._page_rows())

    def action_cursor_page_up(self) -> None:
        self._move_to(self._cursor - self._page_rows())

    def action_open(self) -> None:
        entry = self.highlighted_entry
        if entry is not None:
            self.post_message(self.ArticleChosen(self, entry))

    def action_toggle_mark(self) -> None:
        entry = self.highlighted_entry
        if entry is not None:
            self.toggle_mark(entry.id)
            self.action_cursor_down()

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self._sort_key) + 1) % len(SORT_KEYS)]

    # -------------------------------------------------------------------------- data plumbing

    def _current_id(self) -> str | None:
        entry = self.highlighted_entry
        return None if entry is None else entry.id

    def _order(self, key: str) -> list[int]:
        order = self._orders.get(key)
        if order is None:
            order = self._rows.order(key) if _is_columns(self._rows) else None
            if order is None:
                sort_function = _SORT_FUNCTIONS[key]
                keys = [sort_function(row) for row in self._rows]
                order = sorted(range(len(keys)), key=keys.__getitem__)
            self._orders[key] = order
        return order

    def _word_matches(self, order: list[int]) -> list[int]:
        """Indexes (in `order`) of rows containing every filter word.

        Typing usually narrows the query (each old word is part of a new one), so the previous
        result is filtered again instead of all rows.
        """
        words = self._words
        source = order
        cache = self._word_cache
        if cache is not None and cache[0] == self._sort_key:
            old_words = cache[1]
            if all(any(old in new for new in words) for old in old_words):
                if old_words == words:
                    return cache[2]
                source = cache[2]
        haystacks = self._all_haystacks()
        result = source
        for word in words:
            result = [index for index in result if word in haystacks[index]]
        self._word_cache = (self._sort_key, words, result)
        return result

    def _all_haystacks(self) -> list[str]:
        """What the filter searches, row by row (built on first use for a corpus's columns)."""
        if self._haystacks is None:
            self._haystacks = self._rows.haystacks()  # type: ignore[union-attr]
        return self._haystacks

    def _refilter(self, keep: str | None = None) -> None:
        """Rebuild the visible rows from sort, filter and text matches; keep `keep` highlighted."""
        if keep is None:
            keep = self._current_id()
        order = self._order(self._sort_key)
        if not self._words:
            visible = order
        else:
            visible = self._word_matches(order)
            extra = self._text_matches
            if extra:
                index_by_id = self._index_by_id
                wanted = {index_by_id[i] for i in extra if i in index_by_id}
                wanted.update(visible)
                if len(wanted) != len(visible):
                    visible = [index for index in order if index in wanted]
        row_filter = self._row_filter
        if row_filter.active:
            rows = self._rows
            if _is_columns(rows):  # rows without annotations are all alike: decide for them once
                overrides, plain = rows.overrides, row_filter.passes_unannotated()
                visible = [i for i in visible if (row_filter.matches(overrides[i]) if i in overrides else plain)]
            else:
                visible = [index for index in visible if row_filter.matches(rows[index])]
        self._visible = visible
        self.virtual_size = Size(0, len(visible) + 1)
        self._place_cursor(keep)
        self.refresh()

    def _place_cursor(self, keep: str | None) -> None:
        """Put the cursor on `keep` if shown, else on the first row; scroll to it; announce it."""
        position = -1
        if self._visible:
            position = 0
            index = self._index_by_id.get(keep) if keep else None
            if index is not None:
                try:
                    position = self._visible.index(index)
                except ValueError:
                    position = 0
        self._cursor = position
        self._scroll_to_cursor()
        self._announce()

    def _move_to(self, position: int) -> None:
        if not self._visible:
            return
        position = max(0, min(position, len(self._visible) - 1))
        if position != self._cursor:
            self._cursor = position
            self.refresh()
        self._wanted_id = self._current_id()
        self._scroll_to_cursor()
        self._announce()

    def _announce(self) -> None:
        current = self._current_id()
        if current != self._posted_id or not self._posted_once:
            self._posted_id = current
            self._posted_once = True
            self.post_message(self.Highlighted(self, self.highlighted_entry))

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        """Scroll the least needed to show the cursor row below the header."""
        rows_on_screen = self.scrollable_content_region.height - 1
        if rows_on_screen <= 0:
            return  # not laid out yet; on_resize comes back here
        top = self.scroll_offset.y
        cursor = max(self._cursor, 0)
        if cursor < top:
            top = cursor
        elif cursor > top + rows_on_screen - 1:
            top = cursor - rows_on_screen + 1
        top = max(0, min(top, len(self._visible) - rows_on_screen))
        if top != self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, force=True)

    # ------------------------------------------------------------------------------- events

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        self._line_cache.clear()
        super().notify_style_update()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            self._click_header(offset.x)
            return
        position = self.scroll_offset.y + offset.y - 1
        if not 0 <= position < len(self._visible):
            return
        if event.chain >= 2:
            # The first click of a double-click either highlighted the row or already opened it.
            if not self._last_click_opened:
                self._move_to(position)
                self.action_open()
            self._last_click_opened = True
            return
        already = position == self._cursor
        self._move_to(position)
        self._last_click_opened = already
        if already:
            self.action_open()

    def _click_header(self, x: int) -> None:
        """Clicking a column name sorts by that column."""
        layout = _Layout.for_width(self.scrollable_content_region.width)
        edges = []
        start = _MARK_WIDTH
        for key, width in (
            ("date", layout.date),
            ("source", layout.source),
            ("title", layout.title),
            ("progress", layout.progress),
        ):
            if width:
                edges.append((start, start + width + 2, key))
                start += width + 2
        for left, right, key in edges:
            if left <= x < right:
                self.sort_key = key
                return

    # ----------------------------------------------------------------------------- rendering

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._render_header(width, base)
        position = self.scroll_offset.y + y - 1
        if not self._visible:
            if y == 1:
                return self._render_hint(width, base)
            return Strip.blank(width, base)
        if not 0 <= position < len(self._visible):
            return Strip.blank(width, base)
        index = self._visible[position]
        row = self._rows[index]
        if position == self._cursor:
            state = 1 if self.has_focus else 2
        else:
            state = 0
        marked = row.entry.id in self._marks
        key = (index, self._generation[index], width, state, marked)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, state, marked, base)
            self._line_cache[key] = strip
        return strip

    def _render_header(self, width: int, base: Style) -> Strip:
        layout = _Layout.for_width(width)
        style = self.get_component_rich_style("library-list--header")
        arrow = {key: "" for key in SORT_KEYS}
        arrow[self._sort_key] = " ▼"
        cells = [" " * _MARK_WIDTH]
        if layout.date:
            cells.append(_fit("Date" + arrow["date"], layout.date) + "  ")
        if layout.source:
            cells.append(_fit("Source" + arrow["source"], layout.source) + "  ")
        if layout.title:
            shown, total = len(self._visible), len(self._rows)
            count = f"{shown:,} of {total:,}" if shown != total else _plural(total, "article")
            label = "Title" + arrow["title"]
            gap = layout.title - cell_len(label) - cell_len(count)
            cells.append(label + " " * gap + count if gap >= 2 else _fit(label, layout.title))
        if layout.progress:
            label = "Progress" + arrow["progress"]
            cells.append("  " + _fit_right(label if cell_len(label) <= layout.progress else "✓", layout.progress))
        return Strip([Segment("".join(cells), style)]).crop_extend(0, width, style)

    def _render_hint(self, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style("library-list--hint")
        if not self._rows:
            hint = "The library is empty"
        elif self._query.strip():
            hint = f"No articles match “{_clean(self._query.strip())}” — backspace to widen the filter"
        elif self._row_filter.active:
            hint = f"No articles are {self._row_filter.describe()} — f changes the filter, escape clears it"
        else:
            hint = "No articles match the filter"
        return Strip([Segment(_fit("  " + hint, width), style)], width)

    def _render_row(self, row: LibraryRow, width: int, state: int, marked: bool, base: Style) -> Strip:
        layout = _Layout.for_width(width)
        # Full (not partial) component styles: the blurred cursor background is translucent and
        # only the full style blends it over the widget's background.
        component = self.get_component_rich_style
        mark_style = component("library-list--mark")
        done_style = component("library-list--done")
        if state:
            cursor = component("library-list--cursor" if state == 1 else "library-list--cursor-blurred")
            plain = meta = cursor
            mark_style = cursor + Style(color=mark_style.color, bold=True)
            done_style = cursor + Style(color=done_style.color, bold=True)
        else:
            plain = base
            meta = component("library-list--meta")
        entry = row.entry
        segments = [Segment("● " if marked else "  ", mark_style if marked else plain)]
        if layout.date:
            segments.append(Segment(_fit(_date_text(row), layout.date) + "  ", meta))
        if layout.source:
            segments.append(Segment(_fit(_clean(entry.source), layout.source) + "  ", meta))
        if layout.title:
            segments.append(Segment(_fit_visual(_clean(entry.title) or "(untitled)", layout.title), plain))
        if layout.progress:
            text = _fit_right(_progress_text(row, layout.progress), layout.progress)
            segments.append(Segment("  ", plain))
            if row.done and text.endswith("✓"):
                segments.append(Segment(text[:-1], meta))
                segments.append(Segment("✓", done_style))
            else:
                segments.append(Segment(text, meta))
        return Strip(segments).crop_extend(0, width, plain)
