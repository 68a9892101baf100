from pipelines.text import content_hash, normalise, text_hash, word_count, words


def test_normalise_folds_quotes_dashes_and_space():
    assert normalise("\u201cMPs\u201d \u2014 not\u00a0 border\n guards\u2019") == "\"MPs\" - not border guards'"


def test_words_keep_apostrophes_and_numbers():
    assert words("MPs\u2019 offices made 68 calls; 723 since 2012.") == [
        "mps", "offices", "made", "68", "calls", "723", "since", "2012"]
    assert words("Sir Christopher\u2019s view") == ["sir", "christopher's", "view"]


def test_word_count_is_fair_to_scripts_without_spaces():
    assert word_count("The Home Office said 68 calls were made.") == 8
    # Japanese has no spaces: two characters make about one word.
    assert word_count("\u90f7\u571f\u8cc7\u6599\u5ba4\u306f\u6765\u6708\u518d\u958b\u3059\u308b") == 6
    assert word_count("Tokyo \u6771\u4eac") == 2


def test_hashes():
    assert text_hash("A  b. C!") == text_hash("a b c")
    assert content_hash("x") == content_hash(b"x") != content_hash(b"y")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalising_any_text_never_raises_and_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once
    assert words(once) == words(text)  # tokens do not depend on spacing, quotes or dashes
    assert len(text_hash(text)) == 40
