"""Charts and model diagrams for the teaching notebooks, in the notebook's language.

Every function returns a matplotlib Figure, made without pyplot so that a notebook
shows it exactly once, as the cell's result (:class:`TeachingFigure` renders itself as
PNG); nothing is shown or saved here. The colours
follow :mod:`assessment.report.plots` (detractors in the lowest stage's red, promoters in
the highest stage's blue).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Polygon
from matplotlib.ticker import FuncFormatter, MaxNLocator

from assessment.core.i18n import fmt, t
from assessment.report.layout import chart_text
from assessment.report.plots import A4_WIDTH, INK, STAGE_COLOURS
from assessment.teaching.data import exercise
from assessment.teaching.feedback import money
from assessment.teaching.simulations import REICHHELD_SASSER_RANGE

__all__ = [
    "TeachingFigure",
    "chain_figure",
    "clv_figure",
    "cycle_figure",
    "deal_figure",
    "nps_bars",
    "sampling_figure",
    "scenario_figure",
    "schemes_figure",
    "value_chain_figure",
]

DETRACTOR, PASSIVE, PROMOTER = STAGE_COLOURS[0], "#bdbdbd", STAGE_COLOURS[3]


class TeachingFigure(Figure):
    """A Figure made without pyplot that shows itself (once) as PNG in a notebook."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=110, bbox_inches="tight", facecolor="white")
        return buffer.getvalue()
GREY = "#9e9e9e"


def _style(ax: plt.Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=INK, labelsize=9)


def nps_bars(counts: Sequence[int], lang: str = "en") -> Figure:
    """Draw bars of the answers 0–10, coloured detractor / passive / promoter (seed 003).

    Parameters
    ----------
    counts : sequence of 11 ints
        How many customers answered 0, 1, ..., 10.
    lang : {'en', 'nl'}
    """
    counts = np.asarray(counts, dtype=float)
    if counts.shape != (11,):
        raise ValueError(f"counts must hold 11 numbers (answers 0–10), got {counts.shape[0]}")
    colours = [DETRACTOR] * 7 + [PASSIVE] * 2 + [PROMOTER] * 2
    fig = TeachingFigure(figsize=(A4_WIDTH, 2.4))
    ax = fig.subplots()
    ax.bar(range(11), counts, color=colours, edgecolor=INK, lw=0.4)
    ax.set_xticks(range(11))
    ax.set_xlabel(t("teach_axis_nps_answer", lang))
    ax.set_ylabel(t("teach_axis_count", lang))
    ax.legend(
        handles=[
            Patch(color=DETRACTOR, label=t("teach_detractors", lang) + " (0–6)"),
            Patch(color=PASSIVE, label=t("teach_passives", lang) + " (7–8)"),
            Patch(color=PROMOTER, label=t("teach_promoters", lang) + " (9–10)"),
        ],
        loc="upper left",
        frameon=False,
        fontsize=8,
    )
    _style(ax)
    fig.tight_layout()
    return fig


def sampling_figure(samples: pd.DataFrame, summary: pd.DataFrame, lang: str = "en") -> Figure:
    """Draw one panel per sample size: how simulated surveys' NPS spreads around the truth.

    Parameters
    ----------
    samples, summary : DataFrame
        From :func:`assessment.teaching.simulations.nps_sampling` and ``sampling_summary``.
    """
    sizes = list(summary["n"])
    fig = TeachingFigure(figsize=(A4_WIDTH, 0.4 + 1.0 * len(sizes)))
    axes = fig.subplots(len(sizes), 1, sharex=True, squeeze=False)
    bins = np.arange(-100, 101, 5)
    for ax, row in zip(axes[:, 0], summary.itertuples(), strict=True):
        values = samples.loc[samples["n"] == row.n, "nps"]
        ax.hist(values, bins=bins, color=GREY, edgecolor="white", lw=0.3)
        ax.axvspan(row.low, row.high, color=PROMOTER, alpha=0.12, lw=0)
        ax.axvline(row.true_nps, color=INK, lw=1.2)
        ax.set_yticks([])
        ax.set_ylabel(f"n = {row.n}", rotation=0, ha="right", va="center", fontsize=9)
        ax.text(
            1.0, 0.75, t("teach_spread", lang, low=fmt(row.low, lang, 0),
                          high=fmt(row.high, lang, 0)),
            transform=ax.transAxes, ha="right", fontsize=8, color=INK,
        )
        _style(ax)
        ax.spines["left"].set_visible(False)
    axes[-1, 0].set_xlim(-100, 100)
    axes[-1, 0].set_xlabel(t("teach_axis_nps", lang))
    fig.tight_layout()
    return fig


def clv_figure(before: pd.DataFrame, after: pd.DataFrame, labels: Sequence[str],
               lang: str = "en") -> Figure:
    """Draw the cumulative discounted value of a new customer for two retention rates.

    Parameters
    ----------
    before, after : DataFrame
        From :func:`assessment.teaching.simulations.clv_table`.
    labels : two str
        Legend entries (e.g. "retention 80%", "retention 85%").
    """
    fig = TeachingFigure(figsize=(A4_WIDTH, 2.6))
    ax = fig.subplots()
    for table, label, colour in ((before, labels[0], GREY), (after, labels[1], PROMOTER)):
        ax.plot(table["year"], table["cumulative"], color=colour, lw=2,
                label=chart_text(label))
    ax.set_xlabel(t("teach_axis_year", lang))
    ax.set_ylabel(t("teach_axis_cumulative", lang))
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize=8.5, loc="lower right")
    _style(ax)
    fig.tight_layout()
    return fig


def scenario_figure(scenarios: pd.DataFrame, lang: str = "en") -> Figure:
    """Draw the profit effect per scenario, with Reichheld & Sasser's 25–85% band shaded."""
    fig = TeachingFigure(figsize=(A4_WIDTH, 2.3))
    ax = fig.subplots()
    y = np.arange(len(scenarios))[::-1]
    low, high = REICHHELD_SASSER_RANGE
    ax.axvspan(low, high, color=PROMOTER, alpha=0.12, lw=0)
    ax.text((low + high) / 2, 1.0, t("teach_rs_band", lang), transform=ax.get_xaxis_transform(),
            ha="center", va="bottom", fontsize=8, color=INK)
    ax.barh(y, scenarios["change_pct"], color=GREY, height=0.55)
    for yy, value in zip(y, scenarios["change_pct"], strict=True):
        ax.text(value + 1, yy, f"+{fmt(value, lang, 0)}%", va="center", fontsize=9, color=INK)
    ax.set_yticks(y, [t(f"teach_scenario_{s}", lang) for s in scenarios["scenario"]])
    ax.set_xlim(0, max(100, float(scenarios["change_pct"].max()) + 15))
    ax.set_xlabel(t("teach_axis_change", lang))
    _style(ax)
    fig.tight_layout()
    return fig


def deal_figure(deals: pd.DataFrame, lang: str = "en") -> Figure:
    """Draw margin at the signature against margin after delivery per offer; advised dark.

    Parameters
    ----------
    deals : DataFrame
        From :func:`assessment.teaching.simulations.choose_option` (columns id,
        margin_at_signature, margin_after_delivery, advised).
    """
    fig = TeachingFigure(figsize=(A4_WIDTH, 2.5))
    ax = fig.subplots()
    x = np.arange(len(deals))
    dark = ["#4d4d4d" if a else GREY for a in deals["advised"]]
    ax.bar(x - 0.2, deals["margin_at_signature"], width=0.4, color="white", edgecolor=dark,
           lw=1.2, label=t("teach_metric_margin_at_signature", lang))
    ax.bar(x + 0.2, deals["margin_after_delivery"], width=0.4, color=dark,
           label=t("teach_metric_margin_after_delivery", lang))
    for xx, value in zip(x, deals["margin_after_delivery"], strict=True):
        ax.text(xx + 0.2, value, money(value, lang), ha="center", va="bottom", fontsize=7.5)
    ax.set_xticks(x, [
        f"{i}\n({t('teach_advised', lang)})" if a else i
        for i, a in zip(deals["id"], deals["advised"], strict=True)
    ])
    ax.set_ylabel(t("teach_axis_euro", lang))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v, lang)))
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    _style(ax)
    fig.tight_layout()
    return fig


def schemes_figure(result: pd.DataFrame, schemes: pd.DataFrame, lang: str = "en") -> Figure:
    """Draw per scheme how often the best-fitting offer is advised, and the margin kept.

    Parameters
    ----------
    result : DataFrame
        From :func:`assessment.teaching.simulations.simulate_deals`.
    schemes : DataFrame
        The schemes simulated (id, target, bonus), as in
        :func:`assessment.teaching.simulations.incentive_case`; they label the bars.
    """
    by_id = schemes.set_index("id")
    labels = [
        f"{t('teach_target_' + by_id.at[s, 'target'], lang)}, "
        f"{t('teach_bonus_' + by_id.at[s, 'bonus'], lang)}"
        for s in result["scheme"]
    ]
    fig = TeachingFigure(figsize=(A4_WIDTH, 1.2 + 0.55 * len(result)))
    ax1, ax2 = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1, 1.2]})
    y = np.arange(len(result))[::-1]
    ax1.barh(y, result["best_advice"] * 100, color=GREY, height=0.55)
    for yy, v in zip(y, result["best_advice"] * 100, strict=True):
        ax1.text(v + 1, yy, f"{fmt(v, lang, 0)}%", va="center", fontsize=8)
    ax1.set_xlim(0, 100)
    ax1.set_xlabel(_wrap(t("teach_axis_best_advice", lang), 32), fontsize=8.5)
    ax1.set_yticks(y, [_wrap(label, 22) for label in labels], fontsize=8)
    ax2.barh(y + 0.15, result["margin_at_signature"], height=0.3, color="white",
             edgecolor="#4d4d4d", label=t("teach_metric_margin_at_signature", lang))
    ax2.barh(y - 0.15, result["margin_after_delivery"], height=0.3, color="#4d4d4d",
             label=t("teach_metric_margin_after_delivery", lang))
    ax2.set_xlabel(_wrap(t("teach_axis_mean_margin", lang), 32), fontsize=8.5)
    ax2.xaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v, lang)))
    ax2.xaxis.set_major_locator(MaxNLocator(3))
    for ax in (ax1, ax2):
        _style(ax)
    fig.legend(*ax2.get_legend_handles_labels(), loc="lower center", ncol=2, frameon=False,
               fontsize=8)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def _box(ax: plt.Axes, x: float, y: float, w: float, h: float, text: str, colour: str,
         size: float = 8.5) -> None:
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.006,rounding_size=0.02",
                                facecolor=colour, edgecolor=INK, lw=0.6))
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=size, color=INK,
            wrap=True)


def _arrow(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float],
           rad: float = 0.0) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=INK,
                                 lw=1, connectionstyle=f"arc3,rad={rad}"))


def _wrap(text: str, width: int = 14) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "\n".join([*lines, line])


def chain_figure(lang: str = "en") -> Figure:
    """Draw the Service-Profit Chain (seed 000): seven links in a row, leadership underneath."""
    steps = exercise("chain")["steps"]
    fig = TeachingFigure(figsize=(A4_WIDTH, 1.9))
    ax = fig.subplots()
    n, w, gap = len(steps), 0.118, 0.024
    shades = np.linspace(0.08, 0.45, n)
    for k, step in enumerate(steps):
        x = k * (w + gap)
        colour = plt.cm.Blues(shades[k])
        _box(ax, x, 0.38, w, 0.5, _wrap(step["label"][lang], 13), colour, 7.5)
        if k:
            _arrow(ax, (x - gap, 0.63), (x, 0.63))
    _box(ax, 0, 0.02, n * (w + gap) - gap, 0.22, t("teach_chain_leadership", lang), "#f0f0f0",
         8)
    ax.set_xlim(-0.01, n * (w + gap))
    ax.set_ylim(0, 0.92)
    ax.axis("off")
    fig.tight_layout()
    return fig


def cycle_figure(lang: str = "en") -> Figure:
    """Draw the customer relationship cycle (seed 003): potential → customer → farewell."""
    choices = {c["id"]: c for c in exercise("cycle")["choices"]}
    fig = TeachingFigure(figsize=(A4_WIDTH, 2.7))
    ax = fig.subplots()
    boxes = {
        "potential": (0.0, 0.55, t("teach_cycle_potential", lang,
                                    term=choices["potential"]["label"][lang])),
        "customer": (0.355, 0.55, t("teach_cycle_customer", lang,
                                   new=choices["new"]["label"][lang],
                                   loyal=choices["loyal"]["label"][lang])),
        "farewell": (0.71, 0.55, t("teach_cycle_farewell", lang,
                                   term=choices["farewell"]["label"][lang])),
    }
    colours = {"potential": "#e0ecf4", "customer": "#9ebcda", "farewell": "#f0f0f0"}
    for key, (x, y, text) in boxes.items():
        _box(ax, x, y, 0.29, 0.38, text, colours[key], 7.5)
    _arrow(ax, (0.295, 0.74), (0.35, 0.74))
    _arrow(ax, (0.65, 0.74), (0.705, 0.74))
    _arrow(ax, (0.85, 0.53), (0.15, 0.53), rad=-0.25)
    ax.text(0.5, 0.08, t("teach_cycle_back", lang), ha="center", fontsize=8, color=INK,
            style="italic")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    fig.tight_layout()
    return fig


def value_chain_figure(lang: str = "en") -> Figure:
    """Draw Porter's value chain (1985; seed 003): support over primary activities, margin."""
    support = ["infrastructure", "hrm", "technology", "procurement"]
    primary = ["inbound", "operations", "outbound", "marketing_sales", "service"]
    fig = TeachingFigure(figsize=(A4_WIDTH, 3.2))
    ax = fig.subplots()
    width = 0.84
    ax.text(width / 2, 0.95, t("teach_vc_support", lang), ha="center", fontsize=8.5,
            fontweight="bold")
    for k, key in enumerate(support):
        _box(ax, 0, 0.81 - k * 0.115, width, 0.09, t(f"teach_vc_{key}", lang), "#f0f0f0", 8)
    ax.text(width / 2, 0.405, t("teach_vc_primary", lang), ha="center", fontsize=8.5,
            fontweight="bold")
    col = width / len(primary)
    for k, key in enumerate(primary):
        colour = "#9ebcda" if key in ("marketing_sales", "service") else "#e0ecf4"
        _box(ax, k * col, 0.04, col - 0.012, 0.32, _wrap(t(f"teach_vc_{key}", lang), 12),
             colour, 8)
    ax.add_patch(Polygon([(0.865, 0.04), (0.93, 0.04), (0.995, 0.47), (0.93, 0.9),
                              (0.865, 0.9)], closed=True, facecolor="#fdd49e", edgecolor=INK,
                             lw=0.6))
    ax.text(0.925, 0.47, t("teach_vc_margin", lang), rotation=90, ha="center", va="center",
            fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.0)
    ax.axis("off")
    fig.tight_layout()
    return fig

