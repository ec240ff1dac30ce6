/**
 * Who is asking: a Bearer token from our token service (its subject must
 * still exist — a deleted user's token dies with the user), or Basic
 * credentials checked against the accounts. null: no credentials at all;
 * 'invalid': credentials that do not hold.
 *
 *   const identity = await authenticate(req.headers.authorization, { verifyToken, livePrincipal, verifyPassword });
 */
import type { Principal } from '../../policy/roles';
import type { AccessEntry } from '../../auth/token-service';
import type { Identity } from '../chain';

export interface AuthenticateDeps {
  verifyToken: (token: string) => Promise<{ subject: string; access: AccessEntry[] } | null> | { subject: string; access: AccessEntry[] } | null;
  livePrincipal: (name: string) => Principal | null;
  verifyPassword: (name: string, password: string) => Promise<Principal | null>;
}

export async function authenticate(header: string | undefined, deps: AuthenticateDeps): Promise<Identity | null | 'invalid'> {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/.exec(header);
  if (bearer) {
    const token = await deps.verifyToken(bearer[1]);
    if (!token) return 'invalid';
    if (!token.subject) return { principal: null, access: token.access };
    const principal = deps.livePrincipal(token.subject);
    return principal ? { principal, access: token.access } : 'invalid';
  }
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header);
  if (!m) return 'invalid';
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'invalid';
  const principal = await deps.verifyPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
  return principal ? { principal, access: 'any' } : 'invalid';
}
