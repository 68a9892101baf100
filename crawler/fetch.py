"""Reading one page outside a crawl (``newsmon extract``): a saved file or a single URL."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from crawler import settings
from pipelines.decode import decode_html


class FetchError(Exception):
    """The page could not be read; str() is one line for the user."""


def read_page(path: str | Path) -> str:
    try:
        return decode_html(Path(path).read_bytes())
    except OSError as exc:
        raise FetchError(f"{path}: cannot read ({exc.strerror or exc})") from None


def fetch_page(url: str, timeout: float = settings.DOWNLOAD_TIMEOUT,
               max_bytes: int = settings.DOWNLOAD_MAXSIZE) -> tuple[str, str]:
    """(decoded HTML, final URL) of one page, with the crawl's user agent and size cap."""
    request = urllib.request.Request(url, headers={"User-Agent": settings.USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked by caller
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"{url}: page larger than {max_bytes} bytes")
            return decode_html(body, response.headers.get("Content-Type")), response.geturl()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchError(f"{url}: cannot fetch ({getattr(exc, 'reason', exc)})") from None
