from pipelines.compare import compare, compare_facts, consistent, framing_terms, load_framing, relation
from pipelines.facts import numeric_facts
from pipelines.profile import profile

SOURCE = ("MPs made 68 calls to the Home Office hotline in 2017, and 723 calls between 2012 and 2018. "
          "The pledge, signed by 113 MPs so far, was drawn up by 15 charities. "
          "\u201cI will not report on anyone who seeks my advice to the Home Office,\u201d the pledge states. "
          "Sir Christopher Chope said illegals are a burden. Diane Abbott backed it.")


def test_qualified_figures():
    assert consistent({"value": 70, "qualifier": "below"}, 68)
    assert consistent({"value": 100, "qualifier": "at_least"}, 113)
    assert not consistent({"value": 120, "qualifier": "at_least"}, 113)
    assert consistent({"value": 700, "qualifier": "about"}, 723)
    assert not consistent({"value": 107, "qualifier": None}, 113)


def test_conflicts_are_rival_figures_for_one_quantity():
    story = numeric_facts("Campaigners say 107 MPs have signed. Nearly 70 calls were made last year. "
                          "All 27 MPs in Greater Manchester were asked. 113 of the 650 MPs signed.")
    agree, conflict = compare_facts(story, numeric_facts(SOURCE))
    assert [(c["noun"], c["story_value"], c["source_value"]) for c in conflict] == [("mp", 107, 113)]
    assert conflict[0]["story_sentence"] == "Campaigners say 107 MPs have signed."
    assert conflict[0]["source_sentence"].startswith("The pledge, signed by 113 MPs")
    # "nearly 70 calls" is matched to "68 calls in 2017", not to "723 calls since 2012".
    calls = next(a for a in agree if a["noun"] == "call")
    assert calls["source_value"] == 68
    assert {(a["noun"], a["story_value"]) for a in agree} == {("call", 70), ("mp", 113)}


def test_framing_lexicon_is_data():
    lexicon = load_framing("data/framing.toml")
    assert {"restrictive", "protective", "political-labels"} <= set(lexicon)
    found = framing_terms("Illegals are a burden, said the far-left group about vulnerable people.", lexicon)
    assert found == {"illegals": "restrictive", "burden": "restrictive", "far-left": "political-labels",
                     "vulnerable": "protective"}
    assert load_framing("no/such/file.toml") == {}


def test_before_and_after():
    assert relation("2018-10-18", "2018-10-19") == ("before", -1)
    assert relation("2018-10-19T23:00:00+01:00", "2018-10-19") == ("same day", 0)
    assert relation(None, "2018-10-19") == ("unknown", None)


def test_full_comparison():
    story_text = ("Campaigners say 107 MPs have signed a pledge. \u201cI will not report on anyone who seeks "
                  "my advice,\u201d it says. Diane Abbott and Caroline Lucas support it; vulnerable people fear "
                  "the hotline.")
    row = compare(profile(story_text, "Pledge", "2018-10-18"), story_text, "seed",
                  profile(SOURCE, "Source", "2018-10-19"), SOURCE, load_framing("data/framing.toml"))
    assert row["published_relation"] == "before" and row["days_from_source"] == -1
    assert [q["source"] for q in row["quotes_shared"]] == [
        "I will not report on anyone who seeks my advice to the Home Office"]
    assert row["people_both"] == ["Diane Abbott"]
    assert row["people_story_only"] == ["Caroline Lucas"]
    assert row["people_source_only"] == ["Christopher Chope"]
    assert row["framing_story_only"] == {"vulnerable": "protective", "fear": "protective"}
    assert {"illegals", "burden"} <= set(row["framing_source_only"])
    assert row["facts_conflict"][0]["story_value"] == 107
    assert row["evidence"]["days_apart"] == 1 and "abbott" in row["evidence"]["shared_names"]


def test_a_conflict_is_found_beside_a_figure_that_agrees():
    # The sentence agrees on the years and conflicts on the jobs: the jobs still conflict.
    source = numeric_facts("The owners said 420 jobs would go, ending 140 years of cloth-making in the valley.")
    story = numeric_facts("The closure puts 430 jobs at risk and ends 140 years of cloth-making.")
    agree, conflict = compare_facts(story, source)
    assert [(c["noun"], c["story_value"], c["source_value"]) for c in conflict] == [("job", 430, 420)]
    assert [a["noun"] for a in agree] == ["cloth-making"]
