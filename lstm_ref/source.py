"""Show the package's real source in the book (d2l's ``#@save`` idea, inverted: the book reads the code).

``show_source(lstm_ref.cell.step_forward)`` renders a highlighted code block.
Its plain-text form is the source itself, so nbval compares the source stored
in a notebook with the package's current code: a chapter whose listing has
drifted from the code fails the tests until it is re-executed.
"""
from __future__ import annotations

import inspect

__all__ = ["show_source"]


class SourceListing:
    """The source of one object: Markdown (highlighted) in Jupyter and the book, plain text for nbval."""

    def __init__(self, obj):
        self.name = f"{obj.__module__}.{obj.__qualname__}" if hasattr(obj, "__qualname__") else obj.__name__
        self.source = inspect.getsource(obj).rstrip("\n")

    def _repr_markdown_(self) -> str:
        return f"```python\n# {self.name}\n{self.source}\n```"

    def __repr__(self) -> str:
        return f"# {self.name}\n{self.source}"


def show_source(obj) -> SourceListing:
    """The real, tested source of a function, class or module of ``lstm_ref``, for display."""
    return SourceListing(obj)
