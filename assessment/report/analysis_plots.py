"""Charts of the analysis sections: departments, intervals, tension, NPS, benchmark, waves.

Every function takes tidy rows (from :mod:`assessment.analysis.whole_file`) and returns a matplotlib
Figure at A4 width, labelled in the report's language, in the stage colours of
:mod:`assessment.report.plots`. Figures resting on few respondents (n < ``LOW_N``) or on low
agreement (r_wg(J) < ``LOW_AGREEMENT``) are marked: hatched cells, open markers.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from assessment.analysis.stats import LOW_AGREEMENT, LOW_N
from assessment.core.i18n import fmt, t
from assessment.core.instruments import Instrument
from assessment.report.colours import STAGE_COLOURS, stage_colour, text_colour
from assessment.report.data import below_as_shown, stage_score
from assessment.report.layout import chart_text, fit_layout
from assessment.report.plots import A4_WIDTH, INK

__all__ = [
    "benchmark_strip",
    "department_heatmap",
    "interval_chart",
    "link_bars",
    "nps_bar",
    "tension_bars",
    "wave_dumbbells",
]

GREY = "#9e9e9e"
LIGHT = "#d9d9d9"
#: bars: the one that matters (weakest) and the others; whiskers in INK stay visible on both
DARK_BAR = "#6f6f6f"
PALE_BAR = "#cfcfcf"


#: inches kept free right of the axes for a value label written past a bar's end
VALUE_LABEL = 0.3


def _style(ax: plt.Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=INK, labelsize=8.5)


def _interface_panels(axes, instrument: Instrument, ifaces: list[str], lang: str) -> None:
    """Finish a row of panels on the 1–4 scale: interface titles, light grid, one x label."""
    for ax, iface in zip(axes[0], ifaces, strict=True):
        ax.set_title(chart_text(instrument.interface(iface).title.get(lang)), fontsize=9,
                     color=INK,
                     fontweight="bold")
        ax.grid(axis="y", color=LIGHT, lw=0.5)
        _style(ax)
    axes[0, len(ifaces) // 2].set_xlabel(t("axis_score_1_4", lang), fontsize=8.5)


def _shade_bands(ax: plt.Axes, instrument: Instrument, alpha: float = 0.13) -> None:
    for k, band in enumerate(sorted(instrument.bands, key=lambda b: b.lower)):
        ax.axvspan(band.lower, band.upper, color=STAGE_COLOURS[k % 4], alpha=alpha, lw=0)


def _flagged(n: float, rwg: float) -> tuple[bool, bool]:
    low_n = bool(pd.notna(n) and n < LOW_N)
    low_rwg = below_as_shown(rwg, LOW_AGREEMENT)  # agrees with the r_wg shown in the tables
    return low_n, low_rwg


def _dim_titles(instrument: Instrument, dims: list[str], lang: str) -> list[str]:
    """Dimension titles as chart text."""
    return [chart_text(instrument.dimension(d).title.get(lang)) for d in dims]


def _flag_legend(lang: str, hatch: bool = False) -> list:
    return [
        Patch(facecolor="white", edgecolor=INK, hatch="////" if hatch else None,
              label=t("legend_low_agreement", lang, value=fmt(LOW_AGREEMENT, lang, 2))),
        Line2D([], [], marker="o", color=INK, markerfacecolor="white", ls="none",
               label=t("legend_low_n", lang, n=LOW_N)),
    ]


def department_heatmap(
    rows: pd.DataFrame, instrument: Instrument, lang: str, labels: dict[str, str]
) -> Figure:
    """Heatmap of department groups × dimensions, one panel per interface.

    Parameters
    ----------
    rows : DataFrame
        Department rows (``level == "dimension"``) of one organisation: ``department``,
        ``interface``, ``dimension``, ``score``, ``stage``, ``n``, ``rwg``. Only groups
        shown under the anonymity rule are ever passed in.
    instrument : Instrument
        The staged instrument.
    lang : str
    labels : dict
        Group -> column label in the report language.

    Returns
    -------
    Figure
        Cells coloured by stage with the score written in; hatched when the group's
        agreement is low, the score followed by "°" when the group has fewer than
        ``LOW_N`` respondents.
    """
    rows = rows[rows["level"] == "dimension"]
    groups = [g for g in labels if g in set(rows["department"])]
    dims = [d.id for d in instrument.dimensions]
    ifaces = [i.id for i in instrument.interfaces]
    width_ratios = [len(groups)] * len(ifaces)
    fig, axes = plt.subplots(
        1, len(ifaces), figsize=(A4_WIDTH, 0.9 + 0.36 * len(dims)), sharey=True,
        gridspec_kw={"width_ratios": width_ratios}, squeeze=False,
    )
    for ax, iface in zip(axes[0], ifaces, strict=True):
        part = rows[rows["interface"] == iface].set_index(["dimension", "department"])
        # cells as three collections (rated, left out, hatched): one artist each
        rated, rated_colours, missing, hatched = [], [], [], []
        for y, dim in enumerate(dims):
            for x, group in enumerate(groups):
                if (dim, group) not in part.index:
                    # not rated by enough of the group's respondents: left out (anonymity)
                    missing.append(Rectangle((x, y), 1, 1))
                    ax.text(x + 0.5, y + 0.5, "–", ha="center", va="center", fontsize=8,
                            color=INK)
                    continue
                cell = part.loc[(dim, group)]
                is_rated = pd.notna(cell["score"])
                colour = stage_colour(cell["stage"] if is_rated else None, instrument)
                low_n, low_rwg = _flagged(cell["n"], cell["rwg"])
                rated.append(Rectangle((x, y), 1, 1))
                rated_colours.append(colour)
                if low_rwg:
                    hatched.append(Rectangle((x, y), 1, 1))
                text = stage_score(cell["score"], instrument, lang) if is_rated else "–"
                ax.text(x + 0.5, y + 0.5, text + ("°" if low_n else ""), ha="center",
                        va="center", fontsize=8,
                        color=text_colour(colour), fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.12", "facecolor": colour, "lw": 0}
                        if low_rwg else None)
        ax.add_collection(PatchCollection(missing, facecolors="#eeeeee", edgecolors="white",
                                          linewidths=1.5))
        ax.add_collection(PatchCollection(rated, facecolors=rated_colours, edgecolors="white",
                                          linewidths=1.5))
        ax.add_collection(PatchCollection(hatched, facecolors="none", edgecolors="white",
                                          linewidths=0, hatch="////"))
        ax.set_xlim(0, len(groups))
        ax.set_ylim(len(dims), 0)
        ax.set_xticks(np.arange(len(groups)) + 0.5, [chart_text(labels[g]) for g in groups],
                      rotation=40, ha="right", fontsize=8)
        ax.set_yticks(np.arange(len(dims)) + 0.5,
                      _dim_titles(instrument, dims, lang), fontsize=8)
        ax.set_title(chart_text(instrument.interface(iface).title.get(lang)), fontsize=9,
                     color=INK,
                     fontweight="bold")
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
    handles = [Patch(facecolor=c, edgecolor=INK, lw=0.5, label=chart_text(lv.label.get(lang)))
               for c, lv in zip(STAGE_COLOURS, instrument.levels, strict=False)]
    handles.append(Patch(facecolor=GREY, edgecolor="white", hatch="////",
                         label=t("legend_low_agreement", lang, value=fmt(LOW_AGREEMENT, lang, 2))))
    handles.append(Patch(color="white", label=t("legend_low_n_mark", lang, n=LOW_N)))
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=7.5)
    fit_layout(fig, rect=(0, 0.1, 1, 1))
    return fig


def interval_chart(rows: pd.DataFrame, instrument: Instrument, lang: str) -> Figure:
    """Each dimension's score with its 95% interval, one panel per interface, bands shaded.

    Open markers flag low n or low agreement.
    """
    dims = [d.id for d in instrument.dimensions]
    ifaces = [i.id for i in instrument.interfaces]
    fig, axes = plt.subplots(1, len(ifaces), figsize=(A4_WIDTH, 0.9 + 0.3 * len(dims)),
                             sharey=True, squeeze=False)
    for ax, iface in zip(axes[0], ifaces, strict=True):
        part = rows[(rows["level"] == "dimension") & (rows["interface"] == iface)]
        part = part.set_index("dimension").reindex(dims)
        _shade_bands(ax, instrument)
        # one artist for all intervals and one for all points: quicker to draw than one each
        ys, xs, faces, spans = [], [], [], []
        for y, (_, r) in enumerate(part.iterrows()):
            if pd.isna(r["score"]):
                continue
            if pd.notna(r["ci_low"]):
                spans.append([(r["ci_low"], y), (r["ci_high"], y)])
            flagged = any(_flagged(r["n"], r["rwg"]))
            ys.append(y)
            xs.append(r["score"])
            faces.append("white" if flagged else stage_colour(r["stage"], instrument))
        ax.add_collection(LineCollection(spans, colors=INK, lw=1.2))
        # s = (6.5 pt marker size)²: the size of the plot() markers this replaced
        ax.scatter(xs, ys, s=6.5 ** 2, c=faces, edgecolors=INK, linewidths=1, clip_on=False,
                   zorder=3)
        ax.set_xlim(instrument.scale.min, instrument.scale.max)
        ax.set_ylim(len(dims) - 0.5, -0.5)
        ax.set_yticks(range(len(dims)), _dim_titles(instrument, dims, lang),
                      fontsize=8)
        ax.set_xticks(range(instrument.scale.min, instrument.scale.max + 1))
    _interface_panels(axes, instrument, ifaces, lang)
    handles = [
        Line2D([], [], color=INK, lw=1.2, label=t("legend_interval", lang)),
        Line2D([], [], marker="o", color=INK, markerfacecolor=GREY, ls="none",
               label=t("legend_score", lang)),
        Line2D([], [], marker="o", color=INK, markerfacecolor="white", ls="none",
               label=t("legend_flagged", lang, n=LOW_N, value=fmt(LOW_AGREEMENT, lang, 2))),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=7.5)
    fit_layout(fig, rect=(0, 0.07, 1, 1))
    return fig


def tension_bars(rows: pd.DataFrame, instrument: Instrument, lang: str) -> Figure:
    """Mean answer per source of tension (seed 001) with its 95% interval; the weakest darkest."""
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 0.6 + 0.42 * len(rows)))
    _shade_bands(ax, instrument)
    y = np.arange(len(rows))
    colours = [DARK_BAR if w else PALE_BAR for w in rows["weakest"]]
    lo = instrument.scale.min
    ax.barh(y, rows["score"] - lo, left=lo, color=colours, height=0.55)
    err = np.vstack([rows["score"] - rows["ci_low"], rows["ci_high"] - rows["score"]])
    ax.errorbar(rows["score"], y, xerr=np.nan_to_num(err), fmt="none", ecolor=INK,
                elinewidth=1.2, capsize=3)
    for yy, score, high in zip(y, rows["score"], rows["ci_high"], strict=True):
        ax.text((high if pd.notna(high) else score) + 0.05, yy, fmt(score, lang), va="center",
                fontsize=8.5, color=INK)
    ax.set_yticks(y, [t(f"tension_{s}", lang) for s in rows["source"]])
    ax.set_ylim(len(rows) - 0.5, -0.6)
    ax.set_xlim(lo, instrument.scale.max)
    ax.set_xticks(range(lo, instrument.scale.max + 1))  # whole numbers: no decimal separator
    ax.set_xlabel(t("axis_score_1_4", lang), fontsize=8.5)
    _style(ax)
    fit_layout(fig, right=VALUE_LABEL)
    return fig


def nps_bar(row: pd.Series, lang: str) -> Figure:
    """One stacked bar: detractors, passives and promoters as shares of the answers."""
    n = row["n"]
    parts = [
        (row["detractors"] / n * 100, STAGE_COLOURS[0], t("nps_detractors", lang)),
        (row["passives"] / n * 100, LIGHT, t("nps_passives", lang)),
        (row["promoters"] / n * 100, STAGE_COLOURS[3], t("nps_promoters", lang)),
    ]
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 1.55))
    left = 0.0
    for share, colour, label in parts:
        ax.barh(0, share, left=left, color=colour, height=0.6, label=label)
        if share >= 6:
            ax.text(left + share / 2, 0, f"{fmt(share, lang, 0)}%", ha="center", va="center",
                    fontsize=8.5, color=text_colour(colour), fontweight="bold")
        left += share
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.set_xlabel(t("axis_share_answers", lang), fontsize=8.5)
    fig.legend(loc="lower center", ncol=3, frameon=False, fontsize=8)
    _style(ax)
    ax.spines["left"].set_visible(False)
    fit_layout(fig, rect=(0, 0.16, 1, 1))
    return fig


def link_bars(rows: pd.DataFrame, instrument: Instrument, lang: str) -> Figure:
    """Draw the Service-Profit Chain links on 0–100 in chain order, with intervals; weakest dark."""
    dims = [d.id for d in instrument.dimensions]
    part = rows.set_index("dimension").reindex(dims)
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 0.6 + 0.4 * len(dims)))
    y = np.arange(len(dims))
    weakest = part["score"].idxmin() if part["score"].notna().any() else None
    colours = [DARK_BAR if d == weakest else PALE_BAR for d in dims]
    ax.barh(y, part["score"].fillna(0), color=colours, height=0.55)
    err = np.vstack([part["score"] - part["ci_low"], part["ci_high"] - part["score"]])
    ax.errorbar(part["score"], y, xerr=np.nan_to_num(err), fmt="none", ecolor=INK,
                elinewidth=1.2, capsize=3)
    for yy, (_, r) in zip(y, part.iterrows(), strict=True):
        flagged = any(_flagged(r["n"], r["rwg"]))
        x = r["ci_high"] if pd.notna(r["ci_high"]) else r["score"]
        ax.text((0 if pd.isna(x) else x) + 1.2, yy,
                fmt(r["score"], lang, 0) + (" °" if flagged else ""), va="center", fontsize=8.5)
    ax.set_yticks(y, _dim_titles(instrument, dims, lang), fontsize=8.5)
    ax.set_ylim(len(dims) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("axis_score_0_100", lang), fontsize=8.5)
    _style(ax)
    fit_layout(fig, right=VALUE_LABEL)
    return fig


def benchmark_strip(
    cohort: pd.DataFrame, panels: list[tuple[Instrument, str]], lang: str
) -> Figure:
    """Every organisation of the cohort as a grey dot, this one as a large dot, per row.

    Parameters
    ----------
    cohort : DataFrame
        Interface and discipline scores of the cohort, ``is_self`` marking this
        organisation; no names.
    panels : list of (Instrument, level)
        Which rows to show: ("alignment", "interface") rows on 1–4 with the bands,
        ("value_disciplines", "discipline") rows on 0–100.
    lang : str
    """
    heights = []
    for inst, level in panels:
        keys = inst.interfaces if level == "interface" else inst.dimensions
        heights.append(len(keys))
    fig, axes = plt.subplots(len(panels), 1, figsize=(A4_WIDTH, 0.8 + 0.42 * sum(heights)
                                                      + 0.5 * len(panels)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    rng = np.random.default_rng(0)  # vertical jitter only, for legibility
    for ax, (inst, level) in zip(axes[:, 0], panels, strict=True):
        part = cohort[(cohort["instrument"] == inst.id) & (cohort["level"] == level)]
        keys = ([(i.id, chart_text(i.title.get(lang))) for i in inst.interfaces]
                if level == "interface"
                else [(d.id, chart_text(d.title.get(lang))) for d in inst.dimensions])
        col = "interface" if level == "interface" else "dimension"
        if level == "interface":
            _shade_bands(ax, inst)
            ax.set_xlim(inst.scale.min, inst.scale.max)
            ax.set_xticks(range(inst.scale.min, inst.scale.max + 1))
            ax.set_xlabel(t("axis_score_1_4", lang), fontsize=8.5)
        else:
            ax.set_xlim(0, 100)
            ax.set_xlabel(t("axis_score_0_100", lang), fontsize=8.5)
        for y, (key, _) in enumerate(keys):
            rows = part[part[col] == key]
            others = rows[~rows["is_self"]]["score"].dropna()
            ax.scatter(others, y + rng.uniform(-0.12, 0.12, len(others)), s=18, color=GREY,
                       alpha=0.8, zorder=2)
            mine = rows[rows["is_self"]]["score"].dropna()
            ax.scatter(mine, [y] * len(mine), s=70, color=INK, zorder=3)
        ax.set_yticks(range(len(keys)), [k[1] for k in keys], fontsize=8.5)
        ax.set_ylim(len(keys) - 0.5, -0.5)
        ax.grid(axis="y", color=LIGHT, lw=0.5)
        _style(ax)
    handles = [
        Line2D([], [], marker="o", color=INK, ms=8, ls="none", label=t("legend_self", lang)),
        Line2D([], [], marker="o", color=GREY, ms=5, ls="none", label=t("legend_others", lang)),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=8)
    fit_layout(fig, rect=(0, 0.06, 1, 1))
    return fig


def wave_dumbbells(
    changes: pd.DataFrame, instrument: Instrument, lang: str, previous: str, current: str
) -> Figure:
    """Before/after per dimension (and interface index), one panel per interface.

    An open circle marks the previous wave, a filled one the current wave (stage colour);
    changes larger than their uncertainty are drawn as a thick arrow.
    """
    dims = [d.id for d in instrument.dimensions]
    ifaces = [i.id for i in instrument.interfaces]
    labels = [t("row_index", lang)] + _dim_titles(instrument, dims, lang)
    fig, axes = plt.subplots(1, len(ifaces), figsize=(A4_WIDTH, 1.0 + 0.3 * len(labels)),
                             sharey=True, squeeze=False)
    for ax, iface in zip(axes[0], ifaces, strict=True):
        part = changes[changes["interface"] == iface]
        index = part[part["level"] == "interface"]
        dim_rows = part[part["level"] == "dimension"].set_index("dimension").reindex(dims)
        ordered = pd.concat([index.reset_index(drop=True), dim_rows.reset_index(drop=True)],
                            ignore_index=True)
        _shade_bands(ax, instrument)
        for y, (_, r) in enumerate(ordered.iterrows()):
            if pd.isna(r.get("score")) or pd.isna(r.get("previous_score")):
                continue
            sig = bool(r["delta_significant"])
            ax.annotate("", xy=(r["score"], y), xytext=(r["previous_score"], y),
                        arrowprops={"arrowstyle": "-|>" if sig else "-", "color": INK,
                                    "lw": 2.0 if sig else 0.8, "shrinkA": 3, "shrinkB": 4})
            ax.plot([r["previous_score"]], [y], marker="o", ms=5.5, markerfacecolor="white",
                    markeredgecolor=INK, ls="none", clip_on=False, zorder=3)
            ax.plot([r["score"]], [y], marker="o", ms=6.5, ls="none", markeredgecolor=INK,
                    markerfacecolor=stage_colour(r["stage"], instrument), clip_on=False,
                    zorder=3)
        ax.set_xlim(instrument.scale.min, instrument.scale.max)
        ax.set_xticks(range(instrument.scale.min, instrument.scale.max + 1))
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        for label in ax.get_yticklabels()[:1]:
            label.set_fontweight("bold")
    _interface_panels(axes, instrument, ifaces, lang)
    handles = [
        Line2D([], [], marker="o", color=INK, markerfacecolor="white", ls="none",
               label=chart_text(previous)),
        Line2D([], [], marker="o", color=INK, markerfacecolor=GREY, ls="none",
               label=chart_text(current)),
        Line2D([], [], color=INK, lw=2, marker=">", label=t("legend_real_change", lang)),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8)
    fit_layout(fig, rect=(0, 0.06, 1, 1))
    return fig
