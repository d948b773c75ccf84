"""Tests for assessment.report.layout: the quick tight layout of the report's charts."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from assessment.report.layout import PAD, fit_layout  # noqa: E402

LONG = ["Roles and decision rights", "Shared goals, KPIs and rewards", "Culture and leadership"]


def _decorations(fig):
    """Every visible tick label, axis label and title, measured by matplotlib's own draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = []
    for ax in fig.axes:
        texts = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label, ax.yaxis.label,
                 ax.title]
        out += [(ax, t.get_window_extent(renderer)) for t in texts
                if t.get_visible() and t.get_text()]
    return out


def _panels(ncols=3, sharey=True, rotation=0, xlabels=("Marketing", "Sales", "Service",
                                                      "Management")):
    fig, axes = plt.subplots(1, ncols, figsize=(7, 2.6), sharey=sharey, squeeze=False)
    for k, ax in enumerate(axes[0]):
        ax.set_yticks(range(3), LONG, fontsize=8)
        ax.set_xticks(range(1, 5), list(xlabels), rotation=rotation,
                      ha="right" if rotation else "center")
        ax.set_title(f"Interface {k + 1}", fontsize=9, fontweight="bold")
    axes[0, ncols // 2].set_xlabel("Score (1 = undefined, 4 = integrated)")
    return fig


@pytest.mark.parametrize("rotation", [0, 40])
def test_decorations_stay_inside_the_figure_and_rect(rotation):
    """After fit_layout, matplotlib's own draw keeps every label where it belongs.

    Inside the figure, above the reserved legend strip (rect bottom 0.1), and off every
    other axes.
    """
    fig = _panels(rotation=rotation)
    fit_layout(fig, rect=(0, 0.1, 1, 1))
    width, height = fig.bbox.width, fig.bbox.height
    for ax, box in _decorations(fig):
        assert box.x0 >= 0 and box.x1 <= width, box
        assert box.y0 >= 0.1 * height and box.y1 <= height, box
        for other in fig.axes:
            if other is not ax:
                assert not box.overlaps(other.get_window_extent()), (box, other)
    plt.close(fig)


def test_margins_close_to_tight_layout():
    """The left margin is within PAD + 0.1 inch of matplotlib's tight_layout (the reference).

    It is the room for the longest y label, computed for the same figure.
    """
    fig = _panels(ncols=1, sharey=False)
    fig.tight_layout()
    tight_left = fig.subplotpars.left * 7
    fit_layout(fig)
    assert fig.subplotpars.left * 7 == pytest.approx(tight_left, abs=PAD + 0.1)
    plt.close(fig)


def test_hidden_labels_take_no_room():
    """With sharey, hidden y labels take no room between panels.

    Only the first panel shows them, so the gaps are far narrower than the left margin
    (by hand: the labels are ~1.5 in, the gap ~0.3 in).
    """
    fig = _panels(sharey=True, xlabels="1234")
    fit_layout(fig)
    axes = fig.axes
    gap = axes[1].get_position().x0 - axes[0].get_position().x1
    assert gap * 7 < 0.5 < fig.subplotpars.left * 7
    plt.close(fig)


def test_right_keeps_room_for_value_labels():
    """``right`` adds exactly that many inches to the right margin (arithmetic)."""
    fig, ax = plt.subplots(figsize=(7, 2))
    ax.set_yticks(range(3), LONG)
    fit_layout(fig)
    plain = 1 - fig.subplotpars.right
    fit_layout(fig, right=0.3)
    assert (1 - fig.subplotpars.right) * 7 == pytest.approx(plain * 7 + 0.3)
    plt.close(fig)


def test_vertical_panels_leave_room_for_each_xlabel():
    """Stacked panels (benchmark strip): each x label stays clear of the panel below."""
    fig, axes = plt.subplots(2, 1, figsize=(7, 4), squeeze=False)
    for ax in axes[:, 0]:
        ax.set_yticks(range(3), LONG)
        ax.set_xlabel("Score (0–100)")
    fit_layout(fig, rect=(0, 0.06, 1, 1))
    fig.canvas.draw()
    label = axes[0, 0].xaxis.label.get_window_extent(fig.canvas.get_renderer())
    below = axes[1, 0].get_window_extent()
    assert label.y0 > below.y1
    assert not Bbox.intersection(label, below)
    plt.close(fig)
