"""Why a story has its label, in sentences: the reader's judgement, else what newsmon's
label rests on (the same-story score, the topic terms, the model's score and its
strongest features). Shared by `newsmon show`, `newsmon review` and the report."""

from __future__ import annotations

LABEL_NAMES = {"same_story": "same story", "related": "related", "unrelated": "unrelated"}


def why_lines(story: dict) -> list[str]:
    """``story``: a row with label, auto_label, label_why (dict) and judgement (dict or None)."""
    lines = []
    judgement = story.get("judgement")
    auto = story.get("auto_label") or (None if judgement else story.get("label"))
    if judgement:
        said = f"; newsmon said {_name(auto)}" if auto and auto != judgement["label"] else ""
        lines.append(f"{_name(judgement['label'])}: the reader's judgement ({judgement['judged_at'][:10]}{said})"
                     + (f": {judgement['note']}" if judgement.get("note") else ""))
    why = story.get("label_why")
    if not why:
        if not judgement:
            lines.append(f"{_name(story.get('label'))}: newsmon kept no reasons for this story "
                         "(labelled before it did)")
        return lines
    same = why.get("same_story") or {}
    topic = why.get("topic")
    prefix = "newsmon's reasons: " if judgement else f"{_name(auto)}: "
    score, cut = same.get("score", 0.0), same.get("threshold", 0.0)
    if auto == "same_story":
        lines.append(f"{prefix}covers the source's event (same-story score {score:.2f}, from {cut:.2f})")
    elif auto == "related":
        lines.append(f"{prefix}on the watch's subject, another event (same-story score {score:.2f}, below {cut:.2f})")
    else:
        lines.append(f"{prefix}off the watch's subject (same-story score {score:.2f}, below {cut:.2f})")
    if same.get("evidence"):
        lines.append("  strongest same-story evidence (log-odds): " + ", ".join(
            f"{name.replace('_', ' ')} {effect:+.1f}" for name, effect in same["evidence"].items()))
    if topic:
        lines.extend("  " + line for line in topic_lines(topic))
    return lines


def topic_lines(topic: dict) -> list[str]:
    like = topic.get("like_judged")  # a story the reader corrected, much like this one, decided
    own = topic["score"] >= topic["threshold"] if like else topic.get("on_topic")  # (the model's own verdict)
    verdict = "on the subject" if own else "not on the subject"
    if str(topic.get("model", "")).startswith("model:"):
        lines = [f"topic model: {topic['score']:.2f} ({verdict} from {topic['threshold']:.2f}; {topic['model']})"]
        if topic.get("features"):
            lines.append("strongest features: " + ", ".join(
                f"{'its topic terms' if name == '[terms]' else name} {weight:+.2f}" for name, weight in topic["features"]))
    else:
        lines = [f"topic terms: score {topic['score']:.2f} ({verdict} from {topic['threshold']:.2f})"]
    if like:
        judged = "on the subject" if like["on_subject"] else "off the subject"
        lines.insert(0, f"{'on' if topic.get('on_topic') else 'not on'} the subject: much like story "
                        f"{like['story']}, which the reader judged {judged} (cosine {like['cosine']:.2f}): "
                        f"{like['title']}")
    if topic.get("terms"):
        lines.append("terms found: " + ", ".join(f"{t} \u00d7{n}" for t, n in topic["terms"].items()))
    return lines


def _name(label: str | None) -> str:
    return LABEL_NAMES.get(label, label or "unlabelled")
