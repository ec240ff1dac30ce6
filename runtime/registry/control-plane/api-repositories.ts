/**
 * Repositories and team access in the DTR-style API. Anyone may create
 * repositories in their own namespace; organization owners and admins in an
 * organization's; repository settings need `manage` on it (roles.ts).
 *
 *   GET   /api/v0/repositories                              what the caller may see
 *   GET   /api/v0/repositories/:namespace                   the namespace's, as far as the caller may see
 *   POST  /api/v0/repositories/:namespace                   {name, visibility?, shortDescription?, longDescription?, scanOnPush?, immutableTags?, tagLimit?}
 *   GET   /api/v0/repositories/:namespace/:repo
 *   PATCH /api/v0/repositories/:namespace/:repo             any of the settings above but the name
 *   GET   /api/v0/repositories/:namespace/:repo/teamAccess
 *   GET|PUT|DELETE /api/v0/repositories/:namespace/:repo/teamAccess/:team    PUT {accessLevel}
 *   GET   /api/v0/repositoryNamespaces/:namespace/teamAccess
 *   GET|PUT|DELETE /api/v0/repositoryNamespaces/:namespace/teamAccess/:team  every repository of the organization
 * (Tags and DELETE of a repository: api-tags.ts.)
 */
import { z } from 'zod';
import type { Accounts, StoredRepository } from './accounts';
import { ApiError, parse, pathParts, validName, type ApiHandler } from './api-common';
import { repositoryNameProblem } from '../policy/names';
import { allowedActions, type Principal, type Role } from '../policy/roles';

export const accessLevel = z.enum(['read-only', 'read-write', 'admin']);
/** 0 is no limit; 1000 is more tags than any lab keeps. */
const settings = {
  visibility: z.enum(['public', 'private']),
  shortDescription: z.string().max(140),
  longDescription: z.string().max(10_000),
  scanOnPush: z.boolean(),
  immutableTags: z.boolean(),
  tagLimit: z.number().int().min(0).max(1000),
};
export const createBody = z.object({ name: z.string(), ...settings, visibility: settings.visibility.default('private') }).partial({ shortDescription: true, longDescription: true, scanOnPush: true, immutableTags: true, tagLimit: true }).strict();
export const patchBody = z.object(settings).partial().strict();

export function repositoryView(r: StoredRepository, namespaceType: 'user' | 'organization') {
  return {
    namespace: r.namespace, namespaceType, name: r.name, shortDescription: r.shortDescription ?? '', longDescription: r.longDescription ?? '',
    visibility: r.visibility, scanOnPush: !!r.scanOnPush, immutableTags: !!r.immutableTags, tagLimit: r.tagLimit ?? 0, createdAt: r.createdAt ?? null, teamAccess: r.teamAccess,
  };
}

export function createRepositoriesApi(accounts: Accounts): ApiHandler {
  const isAdmin = (p: Principal) => p.globalRole === 'admin';
  const typeOf = (namespace: string) => (accounts.read().orgs.some((o) => o.name === namespace) ? 'organization' : 'user');
  const view = (r: StoredRepository) => repositoryView(r, typeOf(r.namespace));
  const sees = (p: Principal, r: StoredRepository) => allowedActions(p, accounts.grants(`${r.namespace}/${r.name}`, p)).has('view');

  function requireOrgManager(p: Principal, org: string) {
    const o = accounts.read().orgs.find((x) => x.name === org);
    if (!o) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no organization ${org}`);
    if (!isAdmin(p) && !o.owners.includes(p.name)) throw new ApiError(403, 'NOT_AUTHORIZED', `${p.name} does not manage organization ${org}`);
  }
  function requireTeam(org: string, team: string) {
    if (!accounts.read().teams.some((t) => t.org === org && t.name === team)) throw new ApiError(404, 'NO_SUCH_TEAM', `no team ${org}/${team}`);
  }
  const teamAccessView = (org: string, team: string, level: Role) => ({ accessLevel: level, team: { orgName: org, name: team } });

  /** GET/PUT/DELETE of one team's access, on a repository's or a namespace's access table. */
  function teamAccessCall(method: string, org: string, team: string, body: unknown, table: (d: ReturnType<Accounts['read']>) => Record<string, Role>, extra: () => object) {
    requireTeam(org, team);
    if (method === 'GET') {
      const level = table(accounts.read())[team];
      if (!level) throw new ApiError(404, 'NO_SUCH_TEAM_ACCESS', `team ${org}/${team} has no access here`);
      return { status: 200, body: { ...teamAccessView(org, team, level), ...extra() } };
    }
    if (method === 'PUT') {
      const { accessLevel: level } = parse(z.object({ accessLevel }).strict(), body);
      accounts.update((d) => void (table(d)[team] = level));
      return { status: 200, body: { ...teamAccessView(org, team, level), ...extra() } };
    }
    if (method === 'DELETE') {
      accounts.update((d) => void delete table(d)[team]);
      return { status: 204, body: null };
    }
    return null;
  }

  return async function handle(method, pathname, principal, body) {
    const parts = pathParts(pathname);

    if (parts[0] === 'repositoryNamespaces' && parts[2] === 'teamAccess') {
      const org = parts[1];
      requireOrgManager(principal, org);
      const table = (d: ReturnType<Accounts['read']>) => {
        const o = d.orgs.find((x) => x.name === org)!;
        return (o.teamAccess ??= {});
      };
      // GET /api/v0/repositoryNamespaces/:namespace/teamAccess
      if (parts.length === 3 && method === 'GET') {
        return { status: 200, body: { namespace: org, teamAccessList: Object.entries(table(accounts.read())).map(([team, level]) => teamAccessView(org, team, level)) } };
      }
      if (parts.length === 4) return teamAccessCall(method, org, parts[3], body, table, () => ({ namespace: org }));
      return null;
    }

    if (parts[0] !== 'repositories') return null;
    // GET /api/v0/repositories — what the caller may see
    if (parts.length === 1 && method === 'GET') {
      return { status: 200, body: { repositories: accounts.read().repositories.filter((r) => sees(principal, r)).map(view) } };
    }
    const namespace = parts[1];
    if (parts.length === 2) {
      const data = accounts.read();
      const isOrg = data.orgs.some((o) => o.name === namespace);
      if (!isOrg && !data.users.some((u) => u.name === namespace)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no account ${namespace}`);
      // GET /api/v0/repositories/:namespace
      if (method === 'GET') return { status: 200, body: { repositories: data.repositories.filter((r) => r.namespace === namespace && sees(principal, r)).map(view) } };
      // POST /api/v0/repositories/:namespace — create
      if (method === 'POST') {
        const { name, ...rest } = parse(createBody, body);
        validName(repositoryNameProblem(name));
        const owner = isAdmin(principal) || principal.name === namespace || (isOrg && data.orgs.some((o) => o.name === namespace && o.owners.includes(principal.name)));
        if (!owner) throw new ApiError(403, 'NOT_AUTHORIZED', `${principal.name} may not create repositories in ${namespace}`);
        return accounts.update((d) => {
          if (d.repositories.some((r) => r.namespace === namespace && r.name === name)) throw new ApiError(409, 'REPOSITORY_EXISTS', `repository ${namespace}/${name} already exists`);
          const repo: StoredRepository = { namespace, name, teamAccess: {}, createdAt: new Date().toISOString(), ...rest };
          d.repositories.push(repo);
          return { status: 201, body: view(repo) };
        });
      }
      return null;
    }

    const name = parts[2];
    const full = `${namespace}/${name}`;
    const existing = accounts.repository(full);
    const allowed = allowedActions(principal, accounts.grants(full, principal));
    // Unknown and invisible look the same: a repository's existence is not revealed.
    if (!existing || !allowed.has('view')) {
      if (parts.length === 4 && parts[3] === 'tags') return null; // tags of a repository only pushed so far: api-tags.ts
      throw new ApiError(404, 'NO_SUCH_REPOSITORY', `no repository ${full}`);
    }
    if (parts.length === 3) {
      // GET /api/v0/repositories/:namespace/:repo
      if (method === 'GET') return { status: 200, body: view(existing) };
      // PATCH /api/v0/repositories/:namespace/:repo — settings
      if (method === 'PATCH') {
        if (!allowed.has('manage')) throw new ApiError(403, 'NOT_AUTHORIZED', `${principal.name} may not change the settings of ${full}`);
        const patch = parse(patchBody, body);
        return accounts.update((d) => {
          const r = d.repositories.find((x) => x.namespace === namespace && x.name === name)!;
          Object.assign(r, patch);
          return { status: 200, body: view(r) };
        });
      }
      return null;
    }
    if (parts[3] !== 'teamAccess') return null;
    requireOrgManager(principal, namespace);
    const table = (d: ReturnType<Accounts['read']>) => d.repositories.find((x) => x.namespace === namespace && x.name === name)!.teamAccess;
    // GET /api/v0/repositories/:namespace/:repo/teamAccess
    if (parts.length === 4 && method === 'GET') {
      return { status: 200, body: { repository: view(existing), teamAccessList: Object.entries(existing.teamAccess).map(([team, level]) => teamAccessView(namespace, team, level)) } };
    }
    if (parts.length === 5) return teamAccessCall(method, namespace, parts[4], body, table, () => ({ repository: view(accounts.repository(full)!) }));
    return null;
  };
}
