/**
 * Keeping a workshop's step events: the session service tells us of every
 * check; a check in a session claimed by an attendee becomes a StepEvent
 * (kept after the session ends, for the results).
 *
 *   sessions onCheck: (id, step, outcome) => recordStepEvent(deps, id, step, outcome)
 */
import type { Db } from '../db/open-database';

export interface RecordDeps {
  db: Db;
  changed(workshopId: string): void;
  /** Steps marked `auto` are re-checked by the player every few seconds: their failures are polling, not attempts. */
  isAutoStep(labId: string, stepId: string): Promise<boolean>;
}

export async function recordStepEvent(deps: RecordDeps, sessionId: string, stepId: string, outcome: { passed: boolean; message: string }): Promise<boolean> {
  const owner = await deps.db.workshopSession.findUnique({ where: { sessionId } });
  if (!owner?.attendeeId) return false;
  if (!outcome.passed && await deps.isAutoStep(owner.labId, stepId)) return false;
  await deps.db.$transaction([
    deps.db.stepEvent.create({
      data: { workshopId: owner.workshopId, attendeeId: owner.attendeeId, sessionId, labId: owner.labId, stepId, kind: 'check', passed: outcome.passed, message: outcome.message.slice(0, 2000) },
    }),
    deps.db.attendee.update({ where: { id: owner.attendeeId }, data: { lastActiveAt: new Date() } }),
  ]);
  deps.changed(owner.workshopId);
  return true;
}
