from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.items import PageItem
from pipelines.archive import Archive
from pipelines.page import Context, process_page
from crawler.store import StorePipeline

BODY = " ".join(f"Sentence number {i} says MPs made calls to the hotline." for i in range(30))
HTML = f"""<html lang="en"><head><title>Hotline calls</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2018-10-19T08:00:00+01:00">
</head><body><article><h1>Hotline calls</h1><p>{BODY}</p></article></body></html>"""


def crawler_for(db_path, batch_size):
    settings = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    settings.update({"NEWSMON_DB_PATH": str(db_path), "NEWSMON_STORE_BATCH_SIZE": batch_size})
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return crawler


def item(url, html=HTML):
    """A fetched page, processed as a worker would (every page-only stage)."""
    page = PageItem(url=url, requested_url=url, html=html, status=200,
                    fetched_at="2026-01-01T00:00:00+00:00", outlet="paper", outlet_name="The Paper",
                    discovered_via="feed")
    page.record = process_page({"url": url, "requested_url": url, "html": html, "hints": {}, "outlet": "paper",
                                "outlet_name": "The Paper", "fetched_at": page.fetched_at,
                                "discovered_via": "feed"}, Context())["record"]
    return page


def test_pages_are_stored_in_batches(tmp_path):
    crawler = crawler_for(tmp_path / "a.db", batch_size=2)
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    urls = ["https://paper.example/a", "https://paper.example/a?utm_source=x", "https://paper.example/b"]
    for url in urls:
        store.process_item(item(url))
    # Two pages make a batch: they are in the archive before the crawl ends.
    with Archive(tmp_path / "a.db") as archive:
        assert archive.db["story_urls"].count == 2
    store.close_spider()
    with Archive(tmp_path / "a.db") as archive:
        # b has the same words as a on the same outlet: one story, three URLs.
        assert archive.db["stories"].count == 1
        assert archive.db["story_urls"].count == 3
    stats = crawler.stats.get_stats()
    assert stats["newsmon/stories_new"] == 1 and stats["newsmon/urls_merged"] == 2


def test_a_batch_that_cannot_be_written_is_counted_not_half_written(tmp_path):
    crawler = crawler_for(tmp_path / "a.db", batch_size=10)
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    store.process_item(item("https://paper.example/a"))
    store.flush()
    store.archive.db.execute("drop table story_urls")  # a broken archive
    store.process_item(item("https://paper.example/b", html=HTML.replace("Hotline", "Other")))
    store.close_spider()
    assert crawler.stats.get_value("newsmon/errors/store") == 1
    with Archive(tmp_path / "a.db") as archive:
        assert archive.db["stories"].count == 1


def test_a_full_disk_stops_storing_and_says_so_once(tmp_path):
    # SQLite's max_page_count makes the archive "full" as a full disk does (SQLITE_FULL).
    crawler = crawler_for(tmp_path / "a.db", batch_size=2)
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    topics = ["the ferry timetable", "the library budget", "a new school roof", "the river flood wall",
              "the market licence", "the bus depot"]

    def distinct(n):  # stories of their own: no two are copies or versions of each other
        return HTML.replace("Hotline calls", f"Story {n}").replace("MPs made calls to the hotline", topics[n])

    for n in range(2):
        store.process_item(item(f"https://paper.example/{n}", html=distinct(n)))
    pages = store.archive.db.execute("pragma page_count").fetchone()[0]
    store.archive.db.execute(f"pragma max_page_count = {pages}")
    for n in range(2, 6):
        store.process_item(item(f"https://paper.example/{n}", html=distinct(n)))
    store.close_spider()
    stats = crawler.stats.get_stats()
    assert stats["newsmon/stories_new"] == 2  # what was committed, and only that
    assert stats["newsmon/archive_fault"] == "disk-full" and stats["newsmon/errors/disk-full"] == 4
    assert "newsmon/errors/store" not in stats
    with Archive(tmp_path / "a.db") as archive:
        assert archive.db["stories"].count == 2
        assert archive.db.execute("pragma integrity_check").fetchone()[0] == "ok"
