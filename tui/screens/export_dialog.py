"""The export dialog (`e` in the library): the same choices as `newsdesk export`, with progress."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select, Static

from newsdesk.annotations.export_target import TargetRefused, resolve_target
from newsdesk.annotations.exporting import ExportFilter, export
from newsdesk.annotations.formats import format_names, get_format

from ..errors import first_line

__all__ = ["ExportDialog", "default_path"]

DONE_CHOICES = [("all articles", "any"), ("done only", "done"), ("not done only", "not-done")]


def default_path(format_name: str) -> Path:
    """Where an export goes unless the person types another path: relative to the current folder."""
    fmt = get_format(format_name)
    if fmt.kind == "folder" or not fmt.suffix:
        return Path(f"newsdesk-{format_name}")
    return Path(f"newsdesk-{format_name}{fmt.suffix}")


def _replaces_something(path: Path) -> bool:
    """Whether exporting to `path` replaces a file or folder (a device or pipe is only written to)."""
    try:
        return resolve_target(path, folder_format=path.is_dir()).exists
    except TargetRefused:
        return False  # the export itself says why, in one line


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _day(value: str, which: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"“{value}” ({which}) is not a date: write it as YYYY-MM-DD") from None


class ExportDialog(ModalScreen[Path | None]):
    """Choose a format, a path and filters; export in a worker with a progress bar."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.run"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._confirmed_path: Path | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        names = format_names()
        with Vertical(id="export-dialog"):
            yield Static(Text("Export annotations", style="bold"))
            # The choices scroll; the progress, the result and the buttons stay in view below them.
            with VerticalScroll(id="export-form"):
                yield Label("Format")
                yield Select(
                    [(f"{name} — {get_format(name).summary}", name) for name in names],
                    value="json", allow_blank=False, id="export-format",
                )
                yield Label("Write to")
                yield Input(str(default_path("json")), id="export-path")
                yield Label("Only these topics (comma-separated; empty for all)")
                yield Input(placeholder="e.g. cybersecurity, energy", id="export-topics")
                yield Label("Only these annotators (comma-separated; empty for all)")
                yield Input(placeholder="e.g. ana, ben", id="export-annotators")
                yield Label("Only these articles (ids or id prefixes, comma-separated; empty for all)")
                yield Input(placeholder="e.g. 74993fd1, fb5de573", id="export-articles")
                yield Label("Published between (YYYY-MM-DD; either may be empty)")
                with Horizontal(id="export-dates"):
                    yield Input(placeholder="from", id="export-since")
                    yield Input(placeholder="until", id="export-until")
                yield Select(DONE_CHOICES, value="any", allow_blank=False, id="export-done")
                yield Checkbox("include the topics of whole articles", value=True, id="export-doc-topics")
            # Hidden until an export runs: an idle bar would animate as if something were under way.
            yield ProgressBar(id="export-progress", show_eta=False, classes="hidden")
            yield Static(id="export-result")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-run")
                yield Button("Close", id="export-close")

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        box = self.query_one("#export-path", Input)
        # Follow the format with the default name unless the person typed their own path.
        if Path(box.value).name.startswith("newsdesk-"):
            box.value = str(default_path(str(event.value)))

    @on(Button.Pressed, "#export-run")
    def _run_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-close")
    def _close_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_export()

    def _article_id(self, ref: str) -> str:
        """The id of the one article an id or id prefix names (ValueError otherwise)."""
        matches = [entry.id for entry in self.app.library.entries if entry.id.startswith(ref)]
        if len(matches) != 1:
            raise ValueError(
                f"“{ref}” matches {'no article' if not matches else f'{len(matches)} articles'}: "
                "give more of the id (newsdesk list shows them)"
            )
        return matches[0]

    def _show_result(self, message: str, style: str = "") -> None:
        self.query_one("#export-result", Static).update(Text(message, style=style))

    def action_export(self) -> None:
        """Write the export (asks once before replacing an existing file)."""
        if self._busy:
            return
        raw_path = self.query_one("#export-path", Input).value.strip()
        if not raw_path:
            self._show_result("Type where to write the export.", "bold red")
            return
        path = Path(raw_path).expanduser()
        force = False
        if _replaces_something(path):
            if self._confirmed_path != path:
                self._confirmed_path = path
                self._show_result(f"{path} exists: press Export again to replace it.", "bold yellow")
                return
            force = True
        done = self.query_one("#export-done", Select).value
        try:
            articles = tuple(self._article_id(ref) for ref in _names(self.query_one("#export-articles", Input).value))
            since = _day(self.query_one("#export-since", Input).value, "from")
            until = _day(self.query_one("#export-until", Input).value, "until")
        except ValueError as problem:
            self._show_result(str(problem), "bold red")
            return
        filters = ExportFilter(
            topics=_names(self.query_one("#export-topics", Input).value),
            annotators=_names(self.query_one("#export-annotators", Input).value),
            article_ids=articles,
            done=None if done == "any" else done == "done",
            published_from=since,
            published_to=until,
            include_doc_topics=self.query_one("#export-doc-topics", Checkbox).value,
        )
        format_name = str(self.query_one("#export-format", Select).value)
        self._busy = True
        self.query_one(ProgressBar).remove_class("hidden")
        self._show_result(f"exporting to {path}…")
        self._export(format_name, path, filters, force)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, format_name: str, path: Path, filters: ExportFilter, force: bool) -> None:
        app = self.app

        def progress(done: int, total: int) -> None:
            app.call_from_thread(self.query_one(ProgressBar).update, total=total, progress=done)

        try:
            report = export(app.store, app.library, format_name, path, filters, force=force, progress=progress)
        except Exception as error:  # ExportError, UnknownFormat, OSError: one line, nothing half-written
            message = first_line(error)
            app.call_from_thread(self._failed, message)
            return
        app.call_from_thread(self._finished, report)

    def _failed(self, message: str) -> None:
        self._busy = False
        self._confirmed_path = None
        self._show_result(message, "bold red")

    def _finished(self, report) -> None:
        self._busy = False
        self._confirmed_path = None
        lines = [report.summary()] + [f"note: {warning}" for warning in report.warnings]
        self._show_result("\n".join(lines), "green")
        self.app.say(f"Exported to {report.path}", timeout=4)

    def action_cancel(self) -> None:
        """Close the dialog (an export under way finishes first)."""
        if not self._busy:
            self.dismiss(None)
