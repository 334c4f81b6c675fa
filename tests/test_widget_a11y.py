"""Accessibility of the widgets in Chromium: every control is reached with Tab, named in the
page's language and shows a focus outline, keys alone change what the widget shows, and
axe-core finds no serious or critical violation on a light and a dark page (both languages).

Each widget is rendered once per language for all the tests of ``TestWidget`` (``widget_page``):
the render and axe's script are most of a test's time. pytest runs the tests of one page in
the order of the class, and each reads the page as the tests before left it, as a reader's
page is after the earlier clicks: Tab first (nothing moved yet), then axe on the states a
reader's clicks lead to (the state a widget is stored in is checked where readers see it, on
the book's pages, in tests/test_browser.py), then the keys, from the stored state again.
"""
import pytest

from widget_cases import NAMES, act
from widget_harness import widget_page_fixture

# Everything a keyboard user can reach inside the widget.
FOCUSABLE = "input, select, button, textarea, [tabindex]:not([tabindex='-1'])"

# A control is known by its data-testid (widgets redraw, so elements are replaced), else by its
# position, written into it.
CONTROLS_JS = """(sel) => Array.from(document.querySelector('#root').querySelectorAll(sel))
  .filter((e) => !e.disabled).map((e, k) => {
    if (!e.hasAttribute('data-testid')) e.setAttribute('data-a11y-index', String(k));
    return e.getAttribute('data-testid') || String(k);
  })"""

ACTIVE_JS = """() => {
  const a = document.activeElement;
  if (!a || !document.querySelector('#root').contains(a)) return null;
  const cs = getComputedStyle(a);
  const ring = a.namespaceURI === 'http://www.w3.org/2000/svg'
    ? getComputedStyle(a.tagName === 'g' ? a.querySelector('rect') : a).stroke
    : (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 ? 'outline' : 'none');
  const name = a.getAttribute('aria-label') || (a.labels && a.labels[0] && a.labels[0].textContent)
    || a.textContent;
  return { index: a.getAttribute('data-testid') || a.getAttribute('data-a11y-index'), ring, name: (name || '').trim(),
           lang: a.closest('[lang]').getAttribute('lang') };
}"""


def impactful(violations):
    return [(v["id"], v["impact"], [n["html"][:120] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")]


def _value(page, testid, attr=None):
    el = page.get_by_test_id(testid)
    return el.get_attribute(attr) if attr else el.text_content()


# name -> [(testid to focus, keys to press, (testid, attribute) whose content must change)]
KEYBOARD = {
    "gate_explorer": [("slider-x-0", ["ArrowRight", "ArrowRight"], ("readout-i-0", "data-value")),
                      ("slider-bias-f", ["End"], ("readout-f-0", "data-value")),
                      ("preset-forget", ["Enter"], ("readout-c-0", "data-value")),
                      ("preset-reset", [" "], ("readout-c-0", "data-value"))],
    "shape_explorer": [("control-num_layers", ["ArrowUp"], ("param-total", None)),
                       ("control-bidirectional", [" "], ("shape-h_n", "data-shape")),
                       ("control-batched", [" "], ("shape-input", "data-shape"))],
    "sequence_explorer": [("slider", ["ArrowRight"], ("t-label", None)),
                          ("next", ["Enter"], ("t-label", None)),
                          ("column-4", ["Enter"], ("t-label", None)),
                          ("prev", [" "], ("value-h-0", None))],
    "index_explorer": [("hn-0-0-0", [], ("readout", None)),
                       ("hn-0-0-0", ["Tab"], ("readout-index", None)),
                       ("bidirectional", [" "], ("config", None)),
                       ("output-1-2-0", ["Enter"], ("readout", None))],
    "gradient_lab": [("gap-slider", ["ArrowLeft"], ("lstm-readout", "data-log10")),
                     ("bias-slider", ["Home"], ("lstm-readout", "data-log10")),
                     ("scale-slider", ["End"], ("rnn-readout", "data-log10"))],
    "packing_explorer": [("length-0", ["ArrowRight"], ("batch-sizes", None)),
                         ("length-1", ["Home"], ("hn-error-1", None))],
}


widget_page, one_page_per_widget_and_language = widget_page_fixture(NAMES)


@one_page_per_widget_and_language
class TestWidget:
    def test_tab_reaches_every_control_named_and_with_a_focus_ring(self, widget_page):
        from widget_harness import set_theme

        name, lang, page = widget_page.name, widget_page.lang, widget_page.page
        set_theme(page, None)
        controls = page.evaluate(CONTROLS_JS, FOCUSABLE)
        assert controls, f"{name}: no controls"
        reached, names = [], {}
        page.locator("body").focus()
        for _ in range(len(controls) + 5):
            page.keyboard.press("Tab")
            info = page.evaluate(ACTIVE_JS)
            if info is None:
                break
            assert info["index"] is not None, f"{name}: focus on an element that was not listed"
            reached.append(info["index"])
            names[info["index"]] = info["name"]
            assert info["ring"] not in ("none", ""), f"{name}: no visible focus ring on control {info}"
            assert info["lang"] == lang
        assert sorted(set(reached)) == sorted(controls), \
            f"{name}: Tab missed {set(controls) - set(reached)}"
        assert reached == controls, f"{name}: Tab order {reached}, document order {controls}"
        assert all(names.values()), f"{name}: unnamed controls {[k for k, v in names.items() if not v]}"
        assert not widget_page.errors, widget_page.errors

    @pytest.mark.parametrize("theme", [None, "dark"], ids=["light", "dark"])
    def test_axe_finds_no_serious_violation(self, widget_page, theme):
        from widget_harness import run_axe, set_theme

        set_theme(widget_page.page, theme)
        act(widget_page.page, widget_page.name)
        after = run_axe(widget_page.page)
        assert not impactful(after), impactful(after)
        assert not widget_page.errors, widget_page.errors

    def test_keys_alone_change_what_the_widget_shows(self, widget_page):
        from widget_harness import reload_widget, set_theme

        name, page = widget_page.name, widget_page.page
        assert set(KEYBOARD) == set(NAMES)
        reload_widget(page)  # the keys below start from the stored state, whatever came before
        set_theme(page, None)
        for testid, keys, (shown, attr) in KEYBOARD[name]:
            before = _value(page, shown, attr)
            page.get_by_test_id(testid).focus()
            for key in keys:
                page.keyboard.press(key)
            after = _value(page, shown, attr)
            assert after != before, f"{name}: {keys} on {testid} left {shown} at {before!r}"
            # The redrawn widget keeps the focus where the reader is.
            assert page.evaluate("() => document.querySelector('#root').contains(document.activeElement)")
        assert not widget_page.errors, widget_page.errors
