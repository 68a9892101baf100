"""Shared text helpers: normalising, tokens, hashing."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                         "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_QUOTE_PAIRS = tuple((chr(mark), plain) for mark, plain in _QUOTES.items())
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)


def normalise(text: str) -> str:
    """One canonical spelling of a text: NFKC, plain quotes and dashes, single spaces."""
    text = text or ""
    if not text.isascii():  # NFKC and the quote map change nothing in ASCII (most English text)
        text = unicodedata.normalize("NFKC", text)
        # (a replace per mark: str.translate looks every character up in the map, 2-3 times slower)
        for mark, plain in _QUOTE_PAIRS:
            if mark in text:
                text = text.replace(mark, plain)
    # (split() splits at the same whitespace as \s+, faster than a regex substitution)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Lower-cased word tokens of normalised text."""
    return list(_words(text))


# Scripts written without spaces between words: a run of them is one regex "word".
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


# What normalising and lower-casing turn into a word's joiner or split a word with: a low or
# left single quote made an apostrophe; a dotted capital I lower-cased to "i" and a dot.
_JOINED_WHEN_NORMALISED = re.compile("[\u2018\u201a\u201b\u0130]")


def word_count(text: str) -> int:
    """Words of a text, fair to Chinese, Japanese and Korean: in those scripts about two
    characters make a word (a run of them has no spaces to split on)."""
    if not text:
        return 0
    if text.isascii() or (unicodedata.is_normalized("NFKC", text) and not _JOINED_WHEN_NORMALISED.search(text)
                          and not _UNSPACED.search(text)):
        # (most text: nothing normalising would change in its words, no unspaced script)
        return len(_WORD.findall(text))
    tokens = _words(text)
    if not _UNSPACED.search(" ".join(tokens)):
        return len(tokens)  # (most text: one regex over the words, not one per word)
    count = 0
    for token in tokens:
        unspaced = len(_UNSPACED.findall(token))
        count += (len(token) - unspaced > 0) + (unspaced + 1) // 2
    return count


@lru_cache(maxsize=16)
def lemmas(text: str) -> tuple[str, ...]:
    """The lemma of every word of the text, in order."""
    return tuple(map(lemma, _words(text)))


@lru_cache(maxsize=16)
def _words(text: str) -> tuple[str, ...]:
    # Profiling, topic scoring and hashing all tokenise the same article: once is enough.
    return tuple(_WORD.findall(normalise(text).lower()))


def text_hash(text: str) -> str:
    """Hash of the words alone, so whitespace, case and punctuation edits do not count."""
    return hashlib.sha1(" ".join(words(text)).encode("utf-8")).hexdigest()


def content_hash(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    return hashlib.sha1(data).hexdigest()


_SENTENCE_END = re.compile(r"(?<=[.!?\u201d\"'])\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|St|No|Prof|Gen|Sgt|Lt|Col|Rev|Hon|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
                     r"Sep|Sept|Oct|Nov|Dec|Co|Ltd|Inc|vs|etc|e\.g|i\.e)\.$")


def sentences(text: str, first: int | None = None) -> list[str]:
    """Sentences of a text, one paragraph never spanning two (abbreviations kept whole);
    ``first``: only the first so many (the text read no further than they need)."""
    out = []
    for paragraph in (text or "").splitlines():
        if first is not None and len(out) >= first:
            return out[:first]
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        pending = ""
        for piece in _SENTENCE_END.split(paragraph):
            pending = f"{pending} {piece}".strip() if pending else piece
            if not _ABBREV.search(pending):
                out.append(pending)
                pending = ""
        if pending:
            out.append(pending)
    return out if first is None else out[:first]


# Function words: never key terms, never counted nouns.
STOPWORDS = frozenset("""
a about above after again against all almost also although am among an and another any are aren't
around as at be because been before being below between both but by can cannot could couldn't
did didn't do does doesn't doing don't down during each either else even ever every few for from
further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself
just last least less let's like made make many may me might more most much must mustn't my myself
near nearly neither never new no nor not now of off often on once one only or other others ought
our ours ourselves out over own per perhaps quite rather really said same say says shan't she
she'd she'll she's should shouldn't since so some still such than that that's the their theirs
them themselves then there there's these they they'd they'll they're they've this those though
through to too told under until up upon us very via was wasn't we we'd we'll we're we've were
weren't what what's when when's where where's whether which while who who's whom whose why why's
will with within without won't would wouldn't yes yet you you'd you'll you're you've your yours
yourself yourselves mr mrs ms dr sir week weeks year years day days time times today yesterday
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december according added asked including told going get got
""".split())


@lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """A crude singular: "calls" -> "call", "charities" -> "charity", "mps" -> "mp"."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@lru_cache(maxsize=1 << 18)
def specificity(word: str) -> float:
    """How telling a word is: rare words high, common words low (from wordfreq's Zipf scale)."""
    from wordfreq import zipf_frequency  # imported lazily: its word list takes a moment to load

    return max(0.3, 7.0 - zipf_frequency(word, "en"))


# Case-blind patterns searched faster: the text lower-cased once and a case-sensitive twin of
# the pattern, written in lower case, searched in it (Python's regex engine is 2-4 times
# slower case-blind on a whole article). Exact for every text but those holding a letter
# whose lower case a case-blind regex does not equate with its own (the Kelvin sign, the
# long s, the Turkish dotted and dotless i; the dotted capital I also lower-cases to two
# characters): those are searched as before.
_ODD_CASE = re.compile("[\u212a\u017f\u0130\u0131]")


@lru_cache(maxsize=None)
def _case_kept(pattern: re.Pattern) -> re.Pattern:
    source = pattern.pattern
    # (lower-cased, an escape such as \S or \W, or an inline case flag, would change its meaning)
    assert pattern.flags & re.I and not re.search(r"\\[A-Z]|\(\?[a-z]*-?i", source), source
    return re.compile(source.lower(), pattern.flags & ~re.I)


def blind_search(pattern: re.Pattern, text: str) -> bool:
    """Whether a case-blind pattern is found in the text (``pattern.search``, faster)."""
    if _ODD_CASE.search(text):
        return pattern.search(text) is not None
    return _case_kept(pattern).search(text.lower()) is not None


def blind_sub(pattern: re.Pattern, repl: str, text: str) -> str:
    """``pattern.sub(repl, text)`` for a case-blind pattern and a plain replacement, faster."""
    if _ODD_CASE.search(text):
        return pattern.sub(repl, text)
    kept, last = [], 0
    for m in _case_kept(pattern).finditer(text.lower()):  # (same offsets: lower case kept every length)
        kept += (text[last:m.start()], repl)
        last = m.end()
    return "".join(kept) + text[last:] if kept else text
