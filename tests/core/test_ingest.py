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


# issue 10: safe with any client file (cases 3, 9, 10, 14)


def _bytes_with_lines(frame, line_encodings):
    """CSV bytes in UTF-8, except the given data lines (0 = header) in another encoding."""
    lines = frame.to_csv(index=False).splitlines(keepends=True)
    return b"".join(line.encode(line_encodings.get(k, "utf-8")) for k, line in enumerate(lines))


def test_mixed_encodings_are_repaired_per_line(tmp_path, rows):
    """A UTF-8 file with two rows pasted from a cp1252 file: one organisation, a warning naming the rows.

    Expected: the cp1252 byte of 'é' is 0xE9 (Windows-1252 code chart), invalid in UTF-8,
    so exactly data lines 3 and 5 (spreadsheet rows 4 and 6) need repair; every row then
    reads 'Café Noord' and no answer is lost (problems stay empty).
    """
    frame = pd.DataFrame(rows)
    frame["organisation"] = "Café Noord"
    path = tmp_path / "mixed.csv"
    path.write_bytes(_bytes_with_lines(frame, {3: "cp1252", 5: "cp1252"}))
    r = read_responses(path)
    assert r.problems == []
    assert set(r.data["organisation"]) == {"Café Noord"} and len(r.data) == 6
    assert len(r.warnings) == 1 and r.warnings[0].message.startswith("rows 4, 6 not UTF-8")


def test_whole_cp1252_file_needs_no_warning(tmp_path, rows):
    """A file that is cp1252 throughout (Dutch Excel) is read as such, without a warning."""
    frame = pd.DataFrame(rows)
    frame["organisation"] = "Café Noord"
    r = read_responses(_write_csv(tmp_path / "win.csv", frame, ";", "cp1252"))
    assert r.warnings == [] and set(r.data["organisation"]) == {"Café Noord"}


def test_line_in_no_known_encoding_is_refused_with_its_row(tmp_path, rows):
    """A line that is neither UTF-8 nor cp1252 is refused with its row number.

    Expected: byte 0x81 is undefined in cp1252 (Windows-1252 code chart) and is no valid
    UTF-8 start byte; it sits on data line 2, spreadsheet row 3.
    """
    frame = pd.DataFrame(rows)
    frame["organisation"] = "Café Noord"
    raw = _bytes_with_lines(frame, {}).split(b"\n")
    raw[2] = raw[2].replace("é".encode(), b"\x81")
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\n".join(raw))
    with pytest.raises(ResponsesError, match=r"cannot read the text of row 3: neither UTF-8"):
        read_responses(path)


def test_near_duplicate_organisation_names_are_warned_about(tmp_path, rows):
    """Names that differ in mojibake or punctuation stay apart, with a warning naming both and their rows.

    Expected: 'CafÃ© Noord' is 'Café Noord' in UTF-8 read as cp1252 (the issue's example);
    'Delta B.V.' and 'Delta BV' differ only in punctuation. Case and spacing variants were
    already one organisation (test_organisation_spellings_are_one_organisation).
    """
    frame = pd.DataFrame(rows)
    frame["organisation"] = ["Café Noord", "CafÃ© Noord", "Café Noord", "Delta BV",
                             "Delta B.V.", "Delta BV"]
    frame["respondent_id"] = [f"r{k}" for k in range(6)]
    r = read_responses(_write_csv(tmp_path / "near.csv", frame))
    assert r.problems == [] and r.data["organisation"].nunique() == 4
    messages = [w.message for w in r.warnings]
    assert len(messages) == 2
    assert messages[0].startswith("organisation names 'Café Noord' (rows 2, 4) and "
                                  "'CafÃ© Noord' (row 3) look alike")
    assert "'Delta BV' (rows 5, 7) and 'Delta B.V.' (row 6)" in messages[1]


def test_format_characters_are_stripped_from_names(tmp_path, rows):
    """Zero-width and right-to-left characters are removed from names, with a warning naming them and the rows.

    Expected: U+200B ZERO WIDTH SPACE and U+202E RIGHT-TO-LEFT OVERRIDE are Unicode
    category Cf; without them both spellings are 'Acme BV', one organisation.
    """
    frame = pd.DataFrame(rows)
    frame["organisation"] = ["Acme BV", "Acme\u200b BV", "Acme BV", "\u202eAcme BV", "Acme BV",
                             "Acme BV"]
    r = read_responses(_write_csv(tmp_path / "cf.csv", frame))
    assert set(r.data["organisation"]) == {"Acme BV"} and r.problems == []
    [warning] = r.warnings
    assert warning.column == "organisation"
    assert warning.message.startswith("invisible format characters (U+200B ZERO WIDTH SPACE, "
                                      "U+202E RIGHT-TO-LEFT OVERRIDE) removed from rows 3, 5")


def test_control_characters_are_stripped_from_names(tmp_path, rows):
    """A hostile name's terminal sequences are removed, with a warning naming them and the rows.

    Expected: ESC (U+001B) and BEL (U+0007) are Unicode category Cc; without them (and with
    the line break inside a cell as a space) the names read 'Acme BV' and 'Acme[31m BV':
    what followed the ESC stays as visible text. Departments are cleaned the same way (and
    ESC + 'Sales' + BEL is then the department sales).
    """
    frame = pd.DataFrame(rows)
    frame["organisation"] = ["Acme BV", "Acme\r\nBV", "Acme BV", "Acme\x1b[31m BV\x07",
                             "Acme BV", "Acme BV"]
    frame.loc[0, "department"] = "\x1bSales\x07"
    r = read_responses(_write_csv(tmp_path / "cc.csv", frame))
    assert set(r.data["organisation"]) == {"Acme BV", "Acme[31m BV"} and r.problems == []
    assert r.data["department"].iloc[0] == "sales"
    by_column = {w.column: w.message for w in r.warnings}
    assert by_column["organisation"].startswith(
        "control characters (U+000D CARRIAGE RETURN, U+000A LINE FEED, U+001B ESCAPE and 1 "
        "more) removed from rows 3, 5")
    assert by_column["department"].startswith("control characters (U+001B ESCAPE, U+0007 BELL) "
                                              "removed from row 2")
    # in Dutch (locales/ingest.yaml: ingest_control_characters, ingest_and_more, ingest_rows_*)
    dutch = {w.column: w.text("nl") for w in r.warnings}
    assert dutch["organisation"].startswith(
        "stuurtekens (U+000D CARRIAGE RETURN, U+000A LINE FEED, U+001B ESCAPE en nog 1) "
        "verwijderd uit rijen 3, 5")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file_reads_the_same(tmp_path, rows, encoding):
    """UTF-16 (as Excel's 'Unicode text' saves it, with or without BOM) reads like UTF-8."""
    frame = pd.DataFrame(rows)
    frame.loc[0, "organisation"] = "Café Zoë"
    r = read_responses(_write_csv(tmp_path / "u16.csv", frame, "\t", encoding))
    reference = read_responses(_write_csv(tmp_path / "ref.csv", frame))
    assert r.problems == []
    pd.testing.assert_frame_equal(r.data, reference.data)


def test_excel_sep_line(tmp_path, rows, alignment):
    """Excel's 'sep=;' first line names the separator; rows are numbered as Excel shows them.

    Expected: Excel hides the sep line, so the header is row 1 and the third respondent
    row 4, as in a file without it.
    """
    frame = pd.DataFrame(rows)
    frame.loc[2, alignment.items[0].id] = 9
    path = tmp_path / "excel.csv"
    path.write_bytes(b"sep=;\r\n" + frame.to_csv(index=False, sep=";").encode("cp1252"))
    r = read_responses(path)
    assert len(r.data) == 6
    assert [(p.row, p.column) for p in r.problems] == [(4, alignment.items[0].id)]


def test_two_organisation_columns(tmp_path, rows):
    """Two columns headed 'organisation' are named as such, not as 'unknown column organisation.1'."""
    frame = pd.DataFrame(rows)
    frame.insert(3, "dup", frame["organisation"])
    frame = frame.rename(columns={"dup": "organisation"})
    r = read_responses(_write_csv(tmp_path / "twice.csv", frame))
    [p] = r.problems
    assert p.column == "organisation (column D)"
    assert "two columns mean organisation" in p.message and "unknown" not in p.message


def test_a_header_that_reads_like_a_generated_label(tmp_path, rows):
    """A header 'organisation (column E)' beside a second 'organisation' in column E.

    The generated label for the second 'organisation' would repeat the first header; it gets
    a further number instead of crashing ("Length mismatch" before). Expected by hand: the
    generated label 'organisation (column E, 2)' and no row lost.
    """
    frame = pd.DataFrame(rows)
    frame.insert(3, "clash", "x")
    frame.insert(4, "dup", frame["organisation"])
    frame = frame.rename(columns={"clash": "organisation (column E)", "dup": "organisation"})
    r = read_responses(_write_csv(tmp_path / "clash.csv", frame))
    assert len(r.data) == len(rows)
    assert any(p.column == "organisation (column E, 2)" for p in r.problems)


@pytest.mark.parametrize("value", ["1e1", "1e0", "0x2", "2_0", "inf"])
def test_answers_are_plain_numbers(tmp_path, rows, alignment, value):
    """'1e1' is not the answer 10 (nor '1e0' the answer 1): answers are plain whole numbers or option texts.

    Expected: the respondent typed no plain number, so no answer is recorded (issue 10, case 9).
    """
    frame = pd.DataFrame(rows).astype({alignment.items[1].id: object})
    frame.loc[0, alignment.items[1].id] = value
    r = read_responses(_write_csv(tmp_path / "exp.csv", frame))
    assert [(p.row, p.column) for p in r.problems] == [(2, alignment.items[1].id)]


def test_whole_number_with_decimals_is_still_an_answer(tmp_path, rows, alignment):
    """'3.0' and '3,0' (a spreadsheet's float column) stay the answer 3."""
    frame = pd.DataFrame(rows).astype({alignment.items[1].id: object})
    frame.loc[0, alignment.items[1].id] = "3.0"
    frame.loc[1, alignment.items[1].id] = "3,0"
    r = read_responses(_write_csv(tmp_path / "dec.csv", frame, ";"))
    assert r.problems == [] and r.data[alignment.items[1].id].tolist()[:2] == [3, 3]


def test_folder_is_refused(tmp_path):
    """A folder given as the responses file is named as a folder."""
    with pytest.raises(ResponsesError, match="this is a folder, not a file"):
        read_table(tmp_path)


def test_named_pipe_is_refused_without_hanging(tmp_path):
    """A named pipe is refused at once (reading one would wait for a writer forever)."""
    import os
    import threading

    fifo = tmp_path / "answers.csv"
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            read_table(fifo)
        except ResponsesError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert outcome and "not a regular file" in outcome[0]


def _xlsx(tmp_path, rows, edit=None):
    """An XLSX of ``rows``; ``edit(name, data) -> data`` may change its members."""
    import zipfile

    plain = tmp_path / "plain.xlsx"
    pd.DataFrame(rows).to_excel(plain, index=False)
    path = tmp_path / "answers.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, edit(info.filename, data) if edit else data)
    return path


def test_corrupt_xlsx_xml(tmp_path, rows):
    """A workbook whose sheet XML is cut off gets one clear error, not an XML ParseError traceback."""
    def cut(name, data):
        return data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data

    with pytest.raises(ResponsesError, match="not a readable XLSX file"):
        read_responses(_xlsx(tmp_path, rows, cut))


@pytest.mark.parametrize(
    ("ref", "limit"),
    [("A1:K150000", "over the limit of 100,000 rows"),
     ("A1:ALM7", "over the limit of 1,000 columns")],
)
def test_xlsx_over_the_row_or_column_limit(tmp_path, rows, ref, limit):
    """A sheet declaring more rows or columns than a survey has is refused before parsing, naming the limit.

    Expected: MAX_ROWS (100,000) and MAX_COLUMNS (1,000) of core.ingest; column 'ALM' is
    number 1,001 (1 × 26² + 12 × 26 + 13).
    """
    import re

    from assessment.core import ingest

    assert (ingest.MAX_ROWS, ingest.MAX_COLUMNS) == (100_000, 1_000)
    assert ingest._column_number("ALM") == 1_001

    def declare(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)

    with pytest.raises(ResponsesError, match=limit):
        read_responses(_xlsx(tmp_path, rows, declare))


def test_xlsx_zip_bomb_is_refused_before_unpacking(tmp_path, rows):
    """A small XLSX that unpacks to more than 200 MB is refused at once, naming the unpacked-size limit.

    Expected: MAX_XLSX_BYTES = 200 MB; the added member holds 201 MB of zeros, which
    deflate packs into about 200 KB (the shape of the issue's 5.6 MB → 1.5 GB file).
    """
    import time
    import zipfile

    from assessment.core import ingest

    assert ingest.MAX_XLSX_BYTES == 200 * 2**20
    path = _xlsx(tmp_path, rows)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book, \
            book.open("xl/media/padding.bin", "w", force_zip64=True) as fh:
        chunk = bytes(2**20)
        for _ in range(201):
            fh.write(chunk)
    assert path.stat().st_size < 2 * 2**20
    start = time.perf_counter()
    with pytest.raises(ResponsesError, match=r"unpacks to 20[0-9] MB, over the limit of 200 MB "
                                             r"\(unpacked size\)"):
        read_responses(path)
    assert time.perf_counter() - start < 5


# --- "don't know / not applicable" and former wordings (issue 11, points 7 and 8) -------------

DATA_DIR = __import__("pathlib").Path(__file__).parent / "data"


def test_dont_know_counts_as_not_answered(tmp_path, alignment, disciplines):
    """A hand-made file: "Weet ik niet / niet van toepassing" (and its other spellings) is missing.

    Respondent A answers MS-roles-1 with the Dutch don't-know text, MS-roles-2 with "n.v.t.",
    VD-ci-1 with the English text and VD-ci-2 with "dont_know" (what the teaching forms
    write); B answers the same items with numbers. Expected (by hand): A's four cells are
    missing, there is no problem, and ``dont_know`` lists exactly A's four (row, item) pairs;
    A's other answers and all of B's are read as given.
    """
    rows = full_rows(alignment, disciplines, "Fixture BV", 2, seed=5)
    rows[0].update({"MS-roles-1": "Weet ik niet / niet van toepassing", "MS-roles-2": "n.v.t.",
                    "VD-ci-1": "Don't know / not applicable", "VD-ci-2": "dont_know"})
    path = _write_csv(tmp_path / "dk.csv", pd.DataFrame(rows))
    r = read_responses(path, [alignment, disciplines])
    assert r.problems == []
    a, b = r.data.iloc[0], r.data.iloc[1]
    for item in ("MS-roles-1", "MS-roles-2", "VD-ci-1", "VD-ci-2"):
        assert pd.isna(a[item])
        assert b[item] == rows[1][item]
    assert a["MS-communication-1"] == rows[0]["MS-communication-1"]
    assert sorted(map(tuple, r.dont_know[["row", "item"]].to_numpy().tolist())) == [
        (2, "MS-roles-1"), (2, "MS-roles-2"), (2, "VD-ci-1"), (2, "VD-ci-2")]
    answered = 2 * (len(alignment.scored_items) + len(disciplines.scored_items)) - 4
    assert r.dont_know_share() == (4, 4 / (answered + 4))


def test_dont_know_is_not_an_answer_on_choice_or_nps(tmp_path, alignment, disciplines):
    """Only stages4 and likert5 items offer it: on the declared-strategy choice it is a problem."""
    rows = full_rows(alignment, disciplines, "Fixture BV", 1, seed=5)
    rows[0]["VD-declared"] = "Weet ik niet / niet van toepassing"
    r = read_responses(_write_csv(tmp_path / "dk.csv", pd.DataFrame(rows)),
                       [alignment, disciplines])
    assert [p.column for p in r.problems] == ["VD-declared"]
    assert r.dont_know.empty


def test_restricted_to_keeps_only_the_organisations_dont_knows(tmp_path, alignment, disciplines):
    """A report sees only its own organisation's don't-know answers (rows of the other dropped)."""
    rows = full_rows(alignment, disciplines, "Een BV", 2, seed=1)
    rows += full_rows(alignment, disciplines, "Twee BV", 2, seed=2)
    rows[0]["MS-roles-1"] = "weet ik niet"
    rows[3]["MS-roles-1"] = "weet ik niet"
    r = read_responses(_write_csv(tmp_path / "dk.csv", pd.DataFrame(rows)),
                       [alignment, disciplines])
    assert r.dont_know["row"].tolist() == [2, 5]
    assert r.restricted_to("Twee BV").dont_know["row"].tolist() == [5]


def test_former_option_texts_read_as_the_same_level(tmp_path, alignment):
    """An answer in an earlier version's wording reads as the level it had then.

    For every option with a ``former`` wording, one respondent answers with the former Dutch
    text and one with the former English text. Expected: the option's place in the YAML
    (1–4, worst to best), which the former wording had in version 1.0.0 too.
    """
    rows = []
    expected = []
    for item in alignment.scored_items:
        for k, opt in enumerate(item.options, 1):
            for old in opt.former:
                for lang in ("nl", "en"):
                    rows.append({"respondent_id": f"r{len(rows)}", "organisation": "Oud BV",
                                 item.id: old.get(lang)})
                    expected.append((item.id, k))
    assert len(expected) >= 2 * 20  # the rewritten options of issue 11
    r = read_responses(_write_csv(tmp_path / "old.csv", pd.DataFrame(rows)), [alignment])
    assert r.problems == []
    assert [r.data.iloc[n][item] for n, (item, _) in enumerate(expected)] == [
        k for _, k in expected]


def test_old_forms_export_scores_as_before():
    """A Forms export written with the 1.0.0 wordings scores exactly as version 1.0.0 scored it.

    ``data/messy_forms_export_v1.0.0.csv`` is ``data/examples/messy_forms_export.csv`` as
    committed at deaf509 (instrument versions 1.0.0: Dutch option texts as answers, Dutch
    question texts as headers, including the questions and options rewritten since).
    ``..._scores.csv`` holds what that version's code (git archive deaf509) computed from it
    with ``score_responses``. Expected: the same rows, counts, scores and stages.
    """
    from assessment.core.scoring import score_responses

    r = read_responses(DATA_DIR / "messy_forms_export_v1.0.0.csv")
    assert len(r.columns) == 61 and r.dont_know.empty  # every column still matched
    scores = score_responses(r.data, r.instruments)
    before = pd.read_csv(DATA_DIR / "messy_forms_export_v1.0.0_scores.csv")
    now = scores[before.columns].reset_index(drop=True)
    for column in ("organisation", "instrument", "level", "interface", "dimension", "stage"):
        assert now[column].fillna("").astype(str).tolist() == \
            before[column].fillna("").astype(str).tolist()
    assert now["n"].tolist() == before["n"].tolist()
    assert now["score"].to_numpy() == pytest.approx(before["score"].to_numpy(), rel=1e-9)


def test_organisation_facts_columns(tmp_path, rows):
    """Issue 11 point 5: optional organisation columns for staff and sale complexity.

    `Aantal medewerkers` and `Verkoopcomplexiteit` are read as employees (a whole number) and
    sale_complexity (simple/complex); a file without them has neither column (nothing
    changes for existing files).
    """
    frame = pd.DataFrame(rows)
    plain = read_responses(_write_csv(tmp_path / "plain.csv", frame))
    assert "employees" not in plain.data and "sale_complexity" not in plain.data
    frame["Aantal medewerkers"] = ["12", "12,0", "", "12", "12", "12"]
    frame["Verkoopcomplexiteit"] = ["Eenvoudig", "simple", "simple", None, "simple", "simple"]
    r = read_responses(_write_csv(tmp_path / "facts.csv", frame))
    assert r.problems == [] and r.warnings == []
    assert r.data["employees"].tolist()[:3] == [12, 12, pd.NA]
    assert set(r.data["sale_complexity"].dropna()) == {"simple"}


def test_organisation_facts_mistakes(tmp_path, rows):
    """A wrong number of staff or complexity is named by row and column, and ignored.

    Different values within one organisation give a warning (no suggestion is made from them).
    """
    frame = pd.DataFrame(rows)
    frame["employees"] = ["12", "about 40", "0", "12", "13", "12"]
    frame["sale_complexity"] = ["simple", "medium", "simple", "simple", "simple", "simple"]
    r = read_responses(_write_csv(tmp_path / "facts.csv", frame))
    found = {(p.row, p.column): p.message for p in r.problems}
    assert "'about 40' is not a number of employees" in found[(3, "employees")]
    assert "'0' is not a number of employees" in found[(4, "employees")]
    assert "'medium' is not a sale complexity" in found[(3, "sale_complexity")]
    assert len(r.data) == 6  # no row lost
    (warning,) = r.warnings
    assert (warning.row, warning.column) == (6, "employees")
    assert "employees differs between rows of organisation 'Fixture BV' (12, 13)" in warning.message
    # beyond any organisation (30 digits were an OverflowError before): named, not a traceback
    frame["employees"] = ["12", "9" * 30, "10000001", "12", "12", "12"]
    r = read_responses(_write_csv(tmp_path / "facts2.csv", frame))
    found = {(p.row, p.column): p.message for p in r.problems}
    assert "is not a number of employees" in found[(3, "employees")]
    assert "'10000001' is not a number of employees" in found[(4, "employees")]


def test_whole_number_answers_parse_as_the_full_parse():
    """Answers of plain digits take a shortcut that gives what the full parse gives.

    Expected values: ``_parse_answers`` (the full parse, with option texts, signs and
    decimals) of the same answers, for every item of every bundled instrument; the shortcut
    declines (None) for choice and text items and for any answer that is not plain digits.
    """
    import numpy as np

    from assessment.core.ingest import _parse_answers, _parse_whole_numbers
    from assessment.core.instruments import list_instruments

    answers = np.array(["0", "1", "2", "3", "4", "5", "6", "9", "10", "11", "007", "999999999"],
                       dtype=object)
    for inst in list_instruments():
        for item in inst.items:
            fast = _parse_whole_numbers(answers, inst, item)
            if not item.scored:
                assert fast is None
                continue
            full = _parse_answers(pd.Series(answers, dtype="string"), inst, item)
            pd.testing.assert_series_equal(fast, full, check_exact=True)
            for other in ("+1", "1.0", "1,", "\u0663", "1234567890", " 1", "x"):
                assert _parse_whole_numbers(np.append(answers, other), inst, item) is None


def _details(message: str) -> list[str]:
    """The values a message names: quoted texts and numbers ('7', 'Fixture BV', 4, 1–4)."""
    import re

    return re.findall(r"(?<![A-Za-z])'[^']*'|\d+(?:–\d+)?", message)


def test_problems_in_dutch_keep_every_detail(tmp_path, rows, alignment):
    """Each kind of problem in a row is written in Dutch with the same file, row, column and values.

    Expected: the English texts are those the tests above check (unchanged); the Dutch ones
    are locales/ingest.yaml's, "rij N, kolom C" for "row N, column C"; every quoted value
    and number of the English message is also in the Dutch one.
    """
    frame = pd.DataFrame(rows)
    item = alignment.items[0].id
    frame.loc[0, item] = 7
    frame.loc[1, "department"] = "Inkoop"
    frame.loc[2, "organisation"] = ""
    frame.loc[4, "respondent_id"] = frame.loc[3, "respondent_id"]
    frame["In welke afdeling werkt u?"] = "Verkoop"
    frame["employees"] = ["12", "about 40", "12", "12", "13", "12"]
    frame["sale_complexity"] = ["simple", "medium", "simple", "simple", "simple", "simple"]
    path = _write_csv(tmp_path / "slecht.csv", frame)
    r = read_responses(path)
    problems = [*r.problems, *r.warnings]
    assert len(problems) == 8
    for p in problems:
        assert p.note is not None and p.note.text("en") == p.message
        dutch = p.describe("nl")
        assert dutch.startswith(str(path)), dutch
        if p.row is not None:
            assert f"rij {p.row}" in dutch
        if p.column is not None:
            assert f"kolom {p.column}" in dutch
        text = p.text("nl")
        assert text != p.message
        assert [d for d in _details(p.message) if d not in text] == [], (p.message, text)
    said = {(p.row, p.column): p.describe("nl") for p in problems}
    assert said[(2, item)] == (f"{path}, rij 2, kolom {item}: '7' is geen antwoord op deze vraag "
                               "(1–4, de tekst van een antwoord of \"weet ik niet\"); het "
                               "antwoord wordt genegeerd")
    assert said[(3, "department")].endswith("'Inkoop' is geen afdeling (toegestaan: marketing, "
                                            "verkoop, service, management, overig, of de "
                                            "Engelse namen); geteld als overig")
    assert said[(4, "organisation")].endswith("rij afgewezen: geen organisatie ingevuld")
    assert said[(6, "respondent_id")].endswith(
        f"rij afgewezen: respondent {frame.loc[3, 'respondent_id']!r} staat dubbel in "
        "'Fixture BV': ook op rij 5")
    assert said[(None, "In welke afdeling werkt u?")].endswith(
        "geef de kolom dan de kop 'afdeling' (of 'department')")
    assert "'about 40' is geen aantal medewerkers" in said[(3, "employees")]
    assert "'medium' is geen verkoopcomplexiteit" in said[(3, "sale_complexity")]
    assert said[(6, "employees")].endswith(
        "kolom medewerkers verschilt tussen de rijen van organisatie 'Fixture BV' (12, 13); "
        "daaruit wordt geen doelfase voorgesteld")


def test_rejected_rows_are_the_errors(tmp_path, rows, alignment):
    """Errors are the rejected rows (Problem.rejected); every other problem is a notice.

    A rejected row's English message still begins "row rejected: " (REJECTED). Expected:
    two rows lost (no organisation, no answers), one answer ignored.
    """
    from assessment.core.ingest import REJECTED

    frame = pd.DataFrame(rows)
    frame.loc[0, alignment.items[0].id] = 7
    frame.loc[2, "organisation"] = ""
    scored = [i.id for i in alignment.items]
    frame.loc[3, [c for c in frame.columns if c in scored or c.startswith("VD-")]] = None
    r = read_responses(_write_csv(tmp_path / "rows.csv", frame))
    assert [p.row for p in r.errors] == [4, 5]
    assert all(p.rejected and p.message.startswith(REJECTED) for p in r.errors)
    assert [p.row for p in r.notices] == [2]
    assert not any(p.message.startswith(REJECTED) for p in r.notices)
    assert [p.text("nl") for p in r.errors] == ["rij afgewezen: geen organisatie ingevuld",
                                                "rij afgewezen: geen antwoord op een gescoorde "
                                                "vraag"]


def test_file_errors_in_dutch(tmp_path, rows):
    """A file that cannot be read says why in Dutch too; str() stays English.

    Expected: locales/ingest.yaml's ingest_empty, ingest_folder and
    ingest_no_organisation_column.
    """
    empty = tmp_path / "leeg.csv"
    empty.write_text("")
    cases = [
        (empty, "the file is empty", "het bestand is leeg"),
        (tmp_path, "this is a folder, not a file", "dit is een map, geen bestand"),
        (_write_csv(tmp_path / "nocol.csv", pd.DataFrame(rows).drop(columns=["organisation"])),
         "no organisation column", "geen kolom organisatie"),
    ]
    for path, english, dutch in cases:
        with pytest.raises(ResponsesError) as caught:
            read_responses(path)
        assert str(caught.value).startswith(f"{path}: {english}")
        assert caught.value.describe("nl").startswith(f"{path}: {dutch}")
        assert caught.value.describe("en") == str(caught.value)


def test_rows_in_dutch():
    """'row 5' / 'rij 5', 'rows 2–4, 9' / 'rijen 2–4, 9', and the count beyond 12 spans.

    Expected by counting: rows 2, 4, …, 30 are 15 spans of one row; 12 are shown.
    """
    from assessment.core.ingest import _rows_note, _rows_text

    assert (_rows_text([5]), _rows_note([5]).text("nl")) == ("row 5", "rij 5")
    assert _rows_note([2, 3, 4, 9]).text("nl") == "rijen 2–4, 9"
    many = range(2, 32, 2)
    assert _rows_text(many).endswith(", … (15 rows)")
    assert _rows_note(many).text("nl").startswith("rijen 2, 4, ")
    assert _rows_note(many).text("nl").endswith("24, … (15 rijen)")


def test_near_duplicates_and_format_characters_in_dutch(tmp_path, rows):
    """The warnings built from parts (names with their rows, characters found) in Dutch.

    Expected: the English of test_near_duplicate_organisation_names_are_warned_about, in the
    words of locales/ingest.yaml (ingest_spelling, ingest_and, ingest_rows_*).
    """
    frame = pd.DataFrame(rows)
    frame["organisation"] = ["Café Noord", "CafÃ© Noord", "Café Noord", "Delta\u200b BV",
                             "Delta BV", "Delta BV"]
    frame["respondent_id"] = [f"r{k}" for k in range(6)]
    r = read_responses(_write_csv(tmp_path / "near.csv", frame))
    said = [w.text("nl") for w in r.warnings]
    assert said[0] == ("onzichtbare opmaaktekens (U+200B ZERO WIDTH SPACE) verwijderd uit rij 5: "
                       "die veranderen hoe een naam eruitziet of maken gelijk ogende namen "
                       "verschillend")
    assert said[1].startswith("de organisatienamen 'Café Noord' (rijen 2, 4) en 'CafÃ© Noord' "
                              "(rij 3) lijken op elkaar")


def test_an_unclosed_quote_that_swallows_rows_is_refused_with_its_cell(tmp_path, rows):
    """A quote opened in a cell and closed only rows later: refused, naming row and column.

    Expected by construction: the fixture's six rows; a lone quote put before the third
    respondent's department (spreadsheet row 4: header = row 1); the parser reads on to
    the next quote, the last row's quoted comment (the csv module's rule: a quoted field runs
    to the next quote), so rows 5 and 6 and row 7 up to its comment are inside that cell:
    3 lines that hold a row's separators. Without the last quote the parser
    reaches the end of the file: the row is named. A comment with line breaks in proper
    quotes (row 2) is fine.
    """
    frame = pd.DataFrame(rows)
    frame["comment"] = ["Meer overleg, graag.\nMinder mail, meer bellen.", *[""] * 4,
                        "Liever bellen, zegt de klant"]
    assert read_responses(_write_csv(tmp_path / "ok.csv", frame)).rows_in == 6
    lines = frame.to_csv(index=False).split("\n")
    fourth = 4  # lines: header, row 2 over two lines (its comment), then row 3's line
    assert lines[fourth].startswith(frame.iloc[2]["respondent_id"] + ",")
    lines[fourth] = lines[fourth].replace(",Fixture BV,", ',Fixture BV,"', 1)
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ResponsesError) as caught:
        read_responses(path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (4, "department")
    assert problem.message.startswith('a quote (") opens a cell here that closes only many '
                                      "lines later: 3 lines inside it look like whole rows")
    assert "rij 4, kolom department" in problem.describe("nl")

    lines[-2] = lines[-2].replace('"', "")  # the last row's comment without its quotes
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ResponsesError) as caught:
        read_responses(path)
    [problem] = caught.value.problems
    assert problem.row == 4 and "is never closed" in problem.message


def test_a_huge_cell_is_quoted_in_part(tmp_path, rows):
    """A cell of 100,000 characters is quoted with its first 79 and an ellipsis, not whole.

    Expected: ``QUOTED_CHARACTERS`` (80) characters of the value in the message (79 + "…"),
    so the warning stays one readable line; the row and column are named as always.
    """
    from assessment.core.ingest import QUOTED_CHARACTERS

    frame = pd.DataFrame(rows)
    frame.loc[1, "department"] = "A" * 100_000
    r = read_responses(_write_csv(tmp_path / "huge.csv", frame))
    [warning] = [p for p in r.problems + r.warnings if p.column == "department"]
    assert warning.row == 3
    assert f"'{'A' * (QUOTED_CHARACTERS - 1)}…' is not a department" in warning.message
    assert len(warning.message) < 300 and len(warning.describe("nl")) < 400
