// The sequence explorer's front end: plain DOM + SVG, no imports, no network.
// Python (lstm_ref.trace) computes every step into the `steps` trait; stepping
// through time happens here, so the widget works on a static page. The pure
// functions below are exported so that tests/test_sequence_explorer.py can run
// them under node and compare them with lstm_ref.

const SVGNS = "http://www.w3.org/2000/svg";

// Rows of the heatmap: key in `steps`, label, and whether values are signed.
export const ROWS = [
  { key: "x", label: "x_t", signed: true },
  { key: "i", label: "i_t", signed: false },
  { key: "f", label: "f_t", signed: false },
  { key: "g", label: "g_t", signed: true },
  { key: "o", label: "o_t", signed: false },
  { key: "c", label: "c_t", signed: true },
  { key: "h", label: "h_t", signed: true },
];

// The cell update, c_t = f_t * c_{t-1} + i_t * g_t, split into what is kept
// and what is written (the two bars the step panel shows).
export function cellUpdate(f, cPrev, i, g) {
  const kept = f.map((fk, k) => fk * cPrev[k]);
  const written = i.map((ik, k) => ik * g[k]);
  return { kept, written, c: kept.map((v, k) => v + written[k]) };
}

// h_t = o_t * tanh(c_t)
export function hiddenState(o, c) {
  return o.map((ok, k) => ok * Math.tanh(c[k]));
}

export function clampStep(t, T) {
  return Math.max(0, Math.min(T - 1, Math.round(Number(t) || 0)));
}

// Everything the step panel shows for time step t; `cNext`/`hNext` are recomputed
// here from the gates, `c`/`h` come from Python.
export function frame(steps, t) {
  const T = steps.h.length;
  t = clampStep(t, T);
  const cPrev = t === 0 ? steps.c0 : steps.c[t - 1];
  const hPrev = t === 0 ? steps.h0 : steps.h[t - 1];
  const [i, f, g, o] = ["i", "f", "g", "o"].map((k) => steps[k][t]);
  const upd = cellUpdate(f, cPrev, i, g);
  return {
    t, T, x: steps.x[t], hPrev, cPrev, i, f, g, o,
    kept: upd.kept, written: upd.written, cNext: upd.c, hNext: hiddenState(o, upd.c),
    c: steps.c[t], h: steps.h[t],
  };
}

function el(tag, attrs = {}, parent = null, ns = null) {
  const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  if (parent) parent.appendChild(e);
  return e;
}

const svg = (tag, attrs, parent) => el(tag, attrs, parent, SVGNS);

// Labels are written "c_{t−1}" / "x_t"; draw the part after "_" as a real
// subscript instead of showing the markup. SVG text gets tspans shifted with dy
// (baseline-shift is not supported everywhere), HTML gets <sub>.
const SUB = /_(?:\{([^}]*)\}|([^\s⊙()+=]+))/g;
function splitSub(label) {
  const parts = [];
  let last = 0;
  for (const m of label.matchAll(SUB)) {
    if (m.index > last) parts.push([label.slice(last, m.index), false]);
    parts.push([m[1] ?? m[2], true]);
    last = m.index + m[0].length;
  }
  if (last < label.length) parts.push([label.slice(last), false]);
  return parts;
}
function svgLabel(node, label) {
  let down = false;
  for (const [text, sub] of splitSub(label)) {
    const attrs = { text };
    if (sub !== down) attrs.dy = sub ? "0.3em" : "-0.3em";
    if (sub) attrs["font-size"] = "80%";
    svg("tspan", attrs, node);
    down = sub;
  }
  return node;
}
function htmlLabel(node, label) {
  for (const [text, sub] of splitSub(label)) {
    if (sub) el("sub", { text }, node);
    else node.appendChild(document.createTextNode(text));
  }
  return node;
}
const fmt = (v) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3);

function render({ model, el: root }) {
  const t_ = bookLabels(model);
  const uid = Math.random().toString(36).slice(2, 9);
  bookCard(root, t_, "lstm-widget-sequence-explorer");
  root.style.fontFamily = "system-ui, sans-serif";
  root.style.fontSize = "13px";
  const title = el("div", { "data-testid": "title" }, root);
  title.style.fontWeight = "600";
  const bar = el("div", {}, root);
  bar.style.cssText = "display:flex;gap:6px;align-items:center;margin:6px 0";
  bar.style.flexWrap = "wrap";
  const button = (testid, key) => el("button", { type: "button", "data-testid": testid,
                                                 title: t_(`sequence_explorer.${key}_title`),
                                                 text: t_(`sequence_explorer.${key}`) }, bar);
  const prev = button("prev", "prev");
  const play = button("play", "play");
  const next = button("next", "next");
  const slider = el("input", { type: "range", min: "0", step: "1", "data-testid": "slider",
                               "aria-label": t_("sequence_explorer.slider") }, bar);
  slider.style.width = "160px";
  const tLabel = el("span", { "data-testid": "t-label" }, bar);
  tLabel.style.fontVariantNumeric = "tabular-nums";
  // The heatmap holds buttons (its columns), so it is a named group, not an image.
  const heat = svg("svg", { "data-testid": "heatmap", role: "group",
                            "aria-label": t_("sequence_explorer.heatmap_aria") }, root);
  const eq = htmlLabel(el("div", { "data-testid": "equations" }, root),
                      "c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t        h_t = o_t ⊙ tanh(c_t)");
  eq.style.cssText = "margin:6px 0;color:#333;white-space:pre;font-family:serif;font-size:17px";
  eq.setAttribute("data-code", "");
  const panel = svg("svg", { "data-testid": "step-panel", role: "img" }, root);

  let t = clampStep(model.get("t"), (model.get("steps").h || [[]]).length);
  let timer = null;

  function setT(v) {
    const steps = model.get("steps");
    t = clampStep(v, steps.h.length);
    model.set("t", t);
    try { model.save_changes(); } catch (e) { /* static page: no kernel to sync with */ }
    draw();
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = t_("sequence_explorer.play");
  }

  prev.addEventListener("click", () => { stop(); setT(t - 1); });
  next.addEventListener("click", () => { stop(); setT(t + 1); });
  slider.addEventListener("input", () => { stop(); setT(Number(slider.value)); });
  play.addEventListener("click", () => {
    if (timer !== null) { stop(); return; }
    const T = model.get("steps").h.length;
    if (t >= T - 1) setT(0);
    play.textContent = t_("sequence_explorer.pause");
    timer = setInterval(() => {
      if (t >= model.get("steps").h.length - 1) stop();
      else setT(t + 1);
    }, 800);
  });

  function cellColor(colors, key) { return colors[key] || "#888"; }

  function drawHeatmap(steps, colors, tc) {
    heat.replaceChildren();
    const T = steps.h.length;
    const cw = Math.max(30, Math.min(56, 520 / T)), ch = 14, left = 46, top = 16;
    const defs = svg("defs", {}, heat);
    const pat = svg("pattern", { id: `neg-${uid}`, width: "4", height: "4",
                                 patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
    svg("line", { x1: "0", y1: "0", x2: "0", y2: "4", stroke: "white", "stroke-width": "1.5" }, pat);
    let y = top;
    for (let s = 0; s < T; s++) {
      svg("text", { x: left + s * cw + cw / 2, y: top - 4, "text-anchor": "middle",
                    "font-size": "11", text: `t=${s}` }, heat);
    }
    for (const row of ROWS) {
      const vals = steps[row.key];
      const n = vals[0].length;
      const scale = row.signed ? Math.max(1e-9, ...vals.flat().map(Math.abs)) : 1;
      svgLabel(svg("text", { x: left - 6, y: y + (n * ch) / 2 + 4, "text-anchor": "end", "font-size": "12",
                             fill: cellColor(tc, row.key), "font-weight": "600" }, heat), row.label);
      for (let s = 0; s < T; s++) {
        for (let k = 0; k < n; k++) {
          const v = vals[s][k];
          const r = svg("rect", { x: left + s * cw + 1, y: y + k * ch, width: cw - 2, height: ch - 1,
                                  fill: cellColor(colors, row.key),
                                  "fill-opacity": Math.min(1, Math.abs(v) / scale).toFixed(3),
                                  "data-testid": `cell-${row.key}-${s}-${k}` }, heat);
          svg("title", { text: t_("sequence_explorer.cell_title", { label: row.label, unit: k, t: s,
                                                                    value: v.toFixed(4) }) }, r);
          if (row.signed && v < 0) {
            svg("rect", { x: left + s * cw + 1, y: y + k * ch, width: cw - 2, height: ch - 1,
                          fill: `url(#neg-${uid})`, "pointer-events": "none" }, heat);
          }
        }
      }
      y += n * ch + 6;
    }
    // Click a column to jump to that step; outline the current one.
    for (let s = 0; s < T; s++) {
      const hit = svg("rect", { x: left + s * cw, y: top, width: cw, height: y - top,
                                fill: "transparent", "data-testid": `column-${s}` }, heat);
      bookActivate(hit, t_("sequence_explorer.column", { t: s }), () => { stop(); setT(s); });
      if (s === t) hit.setAttribute("aria-current", "step");
    }
    svg("rect", { x: left + t * cw, y: top - 1, width: cw, height: y - top - 4, fill: "none",
                  stroke: "#111", "stroke-width": "2", "pointer-events": "none",
                  "data-testid": "current-column" }, heat);
    // Two short lines: one long line was wider than the SVG and got cut off.
    const caption = [t_("sequence_explorer.caption_0"), t_("sequence_explorer.caption_1")];
    caption.forEach((line, j) => {
      svg("text", { x: left, y: y + 10 + 14 * j, "font-size": "11", fill: "#555",
                    "data-testid": `caption-${j}`, text: line }, heat);
    });
    heat.setAttribute("width", Math.max(left + T * cw + 10, 560));
    heat.setAttribute("height", y + 16 + 14 * (caption.length - 1));
  }

  function drawPanel(fr, colors, tc) {
    panel.replaceChildren();
    const lines = [
      ["x", "x_t", fr.x, "x"],
      ["i", "i_t", fr.i, "i"],
      ["f", "f_t", fr.f, "f"],
      ["g", "g_t", fr.g, "g"],
      ["o", "o_t", fr.o, "o"],
      ["c_prev", "c_{t−1}", fr.cPrev, "c"],
      ["kept", "f_t ⊙ c_{t−1}", fr.kept, "f"],
      ["written", "i_t ⊙ g_t", fr.written, "i"],
      ["c", "c_t", fr.cNext, "c"],
      ["h", "h_t", fr.hNext, "h"],
    ];
    const left = 92, bw = 52, gap = 70, rh = 20;
    const scale = Math.max(1, ...[fr.x, fr.cPrev, fr.cNext].flat().map(Math.abs));
    const nmax = Math.max(...lines.map((l) => l[2].length));
    lines.forEach(([key, label, vals, ck], r) => {
      const y = 8 + r * rh;
      const color = colors[ck];
      const lab = svgLabel(svg("text", { x: left - 8, y: y + 12, "text-anchor": "end", "font-size": "12",
                                         fill: tc[ck], "font-weight": "600" }, panel), label);
      if (key.length === 1) svg("title", { text: t_(`shared.gate_${key}`) }, lab);
      vals.forEach((v, k) => {
        const cx = left + k * (2 * bw + gap) + bw;
        const s = key === "i" || key === "f" || key === "o" || key === "g" ? 1 : scale;
        const w = (Math.min(1, Math.abs(v) / s)) * bw;
        svg("line", { x1: cx, x2: cx, y1: y, y2: y + 16, stroke: "#999" }, panel);
        svg("rect", { x: v >= 0 ? cx : cx - w, y: y + 2, width: w, height: 12, fill: color }, panel);
        svg("text", { x: cx + bw + 6, y: y + 12, "font-size": "11", "font-family": "monospace",
                      "data-testid": `value-${key}-${k}`, text: fmt(v) }, panel);
      });
    });
    for (let k = 0; k < nmax; k++) {
      svg("text", { x: left + k * (2 * bw + gap) + bw, y: 8 + lines.length * rh + 8,
                    "text-anchor": "middle", "font-size": "11", fill: "#555",
                    text: t_("sequence_explorer.unit", { unit: k }) }, panel);
    }
    panel.setAttribute("width", Math.max(left + nmax * (2 * bw + gap) + 10, 560));
    panel.setAttribute("height", 8 + lines.length * rh + 16);
  }

  function draw() {
    const steps = model.get("steps");
    if (!steps || !steps.h || steps.h.length === 0) return;
    const colors = model.get("colors");
    const tc = model.get("text_colors") || colors;
    const T = steps.h.length;
    t = clampStep(t, T);
    const titles = model.get("titles") || {};
    title.textContent = titles[t_.lang] || model.get("title");
    slider.max = String(T - 1);
    slider.value = String(t);
    tLabel.textContent = t_("sequence_explorer.t_label", { t, last: T - 1 });
    slider.setAttribute("aria-valuetext", tLabel.textContent);
    // Redrawing replaces the columns: give the focus back to the one that had it.
    const active = root.ownerDocument.activeElement;
    const focused = active && heat.contains(active) ? active.getAttribute("data-testid") : null;
    drawHeatmap(steps, colors, tc);
    panel.setAttribute("aria-label", t_("sequence_explorer.panel_aria", { t }));
    drawPanel(frame(steps, t), colors, tc);
    if (focused !== null) {
      const col = heat.querySelector(`[data-testid="${focused}"]`);
      if (col) col.focus();
    }
  }

  const handlers = {
    "change:t": () => { t = model.get("t"); draw(); },
    "change:steps": () => { stop(); t = model.get("t"); draw(); },
    "change:colors": draw, "change:title": draw, "change:titles": draw,
  };
  for (const [ev, f] of Object.entries(handlers)) model.on(ev, f);
  draw();
  return () => {
    stop();
    for (const [ev, f] of Object.entries(handlers)) model.off(ev, f);
  };
}

// bookRender comes from _common.js, which BookWidget puts in front: look it up only when rendering,
// so that node can import this file alone for its exported math.
export default { render: (ctx) => bookRender(render)(ctx) };
