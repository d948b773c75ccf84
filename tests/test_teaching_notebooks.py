"""The teaching notebooks follow the house rules; nbval runs them (pytest --nbval-lax)."""

from __future__ import annotations

import json
import re

import pytest

from assessment.core.config import PROJECT_ROOT

TEACHING = PROJECT_ROOT / "notebooks" / "teaching"
NOTEBOOKS = sorted(TEACHING.glob("[0-9][0-9]-*.ipynb"))
#: the kernelspec JupyterLab 4 writes for the generic python3 kernel: saving a notebook with any other
#: display name (e.g. "Python 3") rewrites it, and the notebook opens as modified (issue 17, item 6)
GENERIC_KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
ALL_NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*/*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"])


def test_nine_numbered_notebooks():
    """Issue 5: notebooks 1 to 9, numbered, each listed in notebooks/README.md."""
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{k:02d}" for k in range(1, 10)]
    readme = (PROJECT_ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"teaching/{path.name}" in readme, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_committed_clean_with_a_generic_kernel(path):
    """No outputs, no execution counts, the generic python3 kernelspec (STYLE 5)."""
    nb = load(path)
    assert nb["metadata"]["kernelspec"] == GENERIC_KERNEL
    for cell in code_cells(nb):
        assert cell["outputs"] == [] and cell["execution_count"] is None, cell["id"]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_is_what_jupyterlab_writes(path):
    """Issue 17, item 6: every notebook (teaching and reports) carries the kernelspec JupyterLab 4.x writes on save, display name "Python 3 (ipykernel)" (the name ipykernel's kernel.json gives the python3 kernel), so opening one does not mark it modified."""
    assert len(ALL_NOTEBOOKS) >= 11
    assert load(path)["metadata"]["kernelspec"] == GENERIC_KERNEL


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_shape(path):
    """Title, learning goals and time first; a `lang` parameters cell; a summary at the end."""
    nb = load(path)
    first = source(nb["cells"][0])
    assert first.startswith(f"# {int(path.name[:2])}. ")
    assert "**Learning goals.**" in first and "**Time:**" in first
    lang_cells = [c for c in code_cells(nb) if "parameters" in c["metadata"].get("tags", [])]
    assert len(lang_cells) == 1 and 'lang = "en"' in source(lang_cells[0])
    assert "## Summary" in source(nb["cells"][-1])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_first_cell_says_run_all_cells(path):
    """Issue 17, item 5: a notebook reopened with a fresh kernel shows "Error displaying widget: model not found" until it is run again, so the first cell a student sees (title, goals, time) says to run all cells after opening, with the menu path and the Dutch term."""
    first = source(load(path)["cells"][0])
    assert "**Run all cells after opening**" in first
    assert "*Run ▸ Run All Cells*" in first and "*alle cellen uitvoeren*" in first
    assert "model not found" in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_at_least_two_checked_exercises(path):
    """Issue 5: at least two exercises checked by a check_* function (notebook 9 wraps them in widgets for Voilà)."""
    code = "\n".join(source(c) for c in code_cells(load(path)))
    checks = re.findall(r"\bcheck_\w+\(", code) + re.findall(r"ExerciseForm\.\w+\(", code)
    assert len(checks) >= 2, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_no_logic_in_notebooks(path):
    """Notebooks hold narrative and short calls: no function or class definitions."""
    for cell in code_cells(load(path)):
        assert not re.search(r"^\s*(def|class|lambda)\b", source(cell), re.M), cell["id"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_checked_cells_carry_their_expected_output(path):
    """Every `# NBVAL_CHECK_OUTPUT` cell has the text it must print in its metadata, which notebooks/teaching/conftest.py hands to nbval (stripped notebooks have no stored output to compare)."""
    for cell in code_cells(load(path)):
        if "# NBVAL_CHECK_OUTPUT" in source(cell):
            expected = cell["metadata"].get("nbval", {}).get("expected_stdout")
            assert expected, cell["id"]


def test_examples_do_not_give_exercises_away():
    """Issue 17, item 4: a worked example in a notebook must not use an exercise's own scores (notebook 4 printed the profile of 82/61/55, exercise item (a)); the score sets are those of data/teaching/exercises.yaml."""
    from assessment.teaching.data import exercise

    for prefix, exercise_id in (("04", "profiles"),):
        path = next(p for p in NOTEBOOKS if p.name.startswith(prefix))
        code = [source(c) for c in code_cells(load(path))]
        for s in exercise(exercise_id)["sets"]:
            numbers = [str(v) for v in s["scores"].values()]
            for cell in code:
                assert not all(re.search(rf"\b{n}\b", cell) for n in numbers), (path.name, s["id"])


def test_the_profile_rule_is_shown_in_words():
    """Issue 17, item 4: notebook 4's worked example prints the profile with the rule's steps, not a raw ProfileResult(kind='leader', …)."""
    path = next(p for p in NOTEBOOKS if p.name.startswith("04"))
    printed = "".join(c["metadata"].get("nbval", {}).get("expected_stdout", "")
                      for c in code_cells(load(path)))
    assert "ProfileResult(" not in printed
    assert "at least 75? yes" in printed


def test_the_numbers_that_matter_are_checked():
    """The seed's worked example (25/55/20 → +5), the NPS margin, CLV and the incentive case are each in a checked cell."""
    expected = {
        "03": ["5.0\n", "12.9\n170\n"],
        "06": ["333.33\n", "49.8\n"],
        "08": ["14500.0"],
    }
    for prefix, snippets in expected.items():
        path = next(p for p in NOTEBOOKS if p.name.startswith(prefix))
        checked = "".join(c["metadata"].get("nbval", {}).get("expected_stdout", "")
                          for c in code_cells(load(path)))
        for snippet in snippets:
            assert snippet in checked, (prefix, snippet)
