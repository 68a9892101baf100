"""When a page was published: declared dates, the printed date line, time zones, and what
is not the story's date (teasers', sidebars', comments', a draft's). Read through
``clean_page``, which asks ``pipelines.published``."""

import pytest

from pipelines.clean import clean_page
from tests.test_clean import FETCHED, _story


def _declared_and_shown(published: str, shown: str, printed: str) -> dict:
    """A page declaring ``published`` in JSON-LD and showing a <time> of ``shown``, cleaned."""
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry fares rise again", '
            f'"datePublished": "{published}"}}</script>')
    page = _story(200, extra_head=head).replace("<p>", f'<p><time datetime="{shown}">{printed}</time></p><p>', 1)
    return clean_page(page, "https://isles.example/news/a", {}, FETCHED)


def test_a_utc_time_is_written_as_the_page_writes_it_locally():
    got = _declared_and_shown("2023-11-09T01:49:09Z", "2023-11-08 17:49:09", "November 8, 2023 at 5:49 p.m.")
    assert got["published"] == "2023-11-08T17:49:09-08:00" and got["date_source"] == "jsonld:datePublished"


def test_a_twelve_hour_clock_without_its_pm_is_no_zone_of_minus_twelve():
    # 23:42 UTC beside "11:42:49" (a twelve-hour clock, its "PM" left out): not -12:00.
    got = _declared_and_shown("2017-03-28T23:42:49Z", "2017-03-28 11:42:49", "28 March")
    assert got["published"] == "2017-03-28T23:42:49+00:00"


def test_a_date_printed_the_japanese_way():
    page = _story(200).replace("<p>", '<p class="date">公開日 2019年4月22日 15:00</p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["published"] == "2019-04-22T15:00:00"


def test_a_microdata_date_given_in_content_beside_a_shorter_printed_form():
    # The printed text holds only the month; the day is in the element's content attribute.
    page = _story(200).replace(
        "<p>", '<dl><dt>発行年月日</dt><dd itemprop="datePublished" content="2019-04-26">2019年04月</dd></dl><p>', 1)
    got = clean_page(page, "https://isles.example/books/a", {}, FETCHED)
    assert got["published"] == "2019-04-26" and got["date_source"] == "microdata:datePublished"


def test_a_printed_date_line_beats_a_bare_date_meta():
    # A bare "date" meta is often when the page was generated; the date line says when it was published.
    page = _story(200, extra_head='<meta name="date" content="2024-03-09T06:10:00+01:00">').replace(
        "<p>", '<p class="article-date">Stand: 07.03.2024 18:40 Uhr</p><p>', 1)
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["published"].startswith("2024-03-07") and got["date_source"] == "html:visible"


def test_the_date_marked_as_published_beats_the_headers_date_and_teasers():
    header = '<div class="top-bar-date">Freitag, 12. März 2021</div>'
    teaser = ('<aside><a href="/news/older"><div class="dateline">02.03.2021</div>'
              '<h4>Harbour trust opens the winter pier early</h4></a></aside>')
    comment = ('<div class="comment-list"><time datetime="2021-03-11T20:05:00+01:00">11.03.2021</time>'
               '<p>Fares were lower last year.</p></div>')
    page = _story(200, extra_body=teaser + comment).replace(
        "<article>", f"{header}<article><p class='publish-info'>09.03.2021 - 17:20 Uhr</p>", 1)
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2021-03-09T17:20:00" and got["date_source"] == "html:visible"


def test_a_numeric_date_line_is_read_in_the_pages_own_order_and_teasers_dates_are_not():
    teasers = ('<ul class="latest"><li><a href="/news/b">Harbour trust opens the winter pier early</a> '
               '<span class="post-date">June 20, 2019</span></li></ul>'
               '<div class="rel-news"><div class="rel-date">29/04/2022</div><a href="/c">Pier</a></div>')
    page = _story(200, extra_body=teasers).replace("<p>", '<p class="date-publish">Publicado el 03/05/2022</p><p>', 1)
    got = clean_page(page.replace("lang='en'", "lang='es-BO'"), "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2022-05-03"
    # An American page's "12.29.14", with nothing else to date it.
    page = _story(200).replace("<p>", '<p><span class="date">12.29.14</span></p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["published"] == "2014-12-29"
    # A list of other stories before the article, each item a headline's link and its date.
    page = _story(200).replace("<article>", teasers + "<article>", 1).replace(
        "<p>", '<p><span class="date">May 3, 2022</span></p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["published"] == "2022-05-03"


def test_the_day_in_the_address_is_the_local_day_of_a_utc_time():
    head = '<meta property="article:published_time" content="2020-12-31T23:40:00+00:00">'
    got = clean_page(_story(200, extra_head=head), "https://isles.example/2021/01/01/new-year-ferry/", {}, FETCHED)
    assert got["published"] == "2021-01-01" and got["date_source"].endswith("day in the address")
    # The address giving the UTC day itself: the time stands, whatever a teaser prints.
    page = _story(200, extra_head=head.replace("23:40", "15:40")).replace(
        "<p>", '<p class="post-date">January 1, 2021</p><p>', 1)
    got = clean_page(page, "https://isles.example/2020/12/31/ferry/", {}, FETCHED)
    assert got["published"] == "2020-12-31T15:40:00+00:00"


def test_a_metadata_date_months_away_from_the_month_in_the_address_is_the_sites():
    # A blog's stale article:published_time (its first post's), under a dated address and date line.
    head = '<meta property="article:published_time" content="2009-09-02T00:00:00-04:00">'
    page = _story(200, extra_head=head).replace("<p>", '<p class="post-date">May 23, 2014</p><p>', 1)
    got = clean_page(page, "https://isles.example/style/blog/2014/05/ferry-packing/", {}, FETCHED)
    assert got["published"].startswith("2014-05-23")
    # In the address's month (or the next: a draft's address), the metadata stands.
    page = page.replace("2009-09-02", "2014-06-01")
    got = clean_page(page, "https://isles.example/style/blog/2014/05/ferry-packing/", {}, FETCHED)
    assert got["published"].startswith("2014-06-01")


def test_a_metadata_date_years_after_the_day_in_the_address_is_a_republication():
    # A site moved to a new system stamps every old post with the day it was moved; the
    # address keeps the day the post came out.
    ld = '<script type="application/ld+json">{"@type": "BlogPosting", "datePublished": "2019-06-17T18:28:00+0200"}</script>'
    got = clean_page(_story(200, extra_head=ld), "https://isles.example/home/2017/7/12/ferry-to-the-point", {}, FETCHED)
    assert got["published"] == "2017-07-12"
    # Within a month of the address's day, the metadata's time stands.
    got = clean_page(_story(200, extra_head=ld.replace("2019-06-17", "2017-07-13")),
                     "https://isles.example/home/2017/7/12/ferry-to-the-point", {}, FETCHED)
    assert got["published"] == "2017-07-13T18:28:00+02:00"


def test_microdata_dates_of_many_days_are_other_stories():
    # A video player's playlist, each clip with its microdata date, before the page's own date.
    clips = "".join(f'<div itemscope itemtype="http://schema.org/VideoObject"><meta itemprop="datePublished" '
                    f'content="2014-11-{day}T16:00:00Z"></div>' for day in (20, 18, 14))
    head = '<meta name="dc.date" content="2014-12-29">'
    got = clean_page(_story(200, extra_head=head, extra_body=clips), "https://isles.example/news/a", {}, FETCHED)
    assert got["published"].startswith("2014-12-29")
    # One microdata date (or two) is the page's.
    one = clips.split("</div>")[0] + "</div>"
    got = clean_page(_story(200, extra_head=head, extra_body=one), "https://isles.example/news/a", {}, FETCHED)
    assert got["published"].startswith("2014-11-20")


def test_a_time_element_of_another_day_than_the_address_is_another_storys():
    sidebar = '<aside><time class="published" datetime="2012-05-02 10:00:00">2. Mai 2012</time></aside>'
    page = sidebar + _story(200)
    got = clean_page(page, "https://isles.example/2019/10/22/ferry-fares/", {}, FETCHED)
    assert got["published"] == "2019-10-22" and got["date_source"] == "url"


def test_a_date_line_in_a_table_cell_or_a_small_heading_beats_a_teasers_address():
    teaser = '<ul><li><a href="/2005/08/25/older/index.html">Storm heads for the coast</a></li></ul>'
    for line, day in (('<table><tr><td class="timestamp">3:45 PM PDT, August 30, 2005</td></tr></table>',
                       "2005-08-30"), ('<h5 class="data">March 29, 2005</h5>', "2005-03-29")):
        page = _story(200, extra_body=teaser).replace("<p>", line + "<p>", 1)
        got = clean_page(page, "https://isles.example/news/storm", {}, FETCHED)
        assert got["published"] == day and got["date_source"] == "html:visible"


def test_a_sidebars_widgets_or_tweets_date_is_not_the_storys():
    seminar = '<div class="sidebar_left"><div class="field-fachforum-datum">19.1.23, 10:00 Uhr</div></div>'
    tweets = ('<ul class="kebo-tweets"><li><time datetime="2023-01-09T12:50:23+00:00">9 Jan</time> '
              'Ferry timetable out now</li></ul>')
    page = (seminar + tweets + _story(200)).replace("<p>", '<div class="post-date">20.12.2022</div><p>', 1)
    got = clean_page(page.replace("lang='en'", "lang='de'"), "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2022-12-20"


def test_a_json_ld_date_two_other_sources_agree_against_gives_way():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2022-01-04T07:29:00Z"}</script>'
    head = ld + '<meta property="article:published_time" content="2022-01-06T08:29:34+01:00">'
    line = '<div class="article-date">06.01.2022</div>'
    page = _story(200, extra_head=head).replace("<p>", line + "<p>", 1)
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2022-01-06T08:29:34+01:00" and got["date_source"] == "article:published_time"
    # One source against it, or one agreeing with it: the JSON-LD stands.
    for other in ("", '<div class="article-date">04.01.2022</div>'):
        page = _story(200, extra_head=head).replace("<p>", other + "<p>", 1)
        assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["published"] == "2022-01-04T07:29:00+00:00"


def test_a_creation_time_before_the_day_in_the_address_is_a_drafts():
    head = '<meta name="dcterms.created" content="2018-07-27T15:57:49-04:00">'
    got = clean_page(_story(200, extra_head=head), "https://isles.example/2018/07/29/ferry/", {}, FETCHED)
    assert got["published"] == "2018-07-29" and got["date_source"] == "url"
    got = clean_page(_story(200, extra_head=head), "https://isles.example/2018/07/27/ferry/", {}, FETCHED)
    assert got["published"] == "2018-07-27T15:57:49-04:00"


def test_a_page_with_no_date_line_is_dated_by_parsely_its_title_or_a_day_in_its_address():
    # Before a search of the whole page, which finds a teaser's address or a stylesheet's version.
    teaser = ('<link rel="stylesheet" href="/print.css?v=2004-06-15">'
              '<ul><li><a href="/2005/08/25/older/index.html">Storm heads for the coast</a></li></ul>')
    parsely = '<meta name="parsely-page" content=\'{"title": "Ferry", "pub_date": "2014-12-02T10:00:00"}\'>'
    got = clean_page(_story(200, extra_head=parsely, extra_body=teaser), "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2014-12-02T10:00:00" and got["date_source"] == "meta:parsely-page"
    got = clean_page(_story(200, extra_body=teaser, title="Expert: storm could close the ferry - Aug 29, 2005"),
                     "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2005-08-29" and got["date_source"] == "html:title"
    got = clean_page(_story(200, extra_body=teaser), "https://isles.example/press/alert20190402.html", {}, FETCHED)
    assert got["published"] == "2019-04-02" and got["date_source"] == "url"


def test_a_publication_time_equal_to_the_last_update_gives_way_to_the_printed_day():
    # The metadata was rewritten at the update; the date line still says when it came out.
    head = ('<meta property="article:published_time" content="2020-02-25T02:25:54+00:00">'
            '<meta property="article:modified_time" content="2020-02-25T02:25:54+00:00">')
    page = _story(200, extra_head=head).replace("<p>", '<p class="byline-date">February 24, 2020 | 9:25pm</p><p>', 1)
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2020-02-24T21:25:00"
    # A date printed long before is another story's: the metadata stands.
    old = page.replace("February 24, 2020", "March 1, 2004")
    assert clean_page(old, "https://isles.example/news/a", {}, FETCHED)["published"].startswith("2020-02-25")


@pytest.mark.parametrize("line", [
    '<p>Erstellt am: 02.11.2023</p>',
    '<div><span class="box-label">Erschienen am:</span> <h3>02.11.2023</h3></div>',
    '<p><span>Published on November 2, 2023</span></p>',
])
def test_a_date_line_known_by_its_label(line):
    # The markup says nothing; the label says it is the publication's date, not an update's.
    updated = '<p>Zuletzt geändert am: 09.11.2023</p>'
    page = _story(200, extra_head='<meta name="date" content="2023-11-09">',
                  extra_body=updated).replace("</article>", line + "</article>", 1)
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2023-11-02" and got["date_source"] == "html:visible"


def test_a_commentary_pieces_own_date_is_not_a_comments():
    # "Commentary" and the German "Kommentar" are kinds of article, not a comments section.
    page = _story(200).replace("<article>", '<article class="commentary kommentar">'
                               '<p class="post-date">March 9, 2021 at 10:15</p>', 1)
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2021-03-09T10:15:00" and got["date_source"] == "html:visible"


@pytest.mark.parametrize("head", [
    '<meta name="article:published_time" content="2021-06-03T08:15:00+02:00">',
    '<meta property="og:article:published_time" content="2021-06-03T08:15:00+02:00">',
    '<meta name="datePublished" content="2021-06-03T08:15:00+02:00">',
])
def test_a_publication_meta_under_another_attribute_or_prefix(head):
    # Sites write Open Graph's and schema.org's names with name= as often as with property=.
    page = _story(200, extra_head=head + '<meta name="date" content="2021-06-20">')
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2021-06-03T08:15:00+02:00"


def test_two_jsonld_objects_written_one_after_the_other_in_one_script():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry fares rise again", '
            '"datePublished": "2020-10-26T18:10:00+01:00"}\n{"@type": "WebSite", "name": "Isles"}</script>')
    got = clean_page(_story(200, extra_head=head), "https://isles.example/news/a", {}, FETCHED)
    assert got["published"] == "2020-10-26T18:10:00+01:00" and got["date_source"] == "jsonld:datePublished"
