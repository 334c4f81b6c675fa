"""Refresh the front-end files the static book ships in ``_assets/third_party/`` from npm.

The rendered book must work offline: its widget manager, RequireJS, anywidget's
front end and MathJax are served from the book itself, never from a CDN. This
script copies exactly those files, with their licences, from the versions
pinned in ``package.json`` / ``package-lock.json`` and writes
``_assets/third_party/manifest.json`` (package versions and SHA-256 of every file),
which ``tests/test_assets.py`` checks. Building the book needs no Node.js: the
copied files are committed.

To upgrade a package: change its exact version in ``package.json``, run
``npm install --package-lock-only --ignore-scripts``, then this script, then
``make test`` (the browser tests render every widget and equation offline).

    python tools/refresh_assets.py            # npm ci, then copy
    python tools/refresh_assets.py --no-install   # reuse node_modules/
"""
from __future__ import annotations

import argparse
import fnmatch
import hashlib
import importlib.metadata
import json
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
THIRD_PARTY = ROOT / "_assets" / "third_party"

# npm package -> (destination folder in _assets/third_party, files to copy as glob patterns
# relative to the package, licence files). Only what a page can request is copied.
PACKAGES = {
    "requirejs": ("requirejs", ["require.js"], []),
    # The widget manager for static pages (AMD build) and the Font Awesome fonts its CSS
    # references: browsers take woff2 first and woff as fallback, so eot/ttf/svg are left out.
    "@jupyter-widgets/html-manager": (
        "html-manager", ["dist/embed-amd.js", "dist/*.woff2", "dist/*.woff"],
        ["dist/embed.js.LICENSE.txt"]),
    "@fortawesome/fontawesome-free": ("html-manager", [], ["LICENSE.txt"]),
    # anywidget's AMD front end; its version must match the Python anywidget that wrote
    # the widget state (_model_module_version "~0.11.*" for anywidget 0.11.0).
    "anywidget": ("anywidget", ["dist/index.js"], ["LICENSE"]),
    # MathJax 3, CommonHTML output. Besides the combined component: the TeX extensions
    # that autoload loads on demand (\color, \cancel, ...), the woff2 fonts, the menu, and
    # the accessibility components with English speech and Nemeth braille rules.
    "mathjax": ("mathjax", [
        "es5/tex-mml-chtml.js",
        "es5/input/tex/extensions/*.js",
        "es5/output/chtml/fonts/woff-v2/*.woff",
        "es5/ui/*.js",
        "es5/a11y/*.js",
        "es5/sre/mathmaps/base.json",
        "es5/sre/mathmaps/en.json",
        "es5/sre/mathmaps/nemeth.json",
    ], ["LICENSE"]),
}

# Packages that ship no licence file; their licence text comes from elsewhere.
EXTRA_LICENSES = {
    # html-manager is part of jupyter-widgets/ipywidgets (BSD-3-Clause); the Python
    # ipywidgets distribution carries that repository's LICENSE.
    "@jupyter-widgets/html-manager": lambda: _dist_license("ipywidgets"),
    # require.js carries its licence in its header comment.
    "requirejs": lambda: _requirejs_license(),
}


def _dist_license(dist: str) -> str:
    files = importlib.metadata.files(dist) or []
    for f in files:
        if f.name.upper().startswith("LICENSE"):
            return f.read_text()
    raise FileNotFoundError(f"no LICENSE in the {dist} distribution")


def _requirejs_license() -> str:
    header = (NODE_MODULES / "requirejs" / "require.js").read_text().split("*/", 1)[0]
    return header + "*/\n\nThe MIT License text: https://github.com/requirejs/requirejs/blob/master/LICENSE\n"


def _strip_prefix(rel: str) -> str:
    # Keep MathJax's folder layout below es5/ (it loads components relative to itself);
    # flatten dist/ of the other packages.
    for prefix in ("es5/", "dist/"):
        if rel.startswith(prefix):
            return rel[len(prefix):]
    return rel


def _sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_assets() -> dict:
    if THIRD_PARTY.exists():
        shutil.rmtree(THIRD_PARTY)
    manifest = {"generated_by": "tools/refresh_assets.py", "packages": {}}
    for name, (dest, patterns, licences) in PACKAGES.items():
        pkg_dir = NODE_MODULES / name
        meta = json.loads((pkg_dir / "package.json").read_text())
        all_files = sorted(p.relative_to(pkg_dir).as_posix() for p in pkg_dir.rglob("*") if p.is_file())
        entry = manifest["packages"].setdefault(name, {
            "version": meta["version"], "license": meta.get("license"), "files": {}})
        for pattern in patterns:
            matched = [f for f in all_files if fnmatch.fnmatchcase(f, pattern)]
            if not matched:
                raise FileNotFoundError(f"{name}: nothing matches {pattern!r}")
            for rel in matched:
                target = THIRD_PARTY / dest / _strip_prefix(rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(pkg_dir / rel, target)
                entry["files"][target.relative_to(THIRD_PARTY).as_posix()] = _sha256(target)
        licence_texts = [(pkg_dir / rel).read_text() for rel in licences]
        if name in EXTRA_LICENSES:
            licence_texts.insert(0, EXTRA_LICENSES[name]())
        if not licence_texts:
            raise FileNotFoundError(f"{name}: no licence text found")
        target = THIRD_PARTY / dest / f"LICENSE.{name.replace('/', '_').lstrip('@')}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{name} {meta['version']} ({meta.get('license')})\n\n" + "\n\n".join(licence_texts))
        entry["licence_file"] = target.relative_to(THIRD_PARTY).as_posix()
    (THIRD_PARTY / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-install", action="store_true", help="reuse node_modules/ instead of `npm ci`")
    args = ap.parse_args(argv)
    if not args.no_install:
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    manifest = copy_assets()
    for name, entry in manifest["packages"].items():
        size = sum((THIRD_PARTY / f).stat().st_size for f in entry["files"])
        what = f"{len(entry['files'])} files, {size / 1e6:.2f} MB" if entry["files"] else "licence only"
        print(f"{name}@{entry['version']}: {what} -> {entry['licence_file']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
