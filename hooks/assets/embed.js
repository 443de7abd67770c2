// The embed page's messages to the page around it. MIT licence. Generic: it knows no medicine.
//
// An embed page (/embed/<version>/<id>/) loads this module, which loads calculators.js (the
// live form, which also fills the inputs from the address: ?weight_kg=70&tpmt=normal). Inside an
// iframe (window.parent !== window) it posts to the parent window:
//
//   {type: "aihcalc:resize", height}
//       the page's height in CSS px (a whole number), each time it changes: the host sets the
//       iframe's height to it and no scroll bar shows inside (host.js does exactly this);
//   {type: "aihcalc:result", ok, calculator, value, outputs, display, warnings, version, error}
//       after each answer the page shows: the fields are described in result.js.
//
// The target origin is "*": the data is what the host's own reader typed into a frame on the
// host's page, so the host may read it. ?origin=https://host.example pins it to that origin
// (the browser then drops the messages for any other parent); a malformed origin sends nothing.
// The page listens to no message: a host cannot drive it, only read what it shows.

import "./calculators.js";
import { resultOf } from "./result.js";

const PINNED = "origin"; // the one query parameter this module reads (never an input's name)

function targetOrigin() {
  const asked = new URLSearchParams(location.search).get(PINNED);
  if (asked === null) return "*";
  try {
    const origin = new URL(asked).origin;
    if (origin !== "null" && origin === asked.replace(/\/$/, "")) return origin;
  } catch {
    // fall through: not a URL
  }
  console.warn(`aihcalc embed: ?${PINNED}=${asked} is not an origin such as https://host.example; no messages are sent`);
  return null;
}

function post(target, message) {
  window.parent.postMessage(message, target);
}

// The height of the content itself (the body: no margin, its margins contained), not the
// viewport's: a frame taller than its content must be able to shrink.
function watchHeight(target) {
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    post(target, { type: "aihcalc:resize", height });
  };
  new ResizeObserver(send).observe(document.body);
  send();
}

function relayAnswers(target) {
  document.addEventListener("aihcalc:answer", (event) => post(target, { type: "aihcalc:result", ...resultOf(event.detail) }));
}

if (window.parent !== window) {
  const target = targetOrigin();
  if (target !== null) {
    watchHeight(target);
    relayAnswers(target);
  }
}
