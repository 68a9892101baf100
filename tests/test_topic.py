"""The topic judges: terms, passing mentions and exclusions, the model, learning from judgements."""

import json
from pathlib import Path

import numpy as np
import pytest

from crawler.watch import WatchError, load_watch
from pipelines.relevance import Thresholds, assess
from pipelines.topic import (Concepts, TopicError, TopicMatcher, TopicModel, fit_logistic, read_examples,
                             terms_prior, token_counts, topic_judge, train)

REPO = Path(__file__).resolve().parent.parent
TERMS = (("immigration crime", 3.0), ("border force", 2.0), ("deportation", 3.0), ("asylum", 1.5),
         ("immigration", 1.0), ("home office", 0.5), ("detention centre", 2.0), ("illegal working", 3.0))

# Stories in our own words, varied by template: seizures at the border whose last line is
# the agency's stock sentence, and enforcement stories proper.
PORTS = ["Dover", "Felixstowe", "Heathrow", "Southampton", "Hull", "Harwich", "Stansted", "Portsmouth",
         "Gatwick", "Tilbury", "Holyhead", "Immingham"]
GOODS = ["cigarettes", "cocaine", "hand-rolling tobacco", "cannabis", "counterfeit handbags", "heroin",
         "ivory carvings", "firearms", "ketamine", "rolling tobacco", "fake perfume", "steroids"]


def seizure(i: int) -> dict:
    port, goods = PORTS[i], GOODS[i]
    text = (f"Officers at {port} found {goods} worth {i + 2} million pounds hidden inside a lorry's load of "
            f"furniture on Tuesday. The driver, aged {30 + i}, was arrested and later charged with smuggling. "
            f"Sniffer dogs picked up the scent during a routine search of freight arriving by ferry. "
            f"The haul is the largest of its kind at {port} this year, customs figures show. "
            f"A spokesperson said the seizure would keep {goods} off the streets. "
            f"Border Force officers search passengers, vehicles and freight, and play a key role in tackling "
            f"immigration crime, smuggling and the illegal drug trade.")
    return {"id": f"seizure-{i}", "title": f"{goods.capitalize()} worth millions seized at {port}",
            "text": text, "label": "unrelated"}


def enforcement(i: int) -> dict:
    port = PORTS[i]
    text = (f"Immigration officers detained {i + 3} men at a car wash near {port} on suspicion of illegal "
            f"working. The men were taken to a detention centre while their cases are reviewed, and two "
            f"face deportation. The owner could be fined for each worker found without the right papers. "
            f"Campaigners said the raid left families afraid to seek help. The Home Office said it acts "
            f"on intelligence about illegal working and that anyone found to have no right to remain is removed.")
    return {"id": f"raid-{i}", "title": f"Raid at {port} car wash: {i + 3} held over illegal working",
            "text": text, "label": "related"}


DISHES = ["jollof rice", "injera", "kofta", "dumplings", "plov", "pupusas", "biryani", "fufu", "mezze",
          "empanadas", "borscht", "pho"]


def supper_club(i: int) -> dict:
    """Immigrants as people: the topic's words all over, not its subject."""
    dish, town = DISHES[i], PORTS[i]
    text = (f"Asylum seekers in {town} have opened a supper club serving {dish} every Friday night, and "
            f"tables are booked weeks ahead. The cooks, who arrived in the UK seeking asylum, say the evenings "
            f"are about friendship while the Home Office weighs their claims. Immigration brought new flavours to {town}, one regular said, and the club "
            f"lets neighbours meet the families behind them. Proceeds pay for cookery lessons and English "
            f"classes. The asylum seekers hope to open a cafe next year with help from a local charity.")
    return {"id": f"supper-{i}", "title": f"Asylum seekers' supper club brings {dish} to {town}",
            "text": text, "label": "unrelated"}


def supper_club_retold() -> dict:
    """Another outlet's report of ``supper_club(0)``, in its own words."""
    return {"title": "Friday supper club run by asylum seekers is booked up in Dover",
            "text": "A supper club in Dover run by asylum seekers serves jollof rice every Friday night and is "
                    "booked weeks ahead. The cooks came to the UK seeking asylum and say the evenings are about "
                    "friendship while the Home Office weighs their claims. The club lets neighbours meet the "
                    "families behind the food, one regular said. Proceeds pay for cookery lessons and English "
                    "classes, and the cooks hope to open a cafe next year with a local charity's help.",
            "label": "unrelated"}


def test_the_matcher_lives_in_its_own_module_and_relevance_still_offers_it():
    from pipelines import relevance, topic
    assert relevance.TopicMatcher is topic.TopicMatcher


def test_a_stock_closing_line_is_not_the_subject():
    matcher = TopicMatcher(TERMS)
    story = seizure(0)
    assert matcher.score(story["text"], story["title"])[0] >= 3.0  # today: enough to be related
    assert matcher.score(story["text"], story["title"], passing=True)[0] == 0
    raid = enforcement(0)  # the subject in its headline and opening: all of that counts
    passing, found = matcher.score(raid["text"], raid["title"], passing=True)
    assert passing >= 0.95 * matcher.score(raid["text"], raid["title"])[0] >= 6.0
    assert {"deportation", "illegal working", "detention centre"} <= set(found)


def agency_seizure(i: int) -> dict:
    """A seizure led by the agency's name, the ministry quoted in the opening, and the
    immigration minister's stock words as the last line."""
    port, goods = PORTS[i], GOODS[i]
    text = (f"Officers at {port} found {goods} worth {i + 2} million pounds in a lorry on Monday, the Home "
            f"Office said. The driver, aged {30 + i}, was questioned and released while inquiries continue. "
            f"Dogs picked up the scent during a routine search of freight arriving by ferry. "
            f"The haul is the largest of its kind at {port} this year, customs figures show. "
            f"Trading standards officers have seized fakes from three shops in the town this month. "
            f"Smugglers hide loads among furniture, fruit and car parts, and change routes when one is "
            f"found out, investigators said; the lorry's operator is cooperating with them. "
            f"Anyone offered cheap {goods} is asked to report the seller to the customs hotline. "
            f"The immigration minister said: \"Our officers work around the clock to keep the border "
            f"secure, stopping illegal goods and tackling immigration crime.\"")
    return {"id": f"agency-seizure-{i}", "title": f"Border Force seize {goods} at {port}", "text": text,
            "label": "unrelated"}


def test_a_stock_closing_line_is_not_the_subject_even_under_the_agencys_name():
    matcher = TopicMatcher(TERMS)
    story = agency_seizure(0)
    found = matcher.score(story["text"], story["title"])[1]
    assert found["immigration crime"] == 1 and found["border force"] == 1
    # The closing line's terms count for nothing; the headline's agency alone is not the subject.
    assert matcher.score(story["text"], story["title"], passing=True)[0] == 0
    # The quote as a paragraph of its own under "The immigration minister said:", as press
    # releases set it: two closing sentences, still the stock line.
    quoted = {**story, "text": story["text"].replace('said: "', 'said:\n\n"')}
    assert quoted["text"] != story["text"]
    assert matcher.score(quoted["text"], quoted["title"], passing=True)[0] == 0
    # Said twice, in the story and at its close, a term is the story's.
    told = {**story, "text": story["text"].replace("questioned and released",
                                                   "questioned over suspected immigration crime and released")}
    assert matcher.score(told["text"], told["title"], passing=True)[0] > 0
    # So the default model's words must convince on their own: the higher bar.
    watch = load_watch(REPO / "data" / "watch.toml")
    model = TopicModel.load(watch.topic.model, TopicMatcher(watch.topic.terms))
    assert model.params["threshold_without_terms"] > model.threshold
    assert all(model.threshold_for(s["text"], s["title"]) == model.params["threshold_without_terms"]
               for s in map(agency_seizure, range(12)))
    assert all(model.threshold_for(s["text"], s["title"]) == model.threshold for s in map(enforcement, range(12)))


def test_a_negative_weight_is_an_exclusion():
    story = seizure(1)
    plain = TopicMatcher(TERMS).score(story["text"], story["title"])[0]
    excluding = TopicMatcher(TERMS + (("cocaine", -2.0), ("smuggling", -1.0))).score(story["text"], story["title"])[0]
    assert 0 <= excluding < plain
    # Met only in the closing line, an exclusion still counts: it is not said in passing.
    raid = enforcement(0)
    assert "right to remain" in raid["text"].rsplit(". ", 1)[-1]
    plain = TopicMatcher(TERMS).score(raid["text"], raid["title"], passing=True)[0]
    excluding = TopicMatcher(TERMS + (("right to remain", -2.0),)).score(raid["text"], raid["title"], passing=True)[0]
    assert excluding < plain


def test_the_fitter_finds_the_minimum_of_its_objective():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(30, 4))
    y = (X[:, 0] - X[:, 1] + 0.3 * rng.normal(size=30) > 0).astype(float)
    prior = np.array([0.2, -0.1, 0.0, 0.3, -0.2])
    w = fit_logistic(X, y, prior, 0.5, np.ones(30))
    Xb = np.hstack([X, np.ones((30, 1))])
    p = 1 / (1 + np.exp(-Xb @ w))
    gradient = Xb.T @ (p - y) + 0.5 * (w - prior)
    assert np.abs(gradient).max() < 1e-6


def examples(names):
    return [json.loads(line) for name in names
            for line in (REPO / "tests" / "data" / "relevance" / name).open() if line.strip()]


def test_a_model_trained_from_examples_labels_unseen_stories_and_says_why():
    matcher = TopicMatcher(load_watch(REPO / "data" / "watch.toml").topic.terms)
    model = TopicModel(train(examples(["immigration-a.jsonl", "immigration-b.jsonl"]), matcher), matcher)
    held_out = examples(["immigration-c.jsonl"])
    right = sum(model.judge(r["text"], r["title"])["on_topic"] == (r["label"] != "unrelated") for r in held_out)
    assert right >= 0.9 * len(held_out)
    raid = enforcement(2)
    verdict = model.judge(raid["text"], raid["title"])
    assert verdict["on_topic"] and verdict["model"].startswith("model:")
    assert verdict["features"] and verdict["features"][0][1] > 0  # its strongest reason pushes toward the subject
    assert "illegal working" in verdict["terms"]


def test_judgements_teach_the_model_and_change_its_version():
    matcher = TopicMatcher(TERMS)
    base = TopicModel(terms_prior(matcher, 3.0), matcher)
    judged = [supper_club(i) for i in range(6)] + [enforcement(i) for i in range(6)]
    unseen = [supper_club(i) for i in range(6, 12)] + [enforcement(i) for i in range(6, 12)]

    def right(model):
        return sum(model.judge(r["text"], r["title"])["on_topic"] == (r["label"] == "related") for r in unseen)

    learned = base.learn(judged)
    assert right(base) == 6  # the terms take every supper club for the subject
    assert right(learned) == 12
    assert learned.version != base.version
    assert base.learn(judged).version == learned.version  # the same judgements, the same model


def test_one_correction_among_many_confirmations_is_heard():
    # A reader judges what newsmon kept: mostly confirmations. Weighed one story one vote,
    # ten confirmed raids drown the one supper club corrected, and the next supper clubs
    # stay on the subject; the two classes weigh the same, and the correction teaches.
    matcher = TopicMatcher(TERMS)
    base = TopicModel(terms_prior(matcher, 3.0), matcher)
    taught = base.learn([enforcement(i) for i in range(10)] + [supper_club(0)])
    unseen_clubs = [supper_club(i) for i in range(6, 12)]
    assert all(base.on_topic(r["text"], r["title"]) for r in unseen_clubs)
    assert not any(taught.on_topic(r["text"], r["title"]) for r in unseen_clubs)
    assert all(taught.on_topic(r["text"], r["title"]) for r in map(enforcement, range(10, 12)))


def test_a_correction_weighs_at_most_three_stories_however_many_confirmations_come_with_it():
    # The classes weigh the same, the rarer one weighed up, but no judged story beyond
    # three stories: a supper club corrected among eleven confirmed raids moves the model
    # as it does among five (balanced alone, it would count as six stories there, three here).
    from pipelines.topic import JUDGED_STORY_MOST

    matcher = TopicMatcher(TERMS)
    base = TopicModel(terms_prior(matcher, 3.0), matcher)
    club = supper_club(0)

    def after(confirmations):
        taught = base.learn([club] + [enforcement(i) for i in range(confirmations)], weight=1.0)
        return taught.probability(club["text"], club["title"])

    assert JUDGED_STORY_MOST == 3
    assert base.probability(club["text"], club["title"]) > 0.9
    assert after(1) > after(3) > after(5)  # weighed up: one story, then two, then three
    assert after(5) < 0.5
    assert abs(after(11) - after(5)) < 0.005


def test_judgements_of_one_class_teach_only_where_the_model_was_wrong():
    # Judged all off the subject, seizures the model already left out say nothing of where
    # the subject ends: learnt from, they would only push the words they share with it down.
    matcher = TopicMatcher(TERMS)
    base = TopicModel(terms_prior(matcher, 3.0), matcher)
    assert not any(base.on_topic(r["text"], r["title"]) for r in map(seizure, range(12)))
    assert base.learn([seizure(i) for i in range(12)]).version == base.version
    assert base.learn([enforcement(i) for i in range(12)]).version == base.version  # raids it keeps, confirmed
    # A supper club it kept, among them, is a correction: it teaches, and alone.
    taught = base.learn([seizure(i) for i in range(11)] + [supper_club(0)])
    assert taught.version != base.version
    assert taught.version == base.learn([supper_club(0)]).version
    assert not any(taught.on_topic(r["text"], r["title"]) for r in map(supper_club, range(6, 12)))
    assert all(taught.on_topic(r["text"], r["title"]) for r in map(enforcement, range(12)))


def test_judgements_weigh_as_much_as_they_foretell_stories_held_out_of_them():
    from pipelines.topic import LEARN_FOLDS_FROM, LEARN_WEIGHTS

    matcher = TopicMatcher(TERMS)
    base = TopicModel(terms_prior(matcher, 3.0), matcher)
    own = base.params["judgement_weight"]
    # The terms call every supper club the subject: judgements that say otherwise foretell
    # the supper clubs held out of them, and weigh the most the model allows.
    teaching = [supper_club(i) for i in range(6)] + [enforcement(i) for i in range(6)]
    assert base.judgement_weight(teaching) == own * max(LEARN_WEIGHTS)
    # Too few to hold any out: the model's own weight.
    assert base.judgement_weight(teaching[:LEARN_FOLDS_FROM - 1]) == own
    assert base.judgement_weight([enforcement(i) for i in range(12)]) == own  # one class: nothing to fold
    taught = base.learn(teaching)
    assert not any(taught.on_topic(r["text"], r["title"]) for r in map(supper_club, range(6, 12)))


def test_a_word_joins_the_model_only_when_as_many_judged_stories_hold_it_as_training_asked():
    matcher = TopicMatcher(TERMS)
    base = TopicModel(terms_prior(matcher, 3.0), matcher)
    assert base.params.get("min_df") is None  # a model that had no floor: two stories
    judged = [supper_club(i) for i in range(6)] + [enforcement(i) for i in range(6)]
    learned = base.learn(judged).params["vocabulary"]
    assert "cookery" in learned  # in all six supper clubs
    assert "plov" not in learned and "jollof" not in learned  # one dish a story: that story's own word
    strict = TopicModel({**terms_prior(matcher, 3.0), "min_df": 7}, matcher).learn(judged).params["vocabulary"]
    assert "cookery" not in strict and "immigration" in strict  # in six stories, and in all twelve


def test_a_watch_on_another_subject_brings_its_own_examples(tmp_path):
    folder = REPO / "tests" / "data" / "factory"
    records = [json.loads(line) for line in (folder / "articles.jsonl").open() if line.strip()]
    (tmp_path / "examples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[:32]))
    watch_text = (folder / "watch.toml").read_text().replace(
        'name = "factory closures and manufacturing job losses"',
        'name = "factory closures and manufacturing job losses"\nexamples = ["examples.jsonl"]')
    watch_text = watch_text.replace('path = "source.txt"', f'path = "{folder / "source.txt"}"')
    (tmp_path / "watch.toml").write_text(watch_text)
    watch = load_watch(tmp_path / "watch.toml")
    assert watch.topic.examples == (tmp_path / "examples.jsonl",)
    judge = topic_judge(watch.topic.terms, watch.topic.model, watch.topic.examples)
    assert isinstance(judge, TopicModel)
    held_out = records[32:]
    right = sum(assess(r["text"], r["title"], r["published"], judge, [], Thresholds())["label"] ==
                ("unrelated" if r["label"] == "unrelated" else "related") for r in held_out)
    assert right >= 0.8 * len(held_out)


def test_bad_topic_files_are_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "words", "label": "maybe"}\n')
    with pytest.raises(TopicError, match=r"bad.jsonl:1: an example needs"):
        read_examples(bad)
    model = tmp_path / "model.json"
    model.write_text('{"format": "something else"}')
    with pytest.raises(TopicError, match="not a newsmon topic model"):
        TopicModel.load(model)
    watch = tmp_path / "w.toml"
    watch.write_text('[topic]\nmodel = "missing.json"\n[topic.terms]\n"x" = 1\n'
                     '[[outlet]]\nid = "o"\nhomepage = "https://o.example/"\n')
    with pytest.raises(WatchError, match="topic.model: no such file"):
        load_watch(watch)


def test_the_default_watch_ships_a_model_with_its_provenance():
    watch = load_watch(REPO / "data" / "watch.toml")
    assert watch.topic.model is not None and watch.name == "uk-immigration-enforcement"
    params = json.loads(watch.topic.model.read_text())
    provenance = params["provenance"]
    assert provenance["examples"] >= 100 and provenance["script"] == "benchmarks/topic_train.py"
    assert all(c["commit"] and len(c["commit"]) == 40 for c in provenance["corpora"].values())
    assert len(provenance["labels_digest"]) == 40 and "labels.jsonl" in provenance["label_files"]
    assert watch.topic.model.stat().st_size < 400_000


def test_the_default_model_keeps_stock_lines_out_and_enforcement_in():
    watch = load_watch(REPO / "data" / "watch.toml")
    model = TopicModel.load(watch.topic.model, TopicMatcher(watch.topic.terms))
    assert not any(model.judge(s["text"], s["title"])["on_topic"] for s in map(seizure, range(12)))
    assert all(model.judge(s["text"], s["title"])["on_topic"] for s in map(enforcement, range(12)))


# One meaning, two countries' words: what the US press says of ICE, the UK press says of
# Border Force; a green card there is leave to remain here.
CONCEPTS = {"enforcement agency": ["ICE", "border patrol", "border force", "immigration officer"],
            "removal": ["deportation", "deported", "removal flight"],
            "status": ["green card", "leave to remain"],
            "ministry": ["homeland security", "home office"]}


def test_concepts_count_one_meaning_in_either_countrys_words():
    concepts = Concepts(CONCEPTS)
    us = "ICE agents held him at the border; Homeland Security says he faces deportation despite a green card."
    uk = "Border Force held him at Dover; the Home Office booked a removal flight though he had leave to remain."
    assert concepts.counts(us) == concepts.counts(uk) == {"=enforcement agency": 1, "=removal": 1,
                                                          "=status": 1, "=ministry": 1}
    assert concepts.counts("Queues for ice cream at the border crossing") == {}  # an acronym is matched in capitals


def test_the_headline_and_opening_are_features_of_their_own():
    raid, stock = enforcement(0), seizure(0)  # the seizure names immigration crime in its closing line only
    raid_counts = token_counts(raid["text"], raid["title"], Concepts(CONCEPTS), lede=True)
    stock_counts = token_counts(stock["text"], stock["title"], Concepts(CONCEPTS), lede=True)
    assert raid_counts["^immigration"] and raid_counts["^=removal"]
    assert stock_counts["immigration"] and not stock_counts["^immigration"]
    assert token_counts(raid["text"], raid["title"]) == {t: n for t, n in raid_counts.items()
                                                        if not t.startswith(("^", "="))}


TOWNS = ["Tucson", "El Paso", "Houston", "Phoenix", "Denver", "Chicago", "Newark", "Miami", "Atlanta", "Dallas"]


def us_raid(i: int) -> dict:
    town = TOWNS[i]
    return {"title": f"ICE agents arrest {i + 4} at {town} warehouse",
            "text": f"ICE agents arrested {i + 4} workers at a {town} warehouse on Monday. Homeland Security said "
                    f"the workers face deportation. Border Patrol officers helped with the operation. One man "
                    f"said he had applied for a green card years ago.", "label": "related"}


def us_brawl(i: int) -> dict:
    """Off the subject, in the same everyday words as the UK stories below."""
    town = TOWNS[i]
    return {"title": f"{i + 2} men held after {town} bar fight",
            "text": f"Police held {i + 2} men after a fight at a {town} bar on Tuesday. The city has booked "
                    f"extra patrols for next week. Lawyers say one of the men was misidentified and that an "
                    f"officer misread the camera footage.", "label": "unrelated"}


def uk_removal(i: int) -> dict:
    port = PORTS[i]
    return {"title": f"{i + 2} men held at {port} face removal flight",
            "text": f"Border Force held {i + 2} men at {port} after checks on Tuesday. The Home Office has booked "
                    f"a removal flight for them next week. Lawyers say one of the men has leave to remain and "
                    f"that an immigration officer misread his papers.", "label": "related"}


def test_concepts_carry_a_model_from_us_words_to_uk_words():
    examples = [us_raid(i) for i in range(10)] + [us_brawl(i) for i in range(10)]
    plain = TopicModel(train(examples, None, l2=0.1, min_df=1))
    grouped = TopicModel(train(examples, None, l2=0.1, min_df=1, concepts=CONCEPTS))
    uk = [uk_removal(i) for i in range(10)]
    before = [plain.probability(r["text"], r["title"]) for r in uk]
    after = [grouped.probability(r["text"], r["title"]) for r in uk]
    assert all(a > 2 * b for a, b in zip(after, before))
    brawl = us_brawl(0)  # and the concepts do not make everything the subject
    assert grouped.probability(brawl["text"], brawl["title"]) < min(after) / 2


def test_the_watchs_terms_lower_the_bar_of_a_two_stage_model():
    matcher = TopicMatcher(TERMS)
    examples = [us_raid(i) for i in range(10)] + [us_brawl(i) for i in range(10)]
    params = {**train(examples, None, l2=0.1, min_df=1, concepts=CONCEPTS),
              "threshold": 0.2, "terms_floor": 6.0, "threshold_without_terms": 0.99}
    model = TopicModel(params, matcher)
    raid, removal = enforcement(0), uk_removal(0)  # the first names the watch's terms, the second hardly
    assert matcher.score(raid["text"], raid["title"], passing=True)[0] >= 6.0
    assert matcher.score(removal["text"], removal["title"], passing=True)[0] < 6.0
    assert model.judge(raid["text"], raid["title"])["threshold"] == 0.2
    verdict = model.judge(removal["text"], removal["title"])
    assert verdict["threshold"] == 0.99 and not verdict["on_topic"]


def test_a_model_of_words_alone_learns_no_term_weight_from_judgements():
    matcher = TopicMatcher(TERMS)
    examples = [us_raid(i) for i in range(10)] + [us_brawl(i) for i in range(10)]
    model = TopicModel(train(examples, None, l2=0.1, min_df=1, concepts=CONCEPTS), matcher)
    taught = model.learn([supper_club(i) for i in range(6)] + [enforcement(i) for i in range(6)])
    assert "terms_weight" not in taught.params
    story = supper_club(7)
    assert all(name != "[terms]" for name, _ in taught.judge(story["text"], story["title"])["features"])


def test_labels_given_through_the_cli_teach_the_next_ingest(tmp_path):
    from click.testing import CliRunner

    from newsmon.cli import cli

    terms = "\n".join(f'"{t}" = {w}' for t, w in TERMS)
    (tmp_path / "watch.toml").write_text(f'[topic]\nname = "enforcement"\n[topic.terms]\n{terms}\n'
                                         '[[outlet]]\nid = "paper"\nhomepage = "https://paper.example/"\n')
    first = [supper_club(i) for i in range(6)] + [enforcement(i) for i in range(6)]
    later = [supper_club(i) for i in range(6, 12)] + [enforcement(i) for i in range(6, 12)]
    for name, records in (("first", first), ("later", later)):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps({**r, "outlet": "paper"}) + "\n" for r in records))

    def ingest(db, name):
        args = ["ingest", str(tmp_path / f"{name}.jsonl"), "--watch", str(tmp_path / "watch.toml"), "--db", str(db),
                "--keep", "all", "--decisions", str(tmp_path / f"{name}.decisions")]
        assert CliRunner().invoke(cli, args, catch_exceptions=False).exit_code == 0
        return [json.loads(line) for line in (tmp_path / f"{name}.decisions").open()]

    def right(decisions, records):
        gold = {r["id"]: r["label"] for r in records}
        return sum(d["label"] == gold[d["id"]] for d in decisions)

    untaught = right(ingest(tmp_path / "plain.db", "later"), later)
    for decision, record in zip(ingest(tmp_path / "taught.db", "first"), first):
        result = CliRunner().invoke(cli, ["label", str(decision["story_id"]), record["label"],
                                          "--db", str(tmp_path / "taught.db")])
        assert result.exit_code == 0, result.output
    taught = right(ingest(tmp_path / "taught.db", "later"), later)
    assert untaught == 6 and taught == 12


def test_a_story_much_like_a_judged_one_takes_the_readers_word_on_it():
    # Another outlet's report of a story the reader judged: the reader's word carries to it,
    # and its reasons say so; a story of another event is left to the model.
    from newsmon.why import topic_lines
    from pipelines.topic import LIKE_JUDGED

    watch = load_watch(REPO / "data" / "watch.toml")
    model = TopicModel.load(watch.topic.model, TopicMatcher(watch.topic.terms))
    club = supper_club(0)
    assert model.judge(club["text"], club["title"])["on_topic"]  # immigrants as people, taken for the subject
    retold = supper_club_retold()
    assert model.judge(retold["text"], retold["title"])["on_topic"]
    taught = model.learn([{**club, "story_id": 7}])  # the reader: off the subject

    verdict = taught.judge(retold["text"], retold["title"])
    like = verdict["like_judged"]
    assert not verdict["on_topic"] and not taught.on_topic(retold["text"], retold["title"])
    assert like["story"] == 7 and not like["on_subject"] and LIKE_JUDGED <= like["cosine"] < 1
    said = topic_lines(verdict)
    assert said[0].startswith("not on the subject: much like story 7, which the reader judged off the subject")
    assert said[1].startswith(f"topic model: {verdict['score']:.2f} (on the subject from 0.25")  # the model alone
    raid = enforcement(3)
    verdict = taught.judge(raid["text"], raid["title"])
    assert verdict["on_topic"] and "like_judged" not in verdict
    # The memory is part of the model: URLs dropped before are fetched again once it changes.
    assert taught.version != model.learn([{**club, "story_id": 8}]).version != model.version

    why = assess(retold["text"], retold["title"], None, taught, [], Thresholds())["why"]
    assert why["topic"]["like_judged"]["story"] == 7


def cli_ingester(tmp_path, keep: str = "relevant"):
    """(ingest(name, records) -> (output, decisions), db path): `newsmon ingest` of JSONL records
    with the default watch's topic (its model and terms) and two outlets, paper and gazette."""
    from click.testing import CliRunner

    from newsmon.cli import cli

    lines = (REPO / "data" / "watch.toml").read_text().splitlines()
    start = lines.index("[topic]")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("[") and
               not lines[i].startswith("[topic"))
    topic = "\n".join(lines[start:end]).replace('"models/', f'"{REPO / "data" / "models"}/')
    (tmp_path / "watch.toml").write_text(topic + '\n[[outlet]]\nid = "paper"\nhomepage = "https://paper.example/"\n'
                                         '[[outlet]]\nid = "gazette"\nhomepage = "https://gazette.example/"\n')
    db = str(tmp_path / "archive.db")

    def ingest(name, records):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
        args = ["ingest", str(tmp_path / f"{name}.jsonl"), "--watch", str(tmp_path / "watch.toml"), "--db", db,
                "--keep", keep, "--decisions", str(tmp_path / f"{name}.decisions")]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output, [json.loads(line) for line in (tmp_path / f"{name}.decisions").open()]
    return ingest, db


def test_a_correction_through_the_cli_carries_to_another_outlets_report(tmp_path):
    # The default watch's model and terms; the reader marks a story it kept as off the
    # subject, and the next ingest labels another outlet's retelling of it so, saying why.
    from click.testing import CliRunner

    from newsmon.cli import cli

    ingest, db = cli_ingester(tmp_path, keep="all")
    club = {**supper_club(0), "outlet": "paper"}
    retold = {**supper_club_retold(), "id": "retold", "outlet": "gazette"}
    _, (first,) = ingest("first", [club])
    assert first["label"] == "related"  # the model takes immigrants as people for the subject
    assert CliRunner().invoke(cli, ["label", str(first["story_id"]), "unrelated", "--db", db]).exit_code == 0
    _, (later,) = ingest("later", [retold])
    assert later["label"] == "unrelated"
    shown = CliRunner().invoke(cli, ["show", str(later["story_id"]), "--db", db]).output
    assert f"much like story {first['story_id']}, which the reader judged off the subject" in shown


def test_a_correction_reaches_the_stories_already_archived(tmp_path):
    # Both outlets' reports of the supper club are archived as on the subject; the reader
    # marks one off it. At the next ingest the other, archived before the correction, is
    # judged again by the taught model: unrelated, saying why; a raid stays related, and the
    # reader's own label stands.
    from click.testing import CliRunner

    from newsmon.cli import cli
    from pipelines.archive import Archive

    ingest, db = cli_ingester(tmp_path)
    _, (club, retold, raid) = ingest("first", [{**supper_club(0), "outlet": "paper"},
                                               {**supper_club_retold(), "id": "retold", "outlet": "gazette"},
                                               {**enforcement(2), "outlet": "paper"}])
    assert club["label"] == retold["label"] == raid["label"] == "related"
    said, _ = ingest("again", [{**enforcement(4), "outlet": "gazette"}])
    assert "judged again" not in said  # nothing taught: nothing to judge again
    assert CliRunner().invoke(cli, ["label", str(club["story_id"]), "unrelated", "--db", db]).exit_code == 0

    said, _ = ingest("later", [{**enforcement(5), "outlet": "gazette"}])
    assert "judged again by the watch's topic model, changed since they were labelled (the reader's judgements " \
           "or its file): 1 related -> unrelated" in said
    with Archive(db) as archive:
        labels = {r["id"]: (r["label"], r["auto_label"]) for r in archive.db.query("select id, label, auto_label from stories")}
    assert labels[retold["story_id"]] == ("unrelated", "unrelated")
    assert labels[raid["story_id"]] == ("related", "related")
    assert labels[club["story_id"]][0] == "unrelated"  # the reader's
    shown = CliRunner().invoke(cli, ["show", str(retold["story_id"]), "--db", db]).output
    assert f"much like story {club['story_id']}, which the reader judged off the subject" in shown
    said, _ = ingest("last", [{**enforcement(6), "outlet": "gazette"}])
    assert "judged again" not in said  # judged by this model already
