// POST /api/sessions — start a lab session
import { z } from 'zod';
import { handle, json, parseJson, services } from '../_lib/route-kit';
import { sessionCookie } from '@/runtime/http/auth';

export const dynamic = 'force-dynamic';

const body = z.object({
  lab: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'lab ids are lowercase letters, digits and dashes'),
  /** false: answer at once with status "starting" and poll GET for progress (the browser does). */
  wait: z.boolean().default(true),
}).strict();

export const POST = handle(async (req) => {
  const { lab, wait } = await parseJson(req, body);
  const { sessions, config } = services();
  const { view, token } = await sessions.create(lab, { wait });
  const maxAge = Math.max(60, Math.round((Date.parse(view.expiresAt) - Date.now()) / 1000));
  return json({ ...view, token }, 201, { 'set-cookie': sessionCookie(view.id, token, maxAge, config.server.secureCookies) });
});
