import json
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.ingest import Record
from newsmon.report import build_report, gather
from pipelines.archive import Archive
from tests.test_ingest import SAME, ingestor


class Page(HTMLParser):
    """The parsed page: its elements, attributes and text, as a browser would read them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text, self.sections = [], [], [], 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)
        if tag == "section":
            self.sections += 1

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(self.text)


def report_of(db_path, *args) -> str:
    result = CliRunner().invoke(cli, ["report", "--db", str(db_path), "--html", "-", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_report_of_the_demo_shows_coverage_conflicts_and_quotes(demo_crawl):
    page = report_of(demo_crawl.db_path)
    parsed = Page(page)
    with Archive(demo_crawl.db_path) as archive:
        data = gather(archive)
        same = archive.db.execute("select count(*) from stories where label = 'same_story'").fetchone()[0]
        conflict = next(archive.db.query("select * from conflicting_facts limit 1"))
        outlets = [r["name"] for r in archive.db.query("select name from outlets")]
    assert same > 20 and parsed.sections == same == len(data["same_story"])
    text = parsed.all_text
    assert "Charities Tell Parliamentarians" in text  # the source
    assert all(name in text for name in outlets)
    assert conflict["story_sentence"] in text and conflict["source_sentence"] in text
    assert "Quotes shared with the source" in text and "MPs not border guards" in text
    assert "Syndicated copies (1 groups)" in text
    # The chart: one bar segment per (day, label) with stories, each with its tooltip.
    bars = sum(1 for b in data["timeline"]["buckets"] for label in ("same_story", "related", "unrelated") if b[label])
    assert parsed.tags.count("rect") == bars + 3  # and three legend keys
    assert data["first"]["label"] == "same_story"
    # Self-contained: nothing is loaded from anywhere.
    assert not [a for a in parsed.attrs if a[1] in ("src", "srcset") or (a[0] == "link" and a[1] == "href")]
    assert "script" not in parsed.tags


def test_report_for_one_source_and_errors(demo_crawl, tmp_path):
    page = report_of(demo_crawl.db_path, "--source", "mps-not-border-guards")
    assert "Coverage report: Charities Tell" in page
    result = CliRunner().invoke(cli, ["report", "--db", str(demo_crawl.db_path), "--html", "-", "--source", "nope"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no source with id 'nope': `newsmon sources list` lists them"
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "missing.db"), "--html", "x.html"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(demo_crawl.db_path), "--html", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


HOSTILE = ['<script>alert("t")</script>', '"><img src=x onerror=alert(1)>', "<style>body{display:none}</style>",
           "' onmouseover='alert(2)", "</title><iframe src=//evil.example>"]


def test_hostile_titles_bylines_bodies_and_links_are_shown_as_text(tmp_path):
    db_path = tmp_path / "a.db"
    body = (SAME + " The hotline " + HOSTILE[0] + " was busy. A campaigner said: \"Nobody should fear their MP "
            + HOSTILE[2] + " at a surgery\". Later, 107 MPs " + HOSTILE[1] + " were named.")
    with Archive(db_path) as archive:
        decisions = list(ingestor(archive).run(iter([
            Record(id="1", title="MPs " + HOSTILE[0] + HOSTILE[4], text=body, published="2018-10-12",
                   outlet="paper", url="https://paper.example/a"),
            Record(id="2", title="Copy " + HOSTILE[3], text=body + " More.", published="2018-10-13",
                   outlet="other", url="https://other.example/b")])))
        ids = [d["story_id"] for d in decisions]
        assert [d["label"] for d in decisions] == ["same_story", "same_story"]
        # What a hostile page could have put in the archive's other fields.
        archive.db["stories"].update(ids[0], {"authors": json.dumps([HOSTILE[1], HOSTILE[3]]),
                                              "url": "javascript:alert(3)"})
        archive.db["outlets"].update("paper", {"name": HOSTILE[2]})
        archive.db.execute("update stories set copy_group = ? where id in (?, ?)", [ids[0], *ids])
        archive.db["sources"].update("mps-not-border-guards", {"title": "Source " + HOSTILE[4]})
        archive.db.conn.commit()
        page = build_report(archive)
    parsed = Page(page)
    # Only the page's own markup: no script, image, frame or event handler from the archive.
    assert not {"script", "img", "iframe"} & set(parsed.tags)
    assert parsed.tags.count("style") == 1 and parsed.tags.count("head") == 1
    assert not [a for a in parsed.attrs if a[1].startswith("on")]
    hrefs = [v for tag, k, v in parsed.attrs if k == "href"]
    assert hrefs and all(v.startswith(("http://", "https://", "#")) for v in hrefs)
    text = parsed.all_text
    for hostile in HOSTILE:
        assert hostile in text  # shown, as text, exactly as written
    assert "javascript:" not in " ".join(hrefs)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)")
def test_report_renders_in_headless_chromium(demo_crawl, tmp_path):
    from PIL import Image

    page = tmp_path / "report.html"
    page.write_text(report_of(demo_crawl.db_path), encoding="utf-8")
    shot = tmp_path / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1100,1400",
                              f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
        assert shot.exists(), run.stderr.decode(errors="replace")[-2000:]
        dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                             capture_output=True, timeout=120, text=True).stdout
    # The browser built the same page: every article section and the chart are in its DOM.
    with Archive(demo_crawl.db_path) as archive:
        same = archive.db.execute("select count(*) from stories where label = 'same_story'").fetchone()[0]
    assert Page(dom).sections == same and "<svg" in dom
    # And drew it: the chart's bars in both label colours, the page mostly white, not blank.
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    count = {rgb: n for n, rgb in colours}
    assert count.get((0xB0, 0x3A, 0x2E), 0) > 500  # same-story bars (and the similarity meters)
    assert count.get((0xE0, 0x8E, 0x0B), 0) > 200  # related bars
    assert count.get((255, 255, 255), 0) > image.width * image.height * 0.4
