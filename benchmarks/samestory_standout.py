"""Probe: how far a pair stands above its texts' usual neighbours, as evidence for the undated trees.

A text's background is the mean archive cosine (``body_archive``'s measure: the split's word
rarity, unit vectors of ``profile``'s terms) of its 3rd to 5th nearest articles of the split
(``a``), or of its 6th to 10th (``b``); a pair's standout is its ``body_archive`` less the
larger of its two texts' backgrounds. Each split is one watch's archive, as for the rarity
(the Daily Mail's: its whole stream). The pipeline does not compute it (see
docs/how-it-works.md, "How far a pair stands above its texts' usual neighbours"): this
script measures it as two more features of the undated trees, nothing is written.

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/samestory_standout.py --held-out
        # dev held out by event (five folds, 150 trees), with and without the features
    python benchmarks/samestory_standout.py --test --features a
        # trees learnt on all of dev (300), scored on each corpus's test pairs, beside the
        # same recipe without the features

Needs scikit-learn and scipy (as ``train_samestory.py``). Minutes: the backgrounds are cached.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:
    sys.path[0] = str(REPO)

from benchmarks import samestory_data as data  # noqa: E402
from benchmarks import train_samestory as train  # noqa: E402
from benchmarks.realdata import cache_root  # noqa: E402
from benchmarks.samestory import collection_rarity, load_variant, metrics, pair_features, profiles  # noqa: E402
from pipelines import samestory  # noqa: E402
from pipelines.profile import term_weights  # noqa: E402

NEIGHBOURS = {"a": (2, 5), "b": (5, 10)}  # ranks (from 0) whose cosines make a background
TREES = train.TREES  # the shipped recipe's, for --test
TEST_SETS = ("ecbplus", "fnc1", "allsides-undated", "gva-undated", "dailymail-undated", "dailymail-bare")


def backgrounds(corpus: str, split: str) -> dict[str, dict[str, float]]:
    """Each labelled article's background per kind (``NEIGHBOURS``), cached."""
    import numpy as np
    from scipy import sparse

    path = cache_root() / "_samestory" / f"standout-{corpus}-{split}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    articles, _pairs = data.load(corpus, split)
    stream = data.background(corpus, split) or articles
    rarity = collection_rarity(stream)
    everything = {**stream, **articles}
    keys = list(everything)
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for i, key in enumerate(keys):
        # (a profile's all_terms, as body_archive reads them: the rest of a profile is not needed)
        terms = {t: round(w, 3) for t, w in term_weights(everything[key]["text"], everything[key]["title"]).items()}
        vector = rarity.weighed(terms)
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        for t, v in vector.items():
            rows.append(i)
            cols.append(vocabulary.setdefault(t, len(vocabulary)))
            values.append(v / norm)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(keys), len(vocabulary)))
    index = {k: i for i, k in enumerate(keys)}
    wanted = sorted(articles)
    out = {}
    deepest = max(hi for _lo, hi in NEIGHBOURS.values())
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        similar = (matrix[[index[k] for k in chunk]] @ matrix.T).toarray()
        for r, key in enumerate(chunk):
            similar[r, index[key]] = -1.0  # (not its own neighbour)
        nearest = -np.sort(-similar, axis=1)[:, :deepest]
        for r, key in enumerate(chunk):
            out[key] = {kind: float(nearest[r, lo:hi].mean()) for kind, (lo, hi) in NEIGHBOURS.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def with_standout(rows: list[dict], pairs, background: dict) -> list[dict]:
    out = []
    for values, (a, b, _same) in zip(rows, pairs):
        body = values.get("body_archive", values["body"])
        out.append({**values, **{f"standout_{kind}": body - max(background[a][kind], background[b][kind])
                                 for kind in NEIGHBOURS}})
    return out


@contextmanager
def training_with(kinds: list[str], trees: int):
    """train_samestory, meanwhile: its dev pairs with the standouts, the trees reading
    ``kinds`` of them, ``trees`` trees, and its models written to a scratch folder."""
    saved = (train.dev_features, samestory.FEATURES, train.MODELS, train.TREES)
    plain_dev_features = train.dev_features

    def dev_features(corpus):
        rows, labels = plain_dev_features(corpus)
        _articles, pairs = data.load(corpus, "dev")
        return with_standout(rows, pairs, backgrounds(corpus, "dev")), labels

    try:
        train.dev_features = dev_features
        samestory.FEATURES = samestory.FEATURES + tuple(f"standout_{k}" for k in kinds)
        scratch = Path(tempfile.mkdtemp())
        train.MODELS = {kind: scratch / f"{kind}.json" for kind in train.MODELS}
        train.TREES = trees
        yield
    finally:
        train.dev_features, samestory.FEATURES, train.MODELS, train.TREES = saved


def learnt(kinds: list[str], trees: int) -> dict:
    """The undated trees learnt on all of dev with these standouts."""
    with training_with(kinds, trees):
        train.main(["--undated"])
        return json.loads(train.MODELS["archive-undated"].read_text())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default="a,b", help="which standouts (a: 3rd-5th neighbours, b: 6th-10th)")
    parser.add_argument("--held-out", action="store_true", help="dev held out by event, with and without them")
    parser.add_argument("--test", action="store_true", help="learnt on dev, scored on test, with and without them")
    parser.add_argument("--trees", type=int, default=None)
    args = parser.parse_args(argv)
    kinds = [k for k in args.features.split(",") if k]
    if args.held_out:
        for chosen in ([], kinds):
            print(f"== held out by event, standouts {chosen or 'none'}")
            with training_with(chosen, args.trees or 150):
                train.main(["--dry-run", "--held-out", "--undated"])
    if args.test:
        trees = args.trees or TREES
        models = {"without": learnt([], trees), "with": learnt(kinds, trees)}
        for corpus in TEST_SETS:
            base, articles, pairs = load_variant(corpus, "test")
            rarity = collection_rarity(data.background(base, "test") or articles)
            rows = with_standout(pair_features(profiles(articles), pairs, rarity), pairs, backgrounds(base, "test"))
            gold = [same for *_ab, same in pairs]
            line = [f"{corpus:<18} test"]
            for name, weights in (("shipped", samestory.model("archive-undated")), *models.items()):
                m = metrics(gold, [samestory.probability(r, weights) >= 0.5 for r in rows])
                line.append(f"{name} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}")
            print("   ".join(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
