"""Relevance stage: a topic score, a same-story score against each source, and a label.

- topic score: what the watch's topic judge says (``pipelines.topic``): the density of
  its ``[topic]`` terms, or a model's probability that the story is on the subject;
- same-story score: how much of the source a story shares: telling words (weighted
  cosine), named people and organisations, numeric facts and quotes, discounted when
  the two are published months apart;
- label: ``same_story`` when the same-story score clears its threshold, ``related``
  when the topic judge says it is on the subject, ``unrelated`` otherwise. Thresholds
  live in settings (``NEWSMON_RELEVANCE_*``) and in a topic model's file.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date

from pipelines.facts import quote_match
from pipelines.profile import profile, term_weights
from pipelines.text import specificity
from pipelines.topic import TopicMatcher, TopicModel  # noqa: F401 (the topic judges; callers import them here)

logger = logging.getLogger(__name__)

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
        "quotes": sum(1 for q in story["quotes"] if any(quote_match(q, s, 0.8) >= 0.8 for s in source["quotes"])),
        "days_apart": apart, "cosine": round(_cosine(story["all_terms"], source["all_terms"]), 4)}


def _score_bound(weights: dict, published: str | None, source: dict) -> float:
    """The most ``same_story_score`` could give, from the terms alone (names at full marks)."""
    cover = _share(_top(source["all_terms"]), weights)
    inside = _share(_top(weights), source["all_terms"])
    score = 0.5 * cover + 0.3 * inside + 0.2
    apart = _days_apart(published, source.get("published"))
    return score * 0.5 if apart is not None and apart > DATE_WINDOW_DAYS else score


def _top(weights: dict, k: int = TOP_TERMS) -> list[tuple[str, float]]:
    return sorted(weights.items(), key=lambda kv: -kv[1])[:k]


def _share(top: list[tuple[str, float]], other: dict) -> float:
    total = sum(w for _t, w in top)
    return sum(w for t, w in top if t in other) / total if total else 0.0


def assess(text: str, title: str, published: str | None, topic: TopicMatcher | TopicModel | None,
           sources: list[dict], thresholds: Thresholds, exact: bool = False) -> dict:
    """Scores and label of one story against the watch's topic and sources (profiles).

    Most pages a crawl meets are off the subject. When even full marks for shared names
    could not lift a page to either threshold, it is labelled unrelated without the costly
    part of its profile (names, figures, quotes); its ``same_story_score`` is then that
    upper bound (``scored: "bound"``). ``exact`` always scores in full (threshold sweeps).
    """
    verdict = topic.judge(text, title, thresholds) if topic else None
    topic_score, topic_terms = (verdict["score"], verdict["terms"]) if verdict else (0.0, {})
    on_topic = bool(verdict and verdict["on_topic"])
    if not exact and (topic is not None or sources) and not on_topic:
        weights = {t: round(w, 3) for t, w in term_weights(text, title).items()}  # as a profile has them
        bound = max((_score_bound(weights, published, s["profile"]) for s in sources), default=0.0)
        if bound < (thresholds.same_story if topic is not None else thresholds.same_story / 2):
            return {"label": "unrelated", "topic_score": round(topic_score, 3),
                    "same_story_score": round(bound, 4), "scored": "bound", "source_id": None,
                    "per_source": {}, "topic_terms": topic_terms, "profile": None,
                    "why": _why(verdict, None, bound, thresholds)}
        story = profile(text, title, published, weights=weights)
    else:
        story = profile(text, title, published)
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
    elif on_topic or (topic is None and best >= thresholds.same_story / 2):
        label = "related"
    else:
        label = "unrelated"
    return {"label": label, "topic_score": round(topic_score, 3), "same_story_score": best,
            "source_id": best_id, "per_source": per_source, "topic_terms": topic_terms,
            "profile": story, "why": _why(verdict, per_source.get(best_id), best, thresholds)}


def _why(verdict: dict | None, closest: dict | None, same_story: float, thresholds: Thresholds) -> dict:
    """What a label rests on, kept with the story (``newsmon show``, the report)."""
    why = {"same_story": {"score": same_story, "threshold": thresholds.same_story}}
    if closest:
        why["same_story"].update({k: closest[k] for k in ("cover", "inside", "entities") if k in closest})
    if verdict is not None:
        why["topic"] = {k: verdict[k] for k in ("score", "threshold", "on_topic", "model", "features")}
        why["topic"]["terms"] = dict(sorted(verdict["terms"].items(), key=lambda kv: -kv[1])[:8])
    return why


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

