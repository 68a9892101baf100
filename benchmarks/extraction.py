"""Extraction quality: newsmon's clean stage against trafilatura's settings, side by side.

Pages: every public article of the demo web rendered through its outlet's template
(ground truth: the article files in data/demo/articles) and the hand-made pages of
tests/data/extraction/handmade (ground truth: the .json beside each .html). Body text
is scored as the public article-extraction benchmarks do: precision, recall and F1 over
word 4-grams; metadata fields by exact match after normalisation; non-article pages by
whether they were refused. Pages per second for each extractor; one JSON line last.

    python benchmarks/extraction.py
    python benchmarks/extraction.py --errors      # the pages each extractor gets wrong
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import trafilatura

from newsmon.web.demo import DemoWeb
from pipelines.clean import NotAnArticle, clean_page
from pipelines.text import words

REPO = Path(__file__).resolve().parent.parent

FETCHED = "2026-01-01T00:00:00+00:00"
HANDMADE = REPO / "tests" / "data" / "extraction" / "handmade"


def demo_pages() -> list[dict]:
    web = DemoWeb()
    for i, outlet in enumerate(web.outlets.values()):
        outlet.base_url = f"http://127.0.0.1:{48301 + i}/"
    pages = []
    for outlet in web.outlets.values():
        for article in outlet.articles:
            if article.meta.get("private"):
                continue
            body = "\n".join(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", block.strip().removeprefix("## "))
                             for block in re.split(r"\n\s*\n", article.body.strip()))
            page_html = web.article(outlet, article)
            standfirst = article.meta.get("standfirst", "").strip()
            if standfirst and html.escape(standfirst, quote=False) in page_html:
                body = f"{standfirst}\n{body}"  # a standfirst the page shows opens its story
            pages.append({
                "name": f"demo/{outlet.id}/{article.slug}", "html": page_html,
                "url": web.url(f"{outlet.id}/{article.slug}"), "kind": "article",
                "title": article.meta["title"], "published": article.meta["published"],
                "authors": [a for a in article.meta.get("authors", [])
                            if not any(w in a.lower() for w in ("reporter", "press wire", "team"))],
                "language": "en", "body": body})
    return pages


def handmade_pages() -> list[dict]:
    pages = []
    for truth_path in sorted(HANDMADE.glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        html = truth_path.with_suffix(".html").read_text(encoding="utf-8")
        pages.append({"name": f"handmade/{truth_path.stem}", "html": html,
                      "url": f"https://news.example/{truth_path.stem}", **truth})
    return pages


# --- extractors: each returns {"text", "title", "authors", "published", "language"} or None ---

def newsmon(page):
    try:
        a = clean_page(page["html"], page["url"], {}, FETCHED)
    except NotAnArticle:
        return None
    return {"text": a["text"], "title": a["title"], "authors": a["authors"],
            "published": a["published"], "language": a["language"]}


def trafilatura_with(**options):
    def run(page):
        doc = trafilatura.bare_extraction(page["html"], url=page["url"], with_metadata=True,
                                          deduplicate=False, **options)
        if doc is None or not (doc.text or "").strip():
            return None
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        return {"text": doc.text, "title": doc.title, "authors": authors, "published": doc.date,
                "language": doc.language}
    return run


EXTRACTORS = {
    "newsmon": newsmon,
    "trafilatura default": trafilatura_with(),
    "trafilatura no comments": trafilatura_with(include_comments=False),
    "trafilatura precision": trafilatura_with(include_comments=False, favor_precision=True),
    "trafilatura recall": trafilatura_with(include_comments=False, favor_recall=True),
    "trafilatura fast": trafilatura_with(include_comments=False, fast=True),
}


def grams(text: str, n: int = 4) -> Counter:
    tokens = words(text)
    return Counter(tuple(tokens[i:i + n]) for i in range(max(0, len(tokens) - n + 1)))


def body_scores(predicted: str, gold: str) -> tuple[float, float, float]:
    p, g = grams(predicted), grams(gold)
    overlap = sum((p & g).values())
    precision = overlap / sum(p.values()) if p else 0.0
    recall = overlap / sum(g.values()) if g else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def same_date(predicted, gold) -> bool:
    if not gold:
        return not predicted
    if not predicted:
        return False
    try:
        p, g = datetime.fromisoformat(predicted), datetime.fromisoformat(gold)
    except ValueError:
        return False
    if len(gold) <= 10 or len(predicted) <= 10 or p.tzinfo is None or g.tzinfo is None:
        return p.date() == g.date()
    if len(gold) <= 16 or g.second == 0:  # a page that shows minutes is right to the minute
        return p.replace(second=0, microsecond=0) == g
    return p == g


def evaluate(pages, extractor):
    totals = Counter()
    fields = Counter()
    wrong = []
    for page in pages:  # warm up: first calls load tables and fill caches (domain lists, dates)
        extractor(page)
    start = time.perf_counter()
    results = [extractor(page) for page in pages]
    elapsed = time.perf_counter() - start
    for page, got in zip(pages, results):
        if page["kind"] != "article":
            totals["non_articles"] += 1
            totals["refused"] += got is None
            if got is not None:
                wrong.append((page["name"], "accepted a non-article", page["kind"]))
            continue
        totals["articles"] += 1
        if got is None:
            wrong.append((page["name"], "refused an article", ""))
            continue
        p, r, f = body_scores(got["text"], page["body"])
        totals["precision"] += p
        totals["recall"] += r
        totals["f1"] += f
        if f < 0.9:
            wrong.append((page["name"], f"body F1 {f:.2f} (P {p:.2f} R {r:.2f})", ""))
        checks = {"title": " ".join((got["title"] or "").split()) == " ".join(page["title"].split()),
                  "authors": got["authors"] == page["authors"],
                  "published": same_date(got["published"], page["published"]),
                  "language": (got["language"] or "")[:2] == page["language"]}
        for field, ok in checks.items():
            fields[field] += ok
            if not ok:
                wrong.append((page["name"], field, f"{got[field]!r} != {page[field]!r}"))
    n = totals["articles"] or 1
    return {
        "body_precision": round(totals["precision"] / n, 4), "body_recall": round(totals["recall"] / n, 4),
        "body_f1": round(totals["f1"] / n, 4),
        **{f"{k}_accuracy": round(fields[k] / n, 4) for k in ("title", "authors", "published", "language")},
        "non_articles_refused": f"{totals['refused']}/{totals['non_articles']}",
        "pages_per_second": round(len(pages) / elapsed, 1),
    }, wrong


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--only", help="evaluate one extractor by name")
    args = parser.parse_args(argv)
    pages = demo_pages() + handmade_pages()
    articles = sum(1 for p in pages if p["kind"] == "article")
    print(f"{len(pages)} pages: {articles} articles, {len(pages) - articles} non-articles")
    header = (f"{'extractor':<26}{'body P':>8}{'body R':>8}{'body F1':>9}{'title':>7}{'authors':>9}"
              f"{'date':>7}{'lang':>7}{'refused':>9}{'pages/s':>9}")
    print(header)
    figures = {}
    for name, extractor in EXTRACTORS.items():
        if args.only and name != args.only:
            continue
        m, wrong = evaluate(pages, extractor)
        figures[name] = m
        print(f"{name:<26}{m['body_precision']:>8.3f}{m['body_recall']:>8.3f}{m['body_f1']:>9.3f}"
              f"{m['title_accuracy']:>7.2f}{m['authors_accuracy']:>9.2f}{m['published_accuracy']:>7.2f}"
              f"{m['language_accuracy']:>7.2f}{m['non_articles_refused']:>9}{m['pages_per_second']:>9.1f}")
        if args.errors:
            for row in wrong:
                print("    ", " | ".join(row))
    print(json.dumps({"pages": len(pages), "articles": articles, "extractors": figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
