"""`newsdesk topics`: print the topic set, or change it (add, rename, merge, delete, set) with a yes/no
before anything that touches spans."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import cli  # shared plumbing, called through the module so tests can patch it


def cmd_topics(args: argparse.Namespace) -> int:
    from newsdesk.annotations.store import DEFAULT_TOPICS

    if getattr(args, "topics_command", None):
        return _change_topics(args)
    settings = cli._settings(args)
    store = cli._open_store(settings, readonly=True)
    if store is None and settings.topics:
        from newsdesk.annotations.topic_files import new_project_topics, read_topic_file

        topics = new_project_topics(read_topic_file(settings.topics))
    elif store is None:
        topics = list(DEFAULT_TOPICS)
    else:
        with store:
            topics = store.topics()
    if args.json:
        cli._print_json([topic.to_dict() for topic in topics])
        return 0
    print(f"{'KEY':<3}  {'COLOUR':<7}  {'TOPIC':<36}  DESCRIPTION")
    for topic in topics:
        key = str(topic.key) if topic.key else "-"
        print(f"{key:<3}  {topic.colour:<7}  {cli._clip(topic.name, 36):<36}  {topic.description}")
    return 0


def _change_topics(args: argparse.Namespace) -> int:
    """Run `topics add|rename|merge|delete|set`; every refusal is one line and exit 1."""
    from newsdesk.annotations import topics as ops
    from newsdesk.annotations.history import History

    settings = cli._settings(args)
    command = args.topics_command
    if command == "set" and args.key == "keep" and args.colour is None and args.description is None:
        raise cli.UsageError("topics set needs --key, --colour or --description; say what to change")
    with cli._open_store(settings, readonly=False) as store:
        cli._adopt_topics(store, settings)
        history = History(store)
        before = {topic.name: topic for topic in store.topics()}
        if command == "add":
            topic = ops.add_topic(history, args.name, key=args.key, colour=args.colour, description=args.description)
            key = f"key {topic.key}" if topic.key else "no key (1-9 are taken)"
            print(f"added '{topic.name}' on {key}, colour {topic.colour}{_moved_key(before, topic)}")
        elif command == "rename":
            try:
                edit = ops.rename_topic(history, args.old, args.new)
            except ops.MergeNeeded as merge:
                if not cli._ask(f"'{merge.target}' already exists; merge '{merge.source}' into it?"):
                    raise
                edit = ops.merge_topics(history, merge.source, merge.target)
                print(edit.summary("merged", f"{merge.source}' into '{merge.target}"))
            else:
                print(edit.summary("renamed", f"{ops.find_topic(before.values(), args.old).name}' to '{edit.topic.name}"))
        elif command == "merge":
            source = ops.find_topic(before.values(), args.source).name
            target = ops.find_topic(before.values(), args.target).name
            if source != target:  # merging into itself is refused by merge_topics, unasked
                _confirm_topic_change(store, source, f"merging '{source}' into '{target}'", args.yes, deletes=False)
            edit = ops.merge_topics(history, args.source, args.target)
            print(edit.summary("merged", f"{source}' into '{edit.topic.name}"))
        elif command == "delete":
            name = ops.find_topic(before.values(), args.name).name
            _confirm_topic_change(store, name, f"deleting '{name}'", args.yes, deletes=True)
            edit = ops.delete_topic(history, args.name)
            print(edit.summary("deleted", name))
        else:
            topic = ops.set_topic(history, args.name, key=args.key, colour=args.colour, description=args.description)
            key = str(topic.key) if topic.key else "none"
            print(f"'{topic.name}': key {key}, colour {topic.colour}{_moved_key(before, topic)}")
    return 0


def _confirm_topic_change(store: Any, name: str, doing: str, yes: bool, *, deletes: bool) -> None:
    """Ask before a merge or delete that touches spans (y/N at a terminal); scripts need --yes."""
    from newsdesk.annotations import topics as ops
    from newsdesk.annotations.model import counted

    usage = ops.usage(store, name)
    if yes or not (usage.spans or usage.doc_articles):
        return  # nothing carries the topic: nothing to lose
    deleted = usage.only_topic if deletes else 0
    effects = [f"changes {counted(usage.spans - deleted, 'span')}"] if usage.spans > deleted else []
    if deleted:
        effects.append(f"deletes {counted(deleted, 'span')} with no other topic")
    if usage.doc_articles:
        effects.append(f"changes {counted(usage.doc_articles, 'article topic')}")
    what = f"{doing} {', '.join(effects)}"
    if not sys.stdin.isatty():
        raise cli.CliError(f"nothing changed: {what}; add --yes to do it")
    if not cli._ask(f"{what[0].upper()}{what[1:]}. Go ahead?"):
        raise cli.CliError(f"nothing changed: {doing} needs a yes")


def _moved_key(before: dict, topic) -> str:
    """`(key 3 moved from 'energy')` when the new key was another topic's."""
    for other in before.values():
        if topic.key is not None and other.key == topic.key and other.name != topic.name:
            return f" (key {topic.key} moved from '{other.name}', which now has none)"
    return ""
