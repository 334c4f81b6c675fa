"""lstm_ref.RNN equals torch.nn.RNN (tanh) forward and backward, computed in the same run."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from lstm_ref.rnn import RNN, rnn_step_backward, rnn_step_forward


@given(I=st.integers(1, 5), H=st.integers(1, 5), L=st.integers(1, 3), bias=st.booleans(),
       batch_first=st.booleans(), T=st.integers(1, 6), B=st.integers(1, 3),
       unbatched=st.booleans(), given_state=st.booleans(), with_h=st.booleans(),
       seed=st.integers(0, 2**16))
def test_rnn_forward_and_backward_match_torch(I, H, L, bias, batch_first, T, B, unbatched,
                                              given_state, with_h, seed):
    torch.manual_seed(seed)
    module = torch.nn.RNN(I, H, L, bias=bias, batch_first=batch_first).double()
    model = RNN.from_torch(module)
    lead = (T,) if unbatched else ((B, T) if batch_first else (T, B))
    state = (L, H) if unbatched else (L, B, H)
    x = torch.randn(*lead, I, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(*state, dtype=torch.float64, requires_grad=True) if given_state else None
    out, h_n = module(x, h0)
    go = torch.randn_like(out)
    gh = torch.randn_like(h_n) if with_h else None
    ((out * go).sum() + (0 if gh is None else (h_n * gh).sum())).backward()

    r_out, r_h = model(x.detach().numpy(), None if h0 is None else h0.detach().numpy())
    assert r_out.shape == tuple(out.shape) and r_h.shape == tuple(h_n.shape)
    assert np.abs(r_out - out.detach().numpy()).max() <= 1e-10
    assert np.abs(r_h - h_n.detach().numpy()).max() <= 1e-10
    grads = model.backward(go.numpy(), None if gh is None else gh.numpy())
    want = {k: p.grad.numpy() for k, p in module.named_parameters()}
    want["input"] = x.grad.numpy()
    assert list(grads)[:-1] == list(want)
    for k, v in want.items():
        assert np.abs(grads[k] - v).max() <= 1e-9, k
    if h0 is not None:
        assert np.abs(grads["h_0"] - h0.grad.numpy()).max() <= 1e-9
    assert grads["h_0"].shape == state


def test_rnn_float32_and_state_dict_match_torch():
    torch.manual_seed(0)
    module = torch.nn.RNN(4, 6, num_layers=2)
    model = RNN.from_torch(module)
    assert list(model.state_dict()) == list(module.state_dict())
    assert RNN(4, 6, num_layers=2).param_shapes() == {k: tuple(v.shape) for k, v in module.state_dict().items()}
    x = torch.randn(5, 3, 4)
    with torch.no_grad():
        out, h = module(x)
    r_out, r_h = model(x.numpy())
    assert r_out.dtype == np.float32 and np.abs(r_out - out.numpy()).max() <= 1e-5


def test_rnn_step_gradient_is_tanh_derivative_times_w_hh():
    rng = np.random.default_rng(0)
    xw, h_prev, w_hh = rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), rng.standard_normal((3, 3))
    h, cache = rnn_step_forward(xw, h_prev, w_hh)
    dh = rng.standard_normal((2, 3))
    dxw, dh_prev = rnn_step_backward(dh, cache, w_hh)
    t_prev = torch.from_numpy(h_prev).requires_grad_(True)
    t_xw = torch.from_numpy(xw).requires_grad_(True)
    (torch.tanh(t_xw + t_prev @ torch.from_numpy(w_hh).T) * torch.from_numpy(dh)).sum().backward()
    assert np.abs(dxw - t_xw.grad.numpy()).max() <= 1e-12
    assert np.abs(dh_prev - t_prev.grad.numpy()).max() <= 1e-12


def test_rnn_errors():
    with pytest.raises(ValueError, match="nonlinearity='tanh'"):
        RNN.from_torch(torch.nn.RNN(2, 3, nonlinearity="relu"))
    with pytest.raises(ValueError, match="bidirectional=True"):
        RNN.from_torch(torch.nn.RNN(2, 3, bidirectional=True))
    model = RNN(2, 3, dtype=np.float64)
    with pytest.raises(ValueError, match="call model\\(input\\) before"):
        model.backward(np.zeros((4, 1, 3)))
    with pytest.raises(ValueError, match="Expected input_size|input_size"):
        model(np.zeros((4, 1, 5)))
    with pytest.raises(ValueError, match=r"Expected hidden size \(1, 1, 3\), got \[1, 2, 3\]"):
        model(np.zeros((4, 1, 2)), np.zeros((1, 2, 3)))
    model(np.zeros((4, 1, 2)))
    with pytest.raises(ValueError, match=r"grad_output has a shape of \[4, 1, 2\]"):
        model.backward(np.zeros((4, 1, 2)))


def test_rnn_load_state_dict_rejects_bad_keys_and_shapes_like_torch():
    module = torch.nn.RNN(3, 4).double()
    sd = {k: v.numpy() for k, v in module.state_dict().items()}
    model = RNN.from_torch(module)
    with pytest.raises(ValueError, match='Missing key\\(s\\) in state_dict: "bias_hh_l0"'):
        model.load_state_dict({k: v for k, v in sd.items() if k != "bias_hh_l0"})
    bad = sd | {"weight_ih_l0": np.zeros((4, 2))}
    with pytest.raises(ValueError, match=r"size mismatch for weight_ih_l0: copying a param with shape \[4, 2\]"):
        model.load_state_dict(bad)
    with pytest.raises(RuntimeError, match="size mismatch for weight_ih_l0"):
        module.load_state_dict({k: torch.from_numpy(v) for k, v in bad.items()})


def test_adding_problem_baselines_and_initial_state():
    """The two reference scores of the adding problem, and the initial weights train_adding keeps."""
    from lstm_ref.adding import (BASELINE_MSE, HALF_MEMORY_MSE, SequenceRegressor, adding_batch,
                                 train_adding)

    x, y = adding_batch(200_000, 20, torch.Generator().manual_seed(0))
    markers = x[..., 1]
    assert (markers[:, :10].sum(1) == 1).all() and (markers[:, 10:].sum(1) == 1).all()
    v_b = (x[:, 10:, 0] * markers[:, 10:]).sum(1)
    assert abs(((y[:, 0] - 1) ** 2).mean().item() - BASELINE_MSE) < 0.002
    assert abs(((y[:, 0] - 0.5 - v_b) ** 2).mean().item() - HALF_MEMORY_MSE) < 0.001
    model, history = train_adding("lstm", seq_len=6, hidden_size=3, steps=2, seed=4, eval_every=1)
    torch.manual_seed(4)
    fresh = SequenceRegressor("lstm", hidden_size=3).state_dict()
    assert all(torch.equal(history["initial_state"][k], fresh[k]) for k in fresh)
    assert not torch.equal(model.state_dict()["rnn.weight_hh_l0"], fresh["rnn.weight_hh_l0"])
