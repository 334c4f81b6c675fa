"""Sphinx extension: small accessibility repairs to the HTML that Sphinx and its extensions write.

Loaded from ``_config.yml`` (``sphinx.local_extensions``).

* The bibliography: docutils writes the entries of a ``role="list"`` as
  ``role="doc-biblioentry"``, a role that ARIA 1.2 deprecates, so screen readers (and axe's
  ``aria-required-children`` rule) see a list without items. Each entry becomes a
  ``role="listitem"``; it keeps its id, so citations still link to it.
"""
from __future__ import annotations


def _repair_body(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _repair_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
