/**
 * Every /v2 route about a repository, declared once with its ordered
 * policies and where it ends (Harbor's route.go is the model):
 *
 *   trust data   namespace exists → role access → token scope → write gate → notary-server
 *   tag push     namespace exists → role access → token scope → write gate → tag write (lock, immutable tags, tag limit) → Distribution
 *   pull by tag  role access → token scope → Distribution (the puller remembered for the event)
 *   upload       namespace exists → role access → token scope → write gate → mount filter → Distribution
 *   the rest     namespace exists → role access → token scope → write gate → Distribution
 *
 *   const table = createRouteTable({ grants, namespaceExists, gate, host });
 *   const entry = routeFor(table, route);   // { name, policies, end }
 */
import type { Principal, RepositoryGrants } from '../policy/roles';
import type { WriteGate } from '../gc/write-gate';
import type { Policy, RepositoryRoute } from './chain';
import { namespaceExists } from './policies/namespace-exists';
import { roleAccess } from './policies/role-access';
import { tokenScope } from './policies/token-scope';
import { writeGatePolicy } from './policies/write-gate';
import { mountFilter } from './policies/mount-filter';

/** Where a request goes once every policy let it through. */
export type RouteEnd = 'notary' | 'tag-write' | 'pull-by-tag' | 'distribution';

export interface RouteEntry {
  name: string;
  matches(route: RepositoryRoute): boolean;
  policies: readonly Policy[];
  end: RouteEnd;
}

export interface RouteTableDeps {
  grants: (repository: string, principal: Principal | null) => RepositoryGrants;
  namespaceExists: (namespace: string) => boolean;
  gate: WriteGate;
  /** The registry's hostname (token names may carry it). */
  host: string;
}

const byTag = (r: RepositoryRoute) => r.kind === 'manifest' && !!r.reference && !r.reference.includes(':');

export function createRouteTable(deps: RouteTableDeps): RouteEntry[] {
  const names = namespaceExists({ exists: deps.namespaceExists });
  const roles = roleAccess({ grants: deps.grants });
  const scope = tokenScope(deps.host);
  const gate = writeGatePolicy(deps.gate);
  const mounts = mountFilter({ grants: deps.grants, host: deps.host });
  return [
    { name: 'trust data', matches: (r) => r.kind === 'trust', policies: [names, roles, scope, gate], end: 'notary' },
    { name: 'tag push', matches: (r) => byTag(r) && r.action === 'push', policies: [names, roles, scope, gate], end: 'tag-write' },
    // Distribution notifies a pull for every manifest GET and HEAD; the ones by tag become events.
    { name: 'pull by tag', matches: (r) => byTag(r) && r.action === 'pull', policies: [roles, scope], end: 'pull-by-tag' },
    { name: 'upload', matches: (r) => r.kind === 'upload', policies: [names, roles, scope, gate, mounts], end: 'distribution' },
    { name: 'repository', matches: () => true, policies: [names, roles, scope, gate], end: 'distribution' },
  ];
}

export function routeFor(table: readonly RouteEntry[], route: RepositoryRoute): RouteEntry {
  const entry = table.find((e) => e.matches(route));
  if (!entry) throw new Error(`no route for ${route.kind}`); // the table ends with a catch-all
  return entry;
}
