/**
 * Accounts, teams and members in the DTR-style API (DTR's v0 paths and field
 * names). Admins manage users; organization owners (and admins) manage their
 * organization's teams; everyone signed in may look people up.
 *
 *   GET    /api/v0/accounts                                  names and types (roles for admins)
 *   POST   /api/v0/accounts                                  {type: user|organization, name, password?, globalRole?, fullName?}
 *   GET    /api/v0/accounts/:name
 *   PATCH  /api/v0/accounts/:name                            {globalRole?, password?, fullName?}
 *   DELETE /api/v0/accounts/:name
 *   GET    /api/v0/accounts/:org/teams                       POST {name}
 *   GET    /api/v0/accounts/:org/teams/:team                 DELETE
 *   GET    /api/v0/accounts/:org/teams/:team/members
 *   GET|PUT|DELETE /api/v0/accounts/:org/teams/:team/members/:user
 */
import bcrypt from 'bcryptjs';
import { z } from 'zod';
import type { Accounts, StoredUser } from './accounts';
import { ApiError, parse, pathParts, validName, type ApiHandler } from './api-common';
import { accountNameProblem, newAccountNameProblem } from '../policy/names';
import type { Principal } from '../policy/roles';

const globalRole = z.enum(['none', 'read-only', 'read-write', 'admin']);
const password = z.string().min(8, 'passwords have at least 8 characters').max(200);
export const accountBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), name: z.string(), password, globalRole: globalRole.default('none'), fullName: z.string().max(200).optional() }).strict(),
  z.object({ type: z.literal('organization'), name: z.string(), fullName: z.string().max(200).optional() }).strict(),
]);
export const accountPatch = z.object({ globalRole: globalRole.optional(), password: password.optional(), fullName: z.string().max(200).optional() }).strict();

/** bcrypt cost 10: ~50 ms a check, what Distribution's htpasswd docs use. */
const BCRYPT_COST = 10;

export function createAccountsApi(accounts: Accounts): ApiHandler {
  const isAdmin = (p: Principal) => p.globalRole === 'admin';
  const userView = (u: StoredUser, showRole: boolean) => ({ type: 'user', name: u.name, fullName: u.fullName ?? '', ...(showRole ? { globalRole: u.globalRole, isAdmin: u.globalRole === 'admin' } : {}) });
  const orgView = (name: string, fullName = '') => ({ type: 'organization', name, fullName });

  function requireOrg(org: string) {
    if (!accounts.read().orgs.some((o) => o.name === org)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no organization ${org}`);
  }
  function requireOrgManager(p: Principal, org: string) {
    requireOrg(org);
    if (!isAdmin(p) && !accounts.read().orgs.some((o) => o.name === org && o.owners.includes(p.name))) throw new ApiError(403, 'NOT_AUTHORIZED', `${p.name} does not manage organization ${org}`);
  }
  /** Members of any of its teams may see an organization's teams. */
  function requireOrgReader(p: Principal, org: string) {
    requireOrg(org);
    const data = accounts.read();
    const member = data.teams.some((t) => t.org === org && t.members.includes(p.name));
    if (!member && !isAdmin(p) && !data.orgs.some((o) => o.name === org && o.owners.includes(p.name))) throw new ApiError(403, 'NOT_AUTHORIZED', `${p.name} is not a member of ${org}`);
  }

  return async function handle(method, pathname, principal, body) {
    const parts = pathParts(pathname);
    if (parts[0] !== 'accounts') return null;

    if (parts.length === 1) {
      // GET /api/v0/accounts — everyone's names; roles for admins
      if (method === 'GET') {
        const data = accounts.read();
        return { status: 200, body: { accounts: [...data.users.filter((u) => !u.system).map((u) => userView(u, isAdmin(principal))), ...data.orgs.map((o) => orgView(o.name, o.fullName))] } };
      }
      // POST /api/v0/accounts — a user or an organization (admins)
      if (method === 'POST') {
        if (!isAdmin(principal)) throw new ApiError(403, 'NOT_AUTHORIZED', 'only admins manage accounts');
        const a = parse(accountBody, body);
        validName(newAccountNameProblem(a.name));
        const passwordHash = a.type === 'user' ? await bcrypt.hash(a.password, BCRYPT_COST) : '';
        return accounts.update((data) => {
          if (data.users.some((u) => u.name === a.name) || data.orgs.some((o) => o.name === a.name)) throw new ApiError(409, 'ACCOUNT_EXISTS', `account ${a.name} already exists`);
          if (a.type === 'user') {
            const user: StoredUser = { name: a.name, passwordHash, globalRole: a.globalRole, ...(a.fullName ? { fullName: a.fullName } : {}) };
            data.users.push(user);
            return { status: 201, body: userView(user, true) };
          }
          data.orgs.push({ name: a.name, owners: [principal.name], ...(a.fullName ? { fullName: a.fullName } : {}) });
          return { status: 201, body: orgView(a.name, a.fullName) };
        });
      }
    }

    const name = parts[1];
    if (parts.length === 2) {
      const data = accounts.read();
      // The platform's account is not there as far as the API is concerned.
      const user = data.users.find((u) => u.name === name && !u.system);
      const org = data.orgs.find((o) => o.name === name);
      if (!user && !org) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no account ${name}`);
      // GET /api/v0/accounts/:name
      if (method === 'GET') return { status: 200, body: user ? userView(user, isAdmin(principal) || principal.name === name) : orgView(name, org!.fullName) };
      // PATCH /api/v0/accounts/:name — role (admins), password (admins or the user), full name
      if (method === 'PATCH') {
        const patch = parse(accountPatch, body);
        const self = principal.name === name;
        if (!isAdmin(principal) && !(self && patch.globalRole === undefined)) throw new ApiError(403, 'NOT_AUTHORIZED', `${principal.name} may not change ${name}`);
        if (self && patch.globalRole && patch.globalRole !== 'admin') throw new ApiError(409, 'CANNOT_DEMOTE_SELF', 'an admin cannot take away their own admin role: ask another admin');
        if (org && (patch.password || patch.globalRole)) throw new ApiError(400, 'INVALID_JSON', `${name} is an organization: it has no password or role`);
        const passwordHash = patch.password ? await bcrypt.hash(patch.password, BCRYPT_COST) : undefined;
        return accounts.update((d) => {
          const u = d.users.find((x) => x.name === name);
          if (u) {
            if (patch.globalRole) u.globalRole = patch.globalRole;
            if (passwordHash) u.passwordHash = passwordHash;
            if (patch.fullName !== undefined) u.fullName = patch.fullName;
            return { status: 200, body: userView(u, true) };
          }
          const o = d.orgs.find((x) => x.name === name)!;
          if (patch.fullName !== undefined) o.fullName = patch.fullName;
          return { status: 200, body: orgView(o.name, o.fullName) };
        });
      }
      // DELETE /api/v0/accounts/:name — admins; an organization must have no repositories left
      if (method === 'DELETE') {
        if (!isAdmin(principal)) throw new ApiError(403, 'NOT_AUTHORIZED', 'only admins delete accounts');
        if (principal.name === name) throw new ApiError(409, 'CANNOT_DELETE_SELF', 'you cannot delete your own account');
        return accounts.update((d) => {
          if (d.repositories.some((r) => r.namespace === name)) throw new ApiError(409, 'NAMESPACE_NOT_EMPTY', `${name} still has repositories: delete them first`);
          d.users = d.users.filter((u) => u.name !== name);
          d.orgs = d.orgs.filter((o) => o.name !== name);
          d.teams = d.teams.filter((t) => t.org !== name);
          for (const t of d.teams) t.members = t.members.filter((m) => m !== name);
          for (const o of d.orgs) o.owners = o.owners.filter((m) => m !== name);
          return { status: 204, body: null };
        });
      }
    }

    if (parts[2] !== 'teams') return null;
    const orgName = name;
    if (parts.length === 3) {
      // GET /api/v0/accounts/:org/teams
      if (method === 'GET') {
        requireOrgReader(principal, orgName);
        return { status: 200, body: { teams: accounts.read().teams.filter((t) => t.org === orgName).map((t) => ({ name: t.name, members: t.members })) } };
      }
      // POST /api/v0/accounts/:org/teams — {name}
      if (method === 'POST') {
        requireOrgManager(principal, orgName);
        const { name: team } = parse(z.object({ name: z.string(), description: z.string().max(500).optional() }).strict(), body);
        validName(accountNameProblem(team));
        return accounts.update((data) => {
          if (data.teams.some((t) => t.org === orgName && t.name === team)) throw new ApiError(409, 'TEAM_EXISTS', `team ${orgName}/${team} already exists`);
          data.teams.push({ org: orgName, name: team, members: [] });
          return { status: 201, body: { org: orgName, name: team, members: [] } };
        });
      }
    }

    const teamName = parts[3];
    const findTeam = () => {
      const t = accounts.read().teams.find((x) => x.org === orgName && x.name === teamName);
      if (!t) throw new ApiError(404, 'NO_SUCH_TEAM', `no team ${orgName}/${teamName}`);
      return t;
    };
    if (parts.length === 4) {
      // GET /api/v0/accounts/:org/teams/:team
      if (method === 'GET') {
        requireOrgReader(principal, orgName);
        const t = findTeam();
        return { status: 200, body: { org: orgName, name: t.name, members: t.members } };
      }
      // DELETE /api/v0/accounts/:org/teams/:team — and every access it had
      if (method === 'DELETE') {
        requireOrgManager(principal, orgName);
        findTeam();
        return accounts.update((data) => {
          data.teams = data.teams.filter((t) => !(t.org === orgName && t.name === teamName));
          for (const r of data.repositories) if (r.namespace === orgName) delete r.teamAccess[teamName];
          const o = data.orgs.find((x) => x.name === orgName);
          if (o?.teamAccess) delete o.teamAccess[teamName];
          return { status: 204, body: null };
        });
      }
    }

    if (parts[4] !== 'members') return null;
    // GET /api/v0/accounts/:org/teams/:team/members
    if (parts.length === 5 && method === 'GET') {
      requireOrgReader(principal, orgName);
      return { status: 200, body: { members: findTeam().members.map((m) => ({ name: m })) } };
    }
    if (parts.length === 6) {
      const user = parts[5];
      // GET /api/v0/accounts/:org/teams/:team/members/:user — 200 when a member, 404 when not
      if (method === 'GET') {
        requireOrgReader(principal, orgName);
        if (!findTeam().members.includes(user)) throw new ApiError(404, 'NO_SUCH_MEMBER', `${user} is not a member of ${orgName}/${teamName}`);
        return { status: 200, body: { name: user } };
      }
      if (method === 'PUT' || method === 'DELETE') {
        requireOrgManager(principal, orgName);
        findTeam();
        return accounts.update((data) => {
          const t = data.teams.find((x) => x.org === orgName && x.name === teamName)!;
          if (method === 'DELETE') {
            if (!t.members.includes(user)) throw new ApiError(404, 'NO_SUCH_MEMBER', `${user} is not a member of ${orgName}/${teamName}`);
            t.members = t.members.filter((m) => m !== user);
            return { status: 204, body: null };
          }
          if (!data.users.some((u) => u.name === user && !u.system)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no user ${user}`);
          if (!t.members.includes(user)) t.members.push(user);
          return { status: 200, body: { org: orgName, name: teamName, members: t.members } };
        });
      }
    }
    return null;
  };
}
