/**
 * The warm pool: sessions started before attendees arrive, so joining is a
 * claim, not a cold start. One `tick()` (run every few seconds by the
 * composition root) brings every workshop to its target:
 *
 *   - warming (from opensAt − poolLeadMinutes, or once the instructor asked,
 *     until closesAt): keep unclaimed live sessions of the first lab for the
 *     free seats, and of each next lab for the attendees nearly through the
 *     lab before it (pool-targets.ts), poolMax in all, each admitted by the
 *     host's Capacity — never more than fits;
 *   - closed: end every unclaimed session;
 *   - always: forget sessions that ended (expired, failed, reaped) and give
 *     their capacity back, so the next tick replaces them.
 *
 *   const pool = createWarmPool({ db, sessions, capacity, costOf, config });
 *   await pool.tick();
 *   pool.track(sessionId, admit.release);   // a cold session's reservation
 */
import type { Db } from '../../db/open-database';
import type { Capacity, SessionCost } from './capacity';
import { poolTargets } from './pool-targets';

/** What the pool needs from the session service. */
export interface PoolSessions {
  /** `booking`: the pool's reservation, which the session service then holds and releases when the session ends. */
  create(labId: string, options: { wait: boolean; booking?: { release(): void } }): Promise<{ view: { id: string } }>;
  end(id: string, reason?: string): Promise<void>;
  touch(id: string): void;
}

export interface WarmPoolDeps {
  db: Db;
  sessions: PoolSessions;
  capacity: Capacity;
  costOf(labId: string): Promise<SessionCost>;
  config: { poolMax: number };
  /** Ends standing-pool sessions until a session of this cost fits: a workshop's pool comes before standing pools. */
  makeRoom?(cost: SessionCost): Promise<boolean>;
  /** How many steps a lab has (warming a workshop's next lab ahead of attendees nearly through the one before); absent: only the first lab is warmed. */
  stepsOf?(labId: string): Promise<number>;
  log?: (message: string) => void;
  now?: () => Date;
}

export interface PoolStatus { warm: number; claimed: number; refusedReason: string | null }

export function createWarmPool(deps: WarmPoolDeps) {
  const { db, sessions, capacity } = deps;
  const log = deps.log ?? (() => {});
  const now = deps.now ?? (() => new Date());
  /** Capacity reservations by session id, released when the session is gone. */
  const held = new Map<string, () => void>();
  const refused = new Map<string, string>();
  let running: Promise<void> | null = null;

  function release(sessionId: string): void {
    held.get(sessionId)?.();
    held.delete(sessionId);
  }

  async function forgetEnded(): Promise<void> {
    const rows = await db.workshopSession.findMany({ where: { endedAt: null }, select: { sessionId: true, attendeeId: true } });
    if (!rows.length) return;
    const gone = await db.session.findMany({
      where: { id: { in: rows.map((r) => r.sessionId) }, status: { in: ['ended', 'failed'] } },
      select: { id: true, status: true },
    });
    for (const s of gone) {
      // A failed start removed what it made, so its capacity is free either way.
      release(s.id);
      const claimed = rows.find((r) => r.sessionId === s.id)?.attendeeId;
      // A claimed session that failed stays the attendee's: the instructor may reset it.
      if (s.status === 'failed' && claimed) continue;
      if (s.status === 'failed') await sessions.end(s.id, 'failed in the pool').catch((e: Error) => log(`ending failed ${s.id}: ${e.message}`));
      await db.workshopSession.update({ where: { sessionId: s.id }, data: { endedAt: now() } });
    }
  }

  async function tearDown(workshopId: string): Promise<void> {
    const warm = await db.workshopSession.findMany({ where: { workshopId, attendeeId: null, endedAt: null } });
    for (const w of warm) {
      await sessions.end(w.sessionId, 'workshop closed').catch((e: Error) => log(`tearing down ${w.sessionId}: ${e.message}`));
      await db.workshopSession.update({ where: { sessionId: w.sessionId }, data: { endedAt: now() } });
      release(w.sessionId);
    }
    if (warm.length) log(`workshop ${workshopId} closed: ended ${warm.length} unclaimed session(s)`);
  }

  async function fill(workshop: { id: string; labIds: string; seats: number }): Promise<void> {
    const warm = await db.workshopSession.findMany({ where: { workshopId: workshop.id, attendeeId: null, endedAt: null, origin: 'pool' }, select: { sessionId: true, labId: true } });
    // Keep warm sessions alive: the idle reaper must not end what nobody has claimed yet.
    for (const w of warm) sessions.touch(w.sessionId);
    refused.delete(workshop.id);
    const stepsOf = deps.stepsOf ?? (async () => 0);
    for (const { labId, count } of await poolTargets({ db, stepsOf }, workshop, deps.config.poolMax)) {
      for (let n = warm.filter((w) => w.labId === labId).length; n < count; n++) {
        if (!await startOne(workshop.id, labId)) return;
      }
    }
  }

  /** One warm session of a lab, if the host has room: false (and the reason kept) when it has not. */
  async function startOne(workshopId: string, labId: string): Promise<boolean> {
    const cost = await deps.costOf(labId);
    let admit = capacity.reserve(cost, { kind: 'pool', client: workshopId });
    if (!admit.ok && deps.makeRoom && await deps.makeRoom(cost)) admit = capacity.reserve(cost, { kind: 'pool', client: workshopId });
    if (!admit.ok) {
      refused.set(workshopId, admit.reason);
      return false;
    }
    try {
      const { view } = await sessions.create(labId, { wait: false, booking: admit });
      await db.workshopSession.create({ data: { sessionId: view.id, workshopId, labId, origin: 'pool' } });
      held.set(view.id, admit.release);
      return true;
    } catch (err) {
      admit.release();
      refused.set(workshopId, (err as Error).message);
      log(`warming ${workshopId}: ${(err as Error).message}`);
      return false;
    }
  }

  async function tickOnce(): Promise<void> {
    await forgetEnded();
    const t = now();
    const open = await db.workshop.findMany({ where: { closesAt: { gt: t } } });
    for (const w of open) {
      const warmFrom = new Date(w.opensAt.getTime() - w.poolLeadMinutes * 60_000);
      if (t >= warmFrom || w.poolRequestedAt) await fill(w);
    }
    // Closed workshops that still hold unclaimed sessions.
    const closed = await db.workshop.findMany({
      where: { closesAt: { lte: t }, sessions: { some: { attendeeId: null, endedAt: null } } },
      select: { id: true },
    });
    for (const w of closed) await tearDown(w.id);
  }

  return {
    /** One pass over every workshop; overlapping calls share the pass in flight. */
    tick(): Promise<void> {
      running ??= tickOnce().finally(() => { running = null; });
      return running;
    },
    /** Resolves when no pass is in flight (shutdown: no session is started after the server stops). */
    async settle(): Promise<void> {
      await running?.catch(() => undefined);
    },
    /** Holds a reservation made outside the pool (a cold join) until its session is gone. */
    track(sessionId: string, release: () => void): void {
      held.set(sessionId, release);
    },
    async status(workshopId: string): Promise<PoolStatus> {
      const rows = await db.workshopSession.findMany({ where: { workshopId, endedAt: null }, select: { attendeeId: true } });
      return { warm: rows.filter((r) => !r.attendeeId).length, claimed: rows.filter((r) => r.attendeeId).length, refusedReason: refused.get(workshopId) ?? null };
    },
  };
}

export type WarmPool = ReturnType<typeof createWarmPool>;
