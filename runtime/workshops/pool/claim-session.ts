/**
 * Claiming a warm session for an attendee, atomically: a compare-and-set on
 * WorkshopSession.attendeeId (`UPDATE … WHERE attendeeId IS NULL`), so two
 * joins racing for the same row never both win — the loser tries the next
 * row. Works the same on SQLite and PostgreSQL (no row locks needed).
 *
 *   const sessionId = await claimPooledSession(db, workshop.id, 'intro', attendee.id);
 *   // null: the pool is empty, start one cold
 */
import type { Db } from '../../db/open-database';

/** Enough tries for every row a pool can hold to be taken by someone else first. */
const MAX_TRIES = 64;

export async function claimPooledSession(db: Db, workshopId: string, labId: string, attendeeId: string, now = new Date()): Promise<string | null> {
  for (let i = 0; i < MAX_TRIES; i++) {
    // Ready sessions first: the attendee gets a terminal at once; a starting one is still faster than cold.
    const candidate = await nextCandidate(db, workshopId, labId, 'ready') ?? await nextCandidate(db, workshopId, labId, 'starting');
    if (!candidate) return null;
    const won = await db.workshopSession.updateMany({
      where: { sessionId: candidate, attendeeId: null, endedAt: null },
      data: { attendeeId, claimedAt: now },
    });
    if (won.count === 1) return candidate;
  }
  return null;
}

async function nextCandidate(db: Db, workshopId: string, labId: string, status: string): Promise<string | null> {
  const ids = await db.workshopSession.findMany({
    where: { workshopId, labId, attendeeId: null, endedAt: null, origin: 'pool' },
    select: { sessionId: true },
    orderBy: { createdAt: 'asc' },
  });
  if (!ids.length) return null;
  const live = await db.session.findMany({ where: { id: { in: ids.map((r) => r.sessionId) }, status }, select: { id: true } });
  // A random pick: parallel joins mostly aim at different rows, so few lose a race and retry.
  return live.length ? live[Math.floor(Math.random() * live.length)].id : null;
}
