"""The story's text beyond what extraction returns: other stories a page loads below its own
cut, a story's later blocks read, prose told from menus, paragraphs of the story's class put
back. The text as a whole is tested through ``clean_page`` in test_clean.py."""

from pipelines.body import class_paragraphs, continued, prose_words, without_next_stories


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
