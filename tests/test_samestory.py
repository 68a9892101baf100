"""The same-story decision: evidence of the event, weighed by the shipped model.

Texts here are our own writing, for behaviour only; the decision is measured on real
labelled coverage by benchmarks/samestory.py."""

import subprocess
import sys

import pytest

from pipelines import samestory
from pipelines.profile import profile

THRESHOLD = 0.5

FLOOD = ("Flooding in Ashcombe: 240 homes evacuated as the River Wend bursts its banks",
         "More than 240 homes in Ashcombe were evacuated overnight after the River Wend burst its banks "
         "following two days of heavy rain, Wendshire council said on Tuesday.\n\n"
         "Fire crews from Wendshire Fire and Rescue Service used boats to reach residents in Mill Lane and "
         "Kettle Street, where water reached 1.2 metres. Council leader Harriet Osgood said a rest centre had "
         "opened at Ashcombe Leisure Centre and that 37 people had spent the night there.\n\n"
         "The Environment Agency issued a severe flood warning for the Wend at 2am. Its spokesman Daniel "
         "Prentice said river levels at Ashcombe Weir had reached a record 4.8 metres.")
FLOOD_ELSEWHERE = ("Floods force 90 families from their homes in Bramley Cross",
                   "Ninety families in Bramley Cross were moved to safety on Saturday after the River Lode flooded "
                   "streets near the market square, Lodeshire council said.\n\n"
                   "Crews from Lodeshire Fire Service waded through water up to a metre deep in Station Road. "
                   "Council leader Priya Mander said a rest centre had opened at St Anne's church hall, where 15 "
                   "people stayed overnight.\n\n"
                   "The Environment Agency issued a flood warning for the Lode. Its officer Gavin Rudd said "
                   "levels at Bramley Lock were the highest for ten years.")
FLOOD_BRIEF = ("Ashcombe residents spend night in rest centre after River Wend floods",
               "Thirty-seven people spent the night at Ashcombe Leisure Centre after 240 homes were evacuated when "
               "the River Wend flooded Mill Lane and Kettle Street. Council leader Harriet Osgood thanked Wendshire "
               "Fire and Rescue Service crews; the Environment Agency's Daniel Prentice said the Wend reached a "
               "record 4.8 metres at Ashcombe Weir.")


def report(article, published):
    title, text = article
    return profile(text, title, published)


def test_another_outlets_report_of_the_event_is_the_same_story_and_a_like_event_elsewhere_is_not():
    source = report(FLOOD, "2024-02-06")
    same, evidence = samestory.score(report(FLOOD_BRIEF, "2024-02-06"), source)
    other, _ = samestory.score(report(FLOOD_ELSEWHERE, "2024-02-06"), source)
    assert same >= THRESHOLD > other
    assert {"ashcombe", "osgood", "prentice"} <= set(evidence["shared_names"])
    assert "240" in evidence["shared_figures"]


def test_weeks_apart_the_same_words_are_another_story_and_an_unknown_date_is_no_evidence():
    source = report(FLOOD, "2024-02-06")
    next_day, _ = samestory.score(report(FLOOD_BRIEF, "2024-02-07"), source)
    undated, _ = samestory.score(report(FLOOD_BRIEF, None), source)
    months_on, evidence = samestory.score(report(FLOOD_BRIEF, "2024-04-20"), source)
    assert next_day >= THRESHOLD and undated >= THRESHOLD
    assert months_on < THRESHOLD
    assert evidence["days_apart"] == 74 and evidence["effects"]["days"] < 0


def test_days_apart_cost_nothing_within_two_days_and_from_the_third_day_more_each_day():
    # Real multi-outlet coverage (AllSides dev, held out by event): matches 3 to 7 days apart
    # were mostly another step of the saga; 13% of same-event pairs are a day apart.
    source = report(FLOOD, "2024-02-06")
    brief = report(FLOOD_BRIEF, "2024-02-06")
    z = {days: samestory.logit(samestory.features({**brief, "published": f"2024-02-{6 + days:02d}"}, source))
         for days in (0, 1, 2, 3, 4, 7)}
    assert z[0] == z[1] == z[2]
    assert z[2] > z[3] > z[4] > z[7]
    for kind in ("archive", "plain"):  # both models count days alike
        assert [samestory.time_penalty(d, samestory.model(kind)) for d in (-1, 2, 3, 5)] == [0, 0, 1, 3]


def test_two_stories_of_one_site_must_show_more_than_two_outlets_reports():
    # One outlet's neighbouring stories of a saga share its house style and background
    # paragraphs (real Daily Mail pairs: most such neighbours were other events).
    def on(site, article=FLOOD_BRIEF):
        return profile(article[1], article[0], "2024-02-06", site=site)

    source = on("wendshire-news.example", FLOOD)
    z = {name: samestory.logit(samestory.features(story, source)) for name, story in (
        ("other", on("bramley-gazette.example")), ("unknown", on(None)), ("same", on("wendshire-news.example")))}
    assert z["other"] == z["unknown"] == pytest.approx(z["same"] + samestory.SAME_OUTLET_PENALTY)
    _, evidence = samestory.score(on("wendshire-news.example"), source)
    assert evidence["effects"]["same_outlet"] == pytest.approx(-samestory.SAME_OUTLET_PENALTY)
    # the site's own article again (a revision) is still its story
    assert samestory.score(on("wendshire-news.example", FLOOD), source)[0] >= THRESHOLD
    assert samestory.site("https://www.wendshire-news.example/news/1") == "wendshire-news.example"
    assert samestory.site("https://m.wendshire-news.example/news/1") == "wendshire-news.example"
    assert samestory.site(None) is None and samestory.site("file:///tmp/a.html") is None
    # Without an address, the outlet a text was declared from is its site (ingest gives a
    # record fed without one the address ingest://<outlet>/<id>).
    assert samestory.site("ingest://Wendshire News/1") == samestory.site(None, " Wendshire  News") == "wendshire news"
    assert samestory.site("ingest://unknown/1") is None
    assert samestory.site("https://www.wendshire-news.example/a", "Wendshire News") == "wendshire-news.example"


def test_one_sites_own_report_days_later_is_its_next_development():
    # Another outlet may take an event up days later; the outlet's own new report days on
    # is its next step (real Daily Mail pairs 3-7 days apart: none the same event).
    def on(site, published):
        return profile(FLOOD_BRIEF[1], FLOOD_BRIEF[0], published, site=site)

    source = profile(FLOOD[1], FLOOD[0], "2024-02-06", site="wendshire-news.example")
    for days in (0, 2, 3, 5):
        published = f"2024-02-{6 + days:02d}"
        own = samestory.logit(samestory.features(on("wendshire-news.example", published), source))
        other = samestory.logit(samestory.features(on("bramley-gazette.example", published), source))
        penalty = samestory.time_penalty(days)
        assert other - own == pytest.approx(samestory.SAME_OUTLET_PENALTY + (samestory.SAME_OUTLET_TIME - 1) * penalty)
    # within the news cycle only the site itself costs; from the third day each day costs thrice
    assert samestory.time_penalty(2) == 0 and samestory.SAME_OUTLET_TIME > 1
    _, evidence = samestory.score(on("wendshire-news.example", "2024-02-09"), source)
    assert evidence["effects"]["same_outlet"] == pytest.approx(
        -(samestory.SAME_OUTLET_PENALTY + (samestory.SAME_OUTLET_TIME - 1) * samestory.time_penalty(3)))
    assert samestory.score(on("wendshire-news.example", "2024-02-09"), source)[0] < \
        samestory.score(on("bramley-gazette.example", "2024-02-09"), source)[0]


def test_the_evidence_says_what_made_the_score():
    source = report(FLOOD, "2024-02-06")
    _, evidence = samestory.score(report(FLOOD_BRIEF, "2024-02-06"), source)
    assert set(samestory.PLAIN_FEATURES) <= set(evidence["features"])
    effects = list(evidence["effects"].values())
    assert effects == sorted(effects, key=abs, reverse=True) and sum(effects) > 0


def test_a_profile_stored_before_the_evidence_fields_still_scores():
    source = report(FLOOD, "2024-02-06")
    old = {k: v for k, v in report(FLOOD_BRIEF, "2024-02-06").items()
           if k not in ("head_terms", "lede_terms", "names", "head_names", "figures", "years", "weekdays",
                        "lede_weekdays")}
    score, _ = samestory.score(old, source)
    assert 0.0 <= score <= 1.0


def test_the_weekdays_two_texts_name_tell_one_days_event_from_anothers():
    # (undated, as a set of saved texts is: the weekdays named are then all the time they give)
    source = report(FLOOD, None)  # "... council said on Tuesday"
    title, text = FLOOD_BRIEF
    told = {day: report((title, text.replace("spent the night", f"spent {day} night")), None)
            for day in ("Tuesday", "Friday")}
    plain, _ = samestory.score(report(FLOOD_BRIEF, None), source)
    same_day, evidence = samestory.score(told["Tuesday"], source)
    other_day, other = samestory.score(told["Friday"], source)
    assert same_day > plain > other_day
    assert evidence["effects"]["lede_weekday_shared"] > 0 and "weekdays_apart" not in evidence["effects"]
    assert other["effects"]["weekdays_apart"] < 0
    assert other["weekdays"] == {"story": ["Friday"], "source": ["Tuesday"]}
    # a paper, a holiday or a show that holds a weekday names no day
    assert samestory.weekdays("The Mail on Sunday said on Mondays; Good Friday, Super Tuesday.") == ["Monday"]


def test_proper_nouns_and_figures():
    names = samestory.proper_nouns("The River Wend rose. Harriet Osgood spoke to the BBC.")
    assert {"wend", "osgood", "bbc"} <= set(names) and "the" not in names
    # figures of 10 and over, years left out: small numbers and years say little about the event
    assert samestory.figures("In 2023, 1,240 homes and 14.8 metres; 7 boats.") == ["1240", "14.8"]


def test_the_model_is_plain_data_with_its_provenance_and_runs_without_scikit_learn():
    model = samestory.model()
    assert model["provenance"]["script"] == "benchmarks/train_samestory.py"
    # The dated trees learnt from the corpora whose pairs carry dates (the pairs they decide);
    # the others from all four, the same-kind events of ECB+ and FNC-1's headlines too.
    assert set(model["provenance"]["sources"]) == set(model["provenance"]["dev_pairs"]) == {"allsides", "gva"}
    for kind in ("plain", "archive-undated", "plain-undated"):
        assert set(samestory.model(kind)["provenance"]["sources"]) == {"ecbplus", "fnc1", "allsides", "gva"}
    code = ("import sys; from pipelines import samestory; samestory.probability({'body': 0.5}); "
            "assert 'sklearn' not in sys.modules")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# --- the archive's rarity: a beat's own words weigh little in its archive ---------------------------

TOWNS = ("Alderby", "Brockwell", "Castlemere", "Dunhallow", "Eastwick", "Fenmoor", "Greyhithe", "Harrowden",
         "Ivelstone", "Jessop", "Kilnsea", "Larkfield", "Marlowe", "Netherby", "Oakhampstead", "Pellbridge",
         "Quenby", "Rooksbury", "Saltmarsh", "Thornleigh")


def flood_beat_archive():
    """A watch on floods: every archived story speaks of rivers, councils, warnings and rest centres."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute(f"create virtual table stories_fts using fts5(title, text, tokenize='{samestory.FTS_TOKENIZER}')")
    db.executemany("insert into stories_fts(title, text) values (?, ?)", [
        (f"Flood warning as river rises in {town} ({n})",
         f"Homes in {town} were evacuated after the river burst its banks. The council opened a rest centre "
         f"and the Environment Agency issued a flood warning; fire crews and rescue boats helped residents.")
        for town in TOWNS for n in range(12)])
    return samestory.read_rarity(db, "stories_fts")


def test_in_a_beats_archive_its_own_words_weigh_less_and_the_events_own_words_more():
    beat = flood_beat_archive()
    english = samestory.Rarity(beat.stories, {})  # as large, none of its stories on floods
    assert beat.stories == 12 * len(TOWNS) >= samestory.MIN_ARCHIVE_STORIES
    assert beat.counts["flood"] == beat.stories
    factors, plain = beat.factors(["flood", "evacuated", "osgood"]), english.factors(["flood", "evacuated", "osgood"])
    assert factors["flood"] < plain["flood"] and factors["evacuated"] < plain["evacuated"]
    assert factors["osgood"] == plain["osgood"]  # a word no archived story uses weighs the same
    source = report(FLOOD, "2024-02-06")
    brief, elsewhere = report(FLOOD_BRIEF, "2024-02-06"), report(FLOOD_ELSEWHERE, "2024-02-06")
    in_archive = {name: samestory.features(story, source, beat)["body_archive"]
                  for name, story in (("brief", brief), ("elsewhere", elsewhere))}
    in_english = {name: samestory.features(story, source, english)["body_archive"]
                  for name, story in (("brief", brief), ("elsewhere", elsewhere))}
    # another town's flood shares the beat's words: in the beat's archive that counts for less
    assert in_archive["elsewhere"] < in_english["elsewhere"]
    assert in_archive["brief"] - in_archive["elsewhere"] > in_english["brief"] - in_english["elsewhere"]


def test_word_forms_count_as_their_stem_and_a_rarity_travels_to_worker_processes():
    import pickle

    assert samestory.stems(["immigrants", "immigration", "calls"]) == {
        "immigrants": "immigr", "immigration": "immigr", "calls": "call"}
    beat = flood_beat_archive()
    again = pickle.loads(pickle.dumps(beat))
    assert (again.stories, again.counts) == (beat.stories, beat.counts)
    assert again.weighed({"flooding": 1.0, "river": 2.0}) == beat.weighed({"flooding": 1.0, "river": 2.0})


def test_an_archive_too_small_to_tell_its_beat_leaves_the_decision_to_the_plain_model():
    source, brief = report(FLOOD, "2024-02-06"), report(FLOOD_BRIEF, "2024-02-06")
    small = samestory.Rarity(samestory.MIN_ARCHIVE_STORIES - 1, {"flood": 10})
    plain = samestory.features(brief, source, small)
    assert not set(samestory.ARCHIVE_FEATURES) & set(plain)
    assert samestory.model_for(plain) is samestory.model("plain")
    with_archive = samestory.features(brief, source, flood_beat_archive())
    assert samestory.model_for(with_archive) is samestory.model("archive")
    assert samestory.score(brief, source, rarity=small)[0] == samestory.score(brief, source)[0]
    assert samestory.score(brief, source, rarity=flood_beat_archive())[0] >= THRESHOLD


def test_a_pair_without_dates_is_decided_by_trees_that_learnt_text_from_pairs_of_any_distance():
    source = report(FLOOD, "2024-02-06")
    for published in (None, "2024-02-06"):
        brief, elsewhere = report(FLOOD_BRIEF, published), report(FLOOD_ELSEWHERE, published)
        for rarity, kind in ((None, "plain"), (flood_beat_archive(), "archive")):
            values = samestory.features(brief, source, rarity)
            expected = kind if published else f"{kind}-undated"
            assert samestory.model_for(values) is samestory.model(expected)
            assert samestory.score(brief, source, rarity=rarity)[0] >= THRESHOLD
            assert samestory.score(elsewhere, source, rarity=rarity)[0] < THRESHOLD
    undated = samestory.model("plain-undated")["provenance"]
    assert "dates hidden" in undated["model"] and undated["script"] == "benchmarks/train_samestory.py"
    # a dated pair's evidence says what its date was worth against the undated trees' reading
    _, evidence = samestory.score(report(FLOOD_BRIEF, "2024-02-20"), source)
    assert evidence["effects"]["days"] < 0


# --- how far a pair stands above its texts' usual neighbours in the archive ------------------------

def test_a_report_of_the_event_stands_out_of_the_beat_more_than_a_like_event_elsewhere():
    beat = flood_beat_archive()
    assert beat.neighbourhood is not None and beat.neighbourhood.size == beat.stories
    source = report(FLOOD, None)
    brief, elsewhere = report(FLOOD_BRIEF, None), report(FLOOD_ELSEWHERE, None)
    near, far = (samestory.features(story, source, beat) for story in (brief, elsewhere))
    assert set(samestory.STANDOUT_FEATURES) <= set(near) and set(samestory.STANDOUT_FEATURES) <= set(far)
    # both share the beat's words with its stories; only the same event's pair shares more with each other
    for name in samestory.STANDOUT_FEATURES:
        assert near[name] > far[name]
        background = max(beat.neighbourhood.background(brief["all_terms"])[name],
                         beat.neighbourhood.background(source["all_terms"])[name])
        assert near[name] == pytest.approx(near["body_archive"] - background)
    assert samestory.model_for(near) is samestory.model("archive-undated")
    assert set(samestory.STANDOUT_FEATURES) <= set(samestory.model("archive-undated")["features"])
    assert samestory.score(brief, source, rarity=beat)[0] >= THRESHOLD
    assert samestory.score(elsewhere, source, rarity=beat)[0] < THRESHOLD


def test_only_the_undated_trees_read_the_standout_and_only_an_archive_large_enough_has_a_neighbourhood():
    beat = flood_beat_archive()
    source, brief = report(FLOOD, "2024-02-06"), report(FLOOD_BRIEF, "2024-02-06")
    dated = samestory.features(brief, source, beat)
    assert not set(samestory.STANDOUT_FEATURES) & set(dated)  # (the dated trees do not read it: not measured)
    assert set(samestory.STANDOUT_FEATURES) <= set(samestory.features(brief, source, beat, standout=True))
    assert not set(samestory.STANDOUT_FEATURES) & set(samestory.model("archive")["features"])
    small = samestory.Rarity(samestory.MIN_ARCHIVE_STORIES - 1, {"flood": 10})
    assert small.neighbourhood is None
    assert not set(samestory.STANDOUT_FEATURES) & set(samestory.features(report(FLOOD_BRIEF, None), source, small))


def test_a_text_archived_before_is_not_its_own_neighbour_and_the_neighbourhood_travels_to_workers():
    import pickle

    beat = flood_beat_archive()
    texts = [report(FLOOD, None)["all_terms"], *(report((f"Rain in {town}", f"The river rose in {town} and "
                                                                 f"{town} council warned {n} homes of floods."),
                                                        None)["all_terms"]
                                                 for n, town in enumerate(TOWNS, 10))]
    with_it = samestory.Neighbourhood(beat, texts)
    without = samestory.Neighbourhood(beat, texts[1:])
    assert with_it.background(texts[0]) == pytest.approx(without.background(texts[0]))
    again = pickle.loads(pickle.dumps(beat))
    assert again.neighbourhood.rarity is again and again.neighbourhood.size == beat.neighbourhood.size
    brief = report(FLOOD_BRIEF, None)["all_terms"]
    assert again.neighbourhood.background(brief) == pytest.approx(beat.neighbourhood.background(brief))


COUNCIL_TAX = ("Band D bills to go up by 4.99% from April",
               "Local tax bills will go up by 4.99% from April after the cabinet approved its budget late last "
               "night, with the finance chief blaming social care costs. A band D household will pay about £98 "
               "more a year. Opposition members said libraries and bus routes would still close, and a petition "
               "against the cuts has gathered 3,400 signatures since January."
               "\n\n"
               + FLOOD[1])


def test_one_sites_two_reports_of_one_event_open_alike_and_an_opinion_piece_is_spared():
    # One site's stories share its background paragraphs, so their whole texts agree whatever
    # the event; its reports of one event also open alike (real Daily Mail pairs of one site).
    source = profile(FLOOD[1], FLOOD[0], "2024-02-06", site="wendshire-news.example")

    def z(site, article, opinion=False):
        story = profile(article[1], article[0], "2024-02-06", site=site, opinion=opinion)
        values = samestory.features(story, source)
        return samestory.logit(values), values

    own, values = z("wendshire-news.example", COUNCIL_TAX)
    other, _ = z("bramley-gazette.example", COUNCIL_TAX)
    assert values["lede"] < samestory.SAME_OUTLET_OPENING  # it opens on another matter
    assert values["lede_beyond_names"] < samestory.SAME_OUTLET_NAMES_ONLY  # (in no word at all)
    assert other - own == pytest.approx(samestory.SAME_OUTLET_PENALTY + samestory.SAME_OUTLET_OPENING_PENALTY
                                        + samestory.SAME_OUTLET_NAMES_ONLY_PENALTY)
    # a report of the event itself opens on it: only the site costs
    brief_own, values = z("wendshire-news.example", FLOOD_BRIEF)
    brief_other, _ = z("bramley-gazette.example", FLOOD_BRIEF)
    assert values["lede"] >= samestory.SAME_OUTLET_OPENING
    assert brief_other - brief_own == pytest.approx(samestory.SAME_OUTLET_PENALTY)
    # an opinion piece opens on its argument: it is not asked to open on the event
    opinion, values = z("wendshire-news.example", COUNCIL_TAX, opinion=True)
    assert values["opinion"] == 1.0 and other - opinion == pytest.approx(samestory.SAME_OUTLET_PENALTY)
    assert "opinion" not in samestory.score(profile(COUNCIL_TAX[1], COUNCIL_TAX[0], "2024-02-06",
                                                    site="wendshire-news.example", opinion=True), source)[1]["effects"]


# The saga's next step at the same site: its people and places again, another happening.
FLOOD_ROW = ("Harriet Osgood rejects calls to quit over Ashcombe defences",
             "Harriet Osgood will not stand down, she told opposition members who accused her of shelving a "
             "scheme to raise the walls along the River Wend at Ashcombe three years ago to save money. Her "
             "critics want an independent review of that choice, which they blame for much of this week's damage. "
             "Osgood replied that engineers had advised waiting for a national grant, and that she would publish "
             "their advice in full before the next cabinet meeting.\n\n" + FLOOD[1].split("\n\n", 1)[1])


def test_one_sites_two_stories_whose_openings_share_only_names_tell_two_happenings():
    site = "wendshire-news.example"
    source = profile(FLOOD[1], FLOOD[0], "2024-02-06", site=site)

    def z(article, where=site, opinion=False):
        values = samestory.features(profile(article[1], article[0], "2024-02-06", site=where, opinion=opinion),
                                    source)
        return samestory.logit(values), values

    own, values = z(FLOOD_ROW)
    other, elsewhere = z(FLOOD_ROW, "bramley-gazette.example")
    # the names make the openings alike; beside them they share nothing
    assert values["lede"] >= samestory.SAME_OUTLET_OPENING
    assert values["lede_beyond_names"] < samestory.SAME_OUTLET_NAMES_ONLY
    assert other - own == pytest.approx(samestory.SAME_OUTLET_PENALTY + samestory.SAME_OUTLET_NAMES_ONLY_PENALTY)
    assert "lede_beyond_names" not in elsewhere  # two outlets' reports are not asked it
    # the site's report of the event itself says what happened in the source's words
    brief_own, values = z(FLOOD_BRIEF)
    brief_other, _ = z(FLOOD_BRIEF, "bramley-gazette.example")
    assert values["lede_beyond_names"] >= samestory.SAME_OUTLET_NAMES_ONLY
    assert brief_other - brief_own == pytest.approx(samestory.SAME_OUTLET_PENALTY)
    # an opinion piece opens on its argument: spared, as with the openings
    opinion, _ = z(FLOOD_ROW, opinion=True)
    assert other - opinion == pytest.approx(samestory.SAME_OUTLET_PENALTY)
    # newsmon compare names the evidence when it helps
    _, evidence = samestory.score(profile(FLOOD_BRIEF[1], FLOOD_BRIEF[0], "2024-02-06", site=site), source)
    assert evidence["effects"]["lede_beyond_names"] == pytest.approx(samestory.SAME_OUTLET_NAMES_ONLY_PENALTY)


def test_a_page_says_it_is_opinion_by_its_section_or_a_segment_of_its_address():
    assert samestory.is_opinion("Opinion") and samestory.is_opinion("Comment is free")
    assert samestory.is_opinion(None, "https://www.example-news.test/opinion/2018/10/14/mps-and-the-hotline")
    assert samestory.is_opinion(None, "https://www.example-news.test/commentisfree/2018/oct/12/pledge")
    assert samestory.is_opinion("Analysis, Politics")
    # news whose headline words say "opinion" or "analysis" is news
    assert not samestory.is_opinion("UK News", "https://www.example-news.test/news/mps-opinion-poll-analysis")
    assert not samestory.is_opinion(None, "https://www.example-news.test/news/comments-closed")
    assert not samestory.is_opinion(None, None) and not samestory.is_opinion("", "ingest://x/opinion/1")
