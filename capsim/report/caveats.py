"""The limitations section: what a run cannot tell, from what its scenario does and does not use
(of several scenarios, each limitation true of some only names them)."""

from __future__ import annotations

from collections.abc import Sequence

from capsim.charts.growth_words import stream_growth
from capsim.report.flow import enabled_tools
from capsim.scenario import Scenario
from capsim.sources import dating, figure_origin, publication, published_on, short_org
from capsim.staff_notes import exposure_caps
from capsim.words import and_list, seconds_text


def readable(fid: str) -> str:
    """A figure as a reader names it: "IWF, Annual Data & Insights Report (figures for 2024)" (its
    organisation and publication, dated as citations are: :func:`capsim.sources.dating`, so that the
    year the figure describes never reads as a publication date), or its organisation's figures for a
    derived value; never the figure id."""
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    try:
        f = table.figure(fid)
    except UnknownFigureError:
        org, _ = figure_origin(fid)
        return f"derived from {short_org(org)} figures"
    return f"{short_org(f.organisation)}, {publication(f.title)} ({dating(published_on(f.title, f.organisation), [f.year])})"


def limitations(scenarios: Scenario | Sequence[Scenario], replications: int) -> list[str]:
    """What the runs cannot tell, in plain words, from what the scenarios do and do not use; first,
    where a stream grows, the growth each stream assumes (:func:`capsim.charts.growth_words.stream_growth`).

    Of several scenarios (a report comparing them), a limitation true of every one is said once and
    one true of some only names them ("In tooling-classifier and tooling-detector, no classifier
    ..."), after the earlier scenarios' on its subject (:func:`scenario_limitations` in each
    scenario's order), so that none is said of a scenario it is not true of; their words hold of
    one scenario or several."""
    runs = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    merged: list[str] = []
    whose: dict[str, dict[str, None]] = {}  # each limitation's scenarios, in order
    for s in runs:
        new: list[str] = []  # this scenario's limitations no earlier one has, placed before its next shared one
        for text in scenario_limitations(s):
            if text not in whose:
                new.append(text)
            else:
                at = merged.index(text)
                merged[at:at] = new
                new = []
            whose.setdefault(text, {})[s.name] = None
        merged += new
    every = dict.fromkeys(s.name for s in runs)
    out = [text if len(whose[text]) == len(every) else f"In {and_list(list(whose[text]))}, {_mid_sentence(text)}"
           for text in merged]
    if replications < 10:
        out.append(f"Only {replications} replication(s): intervals are wide and the bands in the charts are rough.")
    return out


def _mid_sentence(text: str) -> str:
    """A sentence to follow "In base, ": its first word in lower case unless it is an acronym."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def scenario_limitations(scenario: Scenario) -> list[str]:
    """What a run of ``scenario`` cannot tell, in plain words, in the order the report lists them
    (the replications' aside, which depends on the run, apart: :func:`limitations`)."""
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
                   "the performance figures used here are assumptions, not measurements on this material.")
    else:
        out.append("No classifier or synthetic-image detector is used; none for this material has published "
                   "precision and recall, so any such tool would have to be an assumption.")
    out.append("Arrivals follow a Poisson process around the stated rate. Real volumes are burstier (campaigns, "
               "forum dumps, reporting drives), so the backlog probably swings more than shown.")
    out.append("Item attributes (AI-generated, known, criminal, realistic) are drawn independently of each other "
               "and of time.")
    dynamic = [t.team for t in s.workforce
               if getattr(t, "attrition", 0) or getattr(t, "changes", None) or getattr(getattr(t, "ramp", None), "weeks", 0)]
    absences = (" Absences fall at random shift by shift." if any(t.shrinkage or t.leave for t in s.workforce) else
                " No absence is modelled: no shrinkage or leave is set, so every analyst works every rostered "
                "shift.")
    if dynamic:
        out.append(f"Headcount changes over the run for {and_list(dynamic)} as set (attrition, hiring, "
                   "planned changes, training ramp); those settings are themselves assumptions unless the table "
                   "cites a figure." + absences)
    else:
        out.append("Headcount is fixed for the whole run: no attrition, hiring or planned changes are set, "
                   "and new analysts need no training ramp." + absences)
    caps = exposure_caps(s)  # the wellbeing tooling's cap, where it sets one, is every team's
    capped = [team for team, cap in caps.items() if cap is not None]
    if capped:
        uncapped = [team for team in caps if team not in capped]
        which = (f"Only {and_list(capped)} {'has' if len(capped) == 1 else 'have'} a daily exposure cap "
                 f"({and_list(uncapped)} may review for the whole of every shift). " if uncapped else "")
        out.append(f"{which}The exposure cap is checked when a review would start, so an analyst can pass it by one "
                   "review; its effect on wellbeing is not modelled, only its effect on capacity.")
    else:
        out.append("No team has a daily exposure cap: analysts may review for the whole of every shift; the effect "
                   "of exposure on wellbeing is not modelled.")
    if not any(x.ttl is not None for x in s.demand):
        out.append("No item expires (no time-to-live is set), so missed takedowns are not counted.")
    if s.sla:
        sla_raw = source.get("sla") or []
        if not any(isinstance(v, dict) for e in sla_raw if isinstance(e, dict) for v in e.values()):
            out.append("Service-level deadlines and targets are assumptions, not published standards.")
    out.append("Costs are the lines priced in the costs section: analysts' salaries and on-costs (a seat "
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
    return out
