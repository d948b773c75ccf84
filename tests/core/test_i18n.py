"""Report language: every message used by the package exists in Dutch and English."""

from __future__ import annotations

import re
import string

import pytest

from assessment.core.config import PACKAGE_DIR
from assessment.core.i18n import fmt, messages, t


def test_every_used_key_exists():
    """Every literal t("key", ...) in the package names a message with nl and en."""
    used = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert used, "the package uses messages"
    missing = sorted(used - set(messages()))
    assert not missing, f"messages used but not defined: {missing}"


def _placeholders(text: str) -> set[str]:
    """The names of the fields ``str.format`` fills in ``text`` ({n}, {value!r}, {size:,.0f})."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_placeholders_match_between_languages():
    """A placeholder in the Dutch text is also in the English one, and vice versa.

    Placeholders as ``str.format`` reads them (which ``t`` uses), so that ``{value!r}`` and
    ``{rows:,}`` count too; their format may differ (Dutch writes no thousands comma).
    """
    for key, texts in messages().items():
        assert _placeholders(texts["nl"]) == _placeholders(texts["en"]), key


def test_decimal_comma_in_dutch():
    """Dutch reports write 2,5; English ones 2.5 (REPORT-OUTLINE: numbers in the report's language)."""
    assert fmt(2.54, "nl") == "2,5"
    assert fmt(2.54, "en") == "2.5"
    assert fmt(87.5, "nl", 0) == "88"


def test_unknown_language():
    """Only nl and en."""
    with pytest.raises(ValueError, match="lang must be 'nl' or 'en'"):
        t("not_rated", "fr")
