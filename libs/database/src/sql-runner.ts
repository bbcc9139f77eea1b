import type { PoolClient, QueryConfig } from 'pg';

export interface QueryOptions {
  /** Ask for binary results: a bytea tile arrives as raw bytes instead of hex text. */
  binary?: boolean;
}

/** What a feature may do inside its RoleTransaction: run parameterised statements. */
export interface SqlRunner {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[], options?: QueryOptions): Promise<R[]>;
}

/** Binds a SqlRunner to the transaction's client; never hands the client itself out. */
export function sqlRunnerFor(client: PoolClient): SqlRunner {
  return {
    async query<R extends object>(text: string, values: unknown[] = [], options: QueryOptions = {}): Promise<R[]> {
      const config: QueryConfig = { text, values };
      if (options.binary) (config as QueryConfig & { binary: boolean }).binary = true;
      const result = await client.query<R>(config);
      return result.rows;
    },
  };
}
