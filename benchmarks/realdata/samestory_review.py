"""Reading AllSides pairs again by DESIGN.md's definition of `same_story`.

AllSides puts each event in one roundup, and ``samestory_data`` takes "same roundup" as
"same event". By DESIGN.md that is not always so: one deal is sometimes rounded up twice
(the day it is struck and the day it is signed), and a roundup sometimes gathers a news
report with an opinion column on the theme, or a preview weeks ahead. This script makes
reading sheets of pairs for people to label, and the labels (ours, committed) correct
the pairs they cover: ``samestory_labels.tsv`` (a, b, label, note; label ``same``,
``not`` or ``unsure``: an unsure pair is left out of the measure).

Which pairs are read (pooling, as in TREC, both ways, and a sample of agreement so the
reading is not only of the model's disagreements): in each split every pair where the
model at its threshold and the roundup disagree, and 40 pairs drawn at random where they
agree (20 same-roundup pairs the model joins, 20 pairs of two roundups on the same
AllSides topic at most 10 days apart that it keeps apart). The sheets show neither the
roundup's answer nor the model's.

    python -m benchmarks.realdata.samestory_review sheets DIR [--per-sheet 110]
    python -m benchmarks.realdata.samestory_review collect DIR   # DIR/labels-*.tsv -> samestory_labels.tsv
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "samestory_labels.tsv"
AGREEING = 20  # pairs of each kind of agreement drawn per split
NEAR_DAYS = 10
OPENING_WORDS = 140


def labels() -> dict[tuple[str, str], tuple[str, str]]:
    """(a, b) -> (label, note) for every pair we read."""
    if not LABELS.exists():
        return {}
    with open(LABELS, encoding="utf-8") as handle:
        return {(row["a"], row["b"]): (row["label"], row["note"])
                for row in csv.DictReader(handle, delimiter="\t")}


def _pairs_to_read(split: str, seed: int = 2018) -> list[tuple[str, str]]:
    from benchmarks.samestory import pair_features, profiles
    from benchmarks.samestory_data import load
    from crawler import settings
    from pipelines import samestory

    articles, pairs = load("allsides", split, corrected=False)
    scores = [samestory.probability(f) for f in pair_features(profiles(articles), pairs)]
    threshold = settings.NEWSMON_RELEVANCE_SAME_STORY
    chosen = [(a, b) for s, (a, b, same) in zip(scores, pairs) if (s >= threshold) != same]
    joined = [(a, b) for s, (a, b, same) in zip(scores, pairs) if s >= threshold and same]

    def near(a: str, b: str) -> bool:
        days = samestory.days_apart(articles[a]["published"], articles[b]["published"])
        return days is not None and days <= NEAR_DAYS

    apart = [(a, b) for s, (a, b, same) in zip(scores, pairs)
             if s < threshold and not same and articles[a]["subject"] == articles[b]["subject"] and near(a, b)]
    rng = random.Random(f"{seed}:{split}")
    chosen += rng.sample(joined, min(AGREEING, len(joined))) + rng.sample(apart, min(AGREEING, len(apart)))
    return chosen


def _side(article: dict) -> str:
    words = article["text"].split()
    opening = " ".join(words[:OPENING_WORDS]) + (" ..." if len(words) > OPENING_WORDS else "")
    return (f"  [{article['published']}] {article.get('outlet') or '?'}\n  TITLE: {article['title']}\n"
            f"  TEXT: {opening}\n")


def sheets(out: Path, per_sheet: int) -> None:
    from benchmarks.samestory_data import load

    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for split in ("dev", "test"):
        articles, _pairs = load("allsides", split, corrected=False)
        rows += [(a, b, articles[a], articles[b]) for a, b in _pairs_to_read(split)]
    random.Random(7).shuffle(rows)
    key = {}
    for start in range(0, len(rows), per_sheet):
        n = start // per_sheet + 1
        with open(out / f"sheet-{n}.txt", "w", encoding="utf-8") as sheet:
            for i, (a, b, first, second) in enumerate(rows[start:start + per_sheet], start + 1):
                pid = f"P{i:04d}"
                key[pid] = (a, b)
                sheet.write(f"=== {pid}\nA:\n{_side(first)}B:\n{_side(second)}\n")
    (out / "key.json").write_text(json.dumps(key, indent=0))
    print(f"{len(rows)} pairs in {(len(rows) + per_sheet - 1) // per_sheet} sheets under {out}")


def collect(out: Path) -> None:
    key = json.loads((out / "key.json").read_text())
    found = labels()
    for path in sorted(out.glob("labels-*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or parts[0] not in key or parts[1] not in ("same", "not", "unsure"):
                continue
            a, b = key[parts[0]]
            found[(a, b)] = (parts[1], " ".join(parts[2].split()))
    with open(LABELS, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["a", "b", "label", "note"])
        for (a, b), (label, note) in sorted(found.items()):
            writer.writerow([a, b, label, note])
    print(f"{len(found)} labelled pairs in {LABELS}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("sheets", "collect"))
    parser.add_argument("dir", type=Path)
    parser.add_argument("--per-sheet", type=int, default=110)
    args = parser.parse_args(argv)
    if args.what == "sheets":
        sheets(args.dir, args.per_sheet)
    else:
        collect(args.dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
