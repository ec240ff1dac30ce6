/**
 * Who may do what to a repository — roles as data, decided in one place
 * (Harbor's rbac_role.go is the model), following DTR as seed 001 describes it:
 *
 *   global role   none | read-only | read-write | admin   (all repositories)
 *   team access   read-only | read-write | admin          (that team's repositories)
 *   own namespace                                          admin on your own repositories
 *   organization owners                                    admin on the organization's repositories
 *   public visibility                                      anyone, even anonymous, may view and pull
 *
 * and for the resources above repositories (the /api/v0 permissions):
 *
 *   namespace      administer: admins, the user it is named after, its organization's owners
 *   organization   manage-teams: admins and owners; view-teams: also members of any of its teams
 *
 * Access is the union of what each grant allows; no grant means no access.
 */

export const ACTIONS = ['view', 'pull', 'push', 'scan', 'delete', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

export type Role = 'read-only' | 'read-write' | 'admin';
export type GlobalRole = 'none' | Role;

/** The table: what each role allows. `scan` needs write access (seeds 002/003: read-only users see results but cannot start scans). */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  'read-only': ['view', 'pull'],
  'read-write': ['view', 'pull', 'push', 'scan'],
  admin: ['view', 'pull', 'push', 'scan', 'delete', 'manage'],
};

const PUBLIC_ACTIONS: readonly Action[] = ['view', 'pull'];

export interface Principal {
  name: string;
  globalRole: GlobalRole;
}

export interface RepositoryGrants {
  namespace: string;
  visibility: 'public' | 'private';
  /** Access granted to teams the principal belongs to, for this repository. */
  teamRoles: Role[];
  /** The principal owns the organization this repository belongs to. */
  organizationOwner: boolean;
}

export function allowedActions(principal: Principal | null, repo: RepositoryGrants): Set<Action> {
  const allowed = new Set<Action>(repo.visibility === 'public' ? PUBLIC_ACTIONS : []);
  if (!principal) return allowed;
  const add = (role: Role) => ROLE_ACTIONS[role].forEach((a) => allowed.add(a));
  if (principal.globalRole !== 'none') add(principal.globalRole);
  if (principal.name === repo.namespace || repo.organizationOwner) add('admin');
  repo.teamRoles.forEach(add);
  return allowed;
}

export function may(principal: Principal | null, repo: RepositoryGrants, action: Action): boolean {
  return allowedActions(principal, repo).has(action);
}

export type NamespaceAction = 'administer';
export type OrganizationAction = 'view-teams' | 'manage-teams';

/** What a principal may do to a namespace (a user's or an organization's): create repositories, manage its policies. */
export function namespaceActions(principal: Principal, namespace: { name: string; organizationOwners: readonly string[] }): Set<NamespaceAction> {
  const owner = principal.globalRole === 'admin' || principal.name === namespace.name || namespace.organizationOwners.includes(principal.name);
  return new Set(owner ? ['administer'] : []);
}

/** What a principal may do to an organization's teams. */
export function organizationActions(principal: Principal, org: { owners: readonly string[]; teamMembers: readonly string[] }): Set<OrganizationAction> {
  if (principal.globalRole === 'admin' || org.owners.includes(principal.name)) return new Set(['view-teams', 'manage-teams']);
  return new Set(org.teamMembers.includes(principal.name) ? ['view-teams'] : []);
}
