"""Sources of marketing–sales tension (seed 001), tagged in the YAML."""

from __future__ import annotations

import pandas as pd
import pytest

from assessment.analysis.stats import describe_scores
from assessment.analysis.tension import TENSION_SOURCES, tension_profile
from assessment.core.scoring import score_respondents


def test_every_marketing_sales_item_is_tagged(alignment):
    """Seed 001 names three sources; every marketing–sales item carries one (the YAML's tags)."""
    ms = [i for i in alignment.items if i.interface == "marketing_sales"]
    assert all(i.tension in TENSION_SOURCES for i in ms)
    assert {i.tension for i in ms} == set(TENSION_SOURCES)


def test_weakest_source_by_hand(alignment):
    """Hand calculation: every economic item answered 1, cultural 3, organisational 2.

    Source scores 1, 3, 2 (every respondent answers alike): the economic source weighs most.
    """
    by_source = {"economic": 1.0, "cultural": 3.0, "organisational": 2.0}
    rows = []
    for k in range(4):
        row = {"organisation": "T", "wave": "", "department": "sales", "respondent_id": str(k)}
        for item in alignment.items:
            row[item.id] = by_source.get(item.tension, 2.0)
        rows.append(row)
    described = describe_scores(score_respondents(pd.DataFrame(rows), alignment), n_boot=20)
    profile = tension_profile(described)
    assert profile["source"].tolist() == list(TENSION_SOURCES)
    assert profile.set_index("source")["score"].to_dict() == pytest.approx(by_source)
    assert profile.loc[profile["weakest"], "source"].tolist() == ["economic"]
    assert (profile["interface"] == "marketing_sales").all()


def test_every_source_has_its_texts():
    """Each source has a name, an adjective and a meaning in both languages (seed 001's wording)."""
    from assessment.core.i18n import messages

    for source in TENSION_SOURCES:
        for suffix in ("", "_adj", "_means"):
            assert set(messages()[f"tension_{source}{suffix}"]) == {"nl", "en"}
