"""Hostile client files through the whole tool: validate → score → batch (issue 10, "Done when").

Hypothesis generates organisation names, department names, comments and answer cells of the
kinds survey exports bring (markup, formulas, format characters, non-Latin scripts, paths,
personal data, nonsense answers). Whatever the file holds, the commands must end in a
known way (exit 0 or 1, never a traceback), write nothing outside ``--out``, give every
organisation its own report, write no cell a spreadsheet would run, and show no e-mail
address or phone number in anything a client receives.
"""

from __future__ import annotations

import csv
import re
import string

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from assessment.cli import app
from assessment.core.instruments import load_instrument
from tests.conftest import full_rows

ALIGNMENT, DISCIPLINES = load_instrument("alignment"), load_instrument("value_disciplines")
#: a spreadsheet reads these as numbers, not formulas: left as they are (csv_text's rule)
NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")

runner = CliRunner()

#: fragments that broke or leaked something in the past (issue 10's list)
NASTY = ["[/]", "[bold]", "=1+1", "+31", "-x", "@SUM(A1)", "\t", "$x$", "a/b", "../..", "index",
         "\u200b", "\u202e", "Ω", "Альфа", "CafÃ©", "Café", "<script>", "&amp;", "🙂", " "]
PERSONAL = ["jan.devries@example.nl", "06-12345678", "+31 6 1234 5678", "NL91ABNA0417164300"]
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}")  # bounded: linear on long text
#: a Dutch phone number as written, not digits inside a decimal such as 0.0683876505
PHONE = re.compile(r"(?<![\w.,])(?:\+31|0031|06)[\s-]?\d(?:[\s-]?\d){7,8}(?!\d)")

names = st.lists(st.sampled_from(NASTY) | st.text(string.ascii_letters + " &/_-.", max_size=8),
                 min_size=1, max_size=4).map("".join)
comments = st.lists(st.sampled_from(NASTY + PERSONAL) | st.text(max_size=12),
                    max_size=4).map(" ".join)
answers = st.sampled_from(["", "1", "4", "7", "1e1", "nee", "=2", "3,0", "Helemaal mee eens"])


def _file(tmp_path, orgs, comment, answer):
    rows = []
    for k, org in enumerate(orgs):
        for r in full_rows(ALIGNMENT, DISCIPLINES, f"{org}{k}" if not org.strip() else org, 4,
                           seed=k):
            r["LOY-improve"] = comment
            rows.append(r)
    rows[0][ALIGNMENT.items[0].id] = answer
    path = tmp_path / "hostile.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _client_text(folder) -> str:
    """The HTML and CSV text a client receives, charts' base64 data left out (no free text)."""
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in folder.rglob("*") if p.is_file() and p.suffix in {".html", ".csv"})
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", text)


def _no_formula_cells(path) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            for cell in row:
                assert not (cell[:1] in ("=", "+", "-", "@", "\t", "\r")
                            and not NUMBER.fullmatch(cell)), cell


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(orgs=st.lists(names, min_size=1, max_size=3), comment=comments, answer=answers)
def test_validate_and_score_survive_hostile_files(tmp_path_factory, orgs, comment, answer):
    """Validate and score end with exit 0 or 1 and one clear message; score's CSV is inert.

    Expected (issue 10): no traceback for a user's file; no raw formula cell in a CSV; no
    file written but the one asked for.
    """
    tmp = tmp_path_factory.mktemp("hostile")
    path = _file(tmp, orgs, comment, answer)
    before = {p.name for p in tmp.iterdir()}
    for args in (["validate", str(path)], ["score", str(path), "--out", str(tmp / "s.csv")]):
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
    assert {p.name for p in tmp.iterdir()} - before <= {"s.csv"}
    if (tmp / "s.csv").exists():
        _no_formula_cells(tmp / "s.csv")


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(orgs=st.lists(names, min_size=2, max_size=3, unique_by=str.casefold),
       comment=st.sampled_from(PERSONAL).map(lambda p: f"bel me: {p} [/] =1+1"))
def test_batch_survives_hostile_files(tmp_path_factory, orgs, comment):
    """A batch of hostile names and comments: one report each, inside --out, nothing personal.

    Expected (issue 10): every organisation in scores.csv has its own HTML report; the batch
    writes nothing beside --out; no e-mail address or phone number pattern in any HTML or
    CSV a client receives (comments are redacted by default); no raw formula in scores.csv.
    Calls run_batch, as `assess batch` does.
    """
    from assessment.batch.run import run_batch

    tmp = tmp_path_factory.mktemp("hostile-batch")
    path = _file(tmp, orgs, comment, "4")
    out = tmp / "out"
    summary = run_batch(path, out, jobs=2, lang="en")
    assert summary.count("failed") == 0, summary.failed
    assert {p.name for p in tmp.iterdir()} == {"hostile.csv", "out"}
    scores = pd.read_csv(out / "scores.csv", keep_default_na=False)
    reports = [p for p in out.glob("*.html") if p.stem not in ("index", "cohort_overview")]
    assert len(reports) == scores["organisation"].nunique()
    text = _client_text(out)
    assert not EMAIL.search(text) and not PHONE.search(text)
    _no_formula_cells(out / "scores.csv")
