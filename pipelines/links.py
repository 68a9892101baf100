"""Links worth following: those an article's content cites, ranked by how much their anchor
text and URL read like the source's story.

No Scrapy here: worker processes pick links from same-story articles as they clean them,
and the crawl ranks them (``crawler.spiders.discovery``).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from pipelines.markup import url_parts
from pipelines.text import lemma, words

_URL_WORD = re.compile(r"[a-z]{3,}")


def web_url(href: str, base: str | None = None) -> str | None:
    """The absolute http(s) address a link gives (joined to ``base``, its fragment dropped),
    or None where it gives none (``markup.url_parts``). Never raises: feeds, sitemaps and
    pages are written by anyone, and one such link must not cost the rest of its listing."""
    try:
        url = urljoin(base, href.strip()) if base else href.strip()
    except (ValueError, TypeError, AttributeError):
        return None
    return url.split("#")[0] if url_parts(url) else None


def url_words(url: str) -> set[str]:
    """Lemmas of the words in a URL's path (slugs carry the headline's words)."""
    path = urlsplit(url).path.lower()
    return {lemma(w) for w in _URL_WORD.findall(path)}

_SKIP_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".css", ".js", ".pdf",
                    ".zip", ".mp3", ".mp4", ".xml", ".rss", ".ico", ".woff", ".woff2")


def source_links(html: str, base_url: str, min_anchor_words: int = 4) -> list[tuple[str, str]]:
    """(url, anchor text) of the links a page's content cites.

    Links inside its paragraphs count; elsewhere in the content (related lists)
    only links whose anchor reads like a headline, so share buttons, section
    menus and "Donate" are left alone.
    """
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, Exception):  # lxml raises ParserError for documents with no content
        return []
    for junk in tree.xpath("//nav|//header|//footer|//aside[@role='navigation']|//script|//style"):
        junk.drop_tree()
    roots = tree.xpath("//article|//main") or [tree]
    out, seen = [], set()
    for root in roots:
        for a in root.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
                continue
            anchor = " ".join(a.text_content().split())
            in_paragraph = any(p.tag == "p" for p in a.iterancestors())
            if not in_paragraph and len(anchor.split()) < min_anchor_words:
                continue
            url = web_url(href, base_url)
            if url is None or urlsplit(url).path.lower().endswith(_SKIP_EXTENSIONS):
                continue
            if url not in seen and url != base_url:
                seen.add(url)
                out.append((url, anchor))
    return out


class LinkJudge:
    """How much a link (its URL's words, and its anchor text) reads like the watch's story:
    one point per key term of the sources it holds, two per topic phrase it holds whole
    ("illegal working", "immigration raid": two words together say more than either)."""

    def __init__(self, terms: set[str], topic_terms=()):
        self.terms = set(terms)
        self.phrases = [frozenset(lemma(w) for w in words(t)) for t, weight in topic_terms
                        if weight >= 1 and len(words(t)) >= 1]

    def score(self, url: str, anchor: str = "") -> int:
        found = url_words(url) | {lemma(w) for w in words(anchor)}
        return len(found & self.terms) + 2 * sum(1 for p in self.phrases if p and p <= found)


def rank_links(links: list[tuple[str, str]], judge: LinkJudge, min_score: int, limit: int) -> list[tuple[str, int]]:
    """(url, score) of the links scoring at least ``min_score``, best first, at most ``limit``."""
    scored = [(url, judge.score(url, anchor)) for url, anchor in links]
    scored = [pair for pair in scored if pair[1] >= min_score]
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]
