"""The feeds screen: each subscription with its last fetch, new entries and last error; add and fetch.

Fetching runs in a worker thread (the UI never waits on the network); progress shows in the
status line, and when it ends the library is read again so the new articles appear.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar, Static

__all__ = ["FeedsScreen", "fetch_in_background"]


def _feed_list():
    from newsdesk.annotations.feeds import FeedList

    return FeedList()


class FeedsScreen(Screen):
    """Subscriptions and how their last fetch went."""

    BINDINGS = [
        Binding("a", "add", "Add feed", id="feeds.add"),
        Binding("R,F", "fetch", "Fetch", id="feeds.fetch"),
        Binding("escape", "back", "Library", id="feeds.back"),
        Binding("q", "back", "Library", show=False, id="feeds.back_q"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text("Feeds", style="bold"), id="feeds-title")
        yield Input(placeholder="feed address (http:// or https://), enter adds it", id="feeds-url", classes="hidden")
        with VerticalScroll(id="feeds-body"):
            yield Static(id="feeds-list")
        yield ProgressBar(id="feeds-progress", show_eta=False, classes="hidden")
        yield Static(id="feeds-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feeds-body").focus()  # not the (hidden) address box: a and F are keys here
        self.show_feeds()

    def show_feeds(self) -> None:
        """Draw every feed with its status (names, addresses and errors are data, never markup)."""
        try:
            feeds = _feed_list().feeds
        except Exception as error:  # a damaged feeds file: say so, do not crash
            self.query_one("#feeds-list", Static).update(Text(str(error), style="red"))
            return
        body = Text()
        if not feeds:
            body.append("No feeds yet: press a and give a feed's address.", style="dim")
        for feed in feeds:
            body.append(feed.name, style="bold")
            body.append(f"  {feed.url}\n", style="dim")
            body.append(f"    {feed.status()}\n", style="red" if feed.last_error else "")
        self.query_one("#feeds-list", Static).update(body)

    def say_status(self, message: str) -> None:
        """One line under the list: fetch progress, or what the last action did."""
        self.query_one("#feeds-status", Static).update(Text(message, style="dim"))

    def show_progress(self, done: int, total: int) -> None:
        """The fetch's progress bar (hidden when no fetch runs)."""
        bar = self.query_one("#feeds-progress", ProgressBar)
        bar.set_class(done >= total, "hidden")
        bar.update(total=total, progress=done)

    def action_add(self) -> None:
        """Ask for a feed's address."""
        box = self.query_one("#feeds-url", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Submitted, "#feeds-url")
    def _add(self, event: Input.Submitted) -> None:
        from newsdesk.annotations.feeds import FeedError

        box = event.input
        try:
            feeds = _feed_list()
            feed = feeds.add(event.value)
            feeds.save()
        except (FeedError, OSError) as error:
            self.say_status(str(error))
            return
        box.value = ""
        box.add_class("hidden")
        self.query_one("#feeds-body").focus()
        self.show_feeds()
        self.say_status(f"added {feed.name}; R fetches it")

    def action_fetch(self) -> None:
        """Fetch every feed in the background."""
        fetch_in_background(self.app)

    def action_back(self) -> None:
        box = self.query_one("#feeds-url", Input)
        if not box.has_class("hidden"):
            box.add_class("hidden")
            self.query_one("#feeds-body").focus()
            return
        self.app.pop_screen()


def fetch_in_background(app) -> None:
    """Start fetching the feeds in a worker unless a fetch is running; report to whichever screen shows."""
    if getattr(app, "_fetching", False):
        app.say("Feeds are being fetched already")
        return
    app._fetching = True
    _fetch_worker(app)


def _report(app, message: str, progress: tuple[int, int] | None = None) -> None:
    screen = app.screen
    if isinstance(screen, FeedsScreen):
        screen.say_status(message)
        if progress is not None:
            screen.show_progress(*progress)
    elif progress is None or progress[0] == 0:  # elsewhere: the start and the end, not every feed
        app.say(message, timeout=2)


def _fetch_worker(app) -> None:
    def run() -> None:
        from newsdesk.annotations.feeds import fetch_feeds

        try:
            feeds = _feed_list()
            if not feeds.feeds:
                app.call_from_thread(_report, app, "No feeds yet: f opens the feeds, a adds one")
                return
            app.call_from_thread(_report, app, f"fetching {len(feeds.feeds)} feeds…", (0, len(feeds.feeds)))

            def progress(done: int, total: int, result) -> None:
                app.call_from_thread(_report, app, f"fetched {done}/{total}: {result.line()}", (done, total))

            results = fetch_feeds(feeds, progress=progress)
            added = sum(len(result.new_files) for result in results)
            failed = sum(1 for result in results if result.error)
            app.call_from_thread(_finished, app, added, failed)
        except Exception as error:  # a damaged feeds file or a full disk: one line, no crash
            app.call_from_thread(_report, app, f"fetching failed: {error}")
        finally:
            app._fetching = False

    app.run_worker(run, thread=True, group="feeds", name="fetch-feeds")


def _finished(app, added: int, failed: int) -> None:
    message = f"{added} new articles from the feeds"
    if failed:
        message += f"; {failed} feeds failed (f shows why)"
    if added:
        app.include_feeds()
    screen = app.screen
    if isinstance(screen, FeedsScreen):
        screen.show_feeds()
        screen.say_status(message)
    else:
        if hasattr(screen, "refresh_rows"):
            screen.refresh_rows()
        app.say(message, severity="warning" if failed else "information")
