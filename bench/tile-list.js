// A deterministic list of tiles that hold data, zoom 0 to 14, weighted as maps request them:
// a couple of tiles at each low zoom, more at city zooms; two points tiles to one polygons tile.
// Tiles are picked around sampled points and country pieces, never empty ocean.
'use strict';

async function buildTileList(db, { perZoom }) {
  return db.admin(
    `WITH zooms AS (SELECT generate_series(0, 14) AS z),
     samples AS (
       SELECT 'bench.points' AS layer, p.geom FROM bench.points p WHERE p.id % 499 = 0
       UNION ALL
       SELECT 'bench.countries', ST_PointOnSurface(c.geom) FROM bench.countries c
     ),
     tiles AS (
       SELECT DISTINCT s.layer, z.z,
         floor((ST_X(s.geom) + 180) / 360 * 2 ^ z.z)::int AS x,
         floor((1 - ln(tan(radians(ST_Y(s.geom))) + 1 / cos(radians(ST_Y(s.geom)))) / pi()) / 2 * 2 ^ z.z)::int AS y
       FROM samples s CROSS JOIN zooms z
     ),
     ranked AS (
       SELECT t.*, row_number() OVER (PARTITION BY t.z, t.layer ORDER BY hashtext(t.layer || t.x || '/' || t.y)) AS r FROM tiles t
     )
     SELECT layer, z, x, y FROM ranked
     WHERE r <= CASE WHEN z < 5 THEN 1 ELSE $1 END * CASE WHEN layer = 'bench.points' THEN 2 ELSE 1 END
     ORDER BY hashtext(layer || z || '/' || x || '/' || y)`,
    [perZoom],
  );
}

/** The URL path tilegate (and the bare server) answers a tile of the list at. */
function tilePath(tile) {
  return `/${tile.layer}/${tile.z}/${tile.x}/${tile.y}.pbf`;
}

module.exports = { buildTileList, tilePath };
