"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds -> article entries."""

from __future__ import annotations

from urllib.parse import urljoin

from crawler.spiders.xmlparse import local_name as _local
from crawler.spiders.xmlparse import xml_root


class FeedError(ValueError):
    """Not a feed we can read; str() says why in one line."""


def _child_text(el, *names) -> str | None:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def parse_feed(body: bytes, base_url: str, problems: list | None = None) -> list[dict]:
    """Entries as dicts: url, title, published (the feed's own date string). A damaged
    feed gives the entries it still holds, its damage appended to ``problems``."""
    root, _kind = xml_root(body, "feed", FeedError, ("rss", "feed", "rdf"), problems)
    entries = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "item":
            url = _child_text(el, "link")
            if not url:
                guid = next((c for c in el if _local(c.tag) == "guid"), None)
                if guid is not None and guid.get("isPermaLink", "true") != "false":
                    url = (guid.text or "").strip() or None
            published = _child_text(el, "pubdate", "date", "published")
        elif name == "entry":
            url = None
            for link in el:
                if _local(link.tag) == "link" and link.get("rel", "alternate") == "alternate" and link.get("href"):
                    url = link.get("href").strip()
                    break
            published = _child_text(el, "published", "updated", "issued")
        else:
            continue
        if not url:
            continue
        entries.append({"url": urljoin(base_url, url), "title": _child_text(el, "title"),
                        "published": published})
    return entries
