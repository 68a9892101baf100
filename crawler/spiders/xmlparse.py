"""Safe XML parsing shared by the feed and sitemap parsers."""

from __future__ import annotations

from lxml import etree

# No entity expansion, no network, no huge trees; recover what a truncated file still holds.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


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
    if root is None:
        raise error("not XML")
    kind = local_name(root.tag)
    if kind not in kinds:
        raise error(f"not a {what} (root element <{kind}>)")
    errors = [e for e in _PARSER.error_log if e.level >= etree.ErrorLevels.ERROR]
    if errors and problems is not None:
        problems.append(f"malformed XML (line {errors[0].line}: {errors[0].message.strip()})")
    return root, kind
