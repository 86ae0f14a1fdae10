"""Reviewing suggestions, tagging every occurrence and running the patterns again, for the reader and side by side.

A mixin of the screens that annotate (`Annotating`'s screens): the `ArticleView` keys only say
what the person asked for (messages of `SuggestionMarks`); this writes it through the app's
`History` (one batch, one undo) and redraws. Counting over the whole library and matching
patterns run in a thread worker, then a `ConfirmBatch` shows how many, in how many articles,
before anything is stored.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from rich.text import Text

from newsdesk.annotations import text as textrules
from newsdesk.annotations.model import Article, counted
from newsdesk.annotations.store import StoreError

from ..errors import first_line
from ..widgets.article_suggestions import SuggestionMarks

__all__ = ["Reviewing", "patterns_file"]


def patterns_file() -> Path | None:
    """The patterns file the app runs again: `$NEWSDESK_PATTERNS`, else the last one `newsdesk suggest` used."""
    explicit = os.environ.get("NEWSDESK_PATTERNS")
    if explicit:
        return Path(explicit).expanduser()
    from ..config import load_state

    remembered = load_state().get("patterns")
    return Path(remembered) if isinstance(remembered, str) and remembered else None


def _phrase_for(view: Any) -> str | None:
    """What tagging every occurrence looks for: the selection, else the search hit or word under the cursor."""
    text = view.text
    selection = view.selection
    if selection is not None:
        start, end = selection
        phrase = " ".join(text[start:end].split())
        phrase = phrase.strip(".,;:!?\"'“”‘’()[]")
        return phrase or None
    cursor = view.cursor
    for start, end in getattr(view, "matches", []):
        if start <= cursor < end:
            return text[start:end]
    if cursor < len(text):
        start, end = textrules.word_at(text, cursor)
        if any(char.isalnum() for char in text[start:end]):
            return text[start:end]
    return None


class Reviewing:
    """Screen mixin: suggestions shown and reviewed, tag-all, patterns again."""

    def show_suggestions(self, view: Any) -> int:
        """Draw the open suggestions of `view`'s article; returns how many."""
        article = view.article
        found = self.app.store.suggestions_for(article.id) if article is not None else []  # type: ignore[attr-defined]
        view.set_suggestions(found)
        return len(found)

    def suggestion_status(self, article_id: str, *, keys: bool = True) -> Text:
        """A status fragment: the open suggestions and (with `keys`) how to review them; empty when none."""
        count = self.app.store.suggestion_count(article_id)  # type: ignore[attr-defined]
        status = Text()
        if count:
            status.append(f" · {counted(count, 'suggestion')}", style="italic")
            if keys:
                status.append(" (]/[ walk · A/X accept/reject all)", style="dim")
        return status

    def _saved_or_said(self, write) -> bool:
        try:
            write()
        except StoreError as error:
            self.app.say(f"Not saved: {first_line(error)}", severity="error", timeout=10)  # type: ignore[attr-defined]
            return False
        return True

    # -- review ----------------------------------------------------------------------------
    def on_suggestion_marks_suggestions_reviewed(self, message: SuggestionMarks.SuggestionsReviewed) -> None:
        message.stop()
        app = self.app  # type: ignore[attr-defined]
        accept, reject = message.accept, message.reject
        if not self._saved_or_said(lambda: app.history.review(accept, reject, annotator=app.annotator)):
            return
        parts = []
        if accept:
            parts.append(f"accepted {counted(len(accept), 'suggestion')}")
        if reject:
            parts.append(f"rejected {counted(len(reject), 'suggestion')}")
        app.say(" and ".join(parts).capitalize() + " — u undoes", timeout=3)
        self.edited({s.article_id for s in accept + reject})  # type: ignore[attr-defined]

    # -- tag every occurrence --------------------------------------------------------------
    def on_suggestion_marks_tag_all_asked(self, message: SuggestionMarks.TagAllAsked) -> None:
        message.stop()
        from .tag_all import TopicKeyPrompt

        view = message.view
        phrase = _phrase_for(view)
        if not phrase:
            self.app.say("Select text, search for it, or put the cursor on a word first", severity="warning")  # type: ignore[attr-defined]
            return
        where = "in the whole library" if message.library else "in this article"

        def chosen(name: str | None) -> None:
            if not name:
                return
            if not self._saved_or_said(lambda: self.app.ensure_topic(name)):  # type: ignore[attr-defined]
                return
            if message.library:
                self._tag_all_library(phrase, name)
            else:
                self._tag_all_article(view, phrase, name)

        self.app.push_screen(TopicKeyPrompt(f"Tag every “{phrase}” {where} with:", self.app.store.topics()), chosen)  # type: ignore[attr-defined]

    def _tag_all_article(self, view: Any, phrase: str, topic: str) -> None:
        from newsdesk.annotations.occurrences import plan_tag_all

        app = self.app  # type: ignore[attr-defined]
        plan = plan_tag_all([view.article], phrase, topic, app.store, annotator=app.annotator)
        self._store_plan(plan)

    def _store_plan(self, plan: Any) -> None:
        app = self.app  # type: ignore[attr-defined]
        if not plan.count:
            app.say(f"Nothing new to tag: {plan.summary()}", severity="warning", timeout=3)
            return
        store = lambda: app.history.add_spans(plan.spans, label=f"tag every {plan.query}", updates=plan.updates)  # noqa: E731
        if not self._saved_or_said(store):
            return
        app.say(f"Tagged {plan.summary()} with {plan.topic} — u undoes all of them", timeout=4)
        self.edited(plan.article_ids)  # type: ignore[attr-defined]

    def _articles(self) -> Iterator[Article]:
        library = self.app.library  # type: ignore[attr-defined]
        for entry in list(library.entries):
            try:
                yield library.load(entry.id)
            except Exception:  # an unreadable file is skipped here; the library lists it
                continue

    def _tag_all_library(self, phrase: str, topic: str) -> None:
        from newsdesk.annotations.occurrences import plan_tag_all

        app = self.app  # type: ignore[attr-defined]
        state = {"whole": True}

        def plan_for(whole: bool):
            return plan_tag_all(self._articles(), phrase, topic, app.store, annotator=app.annotator, whole_words=whole)

        def counted_plan() -> Any:
            return plan_for(True)

        def show(plan: Any) -> None:
            from .tag_all import ConfirmBatch

            current = {"plan": plan}

            def describe() -> str:
                words = "whole words" if state["whole"] else "also inside words"
                return f"Tag {current['plan'].summary()} with {topic}? ({words})"

            def toggle() -> str:
                state["whole"] = not state["whole"]
                current["plan"] = plan_for(state["whole"])
                return describe()

            def decided(yes: bool | None) -> None:
                if yes:
                    self._store_plan(current["plan"])

            app.push_screen(ConfirmBatch(describe(), toggle=("w", "whole words on/off", toggle)), decided)

        app.say(f"Counting “{phrase}” in {counted(len(app.library.entries), 'article')}…", timeout=2)
        self._in_worker(counted_plan, show, "tag-all")

    def _in_worker(self, work, then, group: str) -> None:
        app = self.app  # type: ignore[attr-defined]

        def run() -> None:
            try:
                result = work()
            except Exception as error:  # shown as one line, never a traceback
                app.call_from_thread(app.say, first_line(error), severity="error", timeout=6)
                return
            app.call_from_thread(then, result)

        self.run_worker(run, thread=True, exclusive=True, group=group)  # type: ignore[attr-defined]

    # -- patterns again --------------------------------------------------------------------
    def on_suggestion_marks_patterns_asked(self, message: SuggestionMarks.PatternsAsked) -> None:
        message.stop()
        from newsdesk.annotations.patterns import PatternError, read_patterns, run_patterns

        app = self.app  # type: ignore[attr-defined]
        path = patterns_file()
        if path is None:
            app.say("No patterns file yet: run 'newsdesk suggest --patterns FILE' once, or set NEWSDESK_PATTERNS",
                    severity="warning", timeout=6)
            return
        try:
            patterns = read_patterns(path)
        except PatternError as error:
            app.say(first_line(error), severity="error", timeout=8)
            return

        def work() -> Any:
            entries = app.library.entries
            return run_patterns(patterns, self._articles(), app.store, total=len(entries))

        def show(run: Any) -> None:
            from .tag_all import ConfirmBatch

            if not run.suggestions:
                app.say(f"{path.name}: {run.summary()}", timeout=4)
                return
            lines = [f"{path.name}: {run.summary()}."]
            if run.new_topics:
                lines.append("New topics it creates: " + ", ".join(run.new_topics) + ".")
            if run.needs_confirmation:
                lines.append("That is a great many suggestions.")
            lines.append("Store them?")

            def decided(yes: bool | None) -> None:
                if not yes:
                    return
                from newsdesk.annotations.suggesting import new_topics

                topics = new_topics(app.store.topics(), run.new_topics)
                if self._saved_or_said(lambda: app.history.add_suggestions(run.suggestions, topics=topics)):
                    app.say(f"Stored {counted(len(run.suggestions), 'suggestion')} — u undoes", timeout=3)
                    self.edited({s.article_id for s in run.suggestions})  # type: ignore[attr-defined]

            app.push_screen(ConfirmBatch("\n".join(lines)), decided)

        app.say(f"Matching {path.name} over {counted(len(app.library.entries), 'article')}…", timeout=2)
        self._in_worker(work, show, "patterns")
