// CPU seconds spent by each party of a run, read from /proc (Linux): the load generator (this
// process), the server, and PostgreSQL (live backends plus the ones the postmaster has reaped).
// Divided by tiles made, it says where each tile's time goes. Elsewhere it reports nothing.
'use strict';
const { readdirSync, readFileSync } = require('node:fs');

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on.

function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are space-separated.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15), plus reaped children's (16 and 17) when asked. */
function cpuSecondsOf(pid, withChildren = false) {
  const f = statFields(pid);
  if (!f) return 0;
  const own = Number(f[11]) + Number(f[12]);
  return (withChildren ? own + Number(f[13]) + Number(f[14]) : own) / TICKS_PER_SECOND;
}

function postgresSeconds() {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let comm;
    try {
      comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm !== 'postgres') continue;
    const f = statFields(entry);
    // The postmaster (its parent is not postgres) also counts the backends it has reaped.
    const parentIsPostgres = f && readComm(f[1]) === 'postgres';
    total += cpuSecondsOf(entry, !parentIsPostgres);
  }
  return total;
}

function readComm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** A snapshot; `since(earlier)` gives the seconds each party used in between. */
function cpuSnapshot(serverPid) {
  if (process.platform !== 'linux') return undefined;
  // The client's reaped children too: pgbench runs as one (the server, also a child, is reaped only at the end).
  return { client: cpuSecondsOf(process.pid, true), server: serverPid ? cpuSecondsOf(serverPid) : 0, postgres: postgresSeconds() };
}

/** CPU milliseconds per tile for each party between two snapshots. */
function cpuPerTile(before, after, tiles) {
  if (!before || !after || tiles === 0) return undefined;
  const ms = (key) => ((after[key] - before[key]) * 1000) / tiles;
  return { client: ms('client'), server: ms('server'), postgres: ms('postgres') };
}

module.exports = { cpuSnapshot, cpuPerTile };
