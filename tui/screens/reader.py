"""The reader: one article, its spans in topic colours, and every annotating key.

Motion and selection keys belong to `ArticleView`; this screen turns a selection into spans
through the app's `History`, so every edit is on disk when it shows and can be undone.
"""

from __future__ import annotations

import functools

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from newsdesk.annotations.model import Article, DocTopics, Span, Topic, counted, now_iso
from newsdesk.annotations.store import StoreError

from ..errors import first_line
from ..widgets import bidi
from ..widgets.article_view import ArticleView
from ..widgets.legend import Legend
from ..widgets.span_panel import SpanPanel
from .reviewing import Reviewing

__all__ = ["ReaderScreen", "article_header", "Annotating", "reader_for"]


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


def saving(handler):
    """Run an edit; if the store cannot save it (disk full, file gone), say so in one line.

    The store applies nothing it could not write, and History records nothing that failed,
    so the screen only has to stay as it was.
    """

    @functools.wraps(handler)
    def guarded(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except StoreError as error:
            from textual._context import active_app

            message = first_line(error)
            active_app.get().say(f"Not saved: {message}", severity="error", timeout=10)
            return None

    return guarded


SPAN_GUTTER = ("▍", "#8a94a6")  # a mark in the margin of every line that holds a span


def show_spans(view: ArticleView, spans: list[Span], topics: dict[str, Topic]) -> None:
    """Draw `spans` in `view`: their colours in the text and a mark in the margin of their lines."""
    view.set_spans(spans, topics)
    view.set_gutter_marks("spans", [(span.start, span.end) for span in spans], *SPAN_GUTTER)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection without the white space at its ends (`v` + `w` takes the trailing space too)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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


class Annotating(Reviewing):
    """What the reader and each side-by-side pane share: tagging, notes, undo, search and done.

    A subclass provides `view_for_action()` (the ArticleView keys act on) and `article_for(view)`.
    """

    def view_for_action(self) -> ArticleView:  # pragma: no cover - provided by the screens
        raise NotImplementedError

    def span_for_action(self) -> Span | None:
        """The span `enter` and `x` act on: the one under the cursor of the pane in use."""
        return self.view_for_action().span_at_cursor()

    def article_for(self, view: ArticleView) -> Article:
        return view.article

    def after_edit(self, article_ids: set[str]) -> None:  # pragma: no cover - provided by the screens
        raise NotImplementedError

    def edited(self, article_ids: set[str]) -> None:
        """An edit reached the store: note which articles' library rows need redrawing, then redraw here."""
        self.app.touched.update(article_ids)
        self.after_edit(article_ids)

    # -- tagging -------------------------------------------------------------------------
    @saving
    def action_tag(self, key: int) -> None:
        """Tag the selection (or the span under the cursor) with the topic on this number key."""
        topic = self.app.topic_for_key(key)
        if topic is None:
            self.app.say(f"No topic on key {key}; press t to choose or create one", severity="warning")
            return
        self.apply_topic(topic.name)

    def action_pick_topic(self) -> None:
        """Choose a topic by name (fuzzy search; a new name creates it) for the selection."""
        from .topic_picker import TopicPicker

        view = self.view_for_action()
        selection = view.selection
        span = view.span_at_cursor()
        if selection is None and span is None:
            self._nothing_selected()
            return
        if selection is None and span is not None:
            checked = span.topics
        else:
            checked = ()

        @saving
        def chosen(name: str | None) -> None:
            if name:
                self.app.ensure_topic(name)
                self.apply_topic(name, view=view)

        self.app.push_screen(TopicPicker(self.app.store.topics(), checked=checked), chosen)

    def action_article_topics(self) -> None:
        """Tag the whole article with a topic (choosing one already set removes it)."""
        from .topic_picker import TopicPicker

        view = self.view_for_action()
        article = self.article_for(view)
        current = self.app.store.doc_topics(article.id).topics

        @saving
        def chosen(name: str | None) -> None:
            if not name:
                return
            self.app.ensure_topic(name)
            topics = tuple(t for t in current if t != name) if name in current else current + (name,)
            self.app.history.set_doc_topics(
                DocTopics(article.id, topics, annotator=self.app.annotator, updated=now_iso())
            )
            verb = "removed from" if name in current else "added to"
            self.app.say(f"{name} {verb} the article", timeout=2)
            self.edited({article.id})

        self.app.push_screen(TopicPicker(self.app.store.topics(), title="Topics of the whole article", checked=current), chosen)

    @saving
    def apply_topic(self, name: str, *, view: ArticleView | None = None) -> None:
        """Put topic `name` on the selection as a span, or toggle it on the span under the cursor."""
        view = view or self.view_for_action()
        article = self.article_for(view)
        history = self.app.history
        selection = view.selection
        if selection is not None:
            start, end = _trimmed(article.text, *selection)
            if start >= end:
                self.app.say("The selection is only white space", severity="warning")
                return
            same = next((s for s in self.app.store.spans_for(article.id) if s.start == start and s.end == end), None)
            if same is not None:
                if name not in same.topics:
                    history.update_span(same.edited(topics=same.topics + (name,)))
            else:
                history.add_span(Span.create(article, start, end, [name], annotator=self.app.annotator))
            view.clear_selection()
        else:
            span = view.span_at_cursor()
            if span is None:
                self._nothing_selected()
                return
            if name in span.topics:
                remaining = tuple(t for t in span.topics if t != name)
                if remaining:
                    history.update_span(span.edited(topics=remaining))
                else:
                    history.delete_span(span.id)
            else:
                history.update_span(span.edited(topics=span.topics + (name,)))
        self.edited({article.id})

    def _nothing_selected(self) -> None:
        self.app.say(
            "Select text first: v and a motion, s for the sentence, S for the paragraph, or drag with the mouse",
            severity="warning",
        )

    # -- spans ---------------------------------------------------------------------------
    def action_open_span(self) -> None:
        """Open the span under the cursor: its text, topics and note."""
        from .span_dialog import SpanDialog

        span = self.span_for_action()
        if span is None:
            self.app.say("No span under the cursor; ] and [ jump between spans", severity="warning")
            return

        @saving
        def saved(note: str | None) -> None:
            if note is not None and note != span.note:
                self.app.history.update_span(span.edited(note=note))
                self.edited({span.article_id})

        self.app.push_screen(SpanDialog(span, self.app.topics_by_name()), saved)

    @saving
    def action_delete_span(self) -> None:
        """Delete the span under the cursor (u brings it back)."""
        span = self.span_for_action()
        if span is None:
            self.app.say("No span under the cursor to delete", severity="warning")
            return
        self.app.history.delete_span(span.id)
        self.app.say(f"Deleted span “{span.text[:40]}” — u undoes", timeout=3)
        self.edited({span.article_id})

    # -- search and done -----------------------------------------------------------------
    def search_in(self, view: ArticleView, box: Input) -> None:
        """Search `view` for what was typed in `box`, then close the box."""
        query = box.value
        count = view.search(query)
        box.add_class("hidden")
        view.focus()
        if query:
            message = f"{count:,} match{'' if count == 1 else 'es'}"
            if count > view.MAX_MATCHES:
                message += f" (the first {view.MAX_MATCHES:,} are marked)"
            self.app.say(message + (" · n/N move" if count else ""), timeout=3)

    @saving
    def action_toggle_done(self) -> None:
        """Mark the article done (or not done again)."""
        article = self.article_for(self.view_for_action())
        done = not self.app.store.is_done(article.id)
        open_suggestions = self.app.store.suggestion_count(article.id)
        if done and open_suggestions:
            self.app.say(f"Review the {open_suggestions} suggestions first (a/x, or A/X for all): "
                         "an article with open suggestions is not done", severity="warning", timeout=4)
            return
        self.app.store.set_done(article.id, done)
        self.app.touched.add(article.id)
        self.app.say("Marked done ✓ — J opens the next article not done" if done else "Marked not done", timeout=2)
        self.after_done()

    def after_done(self) -> None:
        """Redraw what shows the done mark (the status line)."""

    # -- undo ----------------------------------------------------------------------------
    @saving
    def action_undo(self) -> None:
        """Undo the last change to spans or topics (anywhere in this session)."""
        change = self.app.history.undo()
        if change is None:
            self.app.say("Nothing to undo", severity="warning", timeout=2)
            return
        self.app.say(f"Undid: {change.label}", timeout=2)
        self.edited({change.article_id} if change.article_id else set())

    @saving
    def action_redo(self) -> None:
        """Redo the last undone change."""
        change = self.app.history.redo()
        if change is None:
            self.app.say("Nothing to redo", severity="warning", timeout=2)
            return
        self.app.say(f"Redid: {change.label}", timeout=2)
        self.edited({change.article_id} if change.article_id else set())


ANNOTATING_BINDINGS = [
    *[
        Binding(str(key), f"tag({key})", f"Tag with topic {key}", show=False, id=f"annotate.tag_{key}")
        for key in range(1, 10)
    ],
    Binding("t", "pick_topic", "Topic…", id="annotate.pick_topic"),
    Binding("T", "article_topics", "Article topic", show=False, id="annotate.article_topics"),
    Binding("enter", "open_span", "Span/note", id="annotate.open_span"),
    Binding("x", "delete_span", "Delete span", show=False, id="annotate.delete_span"),
    Binding("u", "undo", "Undo", id="annotate.undo"),
    Binding("ctrl+z", "undo", "Undo", show=False, id="annotate.undo_ctrl_z"),
    Binding("ctrl+r", "redo", "Redo", show=False, id="annotate.redo"),
]


class ReaderScreen(Annotating, Screen):
    """Read one article and annotate it."""

    BINDINGS = [
        *ANNOTATING_BINDINGS,
        Binding("/", "search", "Search", id="reader.search"),
        Binding("a", "toggle_panel", "Spans panel", show=False, id="reader.toggle_panel"),
        Binding("d", "toggle_done", "Done", id="reader.toggle_done"),
        Binding("J", "next_article", "Next undone", show=False, id="reader.next_article"),
        Binding("K", "previous_article", "Previous undone", show=False, id="reader.previous_article"),
        Binding("q", "back", "Library", id="reader.back"),
        Binding("escape", "back", "Library", show=False, id="reader.back_escape"),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.article_id = article.id

    def compose(self) -> ComposeResult:
        yield Static(id="reader-header")
        with Horizontal(id="reader-body"):
            yield ArticleView(self.article, id="reader-view")
            yield SpanPanel(id="span-panel", classes="hidden")
        yield Input(placeholder="search this article (enter; n/N for next/previous)", id="reader-search", classes="hidden")
        yield Legend(id="reader-legend")
        yield Static(id="reader-status")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_annotations()
        self.query_one(ArticleView).focus()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def view_for_action(self) -> ArticleView:
        return self.view

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
        spans = store.spans_for(self.article_id)
        show_spans(self.view, spans, topics)
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
        spans = self.app.store.span_count(self.article_id)
        status.append(f"{spans} span{'s' if spans != 1 else ''}", style="bold")
        selection = view.selection
        if selection:
            status.append(f" · selected {counted(selection[1] - selection[0], 'character')} (1-9 or t to tag)")
        else:
            span = view.span_at_cursor()
            if span is not None:
                status.append(" · on span: ")
                status.append(", ".join(span.topics))
                if span.note:
                    status.append(" ✎")
        suggestion = view.suggestion_at_cursor() if not selection else None
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
    def action_toggle_panel(self) -> None:
        """Show the list of this article's spans (at the span nearest the cursor), or hide it."""
        panel = self.query_one(SpanPanel)
        if panel.has_class("hidden") or not panel.has_focus:
            panel.remove_class("hidden")
            panel.highlight_nearest(self.view.cursor)
            panel.focus()
        else:
            panel.add_class("hidden")
            self.view.focus()

    @on(SpanPanel.SpanChosen)
    def _jump_to_span(self, event: SpanPanel.SpanChosen) -> None:
        span = self.app.store.get_span(event.span_id)
        if span is not None:
            self.view.clear_selection()  # a jump must not stretch a `v` selection across the article
            self.view.move_cursor(span.start, center=True)
            self.view.focus()

    def span_for_action(self) -> Span | None:
        """The span highlighted in the panel when it has focus, else the one under the text cursor."""
        panel = self.query_one(SpanPanel)
        if panel.has_focus and panel.highlighted_option is not None and panel.highlighted_option.id:
            return self.app.store.get_span(panel.highlighted_option.id)
        return self.view.span_at_cursor()

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

    def action_back(self) -> None:
        """Back to the library (everything is already saved); first closes the search box or the panel."""
        search = self.query_one("#reader-search", Input)
        if not search.has_class("hidden"):
            search.add_class("hidden")
            self.view.focus()
            return
        panel = self.query_one(SpanPanel)
        if panel.has_focus:
            panel.add_class("hidden")
            self.view.focus()
            return
        self.app.pop_screen()
