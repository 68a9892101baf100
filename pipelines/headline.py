"""The headline as published: what the page declares (JSON-LD, ``og:title``,
``twitter:title``, ``<title>``) and what it prints (its ``<h1>`` or marked heading), chosen
by agreement, without the site's name, a kicker or a section label.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlsplit

from pipelines.markup import DOMAIN_NAME, SITE_SEPARATOR, TITLE_SEPARATOR, name_key, url_parts
from pipelines.text import words

_HEADLINE_CLASS = re.compile(r"(?:entry|post|article|story|page|news)[-_]?(?:title|headline)|\bheadline\b", re.I)
DECLARED = ("jsonld", "og:title", "twitter:title", "title")  # headline sources in the page's metadata, best first


def headline(tree, declared: dict, site_names: list, url: str) -> tuple[str | None, str | None]:
    """The headline as published, and where it came from.

    Candidates: the headline the page declares (JSON-LD, og:title, twitter:title, <title>),
    each without the outlet's name around it; and the headline it prints (an <h1>, or a
    heading marked as the headline). The printed one wins when it is the article's (it shares
    telling words with the declared ones; a logo or a section name does not), except that a
    headline two declared sources agree on, printed after a kicker or a section in a longer
    heading, is taken alone. Otherwise the headline most sources agree on; else
    the first declared one.
    """
    sites = site_keys(site_names, url)
    clean = {}
    for source in DECLARED:
        value = _strip_site(_unescape(declared.get(source)), sites)
        if value:
            clean[source] = value
    support: dict[str, list] = {}
    for source, value in clean.items():
        support.setdefault(name_key(value), []).append(source)
    agreed = max(support.items(), key=lambda kv: (len(kv[1]), -DECLARED.index(kv[1][0])), default=(None, []))
    agreed_text = clean[agreed[1][0]] if len(agreed[1]) >= 2 else None
    printed = _printed_headline(tree, clean, sites)
    if printed:
        # A kicker or section before it is left out; words after it are the headline's own
        # (the declared one shortened for sharing: "Headline" printed as "Headline in Full").
        # (Not a quotation opening the heading: '"Pure Leere": Headline' is the headline.)
        if agreed_text and agreed[0] != name_key(printed) and agreed[0] in name_key(printed) \
                and not _QUOTE_OPENING.match(printed) and (
                not name_key(printed).startswith(agreed[0]) or name_key(_strip_site(printed, sites) or "") == agreed[0]):
            return agreed_text, agreed[1][0]
        # Printed as declared: credited to the declaration.
        same = next((source for source, value in clean.items() if value == printed), None)
        return printed, same or "h1"
    if agreed_text:
        return agreed_text, agreed[1][0]
    for source in DECLARED:
        if source in clean:
            if source == "title":
                # "Section - Headline - Site" with no other source to agree: its longest part.
                return max(TITLE_SEPARATOR.split(clean[source]), key=len), source
            return clean[source], source
    return None, None


_QUOTE_OPENING = re.compile("[\"'\u201c\u201e\u00ab\u2018\u201a\u00bb]")


def _printed_headline(tree, declared: dict, sites: set) -> str | None:
    """The article's printed headline: of the page's <h1>s and the headings marked as the
    headline, the one sharing the most telling words with the declared headlines (the
    <title>'s first part only: its other parts name the site or the section), so long as it
    shares one and is not the outlet's name. A heading built of parts (a kicker, a date, then
    the headline) gives the part a declared headline matches, when one does."""
    # A lower heading that is, word for word, a declared headline (or its part before the
    # site's name) is a candidate too: a page whose <h1> is its logo or a box's title prints
    # its headline in an <h2>.
    parts = {name_key(part) for value in declared.values() for part in (value, TITLE_SEPARATOR.split(value)[0])}
    headings = [_paragraph_headed(h) for h in tree.iter("h1")] + [
        h for h in tree.iter("h2", "h3") if _HEADLINE_CLASS.search(
            f"{h.get('class', '')} {h.get('itemprop', '')} {h.get('id', '')}") or name_key(h.text_content()) in parts]
    # (An empty one is no heading; one that is a link to the front page is the logo.)
    headings = [h for h in headings if h.text_content().strip() and not _front_page_link(h)]
    wanted = [v for k, v in declared.items() if k != "title"]
    only_title = not wanted
    if declared.get("title"):
        wanted.append(TITLE_SEPARATOR.split(declared["title"])[0])
    telling_declared = [{w for w in words(d) if len(w) > 3} or set(words(d)) for d in wanted]
    keys = {name_key(d) for d in declared.values()}
    # A heading is the site's when it holds the site's name among a few words, unless the
    # declared headlines (not the <title>) hold that name too: "Hummeln" is a site's name and
    # a word of its headline "Tote Hummeln unter Linden".
    named = {s for s in sites if not any(s in name_key(v).replace(" ", "") for k, v in declared.items() if k != "title")}
    best, best_shared = None, 0
    for h in headings:
        text = " ".join(h.text_content().split())
        if not text or len(text.split()) > 40 or _is_site(text, named) or name_key(text) in sites \
                or name_key(text).replace(" ", "") in sites:
            continue
        telling = {w for w in words(text) if len(w) > 3} or set(words(text))
        shared = max((len(telling & d) for d in telling_declared), default=0)
        if wanted and not shared and not (only_title and len(headings) == 1):
            continue  # a logo, a section's name, a box's title (a page's one heading is its own)
        if not wanted and len(headings) > 1:
            continue  # nothing to tell the article's heading from the others
        if shared > best_shared or best is None:
            best, best_shared = h, shared
    if best is None:
        return None
    for part in _heading_parts(best):
        if name_key(part) in keys:
            return part
    return _without_kicker(best)


def _front_page_link(h) -> bool:
    """A heading that is, all of it, one link to the site's front page: the logo."""
    links = list(h.iter("a"))
    if len(links) != 1 or " ".join(links[0].text_content().split()) != " ".join(h.text_content().split()):
        return False
    try:
        path = urlsplit(links[0].get("href") or "").path
    except ValueError:
        return False
    return path.strip("/") in ("", "index.html", "index.php")


def _paragraph_headed(h):
    """An <h1> written round a paragraph (``<h1><p>Headline</p></h1>``): the parser closes
    the heading at the <p>, leaving it empty and the paragraph after it; that paragraph is
    the heading's text."""
    after = h.getnext()
    if len(h) == 0 and not h.text_content().strip() and not (h.tail or "").strip() and after is not None \
            and after.tag == "p" and not after.get("class") and 0 < len(after.text_content().split()) <= 40:
        return after
    return h


def _heading_parts(h) -> list[str]:
    """The separately marked-up parts of a heading: its own text and each child's."""
    parts = [" ".join((h.text or "").split())]
    for child in h:
        if not _kicker(child):  # (the kicker is no part of the headline, whatever it declares)
            parts.append(" ".join(child.text_content().split()))
        parts.append(" ".join((child.tail or "").split()))
    return [p for p in parts if p and len(p.split()) >= 2]


_KICKER = re.compile(r"dachzeile|topline|kicker|overline|roofline|eyebrow|supertitle|pretitle|h\dsmall|"
                     r"\bdate\b|\btime\b|rubrik|category", re.I)


def _kicker(el) -> bool:
    return isinstance(el.tag, str) and (el.tag in ("small", "time") or bool(_KICKER.search(el.get("class", ""))))


def _without_kicker(h) -> str:
    """A heading's text without the line set above the headline (a kicker, a date) in its own
    element: <small>, <time>, or a class that says so."""
    skip = {el for el in h.iterdescendants() if _kicker(el)}
    if not skip:
        return " ".join(h.text_content().split())
    pieces = []

    def walk(el):
        if el in skip:
            return
        pieces.append(el.text or "")
        for child in el:
            walk(child)
            pieces.append(child.tail or "")
    walk(h)
    text = " ".join(" ".join(pieces).split())
    return text if len(text.split()) >= 2 else " ".join(h.text_content().split())



def _unescape(value):
    return html_lib.unescape(" ".join(value.split())) if isinstance(value, str) and value.strip() else None



def site_keys(site_names: list, url: str) -> set:
    """How the outlet's name may be written: its declared names, and its host's name
    ("petri-heil.ch": "petri heil", "petriheil")."""
    keys = set()
    for name in site_names:
        if isinstance(name, str) and name.strip():
            keys.add(name_key(name))
            keys.add(name_key(name).replace(" ", ""))
            if DOMAIN_NAME.match(name.strip()):  # "Example.com" is the outlet "Example"
                keys.add(name_key(name.strip().rsplit(".", 1)[0]).replace(" ", ""))
    parts = url_parts(url or "")
    if parts is not None and parts.hostname == "web.archive.org" and "/http" in parts.path:
        parts = url_parts(parts.path[parts.path.index("/http") + 1:])  # an archived copy: the page's own site
    if parts is not None:
        host = (parts.hostname or "").removeprefix("www.").split(".")
        for i, label in enumerate(host[:-1]):
            if len(label) >= 3 or (i == 0 and len(host) == 2):  # (a short name's own: "dw.com")
                keys.add(name_key(label))
                keys.add(name_key(label).replace(" ", ""))
        keys.add(name_key(".".join(host)).replace(" ", ""))
    keys.discard("")
    return keys


def _strip_site(value: str | None, sites: set) -> str | None:
    """A declared headline without the outlet's name before or after it ("Headline | Site")."""
    if not value:
        return None
    # The parts between separators, as spans: what is left is the value as written, its own
    # separators kept ("30.11. | Buch der Woche - Name • 1619" is not rewritten with dashes).
    spans, at = [], 0
    for m in SITE_SEPARATOR.finditer(value):
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(value)))
    first, last = 0, len(spans)
    while last - first > 1 and _is_site(value[spans[last - 1][0]:spans[last - 1][1]], sites):
        last -= 1
    while last - first > 1 and _is_site(value[spans[first][0]:spans[first][1]], sites):
        first += 1
    if last - first == 1 and _is_site(value[spans[first][0]:spans[first][1]], sites):
        return None  # the <title> is the outlet's name alone
    return " ".join(value[spans[first][0]:spans[last - 1][1]].split())


def _is_site(segment: str, sites: set) -> bool:
    key = name_key(segment)
    squashed = key.replace(" ", "")
    if not key:
        return True
    if key in sites or squashed in sites:
        return True
    # A short segment naming the host ("Diario HOY" on hoy.com, "petri-heil.ch | Dein Magazin").
    return len(key.split()) <= 4 and any(len(s) >= 4 and s in squashed for s in sites)
