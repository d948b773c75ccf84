"""Charts for reports and notebooks: one colour per stage everywhere.

Every function takes tidy scores and returns a matplotlib Figure; nothing is
shown or saved here.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from assessment.core.i18n import fmt, t
from assessment.core.instruments import Instrument
from assessment.report.colours import STAGE_COLOURS, stage_colour
from assessment.report.data import stage_score
from assessment.report.layout import chart_text

__all__ = [
    "STAGE_COLOURS",  # from assessment.report.colours, as is stage_colour
    "dimension_bars",
    "discipline_bars",
    "radar",
    "stage_colour",
    "stage_ladder",
]

INK = "#222222"
GRID = "#b0b0b0"
A4_WIDTH = 7.0  # inches of usable A4 width


def _decimal_ticks(ax: plt.Axes, lang: str) -> None:
    """Write the x tick labels in the report's language (decimal comma in Dutch)."""
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: fmt(value, lang)))


def _style(ax: plt.Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=INK, labelsize=9)


def _band_patches(
    ax: plt.Axes,
    instrument: Instrument,
    lang: str,
    alpha: float = 0.18,
    horizontal: bool = True,
    labels: bool = False,
) -> None:
    for k, band in enumerate(sorted(instrument.bands, key=lambda b: b.lower)):
        colour = STAGE_COLOURS[k % len(STAGE_COLOURS)]
        ax.axvspan(band.lower, band.upper, color=colour, alpha=alpha, lw=0)
        if labels:
            ax.text(
                (band.lower + band.upper) / 2,
                1.0,
                chart_text(instrument.level(band.level).label.get(lang)),
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8.5,
                color=INK,
            )


def _margins(fig: Figure, left: float, right: float, top: float, bottom: float,
             **spacing: float) -> None:
    """Place the axes with fixed margins in inches.

    Fixed margins instead of ``tight_layout``: the report's charts have known labels,
    and skipping the layout engine's extra drawing pass halves the time to draw them.
    """
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=left / w, right=1 - right / w, top=1 - top / h, bottom=bottom / h,
                        **spacing)


def stage_ladder(scores: pd.DataFrame, instrument: Instrument, lang: str) -> Figure:
    """One horizontal bar per interface on the scale, bands shaded, index and floor marked.

    Parameters
    ----------
    scores : DataFrame
        Tidy scores of one organisation; rows with ``level == "interface"`` are used,
        with their ``floor_dimension`` looked up among the dimension rows.
    instrument : Instrument
    lang : str
    """
    ifaces = scores[scores["level"] == "interface"]
    dims = scores[scores["level"] == "dimension"]
    order = [i.id for i in instrument.interfaces]
    ifaces = ifaces.set_index("interface").reindex(order)
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 0.75 + 0.65 * len(order)))
    _band_patches(ax, instrument, lang, labels=True)
    ypos = np.arange(len(order))[::-1]
    rated = dims.groupby("interface")["score"].count()
    total = dims.groupby("interface")["score"].size()

    def basis(iface: str) -> str:
        """" (4 of 7 dimensions)" when the index rests on fewer than all its dimensions."""
        if iface not in total.index or rated[iface] == total[iface] or rated[iface] == 0:
            return ""
        return " (" + t("index_basis_short", lang, rated=int(rated[iface]),
                        total=int(total[iface])) + ")"

    for y, (iface, row) in zip(ypos, ifaces.iterrows(), strict=True):
        if pd.isna(row["score"]):
            ax.text(
                instrument.scale.min + 0.05,
                y,
                t("not_rated", lang) + basis(iface),
                va="center",
                fontsize=9,
                color="#666666",
            )
            continue
        ax.barh(
            y,
            row["score"] - instrument.scale.min,
            left=instrument.scale.min,
            height=0.45,
            color=stage_colour(row["stage"], instrument),
            edgecolor=INK,
            lw=0.6,
        )
        ax.text(
            row["score"] + 0.04,
            y + 0.05,
            stage_score(row["score"], instrument, lang) + basis(iface),
            va="center",
            fontsize=9,
            fontweight="bold",
            color=INK,
        )
        floor = dims[(dims["interface"] == iface) & (dims["dimension"] == row["floor_dimension"])]
        if not floor.empty:
            fx = float(floor["score"].iloc[0])
            # clip_on=False: a floor at the scale's end (1.0 or 4.0) is drawn whole,
            # not cut in half by the axes
            ax.plot([fx], [y - 0.32], marker="^", color=INK, ms=7, ls="none",
                    clip_on=False, gid="floor")
    ax.set_yticks(ypos, [chart_text(instrument.interface(i).title.get(lang)) for i in order])
    ax.set_xlim(instrument.scale.min, instrument.scale.max)
    ax.set_ylim(-0.7, len(order) - 0.4)
    ax.set_xlabel(t("axis_score_1_4", lang))
    _decimal_ticks(ax, lang)
    handles = [
        Patch(color="#9e9e9e", label=t("legend_index", lang)),
        plt.Line2D([], [], marker="^", color=INK, ls="none", label=t("legend_floor", lang)),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=8.5)
    _style(ax)
    _margins(fig, left=1.55, right=0.4, top=0.3, bottom=0.85)
    return fig


def dimension_bars(scores: pd.DataFrame, instrument: Instrument, lang: str) -> Figure:
    """Sorted horizontal bars of the dimensions, one panel per interface, bands shaded.

    Not-rated dimensions are listed at the bottom with the words "not rated".
    """
    dims = scores[scores["level"] == "dimension"]
    order = [i.id for i in instrument.interfaces]
    n_dim = len(instrument.dimensions)
    fig, axes = plt.subplots(
        len(order), 1, figsize=(A4_WIDTH, 0.5 + len(order) * (0.22 * n_dim + 0.5)), squeeze=False
    )
    for ax, iface in zip(axes[:, 0], order, strict=True):
        d = dims[dims["interface"] == iface].copy()
        d["title"] = [chart_text(instrument.dimension(x).title.get(lang)) for x in d["dimension"]]
        d = d.sort_values("score", ascending=True, na_position="first")
        _band_patches(ax, instrument, lang, alpha=0.15)
        y = np.arange(len(d))
        rated = d["score"].notna().to_numpy()
        ax.barh(
            y[rated],
            d["score"][rated] - instrument.scale.min,
            left=instrument.scale.min,
            color=[stage_colour(s, instrument) for s in d["stage"][rated]],
            height=0.6,
            edgecolor=INK,
            lw=0.5,
        )
        for yy, (score, ok) in zip(y, zip(d["score"], rated, strict=True), strict=True):
            label = stage_score(score, instrument, lang) if ok else t("not_rated", lang)
            ax.text(
                (score if ok else instrument.scale.min) + 0.04,
                yy,
                label,
                va="center",
                fontsize=8.5,
                color=INK,
            )
        ax.set_yticks(y, d["title"])
        ax.set_xlim(instrument.scale.min, instrument.scale.max)
        ax.set_title(
            chart_text(instrument.interface(iface).title.get(lang)),
            loc="left",
            fontsize=10,
            color=INK,
            fontweight="bold",
        )
        _decimal_ticks(ax, lang)
        _style(ax)
    axes[-1, 0].set_xlabel(t("axis_score_1_4", lang))
    handles = [
        Patch(facecolor=c, edgecolor=INK, lw=0.5, label=chart_text(lv.label.get(lang)))
        for c, lv in zip(STAGE_COLOURS, instrument.levels, strict=False)
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=8.5)
    _margins(fig, left=2.6, right=0.3, top=0.3, bottom=0.85, hspace=0.45)
    return fig


def radar(scores: pd.DataFrame, instrument: Instrument, lang: str) -> Figure:
    """Radar of the dimensions per interface: axis order from the YAML, radius from the minimum.

    Always shown beside :func:`dimension_bars` (DESIGN 6: a radar alone misleads). Drawn on
    plain axes (rings, spokes and numbers placed by hand): a polar projection costs three
    times as long to draw for the same picture.
    """
    dims = scores[scores["level"] == "dimension"]
    order = [d.id for d in instrument.dimensions]
    angles = np.linspace(0, 2 * np.pi, len(order), endpoint=False)
    fig, axes = plt.subplots(
        1,
        len(instrument.interfaces),
        figsize=(A4_WIDTH, A4_WIDTH / len(instrument.interfaces) + 0.8),
        squeeze=False,
    )
    lo, hi = instrument.scale.min, instrument.scale.max

    def radius(value):  # the scale's minimum at the centre, its maximum on the rim
        return (np.asarray(value, dtype=float) - lo) / (hi - lo)

    circle = np.linspace(0, 2 * np.pi, 97)
    ring = np.column_stack([np.cos(circle), np.sin(circle)])
    bands = sorted(instrument.bands, key=lambda b: b.lower)
    annuli = [np.vstack([radius(b.upper) * ring, radius(b.lower) * ring[::-1]]) for b in bands]
    grid = ([radius(v) * ring for v in range(lo + 1, hi + 1)]
            + [np.array([[0, 0], [np.cos(a), np.sin(a)]]) for a in angles])
    for ax, iface in zip(axes[0], instrument.interfaces, strict=True):
        d = dims[dims["interface"] == iface.id].set_index("dimension").reindex(order)
        values = d["score"].to_numpy(dtype=float)
        # one artist each for the stage bands and for the rings and spokes
        ax.add_collection(PolyCollection(annuli, facecolors=STAGE_COLOURS[:len(bands)],
                                         alpha=0.12, lw=0))
        ax.add_collection(LineCollection(grid, colors=[GRID] * (hi - lo - 1) + [INK]
                                         + [GRID] * len(angles), lw=0.8))
        for v in range(lo + 1, hi + 1):
            ax.text(radius(v) * np.cos(np.pi / 8), radius(v) * np.sin(np.pi / 8), str(v),
                    fontsize=6, color="#666666", ha="left", va="bottom")
        for k, a in enumerate(angles):  # numbered as the key below
            ax.text(1.14 * np.cos(a), 1.14 * np.sin(a), str(k + 1), fontsize=7.5, color=INK,
                    ha="center", va="center")
        # an unrated dimension breaks the outline (NaN) instead of pulling it to the centre
        r = radius(values)
        x, y = r * np.cos(angles), r * np.sin(angles)
        ax.plot(np.append(x, x[0]), np.append(y, y[0]), color=INK, lw=1.3)
        rated = ~np.isnan(values)
        if rated.all():
            ax.fill(x, y, color=INK, alpha=0.12, lw=0)
        ax.scatter(x[rated], y[rated], color=INK, s=10, zorder=3)
        if not rated.all():
            numbers = ", ".join(str(k + 1) for k in np.flatnonzero(~rated))
            ax.text(0, -1.2, t("radar_not_rated", lang, numbers=numbers), fontsize=7,
                    color="#666666", ha="center", va="top")
        ax.set_xlim(-1.02, 1.02)  # the numbers stand just outside the rim
        ax.set_ylim(-1.02, 1.02)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(chart_text(iface.title.get(lang)), fontsize=9, color=INK, pad=14)
    entries = [f"{k + 1} {chart_text(instrument.dimension(d).title.get(lang))}"
               for k, d in enumerate(order)]
    fig.text(0.5, 0.02, _wrap_key(entries, width=150), ha="center", fontsize=6.5, color=INK,
             linespacing=1.4)
    _margins(fig, left=0.35, right=0.35, top=0.55, bottom=0.65, wspace=0.55)
    return fig


def _wrap_key(entries: list[str], width: int) -> str:
    """Join key entries with wide gaps, breaking lines between entries (about ``width`` chars).

    The gap is two em spaces: SVG text collapses runs of ordinary spaces into one.

    Examples
    --------
    >>> print(_wrap_key(["1 Roles", "2 Communication", "3 Shared language"], width=30))
    1 Roles\u2003\u20032 Communication
    3 Shared language
    """
    lines = [""]
    for entry in entries:
        candidate = f"{lines[-1]}\u2003\u2003{entry}" if lines[-1] else entry
        if lines[-1] and len(candidate) > width:
            lines.append(entry)
        else:
            lines[-1] = candidate
    return "\n".join(lines)


def discipline_bars(scores: pd.DataFrame, instrument: Instrument, lang: str) -> Figure:
    """Bars of the disciplines on 0–100 with the threshold (T) and excellence (E) lines."""
    d = (
        scores[scores["level"] == "discipline"]
        .set_index("dimension")
        .reindex([x.id for x in instrument.dimensions])
    )
    fig, ax = plt.subplots(figsize=(A4_WIDTH, 2.3))
    y = np.arange(len(d))[::-1]
    colours = ["#4d4d4d" if d.iloc[0]["leader"] == idx else "#9e9e9e" for idx in d.index]
    ax.barh(y, d["score"].fillna(0), color=colours, height=0.55)
    for yy, score in zip(y, d["score"], strict=True):
        ax.text(
            (0 if pd.isna(score) else score) + 1,
            yy,
            fmt(score, lang, 0) if pd.notna(score) else t("not_rated", lang),
            va="center",
            fontsize=9,
            color=INK,
        )
    prof = instrument.profile
    if prof is not None:
        for x, key in (
            (prof.threshold, "legend_threshold"),
            (prof.excellence, "legend_excellence"),
        ):
            ax.axvline(x, color=INK, ls="--" if key == "legend_threshold" else ":", lw=1)
            ax.text(
                x,
                1.0,
                t(key, lang, value=fmt(x, lang, 0)),
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8,
            )
    ax.set_yticks(y, [chart_text(instrument.dimension(x).title.get(lang)) for x in d.index])
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("axis_score_0_100", lang))
    _style(ax)
    _margins(fig, left=1.7, right=0.3, top=0.35, bottom=0.55)
    return fig
