import pytest

from pipelines.links import LinkJudge, rank_links, source_links, web_url

TOPIC = (("illegal working", 3.0), ("immigration raid", 3.0), ("asylum", 1.5))


def test_links_are_ranked_by_the_story_they_read_like():
    judge = LinkJudge({"immigration", "mp", "pledge", "hotline"}, TOPIC)
    links = [("https://paper.example/sport/2018/oct/19/derby-result", "Derby result"),
             ("https://paper.example/uk/2018/oct/19/mps-pledge-hotline", "MPs sign pledge"),
             ("https://paper.example/uk/2018/oct/20/car-wash-illegal-working-fines", "Fines for car washes"),
             ("https://paper.example/uk/2018/oct/20/immigration-news", "More news")]
    ranked = rank_links(links, judge, min_score=2, limit=10)
    assert [u.rsplit("/", 1)[1] for u, _ in ranked] == ["mps-pledge-hotline", "car-wash-illegal-working-fines"]
    assert ranked[0][1] == 3  # mp, pledge, hotline
    assert ranked[1][1] == 2  # one topic phrase, whole
    assert rank_links(links, judge, min_score=2, limit=1) == ranked[:1]
    assert judge.score("https://paper.example/a", anchor="Immigration hotline calls by MPs") == 3


@pytest.mark.parametrize("href, base, expected", [
    ("/news/a#comments", "https://paper.example/feed", "https://paper.example/news/a"),
    ("//cdn.paper.example/x", "https://paper.example/", "https://cdn.paper.example/x"),
    ("https://paper.example/a", None, "https://paper.example/a"),
    ("http://[x/", None, None),  # an unclosed IPv6 bracket: urlsplit raises on it
    ("https://paper.example:99999/a", None, None),  # a port that is no port
    ("javascript:void(0)", "https://paper.example/", None),
    ("mailto:desk@paper.example", None, None),
    ("http://", None, None),
    ("", None, None),
])
def test_web_url_is_an_absolute_http_address_or_none_and_never_raises(href, base, expected):
    assert web_url(href, base) == expected


def test_links_that_are_no_web_address_are_not_followed():
    page = ('<html><body><article><p>Read <a href="http://[x/">the report</a> and '
            '<a href="/news/other-story">the other story</a>.</p></article></body></html>')
    assert [u for u, _ in source_links(page, "https://paper.example/news/a")] == ["https://paper.example/news/other-story"]
