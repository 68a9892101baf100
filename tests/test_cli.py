import csv
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
    again = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    assert again.exit_code == 0
    assert "new stories stored:        0" in again.output.split("Second crawl")[0]
