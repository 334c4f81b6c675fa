"""The index explorer: its data against torch, and its JavaScript index mapping against identity
checks on real torch tensors (which layer, direction and step each number of output / h_n is)."""
import itertools
import json
import pathlib
import shutil
import subprocess

import numpy as np
import pytest
import torch

import lstm_ref
from lstm_ref.widgets.index_explorer import IndexExplorer, example_key

JS = pathlib.Path(lstm_ref.__file__).parent / "widgets" / "index_explorer.js"
NODE = shutil.which("node")
KINDS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def per_direction_states(module, x):
    """``{(layer, direction): (B, T, H)}``: every layer's and direction's h_t, from one-direction,
    one-layer torch LSTMs built from ``module``'s split state_dict (reverse: run on the flipped
    sequence, flipped back). ``x`` is batch-first."""
    sd, D = module.state_dict(), 2 if module.bidirectional else 1
    states, layer_in = {}, x
    with torch.no_grad():
        for layer in range(module.num_layers):
            outs = []
            for d in range(D):
                sfx = f"_l{layer}" + ("_reverse" if d else "")
                sub = torch.nn.LSTM(layer_in.shape[-1], module.hidden_size, batch_first=True).double()
                sub.load_state_dict({k + "_l0": sd[k + sfx] for k in KINDS})
                out = sub(layer_in.flip(1) if d else layer_in)[0]
                outs.append(out.flip(1) if d else out)
                states[(layer, d)] = outs[-1]
            layer_in = torch.cat(outs, -1)
        output, (h_n, _) = module(x)
    assert torch.allclose(layer_in, output, atol=1e-12)  # the split really is the module
    return states, output, h_n


def find(states, vec):
    """Every (layer, direction, t, unit) whose h_t[:, unit] over the batch equals ``vec``."""
    return [(layer, d, t, u) for (layer, d), s in states.items()
            for t in range(s.shape[1]) for u in range(s.shape[2])
            if torch.allclose(s[:, t, u], vec, atol=1e-12, rtol=0)]


def ground_truth(L, bidir, T, H, B=2, I=3, seed=0):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(I, H, L, batch_first=True, bidirectional=bidir).double()
    states, output, h_n = per_direction_states(module, torch.randn(B, T, I, dtype=torch.float64))
    D = 2 if bidir else 1
    cfg = dict(L=L, D=D, T=T, B=B, H=H)
    out_q, hn_q = [], []
    for b, t, j in itertools.product(range(B), range(T), range(D * H)):
        (hit,) = find(states, output[:, t, j])  # exactly one source
        equal_hn = [[r, b, u] for r in range(L * D) for u in range(H)
                    if torch.allclose(h_n[r, :, u], output[:, t, j], atol=1e-12, rtol=0)]
        out_q.append(dict(ix=[b, t, j], where=hit, equal=equal_hn))
    for r, b, j in itertools.product(range(L * D), range(B), range(H)):
        (hit,) = find(states, h_n[r, :, j])
        equal_out = [[b, t, jj] for t in range(T) for jj in range(D * H)
                     if torch.allclose(output[:, t, jj], h_n[r, :, j], atol=1e-12, rtol=0)]
        hn_q.append(dict(ix=[r, b, j], where=hit, equal=equal_out))
    return cfg, out_q, hn_q


def run_node(script, payload):
    proc = subprocess.run([NODE, "--input-type=module", "-e", script], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


SCRIPT = f"""
import {{ locateOutput, locateHn, outputOfHn, hnOfOutput, describe }} from {json.dumps(JS.as_uri())};
let s = ''; process.stdin.on('data', d => s += d);
process.stdin.on('end', () => {{
  const cases = JSON.parse(s);
  const res = cases.map(({{ cfg, out_q, hn_q }}) => ({{
    out: out_q.map(q => [locateOutput(cfg, ...q.ix), hnOfOutput(cfg, ...q.ix)]),
    hn: hn_q.map(q => [locateHn(cfg, ...q.ix), outputOfHn(cfg, ...q.ix)]),
    text: describe(cfg, locateHn(cfg, cfg.L * cfg.D - 1, 0, 0)),
  }}));
  const errors = [];
  for (const f of [() => locateOutput({{L: 1, D: 2, T: 4, B: 2, H: 3}}, 0, 4, 0),
                   () => locateHn({{L: 2, D: 2, T: 4, B: 2, H: 3}}, 4, 0, 0),
                   () => locateOutput({{L: 1, D: 1, T: 4, B: 2, H: 3}}, 0, 0, 3)]) {{
    try {{ f(); errors.push(null); }} catch (e) {{ errors.push(e.name + ': ' + e.message); }}
  }}
  console.log(JSON.stringify({{ res, errors }}));
}});
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_js_index_mapping_matches_torch_identities():
    cases = [ground_truth(L, bidir, T, H, seed=k) for k, (L, bidir, T, H) in enumerate(
        itertools.product((1, 2, 3), (False, True), (1, 4), (2, 3)))]
    payload = [dict(cfg=c, out_q=o, hn_q=h) for c, o, h in cases]
    got = run_node(SCRIPT, payload)
    n = 0
    for (cfg, out_q, hn_q), res in zip(cases, got["res"]):
        for q, (loc, equal) in zip(out_q, res["out"]):
            assert (loc["layer"], loc["direction"], loc["t"], loc["unit"]) == tuple(q["where"]), (cfg, q)
            assert loc["batch"] == q["ix"][0]
            assert ([equal] if equal else []) == q["equal"], (cfg, q)
            n += 1
        for q, (loc, equal) in zip(hn_q, res["hn"]):
            assert (loc["layer"], loc["direction"], loc["t"], loc["unit"]) == tuple(q["where"]), (cfg, q)
            # h_n.view(L, D, B, H)[layer, direction] is the same row, checked on a real view.
            assert loc["view"][:2] == [loc["layer"], loc["direction"]]
            assert ([equal] if equal else []) == q["equal"], (cfg, q)
            n += 1
    assert n == sum(len(o) + len(h) for _, o, h in cases)
    assert got["res"][-1]["text"].startswith("layer 2 (the top layer), reverse direction, time step t = 0")
    assert [e.split(":")[0] if e else e for e in got["errors"]] == ["RangeError"] * 3


def test_view_rows_are_layer_major():
    """The JS uses row = layer * D + direction; that is what h_n.view(L, D, B, H) means in torch."""
    torch.manual_seed(1)
    module = torch.nn.LSTM(3, 2, 3, batch_first=True, bidirectional=True).double()
    states, _, h_n = per_direction_states(module, torch.randn(2, 4, 3, dtype=torch.float64))
    view = h_n.view(3, 2, 2, 2)
    for layer, d in itertools.product(range(3), range(2)):
        final = states[(layer, d)][:, -1 if d == 0 else 0]
        assert torch.allclose(view[layer, d], final, atol=1e-12)
        assert torch.equal(view[layer, d], h_n[layer * 2 + d])


def test_traits_match_torch():
    w = IndexExplorer(seq_len=4, batch_size=2, input_size=5, hidden_size=3, seed=2)
    assert set(w.examples) == {example_key(L, b) for L in (1, 2, 3) for b in (False, True)}
    x = torch.from_numpy(w.input)
    for L, bidir in itertools.product((1, 2, 3), (False, True)):
        module = torch.nn.LSTM(5, 3, L, batch_first=True, bidirectional=bidir).double()
        module.load_state_dict({k: torch.from_numpy(v) for k, v in w.model(L, bidir).state_dict().items()})
        with torch.no_grad():
            output, (h_n, _) = module(x)
        ex = w.examples[example_key(L, bidir)]
        D = 2 if bidir else 1
        assert np.shape(ex["output"]) == (2, 4, D * 3) and np.shape(ex["h_n"]) == (L * D, 2, 3)
        np.testing.assert_allclose(ex["output"], output.numpy(), atol=1e-12)
        np.testing.assert_allclose(ex["h_n"], h_n.numpy(), atol=1e-12)
    # Different configurations have different weights (the picture is not one tensor reused).
    assert not np.allclose(w.examples["L1_D1"]["h_n"][0], w.examples["L1_D2"]["h_n"][0])
    assert w.num_layers == 2 and w.bidirectional


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="num_layers 1 to 3, got 4"):
        IndexExplorer(num_layers=4)
    with pytest.raises(ValueError, match="hidden_size must be greater than zero, got 0"):
        IndexExplorer(hidden_size=0)


def wcag_text_color(hex_color, opacity):
    """Black or white by WCAG 2 contrast ratio, on the colour blended over white."""
    rgb = [int(hex_color[k:k + 2], 16) / 255 for k in (1, 3, 5)]
    c = [opacity * v + 1 - opacity for v in rgb]
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    L = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000" if (L + 0.05) / 0.05 > 1.05 / (L + 0.05) else "#fff"


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_js_text_color_is_the_more_readable_one():
    from lstm_ref.style import GATE_COLORS

    cases = [[c, o] for c in list(GATE_COLORS.values()) + ["#000000", "#ffffff"]
             for o in (0.3, 0.6, 0.85, 1.0)]
    script = f"""
    import {{ textColorOn }} from {json.dumps(JS.as_uri())};
    let s = ''; process.stdin.on('data', d => s += d);
    process.stdin.on('end', () => console.log(JSON.stringify(JSON.parse(s).map(([c, o]) => textColorOn(c, o)))));
    """
    got = run_node(script, cases)
    assert got == [wcag_text_color(c, o) for c, o in cases]
    assert got[cases.index(["#000000", 1.0])] == "#fff" and got[cases.index(["#ffffff", 1.0])] == "#000"


def test_rendered_widget_reports_torchs_layer_direction_and_step(browser, tmp_path):
    """In Chromium: click cells of output and h_n in several configurations; the readout and the
    dashed 'equal cell' follow the identity checks on torch tensors."""
    from widget_harness import rendered

    w = IndexExplorer(seq_len=3, batch_size=2, input_size=3, hidden_size=2, seed=4)
    with rendered(browser, w, tmp_path) as page:
        assert page.locator(".lstm-widget.lstm-widget-index-explorer").count() == 1
        for L, bidir in ((2, True), (3, False), (1, True)):
            page.get_by_test_id("num-layers").select_option(str(L))
            page.get_by_test_id("bidirectional").set_checked(bidir)
            cfg, out_q, hn_q = ground_truth(L, bidir, T=3, H=2, seed=L)
            ex = w.examples[example_key(L, bidir)]
            for tensor, queries in (("output", out_q), ("hn", hn_q)):
                for q in queries[::3]:
                    page.get_by_test_id(f"{tensor}-{'-'.join(map(str, q['ix']))}").click()
                    read = {k: page.get_by_test_id(f"readout-{k}").text_content()
                            for k in ("layer", "direction", "time", "unit", "value", "match")}
                    layer, d, t, u = q["where"]
                    assert (int(read["layer"]), read["direction"], int(read["time"]), int(read["unit"])) \
                        == (layer, ("forward", "reverse")[d], t, u), (L, bidir, tensor, q, read)
                    value = (ex["output"] if tensor == "output" else ex["h_n"])
                    for i in q["ix"]:
                        value = value[i]
                    assert abs(float(read["value"]) - value) <= 5.1e-5
                    if q["equal"]:
                        other = "h_n" if tensor == "output" else "output"
                        assert read["match"] == f"{other}[{', '.join(map(str, q['equal'][0]))}]"
                        dashed = page.locator("[data-match=true]")
                        assert dashed.count() == 1
                        assert dashed.get_attribute("data-testid") == \
                            f"{'hn' if tensor == 'output' else 'output'}-{'-'.join(map(str, q['equal'][0]))}"
                    else:
                        assert read["match"].startswith("none")
                        assert page.locator("[data-match=true]").count() == 0
