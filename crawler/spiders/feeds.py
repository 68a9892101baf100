"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds -> article entries."""

from __future__ import annotations

from crawler.spiders.xmlparse import local_name as _local
from crawler.spiders.xmlparse import xml_root
from pipelines.links import web_url


class FeedError(ValueError):
    """Not a feed we can read; str() says why in one line."""


def _child_text(el, *names) -> str | None:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _base(el, base_url: str) -> str:
    """The address an entry's relative links are read against: the feed's own, then each
    xml:base from the root down to the entry (Atom's way of giving it)."""
    for node in [*reversed(list(el.iterancestors())), el]:
        given = node.get(_XML_BASE)
        if given:
            base_url = web_url(given, base_url) or base_url
    return base_url


def parse_feed(body: bytes, base_url: str, problems: list | None = None,
               unusable: list | None = None) -> list[dict]:
    """Entries as dicts: url, title, published (the feed's own date string). A damaged
    feed gives the entries it still holds, its damage appended to ``problems``; an entry
    whose link is no web address ("http://[x/", "javascript:...") is left out, its link
    appended to ``unusable``."""
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
                # (an href, or the address written as the link's text, as RSS writes it)
                href = (link.get("href") or link.text or "").strip() if _local(link.tag) == "link" else ""
                if href and link.get("rel", "alternate") == "alternate":
                    url = href
                    break
            if not url:  # no page link: its id, where that is a web address (as RSS's guid is)
                given = _child_text(el, "id")
                url = given if given and web_url(given) else None
            published = _child_text(el, "published", "updated", "issued")
        else:
            continue
        if not url:
            continue
        address = web_url(url, _base(el, base_url))
        if address is None:
            if unusable is not None:
                unusable.append(url)
            continue
        entries.append({"url": address, "title": _child_text(el, "title"), "published": published})
    return entries
