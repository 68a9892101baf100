import pytest

from pipelines.dedup import Decision, decide, is_authoritative, normalise_url, page_keys

BASE = "https://www.paper.example/politics/2018/oct/19/mps-hotline"


@pytest.mark.parametrize("variant", [
    BASE,
    BASE + "/",
    BASE + "?utm_source=rss&utm_medium=feed",
    BASE + "?ref=frontpage#comments",
    "http://paper.example/politics/2018/oct/19/mps-hotline",
    "https://m.paper.example/politics/2018/oct/19/mps-hotline",
    "https://www.paper.example/amp/politics/2018/oct/19/mps-hotline",
    "https://www.paper.example/politics/2018/oct/19/mps-hotline/amp",
    "https://WWW.Paper.Example:443/politics/2018/oct/19/mps-hotline?amp=1",
])
def test_trivial_variants_share_one_form(variant):
    assert normalise_url(variant) == normalise_url(BASE) == "https://paper.example/politics/2018/oct/19/mps-hotline"


def test_content_parameters_and_ports_are_kept():
    assert normalise_url("https://paper.example/story?id=12&page=2") == "https://paper.example/story?id=12&page=2"
    assert normalise_url("https://paper.example/story?page=2&id=12") == "https://paper.example/story?id=12&page=2"
    assert normalise_url("http://127.0.0.1:8001/a") != normalise_url("http://127.0.0.1:8002/a")
    assert normalise_url("https://paper.example/sample-story") != normalise_url("https://paper.example/example-story")


def test_canonical_link_counts_only_on_the_same_site():
    urls, keys, _ = page_keys(BASE + "?utm_source=x", BASE + "?utm_source=x", BASE, "text")
    assert urls == [BASE, BASE + "?utm_source=x"]
    assert keys == ["https://paper.example/politics/2018/oct/19/mps-hotline"]
    # A syndicated copy pointing at the wire's original is not the wire's story.
    urls, keys, _ = page_keys("https://copy.example/a", "https://copy.example/a", "https://wire.example/a", "t")
    assert urls == ["https://copy.example/a"]


def test_text_hash_ignores_case_space_and_punctuation():
    assert page_keys(BASE, BASE, None, "MPs made 68 calls.")[2] == page_keys(BASE, BASE, None, "mps  made 68 calls")[2]
    assert page_keys(BASE, BASE, None, "MPs made 68 calls")[2] != page_keys(BASE, BASE, None, "MPs made 69 calls")[2]


def test_authoritative_fetches():
    assert is_authoritative(BASE, BASE, BASE)
    assert is_authoritative(BASE, BASE, None)
    assert not is_authoritative(BASE + "/amp", BASE + "/amp", BASE)
    assert is_authoritative("https://copy.example/a", "https://copy.example/a", "https://wire.example/a")


def story(id_, text_hash, urls, authoritative=1):
    return lambda keys: {"id": id_, "text_hash": text_hash, "urls": urls,
                         "text_authoritative": authoritative}


def nothing(*args):
    return None


def test_decisions():
    known = story(7, "h1", {BASE: "h1"})
    assert decide([BASE], [BASE], True, ["k"], "h1", "o", nothing, nothing) == Decision("new")
    assert decide([BASE], [BASE], True, ["k"], "h1", "o", known, nothing) == Decision("unchanged", 7)
    assert decide([BASE, BASE + "/"], [BASE + "/"], False, ["k"], "h1", "o", known, nothing) == Decision("new_url", 7)
    assert decide([BASE], [BASE], True, ["k"], "h2", "o", known, nothing) == Decision("revision", 7)
    # An AMP page whose text differs a little is a second URL, not an edit.
    amp = BASE + "/amp"
    assert decide([BASE, amp], [amp], False, ["k"], "h3", "o", known, nothing) == Decision("new_url", 7)
    # First seen through its AMP page, the story takes the page's own text when it comes.
    via_amp = story(7, "h-amp", {amp: "h-amp", BASE: None}, authoritative=0)
    assert decide([BASE], [BASE], True, ["k"], "h1", "o", via_amp, nothing) == Decision("better_text", 7)
    same_text = lambda h, outlet: {"id": 9, "text_hash": h}  # noqa: E731
    assert decide(["https://x/b"], ["https://x/b"], True, ["kb"], "h1", "o", nothing, same_text) == Decision("same_text", 9)
