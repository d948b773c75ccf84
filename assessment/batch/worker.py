"""What a batch's render worker runs: one report per call, in a process of its own.

Kept apart from :mod:`assessment.batch.run` so that a worker loads only what rendering needs
(papermill, nbconvert, the kernel zygote), not pandas or matplotlib: those live in the
main process, which analyses the file, and in the kernels, which draw the charts. An
item and the function travel to the worker by pickle, which imports this module only.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing.util
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BatchItem", "init_worker", "render_item", "skip_slow_imports", "warm_worker"]


@dataclass(frozen=True)
class BatchItem:
    """One report to render: an organisation × wave, or the cohort overview."""

    kind: str
    name: str
    organisation: str
    wave: str
    notebook: str
    parameters: dict
    title: str
    digest: str
    formats: tuple[str, ...]


_PRINTER = None


def _printer():
    """One headless Chromium per worker process, opened on first use, closed at exit."""
    global _PRINTER
    if _PRINTER is None:
        from assessment.report.pdf import PdfPrinter

        _PRINTER = PdfPrinter().__enter__()
        # a worker process runs multiprocessing's finalizers at exit, not atexit handlers
        multiprocessing.util.Finalize(None, _PRINTER.__exit__, (None, None, None),
                                      exitpriority=1)
    return _PRINTER


def report_parameters(responses_path: str, organisation: str, wave: str, *, lang: str,
                      min_group_size: int, comments: str, norms: str = "",
                      norms_sector: str = "", target_stages: str = "") -> dict:
    """Return the report notebook's parameters for one organisation × wave (batch, single)."""
    params = {"responses_path": responses_path, "organisation": organisation, "wave": wave,
              "lang": lang, "min_group_size": min_group_size, "comments": comments}
    if norms:
        params |= {"norms": norms, "norms_sector": norms_sector}
    if target_stages:
        params["target_stages"] = target_stages
    return params


def skip_slow_imports() -> None:
    """Keep jsonschema from building rfc3987-syntax's grammar in a render worker (1.7 s).

    nbformat imports jsonschema, whose format checker imports ``rfc3987_syntax`` when it
    is installed (JupyterLab brings it), and that module builds a Lark parser on import.
    Notebook validation checks no format it provides; jsonschema goes without it when the
    import fails.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def render_item(item: BatchItem, out_dir: str) -> dict:
    """Render one item (runs in a worker); never raises: failures come back as a dict."""
    skip_slow_imports()
    from assessment.batch.kernels import ForkKernelManager
    from assessment.report.render import RenderError, render_notebook

    start = time.perf_counter()
    result = {"kind": item.kind, "organisation": item.organisation, "wave": item.wave,
              "hash": item.digest, "started": dt.datetime.now().isoformat(timespec="seconds"),
              "worker": os.getpid()}
    try:
        printer = _printer() if "pdf" in item.formats else None
        rendered = render_notebook(Path(item.notebook), item.parameters, out_dir, item.name,
                                   item.title, item.formats, printer,
                                   kernel_manager_class=ForkKernelManager)
        result.update(status="ok", outputs=[p.name for p in rendered.outputs], error=None,
                      cell=None)
    except RenderError as exc:
        result.update(status="failed", outputs=[], error=exc.error, cell=exc.cell,
                      partial=exc.partial.name if exc.partial else None,
                      log=exc.log.name if exc.log else None)
    except Exception as exc:  # a broken item must never stop the others
        result.update(status="failed", outputs=[], error=f"{type(exc).__name__}: {exc}",
                      cell=None)
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


def init_worker(parent: int, tmp: str | None = None) -> None:
    """Start a worker: it dies with ``parent`` (the batch), even when that is killed.

    ``tmp`` (the batch's private folder) takes the worker's temporary files (executed
    notebooks, kernel connection files), so that they go when the batch does. The worker
    ignores Ctrl-C: the batch process alone handles it and says so in one line.
    """
    import signal
    import tempfile

    from assessment.batch.lifetime import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    if tmp:
        os.environ["TMPDIR"] = tmp  # the kernels' too
        tempfile.tempdir = tmp


def warm_worker(lang: str = "") -> int:
    """Load the rendering libraries and start this worker's kernel zygote.

    With ``lang``, also load the HTML exporter's templates for that language (about 1 s
    that the worker's first report would otherwise spend on its export).
    """
    skip_slow_imports()
    import nbclient  # noqa: F401
    import nbconvert  # noqa: F401  (the report module imports it on first export)
    import papermill  # noqa: F401

    from assessment.batch.kernels import start_zygote
    from assessment.report import render

    start_zygote()
    if lang:
        render.warm_exporter(lang)
    gc.freeze()  # the libraries stay loaded: the collector need not rescan them per report
    return os.getpid()
