// POST /api/sessions/:id/resume-link — a new secret for a link that opens this session in another browser (shown once)
import { authorizeSession, handle, json, services } from '../../../_lib/route-kit';

export const dynamic = 'force-dynamic';

export const POST = handle<{ id: string }>(async (req, { params }) => {
  const { id } = await params;
  await authorizeSession(req, id);
  const secret = await services().sessions.issueResumeSecret(id);
  // The secret travels in the link's #fragment, which browsers never send to a server or a Referer.
  return json({ path: `/resume/${id}`, secret });
});
