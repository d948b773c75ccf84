"""Norm table and the place of one organisation in its norm group (pure functions)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.norms.table import as_norm_rows, norm_comparison, norm_table


def _rows(scores, level="interface", stages=None):
    return pd.DataFrame({"organisation": [f"o{k}" for k in range(len(scores))],
                         "instrument": "alignment", "level": level, "interface": "ms",
                         "dimension": "", "score": scores,
                         "stage": stages if stages is not None else None})


def test_norm_table_percentiles_mean_and_stage_shares():
    scores = [1.2, 1.9, 2.6, 2.7, 3.4, 3.9]
    stages = ["undefined", "defined", "aligned", "aligned", "integrated", "integrated"]
    row = norm_table(_rows(scores, stages=stages)).iloc[0]
    assert row["organisations"] == 6
    assert row["mean"] == np.mean(scores)
    for p in (10, 25, 50, 75, 90):
        assert row[f"p{p}"] == np.percentile(scores, p)
    assert list(row.index[-4:]) == ["undefined", "defined", "aligned", "integrated"]
    assert row["aligned"] == 2 / 6 and row["integrated"] == 2 / 6


def test_norm_table_orders_levels_and_skips_missing_scores():
    rows = pd.concat([_rows([50.0, np.nan], "discipline"), _rows([2.0, 3.0])])
    table = norm_table(rows)
    assert table["level"].tolist() == ["interface", "discipline"]
    assert table["organisations"].tolist() == [2, 1]


def test_comparison_places_the_score_and_its_interval():
    group = _rows([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    own = _rows([3.5]).assign(ci_low=3.0, ci_high=4.0).drop(columns="organisation")
    out = norm_comparison(own, group).iloc[0]
    assert out["group_size"] == 6 and out["group_median"] == 3.5
    assert out["percentile"] == (3 + 0.5) / 7 * 100
    assert out["percentile_low"] == (2 + 0.5 * 2) / 7 * 100
    assert out["percentile_high"] == (3 + 0.5 * 2) / 7 * 100


def test_no_comparison_under_five_other_organisations():
    own = _rows([3.5]).assign(ci_low=3.0, ci_high=4.0).drop(columns="organisation")
    out = norm_comparison(own, _rows([1.0, 2.0, 3.0, 4.0])).iloc[0]
    assert out["group_size"] == 4 and pd.isna(out["percentile"])
    assert pd.isna(norm_comparison(own, _rows([])).iloc[0]["group_size"])


def test_as_norm_rows_keeps_each_organisations_latest_wave():
    t = pd.concat([_rows([1.0, 2.0]).assign(wave="2024"), _rows([3.0]).assign(wave="2025")])
    out = as_norm_rows(t)
    assert out.set_index("organisation")["score"].to_dict() == {"o0": 3.0, "o1": 2.0}
