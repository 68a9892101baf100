"""Relevance on a labelled set: precision, recall and F1 per label.

Runs the relevance stage (the same `assess` a crawl and `newsmon ingest` use) over
labelled JSONL records (id, title, text, label, published) with a watch's topic and
sources, and prints a table and, last, one JSON line with the figures.

    python benchmarks/relevance.py                               # immigration set, default watch
    python benchmarks/relevance.py --watch tests/data/factory/watch.toml tests/data/factory/articles.jsonl
    python benchmarks/relevance.py --sweep                       # F1 over a grid of thresholds
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from crawler import settings
from crawler.watch import load_watch
from pipelines.relevance import Thresholds, TopicMatcher, assess
from pipelines.sources import source_row

REPO = Path(__file__).resolve().parent.parent

LABELS = ("same_story", "related", "unrelated")


def load(paths: list[str]) -> list[dict]:
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    return records


def score_all(records, watch, thresholds):
    topic = TopicMatcher(watch.topic.terms) if watch.topic else None
    sources = [{"id": row["id"], "profile": row["profile"]}
               for row in (source_row(s) for s in watch.sources if s.path)]
    return [(r["label"], assess(r["text"], r.get("title", ""), r.get("published"), topic, sources,
                                thresholds, exact=True)) for r in records]


def label_with(result: dict, thresholds: Thresholds) -> str:
    if result["same_story_score"] >= thresholds.same_story:
        return "same_story"
    return "related" if result["topic_score"] >= thresholds.topic else "unrelated"


def metrics(pairs: list[tuple[str, str]]) -> dict:
    out = {}
    groups = {label: {label} for label in LABELS}
    groups["relevant"] = {"same_story", "related"}  # same_story + related against unrelated
    for name, members in groups.items():
        tp = sum(1 for gold, pred in pairs if gold in members and pred in members)
        fp = sum(1 for gold, pred in pairs if gold not in members and pred in members)
        fn = sum(1 for gold, pred in pairs if gold in members and pred not in members)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[name] = {"precision": round(p, 3), "recall": round(r, 3),
                     "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "support": tp + fn}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="*", help="labelled JSONL files")
    parser.add_argument("--watch", default=str(REPO / "data" / "watch.toml"))
    parser.add_argument("--sweep", action="store_true", help="try a grid of thresholds")
    parser.add_argument("--errors", action="store_true", help="list the records labelled wrongly")
    args = parser.parse_args(argv)
    paths = args.data or sorted(str(p) for p in (REPO / "tests" / "data" / "relevance").glob("*.jsonl"))
    records = load(paths)
    watch = load_watch(args.watch)
    thresholds = Thresholds(settings.NEWSMON_RELEVANCE_SAME_STORY, settings.NEWSMON_RELEVANCE_TOPIC)
    scored = score_all(records, watch, thresholds)
    if args.sweep:
        for same in (0.2, 0.25, 0.3, 0.35, 0.4):
            for topic in (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0):
                t = Thresholds(same, topic)
                m = metrics([(gold, label_with(res, t)) for gold, res in scored])
                print(f"same>={same:<5} topic>={topic:<5} " + "  ".join(
                    f"{k} F1 {v['f1']:.3f}" for k, v in m.items()))
    pairs = [(gold, res["label"]) for gold, res in scored]
    if args.errors:
        for record, (gold, res) in zip(records, scored):
            if gold != res["label"]:
                print(f"{gold:>10} -> {res['label']:<10} topic {res['topic_score']:6.2f} "
                      f"same {res['same_story_score']:.3f}  {record.get('id')}: {record.get('title', '')[:70]}")
    m = metrics(pairs)
    print(f"{len(records)} records from {', '.join(Path(p).name for p in paths)}; watch {watch.name}; "
          f"thresholds same_story >= {thresholds.same_story}, topic >= {thresholds.topic}")
    print(f"{'label':<12}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}")
    for name, v in m.items():
        print(f"{name:<12}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>8.3f}{v['support']:>9}")
    confusion = Counter(pairs)
    print("confusion (gold -> predicted): " + ", ".join(f"{g}->{p} {n}" for (g, p), n in sorted(confusion.items())))
    print(json.dumps({"records": len(records), "watch": watch.name, "metrics": m}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
