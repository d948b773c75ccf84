"""The report notebook: parameters, papermill execution, HTML without code or network use."""

from __future__ import annotations

import re

import papermill as pm
import pytest

from assessment.core.config import REPORT_NOTEBOOK
from assessment.core.exceptions import AssessmentError
from assessment.report.render import render_report, safe_name


def test_documented_parameters():
    """papermill.inspect_notebook shows the ten documented, typed parameters with defaults.

    Issue 4 added ``min_group_size: int = 3`` (anonymity, DESIGN 5); issue 3's batch speed-up
    added ``prepared`` (empty unless ``assess batch`` sets it); issue 10 (case 5) added
    ``comments: str = "redacted"``; issue 15 (norms) added ``norms`` and ``norms_sector``
    (empty: no comparison); issue 11 (point 5) added ``target_stages`` (empty: suggested
    from the file, else the next stage). The README lists each of them.
    """
    params = pm.inspect_notebook(str(REPORT_NOTEBOOK))
    assert list(params) == ["responses_path", "organisation", "wave", "lang", "min_group_size",
                            "comments", "prepared", "norms", "norms_sector", "target_stages"]
    types = {name: p["inferred_type_name"] for name, p in params.items()}
    assert types == {"responses_path": "str", "organisation": "str", "wave": "str",
                     "lang": "str", "min_group_size": "int", "comments": "str",
                     "prepared": "str", "norms": "str", "norms_sector": "str",
                     "target_stages": "str"}
    assert params["prepared"]["default"] == params["norms"]["default"] == '""'
    assert params["target_stages"]["default"] == '""'
    assert params["comments"]["default"] == '"redacted"'
    readme = (REPORT_NOTEBOOK.parents[2] / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in params)

    assert params["lang"]["default"] == '"nl"'
    assert params["min_group_size"]["default"] == "3"
    assert all(p["help"] for p in params.values())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, alignment, disciplines):
    """Render the English report of a fixture organisation once for the checks below."""
    import pandas as pd

    from tests.conftest import full_rows

    tmp = tmp_path_factory.mktemp("render")
    rows = full_rows(alignment, disciplines, "Fixture & Zn. B.V.", 8, seed=11)
    rows += full_rows(alignment, disciplines, "Other Org", 6, seed=12)
    data = tmp / "responses.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    result = render_report(data, "fixture & zn. b.v.", tmp / "out", lang="en")
    return result, result.html.read_text(encoding="utf-8")


def test_report_files(rendered):
    """`<safe-name>.ipynb` and `.html` are written, nothing else is left behind."""
    result, _ = rendered
    assert result.html.name == "fixture-zn-b-v.html"
    assert result.notebook.exists()
    assert sorted(p.name for p in result.html.parent.iterdir()) == [
        "fixture-zn-b-v.html",
        "fixture-zn-b-v.ipynb",
    ]


def test_html_has_no_code_and_names_the_organisation(rendered):
    """No input cells, no prompts, no code; the organisation's name (escaped) is in the HTML."""
    _, html = rendered
    assert "Fixture &amp; Zn. B.V." in html
    assert "jp-InputArea" not in html and "jp-CodeCell-input" not in html
    assert "sections.load_report_data" not in html and "import " not in html
    assert "Executive summary" in html and "Roadmap" in html


def test_html_makes_no_network_request(rendered):
    """No script, stylesheet link or remote image: charts are embedded data URIs."""
    _, html = rendered
    assert "<script" not in html
    assert not re.search(r"<link[^>]+href=", html)
    assert not re.search(r'src="(?!data:)', html)
    assert html.count('src="data:image/svg+xml;base64,') >= 4


def test_html_has_no_warnings_or_tracebacks(rendered):
    """A client report shows no Python warnings, tracebacks or DataFrame reprs."""
    _, html = rendered
    for marker in ("Warning", "Traceback", "dataframe", "<pre>"):
        assert marker not in html


def test_papermill_directly(tmp_path, fixture_csv):
    """The notebook also runs with plain papermill, in Dutch, for an organisation in the file."""
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(REPORT_NOTEBOOK),
        str(out),
        progress_bar=False,
        parameters={
            "responses_path": str(fixture_csv),
            "organisation": "Tweede Organisatie",
            "lang": "nl",
        },
    )
    text = out.read_text(encoding="utf-8")
    assert "Samenvatting voor het management" in text and "Tweede Organisatie" in text


def test_unknown_organisation_lists_known(fixture_csv, tmp_path):
    """An unknown organisation fails before a kernel starts, naming the ones in the file."""
    with pytest.raises(AssessmentError, match="organisations in the file: Fixture BV, Tweede"):
        render_report(fixture_csv, "Nobody", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bad_language(fixture_csv, tmp_path):
    """Only nl and en are report languages."""
    with pytest.raises(ValueError, match="lang must be 'nl' or 'en'"):
        render_report(fixture_csv, "Fixture BV", tmp_path, lang="de")


def test_safe_name_is_stable():
    """File names are ASCII slugs; waves are appended."""
    assert safe_name("Ünïcode  Org!") == "unicode-org"
    assert safe_name("A", "2026 Q1") == "a_2026-q1"


def test_kernel_that_does_not_start_is_retried_once(monkeypatch, tmp_path):
    """A kernel that fails to start once is retried; the second attempt renders the report."""
    import assessment.report.render as render

    real = render._execute
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise render.KernelStartError("kernel failed to start: simulated")
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "_execute", flaky)
    from assessment.core.config import EXAMPLE_RESPONSES

    params = {"responses_path": str(EXAMPLE_RESPONSES), "organisation": "Delta Meettechniek",
              "wave": "", "lang": "en"}
    result = render.render_notebook(REPORT_NOTEBOOK, params, tmp_path, "delta", "Delta")
    assert len(calls) == 2 and result.html.exists()


def test_missing_kernel_fails_with_a_log(tmp_path, fixture_csv):
    """A kernel that never starts: RenderError saying so, a log kept, no report written."""
    from assessment.report.render import RenderError, render_notebook

    params = {"responses_path": str(fixture_csv), "organisation": "Fixture BV", "wave": "",
              "lang": "en"}
    with pytest.raises(RenderError, match="kernel failed to start"):
        render_notebook(REPORT_NOTEBOOK, params, tmp_path / "out", "fixture", "Fixture",
                        kernel_name="no-such-kernel")
    assert (tmp_path / "out" / "fixture.log").exists()
    assert not (tmp_path / "out" / "fixture.html").exists()


def test_html_declares_its_language(rendered):
    """An English report says lang="en" (a Dutch one lang="nl"; see render.export_html)."""
    _, html = rendered
    assert '<html lang="en"' in html
