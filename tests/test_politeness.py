"""Politeness shared through Redis (a real redis-server on 127.0.0.1): crawlers take an
outlet's turns from one place, so together they keep its delay and concurrency, and a
Retry-After holds them all."""

import sys
from pathlib import Path

from crawler.distributed import connect
from crawler.politeness import FULL_POLL, SharedPoliteness
from test_distributed import ReplyLosingProxy, pytestmark, redis_url  # noqa: F401 - the fixture, and the skip without redis



def test_turns_keep_the_delay_and_the_concurrency_between_crawlers(redis_url):
    one, two = (SharedPoliteness(connect(redis_url), lease_seconds=30) for _ in range(2))  # two crawlers
    assert one.take("paper.example", 2.0, 2, "a") == 0
    wait = two.take("paper.example", 2.0, 2, "b")
    assert 1.5 < wait <= 2.0  # the other crawler's request went just now
    assert two.take("other.example", 2.0, 2, "c") == 0  # each outlet its own turns
    assert one.take("quick.example", 0.0, 2, "d") == 0 and two.take("quick.example", 0.0, 2, "e") == 0
    assert one.take("quick.example", 0.0, 2, "f") == FULL_POLL  # both leases taken
    two.release("quick.example", "e")
    assert one.take("quick.example", 0.0, 2, "f") == 0


def test_a_turn_whose_reply_was_lost_is_still_this_requests(redis_url):
    import hashlib

    from crawler.politeness import _TAKE

    connect(redis_url).script_load(_TAKE)  # known to Redis: the first command is the take itself
    proxy = ReplyLosingProxy(redis_url, {hashlib.sha1(_TAKE.encode()).hexdigest().encode(): 1})
    turns = SharedPoliteness(connect(proxy.url, outage_wait=10), lease_seconds=30)
    # Taken in Redis, unanswered, sent again: the lease is this request's, it goes now
    # (it used to wait on its own lease for the lease's 30 s).
    assert turns.take("paper.example", 2.0, 1, "a") == 0 and proxy.lost
    assert 1.0 < turns.take("paper.example", 2.0, 1, "b") <= 2.0  # the next waits for the delay (from a's take)


def test_a_retry_after_holds_every_crawler(redis_url):
    one, two = (SharedPoliteness(connect(redis_url), lease_seconds=30) for _ in range(2))
    assert one.take("paper.example", 0.5, 2, "a") == 0
    one.hold("paper.example", 20)  # the outlet answered 429, Retry-After: 20
    assert 19 < two.take("paper.example", 0.5, 2, "b") <= 20
    two.hold("paper.example", 1)  # a shorter hold does not shorten a longer one
    assert 18 < one.take("paper.example", 0.5, 2, "c") <= 20


def test_four_crawlers_ask_an_outlet_no_more_often_than_its_delay(redis_url):
    from benchmarks import politeness

    result = politeness.measure(crawlers=4, pages=12, delay=1.0, redis_url=redis_url, timeout=300)
    assert result["exit_codes"] == [0] * 5 and result["stories"] == 12
    # robots.txt (once per crawler that asks), the feed and the articles, from the outlet's
    # log: the turns are a second apart at Redis; a busy machine may send one a little late.
    assert result["requests"] >= 14
    assert result["mean_per_s"] <= 1.1 and result["most_in_2s"] <= 3, result["log"]


def test_a_retry_after_from_the_outlet_holds_every_crawler(redis_url):
    from benchmarks import politeness

    result = politeness.measure(crawlers=3, pages=3, delay=0.2, retry_after=3, redis_url=redis_url, timeout=300)
    assert result["exit_codes"] == [0] * 4 and result["stories"] == 3
    log = result["log"]
    refused = [i for i, (_t, _path, status) in enumerate(log) if status == 429]
    assert len(refused) == 3  # each article once, then fetched
    for i in refused:  # whoever asks next, any crawler, asks after the wait (less a little jitter)
        if i + 1 < len(log):
            assert log[i + 1][0] - log[i][0] >= 2.8, log
