// The vanishing-gradient lab: log10 ||dh_{T-1} / dx_{T-1-k}|| against the distance k,
// for a tanh RNN and an LSTM at initialisation (steps numbered 0 .. T-1, T = gap + 1).
//
// Python (gradient_lab.py) precomputes every curve; this file only selects and
// draws them, so the widget works on a static page. `select` and `readouts` are
// exported so that tests/test_gradient_lab.py can run them under node against
// the grid lstm_ref computed.

// The curves for slider positions (gi, bi, si): index k of each curve is the distance.
export function select(data, gi, bi, si) {
  return { gap: data.gaps[gi], lstm: data.lstm[gi][bi], rnn: data.rnn[gi][si] };
}

// What reaches across the whole gap: log10 of each norm at k = gap, and their difference.
export function readouts(data, gi, bi, si) {
  const { gap, lstm, rnn } = select(data, gi, bi, si);
  const l = lstm[gap], r = rnn[gap];
  return { gap, lstm: l, rnn: r, ratio: Math.round((l - r) * 1e4) / 1e4 };
}

// 10^v as text, e.g. -10.6 -> "2.5e-11", matching Python's f"{10**v:.1e}" up to the exponent's padding.
export function pow10Text(v) {
  return Math.pow(10, v).toExponential(1);
}

// The y range drawn for gap index gi: every curve of that gap fits, so moving the bias
// or scale slider never rescales the axis (only changing the gap does).
export function yRange(data, gi) {
  let lo = Infinity, hi = -Infinity;
  for (const curve of [...data.lstm[gi], ...data.rnn[gi]]) {
    for (const v of curve) {
      if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  return [Math.floor(lo), Math.ceil(hi)];
}

// Integer distances to label on the x axis: 0, the quarters of the gap (rounded) and the gap.
export function xTicks(gap) {
  return [...new Set([0, 1, 2, 3, 4].map((j) => Math.round((j * gap) / 4)))];
}

// ----- rendering: plain DOM and SVG, colours from the `colors` trait -----------------

const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, text = null) {
  const svgTags = ["svg", "path", "line", "text", "rect", "g"];
  const node = svgTags.includes(tag) ? document.createElementNS(SVG, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

function data(model) {
  return { gaps: model.get("gaps"), forget_biases: model.get("forget_biases"),
           rnn_scales: model.get("rnn_scales"), lstm: model.get("lstm"), rnn: model.get("rnn") };
}

// Line styles: the second cue beside the colour (the LSTM solid, the RNN dashed).
const DASH = { lstm: "none", rnn: "7 4" };

function render({ model, el: root }) {
  const t = bookLabels(model);
  root.style.fontFamily = "sans-serif";
  root.style.fontSize = "14px";
  const W = 560, Hh = 316, M = { l: 56, r: 16, t: 28, b: 40 };
  const svg = el("svg", { width: W, height: Hh, viewBox: `0 0 ${W} ${Hh}`, role: "img",
                          "aria-label": t("gradient_lab.plot_aria"), "data-testid": "plot" });
  const controls = el("div", { style: "display:grid;grid-template-columns:auto minmax(100px,1fr) auto;gap:4px 10px;max-width:560px;align-items:center" });
  const out = el("div", { style: "margin-top:6px;line-height:1.6", "aria-live": "polite" });
  root.replaceChildren(svg, controls, out);
  bookCard(root, t, "lstm-widget-gradient_lab");

  const sliders = {};
  const addSlider = (trait, label, testid, values, fmt) => {
    const input = el("input", { type: "range", min: 0, max: values.length - 1, step: 1,
                                value: model.get(trait), "data-testid": testid, "aria-label": label });
    const shown = el("span", { "data-testid": `${testid}-value` });
    input.addEventListener("input", () => {
      model.set(trait, parseInt(input.value, 10));
      try { model.save_changes(); } catch (e) { /* static page: no kernel to tell */ }
      draw();
    });
    controls.append(el("span", { "aria-hidden": "true" }, label), input, shown);
    sliders[trait] = { input, shown, values, fmt };
  };

  const readout = (testid, color, dash, label) => {
    const row = el("div", {});
    const value = el("strong", { "data-testid": testid });
    const text = el("span", {});
    text.innerHTML = label;  // a constant string of this file and the label table, never data
    if (color) {  // a short sample of the curve: its colour and its line style
      const key = el("svg", { width: 22, height: 10, "aria-hidden": "true", style: "margin-right:4px" });
      key.append(el("line", { x1: 1, x2: 21, y1: 5, y2: 5, stroke: color, "stroke-width": 3, "stroke-dasharray": dash }));
      row.append(key);
    }
    row.append(text, value);
    out.append(row);
    return value;
  };

  let rnnOut, lstmOut, ratioOut;
  function build() {
    controls.replaceChildren();
    out.replaceChildren();
    const d = data(model);
    addSlider("gap_index", t("gradient_lab.gap"), "gap-slider", d.gaps, (v) => t("gradient_lab.steps", { n: v }));
    addSlider("bias_index", t("gradient_lab.bias"), "bias-slider", d.forget_biases, (v) => `${v}`);
    addSlider("scale_index", t("gradient_lab.scale"), "scale-slider", d.rnn_scales, (v) => `× ${v}`);
    const colors = model.get("colors");
    const norm = t("gradient_lab.norm");  // markup of the label table (subscripts), never data
    lstmOut = readout("lstm-readout", colors.c, DASH.lstm, `LSTM ${norm} = `);
    rnnOut = readout("rnn-readout", colors.x, DASH.rnn, `RNN ${norm} = `);
    ratioOut = readout("ratio-readout", null, null, "LSTM / RNN = ");
    draw();
  }

  function draw() {
    const d = data(model);
    if (!d.gaps || !d.gaps.length) return;
    const gi = model.get("gap_index"), bi = model.get("bias_index"), si = model.get("scale_index");
    for (const [trait, s] of Object.entries(sliders)) {
      const i = model.get(trait);
      s.input.value = i;
      s.shown.textContent = s.fmt(s.values[i]);
      s.input.setAttribute("aria-valuetext", s.shown.textContent);
    }
    const colors = model.get("colors");
    const { gap, lstm, rnn } = select(d, gi, bi, si);
    const [lo, hi] = yRange(d, gi);
    const px = (k) => M.l + (k / gap) * (W - M.l - M.r);
    const py = (v) => M.t + ((hi - v) / (hi - lo)) * (Hh - M.t - M.b);
    svg.replaceChildren();
    const step = hi - lo > 12 ? 5 : 2;
    for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
      svg.append(el("line", { x1: M.l, x2: W - M.r, y1: py(v), y2: py(v), stroke: "#e5e5e5" }),
                 el("text", { x: M.l - 6, y: py(v) + 4, "text-anchor": "end", "font-size": 11, fill: "#1a1a1a" }, `1e${v}`));
    }
    for (const k of xTicks(gap)) {
      svg.append(el("text", { x: px(k), y: Hh - M.b + 16, "text-anchor": "middle", "font-size": 11, fill: "#1a1a1a" },
                    `${k}`));
    }
    svg.append(el("text", { x: (M.l + W - M.r) / 2, y: Hh - 6, "text-anchor": "middle", "font-size": 12, fill: "#1a1a1a" },
                  t("gradient_lab.x_axis")),
               el("line", { x1: M.l, x2: M.l, y1: M.t, y2: Hh - M.b, stroke: "#767676" }),
               el("line", { x1: M.l, x2: W - M.r, y1: Hh - M.b, y2: Hh - M.b, stroke: "#767676" }));
    const path = (curve, color, dash, testid) => el("path", {
      d: "M" + curve.map((v, k) => `${px(k).toFixed(1)},${py(v).toFixed(1)}`).join("L"),
      fill: "none", stroke: color, "stroke-width": 2.5, "stroke-dasharray": dash, "data-testid": testid });
    svg.append(path(rnn, colors.x, DASH.rnn, "rnn-curve"), path(lstm, colors.c, DASH.lstm, "lstm-curve"));
    // The legend sits in the top margin, where no curve can cover it.
    const legend = (x, color, dash, label) => [
      el("line", { x1: x, x2: x + 22, y1: 11, y2: 11, stroke: color, "stroke-width": 2.5, "stroke-dasharray": dash }),
      el("text", { x: x + 27, y: 15, "font-size": 12, fill: "#1a1a1a" }, label)];
    svg.append(...legend(M.l, colors.c, DASH.lstm, "LSTM"), ...legend(M.l + 80, colors.x, DASH.rnn, "tanh RNN"));
    const r = readouts(d, gi, bi, si);
    for (const [node, v] of [[lstmOut, r.lstm], [rnnOut, r.rnn], [ratioOut, r.ratio]]) {
      node.textContent = pow10Text(v);
      node.setAttribute("data-log10", v.toFixed(4));
    }
    svg.setAttribute("aria-label", t("gradient_lab.plot_aria_values",
                                     { gap, lstm: pow10Text(r.lstm), rnn: pow10Text(r.rnn) }));
  }

  build();
  const redraw = () => draw();
  const rebuild = () => build();
  for (const tr of ["gap_index", "bias_index", "scale_index"]) model.on(`change:${tr}`, redraw);
  for (const tr of ["gaps", "forget_biases", "rnn_scales", "lstm", "rnn", "colors"]) model.on(`change:${tr}`, rebuild);
  return () => {
    for (const tr of ["gap_index", "bias_index", "scale_index"]) model.off(`change:${tr}`, redraw);
    for (const tr of ["gaps", "forget_biases", "rnn_scales", "lstm", "rnn", "colors"]) model.off(`change:${tr}`, rebuild);
  };
}

// bookRender comes from _common.js, which BookWidget puts in front: look it up only when rendering,
// so that node can import this file alone for its exported math.
export default { render: (ctx) => bookRender(render)(ctx) };
