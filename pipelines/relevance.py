"""Relevance stage: a topic score, a same-story score against each source, and a label.

- topic score: how densely a text uses the watch's topic terms (``[topic]`` in the
  watch file), headline counted twice, per-term counts capped so one word cannot carry
  a story, scaled by the square root of its length;
- same-story score: how much of the source a story shares: telling words (weighted
  cosine), named people and organisations, numeric facts and quotes, discounted when
  the two are published months apart;
- label: ``same_story`` when the same-story score clears its threshold, ``related``
  when the topic score clears its own, ``unrelated`` otherwise. Thresholds live in
  settings (``NEWSMON_RELEVANCE_*``) and were chosen on the labelled set in tests/data.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date

from scrapy.exceptions import DropItem

from pipelines.facts import quote_match
from pipelines.profile import profile
from pipelines.text import lemma, specificity, words

logger = logging.getLogger(__name__)

TOPIC_COUNT_CAP = 4  # occurrences of one term that count
UNAMBIGUOUS = 3.0  # topic-term weight from which one term alone can make a page on-topic
DATE_WINDOW_DAYS = 120  # beyond this apart, a story is less likely the same event
TOP_TERMS = 20  # most telling terms of each side compared in the same-story score


@dataclass(frozen=True)
class Thresholds:
    same_story: float = 0.30
    topic: float = 3.0

    @classmethod
    def from_settings(cls, settings) -> "Thresholds":
        return cls(settings.getfloat("NEWSMON_RELEVANCE_SAME_STORY"),
                   settings.getfloat("NEWSMON_RELEVANCE_TOPIC"))


class TopicMatcher:
    """Finds a topic's terms (phrases allowed, plural -s ignored) in a text."""

    def __init__(self, terms):
        self.phrases: dict[str, list[tuple[tuple[str, ...], float, str]]] = {}
        for term, weight in terms:
            lemmas = tuple(lemma(w) for w in words(term))
            if lemmas and weight > 0:
                self.phrases.setdefault(lemmas[0], []).append((lemmas, weight, term))

    def counts(self, text: str) -> dict[str, int]:
        tokens = [lemma(w) for w in words(text)]
        found: dict[str, int] = {}
        for i, token in enumerate(tokens):
            for lemmas, _weight, term in self.phrases.get(token, ()):
                if tuple(tokens[i:i + len(lemmas)]) == lemmas:
                    found[term] = found.get(term, 0) + 1
        return found

    def score(self, text: str, title: str = "") -> tuple[float, dict[str, int]]:
        weight = {term: w for group in self.phrases.values() for _l, w, term in group}
        body = self.counts(text)
        head = self.counts(title)
        total = sum(weight[t] * min(body.get(t, 0) + 2 * head.get(t, 0), TOPIC_COUNT_CAP)
                    for t in set(body) | set(head))
        found = {t: body.get(t, 0) + head.get(t, 0) for t in set(body) | set(head)}
        # A word with other senses ("asylum", "removal", "detention") needs company: one
        # such term alone, however often, is not the topic; one unambiguous term is.
        if len(found) < 2 and not any(weight[t] >= UNAMBIGUOUS for t in found):
            return 0.0, found
        length = max(len(words(text)), 100)
        return total / math.sqrt(length / 100), found


def same_story_score(story: dict, source: dict) -> tuple[float, dict]:
    """0-1: how much of the source's event the story carries, with the parts that made it.

    - cover: share of the source's most telling terms (by weight) that the story uses;
    - inside: share of the story's own most telling terms that the source uses, so a
      short item on the event scores as well as a long one, and a story on another
      event with its own names does not;
    - entities: people and organisations both name, rare names counting more.
    """
    cover = _share(_top(source["all_terms"]), story["all_terms"])
    inside = _share(_top(story["all_terms"]), source["all_terms"])
    shared = (set(source["people"]) | set(source["organisations"])) & \
        (set(story["people"]) | set(story["organisations"]))
    entity = min(1.0, sum(_name_weight(e) for e in shared) / 4.0)
    score = 0.5 * cover + 0.3 * inside + 0.2 * entity
    apart = _days_apart(story.get("published"), source.get("published"))
    if apart is not None and apart > DATE_WINDOW_DAYS:
        score *= 0.5
    source_facts = {(f["noun"], f["value"]) for f in source["facts"]}
    return round(score, 4), {
        "cover": round(cover, 4), "inside": round(inside, 4), "entities": sorted(shared),
        "facts": len({(f["noun"], f["value"]) for f in story["facts"]} & source_facts),
        "quotes": sum(1 for q in story["quotes"] if any(quote_match(q, s) >= 0.8 for s in source["quotes"])),
        "days_apart": apart, "cosine": round(_cosine(story["all_terms"], source["all_terms"]), 4)}


def _top(weights: dict, k: int = TOP_TERMS) -> list[tuple[str, float]]:
    return sorted(weights.items(), key=lambda kv: -kv[1])[:k]


def _share(top: list[tuple[str, float]], other: dict) -> float:
    total = sum(w for _t, w in top)
    return sum(w for t, w in top if t in other) / total if total else 0.0


def assess(text: str, title: str, published: str | None, topic: TopicMatcher | None,
           sources: list[dict], thresholds: Thresholds) -> dict:
    """Scores and label of one story against the watch's topic and sources (profiles)."""
    story = profile(text, title, published)
    topic_score, topic_terms = topic.score(text, title) if topic else (0.0, {})
    per_source = {}
    for source in sources:
        score, parts = same_story_score(story, source["profile"])
        per_source[source["id"]] = {"score": score, **parts}
    best_id = max(per_source, key=lambda s: per_source[s]["score"]) if per_source else None
    best = per_source[best_id]["score"] if best_id else 0.0
    if topic is None and not sources:
        label = None  # nothing to judge by: the page is kept, unlabelled
    elif best >= thresholds.same_story:
        label = "same_story"
    elif topic_score >= thresholds.topic or (topic is None and best >= thresholds.same_story / 2):
        label = "related"
    else:
        label = "unrelated"
    return {"label": label, "topic_score": round(topic_score, 3), "same_story_score": best,
            "source_id": best_id, "per_source": per_source, "topic_terms": topic_terms,
            "profile": story}


def _cosine(a: dict, b: dict) -> float:
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _name_weight(name: str) -> float:
    return min(1.5, max(specificity(t) for t in name.lower().split()) / 3.5)


def _days_apart(a: str | None, b: str | None) -> int | None:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except (TypeError, ValueError):
        return None


class RelevancePipeline:
    """Labels each cleaned page; unrelated pages are remembered and dropped."""

    def __init__(self, stats, thresholds: Thresholds, keep_unrelated: bool):
        self.stats = stats
        self.thresholds = thresholds
        self.keep_unrelated = keep_unrelated
        self.topic = None
        self.sources: list[dict] = []
        self.remembered: list[str] = []
        self.crawler = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.stats, Thresholds.from_settings(crawler.settings),
                       crawler.settings.getbool("NEWSMON_KEEP_UNRELATED"))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self):
        from pipelines.archive import Archive

        watch = self.crawler.spider.watch
        self.topic = TopicMatcher(watch.topic.terms) if watch.topic else None
        with Archive(self.crawler.settings["NEWSMON_DB_PATH"]) as archive:
            self.sources = archive.source_profiles()  # the watch's and any added by `sources add`

    def close_spider(self):
        self._write_remembered()

    def _write_remembered(self):
        # Unrelated pages are not stories, but later crawls should not fetch them again.
        from pipelines.archive import Archive

        if self.remembered:
            with Archive(self.crawler.settings["NEWSMON_DB_PATH"]) as archive:
                archive.remember_urls(self.remembered, "unrelated")
            self.remembered = []

    def process_item(self, item):
        art = item.article
        item.relevance = assess(art["text"], art["title"], art["published"], self.topic,
                                self.sources, self.thresholds)
        label = item.relevance["label"] or "unlabelled"
        self.stats.inc_value(f"newsmon/label/{label}")
        if label == "unrelated" and not self.keep_unrelated:
            self.stats.inc_value("newsmon/dropped/unrelated")
            self.remembered.append(item.url)
            if len(self.remembered) >= 100:
                self._write_remembered()
            raise DropItem(f"unrelated (topic {item.relevance['topic_score']}, "
                           f"same-story {item.relevance['same_story_score']}): {item.url}")
        return item
