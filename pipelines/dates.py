"""Dates as pages print them: ISO and RFC 822 values, and visible dates in several languages.

"3 November 2023, 18:40 GMT", "07.11.2023, 14:30 Uhr", "Publié le 28 août 2023 à 07h45",
"3 de abril de 2024, a las 10:20 h", "October 19, 2018 9:12am", "2019年4月22日",
"2019/04/22", "12/29/2014", "29.12.14". A visible date with no zone stays without one (the page
does not say which); a numeric date whose day could be its month and whose separator does not
say (03/04/14) is not read.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

MONTHS = {}
for number, names in enumerate([
    "january jan januar janvier enero gennaio janeiro januari jänner",
    "february feb februar février fevrier febrero febbraio fevereiro februari",
    "march mar märz maerz mars marzo março maart",
    "april apr avril abril aprile",
    "may mai mayo maggio maio mei",
    "june jun juni juin junio giugno junho",
    "july jul juli juillet julio luglio julho",
    "august aug août aout agosto augustus",
    "september sep sept septembre septiembre settembre setembro",
    "october oct oktober octobre octubre ottobre outubro",
    "november nov novembre noviembre novembro",
    "december dec dezember décembre decembre diciembre dicembre dezembro",
], start=1):
    for name in names.split():
        MONTHS[name] = number

MONTH_PATTERN = _MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_TIME = (r"(?:,?\s*(?:at|à|a las|um|alle|às|om|kl\.?|-|·|\|)?\s*(?P<h>\d{1,2})[:h.](?P<m>\d{2})"
         r"\s*(?P<ampm>[ap]m\b|[ap]\.\s?m\.)?)?")
_ZONE = r"(?:\s*(?:uhr|h|hrs))?(?:\s*(?P<zone>GMT|UTC|BST|CET|CEST))?"
VISIBLE_DATES = [
    # 28 août 2023, 3 de abril de 2024, 3. November 2023, 19 Oct 2018, 19 Oct, 2017
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?(?P<mon>{_MONTH})\.?,?\s+(?:de\s+)?(?P<y>\d{{4}})"
               rf"{_TIME}{_ZONE}", re.I),
    # October 19, 2018 9:12am
    re.compile(rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}{_ZONE}", re.I),
    # 2019年4月22日 15:00, 2019년 4월 22일 (Chinese, Japanese, Korean)
    re.compile(rf"(?P<y>\d{{4}})\s*[年년]\s*(?P<mo>\d{{1,2}})\s*[月월]\s*(?P<d>\d{{1,2}})\s*[日일]?{_TIME}", re.I),
    # 2019/04/22 or 2019-04-22 (year first: no doubt which is the day)
    re.compile(rf"\b(?P<y>\d{{4}})[/.-](?P<mo>\d{{1,2}})[/.-](?P<d>\d{{1,2}})\b{_TIME}{_ZONE}", re.I),
    # 07.11.2023, 14:30 Uhr; 12/29/2014; 29/12/14: day or month first (``_day_month``)
    re.compile(rf"\b(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})(?!\d){_TIME}{_ZONE}", re.I),
]
_ZONES = {"gmt": timezone.utc, "utc": timezone.utc, "bst": timezone(timedelta(hours=1)),
          "cet": timezone(timedelta(hours=1)), "cest": timezone(timedelta(hours=2))}


# Zones feeds and CMSs write that RFC 822 does not name (Python reads them as no zone at all,
# a clock time hours off): Europe's and Asia-Pacific's, and the US zones without S or D.
_RFC822_ZONES = {"cet": "+0100", "cest": "+0200", "met": "+0100", "mest": "+0200", "mez": "+0100",
                 "mesz": "+0200", "bst": "+0100", "wet": "+0000", "west": "+0100", "eet": "+0200",
                 "eest": "+0300", "msk": "+0300", "jst": "+0900", "kst": "+0900", "hkt": "+0800",
                 "sgt": "+0800", "awst": "+0800", "acst": "+0930", "aest": "+1000", "aedt": "+1100",
                 "nzst": "+1200", "nzdt": "+1300", "at": "-0400", "et": "-0500", "ct": "-0600",
                 "mt": "-0700", "pt": "-0800", "akst": "-0900", "hst": "-1000"}
_RFC822_OFFSET = re.compile(r"\s(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2}):?(\d{2})?\s*$", re.I)
_RFC822_NAMED = re.compile(r"\s([A-Za-z]{2,5})\s*$")


def _rfc822(value: str) -> str:
    """An RFC 822 date as Python reads it: a zone named as above or an offset written
    "+01:00", "GMT-5" given as "+0100", "-0500"; "13 Feb, 2012" without its comma."""
    value = re.sub(r"(\d{1,2} [A-Za-z]+\.?),(\s+\d{4})", r"\1\2", value)
    if m := _RFC822_OFFSET.search(value):
        sign, hours, minutes = m.groups()
        return value[:m.start()] + f" {sign}{int(hours):02d}{minutes or '00'}"
    if (m := _RFC822_NAMED.search(value)) and (zone := _RFC822_ZONES.get(m.group(1).lower())):
        return value[:m.start()] + " " + zone
    return value


def parse_date(value: str | None) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(_rfc822(value))  # RFC 822, as in RSS pubDate
    except (TypeError, ValueError, IndexError):
        pass
    # Near-ISO values some CMSs write: "2022-5-5 22:17:36", "2022-05-05T22:12:00 UTC".
    m = _LOOSE_ISO.fullmatch(value)
    if not m:
        return None
    y, mo, d, h, mi, s, zone = m.groups()
    try:
        when = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    return when.replace(tzinfo=timezone.utc) if zone else when


_LOOSE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(UTC|GMT|Z)?", re.I)


def normalise_date(value: str | None) -> str | None:
    """ISO 8601: with time and offset when the value has them, a bare date otherwise."""
    if not value or not isinstance(value, str):
        return None
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        parsed = parse_date(value)
        return parsed.date().isoformat() if parsed and 1990 <= parsed.year <= 2100 else None
    parsed = parse_date(value)
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    return parsed.isoformat()


def visible_date(text: str, order: str | None = None) -> str | None:
    """The first date printed in a piece of page text, as ISO 8601, or None. ``order``
    ("dmy" or "mdy"), where the page's language says it, reads a numeric date whose day
    could be its month."""
    best = None
    for pattern in VISIBLE_DATES:
        m = pattern.search(text or "")
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    parts = best.groupdict()
    if parts.get("a"):
        numbers = _day_month(int(parts["a"]), int(parts["b"]), parts["sep"], order)
        if numbers is None:
            return None
        parts["d"], month = numbers
    else:
        month = MONTHS.get(parts["mon"].lower().rstrip(".")) if parts.get("mon") else int(parts["mo"])
    year = int(parts["y"])
    if year < 100:  # a two-digit year: this century's unless that is still to come
        year += 2000 if 2000 + year <= datetime.now().year + 1 else 1900
    parts["y"] = year
    try:
        day = datetime(int(parts["y"]), month, int(parts["d"]))
    except (TypeError, ValueError):
        return None
    if not 1990 <= day.year <= 2100:
        return None
    if parts.get("h") is None:
        return day.date().isoformat()
    hour, minute = int(parts["h"]), int(parts["m"])
    if parts.get("ampm"):
        hour = hour % 12 + (12 if parts["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return day.date().isoformat()
    when = day.replace(hour=hour, minute=minute)
    zone = _ZONES.get((parts.get("zone") or "").lower())
    return (when.replace(tzinfo=zone) if zone else when).isoformat()


def _day_month(a: int, b: int, separator: str, order: str | None = None) -> tuple[int, int] | None:
    """(day, month) of two numbers: the one over 12 is the day; where both could be, day
    first for dots (as Europe writes them), and for slashes as the page's language writes
    dates (``order``), else no answer (03/04/14 is March or April as the page's country writes it)."""
    if a > 12 >= b:
        return a, b
    if b > 12 >= a:
        return b, a
    if a > 12 or b > 12:
        return None
    if separator == ".":
        return a, b
    if order in ("dmy", "mdy"):
        return (a, b) if order == "dmy" else (b, a)
    return None


def after(published: str, fetched: datetime) -> bool:
    date = parse_date(published)
    if date is None:
        return False
    if date.tzinfo is None or fetched.tzinfo is None:
        return date.date() > fetched.date()
    return date > fetched
