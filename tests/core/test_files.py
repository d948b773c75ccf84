"""Tests for assessment.core.files: atomic writes, the XLSX and CSV writers, report names."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from assessment.analysis.whole_file import analyse
from assessment.core.config import EXAMPLE_RESPONSES
from assessment.core.files import (
    MAX_SLUG,
    OUTPUT_NAMES,
    csv_text,
    report_names,
    safe_name,
    write_atomic,
    write_atomic_parts,
    xlsx_bytes,
)
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



def test_write_atomic_parts_appears_whole_or_not_at_all(tmp_path):
    """Parts are written as they come; the file appears only after the last one (issue 13).

    An error on the way leaves the old file as it was and no temporary file.
    """
    target = tmp_path / "scores.csv"
    write_atomic_parts(target, iter(["a,b\n", b"1,2\n", "3,4\n"]))
    assert target.read_text() == "a,b\n1,2\n3,4\n"

    def broken():
        yield "x\n"
        raise RuntimeError("analysis failed")

    with pytest.raises(RuntimeError, match="analysis failed"):
        write_atomic_parts(target, broken())
    assert target.read_text() == "a,b\n1,2\n3,4\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


# -- report names: distinct, readable, stable (issue "Safe with any client file", cases 1 and 8)

#: the report names of data/examples/responses.csv before names were made unique
EXAMPLE_NAMES = {
    "van-dijk-installatietechniek-b-v", "noordhaven-logistiek", "brightwave-software",
    "zorgpartner-midden", "kempen-kantoorinrichting", "harbour-hart-events",
    "bakkerij-verhoeven-groep", "delta-meettechniek", "lindeboom-accountants",
    "orion-print-media",
}
#: the same for data/examples/waves.csv
WAVES_NAMES = {
    "veldhoven-machinebouw_2026-q1", "veldhoven-machinebouw_2026-q3",
    "greenfield-foods_2026-q1", "greenfield-foods_2026-q3", "stadsbank-oost_2026-q1",
    "stadsbank-oost_2026-q3",
}


def _hash(organisation: str, wave: str = "") -> str:
    return hashlib.sha256(f"{organisation}\0{wave}".encode()).hexdigest()[:8]


def test_report_names_of_colliding_names_are_distinct():
    """Names that share a slug each get the slug plus a hash of the exact name; others keep theirs.

    Expected: the slug rules of safe_name ('a/b' and 'A_B' -> 'a-b', 'Acme & Co', 'Acme Co'
    and 'Acme<zero-width space> Co' -> 'acme-co', Greek and Cyrillic -> 'organisation'), then
    '-' and the first 8 hex digits of sha256(organisation + NUL + wave), computed here.
    """
    zero_width = "Acme\u200b Co"
    keys = [("a/b", ""), ("A_B", ""), ("Acme & Co", ""), ("Acme Co", ""),
            (zero_width, ""), ("Ωμέγα", ""), ("Альфа", ""), ("Delta", "")]
    names = report_names(keys)
    assert names == {
        ("a/b", ""): f"a-b-{_hash('a/b')}", ("A_B", ""): f"a-b-{_hash('A_B')}",
        ("Acme & Co", ""): f"acme-co-{_hash('Acme & Co')}",
        ("Acme Co", ""): f"acme-co-{_hash('Acme Co')}",
        (zero_width, ""): f"acme-co-{_hash(zero_width)}",
        ("Ωμέγα", ""): f"organisation-{_hash('Ωμέγα')}",
        ("Альфа", ""): f"organisation-{_hash('Альфа')}",
        ("Delta", ""): "delta",
    }


def test_report_names_never_the_batch_own_files():
    """An organisation named like one of the batch's own files gets a hash; waves tell apart.

    Expected: OUTPUT_NAMES (index, manifest, scores, cohort_overview; '-' and '_' alike)
    get '-' and the hash; 'Index' in wave '2026' is 'index_2026' (no file of the batch).
    Windows device names (con, nul, ...) are refused the same way.
    """
    keys = [("Index", ""), ("manifest", ""), ("SCORES", ""), ("cohort_overview", ""),
            ("cohort", "overview"), ("CON", ""), ("Index", "2026")]
    names = report_names(keys)
    assert OUTPUT_NAMES == {"index", "manifest", "scores", "cohort_overview"}
    assert names[("Index", "")] == f"index-{_hash('Index')}"
    assert names[("cohort", "overview")] == f"cohort_overview-{_hash('cohort', 'overview')}"
    assert names[("cohort_overview", "")] == f"cohort-overview-{_hash('cohort_overview')}"
    assert names[("CON", "")] == f"con-{_hash('CON')}"
    assert names[("Index", "2026")] == "index_2026"
    assert len(set(names.values())) == len(keys)
    assert not {n.replace("-", "_") for n in names.values()} & OUTPUT_NAMES


def test_report_names_are_stable():
    """Same keys in any order give the same names; the example files keep their names.

    Expected: EXAMPLE_NAMES and WAVES_NAMES above, the file names of the bundled examples'
    reports as rendered before names were made unique (printed with safe_name then).
    """
    keys = [("Acme & Co", ""), ("Acme Co", ""), ("Delta", ""), ("Index", "")]
    assert report_names(keys) == report_names(reversed(keys))
    r = read_responses(EXAMPLE_RESPONSES)
    groups = list(r.data[["organisation", "wave"]].drop_duplicates()
                  .itertuples(index=False, name=None))
    assert set(report_names(groups).values()) == EXAMPLE_NAMES
    waves = read_responses(EXAMPLE_RESPONSES.with_name("waves.csv"))
    groups = list(waves.data[["organisation", "wave"]].drop_duplicates()
                  .itertuples(index=False, name=None))
    assert set(report_names(groups).values()) == WAVES_NAMES


def test_long_names_are_capped():
    """A 300-character name gives an 80-character slug plus '-' and the hash (89 in all).

    Expected: MAX_SLUG = 80 (a file name must stay under the 255 bytes of common file
    systems with its suffix and temporary prefix); two long names alike in their first 80
    characters still differ by their hash.
    """
    long_a, long_b = "Organisatie " * 25 + "A", "Organisatie " * 25 + "B"
    assert len(long_a) == 301
    name = safe_name(long_a)
    assert name == ("organisatie-" * 7)[:80].rstrip("-") + f"-{_hash(long_a)}"
    assert len(name) <= MAX_SLUG + 9
    names = report_names([(long_a, "2026-Q1"), (long_b, "2026-Q1")])
    assert len(set(names.values())) == 2
    assert all(len(n) < 140 for n in names.values())


# -- CSV text a spreadsheet does not run (case 4)

def test_csv_text_escapes_formula_cells(mixed):
    """Text cells starting with = + - @ tab or CR get a leading quote; numbers stay numbers.

    Expected: the OWASP advice on CSV injection (prefix such cells with a single quote);
    the numeric columns as written in the fixture, -0.5 included.
    """
    frame = mixed.assign(wave=["-0.5", "=1", None], comment=["-1+2", "@SUM(A1)", "\tTab"],
                         department=["+31 sales", "sales", "plain - text"])
    back = pd.read_csv(io.StringIO(csv_text(frame)), keep_default_na=False,
                       dtype={"code": str, "wave": str})
    assert list(back["organisation"]) == ["Alfa", "'=SUM(A1:A2)", ""]
    assert list(back["comment"]) == ["'-1+2", "'@SUM(A1)", "'\tTab"]
    assert list(back["department"]) == ["'+31 sales", "sales", "plain - text"]
    assert list(back["wave"]) == ["-0.5", "'=1", ""]  # text that is just a number stays
    assert list(back["code"]) == ["007", "http://example.org", "1e3"]
    numbers = pd.read_csv(io.StringIO(csv_text(frame)))
    assert numbers["score"].tolist()[0] == 2.25 and numbers["score"].tolist()[2] == -0.5
    assert numbers["count"].tolist() == [1, 2, 3]
    assert csv_text(pd.DataFrame({"t": ["\rx"]})) == "t\n'\rx\n"


def test_csv_text_of_the_example_scores_is_pandas_own():
    """Without formula-like text the CSV is byte for byte what DataFrame.to_csv writes."""
    r = read_responses(EXAMPLE_RESPONSES)
    scores = analyse(r.data, r.instruments, min_group_size=3)
    assert csv_text(scores) == scores.to_csv(index=False)


def _escaped_to_csv(frame: pd.DataFrame, header: bool = True) -> str:
    """What DataFrame.to_csv writes for ``frame`` with its text cells escaped as csv_text does."""
    from assessment.core.files import _escape_cell, _pandas_csv_text

    return _pandas_csv_text(frame, [_escape_cell(str(c)) for c in frame.columns], header)


def test_csv_text_formats_floats_as_to_csv():
    """csv_text's column-by-column writer gives what DataFrame.to_csv gives, byte for byte.

    Expected: pandas' own ``to_csv`` of the same frame (the reference csv_text replaces
    for speed), on 400,000 floats: random ones of many magnitudes, random bit patterns
    (17 digits, subnormal, huge), whole numbers stored as float, and the edge cases
    55.00000000000001, 1e-05, 0.0001, 1e16, -0.0 beside 0.0, inf, -inf and NaN. (Checked
    once on 6 million such floats as well, identical; too slow for every run.)
    """
    rng = np.random.default_rng(13)
    n = 100_000
    edge = [55.00000000000001, 1e-05, 0.0001, 1e16, 1e15, -0.0, 0.0, 5.0, np.inf, -np.inf,
            np.nan, 0.1 + 0.2, 2.0 ** 53, 5e-324, 1.7976931348623157e308, -1e-300]
    bits = rng.integers(0, 2 ** 63, n, dtype=np.int64).view(np.float64)
    scaled = rng.normal(size=n) * 10.0 ** rng.integers(-12, 20, n)
    whole = rng.integers(-5000, 5000, n).astype(float)
    sd = rng.integers(0, 1000, n) / rng.choice([1, 3, 7, 10, 100], n)
    frame = pd.DataFrame({
        "a": np.concatenate([edge, bits])[:n],
        "b": np.where(rng.random(n) < 0.3, np.nan, scaled),
        "c": np.concatenate([edge[::-1], whole])[:n],
        "d": sd,
    })
    assert csv_text(frame) == _escaped_to_csv(frame)
    assert csv_text(frame, header=False) == _escaped_to_csv(frame, header=False)


def test_csv_text_writes_every_kind_of_cell_as_to_csv(mixed):
    """Text, numbers, missing values, quoting and escaping come out as to_csv writes them.

    Expected: pandas' own ``to_csv`` of the escaped frame; the frame has each column kind
    of the scores table and cells the csv module must quote (comma, quote, newline).
    """
    frame = mixed.assign(
        text=["a,b", 'say "hi"', "line\nbreak"],
        mixed=pd.Series([1.5, "=x", None], dtype=object),
        numpy_float=pd.Series([np.float64(2.5), True, np.nan], dtype=object),
        big=np.array([2 ** 64 - 1, 0, 7], dtype=np.uint64),
        small=np.array([1, -2, 3], dtype=np.int8),
        **{"=label": ["x", "y", "z"], "with,comma": [0.5, -0.0, 1e22]},
    )
    assert csv_text(frame) == _escaped_to_csv(frame)
    assert csv_text(frame, header=False) == _escaped_to_csv(frame, header=False)
    one = pd.DataFrame({"t": ["", "x", None]})  # a lone empty field is quoted: to_csv does it
    assert csv_text(one) == _escaped_to_csv(one)
    dates = pd.DataFrame({"d": pd.to_datetime(["2026-01-01", None]), "x": [1.0, 2.0]})
    assert csv_text(dates) == _escaped_to_csv(dates)


def test_checks_of_paths_say_why_in_dutch_too(tmp_path):
    """check_input_file and check_output say why in English (default) or Dutch.

    Expected: locales/cli.yaml's files_* texts.
    """
    from assessment.core.files import check_input_file, check_output

    assert check_input_file(tmp_path / "no.csv") == "file not found"
    assert check_input_file(tmp_path / "no.csv", "nl") == "bestand niet gevonden"
    assert check_input_file(tmp_path, "nl") == "dit is een map, geen bestand"
    assert check_output(tmp_path, folder=False, lang="nl") == "dit is een map; geef een bestandsnaam op"
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    assert check_output(a_file, folder=True, lang="nl") == "dit is een bestand, geen map"
    assert check_output(a_file / "out.csv", folder=False, lang="nl") == f"{a_file} is een bestand, geen map"
