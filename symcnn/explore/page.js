// The explorer page's behaviour. symcnn puts DATA (the network, its cells and
// samples) and program() (the trace's gradient program) before this script.
// Everything the user gave (names, titles) reaches the page through textContent;
// only symcnn's own MathML goes through innerHTML.
"use strict";
const MATHML = "http://www.w3.org/1998/Math/MathML";
const theta = Float64Array.from(DATA.params.map((p) => p.value));
const scratch = new Float64Array(DATA.size);
const current = new Float64Array(DATA.size);
let sampleIndex = 0;
let selected = null;
const history = [];

function $(id) { return document.getElementById(id); }

// A number as shown: 12 significant digits, so 0.1 + 0.2 shows as 0.3
function show(x) {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(12)) + 0);
}

// One pass of the program over every sample: the loss, its gradient (both with the
// loss's scale, as symcnn's compiled objective) and every sample's outputs F_NN(P).
function evaluate(t) {
  const grad = new Float64Array(t.length);
  const outputs = [];
  let loss = 0;
  for (const s of DATA.samples) {
    program(t, s.x, scratch, !DATA.hasTargets);
    outputs.push(DATA.outputs.map((k) => scratch[k]));
    if (DATA.hasTargets) {
      loss += scratch[DATA.loss];
      for (let i = 0; i < t.length; i++) grad[i] += scratch[DATA.gradient + i];
    }
  }
  for (let i = 0; i < t.length; i++) grad[i] *= DATA.scale;
  return { loss: loss * DATA.scale, grad: Array.from(grad), outputs };
}

// Every cell's value on sample s (for the tests: the grids' numbers)
function cellValues(t, s) {
  program(t, DATA.samples[s].x, current, true);
  return DATA.cells.map((c) => place(c.value, t, DATA.samples[s].x, current));
}

function place(where, t, x, v) {
  const [kind, i] = where;
  return kind === "t" ? t[i] : kind === "x" ? x[i] : v[i];
}

// The exhaustive verdict: F_NN(P) against the target on every image over the
// spec's alphabet (each image a string of alphabet positions), right when
// |F - Y| <= 1e-9 max(1, |Y|) for every output (exact values are what
// `symcnn check --exhaustive` compares; floats need the tolerance)
function verdict(t) {
  const v = DATA.verdict;
  const x = new Float64Array(DATA.inputs);
  const wrong = [];
  v.images.forEach((digits, n) => {
    for (let i = 0; i < digits.length; i++) x[i] = v.alphabet[digits.charCodeAt(i) - 48];
    program(t, x, scratch, true);
    const out = DATA.outputs.map((k) => scratch[k]);
    const y = v.targets[n];
    const right = out.length === y.length &&
      out.every((f, k) => Math.abs(f - y[k]) <= 1e-9 * Math.max(1, Math.abs(y[k])));
    if (!right) wrong.push([digits, out, y]);
  });
  return { right: v.images.length - wrong.length, total: v.images.length, wrong };
}

// An image as `check` writes it: 011/001 for binary pixels, 1 0 -1/0 0 1 otherwise
function imageText(digits) {
  const [c, h, w] = DATA.shape;
  const binary = !DATA.verdict.over;
  const pixel = (k) => binary ? digits[k] : show(DATA.verdict.alphabet[digits.charCodeAt(k) - 48]);
  const channels = [];
  for (let k = 0; k < c; k++) {
    const rows = [];
    for (let i = 0; i < h; i++) {
      const row = [];
      for (let j = 0; j < w; j++) row.push(pixel((k * h + i) * w + j));
      rows.push(row.join(binary ? "" : " "));
    }
    channels.push(rows.join("/"));
  }
  return channels.join(" | ");
}

function element(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function mathElement(tag, text) {
  const e = document.createElementNS(MATHML, tag);
  e.textContent = text;
  return e;
}

// A number in the formula: a negative one in parentheses, (-1/2) as (-0.5), unless
// it stands alone as an argument: f(-4) and max(0, -1), not f((-4))
function mathNumber(x, alone) {
  const mn = mathElement("mn", show(Math.abs(x)));
  if (!(x < 0)) return mn;
  const row = document.createElementNS(MATHML, "mrow");
  if (alone) row.append(mathElement("mo", "\u2212"), mn);
  else row.append(mathElement("mo", "("), mathElement("mo", "\u2212"), mn, mathElement("mo", ")"));
  return row;
}

// Whether a slot is a whole argument: between "(" or "," and "," or ")"
function standsAlone(slot) {
  const mark = (e, marks) => e !== null && e.localName === "mo" && marks.includes(e.textContent);
  return mark(slot.previousElementSibling, ["(", ","]) && mark(slot.nextElementSibling, [",", ")"]);
}

function buildWeights() {
  const body = $("weights");
  DATA.params.forEach((p, i) => {
    const row = element("tr");
    const label = element("td");
    label.innerHTML = p.label;
    const input = element("input");
    input.id = "w" + i;
    input.dataset.name = p.text;
    input.value = show(theta[i]);
    input.setAttribute("aria-label", p.text);
    input.addEventListener("input", () => {
      const read = readNumber(input.value);
      if (read.reason === undefined) theta[i] = read.value;
      markWeight(input, read.reason);
      update();
    });
    const cell = element("td");
    cell.append(input, element("span", "", "why"));
    cell.lastChild.id = "why-" + input.id;
    const grad = element("td", "", "number");
    grad.id = "g" + i;
    row.append(label, cell, grad);
    body.appendChild(row);
  });
}

function cellButton(index, block) {
  const button = element("button", "", "cell");
  button.dataset.cell = index;
  button.id = "cell" + index;
  button.title = DATA.cells[index].text;
  if (block) button.classList.add("block" + block);
  button.addEventListener("click", () => { selected = index; update(); });
  const td = element("td");
  td.appendChild(button);
  return td;
}

// One table per channel; a layer of 1x1 channels (a dense layer) as one column
function buildGrids() {
  const root = $("grids");
  for (const layer of DATA.layers) {
    const box = element("section", undefined, "layer");
    box.appendChild(element("h3", layer.title));
    const columns = layer.channels.every((rows) => rows.length === 1 && rows[0].length === 1);
    const grids = columns ? [layer.channels.map((rows) => rows[0])] : layer.channels;
    grids.forEach((rows, c) => {
      if (grids.length > 1) box.appendChild(element("div", `channel ${c + 1}`, "note"));
      const table = element("table", undefined, "grid");
      rows.forEach((cells, i) => {
        const tr = element("tr");
        cells.forEach((index, j) => {
          const block = !columns && layer.blocks ? layer.blocks[c][i][j] : 0;
          tr.appendChild(cellButton(index, block));
        });
        table.appendChild(tr);
      });
      box.appendChild(table);
    });
    root.appendChild(box);
  }
}

function fillSlots(parent, slots, x) {
  for (const slot of parent.querySelectorAll("[data-slot]")) {
    const where = slots[Number(slot.dataset.slot)];
    slot.replaceChildren(mathNumber(place(where, theta, x, current), standsAlone(slot)));
  }
}

function showExplanation(x) {
  const panel = $("explain");
  for (const b of document.querySelectorAll(".cell.field, .cell.chosen")) {
    b.classList.remove("field", "chosen");
  }
  if (selected === null) return;
  const c = DATA.cells[selected];
  $("cell" + selected).classList.add("chosen");
  const reads = new Set(c.slots.map((s) => s.join(":")));
  for (const other of DATA.cells) {
    if (reads.has(other.value.join(":"))) $("cell" + other.index).classList.add("field");
  }
  $("label").innerHTML = c.label;
  $("formula-part").hidden = !c.formula;  // a pixel has no formula
  $("formula").innerHTML = c.formula || "";
  $("numbers").innerHTML = c.numbers || "";
  fillSlots($("numbers"), c.slots, x);
  $("applied-part").hidden = !c.applied;  // f(1) for an activation's value
  $("applied").innerHTML = c.applied || "";
  fillSlots($("applied"), c.appliedSlots, x);
  const value = place(c.value, theta, x, current);
  $("value").textContent = show(value);
  $("value").dataset.value = String(value);
  panel.hidden = false;
}

function update() {
  if (badWeights.size) return;  // the page says the shown results are stale
  const x = DATA.samples[sampleIndex].x;
  program(theta, x, current, !DATA.hasTargets);
  for (const c of DATA.cells) {
    $("cell" + c.index).textContent = show(place(c.value, theta, x, current));
  }
  showExplanation(x);
  if (DATA.verdict && DATA.verdict.images) showVerdict(verdict(theta));
  if (!DATA.hasTargets) return;
  const result = evaluate(theta);
  $("loss").textContent = show(result.loss);
  $("loss").dataset.value = String(result.loss);
  result.grad.forEach((g, i) => { $("g" + i).textContent = show(g); $("g" + i).dataset.value = String(g); });
  const residuals = $("residuals");
  residuals.replaceChildren();
  DATA.samples.forEach((s, n) => {
    const tr = element("tr");
    const y = s.x.slice(s.x.length - DATA.outputs.length);
    tr.append(
      element("td", s.name),
      element("td", result.outputs[n].map(show).join(", "), "number"),
      element("td", y.map(show).join(", "), "number"),
      element("td", result.outputs[n].map((f, k) => show(f - y[k])).join(", "), "number"),
    );
    residuals.appendChild(tr);
  });
}

function showVerdict(v) {
  const box = $("verdict");
  const over = DATA.verdict.over ? ` (${DATA.verdict.over})` : "";
  box.textContent = `${v.right} of ${v.total} images right${over}`;
  box.dataset.right = v.right;
  box.dataset.total = v.total;
  box.classList.toggle("wrong", v.wrong.length > 0);
  const list = $("wrong");
  list.replaceChildren();
  for (const [bits, out, y] of v.wrong.slice(0, 50)) {
    list.appendChild(element("li", `${imageText(bits)}: F = ${out.map(show).join(", ")}, Y = ${y.map(show).join(", ")}`));
  }
  if (v.wrong.length > 50) list.appendChild(element("li", `and ${v.wrong.length - 50} more`));
}

function drawCurve() {
  const svg = $("curve");
  const line = $("curve-line");
  if (history.length < 2) { line.setAttribute("points", ""); return; }
  const logs = history.map((l) => Math.log10(Math.min(Math.max(l, 1e-30), 1e300)));
  const top = Math.max(...logs), bottom = Math.min(...logs);
  const span = top - bottom || 1;
  const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
  line.setAttribute("points", logs.map((l, k) =>
    `${(k / (logs.length - 1) * width).toFixed(1)},${((top - l) / span * (height - 4) + 2).toFixed(1)}`).join(" "));
  $("curve-label").textContent =
    `loss ${show(history[0])} to ${show(history[history.length - 1])} in ${history.length - 1} steps (log scale)`;
}

// Plain gradient descent on the loss, as `symcnn train --optimizer gd`; a step that
// makes the loss infinite or NaN is undone and stops training (as train's
// "diverged" keeps the last finite weights)
function step() {
  const lr = readRate().value;
  if (lr === undefined || badWeights.size) return false;
  const { loss, grad } = evaluate(theta);
  if (!history.length) history.push(loss);
  const before = Float64Array.from(theta);
  for (let i = 0; i < theta.length; i++) theta[i] -= lr * grad[i];
  const after = evaluate(theta).loss;
  if (!Number.isFinite(after)) {
    theta.set(before);
    $("curve-label").dataset.diverged = "1";
    $("diverged").textContent =
      `Diverged: one more step makes the loss ${after}; the weights before it are kept. Lower the learning rate.`;
    return false;
  }
  $("diverged").textContent = "";
  history.push(after);
  return true;
}

function afterSteps() {
  DATA.params.forEach((p, i) => {
    $("w" + i).value = show(theta[i]);
    markWeight($("w" + i), undefined);
  });
  update();
  drawCurve();
}

function train() {
  let left = readSteps().value;
  if (left === undefined) return;
  busy = true;
  const chunk = () => {
    for (let k = 0; k < 50 && left > 0; k++, left--) if (!step()) { left = 0; }
    if (left <= 0) busy = false;
    afterSteps();
    if (left > 0) requestAnimationFrame(chunk);
  };
  chunk();
}

function start() {
  buildWeights();
  buildGrids();
  const choose = $("sample");
  DATA.samples.forEach((s, n) => choose.appendChild(element("option", s.name)));
  choose.addEventListener("change", () => { sampleIndex = choose.selectedIndex; update(); });
  if (DATA.hasTargets) {
    $("lr").value = show(DATA.lr);
    for (const id of ["lr", "steps"]) $(id).addEventListener("input", trainingControls);
    $("step").addEventListener("click", () => { step(); afterSteps(); });
    $("train").addEventListener("click", train);
    $("reset").addEventListener("click", () => {  // the weights the page started from
      DATA.params.forEach((p, i) => { theta[i] = p.value; });
      history.length = 0;
      $("diverged").textContent = "";
      afterSteps();
    });
  } else {
    $("training").hidden = true;
  }
  if (DATA.verdict && DATA.verdict.reason) $("verdict").textContent = DATA.verdict.reason;
  document.body.dataset.stale = "0";
  if (DATA.hasTargets) trainingControls();
  update();
  window.symcnnExplore = { evaluate: (t) => evaluate(Float64Array.from(t)), cellValues: (t, s) => cellValues(Float64Array.from(t), s), verdict: (t) => verdict(Float64Array.from(t)) };
  document.body.dataset.readyMs = performance.now().toFixed(1);
  document.body.dataset.ready = "1";
}

start();
