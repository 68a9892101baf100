"""A message's items as people read them: entries, then plain text, HTML, webhook bodies
(JSON, Slack, Matrix) and Atom entries. Pure functions of plain data.

Items about one story fold into one entry (its new coverage, the first from its outlet,
its revisions, its conflicting figures); copies of one wire story fold into their
group's entry, so seven outlets running it make one entry, not seven.
"""

from __future__ import annotations

import html
from collections import Counter
from xml.sax.saxutils import escape as xml_escape

from pipelines.alerts import KINDS

MAX_SENTENCES = 5  # changed sentences shown per revision
MAX_CHARS = 300  # characters shown of one sentence

HEADLINES = {"same_story": "New coverage", "related": "Related coverage", "copy": "Wire story copied",
             "new_outlet": "First from this outlet", "revision": "Revised", "conflict": "Conflicting figure"}
NOUNS = {"same_story": ("same-story article", "same-story articles"),
         "related": ("related article", "related articles"),
         "copy": ("copy of a wire story", "copies of wire stories"),
         "new_outlet": ("outlet covering the story for the first time", "outlets covering the story for the first time"),
         "revision": ("revision", "revisions"), "conflict": ("conflicting figure", "conflicting figures")}


def entries(items: list[dict]) -> list[dict]:
    """Fold items into entries, in the order of their first item."""
    stories = {i["story_id"] for i in items}
    out: dict[str, dict] = {}
    for item in items:
        group = item["copy_group"]
        if group is not None and group != item["story_id"]:
            key = f"story:{group}" if group in stories else f"group:{group}"
        else:
            key = f"story:{item['story_id']}"
        out.setdefault(key, {"key": key, "items": []})["items"].append(item)
    for entry in out.values():
        _describe(entry)
    return list(out.values())


def _describe(entry: dict):
    items = sorted(entry["items"], key=lambda i: KINDS.index(i["kind"]))
    head = next((i for i in items if entry["key"] == f"story:{i['story_id']}"), items[0])
    entry.update(kind=items[0]["kind"], title=head["title"] or "(untitled)", url=head["url"],
                 outlet=head["outlet_name"], published=head["published"], source_id=head["source_id"],
                 keys=[i["key"] for i in entry["items"]], notes=[])
    entry["headline"] = f"{HEADLINES[entry['kind']]}: {entry['title']} ({entry['outlet']})"
    copies = [i for i in items if i["kind"] == "copy"]
    if copies:
        entry["notes"].append(("also run by " if entry["kind"] != "copy" else "now run by ")
                              + ", ".join(i["outlet_name"] for i in copies))
        entry["links"] = [{"outlet": i["outlet_name"], "title": i["title"], "url": i["url"]} for i in copies]
    firsts = [i["outlet_name"] for i in items if i["kind"] == "new_outlet"]
    if firsts:
        entry["notes"].append("the first article on this story from " + ", ".join(firsts))
    for item in items:
        d = item["detail"]
        if item["kind"] == "revision":
            where = f" at {item['outlet_name']}" if item["outlet_name"] != entry["outlet"] else ""
            entry["notes"].append(f"revised{where} (revision {d['revision']}, fetched {d['fetched_at']})"
                                  + (f"; headline was: {d['title_before']}" if d.get("title_before") else ""))
            entry["notes"] += [f"- {_cut(s)}" for s in d["removed"][:MAX_SENTENCES]]
            entry["notes"] += [f"+ {_cut(s)}" for s in d["added"][:MAX_SENTENCES]]
            hidden = max(0, len(d["removed"]) - MAX_SENTENCES) + max(0, len(d["added"]) - MAX_SENTENCES)
            if hidden:
                entry["notes"].append(f"({hidden} more changed sentences: newsmon show {item['story_id']})")
        elif item["kind"] == "conflict":
            entry["notes"].append(f"{d['noun']}: {_number(d['story_value'])} here, "
                                  f"{_number(d['source_value'])} in the source ({d['source_id']})")
            if d.get("story_sentence"):
                entry["notes"].append(f"  here: {_cut(d['story_sentence'])}")


def _cut(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= MAX_CHARS else sentence[:MAX_CHARS - 1] + "…"


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def counts_line(items: list[dict]) -> str:
    counts = Counter(i["kind"] for i in items)
    return ", ".join(f"{counts[k]} {NOUNS[k][counts[k] != 1]}" for k in KINDS if counts[k])


def subject(message: dict, items: list[dict]) -> str:
    if message["kind"] == "test":
        return f"newsmon: {message['watch']}: test message for channel {message['channel']}"
    what = counts_line(items)
    if message["kind"] == "summary":
        return f"newsmon: {message['watch']}: now watching: {what}"
    return f"newsmon: {message['watch']}: {what}"


def intro(message: dict, items: list[dict]) -> str:
    if message["kind"] == "test":
        return (f"A test of channel {message['channel']!r} of watch {message['watch']!r} "
                "(newsmon alerts test). Nothing new is reported.")
    if message["kind"] == "summary":
        outlets = len({i["outlet"] for i in items if i["kind"] in ("same_story", "copy")})
        return (f"newsmon now tells this channel about watch {message['watch']!r}. The archive already "
                f"holds: {counts_line(items)}" + (f", from {outlets} outlets" if outlets else "")
                + ". From now on each new thing is told once.")
    return f"New for watch {message['watch']!r}: {counts_line(items)}."


def shown(message: dict, found: list[dict], limit: int) -> tuple[list[dict], int]:
    """The entries shown in full (a summary shows the newest first) and how many more."""
    if message["kind"] == "summary":  # new coverage first, then copies, revisions...
        found = sorted(found, key=lambda e: KINDS.index(e["kind"]))
    return found[:limit], max(0, len(found) - limit)


def _by_source(found: list[dict]):
    """(source id or None, entry) in order, the source named when there are several."""
    several = len({e["source_id"] for e in found}) > 1
    if not several:
        return [(None, e) for e in found]
    return [(e["source_id"], e) for e in sorted(found, key=lambda e: str(e["source_id"]))]


def text_body(message: dict, items: list[dict], limit: int = 50) -> str:
    found, more = shown(message, entries(items), limit)
    lines = [intro(message, items), ""]
    heading = None
    for source, entry in _by_source(found):
        if source is not None and source != heading:
            heading = source
            lines += [f"Source {source}:", ""]
        lines.append(f"* {entry['headline']}")
        lines.append(f"  {entry['url']}" + (f"  (published {entry['published'][:10]})" if entry["published"] else ""))
        lines += [f"  {note}" for note in entry["notes"]]
        lines.append("")
    if more:
        lines.append(f"... and {more} more (newsmon stories lists them).")
    lines.append(f"-- newsmon, message {message['uid']}")
    return "\n".join(lines) + "\n"


def html_body(message: dict, items: list[dict], limit: int = 50) -> str:
    """HTML for email and Matrix; everything from pages is escaped."""
    esc = html.escape
    found, more = shown(message, entries(items), limit)
    parts = [f"<p>{esc(intro(message, items))}</p>", "<ul>"]
    heading = None
    for source, entry in _by_source(found):
        if source is not None and source != heading:
            heading = source
            parts += ["</ul>", f"<h3>Source {esc(source)}</h3>", "<ul>"]
        parts.append(f"<li>{entry_html(entry)}</li>")
    parts.append("</ul>")
    if more:
        parts.append(f"<p>... and {more} more (<code>newsmon stories</code> lists them).</p>")
    parts.append(f"<p><small>newsmon, message {esc(message['uid'])}</small></p>")
    return "\n".join(parts)


def entry_html(entry: dict) -> str:
    esc = html.escape
    out = (f'<b>{esc(HEADLINES[entry["kind"]])}</b>: <a href="{esc(entry["url"] or "")}">'
           f'{esc(entry["title"])}</a> ({esc(entry["outlet"] or "")})')
    return out + "".join(f"<br>{esc(n)}" for n in entry["notes"])


def webhook_body(message: dict, items: list[dict], fmt: str, limit: int = 50) -> dict:
    """The JSON a webhook is sent: newsmon's own, Slack's incoming-webhook or a Matrix
    m.room.message; every one carries the message's uid so a receiver can drop a resend."""
    text = text_body(message, items, limit)
    if fmt == "slack":
        found, more = shown(message, entries(items), limit)
        lines = [_slack(intro(message, items))]
        for entry in found:
            lines.append(f"• *{HEADLINES[entry['kind']]}*: <{entry['url']}|{_slack(entry['title'])}> "
                         f"({_slack(entry['outlet'] or '')})")
            lines += [f"    {_slack(n)}" for n in entry["notes"]]
        if more:
            lines.append(f"... and {more} more")
        return {"text": "\n".join(lines), "newsmon_id": message["uid"]}
    if fmt == "matrix":
        return {"msgtype": "m.text", "body": text, "format": "org.matrix.custom.html",
                "formatted_body": html_body(message, items, limit), "newsmon_id": message["uid"]}
    found, more = shown(message, entries(items), limit)
    return {"id": message["uid"], "watch": message["watch"], "channel": message["channel"],
            "kind": message["kind"], "subject": subject(message, items), "text": text,
            "counts": dict(Counter(i["kind"] for i in items)), "more": more,
            "entries": [{k: e.get(k) for k in ("kind", "headline", "title", "url", "outlet", "published",
                                               "source_id", "notes", "keys", "links")} for e in found]}


def _slack(text: str) -> str:
    # Slack's mrkdwn reads these three as markup: escaped as its documentation asks.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def atom_entries(message: dict, items: list[dict], limit: int = 50) -> list[dict]:
    """A sent message as Atom entries: a summary is one entry; a digest one per entry.
    Ids are stable: the message's uid and the entry's key."""
    when = message["created_at"]  # not when sent: a feed written again is the same feed
    base = f"urn:newsmon:{message['uid']}"
    if message["kind"] != "digest":
        return [{"id": base, "title": subject(message, items), "updated": when, "url": None,
                 "html": html_body(message, items, limit)}]
    found, _more = shown(message, entries(items), limit)
    return [{"id": f"{base}:{e['key']}", "title": e["headline"], "updated": when, "url": e["url"],
             "html": entry_html(e)} for e in found]


def atom_feed(feed_id: str, title: str, updated: str, feed_entries: list[dict]) -> str:
    """An Atom 1.0 document (RFC 4287) of these entries, newest first."""
    x = xml_escape
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<id>{x(feed_id)}</id>", f"<title>{x(title)}</title>", f"<updated>{x(updated)}</updated>",
           "<author><name>newsmon</name></author>", '<generator>newsmon</generator>']
    for e in feed_entries:
        out.append("<entry>")
        out.append(f"<id>{x(e['id'])}</id><title>{x(e['title'])}</title><updated>{x(e['updated'])}</updated>")
        if e.get("url"):
            out.append(f'<link rel="alternate" href="{x(e["url"], {chr(34): "&quot;"})}"/>')
        out.append(f'<content type="html">{x(e["html"])}</content>')
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"
