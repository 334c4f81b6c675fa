// RequireJS configuration for the Jupyter widget manager on the static book pages.
// _config.yml (nb_ipywidgets_js) loads, in order: require.js, this file, embed-amd.js.
// Widget front ends resolve to the copies shipped in _static/third_party/ (tools/refresh_assets.py),
// so a page never fetches code from a CDN: readers offline or behind a firewall see the widgets.
(function () {
  "use strict";
  // This file's folder (the book's _static/), whatever the page's depth; drop Sphinx's ?v=.
  var src = document.currentScript.src.split(/[?#]/)[0];
  var base = src.slice(0, src.lastIndexOf("/") + 1);
  var manager = base + "third_party/html-manager";
  window.requirejs.config({
    paths: {
      // The widget state names this module "anywidget" (anywidget's _model_module).
      anywidget: base + "third_party/anywidget/index",
      // embed-amd.js defines these modules itself; webpack derives the URL of their fonts
      // from each module's RequireJS URL, which would otherwise be relative to the page.
      "@jupyter-widgets": manager,
      "@jupyter-widgets/html-manager/dist": manager,
    },
  });
  // embed-amd.js falls back to jsDelivr for a module it cannot load locally. Point that
  // fallback at the book itself, so a missing front end fails visibly (a 404 here, caught by
  // tests/test_browser.py) instead of silently leaving the site.
  document.currentScript.setAttribute("data-jupyter-widgets-cdn", base + "third_party/missing/");
})();
