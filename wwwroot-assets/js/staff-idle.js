/*
 * Staff pages: after the node's idle period (body data-staff-idle-seconds; Staff:IdleMinutes) with no touch, key or
 * pointer, the page signs the staff member out itself (the sign-out form's POST, with its antiforgery token), so a
 * desk left alone does not keep a journal or a citizen's form on the screen. The server ends the session at the same
 * moment anyway (the cookie's idle expiry); this only clears the screen.
 */
(function () {
  'use strict';
  var seconds = parseInt(document.body.dataset.staffIdleSeconds || '', 10);
  var form = document.getElementById('staff-sign-out-form');
  if (!seconds || !form) return;
  var timer = null;
  function signOut() {
    var idle = document.createElement('input');
    idle.type = 'hidden';
    idle.name = 'idle';
    idle.value = 'true';
    form.appendChild(idle);
    form.submit();
  }
  function arm() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(signOut, seconds * 1000);
  }
  ['pointerdown', 'keydown', 'touchstart', 'input', 'wheel'].forEach(function (type) {
    document.addEventListener(type, arm, { passive: true, capture: true });
  });
  arm();
})();
