from pathlib import Path

import pytest

from crawler.watch import WatchError, load_watch

REPO = Path(__file__).resolve().parent.parent

GOOD = """
[watch]
name = "test"
interval = "30m"

[crawl]
download_delay = 0

[[source]]
id = "seed"
path = "seed.txt"
url = "https://example.org/seed"

[[outlet]]
id = "paper"
name = "The Paper"
homepage = "https://www.paper.example/"
feeds = ["https://www.paper.example/rss"]

[[outlet]]
id = "wire"
homepage = "https://wire.example/"
sitemaps = ["https://wire.example/sitemap.xml"]
interval = "15m"
"""


def write(tmp_path, text, name="watch.toml"):
    (tmp_path / "seed.txt").write_text("A source article.", encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_watch_loads_with_the_seed_source():
    watch = load_watch(REPO / "data" / "watch.toml")
    assert watch.sources[0].path.read_text(encoding="utf-8").startswith("Charities Tell")
    assert len(watch.outlets) >= 10
    assert all(o.feeds or o.sitemaps for o in watch.outlets)
    assert {"bbc", "guardian", "gov-uk-home-office"} <= {o.id for o in watch.outlets}


def test_valid_watch(tmp_path):
    watch = load_watch(write(tmp_path, GOOD))
    assert watch.name == "test" and watch.interval == 1800
    assert watch.crawl == {"DOWNLOAD_DELAY": 0.0}
    paper, wire = watch.outlets
    assert paper.domains == ("paper.example",) and wire.name == "wire"
    assert wire.interval == 900 and paper.interval is None
    assert watch.sources[0].path == tmp_path / "seed.txt"
    assert watch.outlet_for("https://paper.example/2018/story") is paper
    assert watch.outlet_for("https://elsewhere.example/") is None


@pytest.mark.parametrize("change, line, key", [
    (('feeds = ["https://www.paper.example/rss"]', 'feeds = ["ftp://paper.example/rss"]'), 18, "outlet[1].feeds"),
    (('interval = "15m"', 'interval = "often"'), 24, "outlet[2].interval"),
    (('name = "The Paper"', 'name = "The Paper"\ncolour = "red"'), 17, "outlet[1].colour"),
    (('id = "wire"', 'id = "paper"'), 21, "outlet[2].id"),
    (('download_delay = 0', 'download_delay = "slow"'), 7, "crawl.download_delay"),
    (('download_delay = 0', 'speed = 3'), 7, "crawl.speed"),
    (('download_delay = 0', 'download_timeout = -5'), 7, "crawl.download_timeout"),
    (('download_delay = 0', 'private_hosts = ["ok.example", ""]'), 7, "crawl.private_hosts"),
    (('download_delay = 0', 'private_hosts = "intranet"'), 7, "crawl.private_hosts"),
    (('download_delay = 0', 'search = ["bing"]'), 7, "crawl.search"),
    (('path = "seed.txt"', 'path = "missing.txt"'), 11, "source[1].path"),
    (('path = "seed.txt"', 'path = "seed.txt"\npublished = "3 June"'), 12, "source[1].published"),
    (('path = "seed.txt"', 'path = "seed.txt"\npublished = "12/10/2018"'), 12, "source[1].published"),
])
def test_invalid_watch_names_file_line_and_key(tmp_path, change, line, key):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(WatchError) as err:
        load_watch(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: {key}: ")


def test_toml_syntax_error_is_one_line_with_position(tmp_path):
    path = write(tmp_path, GOOD.replace('name = "test"', 'name = "test'))
    with pytest.raises(WatchError, match=r"watch\.toml: not valid TOML: .*line 3"):
        load_watch(path)


def test_missing_file_and_empty_watch(tmp_path):
    with pytest.raises(WatchError, match="watch file not found"):
        load_watch(tmp_path / "nope.toml")
    with pytest.raises(WatchError, match="nothing to crawl"):
        load_watch(write(tmp_path, "[watch]\nname = 'x'\n"))


def test_an_outlet_written_as_toml_reads_back_the_same(tmp_path):
    from crawler.watch import Outlet, outlet_toml

    outlet = Outlet(id="paper", name='The "Paper"', homepage="https://paper.example/",
                    feeds=("https://paper.example/rss",), sitemaps=(), domains=("paper.example",), interval=900)
    path = write(tmp_path, outlet_toml(outlet))
    assert load_watch(path).outlets == (outlet,)


def test_a_source_date_may_be_a_toml_date_or_an_iso_string(tmp_path):
    for written, read in (("2018-10-12", "2018-10-12"), ('"2018-10-12"', "2018-10-12"),
                          ('"2018-10-12T08:30:00+01:00"', "2018-10-12T08:30:00+01:00")):
        path = write(tmp_path, GOOD.replace('path = "seed.txt"', f'path = "seed.txt"\npublished = {written}'))
        assert load_watch(path).sources[0].published == read


ALERTS = GOOD + """
[[alert]]
id = "feed"
type = "atom"
path = "feeds/test.atom"

[[alert]]
id = "mail"
type = "email"
host = "smtp.example.org"
from = "newsmon@example.org"
to = ["desk@example.org"]
username_env = "NEWSMON_SMTP_USER"
password_env = "NEWSMON_SMTP_PASSWORD"
digest = "daily"

[[alert]]
id = "chat"
type = "webhook"
url_env = "NEWSMON_SLACK_URL"
format = "slack"
secret_env = "NEWSMON_HOOK_SECRET"
kinds = ["same_story", "related", "revision"]
"""


def test_alert_tables(tmp_path):
    from crawler.watch import DEFAULT_ALERT_KINDS

    feed, mail, chat = load_watch(write(tmp_path, ALERTS)).alerts
    assert feed.type == "atom" and feed.path == tmp_path / "feeds" / "test.atom"
    assert feed.kinds == DEFAULT_ALERT_KINDS and "related" not in feed.kinds  # off by default
    assert (mail.host, mail.port, mail.tls, mail.sender, mail.to) == (
        "smtp.example.org", 587, "starttls", "newsmon@example.org", ("desk@example.org",))
    assert mail.password_env == "NEWSMON_SMTP_PASSWORD" and mail.digest == "daily"
    assert chat.url is None and chat.url_env == "NEWSMON_SLACK_URL" and chat.format == "slack"
    assert chat.kinds == ("same_story", "related", "revision") and chat.retries == 3
    assert load_watch(write(tmp_path, GOOD)).alerts == ()


@pytest.mark.parametrize("change, line, key, says", [
    (('type = "atom"', 'type = "pigeon"'), 28, "alert[1].type", "not a channel type"),
    (('path = "feeds/test.atom"', 'colour = "red"'), 29, "alert[1].colour", "unknown key"),
    (('id = "chat"', 'id = "mail"'), 42, "alert[3].id", "duplicate id"),
    (('password_env = "NEWSMON_SMTP_PASSWORD"', 'password = "hunter2"'), 38, "alert[2].password",
     "secrets are not read from the watch file"),
    (('username_env = "NEWSMON_SMTP_USER"\n', ''), 31, "alert[2].username_env", "needs both"),
    (('to = ["desk@example.org"]', 'to = ["desk"]'), 36, "alert[2].to", "not an email address"),
    (('digest = "daily"', 'digest = "daily"\ntls = "none"'), 40, "alert[2].tls", "never sent unencrypted"),
    (('digest = "daily"', 'digest = "hourly"'), 39, "alert[2].digest", '"crawl"'),
    (('host = "smtp.example.org"', 'host = "smtp.example.org:25"'), 34, "alert[2].host", "port"),
    (('url_env = "NEWSMON_SLACK_URL"', 'url_env = "NOT A NAME"'), 44, "alert[3].url_env", "environment variable"),
    (('url_env = "NEWSMON_SLACK_URL"', 'url = "ftp://hooks.example/x"'), 44, "alert[3].url", "http(s)"),
    (('url_env = "NEWSMON_SLACK_URL"\n', ''), 41, "alert[3].url", "needs url or url_env"),
    (('format = "slack"', 'format = "teams"'), 45, "alert[3].format", "not one of"),
    (('kinds = ["same_story", "related", "revision"]', 'kinds = ["gossip"]'), 47, "alert[3].kinds", "gossip"),
    (('secret_env = "NEWSMON_HOOK_SECRET"', 'secret = "s3cret"'), 46, "alert[3].secret", "secret_env"),
])
def test_invalid_alert_names_file_line_and_key(tmp_path, change, line, key, says):
    path = write(tmp_path, ALERTS.replace(*change))
    with pytest.raises(WatchError) as err:
        load_watch(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path}:{line}: {key}: ") and says in message
    assert "hunter2" not in message and "s3cret" not in message


def test_a_source_may_name_its_outlet_and_a_watch_written_as_toml_keeps_it(tmp_path):
    from crawler.watch import watch_toml

    path = write(tmp_path, GOOD.replace('url = "https://example.org/seed"', 'outlet = "The Paper"'))
    watch = load_watch(path)
    assert watch.sources[0].outlet == "The Paper" and watch.sources[0].url is None
    assert load_watch(write(tmp_path, watch_toml(watch), "again.toml")).sources == watch.sources
    for bad in ("outlet = 3", 'outlet = ""'):
        with pytest.raises(WatchError, match=r"source\[1\]\.outlet: must be a non-empty string"):
            load_watch(write(tmp_path, GOOD.replace('url = "https://example.org/seed"', bad)))
