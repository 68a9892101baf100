"""CPU per page of the whole pipeline, this checkout beside an earlier revision, in one run.

The same synthetic news web (``newsmon.web.synthetic``), served once, is
crawled by ``newsmon crawl`` from this checkout and from REV (unpacked from this
repository with ``git archive`` into a temporary folder), interleaved ``--repeat`` times;
the median of each is kept. CPU is every process of the crawl together, as
``throughput.py`` measures it. Ends with one JSON line.

    python benchmarks/extraction_throughput.py --before b438f7e --pages 400 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/extraction_throughput.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from benchmarks import throughput  # noqa: E402
from newsmon.web import synthetic  # noqa: E402


def checkout(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the earlier revision (a commit, tag or branch)")
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    site = synthetic.build_site(args.pages, seed=args.seed)
    server, bases = synthetic.serve_fast(site, [f"127.0.0.{i + 1}" for i in range(len(site.outlets))])
    rows: dict[str, list] = {"before": [], "after": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "before").mkdir()
            repos = {"before": checkout(args.before, Path(tmp) / "before"), "after": REPO}
            for trial in range(args.repeat):
                for name, repo in repos.items():
                    with tempfile.TemporaryDirectory() as work:  # the crawl runs that checkout's code
                        row = throughput.newsmon(site, bases, Path(work), keep_all=False, code=repo)
                    per_page = 1000 * row["cpu"] / max(row["pages"], 1)
                    rows[name].append({"pages": row["pages"], "cpu_ms_per_page": per_page,
                                       "pages_per_s": row["pages"] / row["wall"], "dropped": row.get("dropped")})
                    print(f"[{trial + 1}/{args.repeat}] {name:<6} {row['pages']} pages, {per_page:.1f} ms CPU a page, "
                          f"{row['pages'] / row['wall']:.1f} pages/s", flush=True)
    finally:
        server.kill()
        server.join()
    out = {name: {"pages": trials[0]["pages"],
                  "cpu_ms_per_page": round(statistics.median(t["cpu_ms_per_page"] for t in trials), 1),
                  "pages_per_s": round(statistics.median(t["pages_per_s"] for t in trials), 2),
                  "runs": [round(t["cpu_ms_per_page"], 1) for t in trials]}
           for name, trials in rows.items()}
    out["after_over_before"] = round(out["after"]["cpu_ms_per_page"] / out["before"]["cpu_ms_per_page"], 3)
    print(f"CPU a page: before {out['before']['cpu_ms_per_page']} ms, after {out['after']['cpu_ms_per_page']} ms "
          f"(x{out['after_over_before']})")
    print(json.dumps({"before": args.before, "pages": args.pages, "repeat": args.repeat, **out}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
