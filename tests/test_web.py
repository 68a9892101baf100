"""The fake webs' common parts: the server base (newsmon/web/server.py) over real HTTP, and
the writer of feeds, sitemaps and robots.txt (newsmon/web/listings.py) read back by
feedparser, ElementTree and Protego."""

import http.client
import socket
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from protego import Protego

from newsmon.web import listings
from newsmon.web.server import TEXT, FakeWeb, PageWeb, Response

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
UTC = timezone.utc
BST = timezone(timedelta(hours=1))


class Echo(FakeWeb):
    """Answers what it was asked, and a few misbehaviours by path."""

    def __init__(self, sites=("",), keep_alive=False):
        super().__init__(sites)
        self.keep_alive = keep_alive

    def answer(self, request):
        if request.path == "/drop":
            return None
        if request.path == "/fail":
            raise ValueError("no such edition")
        if request.path == "/same":
            return Response(304, b"", None, {"ETag": '"v1"'})
        if request.path == "/short":
            return Response(200, b"<p>only the start", length=60000)
        if request.path == "/unsized":
            return Response(200, (b"part %d;" % i for i in range(3)), TEXT, length=None)
        if request.path == "/drip":
            return Response(200, (b"." for _ in range(1000)), TEXT, length=1000, pause=0.2)
        if request.path == "/stall":
            return None if self.wait(600) else Response(200, "late")
        text = f"{request.site} {request.method} {request.path} {request.query} {request.body.decode()}"
        return Response(200, text, TEXT, [("X-Site", request.site)])


def get(web, site, path, method="GET", body=None, headers=None, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection(web.host, web.ports[site], timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        if own:
            conn.close()


def raw(web, site, path, timeout=10.0):
    s = socket.create_connection((web.host, web.ports[site]), timeout=timeout)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return s


# --- the server base


def test_each_site_has_its_own_port_and_every_request_is_recorded():
    with Echo(["a", "b"]) as web:
        assert web.ports["a"] != web.ports["b"] and web.origin("a") == f"http://127.0.0.1:{web.ports['a']}"
        status, headers, body = get(web, "a", "/story?id=3")
        assert status == 200 and body == b"a GET /story id=3 " and headers["X-Site"] == "a"
        assert headers["Content-Type"] == TEXT and headers["Server"] == "FakeWeb/1.0" and headers["Date"]
        assert get(web, "b", "/")[2] == b"b GET /  "
        assert web.requests == [("a", "/story?id=3"), ("b", "/")]
        port = web.ports["a"]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_a_port_asked_for_is_used_when_free_and_another_when_busy():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    web = Echo(["free", "busy"])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        web.bind({"free": free, "busy": busy})
        try:
            assert web.ports["free"] == free and web.ports["busy"] not in (busy, 0)
            with web:
                assert get(web, "busy", "/x")[0] == 200
        finally:
            web.stop()


def test_head_post_and_an_absolute_form_target():
    with Echo() as web:
        status, headers, body = get(web, "", "/page", method="HEAD")
        assert status == 200 and body == b"" and int(headers["Content-Length"]) == len(b" HEAD /page  ")
        assert get(web, "", "/form", method="POST", body=b"choice=reject")[2] == b" POST /form  choice=reject"
        assert get(web, "", f"{web.origin()}/abs?q=1")[2] == b" GET /abs q=1 "


def test_connections_close_unless_kept_alive():
    with Echo() as web:
        assert get(web, "", "/")[1]["Connection"] == "close"
    with Echo(keep_alive=True) as web:
        conn = http.client.HTTPConnection(web.host, web.ports[""], timeout=10)
        try:
            assert "Connection" not in get(web, "", "/1", conn=conn)[1]
            sock = conn.sock
            assert get(web, "", "/2", conn=conn)[2] == b" GET /2  " and conn.sock is sock
        finally:
            conn.close()


def test_not_modified_has_no_length_and_no_body():
    with Echo(keep_alive=True) as web:
        status, headers, body = get(web, "", "/same")
        assert status == 304 and body == b"" and "Content-Length" not in headers and headers["ETag"] == '"v1"'


def test_a_failing_answer_is_a_500_that_names_the_error(capfd):
    with Echo() as web:
        status, _, body = get(web, "", "/fail")
    assert status == 500 and b"ValueError('no such edition')" in body
    assert "ValueError" in capfd.readouterr().err  # the console sees the traceback too


def test_no_answer_closes_the_connection_without_a_word():
    with Echo() as web:
        s = raw(web, "", "/drop")
        try:
            assert s.recv(1024) == b""
        finally:
            s.close()


def test_bodies_shorter_than_said_or_without_a_length():
    with Echo(keep_alive=True) as web:
        conn = http.client.HTTPConnection(web.host, web.ports[""], timeout=10)
        conn.request("GET", "/short")
        resp = conn.getresponse()
        with pytest.raises(http.client.IncompleteRead):
            resp.read()
        conn.close()
        status, headers, body = get(web, "", "/unsized")
        assert status == 200 and body == b"part 0;part 1;part 2;"
        assert "Content-Length" not in headers and headers["Connection"] == "close"


def test_slow_bodies_and_stalls_end_when_the_web_stops(capfd):
    web = Echo().start()
    drip, stall = raw(web, "", "/drip"), raw(web, "", "/stall")
    try:
        head = drip.recv(4096)
        assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"Content-Length: 1000\r\n" in head
        while ("", "/stall") not in web.requests:  # stalling now (a connection not yet taken is reset)
            time.sleep(0.01)
        web.stop()  # the drip stops between two drops, the stall at once: both connections close
        received = b""
        while chunk := drip.recv(4096):
            received += chunk
        assert len(received) < 1000
        assert stall.recv(1024) == b""
    finally:
        drip.close()
        stall.close()
        web.stop()
    assert web.wait(0) is True
    assert "Traceback" not in capfd.readouterr().err


def test_a_client_that_hangs_up_is_quiet(capfd):
    with Echo() as web:
        s = raw(web, "", "/drip")
        s.recv(100)
        s.close()
        assert get(web, "", "/after")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_page_web_serves_what_the_test_sets():
    with PageWeb() as web:
        web.routes["/feed"] = (200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}, b"<rss/>")
        web.routes["/asked"] = lambda request: (200, {}, request.headers.get("If-None-Match", "none").encode())
        status, headers, body = get(web, "", web.url + "/feed?x=1")
        assert (status, headers["Content-Type"], headers["ETag"], body) == (200, "application/rss+xml", '"v1"', b"<rss/>")
        assert get(web, "", "/asked", headers={"If-None-Match": '"v1"'})[2] == b'"v1"'
        assert get(web, "", "/nowhere")[0] == 404
        assert web.server_address == ("127.0.0.1", web.ports[""])


# --- the listings writer

TRICKY = 'Rates & "fees" <up> at Kellsby\u2019s market'
TRICKY_URL = "http://127.0.0.1:8000/news?id=1&from=rss"


def test_rss_is_escaped_dated_and_read_by_a_feed_reader():
    entries = [
        listings.Entry(TRICKY_URL, TRICKY, datetime(2018, 10, 19, 9, 30, tzinfo=UTC), summary="A <b>summary</b> & more"),
        listings.Entry("http://127.0.0.1:8000/b", "Second", datetime(2018, 10, 18, 20, tzinfo=BST), id="outlet-b",
                       author="Jo Bloggs", category="UK news", source=("The Courier", "http://127.0.0.1:8000/")),
    ]
    text = listings.rss("The Courier & Post", "http://127.0.0.1:8000/", entries, language="en-gb",
                        built=datetime(2018, 10, 19, 10, tzinfo=UTC), generator="tests")
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "The Courier & Post" and feed.feed.subtitle == "Latest from The Courier & Post"
    assert feed.feed.language == "en-gb" and feed.feed.generator == "tests"
    first, second = feed.entries
    assert first.title == TRICKY and first.link == TRICKY_URL and first.id == TRICKY_URL
    assert first.published == "Fri, 19 Oct 2018 09:30:00 GMT" and first.summary == "A <b>summary</b> & more"
    assert second.id == "outlet-b" and second.published == "Thu, 18 Oct 2018 20:00:00 +0100"
    assert second.author == "Jo Bloggs" and second.tags[0].term == "UK news"
    assert second.source.title == "The Courier"
    root = ET.fromstring(text.encode())
    assert [g.get("isPermaLink") for g in root.iter("guid")] == ["true", "false"]
    plain = listings.rss("Plain", "http://x/", entries[:1], description="Google News")
    assert "xmlns:dc" not in plain and "<language>" not in plain and "Google News" in plain
    assert len(feedparser.parse(listings.rss("Empty", "http://x/", [])).entries) == 0


def test_atom_entries_default_their_id_and_updated():
    entries = [listings.Entry(TRICKY_URL, TRICKY, datetime(2018, 10, 19, 9, 30, tzinfo=BST), summary="S"),
               listings.Entry("http://x/b", "B", datetime(2018, 10, 18, tzinfo=UTC), updated="2018-10-20T08:00:00+00:00",
                              id="tag:x,2018:b")]
    feed = feedparser.parse(listings.atom("X & Y", "http://x/", entries, updated=entries[0].published,
                                          self_url="http://x/atom.xml"))
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "X & Y" and feed.feed.id == "http://x/"
    first, second = feed.entries
    assert first.link == TRICKY_URL and first.id == TRICKY_URL and first.title == TRICKY
    assert first.published == first.updated == "2018-10-19T09:30:00+01:00"
    assert second.id == "tag:x,2018:b" and second.updated == "2018-10-20T08:00:00+00:00"


def test_sitemaps_news_sitemaps_and_indexes():
    when = datetime(2018, 10, 19, 9, 30, tzinfo=UTC)
    urlset = ET.fromstring(listings.sitemap([TRICKY_URL, ("http://x/b", when), ("http://x/c", "2018-10-18")]))
    assert [u.findtext(SM + "loc") for u in urlset] == [TRICKY_URL, "http://x/b", "http://x/c"]
    assert [u.findtext(SM + "lastmod") for u in urlset] == [None, "2018-10-19T09:30:00+00:00", "2018-10-18"]
    news = ET.fromstring(listings.news_sitemap([listings.Entry(TRICKY_URL, TRICKY, "2018-10-19T09:30:00+01:00")],
                                               publication="The Courier & Post", language="en"))
    (url,) = news
    assert url.findtext(SM + "loc") == TRICKY_URL
    item = url.find(NEWS + "news")
    assert item.findtext(NEWS + "title") == TRICKY and item.findtext(NEWS + "publication_date") == "2018-10-19T09:30:00+01:00"
    assert item.find(NEWS + "publication").findtext(NEWS + "name") == "The Courier & Post"
    index = ET.fromstring(listings.sitemap_index(["http://x/a.xml?p=1&q=2", ("http://x/b.xml", when)]))
    assert index.tag == SM + "sitemapindex"
    assert [(s.findtext(SM + "loc"), s.findtext(SM + "lastmod")) for s in index] == [
        ("http://x/a.xml?p=1&q=2", None), ("http://x/b.xml", "2018-10-19T09:30:00+00:00")]


def test_robots_txt_rules_and_sitemaps():
    open_site = Protego.parse(listings.robots_txt(sitemaps=["http://x/sitemap.xml"]))
    assert open_site.can_fetch("http://x/anything", "newsmon") and list(open_site.sitemaps) == ["http://x/sitemap.xml"]
    closed = Protego.parse(listings.robots_txt(["/subscribers/", "/private/"]))
    assert not closed.can_fetch("http://x/subscribers/a", "newsmon") and closed.can_fetch("http://x/news/a", "newsmon")
    assert list(closed.sitemaps) == []
