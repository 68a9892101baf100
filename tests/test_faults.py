"""The hostile news web of newsmon/web/faults.py, checked through its public API."""

import gzip
import http.client
import json
import re
import socket
import struct
import time
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
import trafilatura

from newsmon.web.faults import FaultWeb

REPO = Path(__file__).resolve().parent.parent

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SMALL = dict(stall=1, bomb_mb=16, oversize_bytes=300_000, huge_feed_items=500, links=2000, robots_bytes=50_000)
TRUE_ENCODING = {"cp1252": "cp1252", "latin1": "latin-1", "utf8-bom": "utf-8-sig", "shift-jis": "shift_jis"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def web():
    with FaultWeb(**SMALL) as w:
        yield w


def request(url, method="GET", timeout=5.0):
    """(status, headers, body) without following redirects or raising on error statuses."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def get_ok(url):
    """The body of a page that must answer 200 (a 429 first is waited out, as its Retry-After asks)."""
    status, headers, body = request(url)
    if status == 429:
        time.sleep(float(headers["Retry-After"]))
        status, headers, body = request(url)
    assert status == 200, (url, status)
    return headers, body


def xml_of(url):
    return ET.fromstring(get_ok(url)[1])


def locs(root):
    return [e.text for e in root.iter(SM + "loc")]


def words(text: str) -> int:
    return len(text.split())


# --- the server itself

def test_startup_and_outlets():
    start = time.perf_counter()
    with FaultWeb() as w:
        elapsed = time.perf_counter() - start
        assert [o["id"] for o in w.outlets] == ["main", "trap", "odd"]
        ports = {urlsplit(o["homepage"]).port for o in w.outlets}
        assert len(ports) == 3 and all(urlsplit(o["homepage"]).hostname == "127.0.0.1" for o in w.outlets)
        main, trap, odd = w.outlets
        assert main["feeds"] == [w.url("main", "/feed.xml"), w.url("main", "/feed-broken.xml")]
        assert main["sitemaps"] == [w.url("main", "/sitemap.xml"), w.url("main", "/sitemap-broken.xml")]
        assert trap["feeds"] == [w.url("trap", "/feed-huge.xml")] and trap["sitemaps"] == [w.url("trap", "/sitemap-huge.xml")]
        assert odd["feeds"] == [w.url("odd", "/feed.xml")] and odd["sitemaps"] == []
        assert all(o["name"] for o in w.outlets)
        assert len(w.healthy["main"]) == 6 + 3 + 4 and len(w.healthy["odd"]) == 2
        assert request(main["homepage"])[0] == 200
    assert elapsed < 1.5, elapsed


def test_error_statuses(web):
    status, headers, _ = request(web.url("main", "/fault/500"))
    assert status == 500 and "Retry-After" not in headers
    for _ in range(2):
        status, headers, _ = request(web.url("main", "/fault/503"))
        assert status == 503 and headers["Retry-After"] == "1"
    for outlet, path in [("main", "/nowhere.html"), ("main", "/archive/1.html"), ("trap", "/item/3.html"),
                         ("odd", "/fault/500")]:
        assert request(web.url(outlet, path))[0] == 404, path


def test_429_then_healthy(web):
    url = web.url("main", "/fault/429")
    assert url in web.healthy["main"]
    if web.count("/fault/429") == 0:  # the first request ever is refused
        status, headers, _ = request(url)
        assert status == 429 and headers["Retry-After"] == "1"
    status, headers, body = request(url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert words(trafilatura.extract(body.decode()) or "") >= 400
    assert request(url)[0] == 200


def test_redirects(web):
    def location(path):
        status, headers, _ = request(web.url("main", path))
        assert status == 302, path
        return headers["Location"]

    assert location("/fault/redirect-loop") == web.url("main", "/fault/redirect-loop")
    assert location("/fault/redirect-chain?n=1") == web.url("main", "/fault/redirect-chain?n=2")
    assert location("/fault/redirect-chain?n=41") == web.url("main", "/fault/redirect-chain?n=42")
    assert location("/fault/redirect-private") == "http://169.254.169.254/latest/meta-data/"
    first = urlsplit(web.healthy["main"][0])
    assert location("/fault/redirect-private-name") == f"http://localhost:{first.port}{first.path}"
    assert first.path.startswith("/news/") and first.path.endswith(".html")
    assert location("/fault/redirect-file") == "file:///etc/passwd"
    assert location("/fault/redirect-ftp") == "ftp://127.0.0.1/pub/article.html"


def test_gzip_faults(web):
    status, headers, body = request(web.url("main", "/fault/gzip-bomb"))
    assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Content-Type"].startswith("text/html")
    assert len(body) < 1024 * 1024 / 8 and int(headers["Content-Length"]) == len(body)
    assert len(gzip.decompress(body)) >= SMALL["bomb_mb"] * 1024 * 1024

    status, headers, body = request(web.url("main", "/fault/truncated-gzip"))
    assert status == 200 and headers["Content-Encoding"] == "gzip" and int(headers["Content-Length"]) == len(body)
    with pytest.raises(EOFError):
        gzip.decompress(body)
    d = zlib.decompressobj(31)
    part = d.decompress(body)
    assert not d.eof and part.startswith(b"<!DOCTYPE html>") and b"</html>" not in part

    status, headers, body = request(web.url("main", "/fault/corrupt-gzip"))
    assert status == 200 and headers["Content-Encoding"] == "gzip" and body[:2] == b"\x1f\x8b"
    with pytest.raises(zlib.error):
        zlib.decompress(body, 31)


def test_charset_pages(web):
    assert len(web.CHARSET_PHRASES) == 4
    pages = {}
    for url, phrases in web.CHARSET_PHRASES.items():
        kind = url.rsplit("/", 1)[1]
        headers, body = get_ok(url)
        assert url in web.healthy["main"] and url in web.faults
        assert 3 <= len(phrases) <= 5 and all(any(ord(c) > 127 for c in p) for p in phrases)
        text = body.decode(TRUE_ENCODING[kind])
        tree = lxml.html.fromstring(text)
        article = " ".join(p.text_content() for p in tree.xpath("//article/p"))
        for p in phrases:
            assert p in article, (kind, p)
        pages[kind] = (headers["Content-Type"], body, text, tree)

    ctype, body, text, tree = pages["cp1252"]
    assert ctype == "text/html" and not tree.xpath("//meta[@charset or @http-equiv]")
    assert any(0x80 <= b <= 0x9F for b in body)
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert any(p not in body.decode("latin-1") for p in web.CHARSET_PHRASES[web.url("main", "/charset/cp1252")])

    ctype, body, text, tree = pages["latin1"]
    assert ctype == "text/html; charset=utf-8" and not tree.xpath("//meta[@charset or @http-equiv]")
    assert not any(0x80 <= b <= 0x9F for b in body)  # nothing outside latin-1 proper
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")

    ctype, body, text, tree = pages["utf8-bom"]
    assert ctype == "text/html; charset=iso-8859-1" and body.startswith(b"\xef\xbb\xbf")
    assert not text.startswith("\ufeff")

    ctype, body, text, tree = pages["shift-jis"]
    assert ctype == "text/html"
    assert tree.xpath('//meta[@http-equiv="Content-Type"]/@content') == ["text/html; charset=Shift_JIS"]
    assert JAPANESE.search(tree.findtext(".//title"))
    assert len(JAPANESE.findall(" ".join(p.text_content() for p in tree.xpath("//article/p")))) >= 600
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_connection_faults_and_quiet_hangups(web, capfd):
    host, port = "127.0.0.1", web.ports["main"]

    def raw(path, timeout=3.0):
        s = socket.create_connection((host, port), timeout=timeout)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        return s

    started = time.monotonic()
    # timeout: the client gives up long before the stall ends (and the server's late answer is silent)
    with pytest.raises(socket.timeout):
        request(web.url("main", "/fault/timeout"), timeout=0.3)

    # drop: the request is read and the connection closed with no status line at all
    s = raw("/fault/drop")
    try:
        assert s.recv(1024) == b""
    except ConnectionResetError:
        pass
    s.close()
    with pytest.raises(http.client.RemoteDisconnected):
        request(web.url("main", "/fault/drop"))

    # drop-mid: 2,000 bytes of a promised 60,000
    with pytest.raises(http.client.IncompleteRead) as exc:
        request(web.url("main", "/fault/drop-mid"))
    assert len(exc.value.partial) == 2000 and exc.value.expected == 58000

    # drip: headers at once, then a byte every half second; the client hangs up
    conn = http.client.HTTPConnection(host, port, timeout=3)
    t0 = time.monotonic()
    conn.request("GET", "/fault/drip")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.headers["Content-Length"] == "60000" and time.monotonic() - t0 < 0.45
    first = resp.read(2)
    assert len(first) == 2 and time.monotonic() - t0 >= 0.9
    conn.close()

    # oversize: the client reads the headers and hangs up mid-stream
    s = raw("/fault/oversize")
    assert s.recv(100).startswith(b"HTTP/1.1 200")
    s.close()

    time.sleep(max(0.0, started + SMALL["stall"] + 0.4 - time.monotonic()))  # the stalled answer has been written
    assert capfd.readouterr().err == ""


def test_oversize(web):
    status, headers, body = request(web.url("main", "/fault/oversize"))
    assert status == 200 and int(headers["Content-Length"]) == SMALL["oversize_bytes"] == len(body)
    assert body.startswith(b"<!DOCTYPE html>") and body.rstrip().endswith(b"</html>")
    status, headers, body2 = request(web.url("main", "/fault/oversize-chunked"))
    assert status == 200 and "Content-Length" not in headers and body2 == body


def test_other_types_and_walls(web):
    def page(path, ctype):
        status, headers, body = request(web.url("main", path))
        assert status == 200 and headers["Content-Type"].split(";")[0] == ctype, path
        return body

    pdf = page("/fault/pdf", "application/pdf")
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[xref:xref + 4] == b"xref"
    for m in re.finditer(rb"(\d{10}) 00000 n ", pdf):
        assert re.match(rb"\d+ 0 obj", pdf[int(m.group(1)):])

    png = page("/fault/image", "image/png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pos, kinds = 8, []
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data, crc = png[pos + 8:pos + 8 + n], struct.unpack(">I", png[pos + 8 + n:pos + 12 + n])[0]
        assert zlib.crc32(kind + data) == crc
        if kind == b"IDAT":
            zlib.decompress(data)
        kinds.append(kind)
        pos += 12 + n
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"

    assert "error" in json.loads(page("/fault/json", "application/json"))
    assert page("/fault/empty", "text/html") == b""
    blank = lxml.html.fromstring(page("/fault/blank", "text/html"))
    assert blank.findtext(".//title") and not blank.body.text_content().strip()

    consent = lxml.html.fromstring(page("/fault/consent", "text/html"))
    assert consent.findtext(".//title") == "Before you continue"
    assert words(consent.body.text_content()) < 120 and "cookies" in consent.body.text_content()
    assert [b.text for b in consent.xpath("//form//button")] == ["Accept all", "Reject all"]

    challenge = lxml.html.fromstring(page("/fault/challenge", "text/html"))
    text = challenge.text_content()
    assert challenge.findtext(".//title") == "Just a moment..."
    assert f"Checking your browser before you reach 127.0.0.1:{web.ports['main']}" in text
    assert "Please enable JavaScript and cookies to continue" in text
    assert challenge.xpath("//script") and challenge.xpath("//noscript")

    shell = page("/fault/js-only", "text/html")
    tree = lxml.html.fromstring(shell)
    assert tree.findtext(".//title") and tree.xpath('//div[@id="root"]') == tree.xpath("//body/div")
    assert tree.xpath('//script/@src') == ["/static/app.js"]
    assert tree.findtext(".//noscript") == "You need to enable JavaScript to run this app."
    assert words(tree.body.text_content()) < 15


def test_many_links_and_malformed(web):
    url = web.url("main", "/fault/many-links")
    _, body = get_ok(url)
    tree = lxml.html.fromstring(body)
    archive = [h for h in tree.xpath("//a/@href") if h.startswith("/archive/")]
    assert len(archive) == len(set(archive)) == SMALL["links"] and url in web.healthy["main"]
    assert request(web.url("main", archive[-1]))[0] == 404

    url = web.url("main", "/fault/malformed")
    headers, body = get_ok(url)
    assert url in web.healthy["main"] and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"\x00" in body and b"<!--" not in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    script = re.search(rb"<script>(.*?)</script>", body, re.S).group(1)
    assert b"\x00" in script and b"\xff" in script
    text = body.decode("utf-8", "replace")
    assert re.search(r"<b><i>[^<]+</b></i>", text)
    assert text.index("</html>") < text.rindex("<p>")  # a stray one, with article text after it
    assert text.count("<p") > text.count("</p>") and text.count("<div") > text.count("</div>")


def test_main_listings(web):
    main = web.outlets[0]
    robots = get_ok(web.url("main", "/robots.txt"))[1].decode()
    assert "User-agent: *" in robots and f"Sitemap: {web.url('main', '/sitemap.xml')}" in robots

    feed = xml_of(main["feeds"][0])
    items = feed.findall("./channel/item")
    links = [i.findtext("link") for i in items]
    assert len(links) == len(set(links)) and all(i.findtext("title") for i in items)
    assert all(parsedate_to_datetime(i.findtext("pubDate")) for i in items)
    assert set(web.healthy["main"]) <= set(links)
    fault_pages = {u for u in web.faults if urlsplit(u).path.startswith(("/fault/", "/charset/"))}
    assert fault_pages == set(links) - set(web.healthy["main"][:6]) and len(fault_pages) == 29 + 4
    assert web.url("main", "/fault/redirect-chain?n=1") in links

    status, headers, broken = request(main["feeds"][1])
    assert status == 200 and broken.startswith(b"<?xml") and b"<item>" in broken and b"</rss>" not in broken
    with pytest.raises(ET.ParseError):
        ET.fromstring(broken)

    index = xml_of(main["sitemaps"][0])
    assert index.tag == SM + "sitemapindex"
    assert locs(index) == [web.url("main", "/sitemap-pages.xml"), web.url("main", "/sitemap-loop-a.xml")]
    pages = xml_of(web.url("main", "/sitemap-pages.xml"))
    assert pages.tag == SM + "urlset" and locs(pages) == web.healthy["main"][:6]
    a, b = xml_of(web.url("main", "/sitemap-loop-a.xml")), xml_of(web.url("main", "/sitemap-loop-b.xml"))
    assert a.tag == b.tag == SM + "sitemapindex"
    assert set(locs(a)) == {web.url("main", "/sitemap-loop-a.xml"), web.url("main", "/sitemap-loop-b.xml")}
    assert locs(b) == [web.url("main", "/sitemap-loop-a.xml")]

    status, headers, body = request(main["sitemaps"][1])
    assert status == 200 and headers["Content-Type"].startswith("application/xml") and b"<html" in body
    with pytest.raises(ET.ParseError):
        ET.fromstring(body)
    for u in [main["feeds"][1], main["sitemaps"][1], web.url("main", "/sitemap-loop-a.xml")]:
        assert u in web.faults


def test_trap_and_odd(web):
    robots = get_ok(web.url("trap", "/robots.txt"))[1].decode()
    lines = robots.splitlines()
    assert lines[0] == "User-agent: *" and lines[-1] == "Allow: /"
    assert abs(len(robots) - SMALL["robots_bytes"]) < 100 and len(lines) > 1000
    assert all(re.fullmatch(r"Disallow: /private/\d+/", x) for x in lines[1:-1])

    feed = xml_of(web.url("trap", "/feed-huge.xml"))
    links = [i.findtext("link") for i in feed.iter("item")]
    assert len(links) == SMALL["huge_feed_items"] and all(urlsplit(u).path.startswith("/item/") for u in links)
    assert request(links[0])[0] == 404

    headers, body = get_ok(web.url("trap", "/sitemap-huge.xml"))
    assert len(body) > SMALL["oversize_bytes"] and int(headers["Content-Length"]) == len(body)
    assert ET.fromstring(body).tag == SM + "urlset"

    tree = lxml.html.fromstring(get_ok(web.url("trap", "/links.html"))[1])
    assert len(tree.xpath('//a[starts-with(@href, "/item/")]')) == SMALL["links"]
    assert tree.xpath("//article/p") and web.url("trap", "/links.html") in web.faults

    headers, body = get_ok(web.url("odd", "/robots.txt"))
    assert headers["Content-Type"] == "text/plain" and b"<html" in body and b"\x00" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    _headers, feed = get_ok(web.outlets[2]["feeds"][0])
    with pytest.raises(ET.ParseError):  # hand-made: HTML's &eacute; and a bare & are no XML
        ET.fromstring(feed)
    assert re.findall(rb"<link>([^<]*)</link>", feed)[1:] == [b"http://[x/"] + [u.encode() for u in web.healthy["odd"]]
    main_paths = {urlsplit(u).path for u in web.healthy["main"]}
    assert not main_paths & {urlsplit(u).path for u in web.healthy["odd"]}


def test_requests_recorded(web):
    before = web.count("/fault/redirect-chain")
    request(web.url("main", "/fault/redirect-chain?n=5"))
    request(web.url("main", "/fault/redirect-chain?n=6"))
    request(web.url("trap", "/fault/redirect-chain?n=5"))
    assert web.count("/fault/redirect-chain") == before + 2
    assert web.count("/fault/redirect-chain?n=5") >= 1 and web.count("/fault/redirect-chain?n=5", "trap") == 1
    assert ("main", "/fault/redirect-chain?n=6") in web.requests and ("trap", "/robots.txt") in web.requests


def test_every_healthy_page_is_an_article(web):
    for outlet, urls in web.healthy.items():
        for url in urls:
            headers, body = get_ok(url)
            assert headers["Content-Type"].startswith("text/html")
            kind = urlsplit(url).path.rsplit("/", 1)[1]
            text = body.decode(TRUE_ENCODING.get(kind, "utf-8"), errors="replace")
            extracted = trafilatura.extract(text) or ""
            if kind == "shift-jis":
                assert len(JAPANESE.findall(extracted)) >= 600, url
            else:
                assert words(extracted) >= 400, (url, words(extracted))


# --- a crawl of it: every fault survived, counted and logged once, the healthy archived

# Page limit 6 MB: the 20,000-item feed (5 MB) is read, the 7 MB pages and sitemap are not.
CRAWL = dict(healthy=6, stall=6.0, bomb_mb=16, oversize_bytes=7 * 1024 * 1024, huge_feed_items=20000,
             links=30000, robots_bytes=2 * 1024 * 1024)
MAX_PER_OUTLET = 40

# path on main -> (stats key the fault is counted under, requests it may cost)
OUTCOMES = {
    "/fault/500": ("newsmon/errors/http-500", 2),  # one retry (retry_times = 1)
    "/fault/503": ("newsmon/errors/http-503", 2),  # retried after its Retry-After
    "/fault/timeout": ("newsmon/errors/timeout", 2),
    "/fault/drip": ("newsmon/errors/timeout", 2),
    "/fault/drop": ("newsmon/errors/connection-dropped", 2),
    "/fault/drop-mid": ("newsmon/errors/truncated", 2),
    "/fault/truncated-gzip": ("newsmon/errors/truncated", 1),
    "/fault/corrupt-gzip": ("newsmon/errors/bad-encoding", 1),
    "/fault/gzip-bomb": ("newsmon/skipped/too-large", 1),
    "/fault/oversize": ("newsmon/skipped/too-large", 1),
    # (no length given: it may first run out of time as it streams, and be tried again)
    "/fault/oversize-chunked": ("newsmon/skipped/too-large", (1, 2)),
    "/fault/redirect-loop": ("newsmon/skipped/redirect-loop", 1),
    "/fault/redirect-chain?n=1": ("newsmon/skipped/redirect-limit", 6),  # REDIRECT_MAX_TIMES = 5
    "/fault/redirect-private": ("newsmon/skipped/unsafe", 1),
    "/fault/redirect-private-name": ("newsmon/skipped/unsafe", 1),
    "/fault/redirect-file": ("newsmon/skipped/unsafe", 1),
    "/fault/redirect-ftp": ("newsmon/skipped/unsafe", 1),
    "/fault/redirect-broken": ("newsmon/skipped/bad-url", 1),
    "/fault/pdf": ("newsmon/dropped/not-html", 1),
    "/fault/image": ("newsmon/dropped/not-html", 1),
    "/fault/json": ("newsmon/dropped/not-html", 1),
    "/fault/empty": ("newsmon/dropped/empty-page", 1),
    "/fault/blank": ("newsmon/dropped/no-article-text", 1),
    "/fault/consent": ("newsmon/dropped/consent-wall", 1),
    "/fault/challenge": ("newsmon/dropped/bot-challenge", 1),
    "/fault/js-only": ("newsmon/dropped/script-only", 1),
    "/feed-broken.xml": ("newsmon/errors/damaged-feed", 1),  # cut short: what it holds is used
    "/sitemap-broken.xml": ("newsmon/errors/bad-sitemap", 1),
}


@dataclass
class FaultCrawl:
    web: FaultWeb
    summary: dict
    stats: dict
    run: dict
    log: list[str]
    db: Path


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    from crawler.run import crawl_in_child
    from crawler.watch import Outlet, Source, Watch
    from pipelines.archive import Archive

    tmp = tmp_path_factory.mktemp("faults")
    with FaultWeb(**CRAWL) as web:
        outlets = tuple(Outlet(id=o["id"], name=o["name"], homepage=o["homepage"], feeds=tuple(o["feeds"]),
                               sitemaps=tuple(o["sitemaps"]), domains=("127.0.0.1",)) for o in web.outlets)
        # The source's own page is the trap's page of 30,000 links.
        source = Source(id="mps-not-border-guards", path=REPO / "data" / "sources" / "mps-not-border-guards.txt",
                        url=web.url("trap", "/links.html"), published="2018-10-19")
        watch = Watch(name="faults", path=None, sources=(source,), outlets=outlets, crawl={
            # Only the fault web's own ports: every other private address stays refused.
            "NEWSMON_PRIVATE_HOSTS": [f"127.0.0.1:{port}" for port in web.ports.values()],
            "DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "DOWNLOAD_TIMEOUT": 2.0, "RETRY_TIMES": 1, "NEWSMON_RETRY_AFTER_MAX": 5.0,
            "DOWNLOAD_MAXSIZE": 6 * 1024 * 1024, "NEWSMON_KEEP_UNRELATED": True,
            "NEWSMON_MAX_ARTICLES_PER_OUTLET": MAX_PER_OUTLET, "NEWSMON_WORKERS": 1})
        db = tmp / "archive.db"
        log = tmp / "crawl.log"
        summary = crawl_in_child(watch, db, job="faults", timeout=240,
                                 overrides={"LOG_FILE": str(log), "LOG_LEVEL": "INFO"})
        with Archive(db) as archive:
            run = dict(next(archive.db.query("select * from crawl_runs order by id desc limit 1")))
        yield FaultCrawl(web, summary, json.loads(run["stats"]), run,
                         log.read_text(encoding="utf-8", errors="replace").splitlines(), db)


def _archived_urls(db) -> set[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {u for (u,) in conn.execute("select url from story_urls")}


def _lines_about(log: list[str], url: str) -> list[str]:
    pattern = re.compile(re.escape(url) + r"(?=[\s:,)>]|$)")
    return [line for line in log if pattern.search(line)]


def test_the_crawl_finishes_ok_and_archives_every_healthy_page(fault_crawl):
    assert fault_crawl.run["status"] == "ok", fault_crawl.summary
    archived = _archived_urls(fault_crawl.db)
    healthy = [u for urls in fault_crawl.web.healthy.values() for u in urls]
    assert len(healthy) == 15
    assert set(healthy) <= archived, set(healthy) - archived
    # Nothing from a fault resource slipped in as a story.
    faults = set(fault_crawl.web.faults) - set(healthy)
    assert not archived & faults
    assert not [line for line in fault_crawl.log if "Traceback" in line]


@pytest.mark.parametrize("path", sorted(OUTCOMES))
def test_each_fault_is_counted_retried_as_due_and_logged_once(fault_crawl, path):
    key, requests = OUTCOMES[path]
    web = fault_crawl.web
    url = web.url("main", path)
    assert fault_crawl.stats.get(key, 0) >= 1, (key, {k: v for k, v in fault_crawl.stats.items() if "newsmon" in k})
    low, high = requests if isinstance(requests, tuple) else (requests, requests)
    assert low <= web.count(path.split("?")[0]) <= high
    # Counted in the run's row too, by kind, where a user reads it.
    group, kind = key.split("/")[1:]
    column = {"errors": "error_kinds", "skipped": "skipped", "dropped": "dropped"}[group]
    assert json.loads(fault_crawl.run[column]).get(kind, 0) >= 1
    lines = _lines_about(fault_crawl.log, url)
    assert len(lines) == 1, lines
    assert re.search(r"\b(failed|skipped|refused|Dropped: not an article|Dropped: unrelated)\b", lines[0])
    assert "Traceback" not in lines[0]


def test_a_feed_item_whose_link_is_no_web_address_costs_only_itself(fault_crawl):
    feed = fault_crawl.web.url("odd", "/feed.xml")
    (line,) = _lines_about(fault_crawl.log, feed)
    assert "skipped 1 entry of feed" in line and "not a web address" in line and "http://[x/" in line
    assert set(fault_crawl.web.healthy["odd"]) <= _archived_urls(fault_crawl.db)  # the items after it


def test_429_is_retried_after_its_wait_and_then_archived(fault_crawl):
    url = fault_crawl.web.url("main", "/fault/429")
    assert fault_crawl.web.count("/fault/429") == 2
    assert url in _archived_urls(fault_crawl.db)
    assert not _lines_about(fault_crawl.log, url)


def test_text_with_a_missing_or_lying_charset_is_archived_correctly_decoded(fault_crawl):
    import sqlite3

    with sqlite3.connect(fault_crawl.db) as conn:
        for url, phrases in fault_crawl.web.CHARSET_PHRASES.items():
            (text,) = conn.execute("select s.text from stories s join story_urls u on u.story_id = s.id "
                                   "where u.url = ?", (url,)).fetchone()
            assert "\ufffd" not in text, url
            for phrase in phrases:
                assert phrase in text, (url, phrase)


def test_redirects_to_private_addresses_and_other_schemes_are_never_followed(fault_crawl):
    line = _lines_about(fault_crawl.log, fault_crawl.web.url("main", "/fault/redirect-private"))[0]
    assert "169.254.169.254" in line and "private" in line
    assert "localhost" in _lines_about(fault_crawl.log, fault_crawl.web.url("main", "/fault/redirect-private-name"))[0]
    assert "file:" in _lines_about(fault_crawl.log, fault_crawl.web.url("main", "/fault/redirect-file"))[0]
    # The healthy page behind the localhost redirect was fetched only under its own address.
    assert fault_crawl.web.count("/fault/redirect-private-name") == 1


def test_walls_and_shells_are_not_remembered_so_the_next_crawl_tries_again(fault_crawl):
    from pipelines.archive import Archive
    from pipelines.dedup import normalise_url

    with Archive(fault_crawl.db) as archive:
        remembered = archive.remembered_keys()
    for path in ("/fault/consent", "/fault/challenge", "/fault/js-only", "/fault/500"):
        assert normalise_url(fault_crawl.web.url("main", path)) not in remembered


def test_sitemap_index_loops_are_read_once_and_counted(fault_crawl):
    web = fault_crawl.web
    assert web.count("/sitemap-loop-a.xml") == 1 and web.count("/sitemap-loop-b.xml") == 1
    assert fault_crawl.stats["newsmon/skipped/listing-loop"] == 2
    assert len(_lines_about(fault_crawl.log, web.url("main", "/sitemap-loop-a.xml"))) == 2  # its fetch is silent


def test_traps_cost_a_bounded_number_of_requests(fault_crawl):
    web, stats = fault_crawl.web, fault_crawl.stats
    # A 20,000-item feed: the outlet's budget of requests, no more.
    items = sum(1 for outlet, path in web.requests if outlet == "trap" and path.startswith("/item/"))
    assert 0 < items <= MAX_PER_OUTLET
    assert stats["newsmon/skipped/outlet-budget"] >= 20000 - MAX_PER_OUTLET
    # A sitemap over the size limit is abandoned, and said so once.
    assert len(_lines_about(fault_crawl.log, web.url("trap", "/sitemap-huge.xml"))) == 1
    # A 2 MB robots.txt is read up to its first 500 KiB; a garbage one does not stop the crawl.
    assert stats["newsmon/robotstxt-truncated"] == 1
    assert set(web.healthy["odd"]) <= _archived_urls(fault_crawl.db)
    # The page of many links is itself archived, its links not followed (not a source).
    assert web.count("/archive/", "main") == 0
