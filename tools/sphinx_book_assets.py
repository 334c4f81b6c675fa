"""Sphinx extension: the book's pages load only the assets it ships, and load each script once.

Loaded from ``_config.yml`` (``sphinx.local_extensions``). It

* rebuilds every page when a file in ``html_static_path`` (``_assets/``) changes. Sphinx
  skips copying static files when no page is out of date, and every page links its
  scripts with a checksum (``?v=...``), so a refreshed asset must rewrite all pages;
* drops repeated inline scripts. Sphinx 7.4 registers an inline script added by an
  extension twice (once with filename ``None``, once with ``''``), so sphinx-thebe's
  ``const THEBE_JS_URL = ...`` ran twice and every page logged a SyntaxError;
* warns (so the strict build fails) when a page would load a script from another host
  through ``nb_ipywidgets_js`` or ``mathjax_path``, when such a file is missing from
  ``html_static_path``, or when a ``_static/`` folder exists (jupyter-book injects every
  ``.js`` in it into every page).
"""
from __future__ import annotations

import hashlib
import pathlib

from sphinx.util import logging

logger = logging.getLogger(__name__)


def _static_digest(confdir: str, static_paths: list[str]) -> str:
    digest = hashlib.sha256()
    for entry in static_paths:
        root = pathlib.Path(confdir, entry)
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _check_local(app, config) -> None:
    confdir = pathlib.Path(app.confdir)
    if (confdir / "_static").exists():
        logger.warning("a _static/ folder exists: jupyter-book would inject its scripts into every "
                       "page; keep the book's assets in _assets/ (html_static_path)")
    scripts = list(config.nb_ipywidgets_js)
    if config.mathjax_path:
        scripts.append(config.mathjax_path)
    for uri in scripts:
        if "://" in uri or uri.startswith("//"):
            logger.warning("%s is loaded from another host; ship it in _assets/ "
                           "(tools/refresh_assets.py) so the book works offline", uri)
        elif not any((confdir / entry / uri).is_file() for entry in config.html_static_path):
            logger.warning("%s is not in html_static_path %s; run tools/refresh_assets.py",
                           uri, config.html_static_path)


def _on_config_inited(app, config) -> None:
    config.book_static_digest = _static_digest(app.confdir, config.html_static_path)
    _check_local(app, config)


def _drop_repeated_inline_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for js in scripts:
        attributes = getattr(js, "attributes", {})
        if not getattr(js, "filename", None) and attributes.get("body"):
            key = tuple(sorted(attributes.items()))
            if key in seen:
                continue
            seen.add(key)
        unique.append(js)
    scripts[:] = unique


def setup(app):
    # An 'html' config value: when its value changes, Sphinx rewrites every page.
    app.add_config_value("book_static_digest", "", "html", types=[str])
    app.connect("config-inited", _on_config_inited)
    # After the extensions that add per-page scripts (myst-nb, mathjax) at priority 500.
    app.connect("html-page-context", _drop_repeated_inline_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
