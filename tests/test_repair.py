"""A damaged archive (bytes flipped mid-file): found by `check`, refused in one line by
every other use, and what can still be read saved into a new archive by `recover`."""

import random
import sqlite3

import pytest

from pipelines.archive import Archive, ArchiveDamaged
from pipelines.repair import check, recover
from pipelines.text import text_hash
from test_archive import page


def damaged_archive(path, stories=120, offset=0.5, table=None):
    """An archive of ``stories`` stories with 8 KB of bytes flipped at ``offset`` of the file
    (or at the first page of ``table``, where a read of it must meet the damage)."""
    rnd = random.Random(21)
    with Archive(path) as archive:
        for start in range(0, stories, 40):
            archive.add_pages([page(f"https://paper.example/{i}", title=f"Story {i}",
                                    text=" ".join(rnd.choice(["ferry", "council", "harbour", "budget", "vote",
                                                              "school", "river", f"n{i}"]) for _ in range(300)))
                               for i in range(start, min(start + 40, stories))])
        archive.db.execute("pragma wal_checkpoint(truncate)")
    data = bytearray(path.read_bytes())
    middle = int(len(data) * offset) // 4096 * 4096 + 1000
    if table:
        import sqlite3

        with sqlite3.connect(path) as conn:
            root = conn.execute("select rootpage from sqlite_master where name = ?", [table]).fetchone()[0]
            size = conn.execute("pragma page_size").fetchone()[0]
        middle = (root - 1) * size + 200
    for i in range(middle, middle + 8192):
        data[i] ^= rnd.randrange(1, 256)
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_archive_is_named_as_such_and_left_as_it_is(tmp_path):
    path = damaged_archive(tmp_path / "a.db")
    before = path.read_bytes()
    for kwargs in ({"readonly": True, "verify": True}, {"verify": True}):
        with pytest.raises(ArchiveDamaged, match=r"is damaged \(.*\): `newsmon check --db .*`newsmon recover"):
            Archive(path, **kwargs)
    report = check(path)
    assert not report.ok and report.problems
    assert path.read_bytes() == before


def test_a_sound_archive_checks_out(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        archive.add_pages([page("https://paper.example/a")])
    report = check(tmp_path / "a.db")
    assert report.ok and report.counts["stories"] == 1 and not report.problems


def test_a_text_damaged_without_sqlite_noticing_is_found_by_its_hash(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        archive.add_pages([page("https://paper.example/a"), page("https://paper.example/b", text="Other words.")])
    conn = sqlite3.connect(tmp_path / "a.db")  # a byte of the text flipped in place: same length
    conn.execute("update stories set text = replace(text, '68', '86') where url = 'https://paper.example/a'")
    conn.commit()
    conn.close()
    report = check(tmp_path / "a.db")
    assert not report.ok and report.damaged_texts["stories"] == [1]
    with Archive(tmp_path / "a.db", readonly=True) as archive:
        with pytest.raises(ArchiveDamaged, match="story 1 is damaged"):
            archive.story(1)
        assert archive.story(2)["title"]


@pytest.mark.parametrize("offset", [0.3, 0.5, 0.8])
def test_recover_saves_every_readable_sound_row_into_a_new_archive(tmp_path, offset):
    sound = tmp_path / "sound.db"
    with Archive(sound):
        pass
    path = damaged_archive(tmp_path / "a.db", offset=offset)
    before = path.read_bytes()
    salvage = recover(path, tmp_path / "saved.db")
    assert path.read_bytes() == before  # only read
    assert check(tmp_path / "saved.db").ok  # integrity, full-text index, texts
    conn = sqlite3.connect(tmp_path / "saved.db")
    rows = conn.execute("select id, title, text, text_hash, url from stories").fetchall()
    assert 60 <= len(rows) <= 120 and salvage.copied["stories"] == len(rows)
    assert all(text_hash(text) == hashed and title == f"Story {i - 1}" and url.endswith(f"/{i - 1}")
               for i, title, text, hashed, url in rows)  # same ids, nothing damaged
    # Every story has its URLs, revision, signature and bands: the next crawl dedups against it.
    for table in ("story_urls", "story_revisions", "story_signatures"):
        assert conn.execute(f"select count(distinct story_id) from {table}").fetchone()[0] == len(rows)
    assert conn.execute("select count(distinct story_id) from lsh_bands").fetchone()[0] == len(rows)
    assert conn.execute("select count(*) from stories_fts where stories_fts match 'ferry'").fetchone()[0] > 0
    conn.close()
    with Archive(tmp_path / "saved.db") as archive:  # and it takes new pages
        archive.add_pages([page("https://paper.example/new", text="A new story about the ferry.")])
    with pytest.raises(Exception, match="exists"):
        recover(path, tmp_path / "saved.db")


def test_search_does_not_blame_the_query_for_a_damaged_archive(tmp_path):
    # (an archive too large to be checked at open meets its damage as it reads)
    path = damaged_archive(tmp_path / "a.db", table="stories")
    with Archive(path, readonly=True) as archive:
        with pytest.raises(ArchiveDamaged, match="is damaged") as caught:
            archive.search("ferry", limit=1000)  # (reaching the damaged rows)
    assert "cannot search" not in str(caught.value) and "Quote phrases" not in str(caught.value)


def test_check_writes_nothing_not_even_a_checkpoint_of_the_wal(tmp_path):
    import subprocess
    import sys

    with Archive(tmp_path / "a.db") as archive:
        archive.add_pages([page("https://paper.example/a")])
    # A crawl that died leaves its last transaction in the WAL, not yet in the file.
    subprocess.run([sys.executable, "-c", "import os, sqlite3; c = sqlite3.connect(os.environ['DB']); "
                    "c.execute('pragma wal_autocheckpoint = 0'); c.execute(\"update stories set last_seen = 'x'\"); "
                    "c.commit(); os._exit(0)"], env={"DB": str(tmp_path / "a.db")}, check=True)
    before = [(tmp_path / f"a.db{ext}").read_bytes() for ext in ("", "-wal")]
    assert check(tmp_path / "a.db").ok
    with Archive(tmp_path / "a.db", readonly=True, verify=True) as archive:
        assert archive.story(1)["last_seen"] == "x"
    assert [(tmp_path / f"a.db{ext}").read_bytes() for ext in ("", "-wal")] == before
