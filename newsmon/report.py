"""`newsmon report`: the archive's coverage of a source as one self-contained HTML page.

No script, no web font, no image file: the chart is inline SVG and the style inline CSS,
so the page opens anywhere, offline, and can be mailed as one file. Every piece of text
from the archive (titles, bylines, quotes, sentences, URLs) passes through ``esc`` or
``href``; nothing from a crawled page reaches the markup unescaped.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from newsmon.why import why_lines
from pipelines.archive import Archive, ArchiveError, decode_comparison

LABELS = ("same_story", "related", "unrelated")
LABEL_NAMES = {"same_story": "same story", "related": "related", "unrelated": "unrelated"}
COLOURS = {"same_story": "#b03a2e", "related": "#e08e0b", "unrelated": "#9aa5b1"}
# Beyond this many days the chart counts weeks, so bars stay wide enough to read.
MAX_DAILY_BARS = 120


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def href(url: str | None) -> str | None:
    """The URL, escaped for an attribute, only if it is http(s): a crawled page must not
    plant a javascript: or data: link in the report."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return esc(url) if scheme in ("http", "https") else None


def link(text, url: str | None) -> str:
    target = href(url)
    return f'<a href="{target}" rel="noopener noreferrer">{esc(text)}</a>' if target else esc(text)


def gather(archive: Archive, source_id: str | None = None) -> dict:
    """Everything the page shows, as plain data (also what the tests look at)."""
    sources = archive.sources()
    if source_id is not None and not any(s["id"] == source_id for s in sources):
        raise ArchiveError(f"no source with id {source_id!r}: `newsmon sources list` lists them")
    if source_id is None and len(sources) == 1:
        source_id = sources[0]["id"]
    source = next((s for s in sources if s["id"] == source_id), None)
    where, args = ("where s.source_id = ?", [source_id]) if source_id else ("", [])
    db = archive.db
    stories = [dict(r) for r in db.query(
        f"select s.id, s.title, s.outlet, coalesce(o.name, s.outlet) as outlet_name, s.url, s.published, "
        f"s.authors, s.label, s.same_story_score, s.copy_group, s.word_count, s.auto_label, s.label_why, "
        f"j.label as judged_label, j.judged_at, j.note as judged_note "
        f"from stories s left join outlets o on o.id = s.outlet left join judgements j on j.story_id = s.id {where} "
        f"order by coalesce(s.published, s.first_seen), s.id", args)]
    for story in stories:
        story["authors"] = json.loads(story["authors"]) if story["authors"] else []
        story["label_why"] = json.loads(story["label_why"]) if story["label_why"] else None
        judged = story.pop("judged_label"), story.pop("judged_at"), story.pop("judged_note")
        story["judgement"] = {"label": judged[0], "judged_at": judged[1], "note": judged[2]} if judged[0] else None
        story["why"] = why_lines(story)
    comparisons = {}
    if source_id:
        for row in db.query("select * from comparisons where source_id = ?", [source_id]):
            comparisons[row["story_id"]] = decode_comparison(row)
    outlets = defaultdict(lambda: {"stories": 0, "same_story": 0, "related": 0, "first": None, "latest": None})
    for story in stories:
        row = outlets[story["outlet_name"]]
        row["stories"] += 1
        if story["label"] in ("same_story", "related"):
            row[story["label"]] += 1
        if story["published"]:
            row["first"] = min(filter(None, (row["first"], story["published"])))
            row["latest"] = max(filter(None, (row["latest"], story["published"])))
    groups = defaultdict(list)
    for story in stories:
        if story["copy_group"] is not None:
            groups[story["copy_group"]].append(story)
    dated = [s for s in stories if s["published"]]
    return {
        "source": source,
        "sources": sources,
        "stories": stories,
        "comparisons": comparisons,
        "same_story": [s for s in stories if s["label"] == "same_story"],
        "related": [s for s in stories if s["label"] == "related"],
        "outlets": sorted(({"outlet": k, **v} for k, v in outlets.items()),
                          key=lambda r: (-r["same_story"], -r["stories"], r["outlet"])),
        "groups": [g for g in groups.values() if len(g) > 1],
        # Who broke the story: the first same-story article (any story, failing that).
        "first": next((s for s in dated if s["label"] == "same_story"), dated[0] if dated else None),
        "source_framing": _source_framing(comparisons),
        "timeline": timeline(archive.timeline(source_id)),
        "conflicts": sum(len(c.get("facts_conflict") or []) for c in comparisons.values()),
    }


def _source_framing(comparisons: dict) -> dict:
    """The source's framing terms: any comparison holds them, split as shared or not."""
    for c in comparisons.values():
        return {**(c.get("framing_both") or {}), **(c.get("framing_source_only") or {})}
    return {}


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def timeline(rows: list[dict]) -> dict:
    """``Archive.timeline`` rows (day, label, stories) as chart buckets: per day, or per week
    over long spans, every bucket in the span present so that quiet days show as gaps."""
    rows = [(d, r["label"], r["stories"]) for r in rows if (d := _day(r["day"]))]
    days = [d for d, _label, _n in rows]
    if not days:
        return {"unit": "day", "buckets": []}
    first, last = min(days), max(days)
    weekly = (last - first).days + 1 > MAX_DAILY_BARS
    step = 7 if weekly else 1

    def bucket(d: date) -> date:
        return d - timedelta(days=d.weekday()) if weekly else d

    counts = defaultdict(lambda: dict.fromkeys(LABELS, 0))
    for d, label, n in rows:
        if label in LABELS:
            counts[bucket(d)][label] += n
    out, d = [], bucket(first)
    while d <= last:
        out.append({"start": d.isoformat(), **counts[d]})
        d += timedelta(days=step)
    return {"unit": "week" if weekly else "day", "buckets": out}


def chart(data: dict, source_day: date | None) -> str:
    """Stacked bars of stories per day and label, as inline SVG."""
    buckets = data["buckets"]
    if not buckets:
        return '<p class="muted">No dated stories yet.</p>'
    width, height, left, bottom, top = 900, 260, 40, 46, 16
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(sum(b[label] for label in LABELS) for b in buckets) or 1
    step = max(1, -(-peak // 5))  # at most about five gridlines
    ymax = step * -(-peak // step)
    bar_w = plot_w / len(buckets)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Stories per {data["unit"]} and label">']
    for value in range(0, ymax + 1, step):
        y = top + plot_h - plot_h * value / ymax
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{value}</text>')
    every = max(1, round(len(buckets) / 12))  # about a dozen dates under the axis
    for i, b in enumerate(buckets):
        x, y = left + i * bar_w, top + plot_h
        for label in LABELS:
            n = b[label]
            if not n:
                continue
            h = plot_h * n / ymax
            y -= h
            parts.append(f'<rect x="{x + bar_w * 0.1:.1f}" y="{y:.1f}" width="{max(bar_w * 0.8, 1):.1f}" '
                         f'height="{h:.1f}" fill="{COLOURS[label]}"><title>{esc(b["start"])}: {n} '
                         f'{esc(LABEL_NAMES[label])}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" class="axis" '
                         f'text-anchor="middle">{esc(b["start"][5:])}</text>')
    if source_day is not None:
        first = date.fromisoformat(buckets[0]["start"])
        span = 7 if data["unit"] == "week" else 1
        offset = (source_day - first).days / span
        if 0 <= offset <= len(buckets):
            x = left + offset * bar_w + (bar_w / 2 if span == 1 else 0)
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" class="marker"/>'
                         f'<text x="{x + 4:.1f}" y="{top + 10}" class="marker-label">source</text>')
    legend_x = left
    for label in LABELS:
        parts.append(f'<rect x="{legend_x}" y="{height - 16}" width="12" height="12" fill="{COLOURS[label]}"/>'
                     f'<text x="{legend_x + 17}" y="{height - 6}" class="axis">{esc(LABEL_NAMES[label])}</text>')
        legend_x += 120
    parts.append(f'<text x="{width - 10}" y="{height - 6}" class="axis" text-anchor="end">'
                 f'one bar per {data["unit"]}, {esc(buckets[0]["start"])} to {esc(buckets[-1]["start"])}'
                 f'</text></svg>')
    return "".join(parts)


def _when(published: str | None) -> str:
    return esc(published[:16].replace("T", " ")) if published else '<span class="muted">undated</span>'


def _relation(comparison: dict | None) -> str:
    if not comparison or comparison.get("published_relation") in (None, "unknown"):
        return ""
    days = comparison.get("days_from_source")
    rel = comparison["published_relation"]
    if rel == "same_day" or days == 0:
        return "same day as the source"
    n = abs(days or 0)
    return f"{n} day{'s' if n != 1 else ''} {'before' if rel == 'before' else 'after'} the source"


def number_text(value) -> str:
    """68.0 -> "68", 2.5 -> "2.5"; anything else as it is (callers escape)."""
    try:
        return str(int(value)) if float(value).is_integer() else str(value)
    except (TypeError, ValueError, OverflowError):
        return str(value)


def _facts(title: str, facts: list[dict], conflict: bool) -> str:
    if not facts:
        return ""
    items = []
    for f in facts:
        if conflict:
            items.append(f'<li><b>{esc(f.get("story_text") or number_text(f.get("story_value")))}</b> where the source '
                         f'has <b>{esc(number_text(f.get("source_value")))}</b> ({esc(f.get("noun"))})'
                         f'<blockquote>{esc(f.get("story_sentence"))}</blockquote>'
                         f'<blockquote class="source">Source: {esc(f.get("source_sentence"))}</blockquote></li>')
        else:
            items.append(f'<li>{esc(f.get("story_text"))} <span class="muted">(source: '
                         f'{esc(number_text(f.get("source_value")))})</span></li>')
    cls = "conflict" if conflict else "agree"
    return f'<div class="{cls}"><h4>{esc(title)}</h4><ul>{"".join(items)}</ul></div>'


def _framing(comparison: dict) -> str:
    rows = []
    # The source's own terms are listed once, at the top of the page.
    for key, who in (("framing_story_only", "only this story"), ("framing_both", "also in the source")):
        terms = comparison.get(key) or {}
        if terms:
            chips = "".join(f'<span class="chip {esc(frame)}" title="{esc(frame)}">{esc(term)}</span>'
                            for term, frame in sorted(terms.items()))
            rows.append(f"<tr><th>{esc(who)}</th><td>{chips}</td></tr>")
    return f'<div><h4>Framing terms</h4><table class="framing">{"".join(rows)}</table></div>' if rows else ""


def _why(story: dict) -> str:
    """Why the story has its label, folded: the reader's judgement or newsmon's reasons."""
    lines = story.get("why") or []
    if not lines:
        return ""
    summary = "Judged by the reader" if story.get("judgement") else "Why newsmon labelled it so"
    return (f'<details class="why"><summary>{esc(summary)}</summary>'
            + "".join(f"<div>{esc(line.strip())}</div>" for line in lines) + "</details>")


def _story_section(story: dict, comparison: dict | None, copies: list[dict]) -> str:
    meta = [esc(story["outlet_name"]), _when(story["published"])]
    if story["authors"]:
        meta.append("by " + esc(", ".join(story["authors"])))
    relation = _relation(comparison)
    if relation:
        meta.append(esc(relation))
    parts = [f'<section class="story" id="story-{int(story["id"])}">'
             f'<h3>{link(story["title"] or "(untitled)", story["url"])}</h3>'
             f'<p class="meta">{" · ".join(meta)} · story {int(story["id"])}</p>']
    if comparison:
        similarity = comparison.get("similarity") or 0
        parts.append(f'<p>Similarity to the source: <span class="meter"><span style="width:{similarity * 100:.0f}%">'
                     f'</span></span> {similarity:.2f}</p>')
        parts.append(_facts("Figures that conflict with the source", comparison.get("facts_conflict") or [], True))
        parts.append(_facts("Figures that agree with the source", comparison.get("facts_agree") or [], False))
        quotes = comparison.get("quotes_shared") or []
        if quotes:
            parts.append('<div><h4>Quotes shared with the source</h4><ul>' + "".join(
                f'<li><q>{esc(q.get("story"))}</q></li>' for q in quotes) + "</ul></div>")
        parts.append(_framing(comparison))
        both = (comparison.get("people_both") or []) + (comparison.get("organisations_both") or [])
        if both:
            parts.append(f'<p class="names"><b>Named in both:</b> {esc(", ".join(both))}</p>')
    parts.append(_why(story))
    if copies:
        parts.append('<p class="names"><b>Also published as:</b> ' + ", ".join(
            f'{link(c["outlet_name"], c["url"])} ({_when(c["published"])})' for c in copies) + "</p>")
    parts.append("</section>")
    return "".join(parts)


STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2933;margin:0;background:#f5f7fa}
main{max-width:980px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 10px;border-bottom:2px solid #e4e7eb;padding-bottom:4px}
h3{font-size:16px;margin:0 0 2px}h4{font-size:13px;margin:10px 0 4px;text-transform:uppercase;letter-spacing:.04em;color:#52606d}
a{color:#1d4ed8;text-decoration:none}a:hover{text-decoration:underline}
.muted,.meta{color:#616e7c}.meta{font-size:13px;margin:0 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.card{flex:1 1 100px;border:1px solid #e4e7eb;border-radius:6px;padding:8px 12px}
.card b{display:block;font-size:22px}.card span{font-size:12px;color:#616e7c}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.chart{width:100%;height:auto}.chart .grid{stroke:#e4e7eb}.chart .axis{font-size:11px;fill:#616e7c}
.chart .marker{stroke:#1f2933;stroke-dasharray:4 3}.chart .marker-label{font-size:11px;fill:#1f2933}
.story{border-left:4px solid #b03a2e;padding:6px 0 6px 14px;margin:18px 0}
.why{font-size:13px;color:#52606d;margin:4px 0}.why summary{cursor:pointer}.why div{margin-left:14px}
.meter{display:inline-block;width:120px;height:8px;background:#e4e7eb;border-radius:4px;vertical-align:middle}
.meter span{display:block;height:100%;background:#b03a2e;border-radius:4px}
.conflict{background:#fdf1ef;border-radius:6px;padding:2px 12px 6px;margin:6px 0}
blockquote{margin:4px 0 4px 14px;font-size:13px;color:#3e4c59}blockquote.source{color:#7b8794}
.chip{display:inline-block;border-radius:10px;padding:0 8px;margin:2px;font-size:12px;background:#e4e7eb}
.chip.restrictive{background:#fde2dd}.chip.protective{background:#dff3e4}.chip.political-labels{background:#e6e0f8}
.framing th{width:130px;font-weight:normal;color:#616e7c}
ul{margin:2px 0;padding-left:20px}.names{font-size:13px}
"""


def render(data: dict, title: str = "Coverage report") -> str:
    source, stories = data["source"], data["stories"]
    copies_of = {}
    for group in data["groups"]:
        for story in group:
            copies_of[story["id"]] = [c for c in group if c["id"] != story["id"]]
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
           '<meta name="viewport" content="width=device-width,initial-scale=1">'
           # The page needs nothing from the network; say so to the browser as well.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:\">"
           f"<title>{esc(title)}</title><style>{STYLE}</style></head><body><main>"]
    if source:
        out.append(f'<h1>{esc(title)}: {esc(source["title"])}</h1>'
                   f'<p class="meta">Source {link(source["id"], source.get("url"))}, published '
                   f'{esc(source.get("published") or "on an unknown date")}. Report made {esc(generated)}.</p>')
    else:
        out.append(f'<h1>{esc(title)}</h1><p class="meta">All stories in the archive. Report made {esc(generated)}.</p>')
    first = data["first"]
    cards = [(len(stories), "stories"), (len(data["same_story"]), "on the same story"),
             (len(data["related"]), "related"), (len(data["outlets"]), "outlets"),
             (data["conflicts"], "conflicting figures"), (len(data["groups"]), "syndicated groups")]
    out.append('<div class="cards">' + "".join(f'<div class="card"><b>{n}</b><span>{esc(what)}</span></div>'
                                               for n, what in cards) + "</div>")
    if data["source_framing"]:
        out.append('<p>Framing terms in the source: ' + "".join(
            f'<span class="chip {esc(frame)}" title="{esc(frame)}">{esc(term)}</span>'
            for term, frame in sorted(data["source_framing"].items())) + "</p>")
    if first:
        out.append(f'<p>First to publish: <b>{esc(first["outlet_name"])}</b>, {_when(first["published"])}, '
                   f'{link(first["title"], first["url"])}.</p>')
    source_day = _day(source.get("published")) if source else None
    out.append(f'<h2>Coverage over time</h2>{chart(data["timeline"], source_day)}')
    out.append("<h2>Outlets</h2><table><thead><tr><th>Outlet</th><th>Stories</th><th>Same story</th>"
               "<th>Related</th><th>First</th><th>Latest</th></tr></thead><tbody>")
    for row in data["outlets"]:
        out.append(f'<tr><td>{esc(row["outlet"])}</td><td class="n">{row["stories"]}</td>'
                   f'<td class="n">{row["same_story"]}</td><td class="n">{row["related"]}</td>'
                   f'<td>{_when(row["first"])}</td><td>{_when(row["latest"])}</td></tr>')
    out.append("</tbody></table>")
    out.append(f'<h2>The same story, article by article ({len(data["same_story"])})</h2>')
    if not data["same_story"]:
        out.append('<p class="muted">No story in the archive is about the same event yet.</p>')
    for story in data["same_story"]:
        out.append(_story_section(story, data["comparisons"].get(story["id"]), copies_of.get(story["id"], [])))
    out.append(f'<h2>Syndicated copies ({len(data["groups"])} groups)</h2>')
    if not data["groups"]:
        out.append('<p class="muted">No article was found at more than one outlet.</p>')
    for group in data["groups"]:
        lead = group[0]
        out.append(f'<h3>{esc(lead["title"])}</h3><table><tbody>' + "".join(
            f'<tr><td>{esc(c["outlet_name"])}</td><td>{_when(c["published"])}</td>'
            f'<td>{link(c["title"], c["url"])}</td><td>{esc(LABEL_NAMES.get(c["label"], c["label"] or ""))}</td></tr>'
            for c in group) + "</tbody></table>")
    related = data["related"]
    out.append(f"<h2>Related coverage ({len(related)})</h2>")
    if related:
        out.append("<table><tbody>" + "".join(
            f'<tr><td>{_when(s["published"])}</td><td>{esc(s["outlet_name"])}</td>'
            f'<td>{link(s["title"] or "(untitled)", s["url"])}{_why(s)}</td></tr>' for s in related) + "</tbody></table>")
    else:
        out.append('<p class="muted">None yet.</p>')
    out.append('<p class="meta" style="margin-top:40px">Made by newsmon from its archive. '
               f'{len(stories)} stories shown.</p></main></body></html>')
    return "".join(out)


def build_report(archive: Archive, source_id: str | None = None) -> str:
    return render(gather(archive, source_id))
