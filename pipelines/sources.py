"""Reading and profiling source articles: the stories everything else is compared with."""

from __future__ import annotations

import re

from crawler.watch import Source
from pipelines.profile import profile


class SourceError(ValueError):
    """A source that cannot be read; str() is one line for the user."""


def read_source(source: Source) -> str:
    """The source's text: plain text as is, saved HTML through trafilatura."""
    try:
        raw = source.path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{source.path}: cannot read source {source.id!r} ({exc.strerror})") from None
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    if source.path.suffix.lower() in (".html", ".htm") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return _from_html(text, str(source.path), source.id)["text"]
    return text.strip()


def _from_html(html: str, where: str, source_id: str, url: str | None = None) -> dict:
    from pipelines.clean import NotAnArticle, clean_page

    try:
        article = clean_page(html, url or "", min_words=30)
    except NotAnArticle as exc:
        raise SourceError(f"{where}: no article text found in source {source_id!r} ({exc})") from None
    return article


def source_row(source: Source, html: str | None = None) -> dict:
    """The ``sources`` row of a watch source: text, title, date and profile.

    ``html`` is the source page when it was fetched from its URL rather than read from a file.
    """
    title, published = source.title, source.published
    if html is not None:
        article = _from_html(html, source.url or source.id, source.id, source.url)
        text = article["text"]
        title = title or article["title"]
        published = published or article["published"]
    else:
        text = read_source(source)
    if not title:
        # A plain-text source starts with its headline, as saved articles usually do.
        first = text.strip().splitlines()[0] if text.strip() else ""
        title = first if len(first.split()) <= 25 else None
    body = text
    if title and text.startswith(title):
        body = text[len(title):].lstrip()
    return {"id": source.id, "title": title, "url": source.url,
            "published": published, "path": str(source.path) if source.path else None,
            "text": text, "profile": profile(body, title or "", published)}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "source").lower()).strip("-")[:60] or "source"
