# Runs every Python fence of every page under docs/ and checks the output shown under it.
# The machinery lives in cookbook/pages.py; see docs/index.md for how verification works.
from pathlib import Path

from cookbook.pages import quiet_cpu_tensorflow

quiet_cpu_tensorflow()

from cookbook.pages import (  # noqa: E402
    page_sybil,
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_runtest_teardown,
    pytest_sessionfinish,
)

pytest_collect_file = page_sybil(Path(__file__).parent).pytest()

__all__ = [
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_runtest_teardown",
    "pytest_sessionfinish",
]
