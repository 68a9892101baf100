"""The same-story decision's reference points on the same real pairs: words alone, and a packaged embedding.

``benchmarks/samestory.py`` scores newsmon's decision; this scores what it must beat, on
the same corpora, splits and pairs (``samestory_data``), so the two read side by side:

- ``tfidf+3d``: issue 19's scale. TF-IDF cosine of headline and text (IDF from the split's
  articles, or its whole stream where the corpus has one), the threshold of best F1 on ECB+
  dev (same-kind sibling events: the hardest same-topic negatives), and two reports of one
  event published at most 3 days apart (a pair whose dates are unknown passes that rule);
- ``wordllama``: the cosine of WordLlama's static embeddings (a model whose weights ship
  inside its package; ``pip install wordllama``, left out if absent), its threshold chosen
  likewise on ECB+ dev, and the same 3-day rule;
- ``AP``: average precision of each score over the split's pairs, threshold-free: how well
  it ranks the same event's reports above the rest, which no threshold can mend.

Variants as ``samestory.py`` has them: ``-undated`` (no page's date known), ``-bare`` (nor
its site). Test splits are scored with the thresholds taken from ECB+ dev. Needs
scikit-learn (``pip install -e ".[train]"``). Ends with one JSON line.

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/samestory_baselines.py
    python benchmarks/samestory_baselines.py --corpus ecbplus --corpus dailymail-bare --no-embedding
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/samestory_baselines.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from benchmarks.samestory import VARIANTS, average_precision, load_variant, metrics  # noqa: E402
from benchmarks.samestory_data import CORPORA, READ_CORPORA, SPLITS, background  # noqa: E402
from pipelines.samestory import days_apart  # noqa: E402

DAYS = 3  # issue 19: "the same event is reported within 3 days"
THRESHOLD_FROM = ("ecbplus", "dev")


def embedder():
    """WordLlama's bundled model, or None when the package is not installed. Its weights and
    tokenizer ship in the wheel; ``cache_dir`` points at them so nothing is downloaded (0.4.0
    looks for the tokenizer in a directory the wheel does not have, then tries the network)."""
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return None
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def similarities(corpus: str, split: str, model) -> tuple[list, dict]:
    """The labelled pairs (a, b, same, days apart) and each score's cosine per pair."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    base, articles, pairs = load_variant(corpus, split)
    stream = background(base, split) or articles
    keys = list(stream)
    index = {key: i for i, key in enumerate(keys)}
    texts = [f"{stream[key].get('title') or ''}\n{stream[key]['text']}" for key in keys]
    a = np.array([index[p[0]] for p in pairs])
    b = np.array([index[p[1]] for p in pairs])
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    scores = {"tfidf+3d": np.asarray(matrix[a].multiply(matrix[b]).sum(1)).ravel()}
    if model is not None:
        vectors = model.embed(texts, norm=True)
        scores["wordllama"] = (vectors[a] * vectors[b]).sum(1)
    labelled = [(x, y, same, days_apart(articles[x].get("published"), articles[y].get("published")))
                for x, y, same in pairs]
    return labelled, scores


def decide(labelled, cosine, threshold: float) -> list[bool]:
    return [bool(c >= threshold) and (apart is None or apart <= DAYS) for (*_xy, apart), c in zip(labelled, cosine)]


def best_threshold(labelled, cosine) -> float:
    gold = [same for _x, _y, same, _d in labelled]
    return max((step / 100 for step in range(5, 96)),
               key=lambda t: metrics(gold, decide(labelled, cosine, t))["f1"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA + READ_CORPORA + VARIANTS, action="append",
                        help="one corpus (repeatable); all by default")
    parser.add_argument("--split", choices=SPLITS, action="append", help="dev or test; both by default")
    parser.add_argument("--no-embedding", action="store_true", help="leave the WordLlama score out")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    model = None if args.no_embedding else embedder()
    measured = {THRESHOLD_FROM: similarities(*THRESHOLD_FROM, model)}  # (read once, scored below too)
    thresholds = {name: best_threshold(measured[THRESHOLD_FROM][0], cosine)
                  for name, cosine in measured[THRESHOLD_FROM][1].items()}
    print(f"thresholds (best F1 on {' '.join(THRESHOLD_FROM)}): {thresholds}"
          + ("" if model or args.no_embedding else "; wordllama not installed: left out"))
    print(f"{'corpus':18}{'split':6}{'pairs':>8}{'same':>6}  " + "".join(f"{name + ' P / R / F1  AP':34}"
                                                                      for name in thresholds))
    results: dict = {}
    for corpus in args.corpus or CORPORA + READ_CORPORA + VARIANTS:
        for split in args.split or SPLITS:
            labelled, scores = measured.pop((corpus, split), None) or similarities(corpus, split, model)
            gold = [same for _x, _y, same, _d in labelled]
            row = {}
            for name, cosine in scores.items():
                m = metrics(gold, decide(labelled, cosine, thresholds[name]))
                m["ap"] = average_precision(gold, list(cosine))
                row[name] = m
            results.setdefault(corpus, {})[split] = row
            print(f"{corpus:18}{split:6}{len(gold):>8}{sum(gold):>6}  " + "".join(
                f"{m['precision']:.3f} {m['recall']:.3f} {m['f1']:.3f}  {'-' if m['ap'] is None else format(m['ap'], '.3f'):5}{'':8}"
                for m in row.values()))
    print(json.dumps({"benchmark": "samestory_baselines", "days": DAYS, "thresholds": thresholds,
                      "threshold_from": "/".join(THRESHOLD_FROM),
                      "seconds": round(time.perf_counter() - started, 1), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
