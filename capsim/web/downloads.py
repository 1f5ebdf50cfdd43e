"""What a visitor takes away from the web page, as text or bytes (no Streamlit here).

- :func:`scenario_yaml`: the scenario as the page ran it, one self-contained YAML file (its
  ``extends:`` chain merged, the page's changes applied, ``{figure: id}`` references kept, the
  replications and seed written in), so that ``capsim run`` on it gives the same numbers;
- :func:`summary_csv`: the run's summary.csv, as ``capsim run`` writes it;
- :func:`share_query` / :func:`restore`: the inputs as URL query parameters
  (``?scenario=base&set=workforce.analysts.headcount%3D16``), and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import yaml

from capsim import bundled


def scenario_yaml(scenario, overrides: list[str]) -> str:
    """The validated ``scenario`` as a YAML file that ``capsim run`` reproduces exactly."""
    changes = "".join(f"#   --set {o}\n" for o in overrides) or "#   (none)\n"
    header = (f"# capsim scenario {scenario.name}, saved from the capsim web page (capsim models counts and\n"
              f"# durations only). `capsim run THIS-FILE.yaml` gives the page's numbers: seed "
              f"{scenario.experiment.seed},\n# {scenario.experiment.replications} replications. "
              "Changes made on the page:\n" + changes)
    return header + yaml.safe_dump(scenario.source, sort_keys=False, allow_unicode=True, width=100)


def summary_csv(result) -> bytes:
    """The run's summary table as ``capsim run`` writes summary.csv (the whole run, then each year)."""
    return result.summary_by_period().to_csv(index=False).encode()


def share_query(start: str, overrides: list[str]) -> dict[str, str | list[str]]:
    """Query parameters restoring the page's inputs: the bundled scenario and each ``--set``."""
    return {"scenario": start, "set": list(overrides)}


def share_link(base_url: str, start: str, overrides: list[str]) -> str:
    """The page's address with :func:`share_query` as its query string."""
    return f"{base_url.split('?')[0]}?{urlencode(share_query(start, overrides), doseq=True)}"


def restore(query: Mapping[str, list[str]]) -> tuple[str | None, list[str]]:
    """The bundled scenario name and ``--set`` strings a shared link holds (None: no or an unknown
    scenario, so the page starts as usual; the overrides are validated later like any others)."""
    names = query.get("scenario") or []
    start = names[0] if names and names[0] in bundled.names() else None
    return start, [s for s in query.get("set", []) if "=" in s] if start else []
