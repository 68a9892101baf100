"""Real labelled pairs for the `same_story` decision: same event, or not.

Public corpora, each fetched at a pinned commit into the git-ignored cache
(``benchmarks/realdata``); nothing of them is committed. Each gives articles (id,
title, text, published or None, event, group; outlet where the corpus tells it: the
site two stories share, ``samestory.SAME_OUTLET_PENALTY``) and labelled pairs (a, b, same):

- ``ecbplus``: ECB+ (tommasoc80/EventStoryLine, ``ECB+_LREC2014/ECB+/``; annotations
  CC BY 3.0, texts remain their publishers'). 43 topics, each with two events of the
  same kind (two earthquakes, two arrests of two footballers...): the ``ecb`` documents
  of a topic report one event, its ``ecbplus`` documents the other. Same event = same
  topic and same half; the sibling half gives hard same-kind negatives. Texts are
  tokens, rejoined here. Only the ``ecbplus`` half carries a URL line, a headline and
  a dateline, so those are dropped (URL, dateline) or kept as plain text (headline),
  and no document gets a date or a title: otherwise "has a date" would tell the halves apart.
- ``fnc1``: FNC-1 competition test pairs (FakeNewsChallenge/fnc-1; headlines and
  bodies from the Emergent data set; the repository states no licence: used here for
  measurement only, nothing of it committed): a headline with a
  body of its own story (agree, disagree, discuss) or of another story (unrelated).
  The story side is the headline alone (title and text), as a brief.
- ``allsides``: AllSides headline roundups crawled by HLTCHKUST/framing-bias-metric
  (``data/raw_crawled/headline_11_2021-10-19_crawled_all.jsonl``; the repository is MIT,
  the roundups are AllSides' and the article openings their publishers': measurement only,
  nothing of them committed): 506 US news events of April-October 2021, each reported by up to three
  outlets of different leanings (title and the opening paragraphs). Same event = same
  roundup; every other roundup is another event, many on the same subject and weeks
  apart (the steps of a saga). Roundups of opinion columns (two or more tagged OPINION)
  gather views on a theme, not reports of an event, and are left out. Dates come from the
  article's own URL where it has one (``/2021/10/18/``, 37% of them), else from the
  roundup's date: measured on the URL-dated ones, a roundup is posted the day of the
  article (70%), a day later (23%) or 2-3 days later (6%). Same-roundup pairs are thus
  mostly 0-2 days apart, which the decision does not tell apart (``pipelines.samestory``
  counts only days beyond a news cycle).
- ``gva``: news reports of US gun incidents, 2013-2017, that the Gun Violence Archive links
  to each incident, saved from the Internet Archive with their publication day by
  cltl/LongTailQATask (``EventRegistries/GunViolenceArchive/the_violent_corpus``, the data
  behind SemEval-2018 task 5 and the Gun Violence Corpus; no licence stated: measurement
  only, nothing of it committed): 6,335 reports of 3,659 incidents, every one the same kind
  of event (a shooting), so other incidents are hard same-kind negatives, and dated ones.
  Same event = same incident and published within two days of each other; reports of one
  incident further apart (a charge, a trial, a sentencing weeks on: a later development, or
  the same story late) are left out, as pairs we cannot label without reading them. Each
  split takes whole incidents in a fixed hash order up to ``GVA_ARTICLES`` reports, of the
  reports newsmon would archive (``clean.MIN_WORDS`` words or more).
  The reports are pickled ``NewsItem`` objects: read by an unpickler that builds nothing
  else (a date aside), so a snapshot cannot run code here.

- ``dailymail``: one outlet's stream, pairs labelled by reading alone
  (``realdata/samestory_dailymail.py``: the Daily Mail's news of 2020, each article against
  its nearest neighbours); measured, no model trained on it (``READ_CORPORA``); its split is by
  article, and the archive's rarity comes from the split's whole stream (``background``).

Splits are by topic or event (``group``): a stable hash sends each whole group to
``dev`` or ``test``, so no event is on both sides; pairs are made inside one split.

    from benchmarks.samestory_data import load
    articles, pairs = load("ecbplus", "dev")
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import html
import io
import json
import pickle
import re
import sys
from itertools import combinations
from pathlib import Path

if not __package__:  # run as `python benchmarks/samestory_data.py`: import from the checkout, as `-m` would
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from benchmarks.realdata import fetch_file, fetch_tree  # noqa: E402
from pipelines.clean import MIN_WORDS  # noqa: E402
from pipelines.dates import visible_date  # noqa: E402
from pipelines.samestory import days_apart, site  # noqa: E402

ECB = ("tommasoc80/EventStoryLine", "46edefee5e82e0917b823abe0a18bf8c7770f15c", "ECB+_LREC2014/ECB+")
FNC = ("FakeNewsChallenge/fnc-1", "29d473af2d15278f0464d5e41e4cbe7eb58231f2")
ALLSIDES = ("HLTCHKUST/framing-bias-metric", "1586f55a9011853224ca4d0cee164c46f6137557",
            "data/raw_crawled/headline_11_2021-10-19_crawled_all.jsonl")
GVA = ("cltl/LongTailQATask", "1306bad62fb2750583548a1f5880abe086b3f1c4",
       "EventRegistries/GunViolenceArchive/the_violent_corpus")
GVA_ARTICLES = 700  # reports per split (every pair in a split is scored: about 245,000)
GVA_SAME_DAYS = 2  # reports of one incident this close are one story; further apart, left out
CORPORA = ("allsides", "ecbplus", "fnc1", "gva")
# Pairs labelled by reading alone (``realdata/samestory_dailymail.py``): measured, no model trained on them.
READ_CORPORA = ("dailymail",)
SPLITS = ("dev", "test")


def split_of(corpus: str, group: str) -> str:
    """``dev`` or ``test`` for a whole topic/event, fixed by a hash of its id (about half each)."""
    return "dev" if hashlib.sha1(f"{corpus}:{group}".encode()).digest()[0] % 2 == 0 else "test"


def load(corpus: str, split: str | None = None,
         corrected: bool = True) -> tuple[dict[str, dict], list[tuple[str, str, bool]]]:
    """Articles by id and labelled pairs (a, b, same_event) of one corpus, one split or both.
    ``corrected``: AllSides pairs we read again by DESIGN.md's definition take our label
    (``realdata/samestory_labels.tsv``; pairs we were unsure of are left out)."""
    if corpus == "dailymail":
        from benchmarks.realdata import samestory_dailymail

        return samestory_dailymail.load(split)
    articles, pairs = {"allsides": _allsides, "ecbplus": _ecbplus, "fnc1": _fnc1, "gva": _gva}[corpus]()
    if corrected and corpus == "allsides":
        from benchmarks.realdata.samestory_review import labels

        read = {pair: label for pair, (label, _note) in labels().items()}
        pairs = [(a, b, read.get((a, b), "same" if same else "not") == "same") for a, b, same in pairs
                 if read.get((a, b)) != "unsure"]
    if split is None:
        return articles, pairs
    keep = {k: a for k, a in articles.items() if split_of(corpus, a["group"]) == split}
    return keep, [(a, b, same) for a, b, same in pairs if a in keep and b in keep]


def background(corpus: str, split: str) -> dict[str, dict] | None:
    """The stream a watch's archive would hold beside the labelled pairs' articles, for the
    words' rarity: the Daily Mail's whole news stream of the split (about 4,700 articles, of
    which the pairs use about 800); None for the corpora whose split is the stream."""
    if corpus != "dailymail":
        return None
    from benchmarks.realdata import samestory_dailymail

    return {k: a for k, a in samestory_dailymail.articles().items() if a["split"] == split}


def _all_pairs(articles: dict[str, dict]) -> list[tuple[str, str, bool]]:
    """Every pair inside one split: the split is a stream, each article a possible source."""
    by_split: dict[str, list[str]] = {}
    for key, a in articles.items():
        by_split.setdefault(a["split"], []).append(key)
    return [(a, b, articles[a]["event"] == articles[b]["event"])
            for keys in by_split.values() for a, b in combinations(sorted(keys), 2)]


# --- ECB+ -----------------------------------------------------------------------------------------

_TOKEN = re.compile(r'<token t_id="\d+" sentence="(\d+)" number="\d+">([^<]*)</token>')


def detokenise(tokens: list[str]) -> str:
    """Tokens back to readable text: no space before closing punctuation or after opening."""
    text = " ".join(html.unescape(t) for t in tokens)
    text = re.sub(r" ([.,;:!?%)\]}]|'s|n't|'re|'ll|'ve|'d|'m)", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    text = re.sub(r"(?<=\w) - (?=\w)", "-", text)  # "anti - piracy"
    text = text.replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')
    return text


def _ecbplus():
    repo, commit, folder = ECB
    root = fetch_tree(repo, commit, folder)
    articles = {}
    for path in sorted(root.glob("*/*.xml")):
        topic = path.parent.name
        half = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        sentences: dict[int, list[str]] = {}
        for sentence, token in _TOKEN.findall(path.read_text(encoding="utf-8")):
            sentences.setdefault(int(sentence), []).append(token)
        lines = []
        for number in sorted(sentences):
            line = detokenise(sentences[number])
            if number < 4 and (line.startswith("http") or (len(line.split()) <= 14 and visible_date(line))):
                continue  # the URL and the dateline only the ecbplus half has
            lines.append(line)
        key = f"ecbplus:{path.stem}"
        articles[key] = {"id": key, "title": "", "text": "\n\n".join(lines), "published": None,
                         "event": f"{topic}/{half}", "group": topic, "split": split_of("ecbplus", topic)}
    return articles, _all_pairs(articles)


# --- FNC-1 ----------------------------------------------------------------------------------------

def _fnc1():
    repo, commit = FNC
    with open(fetch_file(repo, commit, "competition_test_bodies.csv"), encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with open(fetch_file(repo, commit, "competition_test_stances.csv"), encoding="utf-8", newline="") as handle:
        stances = list(csv.DictReader(handle))
    headline_ids: dict[str, str] = {}
    for row in stances:
        headline_ids.setdefault(row["Headline"], f"fnc1:h{len(headline_ids)}")
    # Stories: headlines and bodies linked by a related stance, as connected components.
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in stances:
        find(f"fnc1:b{row['Body ID']}")
        find(headline_ids[row["Headline"]])
        if row["Stance"] != "unrelated":
            parent[find(headline_ids[row["Headline"]])] = find(f"fnc1:b{row['Body ID']}")
    articles = {}
    for body_id, text in bodies.items():
        key = f"fnc1:b{body_id}"
        articles[key] = {"id": key, "title": "", "text": text, "published": None, "event": find(key)}
    for headline, key in headline_ids.items():
        articles[key] = {"id": key, "title": headline, "text": headline, "published": None, "event": find(key)}
    for a in articles.values():
        a["group"] = a["event"]
        a["split"] = split_of("fnc1", a["group"])
    # Source = the body (a full report), story = the headline: (a, b) is (source, story).
    pairs = [(f"fnc1:b{row['Body ID']}", headline_ids[row["Headline"]], row["Stance"] != "unrelated")
             for row in stances]
    return articles, pairs


# --- AllSides roundups ----------------------------------------------------------------------------

_URL_DATE = re.compile(r"/(20\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")


def url_date(url: str) -> str | None:
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    year, month, day = map(int, m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _allsides():
    repo, commit, path = ALLSIDES
    articles = {}
    with open(fetch_file(repo, commit, path), encoding="utf-8") as handle:
        for line in handle:
            roundup = json.loads(line)
            tags = [n.get("opinionTag") for n in (roundup.get("news") or {}).values()]
            if tags.count("OPINION") >= 2:
                continue  # a roundup of opinion columns on a theme (Memorial Day, July 4), not an event
            for side, news in sorted((roundup.get("news") or {}).items()):
                paragraphs = [p.strip() for p in news.get("newBody") or [] if p.strip()]
                if not paragraphs or not news.get("newsTitle"):
                    continue
                paragraphs[-1] = re.sub(r"\s*(?:\.\.\.|\u2026)$", "", paragraphs[-1])  # the crawl's cut mark
                key = f"allsides:{roundup['id']}:{side}"
                event = str(roundup["id"])
                articles[key] = {"id": key, "title": news["newsTitle"].strip(), "text": "\n\n".join(paragraphs),
                                 "published": url_date(news.get("newsLink")) or roundup["date"][:10], "event": event,
                                 "outlet": news.get("newsSource"), "subject": roundup.get("topic"),
                                 "group": event, "split": split_of("allsides", event)}
    return articles, _all_pairs(articles)


# --- Gun Violence Archive reports -----------------------------------------------------------------

class _NewsItem:
    """What a pickled ``classes.NewsItem`` holds (title, dct, uri, id, content)."""


class _ReportUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == ("classes", "NewsItem"):
            return _NewsItem
        if (module, name) == ("datetime", "date"):
            return datetime.date
        raise pickle.UnpicklingError(f"not a news report: {module}.{name}")


def page_address(uri: str | None) -> str | None:
    """A report's own address, where the Internet Archive's copy of it is given."""
    saved = re.match(r"(?:https?://)?web\.archive\.org/web/[^/]+/(.+)", uri or "")
    return saved.group(1) if saved else uri


def url_outlet(uri: str | None) -> str | None:
    """The site a report was published on (``samestory.site``: the original's, where the
    address is the Internet Archive's copy of it)."""
    uri = page_address(uri)
    return site(uri if not uri or "://" in uri else "http://" + uri)


def _gva():
    repo, commit, folder = GVA
    root = fetch_tree(repo, commit, folder)
    reports: dict[str, list[dict]] = {}
    for path in sorted(root.glob("*/*.json")):
        item = _ReportUnpickler(io.BytesIO(path.read_bytes())).load().__dict__
        reports.setdefault(item["id"], []).append({**item, "incident": path.parent.name})
    by_incident: dict[str, list[dict]] = {}
    for copies in reports.values():
        # one incident only; and a text newsmon would archive: the Internet Archive's copy of a
        # page is at times only its furniture ("You are the owner of this article."), refused
        if len({c["incident"] for c in copies}) == 1 and len((copies[0]["content"] or "").split()) >= MIN_WORDS:
            by_incident.setdefault(copies[0]["incident"], []).append(copies[0])
    articles = {}
    for split in SPLITS:
        taken = 0
        for incident in sorted(by_incident, key=lambda i: hashlib.sha1(f"gva/{i}".encode()).hexdigest()):
            if split_of("gva", incident) != split or taken >= GVA_ARTICLES:
                continue
            for item in by_incident[incident]:
                key = f"gva:{item['id']}"
                articles[key] = {"id": key, "title": (item["title"] or "").strip(), "text": item["content"].strip(),
                                 "published": item["dct"].isoformat() if item.get("dct") else None,
                                 "outlet": url_outlet(item.get("uri")),
                                 "event": incident, "group": incident, "split": split}
                taken += 1
    pairs = []
    for a, b, same in _all_pairs(articles):
        if same:
            apart = days_apart(articles[a]["published"], articles[b]["published"])
            if apart is None or apart > GVA_SAME_DAYS:
                continue  # one incident, days apart: a later development or the story late (unlabelled)
        pairs.append((a, b, same))
    return articles, pairs


if __name__ == "__main__":
    for name in CORPORA:
        for split in SPLITS:
            arts, prs = load(name, split)
            print(f"{name:9} {split:5} articles {len(arts):5} pairs {len(prs):7} same {sum(s for *_, s in prs):6}"
                  f" events {len({a['event'] for a in arts.values()})}"
                  f" dated {sum(1 for a in arts.values() if a['published'])}")
