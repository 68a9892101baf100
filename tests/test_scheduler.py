import sqlite3
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

import scheduler
from crawler.watch import load_watch

WATCH = """
[watch]
name = "local"
interval = "2h"

[crawl]
allow_private_addresses = true
download_delay = 0.0
autothrottle = false

[[outlet]]
id = "fast"
homepage = "{url}/"
feeds = ["{url}/feed"]
interval = "15m"

[[outlet]]
id = "slow"
homepage = "{url}/"
feeds = ["{url}/other-feed"]
"""


def write_watch(tmp_path, url):
    path = tmp_path / "watch.toml"
    path.write_text(WATCH.format(url=url), encoding="utf-8")
    return path


def test_one_job_per_interval_with_safe_defaults(tmp_path):
    path = write_watch(tmp_path, "http://127.0.0.1:9")
    sched = scheduler.build_scheduler(path, tmp_path / "a.db", scheduler=BackgroundScheduler(timezone="UTC"))
    sched.start(paused=True)
    try:
        jobs = {job.id: job for job in sched.get_jobs()}
        assert set(jobs) == {"crawl:local:900s", "crawl:local:7200s"}
        fast = jobs["crawl:local:900s"]
        assert fast.trigger.interval == timedelta(minutes=15)
        assert fast.max_instances == 1 and fast.coalesce is True
        assert fast.misfire_grace_time == 450
        assert fast.args[1] == ["fast"] and fast.args[3] == 900 * scheduler.CRAWL_TIME_SHARE
        assert fast.func_ref == "scheduler:run_crawl_job"
        # Rebuilding from the same watch replaces the jobs instead of doubling them.
        scheduler.add_jobs(sched, load_watch(path), str(path), str(tmp_path / "a.db"))
        assert len(sched.get_jobs()) == 2
    finally:
        sched.shutdown(wait=False)


def test_a_scheduled_run_crawls_its_outlets_and_is_recorded(tmp_path, page_server):
    url = page_server.url
    body = "".join(f"<p>Paragraph {i}: MPs' offices called the immigration hotline, figures show.</p>"
                   for i in range(25))
    page_server.routes.update({
        "/robots.txt": (200, {}, b""),
        "/feed": (200, {"Content-Type": "application/rss+xml"},
                  f"<rss><channel><item><link>{url}/story</link></item></channel></rss>".encode()),
        "/story": (200, {"Content-Type": "text/html; charset=utf-8"},
                   f'<html lang="en"><head><title>Calls</title><meta property="og:type" content="article">'
                   f'</head><body><article><h1>Calls</h1>{body}</article></body></html>'.encode()),
    })
    path = write_watch(tmp_path, url)
    summary = scheduler.run_crawl_job(str(path), ["fast"], str(tmp_path / "a.db"), 120)
    assert summary["stories_new"] == 1
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("select job, status from crawl_runs").fetchall() == [("crawl:local:900s", "ok")]
