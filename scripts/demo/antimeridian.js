// world-atlas's TopoJSON is stitched across the antimeridian (d3 draws on a sphere): Fiji's and
// Chukotka's rings jump from 180° to -180° and back, and Antarctica's ring closes with one jump
// across the whole world. Drawn on a flat map (PostGIS, MapLibre) each jump is a stripe across
// the world. These functions cut such polygons at ±180° into flat GeoJSON, and close rings that
// go around a pole through the pole. Polygons that do not cross are returned as they are.
'use strict';

/** Longitudes made continuous: each jump over 180° is undone by ±360°. `turns` ≠ 0: the ring goes around a pole. */
function unwrap(ring) {
  const out = [ring[0].slice()];
  let offset = 0;
  for (let i = 1; i < ring.length; i++) {
    const step = ring[i][0] - ring[i - 1][0];
    if (step > 180) offset -= 360;
    else if (step < -180) offset += 360;
    out.push([ring[i][0] + offset, ring[i][1]]);
  }
  return { ring: out, turns: offset / 360 };
}

/**
 * A ring around a pole, closed through that pole (south if its points are mostly south), along
 * the pole in steps of 90° so that no edge is longer than half the world.
 */
function closeThroughPole(ring) {
  const south = ring.reduce((sum, p) => sum + p[1], 0) < 0;
  const pole = south ? -90 : 90;
  const first = ring[0];
  const last = ring[ring.length - 1];
  const along = [];
  const steps = Math.ceil(Math.abs(first[0] - last[0]) / 90);
  for (let i = 0; i <= steps; i++) along.push([last[0] + ((first[0] - last[0]) * i) / steps, pole]);
  return [...ring, ...along, first];
}

/** Sutherland–Hodgman against one vertical line: keeps the side where `inside(x)` holds. */
function clipAt(ring, x0, inside) {
  const out = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    const aIn = inside(a[0]);
    const bIn = inside(b[0]);
    if (aIn) out.push(a);
    if (aIn !== bIn) out.push([x0, a[1] + ((b[1] - a[1]) * (x0 - a[0])) / (b[0] - a[0])]);
  }
  if (out.length < 3) return null;
  out.push(out[0]);
  return out;
}

function clipToWorld(ring) {
  const left = clipAt(ring, -180, (x) => x >= -180);
  return left && clipAt(left, 180, (x) => x <= 180);
}

function shifted(ring, dx) {
  return ring.map((p) => [p[0] + dx, p[1]]);
}

function area(ring) {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return Math.abs(sum) / 2;
}

function crosses(polygon) {
  return polygon.some((ring) => ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180));
}

/** One polygon's rings (GeoJSON coordinates) → the flat polygons they make between -180° and 180°. */
function splitPolygon(polygon) {
  if (!crosses(polygon)) return [polygon];
  const rings = polygon
    .map((ring) => {
      const { ring: flat, turns } = unwrap(ring);
      return turns === 0 ? flat : closeThroughPole(flat);
    })
    // A ring that only runs along the pole (world-atlas has one at -89.999°) encloses nothing.
    .filter((ring) => Math.max(...ring.map((p) => p[1])) - Math.min(...ring.map((p) => p[1])) > 0.01 || !ring.some((p) => Math.abs(p[1]) === 90));
  if (rings.length === 0) return [];
  const [outer, ...holes] = rings;
  const out = [];
  for (const dx of [-720, -360, 0, 360, 720]) {
    const shell = clipToWorld(shifted(outer, dx));
    if (!shell || area(shell) === 0) continue;
    const inner = holes.map((h) => clipToWorld(shifted(h, dx))).filter((h) => h && area(h) > 0);
    out.push([shell, ...inner]);
  }
  return out;
}

/** A GeoJSON Polygon or MultiPolygon geometry → a flat MultiPolygon geometry. */
function splitAtAntimeridian(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : null;
  if (!polygons) return geometry;
  return { type: 'MultiPolygon', coordinates: polygons.flatMap(splitPolygon) };
}

module.exports = { splitAtAntimeridian };
