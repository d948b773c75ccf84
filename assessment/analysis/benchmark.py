"""Benchmark: each organisation's rank and percentile within the run's cohort (DESIGN 5).

The cohort is every organisation in the same file and wave. Ranks and percentiles are
given per interface index and per value discipline, and only when the cohort holds at
least :data:`MIN_COHORT` organisations: with fewer, a rank says more about who happened
to be in the file than about the organisation.

* rank: 1 = highest score; organisations with equal scores share the best rank.
* percentile rank = (B + ½E) / N × 100, with B the organisations scoring lower, E those
  scoring the same (itself included) and N the organisations rated (the usual definition
  of a percentile rank, e.g. Crocker & Algina 1986).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["BENCHMARK_LEVELS", "MIN_COHORT", "benchmark", "percentile_rank"]

#: the fewest organisations for which a rank is shown
MIN_COHORT = 5
#: which score rows get a rank
BENCHMARK_LEVELS = ("interface", "discipline")


def percentile_rank(values: pd.Series) -> pd.Series:
    """Percentile rank of every value within ``values``: (B + ½E) / N × 100.

    Missing values get no rank and do not count in N.

    Examples
    --------
    >>> percentile_rank(pd.Series([1.0, 2.0, 2.0, 4.0])).tolist()
    [12.5, 50.0, 50.0, 87.5]
    """
    v = pd.Series(values, dtype="float64")
    ok = v.dropna()
    n = len(ok)
    below = ok.rank(method="min") - 1
    equal = ok.map(ok.value_counts())
    out = (below + 0.5 * equal) / n * 100 if n else ok
    return out.reindex(v.index)


def benchmark(
    scores: pd.DataFrame, min_cohort: int = MIN_COHORT, levels: tuple[str, ...] = BENCHMARK_LEVELS
) -> pd.DataFrame:
    """Rank every organisation within its cohort (same wave), per interface and discipline.

    Parameters
    ----------
    scores : DataFrame
        Tidy scores of every organisation in the run (``score_responses``).
    min_cohort : int, default 5
        Fewest organisations with a score for a rank to be given.
    levels : tuple of str
        Which score rows to rank.

    Returns
    -------
    DataFrame
        ``organisation``, ``wave``, ``instrument``, ``level``, ``interface``,
        ``dimension``, ``score``, ``rank`` (1 = best), ``percentile`` (0–100) and
        ``cohort_size`` (organisations rated); rank and percentile are missing when the
        cohort is smaller than ``min_cohort``.

    Examples
    --------
    >>> s = pd.DataFrame({"organisation": list("ABCDE"), "wave": "", "instrument": "x",
    ...                   "level": "interface", "interface": "ms", "dimension": None,
    ...                   "score": [2.0, 3.0, 2.5, 1.5, 3.5]})
    >>> benchmark(s)[["organisation", "rank", "percentile"]].values.tolist()
    [['A', 4.0, 30.0], ['B', 2.0, 70.0], ['C', 3.0, 50.0], ['D', 5.0, 10.0], ['E', 1.0, 90.0]]
    """
    if min_cohort < 1:
        raise ValueError(f"min_cohort must be 1 or more, got {min_cohort}")
    keys = ["wave", "instrument", "level", "interface", "dimension"]
    columns = ["organisation", *keys, "score", "rank", "percentile", "cohort_size"]
    rows = scores[scores["level"].isin(levels)].copy()
    if rows.empty:
        return pd.DataFrame(columns=columns)
    for col in ("interface", "dimension"):
        rows[col] = rows[col].astype("object").where(rows[col].notna(), "")
    grouped = rows.groupby(keys, sort=False)["score"]
    rows["cohort_size"] = grouped.transform("count").astype("int64")
    rows["rank"] = grouped.rank(method="min", ascending=False)
    rows["percentile"] = grouped.transform(percentile_rank)
    small = rows["cohort_size"] < min_cohort
    rows.loc[small, ["rank", "percentile"]] = float("nan")
    for col in ("interface", "dimension"):
        rows[col] = rows[col].where(rows[col] != "", None)
    return rows[columns].reset_index(drop=True)
