"""A loopback HTTP server for the feed tests: routes on 127.0.0.1 only, started by each test.

`FeedServer.route(path, body, status=200, headers=None)` serves a fixed answer; special routes
(`slow`, `redirect_loop`, `huge`, `etag`, `flaky`) misbehave on purpose. Every request is logged
in `requests` as (path, headers) so tests can check conditional GETs and concurrency.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

DATA = Path(__file__).resolve().parent / "data"


class FeedServer:
    """Start with `with FeedServer() as server:`; `server.url(path)` is its address."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.active: dict[str, int] = {}
        self.max_active: dict[str, int] = {}
        self._lock = threading.Lock()
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with server._lock:
                    server.requests.append((self.path, dict(self.headers)))
                    server.active[self.path] = server.active.get(self.path, 0) + 1
                    total = sum(server.active.values())
                    server.max_active["all"] = max(server.max_active.get("all", 0), total)
                try:
                    handler = server.routes.get(self.path)
                    if handler is None:
                        self.send_error(404, "Not Found")
                    else:
                        handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server._lock:
                        server.active[self.path] -= 1

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FeedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    # -- routes ------------------------------------------------------------------------------
    def route(self, path: str, body: bytes | str, *, status: int = 200, headers: dict[str, str] | None = None,
              delay: float = 0.0) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        answer_headers = {"Content-Type": "application/rss+xml; charset=utf-8", **(headers or {})}

        def handle(request: BaseHTTPRequestHandler) -> None:
            if delay:
                time.sleep(delay)
            etag = answer_headers.get("ETag")
            if etag and request.headers.get("If-None-Match") == etag:
                request.send_response(304)
                request.send_header("ETag", etag)
                request.end_headers()
                return
            request.send_response(status)
            for key, value in answer_headers.items():
                request.send_header(key, value)
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)

        self.routes[path] = handle

    def slow(self, path: str, seconds: float) -> None:
        def handle(request: BaseHTTPRequestHandler) -> None:
            self.stop.wait(seconds)

        self.routes[path] = handle

    def redirect_loop(self, path: str) -> None:
        def handle(request: BaseHTTPRequestHandler) -> None:
            request.send_response(302)
            request.send_header("Location", path)
            request.send_header("Content-Length", "0")
            request.end_headers()

        self.routes[path] = handle

    def huge(self, path: str, *, declare: bool) -> None:
        """A 100 MB body: declared up front, or streamed without a length until the client hangs up."""
        size = 100 * 1024 * 1024

        def handle(request: BaseHTTPRequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Type", "application/rss+xml")
            if declare:
                request.send_header("Content-Length", str(size))
            else:
                request.send_header("Connection", "close")
            request.end_headers()
            chunk = b"<rss>" + b" " * (1 << 20)
            for _ in range(100):
                if self.stop.is_set():
                    return
                request.wfile.write(chunk)

        self.routes[path] = handle

    def flaky(self, path: str, failures: list[int], body: str) -> None:
        """Answers each status in `failures` once (429, 503...), then `body`."""
        pending = list(failures)

        def handle(request: BaseHTTPRequestHandler) -> None:
            if pending:
                request.send_response(pending.pop(0))
                request.send_header("Retry-After", "0")
                request.send_header("Content-Length", "0")
                request.end_headers()
                return
            data = body.encode("utf-8")
            request.send_response(200)
            request.send_header("Content-Type", "application/rss+xml")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)

        self.routes[path] = handle


def rss(server: FeedServer, items: list[tuple[str, str, str]], title: str = "Loopback News") -> str:
    """An RSS 2.0 feed of (title, path, description) items whose links point at `server`."""
    entries = "".join(
        f"<item><title>{item_title}</title><link>{server.url(path)}</link>"
        f"<description>{description}</description><pubDate>Sun, 06 Sep 2009 16:20:00 +0000</pubDate></item>"
        for item_title, path, description in items
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'


def fixture(name: str, server: FeedServer) -> str:
    """A feed from tests/data/feeds with its example.com/example.org links pointed at `server`."""
    text = (DATA / "feeds" / name).read_text(encoding="utf-8")
    return text.replace("http://www.example.com", server.url("")).replace("http://example.org", server.url(""))
