"""Sphinx extension: the book's editions (English and its translations) and the switch between them.

Loaded from ``_config.yml`` (``sphinx.local_extensions``). Every edition is the same set of
pages; a translated edition lives in a subfolder of the English one (``zh_CN/``), so the same
page of another edition is always at a known relative address. The extension

* sets, in a translated edition, the few strings that come from ``_config.yml`` rather than
  from a page (the book's title, the search box's placeholder), from ``EDITIONS`` below;
* puts a language switch in every page's header, linking to the same page in each other
  edition (``edition-switch.html``), with ``hreflang`` so that browsers and search engines
  know the pages are translations of each other;
* puts the book's own translations of theme strings (``locales/<lang>/LC_MESSAGES/sphinx.po``
  and ``booktheme.po``) in front of the themes' catalogues: Sphinx reads ``sphinx.po`` from
  ``locale_dirs`` first by itself, but sphinx-book-theme's ``booktheme`` catalogue must be
  put behind ours here, and its two sidebar buttons (``templates/``) hard-code English;
* translates the captions of the parts of the table of contents ("Start here", ...):
  sphinx-external-toc inserts the toctrees after Sphinx has translated the page;
* keeps display math out of the catalogues: an equation is the same in every language, and
  Sphinx 7.4 re-parses a translated ``math_block`` as prose, which breaks it on the page.
"""
from __future__ import annotations

import gettext
import pathlib

from docutils import nodes
from sphinx import addnodes
from sphinx import locale as sphinx_locale
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

# The editions, English first. "dir" is the edition's folder under _build/html/.
EDITIONS = {
    "en": {"dir": "", "name": "English", "short": "EN", "lang": "en",
           "title": None, "search": None, "switch": "Language"},
    "zh_CN": {"dir": "zh_CN", "name": "简体中文", "short": "中文", "lang": "zh-CN",
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
        links.append({"code": code, "name": edition["name"], "short": edition["short"],
                      "lang": edition["lang"],
                      "url": f"{up}{folder}{pagename}.html", "current": code == language})
    return links


class DisplayMathIsNotProse(SphinxTransform):
    """Mark every display equation untranslatable, before Sphinx's Locale transform (20)."""

    default_priority = 15

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False


class TranslateTocCaptions(SphinxTransform):
    """Translate toctree captions after sphinx-external-toc's InsertToctrees (priority 100)."""

    default_priority = 101

    def apply(self, **kwargs) -> None:
        if (self.config.language or "en") == "en":
            return
        # Only the root page has captioned toctrees: load no catalogue for the others.
        toctrees = [t for t in self.document.findall(addnodes.toctree) if t.get("caption")]
        if not toctrees:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(pathlib.Path(self.env.srcdir, d)) for d in self.config.locale_dirs]
        catalog, found = init_locale(dirs, self.config.language, domain)
        if not found:
            return
        for toctree in toctrees:
            toctree["caption"] = catalog.gettext(toctree["caption"])
            toctree["rawcaption"] = toctree["caption"]


def _put_book_theme_catalogue_first(app, language: str) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for locale_dir in app.config.locale_dirs:
        po = pathlib.Path(app.srcdir, locale_dir, language, "LC_MESSAGES", "booktheme.po")
        if not po.is_file():
            continue
        mo = po.with_suffix(".mo")
        if not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(po, "rb") as f:
                catalog = read_po(f, locale=language)
            with open(mo, "wb") as f:
                write_mo(f, catalog)
        ours = gettext.translation("booktheme", localedir=str(po.parents[2]), languages=[language])
        theirs = sphinx_locale.translators.get(("general", "booktheme"))
        if theirs is not None:
            ours.add_fallback(theirs)
        sphinx_locale.translators[("general", "booktheme")] = ours


def _on_config_inited(app, config) -> None:
    language = config.language or "en"
    if language not in EDITIONS:
        raise ValueError(f"language {language!r} has no edition; expected one of {list(EDITIONS)}")
    edition = EDITIONS[language]
    if language != "en":
        _put_book_theme_catalogue_first(app, language)
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
    # First, so that its two sidebar buttons replace the theme's (the themes append theirs).
    if templates not in config.templates_path:
        config.templates_path.insert(0, templates)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    language = app.config.language or "en"
    context["book_editions"] = edition_links(language, pagename)
    context["book_edition_switch_label"] = EDITIONS[language]["switch"]


def setup(app):
    app.add_transform(DisplayMathIsNotProse)
    app.add_transform(TranslateTocCaptions)
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
