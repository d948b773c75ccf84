"""Cohort overview: all organisations of a run side by side (a trainer's class, a client's units).

Functions take a :class:`CohortData` and return HTML fragments (charts embedded as
PNG), like :mod:`assessment.report.sections` does for one organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from assessment.core.config import resolve_path
from assessment.core.exceptions import AssessmentError
from assessment.core.i18n import check_lang, fmt, messages, t
from assessment.core.ingest import Responses, read_responses
from assessment.core.instruments import Instrument, profile_instrument, staged_instrument
from assessment.core.references import cited_in, reference_entry, sort_keys
from assessment.core.scoring import profile_label, score_responses
from assessment.norms.table import MIN_NORM_GROUP
from assessment.report import chart_data, plots
from assessment.report.colours import NOT_RATED, text_colour
from assessment.report.data import figure_html, stage_score
from assessment.report.layout import chart_text

__all__ = [
    "CohortData",
    "cited_keys",
    "cohort_cover",
    "discipline_map",
    "heatmap_section",
    "load_cohort_data",
    "norm_band_chart",
    "norms_section",
    "ranking",
    "ranking_section",
    "references_section",
    "stage_distribution",
    "stages_section",
]

DISCIPLINE_COLOURS = ("#1b9e77", "#d95f02", "#7570b3")
#: one marker shape per discipline, so that colour is not the only difference
DISCIPLINE_MARKERS = ("o", "s", "^")


@dataclass
class CohortData:
    """Scores of every organisation (× wave) in one responses file."""

    responses: Responses
    scores: pd.DataFrame
    instruments: dict[str, Instrument]
    lang: str
    title: str = ""
    date: str = field(default_factory=lambda: dt.date.today().isoformat())

    @property
    def alignment(self) -> Instrument | None:
        """The staged instrument, if answered."""
        return staged_instrument(self.instruments.values())

    @property
    def disciplines(self) -> Instrument | None:
        """The value-discipline instrument, if answered."""
        return profile_instrument(self.instruments.values())

    def label(self, organisation: str, wave: str) -> str:
        """Return 'organisation' or 'organisation (wave)'."""
        return f"{organisation} ({wave})" if wave else organisation


def load_cohort_data(responses_path: str | Path, lang: str = "nl", title: str = "") -> CohortData:
    """Read, check and score every organisation of a responses file."""
    check_lang(lang)
    responses = read_responses(resolve_path(responses_path))
    if responses.data.empty:
        raise AssessmentError(f"{responses.file}: no accepted rows, nothing to compare")
    instruments = {i.id: i for i in responses.instruments}
    scores = score_responses(responses.data, list(instruments.values()))
    return CohortData(responses=responses, scores=scores, instruments=instruments, lang=lang,
                      title=title)


def ranking(cd: CohortData) -> pd.DataFrame:
    """One row per organisation × wave: respondents, interface indices and stages, profile.

    Sorted by the mean of the interface indices, highest first; ``rank`` 1 is the highest
    (ties share the lower rank).
    """
    s = cd.scores
    rows = []
    for (org, wave), g in s.groupby(["organisation", "wave"], sort=False):
        row = {"organisation": org, "wave": wave,
               "n": int(len(cd.responses.for_organisation(org, wave or None)))}
        ifaces = g[g["level"] == "interface"]
        for r in ifaces.itertuples():
            row[f"{r.interface}_score"] = r.score
            row[f"{r.interface}_stage"] = r.stage
        row["alignment_index"] = ifaces["score"].mean() if not ifaces.empty else np.nan
        disc = g[g["level"] == "discipline"]
        if not disc.empty:
            first = disc.iloc[0]
            row.update(profile=first["profile"], leader=first["leader"],
                       declared=first["declared"])
        rows.append(row)
    out = pd.DataFrame(rows)
    out["rank"] = out["alignment_index"].rank(ascending=False, method="min").astype("Int64")
    return out.sort_values(["rank", "organisation"], na_position="last").reset_index(drop=True)


def stage_distribution(cd: CohortData) -> Figure:
    """Stacked bars: how many organisations are at each stage, per interface."""
    inst, lang = cd.alignment, cd.lang
    ifaces = cd.scores[cd.scores["level"] == "interface"]
    levels = [lv.id for lv in inst.levels]
    fig, ax = plt.subplots(figsize=(plots.A4_WIDTH, 0.8 + 0.6 * len(inst.interfaces)))
    y = np.arange(len(inst.interfaces))[::-1]
    left = np.zeros(len(inst.interfaces))
    for k, level in enumerate([*levels, None]):
        counts = np.array([
            int(((ifaces["interface"] == i.id) & (ifaces["stage"].isna() if level is None
                                                   else ifaces["stage"] == level)).sum())
            for i in inst.interfaces])
        label = (t("not_rated", lang) if level is None
                 else chart_text(inst.level(level).label.get(lang)))
        colour = NOT_RATED if level is None else plots.STAGE_COLOURS[k]
        if level is None and counts.sum() == 0:
            continue
        ax.barh(y, counts, left=left, color=colour, label=label, height=0.55,
                edgecolor="white")
        for yy, c, lft in zip(y, counts, left, strict=True):
            if c:
                ax.text(lft + c / 2, yy, str(c), ha="center", va="center", fontsize=9,
                        color=text_colour(colour), fontweight="bold")
        left += counts
    ax.set_yticks(y, [chart_text(i.title.get(lang)) for i in inst.interfaces])
    ax.set_xlabel(t("cohort_axis_organisations", lang))
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=5, frameon=False,
              fontsize=8.5)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def heatmap_grid(cd: CohortData) -> pd.DataFrame:
    """Scores organisation × (interface, dimension), organisations in ranking order."""
    inst = cd.alignment
    dims = cd.scores[cd.scores["level"] == "dimension"].copy()
    dims["label"] = [cd.label(o, w) for o, w in zip(dims["organisation"], dims["wave"],
                                                       strict=True)]
    order = [cd.label(o, w) for o, w in ranking(cd)[["organisation", "wave"]].itertuples(
        index=False)]
    cols = [(i.id, d.id) for i in inst.interfaces for d in inst.dimensions]
    grid = dims.pivot_table(index="label", columns=["interface", "dimension"], values="score",
                            dropna=False)
    return grid.reindex(index=order, columns=pd.MultiIndex.from_tuples(cols))


def heatmap(cd: CohortData) -> Figure:
    """Heatmap organisation × (interface, dimension), coloured by stage, with the scores.

    Scores are written dark on the light stages and white on the darkest (at least 4.5:1);
    a legend names the stage of each colour.
    """
    inst, lang = cd.alignment, cd.lang
    grid = heatmap_grid(cd)
    order = list(grid.index)
    cols = list(grid.columns)
    edges = sorted({b.lower for b in inst.bands} | {b.upper for b in inst.bands})
    cmap = ListedColormap(plots.STAGE_COLOURS[: len(edges) - 1])
    norm = BoundaryNorm(edges, cmap.N)
    height = 1.6 + 0.28 * len(order)
    fig, ax = plt.subplots(figsize=(plots.A4_WIDTH, height))
    values = grid.to_numpy(dtype=float)
    sns.heatmap(values, ax=ax, cmap=cmap, norm=norm, cbar=False,
                linewidths=0.4, linecolor="white")
    for (y, x), v in np.ndenumerate(values):
        if not np.isnan(v):
            colour = plots.STAGE_COLOURS[min(int(norm(v)), len(edges) - 2)]
            ax.text(x + 0.5, y + 0.5, stage_score(v, inst, lang), ha="center", va="center",
                    fontsize=7, color=text_colour(colour))
    ax.set_yticks(np.arange(len(order)) + 0.5, [chart_text(o) for o in order], rotation=0,
                  fontsize=7.5)
    short = [str(k + 1) for k in range(len(inst.dimensions))] * len(inst.interfaces)
    ax.set_xticks(np.arange(len(cols)) + 0.5, short, fontsize=7, rotation=0)
    n_dim = len(inst.dimensions)
    for k, iface in enumerate(inst.interfaces):
        ax.text(k * n_dim + n_dim / 2, -0.4, chart_text(iface.title.get(lang)), ha="center",
                va="bottom",
                fontsize=8.5, fontweight="bold")
        if k:
            ax.axvline(k * n_dim, color=plots.INK, lw=1.2)
    key = "   ".join(f"{k + 1} {chart_text(d.title.get(lang))}"
                     for k, d in enumerate(inst.dimensions))
    ax.set_xlabel(key, fontsize=6.5, wrap=True)
    ax.set_ylabel("")
    handles = [Patch(facecolor=c, edgecolor=plots.INK, lw=0.5,
                     label=chart_text(lv.label.get(lang)))
               for c, lv in zip(plots.STAGE_COLOURS, inst.levels, strict=False)]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
               fontsize=8)
    fig.tight_layout(rect=(0, 0.35 / height, 1, 1))
    return fig


def _discipline_rows(cd: CohortData) -> pd.DataFrame:
    d = cd.scores[cd.scores["level"] == "discipline"].copy()
    d["label"] = [cd.label(o, w) for o, w in zip(d["organisation"], d["wave"], strict=True)]
    return d


def discipline_map(cd: CohortData) -> Figure:
    """Dot plot: each organisation's three discipline scores on 0–100 with the T and E lines."""
    inst, lang = cd.disciplines, cd.lang
    d = cd.scores[cd.scores["level"] == "discipline"].copy()
    d["label"] = [cd.label(o, w) for o, w in zip(d["organisation"], d["wave"], strict=True)]
    top = d.groupby("label")["score"].max().sort_values()
    fig, ax = plt.subplots(figsize=(plots.A4_WIDTH, 1.4 + 0.3 * len(top)))
    ypos = {label: k for k, label in enumerate(top.index)}
    for colour, marker, dim in zip(DISCIPLINE_COLOURS, DISCIPLINE_MARKERS, inst.dimensions,
                                   strict=False):
        sub = d[d["dimension"] == dim.id]
        ax.scatter(sub["score"], sub["label"].map(ypos), color=colour, marker=marker, s=30,
                   zorder=3, edgecolors=plots.INK, linewidths=0.5,
                   label=chart_text(dim.title.get(lang)))
    # direct labels: each discipline named above its marker on the top row
    if len(top):
        first = d[d["label"] == top.index[-1]].set_index("dimension")["score"]
        for dim in inst.dimensions:
            if pd.notna(first.get(dim.id)):
                ax.annotate(chart_text(dim.title.get(lang)), (first[dim.id], ypos[top.index[-1]]),
                            xytext=(0, 7), textcoords="offset points", ha="center",
                            va="bottom", fontsize=7, rotation=20, color=plots.INK)
    for label, k in ypos.items():
        row = d[d["label"] == label]["score"]
        ax.plot([row.min(), row.max()], [k, k], color="#cccccc", lw=1, zorder=1)
    prof = inst.profile
    ax.axvline(prof.threshold, color=plots.INK, ls="--", lw=1)
    ax.axvline(prof.excellence, color=plots.INK, ls=":", lw=1)
    ax.set_yticks(list(ypos.values()), [chart_text(k) for k in ypos], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("axis_score_0_100", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 1.0 / (3 + len(top))), ncol=3,
              frameon=False, fontsize=8.5)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def cohort_cover(cd: CohortData) -> str:
    """Title, date, number of organisations and respondents."""
    lang = cd.lang
    n_org = cd.scores[["organisation", "wave"]].drop_duplicates().shape[0]
    title = escape(cd.title) if cd.title else t("cohort_title", lang)
    return (f'<section class="cover"><p class="kicker">{t("report_title", lang)}</p>'
            f"<h1>{title}</h1><p class=\"subtitle\">{t('cohort_subtitle', lang)}</p>"
            f"<table class=\"meta\"><tr><th>{t('cover_date', lang)}</th><td>{cd.date}</td></tr>"
            f"<tr><th>{t('cohort_organisations', lang)}</th><td>{n_org}</td></tr>"
            f"<tr><th>{t('cover_respondents', lang)}</th><td>{len(cd.responses.data)}</td></tr>"
            "</table></section>")


def stages_section(cd: CohortData) -> str:
    """Distribution of stages per interface."""
    if cd.alignment is None:
        return ""
    lang = cd.lang
    ifaces = cd.scores[cd.scores["level"] == "interface"]
    return (f'<section class="alignment"><h2>{t("cohort_h_stages", lang)}</h2>'
            f"<p>{t('cohort_stages_intro', lang)}</p>"
            + figure_html(stage_distribution(cd), t("cohort_h_stages", lang),
                          chart_data.cohort_stages(ifaces, cd.alignment, lang), lang)
            + "</section>")


def heatmap_section(cd: CohortData) -> str:
    """Heatmap organisation × dimension per interface."""
    if cd.alignment is None:
        return ""
    lang = cd.lang
    return (f'<section class="alignment"><h2>{t("cohort_h_heatmap", lang)}</h2>'
            f"<p>{t('cohort_heatmap_intro', lang)}</p>"
            + figure_html(heatmap(cd), t("cohort_h_heatmap", lang),
                          chart_data.cohort_heatmap(heatmap_grid(cd), cd.alignment, lang), lang)
            + "</section>")


def disciplines_section(cd: CohortData) -> str:
    """Show the value-discipline map."""
    if cd.disciplines is None:
        return ""
    lang = cd.lang
    p = cd.disciplines.profile
    intro = t("cohort_disciplines_intro", lang, threshold=fmt(p.threshold, lang, 0),
              excellence=fmt(p.excellence, lang, 0))
    return (f'<section class="disciplines"><h2>{t("cohort_h_disciplines", lang)}</h2>'
            f"<p>{intro}</p>" + figure_html(discipline_map(cd), t("cohort_h_disciplines", lang),
                                            chart_data.cohort_disciplines(
                                                _discipline_rows(cd), cd.disciplines, lang), lang)
            + "</section>")


def ranking_section(cd: CohortData) -> str:
    """Ranking table: mean alignment index, stage per interface, profile."""
    lang = cd.lang
    r = ranking(cd)
    inst, disc = cd.alignment, cd.disciplines
    header = ["#", t("cohort_organisation", lang), "n"]
    if inst is not None:
        header += [escape(i.title.get(lang)) for i in inst.interfaces]
    if disc is not None:
        header.append(t("cohort_profile", lang))
    rows = []
    for row in r.itertuples():
        cells = [str(row.rank) if pd.notna(row.rank) else "–",
                 escape(cd.label(row.organisation, row.wave)), str(row.n)]
        if inst is not None:
            for i in inst.interfaces:
                score, stage = getattr(row, f"{i.id}_score"), getattr(row, f"{i.id}_stage")
                if pd.isna(score):
                    cells.append(f'<span class="muted">{t("not_rated", lang)}</span>')
                else:
                    colour = plots.stage_colour(stage, inst)
                    cells.append(f"{stage_score(score, inst, lang)} <span class=\"chip\" "
                                 f"style=\"background:{colour}\"></span>"
                                 f"{escape(inst.level(stage).label.get(lang))}")
        if disc is not None:
            cells.append(escape(profile_label(row.profile, row.leader, disc, lang)))
        rows.append(cells)
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r_) + "</tr>" for r_ in rows)
    return (f'<section class="roadmap"><h2>{t("cohort_h_ranking", lang)}</h2>'
            f"<p>{t('cohort_ranking_intro', lang)}</p>"
            f'<table class="scores"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            "</section>")


#: the texts of each cohort section that may cite (locale keys), for the reference list
_SECTION_TEXTS = {
    "stages": ("cohort_stages_intro",),
    "heatmap": ("cohort_heatmap_intro",),
    "disciplines": ("cohort_disciplines_intro",),
    "ranking": ("cohort_subtitle", "cohort_ranking_intro"),
}


def cited_keys(cd: CohortData) -> list[str]:
    """Return the reference keys the overview's texts cite, in reference-list order."""
    shown = ["ranking"]
    if cd.alignment is not None:
        shown += ["stages", "heatmap"]
    if cd.disciplines is not None:
        shown.append("disciplines")
    keys = [k for s in shown for m in _SECTION_TEXTS[s] for k in cited_in(messages()[m][cd.lang])]
    return sort_keys(keys)


def references_section(cd: CohortData) -> str:
    """Return the reference list of the works the overview cites (empty when it cites none)."""
    keys = cited_keys(cd)
    if not keys:
        return ""
    items = "".join(f"<li>{reference_entry(k, cd.lang)}</li>" for k in keys)
    return (f'<section class="references" id="references"><h2>{t("h_references", cd.lang)}</h2>'
            f'<ul class="references">{items}</ul></section>')


# ---------------------------------------------------------------- the norm band (--norms)
NORM_BAND = "#d0d0d0"  # the norm group's 25th–75th percentile, behind the bars
COHORT_BAR = "#3f6fa0"  # the cohort's median


def _band_cells(cd: CohortData, bands: pd.DataFrame) -> list[tuple[str, str, pd.Series]]:
    """Return (panel, label, row) per cell of ``bands``: interfaces first, then disciplines."""
    out = []
    inst, disc = cd.alignment, cd.disciplines
    for level, instrument in (("interface", inst), ("discipline", disc)):
        if instrument is None:
            continue
        parts = instrument.interfaces if level == "interface" else instrument.dimensions
        for part in parts:
            key = "interface" if level == "interface" else "dimension"
            hit = bands[(bands["instrument"] == instrument.id) & (bands["level"] == level)
                        & (bands[key] == part.id)]
            if len(hit):
                out.append((level, part.title.get(cd.lang), hit.iloc[0]))
    return out


def norm_band_chart(cd: CohortData, bands: pd.DataFrame,
                    min_group: int = MIN_NORM_GROUP) -> Figure:
    """Bars: the cohort's median per interface and discipline, the norm band behind each.

    Parameters
    ----------
    cd : CohortData
    bands : DataFrame
        :func:`assessment.norms.compare.cohort_bands`.
    min_group : int
        A cell whose norm group holds fewer organisations gets no band.
    """
    lang = cd.lang
    cells = _band_cells(cd, bands)
    panels = [p for p in ("interface", "discipline") if any(c[0] == p for c in cells)]
    sizes = [sum(c[0] == p for c in cells) for p in panels]
    fig, axes = plt.subplots(len(panels), 1, squeeze=False,
                             figsize=(plots.A4_WIDTH, 1.2 + 0.5 * sum(sizes) + 0.5 * len(panels)),
                             gridspec_kw={"height_ratios": sizes})
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        rows = [c for c in cells if c[0] == panel]
        y = np.arange(len(rows))[::-1]
        if panel == "interface":
            scale = cd.alignment.scale
            low, high, label = scale.min, scale.max, t("axis_score_1_4", lang)
        else:
            low, high, label = 0, 100, t("axis_score_0_100", lang)
        for yy, (_, _, row) in zip(y, rows, strict=True):
            if row["norm_n"] >= min_group and pd.notna(row["norm_p25"]):
                ax.barh(yy, row["norm_p75"] - row["norm_p25"], left=row["norm_p25"],
                        height=0.8, color=NORM_BAND, zorder=1)
                ax.plot([row["norm_p50"]] * 2, [yy - 0.4, yy + 0.4], color=plots.INK, lw=1.5,
                        zorder=3)
            ax.barh(yy, row["cohort_median"] - low, left=low, height=0.36, color=COHORT_BAR,
                    zorder=2)
        ax.set_yticks(y, [chart_text(c[1]) for c in rows], fontsize=8.5)
        ax.set_xlim(low, high)
        ax.set_xlabel(label, fontsize=8.5)
        ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color=COHORT_BAR, label=t("cohort_norms_legend_group", lang)),
               Patch(color=NORM_BAND, label=t("cohort_norms_legend_band", lang)),
               Line2D([], [], color=plots.INK, lw=1.5, label=t("cohort_norms_legend_median", lang))]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8.5)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def norms_section(cd: CohortData, norms: str = "", sector: str = "",
                  min_group: int = MIN_NORM_GROUP) -> str:
    """Show the cohort beside its norm group (``--norms``): chart, table, the group's size.

    Empty without ``norms``; one line saying why when the norm group holds fewer than
    ``min_group`` organisations outside the cohort.
    """
    if not norms:
        return ""
    from assessment.norms.compare import cohort_bands

    lang = cd.lang
    bands = cohort_bands(cd.scores, norms, sector=sector)
    n = int(bands["norm_n"].max()) if len(bands) else 0
    where = t("norms_where", lang, sector=escape(sector)) if sector else ""
    head = f'<section class="norms"><h2>{t("cohort_h_norms", lang)}</h2>'
    if n < min_group:
        return (head + f"<p>{t('cohort_norms_too_few', lang, n=n, where=where, min=min_group)}"
                "</p></section>")
    group = t("cohort_norms_group", lang, n=n, where=where)
    rows = []
    for _, label, row in _band_cells(cd, bands):
        digits = 0 if row["level"] == "discipline" else 2
        enough = row["norm_n"] >= min_group and pd.notna(row["norm_p25"])
        band = (f"{fmt(row['norm_p25'], lang, digits)}–{fmt(row['norm_p75'], lang, digits)}"
                if enough else "–")
        median = fmt(row["norm_p50"], lang, digits) if enough else "–"
        rows.append(f"<tr><th scope=\"row\">{escape(label)}</th><td>{int(row['cohort_n'])}</td>"
                    f"<td>{fmt(row['cohort_median'], lang, digits)}</td>"
                    f"<td>{int(row['norm_n'])}</td><td>{band}</td><td>{median}</td></tr>")
    header = "".join(f'<th scope="col">{t(k, lang)}</th>' for k in (
        "col_score_of", "cohort_col_group_n", "cohort_col_group_median", "cohort_col_norm_n",
        "cohort_col_norm_band", "cohort_col_norm_median"))
    note = ""
    if ((bands["norm_n"] < min_group) | bands["norm_p25"].isna()).any():
        note = f"<p class=\"muted\">{t('cohort_norms_cell_too_few', lang, min=min_group)}</p>"
    return (head + f"<p>{t('cohort_norms_intro', lang, group=group)}</p>"
            + figure_html(norm_band_chart(cd, bands, min_group), t("cohort_norms_alt", lang))
            + f'<table class="scores"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}'
            f"</tbody></table>{note}</section>")
