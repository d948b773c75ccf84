"""Cohort overview charts with names a chart library could misread (issue 10, case 7)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from assessment.report.cohort import (  # noqa: E402
    discipline_map,
    heatmap,
    heatmap_section,
    load_cohort_data,
    stage_distribution,
)
from assessment.report.layout import chart_text  # noqa: E402
from tests.conftest import full_rows  # noqa: E402


def test_dollar_signs_in_names_are_drawn_as_written(tmp_path, alignment, disciplines):
    r"""Names with '$' draw without a maths error and show their dollar signs.

    Expected: matplotlib reads text between two '$' as mathtext, and '\$' as a literal
    dollar sign (matplotlib's "Writing mathematical expressions" guide); unescaped,
    'Kosten $^$ BV' fails to parse (ValueError) and the overview failed, while
    'Shop $10 off $20' silently lost its dollars. Every tick label of the heatmap
    and the discipline map is the escaped name.
    """
    orgs = ("Kosten $^$ BV", "Shop $10 off $20", "Plain BV")
    rows = [r for k, org in enumerate(orgs)
            for r in full_rows(alignment, disciplines, org, 4, seed=70 + k)]
    path = tmp_path / "dollars.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    cd = load_cohort_data(path, lang="en")
    for chart in (heatmap, discipline_map, stage_distribution):
        fig = chart(cd)
        fig.canvas.draw()
        if chart is not stage_distribution:
            shown = {label.get_text() for label in fig.axes[0].get_yticklabels()}
            assert shown == {chart_text(org) for org in orgs}
        plt.close(fig)
    assert "<img" in heatmap_section(cd)


def test_chart_text_escapes_every_dollar():
    """chart_text leaves text without '$' alone and escapes each '$' once."""
    assert chart_text("Acme") == "Acme"
    assert chart_text("$a$b$") == r"\$a\$b\$"
