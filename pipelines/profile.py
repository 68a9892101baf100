"""Profiles: what a text is about, in a form two texts can be compared by.

A source is profiled once when it is added; a story when it is cleaned. A profile is
plain data (JSON-ready): weighted key terms, people and organisations, numeric
facts, quotes, title, date, the MinHash signature dedup uses (``pipelines.dedup``) and
the evidence of the event the same-story decision reads (``pipelines.samestory``).
"""

from __future__ import annotations

import math
from collections import Counter

from pipelines.dedup import minhash
from pipelines.facts import names, numeric_facts, quotes
from pipelines.samestory import evidence_profile
from pipelines.text import STOPWORDS, lemma, specificity, words

KEY_TERMS = 40  # terms kept in a stored profile


def term_weights(text: str, title: str = "") -> dict[str, float]:
    """Content-word lemmas weighted by how often they occur and how telling they are."""
    counts: Counter = Counter()
    for w, n in Counter(words(text)).items():  # each distinct word judged once
        if _content(w):
            counts[lemma(w)] += n
    for w in words(title):  # the headline says what the story is about: count it twice
        if _content(w):
            counts[lemma(w)] += 2
    return {t: (1 + math.log(c)) * specificity(t) for t, c in counts.items()}


def _content(word: str) -> bool:
    return len(word) > 2 and word not in STOPWORDS and not word.isdigit()


def profile(text: str, title: str = "", published: str | None = None, signature=None,
            weights: dict | None = None, evidence: dict | None = None, site: str | None = None,
            opinion: bool = False) -> dict:
    """``signature`` ((MinHash, shingles) as ``minhash`` gives), ``weights``
    (``term_weights``) and ``evidence`` (``samestory.evidence_profile``): when the caller
    has them already. ``site``: the site the text was published on (``samestory.site``);
    ``opinion``: the page says it is comment or analysis (``samestory.is_opinion``)."""
    weights = weights if weights is not None else term_weights(text, title)
    top = dict(sorted(weights.items(), key=lambda kv: -kv[1])[:KEY_TERMS])
    found = names(f"{title}\n{text}")
    evidence = evidence if evidence is not None else evidence_profile(text, title)
    signature, shingles = minhash(text) if signature is None else signature
    return {
        "title": title, "published": published, "site": site, "opinion": opinion, "word_count": len(words(text)),
        "terms": {t: round(w, 3) for t, w in top.items()},
        "all_terms": {t: round(w, 3) for t, w in weights.items()},
        "people": found["people"], "organisations": found["organisations"],
        "facts": numeric_facts(text), "quotes": quotes(text),
        "signature": [int(v) for v in signature], "shingles": shingles,
        **evidence,
    }
