"""Telling people: after a crawl (the scheduler, `newsmon crawl`) or from cron (`newsmon
alerts send`), what the archive holds that a watch's channels have not been told is sent.

``send_due`` finds the items (``pipelines.alerts``), and for each [[alert]] channel sends
its waiting message first (a crash or an outage left it unsent: the same message again),
then one new message of what came since. One sender per archive at a time (a file lock),
so a cron send and the scheduler never send the same message twice at once.
"""

from __future__ import annotations

import fcntl
import json
import logging
import secrets
import time
from contextlib import contextmanager
from pathlib import Path

from crawler import channels
from crawler.channels import ChannelError
from pipelines import alerts, digest
from pipelines.archive import Archive

logger = logging.getLogger("newsmon.alerts")

LOCK_WAIT = 120  # seconds a sender waits for another to finish before leaving it the work
FEED_ENTRIES = 100  # entries an Atom feed keeps (newest)


def feed_path(channel, db_path: str | Path, watch_name: str) -> Path:
    """Where an Atom channel's feed is written: its path, else feeds/ beside the archive."""
    return channel.path or Path(db_path).resolve().parent / "feeds" / f"{watch_name}-{channel.id}.atom"


def private_rules(watch) -> tuple[bool, tuple[str, ...]]:
    """The crawl's private-address rules, as the watch sets them."""
    return (bool(watch.crawl.get("NEWSMON_ALLOW_PRIVATE_ADDRESSES", False)),
            tuple(watch.crawl.get("NEWSMON_PRIVATE_HOSTS", ())))


@contextmanager
def sender_lock(db_path: str | Path, wait: float = LOCK_WAIT):
    """Yields True with the archive's alert lock held, False when another sender kept it."""
    with open(f"{Path(db_path).resolve()}.alerts-lock", "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.2)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def send_due(watch, db_path: str | Path, env=None, at=None) -> list[dict]:
    """Send what each of the watch's channels is due; one outcome per message tried:
    channel, type, message kind, items, status ("sent", "failed", "busy"), error."""
    if not watch.alerts:
        return []
    with sender_lock(db_path) as held:
        if not held:
            return [{"channel": "*", "type": "-", "kind": "-", "items": 0, "status": "busy",
                     "error": "another newsmon is sending this archive's alerts"}]
        with Archive(db_path) as archive:
            known = alerts.known_keys(archive, watch.name)
            found = alerts.find_items(archive, tuple(s.id for s in watch.sources), known)
            alerts.record_items(archive, watch.name, [i for i in found if i["key"] not in known], at)
            outcomes = []
            for channel in watch.alerts:
                # A waiting message first; then, once it is out, what came meanwhile.
                for _ in range(2):
                    message = alerts.due_message(archive, watch.name, channel, at)
                    if message is None:
                        break
                    outcome = deliver(archive, watch, channel, message, db_path, env, at)
                    outcomes.append(outcome)
                    if outcome["status"] != "sent":
                        break
                if channel.type == "atom" and not any(o["channel"] == channel.id for o in outcomes):
                    refresh_atom(archive, watch, channel, db_path)
            return outcomes


def refresh_atom(archive, watch, channel, db_path):
    """A feed is written after every crawl, new entries or not (a first crawl that found
    nothing still leaves a feed to subscribe to; a deleted file comes back)."""
    try:
        write_atom(archive, watch, channel, None, [], db_path)
    except ChannelError as exc:
        logger.warning("alert channel %s: %s", channel.id, exc)


def deliver(archive, watch, channel, message: dict, db_path, env=None, at=None) -> dict:
    """Send one message, recorded before (an attempt) and after (sent, or failed with when
    to try again)."""
    items = alerts.message_items(archive, message["id"])
    outcome = {"channel": channel.id, "type": channel.type, "kind": message["kind"], "items": len(items),
               "message": message["uid"], "status": "sent", "error": None}
    alerts.begin_attempt(archive, message["id"], at)
    try:
        rendered = send(archive, watch, channel, {**message, "status": "sending"}, items, db_path, env)
    except Exception as exc:  # noqa: BLE001 - whatever happened, the message waits for its retry
        # Only a ChannelError's text is known to hold no secret; anything else is named by type.
        error = str(exc) if isinstance(exc, ChannelError) else f"{channel.type}: unexpected {type(exc).__name__}"
        retry = alerts.mark_failed(archive, message["id"], error, at)
        logger.warning("alert channel %s: %s (tried again from %s)", channel.id, error, retry.isoformat())
        return {**outcome, "status": "failed", "error": error, "retry": retry.isoformat()}
    alerts.mark_sent(archive, message["id"], at, rendered)
    logger.info("alert channel %s: %s of %d items sent (message %s)", channel.id, message["kind"],
                len(items), message["uid"])
    return outcome


def send(archive, watch, channel, message: dict, items: list[dict], db_path, env=None):
    allow_private, private_hosts = private_rules(watch)
    if channel.type == "email":
        channels.send_email(channel, message, items, allow_private, private_hosts, env)
    elif channel.type == "webhook":
        channels.send_webhook(channel, message, items, allow_private, private_hosts, env)
    else:
        return write_atom(archive, watch, channel, message, items, db_path)


def write_atom(archive, watch, channel, message: dict, items: list[dict], db_path) -> list[dict]:
    """Rebuild the channel's feed from the entries its sent messages kept and this one's:
    writing it again after a crash gives the same file, each entry once. Returns this
    message's entries (kept with it once sent)."""
    mine = digest.atom_entries(message, items, channel.max_items) if message else []
    entries = list(mine)
    for old in alerts.sent_messages(archive, watch.name, channel.id):
        if (message is None or old["id"] != message.get("id")) and len(entries) < FEED_ENTRIES:
            entries += json.loads(old["rendered"]) if old["rendered"] else digest.atom_entries(
                old, alerts.message_items(archive, old["id"]), channel.max_items)
    path = feed_path(channel, db_path, watch.name)
    try:
        channels.write_feed(path, f"urn:newsmon:feed:{watch.name}:{channel.id}",
                            channel.title or f"newsmon: {watch.name}", entries[:FEED_ENTRIES])
    except OSError as exc:
        raise ChannelError(f"atom feed {path}: {exc.strerror or exc}") from None
    return mine


def sample(watch, channel) -> tuple[dict, list[dict]]:
    """A test message and one made-up item, to show a channel works and how alerts look."""
    from pipelines.alerts import now

    message = {"id": None, "uid": "test-" + secrets.token_hex(6), "watch": watch.name, "channel": channel.id,
               "kind": "test", "created_at": now().isoformat(), "sent_at": None}
    item = {"key": "sample:0", "kind": "same_story", "label": "same_story", "story_id": 0, "copy_group": None,
            "source_id": watch.sources[0].id if watch.sources else "source", "outlet": "example",
            "outlet_name": "Example News", "title": "A sample alert: new coverage would look like this",
            "url": "https://example.org/sample", "published": now().isoformat(), "detail": {}}
    return message, [item]


def try_channels(watch, db_path, env=None) -> list[dict]:
    """Send a sample through each channel (nothing recorded); what happened, per channel.
    An Atom feed is not given a sample entry (its readers would see it): its file is
    checked to be writable."""
    out = []
    for channel in watch.alerts:
        message, items = sample(watch, channel)
        result = {"channel": channel.id, "type": channel.type, "status": "sent", "error": None}
        try:
            if channel.type == "atom":
                path = feed_path(channel, db_path, watch.name)
                path.parent.mkdir(parents=True, exist_ok=True)
                probe = path.with_name(path.name + ".test")
                probe.write_text(digest.atom_feed("urn:newsmon:test", "test", message["created_at"], []))
                probe.unlink()
                result.update(status="ok", detail=f"{path} is writable (written after each crawl)")
            else:
                send(None, watch, channel, message, items, db_path, env)
                result["detail"] = f"sample message {message['uid']} sent"
        except ChannelError as exc:
            result.update(status="failed", error=str(exc))
        except OSError as exc:
            result.update(status="failed", error=f"{channel.type}: {exc.strerror or exc}")
        out.append(result)
    return out
