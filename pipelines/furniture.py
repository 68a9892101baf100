"""Page furniture that extraction keeps in the story's text, read line by line.

An advert marker, a picture's credit, a newsletter's or a cookie notice's box, an
affiliate-links disclosure, a "Read more: <another story>" prompt, other stories' teasers
under their time stamps, a date line or a byline repeated over the story, the agency's or
editor's signature and what follows it (comments, "related" headings). ``trimmed`` is the
text without them; ``furniture_line`` says whether one line is such furniture.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from pipelines.dates import VISIBLE_DATES
from pipelines.markup import story_line
from pipelines.published import without_dates
from pipelines.text import words

# Headings that start the furniture around an article, not its body: once one of these
# appears in the second half of the text, the article has ended.
_TAIL_HEADING = re.compile(
    r"^(?:comments?(?:\s*\(\d+\))?|\d+\s+(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties)|"
    r"comments \(moderated\)|join the (?:conversation|discussion|debate)|"
    r"have your say|leave a (?:comment|reply)|(?:sign up|subscribe)(?: (?:for|to))?(?: our)? "
    r"(?:emails?|newsletters?|alerts?).*|get emails about this page|related(?: (?:stories|articles|coverage|content|topics))?|"
    r"more (?:from|on|stories|in) .{0,40}|most (?:read|viewed|popular|shared)|share (?:this|on).{0,30}|"
    r"follow us.{0,30}|you (?:may|might) also (?:like|be interested in)|recommended(?: for you)?|"
    r"trending(?: now| stories| on .{0,30})?|popular (?:now|stories)|"
    r"read (?:more|next)|topics|tags|kommentare|leserkommentare|commentaires|commenti|comentarios|"
    r"mehr zum thema|lire aussi|[àa] lire aussi|leggi anche|te puede interesar|"
    # the same furniture in the other languages real pages are written in
    r"(?:das )?könnte (?:sie|dich) auch interessieren|lesen sie (?:auch|mehr)|auch lesen|zum weiterlesen|"
    r"weitere (?:themen|artikel|beiträge|nachrichten|meldungen|tipps|\w+tipps)|top-?themen.{0,40}|"
    r"keine kommentare|zum newsletter anmelden|(?:presse)?kontakt|press contact|media contact|schlagworte|"
    r"themen|(?:notas|noticias|artículos) relacionad[ao]s|más sobre .{0,40}|(?:también )?le puede interesar|"
    r"hazte miembro.{0,60}|sur le même sujet|vous aimerez aussi|articoli correlati|potrebbe interessarti|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|polecamy|leia (?:também|mais)|veja também)\s*:?$", re.I)


# A picture's credit or source set as a line of its own: the page's furniture, not the story.
_CREDIT_LINE = re.compile(
    r"^[(\[]?(?:(?:fotos?|photos?|bild(?:er)?|images?|pictures?|grafik|illustration|credit|image credit|"
    r"photo credit|bildquelle|quelle|source)\s*[:©]|©|\(c\)\s)"
    r"|^(?:getty images|afp|reuters|ap photo|dpa|epa|shutterstock|istock(?:photo)?|imago(?: images)?|"
    r"picture alliance|agencja gazeta|pap)(?:\s*[/|,].*)?$", re.I)


CREDIT_LINE_WORDS = 10


FURNITURE_LINE_WORDS = 30  # a "read also" or rights line longer than this is the story's own prose


# A "read also" line (a prompt and another story's headline) inside the body, in any language.
_READ_ALSO = re.compile(
    r"^(?:(?:lea|vea|lee|mira|ver) (?:también|tambien)|read (?:also|more)|see also|related|more|also read|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|auch lesen|lesen sie auch|mehr dazu|(?:[àa] )?lire aussi|"
    r"leggi anche|(?:también )?(?:le|te) puede interesar|leia também|veja também)\s*[:»>|-]", re.I)


# A copyright or rights line among the last lines: the site's footer, not the story.
_RIGHTS_LINE = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}|by\b)|all rights reserved|alle rechte vorbehalten|"
                          r"todos los derechos reservados|tous droits réservés|tutti i diritti riservati|"
                          r"copyrighted property", re.I)


# The reader asked to do something for the site among the last lines (subscribe, get its app,
# support it, follow it): the site's appeal after the story, in the languages real pages use.
_APPEAL_LINE = re.compile(
    r"^[¡!]?\s*(?:(?:subscribe|sign up)(?: now| today)?(?: to| for)? (?:our|us)\b|(?:download|get) (?:the|our) .{0,40}\bapps?\b|"
    r"support (?:us|our|independent)\b|donate (?:to us|today|now)|advertise with us|become a (?:member|subscriber)\b|"
    r"for the latest .{0,80}\b(?:download|subscribe|follow)\b|follow us\b|(?:like|enjoy(?:ed)?|love) (?:this|what you|our)\b.{0,40}\?|"
    r"gefällt (?:dir|ihnen) (?:unser|dieser|dieses)\b|unterstütze(?:n sie)? (?:uns|unser|\w+ bereits)|"
    r"abonnier(?:e|en sie) (?:uns|unser)|mira lo que tiene nuestro|suscr[ií]bete|s[ií]guenos|abonnez-vous|"
    r"soutenez(?:-nous)?\b|suivez-nous)", re.I)


# A newsletter's sign-up box set inside the story ("Get our Daily Edition by email ... Free Sign
# Up", "Want the latest news first? Get our free daily newsletter"): the verb, the newsletter
# and the reader addressed, in one short line.
_SIGN_UP = re.compile(r"\b(?:sign(?:ing)? up|subscribe|anmelden|abonnieren|abonniere|inscr[ií]bete|suscr[ií]bete|"
                      r"inscrivez-vous|abonnez-vous|iscriviti|"
                      # "get" as the box's own bidding, opening a sentence: not "readers can get our ..."
                      r"(?:^|(?<=[.?!:] ))get (?:our|the|your))\b", re.I)


_NEWSLETTER = re.compile(r"\b(?:newsletters?|by e-?mail|(?:your|deinem|ihrem) (?:inbox|posteingang)|daily edition|"
                         r"e-?mail alerts?|boletín|infolettre)\b", re.I)


_READER = re.compile(r"\b(?:our|your|you|free|dein\w*|unser\w*|nuestro|notre|nos)\b", re.I)


SIGN_UP_LINE_WORDS = 30


# "Contains affiliate links": the post's disclosure, not its text.
_AFFILIATE = re.compile(r"\baffiliate[- ]?links?\b", re.I)


AFFILIATE_LINE_WORDS = 15


APPEAL_LINES = 6  # of the last lines, where a site's appeal stands (it may run to a few paragraphs)


APPEAL_MAX_WORDS = 60


# "you" and "we" of a site talking to its reader, in the languages of the appeals above
# ("us" in lower case only: "US" is the country)
_READER_ADDRESSED = re.compile(
    r"\b(?:us|(?i:you|your|we|our|du|dir|dich|dein\w*|euch|eure?r?|wir|uns|unser\w*|"
    r"vous|votre|nous|notre|tu|toi|usted(?:es)?|nosotros|nuestr[oa]s?))\b")


# A site's cookie notice, as a line of its own: the site saying it uses cookies (or asking
# to), in the first person or the site's name, and what using it means.
_COOKIE_NOTICE = re.compile(
    r"\b(?:we|this (?:web)?site|our (?:web)?site|diese (?:web)?seite|wir) (?:use|uses|verwendet|verwenden|nutzt|"
    r"nutzen|utilise|utilisons|usa|usamos|utiliza|utilizamos)\b.{0,40}\b(?:cookies?)\b", re.I)


_COOKIE_TERMS = re.compile(r"\b(?:agree|accept|consent|policy|experience|browsing|continuing|learn more|more info|"
                           r"einverstanden|zustimm|akzeptier|datenschutz|mehr erfahren|weitere informationen|"
                           r"acepta|aceptar|política|accepte|politique|en savoir plus)", re.I)


COOKIE_LINE_WORDS = 60


# An agency's or editor's signature as a line of its own: initials, an agency after a slash, or
# an acronym ("aja/PAP", "jm/dpa", "RIRM", "(grh)", "[THR]", "AP").
_SIGNATURE = re.compile(
    r"^[(\[]?(?:[a-zäöüß]{1,5}(?:\s?/\s?[a-zäöüß]{1,5})*\s?/\s?[A-Za-z]{2,8}|[A-Z]{2,6}|[a-z]{2,4})[)\]]?$")


SIGNATURE_AFTER_WORDS = 4  # the line before it is prose, not an item of a list of acronyms


_AD_LINE = re.compile(r"^(?:advertisement|advert|anzeige|publicit[ée]|pubblicit[àa]|publicidad|sponsored)$", re.I)


DATA_LINE_CHARS = 40  # a JSON line shorter than this is a sample in prose, not a script's data


def trimmed(text: str, *titles: str | None) -> str:
    """The body alone: no headline repeated at its top, no advert markers, picture credits
    or "Read more: ..." lines, nothing from a comments, sign-up or related-links heading in
    its second half onwards, and no rights line at its end."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    heads = {" ".join(words(t)) for t in titles if t}
    while lines and " ".join(words(lines[0])) in heads:
        lines.pop(0)
    lines = [line for line in lines if not furniture_line(line.strip(" -\u2022"))]
    lines = _without_repeats(lines)
    i = len(lines) // 2
    while i < len(lines):
        if len(lines[i].split()) <= 8 and _TAIL_HEADING.match(lines[i].strip(" -\u2022")):
            if _appeal(lines[i]) and _goes_on(lines[i + 1:]):
                # "Follow us on Twitter" set between two paragraphs: a box inside the story,
                # not where it ends (the appeal alone goes)
                del lines[i]
                continue
            lines = lines[:i]
            break
        i += 1
    lines = _without_stamped_teasers(lines)
    for i in range(max(len(lines) // 2, len(lines) - APPEAL_LINES, 1), len(lines)):
        # (not an item of a list: "help translate our pages" among the ways to join is the page's)
        if _appeal(lines[i]):
            # An appeal with the story going on after it is a box set inside the story
            # ("Follow us on Twitter", then the last paragraphs): only the appeals go. An
            # appeal's own paragraphs speak to the reader for the site ("we need your help").
            rest = [line for line in lines[i + 1:] if not _appeal(line)]
            lines = lines[:i] + (rest if _goes_on(rest) else [])
            break
    for i in range(max(1, len(lines) - 3), len(lines)):
        if len(lines[i].split()) <= FURNITURE_LINE_WORDS and _RIGHTS_LINE.search(lines[i]):
            lines = lines[:i]
            break
    start = max(len(lines) // 2, len(lines) - CONTACT_LINES, 1)
    # a reporter's address or handle as a line of its own ("david.savage@latimes.com",
    # "Twitter: @MattHjourno."): how to reach the writer, not the story
    lines = lines[:start] + [line for line in lines[start:] if not _CONTACT_LINE.match(line.strip())]
    for i in range(max(1, len(lines) - 3), len(lines)):
        # an agency's or editor's signature after the last paragraph ("aja/PAP", "RIRM", "(grh)"):
        # the story has ended (what follows is the site's: a source line, a picture's credit)
        if _SIGNATURE.match(lines[i].strip()) and len(lines[i - 1].split()) >= SIGNATURE_AFTER_WORDS:
            lines = lines[:i]
            break
    return "\n".join(_without_top_stamps(lines))


_CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d\b")


REPEATED_LINE = 3  # copies of one sentence-long line that make it a gallery's caption, not the story's


def _without_repeats(lines: list[str]) -> list[str]:
    """The lines without a gallery's captions: a line of a sentence or more said
    REPEATED_LINE times or more (a slideshow writes one caption per slide, and a story
    does not say a sentence three times) goes every time, and a line said twice running
    (a picture's caption and its copy) once."""
    keys = [" ".join(line.split()) for line in lines]  # (a caption's copies are the same text)
    counts = Counter(keys)
    if max(counts.values(), default=0) < 2:
        return lines  # (most texts: no line said twice)
    kept = []
    for i, (line, key) in enumerate(zip(lines, keys)):
        if (counts[key] >= REPEATED_LINE or (i and key == keys[i - 1])) and key.count(" ") >= 5:
            continue
        kept.append(line)
    return kept


TEASER_STAMPS = 3  # date lines, each before another story's blurb, that make a list of teasers


TEASER_GAP = 2  # lines at most between two of them (a headline, a blurb)


def _without_stamped_teasers(lines: list[str]) -> list[str]:
    """The lines before a list of other stories at the text's end: a date line ("updated
    9:20 AM EST, Thu January 3, 2013") before each story's blurb, TEASER_STAMPS times or more,
    a line or two apart, in the text's second half and running to its end."""
    stamps = [i for i in range(len(lines) // 2, len(lines)) if _stamp_line(lines[i]) or _dated_item(lines[i])]
    if len(stamps) < TEASER_STAMPS or len(lines) - 1 - stamps[-1] > TEASER_GAP + 1:
        return lines
    first = len(stamps) - 1
    while first > 0 and stamps[first] - stamps[first - 1] <= TEASER_GAP + 1:
        first -= 1
    if len(stamps) - first < TEASER_STAMPS:
        return lines
    return lines[:stamps[first]]


def _dated_item(line: str) -> bool:
    """An item of a list that ends with its date: another story's headline and its day
    ("- 'Old Time Hockey' Is A Lovely But Difficult Throwback - March 28, 2017")."""
    if not line.startswith(("- ", "\u2022 ")) or len(line.split()) > DATED_ITEM_WORDS:
        return False
    tail = " ".join(line.split()[-4:])
    return any((m := pattern.search(tail)) is not None and m.end() >= len(tail) - 1 for pattern in VISIBLE_DATES)


DATED_ITEM_WORDS = 25


def _stamp_line(line: str) -> bool:
    """A line that is a date with its time of day and nothing more than a label ("updated
    3:49 PM EST, Fri January 4, 2013", "Posted: 12 March 2017 10:31"). (A timeline's
    dates, each before its event, give no time of day.)"""
    if len(line.split()) > 12 or not _CLOCK.search(line) or not any(p.search(line) for p in VISIBLE_DATES):
        return False
    return sum(len(t) >= 4 and not t.isdigit() for t in without_dates(line).split()) <= 1


def _appeal(line: str) -> bool:
    return len(line.split()) <= APPEAL_MAX_WORDS and bool(_APPEAL_LINE.match(line))


def _goes_on(rest: list[str]) -> bool:
    """Whether the story goes on in these lines (after an appeal): paragraphs of prose, none
    of them the site speaking to its reader."""
    told = [line for line in rest if story_line(line) and not _appeal(line)]
    return bool(told) and not any(_READER_ADDRESSED.search(line) for line in told)


def furniture_line(line: str) -> bool:
    """An advert marker, a script's data, a picture's credit, a newsletter's sign-up box, an
    affiliate-links disclosure, or a prompt and another story's headline ("Read more: ...",
    "Lea también: ..."; a prompt alone is a heading, left to the tail's rule), wherever it
    stands."""
    if _AD_LINE.match(line) or _data_line(line):
        return True
    n = len(line.split())
    if n <= COOKIE_LINE_WORDS and _COOKIE_NOTICE.search(line) and _COOKIE_TERMS.search(line):
        return True
    if n <= CREDIT_LINE_WORDS and _CREDIT_LINE.match(line):
        return True
    if n <= SIGN_UP_LINE_WORDS and _SIGN_UP.search(line) and _NEWSLETTER.search(line) and _READER.search(line):
        return True
    if n <= AFFILIATE_LINE_WORDS and _AFFILIATE.search(line):
        return True
    if PROMPT_MIN_WORDS <= n <= FURNITURE_LINE_WORDS and _PROMPT.match(line):
        return True
    m = _READ_ALSO.match(line)
    return bool(m) and n <= FURNITURE_LINE_WORDS and len(line[m.end():].split()) >= 3


# A prompt the "read also" lines do not open with, before another story's headline or a clip's
# title ("Up Next: ...", "Don't miss: ...", "VIDEO: ..."; a colon or an arrow, not a dash).
_PROMPT = re.compile(r"^(?:up next|don[\u2019']?t miss|explore further|video|watch|also|also see|must[- ]read|"
                     r"further reading|recommended(?: reading)?|siehe auch|ver también|voir aussi)"
                     r"\s*[:»>|]\s*\S", re.I)


PROMPT_MIN_WORDS = 4


# A writer's e-mail address or handle alone on a line, perhaps labelled.
_CONTACT_LINE = re.compile(r"^(?:(?:e-?mail|twitter|contact|follow (?:me|us|him|her) (?:at|on))\s*:?\s*)?"
                           r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{2,})\.?$", re.I)


CONTACT_LINES = 6  # of the last lines, where a writer's address stands


TOP_LINES = 3  # lines at the text's top, before its first paragraph, where a date line or a byline stands


TOP_STAMP_WORDS = 10


# What a date line says beside its date: a label ("Updated", "Posted on", "Stand:").
_STAMP_LABEL_WORDS = {"last", "updated", "update", "published", "posted", "on", "date", "as", "of", "stand", "datum",
                      "aktualisiert", "veröffentlicht", "am", "erstellt", "publicado", "el", "publié", "le", "mis",
                      "à", "jour"}


_STAMP_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?|"
                            r"\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b,?", re.I)


_STAMP_TIME = re.compile(r"(?<![^\W\d])(?:[ap]\.m\.|(?:am|pm|et|est|edt|pt|pst|pdt|gmt|bst|cet|cest|utc|uhr)\b)", re.I)


# "By Trish Turner", "By Peter Nicholas and Tracy Wilkinson": a byline line, not a sentence.
_TOP_BYLINE_NAME = r"[A-Z\u00c0-\u017d][\w.'-]*(?:\s+[A-Z\u00c0-\u017d][\w.'-]+){1,3}"


_TOP_BYLINE = re.compile(rf"^(?:[Bb]y|BY|[Vv]on|[Pp]ar|[Pp]or)\s+{_TOP_BYLINE_NAME}"
                         rf"(?:\s*(?:and|&|/|,|und|et|y)\s*{_TOP_BYLINE_NAME})*$")


TOP_BYLINE_WORDS = 8


def _without_top_stamps(lines: list[str]) -> list[str]:
    """The lines without a date line or a byline standing alone at the text's top, before its
    first paragraph of prose ("Tuesday, May 22, 2007", "updated 3:49 PM EST, Fri January 4,
    2013", "By Trish Turner"): the page's furniture over the story, not its text. (Real
    pages: the expected texts never hold such a date line.)"""
    gone = set()
    for i, line in enumerate(lines[:TOP_LINES]):
        if story_line(line) and len(line.split()) > 12:
            break
        if _top_stamp(line) or (len(line.split()) <= TOP_BYLINE_WORDS and _TOP_BYLINE.match(line.strip())):
            gone.add(i)
    if not gone or len(gone) == len(lines):
        return lines
    return [line for i, line in enumerate(lines) if i not in gone]


def _top_stamp(line: str) -> bool:
    """A line that is a date and nothing more than a weekday, a time and a label."""
    line = line.strip(" |-\u2022")
    if not line or len(line.split()) > TOP_STAMP_WORDS or not any(p.search(line) for p in VISIBLE_DATES):
        return False
    rest = without_dates(_STAMP_TIME.sub(" ", _STAMP_WEEKDAY.sub(" ", line)))
    return all(word in _STAMP_LABEL_WORDS for word in re.sub(r"\d+", " ", rest).lower().split())


def _data_line(line: str) -> bool:
    """A line that is a script's data, not text: a JSON object or list of named values
    whole on one line (a hidden element a script reads its playlist or settings from, which
    extraction takes for prose). A JSON snippet quoted in a how-to runs over many lines."""
    if len(line) < DATA_LINE_CHARS or line[:1] not in "[{" or line[-1:] not in "]}" or '":' not in line:
        return False
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):  # (nested past the parser's depth: not data it reads)
        return False
    # (a list whose text has '":' holds named values)
    return isinstance(value, list) or (isinstance(value, dict) and len(value) >= 2)
