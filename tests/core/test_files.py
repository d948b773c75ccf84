"""Tests for assessment.core.files: atomic writes and the XLSX writer."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from assessment.analysis.whole_file import analyse
from assessment.core.config import EXAMPLE_RESPONSES
from assessment.core.files import write_atomic, xlsx_bytes
from assessment.core.ingest import read_responses


@pytest.fixture(scope="module")
def mixed() -> pd.DataFrame:
    """Every kind of column the scores table has, with missing values in each."""
    return pd.DataFrame({
        "organisation": pd.array(["Alfa", "=SUM(A1:A2)", None], dtype="string"),
        "code": ["007", "http://example.org", "1e3"],
        "score": [2.25, np.nan, -0.5],
        "n": pd.array([3, None, 12], dtype="Int64"),
        "count": np.array([1, 2, 3], dtype="int64"),
        "significant": pd.array([True, None, False], dtype="boolean"),
        "flag": [True, False, True],
    })


def test_xlsx_reads_back_as_pandas_own_writer(mixed):
    """Openpyxl reads the same values from ours as from DataFrame.to_excel (the reference).

    Without the formula-like text: pandas writes that as a formula (see the next test).
    """
    plain = mixed.replace("=SUM(A1:A2)", "Bravo")
    ours = pd.read_excel(io.BytesIO(xlsx_bytes(plain, "scores")))
    buffer = io.BytesIO()
    plain.to_excel(buffer, sheet_name="scores", index=False)
    pd.testing.assert_frame_equal(ours, pd.read_excel(buffer))


def test_xlsx_keeps_text_as_text_and_missing_as_empty(mixed):
    """Text that looks like a formula, URL or number stays a string cell; NA is an empty cell.

    Expected: the cells as written in the fixture (openpyxl gives None for an empty cell).
    """
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(mixed, "scores")))
    ws = book["scores"]
    assert ws.title == "scores"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(mixed.columns)
    assert rows[1] == ("Alfa", "007", 2.25, 3, 1, True, True)
    assert rows[2] == ("=SUM(A1:A2)", "http://example.org", None, None, 2, None, False)
    assert rows[3] == (None, "1e3", -0.5, 12, 3, False, True)
    assert ws["B2"].data_type == "s" and ws["A3"].data_type == "s"
    assert ws["A1"].font.b and ws.freeze_panes == "A2"


def test_xlsx_of_the_example_scores_equals_pandas():
    """The example file's full analysis (1,000+ rows, 38 columns) reads back as pandas' own."""
    r = read_responses(EXAMPLE_RESPONSES)
    scores = analyse(r.data, r.instruments, min_group_size=3)
    buffer = io.BytesIO()
    scores.to_excel(buffer, sheet_name="scores", index=False)
    pd.testing.assert_frame_equal(pd.read_excel(io.BytesIO(xlsx_bytes(scores, "scores"))),
                                  pd.read_excel(buffer))


def test_write_atomic_replaces_whole_and_leaves_no_temporary(tmp_path):
    """The file holds the new content only; no temporary file is left in the folder."""
    target = tmp_path / "out" / "scores.csv"
    write_atomic(target, "old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["scores.csv"]
