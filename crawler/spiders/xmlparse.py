"""Safe XML parsing shared by the feed and sitemap parsers."""

from __future__ import annotations

import re
from html.entities import name2codepoint

from lxml import etree

# No entity expansion, no network, no huge trees; recover what a truncated file still holds.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.S)
# An ampersand that starts no reference: "?a=1&b=2" in a link, "Tom & Jerry" in a title.
_BARE_AMPERSAND = re.compile(rb"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9._-]*;)")
_NAMED = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")
_XML_NAMED = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def _repaired(body: bytes) -> bytes:
    """The two commonest faults of hand-made feeds and sitemaps mended: ampersands left
    bare, and HTML's named entities (&eacute;, &nbsp;), which XML does not know (read as
    the characters they name; a name no one knows, as written). Read as they are,
    everything after one such ampersand in a link or a title is lost ("?a=1&b=2" read
    "?a=1=2", "Caf&eacute; bar" read "Caf"). CDATA is left as it is."""
    def named(match) -> bytes:
        name = match.group(1)
        if name in _XML_NAMED:
            return match.group(0)
        code = name2codepoint.get(name.decode())
        return b"&#%d;" % code if code else b"&amp;" + name + b";"  # (one no one knows: kept as written)

    def mend(part: bytes) -> bytes:
        return _NAMED.sub(named, _BARE_AMPERSAND.sub(b"&amp;", part))
    return b"".join(part if part.startswith(b"<![CDATA[") else mend(part) for part in _CDATA.split(body))


def _errors():
    return [e for e in _PARSER.error_log if e.level >= etree.ErrorLevels.ERROR]


def local_name(tag) -> str:
    """"{namespace}Name" -> "name"; comments and processing instructions -> ""."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def xml_root(body: bytes, what: str, error: type[ValueError], kinds: tuple[str, ...], problems: list | None = None):
    """The root element of a feed or sitemap, or ``error`` with a one-line reason. A
    damaged file (cut short, bad markup) still gives what it holds, and the damage is
    appended to ``problems``, when given, in one line."""
    if not body or not body.strip():
        raise error(f"empty {what}")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise error(f"not XML ({exc})") from None
    errors = _errors()
    if errors and (mended := _repaired(body)) != body:
        try:
            again, left = etree.fromstring(mended, _PARSER), _errors()
        except etree.XMLSyntaxError:
            again = None
        if again is not None and len(left) <= len(errors):
            root, errors = again, left
    if root is None:
        raise error("not XML")
    kind = local_name(root.tag)
    if kind not in kinds:
        raise error(f"not a {what} (root element <{kind}>)")
    if errors and problems is not None:
        problems.append(f"malformed XML (line {errors[0].line}: {errors[0].message.strip()})")
    return root, kind
