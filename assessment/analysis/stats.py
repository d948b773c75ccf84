"""Trust in each number: spread, agreement, reliability and intervals (DESIGN 5).

Every formula is a few lines here and is checked in ``tests/test_stats.py`` against a
named source:

* **r_wg** = 1 − s² / σ²_EU (James, Demaree & Wolf 1984), with s² the observed variance
  of one item's answers and σ²_EU = (A² − 1) / 12 the variance of answers spread
  uniformly over the A options ("no agreement"): 1.25 for ``stages4`` (A = 4), 2.0 for
  ``likert5`` (A = 5). A variance above σ²_EU is truncated, giving r_wg = 0, as James
  et al. recommend and R's ``multilevel::rwg`` does.
* **r_wg(J)** over a dimension's J items: with s̄² the mean of the item variances and
  q = s̄² / σ²_EU, r_wg(J) = J(1 − q) / (J(1 − q) + q).
* **Cronbach's α** = k / (k − 1) · (1 − Σ s²_item / s²_total), over the respondents who
  answered all k items, and only when at least :data:`MIN_ALPHA_N` did; for cells of three
  items or more.
* **Spearman–Brown** ρ = 2r / (1 + r), r the Pearson correlation of the two items over the
  respondents who answered both (at least :data:`MIN_ALPHA_N`): the reliability of a
  two-item score, for which α is the wrong coefficient (Eisinga, te Grotenhuis & Pelzer
  2013). :func:`reliability` picks the coefficient by the number of items and says which.
  A reliability under :data:`MIN_INTERPRETABLE` (negative or near zero) is not read as a
  number: :func:`uninterpretable_reason` says why it is low.
* **ICC(1)** = (MSB − MSW) / (MSB + (k − 1) · MSW) and **ICC(2)** = (MSB − MSW) / MSB from
  a one-way analysis of variance of respondent scores on organisation, k the mean
  group size (Bliese 2000; R's ``multilevel::ICC1``/``ICC2``).
* **95% interval** of an organisation score: percentile bootstrap over respondents
  (Efron & Tibshirani 1993), :data:`N_BOOT` resamples, seeded per organisation and
  wave so that a report and the scores file give the same interval.

The table-level function :func:`describe_scores` applies these to the score cells of an
instrument (each interface × dimension, each tension source, each interface index). It
takes the respondents' cell scores that :func:`assessment.core.scoring.score_respondents`
computed and never scores answers itself.
"""

from __future__ import annotations

import warnings
import zlib

import numpy as np
import pandas as pd

from assessment.core.instruments import SCALE_RANGE, Instrument
from assessment.core.scoring import (
    GROUP_KEYS,
    Cell,
    RespondentScores,
    respondent_means,
    stage_of,
    to_percent,
)

__all__ = [
    "CONFIDENCE",
    "LOW_AGREEMENT",
    "LOW_N",
    "MIN_ALPHA_N",
    "MIN_INTERPRETABLE",
    "N_BOOT",
    "SEED",
    "answer_options",
    "bootstrap_ci",
    "bootstrap_means",
    "coefficient_for",
    "cohort_icc",
    "cronbach_alpha",
    "describe_scores",
    "expected_variance",
    "icc",
    "interface_columns",
    "interface_index",
    "percentile_interval",
    "reliability",
    "rwg",
    "rwg_j",
    "seeded_rng",
    "spearman_brown",
    "uninterpretable_reason",
]

#: r_wg(J) under this is flagged as low agreement (the usual cut-off; LeBreton & Senter 2008)
LOW_AGREEMENT = 0.70
#: a figure resting on fewer respondents than this is flagged as low n
LOW_N = 5
#: Cronbach's α needs at least this many respondents with every item of the dimension answered
#: (and so does the Spearman–Brown coefficient of a two-item dimension)
MIN_ALPHA_N = 10
#: a reliability (α or Spearman–Brown) under this is negative or near zero: "not interpretable
#: here" rather than a number
MIN_INTERPRETABLE = 0.10
#: bootstrap resamples per interval
N_BOOT = 2000
#: default seed of the bootstrap (any fixed number gives reproducible intervals)
SEED = 2026
#: coverage of every interval
CONFIDENCE = 0.95


def expected_variance(options: int) -> float:
    """Return σ²_EU = (A² − 1) / 12, the variance of uniform answers on ``options`` choices.

    Examples
    --------
    >>> expected_variance(4), expected_variance(5)
    (1.25, 2.0)
    """
    if options < 2:
        raise ValueError(f"options must be 2 or more, got {options}")
    return (options**2 - 1) / 12


def answer_options(item_type: str) -> int:
    """Return how many answer options an item type has (A in σ²_EU).

    Examples
    --------
    >>> answer_options("stages4"), answer_options("likert5"), answer_options("nps")
    (4, 5, 11)
    """
    if item_type not in SCALE_RANGE:
        raise ValueError(f"item_type must be one of {list(SCALE_RANGE)}, got {item_type!r}")
    lo, hi = SCALE_RANGE[item_type]
    return hi - lo + 1


def _variance(x: np.ndarray) -> np.ndarray:
    """Sample variance (ddof = 1) per column, ignoring missing values; NaN under 2 answers."""
    x = np.atleast_2d(np.asarray(x, dtype="float64"))
    ok = ~np.isnan(x)
    n = ok.sum(axis=0)
    total = np.where(ok, x, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        dev = np.where(ok, x - mean, 0.0)
        var = (dev**2).sum(axis=0) / (n - 1)
    return np.where(n >= 2, var, np.nan)


def rwg(values: pd.Series | np.ndarray | list[float], options: int) -> float:
    """Within-group agreement on one item: 1 − s² / σ²_EU, truncated to [0, 1].

    Parameters
    ----------
    values : array-like
        One group's answers on one item (missing answers are left out).
    options : int
        A, the number of answer options (4 for stages4, 5 for likert5).

    Returns
    -------
    float
        NaN with fewer than two answers.

    Examples
    --------
    >>> rwg([3, 4, 4, 5, 4], 5)  # s² = 0.5, σ²_EU = 2.0
    0.75
    >>> rwg([1, 5, 1, 5], 5)  # more spread than uniform answers: truncated to 0
    0.0
    """
    var = float(_variance(np.asarray(values, dtype="float64").reshape(-1, 1))[0])
    if np.isnan(var):
        return float("nan")
    return 1.0 - min(var, expected_variance(options)) / expected_variance(options)


def rwg_j(items: pd.DataFrame | np.ndarray, options: int) -> float:
    """Within-group agreement over J items: J(1 − q) / (J(1 − q) + q), q = s̄² / σ²_EU.

    s̄² is the mean of the items' variances (each over the answers given to it); items
    with fewer than two answers are left out, and J counts the items used. s̄² above
    σ²_EU is truncated to σ²_EU, giving 0 (James, Demaree & Wolf 1984).

    Parameters
    ----------
    items : DataFrame or ndarray
        Respondents × items of one group.
    options : int
        A, the number of answer options.

    Examples
    --------
    >>> round(rwg_j(np.array([[3, 4], [4, 4], [4, 3], [5, 5], [4, 4]]), 5), 3)  # s̄² = 0.5
    0.857
    """
    return _rwg_j_of_variances(_variance(np.asarray(items, dtype="float64")), options)


def _rwg_j_of_variances(var: np.ndarray, options: int) -> float:
    """r_wg(J) from the items' variances (NaN for items with fewer than two answers)."""
    var = var[~np.isnan(var)]
    if var.size == 0:
        return float("nan")
    j = var.size
    q = min(float(var.mean()), expected_variance(options)) / expected_variance(options)
    return float(j * (1 - q) / (j * (1 - q) + q))


def cronbach_alpha(items: pd.DataFrame | np.ndarray, min_n: int = MIN_ALPHA_N) -> float:
    """Cronbach's α of k items over the respondents who answered all of them.

    α = k / (k − 1) · (1 − Σ s²_item / s²_total), with sample variances (ddof = 1).

    Parameters
    ----------
    items : DataFrame or ndarray
        Respondents × items (reverse keying already applied).
    min_n : int, default MIN_ALPHA_N
        Fewest complete respondents for which α is given; NaN below it ("not enough
        respondents"), and NaN with fewer than two items or no variance at all.

    Examples
    --------
    >>> x = np.array([[1, 2], [2, 2], [3, 4], [4, 3], [5, 5]])
    >>> round(cronbach_alpha(x, min_n=2), 3)  # hand: k = 2, Σ s² = 2.5 + 1.7, s²_total = 7.7
    0.909
    """
    x = np.asarray(items, dtype="float64")
    if x.ndim != 2:
        raise ValueError(f"items must be respondents × items (2-D), got {x.ndim}-D")
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2 or n < max(2, min_n):
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def spearman_brown(items: pd.DataFrame | np.ndarray, min_n: int = MIN_ALPHA_N) -> float:
    """Spearman–Brown reliability of a two-item score: 2r / (1 + r).

    r is the Pearson correlation of the two items over the respondents who answered both.
    For two items this is the coefficient to report rather than Cronbach's α, which
    assumes equal item variances and underestimates reliability when they differ
    (Eisinga, te Grotenhuis & Pelzer 2013).

    Parameters
    ----------
    items : DataFrame or ndarray
        Respondents × 2 items (reverse keying already applied).
    min_n : int, default MIN_ALPHA_N
        Fewest respondents with both items answered; NaN below it, and NaN when an item
        has no variance (r undefined) or r = −1.

    Examples
    --------
    >>> x = np.array([[1, 2], [2, 2], [3, 4], [4, 3], [5, 5]])
    >>> round(spearman_brown(x, min_n=2), 4)  # hand: r = 1.75 / √(2.5 · 1.7) = 0.8489
    0.9183
    """
    x = np.asarray(items, dtype="float64")
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"items must be respondents × 2 items, got shape {x.shape}")
    x = x[~np.isnan(x).any(axis=1)]
    if len(x) < max(3, min_n):
        return float("nan")
    sd = x.std(axis=0, ddof=1)
    if (sd == 0).any():
        return float("nan")
    r = float(np.corrcoef(x[:, 0], x[:, 1])[0, 1])
    if r <= -1:
        return float("nan")
    return 2 * r / (1 + r)


def coefficient_for(n_items: int) -> str | None:
    """Return the reliability coefficient of a score over ``n_items`` items.

    Examples
    --------
    >>> coefficient_for(1), coefficient_for(2), coefficient_for(6)
    (None, 'spearman_brown', 'cronbach_alpha')
    """
    if n_items == 2:
        return "spearman_brown"
    return "cronbach_alpha" if n_items >= 3 else None


def reliability(items: pd.DataFrame | np.ndarray,
                min_n: int = MIN_ALPHA_N) -> tuple[float, str | None]:
    """Reliability of a score over its items, and which coefficient it is.

    Two items: :func:`spearman_brown` (``"spearman_brown"``); three or more:
    :func:`cronbach_alpha` (``"cronbach_alpha"``); one item: (NaN, None).

    Examples
    --------
    >>> x = np.array([[1, 2], [2, 2], [3, 4], [4, 3], [5, 5]])
    >>> value, kind = reliability(x, min_n=2)
    >>> round(value, 3), kind
    (0.918, 'spearman_brown')
    >>> reliability(np.c_[x, x[:, ::-1]], min_n=2)[1]
    'cronbach_alpha'
    """
    kind = coefficient_for(np.asarray(items).shape[1] if np.asarray(items).ndim == 2 else 0)
    if kind == "spearman_brown":
        return spearman_brown(items, min_n), kind
    if kind == "cronbach_alpha":
        return cronbach_alpha(items, min_n), kind
    return float("nan"), None


def uninterpretable_reason(value: float, rwg_j: float) -> str | None:
    """Why a reliability is not interpretable here, or None when it can be read as a number.

    A reliability (α or Spearman–Brown) is the share of the differences between respondents
    that the items share. Under :data:`MIN_INTERPRETABLE` it says nothing about the items:

    * ``"little_variance"``: the respondents agree closely (r_wg(J) of at least
      :data:`LOW_AGREEMENT`), so there are hardly any differences between them for the
      items to share;
    * ``"no_coherence"``: the respondents do differ, but the items do not move together in
      this group (read the dimension question by question).

    Examples
    --------
    >>> uninterpretable_reason(0.72, 0.80) is None, uninterpretable_reason(float("nan"), 0.8)
    (True, None)
    >>> uninterpretable_reason(-0.2, 0.85), uninterpretable_reason(0.05, 0.40)
    ('little_variance', 'no_coherence')
    """
    if pd.isna(value) or value >= MIN_INTERPRETABLE:
        return None
    return "little_variance" if pd.notna(rwg_j) and rwg_j >= LOW_AGREEMENT else "no_coherence"


def icc(values: pd.Series | np.ndarray, groups: pd.Series | np.ndarray) -> tuple[float, float]:
    """ICC(1) and ICC(2) from a one-way ANOVA of ``values`` on ``groups`` (Bliese 2000).

    ICC(1) = (MSB − MSW) / (MSB + (k − 1) · MSW): the share of the variance that lies
    between groups. ICC(2) = (MSB − MSW) / MSB: how reliably the group means differ.
    k is the mean group size (as R's ``multilevel::ICC1``). Missing values are left out.

    Returns
    -------
    tuple of float
        (ICC(1), ICC(2)); NaN with fewer than two groups or no within-group variance.

    Examples
    --------
    >>> v = [1, 2, 3, 3, 4, 5]
    >>> g = ["a", "a", "a", "b", "b", "b"]
    >>> [round(x, 3) for x in icc(v, g)]  # MSB = 6, MSW = 1
    [0.625, 0.833]
    """
    frame = pd.DataFrame(
        {"v": np.asarray(values, dtype="float64"), "g": np.asarray(groups, dtype=object)}
    ).dropna()
    n_total = len(frame)
    by = frame.groupby("g", sort=False)["v"]
    n_groups = by.ngroups
    if n_groups < 2 or n_total - n_groups < 1:
        return float("nan"), float("nan")
    grand = frame["v"].mean()
    means = by.transform("mean")
    msb = float((by.size() * (by.mean() - grand) ** 2).sum()) / (n_groups - 1)
    msw = float(((frame["v"] - means) ** 2).sum()) / (n_total - n_groups)
    k = n_total / n_groups
    if msb == 0 or msb + (k - 1) * msw == 0:
        return float("nan"), float("nan")
    return float((msb - msw) / (msb + (k - 1) * msw)), float((msb - msw) / msb)


def seeded_rng(seed: int, *key: object) -> np.random.Generator:
    """Return a generator seeded by ``seed`` and a key (e.g. instrument, organisation, wave).

    The same key gives the same stream whatever else is analysed in the same run.

    Examples
    --------
    >>> a = seeded_rng(1, "alignment", "Delta", "").integers(0, 100, 3)
    >>> b = seeded_rng(1, "alignment", "Delta", "").integers(0, 100, 3)
    >>> bool((a == b).all())
    True
    """
    digest = zlib.crc32("\x1f".join(str(k) for k in key).encode("utf-8"))
    return np.random.default_rng([int(seed), digest])


def bootstrap_means(
    values: np.ndarray, rng: np.random.Generator, n_boot: int = N_BOOT
) -> np.ndarray:
    """Column means of ``n_boot`` resamples of the rows (respondents), drawn with replacement.

    Parameters
    ----------
    values : ndarray
        Respondents × columns; NaN = not rated (left out of that column's mean).
    rng : numpy.random.Generator
    n_boot : int

    Returns
    -------
    ndarray
        ``n_boot`` × columns; NaN where a resample holds no rating for a column.
    """
    x = np.atleast_2d(np.asarray(values, dtype="float64"))
    if x.shape[0] == 1 and np.asarray(values).ndim == 1:
        x = x.T
    n = x.shape[0]
    if n == 0:
        return np.full((n_boot, x.shape[1]), np.nan)
    # resample indices, then count how often each respondent was drawn in each resample
    draws = rng.integers(0, n, size=(n_boot, n)) + (np.arange(n_boot) * n)[:, None]
    counts = np.bincount(draws.ravel(), minlength=n_boot * n).reshape(n_boot, n)
    counts = counts.astype("float64")
    ok = ~np.isnan(x)
    # einsum, not @: small products are faster without the BLAS thread pool
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.einsum("bn,nc->bc", counts, np.where(ok, x, 0.0))
                / np.einsum("bn,nc->bc", counts, ok.astype("float64")))


def percentile_interval(
    samples: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval per column of bootstrap samples (missing samples left out)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    tail = (1 - confidence) / 2 * 100
    samples = np.atleast_2d(samples)
    low, high = np.percentile(samples, [tail, 100 - tail], axis=0)
    gaps = np.isnan(samples).any(axis=0)
    if gaps.any():  # only columns with missing resamples need the slower nan-aware version
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low[gaps], high[gaps] = np.nanpercentile(samples[:, gaps], [tail, 100 - tail],
                                                     axis=0)
    return low, high


def bootstrap_ci(
    values: pd.Series | np.ndarray | list[float],
    seed: int = SEED,
    n_boot: int = N_BOOT,
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values`` (missing values left out).

    Examples
    --------
    >>> low, high = bootstrap_ci([2, 3, 3, 4, 2, 3, 4, 3], seed=1)
    >>> low < 3.0 < high
    True
    >>> bootstrap_ci([2, 3, 3, 4], seed=1) == bootstrap_ci([2, 3, 3, 4], seed=1)
    True
    """
    x = np.asarray(values, dtype="float64")
    x = x[~np.isnan(x)].reshape(-1, 1)
    if len(x) < 2:
        return float("nan"), float("nan")
    low, high = percentile_interval(bootstrap_means(x, seeded_rng(seed), n_boot), confidence)
    return float(low[0]), float(high[0])


# --------------------------------------------------------------------------- cells


def interface_columns(instrument: Instrument, cells: list[Cell]) -> dict[str, list[int]]:
    """Return, per interface, the positions of its dimension cells in ``cells``."""
    return {
        iface.id: [
            k for k, c in enumerate(cells) if c.level == "dimension" and c.interface == iface.id
        ]
        for iface in instrument.interfaces
    }


def interface_index(means: np.ndarray, columns: list[int]) -> np.ndarray:
    """Interface index from dimension means (last axis): their mean, when at least half are rated.

    Examples
    --------
    >>> interface_index(np.array([[2.0, 3.0, np.nan], [2.0, np.nan, np.nan]]), [0, 1, 2])
    array([2.5, nan])
    """
    block = np.asarray(means, dtype="float64")[..., columns]
    return respondent_means(block.reshape(-1, len(columns))).reshape(block.shape[:-1])


def _scale(instrument: Instrument, level: str):
    """Return a function mapping means on the answer scale to the reported score scale."""
    if instrument.scale.type == "likert5" and level != "tension":
        factor = 100 / (instrument.scale.max - instrument.scale.min)
        return (lambda m: to_percent(m, instrument)), factor
    return (lambda m: m), 1.0


def describe_scores(
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


def _column_means(x: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, x, 0.0).sum(axis=0) / ok.sum(axis=0)


def cohort_icc(scored: RespondentScores) -> pd.DataFrame:
    """ICC(1) and ICC(2) of every cell across the organisations of each wave (the cohort).

    ``scored`` holds the respondents of the cohort
    (:func:`assessment.core.scoring.score_respondents`).

    Returns
    -------
    DataFrame
        ``wave``, ``instrument``, ``level``, ``interface``, ``dimension``, ``icc1``,
        ``icc2``, ``groups`` (organisations with a rating).
    """
    instrument, cells = scored.instrument, scored.cells
    columns = ["wave", "instrument", "level", "interface", "dimension", "icc1", "icc2", "groups"]
    if not cells or len(scored) == 0:
        return pd.DataFrame(columns=columns)
    scores = scored.means
    rows = []
    orgs = scored.keys["organisation"].to_numpy(dtype=object)
    for wave, idx in scored.keys.groupby("wave", sort=True).indices.items():
        for k, cell in enumerate(cells):
            values = scores[idx, k]
            rated = ~np.isnan(values)
            icc1, icc2 = icc(values, orgs[idx])
            rows.append([wave, instrument.id, cell.level, cell.interface, cell.dimension, icc1,
                         icc2, len(set(orgs[idx][rated]))])
    return pd.DataFrame(rows, columns=columns)
