/**
 * Accounts, teams and members in the DTR-style API (DTR's v0 paths and field
 * names). Admins manage users; organization owners (and admins) manage their
 * organization's teams; everyone signed in may look people up. Who may call
 * what is declared on each route (api/permissions.ts).
 */
import bcrypt from 'bcryptjs';
import { z } from 'zod';
import type { Accounts, StoredUser } from './accounts';
import { ApiError, validName } from './api-common';
import { route, type ApiRoute } from '../api/api-route';
import { accountSelf, admin, organization, signedIn } from '../api/permissions';
import { accountNameProblem, newAccountNameProblem } from '../policy/names';

const globalRole = z.enum(['none', 'read-only', 'read-write', 'admin']);
const password = z.string().min(8, 'passwords have at least 8 characters').max(200);
export const accountBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), name: z.string(), password, globalRole: globalRole.default('none'), fullName: z.string().max(200).optional() }).strict(),
  z.object({ type: z.literal('organization'), name: z.string(), fullName: z.string().max(200).optional() }).strict(),
]);
export const accountPatch = z.object({ globalRole: globalRole.optional(), password: password.optional(), fullName: z.string().max(200).optional() }).strict();
export const teamBody = z.object({ name: z.string(), description: z.string().max(500).optional() }).strict();

/** bcrypt cost 10: ~50 ms a check, what Distribution's htpasswd docs use. */
const BCRYPT_COST = 10;

export function accountsRoutes(accounts: Accounts): ApiRoute[] {
  const userView = (u: StoredUser, showRole: boolean) => ({ type: 'user', name: u.name, fullName: u.fullName ?? '', ...(showRole ? { globalRole: u.globalRole, isAdmin: u.globalRole === 'admin' } : {}) });
  const orgView = (name: string, fullName = '') => ({ type: 'organization', name, fullName });
  /** The platform's account is not there as far as the API is concerned. */
  const account = (name: string) => {
    const user = accounts.visibleUsers().find((u) => u.name === name);
    const org = accounts.organization(name);
    if (!user && !org) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no account ${name}`);
    return { user, org };
  };
  const findTeam = (org: string, team: string) => {
    const t = accounts.team(org, team);
    if (!t) throw new ApiError(404, 'NO_SUCH_TEAM', `no team ${org}/${team}`);
    return t;
  };
  const tag = 'accounts';

  return [
    route({
      method: 'GET', path: '/accounts', tag, summary: 'List users and organizations (global roles for admins)', permission: [signedIn],
      handler: ({ principal }) => {
        const roles = principal.globalRole === 'admin';
        return { status: 200, body: { accounts: [...accounts.visibleUsers().map((u) => userView(u, roles)), ...accounts.organizations().map((o) => orgView(o.name, o.fullName))] } };
      },
    }),
    route({
      method: 'POST', path: '/accounts', tag, summary: 'Create a user (with a global role) or an organization', permission: [admin('manage accounts')], body: accountBody,
      handler: async ({ principal, body: a }) => {
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
      },
    }),
    route({
      method: 'GET', path: '/accounts/{name}', tag, summary: 'Read an account', permission: [signedIn],
      handler: ({ principal, params: { name } }) => {
        const { user, org } = account(name);
        return { status: 200, body: user ? userView(user, principal.globalRole === 'admin' || principal.name === name) : orgView(name, org!.fullName) };
      },
    }),
    route({
      method: 'PATCH', path: '/accounts/{name}', tag, summary: 'Change a global role (admins), a password (admins or the user), a full name', permission: [accountSelf('name', ['globalRole'])], body: accountPatch,
      handler: async ({ principal, params: { name }, body: patch }) => {
        const { org } = account(name);
        if (principal.name === name && patch.globalRole && patch.globalRole !== 'admin') throw new ApiError(409, 'CANNOT_DEMOTE_SELF', 'an admin cannot take away their own admin role: ask another admin');
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
      },
    }),
    route({
      method: 'DELETE', path: '/accounts/{name}', tag, summary: 'Delete an account (an organization must have no repositories)', permission: [admin('delete accounts')],
      handler: ({ principal, params: { name } }) => {
        account(name);
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
      },
    }),
    route({
      method: 'GET', path: '/accounts/{org}/teams', tag: 'teams', summary: "List an organization's teams", permission: [organization('view-teams')],
      handler: ({ params: { org } }) => ({ status: 200, body: { teams: accounts.teamsOf(org).map((t) => ({ name: t.name, members: t.members })) } }),
    }),
    route({
      method: 'POST', path: '/accounts/{org}/teams', tag: 'teams', summary: 'Create a team', permission: [organization('manage-teams')], body: teamBody,
      handler: ({ params: { org }, body: { name: team } }) => {
        validName(accountNameProblem(team));
        return accounts.update((data) => {
          if (data.teams.some((t) => t.org === org && t.name === team)) throw new ApiError(409, 'TEAM_EXISTS', `team ${org}/${team} already exists`);
          data.teams.push({ org, name: team, members: [] });
          return { status: 201, body: { org, name: team, members: [] } };
        });
      },
    }),
    route({
      method: 'GET', path: '/accounts/{org}/teams/{team}', tag: 'teams', summary: 'Read a team', permission: [organization('view-teams')],
      handler: ({ params: { org, team } }) => ({ status: 200, body: { org, name: team, members: findTeam(org, team).members } }),
    }),
    route({
      method: 'DELETE', path: '/accounts/{org}/teams/{team}', tag: 'teams', summary: 'Delete a team and every access it had', permission: [organization('manage-teams')],
      handler: ({ params: { org, team } }) => {
        findTeam(org, team);
        return accounts.update((data) => {
          data.teams = data.teams.filter((t) => !(t.org === org && t.name === team));
          for (const r of data.repositories) if (r.namespace === org) delete r.teamAccess[team];
          const o = data.orgs.find((x) => x.name === org);
          if (o?.teamAccess) delete o.teamAccess[team];
          return { status: 204, body: null };
        });
      },
    }),
    route({
      method: 'GET', path: '/accounts/{org}/teams/{team}/members', tag: 'teams', summary: "List a team's members", permission: [organization('view-teams')],
      handler: ({ params: { org, team } }) => ({ status: 200, body: { members: findTeam(org, team).members.map((m) => ({ name: m })) } }),
    }),
    route({
      method: 'GET', path: '/accounts/{org}/teams/{team}/members/{user}', tag: 'teams', summary: '200 when the user is a member, 404 when not', permission: [organization('view-teams')],
      handler: ({ params: { org, team, user } }) => {
        if (!findTeam(org, team).members.includes(user)) throw new ApiError(404, 'NO_SUCH_MEMBER', `${user} is not a member of ${org}/${team}`);
        return { status: 200, body: { name: user } };
      },
    }),
    route({
      method: 'PUT', path: '/accounts/{org}/teams/{team}/members/{user}', tag: 'teams', summary: 'Add a member', permission: [organization('manage-teams')],
      handler: ({ params: { org, team, user } }) => {
        findTeam(org, team);
        return accounts.update((data) => {
          const t = data.teams.find((x) => x.org === org && x.name === team)!;
          if (!data.users.some((u) => u.name === user && !u.system)) throw new ApiError(404, 'NO_SUCH_ACCOUNT', `no user ${user}`);
          if (!t.members.includes(user)) t.members.push(user);
          return { status: 200, body: { org, name: team, members: t.members } };
        });
      },
    }),
    route({
      method: 'DELETE', path: '/accounts/{org}/teams/{team}/members/{user}', tag: 'teams', summary: 'Remove a member', permission: [organization('manage-teams')],
      handler: ({ params: { org, team, user } }) => {
        findTeam(org, team);
        return accounts.update((data) => {
          const t = data.teams.find((x) => x.org === org && x.name === team)!;
          if (!t.members.includes(user)) throw new ApiError(404, 'NO_SUCH_MEMBER', `${user} is not a member of ${org}/${team}`);
          t.members = t.members.filter((m) => m !== user);
          return { status: 204, body: null };
        });
      },
    }),
  ];
}
