"""Files: input and output paths checked, unique report names, safe CSV, atomic writes."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "OUTPUT_NAMES",
    "check_input_file",
    "check_output",
    "csv_text",
    "report_names",
    "safe_name",
    "write_atomic",
    "write_atomic_parts",
    "xlsx_bytes",
]

#: file names (without suffix) a batch writes for itself; no report is ever named so
OUTPUT_NAMES = frozenset({"index", "manifest", "scores", "cohort_overview"})
#: names Windows refuses as a file name, whatever the suffix
_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                           *(f"lpt{i}" for i in range(1, 10))})
#: longest organisation slug kept whole (a wave's: half that); longer ones get a hash
MAX_SLUG = 80
#: hex digits of the hash that tells apart names sharing a slug
HASH_LENGTH = 8
#: first characters a spreadsheet reads as the start of a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def check_input_file(path: str | Path) -> str | None:
    """Return why ``path`` cannot be read as an input file, or None when it can.

    Only a regular file will do: a folder is named as such, and a named pipe, device or
    socket is refused because reading one can wait forever. Never opens the path.

    Examples
    --------
    >>> check_input_file("/")
    'this is a folder, not a file'
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot read it: {exc.strerror}"
    if stat.S_ISDIR(mode):
        return "this is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "this is not a regular file (a pipe, device or socket)"
    if not os.access(path, os.R_OK):
        return "cannot read it: permission denied"
    return None


def check_output(path: str | Path, folder: bool) -> str | None:
    """Return why ``path`` cannot be written as an output folder (or file), or None when it can.

    A folder must not be a file, a file not a folder, and what exists of the path (or its
    nearest existing parent) must be a writable folder. Creates nothing.

    Examples
    --------
    >>> check_output("/", folder=False)
    'this is a folder; give a file name'
    """
    path = Path(path)
    if path.exists():
        if folder and not path.is_dir():
            return "this is a file, not a folder"
        if not folder and path.is_dir():
            return "this is a folder; give a file name"
    parent = path if folder else path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot write in {parent} (read-only)"
    return None


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    write_atomic_parts(path, [data])


def write_atomic_parts(path: Path, parts: Iterable[str | bytes]) -> None:
    """Write ``parts`` one after the other to ``path``, atomically, as they come.

    As :func:`write_atomic`, for output made in parts (a large scores file): only one part
    is held at a time, and ``path`` appears, complete, only when the last one is written;
    an error on the way leaves no file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for data in parts:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _short_hash(organisation: str, wave: str, length: int = HASH_LENGTH) -> str:
    return hashlib.sha256(f"{organisation}\0{wave}".encode()).hexdigest()[:length]


def safe_name(organisation: str, wave: str = "") -> str:
    """Return a file-name-safe version of an organisation name (and wave).

    The slug of the name: ASCII letters and digits joined by hyphens, then ``_`` and the
    wave's slug. A slug that is empty (a name in another script) becomes
    ``organisation`` (``wave``), one longer than :data:`MAX_SLUG` characters (half that
    for a wave) is cut; both then end in ``-`` and a short hash of the exact name and
    wave, so the name is never empty nor too long for a file system. Names that share a
    slug are told apart by :func:`report_names`.

    Examples
    --------
    >>> safe_name("Bakkerij De Vries & Zn. B.V.")
    'bakkerij-de-vries-zn-b-v'
    >>> safe_name("Zoë's Café", "2026-Q1")
    'zoe-s-cafe_2026-q1'
    >>> safe_name("Ωμέγα")
    'organisation-1f33f6a7'
    """
    org_slug, wave_slug = _slug(organisation), _slug(wave)
    exact = (0 < len(org_slug) <= MAX_SLUG) and (not wave or 0 < len(wave_slug) <= MAX_SLUG // 2)
    name = org_slug[:MAX_SLUG].rstrip("-") or "organisation"
    if wave:
        name += "_" + (wave_slug[:MAX_SLUG // 2].rstrip("-") or "wave")
    return name if exact else f"{name}-{_short_hash(organisation, wave)}"


def report_names(keys: Iterable[tuple[str, str]],
                 reserved: Iterable[str] = OUTPUT_NAMES) -> dict[tuple[str, str], str]:
    """Return a distinct file name (no suffix) for each (organisation, wave) of a file.

    Each gets its :func:`safe_name`; where that is shared by another key, or is one of
    the ``reserved`` names (the batch's own files; ``-`` and ``_`` alike, any case) or a
    Windows device name, a hyphen and a short hash of the exact organisation and wave are
    added. The names depend only on the set of keys, never on their order, so the same
    file gets the same names in every run.

    Examples
    --------
    >>> names = report_names([("Acme & Co", ""), ("Acme Co", ""), ("Delta", ""),
    ...                       ("Index", "")])
    >>> for key, name in names.items():
    ...     print(key, name)
    ('Acme & Co', '') acme-co-56935291
    ('Acme Co', '') acme-co-912a6e6d
    ('Delta', '') delta
    ('Index', '') index-789d7ac5
    """
    keys = list(dict.fromkeys(keys))
    base = {k: safe_name(*k) for k in keys}

    def folded(name: str) -> str:
        return name.casefold().replace("_", "-")

    taken = {folded(r) for r in reserved} | _DEVICE_NAMES
    shared = Counter(folded(b) for b in base.values())
    marked = {k for k, b in base.items()
              if shared[folded(b)] > 1 or folded(b) in taken}
    length = HASH_LENGTH
    while True:
        names = {k: f"{base[k]}-{_short_hash(*k, length)}" if k in marked else base[k]
                 for k in keys}
        count = Counter(folded(n) for n in names.values())
        clash = {k for k, n in names.items() if count[folded(n)] > 1}
        if not clash or length >= 64:
            return names
        marked |= clash  # a name that happens to equal another's hashed name
        length *= 2


def csv_text(frame: pd.DataFrame, header: bool = True) -> str:
    """Return ``frame`` as CSV text (no index) that a spreadsheet opens without running it.

    Text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
    leading ``'``, as OWASP advises against CSV injection; numbers stay numbers (also
    text that is just a number, such as ``-0.5``), missing values stay empty. Every CSV
    the package writes goes through here.

    Examples
    --------
    >>> import pandas as pd
    >>> print(csv_text(pd.DataFrame({"organisation": ["=1+1", "-0.5", "Acme"],
    ...                              "score": [-0.5, 1.0, None]})), end="")
    organisation,score
    '=1+1,-0.5
    -0.5,1.0
    Acme,
    """
    import numpy as np
    import pandas as pd

    def cell(value: object) -> object:
        if (isinstance(value, str) and value.startswith(_FORMULA_START)
                and not _NUMBER.fullmatch(value)):
            return "'" + value
        return value

    text_columns = [c for c in frame.columns if not _is_numeric(frame[c])]
    safe = frame.copy() if text_columns else frame
    for column in text_columns:
        # each distinct value once: a scores table repeats a few texts in many rows
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        escaped = np.array([cell(u) for u in uniques] + [None], dtype=object)
        safe[column] = np.where(codes >= 0, escaped[codes], frame[column].to_numpy(dtype=object))
    safe.columns = [cell(str(c)) for c in frame.columns]
    return safe.to_csv(index=False, header=header)


def _is_numeric(column: pd.Series) -> bool:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return is_numeric_dtype(column.dtype) or is_bool_dtype(column.dtype)


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """Return ``frame`` as an XLSX workbook of one sheet: a bold header row, then the rows.

    Missing values become empty cells; numbers stay numbers, text stays text (never
    read as a formula or a number). Written row by row with xlsxwriter: about 3x faster
    than ``DataFrame.to_excel``, which formats every cell separately (0.26 s against
    0.90 s for the 2,600 x 38 scores of a 24-organisation batch).
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    ws = book.add_worksheet(sheet)
    ws.write_row(0, 0, [str(c) for c in frame.columns], book.add_format({"bold": True}))
    cells = frame.astype(object).where(frame.notna(), None)
    for row, values in enumerate(cells.itertuples(index=False, name=None), start=1):
        ws.write_row(row, 0, values)
    ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
