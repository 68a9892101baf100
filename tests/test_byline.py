"""Authors as published: found in the page's declarations (JSON-LD persons, microdata, meta
author) and in what it prints (bylines, "By" lines, author links), read through
``clean_page``; and ``clean_authors`` on bylines as written: names cleaned of roles,
outlets, handles and labels, "A and B" split, case as published.
"""

import pytest

from pipelines.byline import clean_authors
from pipelines.clean import clean_page
from tests.test_clean import FETCHED, _story


@pytest.mark.parametrize("raw, expected", [
    (["By Jane Smith"], ["Jane Smith"]),
    (["Jane Smith and Tom Lee"], ["Jane Smith", "Tom Lee"]),
    (["By Jane Smith, Tom Lee & Ana Ruiz"], ["Jane Smith", "Tom Lee", "Ana Ruiz"]),
    (["Staff Reporter"], []),
    (["The Paper", "Jane Smith"], ["Jane Smith"]),
    (["Press Association", "PA"], []),
    (["Political Correspondent"], []),
    # A surname given as an initial keeps its full stop, as published; a byline's own does not.
    (["By Marta Ruiz C."], ["Marta Ruiz C."]),
    (["Tomas K. / AFP"], ["Tomas K."]),
    (["Words by Jane Smith."], ["Jane Smith"]),
    (["Propos recueillis par Marie Lenoir"], ["Marie Lenoir"]),  # an interview's byline
    (["The Wall Street Journal"], []),  # an outlet's name, alone
    (["NEWSROOM"], []),
])
def test_clean_authors(raw, expected):
    assert clean_authors(raw, outlet_name="The Paper") == expected


def test_guessed_names_must_be_full_names():
    assert clean_authors(["Follow"], full_names=True) == []
    assert clean_authors(["Ruth Adeyemi"], full_names=True) == ["Ruth Adeyemi"]


def test_names_in_scripts_without_capitals_are_names_and_run_together_phrases_are_not():
    assert clean_authors(["نورهان نبيل"], full_names=True) == ["نورهان نبيل"]
    assert clean_authors(["巫其倫"], full_names=True) == ["巫其倫"]
    assert clean_authors(["専門家プロファイル_笹木正明 職業就職アドバイザー"], full_names=True) == []


def test_a_place_degree_or_desk_beside_full_names_is_not_an_author():
    assert clean_authors(["Odile Brandt, Lisbon, Kai Marr"]) == ["Odile Brandt", "Kai Marr"]
    assert clean_authors(["Priya Lund, PhD"]) == ["Priya Lund"]
    assert clean_authors(["Ines Holm, Rafe Quill und Beno Stark, WDR"]) == ["Ines Holm", "Rafe Quill", "Beno Stark"]


def test_initials_are_not_a_company_suffix():
    # "S.A." after a company's name ends it; between a first name and a surname it is initials.
    assert clean_authors(["Nell Arkwright, Owen S.A. Pryce and Ida Voss, IWN"]) == [
        "Nell Arkwright", "Owen S.A. Pryce", "Ida Voss"]
    assert clean_authors(["Ferrovia Insular S.A."]) == []


def test_a_job_title_after_the_name_is_no_author():
    assert clean_authors(["Vera Holm, Senior Legal Analyst"]) == ["Vera Holm"]
    assert clean_authors(["Ansel Moor, Brand Marketing", "Tam Reyes, Isles Weekly Columnist"]) == ["Ansel Moor", "Tam Reyes"]
    # The employer after the title is the title's, not a second author.
    assert clean_authors(["Vera Holm, Vice President, Harbour Cloud"], full_names=True) == ["Vera Holm"]
    assert clean_authors(["Ines Moor, Head of Research, Isles Data Lab"], full_names=True) == ["Ines Moor"]


def test_outlets_agencies_labels_and_degrees_around_names():
    # After names, "The ..." or capitals where the names are not: the outlet.
    assert clean_authors(["Ruth Okafor, The Harbour Post"]) == ["Ruth Okafor"]
    assert clean_authors(["Ruth Okafor, Tam Reyes, ISLES TODAY"]) == ["Ruth Okafor", "Tam Reyes"]
    assert clean_authors(["RUTH OKAFOR"]) == ["RUTH OKAFOR"]  # a byline in capitals is still a name
    # An agency's initials, an agency or a police press office, a newsroom, a web address.
    assert clean_authors(["IWN"]) == [] and clean_authors(["Agencia Isleña"]) == []
    assert clean_authors(["Polizei Inselstadt"]) == [] and clean_authors(["Redação"]) == []
    assert clean_authors(["Zone Îles - radio-iles.ca"]) == []
    assert clean_authors(["KT"]) == ["KT"]  # a writer's initials
    # A link's label, a degree after the name, a label in another language before it.
    assert clean_authors(["See All Articles", "Update Profile"]) == []
    assert clean_authors(["Ines Moor MD", "Ansel Moor PhD"]) == ["Ines Moor", "Ansel Moor"]
    assert clean_authors(["Piše: P. Marić"]) == ["P. Marić"]


def test_a_surname_that_is_also_a_verb_is_kept():
    # "Said" as a surname is capitalised; "said" after a name is the verb of a quote line.
    assert clean_authors(["By Nadia Said"]) == ["Nadia Said"]
    assert clean_authors(["Nadia Okoro said"]) == ["Nadia Okoro"]


def test_the_role_or_outlet_after_a_name_whose_end_shows_is_not_the_name():
    # A name in capitals, then the role; a middle initial, then the role; plural roles.
    assert clean_authors(["ROSA ALVES AP Sports Writer"]) == ["ROSA ALVES"]
    assert clean_authors(["Tam B. Reyes Journal staff"]) == ["Tam B. Reyes"]
    assert clean_authors(["Ines Moor and Kai Lund, Times Staff Writers"]) == ["Ines Moor", "Kai Lund"]
    # A role alone, whose name's end does not show, is still no one.
    assert clean_authors(["Home Affairs Correspondent"]) == []
    # The outlet's name after the name, or "for" the outlet.
    sites = ({"isles courier"}, {"islescourier", "iwn"})
    assert clean_authors(["Ruth Okafor IWN", "Pia Serrat for IWN"], sites=sites) == ["Ruth Okafor", "Pia Serrat"]
    assert clean_authors(["From Oskar Lind"]) == ["Oskar Lind"]
    # A title's words ("Tales Of Harbours", a column "Like It Was") and a wire are no one's name.
    assert clean_authors(["Ruth Okafor | Tales Of Harbours", "Isles Wire", "Ines Moor- Like It Was"]) == ["Ruth Okafor"]


def test_a_cooperative_or_partnership_is_no_author():
    assert clean_authors(["Hafenladen eG", "Brandt & Sohn KG", "Kai Marr GbR"]) == []


@pytest.mark.parametrize("lang, line, expected", [
    ("zh-TW", "〔記者王小明／台北報導〕財政部今天公布新的渡輪票價，三條航線明年起調漲。", ["王小明"]),
    ("ko", "<span>홍길동 기자 | </span>2020-03-04", ["홍길동"]),
    ("ru", "Автор: Олеся Жуковень", ["Олеся Жуковень"]),
    # a Japanese paper's dateline: the place, then its reporter
    ("ja", "【ロンドン＝山田太郎】フェリー会社は冬の運賃を３年連続で値上げすると発表した。", ["山田太郎"]),
])
def test_a_byline_in_a_script_or_convention_of_its_own_is_read(lang, line, expected):
    sentence = {"zh-TW": "渡輪公司表示，冬季票價將連續第三年上漲，乘客對此表示不滿。" * 4,
                "ko": "여객선 회사는 겨울 요금을 3년 연속 인상한다고 밝혔으며 승객들은 불만을 표시했다. " * 3,
                "ru": "Паромная компания третий год подряд повышает зимние тарифы, сообщили пассажиры. " * 3,
                "ja": "フェリー会社は冬の運賃を３年連続で値上げすると発表し、乗客は不満を示した。" * 4}[lang]
    body = f"<p>{line}</p>" + "".join(f"<p>{i}. {sentence}</p>" for i in range(6))
    html = f"<html lang='{lang}'><head><title>Ferry</title></head><body><article><h1>Ferry</h1>{body}</article></body></html>"
    assert clean_page(html, "https://news.example/a", {}, FETCHED)["authors"] == expected


def test_a_byline_giving_a_role_gives_way_to_the_next_that_names_someone_but_an_agencys_does_not():
    role = '<div class="byline">By Online News Editor</div>'
    page = _story(200).replace("<article>", role + "<article><p>By Maren Tjaden</p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Maren Tjaden"]
    # "By AFP" credits the agency: a columnist's box further down is another story's.
    column = '<div class="columnist"><p class="byline">By Tomas Ekberg</p><p>Why fares rise</p></div>'
    page = _story(200, extra_body=column).replace("<article>", "<article><p class='byline'>By AFP</p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == []


def test_a_reporter_of_the_credited_agency_is_named_after_the_agencys_credit():
    # A site republishing an agency's copy credits the agency; the copy's own byline names
    # the agency's reporter. A byline of someone else after the credit is still another story's.
    credit = '<div class="byline">By <a href="/author/wirenews-com/">WireNews.com</a></div>'
    copy = "<p class='byline'>By Tomas Ekberg, WireNews</p>"
    page = _story(200).replace("<article>", credit + "<article>" + copy, 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Tomas Ekberg"]
    page = _story(200).replace("<article>", credit + "<article>" + copy.replace("WireNews", "Isles Post"), 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == []


def test_the_innermost_byline_gives_the_name():
    body = "".join(f"<p>Paragraph {i} of the report on the charter flight and the legal challenge it faced.</p>"
                   for i in range(12))
    page = ('<html><body><article><h1>Flight leaves</h1><div class="BylineComponentWrapper">'
            '<div class="TextContributorName">By Ama Boateng-Reid</div><div>Home affairs reporter, ABN News</div>'
            f'</div>{body}</article></body></html>')
    assert clean_page(page, "https://abn.example/a")["authors"] == ["Ama Boateng-Reid"]
    interview = page.replace('<div class="BylineComponentWrapper"><div class="TextContributorName">By Ama Boateng-Reid'
                             '</div><div>Home affairs reporter, ABN News</div></div>',
                             '<p class="interview__byline">Interview by <a href="/w/ok">Orla Kennedy</a></p>')
    assert clean_page(interview, "https://abn.example/b")["authors"] == ["Orla Kennedy"]


def test_a_welsh_byline():
    body = "".join(f"<p>Paragraph {i} o'r stori am y dafarn yn y pentref a'r bobl a'i prynodd.</p>" for i in range(14))
    page = ('<html lang="cy"><body><article><h1>Pentref yn prynu ei dafarn</h1>'
            f'<span class="byline__name">Gan Elin Haf Roberts</span>{body}</article></body></html>')
    assert clean_page(page, "https://abn.example/cy")["authors"] == ["Elin Haf Roberts"]


def _paragraphs(sentence: str, n: int) -> str:
    return "".join(f"<p>Paragraph {i}: {sentence}</p>" for i in range(n))


def test_the_printed_byline_with_middle_initials_beats_the_declared_name_without():
    head = '<meta name="author" content="Saoirse Lindqvist">'
    page = _story(200, extra_head=head).replace("<p>", '<p class="byline">By Saoirse M.K. Lindqvist</p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Saoirse M.K. Lindqvist"]


def test_several_reporters_in_one_byline_and_no_organisations():
    byline = '<p class="autorenzeile">Von Maren Tiede, Jonas Ruh und Elif Kaya, Inselfunk</p>'
    page = _story(200).replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == [
        "Maren Tiede", "Jonas Ruh", "Elif Kaya"]
    org = _story(200, extra_head='<meta name="author" content="Inselverlag Medien GmbH">').replace(
        "<p>", '<p class="meta">Posted by <a rel="author" href="/author/ruth">Ruth Okafor</a></p><p>', 1)
    assert clean_authors(["Inselverlag Medien GmbH", "jdoe99", "Foto: Ana Lima", "Staff Writer"]) == []
    assert clean_page(org, "https://isles.example/news/b", {}, FETCHED)["authors"] == ["Ruth Okafor"]


@pytest.mark.parametrize("path", ["/fr/staff/mara-quinn/", "/contributors/mara-quinn", "/columnists/mara-quinn"])
def test_a_name_linked_to_its_staff_page_in_a_byline_is_the_author(path):
    byline = f'<div class="article-info"><a href="{path}" class="text-red">Mara Quinn</a></div>'
    page = _story(200).replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Mara Quinn"]


def test_an_author_named_by_reference_in_a_jsonld_graph():
    head = ('<script type="application/ld+json">{"@graph": ['
            '{"@type": "BlogPosting", "headline": "Ferry fares rise again", "author": {"@id": "#person-7"}},'
            '{"@type": "Person", "@id": "#person-7", "name": "Tamsin Verhoeven"}]}</script>')
    page = _story(200, extra_head=head).replace("<p>", '<p class="byline">By Tamsin Verhoeven</p><p>', 1)
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["authors"] == ["Tamsin Verhoeven"] and got["sources"]["authors"] == "jsonld"


def test_one_name_in_a_byline_element_is_a_blogger_not_noise():
    page = _story(200).replace("<p>", '<p class="post-author">von <span>Marlis</span></p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Marlis"]


def test_the_company_holding_the_copyright_is_not_the_author():
    head = ('<meta name="author" content="Brightwater Fenn"><meta name="copyright" '
            'content="Copyright (c) Brightwater Fenn 2024">')
    page = _story(200, extra_head=head).replace("<p>", '<p class="byline">By <a>Wren Castellano</a></p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Wren Castellano"]
    # On a one-person site nobody else is named: the owner wrote it.
    own = _story(200, extra_head='<meta name="author" content="Odo Brennar">'
                                 '<meta name="copyright" content="© 2024 Odo Brennar">',
                 extra_body="<footer><p>© 2024 Odo Brennar</p></footer>")
    assert clean_page(own, "https://odo.example/notes/a", {}, FETCHED)["authors"] == ["Odo Brennar"]


def test_a_byline_in_the_comments_or_the_sidebar_is_not_the_authors():
    comments = ('<div class="comment-list"><div class="comment"><p class="comment-meta">'
                '<span class="author">Gideon Farrow</span> wrote:</p><p>Fares were cheaper last year.</p></div></div>')
    sidebar = ('<aside><ol><li><a href="/news/other">Harbour trust plans a new pier</a>'
               '<span class="byline">By <a>Lotte Amsel</a></span></li></ol></aside>')
    page = _story(200, extra_body=comments + sidebar).replace(
        "<p>", '<p>Text: <a rel="author" href="/team/wren">Wren Castellano</a></p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Wren Castellano"]


@pytest.mark.parametrize("head, expected", [
    ('<meta name="Author" content="Saoirse Lindqvist">', ["Saoirse Lindqvist"]),
    ('<meta name="parsely-author" content="Saoirse Lindqvist">', ["Saoirse Lindqvist"]),
    ('<meta name="citation_author" content="Saoirse Lindqvist"><meta name="citation_author" content="Tomasz Rehn">',
     ["Saoirse Lindqvist", "Tomasz Rehn"]),
    # Parse.ly's page object, all some news CMSs give ("Name | e-mail" as they fill it)
    ("""<meta name="parsely-page" content='{"title": "Ferry fares rise again", "author": "Saoirse Lindqvist"}'>""",
     ["Saoirse Lindqvist"]),
    ("""<meta name="parsely-page" content='{"type": "post", "authors": ["Saoirse Lindqvist | slindqvist@isles.example",
     "Tomasz Rehn"]}'>""", ["Saoirse Lindqvist", "Tomasz Rehn"]),
    ("""<meta name="parsely-page" content='{"type": "post", "author": "National Desk"}'>""", ["Saoirse L."]),
    ("""<meta name="parsely-page" content='{"type": "post", "author": '>""", ["Saoirse L."]),  # broken JSON
])
def test_author_metas_by_other_names(head, expected):
    # The metas name the authors in full; a link to the first one's page gives less.
    page = _story(200, extra_head=head, extra_body="<footer><p>Tomasz Rehn took the photographs.</p></footer>").replace(
        "<p>", '<p><a rel="author" href="/people/saoirse">Saoirse L.</a></p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == expected


@pytest.mark.parametrize("byline", [
    "<byline>Von Hanne Osterkamp, Inselfunk</byline>",
    '<div class="documentByline">erstellt von <a href="/?p=7">Hanne Osterkamp</a> &mdash; 3. März</div>',
])
def test_bylines_in_a_byline_tag_or_in_other_words(byline):
    page = _story(200).replace("<p>", f"{byline}<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Hanne Osterkamp"]


@pytest.mark.parametrize("head, line, url, expected", [
    # An outlet's initials after the name.
    ("", "<p class='byline'>By Pam Lindqvist CNN</p>", "https://isles.example/news/a", ["Pam Lindqvist"]),
    # The outlet a syndicated copy comes from, and the site's name closing the <title>.
    ('<meta name="dc.source" content="Harbor Maven">', "<p class='byline'>By Harbor Maven</p>",
     "https://isles.example/news/a", []),
    ('<meta name="author" content="Tidal Maven">', "", "https://isles.example/news/a", []),
    # A blogger's one-word pen name holding the host's name is not the outlet.
    ("", "<p class='byline'>Von Limespacer</p>", "https://limespace.example/blog/a", ["Limespacer"]),
    # "Article by", and an author's page known by its number.
    ("", "<p>Article by Mara Quell</p>", "https://isles.example/news/a", ["Mara Quell"]),
    ("", "<div class='meta'><a href='/index.php?author=12'>Mara Quell</a></div>", "https://isles.example/news/a",
     ["Mara Quell"]),
    # A first name declared, no byline printed: the author's link gives the name in full.
    ('<meta name="author" content="Chandrika">', "<div class='meta'><a href='/author/chandrika-jana/'>Chandrika "
     "Jana</a></div>", "https://isles.example/news/a", ["Chandrika Jana"]),
])
def test_authors_where_bylines_name_outlets_or_say_less(head, line, url, expected):
    page = _story(200, extra_head=head, title="Ferry fares rise again - Tidal Maven").replace(
        "<p>", line + "<p>", 1)
    assert clean_page(page, url, {}, FETCHED)["authors"] == expected


def test_a_line_that_is_only_by_and_a_name_is_a_byline():
    page = _story(200).replace("<p>", "<p><em>Von Lene Harkort</em></p><p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Lene Harkort"]
    # A line of "Von" and one word is not a byline: it needs a full name.
    motto = _story(200).replace("<p>", "<p>Von Ebbe</p><p>", 1)
    assert clean_page(motto, "https://isles.example/news/b", {}, FETCHED)["authors"] == []


@pytest.mark.parametrize("element", ['<p class="author">jo_ames</p>', '<div class="author">mira solberg</div>'])
def test_a_guessed_author_is_taken_as_the_page_prints_it(element):
    # trafilatura re-spells what it guesses ("jo_ames" as "Jo Ames", a lower-case name in
    # capitals); as printed, a handle and a lower-case teaser credit are not full names.
    page = _story(200).replace("<p>", element + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == []
    printed = _story(200).replace("<p>", '<div class="author">Mira Solberg</div><p>', 1)
    assert clean_page(printed, "https://isles.example/news/b", {}, FETCHED)["authors"] == ["Mira Solberg"]


def test_every_name_in_a_microdata_author():
    head = ('<div itemscope itemtype="http://schema.org/NewsArticle"><div itemprop="author" itemscope '
            'itemtype="http://schema.org/Person"><span itemprop="name">Tove Lindahl</span>'
            '<span itemprop="name">Rami Haddad, Isles Wire</span><div itemprop="worksFor" itemscope '
            'itemtype="http://schema.org/Organization"><span itemprop="name">Harbour Post</span></div></div></div>')
    page = _story(200, extra_body=head)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Tove Lindahl", "Rami Haddad"]


def test_the_hosts_name_as_one_word_is_the_outlet_not_an_author():
    page = _story(200, extra_head='<meta name="author" content="KaiBlatt">')
    assert clean_page(page, "https://www.kaiblatt.example/news/a", {}, FETCHED)["authors"] == []
    # In two words it is the person the site is named after.
    own = _story(200, extra_head='<meta name="author" content="Kai Blatt">', extra_body="<footer>Kai Blatt</footer>")
    assert clean_page(own, "https://www.kaiblatt.example/news/a", {}, FETCHED)["authors"] == ["Kai Blatt"]


def test_a_site_named_after_the_person_who_publishes_it():
    def page(publisher):
        head = ('<meta property="og:site_name" content="Maren Tjaden"><script type="application/ld+json">{"@graph": ['
                '{"@type": "BlogPosting", "headline": "Ferry fares rise again", "author": {"@id": "#p1"}, '
                f'"publisher": {publisher}}}, {{"@type": "Person", "@id": "#p1", "name": "Maren Tjaden"}}]}}</script>')
        return _story(200, extra_head=head)
    # The site says a person publishes it: its name is its writer's.
    assert clean_page(page('{"@id": "#p1"}'), "https://tjaden.example/a", {}, FETCHED)["authors"] == ["Maren Tjaden"]
    # An outlet that names itself as the author is still nobody.
    outlet = page('{"@type": "Organization", "name": "Maren Tjaden"}')
    assert clean_page(outlet, "https://tjaden.example/a", {}, FETCHED)["authors"] == []


@pytest.mark.parametrize("line", ["<h5><em>Von Lene Harkort</em></h5>", "<h4>By Lene Harkort</h4>"])
def test_a_by_line_set_as_a_heading_or_in_bold(line):
    page = _story(200).replace("<p>", f"{line}<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Lene Harkort"]


@pytest.mark.parametrize("meta, byline, expected", [
    ("Oskar Lind", '<p class="byline">By Oskar Lind and Pia Serrat</p>', ["Oskar Lind", "Pia Serrat"]),
    ("Oskar", '<p class="byline">By Oskar Lind</p>', ["Oskar Lind"]),
    ("Oskar Lind", '<p class="byline">By Oskar Henrik Lind</p>', ["Oskar Henrik Lind"]),  # a middle name
    # A byline that names fewer does not overrule the metadata; one that names someone else
    # does when the page prints the metadata's name nowhere (a CMS account's, not a byline).
    ("Oskar Lind", '<p class="byline">By Pia Serrat</p>', ["Pia Serrat"]),
    ("Oskar Lind", '<p class="byline">By Pia Serrat</p><p class="credit">Photo: Oskar Lind</p>', ["Oskar Lind"]),
])
def test_the_printed_byline_completes_the_metadata(meta, byline, expected):
    page = _story(200, extra_head=f'<meta name="author" content="{meta}">').replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == expected


def test_a_declared_author_the_page_never_prints_is_not_its_byline():
    # An SEO plugin's or a CMS account's name in the metadata, printed nowhere on the page.
    head = ('<meta name="author" content="Ansgar Vohwinkel"><script type="application/ld+json">{"@type": '
            '"NewsArticle", "headline": "Ferry fares rise again", "author": {"@type": "Person", "name": '
            '"Ansgar Vohwinkel"}}</script>')
    assert clean_page(_story(200, extra_head=head), "https://isles.example/news/a", {}, FETCHED)["authors"] == []
    # Printed, in any case or order, or with the surname cut to its initial, it stands.
    for shown in ("Von ANSGAR VOHWINKEL", "Vohwinkel, Ansgar", "Ansgar V.", "A. Vohwinkel"):
        page = _story(200, extra_head=head, extra_body=f"<footer><p>{shown}</p></footer>")
        assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Ansgar Vohwinkel"]


@pytest.mark.parametrize("ld, author", [
    # a CDATA wrapper and a comma before the closing brace
    ('//<![CDATA[\n{"@type": "NewsArticle", "datePublished": "2017-04-08T18:00:01+00:00", '
     '"author": {"@type": "Person", "name": "Ines Moor"},}\n//]]>', "Ines Moor"),
    # a nickname's quotation marks left unescaped, a line commented out, a raw line break in a string
    ('{\n "@type": "NewsArticle",\n // "dateCreated": "",\n "datePublished": "2017-04-08T18:00:01+00:00",\n'
     ' "description": "Ferry fares\nrise",\n "author": {\n  "@type": "Person",\n  "name": "Ines "Harbour" Moor"\n }\n}',
     'Ines "Harbour" Moor'),
])
def test_json_ld_as_templates_break_it_is_still_read(ld, author):
    page = _story(200, extra_head=f'<script type="application/ld+json">{ld}</script>', extra_body=f"<footer>{author}</footer>")
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["published"].startswith("2017-04-08") and got["date_source"] == "jsonld:datePublished"
    assert got["authors"] == [author]


def test_an_html_entity_in_a_jsonld_name_is_its_letter():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry fares rise again", '
            '"author": {"@type": "Person", "name": "Jos&#xE9; Brand&#227;o"}}</script>')
    page = _story(200, extra_head=head, extra_body="<footer><p>José Brandão</p></footer>")
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["José Brandão"]


def test_a_menu_of_the_sites_columnists_is_no_byline():
    menu = ('<ul class="menu"><li class="menu-item"><a href="/autor/ines-moor/">Ines Moor</a></li>'
            '<li class="menu-item"><a href="/autor/tam-reyes/">Tam Reyes</a></li></ul>')
    page = _story(200).replace("<body>", f"<body>{menu}")
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == []
    byline = '<p class="meta">By <a href="/autor/ines-moor/">Ines Moor</a></p>'
    page = page.replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Ines Moor"]


def test_a_phrase_linked_to_a_columnists_page_is_no_author():
    # Prose that links to a column is not a byline, though the link's address is a columnist's.
    prose = ('<p>Until the harbour master acts, <a href="/travel/columnist/holm/2024/ferry-tips/">here are some '
             'tips</a> for catching the early boat:</p>')
    page = _story(200).replace("</article>", prose + "</article>")
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == []


def test_a_press_release_credited_to_the_company_it_announces():
    # One word as the author that the headline names is the company the release is about.
    page = _story(200, extra_head='<meta name="author" content="HarbourSoft">',
                  title="HarbourSoft and Isles Council team up on ferry tickets")
    page = page.replace("</article>", "<p>About HarbourSoft: a ticketing company.</p></article>")
    assert clean_page(page, "https://wire.example/releases/a", {}, FETCHED)["authors"] == []
    # A one-word byline the headline does not name stays (a blogger's first name).
    page = _story(200, extra_head='<meta name="author" content="Kathrin">',
                  extra_body="<footer><p>Kathrin</p></footer>")
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Kathrin"]


def test_a_byline_in_a_layout_box_named_like_furniture():
    # Blogger sets its posts in a box of class "widget Blog": a byline in it, beside the
    # post's body, is the post's; a byline in a widget without the body (another post's) is not.
    body = _paragraphs("the harbour trust met to plan the new pier for visiting boats.", 14)
    post = ('<div class="widget Blog"><h3 class="post-title">Pier plans go ahead</h3>'
            '<span class="byline-author">Posted by Owen Pryce, Director, Harbour Trust</span>'
            f'<div class="post-body">{body}</div></div>')
    page = f"<html lang='en'><head><title>Pier plans go ahead</title></head><body>{post}</body></html>"
    assert clean_page(page, "https://trust.example/2024/05/pier.html", {}, FETCHED)["authors"] == ["Owen Pryce"]
    popular = ('<div class="widget PopularPosts"><h4>Ferry timetable changes</h4>'
               '<span class="byline-author">Posted by Tam Reyes</span></div>')
    page = f"<html lang='en'><head><title>Pier plans go ahead</title></head><body>{popular}{post}</body></html>"
    assert clean_page(page, "https://trust.example/2024/05/pier.html", {}, FETCHED)["authors"] == ["Owen Pryce"]


@pytest.mark.parametrize("line", ["<p>Auteur : Lene Harkort</p>", "<p>Author: Lene Harkort</p>",
                                  "<p><strong>Eine Kolumne von Lene Harkort</strong></p>",
                                  "<p><em>An essay by Lene Harkort</em></p>"])
def test_a_byline_that_labels_the_author_or_names_the_kind_of_piece(line):
    page = _story(200).replace("<p>", f"{line}<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Lene Harkort"]


def test_an_outlet_that_declares_its_name_as_its_domain():
    head = ('<meta property="og:site_name" content="IslesCourier.com"><meta name="author" content="Isles Courier">')
    byline = '<div class="autor"><h6>Ruth Okafor | Published 3 hours ago</h6></div>'
    page = _story(200, extra_head=head).replace("<p>", byline + "<p>", 1)
    # The outlet's name is nobody's; the name before the date line's bar is the author's.
    assert clean_page(page, "https://www.islescourier.com/news/a", {}, FETCHED)["authors"] == ["Ruth Okafor"]


@pytest.mark.parametrize("host, name", [("latimes.example", "Los Angeles Times"), ("nypost.example", "New York Post"),
                                        ("dw.example", "Deutsche Welle"), ("sputniknews.example", "Sputnik")])
def test_the_outlets_name_as_its_host_spells_it_is_no_author(host, name):
    page = _story(200, extra_head=f'<meta name="author" content="{name}">', extra_body=f"<footer>{name}</footer>")
    assert clean_page(page, f"https://www.{host}/news/a", {}, FETCHED)["authors"] == []
    # A person's own site, named after them, keeps its writer.
    own = _story(200, extra_head='<meta name="author" content="Heiko">', extra_body="<footer>Heiko</footer>")
    assert clean_page(own, "https://heikoadams.example/a", {}, FETCHED)["authors"] == ["Heiko"]


@pytest.mark.parametrize("byline", [
    '<p class="small"><span class="spaced">By&nbsp;Ruth Okafor, <a href="/staff">for Isles Radio</a></span></p>',
    '<span class="asset-metabar-author">Ruth Okafor , ISLES TODAY , KIWN</span>',
    '<h5 class="data">March 15, 2017 by Ruth Okafor</h5>',
])
def test_a_byline_with_its_outlet_after_or_its_date_before(byline):
    page = _story(200).replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Ruth Okafor"]


def test_a_link_to_the_editors_page_in_the_byline():
    byline = '<p class="meta">Ferry desk <a href="/about/editors/ines-holm/">Ines Holm</a> 3 March</p>'
    page = _story(200).replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Ines Holm"]


def test_a_paragraph_that_opens_with_the_byline_and_goes_on():
    byline = ('<p>Von <strong><a href="https://ruh.example">Jonas Ruh</a></strong> und <strong>Elif Kaya</strong>'
              '<br>Hafenstadt, im März</p>')
    page = _story(200).replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Jonas Ruh", "Elif Kaya"]


def test_a_role_or_a_link_label_in_place_of_a_name():
    # "Editor" followed by the date line's month; a link to the author page labelled "all posts".
    assert clean_authors(["Editor March"]) == []
    link = '<p class="post-author"><a href="/autoren/isles-team/" class="all-posts">Alle Beiträge</a></p>'
    page = _story(200).replace("<p>", link + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == []


def test_a_menu_entry_that_starts_with_by_is_no_byline():
    menu = '<ul class="menu"><li><a href="/rankings/position">By Position Pier Rankings</a></li></ul>'
    byline = '<a class="story__author" href="/user/ruthokafor/"><span>By</span>Ruth Okafor</a>'
    page = _story(200).replace("<article>", "<article>" + menu, 1).replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Ruth Okafor"]


def test_names_linked_each_in_its_own_block_are_one_byline_shown_as_the_style_sheet_capitalises_them():
    # The CMS writes the names in lower case and the page's style sheet capitalises them;
    # each name sits in a block of its own under one list.
    byline = ('<ul class="authors"><li><div class="author"><span>By </span></div></li>'
              '<li><div class="author-new"><a href="https://isles.example/author/tamsin_verhoeven">tamsin verhoeven</a>'
              '</div></li><li><div class="author-new">, <a href="https://isles.example/author/ola-brand">ola brand</a>'
              '</div></li></ul>')
    page = _story(200).replace("<p>", byline + "<p>", 1)
    got = clean_page(page, "https://isles.example/news/a", {}, FETCHED)
    assert got["authors"] == ["Tamsin Verhoeven", "Ola Brand"]
    # A link to the site's "About us" profile page is not an author's.
    about = '<div class="metaLink"><a href="/en/about-isles/profile/s-3068">ABOUT ISLES</a></div>'
    page = _story(200).replace("<article>", about + "<article>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == []


def test_a_byline_name_loses_zero_width_characters():
    page = _story(200).replace("<p>", '<p class="byline">By Paige Garland\u200d</p><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Paige Garland"]


def test_a_byline_written_in_lower_case_is_read_as_the_style_sheet_capitalises_it():
    byline = '<div class="author">By tamsin verhoeven and ola brand, associated press</div>'
    page = _story(200).replace("<p>", byline + "<p>", 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == ["Tamsin Verhoeven", "Ola Brand"]
    # One word in lower case is a handle, not a name.
    page = _story(200).replace("<p>", '<div class="author">By tamsinv</div><p>', 1)
    assert clean_page(page, "https://isles.example/news/a", {}, FETCHED)["authors"] == []


def test_the_first_byline_is_read_however_many_follow():
    # The declared author's fuller printed name comes from the first byline (the innermost of
    # nested ones), not from the teasers' bylines further down.
    body = "".join(f"<p>Paragraph {i} of the report on the charter flight and the legal challenge it faced.</p>"
                   for i in range(12))
    teasers = "".join(f'<div class="teaser"><p class="byline">By Nora Brandt{i}</p><p>Other story {i}</p></div>'
                      for i in range(3))
    page = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Flight leaves", '
            '"author": {"@type": "Person", "name": "Ama Reid"}}</script></head><body><article><h1>Flight leaves</h1>'
            '<div class="byline-wrapper"><div class="author-name">By Ama Boateng-Reid</div><div>Home affairs '
            f'reporter</div></div>{body}</article>{teasers}</body></html>')
    assert clean_page(page, "https://abn.example/a", {}, FETCHED)["authors"] == ["Ama Boateng-Reid"]
