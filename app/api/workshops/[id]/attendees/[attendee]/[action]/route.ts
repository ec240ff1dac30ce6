// POST /api/workshops/:id/attendees/:attendee/(extend|reset|end) — act on one attendee's session
import { z } from 'zod';
import { handle, json, RouteError, services } from '../../../../../_lib/route-kit';
import { workshopFor } from '../../../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

const action = z.enum(['extend', 'reset', 'end']);

export const POST = handle<{ id: string; attendee: string; action: string }>(async (req, { params }) => {
  const p = await params;
  const parsed = action.safeParse(p.action);
  if (!parsed.success) throw new RouteError(404, `no action ${p.action}: extend, reset or end`);
  const { workshop } = await workshopFor(req, p.id, 'manage');
  await services().workshops.act(workshop.id, p.attendee, parsed.data);
  return json({ ok: true });
});
