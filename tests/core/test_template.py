"""Fill-in templates: the right columns, drop-downs, an explanation sheet, and they read back."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from assessment.core.ingest import read_responses
from assessment.core.template import template_columns, write_template


def test_xlsx_template(tmp_path, alignment):
    """XLSX: header row = respondent columns + item ids; a list validation per item; explanation sheet."""
    path = write_template(alignment, tmp_path / "answers.xlsx", lang="nl")
    wb = load_workbook(path)
    ws = wb["responses"]
    header = [c.value for c in ws[1]]
    assert header == template_columns(alignment)
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"1,2,3,4"' in formulas
    assert len(ws.data_validations.dataValidation) == len(alignment.items) + 1  # + department
    help_ws = wb["Uitleg"]
    texts = [r[1] for r in help_ws.iter_rows(min_row=4, values_only=True)]
    assert texts[0] == alignment.items[0].text.nl


def test_english_explanation(tmp_path, disciplines):
    """The explanation sheet follows --lang and lists the likert labels."""
    wb = load_workbook(write_template(disciplines, tmp_path / "vd.xlsx", lang="en"))
    rows = list(wb["Explanation"].iter_rows(min_row=4, values_only=True))
    assert "5 = Strongly agree" in rows[0][2]


def test_filled_template_reads_back(tmp_path, alignment):
    """A template filled in by hand reads back without problems (same YAML drives both)."""
    path = write_template(alignment, tmp_path / "answers.xlsx")
    wb = load_workbook(path)
    ws = wb["responses"]
    ws.append(["r1", "Klant BV", "sales", "", "nl", *([2] * len(alignment.items))])
    wb.save(path)
    r = read_responses(path, [alignment])
    assert r.problems == [] and len(r.data) == 1


def test_csv_template(tmp_path, alignment):
    """CSV: just the header row."""
    path = write_template(alignment, tmp_path / "answers.csv")
    assert list(pd.read_csv(path).columns) == template_columns(alignment)


def test_bad_suffix(tmp_path, alignment):
    """Only .xlsx and .csv are written."""
    with pytest.raises(ValueError, match="must end in .xlsx or .csv"):
        write_template(alignment, tmp_path / "answers.pdf")
