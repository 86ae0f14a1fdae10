"""What the reader and each pane of side by side share: tagging, editing spans, notes, undo, done.

Every edit goes through the app's `History`, so it is on disk when it shows and can be undone.
What a key acts on follows one rule everywhere: the selection; with none, the span under the
cursor; with neither, the word under the cursor.
"""

from __future__ import annotations

import functools
from typing import Collection

from textual.binding import Binding
from textual.widgets import Input

from newsdesk.annotations.cursor import moved_edge
from newsdesk.annotations.model import Article, DocTopics, Span, Topic, now_iso, split_fitting, stale_spans_message
from newsdesk.annotations.store import StoreError

from ..errors import first_line
from ..widgets.article_view import ArticleView
from .reviewing import Reviewing

__all__ = ["Annotating", "ANNOTATING_BINDINGS", "saving", "show_spans", "quoted"]


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


def show_spans(view: ArticleView, spans: list[Span], topics: dict[str, Topic]) -> tuple[list[Span], list[Span]]:
    """Draw `spans` in `view`: their colours in the text and one margin mark per topic on their lines.

    Spans that no longer fit the text (`model.fits_text`, as export decides) are not drawn, so
    they cannot be edited either. Returns (drawn, left out).
    """
    fitting, stale = split_fitting(spans, view.text)
    view.set_spans(fitting, topics)
    return fitting, stale


def quoted(text: str, limit: int = 40) -> str:
    """`text` on one line in quotes, cut with … past `limit` characters."""
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"


class Annotating(Reviewing):
    """Tagging, span edits, notes, undo, search and done, for a screen of `ArticleView`s.

    A subclass provides `view_for_action()` (the ArticleView keys act on), `after_edit()` and
    `articles_on_screen()` (what undo is scoped to).
    """

    def view_for_action(self) -> ArticleView:  # pragma: no cover - provided by the screens
        raise NotImplementedError

    def articles_on_screen(self) -> list[Article]:  # pragma: no cover - provided by the screens
        raise NotImplementedError

    def article_for(self, view: ArticleView) -> Article:
        return view.article

    def after_edit(self, article_ids: set[str]) -> None:  # pragma: no cover - provided by the screens
        raise NotImplementedError

    def note_stale(self, article_id: str, stale: list[Span]) -> None:
        """Say once per article on this screen that some of its spans no longer fit its text (and are not shown)."""
        said: set[str] = self.__dict__.setdefault("_stale_said", set())
        if stale and article_id not in said:
            said.add(article_id)
            self.app.say(f"{stale_spans_message(len(stale))}: not shown (export skips it too)"
                         if len(stale) == 1 else f"{stale_spans_message(len(stale))}: not shown (export skips them too)",
                         severity="warning", timeout=6)

    def edited(self, article_ids: set[str]) -> None:
        """An edit reached the store: note which articles' library rows need redrawing, then redraw here."""
        self.app.touched.update(article_ids)
        self.after_edit(article_ids)

    # -- tagging -------------------------------------------------------------------------
    @saving
    def action_tag(self, key: int) -> None:
        """Tag the selection (or toggle on the span under the cursor, or tag the word) with key's topic."""
        topic = self.app.topic_for_key(key)
        if topic is None:
            self.app.say(f"No topic on key {key}; press t to choose or create one", severity="warning")
            return
        self.apply_topic(topic.name)

    def _target(self, view: ArticleView) -> str | None:
        """What a tagging key would act on: "selection", "span", "word", or None."""
        if view.selection is not None:
            return "selection"
        if view.span_at_cursor() is not None:
            return "span"
        if view.model.word_under() is not None:
            return "word"
        return None

    def action_pick_topic(self) -> None:
        """Choose a topic by name (fuzzy search; a new name creates it) for the selection, span or word."""
        from .topic_picker import TopicPicker

        view = self.view_for_action()
        target = self._target(view)
        if target is None:
            self._nothing_selected()
            return
        span = view.span_at_cursor() if target == "span" else None
        title = f"Topic for {quoted(span.text, 30)} (a checked one is removed)" if span else "Tag with topic"

        @saving
        def chosen(name: str | None) -> None:
            if name:
                with self.app.history.step(f"tag with {name}"):
                    self.app.ensure_topic(name)
                    self.apply_topic(name, view=view)

        self.app.push_screen(
            TopicPicker(self.app.store.topics(), title=title, checked=span.topics if span else ()), chosen
        )

    def action_relabel(self) -> None:
        """Replace the topic of the span under the cursor (a picker; 1-9 choose by key at once)."""
        from .topic_picker import TopicPicker

        view = self.view_for_action()
        span = self.span_for_action()
        if span is None:
            self.app.say("No span under the cursor to relabel; ] and [ jump between spans", severity="warning")
            return

        @saving
        def chosen(name: str | None) -> None:
            current = self.app.store.get_span(span.id)
            if not name or current is None or current.topics == (name,):
                return
            with self.app.history.step(f"relabel {quoted(current.text, 30)}"):
                self.app.ensure_topic(name)
                saved = self.app.history.update_span(current.edited(topics=(name,)), label="relabel span")
            self.app.say(f"{', '.join(current.topics)} → {name}", timeout=2)
            view.rest_on(saved)
            self.edited({saved.article_id})

        title = f"Replace {', '.join(span.topics)} on {quoted(span.text, 24)} with…"
        self.app.push_screen(
            TopicPicker(self.app.store.topics(), title=title, checked=span.topics, replace=True), chosen
        )

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
            topics = tuple(t for t in current if t != name) if name in current else current + (name,)
            with self.app.history.step("article topics"):
                self.app.ensure_topic(name)
                self.app.history.set_doc_topics(
                    DocTopics(article.id, topics, annotator=self.app.annotator, updated=now_iso())
                )
            verb = "removed from" if name in current else "added to"
            self.app.say(f"{name} {verb} the article", timeout=2)
            self.edited({article.id})

        self.app.push_screen(
            TopicPicker(self.app.store.topics(), title="Topics of the whole article", checked=current), chosen
        )

    @saving
    def apply_topic(self, name: str, *, view: ArticleView | None = None) -> None:
        """Topic `name` on the selection (a new span, or the span already there), else toggled on the
        span under the cursor, else on the word under the cursor. The cursor then rests on the span."""
        view = view or self.view_for_action()
        article = self.article_for(view)
        history = self.app.history
        target = self._target(view)
        if target == "span":
            span = view.span_at_cursor()
            assert span is not None
            if name in span.topics:
                remaining = tuple(t for t in span.topics if t != name)
                if remaining:
                    view.rest_on(history.update_span(span.edited(topics=remaining), label=f"remove {name}"))
                else:
                    history.delete_span(span.id)
                self.app.say(f"{name} removed from {quoted(span.text, 30)}", timeout=2)
            else:
                view.rest_on(history.update_span(span.edited(topics=span.topics + (name,)), label=f"add {name}"))
            self.edited({article.id})
            return
        if target == "selection":
            found = view.model.tag_range()
            if found is None:
                self.app.say("The selection is only spaces or punctuation", severity="warning")
                return
        elif target == "word":
            found = view.model.word_under()
        else:
            self._nothing_selected()
            return
        assert found is not None
        start, end = found
        fitting, _stale = split_fitting(self.app.store.spans_for(article.id), article.text)
        same = next((s for s in fitting if s.start == start and s.end == end), None)
        if same is not None:
            if name not in same.topics:
                same = history.update_span(same.edited(topics=same.topics + (name,)), label=f"add {name}")
            view.rest_on(same)
        else:
            span = Span.create(article, start, end, [name], annotator=self.app.annotator)
            view.rest_on(history.add_span(span, label=f"tag {quoted(span.text, 30)}"))
        self.edited({article.id})

    def _nothing_selected(self) -> None:
        self.app.say(
            "Nothing to tag here: v and a motion, s for the sentence, S for the paragraph, or drag with the mouse",
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
            current = self.app.store.get_span(span.id)
            if note is not None and current is not None and note != current.note:
                self.app.history.update_span(current.edited(note=note), label="note")
                self.edited({span.article_id})

        self.app.push_screen(SpanDialog(span, self.app.topics_by_name()), saved)

    @saving
    def action_delete_span(self) -> None:
        """Delete the span under the cursor (u brings it back)."""
        span = self.span_for_action()
        if span is None:
            self.app.say("No span under the cursor to delete", severity="warning")
            return
        self.app.history.delete_span(span.id, label=f"delete {quoted(span.text, 30)}")
        self.app.say(f"Deleted span {quoted(span.text)} — u undoes", timeout=3)
        self.edited({span.article_id})

    @saving
    def action_move_edge(self, edge: str, step: int, unit: str = "word") -> None:
        """Move the start or end of the span under the cursor by a word (or a grapheme), in place."""
        view = self.view_for_action()
        span = self.span_for_action()
        if span is None:
            self.app.say("No span under the cursor to resize; ] and [ jump between spans", severity="warning")
            return
        article = self.article_for(view)
        moved = moved_edge(article.text, span.start, span.end, edge, step, unit)  # type: ignore[arg-type]
        if moved is None:
            self.app.say("The span cannot get any shorter there; x deletes it", severity="warning", timeout=2)
            return
        start, end = moved
        saved = self.app.history.update_span(
            span.edited(start=start, end=end, text=article.text[start:end]), label="resize span", merge=True
        )
        view.rest_on(saved)
        self.edited({article.id})

    # -- the span panel ------------------------------------------------------------------
    def fill_panel(self, view: ArticleView) -> None:
        """Show the spans of `view`'s article in the panel (screens with one article keep it filled)."""

    def action_toggle_panel(self) -> None:
        """Show the list of this article's spans (at the span nearest the cursor), or hide it."""
        from ..widgets.span_panel import SpanPanel

        panel = self.query_one(SpanPanel)
        view = self.view_for_action()
        if panel.has_class("hidden") or not panel.has_focus:
            self.fill_panel(view)
            panel.remove_class("hidden")
            panel.highlight_nearest(view.cursor)
            self.set_focus(panel)
        else:
            panel.add_class("hidden")
            self.set_focus(view)

    def on_span_panel_span_chosen(self, event) -> None:
        span = self.app.store.get_span(event.span_id)
        view = self.view_for_action()
        if span is not None:
            view.clear_selection()  # a jump must not stretch a `v` selection across the article
            view.move_cursor(span.start, center=True)
            view.rest_on(span)
            self.set_focus(view)

    def span_for_action(self) -> Span | None:
        """The span highlighted in the panel when it has focus, else the one under the text cursor."""
        from ..widgets.span_panel import SpanPanel

        focused = self.focused
        if isinstance(focused, SpanPanel):
            option = focused.highlighted_option
            return self.app.store.get_span(option.id) if option is not None and option.id else None
        return self.view_for_action().span_at_cursor()

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
            self.app.say(message + (" · n/N move · escape clears" if count else ""), timeout=3)

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
    def _scope(self) -> set[str]:
        return {article.id for article in self.articles_on_screen()}

    def _where(self, article_ids: Collection[str]) -> str:
        titles = []
        for article_id in article_ids:
            entry = self.app.library.get(article_id)
            titles.append(quoted(entry.title, 50) if entry is not None else article_id[:12])
        return ", ".join(titles) if titles else "the topic list"

    @saving
    def action_undo(self) -> None:
        """Undo the last change to the article(s) on screen; one elsewhere asks first."""
        self._walk_history(undo=True)

    @saving
    def action_redo(self) -> None:
        """Redo the last undone change to the article(s) on screen; one elsewhere asks first."""
        self._walk_history(undo=False)

    def _walk_history(self, *, undo: bool) -> None:
        history = self.app.history
        verb, did = ("undo", "Undid") if undo else ("redo", "Redid")
        scope = self._scope()
        here = history.next_undo(scope) if undo else history.next_redo(scope)
        if here is not None:
            change = history.undo(scope) if undo else history.redo(scope)
            assert change is not None
            self.app.say(f"{did}: {change.label}", timeout=2)
            self.edited(set(change.article_ids))
            return
        elsewhere = history.next_undo() if undo else history.next_redo()
        if elsewhere is None:
            self.app.say(f"Nothing to {verb}", severity="warning", timeout=2)
            return
        from .confirm import ConfirmDialog

        where = self._where(elsewhere.article_ids)

        @saving
        def answered(yes: bool | None) -> None:
            if not yes:
                return
            change = history.undo() if undo else history.redo()
            if change is not None:
                self.app.say(f"{did}: {change.label} (in {where})", timeout=3)
                self.edited(set(change.article_ids))

        self.app.push_screen(
            ConfirmDialog(f"Nothing left to {verb} here. {verb.capitalize()} “{elsewhere.label}” in {where}?"),
            answered,
        )


ANNOTATING_BINDINGS = [
    *[
        Binding(str(key), f"tag({key})", f"Tag with topic {key}", show=False, id=f"annotate.tag_{key}")
        for key in range(1, 10)
    ],
    Binding("t", "pick_topic", "Topic…", id="annotate.pick_topic"),
    Binding("r", "relabel", "Relabel", show=False, id="annotate.relabel"),
    Binding("T", "article_topics", "Article topic", show=False, id="annotate.article_topics"),
    Binding("enter", "open_span", "Span/note", id="annotate.open_span"),
    Binding("x", "delete_span", "Delete span", show=False, id="annotate.delete_span"),
    Binding("greater_than_sign", "move_edge('end', 1)", "Span end a word later", show=False, id="annotate.end_word_later"),
    Binding("less_than_sign", "move_edge('start', -1)", "Span start a word earlier", show=False, id="annotate.start_word_earlier"),
    Binding("ctrl+right", "move_edge('end', 1)", "Span end a word later", show=False, id="annotate.end_word_right"),
    Binding("ctrl+left", "move_edge('end', -1)", "Span end a word earlier", show=False, id="annotate.end_word_left"),
    Binding("ctrl+shift+right", "move_edge('end', 1, 'grapheme')", "Span end a character later", show=False,
            id="annotate.end_char_right"),
    Binding("ctrl+shift+left", "move_edge('end', -1, 'grapheme')", "Span end a character earlier", show=False,
            id="annotate.end_char_left"),
    Binding("alt+left", "move_edge('start', -1)", "Span start a word earlier", show=False, id="annotate.start_word_left"),
    Binding("alt+right", "move_edge('start', 1)", "Span start a word later", show=False, id="annotate.start_word_right"),
    Binding("alt+shift+left", "move_edge('start', -1, 'grapheme')", "Span start a character earlier", show=False,
            id="annotate.start_char_left"),
    Binding("alt+shift+right", "move_edge('start', 1, 'grapheme')", "Span start a character later", show=False,
            id="annotate.start_char_right"),
    Binding("u", "undo", "Undo", id="annotate.undo"),
    Binding("ctrl+z", "undo", "Undo", show=False, id="annotate.undo_ctrl_z"),
    Binding("ctrl+r", "redo", "Redo", show=False, id="annotate.redo"),
]
