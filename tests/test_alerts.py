"""Alerts: what is worth telling, told once per channel through real channels: an Atom
file read back with feedparser, a real SMTP server (aiosmtpd, STARTTLS and login) and a
real HTTP server for the webhook, all on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import hashlib
import hmac
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from crawler.notify import send_due, try_channels
from crawler.watch import Alert, Source, Watch, load_watch
from newsmon.cli import cli
from pipelines import alerts
from pipelines.archive import Archive
from pipelines.dedup import page_keys

REPO = Path(__file__).resolve().parent.parent
SOURCE = {"id": "src", "title": "MPs and the hotline", "text": "MPs called the hotline 68 times."}
T0 = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


# --- a small archive, written through the archive's own writer ---------------------------

def page(url, text, outlet="paper", title="MPs and the hotline", label="same_story", conflicts=(),
         fetched_at="2026-01-01T10:00:00+00:00"):
    urls, keys, text_hash = page_keys(url, url, None, text)
    return {"outlet": outlet, "outlet_name": outlet.title(), "urls": urls, "keys": keys, "fetched_urls": [url],
            "authoritative": True, "text_hash": text_hash, "fetched_at": fetched_at, "discovered_via": "feed",
            "relevance": {"label": label, "topic_score": 1.0, "same_story_score": 0.9, "source_id": "src"},
            "comparisons": [{"source_id": "src", "similarity": 0.5, "same_story_score": 0.9,
                             "facts_conflict": list(conflicts)}],
            "article": {"title": title, "text": text, "authors": [], "published": "2018-10-19T08:00:00+01:00",
                        "date_source": "jsonld", "modified": None, "language": "en", "sitename": outlet,
                        "canonical_url": None, "section": None, "description": None, "image": None,
                        "word_count": len(text.split()), "sources": {}}}


def story_text(n: int, extra: str = "") -> str:
    # Different words per story, so no two are near-duplicates unless meant to be.
    words = " ".join(f"w{n}x{i}" for i in range(60))
    return f"Story {n} opens here. {words}. MPs called the hotline. {extra}".strip()


WIRE = ("Charities asked MPs to stop passing constituents' details to immigration enforcement. "
        + " ".join(f"wire{i}" for i in range(80)) + ". The pledge has support across the opposition.")
CONFLICT = {"noun": "calls", "story_value": 86, "source_value": 68,
            "story_sentence": "MPs called the hotline 86 times.", "source_sentence": "MPs called the hotline 68 times."}


def build(db_path) -> dict:
    """Two outlets' same-story articles, one with a conflicting figure, a wire story and its
    copy at the other outlet, a related article: what a first crawl stores."""
    with Archive(db_path) as archive:
        archive.add_source(SOURCE)
        ids = {}
        for name, p in (("a", page("https://paper.example/a", story_text(1), conflicts=[CONFLICT])),
                        ("b", page("https://other.example/b", story_text(2), outlet="other")),
                        ("wire", page("https://paper.example/wire", WIRE, title="Charities and MPs")),
                        ("copy", page("https://other.example/wire-copy", WIRE + " Reporting by staff.",
                                      outlet="other", title="Charities and MPs")),
                        ("related", page("https://paper.example/r", story_text(3), label="related"))):
            (_outcome, ids[name]), = archive.add_pages_detailed([p])
    return ids


def revise(db_path, new_sentence="MPs have now called the hotline 70 times."):
    with Archive(db_path) as archive:
        archive.add_pages([page("https://paper.example/a", story_text(1, new_sentence), conflicts=[CONFLICT],
                                fetched_at="2026-01-02T10:00:00+00:00")])


def watch_with(tmp_path, *channels, crawl=None) -> Watch:
    return Watch(name="w", path=None, sources=(Source(id="src", url="https://paper.example/src"),),
                 outlets=(), crawl={"NEWSMON_ALLOW_PRIVATE_ADDRESSES": True} if crawl is None else crawl,
                 alerts=channels)


def atom(tmp_path, **kw) -> Alert:
    return Alert(id="feed", type="atom", path=tmp_path / "feeds" / "w.atom", **kw)


# --- what is worth telling ----------------------------------------------------------------

def test_items_are_read_from_the_archive_once_each(tmp_path):
    db = tmp_path / "a.db"
    ids = build(db)
    with Archive(db) as archive:
        found = alerts.find_items(archive, ("src",))
        kinds = sorted((i["kind"], i["story_id"]) for i in found)
        assert kinds == sorted([
            ("same_story", ids["a"]), ("same_story", ids["b"]), ("same_story", ids["wire"]),
            ("copy", ids["copy"]),  # folded into the wire story's group, not new coverage of its own
            ("related", ids["related"]),
            ("new_outlet", ids["a"]), ("new_outlet", ids["b"]),
            ("conflict", ids["a"])])
        assert alerts.record_items(archive, "w", found) == 8
        assert alerts.record_items(archive, "w", alerts.find_items(archive, ("src",))) == 0  # a rescan adds nothing
        assert alerts.find_items(archive, ("another-source",)) == []  # per source
    revise(db)
    with Archive(db) as archive:
        (revision,) = [i for i in alerts.find_items(archive, ("src",)) if i["kind"] == "revision"]
    assert revision["key"] == f"revision:{ids['a']}:2"
    assert revision["detail"]["added"] == ["MPs have now called the hotline 70 times."]
    assert revision["detail"]["removed"] == []


def test_a_page_flipping_between_two_texts_is_revised_once(tmp_path):
    """A,B,A,B: a known text served again is no new revision; B's first appearance is the news."""
    db = tmp_path / "a.db"
    build(db)
    for n, extra in enumerate(["Edited.", "", "Edited."], start=2):
        with Archive(db) as archive:
            archive.add_pages([page("https://paper.example/a", story_text(1, extra), conflicts=[CONFLICT],
                                    fetched_at=f"2026-01-0{n}T10:00:00+00:00")])
    with Archive(db) as archive:
        assert archive.db.execute("select max(revision) from story_revisions").fetchone()[0] == 2
        keys = [i["key"] for i in alerts.find_items(archive) if i["kind"] == "revision"]
    assert len(keys) == 1 and keys[0].endswith(":2")


# --- messages: a summary first, then each thing once ---------------------------------------

def test_first_send_is_one_summary_then_digests_never_repeat(tmp_path):
    db = tmp_path / "a.db"
    build(db)
    watch = watch_with(tmp_path, atom(tmp_path))
    (first,) = send_due(watch, db, at=T0)
    assert (first["kind"], first["items"], first["status"]) == ("summary", 7, "sent")  # related: off by default
    assert send_due(watch, db, at=T0) == []  # a rerun: nothing new, nothing sent
    revise(db)
    (second,) = send_due(watch, db, at=T0)
    assert (second["kind"], second["items"]) == ("digest", 1)
    assert send_due(watch, db, at=T0) == []
    with Archive(db) as archive:
        told = archive.db.execute("select count(*), count(distinct item_id) from alert_deliveries").fetchone()
    assert told == (8, 8)

    feed = feedparser.parse(str(tmp_path / "feeds" / "w.atom"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "newsmon: w"
    summary, revised = feed.entries[1], feed.entries[0]  # newest first
    assert "now watching" in summary.title and "3 same-story articles" in summary.title
    assert revised.title.startswith("Revised: MPs and the hotline") and revised.link == "https://paper.example/a"
    assert "70 times" in revised.content[0].value
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids)) == 2


def test_related_coverage_only_for_channels_that_ask(tmp_path):
    db = tmp_path / "a.db"
    build(db)
    kinds = ("same_story", "related", "new_outlet", "revision", "conflict", "copy")
    watch = watch_with(tmp_path, atom(tmp_path), Alert(id="all", type="atom", path=tmp_path / "all.atom",
                                                       kinds=kinds),
                       Alert(id="outlets", type="atom", path=tmp_path / "o.atom", kinds=("new_outlet",)))
    outcomes = {o["channel"]: o["items"] for o in send_due(watch, db, at=T0)}
    assert outcomes == {"feed": 7, "all": 8, "outlets": 2}


def test_a_daily_digest_waits_a_day(tmp_path):
    db = tmp_path / "a.db"
    build(db)
    watch = watch_with(tmp_path, replace(atom(tmp_path), digest="daily"))
    assert send_due(watch, db, at=T0)[0]["kind"] == "summary"
    revise(db)
    assert send_due(watch, db, at=T0 + dt.timedelta(hours=23)) == []
    (digest,) = send_due(watch, db, at=T0 + dt.timedelta(hours=24))
    assert digest["kind"] == "digest" and digest["items"] == 1


# --- a real SMTP server: STARTTLS, login, a stall on demand --------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(tmp_path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, trusted by the client through SSL_CERT_FILE."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))
            .not_valid_after(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class MailServer:
    """aiosmtpd on 127.0.0.1: requires STARTTLS and a login; keeps what it accepts.
    ``stall`` (an Event) holds every transaction at RCPT until it is set."""

    def __init__(self, tmp_path, user="desk", password="pa55-word"):
        import ssl

        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        cert, key = self_signed(tmp_path)
        self.cert = cert
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.messages: list[email.message.EmailMessage] = []
        self.at_rcpt = threading.Event()
        self.stall = threading.Event()
        self.stall.set()
        server = self

        class Handler:
            async def handle_RCPT(self, smtp, session, envelope, address, options):  # noqa: N802
                server.at_rcpt.set()
                while not server.stall.is_set():
                    await asyncio.sleep(0.05)
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802
                server.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
                return "250 Message accepted"

        def authenticate(smtp, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False)  # aiosmtpd answers 535 itself

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, tls_context=context,
                                     require_starttls=True, authenticator=authenticate, auth_require_tls=True)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def mail_server(tmp_path, monkeypatch):
    server = MailServer(tmp_path)
    server.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))
    monkeypatch.setenv("TEST_SMTP_USER", "desk")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "pa55-word")
    yield server
    server.stall.set()
    server.stop()


def mail_channel(port, **kw) -> Alert:
    return Alert(id="mail", type="email", host="127.0.0.1", port=port, sender="newsmon@example.org",
                 to=("desk@example.org",), username_env="TEST_SMTP_USER", password_env="TEST_SMTP_PASSWORD",
                 timeout=20, **kw)


def test_email_digest_over_starttls_with_a_login(tmp_path, mail_server):
    db = tmp_path / "a.db"
    build(db)
    watch = watch_with(tmp_path, mail_channel(mail_server.port),
                       crawl={"NEWSMON_PRIVATE_HOSTS": [f"127.0.0.1:{mail_server.port}"]})
    assert [o["status"] for o in send_due(watch, db, at=T0)] == ["sent"]
    revise(db)
    assert [o["kind"] for o in send_due(watch, db, at=T0)] == ["digest"]
    assert send_due(watch, db, at=T0) == []
    summary, revised = mail_server.messages
    assert summary["Subject"].startswith("newsmon: w: now watching: 3 same-story articles")
    assert revised["Subject"] == "newsmon: w: 1 revision"
    assert revised.get_content_type() == "multipart/alternative"
    text = revised.get_body(("plain",)).get_content()
    html_part = revised.get_body(("html",)).get_content()
    assert "+ MPs have now called the hotline 70 times." in text and "<a href=\"https://paper.example/a\">" in html_part
    with Archive(db) as archive:
        uids = [r["uid"] for r in alerts.history(archive, "w")][::-1]
    assert [m["Message-ID"] for m in mail_server.messages] == [f"<{u}.mail@newsmon.invalid>" for u in uids]


def test_a_channel_down_is_retried_then_sent_and_shown_in_status(tmp_path, mail_server, monkeypatch):
    db = tmp_path / "a.db"
    build(db)
    watch = watch_with(tmp_path, mail_channel(mail_server.port),
                       crawl={"NEWSMON_PRIVATE_HOSTS": [f"127.0.0.1:{mail_server.port}"]})
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong-password")
    (failed,) = send_due(watch, db, at=T0)
    assert failed["status"] == "failed" and "login refused (535)" in failed["error"]
    assert "wrong-password" not in failed["error"]
    assert send_due(watch, db, at=T0 + dt.timedelta(minutes=1)) == []  # backing off: not yet
    (again,) = send_due(watch, db, at=T0 + dt.timedelta(minutes=2))
    assert again["status"] == "failed"
    with Archive(db) as archive:
        (row,) = alerts.history(archive, "w")
    assert row["attempts"] == 2 and row["next_attempt"] == (T0 + dt.timedelta(minutes=6)).isoformat()
    revise(db)  # more comes while the channel is down: it waits for the first message
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "pa55-word")
    later = T0 + dt.timedelta(days=1)
    outcomes = send_due(watch, db, at=later)
    assert [(o["kind"], o["items"], o["status"]) for o in outcomes] == [("summary", 7, "sent"), ("digest", 1, "sent")]
    assert len(mail_server.messages) == 2


def test_status_shows_a_failing_channel_without_its_secret(tmp_path, mail_server, monkeypatch):
    db = tmp_path / "a.db"
    build(db)
    path = tmp_path / "watch.toml"
    path.write_text(f"""
[watch]
name = "w"
[crawl]
private_hosts = ["127.0.0.1:{mail_server.port}"]
[[source]]
id = "src"
url = "https://paper.example/src"
[[alert]]
id = "mail"
type = "email"
host = "127.0.0.1"
port = {mail_server.port}
from = "newsmon@example.org"
to = ["desk@example.org"]
username_env = "TEST_SMTP_USER"
password_env = "TEST_SMTP_PASSWORD"
""", encoding="utf-8")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong-password")
    runner = CliRunner()
    sent = runner.invoke(cli, ["alerts", "send", "--watch", str(path), "--db", str(db)])
    assert sent.exit_code == 1 and "login refused" in sent.output
    status = runner.invoke(cli, ["status", "--watch", str(path), "--db", str(db)])
    assert status.exit_code == 0, status.output
    assert "mail (email): nothing sent yet; FAILING: 7 items waiting" in status.output
    assert "login refused (535)" in status.output
    listed = runner.invoke(cli, ["alerts", "list", "--db", str(db), "--json"])
    (row,) = json.loads(listed.output)
    assert row["status"] == "failed" and row["channel"] == "mail"
    for out in (sent.output, status.output, listed.output):
        assert "wrong-password" not in out
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "pa55-word")
    tested = runner.invoke(cli, ["alerts", "test", "--watch", str(path), "--db", str(db)])
    assert tested.exit_code == 0 and "mail (email): sample message test-" in tested.output
    assert mail_server.messages[-1]["Subject"] == "newsmon: w: test message for channel mail"
    with Archive(db) as archive:
        assert archive.db["alert_deliveries"].count == 7  # the sample is not recorded


# --- a real HTTP server for the webhook -----------------------------------------------------

class HookServer:
    """Keeps every POST (path, headers, JSON body); answers from ``statuses`` (then 200);
    ``stall`` (an Event) holds each request, unanswered, until it is set."""

    def __init__(self):
        self.posts: list[dict] = []
        self.statuses: list[int] = []
        self.arrived = threading.Event()
        self.stall = threading.Event()
        self.stall.set()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.arrived.set()
                hook.stall.wait(60)
                status = hook.statuses.pop(0) if hook.statuses else 200
                hook.posts.append({"path": self.path, "headers": dict(self.headers), "raw": body,
                                   "json": json.loads(body), "status": status})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self) -> list[dict]:
        return [p for p in self.posts if p["status"] == 200]

    def close(self):
        self.stall.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook_server():
    server = HookServer()
    yield server
    server.close()


def test_webhook_json_with_an_hmac_signature_and_retries(tmp_path, hook_server, monkeypatch):
    db = tmp_path / "a.db"
    build(db)
    monkeypatch.setenv("TEST_HOOK_SECRET", "k3y-for-hmac")
    channel = Alert(id="hook", type="webhook", url=hook_server.url + "/hooks/newsmon?token=abc123",
                    secret_env="TEST_HOOK_SECRET", retries=3, timeout=20)
    hook_server.statuses = [503, 500]  # two failures, then the third try goes through
    (outcome,) = send_due(watch_with(tmp_path, channel), db, at=T0)
    assert outcome["status"] == "sent"
    assert [p["status"] for p in hook_server.posts] == [503, 500, 200]
    post = hook_server.posts[-1]
    assert post["path"] == "/hooks/newsmon?token=abc123"
    expected = hmac.new(b"k3y-for-hmac", post["raw"], hashlib.sha256).hexdigest()
    assert post["headers"]["X-Newsmon-Signature-256"] == f"sha256={expected}"
    body = post["json"]
    assert body["kind"] == "summary" and body["id"] == post["headers"]["X-Newsmon-Delivery"]
    assert body["counts"] == {"same_story": 3, "copy": 1, "new_outlet": 2, "conflict": 1}
    wire = next(e for e in body["entries"] if e["links"])
    assert wire["notes"][0] == "also run by Other" and len(wire["keys"]) == 2  # the copy folded in
    assert {p["raw"] for p in hook_server.posts} == {post["raw"]}  # every try the same bytes

    hook_server.statuses = [404]
    revise(db)
    (failed,) = send_due(watch_with(tmp_path, channel), db, at=T0)
    assert failed["status"] == "failed" and failed["error"] == f"webhook http://127.0.0.1:{hook_server.port}: HTTP 404"
    assert len(hook_server.posts) == 4  # a refusal is not retried at once (it is at the next send)


@pytest.mark.parametrize("fmt", ["slack", "matrix"])
def test_slack_and_matrix_bodies(tmp_path, hook_server, fmt):
    db = tmp_path / "a.db"
    build(db)
    channel = Alert(id="chat", type="webhook", url=hook_server.url + "/", format=fmt)
    send_due(watch_with(tmp_path, channel), db, at=T0)
    body = hook_server.posts[0]["json"]
    if fmt == "slack":
        assert "<https://paper.example/a|MPs and the hotline>" in body["text"]
    else:
        assert body["msgtype"] == "m.text" and body["format"] == "org.matrix.custom.html"
        assert '<a href="https://paper.example/a">MPs and the hotline</a>' in body["formatted_body"]
        assert "now tells this channel" in body["body"]


def test_private_hosts_are_refused_unless_the_watch_allows_them(tmp_path, hook_server, mail_server, monkeypatch):
    db = tmp_path / "a.db"
    build(db)
    monkeypatch.setenv("TEST_HOOK_URL", hook_server.url + "/T000/B000/s3cr3t-path")
    hook = Alert(id="hook", type="webhook", url_env="TEST_HOOK_URL")
    mail = mail_channel(mail_server.port)
    public_only = watch_with(tmp_path, hook, mail, crawl={})
    outcomes = send_due(public_only, db, at=T0)
    assert [o["status"] for o in outcomes] == ["failed", "failed"]
    assert all("private, loopback or link-local" in o["error"] for o in outcomes)
    assert "s3cr3t-path" not in outcomes[0]["error"]
    assert hook_server.posts == [] and mail_server.messages == []
    # A name that resolves to a private address is refused as a literal one is.
    named = replace(hook, id="named", url_env=None, url=f"http://localhost:{hook_server.port}/")
    (refused,) = send_due(watch_with(tmp_path, named, crawl={}), db, at=T0)
    assert "localhost is a local name" in refused["error"]
    just_these = watch_with(tmp_path, hook, mail, crawl={"NEWSMON_PRIVATE_HOSTS": [
        f"127.0.0.1:{hook_server.port}", f"127.0.0.1:{mail_server.port}"]})
    assert [o["status"] for o in send_due(just_these, db, at=T0 + dt.timedelta(hours=1))] == ["sent", "sent"]
    with Archive(db) as archive:
        stored = json.dumps(alerts.history(archive))
    assert "s3cr3t-path" not in stored


def test_alerts_test_says_what_happened_per_channel(tmp_path, hook_server):
    watch = watch_with(tmp_path, atom(tmp_path), Alert(id="hook", type="webhook", url=hook_server.url + "/"),
                       Alert(id="unset", type="webhook", url_env="NEWSMON_TEST_UNSET_VARIABLE"))
    results = {r["channel"]: r for r in try_channels(watch, tmp_path / "a.db")}
    assert results["feed"]["status"] == "ok" and "writable" in results["feed"]["detail"]
    assert not (tmp_path / "feeds" / "w.atom").exists()  # its readers see no sample
    assert results["hook"]["status"] == "sent" and hook_server.posts[0]["json"]["kind"] == "test"
    assert results["unset"]["status"] == "failed"
    assert results["unset"]["error"] == ("channel unset: environment variable NEWSMON_TEST_UNSET_VARIABLE "
                                         "is not set (the watch's url_env)")


# --- exactly once: the scheduler killed in the middle of a send ------------------------------

def wait_for(check, what: str, seconds: float = 120):
    import time

    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"waited {seconds:.0f}s for {what}"
        time.sleep(0.2)


def messages(db) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("select * from alert_messages order by id")]
    finally:
        conn.close()


@pytest.mark.crawl
def test_killing_the_scheduler_mid_send_loses_nothing_and_sends_nothing_twice(
        tmp_path, mail_server, hook_server):
    db = tmp_path / "a.db"
    build(db)
    path = tmp_path / "watch.toml"
    path.write_text(f"""
[watch]
name = "w"
interval = "1d"
[crawl]
private_hosts = ["127.0.0.1:{mail_server.port}", "127.0.0.1:{hook_server.port}"]
[[source]]
id = "src"
url = "https://paper.example/src"
[[alert]]
id = "mail"
type = "email"
host = "127.0.0.1"
port = {mail_server.port}
from = "newsmon@example.org"
to = ["desk@example.org"]
username_env = "TEST_SMTP_USER"
password_env = "TEST_SMTP_PASSWORD"
[[alert]]
id = "hook"
type = "webhook"
url = "{hook_server.url}/in"
[[alert]]
id = "feed"
type = "atom"
path = "feed.atom"
""", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def schedule():
        # The scheduler first sends what is due (a killed one's message), then waits a day.
        return subprocess.Popen([sys.executable, "-m", "newsmon.cli", "schedule", "--watch", str(path),
                                 "--db", str(db)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def all_sent(count):
        return lambda: len(messages(db)) == count and all(m["status"] == "sent" for m in messages(db))

    # 1. Killed while the SMTP server holds the summary at RCPT (the mail is not yet accepted).
    mail_server.stall.clear()
    first = schedule()
    try:
        assert mail_server.at_rcpt.wait(120), "the scheduler never reached the SMTP server"
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    finally:
        first.kill()
    (stuck,) = messages(db)
    assert (stuck["channel"], stuck["kind"], stuck["status"], stuck["attempts"]) == ("mail", "summary", "sending", 1)
    mail_server.stall.set()
    second = schedule()
    try:
        wait_for(all_sent(3), "the restarted scheduler to send")
    finally:
        second.kill()
        second.wait(30)
    assert [m["Message-ID"] for m in mail_server.messages] == [f"<{stuck['uid']}.mail@newsmon.invalid>"]
    assert messages(db)[0]["attempts"] == 2  # the same message, tried again

    # 2. Killed while the webhook receiver holds the revision's POST unanswered: the receiver
    # has it, newsmon cannot know; the resend carries the same delivery id and bytes.
    revise(db)
    hook_server.stall.clear()
    hook_server.arrived.clear()
    third = schedule()
    try:
        assert hook_server.arrived.wait(120), "the scheduler never reached the webhook"
        third.send_signal(signal.SIGKILL)
        third.wait(30)
    finally:
        third.kill()
    hook_server.stall.set()
    fourth = schedule()
    try:
        wait_for(all_sent(6), "the restarted scheduler to send")
    finally:
        fourth.kill()
        fourth.wait(30)

    with Archive(db) as archive:
        told = archive.db.execute("select channel, count(*), count(distinct item_id) from alert_deliveries "
                                  "group by channel order by channel").fetchall()
    assert told == [("feed", 8, 8), ("hook", 8, 8), ("mail", 8, 8)]  # every item, once per channel
    assert [m["Subject"] for m in mail_server.messages][1] == "newsmon: w: 1 revision"
    assert len(mail_server.messages) == 2
    ids = [p["headers"]["X-Newsmon-Delivery"] for p in hook_server.posts]
    assert len(ids) == 3 and len(set(ids)) == 2 and ids[1] == ids[2]  # one resend, recognisable
    assert hook_server.posts[1]["raw"] == hook_server.posts[2]["raw"]
    feed = feedparser.parse(str(tmp_path / "feed.atom"))
    assert not feed.bozo and len(feed.entries) == 2 and len({e.id for e in feed.entries}) == 2


# --- the check: the demo web under the scheduler -------------------------------------

def test_the_demo_web_under_the_scheduler_summary_then_one_revision_then_nothing(
        tmp_path, monkeypatch, demo_web, mail_server, hook_server):
    """A real scheduler, its clock faked (as in test_scheduler): three runs, each a real crawl
    of the demo web in a child process, then the alerts. The first run sends one summary,
    the second (one article edited) one revision, the third nothing; the SMTP server, the
    webhook and the Atom file each hold exactly those."""
    import scheduler
    from apscheduler.executors.debug import DebugExecutor
    from apscheduler.schedulers.base import BaseScheduler

    from crawler.watch import outlet_toml

    clock = [dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)]

    class FakeClock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return clock[0].astimezone(tz) if tz else clock[0]

    for module in ("apscheduler.schedulers.base", "apscheduler.triggers.interval", "apscheduler.executors.base",
                   "scheduler"):
        monkeypatch.setattr(f"{module}.datetime", FakeClock)

    class ManualScheduler(BaseScheduler):
        """No thread of its own: the test calls _process_jobs on each tick of the clock."""

        def wakeup(self):
            pass

        def shutdown(self, wait=True):
            super().shutdown(wait)

    demo = demo_web.watch()
    lines = ['[watch]\nname = "demo"\ninterval = "1h"\n',
             "[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n"
             "concurrent_requests_per_domain = 16\nrecheck_ladder = []\n",
             f'[[source]]\nid = "mps-not-border-guards"\npath = "{REPO / "data" / "sources" / "mps-not-border-guards.txt"}"\n'
             f'url = "{demo_web.url("frontier-report/charities-tell-mps-stop-reporting-immigration-crime")}"\n'
             'published = "2018-10-19"\n',
             f'[[alert]]\nid = "mail"\ntype = "email"\nhost = "127.0.0.1"\nport = {mail_server.port}\n'
             'from = "newsmon@example.org"\nto = ["desk@example.org"]\n'
             'username_env = "TEST_SMTP_USER"\npassword_env = "TEST_SMTP_PASSWORD"\n',
             f'[[alert]]\nid = "hook"\ntype = "webhook"\nurl = "{hook_server.url}/in"\n',
             '[[alert]]\nid = "feed"\ntype = "atom"\npath = "demo.atom"\n']
    lines += [outlet_toml(o) for o in demo.outlets]
    path = tmp_path / "watch.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    db = tmp_path / "a.db"
    sched = scheduler.build_scheduler(path, db, scheduler=ManualScheduler(
        timezone="UTC", executors={"default": DebugExecutor()}))
    sched.start()
    try:
        for edition in (1, 2, 2):
            demo_web.edition = edition
            clock[0] += dt.timedelta(hours=1, seconds=1)
            sched._process_jobs()
    finally:
        demo_web.edition = 1
        sched.shutdown(wait=False)

    runs = [r[0] for r in sqlite3.connect(db).execute("select status from crawl_runs order by id")]
    assert runs == ["ok", "ok", "ok"]
    # What the archive itself recorded (alerts add no filter of their own here): one edit,
    # found by the second crawl; the third stored no revision.
    revisions = [r[0] for r in sqlite3.connect(db).execute("select revisions from crawl_runs order by id")]
    assert revisions == [0, 1, 0]
    sent = messages(db)
    assert [(m["channel"], m["kind"], m["status"]) for m in sent] == [
        ("mail", "summary", "sent"), ("hook", "summary", "sent"), ("feed", "summary", "sent"),
        ("mail", "digest", "sent"), ("hook", "digest", "sent"), ("feed", "digest", "sent")]
    assert {m["items"] for m in sent[3:]} == {1}
    with Archive(db) as archive:
        (revision,) = alerts.message_items(archive, sent[3]["id"])
    assert revision["kind"] == "revision" and revision["title"].startswith("Written answer reveals")
    assert any("Labour offices on 32" in s for s in revision["detail"]["added"])
    assert any("Labour offices on 23" in s for s in revision["detail"]["removed"])

    assert [m["Subject"].split(": ", 2)[2].split(":")[0] for m in mail_server.messages] == ["now watching",
                                                                                            "1 revision"]
    assert [p["json"]["kind"] for p in hook_server.posts] == ["summary", "digest"]
    assert [e["kind"] for e in hook_server.posts[1]["json"]["entries"]] == ["revision"]
    feed = feedparser.parse(str(tmp_path / "demo.atom"))
    assert not feed.bozo and [e.title.split(":")[0] for e in feed.entries] == ["Revised", "newsmon"]


# --- the commands: crawl sends, serve serves the feed ------------------------------------------

@pytest.mark.crawl
def test_newsmon_crawl_sends_and_serve_serves_the_feed(tmp_path, page_server):
    import shutil
    import time
    import urllib.request

    url = page_server.url
    body = "".join(f"<p>Paragraph {i}: MPs' offices called the immigration enforcement hotline, "
                   f"figures show, and charities asked them to stop.</p>" for i in range(25))
    page_server.routes.update({
        "/robots.txt": (200, {}, b""),
        "/feed": (200, {"Content-Type": "application/rss+xml"},
                  f"<rss><channel><item><link>{url}/story</link></item></channel></rss>".encode()),
        "/story": (200, {"Content-Type": "text/html; charset=utf-8"},
                   f'<html lang="en"><head><title>Calls</title><meta property="og:type" content="article">'
                   f'</head><body><article><h1>MPs called the immigration hotline</h1>{body}</article>'
                   f'</body></html>'.encode()),
    })
    path = tmp_path / "watch.toml"
    path.write_text(f"""
[watch]
name = "local"
[crawl]
allow_private_addresses = true
download_delay = 0.0
keep_unrelated = true
[topic]
[topic.terms]
"immigration enforcement" = 3
hotline = 2
[[outlet]]
id = "paper"
homepage = "{url}/"
feeds = ["{url}/feed"]
[[alert]]
id = "feed"
type = "atom"
kinds = ["same_story", "related"]
""", encoding="utf-8")
    db = tmp_path / "data" / "a.db"
    db.parent.mkdir()  # (a --db in a folder that does not exist is an error)
    crawled = CliRunner().invoke(cli, ["crawl", "--watch", str(path), "--db", str(db)])
    assert crawled.exit_code == 0, crawled.output
    feed_file = tmp_path / "data" / "feeds" / "local-feed.atom"
    assert "alert feed (atom): summary of 1 item sent" in crawled.output and feed_file.is_file()
    listed = CliRunner().invoke(cli, ["alerts", "list", "--db", str(db)])
    assert "feed" in listed.output and "summary" in listed.output and "sent" in listed.output
    assert CliRunner().invoke(cli, ["alerts", "send", "--watch", str(path), "--db", str(db)]).output == \
        "Nothing due: every channel has been told everything.\n"

    if shutil.which("datasette", path=str(Path(sys.executable).parent)) is None:
        pytest.skip('datasette is not installed (pip install -e ".[test]" brings it)')
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newsmon.cli", "serve", "--db", str(db), "--watch", str(path),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/feeds/local-feed.atom", timeout=5) as r:
                    served, ctype = r.read(), r.headers["Content-Type"]
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.5)
        assert ctype.startswith("application/atom+xml") and served == feed_file.read_bytes()
        assert len(feedparser.parse(served).entries) == 1
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/feeds/a.db.atom", timeout=5)
        assert missing.value.code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# --- rendering: untrusted page text, several sources -------------------------------------------

def test_page_text_is_escaped_and_several_sources_are_grouped():
    from pipelines import digest

    def item(key, kind, story, source, title):
        return {"key": key, "kind": kind, "label": "same_story", "source_id": source, "story_id": story,
                "outlet": "paper", "outlet_name": "Paper", "copy_group": None, "title": title,
                "url": f"https://paper.example/{story}?a=1&b=2", "published": "2018-10-19", "detail": {}}

    items = [item("same_story:1", "same_story", 1, "first", "<script>alert(1)</script> & <b>bold</b>"),
             item("same_story:2", "same_story", 2, "second", "Second story")]
    message = {"uid": "u1", "watch": "w", "channel": "c", "kind": "digest", "created_at": T0.isoformat()}
    text = digest.text_body(message, items)
    assert text.index("Source first:") < text.index("<script>") < text.index("Source second:")
    page = digest.html_body(message, items)
    assert "<script>" not in page and "&lt;script&gt;" in page and "?a=1&amp;b=2" in page
    slack = digest.webhook_body(message, items, "slack")["text"]
    assert "<script>" not in slack and "&lt;script&gt;" in slack
    doc = feedparser.parse(digest.atom_feed("urn:x", "t", T0.isoformat(), digest.atom_entries(message, items)))
    assert not doc.bozo and doc.entries[0].link == "https://paper.example/1?a=1&b=2"
    assert "<script>" not in doc.entries[0].content[0].value  # feedparser's sanitiser sees no script either


def test_the_feed_is_written_after_every_send_even_with_nothing_new(tmp_path):
    db = tmp_path / "a.db"
    Archive(db).close()
    watch = watch_with(tmp_path, atom(tmp_path))
    assert send_due(watch, db, at=T0) == []  # nothing found yet: an empty feed to subscribe to
    feed_file = tmp_path / "feeds" / "w.atom"
    empty = feedparser.parse(str(feed_file))
    assert not empty.bozo and empty.entries == []
    build(db)
    send_due(watch, db, at=T0)
    feed_file.unlink()
    assert send_due(watch, db, at=T0) == []
    assert len(feedparser.parse(str(feed_file)).entries) == 1  # rewritten from the archive
