"""Files: safe names for organisations; writing through a temporary name and an atomic rename."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

__all__ = ["safe_name", "write_atomic"]


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def safe_name(organisation: str, wave: str = "") -> str:
    """Return a file-name-safe version of an organisation name (and wave).

    Examples
    --------
    >>> safe_name("Bakkerij De Vries & Zn. B.V.")
    'bakkerij-de-vries-zn-b-v'
    >>> safe_name("Zoë's Café", "2026-Q1")
    'zoe-s-cafe_2026-q1'
    """

    def slug(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "organisation"

    return slug(organisation) + (f"_{slug(wave)}" if wave else "")
