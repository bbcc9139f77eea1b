import { feature } from 'topojson-client';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { splitAtAntimeridian } = require('../../scripts/demo/antimeridian') as { splitAtAntimeridian(g: Geometry): MultiPolygon };

type Ring = number[][];
type Geometry = { type: string; coordinates: unknown };
type MultiPolygon = { type: 'MultiPolygon'; coordinates: Ring[][] };

/** The longest edge of any ring, in degrees of longitude. */
function longestEdge(g: MultiPolygon): number {
  let worst = 0;
  for (const polygon of g.coordinates) for (const ring of polygon) for (let i = 1; i < ring.length; i++) worst = Math.max(worst, Math.abs(ring[i][0] - ring[i - 1][0]));
  return worst;
}

/** Planar area in square degrees, holes subtracted. */
function area(g: MultiPolygon): number {
  const ringArea = (r: Ring) => Math.abs(r.slice(1).reduce((s, p, i) => s + r[i][0] * p[1] - p[0] * r[i][1], 0)) / 2;
  return g.coordinates.reduce((sum, [outer, ...holes]) => sum + ringArea(outer) - holes.reduce((h, r) => h + ringArea(r), 0), 0);
}

/** The demo's countries and the preview's outline come from world-atlas, stitched across ±180°. */
describe('splitAtAntimeridian', () => {
  const countries = (file: string) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const topology = require(`world-atlas/${file}`);
    return new Map<string, Geometry>((feature(topology, topology.objects.countries) as any).features.map((f: any) => [f.properties.name, f.geometry]));
  };

  it.each(['countries-50m.json', 'countries-110m.json'])('leaves no edge across the world in %s', (file) => {
    for (const [name, geometry] of countries(file)) {
      const flat = splitAtAntimeridian(geometry);
      expect({ name, edge: longestEdge(flat) <= 180 }).toEqual({ name, edge: true });
      for (const polygon of flat.coordinates) for (const ring of polygon) for (const [x] of ring) expect(Math.abs(x)).toBeLessThanOrEqual(180);
    }
  });

  it('cuts Fiji at 180° into pieces on both sides, its area that of the islands', () => {
    const fiji = splitAtAntimeridian(countries('countries-50m.json').get('Fiji')!);
    const xs = fiji.coordinates.flatMap((p) => p[0].map(([x]) => x));
    expect(Math.min(...xs)).toBe(-180);
    expect(Math.max(...xs)).toBe(180);
    // About 1.6 square degrees of islands, not a band around the world (hundreds).
    expect(area(fiji)).toBeGreaterThan(1);
    expect(area(fiji)).toBeLessThan(3);
  });

  it('closes Antarctica through the South Pole', () => {
    const antarctica = splitAtAntimeridian(countries('countries-110m.json').get('Antarctica')!);
    const ys = antarctica.coordinates.flatMap((p) => p[0].map(([, y]) => y));
    expect(Math.min(...ys)).toBe(-90);
    // From the pole up to the coast at about -70° all round: more than 360 × 15 square degrees.
    expect(area(antarctica)).toBeGreaterThan(5400);
  });

  it('returns polygons that do not cross as they were', () => {
    const france = countries('countries-110m.json').get('France')!;
    expect(splitAtAntimeridian(france).coordinates).toEqual((france as MultiPolygon).coordinates);
  });
});
