"""Waves (DESIGN 5): change since the previous wave and whether it exceeds its uncertainty."""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.analysis.waves import previous_wave, wave_changes, wave_order
from assessment.core.scoring import score_respondents


def test_wave_order_reads_numbers_as_numbers():
    """Waves sort as people read them: 2026-Q9 before 2026-Q10; 2025 before 2026."""
    assert wave_order(["2026-Q10", "2026-Q9", "2025-Q4"]) == ["2025-Q4", "2026-Q9", "2026-Q10"]
    assert previous_wave(["2026-Q1", "2026-Q3", "2027-Q1"], "2027-Q1") == "2026-Q3"
    assert previous_wave(["2026-Q1"], "2026-Q1") is None


def _two_waves(alignment, shift: float, n: int = 12, seed: int = 3) -> pd.DataFrame:
    """Make n respondents per wave; the second wave answers every item ``shift`` higher (clipped)."""
    rng = np.random.default_rng(seed)
    base = rng.integers(1, 4, size=(n, len(alignment.items))).astype(float)
    rows = []
    for wave, values in (("2026-Q1", base), ("2026-Q3", np.clip(base + shift, 1, 4))):
        for r in range(n):
            row = {"organisation": "W", "wave": wave, "department": "sales",
                   "respondent_id": f"{wave}-{r}"}
            row.update({i.id: values[r, k] for k, i in enumerate(alignment.items)})
            rows.append(row)
    return pd.DataFrame(rows)


def test_shift_of_one_answer_is_a_delta_of_one(alignment):
    """Hand calculation: answers 1–3 in 2026-Q1, the same + 1 in 2026-Q3: every Δ = +1, real.

    (Answers 1–3 plus 1 stay within 1–4, so nothing is clipped.)
    """
    changes = wave_changes(score_respondents(_two_waves(alignment, 1.0), alignment), n_boot=500)
    dims = changes[changes["level"].isin(["dimension", "interface", "tension"])]
    assert len(dims) == 21 + 3 + 3
    assert (dims["wave"] == "2026-Q3").all() and (dims["previous_wave"] == "2026-Q1").all()
    assert np.allclose(dims["delta"], 1.0)
    assert dims["delta_significant"].all()
    assert (dims["delta_low"] > 0).all()


def test_no_change_is_not_significant(alignment):
    """Identical waves: Δ = 0 everywhere and no change exceeds its uncertainty."""
    changes = wave_changes(score_respondents(_two_waves(alignment, 0.0), alignment), n_boot=500)
    assert np.allclose(changes["delta"], 0.0)
    assert not changes["delta_significant"].any()
    assert ((changes["delta_low"] <= 0) & (changes["delta_high"] >= 0)).all()


def test_wave_deltas_reproducible_with_a_seed(alignment):
    """The same seed gives the same intervals; the interval is that of wave 2 minus wave 1."""
    data = _two_waves(alignment, 0.5, seed=9)
    first = wave_changes(score_respondents(data, alignment), seed=4, n_boot=300)
    pd.testing.assert_frame_equal(first, wave_changes(score_respondents(data, alignment), seed=4, n_boot=300))
    other = wave_changes(score_respondents(data, alignment), seed=5, n_boot=300)
    assert not np.allclose(first["delta_low"], other["delta_low"])
    assert np.allclose(first["delta"], other["delta"])


def test_likert_changes_on_the_0_100_scale(disciplines):
    """Value disciplines: Δ on the reported 0–100 scale: one answer point = 25 (hand: 100 / 4)."""
    rows = []
    for wave, answer in (("A1", 2.0), ("A2", 3.0)):
        for r in range(5):
            row = {"organisation": "V", "wave": wave, "department": "sales",
                   "respondent_id": f"{wave}{r}"}
            for item in disciplines.scored_items:
                row[item.id] = (6 - answer) if item.reverse else answer
            rows.append(row)
    changes = wave_changes(score_respondents(pd.DataFrame(rows), disciplines), n_boot=50)
    assert np.allclose(changes["delta"], 25.0)
    assert np.allclose(changes["previous_score"], 25.0)


def test_first_wave_has_no_change(alignment):
    """An organisation with one wave has no row (nothing to compare with)."""
    data = _two_waves(alignment, 1.0)
    assert wave_changes(score_respondents(data[data["wave"] == "2026-Q1"], alignment)).empty
