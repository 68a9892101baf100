"""One outlet's news stream, pairs read by people: same event or not (Daily Mail, 2020).

The other same-story corpora give their labels from how they were built (ECB+'s halves,
AllSides' roundups, GVA's incidents). Here nothing decides but reading: the hardest case a
watch meets in an ordinary stream is one outlet writing about one subject day after day
(a minister's plan, then the row over it, then its reversal), in one house style, often
without a date the crawler could read. So:

- articles: the Daily Mail's news of August-October 2020 (``dailymail-2020`` of
  ``benchmarks/realdata/topic/fetch.py``: soumyadipdas37/finescoop.github.io at a pinned
  commit; site code MIT, article text the Daily Mail's: measurement only, nothing of it
  committed), sections news, latest, politics, usa, world and coronavirus, 150 words or more;
- sources: ``SOURCES`` articles per split in a fixed hash order;
- candidates: for each source, the ``CANDIDATES`` articles of its split most like it (TF-IDF
  cosine of headline and text, words weighed by their rarity in the whole stream, any date):
  the stories a topic-word matcher would call the same story;
- labels: each pair read by people by DESIGN.md's definition of ``same_story`` (a report of
  the same event, an update of it, a reaction in the next news cycle, analysis whose main
  subject it is: ``same``; another event on the subject or with the same people, an earlier
  or later development: ``not``; ``unsure``: left out), with a note, in
  ``samestory_dailymail.tsv`` (a, b, label, note). Read in three rounds (32 sources a split,
  then 64 more, then 64 more: 160); after each, a second reader labelled pairs blind
  (``samestory_dailymail_check.tsv``): every pair first read as ``same`` and about 50 drawn
  from the others: 58 of 60 alike (Cohen's kappa 0.90), then 77 of 79 (0.95), then 72 of 74
  (0.94); the pairs the readers split on, or the second found unsure, are ``unsure``.

The split is the article's (``topic.fetch.split_of``): sources and their candidates are
drawn from one split, so no article is in both; one event's articles can be (a week of one
saga in both). No model is trained on these pairs; their dev split took part in choosing
``samestory.SAME_OUTLET_PENALTY`` (every article has the one site).

    python -m benchmarks.realdata.samestory_dailymail sheets DIR [--per-sheet 110]
    python -m benchmarks.realdata.samestory_dailymail collect DIR   # DIR/labels-*.tsv -> the tsv
    python -m benchmarks.realdata.samestory_dailymail               # counts
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

if not __package__:
    sys.path[0] = str(Path(__file__).resolve().parents[2])

HERE = Path(__file__).resolve().parent
LABELS = HERE / "samestory_dailymail.tsv"
SECTIONS = {"news", "latest", "politics", "usa", "world", "coronavirus"}
MIN_WORDS = 150
SOURCES = 160  # per split
CANDIDATES = 5
OPENING_WORDS = 220
_WORD = re.compile(r"[a-z][a-z'-]+")


@lru_cache(maxsize=1)
def articles() -> dict[str, dict]:
    """The stream's news articles by id: title, text, published, split (``group``: the id)."""
    from benchmarks.realdata.topic.fetch import records, split_of

    out, seen = {}, set()
    for r in records("dailymail-2020"):
        if r["facet"] not in SECTIONS or len(r["text"].split()) < MIN_WORDS:
            continue
        key = " ".join(r["text"].split()[:60])
        if key in seen:  # the site saved some articles twice, under two names and headlines
            continue
        seen.add(key)
        out[r["id"]] = {"title": r["title"], "text": r["text"], "published": r["published"],
                        "facet": r["facet"], "split": split_of(r["id"])}
    return out


def _vectors(stream: dict[str, dict]) -> dict[str, dict[str, float]]:
    """Unit TF-IDF vectors (headline counted twice), rarity over the whole stream."""
    counts = {k: Counter(_WORD.findall(f"{a['title']} {a['title']} {a['text']}".lower())) for k, a in stream.items()}
    df = Counter(t for c in counts.values() for t in c)
    n = len(counts)
    vectors = {}
    for k, c in counts.items():
        v = {t: (1 + math.log(f)) * math.log(n / df[t]) for t, f in c.items() if df[t] >= 2}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        vectors[k] = {t: w / norm for t, w in v.items()}
    return vectors


def _rank(key: str) -> str:
    return hashlib.sha1(f"newsmon-dm-samestory/{key}".encode()).hexdigest()


@lru_cache(maxsize=1)
def candidate_pairs() -> list[tuple[str, str, str]]:
    """(split, source, candidate) for every pair to read, in a fixed order."""
    stream = articles()
    vectors = _vectors(stream)
    pairs = []
    for split in ("dev", "test"):
        keys = sorted((k for k, a in stream.items() if a["split"] == split), key=_rank)
        index: dict[str, list[tuple[str, float]]] = {}
        for k in keys:
            for t, w in vectors[k].items():
                index.setdefault(t, []).append((k, w))
        taken: set[frozenset] = set()
        sources = 0
        for source in keys:
            if sources == SOURCES:
                break
            scores: Counter = Counter()
            for t, w in vectors[source].items():
                for other, w2 in index.get(t, ()):
                    if other != source:
                        scores[other] += w * w2
            near = [k for k, _s in scores.most_common(CANDIDATES * 2)
                    if frozenset((source, k)) not in taken][:CANDIDATES]
            if len(near) < CANDIDATES:
                continue
            sources += 1
            for k in near:
                taken.add(frozenset((source, k)))
                pairs.append((split, source, k))
    return pairs


def labels() -> dict[tuple[str, str], tuple[str, str]]:
    if not LABELS.exists():
        return {}
    with open(LABELS, encoding="utf-8") as handle:
        return {(row["a"], row["b"]): (row["label"], row["note"]) for row in csv.DictReader(handle, delimiter="\t")}


def load(split: str | None = None) -> tuple[dict[str, dict], list[tuple[str, str, bool]]]:
    """Articles (id, title, text, published, group, event) and the pairs we read, as
    ``samestory_data.load`` gives them; unsure pairs left out. Each article is its own
    ``group`` (the split is by article)."""
    read = labels()
    stream = articles()
    pairs, used = [], set()
    for pair_split, a, b in candidate_pairs():
        label = read.get((a, b), (None,))[0]
        if label not in ("same", "not") or (split and pair_split != split):
            continue
        pairs.append((a, b, label == "same"))
        used.update((a, b))
    keep = {k: {"title": stream[k]["title"], "text": stream[k]["text"], "published": stream[k]["published"],
                "group": k, "event": k, "split": stream[k]["split"], "outlet": "dailymail.co.uk"} for k in sorted(used)}
    return keep, pairs


def _opening(text: str) -> str:
    return " ".join(text.split()[:OPENING_WORDS])


def sheets(folder: Path, per_sheet: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stream = articles()
    pairs = [p for p in candidate_pairs() if (p[1], p[2]) not in labels()]
    for n, start in enumerate(range(0, len(pairs), per_sheet), 1):
        with open(folder / f"sheet-{n}.txt", "w", encoding="utf-8") as out:
            for split, a, b in pairs[start:start + per_sheet]:
                out.write(f"=== PAIR {a} {b}\n")
                for tag, key in (("A", a), ("B", b)):
                    art = stream[key]
                    out.write(f"--- {tag} [{art['published']}] {art['title']}\n{_opening(art['text'])}\n")
                out.write("\n")
    print(f"{len(pairs)} pairs in {folder}")


def collect(folder: Path) -> None:
    rows = dict(labels())
    for path in sorted(folder.glob("labels-*.tsv")):
        with open(path, encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["label"] not in ("same", "not", "unsure") or not row.get("note", "").strip():
                    raise SystemExit(f"{path.name}: bad row {row}")
                rows[(row["a"], row["b"])] = (row["label"], row["note"].strip())
    order = {(a, b): i for i, (_s, a, b) in enumerate(candidate_pairs())}
    unknown = [p for p in rows if p not in order]
    if unknown:
        raise SystemExit(f"not a candidate pair: {unknown[:3]}")
    with open(LABELS, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["a", "b", "label", "note"])
        for (a, b), (label, note) in sorted(rows.items(), key=lambda kv: order[kv[0]]):
            writer.writerow([a, b, label, " ".join(note.split())])
    print(f"{len(rows)} pairs in {LABELS.name}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    s = sub.add_parser("sheets")
    s.add_argument("folder", type=Path)
    s.add_argument("--per-sheet", type=int, default=110)
    c = sub.add_parser("collect")
    c.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "sheets":
        sheets(args.folder, args.per_sheet)
    elif args.command == "collect":
        collect(args.folder)
    else:
        read = labels()
        for split in ("dev", "test"):
            got = Counter(read.get((a, b), ("unread",))[0] for s, a, b in candidate_pairs() if s == split)
            print(split, dict(got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
