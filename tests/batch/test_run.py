"""Batch rendering (issue 3): parallel = serial, failure isolation, resume, atomic writes, index."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

from assessment.batch.run import run_batch
from assessment.cli import app
from assessment.core.config import REPORT_NOTEBOOK
from tests.conftest import full_rows

ORGS = ("Alfa BV", "Bravo Groep", "Charlie & Co")


@pytest.fixture(scope="module")
def cohort_csv(tmp_path_factory, alignment, disciplines):
    """Three organisations of complete, seeded answers (fewer than five: no benchmark)."""
    rows = []
    for k, org in enumerate(ORGS):
        rows += full_rows(alignment, disciplines, org, 6 + k, seed=20 + k)
    path = tmp_path_factory.mktemp("batch") / "cohort.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def serial(cohort_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    return run_batch(cohort_csv, out, jobs=1, lang="en")


@pytest.fixture(scope="module")
def parallel(cohort_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("parallel")
    return run_batch(cohort_csv, out, jobs=2, lang="en")


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_every_output_written(parallel):
    """One report per organisation plus the overview, index, manifest and scores."""
    names = _files(parallel.out_dir)
    for stem in ("alfa-bv", "bravo-groep", "charlie-co", "cohort_overview"):
        assert {f"{stem}.html", f"{stem}.ipynb"} <= names
    assert {"index.html", "manifest.json", "scores.csv", "scores.xlsx"} <= names
    assert parallel.count("ok") == 4 and parallel.count("failed") == 0
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".")]


def test_parallel_equals_serial(serial, parallel):
    """Same set of files, same scores, byte-identical HTML reports (SVG charts are reproducible)."""
    assert _files(serial.out_dir) == _files(parallel.out_dir)
    pd.testing.assert_frame_equal(pd.read_csv(serial.out_dir / "scores.csv"),
                                  pd.read_csv(parallel.out_dir / "scores.csv"))
    for html in serial.out_dir.glob("*.html"):
        if html.name != "index.html":
            assert html.read_bytes() == (parallel.out_dir / html.name).read_bytes(), html.name


def test_reports_are_isolated(parallel):
    """No organisation's name appears in another organisation's report."""
    for org, stem in zip(ORGS, ("alfa-bv", "bravo-groep", "charlie-co"), strict=True):
        html = (parallel.out_dir / f"{stem}.html").read_text(encoding="utf-8")
        others = [o for o in ORGS if o != org]
        assert org.replace("&", "&amp;") in html
        assert not any(o.replace("&", "&amp;") in html for o in others)


def test_index_links_resolve(parallel):
    """Every link in index.html points to a file that exists; every organisation is listed."""
    html = (parallel.out_dir / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', html)
    assert links
    for link in links:
        assert not link.startswith(("http:", "https:", "/"))
        assert (parallel.out_dir / link).exists(), link
    for org in ORGS:
        assert org.replace("&", "&amp;") in html


def test_manifest(parallel):
    """manifest.json: per item status, time, outputs, hash, error."""
    manifest = json.loads((parallel.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["items"]) == {"alfa-bv", "bravo-groep", "charlie-co", "cohort_overview"}
    for item in manifest["items"].values():
        assert item["status"] == "ok" and item["error"] is None
        assert len(item["hash"]) == 64 and item["seconds"] > 0
        assert all((parallel.out_dir / o).exists() for o in item["outputs"])


def test_resume_redoes_only_what_changed(cohort_csv, tmp_path, alignment, monkeypatch):
    """Second run redoes nothing; changing one organisation's answer redoes it and the overview.

    The package fingerprint is pinned here so that edits to the package made while the
    test runs (by a developer) cannot redo everything; test_package_digest covers it.
    """
    import assessment.batch.run

    monkeypatch.setattr(assessment.batch.run, "package_digest", lambda: "pinned")
    data = tmp_path / "cohort.csv"
    data.write_bytes(cohort_csv.read_bytes())
    out = tmp_path / "out"
    first = run_batch(data, out, jobs=2, lang="en")
    assert first.count("ok") == 4
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")}
    second = run_batch(data, out, jobs=2, lang="en")
    assert all(v.get("skipped") for v in second.items.values())
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")
            if p.name != "index.html"} == {k: v for k, v in mtimes.items() if k != "index.html"}
    frame = pd.read_csv(data)
    row = frame.index[frame["organisation"] == "Bravo Groep"][0]
    item = alignment.items[0].id
    frame.loc[row, item] = 1 if frame.loc[row, item] != 1 else 2
    frame.to_csv(data, index=False)
    third = run_batch(data, out, jobs=2, lang="en")
    redone = {k for k, v in third.items.items() if not v.get("skipped")}
    assert redone == {"bravo-groep", "cohort_overview"}
    forced = run_batch(data, out, jobs=2, lang="en", force=True)
    assert not any(v.get("skipped") for v in forced.items.values())


@pytest.fixture(scope="module")
def broken_notebook(tmp_path_factory):
    """The report notebook with one extra cell that fails for 'Bravo Groep' only."""
    nb = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(
        'if organisation == "Bravo Groep":\n    raise ValueError("simulated broken data")'))
    nbformat.validator.normalize(nb)
    path = tmp_path_factory.mktemp("nb") / "organisation_report.ipynb"
    # keep it beside the real one's folder semantics: paths resolve from the project root
    nbformat.write(nb, path)
    return path


def test_one_broken_organisation_does_not_stop_the_others(cohort_csv, tmp_path, broken_notebook):
    """One failure, the others complete, the manifest says why, the partial notebook and log stay."""
    summary = run_batch(cohort_csv, tmp_path, jobs=2, lang="en", report_notebook=broken_notebook)
    assert summary.count("failed") == 1 and summary.count("ok") == 3
    failed = summary.items["bravo-groep"]
    assert failed["status"] == "failed"
    assert failed["error"] == "ValueError: simulated broken data"
    assert failed["cell"] == 4  # In [4]: parameters, injected parameters, imports, then this
    assert (tmp_path / "bravo-groep.failed.ipynb").exists()
    assert "simulated broken data" in (tmp_path / "bravo-groep.log").read_text(encoding="utf-8")
    assert not (tmp_path / "bravo-groep.html").exists()
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["items"]["bravo-groep"]["error"] == "ValueError: simulated broken data"
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "simulated broken data" in index


def test_cli_exit_code_and_summary(cohort_csv, tmp_path, broken_notebook):
    """`assess batch` exits 1 when any report failed and names the cell and the error."""
    result = CliRunner().invoke(app, ["batch", str(cohort_csv), "--out", str(tmp_path),
                                      "--jobs", "2", "--notebook", str(broken_notebook)])
    assert result.exit_code == 1
    assert "failed: Bravo Groep (cell 4): ValueError: simulated broken data" in result.stdout
    assert "index: " in result.stdout


def test_fail_fast(cohort_csv, tmp_path, broken_notebook):
    """With --fail-fast, items not yet started are marked as not started."""
    summary = run_batch(cohort_csv, tmp_path, jobs=1, lang="en", fail_fast=True,
                        report_notebook=broken_notebook)
    assert summary.count("failed") == 1
    assert summary.count("ok") + summary.count("cancelled") == 3


def _complete(path: Path) -> bool:
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    if path.suffix in (".ipynb", ".json"):
        json.loads(path.read_text(encoding="utf-8"))
        return True
    return path.stat().st_size > 0


def test_killed_run_leaves_only_complete_files(cohort_csv, tmp_path):
    """Kill `assess batch` after the first report: every file under a final name is complete.

    The next run renders the rest and skips what was done.
    """
    out = tmp_path / "out"
    assess = Path(sys.executable).with_name("assess")
    proc = subprocess.Popen([str(assess), "batch", str(cohort_csv), "--out", str(out),
                             "--jobs", "1", "--lang", "en"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    def recorded() -> bool:
        try:
            return bool(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["items"])
        except (OSError, ValueError, KeyError):
            return False

    deadline = time.time() + 600  # generous: a loaded CI machine may be slow
    while time.time() < deadline and not recorded():
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = list(out.glob("*.html"))
    assert done, "the first report was written before the kill"
    for path in out.iterdir():
        if not path.name.startswith("."):
            assert _complete(path), path.name
    summary = run_batch(cohort_csv, out, jobs=2, lang="en")
    assert summary.count("ok") == 4
    skipped = {k for k, v in summary.items.items() if v.get("skipped")}
    assert skipped, "what finished before the kill is not redone"
    assert not list(out.glob(".*.tmp"))


def test_bad_format(cohort_csv, tmp_path):
    """Only html and html,pdf."""
    with pytest.raises(ValueError, match="formats must be html or html,pdf"):
        run_batch(cohort_csv, tmp_path, formats=("docx",))


def test_package_digest_follows_package_files(tmp_path, monkeypatch):
    """Changing any package file (code, instrument, texts) changes the fingerprint."""
    import shutil

    import assessment.batch.run
    from assessment.core.config import PACKAGE_DIR

    copy = tmp_path / "assessment"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(assessment.batch.run, "PACKAGE_DIR", copy)
    before = assessment.batch.run.package_digest()
    assert assessment.batch.run.package_digest() == before
    text = copy / "locales" / "report.yaml"
    text.write_text(text.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert assessment.batch.run.package_digest() != before


def test_dask_scheduler(cohort_csv, tmp_path, serial):
    """`assess batch --dask-scheduler` on a LocalCluster renders the same files as the pool."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        result = CliRunner().invoke(app, ["batch", str(cohort_csv), "--out", str(tmp_path),
                                          "--lang", "en", "--dask-scheduler",
                                          cluster.scheduler_address])
    assert result.exit_code == 0, result.stdout
    assert "4 done" in result.stdout
    assert _files(tmp_path) == _files(serial.out_dir)


#: names that all map to a shared, reserved, empty or too long slug (issue "Safe with any
#: client file", cases 1 and 8)
CLASHING = ("a/b", "A_B", "Acme & Co", "Acme\u200b Co", "Ωμέγα", "Альфа", "Index",
            "cohort_overview", "Organisatie " * 25 + "Lang")


def test_clashing_names_get_one_report_each(tmp_path, alignment, disciplines):
    """Every organisation gets its own report; index, manifest and scores list the same set.

    Expected: one report per organisation in CLASHING (9, none sharing a file, none named
    index/manifest/scores/cohort_overview, none longer than 80 + 9 characters), plus the
    overview; a second run of the same file finds every name again (all up to date).
    Ingest removes the zero-width space (issue 10, case 14), so 'Acme\u200b Co' is read
    as 'Acme Co', which still shares its slug with 'Acme & Co'.
    """
    from assessment.core.text import strip_format

    names = {strip_format(org) for org in CLASHING}
    assert len(names) == len(CLASHING)
    rows = [r for k, org in enumerate(CLASHING)
            for r in full_rows(alignment, disciplines, org, 4, seed=60 + k)]
    data = tmp_path / "clashing.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    out = tmp_path / "out"
    summary = run_batch(data, out, jobs=2, lang="en")
    assert summary.count("ok") == len(CLASHING) + 1 and summary.count("failed") == 0
    reports = {n: i for n, i in summary.items.items() if i["kind"] == "organisation"}
    assert sorted(i["organisation"] for i in reports.values()) == sorted(names)
    assert not set(reports) & {"index", "manifest", "scores", "cohort_overview"}
    assert all(len(n) <= 89 for n in reports)
    for name in reports:
        assert {f"{name}.html", f"{name}.ipynb"} <= _files(out)
    assert len(list(out.glob("*.html"))) == len(CLASHING) + 2  # + overview and index
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["items"]) == set(reports) | {"cohort_overview"}
    assert set(pd.read_csv(out / "scores.csv")["organisation"]) == names
    index = (out / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'<a href="([^"]+)\.html">', index)) == set(reports) | {
        "cohort_overview"}
    again = run_batch(data, out, jobs=2, lang="en")
    assert set(again.items) == set(summary.items)
    assert all(v.get("skipped") for v in again.items.values())


def test_norms_enter_the_plan_only_when_given(cohort_csv):
    """--norms adds two parameters and the store's fingerprint to each digest, the cohort's too.

    The cohort overview shows the norm band since issue 15's second round.
    """
    from assessment.analysis.whole_file import analyse
    from assessment.batch.run import plan_items
    from assessment.core.ingest import read_responses

    r = read_responses(cohort_csv)
    scores = analyse(r.data, r.instruments, n_boot=50)
    plain = plan_items(r, cohort_csv, "en", ("html",), scores)
    one = plan_items(r, cohort_csv, "en", ("html",), scores, norms="n.duckdb", norms_state="1")
    two = plan_items(r, cohort_csv, "en", ("html",), scores, norms="n.duckdb", norms_state="2")
    assert "norms" not in plain[0].parameters
    assert one[0].parameters["norms"] == "n.duckdb" and one[0].parameters["norms_sector"] == ""
    assert len({plain[0].digest, one[0].digest, two[0].digest}) == 3
    assert "norms" not in plain[-1].parameters and one[-1].parameters["norms"] == "n.duckdb"
    assert len({plain[-1].digest, one[-1].digest, two[-1].digest}) == 3


def test_target_stages_enter_the_plan_only_when_given(cohort_csv):
    """--target-stages goes to every report as a notebook parameter and into its digest.

    A changed target redoes the report; the cohort overview does not use it.
    """
    from assessment.analysis.whole_file import analyse
    from assessment.batch.run import plan_items
    from assessment.core.ingest import read_responses

    r = read_responses(cohort_csv)
    scores = analyse(r.data, r.instruments, n_boot=50)
    plain = plan_items(r, cohort_csv, "en", ("html",), scores)
    aimed = plan_items(r, cohort_csv, "en", ("html",), scores, target_stages="aligned")
    assert "target_stages" not in plain[0].parameters
    assert all(i.parameters["target_stages"] == "aligned" for i in aimed[:-1])
    assert plain[0].digest != aimed[0].digest and plain[-1].digest == aimed[-1].digest


def test_run_batch_refuses_bad_target_stages(tmp_path):
    """A wrong target is refused before any work starts (nothing written)."""
    from assessment.batch.run import run_batch

    with pytest.raises(ValueError, match="'best' is not a stage"):
        run_batch(tmp_path / "none.csv", tmp_path / "out", target_stages="best")
    assert not (tmp_path / "out").exists()


def test_workers_leave_ctrl_c_to_the_batch():
    """The default pool's workers ignore SIGINT, so Ctrl-C gives one line, not a traceback per worker.

    Expected: signal.SIG_IGN, the handler the pool's initializer sets (issue 10, case 14).
    """
    import signal

    from assessment.batch.run import default_executor

    pool = default_executor(1)
    try:
        assert pool.submit(signal.getsignal, signal.SIGINT).result(timeout=120) == signal.SIG_IGN
    finally:
        pool.shutdown()


def test_deliverables_hold_no_machine_path(parallel, cohort_csv):
    """Issue 10, case 13: no file for the client names a folder of this machine.

    Expected from the issue: the input's folder (which can hold a client's name), the
    package's folder and the batch's private temporary folder appear in no report,
    notebook, index or manifest; the notebook's parameters and the manifest name the
    responses file by its file name only.
    """
    from assessment.core.config import PACKAGE_DIR

    folders = {str(cohort_csv.parent), str(PACKAGE_DIR.parent), "/tmp/", "assess-batch-"}
    for path in parallel.out_dir.iterdir():
        if path.is_file() and not path.name.startswith("."):
            text = path.read_text(encoding="utf-8", errors="replace")
            for folder in folders:
                assert folder not in text, f"{folder} in {path.name}"
    manifest = json.loads((parallel.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["responses"] == "cohort.csv"
    nb = nbformat.read(parallel.out_dir / "alfa-bv.ipynb", as_version=4)
    assert nb.metadata["papermill"]["parameters"]["responses_path"] == "cohort.csv"
    assert nb.metadata["papermill"]["parameters"]["prepared"] == ""
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'responses_path = "cohort.csv"' in injected.source


def test_second_batch_into_the_same_folder_is_refused(cohort_csv, tmp_path):
    """Issue 10, case 12: while one batch holds --out, a second says who holds it and exits 1.

    The holder here is this test process (the lock a running batch takes); expected from
    the issue: exit code 1, the holder's process id in the message, nothing written.
    """
    from assessment.batch.lifetime import lock_folder

    out = tmp_path / "out"
    out.mkdir()
    with lock_folder(out):
        result = CliRunner().invoke(app, ["batch", str(cohort_csv), "--out", str(out),
                                          "--jobs", "1"])
        assert result.exit_code == 1, result.output
        assert f"process {os.getpid()}" in " ".join(result.output.split())
        assert not (out / "manifest.json").exists() and not list(out.glob("*.html"))
    summary = run_batch(cohort_csv, out, jobs=1, lang="en", force=True)  # free again
    assert summary.count("ok") == 4


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_kill_9_ends_every_child_and_removes_the_prepared_files(cohort_csv, tmp_path):
    """Issue 10, case 11: after SIGKILL of `assess batch` alone, nothing of it lives on.

    Expected from the issue: its workers, kernel zygotes and kernels die with it (within
    seconds, not after their reports); the prepared per-report files (row-level answers)
    were in a private folder (mode 0700) outside --out, and that folder is removed.
    """
    import psutil

    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    assess = Path(sys.executable).with_name("assess")
    proc = subprocess.Popen([str(assess), "batch", str(cohort_csv), "--out", str(out),
                             "--jobs", "2", "--lang", "en"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "TMPDIR": str(tmp)})
    try:
        deadline = time.time() + 600
        prepared: list[Path] = []
        while time.time() < deadline and not prepared:
            prepared = list(tmp.glob("assess-batch-*/*.pkl"))
            time.sleep(0.05)
        assert prepared, "the batch prepared its reports"
        assert prepared[0].parent.stat().st_mode & 0o777 == 0o700
        assert not list(out.rglob("*.pkl"))
        children = _descendants(proc.pid)
        assert children
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        gone, alive = psutil.wait_procs(children, timeout=20)
        assert not alive, [p.info if hasattr(p, "info") else p for p in alive]
        deadline = time.time() + 10
        while time.time() < deadline and list(tmp.glob("assess-batch-*")):
            time.sleep(0.1)
        assert not list(tmp.glob("assess-batch-*")), "the private folder is removed"
        assert not list(out.rglob("*.pkl")) and not (out / ".prepared").exists()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_index_counts_agree_with_the_organisations_listed(tmp_path):
    """Issue 11 point 15: ten organisations and the cohort overview, all done.

    Expected by construction: the index lists ten organisations, so it says "10 of 10", and
    the cohort overview's status apart (not "11 of 11 done" above a list of ten).
    """
    from assessment.batch.run import COHORT_NAME, BatchSummary, index_counts

    items = {f"org-{k}": {"kind": "organisation", "status": "ok"} for k in range(9)}
    items["org-9"] = {"kind": "organisation", "status": "failed"}
    items[COHORT_NAME] = {"kind": "cohort", "status": "ok"}
    summary = BatchSummary(out_dir=tmp_path, items=items)
    assert index_counts(summary, "en") == (
        "9 of 10 organisation reports done, 1 failed · cohort overview: done")
    assert index_counts(summary, "nl") == (
        "9 van 10 organisatierapporten klaar, 1 mislukt · overzicht van de groep: klaar")
