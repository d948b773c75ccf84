"""Text normalisation shared by column and answer matching.

Forms exports change case, add spaces and turn straight quotes into typographic
ones; matching ignores all of that.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pandas as pd

__all__ = ["map_unique", "normalise", "normalise_series"]

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


def map_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply an element-wise ``func`` to the distinct values of ``values`` only, then spread back.

    A survey column holds a few distinct answers in many rows, so this does the work once
    per distinct value. ``func`` takes and returns a Series (same length, positional);
    missing values stay missing and are not passed to it.

    Examples
    --------
    >>> s = pd.Series(["b", None, "a", "b"], dtype="string", index=[2, 3, 4, 5])
    >>> map_unique(s, lambda u: u.str.upper()).tolist()
    ['B', <NA>, 'A', 'B']
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = func(pd.Series(uniques, dtype=values.dtype)).reset_index(drop=True)
    missing = pd.Series([float("nan")], dtype=mapped.dtype)
    spread = pd.concat([mapped, missing], ignore_index=True).iloc[codes]  # -1: the missing one
    return spread.set_axis(values.index)


def _normalise_strings(values: pd.Series) -> pd.Series:
    out = values.astype("string")
    out = out.str.normalize("NFKC").str.translate(_QUOTES)
    return out.str.replace(_SPACES, " ", regex=True).str.strip().str.casefold()


def normalise_series(values: pd.Series) -> pd.Series:
    """Apply :func:`normalise` to a Series of strings, keeping missing values missing.

    Examples
    --------
    >>> normalise_series(pd.Series(["  Ja ", None, "JA"])).tolist()
    ['ja', <NA>, 'ja']
    """
    return map_unique(values.astype("string"), _normalise_strings)
