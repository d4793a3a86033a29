// The explorer page's fields: reading a number as typed, and what the page does
// while a field does not read as one. symcnn puts this before page.js (whose $ and
// show it uses when called).
// "1", "-0.5", "2e-3" and fractions "-1/2" (what the lecture writes)
const NUMBER = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:\s*\/\s*((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))?\s*$/;

// { value } for a number float64 holds, else { reason } saying why not (the page
// never rounds 1e400 to an infinity, 1/0 to a division, 1e-400 to 0 unsaid)
function readNumber(text) {
  const given = text.trim().length > 40 ? text.trim().slice(0, 40) + "..." : text.trim();
  if (!given) return { reason: "empty: type a number such as 1, -0.5 or -1/2" };
  const m = NUMBER.exec(text);
  if (!m) return { reason: `"${given}" is not a number; write 1, -0.5, 2e-3 or -1/2` };
  const [top, bottom] = [Number(m[1]), m[2] === undefined ? 1 : Number(m[2])];
  if (!Number.isFinite(top) || !Number.isFinite(bottom)) {
    return { reason: `${given} is beyond float64 (at most about 1.8e308)` };
  }
  if (bottom === 0) return { reason: `${given} divides by zero` };
  const value = top / bottom;
  if (!Number.isFinite(value)) return { reason: `${given} is beyond float64 (at most about 1.8e308)` };
  const nonzero = [m[1], m[2] || "1"].every((part) => /[1-9]/.test(part.split(/[eE]/)[0]));
  if (value === 0 && nonzero) {
    return { reason: `${given} is below float64's smallest number (about 5e-324)` };
  }
  return { value };
}

// The weight fields that do not read as numbers, with why: while there is one, the
// values, loss, gradient and verdict shown are not those of the fields, so the page
// says so, greys them and computes nothing (nor trains) until it is fixed
const badWeights = new Map();

function markField(input, reason) {
  const bad = reason !== undefined;
  input.classList.toggle("bad", bad);
  input.setAttribute("aria-invalid", String(bad));
  input.title = bad ? reason : "";
  $("why-" + input.id).textContent = bad ? reason : "";
}

function markWeight(input, reason) {
  markField(input, reason);
  if (reason === undefined) badWeights.delete(input.id);
  else badWeights.set(input.id, `${input.dataset.name}: ${reason}`);
  const stale = badWeights.size > 0;
  document.body.classList.toggle("stale", stale);
  document.body.dataset.stale = stale ? "1" : "0";
  $("stale").hidden = !stale;
  $("stale").textContent = stale
    ? "The values, loss, gradient and verdict below are for the last weights that " +
      "were all numbers, not for the fields; fix " + [...badWeights.values()].join("; ")
    : "";
  trainingControls();
}

// Step and train need every weight, a learning rate > 0 and 1 to 100000 steps
let busy = false;
function readRate() {
  const read = readNumber($("lr").value);
  if (read.reason === undefined && !(read.value > 0)) {
    return { reason: `the learning rate must be greater than 0 (${show(read.value)} ` +
      "would not descend)" };
  }
  return read;
}

function readSteps() {
  const read = readNumber($("steps").value);
  const n = read.value;
  if (read.reason === undefined && !(Number.isInteger(n) && n >= 1 && n <= 100000)) {
    return { reason: "steps must be a whole number 1 to 100000" };
  }
  return read;
}

function trainingControls() {
  const rate = readRate().reason, steps = readSteps().reason;
  markField($("lr"), rate);
  markField($("steps"), steps);
  $("step").disabled = busy || badWeights.size > 0 || rate !== undefined;
  $("train").disabled = $("step").disabled || steps !== undefined;
}

