/**
 * The registry's accounts and repositories, in one JSON file on the registry
 * node's volume, written atomically (temp file + rename) so a crash never
 * leaves half a file. Users have a global role; organizations have teams of
 * users; repositories belong to a namespace (user or organization), have a
 * visibility, and give teams access levels.
 *
 *   const store = openAccounts('/var/lib/labdock-registry/accounts.json');
 *   store.ensureAdmin('admin', bcryptHash);
 *   await store.verify('admin', 'secret')          // Principal | null
 *   store.grants('engineering/barca', principal)   // RepositoryGrants for roles.ts
 */
import bcrypt from 'bcryptjs';
import type { GlobalRole, Principal, RepositoryGrants, Role } from '../policy/roles';
import { openJsonStore } from '../storage/json-file';

export interface StoredUser {
  name: string;
  passwordHash: string;
  globalRole: GlobalRole;
  fullName?: string;
  /** The labdock server's own account: an admin that the accounts API never shows or changes. */
  system?: boolean;
}

export interface StoredTeam {
  org: string;
  name: string;
  members: string[];
}

export interface StoredRepository {
  namespace: string;
  name: string;
  visibility: 'public' | 'private';
  /** team name → access level, for organization repositories */
  teamAccess: Record<string, Role>;
  shortDescription?: string;
  longDescription?: string;
  /** Scan each pushed tag when scanning is on. */
  scanOnPush?: boolean;
  createdAt?: string;
  /** Tags, once pushed, cannot be pushed again (DTR's immutable repositories). */
  immutableTags?: boolean;
  /** Most tags kept; pushing one more prunes the oldest (0 or absent: no limit). */
  tagLimit?: number;
}

export interface StoredOrg {
  name: string;
  owners: string[];
  fullName?: string;
  /** team name → access level on every repository of the organization (DTR's repositoryNamespaces team access). */
  teamAccess?: Record<string, Role>;
}

interface AccountsFile {
  users: StoredUser[];
  orgs: StoredOrg[];
  teams: StoredTeam[];
  repositories: StoredRepository[];
}

/** A bcrypt hash of nothing anyone knows: unknown users cost the same time as known ones. */
const DUMMY_HASH = '$2a$10$CwTycUXWue0Thq9StjUM0uJ8.jwSm3e2XVQJdh3Wx6eYIi5Y0JQO.';

export function openAccounts(file: string) {
  // Password hashes inside: readable by the node's root only.
  const store = openJsonStore<AccountsFile>(file, () => ({ users: [], orgs: [], teams: [], repositories: [] }), { mode: 0o600, merge: true });
  /** Parsed once per change of the file (several questions per push): read-only, change through update. */
  const read = (): Readonly<AccountsFile> => store.read();
  const update = <T>(change: (data: AccountsFile) => T): T => store.update(change);

  return {
    read,
    update,

    /** The session's admin (or, with system, the platform's account): created on first start, password hash refreshed on every start. */
    ensureAdmin(name: string, passwordHash: string, options: { system?: boolean } = {}): void {
      update((data) => {
        const existing = data.users.find((u) => u.name === name);
        const fields = { passwordHash, globalRole: 'admin' as const, ...(options.system ? { system: true } : {}) };
        if (existing) Object.assign(existing, fields);
        else data.users.push({ name, ...fields });
      });
    },

    async verify(name: string, password: string): Promise<Principal | null> {
      const user = read().users.find((u) => u.name === name);
      const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
      return ok && user ? { name: user.name, globalRole: user.globalRole } : null;
    },

    /** What roles.ts needs to decide on one repository for one principal. */
    grants(repository: string, principal: Principal | null): RepositoryGrants {
      const data = read();
      const [namespace, name] = repository.split('/');
      const repo = data.repositories.find((r) => r.namespace === namespace && r.name === name);
      const org = data.orgs.find((o) => o.name === namespace);
      const teamRoles: Role[] = [];
      if (principal) {
        const member = (team: string) => data.teams.some((t) => t.org === namespace && t.name === team && t.members.includes(principal.name));
        // Access to this repository, and to every repository of its organization.
        for (const [team, role] of [...Object.entries(repo?.teamAccess ?? {}), ...Object.entries(org?.teamAccess ?? {})]) if (member(team)) teamRoles.push(role);
      }
      const organizationOwner = !!principal && !!org?.owners.includes(principal.name);
      return { namespace, visibility: repo?.visibility ?? 'private', teamRoles, organizationOwner };
    },

    /** Questions about the accounts, so callers need not know the file's shape (answers are shared: read-only). */
    user: (name: string): Readonly<StoredUser> | undefined => read().users.find((u) => u.name === name),
    /** The users the API shows (not the platform's own account). */
    visibleUsers: (): readonly StoredUser[] => read().users.filter((u) => !u.system),
    organization: (name: string): Readonly<StoredOrg> | undefined => read().orgs.find((o) => o.name === name),
    organizations: (): readonly StoredOrg[] => read().orgs,
    team: (org: string, name: string): Readonly<StoredTeam> | undefined => read().teams.find((t) => t.org === org && t.name === name),
    teamsOf: (org: string): readonly StoredTeam[] => read().teams.filter((t) => t.org === org),
    repositories: (): readonly StoredRepository[] => read().repositories,
    repositoriesIn: (namespace: string): readonly StoredRepository[] => read().repositories.filter((r) => r.namespace === namespace),

    /** A user or an organization of that name (where pushes may go). */
    namespaceExists(namespace: string): boolean {
      const data = read();
      return data.users.some((u) => u.name === namespace) || data.orgs.some((o) => o.name === namespace);
    },

    repository(repository: string): StoredRepository | undefined {
      const [namespace, name] = repository.split('/');
      return read().repositories.find((r) => r.namespace === namespace && r.name === name);
    },

    /** Records a repository the first time something is pushed to it (private, as DTR creates them). */
    ensureRepository(repository: string): void {
      const [namespace, name] = repository.split('/');
      update((data) => {
        if (!data.repositories.some((r) => r.namespace === namespace && r.name === name)) {
          data.repositories.push({ namespace, name, visibility: 'private', teamAccess: {}, createdAt: new Date().toISOString() });
        }
      });
    },
  };
}

export type Accounts = ReturnType<typeof openAccounts>;
