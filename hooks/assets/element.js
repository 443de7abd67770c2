// <aihcalc-calculator calculator="ID">: one calculator from this site inside any page. MIT
// licence. Generic: it knows no medicine.
//
//   <script type="module" src="https://SITE/embed/<version>/element.js"></script>   (once)
//   <aihcalc-calculator calculator="meld"></aihcalc-calculator>                       (anywhere)
//
// Each element fetches its calculator's embed page (embed/<version>/<id>/, the page an iframe
// shows) and puts that page's content, with its style sheets, into an open shadow root: the
// same form, fallback, sources, evidence and version line, following the same markup contract.
// calculators.js binds every element's form to its one worker: however many elements a page
// holds, Python starts once. The worker's script comes from this site, across origins; see
// workerScript() in calculators.js. Everything is fetched from this site with CORS, which static
// hosts allow ("Access-Control-Allow-Origin: *").
//
// Attributes: calculator (the id, required); inputs (optional, "weight_kg=70&tpmt=normal":
// values to fill in before the first answer, read by Python as typed ones are).
// Events: "aihcalc-result" after each answer, bubbling and composed (it leaves the shadow root);
// its detail holds the fields of result.js, as the iframe's "aihcalc:result" message does.
// Theming: the custom properties of embed.css (--aihcalc-text, --aihcalc-background, ...) set on
// the element or above it, and ::part(NAME) for the parts named in PARTS below.
// Loaded twice (two copies, two versions), the tag is defined by the first only.

import { attach } from "./assets/calculators.js";
import { resultOf } from "./assets/result.js";

const TAG = "aihcalc-calculator";
const HERE = new URL("./", import.meta.url); // this version's folder
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// ::part names a host may style, and what carries them.
const PARTS = {
  calculator: ".aihcalc",
  title: ".aihcalc__title",
  form: "form[data-calculator]",
  field: "[data-field]",
  input: "[data-field] input, [data-field] select",
  button: ".md-button",
  status: "[data-status]",
  answer: ".aihcalc__result",
  value: 'output[data-output="value"]',
  warnings: "[data-warnings]",
  fallback: ".aihcalc__fallback",
  sources: ".aihcalc__sources",
  evidence: ".aih-embed__evidence",
  footer: ".aih-embed__footer",
};

class AihcalcCalculator extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return; // moved in the page: already built
    this.load(this.attachShadow({ mode: "open" }));
  }

  async load(root) {
    const id = (this.getAttribute("calculator") || "").trim();
    if (!ID.test(id)) {
      this.problem(root, `No calculator is named here: write <${TAG} calculator="ID">, with the id of a calculator from ${HERE.origin}.`);
      return;
    }
    const address = new URL(`./${id}/`, HERE);
    let page;
    try {
      const response = await fetch(address, { credentials: "omit", referrerPolicy: "no-referrer" });
      if (!response.ok) throw new Error(response.status === 404 ? `no calculator is called "${id}"` : `HTTP ${response.status}`);
      page = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch (error) {
      this.problem(root, `The calculator could not be loaded from ${address.href} (${error.message}).`);
      return;
    }
    const content = page.querySelector("main");
    const form = content && content.querySelector("form[data-calculator]");
    if (!form) {
      this.problem(root, `${address.href} holds no calculator.`);
      return;
    }
    // Addresses in the page are relative to it, not to the host's page.
    for (const node of content.querySelectorAll("[href], [src]")) {
      for (const name of ["href", "src"]) {
        const value = node.getAttribute(name);
        if (value !== null && !value.startsWith("#")) node.setAttribute(name, new URL(value, address).href);
      }
    }
    for (const [part, selector] of Object.entries(PARTS)) {
      for (const node of content.matches(selector) ? [content] : content.querySelectorAll(selector)) {
        node.part.add(part);
      }
    }
    const inputs = this.getAttribute("inputs");
    if (inputs !== null) form.dataset.prefill = inputs;
    // The page's style sheets first, and the content once they apply: no unstyled flash.
    const sheets = Array.from(page.querySelectorAll('link[rel="stylesheet"]'), (link) => {
      const own = document.createElement("link");
      own.rel = "stylesheet";
      own.href = new URL(link.getAttribute("href"), address).href;
      return own;
    });
    const loaded = sheets.map((link) => new Promise((resolve) => (link.onload = link.onerror = resolve)));
    root.replaceChildren(...sheets);
    await Promise.all(loaded);
    // Not a <main>: the host's page has its own.
    const body = document.createElement("div");
    body.className = content.className;
    body.append(...Array.from(content.childNodes)); // a copy: appending empties the live list
    root.append(body);
    root.addEventListener("aihcalc:answer", (event) => {
      this.dispatchEvent(new CustomEvent("aihcalc-result", { bubbles: true, composed: true, detail: resultOf(event.detail) }));
    });
    attach(root);
  }

  problem(root, text) {
    const message = document.createElement("p");
    message.setAttribute("role", "alert");
    message.part.add("problem");
    message.textContent = text;
    root.replaceChildren(message);
    console.error(`${TAG}: ${text}`);
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, AihcalcCalculator);
