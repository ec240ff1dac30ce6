// POST /api/workshops/:id/extend — an attendee extends their own session (where the workshop allows it; seat cookie)
import { handle, json, RouteError, services } from '../../../_lib/route-kit';
import { attendeeCookieName, checkOrigin, cookieValue } from '../../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const POST = handle<{ id: string }>(async (req, { params }) => {
  checkOrigin(req);
  const { id } = await params;
  const { workshops } = services();
  const attendee = await workshops.attendeeOf(id, cookieValue(req, attendeeCookieName(id)));
  if (!attendee) throw new RouteError(404, 'no such workshop');
  return json(await workshops.extendOwn(id, attendee.id));
});
