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
    assert "gemiddelde van haar beoordeelde dimensies" in nl


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
    """No customer-loyalty answers, so no loyalty section; one organisation without waves, so no comparison section (issue 11 point 11): the six sections shown are numbered 1 to 6."""
    rd = report(partly, lang)
    assert "loyalty" not in shown_sections(rd) and "comparison" not in shown_sections(rd)
    assert _numbers(whole_report(rd)) == [1, 2, 3, 4, 5, 6]


def test_section_numbers_with_every_section():
    """The example file's Delta Meettechniek answered all three instruments: all eight sections of REPORT-OUTLINE, numbered 1 to 8."""
    rd = sections.load_report_data(PROJECT_ROOT / "data" / "examples" / "responses.csv",
                                   "Delta Meettechniek", lang="en")
    assert shown_sections(rd) == ("summary", "alignment", "departments", "disciplines", "loyalty",
                                  "comparison", "roadmap", "methodology")
    assert _numbers(whole_report(rd)) == [1, 2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_data_quality_counts_dont_know(tmp_path, lang):
    """Issue 11.7: the data-quality table says how many answers were "don't know" and their share.

    Hand-made: three respondents answer every alignment item (42) with 2; one of them gives
    "weet ik niet" on 3 items: 3 of 126 answers given = 2.4% (hand calculation). A file
    without any don't-know shows no such row.
    """
    al = load_instrument("alignment")
    rows = [{"respondent_id": f"D{k}", "organisation": ORG, "department": "sales",
             **{i.id: 2 for i in al.scored_items}} for k in range(3)]
    for item in al.scored_items[:3]:
        rows[0][item.id] = "weet ik niet"
    path = tmp_path / "dk.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    html = unescape(sections.data_quality(report(path, lang)))
    expected = {"nl": "3 (2,4% van de gegeven antwoorden)", "en": "3 (2.4% of the answers given)"}
    assert expected[lang] in html
    rows[0].update({i.id: 2 for i in al.scored_items[:3]})
    pd.DataFrame(rows).to_csv(path, index=False)
    assert "weet ik niet" not in unescape(sections.data_quality(report(path, "nl"))).casefold()


def _roadmap_rows(html: str) -> list[str]:
    """The first cell (dimension and interface) of each roadmap table row, as text."""
    body = html.split('class="roadmap"><thead>', 1)[1].split("<tbody>", 1)[1]
    return [re.sub(r"<[^>]+>", " ", cell).split() for cell in
            re.findall(r"<tr><td>(.*?)</td>", body)]


def test_roadmap_without_target_says_none_was_set(partly):
    """Issue 11 point 5: without a target the roadmap says so.

    Not every organisation needs the top stage (Kotler, Rackham & Krishnaswamy 2006), and
    the next stage is shown everywhere.
    """
    html = sections.roadmap_section(report(partly))
    assert "Not every organisation needs the top stage" in html
    assert "Kotler, Rackham & Krishnaswamy, 2006" in unescape(html)
    assert "No target stage was set for this report" in html


def test_roadmap_with_a_chosen_target(partly):
    """Target Defined for every interface: enough for one, worth it for another.

    Marketing–sales is at Defined (six dimensions 2, culture 3: index 15/7 = 2.14, DESIGN 3.1
    bands): the current stage is enough. Marketing–service is at Undefined (1, 1, 2, 2:
    1.5): the next stage is worth it, and only its two cells under Defined (roles,
    communication at 1.0) get a step, with marketing–service advice (fixture answers).
    """
    rd = sections.load_report_data(partly, ORG, lang="en", target_stages="defined")
    html = sections.roadmap_section(rd)
    assert ("<b>Marketing and sales</b>: now Defined, target Defined. The current stage is "
            "enough here") in html
    assert "<b>Marketing and service</b>: now Undefined, target Defined. The next stage is worth it." in html
    assert "These dimensions already reach the target and get no step: shared systems" in html
    assert html.count("(agreed target)") == 1  # the same basis for all: said once
    rows = [" ".join(r) for r in _roadmap_rows(html)]
    assert rows == ["Roles and decision rights Marketing and service",
                    "Communication and meetings Marketing and service"]
    al = load_instrument("alignment")
    advice = al.recommendation("marketing_service", "roles", "undefined").actions[0].en
    assert advice in unescape(html)


def test_roadmap_target_suggested_from_the_file(partly, tmp_path):
    """12 employees and simple sales suggest Defined; the report says why, in Dutch.

    Columns employees and verkoopcomplexiteit; the rule of docs/instrument-format.md
    "Target stages".
    """
    rows = pd.read_csv(partly)
    rows["employees"] = 12
    rows["verkoopcomplexiteit"] = "eenvoudig"
    path = tmp_path / "sized.csv"
    rows.to_csv(path, index=False)
    rd = sections.load_report_data(path, ORG, lang="nl")
    assert rd.targets["sales_service"] == ("defined", "suggested")
    html = sections.roadmap_section(rd)
    assert "voorgesteld op grond van 12 medewerkers en een eenvoudige verkoop" in html
    assert "De huidige fase is hier genoeg" in html
    # a chosen target wins over the suggestion, for the interface it names
    rd = sections.load_report_data(path, ORG, lang="nl", target_stages="MS=integrated")
    assert rd.targets["marketing_sales"] == ("integrated", "chosen")
    assert rd.targets["marketing_service"] == ("defined", "suggested")


def test_summary_actions_follow_the_targets(partly):
    """With target Defined, the actions to start with come from cells under Defined only.

    Those are the two marketing–service cells at 1.0 (fixture answers).
    """
    rd = sections.load_report_data(partly, ORG, lang="en", target_stages="defined")
    html = sections.executive_summary(rd)
    actions = html.split("<ol>", 1)[1].split("</ol>", 1)[0]
    assert actions.count("<li>") == 2
    assert actions.count("Marketing and service") == 2


def test_unknown_target_stage_is_refused(partly):
    """A wrong target_stages names the part and what is allowed (no traceback for a typo)."""
    from assessment.core.exceptions import AssessmentError

    with pytest.raises(AssessmentError, match="'perfect' is not a stage; allowed: undefined"):
        sections.load_report_data(partly, ORG, target_stages="perfect")


def test_roadmap_target_reached_with_a_dimension_below(partly, tmp_path):
    """An interface at its target can still have a dimension under it; only that one gets a step.

    Marketing–sales roles answered 1 instead of 2: index (1 + 5 × 2 + 3) / 7 = 2.0, Defined
    (DESIGN 3.1), the target; roles (1.0, Undefined) is named and is the roadmap's first row.
    """
    rows = pd.read_csv(partly)
    for column in rows.columns:
        if column.startswith("MS-roles-"):
            rows[column] = 1
    path = tmp_path / "roles.csv"
    rows.to_csv(path, index=False)
    rd = sections.load_report_data(path, ORG, lang="en", target_stages="defined")
    html = sections.roadmap_section(rd)
    assert ("<b>Marketing and sales</b>: now Defined, target Defined. The current stage is enough "
            "here") in html
    assert "Only these dimensions are still below the target: roles and decision rights." in html
    assert " ".join(_roadmap_rows(html)[0]) == "Roles and decision rights Marketing and sales"


def test_rejection_reasons_in_the_reports_language(tmp_path):
    """A Dutch report gives the reasons rows were rejected in Dutch; the English one as before.

    Hand-made: three complete respondents and a fourth that repeats the first's id (a
    duplicate, rejected; the English reason is the rejected-rows table's own). Expected
    texts: locales/ingest.yaml ("staat dubbel in", "ook op rij 2"), the id as its pseudonym
    R1 (the report never shows an id).
    """
    al = load_instrument("alignment")
    rows = [{"respondent_id": f"D{k}", "organisation": ORG, "department": "sales",
             **{i.id: 2 for i in al.scored_items}} for k in range(3)]
    rows.append({**rows[0]})
    path = tmp_path / "dup.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    nl = unescape(sections.data_quality(report(path, "nl")))
    en_report = report(path, "en")
    en = unescape(sections.data_quality(en_report))
    assert f"respondent R1 staat dubbel in '{ORG}': ook op rij 2" in nl
    assert "duplicate" not in nl
    [reason] = en_report.responses.rejected["reason"]
    assert reason.replace("'D0'", "R1") in en
