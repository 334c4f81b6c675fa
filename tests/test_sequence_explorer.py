"""The sequence explorer's data and its browser-side math, checked against torch in the same run."""
import json
import pathlib
import shutil
import subprocess

import numpy as np
import pytest
import torch

import lstm_ref
from lstm_ref.trace import trace, trace_lstm
from lstm_ref.widgets.sequence_explorer import SequenceExplorer

JS = pathlib.Path(lstm_ref.__file__).parent / "widgets" / "sequence_explorer.js"
NODE = shutil.which("node")


def torch_steps(module, x):
    """h_t and c_t of every t from torch itself: c_t is c_n of the prefix x[:t+1]."""
    with torch.no_grad():
        out, _ = module(x)
        cs = torch.stack([module(x[: t + 1])[1][1][0] for t in range(x.shape[0])])
    return out.numpy(), cs.numpy()


def torch_gates(module, x, h_prev):
    """The gates with torch ops, from the module's weights (independent of lstm_ref)."""
    with torch.no_grad():
        z = (x @ module.weight_ih_l0.T + module.bias_ih_l0
             + h_prev @ module.weight_hh_l0.T + module.bias_hh_l0)
        i, f, g, o = z.chunk(4, dim=-1)
        return [a.numpy() for a in (torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g),
                                    torch.sigmoid(o))]


@pytest.fixture(params=[torch.float64, torch.float32])
def setup(request):
    torch.manual_seed(3)
    module = torch.nn.LSTM(5, 3).to(request.param)
    x = torch.randn(6, 5, dtype=request.param)
    return module, x, 1e-10 if request.param == torch.float64 else 1e-5


def test_traits_match_torch(setup):
    module, x, tol = setup
    w = SequenceExplorer(module, x)
    s = {k: np.array(v) for k, v in w.steps.items()}
    out, cs = torch_steps(module, x)
    assert s["x"].shape == (6, 5) and s["h"].shape == (6, 3)
    np.testing.assert_allclose(s["x"], x.numpy(), atol=0)
    np.testing.assert_allclose(s["h"], out, atol=tol)
    np.testing.assert_allclose(s["c"], cs, atol=tol)
    h_prev = torch.cat([torch.zeros(1, 3, dtype=x.dtype), torch.from_numpy(out[:-1])])
    for key, expected in zip("ifgo", torch_gates(module, x, h_prev)):
        np.testing.assert_allclose(s[key], expected, atol=tol)
    # ... and the documented one-step API agrees at every t.
    p = {k: v.detach().numpy() for k, v in module.state_dict().items()}
    for t in range(6):
        gates = lstm_ref.lstm_gates(x[t].numpy(), h_prev[t].numpy(), p["weight_ih_l0"],
                                    p["weight_hh_l0"], p["bias_ih_l0"], p["bias_hh_l0"])
        for key in "ifgo":
            np.testing.assert_allclose(s[key][t], getattr(gates, key), atol=tol)
    assert w.t == 0 and s["h0"].tolist() == [0, 0, 0] and s["c0"].tolist() == [0, 0, 0]


def test_feed_recomputes(setup):
    module, x, tol = setup
    w = SequenceExplorer(lstm_ref.LSTM.from_torch(module), x)
    w.t = 4
    x2 = torch.randn(3, 5, dtype=x.dtype)
    w.feed(x2.numpy())
    out, cs = torch_steps(module, x2)
    assert w.t == 0
    np.testing.assert_allclose(w.steps["h"], out, atol=tol)
    np.testing.assert_allclose(w.steps["c"], cs, atol=tol)


def test_initial_state_and_reverse_trace():
    torch.manual_seed(4)
    module = torch.nn.LSTM(2, 4, bidirectional=True).double()
    x = torch.randn(5, 3, 2, dtype=torch.float64)
    hx = (torch.randn(2, 3, 4, dtype=torch.float64), torch.randn(2, 3, 4, dtype=torch.float64))
    with torch.no_grad():
        out, (h_n, c_n) = module(x, hx)
    fwd = trace_lstm(module, x.numpy(), 0, 0, (hx[0][0].numpy(), hx[1][0].numpy()))
    bwd = trace_lstm(module, x.numpy(), 0, 1, (hx[0][1].numpy(), hx[1][1].numpy()))
    np.testing.assert_allclose(fwd.h, out[..., :4].numpy(), atol=1e-12)
    np.testing.assert_allclose(bwd.h, out[..., 4:].numpy(), atol=1e-12)
    np.testing.assert_allclose(fwd.c[-1], c_n[0].numpy(), atol=1e-12)
    np.testing.assert_allclose(bwd.c[0], c_n[1].numpy(), atol=1e-12)  # backward ends at t=0


def test_projection_trace_matches_torch():
    torch.manual_seed(5)
    module = torch.nn.LSTM(3, 4, proj_size=2).double()
    x = torch.randn(4, 3, dtype=torch.float64)
    with torch.no_grad():
        out, (h_n, c_n) = module(x)
    tr = trace_lstm(module, x.numpy())
    assert tr.h.shape == (4, 2) and tr.c.shape == (4, 4) and tr.i.shape == (4, 4)
    np.testing.assert_allclose(tr.h, out.numpy(), atol=1e-12)
    np.testing.assert_allclose(tr.c[-1], c_n[0].numpy(), atol=1e-12)


def test_bad_input_raises():
    torch.manual_seed(0)
    with pytest.raises(ValueError, match="one-layer, one-direction"):
        SequenceExplorer(torch.nn.LSTM(5, 3, bidirectional=True), torch.randn(4, 5))
    with pytest.raises(ValueError, match="one-layer, one-direction"):
        SequenceExplorer(torch.nn.LSTM(5, 3, num_layers=2), torch.randn(4, 5))
    w = SequenceExplorer(torch.nn.LSTM(5, 3), torch.randn(4, 5))
    with pytest.raises(ValueError, match="Expected input to be 2D .* got 3D"):
        w.feed(np.zeros((4, 1, 5), np.float32))
    with pytest.raises(ValueError, match="inconsistent input_size: got 4 expected 5"):
        w.feed(np.zeros((4, 4), np.float32))
    with pytest.raises(ValueError, match="Expected input to be 2D or 3D, got 1D"):
        trace(np.zeros(5), np.zeros((12, 5)), np.zeros((12, 3)))
    with pytest.raises(ValueError, match="layer must be in"):
        trace_lstm(torch.nn.LSTM(5, 3), np.zeros((4, 5), np.float32), layer=1)


def run_node(script: str, payload) -> object:
    proc = subprocess.run([NODE, "--input-type=module", "-e", script], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_js_step_math_matches_torch():
    """The browser recomputes c_t = f*c_{t-1} + i*g and h_t = o*tanh(c_t); compare with torch."""
    torch.manual_seed(7)
    module = torch.nn.LSTM(4, 5).double()
    x = torch.randn(7, 4, dtype=torch.float64)
    h0, c0 = torch.randn(1, 5, dtype=torch.float64), torch.randn(1, 5, dtype=torch.float64)
    w = SequenceExplorer(module, x, hx=(h0[0].numpy(), c0[0].numpy()))
    script = f"""
    import {{ frame, clampStep, ROWS }} from {json.dumps(JS.as_uri())};
    let s = ''; process.stdin.on('data', d => s += d);
    process.stdin.on('end', () => {{
      const steps = JSON.parse(s);
      const frames = [...Array(steps.h.length).keys()].map(t => frame(steps, t));
      console.log(JSON.stringify({{ frames, clamp: [clampStep(-3, 7), clampStep(99, 7), clampStep(2.4, 7)],
                                    rows: ROWS.map(r => r.key) }}));
    }});
    """
    got = run_node(script, w.steps)
    with torch.no_grad():
        out, _ = module(x, (h0, c0))
        cs = torch.stack([module(x[: t + 1], (h0, c0))[1][1][0] for t in range(7)]).numpy()
    out = out.numpy()
    for t, fr in enumerate(got["frames"]):
        assert fr["t"] == t and fr["T"] == 7
        np.testing.assert_allclose(fr["cNext"], cs[t], atol=1e-12)
        np.testing.assert_allclose(fr["hNext"], out[t], atol=1e-12)
        np.testing.assert_allclose(np.add(fr["kept"], fr["written"]), cs[t], atol=1e-12)
        np.testing.assert_allclose(fr["cPrev"], c0[0].numpy() if t == 0 else cs[t - 1], atol=1e-12)
        np.testing.assert_allclose(fr["hPrev"], h0[0].numpy() if t == 0 else out[t - 1], atol=1e-12)
    assert got["clamp"] == [0, 6, 2]
    assert got["rows"] == ["x", "i", "f", "g", "o", "c", "h"]


def test_rendered_widget_steps_through_torchs_sequence(browser, tmp_path):
    """In Chromium: the buttons, slider, column click and play show step t of torch's run."""
    from widget_harness import rendered, set_range

    torch.manual_seed(8)
    module = torch.nn.LSTM(2, 3).double()
    x = torch.randn(5, 2, dtype=torch.float64)
    out, cs = torch_steps(module, x)
    w = SequenceExplorer(module, x, title="test")

    def shown(page, key):
        return [float(page.get_by_test_id(f"value-{key}-{k}").text_content()) for k in range(3)]

    def assert_shows(page, t):
        assert page.get_by_test_id("t-label").text_content().startswith(f"t = {t} ")
        np.testing.assert_allclose(shown(page, "h"), out[t], atol=5.1e-4)
        np.testing.assert_allclose(shown(page, "c"), cs[t], atol=5.1e-4)
        np.testing.assert_allclose(shown(page, "c_prev"), cs[t - 1] if t else 0, atol=5.1e-4)

    with rendered(browser, w, tmp_path) as page:
        assert page.locator(".lstm-widget.lstm-widget-sequence-explorer").count() == 1
        assert page.get_by_test_id("title").text_content() == "test"
        assert_shows(page, 0)
        page.get_by_test_id("prev").click()          # clamped at t = 0
        assert_shows(page, 0)
        page.get_by_test_id("next").click()
        assert_shows(page, 1)
        set_range(page, "slider", 3)
        assert_shows(page, 3)
        page.get_by_test_id("column-2").click()
        assert_shows(page, 2)
        page.get_by_test_id("play").click()
        page.wait_for_function("document.querySelector('[data-testid=t-label]').textContent.startsWith('t = 4 ')",
                               timeout=10000)
        assert_shows(page, 4)
        assert page.evaluate("window.widgetState.t") == 4   # the trait follows the page
