"""The widgets on a dark page and on a phone: each sits on its own light card (explicit
background, text colour, border, padding), so its colours keep their contrast when the book is
in dark mode (pydata-sphinx-theme's ``<html data-theme="dark">``); at 390 px wide it stays inside
the page (it scrolls inside its own box) and its controls are touch-sized (>= 24 px).

Each widget is rendered once per language (``widget_page``) for the tests of ``TestCard``, which
switch the page's theme and width as a reader's browser does. Screenshots of every widget in
en/zh-CN, light/dark, 1024/390 px, and in JupyterLab's dark theme at 1024 px, go to
test-artifacts/widgets/.
"""
import pathlib

import pytest

from widget_cases import NAMES
from widget_harness import widget_page_fixture

ARTIFACTS = pathlib.Path(__file__).resolve().parents[1] / "test-artifacts" / "widgets"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1024, "height": 900}

LAYOUT_JS = """() => {
  const root = document.querySelector('#root');
  const card = root.classList.contains('lstm-widget') ? root : root.querySelector('.lstm-widget');
  const cs = getComputedStyle(card);
  const box = card.getBoundingClientRect();
  const targets = Array.from(card.querySelectorAll('input, select, button, [role=button]')).map((e) => {
    // A checkbox is operated through its whole <label>: that is its target.
    const t = e.type === 'checkbox' && e.closest('label') ? e.closest('label') : e;
    const r = t.getBoundingClientRect();
    return { id: e.getAttribute('data-testid') || e.outerHTML.slice(0, 60), w: r.width, h: r.height };
  });
  return {
    background: cs.backgroundColor, color: cs.color, border: cs.borderTopWidth, padding: cs.paddingTop,
    overflowX: cs.overflowX, maxWidth: cs.maxWidth, left: box.left, right: box.right,
    pageBackground: getComputedStyle(document.body).backgroundColor,
    pageScroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    viewport: document.documentElement.clientWidth, targets,
  };
}"""


def shot_path(name, lang, theme, width):
    return ARTIFACTS / f"{name}-{lang}-{theme}-{width}.png"


widget_page, one_page_per_widget_and_language = widget_page_fixture(NAMES, viewport=DESKTOP)


@one_page_per_widget_and_language
class TestCard:
    @pytest.mark.parametrize("theme", ["light", "dark"])
    def test_card_fits_and_reads_on_light_and_dark_pages(self, widget_page, theme):
        """At 1024 px, then at 390 px: the card, its place in the page and its touch targets;
        at 390 px, axe's contrast rule (test_widget_a11y.py runs every rule, contrast included,
        on the wide page)."""
        from widget_harness import next_frames, run_axe, set_theme

        name, lang, page = widget_page.name, widget_page.lang, widget_page.page
        set_theme(page, None if theme == "light" else "dark")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            next_frames(page)
            page.screenshot(path=str(shot_path(name, lang, theme, viewport["width"])), full_page=True)
            lay = page.evaluate(LAYOUT_JS)
            assert lay["viewport"] <= viewport["width"], lay
            _check_card(name, theme, lay)
        contrast = run_axe(page, rules=["color-contrast"])
        assert not contrast, [(n["html"][:100], n["failureSummary"][:160]) for v in contrast for n in v["nodes"]]
        assert not widget_page.errors, widget_page.errors

    def test_card_reads_in_jupyterlabs_dark_theme(self, widget_page):
        """JupyterLab's dark theme (body[data-jp-theme-light=false]): the same light card, no
        contrast violation."""
        from widget_harness import next_frames, run_axe, set_theme

        name, lang, page = widget_page.name, widget_page.lang, widget_page.page
        set_theme(page, "jupyterlab-dark")
        page.set_viewport_size(DESKTOP)
        next_frames(page)
        page.screenshot(path=str(shot_path(name, lang, "jupyterlab-dark", DESKTOP["width"])), full_page=True)
        lay = page.evaluate(LAYOUT_JS)
        contrast = run_axe(page, rules=["color-contrast"])
        assert lay["pageBackground"] == "rgb(17, 17, 17)"
        assert lay["background"] == "rgb(255, 255, 255)" and lay["color"] == "rgb(26, 26, 26)"
        assert not contrast, [(n["html"][:100], n["failureSummary"][:160]) for v in contrast for n in v["nodes"]]
        assert not widget_page.errors, widget_page.errors


def _check_card(name, theme, lay):
    # The card: light background and dark text whatever the page, a border and padding.
    assert lay["background"] == "rgb(255, 255, 255)", lay
    assert lay["color"] == "rgb(26, 26, 26)", lay
    assert lay["border"] == "1px" and float(lay["padding"].removesuffix("px")) >= 8
    if theme == "dark":
        assert lay["pageBackground"] == "rgb(20, 24, 30)"  # the harness really is dark
    # Inside the page: the widget scrolls in its own box, never the page.
    assert lay["overflowX"] == "auto" and lay["maxWidth"] == "100%"
    assert lay["pageScroll"] <= 0, f"{name}: the page scrolls sideways by {lay['pageScroll']} px at {lay['viewport']} px"
    assert lay["left"] >= 0 and lay["right"] <= lay["viewport"] + 0.5
    # Touch targets (WCAG 2.5.8): at least 24 x 24 CSS px.
    small = [t for t in lay["targets"] if t["w"] < 24 or t["h"] < 24]
    assert not small, f"{name}: targets under 24 px at {lay['viewport']} px: {small[:5]}"
