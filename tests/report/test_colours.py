"""Stage colours that stay apart in greyscale, and readable text on them (issue 16)."""

from __future__ import annotations

import pytest
from PIL import Image

from assessment.report.colours import (
    INK,
    MIN_LIGHTNESS_STEP,
    STAGE_COLOURS,
    contrast_ratio,
    lightness,
    text_colour,
)


@pytest.mark.parametrize(("colour", "expected"), [
    ("#ffffff", 100.0), ("#000000", 0.0), ("#777777", 50.03), ("#ff0000", 53.24),
])
def test_lightness_matches_published_values(colour, expected):
    """CIE L* of sRGB colours as published (Bruce Lindbloom's colour calculator, D65)."""
    assert lightness(colour) == pytest.approx(expected, abs=0.05)


def test_neighbouring_stages_differ_in_lightness():
    """Each stage is darker than the one below it by at least the stated margin (15 L*)."""
    values = [lightness(c) for c in STAGE_COLOURS]
    steps = [a - b for a, b in zip(values, values[1:], strict=False)]
    assert MIN_LIGHTNESS_STEP == 15.0
    assert min(steps) >= MIN_LIGHTNESS_STEP, values


def test_stages_differ_on_a_grey_printer():
    """Converted to grey as PIL does (ITU-R 601 luma), neighbours are ≥ 40 of 255 apart.

    The issue's complaint: the old red and dark blue were the same grey (1.03:1).
    """
    greys = [Image.new("RGB", (1, 1), c).convert("L").getpixel((0, 0)) for c in STAGE_COLOURS]
    assert all(a - b >= 40 for a, b in zip(greys, greys[1:], strict=False)), greys


def test_text_on_every_stage_colour_is_readable():
    """Text on a stage colour reaches WCAG AA for normal text (4.5:1), dark or white."""
    for colour in STAGE_COLOURS:
        assert contrast_ratio(colour, text_colour(colour)) >= 4.5, colour
    assert text_colour(STAGE_COLOURS[0]) == INK and text_colour(STAGE_COLOURS[-1]) == "#ffffff"


def test_contrast_ratio_published_pair():
    """#767676 on white is 4.54:1, the lightest grey that passes AA (WebAIM contrast checker)."""
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
