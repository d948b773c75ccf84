"""Reading responses: every format of DESIGN 4 and each kind of bad input, with its message."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from assessment.core.exceptions import ResponsesError
from assessment.core.ingest import read_responses, read_table
from tests.conftest import full_rows


@pytest.fixture
def rows(alignment, disciplines):
    return full_rows(alignment, disciplines, "Fixture BV", 6, seed=3)


def _write_csv(path, frame, sep=",", encoding="utf-8"):
    path.write_bytes(frame.to_csv(index=False, sep=sep).encode(encoding))
    return path


@pytest.mark.parametrize(
    ("sep", "encoding", "suffix"),
    [
        (",", "utf-8", ".csv"),
        (";", "utf-8", ".csv"),
        (",", "utf-8-sig", ".csv"),
        (";", "cp1252", ".csv"),
        (",", None, ".xlsx"),
    ],
)
def test_every_format_reads_the_same(tmp_path, rows, sep, encoding, suffix):
    """Comma/semicolon CSV in UTF-8, UTF-8 with BOM, cp1252, and XLSX give identical data."""
    frame = pd.DataFrame(rows)
    frame.loc[0, "organisation"] = "Café Zoë"  # a non-ASCII name survives every encoding
    path = tmp_path / f"answers{suffix}"
    if suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        _write_csv(path, frame, sep, encoding)
    r = read_responses(path)
    assert r.problems == []
    assert len(r.data) == 6
    assert r.data.loc[0, "organisation"] == "Café Zoë"
    reference = read_responses(_write_csv(tmp_path / "ref.csv", frame))
    pd.testing.assert_frame_equal(r.data, reference.data)


def test_headers_by_question_text_and_answers_by_option_text(tmp_path, alignment, disciplines):
    """Forms exports: question texts as headers (either language, any case, curly quotes), option texts as answers."""
    st = alignment.items[0]
    lk = disciplines.scored_items[0]
    ch = disciplines.item("VD-declared")
    frame = pd.DataFrame(
        {
            "Organisatie": ["A", "A", "A"],
            "Afdeling": ["Verkoop", "Klantenservice", "Directie"],
            "respondent": ["1", "2", "3"],
            st.text.nl.upper().replace("'", "’"): [
                st.options[2].nl,
                "  " + st.options[0].en.lower(),
                "4",
            ],
            "  " + lk.text.en + " ": ["Helemaal mee eens", "strongly disagree", "3"],
            ch.text.nl: [ch.options[1].nl, ch.options[0].en, "product_leadership"],
        }
    )
    r = read_responses(_write_csv(tmp_path / "forms.csv", frame))
    assert r.problems == []
    assert r.data[st.id].tolist() == [3, 1, 4]
    assert r.data[lk.id].tolist() == [5, 1, 3]
    assert r.data["VD-declared"].tolist() == [
        ch.options[1].value,
        ch.options[0].value,
        "product_leadership",
    ]
    assert r.data["department"].tolist() == ["sales", "service", "management"]


def test_form_metadata_recognised_and_personal_data_dropped(tmp_path, rows):
    """Microsoft Forms columns: Id serves as respondent id; Name and Email never reach the data."""
    frame = pd.DataFrame(rows).drop(columns=["respondent_id"])
    frame.insert(0, "Id", range(1, 7))
    frame.insert(1, "Start time", "1-11-2026 10:00")
    frame.insert(2, "Email", [f"p{k}@example.com" for k in range(6)])
    frame.insert(3, "Name", [f"Person {k}" for k in range(6)])
    r = read_responses(_write_csv(tmp_path / "ms.csv", frame))
    assert r.problems == []
    assert r.data["respondent_id"].tolist() == [str(k) for k in range(1, 7)]
    text = r.data.to_csv() + r.rejected.to_csv()
    assert "example.com" not in text and "Person" not in text
    assert set(r.ignored_columns) == {"Id", "Start time", "Email", "Name"}


def test_wrong_value_is_reported_with_row_and_column(tmp_path, rows, alignment):
    """A 7 on a 1–4 item: message names file, spreadsheet row (header = 1) and column; answer ignored, row kept."""
    frame = pd.DataFrame(rows)
    item = alignment.items[0].id
    frame.loc[2, item] = 7
    path = _write_csv(tmp_path / "bad.csv", frame)
    r = read_responses(path)
    assert len(r.problems) == 1
    p = r.problems[0]
    assert (p.file, p.row, p.column) == (str(path), 4, item)
    assert "'7' is not an answer on this item (1–4" in p.message
    assert str(p).startswith(f"{path}, row 4, column {item}: ")
    assert len(r.data) == 6 and pd.isna(r.data.loc[2, item])


@pytest.mark.parametrize("value", ["2.5", "0", "-1", "veel", "5"])
def test_values_outside_the_options_are_rejected(tmp_path, rows, alignment, value):
    """Non-integers, out-of-range numbers and unknown texts are not answers on a stages4 item."""
    frame = pd.DataFrame(rows).astype({alignment.items[1].id: object})
    frame.loc[0, alignment.items[1].id] = value
    r = read_responses(_write_csv(tmp_path / "bad.csv", frame))
    assert [(p.row, p.column) for p in r.problems] == [(2, alignment.items[1].id)]


def test_unknown_column(tmp_path, rows):
    """A column that is no item, question or known column is named; the rest still reads."""
    frame = pd.DataFrame(rows)
    frame["Favourite colour"] = "blue"
    r = read_responses(_write_csv(tmp_path / "extra.csv", frame))
    assert len(r.problems) == 1
    assert r.problems[0].column == "Favourite colour"
    assert "unknown column 'Favourite colour'" in r.problems[0].message
    assert len(r.data) == 6


def test_missing_organisation_value_rejects_the_row(tmp_path, rows):
    """A row without organisation is rejected with its reason; counts in = accepted + rejected."""
    frame = pd.DataFrame(rows)
    frame.loc[3, "organisation"] = ""
    r = read_responses(_write_csv(tmp_path / "noorg.csv", frame))
    assert r.rejected[["row", "reason"]].values.tolist() == [[5, "no organisation given"]]
    assert r.problems[0].row == 5 and r.problems[0].column == "organisation"
    assert r.rows_in == 6 == len(r.data) + len(r.rejected)


def test_missing_organisation_column(tmp_path, rows):
    """Without an organisation column nothing can be attributed: a clear error."""
    frame = pd.DataFrame(rows).drop(columns=["organisation"])
    with pytest.raises(ResponsesError, match="no organisation column"):
        read_responses(_write_csv(tmp_path / "nocol.csv", frame))


def test_duplicate_respondent(tmp_path, rows):
    """The second occurrence of a respondent id in the same organisation is rejected, naming the first row."""
    frame = pd.DataFrame(rows)
    frame.loc[4, "respondent_id"] = frame.loc[1, "respondent_id"]
    r = read_responses(_write_csv(tmp_path / "dup.csv", frame))
    assert len(r.rejected) == 1
    assert r.rejected.loc[0, "row"] == 6
    assert "duplicate respondent" in r.rejected.loc[0, "reason"]
    assert "also on row 3" in r.rejected.loc[0, "reason"]


def test_same_respondent_id_in_other_organisation_is_fine(tmp_path, rows):
    """Respondent ids need only be unique within an organisation (and wave)."""
    frame = pd.DataFrame(rows)
    frame.loc[4, "organisation"] = "Other BV"
    frame.loc[4, "respondent_id"] = frame.loc[1, "respondent_id"]
    assert read_responses(_write_csv(tmp_path / "ok.csv", frame)).problems == []


def test_row_without_any_answer_is_rejected(tmp_path, rows, alignment, disciplines):
    """A respondent who answered nothing is rejected, not scored as zero."""
    frame = pd.DataFrame(rows)
    for item in alignment.items + disciplines.items:
        frame[item.id] = frame[item.id].astype(object)
        frame.loc[0, item.id] = ""
    r = read_responses(_write_csv(tmp_path / "blank.csv", frame))
    assert r.rejected["reason"].tolist() == ["no answers on any scored item"]


def test_unknown_department_counts_as_other(tmp_path, rows):
    """An unknown department is reported and counted as 'other' (the row still scores)."""
    frame = pd.DataFrame(rows)
    frame.loc[0, "department"] = "Finance"
    r = read_responses(_write_csv(tmp_path / "dept.csv", frame))
    assert "'Finance' is not a department" in r.problems[0].message
    assert r.data.loc[0, "department"] == "other"


def test_empty_file(tmp_path):
    """An empty file gets a clear error."""
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ResponsesError, match="the file is empty"):
        read_responses(path)


def test_header_only(tmp_path, rows):
    """A header without answers gets a clear error."""
    path = tmp_path / "header.csv"
    path.write_text(",".join(pd.DataFrame(rows).columns) + "\n", encoding="utf-8")
    with pytest.raises(ResponsesError, match="header but no answers"):
        read_responses(path)


def test_not_a_csv_at_all(tmp_path):
    """Binary data (here a PNG signature) is refused with a message that says what to do."""
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    with pytest.raises(ResponsesError, match="not a CSV or XLSX file"):
        read_responses(path)


def test_text_without_columns(tmp_path):
    """Prose saved as .csv is not a table."""
    path = tmp_path / "notes.csv"
    path.write_text("Dear trainer\nhere are the answers\n", encoding="utf-8")
    with pytest.raises(ResponsesError, match="not a responses table"):
        read_responses(path)


def test_table_without_items(tmp_path):
    """A CSV with no item column at all points to `assess template`."""
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ResponsesError, match="assess template"):
        read_responses(path)


def test_broken_xlsx(tmp_path):
    """A file named .xlsx that is no workbook gets a clear error."""
    path = tmp_path / "answers.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ResponsesError, match="not a readable XLSX file"):
        read_responses(path)


def test_missing_file(tmp_path):
    """A path that does not exist is named."""
    with pytest.raises(ResponsesError, match="file not found"):
        read_table(tmp_path / "nope.csv")


def test_input_file_never_modified(tmp_path, rows, alignment):
    """Reading (even a file full of problems) leaves the bytes and modification time unchanged."""
    frame = pd.DataFrame(rows)
    frame.loc[0, alignment.items[0].id] = 9
    frame.loc[1, "organisation"] = ""
    path = _write_csv(tmp_path / "keep.csv", frame, ";", "cp1252")
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    read_responses(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_all_problems_at_once(tmp_path, rows, alignment):
    """Several problems in one file are all reported, in row order."""
    frame = pd.DataFrame(rows)
    frame.loc[4, alignment.items[3].id] = 0
    frame.loc[1, alignment.items[2].id] = 5
    frame["Extra"] = 1
    r = read_responses(_write_csv(tmp_path / "many.csv", frame))
    assert [(p.row, p.column) for p in r.problems] == [
        (None, "Extra"),
        (3, alignment.items[2].id),
        (6, alignment.items[3].id),
    ]


def test_organisation_spellings_are_one_organisation(tmp_path, rows):
    """'delta  BV' and 'Delta BV' are the same organisation: written as the first spelling."""
    frame = pd.DataFrame(rows)
    frame["organisation"] = ["Delta BV", "delta  bv", "DELTA BV", "Delta BV", "Delta BV", "x"]
    r = read_responses(_write_csv(tmp_path / "names.csv", frame))
    assert r.data["organisation"].tolist() == ["Delta BV"] * 5 + ["x"]
