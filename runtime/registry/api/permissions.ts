/**
 * Who may call an /api/v0 route, as data (api-route.ts), and the one
 * authorize() that decides it before any handler runs. The decisions come
 * from the role table (policy/roles.ts: repositories, namespaces,
 * organizations); this file only finds the resource a route names and says
 * no the way DTR does: a repository the caller may not see does not exist
 * (404), one they see but may not change is a 403.
 *
 *   authorize([repository('manage', 'recorded')], { principal, params, body }, facts)   // throws ApiError, or returns
 */
import { allowedActions, namespaceActions, organizationActions, type Action, type OrganizationAction, type Principal, type RepositoryGrants } from '../policy/roles';
import { repositoryPathProblem } from '../policy/names';
import { ApiError } from './api-route';

/** Where a repository must be known from for a route to find it. */
export type Known = 'recorded' | 'recorded-or-pushed' | 'any';

export type Permission =
  | { kind: 'signed-in' }
  | { kind: 'admin'; what: string }
  | { kind: 'account-self'; param: string; adminFields: readonly string[] }
  | { kind: 'organization'; param: string; action: OrganizationAction }
  | { kind: 'namespace'; param: string }
  | { kind: 'repository'; action: Action; known: Known; bodyField?: string }
  | { kind: 'webhook'; from: 'body-key' | 'id' };

export const signedIn: Permission = { kind: 'signed-in' };
/** `what` finishes "only admins …". */
export const admin = (what: string): Permission => ({ kind: 'admin', what });
/** The account named by `param`, or admins; `adminFields` of the body only admins may set. */
export const accountSelf = (param: string, adminFields: readonly string[] = []): Permission => ({ kind: 'account-self', param, adminFields });
export const organization = (action: OrganizationAction, param = 'org'): Permission => ({ kind: 'organization', param, action });
/** Administers the namespace `param`: admins, the user it is, its organization's owners. */
export const namespaceAdmin = (param = 'namespace'): Permission => ({ kind: 'namespace', param });
/** `action` on {namespace}/{repo} (or on the repository named by a body field, when present). */
export const repository = (action: Action, known: Known, bodyField?: string): Permission => ({ kind: 'repository', action, known, bodyField });
/** Administers a webhook's key: the key in the body, or the hook's (by {id}). */
export const webhook = (from: 'body-key' | 'id'): Permission => ({ kind: 'webhook', from });

/** What authorize() asks of the registry's state. */
export interface AccessFacts {
  grants(repository: string, principal: Principal | null): RepositoryGrants;
  /** Created through the API or pushed to (accounts.json). */
  repositoryRecorded(repository: string): boolean;
  /** Has tags in Distribution's storage. */
  repositoryPushed(repository: string): boolean;
  organization(name: string): { owners: readonly string[]; teamMembers: readonly string[] } | undefined;
  /** A user or an organization. */
  accountExists(name: string): boolean;
  webhookKey(id: string): string | undefined;
}

export interface AuthorizeCall {
  principal: Principal;
  params: Record<string, string>;
  body: unknown;
}

const denied = (message: string) => new ApiError(403, 'NOT_AUTHORIZED', message);

/** A refusal that says what access would do (roles.ts ROLE_ACTIONS). */
const WHY_NOT: Record<Action, (repo: string) => string> = {
  view: (r) => `may not see ${r}`,
  pull: (r) => `may not pull ${r}`,
  push: (r) => `may not push to ${r}: pushing needs write access`,
  scan: (r) => `may see ${r}'s scans but not start one: scanning needs write access`,
  delete: (r) => `may not delete from ${r}: deleting needs admin access to the repository`,
  manage: (r) => `may not change the settings of ${r}: that needs admin access to the repository`,
};

export function authorize(permissions: readonly Permission[], call: AuthorizeCall, facts: AccessFacts): void {
  // Fail closed: a route that declares nothing is nobody's.
  if (!permissions.length) throw denied('this endpoint declares no permission');
  for (const permission of permissions) check(permission, call, facts);
}

function check(permission: Permission, { principal: p, params, body }: AuthorizeCall, facts: AccessFacts): void {
  const isAdmin = p.globalRole === 'admin';
  switch (permission.kind) {
    case 'signed-in':
      return;
    case 'admin':
      if (!isAdmin) throw denied(`only admins ${permission.what}`);
      return;
    case 'account-self': {
      const name = params[permission.param];
      if (isAdmin) return;
      if (p.name !== name) throw denied(`${p.name} may not change ${name}`);
      const fields = Object.keys(isObject(body) ? body : {}).filter((k) => permission.adminFields.includes(k) && (body as Record<string, unknown>)[k] !== undefined);
      if (fields.length) throw denied(`only admins change ${fields.join(', ')}`);
      return;
    }
    case 'organization': {
      const name = params[permission.param];
      const org = facts.organization(name);
      if (!org) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no organization ${name}`);
      if (!organizationActions(p, org).has(permission.action)) {
        throw denied(permission.action === 'manage-teams' ? `${p.name} does not manage organization ${name}` : `${p.name} is not a member of ${name}`);
      }
      return;
    }
    case 'namespace': {
      const name = params[permission.param];
      if (!facts.accountExists(name)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no account ${name}`);
      if (!namespaceActions(p, { name, organizationOwners: facts.organization(name)?.owners ?? [] }).has('administer')) throw denied(`${p.name} does not administer ${name}`);
      return;
    }
    case 'repository': {
      const fromBody = permission.bodyField !== undefined;
      const named = fromBody ? (isObject(body) ? body[permission.bodyField!] : undefined) : `${params.namespace}/${params.repo}`;
      if (fromBody && named === undefined) return; // not changed by this call
      const repo = String(named);
      const problem = repositoryPathProblem(repo);
      if (problem) throw new ApiError(400, 'INVALID_NAME', fromBody ? `${permission.bodyField}: ${problem}` : problem);
      const allowed = allowedActions(p, facts.grants(repo, p));
      const known = permission.known === 'any' || facts.repositoryRecorded(repo) || (permission.known === 'recorded-or-pushed' && facts.repositoryPushed(repo));
      // Unknown and invisible look the same: a repository's existence is not revealed.
      if (!known || !allowed.has('view')) throw new ApiError(404, 'NO_SUCH_REPOSITORY', `no repository ${repo}${fromBody ? ': create it first' : ''}`);
      if (!allowed.has(permission.action)) throw denied(`${p.name} ${WHY_NOT[permission.action](repo)}`);
      return;
    }
    case 'webhook': {
      if (permission.from === 'id') {
        const key = facts.webhookKey(params.id);
        // Hooks of others are not there, as far as the caller can tell.
        if (key === undefined || !administersKey(p, key, facts)) throw new ApiError(404, 'NO_SUCH_WEBHOOK', `no webhook ${params.id}`);
        return;
      }
      const key = isObject(body) && typeof body.key === 'string' ? body.key : '';
      if (!administersKey(p, key, facts)) throw denied(key ? `${p.name} does not administer ${key}` : 'only admins create registry-wide webhooks: give a repository or namespace as key');
      return;
    }
  }
}

/** Admins administer every key; others repositories they manage and namespaces they administer. The empty key (everything) is the admins'. */
export function administersKey(p: Principal, key: string, facts: AccessFacts): boolean {
  if (p.globalRole === 'admin') return true;
  if (!key) return false;
  if (key.includes('/')) return !repositoryPathProblem(key) && allowedActions(p, facts.grants(key, p)).has('manage');
  return namespaceActions(p, { name: key, organizationOwners: facts.organization(key)?.owners ?? [] }).has('administer');
}

/** The permission in words, for the OpenAPI document. */
export function describePermission(permissions: readonly Permission[]): string {
  return permissions.map((permission) => {
    switch (permission.kind) {
      case 'signed-in': return 'signed in';
      case 'admin': return 'admins';
      case 'account-self': return `admins, or the account itself${permission.adminFields.length ? ` (${permission.adminFields.join(', ')}: admins only)` : ''}`;
      case 'organization': return permission.action === 'manage-teams' ? 'organization owners, admins' : 'team members, organization owners, admins';
      case 'namespace': return 'admins of the namespace (the user, organization owners, admins)';
      case 'repository': return `${permission.action} on ${permission.bodyField ? `the ${permission.bodyField}` : 'the repository'}`;
      case 'webhook': return 'admins, or admins of the webhook\'s key';
    }
  }).join('; and ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
