"""Crash safety: kill a crawl with SIGKILL at random moments, restart it, check the archive.

Serves a synthetic news web (``newsmon.web.synthetic``) from 127.0.0.1 and crawls it with ``newsmon
crawl`` (every page kept, so every page is written, in batches of 10). Each trial starts the crawl, reads
what is archived at a random moment, kills the crawl's process (the one writing SQLite)
with SIGKILL at once, and checks the archive:

- ``PRAGMA integrity_check`` is ok and the FTS index passes its own integrity check and
  holds exactly the stories;
- no story without a URL, no URL under two stories, no two stories with one URL or with
  one outlet and text hash (a duplicate);
- every story read before the kill is still there, with its URLs.

A last crawl runs to the end and must leave every page archived exactly once.

    python benchmarks/crash.py                     # 20 trials over 1,500 pages
    python benchmarks/crash.py --trials 5 --pages 300
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as `python benchmarks/crash.py`: import from the checkout, as `-m` would
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from benchmarks.throughput import _children  # noqa: E402
from newsmon.web import synthetic  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def snapshot(db: Path) -> dict[int, set[str]]:
    """Story id -> its URLs, as committed now (a reader beside the writer, thanks to WAL)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        rows = conn.execute("select story_id, url from story_urls").fetchall()
        conn.close()
    except sqlite3.Error:
        return {}
    out: dict[int, set[str]] = {}
    for story_id, url in rows:
        out.setdefault(story_id, set()).add(url)
    return out


def check(db: Path, before: dict[int, set[str]]) -> list[str]:
    """What is wrong with the archive (nothing: an empty list)."""
    conn = sqlite3.connect(db, timeout=30)
    problems = []
    if conn.execute("pragma integrity_check").fetchone()[0] != "ok":
        problems.append("integrity_check failed")
    try:
        conn.execute("insert into stories_fts(stories_fts) values('integrity-check')")
    except sqlite3.DatabaseError as exc:
        problems.append(f"FTS index out of step: {exc}")
    stories = conn.execute("select count(*) from stories").fetchone()[0]
    indexed = conn.execute("select count(*) from stories_fts").fetchone()[0]
    if stories != indexed:
        problems.append(f"{stories} stories but {indexed} in the FTS index")
    orphans = conn.execute("select count(*) from stories s where not exists "
                           "(select 1 from story_urls u where u.story_id = s.id)").fetchone()[0]
    if orphans:
        problems.append(f"{orphans} stories without a URL")
    dup_urls = conn.execute("select count(*) from (select url from story_urls group by url "
                            "having count(distinct story_id) > 1)").fetchone()[0]
    if dup_urls:
        problems.append(f"{dup_urls} URLs under two stories")
    dup_text = conn.execute("select count(*) from (select outlet, text_hash from stories "
                            "group by outlet, text_hash having count(*) > 1)").fetchone()[0]
    if dup_text:
        problems.append(f"{dup_text} duplicate stories (same outlet and text)")
    after = {}
    for story_id, url in conn.execute("select story_id, url from story_urls"):
        after.setdefault(story_id, set()).add(url)
    lost = [s for s, urls in before.items() if not urls <= after.get(s, set())]
    if lost:
        problems.append(f"{len(lost)} stories archived before the kill are gone or lost URLs")
    conn.close()
    return problems


def crawl_child(cli: subprocess.Popen) -> int | None:
    """The pid of the crawl's own process (the spawned child of the command)."""
    for pid in _children(cli.pid):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            pass
    return None


def stories_in(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("select count(*) from stories").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created yet, or busy


def wait_for_progress(cli: subprocess.Popen, db: Path, target: int, most: float) -> None:
    """Until the archive holds ``target`` stories, the crawl ends, or ``most`` seconds."""
    deadline = time.monotonic() + most
    while cli.poll() is None and time.monotonic() < deadline and stories_in(db) < target:
        time.sleep(0.05)


def run_trials(trials: int = 20, pages: int = 1500, seed: int = 7, max_wait: float = 8.0,
               by_progress: bool = False) -> dict:
    """``by_progress``: each kill comes once the archive holds a share of the pages (trial t
    of T at about t/(T+1) of them), then a random fraction of a second, so that every trial
    kills a crawl however fast the machine; else at a random moment up to ``max_wait``
    seconds from the start (a fast machine may finish first: nothing to kill)."""
    rng = random.Random(seed)
    site = synthetic.build_site(pages, seed=seed)
    server, bases = synthetic.serve_fast(site, [f"127.0.0.{i + 1}" for i in range(len(site.outlets))])
    results = {"trials": 0, "kills": 0, "problems": [], "stories_seen": 0}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            watch = synthetic.write_watch(site, bases, work, keep_all=True)
            # Small batches: many commits, so kills land before, during and after them.
            watch.write_text(watch.read_text().replace("[crawl]\n", "[crawl]\nstore_batch_size = 10\n", 1))
            db = work / "archive.db"
            command = [sys.executable, "-m", "newsmon.cli", "-q", "crawl", "--watch", str(watch), "--db", str(db)]
            for trial in range(trials):
                cli = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if by_progress:
                    wait_for_progress(cli, db, pages * (trial + 1) // (trials + 1), most=120)
                    time.sleep(rng.uniform(0.0, 0.3))  # before, during or after the next commit
                else:
                    time.sleep(rng.uniform(1.0, max_wait))
                child = crawl_child(cli)
                before = snapshot(db)
                if child is not None:
                    os.kill(child, signal.SIGKILL)
                    results["kills"] += 1
                cli.wait(120)
                time.sleep(0.5)  # its workers end with it (SIGTERM on their parent's death)
                problems = check(db, before)
                results["trials"] += 1
                results["stories_seen"] = max(results["stories_seen"], len(before))
                results["problems"] += [f"trial {trial + 1}: {p}" for p in problems]
                print(f"trial {trial + 1}: killed={'yes' if child else 'no (it had ended)'} "
                      f"stories before {len(before)}, problems {problems or 'none'}", flush=True)
            # Then a crawl left to finish: every page archived, once.
            subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=1800, check=True)
            problems = check(db, snapshot(db))
            conn = sqlite3.connect(db)
            stored = conn.execute("select count(*) from stories").fetchone()[0]
            urls = conn.execute("select count(distinct url) from story_urls").fetchone()[0]
            conn.close()
            results.update(final_stories=stored, final_urls=urls, pages=pages)
            if problems:
                results["problems"] += [f"final: {p}" for p in problems]
    finally:
        server.kill()
        server.join()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--pages", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results = run_trials(args.trials, args.pages, args.seed)
    print(f"\n{results['trials']} trials, {results['kills']} crawls killed with SIGKILL; "
          f"problems: {len(results['problems'])}; after a last full crawl {results['final_stories']} "
          f"stories under {results['final_urls']} URLs for {results['pages']} pages")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
