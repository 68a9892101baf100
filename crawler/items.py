"""The item that flows from the spiders through the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    """A fetched page: the spider sets the fetch fields; the worker (every page-only stage,
    ``pipelines.page.process_page``) answers with the record the store writes."""

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

    # What the store writes (pipelines.records.StoreRecord): article, relevance, comparisons,
    # identity keys, MinHash; built once, in the worker.
    record: object = field(default=None, repr=False)
