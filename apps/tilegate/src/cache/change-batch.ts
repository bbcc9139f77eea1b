/** The channels sql/tile-cache-invalidation.sql notifies on. */
export const CHANGES_CHANNEL = 'tilegate_changes';
export const DDL_CHANNEL = 'tilegate_ddl';

/**
 * A table trigger's payload is the table's oid as text. Anyone who may connect can NOTIFY any
 * channel, so anything else is not ours: undefined, and the caller ignores it.
 */
export function parseTableOid(payload: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(payload)) return undefined;
  const oid = Number(payload);
  return oid <= 0xffffffff ? oid : undefined;
}

/** What arrived since the last flush: the changed tables, and whether any DDL ran. */
export interface ChangeSet {
  tableOids: number[];
  ddl: boolean;
}

/**
 * Notifications that arrive together (one bulk job touching many tables, a burst of small
 * transactions) become one event with one primary LSN, instead of one LSN query each.
 */
export class ChangeBatch {
  private oids = new Set<number>();
  private ddl = false;

  /** Adds a notification; false when it is not one of ours (and so changes nothing). */
  add(channel: string, payload: string): boolean {
    if (channel === DDL_CHANNEL) {
      this.ddl = true;
      return true;
    }
    if (channel !== CHANGES_CHANNEL) return false;
    const oid = parseTableOid(payload);
    if (oid === undefined) return false;
    this.oids.add(oid);
    return true;
  }

  get isEmpty(): boolean {
    return this.oids.size === 0 && !this.ddl;
  }

  /** Empties the batch and returns what it held, oids in ascending order. */
  take(): ChangeSet {
    const taken = { tableOids: [...this.oids].sort((a, b) => a - b), ddl: this.ddl };
    this.oids = new Set();
    this.ddl = false;
    return taken;
  }
}
