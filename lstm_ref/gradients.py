r"""How far back does a gradient reach? Jacobian norms of LSTMs and RNNs, from lstm_ref's backward.

Every function here takes a one-layer, one-direction, time-major (``batch_first=False``)
:class:`lstm_ref.LSTM` or :class:`lstm_ref.RNN` and calls its ``backward`` once.
Steps are numbered from 0: ``x`` of shape ``(T, ...)`` holds :math:`x_0, \dots, x_{T-1}`,
:math:`h_t` and :math:`c_t` are the states after step t, and the initial state
(torch's ``h_0`` and ``c_0`` arguments) is :math:`(h_{-1}, c_{-1})`.
A whole Jacobian costs one backward pass thanks to a batching trick: the
sequence is repeated ``H_out`` times along the batch axis and copy ``j`` receives
the gradient :math:`e_j` at its output, so its input gradient is row ``j`` of
:math:`\partial h_{t'} / \partial x_t`.
"""
from __future__ import annotations

import numpy as np

__all__ = ["input_gradient_norms", "connectivity", "state_jacobian", "cell_jacobian",
           "forget_gates", "set_forget_bias", "gradient_lab_grid"]


def _h_out(model):
    return model.state_dict()["weight_hh_l0"].shape[1]  # (4H or H, H_out) for LSTM and RNN


def _check_model(model):
    if getattr(model, "num_layers", 1) != 1 or getattr(model, "bidirectional", False) \
            or model.batch_first:
        raise ValueError("expected a one-layer, one-direction model with batch_first=False, got "
                         f"{model!r} (num_layers={model.num_layers}, batch_first={model.batch_first})")


def input_gradient_norms(model, x, target=-1):
    r""":math:`\lVert \partial h_{\text{target}} / \partial x_t \rVert_F` for every t.

    Averaged over the N sequences of ``x``.

    ``x`` is ``(T, N, I)``: N sequences. Returns an array of shape ``(T,)``;
    entries after ``target`` are 0 (the future does not influence the past).
    """
    _check_model(model)
    x = np.asarray(x)
    T, N, _ = x.shape
    P = _h_out(model)
    # One backward pass for all P outputs: copy j of sequence n is batch n*P + j.
    out = model(np.repeat(x, P, axis=1))[0]
    grad = np.zeros_like(out)
    grad[target, np.arange(N * P), np.tile(np.arange(P), N)] = 1.0
    dx = model.backward(grad)["input"].reshape(T, N, P, -1)
    return np.sqrt((dx ** 2).sum(axis=(2, 3))).mean(axis=1)


def connectivity(model, x):
    r"""Matrix ``M[t', t]`` of :math:`\lVert \partial h_{t'} / \partial x_t \rVert_F` for one sequence ``x`` ``(T, I)``.

    Distill's connectivity figure as numbers: row t' says how much each input
    can still move the state at t'. It is lower-triangular (causality).
    """
    _check_model(model)
    x = np.asarray(x)
    T, P = x.shape[0], _h_out(model)
    out = model(np.repeat(x[:, None], T * P, axis=1))[0]   # batch b = t' * P + j
    grad = np.zeros_like(out)
    b = np.arange(T * P)
    grad[b // P, b, b % P] = 1.0
    dx = model.backward(grad)["input"].reshape(T, T, P, -1)  # (t, t', j, i)
    return np.sqrt((dx ** 2).sum(axis=(2, 3))).T


def state_jacobian(model, x, hx=None):
    r"""The Jacobian of the last state with respect to the initial state, on one sequence, by backward.

    ``x`` is ``(T, I)``: steps :math:`x_0, \dots, x_{T-1}`. ``hx`` is the initial state,
    as the model takes it for one sequence: ``(h, c)`` with ``h`` ``(H_out,)`` and ``c``
    ``(H,)`` for an LSTM, ``h`` ``(H,)`` for an RNN; zeros if omitted.

    * LSTM: the state is the pair :math:`s_t = (h_t, c_t)`, and the result is
      :math:`\partial s_{T-1} / \partial s_{-1}`, a ``(H_out + H, H_out + H)`` matrix
      with blocks ``[[dh/dh, dh/dc], [dc/dh, dc/dc]]``.
    * RNN: :math:`\partial h_{T-1} / \partial h_{-1}`, ``(H, H)``.

    With ``T = 1`` this is the step Jacobian :math:`\partial s_t / \partial s_{t-1}`
    at that state. Row ``j`` is the gradient reaching the initial state when
    component ``j`` of the last state receives :math:`e_j` (one copy per row).
    """
    _check_model(model)
    x = np.asarray(x)
    P = _h_out(model)
    lstm = hasattr(model, "proj_size")
    S = P + model.hidden_size if lstm else P
    xb = np.repeat(x[:, None], S, axis=1)
    dtype = model.state_dict()["weight_hh_l0"].dtype
    if lstm:
        h0, c0 = ((np.zeros(P, dtype), np.zeros(model.hidden_size, dtype)) if hx is None else hx)
        h0 = np.repeat(np.asarray(h0, dtype)[None, None], S, axis=1)
        c0 = np.repeat(np.asarray(c0, dtype)[None, None], S, axis=1)
        out, _ = model(xb, (h0, c0))
        eye = np.eye(S, dtype=dtype)[None]
        g = model.backward(np.zeros_like(out), grad_h_n=eye[..., :P], grad_c_n=eye[..., P:])
        return np.concatenate([g["h_0"][0], g["c_0"][0]], axis=1)
    h0 = np.zeros(P, dtype) if hx is None else np.asarray(hx, dtype)
    out, _ = model(xb, np.repeat(h0[None, None], S, axis=1))
    g = model.backward(np.zeros_like(out), grad_h_n=np.eye(S, dtype=dtype)[None])
    return g["h_0"][0]


def cell_jacobian(model, x, hx=None):
    r""":math:`\partial c_{T-1} / \partial c_{-1}` ``(H, H)`` of an LSTM on one sequence ``x`` ``(T, I)``.

    The c-to-c block of :func:`state_jacobian`: the total derivative, through every
    path (the cell path and the paths through :math:`h` and the gates), not only the
    cell path :math:`\prod_t \operatorname{diag}(f_t)`.
    """
    P = _h_out(model)
    return state_jacobian(model, x, hx)[P:, P:]


def forget_gates(model, x):
    r"""The forget gates :math:`f_0, \dots, f_{T-1}` ``(T, H)`` of an LSTM on one sequence ``x`` ``(T, I)``.

    Recomputed with :func:`lstm_ref.lstm_gates` from :math:`x_t` and :math:`h_{t-1}`
    (read off ``output``), independently of the backward pass.
    """
    from .cell import lstm_gates

    _check_model(model)
    x = np.asarray(x)
    out = model(x)[0]
    h_prev = np.vstack([np.zeros((1, out.shape[1]), out.dtype), out[:-1]])
    p = model.state_dict()
    return lstm_gates(x, h_prev, p["weight_ih_l0"], p["weight_hh_l0"], p.get("bias_ih_l0"),
                      p.get("bias_hh_l0")).f


def set_forget_bias(model, value):
    """Set the forget gate's total bias to ``value``.

    ``bias_ih`` rows H:2H become ``value`` and ``bias_hh`` rows H:2H become 0.

    torch adds both biases, so the gate sees ``value``; rows H:2H are the
    forget gate in torch's order i, f, g, o. Works on every layer and direction.
    """
    sd, H = model.state_dict(), model.hidden_size
    for name in sd:
        if name.startswith("bias_ih"):
            sd[name][H:2 * H] = value
        elif name.startswith("bias_hh"):
            sd[name][H:2 * H] = 0.0
    return model.load_state_dict(sd)


def gradient_lab_grid(gaps=(5, 10, 20, 40, 80), forget_biases=(-2, -1, 0, 1, 2, 3, 4),
                      rnn_scales=(0.5, 1.0, 2.0, 3.0, 4.0), hidden_size=32, input_size=4,
                      n_seq=3, seed=0):
    r"""The data of the vanishing-gradient lab: :math:`\log_{10} \lVert \partial h_{T-1} / \partial x_{T-1-k} \rVert_F`.

    For every gap (sequence length ``T = gap + 1``, steps 0..T-1), distance k = 0..gap:

    * ``lstm[g][b]``: an LSTM initialised as torch does, with forget bias ``forget_biases[b]``;
    * ``rnn[g][s]``: a tanh RNN initialised as torch does, with ``weight_hh`` times ``rnn_scales[s]``.

    Both see the same ``n_seq`` standard normal input sequences; weights are
    seeded, so the grid is reproducible. Returns plain lists (JSON for the widget).
    """
    from .lstm import LSTM
    from .rnn import RNN

    rng = np.random.default_rng(seed)
    xs = rng.standard_normal((max(gaps) + 1, n_seq, input_size))
    lstm_base = LSTM(input_size, hidden_size, dtype=np.float64, seed=seed)
    rnn_base = RNN(input_size, hidden_size, dtype=np.float64, seed=seed)

    def curve(model, gap):
        norms = input_gradient_norms(model, xs[:gap + 1])[::-1]   # index k = distance
        return np.round(np.log10(norms), 4).tolist()

    lstm, rnn = [], []
    for gap in gaps:
        row = []
        for b in forget_biases:
            row.append(curve(set_forget_bias(LSTM(input_size, hidden_size, dtype=np.float64)
                                             .load_state_dict(lstm_base.state_dict()), b), gap))
        lstm.append(row)
        row = []
        for s in rnn_scales:
            sd = rnn_base.state_dict()
            sd["weight_hh_l0"] = sd["weight_hh_l0"] * s
            row.append(curve(RNN(input_size, hidden_size, dtype=np.float64).load_state_dict(sd), gap))
        rnn.append(row)
    return {"gaps": list(gaps), "forget_biases": [float(b) for b in forget_biases],
            "rnn_scales": [float(s) for s in rnn_scales], "lstm": lstm, "rnn": rnn}
