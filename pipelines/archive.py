"""The SQLite archive: schema as sqlite-utils migrations, batched writes, queries.

The crawl's store stage and the CLI both go through ``Archive``; everything is
plain SQLite, so sqlite-utils and Datasette read the same tables and views.
"""

from __future__ import annotations

import difflib
import errno
import json
import logging
import os
import sqlite3
import time
from contextlib import contextmanager
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from dataclasses import replace

import numpy as np
import sqlite_utils
from sqlite_utils.migrations import Migrations

from pipelines import dedup
from pipelines.text import text_hash

logger = logging.getLogger(__name__)

LEDE_MAX_SHARED = 50  # stories one opening may lead to before it counts as boilerplate
LABELS = ("same_story", "related", "unrelated")

migrations = Migrations("newsmon")


@migrations()
def m001_initial(db: sqlite_utils.Database):
    db["outlets"].create({"id": str, "name": str, "homepage": str, "watched": int}, pk="id")
    db["sources"].create({"id": str, "title": str, "url": str, "published": str, "path": str,
                          "text": str, "added_at": str}, pk="id")
    db["stories"].create({
        "id": int, "outlet": str, "title": str, "url": str, "canonical_url": str,
        "authors": str, "published": str, "date_source": str, "modified": str,
        "language": str, "sitename": str, "section": str, "description": str, "image": str,
        "text": str, "word_count": int, "text_hash": str, "revision": int,
        # 1 when the text came from the page at its own canonical URL, 0 from a variant
        "text_authoritative": int,
        "first_seen": str, "last_seen": str, "discovered_via": str, "field_sources": str,
        # Seams for later stages: relevance label and scores fill these.
        "label": str,
    }, pk="id", foreign_keys=[("outlet", "outlets", "id")], not_null={"url", "text", "text_hash"})
    db["stories"].create_index(["text_hash"])
    db["stories"].create_index(["outlet", "published"])
    # Every URL a story was seen under, as seen; ``normalised`` is the dedup key.
    # text_hash: what this URL served last time, so a change at the URL is a revision
    # while a variant (AMP, print) serving slightly other text is not.
    db["story_urls"].create({"url": str, "normalised": str, "story_id": int, "first_seen": str,
                             "last_seen": str, "discovered_via": str, "text_hash": str}, pk="url",
                            foreign_keys=[("story_id", "stories", "id")])
    db["story_urls"].create_index(["story_id"])
    db["story_urls"].create_index(["normalised"])
    db["story_urls"].create_index(["text_hash"])
    db["story_revisions"].create({
        "id": int, "story_id": int, "revision": int, "fetched_at": str, "title": str,
        "modified": str, "text": str, "text_hash": str, "diff": str,
    }, pk="id", foreign_keys=[("story_id", "stories", "id")])
    db["story_revisions"].create_index(["story_id", "revision"], unique=True)
    db["story_revisions"].create_index(["text_hash"])
    db["fetch_state"].create({
        "url": str, "kind": str, "outlet": str, "last_fetch": str, "last_status": int,
        "etag": str, "last_modified": str, "content_hash": str, "failures": int, "last_error": str,
    }, pk="url")
    db["crawl_runs"].create({
        "id": int, "watch": str, "job": str, "started": str, "finished": str, "status": str,
        "requests": int, "pages": int, "stories_new": int, "urls_merged": int,
        "revisions": int, "unchanged": int, "dropped": str, "errors": int, "stats": str,
    }, pk="id")
    db["stories"].enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True,
                             tokenize="porter unicode61 remove_diacritics 2")
    db.create_view("story_overview", """
        select s.id, s.outlet, o.name as outlet_name, s.title, s.published, s.date_source,
               s.authors, s.word_count, s.url, s.label,
               (select count(*) from story_urls u where u.story_id = s.id) as urls,
               s.revision as revisions, s.first_seen, s.last_seen
        from stories s left join outlets o on o.id = s.outlet
    """)
    db.create_view("coverage_by_outlet_day", """
        select s.outlet, substr(s.published, 1, 10) as day, count(*) as stories
        from stories s where s.published is not null
        group by s.outlet, day order by day, s.outlet
    """)


@migrations()
def m002_relevance(db: sqlite_utils.Database):
    db["sources"].add_column("profile", str)
    db["stories"].add_column("topic_score", float)
    db["stories"].add_column("same_story_score", float)
    db["stories"].add_column("source_id", str)
    db["stories"].create_index(["label"])
    # Pages judged unrelated: not stories, but not to be fetched again.
    db["remembered_urls"].create({"normalised": str, "url": str, "reason": str, "first_seen": str,
                                  "last_seen": str}, pk="normalised")
    db["comparisons"].create({
        "story_id": int, "source_id": str, "similarity": float, "same_story_score": float,
        "facts_agree": str, "facts_conflict": str, "quotes_shared": str,
        "people_both": str, "people_story_only": str, "people_source_only": str,
        "organisations_both": str, "organisations_story_only": str, "organisations_source_only": str,
        "framing_story_only": str, "framing_source_only": str, "framing_both": str,
        "published_relation": str, "days_from_source": int, "computed_at": str,
    }, pk=("story_id", "source_id"), foreign_keys=[("story_id", "stories", "id"),
                                                   ("source_id", "sources", "id")])
    db.create_view("related_coverage", """
        select s.id, s.label, s.published, s.outlet, o.name as outlet_name, s.title,
               s.same_story_score, s.topic_score, s.source_id, s.url
        from stories s left join outlets o on o.id = s.outlet
        where s.label in ('same_story', 'related')
        order by s.published
    """)
    db.create_view("conflicting_facts", """
        select c.story_id, s.outlet, s.title, c.source_id,
               json_extract(f.value, '$.noun') as noun,
               json_extract(f.value, '$.story_value') as story_value,
               json_extract(f.value, '$.source_value') as source_value,
               json_extract(f.value, '$.story_sentence') as story_sentence,
               json_extract(f.value, '$.source_sentence') as source_sentence
        from comparisons c join stories s on s.id = c.story_id, json_each(c.facts_conflict) f
    """)
    db.execute("drop view story_overview")
    db.create_view("story_overview", """
        select s.id, s.outlet, o.name as outlet_name, s.title, s.published, s.date_source,
               s.authors, s.word_count, s.url, s.label, s.same_story_score, s.topic_score,
               (select count(*) from story_urls u where u.story_id = s.id) as urls,
               s.revision as revisions, s.first_seen, s.last_seen
        from stories s left join outlets o on o.id = s.outlet
    """)


@migrations()
def m003_copies(db: sqlite_utils.Database):
    # Near-duplicates: each story's MinHash signature and its LSH band keys (indexed),
    # so a page crawled today is matched against everything archived, by any process.
    db["story_signatures"].create({"story_id": int, "signature": bytes, "shingles": int},
                                  pk="story_id", foreign_keys=[("story_id", "stories", "id")])
    # One B-tree, keyed by band: a lookup is an index range, an insert touches one tree.
    db.execute("create table lsh_bands (band_key integer not null, story_id integer not null "
               "references stories(id), primary key (band_key, story_id)) without rowid")
    # Copies of one article at several outlets share a group: the id of its first story.
    db["stories"].add_column("copy_group", int)
    db["stories"].create_index(["copy_group"])
    db.create_view("copy_groups", """
        select s.copy_group as group_id, count(*) as copies,
               group_concat(s.outlet, ', ') as outlets, min(s.published) as first_published,
               max(s.published) as last_published,
               (select t.title from stories t where t.copy_group = s.copy_group
                order by t.published, t.id limit 1) as title
        from stories s where s.copy_group is not null group by s.copy_group
    """)


@migrations()
def m004_run_owners(db: sqlite_utils.Database):
    # Which outlets a run covered, and the process that ran it (to tell a dead run).
    db["crawl_runs"].add_column("outlets", str)
    db["crawl_runs"].add_column("pid", int)


@migrations()
def m005_outlet_view(db: sqlite_utils.Database):
    db.create_view("coverage_by_outlet", """
        select s.outlet, o.name as outlet_name, count(*) as stories,
               sum(s.label = 'same_story') as same_story, sum(s.label = 'related') as related,
               min(s.published) as first_published, max(s.published) as latest_published
        from stories s left join outlets o on o.id = s.outlet group by s.outlet
    """)


@migrations()
def m006_run_outcomes(db: sqlite_utils.Database):
    # What a run skipped and which errors it met, by kind (JSON), next to their totals.
    db["crawl_runs"].add_column("skipped", str)
    db["crawl_runs"].add_column("error_kinds", str)


@migrations()
def m007_archive_settings(db: sqlite_utils.Database):
    # Settings the archive's contents depend on (the LSH band layout): name -> value.
    db["archive_settings"].create({"name": str, "value": str}, pk="name")
    if db["lsh_bands"].count:  # bands cut before the layout was recorded: the old default
        db["archive_settings"].insert({"name": "lsh_layout", "value": "128x5/32"})


@migrations()
def m008_judgements(db: sqlite_utils.Database):
    # The reader's judgements: one a story, kept whatever a later crawl, revision or
    # rebuild says. stories.label is the label in force (the reader's, else newsmon's),
    # so every query, view and export reads it as before; auto_label is newsmon's own,
    # label_why (JSON) what newsmon's label rests on (terms, model score and features).
    db.execute("""create table judgements (
        story_id integer primary key references stories(id),
        label text not null check (label in ('same_story', 'related', 'unrelated')),
        judged_at text not null, auto_label text, note text)""")
    db["stories"].add_column("auto_label", str)
    db["stories"].add_column("label_why", str)
    db.execute("update stories set auto_label = label")
    # A judgement sets the label in force; a judgement taken back restores newsmon's.
    # (Newsmon's own later labels of a judged story, from a re-crawl or a revision, go to
    # auto_label alone: Archive._add_page. Not a trigger on stories: a trigger updating
    # the row being updated would feed the full-text index's own trigger stale values.)
    db.execute("""create trigger judgement_added after insert on judgements begin
        update stories set label = new.label where id = new.story_id; end""")
    db.execute("""create trigger judgement_changed after update on judgements begin
        update stories set label = new.label where id = new.story_id; end""")
    db.execute("""create trigger judgement_removed after delete on judgements begin
        update stories set label = auto_label where id = old.story_id; end""")
    # The topic model that judged a remembered URL unrelated: another model looks again.
    db["remembered_urls"].add_column("model", str)
    db.execute("drop view story_overview")
    db.create_view("story_overview", """
        select s.id, s.outlet, o.name as outlet_name, s.title, s.published, s.date_source,
               s.authors, s.word_count, s.url, s.label,
               case when j.story_id is null then 'newsmon' else 'reader' end as label_by,
               s.auto_label, s.same_story_score, s.topic_score,
               (select count(*) from story_urls u where u.story_id = s.id) as urls,
               s.revision as revisions, s.first_seen, s.last_seen
        from stories s left join outlets o on o.id = s.outlet left join judgements j on j.story_id = s.id
    """)


@migrations()
def m009_alerts(db: sqlite_utils.Database):
    # What is worth telling (pipelines/alerts.py): one row per thing, per watch, under a
    # stable key, so a rerun crawl or a rescan finds it already there.
    db["alert_items"].create({
        "id": int, "watch": str, "key": str, "kind": str, "label": str, "source_id": str,
        "story_id": int, "outlet": str, "outlet_name": str, "copy_group": int, "title": str,
        "url": str, "published": str, "detail": str, "noticed_at": str,
    }, pk="id")
    db["alert_items"].create_index(["watch", "key"], unique=True)
    # One message (a summary or digest) per channel and send: written with its items before
    # it is sent, marked sent after, so a crash mid-send resends the same message (same uid).
    db["alert_messages"].create({
        "id": int, "watch": str, "channel": str, "uid": str, "kind": str, "items": int,
        "created_at": str, "status": str, "attempts": int, "last_attempt": str,
        "next_attempt": str, "last_error": str, "sent_at": str,
        "rendered": str,  # what a feed shows of it (Atom entries, JSON), kept for rewriting the feed
    }, pk="id")
    db["alert_messages"].create_index(["watch", "channel", "status"])
    # Which message told an item to a channel: the primary key makes it once per channel.
    db["alert_deliveries"].create({"item_id": int, "channel": str, "message_id": int},
                                  pk=("item_id", "channel"),
                                  foreign_keys=[("item_id", "alert_items", "id"),
                                                ("message_id", "alert_messages", "id")])
    db["alert_deliveries"].create_index(["message_id"])


@migrations()
def m011_samestory_evidence(db: sqlite_utils.Database):
    # What made a story the same story as a source (or not): the evidence and its weight (JSON).
    db["comparisons"].add_column("evidence", str)


# A page of the same outlet matched as a new version of a story but holding less than this
# share of its text (word shingles, as dedup counted them) is an excerpt of it (a teaser, a
# summary), not the story updated.
EXCERPT_SHARE = 0.5


class ArchiveError(Exception):
    """A problem with the archive or a query; str() is a sentence for the user."""


class NotAnArchive(ArchiveError):
    """A file that is not a newsmon archive: left exactly as it is."""


class ArchiveDamaged(ArchiveError):
    """The archive's file is damaged; str() says what to do."""


class ArchiveFull(ArchiveError):
    """The disk (or the archive's size limit) is full; nothing half-written stays."""


# The archive's mark in the SQLite header (PRAGMA application_id, "nwsm"): set when an
# archive is created, and on the first write to one made before archives were marked.
APPLICATION_ID = 0x6E77736D
# Below this much free space on the archive's disk, SQLite's "disk I/O error" (a WAL or
# shared-memory file that cannot grow) is a full disk.
LOW_SPACE_BYTES = 1024 * 1024


def archive_fault(exc: BaseException, path: str | Path) -> ArchiveError | None:
    """The archive fault behind a sqlite3 error, as a one-line ArchiveError: a damaged
    file, or a full disk; None for any other error (a query's own, a lock)."""
    if isinstance(exc, ArchiveError):
        return exc
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return ArchiveFull(f"disk full writing {path}")
    if not isinstance(exc, sqlite3.Error):
        return None
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    message = str(exc)
    if code == sqlite3.SQLITE_FULL or "database or disk is full" in message:
        return ArchiveFull(f"disk full writing {path}")
    if (code == sqlite3.SQLITE_IOERR or "disk I/O error" in message) and _low_space(path):
        return ArchiveFull(f"disk full writing {path} ({message})")
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or any(
            m in message for m in ("malformed", "corrupt", "Could not decode to UTF-8")):
        return damaged(path, message)
    return None


def fault_kind(fault: ArchiveError) -> str:
    """The word a crawl's run and stats use for an archive fault."""
    return "disk-full" if isinstance(fault, ArchiveFull) else "archive-damaged"


def damaged(path: str | Path, problem: str) -> ArchiveDamaged:
    problem = plain_problem(problem)
    return ArchiveDamaged(f"{path} is damaged ({problem}): `newsmon check --db {path}` says where; "
                          f"`newsmon recover NEW.db --db {path}` saves what can be read into a new archive")


def plain_problem(message: str) -> str:
    """SQLite's account of a problem, on one line, without the damaged bytes it may quote."""
    lines = [line for line in message.splitlines() if line.strip() and not line.startswith("*** in database")]
    first = (lines or [message])[0]
    if "Could not decode to UTF-8" in first:  # Python quotes the undecodable text
        first = first.split(" with text ", 1)[0].replace("Could not decode to UTF-8", "text that is not UTF-8 in")
    return first[:160]


def _low_space(path: str | Path) -> bool:
    try:
        stat = os.statvfs(Path(path).resolve().parent)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < LOW_SPACE_BYTES


def _read_only_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def identify(path: str | Path) -> str:
    """What an existing file is, read without writing to it: "archive" (marked), "unmarked"
    (made by a newsmon from before archives were marked: it has newsmon's migrations) or
    "empty" (an empty SQLite file). Anything else raises NotAnArchive or ArchiveDamaged."""
    path = Path(path)
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot open {path} ({exc})") from None
    try:
        mark = conn.execute("PRAGMA application_id").fetchone()[0]
        if mark == APPLICATION_ID:
            return "archive"
        names = {row[0] for row in conn.execute("select name from sqlite_master")}
        if mark == 0 and not names:
            return "empty"
        if mark == 0 and "_sqlite_migrations" in names and conn.execute(
                "select 1 from _sqlite_migrations where migration_set = ? limit 1", [migrations.name]).fetchone():
            return "unmarked"
        what = f"application id {mark:#x}" if mark else \
            f"{len(names)} table{'s' if len(names) != 1 else ''} of its own, not newsmon's"
        raise NotAnArchive(f"{path} is not a newsmon archive (a SQLite database with {what}); newsmon "
                           "leaves it untouched: point --db at an archive, or at a new file to make one")
    except sqlite3.DatabaseError as exc:
        if "file is not a database" in str(exc):
            raise NotAnArchive(f"{path} is not a usable newsmon archive (file is not a database)") from None
        raise archive_fault(exc, path) or ArchiveError(f"cannot read {path} ({exc})") from None
    finally:
        conn.close()


def quick_check(db, path: str | Path) -> None:
    """SQLite's quick_check (every page and record read once: about 0.15 s per 175 MB once
    cached, measured); raises ArchiveDamaged naming the first problem."""
    try:
        problems = [row[0] for row in db.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        raise damaged(path, problems[0])


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Archive:
    """The archive at ``path``. ``create``: make it when there is none (its folder must
    exist). ``readonly``: opened read-only (``mode=ro``), for commands that only read: it
    is never written, not even its schema. ``verify``: run quick_check first. A file that
    is not a newsmon archive is refused (NotAnArchive) and left as it is."""

    def __init__(self, path: str | Path, create: bool = True,
                 neardup: dedup.NearDupSettings = dedup.NearDupSettings(),
                 readonly: bool = False, verify: bool = False, relayout: bool = False):
        """``neardup``: near-duplicate settings; the archive keeps the layout it was made with
        (shingles, permutations, bands) whatever is asked, unless ``relayout`` (for
        ``rebuild_copies``, `newsmon dedup --rebuild`)."""
        self.neardup = neardup
        self.relayout = relayout
        self.readonly = readonly
        path = Path(path)
        if path.is_dir():
            raise ArchiveError(f"{path} is a folder: give the archive's file")
        if not path.exists():
            if not create or readonly:
                raise ArchiveError(f"no archive at {path}: run `newsmon demo` or `newsmon crawl` first, "
                                   "or point --db at an existing archive")
            if not path.parent.is_dir():
                raise ArchiveError(f"cannot make an archive at {path}: there is no folder {path.parent}")
            kind = "new"
        else:
            kind = identify(path)
            if kind == "empty" and (readonly or not create):
                raise ArchiveError(f"{path} is an empty SQLite file, not a newsmon archive yet "
                                   "(a crawl or `newsmon ingest` makes one there)")
        self.path = path
        if readonly:
            self._open_read_only(path, verify)
            return
        # The crawl writes while the CLI or Datasette read: WAL and a busy timeout.
        deadline = time.monotonic() + 30
        while True:
            conn = sqlite3.connect(str(path), timeout=30)
            try:
                self.db = sqlite_utils.Database(conn)
                if verify and kind in ("archive", "unmarked"):
                    quick_check(self.db, path)
                if kind != "archive":
                    # Marked first: another process opening the new file meanwhile knows it.
                    self.db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA busy_timeout=30000")
                self.db.execute("PRAGMA foreign_keys=ON")
                # The band index of a large archive should stay in memory: 64 MB of page cache.
                self.db.execute("PRAGMA cache_size=-65536")
                migrations.apply(self.db)
                break
            except ArchiveError:
                conn.close()
                raise
            except sqlite3.OperationalError as exc:
                conn.close()
                # Two processes opening a new archive at once: SQLite answers "locked" at
                # once (no busy wait) to the one whose read must become a write. Try again.
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise archive_fault(exc, path) or ArchiveError(
                        f"{path} is not a usable newsmon archive ({exc})") from None
                time.sleep(0.2)
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise archive_fault(exc, path) or ArchiveError(
                    f"{path} is not a usable newsmon archive ({exc})") from None
        try:
            self._adopt_layout()
        except sqlite3.Error as exc:
            self.db.close()
            raise archive_fault(exc, path) or exc from None

    def _open_read_only(self, path: Path, verify: bool):
        conn = sqlite3.connect(_read_only_uri(path), uri=True, timeout=30)
        self.db = sqlite_utils.Database(conn)
        try:
            self.db.execute("PRAGMA busy_timeout=30000")
            self.db.execute("PRAGMA query_only=1")
            self.db.execute("PRAGMA cache_size=-65536")
            if verify:
                quick_check(self.db, path)
            pending = [m.name for m in migrations.pending(self.db)]
        except ArchiveError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise archive_fault(exc, path) or ArchiveError(f"cannot read {path} ({exc})") from None
        if pending:
            conn.close()
            raise ArchiveError(f"{path} was made by an older newsmon: its tables need {len(pending)} "
                               f"change{'s' if len(pending) > 1 else ''} ({', '.join(pending)}), which a "
                               f"command that only reads does not make; run `newsmon check --upgrade --db "
                               f"{path}` once (a crawl or an ingest does it too)")
        row = self.db.execute("select value from archive_settings where name = 'lsh_layout'").fetchone()
        recorded = dedup.parse_layout(row[0]) if row else None
        if recorded:  # what its signatures were made with
            self.neardup = replace(self.neardup, **recorded)

    def _adopt_layout(self):
        """The archive's signatures and band keys were cut with one layout: it keeps working
        with that one, whatever the settings of the command that opened it (so a crawl run
        with other NEWSMON_DEDUP_* settings cannot leave two layouts in one archive). Only
        ``rebuild_copies`` changes it. A new archive records the layout it is opened with;
        one cut before openings had band keys of their own is re-cut once."""
        row = self.db.execute("select value from archive_settings where name = 'lsh_layout'").fetchone()
        recorded = dedup.parse_layout(row[0]) if row else None
        if recorded and not self.relayout:
            self.neardup = replace(self.neardup, **recorded)
        if row is not None and (self.relayout or row[0] == self.neardup.layout):
            return
        with self.transaction():
            if row is not None:
                self.recut_bands()
            self._record_layout()

    def layout(self, neardup: dedup.NearDupSettings) -> dedup.NearDupSettings:
        """``neardup`` with this archive's layout (shingles, permutations, bands): what the
        workers of a crawl sign pages with."""
        return replace(neardup, permutations=self.neardup.permutations, shingle=self.neardup.shingle,
                       bands=self.neardup.bands)

    def recut_bands(self):
        """Every story's band keys cut again from its stored signature, with this layout."""
        with self.transaction():
            self.db.execute("delete from lsh_bands")
            for story_id, signature, text in self.db.execute(
                    "select g.story_id, g.signature, s.text from story_signatures g "
                    "join stories s on s.id = g.story_id").fetchall():
                self.db.conn.executemany(
                    "insert or ignore into lsh_bands (band_key, story_id) values (?, ?)",
                    [(key, story_id) for key in self._band_keys(np.frombuffer(signature, dtype=np.uint64),
                                                                text)])

    def _record_layout(self):
        self.db.execute("insert or replace into archive_settings (name, value) values ('lsh_layout', ?)",
                        [self.neardup.layout])

    def close(self):
        self.db.close()

    @contextmanager
    def transaction(self):
        """A write transaction that takes the write lock first (BEGIN IMMEDIATE), so that
        two processes writing at once wait their turn (busy timeout) instead of one failing
        with "database is locked" when its read turns into a write; nested: a savepoint."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- watch ---------------------------------------------------------------------

    def sync_watch(self, watch, sources: list[dict] = ()):
        """Record the watch's outlets and its sources (rows from ``pipelines.sources``)."""
        with self.transaction():
            if watch.path:  # which watch made the archive: `newsmon status` shows its jobs
                self.db.execute("insert or replace into archive_settings (name, value) values ('watch', ?)",
                                [str(Path(watch.path).resolve())])
            for o in watch.outlets:
                self.db["outlets"].upsert({"id": o.id, "name": o.name, "homepage": o.homepage,
                                           "watched": 1}, pk="id")
            # Stories found before their outlet was watched (by search, links or backfill)
            # carry their site as outlet: they join the outlet now watched there.
            if watch.outlets:
                for (site,) in self.db.execute("select distinct outlet from stories where outlet like '%.%' "
                                               "and outlet not in (select id from outlets where watched = 1)"
                                               ).fetchall():
                    owner = watch.outlet_for(f"http://{site}/")
                    if owner is not None:
                        self.db.execute("update stories set outlet = ? where outlet = ?", [owner.id, site])
            for row in sources:
                self.add_source(row)

    def watch_path(self) -> str | None:
        """The watch file the archive was last crawled or ingested with."""
        row = self.db.execute("select value from archive_settings where name = 'watch'").fetchone()
        return row[0] if row else None

    def add_source(self, row: dict):
        """Insert or update a source: id, title, url, published, path, text, profile (dict)."""
        row = dict(row)
        if isinstance(row.get("profile"), dict):
            row["profile"] = json.dumps(row["profile"])
        if not self.db["sources"].count_where("id = ?", [row["id"]]):
            row["added_at"] = now()
        with self.transaction():
            self.db["sources"].upsert(row, pk="id")

    def source_profiles(self, ids: list[str] | None = None) -> list[dict]:
        """Sources with their profiles, for relevance and comparison (all when ids is None)."""
        rows = self.db.query("select id, profile, text from sources where profile is not null order by id")
        return [{"id": r["id"], "profile": json.loads(r["profile"]), "text": r["text"]} for r in rows
                if ids is None or r["id"] in ids]

    def rarity(self):
        """How many of the archived stories use each word (``samestory.Rarity``): what the
        same-story decision weighs the words of the watch's beat by."""
        from pipelines.samestory import read_rarity

        return read_rarity(self.db.conn, "stories_fts")

    def rarity_reading(self):
        """What ``samestory.combined_rarity`` takes of the archived stories
        (``samestory.index_reading``): to weigh them with other texts, an ingest's inputs."""
        from pipelines.samestory import index_reading

        return index_reading(self.db.conn, "stories_fts")

    def sources(self) -> list[dict]:
        return list(self.db.query(
            "select s.id, s.title, s.published, s.url, s.path, s.added_at, "
            "(select count(*) from stories t where t.source_id = s.id and t.label = 'same_story') as same_story, "
            "(select count(*) from comparisons c where c.source_id = s.id) as compared "
            "from sources s order by s.added_at, s.id"))

    def story_url_keys(self) -> set[str]:
        """The normalised form of every URL a story is archived under."""
        return {r[0] for r in self.db.execute("select normalised from story_urls")}

    def story_hosts(self, labels: tuple[str, ...]) -> list[str]:
        """Hosts (host:port) of the stories with these labels, most stories first."""
        counts: dict[str, int] = {}
        marks = ", ".join("?" for _ in labels)
        for (url,) in self.db.execute(f"select u.url from story_urls u join stories s on s.id = u.story_id "
                                      f"where s.label in ({marks})", list(labels)):
            host = urlsplit(url).netloc
            if host and urlsplit(url).scheme in ("http", "https"):
                counts[host] = counts.get(host, 0) + 1
        return sorted(counts, key=lambda h: -counts[h])

    def remember_urls(self, urls: list[str], reason: str, model: str | None = None):
        """Remember pages not to fetch again: ``gone``, or ``unrelated`` to the topic judge
        ``model`` (its version), which only that judge takes as final."""
        seen = now()
        with self.transaction():
            for url in urls:
                self.db.execute(
                    "insert into remembered_urls (normalised, url, reason, first_seen, last_seen, model) "
                    "values (?, ?, ?, ?, ?, ?) on conflict(normalised) do update set last_seen = excluded.last_seen, "
                    "reason = excluded.reason, model = excluded.model",
                    [dedup.normalise_url(url), url, reason, seen, seen, model])

    def not_due_keys(self, ladder: list, now_: datetime | None = None) -> set[str]:
        """Normalised URLs of archived stories not due for a recheck on the ladder
        [[younger than hours, every hours], ...]: older than its last rung, never due;
        an empty ladder makes every URL due."""
        if not ladder:
            return set()
        now_ = now_ or datetime.now(timezone.utc)
        rungs = sorted((float(age) * 3600, float(every) * 3600) for age, every in ladder)
        skip = set()
        for row in self.db.query(
                "select u.normalised, max(u.last_seen) as last_seen, "
                "coalesce(s.published, s.first_seen) as born "
                "from story_urls u join stories s on s.id = u.story_id group by u.normalised"):
            age = _seconds_between(row["born"], now_)
            since = _seconds_between(row["last_seen"], now_)
            every = next((e for limit, e in rungs if age is not None and age < limit), None)
            if every is None or since is None or since < every:
                skip.add(row["normalised"])
        return skip

    def remembered_keys(self, model: str | None = None) -> set[str]:
        """Normalised URLs not to fetch again. Given the topic judge's version (``model``),
        pages another judge (or none recorded) found unrelated are left out: looked at again."""
        if model is None:
            sql, args = "select normalised from remembered_urls", []
        else:
            sql, args = "select normalised from remembered_urls where reason != 'unrelated' or model = ?", [model]
        return {r["normalised"] for r in self.db.query(sql, args)}

    def remembered_urls(self, model: str | None = None) -> list[str]:
        """The URLs of ``remembered_keys``, as first seen."""
        keys = self.remembered_keys(model)
        return [r["url"] for r in self.db.query("select url, normalised from remembered_urls")
                if r["normalised"] in keys]

    # --- the reader's judgements ------------------------------------------------------

    def judge(self, story_id: int, label: str, note: str | None = None) -> dict:
        """Record the reader's label of a story (it stands over newsmon's from now on);
        returns the story's id, title, newsmon's label and the label before."""
        if label not in LABELS:
            raise ArchiveError(f"{label!r} is not a label: use one of {', '.join(LABELS)}")
        row = next(self.db.query("select id, title, label, auto_label from stories where id = ?", [story_id]), None)
        if row is None:
            raise ArchiveError(f"no story with id {story_id}: `newsmon stories` lists them")
        with self.transaction():
            self.db.execute(
                "insert into judgements (story_id, label, judged_at, auto_label, note) values (?, ?, ?, ?, ?) "
                "on conflict(story_id) do update set label = excluded.label, judged_at = excluded.judged_at, "
                "note = coalesce(excluded.note, note)",
                [story_id, label, now(), row["auto_label"], note])
        return {"id": story_id, "title": row["title"], "label": label, "before": row["label"],
                "auto_label": row["auto_label"]}

    def unjudge(self, story_id: int) -> bool:
        """Take a judgement back (newsmon's label is in force again); False if there was none."""
        with self.transaction():
            return self.db.execute("delete from judgements where story_id = ?", [story_id]).rowcount > 0

    def judgement(self, story_id: int) -> dict | None:
        return next(self.db.query("select * from judgements where story_id = ?", [story_id]), None)

    def judged_examples(self) -> list[dict]:
        """Judged stories as a topic model learns from them: story id, text, title, label."""
        return list(self.db.query(
            "select j.story_id, s.title, s.text, s.text_hash, j.label from judgements j "
            "join stories s on s.id = j.story_id order by j.story_id"))

    def topic_stale(self, version: str | None, batch: int = 500):
        """The stories newsmon labelled related or unrelated by a topic judge other than
        ``version`` (the watch's model since taught by the reader, or changed), the reader
        has not judged, ``batch`` at a time: lists of id, title, text, auto_label, label_why.
        Same-story labels rest on the sources, not the topic; a judged story is what taught
        the model. (Their ids are read first: a batch may be written before the next is read.)"""
        # (the version asked of the JSON in SQL: a crawl's start reads no text of a story judged
        # by the model in force, however large the archive)
        ids = [row[0] for row in self.db.execute(
            "select id from stories where auto_label in ('related', 'unrelated') "
            "and coalesce(case when json_valid(label_why) then json_extract(label_why, '$.topic.model') end, '') "
            "!= coalesce(?, '') and id not in (select story_id from judgements) order by id", [version])]
        for at in range(0, len(ids), batch):
            chunk = ids[at:at + batch]
            yield list(self.db.query(
                f"select id, title, text, auto_label, label_why from stories where id in "
                f"({', '.join('?' * len(chunk))}) order by id", chunk))

    def relabel_topic(self, changes: list[dict]) -> None:
        """newsmon's own labels of archived stories brought up to date (``relevance.relabel``):
        each change's id, label, topic_score and why. (A story judged meanwhile keeps the
        reader's label in force; newsmon's stands under it.)"""
        with self.transaction():
            self.db.conn.executemany(
                "update stories set auto_label = :label, topic_score = :topic_score, label_why = :why, "
                "label = case when exists (select 1 from judgements j where j.story_id = stories.id) "
                "then label else :label end where id = :id",
                [{**change, "why": json.dumps(change["why"])} for change in changes])

    def review_queue(self, label: str | None = None, outlet: str | None = None) -> list[int]:
        """Ids of the stories the reader has not judged, newest first."""
        where, args = ["j.story_id is null"], []
        if label:
            where.append("s.label = ?")
            args.append(label)
        if outlet:
            where.append("s.outlet = ?")
            args.append(outlet)
        return [r[0] for r in self.db.execute(
            "select s.id from stories s left join judgements j on j.story_id = s.id where "
            + " and ".join(where) + " order by coalesce(s.published, s.first_seen) desc, s.id desc", args)]

    # --- writes ------------------------------------------------------------------------

    def add_pages(self, pages: list[dict]) -> Counter:
        """Write a batch of cleaned pages in one transaction; returns outcome counts."""
        return Counter(outcome for outcome, _story in self.add_pages_detailed(pages))

    def add_pages_detailed(self, pages: list[dict]) -> list[tuple[str, int]]:
        """Like ``add_pages``, with (outcome, story id) for each page in order."""
        with self.transaction():
            return [self._add_page(page) for page in pages]

    def _add_page(self, page: dict) -> tuple[str, int]:
        art = page["article"]
        signature, shingles, lede = page.get("signature"), page.get("shingles"), page.get("lede_bands")
        if signature is None:
            signature, shingles = dedup.minhash(page["article"]["text"], self.neardup)
        matched: dict = {}

        def near():  # kept whole: a copy joins every group it copies, not just the best match's
            matched["match"] = self.near_duplicate(signature, shingles, page["outlet"], art["title"], art["text"],
                                                   lede)
            return matched["match"]

        decision = dedup.decide(page["urls"], page["fetched_urls"], page["authoritative"],
                                page["keys"], page["text_hash"], page["outlet"],
                                self.story_for_keys, self.story_for_hash,
                                near)
        seen = page["fetched_at"]
        if decision.action == "new_version" and shingles < EXCERPT_SHARE * matched["match"]["shingles"]:
            # Another page of the outlet holding a part of the story (a tag page's teaser, a
            # summary box) is no new version of it: taken as one, the story would show the
            # excerpt, and the page's address, once the story's, would make every later
            # change of that listing a revision. Nothing is written.
            return "unchanged", decision.story_id
        if decision.action in ("new", "copy"):
            self._ensure_outlet(page)
            story_id = self.db["stories"].insert({
                "outlet": page["outlet"], "title": art["title"], "url": page["urls"][0],
                "canonical_url": art.get("canonical_url"), "authors": json.dumps(art["authors"]),
                "published": art["published"], "date_source": art["date_source"],
                "modified": art["modified"], "language": art["language"],
                "sitename": art["sitename"], "section": art["section"],
                "description": art["description"], "image": art["image"], "text": art["text"],
                "word_count": art["word_count"], "text_hash": page["text_hash"], "revision": 1,
                "text_authoritative": int(page["authoritative"]),
                "first_seen": seen, "last_seen": seen, "discovered_via": page["discovered_via"],
                "field_sources": json.dumps(art["sources"]), **_relevance_columns(page),
            }).last_pk
            self._add_revision(story_id, 1, page, diff=None)
            self._index_signature(story_id, signature, shingles, art["text"], lede)
            outcome = "stories_new"
            # A page judged unrelated before and found on the subject now: no longer remembered.
            self.db.conn.executemany("delete from remembered_urls where normalised = ?",
                                     [(dedup.normalise_url(u),) for u in page["urls"]])
            if decision.action == "copy":
                self._group_copies(story_id, decision.story_id, matched.get("match"))
                outcome = "copies"
        else:
            story_id = decision.story_id
            story = self.db["stories"].get(story_id)
            update = {"last_seen": seen}
            new_urls = set(page["urls"]) - set(self._urls_of(story_id))
            outcome = {"revision": "revisions", "same_text": "urls_merged",
                       "new_version": "revisions"}.get(
                decision.action, "urls_merged" if new_urls else "unchanged")
            if decision.action in ("revision", "new_version"):
                number = story["revision"] + 1
                diff = "\n".join(difflib.unified_diff(
                    _lines(story["text"]), _lines(art["text"]),
                    f"revision {story['revision']}", f"revision {number}", lineterm=""))
                self._add_revision(story_id, number, page, diff)
                update.update({"title": art["title"], "text": art["text"],
                               "text_hash": page["text_hash"], "revision": number,
                               "modified": art["modified"] or story["modified"],
                               "word_count": art["word_count"], "text_authoritative": 1})
                self._index_signature(story_id, signature, shingles, art["text"], lede)
            if decision.action in ("revision", "known_version", "better_text", "new_version") or story["label"] is None:
                update.update(_relevance_columns(page))
                judged = self.db.execute("select label from judgements where story_id = ?", [story_id]).fetchone()
                if judged is not None and "label" in update:
                    update["label"] = judged[0]  # the reader's judgement stands over newsmon's new label
            else:
                page = {**page, "comparisons": []}  # same text as before: comparisons stand
            if decision.action == "known_version":
                # The page serves an earlier revision's text again: that is its text now.
                update.update({"title": art["title"], "text": art["text"], "text_hash": page["text_hash"],
                               "word_count": art["word_count"]})
                self._index_signature(story_id, signature, shingles, art["text"])
            if decision.action == "better_text":
                self._index_signature(story_id, signature, shingles, art["text"], lede)
                better = {"title": art["title"], "text": art["text"], "text_hash": page["text_hash"]}
                update.update(better, word_count=art["word_count"], text_authoritative=1)
                self.db.execute("update story_revisions set title = ?, text = ?, text_hash = ? "
                                "where story_id = ? and revision = ?",
                                [better["title"], better["text"], better["text_hash"], story_id,
                                 story["revision"]])
            self.db["stories"].update(story_id, update)
        for comparison in page.get("comparisons") or []:
            self.db["comparisons"].upsert({**_json_fields(comparison), "story_id": story_id,
                                           "computed_at": seen}, pk=("story_id", "source_id"))
        known = set(self._urls_of(story_id))
        for url in page["urls"]:
            # Only URLs actually fetched vouch for the text; the canonical link may not have been.
            served = page["text_hash"] if url in page["fetched_urls"] else None
            if url in known:
                self.db.execute("update story_urls set last_seen = ?, text_hash = coalesce(?, text_hash) "
                                "where url = ?", [seen, served, url])
            else:
                self.db["story_urls"].insert({"url": url, "normalised": dedup.normalise_url(url),
                                              "story_id": story_id, "first_seen": seen,
                                              "last_seen": seen, "text_hash": served,
                                              "discovered_via": page["discovered_via"]})
        return outcome, story_id

    def near_duplicate(self, signature, shingles: int, outlet: str, title: str, text: str,
                       lede: list[int] | None = None) -> dict | None:
        """The archived story this text nearly duplicates (LSH candidates, then checked on
        sentences: ``dedup.copy_coverage``): the same outlet's first, else the earliest
        other copy; None when there is none. ``lede``: the text's opening band keys when
        the caller has them (``dedup.lede_bands``)."""
        settings = self.neardup
        keys = dedup.lsh_bands(signature, settings.bands)
        marks = ",".join("?" for _ in keys)
        candidates = {r["story_id"] for r in self.db.query(
            f"select distinct story_id from lsh_bands where band_key in ({marks})", keys)}
        for key in (lede if lede is not None else dedup.lede_bands(text, settings)):
            # An opening shared by many stories is an outlet's boilerplate, not a story's.
            found = [r[0] for r in self.db.execute(
                "select story_id from lsh_bands where band_key = ? limit ?", [key, LEDE_MAX_SHARED + 1])]
            if len(found) <= LEDE_MAX_SHARED:
                candidates.update(found)
        candidates.update(self._phrase_candidates(text))
        candidates = sorted(candidates)
        best, mine, matched, to_read = None, None, [], []

        def take(row, resemblance: float, score: float):
            matched.append(row["id"])
            rank = (row["outlet"] == outlet, score, -row["id"])
            nonlocal best
            if best is None or rank > best[0]:
                best = (rank, {"id": row["id"], "outlet": row["outlet"], "resemblance": resemblance,
                               "containment": score, "shingles": row["shingles"]})

        def titled(row) -> bool:  # asked only where it decides: it reads both headlines
            return bool(title) and dedup.same_title(title, row["title"] or "", self._outlet_names())

        for row in self._signatures(candidates):
            other = np.frombuffer(row["signature"], dtype=np.uint64)
            resemblance, containment = dedup.similarity(signature, shingles, other, row["shingles"])
            if resemblance >= settings.identical or \
                    (resemblance >= settings.exact_below and containment >= settings.contained):
                take(row, resemblance, containment)
            elif containment >= settings.coverage_floor:
                to_read.append((containment, resemblance, row))
        # The rest are read, most promising first, and no more than ``verify_most`` of them:
        # a page sharing a background paragraph with many archived stories costs no more.
        to_read.sort(key=lambda c: (-c[0], c[2]["id"]))
        for containment, resemblance, row in to_read[:settings.verify_most]:
            if mine is None:  # this text's sentences, read once for all its candidates
                mine = dedup.prose(text)
            story_text = self.db.execute("select text from stories where id = ?", [row["id"]]).fetchone()[0]
            score, least, subjects = dedup.copy_coverage(mine, story_text or "", lazy_below=min(
                settings.coverage, settings.coverage_same_title))
            if dedup.is_copy(score, least, subjects, settings, titled(row)):
                take(row, resemblance, score)
        if best is None:
            return None
        return {**best[1], "also": [i for i in matched if i != best[1]["id"]]}

    def _phrase_candidates(self, text: str) -> set[int]:
        """Stories holding the rare words of one of the text's own sentences near one another
        (``dedup.phrases``), from the full-text index: a copy of a short text inside a long
        one, that the bands miss. Words found together in many stories are a stock phrase."""
        found: set[int] = set()
        for phrase in dedup.phrases(text) if text else ():
            near = "NEAR(" + " ".join(f'"{w}"' for w in phrase) + f", {dedup.PHRASE_SPAN})"
            rows = [r[0] for r in self.db.execute(
                "select rowid from stories_fts where stories_fts match ? limit ?", [near, LEDE_MAX_SHARED + 1])]
            if len(rows) <= LEDE_MAX_SHARED:
                found.update(rows)
        return found

    def _group_copies(self, story_id: int, copied: int, match: dict | None):
        """Put a story in the copy group of the story it copies. Other stories it copies
        as well join too, with their groups: one article is one group however its copies
        arrived. The group's id is its earliest story's."""
        others = [i for i in (match or {}).get("also", ()) if i != copied]
        members = [copied] + others
        groups = {self.db["stories"].get(i)["copy_group"] or i for i in members}
        group = min(groups)
        marks = ",".join("?" for _ in groups)
        self.db.execute(f"update stories set copy_group = ? where copy_group in ({marks})", [group, *groups])
        self.db.execute(f"update stories set copy_group = ? where id in ({','.join('?' for _ in members)}, ?)",
                        [group, *members, story_id])

    def _outlet_names(self) -> list[str]:
        if getattr(self, "_names", None) is None:
            self._names = [r["name"] for r in self.db.query("select name from outlets") if r["name"]]
        return self._names

    def _signatures(self, story_ids: list[int]):
        for start in range(0, len(story_ids), 500):
            chunk = story_ids[start:start + 500]
            marks = ",".join("?" for _ in chunk)
            yield from self.db.query(
                f"select g.story_id as id, g.signature, g.shingles, s.outlet, s.title from story_signatures g "
                f"join stories s on s.id = g.story_id where g.story_id in ({marks})", chunk)

    def _band_keys(self, signature, text: str | None, lede: list[int] | None = None) -> list[int]:
        if lede is None:
            lede = dedup.lede_bands(text, self.neardup) if text else []
        return dedup.lsh_bands(signature, self.neardup.bands) + list(lede)

    def _index_signature(self, story_id: int, signature, shingles: int, text: str | None = None,
                         lede: list[int] | None = None):
        """Index a story's text: called before the story's row takes a new text, so the
        row still holds the text whose band keys go."""
        old = self.db.execute("select g.signature, s.text from story_signatures g join stories s "
                              "on s.id = g.story_id where g.story_id = ?", [story_id]).fetchone()
        if old is not None:  # a new text of the story: its old band keys go
            self.db.conn.executemany(
                "delete from lsh_bands where band_key = ? and story_id = ?",
                [(key, story_id) for key in self._band_keys(np.frombuffer(old[0], dtype=np.uint64), old[1])])
        self.db.execute("insert or replace into story_signatures (story_id, signature, shingles) "
                        "values (?, ?, ?)", [story_id, signature.astype(np.uint64).tobytes(), shingles])
        self.db.conn.executemany("insert or ignore into lsh_bands (band_key, story_id) values (?, ?)",
                                 [(key, story_id) for key in self._band_keys(signature, text, lede)])

    def sign_story(self, story_id: int):
        """A story's signature and band keys computed again from its text."""
        text = self.db.execute("select text from stories where id = ?", [story_id]).fetchone()[0]
        signature, shingles = dedup.minhash(text or "", self.neardup)
        self._index_signature(story_id, signature, shingles, text)

    def _urls_of(self, story_id: int) -> list[str]:
        return [r["url"] for r in self.db.query("select url from story_urls where story_id = ?", [story_id])]

    def _add_revision(self, story_id, number, page, diff):
        art = page["article"]
        self.db["story_revisions"].insert({
            "story_id": story_id, "revision": number, "fetched_at": page["fetched_at"],
            "title": art["title"], "modified": art["modified"], "text": art["text"],
            "text_hash": page["text_hash"], "diff": diff})

    def _ensure_outlet(self, page):
        # Pages reached by following links may sit outside the watched outlets.
        self._names = None
        self.db["outlets"].insert({"id": page["outlet"], "name": page["outlet_name"],
                                   "homepage": None, "watched": 0}, pk="id", ignore=True)

    def story_for_keys(self, keys: list[str]) -> dict | None:
        marks = ",".join("?" for _ in keys)
        row = next(self.db.query(
            f"select s.id, s.text_hash, s.text_authoritative from story_urls u "
            f"join stories s on s.id = u.story_id "
            f"where u.normalised in ({marks}) order by s.id limit 1", keys), None)
        if row is None:
            return None
        row["urls"] = {r["url"]: r["text_hash"] for r in self.db.query(
            "select url, text_hash from story_urls where story_id = ?", [row["id"]])}
        row["versions"] = {r[0] for r in self.db.execute(
            "select text_hash from story_revisions where story_id = ?", [row["id"]])}
        return row

    def story_for_hash(self, text_hash: str, outlet: str) -> dict | None:
        """The outlet's story whose text, now, in an earlier revision or at one of its
        variant URLs, has this hash."""
        return next(self.db.query(
            "select s.id, s.text_hash from stories s where s.outlet = :outlet and s.id in ("
            " select story_id from story_revisions where text_hash = :hash"
            " union select story_id from story_urls where text_hash = :hash) order by s.id limit 1",
            {"hash": text_hash, "outlet": outlet}), None)

    def record_fetch(self, url: str, kind: str, outlet: str | None, status: int | None,
                     error: str | None = None, etag: str | None = None,
                     last_modified: str | None = None, content_hash: str | None = None):
        """Remember how a feed or sitemap fetch went: its validators and content hash (kept
        when the server answered 304), and failures in a row until one works."""
        old = next(self.db.query("select failures from fetch_state where url = ?", [url]), None)
        failures = 0 if error is None else ((old or {}).get("failures") or 0) + 1
        row = {"url": url, "kind": kind, "outlet": outlet, "last_fetch": now(), "last_status": status,
               "failures": failures, "last_error": error}
        for key, value in (("etag", etag), ("last_modified", last_modified), ("content_hash", content_hash)):
            if value is not None:
                row[key] = value
        with self.transaction():
            self.db["fetch_state"].upsert(row, pk="url")

    def listing_state(self) -> dict[str, dict]:
        """What was last seen of each feed and sitemap: validators, hash, failures."""
        return {r["url"]: r for r in self.db.query(
            "select url, etag, last_modified, content_hash, failures, last_fetch from fetch_state")}

    def due_urls(self, ladder: list, now_: datetime | None = None) -> list[tuple[str, str]]:
        """(url, outlet) of one fetched URL per archived story due for a recheck."""
        not_due = self.not_due_keys(ladder, now_)
        out = {}
        for row in self.db.query(
                "select u.url, u.normalised, u.story_id, s.outlet from story_urls u "
                "join stories s on s.id = u.story_id where u.text_hash is not null order by u.first_seen"):
            if row["normalised"] not in not_due and row["story_id"] not in out:
                out[row["story_id"]] = (row["url"], row["outlet"])
        return list(out.values())

    def start_run(self, watch: str, job: str = "manual", outlets: list[str] = (),
                  pid: int | None = None) -> int:
        with self.transaction():
            return self.db["crawl_runs"].insert({"watch": watch, "job": job, "started": now(),
                                                 "status": "running", "outlets": ",".join(outlets),
                                                 "pid": pid}).last_pk

    def interrupt_stale_runs(self) -> int:
        """Runs still marked running when no crawl is: their process died (SIGKILL, power)."""
        with self.transaction():
            return self.db.execute("update crawl_runs set status = 'interrupted', finished = ? "
                                   "where status = 'running'", [now()]).rowcount

    def job_status(self) -> list[dict]:
        """The last run of every job, newest first."""
        return list(self.db.query(
            "select r.* from crawl_runs r join (select job, max(id) as id from crawl_runs group by job) l "
            "on l.id = r.id order by r.started desc"))

    def failing_listings(self) -> list[dict]:
        return list(self.db.query("select url, kind, outlet, failures, last_status, last_error, last_fetch "
                                  "from fetch_state where failures > 0 order by failures desc, url"))

    def finish_run(self, run_id: int, status: str, summary: dict):
        row = {
            "finished": now(), "status": status,
            "requests": summary.get("requests", 0), "pages": summary.get("pages", 0),
            "stories_new": summary.get("stories_new", 0),
            "urls_merged": summary.get("urls_merged", 0),
            "revisions": summary.get("revisions", 0), "unchanged": summary.get("unchanged", 0),
            "dropped": json.dumps(summary.get("dropped", {})),
            "skipped": json.dumps(summary.get("skipped", {})),
            "error_kinds": json.dumps(summary.get("error_kinds", {})),
            "errors": summary.get("errors", 0), "stats": json.dumps(summary.get("stats", {})),
        }
        try:
            with self.transaction():
                self.db["crawl_runs"].update(run_id, row)
        except sqlite3.Error as exc:
            if not isinstance(archive_fault(exc, self.path), ArchiveFull):
                raise
            # A full disk: the run's figures without Scrapy's stats (kilobytes of them)
            # fit in the row's own page, so the run is not left "running".
            with self.transaction():
                self.db["crawl_runs"].update(run_id, {**row, "stats": None})

    # --- queries ---------------------------------------------------------------------------

    def counts(self) -> dict:
        counts = {t: self.db[t].count for t in ("stories", "story_urls", "story_revisions",
                                                  "outlets", "sources", "crawl_runs",
                                                  "remembered_urls", "comparisons")}
        counts["labels"] = {r["label"]: r["n"] for r in self.db.query(
            "select label, count(*) n from stories group by label")}
        counts["stories_revised"] = self.db.execute(
            "select count(*) from stories where revision > 1").fetchone()[0]
        counts["stories_with_urls"] = self.db.execute(
            "select count(*) from (select story_id from story_urls group by story_id having count(*) > 1)"
        ).fetchone()[0]
        return counts

    def stories(self, limit: int | None = 50, outlet: str | None = None,
                since: str | None = None, label: str | None = None) -> list[dict]:
        where, args = [], []
        if label:
            where.append("label = ?")
            args.append(label)
        if outlet:
            where.append("outlet = ?")
            args.append(outlet)
        if since:
            where.append("coalesce(published, first_seen) >= ?")
            args.append(since)
        sql = ("select id, published, outlet, label, label_by, auto_label, same_story_score, title, urls, "
               "revisions, authors, url from story_overview"
               + (" where " + " and ".join(where) if where else "")
               + " order by coalesce(published, first_seen) desc, id desc")
        if limit:
            sql += " limit ?"
            args.append(limit)
        return [_decode(r) for r in self.db.query(sql, args)]

    def search(self, query: str, limit: int = 20, literal: bool = False, outlet: str | None = None,
               label: str | None = None, since: str | None = None, until: str | None = None,
               source: str | None = None) -> list[dict]:
        if not query.strip():
            raise ArchiveError("empty search query: give one or more words, e.g. newsmon search \"border guards\"")
        q = self.db.quote_fts(query) if literal else query
        where, args = ["stories_fts match ?"], [q]
        for column, op, value in (("s.outlet", "=", outlet), ("s.label", "=", label),
                                  ("substr(s.published, 1, 10)", ">=", since),
                                  ("substr(s.published, 1, 10)", "<=", until), ("s.source_id", "=", source)):
            if value:
                where.append(f"{column} {op} ?")
                args.append(value)
        sql = f"""
            select s.id, s.published, s.outlet, s.label, s.title,
                   snippet(stories_fts, 1, '[', ']', ' … ', 16) as snippet, s.url
            from stories_fts join stories s on s.rowid = stories_fts.rowid
            where {' and '.join(where)} order by stories_fts.rank limit ?
        """
        try:
            return list(self.db.query(sql, args + [limit]))
        except sqlite3.DatabaseError as exc:
            fault = archive_fault(exc, self.path)  # the archive's damage is not the query's fault
            if fault is not None or not isinstance(exc, sqlite3.OperationalError):
                raise fault or exc from None
            raise ArchiveError(
                f"cannot search for {query!r}: {exc}. Quote phrases (\"border guards\"), "
                "or pass --literal to search the words as typed") from None

    def story(self, story_id: int) -> dict:
        try:
            row = self.db["stories"].get(story_id)
        except sqlite_utils.db.NotFoundError:
            raise ArchiveError(f"no story with id {story_id}: `newsmon stories` lists them") from None
        if row["text_hash"] and text_hash(row["text"] or "") != row["text_hash"]:
            # SQLite keeps no checksums: a byte flipped in a text is seen only here.
            raise ArchiveDamaged(f"story {story_id} is damaged in {self.path} (its text no longer matches its "
                                 f"hash): `newsmon check --db {self.path}` says what else is; `newsmon recover "
                                 f"NEW.db --db {self.path}` saves the sound rest")
        row = _decode(row)
        row["urls"] = list(self.db.query(
            "select url, first_seen, last_seen, discovered_via from story_urls where story_id = ? "
            "order by first_seen, url", [story_id]))
        row["revisions"] = list(self.db.query(
            "select revision, fetched_at, modified, title, diff from story_revisions "
            "where story_id = ? order by revision", [story_id]))
        row["copies"] = self.copies_of(story_id)
        row["judgement"] = self.judgement(story_id)
        return row

    def outlets_coverage(self) -> list[dict]:
        """Per outlet: stories, same-story and related counts, first and latest publication."""
        return list(self.db.query("select * from coverage_by_outlet order by stories desc, outlet"))

    def timeline(self, source: str | None = None) -> list[dict]:
        """Stories per publication day and label."""
        sql = ("select substr(published, 1, 10) as day, label, count(*) as stories from stories "
               "where published is not null" + (" and source_id = ?" if source else "") +
               " group by day, label order by day, label")
        return list(self.db.query(sql, [source] if source else []))

    def export_rows(self):
        """Every story with its comparisons, for `newsmon export`, one at a time (oldest first)."""
        for story in self.db.query("select id, outlet, title, url, published, authors, label, "
                                   "case when exists (select 1 from judgements j where j.story_id = stories.id) "
                                   "then 'reader' else 'newsmon' end as label_by, auto_label, topic_score, "
                                   "same_story_score, source_id, copy_group, revision, word_count, text "
                                   "from stories order by coalesce(published, first_seen), id"):
            story = _decode(story)
            story["comparisons"] = [
                {k: v for k, v in decode_comparison(c).items() if k != "story_id"}
                for c in self.db.query("select * from comparisons where story_id = ? order by source_id",
                                       [story["id"]])]
            yield story

    def copies_of(self, story_id: int) -> list[dict]:
        """The other stories of this story's copy group, earliest first."""
        return list(self.db.query(
            "select c.id, c.outlet, c.published, c.title, c.url from stories s "
            "join stories c on c.copy_group = s.copy_group and c.id != s.id "
            "where s.id = ? order by c.published, c.id", [story_id]))

    def copy_groups(self, limit: int | None = None) -> list[dict]:
        sql = "select * from copy_groups order by first_published"
        return list(self.db.query(sql + (" limit ?" if limit else ""), [limit] if limit else []))

    def rebuild_copies(self, progress=lambda n: None) -> dict:
        """Recompute every signature, band and copy group (after a settings change),
        oldest story first, as if the archive were crawled again in order."""
        with self.transaction():
            self.db.execute("delete from lsh_bands")
            self.db.execute("delete from story_signatures")
            self.db.execute("update stories set copy_group = null")
        counts = Counter()
        ids = [r["id"] for r in self.db.query("select id from stories order by coalesce(published, first_seen), id")]
        for start in range(0, len(ids), 500):
            with self.transaction():
                for story_id in ids[start:start + 500]:
                    story = self.db["stories"].get(story_id)
                    signature, shingles = dedup.minhash(story["text"], self.neardup)
                    match = self.near_duplicate(signature, shingles, story["outlet"], story["title"],
                                                story["text"])
                    if match is not None and match["outlet"] != story["outlet"]:
                        self._group_copies(story_id, match["id"], match)
                        counts["copies"] += 1
                    elif match is not None:
                        counts["same_outlet_near_duplicates"] += 1
                    self._index_signature(story_id, signature, shingles, story["text"])
                    counts["stories"] += 1
            progress(len(ids[start:start + 500]))
        with self.transaction():
            # A group is named after its first archived story, as when it was crawled, so
            # ids stay what they were (and what users noted down) across rebuilds.
            renames = self.db.execute("select copy_group, min(id) from stories where copy_group is not null "
                                      "group by copy_group having copy_group != min(id)").fetchall()
            self.db.execute("update stories set copy_group = -copy_group where copy_group is not null")
            self.db.conn.executemany("update stories set copy_group = ? where copy_group = ?",
                                [(first, -group) for group, first in renames])
            self.db.execute("update stories set copy_group = -copy_group where copy_group < 0")
            self._record_layout()
        counts["groups"] = self.db.execute(
            "select count(distinct copy_group) from stories where copy_group is not null").fetchone()[0]
        return dict(counts)

    def comparisons(self, story_id: int) -> list[dict]:
        self.story(story_id)  # a clear error for an unknown id
        rows = []
        for row in self.db.query("select c.*, s.title as source_title, s.published as source_published "
                                 "from comparisons c join sources s on s.id = c.source_id "
                                 "where c.story_id = ? order by c.source_id", [story_id]):
            rows.append(decode_comparison(row))
        return rows


def _seconds_between(iso: str | None, now_: datetime) -> float | None:
    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (now_ - when).total_seconds()


def _relevance_columns(page: dict) -> dict:
    rel = page.get("relevance")
    if not rel:
        return {}
    # label: newsmon's, unless the reader judged the story (then auto_label alone: _add_page)
    return {"label": rel["label"], "auto_label": rel["label"], "topic_score": rel["topic_score"],
            "same_story_score": rel["same_story_score"], "source_id": rel["source_id"],
            "label_why": json.dumps(rel["why"]) if rel.get("why") else None}


def _json_fields(row: dict) -> dict:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            for k, v in row.items()}


# The comparisons columns that hold JSON; any other text (a source's title such as
# "[UPDATED] Mill to close", or an empty one) is text, whatever it starts with.
COMPARISON_JSON = ("facts_agree", "facts_conflict", "quotes_shared", "people_both", "people_story_only",
                   "people_source_only", "organisations_both", "organisations_story_only",
                   "organisations_source_only", "framing_story_only", "framing_source_only", "framing_both",
                   "evidence")


def decode_comparison(row: dict) -> dict:
    return {k: json.loads(v) if k in COMPARISON_JSON and isinstance(v, str) and v else v
            for k, v in row.items()}


def _decode(row: dict) -> dict:
    for key in ("authors", "field_sources", "label_why"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]
