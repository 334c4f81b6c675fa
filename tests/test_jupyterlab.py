"""The README's promise "``make lab`` opens the notebooks in JupyterLab, with working widgets;
with a live kernel the widgets can recompute", in a real JupyterLab and a real browser.

One private JupyterLab (``tests/jupyterlab_helpers.py``: this ``.venv``, 127.0.0.1, a free
port, a random token, its own config/runtime/data directories, nothing that reaches another
host) serves a copy of ``chapters/``. For every chapter whose stored outputs display a widget
(found by scanning the notebooks for ``application/vnd.jupyter.widget-view+json``), one
JupyterLab page in Debian's Chromium (Playwright, every request to another host aborted and
counted as a failure) opens ``<name>.ipynb`` with the app's ``docmanager:open`` command, as a
reader opens one notebook after another (``LabPage``), and:

* runs it with the real menu, Run > Run All Cells; a chapter whose stored run (``make
  outputs``' per-cell timestamps) took longer than ``FULL_RUN_BUDGET_S`` runs only its widget
  cells and the cells they need (``cells_needed``: imports, and the last earlier cell binding
  each name they read), one by one with Ctrl+Enter, to keep the module fast;
* waits for the kernel to go idle (finite timeout), saves the notebook (Ctrl+S) and reads the
  saved copy: every cell that ran has a new execution count, no error output except in cells
  tagged ``raises-exception`` (which must still raise), no new stderr;
* checks every widget output area shows the book's widget (its ``lstm-widget-<name>`` root,
  the kinds the stored state names), never "Loading widget..." or "Error displaying widget";
* moves a control of every widget kind (``INTERACTIONS``, the same controls as
  tests/test_browser.py drives on the static page) and checks that what it shows changed;
* with the live kernel (``LIVE``): new cells change a widget from Python (the shape explorer's
  ``hidden_size``, the gate explorer's preset, the sequence explorer fed a new sequence) and the
  browser must show what ``lstm_ref`` computes; and the reverse, a moved control read back from
  the kernel;
* no console error and no uncaught exception on the page (``NOISE``: the only messages not
  counted, each with its reason).

Cost: JupyterLab's page once (some 5 s); per chapter, its panel and a kernel start (about 2 s),
``import torch`` and the cells, a few seconds of checks. why_lstm (a 37 s stored run, 27 s of it
training RNNs and LSTMs on the adding problem) runs 3 cells instead of all. Measured: 75 s for
the module on its own on 2 cores (105 s when every chapter loaded its own JupyterLab page).
Screenshots go to ``test-artifacts/jupyterlab/``. Without Chromium or Playwright the tests skip
loudly, except under CI, where they fail (``browser`` in conftest.py).
"""
from __future__ import annotations

import json
import pathlib
import re
import time

import numpy as np
import pytest

from jupyterlab_helpers import (VIEW_MIME, JupyterLab, cells_needed, stored_seconds,
                                widget_cells)

ROOT = pathlib.Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "jupyterlab"
#: A chapter whose stored run took longer runs only its widget cells and what they need.
FULL_RUN_BUDGET_S = 15.0
#: Limits (generous, finite): JupyterLab's page and kernel start, a run, a widget's render.
READY_TIMEOUT_S = 120
RUN_TIMEOUT_S = 300
RENDER_TIMEOUT_MS = 60_000
UPDATE_TIMEOUT_MS = 20_000

NOTEBOOKS = {p.stem: json.loads(p.read_text()) for p in sorted((ROOT / "chapters").glob("*.ipynb"))}
WIDGET_NOTEBOOKS = [name for name, nb in NOTEBOOKS.items() if widget_cells(nb)]

# Console messages of type "error" that are JupyterLab's, not the book's, and are not counted.
# Each entry: (regular expression on the message text, why it is noise). Keep this list tight.
# Empty: with the news feed, update check, PyPI extension manager and terminals off (see
# jupyterlab_helpers.py), JupyterLab 4.6.6 logs no console error at all while these chapters
# run, so every console error fails the test. (Its warnings and debug lines, such as
# "Disabling terminals plugin because they are not available on the server", are not errors.)
NOISE = []


# ----- fixtures ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """The JupyterLab server; ``browser`` first, so that a missing Chromium skips before it starts."""
    server = JupyterLab(ROOT, tmp_path_factory.mktemp("jupyterlab"))
    try:
        yield server
    finally:
        server.stop()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "jupyterlab.log").write_text(server.log())
    assert not server.leftover, f"processes of the JupyterLab server still alive: {server.leftover}"


class LabPage:
    """One JupyterLab page in one browser context for the whole module, with what it said.

    JupyterLab's page (its shell, some 5 s) loads once; each chapter then opens in it through
    the app's own ``docmanager:open`` command (``window.jupyterapp``: the server runs with
    ``expose_app_in_browser``), as a reader opens one notebook after another from the file
    browser. ``chapter(name)`` opens one and starts its lists of console errors, blocked and
    failed requests afresh; ``close_chapter()`` disposes of every document in the main area
    (unsaved changes are the test's own cells) and shuts its kernel down. A chapter whose test
    failed, or whose closing failed, leaves the page ``broken``: the next one starts a new
    context and page, so one failure cannot spill into the next chapter."""

    def __init__(self, lab, browser):
        self.lab, self.browser = lab, browser
        self.context = self.page = None
        self.name, self.broken, self.passed = None, True, False
        self._reset()

    def _reset(self):
        self.console_errors, self.ignored, self.blocked, self.failed = [], [], [], []

    def _start(self):
        self.shut()
        self.context = self.browser.new_context(viewport={"width": 1400, "height": 1000})
        host = f"127.0.0.1:{self.lab.port}"

        def route(r):
            if r.request.url.split("/")[2] == host:
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        def route_ws(ws):
            self.blocked.append(ws.url)
            ws.close()

        self.context.route("**/*", route)
        self.context.route_web_socket(lambda url: url.split("/")[2] != host, route_ws)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url}: HTTP {r.status}"))
        self.page.goto(self.lab.url("/lab/workspaces/book?reset"), wait_until="domcontentloaded")
        self.page.wait_for_function("() => !!window.jupyterapp", timeout=READY_TIMEOUT_S * 1000)
        self.page.evaluate("async () => { await window.jupyterapp.restored; return true; }")
        self.page.evaluate(CLOSE_ALL_JS)  # the launcher of a new workspace
        self.broken = False

    def _console(self, m):
        if m.type != "error":
            return
        text = f"{m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"
        if any(re.search(pattern, m.text) for pattern, _ in NOISE):
            self.ignored.append(text)
        else:
            self.console_errors.append(text)

    def chapter(self, name):
        """Open ``<name>.ipynb`` in the page, with fresh lists of what the page says."""
        if self.broken:
            self._start()
        self.name, self.passed = name, False  # the test sets passed at its very end
        self._reset()
        self.broken = True  # until close_chapter() has put the page back as it was
        self.page.evaluate("(path) => window.jupyterapp.commands.execute('docmanager:open', "
                           "{ path, factory: 'Notebook' }).then(() => true)", f"{name}.ipynb")
        return self

    def close_chapter(self):
        """Dispose of the chapter's panel, then shut its kernel down (REST)."""
        try:
            left = self.page.evaluate(CLOSE_ALL_JS)
            assert left == 0, f"{left} panels left in the main area"
            self.broken = not self.passed
        finally:
            self.lab.shutdown_session(f"{self.name}.ipynb")

    def shut(self):
        if self.context is not None:
            try:
                self.context.unroute_all(behavior="ignoreErrors")
            finally:
                self.context.close()
                self.context = self.page = None


# Dispose of every document in the main area without the "unsaved changes" dialog (the
# changes are the test's own cells); the number of panels left.
CLOSE_ALL_JS = """() => {
  for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {
    if (w.context && w.context.model) w.context.model.dirty = false;
    w.dispose();
  }
  return Array.from(window.jupyterapp.shell.widgets('main')).length;
}"""


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    page = LabPage(lab, browser)
    yield page
    page.shut()


@pytest.fixture
def visit(lab_page):
    """``visit(name)``: the chapter open in the module's JupyterLab page; closed afterwards."""
    opened = False

    def _open(name):
        nonlocal opened
        opened = True
        return lab_page.chapter(name)

    yield _open
    if opened:
        lab_page.close_chapter()


# ----- driving JupyterLab -----------------------------------------------------------------

# Every cell of the notebook panel: its prompt, and the kernel status of the toolbar.
STATE_JS = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell'));
  const ind = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  return {
    n: cells.length,
    prompts: cells.map((c) => { const p = c.querySelector('.jp-InputPrompt'); return p ? p.textContent.trim() : ''; }),
    status: ind ? ind.getAttribute('data-status') : null,
  };
}"""


def _cell(page, index):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)


def _wait_ready(page, n_cells):
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        st = page.evaluate(STATE_JS)
        if st["n"] == n_cells and st["status"] == "idle":
            return
        page.wait_for_timeout(250)
    pytest.fail(f"JupyterLab did not show {n_cells} cells with an idle kernel within "
                f"{READY_TIMEOUT_S} s: {page.evaluate(STATE_JS)}")


def _wait_idle(page, what, ran, stored):
    """Until no cell is queued or running ([*]) and the kernel is idle, three polls in a row,
    once a [*] has been seen, or the cells that ran show the counts 1, 2, ... of a fresh kernel
    (a last cell too quick to be caught running) where the stored counts were different."""
    deadline, seen, quiet = time.monotonic() + RUN_TIMEOUT_S, False, 0
    fresh = [f"[{k}]:" for k in range(1, len(ran) + 1)]
    if [f"[{stored['cells'][i].get('execution_count')}]:" for i in ran] == fresh:
        fresh = None  # the stored prompts already read 1, 2, ...: only a [*] tells the run began
    while time.monotonic() < deadline:
        st = page.evaluate(STATE_JS)
        busy = any("*" in p for p in st["prompts"])
        seen = seen or busy or [st["prompts"][i] for i in ran if i < st["n"]] == fresh
        quiet = quiet + 1 if (seen and not busy and st["status"] == "idle") else 0
        if quiet >= 3:
            return
        page.wait_for_timeout(300)
    pytest.fail(f"{what}: the kernel was still busy after {RUN_TIMEOUT_S} s: {page.evaluate(STATE_JS)}")


def _menu(page, menu, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    page.locator(".lm-Menu:visible .lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


def _select_cell(page, index):
    """Select a cell in command mode (a click on its prompt, then Escape)."""
    cell = _cell(page, index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")


def _run_cells(page, indices):
    for i in indices:
        _select_cell(page, i)
        page.keyboard.press("Control+Enter")


def _save_and_read(lab, page, name) -> dict:
    """Save with Ctrl+S and return the saved copy (JupyterLab writes our copy, never chapters/)."""
    path = lab.notebook_dir / f"{name}.ipynb"
    before = path.stat().st_mtime_ns
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").focus()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.stat().st_mtime_ns != before:
            try:
                return json.loads(path.read_text())
            except json.JSONDecodeError:  # caught mid-write
                pass
        page.wait_for_timeout(250)
    pytest.fail(f"{name}: Ctrl+S did not save the notebook within 60 s")


def _add_cell_and_run(page, code: str) -> str:
    """A new code cell at the end: type ``code`` (one line), run it, and return what it printed
    after ``@@`` (the marker is written ``'@' '@'`` in the code, so a traceback, which quotes
    the code, never looks like an answer). The text goes in as one insertion (as a paste
    would), so CodeMirror closes no bracket by itself; the cell is checked to hold it."""
    n = page.evaluate(STATE_JS)["n"]
    _select_cell(page, n - 1)
    page.keyboard.press("b")                      # insert a cell below, selected
    page.wait_for_function(f"() => ({STATE_JS})().n === {n + 1}")
    page.keyboard.press("Enter")                  # edit mode
    page.keyboard.insert_text(code)
    typed = _cell(page, n).locator(".cm-content").inner_text()
    assert typed.strip() == code.strip(), f"the new cell holds {typed!r}, not {code!r}"
    page.keyboard.press("Shift+Enter")
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        prompt = page.evaluate(STATE_JS)["prompts"][n]
        if re.fullmatch(r"\[\d+\]:", prompt):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"the new cell {code!r} did not finish in {RUN_TIMEOUT_S} s")
    text = _cell(page, n).locator(".jp-OutputArea").inner_text()
    m = re.search(r"^@@(.*)$", text, re.M)
    assert m, f"the new cell {code!r} printed no answer: {text[-3000:]}"
    return m.group(1).strip()


# ----- what the notebooks should show -------------------------------------------------------

def _kind(class_list: str) -> str:
    """lstm-widget-gate_explorer / lstm-widget-index-explorer -> gate_explorer / index_explorer."""
    names = [c for c in class_list.split() if c.startswith("lstm-widget-")]
    return names[0].removeprefix("lstm-widget-").replace("-", "_") if names else ""


# What each output of a cell shows: the book widgets in it and whether ipywidgets' renderer still
# says it is loading or failed. (JupyterLab 4.6 puts no data-mime-type on a widget's output, so the
# widget outputs are found by position: the saved notebook says which outputs are widget views.)
OUTPUTS_JS = """(cell) => Array.from(cell.querySelectorAll('.jp-OutputArea-child')).map((child) => {
  const o = child.querySelector('.jp-OutputArea-output') || child;
  const box = o.getBoundingClientRect();
  return {
    text: o.innerText.slice(0, 300),
    widgets: Array.from(o.querySelectorAll('.lstm-widget')).map((w) => w.className),
    placeholder: /Loading widget|Error displaying widget/.test(o.innerText),
    size: [box.width, box.height],
  };
})"""


def _widget_root(page, cell_index, kind, k=0):
    sel = f".lstm-widget-{kind}, .lstm-widget-{kind.replace('_', '-')}"
    return _cell(page, cell_index).locator(".jp-OutputArea-output").locator(sel).nth(k)


def _view_outputs(saved_cell) -> list[int]:
    return [j for j, o in enumerate(saved_cell.get("outputs", [])) if VIEW_MIME in o.get("data", {})]


def _rendered(page, wc, saved_cell):
    """Wait until the cell's widget outputs show the stored kinds; return (kinds, outputs)."""
    cell = _cell(page, wc.index)
    cell.scroll_into_view_if_needed()
    positions = _view_outputs(saved_cell)
    deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
    while True:
        outputs = cell.evaluate(OUTPUTS_JS)
        views = [outputs[j] for j in positions if j < len(outputs)]
        shown = [_kind(c) for v in views for c in v["widgets"]]
        ok = (len(views) == len(positions) and shown == list(wc.kinds)
              and all(not v["placeholder"] and v["size"][0] > 0 and v["size"][1] > 0 for v in views))
        if ok or time.monotonic() > deadline:
            return ok, shown, outputs
        page.wait_for_timeout(250)


# ----- moving a control of each widget kind; the view must change -------------------------

def _shown(root, testids):
    """What the elements show (data-value / data-shape / data-log10, else their text)."""
    out = {}
    for t in testids:
        el = root.get_by_test_id(t).first
        out[t] = el.evaluate("(e) => e.getAttribute('data-value') ?? e.getAttribute('data-shape') "
                             "?? e.getAttribute('data-log10') ?? e.textContent")
    return out


def _changes(page, root, testids, act, label):
    before = _shown(root, testids)
    act()
    deadline = time.monotonic() + UPDATE_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        after = _shown(root, testids)
        if after != before:
            return after
        page.wait_for_timeout(100)
    pytest.fail(f"{label}: the widget still shows {before}")


def _interact_gate_explorer(page, root):
    slider = root.get_by_test_id("slider-x-0")
    lo, hi = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    target = round(lo + 0.8 * (hi - lo), 2) if float(slider.input_value()) < lo + 0.5 * (hi - lo) \
        else round(lo + 0.2 * (hi - lo), 2)
    _changes(page, root, ["readout-h-0", "readout-i-0"], lambda: slider.fill(str(target)),
             "gate explorer, slider x_t[0]")
    _changes(page, root, ["readout-f-0", "readout-c-0"], lambda: root.get_by_test_id("slider-bias-f").fill("-2.5"),
             "gate explorer, forget-gate bias shift")


def _interact_shape_explorer(page, root):
    box = root.get_by_test_id("control-hidden_size")
    new = "4" if box.input_value() != "4" else "5"
    _changes(page, root, ["shape-c_n", "param-weight_ih_l0", "param-total"], lambda: box.fill(new),
             "shape explorer, hidden_size")
    bidir = root.get_by_test_id("control-bidirectional")
    _changes(page, root, ["shape-output", "shape-h_n"], lambda: bidir.set_checked(not bidir.is_checked()),
             "shape explorer, bidirectional")


def _interact_sequence_explorer(page, root):
    slider = root.get_by_test_id("slider")
    last = slider.get_attribute("max")
    _changes(page, root, ["t-label", "value-h-0", "value-c-0"],
             lambda: root.get_by_test_id("next").click() if slider.input_value() != last
             else root.get_by_test_id("prev").click(), "sequence explorer, next/prev")
    _changes(page, root, ["t-label", "value-h-0"],
             lambda: slider.fill("0" if slider.input_value() != "0" else last), "sequence explorer, slider")


def _interact_index_explorer(page, root):
    layers = root.get_by_test_id("num-layers")
    new = "3" if layers.input_value() != "3" else "1"
    _changes(page, root, ["config"], lambda: layers.select_option(new), "index explorer, num_layers")
    _changes(page, root, ["readout"], lambda: root.get_by_test_id("hn-0-0-0").click(),
             "index explorer, click h_n[0, 0, 0]")


def _interact_gradient_lab(page, root):
    gap = root.get_by_test_id("gap-slider")
    new = "0" if gap.input_value() != "0" else gap.get_attribute("max")
    _changes(page, root, ["lstm-readout", "rnn-readout", "gap-slider-value"], lambda: gap.fill(new),
             "gradient lab, gap slider")
    bias = root.get_by_test_id("bias-slider")
    new = "0" if bias.input_value() != "0" else bias.get_attribute("max")
    _changes(page, root, ["lstm-readout"], lambda: bias.fill(new), "gradient lab, forget-bias slider")


def _interact_packing_explorer(page, root):
    s = root.get_by_test_id("length-0")
    new = "1" if s.input_value() != "1" else s.get_attribute("max")
    _changes(page, root, ["length-label-0", "batch-sizes", "data-rows"], lambda: s.fill(new),
             "packing explorer, length of sequence 0")


INTERACTIONS = {
    "gate_explorer": _interact_gate_explorer,
    "shape_explorer": _interact_shape_explorer,
    "sequence_explorer": _interact_sequence_explorer,
    "index_explorer": _interact_index_explorer,
    "gradient_lab": _interact_gradient_lab,
    "packing_explorer": _interact_packing_explorer,
}


# ----- the live kernel: Python changes the widget, the browser follows; and back ------------

def _find(model_id):
    """Python (one line) that finds the widget of the view ``model_id`` in the kernel, whether
    or not the chapter bound it to a name (the shape explorer is a bare expression)."""
    return ("import json, gc, ipywidgets; w = [o for o in gc.get_objects() if isinstance(o, ipywidgets.Widget)"
            f" and getattr(o, 'model_id', None) == '{model_id}']; assert len(w) == 1, len(w); w = w[0]")


def _shapes_shown(root):
    got = {}
    for el in root.locator('[data-testid^="shape-"], [data-testid^="param-"]').all():
        testid = el.get_attribute("data-testid")
        if testid != "param-total":
            got[testid] = json.loads(el.get_attribute("data-shape"))
    return got


def _shapes_want(cfg):
    from lstm_ref.shapes import shapes
    s = shapes(**cfg)
    want = {f"shape-{k}": list(v) for k, v in s["tensors"].items()}
    want.update({f"param-{k}": list(v) for k, v in s["params"].items()})
    return want


def _until(page, fn, label):
    deadline, last = time.monotonic() + UPDATE_TIMEOUT_MS / 1000, None
    while time.monotonic() < deadline:
        ok, last = fn()
        if ok:
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{label}: {last}")


def _live_shape_explorer(page, root, mid):
    # Python -> browser: a new hidden size from the kernel; the view must show lstm_ref's shapes.
    cfg = json.loads(_add_cell_and_run(
        page, _find(mid) + "; w.hidden_size = 7; w.proj_size = 0; "
        "print('@' '@' + json.dumps(w.config()))"))
    assert cfg["hidden_size"] == 7
    want = _shapes_want(cfg)
    _until(page, lambda: ((got := _shapes_shown(root)) == want, f"shows {got}, lstm_ref.shapes says {want}"),
           "shape explorer after `hidden_size = 7` from the kernel")
    # Browser -> Python: a control moved in the page is the trait the kernel reads.
    root.get_by_test_id("control-num_layers").fill("3")
    _until(page, lambda: (_shapes_shown(root)["shape-h_n"][0] in (3, 6), "h_n not 3 layers"),
           "shape explorer, num_layers = 3 in the page")
    back = json.loads(_add_cell_and_run(page, _find(mid) + "; print('@' '@' + json.dumps(w.config()))"))
    assert back["num_layers"] == 3 and back["hidden_size"] == 7, f"the kernel reads {back}"
    assert _shapes_want(back) == _shapes_shown(root)


def _live_gate_explorer(page, root, mid):
    # Python -> browser: a preset applied from the kernel; the readouts are lstm_ref's step.
    out = json.loads(_add_cell_and_run(
        page, _find(mid) + "; w.apply_preset('forget'); g, c, h = w.step(); "
        "print('@' '@' + json.dumps({'f': list(g.f), 'c': list(c), 'h': list(h), 'shift': w.bias_shift}))"))

    def shows():
        got = {"f": [float(root.get_by_test_id(f"readout-f-{j}").get_attribute("data-value")) for j in range(len(out["f"]))],
               "c": [float(root.get_by_test_id(f"readout-c-{j}").get_attribute("data-value")) for j in range(len(out["c"]))],
               "h": [float(root.get_by_test_id(f"readout-h-{j}").get_attribute("data-value")) for j in range(len(out["h"]))]}
        ok = all(np.allclose(got[k], out[k], rtol=0, atol=1e-9) for k in got)
        return ok, f"shows {got}, lstm_ref's step {out}"

    _until(page, shows, "gate explorer after apply_preset('forget') from the kernel")
    # Browser -> Python: move x_t[0]; the kernel's x and its step agree with the page.
    slider = root.get_by_test_id("slider-x-0")
    lo, hi = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    slider.fill(str(round(lo + 0.3 * (hi - lo), 2)))
    x0 = float(slider.input_value())
    back = json.loads(_add_cell_and_run(
        page, _find(mid) + "; g, c, h = w.step(); print('@' '@' + json.dumps({'x': w.x, 'h': list(h)}))"))
    assert abs(back["x"][0] - x0) < 1e-12, f"the kernel reads x = {back['x']}, the page set {x0}"
    shown_h = [float(root.get_by_test_id(f"readout-h-{j}").get_attribute("data-value")) for j in range(len(back["h"]))]
    np.testing.assert_allclose(shown_h, back["h"], rtol=0, atol=1e-9)


def _live_sequence_explorer(page, root, mid):
    # Python -> browser: feed a new sequence; the kernel reruns the LSTM, the page shows step 0.
    out = json.loads(_add_cell_and_run(
        page, _find(mid) + "; import numpy as np; "
        "w.feed(np.linspace(-1, 1, 6, dtype=np.float32)[:, None] * np.ones((1, len(w.steps['x'][0])), np.float32)); "
        "print('@' '@' + json.dumps({'T': len(w.steps['h']), 'h0': w.steps['h'][0], 't': w.t}))"))
    assert out["T"] == 6 and out["t"] == 0

    def shows():
        max_t = root.get_by_test_id("slider").get_attribute("max")
        got = [float(root.get_by_test_id(f"value-h-{k}").text_content()) for k in range(len(out["h0"]))]
        ok = max_t == "5" and np.allclose(got, out["h0"], atol=6e-4)
        return ok, f"slider max {max_t}, h_0 shown {got}, the kernel computed {out['h0']}"

    _until(page, shows, "sequence explorer after feed() from the kernel")
    # Browser -> Python: step with the slider; the kernel's t follows.
    root.get_by_test_id("slider").fill("4")
    page.wait_for_timeout(200)
    t = _add_cell_and_run(page, _find(mid) + "; print('@' '@' + str(w.t))")
    assert t == "4", f"the page is at t = 4, the kernel reads t = {t}"


LIVE = {
    "shape_explorer": _live_shape_explorer,
    "gate_explorer": _live_gate_explorer,
    "sequence_explorer": _live_sequence_explorer,
}


# ----- the tests ----------------------------------------------------------------------------

def test_every_widget_kind_is_covered():
    kinds = {k for nb in NOTEBOOKS.values() for wc in widget_cells(nb) for k in wc.kinds}
    assert kinds, "no notebook displays a widget: the scan of the stored outputs found nothing"
    assert kinds <= set(INTERACTIONS), f"widgets without an interaction check here: {kinds - set(INTERACTIONS)}"
    assert "shape_explorer" in kinds and set(LIVE) <= kinds


def _errors(saved: dict, stored: dict, ran: list[int]) -> list[str]:
    problems = []
    counts = []
    for i in ran:
        cell, before = saved["cells"][i], stored["cells"][i]
        tags = cell.get("metadata", {}).get("tags", [])
        outs = cell.get("outputs", [])
        counts.append(cell.get("execution_count"))
        errors = [f"{o['ename']}: {o['evalue']}" for o in outs if o["output_type"] == "error"]
        if "raises-exception" in tags:
            want = [o["ename"] for o in before.get("outputs", []) if o["output_type"] == "error"]
            if [e.split(":")[0] for e in errors] != want:
                problems.append(f"cell {i} (raises-exception) raised {errors}, the stored run {want}")
        elif errors:
            problems.append(f"cell {i}: {errors}")
        stderr = ["".join(o["text"]) for o in outs if o["output_type"] == "stream" and o["name"] == "stderr"]
        stored_stderr = ["".join(o["text"]) for o in before.get("outputs", [])
                         if o["output_type"] == "stream" and o["name"] == "stderr"]
        if stderr and not stored_stderr:
            problems.append(f"cell {i} wrote to stderr: {stderr}")
    if counts != list(range(1, len(ran) + 1)):
        problems.append(f"execution counts of the cells run {counts}, expected 1 .. {len(ran)}")
    return problems


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", WIDGET_NOTEBOOKS)
def test_notebook_runs_in_jupyterlab(lab, visit, name):
    stored = NOTEBOOKS[name]
    wcs = widget_cells(stored)
    code = [i for i, c in enumerate(stored["cells"])
            if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    seconds = stored_seconds(stored)
    full = seconds is not None and seconds <= FULL_RUN_BUDGET_S
    ran = code if full else cells_needed(stored, [wc.index for wc in wcs])

    for k in lab.kernels():  # a kernel left by an earlier test would only slow this one down
        lab.api(f"/api/kernels/{k['id']}", method="DELETE", timeout=30)
    t0 = time.monotonic()
    phases = {}

    def lap(label):
        phases[label] = round(time.monotonic() - t0 - sum(phases.values()), 1)

    v = visit(name)
    page = v.page
    _wait_ready(page, len(stored["cells"]))
    lap("open")
    config = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    assert config.get("news", {}).get("disabled") is True, "JupyterLab would fetch its news feed"
    if full:
        _menu(page, "Run", "Run All Cells")
    else:
        _run_cells(page, ran)
    _wait_idle(page, name, ran, stored)
    lap("run")

    saved = _save_and_read(lab, page, name)
    problems = _errors(saved, stored, ran)
    assert not problems, f"{name} ({'all cells' if full else f'cells {ran}'}): " + "; ".join(problems)
    lap("save")

    # Every widget output area shows the book's widget, of the kinds the stored state names.
    for wc in wcs:
        n_views = len(_view_outputs(saved["cells"][wc.index]))
        assert n_views == len(wc.model_ids), \
            f"{name}, cell {wc.index}: {n_views} widget outputs after the run, {len(wc.model_ids)} stored"
        ok, shown, outputs = _rendered(page, wc, saved["cells"][wc.index])
        assert ok, (f"{name}, cell {wc.index}: expected the widgets {list(wc.kinds)}, the page shows "
                    f"{shown}; its outputs: {outputs}; console errors: {v.console_errors}")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    first = _widget_root(page, wcs[0].index, wcs[0].kinds[0])
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    lap("render")

    # Move a control of every widget; then, for some, recompute from the kernel and read back.
    for wc in wcs:
        for k, kind in enumerate(wc.kinds):
            root = _widget_root(page, wc.index, kind, sum(1 for x in wc.kinds[:k] if x == kind))
            root.scroll_into_view_if_needed()
            INTERACTIONS[kind](page, root)
    lap("interact")
    for wc in wcs:
        outs = saved["cells"][wc.index]["outputs"]
        model_ids = [outs[j]["data"][VIEW_MIME]["model_id"] for j in _view_outputs(saved["cells"][wc.index])]
        if len(wc.kinds) == 1 and wc.kinds[0] in LIVE and len(model_ids) == 1:
            root = _widget_root(page, wc.index, wc.kinds[0])
            LIVE[wc.kinds[0]](page, root, model_ids[0])
            root.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}__after-interaction.png"))
    lap("live")

    assert not v.blocked, f"{name}: requests to other hosts (blocked): {v.blocked}"
    assert not v.failed, f"{name}: failed requests: {v.failed}"
    assert not v.console_errors, f"{name}: console errors: {v.console_errors}"
    v.passed = True
    print(f"\n{name}: {'Run All Cells' if full else f'cells {ran}'}; seconds {phases}; "
          f"ignored console messages: {v.ignored}; failed requests: {v.failed}")
