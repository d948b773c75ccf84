"""Sources of marketing–sales tension (seed 001): which source weighs most on an interface.

Items carry an optional ``tension`` tag in the YAML: ``economic`` (price, promotion,
product, internal power), ``cultural`` (competence, goal and time orientation) or
``organisational`` (systems, processes, metrics). The score of a source on an interface
is scored like a dimension (a respondent's mean over their answered items of that source
when at least half are answered; then the mean over respondents); the source with the
lowest score weighs most (DESIGN 2).
"""

from __future__ import annotations

import pandas as pd

from assessment.core.instruments import TENSION_SOURCES

__all__ = ["TENSION_SOURCES", "tension_profile"]


def tension_profile(scores: pd.DataFrame) -> pd.DataFrame:
    """Return the tension rows of described scores, with the weakest source per interface marked.

    Parameters
    ----------
    scores : DataFrame
        Rows as :func:`assessment.analysis.stats.describe_scores` gives them; rows with
        ``level == "tension"`` are used (``dimension`` holds the source).

    Returns
    -------
    DataFrame
        ``organisation``, ``wave``, ``instrument``, ``interface``, ``source``, ``score``,
        ``n``, ``ci_low``, ``ci_high``, ``items`` (when given) and ``weakest`` (True for the
        lowest-scoring source of its organisation × wave × interface), in the sources' order.

    Examples
    --------
    >>> rows = pd.DataFrame({"organisation": "A", "wave": "", "instrument": "alignment",
    ...     "level": "tension", "interface": "marketing_sales",
    ...     "dimension": ["economic", "cultural", "organisational"], "score": [2.4, 2.9, 2.1],
    ...     "n": 12, "ci_low": None, "ci_high": None})
    >>> tension_profile(rows).set_index("source")["weakest"].to_dict()
    {'economic': False, 'cultural': False, 'organisational': True}
    """
    keys = ["organisation", "wave", "instrument", "interface"]
    rows = scores[scores["level"] == "tension"].rename(columns={"dimension": "source"})
    extra = [c for c in ("n", "ci_low", "ci_high", "items") if c in rows]
    rows = rows[[*keys, "source", "score", *extra]].copy()
    order = {s: k for k, s in enumerate(TENSION_SOURCES)}
    rows["_o"] = rows["source"].map(order)
    rows = rows.sort_values([*keys, "_o"]).drop(columns="_o").reset_index(drop=True)
    lowest = rows.groupby(keys, sort=False)["score"].transform("min")
    rows["weakest"] = rows["score"].notna() & (rows["score"] == lowest)
    return rows
