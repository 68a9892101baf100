"""When a page says it was published: its declared dates and the date line it prints.

Structured data (JSON-LD, Open Graph and article metas, microdata) is read first, the date
printed near the headline next (and before metas that often carry when the page was
generated); a UTC time is written in the page's own zone where the page shows it. The
parsing of a date's text is ``pipelines.dates``'; the crawl time is never a publication date.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from pipelines.byline import DATE_CLASS, LABEL_TAGS
from pipelines.dates import normalise_date as _normalise_date
from pipelines.dates import parse_date as _parse_date
from pipelines.dates import VISIBLE_DATES, visible_date
from pipelines.markup import SITE_SEPARATOR, marked_as

# Meta tags that carry a publication date, best first, and the name we record for each.
# Sites write Open Graph's and schema.org's names with name= as often as with property= or
# itemprop= (and Open Graph's with an "og:" before it): each is looked up under all three.
PUBLISHED_META = [
    (("article:published_time", "og:article:published_time"), "article:published_time"),
    (("datePublished",), "microdata:datePublished"),
    (("DC.date.issued",), "meta:DC.date.issued"),
    (("dcterms.created",), "meta:dcterms.created"),
    (("publish-date",), "meta:publish-date"),
    (("pubdate",), "meta:pubdate"),
    (("parsely-pub-date",), "meta:parsely-pub-date"),
    (("sailthru.date",), "meta:sailthru.date"),
    (("date",), "meta:date"),
]
# Metas that often carry when the page was generated or last changed, not published: a date
# printed in the page's date line is taken before them.
WEAK_PUBLISHED_META = {"meta:sailthru.date", "meta:date"}
# A publication time equal to the last update's is the update's when the date line prints a
# day at most this many days before (an earlier date further back is another story's).
REWRITTEN_MAX_DAYS = 7
MODIFIED_META = ["article:modified_time", "og:article:modified_time", "og:updated_time", "dateModified",
                 "last-modified"]


def publication_date(tree, meta, ld, hints, url: str = "", modified: str | None = None):
    """The publication date and where it came from: structured data first, then the date
    printed near the headline. A time given in UTC is written as the page writes it locally
    (the same instant with the page's offset, found elsewhere in its markup) or, failing
    that, as the local day the address or the printed date line gives when that is the UTC
    day's neighbour: a day is the reader's."""
    candidates = [(ld.get("datePublished"), "jsonld:datePublished")]
    candidates += [(meta_value(meta, names), label) for names, label in PUBLISHED_META]
    # A <time pubdate> or one marked as the publication's first, an update's last; the
    # first of them that is not a comment's or a teaser's (asked in that order: a page
    # listing teasers holds dozens of <time>s, and asking is a walk up the tree each).
    times = sorted(tree.xpath("//time[@datetime]"), key=_time_rank)
    first = next((t for t in times if not _dates_another(t)), None)
    candidates += [(first.get("datetime"), "html:time")] if first is not None else []
    candidates += [(hints.get("news_publication_date"), "news-sitemap"),
                   (hints.get("published"), "feed")]
    address_day, dates = _address_day(url), _PrintedDates(tree)
    address_month = address_day[:7] if address_day else _address_month(url)
    if (agreed := _outvoting(candidates[0][0], meta, dates)) is not None:
        value, label = agreed  # the JSON-LD date is a CMS's other date (a first draft, an issue's)
        return _local(_normalise_date(value), label, tree, meta, address_day, dates)
    for value, label in candidates:
        date = _normalise_date(value)
        if date and address_month and label not in ("feed", "news-sitemap") and \
                abs(_months_between(address_month, date[:7])) > 1:
            continue  # a date months away from the month in the page's address is the site's, not the story's
        if date:
            if label in WEAK_PUBLISHED_META and (printed := dates.published()):
                return printed, "html:visible"
            if label in ("feed", "news-sitemap"):
                return date, label
            if label == "html:time" and address_day and date[:10] != address_day:
                # A <time> that is not the day in the page's own address is another story's.
                return address_day, "url"
            if label in CREATED_META and address_day and date[:10] < address_day:
                # Created (a first draft) before the day its address was given on publication.
                return address_day, "url"
            local = _local(date, label, tree, meta, address_day, dates)
            if _same_instant(date, modified) and (printed := dates.published()) \
                    and 0 < _days_between(printed, local[0]) <= REWRITTEN_MAX_DAYS:
                # Published "at" the last update: the metadata was rewritten then; the date
                # line still prints the day the story came out, a few days before.
                return printed, "html:visible"
            return local
    date = dates.published()
    if date and address_day and date[:10] != address_day:
        return address_day, "url"
    return (date, "html:visible") if date else (None, None)


# The page's other sources of its publication day that may outvote its JSON-LD (meta names
# read in any case): two of them agreeing on another day, and none on the JSON-LD's.
VOTING_META = [(("article:published_time", "og:article:published_time"), "article:published_time"),
               (("date",), "meta:date"), (("dc.date", "dc.date.issued"), "meta:DC.date.issued")]
# A date of creation, not publication: before the day in the page's address, it is a draft's.
CREATED_META = {"meta:dcterms.created"}


def _outvoting(ld_published: str | None, meta: dict, dates) -> tuple[str, str] | None:
    """(value, label) of the day that two of the page's other sources of its publication
    day (an Open Graph time, a date or Dublin Core meta, the printed date line) agree on
    against the JSON-LD datePublished, none of them agreeing with it; else None."""
    ld_day = (_normalise_date(ld_published) or "")[:10]
    if not ld_day:
        return None
    lowered = {name.lower(): value for (attr, name), value in meta.items() if attr in ("property", "name")}
    voters = [(next((lowered[n] for n in names if lowered.get(n)), None), label) for names, label in VOTING_META]
    days = [((_normalise_date(value) or "")[:10], value, label) for value, label in voters if value]
    if not days or any(day == ld_day for day, _, _ in days):
        return None  # (most pages: the date line is not read for nothing)
    if printed := dates.published():
        days.append(((_normalise_date(printed) or "")[:10], printed, "html:visible"))
        if days[-1][0] == ld_day:
            return None
    counts = Counter(day for day, _, _ in days if day)
    agreed = next((day for day, n in counts.most_common(1) if n >= 2), None)
    return next(((value, label) for day, value, label in days if day == agreed), None) if agreed else None


TITLE_DAY_CHARS = 30  # a <title>'s last part no longer than this may be its day
_COMPACT_ADDRESS_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")


def unmarked_day(tree, url: str, title: str) -> tuple[str | None, str | None]:
    """A page whose metadata and date line give no day: Parse.ly's record of it, the day
    closing its <title> ("Expert: Katrina could unleash disaster - Aug 29, 2005"), or a day
    written as one number in its address (alert20190402.html). Taken before trafilatura's
    search of the whole page, which finds the oldest date anywhere: a teaser's address, a
    video's, a stylesheet's version."""
    for el in tree.xpath("//meta[@name='parsely-page']"):
        try:
            data = json.loads(el.get("content") or "")
        except ValueError:
            continue
        if isinstance(data, dict) and (day := _normalise_date(data.get("pub_date"))):
            return day, "meta:parsely-page"
    last = SITE_SEPARATOR.split(title)[-1]
    if last != title and len(last) <= TITLE_DAY_CHARS and (day := visible_date(last, _date_order(tree))):
        return day, "html:title"
    if m := _COMPACT_ADDRESS_DAY.search(urlsplit(url or "").path):
        return f"{m[1]}-{m[2]}-{m[3]}", "url"
    return None, None


_ADDRESS_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)")


def _address_day(url: str) -> str | None:
    """The day in a page's address (/2019/01/01/, /2019-01-01/), as ISO 8601."""
    m = _ADDRESS_DAY.search(urlsplit(url or "").path)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


_ADDRESS_MONTH = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])/")


def _address_month(url: str) -> str | None:
    """The month in a page's address (/2014/05/), as "2014-05"."""
    m = _ADDRESS_MONTH.search(urlsplit(url or "").path)
    return f"{m[1]}-{m[2]}" if m else None


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7])


def _days_between(earlier: str, later: str) -> int:
    return (datetime.fromisoformat(later[:10]) - datetime.fromisoformat(earlier[:10])).days


def _same_instant(a: str | None, b: str | None) -> bool:
    a, b = _parse_date(a or ""), _parse_date(b or "")
    if a is None or b is None or (a.tzinfo is None) != (b.tzinfo is None):
        return False
    return abs((a - b).total_seconds()) <= 60


def meta_value(meta: dict, names) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            if meta.get((attr, name)):
                return meta[(attr, name)]
    return None


# A comments section; not "commentary" nor the German "Kommentar", which are opinion pieces.
COMMENTS = re.compile(r"comment(?!ary)|kommentare|replies|disqus", re.I)


def _dates_another(el) -> bool:
    """Whether a date element is a comment's or a teaser's: inside a comment, or inside a
    link that holds more than the date (another story's headline). A link that is only the
    date is the page's own permalink."""
    for up in el.iterancestors():
        if COMMENTS.search(f"{up.get('class', '')} {up.get('id', '')}"):
            return True
        if up.tag == "a" and len(without_dates(up.text_content()).split()) >= 4:
            return True
        if up.tag == "li" and any(len(without_dates(a.text_content()).split()) >= 4 for a in up.iter("a")):
            return True  # an item of a list of stories: a headline's link and its date side by side
        if _RELATED.search(f"{up.get('class', '')} {up.get('id', '')}"):
            return True
    return False


# Boxes of other stories or other things: related, recommended or "more" news, teasers, a
# sidebar's or a widget's (a seminar's date, a tweet's time).
_RELATED = re.compile(r"(?:^|[\s_-])(?:rel|related|recommended|more-news|read-more|teasers?|sidebar|widget|tweets?)"
                      r"(?:$|[\s_-])", re.I)


@functools.lru_cache(maxsize=1024)  # (the same links are asked about for every date near them)
def without_dates(text: str) -> str:
    for pattern in VISIBLE_DATES:
        text = pattern.sub(" ", text)
    return re.sub(r"[^\w\s]+", " ", text)


def _time_rank(t) -> int:
    marks = f"{t.get('class', '')} {t.get('itemprop', '')}"
    if t.get("pubdate") is not None or re.search(r"publish|entry-date|post-date|datePublished", marks, re.I):
        return 0
    return 2 if re.search(r"updat|modif", marks, re.I) else 1


_PUBLISHED_CLASS = re.compile(r"publi|entry-date|post-date|article-date|dateline|datum|fecha", re.I)


class _PrintedDates:
    """The dates printed on a page near its headline, read once however often asked."""

    def __init__(self, tree):
        self.tree, self._dated, self._labelled = tree, None, False
        self.order = _date_order(tree)

    def published(self, marked_published: bool = False) -> str | None:
        """The date printed near the headline, in the byline or dateline; with
        ``marked_published``, only one in an element marked as the publication date. One
        so marked is taken before any other (then one known by its label): the first
        date-like element of many pages is the day's date in the site's header, or a teaser's."""
        if self._dated is None:
            self._dated = _visible_dated(self.tree, self.order)
        marked, other = self._dated
        if marked or marked_published:
            return marked
        if self._labelled is False:
            self._labelled = _labelled_published(self.tree, self.order)
        return self._labelled or other


# Words that introduce a page's date line in its text, whatever its markup ("Erschienen am:",
# "Published on", "Publié le", "Stand:", the German date line's "as of"); not an update's.
_PUBLISHED_LABEL = re.compile(
    r"^\s*(?:erschienen|veröffentlicht|publiziert|erstellt|stand|published|posted|publié|publicado|pubblicato|"
    r"gepubliceerd)(?:\s+(?:am|on|le|el|il|op))?\s*:?", re.I)
# "Date" as a label only in an element of its own (a field of the page: Date / Author).
_DATE_WORD = re.compile(r"(?:date|datum|fecha|data)\s?:?", re.I)


# English as written where the month comes first in a numeric date (03/04/2014 is 4 March
# in Britain, 3 April in the United States).
_MONTH_FIRST = ("en-us", "en_us", "en-ph", "en-ca")


def _date_order(tree) -> str | None:
    """How the page writes a numeric date, from its declared language: "mdy" in American
    English, "dmy" in other languages and other Englishes, unknown for plain "en"."""
    lang = (tree.get("lang") or "").strip().lower()
    if not lang or lang == "en":
        return None
    return "mdy" if lang.startswith(_MONTH_FIRST) else "dmy"


def _labelled_published(tree, order: str | None = None) -> str | None:
    """The date after a label that says it is the publication's, in the element's text or,
    where the label stands alone, in what follows it."""
    for el in tree.iter("p", "span", "div", "li", "small", "dt", "td", "em", "strong", "b"):
        # (or a field labelled "Date" by an element of its own: <li><strong>Date</strong> 08.10.2018</li>)
        labelled = el.text and (_PUBLISHED_LABEL.match(el.text) or (
            el.tag in LABEL_TAGS and not len(el) and _DATE_WORD.fullmatch(" ".join(el.text.split()))))
        if not labelled or _dates_another(el):
            continue
        text = " ".join(el.text_content().split())
        if len(text) > 200:
            continue
        after = el
        while len(text) < 60 and after is not None:
            text += " " + " ".join((after.tail or "").split())
            after = after.getnext()
            if after is not None:
                text += " " + " ".join(after.text_content().split())[:100]
        date = visible_date(text, order)
        if date:
            return date
    return None



def _visible_dated(tree, order: str | None = None) -> tuple[str | None, str | None]:
    """The first date printed in an element marked as the publication date, and the first
    in any date-like element, in one pass over the page."""
    other = None
    # (a table cell on pages laid out in tables, a small heading under the headline)
    for el in tree.iter("p", "span", "div", "time", "li", "small", "header", "address", "td", "h4", "h5", "h6"):
        cls, id_, prop = el.get("class"), el.get("id"), el.get("itemprop")
        if cls is None and id_ is None and prop is None:
            continue  # (most elements: nothing marks them)
        marked = marked_as(_PUBLISHED_CLASS, cls, id_, prop)
        if not (marked or (other is None and marked_as(DATE_CLASS, cls, id_, prop))) or _dates_another(el):
            continue
        text = " ".join(el.text_content().split())
        date = visible_date(text, order) if len(text) <= 200 else None
        if date and marked:
            return date, other or date
        other = other or date
    return None, other


def _local(date: str, label: str, tree, meta, address_day: str | None, dates) -> tuple[str, str]:
    parsed = _parse_date(date)
    if parsed is None or parsed.tzinfo is None or parsed.utcoffset() or len(date) <= 10:
        return date, label
    # The same instant written with the page's own offset, elsewhere in its markup.
    others = list(meta.values()) + [t.get("datetime") for t in tree.xpath("//time[@datetime]")]
    for value in others:
        other = _parse_date(value) if isinstance(value, str) and re.search(r"\d[T ]\d", value) else None
        if other is None:
            continue
        if other.tzinfo is not None:
            if other.utcoffset() and abs((other - parsed).total_seconds()) <= 60:
                return _normalise_date(value), label
            continue
        # A local clock time without its zone ("2023-11-08 17:49:09" for 01:49:09 UTC): the
        # difference is the page's offset, whole quarter hours, and the seconds agree.
        offset = (other - parsed.replace(tzinfo=None)).total_seconds()
        # (-12:00 is no one's zone: a clock of twelve hours read without its "PM")
        if offset and -12 * 3600 < offset <= 14 * 3600 and offset % 900 == 0:
            return other.replace(tzinfo=timezone(timedelta(seconds=offset))).isoformat(), label
    if address_day == parsed.date().isoformat():
        return date, label  # the address gives the UTC day: it is the local one too
    # A local day after the UTC one for an evening time (a zone east of UTC), before it for a
    # morning time (west): the address's day, or failing it the printed one, is the local one.
    for local, how in ((address_day, "day in the address"),
                       (dates.published(marked_published=True), "day as printed")):
        local = _parse_date(local or "")
        if local is not None:
            shift = (local.date() - parsed.date()).days
            if (shift == 1 and parsed.hour >= 12) or (shift == -1 and parsed.hour < 12):
                return local.date().isoformat(), f"{label}, {how}"
    return date, label



def first_date(values):
    for value in values:
        date = _normalise_date(value)
        if date:
            return date
    return None
