import sqlite3

import pytest

import sqlite_utils

from pipelines.archive import Archive, ArchiveError, migrations
from pipelines.dedup import LEDE_BANDS, normalise_url, page_keys

TEXT = "MPs made 68 calls to the immigration enforcement hotline last year.\nCharities want a pledge."


def page(url, text=TEXT, outlet="paper", title="MPs and the hotline", canonical=None, requested=None,
         fetched_at="2026-01-01T10:00:00+00:00"):
    requested = requested or url
    urls, keys, text_hash = page_keys(requested, url, canonical, text)
    return {"outlet": outlet, "outlet_name": outlet.title(), "urls": urls, "keys": keys,
            "fetched_urls": list(dict.fromkeys([url, requested])),
            "authoritative": canonical in (None, url, requested),
            "text_hash": text_hash, "fetched_at": fetched_at, "discovered_via": "feed",
            "article": {"title": title, "text": text, "authors": ["Jane Smith"],
                        "published": "2018-10-19T08:00:00+01:00", "date_source": "jsonld:datePublished",
                        "modified": None, "language": "en", "sitename": "Paper", "canonical_url": canonical,
                        "section": "Politics", "description": None, "image": None,
                        "word_count": len(text.split()), "sources": {"title": "jsonld"}}}


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        yield archive


def test_schema_wal_and_fts(archive):
    db = archive.db
    assert {"outlets", "sources", "stories", "story_urls", "story_revisions", "fetch_state",
            "crawl_runs", "stories_fts"} <= set(db.table_names())
    assert {"story_overview", "coverage_by_outlet_day"} <= set(db.view_names())
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert [m.name for m in migrations.applied(db)] == ["m001_initial", "m002_relevance", "m003_copies", "m004_run_owners", "m005_outlet_view", "m006_run_outcomes", "m007_archive_settings", "m008_judgements", "m009_alerts", "m011_samestory_evidence"]
    assert {"comparisons", "remembered_urls"} <= set(db.table_names())
    assert {"related_coverage", "conflicting_facts"} <= set(db.view_names())


def test_reopening_applies_nothing_twice(tmp_path):
    Archive(tmp_path / "a.db").close()
    with Archive(tmp_path / "a.db") as again:
        assert again.db["_sqlite_migrations"].count == len(migrations.pending(sqlite_utils.Database(memory=True)))


def test_one_story_for_many_urls(archive):
    base = "https://paper.example/mps-hotline"
    outcomes = archive.add_pages([
        page(base, canonical=base),
        page(base + "?utm_source=rss", canonical=base),
        page("https://paper.example/amp/mps-hotline", text=TEXT + "\nShare this", canonical=base),
        page(base + "/", canonical=base),
    ])
    assert outcomes == {"stories_new": 1, "urls_merged": 3}
    assert archive.db["stories"].count == 1
    assert {r["url"] for r in archive.db["story_urls"].rows} == {
        base, base + "?utm_source=rss", "https://paper.example/amp/mps-hotline", base + "/"}
    assert {r["normalised"] for r in archive.db["story_urls"].rows} == {normalise_url(base)}
    assert archive.add_pages([page(base, canonical=base)]) == {"unchanged": 1}


def test_same_text_same_outlet_is_one_story_other_outlet_is_a_copy(archive):
    archive.add_pages([page("https://paper.example/a")])
    assert archive.add_pages([page("https://paper.example/b")]) == {"urls_merged": 1}
    assert archive.add_pages([page("https://other.example/a", outlet="other")]) == {"copies": 1}
    assert archive.db["stories"].count == 2
    assert [r["copy_group"] for r in archive.db["stories"].rows] == [1, 1]
    (group,) = archive.db["copy_groups"].rows
    assert group["copies"] == 2 and set(group["outlets"].split(", ")) == {"paper", "other"}
    assert archive.db["outlets"].get("other")["watched"] == 0


def test_changed_page_becomes_a_revision_with_a_diff(archive):
    url = "https://paper.example/a"
    archive.add_pages([page(url)])
    edited = TEXT.replace("68", "70") + "\nA spokesperson responded."
    assert archive.add_pages([page(url, text=edited, fetched_at="2026-01-01T12:00:00+00:00")]) == {"revisions": 1}
    story = archive.story(1)
    assert story["text"] == edited and story["revision"] == 2
    diff = story["revisions"][1]["diff"]
    assert "-MPs made 68 calls" in diff and "+MPs made 70 calls" in diff and "+A spokesperson responded." in diff
    assert archive.db["stories"].count == 1


def test_a_version_served_again_is_not_a_new_revision(archive):
    url = "https://paper.example/a"
    edited = TEXT.replace("68", "70")
    archive.add_pages([page(url)])
    assert archive.add_pages([page(url, text=edited, fetched_at="2026-01-01T12:00:00+00:00")]) == {"revisions": 1}
    # The site serves the first text again, then the edit again (an edit undone and redone,
    # or a demo web started afresh): the story follows the page, its revisions stay two.
    assert archive.add_pages([page(url, fetched_at="2026-01-02T12:00:00+00:00")]) == {"unchanged": 1}
    assert archive.story(1)["text"] == TEXT
    assert archive.add_pages([page(url, text=edited, fetched_at="2026-01-03T12:00:00+00:00")]) == {"unchanged": 1}
    story = archive.story(1)
    assert story["text"] == edited and story["revision"] == 2 and len(story["revisions"]) == 2


def test_search_with_snippets_and_bad_queries(archive):
    archive.add_pages([page("https://paper.example/a"),
                       page("https://paper.example/b", text="Storm warnings for the weekend " * 5, title="Weather")])
    hits = archive.search("hotline")
    assert [h["id"] for h in hits] == [1] and "[hotline]" in hits[0]["snippet"]
    assert archive.search('"enforcement hotline"')[0]["id"] == 1
    with pytest.raises(ArchiveError, match="cannot search for"):
        archive.search('"unbalanced')
    with pytest.raises(ArchiveError, match="empty search"):
        archive.search("  ")
    assert archive.search('"unbalanced', literal=True) == []


def test_stories_newest_first_and_filters(archive):
    archive.add_pages([page("https://paper.example/a")])
    archive.add_pages([page("https://other.example/b", outlet="other", text="Other words entirely here.")])
    assert [s["outlet"] for s in archive.stories(outlet="other")] == ["other"]
    assert archive.stories(since="2019-01-01") == []
    assert archive.stories()[0]["authors"] == ["Jane Smith"]


def test_unknown_story_and_missing_archive(tmp_path, archive):
    with pytest.raises(ArchiveError, match="no story with id 42"):
        archive.story(42)
    with pytest.raises(ArchiveError, match="no archive at"):
        Archive(tmp_path / "nope.db", create=False)


def test_not_a_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ArchiveError, match="not a usable newsmon archive"):
        Archive(bad)


def test_failed_batch_loses_nothing_already_archived(archive):
    archive.add_pages([page("https://paper.example/a")])
    broken = page("https://paper.example/b", text="Fresh text for b.")
    del broken["article"]["title"]
    with pytest.raises(KeyError):
        archive.add_pages([page("https://paper.example/c", text="Text for c."), broken])
    assert [r["url"] for r in archive.db["story_urls"].rows] == ["https://paper.example/a"]
    assert archive.db["stories"].count == 1
    assert archive.db.execute("select count(*) from stories_fts").fetchone()[0] == 1


def test_runs_and_fetch_state(archive):
    run = archive.start_run("demo", "manual")
    archive.finish_run(run, "ok", {"pages": 3, "stories_new": 2, "dropped": {"too-short": 1}})
    row = archive.db["crawl_runs"].get(run)
    assert row["status"] == "ok" and row["pages"] == 3 and row["dropped"] == '{"too-short": 1}'
    archive.record_fetch("https://paper.example/rss", "feed", "paper", 500, "http-500")
    archive.record_fetch("https://paper.example/rss", "feed", "paper", 500, "http-500")
    assert archive.db["fetch_state"].get("https://paper.example/rss")["failures"] == 2
    archive.record_fetch("https://paper.example/rss", "feed", "paper", 200)
    assert archive.db["fetch_state"].get("https://paper.example/rss")["failures"] == 0


def test_plain_sqlite_readers_see_the_tables(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        archive.add_pages([page("https://paper.example/a")])
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("select title, urls from story_overview").fetchall() == [("MPs and the hotline", 1)]
    assert conn.execute("select outlet, day, stories from coverage_by_outlet_day").fetchall() == [
        ("paper", "2018-10-19", 1)]


def test_an_earlier_version_at_a_new_url_is_the_same_story(archive):
    archive.add_pages([page("https://paper.example/a")])
    archive.add_pages([page("https://paper.example/a", text=TEXT + "\nUpdate.")])
    # The first version turns up again under another address: no new story, no revision.
    assert archive.add_pages([page("https://paper.example/a-mirror")]) == {"urls_merged": 1}
    assert archive.db["stories"].count == 1 and archive.story(1)["revision"] == 2


def test_story_first_seen_through_a_variant_takes_the_pages_own_text(archive):
    base = "https://paper.example/a"
    amp_text = "AMP edition. " + TEXT
    archive.add_pages([page("https://paper.example/amp/a", text=amp_text, canonical=base)])
    assert archive.add_pages([page(base, canonical=base)]) == {"unchanged": 1}
    story = archive.story(1)
    assert story["text"] == TEXT and story["revision"] == 1
    assert [r["revision"] for r in story["revisions"]] == [1]
    # The variant's text still identifies the story, e.g. once the site moves.
    assert archive.add_pages([page("https://paper-new.example/amp/a", text=amp_text)]) == {"urls_merged": 1}
    assert archive.db["stories"].count == 1


def test_an_edited_copy_at_another_outlet_joins_the_first_copys_group(archive):
    long_text = "\n".join(f"Paragraph {i} of the wire report on MPs and the immigration hotline, item {i}."
                          for i in range(15))
    archive.add_pages([page("https://wire.example/a", text=long_text, outlet="wire")])
    copy = long_text.replace("item 4.", "item four.") + "\nThis article was provided by the wire."
    assert archive.add_pages([page("https://paper.example/a", text=copy, title="New headline")]) == {"copies": 1}
    trimmed = "\n".join(long_text.splitlines()[:12])
    assert archive.add_pages([page("https://third.example/a", text=trimmed, outlet="third")]) == {"copies": 1}
    assert [r["copy_group"] for r in archive.db.query("select copy_group from stories order by id")] == [1, 1, 1]
    assert [c["outlet"] for c in archive.story(1)["copies"]] == ["paper", "third"]
    # The same outlet's near-identical text at a new URL is a new version of its story.
    update = copy + "\nUpdate: the Home Office has responded."
    assert archive.add_pages([page("https://paper.example/a-updated", text=update)]) == {"revisions": 1}
    assert archive.story(2)["revision"] == 2 and archive.db["stories"].count == 3


def test_rebuild_recomputes_groups(archive):
    text = "\n".join(f"Paragraph {i} of a report on detention centres, number {i}." for i in range(15))
    archive.add_pages([page("https://wire.example/a", text=text, outlet="wire"),
                       page("https://paper.example/a", text=text + "\nExtra line.")])
    archive.db.execute("update stories set copy_group = null")
    counts = archive.rebuild_copies()
    assert counts == {"stories": 2, "copies": 1, "groups": 1}
    assert archive.db["lsh_bands"].count == 2 * (archive.neardup.bands + LEDE_BANDS)  # whole text, opening


def test_rebuild_keeps_group_ids_when_copies_were_archived_out_of_publication_order(archive):
    text = "\n".join(f"Paragraph {i} of a report on removal flights, number {i}." for i in range(15))
    late, early = page("https://wire.example/a", text=text, outlet="wire"), page("https://paper.example/a", text=text)
    early["article"] = {**early["article"], "published": "2018-10-18T08:00:00+01:00"}
    archive.add_pages([late])
    archive.add_pages([early])  # archived second, published first
    before = [r["copy_group"] for r in archive.db["stories"].rows]
    assert before == [1, 1]
    archive.rebuild_copies()
    assert [r["copy_group"] for r in archive.db["stories"].rows] == before



def _prose(seed, paragraphs=14):
    """Paragraphs of distinct words (few shingles shared with another seed's)."""
    import random
    rng = random.Random(seed)
    vocab = [f"{a}{b}" for a in ("home", "office", "border", "court", "council", "charity", "hotline", "report")
             for b in ("s", "ed", "ing", "er", "ly", "ment", "al", "ist")]
    return "\n\n".join(" ".join(rng.choice(vocab) for _ in range(45)) + "." for _ in range(paragraphs))


def test_a_brief_of_a_storys_first_paragraphs_is_its_copy_and_a_shared_passage_is_not(archive):
    wire = _prose(1)
    archive.add_pages([page("https://wire.example/a", text=wire, outlet="wire", title="Wire headline")])
    brief = "\n\n".join(wire.split("\n\n")[:3])  # three paragraphs of fourteen
    assert archive.add_pages([page("https://brief.example/a", text=brief, outlet="brief",
                                   title="In brief")]) == {"copies": 1}
    # An outlet's own article quoting three of the wire's paragraphs among its own five.
    own = "\n\n".join(_prose(2, 5).split("\n\n") + wire.split("\n\n")[5:8])
    assert archive.add_pages([page("https://own.example/a", text=own, outlet="own",
                                   title="Our own take")]) == {"stories_new": 1}
    assert archive.story(3)["copy_group"] is None


def test_an_excerpt_under_a_credit_line_of_a_story_opening_with_its_summary_is_its_copy(archive, tmp_path):
    # The original opens with a bullet summary (lines without a full stop); the excerpt
    # of its first two paragraphs (a twentieth of it) with a republisher's line above.
    body = _prose(8, 40)
    summary = "\n".join(f"Summary point {i} on the hotline figures and the pledge for the record" for i in range(5))
    original = page("https://wire.example/long", text=summary + "\n\n" + body, outlet="wire")
    archive.add_pages([original])
    excerpt = "This report first ran on the wire service:\n\n" + "\n\n".join(body.split("\n\n")[:2])
    assert archive.add_pages([page("https://other.example/excerpt", text=excerpt, outlet="other")]) == {"copies": 1}
    # A brief of those paragraphs with nothing above them meets it by the same opening.
    with Archive(tmp_path / "brief.db") as other:
        other.add_pages([original])
        brief = "\n\n".join(body.split("\n\n")[:2])
        assert other.add_pages([page("https://third.example/brief", text=brief, outlet="third")]) == {"copies": 1}


def test_bands_cut_before_openings_had_keys_are_cut_again_once_in_the_archives_layout(tmp_path):
    from pipelines.dedup import NearDupSettings
    text = _prose(3)
    with Archive(tmp_path / "a.db", neardup=NearDupSettings(bands=32)) as old:
        old.add_pages([page("https://wire.example/a", text=text, outlet="wire")])
        assert old.db["lsh_bands"].count == 32 + LEDE_BANDS
        # as an archive of an older newsmon recorded it: no band keys for openings
        old.db.execute("update archive_settings set value = '128x5/32' where name = 'lsh_layout'")
        old.db.execute("delete from lsh_bands where band_key >= ?", [(32 << 32)])
    with Archive(tmp_path / "a.db") as archive:  # opened with the defaults (64 bands)
        assert archive.db["lsh_bands"].count == archive.neardup.bands + LEDE_BANDS == 32 + 8
        layout = archive.db.execute("select value from archive_settings where name = 'lsh_layout'").fetchone()[0]
        assert layout == "128x5/32+lede80"
        copy = text.replace("\n\n", "\n\nAn added line.\n\n", 1)
        assert archive.add_pages([page("https://paper.example/a", text=copy)]) == {"copies": 1}


def test_recheck_ladder(archive):
    from datetime import datetime
    archive.add_pages([page("https://paper.example/a", fetched_at="2026-01-01T10:00:00+00:00")])
    archive.db.execute("update stories set published = '2026-01-01T09:00:00+00:00'")
    ladder = [[24, 1], [168, 6]]
    key = "https://paper.example/a"
    at = lambda iso: archive.not_due_keys(ladder, datetime.fromisoformat(iso))  # noqa: E731
    assert key in at("2026-01-01T10:30:00+00:00")      # young, seen 30 min ago: hourly, not due
    assert key not in at("2026-01-01T11:30:00+00:00")  # young, seen 90 min ago: due
    assert key not in at("2026-01-03T17:00:00+00:00")  # two days old, seen 55 h ago: due
    archive.db.execute("update story_urls set last_seen = '2026-01-03T14:00:00+00:00'")
    assert key in at("2026-01-03T17:00:00+00:00")      # two days old, seen 3 h ago: six-hourly, not due
    assert key in at("2026-03-01T00:00:00+00:00")      # past the last rung: never again
    assert archive.not_due_keys([]) == set()           # an empty ladder rechecks everything


def test_page_text_reaches_sql_only_as_parameters(archive):
    hostile = "Robert'); DROP TABLE stories; -- \" OR 1=1 -- ; SELECT * FROM sources"
    archive.add_pages([page("https://paper.example/x'; DROP TABLE story_urls;--", title=hostile,
                            text=TEXT + " " + hostile, outlet="o'brien")])
    (story,) = archive.db.query("select title, outlet from stories")
    assert story == {"title": hostile, "outlet": "o'brien"}
    assert {"stories", "story_urls", "sources"} <= set(archive.db.table_names())
    # Searches with quote marks and FTS syntax either find the text or fail in one line.
    assert archive.search("DROP TABLE", limit=5)[0]["title"] == hostile
    for query in ('"unclosed', "stories; DROP", "*", "NEAR(", "') --"):
        try:
            archive.search(query, limit=5)
        except ArchiveError as exc:
            assert "\n" not in str(exc)
    assert archive.db["stories"].count == 1


# --- which files are archives; opening read-only (issue 21) ------------------------------------

def foreign_file(path):
    conn = sqlite3.connect(path)
    conn.execute("create table foo (a, b)")
    conn.execute("insert into foo values (1, 2)")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_a_foreign_sqlite_file_is_refused_and_left_byte_identical(tmp_path):
    from pipelines.archive import NotAnArchive

    foreign = tmp_path / "other.db"
    before = foreign_file(foreign)
    for kwargs in ({}, {"readonly": True}, {"create": False}, {"verify": True}):
        with pytest.raises(NotAnArchive, match="is not a newsmon archive .*leaves it untouched"):
            Archive(foreign, **kwargs)
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, -shm, nothing


def test_archives_are_marked_and_unmarked_ones_of_older_newsmon_marked_on_their_next_write(tmp_path):
    from pipelines.archive import APPLICATION_ID, identify

    Archive(tmp_path / "a.db").close()
    assert identify(tmp_path / "a.db") == "archive"
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("pragma application_id = 0")  # as an archive made before archives were marked
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    assert identify(tmp_path / "a.db") == "unmarked"
    before = (tmp_path / "a.db").read_bytes()
    with Archive(tmp_path / "a.db", readonly=True, verify=True) as archive:  # reading: no mark
        assert archive.counts()["stories"] == 0 and archive.stories() == []
    assert (tmp_path / "a.db").read_bytes() == before
    Archive(tmp_path / "a.db").close()  # writing: marked
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("pragma application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_reading_never_writes_and_an_older_schema_is_not_upgraded_by_a_read(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        archive.add_pages([page("https://paper.example/a")])
        archive.db.execute("pragma wal_checkpoint(truncate)")
    before = (tmp_path / "a.db").read_bytes()
    with Archive(tmp_path / "a.db", readonly=True) as archive:
        assert [s["url"] for s in archive.stories()] == ["https://paper.example/a"]
        assert archive.search("hotline")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            archive.db.execute("delete from stories")
    assert (tmp_path / "a.db").read_bytes() == before
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("delete from _sqlite_migrations where name = 'm007_archive_settings'")  # an older archive
    conn.commit()
    conn.close()
    with pytest.raises(ArchiveError, match="made by an older newsmon.*m007_archive_settings.*check --upgrade"):
        Archive(tmp_path / "a.db", readonly=True)


def test_no_folder_is_made_for_an_archive(tmp_path):
    with pytest.raises(ArchiveError, match="there is no folder"):
        Archive(tmp_path / "none" / "a.db")
    assert not (tmp_path / "none").exists()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(ArchiveError, match="empty SQLite file"):
        Archive(empty, readonly=True)
    Archive(empty).close()  # an empty file may become an archive when written to


# --- a full disk (SQLite's max_page_count makes a database "full" as a full disk does) -----

def test_a_full_archive_keeps_every_committed_batch_and_says_disk_full(archive):
    from pipelines.archive import ArchiveFull, archive_fault

    archive.add_pages([page("https://paper.example/a")])
    run = archive.start_run("demo", "manual")
    pages = archive.db.execute("pragma page_count").fetchone()[0]
    archive.db.execute(f"pragma max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as caught:
        archive.add_pages([page(f"https://paper.example/{i}", text=f"Story {i} " * 400) for i in range(5)])
    assert isinstance(archive_fault(caught.value, archive.path), ArchiveFull)
    assert str(archive_fault(caught.value, archive.path)).startswith("disk full")
    assert archive.db["stories"].count == 1
    # The run's end is recorded all the same: its figures fit where the stats do not.
    archive.finish_run(run, "failed", {"stories_new": 1, "pages": 6, "stats": {f"k{i}": "x" * 50 for i in range(2000)}})
    row = archive.db["crawl_runs"].get(run)
    assert row["status"] == "failed" and row["stories_new"] == 1 and row["stats"] is None
    assert archive.db.execute("pragma integrity_check").fetchone()[0] == "ok"


def labelled(p, label, why=None):
    return {**p, "relevance": {"label": label, "topic_score": 4.0, "same_story_score": 0.1, "source_id": None,
                               "why": why or {"topic": {"score": 4.0}}}}


def test_a_judgement_stands_over_newsmons_label_through_recrawls_revisions_and_rebuilds(archive):
    url = "https://paper.example/a"
    (_, story_id), = archive.add_pages_detailed([labelled(page(url), "related")])
    archive.judge(story_id, "unrelated", note="a festival, not enforcement")
    assert archive.story(story_id)["label"] == "unrelated"
    # A re-crawl of the same page, a revision with new text, a rebuild: newsmon's label
    # follows the pages, the reader's stands.
    archive.add_pages([labelled(page(url, fetched_at="2026-01-02T10:00:00+00:00"), "related")])
    archive.add_pages([labelled(page(url, text=TEXT + "\nA third line was added.",
                                     fetched_at="2026-01-03T10:00:00+00:00"), "same_story")])
    archive.rebuild_copies()
    story = archive.story(story_id)
    assert story["revision"] == 2 and story["auto_label"] == "same_story" and story["label"] == "unrelated"
    assert story["judgement"]["note"] == "a festival, not enforcement"
    assert story["label_why"] == {"topic": {"score": 4.0}}
    row = archive.stories()[0]
    assert (row["label"], row["label_by"], row["auto_label"]) == ("unrelated", "reader", "same_story")
    assert archive.db.execute("select label from related_coverage").fetchall() == []
    assert [r["label"] for r in archive.export_rows()] == ["unrelated"]
    # A judgement taken back: newsmon's label is in force again.
    assert archive.unjudge(story_id) and archive.story(story_id)["label"] == "same_story"
    assert archive.stories()[0]["label_by"] == "newsmon"


def test_judgements_are_checked(archive):
    (_, story_id), = archive.add_pages_detailed([labelled(page("https://paper.example/b"), "related")])
    with pytest.raises(ArchiveError, match="'maybe' is not a label"):
        archive.judge(story_id, "maybe")
    with pytest.raises(ArchiveError, match="no story with id 999"):
        archive.judge(999, "related")
    with pytest.raises(sqlite3.IntegrityError):  # the table itself refuses a stray label
        archive.db.execute("insert into judgements (story_id, label, judged_at) values (?, 'sort of', 'now')",
                           [story_id])


def test_the_review_queue_is_the_unjudged_stories_newest_first(archive):
    ids = []
    for n, day in enumerate(("2018-10-19", "2018-10-21", "2018-10-20")):
        p = page(f"https://paper.example/{n}", text=f"Story number {n} about something else entirely.\n" * 3)
        p["article"]["published"] = day
        ids.append(archive.add_pages_detailed([labelled(p, "related")])[0][1])
    assert archive.review_queue() == [ids[1], ids[2], ids[0]]
    archive.judge(ids[2], "related")
    assert archive.review_queue() == [ids[1], ids[0]]
    assert archive.judged_examples()[0]["story_id"] == ids[2]


def test_urls_dropped_by_another_topic_model_are_looked_at_again(archive):
    archive.remember_urls(["https://paper.example/off"], "unrelated", "model:one")
    archive.remember_urls(["https://paper.example/gone"], "gone")
    off, gone = normalise_url("https://paper.example/off"), normalise_url("https://paper.example/gone")
    assert archive.remembered_keys("model:one") == {off, gone}
    assert archive.remembered_keys("model:two") == {gone}  # the model changed: fetch it again
    assert archive.remembered_keys() == {off, gone}
    # Found on the subject by the new model: archived, and no longer remembered.
    archive.add_pages([labelled(page("https://paper.example/off"), "related")])
    assert archive.remembered_keys("model:one") == {gone}


def test_the_archive_keeps_its_band_layout_whatever_settings_open_it(tmp_path):
    from dataclasses import replace

    from pipelines.dedup import NearDupSettings

    made = replace(NearDupSettings(), bands=32)
    with Archive(tmp_path / "a.db", neardup=made) as archive:
        archive.add_pages([page("https://paper.example/a")])
        bands = archive.db["lsh_bands"].count
    layout = lambda: sqlite3.connect(tmp_path / "a.db").execute(  # noqa: E731
        "select value from archive_settings where name = 'lsh_layout'").fetchone()[0]
    assert layout().startswith("128x5/32")
    for opened in (Archive(tmp_path / "a.db"), Archive(tmp_path / "a.db", readonly=True)):  # the defaults: 64 bands
        with opened as archive:
            assert archive.neardup.bands == 32 and archive.layout(NearDupSettings()).bands == 32
    assert layout().startswith("128x5/32")
    with Archive(tmp_path / "a.db") as archive:
        assert archive.add_pages([page("https://paper.example/b", text=TEXT + " Again.")]) in (
            {"revisions": 1}, {"stories_new": 1}, {"copies": 1})
        assert archive.db["lsh_bands"].count >= bands
    # Only a rebuild changes it.
    with Archive(tmp_path / "a.db", neardup=NearDupSettings(), relayout=True) as archive:
        archive.rebuild_copies()
    assert layout().startswith("128x5/64")
    with Archive(tmp_path / "a.db", neardup=made) as archive:
        assert archive.neardup.bands == 64


# --- copies and versions as real republishers and editors make them --------------------------------
# A made-up story in our own words: a river bridge shut after an inspection.

BRIDGE = [
    "The old stone bridge that carries the valley road over the River Orme was closed to all traffic on "
    "Wednesday after inspectors found a crack running through one of its central arches.",
    "Drivers travelling between Henby and Castlemere now face a diversion of about twelve miles through the "
    "hill villages, and the county council warned that the route would be slow at peak times.",
    "Council engineers said the crack had widened since a routine survey in the spring and that the bridge "
    "could not safely carry vehicles until the arch had been braced with steel.",
    "Pedestrians and cyclists will still be allowed to cross on a narrow lane marked out with barriers, "
    "although the council said that could change if the crack grew any further.",
    "The bridge was built in the eighteenth century and is a listed structure, which means any repair has to "
    "be agreed with the national heritage body before work can begin.",
    "Businesses in Castlemere said the closure had come at the worst possible time, in the week before the "
    "town's annual food festival, which usually draws several thousand visitors.",
    "The council's head of highways, Tomas Reyne, said engineers hoped to have a temporary support in place "
    "within a fortnight but could not yet say when the bridge would reopen.",
    "Bus operators said services on the valley road would follow the diversion, adding about twenty minutes "
    "to each journey, and that timetables would be updated online.",
    "Residents who live beside the bridge said they had heard stones falling into the river during the storm "
    "last month and had reported it to the council at the time.",
    "The council has set up a telephone line for questions about the closure and said it would publish "
    "weekly updates on the repairs on its website.",
]
RESTYLE = [("twelve", "12"), (" on Wednesday", " Wednesday"), ("about ", "some "), ("Tomas Reyne", "Mr Reyne"),
           ("eighteenth century", "18th century"), ("national heritage body", "heritage agency"),
           ("could not yet say", "was unable to say"), ("twenty", "20"), ("said the closure", "say the closure"),
           ("set up", "opened"), ("fortnight", "two weeks"), ("several thousand", "thousands of")]


def _restyled(paragraphs):
    out = []
    for paragraph in paragraphs:
        for old, new in RESTYLE:
            paragraph = paragraph.replace(old, new)
        out.append(paragraph)
    return out


def test_a_wire_story_republished_with_a_new_opening_furniture_and_edits_is_its_copy(archive):
    archive.add_pages([page("https://wire.example/bridge", text="\n".join(BRIDGE), outlet="wire",
                            title="Valley bridge shut after crack found in arch")])
    body = _restyled(BRIDGE[1:9])
    copy = "\n".join([
        "Motorists face a long detour after the Orme bridge was shut when engineers found a crack in one of "
        "its arches.", body[0], "RELATED: Parking charges at Henby station to double from next month",
        body[1], body[2], "The bridge over the Orme, seen from the riverbank in an undated picture. Photo: Reader",
        *body[3:6], "Get the top stories from across the county sent to your inbox every morning: sign up here.",
        *body[6:]])
    assert archive.add_pages([page("https://courier.example/news/bridge-shut", text=copy, outlet="courier",
                                   title="Detour misery as Orme bridge closes")]) == {"copies": 1}
    assert archive.story(1)["copies"][0]["outlet"] == "courier"


def test_an_updated_version_at_a_new_address_is_a_revision_of_the_story(archive):
    archive.add_pages([page("https://courier.example/news/bridge", text="\n".join(BRIDGE), outlet="courier")])
    later = _restyled(BRIDGE)
    del later[8], later[4]  # paragraphs taken out
    later[0] = ("The valley road bridge over the River Orme will stay shut for at least a month, the county "
                "council said on Thursday, a day after inspectors found a crack in one of its arches.")
    later[1:1] = ["Engineers worked through the night to fit temporary props under the damaged arch, the council "
                  "said, but the road would stay closed to vehicles and the props were only a first step.",
                  "A spokesperson said lorries had been seen ignoring the signs overnight and that police had been "
                  "asked to patrol both ends of the bridge until further notice.",
                  "The council's cabinet will meet on Monday to approve emergency spending on the repair, which "
                  "officers have put at between two and three million pounds."]
    assert archive.add_pages([page("https://courier.example/news/bridge-props-fitted", text="\n".join(later),
                                   outlet="courier")]) == {"revisions": 1}
    assert archive.story(1)["revision"] == 2 and archive.db["stories"].count == 1


def test_an_excerpt_of_a_story_on_another_page_of_its_outlet_is_not_a_new_version(archive):
    # A tag page listing the story's headline and opening: kept as a new version, the story
    # would show the teaser instead of its text.
    archive.add_pages([page("https://courier.example/news/bridge", text="\n".join(BRIDGE), outlet="courier")])
    teaser = "\n".join(BRIDGE[:2])
    assert archive.add_pages([page("https://courier.example/tag/bridges/", text=teaser,
                                   outlet="courier")]) == {"unchanged": 1}
    story = archive.story(1)
    assert story["revision"] == 1 and story["text"] == "\n".join(BRIDGE)
    assert "https://courier.example/tag/bridges/" not in {u["url"] for u in story["urls"]}


def test_reports_quoting_one_statement_are_separate_stories(archive):
    statement = ('"Safety has to come first and we will not reopen the bridge until our engineers are satisfied '
                 'that it can carry traffic again. We know how much disruption this causes for people who rely on '
                 'the valley road every day, and we are grateful for their patience," the council said.')
    first = "\n".join([BRIDGE[0], statement, BRIDGE[5], BRIDGE[7]])
    second = "\n".join([
        "Traders in Castlemere have asked the county for help with lost takings after the only road bridge "
        "into the town from the west was shut without warning this week.",
        statement,
        "The chamber of commerce said a survey of its members found that two in three had seen fewer customers "
        "since the closure, with cafes and the weekly market hit hardest.",
        "It wants the council to waive parking charges in the town centre until the bridge reopens, a request "
        "the council said it would consider at its next cabinet meeting."])
    assert archive.add_pages([page("https://wire.example/b", text=first, outlet="wire")]) == {"stories_new": 1}
    assert archive.add_pages([page("https://gazette.example/b", text=second, outlet="gazette")]) == {"stories_new": 1}


def test_a_copy_of_stories_in_two_copy_groups_joins_the_groups(archive):
    whole = _prose(4, 12)
    parts = whole.split("\n\n")
    early, late = "\n\n".join(parts[:5]), "\n\n".join(parts[7:])  # two outlets' briefs, no passage in common
    archive.add_pages([page("https://a.example/1", text=early, outlet="a"),
                       page("https://b.example/1", text=early + "\n\n" + _prose(5, 1), outlet="b"),
                       page("https://c.example/1", text=late, outlet="c"),
                       page("https://d.example/1", text=late, outlet="d")])
    groups = [r[0] for r in archive.db.execute("select copy_group from stories order by id")]
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]
    # The whole story holds both briefs: it copies both groups, which become one.
    assert archive.add_pages([page("https://e.example/1", text=whole, outlet="e")]) == {"copies": 1}
    assert {r[0] for r in archive.db.execute("select copy_group from stories")} == {1}


def test_the_openings_band_keys_may_come_with_the_page(tmp_path):
    from pipelines.dedup import lede_bands
    text = _prose(6)
    with Archive(tmp_path / "a.db") as given, Archive(tmp_path / "b.db") as made:
        given.add_pages([{**page("https://wire.example/a", text=text, outlet="wire"), "lede_bands": lede_bands(text)}])
        made.add_pages([page("https://wire.example/a", text=text, outlet="wire")])
        rows = "select band_key, story_id from lsh_bands order by band_key"
        assert given.db.execute(rows).fetchall() == made.db.execute(rows).fetchall()


def test_the_archives_word_rarity_counts_its_stories_by_stem(archive):
    archive.add_pages([page("https://paper.example/a"),
                       page("https://other.example/b", outlet="other", title="Charities and immigration",
                            text="Charities asked MPs to stop using the immigration hotline.\nA pledge followed.")])
    rarity = archive.rarity()
    assert rarity.stories == 2
    assert rarity.counts["immigr"] == 2 and rarity.counts["chariti"] == 2
    assert "68" not in rarity.counts  # used by one story only: left to count as unused
    assert archive.rarity().counts == rarity.counts  # read again: the reading leaves nothing behind


def test_a_read_only_archive_gives_its_word_rarity_and_stays_read_only(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        archive.add_pages([page("https://paper.example/a"), page("https://other.example/b", outlet="other")])
        archive.db.execute("pragma wal_checkpoint(truncate)")
    before = (tmp_path / "a.db").read_bytes()
    with Archive(tmp_path / "a.db", readonly=True) as archive:
        assert archive.rarity().counts["hotlin"] == 2
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            archive.db.execute("delete from stories")
    assert (tmp_path / "a.db").read_bytes() == before


def test_a_short_story_carried_whole_at_the_end_of_a_much_longer_one_is_its_copy(archive):
    # The station's first report, kept under the long update that replaced it ("FIRST
    # REPORT"): the two resemble each other too little for their bands to meet, but the
    # update holds the report's sentences word for word.
    first = "\n".join(BRIDGE[:6])
    archive.add_pages([page("https://wire.example/bridge-shut", text=first, outlet="wire",
                            title="Valley bridge shut after crack found in arch")])
    update = "\n\n".join(_prose(8, 40).split("\n\n") + ["FIRST REPORT", *BRIDGE[:6]])
    assert archive.add_pages([page("https://courier.example/news/bridge-latest", text=update, outlet="courier",
                                   title="Bridge: what we know")]) == {"copies": 1}
