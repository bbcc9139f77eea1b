/** A WAL position as PostgreSQL prints it (`pg_lsn` as text): two hex numbers, 'X/Y', high and low 32 bits. */
const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The LSN as one 64-bit number; throws on text that is not an LSN (a typo must not compare as 0). */
export function lsnValue(lsn: string): bigint {
  const match = LSN.exec(lsn.trim());
  if (!match) throw new Error(`not a WAL position (X/Y in hex): "${lsn}"`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Negative when `a` is before `b`, 0 when equal, positive when after. Text order is wrong ('9/0' > '10/0'), hence this. */
export function compareLsn(a: string, b: string): number {
  const difference = lsnValue(a) - lsnValue(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
