"""Extreme inputs stay finite, with no NumPy overflow warning, and agree with torch."""
import numpy as np
import pytest
import torch

import lstm_ref


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scale", [1e4, -1e4])
def test_huge_inputs_are_finite_and_match_torch(dtype, scale):
    torch.manual_seed(0)
    module = torch.nn.LSTM(5, 3, num_layers=2, bidirectional=True, proj_size=2).to(
        torch.float64 if dtype == np.float64 else torch.float32)
    model = lstm_ref.LSTM.from_torch(module)
    x = (np.random.default_rng(0).standard_normal((6, 2, 5)) * scale).astype(dtype)
    with np.errstate(all="raise"):   # any overflow/invalid inside NumPy would raise here
        out, (h, c) = model(x)
    assert all(np.isfinite(a).all() for a in (out, h, c))
    with torch.no_grad():
        t_out, (t_h, t_c) = module(torch.from_numpy(x))
    tol = 1e-5 if dtype == np.float32 else 1e-10
    assert np.abs(out - t_out.numpy()).max() <= tol
    # |c| grows by at most 1 per step (|i*g| <= 1), even for huge inputs
    assert np.abs(c).max() <= 6


def test_sigmoid_is_overflow_free_and_exact():
    z = np.array([-1e4, -50.0, -1.0, 0.0, 1.0, 50.0, 1e4])
    with np.errstate(all="raise"):
        s = lstm_ref.sigmoid(z.copy())
    assert np.abs(s - torch.sigmoid(torch.from_numpy(z)).numpy()).max() <= 1e-15
