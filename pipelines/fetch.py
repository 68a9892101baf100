"""Reading one page outside a crawl (``newsmon extract``): a saved file or a single URL."""

from __future__ import annotations

import codecs
import urllib.error
import urllib.request
from pathlib import Path

from w3lib.encoding import (html_body_declared_encoding, html_to_unicode, http_content_type_encoding,
                            read_bom, resolve_encoding)

from crawler import settings


class FetchError(Exception):
    """The page could not be read; str() is one line for the user."""


# Charsets that give no evidence against UTF-8: ASCII is a subset, and a latin-1 or
# cp1252 label is what many servers send by default whatever the page really is.
_WESTERN = {"utf-8", "cp1252", "ascii", "latin-1", "iso8859-1", "iso8859-15"}


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode a page, trusting what the bytes prove over what headers claim.

    A byte-order mark wins. Otherwise the declared charsets (HTTP header, then <meta>)
    are tried strictly, with one exception: bytes that are valid UTF-8 and not ASCII are
    UTF-8 whatever a Western label says (text in latin-1 or cp1252 almost never is valid
    UTF-8 by chance). When every declaration fails, UTF-8 then cp1252 are tried; the last
    resort is the declared charset with replacement characters.
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return body[len(bom):].decode(bom_encoding, "replace")
    declared = [e for e in (_charset(http_content_type_encoding(content_type or "")),
                            _charset(html_body_declared_encoding(body))) if e]
    candidates = list(dict.fromkeys(declared))
    if all(e in _WESTERN for e in candidates) and not body.isascii():
        candidates.insert(0, "utf-8")
    for encoding in list(dict.fromkeys(candidates + ["utf-8", "cp1252"])):
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    _encoding, text = html_to_unicode(content_type, body)
    return text


def _charset(name: str | None) -> str | None:
    if not name:
        return None
    encoding = resolve_encoding(name)
    if not encoding:
        return None
    return codecs.lookup(encoding).name


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
