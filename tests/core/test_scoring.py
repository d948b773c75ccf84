"""Scoring rules (DESIGN 3.1, 3.2) checked against hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from assessment.core.scoring import (
    classify_profile,
    declared_choice,
    keyed_items,
    respondent_means,
    respondent_scores,
    score_alignment,
    score_cells,
    score_disciplines,
    score_respondents,
    score_responses,
    stage_of,
    to_percent,
)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for col in ("wave",):
        if col not in df:
            df[col] = ""
    return df


@pytest.fixture
def hand(alignment):
    """Three respondents, marketing–sales only.

    roles: r1 = (1, 2) -> 1.5; r2 = (3, blank) -> 3.0 (half answered counts);
    r3 = (blank, blank) -> not rated.  communication: (4, 4), (3, 3), (2, 3) -> 4, 3, 2.5.
    Every other marketing–sales item: 2.  Other interfaces: no answers.
    """
    ms = [i for i in alignment.items if i.interface == "marketing_sales"]
    rows = []
    answers = {
        "roles": [(1, 2), (3, None), (None, None)],
        "communication": [(4, 4), (3, 3), (2, 3)],
    }
    for r in range(3):
        row = {
            "organisation": "Hand BV",
            "wave": "",
            "respondent_id": f"r{r}",
            "department": ["marketing", "sales", "service"][r],
        }
        for item in ms:
            pair = answers.get(item.dimension)
            if pair is None:
                row[item.id] = 2.0
            else:
                same_dim = [i.id for i in ms if i.dimension == item.dimension]
                value = pair[r][same_dim.index(item.id)]
                row[item.id] = np.nan if value is None else float(value)
        rows.append(row)
    return _frame(rows)


def test_dimension_scores_by_hand(hand, alignment):
    """Hand calculation: roles = mean(1.5, 3.0) = 2.25 (n=2); communication = (4+3+2.5)/3 (n=3)."""
    s = score_alignment(hand, alignment)
    dims = s[(s["level"] == "dimension") & (s["interface"] == "marketing_sales")]
    dims = dims.set_index("dimension")
    assert dims.at["roles", "score"] == pytest.approx(2.25)
    assert dims.at["roles", "n"] == 2
    assert dims.at["roles", "stage"] == "defined"
    assert dims.at["communication", "score"] == pytest.approx(9.5 / 3)
    assert dims.at["communication", "n"] == 3
    assert dims.at["communication", "stage"] == "aligned"
    assert dims.at["knowledge", "score"] == pytest.approx(2.0)


def test_interface_index_and_floor_by_hand(hand, alignment):
    """Hand calculation: index = (2.25 + 9.5/3 + 5 × 2.0) / 7 = 2.2024; floor = first 2.0 dimension in YAML order (knowledge)."""
    s = score_alignment(hand, alignment)
    iface = s[s["level"] == "interface"].set_index("interface")
    assert iface.at["marketing_sales", "score"] == pytest.approx((2.25 + 9.5 / 3 + 10) / 7)
    assert iface.at["marketing_sales", "stage"] == "defined"
    assert iface.at["marketing_sales", "floor_dimension"] == "knowledge"
    assert iface.at["marketing_sales", "floor_stage"] == "defined"
    assert iface.at["marketing_sales", "n"] == 3
    # no answers at all on the two service interfaces: not rated, never a number
    assert math.isnan(iface.at["sales_service", "score"])
    assert pd.isna(iface.at["sales_service", "stage"])


def test_less_than_half_answered_is_not_rated(alignment):
    """DESIGN rule: a dimension needs at least half its items; 0 of 2 answered -> NaN for the respondent."""
    ids = [
        i.id for i in alignment.items if i.interface == "marketing_sales" and i.dimension == "roles"
    ]
    df = _frame([{"organisation": "X", "respondent_id": "a", ids[0]: 2.0, ids[1]: np.nan}])
    resp = respondent_scores(df, alignment)
    assert resp[("marketing_sales", "roles")].iloc[0] == 2.0
    df.loc[0, ids[0]] = np.nan
    assert math.isnan(respondent_scores(df, alignment)[("marketing_sales", "roles")].iloc[0])


@pytest.mark.parametrize(
    ("score", "stage"),
    [
        (1.0, "undefined"),
        (1.7499, "undefined"),
        (1.75, "defined"),
        (2.4999, "defined"),
        (2.5, "aligned"),
        (3.2499, "aligned"),
        (3.25, "integrated"),
        (4.0, "integrated"),
    ],
)
def test_band_edges(alignment, score, stage):
    """DESIGN 3.1 bands: [1, 1.75) undefined, [1.75, 2.5) defined, [2.5, 3.25) aligned, [3.25, 4]."""
    assert stage_of(score, alignment) == stage
    assert stage_of(pd.Series([score]), alignment).iloc[0] == stage


def test_out_of_scale_has_no_stage(alignment):
    """Scores outside [1, 4] cannot come from valid answers and get no stage."""
    assert stage_of(0.5, alignment) is None
    assert stage_of(4.5, alignment) is None
    assert pd.isna(stage_of(pd.Series([4.5]), alignment).iloc[0])


def test_reverse_keying(disciplines):
    """Reverse-keyed likert5 items count 6 − x (DESIGN 3); others unchanged."""
    rev = [i.id for i in disciplines.scored_items if i.reverse]
    fwd = [i.id for i in disciplines.scored_items if not i.reverse]
    assert rev, "the value-discipline instrument has reverse-keyed items"
    df = pd.DataFrame({rev[0]: [1, 2, 5], fwd[0]: [1, 2, 5]}, dtype="float64")
    keyed = keyed_items(df, disciplines)
    assert keyed[rev[0]].tolist() == [5, 4, 1]
    assert keyed[fwd[0]].tolist() == [1, 2, 5]


def test_percent_scale(disciplines):
    """DESIGN 3.2: (mean − 1) / 4 × 100."""
    assert to_percent(4.5, disciplines) == 87.5


@pytest.fixture
def vd_hand(disciplines):
    """Two respondents.

    Customer intimacy: r1 answers 5 on forward items and 1 on reversed ones (keyed: all 5);
    r2 answers 4 forward, 2 on the first reversed item, blank on the second (keyed: all 4).
    Operational excellence and product leadership: 3 everywhere.
    r1 (management) declares operational excellence, r2 (sales) customer intimacy.
    """
    rows = []
    for r, dept in enumerate(["management", "sales"]):
        row = {"organisation": "VD BV", "wave": "", "respondent_id": f"v{r}", "department": dept}
        reversed_seen = 0
        for item in disciplines.scored_items:
            if item.dimension != "customer_intimacy":
                row[item.id] = 3.0
            elif r == 0:
                row[item.id] = 1.0 if item.reverse else 5.0
            elif item.reverse:
                row[item.id] = 2.0 if reversed_seen == 0 else np.nan
                reversed_seen += 1
            else:
                row[item.id] = 4.0
        row["VD-declared"] = ["operational_excellence", "customer_intimacy"][r]
        rows.append(row)
    return pd.DataFrame(rows)


def test_discipline_scores_by_hand(vd_hand, disciplines):
    """Hand calculation: CI respondent means 5 and 4 -> 4.5 -> 87.5; OE = PL = 3 -> 50."""
    s = score_disciplines(vd_hand, disciplines).set_index("dimension")
    assert s.at["customer_intimacy", "score"] == pytest.approx(87.5)
    assert s.at["operational_excellence", "score"] == pytest.approx(50.0)
    assert s.at["product_leadership", "score"] == pytest.approx(50.0)
    assert s.at["customer_intimacy", "n"] == 2
    # 87.5 >= E = 75, lead 37.5 >= M = 10, all >= T = 50: leader in customer intimacy
    assert (s["profile"] == "leader").all()
    assert (s["leader"] == "customer_intimacy").all()
    # management's declaration wins over other departments': operational excellence, incoherent
    assert (s["declared"] == "operational_excellence").all()
    assert not s["coherent"].iloc[0]


@pytest.mark.parametrize(
    ("scores", "kind", "leader", "weak"),
    [
        ({"ci": 80, "oe": 60, "pl": 55}, "leader", "ci", ()),
        ({"ci": 75, "oe": 65, "pl": 50}, "leader", "ci", ()),  # exactly E, exactly M, exactly T
        ({"ci": 80, "oe": 60, "pl": 49.9}, "leader_weak_spot", "ci", ("pl",)),
        ({"ci": 74.9, "oe": 60, "pl": 55}, "stuck_in_the_middle", None, ()),  # just under E
        ({"ci": 80, "oe": 70.1, "pl": 55}, "stuck_in_the_middle", None, ()),  # lead 9.9 < M
        ({"ci": 80, "oe": 75, "pl": 40}, "below_threshold", None, ("pl",)),
        ({"ci": 30, "oe": 40, "pl": 45}, "below_threshold", None, ("pl", "oe", "ci")),
        ({"ci": float("nan"), "oe": 40, "pl": 45}, "not_rated", None, ()),
    ],
)
def test_profile_cases(scores, kind, leader, weak):
    """DESIGN 3.2 rule with T = 50, E = 75, M = 10, every case and its edges (hand-chosen values)."""
    result = classify_profile(scores, 50, 75, 10)
    assert (result.kind, result.leader, result.weak) == (kind, leader, weak)


def test_declared_choice_ties_and_none():
    """A tie or only 'none' answers give no declared discipline."""
    d = pd.DataFrame({"department": ["sales", "sales"], "q": ["a", "b"]})
    assert declared_choice(d, "q") is None
    d = pd.DataFrame({"department": ["sales"], "q": ["none"]})
    assert declared_choice(d, "q") is None


def test_score_responses_tidy(fixture_csv, alignment, disciplines):
    """One row per organisation × instrument × interface × dimension plus interface rows."""
    from assessment.core.ingest import read_responses

    r = read_responses(fixture_csv)
    s = score_responses(r.data, [alignment, disciplines])
    per_org = s.groupby("organisation").size()
    # 3 interfaces × 7 dimensions + 3 interface rows + 3 disciplines
    assert per_org.tolist() == [21 + 3 + 3, 21 + 3 + 3]
    assert {"n", "score", "stage", "profile"} <= set(s.columns)
    assert s.loc[s["level"] == "dimension", "score"].between(1, 4).all()
    assert s.loc[s["level"] == "discipline", "score"].between(0, 100).all()


def test_management_none_is_not_overridden_by_staff():
    """Management answering 'no clear choice' means no declaration, whatever staff guess."""
    d = pd.DataFrame({"organisation": "A", "wave": "",
                      "department": ["management", "sales", "sales"],
                      "q": ["none", "product_leadership", "product_leadership"]})
    assert declared_choice(d, "q") is None
    from assessment.core.scoring import declared_by_group

    assert declared_by_group(d, "q").empty


def test_cells_follow_the_yaml(alignment, disciplines):
    """Cells come from the YAML: 21 interface × dimension cells plus one per tagged tension source."""
    cells = score_cells(alignment)
    tension = [c for c in cells if c.level == "tension"]
    assert sum(c.level == "dimension" for c in cells) == 21
    assert {c.dimension for c in tension} == {"economic", "cultural", "organisational"}
    tagged = {i.id for i in alignment.items if i.tension}
    assert {i for c in tension for i in c.items} == tagged
    assert all(c.level == "discipline" for c in score_cells(disciplines))


def test_respondent_means_hand_calculated(alignment):
    """One respondent, by hand: MS roles (2, 4) -> 3.0; MS tension items scored on their own cell.

    Expected values: the means of the answers written here, with the half-answered rule of
    DESIGN 3.1 (one of three answered -> not rated).
    """
    roles = [i.id for i in alignment.items
             if i.interface == "marketing_sales" and i.dimension == "roles"]
    df = _frame([{"organisation": "X", "respondent_id": "a", "department": "sales",
                  roles[0]: 2.0, roles[1]: 4.0}])
    rs = score_respondents(df, alignment)
    k = next(k for k, c in enumerate(rs.cells)
             if (c.level, c.interface, c.dimension) == ("dimension", "marketing_sales", "roles"))
    assert rs.means[0, k] == 3.0
    assert rs.means.shape == (1, len(score_cells(alignment)))
    assert list(rs.keys.columns) == ["organisation", "wave", "department", "respondent_id"]
    assert np.isnan(respondent_means(np.array([[1.0, np.nan, np.nan]])))[0]


def test_every_score_starts_from_the_one_respondent_computation(alignment, disciplines):
    """score_alignment/score_disciplines give the same table from score_respondents' result.

    Expected: the tables computed from the raw answers (the pre-existing scoring path).
    """
    from tests.conftest import full_rows

    df = pd.DataFrame(full_rows(alignment, disciplines, n=9))
    for inst, scorer in ((alignment, score_alignment), (disciplines, score_disciplines)):
        scored = score_respondents(df, inst)
        pd.testing.assert_frame_equal(scorer(df, inst, scored), scorer(df, inst))
        wide = respondent_scores(df, inst)
        dims = [k for k, c in enumerate(scored.cells) if c.level != "tension"]
        values = wide.drop(columns=[c for c in wide.columns if c[1] == "" or c in
                                    ("organisation", "wave", "department", "respondent_id")])
        np.testing.assert_array_equal(values.to_numpy(dtype=float), scored.means[:, dims])


def test_respondent_scores_subset_and_keys(alignment, disciplines):
    """where() keeps the chosen respondents' rows of every array; with_keys() replaces a key."""
    from tests.conftest import full_rows

    df = pd.DataFrame(full_rows(alignment, disciplines, n=6))
    rs = score_respondents(df, alignment)
    mask = np.array([True, False, True, False, False, True])
    sub = rs.where(mask)
    assert len(sub) == 3
    np.testing.assert_array_equal(sub.means, rs.means[mask])
    np.testing.assert_array_equal(sub.answers, rs.answers[mask])
    assert sub.keys["respondent_id"].tolist() == df["respondent_id"][mask].tolist()
    relabelled = rs.with_keys(department=["other"] * 6)
    assert set(relabelled.keys["department"]) == {"other"}
    assert set(rs.keys["department"]) != {"other"}

