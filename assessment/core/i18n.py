"""Report language: message texts (``locales/*.yaml``, one file per topic) and number formatting.

Dutch reports use a decimal comma, English ones a decimal point.
"""

from __future__ import annotations

import math
from functools import lru_cache

import yaml

from assessment.core.config import LOCALE_DIR
from assessment.core.references import resolve_cites

#: libyaml's safe loader when available (ten times faster than the pure-Python one)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["check_lang", "fmt", "messages", "t"]


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
        with open(path, encoding="utf-8") as fh:
            part = yaml.load(fh, Loader=SAFE_LOADER) or {}
        missing = [k for k, v in part.items() if not isinstance(v, dict) or set(v) != {"nl", "en"}]
        if missing:
            raise ValueError(f"{path}: keys without both nl and en: {missing}")
        twice = sorted(set(part) & set(data))
        if twice:
            raise ValueError(f"{path}: keys already defined in another locale file: {twice}")
        data.update(part)
    return data


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
