// Shared by tilegate's pages: the token box, authorised fetches, and safe text output.
// Everything from the server is put into the page with textContent, never as HTML.
(function () {
  'use strict';
  var KEY = 'tilegate.token';

  function token() {
    return sessionStorage.getItem(KEY) || '';
  }

  /** The Authorization header for the current token (sent as a header, never in a URL). */
  function authHeaders() {
    var t = token();
    return t ? { Authorization: 'Bearer ' + t } : {};
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  /** Fetches JSON with the token; reports which role the server used. */
  function getJson(url) {
    return fetch(url, { headers: authHeaders() }).then(function (response) {
      // The header is percent-encoded UTF-8: role names may be in any script.
      var role = response.headers.get('Tilegate-Role');
      if (role !== null) showRole(decodeURIComponent(role));
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body && body.message ? body.message : 'HTTP ' + response.status);
        return body;
      });
    });
  }

  function showRole(role) {
    var node = document.getElementById('role');
    if (node) node.textContent = 'served as role: ' + role + (token() ? '' : ' (anonymous)');
  }

  /**
   * Wires the token box: Use stores it for this tab and reloads; Clear goes back to anonymous. A
   * token from the sign-in form (sign-in.js) is stored and used the same way.
   */
  function tokenBox(onChange) {
    var form = document.getElementById('token-form');
    var input = document.getElementById('token');
    var identity = null;
    function use(value) {
      if (value) sessionStorage.setItem(KEY, value);
      else sessionStorage.removeItem(KEY);
      input.value = token();
      // The old token's role no longer holds; the next catalog answer says the new one.
      document.getElementById('role').textContent = '';
      onChange();
      if (identity) identity.refresh();
    }
    input.value = token();
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      use(input.value.trim());
    });
    document.getElementById('token-clear').addEventListener('click', function () { use(''); });
    if (window.tilegate.signInBox) identity = window.tilegate.signInBox(use);
  }

  window.tilegate = { token: token, authHeaders: authHeaders, el: el, getJson: getJson, tokenBox: tokenBox };
})();
