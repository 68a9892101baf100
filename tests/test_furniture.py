"""Page furniture that extraction keeps in the text, read line by line: credits, sign-up
and cookie boxes, appeals, prompts, signatures and the tail after the story, stamps over it;
sentences of the story that only look like furniture are kept. Read through ``clean_page``,
which asks ``pipelines.furniture``."""

import pytest

from pipelines.clean import clean_page
from tests.test_clean import FETCHED, LONG_BODY, page, with_box


def test_furniture_after_the_article_is_cut():
    extra_in_article = LONG_BODY + "<h3>Comments (12)</h3><p>Great article, thanks for writing it up.</p>" \
                                   "<p>I disagree with every word of this piece, frankly.</p>"
    got = clean_page(page(body=extra_in_article), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 11" in got["text"] and "Great article" not in got["text"]
    assert not got["text"].startswith("Budget approved")  # the headline is not body


@pytest.mark.parametrize("signature", ["aja/PAP", "(grh)", "RIRM"])
def test_an_agencys_or_editors_signature_ends_the_story(signature):
    tail = f"<p>{signature}</p><p>Source: Harbour Post archive</p>"
    got = clean_page(page(body=LONG_BODY + tail), "https://news.example/x", {}, FETCHED)
    assert got["text"].rstrip().endswith("officials said.") and "Paragraph 11" in got["text"]


@pytest.mark.parametrize("top", ["<p>Updated 3:49 PM EST, Fri January 4, 2013</p>", "<p>Tuesday, May 22, 2007</p>",
                                 "<p>By Maria Ellison and Tomas Ruiz</p>"])
def test_a_date_line_or_a_byline_alone_over_the_story_is_not_its_text(top):
    got = clean_page(page(body=top + LONG_BODY), "https://news.example/x", {}, FETCHED)
    assert got["text"].startswith("Paragraph 0") and "Paragraph 11" in got["text"]


def test_a_sentence_opening_on_a_date_or_a_name_stays_at_the_top():
    first = "<p>By Tuesday the harbour board had agreed to raise the bridge tolls by a fifth from April.</p>"
    got = clean_page(page(body=first + LONG_BODY), "https://news.example/x", {}, FETCHED)
    assert got["text"].startswith("By Tuesday the harbour board")


def test_a_writers_address_on_the_last_line_is_not_the_story():
    got = clean_page(page(body=LONG_BODY + "<p>maria.ellison@news.example</p>"), "https://news.example/x", {},
                     FETCHED)
    assert "maria.ellison" not in got["text"] and got["text"].rstrip().endswith("officials said.")


@pytest.mark.parametrize("prompt", ["Read more:", "Lea también:", "Czytaj też:", "Lesen Sie auch:"])
def test_a_read_also_line_inside_the_body_is_not_the_storys(prompt):
    paragraphs = LONG_BODY.split("</p>")
    body = "</p>".join(paragraphs[:4]) + f"</p><p>{prompt} Storm closes the coast road for a third day</p>" \
        + "</p>".join(paragraphs[4:])
    got = clean_page(page(body=body), "https://news.example/x", {}, FETCHED)
    assert "Storm closes" not in got["text"] and "Paragraph 3" in got["text"] and "Paragraph 11" in got["text"]


@pytest.mark.parametrize("credit", ["Getty Images", "AFP / Jean Martin", "Foto: Michael Brandt", "© Ruth Adeyemi",
                                    "Image credit: Shutterstock"])
def test_a_pictures_credit_on_a_line_of_its_own_is_not_the_storys(credit):
    paragraphs = LONG_BODY.split("</p>")
    body = "</p>".join(paragraphs[:2]) + f"</p><p>{credit}</p>" + "</p>".join(paragraphs[2:])
    got = clean_page(page(body=body), "https://news.example/x", {}, FETCHED)
    assert credit not in got["text"] and "Paragraph 2" in got["text"]
    assert "Paragraph 1" in got["text"]


@pytest.mark.parametrize("tail, kept", [
    ("<h3>Weitere Themen</h3><p>Neue Buslinie für den Norden der Stadt ab Montag</p>", False),
    ("<p>© 2024 Example News Ltd. All rights reserved.</p>", False),
    ("<p>©iStock</p><p>The budget also sets aside money for two new crossings on the river, officials said.</p>",
     True),  # a picture's credit is no footer: the story goes on after it
])
def test_a_footer_heading_or_rights_line_ends_the_story(tail, kept):
    got = clean_page(page(body=LONG_BODY + tail), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 11" in got["text"]
    assert ("two new crossings" in got["text"]) is kept
    assert "Buslinie" not in got["text"] and "rights reserved" not in got["text"]


@pytest.mark.parametrize("appeal", [
    "<p>Subscribe now to our weekend edition for the full story.</p>"
    "<p>For the latest news download the Harbour Post app for your phone.</p>",
    "<p>Enjoyed this article? We chose to keep it free to read.</p><p>Help us keep it that way with a gift.</p>",
    "<p>Gefällt dir unser Magazin? Wir haben keine Bezahlschranke.</p><p>Darum: unterstütze uns.</p>",
    "<p>¡Suscríbete a nuestro boletín!</p>",
    "<p>4 Kommentare</p><p>Schöner Bericht, danke!</p>",
])
def test_the_sites_appeal_or_comment_count_after_the_story_is_not_the_storys(appeal):
    got = clean_page(page(body=LONG_BODY + appeal), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 11" in got["text"]
    for gone in ("Subscribe", "download", "Enjoyed", "Help us", "Gefällt", "unterstütze", "Suscríbete", "Kommentare",
                 "danke"):
        assert gone not in got["text"]


def test_other_stories_each_under_its_time_stamp_after_the_story_are_not_the_storys():
    teasers = "".join(f"<p>updated {h}:{m:02d} AM EST, Thu January 3, 2013</p><p>{blurb}</p>" for h, m, blurb in [
        (9, 20, "Change comes slowly to the island's ferry timetable, as the board weighs the winter sailings."),
        (7, 57, "A life-size lighthouse model was seen floating past the pier at dawn."),
        (9, 17, "The old fort has a lot more on offer than its cannon, visitors say."),
    ]) + "<p>Most popular stories right now</p>"
    got = clean_page(page(body=LONG_BODY + teasers), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 11" in got["text"] and "updated" not in got["text"] and "lighthouse" not in got["text"]
    # The writer's other posts, listed with their days.
    posts = "<ul>" + "".join(f"<li>{t} - March {d}, 2017</li>" for t, d in [
        ("Harbour museum opens its new hall", 28), ("Ferry timetable for the summer", 27),
        ("Island council elects a new leader", 26)]) + "</ul><p>View All Posts</p>"
    got = clean_page(page(body=LONG_BODY + posts), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 11" in got["text"] and "museum" not in got["text"] and "View All" not in got["text"]
    # A timeline's dates, each before its event, are the story's.
    timeline = "".join(f"<p>{day} January 2013</p><p>The board met to discuss the ferry timetable for the "
                       f"{n} time this winter.</p>" for day, n in [(3, "first"), (10, "second"), (17, "third")])
    got = clean_page(page(body=LONG_BODY + timeline), "https://news.example/x", {}, FETCHED)
    assert "third time this winter" in got["text"]


@pytest.mark.parametrize("notice", [
    "We use cookies to give you the best online experience. By using our website you agree to our cookie policy.",
    "Diese Webseite verwendet Cookies. Wenn Sie weiterlesen, sind Sie damit einverstanden. Mehr erfahren",
])
def test_a_sites_cookie_notice_in_the_text_is_not_the_storys(notice):
    quoted = ("<p>We use tracking cookies only where the law allows, the firm told the court on Monday in its "
              "written statement.</p>")
    got = clean_page(page(body=f"<p>{notice}</p>" + LONG_BODY + quoted), "https://news.example/x", {}, FETCHED)
    assert "cookies to give" not in got["text"] and "Webseite" not in got["text"]
    assert "Paragraph 0" in got["text"] and "tracking cookies only where" in got["text"]


def test_an_appeal_set_inside_the_end_of_the_story_goes_alone():
    # A box among the last paragraphs, the story going on after it: only the box goes. An
    # appeal's own paragraphs ("we need your help") go with it, as at the end of a story.
    box = "<p>Follow us on Twitter for breaking news updates.</p>"
    got = clean_page(page(body=with_box(box, 10)), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 10" in got["text"] and "Paragraph 11" in got["text"] and "Follow us" not in got["text"]
    plea = ("<p>Support us: the Harbour Post has no paywall.</p><p>To keep reporting on the council for every "
            "reader in the borough without adverts, we need your help with a small gift each month.</p>")
    got = clean_page(page(body=LONG_BODY + plea), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 11" in got["text"] and "Support us" not in got["text"] and "gift" not in got["text"]


@pytest.mark.parametrize("box", ["Get the Harbour Post's Daily Edition by email and never miss our top stories Free Sign Up",
                                 "Sign up for our newsletter: the week's ferry news in your inbox",
                                 "Want the harbour's news first? Get our free daily newsletter, sent every weekday at 7am.",
                                 "Anzeige, enthält Affiliate Links"])
def test_a_newsletter_box_or_affiliate_notice_inside_the_story_is_not_the_storys(box):
    got = clean_page(page(body=with_box(f"<p>{box}</p>", 3)), "https://news.example/x", {}, FETCHED)
    assert box.split()[0] not in got["text"] and "Paragraph 2" in got["text"] and "Paragraph 3" in got["text"]


def test_a_short_follow_us_line_inside_the_story_does_not_end_it():
    # "Follow us on Twitter" reads as a footer's heading; in the second half of a story, with
    # the story going on after it, it is a box inside the story: it goes, the story stays.
    got = clean_page(page(body=with_box("<p>Follow us on Twitter</p>", 7)), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 7" in got["text"] and "Paragraph 11" in got["text"] and "Follow us" not in got["text"]
    # where the page goes on with the site's own links, it still ends the story
    links = "<p>Follow us on Twitter</p><p>Ferry strike called off</p><p>Council tax to rise again</p>"
    got = clean_page(page(body=LONG_BODY + links), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 11" in got["text"] and "Ferry strike" not in got["text"]


def test_a_sentence_of_the_story_about_a_newsletter_is_kept():
    said = "<p>Some 4,000 passengers sign up to the ferry company newsletter by email each winter, it said.</p>"
    got = clean_page(page(body=with_box(said, 3)), "https://news.example/x", {}, FETCHED)
    assert "4,000 passengers" in got["text"]


@pytest.mark.parametrize("heading", ["Trending on Harbour News", "Trending now", "Popular now"])
def test_a_trending_list_after_the_story_is_not_the_storys(heading):
    tail = f"<h3>{heading}</h3><p>Ferry strike called off after late-night talks with the crews' union</p>"
    got = clean_page(page(body=LONG_BODY + tail), "https://news.example/x", {}, FETCHED)
    assert "Paragraph 11" in got["text"] and "Ferry strike" not in got["text"]


def test_a_paragraph_of_the_story_about_subscribing_is_kept():
    ending = ("<p>Support for the new ferry timetable grew after the council vote, and the company said "
              "subscribers to its season ticket would pay less.</p>")
    got = clean_page(page(body=LONG_BODY + ending), "https://news.example/x", {}, FETCHED)
    assert "Support for the new ferry timetable" in got["text"]
