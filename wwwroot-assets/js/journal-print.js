// Journal pages (issue 12 item 3): "Print" prints through the browser's print path on the paper the page was opened
// for. On the 80 mm roll the printed page is as long as the journal, as slip.js does for slips.
"use strict";
(function () {
  const PX_PER_MM = 96 / 25.4;

  function fitRollToJournal() {
    const journal = document.getElementById("journal");
    if (!journal || journal.dataset.paper !== "80mm") return;
    const sheet = Array.from(document.styleSheets).find((s) => s.href && s.href.includes("/css/journal-80mm.css"));
    if (!sheet) return;
    const lengthMm = Math.ceil(journal.getBoundingClientRect().height / PX_PER_MM) + 2;
    try {
      sheet.insertRule("@page { size: 80mm " + lengthMm + "mm; margin: 0; }", sheet.cssRules.length);
      journal.dataset.lengthMm = String(lengthMm);
    } catch {
      // The 80 x 200 mm fallback of journal-80mm.css stays.
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    fitRollToJournal();
    const print = document.getElementById("journal-print");
    if (print) print.addEventListener("click", () => window.print());
  });
})();
