from pipelines.links import LinkJudge, rank_links

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
