"""Downloader middlewares: the safety guard every request passes first, Retry-After, the
redirect guard, and the stop at the headers for downloads that are not pages."""

from __future__ import annotations

import ipaddress
import logging
import socket
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.utils.httpobj import urlparse_cached
from w3lib.url import safe_url_string

from crawler.resolver import is_public

logger = logging.getLogger(__name__)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


class UnsafeRequest(IgnoreRequest):
    """A request newsmon refuses to send; str() says why."""


def allowed_private(host: str, port: int | None, private_hosts) -> bool:
    """Whether the watch lets this host (or host:port) be fetched though it is private."""
    return host in private_hosts or (port is not None and f"{host}:{port}" in private_hosts)


def refusal(url_parts, allowed_schemes, allow_private: bool, private_hosts=()) -> str | None:
    """Why a URL must not be fetched, or None when it may be."""
    if url_parts.scheme not in allowed_schemes:
        return f"scheme {url_parts.scheme!r} is not fetched"
    host = (url_parts.hostname or "").lower()
    if not host:
        return "no host"
    try:
        port = url_parts.port
    except ValueError:
        return "invalid port"
    if allow_private or allowed_private(host, port, private_hosts):
        return None
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return f"{host} is a local name"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: resolved addresses are checked by the resolver (later stage)
    if not address.is_global:
        return f"{host} is a private, loopback or link-local address"
    return None


def _addresses(host: str) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


class SafetyGuardMiddleware:
    """Refuses non-http(s) schemes and private addresses, also after redirects.

    Redirects come back through process_request as new requests, so one check covers both.
    A name is resolved (once per host, off the reactor) and refused when any of its
    addresses is private, with a clear reason; ``crawler.resolver`` checks again at
    connection time, so a name that changes its answer (DNS rebinding) gets no further.
    """

    def __init__(self, stats, allowed_schemes, allow_private: bool, private_hosts=()):
        self.stats = stats
        self.allowed_schemes = set(allowed_schemes)
        self.allow_private = allow_private
        self.private_hosts = {h.lower() for h in private_hosts}
        self.robots_max = 0
        self.resolved: dict[str, str | None] = {}  # host -> why it is refused, or None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        guard = cls(crawler.stats, s.getlist("NEWSMON_ALLOWED_SCHEMES"),
                    s.getbool("NEWSMON_ALLOW_PRIVATE_ADDRESSES"), s.getlist("NEWSMON_PRIVATE_HOSTS"))
        guard.robots_max = s.getint("NEWSMON_ROBOTSTXT_MAX_BYTES")
        return guard

    async def process_request(self, request):
        host = self.screen(request)
        if host is None:
            return None
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.threads import deferToThread

        try:
            addresses = await maybe_deferred_to_future(deferToThread(_addresses, host))
        except OSError:
            return None  # a name that does not resolve is left to the downloader, which reports it as such
        private = [a for a in addresses if not is_public(a)]
        self.resolved[host] = (f"{host} resolves to {private[0]}, a private, loopback or link-local "
                               "address (a watch may set allow_private_addresses)") if private else None
        return self._refuse(request, self.resolved[host])

    def screen(self, request) -> str | None:
        """Refuses what can be refused at once (raises UnsafeRequest); the host name still
        to resolve, or None when the request may go."""
        parts = urlparse_cached(request)
        if self.robots_max and _is_robots(request):
            # Its size is capped as it arrives (DownloadLimits), not refused by the page limit.
            request.meta.setdefault("download_maxsize", 0)
        self._refuse(request, refusal(parts, self.allowed_schemes, self.allow_private, self.private_hosts))
        host = (parts.hostname or "").lower()
        if self.allow_private or _is_address(host) or allowed_private(host, parts.port, self.private_hosts):
            return None
        if host in self.resolved:
            return self._refuse(request, self.resolved[host])
        return host

    def _refuse(self, request, why: str | None):
        if why:
            self.stats.inc_value("newsmon/skipped/unsafe")
            chain = request.meta.get("redirect_urls")
            if chain:  # name the URL the crawl asked for, not only where it was sent
                logger.warning("refused %s: redirects to %s, and %s", chain[0], request.url, why)
            else:
                logger.warning("refused %s: %s", request.url, why)
            raise UnsafeRequest(why)
        return None


def retry_after_seconds(value: bytes | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry middleware, but a 429 or 503 that says when to come back is retried
    then, not at once; a wait longer than NEWSMON_RETRY_AFTER_MAX gives up for this crawl."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("NEWSMON_RETRY_AFTER_MAX")

    async def process_response(self, request, response):
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None or response.status not in (429, 503) or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        if wait > self.max_wait:
            return response  # handed on as an HTTP error, logged with the wait asked for
        retry = self._retry(request, f"{response.status} Retry-After {wait:g}s")
        if retry is None:
            return response
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return retry


class RedirectGuardMiddleware:
    """Looks at redirects before Scrapy follows them: a redirect back into its own chain is
    a loop (Scrapy's duplicate filter would drop it without a word), and a redirect to a
    scheme newsmon does not fetch (file:, ftp:, javascript:) or to no address at all is
    refused, each in one line."""

    def __init__(self, stats, allowed_schemes):
        self.stats = stats
        self.allowed_schemes = set(allowed_schemes)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.getlist("NEWSMON_ALLOWED_SCHEMES"))

    def process_response(self, request, response):
        location = response.headers.get("Location")
        if not (300 <= response.status < 400) or not location or request.meta.get("dont_redirect"):
            return response
        try:
            target = urljoin(request.url, safe_url_string(location.decode("latin-1"))).split("#")[0]
            parts = urlsplit(target)
            parts.port  # noqa: B018 (raises for a port out of range or not a number)
        except ValueError:  # "http://[x/": an unclosed bracket, a port that is no port
            self.stats.inc_value("newsmon/skipped/bad-url")
            logger.warning("refused %s: redirects to %r, which is not a web address", request.url,
                           location.decode("latin-1")[:200])
            raise UnsafeRequest("redirect to no web address") from None
        scheme = parts.scheme.lower()
        if scheme not in self.allowed_schemes:
            self.stats.inc_value("newsmon/skipped/unsafe")
            logger.warning("refused %s: redirects to a %s: URL, which is not fetched", request.url, scheme)
            raise UnsafeRequest(f"redirect to {scheme}:")
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            self.stats.inc_value("newsmon/skipped/redirect-loop")
            logger.warning("skipped %s: redirect loop (back to %s after %d redirect%s)", chain[0], target,
                           len(chain), "s" if len(chain) > 1 else "")
            raise UnsafeRequest("redirect loop")
        return response


class DownloadLimits:
    """Limits applied while bytes arrive:

    - an article whose Content-Type is plainly not a page (a PDF, an image, a video...)
      stops at its headers; the spider then drops it as not HTML, its body never fetched
      (feeds and sitemaps, meta "kind", are left alone);
    - a robots.txt stops at NEWSMON_ROBOTSTXT_MAX_BYTES, and what came is read.
    """

    def __init__(self, types, robots_max: int):
        self.types = tuple(t.lower() for t in types)
        self.robots_max = robots_max

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler.settings.getlist("NEWSMON_NOT_PAGE_TYPES"),
                  crawler.settings.getint("NEWSMON_ROBOTSTXT_MAX_BYTES"))
        crawler.signals.connect(ext.headers_received, signal=signals.headers_received)
        crawler.signals.connect(ext.bytes_received, signal=signals.bytes_received)
        return ext

    def headers_received(self, headers, body_length, request, spider):
        content_type = (headers.get("Content-Type") or b"").decode("latin-1").lower()
        if not request.meta.get("kind") and not _is_robots(request) and content_type.startswith(self.types):
            raise StopDownload(fail=False)

    def bytes_received(self, data, request, spider):
        if self.robots_max and _is_robots(request):
            received = request.meta.get("_newsmon_received", 0) + len(data)
            request.meta["_newsmon_received"] = received
            if received > self.robots_max:
                raise StopDownload(fail=False)


def _is_robots(request) -> bool:
    return request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == "/robots.txt"


class TruncatedPage(Exception):
    """A compressed page whose stream ends early: archiving it would keep a cut story."""


class CompressionCheckMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, which salvages what it can of a cut gzip stream, plus a check
    that the stream was whole: a gzip stream ends with its decompressed length (mod 2**32),
    so a page that decompresses to another length was cut short in transit."""

    def process_response(self, request, response):
        encodings = [e.strip().lower() for e in response.headers.getlist("Content-Encoding")]
        expected = None
        if encodings in ([b"gzip"], [b"x-gzip"]) and len(response.body) >= 18 and request.method != "HEAD":
            expected = int.from_bytes(response.body[-4:], "little")
        decoded = super().process_response(request, response)
        if expected is not None and isinstance(decoded, Response) and len(decoded.body) % 2 ** 32 != expected:
            raise TruncatedPage(f"the compressed page was cut short ({len(response.body)} bytes received)")
        return decoded
