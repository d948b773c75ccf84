"""Fill-in templates generated from an instrument: XLSX with drop-downs, or CSV."""

from __future__ import annotations

import io
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assessment.core.files import write_atomic
from assessment.core.i18n import check_lang
from assessment.core.instruments import Instrument, Item

__all__ = ["TEMPLATE_SEED", "option_order", "presented_answers", "template_columns",
           "write_template"]

#: the default seed of the option order in templates (a template is the same every time)
TEMPLATE_SEED = 2026

META = ("respondent_id", "organisation", "department", "wave", "language")
#: the hidden sheet that holds the drop-down lists of a template
LIST_SHEET = "lists"
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
        "pick": "Kies een antwoord uit de lijst.",
        "intro": "Eén rij per respondent. Kies per vraag het antwoord uit de lijst (of plak de "
        "tekst). Leeg = niet beantwoord; 'Weet ik niet / niet van toepassing' telt ook als niet "
        "beantwoord. De antwoorden op een vraag staan in een vaste, geschudde volgorde, zodat het "
        "'beste' antwoord niet altijd onderaan staat; voor de score telt alleen welk antwoord "
        "iemand kiest. Afdeling: marketing, sales, service, management of other. "
        "Zet u de vragen in Microsoft Forms of Google Forms, neem dan de vraag en de antwoorden "
        "letterlijk en in deze volgorde over, met 'Weet ik niet / niet van toepassing' als "
        "laatste; de export kunt u direct inlezen.",
    },
    "en": {
        "sheet": "Explanation",
        "item": "Column",
        "question": "Question",
        "answers": "Answers",
        "pick": "Pick an answer from the list.",
        "intro": "One row per respondent. For each question pick the answer from the list (or "
        "paste its text). Blank = not answered; 'Don't know / not applicable' also counts as not "
        "answered. The answers to a question come in a fixed, shuffled order, so that the 'best' "
        "answer is not always at the bottom; only which answer is chosen counts for the score. "
        "Department: marketing, sales, service, management or other. If you build the "
        "questionnaire in Microsoft Forms or Google Forms, copy each question and its answers "
        "word for word and in this order, with 'Don't know / not applicable' last; the export "
        "can then be read directly.",
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


def option_order(item: Item, instrument: Instrument, seed: int = TEMPLATE_SEED) -> list[int]:
    """Return the order in which a template presents the answers of ``item``, as levels.

    ``stages4`` options are stored worst to best (level 1 to 4); a template shows them in
    a shuffled order that depends only on the seed, the instrument and the item, so that
    the best answer is not always last and the same template comes out every time.
    ``likert5`` labels keep the scale's order (an agreement scale is read in order);
    other items have no levels (empty list). Scoring goes by the chosen text, never by
    its place.

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> inst = load_instrument("alignment")
    >>> sorted(option_order(inst.items[0], inst))
    [1, 2, 3, 4]
    >>> option_order(inst.items[0], inst) == option_order(inst.items[0], inst)
    True
    """
    if item.type == "stages4":
        levels = list(range(1, len(item.options) + 1))
        random.Random(f"{seed}:{instrument.id}:{item.id}").shuffle(levels)
        return levels
    if item.type == "likert5":
        return list(range(1, len(instrument.scale.labels) + 1))
    return []


def presented_answers(item: Item, instrument: Instrument, lang: str,
                      seed: int = TEMPLATE_SEED) -> list[str]:
    """Return the answer texts of a ``stages4`` or ``likert5`` item as a template shows them.

    The options in :func:`option_order`, then the scale's "don't know / not applicable"
    answer last. Other item types: an empty list.
    """
    check_lang(lang)
    order = option_order(item, instrument, seed)
    if item.type == "stages4":
        texts = [item.options[k - 1].get(lang) for k in order]
    elif item.type == "likert5":
        texts = [instrument.scale.labels[k - 1].get(lang) for k in order]
    else:
        return []
    dont = instrument.scale.dont_know
    return [*texts, dont.get(lang)] if dont is not None else texts


def _answers(item, instrument: Instrument, lang: str, seed: int) -> list[str]:
    if item.type in ("stages4", "likert5"):
        return [f"• {text}" for text in presented_answers(item, instrument, lang, seed)]
    if item.type == "choice":
        return [f"{o.value} = {o.get(lang)}" for o in item.options]
    if item.type == "nps":
        return ["0 … 10"]
    return ["(free text)" if lang == "en" else "(vrije tekst)"]


def _allowed_values(item) -> str | None:
    if item.type == "nps":
        lo, hi = item.range
        return ",".join(str(v) for v in range(lo, hi + 1))
    if item.type == "choice":
        return ",".join(o.value for o in item.options)
    return None


def write_template(
    instrument: Instrument, out: str | Path, lang: str = "nl", rows: int = 200,
    seed: int = TEMPLATE_SEED,
) -> Path:
    """Write a fill-in file for ``instrument``: XLSX (drop-downs, explanation sheet) or CSV.

    The drop-down of a ``stages4`` or ``likert5`` item offers its answer texts in the order
    of :func:`presented_answers` (stages shuffled per item by ``seed``, "don't know" last);
    the lists sit on a hidden sheet, because Excel limits a list typed into the rule to
    255 characters.

    Parameters
    ----------
    instrument : Instrument
    out : str or Path
        ``.xlsx`` or ``.csv``; written atomically.
    lang : {'nl', 'en'}
        Language of the explanation sheet.
    rows : int
        Rows that get drop-down validation (XLSX).
    seed : int
        Seed of the order in which the stages' options are shown.

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
    lists = wb.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    list_col = 0
    for k, item in enumerate(instrument.items, len(META) + 1):
        texts = presented_answers(item, instrument, lang, seed)
        if texts:
            list_col += 1
            letter = get_column_letter(list_col)
            lists.cell(row=1, column=list_col, value=item.id)
            for r, text in enumerate(texts, 2):
                lists.cell(row=r, column=list_col, value=text)
            formula = f"'{LIST_SHEET}'!${letter}$2:${letter}${len(texts) + 1}"
            error = HELP[lang]["pick"]
        else:
            allowed = _allowed_values(item)
            if allowed is None:
                continue
            formula, error = f'"{allowed}"', f"{item.id}: {allowed}"
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=item.id,
            error=error,
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
        help_ws.append([item.id, item.text.get(lang),
                        "\n".join(_answers(item, instrument, lang, seed))])
    for col, width in (("A", 18), ("B", 60), ("C", 90)):
        help_ws.column_dimensions[col].width = width
    for row in help_ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomic(out, buffer.getvalue())
    return out
