"""Forked report kernels (assessment.batch.kernels): a fork of the data-free zygote, else a normal start.

The reference is a kernel started the normal way (``python -m ipykernel_launcher``, papermill's
default kernel manager): a forked kernel must give the same notebook, start clean for every
notebook, and fall back to the normal start where it cannot fork. Kernel starts are few
(about 1-3 s each): the executions are shared through module-scoped fixtures.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

import nbformat
import pytest

from assessment.batch.kernels import ForkKernelManager, can_fork, kernel_argv
from assessment.core.config import PROJECT_ROOT

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

#: cells whose outputs must not depend on how the kernel was started
SAME_CELLS = [
    'print("hello from the kernel")',
    'import pandas as pd\npd.DataFrame({"organisation": ["Alfa", "Bravo"], "score": [1.5, 2.25]})',
    "import os\nos.getpid() != os.getppid()",
    'from IPython.display import HTML, display\ndisplay(HTML("<p class=\\"x\\">Delta</p>"))',
]

#: what a kernel reports about itself; the first cell must run before anything imports pandas
PROBE_CELLS = [
    "import sys\n'pandas' in sys.modules, 'assessment.batch.kernel_preload' in sys.modules",
    "import os\nos.getpid(), os.getppid()",
    "'secret' in globals()",
    'secret = "Delta"',
    "import sys\nsys.path",
    # writes <cwd>/atexit-<pid> when the kernel process ends normally
    "import atexit, os\n"
    "_mark = os.path.join(os.getcwd(), f'atexit-{os.getpid()}')\n"
    "atexit.register(lambda: open(_mark, 'w').close())",
    "import gc\ngc.get_freeze_count() > 0, gc.isenabled()",
    "import os\nos.getpgid(0) == os.getpid()",
]


def _notebook(cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _execute(cells: list[str], folder: Path, name: str, manager=None,
             kernel_name: str | None = None) -> nbformat.NotebookNode:
    """Run a notebook of ``cells`` with papermill in ``folder`` (also the kernel's cwd)."""
    import papermill as pm

    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.ipynb"
    nbformat.write(_notebook(cells), source)
    extra = {} if manager is None else {"kernel_manager_class": manager}
    return pm.execute_notebook(str(source), str(folder / f"{name}.out.ipynb"), cwd=str(folder),
                               progress_bar=False, kernel_name=kernel_name,
                               extra_arguments=["--IPKernelApp.log_level=ERROR"], **extra)


def _value(cell) -> object:
    """The Python value of a cell's execute_result (its text/plain repr)."""
    result = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert len(result) == 1, cell.outputs
    return ast.literal_eval(result[0].data["text/plain"])


def _outputs(nb: nbformat.NotebookNode) -> list:
    """Each code cell's execution count and outputs: no papermill timing or cell metadata."""
    return [(c.execution_count, c.outputs) for c in nb.cells if c.cell_type == "code"]


def _gone(pid: int, timeout: float = 10.0) -> bool:
    """True once ``pid`` no longer runs (zombies count as ended)."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def _zygote_pid() -> int | None:
    from multiprocessing import forkserver

    return getattr(forkserver._forkserver, "_forkserver_pid", None)


# --------------------------------------------------------------------- executions (shared)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """SAME_CELLS executed with papermill's default kernel manager and with ForkKernelManager."""
    folder = tmp_path_factory.mktemp("compared")
    normal = _execute(SAME_CELLS, folder / "normal", "same")
    forked = _execute(SAME_CELLS, folder / "forked", "same", manager=ForkKernelManager)
    return normal, forked


@pytest.fixture(scope="module")
def forked_probes(tmp_path_factory):
    """PROBE_CELLS executed twice in a row with ForkKernelManager: (folder, notebook) each."""
    runs = []
    for k in range(2):
        folder = tmp_path_factory.mktemp(f"forked-{k}")
        runs.append((folder, _execute(PROBE_CELLS, folder, "probe", manager=ForkKernelManager)))
    return runs


@pytest.fixture(scope="module")
def fallback_probe(tmp_path_factory):
    """PROBE_CELLS executed with ForkKernelManager where forking is not possible (can_fork False)."""
    folder = tmp_path_factory.mktemp("fallback")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("assessment.batch.kernels.can_fork", lambda: False)
        nb = _execute(PROBE_CELLS, folder, "probe", manager=ForkKernelManager)
    return folder, nb


# --------------------------------------------------------------------- kernel_argv, can_fork


def test_kernel_argv_of_this_pythons_ipykernel():
    """Our own ``-m ipykernel_launcher`` command gives the launcher's arguments (docstring example).

    ``python`` alone counts too: jupyter_client replaces it with sys.executable before
    launching.
    """
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "k.json", "--debug"]
    assert kernel_argv(cmd) == ["-f", "k.json", "--debug"]
    assert kernel_argv(["python", "-m", "ipykernel_launcher", "-f", "k.json"]) == ["-f", "k.json"]
    assert kernel_argv([sys.executable, "-m", "ipykernel_launcher"]) == []


def test_kernel_argv_of_another_command_is_none():
    """Another Python, another module or program, or too short a command: not forkable."""
    assert kernel_argv(["/opt/other/python", "-m", "ipykernel_launcher", "-f", "k.json"]) is None
    assert kernel_argv([sys.executable, "-m", "ipykernel", "-f", "k.json"]) is None
    assert kernel_argv([sys.executable, "-c", "import ipykernel_launcher"]) is None
    assert kernel_argv(["R", "--slave", "-e", "IRkernel::main()", "--args", "k.json"]) is None
    assert kernel_argv([sys.executable, "-m"]) is None
    assert kernel_argv([]) is None


def test_kernel_argv_of_another_virtual_environment_is_none(tmp_path):
    """A kernel spec of another virtual environment is not this Python (docstring: 'in this very Python').

    Expected: None, as for any other interpreter: that environment's packages are not the
    zygote's. The venv is made here from the same base interpreter as this one.
    """
    other = tmp_path / "other-env"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(other)
    python = other / "bin" / "python"
    assert python.exists() and python.absolute() != Path(sys.executable).absolute()
    assert kernel_argv([str(python), "-m", "ipykernel_launcher", "-f", "k.json"]) is None


def test_can_fork_in_the_test_process():
    """The test process is POSIX with forkserver, and not daemonic (can_fork's docstring)."""
    assert "forkserver" in multiprocessing.get_all_start_methods()
    assert can_fork() is True


def report_can_fork(queue) -> None:
    """Put can_fork() of this process in ``queue`` (run in a daemonic child)."""
    from assessment.batch.kernels import can_fork

    queue.put((multiprocessing.current_process().daemon, can_fork()))


def test_cannot_fork_in_a_daemonic_process():
    """A daemonic process (a Dask worker, say) may have no children: can_fork() is False there."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=report_can_fork, args=(queue,), daemon=True)
    child.start()
    try:
        daemon, result = queue.get(timeout=120)
    finally:
        child.join(30)
    assert child.exitcode == 0
    assert daemon is True
    assert result is False


# --------------------------------------------------------------------- forked executions


def test_forked_kernel_gives_the_same_notebook(compared):
    """Outputs and execution counts equal those of a normally started kernel (the reference)."""
    normal, forked = compared
    assert _outputs(forked) == _outputs(normal)
    # the comparison compared something: the expected outputs of SAME_CELLS
    outputs = _outputs(normal)
    assert outputs[0][1][0]["text"] == "hello from the kernel\n"
    frame = outputs[1][1][0]["data"]
    assert "Bravo" in frame["text/plain"] and "<table" in frame["text/html"]
    assert outputs[2][1][0]["data"]["text/plain"] == "True"
    assert outputs[3][1][0]["data"]["text/html"] == '<p class="x">Delta</p>'


def test_forked_kernel_is_a_fork_of_the_zygote(forked_probes):
    """Pandas and the preload module are loaded before the first cell; the parent is the zygote.

    Expected: assessment.batch.kernel_preload imports pandas; a normal kernel has neither (see
    test_fallback_when_forking_is_not_possible) and is a child of this process.
    """
    zygote = _zygote_pid()
    for _, nb in forked_probes:
        assert _value(nb.cells[0]) == (True, True)
        pid, ppid = _value(nb.cells[1])
        assert ppid != os.getpid() and pid != os.getpid()
        if zygote is not None:
            assert ppid == zygote


def test_forked_kernel_leaves_ctrl_c_to_the_batch(forked_probes):
    """A forked kernel leads a process group of its own: Ctrl-C in the terminal does not reach it.

    Expected: the terminal sends SIGINT to its foreground process group; a kernel in that
    group logged "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel." to the
    batch's console (issue 10, case 14).
    """
    for _, nb in forked_probes:
        assert _value(nb.cells[7]) is True


def test_fresh_kernel_per_notebook(forked_probes):
    """Two consecutive notebooks run in two processes, forked from the same zygote."""
    (_, first), (_, second) = forked_probes
    pid1, ppid1 = _value(first.cells[1])
    pid2, ppid2 = _value(second.cells[1])
    assert pid1 != pid2
    assert ppid1 == ppid2


def test_no_variable_survives_into_the_next_kernel(forked_probes):
    """``secret`` set by the first notebook is not defined in the second one's kernel."""
    (_, first), (_, second) = forked_probes
    assert _value(first.cells[2]) is False
    assert first.cells[3].outputs == []  # the assignment ran
    assert _value(second.cells[2]) is False


def test_kernels_end_with_their_notebook(forked_probes):
    """Each forked kernel process is gone once papermill returns (no kernel left running)."""
    for _, nb in forked_probes:
        pid, _ = _value(nb.cells[1])
        assert _gone(pid), f"kernel {pid} still runs"


def test_cell_error_raises_papermill_execution_error(tmp_path):
    """A failing cell raises PapermillExecutionError naming the cell and error, as normally."""
    from papermill.exceptions import PapermillExecutionError

    cells = ["x = 1", 'raise ValueError("simulated broken data")', "y = 2"]
    with pytest.raises(PapermillExecutionError) as info:
        _execute(cells, tmp_path, "broken", manager=ForkKernelManager)
    assert info.value.ename == "ValueError"
    assert info.value.evalue == "simulated broken data"
    assert info.value.exec_count == 2
    out = nbformat.read(tmp_path / "broken.out.ipynb", as_version=4)
    code = [c for c in out.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, None]  # papermill stops at the error
    assert code[1].outputs[0]["ename"] == "ValueError"


# --------------------------------------------------------------------- fallback


def test_fallback_when_forking_is_not_possible(fallback_probe):
    """can_fork() False: the kernel starts normally, as a child of this process, nothing preloaded.

    Expected: a kernel launched by jupyter_client's LocalProvisioner is this process's child
    and imports neither pandas nor the preload module before its first cell.
    """
    _, nb = fallback_probe
    assert _value(nb.cells[0]) == (False, False)
    pid, ppid = _value(nb.cells[1])
    assert ppid == os.getpid()
    assert _value(nb.cells[2]) is False
    assert _gone(pid)


def test_fallback_for_a_kernel_spec_that_is_not_ipykernel_launcher(tmp_path, monkeypatch):
    """A kernel spec running ``python -m ipykernel`` (not the launcher) is started normally.

    Expected: kernel_argv gives None for it (test above), so ForkProvisioner hands the launch
    to LocalProvisioner: the kernel is this process's child, nothing preloaded.
    """
    spec = tmp_path / "jupyter" / "kernels" / "plain-ipykernel"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel", "-f", "{connection_file}"],
        "display_name": "plain ipykernel", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = _execute(PROBE_CELLS[:2], tmp_path / "run", "probe", manager=ForkKernelManager,
                  kernel_name="plain-ipykernel")
    assert _value(nb.cells[0]) == (False, False)
    _, ppid = _value(nb.cells[1])
    assert ppid == os.getpid()


def test_forked_kernel_runs_atexit_handlers(forked_probes, fallback_probe):
    """A handler registered with atexit runs when the kernel ends, as in a normal kernel.

    Reference: the normally started kernel of fallback_probe writes its marker file.
    """
    folder, nb = fallback_probe
    pid, _ = _value(nb.cells[1])
    assert _gone(pid) and (folder / f"atexit-{pid}").exists()
    for folder, nb in forked_probes:
        pid, _ = _value(nb.cells[1])
        assert _gone(pid) and (folder / f"atexit-{pid}").exists()


def test_forked_kernel_has_the_normal_sys_path(forked_probes, fallback_probe):
    """sys.path in a forked kernel equals that of a normally started kernel (fallback_probe)."""
    _, normal = fallback_probe
    for _, nb in forked_probes:
        assert _value(nb.cells[4]) == _value(normal.cells[4])


def test_forked_kernel_starts_with_the_preloaded_objects_frozen(forked_probes, fallback_probe):
    """The zygote freezes what it imported (gc.freeze, as Python's gc docs advise before fork).

    Expected: a forked kernel has a non-empty permanent generation and the collector still
    on (it collects what the report makes); a normally started kernel has frozen nothing.
    """
    for _, nb in forked_probes:
        assert _value(nb.cells[6]) == (True, True)
    _, normal = fallback_probe
    assert _value(normal.cells[6]) == (False, True)


# --------------------------------------------------------------------- the zygote


def test_zygote_holds_no_data_and_starts_no_threads():
    """Importing assessment.batch.kernel_preload (what the zygote runs) opens no data, starts nothing.

    Checked in a fresh Python: one thread, no pandas DataFrame in memory, no file of data/
    and no CSV or XLSX opened (Python's audit hook sees every open), no matplotlib figure,
    no ZeroMQ context (kernel_preload's docstring: whatever it holds, every kernel inherits).
    """
    code = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0]))
                 if event == "open" and isinstance(args[0], (str, bytes)) else None)
import gc, threading
import assessment.batch.kernel_preload
import matplotlib.pyplot as plt
import pandas
import zmq
frames = [o for o in gc.get_objects() if isinstance(o, pandas.DataFrame)]
print(json.dumps({"threads": threading.active_count(), "frames": len(frames),
                  "figures": plt.get_fignums(), "zmq": getattr(zmq.Context, "_instance", None),
                  "opened": opened}, default=str))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["threads"] == 1
    assert found["frames"] == 0
    assert found["figures"] == []
    assert found["zmq"] is None
    data_dir = (PROJECT_ROOT / "data").resolve()
    data_files = [p for p in found["opened"]
                  if Path(p).resolve().is_relative_to(data_dir)
                  or p.lower().endswith((".csv", ".xlsx", ".pkl"))]
    assert data_files == []
    assert len(found["opened"]) > 100  # the hook saw the imports
