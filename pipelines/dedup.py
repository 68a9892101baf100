"""Dedup stage: one story however many URLs, copies grouped.

Tier 1 is the URL: the page's canonical link (when it points at the same site),
the normalised form of every URL it was fetched under (tracking parameters, AMP
and mobile variants, trailing slashes removed). Tier 2 is an exact hash of the
normalised words. Tier 3 is near-duplicates: a MinHash signature of the text's word
shingles, banded for LSH so candidates come from an indexed table, then checked on
sentences (the shorter text's own sentences found in the other: ``copy_coverage``).
``decide`` turns the keys and what the archive already holds into one decision; the
archive applies it inside its write transaction, so pages of one batch see each other.
"""

from __future__ import annotations

import functools
import re
import string
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from pipelines.text import STOPWORDS, normalise, specificity, text_hash, words

# Query parameters that track the reader, not the content.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid|ocid|cmpid|cmp|icid|"
    r"ito|ns_\w+|at_\w+|ref|ref_src|referrer|share|smid|sr_share|rss|"
    r"amp|outputtype|print)$",
    re.I,
)
_MOBILE_HOST = re.compile(r"^(m|mobile|amp)\.")
_AMP_PATH = re.compile(r"(?:/amp(?=/|$)|\.amp(?=$|\.html?$))", re.I)
_INDEX_FILE = re.compile(r"/index\.(?:html?|php)$", re.I)


def normalise_url(url: str) -> str:
    """The form of a URL that all its trivial variants share. Never raises: a string that
    is not a URL (a broken link in a feed, say) is its own key."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # an unclosed [IPv6] bracket, a port that is not a number
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    host = _MOBILE_HOST.sub("", host)
    if host.startswith("www."):
        host = host[4:]
    # http and https are folded into one below, so either's default port is no port.
    netloc = host if port is None or (scheme in ("http", "https") and port in (80, 443)) else f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    path = _INDEX_FILE.sub("/", path)
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not TRACKING_PARAMS.match(k))
    # http and https variants of one page are one page.
    return urlunsplit(("https" if scheme in ("http", "https") else scheme, netloc, path,
                       urlencode(query), "")).strip()


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one site (so a canonical link between them can be trusted)."""
    return urlsplit(normalise_url(a)).netloc == urlsplit(normalise_url(b)).netloc


def is_authoritative(requested_url: str, url: str, canonical_url: str | None) -> bool:
    """Whether this fetch speaks for the story's text: it names no canonical URL on its
    own site, or it was fetched at exactly that URL."""
    if not canonical_url or not same_site(canonical_url, url):
        return True
    return canonical_url in (url, requested_url)


def page_keys(requested_url: str, url: str, canonical_url: str | None, text: str):
    """(urls, keys, text_hash) for a fetched page.

    ``urls`` are the page's URLs as seen (canonical link first), ``keys`` their
    normalised forms. A canonical link to another site is not an identity:
    syndicated copies often point at the original, and they are stored as their
    own stories.
    """
    urls = []
    for candidate in (canonical_url if canonical_url and same_site(canonical_url, url) else None,
                      url, requested_url):
        if candidate and candidate not in urls:
            urls.append(candidate)
    keys = list(dict.fromkeys(normalise_url(u) for u in urls))
    return urls, keys, text_hash(text)


@dataclass(frozen=True)
class Decision:
    # new | unchanged | new_url | revision | known_version | better_text | same_text | new_version | copy
    action: str
    story_id: int | None = None


def decide(urls: list[str], fetched_urls: list[str], authoritative: bool, keys: list[str],
           text_hash_: str, outlet: str,
           story_for_keys: Callable[[list[str]], dict | None],
           story_for_hash: Callable[[str, str], dict | None],
           near_duplicate: Callable[[], dict | None] = lambda: None) -> Decision:
    """Where a page belongs, given lookups into the archive.

    ``story_for_keys`` returns the story (id, text_hash, urls: {url: text hash
    it last served}, versions: the text hashes of its revisions) holding any of the normalised keys; ``story_for_hash`` the
    story of the same outlet with the same text hash; ``near_duplicate`` the closest
    near-duplicate story (preferring the same outlet's), or None.

    A revision is an ``authoritative`` fetch (at the page's own canonical URL, or
    of a page that names none) whose URL served other text before and now serves
    text the story does not have yet. A variant (AMP, print, tracking URL) whose
    text differs a little from the main page is the same story, not an edit.
    """
    story = story_for_keys(keys)
    if story is not None:
        changed = any(story["urls"].get(u) not in (None, text_hash_) for u in fetched_urls)
        if authoritative and changed and story["text_hash"] != text_hash_:
            # Text the story had in an earlier revision (an edit undone, or a site that
            # serves two versions by turns) is that version again, not a new revision.
            if text_hash_ in story.get("versions", ()):
                return Decision("known_version", story["id"])
            return Decision("revision", story["id"])
        if authoritative and not story["text_authoritative"] and story["text_hash"] != text_hash_:
            # The story was first seen through a variant (AMP, tracking URL): the page
            # itself now gives its proper text. Same version, better copy: not an edit.
            return Decision("better_text", story["id"])
        if set(urls) - set(story["urls"]):
            return Decision("new_url", story["id"])
        return Decision("unchanged", story["id"])
    story = story_for_hash(text_hash_, outlet)
    if story is not None:
        # Same words, same outlet, another URL: one story reachable two ways.
        return Decision("same_text", story["id"])
    match = near_duplicate()  # the closest near-duplicate archived, if any: {id, outlet}
    if match is not None:
        # Same outlet: a new version of its story at another URL. Another outlet: a copy.
        return Decision("new_version" if match["outlet"] == outlet else "copy", match["id"])
    return Decision("new")


# --- near-duplicates -------------------------------------------------------------------

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
MINHASH_BLOCK = 4096  # shingles hashed at once
_rng = np.random.default_rng(20181019)  # fixed: signatures must agree across runs and processes
_A = _rng.integers(1, 2**63 - 1, size=512, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63 - 1, size=512, dtype=np.uint64)
_POWERS = np.array([pow(1_000_003, k, 2**64) for k in range(16)], dtype=np.uint64)


@dataclass(frozen=True)
class NearDupSettings:
    permutations: int = 128
    # 64 bands of 2 rows: a copy cut to its first quarter (resemblance about 0.25) is a
    # candidate 98% of the time, one cut to a tenth about half the time.
    bands: int = 64
    shingle: int = 5
    # From signatures alone (``is_near_duplicate``, where no text is at hand; the archive
    # always has both texts and decides on sentences below): the shorter's shingles this
    # much inside the longer.
    containment: float = 0.8
    # A wire brief of a long story's first paragraphs resembles it little but is held
    # whole in it: resemblance only needs to show the texts are of one order of length.
    min_resemblance: float = 0.1
    # With the same headline (outlet names stripped), less of the text need match.
    containment_same_title: float = 0.6
    # Below this resemblance, containment estimated from signatures is too rough (one
    # standard error is a tenth or more): it is measured exactly on the two texts.
    exact_below: float = 0.5
    # With both texts at hand, a copy is decided on sentences (``copy_coverage``): the
    # share of the shorter text's own sentences found in the longer, from which (and
    # from which in each half of it) two texts are one article, and the share of its
    # subjects the longer must have. Chosen on the dev split of real republished news
    # (benchmarks/wirecopies.py); with the same headline, a little less is asked.
    coverage: float = 0.65
    coverage_same_title: float = 0.55
    coverage_each_half: float = 0.25
    subjects: float = 0.6
    # Texts this alike in their signatures are one article without looking further; so
    # are texts resembling each other at least ``exact_below`` (where the estimate is
    # good) with the shorter this much inside the longer (a trimmed or extended copy).
    identical: float = 0.8
    contained: float = 0.95
    # Candidates whose signatures put less of the shorter text in the longer than this
    # are not worth reading (real copies with heavy edits and furniture showed 0.2).
    coverage_floor: float = 0.15
    # ... and at most this many are read for one page, those most inside it first.
    verify_most: int = 4

    @property
    def layout(self) -> str:
        """What the archive's band keys depend on."""
        return f"{self.permutations}x{self.shingle}/{self.bands}+lede{LEDE_WORDS}"

    @classmethod
    def from_settings(cls, settings) -> "NearDupSettings":
        return cls(settings.getint("NEWSMON_DEDUP_PERMUTATIONS"), settings.getint("NEWSMON_DEDUP_BANDS"),
                   settings.getint("NEWSMON_DEDUP_SHINGLE"), coverage=settings.getfloat("NEWSMON_DEDUP_COVERAGE"))


def shingle_hashes(text: str, shingle: int = 5) -> np.ndarray:
    """64-bit hashes of the text's word shingles (normalised words), computed in bulk."""
    tokens = words(text)
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    n = max(1, len(ids) - shingle + 1)
    k = min(shingle, len(ids))
    with np.errstate(over="ignore"):
        hashed = np.zeros(n, dtype=np.uint64)
        for j in range(k):
            hashed = hashed + ids[j:j + n] * _POWERS[j]
    return np.unique(hashed)


def minhash(text: str, settings: NearDupSettings = NearDupSettings()) -> tuple[np.ndarray, int]:
    """(signature, number of distinct shingles): the signature's positions agree between
    two texts about as often as their shingle sets overlap (Jaccard resemblance)."""
    hashes = shingle_hashes(text, settings.shingle)
    a, b = _A[:settings.permutations], _B[:settings.permutations]
    signature = np.full(settings.permutations, _MASK, dtype=np.uint64)  # (a text of no words keeps it)
    with np.errstate(over="ignore"):
        # (a block of shingles at a time: all at once, a 200,000-word text took 400 MB)
        for start in range(0, hashes.size, MINHASH_BLOCK):
            np.minimum(signature, (np.outer(hashes[start:start + MINHASH_BLOCK], a) + b).min(axis=0), out=signature)
    return signature, int(hashes.size)


def lsh_bands(signature: np.ndarray, bands: int) -> list[int]:
    """One 63-bit key per band: texts sharing any band key are candidates."""
    data = np.ascontiguousarray(signature).tobytes()
    step = len(data) // bands
    return [zlib.crc32(data[i * step:(i + 1) * step]) | (i << 32) for i in range(bands)]


# A story's opening is indexed on its own: a wire brief keeps the first paragraphs of a
# long story and cuts the rest, so the two resemble each other too little for the
# whole-text bands to meet reliably (a 115-word brief of a 760-word story: 0.15), while
# their openings are the same text. A republisher often puts its own lines above that
# opening ("This story originally appeared in ...", a kicker) and an outlet its bullet
# summary: so the opening is indexed twice, as the text starts and from its first line of
# prose (a sentence of COPY_MIN_LINE words or more ending as a sentence does).
LEDE_WORDS = 80
LEDE_BANDS, LEDE_ROWS = 8, 4
_PROSE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*$")


@functools.lru_cache(maxsize=256)  # asked for a page's text twice: looking up, then indexing
def lede_bands(text: str, settings: NearDupSettings = NearDupSettings()) -> list[int]:
    """Band keys of the text's first LEDE_WORDS words (none for a shorter text) and, when
    other lines stand above its first line of prose, of the first LEDE_WORDS words from
    there; numbered after the whole-text bands so that the two never meet. Both openings
    share their numbers: a brief that starts at the prose meets a story that puts its
    summary above it, and the other way round."""
    keys = _opening_bands(text, settings)
    start = prose_start(text)
    if start:
        keys += [key for key in _opening_bands(text[start:], settings) if key not in keys]
    return keys


def prose_start(text: str) -> int:
    """Where the text's first line of prose begins (0: at once, or no such line in its
    opening)."""
    offset = 0
    for line in text[:LEDE_WORDS * 40].split("\n"):
        stripped = line.strip()
        if len(stripped.split()) >= COPY_MIN_LINE and _PROSE_END.search(stripped):
            return offset
        offset += len(line) + 1
    return 0


def _opening_bands(text: str, settings: NearDupSettings) -> list[int]:
    tokens = words(text[:LEDE_WORDS * 20])  # the opening only: no need to read on
    if len(tokens) <= LEDE_WORDS:  # (the last word may be cut there)
        tokens = words(text)
    tokens = tokens[:LEDE_WORDS]
    if len(tokens) < LEDE_WORDS:
        return []
    signature, _ = minhash(" ".join(tokens), settings)
    rows = signature[:LEDE_BANDS * LEDE_ROWS].reshape(LEDE_BANDS, LEDE_ROWS)
    return [zlib.crc32(row.tobytes()) | ((settings.bands + i) << 32) for i, row in enumerate(rows)]


def similarity(sig_a: np.ndarray, n_a: int, sig_b: np.ndarray, n_b: int) -> tuple[float, float]:
    """(resemblance, containment) estimated from signatures and shingle counts.

    Containment is the share of the shorter text's shingles found in the longer: a copy
    trimmed of its last paragraphs, or with a paragraph added, is still contained."""
    j = float(np.mean(sig_a == sig_b))
    if not n_a or not n_b:
        return j, 0.0
    inter = j * (n_a + n_b) / (1 + j)
    return j, min(1.0, inter / min(n_a, n_b))


def containment(text_a: str | np.ndarray, text_b: str | np.ndarray, shingle: int = 5) -> float:
    """The share of the shorter text's shingles found in the other, counted exactly (either
    side may be given as its ``shingle_hashes`` already)."""
    a, b = (t if isinstance(t, np.ndarray) else shingle_hashes(t, shingle) for t in (text_a, text_b))
    if not a.size or not b.size:
        return 0.0
    return float(np.intersect1d(a, b, assume_unique=True).size) / min(a.size, b.size)


# --- copies, decided on sentences ------------------------------------------------------
#
# Shingle containment fails on real republished news both ways. A wire copy with a new
# opening, captions, "RELATED:" lines and a copy edit every sentence or two keeps a third
# to a half of its 5-word shingles; two independent reports that quote the same note or
# statement at length share most of theirs. So a copy is decided on sentences: the share
# of the shorter text's *own* sentences (not quotations, not first-person text such as a
# statement, a letter or a post reproduced without quotation marks) that are found in
# the other text, most of their word triples present, whatever the edits around them.
# Lines of fewer than COPY_MIN_LINE words (headlines, bylines, credits, "Share this") do
# not count, and the sentences found must run through the text, not sit in one end of
# it (a site's boilerplate closing two different articles).

COPY_MIN_LINE = 10
_SENTENCE_FOUND = 0.5  # share of a sentence's word triples that makes it found
_OWN_MIN_WORDS = 30    # a text with fewer words of its own is judged on all its sentences
_FIRST_PERSON = frozenset("i me my myself mine we us our ours ourselves".split())
# A "sentence" longer than this is a list the page kept in its text (a sign-up form's
# countries), not prose: it is no text's own, or one stored block of a site's furniture
# would outweigh the story it sits in. So is a line longer than _BLOCK_WORDS that says one
# phrase _BLOCK_REPEATS times or more (a gallery's captions run together, its title before
# each): a story whose paragraph breaks were lost is long too, but does not repeat itself.
_LIST_WORDS = 120
_BLOCK_WORDS = 200
_BLOCK_REPEATS = 3
# A text's subjects: its words most often used and least common in the language. Two
# texts made from one template (a hoax site's death notice, a results page) share their
# sentences but not their subjects: the other text must have most of them.
_SUBJECTS = 5


@dataclass(frozen=True)
class Prose:
    """A text as ``copy_coverage`` reads it: the word-triple hashes of its sentences, the
    sentence each triple belongs to, and per sentence its words and whether it is the
    text's own. Made and compared in one process (the hashes are that process's)."""

    grams: np.ndarray        # triple hashes, sentence by sentence
    gram_sentence: np.ndarray
    unique: np.ndarray       # the distinct triple hashes, sorted
    words: np.ndarray        # per sentence: words
    own: np.ndarray          # per sentence: not a quotation, not first-person
    tokens: tuple            # its words, in order (for its subjects, worked out when needed)
    vocabulary: frozenset    # every word of it


# Sentence ends and word characters, cheaply: this runs on the archive's single writer.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\"'])\s+(?=[\"'(]?[A-Z0-9])")
_TO_SPACE = str.maketrans({c: " " for c in string.punctuation if c != "'"})
_QUOTE_MARK = re.compile(r"[\"']")


def _quoted_share(sentence: str, inside: bool) -> tuple[float, bool]:
    """(share of the sentence's characters inside quotation marks, whether a quotation is
    still open at its end). An apostrophe between letters is no quotation mark; one
    after a space opens a quotation, one before a space or stop closes it."""
    start = 0 if inside else None
    quoted = 0
    for mark in _QUOTE_MARK.finditer(sentence):
        i = mark.start()
        if mark.group() == "'":
            before = i > 0 and sentence[i - 1].isalnum()
            after = i + 1 < len(sentence) and sentence[i + 1].isalnum()
            if before and after:
                continue  # don't, Patel's
            opening = after and not before and start is None
            closing = start is not None and not after
            if not (opening or closing):
                continue
        if start is None:
            start = i
        else:
            quoted += i - start
            start = None
    if start is not None:
        quoted += len(sentence) - start
    return quoted / max(len(sentence), 1), start is not None


def _repeats(line: str) -> bool:
    """Whether a line says one phrase again and again (a gallery's title before each of its
    captions, "Hide Caption 3 of 37"): a block of the page's furniture run together."""
    words_ = line.lower().split()
    runs = Counter(zip(words_, words_[1:], words_[2:], words_[3:]))
    return max(runs.values(), default=0) >= _BLOCK_REPEATS


@functools.lru_cache(maxsize=256)  # a page meets several candidates; a story, several pages
def prose(text: str) -> Prose:
    tokens: list[str] = []
    starts, own = [0], []
    for line in (text or "").splitlines():
        length = len(line.split())
        if length < COPY_MIN_LINE:
            continue
        block = length > _BLOCK_WORDS and _repeats(line)
        if not line.isascii():
            line = normalise(line)
        inside = False  # a quotation can run across the sentences of one paragraph
        for sentence in _SENTENCE_SPLIT.split(line):
            share = 0.0
            if inside or '"' in sentence or "'" in sentence:
                share, inside = _quoted_share(sentence, inside)
            # Words: punctuation to spaces; quotation marks (not apostrophes) dropped.
            words_ = f" {sentence.lower()} ".translate(_TO_SPACE).replace(" '", " ").replace("' ", " ").split()
            if len(words_) < 3:
                continue
            tokens += words_
            starts.append(len(tokens))
            own.append(share < 0.5 and _FIRST_PERSON.isdisjoint(words_) and len(words_) <= _LIST_WORDS and not block)
    if not own:
        empty = np.zeros(0, dtype=np.uint64)
        return Prose(empty, np.zeros(0, dtype=np.int64), empty, np.zeros(0), np.zeros(0, dtype=bool), (), frozenset())
    # Python's own string hash: fast, and stable within one process, which is all a Prose
    # needs (it is compared with another made in the same process, never stored).
    ids = np.fromiter(map(hash, tokens), dtype=np.int64, count=len(tokens)).view(np.uint64)
    bounds = np.array(starts)
    sentence_of = np.repeat(np.arange(len(own)), np.diff(bounds))
    # Word triples inside one sentence: those starting in its last two words are left out.
    keep = np.ones(len(tokens) - 2, dtype=bool)
    for back in (1, 2):
        ends = bounds[1:] - back
        keep[ends[ends < len(keep)]] = False
    with np.errstate(over="ignore"):
        grams = (ids[:-2] * _POWERS[0] + ids[1:-1] * _POWERS[1] + ids[2:] * _POWERS[2])[keep]
    return Prose(grams, sentence_of[:-2][keep], np.unique(grams), np.diff(bounds).astype(float),
                 np.array(own, dtype=bool), tuple(tokens), frozenset(tokens))


PHRASES = 4  # sentences of a text whose words are asked of the archive's full-text index ...
PHRASE_SPAN = 14  # ... its rarest words within this many words of the middle of each ...
PHRASE_WORDS = 3  # ... this many of them, which a copy keeps near one another
_PHRASE_WORD = re.compile(r"[a-z]{3,}")


def phrases(text: str | Prose) -> list[tuple[str, ...]]:
    """Words that a copy of the text, however edited, would hold near one another and an
    independent report would not: the ``PHRASE_WORDS`` rarest of ``PHRASE_SPAN`` words in the
    middle of each of ``PHRASES`` of its own sentences (not quotations), spread over the
    text, in their order. A copy of a short text inside a long one resembles it too little
    for its bands to meet; it still holds its sentences. (Rare words: the index reads few
    stories for each, where a phrase with "the" in it reads every story.)"""
    p = text if isinstance(text, Prose) else prose(text)
    starts = np.concatenate([[0], np.cumsum(p.words)]).astype(int)
    usable = [i for i in range(len(p.words)) if p.own[i] and p.words[i] >= PHRASE_SPAN]
    if not usable:
        return []
    picked = sorted({usable[round(k * (len(usable) - 1) / max(PHRASES - 1, 1))] for k in range(PHRASES)})
    found = []
    for i in picked:
        first = starts[i] + (int(p.words[i]) - PHRASE_SPAN) // 2
        # ("town's" is read by the index as "town" and "s")
        span = [(at, w.split("'")[0]) for at, w in enumerate(p.tokens[first:first + PHRASE_SPAN])]
        telling = [(specificity(w), at, w) for at, w in span if _PHRASE_WORD.fullmatch(w) and w not in STOPWORDS]
        if len(telling) >= PHRASE_WORDS:
            found.append(tuple(w for _s, _at, w in sorted(sorted(telling, reverse=True)[:PHRASE_WORDS],
                                                           key=lambda t: t[1])))
    return found


def _subjects(p: Prose) -> list[tuple[str, float]]:
    """(word, weight) of the words a text is most about: used most, rarest in the language."""
    counts = Counter(w for w in p.tokens if len(w) > 2 and w.isalpha() and w not in STOPWORDS)
    return [(w, weight) for weight, w in sorted(((n * specificity(w), w) for w, n in counts.items()),
                                                reverse=True)[:_SUBJECTS]]


def _weights(p: Prose) -> np.ndarray:
    own = p.words * p.own
    return own if own.sum() >= _OWN_MIN_WORDS else p.words


def copy_coverage(a: str | Prose, b: str | Prose, lazy_below: float = 0.0) -> tuple[float, float, float]:
    """(coverage, least coverage of either half, subjects): the share of the shorter
    text's own words that lie in sentences found in the other text, over the whole text
    and over each half of it (by words); and the share (by weight) of the shorter text's
    subject words that the other text has at all (not worked out, and given as 0, when
    the coverage is under ``lazy_below``). Either text may be given as its ``prose``
    already."""
    a, b = (t if isinstance(t, Prose) else prose(t) for t in (a, b))
    wa, wb = _weights(a), _weights(b)
    if not wa.sum() or not wb.sum():
        return 0.0, 0.0, 0.0
    (short, weights), other = ((a, wa), b) if wa.sum() <= wb.sum() else ((b, wb), a)
    n = len(short.words)
    # Each triple looked up in the other's sorted triples (cheaper than np.isin, which sorts both).
    at = np.minimum(np.searchsorted(other.unique, short.grams), max(len(other.unique) - 1, 0))
    found_gram = other.unique[at] == short.grams if len(other.unique) else np.zeros(len(short.grams), dtype=bool)
    hits = np.bincount(short.gram_sentence, weights=found_gram.astype(float), minlength=n)
    found = hits >= _SENTENCE_FOUND * np.bincount(short.gram_sentence, minlength=n)
    total = weights.sum()
    covered = weights * found
    # The halves are by words: a sentence across the middle is in both, word for word (one
    # long "sentence", as a text whose stops and breaks were lost has, is no half of it).
    first = np.clip(total / 2 - (np.cumsum(weights) - weights), 0, weights)
    halves = [((first * found).sum(), first.sum()), ((covered - first * found).sum(), (weights - first).sum())]
    least = min(c / w for c, w in halves if w) if any(w for _c, w in halves) else 0.0
    coverage = float(covered.sum() / total)
    if coverage < lazy_below:
        return coverage, float(least), 0.0  # not a copy whatever its subjects
    subjects = _subjects(short)
    weight = sum(w for _word, w in subjects)
    shared = sum(w for word, w in subjects if word in other.vocabulary) / weight if weight else 1.0
    return coverage, float(least), float(shared)


def is_copy(coverage: float, least_half: float, subjects: float, settings: NearDupSettings,
            same_title: bool = False) -> bool:
    """Whether two texts are one article, from ``copy_coverage``."""
    bar = settings.coverage_same_title if same_title else settings.coverage
    return coverage >= bar and least_half >= settings.coverage_each_half and subjects >= settings.subjects


def is_near_duplicate(resemblance: float, containment: float, settings: NearDupSettings,
                      same_title: bool = False) -> bool:
    if resemblance < settings.min_resemblance:
        return False
    return containment >= (settings.containment_same_title if same_title else settings.containment)


def same_title(a: str, b: str, outlet_names: list[str] = ()) -> bool:
    """Whether two headlines are one once outlet names and labels are stripped."""
    wa, wb = words(bare_title(a, outlet_names)), words(bare_title(b, outlet_names))
    return bool(wa) and wa == wb


_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\-:\u00b7]\s+")


def bare_title(title: str, outlet_names: list[str] = ()) -> str:
    """A headline without outlet suffixes or prefixes ("| The Paper", "Opinion |")."""
    parts = [p for p in _TITLE_SEPARATORS.split(title or "") if p.strip()]
    names = {n.lower() for n in outlet_names if n} | {n.lower().removeprefix("the ") for n in outlet_names if n}
    kept = [p for p in parts if p.strip().lower() not in names
            and p.strip().lower() not in ("opinion", "analysis", "comment", "live", "exclusive", "news")]
    return " ".join(" ".join(kept or parts).split())


def parse_layout(layout: str) -> dict | None:
    """The settings a recorded layout (``NearDupSettings.layout``) fixes: permutations,
    shingle and bands; None for text that is not one."""
    match = re.match(r"^(\d+)x(\d+)/(\d+)", layout or "")
    if not match:
        return None
    permutations, shingle, bands = map(int, match.groups())
    return {"permutations": permutations, "shingle": shingle, "bands": bands}
