"""Reading and profiling source articles: the stories everything else is compared with."""

from __future__ import annotations

import re

from pipelines import samestory
from pipelines.decode import decode_html
from pipelines.profile import profile

BINARY_SHARE = 0.01  # control characters in decoded text beyond this share: not a text file


class SourceError(ValueError):
    """A source that cannot be read; str() is one line for the user."""


def read_source(source) -> dict:
    """The source's text, with the title and date a saved page declares. ``source``: a
    watch's source (``crawler.watch.Source``: id, path, url, title, published).

    Plain text is read as is, saved HTML through the clean stage (so a saved page gives
    its headline and publication date, as ``newsmon extract`` shows them). Bytes are
    decoded as pages are (BOM, declared charset, UTF-8, then cp1252), so a file saved in
    a legacy encoding keeps its pound signs and quotes. Empty and binary files are refused.
    """
    where = source.path
    if where.is_dir():
        raise SourceError(f"{where}: is a folder; give a saved article (HTML or text) or a URL")
    try:
        raw = where.read_bytes()
    except OSError as exc:
        raise SourceError(f"{where}: cannot read source {source.id!r} ({exc.strerror})") from None
    if not raw.strip():
        raise SourceError(f"{where}: empty file; a source needs the article's text")
    text = decode_html(raw).lstrip("\ufeff")
    if "\x00" in text or _control_share(text) > BINARY_SHARE:
        raise SourceError(f"{where}: not a text or HTML file (binary data); save the article as HTML or text")
    if where.suffix.lower() in (".html", ".htm", ".xhtml") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        article = _from_html(text, str(where), source.id)
        return {"text": article["text"], "title": article["title"], "published": article["published"],
                "opinion": article["opinion"], "canonical_url": article.get("canonical_url")}
    return {"text": text.strip(), "title": None, "published": None}


def _control_share(text: str) -> float:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f" or 0x7f <= ord(ch) < 0xa0)
    return controls / max(len(sample), 1)


def _from_html(html: str, where: str, source_id: str, url: str | None = None) -> dict:
    from pipelines.clean import NotAnArticle, clean_page

    try:
        article = clean_page(html, url or "", min_words=30)
    except NotAnArticle as exc:
        raise SourceError(f"{where}: no article text found in source {source_id!r} ({exc})") from None
    return article


def source_row(source, html: str | None = None) -> dict:
    """The ``sources`` row of a watch source: text, title, date and profile.

    ``html`` is the source page when it was fetched from its URL rather than read from a file.
    What the watch (or the command line) says wins over what the page declares.
    """
    if html is not None:
        article = _from_html(html, source.url or source.id, source.id, source.url)
    else:
        article = read_source(source)
    text = article["text"]
    title = source.title or article["title"]
    published = source.published or article["published"]
    if not title:
        # A plain-text source starts with its headline, as saved articles usually do.
        first = text.strip().splitlines()[0] if text.strip() else ""
        title = first if len(first.split()) <= 25 else None
    body = text
    if title and text.startswith(title):
        body = text[len(title):].lstrip()
    opinion = article.get("opinion") or samestory.is_opinion(None, source.url)
    # Its site: where it was published (the watch's url, else the address a saved page
    # declares), else the outlet the watch or the command line names.
    site = samestory.site(source.url or article.get("canonical_url"), source.outlet)
    return {"id": source.id, "title": title, "url": source.url,
            "published": published, "path": str(source.path) if source.path else None,
            "text": text, "profile": profile(body, title or "", published, site=site, opinion=opinion)}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "source").lower()).strip("-")[:60] or "source"
