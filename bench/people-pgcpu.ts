/**
 * CPU seconds used so far by a local PostgreSQL server (postmaster, its live processes and the
 * ones it has reaped), read from /proc: tells how much of a phase's time the server worked.
 * null where the server is not on this machine or /proc cannot be read.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

function stat(pid: number): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name in parentheses
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The postmaster of a backend (the parent process of `backendPid`). */
export function postmasterOf(backendPid: number): number | null {
  const f = stat(backendPid);
  return f ? Number(f[1]) : null;
}

export function serverCpuSeconds(postmaster: number | null): number | null {
  if (postmaster === null) return null;
  const pm = stat(postmaster);
  if (!pm) return null;
  // utime, stime, cutime, cstime are fields 14-17 (here 11-14: the first two are dropped)
  let ticks = Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14]);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const f = stat(Number(d));
    if (f && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / TICK;
}

/** Processes the postmaster has now (its background processes and client backends). */
export function childCount(postmaster: number | null): number {
  if (postmaster === null) return 0;
  let n = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const f = stat(Number(d));
    if (f && Number(f[1]) === postmaster) n++;
  }
  return n;
}

/** Waits (at most 5 s) until the server has no more processes than `n`: exited backends reaped, their CPU counted. */
export async function settled(postmaster: number | null, n: number): Promise<void> {
  for (let i = 0; i < 100 && postmaster !== null && childCount(postmaster) > n; i++)
    await new Promise((r) => setTimeout(r, 50));
}
