/* The people typeahead of the record forms (templates/record/_picker.html).
 *
 * htmx fills a picker's list with matches (buttons with data-pick); choosing one adds a chip that
 * holds a hidden input named after the picker (data-name), or replaces the chip for a single pick.
 * A chip's x removes it. Enter in the box picks the first match instead of sending the form.
 * No inline handlers: everything is delegated from the document. */
(function () {
  "use strict";

  function chip(name, id, label) {
    var span = document.createElement("span");
    span.className = "chip";
    span.setAttribute("data-chip", "");
    span.appendChild(document.createTextNode(label));
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = id;
    span.appendChild(input);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("data-chip-remove", "");
    remove.setAttribute("aria-label", "Remove " + label);
    remove.textContent = "×";
    span.appendChild(remove);
    return span;
  }

  function choose(button) {
    var picker = button.closest("[data-picker]");
    if (!picker) return;
    var chips = picker.querySelector("[data-chips]");
    var id = button.getAttribute("data-pick");
    var name = picker.getAttribute("data-name");
    if (picker.getAttribute("data-multiple") !== "true") {
      chips.replaceChildren();
    }
    var taken = Array.prototype.some.call(chips.querySelectorAll("input"), function (i) {
      return i.value === id;
    });
    if (!taken) chips.appendChild(chip(name, id, button.getAttribute("data-pick-name")));
    var box = picker.querySelector("input[type=search]");
    box.value = "";
    picker.querySelector(".picks").replaceChildren();
    box.focus();
  }

  document.addEventListener("click", function (event) {
    var pick = event.target.closest("[data-pick]");
    if (pick) {
      event.preventDefault();
      choose(pick);
      return;
    }
    var remove = event.target.closest("[data-chip-remove]");
    if (remove) {
      event.preventDefault();
      var picker = remove.closest("[data-picker]");
      remove.closest("[data-chip]").remove();
      if (picker) picker.querySelector("input[type=search]").focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("[data-picker] input[type=search]")) return;
    event.preventDefault();
    var first = box.closest("[data-picker]").querySelector("[data-pick]");
    if (first) choose(first);
  });
})();
