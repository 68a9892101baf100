"""A damaged archive: finding the damage (``check``) and saving what can still be read into
a new archive (``recover``), as the sqlite3 shell's ``.recover`` does, in Python.

SQLite keeps no checksums: a flipped byte in a page's structure is found by its own
integrity check, one in a story's text is not. Every story and revision carries the hash
of its text's words (``text_hash``), so a text that no longer matches its hash is damaged
too, whatever SQLite says.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.archive import Archive, ArchiveError, identify, migrations
from pipelines.dedup import normalise_url
from pipelines.text import text_hash

# Tables whose rows carry the hash of their text's words.
HASHED = ("stories", "story_revisions")
CHUNK = 500  # rows between progress reports
FIRST, LAST = -2 ** 63, 2 ** 63 - 1  # the row ids SQLite allows
# Failed reads allowed per table before its damaged part is given up as unreadable.
MAX_FAILED_READS = 100_000


@dataclass
class CheckReport:
    path: Path
    problems: list[str] = field(default_factory=list)  # SQLite's and the FTS index's
    damaged_texts: dict[str, list[int]] = field(default_factory=dict)  # table -> rowids
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(self.damaged_texts.values())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)


def check(path: str | Path, progress=lambda n: None) -> CheckReport:
    """Everything that can be checked without writing: SQLite's integrity_check (pages,
    records, indexes against their tables), the full-text index against the stories, and
    every text against its hash. Raises NotAnArchive for a file that is not an archive."""
    path = Path(path)
    report = CheckReport(path)
    try:
        kind = identify(path)
    except ArchiveError as exc:
        if not str(exc).startswith(f"{path} is damaged"):
            raise
        report.problems.append(str(exc).split(" is damaged (", 1)[1].split("):", 1)[0])
        return report
    if kind == "empty":
        raise ArchiveError(f"{path} is an empty SQLite file, not a newsmon archive yet")
    conn = _read_only(path)
    try:
        try:
            report.problems += [r[0] for r in conn.execute("PRAGMA integrity_check(20)") if r[0] != "ok"]
        except sqlite3.DatabaseError as exc:
            report.problems.append(str(exc))
        for table in HASHED:
            report.damaged_texts[table] = _unmatched_texts(conn, table, report, progress)
        for table in ("stories", "story_urls", "sources", "crawl_runs"):
            try:
                report.counts[table] = conn.execute(f"select count(*) from {table}").fetchone()[0]
            except sqlite3.DatabaseError:
                pass
        try:
            pending = [m.name for m in migrations.pending(_sqlite_utils(conn))]
            if pending:
                report.notes.append(f"made by an older newsmon: `newsmon check --upgrade` brings it up to "
                                    f"date ({', '.join(pending)})")
            running = conn.execute("select count(*) from crawl_runs where status = 'running'").fetchone()[0]
            if running:
                report.notes.append(f"{running} crawl run{'s' if running > 1 else ''} still marked running "
                                    "(a crawl now, or one that died: the next crawl marks it interrupted)")
        except sqlite3.DatabaseError:
            pass
        # (with this read-only connection still open, the writable one FTS5's check needs is
        # not the archive's last: closing, it does not checkpoint the WAL into the file)
        report.problems += _fts_problems(path)
    finally:
        conn.close()
    return report


def _sqlite_utils(conn):
    import sqlite_utils

    return sqlite_utils.Database(conn)


def _unmatched_texts(conn, table: str, report: CheckReport, progress) -> list[int]:
    bad, unreadable = [], []
    for rowid, text, hashed in readable_rows(conn, table, ["text", "text_hash"], unreadable):
        if text_hash(text or "") != hashed:
            bad.append(rowid)
        progress(1)
    if unreadable:
        report.problems.append(f"{table}: rows that cannot be read, ids {show_ranges(unreadable)}")
    return bad


def show_ranges(ranges: list[tuple[int, int]], limit: int = 20) -> str:
    """Row id ranges for people: "17, 20-25, 900-end"."""
    shown = [str(lo) if lo == hi else f"{max(lo, 0)}-{hi if hi < 2 ** 62 else 'end'}" for lo, hi in ranges[:limit]]
    return ", ".join(shown) + (" ..." if len(ranges) > limit else "")


def readable_rows(src, table: str, columns: list[str], unreadable: list):
    """(rowid, *columns) of every row of ``table`` that can be read, in rowid order; the
    rowid ranges that cannot are added to ``unreadable``. A read that fails goes on after
    the last row it gave; failing at once, its range is halved until the damage is
    cornered (a range read at a time: no table is ever held in memory)."""
    cols = ", ".join(_quote(c) for c in columns)
    select = f"select rowid, {cols} from {_quote(table)} where rowid between ? and ? order by rowid"
    try:
        top = src.execute(f"select max(rowid) from {_quote(table)}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        top = LAST  # the right edge of the table is damaged: look everywhere
    ranges = [(top + 1, LAST), (FIRST, top)] if top < LAST else [(FIRST, top)]
    failed, lost = 0, []
    while ranges:
        lo, hi = ranges.pop()
        last = None
        try:
            for row in src.execute(select, [lo, hi]):
                last = row[0]
                yield row
        except sqlite3.DatabaseError:
            failed += 1
            if last is not None:  # fails just after the last row read: from there on
                if last < hi:
                    ranges.append((last + 1, hi))
            elif lo == hi or failed > MAX_FAILED_READS:
                lost.append((lo, hi))
            else:
                mid = (lo + hi) // 2
                ranges += [(mid + 1, hi), (lo, mid)]
    unreadable += _merge(lost)


def _fts_problems(path: Path) -> list[str]:
    """FTS5's own check of the search index against the stories. It is an INSERT of a
    command (SQLite refuses it on a read-only connection) that writes nothing; it runs in
    a transaction that is rolled back all the same."""
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("insert into stories_fts(stories_fts, rank) values ('integrity-check', 1)")
        return []
    except sqlite3.DatabaseError as exc:
        return [f"full-text index: {exc}"]
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


@dataclass
class Salvage:
    copied: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # rowid ranges
    damaged_texts: dict[str, list[int]] = field(default_factory=dict)
    orphans: dict[str, int] = field(default_factory=dict)  # rows whose story (or source) was lost
    outlets_restored: int = 0
    restored: dict[str, int] = field(default_factory=dict)  # rows made again from their story's


def recover(damaged: str | Path, out: str | Path, neardup=None, progress=lambda table, n: None) -> Salvage:
    """Copy every row that can still be read, and whose text matches its hash, from a
    damaged archive into a new one at ``out`` (which must not exist): table by table, a
    range of rows at a time, halving a range that fails to read down to the single rows
    that cannot be read. Row ids are kept (stories keep their ids); rows that lost the
    story they belong to go; the search index and the near-duplicate bands are rebuilt."""
    damaged, out = Path(damaged), Path(out)
    if out.exists():
        raise ArchiveError(f"{out} exists: give a new file for the recovered archive")
    if out.resolve() == damaged.resolve():
        raise ArchiveError("give another file than the damaged archive")
    try:
        identify(damaged)
    except ArchiveError as exc:
        if not str(exc).startswith(f"{damaged} is damaged"):
            raise
    src = _read_only(damaged)
    try:
        try:
            source_columns = {name: [r[1] for r in src.execute(f"PRAGMA table_info({_quote(name)})")]
                              for (name,) in src.execute("select name from sqlite_master where type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot read the list of tables of {damaged} ({exc}): nothing newsmon can "
                               "save; the sqlite3 shell's .recover reads its pages one by one") from None
        kwargs = {"neardup": neardup} if neardup is not None else {}
        target = Archive(out, **kwargs)
        try:
            salvage = Salvage()
            db = target.db
            db.execute("PRAGMA foreign_keys=OFF")  # rows first, then whatever lost its parent goes
            with target.transaction():
                for table in _copied_tables(db):
                    columns = [c for c in _columns(db, table) if c in source_columns.get(table, [])]
                    if not columns:
                        continue
                    _salvage_table(src, db.conn, table, columns, salvage, lambda n, t=table: progress(t, n))
                _drop_orphans(db.conn, salvage)
                _restore_from_stories(target, salvage)
            target.recut_bands()
            db.execute("PRAGMA foreign_keys=ON")
        finally:
            target.close()
    finally:
        src.close()
    return salvage


def _copied_tables(db) -> list[str]:
    """The new archive's own tables with row ids; not the search index (rebuilt by its
    triggers as stories go in), the band index (cut again), nor the migrations' record."""
    names = []
    for name, sql in db.execute("select name, sql from sqlite_master where type = 'table' order by rootpage"):
        if name.startswith(("sqlite_", "stories_fts", "_sqlite_migrations")) or name == "lsh_bands":
            continue
        if "without rowid" in (sql or "").lower() or (sql or "").lower().startswith("create virtual"):
            continue
        names.append(name)
    return names


def _columns(db, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({_quote(table)})")]


def _salvage_table(src, dst, table: str, columns: list[str], salvage: Salvage, progress):
    cols = ", ".join(_quote(c) for c in columns)
    insert = (f"insert or replace into {_quote(table)} (rowid, {cols}) "
              f"values ({', '.join('?' for _ in range(len(columns) + 1))})")
    hashed = table in HASHED
    text_at, hash_at = (columns.index("text") + 1, columns.index("text_hash") + 1) if hashed else (0, 0)
    copied, unreadable, bad = 0, [], []
    for row in readable_rows(src, table, columns, unreadable):
        if hashed and text_hash(row[text_at] or "") != row[hash_at]:
            bad.append(row[0])
            continue
        dst.execute(insert, row)
        copied += 1
        if copied % CHUNK == 0:
            progress(CHUNK)
    progress(copied % CHUNK)
    salvage.copied[table] = copied
    if unreadable:
        salvage.unreadable[table] = unreadable
    if bad:
        salvage.damaged_texts[table] = bad


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _drop_orphans(conn, salvage: Salvage):
    """Rows whose parent row was lost: a story's outlet comes back as a bare row (the next
    crawl names it again); anything else that lost its story or source goes, so that a
    story lost here is fetched and archived again, whole, by the next crawl."""
    for _round in range(10):  # a row deleted can orphan others (a story, then its URLs)
        violations = conn.execute("PRAGMA foreign_key_check").fetchall()
        if not violations:
            return
        for table, rowid, parent, _fk in violations:
            if parent == "outlets":
                outlet = conn.execute(f"select outlet from {_quote(table)} where rowid = ?", [rowid]).fetchone()[0]
                conn.execute("insert or ignore into outlets (id, name, watched) values (?, ?, 0)", [outlet, outlet])
                salvage.outlets_restored += 1
                continue
            conn.execute(f"delete from {_quote(table)} where rowid = ?", [rowid])
            salvage.orphans[table] = salvage.orphans.get(table, 0) + 1


def _restore_from_stories(archive, salvage: Salvage):
    """What a story's own row can give back when the rows beside it were lost: its first
    URL (so the next crawl knows it by address), its current revision, its signature."""
    db = archive.db
    restored = {"story_urls": 0, "story_revisions": 0, "story_signatures": 0}
    for row in list(db.query("select * from stories s where not exists "
                             "(select 1 from story_urls u where u.story_id = s.id)")):
        served = row["text_hash"] if row["text_authoritative"] else None
        db.execute("insert or ignore into story_urls (url, normalised, story_id, first_seen, last_seen, "
                   "discovered_via, text_hash) values (?, ?, ?, ?, ?, ?, ?)",
                   [row["url"], normalise_url(row["url"]), row["id"], row["first_seen"], row["last_seen"],
                    row["discovered_via"], served])
        restored["story_urls"] += 1
    for row in list(db.query("select * from stories s where not exists (select 1 from story_revisions r "
                             "where r.story_id = s.id and r.revision = s.revision)")):
        db.execute("insert into story_revisions (story_id, revision, fetched_at, title, modified, text, "
                   "text_hash) values (?, ?, ?, ?, ?, ?, ?)",
                   [row["id"], row["revision"], row["last_seen"], row["title"], row["modified"], row["text"],
                    row["text_hash"]])
        restored["story_revisions"] += 1
    for (story_id,) in db.execute("select id from stories s where not exists "
                                  "(select 1 from story_signatures g where g.story_id = s.id)").fetchall():
        archive.sign_story(story_id)
        restored["story_signatures"] += 1
    salvage.restored = {k: v for k, v in restored.items() if v}
