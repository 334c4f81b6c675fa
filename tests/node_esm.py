"""Run an exported function of a widget's ES module under node, as the browser would load it.

anywidget loads a widget's ``_esm`` as one module from a string, so the test
does the same: it imports the file's text through a ``data:`` URL (no copy,
no bundler). The module's top level must not touch ``document``; only
``render`` does.
"""
import json
import pathlib
import shutil
import subprocess

import pytest

WIDGETS = pathlib.Path(__file__).resolve().parents[1] / "lstm_ref" / "widgets"

_DRIVER = r"""
import { readFileSync } from "node:fs";
const { file, fn, cases } = JSON.parse(readFileSync(0, "utf8"));
const src = readFileSync(file, "utf8");
const mod = await import("data:text/javascript;charset=utf-8," + encodeURIComponent(src));
const out = cases.map((args) => {
  try { return { ok: mod[fn](...args) }; } catch (e) { return { error: String(e && e.message || e) }; }
});
process.stdout.write(JSON.stringify(out));
"""


def run_esm(js_file, fn, cases):
    """``[fn(*args) for args in cases]`` evaluated by node; each result is ``{"ok": value}`` or ``{"error": msg}``."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the widget's JavaScript math cannot be tested")
    payload = json.dumps({"file": str(WIDGETS / js_file), "fn": fn, "cases": cases})
    proc = subprocess.run([node, "--input-type=module", "-e", _DRIVER], input=payload,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
