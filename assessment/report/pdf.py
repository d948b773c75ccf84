"""HTML → PDF through headless Chromium (offline), with A4 pages.

Uses Python's playwright driving the system Chromium (Debian's ``chromium``
package, installed by ``make``); ``playwright install`` is never needed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assessment.core.exceptions import AssessmentError
from assessment.core.files import write_atomic

__all__ = ["PdfPrinter", "find_chromium", "html_to_pdf"]

CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str:
    """Return the Chromium executable: $CHROMIUM, else chromium/chromium-browser on PATH.

    Raises
    ------
    AssessmentError
        Saying how to install it.
    """
    candidates = [os.environ.get("CHROMIUM"), shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    for path in candidates:
        if path and Path(path).exists():
            return path
    raise AssessmentError("PDF needs Chromium, which was not found: install it with "
                          "`apt-get install chromium` (make test does this) or set $CHROMIUM")


class PdfPrinter:
    """A headless Chromium kept open to print several HTML files; use as a context manager.

    Examples
    --------
    >>> with PdfPrinter() as printer:  # doctest: +SKIP
    ...     printer.print("report.html", "report.pdf")
    """

    def __init__(self, executable: str | None = None):
        self.executable = executable or find_chromium()
        self._pw = None
        self._browser = None

    def __enter__(self) -> PdfPrinter:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=self.executable,
                                                  args=CHROMIUM_ARGS)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()
        self._browser = self._pw = None

    def print(self, html: str | Path, pdf: str | Path) -> Path:
        """Print ``html`` to ``pdf`` (A4, backgrounds, CSS page breaks); written atomically."""
        if self._browser is None:
            raise RuntimeError("use PdfPrinter as a context manager")
        page = self._browser.new_page()
        try:
            # no network: block every request that is not the file itself or an inline data URI
            page.route("**/*", lambda route: route.abort()
                       if not route.request.url.startswith(("file:", "data:"))
                       else route.continue_())
            page.goto(Path(html).resolve().as_uri(), wait_until="load")
            data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            page.close()
        pdf = Path(pdf)
        write_atomic(pdf, data)
        return pdf


def html_to_pdf(html: str | Path, pdf: str | Path) -> Path:
    """Print one HTML file to PDF (starts and stops a browser; use PdfPrinter for many)."""
    with PdfPrinter() as printer:
        return printer.print(html, pdf)
