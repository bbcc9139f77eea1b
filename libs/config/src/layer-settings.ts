import { ConfigError } from './config-error';
import type { FieldValue } from './config-values';
import type { LayerSettings } from './tilegate-config';

const CACHE_MODES = ['off', 'role', 'claims'] as const;
/** schema.name, or schema.table.column: a dot with something on each side, no surrounding spaces. */
const isLayerId = (id: string) => id === id.trim() && id.includes('.') && !id.startsWith('.') && !id.endsWith('.');

/**
 * The [[Layer]] tables, already coerced key by key (config-values): an Id each, once; the zoom
 * range in order once the server-wide defaults fill what a table leaves out; Cache one of its modes.
 * Errors name the table as `Layer[<n>]` (counted from 0, in file order) and its Id.
 */
export function buildLayers(tables: Record<string, FieldValue>[], defaults: { minZoom: number; maxZoom: number }): LayerSettings[] {
  const seen = new Map<string, number>();
  return tables.map((table, n) => {
    const name = `Layer[${n}]`;
    const id = table.Id as string | undefined;
    if (id === undefined) throw new ConfigError(`${name}.Id`, 'every [[Layer]] needs an Id, the layer id such as "public.roads"');
    const label = ` (Id ${JSON.stringify(id)})`;
    if (!isLayerId(id)) throw new ConfigError(`${name}.Id${label}`, 'must be a layer id such as "public.roads"');
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new ConfigError(`${name}.Id${label}`, `Layer[${earlier}] has the same Id; give each layer one [[Layer]]`);
    seen.set(id, n);

    const settings: LayerSettings = { id };
    if (table.MinZoom !== undefined) settings.minZoom = table.MinZoom as number;
    if (table.MaxZoom !== undefined) settings.maxZoom = table.MaxZoom as number;
    const minZoom = settings.minZoom ?? defaults.minZoom;
    const maxZoom = settings.maxZoom ?? defaults.maxZoom;
    if (minZoom > maxZoom) {
      const which = settings.minZoom !== undefined ? 'MinZoom' : 'MaxZoom';
      throw new ConfigError(`${name}.${which}${label}`, `MinZoom (${minZoom}) must not exceed MaxZoom (${maxZoom})${settings.minZoom === undefined || settings.maxZoom === undefined ? ', counting DefaultMinZoom/DefaultMaxZoom' : ''}`);
    }
    if (table.Properties !== undefined) {
      const properties = table.Properties as string[];
      if (properties.some((p) => p.trim() === '')) throw new ConfigError(`${name}.Properties${label}`, 'property names must not be empty');
      settings.properties = properties;
    }
    if (table.Limit !== undefined) settings.limit = table.Limit as number;
    if (table.Buffer !== undefined) settings.buffer = table.Buffer as number;
    if (table.Resolution !== undefined) settings.resolution = table.Resolution as number;
    if (table.Cache !== undefined) {
      const mode = (table.Cache as string).trim().toLowerCase();
      if (!(CACHE_MODES as readonly string[]).includes(mode)) throw new ConfigError(`${name}.Cache${label}`, `must be one of "off", "role", "claims", got "${table.Cache}"`);
      settings.cache = mode as LayerSettings['cache'];
    }
    return settings;
  });
}
