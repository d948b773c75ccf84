"""One report the way a batch renders each of its reports: read and score once, a forked kernel.

``assess report`` used to read, check and score the file in its own process (to fail fast
on an unknown organisation), then start a cold Jupyter kernel that imported pandas,
matplotlib and this package and read, checked, scored and analysed the file once more.
:func:`render_one` does what :func:`assessment.batch.run.run_batch` does for each report:

1. start the kernel zygote (:mod:`assessment.batch.kernels`) first, so that its library
   imports run beside the reading of the file;
2. read and check the file once, analyse the organisation against its cohort once
   (:func:`~assessment.analysis.whole_file.organisation_context`);
3. hand the kernel that analysis in a prepared file
   (:func:`~assessment.report.prepared.write_prepared`, in a private folder removed at the
   end) and run the notebook in a kernel forked from the zygote.

The report is the same as when the kernel reads the file (tested): the notebook's
``prepared`` parameter is hidden from the delivered notebook, as if it had not been passed.
"""

from __future__ import annotations

from pathlib import Path

from assessment.batch.kernels import ForkKernelManager, start_zygote
from assessment.batch.lifetime import private_folder
from assessment.batch.worker import report_parameters, skip_slow_imports
from assessment.core.config import REPORT_NOTEBOOK, resolve_path
from assessment.core.exceptions import OutputExists
from assessment.core.files import report_names
from assessment.core.i18n import check_lang, t
from assessment.core.privacy import check_mode

__all__ = ["render_one"]


def render_one(responses_path: str | Path, organisation: str, out_dir: str | Path,
               lang: str = "nl", wave: str = "", notebook: Path = REPORT_NOTEBOOK,
               formats: tuple[str, ...] = ("html",), min_group_size: int = 3,
               norms: str = "", norms_sector: str = "", comments: str = "redacted",
               target_stages: str = "", force: bool = False):
    """Render one organisation's report as :func:`assessment.report.render.render_report` does.

    Same parameters, outputs and errors; faster: the file is read and analysed once, and
    the kernel is forked from a parent that imported its libraries while the file was read.
    Unlike ``render_report`` (which a student's widget calls again and again), an existing
    report of the organisation in ``out_dir`` is replaced only with ``force``.

    Returns
    -------
    RenderResult

    Raises
    ------
    OutputExists
        When the report's notebook, HTML or PDF is in ``out_dir`` already and ``force`` is
        false; checked before a kernel starts, and nothing is written.
    """
    check_lang(lang)
    check_mode(comments)
    skip_slow_imports()
    start_zygote()  # its imports (about as long as reading the file) overlap with the rest
    from assessment.analysis.whole_file import organisation_context
    from assessment.core.ingest import read_responses
    from assessment.report.data import answered_instruments, chosen_targets, report_rows
    from assessment.report.prepared import PreparedReport, write_prepared
    from assessment.report.render import render_notebook

    path = resolve_path(responses_path)
    responses = read_responses(path)
    # fail fast, before a kernel starts
    data, wave = report_rows(responses, organisation, wave)
    chosen_targets(answered_instruments(responses, data), target_stages)
    org = str(data["organisation"].iloc[0])
    context = organisation_context(responses.data, responses.instruments, org, wave,
                                   min_group_size=min_group_size)
    keys = responses.data[["organisation", "wave"]].drop_duplicates()
    name = report_names(keys.itertuples(index=False, name=None))[(org, wave)]
    existing = [p for p in (Path(out_dir) / f"{name}.{suffix}" for suffix in ("ipynb", *formats))
                if p.exists()]
    if existing and not force:
        raise OutputExists(existing)
    parameters = report_parameters(str(path), org, wave, lang=lang,
                                   min_group_size=min_group_size, comments=comments,
                                   norms=norms, norms_sector=norms_sector,
                                   target_stages=target_stages)
    with private_folder("assess-report-") as work:
        prepared = write_prepared(PreparedReport(org, wave, responses.restricted_to(org), context),
                                  work / f"{name}.pkl")
        return render_notebook(notebook, {**parameters, "prepared": str(prepared)}, out_dir,
                               name, f"{org} — {t('report_title', lang)}", formats,
                               kernel_manager_class=ForkKernelManager, hidden=("prepared",),
                               warm=True)
