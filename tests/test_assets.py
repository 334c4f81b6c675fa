"""The assets the static book ships (_assets/): pinned, intact, licensed, matched to Python.

tools/refresh_assets.py copies them from npm and writes _assets/third_party/manifest.json;
these checks need neither Node.js nor a browser (tests/test_browser.py renders them).
"""
import hashlib
import importlib.metadata
import importlib.util
import json
import pathlib
import re

import anywidget
import ipywidgets
import pytest
import yaml
from sphinx.builders.html._assets import _JavaScript

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("sphinx_book_assets", ROOT / "tools" / "sphinx_book_assets.py")
sphinx_book_assets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sphinx_book_assets)
ASSETS = ROOT / "_assets"
THIRD_PARTY = ASSETS / "third_party"
MANIFEST = json.loads((THIRD_PARTY / "manifest.json").read_text())
PACKAGE = json.loads((ROOT / "package.json").read_text())
LOCK = json.loads((ROOT / "package-lock.json").read_text())
SPHINX_CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]


def test_every_dependency_is_pinned_exactly_and_locked():
    for name, spec in PACKAGE["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec), f"{name}: pin an exact version, got {spec!r}"
        assert LOCK["packages"][f"node_modules/{name}"]["version"] == spec, f"{name}: package-lock.json differs"


def test_shipped_files_are_the_pinned_versions_and_intact():
    for name, entry in MANIFEST["packages"].items():
        locked = LOCK["packages"][f"node_modules/{name}"]["version"]
        assert entry["version"] == locked, f"{name}: _assets has {entry['version']}, the lockfile {locked}"
        for rel, sha in entry["files"].items():
            path = THIRD_PARTY / rel
            assert path.is_file(), f"{rel} missing; run tools/refresh_assets.py"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sha, f"{rel} differs from {name}@{locked}"


def test_every_package_ships_its_licence():
    for name, entry in MANIFEST["packages"].items():
        text = (THIRD_PARTY / entry["licence_file"]).read_text()
        assert text.startswith(f"{name} {entry['version']}")
        assert re.search(r"licen[sc]e|permission is hereby granted", text, re.I), name


def test_nothing_unlisted_in_third_party():
    listed = {rel for e in MANIFEST["packages"].values() for rel in [*e["files"], e["licence_file"]]}
    present = {p.relative_to(THIRD_PARTY).as_posix() for p in THIRD_PARTY.rglob("*") if p.is_file()}
    assert present - {"manifest.json"} == listed


def test_anywidget_front_end_matches_the_python_package():
    # The saved widget state asks RequireJS for module "anywidget" at _model_module_version.
    w = anywidget.AnyWidget()
    assert (w._model_module, w._view_module) == ("anywidget", "anywidget")
    npm = MANIFEST["packages"]["anywidget"]["version"]
    assert npm == importlib.metadata.version("anywidget")
    wanted = re.fullmatch(r"~(\d+)\.(\d+)\.\*", w._model_module_version)
    assert wanted and npm.split(".")[:2] == list(wanted.groups()), (npm, w._model_module_version)
    # Its AMD module needs only what embed-amd.js defines.
    deps = re.findall(r'define\(\[([^\]]*)\]', (THIRD_PARTY / "anywidget/index.js").read_text())
    defined = set(re.findall(r'define\("([^"]+)"', (THIRD_PARTY / "html-manager/embed-amd.js").read_text()))
    assert deps and all(d.strip(' "') in defined for dep in deps for d in dep.split(","))


def test_widget_manager_renders_this_ipywidgets():
    # html-manager 1.x renders the state of ipywidgets 8 (widget protocol 2, controls 2.0.0).
    assert ipywidgets.__version__.startswith("8.")
    slider = ipywidgets.IntSlider()
    assert slider._model_module_version.startswith("2.")
    assert MANIFEST["packages"]["@jupyter-widgets/html-manager"]["version"].startswith("1.")
    defined = set(re.findall(r'define\("([^"]+)"', (THIRD_PARTY / "html-manager/embed-amd.js").read_text()))
    assert {slider._model_module, slider._view_module, "@jupyter-widgets/base",
            "@jupyter-widgets/html-manager"} <= defined


def test_pages_load_scripts_only_from_the_book():
    scripts = [*SPHINX_CONFIG["nb_ipywidgets_js"], SPHINX_CONFIG["mathjax_path"]]
    assert SPHINX_CONFIG["html_static_path"] == ["_assets"]
    for uri in scripts:
        assert "//" not in uri and (ASSETS / uri).is_file(), uri
    assert list(SPHINX_CONFIG["nb_ipywidgets_js"])[1] == "widgets-config.js"  # after require.js
    # Every path widgets-config.js gives RequireJS exists (RequireJS adds ".js" to modules).
    config_js = (ASSETS / "widgets-config.js").read_text()
    assert re.search(r'anywidget: base \+ "third_party/anywidget/index"', config_js)
    assert (THIRD_PARTY / "anywidget/index.js").is_file()
    assert not (ROOT / "_static").exists(), "jupyter-book injects every .js of _static/ into every page"


def test_repeated_inline_scripts_are_dropped():
    # Sphinx 7.4 registers an extension's inline script twice (filename None and '').
    thebe = 'const THEBE_JS_URL = "x"'
    scripts = [_JavaScript("_static/a.js"), _JavaScript(None, body=thebe), _JavaScript("", body=thebe),
               _JavaScript(None, body="var x = 1;"), _JavaScript("_static/a.js", defer="defer")]
    context = {"script_files": list(scripts)}
    sphinx_book_assets._drop_repeated_inline_scripts(None, "p", "page.html", context, None)
    assert context["script_files"] == [scripts[0], scripts[1], scripts[3], scripts[4]]


def test_asset_digest_changes_with_any_asset(tmp_path):
    (tmp_path / "_assets" / "sub").mkdir(parents=True)
    (tmp_path / "_assets" / "sub" / "a.js").write_text("1")
    before = sphinx_book_assets._static_digest(str(tmp_path), ["_assets"])
    assert sphinx_book_assets._static_digest(str(tmp_path), ["_assets"]) == before
    (tmp_path / "_assets" / "sub" / "a.js").write_text("2")
    changed = sphinx_book_assets._static_digest(str(tmp_path), ["_assets"])
    (tmp_path / "_assets" / "sub" / "a.js").rename(tmp_path / "_assets" / "b.js")
    assert len({before, changed, sphinx_book_assets._static_digest(str(tmp_path), ["_assets"])}) == 3


@pytest.mark.parametrize("name", ["tex-mml-chtml.js", "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
                                  "input/tex/extensions/color.js"])
def test_mathjax_ships_what_it_loads_at_run_time(name):
    assert (THIRD_PARTY / "mathjax" / name).is_file()
