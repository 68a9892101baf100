"""The demo news web: what it serves over real HTTP, and what it holds."""

import urllib.error
import urllib.request
from collections import Counter

import pytest

from crawler.spiders.feeds import parse_feed
from crawler.spiders.sitemaps import parse_sitemap
from newsmon.web.demo import load_articles


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type"), b""


def test_the_demo_web_holds_what_the_pipeline_must_face():
    articles = load_articles()
    labels = Counter(a.meta["label"] for a in articles)
    assert len(articles) >= 80
    assert labels["same_story"] >= 20 and labels["related"] >= 20 and labels["unrelated"] >= 25
    wire = Counter(a.meta["syndicated_from"] for a in articles if a.meta.get("syndicated_from"))
    assert max(wire.values()) >= 6
    assert len({a.outlet for a in articles}) >= 8
    assert [a.slug for a in articles if a.edition2]
    hard = [a for a in articles if a.meta["label"] == "unrelated" and "hard negative" in a.meta.get("notes", "").lower()]
    assert len(hard) >= 10


def test_every_outlet_has_its_own_template_robots_feed_and_sitemap(demo_web):
    templates = {o.templates["article"].template for o in demo_web.outlets.values()}
    assert len(templates) == len(demo_web.outlets) >= 8
    kinds = Counter()
    for outlet in demo_web.outlets.values():
        status, _, robots = get(outlet.base_url + "robots.txt")
        assert status == 200 and b"Sitemap: " in robots
        feed_url = outlet.base_url + ("rss.xml" if outlet.config["feed"] == "rss" else "atom.xml")
        status, ctype, feed = get(feed_url)
        if outlet.config.get("busy") and status == 503:  # the busy outlet's first answer
            status, ctype, feed = get(feed_url)
        assert status == 200 and "xml" in ctype
        unusable = []
        entries = parse_feed(feed, feed_url, [], unusable)
        assert len(entries) == min(len(outlet.articles), 30)
        if outlet.config.get("hand_made_feed"):  # HTML's entities and a bare &: no XML, read whole all the same
            assert b"&rsquo;" in feed and unusable == ["http://[site_url]/subscribe"]
            titles = {a.version(demo_web.edition)[0]["title"].replace("'", "\u2019") for a in outlet.articles[:30]}
            assert {e["title"] for e in entries} == titles
        sitemap_url = next(line.split(": ", 1)[1] for line in robots.decode().splitlines()
                           if line.startswith("Sitemap: "))
        kind, entries = parse_sitemap(get(sitemap_url)[2])
        kinds[kind] += 1
        if kind == "index":
            kind, entries = parse_sitemap(get(entries[0]["loc"])[2])
        if any("news_publication_date" in e for e in entries):
            kinds["news"] += 1
    assert kinds["index"] >= 1 and kinds["news"] >= 2


def test_one_outlet_forbids_a_path_that_holds_pages(demo_web):
    herald = demo_web.outlets["morning-herald"]
    robots = get(herald.base_url + "robots.txt")[2].decode()
    assert "Disallow: /subscribers/" in robots
    private = [a for a in herald.articles if a.meta.get("private")]
    assert private and all(a.path.startswith("/subscribers/") for a in private)
    assert get(herald.base_url.rstrip("/") + private[0].path)[0] == 200


def test_url_variants_serve_the_same_article(demo_web):
    url = demo_web.url("westminster-eye/analysis-who-signed-border-guards-pledge")
    plain = get(url)[2]
    assert get(url + "/")[2] == plain
    assert get(url + "?utm_source=rss")[2] == plain
    amp = get(url.replace("/commons/", "/amp/commons/"))[2].decode()
    assert "<html \u26a1" in amp and f'rel="canonical" href="{url}"' in amp
    assert get(url + "-nope")[0] == 404


def test_second_edition_changes_one_article(demo_web):
    edited = next(a for o in demo_web.outlets.values() for a in o.articles if a.edition2)
    url = demo_web.url(f"{edited.outlet}/{edited.slug}")
    first = get(url)[2]
    demo_web.edition = 2
    try:
        second = get(url)[2]
    finally:
        demo_web.edition = 1
    assert first != second


@pytest.mark.parametrize("path", ["/", "/politics/", "/tag/immigration/"])
def test_listing_pages(demo_web, path):
    status, ctype, body = get(demo_web.outlets["daily-courier"].base_url.rstrip("/") + path)
    assert status == 200 and "html" in ctype and body.count(b"<li>") >= 1


def test_a_script_rendered_article_serves_its_text_only_in_its_article_object(demo_web):
    import json
    import re
    scripted = [a for o in demo_web.outlets.values() for a in o.articles if a.meta.get("rendered") == "script"]
    assert scripted
    status, _ctype, body = get(demo_web.url(f"{scripted[0].outlet}/{scripted[0].slug}"))
    page = body.decode("utf-8")
    first = " ".join(scripted[0].body.split("\n\n")[0].split())
    assert status == 200 and f"<p>{first[:40]}" not in page
    (ld,) = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
    assert ld["articleBody"].startswith(first)
