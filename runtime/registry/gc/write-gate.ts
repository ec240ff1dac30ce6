/**
 * The registry's read-only switch. Every write that reaches storage (a push,
 * a tag or repository delete) passes through the gate; garbage collection
 * closes it, waits until writes have stopped, and opens it again when done —
 * Distribution's collector must not run while blobs are being uploaded, or it
 * could delete a layer whose manifest has not arrived yet.
 *
 *   const gate = createWriteGate();
 *   if (!gate.enter()) refuse('read-only'); try { await write(); } finally { gate.leave(); }
 *   await gate.close(60_000); try { collect(); } finally { gate.open(); }
 */
export interface WriteGate {
  readonly readOnly: boolean;
  /** False while read-only: the caller refuses the write. */
  enter(): boolean;
  leave(): void;
  /** Goes read-only, then resolves once no write has been in flight for `quietMs`; rejects (and reopens) after `timeoutMs`. */
  close(timeoutMs: number, quietMs?: number): Promise<void>;
  open(): void;
}

/**
 * A push is many requests (one per blob, then the manifest); between them no
 * write is in flight. A second of quiet after the last one is what we take as
 * "the pushes that were under way have finished".
 */
const QUIET_MS = 1000;

export function createWriteGate(): WriteGate {
  let readOnly = false;
  let active = 0;
  let lastWrite = 0;
  return {
    get readOnly() {
      return readOnly;
    },
    enter() {
      if (readOnly) return false;
      active++;
      return true;
    },
    leave() {
      active = Math.max(0, active - 1);
      lastWrite = Date.now();
    },
    async close(timeoutMs, quietMs = QUIET_MS) {
      readOnly = true;
      const until = Date.now() + timeoutMs;
      while (active > 0 || Date.now() - lastWrite < quietMs) {
        if (Date.now() > until) {
          readOnly = false;
          throw new Error(`writes did not stop within ${Math.round(timeoutMs / 1000)} s`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    open() {
      readOnly = false;
    },
  };
}
