// The Clinician / Patient switch for pages that hold /// patient or /// clinician blocks.
//
// The view is an attribute on <html> (data-audience="clinician" or "patient"; absent: both).
// Boxes for one reader, and calculators and decision tables (for the clinical team), are
// <details> elements, open in the HTML so that without JavaScript, and on paper, everything
// shows, labelled. This script folds away (closes, never removes) what the chosen view does not
// need: in the patient view, clinician text, calculators and decision tables; in the clinician
// view, the patient boxes. It wraps each decision table in such a box, says what the view does
// in the switch's status line (a live region), keeps the choice in localStorage, and binds
// again after every instant-navigation page swap (Material's document$). An inline script in
// overrides/main.html sets the attribute before the first paint.
(function () {
  "use strict";
  var KEY = "aih-audience";
  var VIEWS = ["clinician", "patient", "both"];
  var FOLDED = { clinician: ["patient"], patient: ["clinician", "team"], both: [] };
  var STATUS = {
    clinician: "Clinician view: the boxes for patients are folded; select one to open it.",
    patient: "Patient view: the summary for you comes first. Detail, calculators and tables for your clinical team are folded; select one to open it.",
    both: "Showing the text for both readers, each box labelled."
  };
  var TABLE_LABEL = "For your clinical team: decision table";

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return VIEWS.indexOf(value) >= 0 ? value : "both";
    } catch (e) {
      return "both"; // storage blocked: the switch still works on this page
    }
  }

  function remember(view) {
    try {
      window.localStorage.setItem(KEY, view);
    } catch (e) {
      /* storage blocked: nothing to remember with */
    }
  }

  // A decision table is rendered without a box; give it the calculators' one.
  function foldTables() {
    document.querySelectorAll(".aihdt-block").forEach(function (table) {
      var parent = table.parentElement;
      if (parent && parent.hasAttribute("data-audience-fold")) return;
      var box = document.createElement("details");
      box.className = "aih-team";
      box.setAttribute("data-audience-fold", "team");
      box.open = true;
      var label = document.createElement("summary");
      label.className = "audience__label";
      label.textContent = TABLE_LABEL;
      table.parentNode.insertBefore(box, table);
      box.appendChild(label);
      box.appendChild(table);
    });
  }

  function show(view, status) {
    if (view === "both") document.documentElement.removeAttribute("data-audience");
    else document.documentElement.setAttribute("data-audience", view);
    document.querySelectorAll("details[data-audience-fold]").forEach(function (box) {
      box.open = FOLDED[view].indexOf(box.getAttribute("data-audience-fold")) < 0;
    });
    if (status) status.textContent = STATUS[view];
  }

  function bind() {
    foldTables();
    var box = document.querySelector("[data-audience-switch]");
    var view = stored();
    if (!box || box.hasAttribute("data-bound")) return; // no switch: nothing is folded
    var status = box.querySelector("[data-audience-status]");
    show(view, null);
    box.querySelectorAll('input[name="aih-audience"]').forEach(function (input) {
      input.checked = input.value === view;
      input.addEventListener("change", function () {
        if (!input.checked) return;
        show(input.value, status);
        remember(input.value);
      });
    });
    if (status) status.textContent = STATUS[view]; // set before it shows: not announced on load
    box.setAttribute("data-bound", "");
    box.hidden = false;
  }

  // Paper gets every box open (Material does the same for its own details), then as it was.
  var printed = [];
  window.addEventListener("beforeprint", function () {
    printed = Array.prototype.filter.call(document.querySelectorAll("details[data-audience-fold]"), function (box) {
      return !box.open;
    });
    printed.forEach(function (box) { box.open = true; });
  });
  window.addEventListener("afterprint", function () {
    printed.forEach(function (box) { box.open = false; });
    printed = [];
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
