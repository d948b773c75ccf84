"""The report's citations and reference list (sections.references_section, issue 11 point 6).

The example organisation Delta Meettechniek (data/examples/responses.csv: all three instruments,
25 respondents) is rendered section by section, as notebooks/reports/organisation_report.ipynb
does, in Dutch and English.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from assessment.core.config import EXAMPLE_RESPONSES
from assessment.core.references import reference_entry, references, short_cite
from assessment.report import analysis_sections, sections

ORG = "Delta Meettechniek"
#: the notebook's section cells before the reference list, in its order
SECTIONS = ["cover", "executive_summary", "alignment_section", "departments_section",
            "disciplines_section", "loyalty_section", "comparison_section", "roadmap_section",
            "methodology_section"]


def _text(html: str) -> str:
    """What a reader sees: tags and the charts' base64 data left out, entities decoded."""
    html = re.sub(r"base64,[A-Za-z0-9+/=]+", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture(scope="module", params=["nl", "en"])
def rendered(request):
    """(report data, body text before the reference list, reference list HTML) in one language."""
    rd = sections.load_report_data(EXAMPLE_RESPONSES, ORG, lang=request.param)
    body = []
    for name in SECTIONS:
        module = sections if hasattr(sections, name) else analysis_sections
        body.append(getattr(module, name)(rd))
    return rd, _text("".join(body)), sections.references_section(rd)


def _cited(key: str, text: str, lang: str) -> bool:
    """Whether ``text`` cites ``key``: "(A & B, 2006)", grouped "(A & B, 1993, 1995)" or "A … (2006)"."""
    who, year = short_cite(key, lang).rsplit(", ", 1)
    first = re.escape(who.split(",")[0].split(" & ")[0].removesuffix(" et al."))
    grouped = re.escape(who) + r", (?:[^;()]*?, )?" + re.escape(year) + r"(?!\d)"
    narrative = first + r"[^()]{0,40}\(" + re.escape(year) + r"\)"
    return bool(re.search(grouped, text) or re.search(narrative, text))


def test_no_internal_source_labels(rendered):
    """No 'seed', no 'bron 0..', no 'Bron:' label: literature is cited by author and year (DESIGN 2)."""
    rd, body, refs_html = rendered
    text = body + _text(refs_html)
    assert not re.search(r"\bseed\b", text, re.IGNORECASE), re.search(r".{60}\bseed\b.{60}", text, re.I)
    assert not re.search(r"\bbron \d|\bsource \d|\bBron:", text)


def test_the_reference_list_holds_exactly_the_works_cited(rendered):
    """Every work cited in the text is in the list, in full, and the list holds nothing uncited."""
    rd, body, refs_html = rendered
    cited = {k for k in references() if _cited(k, body, rd.lang)}
    listed = sections.cited_keys(rd)
    assert set(listed) == cited
    assert {"kotler2006", "treacy1993", "porter1980", "reichheld2003", "art001"} <= cited
    for key in listed:
        assert reference_entry(key, rd.lang) in refs_html
    heading = {"nl": "Literatuur", "en": "References"}[rd.lang]
    assert f"<h2>{heading}</h2>" in refs_html


def test_tension_is_a_cause_not_a_source(rendered):
    """Dutch 'bron' is kept for literature; a source of tension is an 'oorzaak' (issue 11, point 6)."""
    rd, body, _ = rendered
    if rd.lang == "nl":
        assert "oorzaak" in body and "spanningsbron" not in body.lower()
        assert not re.search(r"\bbron(nen)?\b[^.]{0,40}spanning|spanning[^.]{0,40}\bbron", body)


def test_nps_is_not_called_satisfaction_and_the_cut_offs_are_explained(rendered):
    """Reichheld (2003) set the NPS against satisfaction surveys; 9 and 6 come from his research."""
    rd, body, _ = rendered
    if rd.lang == "nl":
        assert "niet hoe tevreden" in body and "De grenzen 9 en 6 komen uit zijn onderzoek" in body
    else:
        assert "not how satisfied" in body and "The cut-offs 9 and 6 come from his research" in body


def test_stuck_in_the_middle_is_porters_term(rendered):
    """'Stuck in the middle' is attributed to Porter (1980), never to Treacy and Wiersema."""
    rd, body, _ = rendered
    for m in re.finditer(r"stuck in the middle", body):
        around = body[max(0, m.start() - 200):m.end() + 120]  # the sentence naming it
        assert re.search(r"Porter('s| words)*\W{0,9}\(1980\)", around), around
    assert not re.search(r"Treacy (en|and) Wiersema (noemen|call) (dat|this)", body)
