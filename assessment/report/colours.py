"""Stage colours: one colour per stage, the same in every chart, table and index.

Kept apart from :mod:`assessment.report.plots` so that pages drawn without matplotlib (the
batch index) use the same colours without loading it.

The stages run from light to dark, so they stay apart in greyscale (a grey printer, a
colour-blind reader): neighbouring stages differ by at least :data:`MIN_LIGHTNESS_STEP` in
CIE L*. Text on a stage colour is dark on the three light stages and white on the darkest
(:func:`text_colour`), at least 4.5:1 either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assessment.core.instruments import Instrument

__all__ = ["INK", "MIN_LIGHTNESS_STEP", "NOT_RATED", "STAGE_COLOURS", "contrast_ratio",
           "lightness", "stage_colour", "text_colour"]

#: one colour per stage, lowest first: pale yellow, orange, mid blue, dark blue
#: (CIE L* 90, 73, 57, 27)
STAGE_COLOURS = ("#fee08b", "#f4a259", "#4a90c2", "#1c3f7a")
#: a stage that could not be rated
NOT_RATED = "#bbbbbb"
#: the ink of text and lines
INK = "#222222"
#: the least difference in CIE L* between neighbouring stage colours
MIN_LIGHTNESS_STEP = 15.0


def _linear(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    rgb = [int(h[k:k + 2], 16) / 255 for k in (0, 2, 4)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)


def relative_luminance(hex_colour: str) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.1 definition), 0 (black) to 1 (white).

    Examples
    --------
    >>> relative_luminance("#ffffff"), relative_luminance("#000000")
    (1.0, 0.0)
    """
    r, g, b = _linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lightness(hex_colour: str) -> float:
    """CIE L* (0 black to 100 white) of an sRGB colour: how light it prints in greyscale.

    Examples
    --------
    >>> round(lightness("#777777"), 1)  # mid grey
    50.0
    """
    y = relative_luminance(hex_colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else 24389 / 27 * y


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21.

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    """
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colour(background: str) -> str:
    """Return the text colour with the higher contrast on ``background``: INK or white.

    Examples
    --------
    >>> text_colour(STAGE_COLOURS[0]), text_colour(STAGE_COLOURS[-1])
    ('#222222', '#ffffff')
    """
    return INK if contrast_ratio(background, INK) >= contrast_ratio(background, "#ffffff") \
        else "#ffffff"


def stage_colour(stage: str | None, instrument: Instrument) -> str:
    """Return the colour of ``stage`` (grey when not rated).

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> stage_colour("aligned", load_instrument("alignment"))
    '#4a90c2'
    """
    ids = [lv.id for lv in instrument.levels]
    return STAGE_COLOURS[ids.index(stage)] if stage in ids else NOT_RATED
