"""What the archive's neighbourhood costs a crawl: at its start, in what it sends to workers, per undated page.

The undated same-story trees read how far a pair stands above its texts' usual neighbours
(``samestory.Neighbourhood``): at each crawl's start the archive's latest
``NEIGHBOURHOOD_STORIES`` stories are read and weighed, the result travels to every worker
with the rarity, and each page without a date is set against all of them. Measured side by
side in one run on a real news stream (the Daily Mail's of 2020, ``samestory_dailymail``:
fetched at a pinned commit into the real-data cache), as an archive of that stream:

- crawl start: reading the rarity without the neighbourhood and with it (CPU seconds);
- the rarity as pickled for the workers (MB), without and with;
- per page: ``relevance.assess`` of stream articles against one source, each without a date
  (so the undated trees decide and the standout is measured), with the archive's rarity
  without and with its neighbourhood (CPU ms a page, and the ratio).

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/neighbourhood.py [--pages 300]

Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:
    sys.path[0] = str(REPO)

from benchmarks.realdata import samestory_dailymail  # noqa: E402
from benchmarks.samestory import collection_index  # noqa: E402
from pipelines import samestory  # noqa: E402
from pipelines.profile import profile  # noqa: E402
from pipelines.relevance import Thresholds, assess  # noqa: E402


def cpu(fn):
    started = time.process_time()
    result = fn()
    return result, time.process_time() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="stream articles assessed, without a date")
    args = parser.parse_args(argv)
    try:
        articles = samestory_dailymail.articles()
    except Exception as exc:  # noqa: BLE001 (the cache or its fetch: say which, in one line)
        print(f"the Daily Mail stream is not in the real-data cache ({exc}): set NEWSMON_REALDATA_CACHE")
        return 1
    db = collection_index(articles)
    stream = list(articles.values())
    plain, start_plain = cpu(lambda: samestory.read_rarity(db, "stories_fts", neighbours=False))
    rarity, start_with = cpu(lambda: samestory.read_rarity(db, "stories_fts"))
    sizes = {"without": len(pickle.dumps(plain)) / 1e6, "with": len(pickle.dumps(rarity)) / 1e6}
    source = stream[0]
    sources = [{"id": "s", "profile": profile(source["text"], source["title"], None), "text": source["text"]}]
    pages = stream[1:1 + args.pages]

    def run(r):
        return [assess(p["text"], p["title"], None, None, sources, Thresholds(), rarity=r)["label"] for p in pages]

    run(plain)  # (warm the word caches both runs share)
    _labels, page_plain = cpu(lambda: run(plain))
    _labels, page_with = cpu(lambda: run(rarity))
    result = {
        "benchmark": "neighbourhood", "archive_stories": rarity.stories,
        "neighbourhood_stories": rarity.neighbourhood.size if rarity.neighbourhood else 0,
        "crawl_start_cpu_s": {"without": round(start_plain, 2), "with": round(start_with, 2)},
        "rarity_pickle_mb": {k: round(v, 2) for k, v in sizes.items()},
        "undated_page_cpu_ms": {"without": round(1000 * page_plain / len(pages), 2),
                                "with": round(1000 * page_with / len(pages), 2),
                                "ratio": round(page_with / page_plain, 2)},
        "pages": len(pages)}
    print(f"archive of {rarity.stories} stories, neighbourhood of its latest {result['neighbourhood_stories']}")
    print(f"crawl start: {start_plain:.2f} s CPU without, {start_with:.2f} s with")
    print(f"rarity sent to each worker: {sizes['without']:.2f} MB without, {sizes['with']:.2f} MB with")
    print(f"undated page: {result['undated_page_cpu_ms']['without']} ms CPU without, "
          f"{result['undated_page_cpu_ms']['with']} ms with (x{result['undated_page_cpu_ms']['ratio']})")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
