/**
 * Workshops for route handlers: one object the composition root builds from
 * the session service, the warm pool, the host's Capacity and the database.
 * Route handlers authorize the instructor (workshop-access.ts) and call in.
 *
 *   const workshops = createWorkshopService({ db, labs, sessions, capacity, config, log });
 *   await workshops.join({ code, displayName }, browserSecret);
 *   workshops.events.on(id, push);
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/open-database';
import type { LabCatalog } from '../services';
import type { SessionService } from '../sessions/session-service';
import { HttpError } from '../http/http-error';
import type { Capacity, SessionCost } from './pool/capacity';
import { createWarmPool } from './pool/warm-pool';
import { createWorkshopEvents } from './workshop-events';
import { createWorkshop, updateWorkshop } from './create-workshop';
import { joinWorkshop } from './join-workshop';
import { labAfter, nextLab } from './next-lab';
import { recordStepEvent } from './record-step-event';
import { recordHint } from './record-hint';
import { loadDashboard } from './load-dashboard';
import { workshopResults } from './export-results';
import { workshopState } from './workshop-state';
import { can } from './workshop-access';
import { createJoinLimits, type JoinLimitOptions } from './join-limits';
import type { JoinInput, WorkshopInput } from './workshop-input';

/** What one "extend" adds: a quarter hour, enough to finish a step. */
export const EXTEND_MINUTES = 15;

export interface WorkshopServiceDeps {
  db: Db;
  labs: LabCatalog;
  sessions: SessionService;
  capacity: Capacity;
  costOf(labId: string): Promise<SessionCost>;
  config: { poolMax: number } & Partial<JoinLimitOptions>;
  /** Ends standing-pool sessions until a session of this cost fits (attendees come before standing pools); absent: nothing to give way. */
  makeRoom?(cost: SessionCost): Promise<boolean>;
  log?: (message: string) => void;
}

export function createWorkshopService(deps: WorkshopServiceDeps) {
  const { db, labs, sessions } = deps;
  const events = createWorkshopEvents();
  const changed = (id: string) => events.emit(id);
  /** Sessions an instructor is watching right now (in-process, like the terminals themselves). */
  const watched = new Set<string>();
  const joinLimits = createJoinLimits({
    joinMissesPerAddress: deps.config.joinMissesPerAddress ?? 10, missWindowMinutes: deps.config.missWindowMinutes ?? 10,
    joinsPerAddressPerMinute: deps.config.joinsPerAddressPerMinute ?? 120, joinsPerCodePerMinute: deps.config.joinsPerCodePerMinute ?? 300,
  });
  const pool = createWarmPool({
    db, sessions, capacity: deps.capacity, costOf: deps.costOf, config: deps.config, log: deps.log, makeRoom: deps.makeRoom,
    stepsOf: async (labId) => (await labs.get(labId))?.steps.length ?? 0,
  });

  async function attendeeSession(workshopId: string, attendeeId: string) {
    const a = await db.attendee.findFirst({ where: { id: attendeeId, workshopId }, include: { session: true } });
    if (!a?.session) throw new HttpError(404, 'no such attendee session');
    return a.session;
  }

  return {
    events,
    pool,
    list: (who: { id: string; role: string }) =>
      db.workshop.findMany({ where: who.role === 'admin' ? {} : { ownerId: who.id }, orderBy: { opensAt: 'desc' } }),
    find: (id: string) => db.workshop.findUnique({ where: { id } }),
    /** The workshop with this join code, for someone at `address`: rate-limited (join-limits.ts), throws HttpError 429. */
    lookupCode: (address: string | null, code: string) =>
      joinLimits.lookup(address, code, () => db.workshop.findUnique({ where: { joinCode: code.toUpperCase() } })),
    async state(w: { id: string; opensAt: Date; closesAt: Date; seats: number }) {
      return workshopState(w, await db.attendee.count({ where: { workshopId: w.id } }), new Date());
    },
    create: (ownerId: string, input: WorkshopInput) => createWorkshop({ db, labs }, ownerId, input),
    async update(id: string, input: WorkshopInput) {
      const w = await updateWorkshop({ db, labs }, id, input);
      changed(id);
      return w;
    },
    /** Warm the pool now rather than at the lead time. */
    async warmNow(id: string) {
      await db.workshop.update({ where: { id }, data: { poolRequestedAt: new Date() } });
      await pool.tick();
      return pool.status(id);
    },
    join: (input: JoinInput, browserSecret: string | null) =>
      joinWorkshop({ db, sessions, pool, capacity: deps.capacity, costOf: deps.costOf, makeRoom: deps.makeRoom, changed }, input, browserSecret),
    /** The attendee this browser secret belongs to, in this workshop (null for anyone else). */
    async attendeeOf(workshopId: string, browserSecret: string | null) {
      if (!browserSecret) return null;
      const browserHash = createHash('sha256').update(browserSecret).digest('hex');
      return db.attendee.findFirst({ where: { workshopId, browserHash } });
    },
    recordCheck: (sessionId: string, stepId: string, outcome: { passed: boolean; message: string }) => recordStepEvent({
      db, changed,
      isAutoStep: async (labId, step) => !!(await labs.get(labId))?.steps.find((s) => s.id === step)?.autoCheck,
    }, sessionId, stepId, outcome),
    /** The player showed the learner this failed check's hint (counted once per check, only for an attendee's session). */
    recordHint: (sessionId: string, stepId: string, message: string) => recordHint({ db, changed }, sessionId, stepId, message),
    dashboard: (id: string) => loadDashboard({ db, labs }, id),
    results: (id: string) => workshopResults({ db, labs }, id),
    /** What an attendee's player shows: the broadcast, and whether an instructor is watching their shell. */
    async attendeeView(workshopId: string, attendeeId: string) {
      const w = await db.workshop.findUnique({ where: { id: workshopId } });
      const ws = await db.workshopSession.findUnique({ where: { attendeeId } });
      const after = w && ws ? labAfter(JSON.parse(w.labIds) as string[], ws.labId) : null;
      const nextTitle = after ? (await labs.get(after))?.meta.title ?? after : null;
      return {
        message: w?.broadcast ?? null, at: w?.broadcastAt?.toISOString() ?? null, watched: !!ws && watched.has(ws.sessionId), mayExtend: !!w?.mayExtend,
        nextLab: after ? { id: after, title: nextTitle } : null,
      };
    },
    /** The attendee moves on to the workshop's next lab. */
    nextLab: (workshopId: string, attendeeId: string) =>
      nextLab({ db, sessions, pool, capacity: deps.capacity, costOf: deps.costOf, makeRoom: deps.makeRoom, changed }, workshopId, attendeeId),
    /** An attendee extends their own session, where the workshop allows it: a quarter hour, never past the workshop's close. */
    async extendOwn(workshopId: string, attendeeId: string): Promise<{ expiresAt: string }> {
      const w = await db.workshop.findUnique({ where: { id: workshopId } });
      if (!w?.mayExtend) throw new HttpError(403, 'this workshop does not let attendees extend their sessions');
      const ws = await attendeeSession(workshopId, attendeeId);
      const s = await sessions.view(ws.sessionId);
      if (!s || s.status === 'ended' || s.status === 'failed') throw new HttpError(409, 'your session has ended');
      const current = Date.parse(s.expiresAt);
      const next = Math.min(Math.max(current, Date.now()) + EXTEND_MINUTES * 60_000, w.closesAt.getTime());
      if (next <= current) throw new HttpError(409, 'your session already lasts until the workshop closes');
      await sessions.setExpiry(ws.sessionId, new Date(next));
      changed(workshopId);
      return { expiresAt: new Date(next).toISOString() };
    },
    /** May this instructor watch this session's node? Only sessions claimed in a workshop they may view, once ready. */
    async authorizeWatch(who: { id: string; role: string } | null, sessionId: string, node: string): Promise<{ ok: true } | { ok: false; code: number; reason: string }> {
      const ws = /^[a-f0-9]{12}$/.test(sessionId) ? await db.workshopSession.findUnique({ where: { sessionId }, include: { workshop: true } }) : null;
      // 4401 for all of these: a session id outside your workshops reveals nothing.
      if (!who || !ws?.attendeeId || !can(who, 'view', ws.workshop)) return { ok: false, code: 4401, reason: 'no such session' };
      const view = await sessions.view(sessionId);
      if (view?.status !== 'ready') return { ok: false, code: 4000, reason: `session is ${view?.status ?? 'gone'}` };
      if (!view.nodes.some((n) => n.name === node)) return { ok: false, code: 4404, reason: `no node ${node}` };
      return { ok: true };
    },
    async setWatchers(sessionId: string, count: number) {
      if (count > 0) watched.add(sessionId);
      else watched.delete(sessionId);
      const ws = await db.workshopSession.findUnique({ where: { sessionId } });
      if (ws) changed(ws.workshopId);
    },
    async broadcast(id: string, message: string) {
      await db.workshop.update({ where: { id }, data: { broadcast: message || null, broadcastAt: new Date() } });
      changed(id);
    },
    async act(workshopId: string, attendeeId: string, action: 'extend' | 'reset' | 'end') {
      const ws = await attendeeSession(workshopId, attendeeId);
      if (action === 'extend') {
        const s = await sessions.view(ws.sessionId);
        if (!s || s.status === 'ended') throw new HttpError(409, 'that session has ended');
        await sessions.setExpiry(ws.sessionId, new Date(Math.max(Date.parse(s.expiresAt), Date.now()) + EXTEND_MINUTES * 60_000));
      } else if (action === 'reset') {
        await sessions.reset(ws.sessionId);
        // Progress starts over with the nodes, on the dashboard too.
        await db.stepEvent.deleteMany({ where: { sessionId: ws.sessionId } });
      } else {
        // The pool's next tick marks it ended and gives its capacity back.
        await sessions.end(ws.sessionId, 'ended by the instructor');
      }
      changed(workshopId);
    },
  };
}

export type WorkshopService = ReturnType<typeof createWorkshopService>;
