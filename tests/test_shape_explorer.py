"""The shape explorer: its JavaScript equals lstm_ref.shapes, which equals a real nn.LSTM."""
import itertools

import pytest
import torch

import lstm_ref
from lstm_ref.widgets.shape_explorer import ShapeExplorer
from node_esm import run_esm

KEYS = ("batch_size", "seq_len", "input_size", "hidden_size", "num_layers", "bidirectional",
        "batch_first", "proj_size", "bias")
GRID = [dict(zip(KEYS, v)) for v in itertools.product(
    [None, 1, 3], [1, 4], [1, 5], [1, 3, 4], [1, 2, 3], [False, True], [False, True], [0, 1, 2],
    [True, False]) if v[7] < v[3]]


def as_tuples(result):
    return {part: [(k, tuple(v)) for k, v in result[part].items()] for part in ("tensors", "params")}


def test_js_shapes_equal_lstm_ref_over_the_grid():
    results = run_esm("shape_explorer.js", "computeShapes", [[cfg] for cfg in GRID])
    assert len(GRID) > 1000
    for cfg, res in zip(GRID, results):
        assert "ok" in res, (cfg, res)
        # Same shapes and the same order of parameters (torch's: layer, direction, kind).
        assert as_tuples(res["ok"]) == as_tuples(lstm_ref.shapes(**cfg)), cfg


@pytest.mark.parametrize("cfg", GRID[::17], ids=lambda c: "-".join(str(c[k]) for k in KEYS))
def test_lstm_ref_shapes_equal_a_real_nn_lstm(cfg):
    s = lstm_ref.shapes(**cfg)
    module = torch.nn.LSTM(cfg["input_size"], cfg["hidden_size"], num_layers=cfg["num_layers"],
                           bias=cfg["bias"], batch_first=cfg["batch_first"],
                           bidirectional=cfg["bidirectional"], proj_size=cfg["proj_size"])
    assert [(k, tuple(p.shape)) for k, p in module.named_parameters()] == list(s["params"].items())
    t = s["tensors"]
    x = torch.randn(t["input"])
    # torch accepts states of exactly these shapes, and returns these shapes.
    with torch.no_grad():
        output, (h_n, c_n) = module(x, (torch.zeros(t["h_0"]), torch.zeros(t["c_0"])))
    assert (tuple(output.shape), tuple(h_n.shape), tuple(c_n.shape)) == (t["output"], t["h_n"], t["c_n"])


BAD = [
    dict(hidden_size=0), dict(num_layers=0), dict(input_size=0), dict(proj_size=3),
    dict(proj_size=4), dict(proj_size=-1), dict(batch_size=0), dict(seq_len=0),
]


@pytest.mark.parametrize("bad", BAD, ids=lambda b: "-".join(f"{k}={v}" for k, v in b.items()))
def test_js_rejects_bad_configurations_with_lstm_refs_message(bad):
    cfg = dict(batch_size=2, seq_len=4, input_size=5, hidden_size=3) | bad
    with pytest.raises(ValueError) as info:
        lstm_ref.shapes(**cfg)
    [res] = run_esm("shape_explorer.js", "computeShapes", [[cfg]])
    assert res == {"error": str(info.value)}


@pytest.mark.parametrize("bad", [dict(hidden_size=0), dict(num_layers=0), dict(proj_size=3),
                                 dict(proj_size=-1)])
def test_torch_rejects_the_same_configurations(bad):
    with pytest.raises((ValueError, RuntimeError)):
        torch.nn.LSTM(**(dict(input_size=5, hidden_size=3) | bad))


def test_torch_code_shown_by_the_widget_runs_and_gives_its_shapes():
    """The widget prints `lstm = nn.LSTM(...)`, `x = torch.randn(...)`; run that code with torch."""
    cfgs = [dict(c, batched=c["batch_size"] is not None) for c in GRID[::97]]
    codes = run_esm("shape_explorer.js", "torchCode", [[c] for c in cfgs])
    for cfg, code in zip(cfgs, codes):
        scope = {"torch": torch, "nn": torch.nn}
        exec("\n".join(code["ok"]), scope)
        shapes = lstm_ref.shapes(**{k: cfg[k] for k in KEYS})["tensors"]
        assert tuple(scope["x"].shape) == shapes["input"]
        assert tuple(scope["output"].shape) == shapes["output"], code
        assert tuple(scope["h_n"].shape) == shapes["h_n"]


def test_dimension_labels_have_one_label_per_dimension():
    cfgs = [dict(c, batched=c["batch_size"] is not None) for c in GRID[::13]]
    labels = run_esm("shape_explorer.js", "dimLabels", [[c] for c in cfgs])
    for cfg, lab in zip(cfgs, labels):
        for name, shape in lstm_ref.shapes(**{k: cfg[k] for k in KEYS})["tensors"].items():
            assert len(lab["ok"][name]) == len(shape), (cfg, name)


def test_python_side_is_lstm_ref_shapes():
    w = ShapeExplorer(num_layers=2, bidirectional=True, batched=False, proj_size=2)
    assert w.shapes() == lstm_ref.shapes(None, 4, 5, 3, 2, True, False, 2)
    assert w.shapes()["tensors"]["h_n"] == (4, 2)
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        ShapeExplorer(proj_size=3)


def test_rendered_widget_shows_the_shapes_of_a_real_nn_lstm(browser, tmp_path):
    """In Chromium: change every control; every shape shown is the shape torch produces."""
    import json

    from widget_harness import rendered

    w = ShapeExplorer()
    steps = [("num_layers", 3), ("bidirectional", True), ("batch_first", True), ("proj_size", 2),
             ("hidden_size", 4), ("input_size", 7), ("seq_len", 6), ("batch_size", 5),
             ("bias", False), ("batched", False)]
    with rendered(browser, w, tmp_path) as page:
        assert page.locator(".lstm-widget.lstm-widget-shape_explorer").count() == 1
        for name, value in steps:
            control = page.get_by_test_id(f"control-{name}")
            if isinstance(value, bool):
                control.set_checked(value)
            else:
                control.fill(str(value))
            setattr(w, name, value)
            cfg = w.config()
            module = torch.nn.LSTM(cfg["input_size"], cfg["hidden_size"], cfg["num_layers"],
                                   bias=cfg["bias"], batch_first=cfg["batch_first"],
                                   bidirectional=cfg["bidirectional"], proj_size=cfg["proj_size"])
            s = lstm_ref.shapes(**cfg)["tensors"]
            with torch.no_grad():
                output, (h_n, c_n) = module(torch.randn(s["input"]))
            real = {"input": s["input"], "output": output.shape, "h_n": h_n.shape, "c_n": c_n.shape,
                    "h_0": h_n.shape, "c_0": c_n.shape}
            for tensor, shape in real.items():
                got = json.loads(page.get_by_test_id(f"shape-{tensor}").get_attribute("data-shape"))
                assert tuple(got) == tuple(shape), (name, tensor)
            params = dict(module.named_parameters())
            for pname, p in params.items():
                got = json.loads(page.get_by_test_id(f"param-{pname}").get_attribute("data-shape"))
                assert tuple(got) == tuple(p.shape), pname
            assert page.locator("[data-testid^=param-]").count() == len(params) + 1  # + total
            assert int(page.get_by_test_id("param-total").inner_text()) == sum(p.numel() for p in params.values())
        # An impossible configuration shows torch's (and lstm_ref's) message instead of shapes.
        page.get_by_test_id("control-proj_size").fill("4")
        with pytest.raises(ValueError) as info:
            lstm_ref.shapes(None, 6, 7, 4, 3, True, True, 4, False)
        assert page.get_by_test_id("error").inner_text() == f"ValueError: {info.value}"
