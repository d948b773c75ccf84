"""Teaching models: expectation gap, customer lifetime value, NPS sampling, incentives."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from assessment.analysis.nps import nps_from_counts
from assessment.teaching.simulations import (
    REICHHELD_SASSER_RANGE,
    choose_option,
    clv_table,
    customer_lifetime_value,
    deal_metrics,
    experience,
    in_reichheld_sasser_range,
    incentive_case,
    nps_sampling,
    required_sample_size,
    retention_effect,
    retention_scenarios,
    sampling_summary,
    simulate_deals,
)

# ------------------------------------------------------------------------- expectation gap


def test_seed_quote_example():
    """Seed 003: a quote expected within 2 days that arrives after 4 gives a negative experience; one that arrives after 1 day a positive one."""
    late = experience(2, 4, lower_is_better=True)
    early = experience(2, 1, lower_is_better=True)
    assert (late.verdict, late.gap) == ("negative", -2.0)
    assert (early.verdict, early.gap) == ("positive", 1.0)


def test_expectation_management():
    """Seed 003: telling the customer in time that it will take 3 days moves the expectation to 3 days, so a quote after 3 days no longer disappoints (gap 3 − 3 = 0)."""
    managed = experience(2, 3, announced=3, lower_is_better=True)
    assert managed.expectation == 3.0 and managed.verdict == "neutral"
    assert experience(2, 3, lower_is_better=True).verdict == "negative"


def test_higher_is_better_and_tolerance():
    """Hand calculation on a rating: delivered 8 against expected 7 is +1; within a tolerance of 1 that counts as neutral."""
    assert experience(7, 8).gap == 1.0
    assert experience(7, 8, tolerance=1).verdict == "neutral"
    with pytest.raises(ValueError, match="tolerance must be 0 or more"):
        experience(7, 8, tolerance=-1)


# --------------------------------------------------------------------- customer lifetime value


def test_clv_closed_form_by_hand():
    """Hand calculation: m = 100, r = 0.8, d = 0.1 gives 100 / (1 + 0.1 − 0.8) = 333.33; the year-by-year table sums to the same over a long horizon, and its year 2 is 100 × 0.8 / 1.1² = 66.12."""
    assert customer_lifetime_value(100, 0.8, 0.1) == pytest.approx(333.333, abs=0.001)
    table = clv_table(100, 0.8, 0.1, years=200)
    assert table["cumulative"].iloc[-1] == pytest.approx(333.333, abs=0.001)
    assert table.loc[1, "discounted"] == pytest.approx(66.116, abs=0.001)


def test_clv_with_growth_and_acquisition():
    """Hand calculation: with margin growth g the sum is m / (1 + d − r(1 + g)): 100 / (1.1 − 0.8 × 1.1) = 454.55; an acquisition cost of 150 is subtracted once."""
    assert customer_lifetime_value(100, 0.8, 0.1, margin_growth=0.1) == pytest.approx(454.545,
                                                                                     abs=0.001)
    assert customer_lifetime_value(100, 0.8, 0.1, acquisition_cost=150) == pytest.approx(183.333,
                                                                                        abs=0.001)
    table = clv_table(100, 0.8, 0.1, years=300, margin_growth=0.1)
    assert table["cumulative"].iloc[-1] == pytest.approx(454.545, abs=0.001)


def test_clv_refuses_infinite_value():
    """When r(1 + g) ≥ 1 + d the sum diverges: the error says so instead of returning nonsense."""
    with pytest.raises(ValueError, match="infinite"):
        customer_lifetime_value(100, 1.0, 0.05, margin_growth=0.1)
    with pytest.raises(ValueError, match="retention must be between 0 and 1"):
        customer_lifetime_value(100, 1.2)


def test_retention_effect_by_hand():
    """Hand calculation: from 80% to 85% retention the value goes from 100/0.3 = 333.3 to 100/0.25 = 400, i.e. +20%."""
    eff = retention_effect(0.80, 0.05, margin=100, discount_rate=0.10)
    assert eff["clv_after"] == pytest.approx(400.0)
    assert eff["change_pct"] == pytest.approx(20.0)


def test_scenarios_against_reichheld_sasser():
    """Reichheld & Sasser (HBR 1990) report +25% to +85% profit for 5 points more retention. Hand calculation of our four scenarios (m = 100, d = 0.1, r 0.80 → 0.85): flat 20.0% (below their range), acquisition cost 150: 183.3 → 250 = +36.4%, margin growth 10%: 454.5 → 606.1 = +33.3%, both: 304.5 → 456.1 = +49.8%."""
    table = retention_scenarios()
    assert REICHHELD_SASSER_RANGE == (25.0, 85.0)
    assert table["change_pct"].round(1).tolist() == [20.0, 36.4, 33.3, 49.8]
    assert table["in_range"].tolist() == [False, True, True, True]


def test_reichheld_sasser_range_compares_what_is_shown():
    """Issue 17, item 1: 24.999999999999993% (the browser's 85% slider) is shown as "25%", Reichheld & Sasser's lower edge (HBR 1990: +25% to +85%), so it counts as inside; 24.4% is shown as "24%", outside; NaN never."""
    assert in_reichheld_sasser_range(24.999999999999993)
    assert in_reichheld_sasser_range(85.4) and not in_reichheld_sasser_range(85.6)
    assert not in_reichheld_sasser_range(24.4)
    assert not in_reichheld_sasser_range(float("nan"))
    eff = retention_effect(0.8499999999999999, 0.05)
    assert eff["retention_after"] == 0.9


def test_retention_effect_float_noise_at_full_retention():
    """Issue 17, item 1: 0.9000000000000001 + 0.1 is 1.0 (100% retention, allowed); hand calculation 100 / (1.1 − 1.0) = 1000."""
    eff = retention_effect(0.9000000000000001, 0.1)
    assert eff["retention_after"] == 1.0 and eff["clv_after"] == pytest.approx(1000.0)


# ------------------------------------------------------------------------------ NPS sampling


def test_sampling_is_centred_on_the_true_nps():
    """Seed 003's worked example population (25/55/20, NPS +5): the mean of many simulated surveys is +5 within half a point (law of large numbers)."""
    samples = nps_sampling(sizes=(100,), repeats=20_000, seed=1)
    assert samples["nps"].mean() == pytest.approx(5.0, abs=0.5)
    assert set(samples.columns) == {"n", "repeat", "promoters", "passives", "detractors", "nps"}


def test_sampling_is_reproducible():
    """The same seed gives the same surveys; another seed other ones."""
    a = nps_sampling(sizes=(30,), repeats=50, seed=5)
    assert a.equals(nps_sampling(sizes=(30,), repeats=50, seed=5))
    assert not a.equals(nps_sampling(sizes=(30,), repeats=50, seed=6))


def test_spread_follows_the_square_root_law():
    """Four times the respondents, about half the spread (standard error ∝ 1/√n)."""
    table = sampling_summary(nps_sampling(sizes=(100, 400), repeats=20_000, seed=2))
    small, large = table["half_width"].tolist()
    assert large == pytest.approx(small / 2, rel=0.1)


def test_simulation_agrees_with_adjusted_wald():
    """The simulated middle-95% half-width at n = 100 matches the adjusted-Wald margin (Rocks 2016; 12.9 points at 25/55/20 by hand, see tests/test_nps.py) within 10%."""
    table = sampling_summary(nps_sampling(sizes=(100,), repeats=20_000, seed=3))
    assert table["margin"].iloc[0] == pytest.approx(nps_from_counts(25, 55, 20).margin)
    assert table["half_width"].iloc[0] == pytest.approx(table["margin"].iloc[0], rel=0.1)


def test_required_sample_size_by_hand():
    """Hand calculation (adjusted Wald at expected counts, 25/55/20): n = 169 gives n' = 172, p = 0.25, d = 0.2009, margin = 1.96 × √(0.4485/172) × 100 = 10.01 > 10; n = 170 gives 9.98. So 170."""
    assert required_sample_size((25, 55, 20), 10) == 170
    assert nps_from_counts(169 * 0.25, 169 * 0.55, 169 * 0.20).margin > 10
    assert nps_from_counts(170 * 0.25, 170 * 0.55, 170 * 0.20).margin <= 10


def test_shares_must_be_three_percentages():
    """Shares that are not three percentages adding up to 100 are refused, naming them."""
    with pytest.raises(ValueError, match="adding up to 100"):
        nps_sampling(shares=(50, 50, 50))
    with pytest.raises(ValueError, match="sample sizes must be 1 or more"):
        nps_sampling(sizes=(0,))


# -------------------------------------------------------------------------------- incentives


@pytest.fixture(scope="module")
def case():
    return incentive_case()


def test_deal_metrics_by_hand(case):
    """Hand calculation for offer B of data/teaching/incentives.yaml: 110 000 × 45% = 49 500 at the signature, minus 35 000 rework = 14 500 after delivery; fit 0.5 × follow-up margin 40 000 = 20 000."""
    deals = deal_metrics(case["options"], case["follow_up"]).set_index("id")
    assert deals.loc["B", "margin_at_signature"] == pytest.approx(49_500)
    assert deals.loc["B", "margin_after_delivery"] == pytest.approx(14_500)
    assert deals.loc["B", "follow_up_margin"] == pytest.approx(20_000)


def test_advice_per_scheme_by_hand(case):
    """Hand calculation (seed 004's argument in numbers): revenue × individual picks A (150 000, the most revenue); margin at signature picks B (49 500 > A's 45 000); revenue over three years picks C (90 000 + 0.9 × 120 000 = 198 000 > A's 186 000); margin over three years picks C (28 500 + 36 000 = 64 500)."""
    deals = deal_metrics(case["options"], case["follow_up"])
    advised = {}
    for scheme in case["schemes"].to_dict("records"):
        weights = {m: scheme[m] for m in ("revenue", "margin_at_signature",
                                          "margin_after_delivery", "follow_up_revenue",
                                          "follow_up_margin")}
        out = choose_option(deals, weights)
        advised[scheme["id"]] = out.loc[out["advised"], "id"].iloc[0]
    assert advised == {"revenue_individual": "A", "margin_individual": "B",
                       "revenue_team": "C", "margin_team": "C"}


def test_integrity_turns_the_advice(case):
    """Hand calculation under a revenue bonus: appeal(A) = (1 − w) + w × 0.3/0.9, appeal(C) = (1 − w) × 90/150 + w; C overtakes A above w = 0.375."""
    deals = deal_metrics(case["options"], case["follow_up"])
    pick = {w: choose_option(deals, {"revenue": 1}, integrity=w).query("advised")["id"].iloc[0]
            for w in (0.0, 0.35, 0.40, 1.0)}
    assert pick == {0.0: "A", 0.35: "A", 0.40: "C", 1.0: "C"}


def test_choose_option_refuses_unknown_metrics(case):
    """A weight on a metric the model does not have is an error naming the allowed ones."""
    deals = deal_metrics(case["options"], case["follow_up"])
    with pytest.raises(ValueError, match="unknown metrics \\['profit'\\]"):
        choose_option(deals, {"profit": 1})
    with pytest.raises(ValueError, match="integrity must be between 0 and 1"):
        choose_option(deals, {"revenue": 1}, integrity=2)


def test_many_deals(case):
    """Seed 004's claim as a direction, not a number: a team bonus on margin over three years gives the best-fitting advice more often and burns less margin after the signature than an individual revenue or margin bonus; the simulation is reproducible."""
    result = simulate_deals(case["schemes"], n_deals=2000, seed=4).set_index("scheme")
    assert result.loc["margin_team", "best_advice"] > result.loc["revenue_individual",
                                                                 "best_advice"]
    assert result.loc["margin_team", "burnt"] < result.loc["margin_individual", "burnt"]
    assert result.loc["margin_team", "three_year_margin"] == result[
        "three_year_margin"].max()
    again = simulate_deals(case["schemes"], n_deals=2000, seed=4).set_index("scheme")
    pd.testing.assert_frame_equal(result, again)


def test_incentive_case_checks_metrics(tmp_path):
    """A scheme weighing an unknown metric is refused with the file named."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "case: {en: x, nl: x}\nfollow_up: {revenue: 1, margin: 1}\n"
        "options:\n  - {id: A, label: {en: a, nl: a}, revenue: 1, margin_rate: 0.1, rework: 0,"
        " fit: 1}\n"
        "schemes:\n  - {id: s, target: revenue, bonus: team, label: {en: s, nl: s},"
        " weights: {profit: 1}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="bad.yaml: unknown metrics"):
        incentive_case(bad)


def test_clv_table_columns():
    """The table has one row per year and survival r^(t−1) (hand: 1, 0.8, 0.64)."""
    table = clv_table(100, 0.8, 0.1, years=3)
    assert table["year"].tolist() == [1, 2, 3]
    assert np.allclose(table["active"], [1, 0.8, 0.64])
    assert not math.isnan(table["cumulative"].iloc[-1])


def test_incentive_factors_one_at_a_time():
    """Issue 12, part 2: notebook 8's case changes one factor at a time. From data/teaching/incentives.yaml: margin at the signature is highest for B (110,000 × 0.45 = 49,500); margin after delivery for A (150,000 × 0.30 − 10,000 = 35,000 against C's 28,500); adding the next three years' margin weighted by fit (40,000 × fit) gives C 28,500 + 36,000 = 64,500, the highest."""
    from assessment.teaching.simulations import advised_offer, deal_metrics, incentive_case

    case = incentive_case()
    deals = deal_metrics(case["options"], case["follow_up"])
    assert advised_offer(deals, {"margin_at_signature": 1}) == "B"
    assert advised_offer(deals, {"margin_after_delivery": 1}) == "A"
    assert advised_offer(deals, {"margin_after_delivery": 1, "follow_up_margin": 1}) == "C"
