"""Report language: every message used by the package exists in Dutch and English."""

from __future__ import annotations

import re
import string

import pytest
import yaml

from assessment.core.config import LOCALE_DIR, PACKAGE_DIR
from assessment.core.i18n import fmt, message_lang, messages, note, t


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


@pytest.mark.parametrize(("explicit", "environ", "expected"), [
    # the order of the rule: --lang > $ASSESS_LANG > LC_ALL > LC_MESSAGES > LANG
    ("en", {"ASSESS_LANG": "nl", "LC_ALL": "nl_NL.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
    ("nl", {"ASSESS_LANG": "en", "LC_ALL": "C"}, "nl"),
    (None, {"ASSESS_LANG": "nl", "LC_ALL": "C", "LANG": "C"}, "nl"),
    (None, {"ASSESS_LANG": "en", "LC_ALL": "nl_NL.UTF-8"}, "en"),
    (None, {"LC_ALL": "C", "LC_MESSAGES": "nl_NL.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
    (None, {"LC_ALL": "nl_BE.UTF-8", "LANG": "C"}, "nl"),
    (None, {"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),
    (None, {"LC_MESSAGES": "C", "LANG": "nl_NL.UTF-8"}, "en"),
    # an empty variable counts as unset: the next one decides
    (None, {"ASSESS_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}, "nl"),
    (None, {"LANG": "nl_NL.UTF-8"}, "nl"),
    (None, {"LANG": "nl"}, "nl"),
    (None, {"LANG": "C"}, "en"),
    (None, {"LANG": "C.UTF-8"}, "en"),
    (None, {"LANG": "de_DE.UTF-8"}, "en"),
    (None, {}, "en"),
])
def test_message_lang(explicit, environ, expected):
    """The language rule of `assess` (README, "Dutch or English"): each case by the rule's order.

    Expected from the rule itself: an explicit --lang wins, then $ASSESS_LANG, then the first
    non-empty of LC_ALL, LC_MESSAGES, LANG; Dutch when that starts with "nl", else English
    (so CI with LANG=C or no locale stays English).
    """
    assert message_lang(explicit, environ) == expected


@pytest.mark.parametrize("value", ["fr", "dutch", "nl_NL.UTF-8"])
def test_message_lang_refuses_another_assess_lang(value):
    """$ASSESS_LANG other than nl or en is an error naming the variable and the value.

    Expected from the rule: a clear error, not a silent guess; an explicit --lang does not
    read the variable.
    """
    with pytest.raises(ValueError, match=r"\$ASSESS_LANG must be nl or en, got "):
        message_lang(None, {"ASSESS_LANG": value, "LANG": "nl_NL.UTF-8"})
    assert message_lang("nl", {"ASSESS_LANG": value}) == "nl"


def _locale_file(name: str) -> dict:
    with open(LOCALE_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize("name", ["cli.yaml", "ingest.yaml"])
def test_command_messages_in_both_languages(name):
    """Every message of cli.yaml and ingest.yaml has Dutch and English, same placeholders.

    Non-empty texts; placeholders as str.format reads them.

    Expected from the brief: everything a user sees exists in natural Dutch and in English.
    """
    part = _locale_file(name)
    assert part
    for key, texts in part.items():
        assert set(texts) == {"nl", "en"}, key
        assert texts["nl"].strip() and texts["en"].strip(), key
        assert _placeholders(texts["nl"]) == _placeholders(texts["en"]), key


def test_every_command_message_used_exists():
    """Every key that cli.py, ingest.py, core/files.py and report/prepared.py ask for exists.

    Literal keys, and every key built from a name (a department, a kind of personal data,
    a column).

    Expected: the names come from the package's own lists (DEPARTMENT_ORDER, KINDS,
    META_COLUMNS, COLUMN_HINTS).
    """
    from assessment.core.ingest import COLUMN_HINTS, DEPARTMENT_ORDER, META_COLUMNS
    from assessment.core.privacy import KINDS

    used = set()
    for module in ("cli.py", "core/ingest.py", "core/files.py", "report/prepared.py"):
        text = (PACKAGE_DIR / module).read_text(encoding="utf-8")
        used |= set(re.findall(r"\b(?:_t|t|note)\(\s*\"([a-z0-9_]+)\"", text))
    used |= {f"cli_dept_{d}" for d in DEPARTMENT_ORDER}
    used |= {f"cli_kind_{k}" for k in KINDS}
    used |= {f"ingest_column_{c}" for c in META_COLUMNS}
    used |= {f"ingest_hint_{c}" for c in set(COLUMN_HINTS.values())}
    assert len(used) > 80
    assert not sorted(used - set(messages()))


def test_note_writes_its_parts_in_the_same_language():
    """A Note whose value is a Note writes both in one language (here the rows of a problem).

    Expected: the catalogue's texts, ingest_rows_many = "rijen {rows}" / "rows {rows}".
    """
    said = note("ingest_repaired", rows=note("ingest_rows_many", rows="2–4"))
    assert said.text("nl").startswith("rijen 2–4 niet in UTF-8")
    assert said.text("en").startswith("rows 2–4 not UTF-8")
