"""The Python that runs pages' code: started by :mod:`cookbook.runner`, never imported by anything else.

It is a plain Python, as a reader's is: no pytest, no logging configured. While a block runs, the process's
standard output and error (file descriptors 1 and 2) both go to one file, as a terminal shows them
interleaved: ``print``, ``warnings``, Python logging (TensorFlow's ``WARNING:tensorflow:...`` lines), and
what TensorFlow's C++ code writes (``tf.print``). Lines in the C++ runtime's own log format are then left
out (``cookbook.compare.NATIVE_LOG_LINE``). Recipes
cannot import ``cookbook``, and may open no socket (``network: loopback`` pages: only on 127.0.0.1).

Requests arrive as JSON lines on one pipe and answers leave on another (see :mod:`cookbook.runner`).
"""

from __future__ import annotations

import faulthandler
import ipaddress
import json
import linecache
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback

from cookbook import state
from cookbook.compare import without_native_log

FRESH = "--fresh" in sys.argv


class _NoCookbook:
    """A reader who copies a recipe has no ``cookbook`` package: neither do the recipes here."""

    def find_spec(self, name, path=None, target=None):
        if name == "cookbook" or name.startswith("cookbook."):
            raise ModuleNotFoundError(
                f"No module named {name!r} (recipes may use only public packages: the cookbook's own helper "
                "package is what verifies the pages, and a reader who copies a recipe does not have it)",
                name=name,
            )
        return None


_network = {"policy": "none"}
_real = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex", "bind", "sendto")}
_real_getaddrinfo = socket.getaddrinfo


def _allowed(address) -> bool:
    if _network["policy"] != "loopback":
        return False
    if isinstance(address, (str, bytes)):  # a Unix socket path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guard(name: str):
    real = _real[name]

    def guarded(self, *args):
        address = args[-1]
        if not _allowed(address):
            allowed = (
                "loopback addresses only (network: loopback)" if _network["policy"] == "loopback" else "no network"
            )
            raise OSError(f"the cookbook's pages run without network access ({allowed}); refused {name} to {address!r}")
        return real(self, *args)

    return guarded


def _getaddrinfo(host, *args, **kwargs):
    if not _allowed((host if isinstance(host, str) else (host or b"").decode(), 0)):
        raise OSError(f"the cookbook's pages run without network access; refused to look up {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def _session_processes(proc: str = "/proc") -> dict[int, str]:
    """The live processes of this process's session but itself: pid to command line."""
    found = {}
    for entry in os.listdir(proc):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"{proc}/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == os.getsid(0) and fields[0] != "Z":  # fields[3] is the session id
            found[int(entry)] = process_name(f"{proc}/{entry}")
    return found


def process_name(folder: str, wait: float = 1.0) -> str:
    """The command line of the process whose ``/proc`` folder is ``folder``. A process that is still in
    ``execve`` has an empty command line until the kernel has set up its arguments, although the program that
    started it may already have returned from ``Popen`` (the close-on-exec pipe it waits for closes early in
    ``execve``): wait up to ``wait`` seconds for it, then name it by its ``comm``."""
    deadline, command = time.monotonic() + wait, ""
    while True:
        try:
            with open(f"{folder}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
            if command or time.monotonic() > deadline:
                break
        except OSError:
            break
        time.sleep(0.01)
    if command:
        return command
    try:
        with open(f"{folder}/stat") as stat:
            return stat.read().split("(", 1)[1].rsplit(")", 1)[0]
    except (OSError, IndexError):
        return os.path.basename(folder)


def _end_leftover_processes(spared: frozenset[int] = frozenset()) -> list[str]:
    """End the processes a page started and left running: all of this process's session but itself and
    ``spared`` (in a copy made by ``fork``: what ran before the copy was made)."""
    left = {pid: command for pid, command in _session_processes().items() if pid not in spared}
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for _ in left:
        try:
            os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
    return [f"processes still running, now ended: {'; '.join(left.values())}"] if left else []


def _block_the_network() -> None:
    for name in _real:
        setattr(socket.socket, name, _guard(name))
    socket.getaddrinfo = _getaddrinfo


class Interpreter:
    """The child's side: runs the blocks it is sent, in one namespace, and puts back what a page changed."""

    def __init__(self) -> None:
        self.log_fd = os.dup(1)  # the child's log: where output goes between blocks
        self.namespace: dict = {}
        self.baseline: dict | None = None
        self.home = os.getcwd()
        self.threads = set(threading.enumerate())
        self.copy = False  # made by fork(): serves one recipe, then exits
        self.spared: frozenset[int] = frozenset()  # in a copy: the processes that ran before it was made

    def start(self, folder: str, downloads: list[str], network: str, path: str, source: str) -> dict:
        """A fresh start: the baseline state, an empty namespace, the page's folder with its downloads, and
        the page's code registered as the source of its file name (see ``Page.code_view``)."""
        if self.baseline is not None:
            state.restore(self.baseline)
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        os.chdir(folder)
        for download in downloads:
            shutil.copyfile(download, os.path.basename(download))
        _network["policy"] = network
        # mtime None: linecache.checkcache() keeps the entry although a Markdown file of that name exists.
        linecache.cache[path] = (len(source), None, source.splitlines(keepends=True), path)
        return {}

    def run(self, code: str, path: str, line: int) -> dict:
        error = None
        capture = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(capture.fileno(), 1)
        os.dup2(capture.fileno(), 2)
        try:
            exec(compile("\n" * (line) + code, path, "exec"), self.namespace)
        except BaseException as raised:  # SystemExit and KeyboardInterrupt too: a block must not end the run
            frames = [(f.filename, f.lineno, f.line) for f in traceback.extract_tb(raised.__traceback__)]
            error = {
                "type": type(raised).__name__,
                "message": "".join(traceback.format_exception_only(type(raised), raised)),
                "frames": [frame for frame in frames if frame[0] == path],
            }
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(self.log_fd, 1)
            os.dup2(self.log_fd, 2)
        capture.seek(0)
        printed = without_native_log(capture.read().decode("utf-8", errors="replace"))
        capture.close()
        return {"printed": printed, "error": error}

    def fork(self, folder: str) -> dict:
        """Copy this process (a fresh Python that has run a page's setup block) for one recipe. The copy works
        in ``folder``, a copy of the setup's folder, answers the requests until ``end``, then exits; this
        process waits for it and then answers with the copy's exit status.

        Not once TensorFlow's runtime has started (its thread pools would be missing in the copy)."""
        context = sys.modules.get("tensorflow.python.eager.context")
        if context is not None and context.context()._initialized:
            return {"refused": "the setup block started TensorFlow's runtime"}
        pid = os.fork()
        if pid == 0:
            self.copy = True
            self.spared = frozenset(_session_processes())
            shutil.copytree(os.getcwd(), folder, dirs_exist_ok=True)
            os.chdir(folder)
            return {"pid": os.getpid()}
        _, status = os.waitpid(pid, 0)
        return {"copy_ended": os.waitstatus_to_exitcode(status)}

    def end(self) -> dict:
        """Put the baseline back and say what could not be; report the library versions that ran."""
        _network["policy"] = "none"
        os.chdir(self.home)
        leaks = state.restore(self.baseline) if self.baseline is not None else []
        leaks += _end_leftover_processes(self.spared)
        threads = [thread.name for thread in threading.enumerate() if thread not in self.threads and not thread.daemon]
        if threads:
            leaks.append(f"threads still running: {', '.join(threads)}")
        versions = {"python": sys.version.split()[0]}
        for module in ("tensorflow", "keras"):
            if module in sys.modules:
                versions[module] = sys.modules[module].__version__
        return {"leaks": leaks, "versions": versions}


def main() -> None:
    requests = os.fdopen(int(sys.argv[1]), "r", encoding="utf-8")
    answers = os.fdopen(int(sys.argv[2]), "w", encoding="utf-8")
    faulthandler.register(signal.SIGUSR1, file=open(sys.argv[3], "w"), all_threads=True)  # noqa: SIM115
    child = Interpreter()
    sys.stdout.reconfigure(line_buffering=True)  # as on a terminal: a printed line is written at once
    sys.path[0] = ""  # the working folder, as in Jupyter
    for name in [name for name in sys.modules if name == "cookbook" or name.startswith("cookbook.")]:
        del sys.modules[name]
    sys.meta_path.insert(0, _NoCookbook())
    _block_the_network()
    if not FRESH:
        # Imported once for every page that follows; a fresh_python page imports them itself, as a reader does.
        import keras  # noqa: F401
        import numpy  # noqa: F401
        import tensorflow  # noqa: F401
    child.baseline = None if FRESH else state.snapshot()
    child.threads = set(threading.enumerate())
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    for request in requests:
        message = json.loads(request)
        operation = message.pop("op")
        answer = getattr(child, operation)(**message)
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
        if operation == "end" and child.copy:
            os._exit(0)  # a copy serves one recipe; the process it was copied from takes the next request


if __name__ == "__main__":
    try:
        main()
    except BaseException:
        traceback.print_exc(file=sys.__stderr__)  # sys.stderr is the blocks' capture by now
        raise
