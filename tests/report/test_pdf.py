"""PDF next to HTML (issue 3): offline, through headless Chromium, A4 pages that are not blank."""

from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest
from PIL import Image

from assessment.batch.run import run_batch
from tests.conftest import full_rows

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("chromium") is None,
    reason="needs Debian's chromium and poppler-utils, which `make test` installs",
)


@pytest.fixture(scope="module")
def pdf_run(tmp_path_factory, alignment, disciplines):
    """One organisation rendered by `run_batch` with formats html and pdf."""
    tmp = tmp_path_factory.mktemp("pdf")
    data = tmp / "one.csv"
    pd.DataFrame(full_rows(alignment, disciplines, "Echo Zorg BV", 9, seed=5)).to_csv(
        data, index=False)
    return run_batch(data, tmp / "out", jobs=2, lang="nl", formats=("html", "pdf"))


def _pages(pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    return sorted(tmp_path.glob("page-*.png"))


def _ink(png) -> float:
    """Share of pixels that are not (near) white."""
    gray = Image.open(png).convert("L")
    hist = gray.histogram()
    return 1 - sum(hist[245:]) / sum(hist)


def test_pdf_next_to_html(pdf_run):
    """Every report and the overview get a PDF; the manifest lists it."""
    out = pdf_run.out_dir
    assert (out / "echo-zorg-bv.pdf").exists() and (out / "cohort_overview.pdf").exists()
    assert "echo-zorg-bv.pdf" in pdf_run.items["echo-zorg-bv"]["outputs"]
    assert (out / "echo-zorg-bv.pdf").read_bytes().startswith(b"%PDF")


def test_pages_are_a4_and_not_blank(pdf_run, tmp_path):
    """A4 portrait (pdftoppm at 40 dpi: 331 × 468 px), none blank."""
    pages = _pages(pdf_run.out_dir / "echo-zorg-bv.pdf", tmp_path)
    assert len(pages) >= 4  # cover and contents, then the sections, sharing pages
    for page in pages:
        assert Image.open(page).size == (331, 468)
        assert _ink(page) > 0.01, page.name


def test_pdf_makes_no_network_request(pdf_run):
    """The HTML the PDF is printed from references nothing outside itself."""
    html = (pdf_run.out_dir / "echo-zorg-bv.html").read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


# ------------------------------------------------------------------ the PDF as a document


def _text(pdf, *args: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def _fill(png) -> float:
    """How far down a page's body the content reaches (0 = empty, 1 = full).

    The body is the page less its margins (report.css: 14 mm top, 16 mm bottom, where
    the footer stands); a row counts as content when a pixel in it is darker than 200.
    """
    gray = Image.open(png).convert("L")
    width, height = gray.size
    top, bottom = round(height * 14 / 297), round(height * (297 - 16) / 297)
    px = gray.load()
    last = top
    for y in range(top, bottom):
        if any(px[x, y] < 200 for x in range(width)):
            last = y
    return (last - top) / (bottom - top)


@pytest.fixture(scope="module")
def pdf_info(pdf_run):
    from pypdf import PdfReader

    return PdfReader(pdf_run.out_dir / "echo-zorg-bv.pdf")


def test_pdf_is_tagged_with_language_and_outline(pdf_info):
    """PDF/UA structure: marked content with a structure tree, /Lang nl and bookmarks.

    The bookmarks are the report's headings ("1. ..." onwards).
    """
    root = pdf_info.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower().startswith("nl")
    titles = [str(o.title) for o in pdf_info.outline if not isinstance(o, list)]
    assert "Echo Zorg BV" in titles
    assert any(title.startswith("1. ") for title in _flatten(pdf_info.outline))


def _flatten(items) -> list[str]:
    out = []
    for item in items:
        out += _flatten(item) if isinstance(item, list) else [str(item.title)]
    return out


def test_text_extracts_with_plain_letters(pdf_run):
    """No "fi" ligature (U+FB01) in the text: "Gedefinieerd" is found as typed.

    The kicker is one word, not "C O M M E R C I Ë L E".
    """
    text = _text(pdf_run.out_dir / "echo-zorg-bv.pdf")
    assert "Gedefinieerd" in text
    assert "\ufb01" not in text and "\ufb02" not in text
    assert "COMMERCIËLE VOLWASSENHEID" in text


def test_every_page_has_name_and_number(pdf_run):
    """The footer of page k of n says "pagina k van n" and the organisation's name."""
    pdf = pdf_run.out_dir / "echo-zorg-bv.pdf"
    pages = _text(pdf).split("\f")[:-1]
    assert len(pages) >= 4
    for k, page in enumerate(pages, start=1):
        assert f"pagina {k} van {len(pages)}" in page, k
        assert "Echo Zorg BV" in page, k


def test_contents_page_numbers_are_right(pdf_run):
    """Each entry of the contents list points at the page where its section's heading is."""
    pdf = pdf_run.out_dir / "echo-zorg-bv.pdf"
    pages = _text(pdf).split("\f")[:-1]
    html = (pdf_run.out_dir / "echo-zorg-bv.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="section-\d+">(\d+\. [^<]+)</h2>', html)
    assert len(headings) >= 4
    contents = pages[0]
    for heading in headings:
        number, title = heading.split(". ", 1)
        entry = re.search(re.escape(title[:25]) + r".*?(\d+)\s*$", contents, re.M)
        assert entry, title
        shown = int(entry.group(1))
        found = next(k for k, page in enumerate(pages, start=1)
                     if k > 1 and heading[:30] in " ".join(page.split()))
        assert shown == found, (heading, shown, found)


def test_no_page_is_less_than_a_quarter_full(pdf_run, tmp_path):
    """Sections share pages: every page but the last is at least a quarter full."""
    pages = _pages(pdf_run.out_dir / "echo-zorg-bv.pdf", tmp_path)
    fills = [round(_fill(p), 2) for p in pages]
    assert all(f >= 0.25 for f in fills[:-1]), fills
