// POST /api/workshops/:id/broadcast — a message every attendee's player shows (empty clears it)
import { z } from 'zod';
import { handle, json, parseJson, services } from '../../../_lib/route-kit';
import { workshopFor } from '../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

const body = z.object({ message: z.string().trim().max(500) }).strict();

export const POST = handle<{ id: string }>(async (req, { params }) => {
  const { workshop } = await workshopFor(req, (await params).id, 'manage');
  const { message } = await parseJson(req, body);
  await services().workshops.broadcast(workshop.id, message);
  return json({ ok: true });
});
