"""Roadmap: the weakest dimensions, each to the next stage (DESIGN 6)."""

from __future__ import annotations

import pandas as pd
import pytest

from assessment.report.recommend import roadmap


def _scores(values: dict[tuple[str, str], float], alignment) -> pd.DataFrame:
    from assessment.core.scoring import stage_of

    rows = [
        {
            "instrument": "alignment",
            "level": "dimension",
            "interface": i,
            "dimension": d,
            "score": v,
        }
        for (i, d), v in values.items()
    ]
    frame = pd.DataFrame(rows)
    frame["stage"] = stage_of(frame["score"], alignment)
    return frame


def test_three_lowest_to_next_stage(alignment):
    """Hand-chosen scores: the three lowest (1.2, 2.0, 2.6) are picked; targets are current + 1."""
    s = _scores(
        {
            ("marketing_sales", "roles"): 2.6,
            ("marketing_sales", "goals"): 1.2,
            ("sales_service", "systems"): 2.0,
            ("sales_service", "culture"): 3.0,
            ("marketing_service", "knowledge"): 3.9,
        },
        alignment,
    )
    r = roadmap(s, alignment)
    assert r["dimension"].tolist() == ["goals", "systems", "roles"]
    assert r["target"].tolist() == ["defined", "aligned", "integrated"]
    assert r["recommendation"].iloc[0].from_ == "undefined"


def test_integrated_dimensions_are_skipped(alignment):
    """At the top stage there is no next step."""
    s = _scores({("marketing_sales", "roles"): 3.5, ("marketing_sales", "goals"): 4.0}, alignment)
    assert roadmap(s, alignment).empty


def test_not_rated_dimensions_are_skipped(alignment):
    """A dimension without a score gets no advice."""
    s = _scores(
        {("marketing_sales", "roles"): float("nan"), ("marketing_sales", "goals"): 2.0}, alignment
    )
    assert roadmap(s, alignment)["dimension"].tolist() == ["goals"]


def test_negative_n(alignment):
    """N must not be negative."""
    with pytest.raises(ValueError, match="n must be 0 or more"):
        roadmap(_scores({("marketing_sales", "roles"): 2.0}, alignment), alignment, n=-1)


def test_a_dimension_appears_once(alignment):
    """Hand-chosen: goals is weakest on two interfaces (1.2, 1.3); it appears once, then systems."""
    s = _scores({("marketing_sales", "goals"): 1.2, ("sales_service", "goals"): 1.3,
                 ("sales_service", "systems"): 2.0, ("marketing_service", "roles"): 2.6},
                alignment)
    r = roadmap(s, alignment)
    assert r["dimension"].tolist() == ["goals", "systems", "roles"]
    assert r["interface"].tolist() == ["marketing_sales", "sales_service", "marketing_service"]
