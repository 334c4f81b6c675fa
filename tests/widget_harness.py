"""Render a widget's real ES module in headless Chromium with a stand-in for the anywidget model.

No notebook, no book build: the page holds the widget's synced state (from
``widget.get_state()``) in a minimal model with anywidget's ``get``/``set``/
``on``/``off``/``save_changes``, and ``save_changes`` throws as it can on a
static page without a kernel. Tests then drive the DOM through ``data-testid``.
"""
import contextlib
import json

_PAGE = """<!doctype html><html><body><div id="root"></div><script type="module">
const state = %(state)s;
const listeners = {};
const model = {
  get: (k) => state[k],
  set: (k, v) => { state[k] = v; (listeners["change:" + k] || []).forEach((f) => f()); },
  on: (e, f) => { (listeners[e] = listeners[e] || []).push(f); },
  off: (e, f) => { listeners[e] = (listeners[e] || []).filter((g) => g !== f); },
  save_changes: () => { throw new Error("no comm channel"); },
};
window.widgetState = state;
const mod = await import("data:text/javascript;charset=utf-8," + encodeURIComponent(%(esm)s));
mod.default.render({ model, el: document.getElementById("root") });
window.rendered = true;
</script></body></html>"""


@contextlib.contextmanager
def rendered(browser, widget, tmp_path):
    """Yield a Playwright page showing ``widget``; fail on any console or page error.

    ``browser`` is the session's Chromium (the ``browser`` fixture of conftest.py).
    """
    state = {k: v for k, v in widget.get_state().items() if not k.startswith("_")}
    page_file = tmp_path / "widget.html"
    page_file.write_text(_PAGE % {"state": json.dumps(state), "esm": json.dumps(widget._esm)})
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        page.wait_for_function("window.rendered === true", timeout=10000)
        yield page
        assert not errors, errors
    finally:
        context.close()


def set_range(page, testid, value):
    """Move a range slider as a reader would: set its value and fire ``input``."""
    page.get_by_test_id(testid).evaluate(
        "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }",
        value)
