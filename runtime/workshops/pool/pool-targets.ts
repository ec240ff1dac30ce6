/**
 * How many unclaimed sessions of each of a workshop's labs the warm pool
 * should hold, in the order they are needed:
 *
 *   - the next lab, one for every attendee who is nearly through the lab
 *     before it (NEARLY_DONE: at most a quarter of its steps, and at least
 *     one, still to pass) — they will ask for it within minutes;
 *   - the first lab, one for every free seat — people still arriving.
 *
 * Never more than poolMax in all: the rest start cold. Warm sessions already
 * there count against their own lab's target.
 *
 *   const targets = await poolTargets({ db, stepsOf }, workshop, 10);
 *   // [{ labId: 'registry-basics', count: 2 }, { labId: 'intro', count: 5 }]
 */
import type { Db } from '../../db/open-database';
import { labAfter } from '../next-lab';

/** Steps still to pass, as a share of the lab, that count as "nearly done" (at least one step). */
export const NEARLY_DONE_SHARE = 0.25;

export function nearlyDone(passed: number, total: number): boolean {
  return total > 0 && total - passed <= Math.max(1, Math.ceil(total * NEARLY_DONE_SHARE));
}

export interface TargetDeps {
  db: Db;
  /** How many steps a lab has. */
  stepsOf(labId: string): Promise<number>;
}

export async function poolTargets(deps: TargetDeps, workshop: { id: string; labIds: string; seats: number }, poolMax: number): Promise<{ labId: string; count: number }[]> {
  const { db } = deps;
  const labIds = JSON.parse(workshop.labIds) as string[];
  const seated = await db.attendee.count({ where: { workshopId: workshop.id } });
  const ahead = new Map<string, number>();
  if (labIds.length > 1) {
    // Attendees on a lab that has a next one, with how many of its steps they passed.
    const current = await db.workshopSession.findMany({ where: { workshopId: workshop.id, attendeeId: { not: null }, endedAt: null }, select: { sessionId: true, labId: true } });
    const passed = await db.stepEvent.groupBy({
      by: ['sessionId', 'stepId'],
      where: { workshopId: workshop.id, kind: 'check', passed: true, sessionId: { in: current.map((c) => c.sessionId) } },
    });
    for (const c of current) {
      const next = labAfter(labIds, c.labId);
      if (!next) continue;
      const done = passed.filter((p) => p.sessionId === c.sessionId).length;
      if (nearlyDone(done, await deps.stepsOf(c.labId))) ahead.set(next, (ahead.get(next) ?? 0) + 1);
    }
  }
  const wanted = [...ahead].map(([labId, count]) => ({ labId, count }));
  const arriving = Math.max(0, workshop.seats - seated);
  if (arriving) wanted.push({ labId: labIds[0], count: arriving });
  // Within poolMax, in order of need.
  let left = poolMax;
  const targets: { labId: string; count: number }[] = [];
  for (const w of wanted) {
    const count = Math.min(w.count, left);
    left -= count;
    const same = targets.find((t) => t.labId === w.labId);
    if (same) same.count += count;
    else targets.push({ labId: w.labId, count });
  }
  return targets;
}
