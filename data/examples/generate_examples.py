"""Generate the bundled example responses and the catalogue that says what they are for.

What it makes
-------------
``data/examples/responses.csv``
    A clean file in the project's own format (DESIGN section 4): UTF-8, comma-separated, wide,
    columns ``respondent_id, organisation, department, wave, language`` and then every item id
    of the alignment and the value-discipline instruments. Answers are numbers (1–4 for
    ``stages4`` items, 1–5 for ``likert5`` items) and the declared-strategy ``choice`` item holds
    its option value. Ten fictional organisations, 6–25 respondents each, about 3% blank
    answers, ``wave`` empty. ``read_responses`` finds no problem in it.
``data/examples/messy_forms_export.csv``
    What a Dutch Microsoft Forms export looks like after Excel saved it as CSV: semicolons,
    cp1252, CRLF line ends, the Forms metadata columns first (``Id``, ``Start time``,
    ``Completion time``, ``Email``, ``Name``; fake people at ``.example`` domains), then
    ``Organisatie`` and ``Afdeling`` (Marketing, Verkoop, Klantenservice, Directie) and one
    column per item headed by its Dutch question text. Answers are the chosen option's Dutch
    text, the Dutch agreement label ("Mee eens") or the Dutch choice text. Two organisations of
    about twelve respondents, some blanks, and exactly three deliberate problems for the
    validator to show: an answer "7" on a likert item, one respondent ``Id`` twice in the same
    organisation, and one row without an organisation. Rows and columns are in the catalogue.
``data/catalog.csv``
    One row per (file, organisation): ``file`` (relative to the catalogue's folder),
    ``organisation``, ``respondents`` (rows the validator should accept), ``alignment_pattern``,
    ``intended_stage`` per interface code (``MS=defined;SS=undefined;MV=defined``),
    ``vd_pattern``, ``intended_profile``, ``intended_leader``, ``declared`` (what management
    says it has chosen; ``none`` for no clear choice) and ``notes``.

Why each organisation exists
----------------------------
Each organisation carries one alignment pattern and one value-discipline pattern, so that
every stage, every profile and the usual problems appear at least once:

=================================  ============================  =================================
organisation                       alignment                     value disciplines
=================================  ============================  =================================
Van Dijk Installatietechniek B.V.  all interfaces undefined      below threshold, nothing declared
Noordhaven Logistiek               all interfaces defined        leader operational excellence
Brightwave Software                all interfaces aligned        leader product leadership
Zorgpartner Midden                 all interfaces integrated     leader customer intimacy
Kempen Kantoorinrichting           weak Sales–Service interface  stuck in the middle
Harbour & Hart Events              mixed                         leader with a weak spot
Bakkerij Verhoeven Groep           mixed                         incoherent: declares CI, does OE
Delta Meettechniek                 mixed (largest, 25 people)    leader customer intimacy
Lindeboom Accountants              mixed (smallest, 6 people)    leader customer intimacy
Orion Print & Media                mixed                         below threshold, declares PL
Houtmans Bouwmaterialen (messy)    weak Sales–Service interface  leader operational excellence
Rijnmond Fietsen (messy)           mixed                         stuck in the middle
=================================  ============================  =================================

(CI customer intimacy, OE operational excellence, PL product leadership.)

How the answers are made
------------------------
Every organisation has a latent target per (interface, dimension) — the centre of the intended
stage's band, plus a dimension spread that sums to zero over the interface — and a target per
discipline on 0–100. A respondent's answer to an item is::

    target + department perception + respondent leniency + item noise

rounded to a whole answer and clipped to the scale; reverse-keyed items are then stored as
``min + max - x``, as a respondent who disagrees with a reverse-keyed statement would answer.
The department perceptions are the differences a consultant meets in practice: management sees
the collaboration and its own chosen strategy more rosily, sales rates the shared goals higher
than marketing does, service feels least heard. Item ids, texts and options all come from the
instrument YAML files (``load_instrument``); no item is named here.

At the end the script reads its own output back with ``assessment.ingest.read_responses``,
scores it with ``assessment.scoring.score_responses``, prints intended against scored stage per
interface and profile per organisation, checks the messy file's problems, and exits with status
1 if anything disagrees with the catalogue.

How to rerun
------------
From the project root::

    python data/examples/generate_examples.py                  # into data/
    python data/examples/generate_examples.py --out-dir /tmp/x     # into /tmp/x/

``--out-dir`` receives ``catalog.csv`` and ``examples/``, as ``data/`` does.

The generator is seeded (``numpy.random.default_rng(20261123)``), so a rerun gives
byte-identical files as long as the instruments do not change. After changing an instrument,
rerun it and commit the new files together with the change.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.ingest import read_responses
from assessment.instruments import Instrument, Item, load_instrument
from assessment.scoring import score_responses

SEED = 20261123
#: default output folder: the project's data/ folder (this script lives in data/examples/)
DATA_DIR = Path(__file__).resolve().parent.parent
RESPONSES = "examples/responses.csv"
MESSY = "examples/messy_forms_export.csv"
CATALOG = "catalog.csv"

#: share of item answers left blank
BLANK_RATE = 0.03
#: sd of a respondent's general leniency (on the answer scale)
LENIENCY_SD = 0.25
#: sd of the answer noise per item, per instrument type
ITEM_SD = {"stages4": 0.50, "likert5": 0.60}
#: sd of the spread of dimension targets around an interface's target
DIMENSION_SD = 0.18
#: share of respondents who answer in the other language than their organisation's
OTHER_LANGUAGE = 0.15

#: how each department tends to see the alignment: offset on the 1–4 scale, per dimension id
#: ("*" applies to every dimension)
ALIGNMENT_PERCEPTION: dict[str, dict[str, float]] = {
    "management": {"*": 0.20, "culture": 0.10},
    "sales": {"goals": 0.30, "roles": 0.10},
    "marketing": {"goals": -0.20, "systems": -0.10},
    "service": {"*": -0.10, "communication": -0.15},
    "other": {},
}
#: how each department tends to see the value disciplines: offset on the 1–5 scale per
#: discipline id; "declared" is the discipline management says it has chosen
VD_PERCEPTION: dict[str, dict[str, float]] = {
    "management": {"declared": 0.35},
    "sales": {"customer_intimacy": 0.20},
    "marketing": {"product_leadership": 0.20},
    "service": {"operational_excellence": -0.20},
    "other": {},
}
#: Dutch department names as a Dutch form offers them
DUTCH_DEPARTMENT = {
    "marketing": "Marketing",
    "sales": "Verkoop",
    "service": "Klantenservice",
    "management": "Directie",
}
FIRST_NAMES = (
    "Anouk", "Bram", "Carlijn", "Daan", "Eline", "Floor", "Gijs", "Hanneke", "Iris", "Joost",
    "Kim", "Lotte", "Maarten", "Noor", "Olaf", "Pien", "Ruben", "Sanne", "Thijs", "Wouter",
    "Yara", "Zeynep", "Mohamed", "Fleur", "Jeroen", "Esther",
)
SURNAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Yilmaz", "El Amrani", "Kramer", "van Dam", "Willems",
)


@dataclass(frozen=True)
class OrgSpec:
    """The intent for one organisation: who answers, and what the answers should show.

    Attributes
    ----------
    name : str
        The (fictional) organisation name as respondents type it.
    code : str
        Prefix of its respondent ids.
    language : str
        Main language of its respondents, ``nl`` or ``en``.
    departments : dict
        Department -> number of respondents.
    stages : dict
        Interface id -> intended stage (level id).
    alignment_pattern : str
        What the alignment answers are meant to show.
    disciplines : dict
        Discipline id -> intended score on 0–100.
    vd_pattern : str
        What the value-discipline answers are meant to show.
    profile : str
        Intended profile kind (as ``classify_profile`` names them).
    leader : str or None
        Intended leading discipline.
    weak : tuple of str
        Disciplines intended under the threshold.
    declared : str
        The option management picks on the declared-strategy item (``none``: no clear choice).
    notes : str
        Why this organisation is in the examples.
    """

    name: str
    code: str
    language: str
    departments: dict[str, int]
    stages: dict[str, str]
    alignment_pattern: str
    disciplines: dict[str, float]
    vd_pattern: str
    profile: str
    leader: str | None
    declared: str
    notes: str
    weak: tuple[str, ...] = field(default=())

    @property
    def size(self) -> int:
        """Number of respondents."""
        return sum(self.departments.values())


def _stages(ms: str, ss: str, mv: str) -> dict[str, str]:
    return {"marketing_sales": ms, "sales_service": ss, "marketing_service": mv}


def _vd(ci: float, oe: float, pl: float) -> dict[str, float]:
    return {"customer_intimacy": ci, "operational_excellence": oe, "product_leadership": pl}


CLEAN_ORGS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "Van Dijk Installatietechniek B.V.", "VDI", "nl",
        {"marketing": 1, "sales": 3, "service": 2, "management": 1, "other": 1},
        _stages("undefined", "undefined", "undefined"), "stage_undefined",
        _vd(38, 62, 30), "below_threshold", "below_threshold", None, "none",
        "Family-owned installer: every department works for itself (all interfaces undefined). "
        "No discipline stands out, intimacy and leadership are under the threshold, and nobody "
        "can name a chosen strategy (everyone answers 'no clear choice').",
        weak=("customer_intimacy", "product_leadership"),
    ),
    OrgSpec(
        "Noordhaven Logistiek", "NHL", "nl",
        {"marketing": 2, "sales": 4, "service": 5, "management": 2},
        _stages("defined", "defined", "defined"), "stage_defined",
        _vd(60, 85, 60), "leader_operational_excellence", "leader", "operational_excellence",
        "operational_excellence",
        "Logistics provider with written rules and procedures between departments but separate "
        "planning (all interfaces defined); a clear, coherent operational-excellence leader.",
    ),
    OrgSpec(
        "Brightwave Software", "BWS", "en",
        {"marketing": 5, "sales": 6, "service": 4, "management": 3, "other": 2},
        _stages("aligned", "aligned", "aligned"), "stage_aligned",
        _vd(62, 60, 88), "leader_product_leadership", "leader", "product_leadership",
        "product_leadership",
        "Software scale-up whose departments plan together and consult before acting (all "
        "interfaces aligned); a clear, coherent product-leadership leader.",
    ),
    OrgSpec(
        "Zorgpartner Midden", "ZPM", "nl",
        {"marketing": 4, "sales": 4, "service": 7, "management": 2},
        _stages("integrated", "integrated", "integrated"), "stage_integrated",
        _vd(87, 62, 60), "leader_customer_intimacy", "leader", "customer_intimacy",
        "customer_intimacy",
        "Health-care services provider working as one team along the customer journey (all "
        "interfaces integrated); a clear, coherent customer-intimacy leader.",
    ),
    OrgSpec(
        "Kempen Kantoorinrichting", "KKI", "nl",
        {"marketing": 3, "sales": 5, "service": 4, "management": 2},
        _stages("aligned", "undefined", "aligned"), "weak_sales_service",
        _vd(62, 62, 58), "stuck_in_the_middle", "stuck_in_the_middle", None, "customer_intimacy",
        "Office furnisher: marketing works well with sales and with service, but sales and "
        "service hardly talk (Sales-Service undefined, the other two aligned). All disciplines "
        "above the threshold, none excellent: stuck in the middle although management declares "
        "customer intimacy.",
    ),
    OrgSpec(
        "Harbour & Hart Events", "HHE", "en",
        {"marketing": 3, "sales": 3, "service": 2, "management": 1},
        _stages("defined", "aligned", "undefined"), "mixed",
        _vd(62, 38, 84), "leader_weak_spot", "leader_weak_spot", "product_leadership",
        "product_leadership",
        "Event agency: sales and service work closely, marketing and service hardly at all. "
        "Leader in product leadership with a weak spot in operational excellence (under the "
        "threshold).",
        weak=("operational_excellence",),
    ),
    OrgSpec(
        "Bakkerij Verhoeven Groep", "BVG", "nl",
        {"marketing": 2, "sales": 5, "service": 6, "management": 3, "other": 1},
        _stages("defined", "defined", "undefined"), "mixed",
        _vd(60, 86, 60), "incoherent_declared_vs_practised", "leader", "operational_excellence",
        "customer_intimacy",
        "Bakery chain whose management declares customer intimacy while the organisation "
        "practises operational excellence (incoherent). Management also rates intimacy higher "
        "than staff do.",
    ),
    OrgSpec(
        "Delta Meettechniek", "DMT", "nl",
        {"marketing": 6, "sales": 8, "service": 6, "management": 3, "other": 2},
        _stages("aligned", "defined", "defined"), "mixed",
        _vd(85, 62, 62), "leader_customer_intimacy", "leader", "customer_intimacy",
        "customer_intimacy",
        "Instrument maker, the largest example (25 respondents): marketing and sales aligned, "
        "service lagging (defined). Coherent customer-intimacy leader.",
    ),
    OrgSpec(
        "Lindeboom Accountants", "LBA", "nl",
        {"marketing": 1, "sales": 2, "service": 2, "management": 1},
        _stages("defined", "aligned", "defined"), "mixed",
        _vd(88, 63, 63), "leader_customer_intimacy", "leader", "customer_intimacy",
        "customer_intimacy",
        "Small accountancy firm, the smallest example (6 respondents; department groups under "
        "the minimum group size). Coherent customer-intimacy leader.",
    ),
    OrgSpec(
        "Orion Print & Media", "OPM", "en",
        {"marketing": 3, "sales": 4, "service": 3, "management": 1, "other": 1},
        _stages("undefined", "defined", "aligned"), "mixed",
        _vd(60, 38, 62), "below_threshold", "below_threshold", None, "product_leadership",
        "Printing and media company with a different stage on every interface. Management "
        "declares product leadership, but no discipline excels and operational excellence is "
        "under the threshold.",
        weak=("operational_excellence",),
    ),
)

MESSY_ORGS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "Houtmans Bouwmaterialen", "", "nl",
        {"marketing": 2, "sales": 4, "service": 4, "management": 2},
        _stages("defined", "undefined", "defined"), "weak_sales_service",
        _vd(60, 88, 60), "leader_operational_excellence", "leader", "operational_excellence",
        "operational_excellence",
        "Builders' merchant; Sales-Service the weak interface. Coherent operational-excellence "
        "leader.",
    ),
    OrgSpec(
        "Rijnmond Fietsen", "", "nl",
        {"marketing": 2, "sales": 4, "service": 4, "management": 2},
        _stages("aligned", "aligned", "defined"), "mixed",
        _vd(61, 61, 58), "stuck_in_the_middle", "stuck_in_the_middle", None, "customer_intimacy",
        "Bicycle retailer; stuck in the middle although management declares customer intimacy.",
    ),
)


# --------------------------------------------------------------------------- answers


def _check_specs(alignment: Instrument, disciplines: Instrument) -> None:
    """Fail early when the specs name an interface, stage or discipline the YAML lacks."""
    ifaces = {i.id for i in alignment.interfaces}
    levels = {lv.id for lv in alignment.levels}
    dims = {d.id for d in disciplines.dimensions}
    options = {o.value for o in disciplines.item(disciplines.profile.declared_item).options}
    for org in CLEAN_ORGS + MESSY_ORGS:
        if set(org.stages) != ifaces or not set(org.stages.values()) <= levels:
            raise SystemExit(f"{org.name}: stages {org.stages} do not fit the alignment instrument")
        if set(org.disciplines) != dims or org.declared not in options:
            raise SystemExit(f"{org.name}: disciplines or declared option unknown")


def _band_centres(alignment: Instrument) -> dict[str, float]:
    return {b.level: (b.lower + b.upper) / 2 for b in alignment.bands}


def _departments(org: OrgSpec, rng: np.random.Generator) -> list[str]:
    """Departments of the respondents, in the order they answered."""
    depts = [d for d, n in org.departments.items() for _ in range(n)]
    return [depts[k] for k in rng.permutation(len(depts))]


def _perception(table: dict[str, dict[str, float]], dept: str, key: str) -> float:
    offsets = table.get(dept, {})
    return offsets.get("*", 0.0) + offsets.get(key, 0.0)


def _to_answer(latent: np.ndarray, item_type: str) -> np.ndarray:
    lo, hi = {"stages4": (1, 4), "likert5": (1, 5)}[item_type]
    return np.clip(np.rint(latent), lo, hi)


def alignment_answers(org: OrgSpec, depts: list[str], alignment: Instrument,
                      rng: np.random.Generator) -> np.ndarray:
    """Draw every respondent's answers on the alignment items.

    Parameters
    ----------
    org : OrgSpec
        The organisation's intent.
    depts : list of str
        Each respondent's department.
    alignment : Instrument
        The alignment instrument.
    rng : numpy.random.Generator
        The script's random generator.

    Returns
    -------
    numpy.ndarray
        Respondents × scored items, whole answers 1–4 (reverse keying applied), NaN = blank.
    """
    centre = _band_centres(alignment)
    lo, hi = alignment.scale.min, alignment.scale.max
    target: dict[tuple[str, str], float] = {}
    for iface in alignment.interfaces:
        spread = rng.normal(0.0, DIMENSION_SD, len(alignment.dimensions))
        spread = np.clip(spread - spread.mean(), -0.35, 0.35)
        for dim, s in zip(alignment.dimensions, spread, strict=True):
            target[(iface.id, dim.id)] = centre[org.stages[iface.id]] + s
    items = alignment.scored_items
    leniency = rng.normal(0.0, LENIENCY_SD, len(depts))
    out = np.empty((len(depts), len(items)))
    for r, dept in enumerate(depts):
        latent = np.array([
            target[(i.interface, i.dimension)] + _perception(ALIGNMENT_PERCEPTION, dept,
                                                             i.dimension)
            for i in items
        ]) + leniency[r] + rng.normal(0.0, ITEM_SD["stages4"], len(items))
        out[r] = _to_answer(latent, "stages4")
    reverse = np.array([i.reverse for i in items])
    out[:, reverse] = lo + hi - out[:, reverse]
    out[rng.random(out.shape) < BLANK_RATE] = np.nan
    return out


def discipline_answers(org: OrgSpec, depts: list[str], disciplines: Instrument,
                       rng: np.random.Generator) -> tuple[np.ndarray, list[str | None]]:
    """Draw every respondent's value-discipline answers and declared-strategy choice.

    Parameters
    ----------
    org : OrgSpec
        The organisation's intent.
    depts : list of str
        Each respondent's department.
    disciplines : Instrument
        The value-discipline instrument.
    rng : numpy.random.Generator
        The script's random generator.

    Returns
    -------
    answers : numpy.ndarray
        Respondents × scored items, whole answers 1–5 as written on the form (reverse-keyed
        items hold ``min + max - x``), NaN = blank.
    declared : list of str or None
        Each respondent's option value on the declared-strategy item (None = blank).
    """
    lo, hi = disciplines.scale.min, disciplines.scale.max
    items = disciplines.scored_items
    leniency = rng.normal(0.0, LENIENCY_SD, len(depts))
    out = np.empty((len(depts), len(items)))
    for r, dept in enumerate(depts):
        latent = []
        for i in items:
            key = "declared" if i.dimension == org.declared else i.dimension
            offset = _perception(VD_PERCEPTION, dept, key)
            if key == "declared":
                offset += _perception(VD_PERCEPTION, dept, i.dimension)
            latent.append(lo + org.disciplines[i.dimension] / 100 * (hi - lo) + offset)
        latent = np.array(latent) + leniency[r] + rng.normal(0.0, ITEM_SD["likert5"], len(items))
        out[r] = _to_answer(latent, "likert5")
    reverse = np.array([i.reverse for i in items])
    out[:, reverse] = lo + hi - out[:, reverse]
    out[rng.random(out.shape) < BLANK_RATE] = np.nan

    options = [o.value for o in disciplines.item(disciplines.profile.declared_item).options]
    declared: list[str | None] = []
    for dept in depts:
        u = rng.random()
        if dept == "management" or org.declared == "none":
            choice = org.declared
        elif u < 0.45:
            choice = org.declared
        elif u < 0.80:
            choice = "none"
        else:
            choice = options[int(rng.integers(len(options)))]
        blank = dept != "management" and rng.random() < BLANK_RATE
        declared.append(None if blank else choice)
    return out, declared


def _cell(value: float) -> str:
    return "" if np.isnan(value) else str(int(value))


# --------------------------------------------------------------------------- files


def clean_rows(alignment: Instrument, disciplines: Instrument,
               rng: np.random.Generator) -> tuple[list[str], list[list[str]]]:
    """Build the header and rows of ``responses.csv``."""
    al_items = alignment.scored_items
    vd_items = disciplines.scored_items
    choice_id = disciplines.profile.declared_item
    header = ["respondent_id", "organisation", "department", "wave", "language",
              *(i.id for i in alignment.items), *(i.id for i in disciplines.items)]
    other_lang = {"nl": "en", "en": "nl"}
    rows = []
    for org in CLEAN_ORGS:
        depts = _departments(org, rng)
        al = alignment_answers(org, depts, alignment, rng)
        vd, declared = discipline_answers(org, depts, disciplines, rng)
        for r, dept in enumerate(depts):
            lang = other_lang[org.language] if rng.random() < OTHER_LANGUAGE else org.language
            values = {i.id: _cell(al[r, k]) for k, i in enumerate(al_items)}
            values.update({i.id: _cell(vd[r, k]) for k, i in enumerate(vd_items)})
            values[choice_id] = declared[r] or ""
            rows.append([f"{org.code}-{r + 1:03d}", org.name, dept, "", lang,
                         *(values.get(c, "") for c in header[5:])])
    return header, rows


def _answer_text(item: Item, inst: Instrument, value: float | str | None) -> str:
    """Return the Dutch text a Forms export shows for an answer."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if item.type == "choice":
        return next(o.nl for o in item.options if o.value == value)
    if item.type == "stages4":
        return item.options[int(value) - 1].nl
    return inst.scale.labels[int(value) - 1].nl


def _person(rng: np.random.Generator, domain: str) -> tuple[str, str]:
    first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
    last = SURNAMES[int(rng.integers(len(SURNAMES)))]
    local = f"{first}.{last}".lower().replace(" ", "")
    return f"{first} {last}", f"{local}@{domain}"


def _forms_time(t: datetime) -> str:
    """Format a time as Dutch Excel writes it to CSV (d-m-yyyy hh:mm:ss)."""
    return f"{t.day}-{t.month}-{t.year} {t:%H:%M:%S}"


@dataclass
class MessyFile:
    """The messy export: header, rows, and where its deliberate problems are."""

    header: list[str]
    rows: list[list[str]]
    problems: list[tuple[str, int, str, str]]
    """(organisation, row, column header, description) of each deliberate problem."""
    accepted: dict[str, int]


def messy_rows(alignment: Instrument, disciplines: Instrument,
               rng: np.random.Generator) -> MessyFile:
    """Build the messy Forms export, with its three deliberate problems."""
    items = [(alignment, i) for i in alignment.items] + [(disciplines, i) for i in
                                                         disciplines.items]
    header = ["Id", "Start time", "Completion time", "Email", "Name", "Organisatie", "Afdeling",
              *(i.text.nl for _, i in items)]
    choice_id = disciplines.profile.declared_item
    start = datetime(2026, 11, 2, 8, 30)
    respondents = []  # (start time, org, dept, answers by item id)
    for org in MESSY_ORGS:
        depts = _departments(org, rng)
        al = alignment_answers(org, depts, alignment, rng)
        vd, declared = discipline_answers(org, depts, disciplines, rng)
        domain = org.name.split()[0].lower() + ".example"
        for r, dept in enumerate(depts):
            answers = {i.id: al[r, k] for k, i in enumerate(alignment.scored_items)}
            answers.update({i.id: vd[r, k] for k, i in enumerate(disciplines.scored_items)})
            answers[choice_id] = declared[r]
            began = start + timedelta(seconds=int(rng.integers(0, 60 * 60 * 24 * 9)))
            respondents.append((began, org, dept, answers, _person(rng, domain)))
    respondents.sort(key=lambda x: x[0])

    def row(rid: int, began: datetime, org: OrgSpec | None, dept: str, answers: dict,
            person: tuple[str, str]) -> list[str]:
        took = timedelta(seconds=int(rng.integers(6 * 60, 25 * 60)))
        return [str(rid), _forms_time(began), _forms_time(began + took), person[1], person[0],
                org.name if org else "", DUTCH_DEPARTMENT.get(dept, ""),
                *(_answer_text(i, inst, answers[i.id]) for inst, i in items)]

    rows = [row(k + 1, *resp) for k, resp in enumerate(respondents)]
    first, second = MESSY_ORGS
    in_first = [k for k, resp in enumerate(respondents) if resp[1] is first]
    in_second = [k for k, resp in enumerate(respondents) if resp[1] is second]
    problems: list[tuple[str, int, str, str]] = []

    # 1. a respondent of the first organisation submits again (same Id, later, a few changes)
    k_dup = in_first[len(in_first) // 3]
    began, org, dept, answers, person = respondents[k_dup]
    again = dict(answers)
    for i in rng.choice([i.id for i in alignment.scored_items], 3, replace=False):
        again[str(i)] = float(rng.integers(1, 5))
    rows.append(row(k_dup + 1, respondents[-1][0] + timedelta(hours=3), org, dept, again, person))
    problems.append((first.name, len(rows) + 1, "Id",
                     f"respondent Id {k_dup + 1} submitted a second time (duplicate of row "
                     f"{k_dup + 2}; rejected)"))

    # 2. an answer 7 on a likert item, in another row of the first organisation
    k_seven = in_first[2 * len(in_first) // 3]
    likert = [k for k, (_, i) in enumerate(items) if i.type == "likert5"]
    col = likert[int(rng.integers(len(likert)))]
    rows[k_seven][7 + col] = "7"
    problems.append((first.name, k_seven + 2, header[7 + col],
                     f'answer "7" on agreement item {items[col][1].id} (1-5; the answer is '
                     "ignored, the row is kept)"))

    # 3. a respondent of the second organisation leaves the organisation blank
    k_blank = in_second[len(in_second) // 2]
    rows[k_blank][5] = ""
    problems.append((second.name, k_blank + 2, "Organisatie",
                     "organisation left blank by one of this organisation's respondents "
                     "(rejected)"))

    accepted = {first.name: first.size, second.name: second.size - 1}
    return MessyFile(header, rows, sorted(problems, key=lambda p: p[1]), accepted)


def catalog_rows(alignment: Instrument, messy: MessyFile) -> list[dict[str, str]]:
    """One catalogue row per (file, organisation)."""
    codes = {i.id: i.code for i in alignment.interfaces}
    out = []
    for file, orgs in ((RESPONSES, CLEAN_ORGS), (MESSY, MESSY_ORGS)):
        for org in orgs:
            notes = org.notes
            if file == MESSY:
                notes += " Deliberate problems: " + "; ".join(
                    f'row {row}, column "{column}": {what}'
                    for name, row, column, what in messy.problems if name == org.name) + "."
            if org.weak:
                notes += f" Intended under the threshold: {', '.join(org.weak)}."
            out.append({
                "file": file,
                "organisation": org.name,
                "respondents": str(messy.accepted[org.name] if file == MESSY else org.size),
                "alignment_pattern": org.alignment_pattern,
                "intended_stage": ";".join(f"{codes[i]}={s}" for i, s in org.stages.items()),
                "vd_pattern": org.vd_pattern,
                "intended_profile": org.profile,
                "intended_leader": org.leader or "",
                "declared": org.declared,
                "notes": notes,
            })
    return out


def _write(path: Path, header: list[str], rows: list[list[str]], *, encoding: str,
           delimiter: str, lineterminator: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator=lineterminator)
        writer.writerow(header)
        writer.writerows(rows)


# --------------------------------------------------------------------------- check


def _value(x: object) -> object:
    """Return a scored cell, with every kind of missing value as None."""
    return None if x is None or (not isinstance(x, str | bool) and pd.isna(x)) else x


def check(out_dir: Path, catalog: list[dict[str, str]], instruments: list[Instrument],
          expected_problems: list[tuple[int, str]]) -> bool:
    """Score the written files and compare with the catalogue; print the comparison.

    Parameters
    ----------
    out_dir : Path
        Where the catalogue and the examples were written.
    catalog : list of dict
        The catalogue rows.
    instruments : list of Instrument
        Alignment and value-discipline instruments.
    expected_problems : list of tuple
        (row, column) of each deliberate problem in the messy file.

    Returns
    -------
    bool
        True when every scored stage, profile, leader, weak spot, declared choice and
        (for the messy file) every problem is as intended.
    """
    alignment, disciplines = instruments
    codes = {i.code: i.id for i in alignment.interfaces}
    specs = {org.name: org for org in CLEAN_ORGS + MESSY_ORGS}
    ok = True
    stage_lines = [f"{'file':<31} {'organisation':<34} {'if':<3} {'intended':<11} "
                   f"{'scored':<11} {'index':>5}"]
    vd_lines = [f"{'organisation':<34} {'intended':<38} {'scored':<38} {'CI/OE/PL':<11} "
                f"{'declared':<22} coherent"]
    for file in (RESPONSES, MESSY):
        responses = read_responses(out_dir / file, instruments)
        scores = score_responses(responses.data, instruments)
        want_problems = [] if file == RESPONSES else sorted(expected_problems)
        got_problems = sorted((p.row, p.column) for p in responses.problems)
        print(f"{file}: {len(got_problems)} problems, {len(want_problems)} intended"
              + ("" if got_problems == want_problems else "  <-- differs"))
        ok &= got_problems == want_problems
        for p in responses.problems:
            print(f"  row {p.row}, column {p.column[:40]!r}: {p.message[:60]}")
        for entry in (e for e in catalog if e["file"] == file):
            org = entry["organisation"]
            mine = scores[scores["organisation"] == org]
            if len(responses.for_organisation(org)) != int(entry["respondents"]):
                ok = False
                print(f"{org}: {len(responses.for_organisation(org))} respondents accepted, "
                      f"catalogue says {entry['respondents']}")
            for part in entry["intended_stage"].split(";"):
                code, intended = part.split("=")
                row = mine[(mine["level"] == "interface") & (mine["interface"] == codes[code])]
                scored = row["stage"].iloc[0] if len(row) else None
                index = row["score"].iloc[0] if len(row) else float("nan")
                flag = "" if scored == intended else "  <-- differs"
                ok &= scored == intended
                stage_lines.append(f"{file:<31} {org:<34} {code:<3} {intended:<11} "
                                   f"{scored!s:<11} {index:5.2f}{flag}")
            vd = mine[mine["level"] == "discipline"].set_index("dimension")
            first = vd.iloc[0]
            want = (entry["intended_profile"], entry["intended_leader"] or None,
                    ",".join(sorted(specs[org].weak)),
                    None if entry["declared"] == "none" else entry["declared"])
            got = (first["profile"], _value(first["leader"]), ",".join(sorted(
                w for w in (_value(first["weak"]) or "").split(",") if w)),
                _value(first["declared"]))
            flag = "" if got == want else "  <-- differs"
            ok &= got == want
            triple = "/".join(f"{vd.loc[d.id, 'score']:.0f}" for d in disciplines.dimensions)
            vd_lines.append(
                f"{org:<34} {want[0] + ' ' + (want[1] or ''):<38} "
                f"{got[0] + ' ' + (got[1] or ''):<38} {triple:<11} {entry['declared']:<22} "
                f"{_value(first['coherent'])}{flag}")
    print("\nAlignment: intended vs scored stage per interface")
    print("\n".join(stage_lines))
    print("\nValue disciplines: intended vs scored profile (scores 0-100)")
    print("\n".join(vd_lines))
    return bool(ok)


def main(argv: list[str] | None = None) -> int:
    """Write the example files and the catalogue, then check them; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR,
                        help="folder for catalog.csv and examples/ (default: the project's data/)")
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir
    alignment = load_instrument("alignment")
    disciplines = load_instrument("value_disciplines")
    _check_specs(alignment, disciplines)
    rng = np.random.default_rng(SEED)

    header, rows = clean_rows(alignment, disciplines, rng)
    _write(out_dir / RESPONSES, header, rows, encoding="utf-8", delimiter=",",
           lineterminator="\n")
    messy = messy_rows(alignment, disciplines, rng)
    _write(out_dir / MESSY, messy.header, messy.rows, encoding="cp1252", delimiter=";",
           lineterminator="\r\n")
    catalog = catalog_rows(alignment, messy)
    _write(out_dir / CATALOG, list(catalog[0]), [list(c.values()) for c in catalog],
           encoding="utf-8", delimiter=",", lineterminator="\n")
    print(f"wrote {out_dir / RESPONSES} ({len(rows)} respondents), {out_dir / MESSY} "
          f"({len(messy.rows)} rows), {out_dir / CATALOG} ({len(catalog)} rows)")

    good = check(out_dir, catalog, [alignment, disciplines],
                 [(row, column) for _, row, column, _ in messy.problems])
    print("\nall as intended" if good else "\nSOME SCORES DIFFER FROM THE CATALOGUE", flush=True)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
