"""lstm_ref.gradients equals torch autograd Jacobians; the gradient lab's JavaScript selects the right curves."""
import math

import numpy as np
import pytest
import torch

import lstm_ref
from lstm_ref.gradients import (cell_jacobian, connectivity, forget_gates, gradient_lab_grid,
                                input_gradient_norms, set_forget_bias, state_jacobian)
from lstm_ref.widgets.gradient_lab import GradientLab
from node_esm import run_esm


def torch_input_jacobian(module, x):
    """J[t', j, t, i] = d h_{t'}[j] / d x_t[i] for one sequence x (T, I), by torch autograd."""
    return torch.autograd.functional.jacobian(lambda inp: module(inp)[0], torch.from_numpy(x)).numpy()


@pytest.mark.parametrize("kind", ["lstm", "rnn", "lstm_proj"])
def test_input_gradient_norms_and_connectivity_match_torch(kind):
    torch.manual_seed(0)
    module = {"lstm": lambda: torch.nn.LSTM(3, 5), "rnn": lambda: torch.nn.RNN(3, 5),
              "lstm_proj": lambda: torch.nn.LSTM(3, 5, proj_size=2)}[kind]().double()
    model = (lstm_ref.RNN if kind == "rnn" else lstm_ref.LSTM).from_torch(module)
    xs = np.random.default_rng(1).standard_normal((6, 2, 3))
    jac = [torch_input_jacobian(module, xs[:, n]) for n in range(2)]   # (T, P, T, I) each
    want = np.mean([np.sqrt((j[-1] ** 2).sum(axis=(0, 2))) for j in jac], axis=0)
    np.testing.assert_allclose(input_gradient_norms(model, xs), want, rtol=1e-10, atol=1e-14)
    want_conn = np.sqrt((jac[0] ** 2).sum(axis=(1, 3)))                 # (t', t)
    conn = connectivity(model, xs[:, 0])
    np.testing.assert_allclose(conn, want_conn, rtol=1e-10, atol=1e-14)
    assert np.all(np.triu(conn, 1) == 0)  # causality


def test_cell_jacobian_and_forget_gates_match_torch():
    torch.manual_seed(2)
    module = torch.nn.LSTM(3, 4).double()
    model = lstm_ref.LSTM.from_torch(module)
    x = torch.randn(7, 3, dtype=torch.float64)
    c0 = torch.zeros(1, 4, dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(
        lambda c: module(x, (torch.zeros(1, 4, dtype=torch.float64), c))[1][1][0], c0)[:, 0, :]
    np.testing.assert_allclose(cell_jacobian(model, x.numpy()), jac.numpy(), rtol=0, atol=1e-13)
    with torch.no_grad():
        out, _ = module(x)
        h_prev = torch.cat([torch.zeros(1, 4, dtype=torch.float64), out[:-1]])
        pre = x @ module.weight_ih_l0.T + module.bias_ih_l0 + h_prev @ module.weight_hh_l0.T + module.bias_hh_l0
    np.testing.assert_allclose(forget_gates(model, x.numpy()), torch.sigmoid(pre[:, 4:8]).numpy(),
                               rtol=0, atol=1e-13)


@pytest.mark.parametrize("kind", ["lstm", "lstm_proj", "rnn"])
def test_state_jacobian_is_the_joint_state_jacobian_of_torch_autograd(kind):
    """d(h_{T-1}, c_{T-1}) / d(h_{-1}, c_{-1}) for an LSTM (d h / d h for an RNN), from a nonzero state."""
    torch.manual_seed(3)
    module = {"lstm": lambda: torch.nn.LSTM(3, 4), "rnn": lambda: torch.nn.RNN(3, 4),
              "lstm_proj": lambda: torch.nn.LSTM(3, 4, proj_size=2)}[kind]().double()
    model = (lstm_ref.RNN if kind == "rnn" else lstm_ref.LSTM).from_torch(module)
    x = torch.randn(6, 3, dtype=torch.float64)
    P = 2 if kind == "lstm_proj" else 4
    if kind == "rnn":
        s0 = torch.randn(4, dtype=torch.float64)
        want = torch.autograd.functional.jacobian(lambda h: module(x, h[None])[1][0], s0).numpy()
        got = state_jacobian(model, x.numpy(), s0.numpy())
    else:
        s0 = torch.randn(P + 4, dtype=torch.float64)

        def last(s):
            _, (h, c) = module(x, (s[None, :P], s[None, P:]))
            return torch.cat([h[0], c[0]])

        want = torch.autograd.functional.jacobian(last, s0).numpy()
        got = state_jacobian(model, x.numpy(), (s0[:P].numpy(), s0[P:].numpy()))
        np.testing.assert_array_equal(cell_jacobian(model, x.numpy(), (s0[:P].numpy(), s0[P:].numpy())),
                                      got[P:, P:])
    assert got.shape == want.shape == ((P + 4, P + 4) if kind != "rnn" else (4, 4))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-13)


def test_step_jacobians_chain_to_the_sequence_jacobian_and_cc_blocks_are_forget_gates():
    model = lstm_ref.LSTM(3, 4, dtype=np.float64, seed=5)
    x = np.random.default_rng(5).standard_normal((7, 3))
    out, _ = model(x)
    h_prev = np.vstack([np.zeros((1, 4)), out[:-1]])
    c_prev = [np.zeros(4)] + [model(x[:t + 1])[1][1][0] for t in range(6)]
    f = forget_gates(model, x)
    product = np.eye(8)
    for t in range(7):
        step = state_jacobian(model, x[t:t + 1], (h_prev[t], c_prev[t]))
        np.testing.assert_allclose(step[4:, 4:], np.diag(f[t]), rtol=0, atol=1e-15)
        product = step @ product
    np.testing.assert_allclose(product, state_jacobian(model, x), rtol=0, atol=1e-14)


def test_set_forget_bias_sets_only_the_forget_rows():
    model = lstm_ref.LSTM(2, 3, num_layers=2, bidirectional=True, dtype=np.float64, seed=0)
    before = model.state_dict()
    after = set_forget_bias(model, 1.5).state_dict()
    for name in before:
        if name.startswith("bias"):
            total = after[name.replace("_hh", "_ih")] + after[name.replace("_ih", "_hh")]
            np.testing.assert_array_equal(total[3:6], 1.5)
            rows = np.r_[0:3, 6:12]
            np.testing.assert_array_equal(after[name][rows], before[name][rows])
        else:
            np.testing.assert_array_equal(after[name], before[name])


def test_lab_grid_equals_torch_autograd_at_sample_points():
    """Rebuild a few grid curves with torch modules and torch.autograd.functional.jacobian."""
    kw = dict(gaps=(4, 9), forget_biases=(-1.0, 2.0), rnn_scales=(1.0, 3.0), hidden_size=5,
              input_size=2, n_seq=2, seed=7)
    grid = gradient_lab_grid(**kw)
    xs = np.random.default_rng(7).standard_normal((10, 2, 2))
    lstm_sd = lstm_ref.LSTM(2, 5, dtype=np.float64, seed=7).state_dict()
    rnn_sd = lstm_ref.RNN(2, 5, dtype=np.float64, seed=7).state_dict()

    def log_norms(module, gap):
        js = [torch_input_jacobian(module, xs[:gap + 1, n])[-1] for n in range(2)]
        return np.log10(np.mean([np.sqrt((j ** 2).sum(axis=(0, 2))) for j in js], axis=0))[::-1]

    for gi, gap in enumerate(kw["gaps"]):
        for bi, b in enumerate(kw["forget_biases"]):
            module = torch.nn.LSTM(2, 5).double()
            module.load_state_dict({k: torch.from_numpy(v) for k, v in lstm_sd.items()})
            with torch.no_grad():
                module.bias_ih_l0[5:10] = b
                module.bias_hh_l0[5:10] = 0.0
            np.testing.assert_allclose(grid["lstm"][gi][bi], log_norms(module, gap), atol=1e-4)
        for si, s in enumerate(kw["rnn_scales"]):
            module = torch.nn.RNN(2, 5).double()
            module.load_state_dict({k: torch.from_numpy(v) for k, v in rnn_sd.items()})
            with torch.no_grad():
                module.weight_hh_l0 *= s
            np.testing.assert_allclose(grid["rnn"][gi][si], log_norms(module, gap), atol=1e-4)
        assert len(grid["lstm"][gi][0]) == gap + 1


@pytest.fixture(scope="module")
def lab():
    return GradientLab(gap=10, forget_bias=1.0, rnn_scale=1.0, gaps=(5, 10), forget_biases=(0, 1, 2),
                       rnn_scales=(1.0, 2.0), hidden_size=6, n_seq=2)


def test_widget_traits_and_errors(lab):
    assert (lab.gaps, lab.forget_biases, lab.rnn_scales) == ([5, 10], [0.0, 1.0, 2.0], [1.0, 2.0])
    assert (lab.gap_index, lab.bias_index, lab.scale_index) == (1, 1, 0)
    lstm, rnn = lab.selected()
    assert len(lstm) == len(rnn) == 11
    assert "lstm-widget-gradient_lab" in lab._esm and "export default" in lab._esm
    with pytest.raises(ValueError, match=r"gap must be one of \[5, 10\], got 7"):
        GradientLab(gap=7, gaps=(5, 10), hidden_size=2, n_seq=1)


def test_js_selection_and_readouts_equal_the_python_grid(lab):
    data = {k: getattr(lab, k) for k in ("gaps", "forget_biases", "rnn_scales", "lstm", "rnn")}
    positions = [(g, b, s) for g in range(2) for b in range(3) for s in range(2)]
    sel = run_esm("gradient_lab.js", "select", [[data, *p] for p in positions])
    outs = run_esm("gradient_lab.js", "readouts", [[data, *p] for p in positions])
    for (g, b, s), res, r in zip(positions, sel, outs):
        gap = lab.gaps[g]
        assert res["ok"] == {"gap": gap, "lstm": lab.lstm[g][b], "rnn": lab.rnn[g][s]}
        assert r["ok"]["lstm"] == lab.lstm[g][b][gap] and r["ok"]["rnn"] == lab.rnn[g][s][gap]
        assert r["ok"]["ratio"] == pytest.approx(lab.lstm[g][b][gap] - lab.rnn[g][s][gap], abs=1e-4)
    values = [-10.6004, -0.5, 0.0, 2.5987]
    texts = run_esm("gradient_lab.js", "pow10Text", [[v] for v in values])
    for v, t in zip(values, texts):
        assert t["ok"] == f"{10 ** v:.1e}".replace("e-0", "e-").replace("e+0", "e+")
    for g in range(2):
        lo, hi = run_esm("gradient_lab.js", "yRange", [[data, g]])[0]["ok"]
        every = [v for block in (lab.lstm, lab.rnn) for c in block[g] for v in c]
        assert lo == math.floor(min(every)) and hi == math.ceil(max(every))


def test_js_x_ticks_are_integer_distances_at_their_own_positions():
    got = run_esm("gradient_lab.js", "xTicks", [[5], [10], [40], [80]])
    assert [g["ok"] for g in got] == [[0, 1, 3, 4, 5], [0, 3, 5, 8, 10], [0, 10, 20, 30, 40],
                                      [0, 20, 40, 60, 80]]
