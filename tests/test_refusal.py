"""Refusals: a page is refused as no article only on evidence (a wall's or an error's words,
a declared page type, a listing's shape), with its reason and figures; articles, short news
and stories beside forms or teasers are kept. Read through ``clean_page``, which asks
``pipelines.refusal``; the listing model's own tests are in test_listing.py."""

import pytest

from pipelines.clean import NotAnArticle, clean_page
from tests.test_clean import FETCHED, LONG_BODY, _story, _teasers, page


_PROSE = ("<p>" + " ".join(["The harbour choir meets on Thursday evenings in the old chapel and welcomes new "
                            "singers of every age and voice."] * 6) + "</p>")


_CLIPS = "".join(f"<p>The choir sings carol number {i} at the chapel {i % 9 + 1}:{i % 50 + 10:02d}</p>"
                 for i in range(36))


_DAYS = "".join(f"<th>{d}</th>" for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))


_RESULTS = "".join(f"<div class='result'><h3>Ferry timetable for route {i}</h3><p>Sailings leave the pier "
                   f"every hour in summer and twice a day in winter, weather allowing, on route {i}.</p></div>"
                   for i in range(6))
_THREADS = "".join(f"<tr><td><p>Which ferry runs to the north isles on Sundays in winter, and does route {i} "
                   f"take bicycles without booking ahead of the crossing?</p></td><td>Threads {i}</td></tr>"
                   for i in range(8))
SEARCH = f"<html lang='en'><head><title>Search</title></head><body><main><h1>Search</h1>{_RESULTS}</main></body></html>"


BOARD = f"<html lang='en'><head><title>Island travel</title></head><body><table>{_THREADS}</table></body></html>"


SIGN_IN = ("<main><h1>Sign in to Isles News</h1><p>Readers with an account can comment on stories, save them for "
           "later and get our morning newsletter about the ferries, the weather and island life every day.</p>"
           "<form><input name='email'><input type='password' name='password'><button>Sign in</button></form></main>",
           "Sign in", "https://isles.example/news/how-accounts-work")


CONTACT = ("<main><h1>Get in touch</h1><p>Write to the newsroom about a story, a correction or a tip. Our desk reads "
           "every message on weekdays, and we answer most of them within two working days of getting them.</p>"
           "<form><input name='name'><input name='email'><textarea name='message'></textarea><button>Send</button>"
           "</form></main>", "Contact", "https://isles.example/news/contact-desk-opens")


def _help_desk_form() -> str:
    fields = "".join(f"<div class='row'><label>{name} <span>*</span></label><input name='f{i}'></div>"
                     for i, name in enumerate(["Your e-mail address", "Your name", "Ticket number", "Subject",
                                               "Order reference"]))
    topics = "".join(f"<option>{t}</option>" for t in ["Deliveries", "Refunds", "My account", "Missing papers",
                                                       "Something else"])
    replies = "".join(f"<option>{t}</option>" for t in ["By e-mail", "By telephone", "By post", "No reply needed"])
    return (f"<div><form action='/send'>{fields}<div><label>Topic</label><select name='topic'>{topics}</select></div>"
            f"<div><label>Reply</label><select name='reply'>{replies}</select></div>"
            "<div><label>Your question</label><textarea name='q'></textarea></div>"
            "<button>Send the question</button></form></div>")


def _cards(n: int) -> str:
    # A magazine's cards, each one line of text: a kicker, the headline and the summary, with
    # the date and reading time in a footer between them, which extraction leaves out.
    return "".join(
        f'<div class="card"><a href="/sport/harbour-regatta-report-{i}"><span>Regatta week</span> '
        f'<span>Crews race round the harbour light in a rising wind {i}</span></a> '
        f'<footer><span>0{1 + i % 9}.03.2026, 1{i % 10}.04 Uhr</span> <span>•</span> <span>{3 + i % 5} Min</span></footer> '
        f'<a href="/sport/harbour-regatta-report-{i}"><span>Forty boats started and nine finished after squalls '
        f'swept the course on the second afternoon {i}.</span></a></div>' for i in range(n))


@pytest.mark.parametrize("html, reason", [
    ("", "empty-page"),
    ("   \n ", "empty-page"),
    ("<html><body><p>Sign in to continue.</p></body></html>", "no-article-text|too-short"),
    ("<html><body>" + "<p>Cookie wall. Accept all to continue reading.</p>" * 3 + "</body></html>", "too-short|no-article-text"),
    ("\x00\x00<<<>>>", "empty-page|unparsable|no-article-text"),
])
def test_pages_without_an_article(html, reason):
    with pytest.raises(NotAnArticle, match=reason):
        clean_page(html, "http://paper.example/x", {}, FETCHED)


@pytest.mark.parametrize("html, reason", [
    (page("Just a moment...", "<p>Checking your browser before accessing the site. This may take a few "
          "seconds.</p><p>Please enable JavaScript and cookies to continue.</p>"), "bot-challenge"),
    (page("Before you continue to Example News", "<p>We and our partners use cookies and data to deliver "
          "our services.</p><button>Accept all</button><button>Reject all</button>"), "consent-wall"),
    (page("Council budget row deepens", "<p>The council's budget vote descended into acrimony on Tuesday "
          "night as members traded accusations over library closures.</p><p>Subscribe to continue reading. "
          "Already a subscriber? Sign in.</p>"), "paywall-stub"),
    (page("Page not found | Example News", "<p>Sorry, we couldn't find that page. It may have been moved "
          "or deleted.</p><form><input name='q'></form>"), "error-page"),
    (page("Live: election results", LONG_BODY,
          head='<script type="application/ld+json">{"@type": "LiveBlogPosting", "headline": "Live"}</script>'),
     "live-blog"),
])
def test_walls_stubs_and_non_articles_are_named(html, reason):
    with pytest.raises(NotAnArticle, match=reason):
        clean_page(html, "https://news.example/x", {}, FETCHED)


def test_a_board_of_threads_laid_out_as_a_table_is_a_listing():
    # Each row: a thread's link with its board's label under it (extraction drops the label,
    # so the row as written is no teaser's text; its cells are), who started it, counts.
    topics = ["Ferry timetable for the winter months", "Where to moor a small boat overnight",
              "Lost a dry bag on the north beach", "Best cafe near the harbour for breakfast",
              "Is the coastal path open after the storm", "Cheap parking close to the ferry",
              "Bird watching trips from the old pier", "Anyone selling a used kayak this spring",
              "Fishing rules in the bay this year", "Camping spots with fresh water taps"]
    rows = "".join(f"<tr><td><a href='/board/thread-{i}'>{t}</a><div class='post-category'>"
                   f"<a href='/board/visitors'>Visitors and travel</a></div></td><td><a href='/user/u{i}'>sailor{i}</a>"
                   f"<br><span class='post-date'>March {i + 1}, 2024 at 9:{10 + i} AM</span></td><td>{i + 3}</td>"
                   f"<td>{40 + i}</td></tr>" for i, t in enumerate(topics))
    page = ("<html lang='en'><head><title>Visitors board</title></head><body><h1>Visitors board</h1><table>"
            f"<tr><th>Thread</th><th>Started by</th><th>Replies</th><th>Views</th></tr>{rows}</table></body></html>")
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(page, "https://isles.example/board/visitors", {}, FETCHED)
    assert "10 teasers" in refused.value.figures


def test_a_page_of_teasers_is_refused_with_its_figures():
    listing = f"<html><head><title>News</title></head><body><main><ul>{_teasers(12)}</ul></main></body></html>"
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(listing, "https://isles.example/news/", {}, FETCHED)
    assert refused.value.reason == "listing-page" and "teasers hold" in refused.value.figures


def test_a_page_of_teasers_whose_canonical_names_a_partner_site_is_still_a_listing():
    # A portal carries its partner's sections, the canonical address naming the partner's
    # site while every teaser links to the portal's own pages.
    head = '<link rel="canonical" href="https://partner.example/news/">'
    teasers = _teasers(12, "https://isles.example/news/")
    listing = f"<html><head><title>News</title>{head}</head><body><main><ul>{teasers}</ul></main></body></html>"
    with pytest.raises(NotAnArticle, match="listing-page"):
        clean_page(listing, "https://isles.example/news/", {}, FETCHED)


def test_teasers_blurbs_each_followed_by_its_day_are_a_listing_but_a_timeline_is_not():
    blurbs = [("Though the skipper maintained his innocence, a jury found him guilty of sinking the ferry on "
               "purpose after a night out.", "May 18"),
              ("In 2008 a lighthouse keeper vanished for three weeks and remembered nothing; nine years later "
               "he vanished again.", "May 16"),
              ("A harbour pilot tells the board he will not guide the cruise ships in bad weather, and the board "
               "is not pleased.", "May 9")]
    listing = "".join(f"<p>{blurb}</p><p>{day}</p>" for blurb, day in blurbs)
    html = f"<html><head><title>Harbour Stories</title></head><body><main>{listing}</main></body></html>"
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(html, "https://isles.example/HarbourStories", {}, FETCHED)
    assert "3 blurbs" in refused.value.figures
    timeline = "".join(f"<p>{day}</p><p>{blurb}</p>" for blurb, day in blurbs)
    html = f"<html><head><title>A year at sea</title></head><body><main>{timeline}</main></body></html>"
    assert "lighthouse keeper" in clean_page(html, "https://isles.example/a-year-at-sea", {}, FETCHED)["text"]


def test_a_section_front_that_says_og_type_article_like_every_page_of_its_site_is_a_listing():
    # Some sites stamp og:type "article" (and a creation date) on every page they make.
    head = '<meta property="og:type" content="article"><meta name="dcterms.created" content="2024-03-01T09:00:00Z">'
    front = f"<html><head><title>Harbour</title>{head}</head><body><main><ul>{_teasers(10)}</ul></main></body></html>"
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(front, "https://isles.example/category/harbour.html", {}, FETCHED)
    assert "10 teasers" in refused.value.figures and "og:type article" in refused.value.figures
    # A story of that site, with a box of other stories' teasers beside it, is kept.
    story = _story(300, extra_head=head, extra_body=f"<aside><h2>More stories</h2><ul>{_teasers(10)}</ul></aside>")
    assert clean_page(story, "https://isles.example/news/ferry-fares", {}, FETCHED)["word_count"] >= 250


@pytest.mark.parametrize("head, body", [
    # A member's profile declared as such, and no article anywhere in its markup.
    ('<meta property="og:type" content="profile">', _PROSE),
    # A list of clips, each with its running time.
    ("", _CLIPS),
    # A forum's board, its table headed by a forum's columns.
    ("", "<table><tr><th>Topics</th><th>Posts</th><th>Last post</th></tr><tr><td>Choir dates</td><td>12</td>"
         "<td>Sunday</td></tr></table>" + _PROSE),
    # A programme's grid, its columns the days of the week.
    ("", f"<table><tr>{_DAYS}</tr><tr><td>News</td><td>Music</td><td>Quiz</td><td>News</td><td>Film</td></tr>"
         "</table>" + _PROSE),
    # A directory's A-Z index.
    ("", "<p>" + " | ".join(chr(c) for c in range(ord("A"), ord("Z") + 1)) + "</p>" + _PROSE),
    # A page of search results.
    ("", "<p>Showing 1-20 of 9291 results</p>" + _PROSE),
])
def test_a_profile_a_list_of_clips_a_board_a_schedule_an_index_or_results_is_no_article(head, body):
    html = (f"<html lang='en'><head><title>Harbour choir</title>{head}</head><body><h1>Harbour choir</h1>{body}"
            "</body></html>")
    with pytest.raises(NotAnArticle):
        clean_page(html, "https://choir.example/page/a", {}, FETCHED)


def test_a_list_whose_headlines_extraction_dropped_is_refused_by_its_dates_and_labels():
    # What is left of a section front: each teaser's date, or a "Watch video" label and a running time.
    dates = "".join(f"<p>-</p><p>May {d}</p>" for d in range(1, 25))
    videos = "".join(f"<p>Watch video</p><p>02:{10 + i}</p>" for i in range(20))
    for body in (dates, videos):
        page = f"<html><head><title>Sport</title></head><body><main><h1>Latest sport</h1>{body}</main></body></html>"
        with pytest.raises(NotAnArticle, match="listing-page") as refused:
            clean_page(page, "https://isles.example/sport", {}, FETCHED, min_words=20)
        assert "lines are dates, times or a label" in refused.value.figures
    # A timeline is dated line by line, and says what happened on each day.
    timeline = "".join(f"<p>May {d}</p><p>The ferry company met islanders again on day {d} of the talks over "
                       f"winter fares and the late sailing, and both sides said they had made some progress.</p>"
                       for d in range(1, 15))
    page = f"<html><head><title>Fares talks</title></head><body><article><h1>Fares talks</h1>{timeline}</article></body></html>"
    assert clean_page(page, "https://isles.example/news/fares-talks", {}, FETCHED)["word_count"] > 300


@pytest.mark.parametrize("url", ["https://isles.example/", "https://isles.example/?_ga=1.3296.4264",
                                 "https://isles.example/index.html?utm_source=newsletter&utm_medium=email"])
def test_a_sites_front_page_without_an_article_of_its_own_is_refused(url):
    # A query that only tracks the reader leaves the front page as it is; so does a date a CMS
    # stamps on every page it makes (sailthru.date), which says nothing of an article.
    front = _story(300, title="Isles Gazette", extra_head='<meta name="sailthru.date" content="2024-03-01 09:00:00">')
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(front, url, {}, FETCHED)
    assert "front page" in refused.value.figures
    assert clean_page(front, "https://isles.example/news/gazette", {}, FETCHED)["word_count"] >= 250


@pytest.mark.parametrize("path", ["/tag/uk-visas-and-immigration/", "/de/schlagwort/hafen/page/2/",
                                  "/categories/hair-care_398.html"])
def test_a_tag_page_listing_a_single_story_is_refused(path):
    # One teaser is too few to call a listing by its teasers, but the address says what the page is;
    # kept, its teaser would pass for a shorter version of the story it points to.
    tag = ('<html><head><title>Uk Visas And Immigration</title></head><body><main><h1>Uk Visas And Immigration</h1>'
           '<p>Latest reporting and analysis from Parliament.</p><ul><li><a href="https://isles.example/briefings/'
           'casework">MPs offices swamped by immigration casework as the Home Office hotline struggles</a><p>Caseworkers '
           'from all parties say visa and status problems now outweigh housing and benefits, with long waits for '
           'answers on behalf of constituents across the country this autumn.</p></li></ul></main></body></html>')
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(tag, "https://isles.example" + path, {}, FETCHED)
    assert "tag" in refused.value.figures
    # An article under a topic's address is still an article.
    assert clean_page(_story(200), "https://isles.example/themen/hafen-neubau", {}, FETCHED)["word_count"] >= 180


def test_words_that_only_look_like_a_wall_do_not_refuse_a_story():
    recaptcha = _story(50, extra_body="<form class='newsletter'><p>Sign up. This site is protected by reCAPTCHA "
                                      "and the Google Privacy Policy applies.</p></form>")
    assert clean_page(recaptcha, "https://isles.example/news/a", {}, FETCHED, min_words=1)["word_count"] >= 45
    number = _story(130).replace("passengers said.", "passengers said, on route 404.", 1)
    assert clean_page(number, "https://isles.example/news/b", {}, FETCHED)["word_count"] >= 120


def test_a_sites_front_page_dated_only_by_its_latest_posts_time_is_a_listing():
    # A blog's front page showing its latest post in full: the <time> is that post's.
    post = ("<article><h2><a href='/2024/05/harbour-walk'>A walk round the harbour</a></h2>"
            "<time datetime='2024-05-02T09:00:00Z'>2 May 2024</time>" + "<p>" + " ".join(
                ["We set off from the old pier at low tide and followed the sea wall past the boatyards."] * 12)
            + "</p><a href='/2024/05/harbour-walk'>Read more</a></article>")
    front = f"<html lang='en'><head><title>Harbour notes</title></head><body><main>{post}</main></body></html>"
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(front, "https://isles.example/", {}, FETCHED)
    assert "front page" in refused.value.figures
    # A one-page site that declares its article and date keeps it.
    declared = front.replace("</head>", '<script type="application/ld+json">{"@type": "BlogPosting", '
                             '"headline": "A walk round the harbour", "datePublished": "2024-05-02T09:00:00Z"}'
                             "</script></head>")
    assert clean_page(declared, "https://isles.example/", {}, FETCHED)["word_count"] > 150


@pytest.mark.parametrize("page, url, said, article_url", [
    *[(SEARCH, url, "search page", "https://isles.example/news/ferry-timetables")
      for url in ("https://isles.example/search?category=ferries", "https://isles.example/search.php",
                  "https://isles.example/?s=ferry", "https://isles.example/jobs/results.aspx?kws=pilot")],
    # A forum's board is a listing; its threads are not.
    *[(BOARD, url, "forum's board", "https://isles.example/forums/threads/sunday-ferries.4417/")
      for url in ("https://isles.example/forum.php", "https://isles.example/forums/viewforum.php?f=4",
                  "https://isles.example/community/forums", "https://isles.example/forums/index.php")],
])
def test_a_search_page_or_a_forums_board_is_a_listing_however_it_reads(page, url, said, article_url):
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(page, url, {}, FETCHED)
    assert said in refused.value.figures
    # The same words under an article's address are an article.
    assert clean_page(page, article_url, {}, FETCHED)["word_count"] > 60


@pytest.mark.parametrize("url,reason,form", [
    *[(url, "login-wall", SIGN_IN) for url in (
        "https://isles.example/account/logon", "https://isles.example/login.htm?next=/news/",
        "https://isles.example/user/sign-in", "https://isles.example/login_html",
        "https://isles.example/Account/Create?back=1", "https://isles.example/user/registration",
        "https://isles.example/shop/create-account.asp?p=%2F", "https://isles.example/auth.html?cmd=register&next=/")],
    *[(url, "form-page", CONTACT) for url in (
        "https://isles.example/contact", "https://isles.example/contact-us/", "https://isles.example/about/kontakt.html")],
])
def test_a_sign_in_or_contact_page_is_refused_by_its_address(url, reason, form):
    body, title, article_url = form
    page = f"<html lang='en'><head><title>{title}</title></head><body>{body}</body></html>"
    with pytest.raises(NotAnArticle, match=reason):
        clean_page(page, url, {}, FETCHED, min_words=20)
    if reason == "form-page":
        # The same page under an article's address (the newsroom's contact desk) is kept.
        assert clean_page(page, article_url, {}, FETCHED, min_words=20)["word_count"] > 20
    else:
        # A sign-in page says so under any address: a password field, and a short undated text
        # about signing in. Dated, it is a story about accounts, and kept.
        with pytest.raises(NotAnArticle, match=reason):
            clean_page(page, article_url, {}, FETCHED, min_words=20)
        dated = page.replace("</head>", '<meta property="article:published_time" content="2024-03-01T09:00:00Z">'
                             "</head>")
        assert clean_page(dated, article_url, {}, FETCHED, min_words=20)["word_count"] > 20


def test_a_page_whose_text_is_its_form_is_refused_and_an_article_with_a_form_kept():
    # No address gives it away: what extraction finds is the form's labels, options and button.
    page = f"<html lang='en'><head><title>Help desk</title></head><body>{_help_desk_form()}</body></html>"
    with pytest.raises(NotAnArticle, match="form-page") as refused:
        clean_page(page, "https://isles.example/help/ask", {}, FETCHED, min_words=20)
    assert "labels, options and buttons" in refused.value.figures
    # A story with a newsletter box and a reader poll holds a form too, and is an article.
    extra = ("<aside><form><label>Your e-mail</label><input name='e'><button>Sign up</button></form>"
             "<form><legend>Should the fares rise?</legend><label>Yes</label><input type='radio' name='v'>"
             "<label>No</label><input type='radio' name='v'><button>Vote</button></form></aside>")
    got = clean_page(_story(150, extra_body=extra), "https://isles.example/news/ferry-fares", {}, FETCHED)
    assert got["word_count"] >= 140


def test_a_sign_in_page_is_refused_by_its_password_field_and_words():
    # No address gives it away: a password to give and a short, undated text about the account.
    box = ("<form action='/session'><label>E-mail</label><input name='e'><label>Password</label>"
           "<input type='password' name='p'><button>Sign in</button></form>")
    words = ("<p>Signing in to your account takes a minute the first time: have your last bill or your customer "
             "number to hand. Once you are in you can pay a bill, order more collection bags, change the day we call "
             "and add a garden waste collection. We never share what you give us with anyone else.</p>")
    page = f"<html lang='en'><head><title>Customer portal</title></head><body><main>{words}{box}</main></body></html>"
    with pytest.raises(NotAnArticle, match="login-wall") as refused:
        clean_page(page, "https://isles.example/portal/", {}, FETCHED)
    assert "password field" in refused.value.figures
    # Short news with a sign-in box in the site's header is dated, and kept.
    head = '<meta property="article:published_time" content="2024-03-01T09:00:00Z">'
    story = _story(70, extra_head=head).replace("<body>", f"<body><header>{box}</header>", 1)
    assert clean_page(story, "https://isles.example/news/ferry-fares", {}, FETCHED)["word_count"] >= 60


def test_a_challenge_page_is_named_by_its_markup():
    stub = ('<html><head><meta name="robots" content="noindex"><script src="/_Incapsula_Resource?SWJIYLWA=1">'
            "</script></head><body></body></html>")
    with pytest.raises(NotAnArticle, match="bot-challenge"):
        clean_page(stub, "https://isles.example/news/a", {}, FETCHED)


def test_a_small_section_that_declares_itself_the_site_is_a_listing():
    from pipelines.clean import NotAnArticle, clean_page

    def section(items, og_type="website", dated=False):
        teasers = "".join(f'<li><a href="https://isles.example/news/pier-{i}">Harbour trust plans pier number {i} '
                          f'for summer boats</a><p>Trustees say pier {i} would bring visitors and cost less '
                          f'than the old jetty repairs.</p></li>' for i in range(items))
        made = '<meta name="pubdate" content="2014-02-12T20:41:36Z">' if dated else ""
        return (f'<html><head><title>Harbour - Isles News</title><meta property="og:type" content="{og_type}">'
                f'{made}</head><body><main><h1>Harbour</h1><ul>{teasers}</ul></main></body></html>')

    for items in (1, 2):
        with pytest.raises(NotAnArticle, match="listing-page"):
            clean_page(section(items), "https://isles.example/harbour/", min_words=20)
    # A section's metadata may carry a date (the day it was made): it still says it is the site.
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(section(1, dated=True), "https://isles.example/harbour/", min_words=20)
    assert "declares itself the site" in refused.value.figures
    # Declared an article, the same words are kept: a type alone, or teasers alone, is not enough.
    assert clean_page(section(2, "article"), "https://isles.example/harbour/", min_words=20)["word_count"] > 20


def test_a_section_of_cards_is_a_listing_though_extraction_leaves_out_their_dates():
    front = (f"<html><head><title>Sport</title><meta property='og:type' content='website'></head>"
             f"<body><main><section>{_cards(12)}</section></main></body></html>")
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(front, "https://isles.example/sport/", {}, FETCHED)
    assert "teasers hold" in refused.value.figures


def test_a_collection_declared_beside_og_type_article_is_a_listing_unless_dated():
    collection = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "CollectionPage", '
                  '"name": "Harbour"}</script><meta property="og:type" content="article">')
    page = _story(300, extra_head=collection, title="Harbour news")
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(page, "https://isles.example/harbour/", {}, FETCHED)
    assert "CollectionPage" in refused.value.figures
    # A live report lists its items as a collection beside its date of publication: a story.
    dated = _story(300, extra_head=collection + '<meta property="article:published_time" content="2024-03-01T09:00:00Z">')
    assert clean_page(dated, "https://isles.example/harbour/", {}, FETCHED)["word_count"] >= 250


@pytest.mark.parametrize("said", ["Diese Seite ist leider nicht verfügbar",
                                  "Sorry, this page is no longer available"])
def test_an_error_page_under_a_portals_long_menus_says_so_in_its_first_lines(said):
    # (the portal's offers, written out as lines of text under the notice: 250 words and more)
    menu = "".join(f"<li>Offer {i}: free mail, cloud storage and a mobile plan for the whole family</li>" for i in range(25))
    page = (f"<html><head><title>Portal Magazine</title></head><body><main><p>Log in</p><p>{said}</p>"
            f"<p>The address is no longer valid or the content was removed.</p><ul>{menu}</ul></main></body></html>")
    with pytest.raises(NotAnArticle, match="error-page") as refused:
        clean_page(page, "https://portal.example/magazine/best-of/", {}, FETCHED)
    assert "first lines" in refused.value.figures
    # A story that mentions such a page further down is a story.
    story = _story(300, extra_body=f"<p>Readers who followed the old link were told: {said}.</p>")
    assert clean_page(story, "https://isles.example/news/ferry-fares", {}, FETCHED)["word_count"] >= 250


def test_a_front_page_declaring_its_templates_article_object_is_still_a_listing_of_teasers():
    article_object = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article", '
                      '"headline": "Isles Gazette", "url": "https://isles.example/"}</script>')
    front = (f"<html><head><title>Isles Gazette</title>{article_object}</head><body><main><ul>{_teasers(20)}</ul>"
             f"</main></body></html>")
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(front, "https://isles.example/", {}, FETCHED)
    assert "front page" in refused.value.figures and "teasers" in refused.value.figures


def test_a_short_promotion_at_a_sections_address_among_dozens_of_links_is_a_section():
    links = "".join(f"<li><a href='/history/harbour-story-number-{i}'>How the harbour grew in the years of {1800 + i}</a></li>"
                    for i in range(40))
    blurb = ("<p>Our history magazine looks back at two centuries of the harbour: the ships, the trade and the people "
             "who worked the quays, from the first stone pier to the container berths of today. The new issue is out "
             "now in shops and in the app, with maps and letters from the town's archive.</p>")
    page = (f"<html><head><title>History</title><meta property='og:type' content='website'></head><body>"
            f"<main>{blurb}</main><nav><ul>{links}</ul></nav></body></html>")
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(page, "https://isles.example/history/", {}, FETCHED)
    assert "names no story" in refused.value.figures
    # The same short text at a story's address is short news, and kept.
    assert clean_page(page, "https://isles.example/history/harbour-magazine-new-issue", {}, FETCHED)["word_count"] >= 30


def test_a_list_of_episodes_left_as_dates_and_running_times_is_a_listing():
    # A podcast section whose episode titles sit in links extraction drops: each episode
    # leaves its date, a bullet and its running time ("24 Min").
    episodes = "".join(f"<p>{1 + i % 28:02d}.02.2026</p><p>•</p><p>{10 + i} Min</p>" for i in range(12))
    page = f"<html><head><title>Audio</title></head><body><main><h1>Podcasts</h1>{episodes}</main></body></html>"
    with pytest.raises(NotAnArticle, match="listing-page") as refused:
        clean_page(page, "https://isles.example/audio/", {}, FETCHED, min_words=20)
    assert "lines are dates, times or a label" in refused.value.figures
