"""`newsdesk suggest`: a Prodigy patterns file turned into suggestions over the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from . import cli  # shared plumbing, called through the module so tests can patch it


def _bar_printer(what: str) -> Callable[[int, int], None] | None:
    """A progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        filled = int(24 * done / total) if total else 24
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (24 - filled)}] {done:,}/{total:,} {what}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return progress


def cmd_suggest(args: argparse.Namespace) -> int:
    from newsdesk.annotations.model import counted
    from newsdesk.annotations.patterns import CONFIRM_ABOVE, read_patterns, run_patterns

    patterns = read_patterns(Path(args.patterns))  # a bad file is named before anything is opened
    settings = cli._settings(args)
    library = cli._open_library(settings)
    store = cli._open_store(settings, readonly=args.dry_run)
    if store is None:
        raise cli.CliError(f"{cli._db_path(settings)}: no database yet; run without --dry-run to create it")
    with store:
        entries = list(library.entries)
        articles = (library.load(entry.id) for entry in entries)
        run = run_patterns(patterns, articles, store, total=len(entries), progress=_bar_printer("articles"))
        origins = {p.label: p.origin for p in reversed(patterns)}
        for name in run.new_topics:
            print(f"newsdesk: {name!r} ({origins[name]}) is not a topic yet; storing creates it", file=sys.stderr)
        print(run.summary())
        if args.dry_run or not run.suggestions:
            return 0
        asks = []
        if run.new_topics:
            asks.append(f"create {counted(len(run.new_topics), 'new topic')}")
        if run.needs_confirmation:
            asks.append(f"store {len(run.suggestions):,} suggestions (more than {CONFIRM_ABOVE:,})")
        if asks and not args.yes and not cli._ask(" and ".join(asks).capitalize() + "?"):
            raise cli.CliError(f"nothing stored: {' and '.join(asks)} needs a yes; pass --yes, or narrow the patterns")
        from newsdesk.annotations.suggesting import new_topics

        store.write_batch(put=[*new_topics(store.topics(), run.new_topics), *run.suggestions])
    from .config import save_state

    save_state(patterns=str(Path(args.patterns).resolve()))  # the app's "run patterns again" key uses it
    print(f"stored {counted(len(run.suggestions), 'suggestion')}; review them in newsdesk (a accepts, x rejects)")
    return 0
