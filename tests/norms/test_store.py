"""The norm store against real DuckDB and a real PostgreSQL server (tests/norms/conftest.py)."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from assessment.analysis.whole_file import analyse
from assessment.core.ingest import read_responses
from assessment.core.instruments import load_instrument
from assessment.norms.compare import compare_organisation, store_responses
from assessment.norms.records import SCORE_COLUMNS, organisation_key, rows_digests, to_records
from assessment.norms.store import SCHEMA_VERSION, open_store
from assessment.norms.table import as_norm_rows, norm_table
from tests.conftest import full_rows

ORGS = ["Alfa Techniek", "Bravo Zorg", "Charlie Bouw", "Delta Logistiek", "Echo Retail",
        "Foxtrot Media", "Golf Advies"]


def _rows(orgs, wave="", seed=0):
    alignment = load_instrument("alignment")
    disciplines = load_instrument("value_disciplines")
    loyalty = load_instrument("customer_loyalty")
    rng = np.random.default_rng(seed)
    rows = []
    for k, org in enumerate(orgs):
        for row in full_rows(alignment, disciplines, org, n=6, seed=seed * 100 + k):
            row["wave"] = wave
            row["respondent_id"] = f"resp-{org[:5]}-{wave}-{row['respondent_id']}"
            for item in loyalty.scored_items:
                row[item.id] = int(rng.integers(0, 11) if item.type == "nps"
                                   else rng.integers(1, 6))
            row["LOY-improve"] = f"Vertrouwelijke opmerking over {org} nummer {rng.integers(1e6)}"
            rows.append(row)
    return rows


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Two files: seven organisations in wave 2025, and two of them again in wave 2026."""
    folder = tmp_path_factory.mktemp("norm-files")
    first = folder / "first.csv"
    pd.DataFrame(_rows(ORGS, "2025", seed=1)).to_csv(first, index=False)
    second = folder / "second.csv"
    pd.DataFrame(_rows(ORGS[:2], "2026", seed=2)).to_csv(second, index=False)
    out = {}
    for name, path in (("first", first), ("second", second)):
        r = read_responses(path)
        out[name] = (path, r, analyse(r.data, r.instruments, n_boot=200))
    return out


def _store(target, files, name="first", **kw):
    _, r, table = files[name]
    return store_responses(r, target, table=table, **kw)


def test_round_trip_equals_the_scores_computed_directly(target, files):
    _, r, table = files["first"]
    result = _store(target, files, sector="tech", size="small", label="class-a")
    assert (result.new, result.replaced, result.unchanged) == (21, 0, 0)  # 7 orgs × 3 instruments
    with open_store(target) as store:
        back = store.scores()
        expected = to_records(table, r.instruments, rows_digests(r.data), salt=store.salt).scores
    key = ["record_id", "level", "interface", "dimension"]
    got = back[SCORE_COLUMNS].sort_values(key).reset_index(drop=True)
    want = expected.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)
    assert set(back["sector"]) == {"tech"} and set(back["size"]) == {"small"}
    pd.testing.assert_frame_equal(norm_table(back), norm_table(as_norm_rows(table)))


def test_storing_the_same_file_twice_changes_nothing(target, files):
    _store(target, files)
    with open_store(target) as store:
        before, state = store.records(), store.state()
    again = _store(target, files)
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 21)
    with open_store(target) as store:
        pd.testing.assert_frame_equal(store.records(), before)
        assert store.state() == state


def test_a_new_wave_is_a_new_record_and_norms_use_the_latest(target, files):
    _store(target, files)
    result = _store(target, files, "second")
    assert result.new == 6 and result.unchanged == 0
    with open_store(target) as store:
        assert len(store.records()) == 27
        latest = store.scores()
        assert latest.groupby(["organisation", "instrument"])["wave"].nunique().max() == 1
        assert set(latest["wave"]) == {"2025", "2026"}
        assert len(store.scores(latest=False)) > len(latest)


def test_changed_rows_replace_the_record(target, files, tmp_path):
    path, _, _ = files["first"]
    _store(target, files)
    frame = pd.read_csv(path, dtype={"wave": str})
    frame.loc[0, "MS-roles-1"] = 5 - frame.loc[0, "MS-roles-1"]
    changed = tmp_path / "changed.csv"
    frame.to_csv(changed, index=False)
    result = store_responses(changed, target)
    assert (result.new, result.replaced, result.unchanged) == (0, 3, 18)
    with open_store(target) as store:
        assert len(store.records()) == 21


def test_forget_by_label_and_by_organisation(target, files):
    _store(target, files, label="client-x")
    _store(target, files, "second", label="client-y")
    with open_store(target) as store:
        assert store.forget(label="client-y") == (6, 2)
        assert store.forget(label="client-y") == (0, 0)
        key = organisation_key(ORGS[0], store.salt)
        assert store.forget(organisation=key) == (3, 1)
        assert len(store.records()) == 18
        assert key not in set(store.scores()["organisation"])


def test_a_store_of_the_first_schema_is_migrated_on_open(target):
    with open_store(target, upto=1) as old:
        assert old.version == 1
        old._db.execute(
            "INSERT INTO records VALUES ('r1', 'org-hash', FALSE, '2024', 'alignment', '1.0.0', "
            "'h', '2024-05-01', 'zorg', 'small', 12, NULL, NULL)")
        old._db.execute(
            "INSERT INTO scores VALUES ('r1', 'interface', 'marketing_sales', '', 12, 2.5, "
            "'aligned', 0.4, 2.2, 2.8, 0.9, 0.7, NULL, NULL, NULL)")
        salt = old.salt
    with open_store(target) as store:
        assert store.version == SCHEMA_VERSION == 3
        assert store.salt == salt and store.salt_location == "store"  # keeps working as it was
        records = store.records()
        assert records.loc[0, "label"] == "" and records.loc[0, "sector"] == "zorg"
        scores = store.scores()
        assert scores.loc[0, "score"] == 2.5 and scores.loc[0, "floor_stage"] is None
    with open_store(target) as store:  # opening again applies nothing
        assert store.version == 3


def test_a_store_from_a_newer_program_is_refused(target):
    from assessment.core.exceptions import AssessmentError

    with open_store(target) as store:
        store._db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(AssessmentError, match="newer version"):
        with open_store(target):
            pass


def test_concurrent_stores_into_postgresql_lose_no_record(postgres_url, files, tmp_path):
    """Four threads, each its own connection, store into a new database at the same moment."""
    path, _, _ = files["first"]
    frame = pd.read_csv(path, dtype={"wave": str})
    paths = []
    for k in range(3):  # three files of different organisations, and the first one twice
        part = frame.assign(organisation=frame["organisation"] + f" {k}")
        paths.append(tmp_path / f"part{k}.csv")
        part.to_csv(paths[-1], index=False)
    paths.append(paths[0])
    prepared = [read_responses(p) for p in paths]
    tables = [analyse(r.data, r.instruments, n_boot=50) for r in prepared]
    start = threading.Barrier(len(paths))
    results, errors = [None] * len(paths), []

    def run(k):
        try:
            start.wait()
            results[k] = store_responses(prepared[k], postgres_url, table=tables[k])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(paths))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.new for r in results) == 63 and sum(r.unchanged for r in results) == 21
    with open_store(postgres_url) as store:
        assert len(store.records()) == 63
        one_file = to_records(tables[0], prepared[0].instruments, {}, salt="").scores
        # every record whole, none twice
        assert len(store.scores(latest=False)) == 3 * len(one_file)


def test_duckdb_and_postgresql_give_the_same_results(tmp_path, postgres_url, files):
    duck = str(tmp_path / "n.duckdb")
    for target in (duck, postgres_url):
        _store(target, files, sector="s", keep_names=True)
        _store(target, files, "second", sector="s", keep_names=True)
    with open_store(duck) as a, open_store(postgres_url) as b:
        pd.testing.assert_frame_equal(a.scores(), b.scores())
        pd.testing.assert_frame_equal(a.records().drop(columns="stored_on"),
                                      b.records().drop(columns="stored_on"))


def test_nothing_personal_is_stored(target, files):
    """Scan every text column: no respondent id, comment, organisation name or department."""
    _, r, _ = files["first"]
    _store(target, files, sector="tech", label="klas-1")
    with open_store(target) as store:
        values = set().union(*store.text_values().values())
    forbidden = set(r.data["respondent_id"]) | set(r.data["organisation"])
    forbidden |= set(r.data["LOY-improve"].dropna())
    assert not values & forbidden
    for value in values:
        assert not any(name.lower() in value.lower() for name in ORGS), value
        assert "resp-" not in value and "opmerking" not in value.lower()


def test_names_are_kept_only_when_asked(target, files):
    _store(target, files, keep_names=True)
    with open_store(target) as store:
        assert set(store.records()["organisation"]) == set(ORGS)
        assert store.records()["named"].all()


def test_comparison_needs_five_other_organisations(target, files):
    _, _, table = files["first"]
    own = table[(table["organisation"] == ORGS[0]) & table["department"].isna()]
    _store(target, files, sector="tech")
    placed = compare_organisation(own, ORGS[0], target)
    assert placed.enough and placed.group_size == 6  # itself left out
    rows = placed.table[placed.table["level"] == "interface"]
    assert rows["percentile"].between(0, 100).all()
    assert (rows["percentile_low"] <= rows["percentile"]).all()
    assert (rows["percentile"] <= rows["percentile_high"]).all()
    with open_store(target) as store:  # leave four others: no comparison at all
        for org in ORGS[1:3]:
            store.forget(organisation=organisation_key(org, store.salt))
    small = compare_organisation(own, ORGS[0], target)
    assert not small.enough and small.group_size == 4
    assert small.table["percentile"].isna().all()
    assert compare_organisation(own, ORGS[0], target, sector="zorg").group_size == 0


def test_a_class_against_the_norms_of_earlier_classes(tmp_path, files):
    """The trainer's recipe (notebooks/README.md): this class's medians among earlier classes."""
    from assessment.norms.compare import class_against_norms

    target = str(tmp_path / "classes.duckdb")
    _store(target, files, label="earlier")
    path, _, _ = files["second"]
    out = class_against_norms(path, target)
    row = out[(out["level"] == "interface") & (out["interface"] == "marketing_sales")].iloc[0]
    assert row["class_n"] == 2 and row["norm_n"] == 7
    assert 0 <= row["class_percentile"] <= 100
    assert row["norm_p25"] <= row["norm_p50"] <= row["norm_p75"]
    assert out["class_percentile"].isna().sum() == 0
    assert class_against_norms(path, target, exclude_label="earlier")["norm_n"].isna().all()


# ---------------------------------------------------------------- the salt outside the store
def test_a_new_store_keeps_its_salt_in_a_key_file(target, files, config_folder):
    """The salt is in the user's config folder (owner only); the store holds a check value."""
    import os

    from assessment.norms.store import key_file, salt_check

    result = _store(target, files)
    with open_store(target) as store:
        path = key_file(store.store_id)
        assert result.key_file == str(path) and path.parent.parent == config_folder
        assert path.read_text().strip() == store.salt and len(store.salt) == 32
        assert os.stat(path).st_mode & 0o777 == 0o600
        assert os.stat(path.parent).st_mode & 0o777 == 0o700
        assert store.salt_location == "key" and store.salt_advice() == ""
        values = set().union(*store.text_values().values())
        assert store.salt not in values and salt_check(store.salt) in values
        assert organisation_key(ORGS[0], store.salt) in set(store.records()["organisation"])
    assert _store(target, files).key_file == ""  # only when the store is made


def test_without_its_salt_a_store_says_where_to_put_it(target, files):
    """Norm tables need no salt; hashing a name does, and the error names the key file."""
    from assessment.core.exceptions import AssessmentError
    from assessment.norms.store import key_file

    _store(target, files)
    with open_store(target) as store:
        path = key_file(store.store_id)
    path.unlink()
    with open_store(target) as store:
        assert len(norm_table(store.scores())) > 0
        with pytest.raises(AssessmentError, match="ASSESS_NORMS_SALT") as caught:
            store.salt  # noqa: B018 - the property raises
    assert str(path) in str(caught.value) and "outside the database" in str(caught.value)
    with pytest.raises(AssessmentError, match="salt"):
        _store(target, files)


def test_the_salt_from_the_environment(target, files, monkeypatch, config_folder):
    """$ASSESS_NORMS_SALT: no key file written, the same hashes; a wrong or short one refused."""
    from assessment.core.exceptions import AssessmentError

    monkeypatch.setenv("ASSESS_NORMS_SALT", "f" * 32)
    assert _store(target, files).key_file == ""
    assert not config_folder.exists()
    with open_store(target) as store:
        assert organisation_key(ORGS[1], "f" * 32) in set(store.records()["organisation"])
    monkeypatch.setenv("ASSESS_NORMS_SALT", "e" * 32)
    with open_store(target) as store, pytest.raises(AssessmentError, match="not this store"):
        store.salt  # noqa: B018
    monkeypatch.setenv("ASSESS_NORMS_SALT", "short")
    with open_store(target) as store, pytest.raises(AssessmentError, match="too short"):
        store.salt  # noqa: B018


def test_salt_in_store_is_for_a_duckdb_file_only(tmp_path, postgres_url, files, config_folder):
    from assessment.core.exceptions import AssessmentError

    duck = str(tmp_path / "mine.duckdb")
    result = store_responses(files["first"][1], duck, table=files["first"][2],
                             salt_in_store=True)
    assert result.key_file == "" and not config_folder.exists()
    with open_store(duck) as store:
        assert store.salt_location == "store" and store.salt_advice() == ""
        assert store.salt in set().union(*store.text_values().values())
    with pytest.raises(AssessmentError, match="PostgreSQL"):
        with open_store(postgres_url, salt_in_store=True):
            pass
    other = str(tmp_path / "keyed.duckdb")
    _store(other, files)
    with pytest.raises(AssessmentError, match="outside the store"):
        with open_store(other, salt_in_store=True):
            pass


def test_an_old_store_keeps_its_salt_until_it_is_moved_out(target, files, config_folder):
    """A schema-2 store keeps its salt inside (it keeps working), with advice.

    Moved out, the hashes stay the same and the salt is gone from every text column.
    """
    from assessment.norms.store import key_file

    with open_store(target, upto=2) as old:
        salt = old._meta("salt")
    with open_store(target) as store:
        assert store.salt == salt and store.salt_location == "store"
        assert "assess salt --out-of-store" in store.salt_advice()
    result = _store(target, files)
    assert result.key_file == "" and "--out-of-store" in result.advice
    with open_store(target) as store:
        written = store.move_salt(into_store=False)
        assert written == key_file(store.store_id) and written.read_text().strip() == salt
        assert salt not in set().union(*store.text_values().values())
    if not target.startswith("postgresql"):  # a fresh copy: no freed page keeps the salt
        from pathlib import Path

        assert salt.encode() not in Path(target).read_bytes()
    with open_store(target) as store:
        assert store.salt == salt and store.salt_location == "key" and not store.salt_advice()
        assert store.forget(organisation=organisation_key(ORGS[0], store.salt)) == (3, 1)
