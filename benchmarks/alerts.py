"""Alerts at archive scale: how long the send after a crawl takes as the archive grows.

Fills a fresh archive with N labelled stories (a tenth revised, a twentieth with a
conflicting figure, some copy groups) written straight into its tables (this measures
the alert scan, not the crawl), then times, through an Atom channel:
  first:  the first send (every item found, recorded, one summary written);
  crawl:  a send after a crawl that stored 100 new stories and 20 revisions;
  idle:   a send after a crawl that stored nothing.

    python benchmarks/alerts.py                # 10k, 50k stories
    python benchmarks/alerts.py --sizes 2000   # quick look
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from crawler.notify import send_due
from crawler.watch import Alert, Source, Watch
from pipelines.archive import Archive

REPO = Path(__file__).resolve().parent.parent

OUTLETS = [f"outlet-{i}" for i in range(60)]


def text(rng: random.Random, n: int) -> str:
    words = [f"w{rng.randrange(5000)}" for _ in range(400)]
    return "\n".join(" ".join(words[i:i + 40]) + f". Story {n} sentence {i}." for i in range(0, 400, 40))


def add_stories(archive, rng, first: int, count: int, revise: int):
    db = archive.db
    with archive.transaction():
        for n in range(first, first + count):
            outlet = rng.choice(OUTLETS)
            body = text(rng, n)
            label = "same_story" if rng.random() < 0.3 else "related"
            group = n - 1 if n % 50 == 1 and n > 1 else None
            db.execute("insert into stories (id, outlet, title, url, text, text_hash, revision, label, source_id, "
                       "copy_group, published, first_seen) values (?, ?, ?, ?, ?, ?, 1, ?, 'src', ?, ?, ?)",
                       [n, outlet, f"Story {n}", f"https://{outlet}.example/{n}", body, f"h{n}", label, group,
                        "2018-10-19T08:00:00+00:00", "2026-01-01T00:00:00+00:00"])
            db.execute("insert into story_revisions (story_id, revision, fetched_at, title, text, text_hash) "
                       "values (?, 1, '2026-01-01T00:00:00+00:00', ?, ?, ?)", [n, f"Story {n}", body, f"h{n}"])
            if n % 20 == 0:
                db.execute("insert into comparisons (story_id, source_id, facts_conflict) values (?, 'src', ?)",
                           [n, json.dumps([{"noun": "calls", "story_value": n % 90, "source_value": 68,
                                            "story_sentence": f"MPs called {n % 90} times."}])])
        for n in rng.sample(range(1, first + count), revise):
            number = db.execute("select revision from stories where id = ?", [n]).fetchone()[0] + 1
            body = text(rng, n)
            db.execute("insert into story_revisions (story_id, revision, fetched_at, title, text, text_hash) "
                       "values (?, ?, '2026-01-02T00:00:00+00:00', ?, ?, ?)",
                       [n, number, f"Story {n}", body, f"h{n}r{number}"])
            db.execute("update stories set revision = ?, text = ?, text_hash = ? where id = ?",
                       [number, body, f"h{n}r{number}", n])


def run(size: int) -> dict:
    rng = random.Random(size)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "a.db"
        watch = Watch(name="bench", path=None, sources=(Source(id="src", url="https://src.example/"),),
                      outlets=(), alerts=(Alert(id="feed", type="atom", path=Path(folder) / "feed.atom"),))
        with Archive(db) as archive:
            archive.add_source({"id": "src", "title": "Source", "text": "MPs called 68 times."})
            for o in OUTLETS:
                archive.db["outlets"].insert({"id": o, "name": o.title(), "watched": 1})
            add_stories(archive, rng, 1, size, size // 10)
        timings = {}
        start = time.perf_counter()
        (first,) = send_due(watch, db)
        timings["first_s"] = round(time.perf_counter() - start, 3)
        with Archive(db) as archive:
            add_stories(archive, rng, size + 1, 100, 20)
        start = time.perf_counter()
        (crawl,) = send_due(watch, db)
        timings["crawl_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        idle = send_due(watch, db)
        timings["idle_s"] = round(time.perf_counter() - start, 3)
        return {"stories": size, "first_items": first["items"], "crawl_items": crawl["items"],
                "idle_messages": len(idle), **timings}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        result = run(size)
        print(f"{size:>7} stories: first send {result['first_s']} s ({result['first_items']} items), "
              f"after a crawl {result['crawl_s']} s ({result['crawl_items']} items), idle {result['idle_s']} s",
              file=sys.stderr)
        results.append(result)
    print(json.dumps({"benchmark": "alerts", "results": results}))


if __name__ == "__main__":
    main()
