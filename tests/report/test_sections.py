"""The report's sections for a partly answered form: indexes say what they rest on, numbering follows.

Issue 17, item 2. The fixture is a self-assessment-like file in which whole dimensions of one
interface are unanswered, as notebook 9 produces when a student skips part of a tab.
"""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest

from assessment.core.config import PROJECT_ROOT
from assessment.core.instruments import load_instrument
from assessment.report import analysis_sections, plots, sections
from assessment.report.data import index_basis, shown_sections

ORG = "Half & Co"
#: marketing–service: only these four dimensions answered (roles 1, communication 1, systems 2, goals 2)
MSVC_ANSWERS = {"roles": 1, "communication": 1, "systems": 2, "goals": 2}
SECTIONS = ["cover", "executive_summary", "alignment_section", "departments_section",
            "disciplines_section", "loyalty_section", "comparison_section", "roadmap_section",
            "methodology_section"]


def _answer(item) -> int | None:
    """Marketing–sales and sales–service: 2 on every dimension, 3 on culture; marketing–service: MSVC_ANSWERS."""
    if item.interface == "marketing_service":
        return MSVC_ANSWERS.get(item.dimension)
    return 3 if item.dimension == "culture" else 2


@pytest.fixture(scope="module")
def partly(tmp_path_factory):
    """Three respondents who left knowledge, processes and culture of marketing–service unanswered."""
    al, vd = load_instrument("alignment"), load_instrument("value_disciplines")
    rows = []
    for k, dept in enumerate(["marketing", "sales", "service"]):
        row = {"respondent_id": f"H{k}", "organisation": ORG, "department": dept}
        row |= {i.id: _answer(i) for i in al.scored_items}
        row |= {i.id: 4 if i.dimension == "customer_intimacy" else 3 for i in vd.scored_items}
        rows.append(row)
    path = tmp_path_factory.mktemp("partly") / "partly.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def report(path, lang="en"):
    return sections.load_report_data(path, ORG, lang=lang)


def whole_report(rd) -> str:
    """Every section in the order of notebooks/reports/organisation_report.ipynb."""
    out = []
    for name in SECTIONS:
        module = sections if hasattr(sections, name) else analysis_sections
        out.append(getattr(module, name)(rd))
    return "".join(out)


def test_index_basis_counts_rated_dimensions(partly):
    """Hand count: marketing–service has 4 of its 7 dimensions rated; the other interfaces all 7."""
    rd = report(partly)
    basis = index_basis(rd.scores_of(rd.alignment))
    assert basis.loc["marketing_service", ["rated", "total"]].tolist() == [4, 7]
    assert basis.loc["marketing_sales", ["rated", "total"]].tolist() == [7, 7]
    assert basis.loc["marketing_service", "missing"] == ("knowledge", "processes", "culture")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_summary_says_what_an_index_rests_on(partly, lang):
    """Marketing–service: (1 + 1 + 2 + 2) / 4 = 1.5 from 4 of 7 dimensions (hand calculation); the summary says so and names the 3 unrated ones; complete interfaces get no such remark."""
    html = unescape(sections.executive_summary(report(partly, lang)))
    items = re.findall(r"<li>(.*?)</li>", html)
    msvc = next(i for i in items if ("Marketing and service" if lang == "en"
                                     else "Marketing en service") in i)
    if lang == "en":
        assert "(1.5 of 4)" in msvc
        assert ("This index rests on 4 of the 7 dimensions. Not rated: shared language and knowledge; "
                "joint processes and planning; culture and leadership.") in msvc
    else:
        assert "(1,5 van 4)" in msvc
        assert "berust op 4 van de 7 dimensies. Niet beoordeeld: gedeelde taal en kennis;" in msvc
    others = [i for i in items if i is not msvc and ("of the 7" in i or "van de 7" in i)]
    assert others == []


def test_strongest_dimension_says_where_it_was_rated(partly):
    """Culture: 3 in marketing–sales and sales–service, not rated in marketing–service: mean 3.0 over 2 of the 3 interfaces, the strongest (hand calculation); the sentence says it rests on 2 of 3 interfaces instead of leaving one out silently."""
    html = unescape(sections.executive_summary(report(partly)))
    assert ("<b>culture and leadership</b> is the strongest dimension (3.0; rated in 2 of the 3 "
            "interfaces)") in html


def test_methodology_does_not_claim_seven_dimensions(partly):
    """The methodology describes the index as the mean of the rated dimensions (scoring: fewer than half rated gives no index), not "the mean of its seven dimensions"."""
    html = sections.methodology_section(report(partly))
    assert "mean of its seven dimensions" not in html
    assert "mean of its rated dimensions" in html
    nl = sections.methodology_section(report(partly, "nl"))
    assert "gemiddelde van zijn beoordeelde dimensies" in nl


def test_table_marks_the_index_basis_and_unrated_cells(partly):
    """The all-scores table: 3 'not rated' cells (marketing–service), and its index cell says 4 of 7 dimensions."""
    html = unescape(sections.alignment_section(report(partly)))
    start = html.index('<table class="scores">')
    table = html[start:html.index("</table>", start)]
    assert table.count("not rated") == 3
    index_row = table[table.index("Interface index"):]
    assert index_row.count("4 of 7 dimensions") == 1


def test_charts_mark_unrated_dimensions(partly):
    """The ladder writes '1.5 (4 of 7 dimensions)' beside marketing–service; the radar names the unrated spokes (3 knowledge, 4 processes, 7 culture: the YAML's order) and does not draw them at the centre."""
    rd = report(partly)
    s = rd.scores_of(rd.alignment)
    ladder = plots.stage_ladder(s, rd.alignment, "en")
    texts = [x.get_text() for x in ladder.axes[0].texts]
    assert "1.5 (4 of 7 dimensions)" in texts and "2.1" in texts
    radar = plots.radar(s, rd.alignment, "en")
    msvc = radar.axes[2]
    assert any(x.get_text() == "not rated: 3, 4, 7" for x in msvc.texts)
    line = msvc.lines[0].get_xydata()
    assert pd.isna(line[[2, 3, 6]]).all() and not pd.isna(line[[0, 1, 4, 5]]).any()
    full = plots.radar(s, rd.alignment, "en").axes[0]
    assert not any(x.get_text().startswith("not rated") for x in full.texts)


def _numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<h2>(\d+)\. ", html)]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_section_numbers_follow_the_sections_shown(partly, lang):
    """No customer-loyalty answers, so no loyalty section: the seven sections shown are numbered 1 to 7 (not 1–4, 6–8)."""
    rd = report(partly, lang)
    assert "loyalty" not in shown_sections(rd)
    assert _numbers(whole_report(rd)) == [1, 2, 3, 4, 5, 6, 7]


def test_section_numbers_with_every_section():
    """The example file's Delta Meettechniek answered all three instruments: all eight sections of REPORT-OUTLINE, numbered 1 to 8."""
    rd = sections.load_report_data(PROJECT_ROOT / "data" / "examples" / "responses.csv",
                                   "Delta Meettechniek", lang="en")
    assert shown_sections(rd) == ("summary", "alignment", "departments", "disciplines", "loyalty",
                                  "comparison", "roadmap", "methodology")
    assert _numbers(whole_report(rd)) == [1, 2, 3, 4, 5, 6, 7, 8]
