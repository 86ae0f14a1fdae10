"""`newsdesk export` and `newsdesk import-spans`: annotations out to a training or annotation format, and back in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from . import cli  # shared plumbing, called through the module so tests can patch it


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import date

    from newsdesk.annotations.exporting import ExportFilter, export

    def day(value: str | None, flag: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise cli.CliError(f"{flag} {value!r} is not a date; write it as YYYY-MM-DD") from None

    from newsdesk.annotations.formats import get_format

    get_format(args.format)  # an unknown format is named before anything else is read
    since, until = day(args.since, "--since"), day(args.until, "--until")
    settings = cli._settings(args)
    library = cli._open_library(settings, args)
    store = cli._open_store(settings, readonly=True)
    if store is None:
        raise cli.CliError(f"{cli._db_path(settings)}: no annotations yet; open newsdesk and tag some spans first")
    filters = ExportFilter(
        topics=tuple(args.topic),
        annotators=tuple(args.annotators),
        article_ids=tuple(cli.resolve_article(library, ref).id for ref in args.article),
        done=args.done,
        published_from=since,
        published_to=until,
        include_doc_topics=not args.no_doc_topics,
    )
    out = Path(args.output) if args.output else None
    if getattr(args, "suggestions", False):
        return _export_suggestions(args, store, library, out)
    if args.label_config:
        from newsdesk.annotations.exporting import label_config

        with store:
            sys.stdout.write(label_config(store, library, filters))
        return 0
    progress = _progress_printer() if out is not None else None
    with store:
        report = export(store, library, args.format, out, filters, force=args.force, progress=progress)
    for warning in getattr(report, "warnings", ()):
        print(f"newsdesk: {warning}", file=sys.stderr)
    if out is not None:
        print(report.summary() if hasattr(report, "summary") else f"wrote {out}", file=sys.stderr)
    return 0


def _progress_printer() -> Callable[[int, int], None] | None:
    """A one-line progress counter on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rexporting {done:,}/{total:,} articles")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return progress


def _export_suggestions(args: argparse.Namespace, store, library, out: Path | None) -> int:
    from newsdesk.annotations.suggesting import export_suggestions

    with store:
        try:
            report = export_suggestions(store, library, args.format, out, force=args.force)
        except ValueError as error:
            raise cli.CliError(str(error)) from None
    if out is not None:
        print(report.summary(), file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from newsdesk.annotations.importing import import_spans

    settings = cli._settings(args)
    library = cli._open_library(settings, args)
    path = Path(args.file)
    if path.is_dir():
        raise cli.CliError(f"{path}: is a folder; give the path of one JSON or JSONL export file inside it")
    if not path.is_file():
        raise cli.CliError(f"{path}: no such file; give the path of a JSON or JSONL export")
    store = cli._open_store(settings, readonly=False)
    with store:
        if getattr(args, "as_suggestions", False):
            from newsdesk.annotations.suggesting import import_as_suggestions

            report = import_as_suggestions(store, library, path, annotator=args.annotator)
        else:
            report = import_spans(store, library, path, annotator=args.annotator)
    for line in report.reasons:
        print(f"newsdesk: {line}", file=sys.stderr)
    if getattr(args, "as_suggestions", False):
        from newsdesk.annotations.model import counted

        predicted = f"; {counted(report.suggestions, 'prediction')} as suggestions too" if report.suggestions else ""
        topics = f"; {report.new_topics_line()}" if report.topics_added else ""
        print(f"imported {counted(report.added, 'suggestion')} to review from {path} ({report.format}): "
              f"{report.reanchored} re-anchored, {report.skipped} skipped{predicted}{topics}")
        return 0
    print(report.summary() if hasattr(report, "summary") else str(report))
    return 0
