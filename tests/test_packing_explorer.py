"""The packing explorer: its JavaScript packing arithmetic against torch's pack_padded_sequence
(under node), and its precomputed states against torch's packed and padded runs."""
import itertools
import json

import numpy as np
import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from lstm_ref.widgets.packing_explorer import PackingExplorer
from node_esm import run_esm

JS = "packing_explorer.js"


def torch_layout(lengths, T):
    """batch_sizes, sorted/unsorted indices and the (b, t) of every packed row, from torch itself:
    pack a tensor whose entries are their own (b, t) coordinates."""
    B = len(lengths)
    coords = torch.stack(torch.meshgrid(torch.arange(B), torch.arange(T), indexing="ij"), -1)
    p = pack_padded_sequence(coords.double(), lengths, batch_first=True, enforce_sorted=False)
    return (p.batch_sizes.tolist(), p.sorted_indices.tolist(), p.unsorted_indices.tolist(),
            p.data.long().tolist())


GRID = [list(c) for B in (1, 2, 3, 4) for c in itertools.product(range(1, 5), repeat=B)]


def test_pack_layout_matches_torch_on_a_grid():
    T = 4
    results = run_esm(JS, "packLayout", [[lengths, T] for lengths in GRID])
    for lengths, res in zip(GRID, results):
        got = res["ok"]
        batch_sizes, sorted_idx, unsorted_idx, rows = torch_layout(lengths, T)
        assert got["batchSizes"] == batch_sizes, lengths
        assert len(got["rows"]) == sum(lengths)
        # Ties may be broken differently by torch's sort; equal lengths keep the same rows,
        # so compare the lengths along the order, and the exact order where there are no ties.
        assert [lengths[b] for b in got["sortedIndices"]] == [lengths[b] for b in sorted_idx]
        if len(set(lengths)) == len(lengths):
            assert got["sortedIndices"] == sorted_idx and got["unsortedIndices"] == unsorted_idx
            assert got["rows"] == rows
        assert [[lengths[b], t] for b, t in got["rows"]] == [[lengths[b], t] for b, t in rows]
        # rowOf is the inverse of rows, and -1 exactly on padding
        for b, n in enumerate(lengths):
            for t in range(T):
                r = got["rowOf"][b][t]
                assert (r == -1) == (t >= n)
                if r >= 0:
                    assert got["rows"][r] == [b, t]


@pytest.mark.parametrize("lengths, T, message", [
    ([2, 0], 4, "greater than 0"), ([2, 5], 4, "at most the sequence length T=4, got max 5"),
    ([], 4, "non-empty"), ([1.5], 4, "greater than 0")])
def test_pack_layout_rejects_bad_lengths(lengths, T, message):
    (res,) = run_esm(JS, "packLayout", [[lengths, T]])
    assert message in res["error"]


def test_states_match_torch_packed_and_padded():
    w = PackingExplorer(lengths=(2, 5, 3), input_size=2, hidden_size=4, seed=0)
    module = torch.nn.LSTM(2, 4, batch_first=True).double()
    module.load_state_dict({k: torch.from_numpy(v) for k, v in w.model.state_dict().items()})
    x = torch.from_numpy(w.input)
    B, T = x.shape[:2]
    packed, padded = np.asarray(w.h_packed), np.asarray(w.h_padded)
    assert packed.shape == padded.shape == (B, T, 4)
    with torch.no_grad():
        for n in range(1, T + 1):
            _, (h, _) = module(pack_padded_sequence(x, [n] * B, batch_first=True))
            assert np.abs(packed[:, n - 1] - h[0].numpy()).max() <= 1e-12
            zeroed = x.clone()
            zeroed[:, n:] = 0
            _, (h, _) = module(zeroed)
            assert np.abs(padded[:, n - 1] - h[0].numpy()).max() <= 1e-12
    # padding does harm exactly when there is padding
    gaps = np.linalg.norm(padded - packed, axis=-1)
    assert np.all(gaps[:, -1] == 0) and np.all(gaps[:, :-1] > 1e-6)


def test_js_hn_error_equals_python():
    w = PackingExplorer(lengths=(2, 5, 3))
    cases = [[w.h_packed, w.h_padded, lengths] for lengths in ([2, 5, 3], [5, 5, 5], [1, 1, 4])]
    for (hp, hq, lengths), res in zip(cases, run_esm(JS, "hnError", cases)):
        w.lengths = lengths
        assert np.allclose(res["ok"], w.hn_error(), atol=1e-12)
    assert np.allclose(run_esm(JS, "hnError", cases[1:2])[0]["ok"], 0.0)


def test_clamp_length():
    res = run_esm(JS, "clampLength", [[0, 5], [7, 5], ["3", 5], [2.6, 5], ["x", 5]])
    assert [r["ok"] for r in res] == [1, 5, 3, 3, 1]


def test_bad_construction_raises_value_error():
    with pytest.raises(ValueError, match="greater than 0"):
        PackingExplorer(lengths=(2, 0))
    with pytest.raises(ValueError, match="at most the sequence length T=3"):
        PackingExplorer(lengths=(2, 5), seq_len=3)


def test_front_end_is_self_contained_and_testable():
    src = PackingExplorer._esm
    assert "import " not in src.split("export function")[0]   # no imports, no network
    assert "http" not in src.replace("http://www.w3.org/2000/svg", "")
    for hook in ("lstm-widget-packing-explorer", "length-${b}", "batch-sizes", "sorted-indices",
                 "hn-error-${b}", "cell-${b}-${t}", "packed-${r}"):
        assert hook in src


def check_in_browser(root, state):
    """The browser check for tests/test_browser.py (``INTERACTIONS["packing_explorer"]``).

    ``root`` is the widget's ``.lstm-widget-packing-explorer`` locator and ``state`` its saved
    traits. Drag the length of sequence 0 and check every readout against torch's
    ``pack_padded_sequence`` and against the states Python saved.
    """
    T, lengths = state["seq_len"], list(state["lengths"])
    packed, padded = np.asarray(state["h_packed"]), np.asarray(state["h_padded"])

    def agree(label):
        B = len(lengths)
        p = pack_padded_sequence(torch.zeros(B, T, 1), lengths, batch_first=True, enforce_sorted=False)
        shown = root.get_by_test_id("batch-sizes").text_content()
        assert json.loads(shown) == p.batch_sizes.tolist(), f"packing explorer, {label}: batch_sizes"
        order = json.loads(root.get_by_test_id("sorted-indices").text_content())
        assert [lengths[b] for b in order] == sorted(lengths, reverse=True), f"{label}: sorted_indices"
        assert int(root.get_by_test_id("data-rows").text_content()) == sum(lengths)
        for b, n in enumerate(lengths):
            want = np.linalg.norm(padded[b, n - 1] - packed[b, n - 1])
            got = float(root.get_by_test_id(f"hn-error-{b}").text_content())
            assert abs(got - want) <= 5e-4, f"{label}: hn-error-{b} shows {got}, expected {want:.4f}"
            pad_cells = root.locator(f'[data-testid^="cell-{b}-"][data-row="-1"]').count()
            assert pad_cells == T - n, f"{label}: sequence {b} shows {pad_cells} padded cells"

    agree("as saved")
    new = 1 if lengths[0] != 1 else T
    root.get_by_test_id("length-0").fill(str(new))
    lengths[0] = new
    agree(f"lengths = {lengths}")
