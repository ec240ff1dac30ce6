/**
 * The role table (policy/roles.ts) on one repository: may this principal do
 * the route's action? Anonymous callers are challenged for a token with the
 * scope; a signed-in caller without the right gets DENIED — except on trust
 * data, where Notary clients read a 403 as "unable to reach trust server" and
 * a 401 with insufficient_scope (what Notary's own token auth answers) as
 * "not authorized".
 *
 *   roleAccess({ grants: accounts.grants })
 */
import { may, type Principal, type RepositoryGrants } from '../../policy/roles';
import { challenge, refuse, wantedScope, type Policy } from '../chain';

export function roleAccess(deps: { grants: (repository: string, principal: Principal | null) => RepositoryGrants }): Policy {
  return {
    name: 'role access',
    decide({ route, identity }) {
      const principal = identity?.principal ?? null;
      if (may(principal, deps.grants(route.repository, principal), route.action)) return null;
      if (!principal) return challenge('authentication required', wantedScope(route));
      if (route.kind === 'trust') return challenge(`${principal.name} may not ${route.action} trust data of ${route.repository}`, wantedScope(route), true);
      return refuse(403, 'DENIED', `requested access to the resource is denied: ${principal.name} may not ${route.action} ${route.repository}`);
    },
  };
}
