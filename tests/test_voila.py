"""Voilà smoke test: notebook 9 served as an app, its widgets rendered in a real browser.

Starts ``voila`` on a free local port, opens the page in headless Chromium (Playwright),
and checks that the form built from the two instruments appears and answers a click.
Needs no network. Skipped when Chromium or Playwright is not available.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assessment.core.config import PROJECT_ROOT
from assessment.core.instruments import load_instrument

NOTEBOOK = PROJECT_ROOT / "notebooks" / "teaching" / "nl" / "09-beoordeel-je-eigen-organisatie.ipynb"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VOILA = Path(sys.executable).with_name("voila")

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and VOILA.exists()), reason="needs chromium and voila"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(VOILA), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", str(NOTEBOOK)],
            cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail(f"voila did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_voila_renders_the_self_assessment(voila_url):
    """The page (in Dutch through ?lang=nl) shows one radio group per alignment question and one for the declared strategy, one 1–5 toggle per value-discipline statement (counts from the YAML), and "Toon mijn scores" draws the charts in the kernel."""
    sync_api = pytest.importorskip("playwright.sync_api")
    alignment, disciplines = load_instrument("alignment"), load_instrument("value_disciplines")
    n_radio = len(alignment.scored_items) + 1
    n_toggle = len(disciplines.scored_items)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1200})
            page.goto(voila_url + "?lang=nl", timeout=120_000)
            page.wait_for_selector(".widget-tab", timeout=120_000)
            assert page.locator(".widget-radio-box").count() == n_radio
            assert page.locator(".widget-toggle-buttons").count() == n_toggle
            assert page.get_by_role("button", name="Maak mijn rapport").count() == 1
            assert "Traceback" not in page.content()
            page.get_by_placeholder("de organisatie die je beoordeelt").fill("Voilà BV")
            page.locator(".widget-radio-box").first.locator("label").nth(2).click()
            page.get_by_text("1 van de 61 beantwoord.").wait_for(timeout=30_000)
            page.get_by_role("button", name="Toon mijn scores").click()
            page.wait_for_function(
                "document.querySelectorAll('.widget-image[src^=\"blob:\"]').length >= 2",
                timeout=30_000,
            )
        finally:
            browser.close()
