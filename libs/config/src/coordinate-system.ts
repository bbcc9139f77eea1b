import { ConfigError } from './config-error';
import type { CoordinateSystem } from './tilegate-config';

/**
 * pg_tileserv's getServerBounds (util.go:145-173): the bounds must be square within 1 % of the
 * smaller side, then are re-centred to an exact square of that side. The same float64 operations in
 * the same order, so the grid (and every tile envelope) is the one pg_tileserv computes. Bounds
 * that are not a proper box (zero or negative width or height) are refused too: pg_tileserv lets
 * a zero-size grid start and serves degenerate tiles.
 */
export function squareCoordinateSystem(fields: Record<string, number>): CoordinateSystem {
  const { SRID: srid, Xmin: x0, Ymin: y0, Xmax: x1, Ymax: y1 } = fields;
  const width = x1 - x0;
  const height = y1 - y0;
  if (!(width > 0) || !(height > 0)) {
    throw new ConfigError('CoordinateSystem', `Xmax must exceed Xmin and Ymax must exceed Ymin, got [${x0}, ${y0}, ${x1}, ${y1}]`);
  }
  const size = Math.min(width, height);
  if (Math.abs(width - height) > 0.01 * size) {
    throw new ConfigError('CoordinateSystem', `bounds must be square (within 1 %): width ${width}, height ${height}`);
  }
  const cx = x0 + width / 2;
  const cy = y0 + height / 2;
  return { srid, xmin: cx - size / 2, ymin: cy - size / 2, xmax: cx + size / 2, ymax: cy + size / 2 };
}
