"""The automated stages applied before humans see an item, and their settings.

Every stage works on whole arrays of items at once (never item by item) and draws from its
own random stream. Performance figures (recall, false-positive rates) for classifiers and
synthetic-image detectors of this material are not published: they are assumptions, to be
swept, never facts.

* **hash matching** clears known items without review (a count, drawn binomially), except a
  ``spot_check`` share still sent to a human. Its list learns: an item an analyst confirms
  criminal joins it, so later copies of it (a stream's ``recirculation`` share) match.
* **classifier** scores every item that reaches a human: a harmful (criminal) item is
  flagged with probability ``recall``, a harmless one with probability ``fpr``. Flagged
  items go to ``positive_priority``, the rest to ``negative_priority``; review of scored
  items takes ``time_factor`` × the usual time at the team the stream goes to (not at teams
  receiving referrals: :meth:`Tooling.time_factor`).
* **synthetic detector** flags AI-generated items with probability ``tpr`` and others with
  probability ``fpr``; flagged items are not sent on to victim identification by the
  standard routing rule.
* **clustering** reviews near-duplicates together: in a stream whose clusters average
  ``cluster_size`` items, a share 1 − 1/size of items are not the first of their cluster
  and take ``follow_fraction`` × the usual time.
* **wellbeing** tooling (greyscale, blur, muted video) multiplies review time by
  ``time_factor`` and may change the daily exposure cap, at every team.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from capsim import units

AsShare = Annotated[float, BeforeValidator(units.percent_share)]
"""A number written as a share (0.15) or a percentage ("15%"); its bounds are the field's."""
Share = Annotated[AsShare, Field(ge=0, le=1)]
"""A proportion between 0 and 1, written as a share (0.15) or a percentage ("15%")."""


class ToolSection(BaseModel):
    """Common to every tool: switched on or off, and what it costs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(False, description="switch the tool on")
    annual_cost: float = Field(0.0, ge=0, description="yearly cost of the tool, in the scenario's currency")
    per_item_cost: float = Field(0.0, ge=0, description="cost per item the tool processes")


class HashMatching(ToolSection):
    """Clears known items without review."""

    match_rate: Share = Field(1.0, description="share of known items the hash list matches")
    spot_check: Share = Field(0.0, description="share of cleared items still sent to a human")


class OperatingPoint(BaseModel):
    """One threshold of a classifier: the recall and false-positive rate it gives."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recall: Share = Field(description="share of harmful items flagged at this threshold")
    fpr: Share = Field(description="share of harmless items flagged at this threshold")


class Classifier(ToolSection):
    """Scores items: flagged ones are served first, and scoring speeds up review."""

    recall: Share | None = Field(None, description="share of harmful items flagged")
    fpr: Share | None = Field(None, description="share of harmless items flagged")
    precision: Share | None = Field(None, description="instead of fpr: share of flagged items that are harmful")
    operating_points: list[OperatingPoint] | None = Field(None, description="threshold trade-off: (recall, fpr) pairs")
    threshold: int | None = Field(None, ge=0, description="which operating point is in use (0 first)")
    positive_priority: str = Field("high", description="priority of flagged items")
    negative_priority: str = Field("low", description="priority of the rest")
    time_factor: float = Field(1.0, gt=0, description="review-time multiplier for scored items")

    @model_validator(mode="after")
    def _one_way_to_state_performance(self) -> "Classifier":
        if not self.enabled:
            return self
        if self.operating_points is not None:
            if self.recall is not None or self.fpr is not None or self.precision is not None:
                raise ValueError("give operating_points with a threshold, or recall with fpr or precision, not both")
            if self.threshold is None or self.threshold >= len(self.operating_points):
                raise ValueError(f"threshold must pick one of the {len(self.operating_points)} operating_points (0 first)")
            return self
        if self.recall is None or (self.fpr is None) == (self.precision is None):
            raise ValueError("an enabled classifier needs recall and either fpr or precision (or operating_points)")
        if self.precision == 0:
            raise ValueError("precision must be above 0")
        return self

    def rates(self, prevalence: float) -> tuple[float, float]:
        """(recall, false-positive rate) in use, for items of which ``prevalence`` are harmful.

        A precision P at prevalence π and recall r implies fpr = r π (1 − P) / (P (1 − π));
        a precision that would need an fpr above 1 is impossible and raises ``ValueError``.
        """
        if self.operating_points is not None:
            point = self.operating_points[self.threshold]
            return point.recall, point.fpr
        if self.fpr is not None:
            return self.recall, self.fpr
        if prevalence >= 1:
            return self.recall, 0.0
        fpr = self.recall * prevalence * (1 - self.precision) / (self.precision * (1 - prevalence))
        if fpr > 1:
            raise ValueError(
                f"precision {self.precision:g} is impossible at prevalence {prevalence:g} with recall "
                f"{self.recall:g}: even flagging every harmless item gives precision "
                f"{self.recall * prevalence / (self.recall * prevalence + 1 - prevalence):.3g}"
            )
        return self.recall, fpr


class SyntheticDetector(ToolSection):
    """Flags AI-generated items (or reads a provenance signal)."""

    tpr: Share = Field(0.0, description="share of AI-generated items flagged")
    fpr: Share = Field(0.0, description="share of other items flagged")


class Clustering(ToolSection):
    """Near-duplicates reviewed together: the first at full time, the rest at a fraction."""

    follow_fraction: AsShare = Field(1.0, gt=0, le=1, description="time of each further item, as a share of the first")


def _cap_or_none(value: Any) -> Any:
    try:
        return units.parse_daily_cap(value)
    except units.UnitError as err:
        raise ValueError(str(err)) from None


_cap_or_none.unit = "parse_daily_cap"  # read by capsim.reference to show the unit


class Wellbeing(ToolSection):
    """Greyscale, blur, muted video: slower or faster review, and possibly another exposure cap."""

    time_factor: float = Field(1.0, gt=0, description="review-time multiplier")
    exposure_cap: Annotated[float | None, BeforeValidator(_cap_or_none)] = Field(
        None, description="daily exposure cap with the tooling (replaces each team's), e.g. 5h/day"
    )


class Tooling(BaseModel):
    """Automated stages applied before humans see an item."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hash_matching: HashMatching = Field(default_factory=HashMatching, description="clears known items")
    classifier: Classifier = Field(default_factory=Classifier, description="scores items for priority")
    synthetic_detector: SyntheticDetector = Field(default_factory=SyntheticDetector, description="flags AI-generated items")
    clustering: Clustering = Field(default_factory=Clustering, description="reviews near-duplicates together")
    wellbeing: Wellbeing = Field(default_factory=Wellbeing, description="greyscale, blur, muted video")

    def time_factor(self, screening: bool) -> float:
        """Review-time multiplier of the tools at a team, clustering's (which varies by item) aside.

        Wellbeing tooling applies at every team, as its exposure cap does; the classifier's
        factor only where items are ``screening`` — at the team a stream goes to, not at the
        teams that receive referrals (whose tasks are not grading). Clustering, likewise, only
        at the screening team.
        """
        factor = self.wellbeing.time_factor if self.wellbeing.enabled else 1.0
        if screening and self.classifier.enabled:
            factor *= self.classifier.time_factor
        return factor

    def enabled(self) -> dict[str, ToolSection]:
        """The tools switched on, by name."""
        return {name: getattr(self, name) for name in type(self).model_fields if getattr(self, name).enabled}


def flag(truth: np.ndarray, p_if_true: float, p_if_false: float, rng: np.random.Generator) -> np.ndarray:
    """An imperfect test: flags true items with probability ``p_if_true``, others with ``p_if_false``."""
    u = rng.random(len(truth))
    return np.where(truth, u < p_if_true, u < p_if_false)


def cluster_followers(n: int, cluster_size: float, rng: np.random.Generator) -> np.ndarray:
    """Which of ``n`` items are not the first of their near-duplicate cluster.

    With cluster sizes of mean ``cluster_size`` (geometric), a share 1 − 1/size of items
    follow an earlier member of their cluster.
    """
    if cluster_size <= 1:
        return np.zeros(n, dtype=bool)
    return rng.random(n) < 1 - 1 / cluster_size
