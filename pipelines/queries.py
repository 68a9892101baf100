"""Search queries built from a source: what to ask news search engines and archives.

A query is a list of parts, each a word or a phrase (several words, matched together).
Three kinds, from the source's profile and text:

- the source's most telling short quoted phrase ("MPs not border guards"): campaign
  names and slogans travel with a story word for word;
- its key terms, as the words the text uses (lemmas are for matching, not for searching);
- the person or organisation it names most, with its two first key terms.

Engines render the parts in their own syntax (``gdelt``, ``google_news``). A watch may
give a source's queries itself (``queries = [...]``); those are parsed the same way.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter

from pipelines.text import STOPWORDS, lemma, words

QUERY_TERMS = 4  # key terms in the key-term query
_QUOTED = re.compile(r"[\"\u201c\u2018']([^\"\u201c\u201d\u2018\u2019']{6,60})[\"\u201d\u2019']")
# Names that say nothing about one story: news organisations and the parties of a parliament.
_GENERIC_NAMES = {"bbc", "guardian", "reuters", "press association", "pa", "labour", "conservative",
                  "conservatives", "liberal democrats", "liberal democrat", "commons", "house of commons",
                  "parliament", "government", "ngo", "members of parliament"}


def source_queries(profile: dict, text: str) -> list[list[str]]:
    """Up to three queries (lists of words and phrases) for one source."""
    queries = []
    phrase = _telling_phrase(text, profile)
    if phrase:
        queries.append([phrase])
    terms = _surface_terms(profile, text, QUERY_TERMS)
    if len(terms) >= 2:
        queries.append(terms)
    name = _main_name(profile, text)
    if name and terms:
        queries.append([name] + [t for t in terms if t.lower() not in name.lower()][:2])
    return queries


def parse_query(query: str) -> list[str]:
    """A query as a person writes it ('"border guards" MPs hotline') -> its parts."""
    try:
        parts = shlex.split(query)
    except ValueError:  # an unclosed quote: read the words as they are
        parts = query.replace('"', " ").split()
    return [" ".join(p.split()) for p in parts if p.strip()]


def show(parts: list[str]) -> str:
    """Parts as one would type them: phrases in quotes."""
    return " ".join(f'"{p}"' if " " in p else p for p in parts)


def gdelt(parts: list[str]) -> str:
    """GDELT DOC 2.0 syntax: words are ANDed, phrases quoted; it refuses words under 3 letters."""
    return " ".join(f'"{p}"' if " " in p else p for p in parts if " " in p or len(p) >= 3)


def google_news(parts: list[str], after: str | None = None, before: str | None = None) -> str:
    """Google News search syntax, with its date operators (YYYY-MM-DD)."""
    q = show(parts)
    if after:
        q += f" after:{after}"
    if before:
        q += f" before:{before}"
    return q


def _telling_phrase(text: str, profile: dict) -> str | None:
    """The quoted phrase of 2-6 words whose words are the source's most telling."""
    weights = profile.get("terms") or {}
    best, best_score = None, 0.0
    for match in _QUOTED.finditer(text):
        phrase = " ".join(match.group(1).split()).strip(" ,.;:")
        tokens = words(phrase)
        if not 2 <= len(tokens) <= 6 or not phrase[:1].isalnum():
            continue
        score = sum(weights.get(lemma(t), 0.0) for t in tokens) / len(tokens) * min(len(tokens), 4)
        if score > best_score:
            best, best_score = phrase, score
    return best


def _surface_terms(profile: dict, text: str, n: int) -> list[str]:
    """The profile's top key terms as the text writes them (most common form of each lemma),
    leaving out words of the people's names (the name query carries those)."""
    forms: dict[str, Counter] = {}
    for token in re.findall(r"[^\W_]+(?:['\u2019][^\W_]+)*", text):
        low = token.lower()
        if len(low) > 2 and low not in STOPWORDS:
            forms.setdefault(lemma(low), Counter())[token] += 1
    name_words = {w.lower() for name in profile.get("people", []) for w in name.split()}
    out = []
    for term in profile.get("terms") or {}:
        if term in name_words or term not in forms:
            continue
        # The most common form; an acronym keeps its capitals (MPs), other words go lower-case.
        form = forms[term].most_common(1)[0][0]
        out.append(form if sum(c.isupper() for c in form) > 1 else form.lower())
        if len(out) == n:
            break
    return out


def _main_name(profile: dict, text: str) -> str | None:
    """The person named most (at least twice), else the organisation named most: a
    story's people are rarer in other news than its institutions."""
    people = set(profile.get("people", []))
    names = [n for n in profile.get("people", []) + profile.get("organisations", [])
             if n.lower() not in _GENERIC_NAMES and len(n.split()) >= 2]
    if not names:
        return None
    return max(names, key=lambda n: (n in people and text.count(n) >= 2, text.count(n), len(n)))
