"""Soak: `newsmon schedule` left running against the demo web, memory sampled.

Serves the demo web, writes a watch of its outlets with a 1-minute interval, runs
`newsmon schedule` for N minutes (default 10), samples the scheduler's resident memory
every 10 seconds, stops it with SIGTERM, and prints the memory trend and the crawl_runs
rows it left, ending with one JSON line.

    python benchmarks/schedule_soak.py --minutes 10
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
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsmon.demo import DemoWeb  # noqa: E402


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args(argv)
    with DemoWeb() as web, tempfile.TemporaryDirectory() as tmp:
        lines = ['[watch]\nname = "soak"\ninterval = "1m"\n',
                 "[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n"
                 "concurrent_requests_per_domain = 16\n"]
        for o in web.watch().outlets:
            lines.append(f'[[outlet]]\nid = "{o.id}"\nhomepage = "{o.homepage}"\nfeeds = ["{o.feeds[0]}"]\n'
                         f'sitemaps = ["{o.sitemaps[0]}"]\ndomains = ["127.0.0.1"]\n')
        watch = Path(tmp) / "watch.toml"
        watch.write_text("\n".join(lines), encoding="utf-8")
        db = Path(tmp) / "archive.db"
        proc = subprocess.Popen([sys.executable, str(REPO / "scheduler.py"), str(watch), str(db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples = []
        end = time.monotonic() + args.minutes * 60
        while time.monotonic() < end and proc.poll() is None:
            time.sleep(10)
            rss = rss_mb(proc.pid)
            if rss:
                samples.append(round(rss, 1))
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=120)
        conn = sqlite3.connect(db)
        runs = [dict(zip(("status", "pages", "stories_new", "revisions", "errors"), r)) for r in conn.execute(
            "select status, pages, stories_new, revisions, errors from crawl_runs order by id")]
        stories = conn.execute("select count(*) from stories").fetchone()[0]
    half = max(1, len(samples) // 2)
    summary = {"minutes": args.minutes, "runs": len(runs), "statuses": [r["status"] for r in runs],
               "stories": stories, "rss_mb_first": samples[0] if samples else None,
               "rss_mb_last": samples[-1] if samples else None, "rss_mb_max": max(samples, default=None),
               "rss_mb_mean_first_half": round(sum(samples[:half]) / half, 1) if samples else None,
               "rss_mb_mean_second_half": round(sum(samples[half:]) / max(1, len(samples) - half), 1)
               if samples else None}
    for i, run in enumerate(runs, 1):
        print(f"run {i}: {run}")
    print(f"scheduler RSS MB: first {summary['rss_mb_first']}, last {summary['rss_mb_last']}, "
          f"max {summary['rss_mb_max']}; mean first half {summary['rss_mb_mean_first_half']}, "
          f"second half {summary['rss_mb_mean_second_half']}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
