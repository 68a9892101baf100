"""Relevance stage: a topic score, a same-story score against each source, and a label.

- topic score: how densely a text uses the watch's topic terms (``[topic]`` in the
  watch file), headline counted twice, per-term counts capped so one word cannot carry
  a story, scaled by the square root of its length;
- same-story score: how likely the story reports the source's event, from evidence of
  the event (headlines, ledes, names, figures, days apart) weighed by a model trained on
  real coverage (``pipelines.samestory``);
- label: ``same_story`` when the same-story score clears its threshold, ``related``
  when the topic score clears its own, ``unrelated`` otherwise. Thresholds live in
  settings (``NEWSMON_RELEVANCE_*``) and were chosen on the labelled set in tests/data.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from pipelines import samestory
from pipelines.profile import profile, term_weights
from pipelines.text import lemmas, words

logger = logging.getLogger(__name__)

TOPIC_COUNT_CAP = 4  # occurrences of one term that count
UNAMBIGUOUS = 3.0  # topic-term weight from which one term alone can make a page on-topic


@dataclass(frozen=True)
class Thresholds:
    same_story: float = 0.5
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
            phrase = lemmas(term)
            if phrase and weight > 0:
                self.phrases.setdefault(phrase[0], []).append((phrase, weight, term))

    def counts(self, text: str) -> dict[str, int]:
        tokens = lemmas(text)
        found: dict[str, int] = {}
        for i, token in enumerate(tokens):
            for phrase, _weight, term in self.phrases.get(token, ()):
                if tokens[i:i + len(phrase)] == phrase:
                    found[term] = found.get(term, 0) + 1
        return found

    def score(self, text: str, title: str = "") -> tuple[float, dict[str, int]]:
        weight = {term: w for group in self.phrases.values() for _l, w, term in group}
        body = self.counts(text)
        head = self.counts(title)
        total = sum(weight[t] * min(body.get(t, 0) + 2 * head.get(t, 0), TOPIC_COUNT_CAP)
                    for t in set(body) | set(head))
        found = {t: body.get(t, 0) + head.get(t, 0) for t in set(body) | set(head)}
        # A word with other senses ("asylum", "detention", "Border Force", which also
        # seizes drugs) needs company: the distinct terms found must together weigh as
        # much as one unambiguous term, however often each is repeated.
        if sum(weight[t] for t in found) < UNAMBIGUOUS:
            return 0.0, found
        length = max(len(words(text)), 100)
        return total / math.sqrt(length / 100), found


def same_story_score(story: dict, source: dict) -> tuple[float, dict]:
    """0-1: how likely the story reports the source's event (``pipelines.samestory``), with
    the evidence that made it (``cosine``: the two texts' telling-word similarity)."""
    score, evidence = samestory.score(story, source)
    return score, {**evidence, "cosine": evidence["features"]["body"]}


def assess(text: str, title: str, published: str | None, topic: TopicMatcher | None,
           sources: list[dict], thresholds: Thresholds, exact: bool = False) -> dict:
    """Scores and label of one story against the watch's topic and sources (profiles).

    Most pages a crawl meets are off the subject. The same-story score needs only the cheap
    part of a profile (terms, headline, lede, proper nouns, figures), so an off-topic page
    whose score is below the threshold is labelled unrelated without the costly rest
    (people and organisations, counted facts, quotes, MinHash) (``scored: "bound"``).
    ``exact`` always profiles in full (threshold sweeps).
    """
    topic_score, topic_terms = topic.score(text, title) if topic else (0.0, {})
    weights = {t: round(w, 3) for t, w in term_weights(text, title).items()}  # as a profile has them
    evidence = samestory.evidence_profile(text, title)
    if not exact and (topic is not None or sources) and topic_score < thresholds.topic:
        light = {"title": title, "published": published, "word_count": len(words(text)),
                 "all_terms": weights, **evidence}
        bound = max((samestory.probability(samestory.features(light, s["profile"])) for s in sources),
                    default=0.0)
        if bound < (thresholds.same_story if topic is not None else thresholds.same_story / 2):
            return {"label": "unrelated", "topic_score": round(topic_score, 3),
                    "same_story_score": round(bound, 4), "scored": "bound", "source_id": None,
                    "per_source": {}, "topic_terms": topic_terms, "profile": None}
    story = profile(text, title, published, weights=weights, evidence=evidence)
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
