/**
 * Booking a session's room before anything of it exists: the client's limits
 * (live sessions, starts per minute) and then the host's capacity, so a full
 * server answers 429 and never leaves a half-started session. Holds each live
 * session's booking until it ends, and knows when the nearest one is due to
 * end — the Retry-After a refused learner is given.
 *
 *   const admission = createSessionAdmission({ capacity, clientLimits, idleMinutes: 30, now });
 *   const booking = await admission.admit(cost, { address: '203.0.113.9' });   // or throws HttpError 429
 *   admission.hold(id, booking, expiresAt);  …  admission.release(id);
 */
import { HttpError } from '../http/http-error';
import type { Capacity, SessionCost } from '../admission/capacity';
import type { ClientLimits } from '../admission/client-limits';

export interface ClientIdentity {
  /** The connection's address (or the proxy's X-Forwarded-For hop when server.trustProxy). */
  address?: string | null;
  /** The browser's random id cookie, when it has one. */
  browser?: string | null;
}

export interface Booking {
  release(): void;
}

export interface SessionAdmissionDeps {
  capacity: Capacity;
  clientLimits?: ClientLimits;
  idleMinutes: number;
  now(): Date;
}

export function clientKeys(client: ClientIdentity | undefined): string[] {
  return [...(client?.address ? [`addr:${client.address}`] : []), ...(client?.browser ? [`browser:${client.browser}`] : [])];
}

export function createSessionAdmission(deps: SessionAdmissionDeps) {
  const live = new Map<string, { expiresAt: number; lastActive: number; booking: Booking }>();

  const full = (retryAfterSeconds: number, reason: string) =>
    new HttpError(429, reason, { headers: { 'retry-after': String(retryAfterSeconds) }, body: { retryAfterSeconds } });

  return {
    /** Books room for one session or throws HttpError 429 with Retry-After. */
    async admit(cost: SessionCost, client: ClientIdentity | undefined, kind: 'learner' | 'pool' = 'learner'): Promise<Booking> {
      const keys = clientKeys(client);
      const slot = deps.clientLimits && keys.length ? await deps.clientLimits.admit(keys) : { ok: true as const, release: () => undefined };
      if (!slot.ok) throw full(slot.retryAfterSeconds, slot.reason);
      // Synchronous from here to the booking: no other request can be admitted in between.
      const room = deps.capacity.reserve(cost, { kind, client: keys[0] });
      if (!room.ok) {
        slot.release();
        throw full(room.retryAfterSeconds, room.reason);
      }
      return { release: () => (room.release(), slot.release()) };
    },

    /** A booking for a session that already runs (re-adoption): never refused. */
    restore(cost: SessionCost, client: ClientIdentity | undefined): Booking {
      const room = deps.capacity.restore(cost, { kind: 'learner' });
      const releaseClient = deps.clientLimits?.restore(clientKeys(client)) ?? (() => undefined);
      return { release: () => (room.release(), releaseClient()) };
    },

    hold(id: string, booking: Booking, expiresAt: Date, lastActive = deps.now()): void {
      live.set(id, { expiresAt: expiresAt.getTime(), lastActive: lastActive.getTime(), booking });
    },

    touch(id: string, at: number): void {
      const entry = live.get(id);
      if (entry) entry.lastActive = at;
    },

    release(id: string): void {
      live.get(id)?.booking.release();
      live.delete(id);
    },

    /** Seconds until the nearest live session reaches its lifetime or idle limit (at least 60 when none). */
    nextFreeInSeconds(): number {
      const t = deps.now().getTime();
      let soonest = Infinity;
      for (const e of live.values()) soonest = Math.min(soonest, e.expiresAt, e.lastActive + deps.idleMinutes * 60_000);
      return soonest === Infinity ? 60 : Math.max(1, Math.ceil((soonest - t) / 1000));
    },
  };
}

export type SessionAdmission = ReturnType<typeof createSessionAdmission>;
