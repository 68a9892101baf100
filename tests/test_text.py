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


def _counted(tokens):  # the count word_count gives a text's words: two unspaced characters a word
    from pipelines.text import _UNSPACED
    unspaced = [len(_UNSPACED.findall(t)) for t in tokens]
    return sum((len(t) - n > 0) + (n + 1) // 2 for t, n in zip(tokens, unspaced))


# Characters that normalising or lower-casing turns into another word's edge, or into
# half-width forms of an unspaced script: a word count that skips normalising must not miss them.
_AWKWARD = list("ab Z'\u2019\u2018\u201a\u201b\u0130\u0131\u017f\u212a\u6771\u4eac\uff71\uff72\u00bd\u00b2\ufb01"
                "\u2014\u2013\u201c\u201d\u00a0\u0301e\u0307_-.,1\u3000\u2028")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_AWKWARD) | st.characters(), max_size=30))
def test_word_count_is_the_count_of_the_normalised_words(text):
    # (word_count reads most text as it is, without normalising: it must count what words() gives)
    assert word_count(text) == _counted(words(text))


def test_word_count_normalises_what_changes_words():
    assert word_count("don\u2018t stop") == 2  # a left quote as an apostrophe: one word
    assert word_count("\u0130stanbul") == len(words("\u0130stanbul"))
    assert word_count("\uff71\uff72\uff73 half") == 3  # half-width katakana normalise to full width


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_AWKWARD + list("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2029")) | st.characters()))
def test_normalise_collapses_every_kind_of_space(text):
    import re
    import unicodedata

    from pipelines.text import _QUOTES
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES) if not text.isascii() else text
    assert normalise(text) == re.sub(r"\s+", " ", folded).strip()
