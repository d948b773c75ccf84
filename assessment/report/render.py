"""Render report notebooks: check → execute (papermill, one fresh kernel) → export HTML (→ PDF).

Outputs are written to a temporary name and renamed, so no half-written report
ever appears under its final name. A failed notebook is kept as
``<name>.failed.ipynb`` with a ``<name>.log`` naming the cell and the error.
"""

from __future__ import annotations

import tempfile
import threading
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from assessment.core.config import REPORT_NOTEBOOK, TEMPLATE_DIR, resolve_path
from assessment.core.exceptions import AssessmentError
from assessment.core.files import report_names, safe_name, write_atomic
from assessment.core.i18n import check_lang, t

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

__all__ = [
    "RenderError",
    "RenderResult",
    "export_html",
    "public_parameters",
    "render_notebook",
    "render_report",
    "safe_name",
    "warm_exporter",
]


@dataclass(frozen=True)
class RenderResult:
    """Paths of one rendered report (``pdf`` is None unless asked for)."""

    notebook: Path
    html: Path
    pdf: Path | None = None
    extra: dict = field(default_factory=dict)

    @property
    def outputs(self) -> list[Path]:
        """Every file written."""
        return [p for p in (self.notebook, self.html, self.pdf) if p is not None]


class RenderError(AssessmentError):
    """A report notebook failed.

    Attributes
    ----------
    name : str
        The report's file name (without suffix).
    cell : int or None
        Execution count of the failing cell.
    error : str
        ``ExceptionName: message``.
    partial : Path or None
        The partial, executed notebook kept for inspection.
    log : Path or None
        A log with the traceback.
    """

    def __init__(self, name: str, error: str, cell: int | None = None,
                 partial: Path | None = None, log: Path | None = None):
        self.name, self.error, self.cell, self.partial, self.log = name, error, cell, partial, log
        where = f"in cell {cell}" if cell is not None else "before any cell ran"
        keep = f" (partial notebook: {partial})" if partial else ""
        super().__init__(f"{name}: failed {where}: {error}{keep}")


class KernelStartError(AssessmentError):
    """The kernel did not start or died before running the notebook."""


def export_html(notebook: nbformat.NotebookNode, title: str, lang: str = "en") -> str:
    """Export an executed report notebook to standalone HTML with no code and no network use.

    ``lang`` sets the page's language (``<html lang>``), so browsers hyphenate and read it
    aloud correctly. The page is then made accessible (:mod:`assessment.report.accessible`):
    no Tab stops on output areas, tables that scroll by themselves, a contents list, English
    terms marked as English.
    """
    from assessment.report import accessible

    notebook.metadata["title"] = title
    body, _ = _exporter(lang).from_notebook_node(notebook)
    body = accessible.strip_output_tabindex(body)
    body = accessible.scrollable_tables(body, lang)
    body = accessible.add_contents(body, lang)
    return accessible.mark_english(body, lang)


def warm_exporter(lang: str) -> None:
    """Export a one-cell notebook in ``lang``, so that the next export finds its templates loaded.

    The first export of a process loads and compiles nbconvert's templates and filters
    (about 1 s); :func:`render_notebook` can do it while the kernel runs.
    """
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": "<p></p>", "text/plain": ""})])])
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    export_html(nb, "", lang)


def _warm_quietly(lang: str) -> None:
    """:func:`warm_exporter`; a failure shows in the report's own export, not here."""
    try:
        warm_exporter(lang)
    except Exception:  # noqa: BLE001, S110 - only a head start
        pass


@lru_cache(maxsize=4)
def _exporter(lang: str) -> HTMLExporter:
    """One exporter per language and process: compiling its templates costs ~0.2 s.

    nbconvert is imported here, not with this module (about 0.8 s): ``assess report`` does
    so in a thread while the kernel runs (:func:`warm_exporter`).
    """
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_markdown=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,
    )


#: parameters that name a file on this machine
PATH_PARAMETERS = ("responses_path", "prepared")


def public_parameters(parameters: dict, hidden: tuple[str, ...] = ()) -> dict:
    """Return the parameters as a delivered notebook shows them: no machine path.

    A path can hold a client's name or a user's; the kernel needs it, a reader does
    not. The responses file is named by its file name only; ``prepared`` (a private
    temporary file of a batch) is left empty. Parameters named in ``hidden`` are left out.

    Examples
    --------
    >>> public_parameters({"responses_path": "/home/ann/Acme/answers.csv", "lang": "en",
    ...                    "prepared": "/tmp/assess-batch-x/acme.pkl"})
    {'responses_path': 'answers.csv', 'lang': 'en', 'prepared': ''}
    >>> public_parameters({"lang": "en", "prepared": "/tmp/x.pkl"}, hidden=("prepared",))
    {'lang': 'en'}
    """
    out = {k: v for k, v in parameters.items() if k not in hidden}
    if out.get("responses_path"):
        out["responses_path"] = Path(str(out["responses_path"])).name
    if "prepared" in out:
        out["prepared"] = ""
    return out


def _scrub_paths(nb: nbformat.NotebookNode, parameters: dict, name: str,
                 hidden: tuple[str, ...] = ()) -> None:
    """Remove machine paths from an executed notebook: its parameters and papermill's record."""
    from papermill.translators import translate_parameters

    public = public_parameters(parameters, hidden)
    record = nb.metadata.get("papermill")
    if record is not None:
        record["input_path"] = Path(str(record.get("input_path") or "")).name
        record["output_path"] = f"{name}.ipynb"
        record["parameters"] = public
    for cell in nb.cells:  # papermill gives its injected cell a random id
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
            cell["source"] = translate_parameters("python3", "python", public, "Parameters")


def _execute(notebook: Path, executed: Path, parameters: dict, kernel_name: str,
             kernel_manager_class: type | None = None) -> None:
    import papermill as pm

    extra = {}
    if kernel_manager_class is not None:
        extra["kernel_manager_class"] = kernel_manager_class
        # the notebook is complete when the last cell is: stop the kernel, don't wait on it
        extra["shutdown_kernel"] = "immediate"
    try:
        pm.execute_notebook(str(notebook), str(executed), parameters=parameters,
                            kernel_name=kernel_name, progress_bar=False, log_output=False,
                            cwd=str(notebook.parent),
                            # written once at the end (also when a cell fails), not per cell
                            request_save_on_cell_execute=False,
                            # the kernel's own start-up warnings are noise for report users
                            extra_arguments=["--IPKernelApp.log_level=ERROR"], **extra)
    except pm.PapermillExecutionError:
        raise
    except Exception as exc:  # kernel did not start or died: worth one retry
        if executed.exists() and _ran_any_cell(executed):
            raise
        raise KernelStartError(f"kernel failed to start: {type(exc).__name__}: {exc}") from exc


def _ran_any_cell(path: Path) -> bool:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return False
    return any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def render_notebook(notebook: Path, parameters: dict, out_dir: str | Path, name: str,
                    title: str, formats: tuple[str, ...] = ("html",), printer=None,
                    kernel_name: str = "python3", retries: int = 1,
                    kernel_manager_class: type | None = None,
                    hidden: tuple[str, ...] = (), warm: bool = False) -> RenderResult:
    """Execute ``notebook`` with ``parameters`` in a fresh kernel and write its outputs.

    Parameters
    ----------
    notebook : Path
        A parameterised report notebook.
    parameters : dict
        Papermill parameters.
    out_dir : str or Path
        Where ``<name>.ipynb``, ``<name>.html`` (and ``<name>.pdf``) go.
    name : str
        File name without suffix.
    title : str
        HTML title.
    formats : tuple of str
        ``"html"`` always; ``"pdf"`` adds a PDF printed by ``printer``.
    printer : PdfPrinter, optional
        An open :class:`assessment.report.pdf.PdfPrinter`; one is started when needed.
    kernel_name : str
        The default ``python3`` runs in this Python.
    retries : int
        Extra attempts when the kernel fails to start (not when a cell fails).
    kernel_manager_class : type, optional
        A jupyter_client kernel manager class to start the kernel with (stopped at once
        when the notebook is done). The batch passes
        :class:`assessment.batch.kernels.ForkKernelManager`, which forks a fresh kernel per
        report from a pre-loaded, data-free parent; the default starts a normal kernel.
    hidden : tuple of str
        Parameters the kernel gets but the delivered notebook leaves out, as if they had
        not been passed (``assess report`` hides the ``prepared`` file it hands the kernel).
    warm : bool
        Load the HTML exporter's templates (:func:`warm_exporter`) in a thread while the
        kernel runs: for a process that renders one report, on a machine with a core to spare.

    Raises
    ------
    RenderError
        Naming the failing cell; the partial notebook and a log are kept in ``out_dir``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    failed, log = out_dir / f"{name}.failed.ipynb", out_dir / f"{name}.log"
    warming = None
    if warm:
        warming = threading.Thread(target=_warm_quietly, args=(parameters.get("lang", "en"),),
                                   name="warm-exporter", daemon=True)
        warming.start()
    with tempfile.TemporaryDirectory(prefix="assess-") as tmp:
        executed = Path(tmp) / f"{name}.ipynb"
        for attempt in range(retries + 1):
            try:
                _execute(notebook, executed, parameters, kernel_name, kernel_manager_class)
                break
            except KernelStartError as exc:
                if attempt == retries:
                    write_atomic(log, f"{exc}\n\n{traceback.format_exc()}")
                    raise RenderError(name, str(exc), log=log) from None
            except Exception as exc:
                cell = getattr(exc, "exec_count", None)
                error = (f"{exc.ename}: {exc.evalue}" if hasattr(exc, "ename")
                         else f"{type(exc).__name__}: {exc}")
                partial = None
                if executed.exists():
                    nb = nbformat.read(executed, as_version=4)
                    _scrub_paths(nb, parameters, name, hidden)
                    write_atomic(failed, nbformat.writes(nb))
                    partial = failed
                write_atomic(log, f"{name}: failed in cell {cell}: {error}\n\n"
                             f"{traceback.format_exc()}")
                raise RenderError(name, error, cell, partial, log) from None
        nb = nbformat.read(executed, as_version=4)
        _scrub_paths(nb, parameters, name, hidden)
        if warming is not None:
            warming.join()  # one export at a time: an exporter is not thread-safe
        html = export_html(nb, title, parameters.get("lang", "en"))
        result = RenderResult(notebook=out_dir / f"{name}.ipynb", html=out_dir / f"{name}.html",
                              pdf=out_dir / f"{name}.pdf" if "pdf" in formats else None)
        write_atomic(result.notebook, nbformat.writes(nb))
        write_atomic(result.html, html)
    if result.pdf is not None:
        if printer is None:
            from assessment.report.pdf import html_to_pdf

            html_to_pdf(result.html, result.pdf)
        else:
            printer.print(result.html, result.pdf)
    failed.unlink(missing_ok=True)
    log.unlink(missing_ok=True)
    return result


def render_report(responses_path: str | Path, organisation: str, out_dir: str | Path,
                  lang: str = "nl", wave: str = "", notebook: Path = REPORT_NOTEBOOK,
                  kernel_name: str = "python3", formats: tuple[str, ...] = ("html",),
                  printer=None, min_group_size: int = 3, norms: str = "",
                  norms_sector: str = "", comments: str = "redacted",
                  target_stages: str = "") -> RenderResult:
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
    formats : tuple of str
        ``("html",)`` or ``("html", "pdf")``.
    printer : PdfPrinter, optional
        An open printer to reuse for PDF.
    min_group_size : int
        Anonymity: department figures only for groups of at least this many respondents.
    norms, norms_sector : str
        A norm store to compare with (:mod:`assessment.norms`), and the sector of the norm
        group; without ``norms`` the notebook gets neither parameter.
    comments : {'redacted', 'verbatim', 'none'}
        How comments are shown (:mod:`assessment.core.privacy`).
    target_stages : str
        Target stage per interface for the roadmap (the notebook's ``target_stages``
        parameter, :func:`assessment.report.recommend.parse_target_stages`); empty: suggested
        from the file, if it says the organisation's size or sale complexity.

    Returns
    -------
    RenderResult

    Raises
    ------
    AssessmentError
        When the organisation is unknown; :class:`RenderError` when the notebook fails.
    """
    check_lang(lang)
    path = resolve_path(responses_path)
    from assessment.report.data import load_report_data  # pandas: not in a batch's workers

    # fail fast, before a kernel starts
    rd = load_report_data(path, organisation, wave, lang, comments=comments,
                          target_stages=target_stages)
    keys = rd.responses.data[["organisation", "wave"]].drop_duplicates()
    name = report_names(keys.itertuples(index=False, name=None))[(rd.organisation, rd.wave)]
    parameters = {"responses_path": str(path), "organisation": rd.organisation,
                  "wave": rd.wave, "lang": lang, "min_group_size": min_group_size,
                  "comments": comments}
    if norms:
        parameters |= {"norms": norms, "norms_sector": norms_sector}
    if target_stages:
        parameters["target_stages"] = target_stages
    return render_notebook(notebook, parameters, out_dir, name,
                           f"{rd.organisation} — {t('report_title', lang)}", formats, printer,
                           kernel_name)
