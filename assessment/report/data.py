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

from assessment.analysis.whole_file import CohortContext
from assessment.core.config import resolve_path
from assessment.core.exceptions import AssessmentError
from assessment.core.i18n import check_lang
from assessment.core.ingest import Responses, read_responses
from assessment.core.instruments import Instrument, profile_instrument, staged_instrument
from assessment.core.privacy import check_mode
from assessment.core.scoring import score_responses
from assessment.core.text import normalise
from assessment.report.chart_data import ChartData, chart_alt, data_table
from assessment.report.prepared import read_prepared

__all__ = ["ReportData", "figure_html", "load_report_data", "package_version"]


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


#: the report's numbered sections, in the order of REPORT-OUTLINE and the report notebook
SECTIONS = ("summary", "alignment", "departments", "disciplines", "loyalty", "comparison",
            "roadmap", "methodology")


def shown_sections(rd: ReportData) -> tuple[str, ...]:
    """Return the numbered sections this report shows: those whose instrument was answered."""
    shown = {
        "alignment": rd.alignment is not None,
        "disciplines": rd.disciplines is not None,
        "loyalty": rd.loyalty is not None,
        "roadmap": rd.alignment is not None,
    }
    return tuple(s for s in SECTIONS if shown.get(s, True))


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
    prepared: str | Path = "", comments: str = "redacted",
) -> ReportData:
    """Read, check and score the responses of one organisation (and wave).

    ``prepared`` names a file written by :func:`assessment.report.prepared.write_prepared` for
    this organisation and wave (``assess batch`` does so): its rows and cohort figures are
    then used instead of reading and analysing the whole file again. When it is missing,
    stale or for another organisation, the responses file is read as usual.

    Raises
    ------
    AssessmentError
        When the organisation (or wave) has no accepted rows; the message lists the
        organisations in the file.
    """
    check_lang(lang)
    check_mode(comments)
    ready = read_prepared(prepared) if prepared else None
    if ready is not None and (normalise(ready.organisation) != normalise(organisation)
                              or (wave and ready.wave != wave)):
        ready = None
    responses = ready.responses if ready else read_responses(resolve_path(responses_path))
    data = responses.for_organisation(organisation, wave or None)
    if data.empty:
        known = sorted(responses.data["organisation"].dropna().unique())
        raise AssessmentError(
            f"{responses.file}: no accepted rows for organisation {organisation!r}"
            + (f" in wave {wave!r}" if wave else "")
            + f"; organisations in the file: {', '.join(known) or 'none'}"
        )
    if not wave:
        waves = sorted(data["wave"].unique())
        if len(waves) > 1:
            raise AssessmentError(
                f"{organisation!r} has several waves ({', '.join(waves)}); "
                "choose one with the wave parameter"
            )
        wave = waves[0]
    instruments = {
        i.id: i
        for i in responses.instruments
        if any(it.id in data and data[it.id].notna().any() for it in i.scored_items)
    }
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
