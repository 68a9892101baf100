"""Dedup stage: one story however many URLs.

Tier 1 is the URL: the page's canonical link (when it points at the same site),
the normalised form of every URL it was fetched under (tracking parameters, AMP
and mobile variants, trailing slashes removed). Tier 2 is an exact hash of the
normalised words. ``decide`` turns those keys and what the archive already holds
into one decision; the archive applies it inside its write transaction, so pages
of one batch see each other. Near-duplicates and syndication groups are a later tier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipelines.text import text_hash

# Query parameters that track the reader, not the content.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid|ocid|cmpid|cmp|icid|"
    r"ito|ns_\w+|at_\w+|ref|ref_src|referrer|share|smid|sr_share|rss|"
    r"amp|outputtype|print)$",
    re.I,
)
_MOBILE_HOST = re.compile(r"^(m|mobile|amp)\.")
_AMP_PATH = re.compile(r"(?:/amp(?=/|$)|\.amp(?=$|\.html?$))", re.I)
_INDEX_FILE = re.compile(r"/index\.(?:html?|php)$", re.I)


def normalise_url(url: str) -> str:
    """The form of a URL that all its trivial variants share."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    host = _MOBILE_HOST.sub("", host)
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    path = _INDEX_FILE.sub("/", path)
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not TRACKING_PARAMS.match(k))
    # http and https variants of one page are one page.
    return urlunsplit(("https" if scheme in ("http", "https") else scheme, netloc, path,
                       urlencode(query), ""))


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one site (so a canonical link between them can be trusted)."""
    return urlsplit(normalise_url(a)).netloc == urlsplit(normalise_url(b)).netloc


def is_authoritative(requested_url: str, url: str, canonical_url: str | None) -> bool:
    """Whether this fetch speaks for the story's text: it names no canonical URL on its
    own site, or it was fetched at exactly that URL."""
    if not canonical_url or not same_site(canonical_url, url):
        return True
    return canonical_url in (url, requested_url)


def page_keys(requested_url: str, url: str, canonical_url: str | None, text: str):
    """(urls, keys, text_hash) for a fetched page.

    ``urls`` are the page's URLs as seen (canonical link first), ``keys`` their
    normalised forms. A canonical link to another site is not an identity:
    syndicated copies often point at the original, and they are stored as their
    own stories.
    """
    urls = []
    for candidate in (canonical_url if canonical_url and same_site(canonical_url, url) else None,
                      url, requested_url):
        if candidate and candidate not in urls:
            urls.append(candidate)
    keys = list(dict.fromkeys(normalise_url(u) for u in urls))
    return urls, keys, text_hash(text)


@dataclass(frozen=True)
class Decision:
    action: str  # new | unchanged | new_url | revision | better_text | same_text
    story_id: int | None = None


def decide(urls: list[str], fetched_urls: list[str], authoritative: bool, keys: list[str],
           text_hash_: str, outlet: str,
           story_for_keys: Callable[[list[str]], dict | None],
           story_for_hash: Callable[[str, str], dict | None]) -> Decision:
    """Where a page belongs, given lookups into the archive.

    ``story_for_keys`` returns the story (id, text_hash, urls: {url: text hash
    it last served}) holding any of the normalised keys; ``story_for_hash`` the
    story of the same outlet with the same text hash.

    A revision is an ``authoritative`` fetch (at the page's own canonical URL, or
    of a page that names none) whose URL served other text before and now serves
    text the story does not have yet. A variant (AMP, print, tracking URL) whose
    text differs a little from the main page is the same story, not an edit.
    """
    story = story_for_keys(keys)
    if story is not None:
        changed = any(story["urls"].get(u) not in (None, text_hash_) for u in fetched_urls)
        if authoritative and changed and story["text_hash"] != text_hash_:
            return Decision("revision", story["id"])
        if authoritative and not story["text_authoritative"] and story["text_hash"] != text_hash_:
            # The story was first seen through a variant (AMP, tracking URL): the page
            # itself now gives its proper text. Same version, better copy: not an edit.
            return Decision("better_text", story["id"])
        if set(urls) - set(story["urls"]):
            return Decision("new_url", story["id"])
        return Decision("unchanged", story["id"])
    story = story_for_hash(text_hash_, outlet)
    if story is not None:
        # Same words, same outlet, another URL: one story reachable two ways.
        return Decision("same_text", story["id"])
    return Decision("new")


class DedupPipeline:
    """Sets each page's identity keys; the store applies ``decide`` in its transaction."""

    def process_item(self, item):
        item.urls, item.keys, item.text_hash = page_keys(
            item.requested_url, item.url, item.article.get("canonical_url"), item.article["text"])
        return item
