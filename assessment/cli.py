"""The ``assess`` command: parses arguments and delegates to the package.

Every error ends the command with one line on stderr, ``error: …`` naming the file (and
row and column where they apply): exit 1 for bad data or a failed run, 2 for bad usage
(a wrong option, a path of the wrong kind), 130 for Ctrl-C. ``assess --debug …`` shows
the traceback instead.

What the command prints is in Dutch or English (:func:`~assessment.core.i18n.message_lang`:
``--lang``, else ``$ASSESS_LANG``, else the locale), from ``assessment/locales/cli.yaml``,
click's own usage errors included where known (:func:`usage_message`). The ``--help`` texts
(``assessment/locales/help.yaml``) follow ``$ASSESS_LANG``, else the locale, not ``--lang``:
typer takes them when this module is imported (:func:`help_texts`).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperCommand, TyperGroup

from assessment.core.exceptions import AssessmentError, OutputExists
from assessment.core.files import (
    check_input_file,
    check_output,
    csv_text,
    write_atomic,
    write_atomic_parts,
    xlsx_bytes,
)

#: click's UsageError as typer ships it (typer bundles its own click): exit code 2
_UsageErrorBase = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

#: the language of this run's messages, 'nl' or 'en' (set when a command starts), and the
#: problem with $ASSESS_LANG, if any (said once the command's own --lang is known)
_RUN = {"lang": "en", "bad_env": ""}


def _t(key: str, **values: object) -> str:
    """Return message ``key`` of ``locales/cli.yaml`` in this run's language."""
    from assessment.core.i18n import t

    return t(key, _RUN["lang"], **values)


def help_lang(environ: Mapping[str, str]) -> str:
    """Return the language of the ``--help`` texts: $ASSESS_LANG, else the locale.

    typer takes the help texts when this module is imported, before any ``--lang`` is read.
    A $ASSESS_LANG that is neither nl nor en gives English here (the command says so later).

    Examples
    --------
    >>> help_lang({"ASSESS_LANG": "nl"}), help_lang({"LANG": "nl_BE.UTF-8"})
    ('nl', 'nl')
    >>> help_lang({"ASSESS_LANG": "fr", "LANG": "nl_NL.UTF-8"})
    'en'
    """
    from assessment.core.i18n import message_lang

    try:
        return message_lang(None, environ)
    except ValueError:
        return "en"


def help_texts(lang: str) -> dict[str, str]:
    """Return the ``--help`` texts of ``assess`` in ``lang`` (nl or en), by key without ``help_``.

    Read from ``locales/help.yaml`` alone, not from every catalogue: ``assess --help`` stays
    quick.

    Examples
    --------
    >>> help_texts("nl")["lang"], help_texts("en")["lang"]
    ('Taal van het rapport: nl of en.', 'Report language: nl or en.')
    """
    from assessment.core.config import LOCALE_DIR
    from assessment.core.i18n import check_lang, read_catalogue

    check_lang(lang)
    return {key.removeprefix("help_"): text[lang]
            for key, text in read_catalogue(LOCALE_DIR / "help.yaml").items()}


#: the language of the --help texts (the environment's when this module is imported), the texts
_HELP_LANG = help_lang(os.environ)
_H = help_texts(_HELP_LANG)

#: typer's own words on a help page and with an error: settings of typer.rich_utils -> help key
_TYPER_WORDS = {"ARGUMENTS_PANEL_TITLE": "panel_arguments", "OPTIONS_PANEL_TITLE": "panel_options",
                "COMMANDS_PANEL_TITLE": "panel_commands", "ERRORS_PANEL_TITLE": "panel_error",
                "DEFAULT_STRING": "default", "ENVVAR_STRING": "envvar",
                "REQUIRED_LONG_STRING": "required", "RICH_HELP": "try_help",
                "ABORTED_TEXT": "aborted"}


def _typer_words() -> None:
    """Put typer's own words (panel titles, "[required]") in the help language before it shows them.

    typer reads these module settings when it draws a help page or an error panel; in English
    they stay as typer has them, and typer.rich_utils is imported only to be shown.
    """
    if _HELP_LANG != "en":
        from typer import rich_utils

        for name, key in _TYPER_WORDS.items():
            setattr(rich_utils, name, _H[key])


#: the exceptions of the click that typer bundles (MissingParameter, NoSuchOption, …)
_click_errors = sys.modules[typer.BadParameter.__module__]

#: click's messages built from one value, by class: the catalogue key whose English text is
#: click's template (the value as ``{value}``), and the Dutch text said instead
_CLICK_TEMPLATES = (("NoSuchOption", "cli_no_such_option"),
                    ("BadOptionUsage", "cli_option_needs_value"),
                    ("BadOptionUsage", "cli_option_takes_no_value"),
                    ("UsageError", "cli_extra_arguments"),
                    ("UsageError", "cli_no_such_command"),
                    ("UsageError", "cli_missing_command"))

#: pydantic's reasons for a value typer cannot convert (int, float, bool) -> catalogue key
_CLICK_REASONS = {"int_parsing": "cli_not_integer", "float_parsing": "cli_not_number",
                  "bool_parsing": "cli_not_boolean"}


def _template_value(message: str, template: str) -> str | None:
    """Return what fills ``{value}`` of ``template`` in ``message``, or None when it does not fit.

    Examples
    --------
    >>> _template_value("No such option: --nope", "No such option: {value}")
    '--nope'
    >>> _template_value("Missing command.", "Missing command.")
    ''
    """
    before, marker, after = template.partition("{value}")
    if not marker:
        return "" if message == template else None
    fits = (len(message) >= len(before) + len(after) and message.startswith(before)
            and message.endswith(after))
    return message[len(before):len(message) - len(after)] if fits else None


def _argument_hint(param, lang: str) -> str:
    """Return how an error names an option or argument: an argument in ``lang`` when known."""
    from assessment.core.i18n import messages, t

    if param.param_type_name == "argument" and f"cli_argument_{param.name}" in messages():
        return t(f"cli_argument_{param.name}", lang)
    return param.get_error_hint()


def _param_hint(exc, lang: str) -> str:
    """Return the option or argument a BadParameter is about ('' when it names none)."""
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)
    return _argument_hint(exc.param, lang) if exc.param is not None else ""


def _reason(exc, lang: str) -> str:
    """Return why typer refused a value: pydantic's reason in ``lang`` when known, else as given."""
    from assessment.core.i18n import t

    errors = getattr(exc.__cause__, "errors", None)
    first = (errors() or [{}])[0] if callable(errors) else {}
    key = _CLICK_REASONS.get(first.get("type"))
    return t(key, lang, value=first.get("input")) if key else exc.message


def _dutch_usage(exc) -> str | None:
    """Return click's message of a usage error in Dutch, or None when it is not one we know."""
    from assessment.core.i18n import messages, t

    if isinstance(exc, _click_errors.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        extra = exc.param.get_missing_message(ctx=exc.ctx) if exc.param is not None else ""
        if exc.message or extra or f"cli_missing_{kind}" not in messages():
            return None
        hint = _param_hint(exc, "nl")
        return t(f"cli_missing_{kind}", "nl", param=f" {hint}" if hint else "")
    if isinstance(exc, _click_errors.BadParameter):
        hint = _param_hint(exc, "nl")
        reason = _reason(exc, "nl")
        return (t("cli_invalid_value", "nl", param=hint, message=reason) if hint
                else t("cli_invalid_value_bare", "nl", message=reason))
    for name, key in _CLICK_TEMPLATES:
        if type(exc) is getattr(_click_errors, name, None):
            value = _template_value(exc.message, t(key, "en", value="{value}"))
            if value is not None:
                text = t(key, "nl", value=value)
                if getattr(exc, "possibilities", None):
                    text += " " + t("cli_possible_options", "nl",
                                    options=", ".join(sorted(exc.possibilities)))
                return text
    return None


def usage_message(exc: Exception, lang: str) -> str:
    """Return the message of a usage error (exit 2) in ``lang``.

    Our own usage errors are written in the run's language already. click's (a missing
    option or argument, an unknown option, a value that is not a number, an option without
    its value, extra arguments) are given in Dutch by their class and fields; English, and
    a message of click's not known here, is click's own text.

    Parameters
    ----------
    exc : click.UsageError
        The error, as typer's bundled click raised it.
    lang : str
        'nl' or 'en'.
    """
    english = exc.format_message()
    if lang != "nl" or isinstance(exc, _UsageError):
        return english
    return _dutch_usage(exc) or english


def _explicit_lang(ctx, value: object) -> str | None:
    """Return ``value`` when it is a ``--lang`` given on the command line (nl or en), else None.

    ``ctx.get_parameter_source`` tells a --lang typed from the default (nl for reports).
    """
    source = ctx.get_parameter_source("lang")
    if source is None or source.name != "COMMANDLINE" or value not in ("nl", "en"):
        return None
    return value


def _lang_option(ctx: typer.Context, value: str) -> str:
    """Take an explicit --lang as the message language at once (for the checks of arguments)."""
    if _explicit_lang(ctx, value):
        _RUN["lang"], _RUN["bad_env"] = value, ""
    return value


def _set_lang(ctx) -> None:
    """Set this run's message language: ``--lang``, else $ASSESS_LANG, else the locale.

    A $ASSESS_LANG that is neither nl nor en is remembered (to be said as an error before
    the command runs, unless --lang was given); meanwhile the locale decides.
    """
    from assessment.core.i18n import LANG_ENV, message_lang

    explicit = _explicit_lang(ctx, ctx.params.get("lang"))
    try:
        _RUN["lang"], _RUN["bad_env"] = message_lang(explicit, os.environ), ""
    except ValueError:
        locale = {k: v for k, v in os.environ.items() if k != LANG_ENV}
        _RUN["lang"], _RUN["bad_env"] = message_lang(None, locale), os.environ[LANG_ENV]


class _HelpWords:
    """typer's own help words in the help language: the --help option, "Usage:", the panels."""

    def get_help_option(self, ctx):  # noqa: D102 (click's)
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _H["help_option"]
        return option

    def format_usage(self, ctx, formatter) -> None:  # noqa: D102 (click's)
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=_H["usage"])

    def format_help(self, ctx, formatter) -> None:  # noqa: D102 (click's)
        _typer_words()
        return super().format_help(ctx, formatter)


class _Group(_HelpWords, TyperGroup):
    """A group of commands whose help is in the help language."""


class _Command(_HelpWords, TyperCommand):
    """A command whose messages are in the run's language, known once its options are parsed."""

    def invoke(self, ctx: typer.Context):
        _set_lang(ctx)
        if _RUN["bad_env"]:  # bad usage of the environment (exit 2)
            _error_line(_t("cli_bad_lang_env", value=_RUN["bad_env"]))
            raise typer.Exit(code=2)
        return super().invoke(ctx)


class _Typer(typer.Typer):
    """A typer app whose commands are :class:`_Command`."""

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", _Command)
        kwargs.setdefault("options_metavar", _H["options_metavar"])
        return super().command(*args, **kwargs)


class _OneLineErrors(_Group):
    """The command group: whatever goes wrong in a command ends as one ``error:`` line."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        """Parse the options of ``assess`` itself; typer shows their usage error in a panel.

        Its message is in the language of the environment (no command has read --lang yet).
        """
        try:
            return super().parse_args(ctx, args)
        except _click_errors.NoArgsIsHelpError:
            raise
        except _UsageErrorBase as exc:
            _typer_words()
            lang = help_lang(os.environ)
            if lang == "en":
                raise
            raise _UsageError(usage_message(exc, lang), ctx=exc.ctx) from exc

    def invoke(self, ctx: typer.Context):
        _set_lang(ctx)  # for an unknown command too (found before ``_main`` runs)
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, _click_errors.NoArgsIsHelpError):
            raise  # a group without its command (`assess class`) has shown its help
        except _UsageErrorBase as exc:  # bad usage: an option or argument (exit 2)
            if ctx.params.get("debug"):
                raise
            message = usage_message(exc, _RUN["lang"])
            if exc.ctx is not None:
                message += _t("cli_see_help", command=exc.ctx.command_path)
            _error_line(message)
            raise typer.Exit(code=exc.exit_code) from None
        except KeyboardInterrupt:
            if ctx.params.get("debug"):
                raise
            _error_line(_t("cli_interrupted"))
            raise typer.Exit(code=130) from None
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            _error_line(_describe(exc))
            raise typer.Exit(code=1) from None


def _said(exc: Exception) -> str:
    """Return the message of an error we raise: a file's problems in the run's language."""
    return exc.describe(_RUN["lang"]) if isinstance(exc, AssessmentError) else str(exc)


def _describe(exc: Exception) -> str:
    """One line for an error: the message of ours, the file and reason of an OSError."""
    if isinstance(exc, AssessmentError):
        return _said(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    what = str(exc).splitlines()[0] if str(exc) else ""
    return _t("cli_unexpected", error=f"{type(exc).__name__}{': ' + what if what else ''}")


def _error_line(message: str) -> None:
    err.print(f"[bold red]{escape(_t('cli_error'))}[/] {escape(message)}", highlight=False,
              markup=True)


def _warning(message: str) -> None:
    """Print one warning line on stderr."""
    err.print(_t("cli_warning", message=message), highlight=False, markup=False)


app = _Typer(
    cls=_OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    help=_H["app"],
    options_metavar=_H["options_metavar"],
    subcommand_metavar=_H["subcommand_metavar"],
)


class _SafeConsole(Console):
    r"""A console that shows a control character from a file (ESC, BEL) as ``\x1b``.

    Names, headers and values come from untrusted files: printed as they are, an ESC
    sequence would recolour or clear the terminal, set its title or write its clipboard
    (:func:`~assessment.core.text.printable`; our own line breaks stay).
    """

    def print(self, *objects, **kwargs) -> None:  # noqa: D102 (Console.print)
        from assessment.core.text import printable

        super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)


class _SafeTable(Table):
    """A table whose cells show control characters as :class:`_SafeConsole` does."""

    def add_row(self, *cells, **kwargs) -> None:  # noqa: D102 (Table.add_row)
        from assessment.core.text import printable

        super().add_row(*(printable(c) if isinstance(c, str) else c for c in cells), **kwargs)


# markup off: names, paths and errors come from the user's files and are printed as they are
# (an organisation "[bold]" or "[/]" is text); the few styled prefixes escape what they show
console = _SafeConsole(soft_wrap=True, markup=False)
err = _SafeConsole(stderr=True, soft_wrap=True, markup=False)

Lang = Annotated[str, typer.Option("--lang", help=_H["lang"],
                                   callback=_lang_option, is_eager=True)]
Db = Annotated[str, typer.Option("--db", help=_H["db"])]
Norms = Annotated[str, typer.Option("--norms", help=_H["norms"])]
Comments = Annotated[str, typer.Option("--comments", help=_H["comments"])]
Sector = Annotated[str, typer.Option("--sector", help=_H["sector"])]
TargetStages = Annotated[str, typer.Option("--target-stages", help=_H["target_stages"])]


def _fail(message: str) -> None:
    """End the command: bad data or a failed run (exit 1)."""
    _error_line(message)
    raise typer.Exit(code=1)


class _UsageError(typer.BadParameter):
    """Bad usage found inside a command: said as written (exit 2)."""

    def format_message(self) -> str:
        return self.message


def _usage(message: str) -> None:
    """End the command: bad usage, an option or argument that cannot work (exit 2)."""
    raise _UsageError(message)


def _check_target_stages(text: str) -> str:
    """Refuse a --target-stages value that names an unknown interface or stage (exit 2)."""
    if not text:
        return text
    from assessment.core.instruments import list_instruments, staged_instrument
    from assessment.report.recommend import parse_target_stages

    staged = staged_instrument(list_instruments())
    try:
        if staged is not None:
            parse_target_stages(text, staged)
    except ValueError as exc:
        _usage(f"--target-stages: {exc}")
    return text


def _check_comments(mode: str) -> str:
    from assessment.core.privacy import COMMENT_MODES

    if mode not in COMMENT_MODES:
        _usage(_t("cli_bad_comments", choices=", ".join(COMMENT_MODES), value=mode))
    return mode


def _check_lang(lang: str) -> str:
    if lang not in ("nl", "en"):
        _usage(_t("cli_bad_lang", value=lang))
    return lang


def _bad_value(param: typer.CallbackParam, value: Path, problem: str):
    """End the command: an argument or option that cannot work, and why (exit 2)."""
    hint = _argument_hint(param, _RUN["lang"])  # an argument's name in the run's language
    raise _UsageError(_t("cli_invalid_value", param=hint, message=f"{value}: {problem}"))


def _input_file(param: typer.CallbackParam, value: Path | None) -> Path | None:
    """Check a file argument before anything is read: a regular, readable file.

    Looked up as the package looks it up (:func:`~assessment.core.config.resolve_path`).
    """
    from assessment.core.config import resolve_path

    if value is not None and str(value):
        problem = check_input_file(resolve_path(value), _RUN["lang"])
        if problem:
            _bad_value(param, value, problem)
    return value


def _output_folder(param: typer.CallbackParam, value: Path) -> Path:
    problem = check_output(value, folder=True, lang=_RUN["lang"])
    if problem:
        _bad_value(param, value, problem)
    return value


def _refuse_existing(out: Path, force: bool) -> None:
    """Stop (exit 2) when ``out`` exists and ``--force`` was not given: nothing is overwritten."""
    if out.exists() and not force:
        _usage(_t("cli_exists", out=out))


def _output_file(param: typer.CallbackParam, value: Path) -> Path:
    problem = check_output(value, folder=False, lang=_RUN["lang"])
    if problem:
        _bad_value(param, value, problem)
    return value


ResponsesFile = Annotated[
    Path, typer.Argument(help=_H["responses"], callback=_input_file)
]


@app.callback(help=_H["app"])
def _main(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option(
        "--debug", envvar="ASSESS_DEBUG",
        help=_H["debug"])] = False,
) -> None:
    """Score how well marketing, sales and service work together, and render reports."""
    _set_lang(ctx)  # for the checks of the command's arguments; the command sets it again


@app.command(help=_H["cmd_instruments"])
def instruments() -> None:
    """List the instruments with id, version, item count and languages."""
    from assessment.core.instruments import instrument_table, list_instruments

    try:
        table = instrument_table(list_instruments())
    except AssessmentError as exc:
        _fail(_said(exc))
    titles = {i.id: i.title.nl for i in list_instruments()} if _RUN["lang"] == "nl" else {}
    out = _SafeTable(*(_t(f"cli_instruments_heading_{h}") for h in
                  ("id", "version", "items", "scored", "languages", "title")))
    for row in table.itertuples():
        out.add_row(row.id, row.version, str(row.items), str(row.scored_items), row.languages,
                    titles.get(row.id, row.title))
    console.print(out)


@app.command(help=_H["cmd_template"])
def template(
    instrument: Annotated[str, typer.Option(help=_H["template_instrument"])],
    out: Annotated[Path, typer.Option(help=_H["template_out"],
                                      callback=_output_file)],
    lang: Lang = "nl",
    seed: Annotated[int, typer.Option(
        help=_H["template_seed"])] = 2026,
    force: Annotated[bool, typer.Option("--force", help=_H["force_out"])] = False,
) -> None:
    """Write a fill-in file: the right columns (XLSX adds drop-downs and an explanation).

    The drop-downs list each question's answers in a shuffled order that the seed fixes
    (the instrument files keep them worst to best); "don't know / not applicable" comes last.
    """
    from assessment.core.instruments import load_instrument
    from assessment.core.template import write_template

    _check_lang(lang)
    _refuse_existing(out, force)
    try:
        path = write_template(load_instrument(instrument), out, lang=lang, seed=seed)
    except (AssessmentError, ValueError) as exc:
        _fail(_said(exc))
    console.print(_t("cli_wrote", path=path))


#: organisation rows ``validate`` prints (a class or a client fits; a national file is summed up)
SHOWN_ORGANISATIONS = 30
#: organisations ``score`` analyses and writes at a time (one part; more go to worker processes)
PART_ORGANISATIONS = 500
#: a responses file this large probably holds more than one part (about 220 bytes a row)
WORKERS_LIKELY_BYTES = 1_500_000


def _read(responses: Path):
    from assessment.core.ingest import read_responses  # pandas: only for the commands that read

    try:
        return read_responses(responses)
    except AssessmentError as exc:
        _fail(_said(exc))


def _print_dont_know(r) -> None:
    """Say how many answers were "don't know / not applicable" (counted as not answered)."""
    count, share = r.dont_know_share()
    if count:
        console.print(_t("cli_dont_know", count=count, share=_percent(share)), highlight=False,
                      markup=False)


def _decimal(text: str) -> str:
    """Return a number written with a decimal point as the run's language does (2,5 in Dutch)."""
    return text.replace(".", ",") if _RUN["lang"] == "nl" else text


def _percent(share: float) -> str:
    """Return a share as a percentage with one decimal, in the run's language: 12.5% or 12,5%."""
    return _decimal(f"{share:.1%}")


@app.command(help=_H["cmd_validate"])
def validate(
    responses: ResponsesFile,
) -> None:
    """Check a responses file; print its errors (exit 1) or the counts (exit 0).

    Errors are rows rejected (not scored). Warnings keep every row: a column, answer or
    department ignored or mapped, lines repaired from another encoding, invisible
    characters removed from names, organisation names that look alike. They are printed
    as "warning: …" and do not fail the file.
    """
    r = _read(responses)
    lang = _RUN["lang"]
    warnings = [*r.warnings, *r.notices]
    for w in warnings:
        _warning(w.describe(lang))
    for f in r.personal.itertuples():  # where, and what kind: never the value
        console.print(_t("cli_personal", file=r.file, row=f.row, column=f.column,
                         kind=_t(f"cli_kind_{f.kind}")), highlight=False, markup=False)
    also = _t("cli_also_warnings", count=len(warnings)) if warnings else ""
    if r.errors:
        for p in r.errors:
            err.print(p.describe(lang), highlight=False, markup=False)
        _fail(_t("cli_validate_failed", count=len(r.errors), file=r.file, rows=r.rows_in,
                 accepted=len(r.data), rejected=len(r.rejected), also=also))
    summary = r.summary()
    console.print(_t("cli_validate_ok", file=r.file, rows=r.rows_in, also=also,
                     organisations=summary.shape[0],
                     instruments=", ".join(i.id for i in r.instruments)),
                  highlight=False, markup=False)
    table = _SafeTable(_t("cli_heading_organisation"), _t("cli_heading_wave"),
                  *(_t(f"cli_dept_{d}") for d in summary.columns), _t("cli_heading_total"))
    for (org, wave), row in summary.head(SHOWN_ORGANISATIONS).iterrows():
        table.add_row(org, wave or "–", *(str(v) for v in row), str(int(row.sum())))
    console.print(table)
    _print_dont_know(r)
    if len(summary) > SHOWN_ORGANISATIONS:
        console.print(_t("cli_more_organisations", count=len(summary) - SHOWN_ORGANISATIONS),
                      highlight=False, markup=False)


def default_score_jobs(cores: int) -> int:
    """Worker processes ``assess score`` uses by default: one per core from 3 cores, else 1.

    The parent reads the file, computes the cohort figures and writes the CSV while the
    workers analyse; on 2 cores two workers beside it gained 13–21% of the wall time for
    20–33% more CPU and about 50% more memory (README, measured), so there it works alone.

    Examples
    --------
    >>> default_score_jobs(2), default_score_jobs(8)
    (1, 8)
    """
    return cores if cores >= 3 else 1


@app.command(help=_H["cmd_score"])
def score(
    responses: ResponsesFile,
    out: Annotated[Path, typer.Option(help=_H["score_out"],
                                      callback=_output_file)],
    min_group_size: Annotated[
        int, typer.Option(help=_H["min_group_size"])
    ] = 3,
    seed: Annotated[int, typer.Option(help=_H["score_seed"])] = 2026,
    dask_scheduler: Annotated[
        str, typer.Option("--dask-scheduler",
                          help=_H["score_dask_scheduler"])
    ] = "",
    jobs: Annotated[int, typer.Option(
        help=_H["score_jobs"])] = 0,
    force: Annotated[bool, typer.Option("--force", help=_H["force_out"])] = False,
) -> None:
    """Score and analyse every organisation (and wave); write tidy scores as CSV or XLSX.

    Besides the scores: spread, 95% interval, agreement, reliability, ranks, change since
    the previous wave, NPS, sources of tension, and department rows that respect anonymity.
    A CSV is written as the organisations are analysed, in parts (the same file).
    """
    import math

    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from assessment.analysis.whole_file import (
        analyse_in_parts,
        local_executor,
        start_worker_server,
    )

    if out.suffix.lower() not in (".csv", ".xlsx"):
        _usage(_t("cli_out_suffix", name=out.name))
    if jobs < 0:
        _usage(_t("cli_bad_jobs", jobs=jobs))
    _refuse_existing(out, force)
    jobs = jobs or default_score_jobs(os.cpu_count() or 1)
    if jobs > 1 and not dask_scheduler and responses.stat().st_size > WORKERS_LIKELY_BYTES:
        start_worker_server()  # its imports overlap the reading of the file
    r = _read(responses)
    for p in [*r.warnings, *r.problems]:
        _warning(p.describe(_RUN["lang"]))
    organisations = int(r.data["organisation"].nunique())
    per_part = PART_ORGANISATIONS
    client, pool, executor, in_flight = None, None, None, 4
    if dask_scheduler:
        client = _dask_client(dask_scheduler)
        executor, in_flight = client.get_executor(), sum(client.nthreads().values()) + 1
    elif jobs > 1 and organisations > per_part:
        # a few parts per worker keeps both busy to the end; the figures do not depend on it
        per_part = min(PART_ORGANISATIONS // 2, max(PART_ORGANISATIONS // 10,
                                               math.ceil(organisations / (4 * jobs))))
        pool = executor = local_executor(jobs)
        in_flight = jobs
    counts = {"rows": 0, "organisations": 0}

    def parts():
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(),
                      console=err, transient=True,
                      disable=organisations <= PART_ORGANISATIONS) as progress:
            task = progress.add_task(_t("cli_progress_organisations"), total=organisations)
            try:
                for k, part in enumerate(analyse_in_parts(
                        r.data, r.instruments, min_group_size=min_group_size, seed=seed,
                        executor=executor, organisations_per_part=per_part,
                        in_flight=in_flight)):
                    counts["rows"] += len(part)
                    counts["organisations"] += part["organisation"].nunique()
                    progress.update(task, completed=counts["organisations"])
                    yield (part if out.suffix.lower() == ".xlsx"
                           else csv_text(part, header=k == 0))
            except ValueError as exc:
                _fail(_said(exc))

    try:
        if out.suffix.lower() == ".xlsx":
            import pandas as pd

            write_atomic(out, xlsx_bytes(pd.concat(list(parts()), ignore_index=True), "scores"))
        else:
            write_atomic_parts(out, parts())
    finally:
        if client is not None:
            client.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    console.print(
        _t("cli_score_wrote", path=out, rows=counts["rows"], organisations=counts["organisations"],
           scored=len(r.data), rejected=len(r.rejected)),
        highlight=False,
    )


@app.command(help=_H["cmd_report"])
def report(
    responses: ResponsesFile,
    org: Annotated[str, typer.Option("--org", help=_H["report_org"])],
    out: Annotated[Path, typer.Option(help=_H["report_out"],
                                      callback=_output_folder)],
    lang: Lang = "nl",
    wave: Annotated[str, typer.Option(help=_H["report_wave"])] = "",
    min_group_size: Annotated[
        int, typer.Option(help=_H["min_group_size"])
    ] = 3,
    format: Annotated[str, typer.Option("--format", help=_H["format"])] = "html",
    norms: Norms = "",
    sector: Sector = "",
    comments: Comments = "redacted",
    target_stages: TargetStages = "",
    force: Annotated[bool, typer.Option(
        "--force", help=_H["report_force"])] = False,
) -> None:
    """Render one organisation's report as executed notebook and HTML (no code visible)."""
    # as a batch renders each report: the file read and analysed once, a pre-loaded kernel
    from assessment.batch.single import render_one

    _check_lang(lang)
    _check_target_stages(target_stages)
    _norms_state(norms, sector)
    try:
        _check_comments(comments)
        result = render_one(responses, org, out, lang=lang, wave=wave,
                            min_group_size=min_group_size, comments=comments,
                            formats=("html", "pdf") if "pdf" in format else ("html",),
                            norms=norms, norms_sector=sector, target_stages=target_stages,
                            force=force)
    except OutputExists as exc:
        _usage(_said(exc))
    except AssessmentError as exc:
        _fail(_said(exc))
    for path in result.outputs:
        console.print(_t("cli_wrote", path=path), highlight=False)


@app.command(help=_H["cmd_batch"])
def batch(
    responses: ResponsesFile,
    out: Annotated[Path, typer.Option(help=_H["batch_out"],
                                      callback=_output_folder)],
    jobs: Annotated[int, typer.Option(help=_H["batch_jobs"])] = 0,
    lang: Lang = "nl",
    format: Annotated[str, typer.Option("--format", help=_H["format"])] = "html",
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help=_H["batch_fail_fast"])]
    = False,
    force: Annotated[bool, typer.Option("--force", help=_H["batch_force"])]
    = False,
    dask_scheduler: Annotated[
        str, typer.Option("--dask-scheduler", help=_H["batch_dask_scheduler"])
    ] = "",
    notebook: Annotated[
        Path | None, typer.Option(
            "--notebook", callback=_input_file,
            help=_H["batch_notebook"])
    ] = None,
    min_group_size: Annotated[
        int, typer.Option(help=_H["min_group_size"])
    ] = 3,
    norms: Norms = "",
    sector: Sector = "",
    comments: Comments = "redacted",
    target_stages: TargetStages = "",
) -> None:
    """Render every organisation (× wave) in parallel, resumably, with index and overview.

    A --notebook is code: it runs with your rights on this machine, so use only one you trust.
    """
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
        _usage(_t("cli_bad_format", value=format))
    formats = ("html", *(["pdf"] if "pdf" in formats else []))
    if jobs < 0:
        _usage(_t("cli_bad_jobs", jobs=jobs))
    _check_comments(comments)
    _check_target_stages(target_stages)
    state = _norms_state(norms, sector)
    executor = client = None
    if dask_scheduler:
        client = _dask_client(dask_scheduler)
        executor = client.get_executor()
    counts_text = _t("cli_progress_counts", done="{task.fields[done]}",
                     failed="{task.fields[failed]}", left="{task.fields[left]}")
    columns = [TextColumn("{task.description}"), BarColumn(), TextColumn(counts_text),
               TimeElapsedColumn(), TextColumn(_t("cli_progress_eta")), TimeRemainingColumn()]
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(_t("cli_progress_reports"), total=None, done=0, failed=0,
                                 left="?")

        def on_progress(result: dict, counts: dict) -> None:
            progress.update(task, total=counts["total"],
                            completed=counts["done"] + counts["failed"], done=counts["done"],
                            failed=counts["failed"], left=counts["left"])
            if result.get("status") == "failed":
                who = result.get("organisation") or _t("cli_cohort_overview")
                where = (_t("cli_in_cell", cell=result["cell"])
                         if result.get("cell") is not None else "")
                progress.console.print(f"[red]{escape(_t('cli_failed_now'))}[/] "
                                       f"{escape(f'{who}{where}')}: "
                                       f"{escape(str(result['error']))}",
                                       highlight=False, markup=True)

        try:
            summary = run_batch(responses, out, jobs=jobs or None, lang=lang, formats=formats,
                                fail_fast=fail_fast, force=force, executor=executor,
                                on_progress=on_progress, min_group_size=min_group_size,
                                norms=norms, norms_sector=sector, norms_state=state,
                                comments=comments, target_stages=target_stages,
                                **({"report_notebook": notebook} if notebook else {}))
        except (AssessmentError, ValueError) as exc:
            _fail(_said(exc))
        finally:
            if client is not None:
                client.close()
    skipped = sum(1 for v in summary.items.values() if v.get("skipped"))
    console.print(_t("cli_batch_summary", done=summary.count("ok"), skipped=skipped,
                     failed=summary.count("failed"), cancelled=summary.count("cancelled"),
                     seconds=_decimal(f"{summary.seconds:.1f}")),
                  highlight=False)
    for info in summary.failed:
        who = info.get("organisation") or _t("cli_cohort_overview")
        where = (_t("cli_cell", cell=info["cell"]) if info.get("cell") is not None
                 else _t("cli_start"))
        console.print(_t("cli_batch_failed", who=who, where=where, error=info["error"]),
                      highlight=False, markup=False)
    console.print(_t("cli_index", path=summary.index), highlight=False)
    if summary.count("failed") or summary.count("cancelled"):
        raise typer.Exit(code=1)


def _norms_state(norms: str, sector: str) -> str:
    """Open (and upgrade) the norm store before any kernel reads it; its fingerprint."""
    if sector and not norms:
        _fail(_t("cli_sector_needs_norms"))
    if not norms:
        return ""
    from assessment.norms.compare import norms_state

    try:
        return norms_state(norms)
    except AssessmentError as exc:
        _fail(_said(exc))


def _target(db: str) -> str:
    from assessment.norms.store import default_target

    return db or default_target()


@app.command(help=_H["cmd_store"])
def store(
    responses: Annotated[Path, typer.Argument(help=_H["responses"])],
    db: Db = "",
    sector: Annotated[str, typer.Option(help=_H["store_sector"])] = "",
    size: Annotated[str, typer.Option(help=_H["store_size"])] = "",
    label: Annotated[str, typer.Option(help=_H["store_label"])]
    = "",
    keep_names: Annotated[bool, typer.Option(
        "--keep-names", help=_H["store_keep_names"])] = False,
    salt_in_store: Annotated[bool, typer.Option(
        "--salt-in-store", help=_H["store_salt_in_store"])] = False,
) -> None:
    """Score a file and store its anonymous aggregates in the norm store (idempotent).

    Per organisation × wave × instrument: scores with n, spread and trust figures, stages,
    profile, NPS counts, instrument version, date, sector, size and label. Never respondent
    rows, ids, names or free text; organisations under a salted hash unless --keep-names.
    """
    from assessment.norms.compare import store_responses
    from assessment.norms.records import SIZES
    from assessment.norms.store import describe_target

    if size and size not in SIZES:
        _fail(_t("cli_bad_size", choices=", ".join(SIZES), value=size))
    target = _target(db)
    r = _read(responses)
    for p in r.problems:
        _warning(p.describe(_RUN["lang"]))
    try:
        result = store_responses(r, target, sector=sector, size=size, label=label,
                                 keep_names=keep_names, salt_in_store=salt_in_store)
    except (AssessmentError, ValueError) as exc:
        _fail(_said(exc))
    if result.key_file:
        console.print(_t("cli_new_store", path=result.key_file), highlight=False, markup=False)
    if result.advice:
        _warning(result.advice)
    groups = r.data[["organisation", "wave"]].drop_duplicates()
    console.print(
        _t("cli_stored", target=describe_target(target), new=result.new,
           replaced=result.replaced, unchanged=result.unchanged, groups=len(groups),
           file=responses), highlight=False, markup=False)


@app.command(help=_H["cmd_norms"])
def norms(
    db: Db = "",
    sector: Annotated[str, typer.Option(help=_H["norms_sector"])] = "",
    size: Annotated[str, typer.Option(help=_H["norms_size"])] = "",
    instrument: Annotated[str, typer.Option(help=_H["norms_instrument"])] = "",
    out: Annotated[Path | None, typer.Option(help=_H["norms_out"])] = None,
) -> None:
    """Print or write the norm table of the stored records.

    Per interface, dimension and discipline: the number of organisations (latest record of
    each), mean, percentiles 10/25/50/75/90 and the share in each stage.
    """
    from assessment.norms.compare import NORM_COLUMNS
    from assessment.norms.store import describe_target, open_store
    from assessment.norms.table import PERCENTILES, norm_table

    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        _fail(_t("cli_out_suffix", name=out.name))
    target = _target(db)
    try:
        with open_store(target) as st:
            table = norm_table(st.scores(instrument=instrument, sector=sector, size=size,
                                         columns=NORM_COLUMNS, ordered=False))
    except AssessmentError as exc:
        _fail(_said(exc))
    if out is not None:
        if out.suffix.lower() == ".xlsx":
            write_atomic(out, xlsx_bytes(table, "norms"))
        else:
            write_atomic(out, table.to_csv(index=False))
        console.print(_t("cli_wrote_rows", path=out, rows=len(table)), highlight=False)
        return
    if table.empty:
        selection = _t("cli_for_selection") if sector or size or instrument else ""
        console.print(_t("cli_no_records", target=describe_target(target), selection=selection),
                      highlight=False, markup=False)
        return
    stages = [c for c in table.columns[table.columns.get_loc("p90") + 1:]]
    view = _SafeTable(*(_t(f"cli_norms_heading_{h}") for h in
                   ("instrument", "level", "part", "orgs", "mean")),
                 *(f"p{p}" for p in PERCENTILES), *stages)
    for row in table.itertuples(index=False):
        d = row._asdict()
        view.add_row(d["instrument"], d["level"],
                     "/".join(x for x in (d["interface"], d["dimension"]) if x),
                     str(d["organisations"]),
                     *(_decimal(f"{d[c]:.2f}") for c in ["mean", *(f"p{p}" for p in
                                                                  PERCENTILES)]),
                     *("" if d[c] != d[c] else f"{d[c]:.0%}" for c in stages))
    console.print(view)


@app.command(help=_H["cmd_forget"])
def forget(
    db: Db = "",
    label: Annotated[str, typer.Option(help=_H["forget_label"])] = "",
    organisation: Annotated[str, typer.Option(
        help=_H["forget_organisation"])] = "",
    organisation_hash: Annotated[str, typer.Option(
        help=_H["forget_organisation_hash"])] = "",
) -> None:
    """Remove records from the norm store (a client's right to be forgotten); say how many."""
    from assessment.norms.records import organisation_key
    from assessment.norms.store import describe_target, open_store

    if sum(bool(x) for x in (label, organisation, organisation_hash)) != 1:
        _fail(_t("cli_forget_one"))
    target = _target(db)
    try:
        with open_store(target) as st:
            if label:
                records, orgs = st.forget(label=label)
            else:
                keys = ({organisation_hash} if organisation_hash else
                        {organisation_key(organisation, st.salt), organisation})
                counts = [st.forget(organisation=k) for k in keys]
                records, orgs = (sum(c[0] for c in counts), sum(c[1] for c in counts))
    except AssessmentError as exc:
        _fail(_said(exc))
    console.print(_t("cli_forgot", target=describe_target(target), records=records,
                     organisations=orgs), highlight=False, markup=False)


@app.command(help=_H["cmd_salt"])
def salt(
    db: Db = "",
    out_of_store: Annotated[bool, typer.Option(
        "--out-of-store", help=_H["salt_out_of_store"])] = False,
    into_store: Annotated[bool, typer.Option(
        "--into-store", help=_H["salt_into_store"])] = False,
) -> None:
    """Say where the norm store's salt is (the secret of its organisation hashes), or move it."""
    from assessment.norms.store import describe_target, key_file, open_store

    if out_of_store and into_store:
        _fail(_t("cli_salt_one"))
    target = _target(db)
    try:
        with open_store(target) as st:
            if out_of_store or into_store:
                written = st.move_salt(into_store=into_store)
                if written:
                    console.print(_t("cli_wrote", path=written), highlight=False, markup=False)
            where = (_t("cli_salt_inside") if st.salt_location == "store"
                     else _t("cli_salt_outside", path=key_file(st.store_id)))
            advice = st.salt_advice()
    except AssessmentError as exc:
        _fail(_said(exc))
    console.print(_t("cli_salt_where", target=describe_target(target), store=st.store_id,
                     where=where), highlight=False, markup=False)
    if advice:
        _warning(advice)

class_app = _Typer(cls=_Group, no_args_is_help=True, help=_H["class"],
                   options_metavar=_H["options_metavar"],
                   subcommand_metavar=_H["subcommand_metavar"])
app.add_typer(class_app, name="class")


@class_app.command("serve", help=_H["cmd_class_serve"])
def class_serve(
    out: Annotated[Path, typer.Option(help=_H["class_folder"])] = Path(
        "class-answers"),
    port: Annotated[int, typer.Option(help=_H["class_serve_port"])] = 8866,
    lang: Annotated[str, typer.Option(
        "--lang", help=_H["class_serve_lang"],
        callback=_lang_option, is_eager=True)] = "en",
    ip: Annotated[str, typer.Option(help=_H["class_serve_ip"])] = "0.0.0.0",
    max_kernels: Annotated[int, typer.Option(help=_H["class_serve_max_kernels"])] = 40,
    pool: Annotated[int, typer.Option(help=_H["class_serve_pool"])] = 2,
    cull_idle: Annotated[int, typer.Option(
        help=_H["class_serve_cull_idle"])] = 1800,
    cull_interval: Annotated[int, typer.Option(help=_H["class_serve_cull_interval"])] = 60,
) -> None:
    """Start the class page (Voilà) and run until Ctrl-C; students open http://HOST:PORT/."""
    import subprocess

    from assessment.teaching.classroom import serve_command

    _check_lang(lang)
    out.mkdir(parents=True, exist_ok=True)
    cmd, env = serve_command(port, lang, out, ip, max_kernels, pool, cull_idle, cull_interval)
    console.print(_t("cli_class_serving", ip=ip, port=port, out=out), highlight=False)
    try:
        raise typer.Exit(subprocess.call(cmd, env=env))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


@class_app.command("status", help=_H["cmd_class_status"])
def class_status_cmd(
    folder: Annotated[Path, typer.Argument(help=_H["class_folder"])],
) -> None:
    """Print how many students have submitted, and what (run again to refresh)."""
    from assessment.teaching.classroom import class_status

    st = class_status(folder)
    console.print(_t("cli_class_status", folder=folder, submitted=len(st.submitted),
                     claimed=st.claimed), highlight=False)
    if st.submitted.empty:
        return
    table = _SafeTable(*st.submitted.columns)
    for row in st.submitted.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    console.print(table)
    orgs = _SafeTable(_t("cli_heading_organisation"), _t("cli_heading_submissions"))
    for org, n in st.organisations.items():
        orgs.add_row(str(org), str(n))
    console.print(orgs)


@class_app.command("collect", help=_H["cmd_class_collect"])
def class_collect(
    folder: Annotated[Path, typer.Argument(help=_H["class_folder"])],
    out: Annotated[Path, typer.Option(help=_H["class_collect_out"])],
) -> None:
    """Stack the students' last saved answers into one responses file; validate it."""
    from assessment.teaching.classroom import collect_class

    data = collect_class(folder)
    if data.empty:
        _fail(_t("cli_class_no_answers", folder=folder))
    write_atomic(out, xlsx_bytes(data, "responses") if out.suffix.lower() == ".xlsx"
                 else csv_text(data).encode("utf-8"))
    console.print(_t("cli_class_wrote", path=out, count=len(data)), highlight=False)
    validate(out)


#: seconds to wait for a Dask scheduler before saying it cannot be reached
DASK_TIMEOUT = 5


def _dask_client(address: str):
    """Connect to a Dask scheduler, or end with one line when it cannot be reached."""
    from distributed import Client

    try:
        return Client(address, timeout=f"{DASK_TIMEOUT}s")
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        _fail(_t("cli_dask_unreachable", address=address, seconds=DASK_TIMEOUT, reason=reason))


def main() -> None:  # pragma: no cover
    """Run the command-line interface."""
    app()
