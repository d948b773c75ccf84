"""Small, transparent models for the teaching notebooks: pure functions, seeded randomness.

* Expectation gap (seed 003): the customer's experience is delivered performance
  against the expectation; a seller who announces a realistic performance moves
  the expectation.
* Customer lifetime value and retention (seed 000; Reichheld & Sasser, HBR 1990):
  how a few points more retention work through to the value of a customer.
* NPS sampling (seed 003; DESIGN 5): how far an NPS measured on n answers can be
  from the true one.
* Incentives (seed 004): which option an account manager advises under revenue or
  margin targets and individual or team bonuses, and what is left of the margin
  after the signature.

These are teaching models with stated assumptions, not forecasts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from assessment.analysis.nps import nps_from_counts
from assessment.core.config import PROJECT_ROOT

__all__ = [
    "INCENTIVES_FILE",
    "METRICS",
    "REICHHELD_SASSER_RANGE",
    "ExperienceResult",
    "choose_option",
    "clv_table",
    "customer_lifetime_value",
    "deal_metrics",
    "experience",
    "in_reichheld_sasser_range",
    "incentive_case",
    "nps_sampling",
    "required_sample_size",
    "retention_effect",
    "retention_scenarios",
    "sampling_summary",
    "simulate_deals",
]

#: Reichheld & Sasser (HBR 1990): 5 points more retention, 25% to 85% more profit (seed 000)
REICHHELD_SASSER_RANGE = (25.0, 85.0)
#: decimals that strip binary float noise (0.8499999999999999 → 0.85) without changing a real value
_NOISE_DECIMALS = 10
#: the deal's numbers the incentive schemes can weigh (seed 004)
METRICS = (
    "revenue",
    "margin_at_signature",
    "margin_after_delivery",
    "follow_up_revenue",
    "follow_up_margin",
)
INCENTIVES_FILE = PROJECT_ROOT / "data" / "teaching" / "incentives.yaml"


# --------------------------------------------------------------------------- expectation gap


@dataclass(frozen=True)
class ExperienceResult:
    """The customer's experience of one performance.

    Attributes
    ----------
    expectation : float
        The expectation that counts (the announced one when the seller managed it).
    delivered : float
        The performance delivered.
    gap : float
        How much better than expected (positive) or worse (negative), in the
        performance's own unit.
    verdict : str
        ``positive``, ``neutral`` or ``negative``.
    """

    expectation: float
    delivered: float
    gap: float
    verdict: str


def experience(
    expected: float,
    delivered: float,
    *,
    announced: float | None = None,
    lower_is_better: bool = False,
    tolerance: float = 0.0,
) -> ExperienceResult:
    """Compare delivered performance with the expectation (seed 003: satisfaction).

    Parameters
    ----------
    expected : float
        What the customer expects by themselves (e.g. a quote within 2 days).
    delivered : float
        What the supplier delivers (e.g. the quote after 4 days).
    announced : float, optional
        What the seller told the customer beforehand (expectation management):
        when given, it replaces ``expected``.
    lower_is_better : bool, default False
        True for times and costs (fewer days is better), False for ratings.
    tolerance : float, default 0
        A gap within ±tolerance counts as neutral.

    Returns
    -------
    ExperienceResult

    Examples
    --------
    Seed 003's example: a quote expected within two days, delivered after four.

    >>> experience(2, 4, lower_is_better=True).verdict
    'negative'
    >>> experience(2, 1, lower_is_better=True).gap
    1.0
    >>> experience(2, 3, announced=3, lower_is_better=True).verdict
    'neutral'
    """
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more, got {tolerance}")
    expectation = float(expected if announced is None else announced)
    surplus = float(delivered) - expectation
    gap = -surplus if lower_is_better else surplus
    gap = gap + 0.0  # turn -0.0 into 0.0
    verdict = "neutral" if abs(gap) <= tolerance else ("positive" if gap > 0 else "negative")
    return ExperienceResult(expectation, float(delivered), gap, verdict)


# --------------------------------------------------------------------- customer lifetime value


def _check_clv_args(retention: float, discount_rate: float, margin_growth: float) -> None:
    if not 0 <= retention <= 1:
        raise ValueError(f"retention must be between 0 and 1, got {retention}")
    if discount_rate <= -1:
        raise ValueError(f"discount_rate must be above -1, got {discount_rate}")
    if margin_growth <= -1:
        raise ValueError(f"margin_growth must be above -1, got {margin_growth}")


def clv_table(
    margin: float,
    retention: float,
    discount_rate: float = 0.10,
    years: int = 20,
    margin_growth: float = 0.0,
) -> pd.DataFrame:
    """Year-by-year value of one new customer.

    The customer is certainly active in year 1 and still active in year t with
    probability ``retention ** (t - 1)``; an active customer brings
    ``margin × (1 + margin_growth) ** (t - 1)`` at the end of year t, discounted
    by ``(1 + discount_rate) ** t``.

    Parameters
    ----------
    margin : float
        Margin per active customer in year 1.
    retention : float
        Share of customers who stay from one year to the next (0–1).
    discount_rate : float, default 0.10
    years : int, default 20
    margin_growth : float, default 0
        Yearly growth of a loyal customer's margin (they buy more, cost less to
        serve, refer others: Reichheld & Sasser's reasons).

    Returns
    -------
    DataFrame
        Columns year, active (probability), margin, discounted (expected,
        discounted margin) and cumulative.

    Examples
    --------
    >>> clv_table(100, 0.8, 0.1, years=2).round(2).to_dict("list")["discounted"]
    [90.91, 66.12]
    """
    _check_clv_args(retention, discount_rate, margin_growth)
    if years < 1:
        raise ValueError(f"years must be 1 or more, got {years}")
    t = np.arange(1, years + 1)
    active = retention ** (t - 1.0)
    margins = margin * (1 + margin_growth) ** (t - 1.0)
    discounted = active * margins / (1 + discount_rate) ** t
    return pd.DataFrame(
        {
            "year": t,
            "active": active,
            "margin": margins,
            "discounted": discounted,
            "cumulative": np.cumsum(discounted),
        }
    )


def customer_lifetime_value(
    margin: float,
    retention: float,
    discount_rate: float = 0.10,
    margin_growth: float = 0.0,
    acquisition_cost: float = 0.0,
) -> float:
    """Lifetime value of a new customer: m / (1 + d − r(1 + g)) − acquisition cost.

    The closed form of :func:`clv_table` summed over an unlimited horizon; it
    exists when r(1 + g) < 1 + d.

    Examples
    --------
    Hand calculation: m = 100, r = 0.8, d = 0.1 gives 100 / 0.3.

    >>> round(customer_lifetime_value(100, 0.8, 0.1), 2)
    333.33
    >>> round(customer_lifetime_value(100, 0.8, 0.1, acquisition_cost=150), 2)
    183.33
    """
    _check_clv_args(retention, discount_rate, margin_growth)
    denominator = 1 + discount_rate - retention * (1 + margin_growth)
    if denominator <= 0:
        raise ValueError(
            "retention × (1 + margin_growth) must stay below 1 + discount_rate, got "
            f"{retention} × {1 + margin_growth} ≥ {1 + discount_rate}: the value would be infinite"
        )
    return margin / denominator - acquisition_cost


def retention_effect(
    retention: float,
    uplift: float = 0.05,
    margin: float = 100.0,
    discount_rate: float = 0.10,
    margin_growth: float = 0.0,
    acquisition_cost: float = 0.0,
) -> dict[str, float]:
    """Value of a new customer before and after ``uplift`` more retention.

    Returns
    -------
    dict
        retention_before, retention_after, clv_before, clv_after, change_pct
        (the relative change of the customer's lifetime value, in %).

    Examples
    --------
    Hand calculation: 100/0.3 = 333.3 → 100/0.25 = 400, i.e. +20%.

    >>> round(retention_effect(0.80)["change_pct"], 1)
    20.0
    """
    retention = round(retention, _NOISE_DECIMALS)
    after = round(retention + uplift, _NOISE_DECIMALS)  # 0.9000000000000001 + 0.1 is 1.0
    if not 0 <= after <= 1:
        raise ValueError(f"retention + uplift must stay between 0 and 1, got {after}")
    kw = {
        "margin": margin,
        "discount_rate": discount_rate,
        "margin_growth": margin_growth,
        "acquisition_cost": acquisition_cost,
    }
    before_value = customer_lifetime_value(retention=retention, **kw)
    after_value = customer_lifetime_value(retention=after, **kw)
    change = (
        (after_value - before_value) / abs(before_value) * 100 if before_value != 0 else math.nan
    )
    return {
        "retention_before": retention,
        "retention_after": after,
        "clv_before": before_value,
        "clv_after": after_value,
        "change_pct": change,
    }


def in_reichheld_sasser_range(change_pct: float, decimals: int = 0) -> bool:
    """Whether a change in value lies within Reichheld & Sasser's +25% to +85% (edges included).

    The change is compared as it is shown, rounded to ``decimals`` (whole percents), so
    the verdict agrees with the number next to it: a slider at 85% that the browser sends
    as 0.8499999999999999 gives +24.999999999999993%, shown and judged as +25%.

    Examples
    --------
    >>> in_reichheld_sasser_range(24.999999999999993), in_reichheld_sasser_range(24.4)
    (True, False)
    >>> in_reichheld_sasser_range(float("nan"))
    False
    """
    if not math.isfinite(change_pct):
        return False
    low, high = REICHHELD_SASSER_RANGE
    return round(low, decimals) <= round(change_pct, decimals) <= round(high, decimals)


def retention_scenarios(
    retention: float = 0.80,
    uplift: float = 0.05,
    margin: float = 100.0,
    discount_rate: float = 0.10,
    acquisition_cost: float = 150.0,
    margin_growth: float = 0.10,
) -> pd.DataFrame:
    """Compare the effect of ``uplift`` more retention under four assumptions.

    Scenarios: ``flat`` (same margin every year, no acquisition cost),
    ``acquisition`` (with acquisition cost), ``growth`` (margin grows with loyalty),
    ``both``.

    Returns
    -------
    DataFrame
        One row per scenario: scenario, acquisition_cost, margin_growth, clv_before,
        clv_after, change_pct, in_range (inside Reichheld & Sasser's 25–85%, compared in whole
        percents as shown: :func:`in_reichheld_sasser_range`).

    Examples
    --------
    >>> retention_scenarios()["change_pct"].round(1).tolist()
    [20.0, 36.4, 33.3, 49.8]
    """
    rows = []
    for name, ac, g in (
        ("flat", 0.0, 0.0),
        ("acquisition", acquisition_cost, 0.0),
        ("growth", 0.0, margin_growth),
        ("both", acquisition_cost, margin_growth),
    ):
        eff = retention_effect(retention, uplift, margin, discount_rate, g, ac)
        rows.append(
            {
                "scenario": name,
                "acquisition_cost": ac,
                "margin_growth": g,
                "clv_before": eff["clv_before"],
                "clv_after": eff["clv_after"],
                "change_pct": eff["change_pct"],
            }
        )
    out = pd.DataFrame(rows)
    out["in_range"] = out["change_pct"].map(in_reichheld_sasser_range).astype(bool)
    return out


# -------------------------------------------------------------------------------- NPS sampling


def _shares(shares: Sequence[float]) -> np.ndarray:
    p = np.asarray(shares, dtype="float64")
    if p.shape != (3,) or (p < 0).any() or not math.isclose(p.sum(), 100, abs_tol=0.5):
        raise ValueError(
            "shares must be three percentages (promoters, passives, detractors) adding up "
            f"to 100, got {list(shares)}"
        )
    return p / p.sum()


def nps_sampling(
    shares: Sequence[float] = (25, 55, 20),
    sizes: Sequence[int] = (10, 30, 100, 300, 1000),
    repeats: int = 2000,
    seed: int = 2024,
) -> pd.DataFrame:
    """Draw ``repeats`` samples of each size from a population with these shares.

    Parameters
    ----------
    shares : three floats
        Percentages of promoters, passives and detractors in the whole customer base.
    sizes : ints
        Sample sizes (respondents per survey).
    repeats : int
        Surveys simulated per size.
    seed : int
        Seed of the random generator (the same seed gives the same samples).

    Returns
    -------
    DataFrame
        Long: n, repeat, promoters, passives, detractors, nps.

    Examples
    --------
    >>> s = nps_sampling(sizes=(50,), repeats=3, seed=1)
    >>> s.shape, bool((s[["promoters", "passives", "detractors"]].sum(axis=1) == 50).all())
    ((3, 6), True)
    """
    p = _shares(shares)
    if repeats < 1:
        raise ValueError(f"repeats must be 1 or more, got {repeats}")
    rng = np.random.default_rng(seed)
    parts = []
    for n in sizes:
        if int(n) < 1:
            raise ValueError(f"sample sizes must be 1 or more, got {n}")
        counts = rng.multinomial(int(n), p, size=repeats)
        parts.append(
            pd.DataFrame(
                {
                    "n": int(n),
                    "repeat": np.arange(repeats),
                    "promoters": counts[:, 0],
                    "passives": counts[:, 1],
                    "detractors": counts[:, 2],
                    "nps": 100 * (counts[:, 0] - counts[:, 2]) / int(n),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def sampling_summary(samples: pd.DataFrame, shares: Sequence[float] = (25, 55, 20)) -> pd.DataFrame:
    """Summarise :func:`nps_sampling`: spread of the measured NPS per sample size.

    Returns
    -------
    DataFrame
        One row per n: true_nps, mean, low and high (the middle 95% of the simulated
        scores), half_width ((high − low) / 2) and margin (the adjusted-Wald 95%
        margin at the expected counts, as :mod:`assessment.analysis.nps` computes it).

    Examples
    --------
    >>> t = sampling_summary(nps_sampling(sizes=(30,), repeats=4000, seed=3))
    >>> 20 < t["half_width"].iloc[0] < 30 and round(t["margin"].iloc[0]) == 23
    True
    """
    p = _shares(shares)
    true = 100 * (p[0] - p[2])
    grouped = samples.groupby("n")["nps"]
    out = pd.DataFrame(
        {
            "mean": grouped.mean(),
            "low": grouped.quantile(0.025),
            "high": grouped.quantile(0.975),
        }
    ).reset_index()
    out.insert(1, "true_nps", true)
    out["half_width"] = (out["high"] - out["low"]) / 2
    out["margin"] = [nps_from_counts(*(n * p)).margin for n in out["n"]]
    return out


def required_sample_size(
    shares: Sequence[float] = (25, 55, 20), margin: float = 10.0, confidence: float = 0.95
) -> int:
    """Smallest n whose adjusted-Wald margin at the expected counts is at most ``margin``.

    Examples
    --------
    Hand calculation for 25/55/20 and ±10 points: n' = n + 3 with
    1.96² × (p + d − (p − d)²) / n' ≤ 0.10², which first holds at n = 170 (at n = 169 the
    margin is 10.01).

    >>> required_sample_size((25, 55, 20), 10)
    170
    """
    p = _shares(shares)
    if margin <= 0:
        raise ValueError(f"margin must be above 0, got {margin}")
    n = 1
    while nps_from_counts(*(n * p), confidence=confidence).margin > margin:
        n = n * 2 if n < 2**20 else n + 1
        if n > 10**7:
            raise ValueError(f"no sample size below 10 million reaches ±{margin}")
    low, high = n // 2, n
    while high - low > 1:
        mid = (low + high) // 2
        if nps_from_counts(*(mid * p), confidence=confidence).margin > margin:
            low = mid
        else:
            high = mid
    return max(high, 1)


# --------------------------------------------------------------------------------- incentives


def incentive_case(path: str | Path = INCENTIVES_FILE) -> dict:
    """Load the teaching case on targets and bonuses (``data/teaching/incentives.yaml``).

    Returns
    -------
    dict
        ``case`` (bilingual text), ``follow_up`` (revenue and margin of the
        customer's next orders if they stay), ``options`` (DataFrame: id, label_nl,
        label_en, revenue, margin_rate, rework, fit) and ``schemes`` (DataFrame: id,
        target, bonus, label_nl, label_en and one weight column per metric).
    """
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    options = pd.DataFrame(
        [
            {"id": o["id"], "label_nl": o["label"]["nl"], "label_en": o["label"]["en"]}
            | {k: float(o[k]) for k in ("revenue", "margin_rate", "rework", "fit")}
            for o in data["options"]
        ]
    )
    schemes = pd.DataFrame(
        [
            {
                "id": s["id"],
                "target": s["target"],
                "bonus": s["bonus"],
                "label_nl": s["label"]["nl"],
                "label_en": s["label"]["en"],
            }
            | {m: float(s["weights"].get(m, 0.0)) for m in METRICS}
            for s in data["schemes"]
        ]
    )
    unknown = {m for s in data["schemes"] for m in s["weights"]} - set(METRICS)
    if unknown:
        raise ValueError(f"{path}: unknown metrics in scheme weights: {sorted(unknown)}")
    return {
        "case": data["case"],
        "follow_up": {k: float(v) for k, v in data["follow_up"].items()},
        "options": options,
        "schemes": schemes,
    }


def deal_metrics(options: pd.DataFrame, follow_up: Mapping[str, float]) -> pd.DataFrame:
    """Add what each option brings: at the signature, after delivery, and in follow-up.

    * margin_at_signature = revenue × margin_rate (what the order form shows);
    * margin_after_delivery = margin_at_signature − rework (the extra work needed
      after the signature to make the promises true: seed 004's burnt margin);
    * follow_up_revenue / follow_up_margin = fit × the follow-up orders (fit is
      read as the chance that the customer stays and orders again).

    Examples
    --------
    Hand calculation: 100 000 × 30% = 30 000 at the signature, minus 12 000 rework.

    >>> o = pd.DataFrame({"revenue": [100_000.0], "margin_rate": [0.3], "rework": [12_000.0],
    ...                   "fit": [0.5]})
    >>> deal_metrics(o, {"revenue": 80_000, "margin": 20_000}).iloc[0, 4:].tolist()
    [30000.0, 18000.0, 40000.0, 10000.0]
    """
    out = options.copy()
    out["margin_at_signature"] = out["revenue"] * out["margin_rate"]
    out["margin_after_delivery"] = out["margin_at_signature"] - out["rework"]
    out["follow_up_revenue"] = out["fit"] * float(follow_up["revenue"])
    out["follow_up_margin"] = out["fit"] * float(follow_up["margin"])
    return out


def advised_offer(deals: pd.DataFrame, weights: Mapping[str, float]) -> str:
    """Return the offer an account manager who follows only the bonus advises (notebook 8).

    Used to change one factor of a bonus scheme at a time (when margin is measured, over which
    period), where the schemes of the case change several at once.

    Examples
    --------
    >>> case = incentive_case()
    >>> deals = deal_metrics(case["options"], case["follow_up"])
    >>> advised_offer(deals, {"margin_at_signature": 1})
    'B'
    >>> advised_offer(deals, {"margin_after_delivery": 1})
    'A'
    """
    scored = choose_option(deals, weights)
    return str(scored.loc[scored["advised"], "id"].iloc[0])


def choose_option(
    deals: pd.DataFrame, weights: Mapping[str, float], integrity: float = 0.0
) -> pd.DataFrame:
    """Score every option as the account manager sees it and mark the one advised.

    The manager's bonus is the weighted sum of the option's metrics; with
    ``integrity`` w they weigh the customer's interest (fit) too:
    appeal = (1 − w) × bonus / best bonus + w × fit / best fit.

    Parameters
    ----------
    deals : DataFrame
        Options of one deal with the columns of :func:`deal_metrics`.
    weights : mapping
        Metric -> weight (one of :data:`METRICS`).
    integrity : float, default 0
        0 = only the bonus counts, 1 = only the customer's interest counts.

    Returns
    -------
    DataFrame
        ``deals`` with bonus, appeal and advised (True for the chosen option; the
        first one on ties).

    Examples
    --------
    >>> o = pd.DataFrame({"revenue": [10.0, 5.0], "margin_at_signature": [2.0, 3.0],
    ...                   "fit": [0.2, 0.9]})
    >>> choose_option(o, {"revenue": 1})["advised"].tolist()
    [True, False]
    >>> choose_option(o, {"revenue": 1}, integrity=0.6)["advised"].tolist()
    [False, True]
    """
    if not 0 <= integrity <= 1:
        raise ValueError(f"integrity must be between 0 and 1, got {integrity}")
    unknown = set(weights) - set(METRICS)
    if unknown:
        raise ValueError(f"unknown metrics {sorted(unknown)}; allowed: {', '.join(METRICS)}")
    out = deals.copy()
    out["bonus"] = sum(float(w) * out[m] for m, w in weights.items() if w)
    best_bonus = out["bonus"].abs().max() or 1.0
    best_fit = out["fit"].max() or 1.0
    out["appeal"] = (1 - integrity) * out["bonus"] / best_bonus + integrity * out["fit"] / best_fit
    out["advised"] = False
    out.loc[out["appeal"].idxmax(), "advised"] = True
    return out


def simulate_deals(
    schemes: pd.DataFrame,
    n_deals: int = 1000,
    n_options: int = 4,
    integrity: float = 0.0,
    seed: int = 2017,
) -> pd.DataFrame:
    """Let account managers advise on many random deals under every scheme.

    Each deal has a customer need S (revenue of the offer that fits, lognormal around
    80 000) and ``n_options`` offers. An offer is oversized by a factor o ~ U(0.5, 1.8)
    and carries promises q ~ U(0, 1) beyond the standard product:

    * revenue = S × o; margin_rate = 0.30 + 0.15 q (promises raise the quoted price);
    * rework = revenue × 0.35 q² (making the promises true after the signature);
    * fit = clip(1 − 0.5 |o − 1| − 0.4 q + noise, 0.05, 1);
    * follow-up orders if the customer stays: revenue 1.2 S, margin 0.35 × 1.2 S.

    Returns
    -------
    DataFrame
        One row per scheme: scheme, best_advice (share of deals where the advised
        offer is the one that fits best), fit, revenue, margin_at_signature,
        margin_after_delivery, burnt (rework as a share of the margin at the
        signature) and three_year_margin (after delivery plus follow-up), means per
        deal.

    Examples
    --------
    >>> schemes = pd.DataFrame({"id": ["rev", "team"], "revenue": [1.0, 0.0],
    ...     "margin_at_signature": 0.0, "margin_after_delivery": [0.0, 1.0],
    ...     "follow_up_revenue": 0.0, "follow_up_margin": [0.0, 1.0]})
    >>> r = simulate_deals(schemes, n_deals=300, seed=1).set_index("scheme")
    >>> bool(r.at["team", "best_advice"] > r.at["rev", "best_advice"])
    True
    """
    if n_deals < 1 or n_options < 2:
        raise ValueError(f"need n_deals ≥ 1 and n_options ≥ 2, got {n_deals} and {n_options}")
    rng = np.random.default_rng(seed)
    need = rng.lognormal(np.log(80_000), 0.5, size=(n_deals, 1))
    oversize = rng.uniform(0.5, 1.8, size=(n_deals, n_options))
    promise = rng.uniform(0, 1, size=(n_deals, n_options))
    noise = rng.normal(0, 0.05, size=(n_deals, n_options))
    revenue = need * oversize
    rate = 0.30 + 0.15 * promise
    metrics = {
        "revenue": revenue,
        "margin_at_signature": revenue * rate,
        "fit": np.clip(1 - 0.5 * np.abs(oversize - 1) - 0.4 * promise + noise, 0.05, 1),
    }
    metrics["margin_after_delivery"] = metrics["margin_at_signature"] - revenue * 0.35 * promise**2
    metrics["follow_up_revenue"] = metrics["fit"] * 1.2 * need
    metrics["follow_up_margin"] = metrics["follow_up_revenue"] * 0.35
    best_fit = metrics["fit"].argmax(axis=1)
    rows = []
    idx = np.arange(n_deals)
    for scheme in schemes.to_dict("records"):
        bonus = sum(scheme.get(m, 0.0) * metrics[m] for m in METRICS if scheme.get(m, 0.0))
        bonus = bonus / np.abs(bonus).max(axis=1, keepdims=True)
        fit_rel = metrics["fit"] / metrics["fit"].max(axis=1, keepdims=True)
        choice = ((1 - integrity) * bonus + integrity * fit_rel).argmax(axis=1)
        pick = {k: v[idx, choice] for k, v in metrics.items()}
        rows.append(
            {
                "scheme": scheme["id"],
                "best_advice": float(np.mean(choice == best_fit)),
                "fit": pick["fit"].mean(),
                "revenue": pick["revenue"].mean(),
                "margin_at_signature": pick["margin_at_signature"].mean(),
                "margin_after_delivery": pick["margin_after_delivery"].mean(),
                "burnt": 1
                - pick["margin_after_delivery"].sum() / pick["margin_at_signature"].sum(),
                "three_year_margin": (
                    pick["margin_after_delivery"] + pick["follow_up_margin"]
                ).mean(),
            }
        )
    return pd.DataFrame(rows)
