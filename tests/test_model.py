"""What the model guarantees whatever text it is given."""

from __future__ import annotations

import unicodedata

from hypothesis import given, strategies as st

from newsdesk.annotations.model import Article, DocTopics, Span, Topic, article_id_for, clean_label

HOSTILE = st.text(alphabet=st.sampled_from(
    list("ab [/]@=:") + ["\x1b", "\x07", "\x9b", "\x9d", "\x00", "\n", "\t", "\r", "\x7f", "é", "😀", "\u0301", "]", ";"]
), max_size=60)


def controls(text: str, allowed: str = "") -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cc" and c not in allowed]


@given(HOSTILE)
def test_labels_never_carry_control_characters(value):
    assert controls(clean_label(value)) == []
    assert controls(clean_label(value, keep_newlines=True), allowed="\n\t") == []
    assert clean_label(clean_label(value)) == clean_label(value)


@given(HOSTILE, HOSTILE, HOSTILE)
def test_spans_topics_and_doc_topics_hold_only_clean_text(topic, note, annotator):
    text = "Some article text."
    article = Article(id=article_id_for(text), title="t", text=text)
    span = Span.create(article, 0, 4, [topic, "energy"], note=note, annotator=annotator)
    assert all(controls(t) == [] for t in span.topics)
    assert controls(span.note, allowed="\n\t") == [] and controls(span.annotator) == []
    assert controls(Topic(topic or "x").name) == []
    assert all(controls(t) == [] for t in DocTopics(article.id, (topic,), annotator=annotator).topics)


def test_markup_like_text_is_kept_exactly():
    assert clean_label("[bold]x[/] [@click=app.quit]") == "[bold]x[/] [@click=app.quit]"
