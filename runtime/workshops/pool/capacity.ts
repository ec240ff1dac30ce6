/**
 * The host-capacity contract the warm pool and cold joins reserve against.
 * The real model lives in runtime/admission/ (the hardening work); this file
 * only restates its interface so workshops compile without it, plus a small
 * memory-and-session budget that implements it for tests and until that
 * model is wired in runtime/server.ts.
 *
 *   const capacity = budgetCapacity({ totalMemoryMb: 4096, maxSessions: 20 });
 *   const a = capacity.reserve({ memoryMb: 1024, containers: 2 }, { kind: 'pool' });
 *   if (a.ok) a.release();   // when the session is gone
 */
export interface SessionCost { memoryMb: number; containers: number }
export type Admit = { ok: true; release(): void } | { ok: false; retryAfterSeconds: number; reason: string };
export interface Capacity {
  reserve(cost: SessionCost, who: { kind: 'learner' | 'pool'; client?: string }): Admit;
  snapshot(): { usedMemoryMb: number; totalMemoryMb: number; sessions: number; containers: number };
}

/** Admits while the memory budget and the session count hold; each release gives back exactly its own reservation, once. */
export function budgetCapacity(limits: { totalMemoryMb: number; maxSessions: number }): Capacity {
  let usedMemoryMb = 0;
  let sessions = 0;
  let containers = 0;
  return {
    reserve(cost) {
      if (sessions + 1 > limits.maxSessions || usedMemoryMb + cost.memoryMb > limits.totalMemoryMb) {
        // 30 s: about the time a session takes to end or a pool refill to run again.
        return { ok: false, retryAfterSeconds: 30, reason: `the host is full (${sessions} sessions, ${usedMemoryMb} of ${limits.totalMemoryMb} MB)` };
      }
      usedMemoryMb += cost.memoryMb;
      sessions += 1;
      containers += cost.containers;
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          usedMemoryMb -= cost.memoryMb;
          sessions -= 1;
          containers -= cost.containers;
        },
      };
    },
    snapshot: () => ({ usedMemoryMb, totalMemoryMb: limits.totalMemoryMb, sessions, containers }),
  };
}
