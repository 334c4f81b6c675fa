"""The code in every exercise's hidden solution runs, after the chapter it belongs to.

Solutions live in Markdown (a ``Solution`` dropdown admonition with a ``python``
code block), so neither nbval nor the build executes them. This test runs each
chapter's code cells, then each solution block, in one kernel, and fails on the
first error: a solution cannot go stale when the chapter or lstm_ref changes.
"""
import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOLUTION = re.compile(r"(:{3,}|`{3,})\{admonition\}[^\n]*Solution[^\n]*\n(.*?)\n\1(?!\S)", re.S)
CODE = re.compile(r"```python\n(.*?)```", re.S)


def solution_blocks(nb) -> list[str]:
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return [code for _, body in SOLUTION.findall(markdown) for code in CODE.findall(body)]


NOTEBOOKS = sorted(p for p in (ROOT / "chapters").glob("*.ipynb")
                   if solution_blocks(nbformat.read(p, as_version=4)))


def test_solutions_are_found():
    # The pattern above must keep matching how chapters write solutions.
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solution_code_runs_after_its_chapter(path):
    nb = nbformat.read(path, as_version=4)
    blocks = solution_blocks(nb)
    cells = [c for c in nb.cells if c.cell_type == "code"]  # raises-exception cells may raise
    for c in cells:
        c.outputs, c.execution_count = [], None
    nb.cells = cells + [nbformat.v4.new_code_cell(code) for code in blocks]
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
