"""Copy groups and versions on real duplicate news, today's code beside this checkout's.

Sets (each split dev and test, fixed by story; see benchmarks/realdata/copies_real.py):

  fnc1, ecbplus,       real published texts, our labels of which are copies (real pairs)
  allsides, gva
  ...-page             the same texts as news pages with site furniture (captions,
                       RELATED lines, newsletter blurbs: our own phrases), run through
                       clean_page as a crawled page is (real pairs, derived furniture)
  derived-page         copies and later versions made from real texts the way
                       republishers and editors make them, as pages (derived pairs)
  nyt                  real version histories: the distinct texts of 14 NYT articles as
                       the Internet Archive captured them, each at its capture's address
                       (matched by words alone)
  nyt-revisions        the same texts at the article's own address, as a re-crawl meets
                       an update (kept as revisions of the page)

Every set is ingested in a fresh archive through the path of `newsmon ingest --keep all`;
a pair is predicted together when both texts land in one story or one copy group. Pairs
we labelled unsure are left out. Recall is given for copies (other outlet) and versions
(same outlet) apart; precision over every pair predicted together.

    python benchmarks/wirecopies.py                 # all sets, this checkout and the branch point
    python benchmarks/wirecopies.py --sets fnc1 --splits dev --show 20
    python benchmarks/wirecopies.py --baseline none # this checkout only

Needs NEWSMON_REALDATA_CACHE (or data/cache/realdata) and the snapshots named in
benchmarks/realdata/copies_real.py. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/wirecopies.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

SETS = ("fnc1", "ecbplus", "allsides", "gva", "fnc1-page", "ecbplus-page", "allsides-page", "gva-page", "derived-page",
        "nyt", "nyt-revisions")


def build(set_name: str, split: str) -> tuple[list[dict], set]:
    """(records, unsure pairs) of one set and split, in arrival order."""
    sys.path.insert(0, str(REPO))
    from benchmarks.realdata import copies_derived, copies_real

    corpus = set_name.split("-")[0]
    if corpus == "derived":
        real = []
        for name in copies_real.DERIVED_FROM:
            real += copies_real.records(name)[0]
        records, unsure = copies_derived.derived_records(real, split), set()
    elif corpus == "nyt":
        records = [r for r in copies_real.nyt_versions(at_own_address=set_name == "nyt-revisions")
                   if r["split"] == split]
        unsure = set()
    else:
        records, unsure = copies_real.records(corpus)
        records = [r for r in records if r["split"] == split]
    rng = random.Random(f"order/{set_name}/{split}")
    rng.shuffle(records)
    # A later version comes after what it updates; copies arrive in any order.
    records.sort(key=lambda r: (r["id"].count("~v"), r.get("captured", "")))
    if set_name.endswith("-page"):
        titles = [r["title"] for r in records if r.get("title")] or ["Weather warning for the weekend"]
        for r in records:
            r["html"] = copies_derived.render_page(r, rng, split, titles)
    return records, unsure


def placements(records: list[dict], code: Path) -> dict[str, tuple]:
    """Record id -> (story id, copy group), ingesting with the pipeline found at ``code``."""
    sys.path.insert(0, str(code))
    from crawler import settings
    from crawler.watch import load_watch
    from newsmon.ingest import Ingestor, Record
    from pipelines.archive import Archive
    from pipelines.compare import load_framing
    from pipelines.relevance import Thresholds, TopicMatcher
    from pipelines.sources import source_row

    watch = load_watch(code / "data" / "watch.toml")
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "copies.db") as archive:
        archive.sync_watch(watch, [source_row(s) for s in watch.sources if s.path])
        ingestor = Ingestor(archive, TopicMatcher(watch.topic.terms) if watch.topic else None,
                            Thresholds(settings.NEWSMON_RELEVANCE_SAME_STORY, settings.NEWSMON_RELEVANCE_TOPIC),
                            load_framing(code / settings.NEWSMON_FRAMING_LEXICON), keep_unrelated=True,
                            batch_size=50)
        start = "2015-01-01T00:00:00+00:00"
        inputs = (Record(id=r["id"], url=r["url"], html=r.get("html"), text=None if r.get("html") else r["text"],
                         title="" if r.get("html") else r.get("title") or "", outlet=r["outlet"],
                         published=start, fetched_at=start) for r in records)
        stories = {d["id"]: d.get("story_id") for d in ingestor.run(inputs)}
        groups = dict(archive.db.execute("select id, copy_group from stories").fetchall())
    return {rid: (story, groups.get(story)) for rid, story in stories.items()}


def score(records: list[dict], placed: dict, unsure: set, show: int = 0) -> dict:
    tp = fp = 0
    truth = {"copy": 0, "version": 0}
    found = {"copy": 0, "version": 0}
    wrong = []
    for a, b in combinations(records, 2):
        pa, pb = placed[a["id"]], placed[b["id"]]
        together = pa[0] is not None and (pa[0] == pb[0] or (pa[1] is not None and pa[1] == pb[1]))
        if frozenset((a["id"], b["id"])) in unsure:
            continue
        if a["group"] == b["group"]:
            kind = "version" if a["outlet"] == b["outlet"] else "copy"
            truth[kind] += 1
            found[kind] += together
            tp += together
            if not together and len(wrong) < show:
                wrong.append(("missed", kind, a["id"], b["id"]))
        elif together:
            fp += 1
            if len(wrong) < show:
                wrong.append(("joined", "", a["id"], b["id"]))
    positives = truth["copy"] + truth["version"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / positives if positives else 1.0
    return {"records": len(records), "pairs_true": positives, "pairs_joined": tp + fp,
            "precision": round(precision, 4), "recall": round(recall, 4),
            "recall_copies": round(found["copy"] / truth["copy"], 4) if truth["copy"] else None,
            "recall_versions": round(found["version"] / truth["version"], 4) if truth["version"] else None,
            "copy_pairs": truth["copy"], "version_pairs": truth["version"], "false_pairs": fp, "wrong": wrong}


def _placements_elsewhere(records: list[dict], code: Path) -> dict[str, tuple]:
    """Placements by another checkout's pipeline, in a child process (modules of two
    versions cannot share one interpreter)."""
    with tempfile.TemporaryDirectory() as tmp:
        given, taken = Path(tmp) / "records.jsonl", Path(tmp) / "placed.json"
        given.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        subprocess.run([sys.executable, __file__, "--place", str(given), str(taken), "--code", str(code)],
                       check=True, cwd=str(code))
        return {k: tuple(v) for k, v in json.loads(taken.read_text()).items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--splits", default="dev,test")
    parser.add_argument("--baseline", default="auto",
                        help="git ref of today's code to score beside this checkout ('auto': the branch point "
                             "with main; 'none': skip)")
    parser.add_argument("--show", type=int, default=0, help="list this many wrong pairs per set")
    parser.add_argument("--place", nargs=2, metavar=("RECORDS", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.place:  # internal: placements by the code at --code
        records = [json.loads(line) for line in Path(args.place[0]).read_text(encoding="utf-8").splitlines()]
        Path(args.place[1]).write_text(json.dumps(placements(records, Path(args.code))))
        return 0
    baseline = None
    if args.baseline != "none":
        from benchmarks.baseline import default_ref, tree

        baseline = tree(default_ref() if args.baseline == "auto" else args.baseline)
    results = {}
    for set_name in args.sets.split(","):
        for split in args.splits.split(","):
            records, unsure = build(set_name, split)
            started = time.perf_counter()
            new = score(records, _placements_elsewhere(records, REPO), unsure, args.show)
            seconds = time.perf_counter() - started
            old = score(records, _placements_elsewhere(records, baseline), unsure) if baseline else None
            key = f"{set_name}/{split}"
            results[key] = {"new": {k: v for k, v in new.items() if k != "wrong"},
                            "today": {k: v for k, v in old.items() if k != "wrong"} if old else None}

            def fmt(r):
                rc, rv = r["recall_copies"], r["recall_versions"]
                return (f"P {r['precision']:.3f} R {r['recall']:.3f} (copies {'-' if rc is None else f'{rc:.3f}'}, "
                        f"versions {'-' if rv is None else f'{rv:.3f}'})")
            print(f"{key:22} {len(records):5} texts, {new['copy_pairs']:4} copy + {new['version_pairs']:3} version "
                  f"pairs | new {fmt(new)}" + (f" | today {fmt(old)}" if old else "") + f" [{seconds:.0f}s]",
                  flush=True)
            by_id = {r["id"]: r for r in records}
            for what, kind, a, b in new["wrong"]:
                print(f"    {what} {kind}: {a} ({by_id[a]['kind']}) ~ {b} ({by_id[b]['kind']})")
    print(json.dumps({"baseline": str(baseline) if baseline else None, "sets": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
