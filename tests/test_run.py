import sys
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

    results = crash.run_trials(trials=3, pages=120, seed=3, by_progress=True)
    assert results["kills"] == 3 and results["problems"] == []
    assert results["final_stories"] == results["final_urls"] == 120


def serve_articles(page_server, n: int, words: int = 400):
    """A feed of ``n`` articles, each of its own words (none a near-copy of another)."""
    import random

    url = page_server.url
    vocabulary = ("raid officers workers town council court appeal tribunal families landlord employer "
                  "warehouse farm restaurant factory shop market harbour station school clinic").split()

    def article(handler):
        n = handler.path.rsplit("/", 1)[-1]
        rng = random.Random(n)
        body = "".join("<p>" + " ".join(rng.choice(vocabulary) + str(rng.randrange(500)) for _ in range(40))
                       + ".</p>" for _ in range(words // 40))
        return 200, {"Content-Type": "text/html"}, (
            f"<html lang='en'><head><title>Raid {n}</title><meta property='og:type' content='article'></head>"
            f"<body><article><h1>Raid {n}</h1>{body}</article></body></html>").encode()
    items = "".join(f"<item><link>{url}/a/{i}</link></item>" for i in range(n))
    page_server.routes.update({"/robots.txt": (200, {}, b""),
                               "/feed": (200, {"Content-Type": "application/rss+xml"},
                                         f"<rss><channel>{items}</channel></rss>".encode())})
    for i in range(n):
        page_server.routes[f"/a/{i}"] = article


def local_watch(tmp_path, url, extra=""):
    watch = tmp_path / "watch.toml"
    watch.write_text(f'[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n'
                     f'store_batch_size = 10\nrecheck_ladder = []\nkeep_unrelated = true\n{extra}\n'
                     f'[[outlet]]\nid = "local"\nhomepage = "{url}/"\n'
                     f'feeds = ["{url}/feed"]\ndomains = ["127.0.0.1"]\n')
    return watch


def newsmon(*args):
    import subprocess

    return subprocess.run([sys.executable, "-m", "newsmon.cli", "-q", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def test_a_full_disk_stops_a_crawl_in_one_line_with_its_run_true_and_nothing_lost(page_server, small_disk, tmp_path):
    serve_articles(page_server, 80)
    watch = local_watch(tmp_path, page_server.url)
    db = small_disk.path / "a.db"
    small_disk.resize("700k")
    result = newsmon("crawl", "--watch", watch, "--db", db)
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert lines[-1].startswith("Error: disk full: ") and " stories archived before it, nothing lost (run 1 " in lines[-1]
    assert len([line for line in lines if not line.startswith("Crawling ")]) == 1
    conn = sqlite3.connect(db)
    stored = conn.execute("select count(*) from stories").fetchone()[0]
    status, stories_new, kinds = conn.execute("select status, stories_new, error_kinds from crawl_runs").fetchone()
    assert 0 < stored < 80 and f"disk full: {stored} stories" in lines[-1]
    assert status == "failed" and stories_new == stored and "disk-full" in json.loads(kinds)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    conn.execute("insert into stories_fts(stories_fts, rank) values ('integrity-check', 1)")  # FTS in step
    conn.close()
    # Room again: the next crawl archives the rest, nothing twice.
    small_disk.resize("8m")
    assert newsmon("crawl", "--watch", watch, "--db", db).returncode == 0
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*), count(distinct url) from stories").fetchone() == (80, 80)
    assert [r[0] for r in conn.execute("select status from crawl_runs order by id")] == ["failed", "ok"]
    conn.close()


def test_a_full_disk_at_the_start_of_a_crawl_is_one_line_and_leaves_no_run_running(page_server, small_disk, tmp_path):
    serve_articles(page_server, 5)
    watch = local_watch(tmp_path, page_server.url)
    db = small_disk.path / "a.db"
    assert newsmon("crawl", "--watch", watch, "--db", db).returncode == 0
    small_disk.fill(leave_kb=0)
    result = newsmon("crawl", "--watch", watch, "--db", db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: disk full: 0 stories archived before it, nothing lost (no run started; free some space on "
        f"the disk of {db} and crawl again: what was not archived is fetched then)"]
    (small_disk.path / "filler").unlink()
    conn = sqlite3.connect(db)
    assert conn.execute("select status from crawl_runs").fetchall() == [("ok",)]
    assert conn.execute("select count(*) from stories").fetchone()[0] == 5
