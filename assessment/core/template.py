"""Fill-in templates generated from an instrument: XLSX with drop-downs, or CSV."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assessment.core.files import write_atomic
from assessment.core.i18n import check_lang
from assessment.core.instruments import Instrument

__all__ = ["template_columns", "write_template"]

META = ("respondent_id", "organisation", "department", "wave", "language")
DEPARTMENT_CHOICES = {
    "nl": "marketing,sales,service,management,other",
    "en": "marketing,sales,service,management,other",
}
HELP = {
    "nl": {
        "sheet": "Uitleg",
        "item": "Kolom",
        "question": "Vraag",
        "answers": "Antwoorden",
        "intro": "Eén rij per respondent. Vul per vraag het nummer van het antwoord in "
        "(of kies het uit de lijst). Leeg = niet beantwoord. Afdeling: marketing, sales, service, "
        "management of other.",
    },
    "en": {
        "sheet": "Explanation",
        "item": "Column",
        "question": "Question",
        "answers": "Answers",
        "intro": "One row per respondent. For each question enter the number of the answer (or "
        "pick it from the list). Blank = not answered. Department: marketing, sales, "
        "service, management or other.",
    },
}


def template_columns(instrument: Instrument) -> list[str]:
    """Return the template's columns: the respondent columns, then every item id.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> template_columns(load_instrument("alignment"))[:6]
    ['respondent_id', 'organisation', 'department', 'wave', 'language', 'MS-roles-1']
    """
    return [*META, *(i.id for i in instrument.items)]


def _answers(item, instrument: Instrument, lang: str) -> list[str]:
    if item.type == "stages4":
        return [f"{k} = {o.get(lang)}" for k, o in enumerate(item.options, 1)]
    if item.type == "likert5":
        return [f"{k} = {lab.get(lang)}" for k, lab in enumerate(instrument.scale.labels, 1)]
    if item.type == "choice":
        return [f"{o.value} = {o.get(lang)}" for o in item.options]
    if item.type == "nps":
        return ["0 … 10"]
    return ["(free text)" if lang == "en" else "(vrije tekst)"]


def _allowed_values(item) -> str | None:
    if item.type in ("stages4", "likert5", "nps"):
        lo, hi = item.range
        return ",".join(str(v) for v in range(lo, hi + 1))
    if item.type == "choice":
        return ",".join(o.value for o in item.options)
    return None


def write_template(
    instrument: Instrument, out: str | Path, lang: str = "nl", rows: int = 200
) -> Path:
    """Write a fill-in file for ``instrument``: XLSX (drop-downs, explanation sheet) or CSV.

    Parameters
    ----------
    instrument : Instrument
    out : str or Path
        ``.xlsx`` or ``.csv``; written atomically.
    lang : {'nl', 'en'}
        Language of the explanation sheet.
    rows : int
        Rows that get drop-down validation (XLSX).

    Returns
    -------
    Path
    """
    check_lang(lang)
    out = Path(out)
    columns = template_columns(instrument)
    if out.suffix.lower() == ".csv":
        write_atomic(out, ",".join(columns) + "\n")
        return out
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"out must end in .xlsx or .csv, got {out.name!r}")
    wb = Workbook()
    ws = wb.active
    ws.title = "responses"
    ws.append(columns)
    bold = Font(bold=True)
    for k, _ in enumerate(columns, 1):
        ws.cell(row=1, column=k).font = bold
        ws.column_dimensions[get_column_letter(k)].width = 16
    ws.freeze_panes = "B2"
    dv_dept = DataValidation(
        type="list", formula1=f'"{DEPARTMENT_CHOICES[lang]}"', allow_blank=True
    )
    ws.add_data_validation(dv_dept)
    dv_dept.add(f"C2:C{rows + 1}")
    for k, item in enumerate(instrument.items, len(META) + 1):
        allowed = _allowed_values(item)
        if allowed is None:
            continue
        dv = DataValidation(
            type="list",
            formula1=f'"{allowed}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=item.id,
            error=f"{item.id}: {allowed}",
        )
        ws.add_data_validation(dv)
        col = get_column_letter(k)
        dv.add(f"{col}2:{col}{rows + 1}")
    help_ws = wb.create_sheet(HELP[lang]["sheet"])
    help_ws.append([HELP[lang]["intro"]])
    help_ws.append([])
    help_ws.append([HELP[lang]["item"], HELP[lang]["question"], HELP[lang]["answers"]])
    for cell in help_ws[3]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    for item in instrument.items:
        help_ws.append([item.id, item.text.get(lang), "\n".join(_answers(item, instrument, lang))])
    for col, width in (("A", 18), ("B", 60), ("C", 90)):
        help_ws.column_dimensions[col].width = width
    for row in help_ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomic(out, buffer.getvalue())
    return out
