"""The per-group ``describe_scores`` as it was before issue 13: the reference of the vectorised one.

Kept verbatim (only renamed to ``describe_scores_per_group``) from
``assessment/analysis/stats.py`` at commit deaf509, so that tests can compare the two on
any input, figure for figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.analysis.stats import (
    CONFIDENCE,
    MIN_ALPHA_N,
    N_BOOT,
    SEED,
    _rwg_j_of_variances,
    _scale,
    _variance,
    answer_options,
    bootstrap_means,
    interface_columns,
    interface_index,
    percentile_interval,
    reliability,
    seeded_rng,
)
from assessment.core.scoring import GROUP_KEYS, RespondentScores, stage_of


def _column_means(x: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, x, 0.0).sum(axis=0) / ok.sum(axis=0)


def describe_scores_per_group(
    scored: RespondentScores,
    by: list[str] | None = None,
    *,
    seed: int = SEED,
    n_boot: int = N_BOOT,
    confidence: float = CONFIDENCE,
    min_alpha_n: int = MIN_ALPHA_N,
    bootstrap: bool = True,
    alpha: bool = True,
) -> pd.DataFrame:
    """Describe each cell per group: score, n, spread, interval, agreement, reliability.

    Parameters
    ----------
    scored : RespondentScores
        The respondents' scores (:func:`assessment.core.scoring.score_respondents`).
    by : list of str, default ["organisation", "wave"]
        Grouping columns of ``scored.keys``; respondents whose grouping value is missing
        are left out.
    seed, n_boot, confidence : int, int, float
        Bootstrap settings; each group draws from ``seeded_rng(seed, instrument.id, *key)``.
    min_alpha_n : int
        Fewest complete respondents for the reliability (α or Spearman–Brown).
    bootstrap, alpha : bool
        Whether to compute the intervals and the reliability (department breakdowns skip
        both).

    Returns
    -------
    DataFrame
        One row per group × cell plus one per group × interface: the ``by`` columns,
        ``instrument``, ``level`` (dimension/discipline, tension, interface),
        ``interface``, ``dimension``, ``n`` (respondents rated), ``score`` (as reported:
        1–4 or 0–100; tension sources on the answer scale), ``mean`` (answer scale),
        ``stage`` (staged instruments), ``sd``, ``ci_low``, ``ci_high`` (score scale),
        ``rwg`` (r_wg(J) over the cell's items), ``alpha`` (the cell's reliability:
        Spearman–Brown for two items, Cronbach's α for more; :func:`reliability`) and
        ``reliability_coefficient`` (``"spearman_brown"`` or ``"cronbach_alpha"``; None
        when not computed).
    """
    by = list(GROUP_KEYS if by is None else by)
    instrument, cells = scored.instrument, scored.cells
    columns = [*by, "instrument", "level", "interface", "dimension", "n", "score", "mean",
               "stage", "sd", "ci_low", "ci_high", "rwg", "alpha", "reliability_coefficient"]
    if not cells or len(scored) == 0:
        return pd.DataFrame(columns=columns)
    scored = scored.where(scored.keys[by].notna().all(axis=1).to_numpy())
    scores, answers = scored.means, scored.answers
    col = {c: k for k, c in enumerate(scored.items)}
    options = answer_options(instrument.scale.type)
    ifaces = interface_columns(instrument, cells)
    iface_items = {
        iface: [col[i] for k in ks for i in cells[k].items] for iface, ks in ifaces.items()
    }
    rows = []
    for key, idx in scored.keys.groupby(by, sort=True, dropna=True).indices.items():
        key = key if isinstance(key, tuple) else (key,)
        x = scores[idx]
        ans = answers[idx]
        item_var = _variance(ans)
        n = (~np.isnan(x)).sum(axis=0)
        mean = _column_means(x)
        sd = _variance(x) ** 0.5
        if bootstrap and len(idx) >= 2:
            boot = bootstrap_means(x, seeded_rng(seed, instrument.id, *key), n_boot)
            low, high = percentile_interval(boot, confidence)
        else:
            boot = None
            low = high = np.full(len(cells), np.nan)
        for k, cell in enumerate(cells):
            cols = [col[i] for i in cell.items]
            block = ans[:, cols]
            to_score, factor = _scale(instrument, cell.level)
            rows.append([*key, instrument.id, cell.level, cell.interface, cell.dimension,
                         int(n[k]), to_score(mean[k]), mean[k], None, sd[k] * factor,
                         to_score(low[k]) if n[k] >= 2 else np.nan,
                         to_score(high[k]) if n[k] >= 2 else np.nan,
                         _rwg_j_of_variances(item_var[cols], options),
                         *(reliability(block, min_alpha_n) if alpha else (np.nan, None))])
        for iface, ks in ifaces.items():
            per_resp = interface_index(x, ks)
            index = float(interface_index(mean, ks))
            if boot is not None and not np.isnan(index):
                ilow, ihigh = percentile_interval(interface_index(boot, ks).reshape(-1, 1),
                                                  confidence)
                ilow, ihigh = float(ilow[0]), float(ihigh[0])
            else:
                ilow = ihigh = np.nan
            block = ans[:, iface_items[iface]]
            rows.append([*key, instrument.id, "interface", iface, None, len(idx), index, index,
                         None, float(_variance(per_resp.reshape(-1, 1))[0]) ** 0.5, ilow, ihigh,
                         _rwg_j_of_variances(item_var[iface_items[iface]], options),
                         *(reliability(block, min_alpha_n) if alpha else (np.nan, None))])
    out = pd.DataFrame(rows, columns=columns)
    if instrument.scale.type == "stages4":
        staged = out["level"] != "tension"
        out.loc[staged, "stage"] = stage_of(out.loc[staged, "score"], instrument)
    out["stage"] = out["stage"].astype("object").where(out["stage"].notna(), None)
    return out
