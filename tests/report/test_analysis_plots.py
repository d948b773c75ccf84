"""Charts of the analysis sections: report language, stage colours, low n and low agreement marked."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from assessment.report import analysis_plots
from assessment.report.plots import STAGE_COLOURS


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(plt.Text)]


@pytest.fixture
def dept_rows(alignment):
    """Two groups on every cell: marketing 2.0 (n 3, r_wg 0.5: low), sales 3.0 (n 6, r_wg 0.9)."""
    rows = []
    for iface in alignment.interfaces:
        for dim in alignment.dimensions:
            rows.append({"department": "marketing", "level": "dimension", "interface": iface.id,
                         "dimension": dim.id, "score": 2.0, "stage": "defined", "n": 3,
                         "rwg": 0.5})
            rows.append({"department": "sales", "level": "dimension", "interface": iface.id,
                         "dimension": dim.id, "score": 3.0, "stage": "aligned", "n": 6,
                         "rwg": 0.9})
    return pd.DataFrame(rows)


def test_heatmap_in_dutch_with_marks(dept_rows, alignment):
    """Dutch decimal comma in the cells; n < 5 marked with °; stage colours; Dutch labels.

    Expected values from the fixture: 21 marketing cells 2,0° (n = 3) and 21 sales cells 3,0.
    """
    fig = analysis_plots.department_heatmap(dept_rows, alignment, "nl",
                                            {"marketing": "Marketing", "sales": "Sales"})
    texts = _texts(fig)
    assert texts.count("2,0°") == 21 and texts.count("3,0") == 21
    assert "Gedeelde doelen, KPI's en beloning" in texts
    assert any("weinig overeenstemming" in x for x in texts)
    # the cells are drawn as collections (one per kind of cell)
    faces = [tuple(f[:3]) for c in fig.axes[0].collections for f in c.get_facecolors()]
    for stage in (1, 2):  # defined (marketing) and aligned (sales)
        assert any(np.allclose(f, to_rgb(STAGE_COLOURS[stage])) for f in faces)
    plt.close(fig)


def test_interval_chart_marks_flagged_scores_with_open_dots(alignment):
    """A score with n < 5 is drawn as an open (white) dot; others in their stage colour."""
    rows = pd.DataFrame([
        {"level": "dimension", "interface": "marketing_sales", "dimension": "roles",
         "score": 2.0, "stage": "defined", "n": 3, "rwg": 0.9, "ci_low": 1.8, "ci_high": 2.2},
        {"level": "dimension", "interface": "marketing_sales", "dimension": "goals",
         "score": 3.0, "stage": "aligned", "n": 12, "rwg": 0.9, "ci_low": 2.8, "ci_high": 3.2},
    ])
    fig = analysis_plots.interval_chart(rows, alignment, "en")
    points = [c for c in fig.axes[0].collections if len(c.get_offsets()) == 2][0]
    faces = [tuple(f[:3]) for f in points.get_facecolors()]  # in the order of the rows
    assert np.allclose(faces, [to_rgb("white"), to_rgb(STAGE_COLOURS[2])])
    plt.close(fig)


def test_nps_bar_shares(alignment):
    """Seed 003's worked example 25/55/20: the bar writes 20%, 55% and 25%."""
    row = pd.Series({"n": 100, "promoters": 25, "passives": 55, "detractors": 20})
    fig = analysis_plots.nps_bar(row, "en")
    texts = _texts(fig)
    assert {"20%", "55%", "25%"} <= set(texts)
    assert "promoters (9–10)" in texts
    plt.close(fig)
