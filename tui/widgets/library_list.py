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

Beside it: `library_rows` (`LibraryRow`, `RowFilter`, sort keys, haystacks, `ColumnRows`),
`library_filter` (`LibraryFilter`, the Textual-free filtering and ordering) and `library_cells`
(column layout and cell fitting). Their public names are re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from .library_cells import _MARK_WIDTH, _date_text, _fit, _fit_right, _fit_visual, _Layout, _plural, _progress_text
from .library_filter import LibraryFilter
from .library_rows import (  # noqa: F401  (re-exported: tests and screens import them from here)
    _SORT_FUNCTIONS,
    PROGRESS_FILTERS,
    SORT_KEYS,
    LibraryRow,
    RowFilter,
    _clean,
)

if TYPE_CHECKING:  # the widget only reads id, title, source and published
    from newsdesk.annotations.corpus import LibraryEntry

__all__ = ["LibraryList", "LibraryRow", "RowFilter", "PROGRESS_FILTERS", "SORT_KEYS"]


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
        self._model = LibraryFilter(sort_key)  # rows, order and filters: everything but drawing
        self._cursor = -1  # position in _visible, -1 when empty
        self._wanted_id: str | None = None  # what the user last highlighted, restored as a filter widens
        self._posted_id: str | None = None  # what the last Highlighted message carried
        self._posted_once = False
        self._marks: dict[str, None] = {}
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._last_click_opened = False
        if rows:
            self.set_rows(rows)

    # ----------------------------------------------------------------------------- public API

    @property
    def sort_key(self) -> str:
        """The current order: "date" (newest first, undated last), "title", "source" or "progress"."""
        return self._model.sort_key

    @sort_key.setter
    def sort_key(self, key: str) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"sort_key must be one of {', '.join(SORT_KEYS)}, not {key!r}")
        if key == self._model.sort_key:
            return
        self._model.set_sort_key(key)
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
        return self._model.query

    @property
    def row_filter(self) -> RowFilter:
        """The progress filter (done / spans / topic) now applied."""
        return self._model.row_filter

    def set_row_filter(self, row_filter: RowFilter) -> None:
        """Show only rows passing `row_filter` (and the text filter)."""
        self._model.row_filter = row_filter
        self._line_cache.clear()
        self._refilter(keep=self._wanted_id or self._current_id())

    @property
    def done_count(self) -> int:
        """How many articles (of all rows, whatever the filter) are done."""
        return self._model.done_count

    def hidden_not_done(self) -> int:
        """How many articles not done the filters hide (O(rows); for J/K's message)."""
        return self._model.hidden_not_done()

    def visible_ids(self) -> Sequence[str]:
        """The ids of the rows passing the filter, in display order (a list; over a corpus's columns
        a view that copies nothing, for J/K at a million rows)."""
        return self._model.visible_ids()

    def get_row(self, article_id: str) -> LibraryRow | None:
        """The row with this article id, or None."""
        return self._model.get_row(article_id)

    def set_rows(self, rows: Sequence[LibraryRow], *, keep: str | None = None) -> None:
        """Replace every row. `keep` is an article id to stay highlighted (else the current one).

        The filter and sort stay as they are; marks on articles that are gone are dropped.
        """
        wanted = keep or self._wanted_id or self._current_id()
        self._model.set_rows(rows)
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
        keep = self._current_id()
        needs_refilter, moved = self._model.update_row(row)
        if needs_refilter:
            self._refilter(keep=keep)
        else:
            if moved:
                self._place_cursor(keep)
            self.refresh()

    def set_filter(self, query: str, *, text_matches: set[str] | None = None) -> None:
        """Show only rows whose title, source or topics contain every word of `query`
        (case-insensitive), plus rows whose id is in `text_matches`."""
        self._model.set_query(query, text_matches)
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
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self._model.sort_key) + 1) % len(SORT_KEYS)]

    # -------------------------------------------------------------------------- data plumbing

    # The model's state under the names drawing and tests use.
    @property
    def _rows(self) -> Sequence[LibraryRow]:
        return self._model.rows

    @property
    def _visible(self) -> list[int]:
        return self._model.visible

    @property
    def _index_by_id(self) -> dict[str, int]:
        return self._model.index_by_id

    def _current_id(self) -> str | None:
        entry = self.highlighted_entry
        return None if entry is None else entry.id

    def _refilter(self, keep: str | None = None) -> None:
        """Rebuild the visible rows from sort, filter and text matches; keep `keep` highlighted."""
        if keep is None:
            keep = self._current_id()
        visible = self._model.refilter()
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
        key = (index, self._model.generation[index], width, state, marked)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, state, marked, base)
            self._line_cache[key] = strip
        return strip

    def _render_header(self, width: int, base: Style) -> Strip:
        layout = _Layout.for_width(width)
        style = self.get_component_rich_style("library-list--header")
        arrow = {key: "" for key in SORT_KEYS}
        arrow[self._model.sort_key] = " ▼"
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
        elif self._model.query.strip():
            hint = f"No articles match “{_clean(self._model.query.strip())}” — backspace to widen the filter"
        elif self._model.row_filter.active:
            hint = f"No articles are {self._model.row_filter.describe()} — f changes the filter, escape clears it"
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
