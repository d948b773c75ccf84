"""Tests for :mod:`assessment.batch.lifetime`: what a batch leaves behind when it is killed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="kill -9 and the watchdog are tested on Linux")

_HOLDER = textwrap.dedent("""
    import subprocess, sys, time
    from assessment.batch.lifetime import private_folder

    writer = sys.argv[1]
    with private_folder() as folder:
        for i in range(2000):
            (folder / f"{i}.tmp").write_bytes(b"x")
        # a process of the run that goes on writing into the folder after the run is killed,
        # as a kernel does for the moment it takes the kill to reach it
        subprocess.Popen([sys.executable, "-c", writer, str(folder)], start_new_session=True)
        print(folder, flush=True)
        time.sleep(600)
""")

_HOLDER_SAME_GROUP = _HOLDER.replace(", start_new_session=True)", ")")

_MAKER = textwrap.dedent("""
    import os, sys, time

    # a dying process of the run that makes the folder again a moment after it was removed
    folder, end = sys.argv[1], time.monotonic() + 1.5
    while time.monotonic() < end and os.path.exists(folder):
        time.sleep(0.01)
    time.sleep(0.3)
    os.makedirs(os.path.join(folder, "late"), exist_ok=True)
""")

_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path

    folder, end, i = Path(sys.argv[1]), time.monotonic() + 1.5, 0
    while time.monotonic() < end:
        i += 1
        try:
            (folder / f"late-{i}.tmp").write_bytes(b"x")
        except OSError:
            pass
""")


def test_killed_run_folder_is_removed_even_while_a_child_still_writes(tmp_path):
    """Issue 10, case 11 (a CI failure of 2026-11-30): after ``kill -9`` the folder goes.

    The run's kernels write their temporary files into the private folder and die a moment
    after the run (the kill reaches them through their parents). A single removal then races
    with a late write and leaves a non-empty folder. Expected (the issue): the folder is
    gone once the last writer has stopped, whatever it wrote in between.
    """
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, _WRITER], stdout=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    try:
        folder = Path(proc.stdout.readline().strip())
        assert folder.is_dir() and folder.parent == tmp_path
        time.sleep(0.2)  # the writer is writing
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and folder.exists():
            time.sleep(0.1)
        assert not folder.exists(), sorted(p.name for p in folder.iterdir())[:5]
    finally:
        proc.kill()
        proc.stdout.close()


def test_killed_run_folder_is_removed_even_if_a_dying_process_makes_it_again(tmp_path):
    """After ``kill -9`` the folder goes even when a process of the run makes it again.

    A process of the run (same process group, as the batch's workers and kernels are) makes
    ``folder/late`` (``makedirs`` makes the folder too) 0.3 s after the folder was removed,
    or after 1.5 s. Removing until the folder is gone once is not enough (the CI
    failure of 2026-11-30 in ``test_kill_9_ends_every_child_and_removes_the_prepared_files``
    came back after that fix). Expected (the issue): the folder is gone once the run's
    last process has ended.
    """
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER_SAME_GROUP, _MAKER],
                            stdout=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        folder = Path(proc.stdout.readline().strip())
        assert folder.is_dir() and folder.parent == tmp_path
        time.sleep(0.3)  # the maker is making
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        time.sleep(2.0)  # the maker has ended; the watchdog waited for it
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and folder.exists():
            time.sleep(0.1)
        assert not folder.exists()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stdout.close()
