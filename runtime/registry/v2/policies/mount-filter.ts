/**
 * A cross-repository blob mount (POST …/blobs/uploads/?mount=…&from=…) reads
 * the source repository: when the caller may not pull it (roles or token
 * scope), the mount parameters go and Distribution answers with a plain
 * upload instead — what it does for a blob it cannot mount. Never refuses;
 * narrows the request.
 *
 *   mountFilter({ grants: accounts.grants, host: 'dtr.labdock' })
 */
import { repositoryPathProblem } from '../../policy/names';
import { may, type Principal, type RepositoryGrants } from '../../policy/roles';
import type { Policy } from '../chain';
import { scopeCovers } from './token-scope';

export function mountFilter(deps: { grants: (repository: string, principal: Principal | null) => RepositoryGrants; host: string }): Policy {
  return {
    name: 'mount filter',
    decide({ route, url, identity }) {
      if (route.kind !== 'upload' || !url.searchParams.has('from')) return null;
      const from = url.searchParams.get('from') ?? '';
      const principal = identity?.principal ?? null;
      let ok = false;
      try {
        ok = !repositoryPathProblem(from) && may(principal, deps.grants(from, principal), 'pull') && scopeCovers(identity, deps.host, from, 'pull');
      } finally {
        // Fail closed: whatever happened deciding, an unproven mount is no mount.
        if (!ok) {
          url.searchParams.delete('mount');
          url.searchParams.delete('from');
        }
      }
      return null;
    },
  };
}
