"""News search APIs and the Wayback Machine's index: request URLs and response parsers.

Pure functions of plain data (the spider makes the requests):

- GDELT DOC 2.0 (``mode=artlist&format=json``): a rolling window of about three months
  and at most 250 rows an answer, so a range is clipped to the window and split in two
  whenever an answer comes back full. It answers a query it refuses with a sentence of
  text, not JSON: that is a ``SearchError`` with the sentence.
- Google News RSS search: items link to news.google.com, which sends the reader on to the
  publisher, by an HTTP redirect or by a page holding the publisher's link.
- The Wayback Machine's CDX API (``output=json``): a header row, rows, and after an empty
  row a resume key when there are more.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode, urlsplit

from lxml import html as lxml_html

from crawler.spiders.xmlparse import local_name, xml_root
from pipelines.links import web_url


GDELT_TIME = "%Y%m%d%H%M%S"


class SearchError(ValueError):
    """An answer that is not what the service promised; str() is one line."""


# --- GDELT DOC 2.0 ----------------------------------------------------------------------

def gdelt_range(start: datetime, end: datetime, now: datetime, window_days: int):
    """The part of [start, end) GDELT can still answer for, or None when it is all older."""
    earliest = now - timedelta(days=window_days)
    start, end = max(start, earliest), min(end, now)
    return (start, end) if start < end else None


def gdelt_url(base: str, query: str, start: datetime, end: datetime, max_records: int = 250) -> str:
    return base + "?" + urlencode({
        "query": query, "mode": "artlist", "format": "json", "maxrecords": max_records,
        "sort": "dateasc", "startdatetime": start.strftime(GDELT_TIME), "enddatetime": end.strftime(GDELT_TIME)})


def split_range(start: datetime, end: datetime, min_hours: float):
    """Two halves of a range, or None when it is already as short as allowed."""
    if end - start <= timedelta(hours=min_hours):
        return None
    middle = start + (end - start) / 2
    return (start, middle), (middle, end)


def parse_gdelt(body: bytes) -> list[dict]:
    """Articles (url, title, published ISO, domain, language) of an artlist answer."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        # GDELT's refusals are a sentence of text (or an HTML page) with status 200.
        sentence = " ".join(lxml_html.fromstring(text).text_content().split()) if "<" in text else text
        raise SearchError(f"GDELT refused the query: {sentence[:200]}") from None
    if not isinstance(data, dict):
        raise SearchError("GDELT answered JSON that is not an article list")
    out = []
    for item in data.get("articles") or []:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        out.append({"url": item["url"], "title": item.get("title") or None,
                    "published": _gdelt_date(item.get("seendate")), "domain": item.get("domain"),
                    "language": item.get("language")})
    return out


def _gdelt_date(value) -> str | None:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).isoformat()
    except (TypeError, ValueError):
        return None


# --- Google News RSS search ---------------------------------------------------------------

def google_news_url(base: str, query: str, locale: str) -> str:
    return f"{base}?{urlencode({'q': query})}&{locale}" if locale else f"{base}?{urlencode({'q': query})}"


def parse_google_news(body: bytes) -> list[dict]:
    """Items: link (to news.google.com), title without " - Publisher", published,
    publisher and its homepage."""
    root, _kind = xml_root(body, "Google News feed", SearchError, ("rss",))
    out = []
    for item in root.iter():
        if local_name(item.tag) != "item":
            continue
        fields = {local_name(c.tag): c for c in item}
        link = (fields["link"].text or "").strip() if "link" in fields else ""
        if not link:
            continue
        source = fields.get("source")
        publisher = (source.text or "").strip() if source is not None else ""
        title = (fields["title"].text or "").strip() if "title" in fields else ""
        if publisher and title.endswith(" - " + publisher):
            title = title[: -len(publisher) - 3]
        out.append({"link": link, "title": title or None,
                    "published": (fields["pubdate"].text or "").strip() if "pubdate" in fields else None,
                    "publisher": publisher or None,
                    "publisher_url": source.get("url") if source is not None else None})
    return out


def publisher_link(page: str, page_url: str) -> str | None:
    """The publisher's URL on a Google News article page that does not redirect: its
    ``data-n-au`` attribute, else the first nofollow link that leaves Google's host."""
    try:
        tree = lxml_html.document_fromstring(page)
    except (ValueError, Exception):  # lxml's ParserError for an empty document
        return None
    here = urlsplit(page_url).netloc
    for value in tree.xpath("//@data-n-au"):
        url = web_url(value, page_url)
        if url and urlsplit(url).netloc != here:
            return url
    for a in tree.xpath("//a[@href]"):
        url = web_url(a.get("href"), page_url)
        if url and "nofollow" in (a.get("rel") or "") and urlsplit(url).netloc != here:
            return url
    return None


# --- Wayback Machine CDX -----------------------------------------------------------------

CDX_FIELDS = "timestamp,original,mimetype,statuscode"


def cdx_url(base: str, host: str, since: str, until: str, limit: int, resume: str | None = None) -> str:
    """Captures of one host's pages answered 200 as HTML in [since, until] (YYYYMMDD), one
    row per URL (collapse=urlkey), paged by resume key."""
    params = [("url", f"{host}/*"), ("from", since), ("to", until), ("output", "json"),
              ("fl", CDX_FIELDS), ("filter", "statuscode:200"), ("filter", "mimetype:text/html"),
              ("collapse", "urlkey"), ("limit", str(limit)), ("showResumeKey", "true")]
    if resume:
        params.append(("resumeKey", resume))
    return base + "?" + urlencode(params)


def parse_cdx(body: bytes) -> tuple[list[dict], str | None]:
    """(rows as dicts keyed by the header row's names, resume key or None)."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return [], None
    try:
        data = json.loads(text)
    except ValueError:
        raise SearchError(f"the CDX index answered something that is not JSON: {text[:120]!r}") from None
    if not isinstance(data, list) or not data:
        return [], None
    header, rows, resume = data[0], [], None
    for i, row in enumerate(data[1:], 1):
        if row == []:  # then the resume key
            tail = data[i + 1] if i + 1 < len(data) else None
            resume = tail[0] if isinstance(tail, list) and tail else None
            break
        if isinstance(row, list) and len(row) == len(header):
            rows.append(dict(zip(header, row)))
    return rows, resume


def capture_time(timestamp: str) -> str | None:
    try:
        return datetime.strptime(timestamp[:14].ljust(14, "0"), GDELT_TIME).replace(tzinfo=timezone.utc).isoformat()
    except ValueError:
        return None


def replay_url(base: str, timestamp: str, original: str) -> str:
    """The capture's original bytes (``id_``: no Wayback toolbar, no rewritten links)."""
    return f"{base.rstrip('/')}/{timestamp}id_/{original}"

