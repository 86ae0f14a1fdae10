"""Exporting annotations: choose articles and spans, then write them in one of the registered formats.

`export` chooses the articles in library order, then for each one loads its text from the
library and its spans from the store's index (never all spans at once) and streams the record
to the format's writer, so memory stays flat for the text formats (tests/bench/bench_bulk.py
measures whole processes). Where it writes is `export_target`'s business: a temporary file (or
folder, for brat) beside the target, fsynced, then renamed into place; an existing target is
only replaced with `force=True`; devices and pipes are written as streams; a failed export
leaves nothing behind."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

from newsdesk.annotations.export_target import Target, TargetRefused, resolve_target, write_atomically, write_folder, write_stdout, write_stream
from newsdesk.annotations.formats import Format, UnknownFormat, get_format
from newsdesk.annotations.formats import label_studio
from newsdesk.annotations.formats.conll import OVERLAP_RULE
from newsdesk.annotations.formats.record import ExportContext, ExportRecord
from newsdesk.annotations.formats.spacy_docbin import SpacyMissing
from newsdesk.annotations.model import Article, DocTopics, Span, counted, now_iso, split_fitting

__all__ = ["ExportFilter", "ExportReport", "ExportError", "export", "select_records", "label_config"]


class ExportError(Exception):
    """An export that could not be done; the message is one line saying what to do."""


@dataclass(frozen=True)
class ExportFilter:
    """What to export. Empty selections mean "all".

    * `topics`: keep spans carrying any of these topics, each written with only the chosen ones
      (document topics are cut down the same way);
    * `annotators`: keep spans (and document topics) set by these people;
    * `article_ids`: only these articles;
    * `done`: True for articles marked done only, False for the others, None for both;
    * `published_from` / `published_to`: inclusive range of publication dates (articles with no
      date are left out when either bound is set);
    * `include_doc_topics`: write document topics where the format can hold them.

    An article is exported when, after the filters, it has a span or a document topic, or
    (with no topic or annotator filter) it is marked done: a read article with nothing to mark
    is a useful negative example.
    """

    topics: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()
    done: bool | None = None
    published_from: date | None = None
    published_to: date | None = None
    include_doc_topics: bool = True

    def keeps_date(self, published: date | None) -> bool:
        """Whether a publication date is inside the range."""
        if self.published_from is None and self.published_to is None:
            return True
        if published is None:
            return False
        if self.published_from is not None and published < self.published_from:
            return False
        return self.published_to is None or published <= self.published_to

    def span(self, span: Span) -> Span | None:
        """The span as exported (topics cut to the chosen ones), or None when it is left out."""
        if self.annotators and span.annotator not in self.annotators:
            return None
        if self.topics:
            chosen = tuple(t for t in span.topics if t in self.topics)
            if not chosen:
                return None
            if chosen != span.topics:
                return Span(
                    span.id, span.article_id, span.start, span.end, span.text, chosen,
                    span.note, span.annotator, span.created, span.updated,
                )
        return span

    def doc_topics(self, doc: DocTopics | None) -> DocTopics | None:
        """Document topics as exported, or None."""
        if doc is None or not doc.topics or not self.include_doc_topics:
            return None
        if self.annotators and doc.annotator not in self.annotators:
            return None
        if self.topics:
            chosen = tuple(t for t in doc.topics if t in self.topics)
            if not chosen:
                return None
            return DocTopics(doc.article_id, chosen, doc.annotator, doc.updated)
        return doc


@dataclass
class ExportReport:
    """What an export wrote and what it had to leave out."""

    format: str
    path: Path | None
    articles: int = 0
    spans: int = 0
    doc_topics: int = 0
    dropped_overlaps: int = 0
    overlap_rule: str = ""
    missing_articles: int = 0
    warnings: list[str] = field(default_factory=list)
    companions: list[Path] = field(default_factory=list)  # files written beside the export (Label Studio's config)

    def summary(self) -> str:
        """One line for people: how much went where."""
        where = str(self.path) if self.path else "stdout"
        line = (
            f"exported {counted(self.spans, 'span')} from {counted(self.articles, 'article')} "
            f"as {self.format} to {where}"
        )
        if self.dropped_overlaps:
            line += f" ({counted(self.dropped_overlaps, 'overlapping span')} dropped: {self.overlap_rule})"
        for companion in self.companions:
            line += f"; labelling config in {companion}"
        return line


class _Store(Protocol):
    def iter_spans(self) -> Iterable[Span]: ...
    def doc_topics(self, article_id: str) -> DocTopics: ...
    def is_done(self, article_id: str) -> bool: ...
    def topics(self) -> list[Any]: ...


class _Library(Protocol):
    entries: list[Any]

    def load(self, article_id: str) -> Article: ...


@dataclass
class _Selection:
    ids: list[str]
    spans: dict[str, list[Span]] | None  # None: read from the store article by article
    missing: int
    topics_seen: set[str] = field(default_factory=set)  # of the chosen topics, those some span or doc topic has


def _select(store: _Store, library: _Library, filters: ExportFilter) -> _Selection:
    """Which articles to write, in library order, with their spans grouped in one pass."""
    wanted_ids = set(filters.article_ids)
    spans: dict[str, list[Span]] = defaultdict(list)
    seen_topics: set[str] = set()
    lazy = not (filters.topics or filters.annotators) and hasattr(store, "spans_for") and hasattr(
        store, "article_ids_with_spans")
    if lazy:
        # The common case: each article's spans are read from the store's index as it is written,
        # so the export never holds more than one article's spans.
        with_spans: Any = store.article_ids_with_spans()  # type: ignore[attr-defined]
    else:
        for span in store.iter_spans():
            if wanted_ids and span.article_id not in wanted_ids:
                continue
            kept = filters.span(span)
            if kept is not None:
                spans[span.article_id].append(kept)
                if filters.topics:
                    seen_topics.update(kept.topics)
    narrowing = bool(filters.topics or filters.annotators)
    ids: list[str] = []
    seen: set[str] = set()
    for entry in library.entries:
        article_id = entry.id
        if article_id in seen:
            continue
        seen.add(article_id)
        if wanted_ids and article_id not in wanted_ids:
            continue
        if not filters.keeps_date(getattr(entry, "published", None)):
            continue
        has_spans = article_id in (with_spans if lazy else spans)
        if filters.done is not None or not has_spans:
            done = store.is_done(article_id)
            if filters.done is not None and done != filters.done:
                continue
            if not has_spans:
                doc = filters.doc_topics(store.doc_topics(article_id)) if filters.include_doc_topics else None
                if doc is not None and filters.topics:
                    seen_topics.update(doc.topics)
                if doc is None and (narrowing or not done):
                    continue
        ids.append(article_id)
    missing = sum(1 for article_id in (with_spans if lazy else spans) if article_id not in seen
                  and (not wanted_ids or article_id in wanted_ids))
    return _Selection(ids, None if lazy else spans, missing, seen_topics)


def select_records(
    store: _Store,
    library: _Library,
    filters: ExportFilter | None = None,
    *,
    report: ExportReport | None = None,
    progress: Callable[[int, int], None] | None = None,
    selection: _Selection | None = None,
) -> Iterator[ExportRecord]:
    """The records an export writes, one article at a time, counted into `report`."""
    filters = filters or ExportFilter()
    report = report or ExportReport(format="", path=None)
    if selection is None:
        selection = _select(store, library, filters)
    if selection.missing:
        report.warnings.append(
            f"{counted(selection.missing, 'article')} with spans "
            f"{'is' if selection.missing == 1 else 'are'} not in the library and "
            f"{'was' if selection.missing == 1 else 'were'} skipped"
        )
        report.missing_articles = selection.missing
    total = len(selection.ids)
    stale = 0
    for index, article_id in enumerate(selection.ids, 1):
        article = library.load(article_id)
        text = article.text
        spans = store.spans_for(article_id) if selection.spans is None else selection.spans.get(article_id, [])  # type: ignore[attr-defined]
        fitting, unfit = split_fitting(spans, text)
        stale += len(unfit)
        fitting.sort(key=lambda s: (s.start, s.end, s.id))
        doc = filters.doc_topics(store.doc_topics(article_id)) if filters.include_doc_topics else None
        report.articles += 1
        report.spans += len(fitting)
        report.doc_topics += 1 if doc is not None else 0
        yield ExportRecord(article, tuple(fitting), doc, store.is_done(article_id))
        if progress is not None:
            progress(index, total)
    if stale:
        report.warnings.append(
            f"{counted(stale, 'span')} no longer {'matches' if stale == 1 else 'match'} "
            f"{'its' if stale == 1 else 'their'} article's text and {'was' if stale == 1 else 'were'} skipped"
        )


# What the writers count, as (one, many) for people: "{n}" is the number with its noun.
_COUNT_MESSAGES = {
    "dropped_overlaps": ("{n} overlapping span dropped", "{n} overlapping spans dropped",
                         " (rule: " + OVERLAP_RULE + ")"),
    "first_topic_only": ("{n} span has several topics; only the first was written",
                         "{n} spans have several topics; only the first was written", ""),
    "skipped_blank": ("{n} span holding only whitespace was left out",
                      "{n} spans holding only whitespace were left out", ""),
    "skipped_empty": ("{n} empty span was left out", "{n} empty spans were left out", ""),
    "misaligned": ("{n} span could not be aligned to tokens and was left out",
                   "{n} spans could not be aligned to tokens and were left out", ""),
    "doccano_overlapping": (
        "{n} span overlaps another or carries several topics: doccano keeps it only in a project "
        "created with 'Allow overlapping entity' ticked", "{n} spans overlap another or carry several topics: "
        "doccano keeps them only in a project created with 'Allow overlapping entity' ticked", ""),
    "merged_same_extent": ("{n} span over the same text as another was merged into its entity",
                           "{n} spans over the same text as another were merged into their entities", ""),
    "discontinuous": ("{n} span crosses a line break and was written as discontinuous fragments",
                      "{n} spans cross a line break and were written as discontinuous fragments", ""),
}

# The counts of spans a writer left out: the summary says how many were actually written.
LEFT_OUT = ("dropped_overlaps", "skipped_blank", "skipped_empty", "misaligned")


def _finish_report(report: ExportReport, context: ExportContext) -> None:
    for key, (one, many, tail) in _COUNT_MESSAGES.items():
        n = context.counts.get(key, 0)
        if n:
            report.warnings.append(f"{report.format}: " + (one if n == 1 else many).format(n=f"{n:,}") + tail)
    report.warnings.extend(context.warnings)
    for topic, label in sorted(context.label_map.items()):
        report.warnings.append(f"{report.format}: topic {topic!r} written as {label!r} (labels cannot hold spaces)")
    report.dropped_overlaps = context.counts.get("dropped_overlaps", 0)
    report.spans -= sum(context.counts.get(key, 0) for key in LEFT_OUT)
    if report.format == "conll":
        report.overlap_rule = OVERLAP_RULE


def _refuse_database(out: Path, store: _Store) -> None:
    """Never write an export over the annotation database (its snapshot, journal or lock), even with force."""
    own = [getattr(store, name, None) for name in ("path", "journal_path", "lock_path")]
    target = Path(os.path.realpath(out.expanduser()))
    for path in own:
        if path is not None and Path(path).resolve() == target:
            raise ExportError(f"{out} is the annotation database itself: choose another file for the export")
        if path is not None and Path(path).resolve().parent == target:
            raise ExportError(f"{out} is the folder holding the annotation database: choose another folder")


def _target(out: Path, fmt: Format, force: bool) -> Target:
    """What `out` is, refused unless it may be written (an existing file or folder needs `force`)."""
    try:
        target = resolve_target(out, folder_format=fmt.kind == "folder")
    except TargetRefused as error:
        raise ExportError(str(error)) from None
    if target.exists and not force:
        raise ExportError(f"{out} already exists: choose another name or use --force to replace it")
    return target


def _unknown_topics(store: _Store, filters: ExportFilter, selection: "_Selection") -> list[str]:
    """The topics asked for that no topic, span or document topic is called."""
    known = {t.name for t in store.topics()} | selection.topics_seen
    return [name for name in filters.topics if name not in known]


def export(
    store: _Store,
    library: _Library,
    format_name: str,
    out: Path | None,
    filters: ExportFilter | None = None,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ExportReport:
    """Write the chosen annotations in `format_name` to `out` (stdout when None or `-`, text formats only).

    `out` may be a new or (with `force`) existing file, replaced atomically; a link to one, which
    is followed; a character device or named pipe, written as a stream; or a folder for brat.
    Raises `ExportError` (one line) for an unknown format or topic, a missing output path for
    spacy/brat, an existing target without `force`, a target that cannot be written, spaCy not
    installed, or a write that failed; nothing half-written is left behind.
    """
    try:
        fmt = get_format(format_name)
    except UnknownFormat as error:
        raise ExportError(str(error)) from None
    filters = filters or ExportFilter()
    out = Path(out) if out is not None and str(out) != "-" else None
    if out is None and not fmt.streams:
        raise ExportError(f"the {fmt.name} format writes a {'folder' if fmt.kind == 'folder' else 'binary file'}: give an output path")
    if fmt.check is not None:
        try:
            fmt.check()
        except SpacyMissing as error:
            raise ExportError(str(error)) from None
    target: Target | None = None
    config: Target | None = None
    if out is not None:
        target = _target(out, fmt, force)
        _refuse_database(out, store)
        if fmt.name == "label-studio" and target.kind != "stream":
            config = _target(label_studio.config_path(target.path), fmt, force)
    selection = _select(store, library, filters)
    unknown = _unknown_topics(store, filters, selection) if filters.topics else []
    if unknown:
        raise ExportError(f"no topic is called {unknown[0]!r}: 'newsdesk topics' lists the topics")
    topic_names = tuple(t.name for t in store.topics())
    if filters.topics:
        topic_names = tuple(t for t in topic_names if t in filters.topics) + tuple(
            t for t in filters.topics if t not in topic_names
        )
    context = ExportContext(topics=topic_names, exported=now_iso(), include_doc_topics=filters.include_doc_topics)
    report = ExportReport(format=fmt.name, path=out)
    records = select_records(store, library, filters, report=report, progress=progress, selection=selection)

    def write(handle: Any) -> None:
        fmt.write(records, handle, context)

    def still_ok() -> None:  # someone may have created the target meanwhile
        assert target is not None
        _target(target.given, fmt, force)

    try:
        if target is None:
            write_stdout(write)
        elif target.kind == "stream":
            write_stream(target.path, write, binary=fmt.kind == "binary")
        elif fmt.kind == "folder":
            write_folder(target.path, write, still_ok=still_ok)
        else:
            write_atomically(target.path, write, binary=fmt.kind == "binary", still_ok=still_ok)
    except SpacyMissing as error:
        raise ExportError(str(error)) from None
    except TargetRefused as error:
        raise ExportError(str(error)) from None
    except BrokenPipeError:
        if target is None:
            raise  # `newsdesk export | head`: the reader went away; the command stops quietly
        raise ExportError(f"could not write {out}: the reader of the pipe went away") from None
    except OSError as error:
        raise ExportError(f"could not write {out or 'standard output'}: {error.strerror or error}") from None
    if config is not None:
        _write_label_config(config, context, force)
        report.companions.append(config.path)
    elif fmt.name == "label-studio":
        context.note_once("label-studio: 'newsdesk export --format label-studio --label-config' prints the "
                          "labelling config that matches these tasks")
    _finish_report(report, context)
    return report


def _write_label_config(config: Target, context: ExportContext, force: bool) -> None:
    """Label Studio's labelling config beside the tasks, every topic of the store and of the export in it."""
    extra = sorted(context.labels_seen - set(context.topics))
    doc = sorted(context.doc_labels_seen - set(context.topics))
    text = label_studio.labelling_config(
        (*context.topics, *extra), (*context.topics, *doc) if context.include_doc_topics else ())

    def still_ok() -> None:
        _target(config.given, get_format("label-studio"), force)

    try:
        write_atomically(config.path, lambda handle: handle.write(text), binary=False, still_ok=still_ok)
    except OSError as error:
        raise ExportError(
            f"the tasks were written, but not the labelling config {config.path}: {error.strerror or error}"
        ) from None


def label_config(store: _Store, library: _Library, filters: ExportFilter | None = None) -> str:
    """The Label Studio labelling config for what `export(..., "label-studio", ...)` would write."""
    filters = filters or ExportFilter()
    selection = _select(store, library, filters)
    names = [t.name for t in store.topics() if not filters.topics or t.name in filters.topics]
    groups = selection.spans.values() if selection.spans is not None else (store.spans_for(i) for i in selection.ids)  # type: ignore[attr-defined]
    used = sorted({t for spans in groups for s in spans for t in s.topics} - set(names))
    docs: set[str] = set()
    for article_id in selection.ids if filters.include_doc_topics else ():
        doc = filters.doc_topics(store.doc_topics(article_id))
        docs.update(doc.topics if doc is not None else ())
    doc_names = (*names, *sorted(docs - set(names))) if filters.include_doc_topics else ()
    return label_studio.labelling_config((*names, *used), doc_names)
