import json
import sqlite3
from datetime import timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

import scheduler
from click.testing import CliRunner
from crawler.watch import load_watch, outlet_toml
from newsmon.cli import cli

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


@pytest.mark.crawl
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


def test_a_fake_clock_drives_incremental_runs_against_the_demo_web(tmp_path, monkeypatch, demo_web):
    """A real scheduler, its clock faked: each tick runs the due job (a real crawl in a
    child process against the demo web); the second run fetches the feeds and sitemaps,
    finds them unchanged and fetches no article again."""
    from datetime import datetime, timedelta, timezone

    from apscheduler.executors.debug import DebugExecutor
    from apscheduler.schedulers.base import BaseScheduler

    clock = [datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)]

    class FakeClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return clock[0].astimezone(tz) if tz else clock[0]

    monkeypatch.setattr("apscheduler.schedulers.base.datetime", FakeClock)
    monkeypatch.setattr("apscheduler.triggers.interval.datetime", FakeClock)
    monkeypatch.setattr("apscheduler.executors.base.datetime", FakeClock)
    monkeypatch.setattr("scheduler.datetime", FakeClock)

    class ManualScheduler(BaseScheduler):
        """No thread of its own: the test calls _process_jobs on each tick of the clock."""

        def wakeup(self):
            pass

        def shutdown(self, wait=True):
            super().shutdown(wait)

    demo = demo_web.watch()
    lines = ['[watch]\nname = "demo-watch"\ninterval = "1h"\n',
             "[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n"
             "concurrent_requests_per_domain = 16\n"]
    lines += [outlet_toml(o) for o in demo.outlets]
    path = tmp_path / "watch.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    db = tmp_path / "a.db"
    sched = scheduler.build_scheduler(path, db, scheduler=ManualScheduler(
        timezone="UTC", executors={"default": DebugExecutor()}))
    sched.start()
    try:
        (job,) = sched.get_jobs()
        assert job.next_run_time == clock[0]  # it never ran: due at once, not an hour from now
        sched._process_jobs()
        clock[0] += timedelta(minutes=30)
        sched._process_jobs()  # nothing is due yet
        clock[0] += timedelta(minutes=30, seconds=1)
        sched._process_jobs()
    finally:
        sched.shutdown(wait=False)
    conn = sqlite3.connect(db)
    runs = conn.execute("select job, status, pages, stories_new, stats from crawl_runs order by id").fetchall()
    assert [(r[0], r[1]) for r in runs] == [("crawl:demo-watch:3600s", "ok")] * 2
    assert runs[0][2] > 50 and runs[0][3] > 20
    second = json.loads(runs[1][4])
    assert runs[1][2] == 0 and runs[1][3] == 0  # no article fetched again
    assert second["newsmon/feeds-unchanged"] + second["newsmon/sitemaps-unchanged"] >= 18


def test_two_crawls_never_write_at_once(tmp_path):
    from crawler.run import CrawlFailed, crawl_lock
    db = str(tmp_path / "a.db")
    with crawl_lock(db, timeout=1):
        with pytest.raises(CrawlFailed, match="another crawl is writing"):
            with crawl_lock(db, timeout=1):
                pass
    with crawl_lock(db, timeout=1):  # free again
        pass


@pytest.mark.crawl
def test_a_dead_run_is_recorded_as_interrupted(tmp_path, page_server):
    from pipelines.archive import Archive
    with Archive(tmp_path / "a.db") as archive:
        archive.start_run("w", "crawl:w:3600s", ["o"], pid=999999)  # its process was killed
    page_server.routes.update({"/robots.txt": (200, {}, b""),
                               "/feed": (200, {"Content-Type": "application/rss+xml"}, b"<rss><channel/></rss>")})
    path = write_watch(tmp_path, page_server.url)
    scheduler.run_crawl_job(str(path), ["fast"], str(tmp_path / "a.db"), 60)
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("select status from crawl_runs order by id").fetchall() == [("interrupted",), ("ok",)]


def test_jobs_are_due_by_the_archives_last_runs_and_keep_their_time_on_reload(tmp_path):
    from datetime import datetime, timezone

    from pipelines.archive import Archive

    path = write_watch(tmp_path, "http://127.0.0.1:9")
    db = tmp_path / "a.db"
    ten_minutes_ago = (datetime.now(timezone.utc) - timedelta(minutes=10)).replace(microsecond=0)
    with Archive(db) as archive:
        run = archive.start_run("local", "crawl:local:7200s", ["slow"])
        archive.db["crawl_runs"].update(run, {"started": ten_minutes_ago.isoformat()})
        archive.finish_run(run, "ok", {})
    sched = scheduler.build_scheduler(path, db, scheduler=BackgroundScheduler(timezone="UTC"))
    sched.start(paused=True)
    try:
        jobs = {job.id: job for job in sched.get_jobs()}
        # Ran ten minutes ago: due an interval after that run; never ran: due now.
        assert jobs["crawl:local:7200s"].next_run_time == ten_minutes_ago + timedelta(hours=2)
        assert jobs["crawl:local:900s"].next_run_time <= datetime.now(timezone.utc)
        # A reload (SIGHUP) keeps when each job runs next.
        before = {job.id: job.next_run_time for job in sched.get_jobs()}
        scheduler.reload_jobs(sched, str(path), str(db))
        assert {job.id: job.next_run_time for job in sched.get_jobs()} == before
    finally:
        sched.shutdown(wait=False)
    status = json.loads(CliRunner().invoke(cli, ["status", "--db", str(db), "--watch", str(path), "--json"]).output)
    due = {j["job"]: j["next_run"] for j in status["jobs"]}
    assert due["crawl:local:7200s"] == (ten_minutes_ago + timedelta(hours=2)).isoformat()


@pytest.mark.crawl
def test_each_run_says_how_it_went_in_one_line(tmp_path, page_server, caplog):
    import logging

    page_server.routes.update({"/robots.txt": (200, {}, b""),
                               "/feed": (200, {"Content-Type": "application/rss+xml"}, b"<rss><channel/></rss>")})
    path = write_watch(tmp_path, page_server.url)
    with caplog.at_level(logging.INFO, logger="newsmon.scheduler"):
        scheduler.run_crawl_job(str(path), ["fast"], str(tmp_path / "a.db"), 60)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "newsmon.scheduler"]
    assert line.startswith("crawl:local:900s: ok: 0 pages, 0 new stories, 0 revisions, 0 errors")


@pytest.mark.crawl
def test_status_shows_the_watch_the_archive_was_made_with(tmp_path, page_server):
    page_server.routes.update({"/robots.txt": (200, {}, b""),
                               "/feed": (200, {"Content-Type": "application/rss+xml"}, b"<rss><channel/></rss>")})
    path = write_watch(tmp_path, page_server.url)
    db = str(tmp_path / "a.db")
    scheduler.run_crawl_job(str(path), ["fast"], db, 60)
    out = CliRunner().invoke(cli, ["status", "--db", db])
    assert out.exit_code == 0 and out.output.startswith(f"Watch 'local' ({path.resolve()})")
    assert "crawl:local:900s" in out.output and "uk-immigration" not in out.output
