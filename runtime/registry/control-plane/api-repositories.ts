/**
 * Repositories and team access in the DTR-style API. Anyone may create
 * repositories in their own namespace; organization owners and admins in an
 * organization's; repository settings need `manage` on it (roles.ts). Who may
 * call what is declared on each route (api/permissions.ts).
 * (Tags and DELETE of a repository: api-tags.ts.)
 */
import { z } from 'zod';
import type { Accounts, StoredRepository } from './accounts';
import { ApiError, validName } from './api-common';
import { route, type ApiRoute } from '../api/api-route';
import { namespaceAdmin, organization, repository, signedIn } from '../api/permissions';
import { repositoryNameProblem } from '../policy/names';
import { allowedActions, type Principal, type Role } from '../policy/roles';

export const accessLevel = z.enum(['read-only', 'read-write', 'admin']);
export const accessBody = z.object({ accessLevel }).strict();
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

type AccountsData = ReturnType<Accounts['read']>;

export function repositoriesRoutes(accounts: Accounts): ApiRoute[] {
  const typeOf = (namespace: string) => (accounts.organization(namespace) ? 'organization' : 'user');
  const view = (r: StoredRepository) => repositoryView(r, typeOf(r.namespace));
  const sees = (p: Principal, r: StoredRepository) => allowedActions(p, accounts.grants(`${r.namespace}/${r.name}`, p)).has('view');
  const requireTeam = (org: string, team: string) => {
    if (!accounts.team(org, team)) throw new ApiError(404, 'NO_SUCH_TEAM', `no team ${org}/${team}`);
  };
  const teamAccessView = (org: string, team: string, level: Role) => ({ accessLevel: level, team: { orgName: org, name: team } });
  /** A team-access table: as it is (read), and inside a copy being changed (created there when missing). */
  interface AccessTable {
    read(): Readonly<Record<string, Role>>;
    in(d: AccountsData): Record<string, Role>;
  }
  const repoTable = (namespace: string, name: string): AccessTable => ({
    read: () => accounts.repository(`${namespace}/${name}`)?.teamAccess ?? {},
    in: (d) => d.repositories.find((x) => x.namespace === namespace && x.name === name)!.teamAccess,
  });
  const orgTable = (org: string): AccessTable => ({
    read: () => accounts.organization(org)?.teamAccess ?? {},
    in: (d) => (d.orgs.find((x) => x.name === org)!.teamAccess ??= {}),
  });
  const repositoryOf = (p: Record<string, string>) => accounts.repository(`${p.namespace}/${p.repo}`)!;

  /** GET, PUT and DELETE of one team's access, on a repository's or a namespace's access table. */
  function teamAccessRoutes(base: string, tag: string, what: string, permission: ApiRoute['permission'], table: (p: Record<string, string>) => AccessTable, extra: (p: Record<string, string>) => object): ApiRoute[] {
    return [
      route({
        method: 'GET', path: `${base}/{team}`, tag, summary: `A team's access to ${what}`, permission,
        handler: ({ params }) => {
          requireTeam(params.namespace, params.team);
          const level = table(params).read()[params.team];
          if (!level) throw new ApiError(404, 'NO_SUCH_TEAM_ACCESS', `team ${params.namespace}/${params.team} has no access here`);
          return { status: 200, body: { ...teamAccessView(params.namespace, params.team, level), ...extra(params) } };
        },
      }),
      route({
        method: 'PUT', path: `${base}/{team}`, tag, summary: `Set a team's access to ${what}: read-only, read-write or admin`, permission, body: accessBody,
        handler: ({ params, body: { accessLevel: level } }) => {
          requireTeam(params.namespace, params.team);
          accounts.update((d) => void (table(params).in(d)[params.team] = level));
          return { status: 200, body: { ...teamAccessView(params.namespace, params.team, level), ...extra(params) } };
        },
      }),
      route({
        method: 'DELETE', path: `${base}/{team}`, tag, summary: `Remove a team's access to ${what}`, permission,
        handler: ({ params }) => {
          requireTeam(params.namespace, params.team);
          accounts.update((d) => void delete table(params).in(d)[params.team]);
          return { status: 204, body: null };
        },
      }),
    ];
  }

  const repoPath = '/repositories/{namespace}/{repo}';
  return [
    route({
      method: 'GET', path: '/repositories', tag: 'repositories', summary: 'Repositories the caller may see', permission: [signedIn],
      handler: ({ principal }) => ({ status: 200, body: { repositories: accounts.repositories().filter((r) => sees(principal, r)).map(view) } }),
    }),
    route({
      method: 'GET', path: '/repositories/{namespace}', tag: 'repositories', summary: "A namespace's repositories, as far as the caller may see", permission: [signedIn],
      handler: ({ principal, params: { namespace } }) => {
        if (!accounts.namespaceExists(namespace)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no account ${namespace}`);
        return { status: 200, body: { repositories: accounts.repositoriesIn(namespace).filter((r) => sees(principal, r)).map(view) } };
      },
    }),
    route({
      method: 'POST', path: '/repositories/{namespace}', tag: 'repositories', summary: 'Create a repository with its settings', permission: [namespaceAdmin()], body: createBody,
      handler: ({ params: { namespace }, body: { name, ...rest } }) => {
        validName(repositoryNameProblem(name));
        return accounts.update((d) => {
          if (d.repositories.some((r) => r.namespace === namespace && r.name === name)) throw new ApiError(409, 'REPOSITORY_EXISTS', `repository ${namespace}/${name} already exists`);
          const repo: StoredRepository = { namespace, name, teamAccess: {}, createdAt: new Date().toISOString(), ...rest };
          d.repositories.push(repo);
          return { status: 201, body: view(repo) };
        });
      },
    }),
    route({
      method: 'GET', path: repoPath, tag: 'repositories', summary: 'Read a repository and its settings', permission: [repository('view', 'recorded')],
      handler: ({ params }) => ({ status: 200, body: view(repositoryOf(params)) }),
    }),
    route({
      method: 'PATCH', path: repoPath, tag: 'repositories', summary: 'Change visibility, descriptions, scan on push, immutability, tag limit', permission: [repository('manage', 'recorded')], body: patchBody,
      handler: ({ params: { namespace, repo }, body: patch }) => accounts.update((d) => {
        const r = d.repositories.find((x) => x.namespace === namespace && x.name === repo)!;
        Object.assign(r, patch);
        return { status: 200, body: view(r) };
      }),
    }),
    route({
      method: 'GET', path: `${repoPath}/teamAccess`, tag: 'team access', summary: 'Teams with access to the repository', permission: [repository('view', 'recorded'), organization('manage-teams', 'namespace')],
      handler: ({ params }) => {
        const existing = repositoryOf(params);
        return { status: 200, body: { repository: view(existing), teamAccessList: Object.entries(existing.teamAccess).map(([team, level]) => teamAccessView(params.namespace, team, level)) } };
      },
    }),
    ...teamAccessRoutes(`${repoPath}/teamAccess`, 'team access', 'the repository', [repository('view', 'recorded'), organization('manage-teams', 'namespace')],
      (p) => repoTable(p.namespace, p.repo), (p) => ({ repository: view(repositoryOf(p)) })),
    route({
      method: 'GET', path: '/repositoryNamespaces/{namespace}/teamAccess', tag: 'team access', summary: 'Teams with access to every repository of the organization', permission: [organization('manage-teams', 'namespace')],
      handler: ({ params: { namespace } }) => ({ status: 200, body: { namespace, teamAccessList: Object.entries(orgTable(namespace).read()).map(([team, level]) => teamAccessView(namespace, team, level)) } }),
    }),
    ...teamAccessRoutes('/repositoryNamespaces/{namespace}/teamAccess', 'team access', 'every repository of the organization', [organization('manage-teams', 'namespace')],
      (p) => orgTable(p.namespace), (p) => ({ namespace: p.namespace })),
  ];
}
