"""One report through the batch's machinery (assessment.batch.single): the same report, made faster.

The reference is :func:`assessment.report.render.render_report`, the plain path: a normal
kernel that reads, checks, scores and analyses the file itself. ``render_one`` must write
the same HTML, byte for byte, and the same notebook apart from the times papermill and the
kernel record (they differ between any two runs).
"""

from __future__ import annotations

import json

import pytest

from assessment.batch.single import render_one
from assessment.core.config import EXAMPLE_RESPONSES
from assessment.core.exceptions import AssessmentError
from assessment.report.render import render_report

#: the smallest organisation of the example file (a short render)
ORG = "Lindeboom Accountants"


def _without_times(path) -> dict:
    """Return the notebook without the run's times (papermill's and the kernel's, per cell)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for meta in [nb["metadata"]["papermill"], *(c["metadata"].get("papermill", {})
                                                for c in nb["cells"])]:
        for key in ("start_time", "end_time", "duration"):
            meta.pop(key, None)
    for cell in nb["cells"]:
        cell["metadata"].pop("execution", None)
    return nb


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The English report of one example organisation, rendered both ways."""
    tmp = tmp_path_factory.mktemp("single")
    plain = render_report(EXAMPLE_RESPONSES, ORG.lower(), tmp / "plain", lang="en")
    fast = render_one(EXAMPLE_RESPONSES, ORG.lower(), tmp / "fast", lang="en")
    return plain, fast


def test_same_html_as_the_plain_path(both):
    """The HTML is byte-identical to render_report's (same file name, same organisation spelling).

    Expected: render_report's output for the same file, organisation and language.
    """
    plain, fast = both
    assert fast.html.name == plain.html.name
    html = plain.html.read_bytes()
    assert ORG.encode("utf-8") in html
    assert fast.html.read_bytes() == html


def test_same_notebook_and_no_prepared_parameter(both):
    """The notebook equals render_report's apart from run times; no ``prepared`` value in it.

    Expected: render_report's notebook (its parameters never held ``prepared``), with the
    times removed from both.
    """
    plain, fast = both
    nb = _without_times(fast.notebook)
    assert nb == _without_times(plain.notebook)
    assert "prepared" not in nb["metadata"]["papermill"]["parameters"]
    text = fast.notebook.read_text(encoding="utf-8")
    assert "assess-report-" not in text and ".pkl" not in text  # the private file's path


def test_unknown_organisation_fails_before_a_kernel_starts(tmp_path):
    """An unknown organisation: AssessmentError listing the file's organisations, no output.

    Expected: the message of render_report (assessment.report.data.load_report_data) for the
    same case: "no accepted rows for organisation ..." and the names in the file.
    """
    with pytest.raises(AssessmentError, match="no accepted rows for organisation 'Nobody'") as err:
        render_one(EXAMPLE_RESPONSES, "Nobody", tmp_path / "out")
    assert ORG in str(err.value)
    assert not (tmp_path / "out").exists()


def test_bad_target_stages_fail_before_a_kernel_starts(tmp_path):
    """A target stage for an unknown interface: AssessmentError, as render_report raises.

    Expected: the message of assessment.report.recommend.parse_target_stages naming the
    unknown interface.
    """
    with pytest.raises(AssessmentError, match="nowhere"):
        render_one(EXAMPLE_RESPONSES, ORG, tmp_path / "out", target_stages="nowhere=aligned")
    assert not (tmp_path / "out").exists()
