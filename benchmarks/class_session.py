"""A class session as a class would use it: ``assess class serve`` and N students in Chromium.

Starts the class server (the real CLI, so Voilà with its kernel pool, culling and cap) on
a free local port, then N simulated students (``--concurrency`` at a time) each open the
page in Dutch, sign in with their own nickname and code word, answer a few questions, save,
change an answer and save again. Student 1 also reloads the page and signs in again (the
saved answers come back); a last visitor tries student 1's nickname with another code word
(refused). Each student closes the page as a browser does (``beforeunload``, so Voilà asks
the server to stop the kernel); the last visitor's page is dropped without closing (a laptop
that sleeps), so its kernel is left to the culler. Afterwards the server's kernels are
counted: 30 s after the last page closed (only the pool and the dropped page's kernel may
be left: the culler needs 120 s of idleness) and until the culler has stopped the dropped
one. Prints the figures as JSON: time to a usable page (sign-in field
ready) and to a saved answer, median and worst; the server's peak memory (Voilà and its
kernels, resident); the students collected.

    PYTHONPATH=. python benchmarks/class_session.py --students 25 --concurrency 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
POOL = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``assess class serve`` in a subprocess; samples its tree's memory and kernels."""

    def __init__(self, out: Path, cull_idle: int = 120, cull_interval: int = 10,
                 max_kernels: int = 40) -> None:
        self.port, self.out = free_port(), out
        self.log = out.parent / "voila.log"
        cmd = [sys.executable, "-c", "from assessment.cli import app; app()", "class", "serve",
               f"--out={out}", f"--port={self.port}", "--ip=127.0.0.1", "--lang=en",
               f"--pool={POOL}", f"--cull-idle={cull_idle}", f"--cull-interval={cull_interval}",
               f"--max-kernels={max_kernels}"]
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                         cwd=str(Path(__file__).resolve().parents[1]))
        self.url = f"http://127.0.0.1:{self.port}/"
        self.peak_rss, self.peak_kernels, self._stop = 0, 0, False
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def tree(self) -> list[psutil.Process]:
        """Return the server's processes (CLI, Voilà, kernels)."""
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernels(self) -> int:
        """Count the running kernels."""
        n = 0
        for p in self.tree():
            try:
                n += "ipykernel_launcher" in " ".join(p.cmdline())
            except psutil.Error:
                pass
        return n

    def _sample(self) -> None:
        while not self._stop:
            rss = 0
            for p in self.tree():
                try:
                    rss += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_kernels = max(self.peak_kernels, self.kernels())
            time.sleep(0.5)

    def wait_ready(self, timeout: float = 120) -> None:
        """Wait until the page is served and the pool's kernels are warm."""
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + "voila/static/voila.js", timeout=5):
                    pass
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("class server did not start: "
                                       + self.log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.5)
        while self.kernels() < POOL and time.time() < deadline:  # the pool fills
            time.sleep(0.5)
        while time.time() < deadline:  # ... and its kernels have done their imports
            busy = 0.0
            for p in self.tree():
                try:
                    if "ipykernel_launcher" in " ".join(p.cmdline()):
                        busy += p.cpu_percent(interval=1.0)
                except psutil.Error:
                    pass
            if busy < 10:
                break

    def stop(self) -> None:
        """Stop the server and its kernels."""
        self._stop = True
        for p in reversed(self.tree()):
            try:
                p.terminate()
            except psutil.Error:
                pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def student(browser, url: str, k: int, figures: dict, extra: bool) -> None:
    ctx = await browser.new_context(viewport={"width": 1000, "height": 1200})
    page = await ctx.new_page()
    nick, code = f"Student {k:02d}", f"code-{k:02d}"
    try:
        t0 = time.perf_counter()
        for attempt in (1, 2):  # a page that has not appeared after 3 minutes: a student reloads
            try:
                await page.goto(url + "?lang=nl", timeout=180_000)
                await page.get_by_placeholder("bijv. blauwe-vos").wait_for(timeout=180_000)
                break
            except Exception:  # noqa: BLE001
                if attempt == 2:
                    raise
                figures["reloads"].append(nick)
        figures["usable"].append(time.perf_counter() - t0)
        await sign_in(page, nick, code)
        await page.get_by_placeholder("de organisatie die je beoordeelt").fill(f"Case {k % 3}")
        radios = page.locator(".widget-radio-box")
        for q in range(3):
            await radios.nth(q).locator("label").nth((k + q) % 4).click()
        await page.get_by_text("3 van de 61 beantwoord.").wait_for(timeout=120_000)
        await page.get_by_role("button", name="Bewaar mijn antwoorden").click()
        await page.get_by_text("Je antwoorden zijn bewaard").wait_for(timeout=120_000)
        figures["saved"].append(time.perf_counter() - t0)
        # change an answer and save again: the last submission counts
        await radios.nth(0).locator("label").nth(3 - k % 4).click()
        await page.wait_for_timeout(300)
        await page.get_by_role("button", name="Bewaar mijn antwoorden").click()
        await page.wait_for_timeout(1500)
        figures["answers"][f"student-{k:02d}"] = 4 - k % 4
        if extra:  # a reload: the same student signs in again and finds the answers back
            await page.reload(timeout=300_000)
            await page.get_by_placeholder("bijv. blauwe-vos").wait_for(timeout=300_000)
            await sign_in(page, nick, code)
            await page.get_by_text("je bewaarde antwoorden staan er weer in").wait_for(
                timeout=120_000)
            figures["reload_ok"] = True
    except Exception as exc:  # noqa: BLE001 - a failed student is counted, not fatal
        figures["failed"].append(f"{nick}: {type(exc).__name__}: {str(exc)[:300]}")
    finally:  # the student closes the tab: the page's beforeunload asks to stop the kernel
        await page.close(run_before_unload=True)
        await asyncio.sleep(1)
        await ctx.close()


async def sign_in(page, nick: str, code: str) -> None:
    await page.get_by_placeholder("bijv. blauwe-vos").fill(nick)
    await page.get_by_placeholder("minstens 4 tekens").fill(code)
    await page.get_by_role("button", name="Begin").click()
    await page.locator(".widget-tab").wait_for(timeout=120_000)


async def impostor(browser, url: str) -> bool:
    """Someone else types student 1's nickname with another code word: refused."""
    ctx = await browser.new_context()
    page = await ctx.new_page()
    try:
        await page.goto(url + "?lang=nl", timeout=300_000)
        await page.get_by_placeholder("bijv. blauwe-vos").fill("student 01")
        await page.get_by_placeholder("minstens 4 tekens").fill("not-mine")
        await page.get_by_role("button", name="Begin").click()
        await page.get_by_text("Deze bijnaam is al in gebruik").wait_for(timeout=120_000)
        return await page.locator(".widget-tab").count() == 0
    finally:  # dropped without closing: no beforeunload, the kernel is left to the culler
        await ctx.close()


async def drive(url: str, n: int, concurrency: int) -> dict:
    from playwright.async_api import async_playwright

    figures = {"usable": [], "saved": [], "answers": {}, "failed": [], "reload_ok": False,
               "reloads": []}
    gate = asyncio.Semaphore(concurrency)

    async def one(k: int, browser) -> None:
        async with gate:
            await student(browser, url, k, figures, extra=(k == 1))

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            await asyncio.gather(*(one(k, browser) for k in range(1, n + 1)))
            try:
                figures["impostor_refused"] = await impostor(browser, url)
            except Exception as exc:  # noqa: BLE001
                figures["failed"].append(f"impostor: {type(exc).__name__}: {str(exc)[:300]}")
        finally:
            await browser.close()
    return figures


def run(n: int = 6, concurrency: int = 3, cull_wait: float = 300) -> dict:
    """Run a class of ``n`` students; return the figures (and the collected answers)."""
    from assessment.teaching.classroom import collect_class

    tmp = Path(tempfile.mkdtemp(prefix="class-"))
    out = tmp / "answers"
    server = Server(out)
    try:
        server.wait_ready()
        start = time.perf_counter()
        figures = asyncio.run(drive(server.url, n, concurrency))
        figures["wall"] = time.perf_counter() - start
        time.sleep(30)
        figures["kernels_after_close"] = server.kernels()
        deadline = time.time() + cull_wait
        while server.kernels() > POOL and time.time() < deadline:
            time.sleep(1)
        figures["kernels_after"] = server.kernels()
        figures["cull_s"] = time.perf_counter() - start - figures["wall"]
        figures["peak_kernels"] = server.peak_kernels
        figures["peak_rss_mb"] = server.peak_rss / 2**20
    finally:
        server.stop()
    figures["collected"] = collect_class(out)
    figures["out"] = str(out)
    figures["log"] = str(server.log)
    return figures


def summary(figures: dict) -> dict:
    def stats(xs: list[float]) -> dict:
        return ({"median_s": round(statistics.median(xs), 1), "worst_s": round(max(xs), 1)}
                if xs else {})

    return {"students_ok": len(figures["saved"]), "failed": figures["failed"],
            "pages_reloaded_after_3_min": figures["reloads"],
            "usable_page": stats(figures["usable"]), "saved_answer": stats(figures["saved"]),
            "wall_s": round(figures["wall"], 1), "peak_rss_mb": round(figures["peak_rss_mb"]),
            "peak_kernels": figures["peak_kernels"],
            "kernels_30s_after_close": figures["kernels_after_close"],
            "kernels_after": figures["kernels_after"],
            "culled_within_s": round(figures["cull_s"]),
            "collected": len(figures["collected"]), "reload_ok": figures["reload_ok"],
            "impostor_refused": figures.get("impostor_refused")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=25)
    parser.add_argument("--concurrency", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(summary(run(args.students, args.concurrency)), indent=2))


if __name__ == "__main__":
    main()
