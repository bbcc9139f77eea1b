import type { PoolClient } from 'pg';

/**
 * What a feature may do inside its RoleTransaction: run parameterised statements.
 * (Results are text-format: node-postgres cannot read binary rows, so a bytea tile arrives as hex
 * and is decoded to a Buffer by the driver.)
 */
export interface SqlRunner {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
}

/** Binds a SqlRunner to the transaction's client; never hands the client itself out. */
export function sqlRunnerFor(client: PoolClient): SqlRunner {
  return {
    async query<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
      const result = await client.query<R>(text, values);
      return result.rows;
    },
  };
}
