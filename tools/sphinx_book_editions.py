"""Sphinx extension: the book's editions (English and its translations) and the switch between them.

Loaded from ``_config.yml`` (``sphinx.local_extensions``). Every edition is the same set of
pages; a translated edition lives in a subfolder of the English one (``zh_CN/``), so the same
page of another edition is always at a known relative address. The extension

* sets, in a translated edition, the few strings that come from ``_config.yml`` rather than
  from a page (the book's title, the search box's placeholder), from ``EDITIONS`` below;
* puts a language switch in every page's header, linking to the same page in each other
  edition (``edition-switch.html``), with ``hreflang`` so that browsers and search engines
  know the pages are translations of each other.
"""
from __future__ import annotations

import pathlib

# The editions, English first. "dir" is the edition's folder under _build/html/.
EDITIONS = {
    "en": {"dir": "", "name": "English", "lang": "en",
           "title": None, "search": None, "switch": "Language"},
    "zh_CN": {"dir": "zh_CN", "name": "简体中文", "lang": "zh-CN",
              "title": "LSTM：从 nn.LSTM 到第一性原理", "search": "搜索本书……",
              "switch": "语言"},
}


def edition_links(language: str, pagename: str) -> list[dict]:
    """The same page in every edition: name, ``lang`` and a URL relative to this page."""
    here = EDITIONS[language]
    # Climb from this page to the English root, then down into the other edition's folder.
    up = "../" * (pagename.count("/") + (1 if here["dir"] else 0))
    links = []
    for code, edition in EDITIONS.items():
        folder = f"{edition['dir']}/" if edition["dir"] else ""
        links.append({"code": code, "name": edition["name"], "lang": edition["lang"],
                      "url": f"{up}{folder}{pagename}.html", "current": code == language})
    return links


def _on_config_inited(app, config) -> None:
    language = config.language or "en"
    if language not in EDITIONS:
        raise ValueError(f"language {language!r} has no edition; expected one of {list(EDITIONS)}")
    edition = EDITIONS[language]
    if edition["title"]:
        config.html_title = edition["title"]
        config.project = edition["title"]
    options = dict(config.html_theme_options or {})
    if edition["search"]:
        options["search_bar_text"] = edition["search"]
    # The switch goes first in the header, before the theme's own buttons.
    options["article_header_end"] = ["edition-switch.html", "article-header-buttons.html"]
    config.html_theme_options = options
    templates = str(pathlib.Path(__file__).with_name("templates"))
    if templates not in config.templates_path:
        config.templates_path.append(templates)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    language = app.config.language or "en"
    context["book_editions"] = edition_links(language, pagename)
    context["book_edition_switch_label"] = EDITIONS[language]["switch"]


def setup(app):
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
