"""The modelled flow as an inline SVG diagram, and the referral rules in words."""

from __future__ import annotations

import html
import textwrap
from typing import Any

from capsim.charts.growth_words import volume_and_growth
from capsim.metric_names import QueueArrivals, queue_arrivals, stream_priorities
from capsim.scenario import Scenario, Stream
from capsim.staff_notes import heads_words, roster_words
from capsim.units import SECONDS_PER_HOUR, format_duration, percent
from capsim.words import seconds_text


_FONT = 13


_LINE = 17


_CHAR = 7.1  # average character width in px at 13 px sans-serif


def _wrap(text: str, width_px: float) -> list[str]:
    return textwrap.wrap(text, max(8, int((width_px - 16) / _CHAR))) or [""]


def _box(x: float, y: float, w: float, lines: list[tuple[str, bool]], fill: str, stroke: str,
         dashed: bool = False, min_h: float = 0) -> tuple[str, float]:
    wrapped: list[tuple[str, bool]] = []
    for text, bold in lines:
        wrapped += [(t, bold) for t in _wrap(text, w)]
    h = max(min_h, 12 + _LINE * len(wrapped))
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    parts = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="6" fill="{fill}" '
             f'stroke="{stroke}" stroke-width="1.5"{dash}/>']
    for i, (text, bold) in enumerate(wrapped):
        weight = ' font-weight="bold"' if bold else ""
        parts.append(f'<text x="{x + 8:.0f}" y="{y + 6 + _LINE * (i + 0.8):.0f}"{weight}>{html.escape(text)}</text>')
    return "\n".join(parts), h


def _arrow(x1: float, y1: float, x2: float, y2: float, dashed: bool = False, label: str = "") -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    if abs(y1 - y2) < 1 or abs(x1 - x2) < 1:
        path = f"M{x1:.0f},{y1:.0f} L{x2:.0f},{y2:.0f}"
    else:
        mid = (x1 + x2) / 2
        path = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    out = (f'<path d="{path}" fill="none" stroke="#333" stroke-width="1.5"{dash} '
           f'marker-end="url(#capsim-arrow)"/>')
    if label:
        out += (f'<text x="{(x1 + x2) / 2:.0f}" y="{(y1 + y2) / 2 - 5:.0f}" text-anchor="middle" '
                f'font-size="12">{html.escape(label)}</text>')
    return out


def _arrivals_text(stream: Stream, scenario: Scenario) -> str:
    """What arrives on ``stream``, for its box: its volume (items a day) and growth in the words
    of the charts' footers (:func:`capsim.charts.growth_words.volume_and_growth`), or "no new
    arrivals" for a stream that only brings a backlog (rate 0, no growth)."""
    if stream.rate == 0 and stream.growth.model == "none":
        return "no new arrivals"
    return volume_and_growth(stream, scenario)


def _priority_text(stream: Stream, classified: bool) -> str:
    """The priority ``stream``'s items queue at, for its box: "set by the classifier" where one is on,
    each priority of its ``priority_mix`` with its share of the items ("urgent 10% · normal 90%"),
    or its one priority."""
    if classified:
        return "set by the classifier"
    if stream.priority_mix:
        return " · ".join(f"{p} {percent(share)}" for p, share in stream.priority_mix.items())
    return stream.priority


def _queue_text(arrivals: QueueArrivals | None, priority: str, classifier: Any) -> str:
    """What arrives in one team's queue of ``priority``, for its row (:func:`capsim.metric_names.queue_arrivals`):
    the streams whose items queue there (with a classifier, the items it flags or not), then the
    referrals from each team that queue there; "—" where nothing does."""
    if arrivals is None:
        return "—"
    feeding = list(arrivals.streams)
    if classifier is not None and feeding:  # the classifier sets the priority of every item it scores
        feeding = [f"items the classifier {'flags' if priority == classifier.positive_priority else 'does not flag'}"]
    return ", ".join(feeding + [f"referrals from {team}" for team in arrivals.referred_from])


def _order_text(team: Any) -> str:
    """The order ``team``'s analysts take waiting items in, for its queues' box (its ``order``)."""
    if team.order == "earliest_deadline":
        return "earliest deadline first, across the queues (arrival + the priority's SLA)"
    return "first come, first served within a priority"


def _tool_lines(name: str, tool: Any, scenario: Scenario) -> list[tuple[str, bool]]:
    title = name.replace("_", " ").capitalize()
    if name == "hash_matching":
        detail = (f"clears known items without review: {tool.match_rate:.0%} of them match"
                  + (f"; {tool.spot_check:.0%} still checked by a person" if getattr(tool, "spot_check", 0) else ""))
    elif name == "classifier":
        if getattr(tool, "operating_points", None):
            p = tool.operating_points[tool.threshold]
            perf = f"recall {p.recall:.0%}, false positives {p.fpr:.0%}"
        else:
            perf = f"recall {tool.recall:.0%}, " + (f"false positives {tool.fpr:.0%}" if tool.fpr is not None
                                                    else f"precision {tool.precision:.0%}")
        detail = (f"flags harmful items ({perf}: assumed); flagged → {tool.positive_priority}, "
                  f"others → {tool.negative_priority}; review × {tool.time_factor:g}")
    elif name == "synthetic_detector":
        detail = f"flags AI-generated items (true positives {tool.tpr:.0%}, false positives {tool.fpr:.0%}: assumed)"
    elif name == "clustering":
        detail = f"near-duplicates reviewed together; later ones take {tool.follow_fraction:.0%} of the time"
    elif name == "wellbeing":
        cap = getattr(tool, "exposure_cap", None)
        detail = f"review time × {tool.time_factor:g}" + (f"; exposure cap {cap / SECONDS_PER_HOUR:g} h/day" if cap else "")
    else:
        detail = "enabled"
    return [(title, True), (detail, False)]


def enabled_tools(scenario: Scenario) -> dict[str, Any]:
    tooling = scenario.tooling
    if hasattr(tooling, "enabled") and callable(tooling.enabled):
        return dict(tooling.enabled())
    return {name: getattr(tooling, name) for name in type(tooling).model_fields
            if getattr(getattr(tooling, name), "enabled", False)}


def _roster_text(team: Any) -> str:
    bits = [heads_words(team), roster_words(team)]
    if team.exposure_cap is not None:
        bits.append(f"exposure cap {team.exposure_cap / SECONDS_PER_HOUR:g} h/day")
    if team.shrinkage:
        bits.append(f"{team.shrinkage:.0%} of shifts lost to leave and sickness")
    return "; ".join(bits)


def _review_text(scenario: Scenario, team: Any) -> str:
    task = getattr(team, "task_time", None)
    if task is not None:
        return f"time per item {seconds_text(task.mean_seconds)} on average ({task.dist})"
    used = sorted({s.unit for s in scenario.demand if scenario.team_of(s) == team.team})
    parts = []
    for unit in used:
        r = scenario.review.get(unit)
        if r is not None:
            parts.append(f"{unit} {seconds_text(r.mean_seconds)} on average ({r.dist})")
    return "review: " + "; ".join(parts) if parts else ""


def flow_svg(scenario: Scenario) -> str:
    """The modelled flow as an inline SVG: streams → automated tools (if any) → each team's
    queues by priority → its analysts, with expiry, automatic clearing and referrals."""
    tools = enabled_tools(scenario)
    col_stream, w_stream = 10, 250
    gap = 56
    w_tool = 190
    x_tools = col_stream + w_stream + gap
    x_queue = x_tools + (w_tool + gap) * len(tools)
    w_queue = 270
    x_team = x_queue + w_queue + gap
    w_team = 270
    x_out = x_team + w_team + gap
    w_out = 150
    parts: list[str] = []
    y = 34
    stream_mid: dict[str, float] = {}
    for s in scenario.demand:
        lines = [(s.stream, True), (f"{s.unit}s, {_arrivals_text(s, scenario)}", False)]
        if s.initial_backlog:
            lines.append((f"{s.initial_backlog:,} waiting at the start", False))
        if s.bursts:
            lines.append((f"{len(s.bursts)} burst(s) of {sum(b.items for b in s.bursts):,} items", False))
        if s.ttl is not None:
            lines.append((f"expires after {format_duration(s.ttl.mean)}" + (" on average" if s.ttl.dist != "fixed" else ""), False))
        lines.append((f"priority {_priority_text(s, 'classifier' in tools)} → {scenario.team_of(s)}", False))
        box, h = _box(col_stream, y, w_stream, lines, "#E8F1F8", "#0072B2")
        parts.append(box)
        stream_mid[s.stream] = y + h / 2
        y += h + 16
    streams_bottom = y - 16

    # team queues: one row per priority, noting which streams arrive at it
    routes = [r for r in (getattr(scenario, "routing", None) or [])
              if getattr(r, "source", None) in {t.team for t in scenario.workforce}]
    block_gap = 48 if routes else 28
    ty = 34 + (28 if any(r.to == scenario.workforce[0].team for r in routes) else 0)
    queue_mid: dict[str, float] = {}
    row_mid: dict[tuple[str, str], float] = {}
    team_boxes = []
    queues = queue_arrivals(scenario)
    for t in scenario.workforce:
        rows = [(f"{t.team}: queues by priority", True)]
        rows += [(f"{p}: {_queue_text(queues[t.team].get(p), p, tools.get('classifier'))}", False)
                 for p in scenario.priorities]
        rows.append((_order_text(t), False))
        box, h = _box(x_queue, ty, w_queue, rows, "#FFF4E0", "#E69F00")
        parts.append(box)
        queue_mid[t.team] = ty + h / 2
        for i, p in enumerate(scenario.priorities):
            row_mid[(t.team, p)] = ty + 6 + _LINE * (i + 1 + 0.5)
        abox, ah = _box(x_team, ty, w_team, [(f"{t.team}: analysts", True), (_roster_text(t), False),
                                             (_review_text(scenario, t), False)], "#E6F5EF", "#009E73", min_h=h)
        parts.append(abox)
        parts.append(_arrow(x_queue + w_queue, ty + h / 2, x_team - 4, ty + h / 2))
        team_boxes.append((t.team, ty, max(h, ah)))
        ty += max(h, ah) + block_gap
    teams_bottom = ty - block_gap

    if tools:
        top, bottom = 34, max(streams_bottom, teams_bottom)
        for i, (name, tool) in enumerate(tools.items()):
            x = x_tools + i * (w_tool + gap)
            box, h = _box(x, top, w_tool, _tool_lines(name, tool, scenario), "#F3EAF3", "#CC79A7",
                          min_h=bottom - top)
            parts.append(box)
            if i:
                parts.append(_arrow(x - gap, (top + bottom) / 2, x - 4, (top + bottom) / 2))
        mid = (top + bottom) / 2
        for s in scenario.demand:
            parts.append(_arrow(col_stream + w_stream, stream_mid[s.stream], x_tools - 4, stream_mid[s.stream]))
        last = x_tools + (len(tools) - 1) * (w_tool + gap) + w_tool
        for t in scenario.workforce:
            if any(scenario.team_of(x) == t.team for x in scenario.demand):
                parts.append(_arrow(last, mid, x_queue - 4, queue_mid[t.team]))
    else:
        for s in scenario.demand:  # one arrow to each priority's queue its items arrive at
            parts += [_arrow(col_stream + w_stream, stream_mid[s.stream], x_queue - 4,
                             row_mid[(scenario.team_of(s), p)]) for p in stream_priorities(scenario, s)]

    height = max(streams_bottom, teams_bottom) + 20
    # outcomes
    out_y = 34
    for team, ty0, h in team_boxes:
        box, bh = _box(x_out, ty0 + h / 2 - 24, w_out, [("assessed", True), ("counted and timed", False)],
                       "#FFFFFF", "#555555")
        parts.append(box)
        parts.append(_arrow(x_team + w_team, ty0 + h / 2, x_out - 4, ty0 + h / 2))
        out_y = max(out_y, ty0 + h / 2 + bh)
    extra_y = height + 10
    if any(s.ttl is not None for s in scenario.demand):
        box, bh = _box(x_queue, extra_y + 30, w_queue, [("expired unassessed", True),
                                                         ("a missed takedown: the deadline passed while waiting", False)],
                       "#FFFFFF", "#D55E00", dashed=True)
        parts.append(box)
        parts.append(_arrow(x_queue + w_queue / 2, teams_bottom, x_queue + w_queue / 2, extra_y + 26, dashed=True))
        height = max(height, extra_y + 30 + bh + 10)
    if "hash_matching" in tools:
        box, bh = _box(x_tools, extra_y + 30, w_tool, [("cleared automatically", True), ("no analyst time", False)],
                       "#FFFFFF", "#CC79A7", dashed=True)
        parts.append(box)
        bottom = max(streams_bottom, teams_bottom)
        parts.append(_arrow(x_tools + w_tool / 2, bottom, x_tools + w_tool / 2, extra_y + 26, dashed=True))
        height = max(height, extra_y + 30 + bh + 10)
    # referrals between teams: out of the referring team's analysts, down a lane on the right,
    # along the gap above the receiving team, into the top of its queue
    positions = {team: (ty0, h) for team, ty0, h in team_boxes}
    pairs = list(dict.fromkeys((r.source, r.to) for r in routes if r.to in positions))
    for k, (src, dst) in enumerate(pairs):
        sy, sh = positions[src]
        dy, _ = positions[dst]
        rules = sum(1 for r in routes if (r.source, r.to) == (src, dst))
        lane = x_team + w_team + 14 + 9 * k
        leg = dy - 20 - 6 * k
        target_x = x_queue + w_queue * 0.55
        start_y = sy + sh * 0.8
        parts.append(f'<path d="M{x_team + w_team:.0f},{start_y:.0f} H{lane:.0f} V{leg:.0f} H{target_x:.0f} '
                     f'V{dy - 4:.0f}" fill="none" stroke="#D55E00" stroke-width="1.5" '
                     'marker-end="url(#capsim-arrow)"/>')
        parts.append(f'<text x="{target_x + 8:.0f}" y="{leg - 5:.0f}" font-size="12" fill="#8a3a00">referrals from '
                     f'{html.escape(src)} ({rules} rule{"s" if rules != 1 else ""}, listed below the diagram)</text>')
    width = x_out + w_out + 10
    legend = ('<text x="10" y="20" font-size="13" fill="#444">Arrows show where items go; '
              'dashed boxes are ways an item leaves without review.</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
            f'role="img" aria-label="Modelled flow of {html.escape(scenario.name)}" '
            f'font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="{_FONT}" fill="#222">'
            '<defs><marker id="capsim-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
            + legend + "\n".join(parts) + "</svg>")


def routing_rules(scenario: Scenario) -> list[str]:
    """Each referral rule in words: from which team to which, on what condition, what share."""
    words = {"ai_generated": "AI-generated", "known": "already known", "criminal": "criminal",
             "realistic": "realistic", "flagged_synthetic": "flagged as synthetic", "flagged_harmful": "flagged as harmful"}
    out = []
    for r in getattr(scenario, "routing", None) or []:
        when = getattr(r, "when", {}) or {}
        conditions = ", ".join(words.get(k, k) if v else f"not {words.get(k, k)}" for k, v in when.items())
        share = getattr(r, "share", 1.0)
        text = f"{r.source} → {r.to}: items that are {conditions or 'assessed'}"
        if share < 1:
            text += f"; {share:.0%} of them"
        if getattr(r, "priority", None):
            text += f"; queued as {r.priority}"
        out.append(text + ".")
    return out
