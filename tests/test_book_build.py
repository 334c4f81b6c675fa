"""The strict book build: every page, -W -n --keep-going, zero warnings.

Builds into _build/html (the browser tests serve that folder). The build is
a full rebuild (--all) so that a warning in an unchanged page still counts.
The `strict_build` fixture is in conftest.py, shared with the browser tests.
"""


def test_book_builds_with_zero_warnings(strict_build):
    log = strict_build.stdout + strict_build.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert strict_build.returncode == 0 and not warnings, "\n".join(warnings) or log[-3000:]
    assert (strict_build.html_dir / "index.html").exists()
