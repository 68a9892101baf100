"""Small readers of a page's markup and text that the clean stage's modules share (``clean``,
``refusal``, ``body``, ``furniture``, ``headline``, ``byline``, ``published``)."""

from __future__ import annotations

import functools
import html as html_lib
import re
from urllib.parse import urljoin, urlsplit

from pipelines.text import words

# Elements that hold a block of a page's text.
BLOCKS = {"p", "div", "li", "td", "dd", "blockquote", "section", "article", "ul", "ol", "table", "header", "footer",
          "aside", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6"}
# A host name written as a name ("example.com", "www.example.co"): an outlet, not a person.
DOMAIN_NAME = re.compile(r"^(?:www\.)?[\w-]+\.[a-z]{2,6}$", re.I)

# What stands between a headline and the site's name in a <title>.
SEPARATORS = "|\\-\u2013\u2014\u00b7\u2022\u00bb\u00ab\u2039\u203a~/"  # (as a character class's body)
TITLE_SEPARATOR = re.compile(rf"\s+(?:[{SEPARATORS}]|::)\s+")
# Between a headline and the site's name a colon set apart by spaces separates too ("Muffin
# Grundrezept : Muffin Rezepte"); it is not a headline's own separator (French sets "Guinée : ...").
SITE_SEPARATOR = re.compile(rf"\s+(?:[{SEPARATORS}:]|::)\s+")


def as_list(value) -> list:
    """A JSON-LD value that may be one item or a list of them, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def name_key(text: str) -> str:
    """A name or title as compared: its words, lower-cased, without punctuation."""
    return " ".join(words(text))


@functools.lru_cache(maxsize=8192)
def marked_as(pattern: re.Pattern, cls: str | None, id_: str | None, prop: str | None) -> bool:
    """Whether an element's class, id or itemprop holds what ``pattern`` finds (asked of most
    elements of every page, where the same few values recur: the answers are kept)."""
    return pattern.search(f"{cls or ''} {id_ or ''} {prop or ''}") is not None


def url_parts(url: str, base: str | None = None):
    """An http(s) address's parts (``urlsplit``), read against ``base``; None where it gives
    no web address: another scheme, no host, a port that is no port, an unclosed IPv6
    bracket ("http://[x/")."""
    try:
        parts = urlsplit(urljoin(base, url) if base else url or "")
        parts.port  # noqa: B018 (raises for a port out of range or not a number)
    except ValueError:
        return None
    return parts if parts.scheme in ("http", "https") and parts.hostname else None


# The types (schema.org, lower-cased) an article declares itself by.
ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
                 "blogposting", "report"}
STORY_LINE_WORDS = 15  # a line this long, ending as a sentence ends, is a paragraph of prose


def story_line(line: str) -> bool:
    """A paragraph of the story: a sentence or more of prose, not a link's or a list's line."""
    line = line.strip()
    return len(line.split()) >= STORY_LINE_WORDS and line[-1:] in ".!?\"”'’)" \
        and not line.startswith(("-", "•", "|"))


def page_text(tree) -> str:
    """All of the page's body text, on one line."""
    return " ".join(" ".join(tree.body.itertext()).split()) if tree.find("body") is not None else ""


_SKIPPED_AROUND = ("aside", "nav", "footer", "header")
_SKIPPED_MARKS = re.compile(r"\b(?:sidebar|menu|nav)")


def skipped(el) -> bool:
    """An element extraction skips as page furniture: an aside, a menu, a footer."""
    return el.tag in _SKIPPED_AROUND or bool(_SKIPPED_MARKS.search(f"{el.get('class', '')} {el.get('id', '')}"))


_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gv"}


def site_of(netloc: str) -> str:
    """The site a host belongs to: its registered name ("edition.cnn.com" and "www.cnn.com"
    are one site; "bbc.co.uk", not "co.uk")."""
    labels = netloc.lower().split("@")[-1].split(":")[0].split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def plain_text(value):
    """A declared string value (JSON-LD, meta) as plain text on one line; None for no text."""
    if isinstance(value, str):
        # (CMSs write HTML's entities into JSON-LD: "Jos&#xE9;" is "José")
        return " ".join((html_lib.unescape(value) if "&" in value else value).split()) or None
    return None
