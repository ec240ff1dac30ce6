/**
 * GET and POST /auth/token — the token service's HTTP face, as the docker CLI,
 * skopeo and the Notary client call it:
 *
 *   GET  /auth/token?service=dtr.labdock&scope=repository:admin/alpine:pull,push[&offline_token=true]
 *        with Basic credentials (or none, for anonymous pulls of public repositories)
 *   POST /auth/token   grant_type=password|refresh_token, client_id, scope, [access_type=offline]
 *
 * The grant is the requested actions that roles.ts allows right now; what is
 * not allowed is left out of the token (the registry then refuses the request
 * it was for). Scope names may carry the registry host (Notary GUNs:
 * `dtr.labdock/admin/alpine`); it is stripped to find the repository.
 *
 *   const answer = await tokenEndpoint(method, url, authorizationHeader, formBody);
 *   // { status, body } for the caller to send as JSON
 */
import type { Accounts } from '../control-plane/accounts';
import { allowedActions, type Action, type Principal } from '../policy/roles';
import { repositoryPathProblem } from '../policy/names';
import { parseScopes, passwordFingerprint, ScopeError, type AccessEntry, type TokenService } from './token-service';

export interface TokenEndpointDeps {
  tokens: TokenService;
  accounts: Accounts;
  /** Checks a user's password (the control plane caches bcrypt results). */
  verifyPassword(name: string, password: string): Promise<Principal | null>;
}

/** Scope actions of the token spec → the role table's actions. `*` (Notary: key rotation, deleting trust data) needs admin on the repository. */
const SCOPE_ACTIONS: Record<string, Action> = { pull: 'pull', push: 'push', delete: 'delete', '*': 'manage' };

/** A scope's name without the registry's own host: `dtr.labdock/admin/alpine` → `admin/alpine`. */
export function repositoryOfScopeName(name: string, service: string): string {
  for (const prefix of [`${service}/`, `${service}:443/`]) if (name.startsWith(prefix)) return name.slice(prefix.length);
  return name;
}

export function createTokenEndpoint(deps: TokenEndpointDeps) {
  const { tokens, accounts } = deps;

  function grant(principal: Principal | null, requested: AccessEntry[]): AccessEntry[] {
    const granted: AccessEntry[] = [];
    for (const entry of requested) {
      let actions: string[] = [];
      if (entry.type === 'repository') {
        const repository = repositoryOfScopeName(entry.name, tokens.service);
        if (!repositoryPathProblem(repository)) {
          const allowed = allowedActions(principal, accounts.grants(repository, principal));
          actions = entry.actions.filter((a) => SCOPE_ACTIONS[a] && allowed.has(SCOPE_ACTIONS[a]));
        }
      } else if (entry.type === 'registry' && entry.name === 'catalog' && principal) {
        actions = entry.actions.filter((a) => a === '*');
      }
      if (actions.length) granted.push({ ...entry, actions });
    }
    return granted;
  }

  const failure = (status: number, error: string, message: string) => ({
    status,
    // Both shapes: OAuth2 clients read `error`, Distribution's client reads `errors`.
    body: { error, error_description: message, errors: [{ code: status === 401 ? 'UNAUTHORIZED' : 'INVALID_REQUEST', message, detail: null }] },
  });

  const passwordHashOf = (name: string) => accounts.user(name)?.passwordHash ?? '';

  return async function tokenEndpoint(method: string, url: URL, authorization: string | undefined, form: string): Promise<{ status: number; body: unknown }> {
    const params = method === 'POST' ? new URLSearchParams(form) : url.searchParams;
    const service = params.get('service');
    if (service && service !== tokens.service) return failure(400, 'invalid_request', `this token service is for ${tokens.service}, not ${service}`);
    let requested: AccessEntry[];
    try {
      requested = parseScopes(params.getAll('scope'));
    } catch (err) {
      if (err instanceof ScopeError) return failure(400, 'invalid_scope', err.message);
      throw err;
    }

    let principal: Principal | null = null;
    let refreshToken: string | undefined;
    if (method === 'GET') {
      if (authorization) {
        const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(authorization);
        const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
        const colon = decoded.indexOf(':');
        principal = colon > 0 ? await deps.verifyPassword(decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
        if (!principal) return failure(401, 'invalid_grant', 'incorrect username or password');
        if (params.get('offline_token') === 'true') refreshToken = await tokens.issueRefresh(principal.name, passwordHashOf(principal.name));
      }
    } else if (method === 'POST') {
      if (!params.get('client_id')) return failure(400, 'invalid_request', 'client_id is required');
      const grantType = params.get('grant_type');
      if (grantType === 'password') {
        principal = await deps.verifyPassword(params.get('username') ?? '', params.get('password') ?? '');
        if (!principal) return failure(401, 'invalid_grant', 'incorrect username or password');
        if (params.get('access_type') === 'offline') refreshToken = await tokens.issueRefresh(principal.name, passwordHashOf(principal.name));
      } else if (grantType === 'refresh_token') {
        const refresh = await tokens.verifyRefresh(params.get('refresh_token') ?? '');
        const user = refresh && accounts.user(refresh.subject);
        if (!refresh || !user || passwordFingerprint(user.passwordHash) !== refresh.passwordFingerprint) {
          return failure(401, 'invalid_grant', 'the refresh token is invalid or expired: log in again');
        }
        principal = { name: user.name, globalRole: user.globalRole };
        refreshToken = params.get('refresh_token')!;
      } else {
        return failure(400, 'unsupported_grant_type', `grant_type must be password or refresh_token, not ${grantType ?? 'missing'}`);
      }
    } else {
      return failure(405, 'invalid_request', `${method} is not supported: use GET or POST`);
    }

    const access = grant(principal, requested);
    const issued = await tokens.issueAccess(principal?.name ?? '', access);
    const scope = access.map((e) => `${e.type}:${e.name}:${e.actions.join(',')}`).join(' ');
    return { status: 200, body: { ...issued, ...(method === 'POST' ? { scope } : {}), ...(refreshToken ? { refresh_token: refreshToken } : {}) } };
  };
}
