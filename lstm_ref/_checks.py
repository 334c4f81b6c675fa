"""Argument checks: bad input raises ``ValueError``, in torch's words where torch has the same check, never a NumPy crash."""
from __future__ import annotations

import numbers

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def as_array(a, name: str) -> np.ndarray:
    """A NumPy view of ``a``; accepts torch tensors (detached, on CPU) without importing torch."""
    if hasattr(a, "detach") and hasattr(a, "cpu"):  # a torch.Tensor
        a = a.detach().cpu().numpy()
    try:
        arr = np.asarray(a)
    except Exception as e:  # ragged lists and the like
        raise ValueError(f"{name} must be an array of numbers, got {type(a).__name__}: {e}") from None
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"{name} must be an array of numbers, got dtype {arr.dtype}")
    return arr


def check_dtype(arr: np.ndarray, name: str, dtype) -> np.ndarray:
    """Torch's rule: no silent casts between input and parameters."""
    dtype = np.dtype(dtype)
    if arr.dtype != dtype:
        raise ValueError(f"{name} must have the type {dtype.name}, got type {arr.dtype.name}")
    return arr


def shape_str(shape) -> str:
    return "[" + ", ".join(str(int(s)) for s in shape) + "]"


def check_params(state_dict, expected, dtype, owner: str) -> dict:
    """``load_state_dict``'s checks, as torch words them: every name and shape must match.

    ``expected`` is ``{name: shape}``; returns fresh arrays of ``dtype`` in that order.
    """
    missing = [k for k in expected if k not in state_dict]
    unexpected = [k for k in state_dict if k not in expected]
    if missing or unexpected:
        msg = f"Error(s) in loading state_dict for {owner}:"
        if missing:
            msg += "\n\tMissing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + "."
        if unexpected:
            msg += ("\n\tUnexpected key(s) in state_dict: "
                    + ", ".join(f'"{k}"' for k in unexpected) + ".")
        raise ValueError(msg)
    params = {}
    for name, shape in expected.items():
        value = as_array(state_dict[name], name)
        if value.shape != tuple(shape):
            raise ValueError(
                f"size mismatch for {name}: copying a param with shape {shape_str(value.shape)} "
                f"from checkpoint, the shape in current model is {shape_str(shape)}.")
        params[name] = value.astype(dtype, copy=True)
    return params


def check_int(value, name: str, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} should be of type int, got: {type(value).__name__}")
    if minimum is not None and value < minimum:
        if minimum == 1:
            raise ValueError(f"{name} must be greater than zero, got {value}")
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def check_constructor(input_size, hidden_size, num_layers, dropout, proj_size):
    """Checks ``LSTM(...)`` arguments as ``torch.nn.RNNBase.__init__`` does."""
    input_size = check_int(input_size, "input_size", 1)
    hidden_size = check_int(hidden_size, "hidden_size", 1)
    num_layers = check_int(num_layers, "num_layers", 1)
    if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout <= 1:
        raise ValueError(
            "dropout should be a number in range [0, 1] representing the probability of an "
            f"element being zeroed, got {dropout!r}")
    proj_size = check_int(proj_size, "proj_size")
    if proj_size < 0:
        raise ValueError(
            f"proj_size should be a positive integer or zero to disable projections, got {proj_size}")
    if proj_size >= hidden_size:
        raise ValueError(
            f"proj_size has to be smaller than hidden_size, got proj_size={proj_size} "
            f"and hidden_size={hidden_size}")
    return input_size, hidden_size, num_layers, float(dropout), proj_size


def _check_shape(arr, name, expected):
    if tuple(arr.shape) != tuple(expected):
        raise ValueError(f"Expected {name} size {tuple(expected)}, got {shape_str(arr.shape)}")


def check_cell_args(x, hx, weight_ih, weight_hh, bias_ih, bias_hh, weight_hr):
    """Validate one step's arguments; returns them as arrays, batched ``(B, ...)``-or-unbatched as given.

    ``hx[1]`` may be None (for :func:`lstm_gates`, which needs no cell state and
    no ``weight_hr``: there ``H_out`` is read from ``weight_hh``).
    """
    weight_ih = as_array(weight_ih, "weight_ih")
    if weight_ih.ndim != 2 or weight_ih.shape[0] % 4 or weight_ih.shape[0] == 0:
        raise ValueError(
            "weight_ih must be 2-D with 4*hidden_size rows (gates i, f, g, o), "
            f"got shape {shape_str(weight_ih.shape)}")
    dtype = weight_ih.dtype
    if dtype not in FLOAT_DTYPES:
        raise ValueError(f"weight_ih must be float32 or float64, got {dtype.name}")
    four_h, input_size = weight_ih.shape
    H = four_h // 4
    if weight_hr is not None:
        weight_hr = check_dtype(as_array(weight_hr, "weight_hr"), "weight_hr", dtype)
        if weight_hr.ndim != 2 or weight_hr.shape[1] != H or weight_hr.shape[0] >= H:
            raise ValueError(
                f"weight_hr must have shape (proj_size, {H}) with proj_size < {H}, "
                f"got {shape_str(weight_hr.shape)}")
    weight_hh = check_dtype(as_array(weight_hh, "weight_hh"), "weight_hh", dtype)
    if weight_hr is not None:
        h_out = weight_hr.shape[0]
    elif hx[1] is None and weight_hh.ndim == 2:
        h_out = weight_hh.shape[1]
    else:
        h_out = H
    _check_shape(weight_hh, "weight_hh", (four_h, h_out))
    if bias_ih is not None:
        bias_ih = check_dtype(as_array(bias_ih, "bias_ih"), "bias_ih", dtype)
        _check_shape(bias_ih, "bias_ih", (four_h,))
    if bias_hh is not None:
        bias_hh = check_dtype(as_array(bias_hh, "bias_hh"), "bias_hh", dtype)
        _check_shape(bias_hh, "bias_hh", (four_h,))

    x = check_dtype(as_array(x, "input"), "input", dtype)
    if x.ndim not in (1, 2):
        raise ValueError(f"LSTMCell: Expected input to be 1D or 2D, got {x.ndim}D instead")
    if x.shape[-1] != input_size:
        raise ValueError(
            f"input has inconsistent input_size: got {x.shape[-1]} expected {input_size}")
    try:
        h, c = hx
    except (TypeError, ValueError):
        raise ValueError("hx must be a tuple (h, c)") from None
    lead = x.shape[:-1]
    h = check_dtype(as_array(h, "hx[0]"), "hx[0]", dtype)
    _check_shape(h, "hidden[0]", lead + (h_out,))
    if c is not None:
        c = check_dtype(as_array(c, "hx[1]"), "hx[1]", dtype)
        _check_shape(c, "hidden[1]", lead + (H,))
    return x, (h, c), weight_ih, weight_hh, bias_ih, bias_hh, weight_hr


def check_forward_input(x, dtype, input_size):
    """Torch's ``LSTM.forward`` input checks; returns the array."""
    x = as_array(x, "input")
    if x.ndim not in (2, 3):
        raise ValueError(f"LSTM: Expected input to be 2D or 3D, got {x.ndim}D instead")
    if x.dtype != np.dtype(dtype):
        raise ValueError(
            f"LSTM input dtype ({x.dtype.name}) does not match weight dtype ({np.dtype(dtype).name}). "
            f"Convert input: input.astype(np.{np.dtype(dtype).name}), or build the model with "
            f"dtype=np.{x.dtype.name}")
    if x.shape[-1] != input_size:
        raise ValueError(
            f"input.size(-1) must be equal to input_size. Expected {input_size}, got {x.shape[-1]}")
    if 0 in x.shape:
        raise ValueError(f"input must be non-empty, got shape {shape_str(x.shape)}")
    return x


def check_hidden(hx, batched, dtype, expected_h, expected_c):
    """Torch's ``LSTM.forward`` checks of ``(h_0, c_0)``; ``expected_*`` are batched shapes."""
    try:
        h0, c0 = hx
    except (TypeError, ValueError):
        raise ValueError("hx must be a tuple (h_0, c_0)") from None
    h0 = as_array(h0, "hx[0]")
    c0 = as_array(c0, "hx[1]")
    if batched and (h0.ndim != 3 or c0.ndim != 3):
        raise ValueError(
            "For batched 3-D input, hx and cx should also be 3-D but got "
            f"({h0.ndim}-D, {c0.ndim}-D) tensors")
    if not batched and (h0.ndim != 2 or c0.ndim != 2):
        raise ValueError(
            "For unbatched 2-D input, hx and cx should also be 2-D but got "
            f"({h0.ndim}-D, {c0.ndim}-D) tensors")
    check_dtype(h0, "hx[0]", dtype)
    check_dtype(c0, "hx[1]", dtype)
    if not batched:
        expected_h = (expected_h[0],) + tuple(expected_h[2:])
        expected_c = (expected_c[0],) + tuple(expected_c[2:])
    _check_shape(h0, "hidden[0]", expected_h)
    _check_shape(c0, "hidden[1]", expected_c)
    return h0, c0


def check_lengths(lengths, batched, batch_size, seq_len):
    """Checks of ``lengths``: 1-D, one per sequence, integers in ``[1, seq_len]``; an int array.

    Stricter than torch, which checks the count only with ``enforce_sorted=True`` and accepts
    a length above ``seq_len``."""
    if not batched:
        raise ValueError("lengths is only supported for batched 3-D input, got unbatched 2-D input")
    if hasattr(lengths, "detach"):  # a torch tensor
        lengths = lengths.detach().cpu().numpy()
    try:  # as floats, so that huge or fractional values are judged before any int cast
        values = np.asarray(lengths, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"lengths must be a 1-D sequence of integers, got {lengths!r}") from None
    if values.ndim != 1:
        raise ValueError(f"lengths must be a 1-D sequence, got shape {shape_str(values.shape)}")
    if values.shape[0] != batch_size:
        raise ValueError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {values.shape[0]} "
            f"(batch_size={batch_size})")
    if not np.all(np.isfinite(values)) or not np.all(np.mod(values, 1) == 0):
        raise ValueError(f"lengths must be integers, got {np.asarray(lengths).tolist()}")
    if values.min() <= 0:
        raise ValueError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' "
            f"that is <= 0: {np.asarray(lengths).tolist()}")
    if values.max() > seq_len:
        raise ValueError(
            f"lengths must be at most the sequence length T={seq_len}, got max {max(np.asarray(lengths).tolist())}")
    return values.astype(np.int64)
