"""XML sitemaps, sitemap indexes and Google News sitemaps -> entries with their news fields.

Scrapy's own Sitemap drops ``news:publication_date`` and ``news:title``; they are
often the best publication date a page has, so they are kept here.
"""

from __future__ import annotations

from crawler.spiders.xmlparse import local_name as _local
from crawler.spiders.xmlparse import xml_root
from pipelines.links import web_url


class SitemapError(ValueError):
    """Not a sitemap we can read; str() says why in one line."""


def parse_sitemap(body: bytes, problems: list | None = None, base_url: str | None = None,
                  unusable: list | None = None) -> tuple[str, list[dict]]:
    """("index", [{"loc", "lastmod"}]) or ("urlset", [{"loc", "lastmod", "news_*"}]), each
    loc an absolute web address (joined to ``base_url``, the sitemap's own, where it is
    relative); a damaged sitemap gives what it holds, its damage appended to ``problems``;
    an entry whose loc is no web address is left out, its loc appended to ``unusable``."""
    root, kind = xml_root(body, "sitemap", SitemapError, ("sitemapindex", "urlset"), problems)
    child = "sitemap" if kind == "sitemapindex" else "url"
    entries = []
    for el in root:
        if _local(el.tag) != child:
            continue
        entry = {}
        for node in el.iter():
            name = _local(node.tag)
            text = (node.text or "").strip()
            if not text:
                continue
            if name in ("loc", "lastmod") and node.getparent() is el:
                entry[name] = text
            elif name in ("publication_date", "title", "keywords") and \
                    _local(node.getparent().tag) == "news":
                entry[f"news_{name}"] = text
            elif name == "language" and _local(node.getparent().tag) == "publication":
                entry["news_language"] = text
        if not entry.get("loc"):
            continue
        address = web_url(entry["loc"], base_url)
        if address is None:
            if unusable is not None:
                unusable.append(entry["loc"])
            continue
        entries.append({**entry, "loc": address})
    return ("index" if kind == "sitemapindex" else "urlset"), entries
