"""Suggestions in and out: an import whose spans become suggestions, and exports of open suggestions.

`import_as_suggestions` runs the ordinary import (`importing.import_spans`, unchanged) against a
store wrapper that turns the span batch it would add into suggestions (source `import`), so
every check, re-anchoring and one-line refusal of the import applies as it is.

`export_suggestions` writes open suggestions for tools that review pre-annotations: Label Studio
tasks whose regions are `predictions` (not `annotations`), or Prodigy tasks with no `answer`
(as a recipe's stream would offer them). Ordinary exports never read suggestions: they come
from a table of their own that only this module writes out.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, TextIO

from .formats.record import ExportContext, ExportRecord
from .model import Span, counted, new_span_id, now_iso
from .suggestions import Suggestion, fresh_suggestions

__all__ = ["import_as_suggestions", "export_suggestions", "SUGGESTION_FORMATS", "SuggestionExport", "new_topics"]

SUGGESTION_FORMATS = ("label-studio", "prodigy")


def new_topics(existing: Iterable[Any], names: Iterable[str]) -> list[Any]:
    """Topics for `names` not among `existing`, each with the next free key and a colour unlike those in use."""
    from .topics import fresh_topics

    return fresh_topics(existing, names, description="added by a patterns file")


class _SuggestingStore:
    """A store seen by the importer: the spans it adds are stored as suggestions instead."""

    def __init__(self, store: Any, origin: str) -> None:
        self._store = store
        self._origin = origin
        self.suggested: list[Suggestion] = []
        self.already = 0
        self.doc_topics_left = 0
        self.done_left = 0
        self.predicted = 0  # of the file's predictions (suggestions the importer made itself)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get_span(self, span_id: str) -> Span | None:
        found = self._store.get_span(span_id)
        if found is None:
            suggestion = self._store.get_suggestion(span_id)
            found = suggestion.span if suggestion is not None else None
        return found

    def span_count(self, article_id: str | None = None) -> int:
        # Never "empty": the importer must look up ids, and suggestions hold ids too.
        return self._store.span_count(article_id) + self._store.suggestion_count(article_id) + 1

    def _suggest(self, spans: Iterable[Span]) -> list[Suggestion]:
        store = self._store
        candidates = []
        for span in spans:
            if store.get_span(span.id) is not None or store.get_suggestion(span.id) is not None:
                span = replace(span, id=new_span_id())
            candidates.append(Suggestion(span, "import", None, self._origin))
        by_article: dict[str, list[Suggestion]] = defaultdict(list)
        for candidate in candidates:
            by_article[candidate.article_id].append(candidate)
        rejected = store.rejected_keys()
        fresh: list[Suggestion] = []
        for article_id, group in by_article.items():
            fresh.extend(fresh_suggestions(group, suggestions=store.suggestions_for(article_id), rejected=rejected))
        self.already += len(candidates) - len(fresh)
        self.suggested.extend(fresh)
        return fresh

    def add_spans(self, spans: Iterable[Span]) -> list[Span]:
        fresh = self._suggest(spans)
        self._store.add_suggestions(fresh)
        return [s.span for s in fresh]

    def add_batch(self, spans: Iterable[Span] = (), *, topics: Iterable[Any] = (), doc_topics: Iterable[Any] = (),
                  done: Iterable[str] = (), suggestions: Iterable[Suggestion] = ()) -> None:
        # New topics and the suggestions land in one write; article topics and done marks are
        # what people decide, so an import of suggestions leaves them out (and says so).
        fresh = self._suggest(spans)
        keys = {s.key for s in fresh}
        predicted = [s for s in suggestions if s.key not in keys]  # the importer checked them against the store
        self.predicted = len(predicted)
        self.doc_topics_left += len(list(doc_topics))
        self.done_left += len(list(done))
        self._store.write_batch(put=[*topics, *fresh, *predicted])

    def set_doc_topics(self, doc: Any) -> Any:
        self.doc_topics_left += 1
        return doc


def import_as_suggestions(store: Any, library: Any, path: Path, *, annotator: str | None = None) -> Any:
    """Import `path` as `importing.import_spans` does, but store its spans as suggestions to review.

    Returns the import's report, with `added` the suggestions stored and a reason line for
    suggestions left out (already open, or rejected before) and article topics not set.
    """
    from .importing import import_spans

    wrapper = _SuggestingStore(store, Path(path).name)
    report = import_spans(wrapper, library, Path(path), annotator=annotator)
    report.added = len(wrapper.suggested)
    report.suggestions = wrapper.predicted
    if wrapper.already:
        report.reasons.append(f"{counted(wrapper.already, 'suggestion')} already open or rejected before were left out")
    if wrapper.doc_topics_left or wrapper.done_left:
        report.doc_topics_set = 0
        left = [counted(n, noun) for n, noun in ((wrapper.doc_topics_left, "article topic"), (wrapper.done_left, "done mark")) if n]
        report.reasons.append(f"{' and '.join(left)} not set: suggestions are spans only")
    return report


# --- export ----------------------------------------------------------------------------------


@dataclass
class SuggestionExport:
    """What an export of suggestions wrote."""

    format: str
    path: Path | None
    suggestions: int = 0
    articles: int = 0

    def summary(self) -> str:
        """One line for people."""
        where = str(self.path) if self.path else "stdout"
        return (f"exported {counted(self.suggestions, 'suggestion')} from {counted(self.articles, 'article')} "
                f"as {self.format} to {where}")


def _label_studio_task(record: ExportRecord, scores: dict[str, float | None], context: ExportContext) -> dict[str, Any]:
    from .formats import label_studio

    task = label_studio.task_object(record, context)
    results = task["annotations"][0]["result"] if task["annotations"] else []
    for result in results:
        score = scores.get(result["id"])
        if score is not None:
            result["score"] = score
    known = [s for s in scores.values() if s is not None]
    prediction: dict[str, Any] = {"model_version": "newsdesk suggestions", "result": results}
    if known:
        prediction["score"] = sum(known) / len(known)
    task["annotations"] = []
    task["predictions"] = [prediction]
    return task


def _prodigy_task(record: ExportRecord, scores: dict[str, float | None], context: ExportContext) -> dict[str, Any]:
    from .formats import prodigy

    task = prodigy.task_object(record, context)
    task.pop("answer", None)  # unanswered: a task offered for review
    by_place = {(s.start, s.end): scores.get(s.id) for s in record.spans}
    for span in task["spans"]:
        score = by_place.get((span["start"], span["end"]))
        if score is not None:
            span["score"] = score
    return task


def _write(out: TextIO, fmt: str, records: Iterable[tuple[ExportRecord, dict[str, float | None]]], context: ExportContext) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    if fmt == "label-studio":
        out.write("[")
        for number, (record, scores) in enumerate(records):
            out.write("\n" if number == 0 else ",\n")
            out.write(dumps(_label_studio_task(record, scores, context)))
        out.write("\n]\n")
    else:
        for record, scores in records:
            out.write(dumps(_prodigy_task(record, scores, context)) + "\n")


def export_suggestions(
    store: Any, library: Any, format_name: str, out: Path | None, *, force: bool = False
) -> SuggestionExport:
    """Write every open suggestion (Label Studio `predictions` or unanswered Prodigy tasks) to `out` or stdout.

    Raises `ValueError` (one line) for another format or an existing `out` without `force`.
    Written to a temporary file beside `out`, fsynced and renamed, so a failed export leaves nothing.
    """
    if format_name not in SUGGESTION_FORMATS:
        raise ValueError(f"--suggestions writes {' or '.join(SUGGESTION_FORMATS)}, not {format_name!r}: choose one of those")
    if out is not None and (out.exists() or out.is_symlink()) and not force:
        raise ValueError(f"{out} already exists: choose another name or use --force to replace it")
    grouped: dict[str, list[Suggestion]] = defaultdict(list)
    for suggestion in store.iter_suggestions():
        grouped[suggestion.article_id].append(suggestion)
    report = SuggestionExport(format=format_name, path=out)

    def records() -> Iterable[tuple[ExportRecord, dict[str, float | None]]]:
        for entry in library.entries:
            found = grouped.get(entry.id)
            if not found:
                continue
            article = library.load(entry.id)
            fitting = sorted((s for s in found if article.text[s.start : s.end] == s.text), key=lambda s: (s.start, s.end, s.id))
            if not fitting:
                continue
            report.articles += 1
            report.suggestions += len(fitting)
            yield ExportRecord(article, tuple(s.span for s in fitting), None, False), {s.id: s.score for s in fitting}

    context = ExportContext(topics=tuple(t.name for t in store.topics()), exported=now_iso(), include_doc_topics=False)
    if out is None:
        _write(sys.stdout, format_name, records(), context)
        sys.stdout.flush()
        return report
    fd, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            _write(handle, format_name, records(), context)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return report
