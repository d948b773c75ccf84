"""The `assess` command: thin, with exit codes a script can rely on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from assessment.cli import app
from tests.conftest import full_rows

runner = CliRunner()


def test_instruments_lists_both():
    """`assess instruments` names each instrument with its version."""
    result = runner.invoke(app, ["instruments"])
    assert result.exit_code == 0
    assert "alignment" in result.stdout and "value_disciplines" in result.stdout
    assert "1.1.0" in result.stdout


def test_template(tmp_path):
    """`assess template` writes the file it names."""
    out = tmp_path / "answers.xlsx"
    result = runner.invoke(
        app, ["template", "--instrument", "alignment", "--lang", "nl", "--out", str(out)]
    )
    assert result.exit_code == 0 and out.exists()


def test_template_seed_sets_the_option_order(tmp_path):
    """`--seed` reaches the template: the same seed writes the same lists, another seed others.

    Expected from :func:`assessment.core.template.option_order` (a seeded shuffle per item).
    """
    from openpyxl import load_workbook

    def lists(seed, name):
        out = tmp_path / name
        result = runner.invoke(app, ["template", "--instrument", "alignment", "--out", str(out),
                                     "--seed", str(seed)])
        assert result.exit_code == 0, result.stderr
        return [[c.value for c in col] for col in load_workbook(out)["lists"].iter_cols()]

    first = lists(7, "a.xlsx")
    assert first == lists(7, "b.xlsx")
    assert first != lists(8, "c.xlsx")


def test_validate_counts_dont_know(tmp_path, alignment, disciplines):
    """Issue 11.7: validate says how many answers were don't know and their share.

    Hand-made: 2 respondents × (42 + 18) scored items = 120 answers given, 3 of them
    "weet ik niet": 3 of 120 = 2.5%.
    """
    rows = full_rows(alignment, disciplines, "Fixture BV", 2)
    for item in ("MS-roles-1", "MS-roles-2", "VD-ci-1"):
        rows[0][item] = "weet ik niet"
    path = tmp_path / "dk.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    result = runner.invoke(app, ["validate", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.stderr
    assert '3 answer(s) "don\'t know / not applicable" (2.5% of the answers given)' in \
        result.stdout


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


def test_validate_sums_up_a_large_file(tmp_path, alignment, disciplines):
    """A file of 35 organisations: the first 30 rows of the table, then one line with the rest.

    Expected: 35 organisations written here − SHOWN_ORGANISATIONS (30) = 5 more.
    """
    from assessment.cli import SHOWN_ORGANISATIONS
    from tests.conftest import full_rows

    rows = [r for k in range(35)
            for r in full_rows(alignment, disciplines, organisation=f"Org {k:02d}", n=3, seed=k)]
    path = tmp_path / "many.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr
    assert SHOWN_ORGANISATIONS == 30
    assert "Org 29" in result.stdout and "Org 30" not in result.stdout
    assert "… and 5 more organisation(s) × wave" in result.stdout


def test_validate_problems(tmp_path, fixture_csv, alignment):
    """Every problem printed (file, row, column), then exit 1."""
    frame = pd.read_csv(fixture_csv)
    frame.loc[0, alignment.items[0].id] = 7
    frame.loc[3, "organisation"] = None
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert (f"warning: {bad}, row 2, column {alignment.items[0].id}: '7' is not an answer"
            in result.stderr)
    assert "row 5, column organisation: row rejected: no organisation given" in result.stderr
    # issue 11 point 15: the rejected row is the one error, the ignored answer a warning
    assert "error: 1 problem(s)" in result.stderr and "1 warning(s)" in result.stderr


def test_validate_exits_0_when_every_row_is_accepted(tmp_path, fixture_csv, alignment):
    """Issue 11 point 15: warnings only (an answer ignored, an unknown column) -> exit 0.

    Expected by construction: the fixture's 14 rows all stay accepted; the answer 7 on a
    stages4 item (1–4) is ignored and the column "In welke afdeling werkt u?" is not a known
    one: two warnings, no "error:" line, and a hint to rename the column to 'department'.
    """
    frame = pd.read_csv(fixture_csv)
    frame.loc[0, alignment.items[0].id] = 7
    frame["In welke afdeling werkt u?"] = "Verkoop"
    path = tmp_path / "warnings.csv"
    frame.to_csv(path, index=False)
    result = runner.invoke(app, ["validate", str(path)], terminal_width=300)
    assert result.exit_code == 0, result.stderr
    assert "error:" not in result.stderr
    assert result.stderr.count("warning: ") == 2
    assert "rename its header to 'department' (or 'afdeling')" in result.stderr
    assert f"{len(frame)} rows, all accepted; 2 warning(s)" in result.stdout


def test_validate_not_a_table(tmp_path):
    """An unreadable file exits 1 with the reason, no traceback."""
    path = tmp_path / "empty.csv"
    path.write_text("")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "the file is empty" in result.stderr and "Traceback" not in result.stderr


def test_score_writes_tidy_csv(tmp_path, fixture_csv):
    """`assess score` writes one row per organisation × instrument × interface × dimension (+ interface rows).

    Issue 4 adds trust columns and tension and department rows (counted in test_analysis).
    """
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(fixture_csv), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    scores = pd.read_csv(out)
    main = scores[scores["level"].isin(["interface", "dimension", "discipline"])]
    assert len(main) == 2 * (21 + 3 + 3)
    assert {"ci_low", "ci_high", "rwg", "alpha", "rank", "percentile", "delta",
            "delta_significant", "department"} <= set(scores.columns)
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
    """--lang accepts nl and en only; anything else is bad usage (exit 2, issue 10 case 9)."""
    result = runner.invoke(
        app,
        ["report", str(fixture_csv), "--org", "Fixture BV", "--out", str(tmp_path), "--lang", "fr"],
    )
    assert result.exit_code == 2 and "--lang must be nl or en" in result.stderr


@pytest.mark.parametrize("command", ["report", "batch"])
def test_bad_target_stages(fixture_csv, tmp_path, command):
    """--target-stages with an unknown stage or interface is bad usage (exit 2), said in a line."""
    org = ["--org", "Fixture BV"] if command == "report" else []
    for value, said in (("best", "'best' is not a stage"),
                        ("finance=aligned", "'finance' is not an interface")):
        result = runner.invoke(app, [command, str(fixture_csv), *org, "--out",
                                     str(tmp_path / "out"), "--target-stages", value])
        assert result.exit_code == 2, result.output
        assert "--target-stages:" in result.stderr
        assert said in result.stderr and "Traceback" not in result.stderr


def test_score_xlsx_and_anonymity_option(tmp_path, fixture_csv):
    """`assess score --out x.xlsx` writes a workbook; --min-group-size changes which groups show.

    The fixture has two respondents per department in 'Fixture BV' (8 = 4 × 2) and fewer
    in 'Tweede Organisatie': with the default minimum 3 every department is pooled into
    'other'; with 2 the four departments of 'Fixture BV' show.
    """
    out = tmp_path / "scores.xlsx"
    result = runner.invoke(app, ["score", str(fixture_csv), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    sheet = pd.read_excel(out)
    depts = sheet[sheet["level"] == "department"]
    assert set(depts["department"]) == {"other"}
    csv = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(fixture_csv), "--out", str(csv),
                                 "--min-group-size", "2"])
    assert result.exit_code == 0, result.stderr
    depts = pd.read_csv(csv).query("level == 'department' and organisation == 'Fixture BV'")
    assert set(depts["department"]) == {"marketing", "sales", "service", "management"}


def test_score_refuses_other_formats(tmp_path, fixture_csv):
    """The scores file is .csv or .xlsx; anything else is bad usage (exit 2) naming what is allowed."""
    result = runner.invoke(app, ["score", str(fixture_csv), "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 2 and "--out must end in .csv or .xlsx" in result.stderr


def test_user_text_is_not_read_as_markup(tmp_path, alignment, disciplines):
    """Names with [/], [bold] or [v2] print as written; no rich MarkupError, exit codes as usual.

    Expected: the organisation names and the file name exactly as in the file (rich markup
    would crash on '[/]' and swallow '[bold]' and '[v2]').
    """
    orgs = ("Alfa [/] BV", "[bold]Bravo", "Charlie [v2]")
    rows = [r for k, org in enumerate(orgs) for r in full_rows(alignment, disciplines, org, 4,
                                                               seed=40 + k)]
    path = tmp_path / "[v2] responses.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    result = runner.invoke(app, ["validate", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.stderr
    assert "[v2] responses.csv: 12 rows" in result.stdout
    for org in orgs:
        assert org in result.stdout
    result = runner.invoke(app, ["report", str(path), "--org", "[/]Delta",
                                 "--out", str(tmp_path / "out")], terminal_width=200)
    assert result.exit_code == 1
    assert "error: " in result.stderr and "no accepted rows for organisation '[/]Delta'" in (
        result.stderr)
    assert "[v2] responses.csv" in result.stderr and "MarkupError" not in result.stderr


def test_score_csv_escapes_formulas(tmp_path, alignment, disciplines):
    """Text cells a spreadsheet would run get a leading quote in scores.csv; numbers do not.

    Expected: OWASP's advice on CSV injection ("'" before a cell starting with =, +, -, @,
    tab or CR); scores are the numbers written by pandas, negatives (delta) included.
    """
    orgs = ("=HYPERLINK(\"http://x\")", "+31 Telecom", "@Home", "-Minus BV")
    rows = [r for k, org in enumerate(orgs) for r in full_rows(alignment, disciplines, org, 4,
                                                               seed=50 + k)]
    path = tmp_path / "responses.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    scores = pd.read_csv(out)
    assert set(scores["organisation"]) == {"'" + org for org in orgs}
    assert pd.api.types.is_float_dtype(scores["score"]) and scores["score"].notna().any()


# issue 10, cases 3, 9 and 14: one line for every error, warnings that do not fail a file


def _one_error_line(result, code):
    """The command ended with ``code`` and one ``error:`` line, no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == code, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def test_input_of_the_wrong_kind_is_one_line(tmp_path, fixture_csv):
    """A folder, a named pipe or a missing file as RESPONSES: one line naming it, exit 2 (usage).

    Expected: the issue's list (a directory as input; a named pipe, which hangs when read).
    """
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path, why in ((tmp_path, "is a folder, not a file"),
                      (fifo, "not a regular file"), (tmp_path / "nope.csv", "file not found")):
        line = _one_error_line(runner.invoke(app, ["validate", str(path)]), 2)
        assert f"{path}: " in line and why in line


def test_out_of_the_wrong_kind_is_one_line(tmp_path, fixture_csv, monkeypatch):
    """--out that is a file (batch, report) or a folder (score), or read-only: one line, exit 2.

    Expected: the issue's list ('--out that is a file; a read-only --out'). Read-only is
    simulated through os.access: these tests may run as root, whom permissions never stop.
    """
    import os

    a_file = tmp_path / "taken.txt"
    a_file.write_text("x")
    line = _one_error_line(runner.invoke(app, ["batch", str(fixture_csv), "--out", str(a_file)]),
                           2)
    assert "this is a file, not a folder" in line and "--out" in line
    line = _one_error_line(runner.invoke(app, ["score", str(fixture_csv), "--out",
                                               str(tmp_path)]), 2)
    assert "this is a folder; give a file name" in line
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
        False if Path(p) == locked and mode & os.W_OK else real_access(p, mode, **kw)))
    line = _one_error_line(runner.invoke(app, ["report", str(fixture_csv), "--org", "Fixture BV",
                                               "--out", str(locked / "reports")]), 2)
    assert f"cannot write in {locked} (read-only)" in line


def test_missing_notebook_is_one_line(tmp_path, fixture_csv):
    """--notebook that does not exist: one line naming it, exit 2, before any work starts."""
    line = _one_error_line(runner.invoke(app, ["batch", str(fixture_csv), "--out",
                                               str(tmp_path / "out"), "--notebook",
                                               str(tmp_path / "custom.ipynb")]), 2)
    assert "custom.ipynb: file not found" in line
    assert not (tmp_path / "out").exists()


def test_notebook_help_says_it_runs_code():
    """`assess batch --help` warns that --notebook runs arbitrary code (issue 10, case 14)."""
    result = runner.invoke(app, ["batch", "--help"], env={"COLUMNS": "200"})
    assert "runs as code with your rights" in " ".join(result.stdout.split())


def test_unreachable_dask_scheduler_fails_fast(tmp_path, fixture_csv):
    """An address where no scheduler listens: one line within seconds, not a traceback after 30 s.

    Expected: DASK_TIMEOUT (5 s) in the message; port 9 (discard) on localhost has no
    scheduler.
    """
    import time

    from assessment.cli import DASK_TIMEOUT

    start = time.perf_counter()
    result = runner.invoke(app, ["batch", str(fixture_csv), "--out", str(tmp_path / "out"),
                                 "--dask-scheduler", "tcp://127.0.0.1:9"])
    line = _one_error_line(result, 1)
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:9 within {DASK_TIMEOUT} s" in line
    assert time.perf_counter() - start < 4 * DASK_TIMEOUT


def test_corrupt_xlsx_is_one_line(tmp_path):
    """A workbook with broken XML: one line naming the file, exit 1 (bad data)."""
    import zipfile

    path = tmp_path / "answers.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types><broken")
        book.writestr("xl/workbook.xml", "<workbook")
    line = _one_error_line(runner.invoke(app, ["validate", str(path)]), 1)
    assert f"{path}: this is not a readable XLSX file" in line


def test_unexpected_error_is_one_line_and_debug_shows_it(fixture_csv, monkeypatch):
    """An error nobody foresaw: one line and exit 1; `assess --debug` lets the exception through.

    Expected: the issue ('No user error ever shows a traceback (keep --debug for one)').
    """
    import assessment.core.ingest as ingest

    def broken(*args, **kwargs):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(ingest, "read_responses", broken)
    line = _one_error_line(runner.invoke(app, ["validate", str(fixture_csv)]), 1)
    assert "RuntimeError: something unforeseen" in line and "--debug" in line
    result = runner.invoke(app, ["--debug", "validate", str(fixture_csv)])
    assert isinstance(result.exception, RuntimeError)


def test_ctrl_c_is_one_line(fixture_csv, monkeypatch):
    """Ctrl-C during a command: one line, exit 130 (128 + SIGINT), no traceback."""
    import assessment.core.ingest as ingest

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "read_responses", interrupted)
    line = _one_error_line(runner.invoke(app, ["validate", str(fixture_csv)]), 130)
    assert "interrupted" in line


def test_warnings_do_not_fail_a_clean_file(tmp_path, alignment, disciplines):
    """Repaired lines, stripped format characters and look-alike names are warnings: exit 0.

    Expected: every row is accepted (12 rows), so validate exits 0 as before; each warning
    is printed once as 'warning: …'.
    """
    rows = (full_rows(alignment, disciplines, "Café Noord", 4, seed=60)
            + full_rows(alignment, disciplines, "CafÃ© Noord", 4, seed=61)
            + full_rows(alignment, disciplines, "Acme\u200b BV", 4, seed=62))
    path = tmp_path / "warn.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    result = runner.invoke(app, ["validate", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.stderr
    assert "12 rows, all accepted; 2 warning(s); 3 organisation(s)" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2
    assert "U+200B ZERO WIDTH SPACE" in warnings[0] and "look alike" in warnings[1]


def test_personal_data_in_comments_is_redacted(tmp_path, alignment, disciplines):
    """Issue 10, case 5: validate lists what it would redact; the report shows labels, not values.

    Expected from the issue: `validate` names row, column and kind, never the value; the
    report (default --comments redacted) holds no e-mail address, phone number or name
    from the comments, shows `[e-mail]`, `[telefoonnummer]` and `[naam]` (Dutch report),
    its privacy note says what was done, and respondent ids (e-mail addresses here) appear
    nowhere, also not in the data-quality appendix's reasons (a duplicate id, as pseudonym).
    """
    rows = full_rows(alignment, disciplines, "Acme", 6)
    for k, row in enumerate(rows):
        row["respondent_id"] = f"person{k}@acme.nl"
        row["Naam"] = f"Medewerker{k} Jansen{k}"
        row["LOY-nps"] = 7
        row["LOY-improve"] = ""
    rows[0]["LOY-improve"] = "Bel mij (Medewerker0) op 06-12345678 of mail mij@prive.nl"
    rows.append({**rows[1]})  # a duplicate respondent: rejected, its id in the reason
    path = tmp_path / "acme.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    result = runner.invoke(app, ["validate", str(path)])
    out = " ".join(result.output.split())
    assert "row 2, column LOY-improve: name" in out and "phone" in out and "email" in out
    assert "06-12345678" not in out and "mij@prive.nl" not in out
    result = runner.invoke(app, ["report", str(path), "--org", "Acme", "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "acme.html").read_text(encoding="utf-8")
    for secret in ("06-12345678", "mij@prive.nl", "Medewerker0", "@acme.nl"):
        assert secret not in html
    for label in ("[e-mail]", "[telefoonnummer]", "[naam]", "Privacy:"):
        assert label in html
    result = runner.invoke(app, ["report", str(path), "--org", "Acme", "--out",
                                 str(tmp_path / "out"), "--comments", "wrong"])
    assert result.exit_code == 2


def test_score_on_a_dask_cluster_writes_the_same_file(tmp_path):
    """Issue 13: `assess score --dask-scheduler` on a LocalCluster writes the same file.

    Expected: the file `assess score` writes here, byte for byte (same figures, same order).
    """
    from distributed import LocalCluster

    from assessment.core.config import EXAMPLE_RESPONSES

    here, there = tmp_path / "here.csv", tmp_path / "there.csv"
    result = runner.invoke(app, ["score", str(EXAMPLE_RESPONSES), "--out", str(here)])
    assert result.exit_code == 0, result.stderr
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        result = runner.invoke(app, ["score", str(EXAMPLE_RESPONSES), "--out", str(there),
                                     "--dask-scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.stderr
    assert there.read_bytes() == here.read_bytes()
    assert "respondents scored" in result.stdout


def test_score_with_worker_processes_writes_the_same_file(tmp_path, monkeypatch):
    """Issue 13: `assess score --jobs 2` (a local process pool) writes the same file.

    The pool starts only for files of more organisations than one part holds; the part is
    made 3 organisations here so the 10-organisation example file uses it.
    Expected: the file `assess score --jobs 1` writes, byte for byte.
    """
    import assessment.cli as cli
    from assessment.core.config import EXAMPLE_RESPONSES

    monkeypatch.setattr(cli, "PART_ORGANISATIONS", 3)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    result = runner.invoke(app, ["score", str(EXAMPLE_RESPONSES), "--out", str(one),
                                 "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["score", str(EXAMPLE_RESPONSES), "--out", str(two),
                                 "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    assert two.read_bytes() == one.read_bytes()
    assert "10 organisation(s)" in result.stdout
    result = runner.invoke(app, ["score", str(EXAMPLE_RESPONSES), "--out", str(two),
                                 "--jobs", "-1"])
    assert result.exit_code == 2


def test_score_and_template_do_not_overwrite_without_force(tmp_path, fixture_csv):
    """An existing --out is refused (exit 2, file untouched) unless --force is given.

    Expected (the README's "nothing overwritten"): the file keeps the bytes written before
    it; with --force it holds the scores (its header starts with ``organisation``).
    """
    for args in (["score", str(fixture_csv)], ["template", "--instrument", "alignment"]):
        out = tmp_path / f"{args[0]}.csv"
        out.write_text("keep me\n", encoding="utf-8")
        result = runner.invoke(app, [*args, "--out", str(out)])
        assert result.exit_code == 2
        assert "exists" in result.stderr and "--force" in result.stderr
        assert out.read_text(encoding="utf-8") == "keep me\n"
        result = runner.invoke(app, [*args, "--out", str(out), "--force"])
        assert result.exit_code == 0, result.stderr
        assert out.read_text(encoding="utf-8") != "keep me\n"


def _bad_row_file(tmp_path, fixture_csv, alignment):
    """The fixture with a 7 on a 1–4 item (row 2) and a row without organisation (row 5)."""
    frame = pd.read_csv(fixture_csv)
    frame.loc[0, alignment.items[0].id] = 7
    frame.loc[3, "organisation"] = None
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    return bad


def test_validate_bad_row_in_english_as_before(tmp_path, fixture_csv, alignment):
    """With ASSESS_LANG=en the problems read exactly as before the Dutch messages (exit 1).

    Expected: the stderr of `assess validate` on this file from the main branch before this
    change (run by hand, byte for byte).
    """
    bad = _bad_row_file(tmp_path, fixture_csv, alignment)
    item = alignment.items[0].id
    result = runner.invoke(app, ["validate", str(bad)], env={"ASSESS_LANG": "en"})
    assert result.exit_code == 1
    assert result.stderr == (
        f"warning: {bad}, row 2, column {item}: '7' is not an answer on this item (1–4, an "
        "option text or \"don't know\"); the answer is ignored\n"
        f"{bad}, row 5, column organisation: row rejected: no organisation given\n"
        f"error: 1 problem(s) in {bad}: 14 rows, 13 accepted, 1 rejected; 1 warning(s)\n")


def test_validate_bad_row_in_dutch(tmp_path, fixture_csv, alignment):
    """With ASSESS_LANG=nl the same problems in Dutch: file, "rij", "kolom" and the value (exit 1).

    Expected: the English lines above in the words of locales/cli.yaml and ingest.yaml.
    """
    bad = _bad_row_file(tmp_path, fixture_csv, alignment)
    item = alignment.items[0].id
    result = runner.invoke(app, ["validate", str(bad)], env={"ASSESS_LANG": "nl"})
    assert result.exit_code == 1
    assert result.stderr == (
        f"waarschuwing: {bad}, rij 2, kolom {item}: '7' is geen antwoord op deze vraag (1–4, de "
        "tekst van een antwoord of \"weet ik niet\"); het antwoord wordt genegeerd\n"
        f"{bad}, rij 5, kolom organisation: rij afgewezen: geen organisatie ingevuld\n"
        f"fout: problemen in {bad}: 1; 14 rijen, 13 geaccepteerd, 1 afgewezen; "
        "1 waarschuwing(en)\n")


def test_validate_clean_file_in_dutch(fixture_csv):
    """The summary and the table headings of a clean file in Dutch, no English word left (exit 0).

    Expected: the fixture's 14 rows of two organisations; headings from locales/cli.yaml.
    """
    result = runner.invoke(app, ["validate", str(fixture_csv)], env={"ASSESS_LANG": "nl"},
                           terminal_width=200)
    assert result.exit_code == 0, result.stderr
    assert (f"{fixture_csv}: 14 rijen, alle geaccepteerd; 2 organisatie(s); vragenlijsten: "
            "alignment, value_disciplines") in result.stdout
    for heading in ("organisatie", "meting", "totaal"):
        assert heading in result.stdout
    for english in ("rows", "accepted", "organisation", "wave", "total", "instruments"):
        assert english not in result.stdout.replace(str(fixture_csv), "")


def test_refusal_to_overwrite_in_dutch(tmp_path, fixture_csv):
    """An existing --out is refused in Dutch too, with exit 2, the file untouched.

    Expected: locales/cli.yaml's cli_exists and cli_see_help.
    """
    for args in (["score", str(fixture_csv)], ["template", "--instrument", "alignment"]):
        out = tmp_path / f"{args[0]}.csv"
        out.write_text("keep me\n", encoding="utf-8")
        result = runner.invoke(app, [*args, "--out", str(out)], env={"ASSESS_LANG": "nl"})
        assert result.exit_code == 2
        assert result.stderr.startswith(
            f"fout: {out} bestaat al; geef een andere --out op, of voeg --force toe om het te "
            f"vervangen (zie `")
        assert out.read_text(encoding="utf-8") == "keep me\n"


def test_the_locale_decides_without_assess_lang(tmp_path):
    """Without ASSESS_LANG: LC_ALL, then LC_MESSAGES, then LANG; "nl…" is Dutch, C is English.

    Expected from the rule (README): exit 1 either way, the reason in the chosen language.
    """
    empty = tmp_path / "leeg.csv"
    empty.write_text("")
    cases = [({"LANG": "nl_NL.UTF-8"}, "fout: "),
             ({"LC_ALL": "C", "LANG": "nl_NL.UTF-8"}, "error: "),
             ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "C"}, "fout: "),
             ({"LANG": "C"}, "error: ")]
    unset = {"ASSESS_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
    for env, start in cases:
        result = runner.invoke(app, ["validate", str(empty)], env={**unset, **env})
        assert result.exit_code == 1
        assert result.stderr == start + (f"{empty}: het bestand is leeg\n" if start == "fout: "
                                         else f"{empty}: the file is empty\n"), env


def test_an_explicit_lang_wins(tmp_path):
    """A --lang given on the command line sets the messages' language over ASSESS_LANG.

    The default --lang (nl for reports) does not. Expected from the rule (README).
    """
    out = tmp_path / "t.csv"
    out.write_text("keep me\n", encoding="utf-8")
    args = ["template", "--instrument", "alignment", "--out", str(out)]
    said = {lang: runner.invoke(app, [*args, "--lang", lang], env={"ASSESS_LANG": other})
            for lang, other in (("en", "nl"), ("nl", "en"))}
    assert said["en"].stderr.startswith(f"error: {out} exists;")
    assert said["nl"].stderr.startswith(f"fout: {out} bestaat al;")
    default = runner.invoke(app, args, env={"ASSESS_LANG": "en"})
    assert default.stderr.startswith(f"error: {out} exists;")
    assert {r.exit_code for r in (*said.values(), default)} == {2}


def test_assess_lang_other_than_nl_or_en_is_one_line(tmp_path, fixture_csv):
    """ASSESS_LANG=fr: one error line naming it (exit 2), in the locale's language.

    An explicit --lang does not read it. Expected: locales/cli.yaml's cli_bad_lang_env.
    """
    result = runner.invoke(app, ["validate", str(fixture_csv)],
                           env={"ASSESS_LANG": "fr", "LC_ALL": None, "LANG": "C"})
    assert result.exit_code == 2
    assert result.stderr == "error: $ASSESS_LANG must be nl or en, got 'fr'\n"
    result = runner.invoke(app, ["validate", str(fixture_csv)],
                           env={"ASSESS_LANG": "fr", "LC_ALL": None, "LANG": "nl_NL.UTF-8"})
    assert result.stderr == "fout: $ASSESS_LANG moet nl of en zijn, niet 'fr'\n"
    out = tmp_path / "t.csv"
    result = runner.invoke(app, ["template", "--instrument", "alignment", "--lang", "en",
                                 "--out", str(out)], env={"ASSESS_LANG": "fr"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {out}\n"


def test_help_states_the_language_rule():
    """`assess --help` says how the language of the messages is chosen (the brief)."""
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "$ASSESS_LANG" in result.stdout and "LC_MESSAGES" in result.stdout


def test_a_folder_instead_of_a_file_in_dutch(tmp_path):
    """A folder given as the responses file: exit 2 and the reason in Dutch.

    Expected: locales/cli.yaml's cli_invalid_value with cli_argument_responses and files_*.
    """
    result = runner.invoke(app, ["validate", str(tmp_path)], env={"ASSESS_LANG": "nl"})
    assert result.exit_code == 2
    assert result.stderr.startswith(f"fout: Ongeldige waarde voor 'antwoordenbestand': "
                                    f"{tmp_path}: dit is een map, geen bestand (zie `")
    result = runner.invoke(app, ["validate", str(tmp_path)], env={"ASSESS_LANG": "en"})
    assert result.stderr.startswith(f"error: Invalid value for 'responses': {tmp_path}: this is "
                                    "a folder, not a file (see `")


def test_report_does_not_replace_an_earlier_report_without_force(tmp_path, fixture_csv):
    """`assess report` refuses (exit 2) when the organisation's report is in --out already.

    Expected (the README's "nothing overwritten", as for score and template): the earlier
    HTML keeps its bytes, the message names it and --force, and no notebook is written
    (the check comes before a kernel starts); with --force the report is rendered.
    """
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "fixture-bv.html"
    earlier.write_text("the report the client has\n", encoding="utf-8")
    args = ["report", str(fixture_csv), "--org", "Fixture BV", "--out", str(out), "--lang", "en"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.split())
    assert "fixture-bv.html exists" in message and "--force" in message
    assert earlier.read_text(encoding="utf-8") == "the report the client has\n"
    assert not (out / "fixture-bv.ipynb").exists()
    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert "<html" in earlier.read_text(encoding="utf-8")
    assert (out / "fixture-bv.ipynb").exists()


def test_report_refuses_an_earlier_report_in_dutch(tmp_path, fixture_csv):
    """The refusal to replace an organisation's report, in Dutch (exit 2, file untouched).

    Expected: locales/cli.yaml's error_output_exists; the check comes before a kernel starts.
    """
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "fixture-bv.html"
    earlier.write_text("the report the client has\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(fixture_csv), "--org", "Fixture BV", "--out",
                                 str(out)], env={"ASSESS_LANG": "nl"})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"fout: {earlier} bestaat al; geef een andere --out op, of "
                                    "voeg --force toe om het te vervangen (zie `")
    assert earlier.read_text(encoding="utf-8") == "the report the client has\n"


def test_unknown_instrument_in_dutch(tmp_path):
    """`assess template` with an unknown instrument names it and the bundled ones in Dutch (exit 1).

    Expected: locales/cli.yaml's error_no_instrument; the bundled instruments are the three
    files in assessment/instruments.
    """
    result = runner.invoke(app, ["template", "--instrument", "nope", "--out",
                                 str(tmp_path / "t.csv")], env={"ASSESS_LANG": "nl"})
    assert result.exit_code == 1
    assert result.stderr == ("fout: er is geen vragenlijst 'nope'; meegeleverde vragenlijsten: "
                             "alignment, customer_loyalty, value_disciplines\n")


def test_terminal_sequences_from_a_file_are_shown_not_run(tmp_path, fixture_csv):
    """ESC sequences in a file's names and headers never reach the terminal as ESC.

    Expected (README, "Hostile content stays text"): the organisation name loses its ESC
    and BEL at reading (a warning names U+001B); a header, kept as the file has it, is
    shown as backslash, x, 1, b (written out); no raw ESC (0x1B) or BEL (0x07) is printed.
    """
    frame = pd.read_csv(fixture_csv, dtype=str, keep_default_na=False)
    frame.loc[frame["organisation"] == "Fixture BV", "organisation"] = (
        "Fixture\x1b]52;c;SGk=\x07 BV\x1b[2J")
    frame = frame.rename(columns={frame.columns[-1]: "extra\x1b[31m"})
    path = tmp_path / "esc.csv"
    frame.to_csv(path, index=False)
    result = runner.invoke(app, ["validate", str(path)])
    printed = result.stdout + result.stderr
    assert "\x1b" not in printed and "\x07" not in printed
    assert "U+001B ESCAPE" in printed
    assert "extra\\x1b[31m" in printed


# --help and click's usage errors in Dutch or English


def _assess(*args: str, lang: str) -> subprocess.CompletedProcess:
    """Run `assess` in a new process with ASSESS_LANG=lang (the help texts are taken at import)."""
    env = {**os.environ, "ASSESS_LANG": lang, "COLUMNS": "200",
           "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run([sys.executable, "-c", "from assessment.cli import app; app()", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_every_help_text_is_in_both_languages_and_used():
    """Each key of locales/help.yaml has a Dutch and an English text; cli.py uses each one.

    Expected (the brief): the same keys in both languages, none empty, and the keys cli.py
    looks up (`_H["…"]`) exactly the keys of the file, so no help text is left in the code.
    """
    from assessment import cli

    nl, en = cli.help_texts("nl"), cli.help_texts("en")
    assert nl.keys() == en.keys()
    for key in ("lang", "db", "responses", "cmd_report", "help_option"):
        assert nl[key] != en[key], key
    assert all(text.strip() for text in [*nl.values(), *en.values()])
    used = set(re.findall(r'_H\["(\w+)"\]', Path(cli.__file__).read_text(encoding="utf-8")))
    typer_words = {key for key in cli._TYPER_WORDS.values()}
    assert used | typer_words == set(en), set(en) ^ (used | typer_words)
    assert 'help="' not in Path(cli.__file__).read_text(encoding="utf-8")


def test_english_help_texts_are_the_docstrings_and_the_old_texts():
    """The English help of each command is its docstring, and the options' help is unchanged.

    Expected: inspect.getdoc of each command function (what typer showed before); the
    option texts as they were written in cli.py before this change.
    """
    import inspect

    from assessment import cli

    en = cli.help_texts("en")
    commands = {"instruments": cli.instruments, "template": cli.template,
                "validate": cli.validate, "score": cli.score, "report": cli.report,
                "batch": cli.batch, "store": cli.store, "norms": cli.norms, "forget": cli.forget,
                "salt": cli.salt, "class_serve": cli.class_serve,
                "class_status": cli.class_status_cmd, "class_collect": cli.class_collect}
    for name, function in commands.items():
        assert en[f"cmd_{name}"] == inspect.getdoc(function), name
    assert en["lang"] == "Report language: nl or en."
    assert en["responses"] == "CSV or XLSX responses file."
    assert en["help_option"] == "Show this message and exit."


def test_help_language_follows_the_environment_not_lang():
    """The help language: $ASSESS_LANG, else the locale; a bad $ASSESS_LANG gives English.

    Expected from the rule (README, "The `assess` command"); --lang cannot count: typer
    takes the help texts when the module is imported.
    """
    from assessment.cli import help_lang

    assert help_lang({"ASSESS_LANG": "nl", "LANG": "C"}) == "nl"
    assert help_lang({"LC_MESSAGES": "nl_NL.UTF-8"}) == "nl"
    assert help_lang({"ASSESS_LANG": "en", "LANG": "nl_NL.UTF-8"}) == "en"
    assert help_lang({"ASSESS_LANG": "fr", "LANG": "nl_NL.UTF-8"}) == "en"
    assert help_lang({}) == "en"


def test_help_in_dutch_and_in_english():
    """`assess --help` and `assess report --help` in Dutch with ASSESS_LANG=nl, English with en.

    Expected: the Dutch texts of locales/help.yaml (typer's own words too: "Gebruik:",
    "Opties", "[verplicht]", the --help option), no English help text of these pages left;
    with en the English texts as before (they are the old ones, see the test above).
    """
    from assessment.cli import help_texts

    en = help_texts("en")
    for args in (["--help"], ["report", "--help"]):
        dutch = _assess(*args, lang="nl")
        english = _assess(*args, lang="en")
        assert dutch.returncode == english.returncode == 0, dutch.stderr + english.stderr
        flat_nl, flat_en = (" ".join(r.stdout.replace("│", " ").split())
                            for r in (dutch, english))
        assert "Gebruik:" in flat_nl and "Opties" in flat_nl and "Toon deze hulp en stop." in flat_nl
        for english_word in ("Usage:", "Options", "Show this message", "[default:", "[required]",
                             "Commands", "Arguments"):
            assert english_word not in flat_nl, english_word
        assert "Usage:" in flat_en and "Show this message and exit." in flat_en
    report_nl = " ".join(_assess("report", "--help", lang="nl").stdout.replace("│", " ").split())
    for key in ("report_org", "report_out", "lang", "report_wave", "min_group_size", "sector",
                "comments", "target_stages", "norms", "report_force", "responses", "cmd_report"):
        assert " ".join(en[key].split()) not in report_nl, key
    for dutch_text in ("Organisatie, zoals ze in het bestand heet.", "Taal van het rapport",
                       "[verplicht]", "[standaard: nl]", "Argumenten"):
        assert dutch_text in report_nl, dutch_text
    report_en = " ".join(_assess("report", "--help", lang="en").stdout.replace("│", " ").split())
    assert "Organisation as named in the file. [required]" in report_en
    assert "Report language: nl or en. [default: nl]" in report_en


CLICK_ERRORS = [
    # (arguments, Dutch message, English message as click writes it)
    (["report", "{csv}"], "Optie '--org' ontbreekt.", "Missing option '--org'."),
    (["validate"], "Argument 'antwoordenbestand' ontbreekt.", "Missing argument 'responses'."),
    (["validate", "{csv}", "--nope"], "Onbekende optie: --nope", "No such option: --nope"),
    (["score", "{csv}", "--ot", "x.csv"],
     "Onbekende optie: --ot (mogelijke opties: --jobs, --out)",
     "No such option: --ot (Possible options: --jobs, --out)"),
    (["score", "{csv}", "--out", "{tmp}/s.csv", "--jobs", "abc"],
     "Ongeldige waarde voor '--jobs': 'abc' is geen geheel getal",
     "Invalid value for '--jobs': Input should be a valid integer, unable to parse string as "
     "an integer"),
    (["validate", "{csv}", "extra"], "Onverwacht(e) extra argument(en): extra",
     "Got unexpected extra argument(s) (extra)"),
    (["nope"], "Onbekende opdracht 'nope'.", "No such command 'nope'."),
]


@pytest.mark.parametrize("args, dutch, english", CLICK_ERRORS)
def test_click_usage_errors_in_dutch(tmp_path, fixture_csv, args, dutch, english):
    """Click's own usage errors in Dutch with ASSESS_LANG=nl, as before in English; exit 2.

    Expected: the English lines `assess` printed before this change (run by hand on the main
    branch), and their Dutch texts in locales/cli.yaml (cli_missing_*, cli_no_such_option, …).
    """
    args = [a.format(csv=fixture_csv, tmp=tmp_path) for a in args]
    said = {lang: runner.invoke(app, args, env={"ASSESS_LANG": lang}) for lang in ("nl", "en")}
    assert said["nl"].exit_code == said["en"].exit_code == 2
    assert said["nl"].stderr.startswith(f"fout: {dutch} (zie `"), said["nl"].stderr
    assert said["en"].stderr.startswith(f"error: {english} (see `"), said["en"].stderr


def test_click_errors_without_a_context_and_of_assess_itself_in_dutch(fixture_csv):
    """An option without its value, and an unknown option of `assess` itself, in Dutch (exit 2).

    Expected: click's "Option '--out' requires an argument." (said without a help hint, as
    before) and "No such option: --nope" (in typer's panel), in the words of locales/cli.yaml.
    """
    said = {lang: runner.invoke(app, ["score", str(fixture_csv), "--out"],
                                env={"ASSESS_LANG": lang}) for lang in ("nl", "en")}
    assert said["nl"].stderr == "fout: Optie '--out' heeft een waarde nodig.\n"
    assert said["en"].stderr == "error: Option '--out' requires an argument.\n"
    said = {lang: runner.invoke(app, ["--nope"], env={"ASSESS_LANG": lang})
            for lang in ("nl", "en")}
    assert "Onbekende optie: --nope" in said["nl"].stderr
    assert "No such option: --nope" in said["en"].stderr
    assert {r.exit_code for r in said.values()} == {2}


def test_a_group_without_its_command_shows_its_help_only():
    """`assess class` without a command shows the group's help and exits 2, no empty error line.

    Expected: click's no_args_is_help (exit 2); before, an "error:  (see …)" line followed.
    """
    result = runner.invoke(app, ["class"])
    assert result.exit_code == 2
    assert "error" not in result.stderr
    assert "serve" in result.stdout
