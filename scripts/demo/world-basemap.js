// Writes the map preview's offline base layer: Natural Earth 1:110m countries from world-atlas, as
// flat GeoJSON cut at ±180° (see antimeridian.js), coordinates to 0.1° (about 11 km, the detail
// of 1:110m; it keeps the file under 150 KB), no properties. The file is committed; run this again only to change it:
//   node scripts/demo/world-basemap.js
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { feature } = require('topojson-client');
const { splitAtAntimeridian } = require('./antimeridian');

const OUT = join(__dirname, '..', '..', 'apps', 'tilegate', 'src', 'preview', 'assets', 'world-110m.geojson');

const round = (x) => Math.round(x * 10) / 10;

/** Rounded rings without repeated points; rings that rounding collapses are dropped. */
function rounded(polygons) {
  return polygons
    .map((polygon) =>
      polygon
        .map((ring) => ring.map((p) => [round(p[0]), round(p[1])]).filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]))
        .filter((ring) => ring.length >= 4),
    )
    .filter((polygon) => polygon.length > 0);
}

function main() {
  const topology = require('world-atlas/countries-110m.json');
  const features = feature(topology, topology.objects.countries).features.map((country) => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'MultiPolygon', coordinates: rounded(splitAtAntimeridian(country.geometry).coordinates) },
  }));
  const text = JSON.stringify({ type: 'FeatureCollection', features: features.filter((f) => f.geometry.coordinates.length > 0) });
  writeFileSync(OUT, `${text}\n`);
  console.log(`wrote ${OUT} (${Math.round(text.length / 1024)} KB)`);
}

main();
