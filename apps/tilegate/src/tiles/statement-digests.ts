import type { Layer } from '../catalog/layer.types';
import { DigestedStatement, statementDigest } from '../cache/cache-key';
import type { TileCoordinates } from './tile-coordinates';
import type { RawQuery } from './query-values';

/**
 * Requests whose text is longer than this are not remembered (a query string may be many KB);
 * map tile requests are far shorter.
 */
export const MAX_REMEMBERED_REQUEST_LENGTH = 512;

/** What a tile statement is built from, beyond the layers and the configuration. */
export interface TileRequestText {
  layerList: string;
  tile: TileCoordinates;
  query: RawQuery;
  /** Where PostGIS lives: the statement calls its functions by schema, and it is read per connection. */
  postgisSchema: string;
}

/**
 * A tile's statement, built at most once, and its digest, which the cache keys tiles by. A
 * remembered digest needs no statement at all until the tile has to be rendered.
 */
export class TileStatement implements DigestedStatement {
  constructor(
    private built: string | undefined,
    private digested: string | undefined,
    private readonly build: () => string,
    private readonly onDigest?: (digest: string) => void,
  ) {}

  text(): string {
    return (this.built ??= this.build());
  }

  digest(): string {
    if (this.digested === undefined) {
      this.digested = statementDigest(this.text());
      this.onDigest?.(this.digested);
    }
    return this.digested;
  }
}

/**
 * The digests of tile statements built lately, by the request they were built from, so that a
 * repeated tile (a cache hit) is keyed without building its statement (a few KB of SQL text a
 * request) and hashing it again. A statement is a function of its layers' metadata, the request's
 * text and the configuration alone, so a digest is reused only for the same layer objects (the
 * registry makes new ones whenever it reloads metadata, and the SRIDs a filter may name are
 * read with them) and exactly the same request text. Layers are told apart by a serial number per
 * object, so an entry keeps no layer alive. A request not remembered is built at once, so a bad
 * parameter is still its 400 before anything else happens. Least recently used out first, at
 * `capacity` entries (each a few hundred bytes).
 */
export class StatementDigests {
  private readonly byRequest = new Map<string, { layers: string; digest: string }>();

  constructor(private readonly capacity = 4096) {}

  /** `remember`: false for layers made for this request alone (narrowed to the columns a role may read). */
  statement(request: TileRequestText, layers: readonly Layer[], build: () => string, remember = true): TileStatement {
    const text = remember ? requestText(request) : undefined;
    if (text === undefined) return new TileStatement(build(), undefined, build);
    const serials = serialsOf(layers);
    const remembered = this.byRequest.get(text);
    if (remembered?.layers === serials) {
      this.byRequest.delete(text);
      this.byRequest.set(text, remembered);
      return new TileStatement(undefined, remembered.digest, build);
    }
    return new TileStatement(build(), undefined, build, (digest) => this.remember(text, serials, digest));
  }

  get size(): number {
    return this.byRequest.size;
  }

  private remember(text: string, layers: string, digest: string): void {
    this.byRequest.delete(text);
    if (this.byRequest.size >= this.capacity) this.byRequest.delete(this.byRequest.keys().next().value as string);
    this.byRequest.set(text, { layers, digest });
  }
}

/** The request as one string (a JSON array: no two requests give the same), or undefined when it is too long to remember. */
function requestText({ layerList, tile, query, postgisSchema }: TileRequestText): string | undefined {
  if (layerList.length > MAX_REMEMBERED_REQUEST_LENGTH) return undefined;
  const text = JSON.stringify([tile.z, tile.x, tile.y, postgisSchema, layerList, query]);
  return text.length > MAX_REMEMBERED_REQUEST_LENGTH ? undefined : text;
}

/** A number per layer object, never reused: equal serials mean the very same objects. */
const serials = new WeakMap<Layer, number>();
let nextSerial = 1;

function serialsOf(layers: readonly Layer[]): string {
  return layers
    .map((layer) => {
      let serial = serials.get(layer);
      if (serial === undefined) serials.set(layer, (serial = nextSerial++));
      return serial;
    })
    .join(',');
}
