"""The synthetic news web of newsmon/web/synthetic.py: pages, listings over real HTTP, extraction."""

import gzip
import http.client
import itertools
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import lxml.html
import pytest
import trafilatura

from newsmon.web import synthetic

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site():
    return synthetic.build_site(40)


@pytest.fixture(scope="module")
def server(site):
    with synthetic.serve(site) as srv:
        yield srv


def tree(site, article):
    return lxml.html.fromstring(site.html(article))


def body_words(site, article) -> tuple[int, int]:
    """(paragraphs, words) of the article body's <p> elements, read from the page."""
    ps = tree(site, article).xpath(synthetic.BODY_XPATH[article.family])
    return len(ps), sum(len(p.text_content().split()) for p in ps)


def fetch(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return r.status, r.headers, r.read()


def test_deterministic():
    a, b = synthetic.build_site(12, outlets=3), synthetic.build_site(12, outlets=3)
    assert [x.path for x in a.articles] == [x.path for x in b.articles]
    assert all(a.files[p].body == b.files[p].body for p in a.files)
    assert [x.path for x in synthetic.build_site(12, outlets=3, seed=2).articles] != [x.path for x in a.articles]


def test_pages_sizes_bodies_and_templates(site):
    assert len(site.articles) == 40
    for a in site.articles:
        html = site.html(a)
        assert synthetic.MIN_PAGE <= len(html.encode()) <= synthetic.MAX_PAGE, (a.path, len(html))
        paragraphs, words = body_words(site, a)
        assert 8 <= paragraphs <= 25 and 400 <= words <= 1200, (a.path, paragraphs, words)
        assert (paragraphs, words) == (a.paragraphs, a.words)
        assert re.fullmatch(r"/[a-z-]+/news/2024/\d\d/\d\d/[a-z0-9-]+-\d+\.html", a.path)
        t = tree(site, a)
        assert t.findtext(".//title").startswith(a.headline)
        assert t.xpath('//meta[@property="og:title"]/@content') == [a.headline]
        assert t.xpath('//link[@rel="canonical"]/@href') == [a.path] == t.xpath('//meta[@property="og:url"]/@content')
        assert t.xpath('//meta[@name="author"]/@content') == [a.author]
        assert t.xpath('//meta[@property="article:published_time"]/@content') == [a.published.isoformat()]
        ld = json.loads(t.xpath('//script[@type="application/ld+json"]/text()')[0])
        assert ld["@type"] == "NewsArticle" and ld["headline"] == a.headline
        assert ld["datePublished"] == a.published.isoformat() and ld["author"][0]["name"] == a.author
        assert 20 <= len(t.xpath('//nav[@aria-label="Sections"]//a')) <= 60
        assert len(t.xpath("//footer//a")) >= 30
        assert len(t.xpath('//*[contains(@class, "most-read__item")]')) >= min(5, len(site.by_outlet[a.outlet]) - 1)
        assert t.xpath('//*[contains(@class, "cookie-consent")]') and t.xpath('//*[contains(@class, "share-tools")]')
        assert len(t.xpath("//script[not(@type)]")) >= 4 and t.xpath("//style")
    assert len({a.family for a in site.articles}) >= 4


def test_prose_mixes_topics_and_bodies_are_distinct(site):
    topics = {a.topic for a in site.articles}
    assert "immigration" in topics and len(topics) >= 5
    shingles = {}
    for a in site.articles:
        text = " ".join(p.text_content() for p in tree(site, a).xpath(synthetic.BODY_XPATH[a.family]))
        assert re.search(r'"[A-Z][^"]{10,}[.,]"', text), "quotes"
        assert re.search(r"\b\d[\d,]* [a-z]", text), "numbers with nouns"
        words = text.lower().split()
        shingles[a.id] = {tuple(words[i:i + 5]) for i in range(len(words) - 4)}
    for x, y in itertools.combinations(site.articles, 2):
        resemblance = len(shingles[x.id] & shingles[y.id]) / len(shingles[x.id] | shingles[y.id])
        if y.syndicated_from == x.id:
            assert resemblance == 1.0 and x.outlet != y.outlet
        else:
            assert resemblance < 0.3, (x.path, y.path, resemblance)


def test_immigration_share_and_syndication():
    site = synthetic.build_site(200)
    share = sum(a.topic == "immigration" for a in site.articles) / 200
    assert 0.1 <= share <= 0.2
    copies = [a for a in site.articles if a.syndicated_from]
    assert 1 <= len(copies) <= 15
    for a in copies:
        src = site.articles[a.syndicated_from - 1]
        assert body_words(site, a) == body_words(site, src) and a.headline == src.headline


def test_listings_over_http(site, server):
    base = server.base_url
    status, _, robots = fetch(base + "/robots.txt")
    robots = robots.decode()
    assert status == 200 and "User-agent: *\nAllow: /" in robots
    assert [line.split(" ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap:")] == \
        site.sitemap_urls(base)

    outlet = max(site.outlets, key=lambda o: len(site.by_outlet[o.id]))
    arts = site.by_outlet[outlet.id]
    status, headers, body = fetch(f"{base}/{outlet.id}/feed.xml")
    assert headers["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(body)
    assert rss.get("version") == "2.0"
    assert [i.findtext("link") for i in rss.iter("item")] == [base + a.path for a in arts[:synthetic.FEED_ITEMS]]

    _, _, body = fetch(f"{base}/{outlet.id}/sitemap.xml")
    children = [e.text for e in ET.fromstring(body).iter(SM + "loc")]
    assert children == [f"{base}/{outlet.id}/sitemap-1.xml"]
    _, _, body = fetch(children[0])
    assert [e.text for e in ET.fromstring(body).iter(SM + "loc")] == [base + a.path for a in arts]

    assert len(site.feed_urls(base)) == len(site.outlets) == len(site.sitemap_urls(base, children=True))
    assert set(site.article_urls(base)) == {base + a.path for a in site.articles}


def test_child_sitemaps_hold_at_most_the_limit(site, monkeypatch):
    monkeypatch.setattr(synthetic, "SITEMAP_URLS", 2)
    outlet = site.outlets[0]
    n = len(site.by_outlet[outlet.id])
    index = site.lookup(f"/{outlet.id}/sitemap.xml", "http://split.example").body
    children = [e.text for e in ET.fromstring(index).iter(SM + "loc")]
    assert len(children) == -(-n // 2)
    urls = []
    for url in children:
        locs = [e.text for e in ET.fromstring(site.lookup(url.removeprefix("http://split.example"),
                                                          "http://split.example").body).iter(SM + "loc")]
        assert 1 <= len(locs) <= 2
        urls += locs
    assert urls == ["http://split.example" + a.path for a in site.by_outlet[outlet.id]]


def test_articles_gzip_head_404_and_keep_alive(site, server):
    a = site.articles[0]
    url = server.base_url + a.path
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == site.files[a.path].body and int(headers["Content-Length"]) == len(body)
    assert "Content-Encoding" not in headers

    _, headers, zipped = fetch(url, **{"Accept-Encoding": "gzip, deflate"})
    assert headers["Content-Encoding"] == "gzip" and len(zipped) < len(body) / 3
    assert gzip.decompress(zipped) == body

    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(server.base_url + "/no/such/page.html")
    assert err.value.code == 404

    host, port = server.host, server.ports[""]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("HEAD", a.path)
        r = conn.getresponse()
        assert r.status == 200 and int(r.headers["Content-Length"]) == len(body) and r.read() == b""
        conn.request("GET", a.path, headers={"If-None-Match": r.headers["ETag"]})
        r = conn.getresponse()
        assert r.status == 304 and r.read() == b""
        sock = conn.sock
        conn.request("GET", site.articles[1].path)  # the same connection: keep-alive
        r = conn.getresponse()
        assert r.status == 200 and r.read() == site.files[site.articles[1].path].body and conn.sock is sock
    finally:
        conn.close()


def test_pages_in_memory(site):
    pages = site.pages_in_memory()
    assert len(pages) == 40
    assert pages[0] == (synthetic.DEFAULT_ORIGIN + site.articles[0].path, site.html(site.articles[0]))


@pytest.mark.parametrize("family", synthetic.FAMILIES)
def test_trafilatura_finds_the_article_not_the_chrome(site, family):
    articles = [a for a in site.articles if a.family == family][:2]
    if not articles:
        pytest.skip(f"no {family} page among 40")
    for a in articles:
        html = site.html(a)
        text = trafilatura.extract(html, favor_precision=True) or ""
        assert len(text.split()) >= 300, a.path
        assert trafilatura.extract_metadata(html).title == a.headline
        most_read = [li.text_content() for li in
                     lxml.html.fromstring(html).xpath('//*[contains(@class, "most-read__item")]')]
        assert most_read and not [h for h in most_read if h in text]
        assert "cookies" not in text and "Accept all" not in text


def test_script_stats(capsys):
    assert synthetic.main(["--pages", "20", "--outlets", "4", "--stats"]) == 0
    out = capsys.readouterr().out
    stats = json.loads(out.strip().splitlines()[-1])
    assert stats["pages"] == 20 and 400 <= stats["words_mean"] <= 1200
    assert 30 <= stats["html_kb_min"] <= stats["html_kb_mean"] <= stats["html_kb_max"] <= 120
