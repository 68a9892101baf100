"""Same story: does a story report the source's event? Evidence of the event, weighed by a model.

Shared topic words say two texts are on one subject; the same event shows in what both
say happened, to whom, where and when:

- head: the headlines (a text without one: its first sentence) in telling words (TF-IDF
  cosine, IDF from wordfreq's frequencies of English);
- lede and body: the opening words and the whole text, likewise;
- names: the proper nouns both use (people, organisations, places), rare ones weighing more,
  and names in one headline that the other text never uses (another person, another place);
- figures: the same numbers (counts that disagree and years named were measured too: tree
  importance 0.002 and 0, not worth their cost per page);
- time: days between the two publications (a breaking event is reported within days;
  a saga's later step weeks on is another story); a missing date is no evidence either way,
  but then the text alone must tell one event from a saga's steps weeks apart, and other
  trees decide, learnt from pairs of any distance apart with their dates hidden
  (``samestory_model_undated.json``, ``samestory_model_plain_undated.json``);
- weekdays named: a report names the day its event happened ("on Tuesday"); two texts that
  both name weekdays and share none tell of two days' events, two whose openings name the
  same weekday of one day's (a set amount each way, ``WEEKDAYS_APART``,
  ``LEDE_WEEKDAY_SHARED``): without dates the only time the texts give;
- outlet: two stories of one site share its house style, its recurring background
  paragraphs and its beat, which two outlets' reports share only when they report one
  event: such a pair must show more (``SAME_OUTLET_PENALTY``, set, not learnt), and more
  still for each day past the news cycle (``SAME_OUTLET_TIME``): one outlet's new report
  days on is its next development; and its two reports of one event open alike
  (``SAME_OUTLET_OPENING``), where a saga's steps share only its background, and in more
  than its names (``SAME_OUTLET_NAMES_ONLY``);
- the archive's own rarity: headline, lede and body again, each word weighed by how few of
  the archive's stories use it (``Rarity``). A watch's archive holds its beat, so the beat's
  own words ("immigration", "Home Office"; "Biden", "Senate") weigh little there and what
  only this event's coverage says weighs much; English-wide frequencies cannot tell those
  apart (wordfreq's stand in as a prior worth ``PRIOR_STORIES`` stories). Below
  ``MIN_ARCHIVE_STORIES`` archived stories these are left out and a model trained without
  them decides (on dev pairs, smaller archives did worse than it);
- how far the pair stands above its texts' usual neighbours in the archive
  (``Neighbourhood``): in a beat whose every story shares its words, a body cosine that is
  telling in a quiet archive is ordinary. Read by the undated trees only: without dates,
  the text must tell an event's reports from the beat's other stories.

Gradient-boosted trees weigh the evidence of the text (``samestory_model.json``, and
``samestory_model_plain.json`` without the archive's rarity: the trees as plain lists, the
data they were learnt from and how; trained by
``benchmarks/train_samestory.py`` on real labelled pairs), so no learning library is needed
at run time; days apart are a set penalty (``time_penalty``). ``score`` gives the
probability and the evidence that made it, which the comparison keeps for ``newsmon compare``.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sqlite3
import threading
from datetime import date
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from pipelines.dedup import normalise_url
from pipelines.text import STOPWORDS, blind_sub, lemma, sentences, specificity, words

LEDE_WORDS = 60  # the opening of a text: where a report says what happened
HEAD_WORDS = 40  # a "first sentence" longer than this is cut (texts without full stops)
NAME_COMMON = 5.5  # a capitalised word this common in English (Zipf) opening a sentence is no name
SHARED_CAP = 3  # shared figures beyond this add nothing
MAX_DAYS = 365
# Log-odds taken off a pair of stories from one site (both addresses known). Chosen on the
# dev splits of the pairs that give sites (benchmarks/samestory.py: one outlet's stream read
# pair by pair, GVA, AllSides); see docs/how-it-works.md, "One outlet's stream".
SAME_OUTLET_PENALTY = 2.0
# ... and past the news cycle each day apart counts this many times. Another outlet may take
# up an event days later; an outlet's own new report days on is its next development (an
# update of its report is a revision, at the same address). On the dev pairs that give sites
# (the stream, GVA, AllSides) no same-event pair of one site is more than 2 days apart, and
# 19 of the stream's 94 wrong matches are 3 to 7 days apart. Not a bar: the evidence of an
# outlet's analysis of its own story a few days on can still outweigh it.
SAME_OUTLET_TIME = 3.0
# ... and unless their openings agree this far (the archive's TF-IDF cosine of headline and
# first words; without the archive, wordfreq's), the log-odds are taken off again. One
# site's stories of a saga share its background paragraphs, so their whole texts agree
# whatever the event; its two reports of one event also open alike, on what happened. Dev
# pairs of one site within the news cycle, same event: the stream's openings 0.25 at the
# median and 0.15 at the tenth percentile, GVA's 0.36 and 0.18; the stream's wrong matches
# 0.13 at the median. An opinion or analysis piece opens on its argument, not on the event,
# and is spared (``is_opinion``).
SAME_OUTLET_OPENING = 0.15
SAME_OUTLET_OPENING_PENALTY = 3.0
# ... and unless their openings share words other than names this far (the same cosine, the
# names either text uses left out), the log-odds are taken off once more. A saga's steps
# open on its people and places and on what is new each time ("Portland Police arrest Proud
# Boys member"; "Portland sheriff rejects Trump's claim"): the same names, another happening. On the
# stream's dev pairs of one site that the rules above leave called the same story, the
# openings' words beside the names part same-event pairs from the others better than the
# whole openings do (ROC AUC 0.81 against 0.65); below 0.05 lay 12 wrong matches and 2 same-event
# pairs of the stream (held above the bar by their other evidence), none of GVA's
# (docs/how-it-works.md, "Openings beyond names").
SAME_OUTLET_NAMES_ONLY = 0.05
SAME_OUTLET_NAMES_ONLY_PENALTY = 2.0
# Weekdays a text names ("on Tuesday"): a report names the day its event happened, so two
# texts that both name weekdays and share none tell of two days' events, and two whose
# openings name the same weekday tell of one day's. Without dates this is the only time the
# texts give; with them it still parts events a day or two apart. Log-odds off and on, set,
# not learnt (the trees are unchanged), chosen on the dev splits of every corpus
# (benchmarks/samestory.py; docs/how-it-works.md, "Weekdays named"): among the pairs the
# trees do not rule out (dev), weekdays apart in 3-8% of same-event pairs against 22-57% of
# the others, openings sharing a weekday in 24-67% against 2-20%.
WEEKDAYS_APART = 1.0
LEDE_WEEKDAY_SHARED = 1.0
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
# Names that hold a weekday but say no day: papers, holidays, shows.
_NOT_A_DAY = re.compile(
    r"\b(?:Mail on Sunday|Sunday (?:Times|Telegraph|Express|Mirror|People|Post|Herald|Mail|Independent|World|"
    r"School|Service)|(?:Good|Black|Casual|Freaky) Friday|Super Tuesday|Ash Wednesday|(?:Cyber|Blue) Monday|"
    r"Maundy Thursday|(?:Holy|Small Business) Saturday|(?:Easter|Palm|Bloody|Super Bowl|Remembrance|Mothering) "
    r"Sunday|(?:Monday|Thursday|Sunday) Night Football|Saturday Night Live)\b", re.I)
# Where a page says it is comment, not report: its section or a segment of its address.
_OPINION = re.compile(r"^(?:opinions?|comment|commentisfree|commentary|columns?|columnists?|editorials?|"
                      r"op-?eds?|analysis|news-analysis)$", re.I)

_CAPITALISED = re.compile(r"\b(?:[A-Z][a-z'\u2019]+(?:-[A-Z][a-z]+)*|[A-Z]{2,}[a-z]?)\b")
_FIGURE = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?")


def evidence_profile(text: str, title: str = "") -> dict:
    """What ``score`` reads besides a profile's terms: head, lede, names, figures and the
    weekdays named."""
    opening = next((line for line in (text or "").splitlines() if line.strip()), "")
    first = next(iter(sentences(opening)), "")  # the first paragraph's first sentence
    head = title or " ".join(first.split()[:HEAD_WORDS])
    lede = " ".join((text or "").split()[:LEDE_WORDS])
    names = proper_nouns(f"{title}\n{text}")
    return {"head_terms": _weights(head), "lede_terms": _weights(f"{title}\n{lede}"), "names": names,
            "head_names": sorted(n for n in proper_nouns(head) if n in names), "figures": figures(text),
            "weekdays": weekdays(f"{title}\n{text}"), "lede_weekdays": weekdays(f"{title}\n{lede}")}


def weekdays(text: str) -> list[str]:
    """The weekdays a text names as days ("on Tuesday", "Mondays"; not "The Mail on Sunday")."""
    text = text or ""
    if not _WEEKDAY.search(text):
        return []  # (taking the papers' and holidays' names out makes no weekday)
    return sorted(set(_WEEKDAY.findall(blind_sub(_NOT_A_DAY, " ", text))))


def _weights(text: str) -> dict[str, float]:
    counts: dict[str, int] = {}
    for w in words(text):
        if len(w) > 2 and w not in STOPWORDS and not w.isdigit():
            t = lemma(w)
            counts[t] = counts.get(t, 0) + 1
    return {t: round((1 + math.log(c)) * specificity(t), 3) for t, c in counts.items()}


def proper_nouns(text: str) -> dict[str, float]:
    """Capitalised words that name someone or somewhere, lower-cased, with their rarity.
    A common word that only opens a sentence ("Police", "The") is not taken as a name."""
    found: dict[str, float] = {}
    for sentence in sentences(text):
        for m in _CAPITALISED.finditer(sentence):
            word = m.group(0).lower().replace("\u2019", "'").removesuffix("'s")
            if word in STOPWORDS or len(word) < 2:
                continue
            weight = specificity(word)
            if m.start() == 0 and weight < 7.0 - NAME_COMMON:
                continue
            found[word] = round(weight, 3)
    return found


def figures(text: str) -> list[str]:
    """Numbers a report states (10 and over, years left out): "68", "1,500", "5.6"."""
    out = set()
    for m in _FIGURE.finditer(text or ""):
        raw = m.group(0).replace(",", "")
        value = float(raw)
        if value < 10 or (1900 <= value <= 2100 and "." not in raw):
            continue
        out.add(raw)
    return sorted(out)


# --- features -------------------------------------------------------------------------------------

PLAIN_FEATURES = ("head", "lede", "body", "cover", "inside", "names", "names_j", "head_names_missing",
                  "figures", "short")
ARCHIVE_FEATURES = ("head_archive", "lede_archive", "body_archive")  # with the archive's rarity
FEATURES = PLAIN_FEATURES + ARCHIVE_FEATURES  # what the trees read; days apart enter as a fixed penalty (``time_penalty``)
# How far a pair stands above its texts' usual neighbours in the archive (``Neighbourhood``):
# read by the archive's undated trees only (with dates, time tells a saga's steps apart).
STANDOUT_FEATURES = ("standout",)
UNDATED_FEATURES = FEATURES + STANDOUT_FEATURES
NO_EVIDENCE = {"days": -1.0}  # a feature's value when there is nothing to go by (else 0)
TOP_TERMS = 20


def features(story: dict, source: dict, rarity: "Rarity | None" = None,
             standout: bool | None = None) -> dict[str, float]:
    """The evidence of one pair of profiles. Profiles stored before the evidence fields
    existed count them as empty. ``days``: days apart, -1 when either date is unknown.
    ``rarity``: the archive's (``Rarity``); with fewer than ``MIN_ARCHIVE_STORIES`` stories
    (or none) the ``ARCHIVE_FEATURES`` are left out and the plain model decides.
    ``standout``: whether to measure the ``STANDOUT_FEATURES`` against the archive's
    neighbourhood (when it has one); by default only for a pair the undated trees decide,
    the only ones that read them (training measures them for every pair)."""
    apart = days_apart(story.get("published"), source.get("published"))
    story_names, source_names = story.get("names") or {}, source.get("names") or {}
    story_terms, source_terms = story.get("all_terms") or {}, source.get("all_terms") or {}
    days_a, days_b = set(story.get("weekdays") or ()), set(source.get("weekdays") or ())
    values = {
        "head": cosine(story.get("head_terms") or {}, source.get("head_terms") or {}),
        "lede": cosine(story.get("lede_terms") or {}, source.get("lede_terms") or {}),
        "body": cosine(story_terms, source_terms),
        "cover": share(top(source_terms), story_terms),
        "inside": share(top(story_terms), source_terms),
        "names": overlap(story_names, source_names),
        "names_j": jaccard(story_names, source_names),
        "head_names_missing": max(missing(story.get("head_names") or (), story_names, source_names),
                                  missing(source.get("head_names") or (), source_names, story_names)),
        "figures": min(len(set(story.get("figures") or ()) & set(source.get("figures") or ())), SHARED_CAP)
        / SHARED_CAP,
        "days": float(min(apart, MAX_DAYS)) if apart is not None else NO_EVIDENCE["days"],
        "short": math.log1p(min(story.get("word_count") or 0, source.get("word_count") or 0)),
        "same_outlet": 1.0 if story.get("site") and story.get("site") == source.get("site") else 0.0,
        "opinion": 1.0 if story.get("opinion") or source.get("opinion") else 0.0,
        "weekdays_apart": 1.0 if days_a and days_b and not days_a & days_b else 0.0,
        "lede_weekday_shared": 1.0 if set(story.get("lede_weekdays") or ()) & set(source.get("lede_weekdays") or ())
        else 0.0,
    }
    if rarity is not None and rarity.stories >= MIN_ARCHIVE_STORIES:
        values["head_archive"] = rarity.cosine(story.get("head_terms") or {}, source.get("head_terms") or {})
        values["lede_archive"] = rarity.cosine(story.get("lede_terms") or {}, source.get("lede_terms") or {})
        values["body_archive"] = rarity.cosine(story_terms, source_terms)
        if rarity.neighbourhood is not None and (standout if standout is not None else apart is None):
            values.update(rarity.neighbourhood.standout(values["body_archive"], story_terms, source_terms))
    if values["same_outlet"]:
        values["lede_beyond_names"] = beyond_names(story, source, rarity)
    return values


def beyond_names(story: dict, source: dict, rarity: "Rarity | None" = None) -> float:
    """How alike two openings are in words other than the names either text uses (the
    archive's rarity where it has enough stories, else wordfreq's): what happened, not to
    whom or where."""
    names = set(story.get("names") or ()) | set(source.get("names") or ())
    names |= {lemma(n) for n in names}  # (the openings' words are lemmas: "democrats" -> "democrat")
    a = {t: w for t, w in (story.get("lede_terms") or {}).items() if t not in names}
    b = {t: w for t, w in (source.get("lede_terms") or {}).items() if t not in names}
    if rarity is not None and rarity.stories >= MIN_ARCHIVE_STORIES:
        return rarity.cosine(a, b)
    return cosine(a, b)


def top(weights: dict, k: int = TOP_TERMS) -> list[tuple[str, float]]:
    return sorted(weights.items(), key=lambda kv: -kv[1])[:k]


def share(items: list[tuple[str, float]], other: dict) -> float:
    total = sum(w for _t, w in items)
    return sum(w for t, w in items if t in other) / total if total else 0.0


def missing(head_names, names: dict, other: dict) -> float:
    """Share (by rarity) of the names in one side's headline that the other never uses:
    a headline naming another person or place is about another event."""
    total = sum(names.get(n, 0.0) for n in head_names)
    return sum(names.get(n, 0.0) for n in head_names if n not in other) / total if total else 0.0


def cosine(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    if not dot:
        return 0.0
    return dot / (_norm(a) * _norm(b))


def _norm(weights: dict) -> float:
    return math.sqrt(sum(w * w for w in weights.values()))


def overlap(a: dict, b: dict) -> float:
    """Weighted overlap coefficient: rarity of the shared names over the smaller side's total,
    so a brief that names three of a report's twenty people scores as it should."""
    shared = sum(w for t, w in a.items() if t in b)
    if not shared:
        return 0.0
    return shared / min(sum(a.values()), sum(b.values()))


def jaccard(a: dict, b: dict) -> float:
    shared = sum(w for t, w in a.items() if t in b)
    if not shared:
        return 0.0
    return shared / (sum(a.values()) + sum(b.values()) - shared)


INGEST_ADDRESS = "ingest://"  # a record fed without its address: ingest://<outlet>/<id> (newsmon ingest)


def site(url: str | None, outlet: str | None = None) -> str | None:
    """The site of a story, the ``site`` of a profile: its web address's host (without
    "www." or a mobile prefix); without a web address, the outlet it was declared to come
    from (``outlet``, or the one a record fed without its address names, as ingest gives
    it one), its name lower-cased: two texts declared from one outlet are one site's. None
    when neither is known."""
    if url and url.startswith(("http://", "https://")):
        return urlsplit(normalise_url(url)).netloc or None
    if outlet is None and url and url.startswith(INGEST_ADDRESS):
        outlet = url[len(INGEST_ADDRESS):].split("/", 1)[0]
    name = " ".join((outlet or "").split()).lower()
    return name if name and name != "unknown" else None


def is_opinion(section: str | None = None, url: str | None = None) -> bool:
    """Whether a page says it is an opinion, comment or analysis piece: by its section
    ("Opinion", "Comment is free") or a segment of its address ("/opinion/", "/columnists/")."""
    path = urlsplit(url).path if url and url.startswith(("http://", "https://")) else ""
    # (whole words of the section, whole segments of the address: "opinion-poll" is news)
    section = section if isinstance(section, str) else ""
    return any(_OPINION.match(part) for part in [*section.replace(",", " ").split(), *path.split("/")])


def days_apart(a: str | None, b: str | None) -> int | None:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except (TypeError, ValueError):
        return None


# --- the archive's rarity ---------------------------------------------------------------------

PRIOR_STORIES = 200  # wordfreq's frequencies weigh as this many archived stories
MIN_ARCHIVE_STORIES = 200  # fewer: the plain model (see ``model``; on dev, fewer did worse than it)
STORY_WORDS = 400  # a story's length, to turn a word's frequency into a share of stories using it
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"  # the archive's full-text index's (stems)


class Rarity:
    """Inverse story frequency of words in an archive: ``idf(t) = ln((1 + n + P) / (1 + df(t)
    + P q(t))) + 1`` over its ``n`` stories, ``df`` the stories using the word's stem (as the
    archive's full-text index counts them) and ``q`` the share of P stories wordfreq expects
    to use it. Profiles weigh words by wordfreq (``specificity``); a word's weight here is
    that weight times ``idf / specificity``."""

    def __init__(self, stories: int = 0, counts: dict[str, int] | None = None,
                 neighbourhood: "Neighbourhood | None" = None):
        self.stories, self.counts = stories, counts or {}
        self.neighbourhood = neighbourhood  # the archive's stories as vectors (``Neighbourhood``), if read
        if neighbourhood is not None:
            neighbourhood.rarity = self  # (unpickled: it weighs the texts set against it as the archive does)
        self._factor: dict[str, float] = {}

    def __getstate__(self):
        return {"stories": self.stories, "counts": self.counts, "neighbourhood": self.neighbourhood}

    def __setstate__(self, state):
        self.__init__(state["stories"], state["counts"], state.get("neighbourhood"))

    def factors(self, terms) -> dict[str, float]:
        missing = [t for t in terms if t not in self._factor]
        if missing:
            found = stems(missing) if self.counts else {}
            for t in missing:
                used = self.counts.get(found.get(t, t), 0)
                expected = 1.0 - math.exp(-STORY_WORDS * 10 ** (-2.0 - specificity(t)))
                idf = math.log((1 + self.stories + PRIOR_STORIES) / (1 + used + PRIOR_STORIES * expected)) + 1
                self._factor[t] = idf / specificity(t)
        return self._factor

    def weighed(self, terms: dict) -> dict[str, float]:
        """A profile's term weights as this archive weighs them."""
        factor = self.factors(list(terms))
        return {t: w * factor[t] for t, w in terms.items()}

    def cosine(self, a: dict, b: dict) -> float:
        if not a or not b:
            return 0.0
        return cosine(self.weighed(a), self.weighed(b))


_STEMMER = threading.local()


def stems(terms: list[str]) -> dict[str, str]:
    """Each word's stem as the archive's full-text index makes it (SQLite's own porter
    tokenizer, so the two agree): an index of the words, read back."""
    db = getattr(_STEMMER, "db", None)
    if db is None:
        db = _STEMMER.db = sqlite3.connect(":memory:")
        db.execute(f"create virtual table w using fts5(t, tokenize='{FTS_TOKENIZER}')")
        db.execute("create virtual table v using fts5vocab(w, 'instance')")
    db.executemany("insert into w(rowid, t) values (?, ?)", enumerate(terms, 1))
    out = {terms[doc - 1]: stem for stem, doc in db.execute("select term, doc from v where offset = 0")}
    db.execute("delete from w")
    return out


def read_rarity(db: sqlite3.Connection, fts_table: str, min_stories: int = 2, neighbours: bool = True) -> Rarity:
    """The rarity of an FTS5 index's words (its rows are the stories, its columns title and
    text): stems used by ``min_stories`` or more (the rest count as unused, which differs
    little); with ``neighbours``, and ``MIN_ARCHIVE_STORIES`` or more, its latest
    ``NEIGHBOURHOOD_STORIES`` stories as a ``Neighbourhood`` too."""
    return combined_rarity([index_reading(db, fts_table, min_stories, neighbours)], neighbours)


def index_reading(db: sqlite3.Connection, fts_table: str, min_stories: int = 2,
                  latest: bool = True) -> tuple[int, dict[str, int], list[tuple[str, str]]]:
    """What ``combined_rarity`` takes of an FTS5 index: its number of stories, how many of
    them use each stem (``min_stories`` or more), and (with ``latest``) the title and text
    of its latest ``NEIGHBOURHOOD_STORIES``, newest first. The index is read through a
    temporary table, which a read-only connection may make too: only its ``query_only``
    guard is lifted meanwhile (the file stays read-only)."""
    guarded = db.execute("pragma query_only").fetchone()[0]
    db.execute("pragma query_only=0")
    try:
        db.execute(f"create virtual table if not exists temp.rarity_vocab using fts5vocab(main, {fts_table}, 'row')")
        try:
            counts = dict(db.execute("select term, doc from temp.rarity_vocab where doc >= ?", (min_stories,)))
            stories = db.execute(f"select count(*) from {fts_table}").fetchone()[0]
        finally:
            db.execute("drop table temp.rarity_vocab")
    finally:
        db.execute(f"pragma query_only={int(guarded)}")
    texts = list(db.execute(f"select coalesce(title, ''), coalesce(text, '') from {fts_table} "
                            "order by rowid desc limit ?", (NEIGHBOURHOOD_STORIES,))) if latest else []
    return stories, counts, texts


def combined_rarity(readings, neighbours: bool = True) -> Rarity:
    """One rarity over several collections' ``index_reading``s (an archive and the inputs an
    ingest is given): their stories and counts added up; with ``neighbours``, and
    ``MIN_ARCHIVE_STORIES`` stories or more in all, a ``Neighbourhood`` of the latest stories,
    the first reading's first."""
    readings = list(readings)
    counts: dict[str, int] = {}
    for _stories, used, _texts in readings:
        for stem, n in used.items():
            counts[stem] = counts.get(stem, 0) + n
    rarity = Rarity(sum(r[0] for r in readings), counts)
    if neighbours and rarity.stories >= MIN_ARCHIVE_STORIES:
        from pipelines.profile import term_weights  # (profile imports this module)

        latest = itertools.islice((text for _s, _c, texts in readings for text in texts), NEIGHBOURHOOD_STORIES)
        # (each weighed as a profile's all_terms are: rounded as profiles keep them)
        rarity.neighbourhood = Neighbourhood(rarity, ({t: round(w, 3) for t, w in term_weights(text, title).items()}
                                                      for title, text in latest))
    return rarity


# --- how far a pair stands above its texts' usual neighbours -----------------------------------

NEIGHBOURHOOD_STORIES = 2000  # the archive's latest stories a text is set against: read at each crawl's
# start (about 2 ms a story: 3-4 s), a page without a date set against them in 1-2 ms
# (benchmarks/neighbourhood.py); the archives the trees learnt from hold 381 to 1,055 stories
# Ranks (from 0, the nearest) of the neighbours whose cosines make a text's background: the 3rd to
# 5th nearest (its own event's other reports are often the nearest two). The 6th to 10th as a second
# feature did better held out by event on dev but worse on the Daily Mail's stream, which no tree
# learnt from (docs/how-it-works.md): left out.
NEIGHBOUR_RANKS = {"standout": (2, 5)}
ITSELF = 0.999  # a neighbour this alike is the text itself, archived before: not its neighbour


class Neighbourhood:
    """The archive's stories as unit vectors of their words, weighed as ``Rarity.cosine``
    weighs them, for how alike a text is to its usual neighbours: the mean cosine of its
    3rd-5th nearest stories is its background, and a pair's standout is its
    ``body_archive`` less the larger of its two texts' backgrounds. Two stories of one
    beat share its words with many of the archive's stories; two reports of one event
    share more with each other than either does with the rest (docs/how-it-works.md, "How
    far a pair stands above its texts' usual neighbours"). Postings by word, so a text is
    set against every story in one pass over its own words."""

    def __init__(self, rarity: Rarity, profiles):
        import numpy as np

        self.rarity = rarity
        self.vocabulary: dict[str, int] = {}
        rows, columns, values = [], [], []
        vectors = [self.unit(terms) for terms in profiles]
        for row, vector in enumerate(vectors):
            for t, w in vector.items():
                rows.append(row)
                columns.append(self.vocabulary.setdefault(t, len(self.vocabulary)))
                values.append(w)
        self.size = len(vectors)
        # by word (compressed sparse columns): a word's stories and weights side by side
        order = np.argsort(np.array(columns, dtype=np.int64), kind="stable")
        self.rows = np.array(rows, dtype=np.int32)[order]
        self.values = np.array(values, dtype=np.float32)[order]
        self.starts = np.concatenate(([0], np.cumsum(np.bincount(np.array(columns, dtype=np.int64),
                                                                 minlength=len(self.vocabulary))))).astype(np.int64)
        self._backgrounds: dict = {}

    def __getstate__(self):
        return {k: getattr(self, k) for k in ("size", "vocabulary", "rows", "values", "starts")}

    def __setstate__(self, state):
        self.__dict__.update(state, rarity=None, _backgrounds={})

    def unit(self, terms: dict) -> dict[str, float]:
        """A profile's terms weighed as the archive weighs them, as a unit vector."""
        vector = self.rarity.weighed(terms)
        norm = _norm(vector) or 1.0
        return {t: w / norm for t, w in vector.items()}

    def alike(self, terms: dict):
        """The cosine of a text (a profile's terms) with each of the stories, in their order."""
        import numpy as np

        found = [(self.vocabulary[t], w) for t, w in self.unit(terms).items() if t in self.vocabulary]
        if not found:
            return np.zeros(self.size)
        columns = np.array([c for c, _w in found], dtype=np.int64)
        starts, ends = self.starts[columns], self.starts[columns + 1]
        lengths = ends - starts
        # every posting of the text's words at once: positions start..end of each word, in turn
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        positions = offsets + np.arange(int(lengths.sum()))
        weights = self.values[positions] * np.repeat(np.array([w for _c, w in found], dtype=np.float32), lengths)
        return np.bincount(self.rows[positions], weights=weights, minlength=self.size)

    def background(self, terms: dict) -> dict[str, float]:
        """A text's background per standout feature (``NEIGHBOUR_RANKS``): the mean cosine of
        its neighbours of those ranks, the text itself (archived before) not counted."""
        import numpy as np

        key = hash(frozenset(terms.items()))
        if key in self._backgrounds:
            return self._backgrounds[key]
        alike = self.alike(terms)
        deepest = max(hi for _lo, hi in NEIGHBOUR_RANKS.values()) + 1
        nearest = -np.sort(np.partition(-alike, deepest - 1)[:deepest] if self.size > deepest else -alike)
        if len(nearest) and nearest[0] >= ITSELF:
            nearest = nearest[1:]
        out = {name: float(nearest[lo:hi].mean()) if len(nearest) >= hi else 0.0
               for name, (lo, hi) in NEIGHBOUR_RANKS.items()}
        if len(self._backgrounds) > 10_000:  # (a long crawl: the sources' stay the ones asked most)
            self._backgrounds.clear()
        self._backgrounds[key] = out
        return out

    def standout(self, body: float, a: dict, b: dict) -> dict[str, float]:
        """How far a pair's ``body_archive`` cosine stands above the larger of its two texts'
        backgrounds, per feature."""
        first, second = self.background(a), self.background(b)
        return {name: body - max(first[name], second[name]) for name in NEIGHBOUR_RANKS}


# --- the model ------------------------------------------------------------------------------------

MODEL_FILES = {"archive": "samestory_model.json", "plain": "samestory_model_plain.json",
               "archive-undated": "samestory_model_undated.json",
               "plain-undated": "samestory_model_plain_undated.json"}


@lru_cache(maxsize=4)
def model(kind: str = "archive") -> dict:
    """The trees, their prior and provenance, from this package: ``archive`` reads the
    archive's rarity too (``ARCHIVE_FEATURES``); ``plain`` decides without it, for a watch's
    first crawls (trained on the same pairs; its words weighed by wordfreq alone). Each has
    an ``-undated`` sibling for a pair whose days apart are unknown."""
    return json.loads(resources.files("pipelines").joinpath(MODEL_FILES[kind]).read_text(encoding="utf-8"))


def model_for(values: dict) -> dict:
    """The model that reads these features: with the archive's rarity or without; for a
    pair with both dates known or not. Dated, the trees learnt text from pairs within a few
    days (time speaks for the others); undated, from pairs of any distance, whose same-topic
    stories weeks apart the text alone must tell apart."""
    kind = "archive" if "body_archive" in values else "plain"
    return model(kind if dated(values) else f"{kind}-undated")


def dated(values: dict) -> bool:
    """Whether a pair's features know its days apart (both pages gave a date)."""
    return values.get("days", NO_EVIDENCE["days"]) >= 0


def undated(values: dict) -> dict:
    """The same features as if either page had given no date."""
    return {**values, "days": NO_EVIDENCE["days"]}


def time_penalty(days: float, weights: dict | None = None) -> float:
    """Log-odds taken off for days apart: none within a news cycle, a little a day over the
    following fortnight (follow-ups, reactions and analysis of the event carry on if the text
    says so), much a day after that (a saga's later step, new figures months on). Set by
    design, not learnt (see the model file): the corpora's events are each one day's news,
    so learnt, time would forbid any later day, against what DESIGN.md counts as the story."""
    time = (weights or model())["time"]  # the same in both models
    if days < 0:
        return 0.0  # a date unknown: no evidence either way
    near = min(max(0.0, days - time["cycle_days"]), time["near_days"] - time["cycle_days"])
    far = max(0.0, days - time["near_days"])
    return near * time["per_day_near"] + far * time["per_day_far"]


def logit(values: dict[str, float], weights: dict | None = None) -> float:
    """Gradient-boosted trees over the evidence of the text, less the time penalty, less or
    plus the weekdays named (``WEEKDAYS_APART``, ``LEDE_WEEKDAY_SHARED``)."""
    weights = weights or model_for(values)
    order = weights["features"]
    x = [values.get(name, NO_EVIDENCE.get(name, 0.0)) for name in order]
    penalty = time_penalty(values.get("days", -1.0), weights)
    if values.get("same_outlet"):
        penalty = SAME_OUTLET_PENALTY + SAME_OUTLET_TIME * penalty
        if not values.get("opinion"):
            if values.get("lede_archive", values.get("lede", 0.0)) < SAME_OUTLET_OPENING:
                penalty += SAME_OUTLET_OPENING_PENALTY
            if values.get("lede_beyond_names", 1.0) < SAME_OUTLET_NAMES_ONLY:
                penalty += SAME_OUTLET_NAMES_ONLY_PENALTY
    penalty += WEEKDAYS_APART * values.get("weekdays_apart", 0.0) \
        - LEDE_WEEKDAY_SHARED * values.get("lede_weekday_shared", 0.0)
    z = weights["init"] - penalty
    rate = weights["learning_rate"]
    for tree in weights["trees"]:
        node = 0
        feature, threshold, left, right, value = tree
        while left[node] >= 0:
            node = left[node] if x[feature[node]] <= threshold[node] else right[node]
        z += rate * value[node]
    return z


def probability(values: dict[str, float], weights: dict | None = None) -> float:
    z = logit(values, weights)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def score(story: dict, source: dict, weights: dict | None = None,
          rarity: Rarity | None = None) -> tuple[float, dict]:
    """Probability that ``story`` reports ``source``'s event, and the evidence that made it:
    each feature's value and how much the log-odds would fall without it (that piece of
    evidence set to "nothing shared" / "date unknown")."""
    values = features(story, source, rarity)
    z = logit(values, weights)
    effects = {}
    for name, value in values.items():
        empty = NO_EVIDENCE.get(name, 0.0)
        if name not in ("short", "opinion") and value != empty:  # (opinion only spares a penalty)
            # (logit picks the model for each: without the dates, the undated trees read the text)
            effects[name] = round(z - logit({**values, name: empty}, weights), 2)
    story_names, source_names = story.get("names") or {}, source.get("names") or {}
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    return round(p, 4), {
        "features": {k: round(v, 4) for k, v in values.items()},
        "effects": dict(sorted(effects.items(), key=lambda kv: -abs(kv[1]))),
        "shared_names": sorted(set(story_names) & set(source_names), key=lambda n: -source_names[n])[:12],
        "story_head_names_missing": [n for n in story.get("head_names") or () if n not in source_names],
        "shared_figures": sorted(set(story.get("figures") or ()) & set(source.get("figures") or ()))[:12],
        "days_apart": days_apart(story.get("published"), source.get("published")),
        "weekdays": {"story": story.get("weekdays") or [], "source": source.get("weekdays") or []},
    }
