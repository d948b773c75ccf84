"""Read a responses file (CSV or XLSX, wide: one row per respondent) into a checked table.

Real exports are the normal case: comma or semicolon, UTF-8 (with or without BOM)
or cp1252, item columns named by id or by question text in either language,
answers given as numbers or as option texts, Forms metadata columns. Every problem
is collected with file, row and column; every row ends up accepted or rejected with
its reason; the input file is only read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.core.exceptions import Problem, ResponsesError
from assessment.core.instruments import Instrument, Item, list_instruments
from assessment.core.privacy import scan_comments
from assessment.core.text import map_unique, normalise, normalise_series

__all__ = [
    "DEPARTMENTS",
    "META_COLUMNS",
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
    """

    file: str
    data: pd.DataFrame
    rejected: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_in: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    instruments: list[Instrument] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    personal: pd.DataFrame = field(default_factory=lambda: scan_comments(
        pd.DataFrame(columns=["row", "organisation"]), {}))

    @property
    def ok(self) -> bool:
        """True when the file has no problem at all."""
        return not self.problems

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
            personal=self.personal[self.personal["row"].isin(set(data["row"]))],
        )

    def summary(self) -> pd.DataFrame:
        """Respondents per organisation, wave and department (accepted rows)."""
        return (
            self.data.groupby(["organisation", "wave", "department"], observed=True)
            .size()
            .unstack("department", fill_value=0)
            .reindex(columns=[d for d in DEPARTMENT_ORDER if d in set(self.data["department"])])
        )


def _problem(file: str, message: str, row: int | None = None, column: str | None = None):
    return Problem(file=file, row=row, column=column, message=message)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX file as strings, headers as written, without changing it.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (comma or semicolon; UTF-8, UTF-8 with BOM, or cp1252) or
        ``.xlsx`` file.

    Returns
    -------
    DataFrame
        All cells as strings, blanks as missing.

    Raises
    ------
    ResponsesError
        When the file is missing, empty, or not a table.
    """
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise ResponsesError([_problem(file, "file not found")])
    raw = path.read_bytes()
    if not raw.strip():
        raise ResponsesError([_problem(file, "the file is empty")])
    if raw[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, raw)
    if b"\x00" in raw[:4096]:
        raise ResponsesError(
            [
                _problem(
                    file,
                    "this is not a CSV or XLSX file (it holds binary data); "
                    "save the answers as .csv or .xlsx",
                )
            ]
        )
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ResponsesError([_problem(file, "cannot read the text: save as UTF-8 or cp1252 CSV")])
    first = text.lstrip().splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        raise ResponsesError(
            [
                _problem(
                    file,
                    "this is not a responses table: the first line has no comma or "
                    "semicolon separating columns",
                    row=1,
                )
            ]
        )
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise ResponsesError(
            [_problem(file, f"this is not a well-formed CSV file: {exc}")]
        ) from None
    return _clean_table(table)


def _read_xlsx(path: Path, raw: bytes) -> pd.DataFrame:
    try:
        table = pd.read_excel(io.BytesIO(raw), sheet_name=0, dtype=str, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise ResponsesError(
            [_problem(str(path), f"this is not a readable XLSX file: {exc}")]
        ) from None
    return _clean_table(table.fillna(""))


def _clean_table(table: pd.DataFrame) -> pd.DataFrame:
    table = table.astype("string")
    table = table.apply(lambda s: map_unique(s, lambda u: u.str.strip())).replace("", pd.NA)
    table.columns = [str(c).strip() for c in table.columns]
    # spreadsheet row numbers: header is row 1
    table.index = pd.RangeIndex(2, 2 + len(table))
    return table.dropna(how="all")


def _match_columns(headers: list[str], instruments: list[Instrument], file: str):
    """Map each header to a meta column, an item, form metadata, or nothing."""
    meta_lookup = {syn: canon for canon, syns in META_COLUMNS.items() for syn in syns}
    item_lookup: dict[str, tuple[Instrument, Item]] = {}
    for inst in instruments:
        for item in inst.items:
            for key in (item.id, item.text.nl, item.text.en):
                item_lookup.setdefault(normalise(key), (inst, item))
    meta: dict[str, str] = {}
    items: dict[str, tuple[Instrument, Item, str]] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for header in headers:
        key = normalise(header)
        if key in meta_lookup:
            canon = meta_lookup[key]
            if canon in meta:
                problems.append(
                    _problem(
                        file,
                        f"two columns mean {canon}: {meta[canon]!r} and "
                        f"{header!r}; the second is ignored",
                        column=header,
                    )
                )
            else:
                meta[canon] = header
        elif key in item_lookup:
            inst, item = item_lookup[key]
            if item.id in items:
                problems.append(
                    _problem(
                        file,
                        f"two columns hold item {item.id}: "
                        f"{items[item.id][2]!r} and {header!r}; the second is "
                        "ignored",
                        column=header,
                    )
                )
            else:
                items[item.id] = (inst, item, header)
        elif key in FORM_METADATA or key.startswith("unnamed:"):
            ignored.append(header)
        else:
            problems.append(
                _problem(
                    file,
                    f"unknown column {header!r}: not an item id, question text or known "
                    "column (respondent_id, organisation, department, wave, language); ignored",
                    column=header,
                )
            )
    if "respondent_id" not in meta:
        for header in ignored:
            if normalise(header) == "id":
                meta["respondent_id"] = header
    return meta, items, ignored, problems


def _answer_lookup(item: Item, inst: Instrument) -> dict[str, object]:
    """Map accepted answer texts (normalised) to values, for one item."""
    lookup: dict[str, object] = {}
    if item.type == "stages4":
        for k, opt in enumerate(item.options, start=1):
            lookup[normalise(opt.nl)] = k
            lookup[normalise(opt.en)] = k
    elif item.type == "likert5":
        for k, label in enumerate(inst.scale.labels, start=1):
            lookup[normalise(label.nl)] = k
            lookup[normalise(label.en)] = k
    elif item.type == "choice":
        for k, opt in enumerate(item.options, start=1):
            for key in (opt.value, opt.nl, opt.en, str(k)):
                lookup[normalise(key)] = opt.value
    return lookup


def _allowed(item: Item) -> str:
    if item.type == "choice":
        return "one of: " + ", ".join(f"{o.value}" for o in item.options)
    lo, hi = item.range
    what = "an option text" if item.type in ("stages4", "likert5") else "a whole number"
    return f"{lo}–{hi} or {what}" if item.type != "nps" else f"a whole number {lo}–{hi}"


def _parse_item(values: pd.Series, inst: Instrument, item: Item, header: str, file: str):
    """Return (parsed values, problems) for one item column (each distinct answer parsed once)."""
    if item.type == "text":
        return values.astype(object).where(values.notna(), None), []
    answers = values.astype("string")
    parsed = map_unique(answers, lambda u: _parse_answers(u, inst, item))
    bad = values.notna() & parsed.isna()
    problems = [
        _problem(
            file,
            f"{values[row]!r} is not an answer on this item ({_allowed(item)}); "
            "the answer is ignored",
            row=int(row),
            column=header,
        )
        for row in values.index[bad.to_numpy(dtype=bool)]
    ]
    return parsed, problems


def _parse_answers(values: pd.Series, inst: Instrument, item: Item) -> pd.Series:
    """Parse answers (no missing values) of one item: the value, or missing when not valid."""
    keys = normalise_series(values)
    lookup = _answer_lookup(item, inst)
    by_text = keys.map(lookup)
    if item.type == "choice":
        parsed = by_text.astype(object)
        bad = values.notna() & by_text.isna()
    else:
        numbers = pd.to_numeric(keys.str.replace(",", ".", regex=False), errors="coerce")
        lo, hi = item.range
        valid_number = numbers.notna() & (numbers == np.floor(numbers)) & numbers.between(lo, hi)
        parsed = numbers.where(valid_number).astype("float64")
        parsed = parsed.fillna(pd.to_numeric(by_text, errors="coerce"))
        bad = values.notna() & parsed.isna()
        parsed = parsed.astype("float64")
    return parsed.where(~bad)


def _canonical_names(names: pd.Series) -> pd.Series:
    """Write every spelling of a name (case, spaces, quotes) as its first spelling in the file."""
    keys = normalise_series(names)
    first = names.groupby(keys, sort=False).transform("first")
    return first.where(names.notna())


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
    table = read_table(path)
    if table.empty:
        raise ResponsesError([_problem(file, "the file has a header but no answers")])
    meta, items, ignored, problems = _match_columns(list(table.columns), instruments, file)
    if not items:
        raise ResponsesError(
            [
                _problem(
                    file,
                    "this is not a responses table: no column matches an item id or question "
                    f"text of the instruments ({', '.join(i.id for i in instruments)}); "
                    "use `assess template` to get a file with the right columns",
                )
            ]
            + problems
        )
    if "organisation" not in meta:
        raise ResponsesError(
            [
                _problem(
                    file,
                    "no organisation column: add a column 'organisation' (or 'organisatie') "
                    "naming each respondent's organisation",
                )
            ]
            + problems
        )

    out = pd.DataFrame(index=table.index)
    out["row"] = table.index.astype("int64")
    if "respondent_id" in meta:
        out["respondent_id"] = table[meta["respondent_id"]]
    else:
        out["respondent_id"] = pd.Series(
            [f"row-{r}" for r in table.index], index=table.index, dtype="string"
        )
    out["organisation"] = _canonical_names(table[meta["organisation"]])
    if "department" in meta:
        raw_dept = table[meta["department"]]
        dept = normalise_series(raw_dept).map(DEPARTMENTS)
        unknown = raw_dept.notna() & dept.isna()
        for row in raw_dept.index[unknown.to_numpy(dtype=bool)]:
            problems.append(
                _problem(
                    file,
                    f"{raw_dept[row]!r} is not a department (allowed: marketing, sales, "
                    "service, management, other, or the Dutch names); counted as other",
                    row=int(row),
                    column=meta["department"],
                )
            )
        out["department"] = dept.fillna("other").astype("string")
    else:
        out["department"] = pd.Series("other", index=table.index, dtype="string")
    out["wave"] = (
        table[meta["wave"]].fillna("")
        if "wave" in meta
        else pd.Series("", index=table.index, dtype="string")
    )
    out["language"] = (
        normalise_series(table[meta["language"]])
        if "language" in meta
        else pd.Series(pd.NA, index=table.index, dtype="string")
    )
    scored_ids = []
    columns = {}
    for item_id, (inst, item, header) in items.items():
        parsed, item_problems = _parse_item(table[header], inst, item, header, file)
        out[item_id] = parsed
        columns[item_id] = header
        problems.extend(item_problems)
        if item.scored:
            scored_ids.append(item_id)

    reasons = pd.Series(pd.NA, index=table.index, dtype="string")
    no_org = out["organisation"].isna()
    reasons[no_org] = "no organisation given"
    no_answers = out[scored_ids].isna().all(axis=1) if scored_ids else no_org
    reasons[no_answers & reasons.isna()] = "no answers on any scored item"
    no_id = out["respondent_id"].isna()
    reasons[no_id & reasons.isna()] = "no respondent id given"
    key = pd.DataFrame(
        {
            "o": normalise_series(out["organisation"]),
            "w": out["wave"],
            "r": normalise_series(out["respondent_id"]),
        }
    )
    candidates = reasons.isna()
    dup = key[candidates].duplicated(keep="first")
    first_row = key[candidates].reset_index().groupby(["o", "w", "r"])["index"].transform("first")
    first_row.index = key[candidates].index
    for row in dup.index[dup.to_numpy(dtype=bool)]:
        reasons[row] = (
            f"duplicate respondent {out.at[row, 'respondent_id']!r} in "
            f"{out.at[row, 'organisation']!r}: also on row {int(first_row[row])}"
        )
    rejected_mask = reasons.notna()
    id_col = meta.get("respondent_id")
    org_col = meta["organisation"]
    for row in reasons.index[rejected_mask.to_numpy(dtype=bool)]:
        col = org_col if reasons[row] == "no organisation given" else id_col
        problems.append(_problem(file, f"row rejected: {reasons[row]}", row=int(row), column=col))
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
    return Responses(
        file=file,
        data=out[~rejected_mask].reset_index(drop=True),
        rejected=rejected,
        problems=problems,
        rows_in=len(table),
        columns=columns,
        instruments=present,
        ignored_columns=ignored,
        personal=personal,
    )
