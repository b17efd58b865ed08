"""The verdict does not depend on the CPU's math library: every page passes with oneDNN turned off too.

oneDNN (on by default on x86-64) changes how TensorFlow sums and multiplies, so the last digits of float32
results can differ from a machine without it. Pages must print in a form, and compare with a tolerance, that
gives the same verdict either way.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_page_passes_with_onednn_off():
    environment = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "docs", "-q", "-p", "no:cacheprovider", "--disable-socket"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in result.stdout.splitlines()[-1]
