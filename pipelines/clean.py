"""Clean stage: trafilatura text plus metadata, each value with where it came from.

``clean_page`` is a pure function of the decoded page, run in the crawl's worker processes
(``pipelines.page``) and by ``newsmon ingest`` and ``newsmon extract``. It reads the page's
declarations (JSON-LD, OpenGraph, article meta tags) and asks the stage's other modules:
``refusal`` whether the page holds an article at all, ``body`` for the story's text,
``headline``, ``byline`` and ``published`` for its title, authors and date. Structured data
wins over text heuristics, and the crawl time is never taken for the publication date.
"""

from __future__ import annotations

import functools
import html as html_lib
import json
import logging
import re
from collections.abc import Callable
from datetime import datetime, timezone
from urllib.parse import urljoin

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura import metadata as library_metadata
from trafilatura import xpaths as library_xpaths
from trafilatura.utils import HTML_PARSER, line_processing, load_html

from pipelines import byline, refusal
from pipelines.body import (MIN_WORDS, class_paragraphs, continued, drop_empty_markers, lost_dek, lost_highlights,
                            lost_opening, lost_standfirst, marked_elements, prose_words, story_cell,
                            unmark_body_teasers, without_boxes, without_captions, without_link_prompts,
                            without_next_stories)
from pipelines.byline import a_person
from pipelines.dates import after as _after
from pipelines.dates import normalise_date as _normalise_date
from pipelines.dates import parse_date as _parse_date
from pipelines.dedup import containment
from pipelines.furniture import trimmed
from pipelines.headline import headline, site_keys
from pipelines.markup import ARTICLE_TYPES, TITLE_SEPARATOR, as_list, plain_text, url_parts
from pipelines.published import (MODIFIED_META, WEAK_PUBLISHED_META, first_date, meta_value, publication_date,
                                 unmarked_day)
from pipelines.refusal import (NotAnArticle, article_alone, declared_media, object_url, paywalled_preview, same_page,
                               table_rows_share)
from pipelines.samestory import is_opinion
from pipelines.text import word_count

logger = logging.getLogger(__name__)

# Articles that declare themselves comment or analysis, not a report (``opinion``).
OPINION_TYPES = {"opinionnewsarticle", "analysisnewsarticle"}
# Pages that are news but not one article: a rolling live blog, a gallery of photos.
NOT_ARTICLE_TYPES = {"liveblogposting": "live-blog", "imagegallery": "gallery", "mediagallery": "gallery"}
# Types a page declares when it is a list of other pages (WebPage and WebSite say nothing).
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage"}
# Types a page declares for the site or a page of it, not an article: evidence only beside
# teasers and no date (many articles declare a WebPage too, but with an article type).
SITE_TYPES = {"webpage", "website"}
# Types of a site's own front or collection page: a saved page stating only the site's root
# is at that root if it declares one of these (WebPage alone, any page's, says too little).
WEBSITE_TYPES = {"website", "collectionpage"}


_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.I)

# Pages are parsed by trafilatura's parser, which picks each element's class with lxml.html's
# lookup: a Python call every time an element is handed to Python, thousands of times a page
# as the library and the readers here walk the tree (a tenth of clean_page's time). Looked up
# in C instead, every element is an HtmlElement; only lxml.html's form-field classes (their
# .value, .checkable...) are lost, and neither the library nor newsmon uses them.
HTML_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))

# trafilatura's pruning expressions test ids and classes by regex (EXSLT ``re:test``), which lxml
# runs in Python: once per element and test, even for an element without that attribute (the
# test then reads ""): about 1 ms of a synthetic page's 12. Each test whose pattern cannot match
# "" is guarded by its attributes' presence, which is tested in C: the same elements are chosen.
_REGEX_TEST = re.compile(r"re:test\((@[\w-]+(?:\s*\|\s*@[\w-]+)*)\s*,\s*'([^']*)'\)")
GUARDED: list[tuple[str, str]] = []  # (trafilatura's expression, the one used), for the tests


def _guarded(call: re.Match) -> str:
    try:
        matches_empty = re.search(call.group(2), "") is not None  # (then a missing attribute passes)
    except re.error:
        return call.group(0)
    return call.group(0) if matches_empty else f"(({call.group(1)}) and {call.group(0)})"


def guard_regex_tests(module) -> int:
    """Rewrite in place the expressions in ``module``'s lists of compiled XPaths, each
    ``re:test(@attribute, 'pattern')`` guarded as above; how many expressions changed."""
    changed = 0
    for value in vars(module).values():
        if not (isinstance(value, list) and value and all(isinstance(x, etree.XPath) for x in value)):
            continue
        for i, expression in enumerate(value):
            path = _REGEX_TEST.sub(_guarded, expression.path)
            if path == expression.path:
                continue
            try:
                value[i] = etree.XPath(path, namespaces={"re": "http://exslt.org/regular-expressions"})
            except etree.XPathSyntaxError:  # (another prefix in the expression: left as it is)
                continue
            GUARDED.append((expression.path, path))
            changed += 1
    return changed


guard_regex_tests(library_xpaths)


def clean_page(html: str, url: str, hints: dict | None = None, fetched_at: str | None = None,
               outlet_name: str | None = None, min_words: int = MIN_WORDS,
               favor_precision: bool = True, judge: bool = True) -> dict:
    """Extract an article from decoded HTML.

    Returns a dict: title, text, authors, published, date_source, modified,
    language, sitename, canonical_url, section, description, image, word_count,
    opinion (the page says it is comment or analysis: a declared OpinionNewsArticle or
    AnalysisNewsArticle, its section or a segment of its address), and ``sources`` (field ->
    where its value came from).
    Raises NotAnArticle with a short reason when the page is not an article: only on
    evidence (a wall's or an error's words, a declared page type, text made of teasers),
    never for being long; and when it has fewer than ``min_words`` words of text.
    ``judge=False`` skips those judgements (to see what a refused page holds); a page with
    no text at all is still refused.
    """
    _article, add_authors = clean_page_staged(html, url, hints, fetched_at, outlet_name, min_words,
                                              favor_precision, judge)
    return add_authors()


def clean_page_staged(html: str, url: str, hints: dict | None = None, fetched_at: str | None = None,
                      outlet_name: str | None = None, min_words: int = MIN_WORDS, favor_precision: bool = True,
                      judge: bool = True) -> tuple[dict, Callable[[], dict]]:
    """``clean_page`` in two steps: the article with its ``authors`` not yet read (None), and
    a function that reads them into it (and returns it). A crawl labels a page before it
    needs its byline, and most pages it meets are off the subject and dropped unread:
    looking for bylines (the page's byline elements, JSON-LD, meta tags and trafilatura's
    author search) took 1.3 ms of the 17 ms a synthetic page took to clean. The rest of the
    page is read already; the page's tree is kept until the function is called or dropped.
    """
    hints = hints or {}
    if not html or not html.strip():
        raise NotAnArticle("empty-page")
    # Parsed once, the way trafilatura parses (its parser options, its repairs); it is
    # handed the tree, not the text, and copies it before pruning.
    # libxml2 drops everything after a stray </html> or </body> (ad code often leaves one
    # mid-page); the parser closes both at the end of the document anyway.
    html = _END_TAGS.sub("", html)
    try:
        tree = load_html(html)
    except (etree.ParserError, ValueError, TypeError) as exc:
        raise NotAnArticle(f"unparsable-html ({exc})") from None
    if tree is None or not isinstance(tree, lxml.html.HtmlElement):
        raise NotAnArticle("unparsable-html")
    fetched = _parse_date(fetched_at) if fetched_at else None
    meta = _meta(tree)
    stated = None
    if not url_parts(url or ""):
        # A saved page (a file, no address given): the address it states is where it was
        # published, and the address is evidence (a section's path, the day in it, the site).
        # It is the page's canonical address too, whichever way it was stated.
        stated = declared_address(html, tree, meta)
        url = stated or url
    canonical = _canonical(tree, meta, url) or stated
    ld = _jsonld_article(tree, url, canonical)
    sources: dict[str, str] = {}

    # trafilatura works on its own copy of the tree: what we read from it stays whole.
    modified = first_date([ld.get("dateModified")] + [meta_value(meta, [n]) for n in MODIFIED_META])
    published, date_source = publication_date(tree, meta, ld, hints, url, modified)
    page_type = (meta.get(("property", "og:type")) or "").lower()
    types = _jsonld_types(tree)
    declared_article = bool(types & ARTICLE_TYPES) or page_type == "article"
    for declared, kind in NOT_ARTICLE_TYPES.items():
        # A live blog declares itself whatever else it says; a gallery beside an article object
        # is the article's (og:type "article" is any page's default and does not count here).
        if judge and declared in types and (kind == "live-blog" or not types & ARTICLE_TYPES):
            raise NotAnArticle(kind, f"the page declares itself a {declared}")
    if judge and not types & ARTICLE_TYPES and (kind := declared_media(tree, page_type)):
        # The page declares itself a recording, a show or a person's profile (og:type
        # music.song, profile; a TVSeries as the page's own item), and no article: a player's
        # page, a programme's page, a member's page. (og:type video.* is not one: video hosts
        # give it to pages that are articles with a clip.)
        raise NotAnArticle("media-page", f"the page declares itself a {kind}, and no article")
    page_title = " ".join((tree.findtext(".//title") or "").split())
    lang = (tree.get("lang") or meta.get(("http-equiv", "content-language"))
            or meta.get(("property", "og:locale")) or ld.get("inLanguage") or "")

    unmark_body_teasers(tree)
    drop_empty_markers(tree)
    max_date = (fetched or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    declared = ld.get("headline") or meta.get(("property", "og:title"))

    library = _LibraryMetadata(tree, url, {"original_date": True, "extensive_search": True, "max_date": max_date})

    def extract(precision: bool, tables: bool = True, within=None):
        # Tables are read: real articles hold figures, results and product details in them
        # (real pages, dev body F1 0.912 -> 0.917, test 0.904 -> 0.908).
        found = trafilatura.bare_extraction(
            tree if within is None else within, url=url, include_comments=False,
            include_tables=tables, favor_precision=precision, deduplicate=False)
        found_text = trimmed(found.text if found else "", library.title, declared)
        return found_text, word_count(found_text)

    text, count = extract(favor_precision)
    if count < min_words and favor_precision and (alone := article_alone(tree, min_words)) is not None:
        # Markup left open (a sidebar's unclosed <div>s, a menu's <nav>) can put the page's
        # <article> inside an <aside> or a menu, which extraction rightly skips: the article
        # read on its own (before the balanced mode, which reads such a page as one run of
        # text, its furniture with it).
        found = extract(favor_precision, within=alone)
        if found[1] >= min_words:
            text, count = found
    if count < min_words and favor_precision:
        # Precision mode finds nothing in some old layouts (paragraphs as <br>-separated
        # text in one cell of a layout table; read as a table, only the navigation's
        # cells): trafilatura's balanced mode, the layout not read as tables (as tables, it
        # gives the navigation with the story), kept only if it finds enough.
        for fallback in (extract(False, tables) for tables in (False, True)):
            if fallback[1] >= min_words:
                text, count = fallback
                break
    if count >= min_words and favor_precision and table_rows_share(text) >= LAYOUT_ROWS_SHARE \
            and (cell := story_cell(tree, min_words)) is not None:
        # Read as tables, a page laid out in one (its menus in some cells, the story in
        # another) comes out as the whole layout, row by row: the cell that holds most of
        # the page's words, read on its own, is the story. (Its metadata stays the page's:
        # the cell alone has no head, no byline box, no dateline.)
        found = extract(favor_precision, within=cell)
        if found[1] >= min_words:
            text, count = found
    if body := _declared_instead(ld.get("articleBody"), text, count, min_words):
        # The page is written in by scripts (an app shell, or a story rendered on load), so
        # its markup holds a headline and a caption, or only the furniture around the story
        # (a donation box, a newsletter blurb); its article object declares the text.
        text, count = body, word_count(body)
        sources["text"] = "jsonld:articleBody"
    dated = date_source not in (None, "feed", "news-sitemap")
    preview = paywalled_preview(text, declared_article, dated, min_words)
    if preview is not None:  # the wall's lines are no part of the story
        text, count, sources["text"] = preview, word_count(preview), "paywalled-preview"
    if judge:
        refusal.judge(tree, url, canonical, text, count, page_title, ld, declared_article, dated=dated,
               min_words=min_words, declared_site=page_type == "website" or bool(types & SITE_TYPES),
               preview=preview is not None,
               # A date printed on the page, or one a CMS stamps on every page it makes
               # (sailthru.date), declares nothing of an article.
               date_declared=dated and not date_source.startswith("html:") and date_source not in WEAK_PUBLISHED_META)
    elif not text.strip():
        raise NotAnArticle("no-article-text", "extraction found no text")
    if favor_precision and preview is None and not sources.get("text") and count >= min_words \
            and prose_words(tree, CUT_PROSE_RATIO * count + CUT_PROSE_MIN):
        # Precision mode stops early in some layouts (a story set in several blocks, a
        # paragraph whose class it reads as furniture): the page's prose runs far past what it
        # found. The balanced mode's text is taken when it runs on from the same story.
        # (After the judgement: the page is judged on what precision mode found.)
        more = extract(False)
        if more[1] >= CUT_GAIN * count and containment(text, more[0], shingle=3) >= CUT_KEPT:
            text, count = more
    if preview is None and (more := continued(tree, text)):
        # (after the judgement: a page is judged on what extraction found)
        text = trimmed("\n".join([text, *more]))
        count = word_count(text)
    if preview is None and (fuller := class_paragraphs(tree, text)):
        text = trimmed(fuller)
        count = word_count(text)
    if (own := without_next_stories(tree, text)) is not None:
        text, count = own, word_count(own)
    captions, boxes = marked_elements(tree, _CAPTION_MARK, _FURNITURE_BOX_MARK)
    if (bare := without_captions(tree, text, captions)) is not None:
        text, count = bare, word_count(bare)
    if (bare := without_boxes(tree, text, boxes)) is not None:
        text, count = bare, word_count(bare)
    if (bare := without_link_prompts(tree, text, canonical or url)) is not None:
        text, count = bare, word_count(bare)
    if preview is None:  # (a preview's opening is there: its end is what is missing)
        opening = lost_opening(tree, text, [ld.get("description")] + [
            value for (_attr, key), value in meta.items()
            if key.lower() in ("description", "og:description", "twitter:description", "dc.description")]) \
            or lost_standfirst(tree, text) or lost_dek(tree, text, meta.get(("property", "og:title")) or page_title)
        if opening:
            text, count = f"{opening}\n{text}", count + word_count(opening)
            sources["text"] = ", ".join(filter(None, [sources.get("text"), "opening-restored"]))
        if points := lost_highlights(tree, html, text):
            # (after the standfirst, where the page sets them: between the headline and the story)
            lines = text.split("\n")
            at = 1 if opening else 0
            text = "\n".join(lines[:at] + points + lines[at:])
            count += sum(word_count(point) for point in points)
            sources["text"] = ", ".join(filter(None, [sources.get("text"), "highlights-restored"]))
    if published is None:
        published, date_source = unmarked_day(tree, url, page_title)
    if published is None and library.date and not library.date.endswith("-01-01"):
        # trafilatura's date search; a bare 1 January is usually a year and nothing more.
        published, date_source = _normalise_date(library.date), "text"
    if published and fetched and _parse_date(published) and _after(published, fetched):
        published, date_source = None, None  # a date in the future of the fetch is wrong

    site_names = [outlet_name, ld.get("publisher"), meta.get(("property", "og:site_name")),
                  meta.get(("name", "application-name"))]
    title, sources["title"] = headline(
        tree, {"jsonld": ld.get("headline"), "og:title": meta.get(("property", "og:title")),
               "twitter:title": meta.get(("name", "twitter:title")), "title": page_title},
        site_names, url)
    if not title:
        title, sources["title"] = _pick(("html", library.title), ("feed", hints.get("title")))
    sitename, sources["sitename"] = _pick(
        ("jsonld", ld.get("publisher")), ("og:site_name", meta.get(("property", "og:site_name"))),
        ("html", library.sitename))
    # The outlet's own name in a byline is not a person.
    # (and the outlet a syndicated copy comes from: <meta name="dc.source" content="New York Post">;
    # the <title>'s last part: "... – Astronomy Now")
    copied_from = [v for (a, n), v in meta.items() if a == "name" and n.lower() == "dc.source"]
    parts = TITLE_SEPARATOR.split(page_title)
    title_site = parts[-1:] if len(parts) > 1 and 2 <= len(parts[-1].split()) <= 5 else []
    sources["authors"] = None  # (read last, in its place among the sources)
    if date_source:
        sources["published"] = date_source
    section = ld.get("articleSection") or meta.get(("property", "article:section"))
    article = {
        "title": " ".join((title or "").split()),
        "text": text.strip(),
        "authors": None,
        "published": published,
        "date_source": date_source,
        "modified": modified,
        "language": _language(lang) or _detect_language(text),
        "sitename": sitename,
        "canonical_url": canonical,
        "section": section,
        "description": " ".join((ld.get("description") or meta.get(("name", "description"))
                                 or meta.get(("property", "og:description")) or "").split()) or None,
        "image": ld.get("image") or meta.get(("property", "og:image")),
        "word_count": count,
        "opinion": bool(types & OPINION_TYPES) or is_opinion(section, canonical or url),
        "sources": {k: v for k, v in sources.items() if v},
    }

    def add_authors() -> dict:
        if article["authors"] is None:
            article["authors"], sources["authors"] = byline.authors(
                ld, meta, tree, library, [outlet_name, sitename, *copied_from, *title_site],
                (site_keys(site_names, ""), site_keys([], url)), title)
            article["sources"] = {k: v for k, v in sources.items() if v}
        return article

    return article, add_authors


class _LibraryMetadata:
    """trafilatura's reading of a page's title, author, publication date and site name, the
    values its extract_metadata gives, each read only when asked. They are fallbacks for
    what clean_page reads itself, and that function reads everything (its author search
    copies the whole tree; categories, tags and the licence too, which nothing here uses):
    read whole on every page, it took a tenth of the page's time."""

    def __init__(self, tree, url: str, date_params: dict):
        self.tree, self.default_url, self.date_params = tree, url, date_params

    @functools.cached_property
    def _declared(self):  # Open Graph, <meta> and JSON-LD values, as the library reads them
        found = library_metadata.examine_meta(self.tree)
        if found.author and " " not in found.author:
            found.author = None  # (the library's rule: one word is no author)
        try:
            return library_metadata.extract_meta_json(self.tree, found)
        except Exception:  # noqa: BLE001 - the library guards its JSON-LD reader so: malformed data is skipped
            return found

    @functools.cached_property
    def title(self) -> str | None:
        return _library_value(self._declared.title or library_metadata.extract_title(self.tree))

    @functools.cached_property
    def author(self) -> str | None:
        return _library_value(self._declared.author or library_metadata.extract_author(self.tree))

    @functools.cached_property
    def _url(self) -> str | None:
        return self._declared.url or library_metadata.extract_url(self.tree, self.default_url)

    @functools.cached_property
    def date(self) -> str | None:
        return _library_value(find_date(self.tree, **{**self.date_params, "url": self._url}))

    @functools.cached_property
    def sitename(self) -> str | None:
        name = self._declared.sitename or library_metadata.extract_sitename(self.tree)
        if name and "://" in name:
            name = None  # an address is no name (article:publisher, a social media page's)
        if name:
            name = name.lstrip("@")  # (a Twitter handle)
            return _library_value(name.title() if name and "." not in name and not name[0].isupper() else name)
        # else the address's host
        return _library_value((found := library_metadata.META_URL.match(self._url or "")) and found[1])


def _library_value(value):
    """A value trimmed as trafilatura trims its metadata (entities, spaces, length)."""
    if not isinstance(value, str):
        return value
    return line_processing(html_lib.unescape(value if len(value) <= 10000 else value[:9999] + "\u2026"))


# --- metadata readers -------------------------------------------------------------

MICRODATA_MANY_DAYS = 3


_ITEMPROPS = etree.XPath("//*[@itemprop]")


def _meta(tree) -> dict:
    out = {}
    for el in tree.iter("meta"):
        content = el.get("content") if el.get("content") is not None else el.get("value")  # value=: a few CMSs
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                out.setdefault((attr, key.strip() if attr != "http-equiv" else key.strip().lower()),
                               content.strip())
    # <time itemprop="datePublished" datetime=...> is microdata too, and so is a date an element
    # carries in content= beside its printed form (<dd itemprop="datePublished"
    # content="2019-04-26">2019年04月</dd>: the text is only the month)
    # (every element with an itemprop, in one pass: few have one)
    props = [(el, el.get("itemprop")) for el in _ITEMPROPS(tree)]
    for el, prop in props:
        if el.get("datetime") is not None:
            value = el.get("datetime")
        elif el.tag != "meta" and prop.startswith("date") and el.get("content") is not None:
            value = el.get("content")
        else:
            continue
        if value.strip():
            out.setdefault(("itemprop", prop), value.strip())
    # A page whose microdata gives a date of publication on several days lists other
    # stories (videos, teasers), each with its own: which is the page's is not said.
    days = {(el.get("content") or el.get("datetime") or "").strip()[:10]
            for el, prop in props if prop == "datePublished"} - {""}
    if len(days) >= MICRODATA_MANY_DAYS:
        out.pop(("itemprop", "datePublished"), None)
    return out


def _jsonld_objects(tree):
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        stack = _json_values(raw)
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(reversed(obj))
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.extend(reversed(as_list(obj["@graph"])))
                yield obj


def _json_values(raw: str, repaired: bool = False) -> list:
    """The JSON values in a script: one, or several written one after another (some sites
    put two objects in one script). Broken JSON-LD is common: a script that does not read
    is read once more as a CMS's template breaks it (``_repaired``); what still cannot be
    read is left out, and the other sources count."""
    decoder, values, at = json.JSONDecoder(strict=False), [], 0  # (raw line breaks in strings)
    while at < len(raw):
        try:
            value, end = decoder.raw_decode(raw, at)
        except ValueError:
            if not repaired and not values:
                return _json_values(_repaired(raw), repaired=True)
            break
        values.append(value)
        at = end
        while at < len(raw) and raw[at] in " \t\r\n,;":
            at += 1
    return values


# How templates break JSON-LD: a CDATA or comment wrapper, a commented-out line, a comma
# before a closing bracket, and a value with quotation marks of its own left unescaped
# ("name": "James "Obscurica" Chen", on a line of its own).
_JSON_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
_JSON_LINE_COMMENT = re.compile(r"(?m)^\s*//.*$")
_JSON_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_JSON_QUOTED_LINE = re.compile(r'(?m)^(\s*"[^"\n]+"\s*:\s*")(.*)("\s*,?\s*)$')


def _repaired(raw: str) -> str:
    text = _JSON_LINE_COMMENT.sub("", _JSON_WRAPPER.sub("", raw.strip())).strip()
    text = _JSON_TRAILING_COMMA.sub(r"\1", text)
    return _JSON_QUOTED_LINE.sub(lambda m: m.group(1) + re.sub(r'(?<!\\)"', r'\\"', m.group(2)) + m.group(3), text)


def _jsonld_types(tree) -> set[str]:
    return {t.lower() for obj in _jsonld_objects(tree) for t in as_list(obj.get("@type")) if isinstance(t, str)}


def _jsonld_article(tree, url: str = "", canonical: str | None = None) -> dict:
    """The page's article object in JSON-LD, flattened to plain strings: the first one that
    names this page as its address, or names none. A front page or a box of related stories
    carries the objects of other pages: those are not this page's."""
    listing = False
    # A graph (Yoast and others) names the author by reference: {"@id": ".../#/schema/person/1"},
    # the Person with its name being another node.
    objects = list(_jsonld_objects(tree))
    nodes = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str) and len(obj) > 1}
    for obj in objects:
        types = {t.lower() for t in as_list(obj.get("@type")) if isinstance(t, str)}
        if types & ARTICLE_TYPES and not same_page(object_url(obj), url, canonical):
            continue
        if types & ARTICLE_TYPES:
            authors = [nodes.get(a.get("@id"), a) if isinstance(a, dict) and "name" not in a else a
                       for a in as_list(obj.get("author"))]
            return {
                "@type": sorted(types)[0],
                "headline": plain_text(obj.get("headline") or obj.get("name")),
                "datePublished": plain_text(obj.get("datePublished")),
                "dateModified": plain_text(obj.get("dateModified")),
                "author": [plain_text(a.get("name") if isinstance(a, dict) else a) for a in authors
                           if not (isinstance(a, dict) and str(a.get("@type", "")).lower()
                                   in ("organization", "newsmediaorganization", "corporation"))],
                "personal": a_person(obj.get("publisher"), nodes),
                "publisher": plain_text(obj.get("publisher", {}).get("name")
                                   if isinstance(obj.get("publisher"), dict) else obj.get("publisher")),
                "articleSection": plain_text(as_list(obj.get("articleSection"))[0]
                                        if obj.get("articleSection") else None),
                "inLanguage": plain_text(obj.get("inLanguage")),
                "description": plain_text(obj.get("description")),
                "articleBody": obj.get("articleBody"),  # read (``_body_text``) only when it is needed
                "image": plain_text(_image(obj.get("image"))),
                "url": object_url(obj),
            }
        if types & LISTING_TYPES and not listing:
            listing = next(t for t in as_list(obj.get("@type")) if isinstance(t, str) and t.lower() in LISTING_TYPES)
    return {"_listing": listing} if listing else {}


# What a browser writes at the top of a page it saves ("Mark of the Web").
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)
# An Internet Archive copy's address holds the page's own: /web/<time stamp>[flag_]/<address>.
# (web.archive.org, web-beta.archive.org; the host left out where the copy's links are relative)
_ARCHIVED = re.compile(r"^(?:https?://[\w.-]*archive\.org)?/web/\d+[a-z_]*/(https?://.+)$", re.I)


def declared_address(html: str, tree, meta) -> str | None:
    """The web address a saved page states for itself: its canonical link, its og:url, the
    address its browser saved it from, its <base>; an Internet Archive copy's address is
    read as the page's own. A site's bare root is taken only from a page that declares itself
    the website's (``_declares_website``): many a site's template states it on every page
    (real dev pages: 8 articles so stated, none declaring a website; taken, they were refused
    as front pages). None when it states none."""
    found = [*tree.xpath('//link[@rel="canonical"]/@href'), meta.get(("property", "og:url")) or ""]
    saved = _SAVED_FROM.search(html[:4096])
    found += [saved.group(1) if saved else "", *tree.xpath("//base/@href")]
    for href in found:
        href = href.strip()
        archived = _ARCHIVED.match(href)
        href = archived.group(1) if archived else href
        parts = url_parts(href)
        if parts and (parts.path.strip("/") or parts.query or _declares_website(tree, meta)):
            return href
    return None


def _declares_website(tree, meta) -> bool:
    """Whether a page declares itself a website's page and not an article (og:type
    "website"; a schema.org WebSite or CollectionPage and no article)."""
    types = _jsonld_types(tree)
    return not types & ARTICLE_TYPES and ((meta.get(("property", "og:type")) or "").lower() == "website"
                                          or bool(types & WEBSITE_TYPES))


def _canonical(tree, meta, url):
    # (a malformed address, "http://[x/", is no canonical one: every reader of it would fail)
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        href = href.strip()
        if href.startswith(("http://", "https://")) and url_parts(href):
            return href
        if href.startswith("/"):
            try:
                return urljoin(url, href)
            except ValueError:
                continue
    og = meta.get(("property", "og:url"))
    if og and og.startswith(("http://", "https://")) and url_parts(og):
        return og
    return None


LAYOUT_ROWS_SHARE = 0.5  # of the text's lines that are a table's rows: the page's layout read as a table


# A picture's caption or credit: a <figcaption>, or an element whose class or id says so.
# (lower case: searched in lower-cased values)
_CAPTION_MARK = re.compile(r"caption|credit|bildunterschrift|bildnachweis|imagedescription|image-description|"
                           r"media__description|copyright|photo-?credit|wp-caption-text")


# A box of the page's furniture set in or beside the story, by its class or id: related posts, tag
# links, a table of contents, an author's box, a newsletter's, an ad plugin's block, a widget.
_FURNITURE_BOX_MARK = re.compile(  # (lower case: searched in lower-cased values; a word between separators)
    r"(?<![^\s_-])(?:related|tag-links|toc|toc_container|sabox\w*|author-?box|author-?bio|about-?author|"
    r"newsletter|code-block|widget|next-articles?|next-article-container|video-inset|inset|promo|recirc\w*|"
    r"more-stories|read-next|up-next)(?![^\s_-])")


# Precision mode's text is read again in balanced mode when the page's prose runs this many
# times as long, and this many words more; the longer text is taken when it is this many
# times as long and holds this share of the first's word triples.
CUT_PROSE_RATIO, CUT_PROSE_MIN, CUT_GAIN, CUT_KEPT = 2.0, 150, 1.3, 0.9


def _detect_language(text: str) -> str | None:
    """The text's language when the page declares none (py3langid, loaded on first use)."""
    import py3langid

    code, _score = py3langid.classify(text[:3000])
    return code


def _language(value: str) -> str | None:
    value = (value or "").strip().replace("_", "-").split("-")[0].lower()
    return value if re.fullmatch(r"[a-z]{2,3}", value) else None


# --- small helpers ---------------------------------------------------------------------


def _image(value):
    value = as_list(value)[0] if value else None
    return value.get("url") if isinstance(value, dict) else value


# Text found in the markup that shares this little of its word triples with the declared
# body is not the story the page declares: the furniture a script-written page still serves.
DECLARED_ELSEWHERE = 0.2


def _declared_instead(declared, text: str, count: int, min_words: int) -> str | None:
    """The body a page's article object declares (``articleBody``), as text, where it is the
    story and the text found in the markup is not: the markup gave too few words, or gave
    fewer than half as many, nearly none of them the declared body's. (A declared body that
    merely runs longer than what was found is not taken: CMSs write their bodies with
    markdown, embeds and link lists that the page shows otherwise.)"""
    if not isinstance(declared, str) or (count >= min_words and len(declared) < 2 * len(text)):
        return None  # (cheap: most pages stop here)
    body = _body_text(declared)
    if not body or word_count(body) < min_words:
        return None
    if count < min_words or (word_count(body) >= 2 * count
                             and containment(text, body, shingle=3) <= DECLARED_ELSEWHERE):
        return body
    return None


def _body_text(value) -> str | None:
    """A declared articleBody as plain text, a line per paragraph: CMSs write it with HTML's
    entities, at times with its tags."""
    if not isinstance(value, str) or not value.strip():
        return None
    if "<" in value:
        try:
            fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        except (etree.ParserError, ValueError):
            return None
        for block in fragment.iter("p", "br", "div", "li", "h2", "h3", "h4", "blockquote"):
            block.tail = "\n" + (block.tail or "")
        value = fragment.text_content()
    elif "&" in value:
        value = html_lib.unescape(value)
    lines = (" ".join(line.split()) for line in value.splitlines())
    return "\n".join(line for line in lines if line) or None


def _pick(*pairs):
    for label, value in pairs:
        if isinstance(value, str) and value.strip():
            return value.strip(), label
    return None, None

