import csv
from pathlib import Path
import io
import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.web.demo import DemoWeb

REPO_WATCH = Path(__file__).resolve().parent.parent / "data" / "watch.toml"


@pytest.fixture
def archive(demo_crawl, tmp_path):
    """A copy of the demo crawl's archive, so commands cannot disturb other tests."""
    path = tmp_path / "archive.db"
    shutil.copy(demo_crawl.db_path, path)
    return str(path)


def run(*args, env=None):
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result


def test_search_lists_the_events_coverage(archive):
    result = run("search", '"border guards"', "--db", archive, "--json")
    assert result.exit_code == 0
    hits = json.loads(result.output)
    assert len(hits) >= 10
    assert all("[border] [guards]" in h["snippet"].lower() or "border" in h["snippet"].lower() for h in hits)
    table = run("search", "hotline", "--db", archive)
    assert table.exit_code == 0 and "snippet" in table.output


def test_a_limit_below_what_makes_sense_is_refused_in_one_line(archive):
    # A negative --limit used to list everything, and a search limit of 0 nothing.
    for args in (("stories", "--limit", "-5"), ("search", "border", "--limit", "0"),
                 ("alerts", "list", "--limit", "-1")):
        result = run(*args, "--db", archive)
        assert result.exit_code == 2, args
        assert "Invalid value for '--limit'" in result.output and "Traceback" not in result.output
    assert len(json.loads(run("search", "border", "--limit", "2", "--db", archive, "--json").output)) == 2


def test_search_reads_the_archive_from_the_environment(archive):
    result = run("search", "Chope", "--nl", env={"NEWSMON_DB": archive})
    assert result.exit_code == 0
    assert all(json.loads(line)["id"] for line in result.output.splitlines())


def test_malformed_query_is_one_clear_line(archive):
    result = CliRunner().invoke(cli, ["search", '"unbalanced', "--db", archive])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot search for")
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_stories_newest_first_as_json_and_csv(archive):
    rows = json.loads(run("stories", "--db", archive, "--json", "--limit", "0").output)
    dates = [r["published"] for r in rows]
    assert dates == sorted(dates, reverse=True) and len(rows) > 50
    out = run("stories", "--db", archive, "--csv", "--outlet", "press-wire").output
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert parsed and {r["outlet"] for r in parsed} == {"press-wire"}
    assert run("stories", "--db", archive, "--since", "2018-12-01", "--json").output.count('"id"') == 2
    same = json.loads(run("stories", "--db", archive, "--label", "same_story", "--json", "--limit", "0").output)
    assert len(same) >= 20 and {r["label"] for r in same} == {"same_story"}
    bad = CliRunner().invoke(cli, ["stories", "--db", archive, "--since", "last tuesday"])
    assert bad.exit_code == 1 and "is not a date" in bad.output


def test_show_lists_urls_and_revisions(archive):
    stories = json.loads(run("stories", "--db", archive, "--json", "--limit", "0").output)
    revised = next(s for s in stories if s["revisions"] > 1)
    out = run("show", str(revised["id"]), "--db", archive).output
    assert revised["title"] in out and "Revisions:" in out and "URLs:" in out
    data = json.loads(run("show", str(revised["id"]), "--db", archive, "--json").output)
    assert len(data["revisions"]) == 2 and data["urls"]
    missing = CliRunner().invoke(cli, ["show", "99999", "--db", archive])
    assert missing.exit_code == 1 and "no story with id 99999" in missing.output


def test_missing_archive_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no archive at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_extract_a_saved_page(tmp_path):
    web = DemoWeb()
    outlet = web.outlets["northern-ledger"]
    outlet.base_url = "http://127.0.0.1:9/"
    article = next(a for a in outlet.articles if a.meta["label"] == "same_story")
    page = tmp_path / "page.html"
    page.write_bytes(web.article(outlet, article).encode("utf-8"))
    out = run("extract", str(page)).output
    assert f"title:         {article.meta['title']}" in out
    assert "authors:       " + ", ".join(article.meta["authors"]) in out
    assert "date_source:" in out and article.meta["published"][:10] in out
    assert article.body.split("\n\n")[1][:50] in out
    data = json.loads(run("extract", str(page), "--json").output)
    assert data["published"].startswith(article.meta["published"][:10])


def test_extract_errors(tmp_path, page_server):
    missing = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.html")])
    assert missing.exit_code == 1 and "cannot read" in missing.output
    (tmp_path / "index.html").write_text("<html><body><p>Hello.</p></body></html>")
    short = CliRunner().invoke(cli, ["extract", str(tmp_path / "index.html")])
    assert short.exit_code == 1 and "not an article" in short.output
    gone = CliRunner().invoke(cli, ["extract", page_server.url + "/gone"])
    assert gone.exit_code == 1 and "HTTP 404" in gone.output
    for args in (["http://[x/story"], [str(tmp_path / "index.html"), "--url", "http://[x/story"]):
        broken = CliRunner().invoke(cli, ["extract", *args])
        assert broken.exit_code == 1 and broken.output.strip() == \
            "Error: not a usable URL: 'http://[x/story' (Invalid IPv6 URL)"


def test_extract_a_url(page_server, tmp_path):
    body = "<p>" + "MPs rang the hotline sixty-eight times last year, figures show. " * 30 + "</p>"
    page_server.routes["/story"] = (200, {"Content-Type": "text/html; charset=latin-1"},
                                    f"<html><head><title>Caf\u00e9 calls</title></head><body><article><h1>Caf\u00e9 calls</h1>{body}</article></body></html>".encode("latin-1"))
    out = run("extract", page_server.url + "/story", "--json").output
    assert json.loads(out)["title"] == "Caf\u00e9 calls"


def test_bad_watch_file_is_one_line(tmp_path):
    watch = tmp_path / "watch.toml"
    watch.write_text('[[outlet]]\nid = "x"\nhomepage = "not a url"\n')
    result = CliRunner().invoke(cli, ["crawl", "--watch", str(watch), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {watch}:3: outlet[1].homepage: 'not a url' is not an http(s) URL"


@pytest.mark.crawl
def test_what_a_run_writes_beside_the_default_archive_is_git_ignored():
    # newsmon demo and crawl write the archive and, beside it, its lock files, alert feed,
    # report and discovery archive: none of them is to be committed.
    repo = Path(__file__).resolve().parent.parent
    if shutil.which("git") is None or not (repo / ".git").exists():
        pytest.skip("not a git checkout")
    from newsmon.cli import DEFAULT_DB

    db = Path(DEFAULT_DB)
    written = [db, Path(f"{db}-wal"), Path(f"{db}.crawl-lock"), Path(f"{db}.alerts-lock"),
               db.with_name(db.stem + "-alerts.atom"), db.with_name(db.stem + "-report.html"),
               db.with_name(db.stem + "-discovery.db"), db.with_name(db.stem + "-discovery.db.crawl-lock")]
    checked = subprocess.run(["git", "check-ignore", "--no-index", *map(str, written)], cwd=repo,
                             capture_output=True, text=True)
    assert sorted(checked.stdout.split()) == sorted(map(str, written))


def test_demo_runs_the_whole_pipeline_twice(tmp_path):
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "First crawl:" in out and "Second crawl" in out
    second = out.split("Second crawl")[1]
    assert "new stories stored:        0" in second
    assert "revisions of known stories: 1" in second
    assert "robots.txt-disallowed pages requested: 0" in out
    # a small archive: the same-story decision says it weighs words by English-wide frequency
    assert "Same-story words weighed by English-wide frequency until the archive holds 200 stories (it holds" in out
    # every demo page gives its date: time counts in each comparison with the source
    import re

    assert re.search(r"Same-story comparisons with both dates known: [1-9]\d* \(days apart count from the third\); "
                     r"without: 0 \(the text alone decides", out)
    # Third act: the source alone finds the event's coverage by search, links and backfill.
    found, of = map(int, re.search(r"found (\d+) of the (\d+) same-story articles", out).groups())
    assert found == of > 0 and "wayback" in out.split("From the source alone")[1]
    assert (tmp_path / "demo-discovery.db").exists()
    # a page scripts write in: its text is the body its article object declares, and `show` says so
    scripted = re.search(r"read from the body their article object declares: 1 \(newsmon show (\d+)\)", out)
    assert scripted, out
    shown = CliRunner().invoke(cli, ["show", scripted.group(1), "--db", str(db)]).output
    assert "text: the body its article object declares" in shown and "Become a Patron" not in shown
    again = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    assert again.exit_code == 0
    assert "new stories stored:        0" in again.output.split("Second crawl")[0]
    # Serving the two known versions of the edited article again adds no revision.
    assert "revisions of known stories: 0" in again.output.split("Second crawl")[1]
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from story_revisions").fetchone()[0] == \
            conn.execute("select count(*) + 1 from stories").fetchone()[0]


def test_compare_shows_a_conflicting_signatory_count(archive):
    stories = json.loads(run("stories", "--db", archive, "--json", "--limit", "0", "--label", "same_story").output)
    conflicted = [s for s in stories if "Charities urge MPs to stop reporting" in s["title"]]
    out = run("compare", str(conflicted[0]["id"]), "--db", archive).output
    assert "Figures that conflict:" in out
    conflict = out.split("Figures that conflict:")[1].split("Quotes shared")[0]
    assert "mp: story 107, source 113" in conflict
    assert "story:  Campaigners say 107 MPs" in conflict and "source: The pledge, signed by 113 MPs" in conflict
    data = json.loads(run("compare", str(conflicted[0]["id"]), "--db", archive, "--json").output)
    assert data[0]["published_relation"] == "before"
    # which evidence made it the same story, strongest first, in words
    evidence = out.split("What made the same-story score")[1].split("Figures that agree")[0]
    assert "names in both (" in evidence and "whole texts alike" in evidence
    assert data[0]["evidence"]["shared_names"] and data[0]["evidence"]["effects"]


def test_an_undated_pairs_standout_reads_in_words():
    from newsmon.cli import evidence_lines

    lines = evidence_lines({"features": {"body_archive": 0.52, "standout": 0.21, "days": -1.0},
                            "effects": {"standout": 1.3, "body_archive": 0.9}})
    assert lines[0] == "+1.3  more alike than either text is to its 3rd-5th nearest archived stories (0.21)"
    assert lines[-1].startswith("no date on one side")


def test_sources_add_and_list(tmp_path):
    db = str(tmp_path / "a.db")
    source = tmp_path / "closure.txt"
    source.write_text((Path(__file__).parent / "data" / "factory" / "source.txt").read_text(encoding="utf-8"))
    out = run("sources", "add", str(source), "--db", db, "--published", "2019-02-19").output
    assert "key terms:" in out and "honda" in out.lower()
    rows = json.loads(run("sources", "list", "--db", db, "--json").output)
    assert rows[0]["published"] == "2019-02-19"
    missing = CliRunner().invoke(cli, ["sources", "add", str(tmp_path / "none.txt"), "--db", db])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_ingest_another_subject_with_decisions(tmp_path):
    folder = Path(__file__).parent / "data" / "factory"
    decisions = tmp_path / "decisions.jsonl"
    db = str(tmp_path / "a.db")
    result = run("ingest", str(folder / "articles.jsonl"), "--watch", str(folder / "watch.toml"),
                 "--db", db, "--decisions", str(decisions))
    assert result.exit_code == 0 and result.output.startswith("Ingested:")
    lines = [json.loads(line) for line in decisions.read_text().splitlines()]
    assert len(lines) == 48 and all({"id", "label", "story_id"} <= set(d) for d in lines)
    gold = {json.loads(l)["id"]: json.loads(l)["label"] for l in (folder / "articles.jsonl").read_text().splitlines()}
    right = sum(1 for d in lines if (d["label"] == "unrelated") == (gold[d["id"]] == "unrelated"))
    assert right / len(lines) >= 0.85
    stored = json.loads(run("stories", "--db", db, "--json", "--limit", "0").output)
    assert len(stored) == sum(1 for d in lines if d["story_id"])


def test_ingest_bad_input_is_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "1", "text": "x"}\n\xff\xfe not json\n')
    result = CliRunner().invoke(cli, ["ingest", str(bad), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 3 and "skipped" in result.output and "Traceback" not in result.output  # partly
    missing = CliRunner().invoke(cli, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "a.db")])
    assert missing.exit_code == 1 and "no such file or folder" in missing.output


def test_copy_groups_in_stories_and_show(archive):
    groups = json.loads(run("stories", "--copies", "--db", archive, "--json").output)
    assert len(groups) == 1 and groups[0]["copies"] == 8
    assert "press-wire" in groups[0]["outlets"]
    out = run("show", str(groups[0]["group_id"]), "--db", archive).output
    assert "Copies at other outlets" in out and out.count("\n  ") >= 7


def test_dedup_rebuild_keeps_the_groups(archive):
    before = json.loads(run("stories", "--copies", "--db", archive, "--json").output)
    result = CliRunner().invoke(cli, ["dedup", "--rebuild", "--db", archive])
    assert result.exit_code == 0, result.output
    assert "1 copy groups, 7 copies" in result.output
    groups = json.loads(run("stories", "--copies", "--db", archive, "--json").output)
    assert groups[0]["copies"] == 8
    assert [g["group_id"] for g in groups] == [g["group_id"] for g in before]  # ids kept


def test_ingest_decisions_carry_story_and_copy_group(tmp_path):
    wire = "\n".join(f"Paragraph {i}: MPs made 68 calls to the immigration enforcement hotline, "
                     f"charities said, calling on every MP to sign the pledge ({i})." for i in range(12))
    records = [{"id": "w", "title": "Wire", "text": wire, "outlet": "wire", "published": "2018-10-12"},
               {"id": "c", "title": "Copy | Paper", "text": wire + "\nProvided by the wire.", "outlet": "paper"},
               {"id": "x", "title": "Other", "text": "The county fair opened with a parade of tractors.",
                "outlet": "paper"}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records))
    decisions = tmp_path / "d.jsonl"
    result = run("ingest", str(src), "--db", str(tmp_path / "a.db"), "--decisions", str(decisions), "--keep", "all")
    assert result.exit_code == 0
    d = {x["id"]: x for x in map(json.loads, decisions.read_text().splitlines())}
    assert d["w"]["copy_group"] == d["c"]["copy_group"] == d["w"]["story_id"]
    assert d["c"]["story_id"] != d["w"]["story_id"] and d["c"]["action"] == "copies"
    assert d["x"]["label"] == "unrelated" and d["x"]["story_id"] and d["x"]["copy_group"] is None


def test_search_filters_outlets_timeline_and_export(archive, tmp_path):
    hits = json.loads(run("search", "hotline", "--db", archive, "--json", "--label", "same_story",
                          "--since", "2018-10-13", "--outlet", "press-wire").output)
    assert hits and all(h["label"] == "same_story" and h["outlet"] == "press-wire"
                        and h["published"] >= "2018-10-13" for h in hits)
    bad = CliRunner().invoke(cli, ["search", "hotline", "--db", archive, "--until", "soon"])
    assert bad.exit_code == 1 and "is not a date" in bad.output
    outlets = json.loads(run("outlets", "--db", archive, "--json").output)
    assert len(outlets) == 9 and sum(o["stories"] for o in outlets) == 54
    assert all(o["same_story"] + o["related"] == o["stories"] for o in outlets)
    days = json.loads(run("timeline", "--db", archive, "--json").output)
    assert sum(d["stories"] for d in days) == 54 and days == sorted(days, key=lambda d: (d["day"], d["label"]))
    for name in ("out.csv", "out.json", "out.ndjson"):
        path = tmp_path / name
        result = run("export", str(path), "--db", archive)
        assert result.exit_code == 0
    rows = json.loads((tmp_path / "out.json").read_text())
    assert len(rows) == 54 and all("comparisons" in r for r in rows)
    assert len((tmp_path / "out.ndjson").read_text().splitlines()) == 54
    csv_rows = list(csv.DictReader(open(tmp_path / "out.csv", encoding="utf-8")))
    assert len(csv_rows) == 54 and [r["text"] for r in csv_rows] == [r["text"] for r in rows]
    assert all(r["url"].startswith("http://127.0.0.1:") for r in rows)  # as served, not the dedup key
    unknown = CliRunner().invoke(cli, ["export", str(tmp_path / "out.xml"), "--db", archive])
    assert unknown.exit_code == 1 and "--format" in unknown.output


@pytest.mark.crawl
def test_serve_opens_the_archive_in_datasette(archive):
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    if shutil.which("datasette", path=str(Path(sys.executable).parent)) is None:
        pytest.skip('datasette is not installed (pip install -e ".[test]" brings it)')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "newsmon.cli", "serve", "--db", archive, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/archive"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/stories.json?_shape=array&_size=max", timeout=5) as r:
                    stories = json.loads(r.read())
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        assert len(stories) == 54
        with urllib.request.urlopen(f"{base}/conflicting_figures.json?_shape=array", timeout=10) as r:
            conflicts = json.loads(r.read())
        assert any(c["story_value"] == 107 and c["source_value"] == 113 for c in conflicts)
        with urllib.request.urlopen(f"{base}/stories.json?_search=hotline&_shape=array", timeout=10) as r:
            assert json.loads(r.read())
        with urllib.request.urlopen(f"{base}.json", timeout=10) as r:
            info = json.loads(r.read())
        assert {"same_story_coverage", "syndicated_groups"} <= {q["name"] for q in info["queries"]}
        folder = newest_serve_folder()
        assert folder is not None and (folder / "metadata.json").exists()
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) == 0
    assert not folder.exists()  # its metadata file goes with it


def newest_serve_folder():
    import glob
    import os
    import tempfile

    found = glob.glob(os.path.join(tempfile.gettempdir(), "newsmon-serve-*"))
    return Path(max(found, key=os.path.getmtime)) if found else None


def test_sources_show_gives_the_profile_and_search_queries(archive):
    out = run("sources", "show", "mps-not-border-guards", "--db", str(archive)).output
    assert "search queries (built from the source" in out and '"MPs not border guards"' in out
    data = json.loads(run("sources", "show", "mps-not-border-guards", "--db", str(archive), "--json").output)
    assert data["queries"][0] == '"MPs not border guards"' and "immigration" in data["key_terms"]
    missing = CliRunner().invoke(cli, ["sources", "show", "nope", "--db", str(archive)])
    assert missing.exit_code == 1 and missing.output.strip() == \
        f"Error: no source 'nope' in {archive} (sources: mps-not-border-guards)"


def test_backfill_checks_its_dates_in_one_line(tmp_path):
    for args, message in ((["--since", "2018-13-01"], "'2018-13-01' is not a date (YYYY-MM-DD)"),
                          (["--since", "2018-11-20", "--until", "2018-10-01"], "2018-11-20 is after 2018-10-01")):
        result = CliRunner().invoke(cli, ["backfill", "--db", str(tmp_path / "a.db"), *args])
        assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("title", ["[UPDATED] Mill to close", "{draft} Mill to close", ""])
def test_compare_reads_a_source_title_that_looks_like_json(archive, title):
    import sqlite3

    with sqlite3.connect(archive) as conn:
        conn.execute("update sources set title = ?", [title])
    story = json.loads(run("stories", "--db", archive, "--json", "--limit", "1", "--label", "same_story").output)[0]
    result = CliRunner().invoke(cli, ["compare", str(story["id"]), "--db", archive])
    assert result.exit_code == 0, result.output
    data = json.loads(run("compare", str(story["id"]), "--db", archive, "--json").output)
    assert data[0]["source_title"] == title
    assert run("export", "-", "--db", archive, "--format", "json").exit_code == 0


def test_sources_add_refuses_what_it_cannot_keep_and_keeps_what_it_has(tmp_path):
    db = str(tmp_path / "a.db")
    text = tmp_path / "closure.txt"
    text.write_text("Mill to close\n\nThe owners said 420 jobs would go at the mill in the valley.\n")
    assert run("sources", "add", str(text), "--db", db, "--id", "mill", "--published", "2024-06-03").exit_code == 0
    for args, message in (
            (["--id", "mill"], "already in"),
            (["--id", "Bad Id!"], "is not a valid id"),
            (["--id", "other", "--published", "03/06/2024"], "is not a date like"),
    ):
        result = CliRunner().invoke(cli, ["sources", "add", str(text), "--db", db, *args])
        assert result.exit_code == 1 and message in result.output and len(result.output.splitlines()) == 1
    folder = CliRunner().invoke(cli, ["sources", "add", str(tmp_path), "--db", db, "--id", "x"])
    assert folder.exit_code == 1 and "is a folder" in folder.output
    # Replacing without --published keeps the stored date.
    assert run("sources", "add", str(text), "--db", db, "--id", "mill", "--replace").exit_code == 0
    rows = json.loads(run("sources", "list", "--db", db, "--json").output)
    assert [(r["id"], r["published"]) for r in rows] == [("mill", "2024-06-03")]


def test_sources_add_takes_where_a_saved_file_was_published(tmp_path):
    db = str(tmp_path / "a.db")
    text = tmp_path / "closure.txt"
    text.write_text("Mill to close\n\nThe owners said 420 jobs would go at the mill in the valley.\n")

    def site():
        return json.loads(run("sources", "show", "mill", "--db", db, "--json").output)["site"]

    added = run("sources", "add", str(text), "--db", db, "--id", "mill", "--outlet", "Valley Echo")
    assert "site: valley echo" in added.output and site() == "valley echo"
    # Replaced without saying where again: kept, as a title or a date is.
    assert run("sources", "add", str(text), "--db", db, "--id", "mill", "--replace").exit_code == 0
    assert site() == "valley echo"
    assert run("sources", "add", str(text), "--db", db, "--id", "mill", "--replace",
               "--url", "https://www.valley-echo.example/2024/06/03/mill").exit_code == 0
    assert site() == "valley-echo.example"
    for args, message in ((["--url", "valley-echo.example/mill"], "is not a web address"),
                          (["--outlet", "  "], "is not an outlet's name")):
        result = CliRunner().invoke(cli, ["sources", "add", str(text), "--db", db, "--id", "other", *args])
        assert result.exit_code == 1 and message in result.output and len(result.output.splitlines()) == 1


def test_writing_into_a_missing_folder_is_one_line(archive, tmp_path):
    missing = tmp_path / "no" / "such"
    for args in (["report", "--html", str(missing / "r.html")], ["export", str(missing / "s.csv")],
                 ["ingest", str(Path(__file__).parent / "data" / "factory" / "articles.jsonl"),
                  "--watch", str(Path(__file__).parent / "data" / "factory" / "watch.toml"),
                  "--decisions", str(missing / "d.jsonl")]):
        result = CliRunner().invoke(cli, [*args, "--db", archive])
        assert result.exit_code == 1, args
        assert result.output.startswith("Error: cannot write") and len(result.output.splitlines()) == 1
    assert not (tmp_path / "no").exists()


def test_one_output_format_at_a_time(archive):
    result = CliRunner().invoke(cli, ["stories", "--db", archive, "--json", "--csv"])
    assert result.exit_code == 2 and "choose one output format: --json or --csv" in result.output


def test_ingest_exit_status_says_how_it_went(tmp_path):
    db = str(tmp_path / "a.db")
    folder = Path(__file__).parent / "data" / "factory"
    watch = ["--watch", str(folder / "watch.toml")]
    good = tmp_path / "good.jsonl"
    good.write_text((folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "1"}\nnot json\n')
    ok = CliRunner().invoke(cli, ["ingest", str(good), "--db", db, *watch])
    assert ok.exit_code == 0 and ok.output.startswith("Ingested:")
    assert CliRunner().invoke(cli, ["-q", "ingest", str(good), "--db", db, *watch]).output == ""
    partly = CliRunner().invoke(cli, ["ingest", str(good), str(bad), "--db", db, *watch])
    assert partly.exit_code == 3 and "skipped 2" in partly.output
    failed = CliRunner().invoke(cli, ["ingest", str(bad), "--db", db, *watch])
    assert failed.exit_code == 1 and "every one of 2 inputs was skipped" in failed.output
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = CliRunner().invoke(cli, ["ingest", str(empty), "--db", db, *watch])
    assert nothing.exit_code == 1 and "nothing to ingest" in nothing.output


@pytest.mark.crawl
def test_a_crawl_that_fetches_nothing_fails(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    watch = tmp_path / "watch.toml"
    watch.write_text(f"""[watch]\nname = "dead"\n[crawl]\nallow_private_addresses = true\nretry_times = 0
[[outlet]]\nid = "gone"\nhomepage = "http://127.0.0.1:{port}/"\nfeeds = ["http://127.0.0.1:{port}/feed.xml"]
""")
    result = CliRunner().invoke(cli, ["crawl", "--watch", str(watch), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1, result.output
    assert "the crawl fetched no page" in result.output


@pytest.mark.crawl
def test_demo_serve_serves_the_demo_web_with_a_watch_file_for_it(tmp_path):
    import subprocess
    import sys
    import time
    import urllib.request

    from crawler.watch import load_watch

    watch_file = tmp_path / "demo-watch.toml"
    proc = subprocess.Popen([sys.executable, "-m", "newsmon.cli", "demo", "--serve", "--watch-out", str(watch_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not watch_file.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(0.2)
        watch = load_watch(watch_file)
        assert len(watch.outlets) == 9 and watch.sources and watch.topic
        with urllib.request.urlopen(watch.outlets[0].feeds[0], timeout=10) as r:
            assert r.status == 200
        with urllib.request.urlopen(watch.crawl["NEWSMON_GDELT_URL"] + "?query=hotline&mode=artlist&format=json",
                                    timeout=10) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "newsmon crawl --watch" in out and "Stopped." in out


def test_label_sets_the_readers_label_and_show_says_why(archive):
    rows = json.loads(run("stories", "--db", archive, "--json", "--limit", "0", "--label", "related").output)
    story = rows[0]
    assert story["label_by"] == "newsmon" and story["auto_label"] == "related"
    out = run("show", str(story["id"]), "--db", archive).output
    assert "Why labelled so:" in out and "topic model:" in out and "strongest features:" in out
    assert "terms found:" in out
    done = run("label", str(story["id"]), "unrelated", "--note", "a trial, not enforcement", "--db", archive)
    assert done.exit_code == 0 and f"Story {story['id']} labelled unrelated (newsmon said related)" in done.output
    again = json.loads(run("stories", "--db", archive, "--json", "--limit", "0").output)
    mine = next(r for r in again if r["id"] == story["id"])
    assert (mine["label"], mine["label_by"], mine["auto_label"]) == ("unrelated", "reader", "related")
    out = run("show", str(story["id"]), "--db", archive).output
    assert "unrelated: the reader's judgement" in out and "newsmon said related" in out
    assert "a trial, not enforcement" in out
    shown = json.loads(run("show", str(story["id"]), "--db", archive, "--json").output)
    assert shown["judgement"]["label"] == "unrelated" and shown["label_why"]["topic"]["terms"]
    # The report says why too, and shows a story where the reader put it.
    same = json.loads(run("stories", "--db", archive, "--json", "--limit", "0", "--label", "same_story").output)
    assert "Judged by the reader" not in run("report", "--html", "-", "--db", archive).output
    run("label", str(same[0]["id"]), "related", "--db", archive)
    page = run("report", "--html", "-", "--db", archive).output
    assert "Judged by the reader" in page and "Why newsmon labelled it so" in page
    assert f"<b>{len(same) - 1}</b><span>on the same story</span>" in page
    cleared = run("label", str(story["id"]), "clear", "--db", archive)
    assert "judgement taken back; label related" in cleared.output
    for args, message in ((["999999", "related"], "no story with id 999999"),
                          ([str(story["id"]), "sideways"], "'sideways' is not one of")):
        bad = CliRunner().invoke(cli, ["label", *args, "--db", archive])
        assert bad.exit_code != 0 and message in bad.output and "Traceback" not in bad.output


class Terminal:
    """A command run in a pseudo-terminal: what it shows, and keys typed into it."""

    def __init__(self, args):
        import os
        import pty
        import subprocess
        import sys

        master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "newsmon.cli", *args], stdin=slave, stdout=slave,
                                     stderr=slave, close_fds=True, env={**os.environ, "COLUMNS": "120"})
        os.close(slave)
        self.master, self.seen = master, ""

    def expect(self, text: str, limit: float = 60) -> str:
        import os
        import select
        import time

        deadline = time.monotonic() + limit
        while text not in self.seen:
            assert time.monotonic() < deadline, f"never saw {text!r}; saw:\n{self.seen[-2000:]}"
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:  # the command ended
                    assert text in self.seen, f"never saw {text!r}; saw:\n{self.seen[-2000:]}"
        found, self.seen = self.seen, self.seen[self.seen.index(text) + len(text):]
        return found

    def type(self, key: str):
        import os

        os.write(self.master, key.encode())

    def close(self):
        import os

        self.proc.wait(timeout=60)
        os.close(self.master)
        return self.proc.returncode


def test_review_in_a_terminal_labels_stories_one_key_each_and_resumes(archive):
    queue = [r["id"] for r in json.loads(run("stories", "--db", archive, "--json", "--limit", "0").output)]
    term = Terminal(["review", "--db", archive])
    shown = term.expect("[q]uit > ")
    assert f"stories to review, newest first" in shown and f"story {queue[0]} ·" in shown
    assert "why:" in shown and "newsmon:" in shown
    term.type("u")
    term.expect("-> unrelated")
    shown = term.expect("[q]uit > ")
    assert f"story {queue[1]} ·" in shown
    term.type("r")
    term.expect("-> related")
    term.type("x")  # not a key of the loop: nothing happens
    term.type(" ")
    term.expect("-> skipped")
    term.type("s")
    term.expect("-> same_story")
    term.type("q")
    assert "3 judged;" in term.expect("still to review")
    assert term.close() == 0
    rows = {r["id"]: r for r in json.loads(run("stories", "--db", archive, "--json", "--limit", "0").output)}
    assert [(rows[i]["label"], rows[i]["label_by"]) for i in queue[:4]] == [
        ("unrelated", "reader"), ("related", "reader"), (rows[queue[2]]["auto_label"], "newsmon"),
        ("same_story", "reader")]
    # Resumable: the next review starts with the story skipped, the newest still unjudged.
    term = Terminal(["review", "--db", archive])
    assert f"story {queue[2]} ·" in term.expect("[q]uit > ")
    term.type("q")
    term.expect("0 judged;")
    assert term.close() == 0
    # Datasette reads the labels in force (and the judgements table) too.
    with datasette(archive) as get:
        story = get(f"stories.json?id={queue[0]}&_shape=array")[0]
        assert story["label"] == "unrelated" and story["auto_label"] != "unrelated"
        judged = get("judged_stories.json?_shape=array")
        assert {j["story_id"]: j["label"] for j in judged} == {queue[0]: "unrelated", queue[1]: "related",
                                                                queue[3]: "same_story"}


from contextlib import contextmanager  # noqa: E402


@contextmanager
def datasette(archive):
    """`newsmon serve` on a free port; yields get(path) -> JSON."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    if shutil.which("datasette", path=str(Path(sys.executable).parent)) is None:
        pytest.skip('datasette is not installed (pip install -e ".[test]" brings it)')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "newsmon.cli", "serve", "--db", archive, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/{Path(archive).stem}"

    def get(path):
        with urllib.request.urlopen(f"{base}/{path}", timeout=10) as response:
            return json.loads(response.read())
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("stories.json?_size=1")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield get
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# --- foreign, damaged and full archives (issue 21) ----------------------------------------

def one_line_error(result, *fragments):
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert all(f in lines[0] for f in fragments), lines[0]
    return lines[0]


def test_every_command_refuses_a_foreign_sqlite_file_and_leaves_it_byte_identical(tmp_path):
    import sqlite3

    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("create table foo (a)")
    conn.execute("insert into foo values ('theirs')")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    watch = tmp_path / "watch.toml"
    watch.write_text('[crawl]\nallow_private_addresses = true\n[[outlet]]\nid = "x"\nhomepage = "http://127.0.0.1:9/"\n')
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>" + "Ferry timetable news for the winter. " * 50 + "</p></body></html>")
    db = str(foreign)
    commands = [["stories"], ["stories", "--copies"], ["search", "ferry"], ["show", "1"], ["compare", "1"],
                ["outlets"], ["timeline"], ["export", str(tmp_path / "x.json")],
                ["report", "--html", str(tmp_path / "x.html")], ["sources", "list"],
                ["sources", "show", "x"], ["status", "--watch", str(watch)], ["dedup", "--rebuild"],
                ["check"], ["recover", str(tmp_path / "saved.db")],
                ["ingest", str(page), "--watch", str(watch)], ["crawl", "--watch", str(watch)],
                ["backfill", "--watch", str(watch), "--since", "2018-10-01", "--until", "2018-10-02"],
                ["schedule", "--watch", str(watch)]]
    for args in commands:
        result = CliRunner().invoke(cli, [*args, "--db", db])
        one_line_error(result, "is not a newsmon archive", "leaves it untouched")
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db", "page.html", "watch.toml"]


def test_crawl_into_a_folder_that_does_not_exist_is_an_error(tmp_path):
    watch = tmp_path / "watch.toml"
    watch.write_text('[crawl]\nallow_private_addresses = true\n[[outlet]]\nid = "x"\nhomepage = "http://127.0.0.1:9/"\n')
    result = CliRunner().invoke(cli, ["crawl", "--watch", str(watch), "--db", str(tmp_path / "none" / "dir" / "c.db")])
    one_line_error(result, "cannot make an archive at", "there is no folder")
    assert not (tmp_path / "none").exists()


def test_read_commands_do_not_write_to_the_archive(archive):
    import sqlite3

    conn = sqlite3.connect(archive)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    before = Path(archive).read_bytes()
    for args in (["stories"], ["search", "hotline"], ["show", "1"], ["outlets"], ["timeline"], ["sources", "list"],
                 ["report", "--html", "-"], ["export", "-", "--format", "ndjson"], ["check"]):
        assert run(*args, "--db", archive).exit_code == 0, args
    assert Path(archive).read_bytes() == before


def test_a_damaged_archive_is_one_line_for_every_command_and_recover_saves_the_rest(archive, tmp_path):
    import random
    import sqlite3

    conn = sqlite3.connect(archive)
    conn.execute("pragma wal_checkpoint(truncate)")
    page_size = conn.execute("pragma page_size").fetchone()[0]
    page = conn.execute("select rootpage from sqlite_master where name = 'stories'").fetchone()[0]
    conn.close()
    data = bytearray(Path(archive).read_bytes())
    # A page of the stories table's rows, its bytes flipped: damage every reader meets (bytes
    # flipped at a fixed offset may land in free space, which no check reads, as the archive's
    # layout follows the demo crawl's order). Down the b-tree by right-most child pointers
    # (interior table pages, type 5) to a leaf (type 13).
    while data[(page - 1) * page_size] == 5:
        page = int.from_bytes(data[(page - 1) * page_size + 8:(page - 1) * page_size + 12], "big")
    start = (page - 1) * page_size
    assert data[start] == 13 and page > 1
    rnd = random.Random(21)
    for i in range(start, start + page_size):
        data[i] ^= rnd.randrange(1, 256)
    data[start] = 0  # no page type at all, whatever the flips gave
    Path(archive).write_bytes(bytes(data))
    for args in (["stories"], ["search", '"border guards"'], ["show", "5"], ["compare", "16"], ["outlets"],
                 ["timeline"], ["sources", "list"], ["status", "--watch", str(REPO_WATCH)],
                 ["export", str(tmp_path / "e.json")], ["report", "--html", str(tmp_path / "r.html")],
                 ["dedup", "--rebuild"]):
        line = one_line_error(CliRunner().invoke(cli, [*args, "--db", archive]), "is damaged (",
                              "newsmon check --db", "newsmon recover")
        assert "cannot search" not in line
    checked = CliRunner().invoke(cli, ["check", "--db", archive])
    assert checked.exit_code == 1 and "is damaged:" in checked.output and "newsmon recover" in checked.output
    saved = str(tmp_path / "saved.db")
    recovered = CliRunner().invoke(cli, ["recover", saved, "--db", archive])
    assert recovered.exit_code == 0 and f"Recovered into {saved}:" in recovered.output
    assert "no damage found" in CliRunner().invoke(cli, ["check", "--db", saved]).output
    rows = json.loads(run("stories", "--db", saved, "--json", "--limit", "0").output)
    assert len(rows) >= 40


def test_ingest_on_a_full_disk_is_one_line_and_keeps_what_it_archived(small_disk, tmp_path):
    import random
    import sqlite3

    rnd = random.Random(5)
    words = "council ferry harbour timetable winter library budget road school river market vote".split()
    records = tmp_path / "many.jsonl"
    records.write_text("\n".join(json.dumps({
        "id": f"r{i}", "url": f"https://paper.example/{i}", "title": f"Story {i}", "outlet": "paper",
        "text": " ".join(rnd.choice(words) + str(rnd.randrange(1000)) for _ in range(600))}) for i in range(300)))
    small_disk.resize("3500k")
    db = small_disk.path / "a.db"
    result = CliRunner().invoke(cli, ["ingest", str(records), "--keep", "all", "--db", str(db),
                                      "--watch", str(REPO_WATCH)])
    line = one_line_error(result, "Error: disk full: ", " stories archived before it, nothing lost")
    stored = sqlite3.connect(db).execute("select count(*) from stories").fetchone()[0]
    assert 0 < stored < 300 and f"disk full: {stored} stories" in line
    small_disk.resize("16m")  # room again: the rest goes in, nothing twice
    again = CliRunner().invoke(cli, ["ingest", str(records), "--keep", "all", "--db", str(db), "--watch", str(REPO_WATCH)])
    assert again.exit_code == 0, again.output
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*), count(distinct url) from stories").fetchone() == (300, 300)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


def test_an_archive_of_an_older_newsmon_is_read_only_after_check_upgrade(tmp_path):
    import sqlite3

    import sqlite_utils

    from pipelines.archive import migrations

    db = tmp_path / "old.db"
    migrations.apply(sqlite_utils.Database(db), stop_before="m007_archive_settings")  # unmarked, one behind
    before = db.read_bytes()
    refused = CliRunner().invoke(cli, ["stories", "--db", str(db)])
    one_line_error(refused, "made by an older newsmon", "m007_archive_settings", "newsmon check --upgrade")
    assert db.read_bytes() == before
    upgraded = CliRunner().invoke(cli, ["check", "--upgrade", "--db", str(db)])
    assert upgraded.exit_code == 0 and "up to date" in upgraded.output, upgraded.output
    assert sqlite3.connect(db).execute("pragma application_id").fetchone()[0] != 0  # marked now
    assert run("stories", "--db", str(db)).output.strip() == "(nothing found)"


def test_the_default_archive_folder_is_made_only_by_commands_that_make_an_archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSMON_DB", raising=False)
    assert CliRunner().invoke(cli, ["stories"]).exit_code == 1 and not (tmp_path / "data").exists()
    source = Path(__file__).resolve().parent.parent / "data" / "sources" / "mps-not-border-guards.txt"
    assert CliRunner().invoke(cli, ["sources", "add", str(source), "--id", "s"]).exit_code == 0
    assert (tmp_path / "data" / "archive.db").is_file()


def test_settings_from_the_environment_and_s_and_the_archives_own_layout(tmp_path):
    folder = Path(__file__).parent / "data" / "factory"
    db = str(tmp_path / "a.db")
    ingest = ["ingest", str(folder / "articles.jsonl"), "--watch", str(folder / "watch.toml"), "--db", db]

    def layout():
        import sqlite3

        with sqlite3.connect(db) as conn:
            return conn.execute("select value from archive_settings where name = 'lsh_layout'").fetchone()[0]

    assert CliRunner().invoke(cli, ingest, env={"NEWSMON_DEDUP_BANDS": "32"}).exit_code in (0, 3)
    assert layout().startswith("128x5/32")
    assert CliRunner().invoke(cli, ["stories", "--db", db]).exit_code == 0
    assert CliRunner().invoke(cli, ingest).exit_code in (0, 3)  # the defaults say 64: the archive keeps 32
    assert layout().startswith("128x5/32")
    rebuilt = CliRunner().invoke(cli, ["dedup", "--rebuild", "--db", db, "-s", "NEWSMON_DEDUP_BANDS=16"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert layout().startswith("128x5/16")
    shown = json.loads(CliRunner().invoke(cli, ["settings", "NEWSMON_DEDUP_BANDS", "DOWNLOAD_DELAY", "--json",
                                                "-s", "DOWNLOAD_DELAY=0.5"], env={"NEWSMON_DEDUP_BANDS": "8"}).output)
    assert {r["name"]: (r["value"], r["from"]) for r in shown} == {
        "NEWSMON_DEDUP_BANDS": (8, "environment"), "DOWNLOAD_DELAY": (0.5, "command line")}
    bad = CliRunner().invoke(cli, ["stories", "--db", db, "-s", "NEWSMON_DEDUP_BANDS=many"])
    assert bad.exit_code == 2 and "is not an integer" in bad.output


def test_extract_says_why_a_page_is_refused_and_force_shows_it(tmp_path):
    teasers = "".join(f'<li><a href="/news/story-{i}">Harbour trust plans a new pier for boats {i}</a>'
                      f"<p>Trustees say the pier would bring visitors in summer and cost less {i}.</p></li>"
                      for i in range(10))
    page = tmp_path / "front.html"
    page.write_text(f"<html><head><title>News</title></head><body><ul>{teasers}</ul></body></html>")
    refused = CliRunner().invoke(cli, ["extract", str(page), "--url", "https://isles.example/news/"])
    assert refused.exit_code == 1
    assert "not an article (listing-page)" in refused.output and "teasers hold" in refused.output
    assert "--force" in refused.output
    shown = CliRunner().invoke(cli, ["extract", str(page), "--url", "https://isles.example/news/", "--force", "--json"])
    assert shown.exit_code == 0
    data = json.loads(shown.stdout)
    assert data["refused"]["reason"] == "listing-page" and "Trustees say" in data["text"]


def test_extract_says_when_it_shows_the_open_part_of_a_paywalled_article(tmp_path):
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pier plan approved", '
            '"datePublished": "2024-11-04T07:30:00Z"}</script>')
    opening = "".join(f"<p>Trustees approved the new pier for visiting boats at their meeting, item {i} of the "
                      f"plan says, and work starts in spring.</p>" for i in range(4))
    wall = "<div><p>Subscribe to continue reading</p><p>First month for one pound.</p></div>"
    page = tmp_path / "walled.html"
    page.write_text(f"<html><head><title>Pier plan approved</title>{head}</head><body><article>"
                    f"<h1>Pier plan approved</h1>{opening}{wall}</article></body></html>")
    shown = CliRunner().invoke(cli, ["extract", str(page), "--url", "https://isles.example/news/pier"])
    assert shown.exit_code == 0, shown.output
    assert "the open part of a paywalled article" in shown.output
    assert "Trustees approved" in shown.output and "First month" not in shown.output
