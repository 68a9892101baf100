"""Shared text helpers: normalising, tokens, hashing."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                         "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)


def normalise(text: str) -> str:
    """One canonical spelling of a text: NFKC, plain quotes and dashes, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Lower-cased word tokens of normalised text."""
    return [w.lower() for w in _WORD.findall(normalise(text))]


def text_hash(text: str) -> str:
    """Hash of the words alone, so whitespace, case and punctuation edits do not count."""
    return hashlib.sha1(" ".join(words(text)).encode("utf-8")).hexdigest()


def content_hash(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    return hashlib.sha1(data).hexdigest()
