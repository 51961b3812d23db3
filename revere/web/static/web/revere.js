/* Behaviour every page shares (base.html loads it; no inline scripts or handlers anywhere, for the CSP):
 *
 * - the menu button of the top bar: below 760 px the navigation folds behind it. Without JavaScript the
 *   navigation stays open (the header only collapses once it has class nav-js);
 * - <select data-autosubmit> submits its form on change;
 * - [data-grow="N"] sets flex-grow N (proportional bars, e.g. the strength mix), since a style
 *   attribute would need 'unsafe-inline' styles.
 */
(function () {
  "use strict";
  function menu() {
    var bar = document.querySelector(".topbar");
    var button = bar && bar.querySelector(".nav-toggle");
    if (!button) return;
    bar.classList.add("nav-js");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = bar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (evt) {
      if (evt.key === "Escape" && bar.classList.contains("open")) {
        bar.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  function grow(root) {
    root.querySelectorAll("[data-grow]").forEach(function (el) { el.style.flexGrow = el.dataset.grow; });
  }
  function init() {
    menu();
    grow(document);
    document.addEventListener("change", function (evt) {
      var el = evt.target;
      if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
        if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (evt) { grow(evt.target); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
