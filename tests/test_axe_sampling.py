"""run_axe checks highlighted code once per look of a token (widget_harness.AXE_RUN_JS): a
token that reads badly is still found wherever it is, and the page is left as it was."""
import pytest

from widget_harness import run_axe

# Pygments' markup: div.highlight > pre > span.<token>, on the code block's own background.
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>code</title><style>
body { background: #ffffff; color: #1a1a1a; font: 16px monospace; }
div.highlight { background: #f8f8f8; }
.n { color: #1a1a1a; }  .k { color: #0b4f00; }
.hll { background: #3a3a3a; color: #ffffff; }  /* a highlighted line: a dark band */
.faded { opacity: 0.25; }  .p { color: #c8c8c8; }
</style></head><body><main>%s</main></body></html>"""
GOOD = '<span class="n">value</span> <span class="k">def</span> '


def _block(inner, wrap=""):
    code = f'<div class="highlight"><pre>{inner}</pre></div>'
    return f'<div class="{wrap}">{code}</div>' if wrap else code


def _contrast(browser, body):
    """(nodes axe's contrast rule flags, run_axe's stats, whether the page came back as it was)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(PAGE % body)
        before = page.evaluate("() => document.body.innerHTML")
        stats = {}
        violations = run_axe(page, None, ["color-contrast"], stats=stats)
        restored = page.evaluate("() => document.body.innerHTML") == before
        return [n["html"] for v in violations for n in v["nodes"]], stats, restored
    finally:
        context.close()


def test_repeated_tokens_are_checked_once(browser):
    flagged, stats, restored = _contrast(browser, _block(GOOD * 200) + _block(GOOD * 50))
    assert flagged == []
    assert stats == {"looks": 2, "unwrapped": 2 * 250 - 2}
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
