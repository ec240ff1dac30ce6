/**
 * "The learner saw this hint": the player reports each failed check's message
 * it put in front of an attendee (record-step-event.ts keeps the checks). A
 * report counts only when it names the hint of the step's latest check, that
 * check failed, and no hint was counted for it yet — so a page cannot inflate
 * the count, and a reload that shows the same result again adds nothing.
 *
 *   await recordHint(deps, sessionId, 'push', 'no image pushed yet');   // true: counted
 */
import type { Db } from '../db/open-database';

export async function recordHint(deps: { db: Db; changed(workshopId: string): void }, sessionId: string, stepId: string, message: string): Promise<boolean> {
  const { db } = deps;
  const owner = await db.workshopSession.findUnique({ where: { sessionId } });
  if (!owner?.attendeeId) return false;
  const latest = await db.checkResult.findFirst({ where: { sessionId, stepId }, orderBy: { id: 'desc' } });
  if (!latest || latest.passed || latest.message.slice(0, 2000) !== message.slice(0, 2000)) return false;
  const counted = await db.stepEvent.count({ where: { sessionId, stepId, kind: 'hint', createdAt: { gte: latest.createdAt } } });
  if (counted) return false;
  await db.stepEvent.create({
    data: { workshopId: owner.workshopId, attendeeId: owner.attendeeId, sessionId, labId: owner.labId, stepId, kind: 'hint', passed: false, message: message.slice(0, 2000) },
  });
  deps.changed(owner.workshopId);
  return true;
}
