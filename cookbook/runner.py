"""Running a page's code: the one place that does it, for the tests, the site's pictures and the benchmark.

Code runs in a child Python (:mod:`cookbook.child`), never in the process that checks it, so a block that
hangs is stopped after the page's ``timeout:`` with the line it was on, a block that ends its process
(``os._exit(0)``) fails instead of ending the test run, and the process that judges the outputs never
holds the pages' state. One child serves page after page (TensorFlow is imported once), with the global
state put back after each; a ``fresh_python: true`` page gets a child of its own. Child processes that a
block starts are in the child's process group and are ended with it.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .compare import without_native_log
from .page import Block, Page

#: Seconds the child may take to start and import TensorFlow.
START_TIMEOUT = 300.0
_TRACE_LINE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<function>\S+)')


class RunnerError(Exception):
    """The child stopped answering: it hung past its time limit or its process ended."""


@dataclass
class BlockResult:
    printed: str
    #: ``None`` if the block ran to its end; else the failure, naming the page's lines.
    error: str | None = None
    #: True if the block did not end by itself: it hung and was stopped, or its Python ended.
    stopped: bool = False
    #: The exception the block raised: its type's name and its message (``None`` if it raised none).
    exception_type: str | None = None
    exception: str | None = None


@dataclass
class PageRun:
    """What one run of a page's blocks printed, by line, and what went wrong."""

    printed: dict[int, str] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    leaks: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    #: With ``run_page(..., keep_files=folder)``: the files the page wrote there, name to bytes.
    files: dict[str, bytes] = field(default_factory=dict)


def data_folder() -> Path:
    """The repository's ``data/`` folder, which holds the files pages list under ``downloads:``."""
    return Path(__file__).resolve().parent.parent / "data"


class ChildProcess:
    """The parent's side: one child Python (running :class:`cookbook.child.Interpreter`) and the pipes to it."""

    def __init__(self, fresh: bool) -> None:
        self.fresh = fresh
        self.folder = Path(tempfile.mkdtemp(prefix="cookbook-child-"))
        self.log_path = self.folder / "stderr.log"
        self.trace_path = self.folder / "where.txt"
        request_read, self._request_write = os.pipe()
        self._answer_read, answer_write = os.pipe()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        env.setdefault("CUDA_VISIBLE_DEVICES", "")
        env.setdefault("KERAS_BACKEND", "tensorflow")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cookbook.child", str(request_read), str(answer_write), str(self.trace_path)]
                + (["--fresh"] if fresh else []),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(request_read, answer_write),
                cwd=self.folder,
                env=env,
                start_new_session=True,  # its own process group: whatever it starts ends with it
            )
        os.close(request_read)
        os.close(answer_write)
        #: The process that answers now: the child, or the copy of it that :meth:`fork` made.
        self.serving = self.process.pid
        self._answers = os.fdopen(self._answer_read, "r", encoding="utf-8")
        self._buffer = ""
        self.closed = False
        self.ask(None, START_TIMEOUT, "starting Python and importing TensorFlow")

    def ask(self, request: dict | None, timeout: float, doing: str) -> dict:
        if request is not None:
            try:
                os.write(self._request_write, (json.dumps(request) + "\n").encode())
            except OSError:
                raise RunnerError(self._ended(doing)) from None
        deadline = time.monotonic() + timeout
        while "\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._answer_read], [], [], max(remaining, 0))
            if not ready:
                raise RunnerError(self._stopped(doing, timeout))
            chunk = os.read(self._answer_read, 1 << 20).decode()
            if not chunk:
                raise RunnerError(self._ended(doing))
            self._buffer += chunk
        line, self._buffer = self._buffer.split("\n", 1)
        answer = json.loads(line)
        if "copy_ended" in answer and request is not None:
            # The copy serving the request ended without answering; the child it was copied from says how.
            self.serving = self.process.pid
            raise RunnerError(self._ended(doing, answer["copy_ended"], close=False))
        return answer

    def fork(self, folder: Path, timeout: float, doing: str) -> bool:
        """From now until :meth:`end_copy`, a copy of the child (as it is now) answers, working in ``folder``.
        False if the child cannot be copied."""
        answer = self.ask({"op": "fork", "folder": str(folder)}, timeout, doing)
        self.serving = answer.get("pid", self.process.pid)
        return "pid" in answer

    def end_copy(self, timeout: float, doing: str) -> dict:
        """End the copy: its answer to ``end``, once the child it was copied from has seen it exit."""
        answer = self.ask({"op": "end"}, timeout, doing)
        self.ask(None, timeout, doing)  # the child's word that the copy has exited
        self.serving = self.process.pid
        return answer

    def _stopped(self, doing: str, timeout: float) -> str:
        """Ask the child where it is (faulthandler, on SIGUSR1), then end it and everything it started."""
        where = ""
        try:
            os.kill(self.serving, signal.SIGUSR1)
            for _ in range(50):
                time.sleep(0.02)
                where = self.trace_path.read_text(errors="replace") if self.trace_path.exists() else ""
                if "File" in where:
                    break
        except ProcessLookupError:
            pass
        self.close()
        return f"{doing} did not finish within {timeout:g} s; it was stopped, with the processes it started.\n{where}"

    def _ended(self, doing: str, status: int | None = None, close: bool = True) -> str:
        if status is None:
            try:
                status = self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                status = None
        log = without_native_log(self.log_path.read_text(errors="replace"))[-2000:] if self.log_path.exists() else ""
        if close:
            self.close()
        how = (
            f"exited with status {status}"
            if status is not None and status >= 0
            else f"was killed by signal {-status}"
            if status
            else "stopped answering"
        )
        tail = f"\nIts last words on stderr:\n{log}" if log.strip() else ""
        return f"the Python running the page {how} while {doing}, so the page's run ended there.{tail}"

    def close(self) -> None:
        """End the child and every process in its group (what the pages started and left behind)."""
        if self.closed:
            return
        self.closed = True
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        try:
            os.close(self._request_write)
        except OSError:
            pass
        self._answers.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Runner:
    """Runs pages' blocks in child Pythons; one shared child, plus one per ``fresh_python`` page.

    A ``fresh_python`` page's recipes, each run after only the setup block (``--isolated-recipes``), are
    run in copies (``os.fork``) of the fresh Python that ran the setup block, made after it: each copy is
    that Python as the setup left it, as a reader's fresh Python is when the setup block has run, without a
    TensorFlow import per recipe.
    """

    def __init__(self) -> None:
        self._shared: ChildProcess | None = None
        self._child: ChildProcess | None = None
        self._page: Page | None = None
        self._recipe: object = None
        self._folder: Path | None = None
        self.versions: dict[str, str] = {}
        #: The fresh Python that ran ``_template_page``'s setup block, and nothing else; copied per recipe.
        self._template: ChildProcess | None = None
        self._template_page: Page | None = None
        self._template_folder: Path | None = None
        self._setup_results: dict[int, BlockResult] = {}
        self._copy = False  # the current recipe runs in a copy of the template

    def _child_for(self, page: Page) -> ChildProcess:
        if page.fresh_python:
            return ChildProcess(fresh=True)
        if self._shared is None or self._shared.closed or self._shared.process.poll() is not None:
            self._shared = ChildProcess(fresh=False)
        return self._shared

    def start(self, page: Page, recipe: object = None) -> list[str]:
        """Begin a page (or, with ``recipe``, one recipe of it) in an empty folder holding its downloads.

        Returns what the previous page changed and could not be put back, if it was not ended yet.
        """
        leaks = self.end() if self._page is not None else []
        if recipe is not None and self._template_page is page and not self._template.closed:
            self._folder = Path(tempfile.mkdtemp(prefix="cookbook-page-"))
            self._child, self._page, self._recipe, self._copy = self._template, page, recipe, True
            try:
                if self._child.fork(self._folder, page.timeout, f"copying the Python that ran {page.shown_as}'s setup"):
                    return leaks
            except RunnerError:
                self._forget()
                raise
            shutil.rmtree(self._folder, ignore_errors=True)
            self._child, self._copy = None, False
        self._drop_template()
        self._setup_results = {}
        self._child = self._child_for(page)
        self._page, self._recipe = page, recipe
        self._folder = Path(tempfile.mkdtemp(prefix="cookbook-page-"))
        downloads = [str(data_folder() / name) for name in page.downloads]
        missing = [name for name in page.downloads if not (data_folder() / name).is_file()]
        if missing:
            raise RunnerError(f"{page.where(1)}: downloads: lists {', '.join(missing)}, which data/ does not have")
        try:
            self._child.ask(
                {
                    "op": "start",
                    "folder": str(self._folder),
                    "downloads": downloads,
                    "network": page.network,
                    "path": str(page.path),
                    "source": page.code_view,
                },
                page.timeout,
                f"setting up {page.shown_as}",
            )
        except RunnerError:
            self._forget()
            raise
        return leaks

    @property
    def page(self) -> Page | None:
        """The page that runs now, if any."""
        return self._page

    @property
    def folder(self) -> Path | None:
        """The working folder of the page that runs now."""
        return self._folder

    def current(self, page: Page, recipe: object = None) -> bool:
        return self._page is page and self._recipe == recipe and self._child is not None

    def run(self, page: Page, block: Block) -> BlockResult:
        """Run one block of the page that :meth:`start` began."""
        if self._copy and block.recipe is None:
            return self._setup_results[block.line]  # it ran in the Python this copy was made from
        result = self._run(page, block)
        if self._child is not None and self._child.fresh and not self._copy:
            if block.recipe is None:
                self._setup_results[block.line] = result
            else:
                self._setup_results = {}  # this Python has run more than the setup: not one to copy
        return result

    def _run(self, page: Page, block: Block) -> BlockResult:
        child = self._child
        try:
            answer = child.ask(
                {"op": "run", "code": block.code.body, "path": str(page.path), "line": block.line},
                page.timeout,
                f"running the block at {page.where(block.line)}",
            )
        except RunnerError as error:
            self._forget()
            return BlockResult("", f"{page.where(block.line)}: {_name_page_lines(str(error), page)}", stopped=True)
        if answer["error"] is None:
            return BlockResult(answer["printed"])
        error = answer["error"]
        frames = "".join(f"  {page.where(line)}: {(text or '').strip()}\n" for _, line, text in error["frames"])
        message = error["message"].rstrip("\n")
        name, _, text = message.partition(": ")  # format_exception_only: "module.Type: message"
        text = text if text and name.rsplit(".", 1)[-1] == error["type"] else message
        return BlockResult(
            answer["printed"], f"{frames}{error['message']}", exception_type=error["type"], exception=text
        )

    def end(self) -> list[str]:
        """End the current page: put the state back and return what could not be put back."""
        child, folder, page, copy = self._child, self._folder, self._page, self._copy
        self._child = self._page = self._folder = None
        self._recipe, self._copy = None, False
        leaks: list[str] = []
        if copy:
            try:
                answer = child.end_copy(60, f"ending {page.shown_as}")
                leaks, self.versions = answer["leaks"], answer["versions"]
            except RunnerError as error:
                leaks = [str(error)]
                self._drop_template()
        elif child is not None and child.fresh and self._ran_only_the_setup(page) and child.process.poll() is None:
            self._template, self._template_page, self._template_folder = child, page, folder
            return leaks  # kept, to be copied for each recipe of the page
        elif child is not None and child.process.poll() is None:
            try:
                answer = child.ask({"op": "end"}, 60, f"ending {page.shown_as}")
                leaks, self.versions = answer["leaks"], answer["versions"]
            except RunnerError as error:
                leaks = [str(error)]
            if child.fresh or leaks:
                child.close()  # a Python that could not be put back serves no other page
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        return leaks

    def _ran_only_the_setup(self, page: Page) -> bool:
        setup = [block.line for block in page.runnable if block.recipe is None]
        ran = self._setup_results
        return bool(setup) and list(ran) == setup and not any(result.error for result in ran.values())

    def _drop_template(self) -> None:
        if self._template is not None:
            self._template.close()
        if self._template_folder is not None:
            shutil.rmtree(self._template_folder, ignore_errors=True)
        self._template = self._template_page = self._template_folder = None

    def _forget(self) -> None:
        """The child is gone: the next page starts a new one. (When only a copy ended, the Python it was copied
        from is still there, for the next recipe.)"""
        child = self._child
        if child is not None and not (child is self._template and self._copy and not child.closed):
            child.close()
            if child is self._shared:
                self._shared = None
            if child is self._template:
                self._drop_template()
        self._child = None
        self._copy = False
        self._page = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def close(self) -> None:
        self.end()
        self._drop_template()
        if self._shared is not None:
            self._shared.close()
            self._shared = None

    def run_page(self, page: Page, keep_files: str | None = None) -> PageRun:
        """Run every block of a page top to bottom (skipped blocks excepted).

        With ``keep_files``, the files the page wrote below that sub-folder are returned as
        ``run.files`` (name to bytes) before its folder is removed.
        """
        run = PageRun()
        self.start(page)
        for block in page.runnable:
            result = self.run(page, block)
            run.printed[block.line] = result.printed
            if result.error:
                run.errors[block.line] = result.error
                if self._child is None:
                    break
        if keep_files and self._folder is not None:
            run.files = {p.name: p.read_bytes() for p in sorted((self._folder / keep_files).glob("*")) if p.is_file()}
        run.leaks = self.end()
        run.versions = dict(self.versions)
        return run

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _name_page_lines(message: str, page: Page) -> str:
    """Turn faulthandler's ``File "/abs/page.md", line 12 in <module>`` into the page's own lines."""
    lines = page.text.splitlines()

    def shown(match: re.Match) -> str:
        if match["file"] != str(page.path):
            return match.group()
        number = int(match["line"])
        text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
        return f"{page.where(number)}: {text}"

    return _TRACE_LINE.sub(shown, message)
