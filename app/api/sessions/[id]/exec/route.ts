// POST /api/sessions/:id/exec — run a command in a node, return its exit code and output
import { z } from 'zod';
import { authorizeSession, handle, json, parseJson, services } from '../../../_lib/route-kit';

export const dynamic = 'force-dynamic';

const body = z.object({
  node: z.string().min(1).max(63),
  command: z.string().min(1).max(64 * 1024),
}).strict();

export const POST = handle<{ id: string }>(async (req, { params }) => {
  const { id } = await params;
  await authorizeSession(req, id);
  const { node, command } = await parseJson(req, body);
  return json(await services().sessions.exec(id, node, command));
});
