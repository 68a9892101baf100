"""One writer of what a news site lists for crawlers: RSS 2.0 and Atom feeds, sitemaps (plain
and Google News), sitemap indexes and robots.txt, every value XML-escaped.

Every fake web writes its listings here, so they share one dialect of each format; the odd
dialects of the real web (cut-off feeds, sitemaps that are HTML pages, indexes that list
each other) are the fault web's, made from these. RSS dates are RFC 822 (``GMT`` for UTC
times, as Google News writes them); Atom and sitemap dates are ISO 8601; a date given as
text is written as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"

Date = datetime | str


@dataclass(frozen=True)
class Entry:
    """One story as a feed or a news sitemap lists it. ``id`` is the RSS guid or Atom id
    (empty: the URL, a permalink); ``source`` the (publisher, homepage) Google News names."""

    url: str
    title: str = ""
    published: Date | None = None
    updated: Date | None = None
    summary: str = ""
    id: str = ""
    author: str = ""
    category: str = ""
    source: tuple[str, str] | None = None


def rss(title: str, link: str, entries: Iterable[Entry], *, description: str | None = None,
        language: str = "", built: Date | None = None, generator: str = "") -> str:
    """An RSS 2.0 feed; ``description`` defaults to "Latest from <title>"."""
    entries = list(entries)
    items = "".join(_rss_item(e) + "\n" for e in entries)
    namespaces = f' xmlns:dc="{DC_NS}"' if any(e.author for e in entries) else ""
    channel = (f"<title>{escape(title)}</title><link>{escape(link)}</link>"
               f"<description>{escape(f'Latest from {title}' if description is None else description)}</description>"
               + (f"<language>{escape(language)}</language>" if language else "")
               + (f"<lastBuildDate>{_rfc822(built)}</lastBuildDate>" if built is not None else "")
               + (f"<generator>{escape(generator)}</generator>" if generator else ""))
    return f'{_XML_DECLARATION}<rss version="2.0"{namespaces}><channel>{channel}\n{items}</channel></rss>\n'


def _rss_item(e: Entry) -> str:
    guid = (f'<guid isPermaLink="false">{escape(e.id)}</guid>' if e.id
            else f'<guid isPermaLink="true">{escape(e.url)}</guid>')
    return (f"<item><title>{escape(e.title)}</title><link>{escape(e.url)}</link>{guid}"
            + (f"<pubDate>{_rfc822(e.published)}</pubDate>" if e.published is not None else "")
            + (f"<dc:creator>{escape(e.author)}</dc:creator>" if e.author else "")
            + (f"<category>{escape(e.category)}</category>" if e.category else "")
            + f"<description>{escape(e.summary)}</description>"
            + (f"<source url={quoteattr(e.source[1])}>{escape(e.source[0])}</source>" if e.source else "")
            + "</item>")


def atom(title: str, feed_id: str, entries: Iterable[Entry], *, updated: Date, self_url: str = "") -> str:
    """An Atom feed; an entry's ``updated`` defaults to its ``published``."""
    body = "".join(
        f"<entry><title>{escape(e.title)}</title>"
        f'<link rel="alternate" href={quoteattr(e.url)}/>'
        f"<id>{escape(e.id or e.url)}</id>"
        + (f"<published>{_iso(e.published)}</published>" if e.published is not None else "")
        + (f"<updated>{_iso(e.updated if e.updated is not None else e.published)}</updated>"
           if e.updated is not None or e.published is not None else "")
        + f"<summary>{escape(e.summary)}</summary></entry>\n"
        for e in entries)
    link = f'<link rel="self" href={quoteattr(self_url)}/>' if self_url else ""
    return (f'{_XML_DECLARATION}<feed xmlns="{ATOM_NS}"><title>{escape(title)}</title>'
            f"<id>{escape(feed_id)}</id><updated>{_iso(updated)}</updated>{link}\n{body}</feed>\n")


def sitemap(urls: Iterable[str | tuple[str, Date | None]]) -> str:
    """A plain sitemap of URLs, each alone or with its last-modified date."""
    body = "".join(f"<url>{_loc(u)}</url>\n" for u in urls)
    return f'{_XML_DECLARATION}<urlset xmlns="{SITEMAP_NS}">\n{body}</urlset>\n'


def news_sitemap(entries: Iterable[Entry], publication: str, language: str) -> str:
    """A Google News sitemap: each story's URL, publication, date and title."""
    body = "".join(
        f"<url><loc>{escape(e.url)}</loc><news:news><news:publication>"
        f"<news:name>{escape(publication)}</news:name><news:language>{escape(language)}</news:language>"
        f"</news:publication><news:publication_date>{_iso(e.published)}</news:publication_date>"
        f"<news:title>{escape(e.title)}</news:title></news:news></url>\n" for e in entries)
    return f'{_XML_DECLARATION}<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n{body}</urlset>\n'


def sitemap_index(sitemaps: Iterable[str | tuple[str, Date | None]]) -> str:
    """A sitemap index of child sitemaps, each alone or with its last-modified date."""
    body = "".join(f"<sitemap>{_loc(u)}</sitemap>\n" for u in sitemaps)
    return f'{_XML_DECLARATION}<sitemapindex xmlns="{SITEMAP_NS}">\n{body}</sitemapindex>\n'


def robots_txt(disallow: Iterable[str] = (), sitemaps: Iterable[str] = ()) -> str:
    """robots.txt for every user agent: the paths disallowed (none: all allowed), then the sitemaps."""
    rules = "".join(f"Disallow: {p}\n" for p in disallow) or "Allow: /\n"
    listed = "".join(f"Sitemap: {u}\n" for u in sitemaps)
    return "User-agent: *\n" + rules + (f"\n{listed}" if listed else "")


def _loc(url: str | tuple[str, Date | None]) -> str:
    url, modified = (url, None) if isinstance(url, str) else url
    return f"<loc>{escape(url)}</loc>" + (f"<lastmod>{_iso(modified)}</lastmod>" if modified is not None else "")


def _iso(value: Date) -> str:
    return escape(value) if isinstance(value, str) else value.isoformat()


def _rfc822(value: Date) -> str:
    if isinstance(value, str):
        return escape(value)
    return format_datetime(value, usegmt=value.tzinfo is timezone.utc)
