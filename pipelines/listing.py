"""Is this page's shape a listing's? A small learned model over the figures of a page's
structure, for the listings the clean stage's rules let through.

The rules in ``refusal.judge`` each name one kind of evidence (a declared collection, teasers
holding most of the text, a forum's board). Tuned on the dev pages of the real-page set,
they refused 93% of its non-articles there, but 78% on the test pages' other sites: each
site builds its section fronts its own way. A logistic model over the same figures taken
together (how many headings are links, how much of the text is prose, what the address
names, how the teasers share the text) catches the fronts whose every single figure stays
under its rule's bar. It is trained by ``benchmarks/train_listing.py`` on the dev pages,
held out by site, and shipped as plain numbers (``listing_model.json``): no scikit-learn at
run time.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from pipelines.markup import url_parts
from pipelines.text import word_count

MODEL_FILE = "listing_model.json"
PROSE_LINE_WORDS = 15  # a line this long ending as a sentence ends is a paragraph of prose
SHORT_LINE_WORDS = 8  # a line this short is a headline, a label or a date

_LONG_NUMBER = re.compile(r"\d{4,}")
# (and as Chinese and Japanese end one: full-width stops and closing quotes)
_SENTENCE_END = (".", "!", "?", '"', "'", "\u201d", "\u3002", "\uff01", "\uff1f", "\u300d", "\u300f")


def features(tree, url: str, text: str, count: int, *, dated: bool, date_declared: bool,
             declared_article: bool, declared_site: bool, article_object: bool, declared_listing: bool,
             teasers: dict | None, address_kind: bool, names_story: bool, form_share: float) -> dict[str, float]:
    """The page's figures as the model reads them. ``url`` is the page's canonical address
    (or its own); the rest are the clean stage's readings of the page (see ``refusal.judge``).
    With ``teasers`` None, the teaser figures are left out (see ``highest``)."""
    lines = [line for line in text.splitlines() if line.strip()]
    line_words = [word_count(line) for line in lines]  # (Chinese, Japanese, Korean: no spaces to split on)
    n_lines = max(len(lines), 1)
    # Only a web address is read: a malformed one ("http://[x/") is none, and a saved file's
    # place on this disk says nothing of the page.
    address = url_parts(url)
    known = address is not None
    address = address or urlsplit("")
    path = address.path
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    # (one walk over the tree for every element counted)
    tags = Counter()
    linked_headings = 0
    for el in tree.iter("a", "h1", "h2", "h3", "article", "time", "p"):
        tag = el.tag
        tags[tag] += 1
        if tag in ("h2", "h3"):
            parent = el.getparent()
            linked_headings += el.find(".//a") is not None or (parent is not None and parent.tag == "a")
    return {
        "words": math.log1p(count),
        "dated": float(dated),
        "date_declared": float(date_declared),
        "declared_article": float(declared_article),
        "article_object": float(article_object),
        "declared_site": float(declared_site),
        "declared_listing": float(declared_listing),
        **(teaser_figures(teasers, count) if teasers is not None else {}),
        "address_known": float(known),
        "address_names_front": float(address_kind),
        "address_names_story": float(names_story),
        "address_depth": float(len(segments)),
        "address_length": math.log1p(len(path)),
        "address_slug_words": float(last.count("-") + last.count("_")),
        "address_long_number": float(bool(_LONG_NUMBER.search(path))),
        "address_ends_slash": float(path.endswith("/")),
        "address_query": float(bool(address.query)),
        "lines": math.log1p(len(lines)),
        "words_per_line": count / n_lines,
        "prose_lines": sum(1 for line, n in zip(lines, line_words) if n >= PROSE_LINE_WORDS
                           and line.rstrip().endswith(_SENTENCE_END)) / n_lines,
        "short_lines": sum(1 for n in line_words if n <= SHORT_LINE_WORDS) / n_lines,
        "form_share": form_share,
        "links": math.log1p(tags["a"]),
        "article_elements": math.log1p(tags["article"]),
        "headings": math.log1p(tags["h2"] + tags["h3"]),
        "linked_headings": math.log1p(linked_headings),
        "time_elements": math.log1p(tags["time"]),
        "h1": float(tags["h1"] > 0),
        "paragraphs": math.log1p(tags["p"]),
    }


def teaser_figures(teasers: dict, count: int) -> dict[str, float]:
    """The figures of the teasers around headline links (``refusal.teaser_figures``)."""
    return {
        "headline_links": math.log1p(teasers["links"]),
        "teasers": math.log1p(teasers["entries"]),
        "teaser_share": teasers["share"],
        "largest_teaser": teasers["top"],
        "teaser_listing": float(teasers["listing"]),
        "links_per_word": teasers["links"] / max(count, 1),
    }


def highest(figures: dict[str, float], count: int, weights: dict) -> float:
    """The highest probability the page can score, whatever its teaser figures, from the
    others: its headline links are some of its links (so are its teasers), a share lies
    between 0 and 1. Reading the teasers takes longer than all other figures together; a
    page that cannot reach the threshold is not read for them, and is judged the same."""
    links = round(math.expm1(figures["links"]))
    ranges = {"headline_links": (0.0, math.log1p(links)), "teasers": (0.0, math.log1p(links)),
              "teaser_share": (0.0, 1.0), "largest_teaser": (0.0, 1.0), "teaser_listing": (0.0, 1.0),
              "links_per_word": (0.0, links / max(count, 1))}
    logit = weights["intercept"] + sum(
        max(weigh(value) for value in (ranges[name] if name in ranges else (figures[name],)))
        for name, weigh in _weighers(weights))
    return _probability(logit)


@lru_cache(maxsize=1)
def model() -> dict | None:
    try:
        return json.loads(resources.files("pipelines").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:  # (while benchmarks/train_listing.py writes the first one)
        return None


# The model file's second model: for a saved page that states no address of its own.
UNADDRESSED = "unaddressed"


def weights_for(figures: dict[str, float]) -> dict | None:
    """The model that reads these figures: the one for pages whose address is known, or the
    one trained on saved pages that state none (it reads no figure of the address)."""
    weights = model()
    if weights is not None and not figures.get("address_known", 1.0):
        return weights.get(UNADDRESSED, weights)
    return weights


def score(figures: dict[str, float], weights: dict | None = None) -> tuple[float, list[tuple[str, float]]]:
    """The probability that the page is a listing, and each figure's part in it (log-odds,
    strongest first)."""
    weights = weights or model()
    if weights is None:
        return 0.0, []
    parts = [(name, weigh(figures[name])) for name, weigh in _weighers(weights)]
    logit = weights["intercept"] + sum(part for _name, part in parts)
    return _probability(logit), sorted(parts, key=lambda item: -item[1])


def _weighers(weights: dict):
    """(figure, its part in the log-odds as a function of its value), for each figure."""
    for name, mean, scale, coef in zip(weights["features"], weights["means"], weights["scales"], weights["coefs"]):
        yield name, lambda value, mean=mean, scale=scale, coef=coef: coef * (value - mean) / scale


def _probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))


# How a figure reads in the reason given for a refusal (its value as the page has it).
_FLAGS = {  # figure: (said when it holds, said when not)
    "dated": ("a date", "no date"),
    "date_declared": ("a date in its metadata", "no date in its metadata"),
    "declared_article": ("declared an article", "not declared an article"),
    "article_object": ("an article object", "no article object"),
    "declared_site": ("declared the site", "not declared the site"),
    "declared_listing": ("declared a collection", "not declared a collection"),
    "teaser_listing": ("teasers enough for a listing", "too few teasers for a listing"),
    "h1": ("a headline (<h1>)", "no headline (<h1>)"),
    "address_known": ("an address", "no address stated"),
    "address_names_front": ("an address that names a front, section or search", "an address that names no front"),
    "address_names_story": ("an address that names a story", "an address that names no story"),
    "address_long_number": ("a long number in the address", "no long number in the address"),
    "address_query": ("a query in the address", "no query in the address"),
    "address_ends_slash": ("an address ending in /", "an address not ending in /"),
}
_COUNTS = {  # figure (the log of one more than a count): what is counted
    "words": "words of text", "headline_links": "headline links to the site's pages", "teasers": "teasers",
    "address_length": "characters in the address's path", "lines": "lines of text", "links": "links",
    "linked_headings": "headings that are links", "headings": "headings", "article_elements": "<article> elements",
    "time_elements": "<time> elements", "paragraphs": "paragraphs",
}
_VALUES = {  # figure: how its value is written
    "teaser_share": "teasers hold {:.0%} of the text", "largest_teaser": "the largest teaser {:.0%} of it",
    "links_per_word": "{:.2f} headline links a word", "address_depth": "an address {:.0f} folders deep",
    "address_slug_words": "{:.0f} hyphens in the address's last part", "words_per_line": "{:.0f} words a line",
    "prose_lines": "{:.0%} of the lines prose", "short_lines": "{:.0%} of the lines short",
    "form_share": "{:.0%} of the lines a form's",
}


def _said(name: str, value: float) -> str:
    if name in _FLAGS:
        return _FLAGS[name][0 if value else 1]
    if name in _COUNTS:
        return f"{round(math.expm1(value))} {_COUNTS[name]}"
    return _VALUES[name].format(value)


def reason(figures: dict[str, float], probability: float, parts: list[tuple[str, float]], most: int = 3) -> str:
    """The refusal's explanation: the score and the figures that weighed most for a listing."""
    said = [_said(name, figures[name]) for name, part in parts[:most] if part > 0]
    # (a page with no address is judged by the model that reads none: said, as `--url` changes it)
    which = "the listing model" if figures.get("address_known", 1.0) else "the listing model for pages with no address"
    return f"its shape is a listing's ({probability:.2f} by {which}): " + ", ".join(said)
