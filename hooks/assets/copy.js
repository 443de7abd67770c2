// Copy buttons for code a reader takes elsewhere (the "Embed this calculator" panel).
//
// Without JavaScript the code is selectable text and the buttons stay hidden. With it, each
// <button data-copy="NAME"> shows and copies the text of [data-embed="NAME"] in its panel, then
// says so in the [data-copy-status] beside it (a live region). Where the clipboard is refused,
// the code is selected instead, for the reader to copy. Binds again after every instant-
// navigation page swap (Material's document$).
(function () {
  "use strict";

  function select(code) {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    var panel = button.closest("[data-embed-panel]");
    var code = panel && panel.querySelector('[data-embed="' + button.getAttribute("data-copy") + '"]');
    if (!code) return;
    var status = button.parentElement.querySelector("[data-copy-status]");
    var say = function (text) {
      if (status) status.textContent = text;
    };
    var fallback = function () {
      select(code);
      say("Selected: press Ctrl+C (or ⌘C) to copy.");
    };
    if (!navigator.clipboard || !window.isSecureContext) return fallback();
    navigator.clipboard.writeText(code.textContent).then(function () {
      say("Copied.");
    }, fallback);
  }

  function bind() {
    document.querySelectorAll("button[data-copy][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (button) copy(button);
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
