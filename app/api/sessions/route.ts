// POST /api/sessions — start a lab session
import { z } from 'zod';
import { handle, parseJson, services } from '../_lib/route-kit';
import { guardCreation } from '../_lib/creation-guard';
import { sessionCookie } from '@/runtime/http/auth';
import { sessionCookieMaxAge } from '../_lib/session-cookie-age';

export const dynamic = 'force-dynamic';

const body = z.object({
  lab: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'lab ids are lowercase letters, digits and dashes'),
  /** false: answer at once with status "starting" and poll GET for progress (the browser does). */
  wait: z.boolean().default(true),
}).strict();

export const POST = handle(async (req) => {
  // Origin, API token and content type before the body is read: a cross-site request costs nothing.
  const { client, setCookie } = guardCreation(req);
  const { lab, wait } = await parseJson(req, body);
  const { standingPool, config } = services();
  // A session from the lab's standing pool if it has one ready, else a cold start (the pool makes room for it).
  const { view, token } = await standingPool.start(lab, { wait, client });
  const maxAge = sessionCookieMaxAge(view, config);
  const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  headers.append('set-cookie', sessionCookie(view.id, token, maxAge, config.server.secureCookies));
  if (setCookie) headers.append('set-cookie', setCookie);
  return new Response(JSON.stringify({ ...view, token }), { status: 201, headers });
});
