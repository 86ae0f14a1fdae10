"""Jump hints: a short label on every visible word, so a person reaches any word in two or three keys.

`JumpHints` is the whole state of one hint session, apart from any drawing: given the words on
screen (ranges into the article's text) and the cursor, it gives each word a label of one or two
letters (the words nearest the cursor get the shortest, home-row letters first) and takes the
typed keys one at a time until they name a word. Labels are prefix-free: no one-letter label
starts a two-letter one, so a jump never waits for a key that cannot come.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

from .text import _word_restart, _words

__all__ = ["ALPHABET", "Hint", "JumpHints", "HintOutcome", "labels_for", "words_between"]

# Home row first, then the rows above and below: earlier letters go to nearer words.
ALPHABET = "asdfghjklqwertyuiopzxcvbnm"

HintOutcome = Literal["jump", "pending", "miss"]


def labels_for(count: int, alphabet: str = ALPHABET) -> list[str]:
    """`count` prefix-free labels, shortest first: single letters, then two-letter ones.

    With n letters, up to n words get one letter each; beyond that some letters become prefixes
    of n two-letter labels each, as few as needed, so as many words as possible keep one letter.
    At most n * n labels exist (676 with the default alphabet); more words than that get none.
    """
    letters = list(dict.fromkeys(alphabet))
    size = len(letters)
    if count <= 0 or size == 0:
        return []
    if count <= size:
        return letters[:count]
    count = min(count, size * size)
    # k single letters and (size - k) prefixes: k + (size - k) * size >= count.
    singles = max(0, (size * size - count) // (size - 1)) if size > 1 else 0
    singles = min(singles, size - 1)
    labels = letters[:singles]
    for prefix in letters[singles:]:
        for second in letters:
            labels.append(prefix + second)
    return labels[:count]


def words_between(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The words of `text` that start in [start, end), as (start, end) ranges, in order."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    # Step back to a place outside any word so a word cut by `start` is found whole and dropped.
    found = []
    for word_start, word_end in _words(text, _word_restart(text, start), len(text)):
        if word_start >= end:
            break
        if word_start >= start:
            found.append((word_start, word_end))
    return found


@dataclass(frozen=True)
class Hint:
    """One label on one word: typing `label` moves the cursor to `start`."""

    label: str
    start: int
    end: int


class JumpHints:
    """The labels shown over the visible words and the keys typed so far."""

    def __init__(self, words: Iterable[tuple[int, int]], cursor: int, alphabet: str = ALPHABET) -> None:
        ordered = list(words)
        # Nearest words first, ties to the word after the cursor; shown in text order.
        by_distance = sorted(range(len(ordered)), key=lambda i: (abs(ordered[i][0] - cursor), ordered[i][0] < cursor))
        labels = labels_for(len(ordered), alphabet)
        labelled = {index: labels[rank] for rank, index in enumerate(by_distance[: len(labels)])}
        self.hints: list[Hint] = [Hint(labelled[i], *ordered[i]) for i in sorted(labelled)]
        self._by_label = {hint.label: hint for hint in self.hints}
        self.typed = ""
        self.target: Hint | None = None

    def __len__(self) -> int:
        return len(self.hints)

    def showing(self) -> list[Hint]:
        """The hints still possible after what was typed (all of them before the first key)."""
        return [hint for hint in self.hints if hint.label.startswith(self.typed)]

    def press(self, key: str) -> HintOutcome:
        """Take one typed letter: `jump` when it completes a label (see `target`), `pending` when it
        starts one or more, `miss` when no label fits (the typed keys are then forgotten)."""
        typed = self.typed + key.lower()
        hint = self._by_label.get(typed)
        if hint is not None:
            self.typed, self.target = typed, hint
            return "jump"
        if any(label.startswith(typed) for label in self._by_label):
            self.typed = typed
            return "pending"
        self.typed = ""
        return "miss"

    def backspace(self) -> None:
        """Forget the last typed letter."""
        self.typed = self.typed[:-1]
