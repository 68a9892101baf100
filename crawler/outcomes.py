"""What went wrong with a request, as a stats key and one line a person can read.

Every failed or refused request of a crawl is counted under ``newsmon/errors/<kind>`` (the
server or the network failed) or ``newsmon/skipped/<kind>`` (newsmon chose not to go on),
and logged once, by the spider's errback, in the words below. Scrapy's own lines about
the same events are lowered to DEBUG (``quiet_scrapy_duplicates``), so a fault is one line.
"""

from __future__ import annotations

import logging
import re

from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError, DownloadFailedError,
                               DownloadTimeoutError, IgnoreRequest, ResponseDataLossError)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# Scrapy loggers whose warnings repeat what the errback says about the same request.
_DUPLICATE_LOGGERS = (
    "scrapy.core.downloader.handlers.http11",  # size limit reached, data loss
    "scrapy.core.downloader.handlers.http2",
    "scrapy.downloadermiddlewares.httpcompression",  # decompression bomb
    "scrapy.spidermiddlewares.httperror",  # "Ignoring response <500 ...>"
)
# ... and those whose lines crawler.robots.RobotsMiddleware says in one line, not a traceback.
_REPLACED_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt",)


def quiet_scrapy_duplicates() -> None:
    for name in _DUPLICATE_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    for name in _REPLACED_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def classify(failure, max_size: int, timeout: float) -> tuple[str, str, str]:
    """(``errors`` or ``skipped``, kind, readable reason) of a failed request."""
    value = failure.value
    request = failure.request
    tries = request.meta.get("retry_times", 0) + 1
    after = f" after {tries} tries" if tries > 1 else ""
    if failure.check(HttpError):
        response = value.response
        status = response.status
        reason = f"HTTP {status}{after}"
        if response.headers.get("Retry-After"):
            reason += f" (the server asked to come back after {response.headers['Retry-After'].decode('latin-1')})"
        if 300 <= status < 400:
            return "skipped", "bad-redirect", f"HTTP {status} with no usable Location"
        if status in (404, 410) and request.meta.get("kind") is None:
            # A final answer for an article: remembered, not asked for again.
            return "skipped", "gone", f"HTTP {status}: no such page (remembered; not asked for again)"
        return "errors", f"http-{status}", reason
    if failure.check(IgnoreRequest):
        message = str(value)
        if "max redirections" in message:
            return "skipped", "redirect-limit", "more redirects than allowed (REDIRECT_MAX_TIMES)"
        if "decompress" in message:
            return "skipped", "too-large", f"expands to more than {_mb(max_size)} when decompressed (compression bomb?)"
        return "skipped", "refused", message or "refused"
    if type(value).__name__ == "TruncatedPage":
        return "errors", "truncated", str(value)
    if failure.check(DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError):
        return "errors", "timeout", f"no complete answer within {timeout:g} s{after}"
    if failure.check(ResponseDataLossError):
        return "errors", "truncated", f"the connection closed before the whole page arrived{after}"
    if failure.check(ResponseNeverReceived, DownloadFailedError, net.ConnectionLost, net.ConnectionDone):
        return "errors", "connection-dropped", f"the server closed the connection without a whole answer{after}"
    if failure.check(ResponseFailed):
        if any("DataLoss" in type(r.value).__name__ for r in getattr(value, "reasons", [])):
            return "errors", "truncated", f"the connection closed before the whole page arrived{after}"
        return "errors", "connection-dropped", f"the connection broke mid-answer{after}"
    if failure.check(DownloadConnectionRefusedError, net.ConnectionRefusedError):
        return "errors", "connection-refused", f"connection refused{after}"
    if failure.check(CannotResolveHostError, net.DNSLookupError):
        return "errors", "dns", f"host name not found{after}"
    if type(value).__name__ in ("CancelledError", "DownloadCancelledError"):
        # Scrapy cancels a download for one reason of its own: the size limit (timeouts
        # and stopped downloads have their own exceptions).
        return "skipped", "too-large", f"larger than the {_mb(max_size)} page limit (DOWNLOAD_MAXSIZE)"
    if failure.check(OSError, EOFError) or type(value).__name__ in ("error", "BadGzipFile"):
        # zlib.error and gzip's errors: the body claims a compression it does not have.
        return "errors", "bad-encoding", f"the compressed body is corrupt ({value})"
    name = type(value).__name__
    return "errors", re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower(), f"{name}: {failure.getErrorMessage()}"
