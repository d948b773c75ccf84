"""Text normalisation shared by column and answer matching.

Forms exports change case, add spaces and turn straight quotes into typographic
ones; matching ignores all of that.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

__all__ = ["normalise", "normalise_series"]

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "´": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "\xa0": " ",
    }
)
_SPACES = re.compile(r"\s+")


def normalise(value: object) -> str:
    r"""Return ``value`` as a comparable key: NFKC, straight quotes, single spaces, casefolded.

    Examples
    --------
    >>> normalise("  “Helemaal  mee eens”\n")
    '"helemaal mee eens"'
    >>> normalise("Marketing’s plan") == normalise("marketing's PLAN")
    True
    """
    text = unicodedata.normalize("NFKC", str(value)).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip().casefold()


def normalise_series(values: pd.Series) -> pd.Series:
    """Apply :func:`normalise` to a Series of strings, keeping missing values missing."""
    out = values.astype("string")
    out = out.str.normalize("NFKC").str.translate(_QUOTES)
    out = out.str.replace(_SPACES, " ", regex=True).str.strip().str.casefold()
    return out
