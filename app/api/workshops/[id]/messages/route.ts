// GET /api/workshops/:id/messages — for an attendee's player: the broadcast and whether they are watched (SSE, seat cookie)
import { handle, RouteError, services } from '../../../_lib/route-kit';
import { attendeeCookieName, cookieValue, sseResponse } from '../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const GET = handle<{ id: string }>(async (req, { params }) => {
  const { id } = await params;
  const { workshops } = services();
  const attendee = await workshops.attendeeOf(id, cookieValue(req, attendeeCookieName(id)));
  if (!attendee) throw new RouteError(404, 'no such workshop');
  return sseResponse(req, id, () => workshops.attendeeView(id, attendee.id), 60_000);
});
