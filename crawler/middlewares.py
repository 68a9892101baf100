"""Downloader middlewares: the safety guard that every request passes first."""

from __future__ import annotations

import ipaddress
import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)


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


class SafetyGuardMiddleware:
    """Refuses non-http(s) schemes and private addresses, also after redirects.

    Redirects come back through process_request as new requests, so one check covers both.
    """

    def __init__(self, stats, allowed_schemes, allow_private: bool):
        self.stats = stats
        self.allowed_schemes = set(allowed_schemes)
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(crawler.stats, s.getlist("NEWSMON_ALLOWED_SCHEMES"),
                   s.getbool("NEWSMON_ALLOW_PRIVATE_ADDRESSES"))

    def process_request(self, request):
        why = refusal(urlparse_cached(request), self.allowed_schemes, self.allow_private)
        if why:
            self.stats.inc_value("newsmon/skipped/unsafe")
            logger.warning("refused %s: %s", request.url, why)
            raise UnsafeRequest(why)
        return None
