/**
 * Moving an attendee on to the workshop's next lab: their current session
 * ends (its step events stay, for the results), and a session of the next lab
 * is claimed from a pool or started cold, lasting as long as the old one had
 * left.
 *
 *   const moved = await nextLab(deps, workshopId, attendeeId);
 *   // { labId: 'registry-basics', sessionId, token, expiresAt }
 */
import { HttpError } from '../http/http-error';
import { sessionFor, type JoinDeps } from './join-workshop';

export interface NextLabDeps extends JoinDeps {
  sessions: JoinDeps['sessions'] & {
    end(id: string, reason?: string): Promise<void>;
    view(id: string): Promise<{ expiresAt: string; status: string } | null>;
  };
}

/** The lab after the attendee's current one, or null at the last. */
export function labAfter(labIds: string[], current: string): string | null {
  const i = labIds.indexOf(current);
  return i >= 0 && i + 1 < labIds.length ? labIds[i + 1] : null;
}

export async function nextLab(deps: NextLabDeps, workshopId: string, attendeeId: string) {
  const { db } = deps;
  const workshop = await db.workshop.findUnique({ where: { id: workshopId } });
  const current = await db.workshopSession.findFirst({ where: { workshopId, attendeeId } });
  if (!workshop || !current) throw new HttpError(404, 'no such attendee session');
  if (new Date() >= workshop.closesAt) throw new HttpError(409, 'This workshop has closed.');
  const next = labAfter(JSON.parse(workshop.labIds) as string[], current.labId);
  if (!next) throw new HttpError(409, 'This is the workshop\'s last lab.');
  const old = await deps.sessions.view(current.sessionId);
  const expiresAt = new Date(Math.max(Date.parse(old?.expiresAt ?? ''), Date.now() + 5 * 60_000) || Date.now() + workshop.sessionMinutes * 60_000);
  // Free the attendee's one session slot first (attendeeId is unique), then end the old session.
  await db.workshopSession.update({ where: { sessionId: current.sessionId }, data: { attendeeId: null, endedAt: new Date() } });
  await deps.sessions.end(current.sessionId, 'moved on to the next lab').catch(() => undefined);
  const { sessionId } = await sessionFor(deps, workshopId, next, attendeeId);
  await deps.sessions.setExpiry(sessionId, expiresAt);
  const token = await deps.sessions.issueToken(sessionId);
  deps.changed(workshopId);
  return { labId: next, sessionId, token, expiresAt };
}
