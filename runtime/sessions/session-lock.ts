/**
 * One operation at a time per key: a session's reset, end and solve run one
 * after another, never interleaved (two resets at once used to race on the
 * session's network: "network has active endpoints").
 *
 *   const lock = createKeyedLock();
 *   await lock.run(sessionId, () => reset(sessionId));
 *
 * A failing operation releases the key like a succeeding one; keys with no one
 * waiting are forgotten, so the map holds only busy sessions.
 */
export function createKeyedLock() {
  const tails = new Map<string, Promise<void>>();
  return {
    async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      await previous;
      try {
        return await fn();
      } finally {
        done();
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    busy: (key: string) => tails.has(key),
  };
}

/** At most `limit` operations at once per key; the next one is refused (the caller answers 429), not queued. */
export function createKeyedLimit(limit: number) {
  const running = new Map<string, number>();
  return {
    tryEnter(key: string): (() => void) | null {
      const n = running.get(key) ?? 0;
      if (n >= limit) return null;
      running.set(key, n + 1);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        const m = (running.get(key) ?? 1) - 1;
        if (m > 0) running.set(key, m);
        else running.delete(key);
      };
    },
  };
}
