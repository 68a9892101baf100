"""One configuration: every setting resolved once, the same way for every command.

Layers, later winning: the defaults (``crawler/settings.py``, the only place a default is
written), the watch file's ``[crawl]`` table, the environment (any setting by its own
name: ``NEWSMON_DEDUP_BANDS=32``, ``DOWNLOAD_DELAY=0.5``), and ``-s NAME=VALUE`` on the
command line. The result is a Scrapy ``Settings`` object: the crawl hands it to Scrapy,
and ingest, dedup, store and the read commands take their values from the same object
(``getint``, ``getfloat``, ``getbool``, ``getlist``, ``getdict``), with where each value
came from (``origin``) for ``newsmon settings``.
"""

from __future__ import annotations

import json
import os

from crawler import settings as defaults

# Scrapy setting priorities of the layers (higher wins).
LAYERS = {"default": 20, "watch": 30, "environment": 35, "command line": 40}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A setting that cannot be taken; str() is one line naming the setting and its origin."""


def names() -> list[str]:
    """Every setting newsmon knows, Scrapy's and its own."""
    return sorted(n for n in dir(defaults) if n.isupper() and not n.startswith("_") and n != "WATCH_OVERRIDABLE")


def parse(name: str, text: str, origin: str):
    """A setting's value from text (the environment, -s), typed as its default is."""
    if name not in names():
        raise ConfigError(f"{name}: no such setting ({origin}); `newsmon settings` lists them")
    default = getattr(defaults, name)
    text = text.strip()
    try:
        if isinstance(default, bool):
            if text.lower() not in _TRUE | _FALSE:
                raise ValueError("not true or false")
            return text.lower() in _TRUE
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, (list, dict)):
            if isinstance(default, list) and not text.startswith("["):
                return [part.strip() for part in text.split(",") if part.strip()]
            value = json.loads(text)
            if not isinstance(value, type(default)):
                raise ValueError(f"not a JSON {type(default).__name__}")
            return value
        return text
    except ValueError as exc:
        kind = {"bool": "true or false", "int": "an integer", "float": "a number", "list": "a list",
                "dict": "a JSON object"}.get(type(default).__name__, "a value")
        raise ConfigError(f"{name}: {text!r} is not {kind} ({origin}: {str(exc).splitlines()[0]})") from None


def parse_assignments(pairs) -> dict:
    """``-s NAME=VALUE`` options, typed."""
    out = {}
    for pair in pairs or ():
        name, sep, text = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"-s {pair!r}: give NAME=VALUE, for example -s DOWNLOAD_DELAY=0.5")
        out[name.strip()] = parse(name.strip(), text, "-s")
    return out


def from_environment(environ=None) -> dict:
    """Settings the environment sets, by their own names, typed."""
    environ = os.environ if environ is None else environ
    return {name: parse(name, environ[name], "environment") for name in names() if name in environ}


def resolve(watch=None, command_line: dict | None = None, environ=None):
    """Every setting, resolved: defaults < the watch's [crawl] < environment < command line.
    ``command_line``: typed values (``parse_assignments``, or a command's own options)."""
    from scrapy.settings import Settings

    resolved = Settings()
    resolved.setmodule(defaults, priority=LAYERS["default"])
    if watch is not None:
        resolved.update(dict(watch.crawl), priority=LAYERS["watch"])
    resolved.update(from_environment(environ), priority=LAYERS["environment"])
    resolved.update(dict(command_line or {}), priority=LAYERS["command line"])
    return resolved


def origin(resolved, name: str) -> str:
    """Which layer a resolved setting's value came from."""
    priority = resolved.getpriority(name)
    return next((layer for layer, p in sorted(LAYERS.items(), key=lambda kv: -kv[1]) if priority is not None
                 and priority >= p), "scrapy")


def reference() -> str:
    """The settings reference (docs/settings.md), made from ``crawler/settings.py`` itself:
    its groups, each setting's default and the comment written above it, the watch file's
    key for it, and how to set it. The docs test keeps the file equal to this."""
    import inspect
    import re

    keys = {setting: key for key, setting in defaults.WATCH_OVERRIDABLE.items()}
    out = ["# Settings", "",
           "Every setting of newsmon, made from `crawler/settings.py` (the only place a default is",
           "written) by `python -m crawler.config > docs/settings.md`. Any setting can be set, later",
           "winning: in the watch file's `[crawl]` table (the keys listed), in the environment by its",
           "own name (`NEWSMON_DEDUP_BANDS=32 newsmon crawl`), or with `-s NAME=VALUE` on any command",
           "(`newsmon crawl -s DOWNLOAD_DELAY=0.5`). `newsmon settings` shows each value as resolved",
           "and where it came from. Scrapy's own settings keep Scrapy's names.", ""]
    comment: list[str] = []
    carried = ("", "")  # (prefix, comment): a comment speaks for the settings of its prefix below it
    rows: list[str] = []

    def flush_group():
        if rows:
            out.extend(["| setting | default | watch key | what it does |", "|---|---|---|---|", *rows, ""])
            rows.clear()

    lines = inspect.getsource(defaults).splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = re.match(r"^# --- (.+?) -+\s*$", line)
        if heading:
            flush_group()
            out.extend([f"## {heading.group(1)[0].upper() + heading.group(1)[1:]}", ""])
            comment, carried = [], ("", "")
        elif line.startswith("#"):
            comment.append(line.lstrip("# ").rstrip())
        elif re.match(r"^[A-Z][A-Z0-9_]* = ", line):
            name = line.split(" = ", 1)[0]
            while lines[i].rstrip().endswith(("{", "[", ",")) and i + 1 < len(lines):  # a value over lines
                i += 1
            prefix = "_".join(name.split("_")[:2])
            if comment:
                carried = (prefix, " ".join(comment))
            what = carried[1] if comment or prefix == carried[0] else ""
            comment = []
            if name != "WATCH_OVERRIDABLE":
                value = json.dumps(getattr(defaults, name), default=str)
                value = value if len(value) <= 40 else value[:37] + "..."
                key = f"`{keys[name]}`" if name in keys else ""
                rows.append(f"| `{name}` | `{value}` | {key} | {what.replace('|', chr(92) + '|')} |")
        elif not line.strip():
            comment = []
        i += 1
    flush_group()
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(reference(), end="")
