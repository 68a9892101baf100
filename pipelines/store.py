"""Store stage: writes cleaned, keyed pages to the archive in batches."""

from __future__ import annotations

import logging
import sqlite3
import time

from scrapy.exceptions import NotConfigured

from pipelines.archive import Archive, ArchiveError
from pipelines.dedup import NearDupSettings, is_authoritative

logger = logging.getLogger(__name__)


def page_record(item) -> dict:
    """The plain-data form of an item that ``Archive.add_pages`` takes."""
    return {"outlet": item.outlet, "outlet_name": item.outlet_name, "article": item.article,
            "urls": item.urls, "keys": item.keys,
            "fetched_urls": list(dict.fromkeys([item.url, item.requested_url])),
            "authoritative": is_authoritative(item.requested_url, item.url,
                                              item.article.get("canonical_url")),
            "text_hash": item.text_hash, "fetched_at": item.fetched_at,
            "relevance": item.relevance, "comparisons": item.comparisons,
            "signature": item.signature, "shingles": item.shingles, "lede_bands": item.lede_bands,
            "discovered_via": item.discovered_via}


class StorePipeline:
    """Buffers pages and writes each batch in one transaction; outcomes go to crawler stats."""

    def __init__(self, stats, db_path: str, batch_size: int, neardup: NearDupSettings = NearDupSettings(),
                 max_wait: float = 5.0):
        self.stats = stats
        self.max_wait = max_wait
        self.oldest = 0.0  # when the first page still pending arrived
        self.neardup = neardup
        self.db_path = db_path
        self.batch_size = batch_size
        self.archive = None
        self.pending: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler):
        db_path = crawler.settings.get("NEWSMON_DB_PATH")
        if not db_path:
            raise NotConfigured("NEWSMON_DB_PATH is not set")
        return cls(crawler.stats, db_path, crawler.settings.getint("NEWSMON_STORE_BATCH_SIZE"),
                   NearDupSettings.from_settings(crawler.settings),
                   crawler.settings.getfloat("NEWSMON_STORE_MAX_WAIT"))

    def open_spider(self):
        self.archive = Archive(self.db_path, neardup=self.neardup)

    def close_spider(self):
        self.flush()
        self.archive.close()

    def process_item(self, item):
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending.append(page_record(item))
        # A slow crawl still archives as it goes (and shows it), not only every batch_size pages.
        if len(self.pending) >= self.batch_size or time.monotonic() - self.oldest >= self.max_wait:
            self.flush()
        return item

    def flush(self):
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        try:
            outcomes = self.archive.add_pages(batch)
        except (sqlite3.Error, ArchiveError) as exc:
            # The batch's transaction is rolled back: nothing half-written, nothing archived
            # lost; these pages are fetched again next crawl since they were never stored.
            self.stats.inc_value("newsmon/errors/store", len(batch))
            logger.error("could not store %d pages in %s: %s", len(batch), self.db_path, exc)
            return
        for outcome, n in outcomes.items():
            self.stats.inc_value(f"newsmon/{outcome}", n)
        logger.info("stored a batch of %d pages", len(batch))
