// The sign-in form beside the token box, shown when the server lists sign-in functions
// (JwtTypeIdentifier), and the header line saying who the token signs in: role and sub, as the
// database answers /auth/whoami. Everything from the server goes into the page as text.
(function () {
  'use strict';
  var tg = window.tilegate;

  function field(arg) {
    var input = document.createElement('input');
    input.name = arg.name;
    input.placeholder = arg.name;
    input.setAttribute('aria-label', arg.name);
    input.required = true;
    if (/pass/i.test(arg.name)) {
      input.type = 'password';
      input.autocomplete = 'current-password';
    } else {
      input.type = 'text';
      input.autocomplete = 'username';
    }
    return input;
  }

  function seconds(n) {
    return n >= 120 ? Math.ceil(n / 60) + ' min' : n + ' s';
  }

  /** What the server said, as text; a 429 with its Retry-After. Nothing else of the answer is shown. */
  function failure(response, body) {
    var message = body && typeof body.message === 'string' ? body.message : 'HTTP ' + response.status;
    var retry = Number(response.headers.get('Retry-After'));
    if (response.status === 429 && retry > 0) message += ' (try again in ' + seconds(retry) + ')';
    return 'Sign-in failed: ' + message;
  }

  /**
   * Wires the form and the identity line. `use(token)` stores a token (or '' to forget it) and
   * reloads the page's data; the returned `refresh` updates the header for the current token.
   */
  function signInBox(use) {
    var form = document.getElementById('sign-in-form');
    var select = document.getElementById('sign-in-function');
    var fields = document.getElementById('sign-in-fields');
    var error = document.getElementById('sign-in-error');
    var identity = document.getElementById('identity');
    var who = document.getElementById('who');
    var functions = [];
    var generation = 0;

    function showFields() {
      var fn = functions[Number(select.value) || 0];
      fields.textContent = '';
      fn.arguments.forEach(function (arg) { fields.appendChild(field(arg)); });
    }

    function showForm() {
      form.hidden = functions.length === 0 || tg.token() !== '';
    }

    function refresh() {
      var current = ++generation;
      showForm();
      if (!tg.token()) {
        identity.hidden = true;
        who.textContent = '';
        return;
      }
      fetch('auth/whoami', { headers: tg.authHeaders() })
        .then(function (response) {
          return response.json().then(function (body) {
            if (current !== generation) return;
            identity.hidden = false;
            if (!response.ok) {
              who.textContent = 'token not accepted: ' + (body && body.message ? body.message : 'HTTP ' + response.status);
              return;
            }
            var sub = body.claims && body.claims.sub !== undefined && body.claims.sub !== null ? String(body.claims.sub) : '';
            who.textContent = 'signed in as ' + body.role + (sub ? ' · sub ' + sub : '');
          });
        })
        .catch(function () {
          if (current === generation) who.textContent = 'cannot tell who the token signs in';
        });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var fn = functions[Number(select.value) || 0];
      var body = {};
      Array.prototype.forEach.call(fields.querySelectorAll('input'), function (input) { body[input.name] = input.value; });
      error.textContent = '';
      // Sent without the Authorization header: sign-in runs as the anonymous role.
      fetch('auth/' + encodeURIComponent(fn.id), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
        .then(function (response) {
          return response.json().catch(function () { return null; }).then(function (answer) {
            if (!response.ok || !answer || typeof answer.token !== 'string') {
              error.textContent = failure(response, answer);
              return;
            }
            form.reset();
            use(answer.token);
          });
        })
        .catch(function () { error.textContent = 'Sign-in failed: the server did not answer'; });
    });
    select.addEventListener('change', showFields);
    document.getElementById('sign-out').addEventListener('click', function () { use(''); });

    // The functions an anonymous caller may use: that is who signs in.
    fetch('auth/sign-in')
      .then(function (response) { return response.ok ? response.json() : { functions: [] }; })
      .then(function (list) {
        functions = (list && list.functions) || [];
        if (functions.length === 0) return;
        select.textContent = '';
        functions.forEach(function (fn, i) {
          var option = tg.el('option', fn.description || fn.id);
          option.value = String(i);
          select.appendChild(option);
        });
        select.hidden = functions.length < 2;
        showFields();
        showForm();
      })
      .catch(function () { /* no sign-in: the token box stays */ });

    refresh();
    return { refresh: refresh };
  }

  tg.signInBox = signInBox;
})();
