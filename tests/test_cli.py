"""The `assess` command: thin, with exit codes a script can rely on."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from assessment.cli import app

runner = CliRunner()


def test_instruments_lists_both():
    """`assess instruments` names each instrument with its version."""
    result = runner.invoke(app, ["instruments"])
    assert result.exit_code == 0
    assert "alignment" in result.stdout and "value_disciplines" in result.stdout
    assert "1.0.0" in result.stdout


def test_template(tmp_path):
    """`assess template` writes the file it names."""
    out = tmp_path / "answers.xlsx"
    result = runner.invoke(
        app, ["template", "--instrument", "alignment", "--lang", "nl", "--out", str(out)]
    )
    assert result.exit_code == 0 and out.exists()


def test_template_unknown_instrument(tmp_path):
    """An unknown instrument exits 1 and says which exist."""
    result = runner.invoke(
        app, ["template", "--instrument", "nope", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 1
    assert "bundled instruments" in result.stderr


def test_validate_clean(fixture_csv):
    """A clean file exits 0 and prints rows, organisations and respondents per department."""
    result = runner.invoke(app, ["validate", str(fixture_csv)])
    assert result.exit_code == 0, result.stderr
    assert "14 rows, all accepted; 2 organisation(s)" in result.stdout
    assert "Fixture BV" in result.stdout and "marketing" in result.stdout


def test_validate_problems(tmp_path, fixture_csv, alignment):
    """Every problem printed (file, row, column), then exit 1."""
    frame = pd.read_csv(fixture_csv)
    frame.loc[0, alignment.items[0].id] = 7
    frame.loc[3, "organisation"] = None
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"row 2, column {alignment.items[0].id}: '7' is not an answer" in result.stderr
    assert "row 5, column organisation: row rejected: no organisation given" in result.stderr
    assert "2 problem(s)" in result.stderr


def test_validate_not_a_table(tmp_path):
    """An unreadable file exits 1 with the reason, no traceback."""
    path = tmp_path / "empty.csv"
    path.write_text("")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "the file is empty" in result.stderr and "Traceback" not in result.stderr


def test_score_writes_tidy_csv(tmp_path, fixture_csv):
    """`assess score` writes one row per organisation × instrument × interface × dimension (+ interface rows)."""
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(fixture_csv), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    scores = pd.read_csv(out)
    assert len(scores) == 2 * (21 + 3 + 3)
    assert {
        "organisation",
        "wave",
        "instrument",
        "interface",
        "dimension",
        "n",
        "score",
        "stage",
        "profile",
    } <= set(scores.columns)


def test_report_bad_language(fixture_csv, tmp_path):
    """--lang accepts nl and en only."""
    result = runner.invoke(
        app,
        ["report", str(fixture_csv), "--org", "Fixture BV", "--out", str(tmp_path), "--lang", "fr"],
    )
    assert result.exit_code == 1 and "--lang must be nl or en" in result.stderr
