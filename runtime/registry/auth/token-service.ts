/**
 * The registry's token service, per Distribution's token spec
 * (docs/spec/auth/token.md, jwt.md, oauth.md): clients present credentials or a
 * refresh token with the scopes they want, get back a short-lived JWT granting
 * the subset of those actions they are allowed, and present it as a Bearer
 * token. The grant is computed by the caller (RBAC lives in roles.ts); this
 * module only speaks the protocol: scopes in, signed claims out.
 *
 *   const tokens = createTokenService({ key, service: 'dtr.labdock' });
 *   const scopes = parseScopes(['repository:admin/alpine:pull,push']);
 *   const { token } = await tokens.issueAccess('admin', [{ type: 'repository', name: 'admin/alpine', actions: ['pull'] }]);
 *   await tokens.verifyAccess(token)   // { subject: 'admin', access: [...] } | null
 */
import { createHash, randomBytes } from 'node:crypto';
import { signJwt, verifyJwt, type SigningKey } from './jwt';

export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** Access tokens live 5 minutes (Distribution's own default); clients fetch new ones as they need. */
const ACCESS_TTL_SECONDS = 300;
/** `docker login` keeps a refresh token as its identity token: a month, unless the password changes. */
const REFRESH_TTL_SECONDS = 30 * 24 * 3600;
/** Clocks of the node and the registry node are the same clock; a little leeway still costs nothing. */
const LEEWAY_SECONDS = 10;

export interface TokenServiceOptions {
  key: SigningKey;
  /** The `service` clients name and the tokens' audience: the registry's hostname. */
  service: string;
  issuer?: string;
  now?: () => number;
}

export class ScopeError extends Error {}

/** `repository:admin/alpine:pull,push` → entry. The name may hold ':' (a host:port in a Notary GUN); type and actions may not. */
export function parseScope(scope: string): AccessEntry {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) throw new ScopeError(`malformed scope "${scope}": expected type:name:actions`);
  const type = scope.slice(0, first).replace(/\(.*\)$/, ''); // drop a resource class: repository(plugin)
  const name = scope.slice(first + 1, last);
  const actions = scope.slice(last + 1).split(',').filter(Boolean);
  if (!name || actions.length === 0) throw new ScopeError(`malformed scope "${scope}": expected type:name:actions`);
  return { type, name, actions: [...new Set(actions)] };
}

/** Every scope of a request; the same resource asked twice is merged. */
export function parseScopes(scopes: string[]): AccessEntry[] {
  const merged = new Map<string, AccessEntry>();
  for (const s of scopes.flatMap((x) => x.split(' ')).filter(Boolean)) {
    const e = parseScope(s);
    const key = `${e.type}:${e.name}`;
    const seen = merged.get(key);
    if (seen) seen.actions = [...new Set([...seen.actions, ...e.actions])];
    else merged.set(key, e);
  }
  return [...merged.values()];
}

/** Short fingerprint of a password hash: a refresh token dies when its user's password changes. */
export function passwordFingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}

/** Tokens whose signature is remembered as checked (a lab has a handful of clients). */
const VERIFIED_KEPT = 1000;

export function createTokenService(options: TokenServiceOptions) {
  const issuer = options.issuer ?? `labdock registry (${options.service})`;
  const now = () => Math.floor((options.now ?? Date.now)() / 1000);

  const base = (subject: string, ttl: number) => {
    const iat = now();
    return { iss: issuer, sub: subject, aud: options.service, iat, nbf: iat - LEEWAY_SECONDS, exp: iat + ttl, jti: randomBytes(12).toString('base64url') };
  };

  // Docker sends the same token with every request of a push or pull: its signature is checked once,
  // its claims (expiry, audience) on every use. Bounded: the oldest entry goes first.
  const signatureChecked = new Map<string, Record<string, unknown>>();
  async function claimsOf(token: string): Promise<Record<string, unknown> | null> {
    const hit = signatureChecked.get(token);
    if (hit) return hit;
    const claims = await verifyJwt(options.key, token);
    if (claims) {
      if (signatureChecked.size >= VERIFIED_KEPT) signatureChecked.delete(signatureChecked.keys().next().value!);
      signatureChecked.set(token, claims);
    }
    return claims;
  }

  const valid = (claims: Record<string, unknown> | null): claims is Record<string, unknown> & { sub: string } =>
    !!claims &&
    claims.iss === issuer &&
    claims.aud === options.service &&
    typeof claims.sub === 'string' &&
    typeof claims.exp === 'number' && claims.exp + LEEWAY_SECONDS > now() &&
    (typeof claims.nbf !== 'number' || claims.nbf <= now() + LEEWAY_SECONDS);

  return {
    service: options.service,

    /** An access token for `subject` ('' when anonymous) with what was granted. */
    async issueAccess(subject: string, access: AccessEntry[]) {
      const claims = { ...base(subject, ACCESS_TTL_SECONDS), access };
      const token = await signJwt(options.key, claims);
      return { token, access_token: token, expires_in: ACCESS_TTL_SECONDS, issued_at: new Date(claims.iat * 1000).toISOString() };
    },

    async verifyAccess(token: string): Promise<{ subject: string; access: AccessEntry[] } | null> {
      const claims = await claimsOf(token);
      if (!valid(claims) || claims.typ === 'refresh' || !Array.isArray(claims.access)) return null;
      const access = (claims.access as unknown[]).filter((a): a is AccessEntry => {
        const e = a as AccessEntry;
        return !!e && typeof e.type === 'string' && typeof e.name === 'string' && Array.isArray(e.actions) && e.actions.every((x) => typeof x === 'string');
      });
      return { subject: claims.sub, access };
    },

    issueRefresh(subject: string, passwordHash: string): Promise<string> {
      return signJwt(options.key, { ...base(subject, REFRESH_TTL_SECONDS), typ: 'refresh', pwf: passwordFingerprint(passwordHash) });
    },

    /** Who a refresh token speaks for, and the password fingerprint it was issued under. */
    async verifyRefresh(token: string): Promise<{ subject: string; passwordFingerprint: string } | null> {
      const claims = await verifyJwt(options.key, token);
      if (!valid(claims) || claims.typ !== 'refresh' || typeof claims.pwf !== 'string' || !claims.sub) return null;
      return { subject: claims.sub, passwordFingerprint: claims.pwf };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

/** Does a token's access cover `action` on `type:name`? `*` covers every action. */
export function tokenAllows(access: AccessEntry[], type: string, names: string[], action: string): boolean {
  return access.some((e) => e.type === type && names.includes(e.name) && (e.actions.includes(action) || e.actions.includes('*')));
}
