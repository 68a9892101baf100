"""Check the hand-made extraction pages against their ground truth.

Run from the repository root:  python tests/data/extraction/handmade/check.py
Exits non-zero and lists every problem found.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import lxml.html

HERE = Path(__file__).resolve().parent
KINDS = {"article", "listing", "live-blog", "gallery", "consent-wall", "bot-challenge",
         "paywall-stub", "error-page"}
ARTICLE_KEYS = {"kind", "title", "authors", "published", "language", "body"}
OTHER_KEYS = {"kind", "language"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$")
WORDS = {"12-short-brief-most-read": (120, 150)}   # everything else: 300..900
LANGS = {"en": 36, "de": 2, "fr": 2, "es": 1, "it": 1, "nl": 1, "cy": 1}


def norm(text: str) -> str:
    return " ".join(text.split())


class Balance(HTMLParser):
    """Every non-void element is closed, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            top = self.stack[-1] if self.stack else None
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes {top}")
            return
        self.stack.pop()


def visible(doc) -> tuple[str, list[str]]:
    """Whitespace-normalised visible text, and the text of every element."""
    for bad in doc.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    elements = [norm(el.text_content()) for el in doc.iter() if isinstance(el.tag, str)]
    return norm(doc.text_content()), elements


def check(stem: str) -> list[str]:
    problems = []
    html = (HERE / f"{stem}.html").read_text(encoding="utf-8")
    try:
        truth = json.loads((HERE / f"{stem}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"json: {exc}"]

    parser = Balance()
    parser.feed(html)
    parser.close()
    problems += parser.errors[:5]
    if parser.stack:
        problems.append(f"unclosed: {parser.stack[:5]}")

    doc = lxml.html.fromstring(html)
    lang = (doc.get("lang") or "").split("-")[0].lower()
    for block in doc.xpath('//script[@type="application/ld+json" or @type="application/json"]'):
        try:
            json.loads(block.text)
        except ValueError as exc:
            problems.append(f"script JSON does not parse: {exc}")
    for url in doc.xpath("//img/@src|//script/@src|//iframe/@src|//link[@rel='stylesheet']/@href"
                         "|//*[starts-with(local-name(), 'amp-')]/@src"):
        if re.match(r"^(https?:)?//", url):
            problems.append(f"external resource {url}")

    kind = truth.get("kind")
    if kind not in KINDS:
        return problems + [f"bad kind {kind!r}"]
    keys = ARTICLE_KEYS if kind == "article" else OTHER_KEYS
    if set(truth) != keys:
        problems.append(f"keys {sorted(truth)} != {sorted(keys)}")
    if truth.get("language") != lang:
        problems.append(f"language {truth.get('language')!r} but <html lang> {lang!r}")
    if kind != "article":
        return problems

    text, elements = visible(doc)
    element_texts = set(elements)
    if not isinstance(truth["authors"], list) or not all(isinstance(a, str) for a in truth["authors"]):
        problems.append("authors must be a list of strings")
    for name in truth["authors"]:
        if name not in text:
            problems.append(f"author {name!r} not in page text")
    if truth["published"] and not ISO.match(truth["published"]):
        problems.append(f"published {truth['published']!r} is not ISO 8601")
    if "T" in truth["published"] and not re.search(r"([+-]\d{2}:\d{2}|Z)$", truth["published"]):
        problems.append("published has a time but no offset")
    if norm(truth["title"]) not in text:
        problems.append("title not in page text")
    lines = truth["body"].split("\n")
    position = 0
    for line in lines:
        if not line or line != norm(line):
            problems.append(f"body line empty or not normalised: {line[:60]!r}")
            continue
        found = text.find(line, position)
        if found < 0:
            where = "out of order" if line in text else "missing from page text"
            problems.append(f"body line {where}: {line[:60]!r}")
        else:
            position = found + len(line)
        if line not in element_texts:
            problems.append(f"body line is not the whole text of one element: {line[:60]!r}")
    if len(set(lines)) != len(lines):
        problems.append("body repeats a line")
    low, high = WORDS.get(stem, (300, 900))
    count = len(truth["body"].split())
    if not low <= count <= high:
        problems.append(f"body has {count} words, want {low}..{high}")
    if stem.startswith("11-") and len(text.split()) - count <= count:
        problems.append("boilerplate is not longer than the article")
    return problems


def main() -> int:
    stems = sorted(p.stem for p in HERE.glob("[0-9][0-9]-*.html"))
    jsons = sorted(p.stem for p in HERE.glob("[0-9][0-9]-*.json"))
    failures = 0
    if stems != jsons:
        print("html/json pairs differ:", sorted(set(stems) ^ set(jsons)))
        failures += 1
    numbers = [s[:2] for s in stems]
    if numbers != [f"{n:02d}" for n in range(1, 45)]:
        print("want pages 01..44, have", numbers)
        failures += 1
    langs, kinds = Counter(), Counter()
    for stem in stems:
        problems = check(stem)
        truth = json.loads((HERE / f"{stem}.json").read_text(encoding="utf-8"))
        langs[truth.get("language")] += 1
        kinds[truth.get("kind")] += 1
        words = len(truth.get("body", "").split())
        status = "ok" if not problems else "FAIL"
        print(f"{status:4} {stem:34} {truth.get('kind'):13} {truth.get('language')} {words:4} words")
        for problem in problems:
            print("     -", problem)
        failures += bool(problems)
    if dict(langs) != LANGS:
        print("languages", dict(langs), "want", LANGS)
        failures += 1
    if kinds["article"] != 34 or len(kinds) != 8:
        print("kinds", dict(kinds))
        failures += 1
    print("all good" if not failures else f"{failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
