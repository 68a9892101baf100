"""Compare stage: what a story says differently from each source.

Similarity and the evidence of the same event (``pipelines.samestory``); numeric facts
that agree and that conflict (same counted noun, a number the source's cannot be); quotes
shared with the source; people and organisations in both or one only; framing terms (``data/framing.toml``) used by one side only; and
whether the story was published before or after the source.
"""

from __future__ import annotations

import logging
import tomllib
from datetime import date
from pathlib import Path

from pipelines.facts import quote_match
from pipelines.relevance import same_story_score
from pipelines.text import lemma, words

logger = logging.getLogger(__name__)

QUOTE_MATCH = 0.8  # share of the shorter quote found in order in the other
APPROXIMATE_TOLERANCE = 0.1  # "about 70" agrees with anything within 10%
# Two figures are rival counts of one quantity only when of one magnitude: "107 MPs" vs
# "113 MPs" conflict, "27 MPs" (one city's) or "650 MPs" (all of them) are other quantities.
RIVAL_RATIO = 1.5


def load_framing(path: str | Path) -> dict[str, list[str]]:
    """The framing lexicon: {frame: [terms]}. A relative path is taken from the current
    folder, else from newsmon's packaged data (``data/framing.toml`` is packaged); a file
    that is not there means no framing analysis, and says so."""
    path = Path(path)
    if not path.is_absolute() and not path.exists():
        import newsmon_data

        path = newsmon_data.path(*path.parts[1:] if path.parts[:1] == ("data",) else path.parts)
    if not path.exists():
        logger.warning("no framing lexicon at %s: stories are compared without framing terms", path)
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {frame: [t.lower() for t in entry.get("terms", [])] for frame, entry in data.items()
            if isinstance(entry, dict)}


def framing_terms(text: str, lexicon: dict[str, list[str]]) -> dict[str, str]:
    """{term: frame} of lexicon terms present in a text (as phrases, plural -s ignored)."""
    tokens = [lemma(w) for w in words(text)]
    joined = " " + " ".join(tokens) + " "
    found = {}
    for frame, terms in lexicon.items():
        for term in terms:
            phrase = " ".join(lemma(w) for w in words(term))
            if phrase and f" {phrase} " in joined:
                found[term] = frame
    return found


def consistent(story_fact: dict, source_value: float) -> bool:
    """Whether a story's figure can be the source's, given its qualifier ("nearly 70")."""
    value, qualifier = story_fact["value"], story_fact.get("qualifier")
    if qualifier is None:
        return value == source_value
    if qualifier == "at_least":
        return source_value >= value
    if qualifier == "at_most":
        return source_value <= value
    if qualifier == "below":
        return value * (1 - APPROXIMATE_TOLERANCE) <= source_value <= value
    return abs(source_value - value) <= APPROXIMATE_TOLERANCE * max(value, source_value)


def compare_facts(story_facts: list[dict], source_facts: list[dict]) -> tuple[list[dict], list[dict]]:
    """(agree, conflict): facts on a noun both count, matched to the source fact closest in
    wording, so "68 calls last year" meets "68 calls in 2017" and not "723 calls since 2012"."""
    agree, conflict, seen = [], [], set()
    # Keyed on the counted noun too: "430 jobs ... 140 years of cloth-making" still
    # conflicts on jobs when its "140 years" agrees.
    agreeing = {(f["sentence"], f["noun"]) for f in story_facts
                if any(s["noun"] == f["noun"] and consistent(f, s["value"]) for s in source_facts)}
    for fact in story_facts:
        candidates = [s for s in source_facts if s["noun"] == fact["noun"]]
        if not candidates:
            continue
        matching = [s for s in candidates if consistent(fact, s["value"])]
        if not matching:
            # "113 of the 650 MPs": a sentence that states the source's figure is not
            # contradicting it with its other numbers.
            if (fact["sentence"], fact["noun"]) in agreeing:
                continue
            candidates = [s for s in candidates
                          if max(s["value"], fact["value"]) <= RIVAL_RATIO * min(s["value"], fact["value"])]
            if not candidates:
                continue
        pool = matching or candidates
        best = max(pool, key=lambda s: _overlap(fact["sentence"], s["sentence"]))
        key = (fact["noun"], fact["value"], best["value"], bool(matching))
        if key in seen:
            continue
        seen.add(key)
        row = {"noun": fact["noun"], "story_value": fact["value"], "story_text": fact["text"],
               "qualifier": fact.get("qualifier"), "source_value": best["value"],
               "story_sentence": fact["sentence"], "source_sentence": best["sentence"]}
        (agree if matching else conflict).append(row)
    return agree, conflict


def _overlap(a: str, b: str) -> float:
    wa, wb = set(words(a)), set(words(b))
    return len(wa & wb) / (len(wa | wb) or 1)


def shared_quotes(story_quotes: list[str], source_quotes: list[str]) -> list[dict]:
    out = []
    for quote in story_quotes:
        scored = [(quote_match(quote, s, QUOTE_MATCH), s) for s in source_quotes]
        if scored:
            score, source_quote = max(scored)
            if score >= QUOTE_MATCH:
                out.append({"story": quote, "source": source_quote, "match": round(score, 3)})
    return out


def _split(story: list[str], source: list[str]) -> tuple[list[str], list[str], list[str]]:
    a, b = set(story), set(source)
    return sorted(a & b), sorted(a - b), sorted(b - a)


def relation(story_published: str | None, source_published: str | None) -> tuple[str, int | None]:
    try:
        days = (date.fromisoformat(story_published[:10]) - date.fromisoformat(source_published[:10])).days
    except (TypeError, ValueError):
        return "unknown", None
    return ("before" if days < 0 else "after" if days > 0 else "same day"), days


def compare(story: dict, story_text: str, source_id: str, source: dict, source_text: str | None,
            lexicon: dict[str, list[str]], scored: dict | None = None) -> dict:
    """One row of ``comparisons``: a story (profile + text) against one source. ``scored``:
    the same-story score and evidence relevance already made for this pair (``score`` and
    the rest of ``same_story_score``'s parts), else it is made here."""
    if scored is None:
        score, parts = same_story_score(story, source)
    else:
        score, parts = scored["score"], scored
    agree, conflict = compare_facts(story["facts"], source["facts"])
    people = _split(story["people"], source["people"])
    orgs = _split(story["organisations"], source["organisations"])
    story_frames = framing_terms(story_text, lexicon)
    source_frames = framing_terms(source_text or "", lexicon)
    rel, days = relation(story.get("published"), source.get("published"))
    return {
        "source_id": source_id, "similarity": parts["cosine"], "same_story_score": score,
        "facts_agree": agree, "facts_conflict": conflict,
        "quotes_shared": shared_quotes(story["quotes"], source["quotes"]),
        "people_both": people[0], "people_story_only": people[1], "people_source_only": people[2],
        "organisations_both": orgs[0], "organisations_story_only": orgs[1],
        "organisations_source_only": orgs[2],
        "framing_story_only": {t: f for t, f in story_frames.items() if t not in source_frames},
        "framing_source_only": {t: f for t, f in source_frames.items() if t not in story_frames},
        "framing_both": {t: f for t, f in story_frames.items() if t in source_frames},
        "published_relation": rel, "days_from_source": days,
        "evidence": {k: parts[k] for k in ("features", "effects", "shared_names", "story_head_names_missing",
                                           "shared_figures", "days_apart", "weekdays")},
    }

