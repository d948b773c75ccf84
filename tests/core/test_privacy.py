"""Personal data in comments and ids (issue 10, case 5): found on ingest, redacted in reports."""

from __future__ import annotations

import pandas as pd
import pytest

from assessment.core.ingest import read_responses
from assessment.core.privacy import find_personal, pseudonyms, redact, scan_comments
from tests.conftest import full_rows


@pytest.mark.parametrize("text, kind", [
    ("mail me: a.de.vries@acme-bv.nl", "email"),
    ("bel 06-12345678", "phone"),
    ("bel 06 1234 5678", "phone"),
    ("tel +31 6 12345678", "phone"),
    ("tel +31 (0)20 123 4567", "phone"),
    ("kantoor 020-1234567", "phone"),
    ("mijn BSN is 111222333", "bsn"),
    ("BSN 111.222.333", "bsn"),
    ("rekening NL91 ABNA 0417 1643 00", "iban"),
    ("rekening NL91ABNA0417164300", "iban"),
])
def test_each_kind_is_found(text, kind):
    """The formats the issue names (06-…, +31 …, BSN-like, IBAN, e-mail), as people type them.

    Expected values: the BSN 111222333 passes the eleven test (9·1+8·1+7·1+6·2+5·2+4·2+3·3
    +2·3−3 = 66, a multiple of 11); NL91ABNA0417164300 is the Dutch example IBAN (mod 97 = 1).
    """
    found = find_personal(text)
    assert [k for k, *_ in found] == [kind]
    assert "[" in redact(text, found, "nl")


@pytest.mark.parametrize("text", ["Score 7 van 10 in 2024", "omzet 123456789 euro?", "15%",
                                  "versie 2.3.1", "€ 1.250.000"])
def test_ordinary_numbers_stay(text):
    """No false alarms on numbers that fail the checks (eleven test, mod 97) or are short."""
    assert find_personal(text) == []


def test_a_mistyped_iban_is_no_iban():
    """NL91 ABNA 0417 1643 01 fails mod 97: not called an IBAN (its digits may still be redacted)."""
    assert "iban" not in [k for k, *_ in find_personal("NL91 ABNA 0417 1643 01")]


def test_placeholders_in_the_report_language():
    """Issue 10, case 5: `[e-mail]`, `[telefoonnummer]`/`[phone number]` in the report's language."""
    text = "jan@x.nl of 0612345678"
    spans = find_personal(text)
    assert redact(text, spans, "nl") == "[e-mail] of [telefoonnummer]"
    assert redact(text, spans, "en") == "[e-mail] of [phone number]"


def test_own_name_redacted_and_colleague_flagged():
    """The writer's own name (any part of it, not 'de') is `name`; another respondent's `colleague`."""
    text = "Ik (Jan de Vries) vind dat Piet Jansen en de Vries te weinig overleggen"
    kinds = [k for k, *_ in find_personal(text, own=["Jan de Vries"],
                                         colleagues=["Jan de Vries", "Piet Jansen"])]
    assert kinds == ["name", "colleague", "name"]
    assert redact(text, find_personal(text, own=["Jan de Vries"]), "en") == (
        "Ik ([name]) vind dat Piet Jansen en de [name] te weinig overleggen")


def test_pseudonyms_are_stable_and_keep_nothing_of_the_id():
    """Same order -> same pseudonyms; nothing of the e-mail address is in them."""
    ids = ["ann@acme.nl", "bob@acme.nl", "ann@acme.nl"]
    assert pseudonyms(ids) == pseudonyms(ids) == {"ann@acme.nl": "R1", "bob@acme.nl": "R2"}


def test_ingest_finds_names_from_the_dropped_name_column(tmp_path, alignment, disciplines):
    """Issue 10, case 5: the Name column is dropped, but used to find names in comments.

    Expected: row 2 (the first data row) mentions its own writer and an e-mail address; row 3
    names a colleague (row 2's writer). Only where and what kind is kept, never the value.
    """
    rows = full_rows(alignment, disciplines, "Acme", 3)
    names = ["Anna Bakker", "Kees Smit", "Lot Visser"]
    comments = ["Ik, Anna, ben bereikbaar op anna@acme.nl", "Bakker luistert niet", ""]
    for row, name, comment in zip(rows, names, comments, strict=True):
        row["Name"] = name
        row["LOY-improve"] = comment
        row["LOY-nps"] = 8
    path = tmp_path / "r.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    r = read_responses(path)
    assert "Name" not in r.data.columns
    found = r.personal[["row", "column", "kind"]].values.tolist()
    assert found == [[2, "LOY-improve", "name"], [2, "LOY-improve", "email"],
                     [3, "LOY-improve", "colleague"]]
    assert set(r.personal.columns) == {"row", "item", "column", "kind", "start", "end"}
    assert scan_comments(r.data, {}).empty
