/* The deal board's drag and drop (templates/deals/_board.html), with the HTML drag-and-drop API.
 *
 * Every card carries a "Move to…" form (a select and a button) that htmx posts to the card's move URL
 * and that answers with the board; dropping a card on another column chooses that column's stage in
 * the card's select and submits the same form, so the mouse, the keyboard and a phone all take one
 * path through deal_move_stage. No inline handlers: everything is delegated from the document. */
(function () {
  "use strict";
  var dragged = null;

  function column(target) {
    return target && target.closest ? target.closest(".board-col[data-stage]") : null;
  }

  function clear() {
    document.querySelectorAll(".board-col.drop-target").forEach(function (c) {
      c.classList.remove("drop-target");
    });
  }

  function move(card, stage) {
    var form = card.querySelector("form.move");
    if (!form) return;
    var select = form.querySelector("select[name=to_stage]");
    select.value = stage;
    if (select.value !== stage) return; // not a stage this card may be moved to
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".deal-card[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-deal"));
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clear();
  });

  document.addEventListener("dragover", function (event) {
    var col = column(event.target);
    if (!col || !dragged || col.contains(dragged)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!col.classList.contains("drop-target")) {
      clear();
      col.classList.add("drop-target");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var col = column(event.target);
    if (col && !col.contains(event.relatedTarget)) col.classList.remove("drop-target");
  });

  document.addEventListener("drop", function (event) {
    var col = column(event.target);
    if (!col || !dragged) return;
    event.preventDefault();
    var card = dragged;
    dragged = null;
    card.classList.remove("dragging");
    clear();
    if (!col.contains(card)) move(card, col.getAttribute("data-stage"));
  });

  /* The filters fold on a phone; on a wide screen they open (without JavaScript they open when in use). */
  function filters() {
    var box = document.querySelector("details[data-filters]");
    if (box && window.matchMedia && window.matchMedia("(min-width: 761px)").matches) box.open = true;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", filters); else filters();

  /* After htmx swaps the board in, focus its notice when it asks for a reason, so a keyboard user
   * lands in the question. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var ask = event.target.querySelector && event.target.querySelector(".notice.ask textarea");
    if (ask) ask.focus();
  });
})();
