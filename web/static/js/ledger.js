// Ledger list: "select all on this page" and the count of selected devices (no inline script: CSP).
(function () {
  "use strict";
  var all = document.getElementById("ledger-all");
  var picked = document.getElementById("ledger-picked");
  var boxes = Array.prototype.slice.call(
    document.querySelectorAll('#ledger-table input[name="device"]'));
  function update() {
    var n = boxes.filter(function (b) { return b.checked; }).length;
    if (picked) { picked.textContent = n ? picked.dataset.template.replace("{n}", n) : ""; }
    if (all) {
      all.checked = n > 0 && n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
})();
