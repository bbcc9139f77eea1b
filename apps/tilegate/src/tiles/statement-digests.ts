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
 * read with them) and exactly the same request text. A request not remembered is built at once,
 * so a bad parameter is still its 400 before anything else happens. Oldest out first, at
 * `capacity` entries (each a few hundred bytes).
 */
export class StatementDigests {
  private readonly byRequest = new Map<string, { layers: readonly Layer[]; digest: string }>();

  constructor(private readonly capacity = 4096) {}

  statement(request: TileRequestText, layers: readonly Layer[], build: () => string): TileStatement {
    const text = requestText(request);
    const remembered = text === undefined ? undefined : this.byRequest.get(text);
    if (remembered && sameLayers(remembered.layers, layers)) return new TileStatement(undefined, remembered.digest, build);
    const remember = text === undefined ? undefined : (digest: string) => this.remember(text, layers, digest);
    return new TileStatement(build(), undefined, build, remember);
  }

  get size(): number {
    return this.byRequest.size;
  }

  private remember(text: string, layers: readonly Layer[], digest: string): void {
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

function sameLayers(a: readonly Layer[], b: readonly Layer[]): boolean {
  return a.length === b.length && a.every((layer, i) => layer === b[i]);
}
