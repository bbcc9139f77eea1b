import type { QueryResult } from 'pg';

/**
 * What a feature may do inside its transaction: run parameterised statements.
 * (Results are text-format: node-postgres cannot read binary rows, so a bytea tile arrives as hex
 * and is decoded to a Buffer by the driver.)
 */
export interface SqlRunner {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
}

/** Sends one statement on the transaction's connection (with its cancellation and deadline). */
export type SendQuery = (text: string, values?: unknown[]) => Promise<QueryResult>;

/** Binds a SqlRunner to the transaction's connection; never hands the client itself out. */
export function sqlRunnerFor(send: SendQuery): SqlRunner {
  return {
    async query<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
      return (await send(text, values)).rows as R[];
    },
  };
}
