"""The topics screen: the project's topic set, to add, rename, merge, delete and set key, colour, description.

Every change goes through `annotations.topics` (checked, then one store batch recorded in the
app's `History`), so `u` undoes a delete with all its spans in one step. The counts shown are how
many spans and articles carry each topic: the per-topic progress of the library, a key away.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from newsdesk.annotations import topics as ops
from newsdesk.annotations.model import Topic, counted
from newsdesk.annotations.store import StoreError

from ..errors import first_line
from .confirm import ConfirmDialog as Confirm  # the app's one yes/no question

__all__ = ["TopicsScreen", "TopicInput", "Confirm", "topic_row"]


def topic_row(topic: Topic, usage: ops.Usage | None, swatch: object = None, done: int = 0) -> Text:
    """One topic as a line: key, colour, name, how much carries it, its description (all data, no markup)."""
    usage = usage or ops.Usage()
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{topic.key if topic.key else '·'} ", style="bold")
    line.append("■ ", style=swatch or topic.colour)
    line.append(topic.name, style="bold")
    line.append(f"  {topic.colour}", style="dim")
    counts = f"  {counted(usage.spans, 'span')} in {counted(usage.articles, 'article')}"
    if usage.doc_articles:
        counts += f" · topic of {counted(usage.doc_articles, 'article')}"
    if usage.article_ids:
        counts += f" · {done} of {len(usage.article_ids)} done"
    line.append(counts)
    if topic.description:
        short = topic.description if len(topic.description) <= 100 else topic.description[:99] + "…"
        line.append(f"\n    {short}", style="dim")
    return line


_DIALOG_CSS = """
    {name} {{ align: center middle; }}
    {name} > Vertical {{
        width: 72; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 0 1;
    }}
"""


class TopicInput(ModalScreen[str | None]):
    """Ask for one value (a name, a key, a colour, a description); `check` returns a refusal or None.

    A refused value keeps the dialog open with the reason under the box.
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="TopicInput")

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="topic_input.cancel")]

    def __init__(self, title: str, *, value: str = "", placeholder: str = "", check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.prompt_title = title
        self.value = value
        self.placeholder = placeholder
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="topic-input-dialog"):
            yield Static(Text(self.prompt_title, style="bold"))
            yield Input(value=self.value, placeholder=self.placeholder, id="topic-input")
            yield Static(Text(""), id="topic-input-error")
            yield Static(Text("enter save · esc cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#topic-input")
    def _submitted(self, event: Input.Submitted) -> None:
        refusal = self.check(event.value) if self.check else None
        if refusal:
            self.query_one("#topic-input-error", Static).update(Text(refusal, style="red"))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)


def _refusal(check: Callable[[str], object]) -> Callable[[str], str | None]:
    def run(value: str) -> str | None:
        try:
            check(value)
        except ops.MergeNeeded:
            return None  # renaming onto another topic: asked to merge next
        except ops.TopicRefused as refusal:
            return str(refusal)
        return None

    return run


class TopicsScreen(Screen):
    """The topic set, with every change undoable."""

    DEFAULT_CSS = """
    TopicsScreen #topics-list { height: 1fr; }
    TopicsScreen #topics-title { height: auto; padding: 0 1; background: $boost; }
    TopicsScreen #topics-status { height: 1; padding: 0 1; }
    """

    BINDINGS = [
        Binding("a", "add", "Add", id="topics.add"),
        Binding("r", "rename", "Rename", id="topics.rename"),
        Binding("m", "merge", "Merge into…", show=False, id="topics.merge"),
        Binding("x,delete", "delete", "Delete", id="topics.delete"),
        Binding("s", "set_key", "Key", id="topics.key"),
        Binding("c", "set_colour", "Colour", show=False, id="topics.colour"),
        Binding("e", "set_description", "Description", id="topics.description"),
        Binding("u", "undo", "Undo", id="topics.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="topics.redo"),
        Binding("j", "move(1)", "Next topic", show=False, id="topics.down"),
        Binding("k", "move(-1)", "Previous topic", show=False, id="topics.up"),
        Binding("q,escape", "back", "Back", id="topics.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="topics-title")
        yield OptionList(id="topics-list")
        yield Static(id="topics-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_topics()
        self.query_one(OptionList).focus()

    # -- drawing -----------------------------------------------------------------------------
    def refresh_topics(self, *, keep: str | None = None) -> None:
        """Redraw every topic with its counts, keeping `keep` (or the current topic) highlighted."""
        from ..palette import palette_for

        listing = self.query_one(OptionList)
        keep = keep or self.current_name()
        row = listing.highlighted or 0  # a deleted topic's row: the highlight stays where it was
        topics = self.app.store.topics()
        used = ops.usage_by_topic(self.app.store)
        swatches = palette_for(listing, topics).swatches
        listing.clear_options()
        store = self.app.store
        done = {name: sum(1 for a in usage.article_ids if store.is_done(a)) for name, usage in used.items()}
        listing.add_options(
            [
                Option(topic_row(topic, used.get(topic.name), swatches.get(topic.name), done.get(topic.name, 0)), id=topic.name)
                for topic in topics
            ]
        )
        names = [topic.name for topic in topics]
        if names:
            listing.highlighted = names.index(keep) if keep in names else min(row, len(names) - 1)
        title = Text()
        title.append("Topics", style="bold")
        keyed = sum(1 for topic in topics if topic.key)
        title.append(f"  {counted(len(topics), 'topic')}, {keyed} on keys 1-9", style="dim")
        self.query_one("#topics-title", Static).update(title)
        self.query_one("#topics-status", Static).update(
            Text("a add · r rename · m merge · x delete · s key · c colour · e description · u undo", style="dim")
        )

    def current_name(self) -> str | None:
        """The name of the highlighted topic, or None."""
        listing = self.query_one(OptionList)
        option = listing.highlighted_option
        return option.id if option is not None else None

    def _current(self) -> Topic | None:
        name = self.current_name()
        topic = self.app.store.topic(name) if name else None
        if topic is None:
            self.app.say("No topic highlighted; a adds one", severity="warning")
        return topic

    def _run(self, operation: Callable[[], object], *, keep: str | None = None) -> object | None:
        """Run a topic operation; a refusal or a failed save is one line, and nothing changes."""
        try:
            result = operation()
        except ops.TopicRefused as refusal:
            self.app.say(str(refusal), severity="warning", timeout=6)
            return None
        except StoreError as error:
            self.app.say(f"Not saved: {first_line(error)}", severity="error", timeout=10)
            return None
        if isinstance(result, ops.TopicEdit):
            self.app.touched.update(result.article_ids)
        self.refresh_topics(keep=keep)
        return result

    # -- actions -----------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        """Move the highlight."""
        listing = self.query_one(OptionList)
        if listing.option_count:
            listing.highlighted = max(0, min((listing.highlighted or 0) + step, listing.option_count - 1))

    def action_add(self) -> None:
        """Add a topic: it takes the next free key and a colour unlike the others."""
        history = self.app.history

        def added(name: str | None) -> None:
            if name:
                topic = self._run(lambda: ops.add_topic(history, name), keep=" ".join(name.split()))
                if isinstance(topic, Topic):
                    key = f"key {topic.key}" if topic.key else "no key (1-9 are taken)"
                    self.app.say(f"Added {topic.name} on {key}", timeout=3)

        check = _refusal(lambda value: ops.check_name(value, self.app.store.topics()))
        self.app.push_screen(TopicInput("New topic", placeholder="its name", check=check), added)

    def action_rename(self) -> None:
        """Rename the topic and every span carrying it; onto another topic's name, offer to merge."""
        topic = self._current()
        if topic is None:
            return
        history = self.app.history

        def renamed(name: str | None) -> None:
            if not name:
                return
            try:
                ops.check_name(name, self.app.store.topics(), renaming=topic.name)
            except ops.MergeNeeded as merge:
                self._ask_merge(topic.name, merge.target)
                return
            except ops.TopicRefused:
                pass  # _run says why
            edit = self._run(lambda: ops.rename_topic(history, topic.name, name), keep=" ".join(name.split()))
            if isinstance(edit, ops.TopicEdit):
                self.app.say(edit.summary("Renamed", f"{topic.name}' to '{edit.topic.name}") + " · u undoes", timeout=4)

        check = _refusal(lambda value: ops.check_name(value, self.app.store.topics(), renaming=topic.name))
        self.app.push_screen(TopicInput(f"Rename {topic.name}", value=topic.name, check=check), renamed)

    def _ask_merge(self, source: str, target: str) -> None:
        usage = ops.usage(self.app.store, source)
        question = (
            f"A topic called '{target}' already exists. Merge '{source}' into it? "
            f"{counted(usage.spans, 'span')} then carry '{target}'; u undoes."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._merge(source, target)

        self.app.push_screen(Confirm(question), answered)

    def _merge(self, source: str, target: str) -> None:
        edit = self._run(lambda: ops.merge_topics(self.app.history, source, target), keep=target)
        if isinstance(edit, ops.TopicEdit):
            self.app.say(edit.summary("Merged", f"{source}' into '{target}") + " · u undoes", timeout=4)

    def action_merge(self) -> None:
        """Merge the highlighted topic into another one (chosen by name)."""
        from .topic_picker import TopicPicker

        topic = self._current()
        if topic is None:
            return
        others = [other for other in self.app.store.topics() if other.name != topic.name]

        def chosen(target: str | None) -> None:
            if target:
                self._merge(topic.name, target)

        self.app.push_screen(TopicPicker(others, title=f"Merge {topic.name} into…", create=False), chosen)

    def action_delete(self) -> None:
        """Delete the highlighted topic after saying how many spans it touches (u undoes)."""
        topic = self._current()
        if topic is None:
            return
        usage = ops.usage(self.app.store, topic.name)
        question = f"Delete '{topic.name}'? It is on {counted(usage.spans, 'span')} in {counted(usage.articles, 'article')}"
        if usage.only_topic:
            question += f"; {counted(usage.only_topic, 'span')} with no other topic will be deleted too"
        if usage.doc_articles:
            question += f"; it is the topic of {counted(usage.doc_articles, 'article')}"
        question += ". u undoes."

        def answered(yes: bool | None) -> None:
            if yes:
                edit = self._run(lambda: ops.delete_topic(self.app.history, topic.name))
                if isinstance(edit, ops.TopicEdit):
                    self.app.say(edit.summary("Deleted", topic.name) + " · u undoes", timeout=5)

        self.app.push_screen(Confirm(question), answered)

    def _set(self, title: str, value: str, placeholder: str, check: Callable[[str], object], field: str) -> None:
        topic = self._current()
        if topic is None:
            return

        def given(answer: str | None) -> None:
            if answer is not None:
                self._run(lambda: ops.set_topic(self.app.history, topic.name, **{field: answer}), keep=topic.name)

        self.app.push_screen(TopicInput(f"{title} of {topic.name}", value=value, placeholder=placeholder,
                                        check=_refusal(check)), given)

    def action_set_key(self) -> None:
        """Give the topic a key 1-9 (taken from the topic holding it), or 0 for none."""
        topic = self.app.store.topic(self.current_name() or "")
        self._set("Key", str(topic.key or "") if topic else "", "1-9, or 0 for none", ops.parse_key, "key")

    def action_set_colour(self) -> None:
        """Set the topic's colour (#rrggbb); the box starts on the current one."""
        topic = self.app.store.topic(self.current_name() or "")
        self._set("Colour", topic.colour if topic else "", "#rrggbb", ops.parse_colour, "colour")

    def action_set_description(self) -> None:
        """Set the guideline the topic picker shows for this topic."""
        topic = self.app.store.topic(self.current_name() or "")
        self._set("Description", topic.description if topic else "", "what belongs in this topic",
                  ops.check_description, "description")

    def action_undo(self) -> None:
        """Undo the last change (a deleted topic comes back with all its spans)."""
        self._step(self.app.history.undo, "Undid", "Nothing to undo")

    def action_redo(self) -> None:
        """Redo the last undone change."""
        self._step(self.app.history.redo, "Redid", "Nothing to redo")

    def _step(self, step, verb: str, nothing: str) -> None:
        try:
            change = step()
        except StoreError as error:
            self.app.say(f"Not saved: {first_line(error)}", severity="error", timeout=10)
            return
        if change is None:
            self.app.say(nothing, severity="warning", timeout=2)
            return
        self.app.touched.update(change.article_ids)
        self.app.say(f"{verb}: {change.label}", timeout=3)
        self.refresh_topics()

    def action_back(self) -> None:
        """Back to where the topics screen was opened; screens below redraw with the new topics."""
        self.app.pop_screen()
        for screen in self.app.screen_stack:
            refresh = getattr(screen, "refresh_annotations", None)
            if callable(refresh):
                refresh()
