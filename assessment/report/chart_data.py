"""Every chart's data as text: a short description (the image's alt text) and a table.

A chart is a picture; a reader who cannot see it (a screen reader, a text-only copy of the
PDF) gets the same facts from two places (WCAG 1.1.1): the image's alt text names the
kind of chart and its highest and lowest value, and a data table in a ``<details>``
element ("Data for this chart") under the chart holds every value the chart shows.

Each function here takes what the chart function of the same name takes
(:mod:`assessment.report.plots`, :mod:`assessment.report.analysis_plots`,
:mod:`assessment.report.cohort`) and returns a :class:`ChartData`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

import numpy as np
import pandas as pd

from assessment.core.i18n import fmt, t
from assessment.core.instruments import Instrument
from assessment.core.scoring import stage_of

__all__ = [
    "ChartData",
    "benchmark",
    "chart_alt",
    "cohort_disciplines",
    "cohort_heatmap",
    "cohort_stages",
    "data_table",
    "departments",
    "dimensions",
    "disciplines",
    "intervals",
    "ladder",
    "links",
    "nps",
    "stage_score",
    "tension",
    "waves",
]


@dataclass
class ChartData:
    """The data of one chart as a table of text, and the values its description ranks.

    Attributes
    ----------
    chart_type : str
        ``bar``, ``stacked``, ``radar``, ``heatmap``, ``dot`` or ``change`` (a message key
        ``chart_type_<type>``).
    row_header : str
        Heading of the first column (the rows' labels).
    columns : list of str
        Headings of the other columns.
    rows : dict
        Row label -> {column heading: cell text}; a missing cell shows "–".
    values : list of (str, float, str)
        The figures the description ranks: label, value, value as shown.
    """

    chart_type: str
    row_header: str
    columns: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    values: list[tuple[str, float, str]] = field(default_factory=list)

    def cell(self, row: str, column: str, text: str, value: float | None = None,
             label: str | None = None, shown: str | None = None) -> None:
        """Set one cell; with ``value`` it also counts for the description.

        There it is named ``label`` (default: the row) and written ``shown`` (default:
        the cell's text).
        """
        if column not in self.columns:
            self.columns.append(column)
        self.rows.setdefault(row, {})[column] = text
        if value is not None and not pd.isna(value):
            self.values.append((label or row, float(value), shown or text))


def stage_score(score: float, instrument: Instrument, lang: str, decimals: int = 1) -> str:
    """Format a staged score with the precision its stage needs.

    A score is shown with ``decimals`` decimals, unless that rounding would put the figure
    shown in another band than the score's stage (3.25 shown as "3.2" beside Integrated,
    whose band starts at 3.25): then with as many more decimals as it takes (at most 3), so
    that the figure and the stage a reader sees always agree. A score just under a band's
    lower limit that would still round up to it (2.4996) is cut off instead (2.499).

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> al = load_instrument("alignment")
    >>> [stage_score(x, al, "en") for x in (3.2, 3.25, 2.48, 2.5, 1.7467, 2.4996)]
    ['3.2', '3.25', '2.48', '2.5', '1.7', '2.499']
    """
    if score is None or pd.isna(score):
        return fmt(score, lang, decimals)
    stage = stage_of(float(score), instrument)
    for d in range(decimals, 4):
        if stage_of(round(float(score), d), instrument) == stage:
            return fmt(score, lang, d)
    return fmt(math.floor(float(score) * 1000) / 1000, lang, 3)


def chart_alt(data: ChartData, heading: str, lang: str) -> str:
    """Describe a chart in one or two sentences: its kind, heading, highest and lowest value.

    Examples
    --------
    >>> d = ChartData("bar", "Interface")
    >>> d.cell("Marketing and sales", "Score", "2.6", 2.6)
    >>> d.cell("Sales and service", "Score", "2.1", 2.1)
    >>> print(chart_alt(d, "Stage per interface", "en"))  # doctest: +NORMALIZE_WHITESPACE
    Bar chart for ‘Stage per interface’. Highest value: Marketing and sales, 2.6.
    Lowest value: Sales and service, 2.1.
    """
    kind = t(f"chart_type_{data.chart_type}", lang)
    values = data.values
    if not values:
        return t("chart_alt_empty", lang, type=kind, heading=heading)
    high = max(values, key=lambda v: v[1])
    low = min(values, key=lambda v: v[1])
    if len(values) == 1:
        return t("chart_alt_one", lang, type=kind, heading=heading, label=high[0],
                 value=high[2])
    return t("chart_alt_range", lang, type=kind, heading=heading, high=high[0],
             high_value=high[2], low=low[0], low_value=low[2])


def data_table(data: ChartData, lang: str) -> str:
    """Return the chart's data as ``<details>`` with a table (row and column headers).

    Cell texts are escaped here; labels come from instruments, data files and messages.
    """
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in [data.row_header, *data.columns])
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f"<td>{escape(cells.get(c, '–'))}</td>" for c in data.columns) + "</tr>"
        for label, cells in data.rows.items())
    return (f'<details class="chart-data"><summary>{t("chart_data", lang)}</summary>'
            f'<table class="chart-data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
            "</table></details>")


def _stage(inst: Instrument, stage: object, lang: str) -> str:
    if stage is None or pd.isna(stage):
        return t("not_rated", lang)
    return inst.level(str(stage)).label.get(lang)


def _interval(low: float, high: float, lang: str, decimals: int = 1) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{fmt(low, lang, decimals)} – {fmt(high, lang, decimals)}"


# ----------------------------------------------------------------------- organisation report


def ladder(scores: pd.DataFrame, instrument: Instrument, lang: str) -> ChartData:
    """Return the data of ``stage_ladder``: index and stage per interface."""
    ifaces = scores[scores["level"] == "interface"].set_index("interface")
    data = ChartData("bar", t("col_interface", lang))
    for i in instrument.interfaces:
        title = i.title.get(lang)
        score = ifaces["score"].get(i.id, np.nan)
        data.cell(title, t("col_score", lang), stage_score(score, instrument, lang), score)
        data.cell(title, t("col_stage", lang), _stage(instrument, ifaces["stage"].get(i.id), lang))
    return data


def dimensions(scores: pd.DataFrame, instrument: Instrument, lang: str,
               chart_type: str = "bar") -> ChartData:
    """Return the data of ``dimension_bars`` and ``radar``: each dimension's score per interface."""
    dims = scores[scores["level"] == "dimension"].set_index(["interface", "dimension"])
    data = ChartData(chart_type, t("col_dimension", lang))
    for d in instrument.dimensions:
        for i in instrument.interfaces:
            score = dims["score"].get((i.id, d.id), np.nan)
            stage = dims["stage"].get((i.id, d.id))
            shown = stage_score(score, instrument, lang)
            text = (f"{shown} ({_stage(instrument, stage, lang)})"
                    if pd.notna(score) else t("not_rated", lang))
            data.cell(d.title.get(lang), i.title.get(lang), text, score,
                      f"{i.title.get(lang)}, {d.title.get(lang)}", shown)
    return data


def disciplines(scores: pd.DataFrame, instrument: Instrument, lang: str) -> ChartData:
    """Return the data of ``discipline_bars``: each discipline's score on 0–100."""
    d = scores[scores["level"] == "discipline"].set_index("dimension")
    data = ChartData("bar", t("col_dimension", lang))
    for dim in instrument.dimensions:
        score = d["score"].get(dim.id, np.nan)
        data.cell(dim.title.get(lang), t("axis_score_0_100", lang), fmt(score, lang, 0), score)
    return data


def departments(rows: pd.DataFrame, instrument: Instrument, lang: str,
                labels: dict[str, str]) -> ChartData:
    """Return the data of ``department_heatmap``: each group's score per interface and dimension."""
    data = ChartData("heatmap", t("col_dimension", lang))
    part = rows.set_index(["interface", "dimension", "department"])
    for i in instrument.interfaces:
        for d in instrument.dimensions:
            row = f"{i.title.get(lang)}: {d.title.get(lang)}"
            for group, label in labels.items():
                key = (i.id, d.id, group)
                score = part["score"].get(key, np.nan) if key in part.index else np.nan
                data.cell(row, label, stage_score(score, instrument, lang), score,
                          f"{label}, {row}")
    data.rows = {k: v for k, v in data.rows.items() if any(c != "–" for c in v.values())}
    return data


def intervals(rows: pd.DataFrame, instrument: Instrument, lang: str) -> ChartData:
    """Return the data of ``interval_chart``: score, 95% interval and n per dimension."""
    data = ChartData("dot", t("col_dimension", lang))
    part = rows[rows["level"] == "dimension"].set_index(["interface", "dimension"])
    for i in instrument.interfaces:
        for d in instrument.dimensions:
            if (i.id, d.id) not in part.index:
                continue
            r = part.loc[(i.id, d.id)]
            row = f"{i.title.get(lang)}: {d.title.get(lang)}"
            data.cell(row, t("col_score", lang), fmt(r["score"], lang), r["score"])
            data.cell(row, t("col_interval", lang), _interval(r["ci_low"], r["ci_high"], lang))
            data.cell(row, t("col_n", lang), fmt(r["n"], lang, 0))
    return data


def tension(rows: pd.DataFrame, instrument: Instrument, lang: str) -> ChartData:
    """Return the data of ``tension_bars``: mean answer and 95% interval per source of tension."""
    data = ChartData("bar", t("h_tension", lang))
    for _, r in rows.iterrows():
        label = t(f"tension_{r['source']}", lang)
        data.cell(label, t("col_score", lang), fmt(r["score"], lang), r["score"])
        data.cell(label, t("col_interval", lang), _interval(r["ci_low"], r["ci_high"], lang))
    return data


def nps(row: pd.Series, lang: str) -> ChartData:
    """Return the data of ``nps_bar``: the shares of detractors, passives and promoters."""
    data = ChartData("stacked", t("h_nps", lang))
    for key in ("detractors", "passives", "promoters"):
        share = row[key] / row["n"] * 100 if row["n"] else np.nan
        data.cell(t(f"nps_{key}", lang), t("col_share", lang), f"{fmt(share, lang, 0)}%", share)
    return data


def links(rows: pd.DataFrame, instrument: Instrument, lang: str) -> ChartData:
    """Return the data of ``link_bars``: score and 95% interval per link."""
    part = rows[rows["level"] == "dimension"].set_index("dimension")
    data = ChartData("bar", t("col_dimension", lang))
    for d in instrument.dimensions:
        if d.id not in part.index:
            continue
        r = part.loc[d.id]
        data.cell(d.title.get(lang), t("col_score", lang), fmt(r["score"], lang, 0), r["score"])
        data.cell(d.title.get(lang), t("col_interval", lang),
                  _interval(r["ci_low"], r["ci_high"], lang, 0))
    return data


def benchmark(cohort: pd.DataFrame, panels: list[tuple[Instrument, str]],
              lang: str) -> ChartData:
    """Return the data of ``benchmark_strip``: this one's score, the others' median and range."""
    data = ChartData("dot", t("col_score_of", lang))
    for inst, level in panels:
        part = cohort[(cohort["instrument"] == inst.id) & (cohort["level"] == level)]
        keys = ([(i.id, i.title.get(lang)) for i in inst.interfaces] if level == "interface"
                else [(d.id, d.title.get(lang)) for d in inst.dimensions])
        column = "interface" if level == "interface" else "dimension"
        decimals = 1 if inst.scale.type == "stages4" else 0
        for key, title in keys:
            rows = part[part[column] == key]
            mine = rows[rows["is_self"]]["score"].dropna()
            others = rows[~rows["is_self"]]["score"].dropna()
            if mine.empty and others.empty:
                continue
            score = mine.iloc[0] if not mine.empty else np.nan
            data.cell(title, t("col_this_organisation", lang), fmt(score, lang, decimals), score)
            data.cell(title, t("col_others_median", lang),
                      fmt(others.median() if len(others) else np.nan, lang, decimals))
            data.cell(title, t("col_others_range", lang),
                      _interval(others.min() if len(others) else np.nan,
                                others.max() if len(others) else np.nan, lang, decimals))
    return data


def waves(changes: pd.DataFrame, instrument: Instrument, lang: str, previous: str,
          current: str) -> ChartData:
    """Return the data of ``wave_dumbbells``: previous and current score per row."""
    data = ChartData("change", t("col_dimension", lang))
    for i in instrument.interfaces:
        part = changes[changes["interface"] == i.id]
        for _, r in part.sort_values("level", key=lambda s: s != "interface").iterrows():
            what = (t("row_index", lang) if r["level"] == "interface"
                    else instrument.dimension(r["dimension"]).title.get(lang))
            row = f"{i.title.get(lang)}: {what}"
            data.cell(row, t("col_previous", lang, wave=previous), fmt(r["previous_score"], lang))
            data.cell(row, t("col_current", lang, wave=current), fmt(r["score"], lang),
                      r["score"])
            data.cell(row, t("col_gap", lang), fmt(r["delta"], lang))
    return data


# ----------------------------------------------------------------------- cohort overview


def cohort_stages(interfaces: pd.DataFrame, instrument: Instrument, lang: str) -> ChartData:
    """Return the data of ``stage_distribution``: organisations per stage and interface.

    ``interfaces`` holds the interface rows of the cohort's scores.
    """
    data = ChartData("stacked", t("col_interface", lang))
    for i in instrument.interfaces:
        part = interfaces[interfaces["interface"] == i.id]
        for lv in instrument.levels:
            count = int((part["stage"] == lv.id).sum())
            data.cell(i.title.get(lang), lv.label.get(lang), str(count), count,
                      f"{i.title.get(lang)}, {lv.label.get(lang)}")
        missing = int(part["stage"].isna().sum())
        if missing:
            data.cell(i.title.get(lang), t("not_rated", lang), str(missing))
    return data


def cohort_heatmap(grid: pd.DataFrame, instrument: Instrument, lang: str) -> ChartData:
    """Return the data of the cohort heatmap: a row per organisation and interface.

    ``grid`` is indexed by organisation label with (interface, dimension) columns.
    """
    data = ChartData("heatmap", t("cohort_organisation", lang))
    for label in grid.index:
        for i in instrument.interfaces:
            row = f"{label} · {i.title.get(lang)}"
            for d in instrument.dimensions:
                score = grid.at[label, (i.id, d.id)] if (i.id, d.id) in grid.columns else np.nan
                data.cell(row, d.title.get(lang), stage_score(score, instrument, lang), score,
                          f"{row}, {d.title.get(lang)}")
    return data


def cohort_disciplines(scores: pd.DataFrame, instrument: Instrument, lang: str) -> ChartData:
    """Return the data of the cohort's discipline map: each organisation's three discipline scores.

    ``scores`` holds the discipline rows with a ``label`` column (organisation, wave).
    """
    data = ChartData("dot", t("cohort_organisation", lang))
    for label, part in scores.groupby("label", sort=True):
        part = part.set_index("dimension")
        for d in instrument.dimensions:
            score = part["score"].get(d.id, np.nan)
            data.cell(label, d.title.get(lang), fmt(score, lang, 0), score,
                      f"{label}, {d.title.get(lang)}")
    return data
