"""assess store, norms and forget, and the report's norm paragraph, on both backends."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from assessment.cli import app
from assessment.core.config import PROJECT_ROOT
from assessment.norms.records import organisation_key
from assessment.norms.store import open_store
from assessment.report.analysis_sections import comparison_section
from assessment.report.data import load_report_data

runner = CliRunner()
EXAMPLES = PROJECT_ROOT / "data" / "examples" / "responses.csv"


def _run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_store_norms_and_forget(target, tmp_path):
    out = _run("store", EXAMPLES, "--db", target, "--sector", "industrie", "--size", "medium",
               "--label", "examples")
    assert "30 new, 0 replaced, 0 unchanged" in out and "10 organisation × wave" in out
    assert "0 new, 0 replaced, 30 unchanged" in _run("store", EXAMPLES, "--db", target)
    csv = tmp_path / "norms.csv"
    _run("norms", "--db", target, "--sector", "industrie", "--out", csv)
    table = pd.read_csv(csv)
    assert set(table["organisations"]) == {10}
    assert {"p10", "p25", "p50", "p75", "p90", "undefined", "integrated"} <= set(table.columns)
    printed = _run("norms", "--db", target, "--instrument", "value_disciplines")
    assert "10" in printed and "no records" not in printed
    assert "no records" in _run("norms", "--db", target, "--sector", "zorg")
    out = _run("forget", "--db", target, "--organisation", "Delta Meettechniek")
    assert "removed 3 record(s) of 1 organisation(s)" in out
    assert "removed 27 record(s) of 9 organisation(s)" in _run("forget", "--db", target,
                                                              "--label", "examples")


def test_store_refuses_an_unknown_size(tmp_path):
    result = runner.invoke(app, ["store", str(EXAMPLES), "--db", str(tmp_path / "n.duckdb"),
                                 "--size", "huge"])
    assert result.exit_code == 1 and "--size" in result.stderr


def test_forget_needs_exactly_one_selection(tmp_path):
    result = runner.invoke(app, ["forget", "--db", str(tmp_path / "n.duckdb")])
    assert result.exit_code == 1


def test_default_store_is_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSESS_NORMS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    _run("store", EXAMPLES)
    assert (tmp_path / "assessment" / "norms.duckdb").exists()


@pytest.fixture(scope="module")
def delta():
    return load_report_data(EXAMPLES, "Delta Meettechniek", lang="nl")


def test_report_paragraph_with_and_without_a_norm_group(target, delta):
    plain = comparison_section(delta)
    assert "normgroep" not in plain.lower()
    _run("store", EXAMPLES, "--db", target, "--sector", "industrie")
    html = comparison_section(delta, norms=target)
    assert "Plaats in de normgroep" in html and "9 andere organisaties" in html
    # without a norm store the section shows the rank only, under its own title (no waves in
    # the file: issue 11 point 11); with one, the same rank table comes first
    assert "<h3>" not in plain and "Plaats tussen de organisaties in dit bestand</h2>" in plain
    rank_table = plain[plain.index("<table"):plain.index("</table>")]
    assert rank_table in html and html.index(rank_table) < html.index("normgroep</h3>")
    part = html.split("normgroep</h3>")[1].split("<h3>")[0]
    percentiles = re.findall(r"<td>(\d+) <span class=\"muted\">\[(\d+); (\d+)\]", part)
    assert len(percentiles) == 6
    assert all(int(lo) <= int(p) <= int(hi) for p, lo, hi in percentiles)
    few = comparison_section(delta, norms=target, norms_sector="zorg")
    assert ("Geen vergelijking met de normgroep: die telt 0 andere organisaties uit de sector "
            "zorg") in few
    with open_store(target) as store:  # four others left
        own = organisation_key("Delta Meettechniek", store.salt)
        others = [o for o in store.records()["organisation"].unique() if o != own]
        for org in others[:5]:
            store.forget(organisation=org)
    html = comparison_section(delta, norms=target)
    assert "die telt 4 andere organisaties, en een vergelijking vraagt er minstens 5" in html
    assert "<table" not in html.split("normgroep</h3>")[1].split("<h3>")[0]


def test_report_command_with_norms_needs_a_reachable_store(tmp_path):
    result = runner.invoke(app, ["report", str(EXAMPLES), "--org", "Delta Meettechniek",
                                 "--out", str(tmp_path), "--norms",
                                 "postgresql:///nope?host=/nonexistent"])
    assert result.exit_code == 1 and "cannot connect" in result.stderr


def test_salt_command_says_where_the_salt_is_and_moves_it(target, config_folder):
    """A new store: salt in a key file (said once); `assess salt` says where and moves it."""
    out = _run("store", EXAMPLES, "--db", target)
    assert "new norm store; its salt is in " + str(config_folder / "norms-keys") in out
    assert "new norm store" not in _run("store", EXAMPLES, "--db", target)
    assert "the salt is outside the store: $ASSESS_NORMS_SALT or " in _run("salt", "--db",
                                                                           target)
    moved = runner.invoke(app, ["salt", "--db", target, "--into-store"])
    if target.startswith("postgresql"):
        assert moved.exit_code == 1 and "outside the database" in moved.stderr
        refused = runner.invoke(app, ["store", str(EXAMPLES), "--db", target, "--salt-in-store"])
        assert refused.exit_code == 1 and "--salt-in-store is for a DuckDB file" in refused.stderr
        return
    assert moved.exit_code == 0 and "the salt is inside the store" in moved.stdout
    out = _run("salt", "--db", target, "--out-of-store")
    assert "wrote " in out and "the salt is outside the store" in out
    assert "0 new, 0 replaced, 30 unchanged" in _run("store", EXAMPLES, "--db", target)


def test_report_with_norms_needs_the_stores_salt(tmp_path):
    """A store whose key file is gone: one clear error before any report is made."""
    target = str(tmp_path / "n.duckdb")
    _run("store", EXAMPLES, "--db", target)
    with open_store(target) as store:
        from assessment.norms.store import key_file

        key_file(store.store_id).unlink()
    result = runner.invoke(app, ["report", str(EXAMPLES), "--org", "Delta Meettechniek",
                                 "--out", str(tmp_path / "out"), "--norms", target])
    assert result.exit_code == 1 and "ASSESS_NORMS_SALT" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
