"""Downloader middlewares: the safety guard that every request passes first."""

from __future__ import annotations

import ipaddress
import logging
import socket

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

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


def refusal(url_parts, allowed_schemes, allow_private: bool) -> str | None:
    """Why a URL must not be fetched, or None when it may be."""
    if url_parts.scheme not in allowed_schemes:
        return f"scheme {url_parts.scheme!r} is not fetched"
    host = (url_parts.hostname or "").lower()
    if not host:
        return "no host"
    if allow_private:
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

    def __init__(self, stats, allowed_schemes, allow_private: bool):
        self.stats = stats
        self.allowed_schemes = set(allowed_schemes)
        self.allow_private = allow_private
        self.resolved: dict[str, str | None] = {}  # host -> why it is refused, or None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(crawler.stats, s.getlist("NEWSMON_ALLOWED_SCHEMES"),
                   s.getbool("NEWSMON_ALLOW_PRIVATE_ADDRESSES"))

    def process_request(self, request):
        parts = urlparse_cached(request)
        self._refuse(request, refusal(parts, self.allowed_schemes, self.allow_private))
        host = (parts.hostname or "").lower()
        if self.allow_private or _is_address(host):
            return None
        if host in self.resolved:
            return self._refuse(request, self.resolved[host])
        from twisted.internet.threads import deferToThread

        def check(addresses):
            private = [a for a in addresses if not is_public(a)]
            self.resolved[host] = (f"{host} resolves to {private[0]}, a private, loopback or link-local "
                                   "address (a watch may set allow_private_addresses)") if private else None
            return self._refuse(request, self.resolved[host])

        # A name that does not resolve is left to the downloader, which reports it as such.
        return deferToThread(_addresses, host).addCallbacks(check, lambda _failure: None)

    def _refuse(self, request, why: str | None):
        if why:
            self.stats.inc_value("newsmon/skipped/unsafe")
            logger.warning("refused %s: %s", request.url, why)
            raise UnsafeRequest(why)
        return None
