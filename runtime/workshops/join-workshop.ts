/**
 * An attendee joining with a code: a seat, then a session — claimed from the
 * warm pool, or started cold (admitted by the host's Capacity) when the pool
 * is empty. The browser keeps a secret (cookie) that proves it took the seat:
 * the same browser rejoining gets the same session back; another browser
 * using the same name is refused, never handed someone else's shell.
 *
 *   const j = await joinWorkshop(deps, { code, displayName }, browserSecret);
 *   // { labId, sessionId, token, browserSecret, origin: 'pool' | 'cold' | 'rejoin' }
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/open-database';
import { HttpError } from '../http/http-error';
import { violatesUnique } from '../db/unique-violation';
import type { Capacity, SessionCost } from './pool/capacity';
import type { WarmPool } from './pool/warm-pool';
import { claimPooledSession } from './pool/claim-session';
import { emailAllowed, workshopState } from './workshop-state';
import type { JoinInput } from './workshop-input';

export interface JoinDeps {
  db: Db;
  sessions: {
    create(labId: string, options: { wait: boolean; booking?: { release(): void } }): Promise<{ view: { id: string; status: string } }>;
    issueToken(id: string): Promise<string>;
    setExpiry(id: string, at: Date): Promise<void>;
  };
  pool: Pick<WarmPool, 'track'>;
  capacity: Capacity;
  costOf(labId: string): Promise<SessionCost>;
  /** Ends standing-pool sessions until a session of this cost fits: attendees come before standing pools. */
  makeRoom?(cost: SessionCost): Promise<boolean>;
  /** Told when the cohort changed (the dashboard refreshes). */
  changed(workshopId: string): void;
  now?: () => Date;
}

export interface Joined {
  workshopId: string;
  labId: string;
  sessionId: string;
  token: string;
  browserSecret: string;
  origin: 'pool' | 'cold' | 'rejoin';
  expiresAt: Date;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

const REFUSALS = {
  'not-open': 'This workshop has not opened yet.',
  closed: 'This workshop has closed.',
  full: 'This workshop is full: every seat is taken.',
} as const;

export async function joinWorkshop(deps: JoinDeps, input: JoinInput, browserSecret: string | null): Promise<Joined> {
  const { db } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const workshop = await db.workshop.findUnique({ where: { joinCode: input.code } });
  if (!workshop) throw new HttpError(404, 'No workshop has this code: check it with your instructor.');
  const labId = (JSON.parse(workshop.labIds) as string[])[0];

  // The same browser again: its own seat and session, whatever the name typed this time.
  if (browserSecret) {
    const mine = await db.attendee.findFirst({ where: { workshopId: workshop.id, browserHash: hash(browserSecret) }, include: { session: true } });
    if (mine?.session) {
      if (now >= workshop.closesAt) throw new HttpError(409, REFUSALS.closed);
      const live = await db.session.findUnique({ where: { id: mine.session.sessionId } });
      // A failed one is still handed back: the player shows why, and its Reset button starts it over.
      if (!live || live.status === 'ended') throw new HttpError(410, 'Your session in this workshop has ended. Ask your instructor.');
      const token = await deps.sessions.issueToken(live.id);
      return { workshopId: workshop.id, labId: mine.session.labId, sessionId: live.id, token, browserSecret, origin: 'rejoin', expiresAt: live.expiresAt };
    }
  }

  const seated = await db.attendee.count({ where: { workshopId: workshop.id } });
  const state = workshopState(workshop, seated, now);
  if (state !== 'open') throw new HttpError(409, REFUSALS[state]);
  if (workshop.askEmail && !input.email) throw new HttpError(400, 'This workshop asks for your email address.');
  if (!emailAllowed(workshop, input.email)) throw new HttpError(403, 'This email address is not on the workshop\'s list of attendees.');

  const secret = randomBytes(32).toString('base64url');
  const attendee = await takeSeat(db, workshop, input, hash(secret));
  try {
    const { sessionId, origin } = await sessionFor(deps, workshop.id, labId, attendee.id);
    const expiresAt = new Date(now.getTime() + workshop.sessionMinutes * 60_000);
    await deps.sessions.setExpiry(sessionId, expiresAt);
    const token = await deps.sessions.issueToken(sessionId);
    deps.changed(workshop.id);
    return { workshopId: workshop.id, labId, sessionId, token, browserSecret: secret, origin, expiresAt };
  } catch (err) {
    // No session, no seat: the next person may have it.
    await db.attendee.delete({ where: { id: attendee.id } }).catch(() => undefined);
    throw err;
  }
}

/** A free seat; the unique (workshop, seat) index makes parallel joins take different ones or fail as full. */
async function takeSeat(db: Db, workshop: { id: string; seats: number }, input: JoinInput, browserHash: string) {
  for (let attempt = 0; attempt < workshop.seats + 1; attempt++) {
    const taken = new Set((await db.attendee.findMany({ where: { workshopId: workshop.id }, select: { seat: true } })).map((a) => a.seat));
    const free = Array.from({ length: workshop.seats }, (_, i) => i + 1).filter((s) => !taken.has(s));
    if (!free.length) throw new HttpError(409, REFUSALS.full);
    // A random free seat: in a join storm, parallel joins mostly aim at different seats instead of all retrying for the first.
    const seat = free[Math.floor(Math.random() * free.length)];
    try {
      return await db.attendee.create({ data: { workshopId: workshop.id, seat, displayName: input.displayName, email: input.email ?? null, browserHash } });
    } catch (err) {
      if (violatesUnique(err, 'Attendee', ['workshopId', 'displayName'])) throw new HttpError(409, `Someone has already joined as “${input.displayName}” from another browser: pick another name.`);
      if (!violatesUnique(err, 'Attendee', ['workshopId', 'seat'])) throw err;
      // Someone took this seat between our read and our write: look again.
    }
  }
  throw new HttpError(409, REFUSALS.full);
}

export async function sessionFor(deps: JoinDeps, workshopId: string, labId: string, attendeeId: string): Promise<{ sessionId: string; origin: 'pool' | 'cold' }> {
  const claimed = await claimPooledSession(deps.db, workshopId, labId, attendeeId);
  if (claimed) return { sessionId: claimed, origin: 'pool' };
  const cost = await deps.costOf(labId);
  let admit = deps.capacity.reserve(cost, { kind: 'learner', client: workshopId });
  if (!admit.ok && deps.makeRoom && await deps.makeRoom(cost)) admit = deps.capacity.reserve(cost, { kind: 'learner', client: workshopId });
  if (!admit.ok) throw new HttpError(503, `No room on this server right now (${admit.reason}): try again in ${admit.retryAfterSeconds} s.`);
  try {
    const { view } = await deps.sessions.create(labId, { wait: false, booking: admit });
    await deps.db.workshopSession.create({ data: { sessionId: view.id, workshopId, labId, origin: 'cold', attendeeId, claimedAt: new Date() } });
    deps.pool.track(view.id, admit.release);
    return { sessionId: view.id, origin: 'cold' };
  } catch (err) {
    admit.release();
    throw err;
  }
}
