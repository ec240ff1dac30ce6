/**
 * Reads one workshop's attendees, their sessions and step events, and the
 * labs' steps, and builds the dashboard from them (build-dashboard.ts).
 *
 *   const d = await loadDashboard({ db, labs }, workshopId);
 */
import type { Db } from '../db/open-database';
import type { LabCatalog } from '../services';
import { buildDashboard, type Dashboard, type StepColumn } from './build-dashboard';

/** Every lab's steps, in the workshop's order (the dashboard groups its columns by lab), and each lab's nodes. */
async function workshopLabs(labs: LabCatalog, labIds: string[]) {
  const steps: StepColumn[] = [];
  const nodesOf: Record<string, string[]> = {};
  for (const labId of labIds) {
    const lab = await labs.get(labId);
    nodesOf[labId] = lab?.meta.nodes.map((n) => n.name) ?? [];
    for (const s of lab?.steps ?? []) steps.push({ key: `${labId}/${s.id}`, labId, stepId: s.id, title: s.title, labTitle: lab?.meta.title ?? labId });
  }
  return { steps, nodesOf };
}

export async function loadDashboard(deps: { db: Db; labs: LabCatalog }, workshopId: string, now = new Date()): Promise<Dashboard | null> {
  const { db } = deps;
  const workshop = await db.workshop.findUnique({ where: { id: workshopId } });
  if (!workshop) return null;
  const { steps, nodesOf } = await workshopLabs(deps.labs, JSON.parse(workshop.labIds) as string[]);
  const attendees = await db.attendee.findMany({ where: { workshopId }, include: { session: true } });
  const sessionIds = attendees.flatMap((a) => (a.session ? [a.session.sessionId] : []));
  const sessions = new Map((await db.session.findMany({ where: { id: { in: sessionIds } } })).map((s) => [s.id, s]));
  const events = await db.stepEvent.findMany({ where: { workshopId, kind: { in: ['check', 'hint'] } } });
  return buildDashboard({
    steps, now, events, nodesOf,
    attendees: attendees.map((a) => {
      const s = a.session ? sessions.get(a.session.sessionId) : undefined;
      return {
        id: a.id, displayName: a.displayName, email: a.email, seat: a.seat, joinedAt: a.joinedAt,
        session: s ? { id: s.id, labId: a.session!.labId, status: s.status, expiresAt: s.expiresAt, lastActiveAt: s.lastActiveAt } : null,
      };
    }),
  });
}
