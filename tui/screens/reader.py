"""The reader: one article, its spans in topic colours, and every annotating key.

Motion and selection keys belong to `ArticleView`; this screen turns a selection into spans
through the app's `History`, so every edit is on disk when it shows and can be undone.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from newsdesk.annotations.model import Article, Topic, counted, stale_spans_message

from ..errors import first_line
from ..widgets import bidi
from ..widgets.article_view import ArticleView
from ..widgets.legend import Legend
from ..widgets.span_panel import SpanPanel
from .annotating import ANNOTATING_BINDINGS, Annotating, quoted, show_spans

__all__ = ["ReaderScreen", "article_header", "Annotating", "reader_for", "load_article"]


def _meta_line(article: Article) -> str:
    parts = [article.source, article.published.isoformat() if article.published else "", article.place]
    return " · ".join(part for part in parts if part) or "no source or date given"


def _add_doc_topics(text: Text, doc_topics: tuple[str, ...], topics: dict[str, Topic] | None) -> None:
    if doc_topics:
        text.append("   article topics: ", style="dim")
        for name in doc_topics:
            colour = topics[name].colour if topics and name in topics else "#888888"
            text.append("■ ", style=colour)
            text.append(name + "  ")


def article_header(
    article: Article, doc_topics: tuple[str, ...] = (), topics: dict[str, Topic] | None = None, *, compact: bool = False
) -> Text:
    """Title, standfirst, then source · date · place and the article's own topics: data, never markup.

    `compact` keeps it to two lines (title; the rest), each cut with …, so two panes side by side
    start their text on the same row.
    """
    title = Text(bidi.visual_text(article.title or "(untitled)"), style="bold")
    meta = Text(bidi.visual_text(_meta_line(article)), style="dim")
    _add_doc_topics(meta, doc_topics, topics)
    if compact:
        return Text("\n", no_wrap=True, overflow="ellipsis").join([title, meta])
    lines = [title]
    if article.standfirst:
        lines.append(Text(article.standfirst, style="italic"))
    lines.append(meta)
    return Text("\n", no_wrap=False, overflow="fold").join(lines)


def selection_status(view: ArticleView) -> Text:
    """What the status line says of the selection, or of the span under the cursor (all its topics)."""
    status = Text()
    selection = view.selection
    if selection:
        found = view.model.tag_range()
        status.append(f" · selected {counted(selection[1] - selection[0], 'character')}")
        if found is not None and found != selection:
            status.append(f", tags {quoted(view.text[found[0]:found[1]], 30)}")
        status.append(" (1-9 or t to tag)")
        return status
    span = view.span_at_cursor()
    if span is not None:
        status.append(" · on ")
        status.append(quoted(span.text, 30))
        status.append(": ")
        status.append(", ".join(span.topics), style="bold")
        if span.note:
            status.append(" ✎")
        status.append(" · r relabel · < > widen", style="dim")
    return status


def load_article(app, article_id: str) -> Article | None:
    """The article, or None after telling the person in one line why it cannot be opened."""
    try:
        article = app.library.load(article_id)
    except Exception as error:  # the file changed into something unreadable since the library was read
        message = first_line(error)
        app.say(message, severity="error", timeout=6)
        return None
    if article.id != article_id:
        app.article_changed(article_id, article)
    return article


def reader_for(app, article_id: str) -> "ReaderScreen | None":
    """A reader over the article, or None (already reported) when it cannot be read."""
    article = load_article(app, article_id)
    return ReaderScreen(article) if article is not None else None


class ReaderScreen(Annotating, Screen):
    """Read one article and annotate it."""

    BINDINGS = [
        *ANNOTATING_BINDINGS,
        Binding("/", "search", "Search", show=False, id="reader.search"),
        Binding("a", "toggle_panel", "Spans panel", show=False, id="reader.toggle_panel"),
        Binding("d", "toggle_done", "Done", id="reader.toggle_done"),
        Binding("J", "next_article", "Next undone", show=False, id="reader.next_article"),
        Binding("K", "previous_article", "Previous undone", show=False, id="reader.previous_article"),
        Binding("q", "back", "Library", id="reader.back"),
        Binding("escape", "clear", "Clear", show=False, id="reader.clear"),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.article_id = article.id

    def compose(self) -> ComposeResult:
        yield Static(id="reader-header")
        with Horizontal(id="reader-body"):
            yield ArticleView(self.article, id="reader-view", granularity=self.app.settings.granularity)
            yield SpanPanel(id="span-panel", classes="hidden")
        yield Input(placeholder="search this article (enter; n/N for next/previous)", id="reader-search", classes="hidden")
        yield Legend(id="reader-legend")
        yield Static(id="reader-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_annotations()
        self.query_one(ArticleView).focus()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def view_for_action(self) -> ArticleView:
        return self.view

    def articles_on_screen(self) -> list[Article]:
        return [self.article]

    def after_edit(self, article_ids: set[str]) -> None:
        self.refresh_annotations(saved=True)
        other = article_ids - {self.article_id}
        if other:
            titles = ", ".join(self.app.library.get(a).title for a in other if self.app.library.get(a))
            if titles:
                self.app.say(f"(that change was in: {titles})", timeout=3)

    def refresh_annotations(self, *, saved: bool = False) -> None:
        """Redraw spans, panel, legend and header from the store."""
        store = self.app.store
        topics = self.app.topics_by_name()
        spans, self._stale = show_spans(self.view, store.spans_for(self.article_id), topics)
        self.note_stale(self.article_id, self._stale)
        self.show_suggestions(self.view)
        self.query_one(SpanPanel).set_spans(spans, topics)
        used = {name for span in spans for name in span.topics}
        doc = store.doc_topics(self.article_id).topics
        self.query_one(Legend).show(store.topics(), used=used | set(doc))
        self.query_one("#reader-header", Static).update(article_header(self.article, doc, topics))
        self._saved = saved
        self._status()

    def _status(self) -> None:
        view = self.view
        status = Text()
        stale = getattr(self, "_stale", [])
        spans = self.app.store.span_count(self.article_id) - len(stale)
        status.append(f"{spans} span{'s' if spans != 1 else ''}", style="bold")
        if stale:
            status.append(f" · {stale_spans_message(len(stale))}", style="yellow")
        status.append_text(selection_status(view))
        suggestion = view.suggestion_at_cursor() if not view.selection else None
        if suggestion is not None:
            status.append(" · suggested: ", style="italic")
            status.append(", ".join(suggestion.topics) + f" ({suggestion.origin or suggestion.source}) · a accepts, x rejects")
        status.append_text(self.suggestion_status(self.article_id, keys=suggestion is None))
        if self.app.store.is_done(self.article_id):
            status.append(" · done ✓", style="green")
        if getattr(self, "_saved", False):
            status.append(" · saved", style="green")
        self.query_one("#reader-status", Static).update(status)

    @on(ArticleView.CursorMoved)
    @on(ArticleView.SelectionChanged)
    def _moved(self) -> None:
        self._saved = False
        self._status()

    # -- panel, search, done, navigation -------------------------------------------------
    def action_search(self) -> None:
        """Search this article's text."""
        box = self.query_one("#reader-search", Input)
        box.remove_class("hidden")
        self.set_focus(box)  # at once: keys typed right after `/` are already queued behind this one

    @on(Input.Submitted, "#reader-search")
    def _search(self, event: Input.Submitted) -> None:
        self.search_in(self.view, event.input)

    def after_done(self) -> None:
        self._status()

    def _walk(self, step: int) -> None:
        ids = self.app.reading_order()
        if self.article_id not in ids:
            self.app.say("This article is not in the library's list (filtered out?); q goes back to it", timeout=3)
            return
        index = ids.index(self.article_id)
        from .library import hidden_not_done

        hidden = hidden_not_done(self.app)
        note = f"; the library's filter hides {hidden} not done (escape there clears it)" if hidden else ""
        for other in range(index + step, len(ids) if step > 0 else -1, step):
            if not self.app.store.is_done(ids[other]):
                screen = reader_for(self.app, ids[other])
                if screen is not None:
                    self.app.switch_screen(screen)
                    if hidden:
                        self.app.say(f"Next in the library's filtered list{note}", timeout=4)
                return
        self.app.say(f"No more articles that are not done in that direction{note}", timeout=4 if hidden else 2)

    def action_next_article(self) -> None:
        """Open the next article that is not done."""
        self._walk(1)

    def action_previous_article(self) -> None:
        """Open the previous article that is not done."""
        self._walk(-1)

    def action_clear(self) -> None:
        """Escape: close the search box or the panel, or clear the search marks; never leaves (q does)."""
        search = self.query_one("#reader-search", Input)
        if not search.has_class("hidden"):
            search.add_class("hidden")
            self.view.focus()
            return
        panel = self.query_one(SpanPanel)
        if not panel.has_class("hidden"):
            panel.add_class("hidden")
            self.view.focus()
            return
        if self.view.matches:
            self.view.search("")
            self.app.say("Search marks cleared", timeout=1)
            return
        self.app.say("Nothing to clear; q goes back to the library", timeout=2)

    def action_back(self) -> None:
        """Back to the library (everything is already saved)."""
        self.app.pop_screen()
