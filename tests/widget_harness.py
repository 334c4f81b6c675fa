"""Render a widget's real ES module in headless Chromium with a stand-in for the anywidget model.

No notebook, no book build: the page holds the widget's synced state (from
``widget.get_state()``) in a minimal model with anywidget's ``get``/``set``/
``on``/``off``/``save_changes``, and ``save_changes`` throws as it can on a
static page without a kernel. Tests then drive the DOM through ``data-testid``.

``rendered(..., lang="zh-CN")`` sets ``<html lang>`` as the Chinese edition of the book does;
``viewport={"width": 390, "height": 844}`` sizes the page (a phone). The page opens light;
``set_theme(page, "dark")`` switches it, as the book's theme does when the reader changes mode,
to ``<html data-theme="dark">`` and a dark page (the colours of pydata-sphinx-theme's dark mode,
with its rules that reach into a page's content: text and inline code colours,
``color-scheme: dark``), and ``set_theme(page, "jupyterlab-dark")`` to JupyterLab's
``<body data-jp-theme-light="false">`` on a dark page (both dark stylesheets are always in the
page, each scoped to its attribute).
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

_PAGE = """<!doctype html><html lang="%(lang)s"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>widget</title><style>body { margin: 8px; font-family: sans-serif; } %(css)s</style></head>
<body><main><div id="root"></div></main><script type="module">
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


def open_widget(browser, widget, tmp_path, lang="en", viewport=None):
    """``(context, page, errors)``: a new context whose page shows ``widget``; ``errors`` fills
    with every console error and uncaught exception of the page. Close the context when done.

    ``browser`` is the session's Chromium (the ``browser`` fixture of conftest.py); ``lang``
    is the page's ``<html lang>`` ("en", "zh-CN"), ``viewport`` a Playwright viewport dict.
    """
    state = {k: v for k, v in widget.get_state().items() if not k.startswith("_")}
    page_file = tmp_path / f"widget-{lang}.html"
    page_file.write_text(_PAGE % {
        "state": json.dumps(state), "esm": json.dumps(widget._esm), "lang": html.escape(lang),
        "css": _DARK_CSS + _JLAB_DARK_CSS}, encoding="utf-8")
    context = browser.new_context(**({"viewport": viewport} if viewport else {}))
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        page.wait_for_function("window.rendered === true", timeout=10000)
    except BaseException:
        context.close()
        raise
    return context, page, errors


@contextlib.contextmanager
def rendered(browser, widget, tmp_path, lang="en", viewport=None):
    """Yield a Playwright page showing ``widget`` (see ``open_widget``); fail on any console or
    page error."""
    context, page, errors = open_widget(browser, widget, tmp_path, lang, viewport)
    try:
        yield page
        assert not errors, errors
    finally:
        context.close()


LANGS = ("en", "zh-CN")


def widget_page_fixture(names, viewport=None):
    """``(fixture, parametrize)`` for a class of tests that share one page per widget and
    language: the class-scoped fixture renders widget ``name`` (``widget_cases.make``) once on
    a page in language ``lang`` at ``viewport`` and yields ``.name``, ``.lang``, ``.page`` and
    ``.errors`` (console errors so far); ``parametrize`` marks the class with every
    ``(name, lang)``. A render and axe's script are most of such a test's time."""
    import types

    import pytest
    from widget_cases import make

    @pytest.fixture(scope="class")
    def widget_page(request, browser, tmp_path_factory):
        name, lang = request.param
        context, page, errors = open_widget(browser, make(name), tmp_path_factory.mktemp("widget"),
                                            lang=lang, viewport=viewport)
        yield types.SimpleNamespace(name=name, lang=lang, page=page, errors=errors)
        context.close()

    cases = [(n, lang) for n in names for lang in LANGS]
    parametrize = pytest.mark.parametrize("widget_page", cases, indirect=True,
                                          ids=[f"{n}-{lang}" for n, lang in cases])
    return widget_page, parametrize


def reload_widget(page):
    """Render the widget afresh in its page, from the state it was stored with."""
    page.reload()
    page.wait_for_function("window.rendered === true", timeout=10000)


SET_THEME_JS = """(theme) => {
  const html = document.documentElement, body = document.body;
  if (theme === 'dark') html.setAttribute('data-theme', 'dark'); else html.removeAttribute('data-theme');
  if (theme === 'jupyterlab-dark') body.setAttribute('data-jp-theme-light', 'false');
  else body.removeAttribute('data-jp-theme-light');
  return getComputedStyle(body).backgroundColor;
}"""
# The page's own background in each theme (_DARK_CSS, _JLAB_DARK_CSS; none in light mode).
PAGE_BACKGROUND = {None: "rgba(0, 0, 0, 0)", "dark": "rgb(20, 24, 30)", "jupyterlab-dark": "rgb(17, 17, 17)"}


def set_theme(page, theme):
    """Switch an open page to ``theme`` (None, "dark" or "jupyterlab-dark") and let it lay out."""
    background = page.evaluate(SET_THEME_JS, theme)
    assert background == PAGE_BACKGROUND[theme], f"theme {theme!r}: the page's background is {background}"
    next_frames(page)


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


# What makes axe-core slow on a chapter, and how run_axe keeps it to a few seconds. A chapter is
# some 10 000 elements: thousands of highlighted-code token spans and thousands of MathJax
# elements, in a few dozen looks (colour, size, weight, style, shadow, decoration, the colour
# of the text around it, the backgrounds of its ancestors up to the first opaque one, and every
# ancestor's opacity and filter). The two rules that look at what lies under an element,
# color-contrast and link-in-text-block, map every element of the page onto a grid first (some
# 0.2 ms an element) and then cost some 4 ms per element with text they check. So:
# * while axe runs, all the code spans of a look but the one with the longest text become
#   plain text (axe passes over a single character): each block is swapped for such a copy,
#   and swapped back afterwards;
# * the two rules run with every mjx-container emptied and held at its size (MathJax's glyphs
#   are CSS content, not text either rule checks; its nodes are put back afterwards), on one
#   element per look, the one with the longest text, and on every element inside a widget or
#   an SVG (where text may sit on a drawn shape rather than on its ancestors' background) and
#   every form field;
# * every other rule runs on the whole page, equations as they are.
# A widget alone (``selector``, a few hundred elements) gets one run of every rule as it is.
# A look that fails anywhere fails on the element kept, which axe still checks.
AXE_RUN_JS = r"""async ([sel, options]) => {
  const opaque = (s) => s.backgroundImage === 'none' && /^rgb\(/.test(s.backgroundColor);
  // The ancestors' part of a look, once per element (siblings share it): from e up, the
  // backgrounds up to the first opaque one, and every opacity and filter.
  const below = new Map(), above = new Map();
  const memo = (cache, e, f) => {
    if (!e) return '';
    if (!cache.has(e)) cache.set(e, f(e, getComputedStyle(e)));
    return cache.get(e);
  };
  const aboveOf = (e) => memo(above, e, (e, s) => `${s.opacity}|${s.filter}|${aboveOf(e.parentElement)}`);
  const belowOf = (e) => memo(below, e, (e, s) =>
    `${s.backgroundColor}|${s.backgroundImage}|${s.mixBlendMode}|${s.opacity}|${s.filter}|` +
    (opaque(s) ? aboveOf(e.parentElement) : belowOf(e.parentElement)));
  const look = (el) => {
    const cs = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return [cs.color, cs.webkitTextFillColor, cs.fontSize, cs.fontWeight, cs.fontStyle,
            cs.textShadow, cs.textDecorationLine, cs.borderBottomStyle, cs.visibility,
            box.width > 1 && box.height > 1,
            el.parentElement ? getComputedStyle(el.parentElement).color : '', belowOf(el)].join('|');
  };
  const longest = (groups, key, el) => {
    const g = groups.get(key), n = el.textContent.trim().length;
    if (!g || n > g.n) groups.set(key, { el, n });
  };
  const context = sel === null ? document : document.querySelector(sel);
  const top = sel === null ? document.body : context;

  // Highlighted code: one span per look.
  const blocks = Array.from(top.querySelectorAll('div.highlight pre'));
  const leaves = (pre) => Array.from(pre.querySelectorAll('span')).filter((s) => !s.children.length);
  const codeLooks = new Map();
  const spans = blocks.map((pre) => leaves(pre).map((s) => { longest(codeLooks, look(s), s); return s; }));
  const keep = new Set(Array.from(codeLooks.values(), (g) => g.el));
  const swapped = [], emptied = [];
  let unwrapped = 0, texts = 0, checked = 0;
  const report = (violations) => ({ violations, looks: codeLooks.size, unwrapped,
                                    equations: emptied.length, texts, checked });
  try {
    blocks.forEach((pre, k) => {
      const drop = spans[k].map((s) => !keep.has(s));
      if (!drop.includes(true)) return;
      const copy = pre.cloneNode(true);
      leaves(copy).forEach((s, j) => drop[j] && s.replaceWith(s.textContent));
      pre.replaceWith(copy);
      swapped.push([copy, pre]);
      unwrapped += drop.filter(Boolean).length;
    });

    // A widget alone (a selector) is a few hundred elements: one run, every rule, as it is.
    if (sel !== null) return report((await axe.run(context, options)).violations);
    const LAYOUT = ['color-contrast', 'link-in-text-block'];
    const only = options.runOnly ? options.runOnly.values : null;
    const layout = only === null ? LAYOUT : only.filter((r) => LAYOUT.includes(r));
    const rest = { ...options };
    if (only === null) rest.rules = { ...(options.rules || {}), ...Object.fromEntries(LAYOUT.map((r) => [r, { enabled: false }])) };
    else rest.runOnly = { type: 'rule', values: only.filter((r) => !LAYOUT.includes(r)) };
    const violations = [];
    if (only === null || rest.runOnly.values.length) violations.push(...(await axe.run(context, rest)).violations);

    if (layout.length) {
      // Every size is read before any is written: a read after a write lays the page out again.
      const boxes = Array.from(top.querySelectorAll('mjx-container'),
                               (m) => [m, m.getBoundingClientRect(), getComputedStyle(m).display]);
      for (const [m, box, display] of boxes) {
        emptied.push([m, Array.from(m.childNodes), m.getAttribute('style')]);
        m.replaceChildren();
        m.style.display = display === 'block' ? 'block' : 'inline-block';
        m.style.width = `${box.width}px`;
        m.style.height = `${box.height}px`;
      }
      below.clear(); above.clear();
      const textLooks = new Map(), every = [];
      for (const e of top.querySelectorAll('*')) {
        if (e.closest('script, style, template, noscript, mjx-container')) continue;
        const field = e.matches('input, select, textarea');  // its text is a value, not a child
        if (!field && !Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
        texts += 1;
        if (field || e.closest('.lstm-widget, svg')) every.push(e);
        else longest(textLooks, look(e), e);
      }
      const include = [...every, ...Array.from(textLooks.values(), (g) => g.el)];
      checked = include.length;
      if (include.length) {
        const o = { ...options, runOnly: { type: 'rule', values: layout } };
        violations.push(...(await axe.run({ include }, o)).violations);
      }
    }
    return report(violations);
  } finally {
    for (const [m, children, style] of emptied) {
      m.replaceChildren(...children);
      if (style === null) m.removeAttribute('style'); else m.setAttribute('style', style);
    }
    for (const [copy, pre] of swapped) copy.replaceWith(pre);
  }
}"""


def run_axe(page, selector="#root", rules=None, stats=None):
    """axe-core on the element ``selector`` (None: the whole document), every rule or only
    ``rules``: the list of violations (``id``, ``impact``, ``nodes``...). Highlighted code is
    checked once per look of a token and, on a whole page, the contrast and link rules read
    one element per look of the text with the equations emptied (``AXE_RUN_JS``); ``stats``,
    a dict, gets the looks of code, the spans left out, the equations emptied, the elements
    with text and how many of them the two rules checked.

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
        stats.update({k: result[k] for k in ("looks", "unwrapped", "equations", "texts", "checked")})
    return result["violations"]
