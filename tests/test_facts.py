import pytest

from pipelines.facts import names, numeric_facts, quote_match, quotes


@pytest.mark.parametrize("sentence, value, noun, qualifier", [
    ("MPs made 68 calls to the hotline last year.", 68, "call", None),
    ("The pledge, signed by 113 MPs so far, urges lawmakers to act.", 113, "mp", None),
    ("Fifteen charities are behind the campaign.", 15, "charity", None),
    ("Nearly 70 calls were logged.", 70, "call", "below"),
    ("More than 700 referrals were made since 2012.", 700, "referral", "at_least"),
    ("A dozen charities wrote to the Speaker.", 12, "charity", None),
    ("The plant employs 3,500 workers.", 3500, "worker", None),
    ("Output fell by 32 per cent.", 32, "percent", None),
    ("The firm was fined 2.5 million pounds.", 2_500_000, "pound", None),
])
def test_numbers_with_the_noun_they_count(sentence, value, noun, qualifier):
    (fact,) = numeric_facts(sentence)
    assert (fact["value"], fact["noun"], fact["qualifier"]) == (value, noun, qualifier)
    assert fact["sentence"] == sentence


def test_years_and_dangling_numbers_are_not_facts():
    assert numeric_facts("Between September 2012 and May 2018 things changed.") == []
    assert numeric_facts("Nearly half - 32 - were made by Labour MPs.") == []


def test_quotes_any_marks_four_words_or_more():
    text = 'He said: \u201cI have reported cases of immigration crime.\u201d She said "no comment". ' \
           "They called it \u2018a pledge for safe places in every constituency\u2019."
    assert quotes(text) == ["I have reported cases of immigration crime",
                            "a pledge for safe places in every constituency"]


def test_quote_match_is_robust_to_marks_case_and_part_quotes():
    source = "I will not report on anyone who seeks my advice to the Home Office for immigration enforcement"
    assert quote_match("i will not report on anyone who seeks my advice", source) == 1.0
    assert quote_match("I won't report anyone who seeks my advice to the Home Office", source) >= 0.8
    assert quote_match("We must protect our borders at every cost", source) < 0.5


def test_people_and_organisations():
    found = names("Labour MP Diane Abbott backed the pledge. Tory MP Sir Christopher Chope did not. "
                  "Migrants Organise and Global Justice Now wrote to the Speaker of the House of Commons "
                  "John Bercow. Ms Abbott said Chope was wrong. The BBC reported it.")
    assert found["people"] == ["Diane Abbott", "Christopher Chope", "John Bercow"]
    assert {"Labour", "Migrants Organise", "Global Justice Now", "House of Commons", "BBC"} <= set(
        found["organisations"])


def test_headline_case_is_not_a_person():
    assert names("Charities Tell Parliamentarians to Stop Reporting Immigration Crime")["people"] == []


def test_text_between_two_straight_quotes_is_not_a_quote():
    text = ('The "MPs not border guards" pledge, up from 113 last week, commits MPs to help anyone.\n'
            'A spokesperson said: "Every constituent deserves a safe place to ask for help."')
    assert quotes(text) == ["MPs not border guards", "Every constituent deserves a safe place to ask for help"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Unicode text with the characters figures, quotes and names are made of, in any order.
PROSE = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list('0123456789,. "\u201c\u201d\u2018\u2019\'-%£$'
                                                                       "MPsHomeOfficeSirLabour ")),),
                max_size=400)


@settings(max_examples=300, deadline=None)
@given(PROSE, PROSE)
def test_figures_quotes_and_names_never_raise_on_any_text(a, b):
    for fact in numeric_facts(a):
        assert isinstance(fact["value"], float) and fact["noun"]
    assert all(len(q.split()) >= 4 for q in quotes(a))
    found = names(a)
    assert set(found) == {"people", "organisations"}
    assert 0.0 <= quote_match(a, b) <= 1.0


def test_firms_taskforces_and_datelines_are_not_people():
    found = names("LONDON (Reuters) - Workers at Harrowgate Textiles were told on Monday. The Windrush "
                  "Taskforce said it had helped. A Home Office LONDON spokesperson declined to comment, "
                  "and Sir Christopher Chope said the mill should stay open.")
    assert found["people"] == ["Christopher Chope"]
    assert set(found["organisations"]) == {"Harrowgate Textiles", "Windrush Taskforce", "Home Office"}
