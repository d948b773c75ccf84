"""Pure functions behind the widgets: options from the YAML, answers in the input format, scores."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from assessment.core.ingest import read_responses
from assessment.core.instruments import load_instrument
from assessment.core.template import template_columns
from assessment.teaching.forms import (
    answer_options,
    answers_frame,
    collect_answers,
    nps_counts,
    profile_text,
    read_nps_upload,
    scan_scores,
    scheme_for,
    subset_instrument,
)
from assessment.teaching.simulations import incentive_case


@pytest.fixture(scope="module")
def al():
    return load_instrument("alignment")


@pytest.fixture(scope="module")
def vd():
    return load_instrument("value_disciplines")


def test_options_come_from_the_yaml(al, vd):
    """stages4: the item's four descriptions scored 1–4; likert5: the scale's labels 1–5, both then "don't know"; choice: the option values (all from the YAML files)."""
    item = al.scored_items[0]
    assert answer_options(item, al, "nl") == [
        *((o.nl, k) for k, o in enumerate(item.options, 1)),
        ("Weet ik niet / niet van toepassing", "dont_know")]
    assert [v for _, v in answer_options(vd.scored_items[0], vd, "en")] == [
        1, 2, 3, 4, 5, "dont_know"]
    choice = vd.item(vd.profile.declared_item)
    assert [v for _, v in answer_options(choice, vd, "en")] == [o.value for o in choice.options]


def test_subset_instrument(al):
    """One interface, its 14 items (7 dimensions × 2, DESIGN 3.1); the original is untouched."""
    ms = subset_instrument(al, "marketing_sales")
    assert len(ms.scored_items) == 14 and len(al.interfaces) == 3
    with pytest.raises(ValueError, match="interface must be one of"):
        subset_instrument(al, "nope")


def test_answers_frame_has_the_template_columns(al, vd):
    """The row has exactly the columns `assess template` writes, in that order."""
    row = answers_frame({"MS-roles-1": 3}, [al, vd], "Org", "sales", "r1", "nl")
    assert list(row.columns) == template_columns(al) + template_columns(vd)[5:]
    assert row.loc[0, "MS-roles-1"] == 3 and row.loc[0, "language"] == "nl"
    with pytest.raises(ValueError, match="not in the instruments: \\['XX-1'\\]"):
        answers_frame({"XX-1": 1}, [al], "Org")


def test_scan_scores_by_hand(al):
    """All marketing–sales answers 3 → every dimension 3.0 and the index 3.0: Aligned ([2.5, 3.25), DESIGN 3.1); the other interfaces are not rated."""
    answers = {i.id: 3 for i in al.scored_items if i.interface == "marketing_sales"}
    scores = scan_scores(answers, [al])
    ifaces = scores[scores["level"] == "interface"].set_index("interface")
    assert ifaces.loc["marketing_sales", "score"] == 3.0
    assert ifaces.loc["marketing_sales", "stage"] == "aligned"
    assert pd.isna(ifaces.loc["sales_service", "score"])


def _scores(vd, levels, declared=None):
    """Answer each discipline's statements so that its score is levels[d] (0, 25, 50, 75 or 100)."""
    answers = {}
    for item in vd.scored_items:
        value = 1 + levels[item.dimension] / 25
        answers[item.id] = int(6 - value if item.reverse else value)
    if declared:
        answers[vd.profile.declared_item] = declared
    return scan_scores(answers, [vd])


def test_profile_sentences(vd):
    """The rule of DESIGN 3.2 (T 50, E 75, M 10) in the report's own words, declared against practised (hand-made answers give 100/75/50, 100/25/25, 75/75/50, 75/75/25)."""
    ci, oe, pl = "customer_intimacy", "operational_excellence", "product_leadership"
    text = profile_text(_scores(vd, {ci: 100, oe: 75, pl: 50}, declared=ci), vd, "en")
    assert text.startswith("The organisation excels in <b>customer intimacy</b> (100 of 100)")
    # one person fills in a scan: no "Management declares" (issue 11 point 13)
    assert "According to your answer, the chosen discipline is customer intimacy, and that is what" in text
    assert "Management declares" not in text
    text = profile_text(_scores(vd, {ci: 100, oe: 25, pl: 25}, declared=oe), vd, "nl")
    assert "maar operationele excellentie en productleiderschap blijven onder" in text
    assert "Volgens jouw antwoord is er gekozen voor operationele excellentie, maar" in text
    assert "stuck in the middle" in profile_text(_scores(vd, {ci: 75, oe: 75, pl: 50}), vd, "en")
    assert profile_text(_scores(vd, {ci: 75, oe: 75, pl: 25}), vd, "en").startswith(
        "No discipline stands out")
    assert profile_text(scan_scores({}, [vd]), vd, "en").startswith("Not rated yet")


def test_nps_counts():
    """Counts per answer 0–10 (hand count); answers outside 0–10 are refused."""
    assert nps_counts([0, 10, 10, 7]) == [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2]
    with pytest.raises(ValueError, match="whole numbers 0–10"):
        nps_counts([11])


def test_read_nps_upload_finds_the_column():
    """A column named like an NPS answer is taken; otherwise the only 0–10 column; Dutch decimals and cp1252 are read as ingest reads them."""
    values, column = read_nps_upload("Klant;Aanbeveling\nJosé;9\nAnn;6\n".encode("cp1252"))
    assert column == "Aanbeveling" and values.tolist() == [9.0, 6.0]
    values, column = read_nps_upload(b"id,q\n101,10\n102,\n103,0\n")
    assert column == "q" and values.isna().sum() == 1


def test_read_nps_upload_xlsx():
    """An XLSX upload is read like a CSV."""
    buffer = io.BytesIO()
    pd.DataFrame({"score": [9, 8, 3]}).to_excel(buffer, index=False)
    values, _ = read_nps_upload(buffer.getvalue(), "answers.xlsx")
    assert values.tolist() == [9.0, 8.0, 3.0]


def test_read_nps_upload_errors():
    """Ambiguous or invalid files are refused with the reason."""
    with pytest.raises(ValueError, match="cannot tell which column"):
        read_nps_upload(b"a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a number 0–10"):
        read_nps_upload(b"nps\nten\n")
    with pytest.raises(ValueError, match="whole numbers 0–10"):
        read_nps_upload(b"nps\n12\n")
    with pytest.raises(ValueError, match="binary data"):
        read_nps_upload(b"\x00\x01\x02", "photo.csv")


def test_read_nps_upload_errors_in_the_lessons_language():
    """A Dutch lesson says what is wrong with an upload in Dutch (the same cases as above).

    Expected: the teaching catalogue's Dutch texts (locales/teaching.yaml) and, for a file
    that is no table, the ingest catalogue's (locales/ingest.yaml); 7.5 with a comma.
    """
    cases = [(b"a,b\n1,2\n", "niet te zien welke kolom"),
             (b"nps\nten\n", "kolom 'nps': geen getal van 0 tot en met 10: 'ten'"),
             (b"nps\n7.5\n", "hele getallen van 0 tot en met 10, niet 7,5"),
             (b"\x00\x01\x02", "dit is geen CSV- of XLSX-bestand")]
    for content, expected in cases:
        with pytest.raises(ValueError) as caught:
            read_nps_upload(content, "antwoorden.csv", "nl")
        assert expected in str(caught.value)


def test_read_nps_upload_one_column():
    """A one-column file (no separator at all) is read too: the simplest export there is."""
    values, column = read_nps_upload(b"NPS\n10\n\n7\n")
    assert column == "NPS" and values.tolist()[0] == 10.0 and values.notna().sum() == 2


def test_scheme_for():
    """The four schemes of data/teaching/incentives.yaml are found by target and bonus."""
    schemes = incentive_case()["schemes"]
    assert scheme_for(schemes, "revenue", "individual")["id"] == "revenue_individual"
    with pytest.raises(ValueError, match="no scheme for target 'profit'"):
        scheme_for(schemes, "profit", "team")


def test_collect_answers(tmp_path, vd):
    """Files are stacked with the respondent columns first; an empty folder gives an empty table."""
    assert collect_answers(tmp_path).empty
    for k in (1, 2):
        answers_frame({"VD-ci-1": k}, [vd], f"Org {k}", respondent_id=f"r{k}").to_csv(
            tmp_path / f"{k}.csv", index=False)
    table = collect_answers(tmp_path)
    assert table["organisation"].tolist() == ["Org 1", "Org 2"]
    assert list(table.columns[:5]) == ["respondent_id", "organisation", "department", "wave",
                                       "language"]


def test_dont_know_in_a_scan_counts_as_not_answered(vd, tmp_path):
    """Issue 11.7: a form's "don't know" leaves the item out of the score, like a blank.

    Every item answered 4 (reverse-keyed 2), except two customer-intimacy items answered
    "don't know": the discipline scores stay 75 (hand: (4 - 1) / 4 × 100), as with those
    two items left blank, and the saved row reads back with the two as don't-knows.
    """
    answers = {i.id: (2 if i.reverse else 4) for i in vd.scored_items}
    blank = dict(answers)
    for item_id in ("VD-ci-1", "VD-ci-5"):
        answers[item_id] = "dont_know"
        del blank[item_id]
    scores = scan_scores(answers, [vd])
    assert scores["score"].round(1).tolist() == [75.0, 75.0, 75.0]
    assert scores["n"].tolist() == scan_scores(blank, [vd])["n"].tolist()
    path = tmp_path / "scan.csv"
    answers_frame(answers, [vd], "Case BV").to_csv(path, index=False)
    read = read_responses(path, [vd])
    assert read.problems == [] and read.dont_know["item"].tolist() == ["VD-ci-1", "VD-ci-5"]
