// POST /api/workshops/join — an attendee takes a seat and gets a session (pool or cold)
import { handle, parseJson, RouteError, services } from '../../_lib/route-kit';
import { sessionCookie } from '@/runtime/http/auth';
import { CLIENT_HEADER } from '@/runtime/http/client-address';
import { joinInput } from '@/runtime/workshops/workshop-input';
import { attendeeCookieName, checkOrigin, cookieValue } from '../_lib/workshop-kit';

export const dynamic = 'force-dynamic';

export const POST = handle(async (req) => {
  checkOrigin(req);
  const input = await parseJson(req, joinInput);
  const { workshops, config } = services();
  // Rate-limited per address and per code (429 with Retry-After): guessing codes must be slow.
  const found = await workshops.lookupCode(req.headers.get(CLIENT_HEADER), input.code);
  if (!found) throw new RouteError(404, 'No workshop has this code: check it with your instructor.');
  const secret = cookieValue(req, attendeeCookieName(found.id));
  const joined = await workshops.join(input, secret);
  const secure = config.server.secureCookies;
  const maxAge = Math.max(60, Math.round((joined.expiresAt.getTime() - Date.now()) / 1000));
  const seatAge = Math.max(60, Math.round((found.closesAt.getTime() - Date.now()) / 1000) + 86_400);
  const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  headers.append('set-cookie', sessionCookie(joined.sessionId, joined.token, maxAge, secure));
  // Lax, not Strict: attendees arrive by a link or QR code from elsewhere and must be recognised.
  headers.append('set-cookie', [`${attendeeCookieName(joined.workshopId)}=${joined.browserSecret}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${seatAge}`, ...(secure ? ['Secure'] : [])].join('; '));
  return new Response(JSON.stringify({ workshopId: joined.workshopId, lab: joined.labId, sessionId: joined.sessionId, origin: joined.origin }), { status: 200, headers });
});
