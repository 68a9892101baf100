"""Search engines and archives: their answers parsed (fixtures in the real formats, written
by us), and discovery crawls against a local server that speaks their wire formats
(newsmon/web/search.py) with the demo web as the publishers."""

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.spiders.search import (SearchError, cdx_url, gdelt_range, parse_cdx, parse_gdelt, parse_google_news,
                                    publisher_link, split_range)

DATA = Path(__file__).parent / "data" / "search"
REPO = Path(__file__).resolve().parent.parent
UTC = timezone.utc


def test_gdelt_answers_and_refusals():
    articles = parse_gdelt((DATA / "gdelt_artlist.json").read_bytes())
    assert len(articles) == 6
    assert articles[0]["url"].startswith("https://www.paper.example/news/uk/2019/mar/12/")
    assert articles[0]["published"] == "2019-03-12T08:15:00+00:00"
    assert parse_gdelt(b"{}") == [] and parse_gdelt(b"") == []
    with pytest.raises(SearchError, match="GDELT refused the query: The specified phrase is too short"):
        parse_gdelt(b"<html><body>The specified phrase is too short.</body></html>")


def test_gdelt_window_is_clipped_and_full_ranges_split():
    now = datetime(2026, 11, 26, tzinfo=UTC)
    assert gdelt_range(datetime(2018, 10, 12, tzinfo=UTC), datetime(2018, 11, 20, tzinfo=UTC), now, 90) is None
    start, end = gdelt_range(datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC), now, 90)
    assert (start, end) == (datetime(2026, 8, 28, tzinfo=UTC), now)
    (a, b), (c, d) = split_range(start, end, 1)
    assert a == start and b == c and d == end
    assert split_range(start, start.replace(minute=30), 1) is None


def test_google_news_items_and_publisher_pages():
    items = parse_google_news((DATA / "google_news.xml").read_bytes())
    assert len(items) == 5
    first = items[0]
    assert first["link"].startswith("https://news.google.com/rss/articles/CBMi")
    assert first["title"] == "The car wash raids show the hostile environment never went away"  # " - Publisher" cut
    assert first["publisher"] == "The Weekly"
    page = ('<html><body><script>var x = "https://news.google.com/x";</script>'
            '<div data-n-au="https://www.paper.example/a/story"></div>'
            '<a href="https://www.paper.example/a/story" rel="nofollow">Opening</a></body></html>')
    assert publisher_link(page, "https://news.google.com/rss/articles/CBMi1") == "https://www.paper.example/a/story"
    assert publisher_link("<html><body><a href='/about'>About</a></body></html>",
                          "https://news.google.com/rss/articles/CBMi1") is None
    with pytest.raises(SearchError):
        parse_google_news(b"<html>not a feed</html>")


def test_cdx_rows_and_resume_key():
    rows, resume = parse_cdx((DATA / "cdx.json").read_bytes())
    assert len(rows) == 8 and rows[0]["statuscode"] == "301"
    assert resume == "example%2Cpaper%29%2Frobots.txt+20190313200512%21"
    assert parse_cdx(b"[]") == ([], None)
    with pytest.raises(SearchError):
        parse_cdx(b"<html>Too many requests</html>")
    url = cdx_url("https://web.archive.org/cdx/search/cdx", "paper.example", "20181012", "20181118", 100)
    assert "url=paper.example%2F%2A" in url and "filter=statuscode%3A200" in url and "collapse=urlkey" in url


# --- discovery against the local services --------------------------------------------------

def _services(sw):
    return {"NEWSMON_ALLOW_PRIVATE_ADDRESSES": True, "DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "NEWSMON_SEARCH": ["gdelt", "google-news"],
            "NEWSMON_GDELT_URL": sw.gdelt_url, "NEWSMON_GOOGLE_NEWS_URL": sw.google_news_url,
            "NEWSMON_WAYBACK_CDX_URL": sw.cdx_url, "NEWSMON_WAYBACK_URL": sw.wayback_url,
            # The replayed GDELT keeps its own rolling window (to the day it pretends it is):
            # the spider is not to clip the 2018 range against today's calendar.
            "NEWSMON_GDELT_WINDOW_DAYS": 10000,
            "NEWSMON_GDELT_DELAY": 0.0, "NEWSMON_GOOGLE_NEWS_DELAY": 0.0, "NEWSMON_WAYBACK_DELAY": 0.0,
            "NEWSMON_RECHECK_LADDER": []}


@pytest.fixture(scope="module")
def discovery(demo_web, tmp_path_factory):
    """A watch of the source alone (no outlets) with search on: a crawl, a backfill, then a
    crawl of the outlets' feeds into the same archive."""
    from crawler.run import crawl_in_child
    from crawler.watch import Source, Watch, load_watch
    from newsmon.web.search import SearchWeb, demo_documents

    topic = load_watch(REPO / "data" / "watch.toml").topic
    source_path = REPO / "data" / "sources" / "mps-not-border-guards.txt"
    source_ref = "frontier-report/charities-tell-mps-stop-reporting-immigration-crime"
    demo_web.edition = 1
    with SearchWeb(demo_documents(demo_web), today=datetime(2018, 12, 1, tzinfo=UTC)) as sw:
        source = Source(id="mps-not-border-guards", path=source_path, url=demo_web.url(source_ref),
                        published="2018-10-12")
        watch = Watch(name="source-only", path=None, sources=(source,), outlets=(), crawl=_services(sw),
                      topic=topic)
        db = tmp_path_factory.mktemp("discovery") / "archive.db"
        searched = crawl_in_child(watch, db, job="search", timeout=240)
        after_search = _titles(db)
        backfilled = crawl_in_child(watch, db, job="backfill", timeout=240,
                                    overrides={"NEWSMON_BACKFILL": {"since": "20181012", "until": "20181118"}})
        after_backfill = _titles(db)
        feeds = crawl_in_child(demo_web.watch(source_path=source_path, source_ref=source_ref, topic=topic),
                               db, job="feeds", timeout=240)
        yield dict(db=db, web=demo_web, sw=sw, searched=searched, backfilled=backfilled, feeds=feeds,
                   after_search=after_search, after_backfill=after_backfill, requests=list(sw.requests))


def _titles(db):
    with sqlite3.connect(db) as conn:
        return [t for (t,) in conn.execute("select title from stories")]


def _relevant(web, label=None):
    return {a.version(1)[0]["title"] for o in web.outlets.values() for a in o.articles
            if not a.meta.get("private") and a.meta["label"] != "unrelated" and (label is None or a.meta["label"] == label)}


def test_search_and_links_alone_find_the_events_coverage(discovery):
    web, s = discovery["web"], discovery["searched"]
    same = _relevant(web, "same_story")
    found = set(discovery["after_search"])
    assert same <= found, same - found  # every same-story article, from the source alone
    assert s["search"]["gdelt-results"] > 0 and s["search"]["google-news-results"] > 0
    with sqlite3.connect(discovery["db"]) as conn:
        via = dict(conn.execute("select discovered_via, count(*) from story_urls group by 1"))
    assert via.get("search:gdelt") and via.get("source-link") and via.get("link")
    # The queries come from the source: its campaign's name among them, as a phrase.
    assert any("%22MPs+not+border+guards%22" in r or "%22MPs%20not%20border%20guards%22" in r
               for r in discovery["requests"])


def test_google_news_links_lead_to_the_publisher_never_archived_as_google(discovery):
    requests = discovery["requests"]
    assert sum(r.startswith("/rss/articles/") for r in requests) > 0
    with sqlite3.connect(discovery["db"]) as conn:
        urls = [u for (u,) in conn.execute("select url from story_urls")]
    base = discovery["sw"].base
    assert urls and not [u for u in urls if u.startswith(base)]


def test_backfill_adds_archived_coverage_under_original_urls(discovery):
    b = discovery["backfilled"]
    assert b["backfill"]["captures"] > 0 and b["backfill"]["matching"] > 0
    assert len(discovery["after_backfill"]) > len(discovery["after_search"])
    with sqlite3.connect(discovery["db"]) as conn:
        rows = conn.execute("select u.url, u.first_seen, s.published from story_urls u join stories s "
                            "on s.id = u.story_id where u.discovered_via = 'wayback'").fetchall()
    assert rows
    for url, first_seen, published in rows:
        assert "/web/" not in url and "id_" not in url  # the publisher's URL, not the archive's
        assert first_seen.startswith("2018-")  # fetched when captured
    # Only captures of relevant-looking URLs were fetched from the archive.
    replays = [r for r in discovery["requests"] if r.startswith("/web/")]
    assert 0 < len(replays) <= b["backfill"]["matching"]


def test_what_feeds_find_later_is_deduplicated_with_what_discovery_found(discovery):
    web, f = discovery["web"], discovery["feeds"]
    titles = _titles(discovery["db"])
    assert len(titles) == len(set(titles))  # one story each, however it was found
    assert set(titles) == _relevant(web)  # and, with the feeds, all the coverage
    assert f["stories_new"] == len(_relevant(web)) - len(discovery["after_backfill"])
    with sqlite3.connect(discovery["db"]) as conn:
        outlets = {o for (o,) in conn.execute("select distinct outlet from stories")}
    assert outlets <= set(web.outlets)  # sites found by search joined their outlets once watched
