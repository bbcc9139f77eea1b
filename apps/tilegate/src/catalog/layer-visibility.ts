import { SqlRunner } from '@app/database';
import { Layer } from './layer.types';
import { VISIBLE_LAYERS_SQL } from './sql';

/**
 * Layers in the form visible-layers.sql asks about them: relation and function oids as ready-made
 * oid[] literals, and the schemas they are in. Made once per catalog load for the full list
 * (index.json with thousands of tables), or on the spot for one layer.
 */
export class VisibilityCandidates {
  private static loads = 0;
  /** Tells one set of candidates from another in cache keys. */
  readonly id = ++VisibilityCandidates.loads;
  readonly tables: Layer[];
  readonly functions: Layer[];
  private readonly tableOids: string;
  private readonly functionOids: string;
  private readonly schemas: string[];

  constructor(layers: Iterable<Layer>) {
    const all = [...layers];
    this.tables = all.filter((l) => l.kind === 'table');
    this.functions = all.filter((l) => l.kind === 'function');
    // Oids are numbers from the catalog: the literal needs no quoting.
    this.tableOids = `{${this.tables.map((l) => l.oid).join(',')}}`;
    this.functionOids = `{${this.functions.map((l) => l.oid).join(',')}}`;
    this.schemas = [...new Set(all.map((l) => l.schema))];
  }

  /** The statement's parameters. */
  params(): unknown[] {
    return [this.tableOids, this.functionOids, this.schemas];
  }
}

export interface UsableLayers {
  layers: Layer[];
  /** Same string, same layers: the candidates and the database's answer for them. */
  signature: string;
}

/** The candidates the current role has USAGE/SELECT/EXECUTE for, asked of the database. */
export async function usableLayers(sql: SqlRunner, candidates: VisibilityCandidates): Promise<UsableLayers> {
  const [answer] = await sql.query<{ tables: string; functions: string; schemas: string[] }>(VISIBLE_LAYERS_SQL, candidates.params());
  const schemas = new Set(answer.schemas);
  const pick = (layers: Layer[], usable: string) => layers.filter((layer, i) => usable[i] === '1' && schemas.has(layer.schema));
  return {
    layers: [...pick(candidates.tables, answer.tables), ...pick(candidates.functions, answer.functions)],
    signature: `${candidates.id}:${answer.tables}:${answer.functions}:${[...schemas].sort().join('\u0000')}`,
  };
}
