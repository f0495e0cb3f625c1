/* Sign-in and signing screens: the "show password" toggle (#password-toggle, or [data-password-toggle]) switches
   the password field (#key-password, or [data-key-password]) between hidden and shown. */
(function () {
  'use strict';

  var toggle = document.getElementById('password-toggle') || document.querySelector('[data-password-toggle]');
  var input = document.getElementById('key-password') || document.querySelector('[data-key-password]');
  if (!toggle || !input) return;

  toggle.addEventListener('click', function () {
    var show = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', show ? 'true' : 'false');
    input.type = show ? 'text' : 'password';
  });

  // Never leave a shown password behind: hide it again before the form is sent.
  if (input.form) {
    input.form.addEventListener('submit', function () { input.type = 'password'; });
  }
})();

/* The key-file picker (#auth-key-file, or [data-key-file]) shows the chosen file's name in the page's own words
   (#<its id>-name) and refuses an oversized file (#<its id>-too-large). */
(function () {
  'use strict';

  var input = document.getElementById('auth-key-file') || document.querySelector('[data-key-file]');
  var name = input && document.getElementById(input.id + '-name');
  if (!input || !name) return;

  function show() {
    var file = input.files && input.files[0];
    name.textContent = file ? file.name : (name.dataset.empty || '');
    name.classList.toggle('is-chosen', !!file);
  }

  input.addEventListener('change', show);
  show();

  // A file larger than any key file (a photo picked by mistake, say) is refused here and never uploaded; the
  // server checks the same limit for a browser without this script.
  var tooLarge = document.getElementById(input.id + '-too-large');
  var maxBytes = Number(input.dataset.maxBytes) || 0;
  if (!tooLarge || !maxBytes || !input.form) return;
  var describedBy = input.getAttribute('aria-describedby') || '';
  var invalidAtLoad = input.getAttribute('aria-invalid');

  function check() {
    var file = input.files && input.files[0];
    var bad = !!file && file.size > maxBytes;
    tooLarge.hidden = !bad;
    if (bad) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', (describedBy + ' ' + tooLarge.id).trim());
    } else {
      input.setAttribute('aria-describedby', describedBy);
      if (invalidAtLoad === null) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', invalidAtLoad);
    }
    return !bad;
  }

  input.addEventListener('change', check);
  input.form.addEventListener('submit', function (e) {
    if (!check()) {
      e.preventDefault();
      tooLarge.setAttribute('role', 'alert');
      tooLarge.scrollIntoView({ block: 'center' });
    }
  });
})();
