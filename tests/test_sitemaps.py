import gzip

import pytest

from crawler.spiders.sitemaps import SitemapError, parse_sitemap

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://paper.example/a</loc><lastmod>2018-10-19T12:00:00Z</lastmod><news:news>
<news:publication><news:name>The Paper</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2018-10-19T08:00:00+01:00</news:publication_date><news:title>MPs and the hotline</news:title>
</news:news></url>
<url><loc>https://paper.example/b</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://paper.example/news.xml</loc><lastmod>2018-10-19</lastmod></sitemap>
<sitemap><loc>https://paper.example/archive.xml</loc></sitemap></sitemapindex>"""


def test_news_sitemap_keeps_google_news_fields():
    kind, entries = parse_sitemap(NEWS)
    assert kind == "urlset"
    assert entries[0] == {"loc": "https://paper.example/a", "lastmod": "2018-10-19T12:00:00Z",
                          "news_language": "en", "news_publication_date": "2018-10-19T08:00:00+01:00",
                          "news_title": "MPs and the hotline"}
    assert entries[1] == {"loc": "https://paper.example/b"}


def test_sitemap_index():
    kind, entries = parse_sitemap(INDEX)
    assert kind == "index"
    assert [e["loc"] for e in entries] == ["https://paper.example/news.xml", "https://paper.example/archive.xml"]


@pytest.mark.parametrize("body, message", [
    (b"", "empty sitemap"),
    (b"<html><p>Moved</p></html>", "not a sitemap"),
    (gzip.compress(NEWS), "not"),  # still compressed: the spider gunzips before parsing
])
def test_not_a_sitemap(body, message):
    with pytest.raises(SitemapError, match=message):
        parse_sitemap(body)


def test_a_loc_that_is_no_web_address_is_left_out_and_an_unescaped_ampersand_read_as_meant():
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://[x/</loc></url><url><loc>/relative/page</loc></url>
<url><loc>https://paper.example/list?id=1&page=2</loc></url></urlset>"""
    unusable = []
    kind, entries = parse_sitemap(body, [], "https://paper.example/sitemap.xml", unusable)
    assert [e["loc"] for e in entries] == ["https://paper.example/relative/page",
                                           "https://paper.example/list?id=1&page=2"]
    assert unusable == ["http://[x/"]
