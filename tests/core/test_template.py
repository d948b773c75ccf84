"""Fill-in templates: the right columns, drop-downs, an explanation sheet, and they read back."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from assessment.core.ingest import read_responses
from assessment.core.template import (
    TEMPLATE_SEED,
    option_order,
    presented_answers,
    template_columns,
    write_template,
)


def test_xlsx_template(tmp_path, alignment):
    """XLSX: header row = respondent columns + item ids; a list validation per item; explanation sheet."""
    path = write_template(alignment, tmp_path / "answers.xlsx", lang="nl")
    wb = load_workbook(path)
    ws = wb["responses"]
    header = [c.value for c in ws[1]]
    assert header == template_columns(alignment)
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "'lists'!$A$2:$A$6" in formulas  # the first item's 4 options + don't know
    assert len(ws.data_validations.dataValidation) == len(alignment.items) + 1  # + department
    help_ws = wb["Uitleg"]
    texts = [r[1] for r in help_ws.iter_rows(min_row=4, values_only=True)]
    assert texts[0] == alignment.items[0].text.nl


def test_drop_down_lists_hold_the_presented_texts(tmp_path, alignment):
    """The hidden list sheet holds, per item, exactly :func:`presented_answers` (the shuffled texts).

    Expected: the item's own four option texts (from the YAML) in the seeded order, then the
    scale's don't-know text; the sheet is hidden so that respondents see only the drop-down.
    """
    wb = load_workbook(write_template(alignment, tmp_path / "answers.xlsx", lang="nl"))
    lists = wb["lists"]
    assert lists.sheet_state == "hidden"
    columns = {col[0].value: [c.value for c in col[1:] if c.value is not None]
               for col in lists.iter_cols()}
    for item in alignment.scored_items:
        assert columns[item.id] == presented_answers(item, alignment, "nl")
        assert sorted(columns[item.id][:4]) == sorted(o.nl for o in item.options)
        assert columns[item.id][-1] == alignment.scale.dont_know.nl


def test_english_explanation(tmp_path, disciplines):
    """The explanation sheet follows --lang and lists the likert labels in scale order, don't know last."""
    wb = load_workbook(write_template(disciplines, tmp_path / "vd.xlsx", lang="en"))
    rows = list(wb["Explanation"].iter_rows(min_row=4, values_only=True))
    lines = rows[0][2].split("\n")
    assert lines == [f"• {lab.en}" for lab in disciplines.scale.labels] + [
        "• Don't know / not applicable"]


def test_option_order_is_a_seeded_permutation(alignment):
    """Each stages4 item's template order is a permutation of 1–4, the same for the same seed.

    Expected values: a permutation of the four levels (the YAML stores worst→best, 1..4);
    with 42 items and a uniform shuffle, P(all in stored order) = (1/24)^42, so "some item is
    not 1,2,3,4" holds for any honest shuffle; another seed gives another order somewhere.
    """
    orders = {i.id: option_order(i, alignment) for i in alignment.scored_items}
    assert all(sorted(o) == [1, 2, 3, 4] for o in orders.values())
    assert orders == {i.id: option_order(i, alignment, TEMPLATE_SEED)
                      for i in alignment.scored_items}
    shuffled = [i for i, o in orders.items() if o != [1, 2, 3, 4]]
    assert len(shuffled) > len(orders) // 2
    other = {i.id: option_order(i, alignment, seed=1) for i in alignment.scored_items}
    assert other != orders


def test_option_order_leaves_likert_and_other_items_alone(disciplines):
    """A likert5 item keeps the agreement scale's order (1..5); a choice item has no levels."""
    likert = disciplines.scored_items[0]
    assert option_order(likert, disciplines) == [1, 2, 3, 4, 5]
    assert option_order(disciplines.item("VD-declared"), disciplines) == []


def test_shuffled_template_reads_back_as_the_same_levels(tmp_path, alignment):
    """Answers picked from the shuffled drop-downs score by their text, not by their place.

    Each respondent picks, on every item, the text at one place k of the presented list; the
    expected value is the level that text has in the YAML (``option_order``), or missing for
    the don't-know text at the end (the fifth respondent; their first item gets place 0, since
    a row with only don't-knows has no answer and is rejected).
    """
    path = write_template(alignment, tmp_path / "answers.xlsx")
    wb = load_workbook(path)
    ws = wb["responses"]
    place = {k: {i.id: k for i in alignment.items} for k in range(4)}
    place[4] = {i.id: (0 if n == 0 else 4) for n, i in enumerate(alignment.items)}
    for k in range(5):
        ws.append([f"r{k}", "Klant BV", "sales", "", "nl",
                   *(presented_answers(i, alignment, "nl")[place[k][i.id]]
                     for i in alignment.items)])
    wb.save(path)
    r = read_responses(path, [alignment])
    assert r.problems == []
    for k in range(5):
        row = r.data.iloc[k]
        for item in alignment.items:
            at = place[k][item.id]
            if at < 4:
                assert row[item.id] == option_order(item, alignment)[at]
            else:
                assert pd.isna(row[item.id])
    assert len(r.dont_know) == len(alignment.items) - 1  # the fifth respondent's answers


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
