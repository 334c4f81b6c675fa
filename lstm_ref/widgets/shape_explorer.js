// Shape explorer: every tensor and parameter shape of an nn.LSTM call, computed in the browser.
//
// computeShapes is the JavaScript twin of lstm_ref.shapes (same arguments, same
// result, same error messages); tests/test_shape_explorer.py runs it under node
// over a grid of configurations and compares it with lstm_ref.shapes, which is
// itself tested against a real torch.nn.LSTM.

function checkInt(value, name, minimum) {
  if (!Number.isInteger(value)) throw new Error(`${name} should be of type int, got: ${typeof value}`);
  if (minimum !== undefined && value < minimum) {
    throw new Error(minimum === 1 ? `${name} must be greater than zero, got ${value}`
                                  : `${name} must be at least ${minimum}, got ${value}`);
  }
  return value;
}

// The parameter names of an nn.LSTM, in torch's order (layer, direction, kind).
export function paramNames({ num_layers = 1, bidirectional = false, bias = true, proj_size = 0 }) {
  const names = [];
  for (let layer = 0; layer < num_layers; layer++) {
    for (const sfx of bidirectional ? ["", "_reverse"] : [""]) {
      const kinds = ["weight_ih", "weight_hh"].concat(bias ? ["bias_ih", "bias_hh"] : [],
                                                     proj_size > 0 ? ["weight_hr"] : []);
      for (const k of kinds) names.push(`${k}_l${layer}${sfx}`);
    }
  }
  return names;
}

// With D = 2 if bidirectional else 1 and H_out = proj_size || hidden_size:
//   input  (T, B, I) | (B, T, I) if batch_first | (T, I) unbatched (batch_size = null)
//   h_0, h_n  (D*num_layers, B, H_out)    c_0, c_n  (D*num_layers, B, hidden_size)   never batch-first
//   output (T, B, D*H_out) | (B, T, D*H_out) | (T, D*H_out)
//   weight_ih_l{k} (4H, I if k == 0 else D*H_out), weight_hh (4H, H_out), biases (4H), weight_hr (P, H)
export function computeShapes({ batch_size = null, seq_len = 1, input_size = 1, hidden_size = 1,
                                num_layers = 1, bidirectional = false, batch_first = false,
                                proj_size = 0, bias = true }) {
  checkInt(input_size, "input_size", 1);
  checkInt(hidden_size, "hidden_size", 1);
  checkInt(num_layers, "num_layers", 1);
  checkInt(proj_size, "proj_size");
  if (proj_size < 0) {
    throw new Error(`proj_size should be a positive integer or zero to disable projections, got ${proj_size}`);
  }
  if (proj_size >= hidden_size) {
    throw new Error(`proj_size has to be smaller than hidden_size, got proj_size=${proj_size} and hidden_size=${hidden_size}`);
  }
  const T = checkInt(seq_len, "seq_len", 1);
  const D = bidirectional ? 2 : 1;
  const Hout = proj_size || hidden_size;
  let lead, state;
  if (batch_size === null) {
    lead = [T];
    state = [D * num_layers];
  } else {
    const B = checkInt(batch_size, "batch_size", 1);
    lead = batch_first ? [B, T] : [T, B];
    state = [D * num_layers, B];
  }
  const tensors = {
    input: [...lead, input_size], h_0: [...state, Hout], c_0: [...state, hidden_size],
    output: [...lead, D * Hout], h_n: [...state, Hout], c_n: [...state, hidden_size],
  };
  const params = {};
  for (const name of paramNames({ num_layers, bidirectional, bias, proj_size })) {
    const [kind, rest] = name.split("_l");
    const layerIn = parseInt(rest, 10) === 0 ? input_size : D * Hout;
    params[name] = { weight_ih: [4 * hidden_size, layerIn], weight_hh: [4 * hidden_size, Hout],
                     bias_ih: [4 * hidden_size], bias_hh: [4 * hidden_size],
                     weight_hr: [proj_size, hidden_size] }[kind];
  }
  return { tensors, params };
}

// What each dimension means, in the book's notation (same length as the shape).
export function dimLabels({ batched = true, batch_first = false, proj_size = 0 }) {
  const lead = !batched ? ["T"] : batch_first ? ["B", "T"] : ["T", "B"];
  const state = batched ? ["D·num_layers", "B"] : ["D·num_layers"];
  const Hout = proj_size ? "H_out=P" : "H";
  return { input: [...lead, "I"], h_0: [...state, Hout], c_0: [...state, "H"],
           output: [...lead, `D·${Hout === "H" ? "H" : "H_out"}`], h_n: [...state, Hout], c_n: [...state, "H"] };
}

// The torch code for this configuration, as a reader would type it.
export function torchCode(cfg) {
  const args = [String(cfg.input_size), String(cfg.hidden_size)];
  const defaults = { num_layers: 1, bias: true, batch_first: false, bidirectional: false, proj_size: 0 };
  for (const [k, d] of Object.entries(defaults)) {
    if (cfg[k] !== d) args.push(`${k}=${typeof d === "boolean" ? (cfg[k] ? "True" : "False") : cfg[k]}`);
  }
  const x = computeShapes({ ...cfg, batch_size: cfg.batched ? cfg.batch_size : null }).tensors.input;
  return [`lstm = nn.LSTM(${args.join(", ")})`, `x = torch.randn(${x.join(", ")})`,
          "output, (h_n, c_n) = lstm(x)"];
}

// ----- rendering: plain DOM and SVG, colours from the `colors` trait, text from `labels` -----

const SVGNS = "http://www.w3.org/2000/svg";
const shapeStr = (s) => `[${s.join(", ")}]`;

function el(tag, attrs = {}, text = null) {
  const svgTags = ["svg", "rect", "line", "text", "tspan", "g", "path", "polygon"];
  const node = svgTags.includes(tag) ? document.createElementNS(SVGNS, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

const CONTROLS = [  // trait, kind, min, max (the label is shape_explorer.control_<trait>)
  ["batch_size", "int", 1, 64], ["seq_len", "int", 1, 64],
  ["input_size", "int", 1, 16], ["hidden_size", "int", 1, 16],
  ["num_layers", "int", 1, 4], ["proj_size", "int", 0, 16],
  ["bidirectional", "bool"], ["batch_first", "bool"],
  ["batched", "bool"], ["bias", "bool"],
];

const CSS = `
.lstm-widget-shape_explorer { font-family: system-ui, sans-serif; font-size: 14px; color: #1a1a1a;
  display: flex; flex-wrap: wrap; gap: 12px 24px; }
.se-controls { display: flex; flex-wrap: wrap; gap: 4px 18px; align-content: start; max-width: 640px; }
.se-controls label { display: inline-flex; justify-content: space-between; align-items: center;
  gap: 6px; width: 220px; }
.se-controls input[type=number] { width: 4.5em; }
.se-main { display: flex; flex-direction: column; gap: 10px; min-width: 0; max-width: 100%; }
.se-code { font-family: ui-monospace, monospace; font-size: 12.5px; background: #f4f4f4; color: #1a1a1a;
  padding: 6px 8px; border-radius: 4px; white-space: pre; overflow-x: auto; }
.se-error { color: #b00020; font-family: ui-monospace, monospace; font-size: 12.5px; }
.lstm-widget-shape_explorer table { border-collapse: collapse; font-variant-numeric: tabular-nums;
  margin: 0; width: auto; }
.lstm-widget-shape_explorer td, .lstm-widget-shape_explorer th { padding: 2px 10px 2px 0; text-align: left;
  color: #1a1a1a; background: none; }
.se-shape { font-family: ui-monospace, monospace; font-weight: 600; }
.se-dims { color: #555; font-size: 12px; }
`;

// A feature vector drawn as n cells: its size can be counted, not just read.
function vectorBar(g, x, y, n, cell, fill, opacity = 1) {
  for (let k = 0; k < n; k++) {
    g.append(el("rect", { x: x + k * cell, y, width: cell - 1, height: 10, fill, rx: 1.5,
                          "fill-opacity": opacity }));
  }
  return x + n * cell;
}

function diagram(cfg, shapes, colors, tc, t) {
  // Bottom-up: bar 0 is x_t; bar l+1 is layer l's output, D halves of H_out features.
  const D = cfg.bidirectional ? 2 : 1, L = cfg.num_layers, H = cfg.hidden_size;
  const Hout = cfg.proj_size || H;
  const cell = Math.max(3, Math.min(9, Math.floor(160 / Math.max(cfg.input_size, D * Hout))));
  const rowH = 74, W = 620, top = 34, height = top + L * rowH + 24;
  const svg = el("svg", { width: W, height, viewBox: `0 0 ${W} ${height}`, "data-testid": "diagram",
                          role: "img", "aria-label": t("shape_explorer.diagram_aria", { layers: L, directions: D }) });
  const barY = (k) => height - 20 - k * rowH;
  const boxW = 160, boxX = (d) => 60 + d * (boxW + 14), stateX = 440;
  // Connectors are elbows drawn underneath everything, from a bar to a box or from a box to the
  // half of the bar above that its direction fills; labels carry a white halo all the same.
  const elbow = (x1, y1, x2, y2, ym) => svg.prepend(el("path", {
    d: `M${x1},${y1} V${ym} H${x2} V${y2}`, fill: "none", stroke: "#999", "stroke-width": 1.5 }));
  const barW = (k) => (k === 0 ? cfg.input_size : D * Hout) * cell;
  const HALO = { stroke: "#fff", "stroke-width": 3, "paint-order": "stroke" };
  const legend = el("text", { x: stateX, y: 14, "font-size": 11, fill: "#1a1a1a" }, t("shape_explorer.rows_of") + " ");
  legend.append(el("tspan", { fill: tc.h, "font-weight": 600 }, "h_n"), el("tspan", {}, " · "),
                el("tspan", { fill: tc.c, "font-weight": 600 }, "c_n"));
  svg.append(legend);
  svg.append(el("text", { x: stateX, y: 27, "font-size": 10.5, fill: "#555" }, t("shape_explorer.row_index")));
  for (let k = 0; k <= L; k++) {
    const y = barY(k);
    if (k === 0) {
      svg.append(el("text", { x: 8, y: y + 9, "font-size": 12, fill: tc.x }, "x_t"));
      vectorBar(svg, 60, y, cfg.input_size, cell, colors.x);
      svg.append(el("text", { x: 60 + cfg.input_size * cell + 5, y: y + 9, "font-size": 11, fill: "#333", ...HALO },
                            `input_size = ${cfg.input_size}`));
      continue;
    }
    let xo = 60;
    for (let d = 0; d < D; d++) xo = vectorBar(svg, xo, y, Hout, cell, colors.h, d ? 0.5 : 1);
    svg.append(el("text", { x: 8, y: y + 9, "font-size": 12, fill: tc.h },
                          k === L ? "output" : t("shape_explorer.layer", { layer: k - 1 })));
    const size = `${D > 1 ? `2·${Hout} = ` : ""}${D * Hout}`;
    svg.append(el("text", { x: xo + 5, y: y + 9, "font-size": 11, fill: "#333", ...HALO },
                          k < L ? t("shape_explorer.to_layer", { size, layer: k })
                                : t("shape_explorer.per_step", { size })));
  }
  for (let l = 0; l < L; l++) {
    const yb = barY(l) - 14 - 28;  // box top
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d ? "_reverse" : ""}`;
      const cx = boxX(d) + boxW / 2;
      elbow(60 + barW(l) / 2, barY(l), cx, yb + 28, barY(l) - 7);  // reads the whole bar below
      elbow(cx, yb, 60 + (d + 0.5) * Hout * cell, barY(l + 1) + 10, yb - 6 - 8 * d);  // fills half d above
      svg.append(el("rect", { x: boxX(d), y: yb, width: boxW, height: 28, rx: 5, fill: "#f4f4f4",
                              stroke: d ? colors.o : colors.i, "stroke-width": 1.5,
                              "stroke-dasharray": d ? "5 3" : "none" }));
      svg.append(el("text", { x: boxX(d) + 6, y: yb + 12, "font-size": 11.5, "font-weight": 600, fill: "#1a1a1a" },
                            d ? t("shape_explorer.box_reverse", { layer: l }) : t("shape_explorer.box_forward", { layer: l })));
      svg.append(el("text", { x: boxX(d) + 6, y: yb + 24, "font-size": 10.5, fill: "#555" },
                            `weight_ih${sfx}: ${shapeStr(shapes.params["weight_ih" + sfx])}`));
      // Its final state: row l*D + d of h_n (H_out) and c_n (hidden_size), each marked h / c.
      const ys = yb + d * 15 + (D === 1 ? 8 : 0);
      svg.append(el("text", { x: stateX, y: ys + 9, "font-size": 10.5, fill: "#1a1a1a" }, `[${l * D + d}]`));
      const sc = Math.min(cell, 6);
      svg.append(el("text", { x: stateX + 24, y: ys + 9, "font-size": 10, "font-weight": 700, fill: tc.h }, "h"));
      const xe = vectorBar(svg, stateX + 32, ys, Hout, sc, colors.h);
      svg.append(el("text", { x: xe + 6, y: ys + 9, "font-size": 10, "font-weight": 700, fill: tc.c }, "c"));
      vectorBar(svg, xe + 14, ys, H, sc, colors.c);
    }
  }
  return svg;
}

function render({ model, el: root }) {
  const t = bookLabels(model);
  const colors = model.get("colors");
  const tc = model.get("text_colors") || colors;
  bookCard(root, t, "lstm-widget-shape_explorer");
  root.append(el("style", {}, CSS));
  const controls = el("div", { class: "se-controls" });
  const inputs = {};
  for (const [name, kind, lo, hi] of CONTROLS) {
    const input = kind === "bool"
      ? el("input", { type: "checkbox" })
      : el("input", { type: "number", min: lo, max: hi, step: 1 });
    input.setAttribute("data-testid", `control-${name}`);
    input.addEventListener(kind === "bool" ? "change" : "input", () => {
      const v = kind === "bool" ? input.checked : parseInt(input.value, 10);
      if (kind !== "bool" && (!Number.isInteger(v) || v < lo || v > hi)) return;  // mid-typing
      model.set(name, v);
      try { model.save_changes(); } catch (e) { /* static page: no kernel to tell */ }
    });
    inputs[name] = input;
    // The <label> around the input names it (its text is the accessible name).
    const row = el("label", {}, t(`shape_explorer.control_${name}`));
    row.append(input);
    controls.append(row);
  }
  const main = el("div", { class: "se-main" });
  root.append(controls, main);

  function config() {
    const cfg = {};
    for (const [name] of CONTROLS) cfg[name] = model.get(name);
    return cfg;
  }

  function update() {
    const cfg = config();
    for (const [name, kind] of CONTROLS) {
      if (kind === "bool") inputs[name].checked = cfg[name];
      else if (parseInt(inputs[name].value, 10) !== cfg[name]) inputs[name].value = cfg[name];
    }
    inputs.batch_first.disabled = !cfg.batched;  // torch ignores batch_first for unbatched input
    inputs.batch_size.disabled = !cfg.batched;
    let shapes;
    try {
      shapes = computeShapes({ ...cfg, batch_size: cfg.batched ? cfg.batch_size : null });
    } catch (e) {
      // torch's own message, verbatim (it is what the reader's code would raise).
      main.replaceChildren(el("div", { class: "se-error", "data-testid": "error", "data-code": "", role: "alert" },
                              `ValueError: ${e.message}`));
      return;
    }
    const code = el("div", { class: "se-code", "data-testid": "code", "data-code": "",
                             "aria-label": t("shape_explorer.code_aria"), role: "region", tabindex: "0" },
                    torchCode(cfg).join("\n"));
    const labels = dimLabels(cfg);
    const tt = el("table");
    tt.append(el("tr", {}, null));
    tt.firstChild.append(el("th", {}, t("shape_explorer.tensor")), el("th", {}, t("shape_explorer.shape")),
                         el("th", {}, t("shape_explorer.dimensions")));
    const tint = { input: "x", h_0: "h", h_n: "h", output: "h", c_0: "c", c_n: "c" };
    for (const [name, s] of Object.entries(shapes.tensors)) {
      const tr = el("tr");
      const nameCell = el("td", { style: "font-weight:600", "data-code": "" });
      nameCell.append(bookSwatch(colors[tint[name]], tint[name]), name);
      tr.append(nameCell,
                el("td", { class: "se-shape", "data-testid": `shape-${name}`, "data-shape": JSON.stringify(s) },
                   shapeStr(s)),
                el("td", { class: "se-dims" }, `(${labels[name].join(", ")})`));
      tt.append(tr);
    }
    const pt = el("table");
    pt.append(el("tr"));
    pt.firstChild.append(el("th", {}, t("shape_explorer.parameter")), el("th", {}, t("shape_explorer.shape")),
                         el("th", {}, t("shape_explorer.numel")));
    let total = 0;
    for (const [name, s] of Object.entries(shapes.params)) {
      const n = s.reduce((a, b) => a * b, 1);
      total += n;
      const tr = el("tr");
      tr.append(el("td", { style: "font-family:ui-monospace,monospace", "data-code": "" }, name),
                el("td", { class: "se-shape", "data-testid": `param-${name}`, "data-shape": JSON.stringify(s) },
                   shapeStr(s)),
                el("td", {}, String(n)));
      pt.append(tr);
    }
    const tr = el("tr");
    tr.append(el("td", {}, t("shape_explorer.total")), el("td"),
              el("td", { "data-testid": "param-total", style: "font-weight:600" }, String(total)));
    pt.append(tr);
    main.replaceChildren(code, tt, diagram(cfg, shapes, colors, tc, t), pt);
  }
  const events = CONTROLS.map(([name]) => `change:${name}`);
  for (const ev of events) model.on(ev, update);
  update();
  return () => { for (const ev of events) model.off(ev, update); };
}

// bookRender comes from _common.js, which BookWidget puts in front: look it up only when rendering,
// so that node can import this file alone for its exported math.
export default { render: (ctx) => bookRender(render)(ctx) };
