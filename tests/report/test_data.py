"""Helpers of assessment/report/data.py: figures, stages and flags that agree (issue 11 point 14, issue 16)."""

from __future__ import annotations

import pytest

from assessment.analysis.stats import LOW_AGREEMENT
from assessment.core.instruments import load_instrument
from assessment.report.analysis_plots import _flagged
from assessment.report.analysis_sections import _reliability_text, gap_in_words, shown_gap
from assessment.report.data import below_as_shown, stage_score


@pytest.fixture(scope="module")
def al():
    return load_instrument("alignment")


@pytest.mark.parametrize(("score", "shown"), [
    (3.2, "3,2"),     # Aligned [2.5, 3.25): "3,2" is Aligned too
    (3.25, "3,25"),   # Integrated from 3.25 (alignment.yaml bands); "3,2" would read Aligned
    (3.26, "3,3"),    # "3,3" is Integrated: one decimal is enough
    (2.48, "2,48"),   # Defined; "2,5" would read Aligned
    (1.7467, "1,7"),  # Undefined; "1,7" reads Undefined as well
    (1.7496, "1,7"),
    (2.4996, "2,499"),  # Defined; "2,5", "2,50" and "2,500" would all read Aligned: cut off
    (4.0, "4,0"),
])
def test_stage_score_shows_the_precision_the_stage_needs(al, score, shown):
    """Bands from alignment.yaml: 1.75, 2.5, 3.25 start Defined, Aligned, Integrated (hand-checked)."""
    assert stage_score(score, al, "nl") == shown


def test_rwg_flag_follows_the_figure_shown():
    """Issue 16: 0.696 is shown as "0.70" and is not flagged as under 0.70; 0.694 ("0.69") is."""
    assert LOW_AGREEMENT == 0.70
    assert not below_as_shown(0.696, LOW_AGREEMENT)
    assert below_as_shown(0.694, LOW_AGREEMENT)
    assert _flagged(10, 0.696) == (False, False) and _flagged(10, 0.694) == (False, True)


def test_reliability_table_does_not_flag_a_shown_070():
    """The r_wg cell of the reliability table: '0,70' without the red flag (issue 16)."""
    from assessment.report import analysis_sections as a

    assert a._flag("0,70") != "0,70"  # the flag is visible markup
    cell = a.fmt(0.696, "nl", 2)
    assert cell == "0,70" and not below_as_shown(0.696, LOW_AGREEMENT)
    assert _reliability_text(0.734, 0.8, "en") == ("0.73", None)


def test_stated_gap_is_the_difference_of_the_figures_shown(al):
    """3.24 and 2.16 are shown as 3.2 and 2.2: the difference stated is 1.0 (not 1.08 → 1.1), and 1.0 on the 1–4 scale is 1⅓ stages of 0.75: "more than one stage", not "one and a half"."""
    assert shown_gap(3.24, 2.16) == 1.0
    assert gap_in_words(1.0, al, "nl") == "ruim een fase"
    assert gap_in_words(1.0, al, "en") == "more than one stage"
    assert gap_in_words(1.1, al, "nl") == "anderhalve fase"  # 1.47 stages
    assert gap_in_words(0.75, al, "nl") == "ongeveer een fase"
