"""Waves: what changed since an organisation's previous wave, and whether it is more than noise.

With a ``wave`` column (e.g. 2026-Q1, 2026-Q3), every score of a wave is compared with the
same organisation's previous wave in the file. Waves are ordered as people read them:
text with numbers compared as numbers ("2026-Q10" after "2026-Q9").

The change Δ = score now − score before. Its 95% interval is the percentile interval of
the difference of the two waves' bootstrap means (respondents resampled within each
wave, each wave with the same seeded stream as its own interval, see
:mod:`assessment.analysis.stats`). A change counts as larger than its uncertainty when that
interval does not contain 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from assessment.analysis.stats import (
    CONFIDENCE,
    N_BOOT,
    SEED,
    bootstrap_means_of_groups,
    interface_columns,
    interface_index,
    percentile_interval,
    seeded_rng,
)
from assessment.core.instruments import Instrument
from assessment.core.scoring import RespondentScores

__all__ = ["previous_wave", "wave_changes", "wave_order"]

COLUMNS = [
    "organisation",
    "wave",
    "previous_wave",
    "instrument",
    "level",
    "interface",
    "dimension",
    "previous_score",
    "delta",
    "delta_low",
    "delta_high",
    "delta_significant",
]
#: organisations whose waves are resampled together (bounds the memory of one pass)
ORGANISATIONS_AT_ONCE = 200


def _natural_key(text: str) -> list:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p.casefold())
            for p in re.split(r"(\d+)", str(text)) if p]


def wave_order(waves: Iterable[str]) -> list[str]:
    """Sort wave labels as people read them (numbers as numbers), without duplicates.

    Examples
    --------
    >>> wave_order(["2026-Q3", "2026-Q1", "2025-Q4", "2026-Q10", "2026-Q1"])
    ['2025-Q4', '2026-Q1', '2026-Q3', '2026-Q10']
    """
    return sorted(set(waves), key=_natural_key)


def previous_wave(waves: Iterable[str], wave: str) -> str | None:
    """Return the wave before ``wave`` among ``waves`` (None for the first or only one).

    Examples
    --------
    >>> previous_wave(["2026-Q1", "2026-Q3"], "2026-Q3"), previous_wave(["2026-Q1"], "2026-Q1")
    ('2026-Q1', None)
    """
    order = wave_order([*waves, wave])
    k = order.index(wave)
    return order[k - 1] if k > 0 else None


def _to_score(instrument: Instrument, level: str) -> float:
    if instrument.scale.type == "likert5" and level != "tension":
        return 100 / (instrument.scale.max - instrument.scale.min)
    return 1.0


def wave_changes(
    scored: RespondentScores,
    *,
    seed: int = SEED,
    n_boot: int = N_BOOT,
    confidence: float = CONFIDENCE,
) -> pd.DataFrame:
    """Change of every score since each organisation's previous wave, with its interval.

    Parameters
    ----------
    scored : RespondentScores
        The respondents' scores (:func:`assessment.core.scoring.score_respondents`) of one
        or more organisations, several waves.
    seed, n_boot, confidence
        Bootstrap settings (the same as the waves' own intervals).

    Returns
    -------
    DataFrame
        One row per organisation × wave that has a previous wave × cell (dimension or
        discipline, tension source, interface index): ``previous_wave``,
        ``previous_score``, ``delta`` (on the score's scale: 1–4, or 0–100 for
        agreement scales), ``delta_low``, ``delta_high`` and ``delta_significant``
        (the interval excludes 0).
    """
    instrument, cells = scored.instrument, scored.cells
    ifaces = interface_columns(instrument, cells)
    rows = []
    if not cells or len(scored) == 0 or "wave" not in scored.keys:
        return pd.DataFrame(columns=COLUMNS)
    keys = scored.keys.reset_index(drop=True)
    scores = scored.means
    # only organisations with two waves or more have a change (most files have one wave)
    waves_per_org = keys.groupby("organisation", sort=True)["wave"].nunique(dropna=False)
    several = keys["organisation"].isin(waves_per_org.index[waves_per_org > 1])
    wave_of = keys["wave"].to_numpy(dtype=object)
    organisations = []  # (organisation, its waves in order, the rows of each wave)
    chosen = np.flatnonzero(several.to_numpy())
    for org, at in keys.iloc[chosen].groupby("organisation", sort=True).indices.items():
        positions = chosen[at]
        waves = wave_order(wave_of[positions])
        organisations.append((org, waves, {w: positions[wave_of[positions] == w] for w in waves}))
    for start in range(0, len(organisations), ORGANISATIONS_AT_ONCE):
        # every wave of a few hundred organisations resampled in a few numpy passes: the
        # same draws, so the same bits, as each wave alone (bootstrap_means_of_groups)
        some = organisations[start:start + ORGANISATIONS_AT_ONCE]
        batch = [(org, wave, at[wave]) for org, waves, at in some for wave in waves]
        drawn = bootstrap_means_of_groups(
            scores, [rows for _, _, rows in batch],
            [seeded_rng(seed, instrument.id, org, wave) for org, wave, _ in batch], n_boot)
        boots = {(org, wave): b for (org, wave, _), b in zip(batch, drawn, strict=True)}
        rows.extend(_changes_of(some, boots, scores, instrument, cells, ifaces, confidence))
    out = pd.DataFrame(rows, columns=COLUMNS)
    if instrument.scale.type == "likert5":
        lo = instrument.scale.min
        moved = out["level"] != "tension"
        out.loc[moved, "previous_score"] -= lo * _to_score(instrument, "dimension")
    return out


def _changes_of(organisations: list, boots: dict, scores: np.ndarray, instrument: Instrument,
                cells: list, ifaces: dict, confidence: float) -> list[list]:
    """Rows of :func:`wave_changes` for ``(organisation, waves, rows per wave)``, resampled."""
    rows = []
    keys = [(c.level, c.interface, c.dimension) for c in cells]
    keys += [("interface", iface, None) for iface in ifaces]
    for org, waves, at in organisations:
        per_wave = {}
        for wave in waves:
            x = scores[at[wave]]
            boot = boots[(org, wave)]
            mean = _means(x)
            per_wave[wave] = (
                np.concatenate([mean, [interface_index(mean, ks) for ks in ifaces.values()]]),
                np.column_stack([boot, *[interface_index(boot, ks) for ks in ifaces.values()]])
                if ifaces else boot,
                len(x),
            )
        for before, now in zip(waves, waves[1:], strict=False):
            m0, b0, n0 = per_wave[before]
            m1, b1, n1 = per_wave[now]
            low, high = percentile_interval(b1 - b0, confidence)
            if min(n0, n1) < 2:
                low = high = np.full(len(m1), np.nan)
            for k, (level, iface, dim) in enumerate(keys):
                f = _to_score(instrument, level)
                delta = (m1[k] - m0[k]) * f
                sig = bool(not np.isnan(low[k]) and (low[k] > 0 or high[k] < 0))
                rows.append([org, now, before, instrument.id, level, iface, dim, m0[k] * f,
                             delta, low[k] * f, high[k] * f, sig])
    return rows


def _means(x: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, x, 0.0).sum(axis=0) / ok.sum(axis=0)
