"""Departments (DESIGN 5): the anonymity rule, scores per department, perception gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.analysis.departments import (
    department_cells,
    department_scores,
    group_departments,
    perception_gaps,
    reporting_groups,
    withhold_cells,
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


def test_small_client_compares_marketing_and_sales_with_service():
    """Issue 11 point 10: marketing 1, sales 2, service 3 (a 6-person client, minimum 3).

    Departments alone: service 3 beside a pooled "other" of 3 (a headline nobody can act
    on). Marketing and sales together are 3, service 3, nobody left out: that comparison is
    used instead (hand count).
    """
    d = _depts(marketing=1, sales=2, service=3)
    g = group_departments(d)
    assert g.basis == "commercial_service" and g.comparable
    assert g.sizes == {"commercial": 3, "service": 3}
    assert g.members == {"commercial": ("marketing", "sales"), "service": ("service",)}
    assert g.groups.tolist() == ["commercial"] * 3 + ["service"] * 3
    assert (g.pooled, g.hidden, g.withheld) == ((), (), ())


def test_small_client_compares_management_with_staff():
    """Management 3, sales 2, service 1: marketing and sales 2 (< 3) fails; management 3 against the other 3 staff keeps the rule (hand count)."""
    g = group_departments(_depts(sales=2, service=1, management=3))
    assert g.basis == "management_staff"
    assert g.sizes == {"management": 3, "staff": 3}
    assert g.members["staff"] == ("sales", "service")


def test_alternative_must_not_leave_a_small_remainder():
    """Marketing 2, sales 2, service 3, management 1: marketing and sales 4 against service 3 would leave management's 1 respondent as "total minus the groups" (1 < 3), and management 1 against 7 fails too; the department grouping stays (service beside a pooled group)."""
    g = group_departments(_depts(marketing=2, sales=2, service=3, management=1))
    assert g.basis == "departments"
    assert g.sizes == {"service": 3, "other": 5} and g.departments_shown == ("service",)


def test_two_departments_large_enough_need_no_alternative():
    """Sales 4, service 3 beside a pooled other (marketing 1 + management 2): two departments are shown on their own, so the department grouping stays."""
    g = group_departments(_depts(marketing=1, sales=4, service=3, management=2))
    assert g.basis == "departments" and g.departments_shown == ("sales", "service")


def test_alternative_groups_are_scored_with_their_members(alignment):
    """department_cells scores the alternative's groups; the pooled column names the members."""
    rows = []
    for k, dept in enumerate(["marketing", "sales", "sales", "service", "service", "service"]):
        row = {"organisation": "Klein BV", "wave": "", "department": dept,
               "respondent_id": f"r{k}"}
        row |= {i.id: 2.0 if dept == "service" else 3.0 for i in alignment.items}
        rows.append(row)
    scored = score_respondents(pd.DataFrame(rows), alignment)
    shown, _ = department_cells(scored)
    iface = shown[shown["level"] == "interface"]
    assert set(iface["department"]) == {"commercial", "service"}
    assert set(iface.loc[iface["department"] == "commercial", "pooled"]) == {"marketing;sales"}
    # every answer of marketing and sales is 3, of service 2 (by construction)
    assert set(iface.loc[iface["department"] == "commercial", "score"]) == {3.0}
    assert set(iface.loc[iface["department"] == "service", "score"]) == {2.0}


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


def test_cell_where_total_minus_groups_isolates_one_withholds_another(hand, alignment):
    """Issue 10, case 2: n = 9 in a cell, two groups of 4 shown -> "total − groups" is one person.

    Hand setup: marketing 4, sales 4, service 1 (hidden, pooled into nothing; the smallest
    group, service... is not shown). Here: marketing 3 + 1, sales 3 + 1, service 3 of which
    two skip goals on marketing–sales. In that cell service rests on 1 rater (left out), so
    the cell's total (9) minus marketing (4) and sales (4) would be that one person's
    exact score. The rule withholds the next smallest group in that cell (a tie: sales,
    listed after marketing), so 5 respondents are not shown there; every other cell keeps
    all three groups.
    """
    data, goals = hand
    extra = data[data["department"].isin(["marketing", "sales"])].groupby("department").head(1)
    extra = extra.assign(respondent_id=["m-x", "s-x"])
    data = pd.concat([data, extra], ignore_index=True)
    data.loc[data["respondent_id"].isin(["service-1", "service-2"]), goals] = np.nan
    shown, withheld = department_cells(score_respondents(data, alignment))
    cell = shown[(shown["level"] == "dimension") & (shown["interface"] == "marketing_sales")
                 & (shown["dimension"] == "goals")]
    assert cell["department"].tolist() == ["marketing"]
    assert 10 - cell["n"].sum() >= 3
    assert set(zip(withheld["department"], withheld["dimension"].fillna(""),
                   withheld["level"], strict=True)) == {
        ("sales", "goals", "dimension"), ("service", "goals", "dimension"),
        # an interface index is the mean of its dimensions: it would give goals away
        ("sales", "", "interface"), ("service", "", "interface")}
    other = shown[(shown["level"] == "dimension") & (shown["dimension"] != "goals")]
    assert set(other["department"]) == {"marketing", "sales", "service"}


def test_withhold_cells_leaves_nothing_to_subtract():
    """withhold_cells by hand: total 12, groups 4, 4, 3 -> 12 − 11 = 1: withhold service (3).

    Then 4 are not shown (≥ 3). With total 11 nothing is hidden (11 − 11 = 0): all stay.
    """
    keys = dict(organisation="A", wave="", instrument="x", level="dimension",
                interface="ms", dimension="goals")
    rows = pd.DataFrame([{**keys, "department": d, "n": n}
                         for d, n in (("marketing", 4), ("sales", 4), ("service", 3))])
    shown, withheld = withhold_cells(rows, pd.DataFrame([{**keys, "n": 12}]))
    assert shown["department"].tolist() == ["marketing", "sales"]
    assert withheld["department"].tolist() == ["service"]
    shown, withheld = withhold_cells(rows, pd.DataFrame([{**keys, "n": 11}]))
    assert len(shown) == 3 and withheld.empty


_FILES = dict(sizes=st.lists(st.integers(min_value=0, max_value=7), min_size=5, max_size=5),
              skip=st.floats(min_value=0.0, max_value=0.6),
              minimum=st.integers(min_value=1, max_value=5),
              seed=st.integers(min_value=0, max_value=2**32 - 1))
_CELL = ["instrument", "level", "interface", "dimension"]


def _random_file(alignment, disciplines, sizes, skip, seed) -> pd.DataFrame:
    """One organisation: ``sizes`` respondents per department, each answer skipped at ``skip``."""
    from assessment.analysis.departments import DEPARTMENT_ORDER

    depts = [d for d, n in zip(DEPARTMENT_ORDER, sizes, strict=True) for _ in range(n)]
    rng = np.random.default_rng(seed)
    rows = []
    for k, dept in enumerate(depts):
        row = {"organisation": "Rnd", "wave": "", "department": dept, "respondent_id": f"r{k}"}
        for inst in (alignment, disciplines):
            hi = 4 if inst is alignment else 5
            for item in inst.scored_items:
                row[item.id] = np.nan if rng.random() < skip else float(rng.integers(1, hi + 1))
        rows.append(row)
    return pd.DataFrame(rows)


def _check_cells(groups: pd.DataFrame, totals: pd.DataFrame, minimum: int) -> None:
    """Per cell: every group shown has ≥ minimum raters; total − groups shown ∉ [1, minimum − 1]."""
    if groups.empty:
        return
    assert (groups["n"] >= minimum).all()
    shown = groups.fillna({"interface": "", "dimension": ""}).groupby(_CELL)["n"].sum()
    total = totals.fillna({"interface": "", "dimension": ""}).set_index(_CELL)["n"]
    left = total.reindex(shown.index) - shown
    assert not ((left >= 1) & (left < minimum)).any(), left[(left >= 1) & (left < minimum)]


_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                       HealthCheck.function_scoped_fixture])


@settings(max_examples=40, **_SETTINGS)
@given(**_FILES)
def test_no_subtraction_isolates_fewer_than_the_minimum(alignment, disciplines, sizes, skip,
                                                        minimum, seed):
    """Issue 10, case 2 (property): for random files, per cell, total − groups ∉ [1, min − 1].

    The expected value comes from the rule itself: for every figure reported per group
    (dimension, discipline, tension, interface index: the rows the report's tables and
    charts draw), the organisation's n in that cell minus the n of the groups shown is 0
    or at least ``min_group_size``, and no group shown rests on fewer than
    ``min_group_size``. Departments and their sizes, the questions respondents skip and
    the minimum are drawn at random.
    """
    from assessment.analysis.stats import describe_scores

    data = _random_file(alignment, disciplines, sizes, skip, seed)
    if data.empty:
        return
    for inst in (alignment, disciplines):
        scored = score_respondents(data, inst)
        _check_cells(department_scores(scored, minimum),
                     describe_scores(scored, bootstrap=False, alpha=False), minimum)


@settings(max_examples=6, **_SETTINGS)
@given(**_FILES)
def test_scores_file_never_isolates_fewer_than_the_minimum(alignment, disciplines, sizes, skip,
                                                           minimum, seed):
    """Issue 10, case 2 (property), in the scores file: ``department`` rows against the totals.

    Expected as above: per dimension and discipline, the organisation row's ``n`` minus
    the ``n`` of the department rows is 0 or at least ``min_group_size``.
    """
    from assessment.analysis.whole_file import analyse

    data = _random_file(alignment, disciplines, sizes, skip, seed)
    if data.empty:
        return
    table = analyse(data, [alignment, disciplines], min_group_size=minimum, n_boot=20)
    dept = table[table["level"] == "department"].copy()
    dept["level"] = np.where(dept["instrument"] == disciplines.id, "discipline", "dimension")
    _check_cells(dept, table[table["level"].isin(["dimension", "discipline"])], minimum)


def _many_organisations(alignment, seed: int = 11) -> pd.DataFrame:
    """Return sixty organisations of 1 to 14 respondents, some of them in a wave.

    Random departments (some missing) and random answers with skips, so that every
    rule and alternative of the anonymity rule comes up.
    """
    rng = np.random.default_rng(seed)
    names = ["marketing", "sales", "service", "management", "other", None]
    rows = []
    for o in range(60):
        for k in range(int(rng.integers(1, 15))):
            row = {"organisation": f"Org {o:02d}", "wave": "" if o % 7 else "2026-Q1",
                   "department": names[int(rng.choice(6, p=[.25, .25, .2, .15, .1, .05]))],
                   "respondent_id": f"{o}-{k}"}
            for item in alignment.items:
                row[item.id] = np.nan if rng.random() < 0.15 else float(rng.integers(1, 5))
            rows.append(row)
    return pd.DataFrame(rows)


def test_reporting_groups_is_group_departments_per_organisation(alignment):
    """reporting_groups (all organisations at once) gives what group_departments gives each.

    Expected: group_departments applied to each organisation × wave's departments on its
    own, the definition reporting_groups computes in one pass.
    """
    data = _many_organisations(alignment)
    bases = set()
    for m in (1, 2, 3, 4):
        groups, groupings = reporting_groups(data, m)
        assert list(groupings) == sorted(groupings)
        for (org, wave), idx in data.groupby(["organisation", "wave"]).indices.items():
            alone = group_departments(data["department"].iloc[idx], m)
            g = groupings[(org, wave)]
            assert (g.pooled, g.hidden, g.withheld, g.sizes, g.basis, g.members) == (
                alone.pooled, alone.hidden, alone.withheld, alone.sizes, alone.basis,
                alone.members)
            assert g.groups.tolist() == alone.groups.tolist()
            assert groups.iloc[idx].tolist() == alone.groups.tolist()
            bases.add(g.basis)
    assert len(bases) == 3  # departments and both alternatives occurred


def test_cell_totals_are_the_n_of_describe_scores(alignment):
    """The organisation totals withhold_cells needs: describe_scores' n, cell by cell.

    Expected: describe_scores by organisation × wave (its ``n`` column), which
    department_cells used to call for these totals.
    """
    from assessment.analysis.departments import _cell_totals
    from assessment.analysis.stats import describe_scores

    scored = score_respondents(_many_organisations(alignment), alignment)
    keys = ["organisation", "wave", "instrument", "level", "interface", "dimension", "n"]
    full = describe_scores(scored, bootstrap=False, alpha=False)[keys]
    pd.testing.assert_frame_equal(_cell_totals(scored), full, check_dtype=False)
