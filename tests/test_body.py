"""The story's text where extraction's falls short: openings, standfirsts, highlights and a
story's later blocks put back; the next stories a page loads below its own, captions, boxes
and link prompts cut; prose told from menus. Mostly through ``clean_page``; some of
``pipelines.body``'s readers directly."""

import pytest

from pipelines.body import class_paragraphs, continued, prose_words, without_next_stories
from pipelines.clean import clean_page
from tests.test_clean import FETCHED, LONG_BODY, page


def _class_page(text_lines_missing=()):
    """A page whose story paragraphs share one class, the lede a <p> in a media box, the rest
    <div>s, some in a "read all" box; a fact box beside them uses the class too."""
    from lxml import html as lxml_html
    lede = ("The harbour board raised winter ferry fares for the third year running on Monday, angering island "
            "commuters who rely on the early boats, and said the later sailings of the winter timetable would be "
            "cut from November unless the council paid towards the crossing.")
    paras = [f"Paragraph {i} of the ferry story: the board said winter fares would rise again and the later "
             f"sailings would be cut." for i in range(6)]
    page = ("<html><body><article><h1>Ferry fares rise</h1><section class='zn-body'><div class='l-container'>"
            f"<div class='leafmedia'><p class='body__paragraph'><cite>(ABN)</cite>{lede}</p></div>"
            "<div class='ins factbox floatRHS'><div class='factbox-body'><p class='body__paragraph'>In other news, "
            "the lighthouse on the north point will be repainted this summer by island volunteers.</p></div></div>"
            + "".join(f"<div class='body__paragraph'>{p}</div>" for p in paras[:3])
            + "<div class='body__read-all'>" + "".join(f"<div class='body__paragraph'>{p}</div>" for p in paras[3:])
            + "</div></div></section></article><footer><div class='l-container'><div class='row'>"
            + "".join(f"<p class='body__paragraph'>Teaser {i}: the harbour museum reopens its doors in May with a "
                      f"new hall.</p>" for i in range(3)) + "</div></div></footer></body></html>")
    return lxml_html.fromstring(page), "(ABN)" + lede, paras


def test_the_next_stories_a_page_loads_below_its_own_are_cut_from_its_text():
    # A page that loads the next stories as the reader scrolls sets each in an <article>
    # with its own <h1>; extraction can read on into them. (Asked of the rule itself:
    # whether extraction reads on depends on the rest of a real page.)
    from lxml import html as lxml_html


    def lines(topic, n):
        return [f"Paragraph {i} about {topic}: the harbour board said on Monday that the plan would go ahead "
                f"this spring after a long wait." for i in range(n)]

    def story(title, body):
        return f"<article><h1>{title}</h1>" + "".join(f"<p>{line}</p>" for line in body) + "</article>"
    own, summit = lines("the ferry fares", 5), lines("the island summit", 4)
    shared = "The minister said the islands deserved better links to the mainland and a fair deal on fares."
    tree = lxml_html.fromstring("<html><body><div>" + story("Ferry fares rise", own + [shared]) + "</div><div>"
                                + story("The island summit", summit + [shared]) + "</div></body></html>")
    assert without_next_stories(tree, "\n".join(own + [shared] + summit)).splitlines() == own + [shared]
    assert without_next_stories(tree, "\n".join(own + [shared])) is None
    assert without_next_stories(tree, "\n".join(own + summit[:1])) is None  # one line: a quote both may share


def test_a_storys_later_block_wrapped_apart_and_classed_with_other_utilities_is_read():
    # A CMS loads the story's later paragraphs in a box of their own ("continued contents"),
    # the block's name the same, its layout utilities not ("mt-n35", "no-review"). (Asked
    # of the continuation reader itself: whether extraction stops after the first block
    # depends on the rest of a real page.)
    from lxml import html as lxml_html


    def para(i, part):
        return (f"<p>{part} paragraph {i}: the harbour board met on Monday to agree the dredging plan for the "
                f"inner basin, which has silted up since the storms.</p>")
    page = ("<html><body><div class='flush'>"
            f"<div class='o-block pb-15 divider'><div class='grid'><div class='article-text c-gray'>{para(0, 'First')}"
            "</div></div></div><div class='js-lazy'><div class='o-block pb-15 mt-n35'><div class='grid'>"
            f"<div class='article-text c-gray no-review'>{''.join(para(i, 'Second') for i in range(2))}</div></div>"
            "</div></div></div></body></html>")
    first = lxml_html.fromstring(page).xpath("//p")[0].text_content()
    found = continued(lxml_html.fromstring(page), first)
    assert [line.split(":")[0] for line in found] == ["Second paragraph 0", "Second paragraph 1"]


def test_a_page_set_in_a_box_named_like_a_menu_is_counted_as_prose_but_a_menu_of_teasers_is_not():
    # A layout slides the whole page out under its menu ("i-nav_drawer_slide"); whether
    # precision mode stopped early is judged on the page's prose, which that box holds.
    from lxml import html as lxml_html

    prose = "".join(f"<p>Paragraph {i} of the ferry story says the board will add a late sailing on Fridays "
                    f"from next month.</p>" for i in range(20))
    story = lxml_html.fromstring(f"<html><body><div class='i-nav_drawer_slide'><h1>Late ferry</h1>{prose}</div>"
                                 "</body></html>")
    assert prose_words(story, 300)
    menu = lxml_html.fromstring(f"<html><body><div id='navigation'>{prose}</div><h1>Late ferry</h1>"
                                "<p>A short story of a few words.</p></body></html>")
    assert not prose_words(menu, 300)


def test_the_storys_paragraphs_of_its_class_that_extraction_left_are_put_back_in_place():
    tree, lede, paras = _class_page()
    # Extraction kept the lede, not the <div>s of the same class (a real CMS's mix).
    assert class_paragraphs(tree, lede).splitlines() == [lede, *paras]
    # ... or the <div>s, not the lede in its media box.
    assert class_paragraphs(tree, "\n".join(paras)).splitlines() == [lede, *paras]
    assert class_paragraphs(tree, "\n".join([lede, *paras])) is None  # nothing missing
    assert "lighthouse" not in class_paragraphs(tree, lede) and "Teaser" not in class_paragraphs(tree, lede)


def _body_with(inserted: str, after: int) -> str:
    """LONG_BODY with ``inserted`` after its first ``after`` paragraphs."""
    paragraphs = LONG_BODY.split("</p>")
    return "</p>".join(paragraphs[:after]) + "</p>" + inserted + "</p>".join(paragraphs[after:])


@pytest.mark.parametrize("piece", [
    "<p>Don't miss: <a href='https://other.example/ferry'>Ferry fares rise again this winter</a></p>",
    "<p><strong>LOOKING AHEAD:</strong> <a href='/2024/ferry-fares'>Ferry fares rise again this winter</a></p>",
    *(f"<div class='{mark}'><p>Ferry fares rise again as the winter timetable starts next week.</p></div>"
      for mark in ("read-next", "recirculation-module", "video-inset"))])
def test_a_prompt_or_a_next_story_box_inside_the_story_goes(piece):
    got = clean_page(page(body=_body_with(piece, 5)), "https://news.example/x", {}, FETCHED)
    assert "Ferry fares" not in got["text"] and "Paragraph 4" in got["text"] and "Paragraph 5" in got["text"]


def test_a_labelled_line_whose_link_is_part_of_its_sentence_is_the_storys():
    line = ("<p>Update: the harbour board <a href='/2024/tolls'>confirmed the new tolls</a> tonight after a long "
            "meeting of its members.</p>")
    got = clean_page(page(body=_body_with(line, 5)), "https://news.example/x", {}, FETCHED)
    assert "Update: the harbour board confirmed the new tolls tonight" in got["text"]


def test_a_caption_whose_credit_is_marked_inside_it_goes_whole():
    caption = ("<p class='small'>Dockers unload the evening ferry at Port Mora. <span class='credit'>(Ana Ruiz / "
               "Harbour Post)</span></p>")
    got = clean_page(page(body=_body_with(caption, 4)), "https://news.example/x", {}, FETCHED)
    assert "Dockers unload" not in got["text"] and "Paragraph 3" in got["text"] and "Paragraph 4" in got["text"]


def test_a_furniture_boxs_lines_go_unless_the_page_says_them_elsewhere():
    paragraphs = LONG_BODY.split("</p>")
    body = _body_with('<div class="sabox-plus-wrap"><p>Mara Quell writes about the harbour and its boats for the '
                      'paper since 2009.</p></div>', 6)
    got = clean_page(page(body=body), "https://news.example/x", {}, FETCHED)
    assert "Mara Quell" not in got["text"] and "Paragraph 5" in got["text"] and "Paragraph 6" in got["text"]
    # A line the story says too, outside any box (a table of contents repeating its headings), stays.
    said = body.replace(paragraphs[8] + "</p>", paragraphs[8] + "</p><p>Mara Quell writes about the harbour and "
                        "its boats for the paper since 2009.</p>")
    assert "Mara Quell" in clean_page(page(body=said), "https://news.example/x", {}, FETCHED)["text"]


@pytest.mark.parametrize("paragraphs", [12, 400])
def test_a_furniture_boxs_line_goes_from_a_short_or_a_long_text(paragraphs):
    # A short text's lines are looked for in a box's words first, a long one's in its elements at once: the same go.
    body = "".join(f"<p>Paragraph {i}: the council met on Tuesday to discuss the new budget for roads, schools and "
                   f"libraries across the borough, officials said.</p>" for i in range(paragraphs))
    box = '<div class="sabox-plus-wrap"><p>Mara Quell writes about the harbour and its boats for the paper.</p></div>'
    paragraph = body.split("</p>")
    got = clean_page(page(body="</p>".join(paragraph[:6]) + "</p>" + box + "</p>".join(paragraph[6:])),
                     "https://news.example/x", {}, FETCHED)
    assert "Mara Quell" not in got["text"] and "Paragraph 5" in got["text"]
    assert f"Paragraph {paragraphs - 1}" in got["text"]


def _numbered(i: int) -> str:
    return f"Sentence {i} of the inquiry's transcript was read into the record by the clerk."


@pytest.mark.parametrize("marker", ["<span></span>", "<strong></strong>"])
def test_every_sentence_after_thousands_of_empty_markers_is_kept_in_order(marker):
    # A transcript set as one block, each sentence after an empty marker element: the markers go, the
    # sentences stay where they were (all of one block's markers are taken out in one pass).
    block = "<p>" if marker == "<span></span>" else "<div>"
    body = block + "".join((f"<em>Part {i}.</em> " if i % 10 == 5 else "") + f"{marker}{_numbered(i)} "
                           for i in range(1500)) + block.replace("<", "</")
    text = " ".join(clean_page(page(body=body), "https://news.example/x", {}, FETCHED)["text"].split())
    assert text == " ".join((f"Part {i}. " if i % 10 == 5 else "") + _numbered(i) for i in range(1500))


def test_a_gallerys_captions_said_slide_after_slide_are_not_the_storys():
    caption = "Architects' designs for a floating ferry terminal, shown to the harbour board in March."
    gallery = "".join(f"<p>{caption} </p><p> </p>" for _ in range(4))  # (a slide each)
    twice = "<p>A view of the old pier from the water, taken at dawn by a reader. </p><p> </p>" * 2
    got = clean_page(page(body=twice + gallery + LONG_BODY), "https://news.example/x", {}, FETCHED)
    assert "floating ferry terminal" not in got["text"] and got["text"].count("old pier from the water") == 1
    assert "Paragraph 0" in got["text"] and "Paragraph 11" in got["text"]


BRIDGE_LEAD = ("Tolls on the harbour bridge will rise by a fifth from April, the transport board decided, ending a "
              "freeze that has lasted nine years.")


@pytest.mark.parametrize("mark", ['class="article-teaser"', 'class="teaser-text"', 'class="news-teaser lead"', 'class="dek"'])
def test_a_standfirst_marked_as_a_lead_after_the_headline_opens_the_story(mark):
    got = clean_page(page(body=f"<p {mark}>{BRIDGE_LEAD}</p>" + LONG_BODY), "https://news.example/x", {}, FETCHED)
    assert got["text"].startswith("Tolls on the harbour bridge") and "Paragraph 11" in got["text"]
    assert got["text"].count("Tolls on the harbour") == 1


def test_a_standfirst_whose_opening_words_the_first_paragraph_repeats_is_still_restored():
    first = ("<p>Tolls on the harbour bridge will rise by a fifth from April, the board said on Monday after a "
             "long meeting.</p>")
    got = clean_page(page(body=f"<p class='article-teaser'>{BRIDGE_LEAD}</p>" + first + LONG_BODY),
                     "https://news.example/x", {}, FETCHED)
    assert got["text"].startswith(BRIDGE_LEAD) and "after a long meeting" in got["text"]


def test_a_standfirst_under_a_headline_set_in_an_h2_on_a_page_with_no_h1():
    html = (f"<html lang='en'><head><title>Tolls rise</title></head><body><article><h2>Harbour bridge tolls rise"
            f"</h2><div class='teaser-text'>{BRIDGE_LEAD}</div>{LONG_BODY}</article></body></html>")
    got = clean_page(html, "https://news.example/x", {}, FETCHED)
    assert got["text"].startswith("Tolls on the harbour bridge") and "Paragraph 11" in got["text"]


def test_a_pictures_caption_kept_by_extraction_as_a_line_goes():
    body = _body_with('<div class="media"><img src="/ferry.jpg" alt=""><div class="media__description"><p>The '
                      'evening ferry leaves Port Mora in a storm.</p></div></div>', 4)
    got = clean_page(page(body=body), "https://news.example/x", {}, FETCHED)
    assert "evening ferry" not in got["text"] and "Paragraph 3" in got["text"] and "Paragraph 4" in got["text"]


def test_other_stories_teasers_after_the_headline_are_not_a_standfirst():
    teasers = ('<div class="teaser"><a href="/a">Harbour bridge tolls to rise by a fifth from April</a> '
               '<a href="/b">Transport board ends the nine-year freeze on fares and tolls</a></div>')
    got = clean_page(page(body=teasers + LONG_BODY), "https://news.example/x", {}, FETCHED)
    assert "Harbour bridge tolls" not in got["text"] and got["text"].startswith("Paragraph 0")


HIGHLIGHTS = ("<div class='story-left'><div><strong>Story highlights</strong></div><ul class='bullets'>"
              "<li>Tolls on the harbour bridge rise by a fifth from April</li>"
              "<li>The board says repairs to the deck cannot wait</li>"
              "<li>Drivers' groups call the rise a tax on commuters</li></ul></div>")


def _beside_the_story(box: str) -> str:
    """A page whose ``box`` sits between the headline and the story's <article>."""
    return (f"<html lang='en'><head><title>Tolls rise</title></head><body><h1>Harbour bridge tolls rise</h1>{box}"
            f"<article>{LONG_BODY}</article></body></html>")


def test_the_storys_highlights_listed_under_their_label_open_the_story():
    got = clean_page(_beside_the_story(HIGHLIGHTS), "https://news.example/x", {}, FETCHED)
    lines = got["text"].splitlines()
    assert lines[:3] == ["Tolls on the harbour bridge rise by a fifth from April",
                         "The board says repairs to the deck cannot wait",
                         "Drivers' groups call the rise a tax on commuters"]
    assert "Story highlights" not in got["text"] and "Paragraph 11" in got["text"]
    assert "highlights-restored" in got["sources"]["text"]


def test_a_labelled_list_of_links_is_other_stories_not_the_storys_highlights():
    box = ("<h2>Highlights</h2><ul><li><a href='/a'>Ferry fares rise again as the winter timetable starts</a></li>"
           "<li><a href='/b'>Council agrees the new budget for roads after a long night</a></li></ul>")
    got = clean_page(_beside_the_story(box), "https://news.example/x", {}, FETCHED)
    assert "Ferry fares rise again" not in got["text"] and got["text"].startswith("Paragraph 0")


def test_highlights_whose_label_is_the_lists_first_item_open_the_story():
    box = ("<ul class='hilites'><li>Story Highlights</li>"
           "<li>Tolls on the harbour bridge rise by a fifth from April</li>"
           "<li>The board says repairs to the deck cannot wait</li><li><a href='/world'>Next Article in World »</a>"
           "</li></ul>")
    got = clean_page(_beside_the_story(box), "https://news.example/x", {}, FETCHED)
    assert got["text"].startswith("Tolls on the harbour bridge rise by a fifth from April\nThe board says repairs")
    assert "Next Article" not in got["text"]


def _under_the_headline(title: str, under: str, declared: str = "") -> str:
    return (f"<html lang='en'><head><title>{declared or title} - Harbour Post</title></head><body><h1>{title}</h1>"
            f"{under}<article>{LONG_BODY}</article></body></html>")


def test_an_unmarked_standfirst_under_the_headline_opens_the_story():
    dek = "<h2>The board says repairs to the deck cannot wait, and drivers will pay for them from April</h2>"
    got = clean_page(_under_the_headline("Harbour bridge tolls rise by a fifth", dek), "https://news.example/x", {},
                     FETCHED)
    assert got["text"].startswith("The board says repairs to the deck cannot wait") and "Paragraph 11" in got["text"]


@pytest.mark.parametrize("title, under, declared", [
    ("Harbour bridge tolls rise by a fifth", "<p>Posted by the news desk at 3:49 PM on the harbour beat</p>", ""),
    # an <h1> that does not say the declared title (a blog's name) has a tagline under it, not a standfirst
    ("Notes from the harbour wall", "<p>Thoughts on ferries, tolls and the sea by a retired pilot</p>",
     "Harbour bridge tolls rise"),
])
def test_a_meta_line_or_a_blogs_tagline_under_the_heading_is_no_standfirst(title, under, declared):
    got = clean_page(_under_the_headline(title, under, declared), "https://news.example/x", {}, FETCHED)
    assert got["text"].startswith("Paragraph 0")


def test_prose_after_an_empty_element_is_kept():
    first = ("<p><strong></strong>Tolls on the harbour bridge will rise by a fifth from April, the board said on "
             "Monday.</p>")
    got = clean_page(page(body=first + LONG_BODY), "https://news.example/x", {}, FETCHED)
    assert got["text"].startswith("Tolls on the harbour bridge will rise")


def _blocks(second: str) -> str:
    """A page built of blocks: the story's first part in one, a table's block, then ``second``."""
    def para(i, part):
        return (f"<p>{part} paragraph {i}: the harbour board met on Monday to agree the dredging plan for the "
                f"inner basin, which has silted up since the storms.</p>")
    first = "".join(para(i, "First") for i in range(8))
    return ("<html lang='en'><head><title>Dredging plan agreed</title></head><body><nav><a href='/'>Home</a></nav>"
            "<h1>Dredging plan agreed</h1>"
            f"<div class='container-fluid text-block'><div class='container'><div class='col article-body'>{first}"
            "</div></div></div><div class='container-fluid table-block'><div class='container'><table><tr><td>Depth"
            "</td><td>4 m</td></tr></table></div></div>"
            + second.format(paragraphs="".join(para(i, "Second") for i in range(4))) + "</body></html>")


def test_a_story_set_in_several_blocks_of_one_kind_is_read_whole():
    # Extraction takes the first block its rules name as the body; the story goes on in the next.
    html = _blocks("<div class='container-fluid text-block'><div class='container'><div class='col article-body'>"
                   "{paragraphs}</div></div></div>")
    got = clean_page(html, "https://news.example/dredging", {}, FETCHED)
    assert "First paragraph 0" in got["text"] and "Second paragraph 3" in got["text"]
    assert got["text"].index("First paragraph 7") < got["text"].index("Second paragraph 0")


def test_a_box_sharing_the_blocks_class_but_built_otherwise_is_not_the_storys():
    html = _blocks("<div class='container-fluid text-block'><aside-box><p>Mara Lindqvist writes about ports, ships and "
                   "the people who work them for the weekly harbour supplement.</p></aside-box></div>"
                   "<div class='container-fluid text-block'><div class='container'><div class='col article-body'>"
                   "<h2><a href='/other'>Another story</a></h2>{paragraphs}</div></div></div>")
    got = clean_page(html, "https://news.example/dredging", {}, FETCHED)
    assert "First paragraph 7" in got["text"] and "Mara Lindqvist" not in got["text"]
    assert "Second paragraph" not in got["text"]  # a block with a linked heading is another story's


def test_a_layout_columns_name_is_no_kind_of_block():
    # The story's column and the footer's share only the grid's names ("column", "span-14").
    paragraphs = "".join(f"<p>Paragraph {i}: the harbour board met on Monday to agree the dredging plan for the "
                         "inner basin, which has silted up since the storms.</p>" for i in range(8))
    html = ("<html lang='en'><head><title>Dredging plan agreed</title></head><body><div><div class='container'>"
            f"<div class='column span-14' id='story'><div class='column span-11 first'><h1>Dredging plan agreed</h1>"
            f"{paragraphs}</div></div><div class='column span-14' id='bottom'><div class='column span-7 last'><p>Did "
            "you know that the harbour once held the largest herring fleet of the whole northern coast, with "
            "hundreds of boats?</p></div></div></div></div></body></html>")
    got = clean_page(html, "https://news.example/dredging", {}, FETCHED)
    assert "Paragraph 7" in got["text"] and "herring fleet" not in got["text"]


def _arc_page(wrapper_class):
    paragraph = ('<div class="wrap"><p class="font--body copy">{}</p></div>')
    lede = " ".join(f"Opening sentence {i} on the detention report said the committee wanted a limit." for i in range(3))
    rest = "".join(paragraph.format(" ".join(f"Later paragraph {j} sentence {i} about caseworkers and judges."
                                              for i in range(4))) for j in range(6))
    return (f'<html><head><title>Cap on detention</title></head><body><header><nav><a href="/">Home</a></nav></header>'
            f'<main><h1>Lawmakers call for a cap on detention</h1><div class="article-body">'
            f'<div class="{wrapper_class}">{paragraph.format("LEDE " + lede)}</div>{rest}</div>'
            f'<aside class="teaser-list"><a href="/a">Another story entirely about a storm in the north</a></aside>'
            f'</main></body></html>')


def test_an_arc_teaser_block_of_body_prose_is_the_articles_start():
    article = clean_page(_arc_page("teaser-content"), "https://ledger.example/a")
    assert article["text"].startswith("LEDE Opening sentence 0")
    assert "storm in the north" not in article["text"]


def test_a_box_named_like_furniture_that_holds_the_article_is_the_layout_not_a_teaser():
    # A real weekly sets its whole article in a "teaser-body"; a teaser box beside an
    # article is still another story's (its "By" line is that story's writer).
    body = "".join(f"<p>Paragraph {i} of the interview with the economist on tariffs and the dollar.</p>"
                   for i in range(12))
    layout = ('<html><body><div class="teaser-body"><h2>Tariffs will not bring the jobs back</h2>'
              f'<div class="social-share"><div class="font-italic">By Urs Meier and Lena Frei</div></div>{body}'
              '</div></body></html>')
    assert clean_page(layout, "https://weekly.example/a")["authors"] == ["Urs Meier", "Lena Frei"]
    teaser = ('<html><body><article><h1>Tariffs will not bring the jobs back</h1>' + body + '</article>'
              '<div class="teaser-box"><p>By Nora Brandt</p><p>Why the harbour tolls rise in April</p></div>'
              '</body></html>')
    assert clean_page(teaser, "https://weekly.example/b")["authors"] == []


STANDFIRST = ("Ministers will publish the figures for removal flights every quarter from next spring, "
              "after a watchdog said the numbers had been hard to find.")


BODY_AFTER = "".join(f"<p>Paragraph {i}: the department said the change would give the public a clearer "
                     f"picture of how many flights left each month and where they went.</p>" for i in range(10))


def _opening_page(body: str, description: str = STANDFIRST, header: str = "") -> str:
    return (f'<html lang="en"><head><title>Removal flight figures to be published</title>'
            f'<meta name="description" content="{description}"></head><body>{header}'
            f'<article><h1>Removal flight figures to be published</h1>{body}</article></body></html>')


@pytest.mark.parametrize("body", [
    # a standfirst styled apart from the body, share buttons between them
    f'<p class="c-leadtext u-font-semibold">{STANDFIRST}</p>'
    f'<div class="c-socialshare"><a href="/share/fb">Share</a> <a href="/share/x">Post</a></div>'
    f'<div class="article-text">{BODY_AFTER}</div>',
    # a first paragraph set as bare text beside a floated image, <br>s after it
    f'<div class="content"><div style="float: left"><img src="/logo.png" alt=""></div>{STANDFIRST}<br><br>'
    + BODY_AFTER.replace("<p>", "").replace("</p>", "<br><br>") + '</div>',
])
def test_an_opening_extraction_drops_is_found_again_by_the_pages_description(body):
    article = clean_page(_opening_page(body), "https://ledger.example/2024/03/removal-flights")
    assert article["text"].startswith(STANDFIRST)
    assert article["text"].count("every quarter from next spring") == 1
    assert "Paragraph 9" in article["text"]


def test_a_site_tagline_repeating_the_description_is_not_the_opening():
    tagline = "The independent voice of the valley since 1887, with news, sport and weather every day."
    article = clean_page(_opening_page(f'<div class="article-text">{BODY_AFTER}</div>', description=tagline,
                                       header=f'<header><p class="tagline">{tagline}</p></header>'),
                         "https://ledger.example/2024/03/removal-flights")
    assert "independent voice" not in article["text"]
    assert article["text"].startswith("Paragraph 0")
