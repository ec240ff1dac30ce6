/**
 * Host process bookkeeping for local nodes, read from /proc.
 *
 * Why stopping is done "members first": a shell or command enters its sandbox
 * through `nsenter --pid`, which forks the real child into the sandbox's PID
 * namespace and waits for it. If nsenter dies first, that child is re-parented
 * to the *host's* init, and the sandbox's namespace cannot finish tearing down
 * until the host's init reaps it (seconds on some hosts). So we signal the
 * processes nsenter leads, let nsenter reap its child and exit by itself, and
 * only then (or after a grace period) signal nsenter.
 *
 *   const stat = processStat(pid);            // { startTime, pgrp, session } or null
 *   signalMembers(leader, 'session', 'SIGHUP');
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessStat {
  /** Clock ticks since boot when it started: a reused pid has another. */
  startTime: string;
  pgrp: number;
  session: number;
}

export function processStat(pid: number): ProcessStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that ends the command name, which may itself hold spaces: state is [0].
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgrp: Number(f[2]), session: Number(f[3]), startTime: f[19] ?? '' };
  } catch {
    return null;
  }
}

/** Sends `signal` to every process of `leader`'s process group or session, except the leader. Returns how many. */
export function signalMembers(leader: number, by: 'pgrp' | 'session', signal: NodeJS.Signals): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === leader) continue;
    const stat = processStat(pid);
    if (stat?.[by] === leader && signalPid(pid, signal)) count++;
  }
  return count;
}

/** process.kill that tells instead of throwing when the process is already gone. */
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function isRunning(pid: number): boolean {
  return processStat(pid) !== null;
}

/** Resolves once the process is gone, or after `timeoutMs`; says which. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

export function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}
