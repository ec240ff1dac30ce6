// POST /api/workshops/:id/next — an attendee moves on to the workshop's next lab (seat cookie)
import { handle, RouteError, services } from '../../../_lib/route-kit';
import { sessionCookie } from '@/runtime/http/auth';
import { attendeeCookieName, checkOrigin, cookieValue } from '../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const POST = handle<{ id: string }>(async (req, { params }) => {
  checkOrigin(req);
  const { id } = await params;
  const { workshops, config } = services();
  const attendee = await workshops.attendeeOf(id, cookieValue(req, attendeeCookieName(id)));
  if (!attendee) throw new RouteError(404, 'no such workshop');
  const moved = await workshops.nextLab(id, attendee.id);
  const maxAge = Math.max(60, Math.round((moved.expiresAt.getTime() - Date.now()) / 1000));
  return new Response(JSON.stringify({ lab: moved.labId, sessionId: moved.sessionId, workshopId: id }), {
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'set-cookie': sessionCookie(moved.sessionId, moved.token, maxAge, config.server.secureCookies) },
  });
});
