// POST /api/sessions/:id/steps/:step/check — run a step's checks: {passed, message}
import { authorizeSession, handle, json, services } from '../../../../../_lib/route-kit';

export const dynamic = 'force-dynamic';

export const POST = handle<{ id: string; step: string }>(async (req, { params }) => {
  const { id, step } = await params;
  await authorizeSession(req, id);
  return json(await services().sessions.check(id, step));
});
