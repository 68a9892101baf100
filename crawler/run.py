"""Running one crawl of a watch and recording it in ``crawl_runs``.

A Twisted reactor cannot be restarted in one process, so ``crawl_in_child`` runs
each crawl in a fresh (spawned) child process with a hard time limit; the CLI, the
demo, the scheduler and the tests all go through it. ``run_crawl`` is the body
of that child.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import signal
import sqlite3
import sys
import time
import types
import traceback
from contextlib import contextmanager
from pathlib import Path

from crawler.watch import Watch
from pipelines.archive import Archive, ArchiveError, ArchiveFull, archive_fault, fault_kind
from pipelines.dedup import NearDupSettings

# Scrapy, Twisted and the spider are imported in the crawl's own process only (run_crawl):
# the command that starts a crawl need not pay for them.


def build_settings(watch: Watch, db_path: str | Path, overrides: dict | None = None):
    """The crawl's settings: resolved as every command's are (crawler/config.py: defaults,
    the watch's [crawl], the environment, the command line's ``overrides``), then what
    this crawl itself needs."""
    from crawler.config import resolve

    settings = resolve(watch, overrides)
    settings.set("NEWSMON_DB_PATH", str(db_path) if db_path else "", priority="cmdline")
    settings.set("NEWSMON_WATCH_NAME", watch.name, priority="cmdline")
    if settings.get("NEWSMON_REDIS_URL"):  # distributed mode: scrapy-redis's queue and filter
        from crawler.distributed import distributed_settings, worker_id

        role = settings.get("NEWSMON_REDIS_ROLE") or "coordinator"
        settings.update(distributed_settings(settings["NEWSMON_REDIS_URL"], watch.name, role,
                                             settings.getfloat("NEWSMON_REDIS_OUTAGE_WAIT")), priority="cmdline")
        if settings.getbool("NEWSMON_REDIS_SHARED_POLITENESS"):
            from crawler.distributed import SHARED_POLITENESS

            settings.update(SHARED_POLITENESS, priority="cmdline")
        settings.set("NEWSMON_REDIS_WORKER_ID", settings.get("NEWSMON_REDIS_WORKER_ID") or worker_id(),
                     priority="cmdline")
    # Each search or archive service is one download slot with its own pace.
    slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
    for slot, delay in (("gdelt", "NEWSMON_GDELT_DELAY"), ("google-news", "NEWSMON_GOOGLE_NEWS_DELAY"),
                        ("wayback", "NEWSMON_WAYBACK_DELAY")):
        slots.setdefault(slot, {"concurrency": 1 if slot != "wayback" else 2,
                                "delay": settings.getfloat(delay)})
    settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")
    return settings


def _source_row(source) -> dict | None:
    """A watch source profiled: from its saved file, else from its page (None, with a
    warning, when that page cannot be had: the crawl goes on with the other sources)."""
    from crawler.fetch import FetchError, fetch_page
    from pipelines.sources import SourceError, source_row

    try:
        if source.path:
            return source_row(source)
        html, _url = fetch_page(source.url)
        return source_row(source, html=html)
    except (FetchError, SourceError) as exc:
        logging.getLogger(__name__).warning("source %s not profiled: %s", source.id, exc)
        return None


def summarise(stats: dict) -> dict:
    """The counts a user sees after a crawl, from Scrapy's stats."""
    dropped = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/dropped/")}
    skipped = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/skipped/")}
    if stats.get("robotstxt/forbidden"):
        skipped["robots.txt"] = stats["robotstxt/forbidden"]
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
        "retried": stats.get("retry/count", 0),
        # requests of a crawler taken for dead, queued again (a distributed crawl)
        "put_back": stats.get("newsmon/distributed/recovered", 0),
        "search": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/search/")},
        "backfill": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/backfill/")},
        "listings_unchanged": stats.get("newsmon/feeds-unchanged", 0) + stats.get("newsmon/sitemaps-unchanged", 0),
        "labels": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/label/")},
        "dropped": dropped,
        "skipped": skipped,
        "errors": sum(errors.values()) + stats.get("log_count/ERROR", 0),
        "error_kinds": errors,
    }


PROGRESS_INTERVAL = 0.5  # seconds between progress reports from a crawl


def run_crawl(watch: Watch, db_path: str | Path, job: str = "manual",
              overrides: dict | None = None, run_id: int | None = None, progress=None) -> dict:
    """One crawl of the watch in this process (once per process: the reactor cannot restart).
    ``progress``, if given, is called every PROGRESS_INTERVAL with the counts so far."""
    from scrapy.crawler import CrawlerProcess

    from crawler.outcomes import quiet_scrapy_duplicates
    from crawler.spiders.watch import WatchSpider

    settings = build_settings(watch, db_path, overrides)
    role = settings.get("NEWSMON_REDIS_ROLE")
    relabelled: dict = {}
    if role != "worker":  # a worker of a distributed crawl has no archive
        with Archive(db_path) as archive:
            archive.sync_watch(watch, [row for row in map(_source_row, watch.sources) if row])
            if run_id is None:
                run_id = archive.start_run(watch.name, job)
            relabelled = _relabel(watch, archive, settings)
            if role == "coordinator":
                _publish(watch, archive, settings)
    process = CrawlerProcess(settings)
    quiet_scrapy_duplicates()  # one line per fault: the spider's
    crawler = process.create_crawler(WatchSpider)
    process.crawl(crawler, watch=watch)
    if progress is not None:
        from scrapy import signals
        from twisted.internet import task

        def report():
            progress(_progress_counts(crawler.stats.get_stats()))

        loop = task.LoopingCall(report)

        def started():
            loop.start(PROGRESS_INTERVAL, now=False)

        def stopped():
            if loop.running:
                loop.stop()

        # Scrapy holds signal receivers weakly: these locals live as long as the crawl.
        crawler.signals.connect(started, signal=signals.engine_started)
        crawler.signals.connect(stopped, signal=signals.engine_stopped)
    status = "ok"
    try:
        process.start()
    except Exception:  # noqa: BLE001 - the run is recorded whatever its end
        status = "failed"
        traceback.print_exc()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    summary = summarise(stats)
    summary["run_id"] = run_id
    if relabelled:
        summary["relabelled"] = relabelled
    # A crawl stopped by a signal may end with the spider never closed (no finish reason):
    # either way it did not finish, and what it skipped must be fetched next time.
    if stats.get("finish_reason") in (None, "shutdown") and status == "ok":
        status = "interrupted"
    if stats.get("newsmon/errors/store"):
        status = "failed"  # pages were fetched but could not be archived
    if stats.get("newsmon/redis_gone"):  # Redis away too long: the shared crawl could not go on
        status = "interrupted"
        summary["redis_gone"] = stats["newsmon/redis_gone"]
    fault = stats.get("newsmon/archive_fault")  # the archive took no more: disk full, damage
    if fault:
        status = "failed"
        summary["fault"] = fault
    summary["status"] = status
    # A listing counts as seen (validators and hash kept, so the next crawl can skip it)
    # only when everything it led to was handled: a crawl that stopped early or hit errors
    # must read its feeds again next time, or the pages it missed would never be fetched.
    # (Distributed: other crawlers' errors are not known here, so validators are not kept.)
    complete = status == "ok" and not stats.get("newsmon/article-errors") and not role
    return _record_end(crawler, settings, watch, job, run_id, status, summary, stats, complete, fault)


def _record_end(crawler, settings, watch, job, run_id, status, summary, stats, complete, fault) -> dict:
    """What the crawl writes at its end, through its one sink (``crawler.store.crawl_sink``:
    the archive, or Redis for the writer): the listings' state, the URLs answered gone,
    and its run."""
    from crawler import sink
    from crawler.distributed import RedisGone
    from crawler.store import crawl_sink

    worker = settings.get("NEWSMON_REDIS_ROLE") == "worker"
    if worker and summary.get("redis_gone"):
        return summary
    records = []
    if not fault:  # (the archive takes nothing more: these wait for the next crawl)
        records += [sink.fetches(getattr(crawler.spider, "fetch_log", []), keep_validators=complete),
                    sink.remember(getattr(crawler.spider, "gone", []), "gone")]
    records.append(sink.run(watch.name, f"{job} {settings['NEWSMON_REDIS_WORKER_ID']}" if worker else job,
                            status, {**summary, "stats": _jsonable(stats)}, run_id=None if worker else run_id))
    try:
        # (a coordinator has the archive beside it: its run is recorded there even when
        # Redis, where its pages went, is gone)
        destination = sink.ArchiveSink(Archive(settings["NEWSMON_DB_PATH"])) \
            if settings.get("NEWSMON_REDIS_ROLE") == "coordinator" else crawl_sink(crawler)
        try:
            destination.write(records)
        finally:
            destination.close()
        if not worker:
            summary["recorded"] = True
    except RedisGone as exc:
        summary["redis_gone"] = str(exc)
    except (ArchiveError, sqlite3.Error, OSError) as exc:
        problem = archive_fault(exc, settings.get("NEWSMON_DB_PATH"))
        if problem is None:
            raise
        summary.update(status="failed", recorded=False, fault=summary.get("fault") or fault_kind(problem))
    return summary


def fault_message(summary: dict, db_path, run_id=None) -> str:
    """One line for a crawl the archive stopped: what was kept, and what to do."""
    kept = summary.get("stories_new", 0) + summary.get("copies", 0)
    run = ("no run started" if run_id is None else f"run {run_id} recorded as failed" if summary.get("recorded")
           else f"run {run_id} could not be recorded: the next crawl marks it interrupted")
    if summary.get("fault") == "disk-full":
        return (f"disk full: {kept} stories archived before it, nothing lost ({run}; free some space on "
                f"the disk of {db_path} and crawl again: what was not archived is fetched then)")
    return (f"{db_path} is damaged: {kept} stories archived before the crawl stopped ({run}); "
            f"`newsmon check --db {db_path}` says where, `newsmon recover NEW.db --db {db_path}` saves "
            "what can be read")


def _relabel(watch, archive, settings) -> dict:
    """The archived stories judged again by the watch's topic model as the reader's
    judgements have taught it since they were labelled (``relevance.relabel``): changes by
    kind ("related -> unrelated": 2), none when nothing changed."""
    from pipelines.relevance import Thresholds, relabel
    from pipelines.topic import watch_judge

    judge = watch_judge(watch.topic, archive, settings.getfloat("NEWSMON_RELEVANCE_TOPIC"))
    return {k: v for k, v in relabel(archive, judge, Thresholds.from_settings(settings)).items() if k != "unchanged"}


def _publish(watch, archive, settings):
    """The coordinator of a distributed crawl: what the crawl needs from the archive, and
    the shared duplicate filter seeded from it, in Redis."""
    from crawler.distributed import connect, fingerprint_url, publish_context, seed_seen

    from pipelines.topic import watch_judge

    server = connect(settings["NEWSMON_REDIS_URL"])
    ladder = settings.getlist("NEWSMON_RECHECK_LADDER")
    judge = watch_judge(watch.topic, archive, settings.getfloat("NEWSMON_RELEVANCE_TOPIC"))
    version = judge.version if judge is not None else None
    publish_context(server, watch, archive, ladder, backfill=bool(settings.getdict("NEWSMON_BACKFILL")),
                    coordinator=settings["NEWSMON_REDIS_WORKER_ID"], topic_version=version)
    seed_seen(server, watch.name, archive, ladder, fingerprint_url, topic_version=version)


def _progress_counts(stats: dict) -> dict:
    errors = sum(v for k, v in stats.items() if k.startswith("newsmon/errors/")) + stats.get("log_count/ERROR", 0)
    return {"requests": stats.get("downloader/request_count", 0), "pages": stats.get("newsmon/pages", 0),
            "stories": stats.get("newsmon/stories_new", 0), "errors": errors}


def _jsonable(stats: dict) -> dict:
    return {k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v))
            for k, v in stats.items()}


def _die_with_parent():
    """Linux: the crawl gets SIGTERM (a clean Scrapy stop) if its parent is killed."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(conn, watch, db_path, job, overrides, run_id, want_progress=False):
    _die_with_parent()
    from crawler.workers import start_forkserver

    start_forkserver()  # the workers' server loads the pipeline while Scrapy starts up
    try:
        progress = (lambda counts: conn.send(("progress", counts))) if want_progress else None
        conn.send(("ok", run_crawl(watch, db_path, job, overrides, run_id, progress)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as one line
        fault = archive_fault(exc, db_path) if db_path else None
        if fault is not None:  # before the crawl began (its sources, its run): nothing archived
            conn.send(("ok", {**summarise({}), "run_id": run_id, "status": "failed",
                              "fault": fault_kind(fault), "recorded": False}))
        else:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class CrawlFailed(RuntimeError):
    pass


class ArchiveFault(CrawlFailed):
    """The archive stopped the crawl (a full disk, damage); ``summary``: what it did."""

    def __init__(self, message: str, summary: dict):
        super().__init__(message)
        self.summary = summary


# Crawls running from this process, so a scheduler being stopped can stop them first;
# and the process ids of those it stopped (their runs were interrupted, not failed).
RUNNING: set = set()
STOPPED: set = set()


def stop_running_crawls():
    """SIGTERM every crawl child of this process: Scrapy stops cleanly, the run is recorded
    as interrupted."""
    for child in list(RUNNING):
        if child.is_alive():
            STOPPED.add(child.pid)
            child.terminate()


@contextmanager
def crawl_lock(db_path: str, timeout: float):
    """One crawl writes to an archive at a time; others wait their turn (up to ``timeout``)."""
    with open(f"{db_path}.crawl-lock", "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CrawlFailed(f"another crawl is writing to {db_path}; waited {timeout:.0f}s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _plain_main():
    """A spawned child imports its parent's main module first (newsmon.cli, the scheduler):
    a crawl needs nothing of it, so its child starts without (about 0.4 s sooner)."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def crawl_in_child(watch: Watch, db_path: str | Path, job: str = "manual",
                   overrides: dict | None = None, timeout: float = 3600, progress=None) -> dict:
    """Run one crawl in a spawned child; stop it after ``timeout`` seconds. ``progress``,
    if given, is called in this process with the child's counts as it goes."""
    db_path = str(Path(db_path).resolve())
    try:
        check_archive(db_path)  # before anything is written beside it (the lock file)
        with crawl_lock(db_path, timeout):
            return _crawl_locked(watch, db_path, job, overrides, timeout, progress)
    except (ArchiveError, sqlite3.Error, OSError) as exc:
        raise _crawl_failed(exc, db_path) from None


def check_archive(db_path: str | Path, watch: Watch | None = None, overrides: dict | None = None):
    """The archive a crawl is to write to, opened (and made, in an existing folder, with
    the near-duplicate layout these settings give) and checked for damage; a foreign or
    damaged file, a missing folder or a full disk raise CrawlFailed with one line, the
    file left as it was."""
    from crawler.config import resolve

    settings = resolve(watch, overrides)
    try:
        size = Path(db_path).stat().st_size if Path(db_path).exists() else 0
        Archive(db_path, neardup=NearDupSettings.from_settings(settings),
                verify=size <= settings.getint("NEWSMON_ARCHIVE_CHECK_MAX_MB") * 1024 * 1024).close()
    except (ArchiveError, sqlite3.Error, OSError) as exc:
        raise _crawl_failed(exc, db_path) from None


def _crawl_failed(exc: BaseException, db_path) -> BaseException:
    fault = archive_fault(exc, db_path)
    if isinstance(fault, ArchiveFull):
        return CrawlFailed(fault_message({"fault": "disk-full"}, db_path))
    if fault is not None or isinstance(exc, ArchiveError):
        return CrawlFailed(str(fault or exc))
    return exc


def _crawl_locked(watch, db_path, job, overrides, timeout, progress=None):
    from crawler.config import resolve

    # (the archive is made here when no command checked it first: with these settings' layout)
    with Archive(db_path, neardup=NearDupSettings.from_settings(resolve(watch, overrides))) as archive:
        archive.interrupt_stale_runs()  # we hold the lock: any "running" run is dead
        run_id = archive.start_run(watch.name, job, [o.id for o in watch.outlets])
    child, parent_conn = _spawn(watch, db_path, job, overrides, run_id, progress)
    try:
        with Archive(db_path) as archive:
            archive.db["crawl_runs"].update(run_id, {"pid": child.pid})
    except (ArchiveError, sqlite3.Error) as exc:  # (only to tell a dead run: the crawl goes on)
        logging.getLogger(__name__).warning("run %s: process id not recorded (%s)", run_id, exc)
    result, in_time = _await(child, parent_conn, timeout, progress)
    if result is None:
        status = "interrupted" if child.pid in STOPPED else "failed" if in_time else "timed_out"
        with Archive(db_path) as archive:
            archive.finish_run(run_id, status, {})
        raise CrawlFailed(f"crawl {status.replace('_', ' ')} (run {run_id}, limit {timeout:.0f}s)")
    kind, payload = result
    if kind == "error":
        with Archive(db_path) as archive:
            archive.finish_run(run_id, "failed", {})
        raise CrawlFailed(f"crawl failed (run {run_id}): {payload}")
    if payload.get("redis_gone"):
        raise CrawlFailed(f"{payload['redis_gone']}: crawl stopped (run {run_id} recorded as interrupted; "
                          "the next crawl fetches what this one did not)")
    if payload.get("fault"):
        if not payload.get("recorded"):  # the crawl could not record its end: try from here
            try:
                with Archive(db_path) as archive:
                    archive.finish_run(run_id, "failed", payload)
                payload["recorded"] = True
            except (ArchiveError, sqlite3.Error, OSError):
                pass
        raise ArchiveFault(fault_message(payload, db_path, run_id), payload)
    return payload


def _spawn(watch, db_path, job, overrides, run_id, progress):
    ctx = multiprocessing.get_context("spawn")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(child_conn, watch, db_path, job, overrides, run_id,
                                              progress is not None),
                        name=f"newsmon-crawl-{job}")
    with _plain_main():
        child.start()
    RUNNING.add(child)
    child_conn.close()
    return child, parent_conn


def _await(child, parent_conn, timeout, progress):
    """(the child's last message or None, whether it came in time); the child is gone after."""
    result, in_time = None, False
    deadline = time.monotonic() + timeout
    try:
        while (left := deadline - time.monotonic()) > 0:
            if not parent_conn.poll(min(left, 1.0)):
                continue
            message = parent_conn.recv()
            if message[0] == "progress":
                progress(message[1])
                continue
            in_time, result = True, message
            break
    except EOFError:
        in_time, result = True, None
    finally:
        RUNNING.discard(child)
    child.join(5)
    if child.is_alive():
        child.terminate()
        child.join(5)
        if child.is_alive():
            os.kill(child.pid, 9)
            child.join()
    return result, in_time


def worker_in_child(watch: Watch, overrides: dict, timeout: float = 3600, progress=None) -> dict:
    """A worker of a distributed crawl (NEWSMON_REDIS_URL in ``overrides``) in a spawned
    child: no archive, no lock; it ends when the shared crawl has no work left."""
    overrides = {**overrides, "NEWSMON_REDIS_ROLE": "worker"}
    child, parent_conn = _spawn(watch, None, "worker", overrides, None, progress)
    result, in_time = _await(child, parent_conn, timeout, progress)
    if result is None:
        raise CrawlFailed("worker " + ("failed" if in_time else f"timed out (limit {timeout:.0f}s)"))
    kind, payload = result
    if kind == "error":
        raise CrawlFailed(f"worker failed: {payload}")
    if payload.get("redis_gone"):
        held = ("the next crawl fetches what this one did not" if "came back without" in payload["redis_gone"]
                else "the requests it held wait in Redis for the other crawlers, or the next crawl")
        raise CrawlFailed(f"{payload['redis_gone']}: worker stopped ({held})")
    return payload
