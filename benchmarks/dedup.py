"""Near-duplicate detection at archive scale: throughput, memory and pairwise quality.

Generates article texts with known duplicate structure: distinct same-topic stories
(shared vocabulary, one shared background paragraph among some), and for a share of
them copies: exact, trimmed of their last paragraphs, lightly edited (words changed),
extended with a local paragraph, paragraphs reordered. Each scale runs in a fresh
process against a fresh SQLite archive through the archive's own dedup tier
(MinHash signature, LSH candidates from the indexed band table, check, band insert),
and reports stories per second, cost per story, peak memory and pairwise precision
and recall (a pair is predicted duplicate when both land in one story or copy group).

    python benchmarks/dedup.py                 # 10k, 50k, 100k
    python benchmarks/dedup.py --sizes 2000    # quick look
    python benchmarks/dedup.py --sizes 10000 --baseline auto --repeat 3   # today's code beside this checkout's
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/dedup.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

TOPIC = ("home office immigration enforcement hotline mps constituents charities pledge detention "
         "removal asylum border force raid employer fines visa status tribunal appeal deportation "
         "flight campaigners minister policy figures council landlords checks data sharing nhs").split()
COMMON = ("the a of to in and said that for on was with as by at from it his her their this an "
          "had have been has were will would could after before over new last year week month people "
          "government officials report told statement local national public say says").split()
NAMES = ("Smith Jones Patel Khan Brown Taylor Okafor Adeyemi Murphy Kelly Walsh Evans Hughes Lewis "
         "Roberts Wright Green Hall Wood Clarke").split()


def sentence(rng: random.Random, n_words: int) -> str:
    words = []
    for _ in range(n_words):
        r = rng.random()
        words.append(rng.choice(TOPIC) if r < 0.35 else rng.choice(NAMES) if r < 0.42 else
                     str(rng.randint(2, 900)) if r < 0.46 else rng.choice(COMMON))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(12, 28)) for _ in range(rng.randint(2, 4)))


def generate(n: int, seed: int = 7) -> list[dict]:
    """About n texts: 60% originals, 40% copies of them; outlets assigned at random."""
    rng = random.Random(seed)
    backgrounds = [paragraph(rng) for _ in range(50)]
    out, story = [], 0
    while len(out) < n:
        paras = [paragraph(rng) for _ in range(rng.randint(5, 10))]
        if rng.random() < 0.3:  # distinct stories sharing a background paragraph
            paras.insert(rng.randint(1, len(paras)), rng.choice(backgrounds))
        truth = f"s{story}"
        story += 1
        out.append({"truth": truth, "outlet": f"o{rng.randint(0, 40)}", "text": "\n".join(paras)})
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                kind = rng.choice(["exact", "trim", "edit", "extend", "reorder"])
                copy = list(paras)
                if kind == "trim":
                    copy = copy[:-min(2, len(copy) - 3)]
                elif kind == "edit":
                    tokens = "\n".join(copy).split(" ")
                    for i in rng.sample(range(len(tokens)), k=max(1, len(tokens) // 100)):
                        tokens[i] = rng.choice(COMMON)
                    copy = " ".join(tokens).split("\n")
                elif kind == "extend":
                    copy.insert(rng.randint(1, len(copy)), paragraph(rng))
                elif kind == "reorder":
                    i = rng.randrange(len(copy) - 1)
                    copy[i], copy[i + 1] = copy[i + 1], copy[i]
                out.append({"truth": truth, "outlet": f"o{rng.randint(0, 40)}", "text": "\n".join(copy)})
    return out[:n]


def _signature(text: str):
    from pipelines import dedup

    # What a crawl's worker hands the writer: the signature, and (where the pipeline does
    # so) the opening's band keys.
    lede = dedup.lede_bands(text) if _WORKER_LEDE else None
    return (*dedup.minhash(text), lede)


_WORKER_LEDE = False


def run_scale(n: int, workers: int) -> dict:
    import inspect
    import multiprocessing

    from pipelines.archive import Archive
    from pipelines.text import text_hash

    global _WORKER_LEDE
    _WORKER_LEDE = "lede" in inspect.signature(Archive.near_duplicate).parameters
    lede_kw = (lambda lede: {"lede": lede}) if _WORKER_LEDE else (lambda lede: {})

    texts = generate(n)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive(Path(tmp) / "bench.db")
        db = archive.db
        # Stories exist already (the store writes them); what is timed is the dedup tier.
        with db.atomic():
            db["outlets"].insert_all([{"id": f"o{i}", "name": f"Outlet {i}", "watched": 1} for i in range(41)],
                                     pk="id", ignore=True)
            db.conn.executemany(
                "insert into stories (id, outlet, url, text, text_hash, revision, first_seen) "
                "values (?, ?, ?, ?, ?, 1, '2026-01-01')",
                [(i + 1, t["outlet"], f"https://x/{i}", t["text"], text_hash(t["text"])) for i, t in enumerate(texts)])
        group_of: dict[int, int] = {}
        start, cpu0 = time.perf_counter(), time.process_time()
        batch = 500
        # As in a crawl: signatures are computed in worker processes (the dedup stage),
        # the archive's single writer looks candidates up and indexes bands.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            signatures = pool.imap(_signature, (t["text"] for t in texts), chunksize=100)
            for first in range(0, n, batch):
                with db.atomic():
                    for i in range(first, min(first + batch, n)):
                        story_id = i + 1
                        signature, shingles, lede = next(signatures)
                        match = archive.near_duplicate(signature, shingles, texts[i]["outlet"], title="",
                                                       text=texts[i]["text"],
                                                       **lede_kw(lede))
                        if match is not None:
                            group_of[story_id] = group_of.get(match["id"], match["id"])
                        archive._index_signature(story_id, signature, shingles, texts[i]["text"], **lede_kw(lede))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu0
        archive.close()
    predicted = {}
    for sid in range(1, n + 1):
        predicted.setdefault(group_of.get(sid, sid), []).append(sid - 1)
    pred_pairs = {tuple(sorted(p)) for members in predicted.values() for p in combinations(members, 2)}
    truth = {}
    for i, t in enumerate(texts):
        truth.setdefault(t["truth"], []).append(i)
    true_pairs = {tuple(sorted(p)) for members in truth.values() for p in combinations(members, 2)}
    tp = len(pred_pairs & true_pairs)
    return {"stories": n, "workers": workers, "seconds": round(elapsed, 2), "writer_cpu_seconds": round(cpu, 2),
            "stories_per_second": round(n / elapsed, 1), "ms_per_story": round(1000 * elapsed / n, 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "peak_rss_workers_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "pairs_true": len(true_pairs), "pairs_predicted": len(pred_pairs),
            "precision": round(tp / len(pred_pairs), 4) if pred_pairs else 1.0,
            "recall": round(tp / len(true_pairs), 4) if true_pairs else 1.0}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--workers", type=int, default=2, help="signature worker processes")
    parser.add_argument("--baseline", help="also run the code at this git ref ('auto': where this branch left "
                                               "main), interleaved, and print both")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (interleaved); the median is kept")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one scale here
    parser.add_argument("--code", help=argparse.SUPPRESS)  # internal: the pipeline to import
    args = parser.parse_args(argv)
    if args.one:
        if args.code:
            sys.path.insert(0, args.code)
        print(json.dumps(run_scale(args.one, args.workers)))
        return 0
    codes = {"new": None}
    if args.baseline:
        from benchmarks.baseline import default_ref, tree

        codes = {"today": str(tree(default_ref() if args.baseline == "auto" else args.baseline)), "new": None}
    results, baseline = [], []
    for n in (int(x) for x in args.sizes.split(",")):
        runs: dict[str, list] = {name: [] for name in codes}
        for _ in range(args.repeat):
            for name, code in codes.items():  # interleaved: a slow spell of the machine touches both alike
                # A fresh process per scale: peak memory is that scale's own.
                cmd = [sys.executable, __file__, "--one", str(n), "--workers", str(args.workers)]
                out = subprocess.run(cmd + (["--code", code] if code else []), check=True,
                                     capture_output=True, text=True).stdout.strip().splitlines()[-1]
                runs[name].append(json.loads(out))
        for name, rows in runs.items():
            rows.sort(key=lambda r: r["writer_cpu_seconds"])
            r = rows[len(rows) // 2]
            (results if name == "new" else baseline).append(r)
            print(f"{name + ':':7}{r['stories']:>7} stories: {r['seconds']:>7.1f} s, {r['stories_per_second']:>7.1f}/s, "
                  f"{r['ms_per_story']:.3f} ms each, writer CPU {1000 * r['writer_cpu_seconds'] / n:.3f} ms each, "
                  f"peak {r['peak_rss_mb']:.0f} MB, pairs precision {r['precision']:.4f} recall {r['recall']:.4f}",
                  flush=True)
        if baseline:
            print(f"        writer CPU per story, this checkout / today: "
                  f"{results[-1]['writer_cpu_seconds'] / baseline[-1]['writer_cpu_seconds']:.3f}", flush=True)
    summary = {"results": results}
    if baseline:
        summary["today"] = baseline
        summary["writer_cpu_ratio_to_today"] = [round(r["writer_cpu_seconds"] / b["writer_cpu_seconds"], 3)
                                               for r, b in zip(results, baseline)]
    if len(results) > 1:
        summary["cost_ratio_largest_to_smallest"] = round(results[-1]["ms_per_story"] / results[0]["ms_per_story"], 3)
        print(f"cost per story, {results[-1]['stories']} vs {results[0]['stories']}: "
              f"{summary['cost_ratio_largest_to_smallest']}x")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
