"""When crawls run: APScheduler jobs built from the watch file.

Outlets that share a crawl interval share one job, so a watch of many outlets is a
handful of jobs with stable ids ("crawl:<watch>:<seconds>s"). Every run is a child
process with a hard time limit (the Twisted reactor cannot restart), at most one
instance of a job runs at a time, late runs are coalesced, and a run missed by up to
half its interval still happens. A job is due an interval after its last run recorded in
the archive (at once when it never ran or is overdue), so starting or reloading the
scheduler never skips or delays a due crawl.

Run it in the foreground with ``newsmon schedule`` or ``python scheduler.py``.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawler.watch import Watch, load_watch

logger = logging.getLogger("newsmon.scheduler")

# A crawl may use at most this share of its interval before it is stopped.
CRAWL_TIME_SHARE = 0.9
# Hard ceiling on any one crawl, whatever the interval.
MAX_CRAWL_SECONDS = 4 * 3600


def outlet_groups(watch: Watch) -> dict[int, tuple[str, ...]]:
    """Interval in seconds -> ids of the outlets crawled that often."""
    groups: dict[int, list[str]] = {}
    for outlet in watch.outlets:
        groups.setdefault(outlet.interval or watch.interval, []).append(outlet.id)
    return {interval: tuple(ids) for interval, ids in sorted(groups.items())}


def job_id(watch: Watch, interval: int) -> str:
    return f"crawl:{watch.name}:{interval}s"


def due_times(watch: Watch, runs: dict[str, dict], now: datetime | None = None) -> dict[str, datetime]:
    """When each job is due: an interval after its last recorded start, or ``now`` when it
    never ran or is overdue. The scheduler and `newsmon status` both go by this."""
    now = now or datetime.now(timezone.utc)
    out = {}
    for interval in outlet_groups(watch):
        jid = job_id(watch, interval)
        try:
            last = datetime.fromisoformat(runs.get(jid, {}).get("started") or "")
        except ValueError:
            last = None
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=timezone.utc)
        out[jid] = max(last + timedelta(seconds=interval), now) if last else now
    return out


def next_runs(watch: Watch, runs: dict[str, dict]) -> dict[str, str]:
    """``due_times`` as text (for `newsmon status`, which reads the archive)."""
    return {jid: when.replace(microsecond=0).isoformat() for jid, when in due_times(watch, runs).items()}


def archived_runs(db_path: str | Path) -> dict[str, dict]:
    """The last run of every job recorded in the archive (none when there is no archive yet)."""
    from pipelines.archive import Archive, ArchiveError

    try:
        with Archive(db_path, create=False) as archive:
            return {r["job"]: r for r in archive.job_status()}
    except ArchiveError:
        return {}


def run_crawl_job(watch_path: str, outlet_ids: list[str], db_path: str, timeout: float,
                  overrides: dict | None = None) -> dict | None:
    """One scheduled crawl of some of a watch's outlets (the watch file is re-read each run);
    one line says how it went, whatever the end."""
    from crawler.run import CrawlFailed, crawl_in_child

    watch = load_watch(watch_path)
    outlets = tuple(o for o in watch.outlets if o.id in set(outlet_ids))
    interval = outlets[0].interval or watch.interval if outlets else watch.interval
    subset = replace(watch, outlets=outlets)
    jid = job_id(watch, interval)
    started = time.monotonic()
    try:
        summary = crawl_in_child(subset, db_path, job=jid, timeout=timeout, overrides=overrides)
    except CrawlFailed as exc:
        logger.warning("%s: %s", jid, exc)
        return None
    finally:
        send_alerts(watch, db_path)  # whatever the crawl's end: what it stored is told
    status = summary.get("status", "ok")
    line = (f"{jid}: {status}: {summary['pages']} pages, {summary['stories_new']} new stories, "
            f"{summary['revisions']} revisions, {summary['errors']} errors ({time.monotonic() - started:.0f} s)")
    (logger.info if status == "ok" else logger.warning)("%s", line)
    return summary


def send_alerts(watch: Watch, db_path: str) -> list[dict]:
    """Tell the watch's [[alert]] channels what is new; a channel that fails is logged (and
    shown by `newsmon status`) and its message waits for the next run, the crawl goes on."""
    from crawler.notify import send_due

    if not watch.alerts:
        return []
    try:
        return send_due(watch, db_path)
    except Exception as exc:  # noqa: BLE001 - alerts must not stop the crawling
        logger.error("alerts of %s not sent: %s", watch.name, exc)
        return []


def add_jobs(scheduler, watch: Watch, watch_path: str, db_path: str, runs: dict | None = None,
             overrides: dict | None = None) -> list[str]:
    """Add one job per interval group, due by the archive's last runs; a job already
    scheduled (a reload) keeps its next run time. Returns the job ids."""
    due = due_times(watch, archived_runs(db_path) if runs is None else runs)
    ids = []
    for interval, outlet_ids in outlet_groups(watch).items():
        jid = job_id(watch, interval)
        args = [str(watch_path), list(outlet_ids), str(db_path), min(interval * CRAWL_TIME_SHARE, MAX_CRAWL_SECONDS),
                dict(overrides or {})]
        name = f"{watch.name}: {len(outlet_ids)} outlets every {interval}s"
        if scheduler.get_job(jid) is not None:
            scheduler.modify_job(jid, args=args, name=name)
        else:
            scheduler.add_job(
                "scheduler:run_crawl_job", trigger=IntervalTrigger(seconds=interval, start_date=due[jid]),
                next_run_time=due[jid], id=jid, name=name, args=args,
                max_instances=1, coalesce=True, misfire_grace_time=max(interval // 2, 60))
        ids.append(jid)
    return ids


def _on_event(event):
    if event.code == EVENT_JOB_MISSED:
        logger.warning("job %s missed its run at %s", event.job_id, event.scheduled_run_time)
    elif event.exception is not None:
        logger.error("job %s failed: %s", event.job_id, event.exception)


def build_scheduler(watch_path: str | Path, db_path: str | Path, scheduler=None, overrides: dict | None = None):
    """A scheduler (blocking unless one is given) holding the watch's crawl jobs."""
    watch = load_watch(watch_path)
    scheduler = scheduler or BlockingScheduler(timezone="UTC")
    add_jobs(scheduler, watch, str(watch_path), str(db_path), overrides=overrides)
    scheduler.add_listener(_on_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def reload_jobs(scheduler, watch_path: str, db_path: str, overrides: dict | None = None) -> list[str]:
    """Rebuild the jobs from the watch file (on SIGHUP): changed intervals and outlets take
    effect, jobs of intervals no longer used go."""
    watch = load_watch(watch_path)
    ids = add_jobs(scheduler, watch, str(watch_path), str(db_path), overrides=overrides)
    for job in scheduler.get_jobs():
        if job.id.startswith("crawl:") and job.id not in ids:
            job.remove()
    return ids


def main(watch_path: str = "data/watch.toml", db_path: str = "data/archive.db", quiet: bool = False,
         overrides: dict | None = None) -> int:
    """``overrides``: settings from the command line (-s), for every run."""
    from crawler.run import stop_running_crawls
    from crawler.watch import WatchError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # One line per run at the default level (-q: only problems); APScheduler's own "executed
    # successfully" would say so of an interrupted crawl too, so its info lines stay out.
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    scheduler = build_scheduler(watch_path, db_path, overrides=overrides)

    def stop(signum, _frame):
        # The running crawl stops cleanly (its run is recorded as interrupted), then we go.
        logger.info("signal %d: stopping the running crawl and the scheduler", signum)
        stop_running_crawls()
        try:
            scheduler.shutdown(wait=True)
        except SchedulerNotRunningError:  # still starting (sending what a killed run left)
            raise SystemExit(0) from None

    def reload(_signum, _frame):
        try:
            logger.info("SIGHUP: jobs reloaded from %s: %s", watch_path,
                        ", ".join(reload_jobs(scheduler, watch_path, db_path, overrides)))
        except WatchError as exc:
            logger.error("SIGHUP: watch file not reloaded: %s", exc)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGHUP, reload)
    now = datetime.now(timezone.utc)
    for job in scheduler.get_jobs():
        when = job.next_run_time
        logger.info("%s (%s): next run %s", job.id, job.name,
                    "now" if when is None or when <= now + timedelta(seconds=1) else when.isoformat(timespec="seconds"))
    # A message a killed scheduler left unsent goes now, not an interval later.
    send_alerts(load_watch(watch_path), db_path)
    scheduler.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
