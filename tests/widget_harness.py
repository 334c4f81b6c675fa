"""Render a widget's real ES module in headless Chromium with a stand-in for the anywidget model.

No notebook, no book build: the page holds the widget's synced state (from
``widget.get_state()``) in a minimal model with anywidget's ``get``/``set``/
``on``/``off``/``save_changes``, and ``save_changes`` throws as it can on a
static page without a kernel. Tests then drive the DOM through ``data-testid``.

``rendered(..., lang="zh-CN")`` sets ``<html lang>`` as the Chinese edition of the book does;
``theme="dark"`` sets ``<html data-theme="dark">`` and a dark page (the colours of
pydata-sphinx-theme's dark mode, with its rules that reach into a page's content: text and
inline code colours, ``color-scheme: dark``), ``theme="jupyterlab-dark"`` JupyterLab's
``<body data-jp-theme-light="false">`` on a dark page; ``viewport={"width": 390, "height": 844}`` sizes
the page (a phone).
"""
import contextlib
import html
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# What pydata-sphinx-theme's dark mode does to a page's content (its variables' dark values).
_DARK_CSS = """
html[data-theme="dark"] { color-scheme: dark; background: #14181e; color: #ced6dd; }
html[data-theme="dark"] body { background: #14181e; color: #ced6dd; }
html[data-theme="dark"] code { color: #f3c7ee; }
html[data-theme="dark"] a { color: #66c9e1; }
"""
# What JupyterLab's dark theme does: body[data-jp-theme-light="false"], dark background, light
# text and its own colour scheme for form controls.
_JLAB_DARK_CSS = """
body[data-jp-theme-light="false"] { color-scheme: dark; background: #111111; color: rgba(255, 255, 255, 0.87); }
body[data-jp-theme-light="false"] code { color: #ff7b72; }
"""

_PAGE = """<!doctype html><html lang="%(lang)s"%(theme)s><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>widget</title><style>body { margin: 8px; font-family: sans-serif; } %(css)s</style></head>
<body%(body)s><main><div id="root"></div></main><script type="module">
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
window.widgetModel = model;
const mod = await import("data:text/javascript;charset=utf-8," + encodeURIComponent(%(esm)s));
mod.default.render({ model, el: document.getElementById("root") });
window.rendered = true;
</script></body></html>"""


@contextlib.contextmanager
def rendered(browser, widget, tmp_path, lang="en", theme=None, viewport=None):
    """Yield a Playwright page showing ``widget``; fail on any console or page error.

    ``browser`` is the session's Chromium (the ``browser`` fixture of conftest.py); ``lang``
    is the page's ``<html lang>`` ("en", "zh-CN"), ``theme`` None or "dark", ``viewport`` a
    Playwright viewport dict.
    """
    state = {k: v for k, v in widget.get_state().items() if not k.startswith("_")}
    page_file = tmp_path / f"widget-{lang}-{theme or 'light'}.html"
    page_file.write_text(_PAGE % {
        "state": json.dumps(state), "esm": json.dumps(widget._esm), "lang": html.escape(lang),
        "theme": ' data-theme="dark"' if theme == "dark" else "",
        "body": ' data-jp-theme-light="false"' if theme == "jupyterlab-dark" else "",
        "css": {"dark": _DARK_CSS, "jupyterlab-dark": _JLAB_DARK_CSS}.get(theme, "")}, encoding="utf-8")
    context = browser.new_context(**({"viewport": viewport} if viewport else {}))
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


def next_frames(page):
    """Wait until two frames have been laid out (after a resize or a change of theme)."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def set_range(page, testid, value):
    """Move a range slider as a reader would: set its value and fire ``input``."""
    page.get_by_test_id(testid).evaluate(
        "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }",
        value)


# Every piece of text a reader (or a screen reader) gets from the widget: text nodes outside
# <style>, and the aria-label, title (attribute and SVG <title>) and aria-valuetext of every
# element. Text inside an element marked data-code (torch code, torch's own messages,
# equations) is kept apart: it is code, the same in every language.
TEXTS_JS = """(root) => {
  const out = { text: [], code: [] };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest('style') || !n.textContent.trim()) continue;
    (p.closest('[data-code]') ? out.code : out.text).push(n.textContent.trim());
  }
  for (const e of root.querySelectorAll('*')) {
    for (const a of ['aria-label', 'title', 'aria-valuetext']) {
      if (e.hasAttribute(a) && e.getAttribute(a).trim()) out.text.push(e.getAttribute(a).trim());
    }
  }
  return out;
}"""


def texts(page, selector="#root"):
    """``{"text": [...], "code": [...]}``: the widget's visible and accessible texts (see TEXTS_JS)."""
    return page.locator(selector).evaluate(TEXTS_JS)


# axe's contrast rule costs some 4 ms per text element, and a chapter's highlighted code is
# thousands of token spans in a handful of looks (colour, size, weight, style, shadow, the
# backgrounds of its ancestors up to the first opaque one, and every ancestor's opacity and
# filter). While axe runs, all the spans of a look but the one with the longest text become
# plain text; then each code block is put back as it was. A look that fails anywhere fails on
# the span kept, which axe still checks.
AXE_RUN_JS = r"""async ([sel, options]) => {
  const opaque = (s) => s.backgroundImage === 'none' && /^rgb\(/.test(s.backgroundColor);
  const look = (span) => {
    const cs = getComputedStyle(span);
    const parts = [cs.color, cs.fontSize, cs.fontWeight, cs.fontStyle, cs.textShadow];
    let below = true;
    for (let e = span; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (below) parts.push(s.backgroundColor, s.backgroundImage, s.mixBlendMode);
      parts.push(s.opacity, s.filter);
      below = below && !opaque(s);
    }
    return parts.join('|');
  };
  // One span per look, the one with the longest text: axe passes over a single character.
  const blocks = Array.from(document.querySelectorAll('div.highlight pre'));
  const best = new Map();
  const spans = blocks.map((pre) => Array.from(pre.querySelectorAll('span')).filter((s) => !s.children.length)
    .map((s) => {
      const key = look(s), b = best.get(key), n = s.textContent.trim().length;
      if (!b || n > b.n) best.set(key, { span: s, n });
      return s;
    }));
  const keep = new Set(Array.from(best.values(), (b) => b.span));
  const saved = [];
  let unwrapped = 0;
  blocks.forEach((pre, k) => {
    const drop = spans[k].filter((s) => !keep.has(s));
    if (!drop.length) return;
    saved.push([pre, pre.innerHTML]);
    for (const s of drop) s.replaceWith(document.createTextNode(s.textContent));
    unwrapped += drop.length;
  });
  try {
    const result = await axe.run(sel === null ? document : document.querySelector(sel), options);
    return { violations: result.violations, looks: best.size, unwrapped };
  } finally {
    for (const [pre, inner] of saved) pre.innerHTML = inner;
  }
}"""


def run_axe(page, selector="#root", rules=None, stats=None):
    """axe-core on the element ``selector`` (None: the whole document), every rule or only
    ``rules``: the list of violations (``id``, ``impact``, ``nodes``...). Highlighted code is
    checked once per look of a token (``AXE_RUN_JS``); ``stats``, a dict, gets how many looks
    and how many spans left out.

    axe-core comes from npm (``npm ci``); without it the test skips, or fails under CI."""
    if not AXE.exists():
        from conftest import no_browser
        no_browser(f"axe-core is not installed at {AXE}", "Run `npm ci --ignore-scripts`, as .ci/run does.")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    result = page.evaluate(AXE_RUN_JS, [selector, options])
    if stats is not None:
        stats.update(looks=result["looks"], unwrapped=result["unwrapped"])
    return result["violations"]
