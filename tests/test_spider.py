"""Real Scrapy crawls of pages served from 127.0.0.1, asserting on the archive's rows."""

import json
import random
import zlib

import pytest
import sqlite3

from crawler.run import crawl_in_child
from pipelines.links import source_links
from crawler.watch import Outlet, Watch
from pipelines.dedup import normalise_url

LOCAL = {"NEWSMON_ALLOW_PRIVATE_ADDRESSES": True, "DOWNLOAD_DELAY": 0.0,
         "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}


def rows(db_path, sql, args=()):
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()


def public_articles(web):
    return [a for o in web.outlets.values() for a in o.articles if not a.meta.get("private")]


def relevant_articles(web):
    return [a for a in public_articles(web) if a.meta["label"] != "unrelated"]


def test_every_relevant_demo_article_is_one_story_and_no_unrelated_one_is(demo_crawl):
    web = demo_crawl.web
    stories = rows(demo_crawl.db_path, "select id, title, outlet, label from stories")
    expected = {(a.outlet, a.version(2)[0]["title"]) for a in relevant_articles(web)}
    assert {(s["outlet"], s["title"]) for s in stories} == expected
    assert len(stories) == len(expected)
    gold = {(a.outlet, a.version(2)[0]["title"]): a.meta["label"] for a in relevant_articles(web)}
    same = [s for s in stories if gold[(s["outlet"], s["title"])] == "same_story"]
    assert all(s["label"] == "same_story" for s in same)
    # Unrelated pages are remembered, and the second crawl does not fetch them again.
    unrelated = [a for a in public_articles(web) if a.meta["label"] == "unrelated"]
    assert demo_crawl.first["dropped"]["unrelated"] >= len(unrelated)
    second_paths = {(o, p) for o, p in demo_crawl.requests_second}
    assert not [a for a in unrelated if (a.outlet, a.path) in second_paths]


def test_robots_disallowed_pages_are_never_fetched(demo_crawl):
    web = demo_crawl.web
    private = [a for o in web.outlets.values() for a in o.articles if a.meta.get("private")]
    assert private, "the demo web must hold robots-disallowed pages"
    requested = set(demo_crawl.requests)
    assert not [p for o, p in requested if p.startswith("/subscribers/")]
    # ...although the crawler was told of them (sitemap, feed and the source's links).
    assert ("morning-herald", "/robots.txt") in requested
    titles = [r["title"] for r in rows(demo_crawl.db_path, "select title from stories")]
    assert not [t for t in titles if "EXCLUSIVE-SUBSCRIBER" in t]
    assert demo_crawl.first["skipped"]["robots.txt"] >= 2


def test_url_variants_are_one_story_with_several_urls(demo_crawl):
    (story,) = rows(demo_crawl.db_path, "select s.id from stories s join story_urls u on u.story_id = s.id "
                                         "where u.url like '%/amp/commons/analysis-who-signed%'")
    urls = [r["url"] for r in rows(demo_crawl.db_path, "select url from story_urls where story_id = ?",
                                   [story["id"]])]
    assert len(urls) >= 4
    assert any("/amp/" in u for u in urls) and any(u.endswith("/") for u in urls)
    assert any("utm_source=" in u for u in urls) and any(u.endswith("pledge") for u in urls)


def test_syndicated_copies_are_one_group_with_every_outlet(demo_crawl):
    web = demo_crawl.web
    copies = [a for a in public_articles(web) if a.meta.get("syndicated_from")]
    assert len(copies) >= 6
    (group,) = rows(demo_crawl.db_path, "select * from copy_groups")
    assert group["copies"] == len(copies) + 1
    assert set(group["outlets"].split(", ")) == {a.outlet for a in copies} | {"press-wire"}
    assert group["first_published"].startswith("2018-10-12T07:30")
    members = rows(demo_crawl.db_path, "select outlet, title from stories where copy_group = ?", [group["group_id"]])
    assert len({m["title"] for m in members}) == len(members)  # new headlines, one group
    assert demo_crawl.first["copies"] == len(copies)


def test_a_page_scripts_write_in_is_archived_with_the_body_its_article_object_declares(demo_crawl):
    web = demo_crawl.web
    (scripted,) = [a for a in public_articles(web) if a.meta.get("rendered") == "script"]
    url = web.url(f"{scripted.outlet}/{scripted.slug}")
    (story,) = rows(demo_crawl.db_path, "select s.* from stories s join story_urls u on u.story_id = s.id "
                                         "where u.url = ?", [url])
    assert json.loads(story["field_sources"])["text"].startswith("jsonld:articleBody")
    assert story["label"] == scripted.meta["label"]
    last = " ".join(scripted.body.split("\n\n")[-1].split())
    assert story["text"].rstrip().endswith(last) and "Become a Patron" not in story["text"]


def test_listing_pages_are_dropped_with_reasons(demo_crawl):
    dropped = demo_crawl.first["dropped"]
    assert dropped.get("listing-page", 0) + dropped.get("too-short", 0) >= 5
    assert not rows(demo_crawl.db_path, "select id from stories where title in ('Politics', 'Commons', 'UK')")


def test_dates_and_where_they_came_from(demo_crawl):
    sources = {r["date_source"] for r in rows(demo_crawl.db_path, "select date_source from stories")}
    assert None not in sources
    assert {"jsonld:datePublished", "article:published_time", "feed"} <= sources


def test_second_crawl_adds_nothing_and_records_the_edit(demo_crawl):
    first, second = demo_crawl.first, demo_crawl.second
    assert first["stories_new"] + first["copies"] == len(relevant_articles(demo_crawl.web))
    assert first["urls_merged"] >= 5 and first["errors"] == 0
    assert second["stories_new"] == 0 and second["urls_merged"] == 0 and second["copies"] == 0
    assert second["revisions"] == 1
    (revised,) = rows(demo_crawl.db_path, "select story_id, diff from story_revisions where revision = 2")
    assert "+" in revised["diff"] and "-" in revised["diff"]
    story = rows(demo_crawl.db_path, "select text, revision from stories where id = ?", [revised["story_id"]])[0]
    assert story["revision"] == 2
    runs = rows(demo_crawl.db_path, "select job, status, stories_new, revisions from crawl_runs order by id")
    assert [(r["job"], r["status"]) for r in runs] == [("test-1", "ok"), ("test-2", "ok")]
    assert runs[0]["stories_new"] == first["stories_new"]


def test_a_busy_feed_is_retried_after_its_wait_and_an_old_charset_is_read_right(demo_crawl):
    web = demo_crawl.web
    busy = next(o for o in web.outlets.values() if o.config.get("busy"))
    feed = web._feed_path(busy)
    first_crawl = demo_crawl.requests[:len(demo_crawl.requests) - len(demo_crawl.requests_second)]
    assert first_crawl.count((busy.id, feed)) == 2  # 503 with Retry-After, then the feed
    assert demo_crawl.first["retried"] >= 1 and demo_crawl.first["errors"] == 0
    # The cp1252 outlet's pages arrive as bytes that are not UTF-8, under a utf-8 <meta>.
    old = next(o for o in web.outlets.values() if o.config.get("charset"))
    texts = [r["text"] for r in rows(demo_crawl.db_path, "select text from stories where outlet = ?", [old.id])]
    assert texts and not any("\ufffd" in t for t in texts)
    assert any("\u00a320,000" in t for t in texts)  # a pound sign, byte 0xA3 on the wire


def test_source_is_stored_and_its_links_followed(demo_crawl):
    (source,) = rows(demo_crawl.db_path, "select * from sources")
    assert source["text"].startswith("Charities Tell Parliamentarians")
    via = {r["discovered_via"] for r in rows(demo_crawl.db_path, "select discovered_via from story_urls")}
    assert {"feed", "sitemap", "source-link"} <= via <= {"feed", "sitemap", "source-link", "link"}


def test_source_links_skip_navigation_and_share_buttons():
    html = """<html><body><nav><a href="/politics/">Politics</a></nav>
    <article><p>Read <a href="/2018/story-one">the first report</a> and
    <a href="https://other.example/a">this</a>.</p>
    <ul class="share"><li><a href="/share/x/">X</a></li></ul>
    <ul class="related"><li><a href="/2018/story-two">MPs divided over the hotline pledge</a></li></ul>
    <p><a href="/img/photo.jpg">photo of the scene</a> <a href="mailto:desk@paper.example">email us</a></p>
    </article><footer><a href="/about/">About us and our history</a></footer></body></html>"""
    links = [u for u, _ in source_links(html, "https://paper.example/2018/source")]
    assert links == ["https://paper.example/2018/story-one", "https://other.example/a",
                     "https://paper.example/2018/story-two"]


ARTICLE = """<html lang="en"><head><title>{title}</title><meta property="og:type" content="article">
<meta property="article:published_time" content="2018-10-19T08:00:00+01:00"></head>
<body><article><h1>{title}</h1>{body}</article></body></html>"""


_WORDS = ("hotline calls reported offices constituents councils charities tribunal appeals deportation "
          "visas landlords employers hospitals schools ministers figures request answer letter pledge "
          "caseworkers surgeries families detention reporting centre officials review policy").split()


def article(title, words=200):
    # Each title its own wording: two pages sharing their sentences would be one story's copies.
    pick = random.Random(zlib.crc32(title.encode()))
    body = "".join(f"<p>{title} paragraph {i}: MPs and the Home Office "
                   + " ".join(pick.choice(_WORDS) for _ in range(26)) + ".</p>"
                   for i in range(words // 30))
    return ARTICLE.format(title=title, body=body).encode()


@pytest.mark.crawl
def test_bad_feed_and_odd_pages_are_counted_healthy_ones_archived(page_server, tmp_path):
    url = page_server.url
    html = {"Content-Type": "text/html; charset=utf-8"}
    page_server.routes.update({
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow:\n"),
        "/good.rss": (200, {"Content-Type": "application/rss+xml"},
                      f"""<rss version="2.0"><channel><item><link>{url}/a</link></item>
                      <item><link>{url}/b</link></item><item><link>{url}/report.pdf</link></item>
                      <item><link>{url}/gone</link></item><item><link>https://elsewhere.example/x</link></item>
                      </channel></rss>""".encode()),
        "/broken.rss": (200, {"Content-Type": "application/rss+xml"}, b"<html>this is not a feed</html>"),
        "/a": (200, html, article("Story A")),
        "/b": (200, {"Content-Type": "text/html; charset=windows-1252"},
               article("Caf\u00e9 story B").decode().encode("cp1252")),
        "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 not html"),
    })
    watch = Watch(name="t", path=None, sources=(), outlets=(Outlet(
        id="local", name="Local", homepage=url + "/", feeds=(url + "/good.rss", url + "/broken.rss"),
        domains=("127.0.0.1",)),), crawl=LOCAL)
    summary = crawl_in_child(watch, tmp_path / "a.db", timeout=120)
    assert summary["stories_new"] == 2
    assert summary["dropped"] == {"not-html": 1}
    assert summary["skipped"]["offsite"] == 1
    assert summary["error_kinds"] == {"bad-feed": 1}
    # A 404 is an answer, not a failure: remembered, and not asked for again.
    assert summary["skipped"]["gone"] == 1
    assert [r["reason"] for r in rows(tmp_path / "a.db", "select reason from remembered_urls where url = ?",
                                      [url + "/gone"])] == ["gone"]
    status, headers, body = page_server.routes["/good.rss"]
    page_server.routes["/good.rss"] = (status, headers, body.replace(b"</channel>", b"<item></item></channel>"))
    again = crawl_in_child(watch, tmp_path / "a.db", timeout=120)  # the feed changed: read again
    assert again["skipped"].get("known-unrelated") == 1 and "gone" not in again["skipped"]
    titles = sorted(r["title"] for r in rows(tmp_path / "a.db", "select title from stories"))
    assert titles == ["Caf\u00e9 story B", "Story A"]  # cp1252 decoded from the HTTP charset
    state = {r["url"]: r for r in rows(tmp_path / "a.db", "select * from fetch_state")}
    assert state[url + "/broken.rss"]["failures"] == 1 and "not a feed" in state[url + "/broken.rss"]["last_error"]
    assert state[url + "/good.rss"]["failures"] == 0
    run = rows(tmp_path / "a.db", "select * from crawl_runs")[0]
    assert run["status"] == "ok" and json.loads(run["dropped"]) == {"not-html": 1}


def test_second_crawl_is_incremental(demo_crawl):
    """Unchanged feeds and sitemaps are not parsed again; archived stories are rechecked
    directly (the demo's ladder rechecks every crawl), so the edit is still found."""
    second = demo_crawl.second
    listings = sum(len(o.feeds) + len(o.sitemaps) for o in demo_crawl.web.watch().outlets)
    assert second["listings_unchanged"] >= listings
    assert second["rechecked"] == len(rows(demo_crawl.db_path, "select id from stories"))
    state = rows(demo_crawl.db_path, "select content_hash, failures from fetch_state")
    assert state and all(r["content_hash"] for r in state) and not any(r["failures"] for r in state)


@pytest.mark.crawl
def test_conditional_requests_and_backoff(page_server, tmp_path):
    url = page_server.url
    seen = []

    def feed(handler):
        seen.append(handler.headers.get("If-None-Match"))
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}, \
            f"<rss><channel><item><link>{url}/a</link></item></channel></rss>".encode()
    page_server.routes.update({
        "/robots.txt": (200, {}, b""), "/feed": feed, "/a": (200, {"Content-Type": "text/html"}, article("Story A")),
        "/broken": (500, {}, b"down"),
    })
    watch = Watch(name="t", path=None, sources=(), outlets=(Outlet(
        id="local", name="Local", homepage=url + "/", feeds=(url + "/feed", url + "/broken"),
        domains=("127.0.0.1",)),), crawl={**LOCAL, "RETRY_TIMES": 0})
    first = crawl_in_child(watch, tmp_path / "a.db", timeout=120)
    second = crawl_in_child(watch, tmp_path / "a.db", timeout=120)
    assert first["stories_new"] == 1 and first["error_kinds"] == {"http-500": 1}
    assert seen == [None, '"v1"']  # the second crawl asked conditionally and got 304
    assert second["listings_unchanged"] == 1
    assert second["skipped"]["listing-backoff"] == 1  # the failing feed waits, it is not dropped
    (broken,) = rows(tmp_path / "a.db", "select failures, last_status from fetch_state where url like '%broken'")
    assert broken == {"failures": 1, "last_status": 500}


@pytest.mark.crawl
def test_an_interrupted_crawl_reads_its_feeds_again(page_server, tmp_path):
    """Validators are kept only after a complete crawl: pages a crawl missed are fetched by the next."""
    url = page_server.url
    state = {"fail": True}

    def flaky(handler):
        return (503, {}, b"busy") if state["fail"] else (200, {"Content-Type": "text/html"}, article("Story B"))
    page_server.routes.update({
        "/robots.txt": (200, {}, b""),
        "/feed": (200, {"Content-Type": "application/rss+xml", "ETag": '"same"'},
                  f"<rss><channel><item><link>{url}/a</link></item><item><link>{url}/b</link></item>"
                  f"</channel></rss>".encode()),
        "/a": (200, {"Content-Type": "text/html"}, article("Story A")), "/b": flaky})
    watch = Watch(name="t", path=None, sources=(), outlets=(Outlet(
        id="local", name="Local", homepage=url + "/", feeds=(url + "/feed",), domains=("127.0.0.1",)),),
        crawl={**LOCAL, "RETRY_TIMES": 0})
    first = crawl_in_child(watch, tmp_path / "a.db", timeout=120)
    state["fail"] = False
    second = crawl_in_child(watch, tmp_path / "a.db", timeout=120)
    assert first["stories_new"] == 1 and second["stories_new"] == 1
    assert second["listings_unchanged"] == 0


# --- callbacks alone, with responses made here (no server, no reactor) ------------------------

def spider_for(tmp_path, outlets=None, **settings):
    """A WatchSpider over a real archive file, outside any crawl: callbacks are called directly.
    (Scrapy wants its reactor installed; nothing here runs it, and crawls run in children.)"""
    from scrapy.utils.reactor import install_reactor, is_reactor_installed
    from scrapy.utils.test import get_crawler

    if not is_reactor_installed():
        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

    from crawler.run import build_settings
    from crawler.spiders.watch import WatchSpider
    from pipelines.archive import Archive

    outlets = outlets or (Outlet(id="paper", name="The Paper", homepage="https://paper.example/",
                                 feeds=("https://paper.example/feed",), sitemaps=(), domains=("paper.example",)),)
    watch = Watch(name="unit", path=None, sources=(), outlets=outlets, crawl={})
    db = tmp_path / "a.db"
    Archive(db).close()
    crawler = get_crawler(WatchSpider, build_settings(watch, db, settings).copy_to_dict())
    spider = WatchSpider.from_crawler(crawler, watch=watch)
    crawler.spider = spider
    return spider, crawler


def response(url, body, meta=None, status=200, headers=None, cls=None):
    from scrapy import Request
    from scrapy.http import HtmlResponse, XmlResponse

    cls = cls or (HtmlResponse if body.lstrip()[:1] == b"<" and b"<html" in body[:200].lower() else XmlResponse)
    return cls(url, status=status, body=body, headers=headers or {}, request=Request(url, meta=meta or {}))


FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Paper</title>
<item><title>MPs and the hotline</title><link>https://paper.example/news/hotline</link>
<pubDate>Fri, 12 Oct 2018 09:00:00 +0100</pubDate></item>
<item><title>Elsewhere</title><link>https://other.example/story</link></item>
<item><title>Known</title><link>https://paper.example/news/known-unrelated</link></item>
</channel></rss>"""


def test_a_feed_yields_its_outlets_articles_with_what_it_says_of_them(tmp_path):
    spider, crawler = spider_for(tmp_path)
    spider.remembered = {normalise_url("https://paper.example/news/known-unrelated")}
    requests = list(spider.parse_feed(response("https://paper.example/feed", FEED, {"outlet": "paper"})))
    assert [r.url for r in requests] == ["https://paper.example/news/hotline"]
    assert requests[0].meta["via"] == "feed" and requests[0].callback == spider.parse_article
    assert spider.hints["https://paper.example/news/hotline"]["title"] == "MPs and the hotline"
    stats = crawler.stats.get_stats()
    assert stats["newsmon/skipped/offsite"] == 1 and stats["newsmon/skipped/known-unrelated"] == 1
    # The same bytes again: unchanged, nothing asked for.
    spider.listings["https://paper.example/feed"] = {"content_hash": spider.fetch_log[-1]["content_hash"]}
    assert list(spider.parse_feed(response("https://paper.example/feed", FEED, {"outlet": "paper"}))) == []
    assert crawler.stats.get_value("newsmon/feeds-unchanged") == 1


def test_a_broken_feed_is_counted_and_its_good_entries_kept(tmp_path):
    spider, crawler = spider_for(tmp_path)
    cut = FEED[:FEED.index(b"<item><title>Elsewhere")] + b"<item><title>Half"
    requests = list(spider.parse_feed(response("https://paper.example/feed", cut, {"outlet": "paper"})))
    assert [r.url for r in requests] == ["https://paper.example/news/hotline"]
    assert crawler.stats.get_value("newsmon/errors/damaged-feed") == 1
    assert spider.fetch_log[-1]["content_hash"] is None  # read in full next time
    assert list(spider.parse_feed(response("https://paper.example/feed", b"<html>not a feed</html>",
                                           {"outlet": "paper"}, cls=__import__("scrapy").http.XmlResponse))) == []
    assert crawler.stats.get_value("newsmon/errors/bad-feed") == 1


def test_a_news_sitemap_gives_its_dates_and_an_index_its_children(tmp_path):
    spider, _crawler = spider_for(tmp_path)
    news = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://paper.example/a</loc>
      <news:news><news:publication_date>2018-10-12T08:00:00+01:00</news:publication_date>
      <news:title>MPs asked to stop</news:title></news:news></url></urlset>"""
    (request,) = spider.parse_sitemap(response("https://paper.example/news.xml", news, {"outlet": "paper"}))
    assert request.url == "https://paper.example/a"
    hints = spider.hints["https://paper.example/a"]
    assert hints["title"] == "MPs asked to stop" and hints["news_publication_date"].startswith("2018-10-12")
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://paper.example/s1.xml</loc></sitemap>
      <sitemap><loc>https://paper.example/index.xml</loc></sitemap></sitemapindex>"""
    spider.listings_requested.add("https://paper.example/index.xml")  # being read: listing itself is a loop
    children = list(spider.parse_sitemap(response("https://paper.example/index.xml", index, {"outlet": "paper"})))
    assert [c.url for c in children] == ["https://paper.example/s1.xml"]
    assert children[0].callback == spider.parse_sitemap and children[0].meta["depth"] == 1


def test_an_article_page_becomes_an_item_with_its_feeds_hints(tmp_path):
    spider, crawler = spider_for(tmp_path)
    spider.hints["https://paper.example/news/hotline"] = {"title": "MPs and the hotline"}
    page = response("https://paper.example/news/hotline", b"<html><body><p>Text</p></body></html>",
                    {"via": "feed", "redirect_urls": ["https://paper.example/news/hotline"]})
    (item,) = spider.parse_article(page)
    assert item.outlet == "paper" and item.outlet_name == "The Paper" and item.discovered_via == "feed"
    assert item.hints == {"title": "MPs and the hotline"} and "<p>Text</p>" in item.html
    pdf = response("https://paper.example/report.pdf", b"%PDF-1.4", headers={"Content-Type": "application/pdf"},
                   cls=__import__("scrapy").http.Response)
    assert list(spider.parse_article(pdf)) == [] and crawler.stats.get_value("newsmon/dropped/not-html") == 1


def test_listing_requests_are_conditional_and_back_off_after_failures(tmp_path):
    from datetime import datetime, timezone

    spider, crawler = spider_for(tmp_path)
    spider.listings = {"https://paper.example/feed": {"etag": '"v1"', "last_modified": "Fri, 12 Oct 2018 08:00:00 GMT"},
                       "https://paper.example/failing": {"failures": 3,
                                                         "last_fetch": datetime.now(timezone.utc).isoformat()}}
    request = spider._listing_request("https://paper.example/feed", spider.parse_feed, "paper", "feed")
    assert request.headers["If-None-Match"] == b'"v1"' and request.meta["handle_httpstatus_list"] == [304]
    assert spider._listing_request("https://paper.example/failing", spider.parse_feed, "paper", "feed") is None
    assert crawler.stats.get_value("newsmon/skipped/listing-backoff") == 1


FLIGHTS = [("Stansted", "Jamaica", 40), ("Gatwick", "Nigeria", 29), ("Birmingham", "Ghana", 33),
           ("Doncaster", "Albania", 18), ("Manchester", "Pakistan", 25)]


def flight_story(i: int) -> tuple[str, str]:
    """A removal flight, told without any of the test watch's terms but one (our own words)."""
    a, b, n = FLIGHTS[i]
    return (f"Charter flight takes {n} people from {a} to {b}",
            f"A charter flight carrying {n} people left {a} for {b} early on Wednesday after last-minute legal "
            f"challenges failed. Lawyers had argued that several of those on board had lived in Britain since "
            f"childhood. Campaigners gathered at the airport perimeter with banners. The Home Office said everyone "
            f"removed had no right to remain and that removal flights would continue. Two men were taken off the "
            f"flight after a judge granted a stay on their removal. " * 2)


def test_a_page_dropped_as_unrelated_is_fetched_again_once_judgements_change_the_model(page_server, tmp_path):
    from crawler.watch import Topic
    from newsmon.ingest import Ingestor, Record
    from pipelines.archive import Archive
    from pipelines.relevance import Thresholds
    from pipelines.topic import watch_judge

    url = page_server.url
    title, text = flight_story(0)
    page_server.routes.update({
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow:\n"),
        "/news.rss": (200, {"Content-Type": "application/rss+xml"},
                      f"<rss version=\"2.0\"><channel><item><link>{url}/flight</link></item></channel></rss>".encode()),
        "/flight": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.format(
            title=title, body="".join(f"<p>{p}.</p>" for p in text.split(". ") if p)).encode()),
    })
    topic = Topic("removals", (("deportation", 3.0), ("asylum", 1.5), ("home office", 0.5)))
    watch = Watch(name="t", path=None, sources=(), topic=topic, outlets=(Outlet(
        id="local", name="Local", homepage=url + "/", feeds=(url + "/news.rss",), domains=("127.0.0.1",)),),
        crawl=LOCAL)
    db = tmp_path / "a.db"
    first = crawl_in_child(watch, db, timeout=120)
    assert first["dropped"] == {"unrelated": 1} and first["stories_new"] == 0
    # The reader meets three stories of the kind elsewhere (saved copies, kept though unrelated)
    # and judges them related.
    with Archive(db) as archive:
        ingestor = Ingestor(archive, watch_judge(topic, archive, 3.0), Thresholds(), {}, keep_unrelated=True)
        decisions = list(ingestor.run(Record(id=str(i), title=flight_story(i)[0], text=flight_story(i)[1],
                                             outlet=f"elsewhere-{i}") for i in (1, 2, 3, 4)))
        assert [d["label"] for d in decisions] == ["unrelated"] * 4
        for d in decisions[:3]:
            archive.judge(d["story_id"], "related")
        assert len(archive.judged_examples()) == 3
    # The model has changed: the page it dropped is fetched again, and kept this time.
    page_server.routes["/news.rss"] = (200, {"Content-Type": "application/rss+xml"},
                                       page_server.routes["/news.rss"][2].replace(b"</channel>", b" </channel>"))
    second = crawl_in_child(watch, db, timeout=120)
    assert "known-unrelated" not in second["skipped"] and second["labels"] == {"related": 1}
    # The fourth story of the kind, archived before and not judged, is judged again: related.
    assert second["relabelled"] == {"unrelated -> related": 1}
    assert rows(db, "select label from stories where id = ?", [decisions[3]["story_id"]])[0]["label"] == "related"
    story = rows(db, "select label, auto_label, label_why from stories where url = ?", [url + "/flight"])[0]
    assert story["auto_label"] == "related" and json.loads(story["label_why"])["topic"]["model"].startswith("model:")
    assert rows(db, "select * from remembered_urls") == []
    # And the same model a third time: nothing dropped is looked at again.
    page_server.routes["/news.rss"] = (200, {"Content-Type": "application/rss+xml"},
                                       page_server.routes["/news.rss"][2].replace(b"</channel>", b"  </channel>"))
    third = crawl_in_child(watch, db, timeout=120)
    assert third["dropped"] == {} and "relabelled" not in third


def test_sitemap_entries_that_are_no_web_address_are_skipped_in_one_line_and_the_rest_requested(tmp_path, caplog):
    spider, crawler = spider_for(tmp_path)
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://[x/</loc></url>
      <url><loc>https://paper.example:99999/b</loc></url><url><loc>https://paper.example/c</loc></url></urlset>"""
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>javascript:void(0)</loc></sitemap><sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>"""
    with caplog.at_level("WARNING"):
        pages = list(spider.parse_sitemap(response("https://paper.example/pages.xml", urlset, {"outlet": "paper"})))
        children = list(spider.parse_sitemap(response("https://paper.example/index.xml", index, {"outlet": "paper"})))
    assert [r.url for r in pages] == ["https://paper.example/c"]
    assert [r.url for r in children] == ["https://paper.example/s2.xml"]
    assert crawler.stats.get_value("newsmon/skipped/bad-url") == 3
    lines = [r.getMessage() for r in caplog.records if "not a web address" in r.getMessage()]
    assert len(lines) == 2 and "skipped 2 entries of sitemap https://paper.example/pages.xml" in lines[0]
