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
