"""``make matrix``: every page, run with each TensorFlow version in an environment of its own.

Usage, from the repository, with the project's Python (the Makefile's targets do this)::

    python matrix/run.py run  [VERSION ...]   # make matrix [VERSIONS="2.16 nightly"]
    python matrix/run.py run 2.16 --pages docs/errors   # some pages only: their results replace theirs
    python matrix/run.py lock [VERSION ...]   # make matrix-lock: re-resolve the locks (authors only)

A VERSION is ``2.16`` ... ``2.22`` (any ``2.N``) or ``nightly``; without one, every version of
:data:`cookbook.matrix.VERSIONS`. For each version, ``run``:

1. reads its lock, ``matrix/locks/<version>.txt`` (resolved first, as ``lock`` does, if there is none);
2. makes its environment, ``$XDG_CACHE_HOME/tf2-cookbook/matrix/<version>/venv`` (outside the repository,
   ``~/.cache`` by default; ``COOKBOOK_MATRIX_HOME`` moves it), with ``pip install --no-deps -r`` the lock,
   as the main environment is made; it is reused while the lock and the Python are unchanged;
3. checks that the environment imports exactly the locked ``tensorflow``, ``keras``, ``tf_keras``,
   ``tensorflow_hub``, ``numpy`` and ``pandas``, and stops that version with the difference if not;
4. runs ``pytest docs/ --cookbook-report=FILE`` there, with this repository's ``cookbook`` on ``PYTHONPATH``
   and the stamps' results folder (``COOKBOOK_RESULTS_DIR``) in a temporary folder, so that the main
   environment's "Verified with" stamps are never overwritten;
5. merges that version's entry into ``matrix/results.json`` (the other versions keep theirs), right away.

``lock`` resolves, with ``pip install --dry-run --report`` (nothing is installed), the CPU wheel
``tensorflow-cpu==2.N.*`` with ``tf-keras==2.N.*`` and the Keras, tensorflow-hub, NumPy and pandas that pip
picks with them, plus what the harness needs to run the pages (pytest, pytest-socket, sybil, PyYAML); for a
version with only pre-releases (``2.22.0rc0``), the newest of them, with the Keras it asks for
(``keras-nightly``) and ``tf-keras-nightly``'s newest build of that version if there is no ``tf-keras`` (the
lock's header says so); for ``nightly``, the newest of ``tf-nightly-cpu`` and ``tf-nightly`` with the newest ``keras-nightly`` and
``tf-keras-nightly``. tf-keras and tensorflow-hub ask for the ``tensorflow`` wheel, which would replace the
``tensorflow`` module of ``tensorflow-cpu`` or ``tf-nightly`` (and, for the nightly, ``keras`` and ``tf-keras``
those of ``keras-nightly`` and ``tf-keras-nightly``): the lock keeps only what the wanted packages need
without them, and is installed with ``--no-deps``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cookbook.matrix import RESULTS_FILE, VERSIONS, load_results, merge, totals, version_order  # noqa: E402
from cookbook.results import cache_home  # noqa: E402

LOCKS = REPO / "matrix" / "locks"
SCHEMA = REPO / "matrix" / "results.schema.json"
#: Wheels that provide the ``tensorflow`` module: a lock keeps exactly one of them.
TENSORFLOW_WHEELS = frozenset(
    {
        "tensorflow",
        "tensorflow-cpu",
        "tensorflow-intel",
        "tensorflow-macos",
        "tensorflow-aarch64",
        "tf-nightly",
        "tf-nightly-cpu",
        "tf-nightly-intel",
        "tf-nightly-macos",
    }
)
#: What ``pip freeze`` leaves out of the main lock: each environment has the versions its ``python -m venv``
#: installs, as the main environment has (setuptools 80 and later have no ``pkg_resources``, which
#: tensorflow_hub imports).
PIP_OWN = frozenset({"pip", "setuptools", "wheel", "distribute"})
#: What pages import beyond TensorFlow, Keras, tensorflow-hub, NumPy and pandas: the LiteRT interpreter
#: (docs/saving/tflite.md), matplotlib (the pages that draw a picture) and Pillow (``keras.utils.load_img``).
PAGES_IMPORT = ("ai-edge-litert", "matplotlib", "pillow")
#: What the harness needs to run the pages (not the site's dependencies).
HARNESS = ("pytest", "pytest-socket", "sybil==10.*", "pyyaml")
#: The modules checked against the lock before anything runs, and the lock names that may provide each.
MODULES = {
    "tensorflow": sorted(TENSORFLOW_WHEELS),
    "keras": ["keras-nightly", "keras"],
    "tf_keras": ["tf-keras-nightly", "tf-keras"],
    "tensorflow_hub": ["tensorflow-hub"],
    "numpy": ["numpy"],
    "pandas": ["pandas"],
}
#: Seconds one version's ``pytest docs/`` may take before it is stopped.
RUN_TIMEOUT = 45 * 60
_VERSION = re.compile(r"^(2\.\d+|nightly)$")


class MatrixError(Exception):
    """One version could not be run; the message says why and what to do."""


def say(message: str) -> None:
    print(message, flush=True)


def matrix_home() -> Path:
    configured = os.environ.get("COOKBOOK_MATRIX_HOME")
    return Path(configured) if configured else cache_home() / "matrix"


def lock_path(version: str) -> Path:
    return LOCKS / f"{version}.txt"


# Locks ------------------------------------------------------------------------------------------------
def pip_report(pip: list[str], requirements: list[str], *options: str) -> dict:
    """What pip would install for ``requirements`` in an empty environment (``--dry-run --report``)."""
    with tempfile.TemporaryDirectory(prefix="cookbook-matrix-") as folder:
        report = Path(folder) / "report.json"
        command = [*pip, "install", "--dry-run", "--ignore-installed", "--quiet", "--disable-pip-version-check"]
        done = subprocess.run(
            [*command, *options, "--report", str(report), *requirements], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise MatrixError(f"pip could not resolve {' '.join(requirements)}:\n{_tail(done.stderr)}")
        return json.loads(report.read_text(encoding="utf-8"))


def newest_metadata(pip: list[str], requirement: str, pre: bool = True) -> dict | None:
    """The metadata of the newest version that ``requirement`` (``name`` or ``name==2.22.*``) allows,
    pre-releases included if ``pre`` (else final releases only); ``None`` if the index has none."""
    try:
        report = pip_report(pip, [requirement], "--no-deps", *(["--pre"] if pre else []))
    except MatrixError:
        return None
    metadata = report["install"][0]["metadata"]
    if not pre and Version(metadata["version"]).is_prerelease:
        return None  # pip falls back to a pre-release when a specifier matches no final release
    return metadata


def newest_prerelease(pip: list[str], name: str) -> str | None:
    """The newest version of ``name`` (or of a requirement such as ``name==2.22.*``), pre-releases included;
    ``None`` if the index has none."""
    metadata = newest_metadata(pip, name)
    return None if metadata is None else metadata["version"]


def newest_release(pip: list[str], requirement: str) -> str | None:
    """The newest final release that ``requirement`` allows; ``None`` if there is none (only pre-releases)."""
    metadata = newest_metadata(pip, requirement, pre=False)
    return None if metadata is None else metadata["version"]


def nightly_dev(version: str) -> int:
    """The build date of a nightly version: ``2.23.0.dev20261026`` -> ``20261026``."""
    dev = Version(version).dev
    return int(str(dev)[:8]) if dev is not None else 0


def wanted(version: str, pip: list[str] | None = None) -> tuple[list[str], set[str], list[str]]:
    """The requirements a version's lock resolves, the names it leaves out, and notes for its header."""
    if version == "nightly":
        cpu, full = newest_prerelease(pip, "tf-nightly-cpu"), newest_prerelease(pip, "tf-nightly")
        if cpu is None and full is None:
            raise MatrixError("the package index has neither tf-nightly-cpu nor tf-nightly")
        if cpu is not None and (full is None or nightly_dev(cpu) >= nightly_dev(full)):
            tensorflow = f"tf-nightly-cpu=={cpu}"
            notes = ["tf-nightly-cpu is the newest nightly"]
        else:
            tensorflow = f"tf-nightly=={full}"
            notes = [
                f"tf-nightly-cpu's newest build ({cpu}) is older than tf-nightly's ({full}): the newest nightly is "
                "tf-nightly"
                if cpu
                else "there is no tf-nightly-cpu: the nightly is tf-nightly"
            ]
        keras, tf_keras = newest_prerelease(pip, "keras-nightly"), newest_prerelease(pip, "tf-keras-nightly")
        if keras is None or tf_keras is None:
            raise MatrixError("the package index has no keras-nightly or no tf-keras-nightly")
        requirements = [tensorflow, f"keras-nightly=={keras}", f"tf-keras-nightly=={tf_keras}"]
        left_out = {"keras", "tf-keras"}
    elif pip is not None and newest_release(pip, f"tensorflow-cpu=={version}.*") is None:
        requirements, left_out, notes = prerelease_wanted(version, pip)
    else:
        requirements = [f"tensorflow-cpu=={version}.*", f"tf-keras=={version}.*", "keras"]
        left_out = set()
        notes = []
    requirements += ["tensorflow-hub", "numpy", "pandas", *PAGES_IMPORT, *HARNESS]
    keep = canonicalize_name(Requirement(requirements[0]).name)
    return requirements, left_out | (TENSORFLOW_WHEELS - {keep}) | PIP_OWN, notes


def prerelease_wanted(version: str, pip: list[str]) -> tuple[list[str], set[str], list[str]]:
    """What :func:`wanted` asks for a version that has only pre-releases (``2.22.0rc0``): that pre-release of
    ``tensorflow-cpu``, the Keras it asks for (``keras-nightly``, whose module replaces ``keras``'s, as in the
    nightly's lock) and the newest ``tf-keras`` of the same minor version (a pre-release of ``tf-keras``, else a
    ``tf-keras-nightly`` build of that version), each named in the lock's header."""
    found = newest_metadata(pip, f"tensorflow-cpu=={version}.*")
    if found is None:
        raise MatrixError(f"the package index has no tensorflow-cpu {version}.*, not even a pre-release")
    tensorflow = found["version"]
    notes = [f"tensorflow-cpu {version} has no final release on the index: its newest pre-release, {tensorflow}"]
    requirements, left_out = [f"tensorflow-cpu=={tensorflow}"], set()
    asks = {
        canonicalize_name(Requirement(spec).name): spec
        for spec in found.get("requires_dist") or []
        if Requirement(spec).marker is None
    }
    if "keras-nightly" in asks:
        keras = newest_prerelease(pip, "keras-nightly")
        if keras is None:
            raise MatrixError(f"tensorflow-cpu {tensorflow} asks for keras-nightly, which the package index lacks")
        requirements.append(f"keras-nightly=={keras}")
        left_out.add("keras")
        notes.append(f"tensorflow-cpu {tensorflow} asks for {asks['keras-nightly']}: the newest keras-nightly")
    else:
        requirements.append("keras")
    tf_keras = newest_prerelease(pip, f"tf-keras=={version}.*")
    if tf_keras is not None:
        requirements.append(f"tf-keras=={tf_keras}")
    else:
        tf_keras = newest_prerelease(pip, f"tf-keras-nightly=={version}.*")
        if tf_keras is None:
            raise MatrixError(f"the package index has neither tf-keras {version}.* nor tf-keras-nightly {version}.*")
        requirements.append(f"tf-keras-nightly=={tf_keras}")
        left_out.add("tf-keras")
        notes.append(f"there is no tf-keras {version}: the newest tf-keras-nightly build of {version}, {tf_keras}")
    return requirements, left_out, notes


def closure(report: dict, left_out: set[str]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """What the requested packages of a pip report need, never passing through a left-out name.

    Returns the kept packages (canonical name to (name, version)) and the resolved ones not kept (name to
    version): the left-out packages and what only they needed.
    """
    environment = {**report.get("environment", {}), "extra": ""}
    items = {canonicalize_name(item["metadata"]["name"]): item for item in report["install"]}
    todo = [name for name, item in items.items() if item.get("requested")]
    kept: dict[str, tuple[str, str]] = {}
    while todo:
        name = todo.pop()
        if name in kept or name in left_out:
            continue
        metadata = items[name]["metadata"]
        kept[name] = (metadata["name"], metadata["version"])
        for spec in metadata.get("requires_dist") or []:
            requirement = Requirement(spec)
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            dependency = canonicalize_name(requirement.name)
            if dependency not in items:
                raise MatrixError(f"{metadata['name']} needs {spec}, which pip's resolution does not have")
            todo.append(dependency)
    dropped = {item["metadata"]["name"]: item["metadata"]["version"] for n, item in items.items() if n not in kept}
    return kept, dropped


def lock_text(version: str, requirements: list[str], kept: dict, dropped: dict, notes: list[str]) -> str:
    today = datetime.date.today().isoformat()
    header = [
        f"# The environment of TensorFlow {version} for `make matrix`. Generated by `make matrix-lock "
        f"VERSIONS={version}` on {today}; installed with pip --no-deps. Do not edit by hand.",
        f"# Resolved from: {' '.join(requirements)}",
        *[f"# {note}" for note in notes],
        "# Left out, with what only they need (the venv's own pip, setuptools and wheel, as pip freeze leaves them "
        "out of requirements.lock; and the wheels whose modules would replace the wanted ones'): "
        + (
            ", ".join(f"{name} {number}" for name, number in sorted(dropped.items(), key=lambda x: x[0].lower()))
            or "nothing"
        ),
    ]
    pins = [f"{kept[key][0]}=={kept[key][1]}" for key in sorted(kept)]
    return "\n".join(header + pins) + "\n"


def write_lock(version: str) -> Path:
    """Resolve ``version``'s lock anew and write it to ``matrix/locks/<version>.txt``."""
    pip = [sys.executable, "-m", "pip"]
    say(f"matrix {version}: resolving its lock with pip (nothing is installed)")
    requirements, left_out, notes = wanted(version, pip)
    kept, dropped = closure(pip_report(pip, requirements), left_out)
    path = lock_path(version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(lock_text(version, requirements, kept, dropped, notes), encoding="utf-8")
    say(f"matrix {version}: wrote {path.relative_to(REPO)} ({len(kept)} packages)")
    return path


def read_lock(path: Path) -> dict[str, str]:
    """The pins of a lock file: canonical name to version."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, number = line.partition("==")
            if not number:
                raise MatrixError(f"{path.relative_to(REPO)}: '{line}' is not pinned with ==")
            pins[canonicalize_name(name)] = number.strip()
    return pins


# Environments -----------------------------------------------------------------------------------------
def environment_key(lock: Path, python: str) -> str:
    described = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True)
    if described.returncode != 0:
        raise MatrixError(f"cannot run the Python {python!r} that makes the environments")
    return hashlib.sha256(lock.read_bytes() + described.stdout.encode()).hexdigest()[:16]


def ensure_environment(version: str, lock: Path, python: str) -> tuple[Path, bool, float]:
    """The version's environment (made afresh unless its stamp matches the lock), whether it was made now,
    and the seconds that took."""
    folder = matrix_home() / version
    venv = folder / "venv"
    stamp = venv / f".installed-{environment_key(lock, python)}"
    if stamp.is_file():
        say(f"matrix {version}: reusing {venv} (its lock is unchanged)")
        return venv, False, 0.0
    say(f"matrix {version}: making {venv} from {lock.relative_to(REPO)}")
    started = time.monotonic()
    shutil.rmtree(venv, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "install.log"
    wheels = matrix_home() / "wheels"
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    quiet = ["--disable-pip-version-check", "--no-input", "--progress-bar", "off"]
    with open(log, "w", encoding="utf-8") as out:
        for command in (
            [python, "-m", "venv", str(venv)],
            # The wheels are kept (the index serves them uncached): a wheel already there is not fetched again.
            [*pip, "download", *quiet, "--no-deps", "--dest", str(wheels), "-r", str(lock)],
            # --no-compile: Python compiles only the modules that are imported, when they are (half the time).
            [
                *pip,
                "install",
                *quiet,
                "--no-deps",
                "--no-index",
                "--find-links",
                str(wheels),
                "--no-compile",
                "-r",
                str(lock),
            ],
        ):
            out.write(f"$ {' '.join(command)}\n")
            out.flush()
            if subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL).returncode:
                raise MatrixError(f"installing the environment failed; see {log}:\n{_tail(log.read_text())}")
    stamp.touch()
    prune_wheels(wheels)
    return venv, True, time.monotonic() - started


def prune_wheels(wheels: Path) -> None:
    """Remove the kept wheels that no lock pins any more (an older nightly, say)."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    pinned = set()
    for lock in LOCKS.glob("*.txt"):
        pinned |= {(name, Version(number)) for name, number in read_lock(lock).items()}
    for wheel in wheels.glob("*.whl"):
        try:
            name, number, _, _ = parse_wheel_filename(wheel.name)
        except (InvalidWheelFilename, ValueError):
            continue
        if (canonicalize_name(name), number) not in pinned:
            wheel.unlink()


_CHECK = """
import importlib, importlib.metadata, json, sys
import tensorflow, keras, numpy, pandas
found, failed = {"python": sys.version.split()[0]}, {}
for module, wheel in %r:
    try:
        found[module] = importlib.import_module(module).__version__
    except Exception as error:  # the pages that import it fail with this; the others still run
        failed[module] = f"{type(error).__name__}: {error}"
        found[module] = importlib.metadata.version(wheel)
print(json.dumps({"found": found, "failed": failed}))
"""


def child_environment(venv: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.setdefault("CUDA_VISIBLE_DEVICES", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    env.update(extra)
    return env


def locked_versions(pins: dict[str, str]) -> dict[str, tuple[str, str]]:
    """For each checked module, the lock's name and version of the package that provides it."""
    found = {}
    for module, names in MODULES.items():
        providers = [name for name in names if name in pins]
        if len(providers) != 1:
            raise MatrixError(
                f"the lock must pin exactly one of {', '.join(names)} (for the {module} module), "
                f"it pins {', '.join(providers) or 'none'}"
            )
        found[module] = (providers[0], pins[providers[0]])
    return found


def version_mismatches(imported: dict[str, str], expected: dict[str, tuple[str, str]]) -> list[str]:
    """How the imported modules' ``__version__`` depart from the lock (``2.23.0-dev20261026`` is
    ``2.23.0.dev20261026``)."""
    problems = []
    for module, (name, number) in expected.items():
        got = imported.get(module)
        if got is None or Version(got) != Version(number):
            problems.append(f"{module}.__version__ is {got}, but the lock pins {name}=={number}")
    return problems


def check_environment(version: str, venv: Path, lock: Path) -> dict[str, str]:
    """Import the checked modules in the environment and compare them with the lock; the versions found."""
    expected = locked_versions(read_lock(lock))
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", _CHECK % ([(module, wheel) for module, (wheel, _) in expected.items()],)],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env=child_environment(venv),
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise MatrixError(f"the environment {venv} cannot import the pages' libraries:\n{_tail(done.stderr)}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    imported = answer["found"]
    for module, error in answer["failed"].items():
        say(f"matrix {version}: note: import {module} fails ({error}); the pages that use it will fail with that")
    problems = version_mismatches(imported, expected)
    if problems:
        for stamp in venv.glob(".installed-*"):
            stamp.unlink()  # the next run makes the environment afresh
        raise MatrixError(
            f"the environment {venv} does not hold what {lock.relative_to(REPO)} pins: "
            + "; ".join(problems)
            + ". Another wheel provides that module (a lock must not list tensorflow, tf-keras or keras next to "
            "their nightly or CPU wheels); nothing was run, and the next `make matrix` makes the environment anew."
        )
    packages = {"tensorflow": imported["tensorflow"], "tensorflow_wheel": expected["tensorflow"][0]}
    packages.update({module: imported[module] for module in MODULES if module != "tensorflow"})
    packages["python"] = imported["python"]
    return packages


# Running the pages ------------------------------------------------------------------------------------
def run_pages(version: str, venv: Path, pages: list[str] | None = None) -> dict:
    """``pytest docs/`` (or only ``pages``: files or folders below ``docs/``) in the version's environment; its
    ``--cookbook-report``."""
    log = matrix_home() / version / "pytest.log"
    with tempfile.TemporaryDirectory(prefix=f"cookbook-matrix-{version}-") as folder:
        report = Path(folder) / "report.json"
        command = [
            str(venv / "bin" / "python"),
            "-m",
            "pytest",
            *(pages or ["docs/"]),
            "-q",
            "-p",
            "no:randomly",
            f"--cookbook-report={report}",
        ]
        env = child_environment(venv, COOKBOOK_RESULTS_DIR=str(Path(folder) / "results"))
        with open(log, "w", encoding="utf-8") as out:
            try:
                done = subprocess.run(
                    command,
                    cwd=REPO,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    timeout=RUN_TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                raise MatrixError(f"pytest docs/ did not finish within {RUN_TIMEOUT} s; see {log}") from None
        if done.returncode not in (0, 1) or not report.is_file():
            raise MatrixError(f"pytest docs/ ended with status {done.returncode}; see {log}:\n{_tail(log.read_text())}")
        return json.loads(report.read_text(encoding="utf-8"))


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory, 1),
        "system": f"{platform.system()} {platform.machine()}",
    }


def version_entry(lock: Path, packages: dict, created: bool, install: float, run: float, report: dict) -> dict:
    pages = {
        page["page"]: {
            "sha256": page["sha256"],
            "blocks": [
                {
                    key: block[key]
                    for key in ("line", "recipe", "outcome", "type", "message", "expected", "got", "printed")
                    if key in block
                }
                for block in page["blocks"]
            ],
        }
        for page in sorted(report["pages"], key=lambda page: page["page"])
    }
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "machine": machine(),
        "lock": lock.relative_to(REPO).as_posix(),
        "lock_sha256": hashlib.sha256(lock.read_bytes()).hexdigest(),
        "packages": packages,
        "environment": "created" if created else "reused",
        "install_seconds": round(install, 1),
        "run_seconds": round(run, 1),
        "totals": totals(pages),
        "pages": pages,
    }


def partial_entry(version: str, earlier: dict | None, entry: dict) -> dict:
    """The version's entry after a run of only some pages (``--pages``): the earlier entry with those pages'
    results replaced (its install and run times stay those of the run that made it; its date is the newest
    run's), if the earlier entry was made with the same lock and versions; else the new pages alone."""
    if earlier is None or earlier["lock_sha256"] != entry["lock_sha256"] or earlier["packages"] != entry["packages"]:
        say(
            f"matrix {version}: no earlier entry of {version} made with this lock: the entry holds only the pages "
            "that ran now (`make matrix VERSIONS=" + version + "` runs them all)"
        )
        return entry
    pages = {**earlier["pages"], **entry["pages"]}
    pages = {page: pages[page] for page in sorted(pages)}
    return {**earlier, "date": entry["date"], "machine": entry["machine"], "totals": totals(pages), "pages": pages}


def dumps(data: dict) -> str:
    """The results as JSON, one line per block, so that the committed file diffs block by block."""

    def render(value, indent: str, key: str | None = None) -> str:
        if key == "blocks" and isinstance(value, list):
            inner = indent + " "
            return "[\n" + ",\n".join(inner + json.dumps(item, ensure_ascii=False) for item in value) + f"\n{indent}]"
        if isinstance(value, dict) and value:
            inner = indent + " "
            items = [f"{inner}{json.dumps(name)}: {render(item, inner, name)}" for name, item in value.items()]
            return "{\n" + ",\n".join(items) + f"\n{indent}}}"
        return json.dumps(value, ensure_ascii=False)

    return render(data, "") + "\n"


def schema_problems(data: dict) -> list[str]:
    """What in ``data`` breaks ``matrix/results.schema.json`` (checked when jsonschema is installed)."""
    try:
        import jsonschema
    except ImportError:
        return []
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(data)]


def record(version: str, entry: dict, results_file: Path = RESULTS_FILE) -> dict:
    """Merge one version's entry into the results file (written whole, atomically)."""
    results = merge(load_results(results_file), version, entry)
    problems = schema_problems(results)
    if problems:
        raise MatrixError("the results would not match matrix/results.schema.json:\n" + "\n".join(problems[:10]))
    temporary = results_file.with_suffix(".tmp")
    temporary.write_text(dumps(results), encoding="utf-8")
    temporary.replace(results_file)
    return results


def run_version(version: str, python: str, pages: list[str] | None = None) -> dict:
    lock = lock_path(version)
    if not lock.is_file():
        write_lock(version)
    venv, created, install = ensure_environment(version, lock, python)
    started = time.monotonic()
    packages = check_environment(version, venv, lock)
    say(
        f"matrix {version}: TensorFlow {packages['tensorflow']}, Keras {packages['keras']}, NumPy "
        f"{packages['numpy']}, pandas {packages['pandas']}: running pytest {' '.join(pages or ['docs/'])}"
    )
    report = run_pages(version, venv, pages)
    entry = version_entry(lock, packages, created, install, time.monotonic() - started, report)
    if pages:
        entry = partial_entry(version, load_results()["versions"].get(version), entry)
    record(version, entry)
    counts = entry["totals"]
    say(
        f"matrix {version}: {counts['passed']} passed, {counts['differs']} differ, {counts['error']} error "
        f"(install {entry['install_seconds']:.0f} s, run {entry['run_seconds']:.0f} s)"
    )
    return entry


@contextlib.contextmanager
def one_run_at_a_time():
    home = matrix_home()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"another `make matrix` is running (it holds {home / '.lock'})") from None
        yield


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="matrix/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["run", "lock"])
    parser.add_argument("versions", nargs="*", metavar="VERSION")
    parser.add_argument("--python", default="python3", help="the Python the environments are made with")
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="PATH",
        help="run only these pages or folders below docs/ (docs/errors, say): their results replace those of the "
        "same pages in the version's entry, whose other pages keep theirs if it was made with the same lock",
    )
    options = parser.parse_intermixed_args(argv)
    if options.pages:
        docs = (REPO / "docs").resolve()
        outside = [
            path
            for path in options.pages
            if not (REPO / path).exists() or not (REPO / path).resolve().is_relative_to(docs)
        ]
        if outside:
            parser.error(f"not a page or folder below docs/: {', '.join(outside)}")
    versions = options.versions or list(VERSIONS)
    bad = [version for version in versions if not _VERSION.match(version)]
    if bad:
        parser.error(f"not a version: {', '.join(bad)} (write 2.16 ... 2.22 or nightly)")
    versions = sorted(dict.fromkeys(versions), key=version_order)
    failed = []
    with one_run_at_a_time():
        for version in versions:
            try:
                if options.command == "lock":
                    write_lock(version)
                else:
                    run_version(version, options.python, options.pages)
            except MatrixError as error:
                say(f"matrix {version}: FAILED: {error}")
                failed.append(version)
    if options.command == "run":
        summary(versions)
    if failed:
        say(f"matrix: {', '.join(failed)} failed (see above); the other versions' results are recorded")
        return 1
    return 0


def summary(versions: list[str]) -> None:
    results = load_results()
    say("\nversion  tensorflow               install   run  passed differs error  environment")
    for version in versions:
        entry = results["versions"].get(version)
        if entry is None:
            continue
        counts = entry["totals"]
        say(
            f"{version:8} {entry['packages']['tensorflow']:22} {entry['install_seconds']:6.0f} s {entry['run_seconds']:4.0f} s"
            f" {counts['passed']:6} {counts['differs']:7} {counts['error']:5}  {entry['environment']}"
        )
    say(f"written to {RESULTS_FILE.relative_to(REPO)}")


if __name__ == "__main__":
    raise SystemExit(main())
