"""The cohort overview's citations and reference list (cohort.references_section, issue 11 points 3 and 6)."""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest

from assessment.core.references import reference_entry
from assessment.report.cohort import (
    cited_keys,
    disciplines_section,
    load_cohort_data,
    references_section,
)
from tests.conftest import full_rows


@pytest.fixture(scope="module")
def cohort_file(tmp_path_factory, alignment, disciplines):
    """Two organisations of four respondents answering both instruments."""
    rows = [r for k, org in enumerate(("Alfa BV", "Beta BV"))
            for r in full_rows(alignment, disciplines, org, 4, seed=90 + k)]
    path = tmp_path_factory.mktemp("cohort") / "cohort.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_profile_is_explained_and_its_sources_listed(cohort_file, lang):
    """The profile rule is Treacy & Wiersema's (1993), 'stuck in the middle' Porter's (1980); both listed in full."""
    cd = load_cohort_data(cohort_file, lang=lang)
    text = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"base64,[A-Za-z0-9+/=]+", "", disciplines_section(cd))))
    assert "Wiersema" in text and "(1993)" in text
    assert re.search(r"stuck in the middle\s*,? [^.]*Porter[^.]*\(1980\)", text)
    assert cited_keys(cd) == ["porter1980", "treacy1993"]
    html = references_section(cd)
    assert {"nl": "<h2>Literatuur</h2>", "en": "<h2>References</h2>"}[lang] in html
    for key in ("porter1980", "treacy1993"):
        assert reference_entry(key, lang) in html


def test_an_overview_that_cites_nothing_has_no_reference_list(tmp_path, alignment, disciplines):
    """Without the value-discipline answers no text cites a work: no empty 'References' heading."""
    rows = pd.DataFrame(full_rows(alignment, disciplines, "Gamma BV", 4, seed=5))
    rows = rows.drop(columns=[c for c in rows.columns if c.startswith("VD-")])
    path = tmp_path / "alignment_only.csv"
    rows.to_csv(path, index=False)
    cd = load_cohort_data(path, lang="en")
    assert cd.disciplines is None
    assert cited_keys(cd) == [] and references_section(cd) == ""
