"""Side by side: two reports of one story, their linked sentences, and what only one of them says.

Each pane is a full `ArticleView` with every reading and annotating key. The sentence
alignment comes from the headless core (`annotations.align`) and is computed in a worker
thread, so the cursor never waits for it.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.widgets.option_list import Option

from newsdesk.annotations.model import Article, split_fitting

from ..widgets import bidi
from ..widgets.article_view import ArticleView
from ..widgets.span_panel import SpanPanel
from .annotating import ANNOTATING_BINDINGS, Annotating, show_spans
from .reader import article_header, load_article, selection_status
from .fuzzy_picker import FuzzyPicker, fuzzy_score

__all__ = ["CompareScreen", "open_compare", "pick_and_compare", "ArticlePicker", "coverage_text"]

STACK_BELOW = 100  # columns: narrower terminals stack the panes
LINK_STYLE = "italic underline"  # linked sentences: italic, so they never read as an overlap (bold)
ONLY_STYLE = "#e5c07b"


def coverage_text(app, first: Article, second: Article) -> Text:
    """Per topic, how many spans each side has; topics on one side only are called out."""
    counts: dict[str, list[int]] = {}
    for side, article in enumerate((first, second)):
        for span in split_fitting(app.store.spans_for(article.id), article.text)[0]:
            for topic in span.topics:
                counts.setdefault(topic, [0, 0])[side] += 1
        for topic in app.store.doc_topics(article.id).topics:
            counts.setdefault(topic, [0, 0])
    topics = app.topics_by_name()
    text = Text(no_wrap=False, overflow="fold")
    if not counts:
        text.append("Coverage: no spans yet on either side. Tag with 1-9 or t in either pane.", style="dim")
        return text
    text.append("Coverage  ", style="bold")
    text.append("left│right  ", style="dim")
    only_left = [name for name, (a, b) in counts.items() if a and not b]
    only_right = [name for name, (a, b) in counts.items() if b and not a]
    for name, (a, b) in sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0])):
        colour = topics[name].colour if name in topics else "#888888"
        text.append("■ ", style=colour)
        text.append(name)
        text.append(f" {a}│{b}  ", style="bold")
    if only_left:
        text.append("\nonly left: ", style=ONLY_STYLE)
        text.append(", ".join(only_left))
    if only_right:
        text.append("\nonly right: " if not only_left else "   only right: ", style=ONLY_STYLE)
        text.append(", ".join(only_right))
    return text


class CompareScreen(Annotating, Screen):
    """Two articles side by side (stacked on narrow terminals), annotated with the same keys."""

    BINDINGS = [
        *ANNOTATING_BINDINGS,
        Binding("/", "search", "Search", show=False, id="compare.search"),
        Binding("d", "toggle_done", "Done", show=False, id="compare.toggle_done"),
        Binding("=", "jump_counterpart", "Match", id="compare.jump"),
        Binding("a", "toggle_panel", "Spans panel", show=False, id="compare.toggle_panel"),
        Binding("L", "toggle_lock", "Lock", id="compare.lock"),
        Binding("ctrl+w", "swap", "Swap", id="compare.swap"),
        Binding("q", "back", "Library", id="compare.back"),
        Binding("escape", "clear", "Clear", show=False, id="compare.clear"),
    ]

    def __init__(self, first: Article, second: Article) -> None:
        super().__init__()
        self.articles = [first, second]
        self.alignment = None
        self.locked = False
        self._searching: ArticleView | None = None
        self._linked: tuple[object, int, int | None, bool] | None = None  # what the link marks show now
        self._sentence_starts: list[list[int]] = [[], []]
        self._active = 0  # the pane keys act on: the focused one, or the last focused
        self._message = ""

    def compose(self) -> ComposeResult:
        granularity = self.app.settings.granularity
        with Horizontal(id="compare-body"):
            with Container(id="compare-panes", classes="side"):
                for side in (0, 1):
                    with Vertical(classes="pane"):
                        yield Static(classes="pane-header", id=f"pane-header-{side}")
                        yield ArticleView(self.articles[side], id=f"pane-{side}", granularity=granularity)
            yield SpanPanel(id="compare-span-panel", classes="hidden")
        yield Input(placeholder="search the focused report (enter; n/N for next/previous)", id="compare-search",
                    classes="hidden")
        yield Static(id="coverage")
        yield Static(id="compare-status")
        yield Footer()

    def on_mount(self) -> None:
        self._layout(self.size.width)
        self.refresh_annotations()
        self.views[0].focus()
        self._status("aligning sentences…")
        self._align()

    def on_resize(self, event) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        panes = self.query_one("#compare-panes")
        stacked = width < STACK_BELOW
        panes.set_class(stacked, "stacked")
        panes.set_class(not stacked, "side")

    @property
    def views(self) -> list[ArticleView]:
        return [self.query_one("#pane-0", ArticleView), self.query_one("#pane-1", ArticleView)]

    def side_of(self, view: ArticleView) -> int:
        return 0 if view.id == "pane-0" else 1

    def view_for_action(self) -> ArticleView:
        focused = self.focused
        if isinstance(focused, ArticleView):
            self._active = self.side_of(focused)
            return focused
        return self.views[self._active]

    def articles_on_screen(self) -> list[Article]:
        return list(self.articles)

    def after_edit(self, article_ids: set[str]) -> None:
        self.refresh_annotations()
        self._status("saved")

    def fill_panel(self, view: ArticleView) -> None:
        """The panel lists the spans of the pane in use."""
        article = self.articles[self.side_of(view)]
        shown, _stale = split_fitting(self.app.store.spans_for(article.id), article.text)
        self.query_one(SpanPanel).set_spans(shown, self.app.topics_by_name())

    @on(ArticleView.SelectionChanged)
    def _selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        if event.view is self.focused:
            self._status(self._message)

    def refresh_annotations(self) -> None:
        """Spans in both panes, headers and the coverage strip, from the store."""
        topics = self.app.topics_by_name()
        for side, view in enumerate(self.views):
            article = self.articles[side]
            shown, stale = show_spans(view, self.app.store.spans_for(article.id), topics)
            self.note_stale(article.id, stale)
            self.show_suggestions(view)
            if side == self._active:
                panel = self.query_one(SpanPanel)
                if not panel.has_class("hidden"):
                    panel.set_spans(shown, topics)
            header = article_header(article, self.app.store.doc_topics(article.id).topics, topics, compact=True)
            self.query_one(f"#pane-header-{side}", Static).update(header)
        self.query_one("#coverage", Static).update(coverage_text(self.app, *self.articles))

    # -- alignment -----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="align")
    def _align(self) -> None:
        from newsdesk.annotations.align import align

        first, second = self.articles
        alignment = align(first.text, second.text)
        self.app.call_from_thread(self._aligned, alignment, first.id)

    def _aligned(self, alignment, first_id: str) -> None:
        if not self.is_attached:  # the person left this screen before the alignment was ready
            return
        if first_id != self.articles[0].id:  # swapped while aligning: align again
            self._align()
            return
        self.alignment = alignment
        self._sentence_starts = [
            [s.start for s in alignment.sentences_a],
            [s.start for s in alignment.sentences_b],
        ]
        for side, view in enumerate(self.views):
            only = alignment.only_in("a" if side == 0 else "b")
            view.set_gutter_marks("only", [(s.start, s.end) for s in only], "◆", ONLY_STYLE)
        only_a, only_b = len(alignment.only_in("a")), len(alignment.only_in("b"))
        self._status(f"◆ marks sentences found in one report only: {only_a} left, {only_b} right")
        self._link_from(self.view_for_action())

    def _sentence_index(self, side: int, offset: int) -> int | None:
        if self.alignment is None:
            return None
        starts = self._sentence_starts[side]
        index = bisect_right(starts, offset) - 1
        return index if index >= 0 else None

    def _link_from(self, view: ArticleView) -> None:
        """Mark the counterparts of the sentence under `view`'s cursor in the other pane."""
        if self.alignment is None:
            return
        side = self.side_of(view)
        other = self.views[1 - side]
        index = self._sentence_index(side, view.cursor)
        # A key press that stays in the same sentence changes nothing here; redrawing the marks
        # would re-render every visible row of both panes on each key.
        key = (self.alignment, side, index, self.locked)
        if self._linked is not None and key[0] is self._linked[0] and key[1:] == self._linked[1:]:
            return
        self._linked = key
        sentences = (self.alignment.sentences_a, self.alignment.sentences_b)
        view.clear_marks("link")
        other.clear_marks("link")
        if index is None:
            return
        here = sentences[side][index]
        links = self.alignment.counterparts("a" if side == 0 else "b", index, k=3)
        if not links:
            self._status(f"sentence {index + 1}: no counterpart in the other report (◆ only here)")
            return
        there = [sentences[1 - side][link.b_index if side == 0 else link.a_index] for link in links]
        view.set_marks("link", [(here.start, here.end)], LINK_STYLE)
        other.set_marks("link", [(s.start, s.end) for s in there], LINK_STYLE)
        scores = ", ".join(f"{link.score:.2f}" for link in links)
        self._status(f"sentence {index + 1} ↔ {len(links)} linked (scores {scores}) · = jumps there")
        if self.locked:
            # The other pane follows: its cursor goes to the counterpart (so switching panes
            # later starts from there), drawn on the same screen row as this cursor.
            other.move_cursor(there[0].start)
            self._level(view, other, there[0].start)

    def _level(self, view: ArticleView, other: ArticleView, offset: int) -> None:
        """Scroll `other` so `offset` is drawn on the screen row where `view`'s cursor is."""
        screen_row = view.cursor_row - int(view.scroll_offset.y)
        other.scroll_to_offset(offset, top_row=max(0, screen_row))

    @on(ArticleView.CursorMoved)
    def _cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        if event.view is self.focused:  # the other pane's moves are ours (locked) or the person's, later
            self._link_from(event.view)
            self._status(self._message)

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, ArticleView):
            side = self.side_of(event.widget)
            if side != self._active:
                self._active = side
                panel = self.query_one(SpanPanel)
                if not panel.has_class("hidden"):
                    self.fill_panel(event.widget)
            self._link_from(event.widget)
            self._status(self._message)

    # -- actions -------------------------------------------------------------------------
    def action_jump_counterpart(self) -> None:
        """Move the other pane's cursor to the best counterpart of the sentence under the cursor."""
        view = self.view_for_action()
        if self.alignment is None:
            self.app.say("Still aligning the two reports…", timeout=2)
            return
        side = self.side_of(view)
        index = self._sentence_index(side, view.cursor)
        link = self.alignment.best("a" if side == 0 else "b", index) if index is not None else None
        if link is None:
            self.app.say("This sentence has no counterpart in the other report", severity="warning", timeout=2)
            return
        other = self.views[1 - side]
        target = (self.alignment.sentences_b[link.b_index] if side == 0 else self.alignment.sentences_a[link.a_index])
        other.move_cursor(target.start)
        self._level(view, other, target.start)

    def action_toggle_lock(self) -> None:
        """Keep linked sentences level in both panes as you move (or stop)."""
        self.locked = not self.locked
        self.app.say("Scrolling locked: linked sentences stay level" if self.locked else "Scrolling unlocked", timeout=2)
        if self.locked:
            self._link_from(self.view_for_action())

    def action_swap(self) -> None:
        """Swap the left and right panes."""
        first, second = self.views
        cursors = (first.cursor, second.cursor)
        focused_side = self.side_of(self.view_for_action())
        self.articles.reverse()
        first.set_article(self.articles[0], cursor=cursors[1])
        second.set_article(self.articles[1], cursor=cursors[0])
        self.alignment = None
        for view in self.views:
            view.clear_marks("link")
            view.set_gutter_marks("only", [], "◆", ONLY_STYLE)
        self.refresh_annotations()
        self.views[1 - focused_side].focus()
        self._status("aligning sentences…")
        self._align()

    def action_search(self) -> None:
        """Search the focused report's text."""
        self._searching = self.view_for_action()
        box = self.query_one("#compare-search", Input)
        box.remove_class("hidden")
        self.set_focus(box)  # at once: keys typed right after `/` are already queued behind this one

    @on(Input.Submitted, "#compare-search")
    def _search(self, event: Input.Submitted) -> None:
        self.search_in(self._searching, event.input)

    def action_clear(self) -> None:
        """Escape: close the search box or the panel, or clear the search marks; never leaves (q does)."""
        box = self.query_one("#compare-search", Input)
        view = self.view_for_action()
        if not box.has_class("hidden"):
            box.add_class("hidden")
            self.set_focus(self._searching or view)
            return
        panel = self.query_one(SpanPanel)
        if not panel.has_class("hidden"):
            panel.add_class("hidden")
            self.set_focus(view)
            return
        if view.matches:
            view.search("")
            self.app.say("Search marks cleared", timeout=1)
            return
        self.app.say("Nothing to clear; q goes back to the library", timeout=2)

    def action_back(self) -> None:
        """Back to the library (everything is already saved)."""
        self.workers.cancel_group(self, "align")
        self.app.pop_screen()

    def _status(self, message: str) -> None:
        self._message = message
        status = Text(message, style="dim")
        side = "left" if self._active == 0 else "right"
        selection = selection_status(self.views[self._active]) if self.is_mounted else Text()
        if selection:
            status.append(f" · {side}", style="bold")
            status.append_text(selection)
        if self.locked:
            status.append(" · L locked", style="dim")
        self.query_one("#compare-status", Static).update(status)


# -- opening a pair ---------------------------------------------------------------------------
def _open_pair(app, first_id: str, second_id: str) -> None:
    first = load_article(app, first_id)
    second = load_article(app, second_id)
    if first is not None and second is not None:
        app.push_screen(CompareScreen(first, second))


def open_compare(app, listing) -> None:
    """`c` in the library: the two marked articles, or the highlighted one and its closest match."""
    marked = list(listing.marked)
    current = listing.highlighted_entry
    if len(marked) >= 2:
        if len(marked) > 2:
            app.say("More than two marked: opening the first two", timeout=3)
        _open_pair(app, marked[0], marked[1])
        listing.clear_marks()
        return
    if current is None:
        app.say("The library is empty", severity="warning")
        return
    if len(marked) == 1 and marked[0] != current.id:
        _open_pair(app, marked[0], current.id)
        listing.clear_marks()
        return
    if len(app.library.entries) < 2:
        app.say("There is no other article to compare with", severity="warning")
        return
    app.say("Finding the article closest to this one…", timeout=2)

    library_screen = app.screen

    def still_wanted(other: str) -> None:
        # The person may have moved on (opened an article, highlighted another) meanwhile.
        highlighted = listing.highlighted_entry
        if app.screen is library_screen and highlighted is not None and highlighted.id == current.id:
            _open_pair(app, current.id, other)

    def find() -> None:
        # Ranks every title and reads a shortlist of files: off the UI thread on a large library.
        from newsdesk.annotations.similar import most_similar

        other = most_similar(app.library, current.id)
        if other is not None:
            app.call_from_thread(still_wanted, other)

    app.run_worker(find, thread=True, exclusive=True, group="similar", name="closest article")


def pick_and_compare(app, listing) -> None:
    """`C` in the library: choose the second article by fuzzy search."""
    current = listing.highlighted_entry
    if current is None:
        app.say("The library is empty", severity="warning")
        return

    def chosen(article_id: str | None) -> None:
        if article_id:
            _open_pair(app, current.id, article_id)

    entries = [entry for entry in app.library.entries if entry.id != current.id]
    app.push_screen(ArticlePicker(entries, title=f"Compare “{bidi.visual_text(current.title[:50])}” with…"), chosen)


class ArticlePicker(FuzzyPicker):
    """Choose an article by fuzzy search over titles and sources; returns its id."""

    PLACEHOLDER = "type part of a title or source"
    LIMIT = 200

    def __init__(self, entries, *, title: str) -> None:
        super().__init__(title=title)
        self.entries = list(entries)

    def options_for(self, query: str) -> list[Option]:
        scored = []
        for entry in self.entries:
            score = fuzzy_score(query, f"{entry.title} {entry.source}")
            if score is not None:
                scored.append((-score, entry.title, entry))
        scored.sort(key=lambda item: item[:2])
        options = []
        for _score, _title, entry in scored[: self.LIMIT]:
            meta = " · ".join(p for p in (entry.source, entry.published.isoformat() if entry.published else "") if p)
            # Cut in reading order, then drawn in visual order (an Arabic or Hebrew title reads right to left).
            room = max(8, self.label_width() - (cell_len(meta) + 2 if meta else 0))
            title = entry.title if cell_len(entry.title) <= room else set_cell_size(entry.title, room - 1) + "…"
            label = Text(bidi.visual_text(title), no_wrap=True, overflow="ellipsis")
            if meta:
                label.append(f"  {meta}", style="dim")
            options.append(Option(label, id=entry.id))
        return options
