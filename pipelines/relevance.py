"""Relevance stage: a topic score, a same-story score against each source, and a label.

- topic score: what the watch's topic judge says (``pipelines.topic``): the density of
  its ``[topic]`` terms, or a model's probability that the story is on the subject;
- same-story score: how likely the story reports the source's event, from evidence of
  the event (headlines, ledes, names, figures, days apart) weighed by a model trained on
  real coverage (``pipelines.samestory``);
- label: ``same_story`` when the same-story score clears its threshold, ``related``
  when the topic judge says it is on the subject, ``unrelated`` otherwise. Thresholds
  live in settings (``NEWSMON_RELEVANCE_*``) and in a topic model's file.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass

from pipelines import samestory
from pipelines.profile import profile, term_weights
from pipelines.text import words
from pipelines.topic import TopicMatcher, TopicModel  # noqa: F401 (the topic judges; callers import them here)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Thresholds:
    same_story: float = 0.5
    topic: float = 3.0

    @classmethod
    def from_settings(cls, settings) -> "Thresholds":
        return cls(settings.getfloat("NEWSMON_RELEVANCE_SAME_STORY"),
                   settings.getfloat("NEWSMON_RELEVANCE_TOPIC"))


def same_story_score(story: dict, source: dict, rarity: samestory.Rarity | None = None) -> tuple[float, dict]:
    """0-1: how likely the story reports the source's event (``pipelines.samestory``), with
    the evidence that made it (``cosine``: the two texts' telling-word similarity).
    ``rarity``: the archive's word rarity (``samestory.Rarity``), when there is an archive."""
    score, evidence = samestory.score(story, source, rarity=rarity)
    return score, {**evidence, "cosine": evidence["features"]["body"]}


def assess(text: str, title: str, published: str | None, topic: TopicMatcher | TopicModel | None,
           sources: list[dict], thresholds: Thresholds, exact: bool = False,
           rarity: samestory.Rarity | None = None, url: str | None = None, section: str | None = None,
           opinion: bool | None = None) -> dict:
    """Scores and label of one story against the watch's topic and sources (profiles).

    Most pages a crawl meets are off the subject. The same-story score needs only the cheap
    part of a profile (terms, headline, lede, proper nouns, figures), so an off-topic page
    whose score is below the threshold is labelled unrelated without the costly rest
    (people and organisations, counted facts, quotes, MinHash) (``scored: "bound"``).
    ``exact`` always profiles in full (threshold sweeps). ``url``: the story's address (its
    site is evidence: ``samestory.SAME_OUTLET_PENALTY``). ``opinion``: whether the page says it
    is comment or analysis (``clean_page`` found it); when not known, its ``section`` and
    address say (``samestory.is_opinion``).
    """
    verdict = topic.judge(text, title, thresholds) if topic else None
    topic_score, topic_terms = (verdict["score"], verdict["terms"]) if verdict else (0.0, {})
    on_topic = bool(verdict and verdict["on_topic"])
    weights = {t: round(w, 3) for t, w in term_weights(text, title).items()}  # as a profile has them
    evidence = samestory.evidence_profile(text, title)
    site = samestory.site(url)
    opinion = samestory.is_opinion(section, url) if opinion is None else bool(opinion)
    if not exact and (topic is not None or sources) and not on_topic:
        light = {"title": title, "published": published, "site": site, "opinion": opinion,
                 "word_count": len(words(text)), "all_terms": weights, **evidence}
        bound = max((samestory.probability(samestory.features(light, s["profile"], rarity)) for s in sources),
                    default=0.0)
        if bound < (thresholds.same_story if topic is not None else thresholds.same_story / 2):
            return {"label": "unrelated", "topic_score": round(topic_score, 3),
                    "same_story_score": round(bound, 4), "scored": "bound", "source_id": None,
                    "per_source": {}, "topic_terms": topic_terms, "profile": None,
                    "why": _why(verdict, None, bound, thresholds)}
    story = profile(text, title, published, weights=weights, evidence=evidence, site=site, opinion=opinion)
    per_source = {}
    for source in sources:
        score, parts = same_story_score(story, source["profile"], rarity)
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
        # the strongest evidence for or against (log-odds each piece added), as samestory gives it
        why["same_story"]["evidence"] = dict(list((closest.get("effects") or {}).items())[:4])
    if verdict is not None:
        why["topic"] = _topic_why(verdict)
    return why


def _topic_why(verdict: dict) -> dict:
    """The topic judge's part of what a label rests on."""
    why = {k: verdict[k] for k in ("score", "threshold", "on_topic", "model", "features")}
    if verdict.get("like_judged"):  # the reader's word on a story much like this one decided
        why["like_judged"] = verdict["like_judged"]
    why["terms"] = dict(sorted(verdict["terms"].items(), key=lambda kv: (-kv[1], kv[0]))[:8])
    return why


def relabel(archive, topic: TopicMatcher | TopicModel | None, thresholds: Thresholds) -> Counter:
    """The archived stories labelled by another topic judge than ``topic`` (the watch's model
    as the reader's judgements have taught it since), judged again by it, as the crawl's
    new pages are: what a reader teaches reaches the stories already archived, not only the
    next ones (another outlet's retelling of a story the reader judged off the subject).
    Only the topic's part of a label can change: a story that is not the same story as a
    source is related when on the subject, else unrelated (``assess``). Counts of
    "related -> unrelated", "unrelated -> related" and "unchanged"."""
    counts: Counter = Counter()
    if topic is None:
        return counts
    for stories in archive.topic_stale(topic.version):  # (a batch at a time: the archive may be large)
        changes = []
        for story in stories:
            verdict = topic.judge(story["text"] or "", story["title"] or "", thresholds)
            label = "related" if verdict["on_topic"] else "unrelated"
            try:
                why = json.loads(story["label_why"] or "{}")
            except ValueError:  # (what it rested on, unreadable: its topic part is written anew)
                why = {}
            why["topic"] = _topic_why(verdict)
            changes.append({"id": story["id"], "label": label, "topic_score": round(verdict["score"], 3), "why": why})
            counts["unchanged" if label == story["auto_label"] else f"{story['auto_label']} -> {label}"] += 1
        archive.relabel_topic(changes)
    return counts
