"""The ``assess`` command: parses arguments and delegates to the package."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assessment.core.exceptions import AssessmentError
from assessment.core.files import csv_text, write_atomic, xlsx_bytes

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Score how well marketing, sales and service work together, and render reports.",
)
# markup off: names, paths and errors come from the user's files and are printed as they are
# (an organisation "[bold]" or "[/]" is text); the few styled prefixes escape what they show
console = Console(soft_wrap=True, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)

Lang = Annotated[str, typer.Option("--lang", help="Report language: nl or en.")]


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code=1)


def _check_comments(mode: str) -> str:
    from assessment.core.privacy import COMMENT_MODES

    if mode not in COMMENT_MODES:
        err.print(f"error: --comments must be one of {', '.join(COMMENT_MODES)}, got {mode!r}",
                  highlight=False, markup=False)
        raise typer.Exit(code=2)
    return mode


def _check_lang(lang: str) -> str:
    if lang not in ("nl", "en"):
        _fail(f"--lang must be nl or en, got {lang!r}")
    return lang


@app.command()
def instruments() -> None:
    """List the instruments with id, version, item count and languages."""
    from assessment.core.instruments import instrument_table, list_instruments

    try:
        table = instrument_table(list_instruments())
    except AssessmentError as exc:
        _fail(str(exc))
    out = Table("id", "version", "items", "scored", "languages", "title")
    for row in table.itertuples():
        out.add_row(
            row.id, row.version, str(row.items), str(row.scored_items), row.languages, row.title
        )
    console.print(out)


@app.command()
def template(
    instrument: Annotated[str, typer.Option(help="Instrument id (see `assess instruments`).")],
    out: Annotated[Path, typer.Option(help="File to write: .xlsx (drop-downs) or .csv.")],
    lang: Lang = "nl",
) -> None:
    """Write a fill-in file: the right columns (XLSX adds drop-downs and an explanation)."""
    from assessment.core.instruments import load_instrument
    from assessment.core.template import write_template

    _check_lang(lang)
    try:
        path = write_template(load_instrument(instrument), out, lang=lang)
    except (AssessmentError, ValueError) as exc:
        _fail(str(exc))
    console.print(f"wrote {path}")


#: organisation rows ``validate`` prints (a class or a client fits; a national file is summed up)
SHOWN_ORGANISATIONS = 30


def _read(responses: Path):
    from assessment.core.ingest import read_responses  # pandas: only for the commands that read

    try:
        return read_responses(responses)
    except AssessmentError as exc:
        _fail(str(exc))


@app.command()
def validate(
    responses: Annotated[Path, typer.Argument(help="CSV or XLSX responses file.")],
) -> None:
    """Check a responses file; print every problem (exit 1) or the counts (exit 0)."""
    r = _read(responses)
    for f in r.personal.itertuples():  # where, and what kind: never the value
        console.print(f"{r.file}: row {f.row}, column {f.column}: {f.kind} (redacted in "
                      "reports unless --comments verbatim)", highlight=False, markup=False)
    if r.problems:
        for p in r.problems:
            err.print(str(p), highlight=False, markup=False)
        _fail(
            f"{len(r.problems)} problem(s) in {r.file}: {r.rows_in} rows, {len(r.data)} "
            f"accepted, {len(r.rejected)} rejected"
        )
    summary = r.summary()
    console.print(
        f"{r.file}: {r.rows_in} rows, all accepted; "
        f"{summary.shape[0]} organisation(s); instruments: "
        f"{', '.join(i.id for i in r.instruments)}",
        highlight=False,
    )
    table = Table("organisation", "wave", *summary.columns, "total")
    for (org, wave), row in summary.head(SHOWN_ORGANISATIONS).iterrows():
        table.add_row(org, wave or "–", *(str(v) for v in row), str(int(row.sum())))
    console.print(table)
    if len(summary) > SHOWN_ORGANISATIONS:
        console.print(f"… and {len(summary) - SHOWN_ORGANISATIONS} more organisation(s) × wave; "
                      "`assess score` writes every one", highlight=False, markup=False)


@app.command()
def score(
    responses: Annotated[Path, typer.Argument(help="CSV or XLSX responses file.")],
    out: Annotated[Path, typer.Option(help="Tidy scores file to write (.csv or .xlsx).")],
    min_group_size: Annotated[
        int, typer.Option(help="Anonymity: smallest department group shown.")
    ] = 3,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap intervals.")] = 2026,
) -> None:
    """Score and analyse every organisation (and wave); write tidy scores as CSV or XLSX.

    Besides the scores: spread, 95% interval, agreement, reliability, ranks, change since
    the previous wave, NPS, sources of tension, and department rows that respect anonymity.
    """
    from assessment.analysis.whole_file import analyse

    if out.suffix.lower() not in (".csv", ".xlsx"):
        _fail(f"--out must end in .csv or .xlsx, got {out.name!r}")
    r = _read(responses)
    for p in r.problems:
        err.print(f"warning: {p}", highlight=False, markup=False)
    try:
        scores = analyse(r.data, r.instruments, min_group_size=min_group_size, seed=seed)
    except ValueError as exc:
        _fail(str(exc))
    if out.suffix.lower() == ".xlsx":
        write_atomic(out, xlsx_bytes(scores, "scores"))
    else:
        write_atomic(out, csv_text(scores))
    console.print(
        f"wrote {out}: {len(scores)} rows for {scores['organisation'].nunique()} "
        f"organisation(s); {len(r.data)} respondents scored, {len(r.rejected)} rejected",
        highlight=False,
    )


@app.command()
def report(
    responses: Annotated[Path, typer.Argument(help="CSV or XLSX responses file.")],
    org: Annotated[str, typer.Option("--org", help="Organisation as named in the file.")],
    out: Annotated[Path, typer.Option(help="Folder for the .ipynb and .html report.")],
    lang: Lang = "nl",
    wave: Annotated[str, typer.Option(help="Wave, when the file has several.")] = "",
    min_group_size: Annotated[
        int, typer.Option(help="Anonymity: smallest department group shown.")
    ] = 3,
    format: Annotated[str, typer.Option("--format", help="html or html,pdf")] = "html",
    comments: Annotated[
        str, typer.Option(help="Comments in the report: redacted (personal data replaced), "
                               "verbatim or none.")
    ] = "redacted",
) -> None:
    """Render one organisation's report as executed notebook and HTML (no code visible)."""
    from assessment.report.render import render_report

    _check_lang(lang)
    try:
        _check_comments(comments)
        result = render_report(responses, org, out, lang=lang, wave=wave,
                               min_group_size=min_group_size, comments=comments,
                               formats=("html", "pdf") if "pdf" in format else ("html",))
    except AssessmentError as exc:
        _fail(str(exc))
    for path in result.outputs:
        console.print(f"wrote {path}", highlight=False)


@app.command()
def batch(
    responses: Annotated[Path, typer.Argument(help="CSV or XLSX responses file.")],
    out: Annotated[Path, typer.Option(help="Output folder (reports, index.html, manifest).")],
    jobs: Annotated[int, typer.Option(help="Worker processes; default one per core.")] = 0,
    lang: Lang = "nl",
    format: Annotated[str, typer.Option("--format", help="html or html,pdf")] = "html",
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first failure.")]
    = False,
    force: Annotated[bool, typer.Option("--force", help="Redo reports that are up to date.")]
    = False,
    dask_scheduler: Annotated[
        str, typer.Option("--dask-scheduler", help="Send the work to this Dask scheduler.")
    ] = "",
    notebook: Annotated[
        str, typer.Option("--notebook", help="A customised report notebook (same parameters).")
    ] = "",
    min_group_size: Annotated[
        int, typer.Option(help="Anonymity: smallest department group shown.")
    ] = 3,
    comments: Annotated[
        str, typer.Option(help="Comments in the report: redacted (personal data replaced), "
                               "verbatim or none.")
    ] = "redacted",
) -> None:
    """Render every organisation (× wave) in parallel, resumably, with index and overview."""
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from assessment.batch.run import run_batch

    # what is loaded now stays for the whole run: keep the collector from rescanning it
    # while the cohort is analysed (about 0.3 s of a 24-organisation batch)
    gc.freeze()
    _check_lang(lang)
    formats = tuple(f.strip() for f in format.split(",") if f.strip())
    if not set(formats) <= {"html", "pdf"}:
        _fail(f"--format must be html or html,pdf, got {format!r}")
    formats = ("html", *(["pdf"] if "pdf" in formats else []))
    if jobs < 0:
        _fail(f"--jobs must be 1 or more, got {jobs}")
    _check_comments(comments)
    executor = client = None
    if dask_scheduler:
        from distributed import Client

        client = Client(dask_scheduler)
        executor = client.get_executor()
    columns = [TextColumn("{task.description}"), BarColumn(),
               TextColumn("done {task.fields[done]} · failed {task.fields[failed]} · "
                          "left {task.fields[left]}"),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn()]
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("reports", total=None, done=0, failed=0, left="?")

        def on_progress(result: dict, counts: dict) -> None:
            progress.update(task, total=counts["total"],
                            completed=counts["done"] + counts["failed"], done=counts["done"],
                            failed=counts["failed"], left=counts["left"])
            if result.get("status") == "failed":
                who = result.get("organisation") or "cohort overview"
                where = f" in cell {result['cell']}" if result.get("cell") is not None else ""
                progress.console.print(f"[red]failed[/] {escape(f'{who}{where}')}: "
                                       f"{escape(str(result['error']))}",
                                       highlight=False, markup=True)

        try:
            summary = run_batch(responses, out, jobs=jobs or None, lang=lang, formats=formats,
                                fail_fast=fail_fast, force=force, executor=executor,
                                on_progress=on_progress, min_group_size=min_group_size,
                                comments=comments,
                                **({"report_notebook": notebook} if notebook else {}))
        except (AssessmentError, ValueError) as exc:
            _fail(str(exc))
        finally:
            if client is not None:
                client.close()
    skipped = sum(1 for v in summary.items.values() if v.get("skipped"))
    console.print(f"{summary.count('ok')} done ({skipped} already up to date), "
                  f"{summary.count('failed')} failed, {summary.count('cancelled')} not started; "
                  f"{summary.seconds:.1f} s", highlight=False)
    for info in summary.failed:
        who = info.get("organisation") or "cohort overview"
        where = f"cell {info['cell']}" if info.get("cell") is not None else "start"
        console.print(f"  failed: {who} ({where}): {info['error']}", highlight=False,
                      markup=False)
    console.print(f"index: {summary.index}", highlight=False)
    if summary.count("failed") or summary.count("cancelled"):
        raise typer.Exit(code=1)


def main() -> None:  # pragma: no cover
    """Run the command-line interface."""
    app()
