"""Render an organisation report: check → execute the notebook (papermill) → export HTML.

Outputs are written to a temporary name and renamed, so no half-written report
ever appears under its final name.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from assessment.config import REPORT_NOTEBOOK, TEMPLATE_DIR, resolve_path
from assessment.exceptions import AssessmentError
from assessment.files import write_atomic
from assessment.i18n import check_lang, t
from assessment.sections import load_report_data

__all__ = ["RenderResult", "export_html", "render_report", "safe_name"]


@dataclass(frozen=True)
class RenderResult:
    """Paths of one rendered report."""

    notebook: Path
    html: Path


def safe_name(organisation: str, wave: str = "") -> str:
    """Return a file-name-safe version of an organisation name (and wave).

    Examples
    --------
    >>> safe_name("Bakkerij De Vries & Zn. B.V.")
    'bakkerij-de-vries-zn-b-v'
    >>> safe_name("Zoë's Café", "2026-Q1")
    'zoe-s-cafe_2026-q1'
    """

    def slug(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "organisation"

    return slug(organisation) + (f"_{slug(wave)}" if wave else "")


def export_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """Export an executed report notebook to standalone HTML with no code and no network use."""
    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_markdown=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook)
    return body


def render_report(
    responses_path: str | Path,
    organisation: str,
    out_dir: str | Path,
    lang: str = "nl",
    wave: str = "",
    notebook: Path = REPORT_NOTEBOOK,
    kernel_name: str = "python3",
) -> RenderResult:
    """Render one organisation's report as executed ``.ipynb`` and ``.html`` in ``out_dir``.

    Parameters
    ----------
    responses_path : str or Path
        The responses file.
    organisation : str
        The organisation, as named in the file (case-insensitive).
    out_dir : str or Path
        Folder for ``<safe-name>.ipynb`` and ``<safe-name>.html``.
    lang : {'nl', 'en'}
    wave : str, optional
        The wave, when the file has several.
    notebook : Path
        The report notebook to execute.
    kernel_name : str
        Jupyter kernel; the default ``python3`` runs in this Python.

    Returns
    -------
    RenderResult

    Raises
    ------
    AssessmentError
        When the organisation is unknown or the notebook fails (naming the cell).
    """
    import papermill as pm

    check_lang(lang)
    path = resolve_path(responses_path)
    rd = load_report_data(path, organisation, wave, lang)  # fail fast, before a kernel starts
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = safe_name(rd.organisation, rd.wave)
    with tempfile.TemporaryDirectory(prefix="assess-") as tmp:
        executed = Path(tmp) / f"{name}.ipynb"
        try:
            pm.execute_notebook(
                str(notebook),
                str(executed),
                parameters={
                    "responses_path": str(path),
                    "organisation": rd.organisation,
                    "wave": rd.wave,
                    "lang": lang,
                },
                kernel_name=kernel_name,
                progress_bar=False,
                cwd=str(notebook.parent),
                log_output=False,
            )
        except pm.PapermillExecutionError as exc:
            failed = out_dir / f"{name}.failed.ipynb"
            if executed.exists():
                write_atomic(failed, executed.read_bytes())
            raise AssessmentError(
                f"report of {rd.organisation!r} failed in cell {exc.exec_count}: "
                f"{exc.ename}: {exc.evalue} (partial notebook: {failed})"
            ) from None
        nb = nbformat.read(executed, as_version=4)
        html = export_html(nb, f"{rd.organisation} — {t('report_title', lang)}")
        result = RenderResult(notebook=out_dir / f"{name}.ipynb", html=out_dir / f"{name}.html")
        write_atomic(result.notebook, executed.read_bytes())
        write_atomic(result.html, html)
    (out_dir / f"{name}.failed.ipynb").unlink(missing_ok=True)
    return result
