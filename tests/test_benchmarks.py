"""The benchmark scripts run by path (`python benchmarks/x.py`) and as modules alike."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"


def test_benchmarks_import_each_other_through_the_package():
    # Run by path, a script's folder is not on sys.path (the `__package__` guard puts the
    # checkout there): a bare `import topic_train` works only by accident.
    siblings = {p.stem for p in BENCHMARKS.glob("*.py")} | {p.name for p in BENCHMARKS.iterdir() if p.is_dir()}
    bare = []
    for path in sorted(BENCHMARKS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            bare += [f"{path.relative_to(REPO)}:{node.lineno} {name}" for name in names
                     if name.split(".")[0] in siblings - {"benchmarks"}]
    assert not bare, bare


def test_no_benchmark_puts_its_own_folder_on_the_path():
    inserts = [str(p.relative_to(REPO)) for p in BENCHMARKS.rglob("*.py")
               if "sys.path.insert(0, str(Path(__file__).resolve().parent))" in p.read_text(encoding="utf-8")]
    assert not inserts, inserts


def test_the_same_story_pairs_we_read_again_are_labels_and_notes_only():
    # Committed: ids, our label and our note; no article text (that stays in the cache).
    import re

    from benchmarks.realdata.samestory_review import labels

    read = labels()
    assert len(read) >= 600
    for (a, b), (label, note) in read.items():
        assert re.fullmatch(r"allsides:\d+:\w+", a) and re.fullmatch(r"allsides:\d+:\w+", b) and a < b
        assert label in ("same", "not", "unsure")
        assert 0 < len(note.split()) <= 25


def test_the_daily_mail_pairs_are_labels_and_notes_only():
    # One outlet's stream read pair by pair: ids, label and note committed, both splits read.
    import re

    from benchmarks.realdata.samestory_dailymail import labels

    read = labels()
    assert len(read) >= 300
    for (a, b), (label, note) in read.items():
        assert re.fullmatch(r"dm2020:[0-9a-f]{12}", a) and re.fullmatch(r"dm2020:[0-9a-f]{12}", b) and a != b
        assert label in ("same", "not", "unsure")
        assert 0 < len(note.split()) <= 30
    assert {label for label, _note in read.values()} >= {"same", "not"}


def test_the_gun_violence_reports_are_read_without_running_what_a_pickle_asks(tmp_path, monkeypatch):
    # The reports are pickled objects from a third-party snapshot: only a news item and its
    # date are built from them; anything else a pickle names is refused, not called.
    import datetime
    import io
    import os
    import pickle
    import sys
    import types

    import pytest

    from benchmarks.samestory_data import _ReportUnpickler

    classes = types.ModuleType("classes")

    class NewsItem:
        pass

    NewsItem.__module__, NewsItem.__qualname__ = "classes", "NewsItem"  # as the snapshot's class is named
    classes.NewsItem = NewsItem
    monkeypatch.setitem(sys.modules, "classes", classes)
    item = NewsItem()
    item.__dict__.update(title="Teen hurt in shooting", dct=datetime.date(2016, 5, 2), uri="http://example.org/a",
                         id="abc", content="A 15-year-old was shot in the arm on Saturday, police said.")
    read = _ReportUnpickler(io.BytesIO(pickle.dumps(item, protocol=3))).load()
    assert read.__dict__["dct"] == datetime.date(2016, 5, 2) and read.__dict__["title"] == "Teen hurt in shooting"

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    with pytest.raises(pickle.UnpicklingError, match="not a news report"):
        _ReportUnpickler(io.BytesIO(pickle.dumps(Payload(), protocol=2))).load()
    assert not marker.exists()


def test_a_wrong_publication_day_is_told_apart_by_kind():
    from benchmarks.extraction_real import day_miss

    expected = "2020-06-04"
    assert day_miss({"published": None}, expected) == "none"
    # The set expects the day the page was last changed; newsmon gave its first publication.
    assert day_miss({"published": "2019-06-17T00:00:00+00:00", "modified": "2020-06-04T16:41:46+00:00"},
                    expected) == "modified"
    assert day_miss({"published": "2020-06-03T21:00:00-05:00", "modified": None}, expected) == "one_day"
    assert day_miss({"published": "2020-06-05T02:41:00+00:00"}, expected) == "one_day"
    assert day_miss({"published": "2019-06-17", "modified": "2019-06-18"}, expected) == "other"


def test_held_out_pairs_of_other_events_count_as_many_times_as_they_stand_for():
    # Scored by folds of events, a fold's pairs hold every same-event pair of its events but a
    # fifth of the pairs across events: precision must read as on the whole split.
    from benchmarks.samestory import metrics

    gold = [True] * 8 + [False] * 100
    predicted = [True] * 6 + [False] * 2 + [True] * 2 + [False] * 98
    plain = metrics(gold, predicted)
    assert (plain["precision"], plain["recall"]) == (0.75, 0.75)
    across = metrics(gold, predicted, [1.0] * 8 + [5.0] * 100)
    assert (across["precision"], across["recall"], across["f1"]) == (0.375, 0.75, 0.5)  # 6 right, 2 x 5 wrong
    # a wrong pair inside one group (ECB+'s sibling event) is all there is of it: counted once
    mixed = metrics(gold, predicted, [1.0] * 8 + [1.0, 5.0] + [5.0] * 98)
    assert mixed["precision"] == 0.5


def test_a_story_joins_the_source_event_through_its_coverage_only_when_revisited_or_later():
    # 0 is the source; 1 is its coverage; 2 shares little with the source but much with 1;
    # 3 is a sibling event, fairly like the source, unlike its coverage.
    import numpy as np

    from benchmarks.samestory_event import event

    p = np.array([[1.0, 0.9, 0.3, 0.6],
                  [0.9, 1.0, 0.9, 0.1],
                  [0.3, 0.9, 1.0, 0.1],
                  [0.6, 0.1, 0.1, 1.0]])
    # 2 arrives before its link to the source's event (1) is known: judged on the source alone
    assert event(p, 0, [2, 1, 3], tau=0.5, revisit=False) == {0, 1}
    assert event(p, 0, [1, 2, 3], tau=0.5, revisit=False) == {0, 1, 2}  # mean of 0.3 and 0.9
    assert event(p, 0, [2, 1, 3], tau=0.5, revisit=True) == {0, 1, 2}
    # the sibling passes on the source alone (0.6) but not against the event (0.35, then 0.27)
    assert 3 not in event(p, 0, [1, 3], tau=0.5, revisit=True)
    assert event(p, 0, [3, 1], tau=0.5, revisit=False) == {0, 3, 1}  # it came first: nothing to hold it back


def test_the_words_alone_reference_holds_a_pair_to_three_days_only_when_both_dates_are_known():
    # Issue 19's scale: a cosine over the threshold, and reports of one event within 3 days;
    # a pair whose dates are unknown is judged by its words alone.
    from benchmarks.samestory_baselines import decide

    labelled = [("a", "b", True, 0), ("a", "c", True, 3), ("a", "d", False, 4), ("a", "e", True, None),
                ("a", "f", False, 1)]
    assert decide(labelled, [0.5, 0.5, 0.9, 0.3, 0.1], 0.3) == [True, True, False, True, False]


def test_average_precision_reads_a_ranking_and_takes_tied_scores_together():
    from benchmarks.samestory import average_precision

    # same-event pairs ranked 1st and 3rd: (1/1 + 2/3) / 2
    assert average_precision([True, False, True, False], [0.9, 0.8, 0.7, 0.1]) == 0.833
    # a same-event pair tied with a wrong one reads the precision of both together
    assert average_precision([True, False], [0.5, 0.5]) == 0.5
    assert average_precision([False, True], [0.9, 0.1]) == 0.5
    assert average_precision([False, False], [0.9, 0.1]) is None


def test_an_articles_captures_are_read_as_its_versions_once_each_in_the_order_captured(tmp_path, monkeypatch):
    import json

    from benchmarks.realdata import copies_real

    monkeypatch.setenv("NEWSMON_REALDATA_CACHE", str(tmp_path))
    repo, commit, folder = copies_real.NYT
    root = tmp_path / repo.replace("/", "+") / commit
    (root / ".done").mkdir(parents=True)
    (root / ".done" / folder).touch()  # as fetched: nothing is asked of the network
    (root / folder).mkdir()
    brief = "Fire crews were called to a warehouse on the quay on Monday evening. " * 15
    fuller = brief + "By midnight the roof had fallen in and the road was closed to traffic. " * 5
    address = "https://www.example-news.com/2012/06/18/warehouse-fire.html"

    def capture(when, text):
        return {"metadata": {"warc-date": when, "warc-target-uri": f"https://web.archive.org/web/{when[:4]}0618/{address}"},
                "article": {"title": "Warehouse fire on the quay", "text": text}}

    captures = [capture("2012-06-19T08:00:00Z", fuller), capture("2012-06-18T21:00:00Z", brief),
                capture("2012-06-18T22:00:00Z", "  " + brief.replace(". ", ".  ")),  # the same text, spaced otherwise
                capture("2012-06-20T08:00:00Z", "Too short to be an article.")]
    (root / folder / "warehouse-fire_all_versions.json").write_text(json.dumps(captures), encoding="utf-8")

    archived = copies_real.nyt_versions()
    assert [r["text"] for r in archived] == [brief.strip(), fuller.strip()]
    assert [r["id"] for r in archived] == ["nyt:warehouse-fire~v1", "nyt:warehouse-fire~v2"]
    assert {r["group"] for r in archived} == {"nyt:warehouse-fire"} and archived[0]["url"].startswith("https://web.archive.org/")
    assert {r["url"] for r in copies_real.nyt_versions(at_own_address=True)} == {address}
