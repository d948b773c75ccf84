"""Benchmark (DESIGN 5): rank and percentile within the run's cohort, only from five organisations."""

from __future__ import annotations

import pandas as pd
import pytest

from assessment.analysis.benchmark import benchmark, percentile_rank


def _scores(values, level="interface", wave=""):
    return pd.DataFrame({"organisation": [f"org{k}" for k in range(len(values))], "wave": wave,
                         "instrument": "alignment", "level": level, "interface": "ms",
                         "dimension": None, "score": values})


def test_percentile_rank_by_hand():
    """Hand calculation of PR = (B + ½E) / N × 100 (Crocker & Algina's percentile rank).

    Scores 1, 2, 2, 4: for 1, B = 0, E = 1 -> 12.5; for 2, B = 1, E = 2 -> 50; for 4, B = 3,
    E = 1 -> 87.5. Missing scores get no rank and do not count.
    """
    values = pd.Series([1.0, 2.0, 2.0, 4.0, None])
    assert percentile_rank(values).tolist()[:4] == [12.5, 50.0, 50.0, 87.5]
    assert pd.isna(percentile_rank(values).iloc[4])


def test_rank_and_percentile_in_a_cohort_of_five():
    """Hand calculation for five organisations: rank 1 = highest; ties share the best rank."""
    out = benchmark(_scores([2.0, 3.0, 3.0, 1.5, 3.5]))
    assert out["rank"].tolist() == [4, 2, 2, 5, 1]
    assert out["percentile"].tolist() == [30.0, 60.0, 60.0, 10.0, 90.0]
    assert (out["cohort_size"] == 5).all()


def test_no_rank_under_five_organisations():
    """DESIGN 5 / issue 4: ranks only when the cohort has at least five organisations."""
    out = benchmark(_scores([2.0, 3.0, 2.5, 1.5]))
    assert out["rank"].isna().all() and out["percentile"].isna().all()
    assert (out["cohort_size"] == 4).all()
    with pytest.raises(ValueError, match="min_cohort must be 1 or more"):
        benchmark(_scores([1.0]), min_cohort=0)


def test_cohorts_are_per_wave_and_unrated_organisations_do_not_count():
    """Each wave is its own cohort; an organisation without a score is not ranked nor counted."""
    both = pd.concat([_scores([1, 2, 3, 4, 5], wave="2026-Q1"),
                      _scores([1, 2, 3, 4, None, 5], wave="2026-Q3")], ignore_index=True)
    out = benchmark(both)
    q1, q3 = out[out["wave"] == "2026-Q1"], out[out["wave"] == "2026-Q3"]
    assert (q1["cohort_size"] == 5).all() and (q3["cohort_size"] == 5).all()
    assert q3["rank"].isna().sum() == 1
    assert q3["rank"].dropna().tolist() == [5, 4, 3, 2, 1]


def test_dimension_rows_are_not_ranked():
    """Issue 4: rank and percentile per interface and per discipline, not per dimension."""
    assert benchmark(_scores([1, 2, 3, 4, 5], level="dimension")).empty
