"""Errors raised by the assessment package.

Every error names what was received and what is allowed. Input problems carry
structured fields (file, row, column) so that a caller can list them all at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = [
    "AssessmentError",
    "InstrumentError",
    "OutputExists",
    "Problem",
    "ResponsesError",
]


class AssessmentError(Exception):
    """Base class of every error this package raises on purpose."""


class OutputExists(AssessmentError):
    """A file the command would write exists already, and replacing it was not asked for.

    Parameters
    ----------
    paths : list of Path
        The files that exist.
    """

    def __init__(self, paths):
        self.paths = list(paths)
        names = ", ".join(str(p) for p in self.paths)
        verb = "exists" if len(self.paths) == 1 else "exist"
        super().__init__(f"{names} {verb}; give another --out, or add --force to replace "
                         f"{'it' if len(self.paths) == 1 else 'them'}")


class InstrumentError(AssessmentError):
    """An instrument file is missing or broken.

    Parameters
    ----------
    file : str
        The instrument file.
    problems : list of str
        Every problem found, each naming the item or field concerned.
    """

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{file}: instrument file is not valid:\n{lines}")


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
        What was found and what is allowed, in the user's words.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"

    def to_dict(self) -> dict:
        """Return the problem as a plain dictionary."""
        return asdict(self)


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
