/**
 * Admission by capacity: the host has so much memory and so many container
 * slots; each session costs what its nodes may take (their memory limits and
 * their containers). `reserve` checks and books in one synchronous step, so
 * parallel creations can never book more than the host has — JavaScript runs
 * it to the end before any other request is looked at.
 *
 *   const capacity = createCapacity({ totalMemoryMb: 22_528, maxContainers: 64, maxSessions: 50, nextFreeInSeconds: () => 600 });
 *   const admit = capacity.reserve({ memoryMb: 2048, containers: 2 }, { kind: 'learner', client: '203.0.113.9' });
 *   if (!admit.ok) return 429 with Retry-After: admit.retryAfterSeconds and admit.reason
 *   … session ends → admit.release()  (idempotent)
 *
 * The workshops' warm pool books with `kind: 'pool'` through the same call.
 * After a restart the server books every live session again with `restore`,
 * which never refuses: those sessions already exist.
 */
import { totalmem } from 'node:os';
import type { Config } from '../config/config';

export interface SessionCost {
  memoryMb: number;
  containers: number;
}

export interface Who {
  kind: 'learner' | 'pool';
  client?: string;
}

export type Admit = { ok: true; release(): void } | { ok: false; retryAfterSeconds: number; reason: string };

export interface CapacitySnapshot {
  usedMemoryMb: number;
  totalMemoryMb: number;
  sessions: number;
  containers: number;
  maxContainers: number;
}

export interface Capacity {
  /** Atomic: reserves room for one session or says why not. Never over-admits under concurrency. */
  reserve(cost: SessionCost, who: Who): Admit;
  /** Books a session that already exists (re-adoption after a restart); never refuses. */
  restore(cost: SessionCost, who: Who): { release(): void };
  snapshot(): CapacitySnapshot;
}

export interface CapacityOptions {
  totalMemoryMb: number;
  maxContainers: number;
  maxSessions: number;
  /** Seconds until the nearest live session is due to end (its lifetime or idle limit): the Retry-After. */
  nextFreeInSeconds(): number;
}

/** Capacity from the configuration: admission.memoryMb, or the host's memory minus the reserve, times the overcommit. */
export function capacityFromConfig(config: Pick<Config, 'admission' | 'sessions'>, nextFreeInSeconds: () => number): Capacity {
  const a = config.admission;
  const hostMb = a.memoryMb || Math.max(256, Math.floor(totalmem() / 1024 / 1024) - a.reserveMb);
  return createCapacity({
    totalMemoryMb: Math.floor(hostMb * a.memoryOvercommit),
    maxContainers: a.maxContainers,
    maxSessions: config.sessions.maxLive,
    nextFreeInSeconds,
  });
}

export function createCapacity(options: CapacityOptions): Capacity {
  let usedMemoryMb = 0;
  let containers = 0;
  let sessions = 0;

  function book(cost: SessionCost): { release(): void } {
    usedMemoryMb += cost.memoryMb;
    containers += cost.containers;
    sessions += 1;
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        usedMemoryMb -= cost.memoryMb;
        containers -= cost.containers;
        sessions -= 1;
      },
    };
  }

  return {
    reserve(cost, _who) {
      const why = sessions + 1 > options.maxSessions ? `${options.maxSessions} sessions are running`
        : usedMemoryMb + cost.memoryMb > options.totalMemoryMb ? `its memory is taken (${usedMemoryMb} of ${options.totalMemoryMb} MiB booked, this lab needs ${cost.memoryMb})`
        : containers + cost.containers > options.maxContainers ? `its node slots are taken (${containers} of ${options.maxContainers}, this lab needs ${cost.containers})`
        : null;
      if (!why) return { ok: true, ...book(cost) };
      const retryAfterSeconds = Math.max(1, Math.ceil(options.nextFreeInSeconds()));
      const minutes = Math.max(1, Math.round(retryAfterSeconds / 60));
      return { ok: false, retryAfterSeconds, reason: `labdock is full: about ${minutes} minute${minutes === 1 ? '' : 's'} until a place frees up (${why})` };
    },
    restore: (cost) => book(cost),
    snapshot: () => ({ usedMemoryMb, totalMemoryMb: options.totalMemoryMb, sessions, containers, maxContainers: options.maxContainers }),
  };
}
