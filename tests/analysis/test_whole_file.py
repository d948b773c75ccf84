"""The analysis table (assess score): scores with trust figures, NPS, tension, ranks, waves, departments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assessment.analysis.nps import nps
from assessment.analysis.whole_file import ANALYSIS_COLUMNS, analyse, analyse_organisation
from assessment.core.config import EXAMPLE_RESPONSES, PROJECT_ROOT
from assessment.core.ingest import read_responses
from assessment.core.scoring import COLUMNS, score_responses

WAVES = PROJECT_ROOT / "data" / "examples" / "waves.csv"


@pytest.fixture(scope="module")
def example():
    return read_responses(EXAMPLE_RESPONSES)


@pytest.fixture(scope="module")
def table(example):
    return analyse(example.data, example.instruments, n_boot=300)


def test_columns_extend_the_tidy_scores(table, example):
    """The scores of score_responses are kept unchanged; the analysis adds columns and rows."""
    assert list(table.columns) == ANALYSIS_COLUMNS
    assert ANALYSIS_COLUMNS[: len(COLUMNS)] == COLUMNS
    base = score_responses(example.data, example.instruments)
    keys = ["organisation", "wave", "instrument", "level", "interface", "dimension"]
    same = table[table["level"].isin(set(base["level"]))].merge(base, on=keys,
                                                                suffixes=("", "_b"))
    assert len(same) == len(base)
    assert np.allclose(same["score"].astype(float), same["score_b"].astype(float),
                       equal_nan=True)
    assert set(table["level"]) == {"interface", "dimension", "discipline", "tension", "nps",
                                   "department"}


def test_every_organisation_score_has_an_interval(table):
    """Issue 4: a 95% interval for each organisation score (bootstrap, seeded), around the score."""
    scores = table[table["level"].isin(["interface", "dimension", "discipline"])
                   & table["score"].notna() & (table["n"] >= 2)]
    assert scores["ci_low"].notna().all() and scores["ci_high"].notna().all()
    assert (scores["ci_low"] <= scores["score"] + 1e-9).all()
    assert (scores["score"] <= scores["ci_high"] + 1e-9).all()


def test_analysis_reproducible_with_a_seed(example):
    """The same seed gives the same table; another seed moves only the intervals."""
    one = analyse(example.data, example.instruments, n_boot=200, seed=1)
    again = analyse(example.data, example.instruments, n_boot=200, seed=1)
    pd.testing.assert_frame_equal(one, again)
    other = analyse(example.data, example.instruments, n_boot=200, seed=2)
    assert np.allclose(one["score"].astype(float), other["score"].astype(float), equal_nan=True)
    assert not np.allclose(one["ci_low"].astype(float), other["ci_low"].astype(float),
                           equal_nan=True)


def test_one_organisation_equals_its_rows_of_the_whole_file(table, example):
    """analyse(organisation=...) (the report) gives the same rows as the whole file (the CSV)."""
    org = "Harbour & Hart Events"
    one = analyse(example.data, example.instruments, organisation=org, n_boot=300)
    mine = table[table["organisation"] == org].reset_index(drop=True)
    pd.testing.assert_frame_equal(one, mine)


def test_nps_rows_equal_the_nps_module(table, example):
    """NPS rows: counts, score and adjusted-Wald interval as assessment.analysis.nps.nps of the raw answers."""
    loyalty = next(i for i in example.instruments if i.id == "customer_loyalty")
    item = next(i for i in loyalty.items if i.type == "nps")
    rows = table[table["level"] == "nps"]
    assert len(rows) == example.data["organisation"].nunique()
    for _, row in rows.iterrows():
        answers = example.data.loc[example.data["organisation"] == row["organisation"], item.id]
        ref = nps(answers.dropna())
        assert (row["n"], row["promoters"], row["passives"], row["detractors"]) == (
            ref.n, ref.promoters, ref.passives, ref.detractors)
        assert row["score"] == pytest.approx(ref.score)
        assert row["margin"] == pytest.approx(ref.margin)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((ref.low, ref.high))
        assert row["dimension"] == item.dimension


def test_ranks_only_for_interfaces_and_disciplines(table):
    """Issue 4: rank and percentile per interface and discipline within the cohort of ten."""
    ranked = table[table["rank"].notna()]
    assert set(ranked["level"]) == {"interface", "discipline"}
    assert (ranked["cohort_size"] == 10).all()
    for _, group in ranked.groupby(["instrument", "interface", "dimension"], dropna=False):
        assert sorted(group["rank"]) == list(range(1, 11)) or group["rank"].min() == 1


def test_department_rows_respect_anonymity(table, example):
    """No department row for a group the anonymity rule hides or withholds, in any organisation."""
    from assessment.analysis.departments import reporting_groups

    _, groupings = reporting_groups(example.data)
    depts = table[table["level"] == "department"]
    for (org, _wave), g in groupings.items():
        shown = set(depts.loc[depts["organisation"] == org, "department"])
        assert shown == set(g.sizes)
        assert not shown & (set(g.hidden) | set(g.withheld))
    lindeboom = depts[depts["organisation"] == "Lindeboom Accountants"]
    assert set(lindeboom["department"]) == {"other"}
    assert set(lindeboom["pooled"]) == {"marketing;sales;service;management"}
    assert (depts["n"] >= 3).all()


def test_wave_rows(example):
    """waves.csv: the second wave carries previous_wave and Δ; the first wave does not."""
    r = read_responses(WAVES)
    out = analyse(r.data, r.instruments, n_boot=300)
    q3 = out[(out["wave"] == "2026-Q3") & out["level"].isin(["interface", "dimension"])]
    q1 = out[(out["wave"] == "2026-Q1")]
    assert (q3["previous_wave"] == "2026-Q1").all() and q3["delta"].notna().all()
    assert q1["previous_wave"].isna().all() and q1["delta"].isna().all()
    assert out["rank"].isna().all()  # three organisations: no ranks


def test_organisation_analysis_for_the_report(example):
    """analyse_organisation: one wave's rows, the grouping, gaps largest first, anonymous cohort."""
    a = analyse_organisation(example.data, example.instruments, "Delta Meettechniek", "",
                             n_boot=200)
    assert set(a.table["organisation"]) == {"Delta Meettechniek"}
    assert a.grouping.sizes == {"marketing": 6, "sales": 8, "service": 6}
    assert a.grouping.hidden == ("other",) and a.grouping.withheld == ("management",)
    assert a.gaps["gap"].is_monotonic_decreasing and len(a.gaps) == 21
    assert "organisation" not in a.cohort.columns and a.cohort["is_self"].sum() == 6
    assert a.previous_wave is None
    assert a.tension["weakest"].sum() == 1


def test_analysis_in_parts_is_the_same_table(example):
    """Issue 13: the file analysed in parts (here, or on an executor) is the table of analyse.

    Text for text: the organisations come sorted, the cohort figures are computed once.

    Expected: analyse of the example file (n_boot 200, seed 2026), written by csv_text.
    """
    from concurrent.futures import ThreadPoolExecutor

    from assessment.analysis.whole_file import analyse_in_parts
    from assessment.core.files import csv_text

    whole = csv_text(analyse(example.data, example.instruments, n_boot=200))
    local = list(analyse_in_parts(example.data, example.instruments, n_boot=200,
                                  organisations_per_part=3))
    assert len(local) == -(-example.data["organisation"].nunique() // 3)
    assert "".join(csv_text(p, header=k == 0) for k, p in enumerate(local)) == whole
    with ThreadPoolExecutor(2) as pool:
        remote = analyse_in_parts(example.data, example.instruments, n_boot=200,
                                  organisations_per_part=4, executor=pool)
        assert "".join(csv_text(p, header=k == 0) for k, p in enumerate(remote)) == whole
    with pytest.raises(ValueError, match="organisations_per_part must be 1 or more"):
        next(analyse_in_parts(example.data, example.instruments, organisations_per_part=0))


def test_in_order_keeps_few_parts_in_flight():
    """Issue 13: results come back in order, with at most ``in_flight`` parts not yet taken.

    Expected: squares of 0..9 in order (hand calculation); the count of tasks submitted and
    not yet yielded, sampled at every yield, never exceeds 2.
    """
    from concurrent.futures import ThreadPoolExecutor

    from assessment.analysis.whole_file import in_order

    submitted = []

    def tasks():
        for k in range(10):
            submitted.append(k)
            yield (lambda v: v * v, k)

    taken, most = [], 0
    with ThreadPoolExecutor(3) as pool:
        for value in in_order(pool, tasks(), in_flight=2):
            most = max(most, len(submitted) - len(taken))
            taken.append(value)
    assert taken == [k * k for k in range(10)]
    assert most <= 2
