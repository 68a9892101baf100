"""`same_story` judged against the source's event so far, not the source alone: a probe.

Today each story is judged against the source alone (``pipelines.samestory``: one pair, one
probability, the threshold 0.5). A watch's archive holds more than the source: the
stories already judged the source's story are reports of the same event, in other words.
A story that shares little with the source but much with its coverage (a later report
naming the victims, a rewrite in other words) is likely the same event; a sibling event of
one kind (another earthquake, another arrest) is like the source and unlike its coverage.

The rule measured here: a story is the source's story when its mean same-story
probability against the source and every story already judged so is at least ``tau``.

- ``at arrival``: stories come one by one (by publication date where known, else in a fixed
  hash order), each judged once against the event as it stands then (what a crawl's ingest
  would do);
- ``revisited``: judged again until nothing changes (what a pass over the archive after each
  crawl would do).

Every article of a split is a possible story for every source (the split is one watch's
archive); each labelled pair (source, story) is scored by whether the story joined the
source's event. Probabilities are the pair's, as ``benchmarks/samestory.py`` gives them
(the source with the smaller id), computed once per pair of articles. Ends with one JSON line.

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/samestory_event.py
    python benchmarks/samestory_event.py --corpus ecbplus --split dev --tau 0.5 --tau 0.55
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/samestory_event.py`: import from the checkout
    sys.path[0] = str(REPO)

from benchmarks.samestory import collection_rarity, load_variant, metrics, profiles  # noqa: E402
from benchmarks.samestory_data import SPLITS, background  # noqa: E402
from pipelines import samestory  # noqa: E402

CORPORA = ("allsides", "ecbplus", "fnc1", "gva", "dailymail", "dailymail-bare")
TAUS = (0.5, 0.55, 0.6)


def matrix(corpus: str, split: str) -> tuple[list[str], np.ndarray, list[tuple[str, str, bool]], dict]:
    """Article ids, their pairwise same-story probabilities, the labelled pairs, the articles."""
    base, articles, pairs = load_variant(corpus, split)
    ids = sorted({x for a, b, _ in pairs for x in (a, b)})
    profs = profiles({k: articles[k] for k in ids})
    rarity = collection_rarity(background(base, split) or articles)
    n = len(ids)
    p = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            p[i, j] = p[j, i] = samestory.probability(samestory.features(profs[ids[j]], profs[ids[i]], rarity))
    return ids, p, pairs, articles


def arrival(ids: list[str], articles: dict) -> list[int]:
    """Publication order where dates are known, then a fixed hash order."""
    def key(i):
        published = articles[ids[i]].get("published") or "9999"
        return published, hashlib.sha1(ids[i].encode()).hexdigest()
    return sorted(range(len(ids)), key=key)


def event(p: np.ndarray, source: int, order: list[int], tau: float, revisit: bool) -> set[int]:
    """The source's event: the stories whose mean probability against it and every story
    already in it reaches ``tau``."""
    members, total = {source}, p[source].copy()
    changed = True
    while changed:
        changed = False
        for c in order:
            if c not in members and total[c] / len(members) >= tau:
                members.add(c)
                total += p[c]
                changed = True
        if not revisit:
            break
    return members


def evaluate(corpus: str, split: str, taus) -> dict:
    ids, p, pairs, articles = matrix(corpus, split)
    index = {k: i for i, k in enumerate(ids)}
    order = arrival(ids, articles)
    gold = [same for *_ab, same in pairs]
    out = {"pairwise": metrics(gold, [p[index[a], index[b]] >= 0.5 for a, b, _ in pairs])}
    sources = sorted({index[a] for a, _b, _s in pairs})
    for tau in taus:
        for revisit in (False, True):
            events = {s: event(p, s, order, tau, revisit) for s in sources}
            name = f"{'revisited' if revisit else 'at arrival'} {tau}"
            out[name] = metrics(gold, [index[b] in events[index[a]] for a, b, _ in pairs])
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA, action="append", help="one corpus (repeatable); all by default")
    parser.add_argument("--split", choices=SPLITS, action="append", help="dev or test; both by default")
    parser.add_argument("--tau", type=float, action="append", help=f"mean probability to join (default {TAUS})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results: dict = {}
    for corpus in args.corpus or CORPORA:
        for split in args.split or SPLITS:
            r = results.setdefault(corpus, {})[split] = evaluate(corpus, split, args.tau or TAUS)
            for rule, m in r.items():
                print(f"{corpus:16}{split:6}{rule:18}P {m['precision']:.3f}  R {m['recall']:.3f}  "
                      f"F1 {m['f1']:.3f}  ({m['pairs']} pairs, {m['same']} same)", flush=True)
    print(json.dumps({"benchmark": "samestory_event", "seconds": round(time.perf_counter() - started, 1),
                      "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
