/**
 * Who may start a session, and as whom they are counted (issue #11):
 *
 * - a browser (it sends Origin) must be on one of the public origins — any web
 *   page could otherwise make its visitors' browsers start sessions;
 * - a client without Origin (curl, lab automation) is accepted, unless the
 *   operator set server.apiToken: then it must send `Authorization: Bearer <apiToken>`;
 * - a request a browser marks cross-site (Sec-Fetch-Site) is refused even without Origin;
 * - the client is its address (set by the server, never by the client) and,
 *   for browsers, a random id cookie handed out on its first session.
 *
 *   const { client, setCookie } = guardCreation(req);
 */
import 'server-only';
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { originAllowed } from '@/runtime/http/auth';
import { CLIENT_HEADER } from '@/runtime/http/client-address';
import type { ClientIdentity } from '@/runtime/sessions/session-admission';
import { RouteError, services } from './route-kit';

export const BROWSER_COOKIE = 'labdock_client';
/** A year: the id only groups one browser's sessions for the per-client limit. */
const BROWSER_COOKIE_MAX_AGE = 365 * 24 * 3600;

export function guardCreation(req: Request): { client: ClientIdentity; setCookie?: string } {
  const { config, publicOrigins } = services();
  const origin = req.headers.get('origin');
  if (origin !== null) {
    if (!originAllowed(origin, publicOrigins)) throw new RouteError(403, 'sessions can only be started from labdock\'s own pages');
  } else {
    if (req.headers.get('sec-fetch-site') === 'cross-site') throw new RouteError(403, 'sessions can only be started from labdock\'s own pages');
    if (config.server.apiToken && !bearerMatches(req.headers.get('authorization'), config.server.apiToken)) {
      throw new RouteError(401, 'this server requires its API token to start sessions without a browser: send Authorization: Bearer <token>');
    }
  }
  const address = req.headers.get(CLIENT_HEADER);
  if (origin === null) return { client: { address } };
  const existing = browserId(req.headers.get('cookie'));
  if (existing) return { client: { address, browser: existing } };
  const fresh = randomBytes(16).toString('base64url');
  const secure = config.server.secureCookies ? '; Secure' : '';
  return {
    client: { address, browser: fresh },
    setCookie: `${BROWSER_COOKIE}=${fresh}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${BROWSER_COOKIE_MAX_AGE}${secure}`,
  };
}

export function browserId(cookie: string | null): string | null {
  for (const part of (cookie ?? '').split(';')) {
    const [name, value] = part.split('=').map((s) => s?.trim());
    // Only ids we could have made: anything else is ignored, not trusted.
    if (name === BROWSER_COOKIE && value && /^[A-Za-z0-9_-]{22}$/.test(value)) return value;
  }
  return null;
}

function bearerMatches(header: string | null, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}
