"""Reading source articles: the stories everything else is compared with."""

from __future__ import annotations

import trafilatura

from crawler.watch import Source


class SourceError(ValueError):
    """A source file that cannot be read; str() is one line for the user."""


def read_source(source: Source) -> str:
    """The source's text: plain text as is, saved HTML through trafilatura."""
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{source.path}: cannot read source {source.id!r} ({exc.strerror})") from None
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    if source.path.suffix.lower() in (".html", ".htm") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        extracted = trafilatura.extract(text, include_comments=False, deduplicate=False)
        if not extracted:
            raise SourceError(f"{source.path}: no article text found in source {source.id!r}")
        return extracted
    return text.strip()
