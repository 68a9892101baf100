"""The watch file: what to follow (sources) and where to look (outlets), as TOML.

Outlets are data, not code: adding one touches no crawl code. ``load_watch`` turns
the file into validated dataclasses or raises ``WatchError`` whose message is one
line naming the file, the line and the key at fault.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crawler import settings as default_settings


SEARCH_ENGINES = ("gdelt", "google-news")


class WatchError(ValueError):
    """A watch file that cannot be used; str() is a one-line message for the user."""


@dataclass(frozen=True)
class Source:
    id: str
    path: Path | None = None  # saved text or HTML of the source article
    url: str | None = None  # where it was published; its links are followed
    title: str | None = None
    published: str | None = None
    outlet: str | None = None  # who published it, when there is no url: its site (samestory.site)
    queries: tuple[str, ...] = ()  # search queries; empty: built from the source (pipelines.queries)


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    homepage: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    interval: int | None = None  # seconds between scheduled crawls; None: the watch's

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)


@dataclass(frozen=True)
class Topic:
    """What the watch is about: weighted terms (lower-case; phrases allowed), and
    optionally a trained model file or labelled examples to fit one from
    (``pipelines.topic``); the reader's judgements in the archive teach either."""
    name: str
    terms: tuple[tuple[str, float], ...]
    model: Path | None = None  # a topic model (JSON) trained on labelled news
    examples: tuple[Path, ...] = ()  # JSONL of labelled stories (text, title, label)


ALERT_TYPES = ("atom", "email", "webhook")
# What a channel can be told; "related" coverage is off unless a channel asks for it.
ALERT_KINDS = ("same_story", "related", "new_outlet", "revision", "conflict", "copy")
DEFAULT_ALERT_KINDS = ("same_story", "new_outlet", "revision", "conflict", "copy")
WEBHOOK_FORMATS = ("json", "slack", "matrix")


@dataclass(frozen=True)
class Alert:
    """A channel new coverage is told through ([[alert]] in the watch file). Secrets are
    never here: only the names of the environment variables that hold them."""
    id: str
    type: str  # one of ALERT_TYPES
    kinds: tuple[str, ...] = DEFAULT_ALERT_KINDS
    digest: str = "crawl"  # "crawl": one message per crawl; "daily": at most one a day
    max_items: int = 50  # entries shown in full in one message; the rest are counted
    path: Path | None = None  # atom: the feed file (default: beside the archive)
    title: str | None = None  # atom: the feed's title
    host: str | None = None  # email: the SMTP server
    port: int | None = None
    tls: str = "starttls"  # email: "starttls", "ssl" or "none"
    sender: str | None = None  # email: the From address
    to: tuple[str, ...] = ()
    username_env: str | None = None  # email: environment variables holding the credentials
    password_env: str | None = None
    url: str | None = None  # webhook: where to POST (or url_env: a variable holding it)
    url_env: str | None = None
    format: str = "json"  # webhook: one of WEBHOOK_FORMATS
    secret_env: str | None = None  # webhook: a variable holding the HMAC key
    timeout: float = 10.0  # webhook and email: seconds per attempt
    retries: int = 3  # webhook: attempts within one send, with backoff between them


@dataclass(frozen=True)
class Watch:
    name: str
    path: Path | None
    sources: tuple[Source, ...]
    outlets: tuple[Outlet, ...]
    interval: int = 3600
    crawl: dict = field(default_factory=dict)  # Scrapy/newsmon setting name -> value
    topic: Topic | None = None
    alerts: tuple[Alert, ...] = ()
    # netloc -> outlet: every URL a crawl meets is asked about, and hosts repeat.
    _owners: dict = field(default_factory=dict, compare=False, repr=False)

    def outlet_for(self, url: str) -> Outlet | None:
        """The watched outlet a URL belongs to, by host and, for a shared host, port."""
        netloc = urlsplit(url).netloc
        if netloc not in self._owners:
            self._owners[netloc] = self._find_outlet(url)
        return self._owners[netloc]

    def _find_outlet(self, url: str) -> Outlet | None:
        owners = [o for o in self.outlets if o.owns(url)]
        if len(owners) > 1:  # several outlets on one host (the demo web): match the netloc
            netloc = urlsplit(url).netloc
            owners = [o for o in owners if urlsplit(o.homepage).netloc == netloc] or owners
        return owners[0] if owners else None


def outlet_toml(outlet: Outlet) -> str:
    """An outlet as a watch file's [[outlet]] table (what ``load_watch`` reads back)."""
    lines = ["[[outlet]]", f"id = {json.dumps(outlet.id)}", f"name = {json.dumps(outlet.name)}",
             f"homepage = {json.dumps(outlet.homepage)}", f"feeds = {json.dumps(list(outlet.feeds))}",
             f"sitemaps = {json.dumps(list(outlet.sitemaps))}", f"domains = {json.dumps(list(outlet.domains))}"]
    if outlet.interval:
        lines.append(f'interval = "{outlet.interval}s"')
    return "\n".join(lines) + "\n"


def watch_toml(watch: Watch) -> str:
    """A whole watch as a watch file (what ``load_watch`` reads back): for watches made in
    code, such as the demo's, to be crawled and scheduled like any other."""
    keys = {setting: key for key, setting in default_settings.WATCH_OVERRIDABLE.items()}
    lines = ["[watch]", f"name = {json.dumps(watch.name)}", f'interval = "{watch.interval}s"', "", "[crawl]"]
    lines += [f"{keys[k]} = {json.dumps(v)}" for k, v in watch.crawl.items() if k in keys]
    if watch.topic:
        lines += ["", "[topic]", f"name = {json.dumps(watch.topic.name)}", "", "[topic.terms]"]
        lines += [f"{json.dumps(term)} = {weight:g}" for term, weight in watch.topic.terms]
    for source in watch.sources:
        lines += ["", "[[source]]", f"id = {json.dumps(source.id)}"]
        if source.path:  # absolute: the file may be written anywhere
            lines.append(f"path = {json.dumps(str(Path(source.path).resolve()))}")
        for key in ("url", "title", "published", "outlet"):
            value = getattr(source, key)
            if value:
                lines.append(f"{key} = {json.dumps(str(value))}")
        if source.queries:
            lines.append(f"queries = {json.dumps(list(source.queries))}")
    return "\n".join(lines) + "\n" + "".join("\n" + outlet_toml(o) for o in watch.outlets)


_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_INTERVAL = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

_TOP_KEYS = {"watch", "crawl", "topic", "source", "outlet", "alert"}
_TOPIC_KEYS = {"name", "terms", "model", "examples"}
_WATCH_KEYS = {"name", "interval"}
_SOURCE_KEYS = {"id", "path", "url", "title", "published", "outlet", "queries"}
_OUTLET_KEYS = {"id", "name", "homepage", "feeds", "sitemaps", "domains", "interval"}
_ALERT_KEYS = {
    "atom": {"path", "title"},
    "email": {"host", "port", "tls", "from", "to", "username_env", "password_env", "timeout"},
    "webhook": {"url", "url_env", "format", "secret_env", "timeout", "retries"},
}
_ALERT_COMMON = {"id", "type", "kinds", "digest", "max_items"}
# Keys people reach for that would put a secret in the watch file.
_SECRET_KEYS = {"password": "password_env", "username": "username_env", "user": "username_env",
                "secret": "secret_env", "token": "url_env"}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


def load_watch(path: str | Path) -> Watch:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WatchError(f"{path}: watch file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchError(f"{path}: cannot read watch file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WatchError(f"{path}: not valid TOML: {exc}") from None
    return parse_watch(data, path=path, text=text)


def parse_watch(data: dict, path: Path | None = None, text: str = "") -> Watch:
    """Validate parsed TOML; ``text`` (the file's content) lets errors name a line."""

    def fail(key_path: tuple, message: str):
        line = _locate(text, key_path)
        where = f"{path or '<watch>'}" + (f":{line}" if line else "")
        raise WatchError(f"{where}: {_dotted(key_path)}: {message}")

    for key in data:
        if key not in _TOP_KEYS:
            fail((key,), f"unknown table (expected one of: {', '.join(sorted(_TOP_KEYS))})")

    head = _table(data.get("watch", {}), ("watch",), fail)
    _no_unknown(head, _WATCH_KEYS, ("watch",), fail)
    name = _string(head, "name", ("watch",), fail, default=path.stem if path else "watch")
    interval = _interval(head.get("interval", "1h"), ("watch", "interval"), fail)

    crawl = {}
    for key, value in _table(data.get("crawl", {}), ("crawl",), fail).items():
        setting = default_settings.WATCH_OVERRIDABLE.get(key)
        if setting is None:
            fail(("crawl", key), "unknown crawl setting (allowed: "
                 + ", ".join(sorted(default_settings.WATCH_OVERRIDABLE)) + ")")
        expected = type(getattr(default_settings, setting))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            fail(("crawl", key), f"must be {expected.__name__}, not {type(value).__name__}")
        if expected in (int, float) and value < 0:
            fail(("crawl", key), f"must not be negative, not {value}")
        if key == "private_hosts" and not all(isinstance(h, str) and h and "/" not in h for h in value):
            fail(("crawl", key), "must be a list of host names or host:port strings")
        if key == "search" and not all(isinstance(e, str) and e in SEARCH_ENGINES for e in value):
            fail(("crawl", key), f"must list search engines among: {', '.join(SEARCH_ENGINES)}")
        crawl[setting] = value

    topic = None
    if "topic" in data:
        raw = _table(data["topic"], ("topic",), fail)
        _no_unknown(raw, _TOPIC_KEYS, ("topic",), fail)
        terms = _table(raw.get("terms", {}), ("topic", "terms"), fail)
        if not terms:
            fail(("topic", "terms"), "a topic needs at least one term")
        for term, weight in terms.items():
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not -10 <= weight <= 10:
                fail(("topic", "terms"), f"weight of {term!r} must be a number from -10 (an exclusion) "
                                         f"to 10, not {weight!r}")
        base = path.parent if path else Path.cwd()
        files = {}
        for key in ("model", "examples"):
            given = _strings(raw, key, ("topic",), fail)
            if key == "model" and len(given) > 1:
                fail(("topic", key), "one model file, as a string")
            for file in given:
                if not (base / file).is_file():
                    fail(("topic", key), f"no such file: {base / file}")
            files[key] = tuple(base / file for file in given)
        topic = Topic(name=_string(raw, "name", ("topic",), fail, default="topic"),
                      terms=tuple((" ".join(t.lower().split()), float(w)) for t, w in terms.items()),
                      model=files["model"][0] if files["model"] else None, examples=files["examples"])

    base = path.parent if path else Path.cwd()
    sources = []
    for i, raw in enumerate(_array(data.get("source", []), ("source",), fail)):
        kp = ("source", i)
        raw = _table(raw, kp, fail)
        _no_unknown(raw, _SOURCE_KEYS, kp, fail)
        sid = _ident(raw, kp, fail)
        src_path = _string(raw, "path", kp, fail, default=None)
        url = _url(raw, "url", kp, fail, default=None)
        if src_path is None and url is None:
            fail(kp + ("path",), "a source needs a path (saved article) or a url")
        resolved = (base / src_path) if src_path else None
        if resolved is not None and not resolved.is_file():
            fail(kp + ("path",), f"no such file: {resolved}")
        sources.append(Source(
            id=sid, path=resolved, url=url,
            title=_string(raw, "title", kp, fail, default=None),
            published=_published(raw, kp, fail),
            outlet=_string(raw, "outlet", kp, fail, default=None),
            queries=tuple(" ".join(q.split()) for q in _strings(raw, "queries", kp, fail) if q.strip()),
        ))

    outlets = []
    for i, raw in enumerate(_array(data.get("outlet", []), ("outlet",), fail)):
        kp = ("outlet", i)
        raw = _table(raw, kp, fail)
        _no_unknown(raw, _OUTLET_KEYS, kp, fail)
        oid = _ident(raw, kp, fail)
        homepage = _url(raw, "homepage", kp, fail)
        domains = _strings(raw, "domains", kp, fail)
        if not domains:
            host = urlsplit(homepage).hostname or ""
            domains = (host[4:] if host.startswith("www.") else host,)
        outlets.append(Outlet(
            id=oid,
            name=_string(raw, "name", kp, fail, default=oid),
            homepage=homepage,
            feeds=tuple(_check_url(u, kp + ("feeds",), fail) for u in _strings(raw, "feeds", kp, fail)),
            sitemaps=tuple(_check_url(u, kp + ("sitemaps",), fail)
                           for u in _strings(raw, "sitemaps", kp, fail)),
            domains=tuple(d.lower().lstrip(".") for d in domains),
            interval=_interval(raw["interval"], kp + ("interval",), fail) if "interval" in raw else None,
        ))
    for kind, items in (("source", sources), ("outlet", outlets)):
        seen = set()
        for i, item in enumerate(items):
            if item.id in seen:
                fail((kind, i, "id"), f"duplicate id {item.id!r}")
            seen.add(item.id)
    alerts = _alerts(data.get("alert", []), base, fail)
    if not outlets and not any(s.url for s in sources) and not (crawl.get("NEWSMON_SEARCH") and sources):
        fail(("outlet",), "nothing to crawl: add at least one [[outlet]], a source with a url, "
                          "or search engines ([crawl] search = [...])")
    return Watch(name=name, path=path, sources=tuple(sources), outlets=tuple(outlets),
                 interval=interval, crawl=crawl, topic=topic, alerts=alerts)


def _alerts(value, base: Path, fail) -> tuple[Alert, ...]:
    """The [[alert]] tables: channels new coverage is told through."""
    alerts, seen, paths = [], set(), set()
    for i, raw in enumerate(_array(value, ("alert",), fail)):
        kp = ("alert", i)
        raw = _table(raw, kp, fail)
        aid = _ident(raw, kp, fail)
        if aid in seen:
            fail(kp + ("id",), f"duplicate id {aid!r}")
        seen.add(aid)
        kind = _string(raw, "type", kp, fail)
        if kind not in ALERT_TYPES:
            fail(kp + ("type",), f"{kind!r} is not a channel type (one of: {', '.join(ALERT_TYPES)})")
        for key in raw:
            if key in _SECRET_KEYS:
                fail(kp + (key,), f"secrets are not read from the watch file: set {_SECRET_KEYS[key]} "
                                  "to the name of an environment variable that holds it")
        _no_unknown(raw, _ALERT_COMMON | _ALERT_KEYS[kind], kp, fail)
        kinds = _strings(raw, "kinds", kp, fail) if "kinds" in raw else DEFAULT_ALERT_KINDS
        bad = [k for k in kinds if k not in ALERT_KINDS]
        if bad or not kinds:
            fail(kp + ("kinds",), f"must list kinds among: {', '.join(ALERT_KINDS)}"
                 + (f" (not {bad[0]!r})" if bad else ""))
        digest = _string(raw, "digest", kp, fail, default="crawl")
        if digest not in ("crawl", "daily"):
            fail(kp + ("digest",), f"{digest!r} must be \"crawl\" (one message per crawl) or \"daily\"")
        options = {"id": aid, "type": kind, "kinds": tuple(dict.fromkeys(kinds)), "digest": digest,
                   "max_items": _number(raw, "max_items", kp, fail, 50, int, 1)}
        for key in ("username_env", "password_env", "url_env", "secret_env"):
            if key in raw:
                name = _string(raw, key, kp, fail)
                if not _ENV_NAME.match(name):
                    fail(kp + (key,), f"{name!r} is not an environment variable name")
                options[key] = name
        if "timeout" in raw:
            options["timeout"] = float(_number(raw, "timeout", kp, fail, 10.0, float, 0.1))
        if kind == "atom":
            if digest != "crawl":
                fail(kp + ("digest",), "an Atom feed is written after every crawl (digest = \"crawl\")")
            feed = _string(raw, "path", kp, fail, default=None)
            options["path"] = (base / feed) if feed else None
            if options["path"] is not None:
                if options["path"] in paths:
                    fail(kp + ("path",), f"another [[alert]] writes {feed}")
                paths.add(options["path"])
            options["title"] = _string(raw, "title", kp, fail, default=None)
        elif kind == "email":
            options["host"] = _string(raw, "host", kp, fail)
            if "/" in options["host"] or ":" in options["host"]:
                fail(kp + ("host",), f"{options['host']!r} must be a host name (the port goes in port)")
            options["tls"] = _string(raw, "tls", kp, fail, default="starttls")
            if options["tls"] not in ("starttls", "ssl", "none"):
                fail(kp + ("tls",), f"{options['tls']!r} must be \"starttls\", \"ssl\" or \"none\"")
            options["port"] = _number(raw, "port", kp, fail, 465 if options["tls"] == "ssl" else 587, int, 1)
            if options["port"] > 65535:
                fail(kp + ("port",), f"{options['port']} is not a port")
            options["sender"] = _string(raw, "from", kp, fail)
            options["to"] = _strings(raw, "to", kp, fail)
            if not options["to"]:
                fail(kp + ("to",), "missing (required): one or more addresses")
            for key, addresses in (("from", (options["sender"],)), ("to", options["to"])):
                for address in addresses:
                    if not _ADDRESS.match(address):
                        fail(kp + (key,), f"{address!r} is not an email address")
            if ("username_env" in options) != ("password_env" in options):
                fail(kp + ("password_env" if "username_env" in options else "username_env",),
                     "missing: SMTP login needs both username_env and password_env")
            if "password_env" in options and options["tls"] == "none":
                fail(kp + ("tls",), "a password is never sent unencrypted: use \"starttls\" or \"ssl\"")
        else:
            url = _url(raw, "url", kp, fail, default=None)
            if (url is None) == ("url_env" not in options):
                fail(kp + ("url",), "a webhook needs url or url_env (an environment variable holding it), "
                                    "not both")
            options["url"] = url
            options["format"] = _string(raw, "format", kp, fail, default="json")
            if options["format"] not in WEBHOOK_FORMATS:
                fail(kp + ("format",), f"{options['format']!r} is not one of: {', '.join(WEBHOOK_FORMATS)}")
            options["retries"] = _number(raw, "retries", kp, fail, 3, int, 1)
        alerts.append(Alert(**options))
    return tuple(alerts)


# --- small validators; each calls fail(key_path, message), which raises -------------

def _dotted(key_path: tuple) -> str:
    out = ""
    for part in key_path:
        out += f"[{part + 1}]" if isinstance(part, int) else (("." if out else "") + part)
    return out


def _table(value, kp, fail) -> dict:
    if not isinstance(value, dict):
        fail(kp, f"must be a table, not {type(value).__name__}")
    return value


def _array(value, kp, fail) -> list:
    if not isinstance(value, list):
        fail(kp, f"must be an array of tables ([[{kp[-1]}]]), not {type(value).__name__}")
    return value


def _no_unknown(raw: dict, allowed: set, kp, fail):
    for key in raw:
        if key not in allowed:
            fail(kp + (key,), f"unknown key (allowed: {', '.join(sorted(allowed))})")


_MISSING = object()


def _string(raw, key, kp, fail, default=_MISSING):
    if key not in raw:
        if default is _MISSING:
            fail(kp + (key,), "missing (required)")
        return default
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        fail(kp + (key,), f"must be a non-empty string, not {value!r}")
    return value.strip()


def _strings(raw, key, kp, fail) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        fail(kp + (key,), "must be a list of strings")
    return tuple(v.strip() for v in value)


def _number(raw, key, kp, fail, default, kind, least):
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else int) \
            or value < least:
        fail(kp + (key,), f"must be {'a number' if kind is float else 'a whole number'} "
                          f"of at least {least}, not {value!r}")
    return value


def _ident(raw, kp, fail) -> str:
    value = _string(raw, "id", kp, fail)
    if not valid_id(value):
        fail(kp + ("id",), f"{value!r} is not a valid id (lowercase letters, digits, - and _)")
    return value


def valid_id(value: str) -> bool:
    """Whether ``value`` can be an outlet's or a source's id (also a file name and a URL part)."""
    return bool(_ID.match(value or ""))


def iso_date(value) -> str | None:
    """A publication date as the archive keeps it (ISO 8601: 2018-10-12, or with a time),
    or None when ``value`` is not one ("3 June", "03/06/2024")."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    value = value.strip()
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return value if re.match(r"^\d{4}-\d{2}-\d{2}", value) else None
        except ValueError:
            continue
    return None


def _published(raw, kp, fail) -> str | None:
    if "published" not in raw:
        return None
    value = iso_date(raw["published"])
    if value is None:
        fail(kp + ("published",), f"{raw['published']!r} is not a date like \"2018-10-12\"")
    return value


def _check_url(value: str, kp, fail) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(kp, f"{value!r} is not an http(s) URL")
    return value


def _url(raw, key, kp, fail, default=_MISSING):
    value = _string(raw, key, kp, fail, default=default)
    return value if value is None else _check_url(value, kp + (key,), fail)


def _interval(value, kp, fail) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _INTERVAL.match(value) if isinstance(value, str) else None
    if not match or int(match.group(1)) == 0:
        fail(kp, f"{value!r} is not an interval like \"30m\", \"2h\" or \"1d\"")
    return int(match.group(1)) * _UNITS[match.group(2)]


def _locate(text: str, key_path: tuple) -> int | None:
    """Best-effort line number of a key path such as ("outlet", 2, "feeds")."""
    if not text or not key_path:
        return None
    lines = text.splitlines()
    table, index = key_path[0], None
    rest = list(key_path[1:])
    if rest and isinstance(rest[0], int):
        index = rest.pop(0)
    key = rest[0] if rest else None
    header = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")
    start, count = None, -1
    for n, line in enumerate(lines):
        m = header.match(line)
        if m and m.group(1) == table:
            count += 1
            if index is None or count == index:
                start = n
                break
    if start is None:
        # A top-level key, or a table given inline: look for "table =" / "table.key".
        for n, line in enumerate(lines):
            if re.match(rf"^\s*{re.escape(str(table))}\s*[=.]", line):
                return n + 1
        return None
    if key is None:
        return start + 1
    for n in range(start + 1, len(lines)):
        if header.match(lines[n]):
            break
        if re.match(rf"^\s*[\"']?{re.escape(str(key))}[\"']?\s*=", lines[n]):
            return n + 1
    return start + 1
