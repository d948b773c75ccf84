"""Fresh report kernels without the start-up cost: fork each from a data-free, pre-loaded parent.

Starting a Jupyter kernel and importing pandas, matplotlib, IPython and this package
costs about 2.5 s per report, more than most reports take to compute. A batch renders
many reports, so :class:`ForkKernelManager` starts each kernel as a ``fork`` of a
*zygote*: a multiprocessing forkserver that imports those libraries once
(:mod:`assessment.kernel_preload`) and never sees any response data. Every report still
runs in a kernel process of its own, started clean and ended after the report, so no
data of one organisation can reach another's report; only the library imports are
shared, copy-on-write.

The kernel is a real ``ipykernel`` (the same code ``python -m ipykernel_launcher`` runs),
so papermill, nbclient and the report notebooks see no difference: the executed
notebooks and HTML are byte-identical to those of a normally started kernel (tested).
Where forking is not possible (a kernel spec other than this Python's ``ipykernel``, a
daemonic worker process such as a Dask worker, or a platform without ``fork``) the
manager falls back to the normal launch.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import uuid
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

__all__ = ["ForkKernelManager", "ForkProvisioner", "can_fork", "kernel_argv", "start_zygote"]

PRELOAD_MODULE = "assessment.kernel_preload"


def can_fork() -> bool:
    """Return True when kernels can be forked from a zygote in this process.

    Needs the ``forkserver`` start method (POSIX) and a non-daemonic process
    (daemonic processes may not have children).
    """
    return ("forkserver" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


def kernel_argv(cmd: list[str]) -> list[str] | None:
    """Return the ``ipykernel`` arguments of a kernel command line, or None when it is not ours.

    Only a command that starts ``ipykernel_launcher`` in this very Python can be forked
    from the zygote, which runs this Python.

    Examples
    --------
    >>> import sys
    >>> kernel_argv([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    ['-f', 'k.json']
    >>> kernel_argv(["/opt/other/python", "-m", "ipykernel_launcher", "-f", "k.json"]) is None
    True
    """
    if len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    try:
        same = Path(cmd[0]).resolve() == Path(sys.executable).resolve() or cmd[0] == "python"
    except OSError:
        same = False
    return list(cmd[3:]) if same else None


class _KernelPopen(popen_forkserver.Popen):
    """The forkserver launch, minus re-running the caller's ``__main__`` in the child.

    A kernel has no use for the parent's main script (a CLI, a test runner, a user's
    script without a ``__main__`` guard); multiprocessing would import it again in every
    child. Otherwise the same steps as ``popen_forkserver.Popen._launch``.
    """

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _KernelProcess(context.ForkServerProcess):
    _start_method = "forkserver"

    @staticmethod
    def _Popen(process_obj: Any) -> _KernelPopen:
        return _KernelPopen(process_obj)


def start_zygote() -> bool:
    """Start this process's kernel zygote now, so its imports overlap with other work.

    Returns False (and does nothing) where kernels cannot be forked. Otherwise the
    zygote starts on the first forked kernel.
    """
    if not can_fork():
        return False
    forkserver.set_forkserver_preload([PRELOAD_MODULE])
    forkserver.ensure_running()
    return True


def _start_kernel_process(argv: list[str], cwd: str, env: dict[str, str]) -> _KernelProcess:
    """Fork a kernel from the zygote (started, with its imports, on first use)."""
    start_zygote()
    process = _KernelProcess(target=_kernel_main, args=(argv, cwd, env), daemon=True,
                             name="assessment-kernel")
    process.start()
    return process


def _kernel_main(argv: list[str], cwd: str, env: dict[str, str]) -> None:
    """Run an ipykernel in this (freshly forked) process, as ``ipykernel_launcher`` would."""
    os.environ.clear()
    os.environ.update(env)
    # the kernel ends itself when its parent (the zygote) goes away
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    os.chdir(cwd)
    # started as a daemon, so a dying worker takes it along; inside, it may have children
    multiprocessing.current_process().daemon = False
    import ipykernel_launcher
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [ipykernel_launcher.__file__, *argv]

    app = IPKernelApp.instance()
    app.parent_handle = os.getppid()
    app.initialize(argv)
    app.start()


class _ForkedProcess:
    """A forked kernel behind the ``subprocess.Popen`` methods the provisioner uses."""

    stdin = stdout = stderr = None

    def __init__(self, process: multiprocessing.process.BaseProcess):
        self._process = process
        self.pid = process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self._process.join(timeout)
        return self._process.exitcode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self._process.kill()

    def terminate(self) -> None:
        self._process.terminate()


class ForkProvisioner(LocalProvisioner):
    """Launch the kernel as a fork of the zygote; otherwise behave as ``LocalProvisioner``.

    Signals go to the kernel process alone (it shares the zygote's process group).
    """

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel when possible; fall back to the normal launch."""
        argv = kernel_argv(cmd)
        if argv is None or not can_fork():
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            process = _start_kernel_process(argv, cwd, env)
        except (OSError, ValueError, RuntimeError, EOFError):
            # the zygote could not be reached: start the kernel the normal way
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _ForkedProcess(process)
        self.pid, self.pgid = process.pid, None
        self.cwd = cwd
        return self.connection_info


class ForkKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels are forked from the pre-loaded zygote.

    Pass it to papermill as ``kernel_manager_class``.
    """

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id,
                                               kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
