// Generic calculator front end. It knows no medicine: it sends each form's inputs to one
// Web Worker (Pyodide running aihcalc) and shows the JSON that comes back. One worker per
// tab, kept in this module, so Python boots once and survives Material's instant navigation.
//
// Markup contract: <form data-calculator="ID" data-state="loading|ready|error">, inputs named
// as the Python inputs, <output data-output="NAME">, [data-table=NAME][data-columns],
// [data-message-for=NAME], [data-status], [data-progress], [data-warnings], [data-working],
// [data-version] (which calculator and package versions gave the answer shown, from its JSON).
// Each field sits in [data-field=NAME], which may carry data-default (the declared default, as
// form text) and data-applies-when='{"OTHER": ["value", ...]}': the field applies only while
// each named earlier field holds one of the listed values; otherwise it is hidden and its
// controls disabled (so not sent; Python ignores an input that does not apply in any case).
// After each answer the form's data-result is "ok", "error" (a message sits next to the field
// at fault, or in [data-message-for=""]) or "incomplete" (a required field is still empty: a
// calm prompt in [data-message-for=""][data-kind=prompt], no field marked invalid);
// data-computed counts the answers shown. Each answer shown (a refusal too) is also dispatched
// on its form as the DOM event "aihcalc:answer", detail {calculator, answer}: the answer's JSON
// as Python gave it (embed.js passes it on to the page around an embedded calculator).
// A page that opts in with <html data-aihcalc-prefill> (the embed pages) fills its inputs from
// the address's query string before the first answer, and a form with data-prefill="a=1&b=2"
// (the <aihcalc-calculator inputs> element) from that string (see prefill below).
// Forms may also sit in shadow roots (element.js): attach(root) binds the forms of one, and
// every form of every root shares the one worker.

// Boot fails only when nothing has arrived for this long: a slow link that is still delivering
// bytes is never called a failure.
const STALL_MS = globalThis.aihcalcBootTimeoutMs ?? 30000;
const ANNOUNCE_MS = 700; // screen readers hear the answer once typing pauses, not on every key
const EMPTY = "—";
// The bridge's reason for a required input that was not given: the field is merely still empty,
// so the form asks for it gently instead of showing an error.
const REQUIRED = "is required";

let worker = null;
let state = "loading";
let statusText = "Loading the live calculator…";
let progress = { received: 0, expected: 0 };
let bootTimer = null;
let announceTimers = new WeakMap();
let sequence = 0;
const latest = new WeakMap(); // form -> seq of its newest request
const requests = new Map(); // seq -> {form, convert?}

const roots = new Set([document]);
const scriptStart = performance.timeOrigin + performance.now();

function forms() {
  return Array.from(roots, (root) => Array.from(root.querySelectorAll("form[data-calculator]"))).flat();
}

// The worker's script must come from the page's own origin. When this module was loaded from
// another site (the <aihcalc-calculator> element on a host page), a tiny module worker made
// here, from a blob, imports the real worker.js across origins, which CORS allows (static hosts
// answer "Access-Control-Allow-Origin: *"); Pyodide's and the calculators' files are fetched
// from their own absolute addresses the same way.
function workerScript() {
  const url = new URL("./worker.js", import.meta.url);
  if (url.origin === location.origin) return url;
  return URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: "text/javascript" }));
}

function startWorker() {
  if (worker) return;
  // A calculator page's head may have created it already (hooks/overrides/main.html): adopt it.
  const early = globalThis.aihcalcWorker;
  globalThis.aihcalcWorker = undefined;
  worker = early || new Worker(workerScript(), { type: "module" });
  worker.onmessage = (event) => receive(event.data);
  worker.onerror = (event) => crashed(event.message || "the worker script failed to load");
  if (early && early.aihcalcFailed) crashed(early.aihcalcFailed);
  watchForStall();
  worker.postMessage({ type: "boot" }); // the worker boots by itself and answers "ready" or "failed"
}

// Once every byte is in, what is left (compiling, starting Python) is work on this device, which
// a slow phone may take a while over: only a much longer wait is then called a failure.
const STARTUP_MS = Math.max(STALL_MS, 120000);

function watchForStall() {
  clearTimeout(bootTimer);
  const downloaded = progress.expected > 0 && progress.received >= progress.expected;
  bootTimer = setTimeout(() => {
    if (state !== "loading") return;
    fail(downloaded ? `Python did not start within ${Math.round(STARTUP_MS / 1000)} s of downloading` : `nothing arrived for ${Math.round(STALL_MS / 1000)} s: the connection may have dropped`);
  }, downloaded ? STARTUP_MS : STALL_MS);
}

function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function receive(message) {
  if (message.type === "progress") {
    if (state !== "loading") return;
    progress = { received: message.received ?? 0, expected: message.expected ?? 0 };
    watchForStall(); // something arrived: the link is alive
    // The text (read out by screen readers) moves in steps of 10%; the bar moves with every chunk.
    const tenth = progress.expected ? Math.floor((10 * Math.min(progress.received, progress.expected)) / progress.expected) * 10 : 0;
    const share = progress.expected ? `, ${tenth}% of ${megabytes(progress.expected)} MB` : "";
    setState("loading", (form) => `Loading the live calculator: ${message.text}${share}. Meanwhile, the ${fallbackNoun(form)} after the form applies.`);
  } else if (message.type === "ready") {
    clearTimeout(bootTimer);
    setState("ready", "Live: the answer updates as you type.");
    document.documentElement.dataset.aihcalcRuntime = message.version;
    document.documentElement.dataset.aihcalcBoot = message.how; // restored from the snapshot, or started
    globalThis.aihcalcBootMarks = { ...message.marks, script: scriptStart }; // for benchmarks/boot.py
    forms().forEach(compute);
  } else if (message.type === "failed") {
    fail(message.text);
  } else if (message.type === "result") {
    const pending = requests.get(message.seq);
    requests.delete(message.seq);
    if (!pending || !pending.form.isConnected) return;
    if (pending.convert) {
      converted(pending.convert, JSON.parse(message.answer));
      compute(pending.form);
    } else if (pending.exporting) {
      saveFile(pending.form, JSON.parse(message.answer));
    } else if (latest.get(pending.form) === message.seq) {
      render(pending.form, JSON.parse(message.answer));
    }
  }
}

// A worker that dies after Python was running (out of memory, a fatal runtime error) is started
// again once, quietly: the forms recompute when it is ready. A second death is explained.
let restarts = 0;

function crashed(reason) {
  if (state === "ready" && restarts < 1) {
    restarts += 1;
    worker.terminate();
    worker = null;
    requests.clear();
    setState("loading", "The live calculator stopped; starting it again…");
    startWorker();
    return;
  }
  if (worker) worker.terminate();
  fail(restarts ? `it stopped again after a restart: ${reason}` : reason);
}

function fail(reason) {
  clearTimeout(bootTimer);
  setState(
    "error",
    (form) => `The live calculator could not start (${reason}). The ${fallbackNoun(form)} after the form was computed when this page was built, by the same code, and still applies.`,
  );
  settled();
}

// The first answer is shown, or Python failed: the page's other scripts may start now
// (theme-loader.js holds the theme's back until then, so it does not slow Python's boot).
function settled() {
  if (globalThis.aihcalcSettled) return;
  globalThis.aihcalcSettled = true;
  document.dispatchEvent(new Event("aihcalc:settled"));
}

// What the page shows without Python: "table" or "worked example" (data-fallback on the form).
function fallbackNoun(form) {
  return form.dataset.fallback || "table";
}

// text: a string, or a function of the form (the wording may depend on the form's fallback).
function setState(next, text) {
  state = next;
  statusText = text;
  forms().forEach(showState);
}

function showState(form) {
  form.dataset.state = state;
  form.querySelectorAll("button[data-export]").forEach((control) => (control.disabled = state !== "ready"));
  form.querySelectorAll("select[data-unit-for]").forEach((control) => (control.disabled = state !== "ready" || Boolean(control.closest("[data-field]")?.hidden)));
  const status = form.querySelector("[data-status]");
  const text = typeof statusText === "function" ? statusText(form) : statusText;
  if (status && status.textContent !== text) status.textContent = text;
  const bar = form.querySelector("[data-progress]");
  if (bar) {
    bar.hidden = state !== "loading";
    if (progress.expected) {
      bar.max = progress.expected;
      bar.value = Math.min(progress.received, progress.expected);
    }
  }
}

// Show only the fields that apply to what is chosen so far, in the order the fields are
// declared (as Python parses them): a field that does not apply counts as its default.
function applyConditions(form) {
  const values = {};
  for (const field of form.querySelectorAll("[data-field]")) {
    const name = field.dataset.field;
    const rule = conditions(field);
    const applies = Object.entries(rule).every(([other, allowed]) => allowed.includes(values[other]));
    if (field.hidden === applies) field.hidden = !applies;
    for (const control of field.querySelectorAll("input, select")) {
      control.disabled = !applies || (Boolean(control.dataset.unitFor) && state !== "ready");
    }
    const control = form.elements.namedItem(name);
    let value = control ? (control.type === "checkbox" ? String(control.checked) : control.value.trim()) : "";
    if (!applies) value = field.dataset.default ?? "";
    values[name] = value;
  }
}

function conditions(field) {
  if (!field.dataset.appliesWhen) return {};
  if (!field.aihcalcConditions) {
    try {
      field.aihcalcConditions = JSON.parse(field.dataset.appliesWhen);
    } catch {
      field.aihcalcConditions = {};
    }
  }
  return field.aihcalcConditions;
}

function unitSwitch(form, name) {
  return form.querySelector(`select[data-unit-for="${CSS.escape(name)}"]`);
}

function readInputs(form) {
  const inputs = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled) continue;
    if (element.type === "checkbox") inputs[element.name] = element.checked ? "true" : "false";
    else inputs[element.name] = element.value;
    // A value typed in another unit travels with its unit; Python converts it.
    const unit = unitSwitch(form, element.name);
    if (unit && unit.selectedIndex > 0 && element.value.trim() !== "") inputs[element.name] = `${element.value.trim()} ${unit.value}`;
  }
  return inputs;
}

// Switching the unit re-expresses the number already typed (Python does the arithmetic), so
// the value keeps its meaning. Until Python is ready the switches stay disabled.
function switchUnit(form, select) {
  const field = form.elements.namedItem(select.dataset.unitFor);
  const previous = select.dataset.current || select.options[0].value;
  const seq = ++sequence;
  requests.set(seq, { form, convert: { field, select, previous } });
  worker.postMessage({
    type: "convert",
    seq,
    request: { id: form.dataset.calculator, input: field.name, text: field.value.trim() === "" ? "" : `${field.value.trim()} ${previous}`, to: select.value },
  });
}

function converted(pending, answer) {
  const { field, select, previous } = pending;
  if (answer.ok) {
    field.value = answer.text;
    select.dataset.current = select.value;
  } else if (field.value.trim() === "") {
    select.dataset.current = select.value;
  } else {
    select.value = previous; // the typed value is not valid: keep its unit, show why on compute
  }
}

function compute(form) {
  applyConditions(form); // what is sent is what is shown: fields that do not apply are disabled
  echoDates(form);
  const seq = ++sequence;
  latest.set(form, seq);
  if (state !== "ready") {
    // Queue: the newest inputs are read again when Python is ready. Never show a stale answer.
    clearAnswer(form, state === "error" ? EMPTY : "waiting for Python…");
    return;
  }
  requests.set(seq, { form });
  worker.postMessage({ type: "compute", seq, id: form.dataset.calculator, inputs: readInputs(form) });
}

// Files (such as a calendar of the schedule) are written by Python in the worker and saved
// from here: nothing leaves the browser.
function requestExport(form, name) {
  if (state !== "ready") return;
  const seq = ++sequence;
  requests.set(seq, { form, exporting: name });
  worker.postMessage({ type: "export", seq, request: { id: form.dataset.calculator, inputs: readInputs(form), export: name } });
}

function saveFile(form, answer) {
  if (!answer.ok) {
    render(form, answer);
    return;
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([answer.text], { type: answer.media_type }));
  link.download = answer.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// "Print this schedule": a copy of this calculator's answer, led by its context (page, address,
// review status, inputs, print date, versions), is printed alone (see the print rules in
// calculators.css); the page itself is untouched and the copy goes once printing is over.
function printSchedule(form) {
  fillPrintContext(form);
  const section = form.closest(".aihcalc");
  const sheet = document.createElement("div");
  sheet.className = "aihcalc-printout";
  const title = section.querySelector(".aihcalc__title");
  if (title) sheet.append(title.cloneNode(true));
  const result = form.querySelector(".aihcalc__result").cloneNode(true);
  result.querySelectorAll("[data-actions], .aihcalc__working, [data-message-for]").forEach((el) => el.remove());
  result.querySelectorAll("details").forEach((el) => (el.open = true));
  const context = result.querySelector("[data-print-context]");
  if (context) {
    context.hidden = false;
    result.prepend(context);
  }
  sheet.append(result);
  // A form in a shadow root (element.js) has its styles there, not in the page: the copy,
  // printed from the page, takes the same style sheets along and waits for them.
  const root = form.getRootNode();
  const sheets = root === document ? [] : Array.from(root.querySelectorAll('link[rel="stylesheet"]'), (link) => link.cloneNode());
  const loaded = sheets.map((link) => new Promise((resolve) => (link.onload = link.onerror = resolve)));
  sheet.prepend(...sheets);
  document.querySelectorAll(".aihcalc-printout").forEach((old) => old.remove());
  document.body.append(sheet);
  document.documentElement.dataset.aihcalcPrint = "true";
  const done = () => {
    delete document.documentElement.dataset.aihcalcPrint;
    sheet.remove();
  };
  window.addEventListener("afterprint", done, { once: true });
  if (loaded.length) Promise.all(loaded).then(() => window.print());
  else window.print();
}

// What a printout must carry besides the answer. Generic: labels and values as the form shows them.
function fillPrintContext(form) {
  const box = form.querySelector("[data-print-context]");
  if (!box) return;
  const review = document.querySelector(".aih-review__status");
  const now = new Date();
  const facts = [
    ["Page", document.title],
    ["Address", location.href.split("#")[0]],
    ["Review status", review ? review.textContent.trim() : "not shown on this page"],
    ["Printed", `${longDate(now)}, ${now.toTimeString().slice(0, 5)}`],
    ["Calculator", document.documentElement.dataset.aihcalcRuntime || "the answer computed when the page was built"],
  ];
  const version = form.querySelector("[data-version]");
  if (version) facts.push(["Calculator version", `${version.dataset.version} (aihcalc ${version.dataset.package})`]);
  const inputs = [];
  for (const field of form.querySelectorAll("[data-field]")) {
    if (field.hidden) continue;
    inputs.push([fieldLabel(form, field.dataset.field), shownValue(form, field)]);
  }
  box.replaceChildren(definitionList("Printed from", facts), definitionList("Inputs", inputs));
}

function definitionList(heading, pairs) {
  const part = document.createElement("div");
  const title = document.createElement("p");
  title.className = "aihcalc__print-heading";
  title.textContent = heading;
  const list = document.createElement("dl");
  for (const [term, text] of pairs) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = text;
    list.append(dt, dd);
  }
  part.append(title, list);
  return part;
}

function shownValue(form, field) {
  const control = form.elements.namedItem(field.dataset.field);
  if (!control) return "";
  if (control.tagName === "SELECT") return control.value === "" ? "not chosen" : control.selectedOptions[0].text;
  const value = control.value.trim();
  if (value === "") return "not given";
  if (control.type === "date") return longDate(new Date(`${value}T00:00:00`));
  const unit = unitSwitch(form, field.dataset.field)?.value ?? field.querySelector(".aihcalc__unit-fixed")?.textContent ?? "";
  return `${value} ${unit}`.trim();
}

// Dates in words, as the answers write them ("Mon 5 Jan 2026"): never 01/05/2026.
function longDate(date) {
  if (Number.isNaN(date.getTime())) return "";
  const parts = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric" }).formatToParts(date);
  const part = (type) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("weekday")} ${part("day")} ${part("month")} ${part("year")}`;
}

// Under each date field, the date it holds in words (the browser's own date box follows the
// device's locale, where 01/05/2026 reads two ways).
function echoDates(form) {
  for (const echo of form.querySelectorAll("[data-date-echo]")) {
    const input = echo.closest("[data-field]")?.querySelector('input[type="date"]');
    const text = input && input.value ? longDate(new Date(`${input.value}T00:00:00`)) : "";
    if (echo.textContent !== text) echo.textContent = text;
  }
}

// One short sentence for screen readers once typing pauses: the answer and whether to check it.
function announce(form, text) {
  const box = form.querySelector("[data-announce]");
  if (!box) return;
  clearTimeout(announceTimers.get(form));
  announceTimers.set(form, setTimeout(() => (box.textContent = text), ANNOUNCE_MS));
}

function clearAnswer(form, text) {
  form.querySelectorAll("output[data-output]").forEach((out) => (out.textContent = text));
  form.querySelectorAll("[data-table]").forEach((box) => box.replaceChildren());
  fillList(form.querySelector("[data-warnings]"), []);
  fillList(form.querySelector("[data-working]"), []);
  const warningsBox = form.querySelector("[data-warnings-box]");
  if (warningsBox) warningsBox.hidden = true;
}

// Which code gave the answer shown: every answer's JSON (a refusal too) names the calculator's
// version and the package's, and the line beside the answer says so.
function showVersion(form, version) {
  const line = form.querySelector("[data-version]");
  if (!line || !version || !version.calculator) return;
  line.dataset.version = version.calculator;
  line.dataset.package = version.package;
  const text = `Calculator version ${version.calculator} (aihcalc ${version.package})`;
  if (line.textContent !== text) line.textContent = text;
}

function render(form, answer) {
  show(form, answer);
  form.dispatchEvent(new CustomEvent("aihcalc:answer", { bubbles: true, detail: { calculator: form.dataset.calculator, answer } }));
  settled();
}

function show(form, answer) {
  showVersion(form, answer.ok ? answer.result.version : answer.version);
  form.querySelectorAll("[data-message-for]").forEach((box) => {
    box.textContent = "";
    delete box.dataset.kind;
  });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  if (!answer.ok) {
    clearAnswer(form, EMPTY);
    const field = answer.error.field || "";
    if (field && answer.error.reason === REQUIRED) {
      askFor(form, field);
      form.dataset.result = "incomplete";
      return;
    }
    const box = form.querySelector(`[data-message-for="${CSS.escape(field)}"]`) || form.querySelector('[data-message-for=""]');
    if (box) box.textContent = answer.error.reason;
    const input = field && form.elements.namedItem(field);
    if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
    form.dataset.result = "error";
    return;
  }
  const result = answer.result;
  form.querySelectorAll("output[data-output]").forEach((out) => {
    const text = result.display[out.dataset.output];
    out.replaceChildren(...cited(form, text === undefined || text === "" ? EMPTY : text));
  });
  form.querySelectorAll("[data-table]").forEach((box) => {
    const name = box.dataset.table;
    const rows = name === "value" ? result.value : result.outputs[name];
    box.replaceChildren(Array.isArray(rows) ? table(JSON.parse(box.dataset.columns), rows) : "");
  });
  fillList(form.querySelector("[data-warnings]"), result.warnings);
  const warningsBox = form.querySelector("[data-warnings-box]");
  if (warningsBox) warningsBox.hidden = result.warnings.length === 0;
  fillList(form.querySelector("[data-working]"), result.working);
  const label = form.querySelector(".aihcalc__value-label")?.textContent.replace(/:\s*$/, "") ?? "";
  const count = result.warnings.length;
  announce(form, `${label}: ${result.display.value || EMPTY}.${count ? ` ${count} ${count === 1 ? "point" : "points"} to check before use.` : ""}`);
  form.dataset.result = "ok";
  form.dataset.computed = String(Number(form.dataset.computed || 0) + 1);
}

// A form not yet filled in is not an error: say which fields are still empty, calmly.
function askFor(form, first) {
  const box = form.querySelector('[data-message-for=""]');
  if (!box) return;
  const names = [];
  for (const field of form.querySelectorAll("[data-field]")) {
    if (field.hidden) continue;
    const control = form.elements.namedItem(field.dataset.field);
    // An emptied number with a default gets its own message; a choice left on "Choose…" is asked for.
    if (field.dataset.default !== undefined && control?.tagName !== "SELECT") continue;
    if (control && control.required && !control.disabled && control.value.trim() === "") names.push(field.dataset.field);
  }
  if (!names.includes(first)) names.unshift(first);
  const labels = names.map((name) => fieldLabel(form, name));
  box.dataset.kind = "prompt";
  box.textContent = `To see the answer, fill in: ${labels.join("; ")}.`;
}

function fieldLabel(form, name) {
  const field = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  const label = field && field.querySelector("label");
  const text = label && label.firstChild ? label.firstChild.textContent.trim() : "";
  return text || name;
}

function table(columns, rows) {
  const element = document.createElement("table");
  element.className = "aihcalc__data"; // a classed table is ours: the theme does not wrap it in a second scroll box
  const head = element.createTHead().insertRow();
  for (const [, heading] of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = heading;
    head.append(th);
  }
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [key] of columns) tr.insertCell().textContent = cellText(row[key]);
  }
  return element;
}

function cellText(value) {
  if (value === null || value === undefined) return EMPTY;
  return String(value);
}

function fillList(list, items) {
  if (!list) return;
  const form = list.closest("form");
  list.replaceChildren(
    ...items.map((text) => {
      const li = document.createElement("li");
      li.replaceChildren(...cited(form, text));
      return li;
    }),
  );
}

// Bibliography keys in Python's texts ("[easl2015; gleeson2025]", "[key, Table 1]") become
// "(sources 1, 2)" linking to the calculator's own Sources list, numbered by its data-key items,
// exactly as the build renders them (hooks/result_citations.py). Unknown keys stay as written.
const BRACKET = /\[([A-Za-z0-9][\w.-]*(?:,[^;\][]*)?(?:;\s*[A-Za-z0-9][\w.-]*(?:,[^;\][]*)?)*)\]/g;

function cited(form, text) {
  const section = form && form.closest(".aihcalc");
  const items = section ? Array.from(section.querySelectorAll(".aihcalc__sources li[data-key]")) : [];
  const numbers = new Map(items.map((li, i) => [li.dataset.key, { n: i + 1, id: li.id }]));
  const nodes = [];
  let last = 0;
  for (const match of String(text).matchAll(BRACKET)) {
    const parts = match[1].split(";").map((p) => p.trim());
    const refs = parts.map((p) => {
      const comma = p.indexOf(",");
      return comma < 0 ? [p, ""] : [p.slice(0, comma).trim(), p.slice(comma + 1).trim()];
    });
    if (!refs.every(([key]) => numbers.has(key))) continue;
    nodes.push(document.createTextNode(text.slice(last, match.index)));
    const span = document.createElement("span");
    span.className = "aihcalc__cite";
    span.append(`(${refs.length === 1 ? "source" : "sources"} `);
    const joiner = refs.some(([, loc]) => loc) ? "; " : ", ";
    refs.forEach(([key, loc], i) => {
      if (i) span.append(joiner);
      const link = document.createElement("a");
      link.href = `#${numbers.get(key).id}`;
      link.textContent = String(numbers.get(key).n);
      span.append(link);
      if (loc) span.append(`, ${loc}`);
    });
    span.append(")");
    nodes.push(span);
    last = match.index + match[0].length;
  }
  nodes.push(document.createTextNode(String(text).slice(last)));
  return nodes;
}

// ?weight_kg=70&tpmt=normal fills the inputs of those names, once, before the first answer.
// Names no input has are ignored, and nothing is judged here: Python reads these values as it
// reads typed ones, so a bad one gets the calculator's own message beside its field. A value a
// list does not offer is added to it, marked as from the address, so that the message can say
// what was wrong with it.
function prefill(form) {
  const given = form.dataset.prefill ?? (document.documentElement.hasAttribute("data-aihcalc-prefill") ? location.search : null);
  if (given === null || form.dataset.prefilled) return;
  form.dataset.prefilled = "true";
  for (const [name, value] of new URLSearchParams(given)) {
    const control = form.elements.namedItem(name);
    if (!control || control.name !== name || !control.closest("[data-field]")) continue;
    if (control.tagName === "SELECT" && !Array.from(control.options).some((option) => option.value === value)) {
      const option = new Option(`${value} (${form.dataset.prefill === undefined ? "from the address" : "given by this page"})`, value);
      option.dataset.fromAddress = "true";
      control.add(option);
    }
    control.value = value;
  }
}

function bind(root = document) {
  const found = Array.from(root.querySelectorAll("form[data-calculator]"));
  if (found.length === 0) return;
  startWorker();
  for (const form of found) {
    prefill(form);
    showState(form);
    applyConditions(form);
    echoDates(form);
    if (form.dataset.bound) continue;
    form.dataset.bound = "true";
    form.addEventListener("input", (event) => {
      if (!event.target.dataset.unitFor) compute(form);
    });
    form.addEventListener("change", (event) => {
      if (event.target.dataset.unitFor) switchUnit(form, event.target);
      else compute(form);
    });
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-export], button[data-print]");
      if (!button) return;
      if (button.dataset.export) requestExport(form, button.dataset.export);
      else printSchedule(form);
    });
    const actions = form.querySelector("[data-actions]");
    if (actions) actions.hidden = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      compute(form);
    });
    if (state === "ready") compute(form);
  }
}

// On a calculator page the worker was created by the head (hooks/overrides/main.html) and is
// booting already: adopt it now, and bind the forms once they are parsed. Loaded from after the
// content (instant navigation, embed pages), the forms are there already.
if (globalThis.aihcalcWorker) startWorker();
bind();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => bind(), { once: true });

// The forms of a shadow root (element.js): bound like the page's, answered by the same worker.
export function attach(root) {
  roots.add(root);
  bind(root);
}

// The browser's own Print command: each calculator prints with its context too.
window.addEventListener("beforeprint", () => forms().forEach(fillPrintContext));

// Material for MkDocs swaps pages without reloading (instant navigation): bind again on each
// swap. Its document$ exists once its bundle has run: theme-loader.js runs it after the first
// answer and then says so with "aihcalc:theme" (on embed pages there is no theme at all).
let following = false;
function followInstantNavigation() {
  const swaps = globalThis.document$;
  if (following || !swaps || typeof swaps.subscribe !== "function") return;
  following = true;
  swaps.subscribe(() => bind());
}
document.addEventListener("aihcalc:theme", followInstantNavigation);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", followInstantNavigation, { once: true });
else followInstantNavigation();
