import json
from pathlib import Path

from crawler.watch import load_watch
from newsmon.ingest import Ingestor, Record, read_inputs
from pipelines.archive import Archive
from pipelines.compare import load_framing
from pipelines.relevance import Thresholds, TopicMatcher
from pipelines.sources import source_row

REPO = Path(__file__).resolve().parent.parent
SAME = ("MPs made 68 calls to the Home Office immigration enforcement hotline in 2017 and 723 since 2012, "
        "figures obtained by David Lammy show. Charities led by Migrants Organise want every MP to sign the "
        "MPs not border guards pledge; 107 MPs have signed. Sir Christopher Chope defended reporting.")


def ingestor(archive, watch_path=REPO / "data" / "watch.toml", keep=False, **options):
    watch = load_watch(watch_path)
    archive.sync_watch(watch, [source_row(s) for s in watch.sources if s.path])
    return Ingestor(archive, TopicMatcher(watch.topic.terms), Thresholds(),
                    load_framing("data/framing.toml"), keep_unrelated=keep, **options)


def test_records_are_labelled_stored_and_compared(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        records = [Record(id="1", title="MPs and the hotline", text=SAME, published="2018-10-12", outlet="paper"),
                   Record(id="2", title="Copy", text=SAME, published="2018-10-12", outlet="paper",
                          url="https://paper.example/copy"),
                   Record(id="3", title="Backstop", text="The Irish border backstop stalled the talks again.",
                          outlet="paper"),
                   Record(id="4", problem="x.jsonl:4: not a JSON line")]
        decisions = list(ingestor(archive).run(iter(records)))
        assert [(d["id"], d["label"], d["action"]) for d in decisions] == [
            ("1", "same_story", "stories_new"), ("2", "same_story", "urls_merged"),
            ("3", "unrelated", "not stored"), ("4", None, "skipped")]
        assert decisions[0]["story_id"] == decisions[1]["story_id"]
        (comparison,) = archive.comparisons(decisions[0]["story_id"])
        assert [(c["story_value"], c["source_value"]) for c in comparison["facts_conflict"]] == [(107, 113)]


def test_keep_all_stores_unrelated_labelled(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        decisions = list(ingestor(archive, keep=True).run(iter([
            Record(id="3", title="Backstop", text="The Irish border backstop stalled the talks again.")])))
        assert decisions[0]["action"] == "stories_new"
        assert archive.story(decisions[0]["story_id"])["label"] == "unrelated"


def test_reading_html_folders_and_jsonl(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<html><body><p>Hello</p></body></html>")
    (tmp_path / "pages" / "notes.txt").write_text("ignored")
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"id": "r1", "title": "T", "text": "Body"}) + "\n\n{broken\n"
                     + json.dumps({"id": "r3", "title": "no body"}) + "\n", encoding="utf-8")
    records = list(read_inputs([str(tmp_path / "pages"), str(jsonl)]))
    assert [r.id for r in records] == [str(tmp_path / "pages" / "a.html"), "r1", f"{jsonl}:3", "r3"]
    assert records[0].html and records[0].url.startswith("file://")
    assert records[2].problem.startswith(f"{jsonl}:3: not a JSON line")
    assert records[3].problem == f'{jsonl}:4: a record needs "text" or "html"'


def _warc_of(web, requests, path):
    """A WARC of the pages a crawl asked for, as a crawler would write it: a request and a
    response record per URL, gzip per record."""
    import urllib.error
    import urllib.request
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for outlet, page in sorted(set(requests)):
            url = web.outlets[outlet].base_url.rstrip("/") + page
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    status, headers, body = response.status, response.headers, response.read()
            except urllib.error.HTTPError as exc:
                status, headers, body = exc.code, exc.headers, exc.read()
            http = StatusAndHeaders(f"{status} OK", list(headers.items()), protocol="HTTP/1.1")
            asked = StatusAndHeaders(f"GET {page} HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=asked))
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=http))


def test_a_warc_of_the_demo_web_archives_as_a_crawl_of_it(demo_crawl, tmp_path):
    import sqlite3

    from crawler import settings
    from newsmon.ingest import read_warc
    from pipelines.dedup import normalise_url
    from pipelines.topic import watch_judge

    web = demo_crawl.web
    warc = tmp_path / "demo.warc.gz"
    web.edition = 2  # the pages as the crawl last saw them
    try:
        _warc_of(web, demo_crawl.requests, warc)
    finally:
        web.edition = 1
    watch = web.watch(source_path=REPO / "data" / "sources" / "mps-not-border-guards.txt",
                      topic=load_watch(REPO / "data" / "watch.toml").topic)
    with Archive(tmp_path / "warc.db") as archive:
        archive.sync_watch(watch, [source_row(s) for s in watch.sources])
        # Judged as the crawl and `newsmon ingest` judge: by the watch's topic (its model).
        judge = watch_judge(watch.topic, archive, settings.NEWSMON_RELEVANCE_TOPIC)
        ingest = Ingestor(archive, judge, Thresholds(), load_framing("data/framing.toml"),
                          outlet_for=watch.outlet_for, min_words=settings.NEWSMON_MIN_ARTICLE_WORDS)
        decisions = list(ingest.run(read_warc(warc)))
    assert decisions and not [d for d in decisions if d["action"] == "skipped" and "WARC" in d.get("reason", "")]

    def archive_of(db):
        conn = sqlite3.connect(db)
        # (the byline too: ingest reads it only for a page it keeps, as a crawl's worker does)
        stories = {r[0]: r[1:] for r in conn.execute("select id, outlet, title, label, authors from stories")}
        urls = {}
        for story_id, url in conn.execute("select story_id, url from story_urls"):
            urls.setdefault(stories[story_id], set()).add(normalise_url(url))
        groups = {frozenset(stories[i] for (i,) in conn.execute(
                      "select id from stories where copy_group = ?", [g]))
                  for (g,) in conn.execute("select distinct copy_group from stories where copy_group is not null")}
        conn.close()
        return set(stories.values()), urls, {g for g in groups if len(g) > 1}

    crawled, ingested = archive_of(demo_crawl.db_path), archive_of(tmp_path / "warc.db")
    assert ingested[0] == crawled[0]  # the same stories: outlet, title, label, authors
    assert sum(authors not in (None, "null", "[]") for *_s, authors in crawled[0]) >= 10  # (bylines among them)
    assert ingested[1] == crawled[1]  # under the same URLs
    assert ingested[2] == crawled[2] and crawled[2]  # in the same syndicated groups


def test_a_damaged_warc_keeps_what_came_before_and_says_so_in_one_line(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = ("<html><head><title>Ferry</title></head><body><article>"
            + "<p>The ferry timetable changed over the winter months again this year.</p>" * 30
            + "</article></body></html>").encode()
    good = BytesIO()
    writer = WARCWriter(good, gzip=True)
    for i in range(3):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://paper.example/{i}", "response",
                                                      payload=BytesIO(page), http_headers=http))
    warc = tmp_path / "cut.warc.gz"
    warc.write_bytes(good.getvalue() + b"\x1f\x8b\x08garbage")
    records = list(read_inputs([str(warc)]))
    assert [r.url for r in records[:3]] == [f"https://paper.example/{i}" for i in range(3)]
    assert records[0].crawled and "ferry timetable" in records[0].html
    assert len(records) == 4 and "not a readable WARC file from here on" in records[3].problem
    not_warc = tmp_path / "notes.warc"
    not_warc.write_text("just some notes\n")
    (record,) = read_inputs([str(not_warc)])
    assert record.problem.startswith(f"{not_warc}: not a WARC file (")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    (record,) = read_inputs([str(empty)])
    assert record.problem == f"{empty}: no WARC records in it (not a WARC file?)"
    assert "\n" not in records[3].problem


def test_a_saved_page_is_archived_under_its_canonical_url_and_outlet(tmp_path):
    body = "".join(f"<p>{SAME} Paragraph {i}.</p>" for i in range(3))
    page = tmp_path / "saved.html"
    page.write_text(f'<html lang="en"><head><title>MPs and the hotline</title>'
                    f'<link rel="canonical" href="https://www.paper.example/2018/mps-hotline"></head>'
                    f"<body><article><h1>MPs and the hotline</h1>{body}</article></body></html>", encoding="utf-8")
    with Archive(tmp_path / "a.db") as archive:
        records = list(read_inputs([str(page)])) + [
            Record(id="plain", title="Hotline calls", text=SAME.replace("68", "sixty-eight"), outlet="wire")]
        decisions = list(ingestor(archive, keep=True).run(iter(records)))
        saved = archive.story(decisions[0]["story_id"])
        assert saved["url"] == "https://www.paper.example/2018/mps-hotline"
        assert saved["outlet"] == "paper.example"
        assert [u["url"] for u in saved["urls"]] == ["https://www.paper.example/2018/mps-hotline"]
        plain = archive.story(decisions[1]["story_id"])
        assert plain["language"] == "en"


def test_a_saved_page_with_no_canonical_link_is_archived_where_its_browser_saved_it_from(tmp_path):
    body = "".join(f"<p>{SAME} Paragraph {i}.</p>" for i in range(3))
    page = tmp_path / "saved.html"
    page.write_text("<!-- saved from url=(0041)https://www.paper.example/2018/mps-hotline -->\n"
                    f'<html lang="en"><head><title>MPs and the hotline</title></head>'
                    f"<body><article><h1>MPs and the hotline</h1>{body}</article></body></html>", encoding="utf-8")
    with Archive(tmp_path / "a.db") as archive:
        (decision,) = ingestor(archive, keep=True).run(iter(read_inputs([str(page)])))
        saved = archive.story(decision["story_id"])
        assert (saved["url"], saved["outlet"]) == ("https://www.paper.example/2018/mps-hotline", "paper.example")


# --- input checked as strictly as the watch file and a crawl (issue 21) ------------------------

def warc_of(pages, gzip):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for url, body in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http))
    return out.getvalue()


def test_a_page_over_the_crawls_size_cap_is_skipped_as_a_crawl_skips_it(tmp_path):
    from crawler import settings

    big = "ferry timetable " * (settings.DOWNLOAD_MAXSIZE // 16 + 10)  # just over 8 MB
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "big", "text": big}) + "\n"
                                       + json.dumps({"id": "small", "text": SAME}) + "\n")
    (tmp_path / "big.html").write_text(f"<html><body><p>{big}</p></body></html>")
    records = list(read_inputs([str(tmp_path / "in.jsonl"), str(tmp_path / "big.html")]))
    assert [r.id for r in records] == [f"{tmp_path / 'in.jsonl'}:1", "small", str(tmp_path / "big.html")]
    assert "over the 8 MB a page may be (DOWNLOAD_MAXSIZE" in records[0].problem
    assert records[1].problem is None and "over the 8 MB" in records[2].problem
    warc = tmp_path / "big.warc"
    warc.write_bytes(warc_of([("https://paper.example/big", big.encode()), ("https://paper.example/ok", b"<p>ok</p>")],
                             gzip=False))
    first, second = read_inputs([str(warc)], max_bytes=1024 * 1024)
    assert "over the 1 MB" in first.problem and second.problem is None


def test_story_urls_must_be_http_and_outlets_names_not_paths(tmp_path):
    lines = [{"id": "js", "url": "javascript:alert(1)", "text": SAME},
             {"id": "data", "url": "data:text/html,<script>x</script>", "text": SAME},
             {"id": "ftp", "url": "ftp://paper.example/a", "text": SAME},
             {"id": "up", "outlet": "../../etc", "text": SAME},
             {"id": "tag", "outlet": "<script>alert(1)</script>", "text": SAME},
             {"id": "num", "outlet": 7, "text": SAME},
             {"id": "ok", "url": "https://paper.example/a", "outlet": "BBC News", "text": SAME},
             {"id": "ok2", "outlet": "paper.example", "text": SAME}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(line) for line in lines))
    records = {r.id: r for r in read_inputs([str(tmp_path / "in.jsonl")])}
    for bad in ("js", "data", "ftp"):
        assert "is not an http(s) URL" in records[bad].problem
    for bad in ("up", "tag"):
        assert "is not an outlet's name or id" in records[bad].problem
    assert records["num"].problem.endswith('"outlet" must be a string')
    assert records["ok"].problem is None and records["ok2"].problem is None
    with Archive(tmp_path / "a.db") as archive:
        decisions = list(ingestor(archive, keep=True).run(iter(records.values())))
        assert [d["id"] for d in decisions if d["action"] != "skipped"] == ["ok", "ok2"]
        assert {r["outlet"] for r in archive.stories()} == {"BBC News", "paper.example"}


def test_a_warc_record_cut_short_is_reported_as_cut_not_judged(tmp_path):
    page = ("<html><head><title>Ferry</title></head><body><article>"
            + "".join(f"<p>The ferry timetable changed over the winter months, notice {i}.</p>" for i in range(60))
            + "</article></body></html>").encode()
    for gzip, cut in ((False, 1500), (True, 30)):
        data = warc_of([(f"https://paper.example/{i}", page) for i in range(3)], gzip)
        warc = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
        warc.write_bytes(data[:-cut])  # the file ends inside the last page
        records = list(read_inputs([str(warc)]))
        assert [r.problem for r in records[:2]] == [None, None] and records[0].html
        assert len(records) == 3 and records[2].html is None
        assert "cut short" in records[2].problem and "\n" not in records[2].problem
    # A file cut inside a record's headers: its end is reported, not silently dropped.
    data = warc_of([(f"https://paper.example/{i}", page) for i in range(2)], gzip=False)
    warc = tmp_path / "headers.warc"
    first = warc_of([("https://paper.example/0", page)], gzip=False)
    warc.write_bytes(data[:len(first) + 120])
    records = list(read_inputs([str(warc)]))
    assert records[0].problem is None and "cut short: the last 120 bytes are not a whole record" in records[1].problem


def test_once_the_archive_holds_enough_stories_their_word_rarity_weighs_the_same_story_evidence(tmp_path):
    import random

    from newsmon.cli import evidence_lines
    from pipelines import samestory

    vocabulary = ("council budget school road hospital weather festival market railway housing library park "
                  "museum harbour bridge farm police court river factory bus election teacher nurse museum "
                  "garden church stadium theatre").split()

    def filler(i):
        rng = random.Random(i)
        words = " ".join(rng.choice(vocabulary) for _ in range(60))
        return Record(id=f"f{i}", title=f"Local news {i}", text=f"The Home Office immigration hotline. {words}.",
                      published="2018-09-01", outlet=f"paper{i % 7}", url=f"https://paper{i % 7}.example/{i}")

    def same(outlet, published="2018-10-12"):
        return Record(id=outlet, title="MPs and the hotline", text=SAME, published=published, outlet=outlet,
                      url=f"https://{outlet}.example/a")

    with Archive(tmp_path / "a.db") as archive:
        # read and judged 100 at a time: the first when too few are read, the last once 200 stories are
        decisions = list(ingestor(archive, keep=True, window=100).run(iter(
            [same("early")] + [filler(i) for i in range(samestory.MIN_ARCHIVE_STORIES + 10)]
            + [same("later"), same("undated", None)])))
        early, later, undated = decisions[0], decisions[-2], decisions[-1]
        assert early["label"] == later["label"] == undated["label"] == "same_story"
        (first,) = archive.comparisons(early["story_id"])
        assert not set(samestory.ARCHIVE_FEATURES) & set(first["evidence"]["features"])  # too few stories then
        (comparison,) = archive.comparisons(later["story_id"])
        assert set(samestory.ARCHIVE_FEATURES) <= set(comparison["evidence"]["features"])
        assert not set(samestory.STANDOUT_FEATURES) & set(comparison["evidence"]["features"])  # dated: not read
        assert any("in words rare in this archive" in line for line in evidence_lines(comparison["evidence"]))
        # without a date, how far the pair stands above the archive's usual likeness is evidence too
        (alone,) = archive.comparisons(undated["story_id"])
        assert set(samestory.STANDOUT_FEATURES) <= set(alone["evidence"]["features"])
        # (the fillers share the hotline's words with it: its background is above nothing, and it stands out)
        assert 0 < alone["evidence"]["features"]["standout"] < alone["evidence"]["features"]["body_archive"]


def test_an_ingested_collection_weighs_its_words_by_all_it_holds_from_its_first_story_on(tmp_path):
    import random

    from pipelines import samestory

    vocabulary = "council budget school road hospital weather festival market railway housing library".split()

    def filler(i):  # off the watch's subject: judged unrelated and not stored, but read
        words = " ".join(random.Random(i).choice(vocabulary) for _ in range(60))
        return Record(id=f"f{i}", title=f"Local news {i}", text=f"{words}.", published="2018-09-01",
                      outlet=f"paper{i % 7}", url=f"https://paper{i % 7}.example/{i}")

    with Archive(tmp_path / "a.db") as archive:
        first, *rest = ingestor(archive).run(iter(
            [Record(id="first", title="MPs and the hotline", text=SAME, published="2018-10-12", outlet="paper",
                    url="https://paper.example/a")] + [filler(i) for i in range(samestory.MIN_ARCHIVE_STORIES)]))
        assert first["label"] == "same_story" and {d["action"] for d in rest} == {"not stored"}
        assert archive.db["stories"].count == 1
        # the collection given (201 inputs), not the one story stored, is what its words are weighed by
        (comparison,) = archive.comparisons(first["story_id"])
        assert set(samestory.ARCHIVE_FEATURES) <= set(comparison["evidence"]["features"])


def test_a_story_without_a_date_is_decided_by_its_text_alone_and_compare_says_so(tmp_path):
    from newsmon.cli import evidence_lines

    def report(outlet, published):
        return Record(id=outlet, title="MPs and the hotline", text=SAME, published=published, outlet=outlet,
                      url=f"https://{outlet}.example/a")

    with Archive(tmp_path / "a.db") as archive:
        dated, undated = ingestor(archive, keep=True).run(iter([report("dated", "2018-10-12"),
                                                                 report("undated", None)]))
        assert dated["label"] == undated["label"] == "same_story"
        (with_date,) = archive.comparisons(dated["story_id"])
        (without,) = archive.comparisons(undated["story_id"])
        assert with_date["days_from_source"] == 0 and without["days_from_source"] is None
        said = "no date on one side: the text alone decided"
        assert any(said in line for line in evidence_lines(without["evidence"]))
        assert not any(said in line for line in evidence_lines(with_date["evidence"]))


def test_records_without_addresses_from_the_sources_outlet_are_that_sites_stories(tmp_path):
    # A set of one outlet's texts fed without their pages (JSONL records naming their outlet)
    # against a source added with that outlet: the rules for two stories of one site apply,
    # as they do to pages of one host (samestory.SAME_OUTLET_PENALTY).
    (tmp_path / "source.txt").write_text(f"MPs and the hotline\n\n{SAME}\n", encoding="utf-8")
    (tmp_path / "watch.toml").write_text(
        '[watch]\nname = "one-outlet"\n\n[topic]\nname = "t"\n\n[topic.terms]\n"hotline" = 1.0\n\n'
        '[[source]]\nid = "hotline"\npath = "source.txt"\npublished = "2018-10-12"\noutlet = "The Wendshire Post"\n'
        '\n[[outlet]]\nid = "post"\nname = "The Wendshire Post"\nhomepage = "http://127.0.0.1:9/"\n', encoding="utf-8")
    with Archive(tmp_path / "a.db") as archive:
        run = ingestor(archive, tmp_path / "watch.toml", keep=True).run
        other, same = run(iter([Record(id=str(i), title="MPs and the hotline", text=SAME, outlet=outlet)
                                for i, outlet in enumerate(("Bramley Gazette", "The Wendshire  Post"))]))
        (with_other,) = archive.comparisons(other["story_id"])
        (with_same,) = archive.comparisons(same["story_id"])
    assert with_same["evidence"]["features"]["same_outlet"] == 1.0
    assert with_other["evidence"]["features"]["same_outlet"] == 0.0
    assert same["same_story_score"] < other["same_story_score"]
