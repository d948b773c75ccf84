"""Report language: message texts (``locales/*.yaml``, one file per topic) and number formatting.

Dutch reports use a decimal comma, English ones a decimal point. The messages of the
``assess`` command follow :func:`message_lang`; a :class:`Note` is a message kept with its
values, to be written in either language later.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assessment.core.config import LOCALE_DIR

#: libyaml's safe loader when available (ten times faster than the pure-Python one)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["LANG_ENV", "Note", "check_lang", "fmt", "message_lang", "messages", "note",
           "read_catalogue", "t"]

#: the environment variable that sets the language of the messages of ``assess``
LANG_ENV = "ASSESS_LANG"
#: the locale variables, in the order the C library reads them for messages
LOCALE_ENV = ("LC_ALL", "LC_MESSAGES", "LANG")


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is a report language, else raise ValueError naming the choices."""
    if lang not in ("nl", "en"):
        raise ValueError(f"lang must be 'nl' or 'en', got {lang!r}")
    return lang


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Return every message of every ``locales/*.yaml`` file: key -> {'nl': ..., 'en': ...}.

    Each topic (report, analysis, teaching) keeps its texts in its own file; a key
    defined twice is an error, as is a key without both languages.
    """
    data: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALE_DIR.glob("*.yaml")):
        part = read_catalogue(path)
        twice = sorted(set(part) & set(data))
        if twice:
            raise ValueError(f"{path}: keys already defined in another locale file: {twice}")
        data.update(part)
    return data


def read_catalogue(path: Path) -> dict[str, dict[str, str]]:
    """Return the messages of one ``locales/*.yaml`` file: key -> {'nl': ..., 'en': ...}.

    A key without both languages is an error. :func:`messages` reads every file;
    ``assess`` reads only ``help.yaml`` when it is imported (its ``--help`` texts).

    Raises
    ------
    ValueError
        When a key lacks nl or en (or has another language).
    """
    with open(path, encoding="utf-8") as fh:
        part = yaml.load(fh, Loader=SAFE_LOADER) or {}
    missing = [k for k, v in part.items() if not isinstance(v, dict) or set(v) != {"nl", "en"}]
    if missing:
        raise ValueError(f"{path}: keys without both nl and en: {missing}")
    return part


def t(key: str, lang: str, **values: object) -> str:
    """Return message ``key`` in ``lang``, with ``values`` filled in.

    Citation markers in the message (``[@kotler2006]``) become short cites
    ("(Kotler, Rackham & Krishnaswamy, 2006)"; :mod:`assessment.core.references`).

    Examples
    --------
    >>> t("not_rated", "nl")
    'niet beoordeeld'
    """
    try:
        text = messages()[key][check_lang(lang)]
    except KeyError:
        raise KeyError(f"no message {key!r} in assessment/locales/*.yaml") from None
    if "@" in text:  # a citation marker: the reference list (and pydantic) only then
        from assessment.core.references import resolve_cites

        text = resolve_cites(text, lang)
    return text.format(**values) if values else text


def fmt(value: float | None, lang: str, decimals: int = 1) -> str:
    """Format a number for people: rounded, decimal comma in Dutch, '–' when missing.

    Examples
    --------
    >>> fmt(2.25, "nl"), fmt(2.25, "en"), fmt(67.4, "en", 0), fmt(None, "nl")
    ('2,2', '2.2', '67', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if check_lang(lang) == "nl" else text


def message_lang(explicit: str | None, environ: Mapping[str, str]) -> str:
    """Return the language of the messages of ``assess``: 'nl' or 'en'.

    An explicit ``--lang`` wins; else ``$ASSESS_LANG`` (nl or en); else the first
    non-empty locale variable of ``LC_ALL``, ``LC_MESSAGES``, ``LANG``: Dutch when it
    starts with "nl" (``nl_NL.UTF-8``, ``nl_BE``), English otherwise (``C``, unset).

    Parameters
    ----------
    explicit : str or None
        The ``--lang`` given on the command line, or None when it was not given.
    environ : mapping of str to str
        The environment (``os.environ``).

    Raises
    ------
    ValueError
        When ``$ASSESS_LANG`` is set to anything but nl or en (and no ``--lang`` was given).

    Examples
    --------
    >>> message_lang(None, {"LANG": "nl_NL.UTF-8"}), message_lang("en", {"ASSESS_LANG": "nl"})
    ('nl', 'en')
    >>> message_lang(None, {"LC_ALL": "C", "LANG": "nl_NL.UTF-8"})
    'en'
    """
    if explicit:
        return check_lang(explicit)
    chosen = environ.get(LANG_ENV, "")
    if chosen:
        if chosen.strip().lower() not in ("nl", "en"):
            raise ValueError(f"${LANG_ENV} must be nl or en, got {chosen!r}")
        return chosen.strip().lower()
    locale = next((environ[v] for v in LOCALE_ENV if environ.get(v)), "")
    return "nl" if locale.lower().startswith("nl") else "en"


@dataclass(frozen=True)
class Note:
    """A message of the catalogue with its values, to be written in a language later.

    A value may itself be a Note (a part of a message that has its own words, such
    as "row 5" or the allowed answers); it is written in the same language.

    Attributes
    ----------
    key : str
        The message key in ``locales/*.yaml``.
    values : tuple of (str, object)
        The placeholders' values, by name.
    """

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        """Return the message in ``lang`` ('nl' or 'en'), its values (and parts) filled in."""
        return t(self.key, lang, **{name: value.text(lang) if isinstance(value, Note) else value
                                    for name, value in self.values})


def note(key: str, **values: object) -> Note:
    """Return a :class:`Note` of message ``key`` with ``values``.

    Examples
    --------
    >>> note("not_rated").text("nl")
    'niet beoordeeld'
    """
    return Note(key, tuple(values.items()))
