"""The watch's subject on real labelled news: today's term list beside the topic model.

Reads the real articles labelled for the default watch (``benchmarks/realdata/topic``:
public corpora fetched at pinned commits, our labels), runs the relevance stage (the
same ``assess`` a crawl uses, with the default watch's source) with each topic judge,
and prints related precision, recall and F1 (``same_story`` and ``related`` against
``unrelated``) per split and per sample: the ordinary ``stream`` (the subject is rare:
precision matters there), the immigration-heavy ``subject`` sample and the ``hard``
negatives that share the subject's words; then per corpus. The share of on-subject
stories labelled related and of unrelated ones kept out is given for each too.

Then the learning curve: the model taught by 0, 20, 50 and 100 judged stories of the
test split, scored on the rest of the test split, in five fixed orders of judging (their
verdicts pooled; each order's F1 shown too: one order moves by a story or two; ``--orders``
for more, and the count of orders whose first judged stories are all of one class); then
again with the judged stories drawn only from those the model keeps, as `newsmon review`
shows a reader the stories newsmon archived (most judgements then confirm the model).

    python benchmarks/topic.py                         # labels from benchmarks/realdata/topic
    python benchmarks/topic.py --data labelled.jsonl   # or an export (fetch.py --export)
    python benchmarks/topic.py --errors dev            # the dev articles labelled wrongly
    python benchmarks/topic.py --shift-curve --dev-curve --orders 20   # every learning curve, 20 orders
    python benchmarks/topic.py --wide-dev --orders 20   # dev curves with enough kept stories for 50
    python benchmarks/topic.py --refit-curve           # beside it, the model refitted on dev + the judged

Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/topic.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from crawler import settings  # noqa: E402
from crawler.watch import load_watch  # noqa: E402
from pipelines.relevance import Thresholds, assess  # noqa: E402
from pipelines.sources import source_row  # noqa: E402
from pipelines.topic import TopicMatcher, TopicModel, on_subject  # noqa: E402

CURVE = (0, 20, 50, 100)
SHIFT_CORPORA = ("dailymail-2020", "allsides")  # an ordinary stream; a stream of the subject
ORDERS = 5  # judged in five fixed orders: one order's curve is a story or two of noise
FOLDS = 5
STREAM_RATE = 1 / 40  # the subject's share of an ordinary stream (issue 20: a national news site)


def real_records(data: str | None = None) -> list[dict]:
    """Labelled real articles: {id, corpus, sample, split, label, note, title, text, published}.

    ``data``: a JSONL export, or a checkout holding benchmarks/realdata/topic/fetch.py
    (another worktree's, before it is merged); default: this repository's."""
    if data and Path(data).is_file():
        with open(data, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    return list(labels_module(data).labelled())


def labels_module(checkout: str | None = None):
    """benchmarks/realdata/topic/fetch.py: this repository's, or that of another checkout."""
    if checkout and Path(checkout).is_dir():
        path = Path(checkout) / "benchmarks" / "realdata" / "topic" / "fetch.py"
        if "topic_fetch" not in sys.modules:
            spec = importlib.util.spec_from_file_location("topic_fetch", path)
            module = importlib.util.module_from_spec(spec)
            sys.modules["topic_fetch"] = module
            spec.loader.exec_module(module)
        return sys.modules["topic_fetch"]
    from benchmarks.realdata.topic import fetch

    return fetch


def order(article_id: str, seed: int = 0) -> str:
    """A fixed order of articles, independent of the labels (the judged ones come first);
    each ``seed`` another order."""
    salt = "" if seed == 0 else f"{seed}/"
    return hashlib.sha1(f"newsmon-topic-judged/{salt}{article_id}".encode()).hexdigest()


def default_judges(watch) -> dict:
    matcher = TopicMatcher(watch.topic.terms)
    judges = {"terms": matcher}
    if watch.topic.model:
        judges["model"] = TopicModel.load(watch.topic.model, matcher)
    return judges


def predict(records: list[dict], judge, sources: list[dict], thresholds: Thresholds) -> list[int]:
    out = []
    for r in records:
        result = assess(r["text"], r.get("title") or "", r.get("published"), judge, sources, thresholds)
        out.append(on_subject(result["label"] or "unrelated"))
    return out


def binary(gold: list[int], pred: list[int]) -> dict:
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    tn = sum(1 for g, p in zip(gold, pred) if not g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "kept_out": round(tn / (tn + fp), 3) if tn + fp else None, "on_subject": tp + fn, "off": tn + fp}


def groups(records: list[dict]) -> dict[str, list[int]]:
    """Indexes of the records in each group: split x (all, each sample, each corpus)."""
    out: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        for split in (r["split"], "all"):
            for part in ("all", f"sample={r.get('sample')}", f"corpus={r.get('corpus')}"):
                out.setdefault(f"{split}/{part}", []).append(i)
    return dict(sorted(out.items()))


def expected_stream_precision(records: list[dict], gold: list[int], pred: list[int], split: str) -> dict:
    """Precision where STREAM_RATE of the stories are on the subject: the recall on the
    split, the false-positive rate on its stream sample (smoothed by half an article). The
    stream sample holds too few on-subject articles for its own precision to mean much."""
    index = [i for i, r in enumerate(records) if split in ("all", r["split"])]
    stream = [i for i in index if records[i].get("sample") == "stream"]
    recall = binary([gold[i] for i in index], [pred[i] for i in index])["recall"]
    off = [i for i in stream if not gold[i]]
    false_positives = sum(pred[i] for i in off)
    rate = (false_positives + 0.5) / (len(off) + 1)
    found = recall * STREAM_RATE
    return {"recall": recall, "stream_false_positives": false_positives, "stream_off": len(off),
            "precision": round(found / (found + rate * (1 - STREAM_RATE)), 3) if found else 0.0}


class Verdicts:
    """Verdicts of a model and of the models taught from it, each story read once: its
    words, term scores and the bar it must clear do not change as the model learns, only
    the weights that read them (``TopicModel.learn`` reads the judged stories the same way)."""

    def __init__(self, model: TopicModel):
        self.model, self.memo, self.bars = model, {}, {}

    def __call__(self, taught: TopicModel, stories: list[dict]) -> list[int]:
        out = []
        for r in stories:
            if id(r) not in self.bars:
                self.bars[id(r)] = self.model.threshold_for(r["text"], r.get("title") or "")
            # (a story much like a judged one takes the reader's word on it, as in a crawl)
            out.append(int(taught.decide(taught._vector(self.model._read(r, self.memo)), self.bars[id(r)])))
        return out

    def learn(self, judged: list[dict]) -> TopicModel:
        return self.model.learn(judged, _memo=self.memo) if judged else self.model


def taught_curve(model: TopicModel, pool: list[dict], sizes=CURVE, orders: int = ORDERS, kept: bool = False,
                 teach=None) -> dict:
    """The model taught the first n of ``max(sizes)`` judged articles of ``pool`` and scored
    on the rest, in each of ``orders`` fixed orders: F1 of all orders' verdicts pooled,
    and each order's F1 (one order's curve moves by a story or two: noise). ``kept``: the
    judged articles are those the untaught model keeps, as in ``newsmon review`` (a reader
    judges the stories newsmon archived, mostly confirming them); else any article. ``teach``:
    how a model is taught the judged articles (default: ``TopicModel.learn``)."""
    gold_all, pred_all, each = {n: [] for n in sizes}, {n: [] for n in sizes}, {n: [] for n in sizes}
    one_class = {n: 0 for n in sizes}  # orders whose first n judged articles are all of one class
    verdicts = Verdicts(model)
    teach = teach or verdicts.learn
    shown = {r["id"] for r, v in zip(pool, verdicts(model, pool)) if v} if kept else set()
    for seed in range(orders):
        ranked = sorted(pool, key=lambda r: order(r["id"], seed))
        if kept:
            judged = [r for r in ranked if r["id"] in shown][:max(sizes)]
            ids = {r["id"] for r in judged}
            rest = [r for r in ranked if r["id"] not in ids]
        else:
            judged, rest = ranked[:max(sizes)], ranked[max(sizes):]
        gold = [on_subject(r["label"]) for r in rest]
        for n in sizes:
            pred = verdicts(teach(judged[:n]), rest)
            gold_all[n] += gold
            pred_all[n] += pred
            each[n].append(binary(gold, pred)["f1"])
            one_class[n] += n > 0 and len({on_subject(r["label"]) for r in judged[:n]}) == 1
    return {"judged_from": max(sizes), "scored_on": len(rest), "orders": orders, "kept": kept,
            "judged": len(judged),
            "after": {n: {**binary(gold_all[n], pred_all[n]), "f1_each_order": each[n], "one_class_orders": one_class[n]}
                      for n in sizes}}


def refit_curve(records: list[dict], model: TopicModel, sizes=CURVE, orders: int = ORDERS,
                corpus: str | None = None, split: str = "test") -> dict:
    """What the judgements of ``curve`` (or, given a ``corpus``, of ``shift_curve``) could
    teach at most: the model fitted again from the start, as it was trained, on its training
    articles and the first n judged ones (what the learning rule stands in for: a watch does
    not hold the training articles), scored on the rest in the same orders."""
    from benchmarks.topic_train import fit_like

    if corpus is None:
        trained = [r for r in records if r["split"] == "dev"]
        pool, base = [r for r in records if r["split"] == "test"], model
    else:
        trained = [r for r in records if r["split"] == "dev" and r.get("corpus") != corpus]
        pool = [r for r in records if r["split"] == split and r.get("corpus") == corpus]
        base = TopicModel(fit_like(model.params, trained, model.matcher), model.matcher)

    def refit(judged: list[dict]) -> TopicModel:
        # (a refit reads a story as the base model does: same recipe, so ``Verdicts`` holds)
        return TopicModel(fit_like(model.params, trained + judged, model.matcher), model.matcher) if judged else base

    return {"corpus": corpus, "split": split if corpus else "test", **taught_curve(base, pool, sizes, orders, teach=refit)}


def curve(records: list[dict], model: TopicModel, sizes=CURVE, kept: bool = False, orders: int = ORDERS) -> dict:
    """F1 on the test split after teaching the model the first n judged test articles."""
    return taught_curve(model, [r for r in records if r["split"] == "test"], sizes, orders, kept=kept)


def shift_curve(records: list[dict], model: TopicModel, corpus: str = "dailymail-2020", sizes=CURVE,
                split: str = "test", orders: int = ORDERS) -> dict:
    """Learning on a stream the model was not trained on: a model fitted as the shipped
    one was, on the dev articles of the other corpora, taught the first n of the ``split``
    articles of ``corpus`` (a fixed order), scored on the rest of them. On dev, where a
    learning rule is chosen; on test, to report."""
    from benchmarks.topic_train import fit_like

    others = [r for r in records if r["split"] == "dev" and r.get("corpus") != corpus]
    base = TopicModel(fit_like(model.params, others, model.matcher), model.matcher)
    pool = [r for r in records if r["split"] == split and r.get("corpus") == corpus]
    return {"corpus": corpus, "split": split, "trained_on": len(others), **taught_curve(base, pool, sizes, orders)}


def dev_curve(records: list[dict], model: TopicModel, sizes=CURVE, kept: bool = False, wide: bool = False,
              orders: int = 1) -> dict:
    """The learning curve on dev alone: five rotations of (train a model as the shipped
    one was on three folds, teach it the judged fourth in a fixed order, score the fifth).
    ``kept``: only the fourth fold's stories the model keeps are judged. ``wide``: trained
    on two folds, judged from the next two (a fold keeps fewer than 50 stories: two keep
    more), scored on the fifth, sizes beyond the stories there are to judge left out;
    ``orders``: judged in as many fixed orders, pooled."""
    from benchmarks.topic_train import fit_like

    dev = [r for r in records if r["split"] == "dev"]

    def fold(r):
        return int(hashlib.sha1(f"newsmon-topic-fold/{r['id']}".encode()).hexdigest()[:8], 16) % FOLDS

    trained, judging = ((0, 1), (2, 3)) if wide else ((0, 1, 2), (3,))
    gold_all, pred_all = {n: [] for n in sizes}, {n: [] for n in sizes}
    for rotation in range(FOLDS):
        part = [r for r in dev if (fold(r) - rotation) % FOLDS in trained]
        pool = [r for r in dev if (fold(r) - rotation) % FOLDS in judging]
        scored = [r for r in dev if (fold(r) - rotation) % FOLDS == 4]
        base = TopicModel(fit_like(model.params, part, model.matcher), model.matcher)
        verdicts = Verdicts(base)
        if kept:  # judged: the stories the model keeps
            pool = [r for r, v in zip(pool, verdicts(base, pool)) if v]
        gold = [on_subject(r["label"]) for r in scored]
        for seed in range(orders):
            judged = sorted(pool, key=lambda r: order(r["id"], seed))
            for n in sizes:
                if wide and n > len(judged):
                    continue
                gold_all[n] += gold
                pred_all[n] += verdicts(verdicts.learn(judged[:n]), scored)
    return {"rotations": FOLDS, "kept": kept, "wide": wide, "orders": orders,
            "after": {n: binary(gold_all[n], pred_all[n]) for n in sizes if pred_all[n]}}


def print_curve(learning: dict) -> None:
    for n, m in learning["after"].items():
        each = m.get("f1_each_order")
        print(f"  after {n:>3} judgements: precision {m['precision']:.3f} recall {m['recall']:.3f} "
              f"F1 {m['f1']:.3f}" + (f" (each order: {' '.join(f'{f:.3f}' for f in each)})" if each else "")
              + (f"; judged all of one class in {m['one_class_orders']} orders" if m.get("one_class_orders") else ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="a JSONL export of the labelled articles, or a checkout holding them")
    parser.add_argument("--watch", default=str(REPO / "data" / "watch.toml"))
    parser.add_argument("--model", help="a topic model file to measure instead of the watch's")
    parser.add_argument("--errors", choices=["dev", "test"], help="list the articles of this split labelled wrongly")
    parser.add_argument("--dev-curve", action="store_true",
                        help="also the learning curve on dev alone (trains five models: minutes)")
    parser.add_argument("--shift-curve", action="store_true",
                        help="also the learning curves on streams the model was not trained on (Daily Mail, AllSides)")
    parser.add_argument("--wide-dev", action="store_true",
                        help="also the dev learning curves trained on two folds and judged from two (enough "
                             "kept stories for 50 judgements), in --orders orders (trains five models: minutes)")
    parser.add_argument("--refit-curve", action="store_true",
                        help="also the curves of the model refitted from the start on its training articles and "
                             "the judged ones (what the judgements could teach at most; with --shift-curve, for "
                             "those streams too: minutes)")
    parser.add_argument("--orders", type=int, default=ORDERS,
                        help=f"orders in which the judged articles come (default {ORDERS}); more show the rare "
                             "orders whose first judgements are all of one class")
    args = parser.parse_args(argv)
    records = real_records(args.data)
    watch = load_watch(args.watch)
    judges = default_judges(watch)
    if args.model:
        judges["model"] = TopicModel.load(args.model, judges["terms"])
    sources = [{"id": row["id"], "profile": row["profile"]}
               for row in (source_row(s) for s in watch.sources if s.path)]
    thresholds = Thresholds(settings.NEWSMON_RELEVANCE_SAME_STORY, settings.NEWSMON_RELEVANCE_TOPIC)
    gold = [on_subject(r["label"]) for r in records]
    preds = {name: predict(records, judge, sources, thresholds) for name, judge in judges.items()}
    figures = {}
    print(f"{len(records)} labelled articles ({sum(gold)} on the subject); watch {watch.name}")
    print(f"{'group':<34}{'n':>5}{'pos':>5}  " + "  ".join(f"{name + ' P/R/F1':>20}{'kept out':>9}"
                                                        for name in judges))
    for group, index in groups(records).items():
        g = [gold[i] for i in index]
        row = {name: binary(g, [p[i] for i in index]) for name, p in preds.items()}
        figures[group] = row
        print(f"{group:<34}{len(index):>5}{sum(g):>5}  " + "  ".join(
            f"{m['precision']:>6.3f} {m['recall']:.3f} {m['f1']:.3f}{(m['kept_out'] if m['kept_out'] is not None else float('nan')):>9.3f}"
            for m in row.values()))
    result_stream = {}
    for name, p in preds.items():
        for split in ("dev", "test"):
            e = expected_stream_precision(records, gold, p, split)
            result_stream[f"{name}/{split}"] = e
            print(f"expected precision on an ordinary stream (1 in 40 on the subject), {name}, {split}: "
                  f"{e['precision']:.3f} (recall {e['recall']:.3f}; {e['stream_false_positives']} false positives "
                  f"among {e['stream_off']} stream articles off the subject)")
    if args.errors:
        name = "model" if "model" in preds else "terms"
        for i, r in enumerate(records):
            if r["split"] == args.errors and preds[name][i] != gold[i]:
                verdict = judges[name].judge(r["text"], r.get("title") or "", thresholds)
                print(f"{r['label']:>10} -> {'related' if preds[name][i] else 'unrelated':<10} "
                      f"{verdict['score']:6.2f} {r['id']} [{r.get('sample')}] {(r.get('title') or '')[:60]!r} "
                      f"{verdict['features'][:4]} note: {r.get('note', '')[:60]}")
    result = {"records": len(records), "on_subject": sum(gold), "figures": figures, "stream": result_stream}
    if "model" in judges:
        result["learning"] = curve(records, judges["model"], orders=args.orders)
        learning = result["learning"]
        print(f"\nLearning from judgements (test split: the model taught the first n of "
              f"{learning['judged_from']} judged articles, scored on the other {learning['scored_on']}; "
              f"{learning['orders']} orders, verdicts pooled):")
        print_curve(learning)
        result["learning_kept"] = curve(records, judges["model"], kept=True, orders=args.orders)
        learning = result["learning_kept"]
        print(f"Learning from judgements of what newsmon kept (as `newsmon review` shows them: the first n of "
              f"the {learning['judged']} test articles the model keeps, judged; scored on the other "
              f"{learning['scored_on']}):")
        print_curve(learning)
        if args.refit_curve:
            result["learning_refit"] = refit_curve(records, judges["model"], orders=args.orders)
            print("The model refitted from the start on dev and the same judged test articles (what they could "
                  "teach at most), scored on the same others:")
            print_curve(result["learning_refit"])
        if args.shift_curve:
            result["learning_shift"], result["learning_shift_dev"] = {}, {}
            for split, key in (("dev", "learning_shift_dev"), ("test", "learning_shift")):
                for corpus in SHIFT_CORPORA:
                    s = result[key][corpus] = shift_curve(records, judges["model"], corpus, split=split, orders=args.orders)
                    print(f"Learning from judgements on another stream (fitted on the {s['trained_on']} dev "
                          f"articles of the other corpora, taught the first n of {s['judged_from']} {corpus} "
                          f"{split} articles, scored on the other {s['scored_on']}; {s['orders']} orders, "
                          "verdicts pooled):")
                    print_curve(s)
                    if args.refit_curve:
                        r = result.setdefault(key + "_refit", {})[corpus] = refit_curve(
                            records, judges["model"], orders=args.orders, corpus=corpus, split=split)
                        print("  ... refitted from the start on those articles and the judged ones:")
                        print_curve(r)
        if args.dev_curve:
            result["learning_dev"] = dev_curve(records, judges["model"])
            print("Learning from judgements on dev (5 rotations: trained on 3 folds, taught the 4th, "
                  "scored on the 5th):")
            print_curve(result["learning_dev"])
            result["learning_dev_kept"] = dev_curve(records, judges["model"], kept=True)
            print("... taught only the stories of the 4th fold it keeps:")
            print_curve(result["learning_dev_kept"])
        if args.wide_dev:
            for kept, key in ((False, "learning_dev_wide"), (True, "learning_dev_wide_kept")):
                result[key] = dev_curve(records, judges["model"], kept=kept, wide=True, orders=args.orders)
                print(f"Learning from judgements on dev (5 rotations: trained on 2 folds, taught the first n of "
                      f"the {'stories it keeps of the ' if kept else ''}next 2, scored on the 5th; "
                      f"{args.orders} orders, verdicts pooled):")
                print_curve(result[key])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
