import type { Layer } from '../catalog/layer.types';
import { statementDigest } from '../cache/cache-key';
import { MAX_REMEMBERED_REQUEST_LENGTH, StatementDigests, TileRequestText } from './statement-digests';

/** Only identity matters to StatementDigests: a layer as the registry hands it out. */
const layer = (id: string) => ({ kind: 'table', id }) as unknown as Layer;

const request = (overrides: Partial<TileRequestText> = {}): TileRequestText => ({
  layerList: 'public.places',
  tile: { z: 3, x: 1, y: 2 },
  query: { limit: '10' },
  postgisSchema: 'public',
  ...overrides,
});

/** A statement builder that counts its calls. */
function builder(text = 'SELECT 1') {
  const calls = { count: 0 };
  return { calls, build: () => (calls.count++, text) };
}

/** Asks for a statement and its digest, as a cache hit does (the digest, not the text). */
function keyed(digests: StatementDigests, req: TileRequestText, layers: Layer[], build: () => string): string {
  return digests.statement(req, layers, build).digest();
}

describe('StatementDigests', () => {
  const places = [layer('public.places')];

  it('keys a repeated request by the digest remembered, without building its statement', () => {
    const digests = new StatementDigests();
    const first = builder();
    expect(keyed(digests, request(), places, first.build)).toBe(statementDigest('SELECT 1'));
    expect(first.calls.count).toBe(1);
    const again = builder('never built');
    const statement = digests.statement(request(), places, again.build);
    expect(statement.digest()).toBe(statementDigest('SELECT 1'));
    expect(again.calls.count).toBe(0);
    // The text is built only when the tile has to be rendered.
    expect(statement.text()).toBe('never built');
    expect(again.calls.count).toBe(1);
  });

  it('builds again for other layer objects (the registry reloaded), other coordinates, query, layer list or PostGIS schema', () => {
    const digests = new StatementDigests();
    keyed(digests, request(), places, builder().build);
    for (const [req, layers] of [
      [request(), [layer('public.places')]],
      [request({ tile: { z: 3, x: 1, y: 3 } }), places],
      [request({ query: { limit: '11' } }), places],
      [request({ query: { limit: ['10', '11'] } }), places],
      [request({ layerList: 'public.places,public.places' }), places],
      [request({ postgisSchema: 'postgis' }), places],
    ] as const) {
      const other = builder('SELECT 2');
      expect(keyed(digests, req, [...layers], other.build)).toBe(statementDigest('SELECT 2'));
      expect(other.calls.count).toBe(1);
    }
  });

  it('builds a request not remembered at once, so a bad parameter is thrown before the cache is asked', () => {
    const digests = new StatementDigests();
    const failing = () => {
      throw new Error('limit must be a whole number');
    };
    expect(() => digests.statement(request(), places, failing)).toThrow('limit must be a whole number');
    expect(digests.size).toBe(0);
  });

  it('remembers nothing until a digest is asked for (a server without a cache hashes nothing)', () => {
    const digests = new StatementDigests();
    digests.statement(request(), places, builder().build).text();
    expect(digests.size).toBe(0);
  });

  it('does not remember requests longer than the limit', () => {
    const digests = new StatementDigests();
    const long = request({ query: { filter: 'x'.repeat(MAX_REMEMBERED_REQUEST_LENGTH) } });
    keyed(digests, long, places, builder().build);
    expect(digests.size).toBe(0);
    const again = builder();
    keyed(digests, long, places, again.build);
    expect(again.calls.count).toBe(1);
  });

  it('never reuses a digest across layer objects, however requests for them alternate', () => {
    const digests = new StatementDigests();
    const full = [layer('public.places')];
    const narrowed = [layer('public.places')];
    for (let i = 0; i < 3; i++) {
      expect(keyed(digests, request(), full, () => 'SELECT all columns')).toBe(statementDigest('SELECT all columns'));
      expect(keyed(digests, request(), narrowed, () => 'SELECT readable columns')).toBe(statementDigest('SELECT readable columns'));
    }
  });

  it('does not remember layers made for one request (remember = false)', () => {
    const digests = new StatementDigests();
    const narrowed = builder();
    for (let i = 0; i < 2; i++) digests.statement(request(), places, narrowed.build, false).digest();
    expect(narrowed.calls.count).toBe(2);
    expect(digests.size).toBe(0);
  });

  it('keeps the requests asked for lately: a remembered one used again outlives newer ones', () => {
    const digests = new StatementDigests(2);
    const at = (y: number) => request({ tile: { z: 3, x: 1, y } });
    keyed(digests, at(0), places, builder().build);
    keyed(digests, at(1), places, builder().build);
    keyed(digests, at(0), places, builder().build);
    keyed(digests, at(2), places, builder().build);
    const used = builder();
    keyed(digests, at(0), places, used.build);
    expect(used.calls.count).toBe(0);
    const unused = builder();
    keyed(digests, at(1), places, unused.build);
    expect(unused.calls.count).toBe(1);
  });

  it('holds at most its capacity, the oldest going first', () => {
    const digests = new StatementDigests(2);
    for (const y of [0, 1, 2]) keyed(digests, request({ tile: { z: 3, x: 1, y } }), places, builder(`SELECT ${y}`).build);
    expect(digests.size).toBe(2);
    const oldest = builder();
    keyed(digests, request({ tile: { z: 3, x: 1, y: 0 } }), places, oldest.build);
    expect(oldest.calls.count).toBe(1);
    const newest = builder();
    keyed(digests, request({ tile: { z: 3, x: 1, y: 2 } }), places, newest.build);
    expect(newest.calls.count).toBe(0);
  });
});
