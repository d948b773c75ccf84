"""HTML → PDF through headless Chromium (offline), with A4 pages.

Uses Python's playwright driving the system Chromium (Debian's ``chromium``
package, installed by ``make``); ``playwright install`` is never needed.

The PDF is tagged (headings, tables, figures with their alt text, the document's
language: PDF/UA's structure) and has an outline (bookmarks) of the headings. Every page
has a footer with the document's title (the organisation's name) and "page n of m". A
contents list (:func:`assessment.report.accessible.add_contents`) gets its page numbers
from a first print's outline; the second print is the one written.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zlib
from pathlib import Path

from assessment.core.exceptions import AssessmentError
from assessment.core.files import write_atomic
from assessment.core.i18n import t

__all__ = ["PdfPrinter", "find_chromium", "footer_template", "heading_pages", "html_to_pdf",
           "mark_artifacts"]

CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def footer_template(lang: str) -> str:
    """Return Chromium's footer: the document's title left, "page n of m" right.

    Chromium fills the elements of class ``title``, ``pageNumber`` and ``totalPages``.

    Examples
    --------
    >>> 'pagina <span class="pageNumber"></span>' in footer_template("nl")
    True
    """
    pages = t("page_of", lang, page='<span class="pageNumber"></span>',
              pages='<span class="totalPages"></span>')
    return ('<div style="font-family: Helvetica, Arial, \'Liberation Sans\', sans-serif; '
            'font-size: 8pt; color: #444; width: 100%; margin: 0 12mm; display: flex; '
            'justify-content: space-between; font-variant-ligatures: none;">'
            f'<span class="title"></span><span>{pages}</span></div>')


def heading_pages(pdf: bytes) -> dict[str, int]:
    """Return the page (from 1) of every bookmark of a PDF, by its title (first one wins)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages: dict[str, int] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            title = " ".join(str(item.title).split())
            if title not in pages:
                pages[title] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    return pages


#: the content-stream operators that open and close marked content and text objects
_OPERATOR = re.compile(rb"(?<![^\s\]>)])(BDC|BMC|EMC|BT|ET)(?=[\s\[<(/]|$)")


def _mark_stream(data: bytes, depth: int = 0) -> tuple[bytes, int, int]:
    r"""Wrap each text object outside marked content in ``/Artifact BMC … EMC``.

    Returns the new stream, how many text objects were wrapped and the marked-content
    depth at its end. Skia (Chromium) writes text as hex strings, so the operator names
    are never found inside a string.

    Examples
    --------
    >>> _mark_stream(b"/P <</MCID 0>> BDC BT <0041> Tj ET EMC BT <0042> Tj ET")[:2]
    (b'/P <</MCID 0>> BDC BT <0041> Tj ET EMC /Artifact BMC\nBT <0042> Tj ET\nEMC', 1)
    """
    out, last, wrapping, count = [], 0, False, 0
    for m in _OPERATOR.finditer(data):
        op = m.group(1)
        if op == b"BT" and depth == 0:
            out += [data[last:m.start()], b"/Artifact BMC\n"]
            last, wrapping, count = m.start(), True, count + 1
        elif op in (b"BDC", b"BMC"):
            depth += 1
        elif op == b"EMC":
            depth -= 1
        elif op == b"ET" and wrapping:
            out += [data[last:m.end()], b"\nEMC"]
            last, wrapping = m.end(), False
    out.append(data[last:])
    return b"".join(out), count, depth


def mark_artifacts(pdf: bytes) -> bytes:
    """Mark the text that Chromium leaves untagged (its page footer) as an artifact.

    PDF/UA wants every piece of content either tagged or marked as an artifact;
    Chromium tags the page's content but not the footer it draws from
    :func:`footer_template`. The changed content streams are appended as an incremental
    update (the original bytes stay as they are), which takes milliseconds.
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject

    reader = PdfReader(io.BytesIO(pdf))
    changed: dict[tuple[int, int], bytes] = {}
    for page in reader.pages:
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        refs = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) \
            else [contents]
        depth = 0
        for ref in refs:
            if not hasattr(ref, "idnum"):
                return pdf  # a direct stream: leave the file alone
            data, count, depth = _mark_stream(ref.get_object().get_data(), depth)
            if count:
                changed[(ref.idnum, ref.generation)] = data
    start = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)
    if not changed or start is None:
        return pdf
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for (num, gen), data in sorted(changed.items()):
        body = zlib.compress(data)
        offsets[(num, gen)] = len(out)
        out += (f"{num} {gen} obj\n<</Filter /FlateDecode /Length {len(body)}>>\nstream\n"
                .encode() + body + b"\nendstream\nendobj\n")
    xref = len(out)
    out += b"xref\n"
    for (num, gen), offset in offsets.items():
        out += f"{num} 1\n{offset:010d} {gen:05d} n \n".encode()
    trailer = reader.trailer
    refs = "".join(f" /{key} {trailer.raw_get('/' + key).idnum} "
                   f"{trailer.raw_get('/' + key).generation} R"
                   for key in ("Root", "Info") if "/" + key in trailer)
    out += (f"trailer\n<</Size {trailer['/Size']}{refs} /Prev {int(start.group(1))}>>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


#: fills in the contents list's page numbers from {heading text: page}
_FILL_CONTENTS = r"""pages => {
  for (const span of document.querySelectorAll('.toc-page')) {
    const h = document.getElementById(span.dataset.section);
    const key = h ? h.textContent.split(/\s+/).join(' ').trim() : '';
    if (key in pages) span.textContent = String(pages[key]);
  }
}"""


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
            lang = page.evaluate("document.documentElement.lang") or "en"
            options = dict(format="A4", print_background=True, prefer_css_page_size=True,
                           tagged=True, outline=True, display_header_footer=True,
                           header_template="<span></span>",
                           footer_template=footer_template("en" if lang == "en" else "nl"))
            data = page.pdf(**options)
            if page.locator(".toc-page").count():
                page.evaluate(_FILL_CONTENTS, heading_pages(data))
                data = page.pdf(**options)
            data = mark_artifacts(data)
        finally:
            page.close()
        pdf = Path(pdf)
        write_atomic(pdf, data)
        return pdf


def html_to_pdf(html: str | Path, pdf: str | Path) -> Path:
    """Print one HTML file to PDF (starts and stops a browser; use PdfPrinter for many)."""
    with PdfPrinter() as printer:
        return printer.print(html, pdf)
