"""Real duplicate news: which published articles are copies of one another.

Two public corpora of news text written by real outlets, fetched at pinned commits into
the git-ignored cache (nothing of their text is committed):

- FNC-1 (``FakeNewsChallenge/fnc-1``): about 2,600 article bodies gathered for the
  Emergent rumour study (2014-15) from many outlets. Many are the same agency or
  tabloid story republished: a new first paragraph, a dateline, photo captions,
  "Scroll down for video", house style (Isil/IS, U.S./US, metres/meters), trims and
  additions. Others are independent reports of one rumour, often quoting the same
  statement, letter or note at length. No headlines, outlets or dates. Licence: the
  challenge's data terms; the texts remain their publishers'.
- ECB+ (``tommasoc80/EventStoryLine``): about 980 news texts on 43 topics, each topic
  two events of one kind; the ECB+ half gives each text's URL (so its outlet). Among
  them are AP, AFP and Reuters stories carried by several sites, write-throughs of one
  agency story at several stages, a press release republished, and independent reports
  of one event. Stored as tokens (rejoined here; no paragraph breaks, one sentence a
  line). Annotations CC BY 3.0; the texts remain their publishers'.

``copies_labels.tsv`` (beside this file) holds our labels for pairs of these texts:
``copy`` (the shorter text's own narrative is mostly the other's text, republished
whole or in part, with or without edits, new openings, captions and other additions),
``not`` (independent reports, rewrites in other words, articles that share only quoted
statements or a document they both quote) and ``unsure`` (left out of every figure, and
so is the text against every member of the other's copy group).
How each label was reached is in its last column: ``read`` (we read the pair) or a
rule stated there, checked on a sample we read. A pair not in the file is not a copy.
Texts under 120 words are left out (the crawl drops them as non-articles).

- AllSides (``ramybaly/Article-Bias-Prediction``, Apache-2.0 as a dataset; Baly et al.,
  EMNLP 2020): 37,554 US articles of 2012-2020 from about 70 outlets, each with its outlet,
  URL, date and headline. Among them are agency stories (AP, Reuters, Bloomberg) carried
  by other sites under their own headlines, blog posts that open with a line of their own
  and reproduce another outlet's article, and independent reports of one event quoting the
  same people word for word. Its texts are as the crawl stored them: some carry another
  page's furniture (the same unrelated teasers pasted round several articles of one site).
  The set is the articles of ``copies_allsides_ids.txt`` (a page stored twice is read
  once): every article in a pair of two outlets sharing long runs of words, or in a pair of
  one site's pages a few days apart sharing more (``allsides_candidates``), the copies and
  versions and their hard negatives. The texts remain their publishers'.

- GVA (``cltl/LongTailQATask``, the Gun Violence Corpus behind SemEval-2018 task 5; no
  licence stated: measurement only): 6,335 reports of US shootings of 2013-2017 from
  hundreds of local sites, saved from the Internet Archive and stored as a crawl stores
  them, the page's furniture in the text ("A friend wanted you to see this item", comment
  and sharing boxes, another story's teasers). Among them AP stories carried by stations,
  one station group's story on each of its stations' sites (same text, the site's name in
  the headline), a newspaper's story on its TV partner's site, one site's story updated at
  a new address, and pages of one network (CBS's local sites) sharing only their furniture.
  The set is the reports of ``copies_gva_ids.txt``, chosen by ``gva_candidates`` (the rule
  of ``allsides_candidates``). The texts remain their publishers'.

- NYT versions (``jgbotello/ArchiveDiff-LLM``, MIT for the repository; Botello et al.,
  JCDL 2025): every capture the Internet Archive holds of 14 New York Times articles of
  2012-2013 (6 to 352 captures each), with the article's text and headline as that study
  extracted them. The distinct texts of one address are its versions as readers met them:
  a breaking brief replaced by a write-through, paragraphs added, a fuller text captured
  after the site's redesign. Real version histories, which the other corpora hold few of.
  One address later held another story (read: a round-up of the week in Afghanistan); that
  text is its own group. The texts remain the publisher's.

Each text belongs to a story (ECB+: its topic; FNC-1, AllSides and GVA: the texts linked by
any labelled pair) and each story to the dev or the test split, fixed by a hash of its name.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from benchmarks.realdata import fetch_file, fetch_tree

FNC1 = ("FakeNewsChallenge/fnc-1", "29d473af2d15278f0464d5e41e4cbe7eb58231f2")
ECBPLUS = ("tommasoc80/EventStoryLine", "46edefee5e82e0917b823abe0a18bf8c7770f15c")
ALLSIDES = ("ramybaly/Article-Bias-Prediction", "ced8111a720948e6a410e52031ace99c4e53f096", "data/jsons")
LABELS = Path(__file__).with_name("copies_labels.tsv")
ALLSIDES_IDS = Path(__file__).with_name("copies_allsides_ids.txt")
GVA_IDS = Path(__file__).with_name("copies_gva_ids.txt")
NYT = ("jgbotello/ArchiveDiff-LLM", "da6e96ef0d6ac2b47be31e6d7e92531cdcfa163d", "dataset")
# Read: the address's later text is another story (the week's news from Afghanistan), not a version.
NYT_OTHER_STORY = {"insurgents-strike-checkpoint~v2"}
MIN_WORDS = 120
CORPORA = ("fnc1", "ecbplus", "allsides", "gva", "nyt")
DERIVED_FROM = ("fnc1", "ecbplus")  # the texts copies_derived makes copies and versions of (as before AllSides)


def split_of(story: str) -> str:
    """dev or test, fixed for a story whatever else changes."""
    return "dev" if int(hashlib.sha1(story.encode()).hexdigest(), 16) % 2 == 0 else "test"


def _host(url: str | None) -> str:
    """A text's outlet as its address gives it: the host without "www." or a port ("" for none)."""
    return re.sub(r"^www\d?\.|:\d+$", "", re.sub(r"^https?://([^/]+).*", r"\1", url or ""))


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


@lru_cache(maxsize=1)
def fnc1_bodies() -> dict[str, str]:
    """Body id ("train12", "compe345": the file it came from and its id) -> text."""
    bodies = {}
    for name, prefix in (("train_bodies.csv", "train"), ("competition_test_bodies.csv", "compe")):
        with open(fetch_file(*FNC1, name), encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                bodies[prefix + row["Body ID"]] = row["articleBody"]
    return bodies


_GLUE = [(re.compile(r" ([,.;:!?%)\]])"), r"\1"), (re.compile(r"([(\[$]) "), r"\1"),
         (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"), (re.compile(r"`` ?| ?''"), '"')]


def _rejoin(tokens: list[str]) -> str:
    text = " ".join(tokens)
    for pattern, repl in _GLUE:
        text = pattern.sub(repl, text)
    return text


@lru_cache(maxsize=1)
def ecbplus_docs() -> dict[str, dict]:
    """Document name ("12_4ecbplus") -> {topic, url, title, text}. ECB+ documents open with
    their URL and headline; the older ECB documents with a headline only."""
    root = fetch_tree(*ECBPLUS, "ECB+_LREC2014/ECB+")
    docs = {}
    for path in sorted(root.glob("*/*.xml")):
        sentences: OrderedDict[int, list[str]] = OrderedDict()
        for token in ET.parse(path).getroot().iter("token"):
            sentences.setdefault(int(token.get("sentence")), []).append(token.text or "")
        lines = [_rejoin(tokens) for tokens in sentences.values()]
        url = None
        if path.stem.endswith("plus") and lines and lines[0].replace(" ", "").startswith("http"):
            url = lines.pop(0).replace(" ", "")
        # An ECB document's first line is its headline when it does not end as a sentence does.
        title = lines.pop(0) if lines and (url or not re.search(r"[.!?\"']$", lines[0])) else ""
        docs[path.stem] = {"topic": path.parent.name, "url": url, "title": title, "text": "\n".join(lines)}
    return docs


def _allsides_doc(data: dict) -> dict:
    from benchmarks.realdata.topic.fetch import _unmangle  # quotes stored as mojibake, undone

    return {"topic": None, "url": data.get("url") or None, "title": _unmangle(data.get("title") or ""),
            "text": _unmangle((data.get("content_original") or "").strip()), "source": data.get("source") or ""}


@lru_cache(maxsize=1)
def allsides_docs() -> dict[str, dict]:
    """AllSides article id -> {topic, url, title, text, source} for the ids of the set (each
    read from its own file: the corpus is 37,554 files); a page stored twice is read once."""
    ids = [line.strip() for line in ALLSIDES_IDS.read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
    docs, seen = {}, set()
    for key in ids:
        path = fetch_file(ALLSIDES[0], ALLSIDES[1], f"{ALLSIDES[2]}/{key}.json")
        doc = _allsides_doc(json.loads(path.read_text(encoding="utf-8")))
        if doc["url"] and doc["url"] in seen:
            continue  # one page stored twice (under two outlet names): one address, one story
        seen.add(doc["url"])
        docs[key] = doc
    return docs


def _sharing(docs: dict[str, dict], min_runs: int):
    """(a, b, share) for every pair of texts sharing ``min_runs`` 8-word runs or more (a run
    of more than 30 texts is a stock phrase and left out); share: of the shorter's runs."""
    from collections import Counter, defaultdict

    runs, users = {}, defaultdict(list)
    for key, doc in docs.items():
        words = re.findall(r"[a-z0-9]+", doc["text"].lower())
        runs[key] = {" ".join(words[i:i + 8]) for i in range(max(1, len(words) - 7))}
        for run in runs[key]:
            users[run].append(key)
    shared = Counter()
    for keys in users.values():
        if 1 < len(keys) <= 30:
            for i, a in enumerate(keys):
                for b in keys[i + 1:]:
                    shared[(a, b) if a < b else (b, a)] += 1
    for (a, b), count in shared.items():
        if count >= min_runs:
            yield a, b, len(runs[a] & runs[b]) / min(len(runs[a]), len(runs[b]))


def _candidates(docs: dict[str, dict], min_runs: int, min_share: float, same_site_share: float,
                same_site_days: int) -> list[str]:
    """The ids of every text (docs: id -> {text, source, url, day}) in a pair sharing
    ``min_runs`` 8-word runs or more that is either of two outlets sharing ``min_share`` of
    the shorter's runs, or of one site at two addresses at most ``same_site_days`` apart (or
    undated) sharing ``same_site_share``."""
    chosen = set()
    for a, b, share in _sharing(docs, min_runs):
        da, db = docs[a], docs[b]
        if da["source"] != db["source"] and share >= min_share:
            chosen.update((a, b))
        elif _host(da["url"]) and _host(da["url"]) == _host(db["url"]) and da["url"] != db["url"] \
                and share >= same_site_share \
                and (not da["day"] or not db["day"] or abs((da["day"] - db["day"]).days) <= same_site_days):
            chosen.update((a, b))
    return sorted(chosen)


def allsides_candidates(min_runs: int = 10, min_share: float = 0.15, same_site_share: float = 0.25,
                        same_site_days: int = 3) -> list[str]:
    """How ``copies_allsides_ids.txt`` was made (about a minute; it reads the whole corpus):
    the ids of every article of 120 words or more in a pair that shares ``min_runs`` or
    more 8-word runs (runs used by more than 30 articles are left out: stock phrases) and
    either is of two outlets sharing ``min_share`` or more of the shorter text's runs (a
    copy, or a hard negative), or is of one site at two addresses, published at most
    ``same_site_days`` apart (or undated), sharing ``same_site_share`` or more (a version of
    one article, or two stories sharing background or furniture)."""
    from datetime import date

    root = fetch_tree(*ALLSIDES)
    docs = {}
    for path in sorted(root.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        doc = _allsides_doc(data)
        if _words(doc["text"]) >= MIN_WORDS:
            try:
                doc["day"] = date.fromisoformat((data.get("date") or "")[:10])
            except ValueError:
                doc["day"] = None
            docs[data["ID"]] = doc
    return _candidates(docs, min_runs, min_share, same_site_share, same_site_days)


@lru_cache(maxsize=1)
def _gva_reports() -> dict[str, dict]:
    """Every report of the Gun Violence Corpus of 120 words or more: id -> {topic, url (the
    page's own, not the Internet Archive's), title, text, source, day}; a report filed under
    several incidents is read once, and so is a page saved under two ids."""
    import io

    # (the snapshot of the same-story GVA set; an unpickler that builds nothing but a report and its date)
    from benchmarks.samestory_data import GVA, _ReportUnpickler, page_address

    root = fetch_tree(*GVA)
    reports, seen = {}, set()
    for path in sorted(root.glob("*/*.json")):
        item = _ReportUnpickler(io.BytesIO(path.read_bytes())).load().__dict__
        url = page_address(item.get("uri")) or None
        if item["id"] in reports or url in seen or _words(item.get("content") or "") < MIN_WORDS:
            continue
        seen.add(url)
        reports[item["id"]] = {"topic": None, "url": url, "title": (item.get("title") or "").strip(),
                               "text": (item.get("content") or "").strip(), "source": _host(url),
                               "day": item.get("dct")}
    return reports


def gva_docs() -> dict[str, dict]:
    """The reports of ``copies_gva_ids.txt``: id -> {topic, url, title, text, source, day}."""
    ids = [line.strip() for line in GVA_IDS.read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
    reports = _gva_reports()
    return {key: reports[key] for key in ids if key in reports}


def gva_candidates(min_runs: int = 10, min_share: float = 0.15, same_site_share: float = 0.25,
                   same_site_days: int = 3) -> list[str]:
    """How ``copies_gva_ids.txt`` was made (a few seconds), by the rule of
    ``allsides_candidates`` (a report's outlet is its site)."""
    return _candidates(_gva_reports(), min_runs, min_share, same_site_share, same_site_days)


def nyt_versions(at_own_address: bool = False) -> list[dict]:
    """The NYT set's records: one per distinct text of an article's captures, in the order
    captured. Each is at its capture's Internet Archive address (a text matched by its words
    alone, as copies of a story found elsewhere are), or with ``at_own_address`` at the
    article's own (as a crawl that fetches the page again meets an update)."""
    out = []
    for path in sorted(fetch_tree(*NYT).glob("*_all_versions.json")):
        article = path.name.removesuffix("_all_versions.json")
        story = f"nyt:{article}"
        seen: set[str] = set()
        captures = sorted(json.loads(path.read_text(encoding="utf-8")), key=lambda c: c["metadata"]["warc-date"])
        for capture in captures:
            text = (capture["article"].get("text") or "").strip()
            spaced = " ".join(text.split())  # (a capture differing only in its spaces is the same text)
            if spaced in seen or _words(text) < MIN_WORDS:
                continue
            seen.add(spaced)
            key = f"{article}~v{len(seen)}"
            archived = capture["metadata"]["warc-target-uri"]
            out.append({"id": f"nyt:{key}", "outlet": "nytimes.com",
                        "url": re.sub(r"^https?://web\.archive\.org/web/\d+/", "", archived) if at_own_address
                        else archived,
                        "title": (capture["article"].get("title") or "").strip(), "text": text,
                        "group": f"nyt:{key}" if key in NYT_OTHER_STORY else story, "story": story,
                        "split": split_of(story), "paired": True, "kind": "real",
                        "captured": capture["metadata"]["warc-date"]})
    return out


def labels(corpus: str | None = None) -> list[tuple[str, str, str, str, str]]:
    """(corpus, a, b, label, how) rows of ``copies_labels.tsv``."""
    with LABELS.open(encoding="utf-8") as handle:
        rows = [tuple(line.rstrip("\n").split("\t")) for line in handle
                if line.strip() and not line.startswith("#")]
    return [r for r in rows if corpus is None or r[0] == corpus]


class _Groups:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def records(corpus: str) -> tuple[list[dict], set[frozenset]]:
    """(records, unsure pairs) for one corpus: every text of 120 words or more, with its
    truth ``group`` (texts joined by copy labels, transitively: a copy of a copy is one
    group with the original), ``story`` and ``split``. Records carry id, outlet, url,
    title, text, group, story, split, paired (in any labelled pair), kind ("real")."""
    if corpus == "fnc1":
        raw = {k: {"text": v, "title": "", "url": None, "outlet": None, "topic": None}
               for k, v in fnc1_bodies().items()}
    elif corpus == "ecbplus":
        raw = dict(ecbplus_docs())
    elif corpus == "allsides":
        raw = dict(allsides_docs())
    elif corpus == "gva":
        raw = dict(gva_docs())
    elif corpus == "nyt":
        return nyt_versions(), set()
    else:
        raise ValueError(f"unknown corpus {corpus!r}: one of {', '.join(CORPORA)}")
    raw = {k: v for k, v in raw.items() if _words(v["text"]) >= MIN_WORDS}
    groups, stories = _Groups(), _Groups()
    unsure, paired = set(), set()
    for _corpus, a, b, label, _how in labels(corpus):
        if a not in raw or b not in raw:
            continue
        stories.join(a, b)
        paired.update((a, b))
        if label == "copy":
            groups.join(a, b)
        elif label == "unsure":
            unsure.add(frozenset((a, b)))
    out = []
    for key, doc in raw.items():
        story = f"{corpus}:topic{doc['topic']}" if doc.get("topic") else f"{corpus}:{stories.find(key)}"
        outlet = _host(doc["url"]) if doc.get("url") else f"{corpus}-{key}"
        out.append({"id": f"{corpus}:{key}", "outlet": outlet,
                    "url": doc.get("url") or f"https://{corpus}-{key}.example/article/{key}",
                    "title": doc.get("title") or "", "text": doc["text"],
                    "group": f"{corpus}:{groups.find(key)}", "story": story, "split": split_of(story),
                    "paired": key in paired, "kind": "real"})
    # "Unsure" is about a text's membership of a group: a text we could not place against
    # one member is left out against every member.
    members: dict[str, list[str]] = {}
    for key in raw:
        members.setdefault(groups.find(key), []).append(key)
    spread = set()
    for pair in unsure:
        a, b = tuple(pair)
        if groups.find(a) != groups.find(b):
            spread.update(frozenset((a, x)) for x in members[groups.find(b)])
            spread.update(frozenset((b, x)) for x in members[groups.find(a)])
    unsure = {frozenset(f"{corpus}:{k}" for k in pair) for pair in spread}
    return out, unsure
