"""Aggregate records: only aggregates, salted names, a stable fingerprint of the rows."""

from __future__ import annotations

import pandas as pd
import pytest

from assessment.analysis.whole_file import analyse
from assessment.core.ingest import read_responses
from assessment.norms.records import (
    DECIMALS,
    RECORD_COLUMNS,
    SCORE_COLUMNS,
    STORED_LEVELS,
    organisation_key,
    rows_digests,
    to_records,
)


@pytest.fixture(scope="module")
def scored(tmp_path_factory, alignment, disciplines):
    from tests.conftest import full_rows

    rows = full_rows(alignment, disciplines, "Fixture BV", 8, seed=1)
    rows += full_rows(alignment, disciplines, "Tweede Organisatie", 6, seed=2)
    path = tmp_path_factory.mktemp("rec") / "r.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    r = read_responses(path)
    return r, analyse(r.data, r.instruments, n_boot=100)


def test_one_record_per_organisation_wave_and_instrument(scored):
    r, table = scored
    rec = to_records(table, r.instruments, rows_digests(r.data), salt="s", sector="zorg",
                     size="medium", label="x", stored_on="2026-01-02")
    assert list(rec.records.columns) == RECORD_COLUMNS
    assert list(rec.scores.columns) == SCORE_COLUMNS
    assert len(rec.records) == 4 and rec.records["record_id"].is_unique
    assert set(rec.scores["level"]) <= set(STORED_LEVELS)
    assert set(rec.records["organisation"]) == {organisation_key("Fixture BV", "s"),
                                                organisation_key("Tweede Organisatie", "s")}
    al = table[(table["level"] == "interface") & (table["organisation"] == "Fixture BV")]
    key = organisation_key("Fixture BV", "s")
    ids = rec.records.loc[rec.records["organisation"] == key, "record_id"]
    mine = rec.scores[rec.scores["record_id"].isin(ids) & (rec.scores["level"] == "interface")]
    # stored to DECIMALS (6) decimals: the analysis table's scores rounded the same way
    assert sorted(mine["score"]) == sorted(al["score"].round(DECIMALS))
    assert rec.records["respondents"].tolist() == [8, 8, 6, 6]


def test_size_must_be_a_known_class(scored):
    r, table = scored
    with pytest.raises(ValueError, match="size"):
        to_records(table, r.instruments, {}, salt="s", size="huge")


def test_rows_digest_ignores_order_and_sees_changes(scored):
    r, _ = scored
    d = rows_digests(r.data)
    assert d == rows_digests(r.data.iloc[::-1][list(reversed(r.data.columns))])
    changed = r.data.copy()
    changed.iloc[0, changed.columns.get_loc("MS-roles-1")] = 4 - changed.iloc[0][
        "MS-roles-1"] + 1
    after = rows_digests(changed)
    assert after[("Fixture BV", "")] != d[("Fixture BV", "")]
    assert after[("Tweede Organisatie", "")] == d[("Tweede Organisatie", "")]


def test_the_salt_changes_the_key():
    assert organisation_key("A", "one") != organisation_key("A", "two")
