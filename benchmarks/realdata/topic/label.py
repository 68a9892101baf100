"""Label the pool by reading: show the next unlabelled article of a slice, record a label.

    python benchmarks/realdata/topic/label.py next --file labels-ann.jsonl --start 400 --end 800
    python benchmarks/realdata/topic/label.py show 417 [--words 300]
    python benchmarks/realdata/topic/label.py add 417 related "asylum appeals backlog" --file labels-ann.jsonl
    python benchmarks/realdata/topic/label.py add-many --file labels-ann.jsonl < batch.tsv  # key<TAB>label<TAB>note

``show`` prints the headline, date, corpus and the first words of the text, then where
the rest of the text turns to the subject's words (a skim aid: a few words around each
later mention), so a reader sees whether an article turns to immigration further down.
``add`` takes a pool position or an id and appends one line to the labeller's file; a later
line for the same id corrects an earlier one. Read GUIDE.md first.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if not __package__:  # run as `python benchmarks/realdata/topic/label.py`: import from the checkout, as `-m` would
    sys.path[0] = str(HERE.parents[2])

from benchmarks.realdata.topic.fetch import LABELS, pool, read_labels, record  # noqa: E402

SKIM = re.compile(r"immigra\w*|migrant\w*|asylum|deport\w*|refugee\w*|border\w*|visa\w*|\bICE\b|"
                  r"Home Office|detention|detain\w*|smuggl\w*|illegal\w*|undocumented|citizenship|"
                  r"Border Force|Border Patrol", re.I)


def _find(key: str, rows: list[dict]) -> dict:
    if key.isdigit():
        position = int(key)
        if not 0 <= position < len(rows):
            raise SystemExit(f"no pool position {position}: the pool has {len(rows)} articles")
        return rows[position]
    for row in rows:
        if row["id"] == key:
            return row
    raise SystemExit(f"{key}: not in pool.jsonl")


def show(row: dict, words: int) -> str:
    rec = record(row)
    tokens = rec["text"].split()
    lines = [f"#{row['pos']} {row['id']} [{row['corpus']}/{row['sample']}/{row['split']}] "
             f"{rec.get('published') or ''} ({len(tokens)} words)",
             f"TITLE: {rec['title'] or '(none)'}",
             " ".join(tokens[:words]) + (" ..." if len(tokens) > words else "")]
    rest = " ".join(tokens[words:])
    hits = list(SKIM.finditer(rest))
    if hits:
        snippets = []
        for m in hits[:6]:
            left = rest[max(0, m.start() - 60):m.start()].split(" ", 1)[-1]
            right = rest[m.end():m.end() + 60].rsplit(" ", 1)[0]
            snippets.append(f"...{left}[{m.group(0)}]{right}...")
        lines.append(f"LATER ({len(hits)} mentions): " + " | ".join(snippets))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_next = sub.add_parser("next", help="show the next unlabelled article of a slice")
    p_show = sub.add_parser("show", help="show one article (pool position or id)")
    p_show.add_argument("key")
    p_add = sub.add_parser("add", help="record a label")
    p_add.add_argument("key")
    p_add.add_argument("label", choices=LABELS)
    p_add.add_argument("note")
    p_many = sub.add_parser("add-many", help="record labels from stdin: key<TAB>label<TAB>note per line")
    for p in (p_next, p_show):
        p.add_argument("--words", type=int, default=250)
    for p in (p_next, p_add, p_many):
        p.add_argument("--file", default=str(HERE / "labels.jsonl"), help="this labeller's labels file")
    p_next.add_argument("--start", type=int, default=0)
    p_next.add_argument("--end", type=int, default=None)
    args = parser.parse_args(argv)
    rows = pool()
    if args.command == "show":
        print(show(_find(args.key, rows), args.words))
    elif args.command == "next":
        done = {r["id"] for r in read_labels(Path(args.file))} if Path(args.file).exists() else set()
        todo = [r for r in rows[args.start:args.end] if r["id"] not in done]
        if not todo:
            print("slice done")
            return 0
        print(show(todo[0], args.words))
    else:
        items = [(args.key, args.label, args.note)] if args.command == "add" else [
            tuple(line.rstrip("\n").split("\t")) for line in sys.stdin if line.strip()]
        lines = []
        for n, item in enumerate(items, 1):
            if len(item) != 3 or item[1] not in LABELS or not item[2].strip():
                raise SystemExit(f"line {n}: want key<TAB>label<TAB>note with a label in {LABELS} and a note")
            row = _find(item[0], rows)
            lines.append(json.dumps({"id": row["id"], "corpus": row["corpus"], "label": item[1],
                                     "note": item[2].strip()}))
        with open(args.file, "a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
        print(f"{len(lines)} labels added to {Path(args.file).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
