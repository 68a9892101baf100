"""Real pages with expected values, for the clean stage: article text, headline, authors,
publication day, language, and whether the page is an article at all.

Every page comes from a public repository at a pinned commit, fetched into the git-ignored
cache by ``benchmarks.realdata``; nothing of it is committed. What is ours sits beside this
script: ``extraction_labels.json`` (pages that are not articles, each with a note; expected
values we corrected by reading the page, each with a note; pages left out, with why) and
``extraction.md`` (how the set was built, what each corpus's expected values mean).

Corpora and licences (their code is not used; their saved pages stay in the cache):

- ``trafilatura``: adbar/trafilatura ``tests/evaldata.json`` with ``tests/cache`` and
  ``tests/eval`` (Apache-2.0): about 1,000 pages, must-contain / must-not-contain
  snippets, titles, dates, authors reviewed by people.
- ``newspaper4k``: AndyTheFactory/newspaper4k ``tests/data`` (MIT): pages with their full
  expected text, title and date (that library's reviewed output), and three home pages.
- ``htmldate``: adbar/htmldate ``tests/eval_default.json`` and ``eval_mediacloud_2020.json``
  with ``tests/cache``, ``tests/eval`` and ``tests/test_set`` (Apache-2.0): publication
  dates of about 1,000 pages (pages already in the trafilatura corpus are not repeated).
- ``postlight``: postlight/parser ``fixtures`` with the expected values in
  ``src/extractors/custom/*/index.test.js`` (MIT / Apache-2.0): title, author, date, the
  first words of the article.
- ``goose3``: goose3/goose3 ``tests/data/content`` (Apache-2.0): the article's opening text
  and title.
- ``metascraper``: microlinkhq/metascraper ``packages/metascraper/test/integration`` (MIT):
  about 90 publisher pages (news, tech press, blogs, company pages) saved with their URL,
  and the title, author, date and language its maintainers accepted in the test snapshots
  (one author per page; corrected where a page names more or none: see the labels).
- ``cloudscraper``: VeNoMouS/cloudscraper ``tests/fixtures`` (MIT): bot-challenge pages as
  served (non-articles only).
- ``formasaurus``: TeamHG-Memex/Formasaurus ``formasaurus/data`` (MIT): about 950 pages of
  about 400 sites saved from the web (2014-2016) to train a form classifier, with their URLs;
  front pages, section, forum, search and login pages, a few articles. Only the pages we
  labelled by hand are used (385, one or more from each of its sites; non-articles above all).
- ``newsweb``: AdamClarkStandke/SeniorResearch ``Articles`` and ``not_articles`` (a study of
  whether a web page holds a news article; no licence is given, so the pages are only read
  from the cache to measure, never copied into the repository): about 170 articles and 170
  other pages of ten news sites (2018-2019: ABC, BBC, CBS, CNN, DW, Fox, HuffPost, NBC, The
  Verge, Yahoo) and two others (Reddit, Food Network), saved as fetched, the address in the
  file name. The study's own labels say which are articles; what kind of page each other
  one is (section, video, gallery, ...) is ours, read from the page (see the labels).
- ``frontpages``: defgsus/frontpage-archive ``docs/snapshots`` (an archive of German news
  sites' front pages and section fronts, saved monthly; no licence is given, so the pages
  are only read from the cache to measure, never copied): the last snapshot of 15 sites
  (Spiegel, Zeit, FAZ, Welt, Bild, ...), each page's address from the archiver's own list
  of its site's pages. Every page is a non-article; its kind (home, section, error, bot
  challenge) is ours; the sites' imprint and privacy pages are not used.
- ``irdata``: MSVCode/ir-research-data ``Extraction`` (for research only, with a
  reference: Utomo and Leu, "Subject-Assisted Extraction"; the pages are only read from the
  cache to measure, never copied): 720 news articles (nine big sites over four years, and
  about 240 sites of 2017) with the text people extracted from each (headline, then body).

A fixed split: the page's site (host of its URL) hashed, so no site is in both; about half
the sites are ``dev`` (tune on these) and half ``test`` (report only).

    from benchmarks.realdata.extraction import load_pages
    pages = load_pages()            # every page, dev and test
    pages = load_pages("dev")
    python -m benchmarks.realdata.extraction      # fetch everything, print counts
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlparse

from benchmarks.realdata import fetch_file, fetch_tree

HERE = Path(__file__).resolve().parent
LABELS = HERE / "extraction_labels.json"

PINS = {
    "adbar/trafilatura": "e90b0ef51ab026fdb905fb6c5b3c84dd3d784fd5",
    "AndyTheFactory/newspaper4k": "540bff3e8344cb8291c4829fafd98860f30d9692",
    "adbar/htmldate": "b8952828329abaeeb3be21387b526f2be614ce67",
    "postlight/parser": "e8ba7ece291efa4d915d50dd4deeec17d54359f2",
    "goose3/goose3": "c5a8902eed0c4592a1ff5ec51a0277cf73a3aca7",
    "codelucas/newspaper": "1618b547f31c2d1fd19ae3b6afd8f7542dd02074",
    "mediacloud/metadata-lib": "23948e286dbadf9d05cae697de22c7e505304d05",
    "TeamHG-Memex/Formasaurus": "a5ffcec391be3abb0c5136aad2ccefe65f7b5a5f",
    "microlinkhq/metascraper": "20423f52ef9b4a07d3b25e56e34d2756b3291250",
    "AdamClarkStandke/SeniorResearch": "622d0d48b3ce44db5e4c55e05de7c92f847ac36c",
    "defgsus/frontpage-archive": "d4e037105da6bf10175e370e11dda4d4f8dd97d5",
    "MSVCode/ir-research-data": "cbb428cea48e1392496a6542b610fb422a436b52",
}
# Global Voices pages saved by Media Cloud's crawler tests (removed from the tree later).
MEDIACLOUD_GV = ("mediacloud/backend", "a2108147d2bf90245b5545fae0bd9a80c13ae1de",
                 "containers/common/tests/data/test-websites/gv")
# The challenge pages were removed from cloudscraper's tree over time: two commits hold them all.
CLOUDSCRAPER = {
    "523b9656eebcd91bd24a6bdaf91fef2871b29213": [
        "cf_recaptcha_15_04_2019.html", "js_challenge_03_12_2018.html", "js_challenge_09_06_2016.html",
        "js_challenge_10_04_2019.html", "js_challenge_13_03_2019.html", "js_challenge_21_03_2019.html",
        "js_challenge_21_05_2015.html"],
    "0b3bc139b3f0cf63adcbb1cfb023935e299ae7d2": [
        "js_challenge-27-05-2020.html", "js_challenge1_16_05_2020.html", "js_challenge2_16_05_2020.html",
        "js_challenge_02_11_2021.html", "js_challenge_11_12_2019.html", "reCaptcha_challenge_12_12_2019.html"],
}
TEST_SHARE = 0.5


def split_of(url: str, name: str = "") -> str:
    """``dev`` or ``test``, fixed by the page's site so that no site is in both."""
    host = urlparse(url).hostname if "://" in url else None
    if url.startswith("https://web.archive.org/web/") and "/http" in url[28:]:
        host = urlparse(url[28:][url[28:].index("http"):]).hostname  # the archived page's site
    if not host:  # some expected-value files give no URL: the saved file's name starts with the site
        host = re.split(r"[-_]", name)[0].removesuffix(".html")
    host = host.lower().removeprefix("www.")
    value = int(hashlib.sha1(host.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if value < TEST_SHARE else "dev"


def _labels() -> dict:
    return json.loads(LABELS.read_text(encoding="utf-8"))


def _authors(value) -> list[str] | None:
    """An expected author value as a list of names ("A, B", "A; B", "A and B", a list).
    User names are left out, as newsmon's definition of an author says ("no handles"): one
    lower-case word ("gnaddrig"), or words joined by "_" or "." ("Herr_Rein")."""
    if value is None:
        return None
    if isinstance(value, list):
        parts = value
    else:
        parts = re.split(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\by\b)\s*", value)
    names = [p.strip() for p in parts if p and p.strip()]
    return [n for n in names if not (" " not in n and (n.islower() or re.search(r"[^\W\d_][_.][^\W\d_]", n)))]


# --- corpora ---------------------------------------------------------------------------

def _trafilatura():
    repo, commit = "adbar/trafilatura", PINS["adbar/trafilatura"]
    data = json.loads(fetch_file(repo, commit, "tests/evaldata.json").read_text(encoding="utf-8"))
    roots = [fetch_tree(repo, commit, "tests/cache"), fetch_tree(repo, commit, "tests/eval")]
    for url, item in data.items():
        path = next((r / item["file"] for r in roots if (r / item["file"]).is_file()), None)
        if path is None:
            continue
        labelled = "title" in item  # pages annotated for metadata carry all four keys
        yield {
            "id": f"trafilatura:{path.parent.name}/{path.name}", "path": path, "url": url,
            "with": item["with"], "without": item["without"],
            "title": (item.get("title") or "").strip() or None,
            "authors": _authors(item.get("author") or []) if labelled else None,
            "date": (item.get("date") or "") if labelled else None,
        }


def _newspaper4k():
    repo, commit = "AndyTheFactory/newspaper4k", PINS["AndyTheFactory/newspaper4k"]
    root = fetch_tree(repo, commit, "tests/data")
    for html in sorted((root / "html").glob("*.html")):
        meta_path = root / "metadata" / f"{html.stem}.json"
        text_path = root / "txt" / f"{html.stem}.txt"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        page = {"id": f"newspaper4k:{html.name}", "path": html,
                "url": meta.get("url") or f"https://{html.stem.replace('_', '-')}.newspaper4k.invalid/{html.stem}"}
        if meta:
            page.update({"title": meta.get("title") or None, "date": meta.get("publish_date") or "",
                         "language": meta.get("language") or None})
            # Its author lists are that library's guesses (links, roles): ours are in the labels.
        if text_path.exists():
            page["body"] = text_path.read_text(encoding="utf-8")
        yield page


def _htmldate():
    repo, commit = "adbar/htmldate", PINS["adbar/htmldate"]
    roots = [fetch_tree(repo, commit, f"tests/{d}") for d in ("test_set", "cache", "eval")]
    for name in ("eval_default.json", "eval_mediacloud_2020.json"):
        data = json.loads(fetch_file(repo, commit, f"tests/{name}").read_text(encoding="utf-8"))
        for url, item in data.items():
            path = next((r / item["file"] for r in roots if (r / item["file"]).is_file()), None)
            if path is None:
                continue
            date = item.get("date")
            yield {"id": f"htmldate:{path.parent.name}/{path.name}", "path": path, "url": url,
                   "date": date if isinstance(date, str) else ""}  # NaN: the page has no date


_JS_STRING = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`)"""


def _js_value(block: str, name: str):
    m = re.search(rf"assert\.equal\(\s*{name}\s*,\s*(?:{_JS_STRING}|(null))", block, re.S)
    if not m:
        return None
    if m.group(4):
        return ""
    raw = next(g for g in m.groups()[:3] if g is not None)
    return re.sub(r"\\(.)", r"\1", raw)


def _postlight():
    repo, commit = "postlight/parser", PINS["postlight/parser"]
    fixtures = fetch_tree(repo, commit, "fixtures")
    custom = fetch_tree(repo, commit, "src/extractors/custom")
    seen = set()
    for test in sorted(custom.glob("*/index.test.js")):
        source = test.read_text(encoding="utf-8")
        for block in re.split(r"\n\s*describe\(", source)[1:]:
            fixture = re.search(r"readFileSync\(\s*'\./fixtures/([^']+)'", block)
            url = re.search(rf"url\s*=\s*{_JS_STRING}", block)
            if not fixture or not url or fixture.group(1) in seen:
                continue
            seen.add(fixture.group(1))
            page = {"id": f"postlight:{fixture.group(1)}", "path": fixtures / fixture.group(1),
                    "url": next(g for g in url.groups() if g is not None)}
            title, author, date = (_js_value(block, k) for k in ("title", "author", "date_published"))
            if title:
                page["title"] = title
            if author is not None:
                page["authors"] = _authors(author)
            if date is not None:
                page["date"] = date
            first = re.search(rf"assert\.equal\(\s*first\d+\s*,\s*{_JS_STRING}", block, re.S)
            if first:
                page["with"] = [next(g for g in first.groups() if g is not None)]
            if len(page) > 3 and page["path"].is_file():
                yield page


def _goose3():
    repo, commit = "goose3/goose3", PINS["goose3/goose3"]
    root = fetch_tree(repo, commit, "tests/data/content")
    for meta_path in sorted(root.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        expected = meta.get("expected", {})
        html = meta_path.with_suffix(".html")
        if not html.is_file() or not expected.get("cleaned_text"):
            continue
        page = {"id": f"goose3:{html.name}", "path": html, "url": meta.get("url", ""),
                # the test checks that the text starts with this; its first sentence or so is ours to look for.
                # goose3 stores a prefix of the text cut anywhere, mid-word too ("...fire Google" for
                # "Google's"): its last word is left out.
                "with": [_opening(expected["cleaned_text"].rsplit(None, 1)[0])]}
        if expected.get("title"):
            page["title"] = expected["title"]
        lang = meta.get("target_language") or expected.get("meta_lang")
        if lang:
            page["language"] = lang
        yield page


def _opening(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut


def _newspaper3k():
    """newspaper's saved pages and the full text it is expected to give (its own output,
    kept as the expected value; not reviewed page by page). URLs from its list, numbered
    per site as its test numbers them."""
    repo, commit = "codelucas/newspaper", PINS["codelucas/newspaper"]
    root = fetch_tree(repo, commit, "tests/data")
    counts, urls = {}, {}
    for url in (root / "fulltext_url_list.txt").read_text(encoding="utf-8").split():
        host = (urlparse(url).hostname or "").split(".")
        base = ".".join(host[-3:] if ".".join(host[-2:]) in ("co.uk", "com.au", "au.com") else host[-2:])
        counts[base] = counts.get(base, 0) + 1
        urls[f"{base}{counts[base]}"] = url
    for html in sorted((root / "html").glob("*.html")):
        text = root / "text" / f"{html.stem}.txt"
        if html.stem not in urls or not text.is_file():
            continue
        body = text.read_text(encoding="utf-8")
        if len(body.split()) < 40:  # a failure note, not an article text
            continue
        yield {"id": f"newspaper3k:{html.name}", "path": html, "url": urls[html.stem], "body": body}


def _mediacloud():
    """Pages Media Cloud's tests saved as fetched: front pages, tag and search pages, walls,
    articles. Only the pages we labelled by hand are used (see the labels file); a page's
    URL is recovered from the tests' source, where the file name is made from it."""
    repo, commit = "mediacloud/metadata-lib", PINS["mediacloud/metadata-lib"]
    tests = fetch_tree(repo, commit, "mcmetadata/test")
    urls = {}
    for source in tests.glob("*.py"):
        for url in re.findall(r"https?://[^\s\"']+", source.read_text(encoding="utf-8")):
            urls["cached-" + re.sub(r"\W+", "", url)] = url
    for path in sorted((tests / "fixtures").glob("cached-*")):
        yield {"id": f"mediacloud:{path.name}", "path": path, "url": urls.get(path.name, ""), "labelled_only": True}
    gv_repo, gv_commit, gv_folder = MEDIACLOUD_GV
    for path in sorted(fetch_tree(gv_repo, gv_commit, gv_folder).glob("*.html")):
        yield {"id": f"mediacloud:gv/{path.name}", "path": path, "url": f"https://globalvoicesonline.org/{path.stem}",
               "labelled_only": True}


def _snapshot_value(snapshot: str, key: str):
    """A value of the object an AVA snapshot report prints: a quoted string, or None for null."""
    m = re.search(rf"^\s+{key}: (?:{_JS_STRING}|(null)),?$", snapshot, re.M)
    if not m or m.group(4):
        return None
    raw = next(g for g in m.groups()[:3] if g is not None)
    return re.sub(r"\\(.)", r"\1", raw)


def _metascraper():
    """Publisher pages of metascraper's integration tests, with the values its snapshots
    accepted: title, author (one name, or none), date (an instant in UTC), language."""
    repo, commit = "microlinkhq/metascraper", PINS["microlinkhq/metascraper"]
    root = fetch_tree(repo, commit, "packages/metascraper/test/integration")
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        html, test, report = folder / "input.html", folder / "index.js", folder / "snapshots" / "index.js.md"
        if not (html.is_file() and test.is_file() and report.is_file()):
            continue
        url = re.search(rf"const url\s*=\s*{_JS_STRING}", test.read_text(encoding="utf-8"))
        snapshots = report.read_text(encoding="utf-8").split("> Snapshot")[1:]
        if not url or len(snapshots) != 1:
            continue
        snapshot = snapshots[0]
        page = {"id": f"metascraper:{folder.name}", "path": html, "url": next(g for g in url.groups() if g is not None)}
        title, author, date, lang = (_snapshot_value(snapshot, k) for k in ("title", "author", "date", "lang"))
        if title:
            page["title"] = title
        page["authors"] = _authors(author) if author else []
        page["date"] = date or ""
        if lang:
            page["language"] = lang
        yield page


def _cloudscraper():
    for commit, names in CLOUDSCRAPER.items():
        for name in names:
            path = fetch_file("VeNoMouS/cloudscraper", commit, f"tests/fixtures/{name}")
            yield {"id": f"cloudscraper:{name}", "path": path, "url": f"https://{name.removesuffix('.html').replace('_', '-')}.cloudscraper.invalid/{name}"}


def _formasaurus():
    """Pages saved from the web for a form classifier's training set: whatever page held a
    form (front pages with a search box, forum indexes, search and login pages, some posts).
    Its index gives each saved page's URL; only the pages we labelled are used."""
    repo, commit = "TeamHG-Memex/Formasaurus", PINS["TeamHG-Memex/Formasaurus"]
    root = fetch_tree(repo, commit, "formasaurus/data")
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    for name, item in sorted(index.items()):
        path = root / name
        if path.is_file():
            yield {"id": f"formasaurus:{path.name}", "path": path, "url": item["url"], "labelled_only": True}


def _newsweb():
    """News sites' pages a study saved and sorted into articles and not: section fronts,
    video and gallery pages, podcasts, recipes, a forum. The file name is the page's address
    in base64; a page the study put among articles is one unless our labels say otherwise,
    and every other page takes its kind from our labels."""
    repo, commit = "AdamClarkStandke/SeniorResearch", PINS["AdamClarkStandke/SeniorResearch"]
    for folder, kind in (("Articles", "article"), ("not_articles", None)):
        for path in sorted(fetch_tree(repo, commit, folder).rglob("*.html")):
            url = base64.urlsafe_b64decode(path.stem.replace("+", "-").replace("/", "_") + "==").decode("utf-8")
            host = urlparse(url).hostname.removeprefix("www.")
            page = {"id": f"newsweb:{host}/{hashlib.sha1(url.encode()).hexdigest()[:10]}", "path": path, "url": url}
            if kind:
                page["counted"] = True  # an article to keep, though nothing else is expected of it
            else:
                page["labelled_only"] = True
            yield page


def _frontpages():
    """German news sites' front pages and section fronts (Spiegel, Zeit, FAZ, Welt, Bild,
    heise, ...) as an archiver saved them each month; the last snapshot. The address of each
    saved file is in the archiver's list of its site's pages (``SUB_URLS``). Only the pages we
    labelled are used (the sites' imprint and privacy pages are not)."""
    repo, commit = "defgsus/frontpage-archive", PINS["defgsus/frontpage-archive"]
    addresses = {}
    for kind in ("press", "web"):
        for source in sorted(fetch_tree(repo, commit, f"src/sources/{kind}").glob("*.py")):
            for block in re.split(r"\nclass ", source.read_text(encoding="utf-8")):
                site = re.search(r'ID = "([^"]+)"', block)
                base = re.search(r'URL = "([^"]+)"', block)
                if not (site and base):
                    continue
                for name, rest in re.findall(r'\("([^"]+)",\s*(URL(?:\s*\+\s*"[^"]*")?|"[^"]+")\)', block):
                    url = base.group(1) + rest.split('"')[1] if rest.startswith("URL") and '"' in rest else \
                        base.group(1) if rest.startswith("URL") else rest.strip('"')
                    addresses[f"{site.group(1)}/{name}"] = url
    root = fetch_tree(repo, commit, "docs/snapshots")
    for path in sorted(root.rglob("*.html")):
        key = f"{path.parent.name}/{path.name}"
        # Bild's sections are found by their links' names, so the list gives no address: the
        # page's own statement of it (its canonical link) stands in.
        url = addresses.get(key) or _declared_address(path)
        if url:
            yield {"id": f"frontpages:{key}", "path": path, "url": url, "labelled_only": True}


def _declared_address(path: Path) -> str | None:
    """The address a saved page declares, read as newsmon reads it (its canonical link, else og:url)."""
    from pipelines.clean import _canonical, _meta, load_html
    from pipelines.decode import decode_html

    tree = load_html(decode_html(path.read_bytes()))
    if tree is None:
        return None
    meta = _meta(tree)
    # (no base to join a relative canonical link to: then og:url, if it is whole)
    found = [_canonical(tree, meta, ""), meta.get(("property", "og:url"))]
    return next((url for url in found if url and url.startswith(("http://", "https://"))), None)


def _irdata():
    """News articles of nine big sites (Ars Technica, BBC, CNN, Forbes, Fox News, LA Times,
    New York Magazine, New York Post, Yahoo News) saved in 2005, 2009, 2013 and 2017 (the
    older ones as Internet Archive copies), and 360 articles of about 240 sites found by 36
    searches in 2017, each with the text people extracted from it: the headline on its
    first line, then the article. A page's address is its own statement (canonical link,
    og:url) or, in an archived copy, the archived address its links point into."""
    from pipelines.markup import site_of

    repo, commit = "MSVCode/ir-research-data", PINS["MSVCode/ir-research-data"]
    root = fetch_tree(repo, commit, "Extraction")
    for path in sorted(root.rglob("*.htm*")):
        gold = path.parent.parent / "gold" / (path.stem + ".txt")
        if path.parent.name != "html" or not gold.is_file():
            continue
        archived = _archived_address(path)
        url = archived[0] if archived else _declared_address(path)
        raw = gold.read_bytes()
        try:
            told = raw.decode("utf-8")
        except UnicodeDecodeError:  # some texts were saved in Windows' Western encoding (curly quotes)
            told = raw.decode("cp1252", errors="replace")
        lines = [line.strip() for line in told.splitlines()]
        lines = [line for line in lines if line]
        if len(lines) < 2:
            continue
        # The split by site, not host: one newsroom's pages under several hosts over the years
        # (news.bbc.co.uk, bbc.co.uk, bbc.com; us.cnn.com, money.cnn.com) stay on one side.
        host = archived[1] if archived else (urlparse(url).hostname or "") if url else ""
        site = site_of(host) if host else None
        yield {"id": f"irdata:{path.parent.parent.name}/{path.stem}", "path": path, "url": url or "",
               "site": SAME_NEWSROOM.get(site, site), "title": lines[0], "body": "\n".join(lines[1:])}


# A newsroom's second domain: its pages are one site's.
SAME_NEWSROOM = {"bbc.com": "bbc.co.uk", "vulture.com": "nymag.com", "grubstreet.com": "nymag.com",
                 "foxbusiness.com": "foxnews.com"}


def _archived_address(path: Path) -> tuple[str, str] | None:
    """(the address an Internet Archive copy was saved from, or "" where it cannot be told;
    its host). Of the archived pages its links point into (not assets), those of the host
    linked most often; of these, the address that names a story linked most often (a story
    links itself to print, mail and share it). Else no address: one read wrong (a search
    page's, a section's) would be wrong evidence for the page."""
    from pipelines.refusal import names_a_story

    head = path.read_bytes()[:400_000].decode("utf-8", "replace")
    found = []
    for url in re.findall(r'/web/\d{14}(?:[a-z]{2}_)?/(https?://[^"\'\s<>&]+)', head):
        url = re.sub(r"^(https?://[^/:]+):80(?=/)", r"\1", url)
        if not re.search(r"\.(?:js|css|gif|jpe?g|png|ico|swf|xml)(?:\?|$)", url, re.I):
            found.append(url)
    if not found:
        return None
    hosts = [urlparse(url).hostname or "" for url in found]
    top = max(dict.fromkeys(hosts), key=hosts.count)
    stories = [url for url, host in zip(found, hosts) if host == top and names_a_story(url)]
    return (max(dict.fromkeys(stories), key=stories.count) if stories else "", top)


CORPORA = {"trafilatura": _trafilatura, "newspaper4k": _newspaper4k, "htmldate": _htmldate,
           "postlight": _postlight, "goose3": _goose3, "newspaper3k": _newspaper3k, "mediacloud": _mediacloud,
           "cloudscraper": _cloudscraper, "formasaurus": _formasaurus,
           "metascraper": _metascraper, "newsweb": _newsweb, "frontpages": _frontpages, "irdata": _irdata}


def load_pages(split: str | None = None) -> list[dict]:
    """Every usable page: a dict with id, corpus, split, kind ("article" or the kind of
    non-article), path, url, and whichever expected values its corpus and our labels give:
    title, authors (a list; [] = the page names nobody), date ("" = the page gives none),
    language, body (full text), with / without (snippets that must / must not be kept)."""
    labels = _labels()
    pages, by_content, seen = [], {}, set()
    for corpus, load in CORPORA.items():
        for page in load():
            seen.add(page["id"])
            if page["id"] in labels["exclude"] or (page.pop("labelled_only", False) and page["id"] not in labels["kinds"]):
                continue
            digest = hashlib.sha1(page["path"].read_bytes()).hexdigest()
            if digest in by_content:  # one saved page in two corpora: its expected values merged
                first = by_content[digest]
                for key, value in page.items():
                    if first.get(key) in (None, "", []) and value not in (None, ""):
                        first[key] = value
                continue
            page["corpus"] = corpus
            by_content[digest] = page
            pages.append(page)
    unknown = [i for part in ("kinds", "fixes", "exclude") for i in labels[part] if i not in seen]
    if unknown:
        raise ValueError(f"{LABELS.name}: no such page: {', '.join(unknown[:5])}")
    for page in pages:
        label = labels["kinds"].get(page["id"])
        page["kind"] = label["kind"] if label else ("bot-challenge" if page["corpus"] == "cloudscraper" else "article")
        # (a corpus may name the site a page is of, where its hosts vary: news.bbc.co.uk, bbc.com)
        page["split"] = split_of(f"http://{page['site']}/" if page.get("site") else page["url"], page["path"].name)
        for key, value in labels["fixes"].get(page["id"], {}).items():
            if key != "note":
                page[key] = value
        if not page.get("language"):
            page["language"] = _language_of_expected(page)
    # An article counts when something is expected of it, or when we labelled it (refusals only).
    pages = [p for p in pages if p["kind"] != "article" or _has_expectations(p) or p["id"] in labels["kinds"]
             or p.get("counted")]
    return [p for p in pages if split in (None, p["split"])]


def _language_of_expected(page: dict) -> str | None:
    """The language of the expected text (full text, or title and snippets), where a corpus
    gives none: detected by py3langid, and only from 15 words or more."""
    text = page.get("body") or " ".join([page.get("title") or ""] + list(page.get("with") or []))
    if len(text.split()) < 15 and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{15}", text):
        return None
    import py3langid
    return py3langid.classify(text[:3000])[0]


def _has_expectations(page: dict) -> bool:
    return any(page.get(k) not in (None, "") for k in ("with", "body", "title", "authors", "date"))


def main() -> int:
    from collections import Counter
    pages = load_pages()
    print(f"{len(pages)} pages")
    for key in ("corpus", "split", "kind"):
        print(key, dict(Counter(p[key] for p in pages)))
    for field in ("with", "body", "title", "authors", "date", "language"):
        print(field, sum(p.get(field) is not None for p in pages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
