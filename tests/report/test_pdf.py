"""PDF next to HTML (issue 3): offline, through headless Chromium, A4 pages that are not blank."""

from __future__ import annotations

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
    """A4 portrait (pdftoppm at 40 dpi: 331 × 468 px), one page per section at least, none blank."""
    pages = _pages(pdf_run.out_dir / "echo-zorg-bv.pdf", tmp_path)
    assert len(pages) >= 6  # cover + five sections, each starting on a new page
    for page in pages:
        assert Image.open(page).size == (331, 468)
        assert _ink(page) > 0.01, page.name


def test_pdf_makes_no_network_request(pdf_run):
    """The HTML the PDF is printed from references nothing outside itself."""
    html = (pdf_run.out_dir / "echo-zorg-bv.html").read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html
