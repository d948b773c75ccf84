"""Charts described in words and given as tables (issue 16: text alternatives)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from assessment.core.i18n import fmt
from assessment.core.scoring import score_responses
from assessment.report import chart_data
from assessment.report.chart_data import ChartData, chart_alt, data_table
from tests.conftest import full_rows


@pytest.fixture(scope="module")
def scores(alignment, disciplines):
    rows = pd.DataFrame(full_rows(alignment, disciplines, "Alt BV", 8, seed=3))
    return score_responses(rows, [alignment, disciplines])


def test_alt_names_highest_and_lowest(scores, alignment):
    """The ladder's alt text names the highest and the lowest interface with its index.

    Expected: read off the scores themselves, written as the chart writes them
    (``stage_score``: one decimal, more where rounding would cross into another stage).
    """
    data = chart_data.ladder(scores, alignment, "en")
    alt = chart_alt(data, "Stage per interface", "en")
    ifaces = scores[scores["level"] == "interface"].set_index("interface")["score"]
    high, low = ifaces.idxmax(), ifaces.idxmin()
    assert alt.startswith("Bar chart for ‘Stage per interface’.")
    shown = {k: chart_data.stage_score(v, alignment, "en") for k, v in ifaces.items()}
    assert f"{alignment.interface(high).title.get('en')}, {shown[high]}" in alt
    assert f"{alignment.interface(low).title.get('en')}, {shown[low]}" in alt


def test_table_has_every_value_with_headers(scores, alignment):
    """The dimension chart's table: one row per dimension (7), one column per interface (3)."""
    html = data_table(chart_data.dimensions(scores, alignment, "nl"), "nl")
    assert html.startswith('<details class="chart-data"><summary>Gegevens bij deze grafiek')
    assert html.count('<th scope="row">') == len(alignment.dimensions)
    assert html.count('<th scope="col">') == 1 + len(alignment.interfaces)
    dims = scores[scores["level"] == "dimension"]
    for value in dims["score"].dropna():
        assert fmt(value, "nl") in html


def test_alt_for_one_value_and_none():
    """One value is named as such; no value says so, still naming the chart's kind."""
    one = ChartData("bar", "x")
    one.cell("Promoters", "Share", "40%", 40.0)
    assert chart_alt(one, "NPS", "en") == "Bar chart for ‘NPS’: Promoters, 40%."
    assert chart_alt(ChartData("dot", "x"), "Waves", "nl") == \
        "Puntdiagram bij ‘Waves’, zonder waarden."


def test_labels_are_escaped_in_the_table():
    """An organisation named with markup is shown as text, not as HTML."""
    data = ChartData("dot", "Organisation")
    data.cell("<b>Acme</b>", "Score", "2.0", 2.0)
    html = data_table(data, "en")
    assert "&lt;b&gt;Acme&lt;/b&gt;" in html and "<b>" not in html


def test_every_alt_names_a_figure(scores, alignment, disciplines):
    """Every report chart of this file gets an alt text with at least one number in it."""
    for data in (chart_data.ladder(scores, alignment, "nl"),
                 chart_data.dimensions(scores, alignment, "nl", "radar"),
                 chart_data.disciplines(scores, disciplines, "nl")):
        assert re.search(r"\d", chart_alt(data, "Kop", "nl"))


def test_chart_data_shows_a_staged_score_as_its_chart_does(scores, alignment):
    """A score next to its stage reads as that stage's figure in the data table and alt text.

    Expected (the rule of ``stage_score``, the charts' own labels): 2.48 is Defined (the
    Aligned band starts at 2.5), so it is written "2,48", not "2,5" beside "Gedefinieerd"; an
    interface index of 2.47 likewise "2,47"; 3.249 stays "3,2" (rounding keeps it Aligned).
    """
    from assessment.core.scoring import stage_of

    edited = scores.copy()
    first_iface, first_dim = alignment.interfaces[0].id, alignment.dimensions[0].id
    cell = ((edited["level"] == "dimension") & (edited["interface"] == first_iface)
            & (edited["dimension"] == first_dim))
    edited.loc[cell, "score"] = 2.48
    edited.loc[cell, "stage"] = stage_of(2.48, alignment)
    iface = (edited["level"] == "interface") & (edited["interface"] == first_iface)
    edited.loc[iface, ["score", "stage"]] = [2.47, stage_of(2.47, alignment)]
    defined = alignment.level(stage_of(2.48, alignment)).label.get("nl")
    assert defined == "Gedefinieerd"

    table = data_table(chart_data.dimensions(edited, alignment, "nl"), "nl")
    assert f"<td>2,48 ({defined})</td>" in table and f"2,5 ({defined})" not in table
    ladder = chart_data.ladder(edited, alignment, "nl")
    assert "<td>2,47</td>" in data_table(ladder, "nl")
    assert chart_data.stage_score(3.249, alignment, "nl") == "3,2"
