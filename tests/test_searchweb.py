"""newsmon/web/search.py: local GDELT, Google News RSS and Wayback services over real HTTP."""

from __future__ import annotations

import http.client
import json
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from newsmon.web.demo import DemoWeb
from newsmon.web.search import CDX_FIELDS, Document, SearchWeb, demo_documents, surt

DATA = Path(__file__).resolve().parent / "data" / "search"
UTC = timezone.utc
TODAY = datetime(2018, 11, 1, 12, 0, tzinfo=UTC)


def doc(url, title, text, published, domain, publisher, homepage, page=None):
    return Document(url=url, title=title, text=text, published=published, domain=domain,
                    publisher=publisher, homepage=homepage, html=page)


DOCS = [
    doc("https://www.paper.example/uk/2018/oct/19/mps-hotline-calls",
        "MPs called the immigration hotline 68 times last year",
        "Figures show MPs' offices contacted the immigration enforcement hotline 68 times.",
        datetime(2018, 10, 19, 8, 0, tzinfo=UTC), "paper.example", "The Paper",
        "https://www.paper.example/",
        b"<!doctype html><html><head><title>Hotline</title></head><body class=a><p>Hotline calls</p></body></html>"),
    doc("https://www.tabloid.example/news/article-1/charities-urge-mps.html",
        "Charities urge MPs to stop reporting migrants",
        "Campaigners say the hostile environment has turned surgeries into checkpoints for immigration.",
        datetime(2018, 10, 20, 9, 30, tzinfo=UTC), "tabloid.example", "The Daily Tabloid",
        "https://www.tabloid.example/"),
    doc("https://news.broadcaster.example/uk-england-kent-1234",
        "Border Force seizes boats at Dover",
        "Officers said the hostile sea environment made the immigration patrols dangerous.",
        datetime(2018, 10, 21, 14, 0, tzinfo=timezone(timedelta(hours=1))),
        "news.broadcaster.example", "Broadcaster News", "https://news.broadcaster.example/"),
    doc("https://www.weekly.example/politics/hostile-environment-alive-and-well",
        "The hostile environment is alive and well",
        "After Windrush, the immigration hotline still takes calls from MPs.",
        datetime(2018, 10, 28, 7, 15, tzinfo=UTC), "weekly.example", "The Weekly",
        "https://www.weekly.example/"),
    doc("https://www.paper.example/uk/2018/may/01/hotline-figures-2017",
        "Immigration hotline figures for 2016 published",
        "An older story about the hotline, long outside any rolling window.",
        datetime(2018, 5, 1, 10, 0, tzinfo=UTC), "paper.example", "The Paper",
        "https://www.paper.example/"),
]


def get(url: str, /, **params):
    """(status, headers, body) of one GET, redirects not followed."""
    if params:
        url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""))
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def sw():
    with SearchWeb(DOCS, today=TODAY) as web:
        yield web


def gdelt_urls(sw, query, **params):
    status, headers, body = get(sw.gdelt_url, query=query, mode="ArtList", format="json", **params)
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8", body
    return [a["url"] for a in json.loads(body).get("articles", [])]


def urls(*indexes):
    return [DOCS[i].url for i in indexes]


# --- GDELT -------------------------------------------------------------------------------


@pytest.mark.parametrize("query, expected", [
    ("hotline", [3, 0]),                              # the May story is outside the window
    ("HOTLINE windrush", [3]),                        # terms are ANDed, any case
    ('"hostile environment"', [3, 1]),                # a phrase: "hostile sea environment" is not it
    ('(boats OR "hostile environment")', [3, 2, 1]),
    ("immigration -hotline", [2, 1]),
    ("domain:broadcaster.example", [2]),              # subdomains count
    ("domain:paper.example hotline", [0]),
    ("domainis:broadcaster.example", []),
    ("immigration sourcelang:english", [3, 2, 1, 0]),
    ('"MPs" checkpoints', [1]),                       # short words are fine inside a phrase
])
def test_gdelt_query_syntax(sw, query, expected):
    assert gdelt_urls(sw, query) == urls(*expected)


def test_gdelt_window_and_ranges(sw):
    # Asking for the whole of 2018 is clamped to the 90-day window: May never comes back.
    assert gdelt_urls(sw, "hotline", startdatetime="20180101000000",
                      enddatetime="20181231235959") == urls(3, 0)
    assert gdelt_urls(sw, "immigration", startdatetime="20181020000000",
                      enddatetime="20181022000000") == urls(2, 1)
    assert gdelt_urls(sw, "immigration", timespan="7d") == urls(3)
    assert gdelt_urls(sw, "immigration", timespan="3months") == urls(3, 2, 1, 0)
    assert gdelt_urls(sw, "immigration", timespan="24h") == []
    with SearchWeb(DOCS, today=TODAY, gdelt_window_days=365) as wide:
        assert gdelt_urls(wide, "hotline") == urls(3, 0, 4)


def test_gdelt_sort_and_json_fields(sw):
    assert gdelt_urls(sw, "immigration", sort="dateasc") == urls(0, 1, 2, 3)
    assert gdelt_urls(sw, "immigration", sort="HybridRel") == urls(3, 2, 1, 0)
    _, _, body = get(sw.gdelt_url, query="boats", mode="artlist", format="json")
    (article,) = json.loads(body)["articles"]
    assert article == {"url": DOCS[2].url, "url_mobile": "", "title": DOCS[2].title,
                       "seendate": "20181021T130000Z", "socialimage": "",
                       "domain": "news.broadcaster.example", "language": "English",
                       "sourcecountry": "United Kingdom"}


def test_gdelt_maxrecords_and_clamp():
    many = [Document(f"https://www.paper.example/story/{i}", f"Story {i}", "a raid story",
                     TODAY - timedelta(hours=i), "paper.example") for i in range(300)]
    with SearchWeb(many, today=TODAY) as web:
        assert len(gdelt_urls(web, "raid")) == 75
        assert len(gdelt_urls(web, "raid", maxrecords=1000)) == 250
        assert gdelt_urls(web, "raid", maxrecords=3) == [d.url for d in many[:3]]
        assert gdelt_urls(web, "raid", maxrecords=3, sort="dateasc") == [d.url for d in many[-1:-4:-1]]


@pytest.mark.parametrize("params", [
    {"query": "hotline MP"},                 # a bare keyword under three characters
    {"query": ""},
    {"query": "hotline OR boats"},           # OR outside parentheses
    {"query": "(hotline)"},                  # parentheses with no OR inside
    {"query": '"hotline'},
    {"query": "hotline", "mode": "TimelineVol"},
    {"query": "hotline", "timespan": "soon"},
    {"query": "hotline", "startdatetime": "2018-10-01"},
])
def test_gdelt_refusals_are_html_sentences(sw, params):
    params = {"mode": "artlist", "format": "json", **params}
    status, headers, body = get(sw.gdelt_url, **params)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    text = body.decode()
    assert text.endswith(".") and text.count(". ") == 0 and "<" not in text
    with pytest.raises(ValueError):
        json.loads(text)


def test_gdelt_nothing_found_and_html_format(sw):
    _, _, body = get(sw.gdelt_url, query="zeppelin", mode="artlist", format="json")
    assert body == b"{}"
    status, headers, body = get(sw.gdelt_url, query="boats")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'href="{DOCS[2].url}"'.encode() in body


# --- Google News -------------------------------------------------------------------------------


def google(sw, q, **params):
    status, headers, body = get(sw.google_news_url, q=q, hl="en-GB", gl="GB", ceid="GB:en", **params)
    assert status == 200 and headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    return ET.fromstring(body).find("channel")


def item_urls(channel):
    titles = [i.findtext("title") for i in channel.findall("item")]
    return [next(d.url for d in DOCS if t.startswith(d.title + " - ")) for t in titles]


@pytest.mark.parametrize("q, expected", [
    ("hotline", [3, 0, 4]),                          # no date window on Google News
    ('"hostile environment"', [3, 1]),
    ("boats OR windrush", [3, 2]),
    ("immigration -hotline", [2, 1]),
    ("immigration after:2018-10-20", [3, 2, 1]),     # on or after the day
    ("immigration before:2018-10-20", [0, 4]),       # strictly before the day
    ("immigration after:2018-10-20 before:2018-10-22", [2, 1]),
    ("immigration when:7d", [3]),
    ("hotline when:24h", []),
    ("hotline site:paper.example", [0, 4]),
])
def test_google_news_query(sw, q, expected):
    assert item_urls(google(sw, q)) == urls(*expected)


def test_google_news_item_format(sw):
    channel = google(sw, "immigration hotline")
    assert channel.findtext("title") == '"immigration hotline" - Google News'
    assert channel.findtext("language") == "en-GB" and channel.findtext("link").startswith(sw.base)
    item = channel.findall("item")[1]
    assert item.findtext("title") == DOCS[0].title + " - The Paper"
    source = item.find("source")
    assert source.text == "The Paper" and source.get("url") == "https://www.paper.example/"
    link, guid = item.findtext("link"), item.find("guid")
    assert link == f"{sw.base}/rss/articles/{guid.text}?oc=5" and guid.get("isPermaLink") == "false"
    assert guid.text.startswith("CBMi") and "/" not in guid.text and "paper" not in guid.text
    assert parsedate_to_datetime(item.findtext("pubDate")) == DOCS[0].published
    assert item.findtext("pubDate").endswith(" GMT")
    assert f'<a href="{link}" target="_blank">' in item.findtext("description")
    assert "The Paper</font>" in item.findtext("description")
    assert sw.google_news_link(DOCS[0].url) == link


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors, self.data_n_au, self.refresh = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.anchors.append(attrs)
        if "data-n-au" in attrs:
            self.data_n_au.append(attrs["data-n-au"])
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.refresh = True


def test_google_news_article_links(sw):
    # Even document: a plain HTTP redirect to the publisher.
    status, headers, _ = get(sw.google_news_link(DOCS[0].url))
    assert status == 302 and headers["Location"] == DOCS[0].url
    # Odd document: an interstitial page, the URL only in one nofollow link and data-n-au.
    status, headers, body = get(sw.google_news_link(DOCS[1].url))
    assert status == 200 and "Location" not in headers
    assert headers["Content-Type"].startswith("text/html")
    page = _Links()
    page.feed(body.decode())
    assert not page.refresh
    assert [a["href"] for a in page.anchors if a.get("rel") == "nofollow"] == [DOCS[1].url]
    assert page.data_n_au == [DOCS[1].url]
    assert body.decode().count(DOCS[1].url) == 2 and b"<script" in body
    assert get(f"{sw.base}/rss/articles/CBMiUnknownToken?oc=5")[0] == 404


# --- Wayback CDX -------------------------------------------------------------------------------


def cdx(sw, **params):
    status, headers, body = get(sw.cdx_url, output="json", **params)
    assert status == 200 and headers["Content-Type"] == "application/json", body
    return json.loads(body)


def rows(sw, **params):
    table = cdx(sw, **params)
    if not table:
        return []
    assert table[0] == list(CDX_FIELDS) if "fl" not in params else True
    return [dict(zip(table[0], r)) for r in table[1:] if r]


def test_cdx_captures_match_types(sw):
    paper = rows(sw, url="www.paper.example/*")
    originals = {r["original"] for r in paper}
    assert originals == {DOCS[0].url, DOCS[4].url, "https://www.paper.example/",
                         "https://www.paper.example/favicon.ico",
                         "https://www.paper.example/feeds/legacy.xml"}
    assert all(r["urlkey"].startswith("example,paper)/") for r in paper)
    assert [r["urlkey"] for r in paper] == sorted(r["urlkey"] for r in paper)
    assert rows(sw, url="paper.example", matchType="prefix") == paper
    assert rows(sw, url="paper.example", matchType="host") == paper
    assert {r["original"] for r in rows(sw, url="*.broadcaster.example")} >= {DOCS[2].url}
    assert rows(sw, url="broadcaster.example", matchType="domain") == rows(sw, url="*.broadcaster.example")
    assert rows(sw, url="broadcaster.example", matchType="host") == []
    # Exact: document 0 has two captures, two days apart, with the same bytes.
    first, second = rows(sw, url=DOCS[0].url)
    assert first["digest"] == second["digest"] and first["statuscode"] == "200"
    assert first["mimetype"] == "text/html" and len(first["timestamp"]) == 14
    gap = datetime.strptime(second["timestamp"], "%Y%m%d%H%M%S") - datetime.strptime(first["timestamp"], "%Y%m%d%H%M%S")
    assert gap == timedelta(days=2)
    assert len(rows(sw, url=DOCS[1].url)) == 1
    published = DOCS[0].published.replace(tzinfo=None)
    assert timedelta(0) < datetime.strptime(first["timestamp"], "%Y%m%d%H%M%S") - published < timedelta(hours=12)
    # The extras of every host: a homepage 301, a favicon and a 404.
    kinds = {(r["original"].rsplit("/", 1)[1], r["statuscode"], r["mimetype"]) for r in paper}
    assert {("", "301", "text/html"), ("favicon.ico", "200", "image/x-icon"),
            ("legacy.xml", "404", "text/html")} <= kinds
    assert cdx(sw, url="nowhere.example/*") == []


def test_cdx_surt_keys():
    assert surt("https://www.Paper.example/UK/Story?b=2&a=1") == "example,paper)/uk/story?a=1&b=2"
    assert surt("http://127.0.0.1:48301/x") == "1,0,0,127:48301)/x"
    assert surt("http://example.com:80/") == "com,example)/"


def test_cdx_from_to_are_prefixes(sw):
    everything = rows(sw, url="paper.example/*")
    assert rows(sw, url="paper.example/*", **{"from": "2018", "to": "2018"}) == everything
    october = rows(sw, url="paper.example/*", **{"from": "201810", "to": "201810"})
    assert october and all(r["timestamp"].startswith("201810") for r in october)
    assert DOCS[4].url not in {r["original"] for r in october}
    assert rows(sw, url="paper.example/*", to="2017") == []
    assert rows(sw, url="paper.example/*", **{"from": "20181021"}) == [
        r for r in everything if r["timestamp"] >= "20181021"]
    assert get(sw.cdx_url, url="paper.example/*", **{"from": "2018-10"})[0] == 400


def test_cdx_filters_collapse_fl(sw):
    pages = rows(sw, url="paper.example/*", filter=["statuscode:200", "mimetype:text/html"])
    assert {r["original"] for r in pages} == {DOCS[0].url, DOCS[4].url} and len(pages) == 3
    odd = rows(sw, url="paper.example/*", filter="!statuscode:200")
    assert sorted(r["statuscode"] for r in odd) == ["301", "404"]
    assert [r["original"] for r in rows(sw, url="paper.example/*", filter="~original:favicon")] == [
        "https://www.paper.example/favicon.ico"]
    assert rows(sw, url="paper.example/*", filter="original:favicon") == []  # full match without ~
    collapsed = rows(sw, url="paper.example/*", collapse="urlkey")
    assert len(collapsed) == len({r["urlkey"] for r in collapsed}) == len(pages) - 1 + 3
    assert len(rows(sw, url=DOCS[0].url, collapse="digest")) == 1
    assert cdx(sw, url=DOCS[0].url, fl="original,timestamp")[0] == ["original", "timestamp"]
    assert cdx(sw, url=DOCS[0].url, fl="original,timestamp")[1][0] == DOCS[0].url
    status, headers, body = get(sw.cdx_url, url=DOCS[0].url, fl="timestamp,statuscode")
    lines = body.decode().splitlines()
    assert headers["Content-Type"] == "text/plain" and len(lines) == 2
    assert all(len(line.split(" ")) == 2 and line.endswith(" 200") for line in lines)


def test_cdx_limit_and_resume_key(sw):
    everything = cdx(sw, url="paper.example/*")
    assert cdx(sw, url="paper.example/*", limit=-2) == [everything[0]] + everything[-2:]
    assert cdx(sw, url="paper.example/*", limit=2) == everything[:3]  # no key unless asked
    pages, key = [], None
    while True:
        params = {"url": "paper.example/*", "limit": 2, "showResumeKey": "true"}
        if key:
            params["resumeKey"] = key
        table = cdx(sw, **params)
        if table[-2:-1] == [[]]:
            key = table[-1][0]
            pages.append(table[1:-2])
        else:
            key = None
            pages.append(table[1:])
            break
    assert len(everything) == 7 and len(pages) == 3 and all(len(p) == 2 for p in pages)
    assert [r for p in pages for r in p] == everything[1:]
    # Text output: the rows, a blank line, then the key.
    _, _, body = get(sw.cdx_url, url="paper.example/*", limit=2, showResumeKey="true")
    lines = body.decode().split("\n")
    assert lines[2] == "" and lines[3] and lines[4] == "" and len(lines) == 5
    second = get(sw.cdx_url, url="paper.example/*", limit=2, resumeKey=lines[3], output="json")[2]
    assert json.loads(second)[1:] == everything[3:5]


# --- Wayback replay ----------------------------------------------------------------------------


def test_replay_raw_nearest_and_banner(sw):
    first = rows(sw, url=DOCS[0].url)[0]
    ts = first["timestamp"]
    status, headers, body = get(f"{sw.wayback_url}{ts}id_/{DOCS[0].url}")
    assert status == 200 and body == DOCS[0].html
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert parsedate_to_datetime(headers["Memento-Datetime"]).strftime("%Y%m%d%H%M%S") == ts
    assert f'<{DOCS[0].url}>; rel="original"' in headers["Link"]
    assert headers["X-Archive-Orig-Content-Length"] == str(len(DOCS[0].html))
    # A timestamp with no capture: redirected to the nearest one.
    near = (datetime.strptime(ts, "%Y%m%d%H%M%S") + timedelta(hours=3)).strftime("%Y%m%d%H%M%S")
    status, headers, _ = get(f"{sw.wayback_url}{near}id_/{DOCS[0].url}")
    assert status == 302 and headers["Location"] == f"{sw.base}/web/{ts}id_/{DOCS[0].url}"
    status, headers, _ = get(f"{sw.wayback_url}2030id_/{DOCS[0].url}")
    assert status == 302 and headers["Location"].startswith(f"{sw.base}/web/201810")
    assert headers["Location"] != f"{sw.base}/web/{ts}id_/{DOCS[0].url}"  # the later capture
    # Without id_: the same page with an archive banner after <body>.
    status, _, shown = get(f"{sw.wayback_url}{ts}/{DOCS[0].url}")
    assert status == 200 and shown != body and shown.startswith(body[:body.index(b"<body class=a>") + 14])
    start, end = shown.index(b"<!--"), shown.rindex(b"-->") + 3
    assert shown[:start].rstrip(b"\n") + shown[end:].lstrip(b"\n") == body
    # A document without html: a page made from its text.
    ts1 = rows(sw, url=DOCS[1].url)[0]["timestamp"]
    status, _, page = get(f"{sw.wayback_url}{ts1}id_/{DOCS[1].url}")
    assert status == 200 and DOCS[1].title.encode() in page
    # The favicon, the redirect and the 404 replay as archived.
    assert get(f"{sw.wayback_url}2018id_/https://www.paper.example/favicon.ico")[0] == 302
    home = next(r for r in rows(sw, url="https://www.paper.example/"))
    status, headers, _ = get(f"{sw.wayback_url}{home['timestamp']}id_/https://www.paper.example/")
    assert status == 301 and headers["Location"].startswith(f"{sw.base}/web/{home['timestamp']}id_/")
    assert get(f"{sw.wayback_url}{ts}id_/https://www.paper.example/never-captured")[0] == 404


# --- throttling, request log, fixtures, the demo -------------------------------------------------


def test_rate_limit_and_request_log():
    with SearchWeb(DOCS, today=TODAY, min_interval=0.3) as web:
        assert get(web.gdelt_url, query="hotline", format="json")[0] == 200
        status, headers, body = get(web.gdelt_url, query="hotline", format="json")
        assert status == 429 and headers["Content-Type"].startswith("text/plain") and body
        assert get(web.cdx_url, url="paper.example/*")[0] == 200     # its own clock
        assert get(web.cdx_url, url="paper.example/*")[0] == 429
        assert get(web.google_news_url, q="hotline")[0] == 200     # not throttled
        assert get(web.google_news_url, q="hotline")[0] == 200
        time.sleep(0.35)
        assert get(web.gdelt_url, query="hotline", format="json")[0] == 200
        assert get(web.base + "/nothing-here")[0] == 404
        assert web.requests == [
            "/api/v2/doc/doc?query=hotline&format=json", "/api/v2/doc/doc?query=hotline&format=json",
            "/cdx/search/cdx?url=paper.example%2F%2A", "/cdx/search/cdx?url=paper.example%2F%2A",
            "/rss/search?q=hotline", "/rss/search?q=hotline",
            "/api/v2/doc/doc?query=hotline&format=json", "/nothing-here"]


def test_fixtures_have_the_served_shapes(sw):
    served = json.loads(get(sw.gdelt_url, query="hotline", format="json")[2])["articles"][0]
    fixture = json.loads((DATA / "gdelt_artlist.json").read_text())["articles"]
    assert len(fixture) == 6 and all(a.keys() == served.keys() for a in fixture)
    assert any(a["url_mobile"] for a in fixture) and any(a["language"] != "English" for a in fixture)

    channel = ET.parse(DATA / "google_news.xml").getroot().find("channel")
    live = google(sw, "hotline")
    items = channel.findall("item")
    assert len(items) == 5
    assert all([c.tag for c in i] == [c.tag for c in live.find("item")] for i in items)
    for item in items:
        assert item.findtext("link").startswith("https://news.google.com/rss/articles/CBMi")
        assert item.findtext("title").endswith(" - " + item.findtext("source"))

    table = json.loads((DATA / "cdx.json").read_text())
    assert table[0] == list(CDX_FIELDS) and table[-2] == [] and len(table[-1]) == 1
    body = table[1:-2]
    assert {"301", "404"} <= {r[4] for r in body} and any(r[3].startswith("image/") for r in body)
    assert all(surt(r[2]) == r[0] for r in body)
    assert any(a[0] == b[0] and a[5] == b[5] for a, b in zip(body, body[1:]))


def test_demo_documents_are_the_served_pages():
    with DemoWeb() as web:
        docs = demo_documents(web)
        public = [a for o in web.outlets.values() for a in o.articles if not a.meta.get("private")]
        assert len(docs) == len(public) and not any("/private/" in d.url for d in docs)
        for d in docs:
            status, headers, body = get(d.url)
            assert status == 200 and body == d.html and headers["Content-Type"] == d.content_type
            assert d.domain == urlsplit(d.url).netloc and d.published.tzinfo is not None
        assert {d.content_type for d in docs} == {"text/html; charset=utf-8", "text/html"}
        ledger = next(d for d in docs if d.content_type == "text/html")
        assert ledger.publisher == "The Northern Ledger" and "[" not in ledger.text
        with SearchWeb(docs, today=datetime(2018, 11, 1, tzinfo=UTC)) as search:
            found = gdelt_urls(search, '"immigration hotline"', maxrecords=250)
            assert found and set(found) <= {d.url for d in docs}
            ts = rows(search, url=ledger.url)[0]["timestamp"]
            status, headers, body = get(f"{search.wayback_url}{ts}id_/{ledger.url}")
            assert body == ledger.html and headers["Content-Type"] == "text/html"
