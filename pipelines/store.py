"""Store stage: writes cleaned, keyed pages to the archive in batches."""

from __future__ import annotations

import logging
import sqlite3
import time

from scrapy.exceptions import NotConfigured

from pipelines.archive import Archive, ArchiveError, archive_fault, fault_kind
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
            "signature": item.signature, "shingles": item.shingles,
            "discovered_via": item.discovered_via}


class StorePipeline:
    """Buffers pages and writes each batch in one transaction; outcomes go to crawler stats.

    A full disk (or a damaged archive) stops the crawl: every batch after it would fail
    too. What was committed stays; the pages not stored were never archived, so the next
    crawl fetches them again."""

    def __init__(self, stats, db_path: str, batch_size: int, neardup: NearDupSettings = NearDupSettings(),
                 max_wait: float = 5.0, crawler=None):
        self.stats = stats
        self.crawler = crawler
        self.max_wait = max_wait
        self.oldest = 0.0  # when the first page still pending arrived
        self.neardup = neardup
        self.db_path = db_path
        self.batch_size = batch_size
        self.archive = None
        self.pending: list[dict] = []
        self.fault: ArchiveError | None = None  # the archive can take no more (disk full, damage)

    @classmethod
    def from_crawler(cls, crawler):
        db_path = crawler.settings.get("NEWSMON_DB_PATH")
        if not db_path:
            raise NotConfigured("NEWSMON_DB_PATH is not set")
        return cls(crawler.stats, db_path, crawler.settings.getint("NEWSMON_STORE_BATCH_SIZE"),
                   NearDupSettings.from_settings(crawler.settings),
                   crawler.settings.getfloat("NEWSMON_STORE_MAX_WAIT"), crawler=crawler)

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
        if self.fault is not None:  # stopping: the archive takes nothing more
            self.stats.inc_value(f"newsmon/errors/{fault_kind(self.fault)}", len(batch))
            return
        try:
            outcomes = self.archive.add_pages(batch)
        except (sqlite3.Error, ArchiveError, OSError) as exc:
            # The batch's transaction is rolled back: nothing half-written, nothing archived
            # lost; these pages are fetched again next crawl since they were never stored.
            fault = archive_fault(exc, self.db_path)
            if fault is None and not isinstance(exc, (sqlite3.Error, ArchiveError)):
                raise
            if fault is not None:
                self._stop(fault)
                self.stats.inc_value(f"newsmon/errors/{fault_kind(fault)}", len(batch))
                return
            self.stats.inc_value("newsmon/errors/store", len(batch))
            logger.error("could not store %d pages in %s: %s", len(batch), self.db_path, exc)
            return
        for outcome, n in outcomes.items():
            self.stats.inc_value(f"newsmon/{outcome}", n)
        logger.info("stored a batch of %d pages", len(batch))

    def _stop(self, fault: ArchiveError):
        self.fault = fault
        stop_crawl_for(self.crawler, self.stats, fault)


def stop_crawl_for(crawler, stats, fault: ArchiveError):
    """The archive can take no more (a full disk, damage): the crawl stops, once, and its
    run records why (the command that started it says so in one line)."""
    if stats.get_value("newsmon/archive_fault"):
        return
    logger.info("%s: stopping the crawl", fault)
    stats.set_value("newsmon/archive_fault", fault_kind(fault))
    try:
        engine = crawler.engine
    except (AttributeError, RuntimeError):  # (not crawling: a pipeline used on its own)
        engine = None
    if engine is not None and getattr(engine, "running", False):
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(engine.close_spider_async(reason=fault_kind(fault)))
