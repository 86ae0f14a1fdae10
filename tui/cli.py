"""The `newsdesk` command: opens the app, or runs a headless command without loading Textual.

Headless commands (`list`, `topics`, `compare`, `export`, `import-spans`, `suggest`) import only the core,
so they start fast and work where no terminal UI can run. Every failure is one line on stderr
naming what was wrong and what to do, with a non-zero exit; never a traceback.

This module holds the parser, the shared plumbing and `main`; the larger commands live beside it
(cli_topics, cli_exchange for export/import-spans, cli_suggest, cli_feeds for feeds/fetch) and load
only when their command runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn, Sequence

from newsdesk.annotations import __version__

from .errors import first_line, shown

__all__ = ["main", "build_parser", "CliError"]

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A failure to report as one line and exit non-zero."""


class UsageError(CliError):
    """A command used where it cannot work (exit 2, like a wrong flag)."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line instead of a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _add_common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On subcommands the defaults are SUPPRESS, so a flag given before the subcommand is not
    # overwritten by the subcommand's default.
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument("--library", metavar="PATH", default=default, action="append",
                        help="folder of article files, or a corpus file (.jsonl, .json, .csv, .tsv, .parquet), to open; "
                        "repeat to combine several (default: $NEWSDESK_LIBRARY or the bundled seeds)")
    parser.add_argument("--field", metavar="ROLE=NAME", default=default, action="append", dest="fields",
                        help="which corpus-file field holds a role, e.g. --field text=body (roles: text, title, "
                        "date, source, url, id); repeatable")
    parser.add_argument("--db", metavar="PATH", default=default,
                        help="annotation database (default: $NEWSDESK_DB or the user data dir)")
    parser.add_argument("--annotator", metavar="NAME", default=default,
                        help="name stored on every span (default: $NEWSDESK_ANNOTATOR or the login name)")


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = _Parser(
        prog="newsdesk",
        description="A keyboard-driven terminal news reader and span annotator. "
        "With no command, opens the library in the terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    _add_common(parser, top=True)
    parser.add_argument("--topics", dest="topics_file", metavar="FILE", default=None,
                        help="start the project from its own topic set: a TOML or JSON list, or one label a line "
                        "(default: $NEWSDESK_TOPICS)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _add_common(sub, top=False)
        return sub

    listing = command("list", "print the library: id, date, source, title and spans")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")

    topics = command("topics", "print the topics with their keys and colours, or change them")
    topics.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_topic_commands(topics)

    compare = command("compare", "align the sentences of two articles and show what only one reports")
    compare.add_argument("first", metavar="ID_A", help="article id (a unique prefix or file name will do)")
    compare.add_argument("second", metavar="ID_B", help="article id (a unique prefix or file name will do)")
    compare.add_argument("--json", action="store_true", help="print JSON instead of text")

    export = command("export", "write the annotations in a training or annotation format")
    export.add_argument("--format", "-f", default="json", metavar="FORMAT",
                        help="json (default), jsonl, prodigy, doccano, label-studio, brat, conll, spacy")
    export.add_argument("-o", "--output", metavar="PATH",
                        help="file (or folder for brat) to write; standard output when omitted and the format is a stream")
    export.add_argument("--force", action="store_true", help="overwrite an existing output")
    export.add_argument("--topic", action="append", default=[], metavar="NAME", help="only spans with this topic (repeatable)")
    export.add_argument("--by", dest="annotators", action="append", default=[], metavar="NAME",
                        help="only spans by this annotator (repeatable)")
    export.add_argument("--article", action="append", default=[], metavar="ID", help="only this article (repeatable)")
    done = export.add_mutually_exclusive_group()
    done.add_argument("--done", dest="done", action="store_const", const=True, default=None, help="only articles marked done")
    done.add_argument("--not-done", dest="done", action="store_const", const=False, help="only articles not marked done")
    export.add_argument("--since", metavar="DATE", help="only articles published on or after DATE (YYYY-MM-DD)")
    export.add_argument("--until", metavar="DATE", help="only articles published on or before DATE (YYYY-MM-DD)")
    export.add_argument("--no-doc-topics", action="store_true", help="leave out the topics of whole articles")
    export.add_argument("--suggestions", action="store_true",
                        help="write the open suggestions instead (label-studio: predictions; prodigy: unanswered tasks)")
    export.add_argument("--label-config", action="store_true",
                        help="print the Label Studio labelling config for these annotations instead of exporting")

    importing = command(
        "import-spans",
        "read spans from newsdesk JSON/JSONL, Prodigy JSONL, doccano JSONL or Label Studio JSON into the store",
    )
    importing.add_argument("file", metavar="FILE", help="the file to import")
    importing.add_argument("--as-suggestions", action="store_true",
                           help="store the spans as suggestions to review (accept with a, reject with x) instead of as spans")

    suggest = command("suggest", "turn a Prodigy patterns.jsonl file into suggestions over the library")
    suggest.add_argument("--patterns", required=True, metavar="FILE",
                         help='one {"label": TOPIC, "pattern": "phrase" | [{"lower": ...}, ...]} or {"label", "regex"} a line')
    suggest.add_argument("--yes", action="store_true",
                         help="create new topics and store more than 100,000 suggestions without asking")
    suggest.add_argument("--dry-run", action="store_true", help="count what would be suggested; store nothing")

    feeds = command("feeds", "subscribe to RSS/Atom feeds: add, list, remove")
    feed_commands = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", parser_class=_Parser, required=True)
    feed_add = feed_commands.add_parser("add", help="subscribe to a feed", description="subscribe to a feed")
    feed_add.add_argument("url", metavar="URL", help="the feed's http:// or https:// address")
    feed_add.add_argument("--name", metavar="NAME", help="what to call it (default: the site's address)")
    feed_commands.add_parser("list", help="print the feeds and how their last fetch went", description="print the feeds")
    feed_remove = feed_commands.add_parser("remove", help="unsubscribe (saved articles stay)", description="unsubscribe")
    feed_remove.add_argument("feed", metavar="URL_OR_NAME", help="the feed's address or name")

    fetching = command("fetch", "fetch new entries of every feed into the library")
    fetching.add_argument("feed", nargs="*", metavar="URL_OR_NAME", help="only these feeds (default: all)")

    shots = command("screenshots", "render the app's screens from the seeds as SVG files")
    shots.add_argument("--out", default="screenshots", metavar="DIR", help="folder to write into (default: screenshots)")
    return parser


def _add_topic_commands(topics: argparse.ArgumentParser) -> None:
    """`topics add|rename|merge|delete|set`: the topic set, changed from the command line."""
    actions = topics.add_subparsers(dest="topics_command", metavar="ACTION", parser_class=_Parser)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        _add_common(sub, top=False)
        return sub

    add = action("add", "add a topic (it takes the next free key 1-9 and a colour unlike the others)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--key", metavar="K", default="next", help="shortcut key 1-9 (0 for none; taken from any topic holding it)")
    add.add_argument("--colour", "--color", dest="colour", metavar="C", help="colour as #rrggbb")
    add.add_argument("--description", metavar="TEXT", default="", help="the guideline shown in the topic picker")
    rename = action("rename", "rename a topic and every span carrying it")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    merge = action("merge", "merge topic FROM into INTO: its spans carry INTO, FROM goes")
    merge.add_argument("source", metavar="FROM")
    merge.add_argument("target", metavar="INTO")
    merge.add_argument("--yes", action="store_true", help="merge without asking (needed when not at a terminal)")
    delete = action("delete", "delete a topic; spans left with no topic are deleted too")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="delete without asking (needed when not at a terminal)")
    setting = action("set", "set a topic's key, colour or description")
    setting.add_argument("name", metavar="NAME")
    setting.add_argument("--key", metavar="K", default="keep", help="shortcut key 1-9 (0 for none)")
    setting.add_argument("--colour", "--color", dest="colour", metavar="C", help="colour as #rrggbb")
    setting.add_argument("--description", metavar="TEXT", help="the guideline shown in the topic picker")


# -- shared plumbing ----------------------------------------------------------------------
def _settings(args: argparse.Namespace):
    from .config import load_settings

    libraries = getattr(args, "library", None) or []
    return load_settings(
        library=libraries[0] if libraries else None, db=args.db, annotator=args.annotator,
        topics=getattr(args, "topics_file", None),
    )


def library_sources(args: argparse.Namespace, settings) -> list[Path]:
    """The folders and corpus files to read: every --library, else the setting, else the seeds;
    then the folder feeds are saved into, once `newsdesk fetch` has saved any."""
    from newsdesk.annotations.corpus import seeds_dir

    given = [Path(value).expanduser() for value in (getattr(args, "library", None) or [])]
    from newsdesk.annotations.feeds import with_feeds_folder

    return with_feeds_folder(given or [settings.library or seeds_dir()])


def _open_library(settings, args: argparse.Namespace | None = None):
    from newsdesk.annotations.sources import open_library

    sources = library_sources(args, settings) if args is not None else [settings.library] if settings.library else None
    if sources is None:
        from newsdesk.annotations.corpus import seeds_dir

        sources = [seeds_dir()]
    given_fields = getattr(args, "fields", None) or []
    if given_fields or not all(source.is_dir() for source in sources):
        # Corpus files' rules load only when a corpus file or a --field is given (start-up time).
        from newsdesk.annotations.corpus_file import FieldError, is_corpus_file, parse_field_overrides
    for source in sources:
        if not source.exists():
            raise CliError(f"{shown(source)}: no such folder or file; pass --library with a folder of article files or a corpus file")
        if not source.is_dir() and not is_corpus_file(source):
            raise CliError(
                f"{shown(source)}: is not a folder or a corpus file; pass --library with a folder of article files "
                "or a .jsonl, .json, .csv, .tsv or .parquet file"
            )
    fields: dict[str, str] = {}
    if given_fields:
        try:
            fields = parse_field_overrides(given_fields)
        except FieldError as error:
            raise UsageError(str(error)) from None
    library = open_library(sources, fields=fields, progress=_reading_progress())
    for refused in library.refused:
        print(f"newsdesk: skipped {shown(refused)}", file=sys.stderr)
    return library


def _reading_progress() -> Callable[[int, int], None] | None:
    """A progress bar on stderr while a large library is read or indexed, only on a terminal.

    It appears only once reading has taken half a second, so a cached library shows nothing.
    Folders count files; corpus files count bytes.
    """
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()
    shown = False

    def progress(done: int, total: int) -> None:
        nonlocal shown
        if not shown and time.monotonic() - started < 0.5:
            return
        shown = True
        share = done / total if total else 1.0
        bar = "#" * int(share * 30)
        sys.stderr.write(f"\rreading the library [{bar:<30}] {share:4.0%}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return progress


def _db_path(settings) -> Path:
    from newsdesk.annotations.store import default_db_path

    return settings.db or default_db_path()


def _open_store(settings, *, readonly: bool):
    from newsdesk.annotations.store import Store, has_database

    path = _db_path(settings)
    if readonly and not has_database(path):  # a journal alone, a FIFO, a broken link are reported
        return None
    return Store(path, readonly=readonly)


def resolve_article(library, ref: str):
    """The library entry an id, or a unique prefix of an id or of a file name, refers to."""
    entry = library.get(ref)
    if entry is not None:
        return entry
    matches = [e for e in library.entries if e.id.startswith(ref) or Path(e.path).name.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CliError(f"no article matches '{ref}'; 'newsdesk list' shows the ids")
    raise CliError(f"'{ref}' matches {len(matches)} articles; give more of the id")


# What json leaves raw with ensure_ascii=False but a terminal must not get: DEL, the C1 controls
# (U+009B is CSI) and lone surrogates (undecodable file names). As \u escapes the JSON is the same.
_JSON_UNSAFE = None


def _print_json(data: Any) -> None:
    global _JSON_UNSAFE
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if not text.isprintable():
        import re

        if _JSON_UNSAFE is None:
            _JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")
        text = _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    sys.stdout.write(text + "\n")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# -- commands -----------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    settings = _settings(args)
    library = _open_library(settings, args)
    store = _open_store(settings, readonly=True)
    counts: dict[str, int] = {}
    suggested: dict[str, int] = {}
    done: set[str] = set()
    if store is not None:
        with store:
            counts = store.span_counts()
            suggested = {article_id: store.suggestion_count(article_id) for article_id in store.article_ids_with_suggestions()}
            done = {entry.id for entry in library.entries if store.is_done(entry.id)}
    rows = [
        {
            "id": entry.id,
            "date": entry.published.isoformat() if entry.published else None,
            "source": entry.source or None,
            "title": entry.title,
            "place": entry.place or None,
            "spans": counts.get(entry.id, 0),
            "suggestions": suggested.get(entry.id, 0),
            "done": entry.id in done,
            "path": str(entry.path),
        }
        for entry in library.entries
    ]
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print(f"The library {', '.join(shown(s) for s in library.sources)} has no readable articles.")
        return 0
    print(f"{'ID':<16}  {'DATE':<10}  {'SOURCE':<12}  {'SPANS':>5}  TITLE")
    for row in rows:
        mark = " ✓" if row["done"] else ""
        if row["suggestions"]:
            mark += f" ({row['suggestions']} suggested)"
        print(
            f"{shown(row['id']):<16}  {row['date'] or '—':<10}  {_clip(shown(row['source'] or '—'), 12):<12}  "
            f"{row['spans']:>5}  {shown(row['title'])}{mark}"
        )
    return 0


def _adopt_topics(store, settings) -> str:
    """Make the store's topics the `--topics` file's set (before anything else uses them); says what changed."""
    if not settings.topics:
        return ""
    from newsdesk.annotations.topic_files import adopt_topic_set, read_topic_file

    return adopt_topic_set(store, read_topic_file(settings.topics)).summary(settings.topics)


def cmd_compare(args: argparse.Namespace) -> int:
    from newsdesk.annotations.align import align, format_report

    settings = _settings(args)
    library = _open_library(settings, args)
    first = library.load(resolve_article(library, args.first).id)
    second = library.load(resolve_article(library, args.second).id)
    alignment = align(first.text, second.text)
    if args.json:
        data = alignment.to_dict()
        data["a"] = {"id": first.id, "title": first.title}
        data["b"] = {"id": second.id, "title": second.title}
        _print_json(data)
    else:
        print(format_report(alignment, first.text, second.text, title_a=first.title, title_b=second.title))
    return 0


def _ask(question: str) -> bool:
    """A yes/no question on the terminal; False without one."""
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


# The commands below live in their own modules, loaded only when their command runs (start-up).
def cmd_topics(args: argparse.Namespace) -> int:
    from .cli_topics import cmd_topics as run

    return run(args)


def cmd_export(args: argparse.Namespace) -> int:
    from .cli_exchange import cmd_export as run

    return run(args)


def cmd_import(args: argparse.Namespace) -> int:
    from .cli_exchange import cmd_import as run

    return run(args)


def cmd_suggest(args: argparse.Namespace) -> int:
    from .cli_suggest import cmd_suggest as run

    return run(args)


def cmd_feeds(args: argparse.Namespace) -> int:
    from .cli_feeds import cmd_feeds as run

    return run(args)


def cmd_fetch(args: argparse.Namespace) -> int:
    from .cli_feeds import cmd_fetch as run

    return run(args)


def cmd_screenshots(args: argparse.Namespace) -> int:
    from .screenshots import render_all

    for path in render_all(Path(args.out)):
        print(path)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the reader needs a terminal (standard input and output are not one); "
            "for scripts use 'newsdesk list', 'export' or 'compare'"
        )
    settings = _settings(args)
    if settings.topics:  # a bad topics file is named before anything opens
        from newsdesk.annotations.topic_files import read_topic_file

        read_topic_file(settings.topics)
    library = _open_library(settings, args)
    store = _open_store(settings, readonly=False)
    from .app import NewsdeskApp  # Textual is imported only here

    with store:
        adopted = _adopt_topics(store, settings)
        app = NewsdeskApp(library=library, store=store, settings=settings)
        if adopted:
            app.start_notes = [adopted]
        app.run()
    return app.return_code or 0


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_app,
    "list": cmd_list,
    "topics": cmd_topics,
    "compare": cmd_compare,
    "export": cmd_export,
    "import-spans": cmd_import,
    "suggest": cmd_suggest,
    "screenshots": cmd_screenshots,
    "feeds": cmd_feeds,
    "fetch": cmd_fetch,
}


def _known_errors() -> tuple[type[BaseException], ...]:
    from newsdesk.annotations.corpus import ArticleRefused
    from newsdesk.annotations.store import StoreError

    from .config import ConfigError

    errors: list[type[BaseException]] = [CliError, StoreError, ArticleRefused, ConfigError]
    for module, name in (
        ("newsdesk.annotations.exporting", "ExportError"),
        ("newsdesk.annotations.importing", "ImportRefused"),
        ("newsdesk.annotations.formats", "UnknownFormat"),
        ("newsdesk.annotations.patterns", "PatternError"),
        ("newsdesk.annotations.topics", "TopicRefused"),
        ("newsdesk.annotations.topic_files", "TopicFileError"),
        ("newsdesk.annotations.feeds", "FeedError"),
    ):
        if module in sys.modules and hasattr(sys.modules[module], name):
            errors.append(getattr(sys.modules[module], name))
    return tuple(errors)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (also used by the console script)."""
    from .output import OutputFailed, SafeErrors, StandardOutput

    stdout, stderr = sys.stdout, sys.stderr
    try:
        sys.stderr = SafeErrors(stderr)  # type: ignore[assignment]
        args = build_parser().parse_args(argv)
        if args.command is None:
            sys.stderr = stderr  # the reader draws on the terminal itself; its streams stay Textual's
        else:
            sys.stdout = StandardOutput(stdout)  # type: ignore[assignment]
        return _run(args, OutputFailed)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(args: argparse.Namespace, output_failed: type[Exception]) -> int:
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # here, so a failed write is reported, not an error at exit
        return code
    except output_failed as error:
        print(f"newsdesk: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `newsdesk list | head`: the reader went away; stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as error:
        if isinstance(error, _known_errors()) or isinstance(error, OSError):
            message = first_line(error)
            print(f"newsdesk: {message}", file=sys.stderr)
            return EXIT_USAGE if isinstance(error, UsageError) else EXIT_ERROR
        log = _write_crash_log(error)
        print(f"newsdesk: unexpected error ({type(error).__name__}: {shown(error)}); details in {log}", file=sys.stderr)
        return EXIT_ERROR


def _write_crash_log(error: BaseException) -> str:
    """Keep the traceback for a bug report without showing it to the person."""
    import tempfile
    import traceback

    from newsdesk.annotations.paths import cache_dir

    base = cache_dir()
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        base = Path(tempfile.gettempdir())
    path = base / "crash.log"
    try:
        path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    except OSError:
        return "(no writable place for a log)"
    return str(path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
