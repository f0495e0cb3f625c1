/*
 * On-screen keyboard for a kiosk without a physical one.
 *
 * Opt-in per field: <input data-osk="text"> (full keyboard: Kazakh, Russian, Latin, symbols) or
 * <input data-osk="numeric" inputmode="numeric"> (12-key pad). data-osk-layout="kk|ru|en|sym" picks the first layout
 * of a text field (otherwise the page language's). The keyboard types into the real focused <input>: it edits the
 * value at the caret with setRangeText and dispatches "input" events, so physical keyboards, assistive technology and
 * any script listening to the field keep working.
 *
 * Every key is a <button type="button"> with an accessible name and a stable data-key: the character it types in
 * lower case ("а", "ә", "q", "7", "!"), or one of "shift", "backspace", "space", "close", "layout-kk", "layout-ru",
 * "layout-en", "layout-sym". The root (#osk) shows its state in data-mode, data-layout and data-shift.
 */
(function () {
  'use strict';

  var root = document.getElementById('osk');
  if (!root) return;

  var label = {
    backspace: root.dataset.labelBackspace || 'Delete',
    shift: root.dataset.labelShift || 'Shift',
    space: root.dataset.labelSpace || 'Space',
    close: root.dataset.labelClose || 'Done',
    symbols: root.dataset.labelSymbols || 'Symbols'
  };

  var DIGITS = '1234567890';
  var LETTERS = {
    kk: ['әіңғүұқөһ', 'йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбюё'],
    ru: ['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбюё'],
    en: ['qwertyuiop', 'asdfghjkl', 'zxcvbnm']
  };
  var SYMBOLS = ['!@#$%^&*()', '-_=+[]{};:', '\'",.<>/?\\|~`'];
  var LAYOUTS = [
    { id: 'kk', text: 'ҚАЗ', lang: 'kk' },
    { id: 'ru', text: 'РУС', lang: 'ru' },
    { id: 'en', text: 'ENG', lang: 'en' },
    { id: 'sym', text: '#+=', name: label.symbols }
  ];

  var target = null;      // the <input> being typed into
  var mode = 'text';      // 'text' or 'numeric'
  var layout = null;      // 'kk', 'ru', 'en' or 'sym'
  var chosenLayout = null; // a layout the citizen picked; kept for the next field on this page
  var shift = false;
  var valueAtOpen = '';

  function isOskField(el) {
    return !!el && el.nodeType === 1 && typeof el.matches === 'function' &&
      el.matches('input[data-osk], textarea[data-osk]') && !el.disabled && !el.readOnly;
  }

  function pageLayout() {
    var lang = (document.documentElement.lang || '').slice(0, 2);
    return LETTERS[lang] ? lang : 'ru';
  }

  function upper(ch) { return ch.toUpperCase(); }

  function isLetter(ch) { return ch.toUpperCase() !== ch.toLowerCase(); }

  /* ---------- Building the keys ---------- */

  function button(key, text, className, name) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'osk__key' + (className ? ' ' + className : '');
    b.dataset.key = key;
    b.textContent = text;
    if (name) b.setAttribute('aria-label', name);
    return b;
  }

  function charKey(ch) {
    var b = button(ch, shift && isLetter(ch) ? upper(ch) : ch);
    if (isLetter(ch)) b.dataset.letter = 'true';
    return b;
  }

  function shiftKey() {
    var b = button('shift', '⇧', 'osk__key--wide osk__key--glyph', label.shift);
    b.setAttribute('aria-pressed', shift ? 'true' : 'false');
    return b;
  }

  function backspaceKey() { return button('backspace', '⌫', 'osk__key--wide osk__key--glyph', label.backspace); }

  function closeKey() { return button('close', label.close, 'osk__key--wide osk__key--action'); }

  function layoutKey(l) {
    var b = button('layout-' + l.id, l.text, 'osk__key--wide', l.name);
    if (l.lang) b.lang = l.lang;
    b.setAttribute('aria-pressed', layout === l.id ? 'true' : 'false');
    return b;
  }

  function row(parent, keys, lang) {
    var r = document.createElement('div');
    r.className = 'osk__row';
    if (lang) r.lang = lang;
    keys.forEach(function (k) { r.appendChild(k); });
    parent.appendChild(r);
  }

  function chars(s) { return Array.from(s).map(charKey); }

  function build() {
    var focusedKey = root.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    root.textContent = '';
    root.className = 'osk osk--' + mode;
    root.dataset.mode = mode;
    root.dataset.layout = mode === 'numeric' ? 'numeric' : layout;
    root.dataset.shift = shift ? 'true' : 'false';

    var inner = document.createElement('div');
    inner.className = 'osk__inner';
    if (mode === 'numeric') {
      row(inner, chars('123'));
      row(inner, chars('456'));
      row(inner, chars('789'));
      row(inner, [backspaceKey(), charKey('0'), closeKey()]);
    } else {
      row(inner, chars(DIGITS));
      var rows = layout === 'sym' ? SYMBOLS : LETTERS[layout];
      var lang = layout === 'sym' ? null : layout;
      rows.forEach(function (r, i) {
        var keys = chars(r);
        if (i === rows.length - 1) {
          if (layout !== 'sym') keys.unshift(shiftKey());
          keys.push(backspaceKey());
        }
        row(inner, keys, lang);
      });
      row(inner, LAYOUTS.map(layoutKey).concat([button('space', label.space, 'osk__key--space'), closeKey()]));
    }
    root.appendChild(inner);

    if (focusedKey) {
      var again = root.querySelector('[data-key="' + cssEscape(focusedKey) + '"]');
      if (again) again.focus();
    }
  }

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&');
  }

  function refreshShift() {
    root.dataset.shift = shift ? 'true' : 'false';
    root.querySelectorAll('[data-letter="true"]').forEach(function (b) {
      b.textContent = shift ? upper(b.dataset.key) : b.dataset.key;
    });
    var s = root.querySelector('[data-key="shift"]');
    if (s) s.setAttribute('aria-pressed', shift ? 'true' : 'false');
  }

  /* ---------- Opening and closing ---------- */

  function open(field) {
    var newMode = field.dataset.osk === 'numeric' ? 'numeric' : 'text';
    if (field === target && !root.hidden && newMode === mode) return;
    if (field !== target) {
      commit();
      target = field;
      valueAtOpen = field.value;
      shift = false;
    }
    mode = newMode;
    layout = mode === 'numeric' ? null : (chosenLayout || field.dataset.oskLayout || pageLayout());
    if (layout && !LETTERS[layout] && layout !== 'sym') layout = pageLayout();
    build();
    root.hidden = false;
    document.body.classList.add('osk-open');
    document.body.style.setProperty('--osk-height', root.offsetHeight + 'px');
    keepVisible(field);
  }

  // keepSpace: when focus moved to another control (a tap on "Sign in", say), the page must not shift under the
  // finger between press and release, or the tap would miss; so the room the keyboard took is given back only once
  // that tap's click has been handled.
  function close(keepSpace) {
    if (root.hidden) return;
    root.hidden = true;
    if (keepSpace) {
      document.addEventListener('click', function () { window.setTimeout(releaseSpace, 0); }, { once: true });
    } else {
      releaseSpace();
    }
    commit();
  }

  function releaseSpace() {
    if (!root.hidden) return;
    document.body.classList.remove('osk-open');
    document.body.style.removeProperty('--osk-height');
  }

  // Like a physical keyboard's edit, the field gets a "change" event once the citizen is done with it.
  function commit() {
    if (target && target.value !== valueAtOpen) {
      valueAtOpen = target.value;
      target.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  // Scroll so the field sits in the upper part of what the keyboard leaves visible.
  function keepVisible(field) {
    var rect = field.getBoundingClientRect();
    var visibleBottom = window.innerHeight - root.offsetHeight - 16;
    if (rect.top >= 16 && rect.bottom <= visibleBottom) return;
    var wantedTop = Math.max(16, Math.min(visibleBottom - rect.height, (visibleBottom - rect.height) / 3));
    window.scrollBy(0, rect.top - wantedTop);
  }

  /* ---------- Typing ---------- */

  function selection(field) {
    try {
      if (typeof field.selectionStart === 'number') return [field.selectionStart, field.selectionEnd];
    } catch (e) { /* types without a selection API */ }
    return null;
  }

  function fireInput(field, inputType, data) {
    var event;
    try {
      event = new InputEvent('input', { bubbles: true, inputType: inputType, data: data });
    } catch (e) {
      event = new Event('input', { bubbles: true });
    }
    field.dispatchEvent(event);
  }

  function type(text) {
    var field = target;
    if (!field) return;
    if (mode === 'numeric' && !/^[0-9]$/.test(text)) return;
    var sel = selection(field);
    var replaced = sel ? sel[1] - sel[0] : 0;
    if (field.maxLength >= 0 && field.value.length - replaced + text.length > field.maxLength) return;
    if (sel) field.setRangeText(text, sel[0], sel[1], 'end');
    else field.value += text;
    fireInput(field, 'insertText', text);
  }

  function backspace() {
    var field = target;
    if (!field || field.value.length === 0) return;
    var sel = selection(field);
    if (!sel) field.value = Array.from(field.value).slice(0, -1).join('');
    else if (sel[0] !== sel[1]) field.setRangeText('', sel[0], sel[1], 'end');
    else if (sel[0] > 0) field.setRangeText('', sel[0] - 1, sel[0], 'end');
    else return;
    fireInput(field, 'deleteContentBackward', null);
  }

  function press(key) {
    if (key === 'backspace') backspace();
    else if (key === 'space') type(' ');
    else if (key === 'shift') { shift = !shift; refreshShift(); }
    else if (key === 'close') close();
    else if (key.indexOf('layout-') === 0) {
      layout = chosenLayout = key.slice(7);
      shift = false;
      build();
      document.body.style.setProperty('--osk-height', root.offsetHeight + 'px');
    } else {
      var letter = shift && isLetter(key);
      type(letter ? upper(key) : key);
      if (letter) { shift = false; refreshShift(); }
    }
  }

  /* ---------- Events ---------- */

  // Keys must not take the focus from the field on touch or mouse, so the caret stays where it is.
  root.addEventListener('mousedown', function (e) { e.preventDefault(); });

  root.addEventListener('click', function (e) {
    var key = e.target.closest ? e.target.closest('button[data-key]') : null;
    if (!key || !root.contains(key) || !target) return;
    press(key.dataset.key);
    // A pointer press returns to the field; a keyboard user who tabbed onto the keys stays on them.
    if (e.detail > 0 && key.dataset.key !== 'close' && document.activeElement !== target) {
      target.focus({ preventScroll: true });
    }
  });

  document.addEventListener('focusin', function (e) {
    if (isOskField(e.target)) open(e.target);
    else if (!root.contains(e.target)) close(true);
  });

  // After "Done", touching the field again brings the keyboard back.
  document.addEventListener('click', function (e) {
    if (isOskField(e.target) && root.hidden) open(e.target);
  });

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !root.hidden) close();
  });

  window.addEventListener('resize', function () {
    if (!root.hidden) document.body.style.setProperty('--osk-height', root.offsetHeight + 'px');
  });
})();
