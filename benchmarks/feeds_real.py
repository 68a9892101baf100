"""Feed reading on third-party feeds: newsmon's feed parser beside feedparser's, on the
feeds of feedparser's own test suite.

kurtmckee/feedparser (BSD-2-Clause) keeps about 1,400 small feeds that its maintainers
wrote to pin down how feeds in the wild are read: RSS 0.9x to 2.0, RSS 1.0, Atom 0.3 and
1.0, namespaces, xml:base, entities, encodings, ill-formed files. They are fetched at a
pinned commit into the git-ignored cache (``benchmarks.realdata``); nothing of them is
committed. Each is read by ``crawler.spiders.feeds.parse_feed`` and by feedparser (a test
dependency of newsmon), and counted:

- crashes: the parser raised something other than its one-line ``FeedError`` (a crawl
  would log a traceback and lose the rest of the feed);
- links: feeds where either parser finds entry links, and where both find the same ones
  (fragments aside: newsmon drops them, nothing fetches them);
- entity titles: the ``tests/entities`` feeds, each a title holding one HTML or XML
  entity whose expected reading the file states (``Expect: feed['title'] == ...``): the
  title newsmon's XML reading gives, right or not;
- dates: the RFC 822, W3C and ISO 8601 dates of feedparser's date tests (its table read
  as data, not run), each with the instant expected or none: read by
  ``pipelines.dates.normalise_date`` as that instant (to the second), missed (no date), or
  wrong (another instant, or a clock time without a zone: feedparser takes a value that
  names none, "2004-07-08 23:56:58", as UTC, where newsmon leaves it unsaid).

Ends with one JSON line.

    NEWSMON_REALDATA_CACHE=/work/cache/realdata python benchmarks/feeds_real.py
    python benchmarks/feeds_real.py --show     # each feed where the links differ
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/feeds_real.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from benchmarks.realdata import fetch_tree  # noqa: E402
from crawler.spiders.feeds import FeedError, parse_feed  # noqa: E402
from crawler.spiders.xmlparse import local_name, xml_root  # noqa: E402

FEEDPARSER = ("kurtmckee/feedparser", "a22c5521cbb109871f1a2318948581901bd47e26")
BASE = "http://example.com/feed.xml"
# HTML sanitising and HTTP-header cases say nothing of what a crawl reads from a feed.
LEFT_OUT = ("wellformed/sanitize/", "wellformed/http/")


def feeds() -> list[Path]:
    root = fetch_tree(*FEEDPARSER, "tests")
    return [p for p in sorted(root.rglob("*.xml")) if not str(p.relative_to(root)).startswith(LEFT_OUT)]


def links(paths: list[Path], show: bool = False) -> dict:
    import feedparser

    counts = {"feeds": len(paths), "crashes": 0, "with_links": 0, "same_links": 0}
    crashes = []
    for path in paths:
        body = path.read_bytes()
        try:
            ours = [e["url"] for e in parse_feed(body, BASE, [])]
        except FeedError:
            ours = []
        except Exception as exc:  # noqa: BLE001 (what is counted here)
            counts["crashes"] += 1
            crashes.append(f"{path.name}: {exc!r}")
            continue
        theirs = [e["link"].split("#")[0] for e in feedparser.parse(body, response_headers={
            "content-location": BASE}).entries if e.get("link")]
        if not ours and not theirs:
            continue
        counts["with_links"] += 1
        counts["same_links"] += ours == theirs
        if show and ours != theirs:
            print(f"{path.parent.name}/{path.name}\n   newsmon    {ours[:3]}\n   feedparser {theirs[:3]}")
    for line in crashes:
        print("crash:", line)
    return counts


def entity_titles(paths: list[Path], show: bool = False) -> dict:
    counts = {"feeds": 0, "right": 0}
    for path in paths:
        if path.parent.name != "entities":
            continue
        body = path.read_bytes()
        expect = re.search(rb"Expect:\s+feed\['title'\] == (u?'.*?')\s*$", body, re.M)
        if not expect:
            continue
        want = ast.literal_eval(expect.group(1).decode())
        try:
            root, _kind = xml_root(body, "feed", FeedError, ("rss", "feed", "rdf"), [])
            title = next((el.text or "" for el in root.iter() if local_name(el.tag) == "title"), None)
        except FeedError:
            title = None
        counts["feeds"] += 1
        counts["right"] += title == want
        if show and title != want:
            print(f"entities/{path.name}: {title!r} != {want!r}")
    return counts


def dates(root: Path, show: bool = False) -> dict:
    import ast
    import calendar
    from datetime import datetime, timezone

    from pipelines.dates import normalise_date

    parsers = ("_parse_date_rfc822", "_parse_date_w3dtf", "_parse_date_iso8601")
    counts = {"dates": 0, "right": 0, "missed": 0, "wrong": 0, "invalid": 0, "invalid_read": 0}
    for node in ast.walk(ast.parse((root / "test_date_parsers.py").read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(node.elts[0], ast.Name)
                and node.elts[0].id in parsers):
            continue
        value, expected = ast.literal_eval(node.elts[1]), ast.literal_eval(node.elts[2])
        got = normalise_date(value)
        if expected is None:  # not a date: nothing should be read
            counts["invalid"] += 1
            counts["invalid_read"] += got is not None
            continue
        counts["dates"] += 1
        want = datetime.fromtimestamp(calendar.timegm(tuple(expected)), timezone.utc)
        if got is None:
            counts["missed"] += 1
            verdict = "missed"
        else:
            read = datetime.fromisoformat(got)
            right = (read.tzinfo is not None and read.replace(microsecond=0) == want) or \
                (len(got) == 10 and want.hour == want.minute == want.second == 0 and got == want.date().isoformat())
            counts["right" if right else "wrong"] += 1
            verdict = "right" if right else "wrong"
        if show and verdict != "right":
            print(f"date {verdict}: {value!r} -> {got} (expected {want.isoformat()})")
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each feed where the readings differ")
    args = parser.parse_args(argv)
    paths = feeds()
    result = {"links": links(paths, args.show), "entity_titles": entity_titles(paths, args.show),
              "dates": dates(fetch_tree(*FEEDPARSER, "tests"), args.show)}
    k, e, d = result["links"], result["entity_titles"], result["dates"]
    print(f"{k['feeds']} feeds of feedparser's tests at {FEEDPARSER[1][:8]}: {k['crashes']} crashes; "
          f"entry links as feedparser reads them in {k['same_links']} of the {k['with_links']} feeds with links; "
          f"entity titles right {e['right']} of {e['feeds']}; dates right {d['right']} of {d['dates']} "
          f"({d['missed']} missed, {d['wrong']} wrong), {d['invalid_read']} of {d['invalid']} non-dates read as dates")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
