"""The data one report is drawn from, and how a chart is embedded in it.

Below both section modules (:mod:`assessment.report.sections` and
:mod:`assessment.report.analysis_sections`), so that neither needs the other for them.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass, field
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from assessment.analysis.departments import MIN_GROUP_SIZE
from assessment.analysis.whole_file import CohortContext, OrganisationAnalysis, analyse_organisation
from assessment.core.config import resolve_path
from assessment.core.i18n import check_lang
from assessment.core.ingest import Responses, read_responses
from assessment.core.instruments import Instrument, profile_instrument, staged_instrument
from assessment.core.privacy import check_mode
from assessment.core.scoring import score_responses
from assessment.core.text import normalise
from assessment.report.chart_data import ChartData, chart_alt, data_table, stage_score
from assessment.report.prepared import (
    answered_instruments,
    chosen_targets,
    read_prepared,
    report_rows,
)
from assessment.report.recommend import (
    organisation_facts,
    resolve_targets,
    suggest_target,
)

__all__ = [
    "ReportData",
    "analyse_report",
    "comparison_parts",
    "below_as_shown",
    "figure_html",
    "load_report_data",
    "package_version",
    "stage_score",
]


def package_version() -> str:
    """Return the installed package version."""
    try:
        return version("commercial-maturity-assessment")
    except PackageNotFoundError:  # pragma: no cover - only when run from a bare checkout
        return "unknown"


@dataclass
class ReportData:
    """Everything one organisation's report needs.

    Attributes
    ----------
    organisation : str
        The organisation's name as written in the file.
    wave : str
        The wave ('' when the file has none).
    lang : str
        'nl' or 'en'.
    responses : Responses
        The whole checked file (for data-quality figures).
    data : DataFrame
        The organisation's accepted rows.
    scores : DataFrame
        The organisation's tidy scores.
    instruments : dict
        Instrument id -> Instrument, those answered by this organisation.
    context : CohortContext, optional
        The cohort's figures, prepared by a batch; computed from ``responses`` when None.
    comments : {'redacted', 'verbatim', 'none'}
        How comments are shown (:mod:`assessment.core.privacy`); redacted by default.
    target_stages : dict
        Interface id -> the target stage chosen for the report (its ``target_stages``
        parameter); interfaces not named get the stage suggested from the organisation's
        size and sale complexity, if the file gives them (:attr:`targets`).
    """

    organisation: str
    wave: str
    lang: str
    responses: Responses
    data: pd.DataFrame
    scores: pd.DataFrame
    instruments: dict[str, Instrument] = field(default_factory=dict)
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    context: CohortContext | None = None
    comments: str = "redacted"
    norms: str = ""
    target_stages: dict[str, str] = field(default_factory=dict)

    @property
    def targets(self) -> dict[str, tuple[str | None, str]]:
        """Interface id -> (target stage or None, basis: 'chosen', 'suggested' or 'none').

        See :func:`assessment.report.recommend.resolve_targets`; empty without a staged
        instrument.
        """
        inst = self.alignment
        if inst is None:
            return {}
        employees, complexity = organisation_facts(self.data)
        suggested = suggest_target(employees, complexity, [lv.id for lv in inst.levels])
        return resolve_targets(inst, self.target_stages, suggested)

    @property
    def alignment(self) -> Instrument | None:
        """The staged instrument, if answered."""
        return staged_instrument(self.instruments.values())

    @property
    def disciplines(self) -> Instrument | None:
        """The value-discipline instrument, if answered."""
        return profile_instrument(self.instruments.values())

    @property
    def loyalty(self) -> Instrument | None:
        """The instrument with an ``nps`` item (customer loyalty), if answered."""
        return next((i for i in self.instruments.values()
                     if any(it.type == "nps" for it in i.items)), None)

    def scores_of(self, instrument: Instrument) -> pd.DataFrame:
        """Scores of one instrument."""
        return self.scores[self.scores["instrument"] == instrument.id]


#: the last analysis made, of one report and anonymity minimum (see :func:`analyse_report`)
_CACHE: list[tuple[ReportData, int, OrganisationAnalysis]] = []


def analyse_report(rd: ReportData, min_group_size: int = MIN_GROUP_SIZE) -> OrganisationAnalysis:
    """Analyse the report's organisation and wave (computed once per report and minimum)."""
    if _CACHE and _CACHE[0][0] is rd and _CACHE[0][1] == min_group_size:
        return _CACHE[0][2]
    context, data = rd.context, rd.responses.data
    if context is not None and context.min_group_size != min_group_size:
        # prepared for another minimum, and its rows are this organisation's only:
        # analyse against the whole file instead
        context, data = None, read_responses(rd.responses.file).data
    result = analyse_organisation(
        data, list(rd.instruments.values()), rd.organisation, rd.wave,
        min_group_size=min_group_size, context=context,
    )
    _CACHE[:] = [(rd, min_group_size, result)]
    return result


def comparison_parts(rd: ReportData, min_group_size: int | None = None) -> tuple[bool, bool]:
    """Say whether the report can rank the organisation in its cohort, and show a change.

    Returns ``(benchmark, waves)``: a rank needs at least ``MIN_COHORT`` organisations in
    the file's wave, a change a previous wave of the same organisation. The section
    "comparison" is left out when neither holds (and no norm store is named). Without
    ``min_group_size`` the analysis the report made already is used, whatever its minimum
    (ranks and waves do not depend on it).
    """
    if min_group_size is None:
        min_group_size = _CACHE[0][1] if _CACHE and _CACHE[0][0] is rd else MIN_GROUP_SIZE
    a = analyse_report(rd, min_group_size)
    return bool(a.table["rank"].notna().any()), a.previous_wave is not None


#: the report's numbered sections, in the order of REPORT-OUTLINE and the report notebook
SECTIONS = ("summary", "alignment", "departments", "disciplines", "loyalty", "comparison",
            "roadmap", "methodology")


def shown_sections(rd: ReportData) -> tuple[str, ...]:
    """Return the numbered sections this report shows: those whose instrument was answered."""
    shown = {
        "alignment": rd.alignment is not None,
        "disciplines": rd.disciplines is not None,
        "loyalty": rd.loyalty is not None,
        "comparison": None,
        "roadmap": rd.alignment is not None,
    }
    # shown with a norm store, or when there is a cohort to rank in or a previous wave
    shown["comparison"] = bool(rd.norms) or any(comparison_parts(rd))
    return tuple(s for s in SECTIONS if shown.get(s, True))


def below_as_shown(value: float, limit: float, decimals: int = 2) -> bool:
    """Tell whether ``value``, as shown with ``decimals`` decimals, is under ``limit``.

    A flag must agree with the figure beside it: an r_wg of 0.696 is shown as "0.70" and
    is then not "under 0.70".

    Examples
    --------
    >>> below_as_shown(0.696, 0.70), below_as_shown(0.694, 0.70), below_as_shown(float("nan"), 0.7)
    (False, True, False)
    """
    if value is None or pd.isna(value):
        return False
    return float(f"{float(value):.{decimals}f}") < limit


def section_heading(rd: ReportData, section: str, title: str) -> str:
    """Return ``title`` numbered by the section's place among the sections shown ("5. ...")."""
    return f"{shown_sections(rd).index(section) + 1}. {title}"


def index_basis(scores: pd.DataFrame) -> pd.DataFrame:
    """Say what each interface's index rests on: its rated dimensions out of all of them.

    Parameters
    ----------
    scores : DataFrame
        Tidy scores of one organisation and one staged instrument.

    Returns
    -------
    DataFrame
        Indexed by interface: ``rated`` and ``total`` (dimensions), ``missing`` (tuple of
        the dimension ids not rated, in the instrument's order) and ``partial`` (some
        dimensions not rated).
    """
    dims = scores[scores["level"] == "dimension"]
    rows = {}
    for iface, part in dims.groupby("interface", sort=False):
        rated = part["score"].notna()
        rows[iface] = {"rated": int(rated.sum()), "total": len(part),
                       "missing": tuple(part.loc[~rated, "dimension"])}
    out = pd.DataFrame.from_dict(rows, orient="index",
                                 columns=["rated", "total", "missing"])
    out["partial"] = out["rated"] < out["total"]
    return out


def load_report_data(
    responses_path: str | Path, organisation: str, wave: str = "", lang: str = "nl",
    prepared: str | Path = "", comments: str = "redacted", norms: str = "",
    target_stages: str = "",
) -> ReportData:
    """Read, check and score the responses of one organisation (and wave).

    ``prepared`` names a file written by :func:`assessment.report.prepared.write_prepared` for
    this organisation and wave (``assess batch`` does so): its rows and cohort figures are
    then used instead of reading and analysing the whole file again. When it is missing,
    stale or for another organisation, the responses file is read as usual. ``norms``
    names the norm store the report compares with (section "comparison" is then shown).

    ``target_stages`` sets a target stage per interface for the roadmap, as
    :func:`assessment.report.recommend.parse_target_stages` reads it (``"aligned"`` for
    every interface, or ``"marketing_sales=aligned, sales_service=defined"``); empty: the
    stage suggested from the file's ``employees`` and ``sale_complexity`` columns, if any.

    Raises
    ------
    AssessmentError
        When the organisation (or wave) has no accepted rows; the message lists the
        organisations in the file. When ``target_stages`` names an unknown interface or
        stage.
    """
    check_lang(lang)
    check_mode(comments)
    ready = read_prepared(prepared) if prepared else None
    if ready is not None and (normalise(ready.organisation) != normalise(organisation)
                              or (wave and ready.wave != wave)):
        ready = None
    responses = ready.responses if ready else read_responses(resolve_path(responses_path))
    data, wave = report_rows(responses, organisation, wave)
    instruments = answered_instruments(responses, data)
    chosen = chosen_targets(instruments, target_stages)
    context = ready.context if ready and ready.wave == wave else None
    if context is not None and context.scores is not None:  # scored with the cohort already
        own = context.scores
        scores = own[own["instrument"].isin(list(instruments))].reset_index(drop=True)
    else:
        scores = score_responses(data, list(instruments.values()))
    return ReportData(
        organisation=str(data["organisation"].iloc[0]),
        wave=wave,
        lang=lang,
        responses=responses,
        data=data,
        scores=scores,
        instruments=instruments,
        context=context,
        comments=comments,
        target_stages=chosen,
        norms=norms,
    )


#: an SVG style sheet that turns ligatures off ("Gedefinieerd", not "Gedeﬁnieerd")
NO_LIGATURES = (b'<defs><style type="text/css">text{font-variant-ligatures:none;'
                b'font-feature-settings:"liga" 0,"clig" 0}</style>')


def figure_html(fig: Figure, alt: str, data: ChartData | None = None, lang: str = "nl") -> str:
    """Embed a figure as an SVG data URI inside ``<div class="chart">`` and close it.

    SVG stays sharp in print and PDF and is smaller and faster to write than a PNG at
    print resolution; text stays text (rendered in the reader's sans-serif font), and
    the file is reproducible (no date, fixed ids). A ``<div>``, not a ``<figure>``: in a
    tagged PDF a figure element becomes a second /Figure without alt text around the image.

    With ``data`` (:mod:`assessment.report.chart_data`), ``alt`` is the chart's heading:
    the image's alt text describes the chart (kind, highest and lowest value) and a
    table of every value follows in a ``<details>`` element.
    """
    buffer = io.BytesIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "assessment"}):
        fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    plt.close(fig)
    # no "fi" ligatures in chart text either: text extracted from the PDF stays searchable
    svg = buffer.getvalue().replace(b"<defs>", NO_LIGATURES, 1)
    encoded = base64.b64encode(svg).decode("ascii")
    heading, table = alt, ""
    if data is not None:
        alt, table = chart_alt(data, heading, lang), data_table(data, lang)
    # on a narrow screen the chart keeps a legible width and scrolls inside its own region
    return (
        f'<div class="chart"><div class="chart-scroll" role="region" tabindex="0" '
        f'aria-label="{escape(heading)}">'
        f'<img alt="{escape(alt)}" src="data:image/svg+xml;base64,{encoded}"/></div>'
        f"{table}</div>"
    )
