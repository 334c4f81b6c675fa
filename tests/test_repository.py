"""The repository URL is written once, in _config.yml; every notebook's Colab cell follows it."""
import pathlib
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import set_repository  # noqa: E402

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_cell_clones_the_configured_repository(path):
    url = set_repository.repository_url()
    cell = set_repository.colab_cell_of(nbformat.read(path, as_version=4))
    assert cell is not None, f"{path.name}: no Colab set-up cell"
    assert f"git clone -q --depth 1 {url} " in cell["source"], f"{path.name}: run tools/set_repository.py"
    assert not set_repository.sync(path, url, write=False), f"{path.name}: run tools/set_repository.py"


def test_a_fork_rewrites_every_cell(tmp_path):
    """After repository.url changes, the check fails and the tool rewrites the cell to the fork."""
    fork = "https://github.com/someone/my-lstm-notes"
    copy = tmp_path / NOTEBOOKS[0].name
    copy.write_text(NOTEBOOKS[0].read_text())
    assert set_repository.sync(copy, fork, write=False)
    assert set_repository.sync(copy, fork, write=True)
    source = set_repository.colab_cell_of(nbformat.read(copy, as_version=4))["source"]
    assert f"git clone -q --depth 1 {fork} /content/my-lstm-notes" in source
    assert '"/content/my-lstm-notes/chapters"' in source
    assert not set_repository.sync(copy, fork, write=False)
    with pytest.raises(ValueError, match="must name a repository"):
        set_repository.colab_cell("https://github.com/")
