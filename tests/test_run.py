import sqlite3
import time

import pytest

from crawler.run import CrawlFailed, build_settings, crawl_in_child, summarise
from crawler.watch import Outlet, Watch


def test_watch_overrides_reach_scrapy_settings(tmp_path):
    watch = Watch(name="t", path=None, sources=(), outlets=(), crawl={"DOWNLOAD_DELAY": 0.25})
    settings = build_settings(watch, tmp_path / "a.db")
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.25
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings["NEWSMON_DB_PATH"] == str(tmp_path / "a.db")
    assert settings.getint("CONCURRENT_ITEMS") == 8


def test_summary_from_stats():
    summary = summarise({"downloader/request_count": 10, "newsmon/pages": 7, "newsmon/stories_new": 5,
                         "newsmon/dropped/too-short": 2, "newsmon/skipped/refused": 3,
                         "robotstxt/forbidden": 3, "newsmon/errors/http-404": 1})
    assert summary["requests"] == 10 and summary["stories_new"] == 5
    assert summary["dropped"] == {"too-short": 2}
    assert summary["skipped"] == {"robots.txt": 3}
    assert summary["errors"] == 1


def test_hung_crawl_is_stopped_and_recorded_as_timed_out(page_server, tmp_path):
    def hang(handler):
        time.sleep(30)
        return 200, {}, b""
    page_server.routes["/robots.txt"] = (200, {}, b"")
    page_server.routes["/feed"] = hang
    url = page_server.url
    watch = Watch(name="t", path=None, sources=(), outlets=(Outlet(
        id="slow", name="Slow", homepage=url + "/", feeds=(url + "/feed",), domains=("127.0.0.1",)),),
        crawl={"NEWSMON_ALLOW_PRIVATE_ADDRESSES": True, "DOWNLOAD_DELAY": 0.0})
    started = time.monotonic()
    with pytest.raises(CrawlFailed, match="timed out"):
        crawl_in_child(watch, tmp_path / "a.db", timeout=6)
    assert time.monotonic() - started < 25
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("select status from crawl_runs").fetchall() == [("timed_out",)]
