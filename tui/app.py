"""The newsdesk Textual app: global keys, the command palette, and the screens' shared state.

The app owns nothing on disk itself: the `Library` (articles) and the `Store` (annotations) are
opened by the CLI (so their errors are one line before any UI starts) or by `make_app` for
tests and screenshots, and every edit goes through `History` so it can be undone.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from newsdesk.annotations.corpus import Library
from newsdesk.annotations.history import History
from newsdesk.annotations.model import Article, Topic, counted
from newsdesk.annotations.store import Store

from .config import Settings

__all__ = ["NewsdeskApp", "make_app"]


class NewsdeskCommands(Provider):
    """The palette's commands (`NewsdeskApp.get_system_commands`), shown as plain text.

    Textual's own provider reads command names and help as markup; newsdesk's names carry
    topic names, which are data: `[@click=app.quit]` in one must show as typed, never run.
    """

    def _commands(self) -> list[SystemCommand]:
        return list(self.app.get_system_commands(self.screen))

    async def discover(self) -> Hits:
        """Every command, by name, before anything is typed."""
        for command in sorted(self._commands(), key=lambda command: command.title):
            if command.discover:
                yield DiscoveryHit(
                    Content(command.title), command.callback, text=command.title, help=Content(command.help)
                )

    async def search(self, query: str) -> Hits:
        """The commands whose names match `query`, the matched letters highlighted."""
        matcher = self.matcher(query)
        for command in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, command.title)
            if score > 0:
                display = Content(command.title)
                for offset in offsets:
                    if not command.title[offset].isspace():
                        display = display.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, display, command.callback, text=command.title, help=Content(command.help))


class NewsdeskApp(App[None]):
    """Read a library of news articles and annotate spans with topics, from the keyboard."""

    CSS_PATH = "newsdesk.tcss"
    TITLE = "newsdesk"
    COMMANDS = {NewsdeskCommands}
    BINDINGS = [
        Binding("?", "help", "Help", id="app.help"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        Binding("ctrl+t", "topics", "Topics", show=False, id="app.topics"),
    ]

    def __init__(
        self,
        *,
        library: Library,
        store: Store,
        settings: Settings,
        open_article: str | None = None,
        owns_store: bool = False,
    ) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self._owns_store = owns_store
        self.settings = settings
        self.history = History(store)
        self.touched: set[str] = set()  # articles edited since the library list last drew them
        self._open_article = open_article
        if settings.theme and settings.theme in self.available_themes:
            self.theme = settings.theme
        from .widgets import bidi

        bidi.set_mode(getattr(settings, "bidi", "app"))  # config.toml: bidi = "app" | "terminal"

    @property
    def annotator(self) -> str:
        """The name stored on every span made in this session."""
        return self.settings.annotator

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(dict(self.settings.keymap))
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        from .screens.library import LibraryScreen

        self.push_screen(LibraryScreen())
        for note in getattr(self, "start_notes", ()):  # e.g. what a --topics file changed
            self.say(note, timeout=8)
        if self._open_article:
            from .screens.reader import reader_for

            screen = reader_for(self, self._open_article)
            if screen is not None:
                self.push_screen(screen)

    def _remember_theme(self, theme) -> None:
        """A theme chosen in the palette is the one newsdesk opens with next time."""
        from .config import save_state

        save_state(theme=theme.name)

    # -- keys typed faster than focus moves ------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            # Textual hands a key to whatever has focus when it arrives; remember that, so a key
            # typed right after `/` or `t` (before the input took focus) can follow the focus.
            event._newsdesk_sent_to = self.focused or self.screen  # type: ignore[attr-defined]
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        # Runs before App._on_key (Textual calls each class's handler in turn) and, for a key
        # whose focus moved, stops it there.
        sent_to = getattr(event, "_newsdesk_sent_to", None)
        now = self.focused or self.screen
        if sent_to is not None and now is not sent_to:
            # Focus moved (an input, a picker or a dialog opened) after this key was sent: it
            # belongs there, never to a command of the screen it left.
            event.prevent_default()
            event.stop()
            if await self._check_bindings(event.key, priority=True):
                return  # as if it had arrived now: the new screen's priority keys come first
            moved = events.Key(event.key, event.character)
            moved._newsdesk_moved = True  # type: ignore[attr-defined]
            now._forward_event(moved)

    def on_descendant_focus(self, event) -> None:
        # Tests and screenshots set NEWSDESK_BLINK=0 so a text cursor never blinks mid-snapshot.
        if os.environ.get("NEWSDESK_BLINK") == "0" and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def on_unmount(self) -> None:
        if self._owns_store:
            self.store.close()

    def say(self, message: str, *, severity: str = "information", timeout: float = 3) -> None:
        """A toast of plain text: article titles and topic names in it are data, never markup."""
        from .errors import shown_multiline

        self.notify(shown_multiline(message), severity=severity, timeout=timeout, markup=False)

    def reading_order(self) -> list[str]:
        """Article ids in the order the library list shows them (its sort and filter), for J/K."""
        from .screens.library import LibraryScreen
        from .widgets.library_list import LibraryList

        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                return screen.query_one(LibraryList).visible_ids()
        return [entry.id for entry in self.library.entries]

    def article_changed(self, old_id: str, article: Article) -> None:
        """The file of `old_id` now holds `article`: read the library again and move its spans over.

        Spans whose text is still clearly in the article follow it (undoable); the rest stay with
        the old text, and the person is told how many of each.
        """
        from newsdesk.annotations.reanchor import carry_over

        self.library = self.library.reopen()
        moved, left = carry_over(self.store.spans_for(old_id), article)
        for span in moved:
            self.history.update_span(span)
        old_doc = self.store.doc_topics(old_id)
        if old_doc.topics and not self.store.doc_topics(article.id).topics:
            self.store.set_doc_topics(replace(old_doc, article_id=article.id))
        if self.store.is_done(old_id):
            self.store.set_done(article.id, True)
        message = f"{Path(article.origin).name} changed on disk, so the library was read again"
        if moved or left:
            message += f": {counted(len(moved), 'span')} moved to the new text"
            if left:
                message += f", {len(left)} could not be placed and stay with the old text"
        self.say(message, severity="warning", timeout=10)

    def include_feeds(self) -> None:
        """Read the library again with the feeds folder among its sources (after a fetch)."""
        from newsdesk.annotations.corpus import Library
        from newsdesk.annotations.sources import CombinedLibrary
        from newsdesk.annotations.feeds import feeds_folder

        folder = feeds_folder()
        if folder in self.library.sources:
            self.library = self.library.reopen()
        else:
            self.library = CombinedLibrary([self.library, Library.open(folder)])

    # -- topics --------------------------------------------------------------------------
    def topics_by_name(self) -> dict[str, Topic]:
        """Every topic in the store, by name."""
        return {topic.name: topic for topic in self.store.topics()}

    def topic_for_key(self, key: int) -> Topic | None:
        """The topic bound to number key `key` (1-9)."""
        for topic in self.store.topics():
            if topic.key == key:
                return topic
        return None

    def ensure_topic(self, name: str) -> Topic:
        """The topic called `name`, created (with a free key and colour) when it is new."""
        existing = self.store.topic(name)
        if existing is not None:
            return existing
        from newsdesk.annotations.topics import next_colour, next_free_key

        topics = self.store.topics()
        key = next_free_key(topics)
        colour = next_colour(topic.colour for topic in topics)  # unlike every colour in use
        topic = Topic(name=name, key=key, colour=colour, description="added while annotating")
        self.history.put_topic(topic)
        return topic

    # -- actions -------------------------------------------------------------------------
    def action_topics(self) -> None:
        """The topic set: add, rename, merge, delete, key, colour, description (with undo)."""
        from textual.screen import ModalScreen

        from .screens.topics import TopicsScreen

        if not isinstance(self.screen, (TopicsScreen, ModalScreen)):  # not over a dialog or itself
            self.push_screen(TopicsScreen())

    def action_help(self) -> None:
        """Show every key of the current screen with what it does."""
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every action of the current screen by name, then the app's own."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            # Only newsdesk's own bindings (all have ids): Textual's inherited ones (sideways
            # scrolling, copy) do nothing here; one entry per action and per name.
            if not binding.id or not binding.description or not active.enabled or binding.action == "command_palette":
                continue
            title, help_text = self._command_title(binding.action, binding.description), binding.tooltip
            if binding.action in seen or title in seen:
                continue
            seen.update((binding.action, title))
            key = self.get_key_display(binding)
            if title != binding.description:  # a number key, named after its topic
                help_text = help_text or "Tag the selection, or the span at the cursor, with this topic"
            # The help line under the name says more than the name, or only which key does it: a
            # repeat of the name there reads as the command listed twice.
            yield SystemCommand(
                title,
                f"{help_text} ({key})" if help_text and help_text != title else f"key: {key}",
                partial(self._run_bound_action, binding.action, active.node),
            )
        for command in super().get_system_commands(screen):
            if command.title not in seen:  # the app's own Quit, Keys, Theme… once each
                seen.add(command.title)
                yield command

    def _command_title(self, action: str, description: str) -> str:
        """The palette name of an action: number keys are named after their topic."""
        if action.startswith("tag(") and action.endswith(")"):
            try:
                topic = self.topic_for_key(int(action[4:-1]))
            except ValueError:
                topic = None
            if topic is not None:
                return f"Tag with {topic.name}"
        return description

    async def _run_bound_action(self, action: str, node) -> None:
        await self.run_action(action, node)


def make_app(
    *,
    library: "Path | list[Path] | None" = None,
    db: Path | None = None,
    annotator: str = "tester",
    open_article: str | None = None,
    keymap: dict[str, str] | None = None,
    theme: str | None = None,
    granularity: str = "word",
    topics: Path | None = None,
) -> NewsdeskApp:
    """An app over `library` (default: the seeds) and the database at `db`, for tests and screenshots."""
    from newsdesk.annotations.corpus import seeds_dir
    from newsdesk.annotations.sources import open_library
    from newsdesk.annotations.store import default_db_path

    from newsdesk.annotations.feeds import with_feeds_folder

    first = library[0] if isinstance(library, list) else library
    settings = Settings(
        library=first, db=db, annotator=annotator, theme=theme, keymap=keymap or {}, granularity=granularity,
        topics=topics,
    )
    sources = with_feeds_folder(library if isinstance(library, list) else [library or seeds_dir()])
    store = Store(db or default_db_path())
    if topics is not None:  # a project's own topic set (`--topics FILE`)
        from newsdesk.annotations.topic_files import adopt_topic_set, read_topic_file

        adopt_topic_set(store, read_topic_file(topics))
    return NewsdeskApp(
        library=Library.open(sources[0]) if len(sources) == 1 and sources[0].is_dir() else open_library(sources),
        store=store,
        settings=settings,
        open_article=open_article,
        owns_store=True,
    )
