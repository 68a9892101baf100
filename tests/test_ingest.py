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


def ingestor(archive, watch_path=REPO / "data" / "watch.toml", keep=False):
    watch = load_watch(watch_path)
    archive.sync_watch(watch, [source_row(s) for s in watch.sources if s.path])
    return Ingestor(archive, TopicMatcher(watch.topic.terms), Thresholds(),
                    load_framing("data/framing.toml"), keep_unrelated=keep)


def test_records_are_labelled_stored_and_compared(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        records = [Record(id="1", title="MPs and the hotline", text=SAME, published="2018-10-19", outlet="paper"),
                   Record(id="2", title="Copy", text=SAME, published="2018-10-19", outlet="paper",
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
