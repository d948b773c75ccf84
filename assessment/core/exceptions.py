"""Errors raised by the assessment package.

Every error names what was received and what is allowed. Input problems carry
structured fields (file, row, column) so that a caller can list them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the catalogue is read only when a problem is written in a language
    from assessment.core.i18n import Note

__all__ = [
    "AssessmentError",
    "InstrumentError",
    "OutputExists",
    "Problem",
    "ResponsesError",
]


class AssessmentError(Exception):
    """Base class of every error this package raises on purpose.

    Parameters
    ----------
    *args
        The message (English), as for any exception.
    note : Note, optional
        The same message as a catalogue key with its values, so that the command can say
        it in Dutch too (:meth:`describe`); None: English only.
    """

    def __init__(self, *args: object, note: Note | None = None):
        super().__init__(*args)
        self.note = note

    def describe(self, lang: str) -> str:
        """Return the message in ``lang`` ('nl' or 'en'); English is ``str(self)`` itself."""
        note = getattr(self, "note", None)
        return str(self) if lang == "en" or note is None else note.text(lang)


class OutputExists(AssessmentError):
    """A file the command would write exists already, and replacing it was not asked for.

    Parameters
    ----------
    paths : list of Path
        The files that exist.
    """

    def __init__(self, paths):
        self.paths = list(paths)
        from assessment.core.i18n import note

        names = ", ".join(str(p) for p in self.paths)
        verb = "exists" if len(self.paths) == 1 else "exist"
        super().__init__(f"{names} {verb}; give another --out, or add --force to replace "
                         f"{'it' if len(self.paths) == 1 else 'them'}",
                         note=note("error_output_exists" if len(self.paths) == 1
                                   else "error_outputs_exist", names=names))


class InstrumentError(AssessmentError):
    """An instrument file is missing or broken.

    Parameters
    ----------
    file : str
        The instrument file.
    problems : list of str
        Every problem found, each naming the item or field concerned.
    note : Note, optional
        The message as a catalogue key with its values (Dutch too); None: English only.
    """

    def __init__(self, file: str, problems: list[str], note: Note | None = None):
        self.file = file
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{file}: instrument file is not valid:\n{lines}", note=note)


@dataclass(frozen=True)
class Problem:
    """One problem found in a responses file.

    Parameters
    ----------
    file : str
        The responses file.
    row : int or None
        The row as a spreadsheet user counts it (header = row 1), or None for the whole file.
    column : str or None
        The column header as written in the file, or None.
    message : str
        What was found and what is allowed, in the user's words (English).
    note : Note, optional
        The same message as a catalogue key with its values (:class:`~assessment.core.i18n.Note`),
        so that it can be written in Dutch too; None: English only.
    rejected : bool
        True when the problem cost the row: it was rejected, not scored.

    Examples
    --------
    >>> from assessment.core.i18n import note
    >>> p = Problem("a.csv", 5, "dept", "row rejected: no organisation given",
    ...             note("ingest_rejected", reason=note("ingest_reason_no_organisation")), True)
    >>> str(p)
    'a.csv, row 5, column dept: row rejected: no organisation given'
    >>> p.describe("nl")
    'a.csv, rij 5, kolom dept: rij afgewezen: geen organisatie ingevuld'
    """

    file: str
    row: int | None
    column: str | None
    message: str
    note: Note | None = field(default=None, compare=False, repr=False)
    rejected: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return self.describe("en")

    def text(self, lang: str) -> str:
        """Return the message in ``lang`` ('nl' or 'en'); English is :attr:`message` itself."""
        if lang == "en" or self.note is None:
            return self.message
        return self.note.text(lang)

    def describe(self, lang: str) -> str:
        """Return "file, row N, column C: message" in ``lang`` ("bestand, rij N, kolom C: …")."""
        where = [self.file]
        if lang == "en":
            where += [f"row {self.row}"] * (self.row is not None)
            where += [f"column {self.column}"] * (self.column is not None)
        else:
            from assessment.core.i18n import t

            where += [t("problem_row", lang, row=self.row)] * (self.row is not None)
            where += [t("problem_column", lang, column=self.column)] * (self.column is not None)
        return f"{', '.join(where)}: {self.text(lang)}"

    def to_dict(self) -> dict:
        """Return the problem as a plain dictionary: file, row, column and (English) message."""
        return {"file": self.file, "row": self.row, "column": self.column,
                "message": self.message}


class ResponsesError(AssessmentError):
    """A responses file cannot be read at all (empty, not a table, unknown format).

    Parameters
    ----------
    problems : list of Problem
        Every problem found.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def describe(self, lang: str) -> str:
        """Return every problem, one a line, in ``lang`` ('nl' or 'en')."""
        return "\n".join(p.describe(lang) for p in self.problems)
