"""The library screen: every article with its date, source, title and annotation progress."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from newsdesk.annotations.model import counted

from ..errors import shown
from ..widgets.library_list import PROGRESS_FILTERS, LibraryList, LibraryRow, RowFilter

__all__ = ["LibraryScreen", "library_rows", "hidden_not_done"]


def hidden_not_done(app) -> int:
    """How many articles not done the library's filters hide (0 without a filter), for J/K to say."""
    for screen in app.screen_stack:
        if isinstance(screen, LibraryScreen):
            return screen.library_list.hidden_not_done()
    return 0


def _row(app, entry, spans: int, span_topics: Iterable[tuple[str, ...]]) -> LibraryRow:
    """An article's row: its span count, the topics its spans and the article itself carry, done."""
    used: dict[str, None] = {}
    for topics in span_topics:
        used.update(dict.fromkeys(topics))
    used.update(dict.fromkeys(app.store.doc_topics(entry.id).topics))
    return LibraryRow(entry=entry, spans=spans, topics=tuple(used), done=app.store.is_done(entry.id))


def library_rows(app) -> Sequence[LibraryRow]:
    """One row per library article, reading every stored span once.

    A corpus file's library gives columns: then only annotated articles get a row object now.
    """
    counts: dict[str, int] = {}
    topics: dict[str, list[tuple[str, ...]]] = {}
    for span in app.store.iter_spans():
        counts[span.article_id] = counts.get(span.article_id, 0) + 1
        topics.setdefault(span.article_id, []).append(span.topics)
    columns = getattr(app.library, "columns", None)
    if columns is not None:
        from ..widgets.library_rows import ColumnRows

        index = columns()
        overrides = {}
        for article_id in set(counts) | app.store.marked_article_ids():
            position = index.position.get(article_id)
            if position is not None:
                entry = index.entry(position)
                overrides[position] = _row(app, entry, counts.get(article_id, 0), topics.get(article_id, ()))
        return ColumnRows(index, overrides)
    return [_row(app, entry, counts.get(entry.id, 0), topics.get(entry.id, ())) for entry in app.library.entries]


def row_for(app, article_id: str) -> LibraryRow | None:
    """A fresh row for one article (after it was annotated), or None if it is not in the library."""
    entry = app.library.get(article_id)
    if entry is None:
        return None
    spans = app.store.spans_for(article_id)
    return _row(app, entry, len(spans), (span.topics for span in spans))


class LibraryScreen(Screen):
    """Browse the library; open an article, or two side by side."""

    BINDINGS = [
        Binding("/", "filter", "Filter", id="library.filter"),
        Binding("f", "progress_filter", "Progress", show=False, tooltip="Show all articles, then only not done, done, with spans, without spans", id="library.progress_filter"),
        Binding("F", "topic_filter", "Topic filter", show=False, id="library.topic_filter"),
        Binding("c", "compare", "Side by side", id="library.compare"),
        Binding("C", "compare_pick", "Compare with…", show=False, id="library.compare_pick"),
        Binding("e", "export", "Export", show=False, id="library.export"),
        Binding("t", "app.topics", "Topics", show=False, id="library.topics"),
        Binding("!", "skipped", "Skipped files", show=False, id="library.skipped"),
        # newsboat's keys for feeds: R reloads (fetches) every feed; the feeds screen is a key away.
        Binding("ctrl+f", "feeds", "Feeds", show=False, id="library.feeds"),
        Binding("R", "fetch_feeds", "Fetch feeds", show=False, id="library.fetch_feeds"),
        Binding("q", "quit", "Quit", id="library.quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="library.clear_filter"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="library-title")
        yield Input(placeholder="filter: title, source, topic or text…", id="library-filter", classes="hidden")
        yield LibraryList(id="library-list")
        yield Static(id="library-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one(LibraryList).focus()

    def on_screen_resume(self) -> None:
        # Back from the reader: redraw only the articles edited meanwhile, not the whole library
        # (a full rebuild reads every stored span: half a second at 100,000). A library read
        # again (an article file changed) is drawn whole.
        if self.app.library is not getattr(self, "_drawn_library", None):
            self.refresh_rows()
            return
        listing = self.library_list
        for article_id in self.app.touched:
            row = row_for(self.app, article_id)
            if row is not None:
                listing.update_row(row)
        self.app.touched.clear()
        self._show_title()

    @property
    def library_list(self) -> LibraryList:
        return self.query_one(LibraryList)

    def refresh_rows(self) -> None:
        """Reload the rows' progress from the store, keeping the highlighted article."""
        listing = self.library_list
        current = listing.highlighted_entry
        listing.set_rows(library_rows(self.app), keep=current.id if current else None)
        self._drawn_library = self.app.library
        self.app.touched.clear()
        self._show_title()

    def _show_title(self) -> None:
        library = self.app.library
        title = Text()
        title.append("newsdesk", style="bold")
        # The folder's name, not its path: screens (and their snapshots) read the same on any machine.
        # Several sources (--library twice, or the feeds folder): every one named, or how many.
        names = [shown(Path(part.folder).name) for part in getattr(library, "parts", [library])]
        named = " + ".join(names)
        title.append(f"  library: {named if len(names) < 4 and len(named) <= 40 else f'{len(names)} sources'}",
                     style="dim")
        title.append(f"  {len(library.entries)} articles")
        listing = self.library_list
        title.append(f" · {listing.done_count:,} of {listing.total_count:,} done", style="green" if listing.done_count else "")
        if library.refused:
            from .skipped import skipped_count

            title.append(f"  · {skipped_count(library.refused)} skipped (! shows why)", style="yellow")
        self.query_one("#library-title", Static).update(title)
        status = Text(f"sorted by {listing.sort_key}", style="dim")
        if listing.row_filter.active:
            status.append(f" · only {listing.row_filter.describe()} (f, F change; escape clears)", style="dim")
        else:
            status.append(" · f filters by progress, F by topic", style="dim")
        if listing.visible_count != listing.total_count:
            status.append(f" · showing {listing.visible_count} of {listing.total_count}", style="dim")
        if listing.marked:
            status.append(f" · {len(listing.marked)} marked (c opens them side by side)", style="dim")
        self.query_one("#library-status", Static).update(status)

    # -- list events ---------------------------------------------------------------------
    @on(LibraryList.ArticleChosen)
    def _open(self, event: LibraryList.ArticleChosen) -> None:
        from .reader import reader_for

        screen = reader_for(self.app, event.entry.id)
        if screen is not None:
            self.app.push_screen(screen)

    @on(LibraryList.MarksChanged)
    @on(LibraryList.SortChanged)
    def _status(self) -> None:
        self._show_title()

    # -- filter --------------------------------------------------------------------------
    def action_filter(self) -> None:
        """Filter the library as you type: title, source, topics and the articles' text."""
        box = self.query_one("#library-filter", Input)
        box.remove_class("hidden")
        self.set_focus(box)  # at once: keys typed right after `/` are already queued behind this one

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.library_list.set_filter(event.value)
        self._show_title()
        self._search_texts(event.value)

    @on(Input.Submitted, "#library-filter")
    def _filter_done(self) -> None:
        self.library_list.focus()

    def action_progress_filter(self) -> None:
        """Show all articles, then only those not done, done, with spans, without spans (each press the next)."""
        listing = self.library_list
        current = listing.row_filter
        position = PROGRESS_FILTERS.index((current.done, current.has_spans)) if (current.done, current.has_spans) in PROGRESS_FILTERS else 0
        done, has_spans = PROGRESS_FILTERS[(position + 1) % len(PROGRESS_FILTERS)]
        listing.set_row_filter(RowFilter(done, has_spans, current.topic))
        self._show_title()

    def action_topic_filter(self) -> None:
        """Show only articles carrying a topic (in a span or as an article topic); the same topic again shows all."""
        from .topic_picker import TopicPicker

        listing = self.library_list
        current = listing.row_filter

        def chosen(name: str | None) -> None:
            if name:
                topic = None if name == current.topic else name
                listing.set_row_filter(RowFilter(listing.row_filter.done, listing.row_filter.has_spans, topic))
                self._show_title()

        checked = (current.topic,) if current.topic else ()
        self.app.push_screen(
            TopicPicker(self.app.store.topics(), title="Show articles with topic", checked=checked, create=False), chosen
        )

    def action_clear_filter(self) -> None:
        """Clear the filters and show every article."""
        box = self.query_one("#library-filter", Input)
        if self.library_list.row_filter.active:
            self.library_list.set_row_filter(RowFilter())
            self._show_title()
        if box.has_class("hidden") and not box.value:
            return
        box.value = ""
        box.add_class("hidden")
        self.library_list.set_filter("")
        self.library_list.focus()
        self._show_title()

    @work(thread=True, exclusive=True, group="text-search")
    def _search_texts(self, query: str) -> None:
        """Find the articles whose text holds every word of `query` (reads files; off the UI thread)."""
        words = query.lower().split()
        if not words:
            return
        worker = get_current_worker()
        library = self.app.library
        search = getattr(library, "search_texts", None)  # a corpus file reads itself once, in order
        if search is not None:
            matches = search(words, lambda: worker.is_cancelled)
            if matches and not worker.is_cancelled:
                self.app.call_from_thread(self._apply_text_matches, query, matches)
            return
        found: set[str] = set()
        for entry in list(library.entries):
            if worker.is_cancelled:
                return
            try:
                text = library.load(entry.id).text.lower()
            except Exception:  # a file that changed into something unreadable: skip it
                continue
            if all(word in text for word in words):
                found.add(entry.id)
        if not worker.is_cancelled and found:
            self.app.call_from_thread(self._apply_text_matches, query, found)

    def _apply_text_matches(self, query: str, found: set[str]) -> None:
        if self.query_one("#library-filter", Input).value == query:
            self.library_list.set_filter(query, text_matches=found)
            self._show_title()

    # -- side by side and export ---------------------------------------------------------
    def action_compare(self) -> None:
        """Open the two marked articles side by side, or the highlighted one beside its closest match."""
        from .compare import open_compare

        open_compare(self.app, self.library_list)

    def action_compare_pick(self) -> None:
        """Choose the article to read beside the highlighted one."""
        from .compare import pick_and_compare

        pick_and_compare(self.app, self.library_list)

    def action_export(self) -> None:
        """Export the annotations to a file."""
        from .export_dialog import ExportDialog

        self.app.push_screen(ExportDialog())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "skipped" and not self.app.library.refused:
            return False  # nothing was skipped: no key to show
        return True

    def action_skipped(self) -> None:
        """List the files the library could not read, and why."""
        from .skipped import SkippedFiles

        self.app.push_screen(SkippedFiles())

    def action_feeds(self) -> None:
        """Show the feeds with how their last fetch went; add one, fetch them."""
        from .feeds import FeedsScreen

        self.app.push_screen(FeedsScreen())

    def action_fetch_feeds(self) -> None:
        """Fetch new entries of every feed in the background; they join the library."""
        from .feeds import fetch_in_background

        fetch_in_background(self.app)

    def action_quit(self) -> None:
        """Leave newsdesk (everything is already saved)."""
        self.app.exit()
