"""Today's relevance stage on the real labelled news: related precision, recall, F1.

Runs the same ``assess`` a crawl uses, with the watch's topic and sources (default
``data/watch.toml``), over every labelled pool article (``fetch.labelled()``), and reports
"related" (gold ``same_story`` or ``related`` against ``unrelated``; a predicted
``same_story`` counts as related) per split, per corpus and per sample, with the error
list on request. The last line is one JSON object with the figures.

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/realdata/topic/baseline.py
    python benchmarks/realdata/topic/baseline.py --split dev --errors
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
if not __package__:  # run as `python benchmarks/realdata/topic/baseline.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from benchmarks.realdata.topic.fetch import labelled  # noqa: E402
from crawler import settings  # noqa: E402
from crawler.watch import load_watch  # noqa: E402
from pipelines.relevance import Thresholds, TopicMatcher, assess  # noqa: E402
from pipelines.sources import source_row  # noqa: E402

RELEVANT = {"same_story", "related"}


def prf(pairs: list[tuple[str, str]]) -> dict:
    """Precision, recall and F1 of 'relevant' (same_story or related) over (gold, predicted) pairs."""
    tp = sum(1 for g, p in pairs if g in RELEVANT and p in RELEVANT)
    fp = sum(1 for g, p in pairs if g not in RELEVANT and p in RELEVANT)
    fn = sum(1 for g, p in pairs if g in RELEVANT and p not in RELEVANT)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(pairs), "gold_related": tp + fn, "predicted_related": tp + fp,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watch", default=str(REPO / "data" / "watch.toml"))
    parser.add_argument("--split", choices=("dev", "test"), help="only this split")
    parser.add_argument("--errors", action="store_true", help="list the articles labelled wrongly")
    args = parser.parse_args(argv)
    watch = load_watch(args.watch)
    topic = TopicMatcher(watch.topic.terms) if watch.topic else None
    sources = [{"id": row["id"], "profile": row["profile"]}
               for row in (source_row(s) for s in watch.sources if s.path)]
    thresholds = Thresholds(settings.NEWSMON_RELEVANCE_SAME_STORY, settings.NEWSMON_RELEVANCE_TOPIC)
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    errors = []
    for rec in labelled():
        if args.split and rec["split"] != args.split:
            continue
        result = assess(rec["text"], rec["title"], rec.get("published"), topic, sources, thresholds)
        pair = (rec["label"], result["label"])
        for key in ("all", f"split={rec['split']}", f"corpus={rec['corpus']}/{rec['split']}",
                    f"sample={rec['sample']}/{rec['split']}"):
            groups[key].append(pair)
        if (pair[0] in RELEVANT) != (pair[1] in RELEVANT):
            errors.append((rec, result))
    table = {key: prf(pairs) for key, pairs in sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0]))}
    print(f"watch {watch.name}; thresholds same_story >= {thresholds.same_story}, topic >= {thresholds.topic}")
    print(f"{'group':<34}{'n':>6}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for key, m in table.items():
        print(f"{key:<34}{m['n']:>6}{m['gold_related']:>6}{m['predicted_related']:>6}"
              f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    if args.errors:
        for rec, result in errors:
            terms = ", ".join(f"{t}x{n}" for t, n in sorted(result["topic_terms"].items(), key=lambda kv: -kv[1])[:6])
            print(f"{rec['label']:>10} -> {result['label']:<10} topic {result['topic_score']:6.2f} "
                  f"#{rec['pos']} {rec['id']} [{rec['split']}]: {rec['title'][:60]} | {terms}")
    print(json.dumps({"watch": watch.name, "related": table}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
