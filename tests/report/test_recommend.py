"""Roadmap: the weakest dimensions, each to the next stage (DESIGN 6)."""

from __future__ import annotations

import pandas as pd
import pytest

from assessment.report.recommend import (
    organisation_facts,
    parse_target_stages,
    resolve_targets,
    roadmap,
    suggest_target,
)

LEVELS = ["undefined", "defined", "aligned", "integrated"]


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


def test_each_cell_gets_its_interfaces_advice(alignment):
    """Issue 11 point 1: each cell gets the advice of its own interface.

    Goals weak on two interfaces (1.2, 1.3, hand-chosen) gives two rows; the advice differs
    per interface, so both are kept.
    """
    s = _scores({("marketing_sales", "goals"): 1.2, ("sales_service", "goals"): 1.3,
                 ("sales_service", "systems"): 2.0, ("marketing_service", "roles"): 2.6},
                alignment)
    r = roadmap(s, alignment)
    assert r["dimension"].tolist() == ["goals", "goals", "systems"]
    assert r["interface"].tolist() == ["marketing_sales", "sales_service", "sales_service"]
    assert [rec.interface for rec in r["recommendation"]] == r["interface"].tolist()
    assert r["recommendation"].iloc[0] != r["recommendation"].iloc[1]


def test_cells_at_their_target_get_no_step(alignment):
    """Issue 11 point 5: a cell at its interface's target stage gets no step.

    With marketing–sales aimed at Aligned, its Aligned cell (2.6) gets no step and its
    Defined cell (2.0) does; sales–service, without a target, still gets the step from
    Aligned to Integrated (hand-chosen scores).
    """
    s = _scores({("marketing_sales", "roles"): 2.6, ("marketing_sales", "goals"): 2.0,
                 ("sales_service", "culture"): 3.0}, alignment)
    r = roadmap(s, alignment, targets={"marketing_sales": "aligned", "sales_service": None})
    assert list(zip(r["interface"], r["dimension"], r["target"], strict=True)) == [
        ("marketing_sales", "goals", "aligned"), ("sales_service", "culture", "integrated")]
    assert r["goal"].iloc[0] == "aligned" and pd.isna(r["goal"].iloc[1])


def test_every_cell_at_target_gives_an_empty_roadmap(alignment):
    """A target of Defined everywhere and no cell below it: nothing to advise."""
    s = _scores({("marketing_sales", "roles"): 2.0, ("sales_service", "goals"): 3.0}, alignment)
    assert roadmap(s, alignment, targets=dict.fromkeys(
        ["marketing_sales", "sales_service", "marketing_service"], "defined")).empty


@pytest.mark.parametrize(("employees", "complexity", "expected"), [
    (12, "simple", "defined"),       # small and simple: two steps below the top
    (12, "complex", "aligned"),      # small only
    (12, None, "aligned"),
    (49, None, "aligned"),           # the EU's small enterprise: fewer than 50 staff
    (50, None, "integrated"),
    (400, "simple", "aligned"),      # simple sales only
    (None, "simple", "aligned"),
    (400, "complex", "integrated"),
    (None, None, None),              # nothing known: no target
    (float("nan"), None, None),
])
def test_suggest_target(employees, complexity, expected):
    """The rule of docs/instrument-format.md "Target stages", worked out by hand.

    The top stage, one lower for fewer than 50 staff, one lower for simple sales.
    """
    assert suggest_target(employees, complexity, LEVELS) == expected


def test_suggest_target_refuses_an_unknown_complexity():
    """Only simple, complex or None."""
    with pytest.raises(ValueError, match="complexity must be"):
        suggest_target(10, "medium", LEVELS)


def test_parse_target_stages(alignment):
    """Ids, codes and labels in either language, case-insensitive; one stage means all."""
    assert parse_target_stages("", alignment) == {}
    assert parse_target_stages("Afgestemd", alignment) == dict.fromkeys(
        ["marketing_sales", "sales_service", "marketing_service"], "aligned")
    assert parse_target_stages("ms=defined, SALES_SERVICE = Geïntegreerd", alignment) == {
        "marketing_sales": "defined", "sales_service": "integrated"}
    assert parse_target_stages({"MV": "aligned"}, alignment) == {"marketing_service": "aligned"}


@pytest.mark.parametrize(("text", "message"), [
    ("perfect", "target stage 'perfect' is not a stage; allowed: undefined, defined"),
    ("finance=aligned", "'finance' is not an interface; allowed: marketing_sales"),
    ("marketing_sales=aligned, defined", "'defined' is not interface=stage"),
    ("MS=best", "target stage 'best' is not a stage"),
])
def test_parse_target_stages_names_the_mistake(alignment, text, message):
    """A wrong value names the part not understood and what is allowed."""
    with pytest.raises(ValueError, match=message):
        parse_target_stages(text, alignment)


def test_resolve_targets_chosen_wins(alignment):
    """A chosen target wins; the others take the suggestion, or none without one."""
    assert resolve_targets(alignment, {"marketing_sales": "defined"}, "aligned") == {
        "marketing_sales": ("defined", "chosen"), "sales_service": ("aligned", "suggested"),
        "marketing_service": ("aligned", "suggested")}
    assert resolve_targets(alignment, {}, None)["sales_service"] == (None, "none")


def test_organisation_facts():
    """One value per organisation is used; blanks are ignored; different values count as none."""
    rows = pd.DataFrame({"employees": pd.array([12, pd.NA, 12], dtype="Int64"),
                         "sale_complexity": ["simple", "complex", None]})
    assert organisation_facts(rows) == (12.0, None)
    assert organisation_facts(pd.DataFrame({"organisation": ["A"]})) == (None, None)
