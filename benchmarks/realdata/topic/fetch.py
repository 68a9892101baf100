"""Real news labelled for the watch's subject (issue 20): the corpora, the pool, the labels.

Four public corpora, each fetched at a pinned commit into the git-ignored realdata cache
(``benchmarks/realdata``; set ``NEWSMON_REALDATA_CACHE=/work/cache/realdata`` to share it).
Only ids, labels and notes are committed (pool.jsonl, labels*.jsonl), never article text.

- ``dailymail-2020``: about 24,800 Daily Mail articles (Aug-Oct 2020) republished as
  Markdown posts by soumyadipdas37/finescoop.github.io (site code MIT; the articles remain
  the Daily Mail's). UK and US news: Channel crossings, Border Force seizures, Home Office.
- ``allsides``: ramybaly/Article-Bias-Prediction (Apache-2.0; Baly et al., EMNLP 2020),
  37,554 US articles crawled from AllSides (2012-2020), each with an AllSides topic
  (1,547 "immigration"). The articles remain their publishers'.
- ``fnc1``: FakeNewsChallenge/fnc-1 article bodies (train and competition test; no
  headlines of their own), varied 2016-17 news and rumours. No licence file in the
  repository; the bodies come from the Emergent dataset (Ferreira and Vlachos, 2016).
- ``ecbplus``: ECB+ texts in tommasoc80/EventStoryLine (annotations CC BY 3.0; texts
  remain the publishers'), stored as tokens and rejoined here; 43 topics of ordinary news.

The pool (pool.jsonl) is a fixed, ordered list of candidates drawn from these by
``make_pool`` (deterministic: hashes of ids, no random state). Each row says which
``sample`` it came from: ``stream`` (a random sample of an ordinary stream: the subject is
rare there), ``subject`` (immigration-heavy: AllSides "immigration" articles, Daily Mail
articles whose headline or lede use immigration words) or ``hard`` (hard negatives sharing
the subject's words: Border Force, Home Office, terror, backstop, raids, refugees). Samples
are interleaved, so any slice of the pool has the same mix: labellers take slices.

    python benchmarks/realdata/topic/fetch.py               # fetch, report the pool and labels
    python benchmarks/realdata/topic/fetch.py --make-pool   # rewrite pool.jsonl (same result each time)
    python benchmarks/realdata/topic/fetch.py --check       # label files against the pool (no corpora needed)
    python benchmarks/realdata/topic/fetch.py --export FILE # labelled records with text, for
                                                            # benchmarks/relevance.py (git-ignored path!)

    from benchmarks.realdata.topic.fetch import pool, labelled, split_of
    for record in labelled():   # {id, corpus, sample, split, label, note, title, text, published}
        ...
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
if not __package__:  # run as `python benchmarks/realdata/topic/fetch.py`: import from the checkout, as `-m` would
    sys.path[0] = str(HERE.parents[2])

from benchmarks.realdata import fetch_file, fetch_tree  # noqa: E402

POOL = HERE / "pool.jsonl"
LABELS = ("same_story", "related", "unrelated")


@dataclass(frozen=True)
class Corpus:
    name: str
    repo: str
    commit: str
    paths: tuple[str, ...]  # folders (fetch_tree) or files (fetch_file)
    licence: str


CORPORA = {
    "dailymail-2020": Corpus("dailymail-2020", "soumyadipdas37/finescoop.github.io",
                             "0346d6175a2c36d4054083c144b7f8364db73f2f", ("source/_posts",),
                             "site code MIT; article text (c) the Daily Mail"),
    "allsides": Corpus("allsides", "ramybaly/Article-Bias-Prediction",
                       "ced8111a720948e6a410e52031ace99c4e53f096", ("data/jsons",),
                       "Apache-2.0 (dataset); article text (c) its publishers"),
    "fnc1": Corpus("fnc1", "FakeNewsChallenge/fnc-1", "29d473af2d15278f0464d5e41e4cbe7eb58231f2",
                   ("train_bodies.csv", "competition_test_bodies.csv"),
                   "no licence file; bodies from the Emergent dataset, text (c) its publishers"),
    "ecbplus": Corpus("ecbplus", "tommasoc80/EventStoryLine", "46edefee5e82e0917b823abe0a18bf8c7770f15c",
                      ("ECB+_LREC2014/ECB+",), "annotations CC BY 3.0; text (c) its publishers"),
}


def split_of(article_id: str) -> str:
    """The fixed dev/test split of an article: half each, by a hash of its id."""
    digest = hashlib.sha1(f"newsmon-topic-split/{article_id}".encode()).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "test"


def _rank(article_id: str, salt: str) -> str:
    return hashlib.sha1(f"{salt}/{article_id}".encode()).hexdigest()


# --- reading each corpus: records {id, corpus, path, title, text, published, facet} ---------------

def _base(corpus: Corpus) -> Path:
    """The cached checkout of a corpus's repository (its folder fetched first if missing)."""
    folder = fetch_tree(corpus.repo, corpus.commit, corpus.paths[0])
    return folder.parents[len(Path(corpus.paths[0]).parts) - 1]


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def _dailymail(path: Path, rel: str) -> dict:
    raw = path.read_text(encoding="utf-8", errors="replace")
    match = _FRONT.match(raw)
    head, body = (match.group(1), raw[match.end():]) if match else ("", raw)
    field = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in head.splitlines()) if k}
    date = re.match(r"(\d{4})-(\d\d)-(\d\d)", field.get("date", ""))
    category = field.get("categories", "").strip("[] ").split(",")[-1].strip()
    return {"id": "dm2020:" + hashlib.sha1(Path(rel).name.encode()).hexdigest()[:12],
            "corpus": "dailymail-2020", "path": rel, "title": field.get("title", ""),
            "text": body.strip(), "published": "-".join(date.groups()) if date else None,
            "facet": category}


def _iso(date: str) -> str | None:
    match = re.match(r"(\d{4})-(\d\d)-(\d\d)", date or "")
    return "-".join(match.groups()) if match and "2000" <= match.group(1) <= "2030" else None


def _unmangle(text: str) -> str:
    """Undo UTF-8 read as cp1252 (once or twice over), run by run of non-ASCII characters:
    some AllSides texts carry quotes as 'Ã¢â‚¬â„¢'."""
    def fix(match):
        run = match.group(0)
        for _ in range(3):
            try:
                fixed = run.encode("cp1252").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                break
            run = fixed
        return run
    return re.sub(r"[^\x00-\x7f]+", fix, text)


def _allsides(path: Path, rel: str) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"id": "allsides:" + data["ID"], "corpus": "allsides", "path": rel,
            "title": _unmangle(data.get("title") or ""),
            "text": _unmangle((data.get("content_original") or "").strip()), "published": _iso(data.get("date")),
            "facet": data.get("topic") or ""}


_URL_LINE = re.compile(r"^https?\s*:")


def _detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return text.replace("`` ", '"').replace(" ''", '"')


def _ecbplus(path: Path, rel: str) -> dict:
    sentences: dict[int, list[str]] = {}
    for m in re.finditer(r'<token [^>]*sentence="(\d+)"[^>]*>(.*?)</token>', path.read_text(encoding="utf-8")):
        sentences.setdefault(int(m.group(1)), []).append(
            m.group(2).replace("&amp;", "&").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&lt;", "<").replace("&gt;", ">"))
    lines = [_detokenize(sentences[k]) for k in sorted(sentences)]
    title = ""
    if lines and _URL_LINE.match(lines[0]):  # ecbplus texts: URL, headline, date, then the body
        title = lines[1] if len(lines) > 1 else ""
        lines = lines[3:]
    name = Path(rel).name
    return {"id": "ecbplus:" + name.removesuffix(".xml"), "corpus": "ecbplus", "path": rel, "title": title,
            "text": "\n".join(lines), "published": None, "facet": rel.split("/")[-2]}


def _fnc1_rows(corpus: Corpus) -> Iterator[dict]:
    csv.field_size_limit(10_000_000)
    for rel in corpus.paths:
        part = "train" if rel.startswith("train") else "test"
        with open(fetch_file(corpus.repo, corpus.commit, rel), encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield {"id": f"fnc1:{part}:{row['Body ID']}", "corpus": "fnc1", "path": rel, "title": "",
                       "text": row["articleBody"].strip(), "published": None, "facet": ""}


def records(name: str) -> Iterator[dict]:
    """Every article of one corpus, read from the cache (fetched first if missing)."""
    corpus = CORPORA[name]
    if name == "fnc1":
        yield from _fnc1_rows(corpus)
        return
    base = _base(corpus)
    root = base / corpus.paths[0]
    reader = {"dailymail-2020": _dailymail, "allsides": _allsides, "ecbplus": _ecbplus}[name]
    pattern = {"dailymail-2020": "*.md", "allsides": "*.json", "ecbplus": "*/*.xml"}[name]
    for path in sorted(root.glob(pattern)):
        if name == "dailymail-2020" and re.search(r" \d+\.md$", path.name):
            continue  # the site's own duplicates ("title 2.md")
        yield reader(path, path.relative_to(base).as_posix())


def _path_of(article_id: str, corpus: Corpus, base: Path) -> Path:
    """Where an article's file is in the cache: ids carry no third-party text (no headline
    slugs), so a Daily Mail id is found again by hashing the file names."""
    native = article_id.split(":", 1)[1]
    if corpus.name == "allsides":
        return base / corpus.paths[0] / f"{native}.json"
    if corpus.name == "ecbplus":
        return base / corpus.paths[0] / native.split("_")[0] / f"{native}.xml"
    if corpus.name == "dailymail-2020":
        if not _DM_NAMES:
            _DM_NAMES.update({hashlib.sha1(p.name.encode()).hexdigest()[:12]: p
                              for p in (base / corpus.paths[0]).glob("*.md")})
        if native in _DM_NAMES:
            return _DM_NAMES[native]
    raise KeyError(f"{article_id}: not in {corpus.repo} at {corpus.commit[:10]}")


_DM_NAMES: dict[str, Path] = {}
_FNC1: dict[str, dict] = {}


def record(row: dict) -> dict:
    """One pool row's article (reads only its own file, except for fnc1's CSVs)."""
    corpus = CORPORA[row["corpus"]]
    if row["corpus"] == "fnc1":
        if not _FNC1:
            _FNC1.update({r["id"]: r for r in _fnc1_rows(corpus)})
        if row["id"] not in _FNC1:
            raise KeyError(f"{row['id']}: not in {corpus.repo} at {corpus.commit[:10]}")
        return _FNC1[row["id"]]
    base = _base(corpus)
    path = _path_of(row["id"], corpus, base)
    reader = {"dailymail-2020": _dailymail, "allsides": _allsides, "ecbplus": _ecbplus}[row["corpus"]]
    return reader(path, path.relative_to(base).as_posix())


# --- the pool ---------------------------------------------------------------------------------

# Daily Mail sections that make an ordinary news stream (not TV, sport or women's pages).
DM_NEWS = {"news", "latest", "politics", "world", "usa", "coronavirus", "business"}
SUBJECT_WORDS = re.compile(r"immigra|migrant|asylum|deport|refugee|border patrol|small boat|"
                           r"people.smuggl|visa\b|(?-i:\bICE\b)", re.I)
HARD_WORDS = re.compile(r"Border Force|Home Office|Home Secretary|backstop|Northern Ireland protocol|"
                        r"terror|\bID card|identity card|\braid|border", re.I)
# The Daily Mail's hard negatives, drawn per kind so that the commonest ("border") does not crowd out the rest.
DM_HARD = (
    (30, re.compile(r"Border Force|customs officers|smuggl", re.I)),
    (30, re.compile(r"Home Office|Home Secretary|Priti Patel", re.I)),
    (20, re.compile(r"backstop|Northern Ireland protocol|Irish border|Internal Market Bill", re.I)),
    (25, re.compile(r"terror", re.I)),
    (20, re.compile(r"police raid|raided|\bID card|identity card|passport", re.I)),
    (25, re.compile(r"border|refugee", re.I)),
)
ALLSIDES_HARD_TOPICS = {"terrorism", "homeland_security", "national_security", "great_britain", "europe",
                        "world", "race_and_racism", "justice", "middle_east", "foreign_policy"}

# (corpus, sample, how many, which articles qualify); drawn in this order, an article once.
PLAN = (
    ("dailymail-2020", "stream", 450, lambda r: r["facet"] in DM_NEWS),
    ("allsides", "stream", 250, lambda r: True),
    ("fnc1", "stream", 150, lambda r: True),
    ("ecbplus", "stream", 50, lambda r: True),
    ("allsides", "subject", 200, lambda r: r["facet"] == "immigration"),
    ("dailymail-2020", "subject", 150, lambda r: r["facet"] in DM_NEWS
     and bool(SUBJECT_WORDS.search(r["title"] + " " + r["text"][:1500]))),
    *(("dailymail-2020", "hard", n, lambda r, words=words: r["facet"] in DM_NEWS
       and bool(words.search(r["title"] + " " + r["text"]))) for n, words in DM_HARD),
    ("allsides", "hard", 100, lambda r: r["facet"] in ALLSIDES_HARD_TOPICS
     and bool(SUBJECT_WORDS.search(r["title"] + " " + r["text"]) or HARD_WORDS.search(r["title"]))),
)
# Round 2: UK news the first pool has too little of (the checks are a UK
# broadcaster's stream and UK coverage around the source's event). Daily Mail news
# articles not yet in the pool that are UK stories (UK_WORDS in the headline or opening),
# by kind: immigration enforcement (Channel crossings, asylum, deportation) and the hard
# negatives of a UK stream (Border Force or customs seizures, terror, passports and ID
# cards, other Home Office news). The corpus is nearly exhausted for these by round 1's
# samples: each kind takes what is left, up to its count.
UK_WORDS = re.compile(r"\b(UK|Britain|British|England|English|London|Kent|Dover|Calais|Channel|Home Office|"
                      r"Scotland|Wales|Heathrow|Gatwick|Manchester|Birmingham)\b")
UK_KINDS = (
    (60, re.compile(r"\bmigrants?\b|asylum|deport|illegal immigra|small boats?|people.smuggl|Channel crossing|"
                    r"immigration (offender|enforcement|officer|raid|detention)", re.I), False),
    (25, re.compile(r"Border Force|customs officers|National Crime Agency|smuggl", re.I), True),
    (30, re.compile(r"terror", re.I), True),
    (20, re.compile(r"passport|\bID cards?\b|identity card|digital ID", re.I), True),
    (30, re.compile(r"Home Office|Home Secretary|Priti Patel", re.I), True),
)


def _uk(words: re.Pattern, opening_only: bool):
    def qualifies(r: dict) -> bool:
        head = r["title"] + " " + r["text"][:1500]
        return (r["facet"] in DM_NEWS and bool(UK_WORDS.search(head))
                and bool(words.search(head if opening_only else r["title"] + " " + r["text"])))
    return qualifies


PLAN_UK = tuple(("dailymail-2020", "uk", n, _uk(words, opening)) for n, words, opening in UK_KINDS)
# Each stage is interleaved on its own and appended: the positions of earlier stages never move.
STAGES = (PLAN, PLAN_UK)
MIN_WORDS = 80  # shorter texts are captions or fragments, not articles


def make_pool() -> list[dict]:
    """The candidate articles in their fixed order (deterministic)."""
    taken: set[str] = set()
    seen_text: set[str] = set()
    by_corpus: dict[str, list[dict]] = {}
    rows: list[dict] = []
    for plan in STAGES:
        strata: list[list[dict]] = []
        for name, sample, count, qualifies in plan:
            if name not in by_corpus:
                by_corpus[name] = [r for r in records(name) if len(r["text"].split()) >= MIN_WORDS]
            chosen = []
            for r in sorted(by_corpus[name], key=lambda r: _rank(r["id"], f"pool/{name}/{sample}")):
                if len(chosen) == count:
                    break
                fingerprint = hashlib.sha1(" ".join(r["text"].lower().split()[:60]).encode()).hexdigest()
                if r["id"] in taken or fingerprint in seen_text or not qualifies(r):
                    continue
                taken.add(r["id"])
                seen_text.add(fingerprint)
                chosen.append({"id": r["id"], "corpus": name, "sample": sample, "split": split_of(r["id"])})
            strata.append(chosen)
        # Interleave: each stratum spread evenly along its stage, so every slice has the same mix.
        placed = [((i + 0.5) / len(s), k, row) for k, s in enumerate(strata) for i, row in enumerate(s)]
        rows += [row for _, _, row in sorted(placed, key=lambda t: (t[0], t[1]))]
    return [dict(pos=n, **row) for n, row in enumerate(rows)]


def pool() -> list[dict]:
    with open(POOL, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- labels -----------------------------------------------------------------------------------

def label_files(folder: Path = HERE) -> list[Path]:
    """labels.jsonl first (the first labeller), then labels-<name>.jsonl in name order."""
    main = [folder / "labels.jsonl"] if (folder / "labels.jsonl").exists() else []
    return main + sorted(folder.glob("labels-*.jsonl"))


def read_labels(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") not in LABELS or not row.get("id"):
                raise ValueError(f"{path.name}:{n}: needs an id and a label in {LABELS}")
            rows.append(row)
    return rows


def labels(folder: Path = HERE) -> tuple[dict[str, dict], list[tuple[str, dict, dict]]]:
    """Every label by id (the earlier file wins; a later line in one file corrects an earlier
    one) and the ids two files label differently."""
    merged: dict[str, dict] = {}
    conflicts = []
    for path in label_files(folder):
        own = {row["id"]: dict(row, labeller=path.stem) for row in read_labels(path)}
        for article_id, row in own.items():
            if article_id in merged:
                if merged[article_id]["label"] != row["label"]:
                    conflicts.append((article_id, merged[article_id], row))
                continue
            merged[article_id] = row
    return merged, conflicts


def check_labels(folder: Path = HERE) -> list[str]:
    """Problems in the label files: unknown ids, a corpus that disagrees with the pool,
    missing notes. (Ids two labellers label differently are not problems but the
    measure of agreement: ``agreement``.)"""
    rows = {row["id"]: row for row in pool()}
    problems = []
    for path in label_files(folder):
        try:
            entries = read_labels(path)
        except (ValueError, json.JSONDecodeError) as error:
            problems.append(f"{path.name}: {error}")
            continue
        for row in entries:
            where = f"{path.name}: {row['id']}"
            if row["id"] not in rows:
                problems.append(f"{where}: not in pool.jsonl")
            elif row.get("corpus") != rows[row["id"]]["corpus"]:
                problems.append(f"{where}: corpus {row.get('corpus')!r}, pool says {rows[row['id']]['corpus']!r}")
            if not str(row.get("note", "")).strip():
                problems.append(f"{where}: no note")
    return problems


def agreement(folder: Path = HERE) -> list[dict]:
    """How far each later label file agrees with labels.jsonl where both label an id
    (a second labeller relabelling a slice blind): counts, the share agreeing, Cohen's
    kappa on the watch's decision (on the subject or not), and the ids they split on."""
    files = label_files(folder)
    if not files or files[0].name != "labels.jsonl":
        return []
    first = {row["id"]: row for row in read_labels(files[0])}
    out = []
    for path in files[1:]:
        pairs = [(first[row["id"]], row) for row in {r["id"]: r for r in read_labels(path)}.values()
                 if row["id"] in first]
        if not pairs:
            continue
        a = [on_subject(x["label"]) for x, _ in pairs]
        b = [on_subject(y["label"]) for _, y in pairs]
        n = len(pairs)
        observed = sum(1 for x, y in zip(a, b) if x == y) / n
        chance = (sum(a) * sum(b) + (n - sum(a)) * (n - sum(b))) / (n * n)
        kappa = (observed - chance) / (1 - chance) if chance < 1 else 1.0
        out.append({"file": path.name, "n": n, "on_subject": [sum(a), sum(b)], "agree": round(observed, 3),
                    "kappa": round(kappa, 3),
                    "split_on": [{"id": x["id"], "labels": x["label"], path.stem: y["label"],
                                  "notes": [x.get("note", ""), y.get("note", "")]}
                                 for x, y in pairs if x["label"] != y["label"]]})
    return out


def on_subject(label: str) -> int:
    return int(label in ("same_story", "related"))


def labelled() -> Iterator[dict]:
    """Each labelled pool article with its text, label, sample and split."""
    by_id, _ = labels()
    for row in pool():
        if row["id"] in by_id:
            lab = by_id[row["id"]]
            yield {**record(row), "sample": row["sample"], "split": row["split"], "pos": row["pos"],
                   "label": lab["label"], "note": lab.get("note", ""), "labeller": lab["labeller"]}


def counts() -> dict:
    by_id, conflicts = labels()
    rows = [dict(r, label=by_id[r["id"]]["label"]) for r in pool() if r["id"] in by_id]
    table = Counter((r["corpus"], r["sample"], r["split"], r["label"]) for r in rows)
    return {"labelled": len(rows), "conflicts": len(conflicts),
            "by_label": dict(Counter(r["label"] for r in rows)),
            "by_split": {s: dict(Counter(r["label"] for r in rows if r["split"] == s)) for s in ("dev", "test")},
            "cells": {"/".join(k): v for k, v in sorted(table.items())}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--make-pool", action="store_true", help="rewrite pool.jsonl from the corpora")
    parser.add_argument("--export", metavar="FILE", help="write the labelled records with their text (JSONL)")
    parser.add_argument("--table", action="store_true", help="print the label counts as Markdown tables")
    parser.add_argument("--check", action="store_true",
                        help="check the label files against the pool (no corpora needed); exit 1 on a problem")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_labels()
        for line in problems:
            print(line)
        print(f"{len(problems)} problems in {', '.join(p.name for p in label_files())}")
        for pair in agreement():
            print(f"agreement of {pair['file']} with labels.jsonl: {pair['n']} articles labelled by both, "
                  f"on the subject {pair['on_subject'][0]} vs {pair['on_subject'][1]}, "
                  f"agree {pair['agree']}, Cohen's kappa {pair['kappa']}; split on "
                  + ("; ".join(f"{d['id']} ({' / '.join(d['notes'])})" for d in pair["split_on"]) or "none"))
        return 1 if problems else 0
    if args.make_pool:
        rows = make_pool()
        with open(POOL, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row) + "\n")
        print(f"pool: {len(rows)} articles; " + ", ".join(
            f"{c}/{s} {n}" for (c, s), n in sorted(Counter((r['corpus'], r['sample']) for r in rows).items())))
    if args.export:
        n = 0
        with open(args.export, "w", encoding="utf-8") as handle:
            for rec in labelled():
                handle.write(json.dumps(rec) + "\n")
                n += 1
        print(f"{n} labelled records written to {args.export}")
    if args.table:
        print(markdown_tables())
    summary = counts()
    print(json.dumps(summary))
    return 0


def markdown_tables() -> str:
    """Label counts by corpus/sample and split, and where the unlabelled part of the pool starts."""
    by_id, conflicts = labels()
    rows = pool()
    done = [dict(r, label=by_id[r["id"]]["label"]) for r in rows if r["id"] in by_id]
    keys = sorted({(r["corpus"], r["sample"]) for r in done})
    out = ["| corpus | sample | split | related | unrelated | same_story | total |", "|---|---|---|---|---|---|---|"]
    for corpus, sample in keys + [("all", "all")]:
        for split in ("dev", "test", "both"):
            cell = [r for r in done if (corpus == "all" or (r["corpus"], r["sample"]) == (corpus, sample))
                    and (split == "both" or r["split"] == split)]
            n = Counter(r["label"] for r in cell)
            out.append(f"| {corpus} | {sample} | {split} | {n['related']} | {n['unrelated']} | "
                       f"{n['same_story']} | {len(cell)} |")
    first_gap = next((r["pos"] for r in rows if r["id"] not in by_id), len(rows))
    out.append("")
    out.append(f"{len(done)} of {len(rows)} pool articles labelled; the first unlabelled position is "
               f"{first_gap}; {len(conflicts)} ids labelled differently by two files.")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
