"""Every chart's footer points to where its figures' links are, from any command.

`capsim staff` and `capsim budget` write charts but no report, yet their footers sent readers to
"the report's assumptions table" (a user trial could not find it): the footer now names
`capsim figures`, which every installation has, as well as a report's table.
"""

from __future__ import annotations

from capsim import bundled
from capsim.charts.footer import footer_text
from capsim.scenario import load_scenario


def test_the_footer_names_a_command_that_lists_the_figures():
    text = footer_text([load_scenario(bundled.path("base"))], 1, 2)
    assert text.endswith("Other inputs are assumptions; every figure with its link: capsim figures (and a report's "
                         "assumptions table).")
