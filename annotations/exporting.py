"""Exporting annotations: choose articles and spans, then write them in one of the registered formats.

`export` reads the store once (spans grouped by article in one pass), loads each chosen article
from the library in library order and streams records to the format's writer, so memory stays
flat for text formats and 100,000 spans export in about a second. Files are written atomically:
a temporary file (or folder, for brat) beside the target, fsynced, then renamed into place; an
existing target is only replaced with `force=True`, and a failed export leaves nothing behind.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

from newsdesk.annotations.formats import Format, UnknownFormat, get_format
from newsdesk.annotations.formats.conll import OVERLAP_RULE
from newsdesk.annotations.formats.record import ExportContext, ExportRecord
from newsdesk.annotations.formats.spacy_docbin import SpacyMissing
from newsdesk.annotations.model import Article, DocTopics, Span, counted, now_iso

__all__ = ["ExportFilter", "ExportReport", "ExportError", "export", "select_records"]


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

    def summary(self) -> str:
        """One line for people: how much went where."""
        where = str(self.path) if self.path else "stdout"
        line = (
            f"exported {counted(self.spans, 'span')} from {counted(self.articles, 'article')} "
            f"as {self.format} to {where}"
        )
        if self.dropped_overlaps:
            line += f" ({counted(self.dropped_overlaps, 'overlapping span')} dropped: {self.overlap_rule})"
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
    spans: dict[str, list[Span]]
    missing: int


def _select(store: _Store, library: _Library, filters: ExportFilter) -> _Selection:
    """Which articles to write, in library order, with their spans grouped in one pass."""
    wanted_ids = set(filters.article_ids)
    spans: dict[str, list[Span]] = defaultdict(list)
    if not (wanted_ids or filters.topics or filters.annotators):  # the common case, kept lean
        for span in store.iter_spans():
            spans[span.article_id].append(span)
    else:
        for span in store.iter_spans():
            if wanted_ids and span.article_id not in wanted_ids:
                continue
            kept = filters.span(span)
            if kept is not None:
                spans[span.article_id].append(kept)
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
        has_spans = article_id in spans
        if filters.done is not None or not has_spans:
            done = store.is_done(article_id)
            if filters.done is not None and done != filters.done:
                continue
            if not has_spans:
                doc = filters.doc_topics(store.doc_topics(article_id)) if filters.include_doc_topics else None
                if doc is None and (narrowing or not done):
                    continue
        ids.append(article_id)
    missing = sum(1 for article_id in spans if article_id not in seen)
    return _Selection(ids, spans, missing)


def select_records(
    store: _Store,
    library: _Library,
    filters: ExportFilter | None = None,
    *,
    report: ExportReport | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[ExportRecord]:
    """The records an export writes, one article at a time, counted into `report`."""
    filters = filters or ExportFilter()
    report = report or ExportReport(format="", path=None)
    selection = _select(store, library, filters)
    if selection.missing:
        report.warnings.append(
            f"{selection.missing} articles with spans are not in the library and were skipped"
        )
        report.missing_articles = selection.missing
    total = len(selection.ids)
    stale = 0
    for index, article_id in enumerate(selection.ids, 1):
        article = library.load(article_id)
        text = article.text
        spans = selection.spans.get(article_id, [])
        fitting = [s for s in spans if s.end <= len(text) and text[s.start : s.end] == s.text]
        stale += len(spans) - len(fitting)
        fitting.sort(key=lambda s: (s.start, s.end, s.id))
        doc = filters.doc_topics(store.doc_topics(article_id)) if filters.include_doc_topics else None
        report.articles += 1
        report.spans += len(fitting)
        report.doc_topics += 1 if doc is not None else 0
        yield ExportRecord(article, tuple(fitting), doc, store.is_done(article_id))
        if progress is not None:
            progress(index, total)
    if stale:
        report.warnings.append(f"{stale} spans no longer match their article's text and were skipped")


_COUNT_MESSAGES = {
    "dropped_overlaps": "{fmt}: {n} overlapping spans dropped (rule: " + OVERLAP_RULE + ")",
    "first_topic_only": "{fmt}: {n} spans have several topics; only the first was written",
    "skipped_blank": "{fmt}: {n} spans holding only whitespace were left out",
    "skipped_empty": "{fmt}: {n} empty spans were left out",
    "misaligned": "{fmt}: {n} spans could not be aligned to tokens and were left out",
    "discontinuous": "{fmt}: {n} spans cross a line break and were written as discontinuous fragments",
}


def _finish_report(report: ExportReport, context: ExportContext) -> None:
    for key, template in _COUNT_MESSAGES.items():
        n = context.counts.get(key, 0)
        if n:
            report.warnings.append(template.format(fmt=report.format, n=n))
    report.warnings.extend(context.warnings)
    for topic, label in sorted(context.label_map.items()):
        report.warnings.append(f"{report.format}: topic {topic!r} written as {label!r} (labels cannot hold spaces)")
    report.dropped_overlaps = context.counts.get("dropped_overlaps", 0)
    if report.format == "conll":
        report.overlap_rule = OVERLAP_RULE


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _refuse_database(out: Path, store: _Store) -> None:
    """Never write an export over the annotation database (its snapshot, journal or lock), even with force."""
    own = [getattr(store, name, None) for name in ("path", "journal_path", "lock_path")]
    target = out.expanduser().resolve()
    for path in own:
        if path is not None and Path(path).resolve() == target:
            raise ExportError(f"{out} is the annotation database itself: choose another file for the export")
        if path is not None and Path(path).resolve().parent == target:
            raise ExportError(f"{out} is the folder holding the annotation database: choose another folder")


def _check_target(out: Path, fmt: Format, force: bool) -> None:
    if out.exists() or out.is_symlink():
        if not force:
            raise ExportError(f"{out} already exists: choose another name or use --force to replace it")
        if fmt.kind == "folder" and not out.is_dir():
            raise ExportError(f"{out} is a file, but the {fmt.name} format writes a folder: choose another name")
        if fmt.kind != "folder" and out.is_dir():
            raise ExportError(f"{out} is a folder: give a file name for the {fmt.name} format")
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: the folder {out.parent} does not exist")


def _umask() -> int:
    """The process umask, read without changing it (os.umask would, for a moment, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _write_file(out: Path, fmt: Format, records: Iterable[ExportRecord], context: ExportContext, force: bool) -> None:
    fd, temp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    temp = Path(temp_name)
    # mkstemp makes the file private (0600); an export is meant to be shared like any new file.
    os.fchmod(fd, 0o666 & ~_umask())
    try:
        if fmt.kind == "binary":
            with os.fdopen(fd, "wb") as handle:
                fmt.write(records, handle, context)
                handle.flush()
                os.fsync(handle.fileno())
        else:
            with open(fd, "w", encoding="utf-8", newline="", buffering=1 << 20) as handle:
                fmt.write(records, handle, context)
                handle.flush()
                os.fsync(handle.fileno())
        _check_target(out, fmt, force)  # someone may have created it meanwhile
        os.replace(temp, out)
        _fsync_folder(out.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_folder(out: Path, fmt: Format, records: Iterable[ExportRecord], context: ExportContext, force: bool) -> None:
    temp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part"))
    os.chmod(temp, 0o777 & ~_umask())
    old: Path | None = None
    try:
        fmt.write(records, temp, context)
        _fsync_folder(temp)
        _check_target(out, fmt, force)
        if out.exists():
            # A folder cannot be replaced in one rename: move the old one aside first, and
            # put it back if the new one cannot take its place.
            old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".old")) / "old"
            os.rename(out, old)
            try:
                os.rename(temp, out)
            except BaseException:
                os.rename(old, out)
                raise
        else:
            os.rename(temp, out)
        _fsync_folder(out.parent)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old.parent, ignore_errors=True)


def _write_stdout(fmt: Format, records: Iterable[ExportRecord], context: ExportContext) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        fmt.write(records, sys.stdout, context)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    handle = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
    try:
        fmt.write(records, handle, context)
        handle.flush()
    finally:
        handle.detach()  # leave sys.stdout's buffer open


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
    """Write the chosen annotations in `format_name` to `out` (stdout when None, text formats only).

    Raises `ExportError` (one line) for an unknown format, a missing output path for spacy/brat,
    an existing target without `force`, spaCy not installed, or a write that failed; nothing
    half-written is left behind.
    """
    try:
        fmt = get_format(format_name)
    except UnknownFormat as error:
        raise ExportError(str(error)) from None
    filters = filters or ExportFilter()
    out = Path(out) if out is not None else None
    if out is None and not fmt.streams:
        raise ExportError(f"the {fmt.name} format writes a {'folder' if fmt.kind == 'folder' else 'binary file'}: give an output path")
    if fmt.check is not None:
        try:
            fmt.check()
        except SpacyMissing as error:
            raise ExportError(str(error)) from None
    if out is not None:
        _refuse_database(out, store)
        _check_target(out, fmt, force)
    topic_names = tuple(t.name for t in store.topics())
    if filters.topics:
        topic_names = tuple(t for t in topic_names if t in filters.topics) + tuple(
            t for t in filters.topics if t not in topic_names
        )
    context = ExportContext(topics=topic_names, exported=now_iso(), include_doc_topics=filters.include_doc_topics)
    report = ExportReport(format=fmt.name, path=out)
    records = select_records(store, library, filters, report=report, progress=progress)
    try:
        if out is None:
            _write_stdout(fmt, records, context)
        elif fmt.kind == "folder":
            _write_folder(out, fmt, records, context, force)
        else:
            _write_file(out, fmt, records, context, force)
    except SpacyMissing as error:
        raise ExportError(str(error)) from None
    except OSError as error:
        raise ExportError(f"could not write {out or 'stdout'}: {error.strerror or error}") from None
    _finish_report(report, context)
    return report
