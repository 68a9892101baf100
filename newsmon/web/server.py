"""One small HTTP server base for every fake web newsmon serves itself.

A :class:`FakeWeb` binds one threaded server per *site* on 127.0.0.1 (an outlet has its
own port, so its own robots.txt), on a port asked for if it is free and on any free one
otherwise, and serves each from daemon threads between ``start()`` and ``stop()`` (or a
``with`` block). Every request is recorded in ``requests`` before it is answered, and
nothing is logged. A subclass answers in :meth:`FakeWeb.answer` with a :class:`Response`,
or with ``None`` to close the connection without a word.

A response can misbehave as servers do: its body may come in chunks with a pause before
each (a slow or dripping server), may declare a Content-Length it does not keep (a
connection that breaks mid-body) or none at all (a body that runs until the connection
closes); ``wait`` is a stall that ends as soon as the web stops.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOST = "127.0.0.1"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
OWN_LENGTH = -1  # Response.length: the body's own length
_NO_BODY = (204, 304)


@dataclass
class Request:
    """What a client asked: ``target`` is the path and query as sent (an absolute-form
    target is cut to them), ``site`` the name of the site whose port it reached."""

    site: str
    method: str
    target: str
    headers: Message
    body: bytes = b""

    @property
    def path(self) -> str:
        return self.target.partition("?")[0].partition("#")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2].partition("#")[0]


@dataclass
class Response:
    """``body`` is bytes, text (sent as UTF-8) or an iterable of byte chunks. ``length`` is
    the Content-Length sent: the body's own (``OWN_LENGTH``; none for chunks), ``None``
    for none (the connection closes after the body), or any number, kept or not.
    ``pause`` is the wait before each chunk."""

    status: int = 200
    body: bytes | str | Iterable[bytes] = b""
    content_type: str | None = HTML
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = field(default_factory=dict)
    length: int | None = OWN_LENGTH
    pause: float = 0.0


class FakeWeb:
    """Sites served from 127.0.0.1; subclasses answer requests in :meth:`answer`."""

    server_version = "FakeWeb/1.0"
    keep_alive = False  # True: HTTP/1.1 persistent connections, as real servers keep them
    timeout = 60  # seconds a connection may sit without sending its request

    def __init__(self, sites: Iterable[str] = ("",), host: str = HOST):
        self.host = host
        self.sites = list(sites)
        self.requests: list = []
        self.ports: dict[str, int] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []

    # --- what a subclass gives ------------------------------------------------------------

    def answer(self, request: Request) -> Response | None:
        return Response(404, "<!doctype html><title>Not found</title><h1>Page not found</h1>")

    def record(self, request: Request):
        """The entry ``requests`` keeps for a request."""
        return request.site, request.target

    # --- life cycle ---------------------------------------------------------------------------

    def bind(self, ports: Mapping[str, int] | None = None) -> None:
        """Bind every site not bound yet, on its port in ``ports`` if that one is free, else on
        any free one: from here on every URL is known."""
        for site in self.sites:
            if site in self._servers:
                continue
            wanted = (ports or {}).get(site, 0)
            try:
                server = _Server(self, site, wanted)
            except OSError:
                if not wanted:
                    raise
                server = _Server(self, site, 0)
            self._servers[site] = server
            self.ports[site] = server.server_address[1]

    def start(self):
        if not self._threads:
            self.bind()
            self.stopping.clear()
            for site, server in self._servers.items():
                thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                          daemon=True, name=f"{type(self).__name__}-{site}")
                thread.start()
                self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving and free the ports; stalls and slow bodies end at once."""
        self.stopping.set()
        for server in self._servers.values():
            if self._threads:
                server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join()
        self._threads.clear()
        self._servers.clear()
        self.ports.clear()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def origin(self, site: str = "") -> str:
        """``http://127.0.0.1:<port>`` of a bound site."""
        return f"http://{self.host}:{self.ports[site]}"

    def wait(self, seconds: float) -> bool:
        """Sleep, or less if the web stops meanwhile; True when it is stopping."""
        return self.stopping.wait(seconds)

    # --- plumbing ----------------------------------------------------------------------------

    def _handle(self, handler: "_Handler") -> None:
        if not self.keep_alive:
            handler.close_connection = True
        target = handler.path
        if not target.startswith("/"):  # absolute-form request target
            parts = urlsplit(target)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = b""
        if handler.command == "POST":
            try:
                length = int(handler.headers.get("Content-Length") or 0)
            except ValueError:
                length = 0
            body = handler.rfile.read(min(max(length, 0), 1 << 20))
        request = Request(handler.server.site, handler.command, target, handler.headers, body)
        with self._lock:
            self.requests.append(self.record(request))
        try:
            try:
                response = self.answer(request)
            except Exception as exc:  # a bug here should reach the client and the console
                traceback.print_exc()
                response = Response(500, f"{self.server_version} failed: {exc!r}\n", TEXT)
            if response is None:
                handler.close_connection = True
            else:
                self._send(handler, request, response)
        except OSError:  # the client hung up: nothing worth a word
            handler.close_connection = True

    def _send(self, handler: "_Handler", request: Request, r: Response) -> None:
        body = r.body.encode("utf-8") if isinstance(r.body, str) else r.body
        whole = isinstance(body, (bytes, bytearray, memoryview))
        length = (len(body) if whole else None) if r.length == OWN_LENGTH else r.length
        bodiless = request.method == "HEAD" or r.status in _NO_BODY
        headers = [("Server", self.server_version), ("Date", formatdate(usegmt=True))]
        if r.content_type:
            headers.append(("Content-Type", r.content_type))
        if length is not None and r.status not in _NO_BODY:
            headers.append(("Content-Length", str(length)))
        headers += list(r.headers.items() if isinstance(r.headers, Mapping) else r.headers)
        if length is None and not bodiless:
            handler.close_connection = True  # the body ends where the connection does
        if handler.close_connection:
            headers.append(("Connection", "close"))
        reason = handler.responses.get(r.status, ("",))[0]
        head = "".join([f"{handler.protocol_version} {r.status} {reason}\r\n"]
                       + [f"{k}: {v}\r\n" for k, v in headers] + ["\r\n"]).encode("latin-1")
        if bodiless:
            handler.wfile.write(head)
            return
        if whole and not r.pause:
            handler.wfile.write(head + bytes(body))  # one write: no delayed-ACK stall
            sent = len(body)
        else:
            handler.wfile.write(head)
            sent = 0
            for chunk in [body] if whole else body:
                if (r.pause and self.wait(r.pause)) or self.stopping.is_set():
                    handler.close_connection = True
                    return
                handler.wfile.write(chunk)
                sent += len(chunk)
        if length is not None and sent != length:
            handler.close_connection = True  # a body shorter or longer than it said


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.web._handle(self)

    do_HEAD = do_POST = do_GET  # noqa: N815

    def log_message(self, *args):  # quiet: the crawl reports what matters
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # benchmarks open many connections at once

    def __init__(self, web: FakeWeb, site: str, port: int):
        self.web, self.site = web, site
        handler = type("Handler", (_Handler,), {"server_version": web.server_version, "timeout": web.timeout})
        super().__init__((web.host, port), handler)

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], OSError):
            return  # a client that hung up: no traceback
        super().handle_error(request, client_address)


class PageWeb(FakeWeb):
    """A one-site web of pages set by the caller: ``routes[path] = (status, headers, body)``,
    or a function of the :class:`Request` that returns one. Other paths answer 404."""

    server_version = "PageWeb/1.0"

    def __init__(self):
        super().__init__()
        self.routes: dict = {}

    @property
    def url(self) -> str:
        return self.origin()

    @property
    def server_address(self) -> tuple[str, int]:
        return self.host, self.ports[""]

    def answer(self, request: Request) -> Response:
        route = self.routes.get(request.path)
        if route is None:
            return Response(404, b"", None)
        status, headers, body = route(request) if callable(route) else route
        return Response(status, body, None, headers)
