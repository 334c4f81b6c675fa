"""Shared test settings: hypothesis profiles sized for a 2-core CI machine, and the strict book build."""
import os
import pathlib
import subprocess
import sys
import types

import pytest

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def strict_build():
    """The strict build (-W -n --keep-going, --all), once per session: its log and HTML folder.

    Builds into _build/html, which tests/test_browser.py then serves. BOOK_BUILD_DIR puts the
    build elsewhere (jupyter-book's --path-output), e.g. to test while someone else builds.
    """
    out = pathlib.Path(os.environ.get("BOOK_BUILD_DIR", ROOT)).resolve()
    jb = pathlib.Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(ROOT), "--all", "-W", "-n", "--keep-going",
                           "--path-output", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    return types.SimpleNamespace(returncode=proc.returncode, stdout=proc.stdout, stderr=proc.stderr,
                                 html_dir=out / "_build" / "html")
