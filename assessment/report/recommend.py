"""Roadmap: the next step for the weakest dimensions, from the instrument's recommendations."""

from __future__ import annotations

import pandas as pd

from assessment.core.instruments import Instrument

__all__ = ["roadmap"]


def roadmap(scores: pd.DataFrame, instrument: Instrument, n: int = 3) -> pd.DataFrame:
    """Pick the ``n`` weakest rated dimensions and the step to their next stage.

    Parameters
    ----------
    scores : DataFrame
        Tidy scores of one organisation (and wave) for ``instrument``, as returned by
        :func:`assessment.core.scoring.score_alignment`.
    instrument : Instrument
        A staged instrument with recommendations.
    n : int, default 3
        How many dimensions; the target is always the next stage (current + 1).
        Dimensions already at the top stage have no next step and are skipped. The
        advice is per dimension, so a dimension weak on two interfaces appears once, at
        its lowest interface, and the next weakest dimension takes the freed place.

    Returns
    -------
    DataFrame
        Columns interface, dimension, score, stage, target, recommendation (the
        :class:`~assessment.core.instruments.Recommendation`), lowest score first.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    levels = [lv.id for lv in instrument.levels]
    dims = scores[
        (scores["level"] == "dimension")
        & scores["score"].notna()
        & (scores["instrument"] == instrument.id)
    ]
    dims = dims[dims["stage"] != levels[-1]]
    order = {d.id: k for k, d in enumerate(instrument.dimensions)}
    dims = (dims.assign(_o=dims["dimension"].map(order)).sort_values(["score", "_o"])
            .drop_duplicates("dimension").head(n))
    rows = []
    for row in dims.itertuples():
        target = levels[levels.index(row.stage) + 1]
        rows.append(
            {
                "interface": row.interface,
                "dimension": row.dimension,
                "score": row.score,
                "stage": row.stage,
                "target": target,
                "recommendation": instrument.recommendation(row.dimension, row.stage),
            }
        )
    return pd.DataFrame(
        rows, columns=["interface", "dimension", "score", "stage", "target", "recommendation"]
    )
