"""The built book in a real browser, offline: every page, every equation, every widget.

Serves the fresh strict build (``strict_build`` in conftest.py) on 127.0.0.1 and opens
each page in Debian's Chromium through Playwright, with every request to another host
aborted and counted as a failure. For every page of ``_toc.yml`` (found automatically,
so new chapters are tested as soon as they are listed) it checks: no console error, no
failed request, the math typeset by MathJax, every widget view rendered, and no serious or
critical axe-core violation (every rule in light mode on a desktop; the contrast rule again in
dark mode on a phone, where nothing but code, outputs, widgets, math and tables may scroll
sideways). Then it moves a control of each of the book's widgets (found by their ``lstm-widget-<name>``
class) and compares what the page shows with values computed here by ``lstm_ref`` or
``torch``; a widget without such a check in ``INTERACTIONS`` fails.

Each page is opened once for all of its checks (``visit``): as a reader who prefers dark mode
on a phone (390 px), checked so, then switched to light mode on a desktop (1280 px) for the
rest, as the theme follows a change of preference live.

Screenshots go to ``test-artifacts/browser/``, page sizes to
``test-artifacts/browser/page-sizes.txt``.

Without Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``) or Playwright these tests skip
with a loud reason, except under CI (``CI`` set), where they fail. Never
``playwright install``: ``apt-get install -y chromium`` (see ``.ci/run``).
"""
from __future__ import annotations

import dataclasses
import functools
import html
import http.server
import inspect
import json
import pathlib
import re
import sys
import threading
import urllib.parse

import numpy as np
import pytest
import torch
import yaml

from lstm_ref.cell import input_projection, step_forward
from widget_harness import next_frames, run_axe

ROOT = pathlib.Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
MAX_PAGE_BYTES = 2_000_000  # a chapter's HTML and its own images, without the shared _static/
RENDER_TIMEOUT_MS = 30_000
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
STATE_MIME = "application/vnd.jupyter.widget-state+json"


# ----- the pages: every file of _toc.yml, plus Sphinx's own search and index pages --------

def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        for key in ("root", "file"):
            if key in node:
                files.append(str(node[key]))
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []):
                files.extend(_toc_files(child))
    return files


def _source_of(docname: str) -> pathlib.Path | None:
    for suffix in (".ipynb", ".md", ".rst"):
        if (ROOT / (docname + suffix)).exists():
            return ROOT / (docname + suffix)
    return None


TOC_PAGES = [pathlib.PurePosixPath(f).with_suffix("").as_posix()
             for f in _toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))]
SITE_PAGES = ["genindex", "search"]
PAGES = TOC_PAGES + SITE_PAGES
NOTEBOOK_PAGES = [p for p in TOC_PAGES if (_source_of(p) or pathlib.Path()).suffix == ".ipynb"]

# The editions (tools/sphinx_book_editions.py): each is the same set of pages in its folder.
sys.path.insert(0, str(ROOT / "tools"))
from sphinx_book_editions import EDITIONS, edition_links  # noqa: E402

EDITION_DIRS = {code: (e["dir"] + "/" if e["dir"] else "") for code, e in EDITIONS.items()}
# A page of an edition: "chapters/tour" (English) or "zh_CN/chapters/tour".
EDITION_PAGES = [EDITION_DIRS[code] + name for code in EDITIONS for name in PAGES]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _edition_of(path: str) -> tuple[str, str]:
    """("zh_CN", "chapters/tour") for "zh_CN/chapters/tour"."""
    for code, folder in EDITION_DIRS.items():
        if folder and path.startswith(folder):
            return code, path[len(folder):]
    return "en", path


# ----- fixtures: the static server (Chromium: ``browser`` in conftest.py) ------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(strict_build):
    """The fresh build served on 127.0.0.1: ``(base_url, html_dir)``."""
    html_dir = strict_build.html_dir
    if not (html_dir / "index.html").exists():
        pytest.fail(f"the book did not build into {html_dir}:\n{(strict_build.stdout + strict_build.stderr)[-3000:]}")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(html_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html_dir
    server.shutdown()
    server.server_close()


# ----- opening a page and waiting until it has rendered ---------------------------------

@dataclasses.dataclass
class Visit:
    page: object
    console_errors: list
    failed_requests: list
    blocked: list
    path: str = ""
    theme_at_load: str = ""
    axe_ran: bool = False


# The one request that is axe-core's, not the book's: its stylesheet preload (every rule, for
# css-orientation-lock) resolves _static/styles/theme.css's @import "../basic.css" one folder
# too high and asks for <edition>/basic.css, a 404 (the page itself loads _static/basic.css).
# Not counted once axe has run.
AXE_PRELOAD_MISS = re.compile(r"(?:[A-Za-z_]+/)?basic\.css")


# For each widget view tag: the model id, whether the widget manager rendered it into the
# div.widget-subarea it inserts before the tag, and the book widgets (lstm-widget-<name>)
# inside, in DOM order. Marks each subarea with data-view-index so a test can find it.
VIEWS_JS = """() => Array.from(document.querySelectorAll('script[type="%s"]')).map((tag, index) => {
  let modelId = null;
  try { modelId = JSON.parse(tag.textContent).model_id; } catch (e) {}
  const sub = tag.previousElementSibling;
  const isSub = !!sub && sub.classList.contains('widget-subarea');
  if (isSub) sub.setAttribute('data-view-index', String(index));
  const content = isSub && sub.firstElementChild !== null &&
    (sub.innerText.trim().length > 0 || sub.querySelector('svg, canvas, input, button, select') !== null);
  const visible = isSub && sub.checkVisibility();
  const box = isSub ? sub.getBoundingClientRect() : { width: 0, height: 0 };
  return {
    modelId,
    rendered: content && (!visible || (box.width > 0 && box.height > 0)),
    widgets: isSub ? Array.from(sub.querySelectorAll('.lstm-widget')).map((w) =>
      (Array.from(w.classList).find((c) => c.startsWith('lstm-widget-')) || '').slice(12)) : [],
  };
})""" % VIEW_MIME

# SVG drawn with document.createElement (HTML namespace) instead of createElementNS is
# silently invisible: list such elements inside the book's widgets.
FOREIGN_SVG_JS = """() => Array.from(document.querySelectorAll('.lstm-widget svg *'))
  .filter((e) => e.namespaceURI !== 'http://www.w3.org/2000/svg' && !e.closest('foreignObject'))
  .map((e) => `${e.closest('.lstm-widget').className}: <${e.tagName.toLowerCase()}> inside <svg>`)"""

MATH_JS = """() => {
  const maths = Array.from(document.querySelectorAll('.math'));
  return {
    total: maths.length,
    typeset: maths.filter((m) => m.querySelector('mjx-container') !== null).length,
    errors: Array.from(document.querySelectorAll('mjx-merror')).map((e) => e.textContent),
    mathjax: typeof window.MathJax === 'object' && !!window.MathJax.startup,
  };
}"""


def _open(browser, site, name: str, *, mode: str, viewport: dict) -> Visit:
    """Open page ``name`` (e.g. "zh_CN/chapters/tour") with the reader's colour preference
    ``mode`` (the book follows it) at ``viewport``."""
    base, _ = site
    context = browser.new_context(viewport=viewport, color_scheme=mode)
    page = context.new_page()
    visit = Visit(page, [], [], [], path=name)
    host = urllib.parse.urlsplit(base).netloc

    def route(r):
        if urllib.parse.urlsplit(r.request.url).netloc == host:
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    def axes_own(url: str) -> bool:
        return visit.axe_ran and AXE_PRELOAD_MISS.fullmatch(url.removeprefix(base)) is not None

    def console(m):
        url = m.location.get("url", "")
        if m.type == "error" and not axes_own(url):
            visit.console_errors.append(f"{m.text} ({url}:{m.location.get('lineNumber', '')})")

    page.on("console", console)
    page.on("pageerror", lambda e: visit.console_errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: axes_own(r.url) or visit.failed_requests.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and not axes_own(r.url)
            and visit.failed_requests.append(f"{r.url}: HTTP {r.status}"))
    page.goto(base + name + ".html", wait_until="load")
    # MathJax's initial typeset, then every widget view (the manager loads modules lazily).
    page.evaluate("() => (window.MathJax && MathJax.startup && MathJax.startup.promise)"
                  " ? MathJax.startup.promise.then(() => true) : true")
    if page.locator(f'script[type="{VIEW_MIME}"]').count():
        try:
            page.wait_for_function(f"() => ({VIEWS_JS})().every((v) => v.rendered)",
                                   timeout=RENDER_TIMEOUT_MS)
        except Exception:  # reported by the assertions of the test
            pass
    page.wait_for_load_state("networkidle")
    visit.theme_at_load = page.evaluate("() => document.documentElement.dataset.theme")
    return visit


@pytest.fixture(scope="class")
def visit(request, browser, site):
    """One visit of page ``request.param`` for all of its tests (a page load, MathJax and the
    widget manager are most of a test's time). Opened as a reader who prefers dark mode on a
    phone, so the theme must pick the mode up at load; each test then sets the colour
    preference and width it checks with ``_show``."""
    v = _open(browser, site, request.param, mode="dark", viewport=PHONE)
    yield v
    v.page.context.close()


# Settle after a change of colour preference or width: the theme's handler has set data-theme
# and no CSS transition is still running, which would hand axe a colour half-way between the
# modes. Then the page gets the keyboard tab stops it would have had if loaded at this width:
# pydata-sphinx-theme gives a scrolling pre, output or table tabIndex 0 (and the others -1) 300 ms
# after a resize, but after a switch across its breakpoint that can run while the sidebar is
# still sliding in, and the tab stops then stay those of a wider text column. A resize event on
# the settled layout runs the theme's own update again; TAB_STOPS_JS waits for its result.
# Last, two frames are laid out.
SETTLED_JS = """(mode) => document.documentElement.dataset.theme === mode
  && !document.getAnimations().some((a) => a instanceof CSSTransition && a.playState === 'running')"""
TAB_STOPS_JS = """() => Array.from(document.querySelectorAll(
    'pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container'))
  .every((e) => e.tabIndex === (e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight ? 0 : -1))"""


def _show(visit, mode: str, viewport: dict) -> None:
    """Give the page the reader's colour preference ``mode`` and width ``viewport``."""
    visit.page.emulate_media(color_scheme=mode)
    visit.page.set_viewport_size(viewport)
    visit.page.wait_for_function(SETTLED_JS, arg=mode, timeout=RENDER_TIMEOUT_MS)
    visit.page.evaluate("() => window.dispatchEvent(new Event('resize'))")
    visit.page.wait_for_function(TAB_STOPS_JS, timeout=RENDER_TIMEOUT_MS)
    next_frames(visit.page)


def _widget_state(html_dir: pathlib.Path, name: str) -> dict:
    """model id -> the model's saved state, from the page's widget-state script."""
    text = (html_dir / f"{name}.html").read_text()
    m = re.search(r'<script type="%s">(.*?)</script>' % re.escape(STATE_MIME), text, re.S)
    return {k: v["state"] for k, v in json.loads(m.group(1))["state"].items()} if m else {}


# ----- every page -------------------------------------------------------------------

# Boxes that may scroll sideways on a phone, inside themselves: code, outputs, widgets,
# display math and tables. Anything else that scrolls, or a page that does, fails.
OWN_SCROLL = ("pre, div.highlight, .cell_output, .output, .lstm-widget, .widget-subarea, "
              "div.math, mjx-container, .pst-scrollable-table-container, table")

OVERFLOW_JS = """(allowed) => {
  const W = document.documentElement.clientWidth;
  const scrollers = Array.from(document.querySelectorAll('body *')).filter((e) => {
    const o = getComputedStyle(e).overflowX;
    return (o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth + 1
      && e.checkVisibility() && !e.closest(allowed);
  }).map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">`);
  return { page: document.scrollingElement.scrollWidth - W, scrollers };
}"""


def _serious(violations) -> list[str]:
    """axe-core's serious and critical violations, one line per rule."""
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; e.g. "
            f"{v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')[:200]}"
            for v in violations if v["impact"] in ("serious", "critical")]


def _check_page(visit, html_dir: pathlib.Path, path: str, shot: pathlib.Path, *,
                full_page: bool = True) -> None:
    """The checks every page passes in every mode: offline, math typeset, widgets drawn."""
    page = visit.page
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=full_page)

    assert not visit.blocked, f"{path}: requests to other hosts (blocked): {visit.blocked}"
    assert not visit.failed_requests, f"{path}: failed requests: {visit.failed_requests}"
    assert not visit.console_errors, f"{path}: console errors: {visit.console_errors}"

    text = (html_dir / f"{path}.html").read_text()
    source_math = text.count('class="math')
    math = page.evaluate(MATH_JS)
    if source_math:
        assert math["mathjax"], f"{path}: the page has {source_math} equations but MathJax did not load"
    assert math["typeset"] == math["total"], f"{path}: {math['total'] - math['typeset']} of {math['total']} equations not typeset"
    assert not math["errors"], f"{path}: MathJax errors: {math['errors']}"

    views = page.evaluate(VIEWS_JS)
    assert len(views) == text.count(f'<script type="{VIEW_MIME}">')
    blank = [v["modelId"] for v in views if not v["rendered"]]
    assert not blank, f"{path}: {len(blank)} of {len(views)} widget views blank: {blank}"
    foreign = page.evaluate(FOREIGN_SVG_JS)
    assert not foreign, f"{path}: invisible SVG (HTML-namespace elements): {sorted(set(foreign))}"


def _check_axe(visit, rules=None) -> None:
    """axe-core (``rules``, or every rule) on the page as shown: no serious or critical violation."""
    visit.axe_ran = True
    violations = _serious(run_axe(visit.page, None, rules))
    assert not violations, f"{visit.path}: axe-core, serious or critical:\n" + "\n".join(violations)


def _renders_offline(visit, site):
    """Light mode on a desktop: offline, typeset, widgets drawn."""
    _, html_dir = site
    path = visit.path
    assert (html_dir / f"{path}.html").exists(), f"{path}.html is not in the build"
    _show(visit, "light", DESKTOP)
    lang = visit.page.evaluate("() => document.documentElement.lang")
    assert lang == EDITIONS[_edition_of(path)[0]]["lang"], f"{path}: <html lang={lang!r}>"
    _check_page(visit, html_dir, path, ARTIFACTS / "light" / f"{path.replace('/', '__')}.png")


def _passes_axe(visit, site):
    """Light mode on a desktop: every axe-core rule, no serious or critical violation."""
    _show(visit, "light", DESKTOP)
    _check_axe(visit)


def _dark_mode_on_a_phone(visit, site):
    """Dark mode at 390 px: the theme follows the reader's preference, the same checks pass
    (axe's contrast rule included), and nothing but code, outputs, widgets, math and tables
    scrolls sideways."""
    _, html_dir = site
    path = visit.path
    assert visit.theme_at_load == "dark", f"{path}: data-theme={visit.theme_at_load!r} at load for a reader who prefers dark"
    _show(visit, "dark", PHONE)
    # The screenshot is the first screen (a full page 390 px wide is some 20 000 px tall). Every
    # axe rule ran on the page in light mode; what dark mode can break is contrast.
    _check_page(visit, html_dir, path, ARTIFACTS / "dark-phone" / f"{path.replace('/', '__')}.png",
                full_page=False)
    _check_axe(visit, ["color-contrast"])
    overflow = visit.page.evaluate(OVERFLOW_JS, OWN_SCROLL)
    assert overflow["page"] <= 0, f"{path}: the page scrolls sideways by {overflow['page']} px at 390 px"
    assert not overflow["scrollers"], f"{path}: boxes that scroll sideways: {overflow['scrollers']}"


@pytest.mark.parametrize("path", EDITION_PAGES)
def test_language_switch(site, path):
    """Every page links to the same page in every other edition, which exists."""
    _, html_dir = site
    edition, name = _edition_of(path)
    text = (html_dir / f"{path}.html").read_text()
    nav = re.search(r'<nav class="edition-switch"[^>]*>(.*?)</nav>', text, re.S)
    assert nav, f"{path}: no language switch"
    links = dict(re.findall(r'href="([^"]+)" hreflang="([^"]+)"', nav.group(1)))
    want = {e["url"]: e["lang"] for e in edition_links(edition, name) if not e["current"]}
    assert links == want, f"{path}: switch {links}, want {want}"
    for url in links:
        twin = ((html_dir / path).parent / url).resolve()
        assert twin.is_file(), f"{path}: the switch points to {url}, which is not built"
        assert twin.relative_to(html_dir.resolve()).with_suffix("").as_posix().endswith(name)


def test_every_page_of_the_build_is_tested(site):
    _, html_dir = site
    built = {p.relative_to(html_dir).with_suffix("").as_posix() for p in html_dir.rglob("*.html")
             if not p.relative_to(html_dir).parts[0].startswith("_")
             and "_static" not in p.relative_to(html_dir).parts}
    # jupyter-book's redirect to the root page, in every edition
    built -= {EDITION_DIRS[code] + "index" for code in EDITIONS}
    assert built == set(EDITION_PAGES), (f"built but untested: {built - set(EDITION_PAGES)}; "
                                         f"listed but not built: {set(EDITION_PAGES) - built}")


def _page_bytes(html_dir: pathlib.Path, name: str) -> int:
    """The page's HTML plus the files it alone references (images in _images/, not _static/)."""
    page = html_dir / f"{name}.html"
    text = page.read_text()
    total = page.stat().st_size
    own = set()
    for ref in re.findall(r'(?:src|data)="([^"#?]+)', text):
        ref = html.unescape(ref)
        if "://" in ref or ref.startswith("data:"):
            continue
        path = (page.parent / ref).resolve()
        if path.is_file() and "_static" not in path.relative_to(html_dir.resolve()).parts:
            own.add(path)
    return total + sum(p.stat().st_size for p in own)


def test_page_weight(site):
    """Every page is under MAX_PAGE_BYTES, and a translated page weighs at most 1.2x its twin."""
    _, html_dir = site
    sizes = {EDITION_DIRS[code] + n: _page_bytes(html_dir, EDITION_DIRS[code] + n)
             for code in EDITIONS for n in TOC_PAGES}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "page-sizes.txt").write_text(
        "".join(f"{n:<40} {b / 1e6:8.3f} MB\n" for n, b in sorted(sizes.items())))
    heavy = {n: b for n, b in sizes.items() if b > MAX_PAGE_BYTES}
    assert not heavy, f"pages over {MAX_PAGE_BYTES / 1e6} MB (HTML + own images): {heavy}"
    ratios = {p: sizes[p] / sizes[_edition_of(p)[1]] for p in sizes if _edition_of(p)[0] != "en"}
    over = {p: round(r, 3) for p, r in ratios.items() if r > 1.2}
    assert not over, f"translated pages heavier than 1.2x their English twin: {over}"


@pytest.mark.parametrize("path", [EDITION_DIRS[c] + n for c in EDITIONS for n in NOTEBOOK_PAGES])
def test_launch_buttons(site, path):
    """Binder and Colab open this notebook from the repository; the .ipynb downloads."""
    _, html_dir = site
    name = _edition_of(path)[1]
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = urllib.parse.urlsplit(config["repository"]["url"]).path.strip("/")
    branch = config["repository"].get("branch", "main")
    launch = config["launch_buttons"]
    nb_path = _source_of(name).relative_to(ROOT).as_posix()
    hrefs = set(re.findall(r'href="([^"]+)"', (html_dir / f"{path}.html").read_text()))
    colab = f"{launch['colab_url']}/github/{repo}/blob/{branch}/{nb_path}"
    binder = f"{launch['binderhub_url']}/v2/gh/{repo}/{branch}?urlpath=lab/tree/{nb_path}"
    assert colab in hrefs, f"{name}: no Colab link {colab}"
    assert binder in hrefs, f"{name}: no Binder link {binder}"
    download = [h for h in hrefs if h.endswith(f"_sources/{nb_path}")]
    assert download, f"{name}: no .ipynb download link"
    served = json.loads(((html_dir / f"{path}.html").parent / download[0]).read_text())
    source = json.loads((ROOT / nb_path).read_text())
    assert served["nbformat"] == 4 and served["cells"][0]["source"] == source["cells"][0]["source"]


# ----- the widgets respond with the right values ---------------------------------------

INTERACTIONS = {}


def interaction(name):
    """Register the check of widget ``lstm-widget-<name>``: ``check(root, state)``."""
    def register(fn):
        INTERACTIONS[name.replace("-", "_")] = fn
        return fn
    return register


def _value(root, testid: str) -> float:
    el = root.get_by_test_id(testid)
    attr = el.get_attribute("data-value")
    return float(attr if attr is not None else el.text_content())


def _lstm_ref_step(s: dict, x, bias_shift):
    """One step of the explorer's layer by lstm_ref: gates (4, H), c_t, h_t."""
    W_ih, W_hh = np.array(s["weight_ih"]), np.array(s["weight_hh"])
    H = W_hh.shape[0] // 4
    W_hr = np.array(s["weight_hr"]) if s["weight_hr"] else None
    b_hh = np.array(s["bias_hh"]) + np.repeat(np.asarray(bias_shift, dtype=np.float64), H)
    xw = input_projection(np.asarray(x, dtype=np.float64), W_ih, np.array(s["bias_ih"]), b_hh)
    h, c, (_, _, gates, _, _) = step_forward(xw, np.array(s["h_prev"]), np.array(s["c_prev"]), W_hh, W_hr)
    return gates.reshape(4, H), c, h


@interaction("gate_explorer")
def _check_gate_explorer(root, s):
    H = len(s["c_prev"])
    x, shift = list(s["x"]), list(s["bias_shift"])

    def shown():
        gates = np.array([[_value(root, f"readout-{k}-{j}") for j in range(H)] for k in "ifgo"])
        c = np.array([_value(root, f"readout-c-{j}") for j in range(H)])
        h = np.array([_value(root, f"readout-h-{j}") for j in range(len(s["h_prev"]))])
        return gates, c, h

    def agree(label):
        want, got = _lstm_ref_step(s, x, shift), shown()
        for name, w, g in zip(("gates i, f, g, o", "c_t", "h_t"), want, got):
            np.testing.assert_allclose(g, w, rtol=0, atol=1e-9, err_msg=f"gate explorer, {label}: {name}")

    agree("as saved")
    # Move x_t[0] and the forget gate's bias shift; the slider snaps to its step, so read it back.
    lo, hi = s["ranges"]["x"]
    slider = root.get_by_test_id("slider-x-0")
    slider.fill(str(round(lo + 0.8 * (hi - lo), 2)))
    x[0] = float(slider.input_value())
    bias = root.get_by_test_id("slider-bias-f")
    bias.fill("-2.5")
    shift[1] = float(bias.input_value())
    assert (x[0], shift[1]) != (s["x"][0], s["bias_shift"][1]), "the sliders did not move"
    agree(f"x_t[0] = {x[0]}, bias shift f = {shift[1]}")
    # A preset sets every bias shift at once.
    preset = next(p for p in s["presets"] if p["name"] == "forget")
    root.get_by_test_id("preset-forget").click()
    shift = list(preset["bias_shift"])
    agree("preset 'forget'")


@interaction("shape_explorer")
def _check_shape_explorer(root, s):
    """Change four controls; every shape shown must be the shape a real nn.LSTM has."""
    cfg = {k: s[k] for k in ("batch_size", "seq_len", "input_size", "hidden_size", "num_layers",
                             "proj_size", "bidirectional", "batch_first", "batched", "bias")}
    cfg.update(hidden_size=4, num_layers=2, proj_size=2, bidirectional=not cfg["bidirectional"])
    for name in ("hidden_size", "num_layers", "proj_size"):
        root.get_by_test_id(f"control-{name}").fill(str(cfg[name]))
    root.get_by_test_id("control-bidirectional").set_checked(cfg["bidirectional"])

    torch.manual_seed(0)
    lstm = torch.nn.LSTM(cfg["input_size"], cfg["hidden_size"], cfg["num_layers"], bias=cfg["bias"],
                         batch_first=cfg["batch_first"], bidirectional=cfg["bidirectional"],
                         proj_size=cfg["proj_size"])
    T, B, D = cfg["seq_len"], cfg["batch_size"], 2 if cfg["bidirectional"] else 1
    if not cfg["batched"]:
        x_shape, state_shape = (T, cfg["input_size"]), (D * cfg["num_layers"],)
    else:
        x_shape = (B, T, cfg["input_size"]) if cfg["batch_first"] else (T, B, cfg["input_size"])
        state_shape = (D * cfg["num_layers"], B)
    h_0 = torch.zeros(*state_shape, cfg["proj_size"] or cfg["hidden_size"])
    c_0 = torch.zeros(*state_shape, cfg["hidden_size"])
    x = torch.zeros(x_shape)
    with torch.no_grad():
        output, (h_n, c_n) = lstm(x, (h_0, c_0))
    want = {"input": x, "h_0": h_0, "c_0": c_0, "output": output, "h_n": h_n, "c_n": c_n}
    want = {k: list(v.shape) for k, v in want.items()}
    want.update({f"param-{k}": list(p.shape) for k, p in lstm.named_parameters()})

    got = {}
    for el in root.locator('[data-testid^="shape-"], [data-testid^="param-"]').all():
        testid = el.get_attribute("data-testid")
        if testid != "param-total":
            got[testid.removeprefix("shape-")] = json.loads(el.get_attribute("data-shape"))
    assert got == want, f"shape explorer {cfg}: shows {got}, nn.LSTM has {want}"
    total = sum(p.numel() for p in lstm.parameters())
    assert int(root.get_by_test_id("param-total").text_content()) == total


@interaction("sequence_explorer")
def _check_sequence_explorer(root, s):
    """The saved trace is an LSTM's (checked here), and the stepping shows step t of it."""
    st = {k: np.array(v, dtype=np.float64) for k, v in s["steps"].items()}
    T = len(st["h"])
    c_prev = np.vstack([st["c0"][None], st["c"][:-1]])
    np.testing.assert_allclose(st["c"], st["f"] * c_prev + st["i"] * st["g"], atol=1e-5)
    np.testing.assert_allclose(st["h"], st["o"] * np.tanh(st["c"]), atol=1e-5)

    def check_shows(t):
        assert re.search(rf"\b{t}\b", root.get_by_test_id("t-label").text_content()), \
            f"sequence explorer: t-label {root.get_by_test_id('t-label').text_content()!r}, want t = {t}"
        cp = st["c0"] if t == 0 else st["c"][t - 1]
        want = {"x": st["x"][t], "i": st["i"][t], "f": st["f"][t], "g": st["g"][t], "o": st["o"][t],
                "c_prev": cp, "kept": st["f"][t] * cp, "written": st["i"][t] * st["g"][t],
                "c": st["c"][t], "h": st["h"][t]}
        for key, values in want.items():
            got = [_value(root, f"value-{key}-{k}") for k in range(len(values))]
            np.testing.assert_allclose(got, values, atol=6e-4, err_msg=f"sequence explorer t={t}: {key}")

    t0 = min(max(int(s["t"]), 0), T - 1)
    check_shows(t0)
    root.get_by_test_id("next").click()
    check_shows(min(t0 + 1, T - 1))
    root.get_by_test_id("prev").click()
    check_shows(t0)
    root.get_by_test_id("slider").fill(str(T - 1))
    check_shows(T - 1)


@interaction("index_explorer")
def _check_index_explorer(root, s):
    """Switch the configuration, point at every row of h_n: layer, direction, step and the equal
    output cell must be where a real nn.LSTM puts them (found here by running its layers)."""
    T, B, H = s["seq_len"], s["batch_size"], s["hidden_size"]
    L, bidir = (3, True) if (s["num_layers"], s["bidirectional"]) != (3, True) else (2, False)
    root.get_by_test_id("num-layers").select_option(str(L))
    root.get_by_test_id("bidirectional").set_checked(bidir)
    D = 2 if bidir else 1
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, H, L, batch_first=True, bidirectional=bidir, dtype=torch.float64)
    x = torch.randn(B, T, 3, dtype=torch.float64)
    with torch.no_grad():
        output, (h_n, _) = lstm(x)
        # The first l+1 layers alone: their last D rows of h_n are layer l's final states.
        below = []
        for layer in range(L):
            sub = torch.nn.LSTM(3, H, layer + 1, batch_first=True, bidirectional=bidir, dtype=torch.float64)
            sub.load_state_dict({k: v for k, v in lstm.state_dict().items()
                                 if int(re.search(r"_l(\d+)", k).group(1)) <= layer})
            below.append(sub(x))
    example = s["examples"][f"L{L}_D{D}"]
    assert np.shape(example["output"]) == tuple(output.shape) and np.shape(example["h_n"]) == tuple(h_n.shape)
    b, j = B - 1, H - 1
    for row in range(L * D):
        (layer, direction), = [(l, d) for l in range(L) for d in range(D)
                               if torch.equal(h_n[row], below[l][1][0][l * D + d])]
        (t,), = [(t,) for t in range(T) if below[layer][0][b, t, direction * H + j] == h_n[row, b, j]]
        equal = (output[b] == h_n[row, b, j]).nonzero().tolist()
        root.get_by_test_id(f"hn-{row}-{b}-{j}").click()
        read = {k: root.get_by_test_id(f"readout-{k}").text_content()
                for k in ("layer", "time", "unit", "value")}
        # The direction and the equal cell in words are in the page's language; their
        # data-value is not ("forward"/"reverse", "output[b, t, j]"/"none").
        read.update({k: root.get_by_test_id(f"readout-{k}").get_attribute("data-value")
                     for k in ("direction", "match")})
        where = f"index explorer L={L} D={D}, h_n[{row}, {b}, {j}]"
        assert (int(read["layer"]), read["direction"], int(read["time"]), int(read["unit"])) == \
            (layer, ("forward", "reverse")[direction], t, j), f"{where}: shows {read}"
        assert abs(float(read["value"]) - example["h_n"][row][b][j]) <= 5.1e-5, f"{where}: {read['value']}"
        if equal:
            assert read["match"] == f"output[{b}, {equal[0][0]}, {equal[0][1]}]", f"{where}: {read['match']}"
        else:
            assert read["match"].startswith("none"), f"{where}: {read['match']}"


def _default_grid():
    from lstm_ref.gradients import gradient_lab_grid
    return {k: p.default for k, p in inspect.signature(gradient_lab_grid).parameters.items()}


def _gradient_norm_log10(gap_len, forget_bias, rnn_scale, kind):
    """log10 of ||dh_T/dx_{T-gap}||_F, mean over sequences, by torch autograd, for the lab's
    default grid (gradient_lab_grid's seeded lstm_ref weights and inputs)."""
    from lstm_ref import LSTM
    from lstm_ref.rnn import RNN

    kw = _default_grid()
    I, H, N, seed = kw["input_size"], kw["hidden_size"], kw["n_seq"], kw["seed"]
    xs = np.random.default_rng(seed).standard_normal((max(kw["gaps"]) + 1, N, I))
    if kind == "lstm":
        sd = LSTM(I, H, dtype=np.float64, seed=seed).state_dict()
        sd["bias_ih_l0"][H:2 * H], sd["bias_hh_l0"][H:2 * H] = forget_bias, 0.0
        net = torch.nn.LSTM(I, H, dtype=torch.float64)
    else:
        sd = RNN(I, H, dtype=np.float64, seed=seed).state_dict()
        sd["weight_hh_l0"] = sd["weight_hh_l0"] * rnn_scale
        net = torch.nn.RNN(I, H, dtype=torch.float64)
    net.load_state_dict({k: torch.as_tensor(v) for k, v in sd.items()})
    # H copies of each sequence; copy k backpropagates unit k of h_T: one backward pass.
    x = torch.tensor(np.repeat(xs[:gap_len + 1], H, axis=1), requires_grad=True)  # (T, N*H, I)
    h_T = net(x)[0][-1]                                                         # (N*H, H)
    h_T[torch.arange(N * H), torch.arange(H).repeat(N)].sum().backward()
    jac = x.grad[0].reshape(N, H, I)                      # d h_T[n, k] / d x_0[n, i]
    return float(torch.log10(jac.pow(2).sum(dim=(1, 2)).sqrt().mean()))


@interaction("gradient_lab")
def _check_gradient_lab(root, s):
    """Move the three sliders; the readouts must be the gradient norms torch's autograd gives."""
    gi, bi, si = len(s["gaps"]) - 2, len(s["forget_biases"]) - 1, 0
    for testid, index in (("gap-slider", gi), ("bias-slider", bi), ("scale-slider", si)):
        root.get_by_test_id(testid).fill(str(index))
    gap, bias, scale = s["gaps"][gi], s["forget_biases"][bi], s["rnn_scales"][si]
    got = {k: float(root.get_by_test_id(f"{k}-readout").get_attribute("data-log10")) for k in ("lstm", "rnn")}
    # The page shows the grid Python stored ...
    assert got == {"lstm": s["lstm"][gi][bi][gap], "rnn": s["rnn"][gi][si][gap]}, got
    # ... and, for the default grid, that grid is what autograd computes now.
    kw = _default_grid()
    if (list(kw["gaps"]), list(kw["forget_biases"]), list(kw["rnn_scales"])) == \
            (s["gaps"], s["forget_biases"], s["rnn_scales"]):
        for kind in ("lstm", "rnn"):
            want = _gradient_norm_log10(gap, bias, scale, kind)
            assert abs(got[kind] - want) < 2e-4, f"gradient lab {kind}, gap {gap}: {got[kind]} vs torch {want}"


# The packing explorer's check lives beside its other tests.
from test_packing_explorer import check_in_browser as _check_packing_explorer  # noqa: E402

interaction("packing_explorer")(_check_packing_explorer)


def _anywidget_models(states: dict, model_id: str) -> list[str]:
    """The anywidget models a view of ``model_id`` displays, in DOM order (Boxes list children)."""
    state = states.get(model_id, {})
    if state.get("_view_module") == "anywidget":
        return [model_id]
    found = []
    for child in state.get("children", []):
        found.extend(_anywidget_models(states, str(child).removeprefix("IPY_MODEL_")))
    return found


def _has_widget_views(docname: str) -> bool:
    """Whether the page's notebook has widget views in its stored outputs."""
    source = _source_of(docname)
    return source is not None and source.suffix == ".ipynb" and VIEW_MIME in source.read_text()


WIDGET_PAGES = [n for n in TOC_PAGES if _has_widget_views(n)]


def test_widget_pages_are_the_built_pages_with_widgets(site):
    _, html_dir = site
    for code in EDITIONS:
        folder = EDITION_DIRS[code]
        built = [n for n in TOC_PAGES
                 if f'<script type="{VIEW_MIME}">' in (html_dir / f"{folder}{n}.html").read_text()]
        assert built == WIDGET_PAGES, f"{code}: widget pages {built}"
        # Every edition embeds the same widget state: the data cannot drift between them.
        for n in WIDGET_PAGES:
            assert _widget_state(html_dir, folder + n) == _widget_state(html_dir, n), f"{folder}{n}"


STICKY_BARS_HIDDEN = ".skip-link, .bd-header, .bd-header-article { visibility: hidden !important; }"


def _widgets_respond(visit, site):
    """Every widget of the page, driven as a reader would, shows what lstm_ref/torch compute."""
    _, html_dir = site
    name = visit.path
    states = _widget_state(html_dir, name)
    _show(visit, "light", DESKTOP)
    for i, view in enumerate(visit.page.evaluate(VIEWS_JS)):
        # The book's widgets are anywidgets: the view's own model, or children of a Box.
        models = _anywidget_models(states, view["modelId"])
        assert len(models) == len(view["widgets"]), \
            f"{name}: view {view['modelId']} has {len(models)} anywidget models but shows {view['widgets']}"
        for k, (widget, model_id) in enumerate(zip(view["widgets"], models)):
            key = widget.replace("-", "_")
            assert key in INTERACTIONS, (f"{name}: widget lstm-widget-{widget} has no interaction check; "
                                         "add one to INTERACTIONS in tests/test_browser.py")
            root = visit.page.locator(f'div.widget-subarea[data-view-index="{i}"] .lstm-widget').nth(k)
            root.scroll_into_view_if_needed()
            INTERACTIONS[key](root, states[model_id])
            # What the reader sees after the interaction: the widget alone (a full page is a
            # 15 000 px tall image). A widget taller than the window is captured in scrolls,
            # which would paint the sticky header bars over it.
            shot = ARTIFACTS / "light" / f"{name.replace('/', '__')}__{widget}-{i}-{k}.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            root.screenshot(path=str(shot), style=STICKY_BARS_HIDDEN)
    assert not visit.console_errors, f"{name}: console errors while interacting: {visit.console_errors}"


# ----- the tests of every page, one class per edition ----------------------------------
# One class per edition, so that make test's two workers (pytest-xdist --dist loadscope,
# which keeps a class together) each take one edition; within a class, pytest runs all the
# tests of one page (its ``visit``) one after the other.

def _edition_tests(code: str):
    folder = EDITION_DIRS[code]

    class EditionPages:
        # In this order: the page opens dark at 390 px, so the first test needs no switch, and
        # the light desktop tests after it share one (a switch lays out a chapter anew: ~1 s).
        @pytest.mark.parametrize("visit", [folder + n for n in PAGES], indirect=True)
        def test_page_dark_mode_on_a_phone(self, visit, site):
            _dark_mode_on_a_phone(visit, site)
        test_page_dark_mode_on_a_phone.__doc__ = _dark_mode_on_a_phone.__doc__

        @pytest.mark.parametrize("visit", [folder + n for n in PAGES], indirect=True)
        def test_page_renders_offline(self, visit, site):
            _renders_offline(visit, site)
        test_page_renders_offline.__doc__ = _renders_offline.__doc__

        @pytest.mark.parametrize("visit", [folder + n for n in PAGES], indirect=True)
        def test_page_passes_axe(self, visit, site):
            _passes_axe(visit, site)
        test_page_passes_axe.__doc__ = _passes_axe.__doc__

        @pytest.mark.parametrize("visit", [folder + n for n in WIDGET_PAGES], indirect=True)
        def test_widgets_respond(self, visit, site):
            _widgets_respond(visit, site)
        test_widgets_respond.__doc__ = _widgets_respond.__doc__

    return EditionPages


TestEnglishEdition = _edition_tests("en")
TestChineseEdition = _edition_tests("zh_CN")
assert set(EDITIONS) == {"en", "zh_CN"}, "add a class for the new edition"
