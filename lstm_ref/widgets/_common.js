// ----- shared by every widget of the book: lstm_ref/widgets/_common.js ---------------------
// BookWidget puts this file in front of each widget's own module (one ES module per widget,
// as anywidget loads it). It holds what every widget needs besides its own drawing: the
// label table of the reader's language, the light card the widget sits on (legible on a dark
// page too), and keyboard handling for things drawn in SVG. Every name starts with "book"
// so that it cannot clash with a widget's own helpers.

// The page's language picks the label table: <html lang="zh-CN"> (or "zh", "zh-Hans", ...)
// -> "zh_CN", anything else -> "en". The widget's `language` trait, when set, wins.
function bookLanguage(model) {
  const forced = (model.get("language") || "").trim();
  const raw = forced || (globalThis.document && document.documentElement.lang) || "en";
  const code = String(raw).replace(/_/g, "-").toLowerCase();
  if (code === "zh" || code === "zh-cn" || code.startsWith("zh-hans") || code === "zh-sg") return "zh_CN";
  return "en";
}

// t(key, vars) -> the text in the reader's language, with {name} filled in.
// Falls back to English, then to the key itself (the tests make sure that never happens).
function bookLabels(model) {
  const tables = model.get("labels") || {};
  const lang = bookLanguage(model);
  const find = (table, key) => {
    const dot = key.indexOf(".");
    const group = table && table[key.slice(0, dot)];
    return group ? group[key.slice(dot + 1)] : undefined;
  };
  const t = (key, vars = null) => {
    let s = find(tables[lang], key);
    if (s === undefined) s = find(tables.en, key);
    if (s === undefined) s = key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return s;
  };
  t.lang = lang;
  t.htmlLang = lang === "zh_CN" ? "zh-CN" : "en";
  return t;
}

// The light card: explicit background, text colour, border and padding, so the widget's
// colours keep their contrast on a dark page (pydata-sphinx-theme's html[data-theme=dark],
// JupyterLab's dark theme); it scrolls sideways inside its own box on a narrow screen.
const BOOK_CSS = `
.lstm-widget { box-sizing: border-box; max-width: 100%; overflow-x: auto; background: #ffffff;
  color: #1a1a1a; color-scheme: light; border: 1px solid #c4c4c4; border-radius: 8px;
  padding: 10px 12px; margin: 4px 0; }
/* :not(#lstm-widget-none) lifts the rule above a theme's html[data-theme=dark] code { color } */
.lstm-widget code:not(#lstm-widget-none) { color: inherit; background: none; border: none;
  font-size: inherit; padding: 0; }
.lstm-widget button, .lstm-widget select, .lstm-widget input[type=number] { font: inherit;
  color: #1a1a1a; background: #f6f6f6; border: 1px solid #767676; border-radius: 4px;
  min-height: 28px; min-width: 28px; padding: 2px 8px; }
.lstm-widget button:hover { background: #e8e8e8; }
.lstm-widget button:disabled, .lstm-widget input:disabled { opacity: 0.55; }
.lstm-widget input[type=range] { min-height: 24px; accent-color: #1a5fb4; }
.lstm-widget input[type=checkbox] { width: 20px; height: 20px; margin: 2px; accent-color: #1a5fb4; }
.lstm-widget label { min-height: 24px; }
.lstm-widget :focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.lstm-widget svg [role=button] { cursor: pointer; }
.lstm-widget svg [role=button]:focus { outline: none; }
.lstm-widget svg [role=button]:focus-visible, .lstm-widget svg [role=button]:focus-visible > rect:first-child {
  stroke: #1a5fb4; stroke-width: 3px; stroke-dasharray: none; }
.lstm-widget .book-swatch { display: inline-block; min-width: 1.25em; height: 1.25em; line-height: 1.25em;
  border-radius: 3px; text-align: center; font-weight: 700; font-size: 0.85em; vertical-align: middle;
  margin-right: 4px; }
`;

// Make `root` a book widget: its classes, its language (for screen readers), the card style.
function bookCard(root, t, ...classes) {
  root.classList.add("lstm-widget", ...classes);
  root.setAttribute("lang", t.htmlLang);
  const style = document.createElement("style");
  style.textContent = BOOK_CSS;
  root.prepend(style);
}

// Something drawn (an SVG cell, a column) that the reader can click: also reachable with Tab,
// named for screen readers, and activated with Enter or Space.
function bookActivate(node, name, fn) {
  node.setAttribute("tabindex", "0");
  node.setAttribute("role", "button");
  node.setAttribute("aria-label", name);
  node.addEventListener("click", fn);
  node.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " " || e.key === "Spacebar") { e.preventDefault(); fn(e); }
  });
  return node;
}

// A colour swatch carrying the gate's letter: the colour and a second cue, the letter, in
// black or white (whichever reads better on the colour).
function bookSwatch(color, letter = "") {
  const s = document.createElement("span");
  s.className = "book-swatch";
  s.setAttribute("aria-hidden", "true");
  s.style.background = color;
  const rgb = [1, 3, 5].map((k) => parseInt(color.slice(k, k + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const L = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  s.style.color = (L + 0.05) / 0.05 > 1.05 / (L + 0.05) ? "#000" : "#fff";
  s.textContent = letter;
  return s;
}

// WCAG contrast of two #rrggbb colours, and `hex` darkened (same hue, mixed toward black) until
// text in it has contrast >= 4.6 on white and on #f4f4f4: lstm_ref.style.text_color in JavaScript.
function bookContrast(a, b) {
  const lum = (hex) => {
    const c = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255)
      .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
function bookTextColor(hex) {
  const rgb = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  for (let step = 0; step <= 100; step++) {
    const keep = 1 - step / 100;
    const out = "#" + rgb.map((v) => Math.round(v * keep).toString(16).padStart(2, "0")).join("");
    if (bookContrast(out, "#ffffff") >= 4.6 && bookContrast(out, "#f4f4f4") >= 4.6) return out;
  }
  return "#000000";
}

// Wrap a widget's render so that a change of the `language` trait redraws it in the new language.
function bookRender(render) {
  return (ctx) => {
    let cleanup = render(ctx);
    const again = () => {
      if (typeof cleanup === "function") cleanup();
      ctx.el.replaceChildren();
      cleanup = render(ctx);
    };
    ctx.model.on("change:language", again);
    return () => {
      ctx.model.off("change:language", again);
      if (typeof cleanup === "function") cleanup();
    };
  };
}
// ----- end of _common.js: the widget's own module follows ------------------------------------
