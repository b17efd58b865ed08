"""A pytest plugin for ``make bench``: every test's duration, by node id, written as JSON when the session ends.

Loaded with ``-p suite_timings`` (``benchmarks/`` on ``PYTHONPATH``) and ``--suite-timings=FILE``. Under
pytest-xdist the reports of every worker reach the controller, which writes the file. A test's
``seconds_of`` user property (set by the notebook test: the seconds one page's notebook took) is kept too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--suite-timings", metavar="FILE", help="write each test's seconds to FILE as JSON")


class Timings:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.seconds: dict[str, float] = defaultdict(float)
        self.properties: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[report.nodeid] += report.duration
        for name, value in report.user_properties:
            if name == "seconds_of":
                self.properties[report.nodeid] = value

    def pytest_sessionfinish(self) -> None:
        self.path.write_text(json.dumps({"seconds": self.seconds, "seconds_of": self.properties}, indent=1))


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("--suite-timings")
    if path and not hasattr(config, "workerinput"):  # the controller, or a run without workers
        config.pluginmanager.register(Timings(Path(path)), "suite-timings")
