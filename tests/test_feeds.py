"""Feeds: fetched from a loopback server this test starts, saved as article files, politely."""

from __future__ import annotations

from pathlib import Path

import pytest

from feed_server import DATA, FeedServer, fixture, rss
from newsdesk.annotations.corpus import Library
from newsdesk.annotations.feeds import FeedError, FeedList, FetchPolicy, feeds_folder, fetch_feeds

FAST = FetchPolicy(timeout=0.5, retries=2, backoff=0.01, max_wait=0.05)
TURKEY = (DATA / "pages" / "wikimediafoundation.org.turkey.html").read_bytes()
BOING = (DATA / "pages" / "boingboing.net.millenials.html").read_bytes()


def subscribe(tmp_path: Path, *feeds: tuple[str, str]) -> FeedList:
    feed_list = FeedList(tmp_path / "feeds.json")
    for url, name in feeds:
        feed_list.add(url, name)
    feed_list.save()
    return feed_list


def fetch(feed_list: FeedList, tmp_path: Path, policy: FetchPolicy = FAST):
    return fetch_feeds(feed_list, folder=tmp_path / "feeds", policy=policy)


def test_each_entry_page_is_extracted_and_saved_as_an_article_file(tmp_path: Path):
    with FeedServer() as server:
        server.route("/feed.rss", fixture("trafilatura-feed2.rss", server))
        server.route("/blog/post/1", TURKEY, headers={"Content-Type": "text/html; charset=utf-8"})
        feeds = subscribe(tmp_path, (server.url("/feed.rss"), "Example"))
        [result] = fetch(feeds, tmp_path)
    assert result.line() == "Example: 1 new"
    library = Library.open(tmp_path / "feeds", cache_dir=tmp_path / "cache")
    [entry] = library.entries
    assert (entry.title, entry.source, str(entry.published)) == ("Example entry", "Example", "2009-09-06")
    article = library.load(entry.id)
    assert "Today, on Wikipedia’s 19th birthday" in article.text
    assert article.text.rstrip().endswith(f"Original: {server.url('/blog/post/1')}")
    assert FeedList(tmp_path / "feeds.json").feeds[0].status().endswith(": 1 new")


def test_an_entry_whose_page_cannot_be_had_keeps_the_feeds_own_text(tmp_path: Path):
    with FeedServer() as server:
        server.route("/feed.atom", fixture("trafilatura-feed1.atom", server))  # its pages are 404s
        feeds = subscribe(tmp_path, (server.url("/feed.atom"), "Atom"))
        [result] = fetch(feeds, tmp_path)
    assert result.error == "" and len(result.new_files) == 1  # two entries, the same "Some text."
    text = result.new_files[0].read_text(encoding="utf-8")
    assert text.startswith("Atom-Powered Robots Run Amok\n") and "\nSome text.\n" in text


def test_a_second_fetch_gets_304_and_adds_nothing(tmp_path: Path):
    with FeedServer() as server:
        body = rss(server, [("Port strike ends", "/a", "Dockers went back to work on Monday.")])
        server.route("/feed", body, headers={"ETag": '"v1"', "Last-Modified": "Sun, 06 Sep 2009 16:20:00 GMT"})
        feeds = subscribe(tmp_path, (server.url("/feed"), "Port"))
        [first] = fetch(feeds, tmp_path)
        [second] = fetch(FeedList(tmp_path / "feeds.json"), tmp_path)
        feed_requests = [headers for path, headers in server.requests if path == "/feed"]
    assert len(first.new_files) == 1
    assert second.not_modified and second.new_files == []
    assert second.line() == "Port: not changed since the last fetch"
    assert FeedList(tmp_path / "feeds.json").feeds[0].status().endswith(": not changed since the fetch before")
    assert feed_requests[1]["If-None-Match"] == '"v1"'
    assert feed_requests[1]["If-Modified-Since"] == "Sun, 06 Sep 2009 16:20:00 GMT"
    assert len(list((tmp_path / "feeds").rglob("*.txt"))) == 1


def test_entries_are_saved_once_by_url_and_by_text(tmp_path: Path):
    with FeedServer() as server:
        same = "The council approved the budget after a long night."
        server.route("/one", rss(server, [("Budget", "/story", same)]))
        server.route("/two", rss(server, [("Budget again", "/story", same), ("Copy", "/elsewhere", same)]))
        feeds = subscribe(tmp_path, (server.url("/one"), "One"), (server.url("/two"), "Two"))
        results = fetch(feeds, tmp_path, FetchPolicy(timeout=0.5, backoff=0.01, fetch_pages=False))
        again = fetch(FeedList(tmp_path / "feeds.json"), tmp_path, FetchPolicy(timeout=0.5, fetch_pages=False))
    assert sum(len(r.new_files) for r in results) == 1
    assert sum(len(r.new_files) for r in again) == 0
    assert len(list((tmp_path / "feeds").rglob("*.txt"))) == 1


def test_every_failure_is_one_line_in_its_status_and_stops_nothing_else(tmp_path: Path):
    with FeedServer() as server:
        server.slow("/slow", 3)
        server.route("/gone", "nope", status=404)
        server.route("/broken", "oops", status=500)
        server.redirect_loop("/loop")
        server.route("/html", "<html><body><p>Not a feed</p></body></html>", headers={"Content-Type": "text/html"})
        server.huge("/huge-declared", declare=True)
        server.huge("/huge-streamed", declare=False)
        latin1 = rss(server, [("Iñtërnâtiônàlizætiøn", "/x", "Café déjà vu, naïve façade.")]).encode("latin-1")
        server.route("/charset", latin1, headers={"Content-Type": "application/rss+xml; charset=utf-8"})
        server.route("/good", rss(server, [("Good news", "/g", "Everything else still arrives.")]))
        names = ["slow", "gone", "broken", "loop", "html", "huge-declared", "huge-streamed", "charset", "good"]
        feeds = subscribe(tmp_path, *[(server.url(f"/{name}"), name) for name in names])
        results = {r.feed.name: r for r in fetch(feeds, tmp_path, FetchPolicy(
            timeout=0.5, retries=1, backoff=0.01, max_wait=0.05, fetch_pages=False))}
        broken_tries = sum(1 for path, _ in server.requests if path == "/broken")
    assert results["slow"].error == "no answer within 0.5 s (timed out)"
    assert results["gone"].error == "the server answered 404 Not Found"
    assert results["broken"].error == "the server answered 500 Internal Server Error" and broken_tries == 2
    assert results["loop"].error == "redirected more than 5 times (a redirect loop?)"
    assert results["html"].error.startswith("is not an RSS or Atom feed")
    assert results["huge-declared"].error == "is 100 MB, over the 10 MB limit; not read"
    assert results["huge-streamed"].error == "is over the 10 MB limit; not read"
    assert results["charset"].error == "" and results["charset"].note  # read, with the problem noted
    assert "Café" in results["charset"].new_files[0].read_text(encoding="utf-8")
    assert results["good"].line() == "good: 1 new"
    statuses = {feed.name: feed.status() for feed in FeedList(tmp_path / "feeds.json").feeds}
    assert all(status.count("\n") == 0 for status in statuses.values())
    assert statuses["gone"].endswith(": the server answered 404 Not Found")


def test_429_and_503_are_retried_with_back_off(tmp_path: Path):
    with FeedServer() as server:
        server.flaky("/busy", [429, 503], rss(server, [("After a wait", "/w", "It came in the end.")]))
        feeds = subscribe(tmp_path, (server.url("/busy"), "Busy"))
        [result] = fetch(feeds, tmp_path, FetchPolicy(timeout=1, retries=2, backoff=0.01, max_wait=0.05, fetch_pages=False))
    assert result.line() == "Busy: 1 new"


def test_one_request_at_a_time_per_host(tmp_path: Path):
    with FeedServer() as server:
        for n in range(4):
            server.route(f"/f{n}", rss(server, [(f"Story {n}", f"/s{n}", f"Text number {n}.")]), delay=0.05)
        feeds = subscribe(tmp_path, *[(server.url(f"/f{n}"), f"F{n}") for n in range(4)])
        fetch(feeds, tmp_path, FetchPolicy(timeout=1, concurrency=4, fetch_pages=False))
        assert server.max_active["all"] == 1


def test_adding_a_feed_that_is_not_a_web_address_or_twice_is_refused(tmp_path: Path):
    feeds = FeedList(tmp_path / "feeds.json")
    with pytest.raises(FeedError, match="not a web address"):
        feeds.add("file:///etc/passwd")
    feeds.add("http://127.0.0.1:9/feed")
    with pytest.raises(FeedError, match="already in the feed list"):
        feeds.add("http://127.0.0.1:9/feed")
    with pytest.raises(FeedError, match="no feed is called"):
        feeds.remove("nothing")


def test_the_cli_adds_lists_fetches_and_removes_feeds(capsys):
    from newsdesk.tui.cli import main

    with FeedServer() as server:
        server.route("/feed", rss(server, [("CLI story", "/c", "Fetched from the command line.")]))
        assert main(["feeds", "add", server.url("/feed"), "--name", "Loopback"]) == 0
        assert main(["fetch"]) == 0
        out = capsys.readouterr().out
        assert "Loopback: 1 new" in out and f"1 new articles in {feeds_folder()}" in out
        assert main(["feeds", "list"]) == 0
        assert ": 1 new" in capsys.readouterr().out
        assert main(["list", "--json"]) == 0
        assert "CLI story" in capsys.readouterr().out  # the feeds folder joins the library
        assert main(["feeds", "remove", "Loopback"]) == 0
        assert main(["fetch"]) == 1
        assert capsys.readouterr().err.strip() == "newsdesk: no feeds to fetch; add one with 'newsdesk feeds add URL'"
