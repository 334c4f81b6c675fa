"""lstm_ref.LSTM equals torch.nn.LSTM, computed side by side in the same run."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from strategies import lstm_configs

import lstm_ref

TOL = {torch.float64: 1e-10, torch.float32: 1e-5}


def configs():
    return lstm_configs(max_input=6, max_hidden=6)


def torch_and_ref(cfg, dtype, seed, dropout=0.0):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(**cfg, dropout=dropout).to(dtype).eval()
    return module, lstm_ref.LSTM.from_torch(module)


def max_err(torch_result, ref_result):
    (o, (h, c)), (ro, (rh, rc)) = torch_result, ref_result
    for a, b in ((o, ro), (h, rh), (c, rc)):
        assert tuple(a.shape) == b.shape
    return max(np.abs(a.detach().numpy() - b).max() for a, b in ((o, ro), (h, rh), (c, rc)))


@given(cfg=configs(), T=st.integers(1, 5), B=st.integers(1, 4), unbatched=st.booleans(),
       given_state=st.booleans(), dtype=st.sampled_from([torch.float64, torch.float32]),
       seed=st.integers(0, 2**16))
def test_forward_matches_torch(cfg, T, B, unbatched, given_state, dtype, seed):
    module, model = torch_and_ref(cfg, dtype, seed)
    D = 2 if cfg["bidirectional"] else 1
    H_out = cfg["proj_size"] or cfg["hidden_size"]
    if unbatched:
        x = torch.randn(T, cfg["input_size"], dtype=dtype)
        state = (D * cfg["num_layers"],)
    else:
        x = torch.randn(*((B, T) if cfg["batch_first"] else (T, B)), cfg["input_size"], dtype=dtype)
        state = (D * cfg["num_layers"], B)
    hx = None
    if given_state:
        hx = (torch.randn(*state, H_out, dtype=dtype), torch.randn(*state, cfg["hidden_size"], dtype=dtype))
    with torch.no_grad():
        expected = module(x, hx)
    got = model(x.numpy(), None if hx is None else tuple(t.numpy() for t in hx))
    assert got[0].dtype == model.dtype
    assert max_err(expected, got) <= TOL[dtype]


@given(cfg=configs(), T=st.integers(1, 6), data=st.data(), seed=st.integers(0, 2**16))
def test_lengths_match_packed_sequence(cfg, T, data, seed):
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    dtype = torch.float64
    module, model = torch_and_ref(cfg, dtype, seed)
    B = data.draw(st.integers(1, 4))
    lengths = data.draw(st.lists(st.integers(1, T), min_size=B, max_size=B))
    bf = cfg["batch_first"]
    x = torch.randn(*((B, T) if bf else (T, B)), cfg["input_size"], dtype=dtype)
    with torch.no_grad():
        packed = pack_padded_sequence(x, lengths, batch_first=bf, enforce_sorted=False)
        out, (h, c) = module(packed)
        out, _ = pad_packed_sequence(out, batch_first=bf, total_length=T)
    assert max_err((out, (h, c)), model(x.numpy(), lengths=lengths)) <= TOL[dtype]


def test_seed_example_shapes_and_parity():
    """The seed's running example: B=2, T=4, I=5, H=3, batch_first."""
    torch.manual_seed(0)
    for kw, out_shape, hn_shape in [({}, (2, 4, 3), (1, 2, 3)),
                                    ({"num_layers": 2}, (2, 4, 3), (2, 2, 3)),
                                    ({"bidirectional": True}, (2, 4, 6), (2, 2, 3))]:
        module = torch.nn.LSTM(5, 3, batch_first=True, **kw)
        x = torch.randn(2, 4, 5)
        out, (h_n, c_n) = lstm_ref.LSTM.from_torch(module)(x.numpy())
        assert out.shape == out_shape and h_n.shape == hn_shape and c_n.shape == hn_shape
        with torch.no_grad():
            assert max_err(module(x), (out, (h_n, c_n))) <= 1e-5


def test_lstm_cell_matches_torch_lstmcell():
    torch.manual_seed(1)
    cell = torch.nn.LSTMCell(5, 3).double()
    x, h, c = torch.randn(2, 5).double(), torch.randn(2, 3).double(), torch.randn(2, 3).double()
    with torch.no_grad():
        h_t, c_t = cell(x, (h, c))
    p = {k: v.numpy() for k, v in cell.state_dict().items()}
    h_r, c_r = lstm_ref.lstm_cell(x.numpy(), (h.numpy(), c.numpy()), p["weight_ih"], p["weight_hh"],
                                  p["bias_ih"], p["bias_hh"])
    assert np.abs(h_r - h_t.numpy()).max() <= 1e-12 and np.abs(c_r - c_t.numpy()).max() <= 1e-12
    # unbatched
    h_r1, c_r1 = lstm_ref.lstm_cell(x[0].numpy(), (h[0].numpy(), c[0].numpy()), p["weight_ih"],
                                    p["weight_hh"], p["bias_ih"], p["bias_hh"])
    assert np.abs(h_r1 - h_t[0].numpy()).max() <= 1e-12


def test_lstm_gates_are_torch_gate_slices():
    """lstm_gates returns i, f, g, o computed from torch's stacked rows, in that order."""
    torch.manual_seed(2)
    cell = torch.nn.LSTMCell(4, 3).double()
    x, h = torch.randn(2, 4).double(), torch.randn(2, 3).double()
    W_ih, W_hh, b_ih, b_hh = (cell.state_dict()[k] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
    pre = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    i, f, g, o = pre.chunk(4, dim=1)
    gates = lstm_ref.lstm_gates(x.numpy(), h.numpy(), W_ih.numpy(), W_hh.numpy(), b_ih.numpy(), b_hh.numpy())
    for name, want in zip("ifgo", (torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o))):
        assert np.abs(getattr(gates, name) - want.numpy()).max() <= 1e-12, name


def test_lstm_gates_with_projected_state():
    """With proj_size, h has H_out = proj_size columns and the gates still come from (x, h)."""
    torch.manual_seed(4)
    module = torch.nn.LSTM(4, 5, proj_size=2).double()
    p = {k: v.numpy() for k, v in module.state_dict().items()}
    x, h = np.random.default_rng(0).standard_normal((3, 4)), np.random.default_rng(1).standard_normal((3, 2))
    pre = x @ p["weight_ih_l0"].T + p["bias_ih_l0"] + h @ p["weight_hh_l0"].T + p["bias_hh_l0"]
    gates = lstm_ref.lstm_gates(x, h, p["weight_ih_l0"], p["weight_hh_l0"], p["bias_ih_l0"], p["bias_hh_l0"])
    want = torch.sigmoid(torch.from_numpy(pre)).numpy()
    assert np.abs(gates.i - want[:, :5]).max() <= 1e-12
    assert np.abs(gates.g - np.tanh(pre[:, 10:15])).max() <= 1e-12


def test_cell_with_projection_matches_one_step_lstm():
    torch.manual_seed(3)
    module = torch.nn.LSTM(4, 5, proj_size=2).double()
    x = torch.randn(1, 3, 4).double()
    with torch.no_grad():
        out, (h, c) = module(x)
    p = {k: v.numpy() for k, v in module.state_dict().items()}
    h_r, c_r = lstm_ref.lstm_cell(x[0].numpy(), (np.zeros((3, 2)), np.zeros((3, 5))), p["weight_ih_l0"],
                                  p["weight_hh_l0"], p["bias_ih_l0"], p["bias_hh_l0"], p["weight_hr_l0"])
    assert np.abs(h_r - h[0].numpy()).max() <= 1e-12 and np.abs(c_r - c[0].numpy()).max() <= 1e-12


@pytest.mark.parametrize("cfg", [dict(), dict(num_layers=2, bidirectional=True, proj_size=2, bias=False)])
def test_state_dict_keys_and_shapes_equal_torch(cfg):
    module = torch.nn.LSTM(5, 3, **cfg)
    model = lstm_ref.LSTM(5, 3, **cfg)
    sd_t, sd_r = module.state_dict(), model.state_dict()
    assert list(sd_t) == list(sd_r)
    assert all(tuple(sd_t[k].shape) == sd_r[k].shape for k in sd_t)
    assert lstm_ref.shapes(2, 4, 5, 3, **cfg)["params"] == {k: tuple(v.shape) for k, v in sd_t.items()}


def test_init_is_uniform_in_torch_bounds():
    H = 16
    model = lstm_ref.LSTM(8, H, num_layers=2, bidirectional=True, proj_size=4, dtype=np.float64, seed=0)
    k = 1 / np.sqrt(H)
    values = np.concatenate([p.ravel() for p in model.state_dict().values()])
    assert values.min() >= -k and values.max() <= k
    # U(-k, k): mean 0 and variance k^2/3, within sampling error of ~14k draws
    assert abs(values.mean()) < 0.05 * k
    assert abs(values.var() / (k * k / 3) - 1) < 0.05
    # Same seed, same weights; torch draws from the same bounds.
    again = lstm_ref.LSTM(8, H, num_layers=2, bidirectional=True, proj_size=4, dtype=np.float64, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(model.state_dict().values(), again.state_dict().values()))
    torch_vals = torch.cat([p.detach().ravel() for p in torch.nn.LSTM(8, H).parameters()])
    assert torch_vals.abs().max().item() <= k


def test_from_torch_follows_dtype_and_mode():
    module = torch.nn.LSTM(3, 4, num_layers=2, dropout=0.25).double().eval()
    model = lstm_ref.LSTM.from_torch(module)
    assert model.dtype == np.float64 and model.dropout == 0.25 and not model.training
    assert lstm_ref.LSTM.from_torch(torch.nn.LSTM(3, 4)).dtype == np.float32


def test_dropout_between_layers_train_only():
    torch.manual_seed(0)
    module = torch.nn.LSTM(4, 6, num_layers=2, dropout=0.5).double()
    model = lstm_ref.LSTM.from_torch(module.eval())
    x = np.random.default_rng(0).standard_normal((5, 2, 4))
    with torch.no_grad():
        want = module(torch.from_numpy(x))[0].numpy()
    assert np.abs(model(x)[0] - want).max() <= 1e-10      # eval: deterministic, equals torch
    model.train()
    a, b = model(x)[0], model(x)[0]
    assert not np.allclose(a, b)                            # train: fresh masks each call
    one_layer = lstm_ref.LSTM(4, 6, dtype=np.float64)
    one_layer.dropout = 0.5                                  # no dropout after the last layer
    ref = lstm_ref.LSTM(4, 6, dtype=np.float64)
    ref.load_state_dict(one_layer.state_dict())
    assert np.array_equal(one_layer.train()(x)[0], ref(x)[0])


def test_attribute_access_reads_parameters():
    model = lstm_ref.LSTM(5, 3, bidirectional=True)
    assert model.weight_ih_l0.shape == (12, 5)
    assert model.bias_hh_l0_reverse.shape == (12,)
    with pytest.raises(AttributeError):
        model.weight_ih_l1
