"""The story's text where extraction's falls short: what it lost, put back; what it kept of
the page around the story, taken out.

What trafilatura drops is looked for in the markup and put back (an opening paragraph, a
standfirst, highlights, a dek, the parts of a story split over several elements,
paragraphs marked by a class of their own); what it keeps of other stories and boxes is
cut (the next stories a page loads below its own, captions, related-story boxes, "Read
more" link prompts). Line-by-line furniture (credits, sign-up boxes, stamps) is
``pipelines.furniture``'s.
"""

from __future__ import annotations

import bisect
import copy
import functools
import itertools
import re
from urllib.parse import urlunsplit

import lxml.html
from lxml import etree

from pipelines.byline import BY_START, BYLINE_CLASS, DATE_CLASS
from pipelines.dedup import containment
from pipelines.furniture import furniture_line
from pipelines.markup import TITLE_SEPARATOR, site_of, skipped, url_parts
from pipelines.published import COMMENTS
from pipelines.text import word_count, words

MIN_WORDS = 40  # fewer words of text than this and there is no article (short news runs 50-120 words)


def prose_words(tree, at_least: float) -> bool:
    """Whether the page's paragraphs of prose (eight words or more, not mostly links),
    outside the furniture extraction skips (asides, menus, footers), hold ``at_least``
    words. All its paragraphs' words are counted first (fast, and enough for most pages),
    then the prose in one walk that does not enter furniture."""
    page_words = len(" ".join(tree.xpath("//p//text()")).split())
    if page_words < at_least:
        return False
    total, stack = 0, [tree]
    while stack:
        for child in stack.pop():
            if not isinstance(child.tag, str) or child.tag in _NOT_PROSE:
                continue
            if skipped(child) and not _page_wide(child, page_words):
                continue
            if child.tag != "p":
                stack.append(child)
                continue
            tokens = child.text_content().split()
            if len(tokens) >= 8 and 2 * sum(len(a.text_content().split()) for a in child.iter("a")) <= len(tokens):
                total += len(tokens)
    return total >= at_least


_NOT_PROSE = {"script", "style", "noscript", "template", "svg", "head", "form", "select"}


def _page_wide(el, page_words: int) -> bool:
    """A <div> whose name reads as furniture ("i-nav_drawer_slide": the page slides out
    under a menu) but that holds the headline and most of the page's paragraph words: the
    page's layout. (A menu can hold many teasers' words, but not the page's <h1>.)"""
    if el.tag != "div" or el.find(".//h1") is None:
        return False
    inside = len(" ".join(el.xpath(".//p//text()")).split())
    return inside >= 100 and 2 * inside > page_words


STORY_CELL_SHARE = 0.5  # of the page's words that the story's cell holds


def story_cell(tree, min_words: int):
    """The innermost table cell holding most of the page's words (STORY_CELL_SHARE), as a
    page of its own; else None. (Two cells holding more than half each are one inside the
    other: the last in document order is the innermost.)"""
    body = tree.find("body")
    if body is None:
        return None
    total = len(body.text_content().split())
    cell = None
    for td in body.iter("td"):
        n = len(td.text_content().split())
        if n >= min_words and n > STORY_CELL_SHARE * total:
            cell = td
    if cell is None:
        return None
    page = lxml.html.fromstring("<html><body><div></div></body></html>")
    holder = page.find("body/div")
    holder.text = cell.text
    for child in cell:
        holder.append(copy.deepcopy(child))
    return page


BODY_PARAGRAPH_WORDS = 25  # a paragraph this long is prose, not a promo line


OPENING_KEY_WORDS = 8  # the words of a page's description that find it in the page


OPENING_MAX_WORDS = 120  # a standfirst or a first paragraph, not the story


OPENING_GAP_WORDS = 150  # at most this much (share buttons, a date line, a caption) between it and the body


_NOT_OPENING = {"script", "style", "noscript", "template", "head", "title", "figcaption", "figure", "nav",
                "footer", "aside", "form", "button", "select", "option", "label", "blockquote", "li", "a"}


def lost_opening(tree, text: str, descriptions: list) -> str | None:
    """The story's opening that extraction dropped: its standfirst (a lead paragraph
    styled apart, which precision mode often takes for a promo) or a first paragraph set
    as bare text beside an image. Found by the page's own description, which repeats it:
    a paragraph of the page that starts as the description does, stands before the
    extracted text within a few lines, and is not already in it."""
    body = tree.find(".//body")
    if body is None or not text:
        return None
    keys = []
    for d in descriptions:
        key = words(d or "")[:OPENING_KEY_WORDS]
        if len(key) == OPENING_KEY_WORDS and key not in keys:
            keys.append(key)
    first = words(text.split("\n", 1)[0])[:OPENING_KEY_WORDS]
    if not keys or len(first) < 4:
        return None
    have = " ".join(words(text))
    if any(" ".join(key) in have for key in keys):
        return None  # the story opens as described: nothing was dropped (most pages)
    page = body.text_content().lower()
    keys = [key for key in keys if max(key, key=len) in page]  # (a quick look before the walk)
    if not keys:
        return None
    # The page's visible text in order up to the extracted text's first line, as segments
    # (an element's own text, or a tail: then no element of its own), each with its words
    # and the offset of its first word.
    segments, flat, start = [], [], None
    for el, piece, owner in _pieces(body):
        tokens = words(piece)
        if not tokens:
            continue
        segments.append((len(flat), el, piece, owner))
        flat.extend(tokens)
        found = _find(flat[-(len(tokens) + len(first)):], first)
        if found is not None:
            start = len(flat) - min(len(flat), len(tokens) + len(first)) + found
            break
    if start is None:
        return None
    # A page that sets its story in an <article> or <main> holds the opening there too (a
    # site's tagline in the header can repeat its description).
    holder = segments[-1][3]  # the element holding the extracted text's first line
    story = holder if holder.tag in ("article", "main") else next(holder.iterancestors("article", "main"), None)
    for key in keys:
        at = _find(flat[:start], key)
        if at is None:
            continue
        # The paragraph: the element whose text starts there, else the bare text run.
        seg = next(seg for seg in reversed(segments) if seg[0] <= at)
        el, piece, owner = seg[1], seg[2], seg[3]
        if story is not None and owner is not story and story not in owner.iterancestors():
            continue
        block = el if el is not None and seg[0] == at and words(el.text_content())[:len(key)] == key else None
        opening = " ".join((block.text_content() if block is not None else piece).split())
        n = len(words(opening))
        if n < OPENING_KEY_WORDS or n > OPENING_MAX_WORDS or start - (at + n) > OPENING_GAP_WORDS \
                or at + n > start or " ".join(words(opening)[:OPENING_KEY_WORDS]) in have:
            continue
        return opening
    return None


# A standfirst's marks: a lead paragraph styled apart from the body ("lead", "teaser-text",
# "intro-text", "article-teaser", "standfirst", "dek"), which extraction often drops as a promo.
_STANDFIRST = re.compile(r"(?:^|[\s_-])(?:lead|teaser|intro|standfirst|dek|deck|subtitle|subheadline|abstract|"
                         r"excerpt|chapo|chapeau|hook)"
                         r"(?:$|[\s_-])", re.I)


_NOT_STANDFIRST = {"a", "nav", "aside", "figure", "figcaption", "script", "style", "button", "form", "li", "ul",
                   "ol", "header", "footer", "noscript", "template", "img", "picture", "time"}


STANDFIRST_LOOK = 60  # elements after the headline where a standfirst stands


STANDFIRST_SAID = 0.6  # share of a lead's word triples in the text that makes it said there already


def lost_standfirst(tree, text: str) -> str | None:
    """The standfirst extraction dropped where the page's description does not give it: an
    element marked as a lead (its class or id), among the first after the page's <h1> and
    before the extracted text's first line, of an opening's length, not already in the text,
    and not a list of links (teasers of other stories)."""
    body = tree.find(".//body")
    h1 = body.find(".//h1") if body is not None else None
    if h1 is None and body is not None:
        # a page with no <h1> (a CMS's news view sets the headline in an <h2> or <h3>)
        h1 = next((h for h in body.iter("h2", "h3") if len(words(h.text_content())) >= 3), None)
    if h1 is None or not text:
        return None
    first = " ".join(words(text.split("\n", 1)[0])[:OPENING_KEY_WORDS])
    if len(first.split()) < 4:
        return None
    have = " ".join(words(text))
    opener = first.split(" ", 1)[0]  # (a quick look for the first word before reading an element's words)
    for i, el in enumerate(_following(h1)):
        if i >= STANDFIRST_LOOK:
            break
        if el.text and opener in el.text.lower() and first in " ".join(words(el.text)) \
                and " ".join(words(el.text_content())) in have:
            break  # the story's text itself: no standfirst before it
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag in _NOT_STANDFIRST or not _STANDFIRST.search(marks) or skipped(el):
            continue
        own = " ".join(el.text_content().split())
        tokens = words(own)
        if not OPENING_KEY_WORDS <= len(tokens) <= OPENING_MAX_WORDS or " ".join(tokens) in have \
                or containment(own, text, shingle=3) >= STANDFIRST_SAID:
            continue  # (a lead whose first sentence the story's first paragraph repeats still counts)
        if _mostly_links(el, tokens):
            continue
        return own
    return None


# The story's main points as a list under a label, set between the headline and the story
# ("Story highlights", "Key points", "Das Wichtigste in Kürze"): the outlet's own summary of
# this story, which extraction drops as a list outside the article's paragraphs. (A label
# over a list of links is a box of other stories or a menu: "Highlights", "Auf einen Blick".)
_HIGHLIGHTS_WORDS = (r"(?:story highlights|highlights|key points|key facts|at a glance|the gist|"
                     r"das wichtigste(?: in kürze)?|auf einen blick|l'essentiel|lo más importante)")


_HIGHLIGHTS_LABEL = re.compile(rf"\s*{_HIGHLIGHTS_WORDS}\s*:?\s*", re.I)


_HIGHLIGHTS_IN_PAGE = re.compile(rf">\s*{_HIGHLIGHTS_WORDS}\s*:?\s*<", re.I)  # (a look at the markup first)


HIGHLIGHTS_MAX_ITEMS = 6


HIGHLIGHT_MAX_WORDS = 40


def lost_highlights(tree, html: str, text: str) -> list[str]:
    """The items of a labelled list of the story's main points that the text lacks: the
    list that follows an element holding only the label (or follows the label's parent),
    or, where the label is the list's own first item (<ul><li>Story Highlights</li><li>...
    </li><li><a>Next Article in U.S. »</a></li></ul>), the items after it up to the first
    that is mostly links (the list's own furniture). 2 to ``HIGHLIGHTS_MAX_ITEMS`` items of
    at most ``HIGHLIGHT_MAX_WORDS`` words, none of them mostly links, none already in the
    text, outside the furniture extraction skips."""
    if not text or not _HIGHLIGHTS_IN_PAGE.search(html):
        return []
    have = " ".join(words(text))
    for label in tree.iter():
        if not isinstance(label.tag, str) or len(label) or not label.text \
                or not _HIGHLIGHTS_LABEL.fullmatch(label.text):
            continue
        if label.tag == "li":
            points = label.getparent()
            items = [(li, words(li.text_content())) for li in label.itersiblings("li")]
            items = list(itertools.takewhile(lambda item: item[1] and not _mostly_links(*item), items))
        else:
            points = label.getnext()
            if points is None and label.getparent() is not None:
                points = label.getparent().getnext()
            items = [(li, words(li.text_content())) for li in points.findall("li")] if points is not None else []
        if points is None or points.tag not in ("ul", "ol") or not 2 <= len(items) <= HIGHLIGHTS_MAX_ITEMS \
                or any(not 0 < len(t) <= HIGHLIGHT_MAX_WORDS or " ".join(t) in have or _mostly_links(li, t)
                       for li, t in items) \
                or any(skipped(el) for el in itertools.chain([points], points.iterancestors())):
            continue
        return [" ".join(li.text_content().split()) for li, _t in items]
    return []


DEK_MIN_WORDS = 6


HEADLINE_SHARE = 0.6  # of the <h1>'s words a part of the declared title holds, and of that part's the <h1> holds


HEADLINE_MIN_WORDS = 4


# A date, a time, comments or a byline's opening: the headline's meta line, not a dek.
_META_LINE = re.compile(r"\b\d{1,2}[:.]\d\d\b|\b(?:19|20)\d\d\b|\bcomments?\b|"
                        r"^(?:posted|written|published|updated|by)\b", re.I)


_DEK_TAGS = {"h2", "h3", "h4", "h5", "h6", "p", "div"}


_DEK_BLOCKS = ("p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "figure")


def lost_dek(tree, text: str, declared: str) -> str | None:
    """The standfirst set unmarked under the headline: an <h2> or <h3> after the <h1>, or a
    bare <p> or <div> (lost_standfirst finds only one whose class or id names it). It is the
    first element with text after the <h1>, its sibling, of DEK_MIN_WORDS to
    OPENING_MAX_WORDS words, not links, not a byline's or a date's line, not the headline
    again, not already said; and the <h1> is the story's headline, as the declared title
    says it (a blog's <h1> is often its name and the line under it the blog's tagline)."""
    body = tree.find(".//body")
    h1 = body.find(".//h1") if body is not None else None
    if h1 is None or not text or not _states_the_title(h1, declared):
        return None
    first = " ".join(words(text.split("\n", 1)[0])[:OPENING_KEY_WORDS])
    if len(first.split()) < 4:
        return None
    for i, el in enumerate(_following(h1)):
        if i >= STANDFIRST_LOOK or el.tag == "h1":
            return None
        if el.tag in ("script", "style", "noscript", "template") or not (own := " ".join(el.text_content().split())):
            continue  # (an image, a spacer)
        if next(el.iterdescendants(*_DEK_BLOCKS), None) is not None:
            continue  # a box: its first leaf decides
        if next(el.iterdescendants("script", "style", "noscript"), None) is not None:
            return None
        tokens = words(own)
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag not in _DEK_TAGS or el.getparent() is not h1.getparent() or _META_LINE.search(own) \
                or skipped(el) or BYLINE_CLASS.search(marks) or DATE_CLASS.search(marks) \
                or BY_START.match(own) or _mostly_links(el, tokens) \
                or not DEK_MIN_WORDS <= len(tokens) <= OPENING_MAX_WORDS:
            return None
        if len(set(words(h1.text_content())) & set(tokens)) >= HEADLINE_SHARE * len(set(tokens)):
            return None  # the headline again (a second title, a kicker and the title)
        have = " ".join(words(text))
        if " ".join(tokens[:OPENING_KEY_WORDS]) in have or first in " ".join(tokens) \
                or containment(own, text, shingle=3) >= STANDFIRST_SAID:
            return None  # the story's own text, or said in it
        return own
    return None


def _states_the_title(h1, declared: str) -> bool:
    """Whether the <h1> is the story's headline: HEADLINE_MIN_WORDS words or more, most of
    them a part of the ``declared`` title's (og:title, else the <title>, split at its
    separators), and most of that part's its."""
    mine = set(words(h1.text_content()))
    if len(mine) < HEADLINE_MIN_WORDS:
        return False  # (a site's name)
    declared = " ".join((declared or "").split())
    for part in TITLE_SEPARATOR.split(declared) if declared else []:
        theirs = set(words(part))
        common = len(mine & theirs)
        if theirs and common >= HEADLINE_SHARE * len(mine) and common >= HEADLINE_SHARE * len(theirs):
            return True
    return False


CONTINUED_LEVELS = 7  # ancestors of the story's last paragraph looked at for its continuation


CONTINUED_MIN_WORDS = 10  # a paragraph of a continuation block: prose, not a label


CONTINUED_MAX_SHARE = 3  # a continuation longer than this many times the story is another page part


_PROSE_TAGS = ("p", "h2", "h3", "h4", "li", "blockquote")


CONTINUED_KEY_CHARS = 30


def continued(tree, text: str) -> list[str]:
    """The story's paragraphs that extraction left in the blocks after the one it took: a
    CMS that builds a page from blocks ("Richtext_Block", "textmodul", a section each) sets
    one story in several sibling blocks of one kind, and extraction keeps one. Found from
    the element holding the extracted text's last paragraph: an ancestor's following
    siblings of the same tag and class, their prose paragraphs not already in the text. A
    sibling that holds another story (a linked heading, a date, an <article>) or furniture
    (a comment, a menu, an aside) ends the search."""
    last = next((line for line in reversed(text.splitlines()) if len(line.split()) >= 6), None)
    if last is None:
        return []
    key = words(last)[:6]
    # The element whose own text starts as the line does (its first word looked for first:
    # most elements are passed over without reading their words), checked word by word.
    start = " ".join(last.split())[:CONTINUED_KEY_CHARS]
    probe = start.split(" ", 1)[0]
    anchor = next((el for el in tree.iter(*_PROSE_TAGS) if el.text and probe in el.text
                   and " ".join(el.text.split()).startswith(start) and words(el.text_content())[:6] == key), None)
    if anchor is None or not any(up.get("class") for up in anchor.iterancestors()):
        return []
    have = budget = None  # (the text's words: read once a sibling block offers a paragraph)
    found: list[str] = []
    for level, up in enumerate(anchor.iterancestors()):
        if level >= CONTINUED_LEVELS or up.tag in ("body", "html") or skipped(up):
            break
        kind = up.get("class")
        if not kind:
            continue
        for sibling in (block for s in up.itersiblings() for block in _alike_within(s, up)):
            if not _built_alike(sibling, up, anchor):
                continue
            if _another_story(sibling) or skipped(sibling):
                return found
            for el in sibling.iter(*_PROSE_TAGS):
                if any(a.tag in _PROSE_TAGS for a in el.iterancestors()) and el.tag != "li":
                    continue  # (a paragraph inside a quote or list item: read with it)
                line = " ".join(el.text_content().split())
                tokens = words(line)
                if len(tokens) < CONTINUED_MIN_WORDS and el.tag not in ("h2", "h3", "h4"):
                    continue
                if not tokens:
                    continue
                if have is None:
                    have = " ".join(words(text))
                    budget = CONTINUED_MAX_SHARE * len(have.split())
                if " ".join(tokens[:8]) in have or furniture_line(line):
                    continue
                if _mostly_links(el, tokens):
                    continue
                budget -= len(tokens)
                if budget < 0:
                    return []
                found.append(line)
                have += " " + " ".join(tokens)
    # A heading left last is the next block's, whose text was not taken.
    while found and len(words(found[-1])) < CONTINUED_MIN_WORDS:
        found.pop()
    return found


def without_next_stories(tree, text: str) -> str | None:
    """The text without the lines of the stories after the page's own: a page that loads
    the next stories as you scroll sets each in an <article> with its own <h1>, and
    extraction can read on into them. The page's story is the <article> holding the text's
    first line; a line found in another such <article> and not in it goes. None when no
    line does."""
    stories = [a for a in tree.iter("article") if a.find(".//h1") is not None
               and not any(up.tag == "article" for up in a.iterancestors())]
    lines = text.splitlines()
    if len(stories) < 2 or not lines:
        return None
    said = [" ".join(words(a.text_content())) for a in stories]

    def holders(line):
        key = " ".join(words(line)[:8])
        return {i for i, story in enumerate(said) if key and key in story}
    first = next((line for line in lines if len(words(line)) >= 6), None)
    own = holders(first) if first else set()
    if len(own) != 1:
        return None
    kept, dropped = [], 0
    for line in lines:
        found = holders(line)
        if found and not found & own:
            dropped += 1
        else:
            kept.append(line)
    if dropped < NEXT_STORY_LINES:
        return None
    return "\n".join(kept)


NEXT_STORY_LINES = 2  # lines of another story before they are cut (one may be a quote both share)


CAPTION_MAX_WORDS = 40  # a caption longer than this is the story's own paragraph set beside a picture


def without_captions(tree, text: str, marked: list) -> str | None:
    """The text without the lines that are, as a whole, a picture's caption or credit on the
    page (extraction keeps some: a caption set in a <div> or <p> beside the picture, a
    credit line "Foto: ..."). None when no line is, or when too little would be left.
    (Real pages, dev: 5 unwanted snippets of 4 pages gone, none lost.)"""
    keys = _line_keys(text)
    captions = set()
    for el in itertools.chain(tree.iter("figcaption"), marked):  # (those _CAPTION_MARK names)
        if (said := " ".join(words(el.text_content()))) in keys and len(said.split()) <= CAPTION_MAX_WORDS:
            captions.add(said)
        elif el.tag in _INLINE_MARKUP:
            # A credit marked inside the caption's paragraph (<p class="small">Gas masks are
            # handed out ... <span class="credit">(Jim Hollander, EPA)</span></p>): the line is
            # the paragraph, caption and credit.
            holder = next((up for up in el.iterancestors() if up.tag not in _INLINE_MARKUP), None)
            if holder is not None and holder.tag in _CAPTION_HOLDERS \
                    and (said := " ".join(words(holder.text_content()))) in keys \
                    and len(said.split()) <= CAPTION_WITH_CREDIT_WORDS:
                captions.add(said)
    return _without_lines(text, captions)


_INLINE_MARKUP = {"span", "em", "i", "small", "b", "strong", "cite", "font", "a"}


_CAPTION_HOLDERS = {"p", "div", "td", "dd", "li", "figcaption"}


CAPTION_WITH_CREDIT_WORDS = 60


@functools.lru_cache(maxsize=4)
def _line_keys(text: str) -> frozenset[str]:
    """The text's lines as their words, to match an element's text against. (Kept for the
    last few texts: the caption and the box readers ask for the same text's.)"""
    return frozenset(" ".join(words(line)) for line in text.split("\n") if line.strip())


def marked_elements(tree, *patterns) -> list[list]:
    """For each of ``patterns`` (lower case; matching no line break), the elements whose
    class or id it finds, in document order: one search over all their values joined by
    line breaks and lower-cased (a search per element cost a page over a millisecond)."""
    values, owners = [], []
    for el in tree.iter(etree.Element):  # (faster than the XPath of both attributes)
        for value in (el.get("class"), el.get("id")):
            if value is not None:
                values.append(value)
                owners.append(el)
    if not values:
        return [[] for _ in patterns]
    joined = "\n".join(values).lower()
    if len(joined) == sum(map(len, values)) + len(values) - 1:
        ends = list(itertools.accumulate(len(v) + 1 for v in values))
    else:  # (lower case changed a value's length: "İ")
        lowered = [v.lower() for v in values]
        ends = list(itertools.accumulate(len(v) + 1 for v in lowered))
        joined = "\n".join(lowered)
    out = []
    for pattern in patterns:
        found = []
        for m in pattern.finditer(joined):
            el = owners[min(bisect.bisect_right(ends, m.start()), len(values) - 1)]
            if not found or found[-1] is not el:
                found.append(el)
        out.append(found)
    return out


def _without_lines(text: str, gone: set[str]) -> str | None:
    """The text without the lines whose words are one of ``gone``; None when none is, or when
    too little would be left."""
    if not gone:
        return None
    lines = text.split("\n")
    kept = [line for line in lines if not (line.strip() and " ".join(words(line)) in gone)]
    if len(kept) == len(lines) or word_count("\n".join(kept)) < MIN_WORDS:
        return None
    return "\n".join(kept)


BOX_MAX_WORDS = 300  # a box longer than this (or than half the text) holds the story


# Up to this many lines of text, each is looked for in a box's words first, and the box's
# elements are read only when one is there; beyond, the elements are read at once (lines
# times boxes grows with the square of a page's size).
KEYS_SCANNED = 300


_LEAVES = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "dt", "dd", "blockquote")


def without_boxes(tree, text: str, marked: list) -> str | None:
    """The text without the lines that are, as a whole, the text of a furniture box's element
    (or of the box) and said nowhere else on the page (a related list or a table of contents
    names the story's own headings). None when no line is, or when too little would be left."""
    total, keys = word_count(text), _line_keys(text)
    said, boxes = set(), []
    for el in marked:  # (those _FURNITURE_BOX_MARK names)
        inside = words(el.text_content())
        if not inside or len(inside) > BOX_MAX_WORDS or len(inside) > total / 2:
            continue
        boxes.append(el)
        inside = " ".join(inside)
        # (most boxes hold no line of the text: their elements' words are read only when one
        # might; a line of no words, "- ", is in every box, as an empty element's)
        if len(keys) <= KEYS_SCANNED and not any(key in inside for key in keys):
            continue
        lines = (" ".join(words(inner.text_content())) for inner in el.iter() if isinstance(inner.tag, str))
        said.update(line for line in lines if line in keys and line in inside)
    if said:  # (rare: the page's other paragraphs are read only then)
        boxed = {inner for el in boxes for inner in el.iter() if isinstance(inner.tag, str)}
        for el in tree.iter(*_LEAVES):
            if el not in boxed:
                said.discard(" ".join(words(el.text_content())))
    return _without_lines(text, said)


# "LOOKING AHEAD: <a>NASA has a positive message</a>", "Explore further: <a>...</a>", "Lesetipp:
# <a>...</a>": a short label, a colon and one link's headline (another story of the site).
_LABELLED_LINE = re.compile(r"^\s*([^:.!?\n]{2,40}):\s*(\S.*)$")


LINK_PROMPT_LABEL_WORDS = 4


LINK_PROMPT_MIN_WORDS = 3


def without_link_prompts(tree, text: str, url: str | None) -> str | None:
    """The text without the lines that are a short label and a link to another page of the
    site, the paragraph holding nothing else: a prompt to read another story, in any
    language. (Not an item of a list, whose entries are the list's own; not a label with a
    figure: "Update 3:" opens the story's own news.) None when no line is."""
    prompts = {}
    for line in text.split("\n"):
        if line.lstrip().startswith(("-", "\u2022", "|")) or not (m := _LABELLED_LINE.match(line.strip())):
            continue
        if len(m.group(1).split()) <= LINK_PROMPT_LABEL_WORDS and not re.search(r"\d", m.group(1)) \
                and len(m.group(2).split()) >= LINK_PROMPT_MIN_WORDS:
            prompts[" ".join(words(m.group(2)))] = " ".join(words(line))
    if not prompts:
        return None
    own = url_parts(url or "")
    if own is None:
        return None
    gone = set()
    # (a link's words are read only when its text holds a prompt's first word)
    firsts = {rest.split(" ", 1)[0] for rest in prompts if rest}
    for a in tree.iter("a"):
        shown = a.text_content().lower()
        if not any(first in shown for first in firsts):
            continue
        if (said := " ".join(words(shown))) not in prompts or not _links_within(a.get("href") or "", own):
            continue
        holder = next((up for up in a.iterancestors() if up.tag not in _INLINE_MARKUP), None)
        if holder is not None and " ".join(words(holder.text_content())) == prompts[said]:
            gone.add(prompts[said])
    return _without_lines(text, gone)


def _links_within(href: str, own) -> bool:
    """Whether a link leads to another page of the site of the page whose address is ``own``
    (split)."""
    target = url_parts(href.strip(), base=urlunsplit(own))
    return target is not None and bool(target.path.strip("/")) and site_of(target.netloc) == site_of(own.netloc)


_NOT_INLINE = ("p", "div", "section", "article", "aside", "ul", "ol", "table", "figure", "h1", "h2", "h3", "h4", "h5",
               "h6", "blockquote", "header", "footer", "nav", "form", "script", "style", "iframe", "video", "button",
               "input", "dl", "pre", "hr")  # in a paragraph: not text and inline markup


CLASS_OPENING_CHARS = 24  # of a line's opening, as plain lower-case text, to find its paragraph by


def _opening(text: str) -> str:
    return " ".join(text[:CLASS_OPENING_CHARS * 3].split()).lower()[:CLASS_OPENING_CHARS]


CLASS_MIN_PARAGRAPHS = 3  # elements sharing one class before it counts as the story's paragraphs' class


CLASS_NEAR = 3  # levels above a kept paragraph where its class's other paragraphs must meet it


_SENTENCE_END = re.compile(r"[.!?…\"”’»)]$")


def class_paragraphs(tree, text: str) -> str | None:
    """The text with the paragraphs it lacks of a class that marks the story's paragraphs:
    a CMS that writes each paragraph as an element of one class ("zn-body__paragraph") may
    set some as <p> and others as <div>, or one inside a media box, and extraction keeps one
    kind. A class counts when a paragraph kept in the text carries it and at least
    CLASS_MIN_PARAGRAPHS elements of the page do, all within CLASS_NEAR levels of the kept
    one; the others (prose, not links, not in furniture) are put back where they stand in
    the page. None when nothing is missing."""
    lines = text.splitlines()
    # Each line's opening as plain lower-case text, to find the paragraphs that hold a line
    # without reading every paragraph's words (a match is then checked word by word).
    openings = {}
    for i, line in enumerate(lines):
        opening = _opening(line)
        if len(opening) >= CLASS_OPENING_CHARS:
            openings.setdefault(opening, i)
    if not openings:
        return None
    groups: dict[str, list] = {}
    for el in tree.iter("p", "div"):
        kind = el.get("class")
        # A paragraph: text and inline markup, no blocks (a box of blocks shares its class
        # with its like: a grid's columns, a list of teasers). (So no paragraph of a class
        # holds another.)
        if kind and kind.strip() and next(el.iterdescendants(*_NOT_INLINE), None) is None:
            groups.setdefault(kind, []).append(el)
    have, budget = None, 0
    inserts: dict[tuple[str, int], list[str]] = {}
    for kind, members in groups.items():
        if len(members) < CLASS_MIN_PARAGRAPHS:
            continue
        placed = []
        for el in members:
            # (its own leading text, where that is long enough, opens it as its whole text does)
            own = _opening(el.text or "")
            at = openings.get(own if len(own) == CLASS_OPENING_CHARS else _opening(el.text_content()))
            if at is not None:  # (kept: a line of the text is this paragraph, whole)
                mine, theirs = words(el.text_content()), words(lines[at])
                at = at if mine[:6] == theirs[:6] and abs(len(theirs) - len(mine)) <= 0.2 * len(mine) else None
            placed.append(at)
        kept = [el for el, at in zip(members, placed) if at is not None]
        if not kept or len(kept) == len(members):
            continue
        if have is None:
            have = " ".join(words(text))
            budget = CONTINUED_MAX_SHARE * len(have.split())
        # The box the kept paragraphs stand in, a few levels up; the class's other
        # elements count only inside it.
        box = _nth_ancestor(kept[0], CLASS_NEAR - 1)
        if box is None or box.tag in ("body", "html"):
            continue
        last = ("before", next(at for at in placed if at is not None))
        for el, at in zip(members, placed):
            if at is not None:
                last = ("after", at)
                continue
            if box not in el.iterancestors() or _in_furniture(el, box):
                continue
            line = " ".join(el.text_content().split())
            tokens = words(line)
            if len(tokens) < 4 or (len(tokens) < CONTINUED_MIN_WORDS and not _SENTENCE_END.search(line)):
                continue
            if " ".join(tokens[:8]) in have or furniture_line(line) or _mostly_links(el, tokens):
                continue
            budget -= len(tokens)
            if budget < 0:
                return None
            inserts.setdefault(last, []).append(line)
            have += " " + " ".join(tokens)
    if not inserts:
        return None
    out = []
    for i, line in enumerate(lines):
        out.extend(inserts.get(("before", i), []))
        out.append(line)
        out.extend(inserts.get(("after", i), []))
    return "\n".join(out)


# A box set into the story (a fact box floated beside it, an inset): its paragraphs share the
# story's class but tell something else.
_INSET = re.compile(r"box|inset|float|callout", re.I)


def _in_furniture(el, box) -> bool:
    """Whether ``el`` stands in furniture (an aside, a menu, a figure, a related box) below ``box``."""
    for up in el.iterancestors():
        if up is box:
            return False
        if skipped(up) or up.tag in ("figure", "figcaption", "blockquote", "article", "form") \
                or _FURNITURE_BOX.search(marks := f"{up.get('class', '')} {up.get('id', '')}") or _INSET.search(marks):
            return True
    return True


CONTINUED_WRAP = 2  # wrapper levels around a following block of the story's kind


def _alike(el, block) -> bool:
    """One kind of block: the same tag, and the same first class (its name; the rest are
    often layout utilities a CMS varies from block to block: "mt-n35", "no-review") or
    most classes alike."""
    if el.tag != block.tag:
        return False
    mine, theirs = (el.get("class") or "").split(), (block.get("class") or "").split()
    if not mine or not theirs:
        return False
    if 2 * len(set(mine) & set(theirs)) >= len(set(mine) | set(theirs)):
        return True
    # A layout grid's name ("column", "row", "col-md-8") is every region's, not a kind of block.
    return mine[0] == theirs[0] and not _LAYOUT.match(mine[0])


_LAYOUT = re.compile(r"(?:col|column|columns|row|grid|span|container|wrap|wrapper|inner|outer|clearfix|cf|"
                     r"box|block|section|region|layout|pure-u|g|l|u)(?:$|[-_\d])", re.I)


_FURNITURE_BOX = re.compile(r"foot|comment|sidebar|related|recommend|promo|newsletter", re.I)


def _alike_within(sibling, block):
    """``sibling`` if it is a block of ``block``'s kind, else such blocks wrapped in it at
    most CONTINUED_WRAP levels down (a CMS wraps a story's later blocks in a box of its own
    to load them apart: "continued contents")."""
    if not isinstance(sibling.tag, str):
        return
    if _alike(sibling, block):
        yield sibling
        return
    level = [sibling]
    for _ in range(CONTINUED_WRAP):
        level = [child for el in level
                 if not (skipped(el) or _FURNITURE_BOX.search(f"{el.get('class', '')} {el.get('id', '')}"))
                 for child in el if isinstance(child.tag, str)]
        for el in level:
            if _alike(el, block):
                yield el
        level = [el for el in level if not _alike(el, block)]


def _built_alike(sibling, block, anchor) -> bool:
    """Whether ``sibling`` holds a paragraph inside the same nest of elements (tags and
    classes) as ``anchor`` inside ``block``: a block of the same kind built the same way,
    not a box (an author's biography, a "did you know") that shares its class."""
    chain = []
    for up in anchor.iterancestors():
        if up is block:
            break
        chain.append(up)
    for el in sibling.iter(anchor.tag):
        ups = el.iterancestors()
        if all(u.tag == link.tag and (u.get("class") == link.get("class") or _alike(u, link))
               for u, link in zip(ups, chain)) and \
                (next(el.iterancestors(), None) if not chain else _nth_ancestor(el, len(chain))) is sibling:
            return True
    return False


def _nth_ancestor(el, n: int):
    for i, up in enumerate(el.iterancestors()):
        if i == n:
            return up
    return None


def _another_story(el) -> bool:
    """A block that holds another story's teaser or a part of the page that is no story."""
    if COMMENTS.search(f"{el.get('class', '')} {el.get('id', '')}"):
        return True
    return bool(el.xpath(".//article | .//time | .//*[@itemprop='articleBody'] | .//h1 | .//h2[.//a] | .//h3[.//a] "
                         "| .//a[.//h2 or .//h3] | .//form | .//*[contains(@class, 'comment')]"))


def _mostly_links(el, tokens: list[str]) -> bool:
    """Whether more than half of an element's words (``tokens``) are its links' (teasers)."""
    return 2 * sum(len(words(a.text_content())) for a in el.iter("a")) > len(tokens)


def _following(el):
    """The elements after ``el`` in document order (its own descendants apart), one at a time."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from (e for e in sibling.iter() if isinstance(e.tag, str))
        node = node.getparent()


def _pieces(root):
    """(element, its own text, element) and (None, a child's tail, the element) in
    document order, outside scripts, captions, navigation, forms, quotes, list items and
    links. (A stack, not recursion: a malformed page can nest deeper than Python recurses.)"""
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # a tail, due once its element's subtree is done
            yield item
            continue
        if isinstance(item.tag, str) and item.tag not in _NOT_OPENING:
            if item.text:
                yield item, item.text, item
            for child in reversed(item):
                if child.tail:
                    stack.append((None, child.tail, item))
                stack.append(child)


def _find(tokens: list, key: list) -> int | None:
    n = len(key)
    for i in range(len(tokens) - n + 1):
        if tokens[i] == key[0] and tokens[i:i + n] == key:
            return i
    return None


def drop_empty_markers(tree) -> None:
    """Empty inline elements inside paragraphs go, their following text kept. A CMS marks
    places in a paragraph with them (``<p><span id="byLine"></span>Some traders...``);
    extraction drops an element so marked ("byline", "share") with the text after it,
    which is the paragraph's first words."""
    # (the paragraph tested as an ancestor: "//p//span[...]" is quadratic in libxml2 on a page of
    # thousands of paragraphs, seconds a page)
    _drop_empty([el for el in tree.xpath("//span[not(node())][ancestor::p] | //i[not(node())][ancestor::p]"
                                         " | //a[not(node())][not(@href)][ancestor::p]")
                 if el.tail and el.tail.strip()])
    # Precision mode deletes an empty element with the text after it: a paragraph written
    # "<p><strong></strong>The story's first sentence ...", a standfirst after an empty <li/>,
    # the text after a <p> that held only a script. Such an element goes first, its
    # following prose kept (not an icon's <span> or <i> before a button's or a teaser's label).
    # (one walk over these tags costs a third of an XPath union of them)
    _drop_empty([el for el in tree.iter(*_EMPTY_BEFORE_TEXT) if el.text is None and not len(el) and el.tail
                 and len(el.tail.split()) >= EMPTY_TAIL_WORDS])


def _drop_empty(elements: list) -> None:
    """Remove elements that hold nothing (no text, no child), each one's tail joined to the
    text before it, as lxml's ``drop_tag`` does; all the children of one parent in one pass
    (``drop_tag`` one at a time finds each in its parent and copies the text gathered so far
    again: quadratic, minutes for a page of thousands of such elements in one paragraph)."""
    by_parent: dict = {}
    for el in elements:
        if (parent := el.getparent()) is not None:
            by_parent.setdefault(parent, set()).add(el)
    for parent, gone in by_parent.items():
        before, pieces = None, []  # the text the next tail joins: the parent's, or a kept child's tail
        for child in list(parent):
            if child in gone:
                if child.tail:
                    pieces.append(child.tail)
                    child.tail = None
                parent.remove(child)
                continue
            _join_text(parent, before, pieces)
            before, pieces = child, []
        _join_text(parent, before, pieces)


def _join_text(parent, before, pieces: list) -> None:
    if not pieces:
        return
    if before is None:
        parent.text = (parent.text or "") + "".join(pieces)
    else:
        before.tail = (before.tail or "") + "".join(pieces)


_EMPTY_BEFORE_TEXT = ("p", "div", "strong", "b", "em", "li", "dd", "dt", "q", "blockquote", "section", "h2", "h3", "h4",
                      "h5", "h6")


EMPTY_TAIL_WORDS = 5  # words of prose after an empty element, kept


def unmark_body_teasers(tree) -> None:
    """Some CMSs (Arc's "teaser-content") wrap an article's first paragraphs in a block
    classed "teaser", which trafilatura's precision mode drops as a promo. Body paragraphs
    are styled alike: a teaser block of prose paragraphs styled as the page's other long
    paragraphs, with few links, is the article's start: its teaser class goes."""
    styles: dict[str, int] = {}
    for p in tree.iter("p"):
        if p.get("class") and len(p.text_content().split()) >= BODY_PARAGRAPH_WORDS:
            styles[p.get("class")] = styles.get(p.get("class"), 0) + 1
    body_style = max(styles, key=styles.get, default=None)
    if body_style is None or styles[body_style] < 3:
        return
    for block in tree.xpath('//*[contains(translate(@class, "T", "t"), "teaser") '
                            'or contains(translate(@id, "T", "t"), "teaser")]'):
        prose = [p for p in block.iter("p") if p.get("class") == body_style
                 and len(p.text_content().split()) >= BODY_PARAGRAPH_WORDS]
        words_all = len(block.text_content().split())
        linked = sum(len(a.text_content().split()) for a in block.iter("a"))
        if prose and words_all and linked < 0.2 * words_all \
                and sum(len(p.text_content().split()) for p in prose) >= 0.8 * words_all:
            for attr in ("class", "id"):
                if block.get(attr):
                    block.set(attr, re.sub("teaser", "lede", block.get(attr), flags=re.I))
