"""A class session: students' identities, their saved answers, and the Voilà server for a class.

The trainer starts one server (``assess class serve``); every student opens the class
page (:mod:`assessment.teaching.classpage`), types a nickname and a code word of their
own, and fills in the self-assessment. Each student's answers live in one file named
after the student (``DIR/<student>.csv``), so a reload or a second submission replaces
that student's own answers (the last submission counts) and never another's: a nickname
is claimed with its code word the first time it is used, and the same nickname with a
different code word is refused. ``assess class collect`` and ``assess class status``
read the folder. This module does not import the widgets, so the CLI stays quick.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "APP_NOTEBOOK",
    "CLASS_DIR_ENV",
    "CLASS_LANG_ENV",
    "CappedKernelManager",
    "IdentityError",
    "claim",
    "class_status",
    "collect_class",
    "saved_answers",
    "serve_command",
    "student_id",
]

#: the notebook the class server shows: one cell that builds the class page
APP_NOTEBOOK = Path(__file__).parent / "apps" / "class.ipynb"
#: environment variables through which ``assess class serve`` tells the kernels where to
#: save and which language to show when the address has no ``?lang=``
CLASS_DIR_ENV, CLASS_LANG_ENV = "ASSESS_CLASS_DIR", "ASSESS_CLASS_LANG"
#: the folder of the claims (nickname -> hashed code word) inside the class folder
_CLAIMS = ".students"
_MAX_ID = 30


class IdentityError(ValueError):
    """A nickname or code word that cannot be used; ``key`` names the message in the locale."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def student_id(nickname: str) -> str:
    """Return the student's id: the nickname in lower-case ASCII letters, digits and hyphens.

    Raises :class:`IdentityError` (``teach_c_need_nickname``) when nothing is left.

    Examples
    --------
    >>> student_id("  Anouk B. ")
    'anouk-b'
    >>> student_id("Zoë_2")
    'zoe-2'
    """
    ascii_ = unicodedata.normalize("NFKD", nickname).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:_MAX_ID].strip("-")
    if not slug:
        raise IdentityError("teach_c_need_nickname")
    return slug


def _hash(code: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", code.encode("utf-8"), salt.encode(), 50_000).hex()


def claim(folder: str | Path, nickname: str, code: str) -> tuple[str, bool]:
    """Claim ``nickname`` for the holder of ``code``, or check that the holder is back.

    Returns ``(student id, returning)``; ``returning`` is true when the nickname was
    claimed before with this code word. The claim is made with an exclusive create, so
    two students who type the same nickname at the same moment cannot both get it.

    Raises
    ------
    IdentityError
        ``teach_c_need_nickname``, ``teach_c_need_code`` (fewer than 4 characters) or
        ``teach_c_taken`` (the nickname is someone else's: another code word).
    """
    sid = student_id(nickname)
    code = code.strip()
    if len(code) < 4:
        raise IdentityError("teach_c_need_code")
    claims = Path(folder) / _CLAIMS
    claims.mkdir(parents=True, exist_ok=True)
    path = claims / f"{sid}.json"
    salt = secrets.token_hex(8)
    record = {"student": sid, "nickname": nickname.strip(), "salt": salt,
              "hash": _hash(code, salt)}
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(20):  # the other writer may still be writing its claim
            try:
                held = json.loads(path.read_text("utf-8"))
                break
            except (ValueError, OSError):
                import time

                time.sleep(0.05)
        else:
            raise IdentityError("teach_c_taken") from None
        if not secrets.compare_digest(held["hash"], _hash(code, held["salt"])):
            raise IdentityError("teach_c_taken") from None
        return sid, True
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(record, out)
    return sid, False


def saved_answers(folder: str | Path, sid: str) -> dict | None:
    """Return the student's last saved row (organisation, department, answers) or None."""
    path = Path(folder) / f"{sid}.csv"
    if not path.exists():
        return None
    row = pd.read_csv(path, dtype=str, keep_default_na=False).iloc[0]
    meta = {"respondent_id", "organisation", "department", "wave", "language"}
    answers = {}
    for k, v in row.items():
        if k in meta or v == "":
            continue
        try:
            answers[k] = int(v)
        except ValueError:
            answers[k] = v
    return {"organisation": row.get("organisation", ""),
            "department": row.get("department", "other"), "answers": answers}


def collect_class(folder: str | Path) -> pd.DataFrame:
    """Stack every student's last saved answers (``DIR/*.csv``): one row per student.

    The result is in the project's input format (``respondent_id`` is the student's id),
    ready for ``assess validate``, ``assess report`` and ``assess batch``.
    """
    from assessment.core.template import META

    files = _student_files(folder)
    if not files:
        return pd.DataFrame(columns=list(META))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    out = pd.concat(frames, ignore_index=True).replace("", np.nan)
    return out[[*META, *[c for c in out.columns if c not in META]]]


def _student_files(folder: str | Path) -> list[Path]:
    """Return the students' answer files: ``<id>.csv`` of every claimed id, nothing else."""
    folder = Path(folder)
    return [folder / f"{c.stem}.csv" for c in sorted((folder / _CLAIMS).glob("*.json"))
            if (folder / f"{c.stem}.csv").exists()]


@dataclass(frozen=True)
class ClassStatus:
    """What is in a class folder: students who claimed a nickname and who submitted."""

    claimed: int
    submitted: pd.DataFrame  # student, organisation, department, answered, saved (time)

    @property
    def organisations(self) -> pd.Series:
        """Submissions per organisation (most first)."""
        return self.submitted["organisation"].value_counts()


def class_status(folder: str | Path) -> ClassStatus:
    """Count the students of a class folder and summarise each submission."""
    folder = Path(folder)
    claimed = len(list((folder / _CLAIMS).glob("*.json")))
    rows = []
    for f in _student_files(folder):
        row = pd.read_csv(f, dtype=str, keep_default_na=False).iloc[0]
        answered = sum(1 for k, v in row.items()
                       if v != "" and k not in ("respondent_id", "organisation", "department",
                                                "wave", "language"))
        rows.append({"student": row["respondent_id"], "organisation": row["organisation"],
                     "department": row["department"], "answered": answered,
                     "saved": pd.Timestamp(f.stat().st_mtime, unit="s").strftime("%H:%M:%S")})
    cols = ["student", "organisation", "department", "answered", "saved"]
    return ClassStatus(claimed, pd.DataFrame(rows, columns=cols))


def serve_command(port: int = 8866, lang: str = "en", out: str | Path = "class-answers",
                  ip: str = "0.0.0.0", max_kernels: int = 40, pool: int = 2,
                  cull_idle: int = 900, cull_interval: int = 60,
                  iopub_timeout: int = 120) -> tuple[list[str], dict]:
    """Return the Voilà command line and environment of a class server.

    Idle kernels are culled after ``cull_idle`` seconds (checked every
    ``cull_interval``; a student's open page keeps its kernel only while the student
    works), at most ``max_kernels`` kernels run at once (a page beyond that is refused
    with "503: the class is full"), and ``pool`` kernels are kept started with the
    heavy imports done, so a student's page is usable in seconds. A page that is closed
    or left stops its kernel at once (:mod:`assessment.teaching.classvoila`). The page's
    outputs are awaited up to ``iopub_timeout`` seconds after its cell has run (Voilà's
    default of 4 s loses the form of some pages on a busy class server).
    """
    cmd = [
        # Voilà, with the page setting the _xsrf cookie that its closing request needs
        # (so a closed page stops its kernel at once: see classvoila)
        sys.executable, "-m", "assessment.teaching.classvoila", str(APP_NOTEBOOK), "--no-browser",
        f"--port={port}", f"--Voila.ip={ip}",
        "--preheat_kernel=True", f"--pool_size={pool}",
        "--VoilaConfiguration.multi_kernel_manager_class="
        "assessment.teaching.classroom.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={max_kernels}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=True",
        "--VoilaConfiguration.show_tracebacks=False",
        # the page's form is the output of the app's one cell; on a busy server it can
        # arrive after the cell's reply, and nbclient stops waiting for outputs after 4 s
        # by default ("Timeout waiting for IOPub output"): the page then stays empty
        f"--VoilaExecutor.iopub_timeout={iopub_timeout}",
    ]
    env = {**os.environ, CLASS_DIR_ENV: str(Path(out).resolve()), CLASS_LANG_ENV: lang}
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return cmd, env


try:  # the kernel manager only exists where jupyter_server is installed (the Voilà server)
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from tornado import web
    from traitlets import Int

    class CappedKernelManager(AsyncMappingKernelManager):
        """Jupyter's kernel manager with a cap on the number of running kernels."""

        max_kernels = Int(40, config=True, help="Most kernels running at once.")

        async def start_kernel(self, *args, **kwargs):  # noqa: D102
            if kwargs.get("kernel_id") is None and len(self.list_kernel_ids()) >= self.max_kernels:
                raise web.HTTPError(503, "The class is full / De klas is vol")
            return await super().start_kernel(*args, **kwargs)

except ImportError:  # pragma: no cover
    CappedKernelManager = None  # type: ignore[assignment,misc]
