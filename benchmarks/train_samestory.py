"""Train the same-story model (``pipelines/samestory_model.json``) on the dev split of real pairs.

Logistic regression (scikit-learn, needed here only: ``pip install scikit-learn``) over the
evidence features of ``pipelines.samestory``, on the dev split of every corpus in
``samestory_data`` (each corpus weighing the same in total, whatever its number of pairs).
The decision threshold is the one with the best mean F1 over the corpora's dev splits;
the intercept is then shifted so that threshold reads 0.5. Writes the coefficients with
their provenance (corpora, commits, split, pair counts, dev figures). Test splits are
never read here.

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/train_samestory.py
    python benchmarks/train_samestory.py --dry-run     # fit and report, write nothing
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import pickle
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import samestory_data as data  # noqa: E402
from benchmarks.realdata import cache_root  # noqa: E402
from benchmarks.samestory import metrics, pair_features, profiles  # noqa: E402
from pipelines import samestory  # noqa: E402

MODEL = REPO / "pipelines" / "samestory_model.json"
# Cosines and overlaps: a little shared is already telling, so they enter square-rooted.
TRANSFORM = {"head": "sqrt", "lede": "sqrt", "body": "sqrt", "names": "sqrt"}
C = 1.0  # inverse regularisation strength


def dev_features(corpus: str) -> tuple[list[dict], list[bool]]:
    """Features and labels of a corpus's dev pairs, cached by the code that makes them."""
    code = b"".join((REPO / p).read_bytes() for p in ("pipelines/samestory.py", "pipelines/profile.py",
                                                      "benchmarks/samestory_data.py"))
    cache = cache_root() / "_samestory" / f"{corpus}-dev-{hashlib.sha1(code).hexdigest()[:12]}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    articles, pairs = data.load(corpus, "dev")
    result = (pair_features(profiles(articles), pairs), [same for *_ab, same in pairs])
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(result))
    return result


def matrix(rows: list[dict], names: tuple[str, ...]) -> list[list[float]]:
    weights = {"transform": TRANSFORM}
    return [[samestory.transform(n, r.get(n, 0.0), weights) for n in names] for r in rows]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--drop", action="append", default=[], help="leave a feature out (to measure it)")
    args = parser.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    names = tuple(n for n in samestory.FEATURES if n not in args.drop)
    corpora = {c: dev_features(c) for c in data.CORPORA}
    X, y, w = [], [], []
    for rows, labels in corpora.values():
        X += matrix(rows, names)
        y += labels
        w += [1.0 / len(labels)] * len(labels)  # each corpus weighs the same
    scale = len(y) / sum(w)
    fit = LogisticRegression(C=C, max_iter=2000).fit(X, y, sample_weight=[v * scale for v in w])
    coefficients = dict(zip(names, (float(c) for c in fit.coef_[0])))
    intercept = float(fit.intercept_[0])
    weights = {"intercept": intercept, "coefficients": coefficients, "transform": TRANSFORM}

    def decide(threshold):
        out = {}
        for corpus, (rows, labels) in corpora.items():
            out[corpus] = metrics(labels, [samestory.probability(r, weights) >= threshold for r in rows])
        return out

    scored = {c: [samestory.probability(r, weights) for r in rows] for c, (rows, _l) in corpora.items()}
    best = None
    for step in range(5, 96):
        t = step / 100
        f1 = [metrics(corpora[c][1], [s >= t for s in scored[c]])["f1"] for c in corpora]
        mean = sum(f1) / len(f1)
        if best is None or mean > best[0]:
            best = (mean, t)
    threshold = best[1]
    dev = decide(threshold)
    # Shift the intercept so the chosen threshold is 0.5: the setting reads as a probability.
    shifted = intercept - math.log(threshold / (1 - threshold))
    for corpus, m in dev.items():
        print(f"dev {corpus:9} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} ({m['pairs']} pairs)")
    print("coefficients: " + ", ".join(f"{k} {v:+.2f}" for k, v in coefficients.items())
          + f"; intercept {shifted:+.2f} (threshold {threshold} on the fitted scale)")
    negative = [n for n in samestory.COSTLY if coefficients.get(n, 0) < 0]
    if negative:
        print(f"warning: negative coefficients for {negative}: the quick path's bound would not hold")
    if args.dry_run:
        return 0
    out = {
        "intercept": round(shifted, 4),
        "coefficients": {k: round(v, 4) for k, v in coefficients.items()},
        "transform": TRANSFORM,
        "threshold": 0.5,
        "provenance": {
            "trained_on": f"dev split of {', '.join(data.CORPORA)} ({date.today().isoformat()})",
            "script": "benchmarks/train_samestory.py", "data": "benchmarks/samestory_data.py",
            "sources": {"ecbplus": "/".join(data.ECB[::2]) + "@" + data.ECB[1],
                        "fnc1": f"{data.FNC[0]}@{data.FNC[1]} competition_test_*.csv",
                        "allsides": f"{data.ALLSIDES[0]}@{data.ALLSIDES[1]}:{data.ALLSIDES[2]}"},
            "model": f"scikit-learn LogisticRegression(C={C}), each corpus weighing the same; "
                     "threshold of best mean dev F1, folded into the intercept",
            "dev_pairs": {c: len(labels) for c, (_r, labels) in corpora.items()},
            "dev": dev,
        },
    }
    MODEL.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
