"""The limitations section: what a run cannot tell, from what its scenario does and does not use."""

from __future__ import annotations

from capsim.charts.growth_words import stream_growth
from capsim.report.flow import enabled_tools
from capsim.scenario import Scenario
from capsim.sources import figure_origin, publication, short_org
from capsim.words import seconds_text


def readable(fid: str) -> str:
    """A figure as a reader names it: "IWF, Annual Data & Insights Report (2024)" (its organisation
    and publication), or its organisation's figures for a derived value; never the figure id."""
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    try:
        f = table.figure(fid)
    except UnknownFigureError:
        org, _ = figure_origin(fid)
        return f"derived from {short_org(org)} figures"
    return f"{short_org(f.organisation)}, {publication(f.title)} ({f.year})"


def limitations(scenario: Scenario, replications: int) -> list[str]:
    """What this run cannot tell, in plain words, from what the scenario does and does not use; first,
    where a stream grows, the growth each stream assumes (:func:`capsim.charts.growth_words.stream_growth`)."""
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    s = scenario
    source = s.source
    growth = stream_growth(s)  # first: a growing run's results follow from it, so the brief quotes it
    out = [f"The results rest on the growth assumed for each stream: {'; '.join(growth)}. Beyond the last "
           "published year, growth is a projection, not an observation."] if growth else []
    out += ["The confidence intervals measure only how much results vary from one simulated run to the next. They "
            "do not include uncertainty in the inputs: capsim uncertainty runs the scenario over the ranges of its "
            "uncertain inputs and gives intervals that include them, and capsim sensitivity shows how much each input "
            "moves the results."]
    for unit, review in s.review.items():
        if unit not in {x.unit for x in s.demand}:
            continue
        raw = (source.get("review") or {}).get(unit) or {}
        mean_ref = isinstance(raw, dict) and isinstance(raw.get("mean"), dict) and "figure" in raw["mean"]
        if mean_ref:
            out.append(f"The mean review time per {unit} comes from a published figure ({readable(raw['mean']['figure'])}); "
                       f"the spread of review times around it ({review.dist}) is assumed.")
        else:
            out.append(f"The review time per {unit} ({seconds_text(review.mean_seconds)} on average) is an "
                       "assumption: no published figure gives it here.")
    if "video" in {x.unit for x in s.demand}:
        out.append("No published source gives minutes of review per video.")
    tools = enabled_tools(s)
    if "classifier" in tools or "synthetic_detector" in tools:
        out.append("No classifier or synthetic-image detector for this material has published precision and recall: "
                   "the performance figures used here are assumptions, not measurements.")
    else:
        out.append("The scenario uses no classifier or synthetic-image detector; none for this material has published "
                   "precision and recall, so any such tool would have to be an assumption.")
    out.append("Arrivals follow a Poisson process around the stated rate. Real volumes are burstier (campaigns, "
               "forum dumps, reporting drives), so the backlog probably swings more than shown.")
    out.append("Item attributes (AI-generated, known, criminal, realistic) are drawn independently of each other "
               "and of time.")
    dynamic = [t.team for t in s.workforce
               if getattr(t, "attrition", 0) or getattr(t, "changes", None) or getattr(getattr(t, "ramp", None), "weeks", 0)]
    if dynamic:
        out.append(f"Headcount changes over the run for {', '.join(dynamic)} as the scenario states (attrition, hiring, "
                   "planned changes, training ramp); those settings are themselves assumptions unless the table "
                   "cites a figure. Absences fall at random shift by shift.")
    else:
        out.append("Headcount is fixed for the whole run: the scenario sets no attrition, hiring or planned changes, "
                   "and new analysts need no training ramp. Absences fall at random shift by shift.")
    out.append("The exposure cap is checked when a review would start, so an analyst can pass it by one review; "
               "its effect on wellbeing is not modelled, only its effect on capacity.")
    if not any(x.ttl is not None for x in s.demand):
        out.append("No item expires in this scenario, so missed takedowns are not counted.")
    if s.sla:
        sla_raw = source.get("sla") or []
        if not any(isinstance(v, dict) for e in sla_raw if isinstance(e, dict) for v in e.values()):
            out.append("Service-level deadlines and targets are assumptions, not published standards.")
    out.append("Costs are the lines the scenario's costs section prices: analysts' salaries and on-costs (a seat "
               "counting as its roster's hours a week over the contracted hours: 4.2 analysts for a 24/7 seat at "
               "40 h), overtime, recruitment, training, wellbeing, licences, management roles, overheads and tooling; "
               "anything it leaves out is not counted.")
    weak = []
    for fid in s.figures:
        try:
            f = table.figure(fid)
            if f.status in {"weak", "unverified"}:
                weak.append(f"{readable(fid)} ({f.status})")
        except UnknownFigureError:
            _, ids = figure_origin(fid)
            for i in ids:
                f = table.figure(i)
                if f.status in {"weak", "unverified"}:
                    weak.append(f"{readable(i)} ({f.status})")
    if weak:
        out.append("Some inputs rest on figures whose source is weak or unverified: " + ", ".join(dict.fromkeys(weak)) + ".")
    if replications < 10:
        out.append(f"Only {replications} replication(s): intervals are wide and the bands in the charts are rough.")
    return out
