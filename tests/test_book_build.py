"""The strict book build: every page, -W -n --keep-going, zero warnings.

Builds into _build/html (the browser tests serve that folder). The build is
a full rebuild (--all) so that a warning in an unchanged page still counts.
"""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def strict_build():
    jb = pathlib.Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(ROOT), "--all", "-W", "-n", "--keep-going"],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    return proc


def test_book_builds_with_zero_warnings(strict_build):
    log = strict_build.stdout + strict_build.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert strict_build.returncode == 0 and not warnings, "\n".join(warnings) or log[-3000:]
    assert (ROOT / "_build" / "html" / "index.html").exists()
