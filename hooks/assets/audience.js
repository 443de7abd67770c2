// The Clinician / Patient toggle for pages that hold /// patient or /// clinician blocks.
//
// The view is an attribute on <html> (data-audience="clinician" or "patient"; absent: both),
// which content.css reads to hide the other reader's blocks. The choice is kept in localStorage,
// so it survives reloads and applies on every page. An inline script in overrides/main.html sets
// the attribute before the first paint; this file shows the toggle (it stays hidden without
// JavaScript, when both views show, each labelled) and binds it again after every
// instant-navigation page swap (Material's document$).
(function () {
  "use strict";
  var KEY = "aih-audience";
  var VIEWS = ["clinician", "patient", "both"];

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return VIEWS.indexOf(value) >= 0 ? value : "both";
    } catch (e) {
      return "both"; // storage blocked: the toggle still works on this page
    }
  }

  function remember(view) {
    try {
      window.localStorage.setItem(KEY, view);
    } catch (e) {
      /* storage blocked: nothing to remember with */
    }
  }

  function show(view) {
    if (view === "both") document.documentElement.removeAttribute("data-audience");
    else document.documentElement.setAttribute("data-audience", view);
  }

  function bind() {
    var box = document.querySelector("[data-audience-switch]");
    if (!box || box.hasAttribute("data-bound")) return;
    var view = stored();
    show(view);
    box.querySelectorAll('input[name="aih-audience"]').forEach(function (input) {
      input.checked = input.value === view;
      input.addEventListener("change", function () {
        if (!input.checked) return;
        show(input.value);
        remember(input.value);
      });
    });
    box.setAttribute("data-bound", "");
    box.hidden = false;
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
