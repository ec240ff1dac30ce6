// POST /api/sessions/:id/claim — redeem a resume link: this browser gets the session (a new token cookie)
import { z } from 'zod';
import { handle, json, parseJson, RouteError, services } from '../../../_lib/route-kit';
import { guardCreation } from '../../../_lib/creation-guard';
import { sessionCookie } from '@/runtime/http/auth';
import { sessionCookieMaxAge } from '../../../_lib/session-cookie-age';

export const dynamic = 'force-dynamic';

const body = z.object({ secret: z.string().min(20).max(200) }).strict();

export const POST = handle<{ id: string }>(async (req, { params }) => {
  const { id } = await params;
  // Same origin rules as starting a session: it hands this browser a session cookie.
  const { client, setCookie } = guardCreation(req);
  const { secret } = await parseJson(req, body);
  const { sessions, config } = services();
  const claimed = await sessions.claim(id, secret, client.browser ?? null);
  // Wrong secret and unknown session look the same.
  if (!claimed) throw new RouteError(404, 'this resume link is not valid: it was used already, replaced by a newer one, or mistyped');
  const view = (await sessions.view(id))!;
  const headers: Record<string, string> = {};
  const res = json({ id: view.id, lab: view.lab, status: view.status }, 200, headers);
  res.headers.append('set-cookie', sessionCookie(id, claimed.token, sessionCookieMaxAge(view, config), config.server.secureCookies));
  if (setCookie) res.headers.append('set-cookie', setCookie);
  return res;
});
