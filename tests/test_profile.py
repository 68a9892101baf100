from pipelines.profile import profile, term_weights


def test_rare_telling_words_outweigh_common_ones():
    weights = term_weights("The MPs made calls to the hotline. Chope defended the calls. The calls went on.")
    assert weights["chope"] > weights["call"] > 0
    assert "the" not in weights


def test_profile_holds_what_comparison_needs(tmp_path):
    text = ("Charities asked MPs to stop calling the immigration hotline after 68 calls last year. "
            "\u201cWe will not report anyone who asks for help,\u201d said Diane Abbott.")
    p = profile(text, "Charities ask MPs to stop", "2018-10-19")
    assert p["published"] == "2018-10-19" and p["title"] == "Charities ask MPs to stop"
    assert "hotline" in p["terms"] and p["people"] == ["Diane Abbott"]
    assert [(f["value"], f["noun"]) for f in p["facts"]] == [(68, "call")]
    assert p["quotes"] == ["We will not report anyone who asks for help"]
    assert len(p["signature"]) == 128


def test_signatures_of_near_copies_agree_more_than_of_strangers():
    a = " ".join(f"word{i}" for i in range(200))
    b = a.replace("word50", "changed")
    c = " ".join(f"other{i}" for i in range(200))
    sig = lambda text: profile(text)["signature"]  # noqa: E731
    same = sum(x == y for x, y in zip(sig(a), sig(b)))
    other = sum(x == y for x, y in zip(sig(a), sig(c)))
    assert same > 90 and other < 5
