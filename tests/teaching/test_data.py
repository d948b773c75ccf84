"""The teaching data files: every exercise is complete, bilingual and consistent."""

from __future__ import annotations

import pytest

from assessment.core.instruments import load_instrument
from assessment.teaching.data import (
    _yaml,
    dimension_table,
    exercise,
    exercise_card,
    level_table,
    model_map,
    sales_role,
    sales_role_data,
    sales_role_matrix,
    steps_table,
)

BANK = sorted(_yaml("exercises.yaml"))
MATCHING = [e for e in BANK if exercise(e)["kind"] == "match"]


def test_there_are_matching_exercises():
    """The bank holds matching exercises for the test below to check."""
    assert MATCHING


@pytest.mark.parametrize("exercise_id", MATCHING)
def test_match_answers_are_choices(exercise_id):
    """Every situation's answer, and every prepared confusion, is one of the exercise's choices."""
    ex = exercise(exercise_id)
    choices = {c["id"] for c in ex["choices"]}
    for item in ex["items"]:
        assert item["answer"] in choices, item["id"]
        assert set(item.get("confusions", {})) <= choices - {item["answer"]}, item["id"]
        assert set(item["text"]) == set(item["why"]) == {"nl", "en"}


@pytest.mark.parametrize("exercise_id", [*BANK, "model_map", "stage_order"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_cards_render(exercise_id, lang):
    """Every exercise can be shown in both languages, with at least one thing to judge."""
    card = exercise_card(exercise_id, lang)
    assert card.title and (card.rows or exercise_id == "sample_size")


def test_instrument_choices_come_from_the_yaml():
    """Stages and disciplines are not repeated in the exercise file: they come from the YAML."""
    assert [c["id"] for c in exercise("stages")["choices"]] == [
        lv.id for lv in load_instrument("alignment").levels]
    assert [c["id"] for c in exercise("discipline_cases")["choices"]] == [
        d.id for d in load_instrument("value_disciplines").dimensions]


def test_every_case_fits_the_matrix():
    """Every sales-role case names a size and complexity of the matrix, and the matrix has a role for every cell (seed 003, figures 1.11 and 1.12)."""
    data = sales_role_data()
    roles = {r["id"] for r in data["roles"]}
    for c in exercise("sales_roles")["cases"]:
        assert sales_role(c["size"], c["complexity"]) in roles
    assert sales_role_matrix("en").shape == (3, 3)
    with pytest.raises(ValueError, match="size must be one of"):
        sales_role("huge", "simple")


def test_model_map():
    """The map lists every model with its sources as short cites and its notebook; the notebooks exist (2–9)."""
    table = model_map("nl")
    assert list(table.columns) == ["Model", "Bron", "Notebook"]
    assert table["Bron"].str.match(r"\(.+, (\d{4}|z\.d\.)\)$").all()  # "(Roseboom, z.d.)", never "003"
    assert {int(n.split()[0]) for n in table["Notebook"]} == set(range(2, 10))


def test_unknown_exercise():
    """An unknown exercise id is an error listing the known ones."""
    with pytest.raises(KeyError, match="no exercise 'nope'; exercises: advice, chain"):
        exercise("nope")


def test_tables_from_the_yaml():
    """Dimensions, stages with their bands (DESIGN 3.1: 1.75, 2.5, 3.25) and the steps come from the instrument files, in the chosen language."""
    dims = dimension_table("value_disciplines", "en", implications=True)
    assert list(dims.columns) == ["Dimension", "Marketing", "Sales", "Service"]
    assert list(dimension_table("value_disciplines", "nl").columns) == ["Dimensie", "Wat het is"]
    levels = level_table("alignment", "nl")
    assert levels["Scoreband"].tolist() == ["1,00–1,75", "1,75–2,50", "2,50–3,25", "3,25–4,00"]
    steps = steps_table("alignment", "undefined", "en")
    assert len(steps) == 7 and steps["Source"].str.match(r"\(.+, (\d{4}|n\.d\.)\)$").all()
    assert not steps["Source"].str.contains("seed", case=False).any()  # issue 11, point 6
    with pytest.raises(ValueError, match="from_level must be one of"):
        steps_table("alignment", "integrated", "en")


def test_steps_table_per_interface():
    """Issue 11 point 1: the steps are the chosen interface's.

    Marketing–sales by default, as in notebook 5; sales–service advice names service,
    marketing–sales advice does not.
    """
    ms = steps_table("alignment", "defined", "en")
    ss = steps_table("alignment", "defined", "en", interface="sales_service")
    column = ms.columns[1]
    assert not ms[column].str.contains("service").any()
    assert ss[column].str.contains("service").all()
    with pytest.raises(ValueError, match="interface must be one of"):
        steps_table("alignment", "defined", "en", interface="finance")
