"""Clean stage: trafilatura text plus metadata, each value with where it came from.

``clean_page`` is a pure function of the decoded page; ``CleanPipeline`` is the thin
Scrapy class around it. Structured data (JSON-LD, OpenGraph, article meta tags,
``<time datetime>``, the feed or news sitemap) wins over text heuristics, and the
crawl time is never taken for the publication date.
"""

from __future__ import annotations

import bisect
import copy
import functools
import html as html_lib
import itertools
import json
import logging
import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from urllib.parse import urljoin, urlunsplit

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura import metadata as library_metadata
from trafilatura import xpaths as library_xpaths
from trafilatura.utils import HTML_PARSER, line_processing, load_html

from pipelines import byline, refusal
from pipelines.byline import BY_START, BYLINE_CLASS, DATE_CLASS, a_person
from pipelines.dates import VISIBLE_DATES
from pipelines.dates import after as _after
from pipelines.dates import normalise_date as _normalise_date
from pipelines.dates import parse_date as _parse_date
from pipelines.dedup import containment
from pipelines.headline import headline, site_keys
from pipelines.markup import (ARTICLE_TYPES, TITLE_SEPARATOR, as_list, plain_text, site_of, skipped, story_line,
                              url_parts)
from pipelines.published import (COMMENTS, MODIFIED_META, WEAK_PUBLISHED_META, first_date, meta_value,
                                 publication_date, unmarked_day, without_dates)
from pipelines.refusal import (NotAnArticle, article_alone, declared_media, object_url, paywalled_preview, same_page,
                               table_rows_share)
from pipelines.samestory import is_opinion
from pipelines.text import word_count, words

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


# Headings that start the furniture around an article, not its body: once one of these
# appears in the second half of the text, the article has ended.
_TAIL_HEADING = re.compile(
    r"^(?:comments?(?:\s*\(\d+\))?|\d+\s+(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties)|"
    r"comments \(moderated\)|join the (?:conversation|discussion|debate)|"
    r"have your say|leave a (?:comment|reply)|(?:sign up|subscribe)(?: (?:for|to))?(?: our)? "
    r"(?:emails?|newsletters?|alerts?).*|get emails about this page|related(?: (?:stories|articles|coverage|content|topics))?|"
    r"more (?:from|on|stories|in) .{0,40}|most (?:read|viewed|popular|shared)|share (?:this|on).{0,30}|"
    r"follow us.{0,30}|you (?:may|might) also (?:like|be interested in)|recommended(?: for you)?|"
    r"trending(?: now| stories| on .{0,30})?|popular (?:now|stories)|"
    r"read (?:more|next)|topics|tags|kommentare|leserkommentare|commentaires|commenti|comentarios|"
    r"mehr zum thema|lire aussi|[àa] lire aussi|leggi anche|te puede interesar|"
    # the same furniture in the other languages real pages are written in
    r"(?:das )?könnte (?:sie|dich) auch interessieren|lesen sie (?:auch|mehr)|auch lesen|zum weiterlesen|"
    r"weitere (?:themen|artikel|beiträge|nachrichten|meldungen|tipps|\w+tipps)|top-?themen.{0,40}|"
    r"keine kommentare|zum newsletter anmelden|(?:presse)?kontakt|press contact|media contact|schlagworte|"
    r"themen|(?:notas|noticias|artículos) relacionad[ao]s|más sobre .{0,40}|(?:también )?le puede interesar|"
    r"hazte miembro.{0,60}|sur le même sujet|vous aimerez aussi|articoli correlati|potrebbe interessarti|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|polecamy|leia (?:também|mais)|veja também)\s*:?$", re.I)
# A picture's credit or source set as a line of its own: the page's furniture, not the story.
_CREDIT_LINE = re.compile(
    r"^[(\[]?(?:(?:fotos?|photos?|bild(?:er)?|images?|pictures?|grafik|illustration|credit|image credit|"
    r"photo credit|bildquelle|quelle|source)\s*[:©]|©|\(c\)\s)"
    r"|^(?:getty images|afp|reuters|ap photo|dpa|epa|shutterstock|istock(?:photo)?|imago(?: images)?|"
    r"picture alliance|agencja gazeta|pap)(?:\s*[/|,].*)?$", re.I)
CREDIT_LINE_WORDS = 10
FURNITURE_LINE_WORDS = 30  # a "read also" or rights line longer than this is the story's own prose
# A "read also" line (a prompt and another story's headline) inside the body, in any language.
_READ_ALSO = re.compile(
    r"^(?:(?:lea|vea|lee|mira|ver) (?:también|tambien)|read (?:also|more)|see also|related|more|also read|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|auch lesen|lesen sie auch|mehr dazu|(?:[àa] )?lire aussi|"
    r"leggi anche|(?:también )?(?:le|te) puede interesar|leia também|veja também)\s*[:»>|-]", re.I)
# A copyright or rights line among the last lines: the site's footer, not the story.
_RIGHTS_LINE = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}|by\b)|all rights reserved|alle rechte vorbehalten|"
                          r"todos los derechos reservados|tous droits réservés|tutti i diritti riservati|"
                          r"copyrighted property", re.I)
# The reader asked to do something for the site among the last lines (subscribe, get its app,
# support it, follow it): the site's appeal after the story, in the languages real pages use.
_APPEAL_LINE = re.compile(
    r"^[¡!]?\s*(?:(?:subscribe|sign up)(?: now| today)?(?: to| for)? (?:our|us)\b|(?:download|get) (?:the|our) .{0,40}\bapps?\b|"
    r"support (?:us|our|independent)\b|donate (?:to us|today|now)|advertise with us|become a (?:member|subscriber)\b|"
    r"for the latest .{0,80}\b(?:download|subscribe|follow)\b|follow us\b|(?:like|enjoy(?:ed)?|love) (?:this|what you|our)\b.{0,40}\?|"
    r"gefällt (?:dir|ihnen) (?:unser|dieser|dieses)\b|unterstütze(?:n sie)? (?:uns|unser|\w+ bereits)|"
    r"abonnier(?:e|en sie) (?:uns|unser)|mira lo que tiene nuestro|suscr[ií]bete|s[ií]guenos|abonnez-vous|"
    r"soutenez(?:-nous)?\b|suivez-nous)", re.I)
# A newsletter's sign-up box set inside the story ("Get our Daily Edition by email ... Free Sign
# Up", "Want the latest news first? Get our free daily newsletter"): the verb, the newsletter
# and the reader addressed, in one short line.
_SIGN_UP = re.compile(r"\b(?:sign(?:ing)? up|subscribe|anmelden|abonnieren|abonniere|inscr[ií]bete|suscr[ií]bete|"
                      r"inscrivez-vous|abonnez-vous|iscriviti|"
                      # "get" as the box's own bidding, opening a sentence: not "readers can get our ..."
                      r"(?:^|(?<=[.?!:] ))get (?:our|the|your))\b", re.I)
_NEWSLETTER = re.compile(r"\b(?:newsletters?|by e-?mail|(?:your|deinem|ihrem) (?:inbox|posteingang)|daily edition|"
                         r"e-?mail alerts?|boletín|infolettre)\b", re.I)
_READER = re.compile(r"\b(?:our|your|you|free|dein\w*|unser\w*|nuestro|notre|nos)\b", re.I)
SIGN_UP_LINE_WORDS = 30
# "Contains affiliate links": the post's disclosure, not its text.
_AFFILIATE = re.compile(r"\baffiliate[- ]?links?\b", re.I)
AFFILIATE_LINE_WORDS = 15
APPEAL_LINES = 6  # of the last lines, where a site's appeal stands (it may run to a few paragraphs)
APPEAL_MAX_WORDS = 60
# "you" and "we" of a site talking to its reader, in the languages of the appeals above
# ("us" in lower case only: "US" is the country)
_READER_ADDRESSED = re.compile(
    r"\b(?:us|(?i:you|your|we|our|du|dir|dich|dein\w*|euch|eure?r?|wir|uns|unser\w*|"
    r"vous|votre|nous|notre|tu|toi|usted(?:es)?|nosotros|nuestr[oa]s?))\b")
# A site's cookie notice, as a line of its own: the site saying it uses cookies (or asking
# to), in the first person or the site's name, and what using it means.
_COOKIE_NOTICE = re.compile(
    r"\b(?:we|this (?:web)?site|our (?:web)?site|diese (?:web)?seite|wir) (?:use|uses|verwendet|verwenden|nutzt|"
    r"nutzen|utilise|utilisons|usa|usamos|utiliza|utilizamos)\b.{0,40}\b(?:cookies?)\b", re.I)
_COOKIE_TERMS = re.compile(r"\b(?:agree|accept|consent|policy|experience|browsing|continuing|learn more|more info|"
                           r"einverstanden|zustimm|akzeptier|datenschutz|mehr erfahren|weitere informationen|"
                           r"acepta|aceptar|política|accepte|politique|en savoir plus)", re.I)
COOKIE_LINE_WORDS = 60
# An agency's or editor's signature as a line of its own: initials, an agency after a slash, or
# an acronym ("aja/PAP", "jm/dpa", "RIRM", "(grh)", "[THR]", "AP").
_SIGNATURE = re.compile(
    r"^[(\[]?(?:[a-zäöüß]{1,5}(?:\s?/\s?[a-zäöüß]{1,5})*\s?/\s?[A-Za-z]{2,8}|[A-Z]{2,6}|[a-z]{2,4})[)\]]?$")
SIGNATURE_AFTER_WORDS = 4  # the line before it is prose, not an item of a list of acronyms
_AD_LINE = re.compile(r"^(?:advertisement|advert|anzeige|publicit[ée]|pubblicit[àa]|publicidad|sponsored)$", re.I)


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


DATA_LINE_CHARS = 40  # a JSON line shorter than this is a sample in prose, not a script's data
MIN_WORDS = 40  # fewer words of text than this and there is no article (short news runs 50-120 words)


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
    canonical = _canonical(tree, meta, url)
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

    _unmark_body_teasers(tree)
    _drop_empty_markers(tree)
    max_date = (fetched or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    declared = ld.get("headline") or meta.get(("property", "og:title"))

    library = _LibraryMetadata(tree, url, {"original_date": True, "extensive_search": True, "max_date": max_date})

    def extract(precision: bool, tables: bool = True, within=None):
        # Tables are read: real articles hold figures, results and product details in them
        # (real pages, dev body F1 0.912 -> 0.917, test 0.904 -> 0.908).
        found = trafilatura.bare_extraction(
            tree if within is None else within, url=url, include_comments=False,
            include_tables=tables, favor_precision=precision, deduplicate=False)
        found_text = _trim(found.text if found else "", library.title, declared)
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
            and (cell := _story_cell(tree, min_words)) is not None:
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
            and _prose_words(tree, CUT_PROSE_RATIO * count + CUT_PROSE_MIN):
        # Precision mode stops early in some layouts (a story set in several blocks, a
        # paragraph whose class it reads as furniture): the page's prose runs far past what it
        # found. The balanced mode's text is taken when it runs on from the same story.
        # (After the judgement: the page is judged on what precision mode found.)
        more = extract(False)
        if more[1] >= CUT_GAIN * count and containment(text, more[0], shingle=3) >= CUT_KEPT:
            text, count = more
    if preview is None and (more := _continued(tree, text)):
        # (after the judgement: a page is judged on what extraction found)
        text = _trim("\n".join([text, *more]))
        count = word_count(text)
    if preview is None and (fuller := _class_paragraphs(tree, text)):
        text = _trim(fuller)
        count = word_count(text)
    if (own := _without_next_stories(tree, text)) is not None:
        text, count = own, word_count(own)
    captions, boxes = _marked_elements(tree, _CAPTION_MARK, _FURNITURE_BOX_MARK)
    if (bare := _without_captions(tree, text, captions)) is not None:
        text, count = bare, word_count(bare)
    if (bare := _without_boxes(tree, text, boxes)) is not None:
        text, count = bare, word_count(bare)
    if (bare := _without_link_prompts(tree, text, canonical or url)) is not None:
        text, count = bare, word_count(bare)
    if preview is None:  # (a preview's opening is there: its end is what is missing)
        opening = _lost_opening(tree, text, [ld.get("description")] + [
            value for (_attr, key), value in meta.items()
            if key.lower() in ("description", "og:description", "twitter:description", "dc.description")]) \
            or _lost_standfirst(tree, text) or _lost_dek(tree, text, meta.get(("property", "og:title")) or page_title)
        if opening:
            text, count = f"{opening}\n{text}", count + word_count(opening)
            sources["text"] = ", ".join(filter(None, [sources.get("text"), "opening-restored"]))
        if points := _lost_highlights(tree, html, text):
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


def _trim(text: str, *titles: str | None) -> str:
    """The body alone: no headline repeated at its top, no advert markers, picture credits
    or "Read more: ..." lines, nothing from a comments, sign-up or related-links heading in
    its second half onwards, and no rights line at its end."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    heads = {" ".join(words(t)) for t in titles if t}
    while lines and " ".join(words(lines[0])) in heads:
        lines.pop(0)
    lines = [line for line in lines if not _furniture_line(line.strip(" -\u2022"))]
    lines = _without_repeats(lines)
    i = len(lines) // 2
    while i < len(lines):
        if len(lines[i].split()) <= 8 and _TAIL_HEADING.match(lines[i].strip(" -\u2022")):
            if _appeal(lines[i]) and _goes_on(lines[i + 1:]):
                # "Follow us on Twitter" set between two paragraphs: a box inside the story,
                # not where it ends (the appeal alone goes)
                del lines[i]
                continue
            lines = lines[:i]
            break
        i += 1
    lines = _without_stamped_teasers(lines)
    for i in range(max(len(lines) // 2, len(lines) - APPEAL_LINES, 1), len(lines)):
        # (not an item of a list: "help translate our pages" among the ways to join is the page's)
        if _appeal(lines[i]):
            # An appeal with the story going on after it is a box set inside the story
            # ("Follow us on Twitter", then the last paragraphs): only the appeals go. An
            # appeal's own paragraphs speak to the reader for the site ("we need your help").
            rest = [line for line in lines[i + 1:] if not _appeal(line)]
            lines = lines[:i] + (rest if _goes_on(rest) else [])
            break
    for i in range(max(1, len(lines) - 3), len(lines)):
        if len(lines[i].split()) <= FURNITURE_LINE_WORDS and _RIGHTS_LINE.search(lines[i]):
            lines = lines[:i]
            break
    start = max(len(lines) // 2, len(lines) - CONTACT_LINES, 1)
    # a reporter's address or handle as a line of its own ("david.savage@latimes.com",
    # "Twitter: @MattHjourno."): how to reach the writer, not the story
    lines = lines[:start] + [line for line in lines[start:] if not _CONTACT_LINE.match(line.strip())]
    for i in range(max(1, len(lines) - 3), len(lines)):
        # an agency's or editor's signature after the last paragraph ("aja/PAP", "RIRM", "(grh)"):
        # the story has ended (what follows is the site's: a source line, a picture's credit)
        if _SIGNATURE.match(lines[i].strip()) and len(lines[i - 1].split()) >= SIGNATURE_AFTER_WORDS:
            lines = lines[:i]
            break
    return "\n".join(_without_top_stamps(lines))


_CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d\b")
REPEATED_LINE = 3  # copies of one sentence-long line that make it a gallery's caption, not the story's


def _without_repeats(lines: list[str]) -> list[str]:
    """The lines without a gallery's captions: a line of a sentence or more said
    REPEATED_LINE times or more (a slideshow writes one caption per slide, and a story
    does not say a sentence three times) goes every time, and a line said twice running
    (a picture's caption and its copy) once."""
    keys = [" ".join(line.split()) for line in lines]  # (a caption's copies are the same text)
    counts = Counter(keys)
    if max(counts.values(), default=0) < 2:
        return lines  # (most texts: no line said twice)
    kept = []
    for i, (line, key) in enumerate(zip(lines, keys)):
        if (counts[key] >= REPEATED_LINE or (i and key == keys[i - 1])) and key.count(" ") >= 5:
            continue
        kept.append(line)
    return kept


TEASER_STAMPS = 3  # date lines, each before another story's blurb, that make a list of teasers
TEASER_GAP = 2  # lines at most between two of them (a headline, a blurb)


def _without_stamped_teasers(lines: list[str]) -> list[str]:
    """The lines before a list of other stories at the text's end: a date line ("updated
    9:20 AM EST, Thu January 3, 2013") before each story's blurb, TEASER_STAMPS times or more,
    a line or two apart, in the text's second half and running to its end."""
    stamps = [i for i in range(len(lines) // 2, len(lines)) if _stamp_line(lines[i]) or _dated_item(lines[i])]
    if len(stamps) < TEASER_STAMPS or len(lines) - 1 - stamps[-1] > TEASER_GAP + 1:
        return lines
    first = len(stamps) - 1
    while first > 0 and stamps[first] - stamps[first - 1] <= TEASER_GAP + 1:
        first -= 1
    if len(stamps) - first < TEASER_STAMPS:
        return lines
    return lines[:stamps[first]]


def _dated_item(line: str) -> bool:
    """An item of a list that ends with its date: another story's headline and its day
    ("- 'Old Time Hockey' Is A Lovely But Difficult Throwback - March 28, 2017")."""
    if not line.startswith(("- ", "\u2022 ")) or len(line.split()) > DATED_ITEM_WORDS:
        return False
    tail = " ".join(line.split()[-4:])
    return any((m := pattern.search(tail)) is not None and m.end() >= len(tail) - 1 for pattern in VISIBLE_DATES)


DATED_ITEM_WORDS = 25


def _stamp_line(line: str) -> bool:
    """A line that is a date with its time of day and nothing more than a label ("updated
    3:49 PM EST, Fri January 4, 2013", "Posted: 12 March 2017 10:31"). (A timeline's
    dates, each before its event, give no time of day.)"""
    if len(line.split()) > 12 or not _CLOCK.search(line) or not any(p.search(line) for p in VISIBLE_DATES):
        return False
    return sum(len(t) >= 4 and not t.isdigit() for t in without_dates(line).split()) <= 1


def _appeal(line: str) -> bool:
    return len(line.split()) <= APPEAL_MAX_WORDS and bool(_APPEAL_LINE.match(line))


def _goes_on(rest: list[str]) -> bool:
    """Whether the story goes on in these lines (after an appeal): paragraphs of prose, none
    of them the site speaking to its reader."""
    told = [line for line in rest if story_line(line) and not _appeal(line)]
    return bool(told) and not any(_READER_ADDRESSED.search(line) for line in told)


def _furniture_line(line: str) -> bool:
    """An advert marker, a script's data, a picture's credit, a newsletter's sign-up box, an
    affiliate-links disclosure, or a prompt and another story's headline ("Read more: ...",
    "Lea también: ..."; a prompt alone is a heading, left to the tail's rule), wherever it
    stands."""
    if _AD_LINE.match(line) or _data_line(line):
        return True
    n = len(line.split())
    if n <= COOKIE_LINE_WORDS and _COOKIE_NOTICE.search(line) and _COOKIE_TERMS.search(line):
        return True
    if n <= CREDIT_LINE_WORDS and _CREDIT_LINE.match(line):
        return True
    if n <= SIGN_UP_LINE_WORDS and _SIGN_UP.search(line) and _NEWSLETTER.search(line) and _READER.search(line):
        return True
    if n <= AFFILIATE_LINE_WORDS and _AFFILIATE.search(line):
        return True
    if PROMPT_MIN_WORDS <= n <= FURNITURE_LINE_WORDS and _PROMPT.match(line):
        return True
    m = _READ_ALSO.match(line)
    return bool(m) and n <= FURNITURE_LINE_WORDS and len(line[m.end():].split()) >= 3


# A prompt the "read also" lines do not open with, before another story's headline or a clip's
# title ("Up Next: ...", "Don't miss: ...", "VIDEO: ..."; a colon or an arrow, not a dash).
_PROMPT = re.compile(r"^(?:up next|don[\u2019']?t miss|explore further|video|watch|also|also see|must[- ]read|"
                     r"further reading|recommended(?: reading)?|siehe auch|ver también|voir aussi)"
                     r"\s*[:»>|]\s*\S", re.I)
PROMPT_MIN_WORDS = 4
# A writer's e-mail address or handle alone on a line, perhaps labelled.
_CONTACT_LINE = re.compile(r"^(?:(?:e-?mail|twitter|contact|follow (?:me|us|him|her) (?:at|on))\s*:?\s*)?"
                           r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{2,})\.?$", re.I)
CONTACT_LINES = 6  # of the last lines, where a writer's address stands
TOP_LINES = 3  # lines at the text's top, before its first paragraph, where a date line or a byline stands
TOP_STAMP_WORDS = 10
# What a date line says beside its date: a label ("Updated", "Posted on", "Stand:").
_STAMP_LABEL_WORDS = {"last", "updated", "update", "published", "posted", "on", "date", "as", "of", "stand", "datum",
                      "aktualisiert", "veröffentlicht", "am", "erstellt", "publicado", "el", "publié", "le", "mis",
                      "à", "jour"}
_STAMP_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?|"
                            r"\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b,?", re.I)
_STAMP_TIME = re.compile(r"(?<![^\W\d])(?:[ap]\.m\.|(?:am|pm|et|est|edt|pt|pst|pdt|gmt|bst|cet|cest|utc|uhr)\b)", re.I)
# "By Trish Turner", "By Peter Nicholas and Tracy Wilkinson": a byline line, not a sentence.
_TOP_BYLINE_NAME = r"[A-Z\u00c0-\u017d][\w.'-]*(?:\s+[A-Z\u00c0-\u017d][\w.'-]+){1,3}"
_TOP_BYLINE = re.compile(rf"^(?:[Bb]y|BY|[Vv]on|[Pp]ar|[Pp]or)\s+{_TOP_BYLINE_NAME}"
                         rf"(?:\s*(?:and|&|/|,|und|et|y)\s*{_TOP_BYLINE_NAME})*$")
TOP_BYLINE_WORDS = 8


def _without_top_stamps(lines: list[str]) -> list[str]:
    """The lines without a date line or a byline standing alone at the text's top, before its
    first paragraph of prose ("Tuesday, May 22, 2007", "updated 3:49 PM EST, Fri January 4,
    2013", "By Trish Turner"): the page's furniture over the story, not its text. (Real
    pages: the expected texts never hold such a date line.)"""
    gone = set()
    for i, line in enumerate(lines[:TOP_LINES]):
        if story_line(line) and len(line.split()) > 12:
            break
        if _top_stamp(line) or (len(line.split()) <= TOP_BYLINE_WORDS and _TOP_BYLINE.match(line.strip())):
            gone.add(i)
    if not gone or len(gone) == len(lines):
        return lines
    return [line for i, line in enumerate(lines) if i not in gone]


def _top_stamp(line: str) -> bool:
    """A line that is a date and nothing more than a weekday, a time and a label."""
    line = line.strip(" |-\u2022")
    if not line or len(line.split()) > TOP_STAMP_WORDS or not any(p.search(line) for p in VISIBLE_DATES):
        return False
    rest = without_dates(_STAMP_TIME.sub(" ", _STAMP_WEEKDAY.sub(" ", line)))
    return all(word in _STAMP_LABEL_WORDS for word in re.sub(r"\d+", " ", rest).lower().split())


def _data_line(line: str) -> bool:
    """A line that is a script's data, not text: a JSON object or list of named values
    whole on one line (a hidden element a script reads its playlist or settings from, which
    extraction takes for prose). A JSON snippet quoted in a how-to runs over many lines."""
    if len(line) < DATA_LINE_CHARS or line[:1] not in "[{" or line[-1:] not in "]}" or '":' not in line:
        return False
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):  # (nested past the parser's depth: not data it reads)
        return False
    # (a list whose text has '":' holds named values)
    return isinstance(value, list) or (isinstance(value, dict) and len(value) >= 2)


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


def _prose_words(tree, at_least: float) -> bool:
    """Whether the page's paragraphs of prose (eight words or more, not mostly links),
    outside the furniture extraction skips (asides, menus, footers), hold ``at_least``
    words. All its paragraphs' words are counted first (fast, and enough for most pages),
    then the prose in one walk that does not enter furniture."""
    page_words = len(" ".join(tree.xpath("//p//text()")).split())
    if page_words < at_least:
        return False
    total, stack = 0, [tree]
    while stack:
        for child in stack.pop():
            if not isinstance(child.tag, str) or child.tag in _NOT_PROSE:
                continue
            if skipped(child) and not _page_wide(child, page_words):
                continue
            if child.tag != "p":
                stack.append(child)
                continue
            tokens = child.text_content().split()
            if len(tokens) >= 8 and 2 * sum(len(a.text_content().split()) for a in child.iter("a")) <= len(tokens):
                total += len(tokens)
    return total >= at_least


_NOT_PROSE = {"script", "style", "noscript", "template", "svg", "head", "form", "select"}


def _page_wide(el, page_words: int) -> bool:
    """A <div> whose name reads as furniture ("i-nav_drawer_slide": the page slides out
    under a menu) but that holds the headline and most of the page's paragraph words: the
    page's layout. (A menu can hold many teasers' words, but not the page's <h1>.)"""
    if el.tag != "div" or el.find(".//h1") is None:
        return False
    inside = len(" ".join(el.xpath(".//p//text()")).split())
    return inside >= 100 and 2 * inside > page_words


LAYOUT_ROWS_SHARE = 0.5  # of the text's lines that are a table's rows: the page's layout read as a table
STORY_CELL_SHARE = 0.5  # of the page's words that the story's cell holds


def _story_cell(tree, min_words: int):
    """The innermost table cell holding most of the page's words (STORY_CELL_SHARE), as a
    page of its own; else None. (Two cells holding more than half each are one inside the
    other: the last in document order is the innermost.)"""
    body = tree.find("body")
    if body is None:
        return None
    total = len(body.text_content().split())
    cell = None
    for td in body.iter("td"):
        n = len(td.text_content().split())
        if n >= min_words and n > STORY_CELL_SHARE * total:
            cell = td
    if cell is None:
        return None
    page = lxml.html.fromstring("<html><body><div></div></body></html>")
    holder = page.find("body/div")
    holder.text = cell.text
    for child in cell:
        holder.append(copy.deepcopy(child))
    return page


BODY_PARAGRAPH_WORDS = 25  # a paragraph this long is prose, not a promo line


OPENING_KEY_WORDS = 8  # the words of a page's description that find it in the page
OPENING_MAX_WORDS = 120  # a standfirst or a first paragraph, not the story
OPENING_GAP_WORDS = 150  # at most this much (share buttons, a date line, a caption) between it and the body
_NOT_OPENING = {"script", "style", "noscript", "template", "head", "title", "figcaption", "figure", "nav",
                "footer", "aside", "form", "button", "select", "option", "label", "blockquote", "li", "a"}


def _lost_opening(tree, text: str, descriptions: list) -> str | None:
    """The story's opening that extraction dropped: its standfirst (a lead paragraph
    styled apart, which precision mode often takes for a promo) or a first paragraph set
    as bare text beside an image. Found by the page's own description, which repeats it:
    a paragraph of the page that starts as the description does, stands before the
    extracted text within a few lines, and is not already in it."""
    body = tree.find(".//body")
    if body is None or not text:
        return None
    keys = []
    for d in descriptions:
        key = words(d or "")[:OPENING_KEY_WORDS]
        if len(key) == OPENING_KEY_WORDS and key not in keys:
            keys.append(key)
    first = words(text.split("\n", 1)[0])[:OPENING_KEY_WORDS]
    if not keys or len(first) < 4:
        return None
    have = " ".join(words(text))
    if any(" ".join(key) in have for key in keys):
        return None  # the story opens as described: nothing was dropped (most pages)
    page = body.text_content().lower()
    keys = [key for key in keys if max(key, key=len) in page]  # (a quick look before the walk)
    if not keys:
        return None
    # The page's visible text in order up to the extracted text's first line, as segments
    # (an element's own text, or a tail: then no element of its own), each with its words
    # and the offset of its first word.
    segments, flat, start = [], [], None
    for el, piece, owner in _pieces(body):
        tokens = words(piece)
        if not tokens:
            continue
        segments.append((len(flat), el, piece, owner))
        flat.extend(tokens)
        found = _find(flat[-(len(tokens) + len(first)):], first)
        if found is not None:
            start = len(flat) - min(len(flat), len(tokens) + len(first)) + found
            break
    if start is None:
        return None
    # A page that sets its story in an <article> or <main> holds the opening there too (a
    # site's tagline in the header can repeat its description).
    holder = segments[-1][3]  # the element holding the extracted text's first line
    story = holder if holder.tag in ("article", "main") else next(holder.iterancestors("article", "main"), None)
    for key in keys:
        at = _find(flat[:start], key)
        if at is None:
            continue
        # The paragraph: the element whose text starts there, else the bare text run.
        seg = next(seg for seg in reversed(segments) if seg[0] <= at)
        el, piece, owner = seg[1], seg[2], seg[3]
        if story is not None and owner is not story and story not in owner.iterancestors():
            continue
        block = el if el is not None and seg[0] == at and words(el.text_content())[:len(key)] == key else None
        opening = " ".join((block.text_content() if block is not None else piece).split())
        n = len(words(opening))
        if n < OPENING_KEY_WORDS or n > OPENING_MAX_WORDS or start - (at + n) > OPENING_GAP_WORDS \
                or at + n > start or " ".join(words(opening)[:OPENING_KEY_WORDS]) in have:
            continue
        return opening
    return None


# A standfirst's marks: a lead paragraph styled apart from the body ("lead", "teaser-text",
# "intro-text", "article-teaser", "standfirst", "dek"), which extraction often drops as a promo.
_STANDFIRST = re.compile(r"(?:^|[\s_-])(?:lead|teaser|intro|standfirst|dek|deck|subtitle|subheadline|abstract|"
                         r"excerpt|chapo|chapeau|hook)"
                         r"(?:$|[\s_-])", re.I)
_NOT_STANDFIRST = {"a", "nav", "aside", "figure", "figcaption", "script", "style", "button", "form", "li", "ul",
                   "ol", "header", "footer", "noscript", "template", "img", "picture", "time"}
STANDFIRST_LOOK = 60  # elements after the headline where a standfirst stands
STANDFIRST_SAID = 0.6  # share of a lead's word triples in the text that makes it said there already


def _lost_standfirst(tree, text: str) -> str | None:
    """The standfirst extraction dropped where the page's description does not give it: an
    element marked as a lead (its class or id), among the first after the page's <h1> and
    before the extracted text's first line, of an opening's length, not already in the text,
    and not a list of links (teasers of other stories)."""
    body = tree.find(".//body")
    h1 = body.find(".//h1") if body is not None else None
    if h1 is None and body is not None:
        # a page with no <h1> (a CMS's news view sets the headline in an <h2> or <h3>)
        h1 = next((h for h in body.iter("h2", "h3") if len(words(h.text_content())) >= 3), None)
    if h1 is None or not text:
        return None
    first = " ".join(words(text.split("\n", 1)[0])[:OPENING_KEY_WORDS])
    if len(first.split()) < 4:
        return None
    have = " ".join(words(text))
    opener = first.split(" ", 1)[0]  # (a quick look for the first word before reading an element's words)
    for i, el in enumerate(_following(h1)):
        if i >= STANDFIRST_LOOK:
            break
        if el.text and opener in el.text.lower() and first in " ".join(words(el.text)) \
                and " ".join(words(el.text_content())) in have:
            break  # the story's text itself: no standfirst before it
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag in _NOT_STANDFIRST or not _STANDFIRST.search(marks) or skipped(el):
            continue
        own = " ".join(el.text_content().split())
        tokens = words(own)
        if not OPENING_KEY_WORDS <= len(tokens) <= OPENING_MAX_WORDS or " ".join(tokens) in have \
                or containment(own, text, shingle=3) >= STANDFIRST_SAID:
            continue  # (a lead whose first sentence the story's first paragraph repeats still counts)
        if _mostly_links(el, tokens):
            continue
        return own
    return None


# The story's main points as a list under a label, set between the headline and the story
# ("Story highlights", "Key points", "Das Wichtigste in Kürze"): the outlet's own summary of
# this story, which extraction drops as a list outside the article's paragraphs. (A label
# over a list of links is a box of other stories or a menu: "Highlights", "Auf einen Blick".)
_HIGHLIGHTS_WORDS = (r"(?:story highlights|highlights|key points|key facts|at a glance|the gist|"
                     r"das wichtigste(?: in kürze)?|auf einen blick|l'essentiel|lo más importante)")
_HIGHLIGHTS_LABEL = re.compile(rf"\s*{_HIGHLIGHTS_WORDS}\s*:?\s*", re.I)
_HIGHLIGHTS_IN_PAGE = re.compile(rf">\s*{_HIGHLIGHTS_WORDS}\s*:?\s*<", re.I)  # (a look at the markup first)
HIGHLIGHTS_MAX_ITEMS = 6
HIGHLIGHT_MAX_WORDS = 40


def _lost_highlights(tree, html: str, text: str) -> list[str]:
    """The items of a labelled list of the story's main points that the text lacks: the
    list that follows an element holding only the label (or follows the label's parent),
    or, where the label is the list's own first item (<ul><li>Story Highlights</li><li>...
    </li><li><a>Next Article in U.S. »</a></li></ul>), the items after it up to the first
    that is mostly links (the list's own furniture). 2 to ``HIGHLIGHTS_MAX_ITEMS`` items of
    at most ``HIGHLIGHT_MAX_WORDS`` words, none of them mostly links, none already in the
    text, outside the furniture extraction skips."""
    if not text or not _HIGHLIGHTS_IN_PAGE.search(html):
        return []
    have = " ".join(words(text))
    for label in tree.iter():
        if not isinstance(label.tag, str) or len(label) or not label.text \
                or not _HIGHLIGHTS_LABEL.fullmatch(label.text):
            continue
        if label.tag == "li":
            points = label.getparent()
            items = [(li, words(li.text_content())) for li in label.itersiblings("li")]
            items = list(itertools.takewhile(lambda item: item[1] and not _mostly_links(*item), items))
        else:
            points = label.getnext()
            if points is None and label.getparent() is not None:
                points = label.getparent().getnext()
            items = [(li, words(li.text_content())) for li in points.findall("li")] if points is not None else []
        if points is None or points.tag not in ("ul", "ol") or not 2 <= len(items) <= HIGHLIGHTS_MAX_ITEMS \
                or any(not 0 < len(t) <= HIGHLIGHT_MAX_WORDS or " ".join(t) in have or _mostly_links(li, t)
                       for li, t in items) \
                or any(skipped(el) for el in itertools.chain([points], points.iterancestors())):
            continue
        return [" ".join(li.text_content().split()) for li, _t in items]
    return []


DEK_MIN_WORDS = 6
HEADLINE_SHARE = 0.6  # of the <h1>'s words a part of the declared title holds, and of that part's the <h1> holds
HEADLINE_MIN_WORDS = 4
# A date, a time, comments or a byline's opening: the headline's meta line, not a dek.
_META_LINE = re.compile(r"\b\d{1,2}[:.]\d\d\b|\b(?:19|20)\d\d\b|\bcomments?\b|"
                        r"^(?:posted|written|published|updated|by)\b", re.I)
_DEK_TAGS = {"h2", "h3", "h4", "h5", "h6", "p", "div"}
_DEK_BLOCKS = ("p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "figure")


def _lost_dek(tree, text: str, declared: str) -> str | None:
    """The standfirst set unmarked under the headline: an <h2> or <h3> after the <h1>, or a
    bare <p> or <div> (_lost_standfirst finds only one whose class or id names it). It is the
    first element with text after the <h1>, its sibling, of DEK_MIN_WORDS to
    OPENING_MAX_WORDS words, not links, not a byline's or a date's line, not the headline
    again, not already said; and the <h1> is the story's headline, as the declared title
    says it (a blog's <h1> is often its name and the line under it the blog's tagline)."""
    body = tree.find(".//body")
    h1 = body.find(".//h1") if body is not None else None
    if h1 is None or not text or not _states_the_title(h1, declared):
        return None
    first = " ".join(words(text.split("\n", 1)[0])[:OPENING_KEY_WORDS])
    if len(first.split()) < 4:
        return None
    for i, el in enumerate(_following(h1)):
        if i >= STANDFIRST_LOOK or el.tag == "h1":
            return None
        if el.tag in ("script", "style", "noscript", "template") or not (own := " ".join(el.text_content().split())):
            continue  # (an image, a spacer)
        if next(el.iterdescendants(*_DEK_BLOCKS), None) is not None:
            continue  # a box: its first leaf decides
        if next(el.iterdescendants("script", "style", "noscript"), None) is not None:
            return None
        tokens = words(own)
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag not in _DEK_TAGS or el.getparent() is not h1.getparent() or _META_LINE.search(own) \
                or skipped(el) or BYLINE_CLASS.search(marks) or DATE_CLASS.search(marks) \
                or BY_START.match(own) or _mostly_links(el, tokens) \
                or not DEK_MIN_WORDS <= len(tokens) <= OPENING_MAX_WORDS:
            return None
        if len(set(words(h1.text_content())) & set(tokens)) >= HEADLINE_SHARE * len(set(tokens)):
            return None  # the headline again (a second title, a kicker and the title)
        have = " ".join(words(text))
        if " ".join(tokens[:OPENING_KEY_WORDS]) in have or first in " ".join(tokens) \
                or containment(own, text, shingle=3) >= STANDFIRST_SAID:
            return None  # the story's own text, or said in it
        return own
    return None


def _states_the_title(h1, declared: str) -> bool:
    """Whether the <h1> is the story's headline: HEADLINE_MIN_WORDS words or more, most of
    them a part of the ``declared`` title's (og:title, else the <title>, split at its
    separators), and most of that part's its."""
    mine = set(words(h1.text_content()))
    if len(mine) < HEADLINE_MIN_WORDS:
        return False  # (a site's name)
    declared = " ".join((declared or "").split())
    for part in TITLE_SEPARATOR.split(declared) if declared else []:
        theirs = set(words(part))
        common = len(mine & theirs)
        if theirs and common >= HEADLINE_SHARE * len(mine) and common >= HEADLINE_SHARE * len(theirs):
            return True
    return False


CONTINUED_LEVELS = 7  # ancestors of the story's last paragraph looked at for its continuation
CONTINUED_MIN_WORDS = 10  # a paragraph of a continuation block: prose, not a label
CONTINUED_MAX_SHARE = 3  # a continuation longer than this many times the story is another page part
_PROSE_TAGS = ("p", "h2", "h3", "h4", "li", "blockquote")
CONTINUED_KEY_CHARS = 30


def _continued(tree, text: str) -> list[str]:
    """The story's paragraphs that extraction left in the blocks after the one it took: a
    CMS that builds a page from blocks ("Richtext_Block", "textmodul", a section each) sets
    one story in several sibling blocks of one kind, and extraction keeps one. Found from
    the element holding the extracted text's last paragraph: an ancestor's following
    siblings of the same tag and class, their prose paragraphs not already in the text. A
    sibling that holds another story (a linked heading, a date, an <article>) or furniture
    (a comment, a menu, an aside) ends the search."""
    last = next((line for line in reversed(text.splitlines()) if len(line.split()) >= 6), None)
    if last is None:
        return []
    key = words(last)[:6]
    # The element whose own text starts as the line does (its first word looked for first:
    # most elements are passed over without reading their words), checked word by word.
    start = " ".join(last.split())[:CONTINUED_KEY_CHARS]
    probe = start.split(" ", 1)[0]
    anchor = next((el for el in tree.iter(*_PROSE_TAGS) if el.text and probe in el.text
                   and " ".join(el.text.split()).startswith(start) and words(el.text_content())[:6] == key), None)
    if anchor is None or not any(up.get("class") for up in anchor.iterancestors()):
        return []
    have = budget = None  # (the text's words: read once a sibling block offers a paragraph)
    found: list[str] = []
    for level, up in enumerate(anchor.iterancestors()):
        if level >= CONTINUED_LEVELS or up.tag in ("body", "html") or skipped(up):
            break
        kind = up.get("class")
        if not kind:
            continue
        for sibling in (block for s in up.itersiblings() for block in _alike_within(s, up)):
            if not _built_alike(sibling, up, anchor):
                continue
            if _another_story(sibling) or skipped(sibling):
                return found
            for el in sibling.iter(*_PROSE_TAGS):
                if any(a.tag in _PROSE_TAGS for a in el.iterancestors()) and el.tag != "li":
                    continue  # (a paragraph inside a quote or list item: read with it)
                line = " ".join(el.text_content().split())
                tokens = words(line)
                if len(tokens) < CONTINUED_MIN_WORDS and el.tag not in ("h2", "h3", "h4"):
                    continue
                if not tokens:
                    continue
                if have is None:
                    have = " ".join(words(text))
                    budget = CONTINUED_MAX_SHARE * len(have.split())
                if " ".join(tokens[:8]) in have or _furniture_line(line):
                    continue
                if _mostly_links(el, tokens):
                    continue
                budget -= len(tokens)
                if budget < 0:
                    return []
                found.append(line)
                have += " " + " ".join(tokens)
    # A heading left last is the next block's, whose text was not taken.
    while found and len(words(found[-1])) < CONTINUED_MIN_WORDS:
        found.pop()
    return found


def _without_next_stories(tree, text: str) -> str | None:
    """The text without the lines of the stories after the page's own: a page that loads
    the next stories as you scroll sets each in an <article> with its own <h1>, and
    extraction can read on into them. The page's story is the <article> holding the text's
    first line; a line found in another such <article> and not in it goes. None when no
    line does."""
    stories = [a for a in tree.iter("article") if a.find(".//h1") is not None
               and not any(up.tag == "article" for up in a.iterancestors())]
    lines = text.splitlines()
    if len(stories) < 2 or not lines:
        return None
    said = [" ".join(words(a.text_content())) for a in stories]

    def holders(line):
        key = " ".join(words(line)[:8])
        return {i for i, story in enumerate(said) if key and key in story}
    first = next((line for line in lines if len(words(line)) >= 6), None)
    own = holders(first) if first else set()
    if len(own) != 1:
        return None
    kept, dropped = [], 0
    for line in lines:
        found = holders(line)
        if found and not found & own:
            dropped += 1
        else:
            kept.append(line)
    if dropped < NEXT_STORY_LINES:
        return None
    return "\n".join(kept)


NEXT_STORY_LINES = 2  # lines of another story before they are cut (one may be a quote both share)


# A picture's caption or credit: a <figcaption>, or an element whose class or id says so.
# (lower case: searched in lower-cased values)
_CAPTION_MARK = re.compile(r"caption|credit|bildunterschrift|bildnachweis|imagedescription|image-description|"
                           r"media__description|copyright|photo-?credit|wp-caption-text")
CAPTION_MAX_WORDS = 40  # a caption longer than this is the story's own paragraph set beside a picture


def _without_captions(tree, text: str, marked: list) -> str | None:
    """The text without the lines that are, as a whole, a picture's caption or credit on the
    page (extraction keeps some: a caption set in a <div> or <p> beside the picture, a
    credit line "Foto: ..."). None when no line is, or when too little would be left.
    (Real pages, dev: 5 unwanted snippets of 4 pages gone, none lost.)"""
    keys = _line_keys(text)
    captions = set()
    for el in itertools.chain(tree.iter("figcaption"), marked):  # (those _CAPTION_MARK names)
        if (said := " ".join(words(el.text_content()))) in keys and len(said.split()) <= CAPTION_MAX_WORDS:
            captions.add(said)
        elif el.tag in _INLINE_MARKUP:
            # A credit marked inside the caption's paragraph (<p class="small">Gas masks are
            # handed out ... <span class="credit">(Jim Hollander, EPA)</span></p>): the line is
            # the paragraph, caption and credit.
            holder = next((up for up in el.iterancestors() if up.tag not in _INLINE_MARKUP), None)
            if holder is not None and holder.tag in _CAPTION_HOLDERS \
                    and (said := " ".join(words(holder.text_content()))) in keys \
                    and len(said.split()) <= CAPTION_WITH_CREDIT_WORDS:
                captions.add(said)
    return _without_lines(text, captions)


_INLINE_MARKUP = {"span", "em", "i", "small", "b", "strong", "cite", "font", "a"}
_CAPTION_HOLDERS = {"p", "div", "td", "dd", "li", "figcaption"}
CAPTION_WITH_CREDIT_WORDS = 60


@functools.lru_cache(maxsize=4)
def _line_keys(text: str) -> frozenset[str]:
    """The text's lines as their words, to match an element's text against. (Kept for the
    last few texts: the caption and the box readers ask for the same text's.)"""
    return frozenset(" ".join(words(line)) for line in text.split("\n") if line.strip())


def _marked_elements(tree, *patterns) -> list[list]:
    """For each of ``patterns`` (lower case; matching no line break), the elements whose
    class or id it finds, in document order: one search over all their values joined by
    line breaks and lower-cased (a search per element cost a page over a millisecond)."""
    values, owners = [], []
    for el in tree.iter(etree.Element):  # (faster than the XPath of both attributes)
        for value in (el.get("class"), el.get("id")):
            if value is not None:
                values.append(value)
                owners.append(el)
    if not values:
        return [[] for _ in patterns]
    joined = "\n".join(values).lower()
    if len(joined) == sum(map(len, values)) + len(values) - 1:
        ends = list(itertools.accumulate(len(v) + 1 for v in values))
    else:  # (lower case changed a value's length: "İ")
        lowered = [v.lower() for v in values]
        ends = list(itertools.accumulate(len(v) + 1 for v in lowered))
        joined = "\n".join(lowered)
    out = []
    for pattern in patterns:
        found = []
        for m in pattern.finditer(joined):
            el = owners[min(bisect.bisect_right(ends, m.start()), len(values) - 1)]
            if not found or found[-1] is not el:
                found.append(el)
        out.append(found)
    return out


def _without_lines(text: str, gone: set[str]) -> str | None:
    """The text without the lines whose words are one of ``gone``; None when none is, or when
    too little would be left."""
    if not gone:
        return None
    lines = text.split("\n")
    kept = [line for line in lines if not (line.strip() and " ".join(words(line)) in gone)]
    if len(kept) == len(lines) or word_count("\n".join(kept)) < MIN_WORDS:
        return None
    return "\n".join(kept)


# A box of the page's furniture set in or beside the story, by its class or id: related posts, tag
# links, a table of contents, an author's box, a newsletter's, an ad plugin's block, a widget.
_FURNITURE_BOX_MARK = re.compile(  # (lower case: searched in lower-cased values; a word between separators)
    r"(?<![^\s_-])(?:related|tag-links|toc|toc_container|sabox\w*|author-?box|author-?bio|about-?author|"
    r"newsletter|code-block|widget|next-articles?|next-article-container|video-inset|inset|promo|recirc\w*|"
    r"more-stories|read-next|up-next)(?![^\s_-])")
BOX_MAX_WORDS = 300  # a box longer than this (or than half the text) holds the story
# Up to this many lines of text, each is looked for in a box's words first, and the box's
# elements are read only when one is there; beyond, the elements are read at once (lines
# times boxes grows with the square of a page's size).
KEYS_SCANNED = 300
_LEAVES = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "dt", "dd", "blockquote")


def _without_boxes(tree, text: str, marked: list) -> str | None:
    """The text without the lines that are, as a whole, the text of a furniture box's element
    (or of the box) and said nowhere else on the page (a related list or a table of contents
    names the story's own headings). None when no line is, or when too little would be left."""
    total, keys = word_count(text), _line_keys(text)
    said, boxes = set(), []
    for el in marked:  # (those _FURNITURE_BOX_MARK names)
        inside = words(el.text_content())
        if not inside or len(inside) > BOX_MAX_WORDS or len(inside) > total / 2:
            continue
        boxes.append(el)
        inside = " ".join(inside)
        # (most boxes hold no line of the text: their elements' words are read only when one
        # might; a line of no words, "- ", is in every box, as an empty element's)
        if len(keys) <= KEYS_SCANNED and not any(key in inside for key in keys):
            continue
        lines = (" ".join(words(inner.text_content())) for inner in el.iter() if isinstance(inner.tag, str))
        said.update(line for line in lines if line in keys and line in inside)
    if said:  # (rare: the page's other paragraphs are read only then)
        boxed = {inner for el in boxes for inner in el.iter() if isinstance(inner.tag, str)}
        for el in tree.iter(*_LEAVES):
            if el not in boxed:
                said.discard(" ".join(words(el.text_content())))
    return _without_lines(text, said)


# "LOOKING AHEAD: <a>NASA has a positive message</a>", "Explore further: <a>...</a>", "Lesetipp:
# <a>...</a>": a short label, a colon and one link's headline (another story of the site).
_LABELLED_LINE = re.compile(r"^\s*([^:.!?\n]{2,40}):\s*(\S.*)$")
LINK_PROMPT_LABEL_WORDS = 4
LINK_PROMPT_MIN_WORDS = 3


def _without_link_prompts(tree, text: str, url: str | None) -> str | None:
    """The text without the lines that are a short label and a link to another page of the
    site, the paragraph holding nothing else: a prompt to read another story, in any
    language. (Not an item of a list, whose entries are the list's own; not a label with a
    figure: "Update 3:" opens the story's own news.) None when no line is."""
    prompts = {}
    for line in text.split("\n"):
        if line.lstrip().startswith(("-", "\u2022", "|")) or not (m := _LABELLED_LINE.match(line.strip())):
            continue
        if len(m.group(1).split()) <= LINK_PROMPT_LABEL_WORDS and not re.search(r"\d", m.group(1)) \
                and len(m.group(2).split()) >= LINK_PROMPT_MIN_WORDS:
            prompts[" ".join(words(m.group(2)))] = " ".join(words(line))
    if not prompts:
        return None
    own = url_parts(url or "")
    if own is None:
        return None
    gone = set()
    # (a link's words are read only when its text holds a prompt's first word)
    firsts = {rest.split(" ", 1)[0] for rest in prompts if rest}
    for a in tree.iter("a"):
        shown = a.text_content().lower()
        if not any(first in shown for first in firsts):
            continue
        if (said := " ".join(words(shown))) not in prompts or not _links_within(a.get("href") or "", own):
            continue
        holder = next((up for up in a.iterancestors() if up.tag not in _INLINE_MARKUP), None)
        if holder is not None and " ".join(words(holder.text_content())) == prompts[said]:
            gone.add(prompts[said])
    return _without_lines(text, gone)


def _links_within(href: str, own) -> bool:
    """Whether a link leads to another page of the site of the page whose address is ``own``
    (split)."""
    target = url_parts(href.strip(), base=urlunsplit(own))
    return target is not None and bool(target.path.strip("/")) and site_of(target.netloc) == site_of(own.netloc)


_NOT_INLINE = ("p", "div", "section", "article", "aside", "ul", "ol", "table", "figure", "h1", "h2", "h3", "h4", "h5",
               "h6", "blockquote", "header", "footer", "nav", "form", "script", "style", "iframe", "video", "button",
               "input", "dl", "pre", "hr")  # in a paragraph: not text and inline markup
CLASS_OPENING_CHARS = 24  # of a line's opening, as plain lower-case text, to find its paragraph by


def _opening(text: str) -> str:
    return " ".join(text[:CLASS_OPENING_CHARS * 3].split()).lower()[:CLASS_OPENING_CHARS]


CLASS_MIN_PARAGRAPHS = 3  # elements sharing one class before it counts as the story's paragraphs' class
CLASS_NEAR = 3  # levels above a kept paragraph where its class's other paragraphs must meet it
_SENTENCE_END = re.compile(r"[.!?…\"”’»)]$")


def _class_paragraphs(tree, text: str) -> str | None:
    """The text with the paragraphs it lacks of a class that marks the story's paragraphs:
    a CMS that writes each paragraph as an element of one class ("zn-body__paragraph") may
    set some as <p> and others as <div>, or one inside a media box, and extraction keeps one
    kind. A class counts when a paragraph kept in the text carries it and at least
    CLASS_MIN_PARAGRAPHS elements of the page do, all within CLASS_NEAR levels of the kept
    one; the others (prose, not links, not in furniture) are put back where they stand in
    the page. None when nothing is missing."""
    lines = text.splitlines()
    # Each line's opening as plain lower-case text, to find the paragraphs that hold a line
    # without reading every paragraph's words (a match is then checked word by word).
    openings = {}
    for i, line in enumerate(lines):
        opening = _opening(line)
        if len(opening) >= CLASS_OPENING_CHARS:
            openings.setdefault(opening, i)
    if not openings:
        return None
    groups: dict[str, list] = {}
    for el in tree.iter("p", "div"):
        kind = el.get("class")
        # A paragraph: text and inline markup, no blocks (a box of blocks shares its class
        # with its like: a grid's columns, a list of teasers). (So no paragraph of a class
        # holds another.)
        if kind and kind.strip() and next(el.iterdescendants(*_NOT_INLINE), None) is None:
            groups.setdefault(kind, []).append(el)
    have, budget = None, 0
    inserts: dict[tuple[str, int], list[str]] = {}
    for kind, members in groups.items():
        if len(members) < CLASS_MIN_PARAGRAPHS:
            continue
        placed = []
        for el in members:
            # (its own leading text, where that is long enough, opens it as its whole text does)
            own = _opening(el.text or "")
            at = openings.get(own if len(own) == CLASS_OPENING_CHARS else _opening(el.text_content()))
            if at is not None:  # (kept: a line of the text is this paragraph, whole)
                mine, theirs = words(el.text_content()), words(lines[at])
                at = at if mine[:6] == theirs[:6] and abs(len(theirs) - len(mine)) <= 0.2 * len(mine) else None
            placed.append(at)
        kept = [el for el, at in zip(members, placed) if at is not None]
        if not kept or len(kept) == len(members):
            continue
        if have is None:
            have = " ".join(words(text))
            budget = CONTINUED_MAX_SHARE * len(have.split())
        # The box the kept paragraphs stand in, a few levels up; the class's other
        # elements count only inside it.
        box = _nth_ancestor(kept[0], CLASS_NEAR - 1)
        if box is None or box.tag in ("body", "html"):
            continue
        last = ("before", next(at for at in placed if at is not None))
        for el, at in zip(members, placed):
            if at is not None:
                last = ("after", at)
                continue
            if box not in el.iterancestors() or _in_furniture(el, box):
                continue
            line = " ".join(el.text_content().split())
            tokens = words(line)
            if len(tokens) < 4 or (len(tokens) < CONTINUED_MIN_WORDS and not _SENTENCE_END.search(line)):
                continue
            if " ".join(tokens[:8]) in have or _furniture_line(line) or _mostly_links(el, tokens):
                continue
            budget -= len(tokens)
            if budget < 0:
                return None
            inserts.setdefault(last, []).append(line)
            have += " " + " ".join(tokens)
    if not inserts:
        return None
    out = []
    for i, line in enumerate(lines):
        out.extend(inserts.get(("before", i), []))
        out.append(line)
        out.extend(inserts.get(("after", i), []))
    return "\n".join(out)


# A box set into the story (a fact box floated beside it, an inset): its paragraphs share the
# story's class but tell something else.
_INSET = re.compile(r"box|inset|float|callout", re.I)


def _in_furniture(el, box) -> bool:
    """Whether ``el`` stands in furniture (an aside, a menu, a figure, a related box) below ``box``."""
    for up in el.iterancestors():
        if up is box:
            return False
        if skipped(up) or up.tag in ("figure", "figcaption", "blockquote", "article", "form") \
                or _FURNITURE_BOX.search(marks := f"{up.get('class', '')} {up.get('id', '')}") or _INSET.search(marks):
            return True
    return True


CONTINUED_WRAP = 2  # wrapper levels around a following block of the story's kind


def _alike(el, block) -> bool:
    """One kind of block: the same tag, and the same first class (its name; the rest are
    often layout utilities a CMS varies from block to block: "mt-n35", "no-review") or
    most classes alike."""
    if el.tag != block.tag:
        return False
    mine, theirs = (el.get("class") or "").split(), (block.get("class") or "").split()
    if not mine or not theirs:
        return False
    if 2 * len(set(mine) & set(theirs)) >= len(set(mine) | set(theirs)):
        return True
    # A layout grid's name ("column", "row", "col-md-8") is every region's, not a kind of block.
    return mine[0] == theirs[0] and not _LAYOUT.match(mine[0])


_LAYOUT = re.compile(r"(?:col|column|columns|row|grid|span|container|wrap|wrapper|inner|outer|clearfix|cf|"
                     r"box|block|section|region|layout|pure-u|g|l|u)(?:$|[-_\d])", re.I)
_FURNITURE_BOX = re.compile(r"foot|comment|sidebar|related|recommend|promo|newsletter", re.I)


def _alike_within(sibling, block):
    """``sibling`` if it is a block of ``block``'s kind, else such blocks wrapped in it at
    most CONTINUED_WRAP levels down (a CMS wraps a story's later blocks in a box of its own
    to load them apart: "continued contents")."""
    if not isinstance(sibling.tag, str):
        return
    if _alike(sibling, block):
        yield sibling
        return
    level = [sibling]
    for _ in range(CONTINUED_WRAP):
        level = [child for el in level
                 if not (skipped(el) or _FURNITURE_BOX.search(f"{el.get('class', '')} {el.get('id', '')}"))
                 for child in el if isinstance(child.tag, str)]
        for el in level:
            if _alike(el, block):
                yield el
        level = [el for el in level if not _alike(el, block)]


def _built_alike(sibling, block, anchor) -> bool:
    """Whether ``sibling`` holds a paragraph inside the same nest of elements (tags and
    classes) as ``anchor`` inside ``block``: a block of the same kind built the same way,
    not a box (an author's biography, a "did you know") that shares its class."""
    chain = []
    for up in anchor.iterancestors():
        if up is block:
            break
        chain.append(up)
    for el in sibling.iter(anchor.tag):
        ups = el.iterancestors()
        if all(u.tag == link.tag and (u.get("class") == link.get("class") or _alike(u, link))
               for u, link in zip(ups, chain)) and \
                (next(el.iterancestors(), None) if not chain else _nth_ancestor(el, len(chain))) is sibling:
            return True
    return False


def _nth_ancestor(el, n: int):
    for i, up in enumerate(el.iterancestors()):
        if i == n:
            return up
    return None


def _another_story(el) -> bool:
    """A block that holds another story's teaser or a part of the page that is no story."""
    if COMMENTS.search(f"{el.get('class', '')} {el.get('id', '')}"):
        return True
    return bool(el.xpath(".//article | .//time | .//*[@itemprop='articleBody'] | .//h1 | .//h2[.//a] | .//h3[.//a] "
                         "| .//a[.//h2 or .//h3] | .//form | .//*[contains(@class, 'comment')]"))


def _mostly_links(el, tokens: list[str]) -> bool:
    """Whether more than half of an element's words (``tokens``) are its links' (teasers)."""
    return 2 * sum(len(words(a.text_content())) for a in el.iter("a")) > len(tokens)


def _following(el):
    """The elements after ``el`` in document order (its own descendants apart), one at a time."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from (e for e in sibling.iter() if isinstance(e.tag, str))
        node = node.getparent()


def _pieces(root):
    """(element, its own text, element) and (None, a child's tail, the element) in
    document order, outside scripts, captions, navigation, forms, quotes, list items and
    links. (A stack, not recursion: a malformed page can nest deeper than Python recurses.)"""
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # a tail, due once its element's subtree is done
            yield item
            continue
        if isinstance(item.tag, str) and item.tag not in _NOT_OPENING:
            if item.text:
                yield item, item.text, item
            for child in reversed(item):
                if child.tail:
                    stack.append((None, child.tail, item))
                stack.append(child)


def _find(tokens: list, key: list) -> int | None:
    n = len(key)
    for i in range(len(tokens) - n + 1):
        if tokens[i] == key[0] and tokens[i:i + n] == key:
            return i
    return None


def _drop_empty_markers(tree) -> None:
    """Empty inline elements inside paragraphs go, their following text kept. A CMS marks
    places in a paragraph with them (``<p><span id="byLine"></span>Some traders...``);
    extraction drops an element so marked ("byline", "share") with the text after it,
    which is the paragraph's first words."""
    # (the paragraph tested as an ancestor: "//p//span[...]" is quadratic in libxml2 on a page of
    # thousands of paragraphs, seconds a page)
    _drop_empty([el for el in tree.xpath("//span[not(node())][ancestor::p] | //i[not(node())][ancestor::p]"
                                         " | //a[not(node())][not(@href)][ancestor::p]")
                 if el.tail and el.tail.strip()])
    # Precision mode deletes an empty element with the text after it: a paragraph written
    # "<p><strong></strong>The story's first sentence ...", a standfirst after an empty <li/>,
    # the text after a <p> that held only a script. Such an element goes first, its
    # following prose kept (not an icon's <span> or <i> before a button's or a teaser's label).
    # (one walk over these tags costs a third of an XPath union of them)
    _drop_empty([el for el in tree.iter(*_EMPTY_BEFORE_TEXT) if el.text is None and not len(el) and el.tail
                 and len(el.tail.split()) >= EMPTY_TAIL_WORDS])


def _drop_empty(elements: list) -> None:
    """Remove elements that hold nothing (no text, no child), each one's tail joined to the
    text before it, as lxml's ``drop_tag`` does; all the children of one parent in one pass
    (``drop_tag`` one at a time finds each in its parent and copies the text gathered so far
    again: quadratic, minutes for a page of thousands of such elements in one paragraph)."""
    by_parent: dict = {}
    for el in elements:
        if (parent := el.getparent()) is not None:
            by_parent.setdefault(parent, set()).add(el)
    for parent, gone in by_parent.items():
        before, pieces = None, []  # the text the next tail joins: the parent's, or a kept child's tail
        for child in list(parent):
            if child in gone:
                if child.tail:
                    pieces.append(child.tail)
                    child.tail = None
                parent.remove(child)
                continue
            _join_text(parent, before, pieces)
            before, pieces = child, []
        _join_text(parent, before, pieces)


def _join_text(parent, before, pieces: list) -> None:
    if not pieces:
        return
    if before is None:
        parent.text = (parent.text or "") + "".join(pieces)
    else:
        before.tail = (before.tail or "") + "".join(pieces)


_EMPTY_BEFORE_TEXT = ("p", "div", "strong", "b", "em", "li", "dd", "dt", "q", "blockquote", "section", "h2", "h3", "h4",
                      "h5", "h6")
EMPTY_TAIL_WORDS = 5  # words of prose after an empty element, kept


def _unmark_body_teasers(tree) -> None:
    """Some CMSs (Arc's "teaser-content") wrap an article's first paragraphs in a block
    classed "teaser", which trafilatura's precision mode drops as a promo. Body paragraphs
    are styled alike: a teaser block of prose paragraphs styled as the page's other long
    paragraphs, with few links, is the article's start: its teaser class goes."""
    styles: dict[str, int] = {}
    for p in tree.iter("p"):
        if p.get("class") and len(p.text_content().split()) >= BODY_PARAGRAPH_WORDS:
            styles[p.get("class")] = styles.get(p.get("class"), 0) + 1
    body_style = max(styles, key=styles.get, default=None)
    if body_style is None or styles[body_style] < 3:
        return
    for block in tree.xpath('//*[contains(translate(@class, "T", "t"), "teaser") '
                            'or contains(translate(@id, "T", "t"), "teaser")]'):
        prose = [p for p in block.iter("p") if p.get("class") == body_style
                 and len(p.text_content().split()) >= BODY_PARAGRAPH_WORDS]
        words_all = len(block.text_content().split())
        linked = sum(len(a.text_content().split()) for a in block.iter("a"))
        if prose and words_all and linked < 0.2 * words_all \
                and sum(len(p.text_content().split()) for p in prose) >= 0.8 * words_all:
            for attr in ("class", "id"):
                if block.get(attr):
                    block.set(attr, re.sub("teaser", "lede", block.get(attr), flags=re.I))


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

