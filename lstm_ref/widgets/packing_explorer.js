// The packing explorer's front end: plain DOM + SVG, no imports, no network.
// Python stores h_n of every sequence for every length, packed and padded; the
// packing arithmetic below runs here, so the widget works on a static page. The
// pure functions are exported so that tests/test_packing_explorer.py can run
// them under node and compare them with torch's pack_padded_sequence.

const SVGNS = "http://www.w3.org/2000/svg";

function checkLengths(lengths) {
  if (!Array.isArray(lengths) || lengths.length === 0) {
    throw new RangeError(`lengths must be a non-empty array, got ${JSON.stringify(lengths)}`);
  }
  for (const n of lengths) {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(`Length of all samples has to be greater than 0, got ${JSON.stringify(lengths)}`);
    }
  }
}

// What pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
// does with the layout: sort by decreasing length (ties keep batch order), then
// store step 0 of every sequence, step 1 of those longer than 1, and so on.
// rows[r] = [b, t] is the (sequence, step) stored in row r of PackedSequence.data;
// rowOf[b][t] is that row, or -1 for a padded step (t >= lengths[b]).
export function packLayout(lengths, T = null) {
  checkLengths(lengths);
  const B = lengths.length;
  const maxLen = Math.max(...lengths);
  T = T === null ? maxLen : T;
  if (maxLen > T) throw new RangeError(`lengths must be at most the sequence length T=${T}, got max ${maxLen}`);
  const sorted = [...Array(B).keys()].sort((a, b) => lengths[b] - lengths[a] || a - b);
  const unsorted = Array(B);
  sorted.forEach((b, i) => { unsorted[b] = i; });
  const batchSizes = [];
  for (let t = 0; t < maxLen; t++) batchSizes.push(lengths.filter((n) => n > t).length);
  const rows = [];
  const rowOf = lengths.map(() => Array(T).fill(-1));
  batchSizes.forEach((size, t) => {
    for (let i = 0; i < size; i++) {
      rowOf[sorted[i]][t] = rows.length;
      rows.push([sorted[i], t]);
    }
  });
  return { sortedIndices: sorted, unsortedIndices: unsorted, batchSizes, rows, rowOf };
}

// |h_n(padded) - h_n(packed)| per sequence at the given lengths; hPacked[b][n-1]
// and hPadded[b][n-1] are the states Python computed for length n.
export function hnError(hPacked, hPadded, lengths) {
  return lengths.map((n, b) => {
    const p = hPacked[b][n - 1], q = hPadded[b][n - 1];
    return Math.sqrt(p.reduce((s, v, k) => s + (q[k] - v) ** 2, 0));
  });
}

export function clampLength(v, T) {
  return Math.max(1, Math.min(T, Math.round(Number(v) || 1)));
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
const list = (a) => `[${a.join(", ")}]`;

function render({ model, el: root }) {
  const t_ = bookLabels(model);
  bookCard(root, t_, "lstm-widget-packing-explorer");
  root.style.fontFamily = "system-ui, sans-serif";
  root.style.fontSize = "13px";
  const title = el("div", { text: t_("packing_explorer.title") }, root);
  title.style.fontWeight = "600";
  const controls = el("div", { "data-testid": "controls" }, root);
  controls.style.cssText = "display:grid;grid-template-columns:auto minmax(100px,160px) auto;gap:2px 8px;align-items:center;margin:6px 0";
  const grid = svg("svg", { "data-testid": "padded-grid", role: "img" }, root);
  const readouts = el("div", {}, root);
  readouts.style.cssText = "font-family:monospace;margin:6px 0;line-height:1.6";
  const strip = svg("svg", { "data-testid": "packed-strip", role: "img" }, root);
  const mono = "ui-monospace, monospace";
  const hnBox = el("div", { "data-testid": "hn-panel" }, root);
  hnBox.style.marginTop = "6px";

  let sliders = [];

  function setLength(b, v) {
    const T = model.get("seq_len");
    const lengths = [...model.get("lengths")];
    lengths[b] = clampLength(v, T);
    model.set("lengths", lengths);
    try { model.save_changes(); } catch (e) { /* static page: no kernel to sync with */ }
    draw();
  }

  function buildControls() {
    controls.replaceChildren();
    const T = model.get("seq_len");
    sliders = model.get("lengths").map((n, b) => {
      el("span", { text: t_("packing_explorer.sequence", { b }), "aria-hidden": "true" }, controls);
      const s = el("input", { type: "range", min: "1", max: String(T), step: "1", value: String(n),
                              "data-testid": `length-${b}`, "aria-label": t_("packing_explorer.length_aria", { b }) }, controls);
      const lab = el("span", { "data-testid": `length-label-${b}` }, controls);
      lab.style.fontVariantNumeric = "tabular-nums";
      s.addEventListener("input", () => setLength(b, s.value));
      return { s, lab };
    });
  }

  function readout(label, testid, value, note = "") {
    const line = el("div", {}, readouts);
    el("span", { text: `${label} = ` }, line);
    el("span", { "data-testid": testid, text: value }, line);
    if (note) el("span", { text: `  ${note}` }, line).style.cssText = `color:#555;font-family:${root.style.fontFamily}`;
  }

  function draw() {
    const lengths = model.get("lengths");
    const T = model.get("seq_len");
    const colors = model.get("colors");
    if (!lengths || lengths.length === 0) return;
    if (sliders.length !== lengths.length) buildControls();
    lengths.forEach((n, b) => {
      sliders[b].s.max = String(T);
      sliders[b].s.value = String(n);
      sliders[b].lab.textContent = t_("packing_explorer.length", { n });
      sliders[b].s.setAttribute("aria-valuetext", sliders[b].lab.textContent);
    });
    const lay = packLayout(lengths, T);

    // The padded batch: one row per sequence, one column per step; a real step
    // shows the row of PackedSequence.data it is stored in.
    grid.replaceChildren();
    grid.setAttribute("aria-label", t_("packing_explorer.grid_aria", { B: lengths.length, T }));
    const cw = 44, ch = 26, left = 86, top = 20;
    for (let t = 0; t < T; t++) {
      svg("text", { x: left + t * cw + cw / 2, y: top - 6, "text-anchor": "middle", "font-size": "11",
                    text: `t=${t}` }, grid);
    }
    lengths.forEach((n, b) => {
      const y = top + b * ch;
      svg("text", { x: left - 8, y: y + ch / 2 + 4, "text-anchor": "end", "font-size": "12", fill: "#1a1a1a",
                    text: t_("packing_explorer.sequence", { b }) }, grid);
      for (let t = 0; t < T; t++) {
        const row = lay.rowOf[b][t];
        const real = row >= 0;
        const r = svg("rect", { x: left + t * cw + 1, y: y + 1, width: cw - 2, height: ch - 2,
                                fill: real ? colors.h : "white", "fill-opacity": real ? "0.85" : "1",
                                stroke: real ? colors.h : "#999", "stroke-dasharray": real ? "" : "3 2",
                                "data-testid": `cell-${b}-${t}`, "data-row": String(row) }, grid);
        svg("title", { text: real ? t_("packing_explorer.cell_title", { b, t, row })
                                  : t_("packing_explorer.pad_title", { b, t }) }, r);
        svg("text", { x: left + t * cw + cw / 2, y: y + ch / 2 + 4, "text-anchor": "middle",
                      "font-size": "11", fill: real ? "#000" : "#595959", "pointer-events": "none",
                      text: real ? t_("packing_explorer.row", { row }) : t_("packing_explorer.pad") }, grid);
      }
    });
    grid.setAttribute("width", left + T * cw + 10);
    grid.setAttribute("height", top + lengths.length * ch + 6);

    readouts.replaceChildren();
    readout("batch_sizes", "batch-sizes", list(lay.batchSizes), t_("packing_explorer.note_batch_sizes"));
    readout("sorted_indices", "sorted-indices", list(lay.sortedIndices), t_("packing_explorer.note_sorted"));
    readout("unsorted_indices", "unsorted-indices", list(lay.unsortedIndices));
    readout(t_("packing_explorer.data_rows"), "data-rows", String(lay.rows.length), t_("packing_explorer.note_rows"));

    // PackedSequence.data, time-major: one block per step, batch_sizes[t] rows each.
    strip.replaceChildren();
    strip.setAttribute("aria-label", t_("packing_explorer.strip_aria", { rows: lay.rows.length }));
    const pw = 40, ph = 26, sTop = 18;
    let x = 4;
    lay.batchSizes.forEach((size, t) => {
      svg("text", { x: x + (size * pw) / 2, y: sTop - 5, "text-anchor": "middle", "font-size": "11",
                    fill: "#1a1a1a", text: `t=${t}` }, strip);
      for (let i = 0; i < size; i++) {
        const r = lay.rowOf[lay.sortedIndices[i]][t];
        const [b] = lay.rows[r];
        svg("rect", { x: x + i * pw + 1, y: sTop, width: pw - 2, height: ph, fill: colors.h,
                      "fill-opacity": "0.85", "data-testid": `packed-${r}` }, strip);
        svg("text", { x: x + i * pw + pw / 2, y: sTop + ph / 2 + 4, "text-anchor": "middle",
                      "font-size": "11", text: `${b},${t}` }, strip);
      }
      x += size * pw + 8;
    });
    svg("text", { x: 4, y: sTop + ph + 16, "font-size": "11", fill: "#555",
                  text: t_("packing_explorer.strip_caption") }, strip);
    strip.setAttribute("width", Math.max(x, 320));
    strip.setAttribute("height", sTop + ph + 22);

    // What not packing costs: h_n of the padded run against h_n at the true end.
    hnBox.replaceChildren();
    const head = el("div", { text: t_("packing_explorer.hn_head") }, hnBox);
    head.style.color = "#333";
    const errs = hnError(model.get("h_packed"), model.get("h_padded"), lengths);
    const scale = Math.max(1e-9, ...errs, 0.5);
    errs.forEach((e, b) => {
      const line = el("div", {}, hnBox);
      line.style.cssText = "display:flex;align-items:center;gap:8px;font-family:monospace";
      el("span", { text: t_("packing_explorer.sequence_colon", { b }) }, line);
      const bar = el("span", { "aria-hidden": "true" }, line);
      bar.style.cssText = `display:inline-block;height:10px;width:${Math.round(160 * e / scale)}px;background:${colors.f}`;
      el("span", { "data-testid": `hn-error-${b}`, text: e.toFixed(3) }, line);
    });
  }

  const handlers = {
    "change:lengths": draw, "change:seq_len": () => { sliders = []; draw(); },
    "change:h_packed": draw, "change:colors": draw,
  };
  for (const [ev, f] of Object.entries(handlers)) model.on(ev, f);
  draw();
  return () => { for (const [ev, f] of Object.entries(handlers)) model.off(ev, f); };
}

// bookRender comes from _common.js, which BookWidget puts in front: look it up only when rendering,
// so that node can import this file alone for its exported math.
export default { render: (ctx) => bookRender(render)(ctx) };
