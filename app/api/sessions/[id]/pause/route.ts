// POST /api/sessions/:id/pause — stop the session's nodes, keeping everything, until resumed
import { authorizeSession, handle, json, services } from '../../../_lib/route-kit';

export const dynamic = 'force-dynamic';

export const POST = handle<{ id: string }>(async (req, { params }) => {
  const { id } = await params;
  await authorizeSession(req, id);
  return json(await services().sessions.pause(id));
});
