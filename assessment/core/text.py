"""Text normalisation shared by column and answer matching.

Forms exports change case, add spaces and turn straight quotes into typographic
ones; matching ignores all of that. Invisible format characters (zero-width spaces,
right-to-left overrides) are removed, and text decoded with the wrong encoding
("CafÃ©") can be recognised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

import pandas as pd

__all__ = [
    "CONTROL_CHARACTERS",
    "FORMAT_CHARACTERS",
    "control_characters",
    "format_characters",
    "map_unique",
    "name_key",
    "normalise",
    "normalise_many",
    "normalise_series",
    "printable",
    "strip_control",
    "strip_format",
]

_NOT_ALNUM_ASCII = re.compile(r"[^a-z0-9]")
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
#: in ASCII texts joined by newlines: what makes normalising more than lowering (whitespace
#: other than single spaces within a text, a backtick)
_NOT_JUST_LOWER = re.compile(r"[\t\r\x0b\x0c\x1c-\x1f`]|  | \n|\n |\A | \Z")
#: Unicode's format characters (category Cf, Unicode 15): invisible, yet they change how text
#: shows (U+202E turns "exe.txt" around) or tell two equal-looking names apart (U+200B)
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


#: control characters (Unicode category Cc: C0, DEL and C1): a terminal acts on them (ESC starts
#: sequences that recolour, clear the screen, set the window title or write the clipboard)
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
#: the control characters that are only spacing in a name: a tab, a line break in a cell (and
#: Unicode's line and paragraph separators, which are not controls but break a line too)
_SPACING_CONTROLS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\u2028\u2029]+")
#: what :func:`printable` escapes: control characters other than a line break and a tab
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise(value: object) -> str:
    r"""Return ``value`` as a comparable key: NFKC, straight quotes, single spaces, casefolded.

    Examples
    --------
    >>> normalise("  “Helemaal  mee eens”\n")
    '"helemaal mee eens"'
    >>> normalise("Marketing’s plan") == normalise("marketing's PLAN")
    True
    """
    text = unicodedata.normalize("NFKC", strip_format(str(value))).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip().casefold()


def strip_format(text: str) -> str:
    """Return ``text`` without Unicode format characters (zero-width, bidirectional controls).

    Examples
    --------
    >>> strip_format("Acme\u200b BV\u202e")
    'Acme BV'
    """
    return FORMAT_CHARACTERS.sub("", text)


def format_characters(text: str) -> list[str]:
    """Return the names of the distinct format characters in ``text``, in order of appearance.

    Examples
    --------
    >>> format_characters("a\u202eb\u200bc\u202e")
    ['U+202E RIGHT-TO-LEFT OVERRIDE', 'U+200B ZERO WIDTH SPACE']
    """
    found = dict.fromkeys(FORMAT_CHARACTERS.findall(text))
    return [f"U+{ord(c):04X} {unicodedata.name(c, 'FORMAT CHARACTER')}" for c in found]


def control_characters(text: str) -> list[str]:
    r"""Return the code points of the distinct control characters in ``text``, in order.

    Examples
    --------
    >>> control_characters("Delta\x1b[31m\nBV\x1b")
    ['U+001B ESCAPE', 'U+000A LINE FEED']
    """
    found = dict.fromkeys(CONTROL_CHARACTERS.findall(text))
    return [f"U+{ord(c):04X} {_CONTROL_NAMES.get(c, 'CONTROL CHARACTER')}" for c in found]


_CONTROL_NAMES = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN",
                  "\x07": "BELL", "\x08": "BACKSPACE", "\x1b": "ESCAPE", "\x7f": "DELETE",
                  "\x00": "NULL", "\x85": "NEXT LINE", "\x9b": "CONTROL SEQUENCE INTRODUCER"}


def strip_control(text: str) -> str:
    r"""Return a name without control characters: spacing ones become one space, others go.

    A tab or a line break inside a spreadsheet cell is spacing; ESC, BEL and the like are
    removed, so that what follows them ("[31m") stays as harmless visible text.

    Examples
    --------
    >>> strip_control("Delta\r\nMeet\ttechniek\x1b[31m\x07")
    'Delta Meet techniek[31m'
    """
    return CONTROL_CHARACTERS.sub("", _SPACING_CONTROLS.sub(" ", text))


def printable(text: str) -> str:
    r"""Return ``text`` safe to print on a terminal: control characters shown as ``\xNN``.

    Line breaks and tabs stay (messages of several lines are ours); every other control
    character, such as the ESC of a hostile file's name, is written out as its escape,
    so the terminal shows it instead of acting on it.

    Examples
    --------
    >>> printable("organisation 'Delta\x1b]52;c;SGk=\x07'\n  next line")
    "organisation 'Delta\\x1b]52;c;SGk=\\x07'\n  next line"
    """
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _unmojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252 (up to twice): 'CafÃ©' -> 'Café'; other text unchanged."""
    for _ in range(2):
        try:
            fixed = text.encode("cp1252").decode("utf-8")
        except UnicodeError:
            return text
        if fixed == text:
            return text
        text = fixed
    return text


def name_key(name: str) -> str:
    """Return a loose key under which names that are probably the same organisation meet.

    Mojibake undone, format characters removed, NFKC, casefolded, and only letters and
    digits kept: 'CafÃ© Noord', 'Café  noord', 'Café-Noord' and 'Café\u200b Noord' all
    give ``'cafénoord'``. Used to warn, never to merge.

    Examples
    --------
    >>> name_key("CafÃ© Noord") == name_key("Café-noord") == name_key("CAFÉ\u200b NOORD")
    True
    """
    if name.isascii():  # nothing to undo, remove or normalise: letters and digits, lowered
        return _NOT_ALNUM_ASCII.sub("", name.lower())
    text = unicodedata.normalize("NFKC", strip_format(_unmojibake(name))).casefold()
    return "".join(c for c in text if c.isalnum())


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


def _normalise_fast(text: str) -> str:
    r"""Return :func:`normalise` of a string, with a shortcut for ASCII text.

    ASCII text has no format characters, NFKC leaves it as it is, the backtick is its only
    quote to straighten, ``str.split`` splits at the whitespace ``\s`` matches, and
    casefolding is lowering.
    """
    if text.isascii():
        return " ".join(text.replace("`", "'").split()).lower()
    return normalise(text)


def normalise_many(texts: Iterable[str]) -> list[str]:
    """Apply :func:`normalise` to each of many strings; ASCII text takes a shortcut.

    Examples
    --------
    >>> normalise_many(["  Ja ", "JA", "Café​  Noord", "it`s"])
    ['ja', 'ja', 'café noord', "it's"]
    """
    texts = list(texts)
    joined = "\n".join(texts)
    if (texts and joined.isascii() and joined.count("\n") == len(texts) - 1
            and not _NOT_JUST_LOWER.search(joined)):
        return joined.lower().split("\n")  # plain ASCII text: normalising is lowering
    return [_normalise_fast(text) for text in texts]


def _normalise_strings(values: pd.Series) -> pd.Series:
    """Normalise strings without missing values (the distinct values of :func:`map_unique`)."""
    texts = values.astype("string").to_numpy(dtype=object)
    return pd.Series(normalise_many(texts), index=values.index, dtype="string")


def normalise_series(values: pd.Series) -> pd.Series:
    """Apply :func:`normalise` to a Series of strings, keeping missing values missing.

    Examples
    --------
    >>> normalise_series(pd.Series(["  Ja ", None, "JA"])).tolist()
    ['ja', <NA>, 'ja']
    """
    return map_unique(values.astype("string"), _normalise_strings)
