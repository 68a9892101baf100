"""What is worth telling, and what has been told: alert items and messages in the archive.

Items are read from the archive's tables (stories, story_revisions, comparisons, copy
groups), so they appear after any crawl, ingest or distributed store. Each has a stable
key ("same_story:12", "revision:12:3", ...), kept once per watch in ``alert_items``: a
rerun crawl or a rescan finds it already there.

A channel is told through messages (``alert_messages``). A message is written with its
items (``alert_deliveries``, one row per item and channel: its primary key makes an item
go to a channel once) before it is sent, and marked sent after. A message not marked sent
(the sender died, or the channel was down) is sent again, the same message with the same
uid, before any new one is made; a channel's first message is a summary of everything
already there, not one alert per story.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta, timezone

from pipelines.text import sentences

# Kinds of item (the watch file's [[alert]] kinds), in the order a message shows them.
KINDS = ("same_story", "related", "copy", "new_outlet", "revision", "conflict")
# A message that could not be sent waits this long before the next try, doubling per
# failure in a row, at most RETRY_MAX: a channel down for a day is tried about hourly.
RETRY_BASE = timedelta(minutes=2)
RETRY_MAX = timedelta(hours=1)
DAY = timedelta(days=1)


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


# --- what is worth telling -------------------------------------------------------------

def find_items(archive, source_ids: tuple[str, ...] = (), known: set[str] = frozenset()) -> list[dict]:
    """Everything worth telling in the archive now, as items with stable keys (of the
    stories closest to these sources; all stories when none is given). Revisions whose
    key is ``known`` are not read again (their texts are the costly part)."""
    db = archive.db
    where, args = "", []
    if source_ids:
        where = f" and s.source_id in ({', '.join('?' for _ in source_ids)})"
        args = list(source_ids)
    stories = {r["id"]: r for r in db.query(
        "select s.id, s.label, s.source_id, s.outlet, o.name as outlet_name, s.copy_group, s.title, "
        "s.url, s.published, s.revision from stories s left join outlets o on o.id = s.outlet "
        f"where s.label in ('same_story', 'related'){where} order by s.id", args)}
    items = []

    def item(key, kind, story, detail=None):
        items.append({"key": key, "kind": kind, "label": story["label"], "source_id": story["source_id"],
                      "story_id": story["id"], "outlet": story["outlet"],
                      "outlet_name": story["outlet_name"] or story["outlet"],
                      "copy_group": story["copy_group"], "title": story["title"], "url": story["url"],
                      "published": story["published"], "detail": detail or {}})

    first_at_outlet = {}
    for story in stories.values():
        # A copy of a story already archived at another outlet is folded into its group.
        if story["copy_group"] is not None and story["copy_group"] != story["id"]:
            item(f"copy:{story['id']}", "copy", story)
        else:
            item(f"{story['label']}:{story['id']}", story["label"], story)
        if story["label"] == "same_story":
            first_at_outlet.setdefault((story["source_id"], story["outlet"]), story)
    for (source_id, outlet), story in first_at_outlet.items():
        item(f"new_outlet:{source_id}:{outlet}", "new_outlet", story)
    revisions: dict[int, list] = {}
    for row in db.query("select r.story_id, r.revision, r.text_hash, r.fetched_at from story_revisions r "
                        "join stories s on s.id = r.story_id where s.revision > 1 order by r.story_id, r.revision"):
        if row["story_id"] in stories:
            revisions.setdefault(row["story_id"], []).append(row)
    for story_id, rows in revisions.items():
        for revision in _new_texts(db, story_id, rows, known):
            item(f"revision:{story_id}:{revision['revision']}", "revision", stories[story_id], revision)
    for row in db.query("select story_id, source_id, facts_conflict from comparisons "
                        "where facts_conflict is not null and facts_conflict != '[]'"):
        story = stories.get(row["story_id"])
        if story is None or (source_ids and row["source_id"] not in source_ids):
            continue
        for fact in json.loads(row["facts_conflict"]):
            key = (f"conflict:{story['id']}:{row['source_id']}:{fact.get('noun')}:"
                   f"{fact.get('story_value')}:{fact.get('source_value')}")
            item(key, "conflict", story, {k: fact.get(k) for k in (
                "noun", "story_value", "source_value", "story_sentence", "source_sentence")}
                | {"source_id": row["source_id"]})
    return items


def _new_texts(db, story_id: int, rows: list[dict], known=frozenset()) -> list[dict]:
    """A story's revisions (``rows``, in order) whose text is new (not one of its earlier
    texts come back: a page that flips between two versions is not edited each time), with
    the sentences that changed since the revision before; those already known are passed over."""
    out, seen = [], set()
    for before, row in zip([None] + rows, rows):
        if before is not None and row["text_hash"] not in seen \
                and f"revision:{story_id}:{row['revision']}" not in known:
            old, new = (db.execute("select title, text from story_revisions where story_id = ? and revision = ?",
                                   [story_id, r["revision"]]).fetchone() for r in (before, row))
            removed, added = changed_sentences(old[1], new[1])
            out.append({"revision": row["revision"], "fetched_at": row["fetched_at"],
                        "title_before": old[0] if old[0] != new[0] else None,
                        "removed": removed, "added": added})
        seen.add(row["text_hash"])
    return out


def known_keys(archive, watch: str) -> set[str]:
    return {r[0] for r in archive.db.execute("select key from alert_items where watch = ?", [watch])}


def changed_sentences(old: str, new: str) -> tuple[list[str], list[str]]:
    """Sentences of the old text gone from the new one, and sentences new in it, in order."""
    before, after = sentences(old or ""), sentences(new or "")
    kept_before, kept_after = set(before), set(after)
    return [s for s in before if s not in kept_after], [s for s in after if s not in kept_before]


def record_items(archive, watch: str, items: list[dict], at: datetime | None = None) -> int:
    """Keep the items not kept yet (by key); returns how many were new."""
    stamp = (at or now()).isoformat()
    with archive.transaction():
        before = archive.db.execute("select count(*) from alert_items where watch = ?", [watch]).fetchone()[0]
        archive.db.conn.executemany(
            "insert or ignore into alert_items (watch, key, kind, label, source_id, story_id, outlet, "
            "outlet_name, copy_group, title, url, published, detail, noticed_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(watch, i["key"], i["kind"], i["label"], i["source_id"], i["story_id"], i["outlet"],
              i["outlet_name"], i["copy_group"], i["title"], i["url"], i["published"],
              json.dumps(i["detail"], ensure_ascii=False), stamp) for i in items])
        after = archive.db.execute("select count(*) from alert_items where watch = ?", [watch]).fetchone()[0]
    return after - before


# --- what has been told ----------------------------------------------------------------

def due_message(archive, watch: str, channel, at: datetime | None = None) -> dict | None:
    """The message to send through ``channel`` now (an Alert: id, kinds, digest), or None.

    An unsent message comes first, when its retry time has come (the same message: an
    item never moves to another). Else the items this channel has not been told become a
    new message, written with its items before anything is sent: a summary when it is
    the channel's first, else a digest (for a daily digest, at most one a day).
    """
    at = at or now()
    db = archive.db
    with archive.transaction():
        pending = next(db.query("select * from alert_messages where watch = ? and channel = ? "
                                "and status != 'sent' order by id limit 1", [watch, channel.id]), None)
        if pending is not None:
            ready = not pending["next_attempt"] or pending["next_attempt"] <= at.isoformat()
            return pending if ready else None
        last = next(db.query("select created_at from alert_messages where watch = ? and channel = ? "
                             "order by id desc limit 1", [watch, channel.id]), None)
        if last and channel.digest == "daily" and datetime.fromisoformat(last["created_at"]) + DAY > at:
            return None
        kinds = list(channel.kinds)
        # Related coverage is told only to channels that ask for it, in every kind.
        labels = ["same_story"] + (["related"] if "related" in kinds else [])
        ids = [r[0] for r in db.execute(
            f"select i.id from alert_items i where i.watch = ? "
            f"and i.kind in ({', '.join('?' for _ in kinds)}) and i.label in ({', '.join('?' for _ in labels)}) "
            "and not exists (select 1 from alert_deliveries d where d.item_id = i.id and d.channel = ?) "
            "order by i.id", [watch, *kinds, *labels, channel.id])]
        if not ids:
            return None
        message_id = db["alert_messages"].insert({
            "watch": watch, "channel": channel.id, "uid": secrets.token_hex(8),
            "kind": "digest" if last else "summary", "items": len(ids), "created_at": at.isoformat(),
            "status": "pending", "attempts": 0}).last_pk
        db.conn.executemany("insert into alert_deliveries (item_id, channel, message_id) values (?, ?, ?)",
                            [(i, channel.id, message_id) for i in ids])
        return db["alert_messages"].get(message_id)


def message_items(archive, message_id: int) -> list[dict]:
    """A message's items, oldest first, their detail decoded."""
    rows = archive.db.query("select i.* from alert_deliveries d join alert_items i on i.id = d.item_id "
                            "where d.message_id = ? order by i.id", [message_id])
    return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]


def begin_attempt(archive, message_id: int, at: datetime | None = None):
    """Recorded before the message leaves: a try that never ends (a crash) is seen."""
    with archive.transaction():
        archive.db.execute("update alert_messages set status = 'sending', attempts = attempts + 1, "
                           "last_attempt = ? where id = ?", [(at or now()).isoformat(), message_id])


def mark_sent(archive, message_id: int, at: datetime | None = None, rendered=None):
    """The message went out; ``rendered`` (JSON-able) is what a feed keeps of it."""
    with archive.transaction():
        archive.db.execute("update alert_messages set status = 'sent', sent_at = ?, next_attempt = null, "
                           "rendered = ? where id = ?",
                           [(at or now()).isoformat(), None if rendered is None else json.dumps(rendered),
                            message_id])


def mark_failed(archive, message_id: int, error: str, at: datetime | None = None) -> datetime:
    """The try failed: retried after a wait that doubles per failure in a row. Returns when."""
    at = at or now()
    with archive.transaction():
        attempts = archive.db.execute("select attempts from alert_messages where id = ?",
                                      [message_id]).fetchone()[0] or 1
        wait = min(RETRY_BASE * 2 ** (attempts - 1), RETRY_MAX)
        archive.db.execute("update alert_messages set status = 'failed', last_error = ?, next_attempt = ? "
                           "where id = ?", [error, (at + wait).isoformat(), message_id])
    return at + wait


def sent_messages(archive, watch: str, channel: str, limit: int = 50) -> list[dict]:
    """A channel's sent messages, newest first (an Atom feed is rebuilt from them)."""
    return list(archive.db.query("select * from alert_messages where watch = ? and channel = ? "
                                 "and status = 'sent' order by id desc limit ?", [watch, channel, limit]))


def history(archive, watch: str | None = None, limit: int | None = 50) -> list[dict]:
    """What was sent (or is waiting), newest first: when, where, what, how it went."""
    sql = ("select m.id, m.watch, m.channel, m.kind, m.items, m.status, m.created_at, m.sent_at, "
           "m.attempts, m.last_error, m.next_attempt, m.uid from alert_messages m"
           + (" where m.watch = ?" if watch else "") + " order by m.id desc"
           + (" limit ?" if limit else ""))
    return list(archive.db.query(sql, [a for a in (watch, limit) if a]))


def channel_health(archive, watch: str) -> list[dict]:
    """Per channel: its last message sent, and the one waiting (attempts, last error, next try)."""
    out = []
    for (channel,) in archive.db.execute("select distinct channel from alert_messages where watch = ? "
                                         "order by channel", [watch]).fetchall():
        sent = next(archive.db.query("select sent_at, kind, items from alert_messages where watch = ? and "
                                     "channel = ? and status = 'sent' order by id desc limit 1",
                                     [watch, channel]), None)
        waiting = next(archive.db.query("select created_at, status, attempts, last_error, next_attempt, "
                                        "items from alert_messages where watch = ? and channel = ? "
                                        "and status != 'sent' order by id limit 1", [watch, channel]), None)
        out.append({"channel": channel, "last_sent": sent, "waiting": waiting})
    return out
