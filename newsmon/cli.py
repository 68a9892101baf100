"""The ``newsmon`` command: thin commands over the archive, the crawler and the demo."""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import logging
import sqlite3
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import click
from tabulate import tabulate

import newsmon_data
from crawler.watch import WatchError, load_watch
from newsmon.report import number_text
from pipelines.archive import Archive, ArchiveError

DEFAULT_DB = "data/archive.db"
REPO_DATA = newsmon_data.path()  # packaged: the default watch, its source, the demo web
DEFAULT_WATCH = str(REPO_DATA / "watch.toml")


def watch_option(help_text: str):
    return click.option("--watch", "watch_path", default=DEFAULT_WATCH, show_default="the packaged data/watch.toml",
                        type=click.Path(dir_okay=False), help=help_text)


# Commands that make an archive when there is none.
MAKES_ARCHIVE = {"demo", "crawl", "backfill", "schedule", "ingest", "store", "add"}


def _default_db_folder(ctx, _param, value):
    # A mistyped --db folder is an error, but the default's own folder (data/) is newsmon's
    # to make, so that an installed newsmon runs from any folder.
    if value == DEFAULT_DB and ctx.command.name in MAKES_ARCHIVE and \
            ctx.get_parameter_source("db_path") == click.core.ParameterSource.DEFAULT:
        Path(value).parent.mkdir(parents=True, exist_ok=True)
    return value


def db_option(fn):
    return click.option("--db", "db_path", envvar="NEWSMON_DB", default=DEFAULT_DB,
                        show_default=True, type=click.Path(dir_okay=False), callback=_default_db_folder,
                        help="Archive file (or set NEWSMON_DB).")(fn)


def output_options(fn):
    """--table (default), --json, --nl, --csv: declared once, as in sqlite-utils; one at a time."""
    @click.option("--json", "as_json", is_flag=True, help="Output a JSON array.")
    @click.option("--nl", "as_nl", is_flag=True, help="Output newline-delimited JSON.")
    @click.option("--csv", "as_csv", is_flag=True, help="Output CSV.")
    @click.option("--table", "as_table", is_flag=True, help="Output a table (default).")
    @functools.wraps(fn)
    def wrapper(*args, as_json, as_nl, as_csv, as_table, **kwargs):
        chosen = [name for name, on in (("json", as_json), ("nl", as_nl), ("csv", as_csv), ("table", as_table))
                  if on]
        if len(chosen) > 1:
            raise click.UsageError("choose one output format: " + " or ".join(f"--{c}" for c in chosen))
        return fn(*args, fmt=chosen[0] if chosen else "table", **kwargs)
    return wrapper


# Exit statuses, for cron and systemd (README, "Exit status"): 0 it worked; 1 it failed
# (one line says why; a crawl that fetched nothing but errors, an ingest that stored
# nothing but skips); 2 the command line was wrong; 3 it partly failed (it worked, but
# some requests or inputs failed: the summary counts them).
EXIT_FAILED, EXIT_PARTLY = 1, 3


def exit_status(done: int, failed: int, what: str) -> None:
    """Leave with the status that says how a crawl or ingest went."""
    if failed and not done:
        click.echo(f"Error: {what}", err=True)
        sys.exit(EXIT_FAILED)
    if failed:
        sys.exit(EXIT_PARTLY)


def output_file(path: str, what: str):
    """A file opened for writing, or one line saying why it cannot be."""
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise click.ClickException(f"cannot write {what} to {path}: {exc.strerror or exc}") from None


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


# --- opening the archive (every command goes through open_archive) ---------------------

def open_archive(db_path: str, write: bool = False, create: bool = False, neardup=None,
                 relayout: bool = False) -> Archive:
    """The archive at ``db_path``, for a command: read-only unless the command writes;
    a file that is not a newsmon archive refused in one line and left untouched; checked
    for damage first (quick_check) when no larger than NEWSMON_ARCHIVE_CHECK_MAX_MB."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["newsmon.db"] = db_path  # named by the errors of the archive met later on
    try:
        size = Path(db_path).stat().st_size
    except OSError:
        size = 0
    verify = size <= config().getint("NEWSMON_ARCHIVE_CHECK_MAX_MB") * 1024 * 1024
    try:
        if neardup is None:  # (an archive made now takes the configured layout; one made keeps its own)
            from pipelines.dedup import NearDupSettings

            neardup = NearDupSettings.from_settings(config())
        return Archive(db_path, create=write and create, readonly=not write, verify=verify, relayout=relayout,
                       neardup=neardup)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


def archive_stopped(exc: BaseException, db_path: str, counts: dict, then: str):
    """A command writing to the archive met a fault (a full disk, damage): one line with
    what it had archived; anything else is raised as it is."""
    from pipelines.archive import ArchiveFull, archive_fault

    fault = archive_fault(exc, db_path)
    if fault is None:
        raise exc
    kept = counts.get("stories_new", 0) + counts.get("copies", 0)
    if isinstance(fault, ArchiveFull):
        raise click.ClickException(f"disk full: {kept} stories archived before it, nothing lost (free some "
                                   f"space on the disk of {db_path} and {then})") from None
    raise click.ClickException(f"{fault} ({kept} stories archived before it)") from None


def config(watch=None):
    """Every setting, resolved once for this command: the defaults, the watch's [crawl],
    the environment and -s NAME=VALUE (crawler/config.py)."""
    from crawler.config import ConfigError, resolve

    ctx = click.get_current_context(silent=True)
    chosen = ctx.find_root().meta.get("newsmon.settings", {}) if ctx else {}
    try:
        return resolve(watch, chosen)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _settings_option(ctx, _param, values):
    from crawler.config import ConfigError, parse_assignments

    try:
        ctx.find_root().meta.setdefault("newsmon.settings", {}).update(parse_assignments(values))
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from None


SETTINGS_OPTION = dict(multiple=True, metavar="NAME=VALUE", expose_value=False, callback=_settings_option,
                       help="Set any setting for this command (repeatable); `newsmon settings` lists them.")


class NewsmonGroup(click.Group):
    """The command group; an archive fault met by any command (a damaged file, a full
    disk) ends it with one line saying what to do, never a traceback."""

    def invoke(self, ctx):
        from pipelines.archive import archive_fault

        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
        except (sqlite3.Error, OSError) as exc:
            fault = archive_fault(exc, ctx.meta.get("newsmon.db", "the archive"))
            if fault is None:
                raise
            raise click.ClickException(str(fault)) from None


LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


@click.group(cls=NewsmonGroup)
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
    # The extraction libraries' own complaints about a page ("not valid HTML") are said
    # once by newsmon, in its words; -vv shows theirs too.
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose >= 2 else logging.CRITICAL)
    # Crawls run in a child process: they take the level through Scrapy's setting.
    CRAWL_OVERRIDES.clear()
    if verbose or quiet:
        CRAWL_OVERRIDES["LOG_LEVEL"] = level


CRAWL_OVERRIDES: dict = {}


def crawl_overrides() -> dict:
    """What the command line sets for a crawl child: -s NAME=VALUE and the log level."""
    ctx = click.get_current_context(silent=True)
    return {**(ctx.find_root().meta.get("newsmon.settings", {}) if ctx else {}), **CRAWL_OVERRIDES}


def crawl_progress(label: str):
    """A progress line fed by a crawl child's counts; closed by the caller."""
    from newsmon.progress import Progress

    bar = Progress(label)
    return bar, (lambda counts: bar.update(done=counts.pop("pages"), **counts))


def crawl_done(bar, summary: dict):
    """The progress line's last state: the crawl's final counts (stories are written in batches)."""
    bar.update(done=summary["pages"], requests=summary["requests"], stories=summary["stories_new"],
               errors=summary["errors"])


def quiet() -> bool:
    """-q: errors only (summaries and notes too are left out)."""
    from newsmon import progress

    return progress.VERBOSITY < 0


def note(message: str):
    """A line for the person at the terminal, on standard error; -q silences it."""
    from newsmon import progress

    if progress.VERBOSITY >= 0:
        click.echo(message, err=True)


@cli.command()
@db_option
@click.option("--timeout", default=300, show_default=True, help="Seconds each demo crawl may take.")
@click.option("--serve", "serve_only", is_flag=True,
              help="Only serve the demo web and its search stand-ins until Ctrl-C, and write a watch "
                   "file for them, to try crawl, schedule and backfill without the internet.")
@click.option("--watch-out", default="demo-watch.toml", show_default=True, type=click.Path(dir_okay=False),
              help="With --serve: where to write the watch file.")
def demo(db_path, timeout, serve_only, watch_out):
    """Serve the bundled demo news web on 127.0.0.1 and run the whole pipeline on it.

    Crawls the demo web twice: the second time one article has been updated and
    nothing already archived is added again.

    Example: newsmon demo --db /tmp/demo.db
    Example: newsmon demo --serve   (then, in another terminal: newsmon crawl --watch demo-watch.toml)
    """
    from crawler.run import CrawlFailed, crawl_in_child
    from newsmon.web.demo import DemoWeb

    if serve_only:
        return demo_serve(watch_out)
    web = DemoWeb()
    with web:
        ports = sorted(int(o.base_url.rsplit(":", 1)[1].rstrip("/")) for o in web.outlets.values())
        click.echo(f"Demo news web: {len(web.outlets)} outlets, "
                   f"{sum(len(o.articles) for o in web.outlets.values())} articles, "
                   f"serving on 127.0.0.1 (ports {', '.join(map(str, ports))})")
        # The demo watches its own web with the default watch's topic and source.
        watch = web.watch(source_path=REPO_DATA / "sources" / "mps-not-border-guards.txt",
                          source_ref=DEMO_SOURCE_PAGE, topic=load_watch(REPO_DATA / "watch.toml").topic)
        watch, feed = demo_alerts(watch, db_path)
        for edition, label in ((1, "first crawl"), (2, "second crawl, one article since updated")):
            web.edition = edition
            bar, progress = crawl_progress(f"Crawling ({label}): pages")
            try:
                with bar:
                    summary = crawl_in_child(watch, db_path, job=f"demo-{edition}", timeout=timeout,
                                             overrides=crawl_overrides(), progress=progress)
                    crawl_done(bar, summary)
            except CrawlFailed as exc:
                raise click.ClickException(str(exc)) from None
            click.echo(f"\n{label.capitalize()}:")
            click.echo(format_summary(summary))
            show_alerts(send_alerts(watch, db_path))
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
    click.echo(same_story_words(counts["stories"]))
    with Archive(db_path) as archive:
        conflicts = archive.db.execute("select count(*) from conflicting_facts").fetchone()[0]
        dated, undated = archive.db.execute(
            "select count(days_from_source), count(*) - count(days_from_source) from comparisons").fetchone()
        declared = [r[0] for r in archive.db.execute(
            "select id from stories where field_sources like '%jsonld:articleBody%' order by id")]
    click.echo(same_story_dates(dated, undated))
    click.echo(f"Figures that conflict with the source: {conflicts} (view conflicting_facts)")
    if declared:
        click.echo(f"Stories whose pages scripts write in, read from the body their article object declares: "
                   f"{len(declared)} (newsmon show {declared[0]})")
    from newsmon.report import build_report

    report_path = Path(db_path).with_name(Path(db_path).stem + "-report.html")
    with Archive(db_path) as archive:
        report_path.write_text(build_report(archive), encoding="utf-8")
    click.echo(f"Coverage report (open in a browser; no network needed): {report_path}")
    click.echo(f"Alerts (Atom feed of the demo watch; any feed reader follows it, `newsmon serve` serves it): "
               f"{feed}")
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
               f"  {prog} review --label related --db {db_path}   # one key a story; at the next crawl a "
               "correction carries to the stories much like it, archived or new\n"
               f"  {prog} outlets --db {db_path}\n"
               f"  {prog} report --html report.html --db {db_path}\n"
               f"  {bindir}sqlite-utils tables {db_path} --counts")


def demo_alerts(watch, db_path: str):
    """The demo watch with one alert channel: an Atom feed beside the archive (the first
    crawl's summary, then what the second crawl found)."""
    from dataclasses import replace

    from crawler.watch import Alert

    feed = Path(db_path).resolve().with_name(Path(db_path).stem + "-alerts.atom")
    return replace(watch, alerts=(Alert(id="feed", type="atom", path=feed,
                                        title="newsmon demo: new coverage"),)), feed


DEMO_SOURCE_PAGE = "frontier-report/charities-tell-mps-stop-reporting-immigration-crime"
# The search stand-ins pretend it is December 2018, six weeks after the source.
DEMO_SEARCH_TODAY = (2018, 12, 1)


def demo_search_settings(sw) -> dict:
    """Crawl settings that point search and backfill at the local stand-ins ``sw``."""
    return {"NEWSMON_SEARCH": ["gdelt", "google-news"],
            "NEWSMON_GDELT_URL": sw.gdelt_url, "NEWSMON_GOOGLE_NEWS_URL": sw.google_news_url,
            "NEWSMON_WAYBACK_CDX_URL": sw.cdx_url, "NEWSMON_WAYBACK_URL": sw.wayback_url,
            "NEWSMON_GDELT_WINDOW_DAYS": 10000,  # its own window is relative to its pretend day
            "NEWSMON_GDELT_DELAY": 0.0, "NEWSMON_GOOGLE_NEWS_DELAY": 0.0, "NEWSMON_WAYBACK_DELAY": 0.0}


def demo_serve(watch_out: str):
    """``newsmon demo --serve``: the demo web and its search stand-ins until Ctrl-C."""
    import signal
    import threading
    from dataclasses import replace
    from datetime import datetime, timezone

    from crawler.watch import watch_toml
    from newsmon.web.demo import DemoWeb
    from newsmon.web.search import SearchWeb, demo_documents

    web = DemoWeb()
    with web, SearchWeb(demo_documents(web), today=datetime(*DEMO_SEARCH_TODAY, tzinfo=timezone.utc)) as sw:
        watch = web.watch(source_path=REPO_DATA / "sources" / "mps-not-border-guards.txt",
                          source_ref=DEMO_SOURCE_PAGE, topic=load_watch(REPO_DATA / "watch.toml").topic)
        watch = replace(watch, name="demo", crawl={**watch.crawl, **demo_search_settings(sw)})
        text = watch_toml(watch)
        try:
            Path(watch_out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write the watch file to {watch_out}: {exc.strerror}") from None
        click.echo(f"Demo news web: {len(web.outlets)} outlets on 127.0.0.1; GDELT, Google News and Wayback "
                   f"stand-ins at {sw.base}\nWatch file for them: {watch_out}\n\nTry, in another terminal:\n"
                   f"  newsmon crawl --watch {watch_out} --db demo.db\n"
                   f"  newsmon schedule --watch {watch_out} --db demo.db\n"
                   f"  newsmon backfill --watch {watch_out} --db demo.db --since 2018-10-12 --until 2018-11-18\n"
                   f"  newsmon status --db demo.db\n\nServing until Ctrl-C.")
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        stop.wait()
    click.echo("Stopped.")


def demo_discovery(web, db_path: str, timeout: float) -> str:
    """The demo's third act: a watch of the source alone (no outlets), searching local
    stand-ins for GDELT and Google News, following links, then backfilling from a local
    Wayback Machine, into an archive of its own. Returns the lines to show."""
    from datetime import datetime, timezone

    from crawler.run import CrawlFailed, crawl_in_child
    from crawler.watch import Source, Watch
    from newsmon.web.search import SearchWeb, demo_documents

    disc_db = str(Path(db_path).with_name(Path(db_path).stem + "-discovery.db"))
    for stale in (disc_db, disc_db + "-wal", disc_db + "-shm"):
        Path(stale).unlink(missing_ok=True)
    same = {a.version(1)[0]["title"] for o in web.outlets.values() for a in o.articles
            if not a.meta.get("private") and a.meta["label"] == "same_story"}
    with SearchWeb(demo_documents(web), today=datetime(*DEMO_SEARCH_TODAY, tzinfo=timezone.utc)) as sw:
        source = Source(id="mps-not-border-guards", path=REPO_DATA / "sources" / "mps-not-border-guards.txt",
                        url=web.url(DEMO_SOURCE_PAGE), published="2018-10-12")
        crawl = {"NEWSMON_ALLOW_PRIVATE_ADDRESSES": True, "DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False,
                 "CONCURRENT_REQUESTS_PER_DOMAIN": 16, **demo_search_settings(sw)}
        watch = Watch(name="demo-source-only", path=None, sources=(source,), outlets=(), crawl=crawl,
                      topic=load_watch(REPO_DATA / "watch.toml").topic)
        try:
            bar, progress = crawl_progress("Searching from the source alone: pages")
            with bar:
                searched = crawl_in_child(watch, disc_db, job="demo-search", timeout=timeout,
                                          overrides=crawl_overrides(), progress=progress)
                crawl_done(bar, searched)
            bar, progress = crawl_progress("Backfilling from the (local) Wayback Machine: pages")
            with bar:
                backfilled = crawl_in_child(watch, disc_db, job="demo-backfill", timeout=timeout,
                                            overrides={**crawl_overrides(), "NEWSMON_BACKFILL": {
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
    if s.get("relabelled"):  # archived stories the taught topic model judged otherwise
        lines.append("  archived stories relabelled: " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["relabelled"].items()))
            + " (by the watch's topic model, changed since: the reader's judgements or its file)")
    if s["dropped"]:
        lines.append("  pages dropped:             " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["dropped"].items())))
    if s.get("skipped"):
        lines.append("  URLs skipped:              " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["skipped"].items())))
    if s.get("retried"):
        lines.append(f"  requests retried:          {s['retried']} (busy or failing servers; Retry-After honoured)")
    if s.get("put_back"):
        lines.append(f"  requests put back:         {s['put_back']} (held by a crawler that stopped beating; "
                     "fetched again)")
    lines.append(f"  errors:                    {s['errors']}" + (
        " (" + ", ".join(f"{k} {v}" for k, v in sorted(s["error_kinds"].items())) + ")"
        if s.get("error_kinds") else ""))
    return "\n".join(lines)


@cli.command()
@db_option
@watch_option("Watch file (TOML).")
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
    from crawler.run import CrawlFailed, check_archive, crawl_in_child, worker_in_child

    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    overrides = crawl_overrides()
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
    if not worker:
        try:
            check_archive(db_path, watch, crawl_overrides())  # refused in one line before anything starts
        except CrawlFailed as exc:
            raise click.ClickException(str(exc)) from None
    if quiet():
        pass
    elif worker:
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
        if not (redis_url or worker):
            show_alerts(send_alerts(watch, db_path))  # what the crawl stored before it failed
        raise click.ClickException(str(exc)) from None
    if not quiet():
        click.echo(format_summary(summary))
    if not (redis_url or worker):
        show_alerts(send_alerts(watch, db_path))
    crawl_exit(summary)


def crawl_exit(summary: dict) -> None:
    exit_status(summary["pages"], summary["errors"],
                f"the crawl fetched no page: {summary['errors']} requests failed (see the errors above)")


@cli.command()
@db_option
@click.option("--from-redis", "redis_url", metavar="URL", required=True,
              help="The Redis of a distributed crawl, whose results to write.")
@watch_option("Watch file (its name keys the crawl in Redis).")
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

    from crawler.distributed import RedisGone

    wait = config(watch).getfloat("NEWSMON_REDIS_OUTAGE_WAIT")
    with open_archive(db_path, write=True, create=True) as archive:
        archive.sync_watch(watch)
        writer = Writer(connect(redis_url, wait), watch.name, archive)
        try:
            with Progress("Writing: pages") as bar:
                counts = writer.run(until_idle=until_idle, progress=lambda c: bar.update(
                    done=c.get("pages", 0), stored=c.get("stories_new", 0)))
        except KeyboardInterrupt:
            counts = writer.counts
        except RedisGone as exc:
            raise click.ClickException(f"{exc}: stopped after writing {writer.counts.get('pages', 0)} pages "
                                       "(nothing lost: what was not written waits in Redis for the next "
                                       "`newsmon store`)") from None
        except (ArchiveError, sqlite3.Error, OSError) as exc:
            archive_stopped(exc, db_path, writer.counts, "run `newsmon store` again: the rest waits in Redis")
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
@watch_option("Watch file (TOML).")
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
    from crawler.run import CrawlFailed, check_archive, crawl_in_child

    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    resolved = config(watch)
    start, end = backfill_range(watch, _day(since, "--since"), _day(until, "--until"),
                                resolved.getint("NEWSMON_SEARCH_DAYS_BEFORE"), resolved.getint("NEWSMON_SEARCH_DAYS_AFTER"))
    try:
        check_archive(db_path, watch, crawl_overrides())  # refused in one line before anything starts
    except CrawlFailed as exc:
        raise click.ClickException(str(exc)) from None
    if not quiet():
        click.echo(f"Backfilling {start} to {end} from the Wayback Machine into {db_path} ...")
    bar, progress = crawl_progress("captures fetched")
    overrides = {**crawl_overrides(), "NEWSMON_BACKFILL": {"since": start.strftime("%Y%m%d"),
                                                         "until": end.strftime("%Y%m%d")}}
    try:
        with bar:
            summary = crawl_in_child(watch, db_path, job="backfill", timeout=timeout, overrides=overrides,
                                     progress=progress)
            crawl_done(bar, summary)
    except CrawlFailed as exc:
        raise click.ClickException(str(exc)) from None
    if not quiet():
        click.echo(f"  captures listed:           {summary.get('backfill', {}).get('captures', 0)} "
                   f"({summary.get('backfill', {}).get('matching', 0)} with the source's terms in their URL)")
        click.echo(format_summary(summary))
    crawl_exit(summary)


@cli.command()
@db_option
@watch_option("Watch file (TOML).")
def schedule(db_path, watch_path):
    """Crawl in the foreground on the intervals of the watch file (Ctrl-C stops).

    Example: newsmon schedule --watch data/watch.toml
    """
    import scheduler
    from crawler.run import CrawlFailed, check_archive

    try:
        check_archive(db_path, load_watch(watch_path), crawl_overrides())  # said now, not at each run
    except (WatchError, CrawlFailed) as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(scheduler.main(watch_path, db_path, quiet=quiet(), overrides=crawl_overrides()))


@cli.command()
@db_option
@click.option("--watch", "watch_path", type=click.Path(dir_okay=False),
              help=f"Watch file whose jobs to show [default: the one the archive was crawled with, else {DEFAULT_WATCH}].")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
def status(db_path, watch_path, as_json):
    """Crawl jobs: next run, last run and its counts; feeds and sitemaps that are failing.

    Example: newsmon status --json
    """
    import scheduler

    with open_archive(db_path) as archive:
        runs = {r["job"]: r for r in archive.job_status()}
        failing = archive.failing_listings()
        recorded = archive.watch_path()
    if watch_path is None:
        watch_path = recorded if recorded and Path(recorded).is_file() else DEFAULT_WATCH
    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    jobs = []
    upcoming = scheduler.next_runs(watch, runs)
    for interval, outlet_ids in scheduler.outlet_groups(watch).items():
        jid = scheduler.job_id(watch, interval)
        last = runs.get(jid)
        jobs.append({"job": jid, "every_seconds": interval, "outlets": list(outlet_ids),
                     "next_run": upcoming[jid], "last_run": last})
    other = [r for j, r in runs.items() if j not in upcoming]
    if as_json:
        click.echo(json.dumps({"watch": {"name": watch.name, "path": str(watch_path)}, "jobs": jobs,
                               "other_runs": other, "failing": failing,
                               "alerts": alert_status(watch, db_path)}, indent=2))
        return
    click.echo(f"Watch {watch.name!r} ({watch_path})")
    for job in jobs:
        click.echo(click.style(job["job"], bold=True) + f"  ({len(job['outlets'])} outlets, every "
                   f"{job['every_seconds'] // 60} min)  next: {job['next_run']}")
        click.echo("  last: " + _run_line(job["last_run"]))
    for run in other:
        click.echo(click.style(run["job"], bold=True) + "  last: " + _run_line(run))
    click.echo(f"\nFailing feeds and sitemaps: {len(failing) or 'none'}")
    for row in failing:
        click.echo(f"  {row['url']}  ({row['failures']} failures in a row, last: {row['last_error']})")
    for line in alert_status_lines(watch, db_path):
        click.echo(line)


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
@click.option("--force", is_flag=True, help="Show what the page holds even when it is judged not an article.")
def extract(target, as_json, page_url, force):
    """Show what the clean stage makes of one page (a saved HTML file or a URL).

    A page judged not an article is refused with the reason and the evidence
    (for example: listing-page, 34 teasers hold 81% of the text); --force shows
    its text and metadata anyway.

    Example: newsmon extract saved-page.html --json
    """
    from pipelines.clean import NotAnArticle, clean_page
    from crawler.fetch import FetchError, fetch_page, read_page

    for address in (target if target.startswith(("http://", "https://")) else None, page_url):
        try:
            urlsplit(address or "")
        except ValueError as exc:  # ("http://[x/": an unclosed bracket reads as a broken IPv6 host)
            raise click.ClickException(f"not a usable URL: {address!r} ({exc})") from None
    try:
        if target.startswith(("http://", "https://")):
            html_text, url = fetch_page(target)
        else:
            html_text, url = read_page(target), page_url or Path(target).resolve().as_uri()
    except FetchError as exc:
        raise click.ClickException(str(exc)) from None
    refusal = None
    try:
        article = clean_page(html_text, url)
    except NotAnArticle as exc:
        refusal = {"reason": exc.reason, "figures": getattr(exc, "figures", None)}
        said = f"{target}: not an article ({exc})" + (f": {refusal['figures']}" if refusal["figures"] else "")
        if not force:
            raise click.ClickException(said + ". Use --force to see the page's text anyway.") from None
        try:
            article = clean_page(html_text, url, judge=False)
        except NotAnArticle as again:
            raise click.ClickException(f"{target}: not an article ({again}); there is no text to show") from None
        click.echo(said + "; shown anyway (--force)", err=True)
    if as_json:
        click.echo(json.dumps({**article, "refused": refusal} if refusal else article, indent=2, ensure_ascii=False))
        return
    for key in ("title", "authors", "published", "date_source", "modified", "language",
                "sitename", "canonical_url", "section", "word_count"):
        value = article[key]
        click.echo(f"{key + ':':<15}{', '.join(value) if isinstance(value, list) else value}")
    if told := text_told(article.get("sources", {}).get("text")):
        click.echo(f"{'text:':<15}{told}")
    click.echo("\n" + article["text"])


def text_told(source: str | None) -> str | None:
    """Where a page's text came from, said for a reader, where it is not the page's markup."""
    if source == "paywalled-preview":
        return "the open part of a paywalled article (its wall left out)"
    if (source or "").startswith("jsonld:articleBody"):
        return "the body its article object declares (the page's markup holds too little of it, or only " \
               "the furniture around it)"
    return None


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
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="At most this many results.")
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
        handle = sys.stdout if output == "-" else output_file(output, "the export")
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
                            writer = csv.DictWriter(handle, fieldnames=list(row), extrasaction="ignore")
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
    with output_file(html_path, "the report") as handle:
        handle.write(page)
    note(f"Report written to {html_path} ({len(page) // 1024} KB); open it in any browser")


@cli.command()
@db_option
@click.option("--outlet", help="Only this outlet (its id).")
@click.option("--since", help="Only stories published since this date (YYYY-MM-DD).")
@click.option("--label", type=click.Choice(["same_story", "related", "unrelated"]),
              help="Only stories with this relevance label.")
@click.option("--copies", is_flag=True, help="List groups of copies (one article at several outlets) instead.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=0), help="At most this many (0: all).")
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
    emit(rows, fmt, ["id", "published", "outlet", "label", "label_by", "title", "urls", "revisions"]
         + (["auto_label", "authors", "url"] if fmt != "table" else []), widths={"title": 70})


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
    if told := text_told((story.get("field_sources") or {}).get("text")):
        click.echo(f"text: {told}")
    from newsmon.why import why_lines

    click.echo("\nWhy labelled so:")
    for line in why_lines(story):
        click.echo(f"  {line}")
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


LABEL_KEYS = {"s": "same_story", "r": "related", "u": "unrelated"}


@cli.command()
@click.argument("story_id", type=int)
@click.argument("label", type=click.Choice(["same_story", "related", "unrelated", "clear"]))
@db_option
@click.option("--note", help="Why, in a few words (kept with the judgement).")
def label(story_id, label, db_path, note):
    """Set a story's label by hand: same_story, related or unrelated (clear: take the
    judgement back). The reader's label stands over newsmon's in every query, view,
    export and report, survives re-crawls, and teaches the watch's topic model at the
    next crawl or ingest, which then judges the archived stories again.

    Example: newsmon label 12 unrelated --note "drug seizure; stock line"
    """
    with open_archive(db_path, write=True) as archive:
        try:
            if label == "clear":
                had = archive.unjudge(story_id)
                story = archive.story(story_id)
                click.echo(f"Story {story_id}: " + ("judgement taken back" if had else "no judgement to take back")
                           + f"; label {story['label']} (newsmon's)")
                return
            done = archive.judge(story_id, label, note)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    said = f" (newsmon said {done['auto_label']})" if done["auto_label"] != label else ""
    click.echo(f"Story {story_id} labelled {label}{said}: {done['title']}")


@cli.command()
@db_option
@click.option("--label", "only_label", type=click.Choice(["same_story", "related", "unrelated"]),
              help="Only stories newsmon gave this label.")
@click.option("--outlet", help="Only this outlet (its id).")
def review(db_path, only_label, outlet):
    """Go through the stories you have not judged, newest first, one keypress each:
    s same story, r related, u unrelated, space or n skip, q quit. Each story shows its
    title, outlet, date, opening and why newsmon labelled it so. Quit any time: the next
    review starts with the stories still unjudged.

    Example: newsmon review --label related
    """
    with open_archive(db_path, write=True) as archive:
        queue = archive.review_queue(only_label, outlet)
        if not queue:
            click.echo("Nothing to review: every story has your judgement.")
            return
        click.echo(f"{len(queue)} stories to review, newest first. Keys: s same story, r related, "
                   "u unrelated, space/n skip, q quit.")
        with _keypresses() as read_key:
            judged = _review_loop(archive, queue, read_key)
        left = len(archive.review_queue(only_label, outlet))
    click.echo(f"\n{judged} judged; {left} still to review. The watch's topic model learns from your "
               "judgements at the next crawl or ingest, and judges the archived stories again.")


def _review_loop(archive, queue: list[int], read_key) -> int:
    from newsmon.why import why_lines

    judged = 0
    for number, story_id in enumerate(queue, 1):
        story = archive.story(story_id)
        click.echo("")
        click.echo(click.style(f"[{number}/{len(queue)}] story {story_id} · {story['outlet']} · "
                               f"{(story['published'] or 'date unknown')[:10]} · newsmon: {story['label']}",
                               dim=True))
        click.echo(click.style(story["title"] or "(untitled)", bold=True))
        click.echo(textwrap.fill(_lede(story["text"]), 100))
        for line in why_lines(story):
            click.echo(f"  why: {line}" if not line.startswith("  ") else f"     {line.strip()}")
        key = _review_key(read_key)
        if key == "q":
            click.echo("quit")
            break
        if key in LABEL_KEYS:
            archive.judge(story_id, LABEL_KEYS[key])
            judged += 1
            click.echo(f"-> {LABEL_KEYS[key]}")
        else:
            click.echo("-> skipped")
    return judged


def _lede(text: str, words: int = 70) -> str:
    """The opening of a story: its first paragraphs, up to about ``words`` words."""
    out = []
    for paragraph in (text or "").splitlines():
        if paragraph.strip():
            out.extend(paragraph.split())
        if len(out) >= words:
            break
    return " ".join(out[:words]) + (" …" if len(out) > words else "")


@contextmanager
def _keypresses():
    """A reader of one keypress at a time: the terminal in cbreak mode while it lasts (set
    before the first prompt, so no key typed after a prompt is lost), or standard input
    as it comes (a script piping its answers)."""
    if not sys.stdin.isatty():
        yield lambda: sys.stdin.read(1)
        return
    import os
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        yield lambda: os.read(fd, 1).decode("utf-8", "replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _review_key(read_key) -> str:
    """The next key of the review loop: s, r, u, n (space too) or q (end of input, Ctrl-C
    and Ctrl-D too); other keys are passed over."""
    click.echo("[s]ame story  [r]elated  [u]nrelated  [n]/space skip  [q]uit > ", nl=False)
    while True:
        try:
            key = read_key()
        except KeyboardInterrupt:
            key = "q"
        key = {"": "q", "\x03": "q", "\x04": "q", " ": "n"}.get(key, key.lower())
        if key in ("s", "r", "u", "n", "q"):
            click.echo("")
            return key


@cli.group()
def sources():
    """Source articles: the stories every crawled or ingested page is compared with."""


@sources.command("add")
@click.argument("target")
@db_option
@click.option("--id", "source_id", help="Short id: lowercase letters, digits, - and _ (default: from the title).")
@click.option("--title", help="Title, when the file does not start with it.")
@click.option("--published", help="Publication date (YYYY-MM-DD), when the page does not say.")
@click.option("--url", "address", help="Where a saved file was published (its site: a story of that site "
                                       "must open like a report of the same event).")
@click.option("--outlet", help="Who published it, when no address is known: stories fed with that outlet "
                               "(ingest records' \"outlet\") are then of its site.")
@click.option("--replace", is_flag=True,
              help="Replace the source of this id already in the archive (a title, date, address or outlet "
                   "not given again is kept).")
def sources_add(target, db_path, source_id, title, published, address, outlet, replace):
    """Add a source from a saved file (HTML or text) or a URL, and profile it.

    Example: newsmon sources add data/sources/mps-not-border-guards.txt --published 2018-10-12
    """
    from crawler.watch import Source, iso_date, valid_id
    from crawler.fetch import FetchError, fetch_page
    from pipelines.sources import SourceError, slug, source_row

    if source_id is not None and not valid_id(source_id):
        raise click.ClickException(f"--id {source_id!r} is not a valid id (lowercase letters, digits, - and _)")
    if published is not None and iso_date(published) is None:
        raise click.ClickException(f"--published {published!r} is not a date like 2018-10-12")
    if address is not None and not (address.startswith(("http://", "https://")) and urlsplit(address).hostname):
        raise click.ClickException(f"--url {address!r} is not a web address (http or https, with a host)")
    if outlet is not None and (not outlet.strip() or len(outlet) > 200 or not outlet.isprintable()):
        raise click.ClickException(f"--outlet {outlet!r} is not an outlet's name")
    html = None
    try:
        if target.startswith(("http://", "https://")):
            if address is not None:
                raise click.ClickException("--url is for a saved file: a source fetched from its URL has it")
            html, _url = fetch_page(target)
            source = Source(id=source_id or "pending", url=target, title=title, published=published, outlet=outlet)
        else:
            path = Path(target)
            if not path.exists():
                raise click.ClickException(f"{target}: no such file")
            source = Source(id=source_id or "pending", path=path.resolve(), url=address, title=title,
                            published=published, outlet=outlet)
        row = source_row(source, html=html)
    except (FetchError, SourceError) as exc:
        raise click.ClickException(str(exc)) from None
    if not source_id:
        row["id"] = slug(row["title"] or Path(target).stem)
    with open_archive(db_path, write=True, create=True) as archive:
        stored = next((s for s in archive.sources() if s["id"] == row["id"]), None)
        if stored and not replace:
            raise click.ClickException(f"a source {row['id']!r} is already in {db_path}: pass --replace to "
                                       f"replace it, or --id to add this one under another id")
        if stored and not (row["title"] and row["published"] and (source.url or source.outlet)):
            # What this addition does not say is kept, not erased (and profiled with). An
            # outlet is kept as the site it gave (a source with an address has its host).
            kept = None if stored["url"] else next(
                (p["profile"].get("site") for p in archive.source_profiles([row["id"]])), None)
            source = dataclasses.replace(source, id=row["id"], title=row["title"] or stored["title"],
                                         published=row["published"] or stored["published"],
                                         url=source.url or stored["url"], outlet=source.outlet or kept)
            try:
                row = source_row(source, html=html)
            except SourceError as exc:
                raise click.ClickException(str(exc)) from None
        archive.add_source(row)
    profile = row["profile"]
    click.echo(f"Source {row['id']!r}: {row['title'] or '(no title)'} ({row['published'] or 'date unknown'})")
    click.echo(f"  site: {profile.get('site') or 'unknown (give --url or --outlet)'}")
    click.echo(f"  key terms: {', '.join(list(profile['terms'])[:12])}")
    click.echo(f"  people: {', '.join(profile['people']) or '-'}")
    click.echo(f"  organisations: {', '.join(profile['organisations']) or '-'}")
    click.echo("  figures: " + ("; ".join(dict.fromkeys(f["text"] for f in profile["facts"])) or "-"))
    click.echo(f"  quotes: {len(profile['quotes'])}")


@sources.command("show")
@click.argument("source_id")
@db_option
@watch_option("Watch file, for queries it sets itself.")
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
        click.echo(json.dumps({**row, "site": profile.get("site"),
                               "queries": [queries.show(q) for q in qs], "queries_from": origin,
                               "key_terms": list(profile["terms"])[:20], "people": profile["people"],
                               "organisations": profile["organisations"],
                               "figures": [f["text"] for f in profile["facts"]], "quotes": profile["quotes"]},
                              indent=2, ensure_ascii=False))
        return
    click.echo(f"Source {source_id!r}: {row['title'] or '(no title)'} ({row['published'] or 'date unknown'})")
    click.echo(f"  url: {row['url'] or '-'}   file: {row['path'] or '-'}   site: {profile.get('site') or '-'}")
    click.echo(f"  key terms: {', '.join(list(profile['terms'])[:12])}")
    click.echo(f"  people: {', '.join(profile['people']) or '-'}")
    click.echo(f"  organisations: {', '.join(profile['organisations']) or '-'}")
    click.echo("  figures: " + ("; ".join(dict.fromkeys(f["text"] for f in profile["facts"])) or "-"))
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
        if row.get("evidence"):
            _section("What made the same-story score (log-odds each piece of evidence added)",
                     evidence_lines(row["evidence"]))
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


def same_story_dates(dated: int, undated: int) -> str:
    """How the archive's comparisons with a source stood in time."""
    return (f"Same-story comparisons with both dates known: {dated} (days apart count from the third); "
            f"without: {undated} (the text alone decides, by trees learnt from pairs of any distance apart)")


def same_story_words(stories: int) -> str:
    """What the same-story decision weighs words by, for an archive of this many stories."""
    from pipelines.samestory import MIN_ARCHIVE_STORIES

    if stories >= MIN_ARCHIVE_STORIES:
        return f"Same-story words weighed by how few of the archive's {stories} stories use them"
    return (f"Same-story words weighed by English-wide frequency until the archive holds {MIN_ARCHIVE_STORIES} "
            f"stories (it holds {stories}); then by how few of its stories use them")


EVIDENCE_WORDS = {
    "head": "headlines alike", "lede": "openings alike", "body": "whole texts alike",
    "cover": "the source's key words in the story", "inside": "the story's key words in the source",
    "names": "names in both", "names_j": "names in both, of all named",
    "head_names_missing": "names in a headline the other never uses", "figures": "figures in both",
    "days": "days apart",
    "weekdays_apart": "weekdays named, none in common (another day's event)",
    "lede_weekday_shared": "openings name the same weekday",
    "same_outlet": "both from one site (its house style and background shared; reports of one event open alike, "
                   "and days on it is the site's next step)",
    # the same again with each word weighed by how few of the archive's stories use it
    "head_archive": "headlines alike in words rare in this archive",
    "lede_archive": "openings alike in words rare in this archive",
    "lede_beyond_names": "openings alike in words other than names (one site's two reports of one event say "
                         "what happened alike)",
    "body_archive": "whole texts alike in words rare in this archive",
    # (undated pairs) that cosine less the larger of the two texts' usual likeness to the archive's stories
    "standout": "more alike than either text is to its 3rd-5th nearest archived stories",
}


def evidence_lines(evidence: dict) -> list[str]:
    """The same-story evidence of a comparison in words, strongest first."""
    from pipelines.samestory import dated

    values = evidence.get("features") or {}
    detail = {"names": ", ".join(evidence.get("shared_names") or []),
              "figures": ", ".join(evidence.get("shared_figures") or []),
              "head_names_missing": ", ".join(evidence.get("story_head_names_missing") or []),
              "days": str(evidence.get("days_apart"))}
    named = evidence.get("weekdays") or {}
    if named.get("story") or named.get("source"):
        detail["weekdays_apart"] = detail["lede_weekday_shared"] = \
            f"story {', '.join(named.get('story') or ['none'])}; source {', '.join(named.get('source') or ['none'])}"
    lines = []
    for name, effect in (evidence.get("effects") or {}).items():
        value = detail.get(name) or f"{values.get(name, 0):.2f}"
        lines.append(f"{effect:+.1f}  {EVIDENCE_WORDS.get(name, name)} ({value})")
    if values.get("same_outlet") and values.get("opinion"):
        lines.append("opinion or analysis: it opens on an argument, so its opening need not tell the event")
    if values and not dated(values):
        lines.append("no date on one side: the text alone decided, by trees learnt from pairs of any distance apart")
    return lines


def _relabelled(counts) -> None:
    """Say what the watch's topic model, taught since, changed of the archived stories' labels."""
    changed = {k: v for k, v in counts.items() if k != "unchanged"}
    if changed and not quiet():
        click.echo("Archived stories judged again by the watch's topic model, changed since they were labelled "
                   "(the reader's judgements or its file): "
                   + ", ".join(f"{v} {k}" for k, v in sorted(changed.items())))


def _section(title: str, items: list[str]):
    click.echo(f"\n{title}: " + ("none" if not items else ""))
    for item in items:
        click.echo(f"  - {item}")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@watch_option("Watch file: its topic and sources are used.")
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

    from newsmon.ingest import IngestError, Ingestor, read_inputs
    from newsmon.progress import Progress
    from pipelines.compare import load_framing
    from pipelines.relevance import Thresholds, relabel
    from pipelines.sources import SourceError, source_row
    from pipelines.topic import TopicError, watch_judge

    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    settings = config(watch)  # the same values a crawl of this watch would judge by
    counts = Counter()
    out = output_file(decisions_path, "decisions") if decisions_path else None
    try:
        with open_archive(db_path, write=True, create=True) as archive:
            try:
                archive.sync_watch(watch, [source_row(s) for s in watch.sources if s.path])
            except SourceError as exc:
                raise click.ClickException(str(exc)) from None
            try:  # the watch's topic, taught by the judgements in the archive
                judge = watch_judge(watch.topic, archive, settings.getfloat("NEWSMON_RELEVANCE_TOPIC"))
            except TopicError as exc:
                raise click.ClickException(str(exc)) from None
            _relabelled(relabel(archive, judge, Thresholds.from_settings(settings)))
            ingestor = Ingestor(archive, judge, Thresholds.from_settings(settings),
                                load_framing(settings["NEWSMON_FRAMING_LEXICON"]),
                                keep_unrelated=keep == "all" or settings.getbool("NEWSMON_KEEP_UNRELATED"),
                                outlet_for=watch.outlet_for, min_words=settings.getint("NEWSMON_MIN_ARTICLE_WORDS"))
            try:
                with Progress("Ingesting: inputs") as bar:
                    for decision in ingestor.run(read_inputs(list(paths),
                                                             max_bytes=settings.getint("DOWNLOAD_MAXSIZE"))):
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
            except (ArchiveError, sqlite3.Error, OSError) as exc:
                archive_stopped(exc, db_path, counts, "ingest again: inputs already archived are recognised")
    finally:
        if out:
            out.close()
    if not counts:
        raise click.ClickException(f"nothing to ingest in {', '.join(paths)} (HTML files, JSONL or WARC)")
    if not quiet():
        click.echo("Ingested: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    inputs = sum(v for k, v in counts.items() if k not in ("same_story", "related", "unrelated"))
    exit_status(inputs - counts["skipped"], counts["skipped"], f"every one of {inputs} inputs was skipped")


@cli.command()
@db_option
@click.option("--rebuild", is_flag=True, required=True,
              help="Recompute every signature and copy group (after changing NEWSMON_DEDUP_*).")
def dedup(db_path, rebuild):
    """Recompute near-duplicate signatures and copy groups for the whole archive.

    Example: newsmon dedup --rebuild
    """
    from pipelines.dedup import NearDupSettings

    neardup = NearDupSettings.from_settings(config())  # the layout to rebuild with, recorded after
    archive = open_archive(db_path, write=True, neardup=neardup, relayout=True)
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
@watch_option("Watch file whose Atom alert feeds to serve too.")
def serve(db_path, host, port, watch_path):
    """Open the archive in Datasette, with table descriptions and canned queries, and the
    watch's Atom alert feeds at /-/feeds/<watch>-<alert id>.atom.

    Needs the extra: pip install -e ".[datasette]"

    Example: newsmon serve --port 8001
    """
    import shutil
    import signal
    import subprocess
    import tempfile

    from newsmon.serve import metadata

    datasette = shutil.which("datasette", path=str(Path(sys.executable).parent)) or shutil.which("datasette")
    if datasette is None:
        raise click.ClickException('Datasette is not installed: pip install -e ".[datasette]"')
    with open_archive(db_path):
        pass  # a clear error for a missing or broken archive
    # Datasette runs as a child, so the files it is given are removed when it stops.
    with tempfile.TemporaryDirectory(prefix="newsmon-serve-") as folder:
        meta = Path(folder) / "metadata.json"
        meta.write_text(json.dumps(metadata(db_path)), encoding="utf-8")
        extra = serve_feeds(watch_path, db_path, host, port, folder)
        click.echo(f"Serving {db_path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
        child = subprocess.Popen([datasette, "serve", str(db_path), "--metadata", str(meta),
                                  "--host", host, "--port", str(port), *extra])

        def forward(signum, _frame):
            child.send_signal(signum)

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, forward)
        code = child.wait()
    sys.exit(0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code)


# --- alerts -------------------------------------------------------------------------------

def send_alerts(watch, db_path: str) -> list[dict]:
    """Send what the watch's channels are due (after a crawl); a failure is an outcome, not
    an error: the crawl went fine, and the message waits for the next send."""
    from crawler.notify import send_due

    if not watch.alerts:
        return []
    try:
        return send_due(watch, db_path)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


def show_alerts(outcomes: list[dict]):
    for o in outcomes:
        what = f"{o['kind']} of {o['items']} item{'s' if o['items'] != 1 else ''}"
        if o["status"] == "sent":
            click.echo(f"  alert {o['channel']} ({o['type']}): {what} sent")
        elif o["status"] == "busy":
            click.echo(f"  alerts: {o['error']}; they go out with its send")
        else:
            click.echo(f"  alert {o['channel']} ({o['type']}): {what} not sent: "
                       f"{o['error']} (tried again from {o.get('retry', 'the next send')})")


def alert_status(watch, db_path: str) -> list[dict]:
    """Per [[alert]] channel of the watch: the last message sent and the one waiting."""
    from pipelines import alerts as alert_state

    if not watch.alerts:
        return []
    with open_archive(db_path) as archive:
        health = {h["channel"]: h for h in alert_state.channel_health(archive, watch.name)}
    return [{"channel": c.id, "type": c.type, **{k: v for k, v in health.get(c.id, {}).items() if k != "channel"}}
            for c in watch.alerts]


def alert_status_lines(watch, db_path: str) -> list[str]:
    rows = alert_status(watch, db_path)
    if not rows:
        return ["\nAlerts: none ([[alert]] tables in the watch file add channels)"]
    lines = [f"\nAlerts: {len(rows)} channels"]
    for row in rows:
        sent, waiting = row.get("last_sent"), row.get("waiting")
        line = f"  {row['channel']} ({row['type']}): " + (
            f"last sent {sent['sent_at']} ({sent['kind']}, {sent['items']} items)" if sent else "nothing sent yet")
        if waiting and waiting["attempts"]:
            line += (f"; FAILING: {waiting['items']} items waiting since {waiting['created_at']}, "
                     f"{waiting['attempts']} tries, last error: {waiting['last_error']}; "
                     f"next try from {waiting['next_attempt']}")
        elif waiting:
            line += f"; {waiting['items']} items waiting since {waiting['created_at']}"
        lines.append(line)
    return lines


def serve_feeds(watch_path: str, db_path: str, host: str, port: int, folder: str) -> list[str]:
    """Datasette arguments serving the watch's Atom alert feeds (none without a watch); its
    plugin is written into ``folder``."""
    import os

    from crawler.notify import feed_path
    from newsmon.serve import FEED_PLUGIN, FEED_ROUTE, FEEDS_ENV

    feeds = {}
    demo_feed = Path(db_path).resolve().with_name(Path(db_path).stem + "-alerts.atom")
    if demo_feed.is_file():  # written by `newsmon demo` beside its archive
        feeds["demo"] = str(demo_feed)
    try:
        watch = load_watch(watch_path)
        feeds.update({f"{watch.name}-{c.id}": str(feed_path(c, db_path, watch.name)) for c in watch.alerts
                      if c.type == "atom"})
    except WatchError:
        pass  # the archive is served all the same
    if not feeds:
        return []
    Path(folder, "newsmon_feeds.py").write_text(FEED_PLUGIN, encoding="utf-8")
    os.environ[FEEDS_ENV] = json.dumps(feeds)
    for name in feeds:
        click.echo(f"Alert feed: http://{host}:{port}{FEED_ROUTE.format(name=name)}", err=True)
    return ["--plugins-dir", folder]


def watch_for_alerts(watch_path: str):
    try:
        watch = load_watch(watch_path)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from None
    if not watch.alerts:
        raise click.ClickException(f"{watch_path} has no [[alert]] table: add one (type = \"atom\", "
                                   "\"email\" or \"webhook\"; see README, Alerts)")
    return watch


@cli.group()
def alerts():
    """Alerts: new coverage told through the watch's [[alert]] channels (Atom feed, email,
    webhook), each thing once per channel."""


@alerts.command("send")
@db_option
@watch_option("Watch file (its [[alert]] tables).")
def alerts_send(db_path, watch_path):
    """Send what is due now: what the archive holds that a channel has not been told,
    and messages waiting after a failure (for cron; crawls send by themselves).

    Example: newsmon alerts send --watch data/watch.toml
    """
    watch = watch_for_alerts(watch_path)
    open_archive(db_path).close()  # a clear error for a missing archive
    outcomes = send_alerts(watch, db_path)
    if not outcomes:
        click.echo("Nothing due: every channel has been told everything.")
    show_alerts(outcomes)
    if any(o["status"] == "failed" for o in outcomes):
        sys.exit(1)


@alerts.command("test")
@db_option
@watch_option("Watch file (its [[alert]] tables).")
def alerts_test(db_path, watch_path):
    """Send a sample message through each channel and say what happened (nothing is
    recorded; an Atom feed is only checked to be writable, its readers see no sample).

    Example: newsmon alerts test
    """
    from crawler.notify import try_channels

    watch = watch_for_alerts(watch_path)
    results = try_channels(watch, db_path)
    for r in results:
        click.echo(f"{r['channel']} ({r['type']}): " + (r.get("detail") or "") if r["status"] != "failed"
                   else f"{r['channel']} ({r['type']}): FAILED: {r['error']}")
    if any(r["status"] == "failed" for r in results):
        sys.exit(1)


@alerts.command("list")
@db_option
@click.option("--watch-name", "watch_name", help="Only this watch's messages (its [watch] name).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=0), help="At most this many (0: all).")
@output_options
def alerts_list(db_path, watch_name, limit, fmt):
    """What was sent, when and where: one row per message (a summary or a digest), newest
    first, with waiting ones and their last error.

    Example: newsmon alerts list --json
    """
    from pipelines import alerts as alert_state

    with open_archive(db_path) as archive:
        rows = alert_state.history(archive, watch_name, limit or None)
    emit(rows, fmt, ["id", "watch", "channel", "kind", "items", "status", "created_at", "sent_at", "attempts",
                     "last_error"] + (["uid", "next_attempt"] if fmt != "table" else []),
         widths={"last_error": 60})


# --- damaged archives: check and recover ------------------------------------------------

@cli.command()
@db_option
@click.option("--upgrade", is_flag=True,
              help="Then bring an archive made by an older newsmon up to date (its tables and its mark).")
def check(db_path, upgrade):
    """Look for damage in the archive: SQLite's integrity check (every page, record and
    index), the full-text index against the stories, and every story's text against its
    hash. Exits 1 when anything is damaged. Nothing is written (except with --upgrade).

    Example: newsmon check --db data/archive.db
    """
    from newsmon.progress import Progress
    from pipelines.archive import plain_problem
    from pipelines.repair import check as find_damage

    click.get_current_context().meta["newsmon.db"] = db_path
    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    with Progress("Checking texts") as bar:
        report = find_damage(db_path, progress=bar.update)
    counts = ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in report.counts.items())
    for note_line in report.notes:
        note(f"note: {note_line}")
    if not report.ok:
        click.echo(f"{db_path} is damaged:")
        lines = [plain_problem(line) for problem in report.problems for line in problem.splitlines()
                 if line.strip() and not line.startswith("*** in database")]
        for line in lines[:20]:
            click.echo(f"  {line}")
        for table, ids in report.damaged_texts.items():
            if ids:
                shown = ", ".join(map(str, ids[:20])) + (" ..." if len(ids) > 20 else "")
                click.echo(f"  {table}: {len(ids)} text{'s' if len(ids) > 1 else ''} no longer match their "
                           f"hash (ids {shown})")
        raise click.ClickException(f"save what can be read with `newsmon recover NEW.db --db {db_path}`, "
                                   "then use NEW.db (or restore a backup)")
    click.echo(f"{db_path}: no damage found ({counts}; integrity check, full-text index and texts all in order)")
    if upgrade:
        open_archive(db_path, write=True).close()
        click.echo(f"{db_path}: up to date")


@cli.command()
@click.argument("output", type=click.Path(dir_okay=False))
@db_option
def recover(output, db_path):
    """Save what can still be read of a damaged archive into a new archive OUTPUT: every
    readable row whose text matches its hash, under the same ids; then the search index
    and the near-duplicate bands are rebuilt. The damaged file is only read.

    Example: newsmon recover data/recovered.db --db data/archive.db
    """
    from newsmon.progress import Progress
    from pipelines.dedup import NearDupSettings
    from pipelines.repair import recover as salvage_archive, show_ranges

    click.get_current_context().meta["newsmon.db"] = output
    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    neardup = NearDupSettings.from_settings(config())
    with Progress("Recovering rows") as bar:
        salvage = salvage_archive(db_path, output, neardup=neardup, progress=lambda _table, n: bar.update(n))
    click.echo(f"Recovered into {output}: " + ", ".join(
        f"{n} {t.replace('_', ' ')}" for t, n in salvage.copied.items() if n))
    for table, ranges in salvage.unreadable.items():
        click.echo(f"  {table}: rows that could not be read, row ids {show_ranges(ranges)}")
    for table, ids in salvage.damaged_texts.items():
        click.echo(f"  {table}: {len(ids)} damaged texts left out (ids {', '.join(map(str, ids[:20]))})")
    for table, n in salvage.orphans.items():
        click.echo(f"  {table}: {n} row{'s' if n != 1 else ''} left out with the story or source "
                   f"{'they' if n != 1 else 'it'} belonged to")
    for table, n in salvage.restored.items():
        click.echo(f"  {table}: {n} made again from their story's row (theirs could not be read)")
    click.echo("Stories left out are fetched again by the next crawl. "
               f"Check the result with `newsmon check --db {output}`.")


@cli.command("settings")
@watch_option("Watch file whose [crawl] table to apply [default: none, only defaults, environment and -s].")
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
def settings_command(watch_path, names, as_json):
    """Every setting as this command line resolves it (defaults, the watch's [crawl], the
    environment, -s NAME=VALUE), with where its value came from; NAMES: only those
    (a prefix ends with *).

    Example: NEWSMON_DEDUP_BANDS=32 newsmon settings 'NEWSMON_DEDUP_*' --watch data/watch.toml
    """
    from crawler import config as configuration

    ctx = click.get_current_context()
    watch = None
    if ctx.get_parameter_source("watch_path") != click.core.ParameterSource.DEFAULT:
        try:
            watch = load_watch(watch_path)
        except WatchError as exc:
            raise click.ClickException(str(exc)) from None
    resolved = config(watch)
    keys = {setting: key for key, setting in __import__("crawler.settings", fromlist=["x"]).WATCH_OVERRIDABLE.items()}
    chosen = [n for n in configuration.names()
              if not names or any(n == p or (p.endswith("*") and n.startswith(p[:-1])) for p in names)]
    if names and not chosen:
        raise click.ClickException(f"no setting matches {' '.join(names)}")
    rows = [{"name": n, "value": resolved.get(n), "from": configuration.origin(resolved, n),
             "watch_key": keys.get(n)} for n in chosen]
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    click.echo(tabulate([{**r, "value": json.dumps(r["value"], default=str)[:70]} for r in rows], headers="keys"))


def _with_settings_option(command):
    """``-s NAME=VALUE`` on the group and on every command."""
    command.params.append(click.Option(["-s", "--set"], **SETTINGS_OPTION))
    for sub in getattr(command, "commands", {}).values():
        _with_settings_option(sub)


_with_settings_option(cli)


def main():
    cli(prog_name="newsmon")


if __name__ == "__main__":
    main()
