"""One small instance of every book widget, and an action that changes what each one shows:
shared by the label, accessibility and dark-mode tests (tests/test_widget_*.py)."""
import numpy as np
import torch

from lstm_ref.widgets.gate_explorer import GateExplorer
from lstm_ref.widgets.gradient_lab import GradientLab
from lstm_ref.widgets.index_explorer import IndexExplorer
from lstm_ref.widgets.packing_explorer import PackingExplorer
from lstm_ref.widgets.sequence_explorer import SequenceExplorer
from lstm_ref.widgets.shape_explorer import ShapeExplorer

NAMES = ["gate_explorer", "shape_explorer", "sequence_explorer", "index_explorer", "gradient_lab",
         "packing_explorer"]


def make(name, **kwargs):
    """A small widget of kind ``name`` (fast to compute, every part of it on show)."""
    if name == "gate_explorer":
        return GateExplorer(2, 2, seed=0, **kwargs)
    if name == "shape_explorer":
        return ShapeExplorer(num_layers=2, bidirectional=True, **kwargs)
    if name == "sequence_explorer":
        torch.manual_seed(8)
        module = torch.nn.LSTM(2, 3).double()
        x = np.random.default_rng(0).standard_normal((5, 2))
        return SequenceExplorer(module, x, title={"en": "A test sequence", "zh_CN": "一个测试序列"}, **kwargs)
    if name == "index_explorer":
        return IndexExplorer(seq_len=3, batch_size=2, input_size=3, hidden_size=2, seed=4, **kwargs)
    if name == "gradient_lab":
        return GradientLab(gap=10, forget_bias=1.0, rnn_scale=1.0, gaps=(5, 10), forget_biases=(0, 1, 2),
                           rnn_scales=(1.0, 2.0), hidden_size=4, n_seq=2, **kwargs)
    if name == "packing_explorer":
        return PackingExplorer(lengths=(2, 5, 3), **kwargs)
    raise ValueError(name)


def act(page, name):
    """Do one thing a reader would do, so that the texts of a second state show too."""
    from widget_harness import set_range
    if name == "gate_explorer":
        page.get_by_test_id("preset-forget").click()
    elif name == "shape_explorer":
        page.get_by_test_id("control-batched").set_checked(False)
    elif name == "sequence_explorer":
        page.get_by_test_id("next").click()
    elif name == "index_explorer":
        page.get_by_test_id("hn-3-1-1").click()
    elif name == "gradient_lab":
        set_range(page, "gap-slider", 0)
    elif name == "packing_explorer":
        set_range(page, "length-0", 4)
