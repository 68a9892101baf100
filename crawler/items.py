"""The item that flows from the spiders through the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    """A fetched page, filled in stage by stage.

    The spider sets the fetch fields; ``clean`` sets ``article`` (a dict of
    text and metadata, see ``pipelines.clean.clean_page``); ``dedup`` sets the
    identity keys that ``store`` uses to find the story the page belongs to.
    """

    url: str  # final URL after redirects
    requested_url: str
    html: str = field(repr=False)  # decoded text: trafilatura must not guess the encoding again
    status: int
    fetched_at: str  # ISO 8601 UTC; never used as the publication date
    outlet: str  # watched outlet id, or the host for pages outside the watch
    outlet_name: str
    discovered_via: str  # feed | sitemap | source-link | link | search:<engine> | wayback
    # What the feed or sitemap said about the page (title, published, news fields).
    hints: dict = field(default_factory=dict)
    # Links deep still to follow from this page if it proves to be the same story.
    follow_left: int = 0
    # Distributed mode: the token of the shared queue's request this page answers.
    inflight: str | None = None

    article: dict | None = field(default=None, repr=False)
    # relevance: label, scores and the page's profile; compare: one row per source
    relevance: dict | None = field(default=None, repr=False)
    comparisons: list = field(default_factory=list, repr=False)
    # dedup keys
    urls: list[str] = field(default_factory=list)  # the page's URLs as seen, canonical first
    keys: list[str] = field(default_factory=list)  # their normalised forms
    text_hash: str | None = None
    signature: object = field(default=None, repr=False)  # MinHash (numpy array)
    shingles: int = 0
    lede_bands: list | None = field(default=None, repr=False)  # LSH keys of the opening
