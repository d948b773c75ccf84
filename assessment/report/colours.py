"""Stage colours: one colour per stage, the same in every chart, table and index.

Kept apart from :mod:`assessment.report.plots` so that pages drawn without matplotlib (the
batch index) use the same colours without loading it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assessment.core.instruments import Instrument

__all__ = ["NOT_RATED", "STAGE_COLOURS", "stage_colour"]

#: one colour per stage, lowest first (colour-blind safe, ColorBrewer RdYlBu)
STAGE_COLOURS = ("#d73027", "#fc8d59", "#91bfdb", "#4575b4")
#: a stage that could not be rated
NOT_RATED = "#bbbbbb"


def stage_colour(stage: str | None, instrument: Instrument) -> str:
    """Return the colour of ``stage`` (grey when not rated).

    Examples
    --------
    >>> from assessment.core.instruments import load_instrument
    >>> stage_colour("aligned", load_instrument("alignment"))
    '#91bfdb'
    """
    ids = [lv.id for lv in instrument.levels]
    return STAGE_COLOURS[ids.index(stage)] if stage in ids else NOT_RATED
