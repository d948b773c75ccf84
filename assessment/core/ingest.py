"""Read a responses file (CSV or XLSX, wide: one row per respondent) into a checked table.

Real exports are the normal case: comma or semicolon, UTF-8 (with or without BOM)
or cp1252, item columns named by id or by question text in either language,
answers given as numbers or as option texts, Forms metadata columns. Every problem
is collected with file, row and column; every row ends up accepted or rejected with
its reason; the input file is only read.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.core.exceptions import Problem, ResponsesError
from assessment.core.i18n import Note, note
from assessment.core.instruments import (
    DONT_KNOW,
    SCORED_TYPES,
    Instrument,
    Item,
    list_instruments,
)
from assessment.core.privacy import scan_comments
from assessment.core.text import (
    CONTROL_CHARACTERS,
    FORMAT_CHARACTERS,
    control_characters,
    format_characters,
    name_key,
    normalise,
    normalise_many,
    normalise_series,
    row_like_lines,
    shorten,
    strip_control,
)

__all__ = [
    "DEPARTMENTS",
    "META_COLUMNS",
    "SALE_COMPLEXITY",
    "Responses",
    "read_responses",
    "read_table",
]

#: canonical respondent columns and the headers accepted for each (normalised)
META_COLUMNS: dict[str, tuple[str, ...]] = {
    "respondent_id": (
        "respondent_id",
        "respondent id",
        "respondent",
        "respondentnummer",
        "respondent_nr",
        "respondent nr",
    ),
    "organisation": (
        "organisation",
        "organization",
        "organisatie",
        "organisatienaam",
        "bedrijf",
        "company",
    ),
    "department": ("department", "afdeling"),
    "wave": ("wave", "golf", "meting"),
    "language": ("language", "taal"),
    # optional organisation-level facts, the same on every row of an organisation; they
    # suggest a target stage per interface in the roadmap (assessment.report.recommend)
    "employees": ("employees", "number of employees", "medewerkers", "aantal medewerkers"),
    "sale_complexity": ("sale_complexity", "sale complexity", "sales complexity",
                        "verkoopcomplexiteit", "complexiteit verkoop"),
}
#: sale complexity as accepted (normalised) -> canonical
SALE_COMPLEXITY: dict[str, str] = {
    "simple": "simple",
    "eenvoudig": "simple",
    "enkelvoudig": "simple",
    "complex": "complex",
    "ingewikkeld": "complex",
}
#: how the (English) message of a rejected row begins; such a problem has ``rejected`` set
REJECTED = "row rejected: "
#: why a row is rejected: the message keys (the English text goes into the rejected rows' table)
REASON_KEYS = ("ingest_reason_no_organisation", "ingest_reason_no_answers", "ingest_reason_no_id")
#: words in an unknown column's header that suggest which known column it is meant to be
COLUMN_HINTS = {
    "afdeling": "department", "department": "department", "team": "department",
    "organisatie": "organisation", "organisation": "organisation", "bedrijf": "organisation",
    "company": "organisation", "werkgever": "organisation",
    "meting": "wave", "wave": "wave", "ronde": "wave", "periode": "wave",
    "taal": "language", "language": "language",
    "respondent": "respondent_id", "respondentnummer": "respondent_id",
}
#: form metadata: recognised and dropped (never copied anywhere); 'id' may serve as respondent id
FORM_METADATA = (
    "id",
    "start time",
    "completion time",
    "email",
    "name",
    "last modified time",
    "timestamp",
    "tijdstempel",
    "email address",
    "e-mailadres",
    "e-mail",
    "naam",
    "begintijd",
    "tijd van voltooien",
    "tijdstip van laatste wijziging",
)
#: department names as accepted (normalised) -> canonical
DEPARTMENTS: dict[str, str] = {
    "marketing": "marketing",
    "sales": "sales",
    "verkoop": "sales",
    "service": "service",
    "customer service": "service",
    "klantenservice": "service",
    "management": "management",
    "directie": "management",
    "other": "other",
    "overig": "other",
    "anders": "other",
}
DEPARTMENT_ORDER = ("marketing", "sales", "service", "management", "other")


@dataclass
class Responses:
    """The checked content of one responses file.

    Attributes
    ----------
    file : str
        The file read.
    data : DataFrame
        Accepted rows: ``row`` (spreadsheet row number), ``respondent_id``,
        ``organisation``, ``department``, ``wave``, ``language``, then one column
        per matched item id (numbers for scored items, option values for choices,
        text for comments).
    rejected : DataFrame
        Rejected rows: ``row``, ``respondent_id``, ``organisation``, ``reason``.
    problems : list of Problem
        Every problem found (rejections, ignored answers, unknown columns).
    warnings : list of Problem
        What was read but deserves a look, without losing any answer: lines repaired from
        another encoding, invisible format characters removed from names, organisation
        names that look alike but are scored apart.
    rows_in : int
        Data rows in the file.
    columns : dict
        Item id -> the header it was read from.
    instruments : list of Instrument
        Instruments with at least one item in the file.
    personal : DataFrame
        Personal data found in the comments (:func:`assessment.core.privacy.scan_comments`):
        ``row``, ``item``, ``column``, ``kind``, ``start``, ``end``; never the value. The
        Name/Naam column it was partly found with is not kept.
    dont_know : DataFrame
        The "don't know / not applicable" answers of the accepted rows, one row each:
        ``row`` and ``item``. They count as not answered (missing in ``data``).
    """

    file: str
    data: pd.DataFrame
    rejected: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_in: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    instruments: list[Instrument] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    personal: pd.DataFrame = field(default_factory=lambda: scan_comments(
        pd.DataFrame(columns=["row", "organisation"]), {}))
    dont_know: pd.DataFrame = field(default_factory=lambda: _dont_know_frame([]))

    def dont_know_share(self) -> tuple[int, float]:
        """Return the "don't know" answers of the accepted rows and their share of all answers.

        The share is taken over every answer given on a scored item that offers "don't
        know" (answers plus don't-knows); 0.0 when there is none.
        """
        items = [i.id for inst in self.instruments for i in inst.items
                 if i.offers_dont_know and i.id in self.data.columns]
        count = len(self.dont_know)
        given = int(self.data[items].notna().to_numpy().sum()) + count if items else count
        return count, (count / given if given else 0.0)

    @property
    def ok(self) -> bool:
        """True when the file has no problem at all."""
        return not self.problems

    @property
    def errors(self) -> list[Problem]:
        """The problems that cost a whole row: rows rejected (not scored)."""
        return [p for p in self.problems if p.rejected]

    @property
    def notices(self) -> list[Problem]:
        """The problems that keep the row: a column, answer or department ignored or mapped."""
        return [p for p in self.problems if not p.rejected]

    def for_organisation(self, organisation: str, wave: str | None = None) -> pd.DataFrame:
        """Return the accepted rows of one organisation (and wave), matched case-insensitively."""
        mask = normalise_series(self.data["organisation"]) == normalise(organisation)
        if wave:
            mask &= self.data["wave"] == wave
        return self.data[mask.fillna(False).to_numpy(dtype=bool)]

    def rejected_for(self, organisation: str) -> pd.DataFrame:
        """Return the rejected rows that name ``organisation`` (case-insensitive)."""
        mask = normalise_series(self.rejected["organisation"]) == normalise(organisation)
        return self.rejected[mask.fillna(False).to_numpy(dtype=bool)]

    def restricted_to(self, organisation: str) -> Responses:
        """Return a copy holding only what one organisation's report may see.

        Its accepted and rejected rows (every wave), the rejected rows that name no
        organisation (row number and reason only: the data-quality table counts them),
        the problems about those rows and about the file, and the file's counts.
        """
        data = self.for_organisation(organisation)
        own = self.rejected_for(organisation)
        anonymous = self.rejected[self.rejected["organisation"].isna()]
        anonymous = anonymous.assign(respondent_id=None)
        rejected = pd.concat([own, anonymous]).sort_index() if len(anonymous) else own
        rows = set(data["row"]) | set(rejected["row"])
        return replace(
            self, data=data, rejected=rejected,
            problems=[p for p in self.problems if p.row is None or p.row in rows],
            warnings=[p for p in self.warnings if p.row is not None and p.row in rows],
            personal=self.personal[self.personal["row"].isin(set(data["row"]))],
            dont_know=self.dont_know[self.dont_know["row"].isin(set(data["row"]))],
        )

    def summary(self) -> pd.DataFrame:
        """Respondents per organisation, wave and department (accepted rows)."""
        return (
            self.data.groupby(["organisation", "wave", "department"], observed=True)
            .size()
            .unstack("department", fill_value=0)
            .reindex(columns=[d for d in DEPARTMENT_ORDER
                              if d in set(self.data["department"].unique())])
        )


def _dont_know_frame(pairs: list[tuple[int, str]]) -> pd.DataFrame:
    """Return the ``dont_know`` table of :class:`Responses`: one (row, item) per such answer."""
    return pd.DataFrame(pairs, columns=["row", "item"]).astype({"row": "int64", "item": "string"})


#: placeholders that quote what a file holds (a cell, a header, a name): cut to
#: :data:`QUOTED_CHARACTERS` in a message, as a cell can hold megabytes
_QUOTED = frozenset({"value", "header", "name", "organisation", "values"})
#: characters of a file's text quoted in a message (the rest is "…")
QUOTED_CHARACTERS = 80


def _problem(file: str, message: Note, row: int | None = None, column: str | None = None,
             rejected: bool = False) -> Problem:
    """Return a Problem: its message in English, and as a Note to be written in Dutch too.

    What the message quotes from the file, and the column's header, are cut to
    :data:`QUOTED_CHARACTERS` characters.
    """
    if any(isinstance(v, str) and len(v) > QUOTED_CHARACTERS for _, v in message.values):
        message = Note(message.key, tuple(
            (k, shorten(v, QUOTED_CHARACTERS) if k in _QUOTED and isinstance(v, str) else v)
            for k, v in message.values))
    if column is not None and len(column) > QUOTED_CHARACTERS:
        column = shorten(column, QUOTED_CHARACTERS)
    return Problem(file=file, row=row, column=column, message=message.text("en"), note=message,
                   rejected=rejected)


def _per_value(file: str, rows, codes, coded: _Coded, column: str, key: str,
               **values: object) -> list[Problem]:
    """Return one problem per row of a column: message ``key`` about that row's value.

    ``rows`` and ``codes``: the rows concerned and their values' codes in ``coded``; the
    message is written once per distinct value.
    """
    said: dict[int, Problem] = {}
    problems = []
    for row, code in zip(rows, codes, strict=True):
        if code not in said:
            said[code] = _problem(file, note(key, value=coded.uniques[code], **values),
                                  column=column)
        problems.append(replace(said[code], row=int(row)))
    return problems


#: limits on an XLSX file, checked before it is parsed; a real survey stays far below them
#: (20,000 respondents x 100 columns unpack to about 70 MB), a zip bomb does not
MAX_XLSX_BYTES = 200 * 2**20
#: data rows and columns a responses table may have (CSV and XLSX; Excel allows 16,384 columns)
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?\""
)
_SEP_LINE = re.compile(r"\A\"?sep=(.)\"?[ \t]*\r?\n", re.IGNORECASE)
_PLAIN_NUMBER = r"[+-]?\d+(?:[.,]\d*)?"
#: an answer of ASCII digits only (at most 9: exact as float), parsed without pandas
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass
class _Table:
    """A table as read: cells as strings, unique column labels, the header each was read from.

    ``coded`` holds each column of ``frame`` as distinct values and codes (:class:`_Coded`),
    so that the checks work once per distinct value instead of once per cell.
    """

    frame: pd.DataFrame
    headers: dict[str, str]
    warnings: list[Problem]
    coded: dict[str, _Coded] = field(default_factory=dict)


@dataclass(frozen=True)
class _Coded:
    """A column of strings as its distinct values and, per row, which one it holds.

    Attributes
    ----------
    codes : ndarray of int
        Per row, the position of its value in ``uniques``; -1 for a missing value.
    uniques : ndarray of object
        The distinct values (non-empty strings), in order of first appearance.
    """

    codes: np.ndarray
    uniques: np.ndarray

    def take(self, per_unique, missing=np.nan) -> np.ndarray:
        """Return the per-row values of ``per_unique`` (one value per unique; ``missing`` at -1)."""
        values = np.empty(len(self.uniques) + 1, dtype=object)
        values[:-1] = per_unique
        values[-1] = missing
        return values[self.codes]

    def mask(self, per_unique) -> np.ndarray:
        """Return the per-row booleans of ``per_unique`` (False where the value is missing)."""
        return np.append(np.asarray(per_unique, dtype=bool), False)[self.codes]

    def strings(self, per_unique, missing=pd.NA):
        """Return the per-row strings of ``per_unique`` as a ``string`` array (None: missing)."""
        values = pd.array([*per_unique, missing], dtype="string")
        return values.take(self.codes)  # -1 takes the last value: the missing one

    def recode(self, per_unique) -> _Coded:
        """Return the column with each distinct value replaced (empty or None: missing)."""
        values = np.empty(len(self.uniques), dtype=object)
        values[:] = list(per_unique)
        remap, uniques = pd.factorize(values, use_na_sentinel=True)
        blank = np.flatnonzero(uniques == "")
        if len(blank):
            remap = np.where(remap == blank[0], -1, remap - (remap > blank[0]))
            uniques = np.delete(uniques, blank[0])
        remap = np.append(remap, -1).astype(_code_type(len(uniques)))
        return _Coded(remap[self.codes], np.asarray(uniques, dtype=object))


def _code_type(distinct: int) -> type:
    """Return the smallest integer type that holds the codes of ``distinct`` values and -1."""
    return np.int8 if distinct < 2**7 else np.int16 if distinct < 2**15 else np.int32


def _code(values: pd.Series) -> _Coded:
    """Return a column of strings (missing values as NA) as distinct values and codes."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    return _Coded(codes.astype(_code_type(len(uniques))), np.asarray(uniques, dtype=object))


def _stripped(values: pd.Series) -> _Coded:
    """Return a column of strings coded: each value stripped of spaces around it, blanks missing."""
    coded = _code(values)
    stripped = [u.strip() for u in coded.uniques]
    if stripped == list(coded.uniques) and "" not in stripped:
        return coded
    return coded.recode(stripped)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX file as strings, headers as written, without changing it.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (comma, semicolon or tab, Excel's ``sep=`` first line understood;
        UTF-8 with or without BOM, cp1252, or UTF-16/32 with BOM) or ``.xlsx`` file.

    Returns
    -------
    DataFrame
        All cells as strings, blanks as missing. A header that appears twice is
        labelled with its column letter the second time (``organisation (column E)``).

    Raises
    ------
    ResponsesError
        When the file is missing, not a regular file, empty, not a table, or over the
        size limits (:data:`MAX_XLSX_BYTES`, :data:`MAX_ROWS`, :data:`MAX_COLUMNS`).
    """
    return _read_table(path).frame


def _read_bytes(path: Path) -> bytes:
    """Return the bytes of a regular file; refuse folders, pipes and devices (never blocks)."""
    file = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ResponsesError([_problem(file, note("ingest_file_not_found"))]) from None
    except IsADirectoryError:
        raise ResponsesError([_problem(file, note("ingest_folder"))]) from None
    except OSError as exc:
        raise ResponsesError([_problem(file, note("ingest_cannot_open", reason=exc.strerror))]) \
            from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = note("ingest_folder" if stat.S_ISDIR(mode) else "ingest_not_regular")
        raise ResponsesError([_problem(file, what)])
    with os.fdopen(fd, "rb") as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise ResponsesError(
                [_problem(file, note("ingest_cannot_read", reason=exc.strerror))]) from None


def _read_table(path: str | Path) -> _Table:
    path = Path(path)
    file = str(path)
    raw = _read_bytes(path)
    if not raw or raw.isspace():
        raise ResponsesError([_problem(file, note("ingest_empty"))])
    if raw[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, raw)
    text, warnings = _decode(raw, file)
    sep = _SEP_LINE.match(text)
    if sep:  # Excel's "sep=;" line: the separator, not a row (Excel does not show it)
        text = text[sep.end():]
    if not text or text.isspace():
        raise ResponsesError([_problem(file, note("ingest_empty"))])
    first = _first_line(text.lstrip())
    delimiter = sep.group(1) if sep else max((",", ";", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        raise ResponsesError(
            [
                _problem(file, note("ingest_no_separator"), row=1)
            ]
        )
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=object,  # the cells as the parser reads them: strings (missing: NaN)
            keep_default_na=False,
            skip_blank_lines=True,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        unclosed = _EOF_IN_QUOTE.search(str(exc))
        if unclosed:  # the parser counts records from 0, the header being 0: row N + 1
            raise ResponsesError([_problem(file, note("ingest_quote_never_closed"),
                                           row=int(unclosed.group(1)) + 1)]) from None
        raise ResponsesError(
            [_problem(file, note("ingest_bad_csv", reason=str(exc)))]
        ) from None
    cleaned = _clean_table(table, file, warnings)
    swallowed = _unclosed_quotes(cleaned, delimiter, file)
    if swallowed:
        raise ResponsesError(swallowed)
    return cleaned


def _unclosed_quotes(table: _Table, delimiter: str, file: str) -> list[Problem]:
    """Find cells that hold whole rows: a quote opened there and not closed until much later.

    The CSV parser then reads the rows in between as that cell's text, and they are lost
    as rows. A comment with line breaks is normal; lines inside a cell that hold about
    half a row's separators (:func:`~assessment.core.text.row_like_lines`) are not.
    Returns one problem per such cell (row, column, how many rows it holds).
    """
    least = max(2, (len(table.headers) - 1) // 2)
    found = []
    for label, coded in table.coded.items():
        counts = [row_like_lines(u, delimiter, least) if "\n" in u else 0
                  for u in coded.uniques]
        if not any(counts):
            continue
        for code in np.flatnonzero(counts):
            for row in table.frame.index[coded.codes == code]:
                found.append(_problem(file, note("ingest_unclosed_quote",
                                                 count=counts[code]),
                                      row=int(row), column=table.headers[label]))
    return found


#: pandas' error for a quote that is never closed ("... EOF inside string starting at row 2")
_EOF_IN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


def _first_line(text: str) -> str:
    """Return ``text.splitlines()[0]`` without splitting the whole text (it is a whole file)."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if len(lines) > 1 or size >= len(text):  # the first line ends within the prefix
            return lines[0]
        size *= 4


def _decode(raw: bytes, file: str) -> tuple[str, list[Problem]]:
    """Decode a CSV file strictly: by its BOM, as UTF-8, as cp1252, or UTF-8 with cp1252 lines.

    A file that is UTF-8 except for some lines (rows pasted from a cp1252 file) has those
    lines read as cp1252, with a warning naming them; a line that is neither is refused
    with its row number.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return _decode_wide(raw, codec, file), []
    head = raw[:4096]
    if b"\x00" in head:
        zeros_odd, zeros_even = head[1::2].count(0), head[0::2].count(0)
        half = len(head) // 2
        # UTF-16 without a BOM: mostly-ASCII text has a zero in (nearly) every other byte
        if half >= 4 and max(zeros_odd, zeros_even) >= 0.4 * half \
                and min(zeros_odd, zeros_even) == 0:
            try:
                return _decode_wide(raw, "utf-16-le" if zeros_odd else "utf-16-be", file), []
            except ResponsesError:
                pass  # not text after all: binary data, said below
        raise ResponsesError(
            [
                _problem(file, note("ingest_binary"))
            ]
        )
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    utf8 = [_try_decode(line, "utf-8") for line in lines]
    if not any(t is not None and not t.isascii() for t in utf8):
        try:  # no line needs UTF-8: a cp1252 file
            return raw.decode("cp1252"), []
        except UnicodeDecodeError:
            pass
    texts = [t if t is not None else _try_decode(line, "cp1252") for t, line in
             zip(utf8, lines, strict=True)]
    bad = [k for k, t in enumerate(texts) if t is None]
    repaired = [k for k, t in enumerate(utf8) if t is None and texts[k] is not None]
    if lines[0].startswith(codecs.BOM_UTF8) and texts[0] is not None:
        texts[0] = texts[0].removeprefix("\ufeff").removeprefix("ï»¿")
    text = "\n".join(t if t is not None else line.decode("cp1252", "replace")
                     for t, line in zip(texts, lines, strict=True))
    rows = _line_rows(text)
    if bad:
        raise ResponsesError(
            [
                _problem(file, note("ingest_undecodable", rows=_rows_note(rows[k] for k in bad)))
            ]
        )
    if not repaired:
        return text, []
    return text, [
        _problem(file, note("ingest_repaired", rows=_rows_note(rows[k] for k in repaired)))
    ]


def _decode_wide(raw: bytes, codec: str, file: str) -> str:
    try:
        return raw.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ResponsesError(
            [_problem(file, note("ingest_bad_wide", codec=codec.upper()[:6], byte=exc.start))]
        ) from None


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _line_rows(text: str) -> list[int]:
    """Map each line of a CSV text to its spreadsheet row (header = row 1, blank lines skipped).

    A quoted cell may span lines; after an Excel ``sep=`` line the header is row 1.
    Lines the csv module cannot follow keep their line number.
    """
    lines = text.split("\n")
    start = 1 if _SEP_LINE.match(text) else 0
    rows = list(range(1 - start, len(lines) + 1 - start))
    delimiter = max((",", ";", "\t"), key=lines[start].count) if start < len(lines) else ","
    reader = csv.reader((line + "\n" for line in lines[start:]), delimiter=delimiter)
    record, done = 0, start
    try:
        for fields in reader:
            if fields:
                record += 1
            for k in range(done, start + reader.line_num):
                rows[k] = record
            done = start + reader.line_num
    except csv.Error:
        pass
    return rows


def _rows_text(rows, limit: int = 12) -> str:
    """'row 5', 'rows 2–4, 9' or 'rows 2, 4, 6, … (30 rows)'."""
    return _rows_note(rows, limit).text("en")


def _rows_note(rows, limit: int = 12) -> Note:
    """Return the rows as :func:`_rows_text` writes them, as a Note ('rijen 2–4, 9' in Dutch)."""
    rows = sorted(set(rows))
    spans: list[list[int]] = []
    for r in rows:
        if spans and r == spans[-1][1] + 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in spans]
    text: str | Note = ", ".join(parts[:limit])
    if len(parts) > limit:
        text = note("ingest_rows_more", rows=text, count=len(rows))
    return note("ingest_rows_one" if len(rows) == 1 else "ingest_rows_many", rows=text)


def _check_xlsx(raw: bytes, file: str) -> None:
    """Refuse a workbook over the limits before parsing it (a zip bomb unpacks to gigabytes).

    The unpacked size comes from the zip directory (Python's zipfile never unpacks more
    than it declares); rows and columns from each worksheet's dimension element.
    """
    def refuse(what: Note) -> ResponsesError:
        return ResponsesError([_problem(file, note("ingest_xlsx_too_large", what=what))])

    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        members = book.infolist()
        size = sum(m.file_size for m in members)
        if size > MAX_XLSX_BYTES:
            raise refuse(note("ingest_xlsx_unpacked", size=size / 2**20,
                              limit=MAX_XLSX_BYTES / 2**20))
        for member in members:
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member.filename):
                continue
            with book.open(member) as fh:
                found = _DIMENSION.search(fh.read(64 * 1024))
            if not found:
                continue
            last_col, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
            rows, columns = int(last_row), _column_number(last_col.decode())
            if rows > MAX_ROWS + 1:
                raise refuse(note("ingest_xlsx_rows", rows=rows, limit=MAX_ROWS))
            if columns > MAX_COLUMNS:
                raise refuse(note("ingest_xlsx_columns", columns=columns, limit=MAX_COLUMNS))


def _column_number(letters: str) -> int:
    """Return the number of a column: 'A' -> 1, 'Z' -> 26, 'AA' -> 27."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - ord("A") + 1
    return number


def _column_letter(number: int) -> str:
    """Return the letters of a column: 1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _read_xlsx(path: Path, raw: bytes) -> _Table:
    file = str(path)
    try:
        _check_xlsx(raw, file)
        table = pd.read_excel(io.BytesIO(raw), sheet_name=0, header=None, dtype=str,
                              engine="openpyxl", nrows=MAX_ROWS + 2)
    except ResponsesError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        reason = str(exc) or type(exc).__name__
        raise ResponsesError(
            [_problem(file, note("ingest_not_xlsx", reason=reason))]
        ) from None
    return _clean_table(table.fillna(""), file, [])


def _clean_table(table: pd.DataFrame, file: str, warnings: list[Problem]) -> _Table:
    """First row as headers (as written, blanks 'Unnamed: k'), cells stripped, blanks missing."""
    if len(table) > MAX_ROWS + 1:
        raise ResponsesError([_problem(file, note("ingest_too_many_rows", limit=MAX_ROWS))])
    if table.shape[1] > MAX_COLUMNS:
        raise ResponsesError([_problem(file, note("ingest_too_many_columns",
                                                  columns=table.shape[1], limit=MAX_COLUMNS))])
    first = table.iloc[0] if len(table) else pd.Series([""] * table.shape[1])
    headers: dict[str, str] = {}
    for k, value in enumerate(first):
        header = "" if pd.isna(value) else str(value).strip()
        label = header or f"Unnamed: {k}"
        if label in headers:
            label = f"{header} (column {_column_letter(k + 1)})"
            copy = 2
            while label in headers:  # a header may itself read 'organisation (column E)'
                label = f"{header} (column {_column_letter(k + 1)}, {copy})"
                copy += 1
        headers[label] = header or label
    body = table.iloc[1:]
    body.columns = list(headers)
    # each column's distinct values stripped once; blanks missing
    coded = {label: _stripped(body[label]) for label in headers}
    # spreadsheet row numbers: header is row 1
    index = pd.RangeIndex(2, 2 + len(body))
    table = pd.DataFrame({label: c.strings(c.uniques) for label, c in coded.items()},
                         index=index, columns=list(headers))
    present = np.zeros(len(body), dtype=bool)
    for c in coded.values():
        present |= c.codes >= 0
    if not present.all():  # rows with no value at all are dropped, as DataFrame.dropna does
        table = table.loc[present]
        coded = {label: _Coded(c.codes[present], c.uniques) for label, c in coded.items()}
    return _Table(table, headers, warnings, coded)


def _match_columns(headers: dict[str, str], instruments: list[Instrument], file: str):
    """Map each column (label -> header as written) to a meta column, item, metadata or nothing."""
    meta_lookup = {syn: canon for canon, syns in META_COLUMNS.items() for syn in syns}
    item_lookup: dict[str, tuple[Instrument, Item]] = {}
    for inst in instruments:
        for item in inst.items:
            former = [t for old in item.former for t in (old.nl, old.en)]
            for key in (item.id, item.text.nl, item.text.en, *former):
                item_lookup.setdefault(normalise(key), (inst, item))
    meta: dict[str, str] = {}
    items: dict[str, tuple[Instrument, Item, str]] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for header, written in headers.items():
        key = normalise(written)
        if key in meta_lookup:
            canon = meta_lookup[key]
            if canon in meta:
                problems.append(
                    _problem(file, note("ingest_two_meta_columns",
                                        canon=note(f"ingest_column_{canon}"),
                                        first=meta[canon], second=header), column=header)
                )
            else:
                meta[canon] = header
        elif key in item_lookup:
            inst, item = item_lookup[key]
            if item.id in items:
                problems.append(
                    _problem(file, note("ingest_two_item_columns", item=item.id,
                                         first=items[item.id][2], second=header), column=header)
                )
            else:
                items[item.id] = (inst, item, header)
        elif key in FORM_METADATA or key.startswith("unnamed:") or not key:
            ignored.append(header)
        else:
            problems.append(
                _problem(file, note("ingest_unknown_column", header=header,
                                     hint=_column_hint_note(written)), column=header)
            )
    if "respondent_id" not in meta:
        for header in ignored:
            if normalise(headers[header]) == "id":
                meta["respondent_id"] = header
    return meta, items, ignored, problems


def column_hint(header: str) -> str:
    """Suggest how to map an unknown column whose header names a known one in other words.

    Examples
    --------
    >>> column_hint("In welke afdeling werkt u?")
    "; if it holds each respondent's department, rename its header to 'department' (or 'afdeling')"
    >>> column_hint("Opmerkingen")
    ''
    """
    hint = _column_hint_note(header)
    return hint.text("en") if hint else ""


def _column_hint_note(header: str) -> Note | str:
    """Return the suggestion of :func:`column_hint` as a Note (in Dutch: Dutch header first)."""
    words = normalise(header).replace("?", " ").replace(":", " ").split()
    canon = next((COLUMN_HINTS[w] for w in words if w in COLUMN_HINTS), None)
    if canon is None:
        return ""
    what = note(f"ingest_hint_{canon}")
    dutch = {"department": "afdeling", "organisation": "organisatie", "wave": "meting",
             "language": "taal"}.get(canon)
    if dutch:
        return note("ingest_hint_dutch", what=what, canon=canon, dutch=dutch)
    return note("ingest_hint", what=what, canon=canon)


def _answer_lookup(item: Item, inst: Instrument) -> dict[str, object]:
    """Map accepted answer texts (normalised) to values, for one item."""
    lookup: dict[str, object] = {}
    if item.type == "stages4":
        for k, opt in enumerate(item.options, start=1):
            for text in (opt, *opt.former):  # earlier versions' wordings read as the same level
                lookup[normalise(text.nl)] = k
                lookup[normalise(text.en)] = k
    elif item.type == "likert5":
        for k, label in enumerate(inst.scale.labels, start=1):
            lookup[normalise(label.nl)] = k
            lookup[normalise(label.en)] = k
    elif item.type == "choice":
        for k, opt in enumerate(item.options, start=1):
            for key in (opt.value, opt.nl, opt.en, str(k)):
                lookup[normalise(key)] = opt.value
    return lookup


def dont_know_keys(item: Item, inst: Instrument) -> frozenset[str]:
    """Return the answers (normalised) that mean "don't know / not applicable" on ``item``.

    The scale's ``dont_know`` text in both languages, its other spellings (``also``) and
    the machine value :data:`~assessment.core.instruments.DONT_KNOW` that the teaching
    forms write; empty for items that do not offer it (``choice``, ``nps``, ``text``).

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> inst = load_instrument("alignment")
    >>> sorted(dont_know_keys(inst.items[0], inst))[:4]
    ['dk', "don't know", "don't know / not applicable", 'dont_know']
    """
    dont = inst.scale.dont_know
    if not item.offers_dont_know or dont is None:
        return frozenset()
    return frozenset(normalise(t) for t in (dont.nl, dont.en, *dont.also, DONT_KNOW))


def _allowed(item: Item) -> Note:
    """Return the answers an item accepts, as said in a problem."""
    if item.type == "choice":
        return note("ingest_allowed_choice", options=", ".join(f"{o.value}" for o in item.options))
    lo, hi = item.range
    if item.type == "nps":
        return note("ingest_allowed_nps", lo=lo, hi=hi)
    if item.offers_dont_know:
        return note("ingest_allowed_dont_know", lo=lo, hi=hi)
    return note("ingest_allowed_number", lo=lo, hi=hi)


def _parse_item(values: pd.Series, coded: _Coded, inst: Instrument, item: Item, header: str,
                file: str):
    """Return (parsed values, problems, don't-know mask) for one item column.

    Each distinct answer (``coded``: the column's distinct values and codes) is parsed
    once. A "don't know / not applicable" answer is read as not answered (missing),
    without a problem; the mask marks those rows.
    """
    if item.type == "text":
        return values.astype(object).where(values.notna(), None), [], None
    parsed_u = _parse_whole_numbers(coded.uniques, inst, item)
    if parsed_u is None:
        parsed_u = _parse_answers(pd.Series(coded.uniques, dtype="string"), inst, item)
    parsed = pd.Series(pd.api.extensions.take(parsed_u.to_numpy(), coded.codes, allow_fill=True),
                       index=values.index, dtype=parsed_u.dtype)
    keys = dont_know_keys(item, inst)
    dont_know = None
    known = np.zeros(len(coded.uniques), dtype=bool)
    if keys:
        known = np.array([k in keys for k in normalise_many(coded.uniques)], dtype=bool)
        dont_know = pd.Series(coded.mask(known), index=values.index)
    bad = coded.mask(parsed_u.isna().to_numpy(dtype=bool) & ~known)
    problems = _per_value(file, values.index[bad], coded.codes[bad], coded, header,
                          "ingest_bad_answer", allowed=_allowed(item))
    return parsed, problems, dont_know


def _parse_answers(values: pd.Series, inst: Instrument, item: Item) -> pd.Series:
    """Parse answers (no missing values) of one item: the value, or missing when not valid."""
    keys = normalise_series(values)
    lookup = _answer_lookup(item, inst)
    by_text = keys.map(lookup)
    if item.type == "choice":
        parsed = by_text.astype(object)
        bad = values.notna() & by_text.isna()
    else:
        plain = keys.str.fullmatch(_PLAIN_NUMBER).fillna(False).astype(bool)  # not 1e1, 0x1
        numbers = pd.to_numeric(keys.where(plain).str.replace(",", ".", regex=False),
                                errors="coerce")
        lo, hi = item.range
        valid_number = numbers.notna() & (numbers == np.floor(numbers)) & numbers.between(lo, hi)
        parsed = numbers.where(valid_number).astype("float64")
        parsed = parsed.fillna(pd.to_numeric(by_text, errors="coerce"))
        bad = values.notna() & parsed.isna()
        parsed = parsed.astype("float64")
    return parsed.where(~bad)


def _parse_whole_numbers(answers: np.ndarray, inst: Instrument, item: Item) -> pd.Series | None:
    """Parse answers that are all plain whole numbers as :func:`_parse_answers` does, quickly.

    The usual answers of a scored item (``"1"`` … ``"5"``): a number in the item's range is
    its value, any other is missing. None when some answer is anything else (an option
    text, a sign, a decimal, another script's digits) or the item is not a scored one.
    """
    if item.type not in SCORED_TYPES or not all(_WHOLE_NUMBER.fullmatch(a) for a in answers):
        return None
    lookup = _answer_lookup(item, inst)
    if any(a in lookup for a in answers):
        return None  # an option written as a number: the full parse decides
    lo, hi = item.range
    return pd.Series([float(n) if lo <= n <= hi else np.nan for n in map(int, answers)],
                     dtype="float64")


def _normalised(coded: _Coded) -> list[str]:
    """Return :func:`~assessment.core.text.normalise` of each distinct value of a column."""
    return normalise_many(coded.uniques)


def _canonical_names(names: pd.Series, coded: _Coded):
    """Write every spelling of a name (case, spaces, quotes) as its first spelling in the file.

    Returns the names and their distinct values and codes.
    """
    first: dict[str, str] = {}
    canon = [first.setdefault(key, name)
             for key, name in zip(_normalised(coded), coded.uniques, strict=True)]
    return pd.Series(coded.strings(canon), index=names.index, name=names.name), coded.recode(canon)


def _strip_format_characters(values: pd.Series, coded: _Coded, column: str, file: str):
    """Remove format characters (zero-width, right-to-left overrides) from names; warn per column.

    Returns the cleaned values, a list with at most one warning naming the rows and the
    characters, and the cleaned values' distinct values and codes.
    """
    if "".join(coded.uniques).isascii():  # ASCII text holds no format characters
        cleaned = [u.strip() for u in coded.uniques]
    else:
        cleaned = [FORMAT_CHARACTERS.sub("", u).strip() for u in coded.uniques]
    return _cleaned(values, coded, cleaned, format_characters, "ingest_format_characters",
                    column, file)


def _strip_control_characters(values: pd.Series, coded: _Coded, column: str, file: str):
    """Remove control characters (ESC, BEL, line breaks) from names; warn per column.

    A name is printed on terminals and written into reports and CSV files: an ESC in it
    would let a file recolour or clear the user's screen, set its title or write its
    clipboard. Line breaks and tabs become a space, other control characters go.

    Returns as :func:`_strip_format_characters`.
    """
    if not CONTROL_CHARACTERS.search("".join(coded.uniques)):
        return values, [], coded
    cleaned = [" ".join(strip_control(u).split()) for u in coded.uniques]
    return _cleaned(values, coded, cleaned, control_characters, "ingest_control_characters",
                    column, file)


def _cleaned(values: pd.Series, coded: _Coded, cleaned: list[str], named, key: str,
             column: str, file: str):
    """Return ``values`` with each distinct value replaced by ``cleaned``, and one warning.

    The warning (message ``key``) names the characters removed (``named`` lists them, at
    most three shown) and the rows that changed; none when nothing changed.
    """
    changed_u = np.array([c != u for c, u in zip(cleaned, coded.uniques, strict=True)],
                         dtype=bool)
    if not changed_u.any():
        return values, [], coded
    changed = coded.mask(changed_u)
    found = named("".join(coded.uniques[changed_u]))
    shown: str | Note = ", ".join(found[:3])
    if len(found) > 3:
        shown = note("ingest_and_more", shown=shown, count=len(found) - 3)
    warning = _problem(file, note(key, shown=shown, rows=_rows_note(values.index[changed])),
                       column=column)
    cleaned_values = pd.Series(coded.strings([c or None for c in cleaned]), index=values.index)
    return cleaned_values, [warning], coded.recode(cleaned)


def _near_duplicates(coded: _Coded, index: pd.Index, column: str, file: str) -> list[Problem]:
    """Warn about organisation names that differ only in mojibake, case, spacing or punctuation.

    Such names are scored as separate organisations (they may be two); the warning
    names each spelling with its rows so that the file can be corrected. ``coded``: the
    names' distinct values and codes, ``index``: the rows.
    """
    spellings = coded.uniques
    if len(spellings) < 2:
        return []
    groups: dict[str, list[int]] = {}
    for k, name in enumerate(spellings):
        groups.setdefault(name_key(name), []).append(k)
    warnings = []
    for group in groups.values():
        if len(group) < 2:
            continue
        described = None
        for k in group:  # 'a' (row 2) and 'A' (row 5) and …
            spelling = note("ingest_spelling", name=spellings[k],
                            rows=_rows_note(index[coded.codes == k]))
            described = (spelling if described is None
                         else note("ingest_and", first=described, second=spelling))
        warnings.append(
            _problem(file, note("ingest_near_duplicates", described=described), column=column)
        )
    return warnings


#: the most staff an organisation can have here (the largest employers have about 2.3 million)
MAX_EMPLOYEES = 10_000_000


def _employees(raw: str) -> int | None | str:
    """Read one number of staff: the number, None when blank, or the raw text when invalid."""
    text = normalise(raw).replace(" ", "")
    text = text[:-2] if text.endswith((".0", ",0")) else text
    # ASCII digits only ('²'.isdigit() holds, int('²') fails), and few enough for int()
    if text.isascii() and text.isdigit() and len(text) <= 8 and 1 <= int(text) <= MAX_EMPLOYEES:
        return int(text)
    return raw if text else None


def _parse_employees(values: pd.Series, coded: _Coded, column: str, file: str):
    """Read an organisation's number of staff: a whole number of at least 1, else ignored."""
    read = [_employees(u) for u in coded.uniques]
    numbers = [n if isinstance(n, int) else pd.NA for n in read]
    out = pd.Series(pd.array(coded.take(numbers, pd.NA), dtype="Int64"), index=values.index)
    invalid = coded.mask([isinstance(n, str) for n in read])
    problems = _per_value(file, values.index[invalid], coded.codes[invalid], coded, column,
                          "ingest_bad_employees")
    return out, problems


def _parse_complexity(values: pd.Series, coded: _Coded, column: str, file: str):
    """Read an organisation's sale complexity: simple or complex (Dutch names accepted)."""
    keys = [normalise(u) for u in coded.uniques]
    out = pd.Series(coded.strings([SALE_COMPLEXITY.get(k) for k in keys]), index=values.index)
    invalid = coded.mask([bool(k) and k not in SALE_COMPLEXITY for k in keys])
    problems = _per_value(file, values.index[invalid], coded.codes[invalid], coded, column,
                          "ingest_bad_complexity")
    return out, problems


def _conflicts(out: pd.DataFrame, keys: pd.Series, canon: str, column: str,
               file: str) -> list[Problem]:
    """Warn where one organisation's rows give different values of an organisation fact.

    ``keys``: each row's organisation, normalised.
    """
    found = []
    given = out[[canon]].assign(o=keys).dropna()
    if given.empty:
        return found
    counts = given.groupby("o", sort=False)[canon].nunique()
    given = given[given["o"].isin(set(counts.index[counts.to_numpy() > 1]))]
    for _, part in given.groupby("o", sort=False):
        values = part[canon].unique()
        if len(values) > 1:
            row = int(part.index[(part[canon] != part[canon].iloc[0]).to_numpy()][0])
            found.append(_problem(
                file, note("ingest_conflict", canon=note(f"ingest_column_{canon}"),
                           organisation=out.at[row, "organisation"],
                           values=", ".join(map(str, values))), row=row, column=column))
    return found


def read_responses(path: str | Path, instruments: list[Instrument] | None = None) -> Responses:
    """Read and check a responses file.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX, one row per respondent (see DESIGN section 4).
    instruments : list of Instrument, optional
        Instruments whose items may appear; default: every bundled instrument.

    Returns
    -------
    Responses
        Accepted rows, rejected rows with reasons, and every problem.

    Raises
    ------
    ResponsesError
        When the file cannot be read as a responses table at all.

    Examples
    --------
    >>> from assessment.core.config import EXAMPLE_RESPONSES
    >>> r = read_responses(EXAMPLE_RESPONSES)
    >>> r.rows_in == len(r.data) + len(r.rejected)
    True
    """
    file = str(path)
    instruments = list_instruments() if instruments is None else instruments
    read = _read_table(path)
    table, warnings, coded = read.frame, list(read.warnings), dict(read.coded)
    if table.empty:
        raise ResponsesError([_problem(file, note("ingest_no_answers"))])
    meta, items, ignored, problems = _match_columns(read.headers, instruments, file)
    if not items:
        raise ResponsesError(
            [
                _problem(file, note("ingest_no_items",
                                    instruments=", ".join(i.id for i in instruments)))
            ]
            + problems
        )
    if "organisation" not in meta:
        raise ResponsesError(
            [
                _problem(file, note("ingest_no_organisation_column"))
            ]
            + problems
        )

    for canon in ("respondent_id", "organisation", "department", "wave", "language"):
        if canon in meta:
            col = meta[canon]
            cleaned, warning, coded[col] = _strip_format_characters(table[col], coded[col],
                                                                    col, file)
            if warning:
                table[col] = cleaned
            warnings.extend(warning)
            cleaned, warning, coded[col] = _strip_control_characters(table[col], coded[col],
                                                                     col, file)
            if warning:
                table[col] = cleaned
            warnings.extend(warning)
    out = pd.DataFrame(index=table.index)
    out["row"] = table.index.astype("int64")
    if "respondent_id" in meta:
        out["respondent_id"] = table[meta["respondent_id"]]
    else:
        out["respondent_id"] = pd.Series(
            [f"row-{r}" for r in table.index], index=table.index, dtype="string"
        )
    out["organisation"], organisations = _canonical_names(table[meta["organisation"]],
                                                          coded[meta["organisation"]])
    org_keys = pd.Series(organisations.strings(_normalised(organisations)), index=table.index)
    warnings.extend(_near_duplicates(organisations, table.index, meta["organisation"], file))
    if "department" in meta:
        raw_dept = coded[meta["department"]]
        dept = [DEPARTMENTS.get(key) for key in _normalised(raw_dept)]
        unknown = raw_dept.mask([d is None for d in dept])
        problems.extend(_per_value(file, table.index[unknown], raw_dept.codes[unknown],
                                   raw_dept, meta["department"], "ingest_bad_department"))
        out["department"] = pd.Series(raw_dept.strings([d or "other" for d in dept], "other"),
                                      index=table.index)
    else:
        out["department"] = pd.Series("other", index=table.index, dtype="string")
    out["wave"] = (
        table[meta["wave"]].fillna("")
        if "wave" in meta
        else pd.Series("", index=table.index, dtype="string")
    )
    out["language"] = (
        pd.Series(coded[meta["language"]].strings(_normalised(coded[meta["language"]])),
                  index=table.index)
        if "language" in meta
        else pd.Series(pd.NA, index=table.index, dtype="string")
    )
    for canon, parse in (("employees", _parse_employees),
                         ("sale_complexity", _parse_complexity)):
        if canon in meta:
            values, found = parse(table[meta[canon]], coded[meta[canon]], meta[canon], file)
            out[canon] = values
            problems.extend(found)
            warnings.extend(_conflicts(out, org_keys, canon, meta[canon], file))
    scored_ids = []
    columns = {}
    dont_know: list[tuple[int, str]] = []
    for item_id, (inst, item, header) in items.items():
        parsed, item_problems, unknown = _parse_item(table[header], coded[header], inst, item,
                                                     header, file)
        if unknown is not None and unknown.any():
            dont_know.extend((int(r), item_id) for r in table.index[unknown.to_numpy()])
        out[item_id] = parsed
        columns[item_id] = header
        problems.extend(item_problems)
        if item.scored:
            scored_ids.append(item_id)

    said = {note(key).text("en"): note(key) for key in REASON_KEYS}  # English reason -> Note
    english = {key: note(key).text("en") for key in REASON_KEYS}
    reasons = pd.Series(pd.NA, index=table.index, dtype="string")
    no_org = out["organisation"].isna()
    reasons[no_org] = english["ingest_reason_no_organisation"]
    no_answers = out[scored_ids].isna().all(axis=1) if scored_ids else no_org
    reasons[no_answers & reasons.isna()] = english["ingest_reason_no_answers"]
    no_id = out["respondent_id"].isna()
    reasons[no_id & reasons.isna()] = english["ingest_reason_no_id"]
    key = pd.DataFrame(
        {
            "o": org_keys,
            "w": out["wave"],
            "r": (pd.Series(coded[meta["respondent_id"]].strings(
                      _normalised(coded[meta["respondent_id"]])), index=table.index)
                  if "respondent_id" in meta else normalise_series(out["respondent_id"])),
        }
    )
    candidates = reasons.isna()
    dup = key[candidates].duplicated(keep="first")
    if dup.any():
        first_row = (key[candidates].reset_index()
                     .groupby(["o", "w", "r"])["index"].transform("first"))
        first_row.index = key[candidates].index
    for row in dup.index[dup.to_numpy(dtype=bool)]:
        reason = note("ingest_reason_duplicate", respondent=out.at[row, "respondent_id"],
                      organisation=out.at[row, "organisation"], row=int(first_row[row]))
        reasons[row] = said.setdefault(reason.text("en"), reason).text("en")
    rejected_mask = reasons.notna()
    id_col = meta.get("respondent_id")
    org_col = meta["organisation"]
    for row in reasons.index[rejected_mask.to_numpy(dtype=bool)]:
        col = org_col if reasons[row] == english["ingest_reason_no_organisation"] else id_col
        problems.append(_problem(file, note("ingest_rejected", reason=said[reasons[row]]),
                                 row=int(row), column=col, rejected=True))
    rejected = pd.DataFrame(
        {
            "row": out.loc[rejected_mask, "row"],
            "respondent_id": out.loc[rejected_mask, "respondent_id"],
            "organisation": out.loc[rejected_mask, "organisation"],
            "reason": reasons[rejected_mask],
        }
    ).reset_index(drop=True)
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    # personal data in comments: found with the respondents' names, which are then dropped
    name_col = next((h for h in ignored if normalise(h) in ("name", "naam")), None)
    text_items = {i: h for i, (_, item, h) in items.items() if item.type == "text"}
    accepted = out[~rejected_mask]
    personal = scan_comments(accepted, text_items,
                             table.loc[accepted.index, name_col] if name_col else None)
    present = [inst for inst in instruments if any(i[0].id == inst.id for i in items.values())]
    dont_know_table = _dont_know_frame(dont_know)
    dont_know_table = dont_know_table[dont_know_table["row"].isin(set(accepted["row"]))]
    return Responses(
        file=file,
        data=out[~rejected_mask].reset_index(drop=True),
        rejected=rejected,
        problems=problems,
        rows_in=len(table),
        columns=columns,
        instruments=present,
        ignored_columns=ignored,
        warnings=warnings,
        personal=personal,
        dont_know=dont_know_table.sort_values(["row", "item"]).reset_index(drop=True),
    )
