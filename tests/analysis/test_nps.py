"""NPS (seed 003) and its adjusted-Wald margin of error (Rocks 2016; DESIGN 5)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from assessment.analysis.nps import classify, nps, nps_by_group, nps_from_counts, nps_from_shares


def test_seed_worked_example():
    """Seed 003's worked example: 25% promoters, 55% passives, 20% detractors -> NPS +5."""
    assert nps_from_shares(25, 55, 20) == 5.0
    assert nps([9] * 25 + [7] * 55 + [6] * 20).score == 5.0


def test_category_edges():
    """Seed 003: promoters 9–10, passives 7–8, detractors 0–6."""
    assert classify([0, 6, 7, 8, 9, 10]).tolist() == [
        "detractor", "detractor", "passive", "passive", "promoter", "promoter"]


def test_margin_formula_by_hand():
    """Hand calculation of the adjusted Wald (Rocks 2016) for 25/55/20.

    n' = 100 + 3, p = 25.75/103, d = 20.75/103,
    margin = 1.959964 × sqrt((p + d − (p − d)²) / n') × 100 = 12.94.
    """
    r = nps_from_counts(25, 55, 20)
    n = 103
    p, d = 25.75 / n, 20.75 / n
    assert r.margin == pytest.approx(1.959964 * math.sqrt((p + d - (p - d) ** 2) / n) * 100)
    assert r.margin == pytest.approx(12.94, abs=0.01)
    assert r.low < 5 < r.high


def test_margin_at_thirty_is_about_25():
    """DESIGN 5: at n = 30 the 95% margin is about ±25 points (here 12/12/6: ±25.5)."""
    assert nps_from_counts(12, 12, 6).margin == pytest.approx(25.5, abs=0.1)


def test_margin_shrinks_with_n():
    """Four times the respondents, about half the margin."""
    small, large = nps_from_counts(10, 10, 5), nps_from_counts(40, 40, 20)
    assert large.margin == pytest.approx(small.margin / 2, rel=0.1)


def test_interval_clipped():
    """All promoters: the interval stays within −100..+100."""
    r = nps_from_counts(20, 0, 0)
    assert r.score == 100 and r.high <= 100


def test_bad_answers():
    """Answers outside 0–10 or not whole are refused with the values found."""
    with pytest.raises(ValueError, match="whole numbers 0–10"):
        nps([11, 5])
    with pytest.raises(ValueError, match="whole numbers 0–10"):
        nps([7.5])


def test_shares_must_add_up():
    """Percentages that do not add up to 100 are refused."""
    with pytest.raises(ValueError, match="add up to 100"):
        nps_from_shares(30, 30, 30)


def test_empty():
    """No answers: NaN, not zero."""
    assert math.isnan(nps([]).score)


def test_nps_per_group():
    """Per organisation: seed 003's worked example (25/55/20 -> +5) next to an all-promoter group.

    Missing answers are left out; a group without answers gets no row.
    """
    data = pd.DataFrame({
        "organisation": ["A"] * 100 + ["B"] * 3 + ["C"],
        "q": [9] * 25 + [7] * 55 + [6] * 20 + [10, 10, None] + [None],
    })
    out = nps_by_group(data, "q", ["organisation"]).set_index("organisation")
    assert out.loc["A", "score"] == 5.0 and out.loc["A", "margin"] == pytest.approx(12.94, abs=0.01)
    assert out.loc["B", "n"] == 2 and out.loc["B", "score"] == 100.0
    assert "C" not in out.index
    assert nps_by_group(data, "missing", ["organisation"]).empty


def test_nps_by_group_is_nps_of_each_group():
    """Every group's counts and figures are nps() of its own answers; empty groups left out.

    Expected: nps() of each organisation × wave's answers alone (the definition); groups
    come sorted, respondents without an organisation or an answer count nowhere.
    """
    import numpy as np

    rng = np.random.default_rng(3)
    n = 400
    data = pd.DataFrame({
        "organisation": rng.choice(["B", "A", "C", None], n),
        "wave": rng.choice(["", "2026-Q1"], n),
        "q": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 11, n).astype(float)),
    })
    data.loc[data["organisation"] == "C", "q"] = np.nan  # a group without any answer
    out = nps_by_group(data, "q", ["organisation", "wave"])
    expected = []
    for (org, wave), part in data.dropna(subset=["organisation"]).groupby(
            ["organisation", "wave"]):
        r = nps(part["q"].dropna().tolist())
        if r.n:
            expected.append([org, wave, r.n, r.promoters, r.passives, r.detractors, r.score,
                             r.margin, r.low, r.high])
    assert out.values.tolist() == expected
