"""Departments (DESIGN 5): the anonymity rule, scores per department, perception gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assessment.analysis.departments import (
    department_scores,
    group_departments,
    perception_gaps,
    reporting_groups,
)
from assessment.core.scoring import score_respondents


def _depts(**counts: int) -> pd.Series:
    return pd.Series([d for d, n in counts.items() for _ in range(n)])


def test_no_small_group_nothing_changes():
    """DESIGN 5: every department of at least min_group_size is shown as it is."""
    g = group_departments(_depts(marketing=3, sales=5, service=4))
    assert g.sizes == {"marketing": 3, "sales": 5, "service": 4}
    assert (g.pooled, g.hidden, g.withheld) == ((), (), ())
    assert g.groups.tolist() == _depts(marketing=3, sales=5, service=4).tolist()


def test_small_groups_are_pooled_into_other():
    """DESIGN 5: small departments (management 2, other 1) are pooled into 'other' (3 ≥ 3)."""
    g = group_departments(_depts(marketing=4, sales=4, management=2, other=1))
    assert g.sizes == {"marketing": 4, "sales": 4, "other": 3}
    assert g.pooled == ("management", "other")
    assert g.hidden == () and g.withheld == ()


def test_large_other_takes_in_a_small_department():
    """'other' of 3 on its own still takes in management (2): the pooled group is 'other'."""
    g = group_departments(_depts(sales=4, management=2, other=3))
    assert g.sizes == {"sales": 4, "other": 5}
    assert g.pooled == ("management", "other")


def test_pool_under_the_minimum_is_hidden_and_a_complement_withheld():
    """DESIGN 5: a pool still under the minimum is not shown (its respondents count only in the totals).

    Hand reasoning for the extra rule: with management (2) hidden and marketing, sales and
    service shown next to the organisation's total, management's mean would be
    (total × 14 − the three groups) / 2. So the smallest remaining group is withheld too
    (ties: the one listed last, here service), and the hidden respondents together are 6.
    """
    g = group_departments(_depts(marketing=4, sales=4, service=4, management=2))
    assert g.hidden == ("management",) and g.withheld == ("service",)
    assert g.sizes == {"marketing": 4, "sales": 4}
    assert g.groups.isna().sum() == 6


def test_everyone_small_becomes_one_group():
    """Every department under 3 (1 + 2 + 2 + 1): one pooled group, nothing to compare."""
    g = group_departments(_depts(marketing=1, sales=2, service=2, management=1))
    assert g.sizes == {"other": 6} and not g.comparable


def test_min_group_size_parameter():
    """min_group_size is a parameter: with 5, groups of 4 are pooled; it must be a whole number ≥ 1."""
    g = group_departments(_depts(marketing=4, sales=6, service=4), min_group_size=5)
    assert g.sizes == {"sales": 6, "other": 8} and g.pooled == ("marketing", "service")
    assert group_departments(_depts(marketing=1, sales=1), min_group_size=1).sizes == {
        "marketing": 1, "sales": 1}
    with pytest.raises(ValueError, match="min_group_size must be 1 or more"):
        group_departments(_depts(sales=3), min_group_size=0)
    with pytest.raises(ValueError, match="min_group_size must be a whole number"):
        group_departments(_depts(sales=3), min_group_size=2.5)


@pytest.fixture
def hand(alignment):
    """Nine respondents of one organisation, three per department, known answers.

    On marketing–sales goals (both items) marketing answers 1, 2, 1; sales 3, 4, 4; service 2,
    2, 3. Every other item: 2. No management, so every group is shown.
    """
    goals = [i.id for i in alignment.items
             if i.interface == "marketing_sales" and i.dimension == "goals"]
    answers = {"marketing": [1, 2, 1], "sales": [3, 4, 4], "service": [2, 2, 3]}
    rows = []
    for dept, values in answers.items():
        for k, v in enumerate(values):
            row = {"organisation": "Hand BV", "wave": "", "department": dept,
                   "respondent_id": f"{dept}-{k}"}
            for item in alignment.items:
                row[item.id] = float(v) if item.id in goals else 2.0
            rows.append(row)
    return pd.DataFrame(rows), goals


def test_department_means_by_hand(hand, alignment):
    """Hand calculation: goals on marketing–sales = 4/3 (marketing), 11/3 (sales), 7/3 (service)."""
    data, _ = hand
    rows = department_scores(score_respondents(data, alignment))
    goals = rows[(rows["level"] == "dimension") & (rows["interface"] == "marketing_sales")
                 & (rows["dimension"] == "goals")].set_index("department")
    assert goals["score"].to_dict() == pytest.approx(
        {"marketing": 4 / 3, "sales": 11 / 3, "service": 7 / 3})
    assert (goals["n"] == 3).all()
    # r_wg(J) of sales: both items 3, 4, 4 -> s² = 1/3, q = 1/3.75, J = 2 (hand calculation)
    q = (1 / 3) / 1.25
    assert goals.loc["sales", "rwg"] == pytest.approx(2 * (1 - q) / (2 * (1 - q) + q))


def test_perception_gap_by_hand(hand, alignment):
    """Hand calculation: the largest gap is goals on marketing–sales, sales 11/3 − marketing 4/3 = 7/3.

    Every other cell has all departments at 2 (gap 0), so goals comes first.
    """
    data, _ = hand
    gaps = perception_gaps(department_scores(score_respondents(data, alignment)))
    top = gaps.iloc[0]
    assert (top["interface"], top["dimension"]) == ("marketing_sales", "goals")
    assert (top["high"], top["low"]) == ("sales", "marketing")
    assert top["gap"] == pytest.approx(7 / 3)
    assert top["groups"] == 3
    assert (gaps["gap"].iloc[1:] == 0).all()
    assert gaps["gap"].is_monotonic_decreasing


def test_small_group_never_scored(hand, alignment):
    """Adding two managers (answers 4) hides them and withholds the smallest other group.

    Neither management nor the withheld group appears in the department scores; the
    organisation's totals still count every respondent.
    """
    data, _ = hand
    extra = data.iloc[:2].copy()
    extra["department"] = "management"
    extra["respondent_id"] = ["m1", "m2"]
    extra[[i.id for i in alignment.items]] = 4.0
    data = pd.concat([data, extra], ignore_index=True)
    groups, groupings = reporting_groups(data)
    g = groupings[("Hand BV", "")]
    assert g.hidden == ("management",) and g.withheld == ("service",)
    rows = department_scores(score_respondents(data, alignment))
    assert set(rows["department"]) == {"marketing", "sales"}
    assert not np.isclose(rows["score"].astype(float), 4.0).any()
    assert groups.isna().sum() == 5


def test_cell_rated_by_too_few_of_a_group_is_left_out(hand, alignment):
    """A group of 3 where two skip goals on marketing–sales: that cell rests on 1 (< 3), left out.

    The group's other cells (rated by all 3) stay.
    """
    data, goals = hand
    data = data.copy()
    data.loc[data["respondent_id"].isin(["sales-1", "sales-2"]), goals] = np.nan
    rows = department_scores(score_respondents(data, alignment))
    sales = rows[(rows["department"] == "sales") & (rows["level"] == "dimension")]
    assert not ((sales["interface"] == "marketing_sales") & (sales["dimension"] == "goals")).any()
    assert len(sales) == 20 and (sales["n"] == 3).all()
