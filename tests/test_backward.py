"""lstm_ref's backward (BPTT) equals torch autograd, computed in the same run, and finite differences."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from strategies import lstm_configs

import lstm_ref
from lstm_ref.bptt import step_backward
from lstm_ref.cell import step_forward

TOL64 = 1e-9


def configs():
    return lstm_configs(max_input=5, max_hidden=5)


def torch_grads(module, x, hx, grads_out):
    """torch autograd of sum(output*go) + sum(h_n*gh) + sum(c_n*gc): grads of params, input, h_0, c_0."""
    x = x.clone().requires_grad_(True)
    hx = tuple(t.clone().requires_grad_(True) for t in hx)
    module.zero_grad()
    out, (h, c) = module(x, hx)
    go, gh, gc = grads_out
    loss = (out * go).sum() + (0 if gh is None else (h * gh).sum()) + (0 if gc is None else (c * gc).sum())
    loss.backward()
    result = {k: p.grad.clone() for k, p in module.named_parameters()}
    result.update(input=x.grad, h_0=hx[0].grad, c_0=hx[1].grad)
    return {k: v.numpy() for k, v in result.items()}


def assert_grads_close(got, want, tol):
    assert list(got) == list(want)  # same keys, in torch's order
    for k in want:
        assert got[k].shape == want[k].shape, k
        err = np.abs(got[k] - want[k]).max()
        assert err <= tol, f"{k}: max |diff| {err:.3e}"


@given(cfg=configs(), T=st.integers(1, 5), B=st.integers(1, 3), unbatched=st.booleans(),
       with_h=st.booleans(), with_c=st.booleans(), seed=st.integers(0, 2**16))
def test_backward_matches_torch_autograd(cfg, T, B, unbatched, with_h, with_c, seed):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(**cfg).double()
    model = lstm_ref.LSTM.from_torch(module)
    D = 2 if cfg["bidirectional"] else 1
    H_out = cfg["proj_size"] or cfg["hidden_size"]
    lead = (T,) if unbatched else ((B, T) if cfg["batch_first"] else (T, B))
    state = (D * cfg["num_layers"],) + (() if unbatched else (B,))
    x = torch.randn(*lead, cfg["input_size"], dtype=torch.float64)
    hx = (torch.randn(*state, H_out, dtype=torch.float64),
          torch.randn(*state, cfg["hidden_size"], dtype=torch.float64))
    go = torch.randn(*lead, D * H_out, dtype=torch.float64)
    gh = torch.randn(*state, H_out, dtype=torch.float64) if with_h else None
    gc = torch.randn(*state, cfg["hidden_size"], dtype=torch.float64) if with_c else None
    want = torch_grads(module, x, hx, (go, gh, gc))

    model(x.numpy(), tuple(t.numpy() for t in hx))
    got = model.backward(go.numpy(), None if gh is None else gh.numpy(),
                         None if gc is None else gc.numpy())
    assert_grads_close(got, want, TOL64)


PADDING_FILLS = [np.nan, np.inf, -np.inf, 1e30, -1e30]


def with_padding(a, pad, fill):
    """A copy of ``a`` with ``fill`` at the padding positions ``pad``."""
    a = np.array(a, copy=True)
    a[pad] = fill
    return a


@given(cfg=configs(), T=st.integers(1, 6), data=st.data(), seed=st.integers(0, 2**16),
       fill=st.sampled_from(PADDING_FILLS))
def test_backward_with_lengths_matches_packed_sequence(cfg, T, data, seed, fill):
    """Gradients with ``lengths`` equal torch's packed path, whatever the padding holds.

    torch never sees the padding (it is packed away); lstm_ref gets the padded batch with
    ``fill`` (NaN, inf, 1e30, ...) in the padding of ``input`` and of ``grad_output``,
    and must give the same output and gradients as with clean padding, bit for bit.
    """
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    torch.manual_seed(seed)
    module = torch.nn.LSTM(**cfg).double()
    model = lstm_ref.LSTM.from_torch(module)
    B = data.draw(st.integers(1, 4))
    lengths = data.draw(st.lists(st.integers(1, T), min_size=B, max_size=B))
    bf, D = cfg["batch_first"], 2 if cfg["bidirectional"] else 1
    H_out = cfg["proj_size"] or cfg["hidden_size"]
    x = torch.randn(*((B, T) if bf else (T, B)), cfg["input_size"], dtype=torch.float64,
                    requires_grad=True)
    state = (D * cfg["num_layers"], B)
    h0 = torch.randn(*state, H_out, dtype=torch.float64, requires_grad=True)
    c0 = torch.randn(*state, cfg["hidden_size"], dtype=torch.float64, requires_grad=True)
    packed = pack_padded_sequence(x, lengths, batch_first=bf, enforce_sorted=False)
    out, (h, c) = module(packed, (h0, c0))
    out, _ = pad_packed_sequence(out, batch_first=bf, total_length=T)
    go, gh, gc = torch.randn_like(out), torch.randn_like(h), torch.randn_like(c)
    ((out * go).sum() + (h * gh).sum() + (c * gc).sum()).backward()
    want = {k: p.grad.numpy() for k, p in module.named_parameters()}
    want.update(input=x.grad.numpy(), h_0=h0.grad.numpy(), c_0=c0.grad.numpy())

    pad = np.arange(T)[:, None] >= np.array(lengths)[None, :]  # (T, B)
    pad = pad.T if bf else pad
    hx = (h0.detach().numpy(), c0.detach().numpy())
    runs = {}
    for name, xs, gos in [("clean", x.detach().numpy(), go.numpy()),
                          ("dirty", with_padding(x.detach().numpy(), pad, fill),
                           with_padding(go.numpy(), pad, fill))]:
        with np.errstate(all="raise"):  # no arithmetic on the padding: not even a warning
            output, (h_n, c_n) = model(xs, hx, lengths=lengths)
            runs[name] = (output, h_n, c_n, model.backward(gos, gh.numpy(), gc.numpy()))
    clean, dirty = runs["clean"], runs["dirty"]
    assert np.abs(clean[0] - out.detach().numpy()).max() <= TOL64
    assert_grads_close(clean[3], want, TOL64)
    for a, b in zip(clean[:3], dirty[:3]):
        assert np.array_equal(a, b)
    assert list(dirty[3]) == list(clean[3])
    for k in clean[3]:
        assert np.array_equal(dirty[3][k], clean[3][k]), k
    # Padding gets no gradient: it never influenced anything.
    dx = dirty[3]["input"]
    assert np.all(dx[pad] == 0)


@given(fill=st.sampled_from(PADDING_FILLS), seed=st.integers(0, 2**16))
def test_dirty_padding_with_dropout_changes_no_gradient(fill, seed):
    """In training mode with dropout (which torch cannot replay), dirty padding changes nothing.

    Two models with the same dropout seed draw the same masks; one gets clean padding, the
    other ``fill``: outputs, states and every gradient are identical, bit for bit.
    """
    cfg = dict(input_size=3, hidden_size=4, num_layers=3, dropout=0.4, bidirectional=True,
               proj_size=2, dtype=np.float64)
    rng = np.random.default_rng(seed)
    T, B, lengths = 5, 3, [5, 2, 3]
    x = rng.standard_normal((T, B, 3))
    go = rng.standard_normal((T, B, 4))
    pad = np.arange(T)[:, None] >= np.array(lengths)[None, :]
    results = []
    for xs, gos in [(x, go), (with_padding(x, pad, fill), with_padding(go, pad, fill))]:
        model = lstm_ref.LSTM(**cfg, seed=seed).train()
        with np.errstate(all="raise"):
            output, _ = model(xs, lengths=lengths)
            results.append((output, model.backward(gos)))
    assert any(layer[1] is not None and (layer[1] == 0).any()
               for layer in model._cache["layers"])  # dropout really dropped something
    (out_a, g_a), (out_b, g_b) = results
    assert np.array_equal(out_a, out_b)
    for k in g_a:
        assert np.all(np.isfinite(g_a[k])) and np.array_equal(g_a[k], g_b[k]), k


def test_backward_float32_matches_torch():
    torch.manual_seed(0)
    module = torch.nn.LSTM(6, 8, num_layers=2, bidirectional=True, proj_size=3)
    model = lstm_ref.LSTM.from_torch(module)
    x, hx = torch.randn(7, 4, 6), (torch.randn(4, 4, 3), torch.randn(4, 4, 8))
    go = torch.randn(7, 4, 6)
    want = torch_grads(module, x, hx, (go, None, None))
    model(x.numpy(), tuple(t.numpy() for t in hx))
    got = model.backward(go.numpy())
    assert all(got[k].dtype == np.float32 for k in got)
    assert_grads_close(got, want, 1e-5)


def test_backward_with_dropout_uses_the_forward_masks():
    """In training mode the backward multiplies by the same dropout masks the forward drew.

    torch cannot replay lstm_ref's masks, so the reference is a torch graph built
    from two one-layer LSTMs with the masks (read from the forward cache) in between.
    """
    torch.manual_seed(0)
    model = lstm_ref.LSTM(3, 4, num_layers=2, dropout=0.5, dtype=np.float64, seed=0).train()
    x = np.random.default_rng(1).standard_normal((5, 2, 3))
    out, _ = model(x)
    mask = model._cache["layers"][0][1]
    assert mask is not None and (mask == 0).any()
    go = np.random.default_rng(2).standard_normal(out.shape)
    got = model.backward(go)

    sd = {k: torch.from_numpy(v) for k, v in model.state_dict().items()}
    l0, l1 = torch.nn.LSTM(3, 4).double(), torch.nn.LSTM(4, 4).double()
    l0.load_state_dict({k.replace("_l0", "_l0"): v for k, v in sd.items() if k.endswith("_l0")})
    l1.load_state_dict({k.replace("_l1", "_l0"): v for k, v in sd.items() if k.endswith("_l1")})
    xt = torch.from_numpy(x).requires_grad_(True)
    y, _ = l1(l0(xt)[0] * torch.from_numpy(mask))
    assert np.abs(y.detach().numpy() - out).max() <= 1e-12
    (y * torch.from_numpy(go)).sum().backward()
    assert np.abs(got["input"] - xt.grad.numpy()).max() <= TOL64
    assert np.abs(got["weight_ih_l0"] - l0.weight_ih_l0.grad.numpy()).max() <= TOL64
    assert np.abs(got["weight_hh_l1"] - l1.weight_hh_l0.grad.numpy()).max() <= TOL64


def test_finite_differences():
    """Central differences of L = sum(output*go) + sum(c_n*gc) agree with backward, entry by entry."""
    rng = np.random.default_rng(0)
    model = lstm_ref.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2,
                          dtype=np.float64, seed=3)
    x = rng.standard_normal((4, 2, 3))
    h0, c0 = rng.standard_normal((4, 2, 2)), rng.standard_normal((4, 2, 4))
    out, (h, c) = model(x, (h0, c0))
    go, gc = rng.standard_normal(out.shape), rng.standard_normal(c.shape)
    grads = model.backward(go, grad_c_n=gc)
    params = model.state_dict()

    def loss(p, x, h0, c0):
        m = lstm_ref.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2, dtype=np.float64)
        m.load_state_dict(p)
        o, (_, cn) = m(x, (h0, c0))
        return (o * go).sum() + (cn * gc).sum()

    arrays = dict(params, input=x, h_0=h0, c_0=c0)
    eps, checked = 1e-6, 0
    for name, arr in arrays.items():
        for flat in rng.choice(arr.size, size=min(3, arr.size), replace=False):
            idx = np.unravel_index(flat, arr.shape)
            plus, minus = ({k: v.copy() for k, v in arrays.items()} for _ in range(2))
            plus[name][idx] += eps
            minus[name][idx] -= eps
            args = lambda a: ({k: a[k] for k in params}, a["input"], a["h_0"], a["c_0"])  # noqa: E731
            numeric = (loss(*args(plus)) - loss(*args(minus))) / (2 * eps)
            assert abs(numeric - grads[name][idx]) <= 1e-6 * max(1.0, abs(numeric)), (name, idx)
            checked += 1
    assert checked >= 3 * len(params)


def test_step_backward_matches_torch_one_step():
    torch.manual_seed(4)
    B, I, H, P = 3, 4, 5, 2
    w_ih, w_hh = torch.randn(4 * H, I, dtype=torch.float64), torch.randn(4 * H, P, dtype=torch.float64)
    w_hr = torch.randn(P, H, dtype=torch.float64)
    x = torch.randn(B, I, dtype=torch.float64)
    h_prev = torch.randn(B, P, dtype=torch.float64, requires_grad=True)
    c_prev = torch.randn(B, H, dtype=torch.float64, requires_grad=True)
    xw = (x @ w_ih.T).requires_grad_(True)
    i, f, g, o = (xw + h_prev @ w_hh.T).chunk(4, dim=1)
    c = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
    h = (torch.sigmoid(o) * torch.tanh(c)) @ w_hr.T
    dh, dc = torch.randn_like(h), torch.randn_like(c)
    ((h * dh).sum() + (c * dc).sum()).backward()

    h_r, c_r, cache = step_forward(xw.detach().numpy(), h_prev.detach().numpy(),
                                   c_prev.detach().numpy(), w_hh.numpy(), w_hr.numpy())
    dxw, dh_prev, dc_prev = step_backward(dh.numpy(), dc.numpy(), cache, w_hh.numpy(), w_hr.numpy())
    for got, want in ((dxw, xw.grad), (dh_prev, h_prev.grad), (dc_prev, c_prev.grad)):
        assert np.abs(got - want.numpy()).max() <= 1e-12


def test_cell_path_is_a_product_of_forget_gates():
    """With W_hh = 0 the only route from c_0 to c_T is the cell path: dc_0 = dc_T * prod_t f_t."""
    torch.manual_seed(5)
    module = torch.nn.LSTM(3, 4).double()
    with torch.no_grad():
        module.weight_hh_l0.zero_()
    model = lstm_ref.LSTM.from_torch(module)
    x = torch.randn(6, 2, 3, dtype=torch.float64)
    model(x.numpy())
    gc = np.ones((1, 2, 4))
    dc0 = model.backward(np.zeros((6, 2, 4)), grad_c_n=gc)["c_0"][0]
    pre = x @ module.weight_ih_l0.T + module.bias_ih_l0 + module.bias_hh_l0
    f = torch.sigmoid(pre[..., 4:8]).detach().numpy()   # rows H:2H are the forget gate
    assert np.abs(dc0 - f.prod(axis=0)).max() <= 1e-14


def test_backward_errors():
    model = lstm_ref.LSTM(3, 4, dtype=np.float64)
    with pytest.raises(ValueError, match="call model\\(input\\) before"):
        model.backward(np.zeros((5, 2, 4)))
    out, (h, c) = model(np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match=r"grad_output has a shape of \[5, 2, 3\].*\[5, 2, 4\]"):
        model.backward(np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match=r"grad_h_n has a shape of \[2, 4\]"):
        model.backward(np.zeros(out.shape), grad_h_n=np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"grad_c_n has a shape of \[1, 2, 5\]"):
        model.backward(np.zeros(out.shape), grad_c_n=np.zeros((1, 2, 5)))
    with pytest.raises(ValueError, match="grad_output must have the type float64, got type float32"):
        model.backward(np.zeros(out.shape, np.float32))
    with pytest.raises(ValueError, match="array of numbers"):
        model.backward("not an array")
