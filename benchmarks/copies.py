"""Copies on a labelled set: do the archive's stories and copy groups match the truth?

Ingests labelled JSONL records (id, outlet, url, title, text, published, group, kind) in
publication order into a fresh archive, through the same path as `newsmon ingest
--keep all` (so every record is stored whatever its relevance), and compares what the
archive holds together (one story, or one copy group) with the records' ``group``:
pairwise precision and recall, and the pairs it got wrong with their similarity.

    python benchmarks/copies.py                                  # tests/data/dedup/copies.jsonl
    python benchmarks/copies.py my-labelled.jsonl --show-all
    python benchmarks/copies.py --briefs 3     # plus, per original, a copy of its first 3 paragraphs
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path

from crawler import settings
from crawler.watch import load_watch
from newsmon.ingest import Ingestor, Record
from pipelines import dedup
from pipelines.archive import Archive
from pipelines.compare import load_framing
from pipelines.relevance import Thresholds, TopicMatcher
from pipelines.sources import source_row

REPO = Path(__file__).resolve().parent.parent

DEFAULT = REPO / "tests" / "data" / "dedup" / "copies.jsonl"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return sorted(records, key=lambda r: r.get("published") or "")


def briefs(records: list[dict], paragraphs: int) -> list[dict]:
    """Wire briefs: for each original of some length, a copy of its first paragraphs only,
    at another outlet, an hour later (how regional sites often run agency copy)."""
    out = []
    for record in records:
        parts = record["text"].split("\n\n")
        if record["kind"] != "original" or len(parts) < paragraphs + 3:
            continue
        out.append({**record, "id": f"{record['id']}-brief{paragraphs}", "outlet": "Brief Wire Digest",
                    "url": f"https://briefs.example/{record['id']}", "kind": "syndicated",
                    "title": f"In brief: {record['title']}", "text": "\n\n".join(parts[:paragraphs]),
                    })
    return out


def ingest(records: list[dict], db: Path) -> dict[str, tuple]:
    """Record id -> (story id, copy group) as the archive holds it."""
    watch = load_watch(REPO / "data" / "watch.toml")
    with Archive(db) as archive:
        archive.sync_watch(watch, [source_row(s) for s in watch.sources if s.path])
        ingestor = Ingestor(archive, TopicMatcher(watch.topic.terms) if watch.topic else None,
                            Thresholds(settings.NEWSMON_RELEVANCE_SAME_STORY, settings.NEWSMON_RELEVANCE_TOPIC),
                            load_framing(REPO / settings.NEWSMON_FRAMING_LEXICON), keep_unrelated=True,
                            batch_size=1)
        inputs = (Record(id=r["id"], url=r.get("url"), text=r["text"], title=r.get("title") or "",
                         published=r.get("published"), outlet=r.get("outlet"), fetched_at=r.get("published"))
                  for r in records)
        stories = {decision["id"]: decision.get("story_id") for decision in ingestor.run(inputs)}
        # Groups as they end up (a story's group is set when its first copy arrives).
        groups = dict(archive.db.execute("select id, copy_group from stories").fetchall())
    return {record: (story, groups.get(story)) for record, story in stories.items()}


def together(a: tuple, b: tuple) -> bool:
    return a[0] is not None and (a[0] == b[0] or (a[1] is not None and a[1] == b[1]))


def similarity(a: dict, b: dict) -> str:
    sa, na = dedup.minhash(a["text"])
    sb, nb = dedup.minhash(b["text"])
    resemblance, containment = dedup.similarity(sa, na, sb, nb)
    return f"resemblance {resemblance:.2f}, containment {containment:.2f}"


def evaluate(records: list[dict]) -> dict:
    """Pairwise precision, recall and F1 of what the archive holds together."""
    with tempfile.TemporaryDirectory() as tmp:
        placed = ingest(records, Path(tmp) / "copies.db")
    tp = fp = fn = 0
    wrong = []
    for a, b in combinations(records, 2):
        truth = a["group"] == b["group"]
        predicted = together(placed[a["id"]], placed[b["id"]])
        tp += truth and predicted
        fp += predicted and not truth
        fn += truth and not predicted
        if truth != predicted:
            wrong.append(("joined" if predicted else "missed", a["id"], b["id"]))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "wrong": wrong, "precision": precision, "recall": recall, "f1": f1}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--show-all", action="store_true", help="list every wrong pair (default: 20)")
    parser.add_argument("--briefs", type=int, metavar="N", help="add a copy of each original's first N paragraphs")
    args = parser.parse_args(argv)
    records = load(Path(args.path))
    if args.briefs:
        records = sorted(records + briefs(records, args.briefs), key=lambda r: r.get("published") or "")
    result = evaluate(records)
    tp, fp, fn, wrong = result["tp"], result["fp"], result["fn"], result["wrong"]
    precision, recall, f1 = result["precision"], result["recall"], result["f1"]
    by_id = {r["id"]: r for r in records}
    groups = len({r["group"] for r in records})
    print(f"{len(records)} records in {groups} groups from {args.path}")
    print(f"pairs: {tp + fn} together in truth, {tp + fp} together in the archive; "
          f"precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    for what, a, b in wrong[: None if args.show_all else 20]:
        print(f"  {what}: {a} ({by_id[a]['kind']}) ~ {b} ({by_id[b]['kind']}): "
              f"{similarity(by_id[a], by_id[b])}")
    print(json.dumps({"records": len(records), "groups": groups, "precision": round(precision, 4),
                      "recall": round(recall, 4), "f1": round(f1, 4), "wrong_pairs": len(wrong)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
