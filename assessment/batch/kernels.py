"""Fresh report kernels without the start-up cost: fork each from a data-free, pre-loaded parent.

Starting a Jupyter kernel and importing pandas, matplotlib, IPython and this package
costs about 2.5 s per report, more than most reports take to compute. A batch renders
many reports, so :class:`ForkKernelManager` starts each kernel as a ``fork`` of a
*zygote*: a multiprocessing forkserver that imports those libraries once
(:mod:`assessment.batch.kernel_preload`) and never sees any response data. Every report still
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

import atexit
import io
import multiprocessing
import os
import sys
import time
import uuid
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.utils import ensure_async
from traitlets import DottedObjectName, Type

from assessment.batch.lifetime import PARENT_ENV

__all__ = [
    "ForkKernelManager",
    "ForkProvisioner",
    "ReportKernelClient",
    "can_fork",
    "kernel_argv",
    "start_zygote",
]

PRELOAD_MODULE = "assessment.batch.kernel_preload"


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
    # not resolved: a virtual environment's python is a symlink to its base interpreter,
    # and another environment's packages are not the zygote's
    same = (os.path.abspath(cmd[0]) == os.path.abspath(sys.executable)
            or cmd[0] == "python")
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
    global _STOPPER
    if not can_fork():
        return False
    forkserver.set_forkserver_preload([PRELOAD_MODULE])
    os.environ[PARENT_ENV] = str(os.getpid())  # the zygote checks that it is still there
    forkserver.ensure_running()
    if _STOPPER is None:
        # a multiprocessing worker runs these finalizers at exit, not atexit handlers
        _STOPPER = util.Finalize(None, _stop_zygote, exitpriority=0)
    return True


_STOPPER: Any = None


def _stop_zygote() -> None:
    """Stop the zygote and wait for it, leaving no zombie process behind.

    Otherwise it ends on its own when this process does, and is then a zombie until the
    system's init reaps it (which a container's init may never do). Uses the stop method
    multiprocessing's own tests use; any failure leaves things as they were.
    """
    try:
        forkserver._forkserver._stop()
    except Exception:  # noqa: BLE001 - best effort at exit
        pass


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
    # the kernel ends itself when its parent (the zygote) goes away: at once when it is
    # killed (the kernel's own poll of its parent takes a while)
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    from assessment.batch.lifetime import die_with_parent

    die_with_parent(int(os.environ["JPY_PARENT_PID"]))
    os.chdir(cwd)
    # a process group of its own: Ctrl-C in the terminal reaches the batch, not the kernel
    # (which would log "KeyboardInterrupt caught in kernel" there); signals from its
    # manager go to its pid and still arrive
    os.setpgid(0, 0)
    # started as a daemon, so a dying worker takes it along; inside, it may have children
    multiprocessing.current_process().daemon = False
    import ipykernel_launcher
    from ipykernel.kernelapp import IPKernelApp

    from assessment.batch.kernel_preload import BASE_SYS_PATH

    sys.argv = [ipykernel_launcher.__file__, *argv]
    # as ipykernel_launcher starts: the interpreter's own path, without the caller's script
    # folder or working directory (IPython puts '' in front again)
    sys.path[:] = BASE_SYS_PATH

    app = IPKernelApp.instance()
    app.parent_handle = os.getppid()
    app.initialize(argv)
    app.start()
    # multiprocessing ends its children with os._exit(): run what a normal exit would
    atexit._run_exitfuncs()


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


class ReportKernelClient(AsyncKernelClient):
    """A kernel client that does not sit idle once the kernel is ready.

    ``wait_for_ready`` is jupyter_client's check (a kernel_info reply on the shell channel,
    then a message on IOPub to know it is connected), but the final drain of IOPub waits
    10 ms for quiet instead of 200 ms: a fresh report kernel sends nothing more, and
    nbclient matches every output to its request anyway. In a batch, that wait was idle
    time on every report.
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:  # IOPub connected? otherwise ask again
                    await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:
            try:
                await ensure_async(self.iopub_channel.get_msg(timeout=0.01))
            except Empty:
                break

    wait_for_ready = _async_wait_for_ready


class ForkKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels are forked from the pre-loaded zygote.

    Pass it to papermill as ``kernel_manager_class``. Its client is a
    :class:`ReportKernelClient`; shutting down polls every 10 ms and does not interrupt
    the kernel first (an interrupt landing while the kernel finishes a message makes it
    log a KeyboardInterrupt to the batch's terminal; the kernel is stopped anyway).
    """

    client_class = DottedObjectName("assessment.batch.kernels.ReportKernelClient")
    client_factory = Type(default_value=ReportKernelClient, klass=AsyncKernelClient)

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    async def _async_wait(self, pollinterval: float = 0.01) -> None:
        await super()._async_wait(pollinterval=pollinterval)

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id,
                                               kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
