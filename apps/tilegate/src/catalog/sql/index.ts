import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Static catalog SQL, read once from the .sql files beside this one (copied to dist by nest-cli). */
function load(name: string): string {
  return readFileSync(join(__dirname, `${name}.sql`), 'utf8');
}

export const TABLE_LAYERS_SQL = load('table-layers');
/** The argument list both function layers and sign-in functions have, from argument `first` on. */
const functionArguments = (first: number) => readFileSync(join(__dirname, 'function-arguments.part.sql'), 'utf8').replaceAll('@first@', String(first));
export const FUNCTION_LAYERS_SQL = load('function-layers').replace('@arguments@', functionArguments(4));
export const SIGN_IN_FUNCTIONS_SQL = load('sign-in-functions').replace('@arguments@', functionArguments(1));
export const VISIBLE_LAYERS_SQL = load('visible-layers');
export const CATALOG_FINGERPRINT_SQL = load('catalog-fingerprint');
export const LAYER_COLUMNS_FINGERPRINT_SQL = load('layer-columns-fingerprint');
export const CLAIM_KEYS_SQL = load('claim-keys');
export const READABLE_COLUMNS_SQL = load('readable-columns');
