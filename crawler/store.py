"""Store stage: the pages of a crawl, written through its one sink in batches.

Locally a batch is one transaction of the archive; distributed, each page goes to the
shared results list for the writer (``crawler.distributed.ResultPipeline``). Everything
else a crawl writes (URLs to remember, listings' state, its run) goes through the same
sink (``crawl_sink``), so the archive has one writer per crawl.
"""

from __future__ import annotations

import logging
import sqlite3
import time

from scrapy.exceptions import NotConfigured

from crawler import sink
from pipelines.archive import ArchiveError, archive_fault, fault_kind
from pipelines.dedup import NearDupSettings

logger = logging.getLogger(__name__)


def crawl_sink(crawler):
    """The crawl's one sink, made on first use and kept on the crawler (closed once the
    crawl's end is written: ``crawler.run``)."""
    found = getattr(crawler, "newsmon_sink", None)
    if found is None:
        found = sink.sink_for(crawler.settings, NearDupSettings.from_settings(crawler.settings))
        crawler.newsmon_sink = found
    return found


class StorePipeline:
    """Buffers pages and writes each batch in one transaction; outcomes go to crawler stats.

    A full disk (or a damaged archive) stops the crawl: every batch after it would fail
    too. What was committed stays; the pages not stored were never archived, so the next
    crawl fetches them again."""

    def __init__(self, crawler, batch_size: int, max_wait: float = 5.0):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("NEWSMON_DB_PATH")
        self.batch_size = batch_size
        self.max_wait = max_wait
        self.oldest = 0.0  # when the first page still pending arrived
        self.sink = None
        self.pending: list[dict] = []
        self.fault: ArchiveError | None = None  # the archive can take no more (disk full, damage)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("NEWSMON_DB_PATH"):
            raise NotConfigured("NEWSMON_DB_PATH is not set")
        return cls(crawler, crawler.settings.getint("NEWSMON_STORE_BATCH_SIZE"),
                   crawler.settings.getfloat("NEWSMON_STORE_MAX_WAIT"))

    @property
    def archive(self):
        return self.sink.archive

    def open_spider(self):
        self.sink = crawl_sink(self.crawler)

    def close_spider(self):
        self.flush()

    def process_item(self, item):
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending.append(sink.page(item.record))
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
            outcomes = self.sink.write(batch)
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
