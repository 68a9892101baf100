"""`same_story` on real labelled pairs: precision, recall and F1 per corpus and split, today's and new.

For every corpus of ``samestory_data`` (ECB+ same-kind event pairs, FNC-1 headline and
body pairs, AllSides multi-outlet roundups, Gun Violence Archive reports of many incidents
of one kind, the Daily Mail's stream read pair by pair) and each split (dev: tuned on; test: not),
every labelled pair is decided twice:

- today: the same-story score newsmon used before this decision existed (weighted cover
  of telling terms, shared names, a discount beyond 120 days apart; kept here, frozen, as
  ``today_score``) at its threshold 0.30;
- new: ``pipelines.samestory`` (evidence of the event, a learnt model) at the threshold in
  settings (``NEWSMON_RELEVANCE_SAME_STORY``), each split taken as one watch's archive for
  the words' rarity (``collection_rarity``);
- new, no archive: the same with no archive to weigh words by (a watch's first crawl).

The new score's average precision (``ap``: its ranking, whatever the threshold) is given
too, to set beside words alone's (``samestory_baselines.py``).

AllSides is scored on its pairs as we read them again by DESIGN.md's definition where we
did (``realdata/samestory_review.py``), as ``allsides-roundups`` on the roundups alone, and as
``allsides-undated`` with no page's date known (the text alone: sets without dates, pages
whose date was not found; same-topic stories weeks apart are then told apart by text only);
``gva-undated`` likewise: shootings in other towns and years, told apart by text only.
``dailymail`` (and ``dailymail-undated``): one outlet's stream, each article against the
articles most like it, every pair read by people; its archive is the split's whole stream.
``dailymail-bare``: the same with neither dates nor sites known (texts fed without their
pages, as a set of saved texts is): the rules for two stories of one site cannot apply.

Read dev as in-sample: the trees learnt from the dev pairs of ECB+, FNC-1, AllSides and GVA
(``train_samestory.py``), so their dev figures are what they fit, not what they generalise
to. Held out by event (``train_samestory.py --dry-run --held-out --undated``: each dev pair
scored by trees that never saw its event), ECB+ reads about 0.79 where its dev row reads
0.89, close to its test row; the Daily Mail's pairs are learnt from by no model.

A pair is (source, story): FNC-1's body is the source and its headline the story; in the
other corpora the article with the smaller id is the source. Ends with one JSON line.

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/samestory.py
    python benchmarks/samestory.py --corpus allsides --split dev --errors 20
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/samestory.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from benchmarks.samestory_data import CORPORA, READ_CORPORA, SPLITS, background, load  # noqa: E402
from crawler import settings  # noqa: E402
from pipelines import samestory  # noqa: E402
from pipelines.profile import profile  # noqa: E402
from pipelines.text import specificity  # noqa: E402

VARIANTS = ("allsides-roundups", "allsides-undated", "gva-undated", "dailymail-undated", "dailymail-bare")

TODAY_THRESHOLD = 0.30


def profiles(articles: dict[str, dict]) -> dict[str, dict]:
    """Every article profiled as a crawled story is (the body without its headline), with
    its outlet as its site where the corpus gives one."""
    return {key: profile(a["text"], a["title"], a["published"], site=a.get("outlet")) for key, a in articles.items()}


def collection_index(articles: dict[str, dict]) -> sqlite3.Connection:
    """A split's articles in a full-text index as an archive's (``stories_fts``) holds them."""
    db = sqlite3.connect(":memory:")
    db.execute(f"create virtual table stories_fts using fts5(title, text, tokenize='{samestory.FTS_TOKENIZER}')")
    db.executemany("insert into stories_fts(title, text) values (?, ?)",
                   [(a["title"], a["text"]) for a in articles.values()])
    return db


def collection_rarity(articles: dict[str, dict]) -> samestory.Rarity:
    """The word rarity of a split's articles as an archive holding them would give it (the
    same full-text index, read the same way, its neighbourhood too): each split is one
    watch's archive."""
    return samestory.read_rarity(collection_index(articles), "stories_fts")


def pair_features(profs: dict[str, dict], pairs, rarity: samestory.Rarity | None = None,
                  standout: bool | None = None) -> list[dict]:
    """Each pair's evidence (``samestory.features``; ``standout`` as it takes it)."""
    return [samestory.features(profs[b], profs[a], rarity, standout) for a, b, _same in pairs]


def metrics(gold: list[bool], predicted: list[bool], weights: list[float] | None = None) -> dict:
    """Precision, recall and F1 of the pairs predicted the same story; with ``weights``, each
    pair counts that many times (a sample of pairs standing for a whole split)."""
    weights = weights or [1] * len(gold)
    tp = sum(w for g, p, w in zip(gold, predicted, weights) if g and p)
    fp = sum(w for g, p, w in zip(gold, predicted, weights) if p and not g)
    fn = sum(w for g, p, w in zip(gold, predicted, weights) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "pairs": len(gold), "same": tp + fn}


def average_precision(gold: list[bool], scores: list[float]) -> float | None:
    """How well ``scores`` rank the same event's pairs above the others, whatever the threshold:
    the precision at each same-event pair's score, averaged (pairs of one score taken
    together, as scikit-learn's ``average_precision_score`` does). None with no same-event pair."""
    positives = sum(gold)
    if not positives:
        return None
    ranked = sorted(zip(scores, gold), key=lambda sg: -sg[0])
    total, seen, found, i = 0.0, 0, 0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        tied = sum(g for _s, g in ranked[i:j])
        seen, found = seen + (j - i), found + tied
        total += tied * found / seen
        i = j
    return round(total / positives, 3)


# --- today's method, frozen for comparison (pipelines/relevance.py before the new decision) --------

def today_score(story: dict, source: dict) -> float:
    def top(weights, k=20):
        return sorted(weights.items(), key=lambda kv: -kv[1])[:k]

    def share(items, other):
        total = sum(w for _t, w in items)
        return sum(w for t, w in items if t in other) / total if total else 0.0

    def name_weight(name):
        return min(1.5, max(specificity(t) for t in name.lower().split()) / 3.5)

    cover = share(top(source["all_terms"]), story["all_terms"])
    inside = share(top(story["all_terms"]), source["all_terms"])
    shared = (set(source["people"]) | set(source["organisations"])) & \
        (set(story["people"]) | set(story["organisations"]))
    entity = min(1.0, sum(name_weight(e) for e in shared) / 4.0)
    score = 0.5 * cover + 0.3 * inside + 0.2 * entity
    apart = samestory.days_apart(story.get("published"), source.get("published"))
    if apart is not None and apart > 120:
        score *= 0.5
    return score


def load_variant(corpus: str, split: str) -> tuple[str, dict[str, dict], list]:
    """(the corpus it is a variant of, its articles as fed, its labelled pairs).
    "allsides-roundups": AllSides with its roundups as the only answer (no pair read again);
    "<corpus>-undated" (AllSides, GVA): no page's date known, the text alone to go by;
    "<corpus>-bare": nor the site either (texts fed without their pages)."""
    base = corpus.removesuffix("-roundups").removesuffix("-undated").removesuffix("-bare")
    articles, pairs = load(base, split, corrected=not corpus.endswith("-roundups"))
    if corpus.endswith(("-undated", "-bare")):
        articles = {key: {**a, "published": None} for key, a in articles.items()}
    if corpus.endswith("-bare"):
        articles = {key: {**a, "outlet": None} for key, a in articles.items()}
    return base, articles, pairs


def evaluate(corpus: str, split: str, threshold: float, errors: int = 0) -> dict:
    base, articles, pairs = load_variant(corpus, split)
    profs = profiles(articles)
    gold = [same for *_ab, same in pairs]
    today = [today_score(profs[b], profs[a]) >= TODAY_THRESHOLD for a, b, _s in pairs]
    evidence = pair_features(profs, pairs, collection_rarity(background(base, split) or articles))
    new_scores = [samestory.probability(f) for f in evidence]
    new = [s >= threshold for s in new_scores]
    # a watch's first crawl: no archive yet, so the plain evidence alone (it does not depend on the archive)
    cold = [samestory.probability({k: v for k, v in f.items() if k not in samestory.ARCHIVE_FEATURES}) >= threshold
            for f in evidence]
    if errors:
        wrong = [(s, a, b, g) for s, (a, b, g) in zip(new_scores, pairs) if (s >= threshold) != g]
        wrong.sort(key=lambda w: -abs(w[0] - threshold))
        for s, a, b, g in wrong[:errors]:
            print(f"  {'missed' if g else 'wrong '} {s:.3f}  {articles[a].get('title') or articles[a]['text'][:70]!r}"
                  f"  <>  {articles[b].get('title') or articles[b]['text'][:70]!r}  "
                  f"{articles[a].get('published')} {articles[b].get('published')}")
    return {"today": metrics(gold, today), "new": {**metrics(gold, new), "ap": average_precision(gold, new_scores)},
            "new_no_archive": metrics(gold, cold)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA + READ_CORPORA + VARIANTS, action="append",
                        help="one corpus (repeatable); all by default")
    parser.add_argument("--split", choices=SPLITS, action="append", help="dev or test; both by default")
    parser.add_argument("--threshold", type=float, default=settings.NEWSMON_RELEVANCE_SAME_STORY)
    parser.add_argument("--errors", type=int, default=0, help="print the N most confident wrong decisions")
    args = parser.parse_args(argv)
    results: dict = {}
    started = time.perf_counter()
    print(f"{'corpus':18}{'split':6}{'pairs':>8}{'same':>6}   today P / R / F1      new P / R / F1"
          "        new, no archive       new AP")
    for corpus in args.corpus or CORPORA + READ_CORPORA + VARIANTS:
        for split in args.split or SPLITS:
            r = evaluate(corpus, split, args.threshold, args.errors)
            results.setdefault(corpus, {})[split] = r
            t, n, c = r["today"], r["new"], r["new_no_archive"]
            print(f"{corpus:18}{split:6}{t['pairs']:>8}{t['same']:>6}   "
                  f"{t['precision']:.3f} {t['recall']:.3f} {t['f1']:.3f}    "
                  f"{n['precision']:.3f} {n['recall']:.3f} {n['f1']:.3f}    "
                  f"{c['precision']:.3f} {c['recall']:.3f} {c['f1']:.3f}    "
                  f"{'-' if n['ap'] is None else format(n['ap'], '.3f')}")
    print(json.dumps({"benchmark": "samestory", "threshold": args.threshold, "today_threshold": TODAY_THRESHOLD,
                      "model": samestory.model()["provenance"].get("trained_on"),
                      "seconds": round(time.perf_counter() - started, 1), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
