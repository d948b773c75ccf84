"""Net Promoter Score: counts, score and its margin of error (seed 003; DESIGN 5).

Promoters answer 9–10, passives 7–8, detractors 0–6 on "how likely are you to
recommend ...". NPS = % promoters − % detractors, on −100..+100. Its 95% margin of
error uses the adjusted-Wald method (Rocks 2016): add 3 to n and ¾ to the promoter
and detractor counts, then

    margin = z × sqrt((p + d − (p − d)²) / n') × 100,

with p and d the adjusted shares. At n = 30 that is about ±25 points: never rank
organisations on a handful of answers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

__all__ = ["NPSResult", "classify", "nps", "nps_by_group", "nps_from_counts", "nps_from_shares"]

PROMOTER_MIN = 9
DETRACTOR_MAX = 6


@dataclass(frozen=True)
class NPSResult:
    """An NPS with its parts and its interval.

    Attributes
    ----------
    n, promoters, passives, detractors : int
        Answer counts.
    score : float
        NPS on −100..+100 (NaN when n = 0).
    margin : float
        Half-width of the confidence interval, in NPS points (adjusted Wald).
    low, high : float
        The interval, clipped to −100..+100.
    """

    n: int
    promoters: int
    passives: int
    detractors: int
    score: float
    margin: float
    low: float
    high: float


def classify(scores: pd.Series | list[float]) -> pd.Series:
    """Label 0–10 answers as promoter, passive or detractor (missing stays missing).

    Raises
    ------
    ValueError
        When an answer is not a whole number from 0 to 10.

    Examples
    --------
    >>> classify([10, 9, 8, 7, 6, 0]).tolist()
    ['promoter', 'promoter', 'passive', 'passive', 'detractor', 'detractor']
    """
    s = pd.Series(scores, dtype="float64")
    bad = s.notna() & ((s < 0) | (s > 10) | (s != np.floor(s)))
    if bad.any():
        raise ValueError(f"NPS answers must be whole numbers 0–10, got {s[bad].tolist()[:5]}")
    out = pd.Series(pd.NA, index=s.index, dtype="object")
    out[s >= PROMOTER_MIN] = "promoter"
    out[(s > DETRACTOR_MAX) & (s < PROMOTER_MIN)] = "passive"
    out[s <= DETRACTOR_MAX] = "detractor"
    return out


def nps_from_counts(promoters: int, passives: int, detractors: int,
                    confidence: float = 0.95) -> NPSResult:
    """Compute the NPS and its adjusted-Wald interval from counts.

    Examples
    --------
    >>> r = nps_from_counts(25, 55, 20)
    >>> r.score
    5.0
    >>> round(r.margin, 1)
    12.9
    """
    for name, value in (("promoters", promoters), ("passives", passives),
                        ("detractors", detractors)):
        if value < 0:
            raise ValueError(f"{name} must be 0 or more, got {value}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    n = promoters + passives + detractors
    score = 100 * (promoters - detractors) / n if n else math.nan
    n_adj = n + 3
    p = (promoters + 0.75) / n_adj
    d = (detractors + 0.75) / n_adj
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    margin = 100 * z * math.sqrt((p + d - (p - d) ** 2) / n_adj)
    centre = 100 * (p - d)
    return NPSResult(n=n, promoters=promoters, passives=passives, detractors=detractors,
                     score=score, margin=margin, low=max(-100.0, centre - margin),
                     high=min(100.0, centre + margin))


def nps(scores: pd.Series | list[float], confidence: float = 0.95) -> NPSResult:
    """Compute the NPS of raw 0–10 answers (missing answers are left out).

    Examples
    --------
    >>> nps([10] * 25 + [8] * 55 + [3] * 20).score
    5.0
    """
    labels = classify(scores).dropna()
    counts = labels.value_counts()
    return nps_from_counts(int(counts.get("promoter", 0)), int(counts.get("passive", 0)),
                           int(counts.get("detractor", 0)), confidence)


def nps_from_shares(promoters: float, passives: float, detractors: float) -> float:
    """Compute the NPS from percentages (seed 003's worked example: 25/55/20 → +5).

    Examples
    --------
    >>> nps_from_shares(25, 55, 20)
    5.0
    """
    total = promoters + passives + detractors
    if not math.isclose(total, 100, abs_tol=0.5):
        raise ValueError(f"shares must add up to 100, got {total}")
    return float(promoters - detractors)


def nps_by_group(
    data: pd.DataFrame, item_id: str, by: list[str], confidence: float = 0.95
) -> pd.DataFrame:
    """Compute the NPS of one 0–10 item per group (e.g. organisation × wave).

    Parameters
    ----------
    data : DataFrame
        Responses with a column ``item_id`` of 0–10 answers (missing = not answered).
    item_id : str
        The ``nps`` item (its id comes from the instrument YAML).
    by : list of str
        Grouping columns.
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        The ``by`` columns, then ``n``, ``promoters``, ``passives``, ``detractors``,
        ``score``, ``margin``, ``low`` and ``high`` (as :class:`NPSResult`); groups
        without any answer are left out.

    Examples
    --------
    >>> d = pd.DataFrame({"org": ["A"] * 4 + ["B"] * 2, "q": [10, 9, 7, 3, 6, None]})
    >>> nps_by_group(d, "q", ["org"])[["org", "n", "score"]].values.tolist()
    [['A', 4, 25.0], ['B', 1, -100.0]]
    """
    fields = ["n", "promoters", "passives", "detractors", "score", "margin", "low", "high"]
    if item_id not in data:
        return pd.DataFrame(columns=[*by, *fields])
    labels = classify(data[item_id])  # once for the whole column; refuses answers outside 0–10
    rows = []
    for key, (pro, pas, det) in _label_counts(data[by], labels):
        if pro + pas + det == 0:
            continue
        key = key if isinstance(key, tuple) else (key,)
        r = nps_from_counts(int(pro), int(pas), int(det), confidence)
        rows.append([*key, *(getattr(r, f) for f in fields)])
    return pd.DataFrame(rows, columns=[*by, *fields])


def _label_counts(keys: pd.DataFrame, labels: pd.Series):
    """Yield (group key, [promoters, passives, detractors]) per group of ``keys``, sorted.

    As ``pd.crosstab`` of the keys and the labels: respondents with a missing key or
    label are left out, so is a group without any label. Counted with one ``bincount``.
    """
    kinds = ["promoter", "passive", "detractor"]
    labelled = labels.notna().to_numpy(dtype=bool)
    label = labels.to_numpy(dtype=object)[labelled]
    code = np.full(len(labels), -1, dtype=np.int64)
    code[labelled] = np.select([label == kind for kind in kinds], [0, 1, 2], -1)
    valid = (code >= 0) & keys.notna().all(axis=1).to_numpy(dtype=bool)
    groups = keys[valid].groupby(list(keys.columns), sort=True).indices
    if not groups:
        return
    group = np.empty(int(valid.sum()), dtype=np.int64)
    for g, idx in enumerate(groups.values()):
        group[idx] = g
    counts = np.bincount(group * 3 + code[valid], minlength=len(groups) * 3)
    yield from zip(groups, counts.reshape(-1, 3).tolist(), strict=True)
