"""Write the repository URL of ``_config.yml`` into every notebook's Colab set-up cell.

    python tools/set_repository.py          # rewrite the cells (after changing repository.url)
    python tools/set_repository.py --check  # exit 1 if a notebook's cell differs

``repository.url`` in ``_config.yml`` is the one place the URL is written by hand: the launch
buttons read it at build time, but a notebook opened in Colab runs before the repository is
on disk, so its first code cell must carry the URL itself. This tool generates that cell from
``COLAB_CELL`` below; tests/test_repository.py fails when a notebook is out of step. Only the
cell's source changes: it does nothing outside Colab, so its (empty) outputs stay valid.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import urllib.parse

import nbformat
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
MARKER = "# Colab: fetch the book's repository"

COLAB_CELL = '''\
# Colab: fetch the book's repository and install its package (does nothing elsewhere).
import sys

if "google.colab" in sys.modules:
    ip = get_ipython()
    ip.system("git clone -q --depth 1 {url} /content/{name}")
    ip.run_line_magic("pip", "install -q -e /content/{name}[widgets]")
    ip.run_line_magic("cd", "/content/{name}/chapters")
    from google.colab import output

    output.enable_custom_widget_manager()  # anywidget's front end on Colab'''


def repository_url(root: pathlib.Path = ROOT) -> str:
    return yaml.safe_load((root / "_config.yml").read_text())["repository"]["url"].rstrip("/")


def colab_cell(url: str) -> str:
    name = urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    if not name:
        raise ValueError(f"repository.url must name a repository, like https://github.com/owner/name; got {url!r}")
    return COLAB_CELL.format(url=url, name=name)


def colab_cell_of(nb: dict) -> dict | None:
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cell["source"].startswith(MARKER):
            return cell
    return None


def sync(path: pathlib.Path, url: str, *, write: bool) -> bool:
    """Whether ``path``'s Colab cell was (or, without ``write``, would be) changed."""
    nb = nbformat.read(path, as_version=4)
    cell = colab_cell_of(nb)
    if cell is None:
        raise ValueError(f"{path}: no Colab set-up cell (a code cell starting {MARKER!r})")
    want = colab_cell(url)
    if cell["source"] == want:
        return False
    if write:
        cell["source"] = want
        nbformat.write(nb, path)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    url = repository_url()
    changed = [p for p in sorted((ROOT / "chapters").glob("*.ipynb")) if sync(p, url, write=not args.check)]
    for p in changed:
        print(("differs: " if args.check else "updated: ") + p.relative_to(ROOT).as_posix())
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
