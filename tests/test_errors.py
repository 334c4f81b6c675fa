"""Bad input raises ValueError with torch's wording, and torch rejects the same input."""
import re
import warnings

import numpy as np
import pytest
import torch

import lstm_ref


def both_reject(make_torch, make_ref, match):
    """torch raises (any error type), lstm_ref raises ValueError matching ``match``."""
    with pytest.raises(Exception):
        make_torch()
    with pytest.raises(ValueError, match=match):
        make_ref()


@pytest.mark.parametrize("kwargs, match", [
    (dict(hidden_size=0), "hidden_size must be greater than zero"),
    (dict(num_layers=0), "num_layers must be greater than zero"),
    (dict(dropout=1.5), r"dropout should be a number in range \[0, 1\]"),
    (dict(dropout=-0.1), r"dropout should be a number in range \[0, 1\]"),
    (dict(proj_size=-1), "proj_size should be a positive integer or zero"),
    (dict(proj_size=3), "proj_size has to be smaller than hidden_size"),
    (dict(hidden_size=2.5), "hidden_size should be of type int, got: float"),
])
def test_bad_constructor_arguments(kwargs, match):
    full = dict(input_size=5, hidden_size=3) | kwargs
    both_reject(lambda: torch.nn.LSTM(**full), lambda: lstm_ref.LSTM(**full), match)


def test_non_positive_input_size():
    with pytest.raises(ValueError, match="input_size must be greater than zero, got 0"):
        lstm_ref.LSTM(0, 3)


def test_dropout_with_one_layer_warns_like_torch():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1") as w_torch:
        torch.nn.LSTM(5, 3, dropout=0.5)
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1") as w_ref:
        lstm_ref.LSTM(5, 3, dropout=0.5)
    assert str(w_ref[0].message) == str(w_torch[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lstm_ref.LSTM(5, 3, num_layers=2, dropout=0.5)


@pytest.fixture
def pair():
    torch.manual_seed(0)
    module = torch.nn.LSTM(5, 3, batch_first=True)
    return module, lstm_ref.LSTM.from_torch(module)


def call_both(pair, x, hx=None):
    module, model = pair
    t_hx = None if hx is None else tuple(torch.from_numpy(a) for a in hx)
    return (lambda: module(torch.from_numpy(x), t_hx)), (lambda: model(x, hx))


def torch_message(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we want torch's text, whatever its type
        return str(e)
    raise AssertionError("torch accepted the input")


f32 = np.float32


@pytest.mark.parametrize("x, hx, match", [
    (np.zeros((2, 4, 4), f32), None, r"input.size\(-1\) must be equal to input_size. Expected 5, got 4"),
    (np.zeros((1, 2, 4, 5), f32), None, "LSTM: Expected input to be 2D or 3D, got 4D instead"),
    (np.zeros(5, f32), None, "LSTM: Expected input to be 2D or 3D, got 1D instead"),
    (np.zeros((2, 4, 5), f32), (np.zeros((1, 3, 3), f32), np.zeros((1, 3, 3), f32)),
     re.escape("Expected hidden[0] size (1, 2, 3), got [1, 3, 3]")),
    (np.zeros((2, 4, 5), f32), (np.zeros((1, 2, 3), f32), np.zeros((1, 2, 4), f32)),
     re.escape("Expected hidden[1] size (1, 2, 3), got [1, 2, 4]")),
    (np.zeros((2, 4, 5), f32), (np.zeros((2, 3), f32), np.zeros((2, 3), f32)),
     re.escape("For batched 3-D input, hx and cx should also be 3-D but got (2-D, 2-D) tensors")),
    (np.zeros((4, 5), f32), (np.zeros((1, 1, 3), f32), np.zeros((1, 1, 3), f32)),
     re.escape("For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 3-D) tensors")),
    (np.zeros((2, 4, 5), np.float64), None, re.escape(
        "LSTM input dtype (float64) does not match weight dtype (float32). "
        "Convert input: input.astype(np.float32), or build the model with dtype=np.float64")),
])
def test_bad_forward_input(pair, x, hx, match):
    t_fn, r_fn = call_both(pair, x, hx)
    msg = torch_message(t_fn)
    with pytest.raises(ValueError, match=match) as info:
        r_fn()
    # Where torch's message has the same facts, ours names them too.
    if "Expected hidden" in msg or "input.size(-1)" in msg or "2D or 3D" in msg or "should also be" in msg:
        assert str(info.value) in msg or msg in str(info.value), (msg, str(info.value))


def test_missing_layer_dimension_in_state(pair):
    """A common slip: h_0 built as (B, H) then unsqueezed in the wrong place."""
    x = np.zeros((2, 4, 5), f32)
    hx = (np.zeros((2, 1, 3), f32), np.zeros((2, 1, 3), f32))
    t_fn, r_fn = call_both(pair, x, hx)
    msg = torch_message(t_fn)
    with pytest.raises(ValueError, match=re.escape("Expected hidden[0] size (1, 2, 3), got [2, 1, 3]")):
        r_fn()
    assert "Expected hidden[0] size (1, 2, 3), got [2, 1, 3]" in msg


def test_non_numeric_input_is_a_clear_error(pair):
    with pytest.raises(ValueError, match="input must be an array of numbers"):
        pair[1]([["a"] * 5] * 4)


@pytest.mark.parametrize("lengths, match, torch_rejects", [
    ([4, 0], "Length of all samples has to be greater than 0", True),
    ([4, 5], "lengths must be at most the sequence length T=4, got max 5", True),
    # torch silently packs only the first sequence here; a silent drop is worse than an error
    ([4], r"Expected `len\(lengths\)` to be equal to batch_size, but got 1 \(batch_size=2\)", False),
])
def test_bad_lengths(pair, lengths, match, torch_rejects):
    from torch.nn.utils.rnn import pack_padded_sequence

    x = np.zeros((2, 4, 5), f32)
    if torch_rejects:
        with pytest.raises(Exception):
            pair[0](pack_padded_sequence(torch.from_numpy(x), lengths, batch_first=True,
                                         enforce_sorted=False))
    with pytest.raises(ValueError, match=match):
        pair[1](x, lengths=lengths)


def test_lengths_on_unbatched_input(pair):
    with pytest.raises(ValueError, match="lengths is only supported for batched 3-D input"):
        pair[1](np.zeros((4, 5), f32), lengths=[4])


def test_load_state_dict_rejects_bad_keys_and_shapes():
    model = lstm_ref.LSTM(5, 3)
    sd = model.state_dict()
    with pytest.raises(ValueError, match='Missing key\\(s\\) in state_dict: "bias_hh_l0"'):
        model.load_state_dict({k: v for k, v in sd.items() if k != "bias_hh_l0"})
    with pytest.raises(ValueError, match='Unexpected key\\(s\\) in state_dict: "weight_hr_l0"'):
        model.load_state_dict(sd | {"weight_hr_l0": np.zeros((2, 3))})
    bad = sd | {"weight_ih_l0": np.zeros((12, 4))}
    with pytest.raises(ValueError, match=re.escape(
            "size mismatch for weight_ih_l0: copying a param with shape [12, 4] from checkpoint, "
            "the shape in current model is [12, 5].")):
        model.load_state_dict(bad)
    # torch rejects the same dict
    with pytest.raises(RuntimeError, match="size mismatch for weight_ih_l0"):
        torch.nn.LSTM(5, 3).load_state_dict({k: torch.from_numpy(v) for k, v in bad.items()})


@pytest.mark.parametrize("args, match", [
    ((np.zeros((2, 4)), (np.zeros((2, 3)), np.zeros((2, 3)))),
     "input has inconsistent input_size: got 4 expected 5"),
    ((np.zeros((2, 5)), (np.zeros((3, 3)), np.zeros((2, 3)))), re.escape("Expected hidden[0] size (2, 3), got [3, 3]")),
    ((np.zeros((1, 2, 5)), (np.zeros((2, 3)), np.zeros((2, 3)))), "LSTMCell: Expected input to be 1D or 2D, got 3D"),
])
def test_lstm_cell_bad_input(args, match):
    rng = np.random.default_rng(0)
    W_ih, W_hh = rng.standard_normal((12, 5)), rng.standard_normal((12, 3))
    with pytest.raises(ValueError, match=match):
        lstm_ref.lstm_cell(*args, W_ih, W_hh)
    cell = torch.nn.LSTMCell(5, 3).double()
    x, (h, c) = args
    with pytest.raises(Exception):
        cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))


def test_lstm_cell_rejects_malformed_weights():
    with pytest.raises(ValueError, match="weight_ih must be 2-D with 4\\*hidden_size rows"):
        lstm_ref.lstm_cell(np.zeros(5), (np.zeros(3), np.zeros(3)), np.zeros((10, 5)), np.zeros((12, 3)))
