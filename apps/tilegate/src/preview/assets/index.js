// The layer list: what the current role may see, tables and functions apart.
(function () {
  'use strict';
  var tg = window.tilegate;

  function describe(detail) {
    if (detail.type === 'table') {
      return {
        meta: (detail.geometrytype || '') + ', SRID ' + detail.srid,
        fields: 'properties: ' + (detail.properties || []).map(function (p) { return p.name + ' (' + p.type + ')'; }).join(', '),
      };
    }
    return {
      meta: 'function',
      fields: 'arguments: ' + (detail.arguments || []).map(function (a) { return a.name + ' ' + a.type + (a.default !== null ? ' = ' + a.default : ''); }).join(', '),
    };
  }

  function item(summary, detail) {
    var li = tg.el('li');
    li.dataset.layer = summary.id;
    li.appendChild(tg.el('div', summary.id, 'id'));
    if (summary.description) li.appendChild(tg.el('div', summary.description, 'description'));
    var text = describe(detail || summary);
    li.appendChild(tg.el('div', text.meta, 'meta'));
    li.appendChild(tg.el('div', text.fields, 'fields'));
    var links = tg.el('div', null, 'links');
    var id = encodeURIComponent(summary.id);
    [['map preview', id + '.html'], ['TileJSON', id + '/tilejson.json'], ['JSON', id + '.json']].forEach(function (link) {
      var a = tg.el('a', link[0]);
      a.href = link[1];
      links.appendChild(a);
    });
    li.appendChild(links);
    return li;
  }

  // A newer load (the token changed) makes older ones' answers stale: they must not touch the list.
  var generation = 0;

  function load() {
    var current = ++generation;
    var status = document.getElementById('status');
    var tables = document.getElementById('tables');
    var functions = document.getElementById('functions');
    tables.textContent = '';
    functions.textContent = '';
    status.textContent = 'Loading layers…';
    tg.getJson('index.json')
      .then(function (index) {
        var summaries = Object.keys(index).map(function (k) { return index[k]; });
        return Promise.all(summaries.map(function (s) {
          return tg.getJson(encodeURIComponent(s.id) + '.json').catch(function () { return null; }).then(function (d) { return [s, d]; });
        }));
      })
      .then(function (pairs) {
        if (current !== generation) return;
        pairs.forEach(function (pair) {
          (pair[0].type === 'function' ? functions : tables).appendChild(item(pair[0], pair[1]));
        });
        status.textContent = pairs.length + ' layers';
      })
      .catch(function (err) {
        if (current === generation) status.textContent = 'Cannot list layers: ' + err.message;
      });
  }

  tg.tokenBox(load);
  load();
})();
