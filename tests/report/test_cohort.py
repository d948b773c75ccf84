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


def _cohort(tmp_path, alignment, disciplines):
    rows = [r for k, org in enumerate(("Alfa BV", "Beta BV", "Gamma BV"))
            for r in full_rows(alignment, disciplines, org, 4, seed=90 + k)]
    path = tmp_path / "three.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return load_cohort_data(path, lang="nl")


def test_discipline_map_does_not_rely_on_colour(tmp_path, alignment, disciplines):
    """Issue 16: the three disciplines differ by marker shape too, not only by colour.

    The chart names each one beside its marker (the titles of the value-discipline
    instrument).
    """
    cd = _cohort(tmp_path, alignment, disciplines)
    fig = discipline_map(cd)
    ax = fig.axes[0]
    shapes = {tuple(map(tuple, c.get_paths()[0].vertices.round(3))) for c in ax.collections}
    assert len(ax.collections) == 3 and len(shapes) == 3
    names = {a.get_text() for a in ax.texts}
    assert names == {chart_text(d.title.get("nl")) for d in disciplines.dimensions}
    plt.close(fig)


def test_heatmap_text_is_readable_and_has_a_legend(tmp_path, alignment, disciplines):
    """Every score in the cohort heatmap has at least 4.5:1 contrast on its cell (WCAG AA).

    The issue measured 2.3:1 for white on orange; a legend names the four stages.
    """
    from matplotlib.colors import to_hex

    from assessment.report.colours import STAGE_COLOURS, contrast_ratio

    cd = _cohort(tmp_path, alignment, disciplines)
    fig = heatmap(cd)
    ax = fig.axes[0]
    mesh = ax.collections[0]
    colours = [to_hex(c) for c in mesh.get_facecolors()]
    values = [t for t in ax.texts if t.get_text()[:1].isdigit()]
    assert len(values) == 3 * len(alignment.interfaces) * len(alignment.dimensions)
    grid = mesh.get_array().reshape(3, -1)
    for text in values:
        x, y = text.get_position()
        cell = colours[int(y) * grid.shape[1] + int(x)]
        assert cell in STAGE_COLOURS
        assert contrast_ratio(cell, to_hex(text.get_color())) >= 4.5, (text.get_text(), cell)
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == \
        [lv.label.get("nl") for lv in alignment.levels]
    plt.close(fig)
