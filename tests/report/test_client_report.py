"""The organisation report as a client reads it (issue 11, points 10, 11, 13 and 14).

Fixtures:

- ``tests/report/small_client.csv``: a 6-person client, the example file's Lindeboom
  Accountants with one respondent moved from management to service, so that its departments
  are marketing 1, sales 2, service 3 (made with the csv module from
  ``data/examples/responses.csv``; answers unchanged).
- the example file's Lindeboom Accountants as it is: management 1, marketing 1, sales 2,
  service 2 (no two groups of 3 can be formed at all).
- the example file's Delta Meettechniek (25 respondents, ten organisations in the file).

Every section is rendered as in ``notebooks/reports/organisation_report.ipynb``; the client
text is the HTML without tags plus the text of every embedded chart.
"""

from __future__ import annotations

import base64
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from assessment.core.config import PROJECT_ROOT
from assessment.core.scoring import stage_of
from assessment.report import analysis_sections, sections
from assessment.report.data import shown_sections

SMALL = Path(__file__).with_name("small_client.csv")
EXAMPLES = PROJECT_ROOT / "data" / "examples" / "responses.csv"
SECTIONS = [(sections, "cover"), (sections, "executive_summary"),
            (sections, "alignment_section"), (analysis_sections, "departments_section"),
            (sections, "disciplines_section"), (analysis_sections, "loyalty_section"),
            (analysis_sections, "comparison_section"), (sections, "roadmap_section"),
            (sections, "methodology_section")]


def whole(rd) -> dict[str, str]:
    """Every section's HTML, by name, in the report notebook's order."""
    return {name: getattr(module, name)(rd) for module, name in SECTIONS}


def client_text(html: str) -> str:
    """What a reader sees: the text without tags, plus the text inside each embedded chart."""
    charts = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    svg_text = [" ".join(re.findall(r">([^<>]+)<", base64.b64decode(c).decode("utf-8")))
                for c in charts]
    text = re.sub(r"data:image/[^\"']+", "", html)
    text = re.sub(r"<[^>]+>", " ", text)
    return unescape(" ".join([text, *svg_text]))


@pytest.fixture(scope="module")
def lindeboom(tmp_path_factory) -> Path:
    """The example file's Lindeboom Accountants alone (management 1, marketing 1, sales 2, service 2)."""
    frame = pd.read_csv(EXAMPLES, dtype=str, keep_default_na=False)
    path = tmp_path_factory.mktemp("lindeboom") / "lindeboom.csv"
    frame[frame["organisation"] == "Lindeboom Accountants"].to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def reports(lindeboom) -> dict[tuple[str, str], dict[str, str]]:
    """Rendered sections of the three cases in Dutch and English."""
    cases = {"small": (SMALL, "Lindeboom Accountants"),
             "lindeboom": (lindeboom, "Lindeboom Accountants"),
             "delta": (EXAMPLES, "Delta Meettechniek")}
    out = {}
    for case, (path, org) in cases.items():
        for lang in ("nl", "en"):
            rd = sections.load_report_data(path, org, lang=lang)
            out[(case, lang)] = whole(rd) | {"_shown": ",".join(shown_sections(rd))}
    return out


# --------------------------------------------------------------------------- point 10


def test_small_client_compares_marketing_and_sales_with_service(reports):
    """Marketing 1 + sales 2 = 3 and service 3 (by construction): departments cannot be shown one by one under the minimum of 3, so the report compares those two groups, says why on the cover's terms, and never leads with a pooled "other"."""
    nl = reports[("small", "nl")]
    assert "6 (Marketing en sales 3, Service 3)" in client_text(nl["cover"])
    assert "Overig" not in client_text(nl["cover"])
    assert "Waar de groepen het meest verschillen" in nl["executive_summary"]
    assert "Overige afdelingen samen" not in nl["executive_summary"]
    assert ("Daarom vergelijkt dit rapport marketing en sales samen (3 respondenten) met "
            "service (3 respondenten)") in nl["departments_section"]
    en = reports[("small", "en")]
    assert "6 (Marketing and sales 3, Service 3)" in client_text(en["cover"])


def test_no_two_groups_of_three_says_plainly_why(reports):
    """Management 1, marketing 1, sales 2, service 2: marketing and sales 3 against service 2, management 1 against 5 others; no split gives two groups of 3 (hand count), so nothing is compared, the cover lists no group and no "Overig 6", and the summary says why."""
    nl = reports[("lindeboom", "nl")]
    cover = client_text(nl["cover"])
    assert "6 (groepen kleiner dan 3 niet apart getoond)" in cover and "Overig" not in cover
    assert ("Geen vergelijking tussen groepen: met 6 respondenten zijn geen twee groepen van "
            "elk minstens 3 te vormen") in nl["executive_summary"]
    assert "Alle cijfers in dit rapport gaan daarom over de organisatie als geheel" in (
        nl["departments_section"])
    en = reports[("lindeboom", "en")]
    assert "6 (groups smaller than 3 not shown separately)" in client_text(en["cover"])


# --------------------------------------------------------------------------- point 11


def test_one_organisation_without_waves_has_no_comparison_section(reports):
    """The small client's file holds one organisation and no waves: the comparison section is left out (empty), the numbering skips it, and the methodology says so in one line each."""
    nl = reports[("small", "nl")]
    assert nl["comparison_section"] == ""
    assert "comparison" not in nl["_shown"].split(",")
    method = client_text(nl["methodology_section"])
    assert "Geen vergelijking met andere organisaties: het bestand bevat alleen deze organisatie" in method
    assert "Geen verandering in de tijd: er is geen eerdere meting" in method
    assert "ICC" not in method  # no column of a statistic that needs other organisations
    en = client_text(reports[("small", "en")]["methodology_section"])
    assert "No comparison with other organisations: the file holds only this organisation" in en


def test_waves_without_waves_are_left_out(reports):
    """Delta's file holds ten organisations (a rank) but no waves: the section shows the rank only, under its own title, with no paragraph about a previous measurement."""
    nl = reports[("delta", "nl")]
    comparison = nl["comparison_section"]
    assert "Plaats tussen de organisaties in dit bestand</h2>" in comparison
    assert "meting" not in client_text(comparison).replace("zelfde meting", "")
    assert "Geen verandering in de tijd" in nl["methodology_section"]


# --------------------------------------------------------------------------- point 13

#: internal words that must not reach a client (in any language unless said)
INTERNAL = [r"koppelvlak", r"\bje\b", r"\bjouw\b", r"organisatie\(s\)", r"organisation\(s\)",
            r"kolom wave", r"column wave", r"\bcustomer_loyalty\b", r"\bvalue_disciplines\b",
            r"\balignment \d", r"Vragenlijst alignment", r"Instrument alignment",
            r"\b(?:MS|SS|MV|VD|LOY)-[a-z]+-\d", r"Waardestrategie", r"waardestrategie",
            r"Overig \(samengevoegd\)", r"Other \(pooled\)"]


@pytest.mark.parametrize("case", ["small", "lindeboom", "delta"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_client_text_has_no_internal_words(reports, case, lang):
    """Glossary (docs/glossary.md): no internal labels, instrument or item ids, "koppelvlak", or the informal "je"/"jouw" in what a client reads, in either language."""
    text = client_text("".join(v for k, v in reports[(case, lang)].items() if k != "_shown"))
    found = {p: re.findall(rf".{{0,30}}{p}.{{0,30}}", text) for p in INTERNAL}
    assert not {p: f for p, f in found.items() if f}


def test_declared_choice_names_who_said_it(reports):
    """The small client has no management respondent: the report says "according to the respondents", never "Management declares"; Delta's management answered (the example generator's catalogue), so there it is management's word."""
    small = reports[("small", "en")]["executive_summary"]
    assert "According to the respondents, the chosen discipline is" in small
    assert "Management declares" not in small
    assert "Volgens het management is er gekozen voor" in reports[("delta", "nl")]["executive_summary"]


# --------------------------------------------------------------------------- point 14

STAGE_CELL = re.compile(r"(\d[.,]\d+)(?:</b>)? · <span class=\"chip\"[^>]*></span>([^<\s]+)")


@pytest.mark.parametrize("case", ["small", "delta"])
def test_every_score_shown_carries_the_stage_of_that_figure(reports, case):
    """Each "score · stage" in the score table: the stage of the figure as printed (bands of the alignment YAML) is the stage printed beside it, e.g. 2,48 · Gedefinieerd, not 2,5 · Gedefinieerd."""
    from assessment.core.instruments import load_instrument

    al = load_instrument("alignment")
    labels = {lv.label.get("nl"): lv.id for lv in al.levels}
    cells = STAGE_CELL.findall(reports[(case, "nl")]["alignment_section"])
    assert len(cells) == 24  # 7 dimensions + the index, × 3 interfaces
    for figure, label in cells:
        assert stage_of(float(figure.replace(",", ".")), al) == labels[label], (figure, label)


def test_stated_difference_is_the_difference_of_the_figures_shown(reports):
    """Every gap row "high x · low y · d (words)": d equals x − y as printed."""
    html = reports[("delta", "en")]["departments_section"]
    rows = re.findall(r"<td>[^<]+ (\d\.\d)</td><td>[^<]+ (\d\.\d)</td><td>(\d\.\d) \(", html)
    assert rows
    for high, low, gap in rows:
        assert float(gap) == pytest.approx(float(high) - float(low), abs=1e-9)


def test_change_stated_is_the_change_of_the_figures_shown():
    """Waves example (data/examples/waves.csv): each row "before · after · change [interval]" states the change of the two figures as printed."""
    rd = sections.load_report_data(PROJECT_ROOT / "data" / "examples" / "waves.csv",
                                   "Veldhoven Machinebouw", wave="2026-Q3", lang="en")
    html = analysis_sections.comparison_section(rd)
    assert "Change since the previous wave</h2>" in html  # three organisations: no rank part
    rows = re.findall(r"<td>(\d+(?:\.\d)?)</td><td>(\d+(?:\.\d)?)</td><td>([+−]?\d+(?:\.\d)?) <span", html)
    assert rows
    for before, after, change in rows:
        assert float(change.replace("−", "-")) == pytest.approx(float(after) - float(before), abs=1e-9)
