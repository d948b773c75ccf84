"""Generate the bundled example responses and the catalogue that says what they are for.

What it makes
-------------
``data/examples/responses.csv``
    A clean file in the project's own format (DESIGN section 4): UTF-8, comma-separated, wide,
    columns ``respondent_id, organisation, department, wave, language`` and then every item id
    of the alignment, the value-discipline and the customer-loyalty instruments. Answers are
    numbers (1–4 for ``stages4`` items, 1–5 for ``likert5`` items, 0–10 for the ``nps`` item),
    the declared-strategy ``choice`` item holds its option value, and about a third of the
    respondents wrote a suggestion in the free-text item (in their own language). Ten
    fictional organisations, 6–25 respondents each, about 3% blank answers (one organisation
    about 12%), ``wave`` empty.
    ``read_responses`` finds no problem in it.
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
``data/examples/waves.csv``
    The same format with two waves (``2026-Q1`` and ``2026-Q3``) of three organisations, for
    the report's "change since the previous wave": one improves marketing–sales and
    marketing–service by a stage, one stays where it was, one slips back on sales–service
    (and in its loyalty figures). Other people answer in each wave (respondent ids carry the
    wave); every dimension keeps the same spread around its interface's target in both
    waves, so that only the intended changes are real.
``data/catalog.csv``
    One row per (file, organisation, wave): ``file`` (relative to the catalogue's folder),
    ``organisation``, ``wave`` (empty when the file has none), ``respondents`` (rows the
    validator should accept), ``alignment_pattern``,
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
Veldhoven Machinebouw (waves)      improves MS and MV a stage    leader operational excellence
Greenfield Foods (waves)           stable                        leader customer intimacy
Stadsbank Oost (waves)             slips back on Sales–Service   stuck in the middle
=================================  ============================  =================================

(CI customer intimacy, OE operational excellence, PL product leadership.)

How the answers are made
------------------------
The answers come from a stated multilevel model, so that the reliability and agreement
figures look like those of real organisational surveys. A respondent's latent answer to an
item of dimension d on interface i (alignment, 1–4) is::

    org level[i, d]            STAGE_LEVEL of the intended stage (+ ``shift``) + a dimension
                               spread (sd DIMENSION_SD, summing to zero over the interface)
  + department offset[d]       ALIGNMENT_PERCEPTION (and ``divided`` on one interface)
  + respondent level           general leniency (sd LENIENCY_SD)
                               + own view of the interface (sd RESPONDENT_INTERFACE_SD)
                               + own view of the dimension (sd RESPONDENT_DIMENSION_SD)
  + item noise                 sd ITEM_SD

rounded to a whole answer and clipped to the scale; reverse-keyed items are then stored as
``min + max - x``, as a respondent who disagrees with a reverse-keyed statement would answer.
Value disciplines (1–5) follow the same recipe with the discipline's target on 0–100 as the
organisation level and ``VD_PERCEPTION`` as the department offsets. The respondent terms are
shared by a dimension's items, which is what makes them hang together; the item noise is not.

The parameters are chosen to land in published ranges (Bliese 2000; LeBreton & Senter 2008;
James, Demaree & Wolf 1984): reliability of a dimension (Spearman–Brown for two items,
Cronbach's α for more) mostly 0.6–0.85, r_wg(J) mostly 0.6–0.9, and ICC(1) at the upper end
of the usual 0.05–0.30. The organisation levels sit inside their stage's band but towards
the neighbouring stages, because the catalogue spreads ten organisations over all four
stages, far more than the organisations of one real file differ; alignment ICC(1) still
comes out around 0.3 (0.19–0.49 per dimension, median 0.30), which the report states as it
is. The department offsets are the differences a consultant meets in practice: management
sees the collaboration and its own chosen strategy more rosily, sales rates the shared goals
higher than marketing does, service feels least heard. Three organisations are deliberate
exceptions (in their catalogue notes): Bakkerij Verhoeven Groep is divided on Sales–Service
(sales +0.7, service −0.7: low agreement, yet a high reliability, because the split is
shared by both questions), Lindeboom Accountants is too small for a reliability (6
respondents), and Orion Print & Media leaves about 12% of its answers blank. Item ids, texts
and options all come from the instrument YAML files (``load_instrument``); no item is named
here.

Every organisation (and wave) draws from its own seeded generators. When its scored stages or
profile do not come out as the catalogue intends, it is drawn again with the next seed (the
script prints how many draws each took, at most ``MAX_DRAWS``): the examples are samples
from the model *given* their intended outcome, as teaching examples should be.

Customer-loyalty answers (Service-Profit Chain links, ``likert5``) follow the same recipe with a
per-organisation loyalty level on 0–100 (``LOYALTY``, one link weaker by ``WEAK_LINK_DROP``)
plus a respondent × link effect, so that the two items of a link hang together as real
answers do. The 0–10 recommendation answer rises with the loyalty level and with the
respondent's own leniency.

At the end the script reads its own output back with ``assessment.core.ingest.read_responses``,
scores it with ``assessment.core.scoring.score_responses``, prints intended against scored stage per
interface and profile per organisation and wave, checks the messy file's problems and that
every intended change between waves is larger than its uncertainty
(``assessment.analysis.waves.wave_changes``), and exits with status 1 if anything disagrees with the
catalogue.

How to rerun
------------
From the project root::

    python data/examples/generate_examples.py                  # into data/
    python data/examples/generate_examples.py --out-dir /tmp/x     # into /tmp/x/

``--out-dir`` receives ``catalog.csv`` and ``examples/``, as ``data/`` does.

The generator is seeded (every generator is ``numpy.random.default_rng([20261123, ...])``),
so a rerun gives byte-identical files as long as the instruments do not change. It prints the
reliability figures of ``responses.csv`` at the end (ICC(1), reliability and r_wg(J) per
instrument; ``tests/test_examples.py`` asserts their ranges). After changing an instrument,
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

from assessment.analysis.stats import cohort_icc, describe_scores
from assessment.analysis.waves import wave_changes
from assessment.core.ingest import read_responses
from assessment.core.instruments import Instrument, Item, load_instrument
from assessment.core.scoring import score_respondents, score_responses

SEED = 20261123
#: default output folder: the project's data/ folder (this script lives in data/examples/)
DATA_DIR = Path(__file__).resolve().parent.parent
RESPONSES = "examples/responses.csv"
MESSY = "examples/messy_forms_export.csv"
WAVES = "examples/waves.csv"
CATALOG = "catalog.csv"

#: share of item answers left blank (the organisation with many blanks: its ``blank_rate``)
BLANK_RATE = 0.03
#: where an organisation's level sits on the 1–4 scale for each intended stage: inside the
#: stage's band, towards the neighbouring stages, so that the organisations of one file
#: differ about as much as real ones do (ICC(1) about 0.1–0.3) while each still reaches its
#: intended stage
STAGE_LEVEL = {"undefined": 1.64, "defined": 2.36, "aligned": 2.62, "integrated": 3.32}
#: sd of an organisation's dimension levels around its interface level (summing to zero)
DIMENSION_SD = 0.06
#: sd of a respondent's general leniency (on the answer scale), shared by every item
LENIENCY_SD = 0.25
#: sd of a respondent's own view of one interface, shared by that interface's items
RESPONDENT_INTERFACE_SD = 0.20
#: sd of a respondent's own view of one dimension (alignment) or discipline (value
#: disciplines), shared by that dimension's items: what makes its items hang together
RESPONDENT_DIMENSION_SD = {"stages4": 0.56, "likert5": 0.60}
#: sd of the answer noise per item, per instrument type
ITEM_SD = {"stages4": 0.40, "likert5": 0.85}
#: redraws allowed per organisation until its scores come out as the catalogue intends
MAX_DRAWS = 200
#: share of respondents who answer in the other language than their organisation's
OTHER_LANGUAGE = 0.15
#: customer loyalty: sd of a respondent's view of one Service-Profit Chain link (1–5 scale),
#: sd of the answer noise per item, how much lower the weakest link sits (0–100), and the
#: sd of the 0–10 recommendation answer around its organisation's mean
LINK_SD = 0.45
LOYALTY_ITEM_SD = 0.45
WEAK_LINK_DROP = 15.0
NPS_SD = 1.6
#: share of respondents who write a suggestion in the free-text item
COMMENT_RATE = 0.35
#: how each department tends to see the Service-Profit Chain (offset on the 1–5 scale)
LOYALTY_PERCEPTION = {"management": 0.25, "service": -0.10}
#: per organisation code and wave: loyalty level on 0–100 and the weakest link (dimension id)
LOYALTY: dict[tuple[str, str], tuple[float, str]] = {
    ("VDI", ""): (49, "internal_service_quality"),
    ("NHL", ""): (60, "employee_satisfaction"),
    ("BWS", ""): (66, "customer_value"),
    ("ZPM", ""): (74, "customer_value"),
    ("KKI", ""): (58, "internal_service_quality"),
    ("HHE", ""): (62, "customer_satisfaction"),
    ("BVG", ""): (59, "employee_satisfaction"),
    ("DMT", ""): (67, "internal_service_quality"),
    ("LBA", ""): (70, "customer_value"),
    ("OPM", ""): (54, "customer_loyalty"),
    ("VMB", "2026-Q1"): (56, "internal_service_quality"),
    ("VMB", "2026-Q3"): (61, "internal_service_quality"),
    ("GFF", "2026-Q1"): (66, "customer_value"),
    ("GFF", "2026-Q3"): (66, "customer_value"),
    ("SBO", "2026-Q1"): (65, "employee_satisfaction"),
    ("SBO", "2026-Q3"): (58, "employee_satisfaction"),
}
#: suggestions respondents write in the free-text item (Dutch, English)
COMMENTS = (
    ("Bel klanten sneller terug als ze een klacht hebben.",
     "Call customers back sooner when they have a complaint."),
    ("Zorg dat service en verkoop dezelfde klantgegevens zien.",
     "Make sure service and sales see the same customer data."),
    ("Minder beloven in offertes, en waarmaken wat we beloven.",
     "Promise less in quotes, and deliver what we promise."),
    ("Meer tijd om nieuwe collega's in te werken.", "More time to train new colleagues."),
    ("Eén vast aanspreekpunt per klant.", "One fixed contact person per customer."),
    ("Betere afspraken over de overdracht na de verkoop.",
     "Clearer agreements on the hand-over after the sale."),
    ("Vaker aan klanten vragen wat ze van ons vinden.",
     "Ask customers more often what they think of us."),
    ("Realistische levertijden noemen.", "Quote realistic delivery times."),
    ("Minder interne overleggen, meer tijd voor klanten.",
     "Fewer internal meetings, more time for customers."),
    ("Prijs & kwaliteit beter uitleggen op de website.",
     "Explain price & quality better on the website."),
)

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
    wave : str
        The wave these answers belong to (empty outside ``waves.csv``).
    blank_rate : float
        Share of its item answers left blank.
    divided : tuple, optional
        (interface id, department -> offset on the 1–4 scale): a divided organisation,
        whose departments see one interface very differently.
    shift : dict
        Interface id -> offset of the organisation's level from its stage's
        :data:`STAGE_LEVEL` (waves whose stage changes move further than two neighbouring
        levels lie apart).
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
    wave: str = ""
    blank_rate: float = BLANK_RATE
    divided: tuple[str, dict[str, float]] | None = None
    shift: dict[str, float] = field(default_factory=dict)

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
        _vd(44, 62, 42), "below_threshold", "below_threshold", None, "none",
        "Family-owned installer: every department works for itself (all interfaces undefined). "
        "No discipline stands out, intimacy and leadership are under the threshold, and nobody "
        "can name a chosen strategy (everyone answers 'no clear choice').",
        weak=("customer_intimacy", "product_leadership"),
    ),
    OrgSpec(
        "Noordhaven Logistiek", "NHL", "nl",
        {"marketing": 2, "sales": 4, "service": 5, "management": 2},
        _stages("defined", "defined", "defined"), "stage_defined",
        _vd(60, 79, 62), "leader_operational_excellence", "leader", "operational_excellence",
        "operational_excellence",
        "Logistics provider with written rules and procedures between departments but separate "
        "planning (all interfaces defined); a clear, coherent operational-excellence leader.",
    ),
    OrgSpec(
        "Brightwave Software", "BWS", "en",
        {"marketing": 5, "sales": 6, "service": 4, "management": 3, "other": 2},
        _stages("aligned", "aligned", "aligned"), "stage_aligned",
        _vd(62, 60, 80), "leader_product_leadership", "leader", "product_leadership",
        "product_leadership",
        "Software scale-up whose departments plan together and consult before acting (all "
        "interfaces aligned); a clear, coherent product-leadership leader.",
    ),
    OrgSpec(
        "Zorgpartner Midden", "ZPM", "nl",
        {"marketing": 4, "sales": 4, "service": 7, "management": 2},
        _stages("integrated", "integrated", "integrated"), "stage_integrated",
        _vd(80, 62, 60), "leader_customer_intimacy", "leader", "customer_intimacy",
        "customer_intimacy",
        "Health-care services provider working as one team along the customer journey (all "
        "interfaces integrated); a clear, coherent customer-intimacy leader.",
    ),
    OrgSpec(
        "Kempen Kantoorinrichting", "KKI", "nl",
        {"marketing": 3, "sales": 5, "service": 4, "management": 2},
        _stages("aligned", "undefined", "aligned"), "weak_sales_service",
        _vd(63, 62, 60), "stuck_in_the_middle", "stuck_in_the_middle", None, "customer_intimacy",
        "Office furnisher: marketing works well with sales and with service, but sales and "
        "service hardly talk (Sales-Service undefined, the other two aligned). All disciplines "
        "above the threshold, none excellent: stuck in the middle although management declares "
        "customer intimacy. Its staff agree so closely on product leadership that there is "
        "hardly any variance for its questions to share: Cronbach's alpha there is negative and "
        "the report says it is not interpretable.",
    ),
    OrgSpec(
        "Harbour & Hart Events", "HHE", "en",
        {"marketing": 3, "sales": 3, "service": 2, "management": 1},
        _stages("defined", "aligned", "undefined"), "mixed",
        _vd(62, 44, 80), "leader_weak_spot", "leader_weak_spot", "product_leadership",
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
        _vd(60, 80, 60), "incoherent_declared_vs_practised", "leader", "operational_excellence",
        "customer_intimacy",
        "Bakery chain whose management declares customer intimacy while the organisation "
        "practises operational excellence (incoherent). Management also rates intimacy higher "
        "than staff do. A divided organisation: sales thinks the hand-over to the shops' "
        "service desks works, service thinks it does not, so agreement on Sales-Service is low.",
        divided=("sales_service", {"sales": 0.7, "service": -0.7}),
    ),
    OrgSpec(
        "Delta Meettechniek", "DMT", "nl",
        {"marketing": 6, "sales": 8, "service": 6, "management": 3, "other": 2},
        _stages("aligned", "defined", "defined"), "mixed",
        _vd(80, 62, 62), "leader_customer_intimacy", "leader", "customer_intimacy",
        "customer_intimacy",
        "Instrument maker, the largest example (25 respondents): marketing and sales aligned, "
        "service lagging (defined). Coherent customer-intimacy leader.",
    ),
    OrgSpec(
        "Lindeboom Accountants", "LBA", "nl",
        {"marketing": 1, "sales": 2, "service": 2, "management": 1},
        _stages("defined", "aligned", "defined"), "mixed",
        _vd(81, 63, 63), "leader_customer_intimacy", "leader", "customer_intimacy",
        "customer_intimacy",
        "Small accountancy firm, the smallest example (6 respondents; department groups under "
        "the minimum group size, and too few respondents for a reliability). Coherent "
        "customer-intimacy leader.",
    ),
    OrgSpec(
        "Orion Print & Media", "OPM", "en",
        {"marketing": 3, "sales": 4, "service": 3, "management": 1, "other": 1},
        _stages("undefined", "defined", "aligned"), "mixed",
        _vd(60, 44, 62), "below_threshold", "below_threshold", None, "product_leadership",
        "Printing and media company with a different stage on every interface. Management "
        "declares product leadership, but no discipline excels and operational excellence is "
        "under the threshold. Many blank answers (about 12%), so that for several dimensions "
        "fewer than ten respondents answered both questions and no reliability is given.",
        weak=("operational_excellence",), blank_rate=0.12,
    ),
)

MESSY_ORGS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "Houtmans Bouwmaterialen", "", "nl",
        {"marketing": 2, "sales": 4, "service": 4, "management": 2},
        _stages("defined", "undefined", "defined"), "weak_sales_service",
        _vd(60, 80, 60), "leader_operational_excellence", "leader", "operational_excellence",
        "operational_excellence",
        "Builders' merchant; Sales-Service the weak interface. Coherent operational-excellence "
        "leader.",
    ),
    OrgSpec(
        "Rijnmond Fietsen", "", "nl",
        {"marketing": 2, "sales": 4, "service": 4, "management": 2},
        _stages("aligned", "aligned", "defined"), "mixed",
        _vd(63, 62, 60), "stuck_in_the_middle", "stuck_in_the_middle", None, "customer_intimacy",
        "Bicycle retailer; stuck in the middle although management declares customer intimacy.",
    ),
)

WAVE_ORGS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "Veldhoven Machinebouw", "VMB", "nl",
        {"marketing": 3, "sales": 5, "service": 4, "management": 2},
        _stages("defined", "defined", "undefined"), "improves",
        _vd(60, 79, 60), "leader_operational_excellence", "leader", "operational_excellence",
        "operational_excellence",
        "Machine builder, first wave: rules between departments but separate planning; "
        "marketing and service hardly work together.", wave="2026-Q1",
    ),
    OrgSpec(
        "Veldhoven Machinebouw", "VMB", "nl",
        {"marketing": 3, "sales": 5, "service": 5, "management": 3},
        _stages("aligned", "defined", "defined"), "improves",
        _vd(60, 79, 60), "leader_operational_excellence", "leader", "operational_excellence",
        "operational_excellence",
        "Second wave, after a joint annual plan and shared lead targets: Marketing-Sales and "
        "Marketing-Service each one stage up; Sales-Service unchanged.", wave="2026-Q3",
    ),
    OrgSpec(
        "Greenfield Foods", "GFF", "en",
        {"marketing": 4, "sales": 4, "service": 4, "management": 2, "other": 1},
        _stages("aligned", "defined", "defined"), "stable",
        _vd(80, 60, 62), "leader_customer_intimacy", "leader", "customer_intimacy",
        "customer_intimacy",
        "Food producer, first wave.", wave="2026-Q1",
    ),
    OrgSpec(
        "Greenfield Foods", "GFF", "en",
        {"marketing": 4, "sales": 5, "service": 4, "management": 2},
        _stages("aligned", "defined", "defined"), "stable",
        _vd(80, 60, 62), "leader_customer_intimacy", "leader", "customer_intimacy",
        "customer_intimacy",
        "Second wave: nothing was meant to change; differences are noise.", wave="2026-Q3",
    ),
    OrgSpec(
        "Stadsbank Oost", "SBO", "nl",
        {"marketing": 4, "sales": 6, "service": 5, "management": 2},
        _stages("aligned", "aligned", "defined"), "slips_back",
        _vd(63, 62, 60), "stuck_in_the_middle", "stuck_in_the_middle", None, "customer_intimacy",
        "Regional bank, first wave.", wave="2026-Q1", shift={"sales_service": 0.25},
    ),
    OrgSpec(
        "Stadsbank Oost", "SBO", "nl",
        {"marketing": 4, "sales": 5, "service": 5, "management": 2},
        _stages("aligned", "defined", "defined"), "slips_back",
        _vd(63, 62, 60), "stuck_in_the_middle", "stuck_in_the_middle", None, "customer_intimacy",
        "Second wave, after service moved to a shared-service centre: Sales-Service one stage "
        "down, loyalty figures lower.", wave="2026-Q3", shift={"sales_service": -0.15},
    ),
)


# --------------------------------------------------------------------------- answers


def _check_specs(alignment: Instrument, disciplines: Instrument) -> None:
    """Fail early when the specs name an interface, stage or discipline the YAML lacks."""
    ifaces = {i.id for i in alignment.interfaces}
    levels = {lv.id for lv in alignment.levels}
    if set(STAGE_LEVEL) != levels:
        raise SystemExit(f"STAGE_LEVEL {sorted(STAGE_LEVEL)} does not fit the stages {levels}")
    dims = {d.id for d in disciplines.dimensions}
    options = {o.value for o in disciplines.item(disciplines.profile.declared_item).options}
    for org in CLEAN_ORGS + MESSY_ORGS + WAVE_ORGS:
        if set(org.stages) != ifaces or not set(org.stages.values()) <= levels:
            raise SystemExit(f"{org.name}: stages {org.stages} do not fit the alignment instrument")
        if set(org.disciplines) != dims or org.declared not in options:
            raise SystemExit(f"{org.name}: disciplines or declared option unknown")


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
                      rng: np.random.Generator,
                      spread_rng: np.random.Generator | None = None) -> np.ndarray:
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
    spread_rng : numpy.random.Generator, optional
        Draws the dimensions' spread around each interface's target instead of ``rng``;
        waves of one organisation pass generators with the same seed, so that their
        dimensions keep the same spread.

    Returns
    -------
    numpy.ndarray
        Respondents × scored items, whole answers 1–4 (reverse keying applied), NaN = blank.
    """
    lo, hi = alignment.scale.min, alignment.scale.max
    ifaces = [i.id for i in alignment.interfaces]
    dims = [d.id for d in alignment.dimensions]
    target: dict[tuple[str, str], float] = {}
    for iface in ifaces:
        spread = (spread_rng or rng).normal(0.0, DIMENSION_SD, len(dims))
        spread = np.clip(spread - spread.mean(), -0.2, 0.2)
        for dim, sp in zip(dims, spread, strict=True):
            target[(iface, dim)] = STAGE_LEVEL[org.stages[iface]] + org.shift.get(iface, 0.0) + sp
    items = alignment.scored_items
    n = len(depts)
    general = rng.normal(0.0, LENIENCY_SD, n)
    own_iface = rng.normal(0.0, RESPONDENT_INTERFACE_SD, (n, len(ifaces)))
    own_dim = rng.normal(0.0, RESPONDENT_DIMENSION_SD["stages4"], (n, len(ifaces), len(dims)))
    out = np.empty((n, len(items)))
    for r, dept in enumerate(depts):
        latent = np.array([
            target[(i.interface, i.dimension)]
            + _perception(ALIGNMENT_PERCEPTION, dept, i.dimension)
            + _divided(org, dept, i.interface)
            + own_iface[r, ifaces.index(i.interface)]
            + own_dim[r, ifaces.index(i.interface), dims.index(i.dimension)]
            for i in items
        ]) + general[r] + rng.normal(0.0, ITEM_SD["stages4"], len(items))
        out[r] = _to_answer(latent, "stages4")
    reverse = np.array([i.reverse for i in items])
    out[:, reverse] = lo + hi - out[:, reverse]
    out[rng.random(out.shape) < org.blank_rate] = np.nan
    return out


def _divided(org: OrgSpec, dept: str, interface: str | None) -> float:
    """Return a divided organisation's offset of a department on its divided interface."""
    if org.divided is None or interface != org.divided[0]:
        return 0.0
    return org.divided[1].get(dept, 0.0)


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
    dims = [d.id for d in disciplines.dimensions]
    leniency = rng.normal(0.0, LENIENCY_SD, len(depts))
    own = rng.normal(0.0, RESPONDENT_DIMENSION_SD["likert5"], (len(depts), len(dims)))
    out = np.empty((len(depts), len(items)))
    for r, dept in enumerate(depts):
        latent = []
        for i in items:
            key = "declared" if i.dimension == org.declared else i.dimension
            offset = _perception(VD_PERCEPTION, dept, key)
            if key == "declared":
                offset += _perception(VD_PERCEPTION, dept, i.dimension)
            latent.append(lo + org.disciplines[i.dimension] / 100 * (hi - lo) + offset
                          + own[r, dims.index(i.dimension)])
        latent = np.array(latent) + leniency[r] + rng.normal(0.0, ITEM_SD["likert5"], len(items))
        out[r] = _to_answer(latent, "likert5")
    reverse = np.array([i.reverse for i in items])
    out[:, reverse] = lo + hi - out[:, reverse]
    out[rng.random(out.shape) < org.blank_rate] = np.nan

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
        blank = dept != "management" and rng.random() < org.blank_rate
        declared.append(None if blank else choice)
    return out, declared


def loyalty_answers(org: OrgSpec, depts: list[str], langs: list[str], loyalty: Instrument,
                    rng: np.random.Generator) -> dict[str, list[str]]:
    """Draw every respondent's customer-loyalty answers, recommendation score and comment.

    Parameters
    ----------
    org : OrgSpec
        The organisation's intent (its loyalty level comes from ``LOYALTY``).
    depts, langs : list of str
        Each respondent's department and language.
    loyalty : Instrument
        The customer-loyalty instrument.
    rng : numpy.random.Generator
        The loyalty answers' own generator.

    Returns
    -------
    dict
        Item id -> one cell per respondent, as written to the CSV.
    """
    level, weak_link = LOYALTY[(org.code, org.wave)]
    lo, hi = loyalty.scale.min, loyalty.scale.max
    dims = [d.id for d in loyalty.dimensions]
    n = len(depts)
    leniency = rng.normal(0.0, LENIENCY_SD, n)
    link = rng.normal(0.0, LINK_SD, (n, len(dims)))
    perception = np.array([LOYALTY_PERCEPTION.get(d, 0.0) for d in depts])
    out: dict[str, list[str]] = {}
    for item in loyalty.items:
        if item.type == "likert5":
            k = dims.index(item.dimension)
            target = level - (WEAK_LINK_DROP if item.dimension == weak_link else 0.0)
            latent = (lo + target / 100 * (hi - lo) + perception + leniency + link[:, k]
                      + rng.normal(0.0, LOYALTY_ITEM_SD, n))
            values = _to_answer(latent, "likert5")
            if item.reverse:
                values = lo + hi - values
        elif item.type == "nps":
            latent = (2.5 + 0.075 * level + 2.0 * (perception + leniency + link.mean(axis=1))
                      + rng.normal(0.0, NPS_SD, n))
            values = np.clip(np.rint(latent), 0, 10)
        elif item.type == "text":
            picks = rng.integers(len(COMMENTS), size=n)
            wrote = rng.random(n) < COMMENT_RATE
            out[item.id] = [COMMENTS[p][0 if lang == "nl" else 1] if w else ""
                            for p, w, lang in zip(picks, wrote, langs, strict=True)]
            continue
        else:
            continue
        values[rng.random(n) < org.blank_rate] = np.nan
        out[item.id] = [_cell(v) for v in values]
    return out


def _cell(value: float) -> str:
    return "" if np.isnan(value) else str(int(value))


# --------------------------------------------------------------------------- files


def _header(instruments: list[Instrument]) -> list[str]:
    return ["respondent_id", "organisation", "department", "wave", "language",
            *(i.id for inst in instruments for i in inst.items)]


def clean_rows(alignment: Instrument, disciplines: Instrument,
               loyalty: Instrument) -> tuple[list[str], list[list[str]], list[int]]:
    """Build the header and rows of ``responses.csv``, and how often each organisation was drawn.

    Each organisation draws from its own generators (seeded ``[SEED, 0, k, draw]``), so
    that redrawing one leaves the others as they are.
    """
    header = _header([alignment, disciplines, loyalty])
    rows, draws = [], []
    for k, org in enumerate(CLEAN_ORGS):
        got, n = _draw_as_intended(org, header, [alignment, disciplines, loyalty], (0, k))
        rows += got
        draws.append(n)
    return header, rows, draws


def _draw_as_intended(org: OrgSpec, header: list[str], instruments: list[Instrument],
                      key: tuple[int, ...],
                      spread_key: tuple[int, ...] | None = None) -> tuple[list[list[str]], int]:
    """Draw an organisation's rows until its scores are as the catalogue intends.

    Draw ``d`` uses ``default_rng([SEED, *key, d])`` (and ``[..., d, 1]`` for the loyalty
    answers); ``spread_key`` seeds the dimensions' spread, the same in every draw.

    Returns
    -------
    tuple
        The rows and the number of draws it took.
    """
    for draw in range(MAX_DRAWS):
        spread = np.random.default_rng([SEED, *spread_key]) if spread_key else None
        rows = _org_rows(org, header, instruments, np.random.default_rng([SEED, *key, draw]),
                         np.random.default_rng([SEED, *key, draw, 1]), spread)
        if _rows_as_intended(org, header, rows, instruments):
            return rows, draw + 1
    raise SystemExit(f"{org.name} {org.wave}: not as intended in {MAX_DRAWS} draws; "
                     "move its targets away from the band and threshold edges")


def _rows_as_intended(org: OrgSpec, header: list[str], rows: list[list[str]],
                      instruments: list[Instrument]) -> bool:
    """Score one organisation's rows; True when stages and profile are as intended."""
    data = pd.DataFrame(rows, columns=header)
    for inst in instruments[:2]:
        for i in inst.scored_items:
            data[i.id] = pd.to_numeric(data[i.id].replace("", np.nan))
        choice = inst.profile.declared_item if inst.profile else None
        if choice:
            data[choice] = data[choice].replace("", None)
    data.insert(0, "row", np.arange(2, len(data) + 2))
    scores = score_responses(data, instruments[:2])
    mine = scores[scores["organisation"] == org.name]
    stages = mine[mine["level"] == "interface"].set_index("interface")["stage"]
    if any(stages.get(iface) != stage for iface, stage in org.stages.items()):
        return False
    first = mine[mine["level"] == "discipline"].iloc[0]
    weak = sorted(w for w in (_value(first["weak"]) or "").split(",") if w)
    return bool(first["profile"] == org.profile and _value(first["leader"]) == org.leader
                and weak == sorted(org.weak)
                and _value(first["declared"]) == (None if org.declared == "none"
                                                  else org.declared))


def _org_rows(org: OrgSpec, header: list[str], instruments: list[Instrument],
              rng: np.random.Generator, loyalty_rng: np.random.Generator,
              spread_rng: np.random.Generator | None = None) -> list[list[str]]:
    """Rows of one organisation (and wave): alignment, disciplines, then loyalty answers."""
    alignment, disciplines, loyalty = instruments
    other_lang = {"nl": "en", "en": "nl"}
    depts = _departments(org, rng)
    al = alignment_answers(org, depts, alignment, rng, spread_rng)
    vd, declared = discipline_answers(org, depts, disciplines, rng)
    langs = [other_lang[org.language] if rng.random() < OTHER_LANGUAGE else org.language
             for _ in depts]
    loy = loyalty_answers(org, depts, langs, loyalty, loyalty_rng)
    return _answer_rows(org, header, [alignment, disciplines], depts, al, vd, declared, langs,
                        loy)


def _answer_rows(org: OrgSpec, header: list[str], instruments: list[Instrument],
                 depts: list[str], al: np.ndarray, vd: np.ndarray,
                 declared: list[str | None], langs: list[str],
                 loy: dict[str, list[str]]) -> list[list[str]]:
    """Rows in the project's own format from one organisation's drawn answers."""
    alignment, disciplines = instruments
    choice_id = disciplines.profile.declared_item
    rows = []
    prefix = f"{org.code}-{org.wave[-2:]}" if org.wave else org.code or "X"
    for r, dept in enumerate(depts):
        values = {i.id: _cell(al[r, k]) for k, i in enumerate(alignment.scored_items)}
        values.update({i.id: _cell(vd[r, k]) for k, i in enumerate(disciplines.scored_items)})
        values[choice_id] = declared[r] or ""
        values.update({item_id: cells[r] for item_id, cells in loy.items()})
        rows.append([f"{prefix}-{r + 1:03d}", org.name, dept, org.wave, langs[r],
                     *(values.get(c, "") for c in header[5:])])
    return rows


def wave_rows(instruments: list[Instrument]) -> tuple[list[str], list[list[str]], list[int]]:
    """Build the header and rows of ``waves.csv``: each wave organisation, wave by wave.

    Both waves of an organisation share the dimensions' spread (seeded ``[SEED, 3, first]``).
    """
    header = _header(instruments)
    rows, draws = [], []
    for k, org in enumerate(WAVE_ORGS):
        first = next(j for j, o in enumerate(WAVE_ORGS) if o.code == org.code)
        got, n = _draw_as_intended(org, header, instruments, (2, k), (3, first))
        rows += got
        draws.append(n)
    return header, rows, draws


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
    draws: list[int]
    """How often each organisation's answers were drawn until they were as intended."""


def _messy_answers(org: OrgSpec, k: int, instruments: list[Instrument], drop: int | None = None
                   ) -> tuple[list[str], np.ndarray, np.ndarray, list[str | None], int]:
    """Draw a messy organisation's answers until its scores are as intended.

    ``drop``: the respondent (in draw order) whose row the validator will reject; the scores
    must be as intended without it. Returns departments, alignment and discipline answers,
    declared choices and the number of draws (draw ``d`` seeded ``[SEED, 1, k, d]``).
    """
    alignment, disciplines = instruments
    header = _header(instruments)
    for draw in range(MAX_DRAWS):
        rng = np.random.default_rng([SEED, 1, k, draw])
        depts = _departments(org, rng)
        al = alignment_answers(org, depts, alignment, rng)
        vd, declared = discipline_answers(org, depts, disciplines, rng)
        rows = _answer_rows(org, header, instruments, depts, al, vd, declared,
                            [org.language] * len(depts), {})
        if drop is not None:
            rows.pop(drop)
        if _rows_as_intended(org, header, rows, instruments):
            return depts, al, vd, declared, draw + 1
    raise SystemExit(f"{org.name}: not as intended in {MAX_DRAWS} draws")


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
    draws = []
    blank = None  # the second organisation's respondent who leaves the organisation blank
    for k, org in enumerate(MESSY_ORGS):
        drop = org.size // 2 if k == 1 else None
        depts, al, vd, declared, n = _messy_answers(org, k, [alignment, disciplines], drop)
        draws.append(n)
        domain = org.name.split()[0].lower() + ".example"
        for r, dept in enumerate(depts):
            answers = {i.id: al[r, k] for k, i in enumerate(alignment.scored_items)}
            answers.update({i.id: vd[r, k] for k, i in enumerate(disciplines.scored_items)})
            answers[choice_id] = declared[r]
            began = start + timedelta(seconds=int(rng.integers(0, 60 * 60 * 24 * 9)))
            respondents.append((began, org, dept, answers, _person(rng, domain)))
            if r == drop:
                blank = respondents[-1]
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
    k_blank = next(k for k in in_second if respondents[k] is blank)
    rows[k_blank][5] = ""
    problems.append((second.name, k_blank + 2, "Organisatie",
                     "organisation left blank by one of this organisation's respondents "
                     "(rejected)"))

    accepted = {first.name: first.size, second.name: second.size - 1}
    return MessyFile(header, rows, sorted(problems, key=lambda p: p[1]), accepted, draws)


def catalog_rows(alignment: Instrument, messy: MessyFile) -> list[dict[str, str]]:
    """One catalogue row per (file, organisation, wave)."""
    codes = {i.id: i.code for i in alignment.interfaces}
    out = []
    for file, orgs in ((RESPONSES, CLEAN_ORGS), (MESSY, MESSY_ORGS), (WAVES, WAVE_ORGS)):
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
                "wave": org.wave,
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
    alignment, disciplines = instruments[:2]
    codes = {i.code: i.id for i in alignment.interfaces}
    specs = {(org.name, org.wave): org for org in CLEAN_ORGS + MESSY_ORGS + WAVE_ORGS}
    ok = True
    stage_lines = [f"{'file':<31} {'organisation':<34} {'if':<3} {'intended':<11} "
                   f"{'scored':<11} {'index':>5}"]
    vd_lines = [f"{'organisation':<34} {'intended':<38} {'scored':<38} {'CI/OE/PL':<11} "
                f"{'declared':<22} coherent"]
    for file in (RESPONSES, MESSY, WAVES):
        responses = read_responses(out_dir / file, instruments)
        scores = score_responses(responses.data, instruments)
        want_problems = sorted(expected_problems) if file == MESSY else []
        got_problems = sorted((p.row, p.column) for p in responses.problems)
        print(f"{file}: {len(got_problems)} problems, {len(want_problems)} intended"
              + ("" if got_problems == want_problems else "  <-- differs"))
        ok &= got_problems == want_problems
        for p in responses.problems:
            print(f"  row {p.row}, column {p.column[:40]!r}: {p.message[:60]}")
        for entry in (e for e in catalog if e["file"] == file):
            org, wave = entry["organisation"], entry["wave"]
            mine = scores[(scores["organisation"] == org) & (scores["wave"] == wave)]
            accepted = len(responses.for_organisation(org, wave or None))
            if accepted != int(entry["respondents"]):
                ok = False
                print(f"{org} {wave}: {accepted} respondents accepted, "
                      f"catalogue says {entry['respondents']}")
            label = f"{org} {wave}".strip()
            for part in entry["intended_stage"].split(";"):
                code, intended = part.split("=")
                row = mine[(mine["level"] == "interface") & (mine["interface"] == codes[code])]
                scored = row["stage"].iloc[0] if len(row) else None
                index = row["score"].iloc[0] if len(row) else float("nan")
                flag = "" if scored == intended else "  <-- differs"
                ok &= scored == intended
                stage_lines.append(f"{file:<31} {label:<34} {code:<3} {intended:<11} "
                                   f"{scored!s:<11} {index:5.2f}{flag}")
            vd = mine[mine["level"] == "discipline"].set_index("dimension")
            first = vd.iloc[0]
            want = (entry["intended_profile"], entry["intended_leader"] or None,
                    ",".join(sorted(specs[(org, wave)].weak)),
                    None if entry["declared"] == "none" else entry["declared"])
            got = (first["profile"], _value(first["leader"]), ",".join(sorted(
                w for w in (_value(first["weak"]) or "").split(",") if w)),
                _value(first["declared"]))
            flag = "" if got == want else "  <-- differs"
            ok &= got == want
            triple = "/".join(f"{vd.loc[d.id, 'score']:.0f}" for d in disciplines.dimensions)
            vd_lines.append(
                f"{label:<34} {want[0] + ' ' + (want[1] or ''):<38} "
                f"{got[0] + ' ' + (got[1] or ''):<38} {triple:<11} {entry['declared']:<22} "
                f"{_value(first['coherent'])}{flag}")
    print("\nAlignment: intended vs scored stage per interface")
    print("\n".join(stage_lines))
    print("\nValue disciplines: intended vs scored profile (scores 0-100)")
    print("\n".join(vd_lines))
    ok &= check_waves(out_dir, catalog, instruments)
    return bool(ok)


def check_waves(out_dir: Path, catalog: list[dict[str, str]],
                instruments: list[Instrument]) -> bool:
    """Check the intended changes between waves; print every interface's change.

    Every interface whose intended stage changes between an organisation's waves must change
    by more than its uncertainty, in the intended direction.
    """
    alignment = instruments[0]
    codes = {i.code: i.id for i in alignment.interfaces}
    levels = [lv.id for lv in alignment.levels]
    data = read_responses(out_dir / WAVES, instruments).data
    changes = wave_changes(score_respondents(data, alignment))
    changes = changes[changes["level"] == "interface"].set_index(["organisation", "interface"])
    entries = [e for e in catalog if e["file"] == WAVES]
    ok = True
    print("\nWaves: change of each interface index since the previous wave (95% interval)")
    for before, now in zip(entries, entries[1:], strict=False):
        if before["organisation"] != now["organisation"]:
            continue
        was = dict(p.split("=") for p in before["intended_stage"].split(";"))
        is_ = dict(p.split("=") for p in now["intended_stage"].split(";"))
        for code, iface in codes.items():
            row = changes.loc[(now["organisation"], iface)]
            step = levels.index(is_[code]) - levels.index(was[code])
            good = (not step) or (row["delta_significant"] and np.sign(row["delta"]) == step)
            ok &= bool(good)
            print(f"{now['organisation']:<24} {code} {was[code]:>10} -> {is_[code]:<10} "
                  f"delta {row['delta']:+.2f} [{row['delta_low']:+.2f}, {row['delta_high']:+.2f}]"
                  f"{'' if good else '  <-- differs'}")
    return ok


def reliability_figures(path: Path, instruments: list[Instrument]) -> pd.DataFrame:
    """Summarise ICC(1), reliability and r_wg(J) of a file's dimensions, per instrument.

    One row per instrument: ``icc1_min``/``icc1_median``/``icc1_max`` (per dimension, across
    the file's organisations), ``coefficients`` (which reliabilities), ``rel_n``,
    ``rel_min``/``rel_median``/``rel_max`` (per organisation × dimension, where given),
    ``rwg_q1``/``rwg_median``/``rwg_q3`` and ``rwg_in_range`` (share in 0.6–0.9).
    """
    data = read_responses(path, instruments).data
    rows = []
    for inst in instruments:
        scored = score_respondents(data, inst)
        cells = describe_scores(scored, bootstrap=False)
        cells = cells[cells["level"].isin(["dimension", "discipline"])]
        icc = cohort_icc(scored)
        icc = icc[icc["level"].isin(["dimension", "discipline"])]["icc1"]
        rel = cells["alpha"].dropna()
        rows.append({
            "instrument": inst.id,
            "icc1_min": icc.min(), "icc1_median": icc.median(), "icc1_max": icc.max(),
            "coefficients": ",".join(sorted(cells["reliability_coefficient"].dropna().unique())),
            "rel_n": len(rel), "rel_min": rel.min(), "rel_median": rel.median(),
            "rel_max": rel.max(),
            "rwg_q1": cells["rwg"].quantile(0.25), "rwg_median": cells["rwg"].median(),
            "rwg_q3": cells["rwg"].quantile(0.75),
            "rwg_in_range": cells["rwg"].between(0.6, 0.9).mean(),
        })
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Write the example files and the catalogue, then check them; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR,
                        help="folder for catalog.csv and examples/ (default: the project's data/)")
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir
    alignment = load_instrument("alignment")
    disciplines = load_instrument("value_disciplines")
    loyalty = load_instrument("customer_loyalty")
    _check_specs(alignment, disciplines)
    header, rows, clean_draws = clean_rows(alignment, disciplines, loyalty)
    _write(out_dir / RESPONSES, header, rows, encoding="utf-8", delimiter=",",
           lineterminator="\n")
    messy = messy_rows(alignment, disciplines, np.random.default_rng([SEED, 1]))
    _write(out_dir / MESSY, messy.header, messy.rows, encoding="cp1252", delimiter=";",
           lineterminator="\r\n")
    w_header, w_rows, wave_draws = wave_rows([alignment, disciplines, loyalty])
    _write(out_dir / WAVES, w_header, w_rows, encoding="utf-8", delimiter=",",
           lineterminator="\n")
    catalog = catalog_rows(alignment, messy)
    _write(out_dir / CATALOG, list(catalog[0]), [list(c.values()) for c in catalog],
           encoding="utf-8", delimiter=",", lineterminator="\n")
    print(f"wrote {out_dir / RESPONSES} ({len(rows)} respondents), {out_dir / MESSY} "
          f"({len(messy.rows)} rows), {out_dir / WAVES} ({len(w_rows)} respondents), "
          f"{out_dir / CATALOG} ({len(catalog)} rows)")
    print("draws until as intended, per organisation: "
          + ", ".join(f"{org.code or org.name.split()[0]}{org.wave[-3:]} {n}" for org, n in zip(
              CLEAN_ORGS + MESSY_ORGS + WAVE_ORGS, clean_draws + messy.draws + wave_draws,
              strict=True)))

    good = check(out_dir, catalog, [alignment, disciplines, loyalty],
                 [(row, column) for _, row, column, _ in messy.problems])
    print(f"\nReliability figures of {RESPONSES} (dimensions; ICC(1) across its organisations)")
    print(reliability_figures(out_dir / RESPONSES, [alignment, disciplines, loyalty])
          .round(2).to_string(index=False))
    print("\nall as intended" if good else "\nSOME SCORES DIFFER FROM THE CATALOGUE", flush=True)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
