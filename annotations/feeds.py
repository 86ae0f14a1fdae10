"""Feeds: RSS/Atom subscriptions fetched politely into a library folder of article files.

* The list of feeds and what was learnt fetching them (ETag, Last-Modified, last fetch, new
  entries, last error, the URLs and text hashes already saved) live in ``feeds.json`` in the user
  data dir; articles are saved as ``.txt`` files in ``feeds/<feed name>/`` beside it, so they read
  like any other article file and are the user's to keep.
* `fetch_feeds` reads each feed with feedparser over httpx, then fetches each new entry's page and
  extracts its text with trafilatura, falling back to the feed's own content. An entry is new when
  neither its URL nor its text's hash was saved before.
* Polite and robust: conditional GET (If-None-Match, If-Modified-Since), timeouts, a size limit on
  every body, a few feeds at once but at most one request per host at a time, retries with
  back-off on 429 and 5xx (Retry-After honoured, capped), at most 5 redirects. A feed that fails
  gets one line in its status and stops nothing else.
* httpx, feedparser and trafilatura are imported only when something is fetched.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from .model import article_id_for, clean_label, now_iso

__all__ = [
    "Feed",
    "FeedError",
    "FeedList",
    "FeedResult",
    "FetchPolicy",
    "feeds_folder",
    "with_feeds_folder",
    "feeds_file",
    "fetch_feeds",
]

_VERSION = 1


class FeedError(Exception):
    """A feed that cannot be added or fetched; str() is one line for people."""


def feeds_folder() -> Path:
    """Where fetched articles are saved: ``feeds/`` in the user data dir (a library folder)."""
    from .paths import data_dir

    return data_dir() / "feeds"


def with_feeds_folder(sources: list[Path]) -> list[Path]:
    """`sources` plus the feeds folder once `fetch` has saved anything into it."""
    folder = feeds_folder()
    try:
        saved = folder.is_dir() and any(folder.iterdir())
    except OSError:
        saved = False
    return sources + [folder] if saved and folder not in sources else list(sources)


def feeds_file() -> Path:
    """The feed list and its fetch state: ``feeds.json`` in the user data dir."""
    from .paths import data_dir

    return data_dir() / "feeds.json"


@dataclass
class Feed:
    """One subscription and how its last fetch went."""

    url: str
    name: str
    etag: str = ""
    last_modified: str = ""
    last_fetch: str = ""
    last_new: int = 0
    last_error: str = ""
    last_note: str = ""
    """A problem the last fetch read past (a wrong charset, a not-quite-XML feed)."""
    last_unchanged: bool = False
    """The last fetch was answered 304 Not Modified."""

    def status(self) -> str:
        """One line: when it was last fetched, how many entries were new, or what went wrong."""
        if not self.last_fetch:
            return "not fetched yet"
        when = self.last_fetch.replace("T", " ")[:16]
        if self.last_error:
            return f"{when}: {self.last_error}"
        if self.last_unchanged:
            return f"{when}: not changed since the fetch before"
        note = f" (read despite {self.last_note})" if self.last_note else ""
        return f"{when}: {self.last_new} new{note}"


def _slug(text: str, limit: int = 50) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-_")
    return slug[:limit].strip("-_") or "feed"


class FeedList:
    """The feeds file: subscriptions plus what was already saved (URLs, text hashes)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or feeds_file()
        self.feeds: list[Feed] = []
        self.seen_urls: dict[str, str] = {}  # entry URL -> saved file (relative)
        self.seen_hashes: dict[str, str] = {}  # article id of the text -> saved file
        self._lock = threading.Lock()
        self._claims = threading.Lock()
        self._pending: set[str] = set()  # entry URLs being fetched right now by another feed
        self._load()

    def claim_url(self, url: str) -> bool:
        """True (and the URL is this caller's) unless it was saved already or is being fetched."""
        with self._claims:
            if url in self.seen_urls or url in self._pending:
                return False
            self._pending.add(url)
            return True

    def claim_text(self, digest: str, url: str, relative: str) -> bool:
        """Record a text about to be saved as `relative`; False when the same text was saved before."""
        with self._claims:
            self._pending.discard(url)
            if digest in self.seen_hashes:
                if url:
                    self.seen_urls[url] = self.seen_hashes[digest]
                return False
            self.seen_hashes[digest] = relative
            if url:
                self.seen_urls[url] = relative
            return True

    def release_url(self, url: str) -> None:
        """Give up a claimed URL that produced nothing to save."""
        with self._claims:
            self._pending.discard(url)

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            raise FeedError(f"{self.path}: cannot read the feed list ({error}); fix or remove it") from None
        if not isinstance(data, dict) or not isinstance(data.get("feeds"), list):
            raise FeedError(f"{self.path}: is not a newsdesk feed list; fix or remove it")
        for item in data["feeds"]:
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                known = {
                    key: str(item.get(key) or "")
                    for key in ("url", "name", "etag", "last_modified", "last_fetch", "last_error", "last_note")
                }
                self.feeds.append(
                    Feed(**known, last_new=int(item.get("last_new") or 0), last_unchanged=bool(item.get("last_unchanged")))
                )
        self.seen_urls = {str(k): str(v) for k, v in (data.get("seen_urls") or {}).items()}
        self.seen_hashes = {str(k): str(v) for k, v in (data.get("seen_hashes") or {}).items()}

    def save(self) -> None:
        """Write the list atomically (temp file, fsync, rename)."""
        with self._lock:
            payload = {
                "version": _VERSION,
                "feeds": [asdict(feed) for feed in self.feeds],
                "seen_urls": self.seen_urls,
                "seen_hashes": self.seen_hashes,
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".feeds-", dir=self.path.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(payload, out, ensure_ascii=False, indent=1)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
                raise

    def add(self, url: str, name: str | None = None) -> Feed:
        """Subscribe to `url` (http or https); `FeedError` if it is not a web address or is there already."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FeedError(f"{url!r} is not a web address; give the feed's http:// or https:// URL")
        if self.find(url) is not None:
            raise FeedError(f"{url} is already in the feed list ('newsdesk feeds list' shows it)")
        feed_name = clean_label(name or "") or parts.netloc
        if any(feed.name == feed_name for feed in self.feeds):
            feed_name = f"{feed_name} ({len(self.feeds) + 1})"
        feed = Feed(url=url, name=feed_name)
        self.feeds.append(feed)
        return feed

    def find(self, url_or_name: str) -> Feed | None:
        """The feed with this URL or name."""
        for feed in self.feeds:
            if url_or_name in (feed.url, feed.name):
                return feed
        return None

    def remove(self, url_or_name: str) -> Feed:
        """Unsubscribe (saved articles stay); `FeedError` when no feed has that URL or name."""
        feed = self.find(url_or_name)
        if feed is None:
            raise FeedError(f"no feed is called or at {url_or_name!r}; 'newsdesk feeds list' shows them")
        self.feeds.remove(feed)
        return feed


# ---------------------------------------------------------------------------------------------
# Fetching


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how long to try: the tests shorten the waits."""

    timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 4
    retries: int = 2
    backoff: float = 1.0
    max_wait: float = 30.0
    user_agent: str = "newsdesk (terminal news reader; +https://pypi.org/project/newsdesk)"
    fetch_pages: bool = True


@dataclass
class FeedResult:
    """What one fetch of one feed did."""

    feed: Feed
    new_files: list[Path] = field(default_factory=list)
    not_modified: bool = False
    error: str = ""
    note: str = ""
    skipped: int = 0

    def line(self) -> str:
        """One line for the CLI and the app."""
        if self.error:
            return f"{self.feed.name}: {self.error}"
        if self.not_modified:
            return f"{self.feed.name}: not changed since the last fetch"
        note = f" (read despite {self.note})" if self.note else ""
        return f"{self.feed.name}: {len(self.new_files)} new{note}"


class _Fetcher:
    """HTTP with a size limit, retries and one request at a time per host."""

    def __init__(self, policy: FetchPolicy) -> None:
        import httpx

        self.httpx = httpx
        self.policy = policy
        self.client = httpx.Client(
            timeout=policy.timeout,
            follow_redirects=True,
            max_redirects=policy.max_redirects,
            headers={"User-Agent": policy.user_agent},
        )
        self._hosts: dict[str, threading.Lock] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def _host_lock(self, url: str) -> threading.Lock:
        host = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            return self._hosts.setdefault(host, threading.Lock())

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes, str]:
        """(status, headers, body, final URL); `FeedError` with a one-line reason on failure."""
        httpx = self.httpx
        policy = self.policy
        attempt = 0
        while True:
            try:
                with self._host_lock(url):
                    with self.client.stream("GET", url, headers=headers or {}) as response:
                        status = response.status_code
                        if status in (429, 500, 502, 503, 504) and attempt < policy.retries:
                            wait = self._wait(response.headers.get("retry-after"), attempt)
                        else:
                            wait = None
                            if status >= 400:
                                raise FeedError(f"the server answered {status} {response.reason_phrase}".strip())
                            declared = response.headers.get("content-length")
                            if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                                raise FeedError(self._too_big(int(declared)))
                            body = bytearray()
                            for chunk in response.iter_bytes():
                                body.extend(chunk)
                                if len(body) > policy.max_bytes:
                                    raise FeedError(self._too_big(None))
                            return status, dict(response.headers), bytes(body), str(response.url)
            except httpx.TooManyRedirects:
                raise FeedError(f"redirected more than {policy.max_redirects} times (a redirect loop?)") from None
            except httpx.TimeoutException:
                raise FeedError(f"no answer within {policy.timeout:g} s (timed out)") from None
            except httpx.HTTPError as error:
                raise FeedError(f"could not be fetched ({type(error).__name__}: {error})") from None
            attempt += 1
            time.sleep(wait)

    def _wait(self, retry_after: str | None, attempt: int) -> float:
        wait = self.policy.backoff * (2**attempt)
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, float(retry_after))
        return min(wait, self.policy.max_wait)

    def _too_big(self, size: int | None) -> str:
        limit = self.policy.max_bytes / 1024 / 1024
        if size is None:
            return f"is over the {limit:g} MB limit; not read"
        return f"is {size / 1024 / 1024:.0f} MB, over the {limit:g} MB limit; not read"


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _html_text(html: str) -> str:
    """Feed content (often HTML) as plain text."""
    if "<" not in html:
        return html
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
        for br in root.iter("br"):
            br.tail = "\n" + (br.tail or "")
        for block in root.iter("p", "div", "li", "h1", "h2", "h3", "blockquote"):
            block.tail = "\n\n" + (block.tail or "")
        return root.text_content()
    except Exception:
        return re.sub(r"<[^>]+>", " ", html)


def _entry_text(entry: Any) -> str:
    for content in entry.get("content") or ():
        value = content.get("value") if isinstance(content, dict) else None
        if value:
            return _html_text(value)
    return _html_text(entry.get("summary") or entry.get("description") or "")


def _article_file_text(title: str, source: str, published: date | None, body: str, url: str) -> str:
    """An article file the library reads back: title line, Source/Published headers, body, link."""
    lines = [title, "", f"Source: {source}"]
    if published is not None:
        lines.append(f"Published: {published.isoformat()}")
    lines += ["", body.strip(), ""]
    if url:
        lines += [f"Original: {url}", ""]
    return "\n".join(lines)


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".entry-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _fetch_one(
    feed: Feed, feeds: FeedList, folder: Path, fetcher: _Fetcher, cancelled: Callable[[], bool]
) -> FeedResult:
    import feedparser

    from .text import sanitise

    result = FeedResult(feed)
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    status, response_headers, body, final_url = fetcher.get(feed.url, headers)
    lowered = {key.lower(): value for key, value in response_headers.items()}
    if status == 304:
        result.not_modified = True
        return result
    parsed = feedparser.parse(
        body, response_headers={"content-type": lowered.get("content-type", ""), "content-location": final_url}
    )
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FeedError(f"is not an RSS or Atom feed ({type(reason).__name__ if reason else 'not XML'}); check the URL")
    if not parsed.entries and not parsed.get("feed"):
        raise FeedError("is not an RSS or Atom feed (no channel, no entries); check the URL")
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        result.note = clean_label(f"{type(problem).__name__}: {problem}")[:200] if problem else "a malformed feed"
    source = clean_label(feed.name or parsed.feed.get("title") or urlsplit(feed.url).netloc)
    feed_folder = folder / _slug(feed.name)
    for entry in parsed.entries:
        if cancelled():
            break
        link = str(entry.get("link") or "")
        if link and not feeds.claim_url(link):
            result.skipped += 1
            continue
        title = clean_label(sanitise(entry.get("title") or ""))
        published = _entry_date(entry)
        text = ""
        if link and fetcher.policy.fetch_pages and urlsplit(link).scheme in ("http", "https"):
            try:
                from .webpage import extract_page

                _, _, page_body, page_url = fetcher.get(link)
                page = extract_page(page_body, page_url)
                if page is not None:
                    text = page.text
                    title = title or page.title
                    published = published or page.published
            except FeedError:
                pass  # the feed's own content stands in for a page that cannot be had
            except Exception:
                pass
        if not text:
            text = sanitise(_entry_text(entry)).strip()
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
        if not text:
            feeds.release_url(link)
            result.skipped += 1
            continue
        digest = article_id_for(text)
        title = title or text.split("\n", 1)[0][:90]
        name = f"{published.isoformat() + '-' if published else ''}{_slug(title)}-{digest[:8]}.txt"
        path = feed_folder / name
        if not feeds.claim_text(digest, link, str(path.relative_to(folder))):
            result.skipped += 1
            continue
        _write_new(path, _article_file_text(title, source, published, text, link))
        result.new_files.append(path)
    feed.etag = lowered.get("etag", "")
    feed.last_modified = lowered.get("last-modified", "")
    return result


def fetch_feeds(
    feeds: FeedList,
    *,
    folder: Path | None = None,
    only: Iterable[str] = (),
    policy: FetchPolicy | None = None,
    progress: Callable[[int, int, FeedResult], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[FeedResult]:
    """Fetch every feed (or those named in `only`), save new entries into `folder`, save the list.

    Never raises for one feed's failure: its `FeedResult.error` (and its status) says what went
    wrong. `progress(done, total, result)` is told as each feed finishes.
    """
    policy = policy or FetchPolicy()
    folder = folder or feeds_folder()
    wanted = set(only)
    chosen = [feed for feed in feeds.feeds if not wanted or feed.url in wanted or feed.name in wanted]
    results: list[FeedResult] = []
    if not chosen:
        return results
    fetcher = _Fetcher(policy)
    lock = threading.Lock()

    def run(feed: Feed) -> FeedResult:
        try:
            result = _fetch_one(feed, feeds, folder, fetcher, cancelled)
        except FeedError as error:
            result = FeedResult(feed, error=clean_label(str(error)))
        except Exception as error:  # a bug must cost one feed, not the fetch
            result = FeedResult(feed, error=clean_label(f"could not be read ({type(error).__name__}: {error}); report this"))
        feed.last_fetch = now_iso()
        feed.last_error = result.error
        feed.last_note = result.note
        feed.last_unchanged = result.not_modified
        feed.last_new = len(result.new_files)
        with lock:
            results.append(result)
            if progress is not None:
                progress(len(results), len(chosen), result)
        return result

    from concurrent.futures import ThreadPoolExecutor

    try:
        with ThreadPoolExecutor(max_workers=max(1, policy.concurrency)) as pool:
            ordered = list(pool.map(run, chosen))
    finally:
        fetcher.close()
        feeds.save()
    return ordered
