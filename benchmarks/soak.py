"""Soak: `newsmon schedule` left running against a mixed healthy and hostile local web.

Serves the demo web (healthy outlets, with an article edited between editions) and the
fault web (newsmon/web/faults.py: broken servers, traps, bad charsets, walls), writes a
watch of all their outlets with a 1-minute interval, runs the scheduler for N minutes
(default 10), and samples every 5 seconds the scheduler's resident memory and the memory of
its whole process tree (sum of PSS: crawl children and their workers included). It stops
the scheduler with SIGTERM, then checks every crawl_runs row: each run finished with status
ok, and the archive passes its integrity checks. It prints the memory per run and the
trend, and one JSON line.

    python benchmarks/soak.py --minutes 10
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

if not __package__:  # run as `python benchmarks/soak.py`: import from the checkout, as `-m` would
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from benchmarks.throughput import _pss_mb, _tree  # noqa: E402
from crawler.watch import Outlet, outlet_toml  # noqa: E402
from newsmon.web.demo import DemoWeb  # noqa: E402
from newsmon.web.faults import FaultWeb  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def write_watch(path: Path, demo: DemoWeb, faults: FaultWeb, interval: str) -> None:
    lines = [f'[watch]\nname = "soak"\ninterval = "{interval}"\n',
             "[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n"
             "concurrent_requests_per_domain = 8\ndownload_timeout = 5\nretry_after_max = 5\n"
             "keep_unrelated = true\nmax_articles_per_outlet = 200\nrecheck_ladder = []\n"]
    for o in demo.watch().outlets:
        lines.append(outlet_toml(o))
    for o in faults.outlets:
        lines.append(outlet_toml(Outlet(id="fault-" + o["id"], name=o["name"], homepage=o["homepage"],
                                        feeds=tuple(o["feeds"]), sitemaps=tuple(o["sitemaps"]),
                                        domains=("127.0.0.1",))))
    path.write_text("\n".join(lines), encoding="utf-8")


def check_archive(db: Path) -> dict:
    conn = sqlite3.connect(db)
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    out = {
        "integrity": one("pragma integrity_check"),
        "stories": one("select count(*) from stories"),
        "fts_rows": one("select count(*) from stories_fts"),
        "stories_without_url": one("select count(*) from stories s where not exists "
                                   "(select 1 from story_urls u where u.story_id = s.id)"),
        "urls_under_two_stories": one("select count(*) from (select url from story_urls group by url "
                                      "having count(distinct story_id) > 1)"),
    }
    conn.close()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--interval", default="1m", help="the watch's crawl interval (default 1m)")
    args = parser.parse_args(argv)
    with DemoWeb() as demo, FaultWeb(stall=8.0, bomb_mb=64) as faults, tempfile.TemporaryDirectory() as tmp:
        watch = Path(tmp) / "watch.toml"
        write_watch(watch, demo, faults, args.interval)
        db = Path(tmp) / "archive.db"
        proc = subprocess.Popen([sys.executable, str(REPO / "scheduler.py"), str(watch), str(db)],
                                stdout=subprocess.DEVNULL, stderr=open(Path(tmp) / "scheduler.log", "w"))
        samples = []  # (seconds, scheduler RSS MB, tree PSS MB, processes)
        start = time.monotonic()
        end = start + args.minutes * 60
        edition = 1
        while time.monotonic() < end and proc.poll() is None:
            time.sleep(5)
            tree = _tree(proc.pid)
            samples.append((round(time.monotonic() - start), round(rss_mb(proc.pid), 1),
                            round(sum(_pss_mb(p) for p in tree), 1), len(tree)))
            # Every few minutes the demo web changes edition: revisions, not just re-reads.
            if (time.monotonic() - start) // 180 + 1 != edition:
                edition = int((time.monotonic() - start) // 180) + 1
                demo.edition = 2 if edition % 2 == 0 else 1
        alive = proc.poll() is None
        stopped_at = datetime.now(timezone.utc)
        if alive:
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(timeout=120)
        else:
            print("the scheduler stopped early:\n" + (Path(tmp) / "scheduler.log").read_text()[-3000:])
        conn = sqlite3.connect(db)
        fields = ("id", "status", "started", "finished", "requests", "pages", "stories_new", "revisions",
                  "errors", "skipped", "error_kinds", "stats")
        runs = [dict(zip(fields, r)) for r in conn.execute(f"select {', '.join(fields)} from crawl_runs order by id")]
        conn.close()
        archive = check_archive(db)
        fault_requests = len(faults.requests)
    # A run started in the last seconds is cut by the SIGTERM that ends the soak: judge the others.
    judged = [r for r in runs if datetime.fromisoformat(r["started"]) < stopped_at - timedelta(seconds=20)]
    rss = [s[1] for s in samples]
    # Tree memory when a crawl is running (more than the scheduler alone).
    busy = [s[2] for s in samples if s[3] > 1]
    half = max(1, len(rss) // 2)
    bhalf = max(1, len(busy) // 2)
    summary = {
        "minutes": args.minutes, "scheduler_alive_at_end": alive, "runs": len(runs),
        "runs_ok": sum(r["status"] == "ok" for r in judged), "runs_judged": len(judged),
        "statuses": sorted({r["status"] for r in runs}),
        "fault_web_requests": fault_requests, **archive,
        "scheduler_rss_mb": {"first": rss[0] if rss else None, "last": rss[-1] if rss else None,
                             "max": max(rss, default=None),
                             "mean_first_half": round(sum(rss[:half]) / half, 1) if rss else None,
                             "mean_second_half": round(sum(rss[half:]) / max(1, len(rss) - half), 1) if rss else None},
        "tree_pss_mb_while_crawling": {
            "max_first_half": max(busy[:bhalf], default=None), "max_second_half": max(busy[bhalf:], default=None),
            "mean_first_half": round(sum(busy[:bhalf]) / bhalf, 1) if busy else None,
            "mean_second_half": round(sum(busy[bhalf:]) / max(1, len(busy) - bhalf), 1) if busy else None},
    }
    for run in runs:
        if run["status"] != "ok":
            print(f"run {run['id']} ended {run['status']}: {run['stats'][:400] if run['stats'] else 'no stats'}")
        print(f"run {run['id']}: {run['status']:11} {run['requests']:4} requests, {run['pages']:4} pages, "
              f"{run['stories_new']:3} new, {run['revisions']} revisions, {run['errors']} errors; "
              f"skipped {run['skipped']}; errors {run['error_kinds']}")
    print("memory every 5 s (seconds, scheduler RSS MB, whole tree PSS MB, processes):")
    print("  " + " ".join(f"{s[0]}:{s[1]}/{s[2]}" for s in samples))
    s, t = summary["scheduler_rss_mb"], summary["tree_pss_mb_while_crawling"]
    print(f"scheduler RSS MB: first {s['first']}, last {s['last']}, max {s['max']}; "
          f"mean first half {s['mean_first_half']}, second half {s['mean_second_half']}")
    print(f"tree PSS MB while crawling: mean first half {t['mean_first_half']}, second half "
          f"{t['mean_second_half']}; max first half {t['max_first_half']}, second half {t['max_second_half']}")
    print(f"runs: {summary['runs_ok']} of {summary['runs_judged']} ok; archive: {archive}")
    print(json.dumps(summary))
    ok = (alive and summary["runs_ok"] == summary["runs_judged"] > 0 and archive["integrity"] == "ok"
          and archive["stories"] == archive["fts_rows"] and not archive["stories_without_url"]
          and not archive["urls_under_two_stories"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
