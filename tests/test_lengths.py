"""Variable-length batches: ``model(x, hx, lengths)`` against torch's packed sequences.

tests/test_parity.py checks the padded result against pack -> nn.LSTM -> pad for
random configurations. This file checks the properties the book states in
chapters/variable_length.ipynb, each against torch computed here, and every bad
``lengths`` argument:

* padding never leaks: any values (even NaN) past a length change nothing;
* ``output`` is exactly zero past each length, in every layer's output;
* ``h_n``, ``c_n`` and the reverse direction equal running each sequence alone,
  unpadded, so the reverse direction starts at the true end;
* a given ``hx`` is used per sequence, as torch does with ``enforce_sorted=False``;
* the order of the batch does not matter (torch sorts and unsorts internally).
"""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from strategies import lstm_configs
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import lstm_ref

TOL = {torch.float64: 1e-10, torch.float32: 1e-5}


def configs():
    return lstm_configs(max_input=4, max_hidden=5)


def make_pair(cfg, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(**cfg).to(dtype).eval()
    return module, lstm_ref.LSTM.from_torch(module)


def torch_packed(module, x, lengths, hx=None):
    """torch's reference: pack (unsorted) -> nn.LSTM -> pad back to the full T."""
    bf = module.batch_first
    T = x.shape[1] if bf else x.shape[0]
    with torch.no_grad():
        packed = pack_padded_sequence(x, lengths, batch_first=bf, enforce_sorted=False)
        out, (h, c) = module(packed, hx)
        out, _ = pad_packed_sequence(out, batch_first=bf, total_length=T)
    return out.numpy(), h.numpy(), c.numpy()


def draw_batch(data, cfg, dtype=torch.float64):
    T = data.draw(st.integers(1, 6), label="T")
    B = data.draw(st.integers(1, 4), label="B")
    lengths = data.draw(st.lists(st.integers(1, T), min_size=B, max_size=B), label="lengths")
    shape = (B, T) if cfg["batch_first"] else (T, B)
    return torch.randn(*shape, cfg["input_size"], dtype=dtype), lengths


def time_major(a, batch_first):
    return a.transpose(1, 0, 2) if batch_first else a


def pad_mask(lengths, T, batch_first):
    """Booleans ``(T, B)`` (or ``(B, T)``), True at padding positions."""
    m = np.arange(T)[:, None] >= np.asarray(lengths)[None, :]
    return m.T if batch_first else m


@given(cfg=configs(), data=st.data(), seed=st.integers(0, 2**16),
       fill=st.sampled_from([np.nan, np.inf, -np.inf, 1e30, -3.0]))
def test_padding_values_never_leak(cfg, data, seed, fill):
    """Whatever sits in the padding, the result equals torch's packed result with clean padding."""
    module, model = make_pair(cfg, seed=seed)
    x, lengths = draw_batch(data, cfg)
    T = x.shape[1] if cfg["batch_first"] else x.shape[0]
    want = torch_packed(module, x, lengths)
    dirty = x.numpy().copy()
    dirty[pad_mask(lengths, T, cfg["batch_first"])] = fill
    with np.errstate(all="raise"):  # padded inputs are never read: not even a warning
        out, (h, c) = model(dirty, lengths=lengths)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(h)) and np.all(np.isfinite(c))
    for got, ref in zip((out, h, c), want):
        assert np.abs(got - ref).max() <= TOL[torch.float64]


@given(cfg=configs(), data=st.data(), seed=st.integers(0, 2**16))
def test_output_is_exactly_zero_past_each_length(cfg, data, seed):
    _, model = make_pair(cfg, seed=seed)
    x, lengths = draw_batch(data, cfg)
    out, _ = model(x.numpy(), lengths=lengths)
    T = x.shape[1] if cfg["batch_first"] else x.shape[0]
    assert np.all(out[pad_mask(lengths, T, cfg["batch_first"])] == 0.0)


@given(cfg=configs(), data=st.data(), seed=st.integers(0, 2**16))
def test_each_sequence_equals_running_it_alone(cfg, data, seed):
    """h_n, c_n come from each true end, and the reverse direction starts there.

    The reference is torch on each sequence cut to its length, with no padding
    and no packing, so this does not lean on pack_padded_sequence at all.
    """
    module, model = make_pair(cfg, seed=seed)
    x, lengths = draw_batch(data, cfg)
    bf = cfg["batch_first"]
    out, (h, c) = model(x.numpy(), lengths=lengths)
    out_tm = time_major(out, bf)
    x_tm = x.transpose(0, 1) if bf else x
    for b, n in enumerate(lengths):
        with torch.no_grad():
            o_b, (h_b, c_b) = module(x_tm[:n, b:b + 1].transpose(0, 1) if bf else x_tm[:n, b:b + 1])
        o_b = time_major(o_b.numpy(), bf)
        assert np.abs(out_tm[:n, b:b + 1] - o_b).max() <= TOL[torch.float64]
        assert np.abs(h[:, b:b + 1] - h_b.numpy()).max() <= TOL[torch.float64]
        assert np.abs(c[:, b:b + 1] - c_b.numpy()).max() <= TOL[torch.float64]


@given(cfg=configs(), data=st.data(), seed=st.integers(0, 2**16),
       dtype=st.sampled_from([torch.float64, torch.float32]))
def test_given_state_with_lengths_matches_torch(cfg, data, seed, dtype):
    """hx is per batch element; torch permutes it internally when enforce_sorted=False."""
    module, model = make_pair(cfg, dtype, seed)
    x, lengths = draw_batch(data, cfg, dtype)
    B = len(lengths)
    D = 2 if cfg["bidirectional"] else 1
    rows = D * cfg["num_layers"]
    hx = (torch.randn(rows, B, cfg["proj_size"] or cfg["hidden_size"], dtype=dtype),
          torch.randn(rows, B, cfg["hidden_size"], dtype=dtype))
    want = torch_packed(module, x, lengths, hx)
    out, (h, c) = model(x.numpy(), (hx[0].numpy(), hx[1].numpy()), lengths=lengths)
    assert out.dtype == h.dtype == c.dtype == model.dtype
    for got, ref in zip((out, h, c), want):
        assert got.shape == ref.shape
        assert np.abs(got - ref).max() <= TOL[dtype]


@given(cfg=configs(), data=st.data(), seed=st.integers(0, 2**16))
def test_batch_order_does_not_matter(cfg, data, seed):
    """Permuting the batch permutes the results: no sorting is needed by the caller."""
    _, model = make_pair(cfg, seed=seed)
    x, lengths = draw_batch(data, cfg)
    perm = np.array(data.draw(st.permutations(range(len(lengths))), label="perm"))
    bf = cfg["batch_first"]
    xb = x.numpy()
    out, (h, c) = model(xb, lengths=lengths)
    x_p = xb[perm] if bf else xb[:, perm]
    out_p, (h_p, c_p) = model(x_p, lengths=np.asarray(lengths)[perm])
    assert np.abs((out[perm] if bf else out[:, perm]) - out_p).max() <= 1e-12
    assert np.abs(h[:, perm] - h_p).max() <= 1e-12 and np.abs(c[:, perm] - c_p).max() <= 1e-12


def test_full_lengths_equal_no_lengths():
    module, model = make_pair(dict(input_size=3, hidden_size=4, num_layers=2,
                                   bidirectional=True, proj_size=2))
    x = np.random.default_rng(0).standard_normal((5, 3, 3))
    out, (h, c) = model(x)
    out_l, (h_l, c_l) = model(x, lengths=[5, 5, 5])
    assert np.array_equal(out, out_l) and np.array_equal(h, h_l) and np.array_equal(c, c_l)
    with torch.no_grad():
        assert np.abs(module(torch.from_numpy(x))[0].numpy() - out_l).max() <= 1e-10


def test_gather_last_output_equals_h_n():
    """The chapter's recipe: output at index lengths-1 is the forward direction's h_n."""
    module, model = make_pair(dict(input_size=2, hidden_size=3, batch_first=True, num_layers=2))
    x = np.random.default_rng(1).standard_normal((4, 6, 2))
    lengths = np.array([6, 1, 3, 4])
    out, (h, _) = model(x, lengths=lengths)
    last = out[np.arange(4), lengths - 1]
    assert np.array_equal(last, h[-1])
    assert not np.allclose(out[:, -1], h[-1])        # the naive output[:, -1] is wrong here
    assert np.abs(last - torch_packed(module, torch.from_numpy(x), lengths)[1][-1]).max() <= 1e-10


@pytest.mark.parametrize("as_type", [list, tuple, np.array, torch.tensor,
                                     lambda v: np.array(v, dtype=np.float64)])
def test_lengths_accepts_the_types_torch_accepts(as_type):
    module, model = make_pair(dict(input_size=2, hidden_size=3))
    x = torch.randn(4, 3, 2, dtype=torch.float64)
    lengths = [4, 2, 3]
    want = torch_packed(module, x, lengths)
    out, (h, c) = model(x.numpy(), lengths=as_type(lengths))
    for got, ref in zip((out, h, c), want):
        assert np.abs(got - ref).max() <= 1e-10


def test_dropout_in_training_keeps_padding_zero():
    model = lstm_ref.LSTM(3, 4, num_layers=3, dropout=0.5, dtype=np.float64, seed=0).train()
    x = np.random.default_rng(2).standard_normal((6, 3, 3))
    lengths = [6, 2, 4]
    out, _ = model(x, lengths=lengths)
    assert np.all(out[pad_mask(lengths, 6, False)] == 0.0)
    assert np.all(out[~pad_mask(lengths, 6, False)] != 0.0)


# ----- bad lengths -------------------------------------------------------------------------
BAD = [
    ([3, 0], "has to be greater than 0", "that is <= 0: [3, 0]"),
    ([3, -2], "has to be greater than 0", "that is <= 0: [3, -2]"),
    ([3, 5], "at most the sequence length T=4", "got max 5"),
    ([3], "equal to batch_size", "but got 1 (batch_size=2)"),
    ([3, 2, 1], "equal to batch_size", "but got 3 (batch_size=2)"),
    ([], "equal to batch_size", "but got 0 (batch_size=2)"),
    ([[3, 2]], "1-D sequence", "got shape [1, 2]"),
    ([3, 1.5], "must be integers", "got [3.0, 1.5]"),
    ([3, float("nan")], "must be integers", "nan"),
]


@pytest.mark.parametrize("lengths, expected, got", BAD)
def test_bad_lengths_name_expected_and_got(lengths, expected, got):
    model = lstm_ref.LSTM(5, 3)
    x = np.zeros((4, 2, 5), np.float32)
    with pytest.raises(ValueError) as info:
        model(x, lengths=lengths)
    assert expected in str(info.value) and got in str(info.value)


@pytest.mark.parametrize("lengths", [[3, 0], [3, -2], [3, 5]])
def test_torch_also_rejects(lengths):
    """Where lstm_ref raises for a length value, torch refuses it too (a length > T only
    once the packed batch reaches nn.LSTM). torch truncates 1.5 to 1 without a word;
    lstm_ref raises instead, as a silent change of the data is worse than an error."""
    with pytest.raises(RuntimeError):
        torch.nn.LSTM(5, 3)(pack_padded_sequence(torch.zeros(4, 2, 5), lengths, enforce_sorted=False))


def test_lengths_on_unbatched_input_names_the_dimensions():
    model = lstm_ref.LSTM(5, 3)
    with pytest.raises(ValueError, match="batched 3-D input, got unbatched 2-D input"):
        model(np.zeros((4, 5), np.float32), lengths=[4])


def test_bad_lengths_are_checked_before_any_work():
    """A bad call leaves no half-computed cache behind from the failed call."""
    model = lstm_ref.LSTM(5, 3)
    x = np.ones((4, 2, 5), np.float32)
    model(x, lengths=[4, 2])
    cache = model._cache
    with pytest.raises(ValueError):
        model(x, lengths=[4, 9])
    assert model._cache is cache


@pytest.mark.parametrize("huge", [1e20, 2**63])
def test_huge_length_is_reported_as_too_long(huge):
    model = lstm_ref.LSTM(5, 3)
    with pytest.raises(ValueError, match="at most the sequence length T=4"):
        model(np.zeros((4, 2, 5), np.float32), lengths=[4, huge])
