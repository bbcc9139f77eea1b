import { squareCoordinateSystem } from './coordinate-system';

const M = 20037508.3427892;

describe('squareCoordinateSystem', () => {
  it("keeps pg_tileserv's default Web Mercator grid as it is", () => {
    expect(squareCoordinateSystem({ SRID: 3857, Xmin: -M, Ymin: -M, Xmax: M, Ymax: M })).toEqual({ srid: 3857, xmin: -M, ymin: -M, xmax: M, ymax: M });
  });

  it('re-centres nearly square bounds to an exact square of the smaller side (util.go:160-170)', () => {
    // width 100, height 100.5: within 1 %; side 100, centred on (50, 50.25).
    expect(squareCoordinateSystem({ SRID: 2056, Xmin: 0, Ymin: 0, Xmax: 100, Ymax: 100.5 })).toEqual({ srid: 2056, xmin: 0, ymin: 0.25, xmax: 100, ymax: 100.25 });
    expect(squareCoordinateSystem({ SRID: 4326, Xmin: -180, Ymin: -180, Xmax: 180, Ymax: 180 })).toEqual({ srid: 4326, xmin: -180, ymin: -180, xmax: 180, ymax: 180 });
  });

  it('uses float64 arithmetic in the order pg_tileserv does', () => {
    const [x0, y0, x1, y1] = [-0.1, 0.2, 0.3, 0.6000001];
    const width = x1 - x0;
    const height = y1 - y0;
    const size = Math.min(width, height);
    const cx = x0 + width / 2;
    const cy = y0 + height / 2;
    expect(squareCoordinateSystem({ SRID: 1, Xmin: x0, Ymin: y0, Xmax: x1, Ymax: y1 })).toEqual({ srid: 1, xmin: cx - size / 2, ymin: cy - size / 2, xmax: cx + size / 2, ymax: cy + size / 2 });
  });

  it.each([
    [{ Xmin: -180, Ymin: -90, Xmax: 180, Ymax: 90 }, /CoordinateSystem: bounds must be square/],
    [{ Xmin: 0, Ymin: 0, Xmax: 100, Ymax: 101.5 }, /CoordinateSystem: bounds must be square/],
    [{ Xmin: 10, Ymin: 10, Xmax: -10, Ymax: -10 }, /CoordinateSystem: Xmax must exceed Xmin/],
    [{ Xmin: 0, Ymin: 0, Xmax: 0, Ymax: 0 }, /CoordinateSystem: Xmax must exceed Xmin/],
  ])('refuses %p', (bounds, message) => {
    expect(() => squareCoordinateSystem({ SRID: 4326, ...bounds })).toThrow(message);
  });
});
