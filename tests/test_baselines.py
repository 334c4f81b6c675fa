"""lstm_ref.baselines: AR(p) by OLS, MASE, n-gram character models."""
import pathlib

import numpy as np
import pytest

from lstm_ref import baselines as bl

ROOT = pathlib.Path(__file__).resolve().parents[1]


def simulate_ar(coef, n, seed):
    rng = np.random.default_rng(seed)
    c, phi = coef[0], np.asarray(coef[1:])
    y = np.zeros(n + 200)
    for t in range(len(phi), len(y)):
        y[t] = c + phi @ y[t - len(phi):t][::-1] + rng.standard_normal()
    return y[200:]                                        # drop the burn-in


def test_fit_ar_recovers_known_coefficients():
    true = np.array([2.0, 1.3, -0.6, 0.1])                # a stationary AR(3)
    y = simulate_ar(true, 20_000, seed=0)
    coef = bl.fit_ar(y, 3, 3, len(y))
    np.testing.assert_allclose(coef[1:], true[1:], atol=0.03)
    # the mean of the process, c / (1 - sum phi), is the better-conditioned check of c
    assert abs(coef[0] / (1 - coef[1:].sum()) - true[0] / (1 - true[1:].sum())) < 0.5


def test_fit_ar_is_ols_and_matches_statsmodels():
    from statsmodels.datasets import sunspots
    from statsmodels.tsa.ar_model import AutoReg

    y = sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()[:250]
    for p in (1, 9, 24):
        coef = bl.fit_ar(y, p, p, len(y))
        X = np.column_stack([np.ones(len(y) - p)] + [y[p - k:len(y) - k] for k in range(1, p + 1)])
        ref, *_ = np.linalg.lstsq(X, y[p:], rcond=None)
        np.testing.assert_allclose(coef, ref, rtol=1e-10, atol=1e-10)
        sm = AutoReg(y, lags=p, trend="c").fit()
        np.testing.assert_allclose(coef, sm.params, rtol=1e-8, atol=1e-8)
        np.testing.assert_allclose(bl.predict_ar(coef, y, p, len(y)), sm.fittedvalues, rtol=1e-8, atol=1e-8)


def test_predict_ar_uses_only_the_past():
    y = np.arange(30.0)
    coef = np.array([0.5, 2.0, -1.0])                     # 0.5 + 2 y[t-1] - y[t-2]
    pred = bl.predict_ar(coef, y, 5, 10)
    np.testing.assert_allclose(pred, [0.5 + 2 * y[t - 1] - y[t - 2] for t in range(5, 10)])
    changed = y.copy()
    changed[5:] = -99                                     # the targets themselves must not matter
    assert bl.predict_ar(coef, changed, 5, 6)[0] == pred[0]
    with pytest.raises(ValueError):
        bl.lag_matrix(y, 3, 2, 10)


def test_mase_of_the_naive_forecast_in_sample_is_one():
    from statsmodels.datasets import sunspots

    y = sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()[:250]
    assert bl.mase(y[:-1], y[1:], y) == pytest.approx(1.0, abs=1e-12)
    assert bl.mase(y[:-11], y[11:], y, m=11) == pytest.approx(1.0, abs=1e-12)
    # a forecast with half the naive errors scores 0.5
    half = y[1:] + 0.5 * (y[:-1] - y[1:])
    assert bl.mase(half, y[1:], y) == pytest.approx(0.5, abs=1e-12)
    assert bl.mase_scale(y) == pytest.approx(np.mean(np.abs(np.diff(y))))


def poem_ids():
    text = (ROOT / "data" / "poems.txt").read_text(encoding="utf-8")
    chars = sorted(set(text))
    return np.array([chars.index(c) for c in text]), len(chars)


def test_ngram_counts_count_every_ngram_once():
    ids = np.array([0, 1, 1, 2, 0, 1])
    c2 = bl.ngram_counts(ids, 2, 3)
    assert c2.sum() == len(ids) - 1
    assert c2[0, 1] == 2 and c2[1, 1] == 1 and c2[1, 2] == 1 and c2[2, 0] == 1
    assert bl.ngram_counts(ids, 3, 3)[0, 1, 1] == 1 and bl.ngram_counts(ids, 3, 3).sum() == 4


@pytest.mark.parametrize("k", [0.01, 0.5, 1.0])
def test_add_k_distributions_sum_to_one(k):
    ids, V = poem_ids()
    for n in (1, 2, 3):
        probs = bl.add_k(bl.ngram_counts(ids, n, V), k)
        np.testing.assert_allclose(probs.sum(axis=-1), 1.0, atol=1e-12)
        assert probs.min() > 0
    # the formula, on one bigram
    c2 = bl.ngram_counts(ids, 2, V)
    a, b = ids[0], ids[1]
    assert bl.add_k(c2, k)[a, b] == pytest.approx((c2[a, b] + k) / (c2[a].sum() + k * V))


def test_interpolated_trigram_sums_to_one_and_interpolates():
    ids, V = poem_ids()
    train = ids[:3000]
    P = bl.interpolated_trigram(train, V, (0.6, 0.3, 0.1))
    np.testing.assert_allclose(P.sum(axis=-1), 1.0, atol=1e-12)
    assert P.min() > 0
    # weight 1 on the trigram is its maximum-likelihood estimate where the context occurred
    c3 = bl.ngram_counts(train, 3, V)
    P3 = bl.interpolated_trigram(train, V, (1.0, 0.0, 0.0))
    a, b = train[0], train[1]
    np.testing.assert_allclose(P3[a, b], c3[a, b] / c3[a, b].sum())
    # weight 1 on the unigram is the add-one unigram for every context
    P1 = bl.interpolated_trigram(train, V, (0.0, 0.0, 1.0))
    np.testing.assert_allclose(P1[3, 5], bl.add_k(bl.ngram_counts(train, 1, V), 1.0))
    with pytest.raises(ValueError):
        bl.interpolated_trigram(train, V, (0.5, 0.5, 0.5))


def test_cross_entropy_matches_a_direct_sum():
    ids, V = poem_ids()
    probs = bl.add_k(bl.ngram_counts(ids[:3000], 2, V), 0.1)
    held = ids[3000:]
    direct = -np.mean([np.log(probs[held[t - 1], held[t]]) for t in range(1, len(held))])
    assert bl.cross_entropy(probs, held) == pytest.approx(direct, rel=1e-12)
    # the uniform distribution scores ln V
    assert bl.cross_entropy(np.full((V, V), 1 / V), held) == pytest.approx(np.log(V))
    # context helps on held-out text: bigram below unigram
    uni = bl.add_k(bl.ngram_counts(ids[:3000], 1, V), 1.0)
    assert bl.cross_entropy(probs, held) < bl.cross_entropy(uni, held[1:])
