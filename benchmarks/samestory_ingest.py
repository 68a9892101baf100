"""`same_story` through `newsmon ingest`: each event's first article a source, the rest ingested.

``benchmarks/samestory.py`` scores every labelled pair on its own, each split weighed as one
watch's archive. A user (or a check) meets the decision another way: sources in a watch, a
collection ingested into a new archive, one label per story against all the sources. This
benchmark takes that path on the real labelled corpora of ``samestory_data``: per split, the
article with the smallest id of each event is a source (``newsmon sources add``), every other
article is ingested once, in order of publication (the watch has no topic: every story is
judged against the sources alone), and each (source, story) pair counts as found when the
story is labelled ``same_story`` with that source. Only the pairs the corpus labels count
(AllSides as we read it again; GVA leaves out one incident's reports days apart, FNC-1 pairs a
headline with bodies).

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/samestory_ingest.py
    python benchmarks/samestory_ingest.py --corpus allsides --split dev --window 100

``--window``: how many inputs the ingest reads before it judges them (``ingest.INPUTS_WINDOW``;
the words' rarity is that of the archive and of the inputs read). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/samestory_ingest.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from benchmarks.samestory import metrics  # noqa: E402
from benchmarks.samestory_data import CORPORA, SPLITS, load  # noqa: E402
from crawler import settings  # noqa: E402
from newsmon import ingest  # noqa: E402
from pipelines.archive import Archive  # noqa: E402
from pipelines.compare import load_framing  # noqa: E402
from pipelines.profile import profile  # noqa: E402
from pipelines.relevance import Thresholds  # noqa: E402


def evaluate(corpus: str, split: str, window: int) -> dict:
    articles, pairs = load(corpus, split)
    same = {frozenset((a, b)): s for a, b, s in pairs}
    events: dict = {}
    for key in sorted(articles):
        events.setdefault(articles[key]["group"], []).append(key)
    sources = sorted(keys[0] for keys in events.values())
    source_id = {key: f"s{i}" for i, key in enumerate(sources)}
    stories = sorted((key for keys in events.values() for key in keys[1:]),
                     key=lambda key: (articles[key].get("published") or "", key))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "archive.db") as archive:
        for key in sources:
            a = articles[key]
            archive.add_source({"id": source_id[key], "title": a["title"], "url": None, "published": a.get("published"),
                                "path": None, "text": a["text"],
                                "profile": profile(a["text"], a["title"] or "", a.get("published"), site=a.get("outlet"))})
        ingestor = ingest.Ingestor(archive, None, Thresholds(settings.NEWSMON_RELEVANCE_SAME_STORY, settings.NEWSMON_RELEVANCE_TOPIC),
                                   load_framing(REPO / settings.NEWSMON_FRAMING_LEXICON), window=window)
        records = (ingest.Record(id=key, text=articles[key]["text"], title=articles[key]["title"] or "",
                                 published=articles[key].get("published"), outlet=articles[key].get("outlet"))
                   for key in stories)
        found = {d["id"]: d["source_id"] if d.get("label") == "same_story" else None for d in ingestor.run(records)}
        archived = archive.db["stories"].count
    gold, predicted = [], []
    for key in stories:
        for source in sources:
            truth = same.get(frozenset((source, key)))
            if truth is not None:  # (a pair the corpus leaves unlabelled: GVA's reports days apart, unsure ones)
                gold.append(truth)
                predicted.append(found[key] == source_id[source])
    return {"sources": len(sources), "stories": len(stories), "archived": archived, **metrics(gold, predicted),
            "seconds": round(time.perf_counter() - started, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA, action="append", help="one corpus (repeatable); all by default")
    parser.add_argument("--split", choices=SPLITS, action="append", help="dev or test; both by default")
    parser.add_argument("--window", type=int, default=ingest.INPUTS_WINDOW,
                        help="inputs read before they are judged (default: the ingest's)")
    args = parser.parse_args(argv)
    results: dict = {}
    print(f"{'corpus':10}{'split':6}{'sources':>8}{'stories':>8}{'same':>6}{'archived':>9}   P / R / F1")
    for corpus in args.corpus or CORPORA:
        for split in args.split or SPLITS:
            r = results.setdefault(corpus, {})[split] = evaluate(corpus, split, args.window)
            print(f"{corpus:10}{split:6}{r['sources']:>8}{r['stories']:>8}{r['same']:>6}{r['archived']:>9}   "
                  f"{r['precision']:.3f} {r['recall']:.3f} {r['f1']:.3f}", flush=True)
    print(json.dumps({"benchmark": "samestory_ingest", "window": args.window, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
