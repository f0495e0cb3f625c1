// Slip page (issue 6 item 3): the "Print" button prints through the browser's print path (the kiosk's browser prints
// silently to the receipt printer), and the printed page is as long as the slip: a thermal roll has no fixed page.
"use strict";
(function () {
  const PX_PER_MM = 96 / 25.4;

  function fitPageToSlip() {
    const slip = document.getElementById("slip");
    const sheet = Array.from(document.styleSheets).find((s) => s.href && s.href.includes("/css/slip.css"));
    if (!slip || !sheet) return;
    const lengthMm = Math.ceil(slip.getBoundingClientRect().height / PX_PER_MM) + 2;
    try {
      sheet.insertRule("@page { size: 80mm " + lengthMm + "mm; margin: 0; }", sheet.cssRules.length);
      document.body.dataset.slipLengthMm = String(lengthMm);
    } catch {
      // The 80 x 200 mm fallback of slip.css stays.
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    fitPageToSlip();
    const print = document.getElementById("slip-print");
    if (print) print.addEventListener("click", () => window.print());
  });
})();
