// POST /api/sessions/:id/reset — recreate the session's nodes from scratch
import { authorizeSession, handle, json, services } from '../../../_lib/route-kit';

export const dynamic = 'force-dynamic';

export const POST = handle<{ id: string }>(async (req, { params }) => {
  const { id } = await params;
  await authorizeSession(req, id);
  return json(await services().sessions.reset(id), 202);
});
