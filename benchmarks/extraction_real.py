"""Extraction on real pages: newsmon's clean stage beside trafilatura, dev and test apart.

Pages and expected values: ``benchmarks/realdata/extraction.py`` (public test pages of
trafilatura, newspaper4k, htmldate, postlight/parser, goose3, newspaper, Media Cloud,
cloudscraper and Formasaurus at pinned commits, plus our labels). Scored per split, and per corpus:

- body: snippets a page must contain found (recall) and snippets it must not contain kept
  (precision), over words so spacing and punctuation do not count; where the full expected
  text exists, F1 over word 4-grams. A refused article counts as empty text.
- title: exact after normalisation (NFKC, plain quotes and dashes, single spaces, case:
  CSS sets the case some expected titles were copied in).
- authors: the set of names, exact up to case and spacing ([] expected: none given).
- day: the publication day; on pages with an expected date. ``false dates``: a date given
  for a page that has none. newsmon's wrong days are told apart by kind (``day_misses``):
  none given, the page's modified day expected, a day apart, other.
- language: the two-letter code.
- refusals: articles refused (should be none) and non-articles refused (should be all).
Every metadata figure counts a refused article as wrong.

trafilatura runs at several settings; the best on dev by body F1 is the one set beside
newsmon. Its results are cached by version, setting and page (it does not change while
newsmon is tuned). Ends with one JSON line.

    python benchmarks/extraction_real.py                   # both splits
    python benchmarks/extraction_real.py --split dev --only newsmon --errors title
    python benchmarks/extraction_real.py --errors refused   # articles refused, non-articles kept
    python benchmarks/extraction_real.py --only newsmon --as-files  # pages as saved files, no address given
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/extraction_real.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

import trafilatura  # noqa: E402

from benchmarks.realdata import cache_root  # noqa: E402
from benchmarks.realdata.extraction import load_pages  # noqa: E402
from pipelines.clean import NotAnArticle, clean_page  # noqa: E402
from pipelines.decode import decode_html  # noqa: E402
from pipelines.text import normalise, words  # noqa: E402

FETCHED = "2026-06-01T00:00:00+00:00"
FIELDS = ("title", "authors", "day", "language")


# --- extractors: page -> {"text", "title", "authors", "published", "language"}, or {"refused": reason} ---

def newsmon(page: dict, html: str, as_file: bool = False) -> dict:
    """newsmon's clean stage on the page at its address; ``as_file``: as a saved file, no
    address given (``newsmon extract page.html``), the page's own statement of it alone."""
    try:
        got = clean_page(html, page["path"].resolve().as_uri() if as_file else page["url"], {}, FETCHED)
    except NotAnArticle as exc:
        return {"refused": str(exc)}
    return {"text": got["text"], "title": got["title"], "authors": got["authors"],
            "published": got["published"], "modified": got.get("modified"), "language": got["language"]}


def trafilatura_with(**options):
    def run(page: dict, html: str) -> dict:
        doc = trafilatura.bare_extraction(html, url=page["url"], with_metadata=True, deduplicate=False,
                                          **options)
        if doc is None or not (doc.text or "").strip():
            return {"refused": "nothing extracted"}
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        return {"text": doc.text, "title": doc.title, "authors": authors, "published": doc.date,
                "language": doc.language}
    return run


TRAFILATURA = {
    "trafilatura default": {},
    "trafilatura precision": {"include_comments": False, "favor_precision": True},
    "trafilatura recall": {"include_comments": False, "favor_recall": True},
    "trafilatura no comments": {"include_comments": False},
}


def cached(name: str, extractor):
    """trafilatura's results kept on disk by version, setting and page content."""
    store = cache_root() / "extraction-results" / f"{trafilatura.__version__}-{name.replace(' ', '_')}.json"
    results = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    dirty = []

    def run(page, html):
        key = page["id"] + ":" + hashlib.sha1(html.encode("utf-8", "replace")).hexdigest()[:12]
        if key not in results:
            results[key] = extractor(page, html)
            dirty.append(key)
        return results[key]

    def save():
        if dirty:
            store.parent.mkdir(parents=True, exist_ok=True)
            partial = store.with_suffix(".part")
            partial.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
            partial.replace(store)
            dirty.clear()
    run.save = save
    return run


# --- scoring ---------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))  # soft hyphens, zero widths


def _tokens(text: str) -> list[str]:
    # An expected snippet copied with the page's soft hyphens ("Werk\u00adzeug") is the word
    # a reader sees ("Werkzeug"), as is an extractor's text with or without them.
    text = (text or "").translate(_INVISIBLE)
    tokens = words(text)
    # Scripts written without spaces: one "word" per character.
    if tokens and len(text) > 40 and len(tokens) < len(text) / 25:
        tokens = [ch for ch in normalise(text).lower() if not ch.isspace()]
    return tokens


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """Whether the words of ``needle`` stand in ``haystack`` in a row. Snippets were cut from
    the text anywhere, mid-word too ("esichts der Corona-Krise ... Das Werk entstan"): of
    three words or more, the first may end a word and the last begin one."""
    if not needle:
        return True
    n = len(needle)
    if n < 3:
        return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))
    first, middle, last = needle[0], needle[1:-1], needle[-1]
    return any(haystack[i + 1] == middle[0] and haystack[i + 1:i + n - 1] == middle and haystack[i].endswith(first)
               and haystack[i + n - 1].startswith(last) for i in range(len(haystack) - n + 1))


def snippet_counts(text: str, page: dict) -> tuple[int, int, int, int]:
    """(found, missed, wrongly kept, rightly left out)."""
    tokens = _tokens(text or "")
    found = sum(_contains(tokens, _tokens(s)) for s in page.get("with") or [])
    kept = sum(_contains(tokens, _tokens(s)) for s in page.get("without") or [])
    return found, len(page.get("with") or []) - found, kept, len(page.get("without") or []) - kept


def gram_f1(predicted: str, gold: str, n: int = 4) -> float:
    def grams(text):
        t = _tokens(text)
        return Counter(tuple(t[i:i + n]) for i in range(max(0, len(t) - n + 1)))
    p, g = grams(predicted or ""), grams(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def same_title(predicted, gold) -> bool:
    # Up to case: some expected titles were copied from the rendered page, where CSS
    # (text-transform: uppercase) sets the case; the page's own text has another.
    def norm(t):
        return normalise(t or "").strip(" .:|-").casefold()
    return bool(predicted) and norm(predicted) == norm(gold)


def same_authors(predicted, gold) -> bool:
    def norm(names):
        return {normalise(n).casefold().strip(" .,") for n in names or [] if n and n.strip()}
    return norm(predicted) == norm(gold)


def _day(value: str | None):
    """The day of a date as written; a time in UTC ("Z") from postlight's expected values
    is compared in UTC, so a predicted time with an offset is moved to UTC first."""
    if not value:
        return None, False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None, False
    return parsed, value.endswith("Z") or value.endswith("+00:00")


def same_day(predicted, gold) -> bool:
    g, gold_utc = _day(gold)
    p, _ = _day(predicted)
    if g is None or p is None:
        return False
    if gold_utc and _local_midnight(g) and p.date() == g.date() + timedelta(days=1):
        # postlight writes a printed day as that day's midnight east of UTC, in UTC: a page
        # printing 19.07.2022 in Germany expects "2022-07-18T22:00:00.000Z", whose day as
        # published is the next one (a whole hour from noon may also be a time of its own:
        # then the comparisons below).
        return True
    if gold_utc and p.tzinfo is not None and (g.hour or g.minute):
        return p.astimezone(timezone.utc).date() == g.date()
    return p.date() == g.date()


def _local_midnight(gold: datetime) -> bool:
    """A UTC time on a whole hour from 12:00: a local midnight of a zone east of UTC."""
    return gold.hour >= 12 and not (gold.minute or gold.second or gold.microsecond)


DAY_MISSES = ("none", "modified", "one_day", "other")


def day_miss(got: dict, gold: str) -> str:
    """What kind of miss a wrong publication day is: ``none`` (no date given); ``modified``
    (the expected day is the page's own modified day: some sets expect the date a page was
    last changed, htmldate's default, where newsmon gives the first publication); ``one_day``
    (a day apart: a time near midnight read in another time zone than the expected value's);
    ``other``."""
    if not got.get("published"):
        return "none"
    if got.get("modified") and same_day(got["modified"], gold):
        return "modified"
    p, g = _day(got["published"])[0], _day(gold)[0]
    if p is not None and g is not None and abs((p.date() - g.date()).days) == 1:
        return "one_day"
    return "other"


def same_language(predicted, gold) -> bool:
    return (predicted or "")[:2].lower() == (gold or "")[:2].lower()


def score(pages: list[dict], results: dict) -> tuple[dict, list]:
    """Figures for one extractor's results over pages; and what it got wrong."""
    t = Counter()
    wrong = []
    for page in pages:
        got = results[page["id"]]
        refused = "refused" in got
        if page["kind"] != "article":
            t["non_articles"] += 1
            t["non_articles_refused"] += refused
            if not refused:
                wrong.append((page, "refused", f"kept a {page['kind']} page: {got.get('title')!r}"))
            continue
        t["articles"] += 1
        t["articles_refused"] += refused
        if refused:
            wrong.append((page, "refused", f"refused an article: {got['refused']}"))
        text = got.get("text") or ""
        if page.get("with") or page.get("without"):
            found, missed, kept, left = snippet_counts(text, page)
            t["found"] += found
            t["missed"] += missed
            t["kept"] += kept
            t["left"] += left
            if (missed or kept) and not refused:
                wrong.append((page, "body", f"{missed} of {found + missed} snippets missed, {kept} unwanted kept"))
        if page.get("body"):
            f1 = gram_f1(text, page["body"])
            t["full_pages"] += 1
            t["full_f1"] += f1
            if f1 < 0.9 and not refused:
                wrong.append((page, "body", f"full-text F1 {f1:.2f}"))
        checks = {}
        if page.get("title"):
            checks["title"] = (same_title(got.get("title"), page["title"]), got.get("title"), page["title"])
        if page.get("authors") is not None:
            checks["authors"] = (same_authors(got.get("authors"), page["authors"]), got.get("authors"),
                                 page["authors"])
        if page.get("date"):
            checks["day"] = (same_day(got.get("published"), page["date"]), got.get("published"), page["date"])
            if not checks["day"][0] and not refused:
                t[f"day_miss_{day_miss(got, page['date'])}"] += 1
        elif page.get("date") == "" and got.get("published"):
            t["false_dates"] += 1
        if page.get("date") == "":
            t["dateless"] += 1
        if page.get("language"):
            checks["language"] = (same_language(got.get("language"), page["language"]), got.get("language"),
                                  page["language"])
        for field, (ok, predicted, expected) in checks.items():
            t[f"{field}_n"] += 1
            t[f"{field}_ok"] += ok
            if not ok and not refused:
                wrong.append((page, field, f"{predicted!r} != {expected!r}"))
    precision = t["found"] / (t["found"] + t["kept"]) if t["found"] + t["kept"] else 0.0
    recall = t["found"] / (t["found"] + t["missed"]) if t["found"] + t["missed"] else 0.0
    figures = {
        "articles": t["articles"], "non_articles": t["non_articles"],
        "body_precision": round(precision, 4), "body_recall": round(recall, 4),
        "body_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "full_text_f1": round(t["full_f1"] / t["full_pages"], 4) if t["full_pages"] else None,
        **{f: (round(t[f"{f}_ok"] / t[f"{f}_n"], 4) if t[f"{f}_n"] else None) for f in FIELDS},
        **{f"{f}_pages": t[f"{f}_n"] for f in FIELDS},
        "false_dates": f"{t['false_dates']}/{t['dateless']}",
        "day_misses": {kind: t[f"day_miss_{kind}"] for kind in DAY_MISSES},
        "articles_refused": t["articles_refused"],
        "articles_refused_rate": round(t["articles_refused"] / t["articles"], 4) if t["articles"] else None,
        "non_articles_refused": t["non_articles_refused"],
        "non_articles_refused_rate": (round(t["non_articles_refused"] / t["non_articles"], 4)
                                      if t["non_articles"] else None),
    }
    return figures, wrong


def run_all(pages, extractor, jobs: int = 1) -> tuple[dict, float]:
    start = time.process_time()
    results = {}
    for page in pages:
        html = page.get("_html")
        if html is None:
            html = page["_html"] = decode_html(page["path"].read_bytes())
        results[page["id"]] = extractor(page, html)
    return results, time.process_time() - start


def _row(name, m):
    def f(v, fmt="{:.3f}"):
        return fmt.format(v) if v is not None else "-"
    return (f"{name:<24}{f(m['body_precision']):>7}{f(m['body_recall']):>7}{f(m['body_f1']):>7}"
            f"{f(m['full_text_f1']):>7}{f(m['title']):>7}{f(m['authors']):>8}{f(m['day']):>7}{f(m['language']):>7}"
            f"{m['false_dates']:>9}{m['articles_refused']:>5}/{m['articles']:<5}"
            f"{m['non_articles_refused']:>5}/{m['non_articles']:<4}")


HEADER = (f"{'':<24}{'bodyP':>7}{'bodyR':>7}{'bodyF1':>7}{'fullF1':>7}{'title':>7}{'authors':>8}{'day':>7}"
          f"{'lang':>7}{'falsedt':>9}{'art.refused':>11}{'non-art.ref':>11}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--only", help="run only this extractor (newsmon, or a trafilatura setting)")
    parser.add_argument("--corpus", help="only the pages of this corpus")
    parser.add_argument("--errors", nargs="?", const="all",
                        help="list newsmon's errors: all, refused, body, title, authors, day, language")
    parser.add_argument("--as-files", action="store_true",
                        help="give newsmon each page as a saved file, without its address")
    args = parser.parse_args(argv)
    pages = load_pages(None if args.split == "all" else args.split)
    if args.corpus:
        pages = [p for p in pages if p["corpus"] == args.corpus]
    splits = ["dev", "test"] if args.split == "all" else [args.split]
    corpora = sorted({p["corpus"] for p in pages})
    counts = Counter((p["split"], p["kind"] == "article") for p in pages)
    print(f"{len(pages)} pages; " + "; ".join(f"{s}: {counts[(s, True)]} articles, {counts[(s, False)]} non-articles"
                                              for s in splits))

    extractors = {"newsmon": functools.partial(newsmon, as_file=True) if args.as_files else newsmon}
    extractors.update({name: cached(name, trafilatura_with(**options)) for name, options in TRAFILATURA.items()})
    if args.only:
        extractors = {k: v for k, v in extractors.items() if k == args.only}
    results, cpu = {}, {}
    for name, extractor in extractors.items():
        results[name], cpu[name] = run_all(pages, extractor)
        if hasattr(extractor, "save"):
            extractor.save()

    # trafilatura's best setting, chosen on dev by body F1
    dev_pages = [p for p in load_pages("dev") if not args.corpus or p["corpus"] == args.corpus] \
        if args.split == "test" else [p for p in pages if p["split"] == "dev"]
    best = None
    trafs = [n for n in results if n.startswith("trafilatura")]
    if trafs:
        if args.split == "test":  # dev results are needed to choose: run (cached) on dev too
            for name in trafs:
                dev_results, _ = run_all(dev_pages, extractors[name])
                extractors[name].save()
                results[name] = {**results[name], **dev_results}
        best = max(trafs, key=lambda n: score(dev_pages, results[n])[0]["body_f1"])

    out = {"pages": len(pages), "best_trafilatura": best, "splits": {}}
    for split in splits:
        subset = [p for p in pages if p["split"] == split]
        print(f"\n== {split} ({sum(p['kind'] == 'article' for p in subset)} articles, "
              f"{sum(p['kind'] != 'article' for p in subset)} non-articles)")
        print(HEADER)
        out["splits"][split] = {}
        for name in results:
            m, _ = score(subset, results[name])
            out["splits"][split][name] = {"all": m}
            print(_row(name + (" *" if name == best else ""), m))
        for corpus in corpora:
            part = [p for p in subset if p["corpus"] == corpus]
            if not part:
                continue
            print(f"  -- {corpus}")
            for name in results:
                if name not in ("newsmon", best):
                    continue
                m, _ = score(part, results[name])
                out["splits"][split][name][corpus] = m
                print(_row("  " + name, m))
        if "newsmon" in results:  # non-articles refused, by what kind of page they are
            others = [p for p in subset if p["kind"] != "article"]
            kinds = Counter(p["kind"] for p in others)
            refused = Counter(p["kind"] for p in others if "refused" in results["newsmon"][p["id"]])
            by_kind = {k: [refused[k], n] for k, n in kinds.most_common()}
            out["splits"][split]["newsmon"]["non_articles_by_kind"] = by_kind
            print("newsmon's non-articles refused, by kind: "
                  + ", ".join(f"{k} {r}/{n}" for k, (r, n) in by_kind.items()))
        if "newsmon" in out["splits"][split]:
            misses = out["splits"][split]["newsmon"]["all"]["day_misses"]
            print("newsmon's wrong days: " + ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in misses.items())
                  + " (modified: the expected day is the page's modified day; one day: a day apart)")
    newsmon_pages = sum(1 for _ in pages)
    if "newsmon" in cpu:
        out["newsmon_cpu_ms_per_page"] = round(1000 * cpu["newsmon"] / newsmon_pages, 1)
        print(f"\nnewsmon CPU per page: {out['newsmon_cpu_ms_per_page']} ms")
    if args.errors and "newsmon" in results:
        print()
        for split in splits:
            subset = [p for p in pages if p["split"] == split]
            _m, wrong = score(subset, results["newsmon"])
            for page, field, what in wrong:
                if args.errors in ("all", field):
                    print(f"{split} {field:<8} {page['id']:<60} {what}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
