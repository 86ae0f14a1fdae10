"""`newsdesk feeds add|list|remove` and `newsdesk fetch`: RSS/Atom subscriptions."""

from __future__ import annotations

import argparse
import sys

from . import cli  # shared plumbing, called through the module so tests can patch it


def cmd_feeds(args: argparse.Namespace) -> int:
    from newsdesk.annotations.feeds import FeedList, feeds_folder

    feeds = FeedList()
    if args.feeds_command == "add":
        feed = feeds.add(args.url, args.name)
        feeds.save()
        print(f"added {feed.name} ({feed.url}); 'newsdesk fetch' brings its entries into {feeds_folder()}")
    elif args.feeds_command == "remove":
        feed = feeds.remove(args.feed)
        feeds.save()
        print(f"removed {feed.name}; its saved articles stay in {feeds_folder()}")
    elif not feeds.feeds:
        print("No feeds yet; add one with 'newsdesk feeds add URL'.")
    else:
        for feed in feeds.feeds:
            print(f"{cli._clip(feed.name, 24):<24}  {feed.url}\n{'':<24}  {feed.status()}")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from newsdesk.annotations.feeds import FeedList, feeds_folder, fetch_feeds

    feeds = FeedList()
    if not feeds.feeds:
        raise cli.CliError("no feeds to fetch; add one with 'newsdesk feeds add URL'")
    for name in args.feed:
        if feeds.find(name) is None:
            raise cli.CliError(f"no feed is called or at {name!r}; 'newsdesk feeds list' shows them")
    terminal = sys.stderr.isatty()

    def progress(done: int, total: int, result) -> None:
        if terminal:
            bar = "#" * (30 * done // total)
            sys.stderr.write(f"\rfetching feeds [{bar:<30}] {done}/{total}")
            sys.stderr.write("\n" if done >= total else "")
            sys.stderr.flush()

    results = fetch_feeds(feeds, only=args.feed, progress=progress)
    failed = 0
    for result in results:
        failed += bool(result.error)
        print(result.line(), file=sys.stderr if result.error else sys.stdout)
    added = sum(len(result.new_files) for result in results)
    print(f"{added} new articles in {feeds_folder()}")
    return cli.EXIT_ERROR if failed and failed == len(results) else 0
