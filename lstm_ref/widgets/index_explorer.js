// The index explorer's front end: plain DOM + SVG, no imports, no network.
// Python stores real `output` (B, T, D*H) and `h_n` (D*L, B, H) tensors for
// num_layers 1..3, one- and bidirectional (batch_first=True). The index
// arithmetic below is exported so tests/test_index_explorer.py can run it under
// node and compare it with identity checks on real torch tensors.

const SVGNS = "http://www.w3.org/2000/svg";
export const DIRECTIONS = ["forward", "reverse"];

function checkIndex(name, value, size) {
  if (!Number.isInteger(value) || value < 0 || value >= size) {
    throw new RangeError(`${name} index ${value} is out of range for size ${size}`);
  }
}

// output[b, t, j]: the top layer's hidden state at time step t; columns
// [0, H) are the forward direction and [H, 2H) the reverse one.
export function locateOutput(cfg, b, t, j) {
  checkIndex("batch", b, cfg.B); checkIndex("time", t, cfg.T); checkIndex("feature", j, cfg.D * cfg.H);
  return { tensor: "output", index: [b, t, j], batch: b, layer: cfg.L - 1,
           direction: Math.floor(j / cfg.H), t, unit: j % cfg.H };
}

// h_n[row, b, j]: row = layer * D + direction, i.e. h_n.view(L, D, B, H)[layer, direction].
// It is the state after the direction's last step: t = T-1 forward, t = 0 reverse.
export function locateHn(cfg, row, b, j) {
  checkIndex("row", row, cfg.L * cfg.D); checkIndex("batch", b, cfg.B); checkIndex("unit", j, cfg.H);
  const layer = Math.floor(row / cfg.D), direction = row % cfg.D;
  return { tensor: "h_n", index: [row, b, j], batch: b, layer, direction,
           t: direction === 0 ? cfg.T - 1 : 0, unit: j, view: [layer, direction, b, j] };
}

// The output cell that equals h_n[row, b, j] (top layer only), else null.
export function outputOfHn(cfg, row, b, j) {
  const loc = locateHn(cfg, row, b, j);
  return loc.layer === cfg.L - 1 ? [b, loc.t, loc.direction * cfg.H + j] : null;
}

// The h_n cell that equals output[b, t, j] (a direction's last step only), else null.
export function hnOfOutput(cfg, b, t, j) {
  const loc = locateOutput(cfg, b, t, j);
  const last = loc.direction === 0 ? cfg.T - 1 : 0;
  return t === last ? [(cfg.L - 1) * cfg.D + loc.direction, b, loc.unit] : null;
}

// One sentence for a located cell; `t` is the widget's label lookup (English without it).
export function describe(cfg, loc, t = null) {
  if (t) {
    const top = loc.layer === cfg.L - 1 ? t("index_explorer.top_layer") : "";
    const dir = cfg.D === 2 ? t("index_explorer.describe_dir", { direction: t(`shared.${DIRECTIONS[loc.direction]}`) }) : "";
    return t("index_explorer.describe", { layer: loc.layer, top, dir, t: loc.t, unit: loc.unit, batch: loc.batch });
  }
  const top = loc.layer === cfg.L - 1 ? " (the top layer)" : "";
  const dir = cfg.D === 2 ? `, ${DIRECTIONS[loc.direction]} direction` : "";
  return `layer ${loc.layer}${top}${dir}, time step t = ${loc.t}, unit ${loc.unit}, batch element ${loc.batch}`;
}

const idx = (name, ix) => `${name}[${ix.join(", ")}]`;

// Black or white text, whichever reads better on `hex` blended over white at `opacity`.
export function textColorOn(hex, opacity) {
  const rgb = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255);
  const lin = rgb.map((v) => {
    const c = opacity * v + (1 - opacity);
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const L = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  return (L + 0.05) / 0.05 > 1.05 / (L + 0.05) ? "#000" : "#fff";
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

// Fill `parent` with `template`, whose {name} placeholders become the given nodes (or text).
function fillTemplate(parent, template, nodes) {
  for (const part of template.split(/(\{\w+\})/)) {
    const m = part.match(/^\{(\w+)\}$/);
    if (m && m[1] in nodes) parent.append(nodes[m[1]]);
    else if (part) parent.append(part);
  }
  return parent;
}

function render({ model, el: root }) {
  const t = bookLabels(model);
  bookCard(root, t, "lstm-widget-index-explorer");
  root.style.fontFamily = "system-ui, sans-serif";
  root.style.fontSize = "13px";
  const bar = el("div", {}, root);
  bar.style.cssText = "display:flex;gap:12px;align-items:center;margin:6px 0;flex-wrap:wrap";
  const lab = el("label", { text: t("index_explorer.num_layers") + " " }, bar);
  const layers = el("select", { "data-testid": "num-layers" }, lab);
  for (const n of [1, 2, 3]) el("option", { value: String(n), text: String(n) }, layers);
  const lab2 = el("label", {}, bar);
  lab2.style.cssText = "display:inline-flex;align-items:center;gap:4px";
  const bidir = el("input", { type: "checkbox", "data-testid": "bidirectional" }, lab2);
  lab2.append(t("index_explorer.bidirectional"));
  const code = el("code", { "data-testid": "config", "data-code": "" }, bar);
  // The picture holds buttons (its cells), so it is a named group, not an image.
  const pic = svg("svg", { "data-testid": "tensors", role: "group", "aria-label": t("index_explorer.tensors_aria") }, root);
  const readout = el("div", { "data-testid": "readout", "aria-live": "polite" }, root);
  readout.style.cssText = "margin-top:6px;padding:6px 8px;border:1px solid #c4c4c4;border-radius:4px;min-height:3.2em";

  let selected = null;  // {tensor: "output"|"h_n", index: [...]}
  let restoring = false;  // true while the focus is given back to a redrawn cell

  function cfgNow() {
    return { L: model.get("num_layers"), D: model.get("bidirectional") ? 2 : 1,
             T: model.get("seq_len"), B: model.get("batch_size"), H: model.get("hidden_size") };
  }
  function data(cfg) {
    return model.get("examples")[`L${cfg.L}_D${cfg.D}`];
  }
  function setConfig(L, bi) {
    model.set("num_layers", L);
    model.set("bidirectional", bi);
    try { model.save_changes(); } catch (e) { /* static page: no kernel to sync with */ }
    selected = null;
    draw();
  }
  layers.addEventListener("change", () => setConfig(Number(layers.value), bidir.checked));
  bidir.addEventListener("change", () => setConfig(Number(layers.value), bidir.checked));

  function span(testid, text, color, value = null) {
    const s = el("span", { "data-testid": testid, text });
    if (color) { s.style.color = color; s.style.fontWeight = "600"; }
    if (value !== null) s.setAttribute("data-value", value);
    return s;
  }
  const dirText = (d) => t(`shared.${DIRECTIONS[d]}`);

  function showReadout(cfg, d) {
    readout.replaceChildren();
    if (!selected) {
      readout.textContent = t("index_explorer.hint");
      return;
    }
    const dc = model.get("direction_colors");
    const [tensor, ix] = [selected.tensor, selected.index];
    const loc = tensor === "output" ? locateOutput(cfg, ...ix) : locateHn(cfg, ...ix);
    const value = tensor === "output" ? d.output[ix[0]][ix[1]][ix[2]] : d.h_n[ix[0]][ix[1]][ix[2]];
    const index = span("readout-index", idx(tensor, ix), null);
    index.style.fontFamily = "monospace";
    const dirName = DIRECTIONS[loc.direction];
    const direction = span("readout-direction", dirText(loc.direction),
                           bookTextColor(dc[dirName]), dirName);
    fillTemplate(el("div", {}, readout), t("index_explorer.readout"), {
      index, value: span("readout-value", value.toFixed(4)), layer: span("readout-layer", String(loc.layer)),
      direction, time: span("readout-time", String(loc.t)), unit: span("readout-unit", String(loc.unit)),
    });
    const line2 = el("div", {}, readout);
    line2.style.color = "#444";
    const match = tensor === "output" ? hnOfOutput(cfg, ...ix) : outputOfHn(cfg, ...ix);
    if (tensor === "h_n") {
      const view = el("span", { text: `h_n.view(${cfg.L}, ${cfg.D}, B, H)[${loc.view.join(", ")}]` });
      line2.append(view, t("shared.separator"));
      line2.append(loc.direction === 1 ? t("index_explorer.reverse_ends")
                                       : t("index_explorer.last_step", { last: cfg.T - 1 }));
      line2.append(t("shared.separator"));
    }
    const matchText = match ? idx(tensor === "output" ? "h_n" : "output", match)
      : tensor === "h_n" ? t("index_explorer.none_top") : t("index_explorer.none_last");
    fillTemplate(line2, t("index_explorer.equal_cell"),
                 { cell: span("readout-match", matchText, null, match ? matchText : "none") });
  }

  function draw() {
    const cfg = cfgNow();
    const d = data(cfg);
    layers.value = String(cfg.L);
    bidir.checked = cfg.D === 2;
    code.textContent = `nn.LSTM(…, hidden_size=${cfg.H}, num_layers=${cfg.L}, bidirectional=${cfg.D === 2 ? "True" : "False"}, batch_first=True)`
      + `  →  output (${cfg.B}, ${cfg.T}, ${cfg.D * cfg.H}),  h_n (${cfg.L * cfg.D}, ${cfg.B}, ${cfg.H})`;
    // Redrawing replaces the cells: remember which one had the focus, to give it back.
    const active = root.ownerDocument.activeElement;
    const focusId = active && pic.contains(active) ? active.getAttribute("data-testid") : null;
    pic.replaceChildren();
    if (!d) return;
    const dc = model.get("direction_colors");
    const dtc = { forward: bookTextColor(dc.forward), reverse: bookTextColor(dc.reverse) };
    const cw = 44, ch = 26, gapB = 18;  // cells at least 24 px tall: touch targets
    const match = !selected ? null
      : selected.tensor === "output" ? ["h_n", hnOfOutput(cfg, ...selected.index)]
      : ["output", outputOfHn(cfg, ...selected.index)];
    const same = (a, b) => a && b && a.length === b.length && a.every((v, k) => v === b[k]);

    function cell(x, y, tensor, ix, value, color, opacity) {
      const testid = `${tensor === "h_n" ? "hn" : "output"}-${ix.join("-")}`;
      const g = svg("g", { "data-testid": testid }, pic);
      const isSel = selected && selected.tensor === tensor && same(selected.index, ix);
      const isMatch = match && match[0] === tensor && same(match[1], ix);
      g.setAttribute("data-selected", isSel ? "true" : "false");
      g.setAttribute("data-match", isMatch ? "true" : "false");
      svg("rect", { x, y, width: cw - 2, height: ch - 2, fill: color, "fill-opacity": opacity,
                    stroke: isSel || isMatch ? "#111" : "none", "stroke-width": isSel ? 3 : 2,
                    "stroke-dasharray": isMatch ? "4 2" : "none" }, g);
      svg("text", { x: x + cw / 2 - 1, y: y + ch / 2 + 3, "text-anchor": "middle", "font-size": "10",
                    "font-family": "monospace", fill: textColorOn(color, Number(opacity)),
                    "pointer-events": "none", text: (Math.abs(value) < 0.005 ? 0 : value).toFixed(2) }, g);
      svg("title", { text: `${idx(tensor, ix)} = ${value.toFixed(4)}` }, g);
      const pick = () => {
        if (isSel) return;  // redrawing replaces the element under the pointer
        selected = { tensor, index: ix };
        draw();
      };
      const pickHere = () => { if (!restoring) pick(); };
      bookActivate(g, t("index_explorer.cell_aria", { index: idx(tensor, ix), value: value.toFixed(4) }), pickHere);
      if (isSel) g.setAttribute("aria-pressed", "true");
      g.addEventListener("mouseenter", pick);
      g.addEventListener("focus", pickHere);
    }

    // output: one block per batch element, rows t, columns j (forward half, then reverse half).
    const x0 = 40, y0 = cfg.D === 2 ? 48 : 34;
    svg("text", { x: x0, y: 14, "font-weight": "600", fill: "#1a1a1a", text: t("index_explorer.output_title") }, pic);
    for (let b = 0; b < cfg.B; b++) {
      const bx = x0 + b * (cfg.D * cfg.H * cw + gapB);
      svg("text", { x: bx, y: y0 - (cfg.D === 2 ? 20 : 6), "font-size": "11", fill: "#1a1a1a", text: `b = ${b}` }, pic);
      if (cfg.D === 2) {  // the direction of each half in words too, not by colour alone
        for (let dir = 0; dir < 2; dir++) {
          svg("text", { x: bx + (dir + 0.5) * cfg.H * cw, y: y0 - 6, "text-anchor": "middle", "font-size": "10.5",
                        "font-weight": "600", fill: dtc[DIRECTIONS[dir]],
                        text: dir ? `← ${t("index_explorer.rev")}` : `${t("index_explorer.fwd")} →` }, pic);
        }
      }
      for (let tt = 0; tt < cfg.T; tt++) {
        if (b === 0) svg("text", { x: x0 - 6, y: y0 + tt * ch + 14, "text-anchor": "end", "font-size": "11", fill: "#1a1a1a", text: `t=${tt}` }, pic);
        for (let j = 0; j < cfg.D * cfg.H; j++) {
          const dir = Math.floor(j / cfg.H);
          cell(bx + j * cw, y0 + tt * ch, "output", [b, tt, j], d.output[b][tt][j], dc[DIRECTIONS[dir]], 0.85);
        }
      }
    }
    // h_n: below output, one row per (layer, direction), then B blocks of H units.
    const hx0 = x0 + 100, hy0 = y0 + cfg.T * ch + 44;
    svg("text", { x: x0, y: hy0 - 20, "font-weight": "600", fill: "#1a1a1a", text: t("index_explorer.hn_title") }, pic);
    for (let b = 0; b < cfg.B; b++) {
      svg("text", { x: hx0 + b * (cfg.H * cw + gapB), y: hy0 - 6, "font-size": "11", fill: "#1a1a1a", text: `b = ${b}` }, pic);
    }
    for (let r = 0; r < cfg.L * cfg.D; r++) {
      const layer = Math.floor(r / cfg.D), dir = r % cfg.D;
      svg("text", { x: hx0 - 6, y: hy0 + r * ch + 14, "text-anchor": "end", "font-size": "11",
                    fill: dtc[DIRECTIONS[dir]], "font-weight": "600",
                    text: cfg.D === 2 ? t("index_explorer.hn_row_dir", { row: r, layer, dir: dir ? t("index_explorer.rev") : t("index_explorer.fwd") })
                                      : t("index_explorer.hn_row", { row: r, layer }) }, pic);
      for (let b = 0; b < cfg.B; b++) {
        for (let j = 0; j < cfg.H; j++) {
          cell(hx0 + b * (cfg.H * cw + gapB) + j * cw, hy0 + r * ch, "h_n", [r, b, j], d.h_n[r][b][j],
               dc[DIRECTIONS[dir]], (0.3 + 0.6 * (layer + 1) / cfg.L).toFixed(2));
        }
      }
    }
    const ly = hy0 + cfg.L * cfg.D * ch + 16;
    svg("rect", { x: x0, y: ly - 10, width: 12, height: 12, fill: dc.forward }, pic);
    svg("text", { x: x0 + 16, y: ly, "font-size": "11", fill: "#1a1a1a", text: `${t("shared.forward")} →` }, pic);
    let lx = x0 + 90;
    if (cfg.D === 2) {
      svg("rect", { x: lx, y: ly - 10, width: 12, height: 12, fill: dc.reverse }, pic);
      svg("text", { x: lx + 16, y: ly, "font-size": "11", fill: "#1a1a1a", text: `← ${t("shared.reverse")}` }, pic);
      lx += 90;
    }
    svg("text", { x: lx, y: ly, "font-size": "11", fill: "#555", text: t("index_explorer.legend") }, pic);
    svg("text", { x: x0, y: ly + 16, "font-size": "11", fill: "#555", text: t("index_explorer.keys") }, pic);
    pic.setAttribute("width", Math.max(x0 + cfg.B * (cfg.D * cfg.H * cw + gapB), hx0 + cfg.B * (cfg.H * cw + gapB), 560) + 10);
    pic.setAttribute("height", ly + 24);
    showReadout(cfg, d);
    if (focusId !== null) {
      const again = pic.querySelector(`[data-testid="${focusId}"]`);
      restoring = true;
      if (again) again.focus();
      restoring = false;
    }
  }

  const handlers = {
    "change:num_layers": () => { selected = null; draw(); },
    "change:bidirectional": () => { selected = null; draw(); },
    "change:examples": draw, "change:direction_colors": draw,
  };
  for (const [ev, f] of Object.entries(handlers)) model.on(ev, f);
  draw();
  return () => { for (const [ev, f] of Object.entries(handlers)) model.off(ev, f); };
}

// bookRender comes from _common.js, which BookWidget puts in front: look it up only when rendering,
// so that node can import this file alone for its exported math.
export default { render: (ctx) => bookRender(render)(ctx) };
