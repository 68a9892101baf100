"""A local stand-in for the public search services newsmon's discovery asks.

One HTTP server on 127.0.0.1 answers in the wire formats of three services, over a
fixed list of :class:`Document` objects, so the discovery spiders can be tested (and
the demo run) without the network:

``/api/v2/doc/doc``
    The GDELT DOC 2.0 API, ``mode=artlist`` only.  Its quirks are kept: errors are
    200 ``text/html`` answers holding one plain sentence (a bare keyword under three
    characters, an empty query, ``OR`` outside parentheses, parentheses without
    ``OR``); only documents published inside the rolling window
    ``[today - gdelt_window_days, today]`` are ever returned, whatever range is asked
    for; an empty JSON result is ``{}``.

``/rss/search``
    Google News RSS search: ``q`` with terms, "phrases", ``OR``, ``-exclusions``,
    ``site:``, ``after:`` / ``before:`` (YYYY-MM-DD) and ``when:`` (``24h``, ``7d``,
    ``2w``, ``3m``, ``1y``).  Up to 100 items, newest first.  Each item links to
    ``/rss/articles/<token>?oc=5``, where the token is opaque (``CBMi...``), and that
    link ends at the publisher in one of two ways, chosen by the document's index in
    the list given to :class:`SearchWeb`:

    * even index: ``302 Found`` with ``Location: <publisher URL>``;
    * odd index: ``200 text/html``, an interstitial page with no HTTP redirect and no
      meta refresh, on which the publisher URL appears only as the ``href`` of one
      ``<a rel="nofollow">`` and in the ``data-n-au`` attribute of a ``<div>``,
      among scripts.

    An unknown token answers 404.

``/cdx/search/cdx`` and ``/web/<timestamp>[id_]/<url>``
    The Wayback Machine's CDX API (matchType, from/to, fl, filter, collapse, limit,
    showResumeKey/resumeKey, JSON or text output) and its replay.  Every document has
    a capture a few hours after it was published, every third one a second capture
    two days later with the same bytes, and every host also has a homepage 301, a
    ``/favicon.ico`` and a 404 among its captures.  ``id_`` replays the archived bytes
    unchanged; without it a banner block is inserted after ``<body>``.  A timestamp
    without an exact capture is redirected (302) to the nearest one.

With ``min_interval`` > 0, a GDELT or CDX search that comes sooner than that many
seconds after the previous request to the same service (refused ones count too) gets
``429`` with a short plain-text body; each service has its own clock, and Google News
and the replay are never throttled.

A document without ``html`` is archived as a small page made from its title and text.
``today=None`` means the current time, read at each request.  ``requests`` lists the
``path?query`` of every request served, in order.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs, quote_plus, unquote, unquote_plus, urlencode, urljoin, urlsplit

from newsmon.web import listings
from newsmon.web.server import RSS, FakeWeb, Request, Response

UTC = timezone.utc
CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
GDELT_DEFAULT_RECORDS = 75
GDELT_MAX_RECORDS = 250
GOOGLE_MAX_ITEMS = 100

# GDELT's answers to queries it refuses (200 text/html, one sentence, no markup).
ERR_SHORT = "Every keyword must be at least three characters long; put shorter words inside a quoted phrase."
ERR_EMPTY = "No query was given; pass one or more keywords in the query parameter."
ERR_OR = "Keywords joined with OR have to be wrapped in parentheses."
ERR_PARENS = "Parentheses may only wrap a list of alternatives joined with OR."
ERR_NESTED = "Parentheses cannot be nested."
ERR_UNCLOSED = "The query has a quotation mark or parenthesis that is never closed."
ERR_MODE = "That mode is not available here; use mode=ArtList."
ERR_FORMAT = "That output format is not available here; use format=json or format=html."
ERR_TIMESPAN = "The timespan was not understood; write it like 15min, 24h, 7d, 2w or 3months."
ERR_DATETIME = "Dates have to be written as YYYYMMDDHHMMSS."
ERR_NEGATED_OR = "An alternative inside an OR list cannot be excluded with a minus sign."
SLOW_DOWN = "Too many requests: please wait at least {:g} seconds between queries.\n"


@dataclass
class Document:
    url: str                 # the publisher's URL (absolute)
    title: str
    text: str                # plain text used for query matching
    published: datetime      # tz-aware
    domain: str              # the publisher's host as GDELT shows it
    publisher: str = ""      # outlet name (Google News shows "Title - Publisher")
    homepage: str = ""       # publisher homepage (Google News <source url=...>)
    html: bytes | None = None            # the archived page bytes (for the Wayback replay)
    content_type: str = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Capture:
    """One row of the CDX index, with what the replay sends back."""
    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: str
    content_type: str
    body: bytes = field(repr=False)
    location: str = ""       # the archived Location header of a redirect capture

    @property
    def when(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


class QueryError(ValueError):
    """A query the service refuses; str() is the sentence it answers with."""


# --- helpers shared by the services ----------------------------------------------------------


def surt(url: str) -> str:
    """The SURT form the CDX index sorts by: ``com,example)/path?query``, lowercased."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    key = ",".join(reversed(host.split(".")))
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != {"http": 80, "https": 443}.get(parts.scheme.lower()):
        key += f":{port}"
    path = (parts.path or "/").replace(" ", "%20")
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return (key + ")" + path + ("?" + query if query else "")).lower()


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _ts(dt: datetime) -> str:
    return _utc(dt).strftime("%Y%m%d%H%M%S")


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _scan(query: str) -> list[tuple[str, bool, str]]:
    """Split a query into (kind, negated, text): kinds "(", ")", "or", "phrase", "word"."""
    out, i, n = [], 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            out.append((c, False, c))
            i += 1
            continue
        neg = False
        if c == "-" and i + 1 < n and not query[i + 1].isspace():
            neg, i = True, i + 1
            c = query[i]
        if c == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError(ERR_UNCLOSED)
            out.append(("phrase", neg, query[i + 1:end]))
            i = end + 1
            continue
        if c == "(":
            out.append(("(", neg, c))
            i += 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] not in '()"':
            j += 1
        word = query[i:j]
        if not word:  # "-)" and the like
            raise QueryError(ERR_PARENS)
        i = j
        kind = "or" if word.upper() == "OR" and not neg else "word"
        out.append((kind, neg, word))
    return out


def _text_matcher(words: str):
    parts = words.split()
    if not parts:
        return lambda doc, hay: False
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, parts)) + r"(?!\w)", re.I)
    return lambda doc, hay: pattern.search(hay) is not None


def _domain_matcher(value: str, exact: bool):
    value = value.lower().strip("/")

    def match(doc, hay):
        domain = doc.domain.lower()
        return domain == value or (not exact and domain.endswith("." + value))
    return match


def _matches(clauses, doc: Document) -> bool:
    hay = f"{doc.title}\n{doc.text}"
    return all(neg != any(m(doc, hay) for m in alts) for neg, alts in clauses)


# --- GDELT --------------------------------------------------------------------------------------

_GDELT_SPAN = re.compile(r"(\d+)\s*(min|mins|minutes?|h|hours?|d|days?|w|weeks?|m|months?)", re.I)


def gdelt_query(query: str) -> list[tuple[bool, list]]:
    """Compile a GDELT query into ANDed clauses of (negated, alternatives)."""
    tokens = _scan(query)
    if not tokens:
        raise QueryError(ERR_EMPTY)
    clauses, i = [], 0
    while i < len(tokens):
        kind, neg, text = tokens[i]
        if kind == "(":
            alts, expect_item, saw_or, j = [], True, False, i + 1
            while True:
                if j >= len(tokens):
                    raise QueryError(ERR_UNCLOSED)
                k, n, t = tokens[j]
                if k == ")":
                    break
                if k == "(":
                    raise QueryError(ERR_NESTED)
                if k == "or":
                    if expect_item:
                        raise QueryError(ERR_PARENS)
                    expect_item, saw_or = True, True
                else:
                    if not expect_item:
                        raise QueryError(ERR_PARENS)
                    if n:
                        raise QueryError(ERR_NEGATED_OR)
                    alts.append(_gdelt_item(k, t))
                    expect_item = False
                j += 1
            if expect_item or not saw_or:
                raise QueryError(ERR_PARENS)
            clauses.append((neg, alts))
            i = j + 1
            continue
        if kind == ")":
            raise QueryError(ERR_PARENS)
        if kind == "or":
            raise QueryError(ERR_OR)
        clauses.append((neg, [_gdelt_item(kind, text)]))
        i += 1
    return clauses


def _gdelt_item(kind: str, text: str):
    if kind == "phrase":
        if not text.strip():
            raise QueryError(ERR_SHORT)
        return _text_matcher(text)
    op, colon, value = text.partition(":")
    op = op.lower()
    if colon and value:
        if op in ("domain", "domainis"):
            return _domain_matcher(value, exact=op == "domainis")
        if op == "sourcelang":
            return lambda doc, hay, v=value.lower(): v in ("english", "eng", "en")
        if op == "sourcecountry":
            return lambda doc, hay, v=value.lower().replace(" ", ""): v in ("uk", "unitedkingdom")
    if len(text) < 3:
        raise QueryError(ERR_SHORT)
    return _text_matcher(text)


def _gdelt_datetime(value: str) -> datetime:
    if not re.fullmatch(r"\d{14}", value):
        raise QueryError(ERR_DATETIME)
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        raise QueryError(ERR_DATETIME) from None


def _gdelt_timespan(value: str) -> timedelta:
    m = _GDELT_SPAN.fullmatch(value.strip())
    if not m:
        raise QueryError(ERR_TIMESPAN)
    n, unit = int(m.group(1)), m.group(2).lower()
    if unit.startswith("min"):
        return timedelta(minutes=n)
    return {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n),
            "m": timedelta(days=30 * n)}[unit[0]]


# --- Google News ----------------------------------------------------------------------------------

_GOOGLE_WHEN = re.compile(r"(\d+)([hdwmy])", re.I)


def google_query(q: str, today: datetime):
    """(clauses, earliest, latest_exclusive) of a Google News ``q``; OR binds neighbours."""
    clauses, lo, hi, pending_or = [], None, None, False
    flat = q.replace("(", " ").replace(")", " ")
    try:
        tokens = _scan(flat)
    except QueryError:  # an unpaired quote: Google reads the words anyway
        tokens = _scan(flat.replace('"', " "))
    for kind, neg, text in tokens:
        if kind == "or":
            pending_or = bool(clauses)
            continue
        if kind == "word" and ":" in text:
            op, _, value = text.partition(":")
            op = op.lower()
            if op in ("after", "before"):
                try:
                    day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
                except ValueError:
                    day = None
                if day is not None:
                    if op == "after":
                        lo = day if lo is None else max(lo, day)
                    else:
                        hi = day if hi is None else min(hi, day)
                    continue
            if op == "when":
                m = _GOOGLE_WHEN.fullmatch(value)
                if m:
                    n, unit = int(m.group(1)), m.group(2).lower()
                    span = {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n),
                            "m": timedelta(days=30 * n), "y": timedelta(days=365 * n)}[unit]
                    lo = today - span if lo is None else max(lo, today - span)
                    continue
            if op == "site" and value:
                _add_google(clauses, neg, _site_matcher(value), pending_or)
                pending_or = False
                continue
        _add_google(clauses, neg, _text_matcher(text), pending_or)
        pending_or = False
    return clauses, lo, hi


def _site_matcher(value: str):
    value = value.lower().strip("/")

    def match(doc, hay):
        host = (urlsplit(doc.url).hostname or "").lower()
        return host == value or host.endswith("." + value)
    return match


def _add_google(clauses, neg, matcher, pending_or):
    if pending_or and clauses and not clauses[-1][0] and not neg:
        clauses[-1][1].append(matcher)
    else:
        clauses.append((neg, [matcher]))


# --- the server --------------------------------------------------------------------------------------


class SearchWeb(FakeWeb):
    """GDELT, Google News RSS and the Wayback Machine over ``documents``, on one local port."""

    server_version = "searchweb/1.0"

    def __init__(self, documents: list[Document], today: datetime | None = None,
                 gdelt_window_days: int = 90, min_interval: float = 0.0):
        super().__init__()
        self.documents = list(documents)
        self.today = _utc(today) if today is not None else None
        self.gdelt_window_days = gdelt_window_days
        self.min_interval = min_interval
        self.base = self.gdelt_url = self.google_news_url = self.cdx_url = self.wayback_url = ""
        self._last: dict[str, float] = {}
        self._published = [_utc(d.published) for d in self.documents]
        self._tokens: dict[str, int] = {}
        self._token_of: list[str] = []
        for i, doc in enumerate(self.documents):
            token = self._make_token(i, doc.url)
            self._tokens.setdefault(token, i)
            self._token_of.append(token)
        self.captures: list[Capture] = self._build_captures()
        self._by_urlkey: dict[str, list[Capture]] = {}
        for cap in self.captures:
            self._by_urlkey.setdefault(cap.urlkey, []).append(cap)

    # --- life cycle --------------------------------------------------------------------------

    def start(self) -> "SearchWeb":
        self.bind()
        self.base = self.origin()
        self.gdelt_url = self.base + "/api/v2/doc/doc"
        self.google_news_url = self.base + "/rss/search"
        self.cdx_url = self.base + "/cdx/search/cdx"
        self.wayback_url = self.base + "/web/"
        return super().start()

    def now(self) -> datetime:
        return self.today if self.today is not None else datetime.now(UTC)

    def google_news_link(self, url: str) -> str:
        """The Google News item link of the (first) document with this publisher URL."""
        i = next(i for i, d in enumerate(self.documents) if d.url == url)
        return f"{self.base}/rss/articles/{self._token_of[i]}?oc=5"

    # --- plumbing ----------------------------------------------------------------------------

    def record(self, request: Request) -> str:
        return request.target

    def answer(self, request: Request) -> Response:
        status, headers, body = self._route(request.target)
        return Response(status, body, None, headers)

    def _route(self, target: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(target)
        path = parts.path
        params: dict[str, list[str]] = {}
        for key, values in parse_qs(parts.query, keep_blank_values=True).items():
            params.setdefault(key.lower(), []).extend(values)
        if path == "/api/v2/doc/doc":
            return self._gdelt(params)
        if path == "/rss/search":
            return self._google(params)
        m = re.fullmatch(r"(?:/rss)?/articles/([A-Za-z0-9_-]+)", path)
        if m:
            return self._google_article(m.group(1))
        if path in ("/cdx/search/cdx", "/cdx/search"):
            return self._cdx(params)
        if target.startswith("/web/"):
            return self._replay(target[len("/web/"):])
        return _plain(404, "Not found.\n")

    def _too_soon(self, service: str) -> bool:
        if self.min_interval <= 0:
            return False
        with self._lock:
            now = time.monotonic()
            last = self._last.get(service)
            self._last[service] = now
        return last is not None and now - last < self.min_interval

    # --- GDELT DOC 2.0 ---------------------------------------------------------------------------

    def _gdelt(self, params) -> tuple[int, dict, bytes]:
        if self._too_soon("gdelt"):
            return _plain(429, SLOW_DOWN.format(self.min_interval))
        first = lambda name, default="": (params.get(name) or [default])[0]  # noqa: E731
        try:
            if first("mode", "artlist").lower() != "artlist":
                raise QueryError(ERR_MODE)
            fmt = first("format", "html").lower() or "html"
            if fmt not in ("json", "html"):
                raise QueryError(ERR_FORMAT)
            clauses = gdelt_query(first("query"))
            today = self.now()
            window_start = today - timedelta(days=self.gdelt_window_days)
            start, end = window_start, today
            if first("startdatetime") or first("enddatetime"):
                if first("startdatetime"):
                    start = max(_gdelt_datetime(first("startdatetime")), window_start)
                if first("enddatetime"):
                    end = min(_gdelt_datetime(first("enddatetime")), today)
            elif first("timespan"):
                start = max(today - _gdelt_timespan(first("timespan")), window_start)
        except QueryError as exc:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, str(exc).encode()
        try:
            maxrecords = int(first("maxrecords", str(GDELT_DEFAULT_RECORDS)))
        except ValueError:
            maxrecords = GDELT_DEFAULT_RECORDS
        maxrecords = min(max(maxrecords, 1), GDELT_MAX_RECORDS)
        found = [i for i, doc in enumerate(self.documents)
                 if start <= self._published[i] <= end and _matches(clauses, doc)]
        ascending = first("sort").lower() == "dateasc"
        found.sort(key=lambda i: (self._published[i], self.documents[i].url), reverse=not ascending)
        articles = [self._gdelt_article(i) for i in found[:maxrecords]]
        if fmt == "json":
            body = json.dumps({"articles": articles} if articles else {}, ensure_ascii=False, indent=1)
            return 200, {"Content-Type": "application/json; charset=utf-8"}, body.encode()
        rows = "\n".join(
            f'<tr><td><a href="{html.escape(a["url"])}" target="_blank">{html.escape(a["title"])}</a></td>'
            f'<td>{html.escape(a["domain"])}</td><td>{a["seendate"]}</td></tr>' for a in articles)
        page = ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Article list</title></head>"
                f"<body><table class=\"artlist\">\n{rows}\n</table></body></html>\n")
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

    def _gdelt_article(self, i: int) -> dict:
        doc = self.documents[i]
        return {"url": doc.url, "url_mobile": "", "title": doc.title,
                "seendate": self._published[i].strftime("%Y%m%dT%H%M%SZ"), "socialimage": "",
                "domain": doc.domain, "language": "English", "sourcecountry": "United Kingdom"}

    # --- Google News RSS -------------------------------------------------------------------------

    @staticmethod
    def _make_token(i: int, url: str) -> str:
        data = url.encode("utf-8")
        tail = hashlib.sha1(b"%d|" % i + data).digest()[:6]
        raw = b"\x08\x13\x22" + _varint(len(data)) + data + b"\xd2\x01" + _varint(i) + tail
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def _publisher(self, doc: Document) -> tuple[str, str]:
        return doc.publisher or doc.domain, doc.homepage or _root(doc.url)

    def _google(self, params) -> tuple[int, dict, bytes]:
        first = lambda name, default="": (params.get(name) or [default])[0]  # noqa: E731
        q, hl = first("q"), first("hl", "en-GB") or "en-GB"
        gl, ceid = first("gl", "GB") or "GB", first("ceid", "GB:en") or "GB:en"
        today = self.now()
        clauses, lo, hi = google_query(q, today)
        found = []
        if q.strip():
            found = [i for i, doc in enumerate(self.documents)
                     if (lo is None or self._published[i] >= lo)
                     and (hi is None or self._published[i] < hi) and _matches(clauses, doc)]
        found.sort(key=lambda i: (self._published[i], self.documents[i].url), reverse=True)
        entries = []
        for i in found[:GOOGLE_MAX_ITEMS]:
            doc = self.documents[i]
            publisher, homepage = self._publisher(doc)
            link = f"{self.base}/rss/articles/{self._token_of[i]}?oc=5"
            desc = (f'<a href="{html.escape(link)}" target="_blank">{html.escape(doc.title)}</a>'
                    f'&nbsp;&nbsp;<font color="#6f6f6f">{html.escape(publisher)}</font>')
            entries.append(listings.Entry(url=link, title=f"{doc.title} - {publisher}", id=self._token_of[i],
                                          published=self._published[i], summary=desc,
                                          source=(publisher, homepage)))
        channel_link = f"{self.base}/search?" + urlencode({"q": q, "hl": hl, "gl": gl, "ceid": ceid})
        feed = listings.rss(f'"{q}" - Google News', channel_link, entries, description="Google News",
                            language=hl, built=today, generator="searchweb")
        return 200, {"Content-Type": RSS}, feed.encode("utf-8")

    def _google_article(self, token: str) -> tuple[int, dict, bytes]:
        i = self._tokens.get(token)
        if i is None:
            return 404, {"Content-Type": "text/html; charset=utf-8"}, (
                b"<!doctype html><title>Error 404 (Not Found)</title><p>That article could not be found.</p>")
        url = self.documents[i].url
        if i % 2 == 0:
            return 302, {"Location": url, "Content-Type": "text/html; charset=UTF-8"}, (
                f'<HTML><HEAD><TITLE>Moved</TITLE></HEAD><BODY>Moved <A HREF="{html.escape(url)}">'
                "here</A>.</BODY></HTML>\n").encode()
        return 200, {"Content-Type": "text/html; charset=utf-8"}, self._interstitial(i, url).encode()

    def _interstitial(self, i: int, url: str) -> str:
        token, attr = self._token_of[i], html.escape(url, quote=True)
        seed = hashlib.sha1(token.encode()).hexdigest()
        stamp = int(self._published[i].timestamp())
        return (
            '<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8">'
            '<meta name="referrer" content="origin"><title>Google News</title>'
            f'<script nonce="{seed[:12]}">window.__splash={{"build":"splash_1.4.2","rt":"c",'
            f'"sid":"{seed[12:28]}","ep":"/_/splash/data"}};</script>'
            f'<script nonce="{seed[:12]}">(function(){{var n=document.querySelector("[data-n-au]");'
            'if(n){n.setAttribute("data-n-seen",String(Date.now()));}'
            'var q=window.__splash||{};q.t0=+new Date;})();</script>'
            '<style>body{font-family:sans-serif;margin:0}.sp-wrap{padding:48px;text-align:center}</style>'
            '</head><body>'
            f'<c-wiz jsrenderer="sp1" jsshadow jsdata="deferred-{i}" data-p="%.@.[null,&quot;{token}&quot;]">'
            f'<div class="sp-card" jscontroller="Qk3vRb" jsaction="rcuQ6b:trigger" data-n-a-id="{token}" '
            f'data-n-a-ts="{stamp}" data-n-a-sg="{seed[28:40]}" data-n-au="{attr}"></div>'
            '<div class="sp-wrap"><p>Opening the story in a moment.</p>'
            f'<p>If nothing happens, <a href="{attr}" rel="nofollow">continue to the publisher</a>.</p></div>'
            '</c-wiz>'
            f'<script nonce="{seed[:12]}">var _sq=[["/_/splash/ping?sid={seed[12:28]}",0],'
            '["/_/splash/log?rt=c",1]];setTimeout(function(){_sq.length=0;},5000);</script>'
            '</body></html>\n')

    # --- Wayback: captures, CDX, replay ----------------------------------------------------------

    def _build_captures(self) -> list[Capture]:
        captures: list[Capture] = []
        used: set[tuple[str, str]] = set()

        def add(url, when, status, ctype, body, location=""):
            key = surt(url)
            while (key, _ts(when)) in used:
                when += timedelta(seconds=1)
            used.add((key, _ts(when)))
            mime = ctype.split(";")[0].strip().lower() or "unk"
            digest = base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")
            length = str(len(zlib.compress(body)) + 420)  # a WARC record's compressed size, roughly
            captures.append(Capture(key, _ts(when), url, mime, str(status), digest, length,
                                    ctype, body, location))

        first_seen: dict[str, datetime] = {}
        homepages: dict[str, str] = {}
        doc_keys = {surt(d.url) for d in self.documents}
        for i, doc in enumerate(self.documents):
            body = doc.html if doc.html is not None else _page_for(doc)
            when = self._published[i] + timedelta(hours=2 + i % 5, minutes=(7 * i) % 60)
            add(doc.url, when, 200, doc.content_type, body)
            if i % 3 == 0:
                add(doc.url, when + timedelta(days=2), 200, doc.content_type, body)
            root = _root(doc.url)
            first_seen[root] = min(first_seen.get(root, when), when)
            homepages[root] = homepages.get(root) or doc.homepage
        for root, earliest in first_seen.items():
            home = homepages[root] or root
            if surt(home) not in doc_keys:
                target = urljoin(home, "/index.html")
                add(home, earliest - timedelta(hours=5), 301, "text/html; charset=iso-8859-1",
                    b'<html><head><title>301 Moved Permanently</title></head><body><h1>Moved</h1>'
                    b'<p>The document has moved <a href="' + target.encode() + b'">here</a>.</p></body></html>\n',
                    location=target)
            add(urljoin(root, "/favicon.ico"), earliest + timedelta(minutes=3), 200, "image/x-icon", _ICON)
            add(urljoin(root, "/feeds/legacy.xml"), earliest + timedelta(minutes=9), 404,
                "text/html; charset=utf-8",
                b"<!doctype html><title>Not found</title><h1>Page not found</h1>\n")
        captures.sort(key=lambda c: (c.urlkey, c.timestamp))
        return captures

    def _cdx(self, params) -> tuple[int, dict, bytes]:
        if self._too_soon("cdx"):
            return _plain(429, SLOW_DOWN.format(self.min_interval))
        first = lambda name, default="": (params.get(name) or [default])[0]  # noqa: E731
        url = first("url").strip()
        if not url:
            return _plain(400, "The url parameter is required.\n")
        match = first("matchtype", "exact").lower() or "exact"
        if url.startswith("*."):
            match, url = "domain", url[2:]
        elif url.endswith("*"):
            match, url = "prefix", url[:-1]
        if match not in ("exact", "prefix", "host", "domain"):
            return _plain(400, f"Unknown matchType {match!r}.\n")
        key = surt(url)
        hostkey = key.split(")", 1)[0]
        if match == "exact":
            rows = list(self._by_urlkey.get(key, []))
        elif match == "prefix":
            rows = [c for c in self.captures if c.urlkey.startswith(key)]
        else:
            rows = []
            for c in self.captures:
                hk = c.urlkey.split(")", 1)[0]
                if hk == hostkey or (match == "domain" and hk.startswith((hostkey + ",", hostkey + ":"))):
                    rows.append(c)
        lo, hi = first("from"), first("to")
        for value in (lo, hi):
            if value and not re.fullmatch(r"\d{1,14}", value):
                return _plain(400, f"Bad timestamp {value!r}: use 1 to 14 digits.\n")
        if lo:
            rows = [c for c in rows if c.timestamp >= lo.ljust(14, "0")]
        if hi:
            rows = [c for c in rows if c.timestamp <= hi.ljust(14, "9")]
        for spec in params.get("filter", []):
            m = re.fullmatch(r"(!)?(~)?(\w+):(.*)", spec, re.S)
            if not m or m.group(3) not in CDX_FIELDS:
                return _plain(400, f"Bad filter {spec!r}: use [!][~]field:regex.\n")
            try:
                regex = re.compile(m.group(4))
            except re.error:
                return _plain(400, f"Bad regular expression in filter {spec!r}.\n")
            test = regex.search if m.group(2) else regex.fullmatch
            neg, name = bool(m.group(1)), m.group(3)
            rows = [c for c in rows if (test(getattr(c, name)) is not None) != neg]
        for spec in params.get("collapse", []):
            name, _, size = spec.partition(":")
            if name not in CDX_FIELDS or (size and not size.isdigit()):
                return _plain(400, f"Bad collapse {spec!r}.\n")
            cut = int(size) if size else None
            kept, last = [], object()
            for c in rows:
                value = getattr(c, name)[:cut]
                if value != last:
                    kept.append(c)
                last = value
            rows = kept
        resume = first("resumekey")
        if resume:
            if " " not in resume:
                resume = unquote_plus(resume)
            rkey, _, rts = resume.rstrip("!").rpartition(" ")
            rows = [c for c in rows if (c.urlkey, c.timestamp) > (rkey, rts)]
        more = False
        if first("limit"):
            try:
                limit = int(first("limit"))
            except ValueError:
                return _plain(400, "The limit has to be a whole number.\n")
            if limit < 0:
                rows = rows[limit:]
            else:
                more, rows = len(rows) > limit, rows[:limit]
        fields = [f for f in first("fl").split(",") if f] or list(CDX_FIELDS)
        bad = [f for f in fields if f not in CDX_FIELDS]
        if bad:
            return _plain(400, f"Unknown field {bad[0]!r} in fl.\n")
        table = [[getattr(c, f) for f in fields] for c in rows]
        next_key = ""
        if more and rows and first("showresumekey").lower() == "true":
            next_key = quote_plus(f"{rows[-1].urlkey} {rows[-1].timestamp}!")
        if first("output").lower() == "json":
            if not table:
                body = "[]\n"
            else:
                out = [fields] + table + ([[], [next_key]] if next_key else [])
                body = "[" + ",\n".join(json.dumps(r) for r in out) + "]\n"
            return 200, {"Content-Type": "application/json"}, body.encode()
        body = "".join(" ".join(r) + "\n" for r in table)
        if next_key:
            body += "\n" + next_key + "\n"
        return 200, {"Content-Type": "text/plain"}, body.encode()

    def _replay(self, rest: str) -> tuple[int, dict, bytes]:
        m = re.fullmatch(r"(\d{1,14})([a-z]{2}_)?/(.+)", rest, re.S)
        if not m:
            return _not_archived()
        ts, modifier, original = m.group(1), m.group(2) or "", m.group(3)
        if re.match(r"https?%3a", original, re.I):
            original = unquote(original)
        original = re.sub(r"^(https?):/+", r"\1://", original, flags=re.I)
        caps = self._by_urlkey.get(surt(original))
        if not caps:
            return _not_archived()
        exact = next((c for c in caps if c.timestamp == ts), None)
        if exact is None:
            try:
                asked = datetime.strptime(ts + "19700101000000"[len(ts):], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            except ValueError:
                return _not_archived()
            nearest = min(caps, key=lambda c: (abs((c.when - asked).total_seconds()), c.timestamp))
            where = f"{self.base}/web/{nearest.timestamp}{modifier}/{nearest.original}"
            return 302, {"Location": where, "Content-Type": "text/plain; charset=utf-8"}, (
                f"Found: {where}\n").encode()
        return self._serve_capture(exact, raw=bool(modifier) and modifier not in ("if_", "fw_"),
                                   modifier=modifier)

    def _serve_capture(self, cap: Capture, raw: bool, modifier: str) -> tuple[int, dict, bytes]:
        when = format_datetime(cap.when, usegmt=True)
        headers = {
            "Content-Type": cap.content_type,
            "Memento-Datetime": when,
            "Link": (f'<{cap.original}>; rel="original", '
                     f'<{self.base}/web/timemap/link/{cap.original}>; rel="timemap"; '
                     'type="application/link-format", '
                     f'<{self.base}/web/{cap.timestamp}/{cap.original}>; rel="memento"; datetime="{when}"'),
            "X-Archive-Orig-Date": when,
            "X-Archive-Orig-Content-Type": cap.content_type,
            "X-Archive-Orig-Content-Length": str(len(cap.body)),
        }
        if cap.location:
            headers["Location"] = f"{self.base}/web/{cap.timestamp}{modifier}/{cap.location}"
        body = cap.body
        if not raw and cap.mimetype == "text/html":
            body = _with_banner(body, cap, self.base)
        return int(cap.statuscode), headers, body


# --- pages of our own ---------------------------------------------------------------------------

_ICON = (b"\x00\x00\x01\x00\x01\x00\x10\x10\x00\x00\x01\x00\x20\x00\x68\x04\x00\x00\x16\x00\x00\x00"
         + b"\x28\x00\x00\x00\x10\x00\x00\x00\x20\x00\x00\x00\x01\x00\x20\x00" + bytes(1104 - 16))


def _plain(status: int, text: str) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode("utf-8")


def _not_archived() -> tuple[int, dict, bytes]:
    return 404, {"Content-Type": "text/html; charset=utf-8"}, (
        b"<!doctype html><title>Not archived</title>"
        b"<p>This address has no capture in the archive.</p>\n")


def _page_for(doc: Document) -> bytes:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in doc.text.split("\n\n") if p.strip())
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(doc.title)}</title>'
            f'<link rel="canonical" href="{html.escape(doc.url)}"></head><body><article>'
            f"<h1>{html.escape(doc.title)}</h1>{paras}</article></body></html>\n").encode("utf-8")


def _with_banner(body: bytes, cap: Capture, base: str) -> bytes:
    m = re.search(rb"<body\b[^>]*>", body, re.I)
    if not m:
        return body
    banner = (
        "\n<!-- searchweb archive banner: start -->\n"
        '<div id="sw-archive-banner" style="font:12px sans-serif;background:#eee;padding:4px">'
        f'Archived copy of <a href="{html.escape(cap.original)}">{html.escape(cap.original)}</a>, '
        f'captured {cap.when:%d %b %Y %H:%M} UTC. '
        f'<a href="{base}/cdx/search/cdx?url={quote_plus(cap.original)}">All captures</a></div>\n'
        "<!-- searchweb archive banner: end -->\n").encode("ascii", "xmlcharrefreplace")
    return body[:m.end()] + banner + body[m.end():]


# --- the demo web as documents ----------------------------------------------------------------------

_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")


def demo_documents(web) -> list[Document]:
    """Every public article of a started :class:`newsmon.web.demo.DemoWeb`, as served now."""
    docs = []
    for outlet in web.outlets.values():
        if not outlet.base_url:
            raise RuntimeError("start the DemoWeb before asking for its documents")
        for article in outlet.articles:
            if article.meta.get("private"):
                continue
            page = web.page(outlet, article.path)
            data = page.body.encode("utf-8") if isinstance(page.body, str) else page.body
            meta, body = article.version(web.edition)
            text = _MD_LINK.sub(r"\1", body)
            text = re.sub(r"(?m)^##\s+", "", text)
            standfirst = meta.get("standfirst", "")
            url = web.url(f"{outlet.id}/{article.slug}")
            docs.append(Document(
                url=url, title=meta["title"], text=(standfirst + "\n\n" + text).strip(),
                published=article.published, domain=urlsplit(url).netloc,
                publisher=outlet.config["name"], homepage=outlet.base_url,
                html=data, content_type=page.content_type))
    return docs
