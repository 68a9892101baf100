"""Whether a fetched page holds an article: the clean stage refuses one only on evidence.

A wall's, a challenge's or an error page's own words on a page with little text of its own;
a declared page type that is not one article (a live blog, a gallery, a collection, a
video); the shape of a listing (linked headlines with their teasers, dated blurbs, a
forum's or a schedule's columns, a search's result count), by rules and then the listing
model (``pipelines.listing``). Never for being long; short news is kept. ``judge`` raises
``NotAnArticle`` with the reason and the figures that decided it.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import lxml.html

from pipelines import listing
from pipelines.dates import MONTH_PATTERN
from pipelines.dedup import TRACKING_PARAMS
from pipelines.markup import (ARTICLE_TYPES, BLOCKS, page_text, plain_text, site_of, skipped, story_line,
                              url_parts)
from pipelines.text import blind_search, word_count, words

LINK_FARM_LINKS, LINK_FARM_RATIO = 150, 4  # this many headline links, and four for every word of text
STAMP_LINES, STAMP_SHARE = 10, 0.75  # lines of dates and labels, and their share of all lines, of a list

# What walls, challenges, stubs and error pages served with status 200 say. Only pages
# with little text of their own are judged by these (an article may discuss cookies).
WALL_PHRASES = [
    # A bare "captcha" is not one: "protected by reCAPTCHA" sits under newsletter forms.
    ("bot-challenge", re.compile(r"checking (?:if the site connection is secure|your browser)|verify (?:that )?you are "
                                 r"(?:a )?human|are you a robot|enable javascript and cookies to continue|"
                                 r"ddos protection by|complete the (?:captcha|security check)|unusual traffic from your|"
                                 r"request unsuccessful\. incapsula|you will be connected to \S+ in just a moment|"
                                 r"attention required! \| cloudflare|please wait while your request is being verified", re.I)),
    ("paywall-stub", re.compile(r"subscribe (?:now )?to (?:continue|keep) reading|to continue reading,? "
                                r"(?:please )?(?:subscribe|sign in|log in)|this (?:article|story|content) is "
                                r"(?:only )?(?:available|reserved) (?:to|for) (?:subscribers|members)|"
                                r"already a subscriber\?|become a (?:subscriber|member) to read|"
                                r"weiterlesen mit|abonnez-vous pour lire|article r[ée]serv[ée] aux abonn[ée]s", re.I)),
    ("consent-wall", re.compile(r"before you continue|we (?:and our partners )?(?:use|value) (?:cookies|your privacy)|"
                                r"accept all cookies|manage (?:cookie )?(?:preferences|settings|choices)|"
                                r"cookie (?:consent|settings)|consent to (?:the use of )?cookies|"
                                r"bevor sie fortfahren|nous respectons votre vie priv[ée]e", re.I)),
    # "404" alone is a number in a story: the page must say it is an error.
    ("error-page", re.compile(r"page (?:not found|cannot be found|could not be found|no longer exists)|"
                              r"(?:we )?(?:couldn't|could not|can't|cannot) find (?:that|the|this) page|"
                              r"\b(?:error|fehler|erreur|errore) 404\b|\b404\b[ :|-]+(?:not found|error|page)|"
                              r"seite nicht gefunden|page introuvable|p[áa]gina no encontrada|pagina non trovata|"
                              r"seite wurde nicht gefunden|diese seite (?:ist|existiert) (?:leider )?nicht (?:mehr )?"
                              r"(?:verfügbar|vorhanden)|(?:this|the) page (?:is|isn't|is not) (?:no longer )?available|"
                              r"the page you (?:requested|are looking for|were looking for) (?:could not|cannot|can't|"
                              r"does not|doesn't|no longer)|cette page n'existe (?:plus|pas)|esta p[áa]gina no existe", re.I)),
]


# An error page under a portal's menus runs long: it says so in one of its first lines.
ERROR_FIRST_LINES = 5


# What a sign-in page says of itself (judged only beside a password field).
_SIGN_IN = re.compile(r"\b(?:sign(?:ing)?[ -]?in|log(?:ging)?[ -]?in|log[ -]?on|forgot(?:ten)? (?:your )?password|"
                      r"create an account|your account|anmelden|einloggen|passwort vergessen|connexion|se connecter|"
                      r"iniciar sesi[óo]n|accedi)\b", re.I)


# Challenge pages that say little and mark themselves in their markup.
CHALLENGE_MARKUP = re.compile(r"_Incapsula_Resource|cf-browser-verification|/cdn-cgi/challenge-platform|"
                              r"cf_chl_opt|ddos-shield\.appspot\.com|jschl[-_]answer", re.I)


WALL_MAX_WORDS = 200  # a page with more text of its own than this is judged as an article


WALL_BARE_WORDS = 60  # below this, a wall's words anywhere on the page give it away


_PAYWALL = dict(WALL_PHRASES)["paywall-stub"]


_ERROR = dict(WALL_PHRASES)["error-page"]


WALL_LINE_WORDS = 30  # a line saying a wall's words and no longer than this is the wall's


SHELL_MAX_WORDS = 25  # a page with scripts and fewer visible words than this is an app shell


class NotAnArticle(Exception):
    """The page is fetched fine but holds no article; str() is the drop reason, ``figures``
    the evidence in a few words ("34 teasers hold 81% of the text")."""

    def __init__(self, reason: str, figures: str | None = None):
        super().__init__(reason)
        self.reason = reason.split(" ")[0]
        self.figures = figures


def paywalled_preview(text: str, declared_article: bool, dated: bool, min_words: int) -> str | None:
    """The text above its paywall (the wall's first line and all after it are the wall's:
    its offer, prices, sign-in), when the page is a declared, dated article whose open
    part (headline, date and first paragraphs: what a monitor needs to know the story
    exists) is an article's worth of words; else None."""
    if not (declared_article and dated) or not blind_search(_PAYWALL, text):
        return None
    lines = text.split("\n")
    wall = next((i for i, line in enumerate(lines)
                 if _PAYWALL.search(line) and len(line.split()) <= WALL_LINE_WORDS), None)
    if wall is None:
        return None
    preview = "\n".join(lines[:wall]).strip()
    return preview if word_count(preview) >= min_words else None


def judge(tree, url: str, canonical: str | None, text: str, count: int, page_title: str, ld: dict,
           declared_article: bool, dated: bool, min_words: int, declared_site: bool = False,
           preview: bool = False, date_declared: bool = False) -> None:
    """Raise NotAnArticle when there is evidence that the page holds no article. A
    ``preview`` (a paywalled article's open part) is not refused for its paywall."""
    # (read once: the rules and the listing model read the same teasers)
    site_teasers = functools.cache(lambda: _site_teasers(tree, text, canonical, url))
    if count < WALL_MAX_WORDS:
        for reason, pattern in WALL_PHRASES:
            if preview and reason == "paywall-stub":
                continue
            # The wall is the page's title or what extraction found; or, when extraction
            # found next to nothing, anywhere on the page.
            where = ("title" if pattern.search(page_title) else "text" if pattern.search(text) else
                     "page" if count < WALL_BARE_WORDS and pattern.search(page_text(tree)) else None)
            if where:
                raise NotAnArticle(reason, f"its {where} says {_said(pattern, page_title, text, tree)!r}; "
                                           f"{count} words of text")
    for line in itertools.islice((line for line in text.splitlines() if line.strip()), ERROR_FIRST_LINES):
        if len(line.split()) <= WALL_LINE_WORDS and (said := _ERROR.search(line)):
            raise NotAnArticle("error-page", f"one of its first lines says {said.group(0)!r}; {count} words of text")
    if count < WALL_MAX_WORDS and not dated and (said := _SIGN_IN.search(text) or _SIGN_IN.search(page_title)) \
            and tree.xpath("//input[@type='password']"):
        # A sign-in page under an address that does not say so: a password to give, and a
        # short undated text about signing in (a story with a sign-in box is dated).
        raise NotAnArticle("login-wall", f"a password field, and {count} words of text that say {said.group(0)!r}")
    if count < WALL_BARE_WORDS and CHALLENGE_MARKUP.search(lxml.html.tostring(tree, encoding="unicode")):
        raise NotAnArticle("bot-challenge", f"challenge markup and {count} words of text")
    if count < WALL_BARE_WORDS and _script_only(tree):
        raise NotAnArticle("script-only", f"{count} words of text; the page is scripts")  # an app shell
    if not text.strip():
        raise NotAnArticle("no-article-text", "extraction found no text")
    kind = address_kind(url)
    if kind and not ld.get("@type") and not date_declared:
        # og:type "article" is many a front page's default: only an article object or a date
        # in the page's metadata counts. A <time> or a printed date on a front page is its
        # latest post's (the first of the posts it lists).
        reason, what = kind
        raise NotAnArticle(reason, f"{what} ({url}), with no article object and no declared date")
    if kind and ld.get("@type") and (teasers := site_teasers())["listing"]:
        # An article object on a front page is often the site's template's (a plugin's
        # default graph): what the page holds is teasers.
        reason, what = kind
        raise NotAnArticle(reason, f"{what} ({url}), with an article object, but {teasers['entries']} teasers "
                                   f"hold {teasers['share']:.0%} of the {count} words of text")
    if not ld.get("@type") and (times := _running_times(text)) >= RUNNING_TIMES \
            and times >= RUNNING_TIMES_SHARE * count:
        # A clip's running time ("1:23") after each headline, or a thread's time after each
        # title, every few words: a list of videos or threads (an article's race results
        # or minutes of play are fewer, and spread over its prose).
        raise NotAnArticle("listing-page", f"{times} times like '1:23' in {count} words of text, "
                                           f"and no article markup")
    controls = 0.0 if dated else _form_controls_share(tree, text)
    if controls >= FORM_TEXT_SHARE:
        # What extraction found is the page's form: its fields' labels, a select's options,
        # its buttons (a support desk's question form, a generator's settings, a shop's
        # filters). A page dated as published is a story whatever its form asks (a reader
        # poll, a calculator in a how-to).
        raise NotAnArticle("form-page", f"{controls:.0%} of the lines of its {count} words of text are a form's "
                                        f"labels, options and buttons")
    if not dated and (forum := _named_row(tree, _FORUM_COLUMN))[0] >= FORUM_COLUMNS:
        # A table headed by a forum's columns (topics, posts, last post; the board's
        # software prints them in every language it is set in): a board of threads.
        raise NotAnArticle("listing-page", f"a table headed {forum[1]!r}: a forum's board, and no date of its own")
    if not ld.get("@type") and (stamps := stamp_lines(text))[0] >= STAMP_LINES \
            and stamps[0] >= STAMP_SHARE * stamps[1] and stamps[2] < UNMARKED_MIN_WORDS:
        # What extraction found is a list's furniture: the dates, times and running times
        # of teasers whose headlines it dropped, a label repeated under each ("Watch video").
        raise NotAnArticle("listing-page", f"{stamps[0]} of its {stamps[1]} lines are dates, times or a label "
                                           f"said again and again; {stamps[2]} words besides")
    if not declared_article and (days := _named_row(tree, _WEEKDAY)[0]) >= WEEKDAY_COLUMNS:
        # A table whose columns are the days of the week: a programme's or a timetable's
        # grid (a station's schedule, opening hours by day), not a story.
        raise NotAnArticle("listing-page", f"a table whose columns are {days} days of the week: a schedule")
    if not dated and not declared_article and not ld.get("@type") and (blurbs := _dated_blurbs(text)) >= DATED_BLURBS:
        # Teasers whose headlines extraction dropped: each story's blurb, then its day, to the
        # end of the text ("... and never came home." / "May 16"). A timeline puts its days
        # before its events; an undated page with no article markup ends its story in prose.
        raise NotAnArticle("listing-page", f"{blurbs} blurbs of other stories, each followed by its day, and no "
                                           f"date or article markup of its own")
    if not ld.get("@type") and (letters := _index_letters(text)) >= INDEX_LETTERS:
        # The alphabet as a row of links or a column of one-letter lines ("A | B | C ..."):
        # a directory's or a catalogue's index, which no story prints.
        raise NotAnArticle("listing-page", f"{letters} letters of the alphabet, each on its own: an A-Z index")
    if declared_article and not ld.get("@type"):
        # og:type "article" alone is many a site's default for every page, section fronts
        # too: a text made of teasers is a listing whatever it says, and so is an undated page
        # whose structured data says it is a collection and holds no article of its own (a
        # live report declares its items as a list beside its date of publication).
        if ld.get("_listing") and not date_declared:
            raise NotAnArticle("listing-page", f"the page declares itself a {ld['_listing']}, and no date "
                                               f"(og:type article, which many sites give every page)")
        teasers = site_teasers()
        if teasers["listing"]:
            raise NotAnArticle("listing-page", f"{teasers['entries']} teasers hold {teasers['share']:.0%} of the "
                                               f"{count} words of text, the largest {teasers['top']:.0%} "
                                               f"(the page says og:type article, and nothing more)")
    if not date_declared and (said := _RESULT_COUNT.search(text)):
        # "Showing 1-20 of 9291": a search's or a catalogue's page of results.
        raise NotAnArticle("listing-page", f"it says {said.group(0)!r}: a page of results")
    if not declared_article:
        if ld.get("_listing"):
            raise NotAnArticle("listing-page", f"the page declares itself a {ld['_listing']}")
        # Whose site the links are of: the page's own statement first (a feed's redirect, a mirror).
        teasers = site_teasers()
        if teasers["links"] >= LINK_FARM_LINKS and teasers["links"] >= LINK_FARM_RATIO * count \
                and (not dated or count < UNMARKED_MIN_WORDS or teasers["share"] >= UNMARKED_TEASER_SHARE):
            # A dated page with an article's worth of text of its own (not teasers) is an
            # article with a long footer of links (an archive, a site map), however long.
            raise NotAnArticle("listing-page", f"{teasers['links']} headline links to the site's pages and "
                                               f"{count} words of text")
        if teasers["listing"]:
            raise NotAnArticle("listing-page", f"{teasers['entries']} teasers hold {teasers['share']:.0%} of the "
                                               f"{count} words of text, "
                                               f"the largest {teasers['top']:.0%}")
        if count < UNMARKED_MIN_WORDS and not ld.get("@type") and not date_declared \
                and teasers["links"] >= SECTION_LINKS and not names_a_story(canonical or url):
            # A short text with no article markup and no date declared, at an address that
            # names a section, not a story, among dozens of headline links to the site's
            # pages: a section front whose teasers extraction left out (a promotion box, a
            # magazine's blurb is what it found).
            raise NotAnArticle("listing-page", f"{count} words of text, no article markup and no date declared, "
                                               f"{teasers['links']} headline links to the site's pages, at an "
                                               f"address that names no story ({canonical or url})")
        if (not dated or declared_site) and min_words <= count < UNMARKED_MIN_WORDS \
                and teasers["share"] >= UNMARKED_TEASER_SHARE \
                and (teasers["entries"] >= 2 or (teasers["entries"] and declared_site)):
            # Two or three teasers are too few to call a listing by, but short news is dated
            # or marked as an article: a short page with neither, half of it teasers, is a
            # section. (A lone block of text around one link is as often an undated
            # article's body, unless the page says it is the site.) A page that says it is
            # the site is a section whatever its date: a section's metadata carries the day
            # it was made (CNN's /africa, 2014), or its latest story's.
            said = "no date" if not dated else "the page declares itself the site"
            raise NotAnArticle("listing-page", f"{count} words of text, {said}, no article markup, and "
                                               f"{teasers['entries']} teasers hold {teasers['share']:.0%} of them")
    if count < min_words:
        raise NotAnArticle("too-short", f"{count} words of text, fewer than {min_words}")
    if listing.model() is not None:
        # The figures the rules above read one at a time, weighed together: a section front
        # whose every figure stays under its rule's bar (a site's own way of building one).
        # The teasers are read last (unless a rule read them), and only if the page could
        # still score as a listing.
        figures = listing_figures(tree, url, canonical, text, count, ld, declared_article, dated,
                                  declared_site, date_declared, teasers=False, form_share=controls)
        weights = listing.weights_for(figures)
        if site_teasers.cache_info().currsize or listing.highest(figures, count, weights) >= weights["threshold"]:
            figures.update(listing.teaser_figures(site_teasers(), count))
            probability, parts = listing.score(figures, weights)
            if probability >= weights["threshold"]:
                raise NotAnArticle("listing-page", listing.reason(figures, probability, parts))


def listing_figures(tree, url: str, canonical: str | None, text: str, count: int, ld: dict,
                    declared_article: bool, dated: bool, declared_site: bool, date_declared: bool,
                    teasers: bool = True, form_share: float | None = None) -> dict:
    """The page's figures for the listing model (``pipelines.listing``), as ``judge`` reads
    them; ``teasers=False`` leaves the teaser figures out (the dearest to read), and a form
    share ``judge`` has read already may be handed in."""
    if form_share is None:
        form_share = 0.0 if dated else _form_controls_share(tree, text)
    return listing.features(
        tree, canonical or url, text, count, dated=dated, date_declared=date_declared,
        declared_article=declared_article, declared_site=declared_site, article_object=bool(ld.get("@type")),
        declared_listing=bool(ld.get("_listing")),
        teasers=_site_teasers(tree, text, canonical, url) if teasers else None,
        address_kind=bool(address_kind(url)), names_story=bool(names_a_story(canonical or url)),
        form_share=form_share)


# "Showing 1-20 of 9291", "Results 21 - 40 of 310": a page of a search's or a list's results.
_RESULT_COUNT = re.compile(r"\b(?:showing|displaying|results?|items?|treffer|ergebnisse|résultats?)\s+"
                           r"\d[\d,.]*\s*(?:-|–|to|bis|à)\s*\d[\d,.]*\s+(?:of|von|sur|de)\s+\d[\d,.]*", re.I)


def _site_teasers(tree, text: str, canonical: str | None, url: str) -> dict:
    """The teaser figures of the page's site: the one its canonical address names, or,
    where that is another site's (a partner's that carries the same pages: gmx.net's
    sections name web.de's), its own address's, whichever holds more of its links."""
    figures = teaser_figures(tree, text, canonical or url)
    if canonical and url and site_of(urlsplit(canonical).netloc) != site_of(urlsplit(url).netloc):
        own = teaser_figures(tree, text, url)
        if own["links"] > figures["links"]:
            return own
    return figures


# og:type values (and schema.org types of the page's own item) that name a thing other than
# an article: a recording, a programme, a member's profile.
MEDIA_OG_TYPES = re.compile(r"^(?:music\.\w+|profile|books?\.author)$")


MEDIA_ITEM_TYPES = {"tvseries", "radioseries", "podcastseries", "musicrecording", "musicalbum", "musicplaylist"}


def declared_media(tree, page_type: str) -> str | None:
    """What the page declares itself when that is a recording, a show or a profile and its
    markup names no article (no microdata article anywhere); else None."""
    items = {t.rstrip("/").rsplit("/", 1)[-1].lower() for t in tree.xpath("//@itemtype")}
    if items & ARTICLE_TYPES:
        return None
    if MEDIA_OG_TYPES.match(page_type):
        return f"og:type {page_type}"
    own = {t.rstrip("/").rsplit("/", 1)[-1].lower()
           for t in tree.xpath("//*[@itemscope and not(ancestor::*[@itemscope])]/@itemtype")}
    return next((t for t in sorted(own & MEDIA_ITEM_TYPES)), None)


def _said(pattern, *texts) -> str:
    for text in texts:
        if not isinstance(text, str):
            text = page_text(text)
        match = pattern.search(text)
        if match:
            return match.group(0)
    return ""


def article_alone(tree, min_words: int):
    """The page's one <article> with an article's worth of text, as a page of its own, when
    markup that extraction skips (an aside, a menu, a footer) holds it; else None."""
    articles = [el for el in tree.iter("article") if len(el.text_content().split()) >= min_words]
    if len(articles) != 1 or not any(skipped(up) for up in articles[0].iterancestors()):
        return None
    page = lxml.html.fromstring("<html><body></body></html>")
    page.find("body").append(copy.deepcopy(articles[0]))
    return page


INDEX_LETTERS = 20


def _index_letters(text: str) -> int:
    """How many distinct letters stand on their own as lines or table cells of the text."""
    pieces = (piece.strip(" []-–·") for piece in re.split(r"[\n|]", text))
    return len({piece.upper() for piece in pieces if len(piece) == 1 and piece.isalpha()})


def table_rows_share(text: str) -> float:
    lines = [line for line in text.splitlines() if line.strip()]
    return sum(line.lstrip().startswith("|") for line in lines) / len(lines) if lines else 0.0


FORM_TEXT_SHARE = 0.25  # of the text's lines (a table's cells apart) that are a form's controls


_CELL = re.compile(r"(?:^|\s)\|(?:\s|$)")  # between the cells of a table's row, as extraction writes it


_FORUM_COLUMN = re.compile(r"(?:topics?|threads?|posts|replies|views|last post|board name|forum|"
                           r"themen|beiträge|antworten|letzter beitrag|sujets|réponses|dernier message|"
                           r"主题|作者|最后回复|跟贴/点击|回复)", re.I)


FORUM_COLUMNS = 3


def _named_row(tree, pattern) -> tuple[int, str]:
    """The table row whose cells, each whole, say the most distinct names ``pattern`` knows
    (a forum's columns, the days of the week): how many, and the row as printed."""
    best = (0, "")
    for tr in tree.iter("tr"):
        cells = [" ".join(c.text_content().split()) for c in tr if c.tag in ("td", "th")]
        named = len({c.lower() for c in cells if pattern.fullmatch(c)})
        if named > best[0]:
            best = (named, " | ".join(c for c in cells if c))
    return best


def _form_controls_share(tree, text: str) -> float:
    """The share of the text's lines (each cell of a table's row apart) that are, whole, the
    visible text of a form's control: a field's label, a select's option, a button, a
    fieldset's legend. An article's text may hold a line or two (a poll, a newsletter
    box); a form page's is its labels and options."""
    if tree.find(".//form") is None:
        return 0.0

    def key(value: str) -> str:  # "E-mail Address *" and "E-mail Address" alike
        return " ".join(value.split()).strip(" *:").lower()

    controls = {key(el.text_content()) for el in tree.iter("label", "option", "button", "legend")} - {""}
    pieces = [p for line in text.splitlines() for cell in _CELL.split(line) if (p := key(cell))]
    if not controls or not pieces:
        return 0.0
    return sum(1 for p in pieces if p in controls) / len(pieces)


WEEKDAY_COLUMNS = 5


_WEEKDAY = re.compile(r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|"
                      r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
                      r"lunes|martes|miércoles|jueves|viernes|sábado|domingo)", re.I)


def _script_only(tree) -> bool:
    """A page of scripts and next to no text of its own: a JavaScript application's shell."""
    if not tree.xpath("//script[@src or string-length(normalize-space()) > 0]"):
        return False
    body = tree.find("body")
    if body is None:
        return True
    visible = body.xpath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript "
                         "or ancestor::template)]")
    return len(" ".join(visible).split()) < SHELL_MAX_WORDS


HEADLINE_LINK_WORDS = 3  # a link of this many words or more reads as a headline


LISTING_TEXT_SHARE = 0.5  # teasers hold at least this share of the text...


LISTING_TOP_SHARE = 0.5  # ...and no one of them more than this (one would be the article itself)


LISTING_MIN_ENTRIES = 3  # ...spread over this many teasers at least


UNMARKED_MIN_WORDS = 120  # below this, a page with no date and no article markup ...


UNMARKED_TEASER_SHARE = 0.5  # ... whose text is this much teasers is a section


SECTION_LINKS = 30  # ... or that has this many headline links, at an address naming no story


TEASER_WORDS = 120  # a block longer than this is not a teaser (a column, an article holding one link)


TEASER_RUN = 8  # a line in no teaser as a whole is placed in runs of this many words


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def headline_link(a) -> bool:
    """A link that reads as a headline: a few words that stand alone, not a phrase linked
    inside a paragraph of prose (a block holding the link and more than twice its words,
    with no blocks of its own)."""
    if not a.get("href"):
        return False
    count = len(a.text_content().split())
    if count < HEADLINE_LINK_WORDS:
        return False
    block = next((el for el in a.iterancestors() if el.tag in BLOCKS), None)
    if block is None or block.tag.startswith("h"):
        return True
    if len(block.text_content().split()) > 2 * count and not any(child.tag in BLOCKS for child in block.iterdescendants()):
        return False
    return True


def object_url(obj: dict) -> str | None:
    page = obj.get("mainEntityOfPage")
    return plain_text(obj.get("url")) or plain_text(page.get("@id") if isinstance(page, dict) else page)


def same_page(declared: str | None, url: str, canonical: str | None) -> bool:
    """Whether an article object's own address is this page (or it gives none)."""
    theirs = url_parts(declared or "", base=url)
    if theirs is None or not declared:
        return True
    ours = [p for p in (url_parts(url), url_parts(canonical or "")) if p is not None]
    return not ours or any(p.netloc.removeprefix("www.") == theirs.netloc.removeprefix("www.") and
                           p.path.rstrip("/") == theirs.path.rstrip("/") for p in ours)


# Addresses that say what a page is, as sites and their software name them. A search: a path
# part that is the word (any extension), or a query of the usual keys (WordPress's s=, q=, a
# job board's kws=). A sign-in page: a path part that is the word. A forum's index or board
# (vBulletin, phpBB, XenForo and the like): a list of threads; a thread's own page
# (showthread, viewtopic, /threads/...) is not one.
_SEARCH_PATH = re.compile(r"(?:^|/)(?:search|suche|recherche|busca|buscar|zoeken|ricerca|szukaj)(?:\.\w+)?(?:/|$)", re.I)


_SEARCH_QUERY = {"q", "s", "query", "search", "keyword", "keywords", "kws", "searchterm"}


# Signing in, signing up, one's account: in the path ("/login_html", "/Account/Create",
# "/user/registration", "/create-account.asp"), or as what a query asks ("?cmd=register").
_LOGIN_WORDS = (r"log-?in|log-?on|sign-?in|sign-?up|register|registration|create-?account|my-?account|account|"
                r"anmelden|registrieren|registrierung|connexion|inscription|registro|registrati|accedi")


_LOGIN_PATH = re.compile(rf"(?:^|[/_])(?:{_LOGIN_WORDS})(?:[._]\w+)?(?:/|$)", re.I)


_LOGIN_QUERY = re.compile(rf"^(?:{_LOGIN_WORDS})$", re.I)


# A page to write to the site: contact us.
_CONTACT_PATH = re.compile(r"(?:^|[/_])(?:contact(?:-?us)?|kontakt|contacto|contatti|contato)(?:[._]\w+)?/?$", re.I)


_FORUM_BOARD = re.compile(r"(?:^|/)(?:forum|forumdisplay|viewforum)\.php$|(?:^|/)(?:forums?|boards?)(?:/index\.php)?/?$", re.I)


# A tag's or a category's page (/tag/visas/, /de/schlagwort/hafen/page/2/, /categories/hair-care_398.html):
# the CMS's list of what carries that tag, however few. ("/themen/...", "/topic/..." are left
# out: German sites publish articles under /themen/.)
_TAG_PAGE = re.compile(r"^/(?:[a-z]{2}(?:[-_][a-z]{2})?/)?(?:tags?|category|categories|schlagworte?|stichworte?|"
                       r"etiquetas?|categorias?)/[^/]+(?:/page/\d+)?/?$", re.I)


def address_kind(url: str) -> tuple[str, str] | None:
    """(refusal reason, what the page is) when the URL alone says the page is no article:
    the site's root, a search, a sign-in or sign-up page, a contact page, a forum's board,
    a tag's or a category's page; else None."""
    parts = url_parts(url)
    if parts is None:
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    # A query that only tracks the reader (?_ga=..., ?utm_source=...) leaves the page as it is.
    if all(TRACKING_PARAMS.match(key) for key, _v in query) and \
            parts.path.strip("/").lower() in ("", "index.html", "index.htm", "index.php"):
        return "listing-page", "the site's front page"
    if _SEARCH_PATH.search(parts.path) or any(key.lower() in _SEARCH_QUERY for key, _v in query):
        return "listing-page", "a search page"
    if _LOGIN_PATH.search(parts.path) or any(_LOGIN_QUERY.match(value) for _k, value in query):
        return "login-wall", "a sign-in or sign-up page"
    if _CONTACT_PATH.search(parts.path):
        return "form-page", "a contact page"
    if _FORUM_BOARD.search(parts.path):
        return "listing-page", "a forum's board of threads"
    if _TAG_PAGE.search(parts.path):
        return "listing-page", "a tag's or a category's page"
    return None


def names_a_story(url: str) -> bool:
    """Whether the address names one page of many: a segment or a query value of three
    words or more ("mps-not-border-guards", "Steam-May-2019"), or holding an id of five
    digits or more ("a-cc294491", "id_87559708"). A section's address names a section
    ("/politik/", "/thema/leben/"); a year alone names an archive."""
    parts = url_parts(url)
    if parts is None:
        return True  # (no address to go by: nothing is said)
    pieces = [re.sub(r"\.[a-z]{2,5}$", "", segment, flags=re.I) for segment in parts.path.split("/")]
    pieces += [value for _name, value in parse_qsl(parts.query)]
    return any(len(re.split(r"[-_+ ]+", piece.strip("-_+ "))) >= 3 or re.search(r"\d{5,}", piece) for piece in pieces)


_DIGIT = re.compile(r"\d")


DATED_BLURBS = 2  # blurbs each followed by a line that is its day, the last line among them


def _dated_blurbs(text: str) -> int:
    """How many of the text's lines are a day (a date and nothing else) after a line of prose,
    when the text ends with one and they are a third of its lines or more; else 0."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]

    def day(line):
        return bool(_DIGIT.search(line)) and bool(_STAMP.fullmatch(line))
    if len(lines) < 2 * DATED_BLURBS or not day(lines[-1]):
        return 0
    days = [i for i, line in enumerate(lines) if day(line)]
    if 3 * len(days) < len(lines) or any(i == 0 or day(lines[i - 1]) or not story_line(lines[i - 1])
                                         for i in days):
        return 0
    return len(days)


_STAMP_MONTH = rf"(?:{MONTH_PATTERN})\.?"


_STAMP = re.compile(
    rf"(?:[\W_]*|{_STAMP_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\.?\s+{_STAMP_MONTH}(?:\s+\d{{4}})?|\d{{4}}-\d\d-\d\d"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago"
    rf"|\d+\s*(?:sec|secs|seconds?|sek|sekunden|min|mins|minutes?|minuten|hrs?|hours?|std|stunden)\.?"
    rf"|yesterday|today|just now|\d{{1,2}}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{{2,4}})?)", re.I)


RUNNING_TIMES = 30  # fewer than this and the times are a story's (results, minutes of play)


RUNNING_TIMES_SHARE = 0.025  # a time every 40 words or fewer


# "1:23", "16:44", not a clock time said as one ("10:30 AM", "16:00 UTC", "20:15 Uhr").
_RUNNING_TIME = re.compile(r"(?<![\d:.,])\d{1,2}:[0-5]\d(?![\d:])"
                           r"(?!\s*(?:[ap]\.?m\b|uhr|h\b|utc|gmt|[ecmp][sd]?t\b|cet|bst))", re.I)


def _running_times(text: str) -> int:
    return len(_RUNNING_TIME.findall(text))


def stamp_lines(text: str) -> tuple[int, int, int]:
    """(lines that are a date, a time, a running time or a short label said three times or
    more; all lines; words of the other lines). A list whose headlines extraction dropped
    leaves these; an article's lines are sentences (a timeline's dates stand beside them)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    short = Counter(line.lower() for line in lines if len(line.split()) <= 4)
    stamps, other = 0, 0
    for line in lines:
        if _STAMP.fullmatch(line) or (len(line.split()) <= 4 and short[line.lower()] >= 3):
            stamps += 1
        else:
            other += len(words(line))
    return stamps, len(lines), other


def teaser_figures(tree, text: str, url: str = "") -> dict:
    """How much of the extracted text sits in teasers: the blocks each built around one
    headline link to another page (a card, a list item, a post on a blog's front page). A
    listing's text is mostly teasers, spread over many; an article's is its own, whatever
    links surround it.

    Each headline link's teaser is its largest ancestor holding no other headline link;
    where headings carry links (h2 > a), those bound the teasers. Link texts seen three
    times or more ("Read more", "6 years ago") are labels, not headlines.
    """
    own = url_parts(url)
    own_host = site_of(own.netloc) if own else ""
    own_path = own.path.rstrip("/") if own else ""
    candidates = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        # Another page of the same site: a listing's teasers point within it (a post that
        # collects links to other sites is an article); a link to this page is a permalink.
        if own:
            if href.startswith("/") and not href.startswith("//"):
                path = href.split("#")[0].split("?")[0].rstrip("/")
            else:
                target = url_parts(href, base=url) if "://" not in href[:12] else url_parts(href)
                if target is None or site_of(target.netloc) != own_host:
                    continue
                path = target.path.rstrip("/")
            if path == own_path:
                continue
        if headline_link(a):
            candidates.append((a, " ".join(a.text_content().split()).lower()))
    seen: dict = {}
    for _a, label in candidates:
        seen[label] = seen.get(label, 0) + 1
    links = [a for a, label in candidates if seen[label] < 3]
    in_headings = [a for a in links if any(el.tag in _HEADINGS for el in a.iterancestors())]
    bounds = in_headings if len(in_headings) >= LISTING_MIN_ENTRIES else links
    held: dict = {}  # element -> bounding links inside it (lxml keeps one proxy per node while referenced)
    for a in bounds:
        for el in a.iterancestors():
            held[el] = held.get(el, 0) + 1
    entries = {}
    for a in bounds:
        entry = a
        for el in a.iterancestors():
            if held[el] != 1 or el.tag in ("body", "html") or len(el.text_content().split()) > TEASER_WORDS:
                break
            entry = el
        entries[entry] = None
    figures = {"listing": False, "entries": 0, "share": 0.0, "top": 0.0, "links": len(links)}
    if not entries:
        return figures
    # Compared without spaces: a block's text runs on into the next ("...careCharities say").
    blobs = ["".join(words(e.text_content())) for e in entries]
    per_entry = [0] * len(blobs)
    total = 0

    def place(tokens: list[str]) -> bool:
        needle = "".join(tokens)
        if len(needle) < 12:
            return False  # too short to place
        i = next((i for i, blob in enumerate(blobs) if needle in blob), None)
        if i is not None:
            per_entry[i] += len(tokens)
        return i is not None

    for line in text.splitlines():
        tokens = words(line)
        if not tokens:
            continue
        total += len(tokens)
        # A line is placed whole in a teaser, or else (a table's row, whose teaser may be
        # one cell: a board's thread, a shop's product) cell by cell, or else run by run of
        # its words: extraction joins a card's kicker, headline and summary into one line
        # but leaves out its date and running time, so the line as a whole is in no teaser.
        if not place(tokens):
            cells = [cell_tokens for cell in _CELL.split(line) if len(cell_tokens := words(cell)) < len(tokens)]
            if cells:
                for cell_tokens in cells:
                    place(cell_tokens)
            else:
                for start in range(0, len(tokens) - TEASER_RUN + 1, TEASER_RUN):
                    place(tokens[start:start + TEASER_RUN if len(tokens) - start >= 2 * TEASER_RUN else None])
    if not total:
        return figures
    used = sum(1 for n in per_entry if n)
    share, top = sum(per_entry) / total, max(per_entry) / total
    spread = top < LISTING_TOP_SHARE and used >= LISTING_MIN_ENTRIES
    return {"listing": share >= LISTING_TEXT_SHARE and spread, "entries": used, "share": share, "top": top,
            "links": len(links)}
