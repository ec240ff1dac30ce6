// GET /api/sessions/:id — a session's state and progress
// DELETE /api/sessions/:id — end it and remove everything it created
import { authorizeSession, handle, json, services } from '../../_lib/route-kit';
import { clearSessionCookie } from '@/runtime/http/auth';

export const dynamic = 'force-dynamic';

type Params = { id: string };

export const GET = handle<Params>(async (req, { params }) => {
  const { id } = await params;
  await authorizeSession(req, id);
  return json(await services().sessions.view(id));
});

export const DELETE = handle<Params>(async (req, { params }) => {
  const { id } = await params;
  await authorizeSession(req, id);
  await services().sessions.end(id);
  return new Response(null, { status: 204, headers: { 'set-cookie': clearSessionCookie(id) } });
});
