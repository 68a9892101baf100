"""How the page-only stages grow with a page's size: CPU at n and 4n units of odd page shapes.

A crawl meets pages no template foresaw: thousands of paragraphs, one paragraph of a whole
transcript, thousands of empty marker elements, links, table rows, captions. Each shape is
built at ``n`` and ``4n`` units, run through ``clean_page`` (the clean stage) and, for the
article texts, ``process_article`` (relevance, keys, comparison with the source), and timed
(process CPU). Work that grows with the page grows 4 times; a ratio far above that is work
that grows with its square, which on a large page runs for minutes and holds a crawl worker
(an XPath of the form ``//p//span[...]`` and lxml's ``drop_tag`` one element at a time were
such: a page of 200,000 paragraphs took 8 minutes to refuse). Shapes over ``--limit`` (x8 by
default) are listed as superlinear.

    python benchmarks/scaling.py
    python benchmarks/scaling.py --sizes 1000,4000 --before 969d556   # an earlier revision beside
    python benchmarks/scaling.py --shape paragraphs --shape empty-markers

Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SENTENCE = "The council said on Tuesday that the plan for the harbour would go ahead despite the objections. "


def _page(body: str, head: str = "") -> str:
    return (f"<html lang='en'><head><title>Harbour plan goes ahead</title>{head}</head><body>"
            f"<h1>Harbour plan goes ahead</h1>{body}</body></html>")


def _line(i: int) -> str:
    return f"{SENTENCE[:-2]} (item {i})."


# Each: n units -> a page. Sentences carry their number, so no two lines are alike.
PAGES = {
    "paragraphs": lambda n: _page("".join(f"<p>{_line(i)}</p>" for i in range(n))),
    "paragraphs-unclosed": lambda n: _page("".join(f"<p>{_line(i)}" for i in range(n))),
    "one-paragraph": lambda n: _page("<p>" + " ".join(_line(i) for i in range(n)) + "</p>"),
    "line-breaks": lambda n: _page("<div>" + "".join(f"{_line(i)}<br>" for i in range(n)) + "</div>"),
    "empty-markers": lambda n: _page("<p>" + "".join(f"<span></span>{_line(i)} " for i in range(n)) + "</p>"),
    "empty-before-text": lambda n: _page("<div>" + "".join(f"<strong></strong>{_line(i)} " for i in range(n))
                                         + "</div>"),
    "links": lambda n: _page("<ul>" + "".join(f"<li><a href='/story/{i}'>Story {i} of the day</a></li>"
                                              for i in range(n)) + f"</ul><p>{SENTENCE * 5}</p>"),
    "links-in-text": lambda n: _page("<p>" + "".join(f"<a href='/x{i}'>word{i}</a> {_line(i)} " for i in range(n))
                                     + "</p>"),
    "table-rows": lambda n: _page("<table>" + "".join(f"<tr><td>{i}</td><td>{_line(i)}</td></tr>" for i in range(n))
                                  + "</table>"),
    "headings": lambda n: _page("".join(f"<h2>Part {i}</h2><p>{_line(i)}</p>" for i in range(n))),
    "dated-lines": lambda n: _page("".join(f"<p><time datetime='2020-01-{i % 28 + 1:02d}'>Jan {i % 28 + 1}</time> "
                                           f"{_line(i)}</p>" for i in range(n))),
    "bylines": lambda n: _page("".join(f"<p class='byline'>By Jane Smith{i}</p><p>{_line(i)}</p>" for i in range(n))),
    "classed-boxes": lambda n: _page("".join(f"<div class='c{i} caption related-box' id='i{i}'><p>{_line(i)}</p></div>"
                                             for i in range(n))),
    "captions": lambda n: _page("".join(f"<figure><img src='/{i}.jpg'><figcaption>Photo {i}: agency</figcaption>"
                                        f"</figure><p>{_line(i)}</p>" for i in range(n))),
    "lists": lambda n: _page("".join(f"<ul><li>{_line(i)}</li><li>{_line(-i)}</li></ul><p>{_line(i)}</p>"
                                     for i in range(n))),
    "json-ld-authors": lambda n: _page(f"<p>{SENTENCE * 10}</p>", "<script type='application/ld+json'>" + json.dumps(
        {"@type": "NewsArticle", "headline": "Harbour plan goes ahead",
         "author": [{"@type": "Person", "name": f"Jane Smith{i}"} for i in range(n)]}) + "</script>"),
    "meta-tags": lambda n: _page(f"<p>{SENTENCE * 10}</p>", "".join(f"<meta name='m{i}' content='v{i}'>"
                                                                   for i in range(n))),
}

_WORDS = [f"w{i}" for i in range(5000)]


def _said(rnd: random.Random, i: int) -> str:
    return "The Home Office said " + " ".join(rnd.choice(_WORDS) for _ in range(15)) + f" on day {i}."


# Each: n units -> an article's text, for the stages after cleaning.
TEXTS = {
    "text:sentences": lambda n, rnd: "\n".join(_said(rnd, i) for i in range(n)),
    "text:one-line": lambda n, rnd: " ".join(_said(rnd, i) for i in range(n)),
    "text:quotes": lambda n, rnd: "\n".join(f'"{_said(rnd, i)}" said Jane Smith{i}.' for i in range(n)),
    "text:figures": lambda n, rnd: "\n".join(f"There were {i * 7} calls in {2000 + i % 20}, {i}% more, £{i}m."
                                             for i in range(n)),
    "text:names": lambda n, rnd: "\n".join(f"Minister John Ab{i} met Mary Cd{i} of the Ef{i} Council in Gh{i}."
                                           for i in range(n)),
}


def measure(code: Path, shapes: list[str], sizes: tuple[int, int]) -> dict:
    """CPU seconds per shape and size, the stages imported from ``code``."""
    sys.path.insert(0, str(code))
    from pipelines.clean import NotAnArticle, clean_page
    from pipelines.page import Context, process_article
    from pipelines.profile import profile

    seed = code / "data" / "sources" / "mps-not-border-guards.txt"  # the default watch's source
    seed_text = seed.read_text(encoding="utf-8") if seed.exists() else SENTENCE * 40
    ctx = Context(topic_terms=(("immigration enforcement", 3.0), ("home office", 0.5)), keep_unrelated=True,
                  sources=[{"id": "source", "profile": profile(seed_text, "Charities urge MPs", "2018-10-12"),
                            "text": seed_text}])
    # (each stage run once first: its first call reads models and compiles patterns)
    clean_page(PAGES["paragraphs"](50), "https://news.example/a", {}, "2026-01-01T00:00:00Z")
    process_article({"title": "Charities urge MPs", "text": TEXTS["text:sentences"](50, random.Random(0)),
                     "authors": [], "published": "2018-10-12", "language": "en", "outlet": "news.example",
                     "site": "news.example", "words": 800}, "https://news.example/b", "https://news.example/b", ctx)
    out = {}
    for shape in shapes:
        row = []
        for n in sizes:
            if shape in PAGES:
                html = PAGES[shape](n)
                start = time.process_time()
                try:
                    text = clean_page(html, "https://news.example/a", {}, "2026-01-01T00:00:00Z")["text"]
                    verdict = f"{len(text.split())} words"
                except NotAnArticle as refused:
                    verdict = f"refused: {refused}"
            else:
                text = TEXTS[shape](n, random.Random(n))
                article = {"title": "Charities urge MPs to stop reporting migrants", "text": text, "authors": ["A B"],
                           "published": "2018-10-12", "language": "en", "outlet": "news.example",
                           "site": "news.example", "words": len(text.split())}
                start = time.process_time()
                process_article(article, "https://news.example/a", "https://news.example/a", ctx)
                verdict = f"{article['words']} words"
            row.append({"units": n, "cpu_s": round(time.process_time() - start, 4), "result": verdict})
        out[shape] = row
    return out


def _other(rev: str, shapes: list[str], sizes: tuple[int, int], workdir: Path) -> dict:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(workdir)], input=archive, check=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--code", str(workdir), "--quiet",
           "--sizes", ",".join(map(str, sizes))] + [a for s in shapes for a in ("--shape", s)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])["shapes"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000", help="n,4n: the two sizes (units of each shape)")
    parser.add_argument("--shape", action="append", choices=list(PAGES) + list(TEXTS), help="one shape (repeatable)")
    parser.add_argument("--limit", type=float, default=8.0, help="a ratio above this is listed as superlinear")
    parser.add_argument("--before", help="an earlier revision, measured beside this checkout")
    parser.add_argument("--code", help=argparse.SUPPRESS)  # the checkout whose stages are measured
    parser.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    small, large = (int(x) for x in args.sizes.split(","))
    shapes = args.shape or list(PAGES) + list(TEXTS)
    result = {"sizes": [small, large], "shapes": measure(Path(args.code or REPO), shapes, (small, large))}
    if args.quiet:
        print(json.dumps(result))
        return 0
    before = None
    if args.before:
        with tempfile.TemporaryDirectory() as tmp:
            before = _other(args.before, shapes, (small, large), Path(tmp))
    expected = large / small
    print(f"CPU at {small} and {large} units of each shape (work in proportion grows x{expected:g})")
    print(f"{'shape':22}{'cpu s':>9}{'cpu s':>9}{'ratio':>8}" + (f"{'before':>10}{'ratio':>8}" if before else "")
          + "  result at the larger size")
    superlinear = []
    for shape, (a, b) in ((s, result["shapes"][s]) for s in shapes):
        ratio = b["cpu_s"] / max(a["cpu_s"], 1e-4)
        row = f"{shape:22}{a['cpu_s']:>9.3f}{b['cpu_s']:>9.3f}{ratio:>8.1f}"
        if before:
            ba, bb = before[shape]
            row += f"{bb['cpu_s']:>10.3f}{bb['cpu_s'] / max(ba['cpu_s'], 1e-4):>8.1f}"
        print(row + f"  {b['result'][:60]}")
        if ratio > args.limit:
            superlinear.append(shape)
    print(f"superlinear (ratio over {args.limit:g}): {', '.join(superlinear) or 'none'}")
    result.update({"superlinear": superlinear, "before": before, "before_rev": args.before})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
