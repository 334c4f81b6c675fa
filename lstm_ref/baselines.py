r"""Baselines a sequence model has to beat, in NumPy: autoregression, MASE, n-gram character models.

**Autoregression, AR(p).** A linear forecast from the last :math:`p` values,

.. math::

    \hat y_t = c + \sum_{k=1}^{p} \phi_k\, y_{t-k},

with :math:`(c, \phi_1, \dots, \phi_p)` fitted by ordinary least squares: they
minimise :math:`\sum_t (y_t - \hat y_t)^2` over the fitting years.

**MASE** (mean absolute scaled error, Hyndman & Koehler 2006). The mean
absolute error divided by that of the naive forecast
:math:`\hat y_t = y_{t-m}` *in sample*, on the training series
:math:`y_0, \dots, y_{n-1}`:

.. math::

    \mathrm{MASE} = \frac{\frac{1}{|\mathcal T|}\sum_{t \in \mathcal T} |y_t - \hat y_t|}
                         {\frac{1}{n-m}\sum_{t=m}^{n-1} |y_t - y_{t-m}|}.

Below 1: better than the naive forecast was on the training data.

**n-gram character models.** Counts :math:`N(\cdot)` on training text only.
Add-k smoothing, for a context :math:`u` of :math:`n-1` symbols and a
vocabulary of :math:`V` symbols:

.. math::

    P_k(c \mid u) = \frac{N(u c) + k}{N(u) + k V}.

Interpolation (Jelinek & Mercer 1980) mixes the maximum-likelihood
trigram, bigram and unigram with weights :math:`\lambda_3 + \lambda_2 + \lambda_1 = 1`:

.. math::

    P(c \mid a b) = \lambda_3 \tilde P(c \mid a b) + \lambda_2 \tilde P(c \mid b) + \lambda_1 P_1(c),

where :math:`\tilde P(c \mid u) = N(u c) / N(u)` if the context :math:`u`
occurred in training and falls back to the next shorter context if not, and
:math:`P_1` is the add-one unigram, so that every symbol has a probability
above 0. Every conditional distribution sums to 1 over :math:`c`.
"""
from __future__ import annotations

import numpy as np

__all__ = ["lag_matrix", "fit_ar", "predict_ar", "mase_scale", "mase",
           "ngram_counts", "add_k", "interpolated_trigram", "cross_entropy"]


# --- autoregression ----------------------------------------------------------------------

def lag_matrix(y, p, start, stop):
    r"""Rows :math:`[1, y_{t-1}, \dots, y_{t-p}]` for :math:`t` in ``[start, stop)``: shape ``(stop - start, p + 1)``."""
    y = np.asarray(y, dtype=np.float64)
    if start < p:
        raise ValueError(f"start={start} must be >= p={p}: y[t - p] must exist")
    lags = [y[start - k:stop - k] for k in range(1, p + 1)]
    return np.column_stack([np.ones(stop - start)] + lags)


def fit_ar(y, p, start, stop):
    r"""OLS fit of AR(p) on the targets :math:`y_t`, :math:`t` in ``[start, stop)``: returns ``(c, phi_1, ..., phi_p)``."""
    X = lag_matrix(y, p, start, stop)
    coef, *_ = np.linalg.lstsq(X, np.asarray(y[start:stop], dtype=np.float64), rcond=None)
    return coef


def predict_ar(coef, y, start, stop):
    r"""One-step-ahead forecasts :math:`\hat y_t = c + \sum_k \phi_k y_{t-k}` for :math:`t` in ``[start, stop)``, from actual past values."""
    return lag_matrix(y, len(coef) - 1, start, stop) @ coef


# --- MASE --------------------------------------------------------------------------------

def mase_scale(y_train, m=1):
    r"""In-sample MAE of the naive forecast :math:`\hat y_t = y_{t-m}` on the training series: the denominator of MASE."""
    y_train = np.asarray(y_train, dtype=np.float64)
    return np.abs(y_train[m:] - y_train[:-m]).mean()


def mase(pred, actual, y_train, m=1):
    r"""Mean absolute error of ``pred`` divided by :func:`mase_scale` of ``y_train``."""
    err = np.abs(np.asarray(pred, dtype=np.float64) - np.asarray(actual, dtype=np.float64))
    return err.mean() / mase_scale(y_train, m)


# --- n-gram character models -------------------------------------------------------------

def ngram_counts(ids, n, V):
    r"""Counts :math:`N(x_{t-n+1} \dots x_t)` of the n-grams of the sequence ``ids``: an array of shape ``(V,) * n``."""
    ids = np.asarray(ids)
    counts = np.zeros((V,) * n)
    grams = tuple(ids[j:len(ids) - n + 1 + j] for j in range(n))
    np.add.at(counts, grams, 1)
    return counts


def add_k(counts, k):
    r""":math:`P_k(c \mid u) = (N(uc) + k) / (N(u) + kV)`: ``counts`` of shape ``(V,) * n`` to probabilities over the last axis."""
    smoothed = counts + k
    return smoothed / smoothed.sum(axis=-1, keepdims=True)


def _ml_or_fallback(counts, fallback):
    # N(uc) / N(u) where the context u occurred, else the shorter context's distribution.
    total = counts.sum(axis=-1, keepdims=True)
    ml = np.divide(counts, total, out=np.zeros_like(counts), where=total > 0)
    return np.where(total > 0, ml, np.broadcast_to(fallback, counts.shape))


def interpolated_trigram(ids, V, lambdas):
    r"""Jelinek-Mercer trigram :math:`P(c \mid a b)` as an array ``P[a, b, c]``, from training ``ids`` and weights ``(λ3, λ2, λ1)``."""
    l3, l2, l1 = lambdas
    if min(lambdas) < 0 or not np.isclose(l3 + l2 + l1, 1.0):
        raise ValueError(f"lambdas must be >= 0 and sum to 1, got {lambdas}")
    p1 = add_k(ngram_counts(ids, 1, V), 1.0)                       # (V,)
    p2 = _ml_or_fallback(ngram_counts(ids, 2, V), p1)              # (V, V): P~(c | b)
    p3 = _ml_or_fallback(ngram_counts(ids, 3, V), p2[None])        # (V, V, V): P~(c | a b)
    return l3 * p3 + l2 * p2[None] + l1 * p1


def cross_entropy(probs, ids):
    r"""Mean :math:`-\ln P(x_t \mid x_{t-n+1} \dots x_{t-1})` in nats over the targets :math:`t \ge n - 1`; ``probs`` has shape ``(V,) * n``."""
    ids = np.asarray(ids)
    n = probs.ndim
    grams = tuple(ids[j:len(ids) - n + 1 + j] for j in range(n))
    return -np.log(probs[grams]).mean()
