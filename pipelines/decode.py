"""Bytes of a page to text, trusting what the bytes prove over what headers claim.

Used for every page however it came (a crawl, a saved file, a WARC record, a source):
trafilatura must be handed text decoded once, right, not bytes to guess at again.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import (html_body_declared_encoding, html_to_unicode, http_content_type_encoding,
                            read_bom, resolve_encoding)

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
