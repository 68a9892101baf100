"""What a story states: numeric facts, quotes, people and organisations.

Plain-text heuristics, no language model: a number and the noun it counts ("68
calls", "signed by 113 MPs", "Fifteen charities"), quoted speech of four words or
more, and capitalised names sorted into people and organisations. They are what
the comparison with the source is made of, so each keeps the sentence it came from.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from pipelines.text import STOPWORDS, lemma, normalise, sentences, words

_WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12,
}
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "m": 1_000_000,
          "bn": 1_000_000_000, "k": 1_000}
# Words that qualify a number ("nearly 70") and what they allow the true value to be.
QUALIFIERS = {
    "nearly": "below", "almost": "below", "just under": "below", "fewer than": "at_most",
    "less than": "at_most", "under": "at_most", "up to": "at_most",
    "more than": "at_least", "over": "at_least", "at least": "at_least", "upwards of": "at_least",
    "about": "about", "around": "about", "roughly": "about", "some": "about", "approximately": "about",
    "an estimated": "about", "almost exactly": "about",
}
_NUMBER = re.compile(
    r"(?<![\w.,£$€])(?:(?P<qual>" + "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True))
    + r")\s+)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:a\s+)?(?:"
    + "|".join(_WORD_NUMBERS) + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?)"
    r"(?:\s*(?P<scale>thousand|million|billion|m|bn|k)\b)?", re.I)
# Words between a number and the noun it counts that are not that noun.
_NOUN_SKIP = STOPWORDS | {"extra", "additional", "further", "separate", "different", "individual",
                          "per", "cent", "percent", "%", "so", "far", "-", "or", "and"}
_PERCENT = re.compile(r"^\s*(?:%|per\s*cent|percent)", re.I)

# A quote opens after a non-word character and closes before one, within a paragraph:
# with straight marks, the text *between* two quotes (from a closing mark to the next
# opening one) would otherwise read as a quote.
_QUOTE = re.compile(r"(?<!\w)[\u201c\"]([^\u201c\u201d\"\n]{12,600})[\u201d\"](?!\w)"
                    r"|(?<!\w)\u2018([^\u2018\u2019\n]{20,600})\u2019(?!\w)")

_HONORIFIC = re.compile(r"^(?:Sir|Dame|Lord|Lady|Baroness|Baron|Mr|Mrs|Ms|Miss|Dr|Prof|Professor|"
                        r"Rev|Cllr|Councillor|Judge|Justice|President|Prime Minister|Minister|"
                        r"Secretary|Chancellor|Speaker|Mayor|Senator|Rep|Gov)\.?\s+")
ORG_WORDS = frozenset("""office party council ministry department commons lords house parliament
government organise organisation organization union association trust charity foundation society
group agency police service services committee court tribunal university college school hospital
nhs bbc itv news times guardian telegraph mail post herald press network bank company ltd plc inc
corporation commission authority board institute centre center council's campaign alliance
coalition forum federation world now justice network watch international unit force labour
taskforce inquiry scheme programme project fund initiative partnership review panel
conservatives conservative tories tory democrats democrat unionist greens snp dup ukip republicans
""".split())
_CAPWORD = r"(?:[A-Z][a-z'\u2019]+(?:-[A-Z][a-z]+)?|[A-Z]{2,6}|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)"
_NAME = re.compile(rf"{_CAPWORD}(?:\s+(?:(?:of|for|the|de|van|von|del|da|bin|al)\s+){{0,2}}{_CAPWORD})*")
# Words that introduce a name rather than belong to it ("Labour MP Diane Abbott").
_ROLE_WORDS = frozenset("""mp mps msp am mep minister secretary leader chief executive spokesperson
spokesman spokeswoman director chair chairman chairwoman shadow home foreign former deputy senior campaigner
officer inspector detective constable superintendent commissioner general manager""".split())
# Common given names: a capitalised pair starting with one is a person.
GIVEN_NAMES = frozenset("""aaron abdul adam adrian ahmed aisha alan albert alex alexander alexandra
ali alice alison amanda amber amy andrea andrew andy angela ann anna anne anthony antonio arthur
ashley barbara barry ben benjamin beth bill bob boris brian bruce carl carlos carol caroline
catherine charles charlie charlotte chloe chris christine christopher claire colin craig daniel
danny darren dave david dawn dean debbie deborah dennis diana diane donald donna dominic doug
douglas ed edward elizabeth ellen emily emma eric fatima fiona frances francis frank gary gavin
gemma george georgia gerald gordon grace graham grant greg hannah harriet harry heather helen
henry hugh ian isabel jack jackie jacob jacqui james jamie jane janet jason jean jeff jennifer
jenny jeremy jess jessica jim joan joanna joe john johnny jon jonathan jordan joseph josh joyce
judith julia julian julie justin karen kate katherine kathryn katie keith kelly ken kenneth kevin
kieran kim laura lauren lee leo linda lisa liz louise lucy luke lynn maria mark martin mary matt
matthew maureen michael michelle mike mohammed muhammad nadine natalie neil nicholas nick nicola
nigel oliver owen pamela patricia patrick paul paula peter philip phillip priti rachel ray
rebecca richard rob robert robin roger ronald rose ross ruth ryan sajid sally sam samantha sandra
sarah scott sean sharon shaun simon sophie stella stephen steve steven stuart sue susan theresa
thomas tim timothy tom tony tracey tracy valerie vicky victoria vince william yvette zoe kwasi
sadiq keir jacob amber yasmin omar amir hassan ibrahim yusuf priya raj ravi sunil anil deepa
olu chidi ngozi kofi kwame ama juan jose luis maria pedro pablo miguel ana sofia giulia marco
luca hans klaus angela emmanuel marine pierre jean francois donald barack joe kamala""".split())
_NOT_NAMES = frozenset("""the a an this that these those it he she they we i you his her their our
but and or if when while as at in on for from by with of to after before since between under
over during monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december however meanwhile speaking asked said
last next earlier later today yesterday read more share comments some many several all most
each every any both""".split())


def parse_number(text: str, scale: str | None = None) -> float | None:
    text = text.lower().replace(",", "").strip()
    text = text[2:] if text.startswith("a ") else text
    try:
        value = float(text)
    except ValueError:
        parts = re.split(r"[-\s]+", text)
        if not all(p in _WORD_NUMBERS or p in ("one",) for p in parts):
            return None
        value = 0.0
        for p in parts:
            n = 1 if p == "one" else _WORD_NUMBERS[p]
            value = value * n if n == 100 and value else value + n
    if scale:
        value *= _SCALE[scale.lower()]
    return value


def numeric_facts(text: str) -> list[dict]:
    """Numbers with the noun they count: {value, noun, qualifier, text, sentence}."""
    facts = []
    for sentence in sentences(text):
        for m in _NUMBER.finditer(sentence):
            value = parse_number(m.group("num"), m.group("scale"))
            if value is None or value == 0:
                continue
            rest = sentence[m.end():]
            if _PERCENT.match(rest):
                noun = "percent"
            else:
                noun = _counted_noun(rest)
            if noun is None:
                continue
            # A bare year ("in 2017", "May 2018") is a date, not a count.
            if 1900 <= value <= 2100 and float(value).is_integer() and m.group("num").isdigit() and \
                    noun not in ("people", "person", "job", "call", "mp", "case", "worker"):
                continue
            facts.append({"value": value, "noun": noun,
                          "qualifier": QUALIFIERS.get((m.group("qual") or "").lower()),
                          "text": _fact_text(m.group(0), rest, noun), "sentence": sentence})
    return facts


def _fact_text(number: str, rest: str, noun: str) -> str:
    """The words of a fact as written, from the number to its noun: "nearly 70 calls"."""
    out = [number.strip()]
    for token in rest.split()[:4]:
        out.append(token.strip(",.;:"))
        if lemma(out[-1].lower().replace("\u2019", "'").removesuffix("'s")) == noun or noun == "percent":
            break
    return " ".join(out)


def _counted_noun(rest: str) -> str | None:
    tokens = re.findall(r"[A-Za-z][A-Za-z'\u2019-]*|\d[\d,.]*|[^\sA-Za-z\d]", rest)[:4]
    for i, token in enumerate(tokens):
        low = token.lower()
        if token[0].isdigit() and i and tokens[i - 1].lower() in ("of", "the"):
            continue  # "113 of the 650 MPs": 113 counts MPs too
        if not token[0].isalpha():
            return None  # punctuation before a noun: "32 - were made", "68." ends the thought
        if low in _NOUN_SKIP or low.endswith("ly"):
            continue
        return lemma(low.replace("\u2019", "'").removesuffix("'s"))
    return None


def quotes(text: str) -> list[str]:
    """Quoted passages of four words or more, as written."""
    out = []
    for m in _QUOTE.finditer(text or ""):
        quote = " ".join((m.group(1) or m.group(2)).split()).strip(" ,.")
        if len(quote.split()) >= 4 and quote not in out:
            out.append(quote)
    return out


def quote_match(a: str, b: str, at_least: float = 0.0) -> float:
    """How much of the shorter quote stands, in order, in the longer (0-1): robust to quote
    marks, punctuation, case and small edits, and to one side quoting only part.
    A value below ``at_least`` may be an upper bound (the costly alignment is skipped)."""
    wa, wb = _quote_words(a), _quote_words(b)
    if not wa or not wb:
        return 0.0
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if at_least:
        # No alignment can match more of the short quote than its words found in the long one.
        present = set(long_)
        bound = sum(1 for w in short if w in present) / len(short)
        if bound < at_least:
            return bound
    matcher = SequenceMatcher(None, short, long_, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(short)


@lru_cache(maxsize=4096)
def _quote_words(text: str) -> tuple[str, ...]:
    return tuple(words(text))  # a source's quotes are matched against every story


def _split_name(tokens: list[str], honorific: bool):
    """Sort one capitalised run into people and organisations; a run like
    "House of Commons John Bercow" or "Green Party MP Caroline Lucas" holds both."""
    lowered = [t.lower() for t in tokens]
    # "Labour's Diane Abbott": a possessive ends one name and starts the next.
    for i, token in enumerate(tokens[:-1]):
        if token.endswith(("'s", "\u2019s")):
            yield from _split_name([token[:-2]], False)
            yield from _split_name(tokens[i + 1:], False)
            return
    # "Green MP Caroline Lucas": a role word inside a run introduces the person.
    for i in range(len(tokens) - 2, 0, -1):
        if lowered[i] in _ROLE_WORDS and len(tokens) - i - 1 >= 2:
            if set(lowered[:i]) & ORG_WORDS:
                yield from _split_name(tokens[:i], False)
            yield from _split_name(tokens[i + 1:], False)
            return
    # An organisation word followed by more names: the organisation ends there.
    for i, low in enumerate(lowered[:-1]):
        if low in ORG_WORDS and lowered[i + 1] not in ("of", "for", "the") and \
                (lowered[i + 1] in _ROLE_WORDS or lowered[i + 1] in GIVEN_NAMES):
            yield from _split_name(tokens[: i + 1], False)
            yield from _split_name(tokens[i + 1:], False)
            return
    while len(tokens) > 1 and lowered[0] in _ROLE_WORDS and not set(lowered) & ORG_WORDS:
        tokens, lowered = tokens[1:], lowered[1:]
    if len(tokens) > 1 and _HONORIFIC.match(" ".join(tokens[:2]) + " "):
        tokens, lowered, honorific = tokens[1:], lowered[1:], True
    name = " ".join(tokens)
    if set(lowered) & ORG_WORDS or (len(tokens) == 1 and tokens[0].isupper() and len(tokens[0]) >= 2):
        if len(name) > 2:
            yield name, "organisation"
        return
    if not 1 <= len(tokens) <= 4 or any(t.isupper() for t in tokens):
        return
    if len(tokens) == 1 and not honorific:
        return
    if honorific or lowered[0] in GIVEN_NAMES:
        yield name, "person"
    elif all(_rare(t) for t in lowered):
        # Rare words are a surname's mark, but a run ending in the plural of a common
        # noun ("Harrowgate Textiles", "Acme Foods") names a firm, not a person.
        yield name, "organisation" if _common_plural(lowered[-1]) else "person"


def _common_plural(word: str) -> bool:
    from wordfreq import zipf_frequency

    return len(word) > 4 and word.endswith("s") and not word.endswith("ss") and \
        zipf_frequency(word[:-1], "en") >= 3.0


def _shouted(token: str) -> bool:
    """An ordinary word in capitals (a dateline's "LONDON", an emphatic "WARNING"), not an
    acronym: acronyms are short or rare as words."""
    from wordfreq import zipf_frequency

    return token.isupper() and len(token) >= 5 and zipf_frequency(token.lower(), "en") >= 4.0


def _rare(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") < 4.0


def names(text: str) -> dict[str, list[str]]:
    """{"people": [...], "organisations": [...]}: capitalised names, honorifics dropped,
    a surname alone folded into the full name met elsewhere in the text."""
    people, orgs = [], []
    for sentence in sentences(normalise(text)):
        for m in _NAME.finditer(sentence):
            name = m.group(0).strip()
            name = re.sub(r"(?:'s|\u2019s)$", "", name)
            honorific = bool(_HONORIFIC.match(name))
            bare = _HONORIFIC.sub("", name)
            tokens = bare.split()
            while tokens and tokens[0].lower() in _NOT_NAMES:
                tokens = tokens[1:]
            # "Home Office LONDON": a word in capitals (a dateline) is not part of a name.
            runs, current = [], []
            for token in tokens:
                if _shouted(token):
                    runs.append(current)
                    current = []
                else:
                    current.append(token)
            for run in runs + [current]:
                while run and run[-1].lower() in ("of", "for", "the", "and"):
                    run = run[:-1]
                if not run:
                    continue
                for part, kind in _split_name(run, honorific):
                    target = people if kind == "person" else orgs
                    if part not in target:
                        target.append(part)
    # "Chope" or "Sir Christopher" next to "Christopher Chope" is the same person.
    full = [p for p in people if len(p.split()) > 1]
    people = [p for p in people if len(p.split()) > 1
              or not any(f.endswith(" " + p) or f.startswith(p + " ") for f in full)]
    return {"people": people, "organisations": orgs}
