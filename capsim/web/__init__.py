"""capsim's local web page (``capsim web``): the simulator for people who never open a terminal.

The page is a Streamlit script (:mod:`capsim.web.app`) over small modules that know
nothing of Streamlit, so that tests and benchmarks call them directly:

- :mod:`capsim.web.inputs`: the inputs a person may change, each a dotted scenario key written
  through the same ``--set`` overrides as the command line (so validation and its messages are
  the CLI's), with its unit, its allowed range (read from the schema) and its default's source; a
  tool switched on starts at its bundled scenario's assumptions (``scenarios/tooling-*.yaml``);
- :mod:`capsim.web.running`: loading a scenario (bundled or uploaded) into a visitor's own
  temporary folder with its warnings (:func:`capsim.scenario.scenario_warnings`, tools that change
  nothing among them, as the command line prints them), running it, comparing variants, solving
  for staffing, writing the report and brief;
- :mod:`capsim.web.workers`: the server's worker processes, spawned once, warmed at once and kept,
  on which every run's replications and its charts are shared;
- :mod:`capsim.web.service_levels`: service levels left without items (a classifier's queues), in words;
- :mod:`capsim.web.answer`: what the page shows of a run (findings, year-by-year table, charts as
  SVG), made once per run and cached with it;
- :mod:`capsim.web.downloads`: what a visitor takes away: the scenario as YAML (which
  ``capsim run`` reproduces exactly), summary.csv, the HTML report, and a link restoring the inputs.

Streamlit is an optional extra: ``pip install 'capsim[web]'``.
"""
