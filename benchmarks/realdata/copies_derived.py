"""Copies and versions derived from real article text, and pages with site furniture.

Real copy pairs are fewer than the measure needs, and real version histories are not
in any snapshot we can fetch; so, as well as the real pairs of ``copies_real``, we make
copies of real articles (FNC-1 bodies, ECB+ texts with no copy among them) the way
republishers and editors make them. Every figure on these sets is on *derived* pairs,
and the benchmark says so.

- ``republish``: a wire copy at another outlet: a new headline and byline line, a
  dateline, house style (U.S./US, per cent/percent, British/American spelling, said on
  Tuesday/said Tuesday, titles dropped), a few words changed, the opening paragraph
  rewritten or dropped, the last paragraphs cut or a local paragraph added.
- ``update``: a later version at the same outlet under a new address: paragraphs
  added (taken from an independent report of the same story when the corpus has one,
  so that report shares them: a hard negative), paragraphs removed, sentences
  rewritten (figures updated, clauses moved, words changed), a new headline.
- ``render_page``: the article as a news page: navigation, headline, byline, captions
  (figure or paragraph), "RELATED:" and "READ MORE:" lines, newsletter and follow-us
  blurbs between paragraphs, a footer; the benchmark runs it through ``clean_page``.

The furniture phrases and house-style edits are written by us. They come in two
disjoint pools, one for the dev split and one for the test split, so that nothing
tuned on dev furniture can fit the test furniture word for word.
"""

from __future__ import annotations

import html
import random
import re
import zlib

# --- furniture, in our own words: two disjoint pools ------------------------------------

POOLS = {
    "dev": {
        "caption": ["{name} pictured outside the building on Friday. Photo: {agency}",
                    "Police at the scene earlier this week. Image: {agency}/File",
                    "A view of the area, where residents gathered after the news broke. Picture: {agency}",
                    "{name} speaking at an event last year (File photo)",
                    "The site as it looked in an image shared on social media. Credit: {agency}"],
        "related": ["RELATED: {other}", "READ MORE: {other}", "Related: {other}", "MORE: {other}"],
        "newsletter": ["Sign up for our morning briefing and get the day's biggest stories in your inbox.",
                       "Want the latest news first? Get our free daily newsletter, sent every weekday at 7am.",
                       "Never miss a story: join the more than 50,000 readers of our evening email."],
        "social": ["Share this article on Facebook or Twitter.", "Follow us on Twitter for breaking news updates.",
                   "Have a story for us? Email the newsroom or send us a message on WhatsApp."],
        "byline": ["By {name}, Staff Reporter", "By {name} | {agency}", "{name}, Correspondent"],
        "dateline": ["{city} ({agency}) - ", "{city}: ", "{CITY} - "],
        "editor": ["This article was updated with more details.", "Additional reporting by {name}."],
    },
    "test": {
        "caption": ["Officials examine the scene, as seen in a handout picture. ({agency})",
                    "{name}, seen in an undated photograph released by the family",
                    "Crowds in the centre of the city on Saturday evening - {agency} photo",
                    "An aerial shot of the district taken by a drone operator. Source: {agency}"],
        "related": ["SEE ALSO: {other}", "Also on this site: {other}", "You may like: {other}",
                    "WATCH: {other}"],
        "newsletter": ["Get the headlines straight to your phone by downloading our news app today.",
                       "Subscribe to the Weekend Digest, a round-up of the week's best reading, every Saturday.",
                       "Like this story? Our breaking-news alerts bring you more like it, free of charge."],
        "social": ["Join the conversation in the comments below.", "Like our page on Facebook to keep up to date.",
                   "Tap the bell icon to be told when we publish new stories."],
        "byline": ["Written by {name} for {agency}", "Report: {name}", "{name} reports"],
        "dateline": ["{CITY}, ({agency}) -- ", "{city} | ", "{CITY}: "],
        "editor": ["Story continues below.", "An earlier version of this story gave the wrong date."],
    },
}
NAMES = {"dev": ["Sam Porter", "Lena Hart", "Ravi Mehta", "Joan Okoro", "Tom Reyes", "Ana Lind"],
         "test": ["Priya Das", "Carl Weber", "Mia Santos", "Owen Clarke", "Yusuf Demir", "Eve Novak"]}
AGENCIES = {"dev": ["Wire Service", "Staff", "Newsdesk"], "test": ["Press Agency", "Pool", "Photo Desk"]}
CITIES = {"dev": ["Springfield", "Riverton", "Lakeside"], "test": ["Hillcrest", "Bayport", "Stonebridge"]}

# House style: one outlet writes the left, another the right (either way round).
HOUSE_STYLE = [(r"\bU\.S\.", "US"), (r"\bU\.K\.", "UK"), (r"\bper cent\b", "percent"),
               (r"\b(said|told reporters) on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
                r"\1 \2"),
               (r"\bMr\.? (?=[A-Z])", ""), (r"\bMrs\.? (?=[A-Z])", ""), (r"\bDr\.? (?=[A-Z])", "Doctor "),
               (r"\bcentre\b", "center"), (r"\bmetres\b", "meters"), (r"\borganisation", "organization"),
               (r"\bcolour", "color"), (r"\bdefence\b", "defense"), (r"\blabour\b", "labor"),
               (r"\bIslamic State\b", "IS"), (r"\bISIS\b", "Islamic State"), (r"\bpolice officers\b", "officers"),
               (r"(\d),(\d{3})\b", r"\1\2"), (r"\b(\d+) percent\b", r"\1%"), (r"\bnearly\b", "almost"),
               (r"\bhowever\b", "but"), (r"\bamid\b", "amidst"), (r"\btoward\b", "towards")]
SWAPS = {"said": "stated", "about": "around", "people": "residents", "large": "big", "began": "started",
         "also": "as well", "after": "following", "before": "ahead of", "many": "several", "help": "assist",
         "show": "reveal", "told": "informed", "officials": "authorities", "city": "town", "big": "major",
         "killed": "left dead", "attack": "assault", "found": "discovered", "called": "described",
         "because": "as", "during": "in", "using": "with", "near": "close to", "since": "from"}
LOCAL = {"dev": ["Local councillors said they would raise the matter at their next meeting, and a "
                 "spokesperson for the county added that residents with concerns could contact its office.",
                 "The story was followed closely in {city}, where several families have relatives in the "
                 "area and a vigil has been planned for the weekend at the town hall."],
         "test": ["Readers in {city} contacted this newspaper to share their own experiences, and a local "
                  "charity said it had seen a rise in calls since the news first emerged.",
                  "{city}'s member of parliament said she had written to the minister asking for an "
                  "urgent explanation and would update constituents as soon as she heard back."]}
UPDATES = {"dev": ["Officials gave more details later in the day, saying the investigation was continuing and "
                   "that further statements would follow once next of kin had been informed.",
                   "In a statement released after this story was first published, the organisation said it "
                   "was cooperating fully with the authorities and would not comment further."],
           "test": ["Update: a spokesperson confirmed the figures on Wednesday evening and said a fuller "
                    "account would be given at a briefing the following morning.",
                    "Since this report was first published, a second statement has said the earlier "
                    "numbers were provisional and could change as more information arrived."]}


def _fill(template: str, rng: random.Random, pool: str, other: str = "") -> str:
    name, agency, city = rng.choice(NAMES[pool]), rng.choice(AGENCIES[pool]), rng.choice(CITIES[pool])
    return template.format(name=name, agency=agency, city=city, CITY=city.upper(), other=other)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?\"'])\s+(?=[A-Z\"'])", paragraph) if s]


def headline(text: str, rng: random.Random) -> str:
    """A headline in the style of a copy desk: the first sentence's opening words."""
    first = _sentences(paragraphs(text)[0])[0] if paragraphs(text) else text
    words = re.sub(r"[\"'()]", "", first).split()
    cut = words[:rng.randint(6, 11)]
    return " ".join(cut).rstrip(",;:-") or "News"


def house_style(text: str, rng: random.Random, share: float = 0.6) -> str:
    """Apply a random share of the house-style rules (each rule everywhere it matches, in
    either direction) and swap about one word in 40."""
    for pattern, repl in HOUSE_STYLE:
        if rng.random() < share:
            text = re.sub(pattern, repl, text)
    out = []
    for token in re.split(r"(\s+)", text):
        bare = token.strip(".,;:\"'").lower()
        if bare in SWAPS and rng.random() < 0.25:
            token = token.replace(bare, SWAPS[bare]) if token.islower() else token
        out.append(token)
    return "".join(out)


def republish(record: dict, rng: random.Random, pool: str, n: int) -> dict:
    """The n-th republished copy of a record at another outlet."""
    paras = paragraphs(house_style(record["text"], rng))
    choice = rng.random()
    if choice < 0.3 and len(paras) > 3:
        paras = paras[1:]  # the agency's first paragraph dropped
    elif choice < 0.6:
        first = _sentences(paras[0])
        # The opening rewritten: its sentences turned round, the attribution moved.
        paras[0] = " ".join(reversed(first)) if len(first) > 1 else \
            re.sub(r"^(.*?), (\w+ said)\b", r"\2 \1", paras[0])
    if rng.random() < 0.5:
        paras[0] = _fill(rng.choice(POOLS[pool]["dateline"]), rng, pool) + paras[0]
    if rng.random() < 0.4 and len(paras) > 5:
        paras = paras[:len(paras) - rng.randint(1, max(1, len(paras) // 4))]  # cut for space
    if rng.random() < 0.35:
        paras.insert(rng.randint(1, len(paras)), _fill(rng.choice(LOCAL[pool]), rng, pool))
    text = "\n".join(paras)
    key = zlib.crc32(f"{record['id']}/{n}".encode())
    return {**record, "id": f"{record['id']}~copy{n}", "outlet": f"copydesk-{pool}-{key % 89}",
            "url": f"https://outlet{key % 89}.example/news/{key}",
            "title": headline(text, rng), "text": text, "kind": "derived-copy"}


def _rewrite(paragraph: str, rng: random.Random) -> str:
    sentences = _sentences(paragraph)
    if len(sentences) > 1 and rng.random() < 0.5:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    # A figure updated, words changed.
    out = re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + rng.randint(1, 3)) if rng.random() < 0.5
                 else m.group(1), " ".join(sentences), count=2)
    return house_style(out, rng, share=0.3)


def update(record: dict, rng: random.Random, pool: str, donor: dict | None, n: int) -> dict:
    """The n-th later version of a record at its own outlet, under a new address."""
    paras = paragraphs(record["text"])
    extra = paragraphs(donor["text"])[1:] if donor else []
    added = rng.sample(extra, k=min(len(extra), rng.randint(1, 3))) if extra else \
        [_fill(rng.choice(UPDATES[pool]), rng, pool)]
    if len(paras) > 6 and rng.random() < 0.6:
        for _ in range(rng.randint(1, 2)):
            paras.pop(rng.randrange(1, len(paras)))  # paragraphs taken out
    for i in rng.sample(range(len(paras)), k=min(len(paras), rng.randint(1, 3))):
        paras[i] = _rewrite(paras[i], rng)
    where = rng.choice(["top", "second", "end"])
    at = {"top": 0, "second": 1, "end": len(paras)}[where]
    paras[at:at] = added
    text = "\n".join(paras)
    return {**record, "id": f"{record['id']}~v{n}", "url": (record["url"] or "").rstrip("/") + f"-update-{n}",
            "title": headline(text, rng), "text": text, "kind": "derived-version",
            "donor": donor["id"] if donor else None}


def render_page(record: dict, rng: random.Random, pool: str, others: list[str]) -> str:
    """The record as a news page with site furniture; ``others``: headlines of other
    stories for related-links lines."""
    furniture = POOLS[pool]
    paras = [html.escape(p) for p in paragraphs(record["text"])]
    items = []
    for _ in range(rng.randint(3, 8)):
        kind = rng.choice(["caption", "caption", "related", "related", "newsletter", "social"])
        line = html.escape(_fill(rng.choice(furniture[kind]), rng, pool, rng.choice(others) if others else ""))
        if kind == "caption":
            items.append(f"<figure><img src='/i/{rng.randint(1, 999)}.jpg' alt=''><figcaption>{line}</figcaption></figure>"
                         if rng.random() < 0.5 else f"<p class='caption'>{line}</p>")
        elif kind == "related":
            items.append(f"<p><strong>{line.split(':')[0]}:</strong> <a href='/s/{rng.randint(1, 9999)}'>"
                         f"{line.split(':', 1)[1].strip()}</a></p>" if ":" in line else f"<p>{line}</p>")
        else:
            items.append(f"<p>{line}</p>")
    body = list(paras)
    for item in items:
        body.insert(rng.randint(1, len(body)), item)
    body = [b if b.startswith("<") else f"<p>{b}</p>" for b in body]
    if rng.random() < 0.4:
        body.append(f"<p><em>{html.escape(_fill(rng.choice(furniture['editor']), rng, pool))}</em></p>")
    title = html.escape(record.get("title") or headline(record["text"], rng))
    byline = html.escape(_fill(rng.choice(furniture["byline"]), rng, pool))
    site = html.escape(record["outlet"])
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"<meta property='og:title' content='{title}'><meta property='og:type' content='article'></head>"
            f"<body><header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a>"
            f"</nav></header><main><article><h1>{title}</h1><p class='byline'>{byline}</p>"
            + "".join(body) +
            "</article><aside><h2>Most read</h2><ul><li><a href='/a'>Weather warning for the weekend</a></li>"
            "<li><a href='/b'>Council tax to rise again</a></li></ul></aside></main>"
            f"<footer><p>&copy; {site}. All rights reserved.</p></footer></body></html>")


def derived_records(real: list[dict], split: str, seed: int = 2018, originals: int = 150) -> list[dict]:
    """Derived copies and versions for one split: originals are real texts of that split
    of 200 words or more in no labelled pair (no known copy, near copy or shared
    document among the real texts); about two thirds get one to
    three republished copies, half get one or two later versions (the second made from
    the first), their ``group`` the original's. Donor paragraphs for versions come from
    another text of the same story outside the original's group, when there is one."""
    rng = random.Random(f"{seed}/{split}")
    pool = split
    candidates = [r for r in real if r["split"] == split and not r["paired"]
                  and len(r["text"].split()) >= 200 and len(paragraphs(r["text"])) >= 4]
    chosen = rng.sample(candidates, k=min(originals, len(candidates)))
    by_story: dict[str, list[dict]] = {}
    for r in real:
        by_story.setdefault(r["story"], []).append(r)
    out = []
    for original in chosen:
        original = {**original, "kind": "derived-original"}
        out.append(original)
        if rng.random() < 0.67:
            for n in range(1, rng.randint(1, 3) + 1):
                out.append(republish(original, rng, pool, n))
        if rng.random() < 0.5:
            donors = [r for r in by_story.get(original["story"], []) if r["group"] != original["group"]]
            previous = original
            for n in range(1, rng.randint(1, 2) + 1):
                previous = update(previous, rng, pool, rng.choice(donors) if donors else None, n)
                out.append(previous)
    return out
