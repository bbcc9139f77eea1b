// A map of one layer, as the current role sees it, with MapLibre GL served by tilegate itself.
(function () {
  'use strict';
  var tg = window.tilegate;
  var file = decodeURIComponent(location.pathname.split('/').pop() || '');
  var layerId = file.replace(/\.html$/, '');
  var map;
  var detail;

  maplibregl.setWorkerUrl(document.baseURI + 'assets/maplibre-gl-csp-worker.js');
  document.getElementById('layer-name').textContent = layerId;

  function params() {
    var query = new URLSearchParams();
    Array.prototype.forEach.call(document.querySelectorAll('#params input'), function (input) {
      if (input.value !== '' && input.value !== input.dataset.initial) query.set(input.name, input.value);
    });
    var text = query.toString();
    return text ? '?' + text : '';
  }

  function tileUrl() {
    return detail.tileurl + params();
  }

  function addInput(form, name, value, hint) {
    var label = tg.el('label', name + (hint ? ' (' + hint + ')' : ''));
    var input = document.createElement('input');
    input.name = name;
    input.value = value === null || value === undefined ? '' : String(value);
    input.dataset.initial = input.value;
    label.appendChild(input);
    form.appendChild(label);
  }

  function buildControls() {
    var form = document.getElementById('params');
    form.textContent = '';
    if (detail.type === 'function') {
      detail.arguments.forEach(function (a) { addInput(form, a.name, a.default === null ? '' : a.default.replace(/^'(.*)'::.*$/, '$1'), a.type); });
    } else {
      addInput(form, 'properties', '', 'comma list; empty for all');
      addInput(form, 'limit', '', 'features per tile');
    }
    var apply = tg.el('button', 'Apply');
    apply.type = 'submit';
    form.appendChild(apply);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      refreshTiles();
    });
  }

  function refreshTiles() {
    document.getElementById('tile-url').textContent = tileUrl();
    if (map && map.getSource('layer')) map.getSource('layer').setTiles([tileUrl()]);
  }

  function showFeature(feature) {
    var list = document.getElementById('feature');
    list.textContent = '';
    if (feature.id !== undefined) {
      list.appendChild(tg.el('dt', 'id'));
      list.appendChild(tg.el('dd', feature.id));
    }
    Object.keys(feature.properties).forEach(function (key) {
      list.appendChild(tg.el('dt', key));
      list.appendChild(tg.el('dd', feature.properties[key]));
    });
  }

  var BASE_LAYERS = ['basemap-fill', 'basemap-line'];

  function baseVisibility() {
    return document.getElementById('basemap').checked ? 'visible' : 'none';
  }

  /** A background and the coarse world outline tilegate serves itself, under the layer's data. */
  function style() {
    var visibility = baseVisibility();
    return {
      version: 8,
      sources: { basemap: { type: 'geojson', data: document.baseURI + 'assets/world-110m.geojson' } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#eef0ea' } },
        { id: 'basemap-fill', type: 'fill', source: 'basemap', layout: { visibility: visibility }, paint: { 'fill-color': '#dcdfd7' } },
        { id: 'basemap-line', type: 'line', source: 'basemap', layout: { visibility: visibility }, paint: { 'line-color': '#b4b8ae', 'line-width': 0.6 } },
      ],
    };
  }

  document.getElementById('basemap').addEventListener('change', function () {
    if (!map) return;
    BASE_LAYERS.forEach(function (id) { if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', baseVisibility()); });
  });

  function drawLayers() {
    var source = layerId;
    map.addSource('layer', { type: 'vector', tiles: [tileUrl()], minzoom: detail.minzoom, maxzoom: detail.maxzoom });
    var polygon = ['==', ['geometry-type'], 'Polygon'];
    var line = ['==', ['geometry-type'], 'LineString'];
    var point = ['==', ['geometry-type'], 'Point'];
    map.addLayer({ id: 'fill', type: 'fill', source: 'layer', 'source-layer': source, filter: polygon, paint: { 'fill-color': '#3b7dd8', 'fill-opacity': 0.35 } });
    map.addLayer({ id: 'outline', type: 'line', source: 'layer', 'source-layer': source, filter: ['any', polygon, line], paint: { 'line-color': '#1d4f91', 'line-width': 1.2 } });
    map.addLayer({ id: 'points', type: 'circle', source: 'layer', 'source-layer': source, filter: point, paint: { 'circle-color': '#d8453b', 'circle-radius': 4, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
    ['fill', 'outline', 'points'].forEach(function (id) {
      map.on('mousemove', id, function (e) { map.getCanvas().style.cursor = 'pointer'; showFeature(e.features[0]); });
      map.on('mouseleave', id, function () { map.getCanvas().style.cursor = ''; });
      map.on('click', id, function (e) { showFeature(e.features[0]); });
    });
  }

  function load() {
    var status = document.getElementById('status');
    tg.getJson(encodeURIComponent(layerId) + '.json')
      .then(function (d) {
        detail = d;
        document.title = 'tilegate: ' + layerId;
        status.textContent = (d.description || '') + (d.geometrytype ? ' (' + d.geometrytype + ')' : '');
        buildControls();
        document.getElementById('tile-url').textContent = tileUrl();
        if (map) map.remove();
        map = new maplibregl.Map({
          container: 'map',
          style: style(),
          bounds: d.bounds,
          fitBoundsOptions: { padding: 20 },
          // Tiles are fetched with the token in a header, like the JSON.
          transformRequest: function (url) { return { url: url, headers: tg.authHeaders() }; },
        });
        window.tilegateMap = map;
        map.on('load', drawLayers);
      })
      .catch(function (err) {
        status.textContent = 'Cannot show ' + layerId + ': ' + err.message;
      });
  }

  tg.tokenBox(load);
  load();
})();
