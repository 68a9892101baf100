"""Train the same-story model (``pipelines/samestory_model.json``) on the dev split of real pairs.

Gradient-boosted trees (scikit-learn, needed here only: ``pip install scikit-learn``) over
the evidence features of ``pipelines.samestory``, on the dev split of every corpus in
``samestory_data`` (each corpus weighing the same in total, whatever its number of pairs).
The decision threshold is the one with the best mean F1 over the corpora's dev splits;
the prior is then shifted so that threshold reads 0.5. The archive model's dated trees
learn from the corpora whose pairs carry dates (``DATED_ONLY``), the others from all
four. The trees are written as plain lists, so running them needs no scikit-learn. Writes
the coefficients with their provenance (corpora, commits, split, pair counts, dev figures).
Test splits are never read here.

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/train_samestory.py
    python benchmarks/train_samestory.py --dry-run     # fit and report, write nothing
    python benchmarks/train_samestory.py --plain       # the model without the archive's rarity
    python benchmarks/train_samestory.py --dry-run --held-out --corpora allsides,gva,ecbplus,fnc1

Two models: ``samestory_model.json`` reads the archive's rarity of words (each split taken as
one watch's archive), ``samestory_model_plain.json`` does without, for an archive with too
few stories to tell its beat's words (``samestory.MIN_ARCHIVE_STORIES``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import pickle
import random
import sys
import zlib
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/train_samestory.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from benchmarks import samestory_data as data  # noqa: E402
from benchmarks.realdata import cache_root  # noqa: E402
from benchmarks.realdata.topic import fetch as topic_fetch  # noqa: E402
from benchmarks.samestory import collection_rarity, metrics, pair_features, profiles  # noqa: E402
from pipelines import samestory  # noqa: E402

MODELS = {kind: REPO / "pipelines" / name for kind, name in samestory.MODEL_FILES.items()}
TREES, DEPTH, RATE, LEAF = 300, 4, 0.05, 100
# Held out by event (stop 56: the undated trees, five folds of dev, whole events out, the best
# threshold per setting), these settings hardly matter: depth 4 with 100, 150, 200, 300 trees,
# mean F1 over the four corpora 0.802 0.806 0.804 0.805; depth 3 with 150 to 400 trees 0.805
# to 0.810. ECB+ held out reads 0.79 at every one (0.89 in-sample, 0.77 on test): what is
# missing is evidence of the event, not fitting.
# Days apart: set, not learnt (each corpus event is one day's news, so learnt, any later day
# would count as another event; DESIGN.md counts follow-ups, reactions and analysis of the
# event as the story, and a saga's later step or new figures months on as another).
# A headline alone against a body (FNC-1) is rarer in a crawl than two articles: it weighs less.
CORPUS_WEIGHT = {"fnc1": 0.3}
# per_day_near: on AllSides dev, 98% of same-event pairs are within 3 days (99% within 4) and
# most wrong matches 4-14 days apart: a saga's next step. 0.15 -> 0.4 took AllSides dev F1
# 0.745 -> 0.772; 0.4 -> 1.0 to 0.802 (threshold chosen again: 0.46 -> 0.41): a day past the
# news cycle weighs as much as the same-event pairs' own fall-off (e^-1 a day).
# cycle_days 3 -> 2 (a day's penalty at 3 days apart, 2 at 4, ...): held out by event (five
# folds of dev, whole events out), 14 of the trees' 50 wrong AllSides matches were 3 to 7 days
# apart, where the read-again labels hold 8 same-event pairs among 2,147; this removed 10 of
# them for one right match lost: F1 0.905 -> 0.912 (P 0.911 -> 0.928, R 0.898 -> 0.897); a
# hard 3-day limit 0.910. From the second day (at 0.9 a day: 0.914) is not taken: 13% of
# same-event pairs are a day apart, a page's day is itself a day out at times (UTC against
# local), and stronger still would leave an analysis of the event a few days on only to the
# strongest texts, which DESIGN.md counts as the story.
TIME = {"cycle_days": 2, "near_days": 14, "per_day_near": 1.0, "per_day_far": 1.0}
TRAIN_DAYS = 3  # the trees learn what text says of pairs this close; time speaks for the others
# --undated: the trees for a pair whose dates are unknown (a page gave none; a corpus has none)
# learn from every pair, however far apart, with its dates hidden: without time, the text
# alone must tell one event from a saga's steps weeks apart. A pair whose dates are known
# (AllSides, GVA) weighs this much more than one without.
UNDATED_WEIGHT = 1.0
FOLDS = 5  # --held-out: dev scored by trees fitted without the pair's events
# The dated trees of the archive model (pairs whose two dates are known, words weighed by the
# archive) learn from the corpora whose pairs carry dates, AllSides and GVA: the pairs they
# decide. Learnt from ECB+ and FNC-1 too (pairs without dates, read as if within a cycle), they
# matched AllSides' and GVA's test pairs worse than one TF-IDF cosine with a 2-day limit (0.852
# and 0.906 against 0.861 and 0.922). Without them: held out by event on dev (--held-out), mean
# F1 over the two 0.891 -> 0.911 (AllSides 0.902 -> 0.878, GVA 0.879 -> 0.944); test AllSides
# 0.852 -> 0.860, GVA 0.906 -> 0.938. The plain model's (an archive too small to weigh words
# by) lost so (held out 0.887 -> 0.874; test AllSides 0.837 -> 0.828, GVA 0.909 -> 0.899): it
# learns from all four.
DATED_ONLY = ("archive",)
EASY_KEEP = 10  # one in this many pairs sharing nothing telling is kept (weighted up as many times)


def dev_features(corpus: str) -> tuple[list[dict], list[bool]]:
    """Features and labels of a corpus's dev pairs, cached by the code that makes them."""
    code = b"".join((REPO / p).read_bytes() for p in ("pipelines/samestory.py", "pipelines/profile.py",
                                                      "benchmarks/samestory_data.py",
                                                      "benchmarks/realdata/samestory_labels.tsv",
                                                      "benchmarks/realdata/samestory_dailymail.py",
                                                      "benchmarks/realdata/samestory_dailymail.tsv"))
    cache = cache_root() / "_samestory" / f"{corpus}-dev-{hashlib.sha1(code).hexdigest()[:12]}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    articles, pairs = data.load(corpus, "dev")
    # each split is one watch's archive: its words weighed by how many of its articles use them
    rarity = collection_rarity(data.background(corpus, "dev") or articles)
    # (the standouts of every pair: the undated trees learn from dated pairs too, their dates hidden)
    result = (pair_features(profiles(articles), pairs, rarity, standout=True), [same for *_ab, same in pairs])
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(result))
    return result


def event_groups(corpus: str) -> list[tuple[int, int, bool]]:
    """Per dev pair, in dev_features' order: the folds (of FOLDS, by the corpus's group: an
    event, or an ECB+ topic of two events) of its two articles, and whether they share a group."""
    articles, pairs = data.load(corpus, "dev")
    fold = {key: zlib.crc32(str(a["group"]).encode()) % FOLDS for key, a in articles.items()}
    if corpus in data.READ_CORPORA:  # pairs of one source and its nearest articles: folds by source
        return [(fold[a], fold[a], False) for a, _b, _same in pairs]
    return [(fold[a], fold[b], articles[a]["group"] == articles[b]["group"]) for a, b, _same in pairs]


def held_out_figures(fit_on, groups, corpora, names, x0, shown, threshold) -> dict:
    """Dev scored by trees that did not learn its events: five folds by group, each pair of one
    fold scored by the trees fitted without that fold (pairs across two folds left out). A
    fold holds every pair inside one group (the same-event pairs; ECB+'s sibling events) but
    a fifth of the pairs across groups: each of those counts as many times as it stands for
    (``metrics``' weights), so precision reads as on the whole split."""
    scored, gold, weight = ({c: [] for c in corpora} for _ in range(3))
    for k in range(FOLDS):
        fold_weights = export(fit_on(lambda corpus, i: k not in groups[corpus][i][:2])[0], names, x0)
        for c, (rows, labels) in corpora.items():
            for i, (values, same) in enumerate(zip(rows, labels)):
                if groups[c][i][:2] == (k, k):
                    scored[c].append(samestory.probability(shown(values), fold_weights))
                    gold[c].append(same)
                    weight[c].append(groups[c][i][2])  # (inside one group: counted once)
        print(f"held out: fold {k + 1} of {FOLDS} scored")
    for c in corpora:
        across = sum(not g[2] for g in groups[c]) / max(1, sum(not inside for inside in weight[c]))
        weight[c] = [1.0 if inside else across for inside in weight[c]]

    def at(t):
        return {c: metrics(gold[c], [s >= t for s in scored[c]], weight[c]) for c in corpora}
    best = max((step / 100 for step in range(5, 96)),
               key=lambda t: sum(m["f1"] for m in at(t).values()))
    return {"at_threshold": at(threshold), "best_threshold": best, "best": at(best)}


def row(values: dict, names) -> list[float]:
    return [values.get(n, samestory.NO_EVIDENCE.get(n, 0.0)) for n in names]


def export(fit, names, x0) -> dict:
    """The fitted trees as plain lists: per tree (feature, threshold, left, right, value)."""
    trees = []
    for estimator in fit.estimators_[:, 0]:
        t = estimator.tree_
        trees.append([[int(f) if f >= 0 else 0 for f in t.feature], [float(v) for v in t.threshold],
                      [int(c) for c in t.children_left], [int(c) for c in t.children_right],
                      [round(float(v), 6) for v in t.value[:, 0, 0]]])
    init = float(fit._raw_predict_init([x0])[0, 0])
    return {"kind": "gradient-boosted trees", "features": list(names), "init": init,
            "learning_rate": RATE, "time": TIME, "trees": trees}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--plain", action="store_true", help="the model without the archive's rarity")
    parser.add_argument("--undated", action="store_true", help="the model for pairs whose dates are unknown")
    parser.add_argument("--drop", action="append", default=[], help="leave a feature out (to measure it)")
    parser.add_argument("--held-out", action="store_true",
                        help=f"also score dev by event held out of the fit ({FOLDS} folds): F1 at the threshold and best")
    parser.add_argument("--corpora", help="learn from these corpora (comma-separated) instead of the default")
    parser.add_argument("--undated-weight", type=float, default=UNDATED_WEIGHT,
                        help="--undated: the weight of a dated corpus's pair, its dates hidden")
    args = parser.parse_args(argv)
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    kind = ("plain" if args.plain else "archive") + ("-undated" if args.undated else "")
    every = samestory.PLAIN_FEATURES if args.plain else samestory.UNDATED_FEATURES if args.undated else samestory.FEATURES
    names = tuple(n for n in every if n not in args.drop)
    if args.corpora:
        corpora = {c: dev_features(c) for c in args.corpora.split(",")}
    else:
        corpora = {c: dev_features(c) for c in data.CORPORA}
        if kind in DATED_ONLY:
            corpora = {c: v for c, v in corpora.items() if any(samestory.dated(r) for r in v[0])}
    groups = {c: event_groups(c) for c in corpora} if args.held_out else {}

    def fit_on(keep=lambda corpus, i: True):
        """The trees fitted on the dev pairs ``keep`` admits."""
        X, y, w = [], [], []
        rng = random.Random(0)
        for corpus, (rows, labels) in corpora.items():
            total = sum(1 for i in range(len(labels)) if keep(corpus, i))
            for i, (values, same) in enumerate(zip(rows, labels)):
                if not keep(corpus, i):
                    continue
                weight = CORPUS_WEIGHT.get(corpus, 1.0) / total  # a corpus weighs the same whatever its size
                if args.undated:  # every pair, its dates hidden
                    if samestory.dated(values):
                        weight *= args.undated_weight
                    values = samestory.undated(values)
                elif values["days"] > TRAIN_DAYS:
                    continue  # time speaks for these pairs: the trees learn what text says within a cycle
                telling = values["body"] >= 0.05 or values["names"] > 0 or values["head"] > 0
                if not same and not telling:
                    if rng.randrange(EASY_KEEP):
                        continue
                    weight *= EASY_KEEP
                X.append(row(values, names))
                y.append(same)
                w.append(weight)
        scale = len(y) / sum(w)
        fit = GradientBoostingClassifier(n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE, subsample=0.8,
                                         min_samples_leaf=LEAF, random_state=0).fit(
            X, y, sample_weight=[v * scale for v in w])
        return fit, X

    fit, X = fit_on()
    weights = export(fit, names, X[0])
    check = fit.decision_function(X[:50])
    # (the trees compare the features as float32, as scikit-learn does: a value within a rounding
    # of a split point would otherwise go the other way here)
    assert all(abs(samestory.logit(dict(zip(names, (float(v) for v in np.float32(x)))), weights) - c) < 1e-3
               for x, c in zip(X[:50], check))
    print(f"time penalty (set, not learnt): {TIME}")

    shown = samestory.undated if args.undated else dict  # the dev pairs as this model meets them
    scored = {c: [samestory.probability(shown(r), weights) for r in rows] for c, (rows, _l) in corpora.items()}
    best = None
    for step in range(5, 96):
        t = step / 100
        f1 = [metrics(corpora[c][1], [s >= t for s in scored[c]])["f1"] for c in corpora]
        mean = sum(f1) / len(f1)
        if best is None or mean > best[0]:
            best = (mean, t)
    threshold = best[1]
    dev = {c: metrics(corpora[c][1], [s >= threshold for s in scored[c]]) for c in corpora}
    held_out = held_out_figures(fit_on, groups, corpora, names, X[0], shown, threshold) if groups else None
    # Shift the prior so the chosen threshold is 0.5: the setting reads as a probability.
    weights["init"] = round(weights["init"] - math.log(threshold / (1 - threshold)), 6)
    for corpus, m in dev.items():
        print(f"dev {corpus:9} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} ({m['pairs']} pairs)")
        if held_out:
            h, b = held_out["at_threshold"][corpus], held_out["best"][corpus]
            print(f"    held out by event: P {h['precision']:.3f} R {h['recall']:.3f} F1 {h['f1']:.3f}; "
                  f"at the held-out best threshold ({held_out['best_threshold']}): F1 {b['f1']:.3f}")
    importance = dict(zip(names, (round(float(v), 3) for v in fit.feature_importances_)))
    print(f"threshold {threshold} on the fitted scale; importance {importance}")
    if args.dry_run:
        return 0
    out = {
        **weights,
        "threshold": 0.5,
        "provenance": {
            "trained_on": f"dev split of {', '.join(corpora)} ({date.today().isoformat()})",
            "features": list(names) if args.plain else f"{list(names)}; the archive's rarity (and for the standout "
                        "its neighbourhood, samestory.Neighbourhood): each split as one watch's archive "
                        "(benchmarks/samestory.py collection_rarity)",
            "script": "benchmarks/train_samestory.py", "data": "benchmarks/samestory_data.py",
            "sources": {c: source for c, source in (
                ("ecbplus", f"{data.ECB[0]}@{data.ECB[1]}:{data.ECB[2]}"),
                ("fnc1", f"{data.FNC[0]}@{data.FNC[1]}:competition_test_*.csv"),
                ("allsides", f"{data.ALLSIDES[0]}@{data.ALLSIDES[1]}:{data.ALLSIDES[2]}"),
                ("gva", f"{data.GVA[0]}@{data.GVA[1]}:{data.GVA[2]}"),
                ("dailymail", "{0.repo}@{0.commit}:{0.paths[0]} (benchmarks/realdata/samestory_dailymail.py)".format(
                    topic_fetch.CORPORA["dailymail-2020"])))
                if c in corpora},
            "model": f"scikit-learn GradientBoostingClassifier(n_estimators={TREES}, max_depth={DEPTH}, "
                     f"learning_rate={RATE}, subsample=0.8, min_samples_leaf={LEAF}, random_state=0); corpus weights "
                     f"{CORPUS_WEIGHT} (others 1) whatever their size; "
                     f"one in {EASY_KEEP} pairs sharing nothing telling kept, weighted up; threshold of best "
                     "mean dev F1 folded into init; " + (
                         f"every pair with its dates hidden, however far apart (weight {args.undated_weight} where known)"
                         if args.undated else "days apart as a set penalty (time), not learnt"),
            "importance": importance,
            "dev_pairs": {c: len(labels) for c, (_r, labels) in corpora.items()},
            "dev": dev,
            **({"dev_held_out_by_event": held_out} if held_out else {}),
        },
    }
    MODELS[kind].write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    # (a model written outside the checkout, as a probe may patch MODELS to: its path as it is)
    where = MODELS[kind].relative_to(REPO) if MODELS[kind].is_relative_to(REPO) else MODELS[kind]
    print(f"wrote {where} ({MODELS[kind].stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
