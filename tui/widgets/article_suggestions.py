"""Suggestions in `ArticleView`: drawn apart from spans, walked, and reviewed with `a`/`x`/`A`/`X`.

A suggestion is drawn dim and underlined with no fill, with a `?` in the margin, so it
never reads as a tagged span and never hides one (a span's fill shows through it). The keys only
say what the person wants (`SuggestionsReviewed`); the screen writes it through `History`, as
every edit goes, and calls `set_suggestions` back. On a place with no suggestion, `a` and `x`
fall through to what they do elsewhere (`SkipAction`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import ClassVar, Sequence

from rich.style import Style
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from newsdesk.annotations.suggestions import Suggestion

__all__ = ["SuggestionMarks", "SUGGESTION_STYLE"]

SUGGESTION_STYLE = Style(dim=True, underline=True)
"""Dim and underlined with no background (a span is a fill; overlapping spans are bold): unmistakably
not a tagged span. Not italic: terminals and SVG fonts draw italics a little wider than their cells."""

SUGGESTION_GUTTER = "?"


class SuggestionMarks(Widget):
    """Mixin for `ArticleView` (a `Widget` so its bindings count): the open suggestions of the article."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept_suggestion", "Accept suggestion", show=False, id="suggestion.accept"),
        Binding("x", "reject_suggestion", "Reject suggestion", show=False, id="suggestion.reject"),
        Binding("A", "accept_all_suggestions", "Accept all suggestions", show=False, id="suggestion.accept_all"),
        Binding("X", "reject_all_suggestions", "Reject all suggestions", show=False, id="suggestion.reject_all"),
        Binding("o", "tag_all(False)", "Tag every occurrence", show=False, id="suggestion.tag_all"),
        Binding("O", "tag_all(True)", "Tag every occurrence in the library", show=False, id="suggestion.tag_all_library"),
        Binding("P", "run_patterns", "Run the patterns again", show=False, id="suggestion.run_patterns"),
    ]

    _suggestions: list[Suggestion] = []
    _suggestion_starts: list[int] = []

    @dataclass
    class SuggestionsReviewed(Message):
        """The person accepted and/or rejected these suggestions."""

        view: object
        accept: tuple[Suggestion, ...]
        reject: tuple[Suggestion, ...]

    @dataclass
    class TagAllAsked(Message):
        """Tag every occurrence of the selection (or search hit, or word) in the article or the library."""

        view: object
        library: bool

    @dataclass
    class PatternsAsked(Message):
        """Run the patterns file over the library again."""

        view: object

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        """Show `suggestions` (the article's open ones), replacing those shown."""
        self._suggestions = sorted(suggestions, key=lambda s: (s.start, -s.end, s.id))
        self._suggestion_starts = [s.start for s in self._suggestions]
        ranges = [(s.start, s.end) for s in self._suggestions]
        if ranges:
            self.set_marks("suggestion", ranges, SUGGESTION_STYLE)  # type: ignore[attr-defined]
            self.set_gutter_marks("suggestion", ranges, SUGGESTION_GUTTER, "dim")  # type: ignore[attr-defined]
        else:
            self.clear_marks("suggestion")  # type: ignore[attr-defined]

    @property
    def suggestions(self) -> list[Suggestion]:
        """The suggestions shown (none once another article is set, until they are set again)."""
        article = self.article  # type: ignore[attr-defined]
        if article is None:
            return []
        return [s for s in self._suggestions if s.article_id == article.id]

    def suggestion_at_cursor(self) -> Suggestion | None:
        """The shortest suggestion covering the cursor (or ending right at it), or None."""
        offset = self.cursor  # type: ignore[attr-defined]
        shown = self.suggestions
        covering = [s for s in shown if s.start <= offset < s.end]
        if not covering:
            covering = [s for s in shown if s.end == offset and s.start < offset]
        return min(covering, key=lambda s: s.end - s.start) if covering else None

    def suggestion_stops(self) -> list[int]:
        """Where the suggestions start, for `]`/`[` to stop at."""
        return list(self._suggestion_starts)

    def next_suggestion(self) -> bool:
        """Move to the next suggestion after the cursor (wrapping); False when there is none."""
        starts = self._suggestion_starts
        if not starts:
            return False
        index = bisect_right(starts, self.cursor)  # type: ignore[attr-defined]
        self.move_cursor(starts[index % len(starts)], center=True)  # type: ignore[attr-defined]
        return True

    def previous_suggestion(self) -> bool:
        """Move to the previous suggestion before the cursor (wrapping); False when there is none."""
        starts = self._suggestion_starts
        if not starts:
            return False
        index = bisect_left(starts, self.cursor) - 1  # type: ignore[attr-defined]
        self.move_cursor(starts[index % len(starts)], center=True)  # type: ignore[attr-defined]
        return True

    # -- keys ------------------------------------------------------------------------------
    def _review(self, accept: Sequence[Suggestion] = (), reject: Sequence[Suggestion] = ()) -> None:
        self.post_message(self.SuggestionsReviewed(self, tuple(accept), tuple(reject)))

    def action_accept_suggestion(self) -> None:
        """`a` on a suggestion: accept it (it becomes a span by you)."""
        found = self.suggestion_at_cursor()
        if found is None:
            raise SkipAction()
        self._review(accept=[found])

    def action_reject_suggestion(self) -> None:
        """`x` on a suggestion: reject it (it is not offered again)."""
        found = self.suggestion_at_cursor()
        if found is None:
            raise SkipAction()
        self._review(reject=[found])

    def action_accept_all_suggestions(self) -> None:
        """`A`: accept every suggestion of the article."""
        shown = self.suggestions
        if not shown:
            raise SkipAction()
        self._review(accept=shown)

    def action_reject_all_suggestions(self) -> None:
        """`X`: reject every suggestion of the article."""
        shown = self.suggestions
        if not shown:
            raise SkipAction()
        self._review(reject=shown)

    def action_tag_all(self, library: bool) -> None:
        """`o`: tag every occurrence in this article; `O`: in the whole library (after showing how many)."""
        self.post_message(self.TagAllAsked(self, bool(library)))

    def action_run_patterns(self) -> None:
        """`P`: run the patterns file over the library again, as suggestions."""
        self.post_message(self.PatternsAsked(self))
