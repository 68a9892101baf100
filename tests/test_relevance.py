"""Relevance on the labelled sets (floors below the measured figures), and its parts."""

import json
from pathlib import Path

import pytest

from benchmarks import relevance as bench
from crawler.watch import Topic, load_watch
from pipelines.relevance import Thresholds, TopicMatcher, assess, same_story_score
from pipelines.sources import source_row

REPO = Path(__file__).resolve().parent.parent


def evaluate(watch_path, data):
    watch = load_watch(watch_path)
    records = bench.load([str(p) for p in data])
    thresholds = Thresholds()
    return bench.metrics([(gold, res["label"]) for gold, res in bench.score_all(records, watch, thresholds)])


def test_settings_and_defaults_agree():
    from crawler import settings
    assert Thresholds() == Thresholds(settings.NEWSMON_RELEVANCE_SAME_STORY, settings.NEWSMON_RELEVANCE_TOPIC)


def test_immigration_labelled_set_floors():
    data = sorted((REPO / "tests" / "data" / "relevance").glob("*.jsonl"))
    records = bench.load([str(p) for p in data])
    assert len(records) >= 150
    m = evaluate(REPO / "data" / "watch.toml", data)
    assert m["relevant"]["f1"] >= 0.93 and m["relevant"]["precision"] >= 0.9
    # The same-story model is measured on real coverage (benchmarks/samestory.py); on this set of
    # our own writing it takes no other event for the source's (precision 1.0) but misses
    # reactions, letters and sketches days after it that share few of its words (recall
    # 0.69-0.77 across retrainings): a guard against regressions, not the measure.
    assert m["same_story"]["precision"] >= 0.95 and m["same_story"]["f1"] >= 0.75
    assert m["unrelated"]["f1"] >= 0.93


def test_another_subject_needs_only_a_watch_file():
    folder = REPO / "tests" / "data" / "factory"
    m = evaluate(folder / "watch.toml", [folder / "articles.jsonl"])
    assert m["relevant"]["f1"] >= 0.88
    # No other event taken for the source's; of its 11 reports, an analysis five days on is
    # now missed too: days past the news cycle cost more since real multi-outlet coverage
    # (AllSides dev) showed most wrong matches 4-14 days apart (benchmarks/train_samestory.py).
    assert m["same_story"]["precision"] == 1.0 and m["same_story"]["recall"] >= 0.72


@pytest.fixture(scope="module")
def seed():
    watch = load_watch(REPO / "data" / "watch.toml")
    row = source_row(watch.sources[0])
    return watch, [{"id": row["id"], "profile": row["profile"]}]


def test_topic_terms_match_as_phrases_with_plurals():
    matcher = TopicMatcher((("illegal immigrant", 3.0), ("deportation", 3.0), ("home office", 0.5)))
    counts = matcher.counts("Illegal immigrants face deportations, the Home Office said. Illegal parking fines.")
    assert counts == {"illegal immigrant": 1, "deportation": 1, "home office": 1}
    score, _ = matcher.score("The Irish border backstop dominated Brexit talks.")
    assert score == 0



def test_terms_with_other_senses_need_company_worth_one_unambiguous_term():
    matcher = TopicMatcher((("border force", 2.0), ("home office", 0.5), ("migrant", 1.0), ("deportation", 3.0)))
    seizure = "Border Force officers found cigarettes in a lorry. " * 4 + "The Home Office praised Border Force."
    assert matcher.score(seizure, "Border Force seizes cigarettes")[0] == 0  # 2 + 0.5 < 3, however often
    crossing = "Border Force picked up 40 migrants from small boats, the Home Office said."
    assert matcher.score(crossing, "Channel crossings")[0] > 0  # 2 + 1 (+ 0.5)
    assert matcher.score("A deportation was halted.", "")[0] > 0  # one unambiguous term

def test_labels(seed):
    watch, sources = seed
    topic = TopicMatcher(watch.topic.terms)
    brief = ("MPs made 68 calls to the Home Office immigration enforcement hotline in 2017, and charities "
             "including Migrants Organise want them to sign the MPs not border guards pledge. David "
             "Lammy obtained the figures; Sir Christopher Chope defended reporting.")
    same = assess(brief, "MPs and the hotline", "2018-10-13", topic, sources, Thresholds())
    assert same["label"] == "same_story" and same["source_id"] == "mps-not-border-guards"
    # The same brief eight days on, past the next news cycle: a later piece on the subject, not
    # the event's news (on real multi-outlet coverage 99% of same-event pairs are within 3 days).
    later = assess(brief, "MPs and the hotline", "2018-10-20", topic, sources, Thresholds())
    assert later["label"] == "related"
    related = assess("Immigration officers raided a car wash and arrested six men for illegal working. "
                     "The owner faces a civil penalty and two men were taken to a detention centre pending "
                     "deportation.", "Raid on car wash", "2018-11-02", topic, sources, Thresholds())
    assert related["label"] == "related"
    unrelated = assess("The Irish border backstop dominated talks in Brussels as ministers reported slow "
                       "progress on customs.", "Backstop talks", "2018-10-15", topic, sources, Thresholds())
    assert unrelated["label"] == "unrelated"


def test_a_story_of_the_sources_own_site_must_show_more(seed):
    # The story's address reaches the decision: one site's two stories share its house style.
    watch, sources = seed
    topic = TopicMatcher(watch.topic.terms)
    at_site = [{**s, "profile": {**s["profile"], "site": "example-news.test"}} for s in sources]
    brief = ("MPs made 68 calls to the Home Office immigration enforcement hotline in 2017, and charities "
             "including Migrants Organise want them to sign the MPs not border guards pledge.")
    elsewhere = assess(brief, "MPs and the hotline", "2018-10-13", topic, at_site, Thresholds(),
                       url="https://other-paper.test/news/1")
    own_site = assess(brief, "MPs and the hotline", "2018-10-13", topic, at_site, Thresholds(),
                      url="https://www.example-news.test/news/2")
    assert own_site["same_story_score"] < elsewhere["same_story_score"]
    evidence = own_site["per_source"]["mps-not-border-guards"]["effects"]
    assert evidence["same_outlet"] < 0 and "same_outlet" not in \
        elsewhere["per_source"]["mps-not-border-guards"]["effects"]
    # the section or the address says whether the story is comment: the profile keeps it
    for section, url, opinion in (("Opinion", "https://www.example-news.test/2018/10/14/mps", True),
                                  (None, "https://www.example-news.test/comment/2018/10/14/mps", True),
                                  ("Politics", "https://www.example-news.test/news/mps", False)):
        result = assess(brief, "MPs and the hotline", "2018-10-13", topic, at_site, Thresholds(), url=url,
                        section=section)
        assert result["profile"]["opinion"] is opinion
        assert result["per_source"]["mps-not-border-guards"]["features"]["opinion"] == float(opinion)


def test_without_topic_or_source_nothing_is_judged():
    result = assess("Anything at all about anything.", "", None, None, [], Thresholds())
    assert result["label"] is None


def test_a_story_weeks_apart_is_another_story(seed):
    _watch, sources = seed
    story = sources[0]["profile"]
    near, _ = same_story_score({**story, "published": "2018-10-14"}, story)
    far, parts = same_story_score({**story, "published": "2018-12-20"}, story)
    assert near >= Thresholds().same_story > far and parts["days_apart"] == 69


def test_watch_topic_parsing(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text('[topic]\nname = "x"\n[topic.terms]\n"plant closure" = 3\n"Job Losses" = 2\n'
                    '[[outlet]]\nid = "o"\nhomepage = "https://o.example/"\n')
    assert load_watch(path).topic == Topic("x", (("plant closure", 3.0), ("job losses", 2.0)))


@pytest.mark.parametrize("watch_rel, data_glob", [("data/watch.toml", "tests/data/relevance/*.jsonl"),
                                                   ("tests/data/factory/watch.toml", "tests/data/factory/*.jsonl")])
def test_the_quick_unrelated_path_labels_exactly_as_full_scoring(watch_rel, data_glob):
    """The shortcut only skips work: every labelled record gets the label full scoring gives."""
    import json

    watch = load_watch(REPO / watch_rel)
    topic = TopicMatcher(watch.topic.terms) if watch.topic else None
    sources = [{"id": r["id"], "profile": r["profile"]} for r in (source_row(s) for s in watch.sources if s.path)]
    records = [json.loads(line) for path in sorted(REPO.glob(data_glob)) for line in path.open() if line.strip()]
    quick = unrelated = 0
    for r in records:
        args = (r["text"], r.get("title", ""), r.get("published"), topic, sources, Thresholds())
        fast, full = assess(*args), assess(*args, exact=True)
        assert fast["label"] == full["label"], r.get("id")
        unrelated += full["label"] == "unrelated"
        if fast.get("scored") == "bound":
            quick += 1
            assert fast["same_story_score"] >= full["same_story_score"]  # a bound indeed
    assert quick >= unrelated / 2  # and it is taken for most off-subject pages


def test_the_terms_given_as_the_reason_are_the_same_in_every_run():
    # Of more terms than are shown, equally often found, the ones shown must not hang on the
    # order a set happens to iterate in (it changes with each process's hash seed).
    import subprocess
    import sys
    code = ("from pipelines.relevance import Thresholds, TopicMatcher, assess\n"
            "terms = [(t, 3.0) for t in ('asylum', 'deportation', 'visa', 'refugee', 'border', 'detention', "
            "'removal', 'smuggling', 'overstayer', 'raid', 'passport')]\n"
            "text = 'The story names ' + ', '.join(t for t, _ in terms) + ' once each, and goes on for a while.'\n"
            "print(sorted(assess(text, 'A title', None, TopicMatcher(terms), [], Thresholds())"
            "['why']['topic']['terms']))")
    shown = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                            env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in range(6)}
    assert len(shown) == 1 and shown.pop().count("'") == 16  # eight terms, the same eight every time


def test_relabel_judges_again_only_what_another_model_labelled(tmp_path):
    # Stories labelled by the topic judge in force are not read again; one labelled by no
    # known model (an archive from before label_why, or its JSON unreadable) is judged again.
    from newsmon.ingest import Ingestor, Record
    from pipelines.archive import Archive
    from pipelines.relevance import relabel

    topic = TopicMatcher([("deportation", 3.0), ("asylum", 1.5)])
    texts = ["Deportation flights resumed as asylum claims were refused, and a deportation order followed. " * 3,
             "The council voted to resurface the high street and plant trees along the river walk. " * 3,
             "An asylum appeal and a deportation hearing were listed for the same week at the tribunal. " * 3]
    with Archive(tmp_path / "a.db") as archive:
        decisions = list(Ingestor(archive, topic, Thresholds(), {}, keep_unrelated=True).run(
            Record(id=str(i), title=f"Story {i}", text=text, outlet="paper") for i, text in enumerate(texts)))
        assert [d["label"] for d in decisions] == ["related", "unrelated", "related"]
        assert relabel(archive, topic, Thresholds()) == {}  # all labelled by this judge: nothing read again
        # (read a batch at a time for another model: every story, in order of id)
        assert [[r["id"] for r in b] for b in archive.topic_stale("model:another", batch=2)] == \
            [[d["story_id"] for d in decisions[:2]], [decisions[2]["story_id"]]]
        first, second, _third = (d["story_id"] for d in decisions)
        archive.db.execute("update stories set label_why = '{not json' where id = ?", [first])
        archive.db.execute("update stories set label_why = null where id = ?", [second])
        archive.db.conn.commit()
        assert relabel(archive, topic, Thresholds()) == {"unchanged": 2}
        why = archive.db.execute("select label_why from stories where id = ?", [first]).fetchone()[0]
        assert json.loads(why)["topic"]["model"] == topic.version
        assert relabel(archive, None, Thresholds()) == {}  # a watch with no topic: nothing to judge by
