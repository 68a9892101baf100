import json
import sqlite3
import time

import pytest

from crawler.run import CrawlFailed, build_settings, crawl_in_child, summarise
from crawler.watch import Outlet, Watch

pytestmark = pytest.mark.crawl  # every test here runs real crawls


def test_watch_overrides_reach_scrapy_settings(tmp_path):
    watch = Watch(name="t", path=None, sources=(), outlets=(), crawl={"DOWNLOAD_DELAY": 0.25})
    settings = build_settings(watch, tmp_path / "a.db")
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.25
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings["NEWSMON_DB_PATH"] == str(tmp_path / "a.db")
    assert settings.getint("CONCURRENT_ITEMS") == 8


def test_summary_from_stats():
    summary = summarise({"downloader/request_count": 10, "newsmon/pages": 7, "newsmon/stories_new": 5,
                         "newsmon/dropped/too-short": 2, "newsmon/skipped/redirect-loop": 1,
                         "robotstxt/forbidden": 3, "newsmon/errors/http-404": 1})
    assert summary["requests"] == 10 and summary["stories_new"] == 5
    assert summary["dropped"] == {"too-short": 2}
    assert summary["skipped"] == {"robots.txt": 3, "redirect-loop": 1}
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


def test_a_killed_crawl_loses_and_duplicates_nothing(page_server, tmp_path):
    """SIGKILL the process running a crawl mid-way: its child stops (SIGTERM on parent
    death), the run is recorded as interrupted, and the next crawl completes the archive
    without duplicating a story."""
    import os
    import signal
    import subprocess
    import sys

    url = page_server.url
    import random
    vocabulary = ("raid officers workers town council court appeal tribunal families landlord employer "
                  "warehouse farm restaurant factory shop market harbour station school clinic").split()

    hang = {"on": True}

    def slow_article(handler):
        n = handler.path.rsplit("/", 1)[-1]
        if hang["on"] and int(n) >= 3:
            time.sleep(20)  # the crawl is mid-way, waiting on this page, when it is killed
        rng = random.Random(n)  # every story its own words: none is a near-copy of another
        body = "".join("<p>" + " ".join(rng.choice(vocabulary) for _ in range(30)) + ".</p>" for _ in range(8))
        return 200, {"Content-Type": "text/html"}, (
            f"<html lang='en'><head><title>Raid {n}</title><meta property='og:type' content='article'></head>"
            f"<body><article><h1>Raid {n}</h1>{body}</article></body></html>").encode()
    items = "".join(f"<item><link>{url}/a/{i}</link></item>" for i in range(20))
    page_server.routes.update({"/robots.txt": (200, {}, b""),
                               "/feed": (200, {"Content-Type": "application/rss+xml"},
                                         f"<rss><channel>{items}</channel></rss>".encode())})
    for i in range(20):
        page_server.routes[f"/a/{i}"] = slow_article
    watch = tmp_path / "watch.toml"
    watch.write_text(f'[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n'
                     f'concurrent_requests_per_domain = 2\nstore_batch_size = 1\ndownload_timeout = 30\n[[outlet]]\nid = "local"\nhomepage = "{url}/"\n'
                     f'feeds = ["{url}/feed"]\ndomains = ["127.0.0.1"]\n')
    db = tmp_path / "a.db"
    proc = subprocess.Popen([sys.executable, "-m", "newsmon.cli", "crawl", "--watch", str(watch), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and stored < 3:
        time.sleep(0.5)
        try:
            stored = sqlite3.connect(db).execute("select count(*) from stories").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0
    assert stored >= 3, "the crawl did not get going"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    hang["on"] = False
    # The orphaned crawl child stops on its SIGTERM and records its run as interrupted.
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and sqlite3.connect(db).execute(
            "select status from crawl_runs order by id limit 1").fetchone()[0] == "running":
        time.sleep(0.5)
    before = sqlite3.connect(db).execute("select count(*) from stories").fetchone()[0]
    assert before < 20, "the crawl finished before it was killed"
    from crawler.watch import load_watch
    summary = crawl_in_child(load_watch(watch), db, timeout=120)
    conn = sqlite3.connect(db)
    runs = conn.execute("select status, pages, stats from crawl_runs order by id").fetchall()
    assert conn.execute("select count(*), count(distinct url) from stories").fetchone() == (20, 20), \
        (summary, [(r[0], r[1], json.loads(r[2] or "{}").get("finish_reason")) for r in runs])
    statuses = [r[0] for r in conn.execute("select status from crawl_runs order by id")]
    assert statuses == ["interrupted", "ok"]
    assert summary["stories_new"] == 20 - before
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert conn.execute("select count(*) from stories_fts").fetchone()[0] == 20


def test_crashes_at_random_moments_lose_and_duplicate_nothing():
    """A few trials of benchmarks/crash.py: SIGKILL the crawl's process at random moments,
    restart, check the archive each time; a last crawl archives every page exactly once."""
    from benchmarks import crash

    results = crash.run_trials(trials=3, pages=120, seed=3, max_wait=5.0)
    assert results["kills"] >= 2 and results["problems"] == []
    assert results["final_stories"] == results["final_urls"] == 120
