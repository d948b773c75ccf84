"""Reports everyone can read (issue 16): an axe-core audit and the checks axe cannot do.

The audit renders two organisations' reports in Dutch (a batch: reports, index, cohort
overview) and one in English, opens each page in headless Chromium and runs axe-core
(installed from npm by ``make test`` into build/axe) with the WCAG 2.0/2.1 A and AA rules.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from assessment.batch.run import run_batch
from assessment.report.accessible import (
    lang_attribute,
    mark_english,
    scrollable_tables,
    strip_output_tabindex,
    text_language,
)
from assessment.report.pdf import find_chromium
from assessment.report.render import render_report
from tests.conftest import full_rows

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe() -> Path:
    """axe-core's script; installed here from npm when `make test` has not done it yet."""
    if not AXE.exists():
        npm = shutil.which("npm")
        assert npm, "axe-core is missing and npm is not installed: run `make test`"
        AXE.parents[2].mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "axe-core@4"],
                       cwd=AXE.parents[2], check=True, timeout=300)
    return AXE


@pytest.fixture(scope="module")
def pages(tmp_path_factory, alignment, disciplines):
    """Two organisations in Dutch (batch: reports, index, cohort overview), one in English."""
    tmp = tmp_path_factory.mktemp("a11y")
    data = tmp / "two.csv"
    rows = (full_rows(alignment, disciplines, "Echo Zorg BV", 9, seed=5)
            + full_rows(alignment, disciplines, "Fox & Co", 8, seed=6))
    pd.DataFrame(rows).to_csv(data, index=False)
    run_batch(data, tmp / "nl", jobs=2, lang="nl")
    en = render_report(data, "Echo Zorg BV", tmp / "en", lang="en")
    return {"report_nl": tmp / "nl" / "echo-zorg-bv.html", "report_en": en.html,
            "index": tmp / "nl" / "index.html",
            "cohort": tmp / "nl" / "cohort_overview.html"}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _open(browser, path: Path, width: int = 1024):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.route("**/*", lambda route: route.abort()
               if not route.request.url.startswith(("file:", "data:")) else route.continue_())
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page


@pytest.mark.parametrize("name", ["report_nl", "report_en", "index", "cohort"])
def test_axe_finds_no_wcag_a_or_aa_violation(pages, browser, name):
    """axe-core's WCAG 2.0/2.1 A and AA rules: zero violations on every page of a run."""
    page = _open(browser, pages[name])
    try:
        page.add_script_tag(path=str(_axe()))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    finally:
        page.close()
    found = [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
             for v in result["violations"]]
    assert found == []
    assert len(result["passes"]) > 10  # axe really ran its rules on the page


@pytest.mark.parametrize("name", ["report_nl", "report_en", "index", "cohort"])
def test_no_sideways_scrolling_at_320_px(pages, browser, name):
    """WCAG 1.4.10 reflow: at 320 CSS px the page is no wider than the window."""
    page = _open(browser, pages[name], width=320)
    try:
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, "
                                       "document.documentElement.clientWidth]")
    finally:
        page.close()
    assert scroll <= client


def _charts(html: str) -> list[tuple[str, str, str]]:
    """Each chart as (nearest heading before it, its alt text, its figure's HTML)."""
    out = []
    for m in re.finditer(r'<div class="chart">.*?</details></div>', html, re.S):
        figure = m.group(0)
        alt = re.search(r'<img alt="([^"]*)"', figure).group(1)
        heads = re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", html[:m.start()], re.S)
        heading = re.sub(r"<[^>]+>", "", heads[-1]) if heads else ""
        out.append((heading.strip(), alt, figure))
    return out


@pytest.mark.parametrize("name", ["report_nl", "report_en", "cohort"])
def test_every_chart_has_alt_text_and_data(pages, name):
    """Each chart has alt text of its own that names a figure, and its data as a table.

    The alt text differs from the heading above the chart; the values are in a table in a
    <details> under it ("Gegevens bij deze grafiek").
    """
    html = pages[name].read_text(encoding="utf-8")
    charts = _charts(html)
    assert len(charts) == html.count('<div class="chart">') >= 3
    summary = "Data for this chart" if name == "report_en" else "Gegevens bij deze grafiek"
    for heading, alt, figure in charts:
        assert alt and alt != heading and alt.strip() != re.sub(r"^\d+\.\s*", "", heading)
        assert re.search(r"\d", alt), alt
        assert f"<summary>{summary}</summary>" in figure
        assert '<th scope="row">' in figure and "<td>" in figure


def test_output_areas_are_no_tab_stops(pages):
    """The tabindex="0" of nbconvert's output areas is gone; every other tab stop is named."""
    for name in ("report_nl", "cohort"):
        html = pages[name].read_text(encoding="utf-8")
        assert 'jp-OutputArea-output" data-mime-type="text/html" tabindex' not in html
        for tag in re.findall(r"<[^>]*tabindex=\"0\"[^>]*>", html):
            assert "aria-label=" in tag, tag


def test_index_names_the_organisation_for_every_link(pages):
    """The organisation is the row header, and each file link says whose file it is."""
    html = pages["index"].read_text(encoding="utf-8")
    assert "<main>" in html
    assert re.search(r'<th scope="row"><a href="echo-zorg-bv.html">Echo Zorg BV</a></th>', html)
    assert 'aria-label="HTML van Echo Zorg BV"' in html
    assert 'aria-label="notebook van Fox &amp; Co"' in html


def test_index_uses_the_width_of_a_desktop(pages, browser):
    """At 1280 CSS px the index is wider than an A4 page, and its table fits in it.

    With the report's A4 width (210 mm, 794 px) the example batch's index hid its last column
    ("Bestanden") behind a scroll bar at 1100 px (seen in a screenshot): the index is a list
    of files, not a page to print. Expected: the page's content box is at least 1,000 px
    wide (300 mm = 1,134 px minus padding), and no table scrolls.
    """
    page = _open(browser, pages["index"], width=1280)
    width = page.evaluate("document.querySelector('main').clientWidth")
    overflow = page.evaluate(
        "[...document.querySelectorAll('.table-scroll')].map(e => e.scrollWidth - e.clientWidth)")
    page.close()
    assert width >= 1000
    assert overflow and max(overflow) <= 0


def test_report_has_a_contents_list(pages):
    """A contents list after the cover links to every numbered section."""
    html = pages["report_nl"].read_text(encoding="utf-8")
    nav = re.search(r'<nav class="contents".*?</nav>', html, re.S).group(0)
    for number in re.findall(r'<h2 id="section-(\d+)">', html):
        assert f'href="#section-{number}"' in nav


# ------------------------------------------------------------------ pure functions


def test_strip_output_tabindex_leaves_other_tab_stops():
    """Only nbconvert's output areas lose their tabindex; a named region keeps it."""
    html = ('<div class="jp-RenderedHTML jp-OutputArea-output" data-mime-type="text/html" '
            'tabindex="0"><div role="region" tabindex="0" aria-label="x"></div></div>')
    assert strip_output_tabindex(html) == (
        '<div class="jp-RenderedHTML jp-OutputArea-output" data-mime-type="text/html">'
        '<div role="region" tabindex="0" aria-label="x"></div></div>')


def test_scrollable_tables_wraps_each_table_once():
    """Two tables, two named regions; the text around them is untouched."""
    out = scrollable_tables("<p>a</p><table><tr><td>1</td></tr></table><table></table>", "nl")
    assert out.count('<div class="table-scroll" role="region" tabindex="0" '
                     'aria-label="Tabel, horizontaal te scrollen">') == 2
    assert out.startswith("<p>a</p>")


def test_mark_english_in_text_only():
    """Terms in text are marked, the same words in an attribute or a link target are not."""
    html = '<a href="#stuck in the middle">Net Promoter Score</a>'
    assert mark_english(html, "nl") == \
        '<a href="#stuck in the middle"><span lang="en">Net Promoter Score</span></a>'


@pytest.mark.parametrize(("text", "expected"), [
    ("Sales never tells us what they promised to the customer.", "en"),
    ("Sales vertelt ons nooit wat ze de klant beloofd hebben.", "nl"),
    ("CRM", None),
    ("", None),
])
def test_text_language(text, expected):
    """Common words decide; too few to tell gives None (the examples are written for it)."""
    assert text_language(text) == expected


def test_english_comment_in_dutch_report_is_marked():
    """An English comment in a Dutch report gets lang="en"; a Dutch one nothing."""
    assert lang_attribute("We never hear back from the sales team.", "nl") == ' lang="en"'
    assert lang_attribute("We horen nooit iets terug van het salesteam.", "nl") == ""
