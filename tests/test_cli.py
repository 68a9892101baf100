import csv
from pathlib import Path
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.demo import DemoWeb


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
    # Third act: the source alone finds the event's coverage by search, links and backfill.
    import re

    found, of = map(int, re.search(r"found (\d+) of the (\d+) same-story articles", out).groups())
    assert found == of > 0 and "wayback" in out.split("From the source alone")[1]
    assert (tmp_path / "demo-discovery.db").exists()
    again = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    assert again.exit_code == 0
    assert "new stories stored:        0" in again.output.split("Second crawl")[0]


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
    assert result.exit_code == 0 and "skipped" in result.output and "Traceback" not in result.output
    missing = CliRunner().invoke(cli, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "a.db")])
    assert missing.exit_code == 1 and "no such file or folder" in missing.output


def test_copy_groups_in_stories_and_show(archive):
    groups = json.loads(run("stories", "--copies", "--db", archive, "--json").output)
    assert len(groups) == 1 and groups[0]["copies"] == 8
    assert "press-wire" in groups[0]["outlets"]
    out = run("show", str(groups[0]["group_id"]), "--db", archive).output
    assert "Copies at other outlets" in out and out.count("\n  ") >= 7


def test_dedup_rebuild_keeps_the_groups(archive):
    result = CliRunner().invoke(cli, ["dedup", "--rebuild", "--db", archive])
    assert result.exit_code == 0, result.output
    assert "1 copy groups, 7 copies" in result.output
    groups = json.loads(run("stories", "--copies", "--db", archive, "--json").output)
    assert groups[0]["copies"] == 8


def test_ingest_decisions_carry_story_and_copy_group(tmp_path):
    wire = "\n".join(f"Paragraph {i}: MPs made 68 calls to the immigration enforcement hotline, "
                     f"charities said, calling on every MP to sign the pledge ({i})." for i in range(12))
    records = [{"id": "w", "title": "Wire", "text": wire, "outlet": "wire", "published": "2018-10-19"},
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
                          "--since", "2018-10-20", "--outlet", "press-wire").output)
    assert hits and all(h["label"] == "same_story" and h["outlet"] == "press-wire"
                        and h["published"] >= "2018-10-20" for h in hits)
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
    assert len(list(csv.DictReader(open(tmp_path / "out.csv", encoding="utf-8")))) == 54
    assert all(r["url"].startswith("http://127.0.0.1:") for r in rows)  # as served, not the dedup key
    unknown = CliRunner().invoke(cli, ["export", str(tmp_path / "out.xml"), "--db", archive])
    assert unknown.exit_code == 1 and "--format" in unknown.output


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
    finally:
        proc.terminate()
        proc.wait(timeout=20)


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
