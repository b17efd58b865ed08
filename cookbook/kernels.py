"""Fresh Jupyter kernels without a TensorFlow import each: every kernel is a process of its own, forked from a
Python that has imported TensorFlow, Keras and IPython's kernel and nothing else (``tests/test_notebooks.py``).

A kernel started by Jupyter imports TensorFlow in its first cell: about five seconds of CPU, most of what one
page's notebook costs. Here Jupyter starts a small *launcher* (the kernel spec's command) instead; the launcher
hands its working folder, environment and standard streams to the *forkserver* over a Unix socket; the
forkserver forks, and the copy becomes an ordinary IPython kernel (``IPKernelApp``) on the connection file Jupyter
made. The copy has run no code of any page; its module state is what a fresh Python has after those imports.
Variables read when TensorFlow is imported (``TF_ENABLE_ONEDNN_OPTS``) are the forkserver's, so it is started
with the kernels' environment. The launcher stays in Jupyter's place: a signal it gets goes to the kernel, and it
exits with the kernel's status; if it is killed, the kernel ends too.

Where such a kernel differs from one Jupyter starts, it is made the same: TensorFlow decided how to log and
where ``tf.print`` writes when it was imported, in a plain Python, so the copy decides again as in a kernel;
ipykernel read ``JPY_PARENT_PID`` when it was imported, so the copy is given it. ``tests/test_kernels.py``
compares the two kinds of kernel on what they print. One difference stays: TensorFlow is imported before IPython swaps
``builtins.input`` for a cell, so the AutoGraph bug of ``notes/tfmethodtarget.md`` cannot happen here; the
pages are kept immune to it by a test instead (``test_tf_function_methods_turn_autograph_off``). And a page
that sets what TensorFlow reads at import (``TF_CPP_MIN_LOG_LEVEL`` before ``import tensorflow``) cannot be
served: such pages say ``fresh_python: true`` (the shared Python of ``pytest docs/`` cannot serve them either),
and the notebook test gives them a kernel as Jupyter starts one.

    with KernelForkserver(env) as forkserver:
        client = NotebookClient(notebook, kernel_name=KERNEL_NAME,
                                kernel_manager_class=forkserver.kernel_manager_class(), ...)
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

KERNEL_NAME = "cookbook-forked-python3"
#: What a kernel imports before any cell, then what every page's first cell imports: paid once, in that order.
PRELOADED = ("ipykernel.kernelapp", "tensorflow", "keras")


def run_in_a_thread_of_its_own(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coroutine)``, in a new thread: the calling thread may already have an event loop running.

    Playwright's sync API keeps one running in its thread for as long as a browser is open, and the test
    session's browser stays open while the same pytest worker goes on to other files.
    """
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


class KernelForkserver:
    """The forkserver, in its own process, and a kernel spec whose command asks it for a kernel."""

    def __init__(self, env: dict[str, str]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cookbook-kernels-"))
        self.address = str(self.folder / "forkserver")
        spec = self.folder / "kernels" / KERNEL_NAME
        spec.mkdir(parents=True)
        command = [sys.executable, "-m", "cookbook.kernels", "launch", self.address, "{connection_file}"]
        spec.joinpath("kernel.json").write_text(
            json.dumps({"argv": command, "display_name": "Python 3 (forked)", "language": "python"})
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cookbook.kernels", "serve", self.address],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self.process.stdout.readline()
        if ready.strip() != "ready":
            self.close()
            raise RuntimeError(f"the kernel forkserver did not start (it said {ready!r})")

    def kernel_manager_class(self) -> type:
        """An ``AsyncKernelManager`` that finds this forkserver's kernel spec, for ``NotebookClient``."""
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager

        kernels = str(self.folder / "kernels")

        class ForkedKernelManager(AsyncKernelManager):
            def __init__(self, **kwargs) -> None:
                super().__init__(kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels]), **kwargs)

        return ForkedKernelManager

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the forkserver ends the kernels it forked that still run
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> KernelForkserver:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# In the forkserver -----------------------------------------------------------------------------------------
def serve(address: str) -> None:
    import importlib

    for name in PRELOADED:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen()
    kernels: set[int] = set()

    def end(signum, frame):
        for pid in list(kernels):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    print("ready", flush=True)
    while True:
        connection, _ = listener.accept()
        message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            listener.close()
            _become_kernel(request, fds)  # never returns
        for fd in fds:
            os.close(fd)
        kernels.add(pid)
        connection.sendall(f"{pid}\n".encode())
        threading.Thread(target=_report_exit, args=(pid, connection, kernels), daemon=True).start()


def _report_exit(pid: int, connection: socket.socket, kernels: set[int]) -> None:
    _, status = os.waitpid(pid, 0)
    kernels.discard(pid)
    try:
        connection.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
    except OSError:
        pass  # the launcher is gone
    connection.close()


def _become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked copy: take the launcher's folder, environment and streams, and run an IPython kernel."""
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for fd, target in zip(fds, (0, 1, 2), strict=True):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = [request["argv0"], "-f", request["connection_file"]]
        sys.path[0] = request["cwd"]  # as `python -m ipykernel_launcher` started in that folder has it
        for name in [name for name in sys.modules if name == "cookbook" or name.startswith("cookbook.")]:
            del sys.modules[name]
        _as_if_tensorflow_were_imported_in_a_cell()
        launcher = request["launcher"]
        threading.Thread(target=_end_with, args=(launcher,), daemon=True).start()
        from ipykernel.kernelapp import IPKernelApp

        argv = ["-f", request["connection_file"]]
        if os.environ.get("JPY_PARENT_PID"):  # read when ipykernel was imported, in the forkserver's environment
            argv.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
        IPKernelApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _as_if_tensorflow_were_imported_in_a_cell() -> None:
    """Undo what TensorFlow's import decided from finding a plain Python, not a kernel, in the forkserver:
    its logger (set up at the first log, which the import makes: a kernel's cell would find an interactive
    Python and log from INFO up, to the cell's stdout) and where its C++ ops print (``tf.print`` goes to the
    cell's output when ``get_ipython`` exists at import: ``tensorflow/python/ops/logging_ops.py``)."""
    import logging

    from tensorflow.python.ops import logging_ops
    from tensorflow.python.platform import tf_logging

    logger = logging.getLogger("tensorflow")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
    tf_logging._logger = None
    logging_ops.enable_interactive_logging()


def _end_with(launcher: int) -> None:
    """The kernel ends when its launcher does (Jupyter kills the launcher, not the kernel)."""
    while True:
        time.sleep(0.2)
        try:
            os.kill(launcher, 0)
        except ProcessLookupError:
            os._exit(1)


# In the launcher (what Jupyter starts) ---------------------------------------------------------------------
def launch(address: str, connection_file: str) -> None:
    import importlib.util

    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(address)
    request = {
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "connection_file": os.path.abspath(connection_file),
        "launcher": os.getpid(),
        "argv0": importlib.util.find_spec("ipykernel_launcher").origin,
    }
    socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
    replies = connection.makefile()
    pid = int(replies.readline())
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, lambda signum, frame: os.kill(pid, signum))
    status = replies.readline().strip()
    sys.exit(int(status) if status else 1)


if __name__ == "__main__":
    {"serve": serve, "launch": launch}[sys.argv[1]](*sys.argv[2:])
