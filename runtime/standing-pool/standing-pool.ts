/**
 * Standing pools: for labs that ask for one (front matter `pool: N`, or the
 * server's standingPool.sizes), a few sessions started ahead, so a learner who
 * opens the lab from the catalog gets a claimed session instead of a cold
 * start. One `tick()` (the composition root runs it with the workshops' pool):
 *
 *   - forgets sessions that ended (expired, failed, ended by their learner)
 *     and gives back what they held; the next tick replaces unclaimed ones;
 *   - keeps each lab at its size, standingPool.max over all labs, and keeps
 *     the unclaimed ones from idling out;
 *   - books every session through the host's Capacity like any other, and
 *     only where a learner's session of the same cost would still fit after
 *     it (HEADROOM): the pool never takes the last room.
 *
 * A standing pool never starves live learners: when a learner (or a
 * workshop attendee) would be refused for lack of room, `makeRoom` ends
 * unclaimed standing sessions until their session fits (learners first,
 * workshops' warm pools next, standing pools last).
 *
 *   const standing = createStandingPool({ db, sessions, capacity, clientLimits, sizes, costOf, config });
 *   const { view, token } = await standing.start('intro', { wait: false, client });   // claimed, or cold
 */
import type { Db } from '../db/open-database';
import type { Capacity, SessionCost } from '../admission/capacity';
import type { ClientLimits } from '../admission/client-limits';
import { clientKeys, type ClientIdentity } from '../sessions/session-admission';
import type { SessionView } from '../services';
import { HttpError } from '../http/http-error';
import { claimStanding, evictStanding, unclaimStanding } from './claim-standing';

/** What the standing pool needs of the session service. */
export interface StandingSessions {
  create(labId: string, options: { wait: boolean; client?: ClientIdentity; booking?: { release(): void } }): Promise<{ view: SessionView; token: string }>;
  end(id: string, reason?: string): Promise<void>;
  touch(id: string): void;
  issueToken(id: string): Promise<string>;
  setExpiry(id: string, at: Date): Promise<void>;
  view(id: string): Promise<SessionView | null>;
}

export interface StandingPoolDeps {
  db: Db;
  sessions: StandingSessions;
  capacity: Capacity;
  clientLimits?: ClientLimits;
  /** Each lab's size: its front matter `pool:`, overridden by standingPool.sizes; only labs that can run here. */
  sizes(): Promise<{ labId: string; size: number }[]>;
  costOf(labId: string): Promise<SessionCost>;
  config: { max: number; ttlMinutes: number };
  log?: (message: string) => void;
  now?: () => Date;
}

export function createStandingPool(deps: StandingPoolDeps) {
  const { db, sessions, capacity } = deps;
  const log = deps.log ?? (() => {});
  const now = deps.now ?? (() => new Date());
  /** Per session: the capacity booking (unclaimed) and the claimant's client slot (claimed), released when it is gone. */
  const held = new Map<string, () => void>();
  let refusedReason: string | null = null;
  let running: Promise<void> | null = null;

  const release = (id: string) => {
    held.get(id)?.();
    held.delete(id);
  };

  async function forgetEnded(): Promise<void> {
    const rows = await db.standingSession.findMany({ where: { endedAt: null }, select: { sessionId: true, claimedAt: true } });
    if (!rows.length) return;
    const gone = await db.session.findMany({ where: { id: { in: rows.map((r) => r.sessionId) }, status: { in: ['ended', 'failed'] } }, select: { id: true, status: true } });
    for (const s of gone) {
      const claimed = rows.find((r) => r.sessionId === s.id)?.claimedAt;
      // A learner's failed session stays theirs to reset; an unclaimed failure is ended and replaced.
      if (s.status === 'failed' && claimed) continue;
      if (s.status === 'failed') await sessions.end(s.id, 'failed in the standing pool').catch((e: Error) => log(`ending ${s.id}: ${e.message}`));
      await db.standingSession.update({ where: { sessionId: s.id }, data: { endedAt: now() } });
      release(s.id);
    }
  }

  /** Books a session of this cost only if another one like it would still fit: the last room is a learner's. */
  function reserveWithHeadroom(cost: SessionCost): ReturnType<Capacity['reserve']> {
    const admit = capacity.reserve(cost, { kind: 'pool' });
    if (!admit.ok) return admit;
    const probe = capacity.reserve(cost, { kind: 'learner' });
    if (probe.ok) {
      probe.release();
      return admit;
    }
    admit.release();
    return { ok: false, retryAfterSeconds: probe.retryAfterSeconds, reason: `kept free for learners: ${probe.reason}` };
  }

  async function fill(): Promise<void> {
    refusedReason = null;
    const unclaimed = await db.standingSession.findMany({ where: { claimedAt: null, endedAt: null }, select: { sessionId: true, labId: true } });
    for (const u of unclaimed) sessions.touch(u.sessionId);
    let total = unclaimed.length;
    const sizes = new Map((await deps.sizes()).map((s) => [s.labId, s.size]));
    // A lab whose size went down (or away) gives its extra sessions back.
    for (const u of unclaimed) {
      const mine = unclaimed.filter((x) => x.labId === u.labId);
      if (mine.indexOf(u) >= (sizes.get(u.labId) ?? 0) && await evictStanding(db, u.sessionId, now())) {
        await sessions.end(u.sessionId, 'standing pool shrank').catch((e: Error) => log(`ending ${u.sessionId}: ${e.message}`));
        release(u.sessionId);
        total--;
      }
    }
    for (const [labId, size] of sizes) {
      for (let n = unclaimed.filter((u) => u.labId === labId).length; n < size && total < deps.config.max; n++) {
        const admit = reserveWithHeadroom(await deps.costOf(labId));
        if (!admit.ok) {
          refusedReason = admit.reason;
          return;
        }
        try {
          const { view } = await sessions.create(labId, { wait: false, booking: admit });
          await db.standingSession.create({ data: { sessionId: view.id, labId } });
          held.set(view.id, admit.release);
          total++;
        } catch (err) {
          admit.release();
          refusedReason = (err as Error).message;
          log(`standing pool of ${labId}: ${refusedReason}`);
          return;
        }
      }
    }
  }

  /** Ends unclaimed standing sessions, oldest first, until a session of this cost fits; true if it fits now. */
  async function makeRoom(cost: SessionCost): Promise<boolean> {
    for (;;) {
      const probe = capacity.reserve(cost, { kind: 'learner' });
      if (probe.ok) {
        probe.release();
        return true;
      }
      const victim = await db.standingSession.findFirst({ where: { claimedAt: null, endedAt: null }, orderBy: { createdAt: 'asc' } });
      if (!victim) return false;
      if (!await evictStanding(db, victim.sessionId, now())) continue;
      log(`ended unclaimed ${victim.labId} session ${victim.sessionId} to make room for a learner`);
      await sessions.end(victim.sessionId, 'made room for a learner').catch((e: Error) => log(`ending ${victim.sessionId}: ${e.message}`));
      release(victim.sessionId);
    }
  }

  /** A claimed session becomes the learner's: their client limits, a fresh token and a whole lifetime. */
  async function handOver(id: string, client: ClientIdentity | undefined): Promise<{ view: SessionView; token: string }> {
    const keys = clientKeys(client);
    const slot = deps.clientLimits && keys.length ? await deps.clientLimits.admit(keys) : { ok: true as const, release: () => undefined };
    if (!slot.ok) {
      await unclaimStanding(db, id);
      throw new HttpError(429, slot.reason, { headers: { 'retry-after': String(slot.retryAfterSeconds) }, body: { retryAfterSeconds: slot.retryAfterSeconds } });
    }
    // The capacity booking stays with the session service (freed when the session ends); the pool now holds the client's slot.
    held.set(id, slot.release);
    // Recorded on the session, so a restarted server counts it against this client again.
    await db.session.update({ where: { id }, data: { clientAddress: client?.address ?? null, clientBrowser: client?.browser ?? null } });
    await sessions.setExpiry(id, new Date(now().getTime() + deps.config.ttlMinutes * 60_000));
    const token = await sessions.issueToken(id);
    return { view: (await sessions.view(id))!, token };
  }

  return {
    /** A learner starts a lab: a standing session if one is there (ready ones only when `wait`), else a cold one — with room made for it. */
    async start(labId: string, options: { wait: boolean; client?: ClientIdentity }): Promise<{ view: SessionView; token: string; origin: 'pool' | 'cold' }> {
      const claimed = await claimStanding(db, labId, { readyOnly: options.wait }, now());
      if (claimed) {
        sessions.touch(claimed);
        return { ...await handOver(claimed, options.client), origin: 'pool' };
      }
      // An unknown or unrunnable lab has no cost: create() below says why, with its own status.
      const cost = await deps.costOf(labId).catch(() => null);
      if (cost) await makeRoom(cost).catch((e: Error) => log(`making room: ${e.message}`));
      return { ...await sessions.create(labId, options), origin: 'cold' };
    },
    makeRoom,
    tick(): Promise<void> {
      running ??= (async () => {
        await forgetEnded();
        await fill();
      })().finally(() => { running = null; });
      return running;
    },
    async settle(): Promise<void> {
      await running?.catch(() => undefined);
    },
    async status() {
      const rows = await db.standingSession.findMany({ where: { endedAt: null }, select: { labId: true, claimedAt: true } });
      return { unclaimed: rows.filter((r) => !r.claimedAt).length, claimed: rows.filter((r) => r.claimedAt).length, refusedReason };
    },
  };
}

export type StandingPool = ReturnType<typeof createStandingPool>;
