"""How long linking two articles' sentences takes: the seeds, and two ~1 MB news-like articles.

A plain script, not collected by pytest (figures, never timed asserts):

    python tests/bench/bench_align.py

The baseline in the same run is what any comparison must pay anyway: cutting both texts into
sentences and turning every sentence into terms. Ratios are against that baseline.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from newsdesk.annotations.align import AlignmentIndex, align, terms  # noqa: E402
from newsdesk.annotations.corpus import read_article, seeds_dir  # noqa: E402
from newsdesk.annotations.text import sentences  # noqa: E402

FUNCTION_WORDS = (
    "the of and to a in that is was for on with as by at from his her it an are were be has "
    "have had not but this which after their they said its who also would will been more than"
).split()


def _pseudo_word(rng: random.Random) -> str:
    syllables = ["ka", "ro", "mi", "ten", "sal", "or", "ve", "dun", "pri", "ast", "el", "mon", "tra", "ge", "lin", "os"]
    word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
    return word + rng.choice(["", "", "s", "ed", "ing", "ly", "ment"])


def news_like_pair(size: int = 1_000_000, shared: float = 0.15, seed: int = 7) -> tuple[str, str, dict[int, int]]:
    """Two ~`size`-character articles over a Zipf vocabulary; `shared` of B's sentences echo A's.

    Echoes are copies with a few words dropped or replaced, as a second report rewrites a wire.
    Returns both texts and the echoes as {sentence of B: sentence of A}.
    """
    rng = random.Random(seed)
    vocabulary = sorted({_pseudo_word(rng) for _ in range(30_000)})
    # Zipf-Mandelbrot over content words (function words come from their own list): the commonest
    # content word is in about one sentence in five, like "minister" in a long political story.
    weights = [1.0 / (rank + 8) ** 1.05 for rank in range(len(vocabulary))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)

    def sentence() -> list[str]:
        n = rng.randint(6, 18)  # with function words, ~22 words and ~140 characters a sentence
        content = rng.choices(vocabulary, cum_weights=cumulative, k=n)
        words = []
        for word in content:
            if rng.random() < 0.8:
                words.append(rng.choice(FUNCTION_WORDS))
            words.append(word)
        return words

    def render(words: list[str]) -> str:
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    echoes: dict[int, int] = {}

    def article(echo_from: list[list[str]] | None) -> tuple[str, list[list[str]]]:
        out: list[str] = []
        made: list[list[str]] = []
        length = 0
        while length < size:
            if echo_from and rng.random() < shared:
                source = rng.randrange(len(echo_from))
                echoes[len(made)] = source
                words = list(echo_from[source])
                for _ in range(rng.randint(1, 4)):  # a rewrite: a few words dropped or replaced
                    i = rng.randrange(len(words))
                    if rng.random() < 0.5 and len(words) > 4:
                        del words[i]
                    else:
                        words[i] = rng.choices(vocabulary, cum_weights=cumulative)[0]
            else:
                words = sentence()
            made.append(words)
            text = render(words)
            out.append(text)
            length += len(text) + 1
            if rng.random() < 0.25:
                out.append("\n\n")
        return " ".join(out), made

    text_a, made_a = article(None)
    text_b, _ = article(made_a)
    return text_a, text_b, echoes


def _seconds(fn, repeat: int = 1) -> tuple[float, object]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench(name: str, text_a: str, text_b: str, repeat: int, echoes: dict[int, int] | None = None) -> None:
    ranges_a, ranges_b = sentences(text_a), sentences(text_b)
    t_split, _ = _seconds(lambda: (sentences(text_a), sentences(text_b)), repeat)

    def tokenise() -> None:
        for text, ranges in ((text_a, ranges_a), (text_b, ranges_b)):
            for start, end in ranges:
                terms(text[start:end])

    t_tokens, _ = _seconds(tokenise, repeat)
    t_index, index = _seconds(lambda: AlignmentIndex(text_a, text_b, sentences_a=ranges_a, sentences_b=ranges_b), repeat)
    t_align, alignment = _seconds(lambda: align(text_a, text_b, sentences_a=ranges_a, sentences_b=ranges_b), repeat)
    t_full, _ = _seconds(lambda: align(text_a, text_b), repeat)
    middle = len(ranges_a) // 2
    t_one, _ = _seconds(lambda: index.counterparts_for("a", middle), max(repeat, 20))
    base = t_tokens
    print(f"\n{name}: A {len(text_a):,} chars / {len(ranges_a):,} sentences, B {len(text_b):,} chars / {len(ranges_b):,} sentences")
    print(f"  baseline: tokenise both (terms of every sentence) {t_tokens * 1000:9.1f} ms   1.00x")
    print(f"  sentences() on both texts                          {t_split * 1000:9.1f} ms   {t_split / base:.2f}x")
    print(f"  AlignmentIndex (tokenise + IDF + inverted index)   {t_index * 1000:9.1f} ms   {t_index / base:.2f}x")
    print(f"  align() with sentence ranges given                 {t_align * 1000:9.1f} ms   {t_align / base:.2f}x")
    print(f"  align() cutting sentences itself                   {t_full * 1000:9.1f} ms   {t_full / base:.2f}x")
    print(f"  counterparts_for one sentence (lazy, index built)  {t_one * 1000:9.3f} ms")
    pairs = alignment.pairs()
    print(
        f"  links {len(alignment.links):,}, pairs {len(pairs):,}, "
        f"only in A {len(alignment.only_in('a')):,}, only in B {len(alignment.only_in('b')):,}"
    )
    if echoes:
        found = sum(1 for b, a in echoes.items() if (best := alignment.best("b", b)) and best.a_index == a)
        paired = {(link.a_index, link.b_index) for link in pairs}
        true_pairs = sum(1 for b, a in echoes.items() if (a, b) in paired)
        print(
            f"  echoes planted {len(echoes):,}: best counterpart right for {found:,}, in pairs() {true_pairs:,}; "
            f"echo scores >= {min((l.score for l in pairs if echoes.get(l.b_index) == l.a_index), default=0):.2f}, "
            f"other pairs' scores <= {max((l.score for l in pairs if echoes.get(l.b_index) != l.a_index), default=0):.2f}"
        )


def main() -> None:
    seed_a = read_article(seeds_dir() / "000_30f8a73632b9a83e.txt").text
    seed_b = read_article(seeds_dir() / "003_0356732c498918b7.txt").text
    bench("seeds 000 vs 003", seed_a, seed_b, repeat=20)
    start = time.perf_counter()
    big_a, big_b, echoes = news_like_pair()
    print(f"\n(generated the synthetic pair in {time.perf_counter() - start:.1f} s)")
    bench("synthetic news-like ~1 MB vs ~1 MB, 15% of B echoing A", big_a, big_b, repeat=1, echoes=echoes)


if __name__ == "__main__":
    main()
