"""What a page becomes, as typed records built once and passed as plain data.

- the article: ``pipelines.clean.clean_page``'s dict (text, title, authors, date and where
  each came from, language, outlet name, canonical URL);
- the page result: ``pipelines.page.process_page``'s answer, a drop reason or a record;
- the store record (``StoreRecord``): everything the archive's writer needs of one page,
  built in the worker (or by ingest, from the same function), written by the one sink
  (``crawler.sink``), locally or through Redis as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import numpy as np

from pipelines.dedup import is_authoritative


@dataclass
class StoreRecord:
    outlet: str  # watched outlet id, or the site for pages outside the watch
    outlet_name: str
    article: dict
    urls: list[str]  # the page's URLs as seen, canonical first
    keys: list[str]  # their normalised forms
    fetched_urls: list[str]  # the URLs actually fetched: only they vouch for the text
    authoritative: bool  # fetched at its own canonical URL (or it names none)
    text_hash: str
    fetched_at: str
    discovered_via: str
    relevance: dict | None = None
    comparisons: list = field(default_factory=list)
    signature: list[int] = field(default_factory=list)  # MinHash, as plain ints
    shingles: int = 0
    lede_bands: list[int] | None = None  # LSH keys of the opening (None: the writer makes them)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "StoreRecord":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def as_page(self) -> dict:
        """The form ``Archive.add_pages`` takes (the signature as a numpy array)."""
        page = asdict(self)
        page["signature"] = np.array(self.signature, dtype=np.uint64) if self.signature else None
        return page


def store_record(fields_: dict, outlet: str, outlet_name: str, requested_url: str, url: str,
                 fetched_at: str, discovered_via: str) -> StoreRecord:
    """The store record of a processed page (``process_article``'s fields) and how it was had."""
    return StoreRecord(
        outlet=outlet, outlet_name=outlet_name or outlet, article=fields_["article"],
        urls=fields_["urls"], keys=fields_["keys"],
        fetched_urls=list(dict.fromkeys([url, requested_url])),
        authoritative=is_authoritative(requested_url, url, fields_["article"].get("canonical_url")),
        text_hash=fields_["text_hash"], fetched_at=fetched_at, discovered_via=discovered_via,
        relevance=fields_["relevance"], comparisons=fields_["comparisons"],
        signature=[int(v) for v in fields_["signature"]], shingles=int(fields_["shingles"]),
        lede_bands=fields_.get("lede_bands"))
