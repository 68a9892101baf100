import json
import math
from pathlib import Path

import lxml.html
import pytest

from pipelines import listing
from pipelines.clean import NotAnArticle, clean_page

REPO = Path(__file__).resolve().parent.parent
FETCHED = "2026-01-01T00:00:00+00:00"

CLIPS = ["Council votes on bus lanes", "Harbour ferry returns after repairs", "Schools brace for winter closures",
         "Market traders count the cost of floods", "Library extends weekend hours",
         "New cycle bridge opens to walkers", "Hospital car park charges frozen", "Farmers warn of late harvest",
         "Theatre wins lottery grant", "Police appeal after warehouse fire", "Rail timetable changes explained",
         "Allotment waiting list grows", "Swimming pool closes for refit", "Students protest over rents",
         "Bakery marks a century in business", "Town hall clock restored", "Footpath reopens after landslip",
         "Museum returns borrowed paintings", "Dog show draws record crowd", "Water bills to rise in spring",
         "Choir heads to national final", "Cinema to show silent films", "Bin collections move to fortnightly",
         "Festival seeks volunteers"]


def programme_page() -> str:
    """A programme's page: its time slot and a paragraph about the show, then its clips as
    linked headings with no blurb (what extraction finds is the paragraph: no teasers in the
    text to count)."""
    clips = "\n".join(f'<li><h3><a href="/video/{n}/{title.lower().replace(" ", "-")}">{title}</a></h3></li>'
                      for n, title in enumerate(CLIPS, 1000))
    return f"""<html><head><title>Evening Report | Riverside News</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<h1>Evening Report</h1>
<p class="tagline">Weeknights at six on Riverside One</p>
<div class="intro"><p>Evening Report brings the day's stories from across the valley every weeknight at six,
with reporters in every town and interviews with the people who make the decisions that shape where you live.
Watch the latest programme and catch up on the reports you missed during the week below, or send us your
story.</p></div>
<ul class="clips">{clips}</ul>
<footer><p>Riverside News</p></footer></body></html>"""


def story_page() -> str:
    """A dated story with a box of related stories (linked headings) after it."""
    related = "\n".join(f'<li><h3><a href="/news/2026/03/{n}/{title.lower().replace(" ", "-")}">{title}</a></h3></li>'
                        for n, title in enumerate(CLIPS[:8], 10))
    paragraphs = "\n".join(
        f"<p>{line}</p>" for line in [
            "The harbour ferry carried its first passengers in four months on Tuesday morning, after engineers "
            "replaced a cracked drive shaft that had kept the boat in dry dock since the autumn.",
            "About forty commuters made the crossing at seven, many of them nurses on their way to the "
            "hospital on the far bank, who had spent the winter on a replacement bus that took an hour.",
            "The operator said the repair had cost more than it expected because the part had to be made to "
            "order, and that fares would stay at last year's prices until the summer timetable starts.",
            "Councillors who had asked for the service to be handed to another company said they would wait "
            "to see whether the boat kept to its timetable through the spring before pressing the matter.",
        ])
    return f"""<html><head><title>Harbour ferry returns after repairs | Riverside News</title>
<meta property="article:published_time" content="2026-03-03T08:00:00+00:00"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour ferry returns after repairs</h1><p class="byline">By Ann Marsh</p>{paragraphs}</article>
<aside><h2>Related stories</h2><ul>{related}</ul></aside></body></html>"""


def test_a_programme_page_of_linked_clips_is_refused_for_its_shape_where_no_rule_alone_refuses_it(monkeypatch):
    url = "https://riverside.example/programmes/evening-report/"
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(programme_page(), url, {}, FETCHED)
    assert "by the listing model" in refused.value.figures
    assert "24 headings that are links" in refused.value.figures
    # Each rule on its own keeps it: 60 words, most of them prose, no teasers in the text.
    monkeypatch.setattr(listing, "model", lambda: None)
    kept = clean_page(programme_page(), url, {}, FETCHED)
    assert kept["title"] == "Evening Report" and kept["word_count"] == 60


def test_a_dated_story_with_a_box_of_related_headlines_is_kept():
    story = clean_page(story_page(), "https://riverside.example/news/2026/03/03/harbour-ferry-returns", {}, FETCHED)
    assert story["title"] == "Harbour ferry returns after repairs"
    assert story["text"].startswith("The harbour ferry carried")


def test_the_score_names_the_figures_that_weighed_for_a_listing_strongest_first():
    weights = {"features": ["words", "linked_headings", "prose_lines"], "means": [0.0, 0.0, 0.5],
               "scales": [1.0, 1.0, 0.25], "coefs": [-0.5, 1.0, -2.0], "intercept": 0.0, "threshold": 0.9}
    figures = {"words": math.log1p(30), "linked_headings": math.log1p(20), "prose_lines": 0.0}
    probability, parts = listing.score(figures, weights)
    logit = -0.5 * math.log1p(30) + math.log1p(20) + 4.0
    assert probability == pytest.approx(1 / (1 + math.exp(-logit)))
    assert [name for name, _part in parts] == ["prose_lines", "linked_headings", "words"]
    said = listing.reason(figures, probability, parts)
    assert "0% of the lines prose, 20 headings that are links" in said
    assert "words of text" not in said  # (it weighed against a listing)


def test_the_shipped_model_reads_the_figures_the_clean_stage_gives_and_says_where_it_came_from():
    model = json.loads((REPO / "pipelines" / listing.MODEL_FILE).read_text(encoding="utf-8"))
    tree = lxml.html.fromstring("<html><body><p>One line.</p></body></html>")
    teasers = {"links": 0, "entries": 0, "share": 0.0, "top": 0.0, "listing": False}
    figures = listing.features(tree, "https://a.example/x", "One line.", 2, dated=False, date_declared=False,
                               declared_article=False, declared_site=False, article_object=False,
                               declared_listing=False, teasers=teasers, address_kind=False, names_story=False,
                               form_share=0.0)
    # (whether the address is known picks the model: each reads every other figure it can)
    assert model["features"] == [name for name in figures if name != "address_known"]
    unaddressed = model[listing.UNADDRESSED]
    assert unaddressed["features"] == [name for name in figures if not name.startswith("address_")]
    for weights in (model, unaddressed):
        assert len(weights["means"]) == len(weights["scales"]) == len(weights["coefs"]) == len(weights["features"])
        assert 0.5 <= weights["threshold"] < 1
        assert weights["provenance"]["script"] == "benchmarks/train_listing.py"
    # every figure can be said in a refusal's reason
    said = listing.reason(figures, 0.99, [(name, 1.0) for name in figures], most=len(figures))
    assert "2 words of text" in said and "no article object" in said and "0% of the lines prose" in said
    assert "held out by site" in model["provenance"]["threshold"]


def test_a_saved_page_that_states_no_address_is_read_by_the_model_that_reads_no_address(tmp_path):
    # The same saved page at two places on disk, stating no address: where it lies says
    # nothing of it (the path's length and its long numbers once weighed as an address's).
    tree = lxml.html.fromstring(programme_page())
    teasers = {"links": 24, "entries": 0, "share": 0.0, "top": 0.0, "listing": False}
    readings = []
    for folder in ("a", "archive/2014/0000123456789/saved-pages/with-a-long-folder-name"):
        figures = listing.features(tree, (tmp_path / folder / "page.html").as_uri(), "Evening Report", 60,
                                   dated=False, date_declared=False, declared_article=False, declared_site=False,
                                   article_object=False, declared_listing=False, teasers=teasers,
                                   address_kind=False, names_story=False, form_share=0.0)
        weights = listing.weights_for(figures)
        readings.append((figures, listing.score(figures, weights)[0]))
        assert weights is listing.model()[listing.UNADDRESSED]
        assert not any(name.startswith("address_") for name in weights["features"])
    assert readings[0] == readings[1]
    assert readings[0][0]["address_known"] == 0.0 and readings[0][0]["address_length"] == 0.0
    # At a web address, the model that reads it; a refusal says which model judged.
    figures = dict(readings[0][0], address_known=1.0)
    assert listing.weights_for(figures) is listing.model()
    assert "(0.97 by the listing model for pages with no address)" in listing.reason(readings[0][0], 0.97, [])
    assert "(0.97 by the listing model)" in listing.reason(figures, 0.97, [])


def test_no_teasers_a_page_could_hold_lift_it_above_the_highest_score_read_without_them():
    # (so a page whose highest score stays under the threshold is judged without reading them)
    weights = listing.model()
    text = "Evening Report brings the day's stories from across the valley every weeknight at six."
    tree = lxml.html.fromstring(programme_page())
    figures = listing.features(tree, "https://riverside.example/programmes/evening-report/", text, 15,
                               dated=False, date_declared=False, declared_article=False, declared_site=False,
                               article_object=False, declared_listing=False, teasers=None, address_kind=False,
                               names_story=False, form_share=0.0)
    assert "teaser_share" not in figures
    top = listing.highest(figures, 15, weights)
    links = round(math.expm1(figures["links"]))
    assert links == 28  # (the menu's four, the clips' 24)
    scores = []
    for headline_links in (0, 1, links // 2, links):
        for entries in {0, headline_links // 2, headline_links}:
            for share in (0.0, 0.5, 1.0):
                for largest in (0.0, share):
                    for enough in (False, True):
                        teasers = {"links": headline_links, "entries": entries, "share": share, "top": largest,
                                   "listing": enough}
                        scores.append(listing.score({**figures, **listing.teaser_figures(teasers, 15)}, weights)[0])
    assert max(scores) <= top
    assert max(scores) > top - 0.05  # (and the bound is close: the worst case is a page's own)


SHORT_NEWS = ("Firefighters were called to a barn fire near Harwood Lane at about nine on Sunday evening. "
              "Two crews from the town station brought it under control within an hour, and nobody was hurt. "
              "The lane was closed overnight while the roof was made safe. The fire service said the cause "
              "was not yet known and asked anyone who saw smoke earlier in the evening to call them.")


@pytest.mark.parametrize("head", ['<meta property="article:published_time" content="2026-03-03T08:00:00+00:00">',
                                  '<meta property="og:type" content="article">', ""])
@pytest.mark.parametrize("path", ["/news/barn-fire-on-harwood-lane", "/news/12345"])
def test_short_news_under_twenty_linked_headlines_is_kept(head, path):
    # 67 words: short news, dated or marked as an article or at a story's address, with a
    # box of twenty other stories' headlines beside it.
    more = "\n".join(f'<li><h3><a href="/news/2026/03/{n}/{title.lower().replace(" ", "-")}">{title}</a></h3></li>'
                     for n, title in enumerate(CLIPS[:20], 10))
    page = f"""<html><head><title>Barn fire on Harwood Lane | Valley Echo</title>{head}</head><body>
<nav><a href="/news">News</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<h1>Barn fire on Harwood Lane</h1><p>{SHORT_NEWS}</p><aside><h2>More news</h2><ul>{more}</ul></aside></body></html>"""
    story = clean_page(page, "https://valley.example" + path, {}, FETCHED)
    assert story["word_count"] == 67


@pytest.mark.parametrize("canonical", ["http://[x/evening-report/", "//[x/evening-report/"])
def test_a_malformed_canonical_address_is_no_canonical_address(canonical):
    page = programme_page().replace("<head>", f'<head><link rel="canonical" href="{canonical}">')
    url = "https://riverside.example/programmes/evening-report/"
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(page, url, {}, FETCHED)
    assert "24 headings that are links" in refused.value.figures


def test_lines_of_japanese_prose_count_as_prose():
    # No spaces to split on, and a full-width stop at the end: before, such a story read as a
    # text of short lines with no prose, a listing's shape.
    text = ("市議会は火曜日、駅前の自転車道を来年春までに整備する計画を賛成多数で可決した。\n"
            "工事は六月に始まり、通勤時間帯の渋滞を避けるため夜間に進められる予定だという。\n"
            "市議会は火曜日")
    tree = lxml.html.fromstring("<html><body><p>x</p></body></html>")
    teasers = {"links": 0, "entries": 0, "share": 0.0, "top": 0.0, "listing": False}
    figures = listing.features(tree, "https://a.example/x", text, 42, dated=True, date_declared=True,
                               declared_article=True, declared_site=False, article_object=True,
                               declared_listing=False, teasers=teasers, address_kind=False, names_story=True,
                               form_share=0.0)
    assert figures["prose_lines"] == pytest.approx(2 / 3)
    assert figures["short_lines"] == pytest.approx(1 / 3)
