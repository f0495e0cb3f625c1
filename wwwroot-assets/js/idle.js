/*
 * Inactivity: after data-idle-seconds without a touch, key or input, a modal warning (#idle-dialog) counts down
 * data-idle-warning-seconds; "I'm still here" (#idle-stay), Escape or a touch on the backdrop dismisses it. When the
 * countdown ends, browser storage is cleared and the browser goes to data-reset-url, which wipes the server session
 * and the cookies and shows the start screen. Values come from <body data-*> (no inline script: CSP).
 */
(function () {
  'use strict';

  var body = document.body;
  var dialog = document.getElementById('idle-dialog');
  var stay = document.getElementById('idle-stay');
  var countdown = document.getElementById('idle-countdown');
  if (!body || !dialog || !stay || !countdown) return;

  var idleMs = Math.max(1, Number(body.dataset.idleSeconds) || 60) * 1000;
  var warningMs = Math.max(1, Number(body.dataset.idleWarningSeconds) || 20) * 1000;
  var resetUrl = body.dataset.resetUrl || '/reset';
  var armed = body.dataset.idleArmed !== 'false';

  var lastActivity = Date.now();
  var warningSince = 0;
  var resetting = false;
  var focusBefore = null;

  function activity() {
    // While the warning is up only its own button (or Escape, or the backdrop) counts as "still here".
    if (!warningSince) lastActivity = Date.now();
  }

  ['pointerdown', 'touchstart', 'keydown', 'input', 'wheel'].forEach(function (type) {
    document.addEventListener(type, activity, { capture: true, passive: true });
  });

  function openWarning() {
    warningSince = Date.now();
    focusBefore = document.activeElement;
    countdown.textContent = String(Math.ceil(warningMs / 1000));
    body.dataset.idleState = 'warning';
    if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
    stay.focus();
  }

  function dismiss() {
    if (!warningSince) return;
    warningSince = 0;
    lastActivity = Date.now();
    body.dataset.idleState = 'idle';
    if (dialog.open) dialog.close();
    if (focusBefore && typeof focusBefore.focus === 'function' && document.contains(focusBefore)) {
      focusBefore.focus({ preventScroll: true });
    }
    focusBefore = null;
  }

  function reset() {
    resetting = true;
    body.dataset.idleState = 'resetting';
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { window.localStorage.clear(); } catch (e) { /* storage may be disabled */ }
    window.location.replace(resetUrl);
  }

  stay.addEventListener('click', dismiss);
  dialog.addEventListener('cancel', function (e) { e.preventDefault(); dismiss(); });
  dialog.addEventListener('click', function (e) { if (e.target === dialog) dismiss(); });

  function tick() {
    if (resetting || !armed) return;
    var now = Date.now();
    if (!warningSince) {
      if (now - lastActivity >= idleMs) openWarning();
      return;
    }
    var left = Math.ceil((warningSince + warningMs - now) / 1000);
    if (left <= 0) reset();
    else if (countdown.textContent !== String(left)) countdown.textContent = String(left);
  }

  body.dataset.idleState = armed ? 'idle' : 'off';
  window.setInterval(tick, 250);
})();
