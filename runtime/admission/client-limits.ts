/**
 * Per-client limits on starting sessions: how many live sessions one client
 * holds, and how many it may start per minute. A client is known by its
 * address and, for browsers, by a random id in a cookie: each key is limited
 * on its own, so clearing cookies does not escape the address limit and a
 * shared NAT address still lets each browser be told apart in its count.
 *
 *   const limits = createClientLimits({ liveSessionsPerClient: 3, creationsPerMinute: 10 });
 *   const slot = await limits.admit(['addr:203.0.113.9', 'browser:Q2x…']);
 *   if (!slot.ok) → 429 Retry-After: slot.retryAfterSeconds, slot.reason
 *   … the session ends → slot.release()
 *
 * Creations per minute use rate-limiter-flexible's memory limiter (a fixed
 * one-minute window per key). Live counts are booked synchronously before the
 * first await, so parallel requests of one client cannot all slip through.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export type ClientSlot = { ok: true; release(): void } | { ok: false; retryAfterSeconds: number; reason: string };

export interface ClientLimitOptions {
  liveSessionsPerClient: number;
  creationsPerMinute: number;
}

export function createClientLimits(options: ClientLimitOptions) {
  const live = new Map<string, number>();
  const perMinute = new RateLimiterMemory({ points: options.creationsPerMinute, duration: 60 });

  function book(keys: string[]): () => void {
    for (const k of keys) live.set(k, (live.get(k) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const k of keys) {
        const n = (live.get(k) ?? 1) - 1;
        if (n > 0) live.set(k, n);
        else live.delete(k);
      }
    };
  }

  return {
    async admit(keys: string[]): Promise<ClientSlot> {
      const unique = [...new Set(keys)];
      const full = unique.find((k) => (live.get(k) ?? 0) >= options.liveSessionsPerClient);
      if (full) {
        return { ok: false, retryAfterSeconds: 60, reason: `you already have ${options.liveSessionsPerClient} sessions running: end one (or let it expire) before starting another` };
      }
      const release = book(unique);
      try {
        for (const k of unique) await perMinute.consume(k);
        return { ok: true, release };
      } catch (err) {
        release();
        if (!(err instanceof RateLimiterRes)) throw err;
        const retryAfterSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        return { ok: false, retryAfterSeconds, reason: `too many sessions started from here: at most ${options.creationsPerMinute} a minute, try again in ${retryAfterSeconds} s` };
      }
    },

    /** Books a session that already exists (after a restart); never refuses, never counts against the rate. */
    restore(keys: string[]): () => void {
      return book([...new Set(keys)]);
    },

    liveCount: (key: string) => live.get(key) ?? 0,
  };
}

export type ClientLimits = ReturnType<typeof createClientLimits>;
