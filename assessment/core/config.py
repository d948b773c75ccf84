"""Paths used across the project, in one place.

Every path the package needs is derived here, so notebooks, the CLI and tests
agree on where things are.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "EXAMPLE_RESPONSES",
    "INSTRUMENT_DIR",
    "LOCALE_DIR",
    "PACKAGE_DIR",
    "PROJECT_ROOT",
    "REFERENCES_FILE",
    "REPORT_NOTEBOOK",
    "TEMPLATE_DIR",
    "resolve_path",
]

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_ROOT = PACKAGE_DIR.parent
INSTRUMENT_DIR = PACKAGE_DIR / "instruments"
LOCALE_DIR = PACKAGE_DIR / "locales"
REFERENCES_FILE = PACKAGE_DIR / "references.yaml"
TEMPLATE_DIR = PACKAGE_DIR / "templates"
REPORT_NOTEBOOK = PROJECT_ROOT / "notebooks" / "reports" / "organisation_report.ipynb"
EXAMPLE_RESPONSES = PROJECT_ROOT / "data" / "examples" / "responses.csv"


def resolve_path(path: str | Path) -> Path:
    """Resolve a user path: as given when it exists, else relative to the project root.

    Notebooks run with their own folder as working directory, so a path such as
    ``data/examples/responses.csv`` written from the project root is looked up there too.

    Parameters
    ----------
    path : str or Path
        The path as the user wrote it.

    Returns
    -------
    Path
        An absolute path (which may not exist; the caller reports that).

    Examples
    --------
    >>> resolve_path("data/examples/responses.csv") == EXAMPLE_RESPONSES
    True
    """
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p.resolve()
    candidate = PROJECT_ROOT / p
    return candidate.resolve() if candidate.exists() else p.resolve()
