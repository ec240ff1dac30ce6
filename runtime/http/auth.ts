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
    if (part.slice(0, eq).trim() !== wanted) continue;
    // A hostile client sends broken percent-encoding (`%E0%A4%A`): that is no token, not a URIError.
    const token = safeDecode(part.slice(eq + 1).trim());
    return token ? { token, via: 'cookie' } : null;
  }
  return null;
}

/** decodeURIComponent that answers null instead of throwing on malformed input. */
export function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * Is this Origin one of the server's public origins (server.publicOrigins, or
 * the loopback origins of its port when none are configured)? Compared with
 * configuration, never with the request's own Host header: a hostile client
 * controls both, so agreeing Host and Origin prove nothing.
 * A missing Origin is only acceptable when the caller did not rely on cookies.
 */
export function originAllowed(origin: string | null | undefined, publicOrigins: readonly string[]): boolean {
  if (!origin) return false;
  let normalized: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    normalized = url.origin;
  } catch {
    return false;
  }
  return publicOrigins.some((allowed) => allowed === normalized);
}

/**
 * The origins a browser may use this server from: those configured, else the
 * loopback origins of the port it listens on (a laptop or a test run).
 */
export function publicOriginsFor(configured: readonly string[], port: number): string[] {
  if (configured.length) return configured.map((o) => new URL(o).origin);
  return ['localhost', '127.0.0.1', '[::1]'].map((h) => `http://${h}:${port}`);
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
