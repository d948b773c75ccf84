"""How long a batch's processes and files live: they end with the run, however it ends.

* :func:`die_with_parent`: a worker, the kernel zygote and every kernel ask the kernel (Linux
  ``prctl(PR_SET_PDEATHSIG)``) to be killed when their parent dies, so a ``kill -9`` of
  ``assess batch`` leaves no process behind that goes on writing reports.
* :func:`private_folder`: the prepared per-report inputs (row-level answers) live in a
  folder only this user can read (mode 0700), outside the output folder, removed when the
  run ends; a small watchdog process removes it too when the run is killed.
* :func:`lock_folder`: one batch at a time per output folder (``fcntl.flock``); a second
  one is told which process holds it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from assessment.core.exceptions import AssessmentError

__all__ = ["LOCK_FILE", "PARENT_ENV", "WATCHDOG_QUIET", "WATCHDOG_SECONDS", "FolderLocked",
           "die_with_parent", "lock_folder", "private_folder"]

#: the lock file a batch holds in its output folder while it runs
LOCK_FILE = ".assess-batch.lock"
#: names the process that started the kernel zygote, in the zygote's environment
PARENT_ENV = "ASSESSMENT_ZYGOTE_PARENT"
_PR_SET_PDEATHSIG = 1


class FolderLocked(AssessmentError):
    """Another batch is writing into the same output folder."""


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> bool:
    """Have this process killed with ``sig`` when its parent dies (Linux; elsewhere a no-op).

    Parameters
    ----------
    parent : int, optional
        The parent's pid as the parent knew it; when this process's parent is no longer
        that one (it died before the call), this process exits at once.
    sig : int
        The signal to receive.

    Returns
    -------
    bool
        True when the request was made.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent is gone already
    return True


#: seconds the watchdog waits, after a killed run, for the run's processes to end and the
#: folder to stay gone
WATCHDOG_SECONDS = 60
#: seconds the folder must stay gone before the watchdog of a killed run ends
WATCHDOG_QUIET = 1.0

_WATCHDOG = (
    "import os, shutil, sys, time\n"
    "folder, group = sys.argv[1], int(sys.argv[2])\n"
    # b'done' when the run ended normally (it removed the folder); b'' when it was killed
    "said = sys.stdin.buffer.read()\n"
    f"end = time.monotonic() + {WATCHDOG_SECONDS}\n"
    "if said != b'done':\n"
    # the run's workers and kernels (its process group) die a moment after it and may still
    # write there, even make the folder again: wait until none is left
    "    while time.monotonic() < end:\n"
    "        try:\n"
    "            os.killpg(group, 0)\n"
    "        except OSError:\n"
    "            break\n"
    "        time.sleep(0.1)\n"
    "gone = None\n"
    "while time.monotonic() < end:\n"
    "    if os.path.lexists(folder):\n"
    "        shutil.rmtree(folder, ignore_errors=True)\n"
    "        gone = None\n"
    "    elif said == b'done':\n"
    "        break\n"
    "    elif gone is None:\n"
    "        gone = time.monotonic()\n"
    f"    elif time.monotonic() - gone >= {WATCHDOG_QUIET}:\n"
    "        break\n"
    "    time.sleep(0.05)\n"
)


@contextlib.contextmanager
def private_folder(prefix: str = "assess-batch-") -> Iterator[Path]:
    """Yield a new folder readable by this user only (0700), removed on every exit.

    Made in the system's temporary folder (``$TMPDIR``). A watchdog process, in a session
    of its own, waits for this process to end (its pipe closes even on ``kill -9``). After
    a kill it waits until no process of this process group (the run's workers, kernel
    zygotes and kernels, which die a moment later) is left, for up to
    :data:`WATCHDOG_SECONDS`, and removes the folder until it has stayed gone for
    :data:`WATCHDOG_QUIET` seconds: a dying kernel may still write into it, or make it again.
    """
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o700)
    watchdog = None
    try:
        watchdog = subprocess.Popen([sys.executable, "-I", "-S", "-c", _WATCHDOG, str(folder),
                                     str(os.getpgrp())],
                                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        pass  # the folder is still removed below on every exit but a kill -9
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if watchdog is not None:
            with contextlib.suppress(OSError):
                watchdog.stdin.write(b"done")  # a normal end: nothing of the run is left
            with contextlib.suppress(OSError):
                watchdog.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                watchdog.wait(timeout=5)


@contextlib.contextmanager
def lock_folder(folder: Path) -> Iterator[Path]:
    """Hold an exclusive lock on ``folder`` (its :data:`LOCK_FILE`) for the block.

    Raises
    ------
    FolderLocked
        When another process holds it; the message names that process.
    """
    import fcntl

    path = Path(folder) / LOCK_FILE
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise FolderLocked(
                f"{folder}: another assess batch (process {holder}) is writing into this "
                "folder; wait until it ends, or choose another --out") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed it as we opened it: take the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield path
    finally:
        path.unlink(missing_ok=True)  # nothing of the run's machinery stays in --out
        os.close(fd)  # releases the lock
