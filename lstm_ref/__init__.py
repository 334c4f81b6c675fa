"""lstm_ref: a from-scratch NumPy LSTM that matches ``torch.nn.LSTM`` to float precision.

The reference code of the LSTM book. Read it top-down:

* :mod:`lstm_ref.cell`   -- one time step (:func:`lstm_cell`, :func:`lstm_gates`, :func:`step_forward`)
* :mod:`lstm_ref.layer`  -- one direction of one layer: the time loop
* :mod:`lstm_ref.lstm`   -- :class:`LSTM`: layers, directions, dropout, torch's API
* :mod:`lstm_ref.shapes` -- every tensor and parameter shape from a configuration
* :mod:`lstm_ref.bptt`   -- the backward pass (:func:`step_backward`, :func:`layer_backward`, ``LSTM.backward``)
* :mod:`lstm_ref.rnn`    -- :class:`RNN`: a plain tanh RNN, forward and backward, for comparison
* :mod:`lstm_ref.trace`  -- every step of one layer kept (x_t, gates, c_t, h_t): :func:`trace_lstm`
"""
from .cell import Gates, lstm_cell, lstm_gates, sigmoid, step_forward
from .bptt import layer_backward, step_backward
from .layer import layer_forward
from .lstm import LSTM
from .rnn import RNN
from .shapes import param_names, shapes

__all__ = ["LSTM", "Gates", "lstm_cell", "lstm_gates", "step_forward", "layer_forward",
           "sigmoid", "shapes", "param_names", "step_backward", "layer_backward", "RNN"]
__version__ = "0.1.0"
