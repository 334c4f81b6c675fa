"""Shared test settings: hypothesis profiles sized for a 2-core CI machine, and the strict book build."""
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import sys
import types
import warnings

import pytest

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


ROOT = pathlib.Path(__file__).resolve().parents[1]


def _build_book(out: pathlib.Path) -> dict:
    # Start from an empty html folder: a full rebuild still leaves stale files behind.
    shutil.rmtree(out / "_build" / "html", ignore_errors=True)
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "build_book.py"), "--strict",
                           "--path-output", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    return {"returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory):
    """The strict build (-W -n --keep-going, every page) of every edition, once per run.

    English into _build/html, Chinese into _build/html/zh_CN (tools/build_book.py), which
    tests/test_browser.py then serves. BOOK_BUILD_DIR puts the build elsewhere, e.g. to test
    while someone else builds. Under pytest-xdist the first worker to get here builds, under
    a lock, and the others read its result: one build per run, never two into one folder.
    """
    out = pathlib.Path(os.environ.get("BOOK_BUILD_DIR", ROOT)).resolve()
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        result = _build_book(out)
    else:
        shared = tmp_path_factory.getbasetemp().parent  # the run's folder, common to its workers
        record = shared / "strict_build.json"
        with open(shared / "strict_build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if record.exists():
                result = json.loads(record.read_text())
            else:
                result = _build_book(out)
                record.write_text(json.dumps(result))
    return types.SimpleNamespace(**result, html_dir=out / "_build" / "html")


# ----- Chromium, shared by every browser test (one Playwright per session) -------------

CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


CHROMIUM_FIX = ("Install Debian's Chromium (`apt-get install -y chromium`, as .ci/run does); "
                "never `playwright install`.")


def no_browser(reason: str, fix: str = CHROMIUM_FIX):
    """Skip loudly, or fail under CI, where the browser tests must run."""
    msg = f"BROWSER TESTS NOT RUN: {reason}. {fix}"
    if IN_CI:
        pytest.fail(msg + " (CI is set, so this is a failure.)")
    warnings.warn(msg)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright's sync API (one instance for the whole session:
    a second ``sync_playwright()`` inside the first one's event loop is refused)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the pinned requirements install it
        no_browser(f"the playwright package is missing ({exc})")
    if not CHROMIUM.exists():
        no_browser(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
