/**
 * Session tokens: generated per session, stored only as a sha256 hash, accepted
 * from `Authorization: Bearer` (API clients) or the HttpOnly cookie the browser
 * got when it created the session. Compared in constant time.
 *
 *   const { token, hash } = newToken();
 *   tokenMatches(presentedToken(headers, sessionId), hash)  // true/false
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { tokenCookieName } from '../terminal/protocol';

export function newToken(): { token: string; hash: string } {
  // 32 bytes: the session's only secret, so as strong as an API key.
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(token: string | null, hash: string): boolean {
  if (!token) return false;
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface PresentedToken {
  token: string;
  /** Cookies ride along automatically from a browser, so they need an Origin check; bearer headers do not. */
  via: 'bearer' | 'cookie';
}

type HeaderGetter = (name: string) => string | null | undefined;

/** Finds the session token a request presents, bearer first. */
export function presentedToken(header: HeaderGetter, sessionId: string): PresentedToken | null {
  const auth = header('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    return m ? { token: m[1], via: 'bearer' } : null;
  }
  const cookie = header('cookie');
  if (!cookie) return null;
  const wanted = tokenCookieName(sessionId);
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === wanted) return { token: decodeURIComponent(part.slice(eq + 1).trim()), via: 'cookie' };
  }
  return null;
}

/**
 * Is this Origin the app itself (same host) or one the operator allowed?
 * A missing Origin is only acceptable when the caller did not rely on cookies.
 */
export function originAllowed(origin: string | null | undefined, host: string | null | undefined, allowed: string[]): boolean {
  if (!origin) return false;
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return !!host && url.host === host && (url.protocol === 'http:' || url.protocol === 'https:');
  } catch {
    return false;
  }
}

export function sessionCookie(sessionId: string, token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${tokenCookieName(sessionId)}=${encodeURIComponent(token)}`,
    'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearSessionCookie(sessionId: string): string {
  return `${tokenCookieName(sessionId)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
