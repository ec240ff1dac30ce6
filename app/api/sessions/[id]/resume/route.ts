// POST /api/sessions/:id/resume — book room again and start a paused session's nodes (429 when the host is full)
import { z } from 'zod';
import { authorizeSession, handle, json, parseJson, services } from '../../../_lib/route-kit';
import { guardCreation } from '../../../_lib/creation-guard';

export const dynamic = 'force-dynamic';

const body = z.object({
  /** false: answer at once with status "starting" and poll GET for progress (the browser does). */
  wait: z.boolean().default(false),
}).strict();

export const POST = handle<{ id: string }>(async (req, { params }) => {
  const { id } = await params;
  await authorizeSession(req, id);
  // Resuming takes room like starting does: counted against the same per-client limits.
  const { client } = guardCreation(req);
  const { wait } = await parseJson(req, body);
  return json(await services().sessions.resume(id, { wait, client }), 202);
});
