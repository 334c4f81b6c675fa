"""The gate explorer: its JavaScript step equals lstm_ref's, and lstm_ref's equals torch's."""
import itertools

import numpy as np
import pytest
import torch

import lstm_ref
from lstm_ref.widgets.gate_explorer import PRESETS, RANGES, GateExplorer
from node_esm import run_esm

CONFIGS = [(1, 1, 0), (2, 3, 0), (3, 4, 2), (1, 2, 1)]  # (input_size, hidden_size, proj_size)
SHIFTS = [-500.0, -12.0, -2.5, 0.0, 1.0, 12.0, 500.0]     # +-500: saturated gates, no NaN


def grid(I, H, P, n, seed):
    """n steps with x, h, c spread over the sliders' ranges and bias shifts from SHIFTS."""
    rng = np.random.default_rng(seed)
    H_out = P or H
    shifts = list(itertools.product(SHIFTS, repeat=4))
    for k in range(n):
        yield (rng.uniform(*RANGES["x"], I), rng.uniform(*RANGES["h"], H_out),
               rng.uniform(*RANGES["c"], H), np.array(shifts[rng.integers(len(shifts))]))


def ref_step(w, x, h, c, shift):
    """lstm_ref's step with the shift folded into b_hh (H rows per gate)."""
    W_ih, W_hh, b_ih = np.array(w.weight_ih), np.array(w.weight_hh), np.array(w.bias_ih)
    H = W_hh.shape[0] // 4
    b_hh = np.array(w.bias_hh) + np.repeat(shift, H)
    W_hr = np.array(w.weight_hr) if w.weight_hr else None
    h_t, c_t = lstm_ref.lstm_cell(x, (h, c), W_ih, W_hh, b_ih, b_hh, W_hr)
    if W_hr is None:
        gates = lstm_ref.lstm_gates(x, h, W_ih, W_hh, b_ih, b_hh)
    else:  # lstm_gates takes no weight_hr: the gates by hand, from torch's row blocks
        z = W_ih @ x + b_ih + W_hh @ h + b_hh
        sig = lstm_ref.sigmoid
        gates = lstm_ref.Gates(sig(z[:H]), sig(z[H:2 * H]), np.tanh(z[2 * H:3 * H]), sig(z[3 * H:]))
    return gates, c_t, h_t


@pytest.mark.parametrize("I, H, P", CONFIGS)
def test_js_step_equals_lstm_ref_over_a_grid(I, H, P):
    w = GateExplorer(I, H, P, seed=I + 10 * H + 100 * P)
    steps = list(grid(I, H, P, 60, seed=H))
    cases = [[{"x": x.tolist(), "h": h.tolist(), "c": c.tolist(), "weight_ih": w.weight_ih,
               "weight_hh": w.weight_hh, "bias_ih": w.bias_ih, "bias_hh": w.bias_hh,
               "weight_hr": w.weight_hr, "bias_shift": s.tolist()}] for x, h, c, s in steps]
    results = run_esm("gate_explorer.js", "lstmStep", cases)
    for (x, h, c, s), res in zip(steps, results):
        assert "ok" in res, res
        js = res["ok"]
        gates, c_t, h_t = ref_step(w, x, h, c, s)
        for k in "ifgo":
            np.testing.assert_allclose(js[k], getattr(gates, k), rtol=0, atol=1e-12)
        np.testing.assert_allclose(js["c"], c_t, rtol=0, atol=1e-12)
        np.testing.assert_allclose(js["h"], h_t, rtol=0, atol=1e-12)
        assert len(js["h"]) == (P or H) and len(js["c"]) == H


def test_js_sigmoid_is_stable_and_exact():
    z = [-1000.0, -30.0, -1.0, 0.0, 0.5, 30.0, 1000.0]
    res = run_esm("gate_explorer.js", "sigmoid", [[v] for v in z])
    np.testing.assert_allclose([r["ok"] for r in res], lstm_ref.sigmoid(np.array(z)), atol=1e-15)
    np.testing.assert_allclose([r["ok"] for r in res], torch.sigmoid(torch.tensor(z, dtype=torch.float64)),
                               atol=1e-15)


@pytest.mark.parametrize("I, H, P", CONFIGS)
def test_step_equals_torch(I, H, P):
    """GateExplorer.step (lstm_ref) against one time step of torch.nn.LSTM with the same weights."""
    torch.manual_seed(I + H + P)
    module = torch.nn.LSTM(I, H, proj_size=P).double()
    w = GateExplorer.from_lstm(module)
    for x, h, c, s in grid(I, H, P, 10, seed=P):
        w.x, w.h_prev, w.c_prev, w.bias_shift = x.tolist(), h.tolist(), c.tolist(), s.tolist()
        _, c_t, h_t = w.step()
        with torch.no_grad():
            module.bias_hh_l0.copy_(torch.tensor(w.bias_hh) + torch.tensor(s).repeat_interleave(H))
            _, (h_n, c_n) = module(torch.tensor(x)[None], (torch.tensor(h)[None], torch.tensor(c)[None]))
        np.testing.assert_allclose(c_t, c_n[0].numpy(), atol=1e-12)
        np.testing.assert_allclose(h_t, h_n[0].numpy(), atol=1e-12)


def test_traits_are_layer_0_of_the_module():
    torch.manual_seed(3)
    module = torch.nn.LSTM(2, 3, num_layers=2, proj_size=1)
    w = GateExplorer.from_lstm(module)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr"):
        expected = getattr(module, name + "_l0").detach().double().numpy()
        np.testing.assert_allclose(np.array(getattr(w, name)), expected, atol=1e-7)
    assert (len(w.x), len(w.h_prev), len(w.c_prev)) == (2, 1, 3)


@pytest.mark.parametrize("seed", range(5))
def test_presets_do_what_their_labels_say(seed):
    """The claims printed on the buttons hold for every input in the sliders' ranges."""
    w = GateExplorer(1, 1, seed=seed)
    claims = {  # preset -> |quantity that should be ~0|
        "keep": lambda g, c, c_t, h_t: c_t - c,
        "forget": lambda g, c, c_t, h_t: c_t,
        "write": lambda g, c, c_t, h_t: c_t - g.g,
        "add": lambda g, c, c_t, h_t: c_t - (c + g.g),
        "hide": lambda g, c, c_t, h_t: h_t,
    }
    assert set(claims) == set(PRESETS)
    for x, h, c in itertools.product(np.linspace(*RANGES["x"], 5), np.linspace(*RANGES["h"], 3),
                                     np.linspace(*RANGES["c"], 5)):
        for name, claim in claims.items():
            w.x, w.h_prev, w.c_prev = [x], [h], [c]
            w.apply_preset(name)
            gates, c_t, h_t = w.step()
            assert abs(claim(gates, c, c_t, h_t)[0]) < 0.01, (name, x, h, c)


def test_reset_restores_the_start():
    w = GateExplorer(2, 2, seed=1)
    start = (w.x, w.h_prev, w.c_prev)
    w.apply_preset("forget")
    w.x = [0.3, 0.2]
    w.apply_preset("reset")
    assert (w.x, w.h_prev, w.c_prev, w.bias_shift) == (*start, [0.0] * 4)


def test_bad_arguments_name_expected_and_got():
    with pytest.raises(ValueError, match="Expected x of size 2, got 3"):
        GateExplorer(2, 3, x=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"Expected a preset in \['keep'.*got 'nope'"):
        GateExplorer().apply_preset("nope")


def shown(page, key, n):
    return np.array([float(page.get_by_test_id(f"readout-{key}-{j}").get_attribute("data-value"))
                     for j in range(n)])


def assert_page_equals_lstm_ref(page, w):
    gates, c_t, h_t = w.step()
    for k in "ifgo":
        np.testing.assert_allclose(shown(page, k, len(c_t)), getattr(gates, k), atol=1e-12)
    np.testing.assert_allclose(shown(page, "c", len(c_t)), c_t, atol=1e-12)
    np.testing.assert_allclose(shown(page, "h", len(h_t)), h_t, atol=1e-12)


@pytest.mark.parametrize("I, H, P", [(1, 1, 0), (2, 3, 2)])
def test_rendered_widget_shows_lstm_refs_step(browser, tmp_path, I, H, P):
    """In Chromium: move sliders and click presets; every readout equals lstm_ref's step."""
    from widget_harness import rendered, set_range

    w = GateExplorer(I, H, P, seed=0)
    with rendered(browser, w, tmp_path) as page:
        assert page.locator(".lstm-widget.lstm-widget-gate_explorer").count() == 1
        assert_page_equals_lstm_ref(page, w)
        moves = [("slider-c-0", "c_prev", 0, -2.0), ("slider-x-0", "x", 0, 0.35),
                 ("slider-h-0", "h_prev", 0, -0.5), ("slider-bias-o", "bias_shift", 3, 3.5)]
        for testid, trait, j, value in moves:
            set_range(page, testid, value)
            v = list(getattr(w, trait))
            v[j] = value
            setattr(w, trait, v)
            assert_page_equals_lstm_ref(page, w)
        for name in [*PRESETS, "reset"]:
            page.get_by_test_id(f"preset-{name}").click()
            w.apply_preset(name)
            assert_page_equals_lstm_ref(page, w)
