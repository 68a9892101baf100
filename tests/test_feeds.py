import pytest

from crawler.spiders.feeds import FeedError, parse_feed

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://paper.example/one</link><pubDate>Fri, 19 Oct 2018 08:15:00 +0100</pubDate></item>
<item><title>Two</title><guid>https://paper.example/two</guid></item>
<item><title>Three</title><guid isPermaLink="false">abc-3</guid></item>
<item><title>Relative</title><link>/four</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>A</title><link rel="alternate" href="https://paper.example/a"/><link rel="enclosure" href="https://paper.example/a.jpg"/>
<published>2018-10-19T08:00:00Z</published></entry>
<entry><title>B</title><link href="https://paper.example/b"/><updated>2018-10-20T08:00:00Z</updated></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<item><title>R</title><link>https://paper.example/r</link><dc:date>2018-10-19</dc:date></item></rdf:RDF>"""


def test_rss_items_with_links_guids_and_dates():
    entries = parse_feed(RSS, "https://paper.example/rss")
    assert [e["url"] for e in entries] == ["https://paper.example/one", "https://paper.example/two",
                                           "https://paper.example/four"]
    assert entries[0]["published"] == "Fri, 19 Oct 2018 08:15:00 +0100"
    assert entries[0]["title"] == "One"


def test_atom_alternate_links():
    entries = parse_feed(ATOM, "https://paper.example/atom")
    assert [(e["url"], e["published"]) for e in entries] == [
        ("https://paper.example/a", "2018-10-19T08:00:00Z"),
        ("https://paper.example/b", "2018-10-20T08:00:00Z")]


def test_rss1_rdf():
    assert parse_feed(RDF, "https://paper.example/")[0]["published"] == "2018-10-19"


def test_truncated_feed_keeps_what_it_can():
    entries = parse_feed(RSS[:260], "https://paper.example/rss")
    assert entries[0]["url"] == "https://paper.example/one"


@pytest.mark.parametrize("body, message", [
    (b"", "empty feed"),
    (b"<html><body>Not a feed</body></html>", "not a feed"),
    (b"\x00\x01garbage", "not"),
])
def test_not_a_feed(body, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(body, "https://paper.example/rss")


def test_entities_are_not_expanded():
    evil = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&x;</title><link>https://paper.example/x</link></item></channel></rss>"""
    entries = parse_feed(evil, "https://paper.example/")
    assert "root:" not in (entries[0]["title"] or "")


def test_an_entry_whose_link_is_no_web_address_is_left_out_and_the_rest_read():
    feed = b"""<rss><channel>
<item><title>Bracket</title><link>http://[x/</link></item>
<item><title>Script</title><link>javascript:void(0)</link></item>
<item><title>Port</title><link>https://paper.example:99999/p</link></item>
<item><title>After them</title><link>https://paper.example/after</link></item></channel></rss>"""
    unusable = []
    entries = parse_feed(feed, "https://paper.example/rss", [], unusable)
    assert [e["url"] for e in entries] == ["https://paper.example/after"]
    assert unusable == ["http://[x/", "javascript:void(0)", "https://paper.example:99999/p"]


def test_bare_ampersands_and_html_entities_read_as_their_writer_meant():
    # Hand-made feeds: read strictly, "?a=1&b=2" would come out "?a=1=2" and the title "Caf".
    feed = b"""<rss><channel><item><title>Caf&eacute; &amp; bar&nbsp;one & two &madeup;</title>
<link>https://paper.example/story?id=7&page=2</link></item>
<item><title><![CDATA[Fish &amp; chips]]></title><link><![CDATA[https://paper.example/b?x=1&y=2]]></link></item>
</channel></rss>"""
    entries = parse_feed(feed, "https://paper.example/rss", [])
    assert entries[0]["url"] == "https://paper.example/story?id=7&page=2"
    assert entries[0]["title"] == "Caf\u00e9 & bar\u00a0one & two &madeup;"
    assert (entries[1]["url"], entries[1]["title"]) == ("https://paper.example/b?x=1&y=2", "Fish &amp; chips")


def test_atom_links_read_against_xml_base_and_an_entry_with_only_an_id_that_is_an_address():
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://paper.example/news/">
<entry><link href="2018/a"/></entry>
<entry xml:base="/sport/"><link href="b"/></entry>
<entry><id>https://paper.example/?p=3</id></entry>
<entry><id>tag:paper.example,2018:4</id></entry>
<entry><link rel="alternate">https://paper.example/written-as-text</link></entry></feed>"""
    assert [e["url"] for e in parse_feed(feed, "https://paper.example/atom")] == [
        "https://paper.example/news/2018/a", "https://paper.example/sport/b", "https://paper.example/?p=3",
        "https://paper.example/written-as-text"]
