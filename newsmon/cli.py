"""The ``newsmon`` command: thin commands over the archive, the crawler and the demo."""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import sys
import textwrap
from pathlib import Path

import click
from tabulate import tabulate

from crawler.watch import WatchError, load_watch
from newsmon.report import number_text
from pipelines.archive import Archive, ArchiveError

DEFAULT_DB = "data/archive.db"
DEFAULT_WATCH = "data/watch.toml"
REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def db_option(fn):
    return click.option("--db", "db_path", envvar="NEWSMON_DB", default=DEFAULT_DB,
                        show_default=True, type=click.Path(dir_okay=False),
                        help="Archive file (or set NEWSMON_DB).")(fn)


def output_options(fn):
    """--table (default), --json, --nl, --csv: declared once, as in sqlite-utils."""
    @click.option("--json", "fmt", flag_value="json", help="Output a JSON array.")
    @click.option("--nl", "fmt", flag_value="nl", help="Output newline-delimited JSON.")
    @click.option("--csv", "fmt", flag_value="csv", help="Output CSV.")
    @click.option("--table", "fmt", flag_value="table", default=True, help="Output a table (default).")
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def emit(rows: list[dict], fmt: str, columns: list[str] | None = None, widths: dict | None = None):
    columns = columns or (list(rows[0]) if rows else [])
    rows = [{c: r.get(c) for c in columns} for r in rows]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "nl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in row.items()})
        click.echo(out.getvalue(), nl=False)
    else:
        if not rows:
            click.echo("(nothing found)")
            return
        shown = []
        for row in rows:
            cells = {}
            for k, v in row.items():
                v = ", ".join(v) if isinstance(v, list) else v
                if k == "published" and isinstance(v, str):
                    v = v[:16].replace("T", " ")  # minutes are enough on screen
                limit = (widths or {}).get(k)
                if limit and isinstance(v, str) and len(v) > limit:
                    v = v[: limit - 1] + "…"
                cells[k] = v
            shown.append(cells)
        click.echo(tabulate(shown, headers="keys"))


def open_archive(db_path: str) -> Archive:
    try:
        return Archive(db_path, create=False)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


@click.group()
@click.version_option(package_name="newsmon")
@click.option("-v", "--verbose", count=True, help="More log messages (-v info, -vv debug).")
@click.option("-q", "--quiet", count=True, help="Fewer: errors only, and no progress lines.")
def cli(verbose, quiet):
    """newsmon: follow how a news story is covered.

    Crawl news outlets, clean every page, keep one copy of every story in a
    SQLite archive and query it. Start with `newsmon demo`.
    """
    from newsmon import progress

    progress.VERBOSITY = verbose - quiet
    level = LOG_LEVELS[max(0, min(len(LOG_LEVELS) - 1, 2 - verbose + quiet))]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    # Crawls run in a child process: they take the level through Scrapy's setting.
    CRAWL_OVERRIDES.clear()
    if verbose or quiet:
        CRAWL_OVERRIDES["LOG_LEVEL"] = level


CRAWL_OVERRIDES: dict = {}


def crawl_progress(label: str):
    """A progress line fed by a crawl child's counts; closed by the caller."""
    from newsmon.progress import Progress

    bar = Progress(label)
    return bar, (lambda counts: bar.update(done=counts.pop("pages"), **counts))


def crawl_done(bar, summary: dict):
    """The progress line's last state: the crawl's final counts (stories are written in batches)."""
    bar.update(done=summary["pages"], requests=summary["requests"], stories=summary["stories_new"],
               errors=summary["errors"])


def note(message: str):
    """A line for the person at the terminal, on standard error; -q silences it."""
    from newsmon import progress

    if progress.VERBOSITY >= 0:
        click.echo(message, err=True)


@cli.command()
@db_option
@click.option("--timeout", default=300, show_default=True, help="Seconds each demo crawl may take.")
def demo(db_path, timeout):
    """Serve the bundled demo news web on 127.0.0.1 and run the whole pipeline on it.

    Crawls the demo web twice: the second time one article has been updated and
    nothing already archived is added again.

    Example: newsmon demo --db /tmp/demo.db
    """
    from crawler.run import CrawlFailed, crawl_in_child
    from newsmon.demo import DemoWeb

    web = DemoWeb()
    with web:
        ports = sorted(int(o.base_url.rsplit(":", 1)[1].rstrip("/")) for o in web.outlets.values())
        click.echo(f"Demo news web: {len(web.outlets)} outlets, "
                   f"{sum(len(o.articles) for o in web.outlets.values())} articles, "
                   f"serving on 127.0.0.1 (ports {', '.join(map(str, ports))})")
        # The demo watches its own web with the default watch's topic and source.
        watch = web.watch(source_path=REPO_DATA / "sources" / "mps-not-border-guards.txt",
                          source_ref=DEMO_SOURCE_PAGE, topic=load_watch(REPO_DATA / "watch.toml").topic)
        for edition, label in ((1, "first crawl"), (2, "second crawl, one article since updated")):
            web.edition = edition
            bar, progress = crawl_progress(f"Crawling ({label}): pages")
            try:
                with bar:
                    summary = crawl_in_child(watch, db_path, job=f"demo-{edition}", timeout=timeout,
                                             overrides=CRAWL_OVERRIDES, progress=progress)
                    crawl_done(bar, summary)
            except CrawlFailed as exc:
                raise click.ClickException(str(exc)) from None
            click.echo(f"\n{label.capitalize()}:")
            click.echo(format_summary(summary))
        disallowed = [p for o, p in web.requests
                      if any(p.startswith(d) for d in web.outlets[o].config.get("disallow", []))]
        web.edition = 1
        discovery = demo_discovery(web, db_path, timeout)
    with Archive(db_path) as archive:
        counts = archive.counts()
        hits = archive.search('"border guards"', limit=5)
        conflict_story = next(archive.db.query(
            "select story_id from conflicting_facts order by story_id limit 1"), {"story_id": 1})["story_id"]
        most_urls = next(archive.db.query(
            "select story_id, count(*) n from story_urls group by story_id order by n desc, story_id limit 1"),
            {"story_id": 1})["story_id"]
    click.echo(f"\nArchive {db_path}: {counts['stories']} stories under {counts['story_urls']} URLs"
               f" ({counts['stories_with_urls']} stories seen under several URLs), "
               f"{counts['stories_revised']} edited since first seen, "
               f"{counts['crawl_runs']} crawl runs recorded.")
    click.echo(f"robots.txt-disallowed pages requested: {len(disallowed)}")
    click.echo("Stories by label: " + ", ".join(f"{k} {v}" for k, v in sorted(counts["labels"].items())))
    with Archive(db_path) as archive:
        conflicts = archive.db.execute("select count(*) from conflicting_facts").fetchone()[0]
    click.echo(f"Figures that conflict with the source: {conflicts} (view conflicting_facts)")
    from newsmon.report import build_report

    report_path = Path(db_path).with_name(Path(db_path).stem + "-report.html")
    with Archive(db_path) as archive:
        report_path.write_text(build_report(archive), encoding="utf-8")
    click.echo(f"Coverage report (open in a browser; no network needed): {report_path}")
    click.echo(discovery)
    click.echo('\nTop stories for "border guards":')
    for hit in hits:
        click.echo(f"  {hit['id']:>4}  {hit['outlet']:<16} {hit['title'][:80]}")
    # Show the commands as this one was run (e.g. .venv/bin/newsmon), so they work when pasted.
    prog = sys.argv[0] if sys.argv and sys.argv[0].endswith("newsmon") else "newsmon"
    bindir = str(Path(prog).parent) + "/" if "/" in prog else ""
    click.echo("\nTry:\n"
               f"  {prog} search \"border guards\" --db {db_path}\n"
               f"  {prog} stories --label same_story --db {db_path}\n"
               f"  {prog} compare {conflict_story} --db {db_path}\n"
               f"  {prog} show {most_urls} --db {db_path}\n"
               f"  {prog} outlets --db {db_path}\n"
               f"  {prog} report --html report.html --db {db_path}\n"
               f"  {bindir}sqlite-utils tables {db_path} --counts")


DEMO_SOURCE_PAGE = "frontier-report/charities-tell-mps-stop-reporting-immigration-crime"


def demo_discovery(web, db_path: str, timeout: float) -> str:
    """The demo's third act: a watch of the source alone (no outlets), searching local
    stand-ins for GDELT and Google News, following links, then backfilling from a local
    Wayback Machine, into an archive of its own. Returns the lines to show."""
    from datetime import datetime, timezone

    from crawler.run import CrawlFailed, crawl_in_child
    from crawler.watch import Source, Watch
    from newsmon.searchweb import SearchWeb, demo_documents

    disc_db = str(Path(db_path).with_name(Path(db_path).stem + "-discovery.db"))
    for stale in (disc_db, disc_db + "-wal", disc_db + "-shm"):
        Path(stale).unlink(missing_ok=True)
    same = {a.version(1)[0]["title"] for o in web.outlets.values() for a in o.articles
            if not a.meta.get("private") and a.meta["label"] == "same_story"}
    # The stand-in services pretend it is December 2018, six weeks after the source.
    with SearchWeb(demo_documents(web), today=datetime(2018, 12, 1, tzinfo=timezone.utc)) as sw:
        source = Source(id="mps-not-border-guards", path=REPO_DATA / "sources" / "mps-not-border-guards.txt",
                        url=web.url(DEMO_SOURCE_PAGE), published="2018-10-19")
        crawl = {"NEWSMON_ALLOW_PRIVATE_ADDRESSES": True, "DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False,
                 "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "NEWSMON_SEARCH": ["gdelt", "google-news"],
                 "NEWSMON_GDELT_URL": sw.gdelt_url, "NEWSMON_GOOGLE_NEWS_URL": sw.google_news_url,
                 "NEWSMON_WAYBACK_CDX_URL": sw.cdx_url, "NEWSMON_WAYBACK_URL": sw.wayback_url,
                 "NEWSMON_GDELT_WINDOW_DAYS": 10000,  # its own window is relative to its pretend day
                 "NEWSMON_GDELT_DELAY": 0.0, "NEWSMON_GOOGLE_NEWS_DELAY": 0.0, "NEWSMON_WAYBACK_DELAY": 0.0}
        watch = Watch(name="demo-source-only", path=None, sources=(source,), outlets=(), crawl=crawl,
                      topic=load_watch(REPO_DATA / "watch.toml").topic)
        try:
            bar, progress = crawl_progress("Searching from the source alone: pages")
            with bar:
                searched = crawl_in_child(watch, disc_db, job="demo-search", timeout=timeout,
                                          overrides=CRAWL_OVERRIDES, progress=progress)
                crawl_done(bar, searched)
            bar, progress = crawl_progress("Backfilling from the (local) Wayback Machine: pages")
            with bar:
                backfilled = crawl_in_child(watch, disc_db, job="demo-backfill", timeout=timeout,
                                            overrides={**CRAWL_OVERRIDES, "NEWSMON_BACKFILL": {
                                                "since": "20181012", "until": "20181118"}}, progress=progress)
                crawl_done(bar, backfilled)
        except CrawlFailed as exc:
            raise click.ClickException(str(exc)) from None
    with Archive(disc_db) as archive:
        titles = {r["title"] for r in archive.db.query("select title from stories")}
        via = {r["discovered_via"]: r["n"] for r in archive.db.query(
            "select discovered_via, count(*) as n from story_urls group by 1")}
    s = searched["search"]
    return "\n".join([
        "\nFrom the source alone (a watch with no outlets; local GDELT, Google News and Wayback stand-ins):",
        f"  search:    {s.get('gdelt-requests', 0)} GDELT and {s.get('google-news-requests', 0)} Google News "
        f"requests gave {s.get('gdelt-results', 0) + s.get('google-news-results', 0)} results",
        f"  backfill:  {backfilled['backfill'].get('captures', 0)} captures listed, "
        f"{backfilled['backfill'].get('matching', 0)} with the source's terms in their URL, "
        f"{backfilled['stories_new']} new stories",
        f"  found {len(titles & same)} of the {len(same)} same-story articles, {len(titles)} stories in all; "
        "URLs by how they were found: " + ", ".join(f"{k} {v}" for k, v in sorted(via.items())),
        f"  archive: {disc_db}"])


def format_summary(s: dict) -> str:
    lines = [f"  pages fetched:             {s['pages']} (of {s['requests']} requests; "
             f"{s.get('rechecked', 0)} archived pages rechecked, "
             f"{s.get('listings_unchanged', 0)} feeds/sitemaps unchanged)",
             f"  new stories stored:        {s['stories_new']}",
             f"  copies of stories at other outlets: {s.get('copies', 0)}",
             f"  URLs merged into stories:  {s['urls_merged']}",
             f"  revisions of known stories:{s['revisions']:>2}",
             f"  unchanged known pages:     {s['unchanged']}"]
    if s.get("labels"):
        lines.append("  pages labelled:            " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["labels"].items())))
    if s["dropped"]:
        lines.append("  pages dropped:             " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["dropped"].items())))
    if s.get("skipped"):
        lines.append("  URLs skipped:              " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["skipped"].items())))
    if s.get("retried"):
        lines.append(f"  requests retried:          {s['retried']} (busy or failing servers; Retry-After honoured)")
    lines.append(f"  errors:                    {s['errors']}" + (
        " (" + ", ".join(f"{k} {v}" for k, v in sorted(s["error_kinds"].items())) + ")"
        if s.get("error_kinds") else ""))
    return "\n".join(lines)


@cli.command()
@db_option
@click.option("--watch", "watch_path", default=DEFAULT_WATCH, show_default=True,
              type=click.Path(dir_okay=False), help="Watch file (TOML).")
@click.option("--timeout", default=3600, show_default=True, help="Hard limit for the crawl, in seconds.")
@click.option("--redis", "redis_url", metavar="URL",
              help="Distributed mode: the shared queue in this Redis (or redis = \"...\" in the watch).")
@click.option("--worker", is_flag=True,
              help="With --redis: only work on the shared queue (no archive needed on this machine).")
def crawl(db_path, watch_path, timeout, redis_url, worker):
    """Crawl every outlet of the watch file once, now.

    With --redis URL the crawl is shared: this command (next to the archive) puts the
    watch's work in the queue and works on it; `newsmon crawl --redis URL --worker` on any
    machine helps; `newsmon store --from-redis URL` writes the results to the archive.

    Example: newsmon crawl --watch data/watch.toml
    """
    from crawler.run import CrawlFailed, crawl_in_child, worker_in_child

    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    overrides = dict(CRAWL_OVERRIDES)
    redis_url = redis_url or watch.crawl.get("NEWSMON_REDIS_URL")
    if worker and not redis_url:
        raise click.UsageError("--worker needs --redis URL (the shared queue)")
    if redis_url:
        from crawler.distributed import check_redis

        try:
            check_redis(redis_url)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        overrides["NEWSMON_REDIS_URL"] = redis_url
    if worker:
        click.echo(f"Working on the shared crawl of watch {watch.name!r} at {redis_url} ...")
    else:
        click.echo(f"Crawling {len(watch.outlets)} outlets of watch {watch.name!r} into "
                   + (f"{redis_url} (for `newsmon store --from-redis`)" if redis_url else db_path) + " ...")
    bar, progress = crawl_progress("pages fetched")
    try:
        with bar:
            if worker:
                summary = worker_in_child(watch, overrides, timeout=timeout, progress=progress)
            else:
                summary = crawl_in_child(watch, db_path, job="manual", timeout=timeout,
                                         overrides=overrides, progress=progress)
            crawl_done(bar, summary)
    except CrawlFailed as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(format_summary(summary))


@cli.command()
@db_option
@click.option("--from-redis", "redis_url", metavar="URL", required=True,
              help="The Redis of a distributed crawl, whose results to write.")
@click.option("--watch", "watch_path", default=DEFAULT_WATCH, show_default=True,
              type=click.Path(dir_okay=False), help="Watch file (its name keys the crawl in Redis).")
@click.option("--until-idle", type=float, metavar="SECONDS",
              help="Stop once nothing has come for this long and no crawler is alive (default: run until Ctrl-C).")
def store(db_path, redis_url, watch_path, until_idle):
    """Write a distributed crawl's results into the archive (the one writer).

    Each batch is one transaction, acknowledged in Redis only once committed: stopping the
    writer loses nothing.

    Example: newsmon store --from-redis redis://10.0.0.5:6379/0
    """
    from crawler.distributed import Writer, check_redis, connect

    try:
        watch = load_watch(watch_path)
        check_redis(redis_url)
    except (WatchError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    from newsmon.progress import Progress

    with Archive(db_path) as archive:
        archive.sync_watch(watch)
        writer = Writer(connect(redis_url), watch.name, archive)
        try:
            with Progress("Writing: pages") as bar:
                counts = writer.run(until_idle=until_idle, progress=lambda c: bar.update(
                    done=c.get("pages", 0), stored=c.get("stories_new", 0)))
        except KeyboardInterrupt:
            counts = writer.counts
    click.echo("Written: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing"))


def _day(value: str | None, option: str):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


def backfill_range(watch, since, until, days_before: int, days_after: int):
    """The days to backfill: as given, else around the watch's sources' publication."""
    from datetime import date, timedelta

    days = sorted(date.fromisoformat(s.published[:10]) for s in watch.sources
                  if s.published and len(s.published) >= 10 and s.published[:4].isdigit())
    start = since or (days[0] - timedelta(days=days_before) if days else None)
    end = until or (days[-1] + timedelta(days=days_after) if days else None)
    if start is None or end is None:
        raise click.UsageError("no source in the watch has a publication date: give --since and --until")
    if start > end:
        raise click.BadParameter(f"{start} is after {end}", param_hint="--since")
    return start, end


@cli.command()
@db_option
@click.option("--watch", "watch_path", default=DEFAULT_WATCH, show_default=True,
              type=click.Path(dir_okay=False), help="Watch file (TOML).")
@click.option("--since", help="First day (YYYY-MM-DD); default: a week before the source.")
@click.option("--until", help="Last day (YYYY-MM-DD); default: 30 days after the source.")
@click.option("--timeout", default=3600, show_default=True, help="Hard limit, in seconds.")
def backfill(db_path, watch_path, since, until, timeout):
    """Find past coverage in the Wayback Machine.

    Asks its CDX index for pages of the watched outlets (and of the sites whose stories
    are archived already) captured in the date range, keeps those whose URL carries the
    source's key terms, and fetches the captures through the same pipeline, archived
    under their original URLs.

    Example: newsmon backfill --since 2018-10-12 --until 2018-11-18
    """
    from crawler import settings
    from crawler.run import CrawlFailed, crawl_in_child

    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    start, end = backfill_range(watch, _day(since, "--since"), _day(until, "--until"),
                                watch.crawl.get("NEWSMON_SEARCH_DAYS_BEFORE", settings.NEWSMON_SEARCH_DAYS_BEFORE),
                                watch.crawl.get("NEWSMON_SEARCH_DAYS_AFTER", settings.NEWSMON_SEARCH_DAYS_AFTER))
    click.echo(f"Backfilling {start} to {end} from the Wayback Machine into {db_path} ...")
    bar, progress = crawl_progress("captures fetched")
    overrides = {**CRAWL_OVERRIDES, "NEWSMON_BACKFILL": {"since": start.strftime("%Y%m%d"),
                                                         "until": end.strftime("%Y%m%d")}}
    try:
        with bar:
            summary = crawl_in_child(watch, db_path, job="backfill", timeout=timeout, overrides=overrides,
                                     progress=progress)
            crawl_done(bar, summary)
    except CrawlFailed as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"  captures listed:           {summary.get('backfill', {}).get('captures', 0)} "
               f"({summary.get('backfill', {}).get('matching', 0)} with the source's terms in their URL)")
    click.echo(format_summary(summary))


@cli.command()
@db_option
@click.option("--watch", "watch_path", default=DEFAULT_WATCH, show_default=True,
              type=click.Path(dir_okay=False), help="Watch file (TOML).")
def schedule(db_path, watch_path):
    """Crawl in the foreground on the intervals of the watch file (Ctrl-C stops).

    Example: newsmon schedule --watch data/watch.toml
    """
    import scheduler

    try:
        load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(scheduler.main(watch_path, db_path))


@cli.command()
@db_option
@click.option("--watch", "watch_path", default=DEFAULT_WATCH, show_default=True,
              type=click.Path(dir_okay=False), help="Watch file whose jobs to show.")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
def status(db_path, watch_path, as_json):
    """Crawl jobs: next run, last run and its counts; feeds and sitemaps that are failing.

    Example: newsmon status --json
    """
    import scheduler

    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    with open_archive(db_path) as archive:
        runs = {r["job"]: r for r in archive.job_status()}
        failing = archive.failing_listings()
    jobs = []
    upcoming = scheduler.next_runs(watch, runs)
    for interval, outlet_ids in scheduler.outlet_groups(watch).items():
        jid = scheduler.job_id(watch, interval)
        last = runs.get(jid)
        jobs.append({"job": jid, "every_seconds": interval, "outlets": list(outlet_ids),
                     "next_run": upcoming[jid], "last_run": last})
    other = [r for j, r in runs.items() if j not in upcoming]
    if as_json:
        click.echo(json.dumps({"jobs": jobs, "other_runs": other, "failing": failing}, indent=2))
        return
    for job in jobs:
        click.echo(click.style(job["job"], bold=True) + f"  ({len(job['outlets'])} outlets, every "
                   f"{job['every_seconds'] // 60} min)  next: {job['next_run']}")
        click.echo("  last: " + _run_line(job["last_run"]))
    for run in other:
        click.echo(click.style(run["job"], bold=True) + "  last: " + _run_line(run))
    click.echo(f"\nFailing feeds and sitemaps: {len(failing) or 'none'}")
    for row in failing:
        click.echo(f"  {row['url']}  ({row['failures']} failures in a row, last: {row['last_error']})")


def _run_line(run: dict | None) -> str:
    if not run:
        return "never"
    dropped = json.loads(run["dropped"] or "{}")
    return (f"{run['started']} {run['status']}: {run['pages'] or 0} pages, {run['stories_new'] or 0} new "
            f"stories, {run['urls_merged'] or 0} URLs merged, {run['revisions'] or 0} revisions, "
            f"{sum(dropped.values())} dropped, {run['errors'] or 0} errors")


@cli.command()
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@click.option("--url", "page_url", help="The page's URL, when TARGET is a saved file.")
def extract(target, as_json, page_url):
    """Show what the clean stage makes of one page (a saved HTML file or a URL).

    Example: newsmon extract saved-page.html --json
    """
    from pipelines.clean import NotAnArticle, clean_page
    from pipelines.fetch import FetchError, fetch_page, read_page

    try:
        if target.startswith(("http://", "https://")):
            html_text, url = fetch_page(target)
        else:
            html_text, url = read_page(target), page_url or Path(target).resolve().as_uri()
    except FetchError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        article = clean_page(html_text, url)
    except NotAnArticle as exc:
        raise click.ClickException(f"{target}: not an article ({exc})") from None
    if as_json:
        click.echo(json.dumps(article, indent=2, ensure_ascii=False))
        return
    for key in ("title", "authors", "published", "date_source", "modified", "language",
                "sitename", "canonical_url", "section", "word_count"):
        value = article[key]
        click.echo(f"{key + ':':<15}{', '.join(value) if isinstance(value, list) else value}")
    click.echo("\n" + article["text"])


def check_date(value: str | None, option: str):
    if value:
        from datetime import date
        try:
            date.fromisoformat(value)
        except ValueError:
            raise click.ClickException(f"{option} {value!r} is not a date like 2018-10-19") from None


@cli.command()
@click.argument("query")
@db_option
@click.option("--limit", default=20, show_default=True)
@click.option("--literal", is_flag=True, help="Search the words as typed, ignoring FTS5 syntax.")
@click.option("--outlet", help="Only this outlet (its id).")
@click.option("--label", type=click.Choice(["same_story", "related", "unrelated"]), help="Only this label.")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--source", help="Only stories closest to this source (its id).")
@output_options
def search(query, db_path, limit, literal, outlet, label, since, until, source, fmt):
    """Full-text search of stories (FTS5: phrases in quotes, AND/OR/NOT, prefix*), best first.

    Example: newsmon search '"border guards"' --label same_story --since 2018-10-19
    """
    check_date(since, "--since")
    check_date(until, "--until")
    with open_archive(db_path) as archive:
        try:
            rows = archive.search(query, limit=limit, literal=literal, outlet=outlet, label=label,
                                  since=since, until=until, source=source)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    emit(rows, fmt, ["id", "published", "outlet", "label", "title", "snippet"]
         + (["url"] if fmt != "table" else []), widths={"title": 60, "snippet": 90})


@cli.command()
@db_option
@output_options
def outlets(db_path, fmt):
    """Coverage per outlet: stories, same-story and related, first and latest publication.

    Example: newsmon outlets --csv
    """
    with open_archive(db_path) as archive:
        rows = archive.outlets_coverage()
    emit(rows, fmt, ["outlet", "outlet_name", "stories", "same_story", "related", "first_published",
                     "latest_published"])


@cli.command()
@db_option
@click.option("--source", help="Only stories closest to this source (its id).")
@output_options
def timeline(db_path, source, fmt):
    """Stories per publication day and label.

    Example: newsmon timeline --json
    """
    with open_archive(db_path) as archive:
        rows = archive.timeline(source)
    emit(rows, fmt, ["day", "label", "stories"])


@cli.command()
@click.argument("output", type=click.Path(dir_okay=False, allow_dash=True))
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "ndjson"]), default=None,
              help="Default: from the file's extension (.csv, .json, .ndjson/.jsonl).")
def export(output, db_path, fmt):
    """Write every story with its comparisons to a file (or - for standard output).

    Example: newsmon export stories.csv
    """
    fmt = fmt or {".csv": "csv", ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson"}.get(
        Path(output).suffix.lower())
    if fmt is None:
        raise click.ClickException(f"cannot tell the format of {output!r}: pass --format csv, json or ndjson")
    from newsmon.progress import Progress

    with open_archive(db_path) as archive:
        total = archive.db["stories"].count
        handle = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
        written = 0
        try:
            with Progress("Exporting stories", total=total) as bar:
                rows = archive.export_rows()  # a generator: one story in memory at a time
                if fmt == "json":
                    handle.write("[")
                for row in rows:
                    if fmt == "json":
                        handle.write(("," if written else "") + "\n" + json.dumps(row, ensure_ascii=False))
                    elif fmt == "ndjson":
                        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                    else:
                        if not written:
                            writer = csv.DictWriter(handle, fieldnames=[c for c in row if c != "text"],
                                                    extrasaction="ignore")
                            writer.writeheader()
                        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict))
                                         else v for k, v in row.items()})
                    written += 1
                    bar.update(1)
                if fmt == "json":
                    handle.write("\n]\n" if written else "]\n")
                elif fmt == "csv" and not written:
                    handle.write("id\r\n")
        finally:
            if handle is not sys.stdout:
                handle.close()
    if output != "-":
        note(f"{written} stories written to {output} ({fmt})")


@cli.command()
@db_option
@click.option("--html", "html_path", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the page here (- for standard output).")
@click.option("--source", "source_id", help="Only the coverage of this source (its id; default: the only one).")
def report(db_path, html_path, source_id):
    """Write a self-contained HTML page of the coverage: a timeline chart, the outlets,
    each same-story article against the source (figures, quotes, framing) and the
    syndicated copies. It needs no network to open.

    Example: newsmon report --html report.html
    """
    from newsmon.report import build_report

    with open_archive(db_path) as archive:
        try:
            page = build_report(archive, source_id)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    if html_path == "-":
        click.echo(page)
        return
    Path(html_path).write_text(page, encoding="utf-8")
    note(f"Report written to {html_path} ({len(page) // 1024} KB); open it in any browser")


@cli.command()
@db_option
@click.option("--outlet", help="Only this outlet (its id).")
@click.option("--since", help="Only stories published since this date (YYYY-MM-DD).")
@click.option("--label", type=click.Choice(["same_story", "related", "unrelated"]),
              help="Only stories with this relevance label.")
@click.option("--copies", is_flag=True, help="List groups of copies (one article at several outlets) instead.")
@click.option("--limit", default=50, show_default=True, help="At most this many (0: all).")
@output_options
def stories(db_path, outlet, since, label, copies, limit, fmt):
    """List stories, newest first.

    Example: newsmon stories --outlet daily-courier --csv
    """
    check_date(since, "--since")
    if copies:
        with open_archive(db_path) as archive:
            rows = archive.copy_groups(limit=limit or None)
        emit(rows, fmt, ["group_id", "copies", "first_published", "outlets", "title"],
             widths={"title": 60, "outlets": 80})
        return
    with open_archive(db_path) as archive:
        rows = archive.stories(limit=limit or None, outlet=outlet, since=since, label=label)
    emit(rows, fmt, ["id", "published", "outlet", "label", "title", "urls", "revisions"]
         + (["authors", "url"] if fmt != "table" else []), widths={"title": 70})


@cli.command()
@click.argument("story_id", type=int)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
def show(story_id, db_path, as_json):
    """Show one story: metadata, every URL it was seen under, revisions, text.

    Example: newsmon show 12
    """
    with open_archive(db_path) as archive:
        try:
            story = archive.story(story_id)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(story, indent=2, ensure_ascii=False))
        return
    click.echo(click.style(story["title"] or "(untitled)", bold=True))
    click.echo(f"{story['outlet']} · {story['published'] or 'date unknown'}"
               f" (date from {story['date_source'] or '-'}) · {', '.join(story['authors']) or 'no byline'}")
    click.echo(f"story {story['id']} · {story['word_count']} words · language {story['language'] or '?'}"
               f" · revision {story['revision']}")
    click.echo("\nURLs:")
    for u in story["urls"]:
        click.echo(f"  {u['url']}  (via {u['discovered_via']}, first seen {u['first_seen']})")
    if story["copies"]:
        click.echo(f"\nCopies at other outlets (group {story['copy_group']}):")
        for c in story["copies"]:
            click.echo(f"  {c['id']:>5}  {c['outlet']:<18} {c['published'] or '-':<26} {c['title']}")
    if len(story["revisions"]) > 1:
        click.echo("\nRevisions:")
        for r in story["revisions"]:
            click.echo(f"  {r['revision']}: fetched {r['fetched_at']}, modified {r['modified'] or '-'}")
            if r["diff"]:
                click.echo(textwrap.indent(r["diff"], "      "))
    click.echo("")
    for paragraph in story["text"].splitlines():
        click.echo(textwrap.fill(paragraph, 100) + "\n")


@cli.group()
def sources():
    """Source articles: the stories every crawled or ingested page is compared with."""


@sources.command("add")
@click.argument("target")
@db_option
@click.option("--id", "source_id", help="Short id (default: from the title).")
@click.option("--title", help="Title, when the file does not start with it.")
@click.option("--published", help="Publication date (YYYY-MM-DD), when the page does not say.")
def sources_add(target, db_path, source_id, title, published):
    """Add a source from a saved file (HTML or text) or a URL, and profile it.

    Example: newsmon sources add data/sources/mps-not-border-guards.txt --published 2018-10-19
    """
    from crawler.watch import Source
    from pipelines.fetch import FetchError, fetch_page
    from pipelines.sources import SourceError, slug, source_row

    html = None
    try:
        if target.startswith(("http://", "https://")):
            html, _url = fetch_page(target)
            source = Source(id=source_id or "pending", url=target, title=title, published=published)
        else:
            path = Path(target)
            if not path.is_file():
                raise click.ClickException(f"{target}: no such file")
            source = Source(id=source_id or "pending", path=path.resolve(), title=title, published=published)
        row = source_row(source, html=html)
    except (FetchError, SourceError) as exc:
        raise click.ClickException(str(exc)) from None
    if not source_id:
        row["id"] = slug(row["title"] or Path(target).stem)
    with Archive(db_path) as archive:
        archive.add_source(row)
    profile = row["profile"]
    click.echo(f"Source {row['id']!r}: {row['title'] or '(no title)'} ({row['published'] or 'date unknown'})")
    click.echo(f"  key terms: {', '.join(list(profile['terms'])[:12])}")
    click.echo(f"  people: {', '.join(profile['people']) or '-'}")
    click.echo(f"  organisations: {', '.join(profile['organisations']) or '-'}")
    click.echo("  figures: " + ("; ".join(f"{f['text']}" for f in profile["facts"]) or "-"))
    click.echo(f"  quotes: {len(profile['quotes'])}")


@sources.command("show")
@click.argument("source_id")
@db_option
@click.option("--watch", "watch_path", default=DEFAULT_WATCH, show_default=True,
              type=click.Path(dir_okay=False), help="Watch file, for queries it sets itself.")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
def sources_show(source_id, db_path, watch_path, as_json):
    """One source: its profile and the search queries built from it.

    Example: newsmon sources show mps-not-border-guards
    """
    from crawler.spiders.discovery import watch_sources
    from pipelines import queries

    with open_archive(db_path) as archive:
        profiles = {row["id"]: row for row in archive.source_profiles()}
        row = next((r for r in archive.sources() if r["id"] == source_id), None)
    if row is None or source_id not in profiles:
        known = ", ".join(sorted(profiles)) or "none yet"
        raise click.ClickException(f"no source {source_id!r} in {db_path} (sources: {known})")
    profile = profiles[source_id]["profile"]
    try:
        watch = load_watch(watch_path)
        own = next((s for s in watch.sources if s.id == source_id and s.queries), None)
    except WatchError:
        watch, own = None, None
    if own:
        found = watch_sources(watch, profiles)
        qs, origin = next(s["queries"] for s in found if s["id"] == source_id), f"from {watch_path}"
    else:
        qs, origin = queries.source_queries(profile, profiles[source_id]["text"] or ""), "built from the source"
    if as_json:
        click.echo(json.dumps({**row, "queries": [queries.show(q) for q in qs], "queries_from": origin,
                               "key_terms": list(profile["terms"])[:20], "people": profile["people"],
                               "organisations": profile["organisations"],
                               "figures": [f["text"] for f in profile["facts"]], "quotes": profile["quotes"]},
                              indent=2, ensure_ascii=False))
        return
    click.echo(f"Source {source_id!r}: {row['title'] or '(no title)'} ({row['published'] or 'date unknown'})")
    click.echo(f"  url: {row['url'] or '-'}   file: {row['path'] or '-'}")
    click.echo(f"  key terms: {', '.join(list(profile['terms'])[:12])}")
    click.echo(f"  people: {', '.join(profile['people']) or '-'}")
    click.echo(f"  organisations: {', '.join(profile['organisations']) or '-'}")
    click.echo("  figures: " + ("; ".join(f["text"] for f in profile["facts"]) or "-"))
    click.echo(f"  quotes: {len(profile['quotes'])}")
    click.echo(f"  search queries ({origin}; a watch may set its own with queries = [...]):")
    for q in qs:
        click.echo(f"    {queries.show(q)}")


@sources.command("list")
@db_option
@output_options
def sources_list(db_path, fmt):
    """List the sources in the archive.

    Example: newsmon sources list --json
    """
    with open_archive(db_path) as archive:
        rows = archive.sources()
    emit(rows, fmt, ["id", "published", "title", "same_story", "compared", "url", "path"],
         widths={"title": 60, "path": 40})


@cli.command()
@click.argument("story_id", type=int)
@db_option
@click.option("--source", "source_id", help="Only the comparison with this source.")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
def compare(story_id, db_path, source_id, as_json):
    """How a story compares with the source: figures, quotes, names, framing, timing.

    Example: newsmon compare 4
    """
    with open_archive(db_path) as archive:
        try:
            story = archive.story(story_id)
            rows = [r for r in archive.comparisons(story_id) if not source_id or r["source_id"] == source_id]
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    if not rows:
        raise click.ClickException(f"story {story_id} has no comparison"
                                   + (f" with source {source_id!r}" if source_id else "")
                                   + f" (label: {story['label'] or 'none'})")
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(click.style(f"Story {story_id}: {story['title']}", bold=True))
        click.echo(f"{story['outlet']} · {story['published'] or 'date unknown'} · label {story['label']}")
        click.echo(f"compared with source {row['source_id']!r}: {row['source_title']}")
        rel = row["published_relation"]
        days = row["days_from_source"]
        if days:
            when = f"{abs(days)} day{'s' if abs(days) != 1 else ''} {'before' if days < 0 else 'after'} the source"
        else:
            when = {"same day": "the same day as the source", "unknown": "date unknown"}.get(rel, rel)
        click.echo(f"\nPublished: {when}")
        click.echo(f"Similarity: {row['similarity']:.2f} (same-story score {row['same_story_score']:.2f})")
        _section("Figures that agree", [f"{f['story_text']} (source: {number_text(f['source_value'])})"
                                        for f in row["facts_agree"]])
        _section("Figures that conflict", [
            f"{f['noun']}: story {number_text(f['story_value'])}, source {number_text(f['source_value'])}\n"
            f"      story:  {f['story_sentence']}\n      source: {f['source_sentence']}"
            for f in row["facts_conflict"]])
        _section("Quotes shared with the source", [f"\u201c{q['story']}\u201d" for q in row["quotes_shared"]])
        _section("People in both", row["people_both"])
        _section("People only in the story", row["people_story_only"])
        _section("People only in the source", row["people_source_only"])
        _section("Organisations in both", row["organisations_both"])
        _section("Organisations only in the story", row["organisations_story_only"])
        _section("Organisations only in the source", row["organisations_source_only"])
        _section("Framing only in the story", [f"{t} ({f})" for t, f in row["framing_story_only"].items()])
        _section("Framing only in the source", [f"{t} ({f})" for t, f in row["framing_source_only"].items()])
        click.echo("")


def _section(title: str, items: list[str]):
    click.echo(f"\n{title}: " + ("none" if not items else ""))
    for item in items:
        click.echo(f"  - {item}")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--watch", "watch_path", default=DEFAULT_WATCH, show_default=True,
              type=click.Path(dir_okay=False), help="Watch file: its topic and sources are used.")
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False),
              help="Write one JSON line per input: id, label, scores, story id.")
@click.option("--keep", type=click.Choice(["relevant", "all"]), default="relevant", show_default=True,
              help="Store unrelated inputs too (labelled) with 'all'.")
def ingest(paths, db_path, watch_path, decisions_path, keep):
    """Run the pipeline on saved pages: HTML files, folders of them, JSONL records
    (id, url, title, text or html, published, outlet), or WARC files (.warc, .warc.gz,
    read as a stream; their pages are judged as crawled pages, outlets from the watch).

    Example: newsmon ingest saved/ articles.jsonl CC-NEWS-20181019.warc.gz --decisions d.jsonl
    """
    from collections import Counter

    from crawler import settings
    from newsmon.ingest import IngestError, Ingestor, read_inputs
    from newsmon.progress import Progress
    from pipelines.compare import load_framing
    from pipelines.relevance import Thresholds, TopicMatcher
    from pipelines.sources import SourceError, source_row

    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    counts = Counter()
    out = open(decisions_path, "w", encoding="utf-8") if decisions_path else None
    try:
        with Archive(db_path) as archive:
            try:
                archive.sync_watch(watch, [source_row(s) for s in watch.sources if s.path])
            except SourceError as exc:
                raise click.ClickException(str(exc)) from None
            ingestor = Ingestor(archive, TopicMatcher(watch.topic.terms) if watch.topic else None,
                                Thresholds(settings.NEWSMON_RELEVANCE_SAME_STORY, settings.NEWSMON_RELEVANCE_TOPIC),
                                load_framing(settings.NEWSMON_FRAMING_LEXICON),
                                keep_unrelated=keep == "all" or settings.NEWSMON_KEEP_UNRELATED,
                                outlet_for=watch.outlet_for, min_words=settings.NEWSMON_MIN_ARTICLE_WORDS)
            try:
                with Progress("Ingesting: inputs") as bar:
                    for decision in ingestor.run(read_inputs(list(paths))):
                        counts[decision["action"]] += 1
                        if decision.get("label"):
                            counts[decision["label"]] += 1
                        if decision.get("reason"):
                            reason = decision["reason"]
                            where = "" if reason.startswith(decision["id"]) else f"{decision['id']}: "
                            bar.echo(f"skipped {where}{reason}")
                        if out:
                            out.write(json.dumps(decision, ensure_ascii=False) + "\n")
                        bar.update(1, stored=counts["stories_new"], same_story=counts["same_story"],
                                   related=counts["related"])
            except IngestError as exc:
                raise click.ClickException(str(exc)) from None
    finally:
        if out:
            out.close()
    click.echo("Ingested: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


@cli.command()
@db_option
@click.option("--rebuild", is_flag=True, required=True,
              help="Recompute every signature and copy group (after changing NEWSMON_DEDUP_*).")
def dedup(db_path, rebuild):
    """Recompute near-duplicate signatures and copy groups for the whole archive.

    Example: newsmon dedup --rebuild
    """
    from crawler import settings
    from pipelines.dedup import NearDupSettings

    neardup = NearDupSettings(settings.NEWSMON_DEDUP_PERMUTATIONS, settings.NEWSMON_DEDUP_BANDS,
                              settings.NEWSMON_DEDUP_SHINGLE, settings.NEWSMON_DEDUP_CONTAINMENT,
                              settings.NEWSMON_DEDUP_MIN_RESEMBLANCE, coverage=settings.NEWSMON_DEDUP_COVERAGE)
    try:
        archive = Archive(db_path, create=False, neardup=neardup)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    from newsmon.progress import Progress

    with archive:
        total = archive.db["stories"].count
        with Progress("Rebuilding signatures and copy groups", total=total) as bar:
            counts = archive.rebuild_copies(progress=bar.update)
    click.echo(f"{counts.get('stories', 0)} stories: {counts.get('groups', 0)} copy groups, "
               f"{counts.get('copies', 0)} copies, "
               f"{counts.get('same_outlet_near_duplicates', 0)} near-duplicates within one outlet")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def serve(db_path, host, port):
    """Open the archive in Datasette, with table descriptions and canned queries.

    Needs the extra: pip install -e ".[datasette]"

    Example: newsmon serve --port 8001
    """
    import os
    import shutil
    import tempfile

    from newsmon.serve import metadata

    datasette = shutil.which("datasette", path=str(Path(sys.executable).parent)) or shutil.which("datasette")
    if datasette is None:
        raise click.ClickException('Datasette is not installed: pip install -e ".[datasette]"')
    with open_archive(db_path):
        pass  # a clear error for a missing or broken archive
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(metadata(db_path), handle)
    click.echo(f"Serving {db_path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # Datasette takes this process over, so signals (Ctrl-C, SIGTERM) reach it directly.
    os.execv(datasette, [datasette, "serve", str(db_path), "--metadata", handle.name,
                         "--host", host, "--port", str(port)])


def main():
    cli(prog_name="newsmon")


if __name__ == "__main__":
    main()
