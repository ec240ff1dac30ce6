// POST /api/sessions/:id/steps/:step/hint — the player showed the learner this failed check's hint {message}
import { z } from 'zod';
import { authorizeSession, handle, parseJson, services } from '../../../../../_lib/route-kit';

export const dynamic = 'force-dynamic';

const body = z.object({ message: z.string().max(4000) }).strict();

export const POST = handle<{ id: string; step: string }>(async (req, { params }) => {
  const { id, step } = await params;
  await authorizeSession(req, id);
  const { message } = await parseJson(req, body);
  // Counted only for a workshop attendee's session, once per failed check: the answer is the same either way.
  await services().workshops.recordHint(id, step, message);
  return new Response(null, { status: 204 });
});
