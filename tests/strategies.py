"""Hypothesis strategies shared by the parity, lengths and backward tests."""
from hypothesis import strategies as st


@st.composite
def lstm_configs(draw, max_input=6, max_hidden=6, max_layers=3):
    """Keyword arguments of ``nn.LSTM`` / ``lstm_ref.LSTM`` covering every option but dropout."""
    hidden_size = draw(st.integers(1, max_hidden))
    return dict(
        input_size=draw(st.integers(1, max_input)),
        hidden_size=hidden_size,
        num_layers=draw(st.integers(1, max_layers)),
        bias=draw(st.booleans()),
        batch_first=draw(st.booleans()),
        bidirectional=draw(st.booleans()),
        proj_size=draw(st.integers(0, hidden_size - 1)),
    )
