"""The headline as published: declared and printed headlines chosen by agreement, without
the outlet's name, a kicker or a separator's tail; a logo's heading is not it. Read through
``clean_page``, which asks ``pipelines.headline``."""

import pytest

from pipelines.clean import clean_page
from tests.test_clean import FETCHED, _story


def test_the_printed_headline_wins_over_a_search_engine_one_but_not_a_logo():
    body = "".join(f"<p>Paragraph {i}: residents bought shares in the Regal cinema to keep it open for films.</p>"
                   for i in range(12))
    head = ('<head><title>Historic Regal cinema SAVED by locals | The Herald</title>'
            '<meta property="og:title" content="Historic Regal cinema SAVED by locals - what happens next">'
            '<meta property="og:site_name" content="The Herald Gazette"></head>')
    page = f'<html>{head}<body><article><h1>Residents raise £620,000 to save the Regal</h1>{body}</article></body></html>'
    assert clean_page(page, "https://herald.example/a")["title"] == "Residents raise £620,000 to save the Regal"
    logo = page.replace("<h1>Residents raise £620,000 to save the Regal</h1>",
                        "<h1>The Herald Gazette</h1><h2>Residents raise £620,000 to save the Regal</h2>")
    assert clean_page(logo, "https://herald.example/b")["title"].startswith("Historic Regal cinema SAVED")


def test_a_headline_printed_in_an_h2_under_a_logo_h1_is_the_headline():
    # The <h1> is the section's logo; its one word is in the site's tagline, which og:title
    # and <title> carry after the headline. The <h2> prints the headline word for word.
    head = ('<meta property="og:title" content="Ferry fares rise for a third winter | Isles Review - Analysis and '
            'Opinion"><title>Ferry fares rise for a third winter | Isles Review - Analysis and Opinion</title>')
    sentence = "The island ferry company raised its winter fares for the third year running, passengers said."
    page = (f"<html lang='en'><head>{head}</head><body><header><h1 class='logo'>Opinion</h1></header><article>"
            f"<h2 class='title'>Ferry fares rise for a third winter</h2><p>{' '.join([sentence] * 12)}</p>"
            "</article></body></html>")
    got = clean_page(page, "https://isles.example/opinion/ferry-fares", {}, FETCHED)
    assert got["title"] == "Ferry fares rise for a third winter"


def test_the_headline_without_the_outlets_name_or_the_kicker():
    head = '<meta property="og:title" content="Ferry fares rise again | Isles Gazette">'
    page = _story(200, extra_head=head, title="Ferry fares rise again - Isles Gazette").replace(
        "<h1>Ferry fares rise again - Isles Gazette</h1>", "<h1><span class='kicker'>Winter timetable</span> "
        "<span>Ferry fares rise again</span></h1>")
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["title"] == "Ferry fares rise again"
    logo = page.replace("<h1><span class='kicker'>Winter timetable</span> <span>Ferry fares rise again</span></h1>",
                        "<h1>Isles Gazette</h1><h2>Fares</h2>")
    assert clean_page(logo, "https://isles.example/news/b", {}, FETCHED)["title"] == "Ferry fares rise again"


@pytest.mark.parametrize("separator", ["‹", "«", "~"])
def test_the_outlets_name_after_a_wordpress_themes_separator_is_not_the_headline(separator):
    title = f"Ferry fares rise again {separator} Isles Gazette"
    page = _story(200, title=title).replace(f"<h1>{title}</h1>", "")
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["title"] == "Ferry fares rise again"


def test_a_headline_shortened_for_sharing_is_printed_in_full():
    head = '<meta property="og:title" content="Ferry fares rise again | Isles Gazette">'
    page = _story(200, extra_head=head, title="Ferry fares rise again | Isles Gazette").replace(
        "<h1>Ferry fares rise again | Isles Gazette</h1>",
        "<h1>Ferry fares rise again: islanders pay a third more</h1>")
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["title"] == "Ferry fares rise again: islanders pay a third more"
    # The outlet's name printed after it is no part of the headline.
    with_site = page.replace("<h1>Ferry fares rise again: islanders pay a third more</h1>",
                             "<h1>Ferry fares rise again | Isles Gazette</h1>")
    assert clean_page(with_site, "https://isles.example/news/b", {}, FETCHED)["title"] == "Ferry fares rise again"


def test_a_pages_one_heading_is_its_headline_when_only_the_title_declares_one():
    page = ("<html lang='en'><head><title>History - Harbour Choir of Isles</title></head><body><article>"
            "<h1>Choir chronicle</h1><p>" + " ".join(["The choir first sang in the harbour chapel in 1890."] * 20)
            + "</p></article></body></html>")
    assert clean_page(page, "https://harbourchoir.example/history", {}, FETCHED)["title"] == "Choir chronicle"


def _headed(head: str, top: str) -> str:
    sentence = "The island ferry company raised its winter fares for the third year running, passengers said."
    return (f"<html lang='en'><head>{head}</head><body>{top}<article><p>{' '.join([sentence] * 12)}</p>"
            "</article></body></html>")


@pytest.mark.parametrize("head, top, expected", [
    # <h1><p>...</p></h1>: the parser closes the heading at the <p>, which holds the headline.
    ("<title>Pier opens early - Isles News</title>", "<h1><p>Pier opens early as winter storms ease</p></h1>",
     "Pier opens early as winter storms ease"),
    # An empty heading marked as a headline is no second heading: the page's one heading is its own.
    ("<title>Harbour notes - Isles News</title>", "<h3 class='headline'></h3><h1>Winter pier opens early</h1>",
     "Winter pier opens early"),
    # A blog's name linked to its front page is its logo, however many words it shares.
    ("<meta property='og:title' content='Ferry fares up'>",
     "<h1><a href='/'>Ferry Fares Watch</a></h1><h2 class='post-title'>Ferry fares up again</h2>",
     "Ferry fares up again"),
    # The site's name as a word of the headline does not make the heading the site's.
    ("<meta property='og:site_name' content='Bumblebees'><meta property='og:title' content='Dead bumblebees found "
     "under the limes'>", "<h1>Dead bumblebees under lindens</h1>", "Dead bumblebees under lindens"),
    # A quotation opening the heading is the headline's, not a kicker.
    ("<meta property='og:title' content='Ski jumpers find the hill empty'><meta name='twitter:title' "
     "content='Ski jumpers find the hill empty'>", "<h1>\"Pure emptiness\": Ski jumpers find the hill empty</h1>",
     "\"Pure emptiness\": Ski jumpers find the hill empty"),
    # A kicker that og:title repeats is still the kicker: the headline follows it.
    ("<meta property='og:title' content='Test drive'><title>Test drive - Island Motors</title>",
     "<h1><span class='roofline'>Test drive</span> The new electric van on the island roads</h1>",
     "The new electric van on the island roads"),
    # A site's name after " : ", and the title's own separators kept as written.
    ("<meta property='og:site_name' content='Muffin Recipes'><title>Basic muffin recipe : Muffin Recipes</title>", "",
     "Basic muffin recipe"),
    ("<meta property='og:site_name' content='Isles News'>"
     "<meta property='og:title' content='Ferry fares rise • Winter timetable | Isles News'>", "",
     "Ferry fares rise • Winter timetable"),
])
def test_the_headline_where_its_markup_or_the_sites_name_misleads(head, top, expected):
    assert clean_page(_headed(head, top), "https://isles.example/news/a", {}, FETCHED)["title"] == expected
