"""Authors: the persons who wrote an article, as the page publishes them.

Read from the page's declarations (JSON-LD persons, microdata, meta author, Parse.ly) and
from what it prints (bylines near the headline or at the story's end, "By" lines, author
links), then cleaned (``clean_authors``): no roles, handles, outlet, desk or agency names,
"A and B" split, case as published. ``authors`` is what the clean stage asks.
"""

from __future__ import annotations

import functools
import itertools
import json
import re

from lxml import etree

from pipelines.dates import MONTH_PATTERN, VISIBLE_DATES
from pipelines.markup import BLOCKS, DOMAIN_NAME, as_list, marked_as, name_key
from pipelines.text import normalise, words

# Meta names that name the company behind the page.
OWNER_META = {"publisher", "dc.publisher", "copyright", "dc.rights", "rights", "owner"}
# Words that are a byline's decoration, not a person.
_BYLINE_NOISE = re.compile(r"^(?:(?:(?:mehr|more|alle artikel|articles|stories|more stories) (?:von|by|from)|"
                           r"by|from|words by|written by|reporting by|report by|(?:propos )?recueilli(?:e|s|es)? par|"
                           r"von|vom|par|por|door|av|gan)\s+|"
                           r"(?:autor(?:in)?|author|text|texto|著者|作者|文)\s*[:：●]\s*)", re.I)
# A job or a desk given where a name would be.
_ROLES = {"staff", "staff reporter", "reporter", "editor", "editors", "editorial", "newsdesk", "news desk", "newsroom",
          "admin",
          "administrator", "correspondent", "author", "guest", "webmaster"}
_AGENCIES = {"ap", "afp", "dpa", "apa", "reuters", "efe", "ansa", "sda", "kna", "epd", "dts", "jiji", "kyodo", "xinhua",
             "upi", "ips", "wam", "associated press"}
_NOT_PEOPLE = _ROLES | {
               "agencies", "press association", "pa", "publisher",
               "anonymous", "anonym", "anónimo", "anonyme", "unknown", "no author", "guest", "gast", "webmaster",
               "redaktion", "redacción", "rédaction", "redazione", "redação", "redakcja", "redactie",
               *_AGENCIES, "europa press",
               # a link to the author's page labelled for what it lists
               "all posts", "all articles", "view all posts", "more posts", "alle beiträge", "alle artikel",
               "mehr beiträge", "tous les articles", "todos los artículos"}
# Words that make a byline an organisation's, not a person's.
_NOT_PERSON = re.compile(r"\b(?:gmbh|ag|e\.\s?v|eg|kg|gbr|ltd|inc|llc|plc|s\.a$|co kg|team|kitchens|foundation|agency|"
                         r"agencia|agência|agence|polizei|police|policía|polícia|"
                         # a web address's name ("ICI.Radio-Canada.ca")
                         r"[\w-]+\.(?:com|org|net|ca|de|fr|es|it|co|uk|info|ru|br|in)|"
                         r"press|media|magazine|online|news|wires?|ceo|cto|cfo|founder|gründer|chairman|president|"
                         r"präsident|director|direktor)\b|"
                         # German compounds end in these ("Bundestagsfraktion", "Pressestelle")
                         r"(?:verlag|redaktion|webteam|ministerium|verband|fraktion|stiftung|institut|agentur|presse|"
                         r"magazin|nachrichten|zeitung|pressestelle|sekretariat|verein|gesellschaft)\b", re.I)
# A job title set after a name in a byline.
_JOB_TITLE = re.compile(r"\b(?:ceo|cto|cfo|coo|founder|co-founder|chair(?:man|woman)?|president|vice president|vp|"
                        r"director|head of|manager|engineer|officer|professor|partner|analyst|editor|reporter|"
                        r"correspondent|columnist|writer|producer|strategist|consultant|specialist|evangelist)\b", re.I)
# A link's or a button's label beside the byline ("See All Articles", "Update Profile").
_UI_WORDS = {"see", "view", "all", "articles", "posts", "profile", "update", "read", "follow", "subscribe",
             "contact", "email", "bio"}
# Letters after a name that are a degree or a title, not the name ("Jo Ames MD").
_CREDENTIALS = {"md", "phd", "ph.d.", "mba", "mph", "rn", "jd", "dds", "msc", "bsc"}
_PLACES = {"germany", "deutschland", "austria", "österreich", "switzerland", "schweiz", "suisse", "usa",
           "united states", "uk", "united kingdom", "france", "españa", "spain", "italia", "italy"}
_ROLE_WORD = re.compile(r"(?:experte|expertin|redakteur|redakteurin|reporter|reporterin|korrespondent|korrespondentin|"
                        r"autor|autorin|editor|correspondent|columnist|kolumnist|kolumnistin)$", re.I)
# A job title beside the name in a byline ("A. Smith, Senior Legal Analyst").
_ROLE_ENDINGS = (" reporter", " correspondent", " staff", " team", " desk", " writer", " editor", " analyst",
                 " columnist", " contributor", " producer", " marketing", " manager", " officer", " strategist",
                 # (two reporters' shared line: "A and B, Times Staff Writers")
                 " reporters", " correspondents", " writers", " editors", " producers", " contributors")
_WEB_ADDRESS = re.compile(r"\(?\b(?:https?://|www\.)\S+\)?", re.I)
_CREDIT = re.compile(r"^(?:fotos?|photos?|bild(?:er)?|image|picture|grafik|illustration)\b|^©", re.I)
_AFTER_NAME = {"stand", "aktualisiert", "updated"}  # labels after a name, in any case
_SAID_AFTER_NAME = {"said", "says", "schreibt", "sagt"}  # verbs after a name: lower-case ("Said" is a surname)
_NAME_PARTICLES = {"de", "van", "von", "da", "del", "di", "le", "la", "bin", "al", "der", "den", "du"}
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bAND\b|\bund\b|\bet\b|\by\b|&|\||\s/\s|/(?=\s*[A-Z]))\s*")


def a_person(node, nodes: dict) -> bool:
    """A JSON-LD node (or a reference to one) that is a Person; Yoast names a person's node
    ".../#/schema/person/<id>" and may refer to it by a broken id."""
    if isinstance(node, dict) and isinstance(node.get("@id"), str):
        node = nodes.get(node["@id"], node)
    if not isinstance(node, dict):
        return False
    return "person" in {str(t).lower() for t in as_list(node.get("@type"))} or \
        "/schema/person/" in str(node.get("@id") or "")

def authors(ld, meta, tree, library, outlet_names, sites=None, headline: str | None = None):
    """The article's authors and where they were read, best source first: JSON-LD persons,
    microdata, meta author, the visible byline, author links (rel="author", /author/ pages),
    trafilatura's guess. Later sources are looked at only when earlier ones name nobody.
    The company that publishes or holds the copyright is not an author, though CMSs put it
    there ("Copyright (c) Example Media 2022" and author "Example Media"): it is given only
    when no source names anyone else (a one-person site's owner writes its pages). One word
    as the author that the headline names is the headline's subject, not its writer: a
    company's press release credited to the company ("Example Launches ...")."""
    owners = [f" {name_key(v)} " for (a, n), v in meta.items()
              if a == "name" and n.lower() in OWNER_META] + [f" {name_key(ld.get('publisher') or '')} "]
    owned = words = None
    headed = set(re.findall(r"\w+", (headline or "").casefold()))
    text = functools.cache(lambda: _shown_text(tree))  # the page's printed text, read once for both checks
    first_byline = functools.cache(lambda: next(_visible_bylines(tree), None))
    for label, values in (("jsonld", lambda: ld.get("author") or []),
                          ("microdata", lambda: _microdata_authors(tree)),
                          ("meta:author", lambda: _meta_authors(tree)),
                          ("article:author", lambda: [meta.get(("property", "article:author"))]),
                          ("byline", lambda: _named_byline(_visible_bylines(tree), outlet_names, sites)),
                          ("author-link", lambda: _author_links(tree)),
                          ("html", lambda: _as_published(library.author, text))):
        values = [v for v in values() if v and not v.startswith(("http://", "https://"))]
        # Names guessed from page text must look like full names; declared ones are trusted
        # where the page prints them (a person's own site is the exception below: the site says
        # who it is). A byline element may give a blogger's one name ("Von Kathrin"); a guess
        # from text may not.
        # (an author link's text too: a phrase of prose linked to a columnist's page is no name)
        names = clean_authors(values, outlet_names, full_names=label in ("byline", "author-link", "html"),
                              sites=sites, one_word=label in ("byline", "author-link"))
        names = [n for n in names if " " in n or n.casefold() not in headed]
        if names and label in _DECLARED:
            # A declared name the page never prints is a CMS account's or an SEO plugin's
            # default (the site's admin, its owner), not the byline: the next source decides.
            words = words if words is not None else _shown_words(text())
            names = [n for n in names if _printed(n, words)]
        people = [n for n in names if not any(f" {name_key(n)} " in owner for owner in owners)]
        if people and label in _DECLARED:
            fuller = _fuller_byline(people, first_byline(), outlet_names, sites)
            if not fuller and first_byline() is None:  # no byline printed: the author links say the name in full
                links = _author_links(tree)
                fuller = _fuller_byline(people, " and ".join(links), outlet_names, sites) if links else None
            if fuller:
                return fuller, "byline"
        if people:
            return people, label
        if not names and label == "jsonld" and ld.get("personal"):
            # A person's own site, named after them ("Jo Ames" on joames.example): the outlet's
            # name is the author's when the site says a Person publishes it.
            names = clean_authors(values, None, full_names=True)
        if names and not owned:
            owned = names, label  # a one-person site's owner, unless someone else is named
    return owned or ([], None)


_DECLARED = ("jsonld", "microdata", "meta:author", "article:author")


def _named_byline(bylines, outlet_names, sites) -> list[str]:
    """The first byline, or, where it gives a role and no name ("Online News Editor"), the
    next one that names someone. A first byline crediting an agency or an outlet ("AFP")
    is the page's answer: later ones are other stories' (a columnist's box, teasers), unless
    one names a person of that same agency ("CNN.com", then "Kate Sullivan, CNN": a site
    that republishes the agency's copy credits the agency, the copy names its reporter)."""
    bylines = iter(bylines)  # (read one by one: the page is walked only as far as needed)
    for byline in bylines:
        if clean_authors([byline], outlet_names, full_names=True, sites=sites, one_word=True):
            return [byline]
        if not _a_role(byline):
            credit = _credit_words(byline)
            for later in bylines if credit else ():  # (the bylines after it)
                if credit <= _credit_words(later) and \
                        clean_authors([later], outlet_names, full_names=True, sites=sites):
                    return [later]
            return [byline]
    return []


def _credit_words(line: str) -> set[str]:
    """The words that name an agency or an outlet in a credit ("CNN.com": {"cnn"}), read as
    ``headline.site_keys`` reads a declared name that is a web address."""
    line = line.strip()
    if DOMAIN_NAME.match(line):
        line = line.rsplit(".", 1)[0].removeprefix("www.")
    return set(words(line))


def _a_role(line: str) -> bool:
    """A job or a desk given where a name would be: "Online News Editor", "Staff"."""
    text = " ".join(line.lower().split()).strip(" ,.:")
    return text.endswith(_ROLE_ENDINGS) or text in _ROLES


def _shown_text(tree) -> str:
    """What the page prints: its body's text, scripts and styles left out, on one line."""
    body = tree.find("body")
    if body is None:
        return ""
    return " ".join(" ".join(_PRINTED_TEXTS(body)).split())


_PRINTED_TEXTS = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]", smart_strings=False)


class _WordsOf:
    """The words (``\\w+`` runs) of a text, asked about one at a time: each found with
    str.find and its hits checked for word edges (the set of a whole page's words cost more
    to build than the few names asked about)."""

    def __init__(self, line: str):
        self.line = line

    def __contains__(self, word: str) -> bool:
        line, size = self.line, len(word)
        at = line.find(word)
        while at >= 0:
            end = at + size
            if (at == 0 or not _word_char(line[at - 1])) and (end == len(line) or not _word_char(line[end])):
                return True
            at = line.find(word, at + 1)
        return False


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # (what the regex \w matches)


def _shown_words(text: str) -> _WordsOf:
    """The page's printed words (``_shown_text``) folded, asked one at a time (its ``line``:
    the folded text, for ``_printed``'s initials)."""
    return _WordsOf(text.casefold())


def _printed(name: str, shown: _WordsOf) -> bool:
    """Whether the page prints a name: every word of it of two letters or more, in any order
    or case ("Smith, Jo" for "Jo Smith", "JO SMITH"), or with its last or first word cut to
    its initial ("Jo S." or "J. Smith" for "Jo Smith")."""
    words = [w for w in re.findall(r"\w+", name.casefold()) if len(w) >= 2]
    if not words:
        return False
    if all(w in shown for w in words):
        return True
    if len(words) < 2:
        return False
    return re.search(r"\b" + r"\W+".join(map(re.escape, words[:-1])) + r"\W+" + re.escape(words[-1][0]) + r"\.",
                     shown.line) is not None or \
        re.search(r"\b" + re.escape(words[0][0]) + r"\.\s*" + r"\W+".join(map(re.escape, words[1:])) + r"\b",
                  shown.line) is not None


def _fuller_byline(declared: list[str], byline: str | None, outlet_names, sites) -> list[str] | None:
    """The printed byline's names where they say more than the metadata: all the declared
    names and more (a co-writer the CMS has no account for), a declared first name in
    full ("Todd" and "By Todd Brand"), or with its middle initials ("Timothy H.J. Nerozzi")
    or middle name ("Trace William Cowen")."""
    printed = clean_authors([byline], outlet_names, full_names=True, sites=sites) if byline else []
    if len(printed) < len(declared):
        return None
    keys = [name_key(n) for n in printed]
    bare = [" ".join(w for w in k.split() if len(w) > 1) for k in keys]  # "timothy h j nerozzi": "timothy nerozzi"
    # (and "Trace William Cowen" for "Trace Cowen": the first and last names, a middle name between)
    ends = [(k.split()[0], k.split()[-1]) for k in keys if len(k.split()) > 2]
    covered = all(name_key(name) in keys or name_key(name) in bare or
                  (" " not in name and any(k.startswith(name_key(name) + " ") for k in keys)) or
                  (len(name_key(name).split()) == 2 and tuple(name_key(name).split()) in ends)
                  for name in declared)
    return printed if covered and keys != [name_key(n) for n in declared] else None


def _as_published(guess: str | None, text) -> list[str]:
    """trafilatura's guess at the author, spelled as the page prints it (``text``: a call
    giving the page's printed text, made only for a guess). The guess re-spells what it read
    (a handle "Jo_Ames" as "Jo Ames", a lower-case name title-cased) or takes it from the
    page's code; a name the page does not print is nobody's byline."""
    shown = text() if guess else ""
    if not shown:
        return []
    names = []
    for name in guess.split(";"):
        printed = re.search(r"\s+".join(map(re.escape, name.split())), shown, re.I) if name.strip() else None
        if printed:
            names.append(printed.group())
    return names


# Meta names for the author, best first: the common one, analytics and Dublin Core ones, the
# scholarly one (one meta per author).
AUTHOR_META = ("author", "parsely-author", "sailthru.author", "cxenseparse:author", "dc.creator", "dcterms.creator",
               "dc.author", "article_author", "og:author", "citation_author")


def _meta_authors(tree) -> list[str]:
    """The names in the page's author metas: every meta of the best name present, in order,
    whatever the case of its name and whether it is set as name= or property=."""
    found: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or "").strip().lower()
        content = el.get("content") if el.get("content") is not None else el.get("value")
        if key in AUTHOR_META and content and content.strip():
            found.setdefault(key, []).append(content.strip())
    named = next((found[key] for key in AUTHOR_META if key in found), [])
    return named or _parsely_authors(tree)


def _parsely_authors(tree) -> list[str]:
    """The authors in Parse.ly's page metadata, a JSON object in one meta
    (``parsely-page``) that news CMSs fill when they set no author meta of their own."""
    for el in tree.xpath("//meta[@name='parsely-page' or @name='parsely-metadata']"):
        try:
            data = json.loads(el.get("content") or el.get("value") or "")
        except ValueError:
            continue
        if isinstance(data, dict):
            value = data.get("authors") or data.get("author")
            return [v for v in as_list(value) if isinstance(v, str)]
    return []


_ARTICLE_ITEMTYPE = re.compile(r"schema\.org/(?:\w*Article|BlogPosting|Report)\b", re.I)


def _microdata_authors(tree) -> list[str]:
    """The itemprop="author" of the page's article in microdata (the first itemscope typed
    as an article; authors of the related stories inside it have scopes of their own): the
    author's itemprop="name" (text or content), else the author element's text."""
    scope = next((el for el in tree.xpath("//*[@itemscope][@itemtype]")
                  if _ARTICLE_ITEMTYPE.search(el.get("itemtype"))), None)
    if scope is None:
        return []
    names = []
    for el in scope.xpath('.//*[@itemprop="author"]'):
        owner = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
        if owner is not scope:
            continue
        if el.tag == "meta":
            names.append(el.get("content") or "")
            continue
        # One author element may hold several names ("A" "B"), each its own itemprop="name";
        # a name inside a scope of its own (the author's employer) is not the author's.
        named = [n for n in el.xpath('.//*[@itemprop="name"]')
                 if next((a for a in n.iterancestors() if a.get("itemscope") is not None), None) in (el, owner)]
        if named:
            names.extend(n.get("content") or n.text_content() for n in named)
        elif len(el.text_content().split()) <= 6:
            names.append(el.text_content())
    return [" ".join(n.split()) for n in names if n and n.strip()]


# (an author's page by its number too: ?author=12, author.php?, /experts/444)
_AUTHOR_PATH = re.compile(r"(?:[?&](?:id_?)?author(?:_?id)?=|(?:^|/)author\.php\d?\?|/experts?/\d)|"
                          r"/(?:authors?|autor(?:en|in)?|auteurs?|autore|autori|journalist(?:en)?|profiles?|editors|writers|"
                          r"people|newsteam|redakteur(?:e|in)?|staff|contributors?|columnists?|reporters?)/[^/?#]+", re.I)


_MENU = re.compile(r"\bmenu")


def _author_links(tree) -> list[str]:
    """Names linked as the author (rel="author", or a link to an /author/ page set in a
    short byline), from the first such link and those beside it in the same byline."""
    links = []
    for a in tree.iter("a"):
        rel = "author" in (a.get("rel") or "").split()
        href = a.get("href") or ""
        if not rel and (not _AUTHOR_PATH.search(href) or _ABOUT_LINK.match(a.text_content())):
            continue  # ("About us" to /about-us/profile/: the site's own page)
        byline = next((el for el in a.iterancestors() if el.tag in BLOCKS), None)
        count = len(a.text_content().split())
        declared = rel or re.search(r"\b(?:fn|author|autor|auteur)\b", a.get("class") or "", re.I)
        if not 1 <= count <= 5 or (count == 1 and not declared) or byline is None or \
                (not rel and len(byline.text_content().split()) > 25):
            continue  # a name linked in a paragraph of prose is someone the story is about
        if any(el.tag == "nav" or _MENU.search(f"{el.get('class', '')} {el.get('id', '')}")
               for el in itertools.islice(a.iterancestors(), 3)):
            continue  # an entry of a menu of the site's columnists (not a page-wide wrapper's "nav")
        links.append((a, byline))
    if not links:
        return []
    first = links[0][1]
    # Names set each in its own block ("By" <li>A</li> <li>, B</li> <li>and C</li>) are one
    # byline: the blocks around them say nothing but the names, "By", commas and "and".
    group, inside = first, []
    for el in first.iterancestors():  # the smallest block holding another name's link
        if len(el.text_content().split()) > BYLINE_MAX_WORDS:
            break
        inside = [(a, byline) for a, byline in links if any(up is el for up in a.iterancestors())]
        if len(inside) > 1:
            group = el
            break
    rest = " ".join(group.text_content().split())
    for a, _byline in inside:
        rest = rest.replace(" ".join(a.text_content().split()), " ", 1)
    if group is first or not set(re.findall(r"\w+", rest.lower())) <= _BYLINE_GLUE:
        inside = [(a, byline) for a, byline in links if byline is first]
    return [_as_shown(" ".join(a.text_content().split()), a.get("href") or "") for a, _byline in inside]


BYLINE_MAX_WORDS = 25
_BYLINE_GLUE = {"by", "and", "von", "und", "par", "et", "por", "y", "door", "en", "di", "e"}
_ABOUT_LINK = re.compile(r"\s*(?:about|über|à propos|acerca|chi siamo|quiénes somos)\b", re.I)


def _capitalised(text: str) -> str:
    """Names written in lower case as a style sheet's ``capitalize`` shows them; the words
    that join names ("and") stay as they are."""
    return " ".join(w if w in _CONNECTORS else w[:1].upper() + w[1:] for w in text.split())


def _as_shown(name: str, href: str) -> str:
    """A name written in lower case whose link's address spells it ("anne flaherty" to
    /author/anne_flaherty) is shown capitalised by the page's style sheet: so written."""
    slug = re.sub(r"[\W_]+", " ", href.rstrip("/").rsplit("/", 1)[-1]).strip().lower()
    if name.islower() and " " in name and slug == name.lower():  # (one word in lower case is a handle)
        return _capitalised(name)
    return name


BYLINE_CLASS = re.compile(r"byline|author|autor|auteur|submitted|posted|contributor|credit|firma", re.I)
_DATE_START = re.compile(rf"\s(?:(?:{MONTH_PATTERN})\.?\s+\d|\d)", re.I)
DATE_CLASS = re.compile(r"date|time|publi|byline|dateline|datum|fecha|data|posted|submitted|meta", re.I)
# "A column by", "Ein Interview von": a byline that says what kind of piece it is.
_GENRE_BY = (r"(?:an?|eine?) (?:column|comment|commentary|interview|essay|analysis|guest post|review|kolumne|kommentar|"
             r"gastbeitrag|analyse|reportage|rezension|glosse) (?:by|von)")
# "Author: A B", "Auteur : A B": a label that says the name is the author's.
_AUTHOR_WORDS = r"(?:author|autor|autorin|auteur|autore|autora|автор|авторка|автори|авторы)"
_AUTHOR_LABEL = rf"{_AUTHOR_WORDS}\s?:"
# The reporter's line of Chinese, Korean and Japanese news: "〔記者王小明／台北報導〕", "홍길동 기자 |",
# "【ロンドン＝山田太郎】" (the dateline's place, then the reporter).
_REPORTER_LINE = re.compile(r"^\s*[〔【\[(（]?\s*(?:記者|记者)\s*([\u4e00-\u9fff]{2,4})\s*[／/]|"
                            r"^\s*([\uac00-\ud7a3]{2,4})\s?기자(?=\s|$|[|/·=])|"
                            r"^\s*【[^＝=】]{1,12}[＝=]([\u4e00-\u9fff]{2,5})】")
_BYLINE_TEXT = re.compile(
    r"^(?:(?:article|guide|feature|review|story)(?: \|)? by|by|"
    r"(?:posted|written|words|reporting|interview|interviewed|analysis|story|text|words and pictures)"
    r" by|words:|text:|von|vom|par|por|di|door|av|gan|texto:|(?:veröffentlicht|geschrieben|verfasst|erstellt|(?:blog[- ]?)?beitrag) von|"
    rf"(?:publié|publicado|pubblicato|escrito|scritto) (?:par|por|da|di)|{_GENRE_BY}|{_AUTHOR_LABEL})\s+(.+?)"
    r"(?:\s+(?:on|at|in|for|updated|published|am|um|le|el|il)\b.*|\s*[|\u2022\u00b7]\s.*|\s+-\s.*)?$", re.I)
# A line that is nothing but "By Jane Smith" (at most four words of name) is a byline
# wherever it is.
BY_START = re.compile(r"(?:by|von|par|por|door)\b", re.I)
_SHORT_BYLINE = re.compile(r"^(?:by|von|par|por|door)\s+(?:\S+\s+){1,3}\S+"
                           r"(?:\s+(?:and|und|et|y|en|&)\s+(?:\S+\s+){1,3}\S+)?"
                           # the outlet or the role after a comma ("By A B, for CBC News", "By A B, CNN")
                           r"(?:\s*,\s*(?:for\s+)?(?-i:[A-Z])\S*(?:\s+\S+){0,3})?$", re.I)


_DATE_TO_BYLINE = re.compile(r"^[\s\-|\u2022\u00b7,]+")


def _after_leading_date(line: str) -> str | None:
    """What follows a date printed before the byline on its line ("March 15, 2017 by A B":
    "by A B"), the date read as the page's other printed dates are; None for any other line."""
    for pattern in VISIBLE_DATES:
        if found := pattern.match(line):
            rest = _DATE_TO_BYLINE.sub("", line[found.end():])
            return rest if re.match(r"by\s", rest, re.I) else None
    return None
# A line that says it is a byline wherever it is: "Posted by ...", "Veröffentlicht von ...".
_TOLD_BYLINE = re.compile(r"^(?:article by|(?:posted|written|published|veröffentlicht|geschrieben|verfasst|"
                          r"(?:blog[- ]?)?beitrag|publié|"
                          rf"publicado|pubblicato|escrito|scritto) (?:by|von|par|por|da|di)|{_GENRE_BY}|{_AUTHOR_LABEL})\s", re.I)


_INLINE = {"em", "strong", "b", "a"}
LABEL_TAGS = {"strong", "b", "span", "label", "dt", "em"}
# ... and alone in an element of its own, the colon optional ("<strong>Author</strong> A B").
_AUTHOR_WORD = re.compile(rf"(?:{_AUTHOR_WORDS}|authors|autoren|auteurs|autori)\s?:?", re.I)


def _visible_bylines(tree):
    """The "By Jane Smith" or "Posted by ... on ..." lines of a page, in the order printed:
    in an element marked as the byline, or a short line that says so ("Veröffentlicht von").
    Of nested byline elements the innermost that gives a name is read: a wrapper also holds
    the reporter's job title ("By A. Smith" above "Home affairs reporter").
    Given one by one, the page read only as far as each needs (most callers stop at the
    first): an element is settled by reading what is inside it."""
    for el, name in _bylines_found(tree):
        if next(_bylines_found(el, inside=True), None) is None:
            yield name


_BYLINE_TAGS = ("div", "p", "span", "address", "li", "small", "footer", "header", "byline",
                "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "a")


def _bylines_found(tree, inside: bool = False):
    """Every element that gives a byline, with the name, in the page's order (nested ones too);
    ``inside``: of the elements inside ``tree``, an element of the page."""
    for el in tree.iterdescendants(*_BYLINE_TAGS) if inside else tree.iter(*_BYLINE_TAGS):
        # (each el.tag, el.text or el.get builds a new Python object: read once, on every element)
        tag, text = el.tag, el.text
        cls, id_, prop = el.get("class"), el.get("id"), el.get("itemprop")
        marked = tag == "byline" or ((cls is not None or id_ is not None or prop is not None)
                                     and marked_as(BYLINE_CLASS, cls, id_, prop))
        if tag == "a" and not marked:
            continue  # a link is a byline only when marked as one ("By" and the name in one author link)
        # (the whole text is read only when the first piece starts as a byline: that is cheap)
        short_by, line = False, None
        if not marked:
            # (an emphasis is read by its own text: its paragraph reads what it holds)
            if text and text.strip() or tag in _INLINE:
                first = text
            elif len(el) and isinstance((lead := el[0]).tag, str) and (lead_text := lead.text) and lead_text.strip():
                first = lead_text  # (the first text in the element is most often its first child's)
            else:
                first = next((t for t in el.itertext() if t.strip()), "")
            first = first or ""
            reporter = not first.isascii() and _REPORTER_LINE.match(first)  # (its lines are CJK)
            if reporter and not _elsewhere(el):
                yield el, next(g for g in reporter.groups() if g)
                continue
            # (the dates' patterns asked only of a line that says "by": they are long)
            dated = (" by " in first or " By " in first) and _after_leading_date(first.lstrip())
            if (dated or BY_START.match(first.lstrip())) and not _one_link(el):
                # A paragraph may open with the byline and go on after a line break.
                line = _first_line(el)
                if dated:  # (the date before it is the date's; the byline is what follows)
                    joined = " ".join(" ".join(line).split())
                    line = [_after_leading_date(joined) or joined]
                short_by = _SHORT_BYLINE.match(" ".join(" ".join(line).split()))
            if not short_by and not (text or "").strip() and len(el) and el[0].tag in LABEL_TAGS \
                    and _AUTHOR_WORD.fullmatch(" ".join((el[0].text_content() or "").split())):
                # A field labelled by an element of its own: <li><strong>Author</strong> A B</li>.
                rest = " ".join(el.text_content().split())[len(" ".join(el[0].text_content().split())):]
                name = re.sub(r"\s*\([^)]*\)$", "", rest.strip(" :"))  # ("A B (Moscow)", "A B (ss)": place, editor)
                if 2 <= len(name.split()) <= 5 and not _elsewhere(el):
                    yield el, name
                continue
            if not short_by and not _TOLD_BYLINE.match((text or "").strip() + " "):
                continue  # only a line that says it is a byline is read outside a byline element
        if _elsewhere(el):
            continue
        name = _byline_in(el, marked or short_by, line if short_by else None)
        if short_by and name and len(name.split()) < 2:
            continue  # "Von Angst": a line on its own needs a full name
        if name and marked and name.islower() and len(name.split()) >= 2:
            name = _capitalised(name)  # ("By ahmed al-haj and noha elhennawy": the style sheet capitalises)
        if name:
            yield el, name


# Parts of a page around the article: their bylines are other people's (a reader's comment,
# a teaser's author, a photo's credit).
_ELSEWHERE_TAGS = {"aside", "nav", "figure", "figcaption", "a"}
# A class or id that starts with one of these words ("comment-list", "sidebar", "related-posts");
# not one with it inside ("content-sidebar-wrap" is the page's layout).
_ELSEWHERE_CLASS = re.compile(r"(?:^|\s)(?:comments?|leserbrief\w*|kommentare?|replies|reply|respond|sidebar|"
                              r"related|teasers?|widget|recommended|more-stories|license|caption|gallery|slideshow|"
                              r"slides)(?:$|[\s_-])", re.I)


# The article's own text, as CMSs mark it.
_ARTICLE_BODY = ('.//*[@itemprop="articleBody" or contains(concat(" ", @class, " "), " post-body ") or '
                 'contains(concat(" ", @class, " "), " entry-content ") or '
                 'contains(concat(" ", @class, " "), " article-body ")]')


def _elsewhere(el) -> bool:
    """An element in the furniture around the article, not in the article itself. A box
    named as furniture that holds the article's own text (marked as such, or most of the
    page's paragraphs) is the page's layout (Blogger sets its posts in a "widget Blog", a
    Swiss weekly its article in a "teaser-body")."""
    for a in el.iterancestors():
        if a.tag in ("body", "html"):
            return False  # the body's classes describe the whole page
        if a.tag in _ELSEWHERE_TAGS:
            return True
        if _ELSEWHERE_CLASS.search(f"{a.get('class', '')} {a.get('id', '')}") and not a.xpath(_ARTICLE_BODY) \
                and not _holds_most_paragraphs(a):
            return True
    return False


def _holds_most_paragraphs(box) -> bool:
    """Whether a box holds most of its page's paragraph text: the article, whatever the box
    is called."""
    def words_in(root) -> int:
        return sum(len(p.text_content().split()) for p in root.iter("p"))
    inside = words_in(box)
    return inside >= 100 and inside * 2 > words_in(box.getroottree().getroot())


_CONNECTORS = {"and", "und", "&", ",", "y", "et", "e", "en", "och", "og", "i"}
_BY_WORDS = re.compile(r"^(?:by|von|vom|par|por|di|door|av|gan|texto:|text:|words:|"
                       r"(?:posted|written|words|reporting|published|veröffentlicht|geschrieben|verfasst|publié|"
                       r"publicado|pubblicato|escrito|scritto) (?:by|von|par|por|da|di)|"
                       rf"{_GENRE_BY}|{_AUTHOR_LABEL})$", re.I)


def _one_link(el) -> bool:
    """An element whose text is all one link's: a menu's or a list's entry ("By Position")."""
    links = el.findall(".//a")
    return len(links) == 1 and " ".join(links[0].text_content().split()) == " ".join(el.text_content().split())


def _first_line(el) -> list[str]:
    """The pieces of an element's text up to its first line break."""
    pieces = [el.text or ""]
    for child in el:
        if child.tag == "br":
            break
        pieces.extend(child.itertext())
        pieces.append(child.tail or "")
    return pieces


def _byline_in(el, marked, pieces: list[str] | None = None) -> str | None:
    """The name(s) in a byline element. Its parts in their own elements ("By", "<a>Jane
    Smith</a>", "Staff writer", "Dec 19") are kept apart, so that the name ends where its
    element does; "and" between two names joins them."""
    chunks = [" ".join(t.split()) for t in (pieces if pieces is not None else el.itertext())]
    chunks = [c for c in chunks if c]
    if not chunks or sum(len(c.split()) for c in chunks) > 20:
        return None
    merged: list[str] = []
    for c in chunks:
        if merged and (c.lower() in _CONNECTORS or merged[-1].lower() in _CONNECTORS or
                       merged[-1].lower().split(" ")[-1] in _CONNECTORS or _BY_WORDS.match(merged[-1])
                       or c[:1] in ",&"):
            merged[-1] += " " + c
        else:
            merged.append(c)
    text = " | ".join(merged)
    match = _BYLINE_TEXT.match(text)
    if match and (marked or _TOLD_BYLINE.match(text)):
        # "By A and B February 6, 2024 at 8:05": the names end where a date begins.
        return _DATE_START.split(match.group(1))[0].strip(" ,|-")
    if marked and el.get("class") and (_AUTHOR_NAME.search(el.get("class")) or
                                       (len(merged) == 1 and _AUTHOR_BOX.search(el.get("class")))):
        # A name alone in an author element, or before the date line's separator
        # ("A B | Published 3 hours ago"), or before its outlet ("A B, USA TODAY": the
        # names are sorted from the outlet later).
        name = re.split(r"\s[|\u2022\u00b7]\s", text)[0]
        if 2 <= len(name.split(",")[0].split()) <= 5 and (name == text or all(
                t[0].isupper() for t in name.split() if t.lower() not in _NAME_PARTICLES)):
            return name
    return None


# An element that holds the author's name: "author-name", "byline__name"; or, holding one
# piece of text (not a label and a name: "Eingestellt von" | "Jo"), a class ending in
# "author" ("asset-metabar-author").
_AUTHOR_NAME = re.compile(r"autor|auteur|author-name|byline__name", re.I)
_AUTHOR_BOX = re.compile(r"[-_]author(?:$|\s)", re.I)
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")  # zero widths, joiners, marks, soft hyphens


def clean_authors(raw: list[str], outlet_name: str | list | None = None,
                  full_names: bool = False, sites: tuple[set, set] | None = None,
                  one_word: bool = False) -> list[str]:
    """Person names from bylines: no "By", no roles, no outlet, desk, agency or company
    names, no handles or placeholders; "A and B" and "A / B" split; case as published.

    ``full_names`` keeps only capitalised names of two to five words (for names guessed from
    text), or with ``one_word`` of one to five;
    ``sites``: the outlet's declared names and its host's, as ``headline.site_keys`` spells them.
    """
    names = []
    skip = set(_NOT_PEOPLE)
    outlet_keys = set(_AGENCIES)
    for name in ([outlet_name] if isinstance(outlet_name, str) else outlet_name or []):
        if name:
            skip.add(name.lower())
            skip.add(name.lower().removeprefix("the "))
            outlet_keys.add(name.lower())
    for value in raw:
        value = _BYLINE_NOISE.sub("", normalise(_INVISIBLE.sub("", value)))
        if _CREDIT.match(value):
            continue  # a photo credit
        value = _WEB_ADDRESS.sub("", value).strip(" -|")
        parts = [_trimmed(part) for part in _AUTHOR_SPLIT.split(value)]
        # "Jo Ames, Vice President, Example Cloud": what follows a job title is the title's
        # (the employer, a place), not another author.
        role = next((i for i, part in enumerate(parts) if i and _JOB_TITLE.search(part)), None)
        if role is not None:
            parts = parts[:role]
        # "Jo Ames, The Plain Dealer", "A, B, USA TODAY": a part that opens with "The" is an
        # outlet (alone too: "The Wall Street Journal"), and so is one after a name in capitals
        # where the names are not.
        mixed = any(not p.isupper() for p in parts)
        parts = [p for i, p in enumerate(parts) if not (p.startswith("The ") or (i and mixed and p.isupper()))]
        if any(part.lower() in _PLACES for part in parts):
            continue  # "Frankfurt, Germany": an address, not a byline
        if any(_NOT_PERSON.search(part) for part in parts) or \
                (len(parts) > 1 and any(len(part.split()) > 1 for part in parts)):
            # "Ministerium für Wirtschaft und Klimaschutz": a one-word part is a piece of the name;
            # beside full names it is a place, a degree or a desk ("A. Smith, London", "B. Lee, PhD").
            parts = [part for part in parts if len(part.split()) > 1]
        for part in parts:
            part = _name_only(part)
            if not _NOT_PERSON.search(part):
                part = _without_credit(part, outlet_keys, sites)
            if not part or part.lower() in skip or any(ch.isdigit() for ch in part) or part.startswith("@"):
                continue
            if part.lower().endswith(_ROLE_ENDINGS) or part.split()[0].lower() in _NOT_PEOPLE or \
                    any(t in _TITLE_WORDS for t in part.split()[1:]) or \
                    _NOT_PERSON.search(part) or _handle(part) or _UI_WORDS & set(part.lower().split()) or \
                    (" " not in part and part.isupper() and 3 <= len(part) <= 5):
                continue  # (the last: an agency's initials, "BNS", "PTI")
            if sites and _outlet_named(part, *sites):
                continue  # the outlet's own name
            if full_names and not _looks_like_a_name(part, one_word):
                continue
            if part not in names:
                names.append(part)
    return names


# A capitalised word of a title, not of a name: "Tech In Asia", "Like It Is" (a column's).
_TITLE_WORDS = {"In", "On", "At", "Of", "For", "With", "To", "Is", "It", "From", "Into", "Like", "About"}


def _without_credit(part: str, outlets: set, sites) -> str:
    """A name without the role or the outlet printed after it on its line, where the
    name's end shows: "GREG BEACHAM AP Sports Writer" (a name in capitals, then words that
    are not), "Max B. O'Connell Journal staff" (first name, initial, surname), "Pam Benson
    CNN" and "Arion McNicoll for CNN" (the outlet's or an agency's name last). A role
    whose name's end does not show ("Home Affairs Correspondent") is left whole, for the
    role check to drop."""
    tokens = part.split()
    if len(tokens) >= 3 and part.lower().endswith(_ROLE_ENDINGS):
        caps = next((i for i, t in enumerate(tokens) if not t.isupper()), len(tokens))
        if 2 <= caps < len(tokens):
            tokens = tokens[:caps]
        elif len(tokens) >= 4 and re.fullmatch(r"[A-Z]\.", tokens[1]):
            tokens = tokens[:3]
    # (the outlet only after a name of two words or more, set off by a space or "for", not
    # by a dash: "Zone Société - ICI.Radio-Canada.ca" is a desk's line)
    while len(tokens) >= 3:
        by = tokens[-2] in ("for", "For")
        if len(tokens) - 1 - by < 2 or tokens[-2][-1:] in ("-", "|", ":") or not (
                tokens[-1].lower() in outlets or (sites and _outlet_named(tokens[-1], *sites))):
            break
        del tokens[-1 - by:]
    # An outlet's or agency's initials last, after a name not in capitals ("Pam Benson CNN",
    # "Ed Hornick CNN"): 2 to 5 capitals, not a generation's numeral ("III").
    if len(tokens) >= 3 and re.fullmatch(r"[A-Z]{2,5}", tokens[-1]) and not _ROMAN.fullmatch(tokens[-1]) \
            and not any(t.isupper() for t in tokens[:-1] if len(t) > 2):
        del tokens[-1]
    return " ".join(tokens)


_ROMAN = re.compile(r"I{1,3}|IV|VI{0,3}|IX|X")


def _looks_like_a_name(part: str, one_word: bool = False) -> bool:
    """Two to five words, each capitalised (particles apart), or one with ``one_word``. A
    script without capitals (Arabic, Hebrew, Chinese, Korean) has none to show: its words
    pass as they are, and a Chinese or Korean name of two to four characters, written
    without spaces, is a full name."""
    tokens = part.split()
    if len(tokens) == 1 and _UNSPACED_NAME.fullmatch(part):
        return True
    return (1 if one_word else 2) <= len(tokens) <= 5 and all(
        t[0].isupper() or (t.isalpha() and t.lower() == t.upper() and len(t) <= UNCASED_WORD_MAX)
        for t in tokens if t.lower() not in _NAME_PARTICLES)


UNCASED_WORD_MAX = 12  # a word of a name in a script without capitals; longer is a phrase run together
_UNSPACED_NAME = re.compile(r"[\u4e00-\u9fff\uac00-\ud7a3]{2,4}")
_ENDS_WITH_INITIAL = re.compile(r"(?:^|\s)[^\W\d_]\.$")


def _trimmed(part: str) -> str:
    """A byline's part without the punctuation around it, but for the full stop of a
    surname given as an initial ("Joe S.", "Juan Carlos Muñoz C."): that is as published."""
    part = part.strip(" -:").lstrip(".")
    return part if _ENDS_WITH_INITIAL.search(part) else part.rstrip(" .-:")


def _outlet_named(name: str, declared: set, hosts: set) -> bool:
    """The outlet's name given as the author: one it declares, or its host's name with words
    around it ("EFC Bayrische Bembel" on bayrische-bembel.de), or the host's name as one word
    ("Gazette" on gazette.example). The host's name in two words or more is a personal site's
    author ("Gregory Szorc" on gregoryszorc.com)."""
    key = name_key(name)
    squashed = key.replace(" ", "")
    if key in declared or squashed in declared or (" " not in key and key in hosts):
        return True
    tokens = key.split()
    # The host spelt with the name's first words as initials: "New York Post" on nypost.com,
    # "Los Angeles Times" on latimes.com, "Deutsche Welle" on dw.com (two initials at least:
    # "jsmith.example" may be Jo Smith's own site).
    if 2 <= len(tokens) <= 5 and any("".join(t[0] for t in tokens[:k]) + "".join(tokens[k:]) in hosts
                                     for k in range(2, len(tokens) + 1)):
        return True
    # One word that the host's name begins with, a word of news after it: "Sputnik" on
    # sputniknews.com (not "Heiko" on heikoadams.de: a person's own site).
    if len(tokens) == 1 and any(h.startswith(key) and h[len(key):] in _OUTLET_WORDS for h in hosts):
        return True
    # (a one-word name in lower case after its capital that holds the host's name and more is
    # the blogger's pen name: "Limespacer" on limespace.de, "Krimiblogger" on krimiblog.de;
    # not "ScanNetSecurity", a brand in CamelCase)
    if " " not in key and not any(ch.isupper() for ch in name.strip()[1:]):
        return False
    return len(key.split()) <= 4 and any(len(s) >= 4 and s in squashed and s != squashed for s in declared | hosts)


_OUTLET_WORDS = {"news", "daily", "online", "times", "post", "today", "media", "tv", "radio", "magazine", "mag",
                 "press", "wire", "24", "live", "zeitung", "nachrichten", "info", "noticias", "journal"}


def _handle(name: str) -> bool:
    """A user name, not a person's name: one lower-case word ("fhaacker"), or words joined
    by "_" or "." ("herr_rein", "edilson.la.rosa")."""
    return (" " not in name and name.islower()) or bool(re.search(r"[^\W\d_][_.][^\W\d_]", name) and " " not in name)


def _name_only(part: str) -> str:
    """A name without the words around it in a byline: "Von"/"By", a role before it
    ("FOCUS-Online-Experte Robin Tschöpe"), a label after it ("Sara Zinnecker Stand")."""
    part = _trimmed(_BYLINE_NOISE.sub("", part))
    tokens = part.split()
    while len(tokens) > 2 and _ROLE_WORD.search(tokens[0]):
        tokens.pop(0)
    while len(tokens) > 1 and (tokens[-1].lower() in _AFTER_NAME or tokens[-1] in _SAID_AFTER_NAME
                               or tokens[-1].lower().strip(",") in _CREDENTIALS):
        tokens.pop()
    if len(tokens) > 2 and tokens[0].endswith(":") and tokens[0][:-1].isalpha():
        tokens.pop(0)  # a label in another language before the name ("Piše: P. Mucović")
    return " ".join(tokens)

