"""Running one crawl of a watch and recording it in ``crawl_runs``.

A Twisted reactor cannot be restarted in one process, so ``crawl_in_child`` runs
each crawl in a fresh (spawned) child process with a hard time limit; the CLI, the
demo, the scheduler and the tests all go through it. ``run_crawl`` is the body
of that child.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.spiders.watch import WatchSpider
from crawler.watch import Watch
from pipelines.archive import Archive
from pipelines.sources import source_row


def build_settings(watch: Watch, db_path: str | Path, overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.update(watch.crawl, priority="cmdline")
    settings.update(overrides or {}, priority="cmdline")
    settings.set("NEWSMON_DB_PATH", str(db_path), priority="cmdline")
    return settings


def _source_row(source) -> dict:
    """A watch source profiled: from its saved file, else from its page."""
    if source.path:
        return source_row(source)
    from pipelines.fetch import fetch_page

    html, _url = fetch_page(source.url)
    return source_row(source, html=html)


def summarise(stats: dict) -> dict:
    """The counts a user sees after a crawl, from Scrapy's stats."""
    dropped = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/dropped/")}
    skipped = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/skipped/")}
    if stats.get("robotstxt/forbidden"):
        skipped["robots.txt"] = stats["robotstxt/forbidden"]
        skipped["refused"] = skipped.get("refused", 0) - stats["robotstxt/forbidden"]
        if skipped["refused"] <= 0:
            del skipped["refused"]
    errors = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/errors/")}
    return {
        "requests": stats.get("downloader/request_count", 0),
        "pages": stats.get("newsmon/pages", 0),
        "stories_new": stats.get("newsmon/stories_new", 0),
        "copies": stats.get("newsmon/copies", 0),
        "urls_merged": stats.get("newsmon/urls_merged", 0),
        "revisions": stats.get("newsmon/revisions", 0),
        "unchanged": stats.get("newsmon/unchanged", 0),
        "rechecked": stats.get("newsmon/rechecked", 0),
        "listings_unchanged": stats.get("newsmon/feeds-unchanged", 0) + stats.get("newsmon/sitemaps-unchanged", 0),
        "labels": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/label/")},
        "dropped": dropped,
        "skipped": skipped,
        "errors": sum(errors.values()) + stats.get("log_count/ERROR", 0),
        "error_kinds": errors,
    }


def run_crawl(watch: Watch, db_path: str | Path, job: str = "manual",
              overrides: dict | None = None, run_id: int | None = None) -> dict:
    """One crawl of the watch in this process (once per process: the reactor cannot restart)."""
    with Archive(db_path) as archive:
        archive.sync_watch(watch, [_source_row(s) for s in watch.sources])
        if run_id is None:
            run_id = archive.start_run(watch.name, job)
    process = CrawlerProcess(build_settings(watch, db_path, overrides))
    crawler = process.create_crawler(WatchSpider)
    process.crawl(crawler, watch=watch)
    status = "ok"
    try:
        process.start()
    except Exception:  # noqa: BLE001 - the run is recorded whatever its end
        status = "failed"
        traceback.print_exc()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    summary = summarise(stats)
    summary["run_id"] = run_id
    if stats.get("finish_reason") not in (None, "finished"):
        status = "interrupted" if stats.get("finish_reason") == "shutdown" else status
    if stats.get("newsmon/errors/store"):
        status = "failed"  # pages were fetched but could not be archived
    summary["status"] = status
    with Archive(db_path) as archive:
        for entry in getattr(crawler.spider, "fetch_log", []):
            archive.record_fetch(entry["url"], entry["kind"], entry["outlet"], entry["status"],
                                 entry["error"], entry.get("etag"), entry.get("last_modified"),
                                 entry.get("content_hash"))
        archive.finish_run(run_id, status, {**summary, "stats": _jsonable(stats)})
    return summary


def _jsonable(stats: dict) -> dict:
    return {k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v))
            for k, v in stats.items()}


def _child(conn, watch, db_path, job, overrides, run_id):
    try:
        conn.send(("ok", run_crawl(watch, db_path, job, overrides, run_id)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as one line
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class CrawlFailed(RuntimeError):
    pass


def crawl_in_child(watch: Watch, db_path: str | Path, job: str = "manual",
                   overrides: dict | None = None, timeout: float = 3600) -> dict:
    """Run one crawl in a spawned child; stop it after ``timeout`` seconds."""
    db_path = str(Path(db_path).resolve())
    with Archive(db_path) as archive:
        run_id = archive.start_run(watch.name, job)
    ctx = multiprocessing.get_context("spawn")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(child_conn, watch, db_path, job, overrides, run_id),
                        name=f"newsmon-crawl-{job}")
    child.start()
    child_conn.close()
    result = None
    if parent_conn.poll(timeout):
        try:
            result = parent_conn.recv()
        except EOFError:
            result = None
    child.join(5)
    if child.is_alive():
        child.terminate()
        child.join(5)
        if child.is_alive():
            os.kill(child.pid, 9)
            child.join()
    if result is None:
        status = "timed_out" if child.exitcode is None or child.exitcode < 0 else "failed"
        with Archive(db_path) as archive:
            archive.finish_run(run_id, status, {})
        raise CrawlFailed(f"crawl {status.replace('_', ' ')} (run {run_id}, limit {timeout:.0f}s)")
    kind, payload = result
    if kind == "error":
        with Archive(db_path) as archive:
            archive.finish_run(run_id, "failed", {})
        raise CrawlFailed(f"crawl failed (run {run_id}): {payload}")
    return payload
