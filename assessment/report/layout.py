"""A quicker tight layout for the report's charts, and chart text shown as written.

``Figure.tight_layout`` measures every artist of every axes (each tick, cell label and
spine), which is a full extra drawing pass: about 0.09 s per chart, 0.5 s per report.
The report's charts are regular grids whose only decorations outside the axes are tick
labels, axis labels and titles, so :func:`fit_layout` measures just those texts with
the font matplotlib will use and sets the margins and gaps from them. Text inside the
axes (cell labels, value labels) is not looked at: keep ``right`` wide enough for
labels written past the end of a bar.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["chart_text", "fit_layout", "overhang"]

#: inches kept free around the decorations, as tight_layout's default pad (1.08 × 10 pt)
PAD = 0.15
#: inches between the axes and its tick labels (tick length and label pad, 3.5 pt each)
TICK = 7 / 72
#: inches between tick labels and the axis label, and between the axes and its title
LABEL_PAD, TITLE_PAD = 4 / 72, 6 / 72


def chart_text(text: object) -> str:
    r"""Return ``text`` so that matplotlib shows it as written: every ``$`` escaped.

    Matplotlib reads text between two dollar signs as maths ("Price $5 & $6 BV" loses its
    dollars and "$\" fails to draw); ``\$`` is its literal dollar sign. Every text a
    chart takes from data (organisation and wave names, instrument titles, labels given
    by the caller) goes through here.

    Examples
    --------
    >>> chart_text("Price $5 & $6 BV")
    'Price \\$5 & \\$6 BV'
    >>> chart_text("Delta")
    'Delta'
    """
    return str(text).replace("$", r"\$")


def _size(renderer, text: Text, dpi: float) -> tuple[float, float]:
    """Width and height in inches of ``text`` as drawn (rotation included); 0 when hidden."""
    if not text.get_visible() or not text.get_text():
        return 0.0, 0.0
    w, h, _ = renderer.get_text_width_height_descent(text.get_text(), text.get_fontproperties(),
                                                     ismath=False)
    angle = math.radians(text.get_rotation())
    width = abs(w * math.cos(angle)) + abs(h * math.sin(angle))
    height = abs(w * math.sin(angle)) + abs(h * math.cos(angle))
    return width / dpi, height / dpi


def overhang(ax: Axes, renderer, dpi: float) -> tuple[float, float, float, float]:
    """Return how far (inches) an axes' decorations reach past its edges.

    Tick labels, axis labels and the title; as (left, right, bottom, top).
    """
    ys = [_size(renderer, lb, dpi) for lb in ax.get_yticklabels()]
    xs = [_size(renderer, lb, dpi) for lb in ax.get_xticklabels()]
    left = max((w for w, _ in ys), default=0.0)
    left = left + TICK if left else 0.0
    if ax.yaxis.label.get_text():
        left += _size(renderer, ax.yaxis.label, dpi)[0] + LABEL_PAD
    bottom = max((h for _, h in xs), default=0.0)
    bottom = bottom + TICK if bottom else 0.0
    if ax.xaxis.label.get_text():
        bottom += _size(renderer, ax.xaxis.label, dpi)[1] + LABEL_PAD
    # the first and last x tick labels are centred on the axes' ends
    left = max(left, xs[0][0] / 2 if xs else 0.0)
    right = xs[-1][0] / 2 if xs else 0.0
    top = _size(renderer, ax.title, dpi)[1]
    top = top + TITLE_PAD if top else 0.0
    return left, right, bottom, top


def fit_layout(fig: Figure, rect: tuple[float, float, float, float] = (0, 0, 1, 1),
               right: float = 0.0) -> None:
    """Place a figure's grid of axes inside ``rect`` with room for their decorations.

    Parameters
    ----------
    fig : Figure
        A figure whose axes all belong to one grid (``plt.subplots``).
    rect : (left, bottom, right, top)
        Figure fraction to fit into, as for ``tight_layout`` (e.g. leave the bottom for
        a figure legend).
    right : float
        Extra inches kept free on the right (value labels written past a bar's end).
    """
    renderer = fig.canvas.get_renderer()
    dpi = fig.dpi
    width, height = fig.get_size_inches()
    axes = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    if not axes:
        return
    nrows, ncols = axes[0].get_subplotspec().get_gridspec().get_geometry()
    cells = []
    for ax in axes:
        spec = ax.get_subplotspec()
        cells.append((spec.rowspan, spec.colspan, overhang(ax, renderer, dpi)))
    left = max(o[0] for r, c, o in cells if c.start == 0) + PAD
    rightm = max(o[1] for r, c, o in cells if c.stop == ncols) + PAD + right
    bottom = max(o[2] for r, c, o in cells if r.stop == nrows) + PAD
    top = max(o[3] for r, c, o in cells if r.start == 0) + PAD
    wgap = max((a[2][1] + b[2][0] for a in cells for b in cells if a[1].stop == b[1].start),
               default=0.0) + PAD
    hgap = max((a[2][2] + b[2][3] for a in cells for b in cells if a[0].stop == b[0].start),
               default=0.0) + PAD
    x0, y0, x1, y1 = rect
    axes_w = (width * (x1 - x0) - left - rightm - (ncols - 1) * wgap) / ncols
    axes_h = (height * (y1 - y0) - bottom - top - (nrows - 1) * hgap) / nrows
    fig.subplots_adjust(left=x0 + left / width, right=x1 - rightm / width,
                        bottom=y0 + bottom / height, top=y1 - top / height,
                        wspace=wgap / axes_w if ncols > 1 else None,
                        hspace=hgap / axes_h if nrows > 1 else None)
