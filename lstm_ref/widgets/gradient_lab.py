"""The vanishing-gradient lab: gradient norm against distance, RNN versus LSTM, switched by sliders.

Python precomputes the whole grid with :func:`lstm_ref.gradients.gradient_lab_grid`
(every gap length x forget-gate bias for the LSTM, every gap x recurrent-weight
scale for the RNN) into traits; the browser (``gradient_lab.js``) only picks
and draws curves, so the widget works on a static page. The selection and the
readouts are exported from the JavaScript and tested under node against the grid.
"""
from __future__ import annotations

import traitlets

from ..gradients import gradient_lab_grid
from ._base import BookWidget

__all__ = ["GradientLab"]


class GradientLab(BookWidget):
    r"""Sliders for the gap, the LSTM's forget-gate bias and the RNN's weight scale.

    ``lstm[g][b][k]`` and ``rnn[g][s][k]`` are :math:`\log_{10}\lVert\partial h_{T-1}/\partial x_{T-1-k}\rVert_F`
    for gap ``gaps[g]``, bias ``forget_biases[b]``, scale ``rnn_scales[s]`` and
    distance ``k = 0..gaps[g]``. Keyword arguments go to :func:`gradient_lab_grid`.
    """

    _js_file = "gradient_lab.js"

    gaps = traitlets.List().tag(sync=True)
    forget_biases = traitlets.List().tag(sync=True)
    rnn_scales = traitlets.List().tag(sync=True)
    lstm = traitlets.List().tag(sync=True)
    rnn = traitlets.List().tag(sync=True)
    gap_index = traitlets.Int(0).tag(sync=True)
    bias_index = traitlets.Int(0).tag(sync=True)
    scale_index = traitlets.Int(0).tag(sync=True)

    def __init__(self, gap=40, forget_bias=0.0, rnn_scale=1.0, **grid_kwargs):
        data = gradient_lab_grid(**grid_kwargs)
        index = {}
        for name, value, values in (("gap", gap, data["gaps"]),
                                    ("forget_bias", forget_bias, data["forget_biases"]),
                                    ("rnn_scale", rnn_scale, data["rnn_scales"])):
            if value not in values:
                raise ValueError(f"{name} must be one of {values}, got {value}")
            index[name] = values.index(value)
        super().__init__(gaps=data["gaps"], forget_biases=data["forget_biases"],
                         rnn_scales=data["rnn_scales"], lstm=data["lstm"], rnn=data["rnn"],
                         gap_index=index["gap"], bias_index=index["forget_bias"],
                         scale_index=index["rnn_scale"])

    def selected(self):
        """``(lstm_curve, rnn_curve)`` for the current slider positions: what the browser draws."""
        return (self.lstm[self.gap_index][self.bias_index],
                self.rnn[self.gap_index][self.scale_index])
