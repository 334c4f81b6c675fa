"""The book's colours stay apart for readers with a colour-vision deficiency, and text drawn in
them is dark enough to read (WCAG AA).

Deficiencies are simulated with the matrices of Machado, Oliveira and Fernandes (2009), "A
physiologically-based model for simulation of color vision deficiency", IEEE TVCG 15(6), at
severity 1.0 (dichromacy: protanopia, deuteranopia, tritanopia), applied in linear RGB. Two
colours count as distinguishable if their CIE76 colour difference (Euclidean distance in CIE
L*a*b*, D65) is at least MIN_DELTA_E.

Why 15: a ΔE76 of about 2.3 is a just-noticeable difference for large, adjacent patches, but the
book's colours mark thin lines, small dots, 9-pixel bars and legend swatches, often apart from
each other; the discrimination threshold grows quickly as marks shrink (Stone, Albers Szafir and
Setlur 2014, "An engineering model for color difference as a function of size", report ~5-10
for small marks at 50 % reliability), and categorical colours must be told apart at a glance,
not merely noticed. 15 keeps a margin of about 2x over the small-mark threshold. The Okabe-Ito
palette's closest simulated pair is ΔE 16.1 (tritanopia, g vs h); common "bad" pairs fail:
CSS red vs green gives 10.4 under protanopia, matplotlib's tab:red vs tab:green 7.3 under
deuteranopia.
"""
import itertools
import json
import shutil
import subprocess

import numpy as np
import pytest

from lstm_ref.gradient_plots import MODEL_COLORS
from lstm_ref.style import (CARD_BACKGROUND, CARD_SURFACE, GATE_COLORS, TEXT_COLORS, contrast_ratio,
                            text_color)
from lstm_ref.widgets.index_explorer import DIRECTION_COLORS

MIN_DELTA_E = 15.0

MACHADO_2009 = {  # severity 1.0, linear RGB
    "protanopia": [[0.152286, 1.052583, -0.204868],
                   [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968],
                     [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779],
                   [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
VISIONS = {"typical": np.eye(3).tolist(), **MACHADO_2009}

# The colours that appear together: every gate and state in the gate and sequence explorers,
# the two directions of the index explorer, the two models of the gradient lab and figures.
GROUPS = {"gates and states": GATE_COLORS, "directions": DIRECTION_COLORS, "models": MODEL_COLORS}


def linear_rgb(hex_color):
    c = np.array([int(hex_color[k:k + 2], 16) / 255 for k in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(lin):
    """CIE L*a*b* (D65) of a linear-RGB (sRGB primaries) colour, clipped to the gamut."""
    xyz = np.array([[0.4124564, 0.3575761, 0.1804375],
                    [0.2126729, 0.7151522, 0.0721750],
                    [0.0193339, 0.1191920, 0.9503041]]) @ np.clip(lin, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    d = 6 / 29
    f = np.where(t > d ** 3, np.cbrt(t), t / (3 * d * d) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b, vision):
    m = np.array(VISIONS[vision])
    return float(np.linalg.norm(lab(m @ linear_rgb(a)) - lab(m @ linear_rgb(b))))


def closest_pair(colors, vision):
    return min((delta_e(colors[p], colors[q], vision), p, q) for p, q in itertools.combinations(colors, 2))


def test_simulation_is_sane():
    # Each matrix keeps white white (rows sum to 1) and grey grey; ΔE is 0 for equal colours.
    for m in MACHADO_2009.values():
        np.testing.assert_allclose(np.sum(m, axis=1), 1.0, atol=1e-3)
    assert delta_e("#555555", "#555555", "deuteranopia") == 0
    assert abs(delta_e("#000000", "#ffffff", "typical") - 100) < 0.01
    # Red and green collapse for red-green deficiencies, blue and yellow-green do not.
    assert delta_e("#D62728", "#2CA02C", "deuteranopia") < 10 < delta_e("#D62728", "#2CA02C", "typical")


@pytest.mark.parametrize("vision", list(VISIONS))
@pytest.mark.parametrize("group", list(GROUPS))
def test_colours_shown_together_stay_distinguishable(group, vision):
    d, p, q = closest_pair(GROUPS[group], vision)
    assert d >= MIN_DELTA_E, f"{group}, {vision}: {p} and {q} are only ΔE {d:.1f} apart"


@pytest.mark.parametrize("bad, vision", [({"r": "#FF0000", "g": "#008000"}, "protanopia"),
                                         ({"r": "#D62728", "g": "#2CA02C"}, "deuteranopia"),
                                         ({"r": "#CC0000", "g": "#00A000"}, "deuteranopia")])
def test_the_check_fails_on_a_bad_palette(bad, vision):
    d, _, _ = closest_pair(bad, vision)
    assert d < MIN_DELTA_E, (bad, vision, d)


def test_palette_delta_e_report(capsys):
    """The closest pair per vision (printed with -s; the figures of the report)."""
    for vision in VISIONS:
        d, p, q = closest_pair(GATE_COLORS, vision)
        print(f"{vision:13s} closest pair {p}-{q}: ΔE76 {d:.1f}")
    assert "closest" in capsys.readouterr().out


def test_text_colours_reach_wcag_aa_on_the_card():
    for k, c in TEXT_COLORS.items():
        for bg in (CARD_BACKGROUND, CARD_SURFACE):
            assert contrast_ratio(c, bg) >= 4.5, (k, c, bg, contrast_ratio(c, bg))
    # The palette itself is too light for text: that is why TEXT_COLORS exists.
    assert contrast_ratio(GATE_COLORS["c"], "#ffffff") < 4.5 and contrast_ratio(GATE_COLORS["h"], "#ffffff") < 4.5
    # Already dark enough colours are kept as they are.
    assert TEXT_COLORS["x"] == GATE_COLORS["x"].lower() and TEXT_COLORS["i"] == GATE_COLORS["i"].lower()
    # Darkening keeps the hue: the text colours stay apart (typical vision) as the fills do.
    assert closest_pair(TEXT_COLORS, "typical")[0] >= 10


def test_javascript_text_colour_equals_python():
    """_common.js's bookTextColor (used for the index explorer's direction colours) is text_color."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    from lstm_ref.widgets._base import COMMON_JS, HERE
    src = (HERE / COMMON_JS).read_text() + "\nexport { bookTextColor, bookContrast };\n"
    colors = list(GATE_COLORS.values()) + ["#ffffff", "#777777", "#abcdef"]
    script = ("const m = await import('data:text/javascript;charset=utf-8,' + encodeURIComponent(%s));"
              "console.log(JSON.stringify(%s.map((c) => [m.bookTextColor(c), m.bookContrast(c, '#ffffff')])));"
              % (json.dumps(src), json.dumps(colors)))
    proc = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    for c, (js, ratio) in zip(colors, json.loads(proc.stdout)):
        py = text_color(c)
        # Python rounds halves to even, JavaScript up: allow one step of 1/255 per channel.
        assert max(abs(int(js[k:k + 2], 16) - int(py[k:k + 2], 16)) for k in (1, 3, 5)) <= 1, (c, js, py)
        assert abs(ratio - contrast_ratio(c, "#ffffff")) < 1e-9
