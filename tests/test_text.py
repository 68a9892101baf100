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


_NAMES = ["Mail on Sunday", "MAIL ON SUNDAY", "Sunday", "Sundays", "Good Friday", "super tuesday", "Monday Night",
          "Football", "Subscribe to continue reading", "\u0130", "\u017f", "\u212a", "\u0131", " ", "x", "."]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NAMES) | st.text(max_size=3), max_size=10).map("".join))
def test_case_blind_search_and_substitution_are_the_regexs(text):
    # (searched in the lower-cased text; a long s, a Kelvin sign or a Turkish i searched as before)
    import re

    from pipelines.text import blind_search, blind_sub
    days = re.compile(r"\b(?:mail on sunday|super tuesday|good friday|monday night football)\b", re.I)
    wall = re.compile(r"subscribe (?:now )?to continue reading|already a subscriber\?", re.I)
    assert blind_sub(days, " ", text) == days.sub(" ", text)
    assert blind_search(wall, text) == (wall.search(text) is not None)


def test_a_case_blind_pattern_is_found_in_any_case():
    import re

    from pipelines.text import blind_search, blind_sub
    wall = re.compile(r"subscribe (?:now )?to continue reading|already a subscriber\?", re.I)
    assert blind_search(wall, "The story.\nSUBSCRIBE TO CONTINUE READING")
    assert blind_search(wall, "Already a \u017fubscriber? Sign in")  # (a long s is an s to the regex)
    assert not blind_search(wall, "The story, and subscribers read on.")
    days = re.compile(r"\bmail on sunday\b", re.I)
    assert blind_sub(days, " ", "Told the MAIL ON SUNDAY on Sunday") == "Told the   on Sunday"


_SENTENCE_PIECES = ["Mr. Smith said so. ", "It rose 5.5%. ", "\n", "\n\n", "\"Go,\" she said. ", "no stop here ",
                    "Dr. ", "Why? ", "(A) note. ", "  "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCE_PIECES) | st.text(max_size=8), max_size=14).map("".join),
       st.integers(min_value=0, max_value=6))
def test_a_texts_first_sentences_are_the_first_of_all_its_sentences(text, first):
    from pipelines.text import sentences
    assert sentences(text, first) == sentences(text)[:first]
