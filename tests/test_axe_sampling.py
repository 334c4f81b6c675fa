"""run_axe checks colour contrast once per look (widget_harness.AXE_RUN_JS), with the code
spans of a look but one unwrapped and the equations emptied: text that reads badly is still
found wherever it is, and the page is left as it was, its own nodes in place."""
import pytest

from widget_harness import run_axe

# Pygments' markup: div.highlight > pre > span.<token>, on the code block's own background.
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>code</title><style>
body { background: #ffffff; color: #1a1a1a; font: 16px monospace; }
div.highlight { background: #f8f8f8; }
.n { color: #1a1a1a; }  .k { color: #0b4f00; }
.hll { background: #3a3a3a; color: #ffffff; }  /* a highlighted line: a dark band */
.faded { opacity: 0.25; }  .p { color: #c8c8c8; }
p { color: #1a1a1a; }  a { color: #0b4f8a; text-decoration: underline; }
.note { background: #3a3a3a; }  .bar { position: absolute; inset: 0; background: #3a3a3a; }
.label { position: relative; color: #1a1a1a; }
</style></head><body><main>%s</main></body></html>"""
GOOD = '<span class="n">value</span> <span class="k">def</span> '


def _block(inner, wrap=""):
    code = f'<div class="highlight"><pre>{inner}</pre></div>'
    return f'<div class="{wrap}">{code}</div>' if wrap else code


# Every element of the page gets a mark (an expando property): the page came back with its own
# nodes, not copies, if every element still has it (MathJax keeps references to its nodes).
MARK_JS = "() => { for (const e of document.body.querySelectorAll('*')) e.__mark = true; }"
MARKED_JS = "() => Array.from(document.body.querySelectorAll('*')).every((e) => e.__mark === true)"


def _contrast(browser, body, rules=("color-contrast",)):
    """(nodes axe flags, run_axe's stats, whether the page came back as it was, with its nodes)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(PAGE % body)
        before = page.evaluate("() => document.body.innerHTML")
        page.evaluate(MARK_JS)
        stats = {}
        violations = run_axe(page, None, list(rules), stats=stats)
        restored = page.evaluate("() => document.body.innerHTML") == before and page.evaluate(MARKED_JS)
        return [n["html"] for v in violations for n in v["nodes"]], stats, restored
    finally:
        context.close()


def test_repeated_tokens_are_checked_once(browser):
    flagged, stats, restored = _contrast(browser, _block(GOOD * 200) + _block(GOOD * 50))
    assert flagged == []
    assert (stats["looks"], stats["unwrapped"]) == (2, 2 * 250 - 2)
    assert restored


def test_repeated_paragraphs_are_checked_once_and_equations_come_back(browser):
    # What MathJax's CHTML output looks like: glyphs as CSS content of nested elements.
    math = ('<mjx-container class="MathJax" jax="CHTML"><mjx-math><mjx-mi><mjx-c class="mjx-c1D465">'
            '</mjx-c></mjx-mi></mjx-math></mjx-container>')
    body = f"<p>Some text {math} and more.</p>" * 100 + "<p>A longer paragraph, the one kept.</p>"
    flagged, stats, restored = _contrast(browser, body)
    assert flagged == []
    assert stats["equations"] == 100
    assert stats["texts"] == 101 and stats["checked"] == 1, stats
    assert restored


@pytest.mark.parametrize("case, body", [
    # The keyword's dark green on a dark highlighted line (whose own white text reads well),
    # after 100 readable keywords.
    ("darker background", _block(GOOD * 100) + _block(GOOD * 3 + '<span class="hll"><span class="k">if</span></span>')),
    # The same token in a block faded to a quarter opacity.
    ("faded ancestor", _block(GOOD * 100) + _block(GOOD * 3, wrap="faded")),
    # A token whose own colour fails.
    ("pale token", _block(GOOD * 100) + _block(GOOD + '<span class="n" style="color: #c8c8c8">pale</span>')),
    # A pale look first seen as one character, which axe passes over, then as a word.
    ("pale, first a character", _block(GOOD * 100 + '<span class="p">(</span>' * 20)
     + _block('<span class="p">paleword</span>')),
])
def test_a_token_that_reads_badly_is_found_after_many_that_read_well(browser, case, body):
    flagged, stats, restored = _contrast(browser, body)
    assert flagged, f"{case}: axe's contrast rule found nothing"
    assert stats["unwrapped"] > 100, stats  # the sampling did leave the repeats out
    assert restored


# In a div, as the paragraphs that follow are: the same depth below <body>.
PARAGRAPHS = "<div>" + "<p>A paragraph that reads well, with a <a href='#'>link</a> in it.</p>" * 100 + "</div>"


@pytest.mark.parametrize("case, body", [
    # The same paragraph on a dark note, after 100 on the page's white.
    ("darker background", PARAGRAPHS + '<div class="note"><p>A note.</p></div>'),
    # The same paragraph faded to a quarter opacity.
    ("faded ancestor", PARAGRAPHS + '<div class="faded"><p>Faded.</p></div>'),
    # A paragraph whose own colour fails.
    ("pale paragraph", PARAGRAPHS + '<p style="color: #c8c8c8">Pale.</p>'),
    # Text of a widget drawn over a dark bar that is a sibling, not an ancestor: inside a
    # widget every element is checked.
    ("widget label on a drawn bar", '<div class="lstm-widget">'
     + '<div style="position: relative"><span class="label">label</span></div>' * 20
     + '<div style="position: relative"><div class="bar"></div><span class="label">label</span></div></div>'),
])
def test_text_that_reads_badly_is_found_after_much_that_reads_well(browser, case, body):
    flagged, stats, restored = _contrast(browser, body)
    assert flagged, f"{case}: axe's contrast rule found nothing"
    assert restored


def test_a_link_told_apart_by_colour_alone_is_found_after_many_that_read_well(browser):
    # A blue link without underline reads as a link in dark text, not in blue text. The blue
    # paragraph with the link is not the longest blue one, and the link looks like all the
    # others: only the colour of the text around it tells it apart.
    plain = "text-decoration: none; color: #2a7ae2"
    body = ("<div>" + f"<p>Dark text with a <a href='#' style='{plain}'>link</a> in it, long enough.</p>" * 100
            + '<p style="color: #3060d0">A long blue paragraph without any link, longer than the next.</p>'
            + f'<p style="color: #3060d0">Blue text, <a href="#" style="{plain}">link</a>.</p></div>')
    flagged, stats, restored = _contrast(browser, body, rules=("link-in-text-block",))
    assert flagged, "link-in-text-block found nothing"
    assert stats["checked"] < 10, stats  # the sampling did leave the repeats out
    assert restored
