"""Stories about reading articles: files of every kind, their headlines and datelines, whole folders."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations import corpus
from newsdesk.annotations.corpus import ArticleRefused, Library, parse_article, read_article, seeds_dir
from newsdesk.annotations.model import article_id_for

DATA = Path(__file__).resolve().parent / "data"
_spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
assert _spec is not None and _spec.loader is not None
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)
FIXTURES: dict[str, bytes] = make_fixtures.FIXTURES

AN_HOUR_AGO = time.time() - 3600


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    """The fixture files copied into a fresh folder."""
    folder = tmp_path / "fixtures"
    folder.mkdir()
    for name in FIXTURES:
        shutil.copyfile(DATA / name, folder / name)
    return folder


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    return path


def test_the_fixture_files_are_exactly_what_the_generator_writes() -> None:
    for name, data in FIXTURES.items():
        assert (DATA / name).read_bytes() == data, f"run python tests/data/make_fixtures.py ({name})"


# --- the seeds ---------------------------------------------------------------------------------


def test_the_seed_with_a_headline_has_title_and_standfirst_and_no_invented_metadata() -> None:
    article = read_article(seeds_dir() / "000_30f8a73632b9a83e.txt")
    assert article.title == "Starmer Extends Invitation to Japan’s Prime Minister After Strategic Tokyo Talks"
    assert article.standfirst.startswith("UK and Japan agree to deepen cooperation")
    assert article.standfirst.endswith("for an official visit to Britain")
    assert not article.title_derived
    assert article.published is None and article.source == "" and article.place == ""
    assert article.text.startswith("British Prime Minister Sir Keir Starmer used the culmination")
    assert article.title not in article.text and article.standfirst not in article.text
    assert article.id == article_id_for(article.text)


def test_the_seed_with_a_dateline_gets_its_date_place_source_and_a_derived_title() -> None:
    article = read_article(seeds_dir() / "003_0356732c498918b7.txt")
    assert article.published == date(2026, 2, 1)
    assert article.source == "ANI"
    assert article.place == "Tokyo, Japan"
    assert article.title_derived
    assert article.title.startswith("Japan and the United Kingdom have agreed")
    assert len(article.title) <= 90 and article.title.endswith("…")
    assert article.text.startswith("date 2026-02-01 Tokyo [Japan], February 1 (ANI): Japan")
    assert article.text == article.text.strip()
    assert article.standfirst == ""


def test_seeds_dir_is_the_folder_beside_the_package() -> None:
    assert seeds_dir() == Path(corpus.__file__).resolve().parent.parent / "seeds"
    assert sorted(p.name for p in seeds_dir().glob("*.txt"))[:2] == [
        "000_30f8a73632b9a83e.txt",
        "003_0356732c498918b7.txt",
    ]


# --- metadata rules ----------------------------------------------------------------------------


def test_common_datelines_give_place_and_source_but_never_an_invented_year() -> None:
    reuters = parse_article("TOKYO, Feb 1 (Reuters) - Japan said things today. More text follows.")
    assert (reuters.place, reuters.source, reuters.published) == ("Tokyo", "Reuters", None)
    ap = parse_article("Storm hits coast\nLONDON (AP) — The storm arrived. Trains stopped.")
    assert (ap.title, ap.place, ap.source, ap.published) == ("Storm hits coast", "London", "AP", None)
    dated = parse_article("WASHINGTON, March 3, 2025 (Reuters) - Talks began. They went on.")
    assert (dated.place, dated.published) == ("Washington", date(2025, 3, 3))
    delhi = parse_article("NEW DELHI [India], Jan 5 (ANI): Ministers met. Then they left.")
    assert (delhi.place, delhi.source, delhi.published) == ("New Delhi, India", "ANI", None)


def test_a_published_header_line_gives_the_date_and_stays_in_the_text() -> None:
    article = parse_article("Budget day\nPublished: 3 March 2025\nThe chancellor spoke. MPs listened.")
    assert article.title == "Budget day"
    assert article.published == date(2025, 3, 3)
    assert article.text.startswith("Published: 3 March 2025\n")
    assert parse_article("Date: February 1\nSome body text here.").published is None


def test_an_ordinary_sentence_with_brackets_is_not_a_dateline() -> None:
    article = parse_article("The minister (who spoke late) - said little. Others agreed.")
    assert article.place == "" and article.source == ""


def test_a_short_first_body_paragraph_is_not_swallowed_as_standfirst() -> None:
    article = parse_article("Short headline\nA short first paragraph.\nThe rest of the story.")
    assert article.title == "Short headline"
    assert article.standfirst == ""
    assert article.text == "A short first paragraph.\nThe rest of the story."


def test_a_lone_line_or_a_line_ending_in_a_full_stop_is_not_a_title() -> None:
    assert parse_article("Only one line").title_derived
    article = parse_article("This opens the story.\nAnd this goes on.")
    assert article.title_derived and article.title == "This opens the story"
    assert article.text == "This opens the story.\nAnd this goes on."


def test_a_markdown_heading_is_a_title_without_its_hashes() -> None:
    article = parse_article("# Rates rise\n\nThe bank raised rates. Markets fell.")
    assert article.title == "Rates rise" and article.text == "The bank raised rates. Markets fell."


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("Ab .,:!?\n\t()[]-—1") + ["日", "🇯🇵", "e\u0301", "TOKYO", "(AP)", "date 2026-02-01 "]),
        max_size=40,
    ).map("".join)
)
def test_parsing_any_text_gives_a_consistent_article(text: str) -> None:
    article = parse_article(text, origin="x.txt")
    assert article.id == article_id_for(article.text)
    assert article.text == article.text.strip()
    assert article.title and "\n" not in article.title
    assert len(article.title) <= 200
    if article.title_derived:
        assert article.text == text.strip()  # nothing taken out


# --- reading files -----------------------------------------------------------------------------


def test_crlf_and_lone_cr_files_read_with_plain_newlines(fixtures: Path) -> None:
    assert read_article(fixtures / "crlf.txt").text == "First body line.\nSecond body line."
    assert read_article(fixtures / "lone_cr.txt").text == "First body line.\nSecond body line."


def test_boms_and_old_encodings_are_decoded(fixtures: Path) -> None:
    assert read_article(fixtures / "utf8_bom.txt").title == "Café headline"
    for name in ("utf16_le.txt", "utf16_be.txt"):
        article = read_article(fixtures / name)
        assert article.title == "Tokyo 東京 headline" and article.text == "Body 🇯🇵.\nMore."
    article = read_article(fixtures / "cp1252.txt")
    assert article.title == "Café – naïve headline"
    assert article.text.startswith("The café – naïve “quoted”.")


def test_escape_sequences_and_controls_are_removed_and_the_words_stay(fixtures: Path) -> None:
    article = read_article(fixtures / "escapes.txt")
    assert article.text == (
        "Clearscreen, titleset, clipboard, linkheredone, nulbyte, bell.\nRed text in 8-bit CSI."
    )
    assert not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in article.text)


def test_other_scripts_emoji_and_markup_are_kept_exactly(fixtures: Path) -> None:
    scripts = read_article(fixtures / "scripts.txt")
    assert "日本と英国は合意した。" in scripts.text
    assert "العربية من اليمين إلى اليسار." in scripts.text and "עברית גם כן." in scripts.text
    assert "🇯🇵🇬🇧, family 👨\u200d👩\u200d👧, thumbs 👍🏿, e\u0301, \u1100\u1161\u11a8." in scripts.text
    markup = read_article(fixtures / "markup.txt")
    assert markup.title == "Markup [bold]headline[/]"
    assert markup.text == "Press [@click=app.quit]here[/] or [link='file:///etc/passwd']x[/link].\n[/]"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.txt", "is empty"),
        ("whitespace.txt", "only whitespace"),
        ("image.txt", "PNG image"),
        ("nul_heavy.txt", "binary"),
    ],
)
def test_files_that_are_not_articles_are_refused_with_one_line(fixtures: Path, name: str, words: str) -> None:
    with pytest.raises(ArticleRefused) as caught:
        read_article(fixtures / name)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(fixtures / name) + ": ")
    assert words in message and ";" in message
    assert caught.value.path == fixtures / name


def test_a_text_with_a_few_stray_nuls_is_read_not_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "stray.txt", b"Stray nul headline\nSome\x00 text with one NUL.\nMore.\n" * 5)
    assert "Some text with one NUL." in read_article(path).text


def test_a_folder_a_missing_file_and_an_unreadable_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ArticleRefused, match="is a folder"):
        read_article(tmp_path)
    with pytest.raises(ArticleRefused, match="no such file"):
        read_article(tmp_path / "missing.txt")
    locked = write(tmp_path / "locked.txt", "Locked\nBody.\nMore.")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read anything (root)")
        with pytest.raises(ArticleRefused, match="cannot be read"):
            read_article(locked)
    finally:
        locked.chmod(0o644)


def test_a_permission_error_is_refused_with_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", "Locked\nBody.\nMore.")
    real_open = open

    def deny(file: object, *args: object, **kwargs: object) -> object:
        if Path(str(file)) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", deny)
    with pytest.raises(ArticleRefused, match="cannot be read \\(Permission denied\\); check its permissions"):
        read_article(path)


def test_a_device_or_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ArticleRefused, match="not a regular file"):
        read_article(fifo)


def test_a_file_over_64_mb_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(corpus.MAX_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(ArticleRefused, match="64 MB"):
        read_article(path)


def test_a_file_lying_about_utf16_is_refused_as_undecodable(tmp_path: Path) -> None:
    path = write(tmp_path / "liar.txt", b"\xff\xfe" + b"A\x00" * 10 + b"\x00\xd8" + b"B\x00")
    with pytest.raises(ArticleRefused, match="re-save it as UTF-8"):
        read_article(path)


def test_a_control_character_in_a_file_name_does_not_break_the_one_line_message(tmp_path: Path) -> None:
    path = write(tmp_path / "bad\nname.txt", b"")
    with pytest.raises(ArticleRefused) as caught:
        read_article(path)
    assert "\n" not in str(caught.value) and "bad\\x0aname.txt" in str(caught.value)


# --- libraries ---------------------------------------------------------------------------------


def make_library(folder: Path, count: int = 3) -> list[Path]:
    return [
        write(folder / f"{n:03d}.txt", f"Headline number {n}\nBody of article {n}. It goes on.\nMore.")
        for n in range(count)
    ]


def test_a_library_lists_good_files_and_sets_the_refused_aside(fixtures: Path, tmp_path: Path) -> None:
    library = Library.open(fixtures, cache_dir=tmp_path / "cache")
    names = [entry.path.name for entry in library.entries]
    assert names == sorted(names)
    assert "crlf.txt" in names and "scripts.txt" in names
    refused = sorted(refusal.path.name for refusal in library.refused)
    assert refused == ["empty.txt", "image.txt", "lone_cr.txt", "nul_heavy.txt", "utf16_le.txt", "whitespace.txt"]
    duplicates = {r.path.name: str(r) for r in library.refused if "same text as" in str(r)}
    assert "same text as utf16_be.txt" in duplicates["utf16_le.txt"]
    assert "same text as crlf.txt" in duplicates["lone_cr.txt"]
    assert len(library) == len(names) and list(library) == library.entries


def test_the_library_reads_text_md_and_one_level_of_sub_folders_only(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    write(folder / "a.txt", "Alpha\nAlpha body. Yes.\nMore.")
    write(folder / "b.md", "# Beta\nBeta body. Yes.\nMore.")
    write(folder / "c.text", "Gamma\nGamma body. Yes.\nMore.")
    write(folder / "d.json", "{}")
    write(folder / ".hidden.txt", "Hidden\nHidden body.\nMore.")
    write(folder / "sub" / "e.txt", "Epsilon\nEpsilon body. Yes.\nMore.")
    write(folder / "sub" / "deeper" / "f.txt", "Phi\nPhi body. Yes.\nMore.")
    write(folder / "__pycache__" / "g.txt", "Cache\nCache body.\nMore.")
    library = Library.open(folder, cache_dir=tmp_path / "cache")
    assert [entry.title for entry in library] == ["Alpha", "Beta", "Gamma", "Epsilon"]


def test_loading_an_entry_gives_its_article(tmp_path: Path) -> None:
    make_library(tmp_path / "lib")
    library = Library.open(tmp_path / "lib", cache_dir=tmp_path / "cache")
    entry = library.entries[1]
    article = library.load(entry.id)
    assert article.id == entry.id and article.title == "Headline number 1"
    assert library.load(entry.id) is article  # kept in memory
    assert library.get(entry.id) == entry and library.get("nope") is None


def test_reopening_an_unchanged_folder_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_library(tmp_path / "lib", 5)
    write(tmp_path / "lib" / "empty.txt", b"")
    first = Library.open(tmp_path / "lib", cache_dir=tmp_path / "cache")
    from newsdesk.annotations import reading

    reads: list[Path] = []
    real = reading._read_text  # every file read goes through it
    monkeypatch.setattr(reading, "_read_text", lambda path: reads.append(Path(path)) or real(path))
    second = Library.open(tmp_path / "lib", cache_dir=tmp_path / "cache")
    assert reads == []
    assert second.entries == first.entries
    assert [str(r) for r in second.refused] == [str(r) for r in first.refused]


def test_a_changed_file_is_read_again_and_the_others_are_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = make_library(tmp_path / "lib", 4)
    Library.open(tmp_path / "lib", cache_dir=tmp_path / "cache")
    write(paths[2], "A new headline\nRewritten body. Completely.\nMore.")
    reads: list[str] = []
    from newsdesk.annotations import reading

    real = reading._read_text  # every file read goes through it
    monkeypatch.setattr(reading, "_read_text", lambda path: reads.append(Path(path).name) or real(path))
    library = Library.open(tmp_path / "lib", cache_dir=tmp_path / "cache")
    assert reads == ["002.txt"]
    assert library.entries[2].title == "A new headline"


def test_a_file_that_became_unreadable_is_refused_on_load(tmp_path: Path) -> None:
    paths = make_library(tmp_path / "lib", 2)
    library = Library.open(tmp_path / "lib", cache_dir=tmp_path / "cache")
    write(paths[0], b"")
    with pytest.raises(ArticleRefused, match="is empty"):
        library.load(library.entries[0].id)
    paths[1].unlink()
    with pytest.raises(ArticleRefused):
        library.load(library.entries[1].id)


VERSION = corpus._CACHE_VERSION


@pytest.mark.parametrize("damage", [b"", b"{not json", b"null", b'{"version": %d, "files": {"000.txt": 5}}' % VERSION,
                                    b'{"version": %d, "files": {"000.txt": {"size": 1, "mtime_ns": 2}}}' % VERSION,
                                    b'{"version": 1, "files": {}}'])
def test_a_damaged_cache_is_ignored(tmp_path: Path, damage: bytes) -> None:
    make_library(tmp_path / "lib", 2)
    cache = tmp_path / "cache"
    Library.open(tmp_path / "lib", cache_dir=cache)
    (cache_file,) = cache.glob("library-*.json")
    cache_file.write_bytes(damage)
    assert [e.title for e in Library.open(tmp_path / "lib", cache_dir=cache)] == [
        "Headline number 0",
        "Headline number 1",
    ]
    assert json.loads(cache_file.read_text())["version"] == VERSION  # rewritten whole


def test_an_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    make_library(tmp_path / "lib", 2)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    assert len(Library.open(tmp_path / "lib", cache_dir=blocker)) == 2


def test_the_cache_defaults_to_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    make_library(tmp_path / "lib", 1)
    Library.open(tmp_path / "lib")
    assert len(list((tmp_path / "xdg" / "newsdesk").glob("library-*.json"))) == 1


def test_opening_something_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ArticleRefused, match="is not a folder"):
        Library.open(tmp_path / "missing", cache_dir=tmp_path / "cache")


def test_the_seed_library_opens_with_both_seeds() -> None:
    library = Library.open(seeds_dir())
    assert [entry.path.name for entry in library][:2] == ["000_30f8a73632b9a83e.txt", "003_0356732c498918b7.txt"]
    assert library.refused == []


def test_loading_from_the_cache_gives_the_same_article_as_reading_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    for seed in seeds_dir().glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "cjk.txt").write_text("東京で首脳会談\n\n日本と英国は合意した。高市首相は述べた。\n", encoding="utf-8")
    Library.open(folder, cache_dir=tmp_path / "cache")  # fills the cache
    warm = Library.open(folder, cache_dir=tmp_path / "cache")
    for entry in warm.entries:
        assert warm.load(entry.id) == read_article(entry.path)


def test_a_file_edited_to_another_text_is_parsed_afresh_on_load(tmp_path: Path) -> None:
    paths = make_library(tmp_path / "lib", 2)
    library = Library.open(tmp_path / "lib", cache_dir=tmp_path / "cache")
    write(paths[1], "Another headline\nAnother body entirely.\nMore.")
    article = library.load(library.entries[1].id)
    assert article.title == "Another headline" and article.id != library.entries[1].id


def test_opening_a_library_reports_progress_to_the_end(tmp_path: Path) -> None:
    make_library(tmp_path / "lib", 450)
    told: list[tuple[int, int]] = []
    Library.open(tmp_path / "lib", cache_dir=tmp_path / "cache", progress=lambda done, total: told.append((done, total)))
    assert told[0] == (0, 450) and told[-1] == (450, 450)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
