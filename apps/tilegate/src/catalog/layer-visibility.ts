import { SqlRunner } from '@app/database';
import { FunctionLayer, Layer, TableLayer } from './layer.types';
import { VISIBLE_LAYERS_SQL } from './sql';

/**
 * Layers in the form visible-layers.sql asks about them: relation oids with their geometry
 * columns' attribute numbers, function oids (every overload), as ready-made array literals, and
 * the schemas they are in. Made once per catalog load for the full list (index.json with
 * thousands of tables), or on the spot for a few layers.
 */
export class VisibilityCandidates {
  private static loads = 0;
  /** Tells one set of candidates from another in cache keys. */
  readonly id = ++VisibilityCandidates.loads;
  readonly tables: TableLayer[];
  readonly functions: FunctionLayer[];
  /** For each overload asked about, the index of its layer in `functions`. */
  private readonly overloadOwners: number[];
  private readonly literals: [string, string, string];
  private readonly schemas: string[];

  constructor(layers: Iterable<Layer>) {
    const all = [...layers];
    this.tables = all.filter((l): l is TableLayer => l.kind === 'table');
    this.functions = all.filter((l): l is FunctionLayer => l.kind === 'function');
    this.overloadOwners = this.functions.flatMap((layer, i) => layer.overloads.map(() => i));
    const overloadOids = this.functions.flatMap((layer) => layer.overloads.map((o) => o.oid));
    // Oids and attribute numbers are numbers from the catalog: the literals need no quoting.
    this.literals = [`{${this.tables.map((l) => l.oid).join(',')}}`, `{${this.tables.map((l) => l.geometryAttnum).join(',')}}`, `{${overloadOids.join(',')}}`];
    this.schemas = [...new Set(all.map((l) => l.schema))];
  }

  /** The statement's parameters. */
  params(): unknown[] {
    return [...this.literals, this.schemas];
  }

  /** The functions usable, from one character per overload: a layer is usable when one of its overloads is. */
  usableFunctions(answer: string): FunctionLayer[] {
    const usable = new Set(this.overloadOwners.filter((_, i) => answer[i] === '1'));
    return this.functions.filter((_, i) => usable.has(i));
  }
}

export interface UsableLayers {
  layers: Layer[];
  /** Same string, same layers: the candidates and the database's answer for them. */
  signature: string;
}

/**
 * The candidates the current role may use: USAGE on the schema, and SELECT on the geometry column
 * (a table-wide GRANT, or a column-level one: such a role gets the layer with the properties it
 * may read) or EXECUTE on the function. Asked of the database, as the role, per request.
 */
export async function usableLayers(sql: SqlRunner, candidates: VisibilityCandidates): Promise<UsableLayers> {
  const [answer] = await sql.query<{ tables: string; functions: string; schemas: string[] }>(VISIBLE_LAYERS_SQL, candidates.params());
  const schemas = new Set(answer.schemas);
  const tables = candidates.tables.filter((layer, i) => answer.tables[i] === '1' && schemas.has(layer.schema));
  const functions = candidates.usableFunctions(answer.functions).filter((layer) => schemas.has(layer.schema));
  return {
    layers: [...tables, ...functions],
    signature: `${candidates.id}:${answer.tables}:${answer.functions}:${[...schemas].sort().join('\u0000')}`,
  };
}
