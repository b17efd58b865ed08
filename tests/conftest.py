import subprocess
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parent.parent
# Python's own bytecode caches and the virtual environment are the only things a run may add to the tree.
ALLOWED = ("__pycache__/", ".venv/")


def files_in_work_tree() -> set[str]:
    """Every file in the work tree that git does not track, ignored or not."""
    listing = subprocess.run(
        ["git", "ls-files", "--others", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return {path for path in listing.split("\0") if path and not any(part in path for part in ALLOWED)}


def pytest_sessionstart(session):
    session.config.stash[_before] = files_in_work_tree()


def pytest_sessionfinish(session, exitstatus):
    """Pages run, the site builds and the harness is tested in this session; none may write into the tree."""
    if session.config.getoption("--update-outputs", default=False):
        return  # rewriting pages is that mode's job
    added = sorted(files_in_work_tree() - session.config.stash[_before])
    if added:
        session.config.get_terminal_writer().line(
            "\nThe test run wrote into the work tree (tests and builds must use temporary folders):\n  "
            + "\n  ".join(added[:20]),
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_before = pytest.StashKey[set]()
