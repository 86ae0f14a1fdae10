"""Saved web pages in a library folder, read with trafilatura like any article file."""

from __future__ import annotations

import shutil
from pathlib import Path

from newsdesk.annotations.corpus import Library
from newsdesk.annotations.webpage import read_webpage

PAGES = Path(__file__).resolve().parent / "data" / "pages"


def page_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in PAGES.glob("*.html"):
        shutil.copyfile(page, folder / page.name)
    return folder


def test_saved_news_pages_give_their_main_text_and_metadata(tmp_path: Path):
    library = Library.open(page_folder(tmp_path), cache_dir=tmp_path / "cache")
    by_title = {entry.title: entry for entry in library.entries}
    turkey = by_title["Access to Wikipedia restored in Turkey after more than two and a half years"]
    assert (turkey.source, str(turkey.published)) == ("Wikimedia Foundation", "2020-01-15")
    article = library.load(turkey.id)
    assert article.text.startswith("Today, on Wikipedia’s 19th birthday, the Wikimedia Foundation")
    assert article.meta["url"].startswith("https://wikimediafoundation.org/news/2020/01/15/")
    boing = library.load(by_title["Hating Millennials - the prejudice you're allowed to boast about"].id)
    assert boing.meta["author"] == "Cory Doctorow"
    assert "Cartoonist Matt Bors" in boing.text
    # boilerplate is gone: no navigation or cookie text, no markup
    for words in ("<div", "Privacy Policy", "Subscribe"):
        assert words not in article.text


def test_a_page_is_sanitised_and_a_page_without_article_text_is_refused(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    body = "<p>" + "Escapes \x1b[2J and \x1b]0;title\x07 never reach the terminal. " * 8 + "</p>"
    (folder / "escapes.html").write_text(
        f"<html><head><title>Escape test</title></head><body><article>{body}</article></body></html>", encoding="utf-8"
    )
    (folder / "empty.htm").write_text("<html><body><script>var page = 1;</script></body></html>", encoding="utf-8")
    library = Library.open(folder, cache_dir=tmp_path / "cache")
    assert len(library.entries) == 1
    text = library.load(library.entries[0].id).text
    assert "\x1b" not in text and "\x07" not in text and "never reach the terminal" in text
    assert [str(r) for r in library.refused] == [
        f"{folder / 'empty.htm'}: has no article text that could be found; save the article's own page"
    ]


def test_a_page_reads_the_same_from_the_cache(tmp_path: Path):
    folder = page_folder(tmp_path)
    first = Library.open(folder, cache_dir=tmp_path / "cache")
    again = Library.open(folder, cache_dir=tmp_path / "cache")
    assert [e.id for e in first.entries] == [e.id for e in again.entries]
    assert read_webpage(again.entries[0].path).id == again.entries[0].id


def test_a_pages_h1_title_is_not_repeated_as_the_first_line_of_its_text(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    body = "<p>" + "The first paragraph says what happened in the talks. " * 5 + "</p>"
    (folder / "talks.html").write_text(
        f"<html><head><title>Talks in Tokyo</title></head><body><article><h1>Talks in Tokyo</h1>{body}"
        f"<p>Talks in Tokyo</p>{body}</article></body></html>", encoding="utf-8"
    )
    library = Library.open(folder, cache_dir=tmp_path / "cache")
    (entry,) = library.entries
    article = library.load(entry.id)
    assert entry.title == "Talks in Tokyo"
    assert article.text.startswith("The first paragraph says what happened")
    assert "\nTalks in Tokyo\n" in article.text  # the same words later on are the article's own
