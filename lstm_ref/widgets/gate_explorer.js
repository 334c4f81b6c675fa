// Gate explorer: one LSTM step, computed in the browser from sliders.
//
// Python (gate_explorer.py) puts a seeded model's weights into traits; this
// file does the step itself, so the widget works on a static page. The pure
// math (sigmoid, lstmStep) is exported so that tests/test_gate_explorer.py
// can run it under node and compare it with lstm_ref.lstm_cell over a grid.

const GATES = ["i", "f", "g", "o"];

// sigma(z) as lstm_ref.sigmoid computes it: (1 + tanh(z/2)) / 2 never overflows.
export function sigmoid(z) {
  return 0.5 * (1 + Math.tanh(0.5 * z));
}

function matvec(W, v) {
  return W.map((row) => row.reduce((s, w, k) => s + w * v[k], 0));
}

// One step, in torch's gate order (rows [0:H] i, [H:2H] f, [2H:3H] g, [3H:4H] o):
//   z = W_ih x + b_ih + W_hh h + b_hh + shift      (shift: one number per gate)
//   i, f, o = sigma(z_i, z_f, z_o),  g = tanh(z_g)
//   c = f * c_prev + i * g,  m = o * tanh(c),  h = W_hr m  (or h = m without projection)
export function lstmStep({ x, h, c, weight_ih, weight_hh, bias_ih, bias_hh,
                           weight_hr = null, bias_shift = [0, 0, 0, 0] }) {
  const H = c.length;
  const xw = matvec(weight_ih, x);
  const hw = matvec(weight_hh, h);
  const z = xw.map((v, r) => v + bias_ih[r] + bias_hh[r] + hw[r] + bias_shift[Math.floor(r / H)]);
  const gate = (k) => z.slice(k * H, (k + 1) * H);
  const i = gate(0).map(sigmoid);
  const f = gate(1).map(sigmoid);
  const g = gate(2).map(Math.tanh);
  const o = gate(3).map(sigmoid);
  const cNew = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
  const m = cNew.map((cj, j) => o[j] * Math.tanh(cj));
  const hNew = weight_hr && weight_hr.length ? matvec(weight_hr, m) : m;
  return { z: { i: gate(0), f: gate(1), g: gate(2), o: gate(3) }, i, f, g, o, c: cNew, m, h: hNew };
}

// ----- rendering: plain DOM and SVG, colours from the `colors` trait, text from `labels` -----

const SVG = "http://www.w3.org/2000/svg";
const fmt = (v) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3);

function el(tag, attrs = {}, text = null) {
  const node = ["svg", "g", "path", "circle", "line", "text", "rect"].includes(tag)
    ? document.createElementNS(SVG, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

// A labelled slider; `label` is markup of this file (a symbol such as x<sub>t</sub>), never data.
function slider(label, name, testid, value, [lo, hi], color, onInput) {
  const row = el("label", { class: "ge-slider" });
  const sym = el("span", { class: "ge-name", style: `color:${color}` });
  sym.innerHTML = label;
  const input = el("input", { type: "range", min: lo, max: hi, step: 0.05, value,
                              "data-testid": testid, "aria-label": name });
  const num = el("span", { class: "ge-num" }, fmt(value));
  input.addEventListener("input", () => onInput(parseFloat(input.value)));
  row.append(sym, input, num);
  return { row, set: (v) => { input.value = v; num.textContent = fmt(v); } };
}

// A small plot of the gate's nonlinearity with a dot per unit at (z, a): shows saturation.
function curve(key, color, textColor, tanh, name) {
  const W = 150, Hh = 70, zmax = 10;
  const sx = (z) => 6 + ((Math.max(-zmax, Math.min(zmax, z)) + zmax) / (2 * zmax)) * (W - 12);
  const sy = (a) => Hh - 6 - ((a - (tanh ? -1 : 0)) / (tanh ? 2 : 1)) * (Hh - 12);
  const svg = el("svg", { width: W, height: Hh, viewBox: `0 0 ${W} ${Hh}`, class: "ge-curve",
                          "data-testid": `curve-${key}`, role: "img", "aria-label": name });
  const pts = [];
  for (let k = 0; k <= 60; k++) {
    const z = -zmax + (2 * zmax * k) / 60;
    pts.push(`${sx(z).toFixed(1)},${sy(tanh ? Math.tanh(z) : sigmoid(z)).toFixed(1)}`);
  }
  svg.append(el("line", { x1: 0, x2: W, y1: sy(0), y2: sy(0), stroke: "#bbb" }),
             el("line", { x1: sx(0), x2: sx(0), y1: 0, y2: Hh, stroke: "#bbb" }),
             el("path", { d: "M" + pts.join("L"), fill: "none", stroke: color, "stroke-width": 2 }),
             el("text", { x: 8, y: 14, "font-size": 13, "font-weight": 700, fill: textColor }, key));
  const dots = el("g");
  svg.append(dots);
  return {
    svg,
    update(zs, as) {
      dots.replaceChildren(...zs.map((z, j) => el("circle", {
        cx: sx(z), cy: sy(as[j]), r: 4.5, fill: color, stroke: "#1a1a1a", "stroke-width": 1 })));
    },
  };
}

const CSS = `
.lstm-widget-gate_explorer { font-family: system-ui, sans-serif; font-size: 14px; color: #1a1a1a;
  display: flex; flex-wrap: wrap; gap: 12px 24px; }
.lstm-widget-gate_explorer fieldset { border: 1px solid #c4c4c4; border-radius: 6px; margin: 0; padding: 6px 10px; }
.lstm-widget-gate_explorer legend { font-weight: 600; font-size: 13px; }
.ge-slider { display: grid; grid-template-columns: 5.5em minmax(110px, 150px) 3.5em; align-items: center; gap: 6px; }
.ge-name { font-weight: 600; }
.ge-num { font-variant-numeric: tabular-nums; text-align: right; }
.ge-presets { display: flex; flex-wrap: wrap; gap: 6px; max-width: 330px; }
.ge-presets button { font-size: 13px; }
.ge-gates { display: grid; grid-template-columns: repeat(2, auto); gap: 4px 16px; }
.ge-gate { display: flex; align-items: center; gap: 6px; }
.ge-gate .ge-read { min-width: 8em; }
.ge-right { min-width: 0; max-width: 100%; }
.ge-out table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0; width: auto; }
.ge-out td, .ge-out th { padding: 2px 8px; text-align: right; color: #1a1a1a; background: none; }
.ge-eq { margin-top: 6px; font-size: 13px; line-height: 1.6; }
.ge-bar { display: inline-block; height: 9px; vertical-align: middle; border-radius: 2px; }
@media (max-width: 500px) {
  .ge-gates { grid-template-columns: auto; }
  .ge-out td, .ge-out th { padding: 2px 3px; font-size: 12px; }
}
`;

function render({ model, el: root }) {
  const t = bookLabels(model);
  const colors = model.get("colors");
  const tc = model.get("text_colors") || colors;
  const range = model.get("ranges");
  const gateName = (k) => t(`shared.gate_${k}`);
  bookCard(root, t, "lstm-widget-gate_explorer");
  root.append(el("style", {}, CSS));

  const read = () => ({
    x: model.get("x"), h: model.get("h_prev"), c: model.get("c_prev"),
    weight_ih: model.get("weight_ih"), weight_hh: model.get("weight_hh"),
    bias_ih: model.get("bias_ih"), bias_hh: model.get("bias_hh"),
    weight_hr: model.get("weight_hr"), bias_shift: model.get("bias_shift"),
  });
  const save = (name, value) => {
    model.set(name, value);
    try { model.save_changes(); } catch (e) { /* static page: no kernel to tell */ }
  };
  const setItem = (name, j, v) => { const a = model.get(name).slice(); a[j] = v; save(name, a); };

  // Controls: the step's inputs, a bias shift per gate, presets.
  const left = el("div");
  const inputs = el("fieldset");
  inputs.append(el("legend", {}, t("gate_explorer.inputs")));
  const sliders = { x: [], h_prev: [], c_prev: [], bias_shift: [] };
  const addVec = (name, sym, key, rng) => model.get(name).forEach((v, j) => {
    const many = model.get(name).length > 1;
    const label = many ? `${sym}[${j}]` : sym;
    const aria = t(`gate_explorer.slider_${key}`, { index: many ? `[${j}]` : "" });
    const s = slider(label, aria, `slider-${name.split("_")[0]}-${j}`, v, rng, tc[key],
                     (val) => setItem(name, j, val));
    sliders[name].push(s);
    inputs.append(s.row);
  });
  addVec("x", "x<sub>t</sub>", "x", range.x);
  addVec("h_prev", "h<sub>t−1</sub>", "h", range.h);
  addVec("c_prev", "c<sub>t−1</sub>", "c", range.c);
  const biases = el("fieldset");
  biases.append(el("legend", {}, t("gate_explorer.biases")));
  GATES.forEach((k, j) => {
    const s = slider(`Δb<sub>${k}</sub>`, t("gate_explorer.slider_bias", { gate: k, name: gateName(k) }),
                     `slider-bias-${k}`, model.get("bias_shift")[j], range.bias, tc[k],
                     (val) => setItem("bias_shift", j, val));
    sliders.bias_shift.push(s);
    biases.append(s.row);
  });
  const presetsHead = el("div", { class: "ge-name", style: "margin:8px 0 4px" }, t("gate_explorer.presets"));
  const presets = el("div", { class: "ge-presets", role: "group", "aria-label": t("gate_explorer.presets") });
  for (const p of model.get("presets")) {
    const label = t(`gate_explorer.preset_${p.name}`);
    const help = t(`gate_explorer.preset_${p.name}_help`);
    const b = el("button", { type: "button", "data-testid": `preset-${p.name}`, title: help,
                             "aria-label": `${label}: ${help}` }, label);
    b.addEventListener("click", () => {
      for (const name of ["x", "h_prev", "c_prev", "bias_shift"]) {
        if (p[name]) model.set(name, p[name].slice());
      }
      try { model.save_changes(); } catch (e) { /* static page */ }
    });
    presets.append(b);
  }
  left.append(inputs, biases, presetsHead, presets);

  // Gates: curve with the operating point, pre-activation and value per unit.
  const right = el("div", { class: "ge-right" });
  const gatesBox = el("div", { class: "ge-gates" });
  const gateViews = {};
  for (const k of GATES) {
    const box = el("div", { class: "ge-gate" });
    const fn = k === "g" ? "tanh" : "σ";
    const cv = curve(k, colors[k], tc[k], k === "g", t("gate_explorer.curve_aria", { name: gateName(k), fn }));
    const txt = el("div", { class: "ge-read" });
    box.append(cv.svg, txt);
    gatesBox.append(box);
    gateViews[k] = { cv, txt };
  }
  const out = el("div", { class: "ge-out" });
  right.append(gatesBox, out);
  root.append(left, right);

  const cell = (key, j, v, scale) => {
    const td = el("td");
    const w = Math.round(Math.min(1, Math.abs(v) / scale) * 40);
    td.append(el("span", { "data-testid": `readout-${key}-${j}`, "data-value": String(v) }, fmt(v)),
              el("span", { class: "ge-bar", "aria-hidden": "true",
                           style: `width:${w}px;margin-left:4px;background:${colors[key] || colors.h}` }));
    return td;
  };
  const span = (color, html) => `<span style="color:${color};font-weight:600">${html}</span>`;

  function update() {
    const p = read();
    const r = lstmStep(p);
    const H = p.c.length;
    for (const k of GATES) {
      const { cv, txt } = gateViews[k];
      cv.update(r.z[k], r[k]);
      txt.replaceChildren();
      const head = el("div", { style: `color:${tc[k]};font-weight:600` });
      head.innerHTML = `${k}<sub>t</sub> · `;
      head.append(gateName(k));
      txt.append(head);
      r[k].forEach((v, j) => txt.append(el("div", {}, `z = ${fmt(r.z[k][j])} → ${k} = ${fmt(v)}`)));
    }
    // Table per unit of the cell; h_t gets its own row when a projection changes its size.
    const table = el("table");
    const proj = p.weight_hr && p.weight_hr.length;
    const cols = [["i", 1], ["f", 1], ["g", 1], ["o", 1], ["c", 3]].concat(proj ? [] : [["h", 1]]);
    const head = el("tr");
    head.append(el("th", {}, t("gate_explorer.unit")));
    for (const [k] of cols) {
      const th = el("th", { style: `color:${tc[k]}`, title: gateName(k) });
      th.innerHTML = `${k}<sub>t</sub>`;
      head.append(th);
    }
    table.append(head);
    for (let j = 0; j < H; j++) {
      const tr = el("tr");
      tr.append(el("td", {}, String(j)));
      for (const [k, scale] of cols) tr.append(cell(k, j, r[k][j], scale));
      table.append(tr);
    }
    const parts = [table];
    if (proj) {
      const tr = el("div", { class: "ge-eq" });
      tr.innerHTML = `<b style="color:${tc.h}">h<sub>t</sub> = W<sub>hr</sub>(o ⊙ tanh c<sub>t</sub>)</b>: `;
      r.h.forEach((v, j) => tr.append(el("span", { "data-testid": `readout-h-${j}`, "data-value": String(v),
                                                   style: "margin-right:10px" }, fmt(v))));
      parts.push(tr);
    }
    // The update rule with this step's numbers (unit 0).
    const eq = el("div", { class: "ge-eq", "data-testid": "equation" });
    const c0 = p.c[0];
    eq.innerHTML =
      `${span(tc.c, "c<sub>t</sub>")} = ${span(tc.f, "f")}·c<sub>t−1</sub> + ${span(tc.i, "i")}·${span(tc.g, "g")} = `
      + `${fmt(r.f[0])}·${fmt(c0)} + ${fmt(r.i[0])}·${fmt(r.g[0])} = <b>${fmt(r.c[0])}</b>`;
    if (H > 1) eq.append(" " + t("gate_explorer.unit_0"));
    eq.append(el("br"));
    const eq2 = el("span");
    eq2.innerHTML = `${span(tc.h, proj ? "o·tanh(c<sub>t</sub>)" : "h<sub>t</sub>")} = `
      + `${span(tc.o, "o")}·tanh(c<sub>t</sub>) = ${fmt(r.o[0])}·${fmt(Math.tanh(r.c[0]))}`
      + ` = <b>${fmt(r.m[0])}</b>`;
    eq.append(eq2);
    parts.push(eq);
    out.replaceChildren(...parts);
    for (const name of ["x", "h_prev", "c_prev", "bias_shift"]) {
      model.get(name).forEach((v, j) => sliders[name][j] && sliders[name][j].set(v));
    }
  }

  const events = ["x", "h_prev", "c_prev", "bias_shift", "weight_ih", "weight_hh", "bias_ih",
                  "bias_hh", "weight_hr"].map((n) => `change:${n}`);
  for (const ev of events) model.on(ev, update);
  update();
  return () => { for (const ev of events) model.off(ev, update); };
}

// bookRender comes from _common.js, which BookWidget puts in front: look it up only when rendering,
// so that node can import this file alone for its exported math.
export default { render: (ctx) => bookRender(render)(ctx) };
