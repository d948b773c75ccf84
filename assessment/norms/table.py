"""The norm table, and where one organisation stands in its norm group.

Both take score rows as :meth:`assessment.norms.store.NormStore.scores` returns them (one
organisation's latest record per instrument) or as :func:`as_norm_rows` makes them from an
analysis table, so the same numbers come from a store and from a file scored directly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.analysis.benchmark import percentile_rank

__all__ = [
    "CELL",
    "MIN_NORM_GROUP",
    "NORM_LEVELS",
    "PERCENTILES",
    "as_norm_rows",
    "norm_comparison",
    "norm_table",
]

#: fewest *other* organisations in a norm group for a comparison
MIN_NORM_GROUP = 5
#: the percentiles of the norm table
PERCENTILES = (10, 25, 50, 75, 90)
#: levels of the norm table, in its order
NORM_LEVELS = ("interface", "dimension", "discipline", "nps")
#: the columns that name one cell of the table
CELL = ["instrument", "level", "interface", "dimension"]


def as_norm_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Return an analysis table's organisation rows as norm rows (latest wave per organisation).

    Examples
    --------
    >>> t = pd.DataFrame({"organisation": ["A", "A"], "wave": ["1", "2"], "instrument": "x",
    ...                   "level": "interface", "interface": "ms", "dimension": None,
    ...                   "score": [1.0, 2.0], "stage": None})
    >>> as_norm_rows(t)[["organisation", "wave", "dimension", "score"]].values.tolist()
    [['A', '2', '', 2.0]]
    """
    rows = table[table["level"].isin(NORM_LEVELS)].copy()
    for col in ("wave", "interface", "dimension"):
        rows[col] = rows[col].astype("object").where(rows[col].notna(), "").astype(str)
    last = rows.groupby(["organisation", "instrument"])["wave"].transform("max")
    return rows[rows["wave"] == last].reset_index(drop=True)


def norm_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the norm table: per cell, organisations, mean, percentiles and stage shares.

    Parameters
    ----------
    rows : DataFrame
        Norm rows (one per organisation and cell): ``organisation``, :data:`CELL`,
        ``score`` and ``stage``.

    Returns
    -------
    DataFrame
        :data:`CELL`, ``organisations``, ``mean``, ``p10`` … ``p90`` (linear interpolation)
        and, for staged cells, the share (0–1) of organisations in each stage (one
        column per stage found, lowest first; empty for cells without stages). Ordered
        by instrument, level (:data:`NORM_LEVELS`), interface and dimension.

    Examples
    --------
    >>> r = pd.DataFrame({"organisation": list("ABCD"), "instrument": "x",
    ...                   "level": "interface", "interface": "ms", "dimension": "",
    ...                   "score": [1.0, 2.0, 3.0, 4.0],
    ...                   "stage": ["undefined", "defined", "aligned", "integrated"]})
    >>> n = norm_table(r).iloc[0]
    >>> int(n["organisations"]), float(n["mean"]), float(n["p50"]), float(n["aligned"])
    (4, 2.5, 2.5, 0.25)
    """
    rows = rows[rows["score"].notna()]
    # stages in the order of their scores (bands do not overlap)
    stage_cols = [str(s) for s in
                  rows.groupby("stage")["score"].min().sort_values().index]
    columns = [*CELL, "organisations", "mean", *(f"p{p}" for p in PERCENTILES), *stage_cols]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = []
    for cell, part in rows.groupby(CELL, sort=False):
        scores = part["score"].to_numpy(dtype="float64")
        line = dict(zip(CELL, cell, strict=True))
        line["organisations"] = part["organisation"].nunique()
        line["mean"] = float(scores.mean())
        for p, value in zip(PERCENTILES, np.percentile(scores, PERCENTILES), strict=True):
            line[f"p{p}"] = float(value)
        stages = part["stage"].dropna()
        for stage in stage_cols:
            line[stage] = float((stages == stage).mean()) if len(stages) else np.nan
        out.append(line)
    table = pd.DataFrame(out, columns=columns)
    table["organisations"] = table["organisations"].astype("int64")
    order = {level: k for k, level in enumerate(NORM_LEVELS)}
    table["_level"] = table["level"].map(order)
    table = table.sort_values(["instrument", "_level", "interface", "dimension"], kind="stable")
    return table.drop(columns="_level").reset_index(drop=True)


def norm_comparison(own: pd.DataFrame, group: pd.DataFrame,
                    min_group: int = MIN_NORM_GROUP) -> pd.DataFrame:
    """Place one organisation's scores in its norm group: percentile rank with its interval.

    The percentile rank is (lower + ½ equal) / N × 100 among the group's scores together with
    the organisation's own; its interval is the percentile rank of the ends of the
    organisation's own 95% interval (``ci_low``, ``ci_high``), so it shows how sure the place
    is.

    Parameters
    ----------
    own : DataFrame
        The organisation's rows: :data:`CELL`, ``score``, ``ci_low``, ``ci_high``.
    group : DataFrame
        Norm rows of the *other* organisations (:data:`CELL`, ``organisation``, ``score``).
    min_group : int, default 5
        Fewest other organisations for a place; cells with fewer get none.

    Returns
    -------
    DataFrame
        ``own``'s rows with ``group_size``, ``group_median``, ``percentile``,
        ``percentile_low`` and ``percentile_high`` (missing under ``min_group``).

    Examples
    --------
    >>> g = pd.DataFrame({"organisation": list("ABCDE"), "instrument": "x",
    ...                   "level": "interface", "interface": "ms", "dimension": "",
    ...                   "score": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> o = g.iloc[[0]].assign(score=3.5, ci_low=2.5, ci_high=4.5).drop(columns="organisation")
    >>> norm_comparison(o, g)[["group_size", "percentile", "percentile_low"]].values.tolist()
    [[5.0, 58.333333333333336, 41.66666666666667]]
    """
    out = own.copy()
    for col in ("interface", "dimension"):
        out[col] = out[col].astype("object").where(out[col].notna(), "").astype(str)
    for col in ("group_size", "group_median", "percentile", "percentile_low",
                "percentile_high"):
        out[col] = np.nan
    scores = group[group["score"].notna()]
    groups = {cell: part["score"] for cell, part in scores.groupby(CELL, sort=False)}
    for idx, row in out.iterrows():
        others = groups.get(tuple(row[c] for c in CELL))
        if others is None or pd.isna(row["score"]):
            continue
        out.loc[idx, "group_size"] = len(others)
        if len(others) < min_group:
            continue
        out.loc[idx, "group_median"] = float(others.median())
        for col, value in (("percentile", row["score"]), ("percentile_low", row["ci_low"]),
                           ("percentile_high", row["ci_high"])):
            if pd.notna(value):
                ranks = percentile_rank(pd.concat([others, pd.Series([value])],
                                                  ignore_index=True))
                out.loc[idx, col] = float(ranks.iloc[-1])
    return out
