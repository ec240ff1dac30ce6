/**
 * Taking a standing-pool session, atomically: a compare-and-set on
 * StandingSession (`UPDATE … WHERE claimedAt IS NULL AND endedAt IS NULL`),
 * the same way a workshop attendee claims a warm session — two browsers
 * racing for one row never both win; the loser tries another. Evicting (to
 * make room for a learner) is the same compare-and-set on endedAt, so a
 * session is either claimed or evicted, never both.
 *
 *   const id = await claimStanding(db, 'intro', { readyOnly: false });   // null: start one cold
 */
import type { Db } from '../db/open-database';

/** Enough tries for every row a standing pool can hold to be taken by someone else first. */
const MAX_TRIES = 32;

export async function claimStanding(db: Db, labId: string, options: { readyOnly: boolean }, now = new Date()): Promise<string | null> {
  for (let i = 0; i < MAX_TRIES; i++) {
    // Ready ones first: a terminal at once; a starting one is still ahead of a cold start.
    const candidate = await candidateOf(db, labId, 'ready') ?? (options.readyOnly ? null : await candidateOf(db, labId, 'starting'));
    if (!candidate) return null;
    const won = await db.standingSession.updateMany({ where: { sessionId: candidate, claimedAt: null, endedAt: null }, data: { claimedAt: now } });
    if (won.count === 1) return candidate;
  }
  return null;
}

/** Gives a claim back (the claimant was refused by its own limits): the session is unclaimed again. */
export async function unclaimStanding(db: Db, sessionId: string): Promise<void> {
  await db.standingSession.updateMany({ where: { sessionId, endedAt: null }, data: { claimedAt: null } });
}

/** Takes an unclaimed session out of the pool for eviction: true if this call won it. */
export async function evictStanding(db: Db, sessionId: string, now = new Date()): Promise<boolean> {
  const won = await db.standingSession.updateMany({ where: { sessionId, claimedAt: null, endedAt: null }, data: { endedAt: now } });
  return won.count === 1;
}

async function candidateOf(db: Db, labId: string, status: string): Promise<string | null> {
  const rows = await db.standingSession.findMany({ where: { labId, claimedAt: null, endedAt: null }, select: { sessionId: true } });
  if (!rows.length) return null;
  const live = await db.session.findMany({ where: { id: { in: rows.map((r) => r.sessionId) }, status }, select: { id: true } });
  // A random pick: parallel starts mostly aim at different rows, so few lose a race and retry.
  return live.length ? live[Math.floor(Math.random() * live.length)].id : null;
}
