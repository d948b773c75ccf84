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

import functools
import warnings
import zlib

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

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
    "bootstrap_means_of_groups",
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


def _lerp_percentiles(ordered: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``np.percentile(…, q, axis=-1)`` (linear method) of rows already holding their order.

    ``ordered`` holds, per row, the order statistics the percentiles need at their sorted
    positions (a sort or a partition); the arithmetic is numpy's own (``_quantile`` and
    ``_lerp`` of numpy 2), so the result has the same bits, which
    ``tests/analysis/test_stats.py`` checks against ``np.percentile``.
    """
    n = ordered.shape[-1]
    virtual = (n - 1) * (np.true_divide(q, 100))
    previous = np.floor(virtual)
    gamma = virtual - previous
    out = []
    for v, p, t in zip(virtual, previous, gamma, strict=True):
        lo, hi = (n - 1, n - 1) if v >= n - 1 else (int(p), int(p) + 1)
        a, b = ordered[..., lo], ordered[..., hi]
        diff = b - a
        out.append(b - diff * (1 - t) if t >= 0.5 else a + diff * t)
    return np.stack(out)


def _order_statistics(rows: np.ndarray, needed: list[int]) -> np.ndarray:
    """Rows (last axis) with the values of the ``needed`` sorted positions in place.

    Two single-position partitions and a max/min are much faster than numpy's
    several-position partition along a strided axis, which ``np.percentile`` uses.
    """
    n = rows.shape[-1]
    lo, hi = min(needed), max(needed)
    if needed != [lo, lo + 1, hi - 1, hi] or hi - 1 < lo + 2:
        return np.sort(rows, axis=-1)
    out = np.empty(rows.shape[:-1] + (n,))
    first = np.partition(rows, lo + 1, axis=-1)  # positions ≤ lo + 1 in front, in order there
    out[..., lo + 1] = first[..., lo + 1]
    out[..., lo] = first[..., :lo + 1].max(axis=-1)
    rest = np.partition(first[..., lo + 2:], hi - 1 - (lo + 2), axis=-1)
    out[..., hi - 1] = rest[..., hi - 1 - (lo + 2)]
    out[..., hi] = rest[..., hi - (lo + 2):].min(axis=-1)
    return out


def percentile_interval(
    samples: np.ndarray, confidence: float = CONFIDENCE, axis: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along ``axis`` (the resamples) of bootstrap samples.

    Missing samples are left out. The figures are those of ``np.percentile`` (linear
    method) and ``np.nanpercentile`` for columns with missing samples; the order
    statistics are found by partitioning contiguous rows, several times faster.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    tail = (1 - confidence) / 2 * 100
    q = np.array([tail, 100 - tail])
    samples = np.atleast_2d(samples)
    rows = np.ascontiguousarray(np.moveaxis(samples, axis, -1))
    n = rows.shape[-1]
    virtual = (n - 1) * np.true_divide(q, 100)
    needed = sorted({min(int(np.floor(v)) + k, n - 1) for v in virtual for k in (0, 1)})
    low, high = _lerp_percentiles(_order_statistics(rows, needed), q)
    gaps = np.isnan(rows).any(axis=-1)
    if gaps.any():  # only columns with missing resamples need the slower nan-aware version
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low[gaps], high[gaps] = np.nanpercentile(rows[gaps], [tail, 100 - tail], axis=-1)
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


def _buckets(groups: list[np.ndarray], per_chunk: int):
    """Yield (group numbers, row positions g × m) of groups of one size m, in chunks.

    Groups of equal size stacked into one array give, reduced along their respondents, the
    very same floating-point numbers as each group alone (numpy sums each column in the
    same order), so every figure stays identical while the work is done in a few numpy
    calls instead of one per group. ``per_chunk`` bounds g × m × (work per respondent).
    """
    sizes = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    for m in np.unique(sizes):
        members = np.flatnonzero(sizes == m)
        step = max(1, per_chunk // max(int(m), 1))
        for start in range(0, len(members), step):
            chunk = members[start:start + step]
            yield chunk, np.stack([groups[g] for g in chunk]) if m else np.empty((len(chunk), 0),
                                                                                 dtype=np.int64)


def _batched_variance(x: np.ndarray) -> np.ndarray:
    """:func:`_variance` of each group of a groups × respondents × columns array."""
    ok = ~np.isnan(x)
    n = ok.sum(axis=1)
    total = np.where(ok, x, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        dev = np.where(ok, x - mean[:, None, :], 0.0)
        var = (dev**2).sum(axis=1) / (n - 1)
    return np.where(n >= 2, var, np.nan)


def _dyadic(x: np.ndarray, axis: tuple[int, ...]) -> np.ndarray:
    """Whether every value along ``axis`` is a whole number of 1/1024ths of modest size.

    Sums of such values weighted by whole counts are exact in floating point, so any
    summation order (a BLAS product, numpy's einsum) gives the very same number.
    """
    scaled = x * 1024.0  # a power of two: exact
    return ((scaled == np.round(scaled)) & (np.abs(scaled) < 2.0**40)).all(axis=axis)


@functools.cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def _one_blas_thread():
    """Return a context in which BLAS uses one thread.

    Its thread pool only slows these small products down (four times, measured on 2
    cores), and the batch already runs one process per core.
    """
    return _blas().limit(limits=1, user_api="blas")


def _sequential_sums(counts: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``einsum("gbn,gnc->gbc", counts, x)`` as einsum adds it for two or more columns.

    Respondent by respondent: each product rounded, then added to the running sum, in
    respondent order (``tests/analysis/test_stats.py`` checks the bits against einsum).
    The running sums are kept column by column over contiguous resamples, so each step is
    one long multiply and one long add.
    """
    g, b, m = counts.shape
    by_respondent = np.ascontiguousarray(counts.transpose(2, 0, 1))  # m × g × b
    acc = np.zeros((x.shape[2], g, b))
    product = np.empty((g, b))
    for j in range(x.shape[2]):
        for k in range(m):
            np.multiply(by_respondent[k], x[:, k, j, None], out=product)
            acc[j] += product
    return acc.transpose(1, 2, 0)


def _batched_bootstrap(x: np.ndarray, rngs: list[np.random.Generator],
                       n_boot: int) -> np.ndarray:
    """:func:`bootstrap_means` of each group of a groups × respondents × columns array.

    Each group draws its resample indices from its own generator, exactly as
    :func:`bootstrap_means` does; the counting and the weighted means are then done for
    all groups at once (the same numbers as group by group). Columns whose values are
    whole numbers of 1/1024ths (means of one, two or four answers, most cells) are
    summed by a matrix product: their sums are exact, so the fast product gives the same
    bits as einsum's order; the other columns (e.g. means of three answers) keep einsum.
    """
    g, m, c = x.shape
    draws = np.stack([rng.integers(0, m, size=(n_boot, m)) for rng in rngs])
    draws += (np.arange(g * n_boot) * m).reshape(g, n_boot, 1)
    counts = np.bincount(draws.ravel(), minlength=g * n_boot * m)
    counts = counts.reshape(g, n_boot, m).astype("float64")
    del draws
    ok = ~np.isnan(x)
    x0 = np.where(ok, x, 0.0)
    if c < 2:  # one column: einsum sums as a dot product, in its own order
        total = np.einsum("gbn,gnc->gbc", counts, x0)
    else:
        total = np.matmul(counts, x0)  # right for the exact columns
        exact = _dyadic(x0, axis=(0, 1))
        if not exact.all():
            total[:, :, ~exact] = _sequential_sums(counts, x0[:, :, ~exact])
    # every resample draws m respondents: without blanks each column's count is m (exactly,
    # as a sum of whole numbers), so the second product is only needed with blanks; whole
    # numbers sum exactly, so the matrix product equals einsum's
    rated = np.matmul(counts, ok.astype("float64")) if not ok.all() else float(m)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / rated


def bootstrap_means_of_groups(
    values: np.ndarray, groups: list[np.ndarray], rngs: list[np.random.Generator],
    n_boot: int = N_BOOT,
) -> list[np.ndarray]:
    """:func:`bootstrap_means` of each group of rows of ``values``, with its own generator.

    Groups of equal size are resampled together (:func:`_batched_bootstrap`); each result
    has the very bits :func:`bootstrap_means` gives the group alone (tested).

    Parameters
    ----------
    values : ndarray
        Respondents × columns; NaN = not rated.
    groups : list of ndarray
        Row positions of each group (each at least one row).
    rngs : list of numpy.random.Generator
        One generator per group, used as :func:`bootstrap_means` uses it.
    n_boot : int

    Returns
    -------
    list of ndarray
        Per group, ``n_boot`` × columns.
    """
    values = np.asarray(values, dtype="float64")
    if values.shape[1] < 2:  # one column: einsum's own order, group by group
        return [bootstrap_means(values[g], rng, n_boot) for g, rng in zip(groups, rngs,
                                                                           strict=True)]
    empty = np.full((n_boot, values.shape[1]), np.nan)  # no respondent: nothing drawn
    out = [empty.copy() for _ in groups]
    drawn = [k for k, g in enumerate(groups) if len(g)]
    per_chunk = max(1, 2_000_000 // max(n_boot, 1) // values.shape[1]) * 8
    with _one_blas_thread():
        for chunk, take in _buckets([groups[k] for k in drawn], per_chunk):
            boot = _batched_bootstrap(values[take], [rngs[drawn[g]] for g in chunk], n_boot)
            for k, g in enumerate(chunk):
                out[drawn[g]] = boot[k]
    return out


def _batched_interval(samples: np.ndarray,
                      confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`percentile_interval` of each group of a groups × resamples × columns array."""
    return percentile_interval(samples, confidence, axis=1)


def _batched_rwg_j(var: np.ndarray, options: int) -> np.ndarray:
    """:func:`_rwg_j_of_variances` of each row of groups × items variances."""
    out = np.full(len(var), np.nan)
    if var.shape[1] == 0:
        return out
    gaps = np.isnan(var).any(axis=1)
    full = ~gaps
    if full.any():
        ev = expected_variance(options)
        j = var.shape[1]
        q = np.minimum(var[full].sum(axis=1) / j, ev) / ev
        out[full] = j * (1 - q) / (j * (1 - q) + q)
    for r in np.flatnonzero(gaps):  # items with fewer than two answers: as one group alone
        out[r] = _rwg_j_of_variances(var[r], options)
    return out


def _batched_reliability(block: np.ndarray, kind: str, min_n: int) -> np.ndarray:
    """:func:`reliability` of each group of a groups × respondents × items array.

    Groups with the same number of complete respondents are computed together with the
    operations of :func:`cronbach_alpha` and :func:`spearman_brown` (the same numbers).
    """
    out = np.full(len(block), np.nan)
    complete = ~np.isnan(block).any(axis=2)
    counts = complete.sum(axis=1)
    need = max(2, min_n) if kind == "cronbach_alpha" else max(3, min_n)
    k = block.shape[2]
    for m in np.unique(counts[counts >= need]):
        rows = np.flatnonzero(counts == m)
        x = block[rows][complete[rows]].reshape(len(rows), int(m), k)
        if kind == "cronbach_alpha":
            total = x.sum(axis=2).var(axis=1, ddof=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = k / (k - 1) * (1 - x.var(axis=1, ddof=1).sum(axis=1) / total)
            out[rows] = np.where(total == 0, np.nan, value)
            continue
        pair = x.transpose(0, 2, 1).copy()  # as numpy.corrcoef: centre, X·Xᵀ, scale
        pair -= pair.mean(axis=2)[..., None]
        c = np.matmul(pair, pair.transpose(0, 2, 1))
        c *= np.true_divide(1, int(m) - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            s0, s1 = np.sqrt(c[:, 0, 0]), np.sqrt(c[:, 1, 1])
            r = np.clip((c[:, 0, 1] / s0) / s1, -1, 1)
            value = 2 * r / (1 + r)
        flat = (x.var(axis=1, ddof=1) == 0).any(axis=1) | (r <= -1)
        out[rows] = np.where(flat, np.nan, value)
    return out


def _same_length(kinds: list[str | None],
                 item_sets: list[list[int]]) -> list[tuple[str, list[int], np.ndarray]]:
    """Return the cells with a reliability coefficient, by number of items.

    Each entry: the coefficient, the cells' positions (in ``item_sets``) and their items
    as a cells × items array, for :func:`_stacked_reliability`.
    """
    by_length: dict[tuple[str, int], list[int]] = {}
    for k, (kind, cols) in enumerate(zip(kinds, item_sets, strict=False)):
        if kind is not None:
            by_length.setdefault((kind, len(cols)), []).append(k)
    return [(kind, positions, np.array([item_sets[k] for k in positions], dtype=np.int64))
            for (kind, _), positions in by_length.items()]


def _stacked_reliability(block: np.ndarray, kind: str, min_n: int) -> np.ndarray:
    """:func:`_batched_reliability` of several cells with as many items, in one call.

    ``block`` is groups × respondents × cells × items; each group × cell is a group of
    :func:`_batched_reliability` of its own (the same numbers as cell by cell: every
    figure is reduced within its own group × cell). Returns groups × cells.
    """
    g, m, c, k = block.shape
    stacked = block.transpose(0, 2, 1, 3).reshape(g * c, m, k)
    return _batched_reliability(stacked, kind, min_n).reshape(g, c)


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

    Notes
    -----
    Groups of equal size are described together, a few hundred at a time, in one numpy
    pass each (issue 13); every figure is the one the group alone would give, bootstrap
    included (each group keeps its own seeded generator).
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
    cell_items = [[col[i] for i in cell.items] for cell in cells]
    iface_items = [[col[i] for k in ks for i in cells[k].items] for ks in ifaces.values()]
    grouped = scored.keys.groupby(by, sort=True, dropna=True).indices
    if not grouped:
        return _staged(pd.DataFrame([], columns=columns), instrument)
    keys = [key if isinstance(key, tuple) else (key,) for key in grouped]
    groups = list(grouped.values())
    n_groups, n_cells, n_ifaces = len(groups), len(cells), len(ifaces)
    n = np.zeros((n_groups, n_cells), dtype=np.int64)
    mean = np.full((n_groups, n_cells), np.nan)
    sd = np.full((n_groups, n_cells), np.nan)
    low = np.full((n_groups, n_cells), np.nan)
    high = np.full((n_groups, n_cells), np.nan)
    item_var = np.full((n_groups, answers.shape[1]), np.nan)
    iface_sd = np.full((n_groups, n_ifaces), np.nan)
    iface_low = np.full((n_groups, n_ifaces), np.nan)
    iface_high = np.full((n_groups, n_ifaces), np.nan)
    rel = np.full((n_groups, n_cells + n_ifaces), np.nan)
    kinds = [coefficient_for(len(c)) for c in [*cell_items, *iface_items]] if alpha else []
    reliability_sets = _same_length(kinds, [*cell_items, *iface_items])
    per_chunk = max(1, 2_000_000 // max(n_boot if bootstrap else 1, 1)
                    // max(n_cells, answers.shape[1], 1)) * 8
    for chunk, take in _buckets(groups, per_chunk):
        x, ans = scores[take], answers[take]
        ok = ~np.isnan(x)
        n[chunk] = ok.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean[chunk] = np.where(ok, x, 0.0).sum(axis=1) / n[chunk]
        sd[chunk] = _batched_variance(x) ** 0.5
        item_var[chunk] = _batched_variance(ans)
        for j, ks in enumerate(ifaces.values()):
            per_resp = interface_index(x, ks)
            iface_sd[chunk, j] = [v ** 0.5 for v in  # as float ** 0.5 did
                                  _batched_variance(per_resp[:, :, None])[:, 0].tolist()]
        if bootstrap and take.shape[1] >= 2:
            rngs = [seeded_rng(seed, instrument.id, *keys[g]) for g in chunk]
            with _one_blas_thread():
                boot = _batched_bootstrap(x, rngs, n_boot)
            low[chunk], high[chunk] = _batched_interval(boot, confidence)
            for j, ks in enumerate(ifaces.values()):
                lo, hi = _batched_interval(interface_index(boot, ks)[:, :, None], confidence)
                rated = ~np.isnan(interface_index(mean[chunk], ks))
                iface_low[chunk[rated], j], iface_high[chunk[rated], j] = lo[rated, 0], hi[rated, 0]
            del boot
        if alpha:
            for kind, positions, cols in reliability_sets:
                rel[np.ix_(chunk, positions)] = _stacked_reliability(ans[:, :, cols], kind,
                                                                     min_alpha_n)
    rated2 = n >= 2
    low, high = np.where(rated2, low, np.nan), np.where(rated2, high, np.nan)
    width = n_cells + n_ifaces
    table = {name: np.empty((n_groups, width), dtype=object)
             for name in ("level", "interface", "dimension")}
    for k, cell in enumerate(cells):
        table["level"][:, k], table["interface"][:, k] = cell.level, cell.interface
        table["dimension"][:, k] = cell.dimension
    for j, iface in enumerate(ifaces):
        table["level"][:, n_cells + j], table["interface"][:, n_cells + j] = "interface", iface
        table["dimension"][:, n_cells + j] = None
    score = np.empty((n_groups, width))
    sd_out = np.empty((n_groups, width))
    for k, cell in enumerate(cells):
        to_score, factor = _scale(instrument, cell.level)
        score[:, k] = to_score(mean[:, k])
        sd_out[:, k] = sd[:, k] * factor
        low[:, k], high[:, k] = to_score(low[:, k]), to_score(high[:, k])
    index = np.column_stack([interface_index(mean, ks) for ks in ifaces.values()]
                            ) if n_ifaces else np.empty((n_groups, 0))
    sizes = np.fromiter((len(g) for g in groups), dtype=np.int64, count=n_groups)
    rwg_out = np.column_stack(
        [_batched_rwg_j(item_var[:, cols], options) for cols in [*cell_items, *iface_items]])
    data = {
        "level": table["level"].ravel(),
        "interface": table["interface"].ravel(),
        "dimension": table["dimension"].ravel(),
        "n": np.column_stack([n, np.repeat(sizes[:, None], n_ifaces, axis=1)]).ravel(),
        "score": np.column_stack([score[:, :n_cells], index]).ravel(),
        "mean": np.column_stack([mean, index]).ravel(),
        "stage": None,
        "sd": np.column_stack([sd_out[:, :n_cells], iface_sd]).ravel(),
        "ci_low": np.column_stack([low, iface_low]).ravel(),
        "ci_high": np.column_stack([high, iface_high]).ravel(),
        "rwg": rwg_out.ravel(),
        "alpha": rel.ravel(),
    }
    coefficient = np.full((n_groups, width), None, dtype=object)
    if alpha:
        coefficient[:] = np.array(kinds, dtype=object)
    data["reliability_coefficient"] = coefficient.ravel()
    out = pd.DataFrame(
        {**{b: np.repeat(np.array([k[i] for k in keys], dtype=object), width)
            for i, b in enumerate(by)},
         "instrument": instrument.id, **data},
        columns=columns,
    )
    return _staged(out, instrument)


def _staged(out: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Fill ``stage`` from ``score`` (staged instruments, not for tension rows)."""
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
