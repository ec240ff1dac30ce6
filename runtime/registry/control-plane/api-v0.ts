/**
 * The DTR-style management API (/api/v0) of the bundled registry: accounts
 * (users with a global role, organizations), teams and their members,
 * repositories with visibility and team access. Admins manage everything;
 * organization owners manage their organization; anyone may create
 * repositories in their own namespace.
 *
 *   POST /api/v0/accounts                                   {type, name, password?, globalRole?}
 *   GET  /api/v0/accounts
 *   POST /api/v0/accounts/:org/teams                        {name}
 *   GET  /api/v0/accounts/:org/teams
 *   PUT  /api/v0/accounts/:org/teams/:team/members/:user
 *   POST /api/v0/repositories/:namespace                    {name, visibility}
 *   PATCH /api/v0/repositories/:namespace/:repo             {visibility?, immutableTags?, tagLimit?}
 *   GET  /api/v0/repositories/:namespace/:repo
 *   PUT  /api/v0/repositories/:namespace/:repo/teamAccess/:team   {accessLevel}
 *   GET  /api/v0/repositories                               (what the caller may see)
 */
import bcrypt from 'bcryptjs';
import { z } from 'zod';
import type { Accounts } from './accounts';
import { accountNameProblem, repositoryNameProblem } from '../policy/names';
import { allowedActions, type Principal } from '../policy/roles';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const role = z.enum(['read-only', 'read-write', 'admin']);
const accountBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), name: z.string(), password: z.string().min(8, 'passwords have at least 8 characters'), globalRole: z.enum(['none', 'read-only', 'read-write', 'admin']).default('none') }).strict(),
  z.object({ type: z.literal('organization'), name: z.string() }).strict(),
]);

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, 'INVALID_JSON', `${r.error.issues[0].path.join('.') || 'body'}: ${r.error.issues[0].message}`);
  return r.data;
}

function repositoryView(r: { namespace: string; name: string; visibility: string; immutableTags?: boolean; tagLimit?: number; teamAccess: Record<string, string> }) {
  return { namespace: r.namespace, name: r.name, visibility: r.visibility, immutableTags: !!r.immutableTags, tagLimit: r.tagLimit ?? 0, teamAccess: r.teamAccess };
}

/** 0 is no limit; 1000 is more tags than any lab keeps. */
const tagLimit = z.number().int().min(0).max(1000);

function validName(problem: string | null) {
  if (problem) throw new ApiError(400, 'INVALID_NAME', problem);
}

export function createApiV0(accounts: Accounts) {
  const isAdmin = (p: Principal) => p.globalRole === 'admin';
  const ownsOrg = (p: Principal, org: string) => isAdmin(p) || accounts.read().orgs.some((o) => o.name === org && o.owners.includes(p.name));
  const requireOrgManager = (p: Principal, org: string) => {
    if (!accounts.read().orgs.some((o) => o.name === org)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no organization ${org}`);
    if (!ownsOrg(p, org)) throw new ApiError(403, 'NOT_AUTHORIZED', `${p.name} does not manage organization ${org}`);
  };

  /** Answers one API call: status and JSON body. */
  return async function handle(method: string, pathname: string, principal: Principal, body: unknown): Promise<{ status: number; body: unknown }> {
    const parts = pathname.replace(/^\/api\/v0\//, '').split('/').filter(Boolean).map(decodeURIComponent);

    if (parts[0] === 'accounts' && parts.length === 1) {
      if (!isAdmin(principal)) throw new ApiError(403, 'NOT_AUTHORIZED', 'only admins manage accounts');
      if (method === 'GET') {
        const data = accounts.read();
        return { status: 200, body: { accounts: [...data.users.map((u) => ({ type: 'user', name: u.name, globalRole: u.globalRole })), ...data.orgs.map((o) => ({ type: 'organization', name: o.name }))] } };
      }
      if (method === 'POST') {
        const a = parse(accountBody, body);
        validName(accountNameProblem(a.name));
        const passwordHash = a.type === 'user' ? await bcrypt.hash(a.password, 10) : '';
        return accounts.update((data) => {
          if (data.users.some((u) => u.name === a.name) || data.orgs.some((o) => o.name === a.name)) throw new ApiError(409, 'ACCOUNT_EXISTS', `account ${a.name} already exists`);
          if (a.type === 'user') data.users.push({ name: a.name, passwordHash, globalRole: a.globalRole });
          else data.orgs.push({ name: a.name, owners: [principal.name] });
          return { status: 201, body: a.type === 'user' ? { type: 'user', name: a.name, globalRole: a.globalRole } : { type: 'organization', name: a.name } };
        });
      }
    }

    if (parts[0] === 'accounts' && parts[2] === 'teams') {
      const org = parts[1];
      requireOrgManager(principal, org);
      if (parts.length === 3 && method === 'GET') {
        return { status: 200, body: { teams: accounts.read().teams.filter((t) => t.org === org).map((t) => ({ name: t.name, members: t.members })) } };
      }
      if (parts.length === 3 && method === 'POST') {
        const { name } = parse(z.object({ name: z.string() }).strict(), body);
        validName(accountNameProblem(name));
        return accounts.update((data) => {
          if (data.teams.some((t) => t.org === org && t.name === name)) throw new ApiError(409, 'TEAM_EXISTS', `team ${org}/${name} already exists`);
          data.teams.push({ org, name, members: [] });
          return { status: 201, body: { org, name, members: [] } };
        });
      }
      if (parts.length === 6 && parts[4] === 'members' && method === 'PUT') {
        const [team, user] = [parts[3], parts[5]];
        return accounts.update((data) => {
          const t = data.teams.find((x) => x.org === org && x.name === team);
          if (!t) throw new ApiError(404, 'NO_SUCH_TEAM', `no team ${org}/${team}`);
          if (!data.users.some((u) => u.name === user)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no user ${user}`);
          if (!t.members.includes(user)) t.members.push(user);
          return { status: 200, body: { org, name: team, members: t.members } };
        });
      }
    }

    if (parts[0] === 'repositories') {
      if (parts.length === 1 && method === 'GET') {
        const repos = accounts.read().repositories
          .filter((r) => allowedActions(principal, accounts.grants(`${r.namespace}/${r.name}`, principal)).has('view'))
          .map((r) => ({ namespace: r.namespace, name: r.name, visibility: r.visibility }));
        return { status: 200, body: { repositories: repos } };
      }
      const namespace = parts[1];
      if (parts.length === 2 && method === 'POST') {
        const { name, visibility } = parse(z.object({ name: z.string(), visibility: z.enum(['public', 'private']).default('private') }).strict(), body);
        validName(repositoryNameProblem(name));
        const data = accounts.read();
        const isOrg = data.orgs.some((o) => o.name === namespace);
        if (!isOrg && !data.users.some((u) => u.name === namespace)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no account ${namespace}`);
        if (!(isAdmin(principal) || principal.name === namespace || (isOrg && ownsOrg(principal, namespace)))) {
          throw new ApiError(403, 'NOT_AUTHORIZED', `${principal.name} may not create repositories in ${namespace}`);
        }
        return accounts.update((d) => {
          if (d.repositories.some((r) => r.namespace === namespace && r.name === name)) throw new ApiError(409, 'REPOSITORY_EXISTS', `repository ${namespace}/${name} already exists`);
          d.repositories.push({ namespace, name, visibility, teamAccess: {} });
          return { status: 201, body: { namespace, name, visibility } };
        });
      }
      if (parts.length === 3 && (method === 'GET' || method === 'PATCH')) {
        const full = `${namespace}/${parts[2]}`;
        const allowed = allowedActions(principal, accounts.grants(full, principal));
        const existing = accounts.repository(full);
        if (!existing || !allowed.has('view')) throw new ApiError(404, 'NO_SUCH_REPOSITORY', `no repository ${full}`);
        if (method === 'GET') return { status: 200, body: repositoryView(existing) };
        if (!allowed.has('manage')) throw new ApiError(403, 'NOT_AUTHORIZED', `${principal.name} may not change the settings of ${full}`);
        const patch = parse(z.object({ visibility: z.enum(['public', 'private']).optional(), immutableTags: z.boolean().optional(), tagLimit: tagLimit.optional() }).strict(), body);
        return accounts.update((data) => {
          const r = data.repositories.find((x) => x.namespace === namespace && x.name === parts[2])!;
          Object.assign(r, patch);
          return { status: 200, body: repositoryView(r) };
        });
      }
      if (parts.length === 5 && parts[3] === 'teamAccess' && method === 'PUT') {
        const [repo, team] = [parts[2], parts[4]];
        requireOrgManager(principal, namespace);
        const { accessLevel } = parse(z.object({ accessLevel: role }).strict(), body);
        return accounts.update((data) => {
          const r = data.repositories.find((x) => x.namespace === namespace && x.name === repo);
          if (!r) throw new ApiError(404, 'NO_SUCH_REPOSITORY', `no repository ${namespace}/${repo}`);
          if (!data.teams.some((t) => t.org === namespace && t.name === team)) throw new ApiError(404, 'NO_SUCH_TEAM', `no team ${namespace}/${team}`);
          r.teamAccess[team] = accessLevel;
          return { status: 200, body: { namespace, name: repo, team, accessLevel } };
        });
      }
    }
    throw new ApiError(404, 'NOT_FOUND', `no API endpoint ${method} ${pathname}`);
  };
}
