"""Batch: every organisation (× wave) of a file, in parallel, resumable, failure-isolated.

``run_batch`` reads as a list of steps: read → plan → skip what is up to date →
render the rest on an executor (one fresh kernel per report) → write scores,
manifest and index. Any ``concurrent.futures.Executor`` works: the default is a
process pool; ``dask.distributed``'s ``Client.get_executor()`` sends the work to a
cluster.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path

import pandas as pd

from assessment.analysis.whole_file import analyse
from assessment.batch.lifetime import lock_folder, private_folder
from assessment.batch.worker import (
    BatchItem,
    init_worker,
    render_item,
    report_parameters,
    warm_worker,
)
from assessment.core.config import PACKAGE_DIR, REPORT_NOTEBOOK, TEMPLATE_DIR, resolve_path
from assessment.core.files import csv_text, report_names, write_atomic, xlsx_bytes
from assessment.core.i18n import check_lang, t
from assessment.core.ingest import Responses, read_responses
from assessment.core.instruments import list_instruments, profile_instrument, staged_instrument
from assessment.core.privacy import check_mode
from assessment.core.scoring import profile_label
from assessment.report.accessible import mark_english, scrollable_tables
from assessment.report.colours import stage_colour
from assessment.report.prepared import iter_prepared, write_prepared
from assessment.report.recommend import parse_target_stages

__all__ = [
    "COHORT_NOTEBOOK",
    "BatchItem",
    "BatchSummary",
    "cohort_item",
    "default_executor",
    "package_digest",
    "plan_items",
    "render_item",
    "run_batch",
    "summary_dict",
    "write_index",
    "write_scores",
]

COHORT_NOTEBOOK = REPORT_NOTEBOOK.parent / "cohort_overview.ipynb"
COHORT_NAME = "cohort_overview"
MANIFEST = "manifest.json"
#: where older versions kept the prepared report inputs (removed when found)
WORK_DIR = ".prepared"
BENCHMARK_MIN_ORGANISATIONS = 5


@dataclass
class BatchSummary:
    """What a run did."""

    out_dir: Path
    items: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        """Count the items with ``status`` (ok, failed, cancelled)."""
        return sum(1 for v in self.items.values() if v["status"] == status)

    @property
    def failed(self) -> list[dict]:
        """The failed items."""
        return [v for v in self.items.values() if v["status"] == "failed"]

    @property
    def index(self) -> Path:
        """Path of index.html."""
        return self.out_dir / "index.html"


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def package_digest() -> str:
    """Fingerprint of the package's code and data (instruments, texts, templates).

    An editable install keeps one version number across edits; hashing the files
    makes a changed recommendation text or scoring rule redo every report.
    """
    files = sorted(p for p in PACKAGE_DIR.rglob("*")
                   if p.is_file() and p.suffix in {".py", ".yaml", ".css", ".j2", ".json"}
                   and "__pycache__" not in p.parts)
    return _digest(*(f"{p.relative_to(PACKAGE_DIR)}" for p in files),
                   *(p.read_bytes() for p in files))


def _rows_digest(frame: pd.DataFrame) -> str:
    return _digest(frame.to_csv(index=False))


def plan_items(responses: Responses, responses_path: Path, lang: str,
               formats: tuple[str, ...], scores: pd.DataFrame,
               report_notebook: Path = REPORT_NOTEBOOK,
               min_group_size: int = 3, cohort: BatchItem | None = None,
               norms: str = "", norms_sector: str = "", norms_state: str = "",
               comments: str = "redacted", target_stages: str = "") -> list[BatchItem]:
    """Return one item per organisation × wave plus the cohort overview (last), with digests.

    An item's digest covers what its report shows: its own accepted and rejected rows,
    the file-level row counts, the parameters, the notebook and the package; with a
    cohort of at least five organisations (benchmark shown) also every organisation's
    interface and discipline scores. ``cohort`` is the cohort overview's item when
    already planned (:func:`cohort_item`). Items are named by
    :func:`~assessment.core.files.report_names`: one file name each, never one of the
    batch's own (index, manifest, scores, cohort_overview). With ``norms`` (a norm store)
    the reports compare with its norm group, and ``norms_state`` (its fingerprint) is part
    of the digest, so that a report is redone when the store changes. ``target_stages``
    (the roadmap's target stage per interface) goes to every report when given.
    """
    pkg = package_digest()
    report_nb = Path(report_notebook).read_bytes()
    counts = f"{responses.rows_in}:{int(responses.rejected['organisation'].isna().sum())}"
    groups = responses.data[["organisation", "wave"]].drop_duplicates()
    cohort_part = ""
    if len(groups) >= BENCHMARK_MIN_ORGANISATIONS:
        summary = scores[scores["level"].isin(["interface", "discipline"])
                         & scores["department"].isna()]
        cohort_part = _rows_digest(summary[["organisation", "wave", "instrument", "interface",
                                            "dimension", "score"]].round(9))
    names = report_names(groups.itertuples(index=False, name=None))
    items = []
    for org, wave in groups.itertuples(index=False):
        rows = responses.for_organisation(org, wave or None)
        rejected = responses.rejected_for(org)
        name = names[(org, wave)]
        params = report_parameters(str(responses_path), org, wave, lang=lang,
                                   min_group_size=min_group_size, comments=comments,
                                   norms=norms, norms_sector=norms_sector,
                                   target_stages=target_stages)
        digest = _digest(_rows_digest(rows), _rows_digest(rejected), counts, cohort_part,
                         json.dumps(params, sort_keys=True), report_nb, pkg,
                         *([norms_state] if norms else []))
        items.append(BatchItem("organisation", name, org, wave,
                               str(report_notebook), params,
                               f"{org} — {t('report_title', lang)}", digest, formats))
    return [*items, cohort or cohort_item(responses, responses_path, lang, formats,
                                          norms=norms, norms_sector=norms_sector,
                                          norms_state=norms_state)]


def cohort_item(responses: Responses, responses_path: Path, lang: str,
                formats: tuple[str, ...], *, norms: str = "", norms_sector: str = "",
                norms_state: str = "") -> BatchItem:
    """Return the cohort overview's item; its digest covers every row of the file.

    It needs no analysis, so a batch can start it while the file is being analysed. With
    ``norms`` it shows the norm group's band, and the store's fingerprint ``norms_state`` is
    part of its digest.
    """
    counts = f"{responses.rows_in}:{int(responses.rejected['organisation'].isna().sum())}"
    params = {"responses_path": str(responses_path), "lang": lang, "title": ""}
    if norms:
        params |= {"norms": norms, "norms_sector": norms_sector}
    digest = _digest(_rows_digest(responses.data), _rows_digest(responses.rejected), counts,
                     json.dumps(params, sort_keys=True), COHORT_NOTEBOOK.read_bytes(),
                     package_digest(), *([norms_state] if norms else []))
    return BatchItem("cohort", COHORT_NAME, "", "", str(COHORT_NOTEBOOK), params,
                     t("cohort_title", lang), digest, formats)


def _load_manifest(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _up_to_date(item: BatchItem, previous: dict, out_dir: Path) -> bool:
    prev = previous.get("items", {}).get(item.name)
    if not prev or prev.get("status") != "ok" or prev.get("hash") != item.digest:
        return False
    wanted = [f"{item.name}.ipynb", f"{item.name}.html"]
    wanted += [f"{item.name}.pdf"] if "pdf" in item.formats else []
    return all((out_dir / w).exists() for w in wanted)


def _clean_temporaries(out_dir: Path) -> None:
    for tmp in out_dir.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)
    shutil.rmtree(out_dir / WORK_DIR, ignore_errors=True)  # left by a killed run


def _prepare(todo: list[BatchItem], responses: Responses, scores: pd.DataFrame,
             min_group_size: int, work: Path, cache: dict | None = None
             ) -> Iterator[BatchItem]:
    """Yield the items, each organisation's with its prepared input written to ``work``.

    The file is named in the item's ``prepared`` parameter (not part of its digest: it is
    derived from what the digest covers). Items come as soon as they are ready, so the
    workers start while the rest is prepared.
    """
    by_key = {(i.organisation, i.wave): i for i in todo if i.kind == "organisation"}
    yield from (i for i in todo if i.kind != "organisation")
    if not by_key:
        return
    for key, prepared in iter_prepared(responses, scores, min_group_size, only=set(by_key),
                                       cache=cache):
        item = by_key[key]
        path = write_prepared(prepared, work / f"{item.name}.pkl")
        yield replace(item, parameters={**item.parameters, "prepared": str(path)})


def _warm_pool(jobs: int, tmp: Path | None = None, lang: str = "") -> Executor:
    """Return a :func:`default_executor` whose workers are already starting up (in ``lang``)."""
    pool = default_executor(jobs, tmp)
    for _ in range(jobs):
        pool.submit(warm_worker, lang)
    return pool


def default_executor(jobs: int, tmp: Path | None = None) -> Executor:
    """Return a process pool of ``jobs`` workers started with 'spawn' (nothing shared).

    The workers die with this process, even when it is killed, keep their temporary files
    in ``tmp`` when given, and ignore Ctrl-C (SIGINT, sent by the terminal to every process
    of the command): the batch process alone handles it, cancels what has not started and
    says so in one line (:func:`~assessment.batch.worker.init_worker`).
    """
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_worker,
                               initargs=(os.getpid(), str(tmp) if tmp else None))


def run_batch(responses_path: str | Path, out_dir: str | Path, jobs: int | None = None,
              lang: str = "nl", formats: tuple[str, ...] = ("html",), fail_fast: bool = False,
              force: bool = False, executor: Executor | None = None,
              on_progress: Callable[[dict, dict], None] | None = None,
              report_notebook: str | Path = REPORT_NOTEBOOK,
              min_group_size: int = 3, norms: str = "", norms_sector: str = "",
              norms_state: str = "", comments: str = "redacted",
              target_stages: str = "") -> BatchSummary:
    """Render every organisation (× wave) of a responses file, plus the cohort overview.

    Parameters
    ----------
    responses_path : str or Path
        The responses file.
    out_dir : str or Path
        Output folder: reports, ``index.html``, ``manifest.json``, ``scores.csv``/``.xlsx``.
    jobs : int, optional
        Worker processes (default: one per core); ignored when ``executor`` is given.
    lang : {'nl', 'en'}
    formats : tuple of str
        ``("html",)`` or ``("html", "pdf")``.
    fail_fast : bool
        Stop at the first failure (items not yet started are marked cancelled).
    force : bool
        Redo every item, even when up to date.
    executor : Executor, optional
        Any ``concurrent.futures.Executor`` (e.g. a Dask client's); not shut down here.
    on_progress : callable, optional
        Called with (item result, counts) after each item.
    report_notebook : str or Path
        The organisation report notebook (default: the bundled one); a customised copy
        must keep the same parameters.
    min_group_size : int
        Anonymity: department figures only for groups of at least this many respondents
        (reports and the scores files alike).
    norms, norms_sector, norms_state : str
        A norm store to compare every report with (:mod:`assessment.norms`), the sector of
        its norm group, and the store's fingerprint
        (:func:`assessment.norms.compare.norms_state`; a report is redone when it changes).
    comments : {'redacted', 'verbatim', 'none'}
        How the reports show comments (:mod:`assessment.core.privacy`).
    target_stages : str
        Target stage per interface for every report's roadmap
        (:func:`assessment.report.recommend.parse_target_stages`); empty: each report's
        stage is suggested from its organisation's size and sale complexity, if given.

    Returns
    -------
    BatchSummary

    Raises
    ------
    ValueError
        When ``formats`` or ``target_stages`` cannot be used.
    """
    start = time.perf_counter()
    check_lang(lang)
    check_mode(comments)
    bad = set(formats) - {"html", "pdf"}
    if bad or "html" not in formats:
        raise ValueError(f"formats must be html or html,pdf; got {','.join(formats)}")
    if target_stages:
        staged = staged_instrument(list_instruments())
        if staged is not None:
            parse_target_stages(target_stages, staged)
    path = resolve_path(responses_path)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with lock_folder(out_dir), private_folder() as work:
        summary = _run(path, out_dir, work, jobs, lang, formats, fail_fast, force, executor,
                       on_progress, report_notebook, min_group_size, comments,
                       norms=norms, norms_sector=norms_sector, norms_state=norms_state,
                       target_stages=target_stages)
    summary.seconds = time.perf_counter() - start
    return summary


def _run(path: Path, out_dir: Path, work: Path, jobs: int | None, lang: str,
         formats: tuple[str, ...], fail_fast: bool, force: bool, executor: Executor | None,
         on_progress: Callable[[dict, dict], None] | None, report_notebook: str | Path,
         min_group_size: int, comments: str = "redacted", *, norms: str = "",
         norms_sector: str = "", norms_state: str = "",
         target_stages: str = "") -> BatchSummary:
    """:func:`run_batch` once the folder is locked; prepared inputs go to ``work``."""
    start = time.perf_counter()
    _clean_temporaries(out_dir)
    own = executor is None
    pool = None
    if own and (force or not (out_dir / MANIFEST).exists()):
        # likely work to do: start the workers and their kernel zygotes while the file is read
        pool = _warm_pool(jobs or os.cpu_count() or 1, work, lang)
    try:
        responses = read_responses(path)
        previous = {} if force else _load_manifest(out_dir)
        futures: dict[Future, BatchItem] = {}
        cohort = cohort_item(responses, path, lang, tuple(formats), norms=norms,
                             norms_sector=norms_sector, norms_state=norms_state)
        if pool is not None and not _up_to_date(cohort, previous, out_dir):
            # the longest item needs no analysis: start it while the file is analysed
            futures[pool.submit(render_item, cohort, str(out_dir))] = cohort
        cache: dict = {}  # the respondents' scores, computed once for analysis and reports
        scores = analyse(responses.data, responses.instruments, min_group_size=min_group_size,
                         cache=cache)
        items = plan_items(responses, path, lang, tuple(formats), scores,
                           resolve_path(report_notebook), min_group_size, cohort,
                           norms=norms, norms_sector=norms_sector, norms_state=norms_state,
                           comments=comments, target_stages=target_stages)
        # no machine path in what goes to a client: the file's name only
        manifest = {"responses": path.name, "lang": lang, "formats": list(formats),
                    "items": {k: v for k, v in previous.get("items", {}).items()
                              if k in {i.name for i in items}}}
        summary = BatchSummary(out_dir=out_dir)
        todo = []
        for item in items:
            if item.name in {i.name for i in futures.values()}:
                continue  # started already
            if _up_to_date(item, previous, out_dir):
                summary.items[item.name] = {**manifest["items"][item.name], "status": "ok",
                                            "skipped": True}
            else:
                todo.append(item)
        counts = {"done": len(items) - len(todo) - len(futures), "failed": 0,
                  "left": len(todo) + len(futures), "total": len(items)}
        if on_progress:
            on_progress({}, counts)
        if own and todo and pool is None:
            pool = default_executor(jobs or os.cpu_count() or 1, work)
        runner = pool if own else executor
        # the cohort overview (the longest) first, so that no worker idles at the end
        todo.sort(key=lambda i: i.kind != "cohort")
        for item in _prepare(todo, responses, scores, min_group_size, work, cache):
            futures[runner.submit(render_item, item, str(out_dir))] = item
        write_scores(scores, out_dir)  # while the workers render
        _collect(futures, summary, manifest, counts, out_dir, fail_fast, on_progress,
                 folders=(path.parent, out_dir, work, PACKAGE_DIR.parent))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    write_atomic(out_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    summary.seconds = time.perf_counter() - start
    write_index(summary, scores, responses, lang)
    return summary


def without_folders(text: str, folders) -> str:
    """Return ``text`` with every mention of one of ``folders`` (and its separator) removed.

    Examples
    --------
    >>> without_folders("/home/ann/Acme BV/answers.csv: no rows", [Path("/home/ann/Acme BV")])
    'answers.csv: no rows'
    """
    for folder in sorted((str(f) for f in folders if str(f) not in ("", ".", os.sep)),
                         key=len, reverse=True):
        text = text.replace(folder + os.sep, "").replace(folder, "")
    return text


def _collect(futures: dict[Future, BatchItem], summary: BatchSummary, manifest: dict,
             counts: dict, out_dir: Path, fail_fast: bool,
             on_progress: Callable[[dict, dict], None] | None,
             folders: tuple[Path, ...] = ()) -> None:
    """Record each item's result as it finishes, writing the manifest after each.

    With ``fail_fast``, the first failure cancels the items not yet started. An error
    message names files relative to ``folders`` (the input's, the output's, the batch's
    private and the package's folder): no machine path reaches the manifest or index.
    """
    stop = False
    for future in as_completed(futures):
        item = futures[future]
        try:
            result = future.result()
        except Exception as exc:  # the worker itself died
            result = {"kind": item.kind, "organisation": item.organisation,
                      "wave": item.wave, "hash": item.digest, "status": "failed",
                      "outputs": [], "error": f"worker failed: {type(exc).__name__}: {exc}",
                      "cell": None}
        if result.get("error"):
            result["error"] = without_folders(str(result["error"]), folders)
        summary.items[item.name] = result
        manifest["items"][item.name] = result
        write_atomic(out_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        counts["left"] -= 1
        counts["failed" if result["status"] == "failed" else "done"] += 1
        if on_progress:
            on_progress(result, counts)
        if result["status"] == "failed" and fail_fast and not stop:
            stop = True
            for other in futures:
                other.cancel()
        if stop:
            for other, other_item in futures.items():
                if other.cancelled() and other_item.name not in summary.items:
                    summary.items[other_item.name] = {"status": "cancelled",
                                                      "organisation": other_item.organisation,
                                                      "wave": other_item.wave,
                                                      "kind": other_item.kind,
                                                      "outputs": []}


def write_scores(scores: pd.DataFrame, out_dir: Path) -> None:
    """Write ``scores.csv`` and ``scores.xlsx`` atomically."""
    write_atomic(out_dir / "scores.csv", csv_text(scores))
    write_atomic(out_dir / "scores.xlsx", xlsx_bytes(scores, "scores"))


def write_index(summary: BatchSummary, scores: pd.DataFrame, responses: Responses,
                lang: str) -> Path:
    """Write ``index.html``: every organisation with stages, profile, status and links."""
    align = staged_instrument(responses.instruments)
    disc = profile_instrument(responses.instruments)
    has_waves = any(v.get("wave") for v in summary.items.values())
    header = [t("cohort_organisation", lang)] + ([t("index_wave", lang)] if has_waves else [])
    header += [escape(i.title.get(lang)) for i in align.interfaces] if align else []
    header += [t("cohort_profile", lang)] if disc else []
    header += [t("index_status", lang), t("index_files", lang)]
    rows = []
    for name, info in sorted(summary.items.items(),
                             key=lambda kv: (kv[1].get("kind") != "organisation",
                                             str(kv[1].get("organisation")).casefold())):
        if info.get("kind") != "organisation":
            continue
        org, wave = info["organisation"], info["wave"]
        s = scores[(scores["organisation"] == org) & (scores["wave"] == wave)
                   & scores["department"].isna()]
        html_name = f"{name}.html"
        label = (f'<a href="{escape(html_name)}">{escape(org)}</a>'
                 if html_name in info.get("outputs", []) else escape(org))
        cells = [label] + ([escape(wave or "–")] if has_waves else [])
        if align:
            for iface in align.interfaces:
                r = s[(s["level"] == "interface") & (s["interface"] == iface.id)]
                stage = r["stage"].iloc[0] if not r.empty else None
                if stage is None or pd.isna(stage):
                    cells.append(f'<span class="muted">{t("not_rated", lang)}</span>')
                else:
                    cells.append(f'<span class="chip" style="background:'
                                 f'{stage_colour(stage, align)}"></span>'
                                 f"{escape(align.level(stage).label.get(lang))}")
        if disc:
            d = s[s["level"] == "discipline"]
            cells.append(escape(profile_label(d["profile"].iloc[0], d["leader"].iloc[0], disc,
                                              lang)) if not d.empty else "–")
        cells.append(_status_html(info, lang))
        cells.append(_links(name, info, org, lang))
        rows.append(cells)
    cohort = summary.items.get(COHORT_NAME, {})
    extra = [f'<a href="{COHORT_NAME}.html">{t("cohort_title", lang)}</a>'
             if "html" in " ".join(cohort.get("outputs", [])) else
             f'{t("cohort_title", lang)}: {_status_html(cohort, lang)}',
             '<a href="scores.csv">scores.csv</a>', '<a href="scores.xlsx">scores.xlsx</a>',
             f'<a href="{MANIFEST}">{MANIFEST}</a>']
    if any(o.endswith(".pdf") for o in cohort.get("outputs", [])):
        extra.insert(1, f'<a href="{COHORT_NAME}.pdf">{t("cohort_title", lang)} (PDF)</a>')
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    # the organisation is each row's header: a screen reader names it with every cell
    body = "".join(f'<tr><th scope="row">{r[0]}</th>' + "".join(f"<td>{c}</td>" for c in r[1:])
                   + "</tr>" for r in rows)
    counts = index_counts(summary, lang)
    css = (TEMPLATE_DIR / "report" / "report.css").read_text(encoding="utf-8")
    html = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{t('index_title', lang)}</title><style>{css}</style></head>"
            '<body class="index"><main>'
            f'<p class="kicker">{t("report_title", lang)}</p><h1>{t("index_title", lang)}</h1>'
            f"<p class=\"subtitle\">{escape(Path(responses.file).name)} · {counts}</p>"
            f"<p>{' · '.join(extra)}</p>"
            + scrollable_tables(f'<table class="scores"><thead><tr>{head}</tr></thead>'
                                f"<tbody>{mark_english(body, lang)}</tbody></table>", lang)
            + "</main></body></html>")
    write_atomic(summary.index, html)
    return summary.index


def index_counts(summary: BatchSummary, lang: str) -> str:
    """Say how many organisation reports are done, and the cohort overview's status apart.

    The index lists the organisations; counting the cohort overview among them ("11 of 11
    done" above ten organisations) would not agree with the list below it.
    """
    orgs = [v for v in summary.items.values() if v.get("kind") == "organisation"]
    ok = sum(v.get("status") == "ok" for v in orgs)
    failed = sum(v.get("status") == "failed" for v in orgs)
    text = t("index_counts", lang, ok=ok, failed=failed, total=len(orgs))
    cohort = summary.items.get(COHORT_NAME)
    if cohort is not None:
        status = t(f"index_status_{cohort.get('status', 'failed')}", lang)
        text += " · " + t("index_counts_cohort", lang, status=status)
    return text


def _status_html(info: dict, lang: str) -> str:
    status = info.get("status", "failed")
    text = t(f"index_status_{status}", lang)
    if status == "failed":
        where = f" (cell {info['cell']})" if info.get("cell") is not None else ""
        text += f'<br><span class="muted">{escape(str(info.get("error", "")))[:200]}{where}</span>'
    return text


def _links(name: str, info: dict, organisation: str = "", lang: str = "en") -> str:
    """Links to one organisation's files; each says whose file it is to assistive technology."""
    links = []
    order = {"html": 0, "pdf": 1, "ipynb": 2}
    for out in sorted(info.get("outputs", []), key=lambda o: order.get(o.rsplit(".", 1)[-1], 3)):
        label = out.rsplit(".", 1)[-1].upper()
        if label == "IPYNB":
            label = "notebook"
        links.append(f'<a href="{escape(out)}"{_named(label, organisation, lang)}>{label}</a>')
    for key in ("partial", "log"):
        if info.get(key):
            links.append(f'<a href="{escape(info[key])}"{_named(key, organisation, lang)}>'
                         f"{key}</a>")
    return " · ".join(links)


def _named(kind: str, organisation: str, lang: str) -> str:
    """Return an ``aria-label`` "HTML of Acme": the link's visible text first (WCAG 2.5.3)."""
    if not organisation:
        return ""
    label = t("index_links_of", lang, kind=kind, organisation=organisation)
    return f' aria-label="{escape(label)}"'


def summary_dict(summary: BatchSummary) -> dict:
    """Return the summary as plain data (for JSON)."""
    return {"out_dir": str(summary.out_dir), "seconds": round(summary.seconds, 2),
            "items": summary.items, **{k: summary.count(k) for k in ("ok", "failed")}}

