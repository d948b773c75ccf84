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


# ---------------------------------------------------------------- the norm band (--norms)
EXAMPLES = "data/examples/responses.csv"


def _example_store(tmp_path):
    """The example file's ten organisations in a DuckDB store (salt inside: no key file)."""
    from assessment.norms.compare import store_responses

    target = str(tmp_path / "norms.duckdb")
    store_responses(EXAMPLES, target, sector="industrie", salt_in_store=True)
    return target


def test_norm_band_of_three_organisations_against_the_seven_others(tmp_path):
    """The band is the 25th/50th/75th percentile of the seven other organisations.

    Expected: computed here directly with numpy from the scored example file.
    """
    import numpy as np

    from assessment.report.cohort import load_cohort_data, norms_section

    target = _example_store(tmp_path)
    cd = load_cohort_data(EXAMPLES, lang="en")
    names = list(cd.scores["organisation"].unique())
    others = cd.scores[~cd.scores["organisation"].isin(names[:3])]
    cd.scores = cd.scores[cd.scores["organisation"].isin(names[:3])]
    html = norms_section(cd, target)
    assert "Norm group: 7 organisations in the norm database" in html
    assert html.count("<img") == 1 and 'alt="Bar chart' in html
    ms = others[(others["level"] == "interface") & (others["interface"] == "marketing_sales")]
    p25, p50, p75 = np.percentile(ms["score"], [25, 50, 75])
    own = cd.scores[(cd.scores["level"] == "interface")
                    & (cd.scores["interface"] == "marketing_sales")]["score"].median()
    row = html.split('<th scope="row">Marketing and sales</th>')[1].split("</tr>")[0]
    assert row == (f"<td>3</td><td>{own:.2f}</td><td>7</td><td>{p25:.2f}–{p75:.2f}</td>"
                   f"<td>{p50:.2f}</td>")
    assert html.count('<th scope="row">') == 6  # three interfaces, three disciplines


def test_no_norm_band_under_five_other_organisations(tmp_path):
    """Every stored organisation is in the cohort itself: 0 others, one line, no chart."""
    from assessment.report.cohort import load_cohort_data, norms_section

    target = _example_store(tmp_path)
    cd = load_cohort_data(EXAMPLES, lang="nl")
    assert norms_section(cd) == ""
    html = norms_section(cd, target)
    assert "Geen normband: de normgroep telt 0 organisaties buiten deze groep" in html
    assert "<img" not in html and "<table" not in html
    names = list(cd.scores["organisation"].unique())
    cd.scores = cd.scores[cd.scores["organisation"].isin(names[:6])]  # four others
    assert "telt 4 organisaties buiten deze groep, en een band vraagt er minstens 5" in (
        norms_section(cd, target))
    cd.scores = cd.scores[cd.scores["organisation"].isin(names[:3])]
    assert "telt 0 organisaties uit de sector zorg" in norms_section(cd, target, sector="zorg")
