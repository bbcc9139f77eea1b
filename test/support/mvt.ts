import { VectorTile, VectorTileFeature } from '@mapbox/vector-tile';
import Protobuf from 'pbf';

export interface DecodedFeature {
  id: number | undefined;
  properties: Record<string, unknown>;
  type: number;
}

/** Decodes an MVT into { layerName: features }, so tests assert on contents, not status codes. */
export function decodeTile(bytes: ArrayBuffer | Buffer): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new Protobuf(Buffer.from(bytes as ArrayBuffer)));
  const layers: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    layers[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const feature: VectorTileFeature = layer.feature(i);
      layers[name].push({ id: feature.id, properties: feature.properties, type: feature.type });
    }
  }
  return layers;
}

/** Fetches a tile and decodes it; fails the test with the body when it is not a 200. */
export async function fetchTile(url: string, headers: Record<string, string> = {}): Promise<Record<string, DecodedFeature[]>> {
  const response = await fetch(url, { headers });
  if (response.status !== 200) throw new Error(`GET ${url} -> ${response.status} ${await response.text()}`);
  return decodeTile(await response.arrayBuffer());
}
